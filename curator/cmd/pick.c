/*
 * curator pick ID [--topic T]... [--tag t]... [--note TEXT] [--kind KIND]
 *                 [--by NAME] [--title TEXT]
 *
 * Turns a suggested item into a tagged link: links/YYYY/MM/SLUG.md, the
 * same file `curator tag` writes, keeping where the item came from.
 */
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/date.h"
#include "core/file.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "core/yaml_quote.h"
#include "curate/curate.h"
#include "store/store.h"

const char cmd_pick_usage[] =
	"usage: curator pick ID [--topic T]... [--tag t]... [--note TEXT]\n"
	"                    [--kind KIND] [--by NAME] [--title TEXT]\n"
	"\n"
	"Picks the item ID of 'curator queue': writes the tagged link\n"
	"links/YYYY/MM/SLUG.md (dated now) from the item's link, title, image\n"
	"and source, marks the item picked so that it leaves the queue, and\n"
	"prints the file's path. The slug comes from the title; -2, -3... keep\n"
	"it unique.\n"
	"\n"
	"  --topic T    file it under topic T (repeatable; default: the topics\n"
	"               the item is routed to)\n"
	"  --tag t      add a tag (repeatable)\n"
	"  --note TEXT  the librarian's note (Markdown)\n"
	"  --kind KIND  article (default), book, music, film, manga, comic,\n"
	"               game, podcast, video or event\n"
	"  --by NAME    who picked it\n"
	"  --title TEXT use this title instead of the item's\n";

#define SLUG_MAX 80

struct pick_options {
	const char **topics;
	size_t ntopics;
	const char **tags;
	size_t ntags;
	const char *note;
	const char *kind;
	const char *by;
	const char *title;
};

/* The slugs of every link file already in links/ (file names without
 * .md), collected by nftw. */
static char **taken;
static size_t ntaken, taken_cap;

static int
collect_slug(const char *path, const struct stat *sb, int flag,
	     struct FTW *ftw)
{
	const char *name = path + ftw->base;
	size_t len = strlen(name);

	(void)sb;
	if (flag == FTW_F && len > 3 && strcmp(name + len - 3, ".md") == 0) {
		taken = xgrow(taken, ntaken + 1, &taken_cap, sizeof(*taken));
		taken[ntaken++] = xmemdupz(name, len - 3);
	}
	return 0;
}

static bool
is_taken(const char *slug)
{
	size_t i;

	for (i = 0; i < ntaken; i++)
		if (strcmp(taken[i], slug) == 0)
			return true;
	return false;
}

/* A slug from the title, unique among the site's links. */
static void
make_slug(const char *site_dir, const char *title, int64_t id,
	  struct buf *out)
{
	struct buf links = BUF_INIT, base = BUF_INIT;
	struct stat st;
	size_t i;
	int n;

	utf8_slug(title, strlen(title), SLUG_MAX, &base);
	if (base.len == 0)
		buf_addf(&base, "item-%lld", (long long)id);
	buf_addf(&links, "%s/links", site_dir);
	if (stat(links.ptr, &st) == 0)
		nftw(links.ptr, collect_slug, 16, FTW_PHYS);
	buf_add(out, base.ptr, base.len);
	for (n = 2; is_taken(out->ptr); n++) {
		buf_clear(out);
		buf_addf(out, "%s-%d", base.ptr, n);
	}
	for (i = 0; i < ntaken; i++)
		free(taken[i]);
	free(taken);
	taken = NULL;
	ntaken = taken_cap = 0;
	buf_release(&links);
	buf_release(&base);
}

static void
add_key(struct buf *out, const char *key, const char *value)
{
	buf_addf(out, "%s: ", key);
	yaml_quote(value, strlen(value), out);
	buf_addc(out, '\n');
}

static void
add_list(struct buf *out, const char *key, const char *const *values,
	 size_t n)
{
	size_t i;

	buf_addf(out, "%s: [", key);
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(out, ", ");
		yaml_quote(values[i], strlen(values[i]), out);
	}
	buf_adds(out, "]\n");
}

static bool
is_http_url(const char *s)
{
	return s && (strncmp(s, "http://", 7) == 0 ||
		     strncmp(s, "https://", 8) == 0);
}

