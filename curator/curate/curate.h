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

#include "core/buf.h"
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

/* NOTE: the order matches playlist_kind_name(). */
enum playlist_kind {
	PLAYLIST_KIND_MUSIC,
	PLAYLIST_KIND_FILM,
	PLAYLIST_KIND_MANGA,
	PLAYLIST_KIND_BOOK,
	PLAYLIST_KIND_GAME,
	PLAYLIST_KIND_MIXED,
	PLAYLIST_KIND_COUNT,
};

/* "music", "film", ...; "mixed" for a value out of range. */
const char *playlist_kind_name(enum playlist_kind kind);
/* Returns 0 and sets *kind for a known name (exact, lowercase), else -1
 * with *kind untouched. */
int playlist_kind_parse(const char *name, enum playlist_kind *kind);
/* "3:07" for 187 seconds, "1:02:03" from an hour on; into out. */
void playlist_format_duration(long seconds, char out[32]);
/* Parses "m:ss" or "h:mm:ss" (seconds and minutes after the first field
 * 00 to 59; at most 99 hours) into *seconds. Returns 0, or -1. */
int playlist_parse_duration(const char *s, long *seconds);

/*
 * One work of a playlist. Strings as in struct link: trimmed, NULL when
 * absent. An entry written "link: links/2026/11/x.md" takes its title,
 * url, image, isbn and note from that
 * tagged link; keys written beside "link" override them.
 */
struct playlist_entry {
	char *title;         /* required (or from the link) */
	char *creator;       /* artist, author, director, studio */
	int year;            /* 0 when absent; else 1 to 9999 */
	char *url;           /* absolute http(s): where to listen, watch or
			      * read about it */
	char isbn[14];       /* ISBN-13/EAN-13 digits ("isbn" or "ean"),
			      * check digit checked; "" when none */
	long duration;       /* seconds ("m:ss"), -1 when absent */
	char *image;         /* absolute http(s) URL */
	char *note_html;     /* as a link's note_html; "" when none */
	char *note_text;     /* html_to_text() of note_html */
	char *link_path;     /* "links/2026/11/x.md" when a link, else NULL */
	const struct link *link; /* that link, borrowed from the same
				  * struct site_content; NULL if none */
	unsigned long line;  /* where the entry starts in the file */
};

/*
 * A playlist: playlists/SLUG.md (only that folder).
 *
 *   ---
 *   title: "Jazz pour l'hiver"          (required)
 *   kind: music      music, film, manga, book, game or mixed (default)
 *   by: Aiko
 *   description: "Dix albums pour les soirs de neige"
 *   image: https://…                   the cover, absolute http(s)
 *   date: 2026-11-24                   RFC 3339 or a date
 *   topics: [musique]                  each a topic of curator.yaml
 *   entries:                           in order
 *     - title: "Kind of Blue"
 *       creator: Miles Davis
 *       year: 1959
 *       url: https://…
 *       ean: 5099749522428             or isbn:
 *       duration: "45:44"              m:ss (h:mm:ss)
 *       image: https://…
 *       note: "Le disque pour commencer"   CommonMark
 *     - link: links/2026/11/frieren-tome-1.md
 *   ---
 *   The introduction, in CommonMark.
 */
struct playlist {
	char *path;          /* "playlists/jazz-hiver.md" */
	char *slug;          /* the file name: [a-z0-9-] */
	char *title;
	enum playlist_kind kind;
	char *by;
	char *description;
	char *image;
	int64_t date;        /* UTC seconds, valid when has_date */
	bool has_date;
	char **topics;
	size_t ntopics;
	struct playlist_entry *entries;
	size_t nentries;
	long duration;       /* the sum of the entries' durations, -1 when
			      * no entry has one */
	char *intro_html;    /* the body, as a link's note_html */
	char *intro_text;
};

