/*
 * feeds: the site's machine-readable files, built by libraries (libxml2's
 * writer, jansson), never by pasting strings.
 *
 *   feeds_atom()          Atom 1.0 (RFC 4287): feed.xml
 *   feeds_json()          JSON Feed 1.1: feed.json
 *   feeds_sitemap()       sitemaps.org 0.9: sitemap.xml (and its index)
 *   feeds_search_index()  search/index.json for the search page's script
 *                         (these four in feeds.c; the text files below in
 *                         feeds_text.c)
 *   feeds_robots()        robots.txt
 *   feeds_csp()           the Content-Security-Policy, for <meta> and headers
 *   feeds_headers()       _headers (Netlify, Codeberg, GitLab, Cloudflare)
 *   feeds_nginx()         nginx.conf.example
 *
 * Every function appends bytes to a struct buf and is deterministic: the
 * same input gives the same bytes, and no build time appears anywhere (a
 * feed's date is its newest entry's). Text fields are UTF-8 C strings: an
 * invalid sequence is repaired (U+FFFD) and a character XML 1.0 forbids
 * (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) is dropped, so the
 * output is always well-formed. Nothing is sorted unless said: entries are
 * written in the caller's order (newest first is the convention).
 */
#ifndef CURATOR_RENDER_FEEDS_H
#define CURATOR_RENDER_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/report.h"

struct output;

/* One entry of a feed, borrowed from the caller for the call's duration.
 * Dates are seconds since the epoch, UTC. */
struct feed_entry {
	const char *id;           /* required: a stable IRI (permalink, tag:) */
	const char *url;          /* required: absolute URL of the page */
	const char *title;        /* plain text; NULL: the url stands in */
	const char *summary;      /* plain text, or NULL */
	const char *content_html; /* already sanitized HTML, or NULL */
	const char *author;       /* a name, or NULL */
	int64_t published;
	bool has_published;
	int64_t updated;          /* read only when has_updated */
	bool has_updated;
	const char *const *categories; /* ncategories names (tags, topics) */
	size_t ncategories;
	const char *image;        /* absolute URL, or NULL */
	const char *language;     /* BCP 47, or NULL: the feed's */
};

/* The feed itself, borrowed for the call's duration. */
struct feed_meta {
	const char *id;         /* required: a stable IRI (the feed's URL) */
	const char *title;      /* required */
	const char *subtitle;   /* or NULL */
	const char *site_url;   /* required: the HTML page the feed mirrors */
	const char *self_url;   /* required: this file's absolute URL (the
				   Atom file's for feeds_atom, the JSON
				   file's for feeds_json) */
	const char *language;   /* BCP 47, or NULL */
	const char *author;     /* or NULL: the title stands in where Atom
				   requires an author (RFC 4287 §4.1.1) */
	const char *generator;  /* e.g. "curator", or NULL: none written */
	/* The date of a feed with no entry, and of an entry with neither
	 * date: a fixed date, never the build time. 0 is 1970-01-01. */
	int64_t default_updated;
};

/* An entry's date for "updated": updated, else published, else
 * meta->default_updated. */
int64_t feeds_entry_updated(const struct feed_meta *meta,
			    const struct feed_entry *e);

/* Appends an Atom 1.0 document: feed id, title, subtitle, updated (the
 * newest entry's feeds_entry_updated(), or default_updated without entry),
 * link rel=self and rel=alternate, author, generator, xml:lang; each entry
 * with id, title, updated, published (when known), link rel=alternate, the
 * image as link rel=enclosure, author, categories, summary (text) and
 * content (type="html", escaped) and xml:lang when its language is not the
 * feed's. Returns 0, or -1 after reporting (a required field is NULL,
 * libxml2 failed); out may then hold part of a document. */
int feeds_atom(struct report *rep, const struct feed_meta *meta,
	       const struct feed_entry *entries, size_t n, struct buf *out);

/* Appends a JSON Feed 1.1 document (two-space indentation, keys in a fixed
 * order): version, title, home_page_url, feed_url, description, language,
 * authors, items (id, url, title, content_html, or content_text from the
 * summary or else the title since one of them is required, summary when
 * content_html is given, image, date_published, date_modified (when
 * has_updated), authors, tags, language). Returns 0 or -1 after reporting
 * (out untouched). */
int feeds_json(struct report *rep, const struct feed_meta *meta,
	       const struct feed_entry *entries, size_t n, struct buf *out);

