/*
 * content_int: what content.c, links.c and pages.c share. Private to the
 * curate stage.
 */
#ifndef CURATOR_CURATE_CONTENT_INT_H
#define CURATOR_CURATE_CONTENT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/yaml.h"
#include "curate/curate.h"

/* A content file larger than this is refused (a note is a few lines). */
#define CONTENT_MAX_SIZE (1024 * 1024)
/* Longest slug of a link or page file, in bytes. */
#define CONTENT_SLUG_MAX 100

/* One content file being read. */
struct content_file {
	struct report *rep;
	const struct config *cfg;
	const char *rel;     /* site-relative path: "links/2026/11/a.md" */
	const char *name;    /* the name in messages (and to open it): rel
			      * under the site folder, "DIR/links/…" */
	const struct yaml_node *root; /* the front matter, a mapping */
	const char *body;    /* the Markdown after the front matter */
	size_t body_len;
};

/* A slug: [a-z0-9-], 1 to CONTENT_SLUG_MAX bytes, no hyphen at either
 * end. */
bool content_is_slug(const char *s);

/* The file's stem ("a" for "links/2026/11/a.md") when it is a slug, as a
 * new string (caller frees); else reports at line 1 with a hint naming a
 * good file name, and returns NULL. */
char *content_file_slug(const struct content_file *file);

/* Reports '"NAME" is required' at line 1 of the file, with a hint showing
 * the line to add (example). Returns -1. */
int content_missing(const struct content_file *file, const char *name,
		    const char *example);

/* Reads the optional text key name of the front matter: *out is NULL
 * when absent or empty (a key with no value is as if absent), else a new
 * string with the ends' white space trimmed (caller frees). Returns 0, or
 * -1 after reporting a value that is not text. */
int content_get_text(const struct content_file *file, const char *name,
		     char **out);

/* Appends the HTML of CommonMark md (len bytes): cmark in safe mode with
 * smart punctuation, then the allowlist sanitizer with base_url for
 * relative links. */
void content_markdown(const char *md, size_t len, const char *base_url,
		      struct buf *out);

/* Reads the optional "topics" key: each must be a topic of the
 * configuration (an unknown one is reported with a did-you-mean and the
 * hint listing the topics); duplicates dropped. *topics is a new array of
 * new strings (free with xfree_strings), NULL when empty. Returns
 * 0, or -1 after reporting (what was read is kept in *topics). */
int content_get_topics(const struct content_file *file, char ***topics,
		       size_t *ntopics);
/* Reads the optional key name as an absolute http(s) URL into *out (a new
 * string, NULL when absent). Returns 0, or -1 after reporting. */
int content_get_http_url(const struct content_file *file, const char *name,
			 char **out);
/* Reads the optional key name as an ISBN or EAN, checking its check
 * digit, into isbn (13 digits; untouched when absent). Returns 0, or -1
 * after reporting. */
int content_get_isbn(const struct content_file *file, const char *name,
		     char isbn[14]);
/* Site-relative paths of the *.md files under the folder rel (with
 * recursive, its subfolders too), in byte order, names starting with "."
 * skipped; a missing folder has none. *paths is a new array of new
 * strings (xfree_strings). Returns 0, or -1 after reporting an
 * unreadable folder (the paths found are kept). */
int content_list(struct report *rep, const char *site_dir, const char *rel,
		 bool recursive, char ***paths, size_t *npaths);
/* Reads file->name and splits it. On success *doc holds the front matter
 * (a mapping), file->root and file->body point into doc and data (the
 * bytes); returns 0. Returns -1 after reporting (doc then empty). */
int content_open(struct content_file *file, struct buf *data,
		 struct yaml_doc *doc);
/* "rel" when site_dir is ".", else "SITE_DIR/rel" (caller frees). */
char *content_site_path(const char *site_dir, const char *rel);

/* Fills link from the front matter and body of file. Returns 0, or -1
 * after reporting every problem (link is then released). */
int links_parse(const struct content_file *file, struct link *link);
void links_release(struct link *link);

/* The same for a page; *slug_line is where its slug comes from (the
 * "slug" key, else 1). A reserved slug is reported here; duplicates by
 * pages_check_duplicates() once every page is read. */
int pages_parse(const struct content_file *file, struct page *page,
		unsigned long *slug_line);
void pages_release(struct page *page);
/* Reports every page whose slug an earlier page (in the given order, by
 * path) already has; names[i] and lines[i] say where pages[i]'s slug is
 * written. Returns 0, or -1 after reporting. */
int pages_check_duplicates(struct report *rep, const struct page *pages,
			   const char *const *names,
			   const unsigned long *lines, size_t npages);

/* Reads the playlists (the *.md files of playlists/) into
 * content->playlists; "link:" entries are looked up among content->links
 * (already sorted). Returns 0, or -1 after reporting every problem. */
int playlists_load(struct report *rep, const struct config *cfg,
		   const char *site_dir, struct site_content *content);
void playlists_release(struct playlist *playlist);

#endif
