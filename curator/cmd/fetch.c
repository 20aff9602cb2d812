/*
 * curator fetch [--jobs N] [--only URL|TOPIC] [--force] [--json]
 *
 * Pulls every subscription that is due, concurrently, into the store, then
 * applies retention. One broken source is recorded and never stops the
 * others; the exit code says whether the run itself could happen.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "store/store.h"

const char cmd_fetch_usage[] =
	"usage: curator fetch [--jobs N] [--only URL|TOPIC] [--force] [--json]\n"
	"\n"
	"Fetches the subscriptions of feeds/sources.opml that are due, many at\n"
	"once, and stores their new items in .curator/state.db. A source that\n"
	"failed waits before the next try (1 h, 2 h, 4 h ... at most 1 day, or\n"
	"what the server asked with Retry-After); a source that answered 410\n"
	"is gone and never fetched again. Old items are then removed as\n"
	"store.keep_days and store.keep_per_source say.\n"
	"\n"
	"  --jobs N        at most N transfers at once (default: fetch.jobs in\n"
	"                  curator.yaml, 16); never more than 4 to one host\n"
	"  --only X        only the source whose URL is X, or the sources of\n"
	"                  topic X\n"
	"  --force         fetch every source now, without the cache headers\n"
	"                  and without waiting for the backoff\n"
	"  --json          print the summary as a JSON object\n"
	"\n"
	"Prints one line at the end, e.g.\n"
	"  fetched 120 sources: 37 new items, 80 not modified, 3 failed (see: "
	"curator sources list)\n"
	"Exits 0 when the run completed, even with failed sources; 1 when it\n"
	"could not run (no site, store not writable, another curator running\n"
	"in the site for more than 30 s).\n";

struct job {
	struct store_source *src;
};

struct run {
	struct cmd_context *ctx;
	struct cmd_site *site;
	int64_t now;
	bool is_tty;
	size_t total, done;
	size_t new_items, updated_items, not_modified, failed, gone;
	bool has_store_error;
	json_t *failures;          /* [{url, error}] */
};

static void
progress(struct run *r)
{
	if (!r->is_tty)
		return;
	fprintf(stderr, "\rfetching: %zu/%zu sources, %zu new items, "
			"%zu failed\033[K",
		r->done, r->total, r->new_items, r->failed);
	fflush(stderr);
}

/* Keeps the first error of a collecting reporter as "message" (without
 * "error: " and the "name: " location). */
static void
first_error(const struct report *rep, const char *name, struct buf *out)
{
	const char *msg = rep->collected.ptr, *nl;
	size_t nlen = strlen(name);

	msg = strstr(msg, "error: ");
	if (!msg) {
		buf_adds(out, "unknown error");
		return;
	}
	msg += 7;
	if (strncmp(msg, name, nlen) == 0 && msg[nlen] == ':' &&
	    msg[nlen + 1] == ' ')
		msg += nlen + 2;
	nl = strchr(msg, '\n');
	buf_add(out, msg, nl ? (size_t)(nl - msg) : strlen(msg));
}

struct put_state {
	struct run *r;
	int64_t source_id;
	struct store_put_stats stats;
	bool has_error;
};

static int
on_item(const struct feed_item *item, void *ctx)
{
	struct put_state *ps = ctx;

	if (store_item_put(ps->r->site->store, ps->source_id, item,
			   ps->r->now, &ps->stats) != 0) {
		ps->has_error = true;
		return 1;
	}
	return 0;
}

/* Parses the body and writes the items and the outcome in one
 * transaction. Returns 0, or -1 with error set when the body is not a
 * feed (nothing written then), or -2 on a store error (reported). */
static int
store_feed(struct run *r, const struct job *job, struct http_response *resp,
	   struct store_fetch_result *res, struct buf *error)
{
	struct put_state ps = { r, job->src->id, { 0 }, false };
	struct feed_options fo = { 0 };
	struct feed_info info = { 0 };
	struct feed_memory_reader mem;
	struct feed_input in;
	struct report collect;
	int rc = -1;

