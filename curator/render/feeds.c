#include "render/feeds.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "render/output.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define JSON_FEED_VERSION "https://jsonfeed.org/version/1.1"

/* Appends s repaired, without the characters XML forbids. */
static void
xml_clean(const char *s, struct buf *out)
{
	utf8_xml_text(s, strlen(s), out);
}

/* An XML document being written; after the first libxml2 failure every
 * call does nothing and xw_finish() reports it. */
struct xw {
	xmlBufferPtr xbuf;
	xmlTextWriterPtr w;
	struct buf text;
	bool failed;
};

static void
xw_check(struct xw *x, int rc)
{
	if (rc < 0)
		x->failed = true;
}

static const xmlChar *
xw_clean(struct xw *x, const char *s)
{
	buf_clear(&x->text);
	xml_clean(s, &x->text);
	return BAD_CAST x->text.ptr;
}

static void
xw_open(struct xw *x)
{
	memset(x, 0, sizeof(*x));
	x->text = (struct buf)BUF_INIT;
	x->xbuf = xmlBufferCreate();
	x->w = x->xbuf ? xmlNewTextWriterMemory(x->xbuf, 0) : NULL;
	if (!x->w) {
		x->failed = true;
		return;
	}
	xw_check(x, xmlTextWriterSetIndent(x->w, 1));
	xw_check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST "  "));
	xw_check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
}

static void
xw_start(struct xw *x, const char *name)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
xw_end(struct xw *x)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterEndElement(x->w));
}

static void
xw_attr(struct xw *x, const char *name, const char *value)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
							xw_clean(x, value)));
}

/* Text, escaped (& < > " and CR; so "]]>" becomes "]]&gt;"). */
static void
xw_text(struct xw *x, const char *text)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterWriteString(x->w, xw_clean(x, text)));
}

/* <name>text</name> */
static void
xw_element(struct xw *x, const char *name, const char *text)
{
	xw_start(x, name);
	xw_text(x, text);
	xw_end(x);
}

static void
xw_date(struct xw *x, const char *name, int64_t t)
{
	char date[DATE_RFC3339_SIZE];

	date_format_rfc3339(t, date);
	xw_element(x, name, date);
}

/* Ends the document and appends it to out; frees what x holds. */
static int
xw_finish(struct xw *x, struct report *rep, const char *what,
	  struct buf *out)
{
	int rc = 0;

	if (!x->failed)
		xw_check(x, xmlTextWriterEndDocument(x->w));
	if (x->w)
		xmlFreeTextWriter(x->w); /* flushes into xbuf */
	if (x->failed)
		rc = report_error(rep, NULL, "%s: cannot write the XML", what);
	else
		buf_add(out, xmlBufferContent(x->xbuf),
			(size_t)xmlBufferLength(x->xbuf));
	if (x->xbuf)
		xmlBufferFree(x->xbuf);
	buf_release(&x->text);
	return rc;
}

int64_t
feeds_entry_updated(const struct feed_meta *meta, const struct feed_entry *e)
{
	if (e->has_updated)
		return e->updated;
	if (e->has_published)
		return e->published;
	return meta->default_updated;
}

/* Checks the fields both feed formats require. */
static int
check_feed(struct report *rep, const struct feed_meta *meta,
	   const struct feed_entry *entries, size_t n)
{
	struct report_pos pos = { meta->self_url, 0, 0 };
	size_t i;

	if (!meta->self_url) {
		pos.file = "feed";
		return report_error(rep, &pos, "no self URL");
	}
	if (!meta->id || !meta->title || !meta->site_url)
		return report_error(rep, &pos, "the feed has no %s",
				    !meta->id      ? "id"
				    : !meta->title ? "title"
						   : "site URL");
	for (i = 0; i < n; i++)
		if (!entries[i].id || !entries[i].url)
			return report_error(rep, &pos, "entry %zu has no %s",
					    i + 1,
					    entries[i].id ? "URL" : "id");
	return 0;
}

