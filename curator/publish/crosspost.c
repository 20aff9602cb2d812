/*
 * crosspost: the outbox logic of `curator crosspost` (posting at most
 * once, issue 8), the ledger crosspost.log, retries and waits. Composing
 * is in crosspost_compose.c, each network in its own xpost_*.c.
 */
#include "publish/xpost_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/file.h"
#include "core/redact.h"
#include "core/xmalloc.h"

#define TIMING_ENV "CURATOR_CROSSPOST_TIMING"
#define DEFAULT_TIMEOUT_S 30L
#define DEFAULT_BACKOFF_MS 2000L
#define MAX_RETRIES 3
#define MAX_WAIT_S 300L
#define LEDGER_MAX_SIZE ((size_t)256 << 20)

const char *const crosspost_networks[] = { "mastodon", "bluesky",
					   "facebook" };
const size_t crosspost_nnetworks =
	sizeof(crosspost_networks) / sizeof(crosspost_networks[0]);

/* NOTE: same order as crosspost_networks. */
static const struct xpost_network *const networks[] = {
	&xpost_mastodon,
	&xpost_bluesky,
	&xpost_facebook,
};

/* One line of crosspost.log. */
struct ledger_line {
	int64_t time;
	char *network;
	char *item;             /* NULL for "configured" */
	char *state;
	char *key;
	char *remote_id;
	char *remote_url;
	char *error;
};

struct run {
	struct report *rep;
	const struct config *cfg;
	const struct crosspost_options *opts;
	const struct crosspost_item *items;
	size_t nitems;
	struct store *st;
	char *ledger_path;
	int ledger_fd;
	struct ledger_line *lines;
	size_t nlines;
	struct http_options http;
	struct xpost_timing timing;
	struct crosspost_stats stats;
	int64_t now;
	bool has_failed;
};

/* How posting one item ended, for the network's loop. */
enum outcome {
	OUTCOME_DONE,    /* sent, failed or unknown: go on with the next */
	OUTCOME_STOP,    /* stop this network for this run */
	OUTCOME_ERROR,   /* the store or the ledger failed: stop */
};

/* ------------------------------------------------------------- items */

void
crosspost_items_free(struct crosspost_item *items, size_t n)
{
	size_t i, j;

	if (!items)
		return;
	for (i = 0; i < n; i++) {
		free(items[i].key);
		free(items[i].kind);
		free(items[i].title);
		free(items[i].note);
		free(items[i].url);
		free(items[i].image);
		free(items[i].language);
		for (j = 0; j < items[i].ntags; j++)
			free(items[i].tags[j]);
		free(items[i].tags);
	}
	free(items);
}

void
crosspost_items_add_links(const struct config *cfg, const struct link *links,
			  size_t nlinks, struct crosspost_item **items,
			  size_t *n)
{
	struct crosspost_item *it;
	struct buf url = BUF_INIT;
	size_t i, j, cap = *n;

	if (!(cfg->crosspost.announce & CONFIG_ANNOUNCE_LINKS))
		return;
	for (i = 0; i < nlinks; i++) {
		*items = xgrow(*items, *n + 1, &cap, sizeof(**items));
		it = &(*items)[(*n)++];
		memset(it, 0, sizeof(*it));
		it->key = xstrdup(links[i].output_dir);
		it->kind = xstrdup("link");
		it->title = xstrdup(links[i].title ? links[i].title : "");
		it->note = xstrdup(links[i].note_text ? links[i].note_text
						      : "");
		buf_clear(&url);
		/* cfg->url always ends in "/" (config.h) */
		buf_addf(&url, "%s%s/", cfg->url, links[i].output_dir);
		it->url = xstrdup(url.ptr);
		it->image = links[i].image ? xstrdup(links[i].image) : NULL;
		it->language = xstrdup(
			links[i].language
				? links[i].language
				: config_language_code(cfg->language));
		it->tags = xcalloc(links[i].ntags + 1, sizeof(char *));
		for (j = 0; j < links[i].ntags; j++)
			it->tags[j] = xstrdup(links[i].tags[j]);
		it->ntags = links[i].ntags;
		it->date = links[i].date;
	}
	buf_release(&url);
}

