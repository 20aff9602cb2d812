/*
 * render: the render stage (templates, page model, writing output/).
 *
 * Templates are Mustache (https://mustache.github.io/mustache.5.html),
 * conforming to the official specification's required modules
 * (interpolation, sections, inverted sections, comments, partials, set
 * delimiters) and its optional inheritance module ({{<parent}} and
 * {{$block}}). Lambdas are NOT implemented: the data is JSON (jansson),
 * which has no functions to call.
 *
 * A template is compiled once into a flat list of nodes and rendered many
 * times over jansson values into a struct buf. Templates live in a
 * struct tmpl_set, which owns them, shares one set of options and finds
 * partials and parents through a loader callback (the caller decides where
 * they come from: a theme folder, the binary, a test's table).
 *
 * Language notes (where the specification leaves room):
 *
 * - Falsey values (an inverted section renders, a section does not):
 *   a missing name, null, false, "", 0, 0.0 and []. Everything else is
 *   truthy; an array iterates, any other truthy value is pushed once.
 * - Interpolation: strings as they are, integers in decimal, reals in the
 *   shortest form that reads back to the same double ("1.21"), true and
 *   false as words, null, objects and arrays as nothing.
 * - {{x}} escapes & < > " and ' (as &amp; &lt; &gt; &quot; &#39;). The
 *   specification's escaping case only lists & " < >, so this stays
 *   conformant while closing single-quoted attributes as well.
 * - Standalone lines: a line holding only white space and one
 *   non-interpolation tag is removed. A line holding only white space and
 *   several parent/block tags ({{<a}}{{$b}}, {{/b}}{{/a}}) is standalone
 *   too, except when a block opens and closes on that same line. Block
 *   indentation follows the specification's whitespace notes: a block's
 *   intrinsic indentation is stripped where it is defined and the
 *   expansion site's indentation is added where it is used.
 * - A missing partial or parent renders as the empty string (as the
 *   specification says) with a warning; in theme mode it is an error.
 * - Partials and parents nested deeper than max_depth (64) at render time
 *   stop the render with an error (a recursive partial whose data never
 *   ends the recursion).
 * - Blocks: {{$name}} inside a regular partial can be overridden by the
 *   parent chain too ("injecting a partial is a parent without
 *   arguments"); overrides nearest to the page win.
 *
 * HTML safety (shared/DESIGN.md, issue "Security across the pipeline"):
 * with is_html, the compiler follows an HTML tokenizer over the template's
 * literal text, so that every tag knows where it stands, and the engine
 * (not the template author) applies:
 *
 * - href, src, srcset, action, formaction, poster, cite, data (and a few
 *   legacy URL attributes, and the content of <meta http-equiv=refresh>):
 *   the value passes url_filter_link() (http, https, mailto and relative
 *   URLs stay, anything else becomes "#"), then HTML escaping; in srcset
 *   each candidate URL is filtered. A tag after a literal prefix that
 *   already fixes the scheme (/, ?, #, :) is only escaped.
 * - an unquoted attribute value or a spot inside a tag: white space, = and
 *   ` are escaped too, so that a value cannot start a new attribute.
 * The tokenizer reads the template linearly (sections do not fork it) and
 * starts every partial and every argument block in text content.
 *
 * Theme mode (is_theme, implies is_html) also rejects at compile time,
 * naming file and line: an interpolation or partial inside <script> or
 * <style>, inside a style= or on...= attribute, in an unquoted attribute
 * value or inside a tag outside any attribute value; a block outside text
 * content; a URL attribute whose scheme a value could still choose
 * (href="java{{x}}", href="{{a}}{{b}}"); and {{{x}}} / {{&x}} unless the
 * name is marked as sanitized HTML.
 *
 * The sanitized-HTML convention: a name whose last segment ends in "_html"
 * ({{{item.content_html}}}, {{{note_html}}}) holds HTML that went through
 * curator's sanitizer; the page model only gives that suffix to such
 * fields, and only those may be unescaped in a theme (in text content).
 */
#ifndef CURATOR_RENDER_RENDER_H
#define CURATOR_RENDER_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/digest.h"
#include "core/report.h"
#include "curate/curate.h"

#define TMPL_MAX_DEPTH 64

/*
 * Finds the template called name ({{> name}}, {{< name}}, tmpl_load()).
 * On success appends its source to text and a path for messages to path
 * (e.g. "themes/default/partials/item.mustache") and returns 0. Returns 1
 * when there is no such template (path may then say where it looked, for
 * the hint), or -1 after reporting another failure through rep (a read
 * error, a name it refuses).
 */
typedef int tmpl_load_fn(void *data, struct report *rep, const char *name,
			 struct buf *path, struct buf *text);

struct tmpl_options {
	bool is_html;          /* track the HTML context, filter URL values */
	bool is_theme;         /* is_html + reject unsafe constructs */
	unsigned max_depth;    /* nested partials/parents; 0 = TMPL_MAX_DEPTH */
	tmpl_load_fn *load;    /* NULL: every partial is missing */
	void *load_data;       /* passed to load as is */
};

