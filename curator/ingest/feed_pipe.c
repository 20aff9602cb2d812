/*
 * feed_pipe: a pipelined parse (ingest_private.h). The parsing thread
 * pushes raw items (the builder's buffers, moved, not copied) into a
 * bounded queue; one worker thread normalizes them and calls on_item.
 * When the worker falls behind (FEED_PIPE_HELP_AT items waiting), the
 * parsing thread normalizes the item itself and queues the result, so
 * that both cores sanitize while on_item still sees one item at a time,
 * in order, on the worker. Jobs are recycled through a free list, so that
 * a long feed allocates its buffers once.
 *
 * NOTE: out of memory. xmalloc's die_oom() calls exit(1) from whichever
 * thread ran out; exit() would then run libxml2's destructor
 * (xmlCleanupParser) and the sanitizers' leak check while the other
 * thread is still inside libxml2. So while a pipe runs, an atexit handler
 * ends the process at once with _exit(1): the message is already out, and
 * nothing else in curator calls exit() during a parse (only main.c and
 * cmd/ exit, after feed_parse returned).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

/* A recycled job keeps its buffers while they hold at most this much in
 * all: so that memory kept for reuse stays under FEED_PIPE_MAX_ITEMS times
 * this, whatever sizes the items had. */
#define KEEP_BYTES (8u << 10)

struct feed_job {
	struct feed_item_builder b;
	struct feed_item_dates dates;
	char *fallback_author;
	struct feed_item item;     /* when is_ready */
	bool is_ready;             /* normalized by the parser already */
	size_t bytes;              /* text held, counted against the cap */
	struct feed_job *next;
};

struct feed_pipe {
	feed_item_fn on_item;
	void *ctx;

	pthread_mutex_t lock;
	pthread_cond_t can_put;    /* the parser waits: queue full */
	pthread_cond_t can_take;   /* the worker waits: queue empty */
	struct feed_job *head, *tail;
	size_t nqueued, bytes;
	struct feed_job *spare;    /* recycled jobs */
	struct feed_job *done;     /* jobs whose item the parser made:
				    * the parser frees it (see job_clear) */
	struct feed_job *reuse;    /* the parser's own: freed, reusable */
	bool is_closed;            /* no more pushes */
	bool is_stopped;           /* on_item asked to stop */

	pthread_t thread;
	bool has_thread;
	bool has_failed;           /* the thread could not start */
	size_t npushed;            /* items offered so far */
	bool is_stop_seen;         /* what the parser was last told */
};

static atomic_int pipes_running;
static pthread_once_t exit_guard_once = PTHREAD_ONCE_INIT;

static void
exit_guard(void)
{
	if (atomic_load(&pipes_running) > 0)
		_exit(1);
}

static void
install_exit_guard(void)
{
	/* NOTE: atexit fails only without memory; the guard is then
	 * missing, which is the behaviour without a pipe. */
	(void)atexit(exit_guard);
}

static void
silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static size_t
slot_bytes(const struct feed_slot *slot)
{
	return slot->has_text ? slot->text.len : 0;
}

static size_t
job_bytes(const struct feed_item_builder *b)
{
	return slot_bytes(&b->title) + slot_bytes(&b->url) +
	       slot_bytes(&b->id) + slot_bytes(&b->content) +
	       slot_bytes(&b->description) + slot_bytes(&b->author) +
	       slot_bytes(&b->published) + slot_bytes(&b->updated) +
	       slot_bytes(&b->language);
}

/* Empties a done job for reuse, except for an item the parser made
 * (is_ready): the parsing thread frees that one itself. NOTE: its
 * strings come from the parsing thread's malloc arena, and a free(3) of
 * a chunk past the thread cache from another thread takes that arena's
 * lock: freed on the worker, they made the two threads contend (futex
 * waits, a few % of the run). */