static const struct crosspost_item *
find_item(const struct run *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].key, key) == 0)
			return &r->items[i];
	return NULL;
}

/* ------------------------------------------------------------ timing */

static void
read_timing(struct xpost_timing *t)
{
	const char *v = getenv(TIMING_ENV);
	char *end;
	long a, b;

	t->timeout_s = DEFAULT_TIMEOUT_S;
	t->backoff_ms = DEFAULT_BACKOFF_MS;
	if (!v)
		return;
	a = strtol(v, &end, 10);
	if (*end != ':' || a <= 0)
		return;
	b = strtol(end + 1, &end, 10);
	if (*end || b < 0)
		return;
	t->timeout_s = a;
	t->backoff_ms = b;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* ------------------------------------------------------------ ledger */

static void
ledger_line_release(struct ledger_line *l)
{
	free(l->network);
	free(l->item);
	free(l->state);
	free(l->key);
	free(l->remote_id);
	free(l->remote_url);
	free(l->error);
}

static char *
dup_member(const json_t *o, const char *key)
{
	const char *v = xpost_json_string(o, key);

	return v ? xstrdup(v) : NULL;
}

static int
ledger_read(struct run *r)
{
	struct report_pos pos = { CROSSPOST_LEDGER, 0, 0 };
	struct buf text = BUF_INIT;
	struct ledger_line *l;
	const char *p, *end, *nl;
	size_t cap = 0;
	json_t *o;
	int rc = -1;

	if (access(r->ledger_path, F_OK) != 0) {
		rc = 0;
		goto out;
	}
	if (file_read(r->rep, r->ledger_path, LEDGER_MAX_SIZE, &text) != 0)
		goto out;
	for (p = text.ptr, end = text.ptr + text.len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		pos.line++;
		if (nl == p)
			continue;
		o = json_loadb(p, (size_t)(nl - p), 0, NULL);
		if (!json_is_object(o) || !xpost_json_string(o, "network") ||
		    !xpost_json_string(o, "state") ||
		    !xpost_json_string(o, "time") ||
		    (strcmp(xpost_json_string(o, "state"), "configured") != 0 &&
		     !xpost_json_string(o, "item"))) {
			/* a line cut by a crash, or edited by hand */
			report_warn(r->rep, &pos, "unreadable line skipped");
			json_decref(o);
			continue;
		}
		r->lines = xgrow(r->lines, r->nlines + 1, &cap,
				 sizeof(*r->lines));
		l = &r->lines[r->nlines++];
		memset(l, 0, sizeof(*l));
		if (date_parse(xpost_json_string(o, "time"),
			       strlen(xpost_json_string(o, "time")),
			       &l->time) != 0)
			l->time = r->now;
		l->network = dup_member(o, "network");
		l->item = dup_member(o, "item");
		l->state = dup_member(o, "state");
		l->key = dup_member(o, "key");
		l->remote_id = dup_member(o, "remote_id");
		l->remote_url = dup_member(o, "remote_url");
		l->error = dup_member(o, "error");
		json_decref(o);
	}
	rc = 0;
out:
	buf_release(&text);
	return rc;
}

static json_t *
string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Appends one line and fsyncs it. */
static int
ledger_append(struct run *r, const char *network, const char *item,
	      const char *state, const char *key, const char *remote_id,
	      const char *remote_url, const char *error)
{
	struct report_pos pos = { CROSSPOST_LEDGER, 0, 0 };
	char when[DATE_RFC3339_SIZE];
	struct buf line = BUF_INIT;
	struct stat sb;
	json_t *o;
	char *text, last = '\n';
	int rc = -1;

	if (r->ledger_fd < 0) {
		r->ledger_fd = open(r->ledger_path,
				    O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
				    0644);
		if (r->ledger_fd < 0) {
			report_error(r->rep, &pos, "cannot open: %s",
				     strerror(errno));
			report_hint(r->rep, "check the site folder's "
					    "permissions");
			return -1;
		}
		/* a line cut by a crash must not swallow the next one */
		if (fstat(r->ledger_fd, &sb) == 0 && sb.st_size > 0 &&
		    pread(r->ledger_fd, &last, 1, sb.st_size - 1) == 1 &&
		    last != '\n')
			buf_addc(&line, '\n');
	}
	date_format_rfc3339((int64_t)time(NULL), when);
	o = json_pack("{s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:o}", "time", when,
		      "network", network, "item", string_or_null(item),
		      "state", state, "key", string_or_null(key), "remote_id",
		      string_or_null(remote_id), "remote_url",
		      string_or_null(remote_url), "error",
		      string_or_null(error));
	text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!text) {
		report_error(r->rep, &pos, "cannot encode a line");
		goto out;
	}
	buf_adds(&line, text);
	buf_addc(&line, '\n');
	free(text);
	if (file_write_all(r->ledger_fd, line.ptr, line.len) != 0) {
		report_error(r->rep, &pos, "cannot write: %s", strerror(errno));
		goto out;
	}
	if (fsync(r->ledger_fd) != 0) {
		report_error(r->rep, &pos, "cannot flush: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		report_hint(r->rep, "nothing more is posted until the ledger "
				    "can be written");
	buf_release(&line);
	return rc;
}

/* Moves an entry the store does not know, or knows less well, to what the
 * ledger says. Only moves the outbox allows. */
static int
import_line(struct run *r, const struct ledger_line *l)
{
	struct store_outbox_entry e;
	const char *key = l->key ? l->key : "";
	int found, rc = -1;
	bool is_new;

	found = store_outbox_get(r->st, l->item, l->network, &e);
	if (found < 0)
		return -1;
	if (found && (e.state == STORE_OUTBOX_SENT ||
		      strcmp(l->state, "sent") != 0)) {
		/* the store knows it: only a `sent` it missed matters */
		rc = 0;
		goto out;
	}
	if (!found && store_outbox_add(r->st, l->item, l->network, l->time,
				       &is_new) != 0)
		goto out;
	if (!found || e.state == STORE_OUTBOX_PENDING ||
	    e.state == STORE_OUTBOX_FAILED) {
		if (store_outbox_sending(r->st, l->item, l->network, key,
					 l->time) != 0)
			goto out;
	}
	if (strcmp(l->state, "sent") == 0)
		rc = store_outbox_sent(r->st, l->item, l->network,
				       l->remote_id, l->remote_url, l->time);
	else if (strcmp(l->state, "failed") == 0)
		rc = store_outbox_failed(r->st, l->item, l->network, l->error,
					 l->time);
	else if (strcmp(l->state, "unknown") == 0)
		rc = store_outbox_unknown(r->st, l->item, l->network, l->error,
					  l->time);
	else
		rc = 0; /* an intent: `sending`, checked like a crash's */
out:
	store_outbox_entry_release(&e);
	return rc;
}

/* Imports the last line of every (item, network) of the ledger. */
static int
ledger_import(struct run *r)
{
	size_t i, j;
	bool is_last;

	for (i = 0; i < r->nlines; i++) {
		if (!r->lines[i].item)
			continue;
		is_last = true;
		for (j = i + 1; j < r->nlines && is_last; j++)
			if (r->lines[j].item &&
			    strcmp(r->lines[j].item, r->lines[i].item) == 0 &&
			    strcmp(r->lines[j].network,
				   r->lines[i].network) == 0)
				is_last = false;
		if (is_last && import_line(r, &r->lines[i]) != 0)
			return -1;
	}
	return 0;
}

/* When the network was first used here, from the ledger (0: never). */
static int64_t
configured_since(const struct run *r, const char *network)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < r->nlines; i++)
		if (strcmp(r->lines[i].network, network) == 0 &&
		    (t == 0 || r->lines[i].time < t))
			t = r->lines[i].time;
	return t;
}

