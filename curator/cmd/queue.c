/*
 * curator queue [--topic T] [--limit N] [--json]
 * curator dismiss ID...
 *
 * The suggestion queue: the feed items no librarian has picked or
 * dismissed, ranked per topic by the curate stage. Also what queue, pick
 * and dismiss share (queue_site_open and friends, see cmd.h).
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/date.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "curate/curate.h"
#include "store/store.h"

const char cmd_queue_usage[] =
	"usage: curator queue [--topic T] [--limit N] [--json]\n"
	"\n"
	"Shows the new feed items that no librarian has picked or dismissed,\n"
	"topic by topic, best first: an item is suggested for a topic when its\n"
	"source is filed under the topic, when one of the topic's include\n"
	"keywords is in it (and none of its exclude keywords), or when it\n"
	"resembles the links librarians already filed under the topic (links/).\n"
	"Each line shows the item's ID (for 'curator pick' and 'curator\n"
	"dismiss'), its score, why it is suggested (the rule or the words that\n"
	"matched), its date, its source and its title.\n"
	"\n"
	"  --topic T   only this topic\n"
	"  --limit N   at most N items per topic (default 20, 0: all)\n"
	"  --json      print the suggestions as one JSON object\n";

const char cmd_dismiss_usage[] =
	"usage: curator dismiss ID...\n"
	"\n"
	"Hides the items from 'curator queue'. IDs are those the queue shows.\n"
	"Nothing is dismissed when one of the IDs is unknown. A picked item\n"
	"cannot be dismissed: delete its link file instead.\n";

#define QUEUE_DEFAULT_LIMIT 20
#define QUEUE_NOW_ENV "CURATOR_NOW"
/* Columns of the table (graphemes); with the spaces between them the
 * lines fit in 100 columns. */
#define COL_ID 5
#define COL_SCORE 5
#define COL_DATE 10
#define COL_SOURCE 12
#define COL_TITLE 30
#define COL_WHY 33

int64_t
queue_now(void)
{
	const char *v = getenv(QUEUE_NOW_ENV);
	int64_t t;

	if (v && *v && date_parse(v, strlen(v), &t) == 0)
		return t;
	return (int64_t)time(NULL);
}

int
queue_site_open(struct cmd_context *ctx, struct queue_site *site,
		bool is_writing)
{
	struct buf path = BUF_INIT;
	struct stat st;
	int rc = -1;

	memset(site, 0, sizeof(*site));
	if (config_load(ctx->rep, ctx->dir, &site->cfg) != 0)
		goto out;
	buf_addf(&path, "%s/.curator/state.db", ctx->dir);
	if (stat(path.ptr, &st) != 0) {
		report_error(ctx->rep, NULL, "%s: no store yet", path.ptr);
		report_hint(ctx->rep, "run 'curator fetch' first to read the "
				      "feeds");
		goto out;
	}
	if (is_writing) {
		site->lock = store_lock(ctx->rep, ctx->dir, 30);
		if (!site->lock)
			goto out;
	}
	site->store = store_open(ctx->rep, ctx->dir);
	if (!site->store)
		goto out;
	if (store_sources_list(site->store, &site->sources,
			       &site->nsources) != 0)
		goto out;
	rc = 0;
out:
	buf_release(&path);
	if (rc != 0)
		queue_site_close(site);
	return rc;
}

void
queue_site_close(struct queue_site *site)
{
	store_sources_free(site->sources, site->nsources);
	store_close(site->store);
	store_unlock(site->lock);
	config_release(&site->cfg);
	memset(site, 0, sizeof(*site));
}

const struct store_source *
queue_source(const struct queue_site *site, int64_t id)
{
	size_t i;

	for (i = 0; i < site->nsources; i++)
		if (site->sources[i].id == id)
			return &site->sources[i];
	return NULL;
}

/* Adds the comma-separated OPML categories of topics to *out (a slash
 * path counts by its last segment, as in the OPML reader). */
