/*
 * curator pick ID [--topic T]... [--tag t]... [--note TEXT] [--kind KIND]
 *                 [--by NAME] [--title TEXT]
 *
 * Turns a suggested item into a tagged link: links/YYYY/MM/SLUG.md, the
 * same file `curator tag` writes, keeping where the item came from.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/date.h"
#include "core/file.h"
#include "core/xmalloc.h"
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

static bool
is_http_url(const char *s)
{
	return s && (strncmp(s, "http://", 7) == 0 ||
		     strncmp(s, "https://", 8) == 0);
}

static int
parse_options(struct cmd_context *ctx, int argc, char **argv,
	      struct link_options *o, int64_t *id)
{
	static const struct option options[] = {
		CMD_LINK_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	enum link_kind kind;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1)
		if (!cmd_link_option(o, opt, optarg))
			return cmd_usage_error(ctx, "pick",
					       "unknown option '%s'",
					       argv[optind - 1]);
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
	      const struct link_options *o, const struct store_item *item,
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
	xfree_strings(sources, nsources);
	free(in_topic);
	return EXIT_OK;
}

int
cmd_pick(struct cmd_context *ctx, int argc, char **argv)
{
	struct link_options o = { 0 };
	struct queue_site site;
	struct store_item item;
	const struct store_source *src;
	struct link_draft d;
	const char **topics = NULL, *title, *source = NULL;
	struct buf path = BUF_INIT;
	char date[DATE_RFC3339_SIZE], item_id[32], *rel = NULL;
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

	snprintf(item_id, sizeof(item_id), "%lld", (long long)id);
	memset(&d, 0, sizeof(d));
	d.url = item.item.url;
	d.title = title;
	d.topics = topics;
	d.ntopics = ntopics;
	d.tags = o.tags;
	d.ntags = o.ntags;
	d.kind = o.kind;
	d.by = o.by;
	d.date = now;
	d.image = is_http_url(item.item.image) ? item.item.image : NULL;
	d.source = source;
	d.item = item_id;
	d.note = o.note;

	/* The pick and the file go together: the store's transaction is
	 * committed only once the file is in place. */
	if (store_begin(site.store) != 0)
		goto out;
	is_begun = true;
	if (store_item_pick(site.store, id, o.by, now) != 0)
		goto out;
	if (link_write_new(ctx->rep, ctx->dir, &d, &rel) != 0)
		goto out;
	/* site-relative when run in the site folder */
	if (strcmp(ctx->dir, ".") != 0)
		buf_addf(&path, "%s/", ctx->dir);
	buf_adds(&path, rel);
	is_begun = false;
	if (store_commit(site.store) != 0) {
		remove(path.ptr);
		goto out;
	}
	printf("%s\n", path.ptr);
	rc = EXIT_OK;
out:
	if (is_begun)
		store_rollback(site.store);
	if (has_item)
		store_item_release(&item);
	if (is_open)
		queue_site_close(&site);
	free(topics);
	cmd_link_options_release(&o);
	free(rel);
	buf_release(&path);
	return rc;
}
