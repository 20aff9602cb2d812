/*
 * curator playlist new|add|export
 *
 * Playlists, playlists/SLUG.md: create one, add works to it, and print
 * it as XSPF, JSPF or M3U.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/config_check.h"
#include "core/yaml.h"
#include "curate/curate.h"
#include "ingest/ingest.h"
#include "render/render.h"

const char cmd_playlist_usage[] =
	"usage: curator playlist new SLUG --title TEXT --kind KIND\n"
	"                             [--by NAME] [--date DATE]\n"
	"   or: curator playlist add SLUG (URL | --title TEXT | --link PATH)\n"
	"                             [--creator TEXT] [--year YEAR] "
	"[--isbn ISBN]\n"
	"                             [--duration M:SS] [--image URL] "
	"[--note TEXT]\n"
	"                             [--at POSITION] [--no-fetch]\n"
	"   or: curator playlist export SLUG --format xspf|jspf|m3u\n"
	"\n"
	"new creates playlists/SLUG.md (SLUG: lowercase letters, digits and\n"
	"hyphens). KIND is music, film, manga, book, game or mixed.\n"
	"\n"
	"add adds a work at the end, or at POSITION (1 is the first). With a\n"
	"URL the page is fetched (as curator tag does) for the title, the\n"
	"creator, the image and the ISBN/EAN; the options win over it, and\n"
	"--no-fetch skips it. --link reuses a tagged link, e.g.\n"
	"links/2026/11/frieren-tome-1.md. The rest of the file is kept.\n"
	"\n"
	"export prints the playlist as an XSPF 1.0 playlist, its JSON form\n"
	"(JSPF) or an M3U playlist (music playlists with URLs only).\n";

static bool
is_slug(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 100 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static int
bad_slug(struct cmd_context *ctx, const char *slug)
{
	return cmd_usage_error(ctx, "playlist",
			       "the playlist name must be lowercase letters, "
			       "digits and hyphens: '%s'",
			       slug);
}

static int
run_new(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "by", required_argument, NULL, 'b' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *kind_name = NULL, *by = NULL, *date = NULL;
	enum playlist_kind kind;
	struct config cfg;
	char *path = NULL;
	int64_t when;
	int c, rc = EXIT_FAILURE_;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			title = optarg;
			break;
		case 'k':
			kind_name = optarg;
			break;
		case 'b':
			by = optarg;
			break;
		case 'd':
			date = optarg;
			break;
		default:
			return cmd_usage_error(ctx, "playlist", "bad option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "playlist",
				       "expected one playlist name (SLUG)");
	if (!is_slug(argv[optind]))
		return bad_slug(ctx, argv[optind]);
	if (!title || !kind_name)
		return cmd_usage_error(ctx, "playlist",
				       "new needs --title TEXT and --kind "
				       "KIND");
	if (playlist_kind_parse(kind_name, &kind) != 0)
		return cmd_usage_error(ctx, "playlist",
				       "unknown kind '%s' (music, film, manga, "
				       "book, game, mixed)",
				       kind_name);
	if (date) {
		if (yaml_parse_date(date, strlen(date), &when, NULL) != 0)
			return cmd_usage_error(ctx, "playlist",
					       "--date: not a date like "
					       "2026-11-24: '%s'",
					       date);
	} else {
		when = cmd_now();
	}
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	if (playlist_write_new(ctx->rep, ctx->dir, argv[optind], title, kind,
			       by, when, &path) == 0) {
		cmd_print_site_path(ctx, path);
		rc = EXIT_OK;
	}
out:
	free(path);
	config_release(&cfg);
	return rc;
}

struct add_options {
	const char *url, *title, *link, *creator, *year, *isbn, *duration;
	const char *image, *note, *at;
	bool no_fetch;
};

static int
parse_add(struct cmd_context *ctx, int argc, char **argv,
	  struct add_options *o, const char **slug)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "link", required_argument, NULL, 'l' },
		{ "creator", required_argument, NULL, 'c' },
		{ "year", required_argument, NULL, 'y' },
		{ "isbn", required_argument, NULL, 'i' },
		{ "ean", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "image", required_argument, NULL, 'm' },
		{ "note", required_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 'a' },
		{ "no-fetch", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->title = optarg;
			break;
		case 'l':
			o->link = optarg;
			break;
		case 'c':
			o->creator = optarg;
			break;
		case 'y':
			o->year = optarg;
			break;
		case 'i':
			o->isbn = optarg;
			break;
		case 'd':
			o->duration = optarg;
			break;
		case 'm':
			o->image = optarg;
			break;
		case 'n':
			o->note = optarg;
			break;
		case 'a':
			o->at = optarg;
			break;
		case 'F':
			o->no_fetch = true;
			break;
		default:
			return cmd_usage_error(ctx, "playlist", "bad option");
		}
	}
	if (optind >= argc || optind + 2 < argc)
		return cmd_usage_error(ctx, "playlist",
				       "expected SLUG and an optional URL");
	*slug = argv[optind];
	if (!is_slug(*slug))
		return bad_slug(ctx, *slug);
	if (optind + 1 < argc)
		o->url = argv[optind + 1];
	if (!o->url && !o->title && !o->link)
		return cmd_usage_error(ctx, "playlist",
				       "add needs a URL, --title TEXT or "
				       "--link PATH");
	if (o->link && (o->url || o->title))
		return cmd_usage_error(ctx, "playlist",
				       "--link reuses a tagged link: give no "
				       "URL nor --title with it");
	return 0;
}

/* Checks the values; fills what the draft needs. */
static int
check_add(struct cmd_context *ctx, const struct add_options *o,
	  struct playlist_entry_draft *e, char isbn[14], size_t *at)
{
	long seconds;
	char *end;
	long value;

