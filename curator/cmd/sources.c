/*
 * curator sources add|remove|import|export|list
 *
 * Edits feeds/sources.opml (atomically, keeping what curator does not
 * understand) and keeps the store's sources in step with it.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/date.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "store/store.h"

const char cmd_sources_usage[] =
	"usage: curator sources add URL [--topic T]... [--title TEXT]\n"
	"   or: curator sources remove URL\n"
	"   or: curator sources import FILE.opml [--topic T]...\n"
	"   or: curator sources export\n"
	"   or: curator sources list [--json]\n"
	"\n"
	"Manages the subscriptions in feeds/sources.opml.\n"
	"\n"
	"  add URL      subscribe to a feed. URL may also be a web page: its\n"
	"               advertised feed (<link rel=\"alternate\">) is used; when\n"
	"               the page advertises several, they are listed and you\n"
	"               run the command again with one of them. A URL already\n"
	"               subscribed is left as it is (its new topics are added)\n"
	"               and the command succeeds.\n"
	"     --topic T    put its items in topic T (a slug of curator.yaml);\n"
	"                  may be repeated\n"
	"     --title TEXT the name shown for it (default: the feed's title)\n"
	"  remove URL   unsubscribe; its items not picked by a librarian go\n"
	"  import FILE  add the subscriptions of another OPML file, skipping\n"
	"               those already there (same normalized URL) and local\n"
	"               files; --topic adds topics to every imported one\n"
	"  export       print the subscriptions as OPML 2.0\n"
	"  list         the health of each subscription: last fetch, HTTP\n"
	"               status, items, consecutive failures, last error and\n"
	"               next fetch; --json for scripts\n";

static void
print_time(FILE *fp, int64_t t)
{
	char s[DATE_RFC3339_SIZE];

	if (!t) {
		fputs("never", fp);
		return;
	}
	date_format_rfc3339(t, s);
	fputs(s, fp);
}

/* Checks every --topic against curator.yaml. */
static int
check_topics(struct cmd_context *ctx, const struct config *cfg,
	     char *const *topics, size_t ntopics)
{
	struct buf known = BUF_INIT;
	size_t i;

	for (i = 0; i < ntopics; i++) {
		if (config_topic(cfg, topics[i]))
			continue;
		for (size_t j = 0; j < cfg->ntopics; j++)
			buf_addf(&known, "%s%s", j ? ", " : "",
				 cfg->topics[j].slug);
		report_error(ctx->rep, NULL, "unknown topic '%s'", topics[i]);
		if (known.len)
			report_hint(ctx->rep, "the topics of curator.yaml are: %s",
				    known.ptr);
		else
			report_hint(ctx->rep, "curator.yaml has no topics yet; "
					      "add one under 'topics:'");
		buf_release(&known);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------- fetching one */

struct one {
	int rc;
	bool is_local;
	struct buf error;
	struct http_response resp;
};

static void
on_one(const struct fetch_request *req, struct fetch_result *res, void *ctx)
{
	struct one *o = ctx;
	struct http_response *r = res->resp;

	(void)req;
	o->rc = res->rc;
	o->is_local = res->is_local;
	if (res->rc != 0)
		buf_adds(&o->error, res->error);
	o->resp.status = r->status;
	buf_add(&o->resp.body, r->body.ptr, r->body.len);
	o->resp.content_type = r->content_type ? xstrdup(r->content_type)
					       : NULL;
	o->resp.charset = r->charset ? xstrdup(r->charset) : NULL;
	o->resp.effective_url = r->effective_url ? xstrdup(r->effective_url)
						 : NULL;
	o->resp.moved_to = r->moved_to ? xstrdup(r->moved_to) : NULL;
}

/* Fetches url (http(s), or a local file the user named). Returns 0 with
 * an HTTP 200 answer in o->resp, else -1 after reporting. */
static int
fetch_one(struct cmd_context *ctx, const struct cmd_site *site,
	  const char *url, struct one *o)
{
	struct http_options hopts;
	const char **private_list = NULL;
	struct fetch_options fo = { 0 };
	struct fetch_request req = { url, NULL, NULL, NULL };
	struct report_pos pos = { url, 0, 0 };
	int rc = -1;

	o->rc = -1;
	buf_init(&o->error, 0);
	http_response_init(&o->resp);
	if (cmd_site_http_options(ctx, site, &hopts, &private_list) != 0)
		goto out;
	fo.http = &hopts;
	fo.jobs = 1;
	fo.local_dir = ctx->dir;
	fo.on_done = on_one;
	fo.ctx = o;
	if (fetch_run(ctx->rep, &fo, &req, 1) != 0)
		goto out;
	if (o->rc != 0) {
		report_error(ctx->rep, &pos, "%s", o->error.ptr);
		goto out;
	}
	if (o->resp.status != 200) {
		report_error(ctx->rep, &pos, "HTTP %ld", o->resp.status);
		report_hint(ctx->rep, "check the URL in a browser");
		goto out;
	}
	rc = 0;
out:
	http_options_release(&hopts);
	free(private_list);
	return rc;
}

static void
one_release(struct one *o)
{
	buf_release(&o->error);
	http_response_release(&o->resp);
}

static int
count_item(const struct feed_item *item, void *ctx)
{
	(void)item;
	(*(size_t *)ctx)++;
	return 0;
}

/* Parses o's body as a feed. Returns 0 (info filled), or -1 with the
 * parser's messages in collect. */
static int
parse_feed(const char *url, struct one *o, struct report *collect,
	   struct feed_info *info, size_t *nitems)
{
	struct feed_options fo = { 0 };
	struct feed_memory_reader mem;
	struct feed_input in;

	fo.name = url;
	fo.base_url = o->resp.effective_url ? o->resp.effective_url : url;
	fo.http_charset = o->resp.charset;
	feed_input_from_memory(&in, &mem, o->resp.body.ptr, o->resp.body.len);
	*nitems = 0;
	return feed_parse(collect, &fo, &in, count_item, nitems, info);
}

static bool
looks_like_html(const struct one *o, const struct report *collect)
{
	const char *t = o->resp.content_type;

	if (t && (strcmp(t, "text/html") == 0 ||
		  strcmp(t, "application/xhtml+xml") == 0))
		return true;
	return strstr(collect->collected.ptr, "looks like HTML") != NULL;
}

/* Replays the collected messages to the real reporter. */
static void
replay(struct cmd_context *ctx, const struct report *collect)
{
	const char *p = collect->collected.ptr, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (strncmp(p, "error: ", 7) == 0)
			report_error(ctx->rep, NULL, "%.*s", (int)(nl - p - 7),
				     p + 7);
		else if (strncmp(p, "hint: ", 6) == 0)
			report_hint(ctx->rep, "%.*s", (int)(nl - p - 6), p + 6);
		else if (strncmp(p, "warning: ", 9) == 0)
			report_warn(ctx->rep, NULL, "%.*s", (int)(nl - p - 9),
				    p + 9);
		p = *nl ? nl + 1 : nl;
	}
}

/*
 * Finds the feed behind url: url itself when it is a feed, else the one
 * feed its page advertises. Sets *feed_url (caller frees) and fills info.
 * Returns 0, or -1 after reporting (not a feed, no feed or several feeds
 * on the page: they are listed).
 */
static int
discover(struct cmd_context *ctx, const struct cmd_site *site,
	 const char *url, char **feed_url, struct feed_info *info)
{
	struct one o, o2;
	struct report collect;
	struct page_meta meta = { 0 };
	struct report_pos pos = { url, 0, 0 };
	size_t nitems, i;
	bool has_o2 = false;
	int rc = -1;

	*feed_url = NULL;
	report_init_collect(&collect);
	if (fetch_one(ctx, site, url, &o) != 0)
		goto out;
	if (parse_feed(url, &o, &collect, info, &nitems) == 0) {
		*feed_url = xstrdup(o.resp.moved_to ? o.resp.moved_to : url);
		rc = 0;
		goto out;
	}
	if (!looks_like_html(&o, &collect)) {
		replay(ctx, &collect);
		goto out;
	}
	page_meta_parse(o.resp.body.ptr, o.resp.body.len, o.resp.charset,
			o.resp.effective_url ? o.resp.effective_url : url,
			&meta);
	if (meta.nfeeds == 0) {
		report_error(ctx->rep, &pos, "a web page that advertises no "
					     "feed");
		report_hint(ctx->rep, "look on the page for an RSS or Atom "
				      "link and add that address");
		goto out;
	}
	if (meta.nfeeds > 1) {
		report_error(ctx->rep, &pos,
			     "the page advertises %zu feeds; choose one",
			     meta.nfeeds);
		for (i = 0; i < meta.nfeeds; i++)
			report_hint(ctx->rep, "curator sources add %s%s%s%s",
				    meta.feeds[i].url,
				    meta.feeds[i].title ? "   (" : "",
				    meta.feeds[i].title ? meta.feeds[i].title
							: "",
				    meta.feeds[i].title ? ")" : "");
		goto out;
	}
	/* NOTE: page_meta keeps only http(s) feed links, so a page cannot
	 * make curator read a local file. */
	feed_info_release(info);
	report_release(&collect);
	report_init_collect(&collect);
	has_o2 = true;
	if (fetch_one(ctx, site, meta.feeds[0].url, &o2) != 0)
		goto out;
	if (parse_feed(meta.feeds[0].url, &o2, &collect, info, &nitems) != 0) {
		replay(ctx, &collect);
		goto out;
	}
	*feed_url = xstrdup(o2.resp.moved_to ? o2.resp.moved_to
					     : meta.feeds[0].url);
	rc = 0;
out:
	page_meta_release(&meta);
	one_release(&o);
	if (has_o2)
		one_release(&o2);
	report_release(&collect);
	return rc;
}

/* Writes an OPML source's fields into the store. */
static int
upsert(struct cmd_site *site, const char *url, const char *title,
       const char *html_url, char *const *topics, size_t ntopics,
       int64_t now)
{
	struct store_source s = { 0 };
	struct buf t = BUF_INIT;
	int64_t id;
	size_t i;
	int rc;

	for (i = 0; i < ntopics; i++)
		buf_addf(&t, "%s%s", i ? "," : "", topics[i]);
	s.url = (char *)url;
	s.title = (char *)title;
	s.html_url = (char *)html_url;
	s.topics = t.len ? t.ptr : NULL;
	rc = store_source_upsert(site->store, &s, now, &id);
	buf_release(&t);
	return rc;
}

static int
sources_add(struct cmd_context *ctx, const char *url, char **topics,
	    size_t ntopics, const char *title)
{
	struct cmd_site site;
	struct feed_info info = { 0 };
	struct store_source existing = { 0 };
	const struct opml_source *srcs;
	char *feed_url = NULL;
	int64_t now = (int64_t)time(NULL);
	long index;
	size_t n;
	int rc = EXIT_FAILURE_, found;

	if (cmd_site_open(ctx, &site) != 0)
		return EXIT_FAILURE_;
	if (check_topics(ctx, site.cfg, topics, ntopics) != 0)
		goto out;
	index = opml_find(site.opml, url);
	if (index < 0) {
		if (discover(ctx, &site, url, &feed_url, &info) != 0)
			goto out;
		index = opml_find(site.opml, feed_url);
	}
	if (index >= 0) {
		srcs = opml_sources(site.opml, &n);
		opml_add_topics(site.opml, index, (const char *const *)topics,
				ntopics);
		if (ntopics)
			site.is_opml_changed = true;
		srcs = opml_sources(site.opml, &n);
		found = store_source_find(site.store, srcs[index].xml_url,
					  &existing);
		if (found == 1 && existing.is_gone &&
		    store_source_reset(site.store, existing.id) != 0)
			goto out;
		if (found == 1)
			store_source_release(&existing);
		if (upsert(&site, srcs[index].xml_url, srcs[index].title,
			   srcs[index].html_url, srcs[index].topics,
			   srcs[index].ntopics, now) != 0)
			goto out;
		printf("already subscribed: %s\n", srcs[index].xml_url);
		rc = EXIT_OK;
		goto out;
	}
	if (!title)
		title = info.title;
	opml_add(site.opml, feed_url, info.url, title,
		 (const char *const *)topics, ntopics);
	site.is_opml_changed = true;
	if (upsert(&site, feed_url, title, info.url, topics, ntopics, now) !=
	    0)
		goto out;
	printf("added: %s%s%s%s\n", feed_url, title ? " (" : "",
	       title ? title : "", title ? ")" : "");
	rc = EXIT_OK;
out:
	if (cmd_site_close(ctx, &site) != 0)
		rc = EXIT_FAILURE_;
	free(feed_url);
	feed_info_release(&info);
	return rc;
}

static int
sources_remove(struct cmd_context *ctx, const char *url)
{
	struct cmd_site site;
	const struct opml_source *srcs;
	char *stored = NULL;
	long index;
	size_t n;
	int rc = EXIT_FAILURE_;

	if (cmd_site_open(ctx, &site) != 0)
		return EXIT_FAILURE_;
	index = opml_find(site.opml, url);
	if (index < 0) {
		report_error(ctx->rep, NULL, "not a subscription: '%s'", url);
		report_hint(ctx->rep, "see the subscriptions with 'curator "
				      "sources list'");
		goto out;
	}
	srcs = opml_sources(site.opml, &n);
	stored = xstrdup(srcs[index].xml_url);
	if (store_source_remove(site.store, stored) < 0)
		goto out;
	opml_remove(site.opml, stored);
	site.is_opml_changed = true;
	printf("removed: %s\n", stored);
	rc = EXIT_OK;
out:
	if (cmd_site_close(ctx, &site) != 0)
		rc = EXIT_FAILURE_;
	free(stored);
	return rc;
}

static int
sources_import(struct cmd_context *ctx, const char *file, char **topics,
	       size_t ntopics)
{
	struct cmd_site site;
	struct buf data = BUF_INIT;
	struct opml *in = NULL;
	const struct opml_source *srcs, *added;
	struct report_pos pos = { file, 0, 0 };
	size_t i, n, nadded = 0, nskipped = 0, nlocal = 0, m;
	int64_t now = (int64_t)time(NULL);
	int rc = EXIT_FAILURE_;

	if (cmd_site_open(ctx, &site) != 0)
		return EXIT_FAILURE_;
	if (check_topics(ctx, site.cfg, topics, ntopics) != 0)
		goto out;
	if (file_read(ctx->rep, file, 16u << 20, &data) != 0)
		goto out;
	in = opml_parse(ctx->rep, file, data.ptr, data.len);
	if (!in)
		goto out;
	srcs = opml_sources(in, &n);
	for (i = 0; i < n; i++) {
		/* issue 8: a file from elsewhere may not name local files */
		if (fetch_is_local(srcs[i].xml_url)) {
			report_warn(ctx->rep, &pos,
				    "skipped '%s': only http(s) feeds are "
				    "imported",
				    srcs[i].xml_url);
			nlocal++;
			continue;
		}
		if (opml_add(site.opml, srcs[i].xml_url, srcs[i].html_url,
			     srcs[i].title,
			     (const char *const *)srcs[i].topics,
			     srcs[i].ntopics) != 0) {
			nskipped++;
			continue;
		}
		added = opml_sources(site.opml, &m);
		opml_add_topics(site.opml, (long)m - 1,
				(const char *const *)topics, ntopics);
		added = opml_sources(site.opml, &m);
		if (upsert(&site, added[m - 1].xml_url, added[m - 1].title,
			   added[m - 1].html_url, added[m - 1].topics,
			   added[m - 1].ntopics, now) != 0)
			goto out;
		nadded++;
	}
	if (nadded)
		site.is_opml_changed = true;
	printf("imported %zu source%s, %zu skipped (already subscribed)",
	       nadded, nadded == 1 ? "" : "s", nskipped);
	if (nlocal)
		printf(", %zu skipped (local files)", nlocal);
	putchar('\n');
	rc = EXIT_OK;
out:
	if (cmd_site_close(ctx, &site) != 0)
		rc = EXIT_FAILURE_;
	opml_free(in);
	buf_release(&data);
	return rc;
}

static int
sources_export(struct cmd_context *ctx)
{
	struct config cfg;
	struct buf path = BUF_INIT, out = BUF_INIT;
	struct opml *opml = NULL;
	int rc = EXIT_FAILURE_;

	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	buf_addf(&path, "%s/%s", ctx->dir, CMD_SITE_OPML_PATH);
	opml = opml_load(ctx->rep, path.ptr);
	if (!opml || opml_serialize(ctx->rep, opml, &out) != 0)
		goto out;
	fwrite(out.ptr, 1, out.len, stdout);
	rc = EXIT_OK;
out:
	config_release(&cfg);
	opml_free(opml);
	buf_release(&path);
	buf_release(&out);
	return rc;
}

static const char *
state_of(const struct store_source *s, bool is_known)
{
	if (!is_known || !s->last_fetch)
		return "new";
	if (s->is_gone)
		return "gone";
	if (s->last_error)
		return "failing";
	return "ok";
}

static void
json_time(json_t *obj, const char *key, int64_t t)
{
	char s[DATE_RFC3339_SIZE];

	if (!t) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	date_format_rfc3339(t, s);
	json_object_set_new(obj, key, json_string(s));
}

static json_t *
json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
source_json(const struct opml_source *o, const struct store_source *s,
	    bool is_known)
{
	json_t *obj = json_object(), *topics = json_array();
	size_t i;

	for (i = 0; i < o->ntopics; i++)
		json_array_append_new(topics, json_string(o->topics[i]));
	json_object_set_new(obj, "url", json_string(o->xml_url));
	json_object_set_new(obj, "title", json_str(o->title));
	json_object_set_new(obj, "topics", topics);
	json_object_set_new(obj, "state", json_string(state_of(s, is_known)));
	json_time(obj, "last_fetch", is_known ? s->last_fetch : 0);
	json_object_set_new(obj, "http_status",
			    is_known && s->last_status
				    ? json_integer(s->last_status)
				    : json_null());
	json_object_set_new(obj, "items",
			    json_integer(is_known ? s->nitems : 0));
	json_object_set_new(obj, "failures",
			    json_integer(is_known ? s->failures : 0));
	json_object_set_new(obj, "last_error",
			    json_str(is_known ? s->last_error : NULL));
	if (is_known && s->is_gone)
		json_object_set_new(obj, "next_fetch", json_null());
	else
		json_time(obj, "next_fetch",
			  is_known && s->failures ? s->next_fetch : 0);
	json_object_set_new(obj, "previous_url",
			    json_str(is_known ? s->previous_url : NULL));
	return obj;
}

static void
source_text(const struct opml_source *o, const struct store_source *s,
	    bool is_known)
{
	size_t i;

	printf("%s\t%s\n", state_of(s, is_known),
	       o->title ? o->title : o->xml_url);
	printf("  url:        %s\n", o->xml_url);
	if (o->ntopics) {
		fputs("  topics:     ", stdout);
		for (i = 0; i < o->ntopics; i++)
			printf("%s%s", i ? ", " : "", o->topics[i]);
		putchar('\n');
	}
	if (!is_known || !s->last_fetch) {
		puts("  last fetch: never");
		return;
	}
	fputs("  last fetch: ", stdout);
	print_time(stdout, s->last_fetch);
	if (s->last_status)
		printf(" (HTTP %ld)", s->last_status);
	printf(", %lld item%s\n", (long long)s->nitems,
	       s->nitems == 1 ? "" : "s");
	if (s->last_error)
		printf("  error:      %s (%ld failure%s in a row)\n",
		       s->last_error, s->failures, s->failures == 1 ? "" : "s");
	if (s->is_gone) {
		puts("  next fetch: never (gone: the server answered 410)");
	} else if (s->failures || s->next_fetch > s->last_fetch) {
		fputs("  next fetch: ", stdout);
		print_time(stdout, s->next_fetch);
		putchar('\n');
	}
}

static int
sources_list(struct cmd_context *ctx, bool json)
{
	struct cmd_site site;
	const struct opml_source *srcs;
	struct store_source s;
	json_t *arr = NULL;
	size_t i, n;
	int found, rc = EXIT_FAILURE_;

	if (cmd_site_open(ctx, &site) != 0)
		return EXIT_FAILURE_;
	srcs = opml_sources(site.opml, &n);
	if (json)
		arr = json_array();
	for (i = 0; i < n; i++) {
		memset(&s, 0, sizeof(s));
		found = store_source_find(site.store, srcs[i].xml_url, &s);
		if (found < 0)
			goto out;
		if (json)
			json_array_append_new(arr, source_json(&srcs[i], &s,
							       found == 1));
		else
			source_text(&srcs[i], &s, found == 1);
		if (found == 1)
			store_source_release(&s);
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else if (n == 0) {
		puts("no subscriptions yet (add one with 'curator sources add "
		     "URL')");
	}
	rc = EXIT_OK;
out:
	json_decref(arr);
	if (cmd_site_close(ctx, &site) != 0)
		rc = EXIT_FAILURE_;
	return rc;
}

int
cmd_sources(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "title", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *title = NULL;
	char **topics = NULL;
	size_t ntopics = 0;
	bool json = false;
	int c, rc;

	if (argc < 2)
		return cmd_usage_error(ctx, "sources",
				       "expected add, remove, import, export "
				       "or list");
	sub = argv[1];
	optind = 2;
	topics = xcalloc((size_t)argc, sizeof(*topics));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			topics[ntopics++] = optarg;
			break;
		case 'T':
			title = optarg;
			break;
		case 'j':
			json = true;
			break;
		default:
			rc = cmd_usage_error(ctx, "sources", "bad option");
			goto out;
		}
	}
	if (strcmp(sub, "add") == 0 && optind == argc - 1 && !json) {
		rc = sources_add(ctx, argv[optind], topics, ntopics, title);
	} else if (strcmp(sub, "remove") == 0 && optind == argc - 1 &&
		   !ntopics && !title && !json) {
		rc = sources_remove(ctx, argv[optind]);
	} else if (strcmp(sub, "import") == 0 && optind == argc - 1 &&
		   !title && !json) {
		rc = sources_import(ctx, argv[optind], topics, ntopics);
	} else if (strcmp(sub, "export") == 0 && optind == argc && !ntopics &&
		   !title && !json) {
		rc = sources_export(ctx);
	} else if (strcmp(sub, "list") == 0 && optind == argc && !ntopics &&
		   !title) {
		rc = sources_list(ctx, json);
	} else if (strcmp(sub, "add") && strcmp(sub, "remove") &&
		   strcmp(sub, "import") && strcmp(sub, "export") &&
		   strcmp(sub, "list")) {
		rc = cmd_usage_error(ctx, "sources", "unknown subcommand '%s'",
				     sub);
	} else {
		rc = cmd_usage_error(ctx, "sources",
				     "wrong arguments for 'sources %s'", sub);
	}
out:
	free(topics);
	return rc;
}
