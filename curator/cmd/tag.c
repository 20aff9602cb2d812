/*
 * curator tag URL [OPTIONS]
 *
 * Tags a link ("scoops" it): fetches the page, reads what it says about
 * itself, and writes links/YYYY/MM/SLUG.md with the librarian's topics,
 * tags and note.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/config_check.h"
#include "core/file.h"
#include "core/isbn.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/curate.h"
#include "ingest/ingest.h"

const char cmd_tag_usage[] =
	"usage: curator tag URL [--topic T]... [--tag t]... [--note TEXT | "
	"--edit]\n"
	"                   [--kind KIND] [--by NAME] [--title TEXT] "
	"[--isbn ISBN]\n"
	"                   [--date RFC3339] [--no-fetch] [--update]\n"
	"\n"
	"Tags a link: fetches the page (at most 2 MiB), reads its title,\n"
	"canonical address, site name, image, language and ISBN/EAN (from\n"
	"JSON-LD, Open Graph, Twitter cards, <meta> and <title>, in that\n"
	"order of trust), and writes links/YYYY/MM/SLUG.md with the topics,\n"
	"tags and note given. Prints the file's path. Options given win over\n"
	"what the page says.\n"
	"\n"
	"  --topic T       a topic of curator.yaml (repeat for several)\n"
	"  --tag t         a free tag (repeat for several)\n"
	"  --note TEXT     the note, in CommonMark\n"
	"  --edit          write the note in $EDITOR (default vi)\n"
	"  --kind KIND     article (default), book, music, film, manga,\n"
	"                  comic, game, podcast, video or event\n"
	"  --by NAME       the librarian\n"
	"  --title TEXT    the title (needed with --no-fetch)\n"
	"  --isbn ISBN     ISBN-10, ISBN-13 or EAN-13\n"
	"  --date DATE     the date of the pick (default: now)\n"
	"  --no-fetch      do not fetch the page: write from the options\n"
	"  --update        when the URL is already tagged, add the topics,\n"
	"                  tags and note to that file instead of failing\n"
	"\n"
	"The page must answer 200 with an HTML page; a 404, a page that is\n"
	"not HTML, more than 5 redirects or more than 2 MiB is an error and\n"
	"nothing is written. The same URL tagged twice is an error naming\n"
	"the file that holds it, unless --update.\n";

#define TAG_MAX_BODY (2 * 1024 * 1024)

struct tag_options {
	const char *url;
	struct link_options link;
	bool edit;
	const char *isbn;
	const char *date;
	bool no_fetch;
	bool update;
};

static bool
is_html_type(const char *type)
{
	return type && (strcmp(type, "text/html") == 0 ||
			strcmp(type, "application/xhtml+xml") == 0);
}

int
cmd_isbn_option(struct cmd_context *ctx, const char *value,
		char isbn[ISBN_SIZE])
{
	if (isbn_normalize(value, strlen(value), isbn) == 0)
		return 0;
	report_error(ctx->rep, NULL, "--isbn: not a valid ISBN or EAN: '%s'",
		     value);
	report_hint(ctx->rep, "copy the 10 or 13 digits again: the last one "
			      "is a check digit");
	return -1;
}

int
cmd_page_fetch(struct cmd_context *ctx, const struct config *cfg,
	       const char *url, struct page_meta *meta, char **final_url)
{
	struct http_options opts = { 0 };
	struct http_response resp;
	struct report_pos pos = { url, 0, 0 };
	const char **allow = NULL;
	size_t i;
	int rc = -1;

	memset(meta, 0, sizeof(*meta));
	*final_url = NULL;
	http_response_init(&resp);
	if (cfg->fetch.nallow_private) {
		allow = xcalloc(cfg->fetch.nallow_private, sizeof(*allow));
		for (i = 0; i < cfg->fetch.nallow_private; i++)
			allow[i] = cfg->fetch.allow_private[i].text;
		opts.allow_private = allow;
		opts.nallow_private = cfg->fetch.nallow_private;
	}
	opts.proxy = cfg->fetch.proxy;
	opts.site_url = cfg->url;
	opts.max_body = TAG_MAX_BODY;
	opts.timeout = 30;
	if (http_options_from_env(ctx->rep, &opts) != 0)
		goto out;
	/* http_get's message has its own hint. */
	if (http_get(ctx->rep, &opts, url, NULL, &resp) != 0)
		goto out;
	if (resp.status < 200 || resp.status > 299) {
		report_error(ctx->rep, &pos, "HTTP %ld", resp.status);
		report_hint(ctx->rep, "nothing was written; check the address "
				      "in a browser");
		goto out;
	}
	if (!is_html_type(resp.content_type)) {
		report_error(ctx->rep, &pos, "not an HTML page: '%s'",
			     resp.content_type ? resp.content_type
					       : "no Content-Type");
		report_hint(ctx->rep, "nothing was written; tag the page that "
				      "shows it, or use --no-fetch --title "
				      "TEXT");
		goto out;
	}
	*final_url = xstrdup(resp.effective_url ? resp.effective_url : url);
	page_meta_parse(resp.body.ptr, resp.body.len, resp.charset,
			*final_url, meta);
	rc = 0;