/* ---------------------------------------------------------- outcomes */

/* Redacted copy of an error for the store, the ledger and messages: a
 * server may echo what it was sent. */
static char *
clean_error(struct run *r, const struct buf *error)
{
	struct buf out = BUF_INIT;

	redact(&out, error->ptr, error->len, r->rep->secrets,
	       r->rep->nsecrets);
	return buf_detach(&out, NULL);
}

static int
record_sent(struct run *r, struct xpost_session *s,
	    const struct crosspost_item *item, const char *key,
	    const struct xpost_answer *a, bool was_found)
{
	if (ledger_append(r, s->net->name, item->key, "sent", key,
			  a->remote_id, a->remote_url, NULL) != 0)
		return -1;
	if (store_outbox_sent(r->st, item->key, s->net->name, a->remote_id,
			      a->remote_url, r->now) != 0)
		return -1;
	r->stats.posted++;
	fprintf(r->opts->out, "%s: %s %s%s%s\n", s->net->name,
		was_found ? "found already posted" : "posted", item->key,
		a->remote_url ? " -> " : "",
		a->remote_url ? a->remote_url : "");
	return 0;
}

static int
record_failed(struct run *r, struct xpost_session *s,
	      const struct crosspost_item *item, const char *key,
	      const char *error)
{
	struct report_pos pos = { item->key, 0, 0 };

	if (ledger_append(r, s->net->name, item->key, "failed", key, NULL,
			  NULL, error) != 0)
		return -1;
	if (store_outbox_failed(r->st, item->key, s->net->name, error,
				r->now) != 0)
		return -1;
	r->stats.failed++;
	r->has_failed = true;
	report_error(r->rep, &pos, "%s: not posted: %s", s->net->name, error);
	return 0;
}