static bool
is_other_language(const struct feed_meta *meta, const struct feed_entry *e)
{
	return e->language && *e->language &&
	       (!meta->language || strcmp(meta->language, e->language) != 0);
}

/* <link rel="…" type="…" href="…"/>; type may be NULL. */
static void
atom_link(struct xw *x, const char *rel, const char *type, const char *href)
{
	xw_start(x, "link");
	xw_attr(x, "rel", rel);
	if (type)
		xw_attr(x, "type", type);
	xw_attr(x, "href", href);
	xw_end(x);
}

static void
atom_author(struct xw *x, const char *name)
{
	xw_start(x, "author");
	xw_element(x, "name", name);
	xw_end(x);
}

/* RFC 4287 §4.1.2 */
static void
atom_entry(struct xw *x, const struct feed_meta *meta,
	   const struct feed_entry *e)
{
	size_t i;

	xw_start(x, "entry");
	if (is_other_language(meta, e))
		xw_attr(x, "xml:lang", e->language);
	xw_element(x, "id", e->id);
	xw_element(x, "title", e->title ? e->title : e->url);
	xw_date(x, "updated", feeds_entry_updated(meta, e));
	if (e->has_published)
		xw_date(x, "published", e->published);
	atom_link(x, "alternate", "text/html", e->url);
	if (e->image)
		atom_link(x, "enclosure", NULL, e->image);
	if (e->author)
		atom_author(x, e->author);
	for (i = 0; i < e->ncategories; i++) {
		xw_start(x, "category");
		xw_attr(x, "term", e->categories[i]);
		xw_end(x);
	}
	if (e->summary)
		xw_element(x, "summary", e->summary);
	if (e->content_html) {
		xw_start(x, "content");
		xw_attr(x, "type", "html");
		xw_text(x, e->content_html);
		xw_end(x);
	}
	xw_end(x);
}