static void
job_clear(struct feed_job *job)
{
	struct feed_item_builder *b = &job->b;
	struct feed_slot *slots[] = { &b->title,   &b->url,
				      &b->id,      &b->content,
				      &b->description, &b->author,
				      &b->published, &b->updated,
				      &b->language };
	size_t i, kept = 0;

	feed_item_builder_clear(b);
	for (i = 0; i < sizeof(slots) / sizeof(*slots); i++)
		kept += slots[i]->text.cap;
	if (kept > KEEP_BYTES)
		for (i = 0; i < sizeof(slots) / sizeof(*slots); i++)
			buf_release(&slots[i]->text);
	free(job->fallback_author);
	job->fallback_author = NULL;
	job->bytes = 0;
	job->next = NULL;
}

static void
job_free(struct feed_job *job)
{
	if (job->is_ready)
		feed_item_release(&job->item);
	feed_item_builder_release(&job->b);
	free(job->fallback_author);
	free(job);
}

/* The worker takes this many jobs at a time, and gives them back at
 * once: the lock is taken once per batch, not twice per item (each
 * contended lock is a futex wait). */
#define BATCH 32

/* Hands a finished batch back: jobs to reuse (the parser frees the items
 * it made, see job_clear), the counts, a stop. */
static void
give_back(struct feed_pipe *p, struct feed_job *jobs, size_t n, size_t bytes,
	  bool is_stopped)
{
	struct feed_job *job;

	while (jobs) {
		job = jobs;
		jobs = job->next;
		if (job->is_ready) {
			job->next = p->done;
			p->done = job;
		} else {
			job->next = p->spare;
			p->spare = job;
		}
	}
	p->nqueued -= n;
	p->bytes -= bytes;
	if (is_stopped)
		p->is_stopped = true;
	pthread_cond_signal(&p->can_put);
}

static void *
worker(void *arg)
{
	struct feed_pipe *p = arg;
	struct feed_job *batch, *job, *finished;
	struct feed_item item;
	size_t n, bytes;
	bool is_stopped;

	/* NOTE: libxml2's error handler is per thread; the sanitizer asks
	 * for no errors, this catches what would still be printed. */
	xmlSetGenericErrorFunc(NULL, silent);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->is_closed)
			pthread_cond_wait(&p->can_take, &p->lock);
		if (!p->head)
			break;
		batch = p->head;
		for (job = batch, n = 1; job->next && n < BATCH; n++)
			job = job->next;
		p->head = job->next;
		if (!p->head)
			p->tail = NULL;
		job->next = NULL;
		is_stopped = p->is_stopped;
		pthread_mutex_unlock(&p->lock);

		finished = NULL;
		n = bytes = 0;
		while (batch) {
			job = batch;
			batch = job->next;
			if (!is_stopped && job->is_ready) {
				is_stopped =
					p->on_item(&job->item, p->ctx) != 0;
			} else if (!is_stopped) {
				feed_item_builder_normalize(
					&job->b, &job->dates,
					job->fallback_author, &item);
				is_stopped = p->on_item(&item, p->ctx) != 0;
				feed_item_release(&item);
			}
			n++;
			bytes += job->bytes;
			job_clear(job);
			job->next = finished;
			finished = job;
		}

		pthread_mutex_lock(&p->lock);
		give_back(p, finished, n, bytes, is_stopped);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct feed_pipe *
feed_pipe_new(feed_item_fn on_item, void *ctx)
{
	struct feed_pipe *p = xcalloc(1, sizeof(*p));

	p->on_item = on_item;
	p->ctx = ctx;
	return p;
}

static bool
start(struct feed_pipe *p)
{
	if (p->has_thread)
		return true;
	if (p->has_failed)
		return false;
	/* NOTE: libxml2 initialises its globals once; not concurrently
	 * (the worker's sanitizer would otherwise be first for a JSON
	 * Feed). */
	xmlInitParser();
	pthread_once(&exit_guard_once, install_exit_guard);
	if (pthread_mutex_init(&p->lock, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->can_put, NULL) != 0) {
		pthread_mutex_destroy(&p->lock);
		goto fail;
	}
	if (pthread_cond_init(&p->can_take, NULL) != 0) {
		pthread_cond_destroy(&p->can_put);
		pthread_mutex_destroy(&p->lock);
		goto fail;
	}
	atomic_fetch_add(&pipes_running, 1);
	if (pthread_create(&p->thread, NULL, worker, p) != 0) {
		atomic_fetch_sub(&pipes_running, 1);
		pthread_cond_destroy(&p->can_take);
		pthread_cond_destroy(&p->can_put);
		pthread_mutex_destroy(&p->lock);
		goto fail;
	}
	p->has_thread = true;
	return true;
fail:
	p->has_failed = true;
	return false;
}