static int
record_unknown(struct run *r, struct xpost_session *s,
	       const struct crosspost_item *item, const char *key,
	       const char *error)
{
	struct report_pos pos = { item->key, 0, 0 };

	if (ledger_append(r, s->net->name, item->key, "unknown", key, NULL,
			  NULL, error) != 0)
		return -1;
	if (store_outbox_unknown(r->st, item->key, s->net->name, error,
				 r->now) != 0)
		return -1;
	r->stats.unknown++;
	r->has_failed = true;
	report_error(r->rep, &pos,
		     "%s: cannot tell whether it was posted: %s", s->net->name,
		     error);
	report_hint(r->rep, "look at the account on %s: it is not sent "
			    "again automatically; 'curator crosspost' checks "
			    "it again at every run",
		    s->net->name);
	return 0;
}

static void
report_stop(struct run *r, struct xpost_session *s, enum xpost_status st,
	    const char *error)
{
	struct report_pos pos = { s->net->name, 0, 0 };
	const char *env = s->net->secret_env(r->cfg);

	r->stats.stopped++;
	r->has_failed = true;
	if (st == XPOST_AUTH) {
		report_error(r->rep, &pos, "refused the credentials: %s",
			     error);
		report_hint(r->rep, "renew the token in the environment "
				    "variable %s (%s in curator.yaml)",
			    env ? env : "?", s->net->secret_key);
	} else if (st == XPOST_UNREACHABLE) {
		report_error(r->rep, &pos, "stopped for this run: %s", error);
		report_hint(r->rep, "check the machine's network and "
				    "crosspost.%s in curator.yaml",
			    s->net->name);
	} else {
		report_error(r->rep, &pos, "stopped for this run: %s", error);
		report_hint(r->rep, "the network asks to wait; run 'curator "
				    "crosspost' again later");
	}
}

/* How long a 429 asks to wait, or -1 when too long or not said. */
static long
rate_wait(const struct xpost_answer *a)
{
	if (a->retry_after < 0 || a->retry_after > MAX_WAIT_S)
		return -1;
	return a->retry_after;
}

/* ------------------------------------------------------------ posting */

static void
print_dry_run(struct run *r, struct xpost_session *s,
	      const struct xpost_post *post)
{
	char *payload = json_dumps(post->payload, JSON_INDENT(2) |
							  JSON_PRESERVE_ORDER);
	struct buf clean = BUF_INIT;

	fprintf(r->opts->out, "== %s: %s (%zu of %zu %s)\n", s->net->name,
		post->item->key, post->length, post->max_length, post->unit);
	fprintf(r->opts->out, "%s\n-- %s\n", post->text.ptr, post->endpoint);
	if (payload)
		redact(&clean, payload, strlen(payload), r->rep->secrets,
		       r->rep->nsecrets);
	fprintf(r->opts->out, "%s\n\n", clean.ptr);
	buf_release(&clean);
	free(payload);
}