static void
add_categories(const char *topics, char ***out, size_t *n, size_t *cap)
{
	const char *p = topics, *end, *start, *slash;

	while (p && *p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		start = p;
		for (slash = p; slash < end; slash++)
			if (*slash == '/')
				start = slash + 1;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start) {
			*out = xgrow(*out, *n + 1, cap, sizeof(**out));
			(*out)[(*n)++] = xmemdupz(start, (size_t)(end - start));
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
}

char **
queue_item_topics(const struct queue_site *site, const struct store_item *item,
		  size_t *n)
{
	const struct store_source *src;
	char **out = NULL;
	size_t i, cap = 0;

	*n = 0;
	for (i = 0; i < item->nsources; i++) {
		src = queue_source(site, item->source_ids[i]);
		if (src && src->topics)
			add_categories(src->topics, &out, n, &cap);
	}
	return out;
}

int
queue_unknown_topic(struct cmd_context *ctx, const struct config *cfg,
		    const char *slug)
{
	struct buf names = BUF_INIT;
	size_t i;

	report_error(ctx->rep, NULL, "%s: unknown topic '%s'", cfg->file,
		     slug);
	for (i = 0; i < cfg->ntopics; i++)
		buf_addf(&names, "%s%s", i ? ", " : "", cfg->topics[i].slug);
	if (cfg->ntopics)
		report_hint(ctx->rep, "the topics are: %s", names.ptr);
	else
		report_hint(ctx->rep, "add topics to %s first", cfg->file);
	buf_release(&names);
	return EXIT_FAILURE_;
}

int
queue_parse_id(struct cmd_context *ctx, const char *command, const char *s,
	       int64_t *id)
{
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return cmd_usage_error(ctx, command, "not an item ID '%s'", s);
	*id = v;
	return EXIT_OK;
}

/* ---------------------------------------------------------------- queue */

struct queue_docs {
	struct store_item *items;   /* the queue, then the picked items */
	size_t nqueue;
	size_t nitems;
	struct site_content content; /* the tagged links */
	struct rank_doc *docs;      /* the queue, then one per link */
	size_t ndocs;
	char ***topics;             /* per queue item: its sources'
				     * categories */
	size_t *ntopics;
};

static void
queue_docs_release(struct queue_docs *q)
{
	size_t i;

	for (i = 0; i < q->nqueue; i++)
		xfree_strings(q->topics[i], q->ntopics[i]);
	free(q->topics);
	free(q->ntopics);
	free(q->docs);
	store_items_free(q->items, q->nitems);
	site_content_release(&q->content);
}

static const struct store_item *
picked_item(const struct queue_docs *q, const char *item_id)
{
	char *end;
	long long id;
	size_t i;

	if (!item_id)
		return NULL;
	id = strtoll(item_id, &end, 10);
	if (*end)
		return NULL;
	for (i = q->nqueue; i < q->nitems; i++)
		if (q->items[i].id == id)
			return &q->items[i];
	return NULL;
}

/*
 * The training examples are the tagged links (links/), each filed under
 * the topics its front matter names. A link picked from the store learns
 * from the item's summary and categories (richer than a short note); a
 * link tagged by hand from its note and tags. A links/ folder with errors
 * is reported as a warning: the queue then learns from nothing, rather
 * than failing.
 */
static void
load_links(struct cmd_context *ctx, const struct queue_site *site,
	   struct queue_docs *q)
{
	struct report collect;

	report_init_collect(&collect);
	if (curate_load(&collect, &site->cfg, ctx->dir, &q->content) != 0) {
		report_warn(ctx->rep, NULL, "links/ has errors: the ranking "
			    "ignores what was picked");
		report_hint(ctx->rep, "run 'curator check' to see them");
	}
	report_release(&collect);
}

/* Reads the queue, the picked items and the links into rank documents. */
static int
queue_docs_load(struct cmd_context *ctx, const struct queue_site *site,
		struct queue_docs *q)
{
	struct store_item_query query = { 0 };
	struct store_item *picked = NULL;
	const struct store_item *from;
	const struct link *link;
	struct rank_doc *d;
	struct feed_item *it;
	size_t i, npicked = 0;

	memset(q, 0, sizeof(*q));
	query.is_queue = true;
	if (store_items_list(site->store, &query, &q->items, &q->nqueue) != 0)
		return -1;
	query.is_queue = false;
	query.is_picked = true;
	if (store_items_list(site->store, &query, &picked, &npicked) != 0) {
		store_items_free(q->items, q->nqueue);
		q->items = NULL;
		q->nqueue = 0;
		return -1;
	}
	q->items = xrealloc(q->items,
			    (q->nqueue + npicked + 1) * sizeof(*q->items));
	if (npicked)
		memcpy(q->items + q->nqueue, picked,
		       npicked * sizeof(*picked));
	free(picked); /* the items moved into q->items */
	q->nitems = q->nqueue + npicked;
	load_links(ctx, site, q);

	q->ndocs = q->nqueue + q->content.nlinks;
	q->docs = xcalloc(q->ndocs + 1, sizeof(*q->docs));
	q->topics = xcalloc(q->nqueue + 1, sizeof(*q->topics));
	q->ntopics = xcalloc(q->nqueue + 1, sizeof(*q->ntopics));
	for (i = 0; i < q->nqueue; i++) {
		it = &q->items[i].item;
		d = &q->docs[i];
		d->id = q->items[i].id;
		d->date = it->has_published ? it->published :
					      q->items[i].first_seen;
		d->title = it->title;
		d->summary = it->summary;
		d->categories = (const char *const *)it->categories;
		d->ncategories = it->ncategories;
		q->topics[i] = queue_item_topics(site, &q->items[i],
						 &q->ntopics[i]);
		d->source_topics = (const char *const *)q->topics[i];
		d->nsource_topics = q->ntopics[i];
		d->is_candidate = true;
	}
	for (i = 0; i < q->content.nlinks; i++) {
		link = &q->content.links[i];
		d = &q->docs[q->nqueue + i];
		d->date = link->date;
		d->title = link->title;
		from = picked_item(q, link->item_id);
		if (from) {
			d->summary = from->item.summary;
			d->categories =
				(const char *const *)from->item.categories;
			d->ncategories = from->item.ncategories;
		} else {
			d->summary = link->note_text;
			d->categories = (const char *const *)link->tags;
			d->ncategories = link->ntags;
		}
	}
	return 0;
}

/* Sets picks[t] to the documents of the links filed under topic t. */
static void
training_sets(const struct config *cfg, const struct queue_docs *q,
	      size_t **picks, size_t *npicks)
{
	const struct link *link;
	size_t i, j, t;

	for (t = 0; t < cfg->ntopics; t++) {
		picks[t] = xcalloc(q->content.nlinks + 1, sizeof(**picks));
		npicks[t] = 0;
		for (i = 0; i < q->content.nlinks; i++) {
			link = &q->content.links[i];
			for (j = 0; j < link->ntopics; j++)
				if (strcmp(link->topics[j],
					   cfg->topics[t].slug) == 0) {
					picks[t][npicks[t]++] = q->nqueue + i;
					break;
				}
		}
	}
}

/* Appends s cut to width graphemes and padded with spaces to it. */
static void
add_cell(struct buf *line, const char *s, size_t width, bool is_last)
{
	struct buf cut = BUF_INIT;
	size_t n;

	utf8_truncate_words(s ? s : "", s ? strlen(s) : 0, width, &cut);
	buf_add(line, cut.ptr, cut.len);
	if (!is_last) {
		for (n = utf8_graphemes(cut.ptr, cut.len); n < width + 1; n++)
			buf_addc(line, ' ');
	}
	buf_release(&cut);
}

static const char *
source_title(const struct queue_site *site, const struct store_item *item)
{
	const struct store_source *src = queue_source(site, item->source_id);

	if (!src)
		return "";
	return src->title ? src->title : src->url;
}

static void
print_table(const struct queue_site *site, const struct config_topic *topic,
	    const struct queue_docs *q, const struct rank_suggestion *s,
	    size_t n, size_t limit, bool is_first)
{
	struct buf line = BUF_INIT;
	char date[DATE_RFC3339_SIZE], num[32];
	const struct store_item *item;
	size_t i, shown = limit && limit < n ? limit : n;

	if (!is_first)
		putchar('\n');
	printf("%s (%s): %zu suggestion%s", topic->title, topic->slug, n,
	       n == 1 ? "" : "s");
	if (shown < n)
		printf(", the best %zu", shown);
	printf("\n");
	if (shown == 0)
		goto out;
	add_cell(&line, "ID", COL_ID, false);
	add_cell(&line, "SCORE", COL_SCORE, false);
	add_cell(&line, "DATE", COL_DATE, false);
	add_cell(&line, "SOURCE", COL_SOURCE, false);
	add_cell(&line, "TITLE", COL_TITLE, false);
	add_cell(&line, "WHY", COL_WHY, true);
	printf("%s\n", line.ptr);
	for (i = 0; i < shown; i++) {
		item = &q->items[s[i].doc];
		buf_clear(&line);
		snprintf(num, sizeof(num), "%lld", (long long)item->id);
		add_cell(&line, num, COL_ID, false);
		snprintf(num, sizeof(num), "%.3f", s[i].score);
		add_cell(&line, num, COL_SCORE, false);
		date_format_rfc3339(q->docs[s[i].doc].date, date);
		date[10] = '\0';
		add_cell(&line, date, COL_DATE, false);
		add_cell(&line, source_title(site, item), COL_SOURCE, false);
		add_cell(&line, item->item.title ? item->item.title : "",
			 COL_TITLE, false);
		add_cell(&line, s[i].why, COL_WHY, true);
		printf("%s\n", line.ptr);
	}
out:
	buf_release(&line);
}

static json_t *
topic_json(const struct queue_site *site, const struct config_topic *topic,
	   const struct queue_docs *q, const struct rank_suggestion *s,
	   size_t n, size_t limit)
{
	json_t *obj = json_object(), *arr = json_array(), *entry;
	char date[DATE_RFC3339_SIZE];
	const struct store_item *item;
	size_t i, shown = limit && limit < n ? limit : n;

	json_object_set_new(obj, "slug", json_string(topic->slug));
	json_object_set_new(obj, "title", json_string(topic->title));
	json_object_set_new(obj, "total", json_integer((json_int_t)n));
	for (i = 0; i < shown; i++) {
		item = &q->items[s[i].doc];
		entry = json_object();
		json_object_set_new(entry, "id", json_integer(item->id));
		json_object_set_new(entry, "score",
				    json_real(round(s[i].score * 1000) /
					      1000));
		json_object_set_new(entry, "why", json_string(s[i].why));
		date_format_rfc3339(q->docs[s[i].doc].date, date);
		json_object_set_new(entry, "date", json_string(date));
		json_object_set_new(entry, "source",
				    json_string(source_title(site, item)));
		json_object_set_new(entry, "title",
				    item->item.title ?
					    json_string(item->item.title) :
					    json_null());
		json_object_set_new(entry, "url",
				    item->item.url ?
					    json_string(item->item.url) :
					    json_null());
		json_array_append_new(arr, entry);
	}
	json_object_set_new(obj, "items", arr);
	return obj;
}

int
cmd_queue(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "limit", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct queue_site site;
	struct queue_docs q = { 0 };
	struct rank_corpus *corpus = NULL;
	struct rank_suggestion *s;
	struct rank_rules rules;
	size_t **picks = NULL, *npicks = NULL, n, t, limit =
							     QUEUE_DEFAULT_LIMIT;
	const char *only = NULL;
	json_t *root = NULL, *topics = NULL;
	bool is_json = false, is_first = true, is_open = false;
	char *end;
	long long v;
	int opt, rc = EXIT_FAILURE_;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 't':
			only = optarg;
			break;
		case 'n':
			v = strtoll(optarg, &end, 10);
			if (!*optarg || *end || v < 0)
				return cmd_usage_error(
					ctx, "queue",
					"--limit wants a whole number, not '%s'",
					optarg);
			limit = (size_t)v;
			break;
		case 'j':
			is_json = true;
			break;
		default:
			return cmd_usage_error(ctx, "queue",
					       "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "queue", "unexpected argument '%s'",
				       argv[optind]);
	if (queue_site_open(ctx, &site, false) != 0)
		return EXIT_FAILURE_;
	is_open = true;
	if (only && !config_topic(&site.cfg, only)) {
		rc = queue_unknown_topic(ctx, &site.cfg, only);
		goto out;
	}
	if (queue_docs_load(ctx, &site, &q) != 0)
		goto out;
	corpus = rank_corpus_new(q.docs, q.ndocs);
	picks = xcalloc(site.cfg.ntopics + 1, sizeof(*picks));
	npicks = xcalloc(site.cfg.ntopics + 1, sizeof(*npicks));
	training_sets(&site.cfg, &q, picks, npicks);
	if (is_json) {
		root = json_object();
		topics = json_array();
		json_object_set_new(root, "topics", topics);
	}
	for (t = 0; t < site.cfg.ntopics; t++) {
		if (only && strcmp(only, site.cfg.topics[t].slug) != 0)
			continue;
		rank_rules_from_config(&site.cfg.topics[t], &rules);
		rank_suggest(corpus, &rules, picks[t], npicks[t], queue_now(),
			     &s, &n);
		if (is_json)
			json_array_append_new(topics,
					      topic_json(&site,
							 &site.cfg.topics[t],
							 &q, s, n, limit));
		else
			print_table(&site, &site.cfg.topics[t], &q, s, n, limit,
				    is_first);
		is_first = false;
		rank_suggestions_free(s, n);
	}
	if (is_json) {
		if (json_dumpf(root, stdout,
			       JSON_INDENT(2) | JSON_REAL_PRECISION(6)) != 0)
			goto out;
		putchar('\n');
	} else if (site.cfg.ntopics == 0) {
		printf("no topics in %s: add some to see suggestions\n",
		       site.cfg.file);
	}
	rc = EXIT_OK;
out:
	if (picks)
		for (t = 0; t < site.cfg.ntopics; t++)
			free(picks[t]);
	free(picks);
	free(npicks);
	json_decref(root);
	rank_corpus_free(corpus);
	queue_docs_release(&q);
	if (is_open)
		queue_site_close(&site);
	return rc;
}

/* -------------------------------------------------------------- dismiss */

int
cmd_dismiss(struct cmd_context *ctx, int argc, char **argv)
{
	struct queue_site site;
	struct store_item item;
	int64_t *ids = NULL, now = queue_now();
	int i, n = argc - 1, found, rc = EXIT_FAILURE_;
	bool is_bad = false;

	if (n < 1)
		return cmd_usage_error(ctx, "dismiss", "no item ID given");
	ids = xcalloc((size_t)n, sizeof(*ids));
	for (i = 0; i < n; i++) {
		if (argv[i + 1][0] == '-') {
			free(ids);
			return cmd_usage_error(ctx, "dismiss",
					       "unknown option '%s'",
					       argv[i + 1]);
		}
		rc = queue_parse_id(ctx, "dismiss", argv[i + 1], &ids[i]);
		if (rc != EXIT_OK) {
			free(ids);
			return rc;
		}
	}
	rc = EXIT_FAILURE_;
	if (queue_site_open(ctx, &site, true) != 0) {
		free(ids);
		return EXIT_FAILURE_;
	}
	/* Every ID is checked before anything is dismissed. */
	for (i = 0; i < n; i++) {
		found = store_item_get(site.store, ids[i], &item);
		if (found < 0)
			goto out;
		if (found == 0) {
			report_error(ctx->rep, NULL, "unknown item '%lld'",
				     (long long)ids[i]);
			is_bad = true;
			continue;
		}
		if (item.is_picked) {
			report_error(ctx->rep, NULL,
				     "item '%lld' is picked: it has a link file",
				     (long long)ids[i]);
			is_bad = true;
		}
		store_item_release(&item);
	}
	if (is_bad) {
		report_hint(ctx->rep, "nothing was dismissed; 'curator queue' "
				      "shows the IDs");
		goto out;
	}
	if (store_begin(site.store) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if (store_item_dismiss(site.store, ids[i], NULL, now) != 0) {
			store_rollback(site.store);
			goto out;
		}
	if (store_commit(site.store) != 0)
		goto out;
	printf("dismissed %d item%s\n", n, n == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	queue_site_close(&site);
	free(ids);
	return rc;
}