/* A compiled template; owned by its set, immutable once compiled. */
struct tmpl;
/* A set of templates sharing options, a loader and a reporter. */
struct tmpl_set;

/* Creates an empty set. rep and the loader's data are borrowed and must
 * outlive the set; opts is copied. Never fails. */
struct tmpl_set *tmpl_set_new(struct report *rep,
			      const struct tmpl_options *opts);
/* Frees the set and every template in it. NULL is a no-op. */
void tmpl_set_free(struct tmpl_set *set);

/*
 * Compiles src (len bytes, need not be NUL-terminated) as the template
 * called name, shown as path in messages (NULL: name), and every partial
 * and parent it refers to (through the loader, each compiled once per
 * set). Returns the template, owned by the set until tmpl_set_free(), or
 * NULL after reporting every error found ("file:line: unclosed section
 * \"items\"") through the set's reporter. A name already compiled in this
 * set is replaced for later look-ups; templates already compiled keep
 * pointing at the old one.
 */
const struct tmpl *tmpl_compile(struct tmpl_set *set, const char *name,
				const char *path, const char *src, size_t len);
/* Returns the template called name, loading and compiling it through the
 * loader the first time. NULL after reporting (missing, bad). */
const struct tmpl *tmpl_load(struct tmpl_set *set, const char *name);

/*
 * Renders t over data (borrowed; NULL renders over an empty context),
 * appending to out. Returns 0, or -1 after reporting (nesting deeper than
 * max_depth); out then holds a partial result the caller should discard.
 * A set's templates may be rendered by one thread at a time.
 */
int tmpl_render(const struct tmpl *t, const json_t *data, struct buf *out);

/* The path shown in t's messages (borrowed from t). */
const char *tmpl_path(const struct tmpl *t);

/* True when name's last dot-separated segment ends in "_html": the mark
 * of sanitized HTML that a theme may print unescaped. */
bool tmpl_name_is_html(const char *name, size_t len);

/* ------------------------------------------------------- curator build */

/*
 * The site build (site*.c): every page of docs/PAGE-MODEL.md rendered
 * with the theme (the default one compiled into the binary, overridden
 * file by file by SITE/themes/NAME/), the feeds, the search index,
 * sources.opml, sitemap.xml, robots.txt, _headers, nginx.conf.example,
 * the theme's assets and, with privacy.images: copy, the images under
 * media/ (cached in SITE/.curator/media-cache/).
 */
struct site_build_options {
	const char *site_dir;   /* the site folder */
	const char *out_dir;    /* NULL: SITE_DIR/output */
	const char *base_url;   /* NULL: the configured url */
	unsigned jobs;          /* processes rendering pages (at most 16
				 * are used); 0: one per CPU for a big
				 * site, else one */
};

struct site_build_stats {
	size_t pages;           /* HTML pages rendered */
	size_t files;           /* files in the output (written or not) */
	size_t written;         /* new or changed files */
	size_t removed;         /* files of the previous build deleted */
	/* The digest of the files written or kept, each with the size,
	 * mtime and inode it had then (for site_stamp_save()). */
	char files_digest[DIGEST_HEX_SIZE];
};

/*
 * Builds the site from cfg and content (both borrowed; content already
 * checked by curate_load) and the feed items in SITE_DIR/.curator/state.db
 * when it exists (a site never fetched has none: no store is created).
 * The theme is compiled and the store read before anything is written;
 * any error after that aborts the build and leaves the previous output as
 * it was. Deterministic: no build time in any file, stable orders.
 * NOTE: sets the TZ environment variable to cfg->timezone (dates are
 * shown in the site's zone with localtime_r). Fills *stats. Returns 0, or
 * -1 after reporting.
 */
int site_build(struct report *rep, const struct config *cfg,
	       const struct site_content *content,
	       const struct site_build_options *opts,
	       struct site_build_stats *stats);

/*
 * The build fingerprint (site_stamp.c, docs/DESIGN-NOTES.md): lets
 * `curator build` skip a build whose every input is what it was at the
 * previous successful build into the same output folder, when that
 * build's files are still in place as it left them.
 *
 * Safe by construction: site_stamp_compute() runs before anything is
 * read for the build, so a change made while the build runs is a change
 * for the next one; site_stamp_forget() runs before a build may write,
 * and site_stamp_save() only after it fully succeeded.
 */
struct site_stamp {
	char inputs[DIGEST_HEX_SIZE]; /* digest of every input */
	int64_t valid_until;    /* UTC seconds from which the build's own
				 * use of the clock may give other bytes;
				 * INT64_MAX: never */
	bool is_racy;           /* an input changed too recently for its
				 * mtime to tell a later change (or could
				 * not be read): never recorded */
};

/* Ignore a stamp recorded within this long of an input's last change. */
#define SITE_STAMP_RACY_NS 2000000000LL