/*
 * Posts item on s's network: from pending or failed with a new key, or,
 * for an entry left `sending` (a crash, a failed request), after asking
 * the network whether the post exists.
 */
static enum outcome
post_item(struct run *r, struct xpost_session *s,
	  const struct crosspost_item *item, enum store_outbox_state state)
{
	struct xpost_post post;
	struct xpost_answer a;
	struct store_outbox_entry e;
	enum xpost_status st;
	enum outcome outcome = OUTCOME_ERROR;
	char key[64];
	char *error = NULL;
	bool need_check = state == STORE_OUTBOX_SENDING;
	bool is_resend = false;
	int retries = 0, waits = 0;

	xpost_post_init(&post);
	xpost_answer_init(&a);
	memset(&e, 0, sizeof(e));
	key[0] = '\0';
	post.item = item;
	if (s->net->compose(s, &post) != 0) {
		r->stats.failed++;
		r->has_failed = true;
		outcome = OUTCOME_DONE;
		goto out;
	}
	if (r->opts->is_dry_run) {
		print_dry_run(r, s, &post);
		outcome = OUTCOME_DONE;
		goto out;
	}
	for (;;) {
		xpost_answer_clear(&a);
		free(error);
		error = NULL;
		if (need_check) {
			store_outbox_entry_release(&e);
			if (store_outbox_get(r->st, item->key, s->net->name,
					     &e) != 1)
				goto out;
			snprintf(key, sizeof(key), "%s",
				 e.send_key ? e.send_key : "");
			st = s->net->check(s, &post, &e, &a);
			error = clean_error(r, &a.error);
			if (st == XPOST_DONE) {
				if (record_sent(r, s, item, key, &a, true))
					goto out;
				break;
			}
			if (st == XPOST_ABSENT || st == XPOST_RESEND) {
				is_resend = true;
			} else if (st == XPOST_AUTH ||
				   st == XPOST_UNREACHABLE ||
				   (st == XPOST_RATE_LIMITED &&
				    rate_wait(&a) < 0)) {
				/* it stays `sending`: checked next run */
				report_stop(r, s, st, error);
				outcome = OUTCOME_STOP;
				goto out;
			} else if (st == XPOST_RATE_LIMITED &&
				   waits++ < MAX_RETRIES) {
				sleep_ms(rate_wait(&a) * 1000);
				continue;
			} else if (retries < MAX_RETRIES) {
				sleep_ms(r->timing.backoff_ms << retries);
				retries++;
				continue;
			} else {
				if (record_unknown(r, s, item, key, error))
					goto out;
				break;
			}
		}
		if (!is_resend)
			s->net->new_key(key);
		/* the intent reaches the disk before the request leaves */
		if (ledger_append(r, s->net->name, item->key, "sending", key,
				  NULL, NULL, NULL) != 0 ||
		    store_outbox_sending(r->st, item->key, s->net->name, key,
					 r->now) != 0)
			goto out;
		xpost_answer_clear(&a);
		st = s->net->send(s, &post, key, &a);
		free(error);
		error = clean_error(r, &a.error);
		if (st == XPOST_DONE) {
			if (record_sent(r, s, item, key, &a, false))
				goto out;
			break;
		}
		if (st == XPOST_REJECTED) {
			if (record_failed(r, s, item, key, error))
				goto out;
			break;
		}
		if (st == XPOST_AUTH || st == XPOST_UNREACHABLE ||
		    (st == XPOST_RATE_LIMITED &&
		     (rate_wait(&a) < 0 || waits >= MAX_RETRIES))) {
			/* refused before anything was posted */
			if (ledger_append(r, s->net->name, item->key, "failed",
					  key, NULL, NULL, error) != 0 ||
			    store_outbox_failed(r->st, item->key, s->net->name,
						error, r->now) != 0)
				goto out;
			report_stop(r, s, st, error);
			outcome = OUTCOME_STOP;
			goto out;
		}
		if (st == XPOST_RATE_LIMITED) {
			/* not posted: the same key goes again */
			waits++;
			sleep_ms(rate_wait(&a) * 1000);
			is_resend = true;
			need_check = false;
			continue;
		}
		/* a 5xx, a timeout, a reset: it may be posted; ask first */
		if (retries >= MAX_RETRIES) {
			need_check = true;
			retries++;
			/* one last check decides between sent and unknown */
			store_outbox_entry_release(&e);
			if (store_outbox_get(r->st, item->key, s->net->name,
					     &e) != 1)
				goto out;
			xpost_answer_clear(&a);
			st = s->net->check(s, &post, &e, &a);
			if (st == XPOST_DONE) {
				if (record_sent(r, s, item, key, &a, true))
					goto out;
			} else if (record_unknown(r, s, item, key, error)) {
				goto out;
			}
			break;
		}
		report_warn(r->rep, NULL, "%s: %s: %s; checking before "
					  "trying again",
			    s->net->name, item->key, error);
		sleep_ms(r->timing.backoff_ms << retries);
		retries++;
		need_check = true;
	}
	outcome = OUTCOME_DONE;
out:
	free(error);
	store_outbox_entry_release(&e);
	xpost_answer_release(&a);
	xpost_post_release(&post);
	return outcome;
}

