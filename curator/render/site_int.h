/*
 * site_int.h: what the files of `curator build` share (render stage only).
 *
 *   site.c         the build: checks, order of work, the machine files
 *   site_theme.c   the theme: embedded default + site override, strings
 *   site_items.c   feed items from the store, routed to topics
 *   site_images.c  privacy.images: copy (download once, cache, media/)
 *   site_model.c   the page model's JSON (docs/PAGE-MODEL.md)
 *   site_pages.c   the list of pages and their rendering
 *   site_playlists.c  the playlists' pages and files, playlist cards
 */
#ifndef CURATOR_RENDER_SITE_INT_H
#define CURATOR_RENDER_SITE_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/report.h"
#include "curate/curate.h"
#include "ingest/ingest.h"
#include "render/feeds.h"
#include "render/output.h"
#include "render/render.h"

/* A file of the default theme, compiled into the binary by tools/embed
 * ($(BUILD)/gen/theme_default.c). name is relative to themes/default/. */
struct theme_file {
	const char *name;
	const char *data;
	size_t len;
};

extern const struct theme_file theme_default_files[];
extern const size_t theme_default_nfiles;

struct site_theme {
	char *dir;              /* SITE/themes/NAME when it exists, or NULL */
	struct tmpl_set *set;
	json_t *strings;        /* the "t" object */
};

/* A feed item as the pages need it (the store's item, trimmed). */
struct site_item {
	int64_t id;
	int64_t date;           /* published, else first seen */
	char *title;
	char *url;
	char *summary;          /* plain text or NULL */
	char *image;            /* absolute URL or NULL */
	char *language;
	size_t source;          /* index in site.sources */
	unsigned char *in_topic; /* cfg->ntopics flags */
	bool is_shown;          /* in at least one auto topic */
};

struct site_source {
	int64_t id;
	char *title;
	char *html_url;
	char **topics;
	size_t ntopics;
};

/* One entry of a list page: a link or a feed item. */
struct site_ref {
	bool is_link;
	size_t index;
};

struct site_tag {
	char *slug;
	char *name;             /* the first spelling met (links newest first) */
	size_t *links;          /* indices in content->links, newest first */
	size_t nlinks;
};

struct site_images;

struct site {
	struct report *rep;
	const struct config *cfg;
	const struct site_content *content;
	const char *site_dir;
	char *url;              /* absolute, ending in '/' */
	char *base;             /* its path: "/" or "/sub/" */
	struct site_theme theme;
	struct output *out;
	struct site_images *images;

	struct site_source *sources;
	size_t nsources;
	struct site_item *items; /* newest first */
	size_t nitems;

	struct site_tag *tags;  /* by slug */
	size_t ntags;
	const char ***link_tag_slugs; /* [link][tag]: slug in tags, or NULL */

	json_t *site_obj;       /* "site" */
	json_t *topics_arr;     /* "topics" */
	json_t *nav;            /* "nav" with no entry current, or NULL */
	json_t **link_cards;    /* [link]: site_model_link(, false), or NULL */
	unsigned char *link_topics; /* [link * ntopics + t]: link in topic t */
	struct site_ref **topic_refs; /* [topic]: site_topic_refs(), or NULL */
	size_t *ntopic_refs;

	struct sitemap_url *sitemap;
	size_t nsitemap;
	size_t sitemap_cap;
	size_t nhtml;           /* HTML pages rendered */
	struct buf html;        /* reused for every page */

	unsigned jobs;          /* --jobs: 0 automatic */
	unsigned worker;        /* this process's number in a parallel part */
	unsigned nworkers;      /* 0 or 1 outside a parallel part */
	size_t page_seq;        /* pages met in the parallel part */
};

/* The most worker processes a build uses. */
#define SITE_MAX_JOBS 16

/* site_theme.c */
int site_theme_load(struct site *s);
void site_theme_release(struct site_theme *theme);
int site_theme_write_assets(struct site *s);

/* site_items.c: loads SITE/.curator/state.db when it exists. */
int site_items_load(struct site *s);
void site_items_release(struct site *s);

/* site_images.c */
/* The image cache, relative to the site folder. */
#define SITE_MEDIA_CACHE ".curator/media-cache"
/* A failed download (HASH.none in the cache) is not retried for this
 * many seconds after its mtime. NOTE: the build fingerprint
 * (site_stamp.c) expires with the first such retry. */
#define SITE_IMAGE_RETRY_S (24 * 3600)
struct site_images *site_images_new(struct site *s);
void site_images_free(struct site_images *im);
/* The site-relative path ("media/0123abcd.jpg") of url's local copy,
 * downloading it the first time (a warning and NULL on failure), or NULL
 * for NULL/non-http URLs. Borrowed from im. */