	if (o->url && !config_check_http_url(o->url, false))
		return cmd_usage_error(ctx, "playlist",
				       "not an http:// or https:// URL: '%s'",
				       o->url);
	if (o->image && !config_check_http_url(o->image, false))
		return cmd_usage_error(ctx, "playlist",
				       "--image: not an http:// or https:// "
				       "URL: '%s'",
				       o->image);
	if (o->duration && playlist_parse_duration(o->duration, &seconds))
		return cmd_usage_error(ctx, "playlist",
				       "--duration: minutes and seconds like "
				       "3:07, not '%s'",
				       o->duration);
	if (o->year) {
		value = strtol(o->year, &end, 10);
		if (*end || end == o->year || value < 1 || value > 9999)
			return cmd_usage_error(ctx, "playlist",
					       "--year: a year like 1959, not "
					       "'%s'",
					       o->year);
		e->year = (int)value;
	}
	if (o->at) {
		value = strtol(o->at, &end, 10);
		if (*end || end == o->at || value < 1)
			return cmd_usage_error(ctx, "playlist",
					       "--at: a position from 1, not "
					       "'%s'",
					       o->at);
		*at = (size_t)value;
	}
	if (o->isbn && cmd_isbn_option(ctx, o->isbn, isbn) != 0)
		return EXIT_FAILURE_;
	return 0;
}

static int
check_link(struct cmd_context *ctx, const char *link)
{
	struct buf name = BUF_INIT;
	struct stat st;
	int rc = 0;

	if (strcmp(ctx->dir, ".") != 0)
		buf_addf(&name, "%s/", ctx->dir);
	buf_adds(&name, link);
	if (strncmp(link, "links/", 6) != 0 || strstr(link, "..") ||
	    stat(name.ptr, &st) != 0 || !S_ISREG(st.st_mode)) {
		report_error(ctx->rep, NULL, "no tagged link '%s'", link);
		report_hint(ctx->rep, "give the path of a file under links/, "
				      "like links/2026/11/some-link.md");
		rc = -1;
	}
	buf_release(&name);
	return rc;
}