int
feeds_atom(struct report *rep, const struct feed_meta *meta,
	   const struct feed_entry *entries, size_t n, struct buf *out)
{
	struct xw x;
	int64_t newest = meta->default_updated, t;
	size_t i;

	if (check_feed(rep, meta, entries, n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		t = feeds_entry_updated(meta, &entries[i]);
		if (i == 0 || t > newest)
			newest = t;
	}
	xw_open(&x);
	xw_start(&x, "feed");
	xw_attr(&x, "xmlns", ATOM_NS);
	if (meta->language && *meta->language)
		xw_attr(&x, "xml:lang", meta->language);
	xw_element(&x, "id", meta->id);
	xw_element(&x, "title", meta->title);
	if (meta->subtitle)
		xw_element(&x, "subtitle", meta->subtitle);
	xw_date(&x, "updated", newest);
	atom_link(&x, "self", "application/atom+xml", meta->self_url);
	atom_link(&x, "alternate", "text/html", meta->site_url);
	/* RFC 4287 §4.1.1: a feed-level author covers every entry. */
	atom_author(&x, meta->author ? meta->author : meta->title);
	if (meta->generator)
		xw_element(&x, "generator", meta->generator);
	for (i = 0; i < n; i++)
		atom_entry(&x, meta, &entries[i]);
	xw_end(&x);
	return xw_finish(&x, rep, meta->self_url, out);
}

/* A JSON document being built; a failed allocation or an invalid value
 * sets failed. */
struct jw {
	bool failed;
};

static json_t *
jw_string(const char *s)
{
	struct buf repaired = BUF_INIT;
	json_t *v;

	utf8_repair(s, strlen(s), &repaired);
	v = json_stringn(repaired.ptr, repaired.len);
	buf_release(&repaired);
	return v;
}

static void
jw_set(struct jw *j, json_t *obj, const char *key, json_t *value)
{
	if (!obj || !value || json_object_set_new(obj, key, value) != 0)
		j->failed = true;
}

static void
jw_set_string(struct jw *j, json_t *obj, const char *key, const char *s)
{
	if (s)
		jw_set(j, obj, key, jw_string(s));
}

static void
jw_set_date(struct jw *j, json_t *obj, const char *key, int64_t t)
{
	char date[DATE_RFC3339_SIZE];

	date_format_rfc3339(t, date);
	jw_set(j, obj, key, json_string(date));
}

static void
jw_append(struct jw *j, json_t *array, json_t *value)
{
	if (!array || !value || json_array_append_new(array, value) != 0)
		j->failed = true;
}

/* [{"name": name}] */
static json_t *
jw_authors(struct jw *j, const char *name)
{
	json_t *authors = json_array(), *author = json_object();

	jw_set_string(j, author, "name", name);
	jw_append(j, authors, author);
	return authors;
}

static int
dump_callback(const char *data, size_t len, void *out)
{
	buf_add(out, data, len);
	return 0;
}

/* Appends root's text and a newline to out, or reports. Frees root. */
static int
jw_finish(struct jw *j, json_t *root, size_t flags, struct report *rep,
	  const char *what, struct buf *out)
{
	struct buf text = BUF_INIT;
	int rc = 0;

	if (j->failed || !root ||
	    json_dump_callback(root, dump_callback, &text,
			       flags | JSON_PRESERVE_ORDER) != 0)
		rc = report_error(rep, NULL, "%s: cannot write the JSON", what);
	else {
		buf_add(out, text.ptr, text.len);
		buf_addc(out, '\n');
	}
	json_decref(root);
	buf_release(&text);
	return rc;
}

static json_t *
json_feed_item(struct jw *j, const struct feed_meta *meta,
	       const struct feed_entry *e)
{
	json_t *item = json_object(), *tags;
	size_t i;

	jw_set_string(j, item, "id", e->id);
	jw_set_string(j, item, "url", e->url);
	jw_set_string(j, item, "title", e->title ? e->title : e->url);
	/* JSON Feed 1.1: content_html or content_text is required. */
	if (e->content_html) {
		jw_set_string(j, item, "content_html", e->content_html);
		jw_set_string(j, item, "summary", e->summary);
	} else {
		jw_set_string(j, item, "content_text",
			      e->summary ? e->summary
			      : e->title ? e->title
					 : e->url);
	}
	jw_set_string(j, item, "image", e->image);
	if (e->has_published)
		jw_set_date(j, item, "date_published", e->published);
	if (e->has_updated)
		jw_set_date(j, item, "date_modified", e->updated);
	if (e->author)
		jw_set(j, item, "authors", jw_authors(j, e->author));
	if (e->ncategories) {
		tags = json_array();
		for (i = 0; i < e->ncategories; i++)
			jw_append(j, tags, jw_string(e->categories[i]));
		jw_set(j, item, "tags", tags);
	}
	if (is_other_language(meta, e))
		jw_set_string(j, item, "language", e->language);
	return item;
}

int
feeds_json(struct report *rep, const struct feed_meta *meta,
	   const struct feed_entry *entries, size_t n, struct buf *out)
{
	struct jw j = { false };
	json_t *root, *items;
	size_t i;

	if (check_feed(rep, meta, entries, n) != 0)
		return -1;
	root = json_object();
	jw_set(&j, root, "version", json_string(JSON_FEED_VERSION));
	jw_set_string(&j, root, "title", meta->title);
	jw_set_string(&j, root, "home_page_url", meta->site_url);
	jw_set_string(&j, root, "feed_url", meta->self_url);
	jw_set_string(&j, root, "description", meta->subtitle);
	if (meta->language && *meta->language)
		jw_set_string(&j, root, "language", meta->language);
	if (meta->author)
		jw_set(&j, root, "authors", jw_authors(&j, meta->author));
	items = json_array();
	for (i = 0; i < n; i++)
		jw_append(&j, items, json_feed_item(&j, meta, &entries[i]));
	jw_set(&j, root, "items", items);
	return jw_finish(&j, root, JSON_INDENT(2), rep, meta->self_url, out);
}

static int
compare_sitemap_urls(const void *a, const void *b)
{
	const struct sitemap_url *x = a, *y = b;
	int c = strcmp(x->loc, y->loc);

	if (c)
		return c;
	/* Among repeats, the one with the newest lastmod first. */
	if (x->has_lastmod != y->has_lastmod)
		return x->has_lastmod ? -1 : 1;
	return x->lastmod > y->lastmod ? -1 : x->lastmod < y->lastmod;
}

size_t
feeds_sitemap_sort(struct sitemap_url *urls, size_t n)
{
	size_t i, kept = 0;

	if (n == 0)
		return 0;
	qsort(urls, n, sizeof(*urls), compare_sitemap_urls);
	for (i = 1, kept = 1; i < n; i++)
		if (strcmp(urls[i].loc, urls[kept - 1].loc) != 0)
			urls[kept++] = urls[i];
	return kept;
}

static int
write_sitemap(struct report *rep, const char *root, const char *child,
	      const struct sitemap_url *urls, size_t n, struct buf *out)
{
	struct xw x;
	size_t i;

	if (n > FEEDS_SITEMAP_MAX)
		return report_error(rep, NULL, "sitemap: %zu URLs, more than "
				    "the %d of one file", n,
				    FEEDS_SITEMAP_MAX);
	xw_open(&x);
	xw_start(&x, root);
	xw_attr(&x, "xmlns", SITEMAP_NS);
	for (i = 0; i < n; i++) {
		xw_start(&x, child);
		xw_element(&x, "loc", urls[i].loc);
		if (urls[i].has_lastmod)
			xw_date(&x, "lastmod", urls[i].lastmod);
		xw_end(&x);
	}
	xw_end(&x);
	return xw_finish(&x, rep, "sitemap", out);
}

int
feeds_sitemap(struct report *rep, const struct sitemap_url *urls, size_t n,
	      struct buf *out)
{
	return write_sitemap(rep, "urlset", "url", urls, n, out);
}

int
feeds_sitemap_index(struct report *rep, const struct sitemap_url *maps,
		    size_t n, struct buf *out)
{
	return write_sitemap(rep, "sitemapindex", "sitemap", maps, n, out);
}

int
feeds_write_sitemaps(struct report *rep, struct output *o,
		     const char *site_url, struct sitemap_url *urls, size_t n)
{
	struct sitemap_url *maps = NULL;
	struct buf text = BUF_INIT, name = BUF_INIT;
	size_t nmaps, i, j, start, count;
	int rc = -1;

	n = feeds_sitemap_sort(urls, n);
	if (n <= FEEDS_SITEMAP_MAX) {
		if (feeds_sitemap(rep, urls, n, &text) == 0)
			rc = output_write(o, "sitemap.xml", text.ptr,
					  text.len);
		goto out;
	}
	nmaps = (n + FEEDS_SITEMAP_MAX - 1) / FEEDS_SITEMAP_MAX;
	maps = xcalloc(nmaps, sizeof(*maps));
	for (i = 0; i < nmaps; i++) {
		start = i * FEEDS_SITEMAP_MAX;
		count = n - start < FEEDS_SITEMAP_MAX ? n - start
						      : FEEDS_SITEMAP_MAX;
		buf_clear(&text);
		buf_clear(&name);
		buf_addf(&name, "sitemap-%zu.xml", i + 1);
		if (feeds_sitemap(rep, urls + start, count, &text) != 0 ||
		    output_write(o, name.ptr, text.ptr, text.len) != 0)
			goto out;
		for (j = start; j < start + count; j++) {
			if (!urls[j].has_lastmod)
				continue;
			if (!maps[i].has_lastmod ||
			    urls[j].lastmod > maps[i].lastmod)
				maps[i].lastmod = urls[j].lastmod;
			maps[i].has_lastmod = true;
		}
		buf_clear(&text);
		feeds_join_url(site_url, name.ptr, &text);
		maps[i].loc = buf_detach(&text, NULL);
	}
	buf_clear(&text);
	if (feeds_sitemap_index(rep, maps, nmaps, &text) == 0)
		rc = output_write(o, "sitemap.xml", text.ptr, text.len);
out:
	if (maps)
		for (i = 0; i < nmaps; i++)
			free((char *)maps[i].loc);
	free(maps);
	buf_release(&text);
	buf_release(&name);
	return rc;
}

/* Whether cp separates words in the search index: ASCII other than
 * letters and digits, and the punctuation and symbol blocks. */
static bool
is_word_separator(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
			 (cp >= 'A' && cp <= 'Z'));
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFE10 && cp <= 0xFE6F) ||
	       (cp >= 0xFF01 && cp <= 0xFF0F);
}

