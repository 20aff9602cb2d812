/*
 * site_workers: the bulk of a build's pages rendered by several processes
 * at once (--jobs). The page model is built once; fork() shares it (copy
 * on write), so the workers need no lock: every worker walks the same
 * pages in the same order and renders one page in nworkers (page number
 * modulo nworkers), skipping the others' models. The first worker is the
 * building process itself; each other worker sends back, through a pipe,
 * the files it staged (output_worker_save) and its messages.
 *
 * Messages are kept in page order, as one process would give them: during
 * the parallel part each worker's reporter records its messages instead
 * of printing them, with a mark where each page starts; the segment of
 * page N (its messages and those of the work that follows it up to the
 * next page, which every worker repeats identically) is taken from the
 * worker that rendered page N. A worker that fails stops at its page, and
 * the messages stop there too.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/file.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

/* Record marks in a worker's log (struct report's collected buf). */
#define MARK_PAGE 'P'

static const char level_marks[] = {
	[REPORT_ERROR] = 'E',
	[REPORT_WARNING] = 'W',
	[REPORT_HINT] = 'H',
};

/* One worker's result, parsed. */
struct worker {
	pid_t pid;
	int fd;             /* read end of its pipe, or -1 */
	struct buf data;    /* what it sent */
	int rc;
	size_t npages;      /* pages it met (marks in its log) */
	const char *log;    /* into data (or the first worker's log) */
	size_t log_len;
	const char *files;  /* output_worker_save() text, into data */
	size_t files_len;
	size_t *segments;   /* [page + 1]: offset of page's mark in log */
};

/* NOTE: during the parallel part rep->collected holds the framed log;
 * the caller's collected text is set aside and put back after. */
static void
log_emit(struct report *rep, enum report_level level, const char *text)
{
	buf_addc(&rep->collected, level_marks[level]);
	buf_adds(&rep->collected, text);
	buf_addc(&rep->collected, '\0');
}

void
site_workers_mark(struct site *s, size_t page)
{
	buf_addf(&s->rep->collected, "%c%zu", MARK_PAGE, page);
	buf_addc(&s->rep->collected, '\0');
}

/* In a forked worker: renders its share, sends it, never returns. */
static void
run_child(struct site *s, int fd, int (*fn)(struct site *s))
{
	struct buf msg = BUF_INIT, files = BUF_INIT;
	int rc;

	rc = fn(s);
	output_worker_save(s->out, &files);
	buf_addf(&msg, "rc %d pages %zu log %zu\n", rc, s->page_seq,
		 s->rep->collected.len);
	buf_add(&msg, s->rep->collected.ptr, s->rep->collected.len);
	buf_add(&msg, files.ptr, files.len);
	/* NOTE: _exit: the parent's stdio buffers, atexit handlers and
	 * leak checks are not this process's to run. */
	_exit(file_write_all(fd, msg.ptr, msg.len) == 0 ? 0 : 1);
}

static int
read_all(int fd, struct buf *out)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_add(out, chunk, (size_t)n);
	}
}

/* Offsets of each page's mark; the prelude ends at segments[0]. */
static int
index_log(struct worker *w)
{
	size_t at = 0, page = 0, len;
	const char *rec;
	char *end;

	w->segments = xcalloc(w->npages + 1, sizeof(*w->segments));
	while (at < w->log_len) {
		rec = w->log + at;
		len = strnlen(rec, w->log_len - at);
		if (at + len == w->log_len)
			return -1; /* a record without its NUL */
		if (rec[0] == MARK_PAGE) {
			if (strtoul(rec + 1, &end, 10) != page ||
			    *end != '\0' || page >= w->npages)
				return -1;
			w->segments[page++] = at;
		} else if (rec[0] != 'E' && rec[0] != 'W' && rec[0] != 'H') {
			return -1;
		}
		at += len + 1;
	}
	if (page != w->npages)
		return -1;
	w->segments[page] = w->log_len;
	return 0;
}

static int
parse_child(struct worker *w)
{
	const char *p = w->data.ptr, *nl = memchr(p, '\n', w->data.len);
	size_t len;
	int used;

	if (!nl || sscanf(p, "rc %d pages %zu log %zu%n", &w->rc, &w->npages,
			  &len, &used) != 3 ||
	    p + used != nl || len > w->data.len - (size_t)(nl + 1 - p))
		return -1;
	w->log = nl + 1;
	w->log_len = len;
	w->files = w->log + len;
	w->files_len = w->data.len - (size_t)(w->files - p);
	return index_log(w);
}

/* Replays the records of log[from, to) through emit, counting them. */
static void
replay(struct report *rep, const char *log, size_t from, size_t to)
{
	const char *rec;
	enum report_level level;

	while (from < to) {
		rec = log + from;
		from += strlen(rec) + 1;
		if (rec[0] == MARK_PAGE)
			continue;
		level = rec[0] == 'E'   ? REPORT_ERROR
			: rec[0] == 'W' ? REPORT_WARNING
					: REPORT_HINT;
		if (level == REPORT_ERROR)
			rep->errors++;
		else if (level == REPORT_WARNING)
			rep->warnings++;
		rep->emit(rep, level, rec + 1);
	}
}