out:
	/* NOTE: release the options first: they may point at our array. */
	http_options_release(&opts);
	free(allow);
	http_response_release(&resp);
	return rc;
}

/* schema.org types and og:type values, sorted for bsearch. */
static const struct {
	const char *name;
	enum link_kind kind;
} page_kinds[] = {
	{ "article", LINK_KIND_ARTICLE },
	{ "blogposting", LINK_KIND_ARTICLE },
	{ "book", LINK_KIND_BOOK },
	{ "books.book", LINK_KIND_BOOK },
	{ "comicissue", LINK_KIND_COMIC },
	{ "comicseries", LINK_KIND_COMIC },
	{ "comicstory", LINK_KIND_COMIC },
	{ "event", LINK_KIND_EVENT },
	{ "movie", LINK_KIND_FILM },
	{ "music.album", LINK_KIND_MUSIC },
	{ "music.playlist", LINK_KIND_MUSIC },
	{ "music.song", LINK_KIND_MUSIC },
	{ "musicalbum", LINK_KIND_MUSIC },
	{ "musicplaylist", LINK_KIND_MUSIC },
	{ "musicrecording", LINK_KIND_MUSIC },
	{ "newsarticle", LINK_KIND_ARTICLE },
	{ "podcastepisode", LINK_KIND_PODCAST },
	{ "podcastseries", LINK_KIND_PODCAST },
	{ "video.episode", LINK_KIND_VIDEO },
	{ "video.movie", LINK_KIND_FILM },
	{ "video.other", LINK_KIND_VIDEO },
	{ "videogame", LINK_KIND_GAME },
	{ "videoobject", LINK_KIND_VIDEO },
};