/* On the parsing thread: frees the items it made, now handed over, and
 * keeps their jobs for reuse. */
static void
reclaim(struct feed_pipe *p, struct feed_job *done)
{
	struct feed_job *job;

	while (done) {
		job = done;
		done = job->next;
		feed_item_release(&job->item);
		job->is_ready = false;
		job->next = p->reuse;
		p->reuse = job;
	}
}

bool
feed_pipe_push(struct feed_pipe *p, struct feed_item_builder *b,
	       const struct feed_item_dates *dates,
	       const char *fallback_author)
{
	struct feed_job *job, *done;
	struct feed_item_builder swap;
	size_t bytes;
	bool is_behind;

	/* NOTE: a small feed gains nothing from a thread, and stays
	 * deterministic (the OOM sweep counts its allocations) */
	if (!p->has_thread && ++p->npushed <= FEED_PIPE_SYNC_ITEMS)
		return false;
	if (!start(p))
		return false;
	bytes = job_bytes(b);
	pthread_mutex_lock(&p->lock);
	/* at least one item in the queue whatever its size */
	while (!p->is_stopped &&
	       (p->nqueued >= FEED_PIPE_MAX_ITEMS ||
		(p->nqueued > 0 && p->bytes + bytes > FEED_PIPE_MAX_BYTES)))
		pthread_cond_wait(&p->can_put, &p->lock);
	p->is_stop_seen = p->is_stopped;
	if (p->is_stopped) {
		pthread_mutex_unlock(&p->lock);
		return true;
	}
	is_behind = p->nqueued >= FEED_PIPE_HELP_AT ||
		    p->bytes + bytes > FEED_PIPE_MAX_BYTES / 4 * 3;
	done = p->done;
	p->done = NULL;
	job = p->reuse || done ? NULL : p->spare;
	if (job)
		p->spare = job->next;
	pthread_mutex_unlock(&p->lock);

	reclaim(p, done);
	if (!job && p->reuse) {
		job = p->reuse;
		p->reuse = job->next;
	}
	if (!job) {
		job = xcalloc(1, sizeof(*job));
		feed_item_builder_init(&job->b);
	}
	if (is_behind) {
		/* the worker is behind: this thread normalizes the item
		 * (both cores sanitize); the worker only hands it over */
		feed_item_builder_normalize(b, dates, fallback_author,
					    &job->item);
		job->is_ready = true;
	} else {
		/* NOTE: a move: the job's cleared builder goes back to the
		 * parser */
		swap = job->b;
		job->b = *b;
		*b = swap;
		job->dates = *dates;
		job->fallback_author =
			fallback_author ? xstrdup(fallback_author) : NULL;
	}
	job->bytes = bytes;
	job->next = NULL;

	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = job;
	else
		p->head = job;
	p->tail = job;
	p->nqueued++;
	p->bytes += bytes;
	pthread_cond_signal(&p->can_take);
	pthread_mutex_unlock(&p->lock);
	return true;
}

int
feed_pipe_on_item(const struct feed_item *item, void *ctx)
{
	struct feed_pipe *p = ctx;

	if (!p->has_thread)
		return p->on_item(item, p->ctx);
	return p->is_stop_seen;
}

void
feed_pipe_finish(struct feed_pipe *p)
{
	struct feed_job *job;

	if (!p)
		return;
	if (p->has_thread) {
		pthread_mutex_lock(&p->lock);
		p->is_closed = true;
		pthread_cond_signal(&p->can_take);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
		atomic_fetch_sub(&pipes_running, 1);
		pthread_cond_destroy(&p->can_take);
		pthread_cond_destroy(&p->can_put);
		pthread_mutex_destroy(&p->lock);
	}
	reclaim(p, p->done);
	p->done = NULL;
	while (p->spare) {
		job = p->spare;
		p->spare = job->next;
		job_free(job);
	}
	while (p->reuse) {
		job = p->reuse;
		p->reuse = job->next;
		job_free(job);
	}
	free(p);
}