/* Entries left `unknown`: a check may now decide them (never a resend). */
static enum outcome
recheck_unknown(struct run *r, struct xpost_session *s,
		const struct store_outbox_entry *e)
{
	const struct crosspost_item *item = find_item(r, e->item_key);
	struct report_pos pos = { e->item_key, 0, 0 };
	struct xpost_post post;
	struct xpost_answer a;
	enum xpost_status st;
	enum outcome outcome = OUTCOME_DONE;
	char *error = NULL;

	xpost_post_init(&post);
	xpost_answer_init(&a);
	post.item = item;
	if (!item || s->net->compose(s, &post) != 0) {
		r->stats.unknown++;
		r->has_failed = true;
		report_error(r->rep, &pos, "%s: still unknown (no longer in "
					   "the site)",
			     s->net->name);
		goto out;
	}
	st = s->net->check(s, &post, e, &a);
	if (st == XPOST_RESEND && e->send_key) {
		/* the server still holds the key: sending again with it
		 * cannot make a second post (the key is in the outbox) */
		xpost_answer_clear(&a);
		if (ledger_append(r, s->net->name, item->key, "sending",
				  e->send_key, NULL, NULL, NULL) != 0) {
			outcome = OUTCOME_ERROR;
			goto out;
		}
		st = s->net->send(s, &post, e->send_key, &a);
		if (st == XPOST_DONE) {
			if (record_sent(r, s, item, e->send_key, &a, false))
				outcome = OUTCOME_ERROR;
			goto out;
		}
	}
	error = clean_error(r, &a.error);
	if (st == XPOST_DONE) {
		if (record_sent(r, s, item, e->send_key, &a, true) != 0)
			outcome = OUTCOME_ERROR;
	} else if (st == XPOST_ABSENT) {
		/* decided: not posted; sent below like any failed entry */
		if (ledger_append(r, s->net->name, item->key, "failed",
				  e->send_key, NULL, NULL,
				  "checked: not posted") != 0 ||
		    store_outbox_failed(r->st, item->key, s->net->name,
					"checked: not posted", r->now) != 0)
			outcome = OUTCOME_ERROR;
	} else if (st == XPOST_AUTH || st == XPOST_UNREACHABLE) {
		report_stop(r, s, st, error);
		outcome = OUTCOME_STOP;
	} else {
		r->stats.unknown++;
		r->has_failed = true;
		report_error(r->rep, &pos,
			     "%s: still cannot tell whether it was posted%s%s",
			     s->net->name, error[0] ? ": " : "", error);
		report_hint(r->rep, "look at the account; 'curator crosspost' "
				    "never sends it again by itself");
	}
out:
	free(error);
	xpost_answer_release(&a);
	xpost_post_release(&post);
	return outcome;
}