/* The link file's bytes: front matter then the note. */
static void
format_link(const struct pick_options *o, const struct store_item *item,
	    const char *title, const char *const *topics, size_t ntopics,
	    const char *source, int64_t now, struct buf *out)
{
	char date[DATE_RFC3339_SIZE], id[32];

	date_format_rfc3339(now, date);
	snprintf(id, sizeof(id), "%lld", (long long)item->id);
	buf_adds(out, "---\n");
	add_key(out, "url", item->item.url);
	add_key(out, "title", title);
	add_list(out, "topics", topics, ntopics);
	if (o->ntags)
		add_list(out, "tags", o->tags, o->ntags);
	add_key(out, "kind", o->kind ? o->kind : "article");
	if (o->by)
		add_key(out, "by", o->by);
	add_key(out, "date", date);
	if (is_http_url(item->item.image))
		add_key(out, "image", item->item.image);
	if (source)
		add_key(out, "source", source);
	add_key(out, "item", id);
	buf_adds(out, "---\n");
	if (o->note && *o->note) {
		buf_adds(out, o->note);
		if (out->ptr[out->len - 1] != '\n')
			buf_addc(out, '\n');
	}
}

static int
parse_options(struct cmd_context *ctx, int argc, char **argv,
	      struct pick_options *o, int64_t *id)
{
	static const struct option options[] = {
		{ "topic", required_argument, NULL, 'T' },
		{ "tag", required_argument, NULL, 't' },
		{ "note", required_argument, NULL, 'n' },
		{ "kind", required_argument, NULL, 'k' },
		{ "by", required_argument, NULL, 'b' },
		{ "title", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	size_t cap_topics = 0, cap_tags = 0;
	enum link_kind kind;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'T':
			o->topics = xgrow(o->topics, o->ntopics + 1,
					  &cap_topics, sizeof(*o->topics));
			o->topics[o->ntopics++] = optarg;
			break;
		case 't':
			o->tags = xgrow(o->tags, o->ntags + 1, &cap_tags,
					sizeof(*o->tags));
			o->tags[o->ntags++] = optarg;
			break;
		case 'n':
			o->note = optarg;
			break;
		case 'k':
			o->kind = optarg;
			break;
		case 'b':
			o->by = optarg;
			break;
		case 'i':
			o->title = optarg;
			break;
		default:
			return cmd_usage_error(ctx, "pick",
					       "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(ctx, "pick", "no item ID given");
	if (optind + 1 < argc)
		return cmd_usage_error(ctx, "pick",
				       "pick one item at a time, not '%s'",
				       argv[optind + 1]);
	if (o->kind && link_kind_parse(o->kind, &kind) != 0)
		return cmd_usage_error(ctx, "pick", "unknown kind '%s'",
				       o->kind);
	if (o->title && !*o->title)
		return cmd_usage_error(ctx, "pick", "--title is empty");
	return queue_parse_id(ctx, "pick", argv[optind], id);
}

/* The topics to file the link under: the options' (checked), else those
 * the item is routed to. Returns a new array of borrowed strings. */
static int
choose_topics(struct cmd_context *ctx, const struct queue_site *site,
	      const struct pick_options *o, const struct store_item *item,
	      const char ***out, size_t *n)
{
	const struct config *cfg = &site->cfg;
	char **sources = NULL;
	bool *in_topic;
	size_t i, j, nsources = 0;

	*out = xcalloc(o->ntopics + cfg->ntopics + 1, sizeof(**out));
	*n = 0;
	for (i = 0; i < o->ntopics; i++) {
		if (!config_topic(cfg, o->topics[i]))
			return queue_unknown_topic(ctx, cfg, o->topics[i]);
		for (j = 0; j < *n; j++)
			if (strcmp((*out)[j], o->topics[i]) == 0)
				break;
		if (j == *n)
			(*out)[(*n)++] = o->topics[i];
	}
	if (o->ntopics)
		return EXIT_OK;
	in_topic = xcalloc(cfg->ntopics + 1, sizeof(*in_topic));
	sources = queue_item_topics(site, item, &nsources);
	curate_route(cfg, item->item.title, item->item.summary,
		     (const char *const *)item->item.categories,
		     item->item.ncategories, (const char *const *)sources,
		     nsources, in_topic);
	for (i = 0; i < cfg->ntopics; i++)
		if (in_topic[i])
			(*out)[(*n)++] = cfg->topics[i].slug;
	queue_strings_free(sources, nsources);
	free(in_topic);
	return EXIT_OK;
}

int
cmd_pick(struct cmd_context *ctx, int argc, char **argv)
{
	struct pick_options o = { 0 };
	struct queue_site site;
	struct store_item item;
	const struct store_source *src;
	struct buf path = BUF_INIT, dir = BUF_INIT, slug = BUF_INIT,
		   text = BUF_INIT;
	const char **topics = NULL, *title, *source = NULL;
	char date[DATE_RFC3339_SIZE];
	size_t ntopics = 0;
	int64_t id = 0, now = queue_now();
	bool is_open = false, has_item = false, is_begun = false;
	int found, rc;

	memset(&item, 0, sizeof(item));
	rc = parse_options(ctx, argc, argv, &o, &id);
	if (rc != EXIT_OK)
		goto out;
	rc = EXIT_FAILURE_;
	if (queue_site_open(ctx, &site, true) != 0)
		goto out;
	is_open = true;
	found = store_item_get(site.store, id, &item);
	if (found < 0)
		goto out;
	if (found == 0) {
		report_error(ctx->rep, NULL, "unknown item '%lld'",
			     (long long)id);
		report_hint(ctx->rep, "'curator queue' shows the IDs");
		goto out;
	}
	has_item = true;
	if (item.is_picked) {
		date_format_rfc3339(item.picked_at, date);
		report_error(ctx->rep, NULL, "item '%lld' was already picked "
			     "on %s", (long long)id, date);
		report_hint(ctx->rep, "its link file is in links/; edit that "
				      "file instead");
		goto out;
	}
	if (!is_http_url(item.item.url)) {
		report_error(ctx->rep, NULL, "item '%lld' has no web link to "
			     "pick", (long long)id);
		report_hint(ctx->rep, "use 'curator tag URL' with the page's "
				      "address");
		goto out;
	}
	title = o.title ? o.title : item.item.title;
	if (!title || !*title) {
		report_error(ctx->rep, NULL, "item '%lld' has no title",
			     (long long)id);
		report_hint(ctx->rep, "give one with --title TEXT");
		goto out;
	}
	rc = choose_topics(ctx, &site, &o, &item, &topics, &ntopics);
	if (rc != EXIT_OK)
		goto out;
	rc = EXIT_FAILURE_;
	src = queue_source(&site, item.source_id);
	if (src)
		source = src->title ? src->title : src->html_url;

	date_format_rfc3339(now, date);
	buf_addf(&dir, "%s/links/%.4s/%.2s", ctx->dir, date, date + 5);
	make_slug(ctx->dir, title, id, &slug);
	buf_addf(&path, "%s/%s.md", dir.ptr, slug.ptr);
	format_link(&o, &item, title, topics, ntopics, source, now, &text);

	/* The pick and the file go together: the store's transaction is
	 * committed only once the file is in place. */
	if (store_begin(site.store) != 0)
		goto out;
	is_begun = true;
	if (store_item_pick(site.store, id, o.by, now) != 0)
		goto out;
	if (file_mkdirs(ctx->rep, dir.ptr) != 0 ||
	    file_write_atomic(ctx->rep, path.ptr, text.ptr, text.len, true) ==
		    FILE_WRITE_FAILED)
		goto out;
	is_begun = false;
	if (store_commit(site.store) != 0) {
		remove(path.ptr);
		goto out;
	}
	/* site-relative when run in the site folder */
	printf("%s\n", strcmp(ctx->dir, ".") == 0 ? path.ptr + 2 : path.ptr);
	rc = EXIT_OK;
out:
	if (is_begun)
		store_rollback(site.store);
	if (has_item)
		store_item_release(&item);
	if (is_open)
		queue_site_close(&site);
	free(topics);
	free(o.topics);
	free(o.tags);
	buf_release(&path);
	buf_release(&dir);
	buf_release(&slug);
	buf_release(&text);
	return rc;
}