/* A page for the sitemap, borrowed. */
struct sitemap_url {
	const char *loc;   /* absolute URL */
	int64_t lastmod;   /* the page's date, when has_lastmod */
	bool has_lastmod;
};

/* The sitemaps.org limit of URLs in one file. */
#define FEEDS_SITEMAP_MAX 50000

/* Sorts urls in place by loc (strcmp) and drops repeated locs, keeping
 * the newest lastmod. Returns the new count. */
size_t feeds_sitemap_sort(struct sitemap_url *urls, size_t n);

/* Appends a urlset (sitemaps.org 0.9) of n urls in the given order (sort
 * them first with feeds_sitemap_sort), lastmod in RFC 3339 when known.
 * More than FEEDS_SITEMAP_MAX urls is an error: -1 after reporting. */
int feeds_sitemap(struct report *rep, const struct sitemap_url *urls,
		  size_t n, struct buf *out);

/* Appends a sitemapindex listing n sitemaps (loc, lastmod). */
int feeds_sitemap_index(struct report *rep, const struct sitemap_url *maps,
			size_t n, struct buf *out);

/* Writes the site's sitemap through o: sorts urls (in place, as
 * feeds_sitemap_sort) and writes sitemap.xml, or when there are more than
 * FEEDS_SITEMAP_MAX, sitemap-1.xml, sitemap-2.xml, … and sitemap.xml as
 * their index (site_url + "sitemap-N.xml", lastmod the newest of each).
 * Returns 0, or -1 after reporting. */
int feeds_write_sitemaps(struct report *rep, struct output *o,
			 const char *site_url, struct sitemap_url *urls,
			 size_t n);

/* Appends site_url, a '/' unless it ends with one, and name: the absolute
 * URL of a file at the site's root ("https://x.example/sub" + "feed.xml"
 * -> "https://x.example/sub/feed.xml"). */
void feeds_join_url(const char *site_url, const char *name, struct buf *out);

/* Appends robots.txt: everything allowed for every robot, and the
 * sitemap's absolute URL (site_url, a '/' if it lacks one, sitemap.xml).
 * Returns -1 after reporting when site_url has a control character or
 * is not http(s). */
int feeds_robots(struct report *rep, const char *site_url, struct buf *out);

/* An entry of the search index, borrowed. */
struct search_entry {
	const char *title;
	const char *url;       /* as the page links it (site-relative or
				  absolute) */
	const char *summary;   /* plain text, or NULL */
	const char *const *keywords; /* tags, topics, author… */
	size_t nkeywords;
	int64_t date;
	bool has_date;
};

/* Graphemes of a summary kept in the search index. */
#define FEEDS_SEARCH_SUMMARY 160

/* Appends search/index.json: a compact array, in the given order, of
 * {"t": title, "u": url, "s": summary cut to FEEDS_SEARCH_SUMMARY
 * graphemes at a word, "k": the distinct words (first occurrence order)
 * of title, keywords and that summary, folded with utf8_fold and joined
 * by one space, "d": "YYYY-MM-DD"}; "s" and "d" are left out when unknown
 * or empty. A word is a run of letters and digits (any non-ASCII byte
 * counts as a letter); one-letter ASCII words are left out. Returns 0, or
 * -1 after reporting (out untouched). */
int feeds_search_index(struct report *rep, const struct search_entry *e,
		       size_t n, struct buf *out);

/* The Referrer-Policy of every page and header. */
#define FEEDS_REFERRER_POLICY "strict-origin-when-cross-origin"

/* Appends the site's Content-Security-Policy (the one place it is
 * written): default-src 'none'; img-src 'self' data: (and https: when
 * images_linked, that is privacy.images is link); style-src, script-src,
 * font-src, connect-src 'self'; base-uri 'none'; form-action 'self';
 * object-src 'none'; and, unless for_meta, frame-ancestors 'none' (a
 * browser ignores it in a <meta> element). */
void feeds_csp(bool images_linked, bool for_meta, struct buf *out);

/* Appends _headers: for every path, the header version of feeds_csp(),
 * X-Content-Type-Options: nosniff and Referrer-Policy. */
void feeds_headers(bool images_linked, struct buf *out);

/* Appends nginx.conf.example: a commented server block for site_url's
 * host, serving the output folder with the same headers as _headers and
 * 404.html for missing pages. Returns -1 after reporting when site_url is
 * not http(s) with a plain host name (out untouched). */
int feeds_nginx(struct report *rep, const char *site_url, bool images_linked,
		struct buf *out);

#endif