static int
run_add(struct cmd_context *ctx, int argc, char **argv)
{
	struct add_options o = { 0 };
	struct playlist_entry_draft e = { 0 };
	struct page_meta meta = { 0 };
	struct config cfg = { 0 };
	const char *slug = NULL;
	char isbn[14] = "", *final_url = NULL, *path = NULL;
	bool has_config = false;
	size_t at = 0;
	int rc;

	rc = parse_add(ctx, argc, argv, &o, &slug);
	if (rc)
		return rc;
	rc = check_add(ctx, &o, &e, isbn, &at);
	if (rc)
		return rc;
	rc = EXIT_FAILURE_;
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	has_config = true;
	if (o.link && check_link(ctx, o.link) != 0)
		goto out;
	if (o.url && !o.no_fetch &&
	    cmd_page_fetch(ctx, &cfg, o.url, &meta, &final_url) != 0)
		goto out;
	if (!o.isbn && meta.isbn[0])
		memcpy(isbn, meta.isbn, sizeof(isbn));
	e.link = o.link;
	e.title = o.title ? o.title : meta.title;
	if (!e.title && !e.link) {
		report_error(ctx->rep, NULL, "%s: the page has no title",
			     o.url);
		report_hint(ctx->rep, "give one with --title TEXT");
		goto out;
	}
	e.creator = o.creator ? o.creator : meta.author;
	e.url = o.url;
	e.isbn = isbn[0] ? isbn : NULL;
	e.duration = o.duration;
	e.image = o.image ? o.image : meta.image;
	e.note = o.note;
	if (playlist_write_add(ctx->rep, ctx->dir, slug, &e, at, &path) != 0)
		goto out;
	cmd_print_site_path(ctx, path);
	rc = EXIT_OK;
out:
	free(path);
	free(final_url);
	page_meta_release(&meta);
	if (has_config)
		config_release(&cfg);
	return rc;
}

static int
run_export(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_content content = { 0 };
	struct report_pos pos = { NULL, 0, 0 };
	const struct playlist *pl = NULL;
	const char *format = NULL;
	struct buf out = BUF_INIT;
	struct config cfg = { 0 };
	bool has_config = false;
	size_t i;
	int c, rc = EXIT_FAILURE_;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'f')
			return cmd_usage_error(ctx, "playlist", "bad option");
		format = optarg;
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "playlist",
				       "expected one playlist name (SLUG)");
	if (!format || (strcmp(format, "xspf") && strcmp(format, "jspf") &&
			strcmp(format, "m3u")))
		return cmd_usage_error(ctx, "playlist",
				       "export needs --format xspf, jspf or "
				       "m3u");
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	has_config = true;
	if (curate_load(ctx->rep, &cfg, ctx->dir, &content) != 0)
		goto out;
	for (i = 0; i < content.nplaylists; i++)
		if (strcmp(content.playlists[i].slug, argv[optind]) == 0)
			pl = &content.playlists[i];
	if (!pl) {
		report_error(ctx->rep, NULL, "no playlist '%s'", argv[optind]);
		report_hint(ctx->rep, "the playlists are the files "
				      "playlists/SLUG.md");
		goto out;
	}
	pos.file = pl->path;
	if (strcmp(format, "xspf") == 0) {
		if (playlist_format_xspf(ctx->rep, &cfg, pl, &out) != 0)
			goto out;
	} else if (strcmp(format, "jspf") == 0) {
		if (playlist_format_jspf(ctx->rep, &cfg, pl, &out) != 0)
			goto out;
	} else if (!playlist_has_m3u(pl)) {
		report_error(ctx->rep, &pos,
			     "no M3U: only a music playlist with URLs has one");
		report_hint(ctx->rep, "give its entries a 'url:' where to "
				      "listen, or export it as xspf or jspf");
		goto out;
	} else {
		playlist_format_m3u(pl, &out);
	}
	fwrite(out.ptr, 1, out.len, stdout);
	rc = EXIT_OK;
out:
	buf_release(&out);
	site_content_release(&content);
	if (has_config)
		config_release(&cfg);
	return rc;
}

int
cmd_playlist(struct cmd_context *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage_error(ctx, "playlist",
				       "expected new, add or export");
	if (strcmp(argv[1], "new") == 0)
		return run_new(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "add") == 0)
		return run_add(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return run_export(ctx, argc - 1, argv + 1);
	return cmd_usage_error(ctx, "playlist", "unknown subcommand '%s'",
			       argv[1]);
}