/* ----------------------------------------------------------- networks */

static bool
is_enabled(const struct config *cfg, const struct xpost_network *net)
{
	return net->secret_env(cfg) != NULL;
}

static int
open_session(struct run *r, const struct xpost_network *net,
	     struct xpost_session *s)
{
	struct report_pos pos = { net->secret_key, 0, 0 };
	const char *env = net->secret_env(r->cfg);
	const char *value;
	enum xpost_status st;

	memset(s, 0, sizeof(*s));
	s->rep = r->rep;
	s->cfg = r->cfg;
	s->net = net;
	s->http = &r->http;
	s->site_dir = r->opts->site_dir;
	s->is_dry_run = r->opts->is_dry_run;
	s->now = r->now;
	xpost_answer_init(&s->answer);
	if (xpost_load_template(s) != 0)
		return -1;
	if (!s->is_dry_run) {
		value = getenv(env);
		if (!value || !*value) {
			report_error(r->rep, &pos,
				     "the environment variable %s is not set",
				     env);
			report_hint(r->rep, "export %s with the secret of the "
					    "library's %s account",
				    env, net->name);
			return -1;
		}
		report_add_secret(r->rep, value);
		s->token = xstrdup(value);
	}
	st = net->open(s);
	if (st != XPOST_DONE) {
		value = clean_error(r, &s->answer.error);
		if (st == XPOST_AUTH || st == XPOST_RATE_LIMITED ||
		    st == XPOST_UNREACHABLE) {
			report_stop(r, s, st, value);
		} else {
			pos.file = net->name;
			report_error(r->rep, &pos, "cannot start: %s", value);
			report_hint(r->rep, "check crosspost.%s in "
					    "curator.yaml and the network",
				    net->name);
		}
		free((char *)value);
		return -1;
	}
	return 0;
}

static void
close_session(struct xpost_session *s)
{
	if (s->net && s->net->close)
		s->net->close(s);
	tmpl_set_free(s->templates);
	xpost_answer_release(&s->answer);
	free(s->token);
	memset(s, 0, sizeof(*s));
}

static int
run_network(struct run *r, const struct xpost_network *net)
{
	struct xpost_session s;
	struct store_outbox_entry *entries = NULL, e;
	const struct crosspost_item *item;
	int64_t since, configured;
	size_t nentries = 0, i, k;
	long posted = 0;
	enum outcome oc = OUTCOME_DONE;
	int found, rc = -1;

	memset(&e, 0, sizeof(e));
	if (open_session(r, net, &s) != 0) {
		r->has_failed = true;
		goto out;
	}
	/* never the back catalogue: items from `since` and from the day the
	 * network was first used here */
	configured = configured_since(r, net->name);
	if (!configured) {
		configured = r->now;
		if (!r->opts->is_dry_run &&
		    ledger_append(r, net->name, NULL, "configured", NULL, NULL,
				  NULL, NULL) != 0)
			goto out;
	}
	since = configured - configured % 86400;
	if (r->cfg->crosspost.has_since && r->cfg->crosspost.since > since)
		since = r->cfg->crosspost.since;
	if (!r->opts->is_dry_run) {
		/* first what a crash or a failure left undecided */
		if (store_outbox_list(r->st, STORE_OUTBOX_SENDING, &entries,
				      &nentries) != 0)
			goto out;
		for (i = 0; i < nentries && oc == OUTCOME_DONE; i++) {
			if (strcmp(entries[i].network, net->name) != 0)
				continue;
			item = find_item(r, entries[i].item_key);
			if (!item) {
				struct report_pos pos = { entries[i].item_key,
							  0, 0 };
				report_warn(r->rep, &pos,
					    "%s: left being sent, and no "
					    "longer in the site",
					    net->name);
				continue;
			}
			oc = post_item(r, &s, item, STORE_OUTBOX_SENDING);
		}
		store_outbox_free(entries, nentries);
		entries = NULL;
		if (store_outbox_list(r->st, STORE_OUTBOX_UNKNOWN, &entries,
				      &nentries) != 0)
			goto out;
		for (i = 0; i < nentries && oc == OUTCOME_DONE; i++)
			if (strcmp(entries[i].network, net->name) == 0)
				oc = recheck_unknown(r, &s, &entries[i]);
	}
	/* then the new items, oldest first */
	for (k = r->nitems; k > 0 && oc == OUTCOME_DONE; k--) {
		item = &r->items[k - 1];
		if (item->date < since)
			continue;
		if (r->opts->limit >= 0 && posted >= r->opts->limit)
			break;
		store_outbox_entry_release(&e);
		found = store_outbox_get(r->st, item->key, net->name, &e);
		if (found < 0)
			goto out;
		if (found && e.state != STORE_OUTBOX_PENDING &&
		    e.state != STORE_OUTBOX_FAILED)
			continue;
		if (!found && !r->opts->is_dry_run &&
		    store_outbox_add(r->st, item->key, net->name, r->now,
				     NULL) != 0)
			goto out;
		posted++;
		oc = post_item(r, &s, item,
			       found ? e.state : STORE_OUTBOX_PENDING);
	}
	rc = oc == OUTCOME_ERROR ? -1 : 0;
	if (oc == OUTCOME_ERROR)
		r->has_failed = true;
out:
	store_outbox_entry_release(&e);
	store_outbox_free(entries, nentries);
	close_session(&s);
	return rc;
}