	report_init_collect(&collect);
	fo.name = job->src->url;
	fo.base_url = resp->effective_url ? resp->effective_url
					  : job->src->url;
	fo.http_charset = resp->charset;
	feed_input_from_memory(&in, &mem, resp->body.ptr, resp->body.len);
	if (store_begin(r->site->store) != 0) {
		rc = -2;
		goto out;
	}
	if (feed_parse(&collect, &fo, &in, on_item, &ps, &info) != 0 &&
	    !ps.has_error) {
		store_rollback(r->site->store);
		first_error(&collect, fo.name, error);
		goto out;
	}
	if (ps.has_error ||
	    store_source_record_fetch(r->site->store, job->src->id, res,
				      r->now) != 0) {
		store_rollback(r->site->store);
		rc = -2;
		goto out;
	}
	if (store_commit(r->site->store) != 0) {
		rc = -2;
		goto out;
	}
	r->new_items += ps.stats.added;
	r->updated_items += ps.stats.updated;
	rc = 0;
out:
	feed_info_release(&info);
	report_release(&collect);
	return rc;
}

/* Whether moved_to may become the source's URL: not another source's. */
static bool
may_move(struct run *r, const struct job *job, const char *moved_to)
{
	struct store_source other = { 0 };
	int found;

	if (!moved_to || strcmp(moved_to, job->src->url) == 0)
		return false;
	found = store_source_find(r->site->store, moved_to, &other);
	if (found == 1 && other.id != job->src->id) {
		struct report_pos pos = { job->src->url, 0, 0 };

		report_warn(r->ctx->rep, &pos,
			    "moved permanently to '%s', which is already "
			    "another subscription",
			    moved_to);
		report_hint(r->ctx->rep,
			    "remove one of the two with 'curator sources "
			    "remove URL'");
	}
	if (found == 1)
		store_source_release(&other);
	return found == 0;
}

static void
record_failure(struct run *r, const struct job *job,
	       struct store_fetch_result *res)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "url", json_string(job->src->url));
	json_object_set_new(obj, "status", json_integer(res->http_status));
	json_object_set_new(obj, "error", json_string(res->error));
	json_array_append_new(r->failures, obj);
	if (store_source_record_fetch(r->site->store, job->src->id, res,
				      r->now) != 0)
		r->has_store_error = true;
	if (res->outcome == STORE_FETCH_GONE)
		r->gone++;
	r->failed++;
}

static void
on_done(const struct fetch_request *req, struct fetch_result *fr, void *ctx)
{
	struct run *r = ctx;
	const struct job *job = req->ctx;
	struct http_response *resp = fr->resp;
	struct store_fetch_result res = { 0 };
	struct buf error = BUF_INIT;
	long status = resp->status;
	int rc;

	r->done++;
	res.http_status = fr->is_local ? 0 : status;
	res.retry_after = -1;
	if (fr->rc != 0) {
		res.outcome = STORE_FETCH_FAILED;
		res.error = fr->error;
		record_failure(r, job, &res);
		goto out;
	}
	if (!fr->is_local && may_move(r, job, resp->moved_to) &&
	    (status == 200 || status == 304))
		res.moved_to = resp->moved_to;
	if (status == 304) {
		res.outcome = STORE_FETCH_NOT_MODIFIED;
		res.etag = resp->etag;
		res.last_modified = resp->last_modified;
		if (store_source_record_fetch(r->site->store, job->src->id,
					      &res, r->now) != 0)
			r->has_store_error = true;
		r->not_modified++;
	} else if (status == 200 || status == 203) {
		res.outcome = STORE_FETCH_OK;
		res.etag = resp->etag;
		res.last_modified = resp->last_modified;
		rc = store_feed(r, job, resp, &res, &error);
		if (rc == -1) {
			res = (struct store_fetch_result){ 0 };
			res.outcome = STORE_FETCH_FAILED;
			res.http_status = fr->is_local ? 0 : status;
			res.retry_after = -1;
			res.error = error.ptr;
			record_failure(r, job, &res);
			goto out;
		}
		if (rc == -2)
			r->has_store_error = true;
	} else {
		buf_addf(&error, "HTTP %ld", status);
		res.outcome = status == 410 ? STORE_FETCH_GONE
					    : STORE_FETCH_FAILED;
		res.error = error.ptr;
		/* RFC 6585 §4, RFC 9110 §15.6.4: the server says when */
		if (status == 429 || status == 503)
			res.retry_after = resp->retry_after;
		record_failure(r, job, &res);
		goto out;
	}
	if (res.moved_to &&
	    opml_set_url(r->site->opml, job->src->url, res.moved_to) == 0)
		r->site->is_opml_changed = true;
out:
	buf_release(&error);
	progress(r);
}