const char *site_images_get(struct site_images *im, const char *url);
/* Writes every media file used by this build through the output. */
int site_images_write(struct site_images *im, struct output *out);

/* site_model.c */
void site_date_label(const struct site *s, int64_t t, bool is_day,
		     struct buf *out);
json_t *site_model_site(struct site *s);
json_t *site_model_topics(struct site *s);
json_t *site_model_page(struct site *s, const char *kind, const char *title,
			const char *path, const char *description,
			const char *current);
json_t *site_model_link(struct site *s, const struct link *link,
			bool is_detailed);
/* site_model_link(s, link, false), made once per link and shared: a new
 * reference to an object nobody may change. */
json_t *site_model_link_card(struct site *s, const struct link *link);
/* Whether link number i is in topic number t. */
bool site_link_in_topic(const struct site *s, size_t i, size_t t);
/* Fills s->link_topics (once, before site_model_topics). */
void site_model_link_topics(struct site *s);
/* Frees the caches of site_model.c. */
void site_model_release(struct site *s);
json_t *site_model_item(struct site *s, const struct site_item *item);
json_t *site_model_hours(struct site *s);
void site_url_path(const struct site *s, const char *path, struct buf *out);
void site_url_abs(const struct site *s, const char *path, struct buf *out);
const char *site_tag_slug(const struct site *s, const char *name);
/* The image of an entry as the page shows it (local path or the original
 * URL, by privacy.images); appends nothing when there is none. With abs,
 * an absolute URL. */
void site_image_url(struct site *s, const char *url, bool is_abs,
		    struct buf *out);

/* site_pages.c */
int site_pages_write(struct site *s);
/* The entries of topic t, newest first, made for every topic at the
 * first call: *out is borrowed from s until site_model_release(). Returns
 * how many. */
size_t site_topic_refs(struct site *s, size_t t,
		       const struct site_ref **out);
/* Renders template name over ctx and writes relpath; adds the page to the
 * sitemap when loc_path is not NULL. Takes ctx's reference. */
int site_render(struct site *s, const char *name, json_t *ctx,
		const char *relpath, const char *loc_path, int64_t lastmod);
void site_sitemap_add(struct site *s, const char *path, int64_t lastmod);

/* In a parallel part, whether the next page is another worker's: it is
 * then counted and added to the sitemap but not built here. Call once per
 * page, before building its model, in the same order in every worker. */
bool site_page_is_elsewhere(struct site *s, const char *loc_path,
			    int64_t lastmod);
/* The same for work that is not an HTML page (a feed): nothing counted. */
bool site_work_is_elsewhere(struct site *s);

/* site.c: the Atom and JSON feeds and search/index.json, each one piece
 * of work for site_work_is_elsewhere(). */
int site_feeds_write(struct site *s);

/* site_workers.c */
/* How many processes render the pages: jobs, or with 0 the online CPUs
 * for a site big enough to gain from it (at most SITE_MAX_JOBS). */
unsigned site_workers_count(const struct site *s, unsigned jobs);
/* Runs fn, which writes pages through site_render() and calls
 * site_page_is_elsewhere() before each, in n processes (this one and
 * n - 1 forked ones), each rendering one page in n; then takes the other
 * workers' files into s->out and prints every message in the order one
 * process would have. With n < 2 (or when fork fails) just calls fn.
 * Returns 0, or -1 after reporting (fn failed in a worker, a worker
 * died). */
int site_workers_run(struct site *s, unsigned n, int (*fn)(struct site *s));
/* Marks the start of page number page in the parallel part's messages. */
void site_workers_mark(struct site *s, size_t page);

/* site_playlists.c */
/* A playlist as a card (title, url, kind, kind_label, by, description,
 * date, count, count_label, duration_label for music, image). New
 * reference. */
json_t *site_model_playlist_card(struct site *s, const struct playlist *pl);
/* The cards of the newest playlists (those tagged with topic when it is
 * not NULL), at most max. New reference, [] when none. */
json_t *site_model_playlist_cards(struct site *s, const char *topic,
				  size_t max);
/* [{title, url}] of the playlists that have l among their entries, in
 * the playlists' order. New reference. */
json_t *site_model_link_playlists(struct site *s, const struct link *l);
/* Writes playlists/index.html and, for each playlist, playlists/SLUG/
 * index.html, SLUG.xspf, SLUG.jspf and (music with URLs) SLUG.m3u;
 * nothing when the site has no playlist. Returns 0, or -1 after
 * reporting. */
int site_playlists_write(struct site *s);

#endif