int
crosspost_run(struct report *rep, const struct config *cfg,
	      const struct crosspost_options *opts,
	      const struct crosspost_item *items, size_t nitems,
	      struct crosspost_stats *stats)
{
	struct report_pos pos = { "crosspost", 0, 0 };
	struct store_lock *lock = NULL;
	struct run r;
	struct buf path = BUF_INIT;
	size_t i, nrun = 0;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.rep = rep;
	r.cfg = cfg;
	r.opts = opts;
	r.items = items;
	r.nitems = nitems;
	r.ledger_fd = -1;
	r.now = (int64_t)time(NULL);
	read_timing(&r.timing);
	r.http.site_url = cfg->url;
	r.http.timeout = r.timing.timeout_s;
	r.http.connect_timeout = r.timing.timeout_s;
	r.http.low_speed_time = r.timing.timeout_s;
	r.http.max_body = (size_t)8 << 20;
	r.http.proxy = cfg->fetch.proxy;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (http_options_from_env(rep, &r.http) != 0)
		goto out;
	buf_addf(&path, "%s/%s", opts->site_dir, CROSSPOST_LEDGER);
	r.ledger_path = buf_detach(&path, NULL);
	if (!opts->is_locked) {
		lock = store_lock(rep, opts->site_dir, 0);
		if (!lock)
			goto out;
	}
	r.st = store_open(rep, opts->site_dir);
	if (!r.st)
		goto out;
	if (ledger_read(&r) != 0)
		goto out;
	if (!opts->is_dry_run && ledger_import(&r) != 0)
		goto out;
	for (i = 0; i < crosspost_nnetworks; i++) {
		if (opts->network &&
		    strcmp(opts->network, networks[i]->name) != 0)
			continue;
		if (!is_enabled(cfg, networks[i]))
			continue;
		nrun++;
		if (run_network(&r, networks[i]) != 0 && r.st == NULL)
			break;
	}
	if (opts->network && nrun == 0) {
		report_error(rep, &pos, "crosspost.%s is not configured",
			     opts->network);
		report_hint(rep, "add it under crosspost: in curator.yaml");
		goto out;
	}
	if (nrun == 0)
		fprintf(opts->out, "crosspost: no network is configured\n");
	rc = r.has_failed ? -1 : 0;
out:
	if (stats)
		*stats = r.stats;
	if (r.ledger_fd >= 0 && close(r.ledger_fd) != 0 && rc == 0)
		rc = report_error(rep, &pos, "cannot close %s",
				  CROSSPOST_LEDGER);
	for (i = 0; i < r.nlines; i++)
		ledger_line_release(&r.lines[i]);
	free(r.lines);
	free(r.ledger_path);
	buf_release(&path);
	store_close(r.st);
	store_unlock(lock);
	http_options_release(&r.http);
	return rc;
}