struct site_content {
	struct link *links;  /* newest first; ties by path */
	size_t nlinks;
	struct page *pages;  /* those in the menu by position, then the
			      * others; ties by slug */
	size_t npages;
	struct playlist *playlists; /* newest first (undated last); ties
				     * by slug */
	size_t nplaylists;
};

/*
 * Reads links/ (recursively: *.md files, in byte order of names, names
 * starting with "." skipped), the *.md files of pages/ and those of
 * playlists/ under site_dir,
 * naming files "links/…" in messages when site_dir is ".", else
 * "SITE_DIR/links/…".
 * Checks front matter keys (unknown key: "did you mean"), types, dates,
 * URLs, topics (each must be in cfg), kinds, ISBNs, slugs, durations,
 * duplicate addresses and playlist entries naming a link file that does
 * not exist, each error at its file's line with a hint:
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
 * Writing tagged links (link_write.c): for curator tag and curator pick.
 *
 * A link file is written as YAML front matter in which every value is a
 * double-quoted scalar (core/yaml.h, yaml_emit_*), keys in the order of
 * struct link's comment, absent values left out, then the note. Files
 * are written atomically (temporary file and rename).
 */
struct link_draft {
	const char *url;           /* required: absolute http(s) */
	const char *title;         /* required */
	const char *const *topics; /* topic slugs (the caller checks them) */
	size_t ntopics;
	const char *const *tags;
	size_t ntags;
	const char *kind;          /* link_kind_name(), or NULL: left out */
	const char *by;
	int64_t date;              /* UTC seconds, written RFC 3339 */
	const char *image;
	const char *isbn;          /* 13 digits, or NULL */
	const char *source;
	const char *language;
	const char *item;          /* the store item's ID (curator pick) */
	const char *note;          /* CommonMark, or NULL */
};

/* Appends the whole file (front matter and note) for d to out. */
void link_write_format(const struct link_draft *d, struct buf *out);

/* Looks under SITE_DIR/links/ for a link file whose url is the same as
 * url once both are normalized (url_normalize: case of scheme and host,
 * default port, fragment, utm_* parameters). Files that cannot be read
 * are skipped (curator check reports them). Returns 1 and sets *path (a
 * new site-relative string, "links/2026/11/x.md") when found, 0 when not
 * (*path NULL), -1 after reporting that url is not an http(s) URL. */
int link_write_find(struct report *rep, const char *site_dir,
		    const char *url, char **path);

/* Writes d to a new file links/YYYY/MM/SLUG.md under site_dir: YYYY/MM
 * of d->date in UTC, SLUG from utf8_slug(title) (at most 80 bytes;
 * "link" when the title has no Latin letter or digit), made unique with
 * -2, -3, … Creates the folders. Returns 0 and sets *path (new,
 * site-relative), or -1 after reporting (*path NULL). */
int link_write_new(struct report *rep, const char *site_dir,
		   const struct link_draft *d, char **path);

/* Merges d's topics, tags and note into the existing link file rel
 * (site-relative): topics and tags not yet there are added at the end of
 * their lists, the note is added as a new paragraph unless the body
 * already holds it; every other key and its value are kept, in order
 * (rewritten with the same quoting rules). The file is rewritten
 * atomically. Returns 1 when the file changed, 0 when it already held
 * everything, -1 after reporting (a file that is not a link file). */
int link_write_update(struct report *rep, const char *site_dir,
		      const char *rel, const struct link_draft *d);

/*
 * Writing playlists (playlist_write.c): for curator playlist.
 */
struct playlist_entry_draft {
	const char *title;
	const char *creator;
	int year;                  /* 0: left out */
	const char *url;
	const char *isbn;          /* 13 digits, or NULL */
	const char *duration;      /* "m:ss" as checked by the caller */
	const char *image;
	const char *note;
	const char *link;          /* "links/…" instead of the others */
};

