/*
 * curate: what the librarians wrote (tagged links, pages, playlists) and
 * the rules that route feed items to topics.
 *
 * The one public header of the curate stage. It reads the site's content
 * files (YAML front matter + CommonMark, see core/frontmatter.h), checks
 * them against the configuration, and hands the render stage plain
 * structs. Every error names the file and line; all errors of a run are
 * reported, not only the first.
 */
#ifndef CURATOR_CURATE_CURATE_H
#define CURATOR_CURATE_CURATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/report.h"

/* NOTE: the order matches link_kind_name(); article is the default. */
enum link_kind {
	LINK_KIND_ARTICLE,
	LINK_KIND_BOOK,
	LINK_KIND_MUSIC,
	LINK_KIND_FILM,
	LINK_KIND_MANGA,
	LINK_KIND_COMIC,
	LINK_KIND_GAME,
	LINK_KIND_PODCAST,
	LINK_KIND_VIDEO,
	LINK_KIND_EVENT,
	LINK_KIND_COUNT,
};

/* "article", "book", ...; "article" for a value out of range. */
const char *link_kind_name(enum link_kind kind);
/* Returns 0 and sets *kind for a known name (exact, lowercase), else -1
 * with *kind untouched. */
int link_kind_parse(const char *name, enum link_kind *kind);

/* The topic slug of cfg closest to word (yaml_suggest: at most 2 edits),
 * or NULL. Borrowed from cfg. */
const char *curate_suggest_topic(const struct config *cfg,
				 const char *word);
/* Reports the hint "the topics of curator.yaml are: manga, musique" (or
 * that it has none), after an unknown topic. */
void curate_hint_topics(struct report *rep, const struct config *cfg);

/*
 * A tagged link: links/YYYY/MM/SLUG.md (any *.md under links/ is read;
 * its folders may be anything, YYYY/MM is what curator tag writes).
 *
 *   ---
 *   url: https://planete-manga.example/series/frieren    (required)
 *   title: "Frieren : l'aventure commence"                (required)
 *   topics: [manga]          each a topic slug of curator.yaml
 *   tags: [fantasy, coup de cœur]
 *   kind: manga              see enum link_kind; default article
 *   by: Aiko                 the librarian
 *   date: 2026-11-24T10:00:00+01:00   (required) RFC 3339 or 2026-11-24
 *   image: https://…         absolute http(s) URL
 *   isbn: 978-2-505-11234-1  ISBN-10/13 or EAN-13, check digit checked
 *   source: Planète Manga    where it was found
 *   language: ja             when the page is not in the site's language
 *   item: "1234"             the store item it was picked from
 *   ---
 *   The note, in CommonMark.
 *
 * Strings are UTF-8 with their ends' white space trimmed, NULL when
 * absent; a key with no value counts as absent.
 */
struct link {
	char *path;          /* "links/2026/11/frieren-tome-1.md" */
	char *slug;          /* "frieren-tome-1": the file name, which must
			      * be [a-z0-9-] (no hyphen at the ends) */
	char *output_dir;    /* "links/2026/11/frieren-tome-1": YYYY/MM of
			      * its folder when that is links/YYYY/MM/, else
			      * of its date in UTC; unique among links */
	char *url;           /* absolute http(s) URL of what was tagged */
	char *title;
	char **topics;       /* topic slugs, each one of config's topics,
			      * without duplicates, in file order */
	size_t ntopics;
	char **tags;         /* as written ("coup de cœur"); empty ones and
			      * duplicates dropped */
	size_t ntags;
	enum link_kind kind;
	char *by;            /* the librarian */
	int64_t date;        /* UTC seconds (a date alone: its 00:00 UTC) */
	char *image;         /* absolute URL or NULL */
	char isbn[14];       /* ISBN-13/EAN-13 digits or "" */
	char *source;        /* where it was found (site name), or NULL */
	char *language;      /* BCP 47 when not the site's language, or NULL */
	char *item_id;       /* the store item it was picked from, or NULL */
	char *note_html;     /* the note: CommonMark (cmark, safe mode, smart
			      * punctuation) then sanitize_html() with the
			      * site's url as base; "" when there is none */
	char *note_text;     /* html_to_text() of note_html (summaries) */
};

/*
 * A free page: pages/SLUG.md (only that folder, not its subfolders).
 * Front matter: title (required), slug (default: the file name; [a-z0-9-]),
 * menu (0 to 99: its position in the navigation, 0 or absent: not in it).
 * Slugs are unique among pages and may not be one of the site's own paths
 * (topics, tags, links, search, accessibilite, playlists, media, assets,
 * 404). NOTE: the slug "infos" is allowed: that page is the text of the
 * practical information page (infos/), shown with the opening hours.
 */
struct page {
	char *path;          /* "pages/infos.md" */
	char *slug;          /* front matter slug, else the file name */
	char *title;
	int menu;            /* position in the navigation, 0: not in it */
	char *body_html;     /* as a link's note_html */
};

struct site_content {
	struct link *links;  /* newest first; ties by path */
	size_t nlinks;
	struct page *pages;  /* those in the menu by position, then the
			      * others; ties by slug */
	size_t npages;
	/* Playlists (issue 5) will come here. */
};

/*
 * Reads links/ (recursively: *.md files, in byte order of names, names
 * starting with "." skipped) and the *.md files of pages/ under site_dir,
 * naming files "links/…" in messages when site_dir is ".", else
 * "SITE_DIR/links/…".
 * Checks front matter keys (unknown key: "did you mean"), types, dates,
 * URLs, topics (each must be in cfg), kinds, ISBNs, slugs and duplicate
 * addresses, each error at its file's line with a hint:
 *
 *   links/2026/11/a.md:4: unknown topic "mangas" (did you mean "manga"?)
 *
 * Returns 0, or -1 after reporting every error found (then content is
 * empty). A site without links/ or pages/ is fine. Release with
 * site_content_release (safe on an empty content).
 */
int curate_load(struct report *rep, const struct config *cfg,
		const char *site_dir, struct site_content *content);
void site_content_release(struct site_content *content);

/*
 * Topic routing for one feed item: fills in_topic[i] for cfg->topics[i].
 * An item belongs to a topic when its source is subscribed under that
 * topic (source_topics, from the OPML category) or its title, summary or
 * categories match one of the topic's include keywords, and none of its
 * exclude keywords match. Matching is on whole words, case- and
 * accent-insensitive ("shonen" matches "Shōnen").
 */
void curate_route(const struct config *cfg, const char *title,
		  const char *summary, const char *const *categories,
		  size_t ncategories, const char *const *source_topics,
		  size_t nsource_topics, bool *in_topic);

#endif