/* The segment of page in worker w's log. */
static void
replay_page(struct report *rep, const struct worker *w, size_t page)
{
	if (page < w->npages)
		replay(rep, w->log, w->segments[page], w->segments[page + 1]);
}

/*
 * The messages in one process's order: the prelude, then each page's
 * segment from the worker that rendered it, up to the first failure (a
 * worker fails in the segment of the last page it met, -1 for the
 * prelude). Returns 0, or -1 when a worker failed.
 */
static int
replay_all(struct report *rep, struct worker *ws, unsigned n)
{
	long stop = LONG_MAX, at;
	size_t page, last = 0;
	unsigned i, failed = n;
	const struct worker *owner;

	for (i = 0; i < n; i++) {
		at = (long)ws[i].npages - 1;
		if (ws[i].rc != 0 && at < stop) {
			stop = at;
			failed = i;
		}
		if (ws[i].npages > last)
			last = ws[i].npages;
	}
	if (stop == -1) {
		replay(rep, ws[failed].log, 0, ws[failed].segments[0]);
		return -1;
	}
	replay(rep, ws[0].log, 0, ws[0].segments[0]);
	for (page = 0; page < last; page++) {
		owner = &ws[page % n];
		if ((long)page == stop) {
			/* NOTE: the failure may come from work every worker
			 * does after the page: then the owner has it too. */
			if (owner->rc == 0 || owner->npages != page + 1)
				owner = &ws[failed];
			replay_page(rep, owner, page);
			return -1;
		}
		replay_page(rep, owner, page);
	}
	return failed < n ? -1 : 0;
}

unsigned
site_workers_count(const struct site *s, unsigned jobs)
{
	long n;

	if (jobs)
		return jobs > SITE_MAX_JOBS ? SITE_MAX_JOBS : jobs;
	/* Forking pays off from a few hundred pages. */
	if (s->content->nlinks + s->nitems / 20 < 200)
		return 1;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > SITE_MAX_JOBS ? SITE_MAX_JOBS : (unsigned)n;
}

int
site_workers_run(struct site *s, unsigned n, int (*fn)(struct site *s))
{
	struct report *rep = s->rep;
	struct worker ws[SITE_MAX_JOBS];
	struct buf saved_collected = rep->collected;
	void (*saved_emit)(struct report *, enum report_level, const char *) =
		rep->emit;
	unsigned long errors = rep->errors, warnings = rep->warnings;
	unsigned i, j, nforked = 0;
	bool is_broken = false;
	int fds[2], status, rc = -1;

	if (n < 2)
		return fn(s);
	memset(ws, 0, sizeof(ws));
	for (i = 0; i < n; i++) {
		ws[i].fd = -1;
		buf_init(&ws[i].data, 0);
	}
	fflush(NULL);
	buf_init(&rep->collected, 0);
	rep->emit = log_emit;
	s->nworkers = n;
	s->page_seq = 0;
	for (i = 1; i < n; i++) {
		if (pipe(fds) != 0)
			break;
		ws[i].pid = fork();
		if (ws[i].pid < 0) {
			close(fds[0]);
			close(fds[1]);
			break;
		}
		if (ws[i].pid == 0) {
			for (j = 1; j < i; j++)
				close(ws[j].fd);
			close(fds[0]);
			s->worker = i;
			output_worker_begin(s->out, i, n);
			run_child(s, fds[1], fn);
		}
		close(fds[1]);
		ws[i].fd = fds[0];
		nforked++;
	}
	if (nforked + 1 < n) {
		/* No more processes: the others' pages would be missing. */
		for (i = 1; i <= nforked; i++) {
			kill(ws[i].pid, SIGKILL);
			close(ws[i].fd);
			waitpid(ws[i].pid, &status, 0);
		}
		buf_release(&rep->collected);
		rep->collected = saved_collected;
		rep->emit = saved_emit;
		s->nworkers = 1;
		return fn(s);
	}
	s->worker = 0;
	output_worker_begin(s->out, 0, n);
	ws[0].rc = fn(s);
	ws[0].npages = s->page_seq;
	for (i = 1; i < n; i++) {
		if (read_all(ws[i].fd, &ws[i].data) != 0)
			is_broken = true;
		close(ws[i].fd);
		while (waitpid(ws[i].pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    parse_child(&ws[i]) != 0)
			is_broken = true;
	}
	/* Back to printing, in page order. */
	ws[0].data = rep->collected;
	ws[0].log = ws[0].data.ptr;
	ws[0].log_len = ws[0].data.len;
	rep->collected = saved_collected;
	rep->emit = saved_emit;
	rep->errors = errors;
	rep->warnings = warnings;
	s->nworkers = 1;
	if (index_log(&ws[0]) != 0)
		is_broken = true;
	if (is_broken) {
		report_error(rep, NULL, "build: a worker process ended "
			     "without sending its pages");
		report_hint(rep, "build again with --jobs 1; if it works, "
			    "this is a bug in curator");
		goto out;
	}
	if (replay_all(rep, ws, n) != 0)
		goto out;
	for (i = 1; i < n; i++)
		if (output_worker_merge(s->out, ws[i].files,
					ws[i].files_len) != 0)
			goto out;
	rc = 0;
out:
	output_worker_end(s->out);
	for (i = 0; i < n; i++) {
		buf_release(&ws[i].data);
		free(ws[i].segments);
	}
	return rc;
}