/* Copies the OPML's subscriptions into the store (title, topics, site
 * link), so that a source added by editing the file is fetched too. */
static int
sync_sources(struct run *r)
{
	const struct opml_source *srcs;
	struct store_source s;
	struct buf topics = BUF_INIT;
	size_t i, j, n;
	int64_t id;
	int rc = 0;

	srcs = opml_sources(r->site->opml, &n);
	if (store_begin(r->site->store) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		buf_clear(&topics);
		for (j = 0; j < srcs[i].ntopics; j++) {
			if (j)
				buf_addc(&topics, ',');
			buf_adds(&topics, srcs[i].topics[j]);
		}
		memset(&s, 0, sizeof(s));
		s.url = (char *)srcs[i].xml_url;
		s.title = (char *)srcs[i].title;
		s.topics = topics.len ? topics.ptr : NULL;
		s.html_url = (char *)srcs[i].html_url;
		rc = store_source_upsert(r->site->store, &s, r->now, &id);
	}
	buf_release(&topics);
	if (rc != 0) {
		store_rollback(r->site->store);
		return -1;
	}
	return store_commit(r->site->store);
}

static bool
has_topic(const struct opml_source *src, const char *topic)
{
	size_t i;

	for (i = 0; i < src->ntopics; i++)
		if (strcmp(src->topics[i], topic) == 0)
			return true;
	return false;
}

/* The due sources that are in the OPML and match --only. */
static int
select_jobs(struct run *r, const char *only, bool force,
	    struct store_source **due, size_t *ndue, struct job **jobs,
	    size_t *njobs)
{
	const struct opml_source *srcs;
	size_t i, n;
	long k, only_index = -1;
	bool is_topic = false;

	*jobs = NULL;
	*njobs = 0;
	srcs = opml_sources(r->site->opml, &n);
	if (only) {
		is_topic = config_topic(r->site->cfg, only) != NULL;
		for (i = 0; i < n && !is_topic; i++)
			is_topic = has_topic(&srcs[i], only);
		if (!is_topic)
			only_index = opml_find(r->site->opml, only);
		if (!is_topic && only_index < 0) {
			report_error(r->ctx->rep, NULL,
				     "--only '%s': no subscription has this "
				     "URL or topic",
				     only);
			report_hint(r->ctx->rep,
				    "see the subscriptions with 'curator "
				    "sources list'");
			return -1;
		}
	}
	if (store_sources_due(r->site->store, r->now, force, due, ndue) != 0)
		return -1;
	*jobs = xcalloc(*ndue ? *ndue : 1, sizeof(**jobs));
	for (i = 0; i < *ndue; i++) {
		k = opml_find(r->site->opml, (*due)[i].url);
		if (k < 0)
			continue;
		if (only && is_topic && !has_topic(&srcs[k], only))
			continue;
		if (only && !is_topic && k != only_index)
			continue;
		(*jobs)[(*njobs)++].src = &(*due)[i];
	}
	return 0;
}

