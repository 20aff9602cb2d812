/*
 * curator check
 *
 * Validates a site without writing anything: the configuration, the
 * subscriptions, the content. Prints a one-line summary, or every error.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "curate/curate.h"
#include "ingest/ingest.h"
#include "render/render.h"

const char cmd_check_usage[] =
	"usage: curator check\n"
	"\n"
	"Checks the site without writing anything: curator.yaml, the\n"
	"subscriptions in feeds/sources.opml (each source's topics must be\n"
	"topics of curator.yaml), the tagged links in links/, the pages in\n"
	"pages/ and the playlists in playlists/ (keys, entries, durations,\n"
	"ISBNs, and the tagged links they reuse). Prints a summary such as\n"
	"\n"
	"  ok: 12 links, 2 pages, 3 playlists, 4 sources, 4 topics\n"
	"\n"
	"or every error found, each with its file and line and a hint.\n"
	"Exits 0 when the site is fine, 1 when something must be fixed.\n";

#define SOURCES_OPML "feeds/sources.opml"

/* "12 links", "1 link". */
static void
add_count(struct buf *out, size_t n, const char *one, const char *many)
{
	buf_addf(out, "%s%zu %s", out->len ? ", " : "", n,
		 n == 1 ? one : many);
}

/* Every topic an OPML outline names must be a topic of the site. */
static int
check_sources(struct report *rep, const struct config *cfg, const char *dir,
	      size_t *nsources)
{
	struct buf path = BUF_INIT;
	const struct opml_source *sources;
	struct report_pos pos = { NULL, 0, 0 };
	struct opml *opml;
	const char *near, *title;
	bool hinted = false;
	size_t i, j, n;
	int rc = 0;

	*nsources = 0;
	if (strcmp(dir, ".") != 0)
		buf_addf(&path, "%s/", dir);
	buf_adds(&path, SOURCES_OPML);
	pos.file = path.ptr;
	opml = opml_load(rep, path.ptr);
	if (!opml) {
		buf_release(&path);
		return -1;
	}
	sources = opml_sources(opml, &n);
	for (i = 0; i < n; i++) {
		title = sources[i].title ? sources[i].title
					 : sources[i].xml_url;
		for (j = 0; j < sources[i].ntopics; j++) {
			if (config_topic(cfg, sources[i].topics[j]))
				continue;
			near = curate_suggest_topic(cfg, sources[i].topics[j]);
			if (near)
				rc = report_error(rep, &pos,
						  "source '%s': unknown topic "
						  "\"%s\" (did you mean "
						  "\"%s\"?)",
						  title, sources[i].topics[j],
						  near);
			else
				rc = report_error(rep, &pos,
						  "source '%s': unknown topic "
						  "\"%s\"",
						  title, sources[i].topics[j]);
			if (!hinted)
				curate_hint_topics(rep, cfg);
			hinted = true;
		}
	}
	*nsources = n;
	opml_free(opml);
	buf_release(&path);
	return rc;
}

/*
 * The theme, compiled in theme mode as the build would (issue 8): a {{…}}
 * inside <script>, <style>, a style= or on…= attribute, or an unquoted
 * attribute, and {{{x}}} on a name not marked as sanitized HTML, are
 * errors naming file and line. Returns 0, or -1 after reporting.
 */
static int
check_theme(struct report *rep, const struct config *cfg, const char *dir)
{
	return theme_check(rep, cfg, dir);
}

int
cmd_check(struct cmd_context *ctx, int argc, char **argv)
{
	struct config cfg;
	struct site_content content = { 0 };
	struct buf summary = BUF_INIT;
	size_t nsources = 0;
	int rc = EXIT_OK;

	if (argc > 1) {
		if (argv[1][0] == '-')
			return cmd_usage_error(ctx, "check",
					       "unknown option '%s'", argv[1]);
		return cmd_usage_error(ctx, "check",
				       "too many arguments: '%s'", argv[1]);
	}
	/* Nothing else can be checked without the topics. */
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0) {
		config_release(&cfg);
		return EXIT_FAILURE_;
	}
	if (check_sources(ctx->rep, &cfg, ctx->dir, &nsources) != 0)
		rc = EXIT_FAILURE_;
	if (curate_load(ctx->rep, &cfg, ctx->dir, &content) != 0)
		rc = EXIT_FAILURE_;
	if (check_theme(ctx->rep, &cfg, ctx->dir) != 0)
		rc = EXIT_FAILURE_;
	if (rc == EXIT_OK) {
		add_count(&summary, content.nlinks, "link", "links");
		add_count(&summary, content.npages, "page", "pages");
		add_count(&summary, content.nplaylists, "playlist",
			  "playlists");
		add_count(&summary, nsources, "source", "sources");
		add_count(&summary, cfg.ntopics, "topic", "topics");
		printf("ok: %s\n", summary.ptr);
	}
	buf_release(&summary);
	site_content_release(&content);
	config_release(&cfg);
	return rc;
}