/* Whether words (words separated by single spaces) holds word. */
static bool
has_word(const struct buf *words, const char *word, size_t len)
{
	const char *p = words->ptr, *end = words->ptr + words->len, *sp;

	while (p < end) {
		sp = memchr(p, ' ', (size_t)(end - p));
		if (!sp)
			sp = end;
		if ((size_t)(sp - p) == len && memcmp(p, word, len) == 0)
			return true;
		p = sp + 1;
	}
	return false;
}

/* Adds the folded words of s not yet in words. */
static void
add_words(const char *s, struct buf *words)
{
	struct buf folded = BUF_INIT;
	size_t i = 0, start = 0, n;
	uint32_t cp = 0;

	utf8_fold(s, strlen(s), &folded);
	while (i <= folded.len) {
		n = i < folded.len ? utf8_decode(folded.ptr + i,
						 folded.len - i, &cp)
				   : 0;
		if (i < folded.len && n > 0 && !is_word_separator(cp)) {
			i += n;
			continue;
		}
		/* A one-byte word is one ASCII letter or digit: noise. */
		if (i - start >= 2 &&
		    !has_word(words, folded.ptr + start, i - start)) {
			if (words->len)
				buf_addc(words, ' ');
			buf_add(words, folded.ptr + start, i - start);
		}
		i += n ? n : 1;
		start = i;
	}
	buf_release(&folded);
}