/* Creates playlists/SLUG.md under site_dir with title, kind, by (may be
 * NULL), date and an empty list of entries. An existing file is refused
 * ("already exists"). Returns 0 and sets *path (new, site-relative), or
 * -1 after reporting. */
int playlist_write_new(struct report *rep, const char *site_dir,
		       const char *slug, const char *title,
		       enum playlist_kind kind, const char *by,
		       int64_t date, char **path);

/* Inserts e into the entries of playlists/SLUG.md at position at (1 for
 * the first; 0 or one past the last: at the end), keeping every other
 * key, entry and the introduction. Rewrites the file atomically. Returns
 * 0 and sets *path (new, site-relative), or -1 after reporting (no such
 * playlist: the hint says how to create it; a position past the end; a
 * file whose front matter cannot be read). */
int playlist_write_add(struct report *rep, const char *site_dir,
		       const char *slug, const struct playlist_entry_draft *e,
		       size_t at, char **path);

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

/* ------------------------------------------------- suggestion ranking */

/*
 * One topic's rules, as plain arrays (borrowed): a config_topic gives
 * them (rank_rules_from_config), tests build them by hand. Keywords are
 * matched as curate_route() matches them: whole words, case- and
 * accent-insensitive, plurals folded ("album" matches "Albums"), a
 * keyword of several words as a phrase.
 */
struct rank_rules {
	const char *slug;
	const char *const *include;
	size_t ninclude;
	const char *const *exclude;
	size_t nexclude;
};

/* The rules of a configured topic, borrowed from it. */
void rank_rules_from_config(const struct config_topic *topic,
			    struct rank_rules *rules);

/*
 * A feed item as the ranker sees it. Every pointer is borrowed and must
 * stay valid as long as the corpus made from it.
 */
struct rank_doc {
	int64_t id;                     /* the store item id */
	int64_t date;                   /* published, else first seen */
	const char *title;              /* may be NULL */
	const char *summary;            /* may be NULL */
	const char *const *categories;
	size_t ncategories;
	const char *const *source_topics; /* its sources' OPML categories */
	size_t nsource_topics;
	bool is_candidate;              /* in the queue (else: only a
					 * training example) */
};

/* The words of every document, their TF-IDF vectors and the vocabulary;
 * built once, then asked for each topic. */
struct rank_corpus;

/*
 * Tokenizes the ndocs documents (title, summary, categories; folded,
 * stop words and digits dropped, plurals folded) and weighs their words
 * by TF-IDF over the whole corpus. Never fails (out of memory is fatal).
 * Free with rank_corpus_free().
 */
struct rank_corpus *rank_corpus_new(const struct rank_doc *docs,
				    size_t ndocs);
/* NULL is a no-op. */
void rank_corpus_free(struct rank_corpus *corpus);

/* One suggestion for a topic. */
struct rank_suggestion {
	size_t doc;     /* index in the corpus's documents */
	double score;   /* > 0; higher is better (see rank_suggest) */
	char *why;      /* owned: "include: manga; similar: shōnen, tome" */
};

/*
 * Ranks the candidates of corpus for one topic. picked holds the indices
 * of the documents librarians already picked for the topic (the training
 * examples; may be empty). A candidate is dropped when an exclude keyword
 * matches it; it is kept when an include keyword matches, when one of its
 * sources is filed under the topic, or when it is similar enough to the
 * picked documents. See rank.c for the score. Sets *out to a new array of
 * *n suggestions, best first; ties by date (newest first) then id
 * (smallest first). now is the time the recency is measured from. Free
 * with rank_suggestions_free().
 */
void rank_suggest(const struct rank_corpus *corpus,
		  const struct rank_rules *rules, const size_t *picked,
		  size_t npicked, int64_t now, struct rank_suggestion **out,
		  size_t *n);
/* Frees n suggestions and the array. NULL is a no-op. */
void rank_suggestions_free(struct rank_suggestion *suggestions, size_t n);

#endif