/*
 * Computes the fingerprint of building opts->site_dir with cfg (loaded
 * from it) and opts: curator.yaml's bytes; the options; this binary
 * (version, ELF build ids or file status of the program and its shared
 * libraries, the built-in theme's bytes); path, size, mtime, ctime and
 * inode of every file under themes/, links/, pages/, playlists/, of
 * feeds/sources.opml and of the time zone file; the store's change
 * counter; with privacy.images: copy the image cache and the variables
 * CURATOR_ALLOW_PRIVATE and CURATOR_RESOLVE. Never fails: what cannot be
 * read makes the stamp racy.
 */
void site_stamp_compute(const struct config *cfg,
			const struct site_build_options *opts,
			struct site_stamp *out);

/*
 * Whether the previous build into opts' output folder recorded stamp (a
 * stamp that is not racy, before its valid_until) and every file it wrote
 * or kept is still in place with the same size, mtime and inode. Then
 * sets *pages to that build's page count and fills *messages (an empty
 * JSON array on entry is not needed: *messages is set to a new reference,
 * NULL when not fresh) with the warnings and hints it reported, as
 * [["warning", TEXT], ["hint", TEXT], ...], to be shown again. Reports
 * nothing: anything unreadable means not fresh.
 */
bool site_stamp_is_fresh(const struct site_stamp *stamp,
			 const struct site_build_options *opts,
			 size_t *pages, json_t **messages);

/* Removes the recorded stamp of opts' output folder, if any. Returns 0,
 * or -1 after reporting a stamp that cannot be removed (the build must
 * then not go on: that stamp could skip the next one). */
int site_stamp_forget(struct report *rep,
		      const struct site_build_options *opts);

/*
 * Records stamp for opts' output folder after a fully successful build
 * (stats from site_build(), messages as site_stamp_is_fresh() gives them;
 * borrowed). A racy stamp is not recorded (returns 0). The file,
 * STATE/stamp-HASH beside the manifest, is written atomically. Returns 0,
 * or -1 after reporting.
 */
int site_stamp_save(struct report *rep, const struct site_stamp *stamp,
		    const struct site_build_options *opts,
		    const struct site_build_stats *stats,
		    const json_t *messages);

/*
 * Writes the default theme's files under dir (created if missing): the
 * starting point for SITE/themes/NAME/. Refuses (-1 after reporting,
 * nothing written) when any of the files already exists there.
 */
int theme_export(struct report *rep, const char *dir);
/* Loads and compiles the site's theme (cfg->theme: the built-in default,
 * overridden file by file by SITE/themes/NAME/) in theme mode, as
 * curator build would, and writes nothing. Returns 0, or -1 after
 * reporting each unsafe or broken template with its file and line. */
int theme_check(struct report *rep, const struct config *cfg,
		const char *site_dir);
/* How many files the default theme has. */
size_t theme_file_count(void);
/*
 * Playlist files (playlist_formats.c), written beside each playlist's
 * page. cfg gives the site's url (the playlist's info link,
 * SITE/playlists/SLUG/) and catalogue.isbn_url. Text is cleaned of the
 * characters XML forbids and invalid UTF-8; URLs are written as RFC 3986
 * URIs (spaces, non-ASCII and the characters URIs exclude
 * percent-encoded).
 */
struct config;
struct playlist;

/* XSPF 1.0 (namespace http://xspf.org/ns/0/), through libxml2's writer:
 * playlist title, creator (by), annotation (description, else the
 * introduction as text), info (the playlist's page), image, date; one
 * track per entry with, in the schema's order, location (url), identifier
 * (urn:isbn:… for 978/979, else urn:ean:…), title, creator, annotation
 * (the note as text), info (the catalogue link), image, duration (in
 * milliseconds). Appends to out; returns 0, or -1 after reporting. */
int playlist_format_xspf(struct report *rep, const struct config *cfg,
			 const struct playlist *pl, struct buf *out);
/* The same as JSPF (XSPF's JSON form, through jansson): {"playlist":
 * {…, "track": [{"location": [URL], "identifier": [URN], …}]}}, fields
 * in XSPF's order, indented by 2, ending with a newline. */
int playlist_format_jspf(struct report *rep, const struct config *cfg,
			 const struct playlist *pl, struct buf *out);
/* Whether the playlist gets an M3U file: a music playlist with at least
 * one entry with a url. */
bool playlist_has_m3u(const struct playlist *pl);
/* Extended M3U: "#EXTM3U", "#PLAYLIST:Title", then for each entry with a
 * url "#EXTINF:SECONDS,Creator - Title" (-1 seconds when unknown) and the
 * URL. Entries without url are left out. */
void playlist_format_m3u(const struct playlist *pl, struct buf *out);
/* Sets out to catalogue.isbn_url with every {isbn} replaced by isbn
 * (percent-encoded); empty when there is no catalogue or no isbn. */
void playlist_catalogue_url(const struct config *cfg, const char *isbn,
			    struct buf *out);
/* Sets out to "urn:isbn:DIGITS" (978/979) or "urn:ean:DIGITS"; empty when
 * isbn is not 13 digits. */
void playlist_identifier(const char *isbn, struct buf *out);
/* Sets out to the playlist page's absolute URL, SITE/playlists/SLUG/. */
void playlist_page_url(const struct config *cfg, const struct playlist *pl,
		       struct buf *out);

#endif