static json_t *
search_item(struct jw *j, const struct search_entry *e)
{
	json_t *item = json_object();
	struct buf summary = BUF_INIT, words = BUF_INIT;
	char date[DATE_RFC3339_SIZE];
	size_t i;

	if (e->summary)
		utf8_truncate_words(e->summary, strlen(e->summary),
				    FEEDS_SEARCH_SUMMARY, &summary);
	add_words(e->title, &words);
	for (i = 0; i < e->nkeywords; i++)
		add_words(e->keywords[i], &words);
	add_words(summary.ptr, &words);
	jw_set_string(j, item, "t", e->title);
	jw_set_string(j, item, "u", e->url);
	if (summary.len)
		jw_set_string(j, item, "s", summary.ptr);
	jw_set_string(j, item, "k", words.ptr);
	if (e->has_date) {
		date_format_rfc3339(e->date, date);
		jw_set(j, item, "d", json_stringn(date, 10));
	}
	buf_release(&summary);
	buf_release(&words);
	return item;
}

int
feeds_search_index(struct report *rep, const struct search_entry *e,
		   size_t n, struct buf *out)
{
	struct jw j = { false };
	json_t *root;
	size_t i;

	for (i = 0; i < n; i++)
		if (!e[i].title || !e[i].url)
			return report_error(rep, NULL, "search index: entry "
					    "%zu has no %s", i + 1,
					    e[i].title ? "URL" : "title");
	root = json_array();
	for (i = 0; i < n; i++)
		jw_append(&j, root, search_item(&j, &e[i]));
	return jw_finish(&j, root, JSON_COMPACT, rep, "search index", out);
}