static int
compare_kind(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

/* The kind a page says it is, or -1. */
static int
page_kind(const char *kind)
{
	struct buf lower = BUF_INIT;
	const void *found;
	size_t i;
	int rc = -1;

	if (!kind)
		return -1;
	for (i = 0; kind[i]; i++)
		buf_addc(&lower, kind[i] >= 'A' && kind[i] <= 'Z'
					 ? (char)(kind[i] - 'A' + 'a')
					 : kind[i]);
	found = bsearch(lower.ptr, page_kinds,
			sizeof(page_kinds) / sizeof(*page_kinds),
			sizeof(*page_kinds), compare_kind);
	if (found)
		rc = (int)((const __typeof__(page_kinds[0]) *)found)->kind;
	buf_release(&lower);
	return rc;
}

/* The authority ("host:port") of a normalized URL. */
static void
authority(const char *normalized, struct buf *out)
{
	const char *s = strstr(normalized, "://");

	buf_clear(out);
	if (!s)
		return;
	s += 3;
	buf_add(out, s, strcspn(s, "/?#"));
}

/* The canonical URL when it is on the same site as url, else url. */
static const char *
stored_url(const char *url, const char *canonical)
{
	struct buf a = BUF_INIT, b = BUF_INIT, host_a = BUF_INIT;
	struct buf host_b = BUF_INIT;
	bool same = false;

	if (canonical && url_normalize(url, strlen(url), &a) == 0 &&
	    url_normalize(canonical, strlen(canonical), &b) == 0) {
		authority(a.ptr, &host_a);
		authority(b.ptr, &host_b);
		same = host_a.len && buf_equals(&host_a, host_b.ptr);
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&host_a);
	buf_release(&host_b);
	return same ? canonical : url;
}

/* "fr" from "fr", "fr_FR", "fr-FR": the page's language, as a BCP 47
 * tag, when its primary language is not the site's; else NULL. */
static char *
page_language(const struct config *cfg, const char *language)
{
	const char *site = config_language_code(cfg->language);
	struct buf tag = BUF_INIT;
	size_t i, primary;

	if (!language)
		return NULL;
	for (i = 0; language[i] && i < 35; i++) {
		char c = language[i];

		if (c == '_')
			c = '-';
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-')) {
			buf_release(&tag);
			return NULL;
		}
		buf_addc(&tag, c);
	}
	primary = strcspn(tag.ptr, "-");
	if (primary < 2 || primary > 8 || language[i] ||
	    (primary == strlen(site) && strncasecmp(tag.ptr, site, primary) ==
						    0)) {
		buf_release(&tag);
		return NULL;
	}
	return buf_detach(&tag, NULL);
}

/* Splits $EDITOR on white space (no shell: no quoting, no expansion). */
static char **
editor_argv(const char *editor, const char *file)
{
	char **argv = NULL;
	size_t n = 0, cap = 0, len;

	while (*editor) {
		editor += strspn(editor, " \t");
		len = strcspn(editor, " \t");
		if (!len)
			break;
		argv = xgrow(argv, n + 1, &cap, sizeof(*argv));
		argv[n++] = xmemdupz(editor, len);
		editor += len;
	}
	argv = xgrow(argv, n + 2, &cap, sizeof(*argv));
	argv[n++] = xstrdup(file);
	argv[n] = NULL;
	return argv;
}

/* Opens $EDITOR on a temporary file holding *note; on success *note is
 * the new text (new string in *owned). */