static void
print_summary(struct run *r, bool json)
{
	json_t *obj;

	if (r->is_tty)
		fputs("\r\033[K", stderr);
	if (json) {
		obj = json_object();
		json_object_set_new(obj, "sources", json_integer((json_int_t)r->done));
		json_object_set_new(obj, "new_items",
				    json_integer((json_int_t)r->new_items));
		json_object_set_new(obj, "updated_items",
				    json_integer((json_int_t)r->updated_items));
		json_object_set_new(obj, "not_modified",
				    json_integer((json_int_t)r->not_modified));
		json_object_set_new(obj, "failed",
				    json_integer((json_int_t)r->failed));
		json_object_set_new(obj, "gone",
				    json_integer((json_int_t)r->gone));
		json_object_set(obj, "failures", r->failures);
		json_dumpf(obj, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(obj);
		return;
	}
	printf("fetched %zu source%s: %zu new item%s, %zu not modified, "
	       "%zu failed%s\n",
	       r->done, r->done == 1 ? "" : "s", r->new_items,
	       r->new_items == 1 ? "" : "s", r->not_modified, r->failed,
	       r->failed ? " (see: curator sources list)" : "");
}

int
cmd_fetch(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_site site;
	struct run r;
	struct http_options hopts = { 0 };
	const char **private_list = NULL;
	struct fetch_options fo = { 0 };
	struct fetch_request *reqs = NULL;
	struct store_source *due = NULL;
	struct job *jobs = NULL;
	size_t i, ndue = 0, njobs = 0, pruned = 0;
	const char *only = NULL;
	bool force = false, json = false, is_open = false;
	long jobs_opt = 0;
	char *end;
	int c, rc = EXIT_FAILURE_;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			jobs_opt = strtol(optarg, &end, 10);
			if (*end || jobs_opt < 1 || jobs_opt > 64)
				return cmd_usage_error(
					ctx, "fetch",
					"--jobs takes a number from 1 to 64");
			break;
		case 'o':
			only = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'J':
			json = true;
			break;
		default:
			return cmd_usage_error(ctx, "fetch", "bad option");
		}
	}
	if (optind != argc)
		return cmd_usage_error(ctx, "fetch", "unexpected argument '%s'",
				       argv[optind]);
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.site = &site;
	r.now = (int64_t)time(NULL);
	r.is_tty = !json && isatty(STDERR_FILENO);
	r.failures = json_array();
	if (cmd_site_open(ctx, &site) != 0)
		goto out;
	is_open = true;
	if (cmd_site_http_options(ctx, &site, &hopts, &private_list) != 0)
		goto out;
	if (sync_sources(&r) != 0)
		goto out;
	if (select_jobs(&r, only, force, &due, &ndue, &jobs, &njobs) != 0)
		goto out;
	reqs = xcalloc(njobs ? njobs : 1, sizeof(*reqs));
	for (i = 0; i < njobs; i++) {
		reqs[i].url = jobs[i].src->url;
		if (!force) {
			reqs[i].etag = jobs[i].src->etag;
			reqs[i].last_modified = jobs[i].src->last_modified;
		}
		reqs[i].ctx = &jobs[i];
	}
	r.total = njobs;
	fo.http = &hopts;
	fo.jobs = jobs_opt ? (size_t)jobs_opt : (size_t)site.cfg->fetch.jobs;
	fo.local_dir = ctx->dir;
	fo.on_done = on_done;
	fo.ctx = &r;
	progress(&r);
	if (fetch_run(ctx->rep, &fo, reqs, njobs) != 0)
		goto out;
	if (store_prune(site.store, (int)site.cfg->store.keep_days,
			(int)site.cfg->store.keep_per_source, r.now,
			&pruned) != 0)
		r.has_store_error = true;
	print_summary(&r, json);
	if (r.has_store_error) {
		report_error(ctx->rep, NULL,
			     "some results could not be written to the store");
		report_hint(ctx->rep, "check the free space and permissions "
				      "of .curator/ and run 'curator fetch' "
				      "again");
		goto out;
	}
	rc = EXIT_OK;
out:
	if (r.is_tty && rc != EXIT_OK)
		fputs("\r\033[K", stderr);
	if (is_open && cmd_site_close(ctx, &site) != 0)
		rc = EXIT_FAILURE_;
	store_sources_free(due, ndue);
	free(jobs);
	free(reqs);
	http_options_release(&hopts);
	free(private_list);
	json_decref(r.failures);
	return rc;
}