static int
edit_note(struct cmd_context *ctx, const char **note, char **owned)
{
	const char *editor = getenv("EDITOR"), *tmpdir = getenv("TMPDIR");
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct report_pos pos = { NULL, 0, 0 };
	char **argv = NULL;
	int fd = -1, status, rc = -1;
	size_t i;
	pid_t pid;

	if (!editor || !*editor)
		editor = "vi";
	buf_addf(&path, "%s/curator-note-XXXXXX.md",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	pos.file = path.ptr;
	fd = mkstemps(path.ptr, 3);
	if (fd < 0) {
		report_error(ctx->rep, &pos, "cannot create: %s",
			     strerror(errno));
		goto out;
	}
	if (*note && write(fd, *note, strlen(*note)) < 0) {
		report_error(ctx->rep, &pos, "cannot write: %s",
			     strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	argv = editor_argv(editor, path.ptr);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		report_error(ctx->rep, NULL, "cannot start the editor: %s",
			     strerror(errno));
		goto out;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "curator: error: cannot run the editor '%s': "
				"%s\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			report_error(ctx->rep, NULL, "lost the editor: %s",
				     strerror(errno));
			goto out;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		report_error(ctx->rep, NULL,
			     "the editor '%s' failed (status %d): nothing "
			     "written",
			     editor,
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		report_hint(ctx->rep, "set EDITOR to the editor to use, or "
				      "give the note with --note TEXT");
		goto out;
	}
	if (file_read(ctx->rep, path.ptr, 1024 * 1024, &text) != 0)
		goto out;
	*owned = buf_detach(&text, NULL);
	*note = *owned;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (path.len)
		unlink(path.ptr);
	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
	buf_release(&path);
	buf_release(&text);
	return rc;
}

static int
check_topics(struct cmd_context *ctx, const struct config *cfg,
	     const struct tag_options *o)
{
	const char *near;
	size_t i;
	int rc = 0;

	for (i = 0; i < o->link.ntopics; i++) {
		if (config_topic(cfg, o->link.topics[i]))
			continue;
		near = curate_suggest_topic(cfg, o->link.topics[i]);
		if (near)
			rc = report_error(ctx->rep, NULL,
					  "unknown topic \"%s\" (did you mean "
					  "\"%s\"?)",
					  o->link.topics[i], near);
		else
			rc = report_error(ctx->rep, NULL,
					  "unknown topic \"%s\"",
					  o->link.topics[i]);
	}
	if (rc)
		curate_hint_topics(ctx->rep, cfg);
	return rc;
}

static int
parse_options(struct cmd_context *ctx, int argc, char **argv,
	      struct tag_options *o)
{
	static const struct option longopts[] = {
		CMD_LINK_LONG_OPTIONS,
		{ "edit", no_argument, NULL, 'e' },
		{ "isbn", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "no-fetch", no_argument, NULL, 'F' },
		{ "update", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cmd_link_option(&o->link, c, optarg))
			continue;
		switch (c) {
		case 'e':
			o->edit = true;
			break;
		case 's':
			o->isbn = optarg;
			break;
		case 'd':
			o->date = optarg;
			break;
		case 'F':
			o->no_fetch = true;
			break;
		case 'u':
			o->update = true;
			break;
		default:
			return cmd_usage_error(ctx, "tag", "bad option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "tag", "expected one URL");
	o->url = argv[optind];
	if (o->link.note && o->edit)
		return cmd_usage_error(ctx, "tag",
				       "--note and --edit go separately");
	if (o->no_fetch && !o->link.title)
		return cmd_usage_error(ctx, "tag",
				       "--no-fetch needs --title TEXT");
	return 0;
}

/* Checks the values of the options; fills kind, isbn and date. */
static int
check_values(struct cmd_context *ctx, const struct tag_options *o,
	     enum link_kind *kind, bool *has_kind, char isbn[14],
	     int64_t *date)
{
	struct report_pos pos = { o->url, 0, 0 };

	if (!config_check_http_url(o->url, false)) {
		report_error(ctx->rep, &pos,
			     "not an http:// or https:// URL");
		report_hint(ctx->rep, "copy the whole address from the "
				      "browser, starting with https://");
		return EXIT_FAILURE_;
	}
	if (o->link.kind) {
		if (link_kind_parse(o->link.kind, kind) != 0)
			return cmd_usage_error(
				ctx, "tag",
				"unknown kind '%s' (article, book, music, "
				"film, manga, comic, game, podcast, video, "
				"event)",
				o->link.kind);
		*has_kind = true;
	}
	if (o->isbn && cmd_isbn_option(ctx, o->isbn, isbn) != 0)
		return EXIT_FAILURE_;
	if (o->date) {
		if (yaml_parse_date(o->date, strlen(o->date), date, NULL) !=
		    0)
			return cmd_usage_error(
				ctx, "tag",
				"--date: not a date like 2026-11-24 or "
				"2026-11-24T09:00:00+01:00: '%s'",
				o->date);
	} else {
		*date = cmd_now();
	}
	return 0;
}

static int
report_duplicate(struct cmd_context *ctx, const char *url, const char *rel)
{
	struct report_pos pos = { url, 0, 0 };
	struct buf name = BUF_INIT;

	if (strcmp(ctx->dir, ".") != 0)
		buf_addf(&name, "%s/", ctx->dir);
	buf_adds(&name, rel);
	report_error(ctx->rep, &pos, "already tagged in %s", name.ptr);
	report_hint(ctx->rep, "add topics, tags or a note to it with "
			      "--update, or edit that file");
	buf_release(&name);
	return EXIT_FAILURE_;
}

int
cmd_tag(struct cmd_context *ctx, int argc, char **argv)
{
	struct tag_options o = { 0 };
	struct config cfg = { 0 };
	struct page_meta meta = { 0 };
	struct link_draft d = { 0 };
	enum link_kind kind = LINK_KIND_ARTICLE;
	bool has_kind = false, has_config = false;
	char isbn[14] = "", *final_url = NULL, *rel = NULL, *edited = NULL;
	char *language = NULL;
	const char *url;
	int64_t date = 0;
	int rc, changed, found;

	rc = parse_options(ctx, argc, argv, &o);
	if (rc)
		goto out;
	rc = EXIT_FAILURE_;
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	has_config = true;
	rc = check_values(ctx, &o, &kind, &has_kind, isbn, &date);
	if (rc)
		goto out;
	rc = EXIT_FAILURE_;
	if (check_topics(ctx, &cfg, &o) != 0)
		goto out;
	url = o.url;
	switch (link_write_find(ctx->rep, ctx->dir, url, &rel)) {
	case -1:
		goto out;
	case 1:
		if (!o.update) {
			rc = report_duplicate(ctx, url, rel);
			goto out;
		}
		goto update;
	default:
		break;
	}
	if (!o.no_fetch) {
		if (cmd_page_fetch(ctx, &cfg, url, &meta, &final_url) != 0)
			goto out;
		url = stored_url(o.url, meta.canonical);
		found = url != o.url ? link_write_find(ctx->rep, ctx->dir,
							url, &rel)
				      : 0;
		if (found < 0)
			goto out;
		if (found == 1 && !o.update) {
			rc = report_duplicate(ctx, url, rel);
			goto out;
		}
		if (found == 1)
			goto update;
	}
	if (!has_kind && page_kind(meta.kind) >= 0) {
		kind = (enum link_kind)page_kind(meta.kind);
		has_kind = true;
	}
	if (!o.isbn && meta.isbn[0])
		memcpy(isbn, meta.isbn, sizeof(isbn));
	d.title = o.link.title ? o.link.title : meta.title;
	if (!d.title) {
		report_error(ctx->rep, NULL, "%s: the page has no title", url);
		report_hint(ctx->rep, "give one with --title TEXT");
		goto out;
	}
	if (o.edit && edit_note(ctx, &o.link.note, &edited) != 0)
		goto out;
	language = page_language(&cfg, meta.language);
	d.url = url;
	d.topics = o.link.topics;
	d.ntopics = o.link.ntopics;
	d.tags = o.link.tags;
	d.ntags = o.link.ntags;
	d.kind = has_kind && kind != LINK_KIND_ARTICLE ? link_kind_name(kind)
						       : NULL;
	d.by = o.link.by;
	d.date = date;
	d.image = meta.image;
	d.isbn = isbn[0] ? isbn : NULL;
	d.source = meta.site_name;
	d.language = language;
	d.note = o.link.note;
	if (link_write_new(ctx->rep, ctx->dir, &d, &rel) != 0)
		goto out;
	cmd_print_site_path(ctx, rel);
	rc = EXIT_OK;
	goto out;
update:
	if (o.edit && edit_note(ctx, &o.link.note, &edited) != 0)
		goto out;
	d.topics = o.link.topics;
	d.ntopics = o.link.ntopics;
	d.tags = o.link.tags;
	d.ntags = o.link.ntags;
	d.note = o.link.note;
	changed = link_write_update(ctx->rep, ctx->dir, rel, &d);
	if (changed < 0)
		goto out;
	cmd_print_site_path(ctx, rel);
	rc = EXIT_OK;
out:
	cmd_link_options_release(&o.link);
	free(final_url);
	free(rel);
	free(edited);
	free(language);
	page_meta_release(&meta);
	if (has_config)
		config_release(&cfg);
	return rc;
}
