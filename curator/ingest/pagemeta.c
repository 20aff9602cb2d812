/*
 * Page metadata: what a web page says about itself (JSON-LD, Open Graph,
 * Twitter cards, <meta>, <title>) and which feeds it advertises.
 */
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/isbn.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

#define JSONLD_MAX (1u << 20)
#define PAGE_MAX_FEEDS 16

/* NOTE: the order is the order of trust; a lower value wins. */
enum meta_source {
	FROM_JSONLD,
	FROM_OPENGRAPH,
	FROM_TWITTER,
	FROM_META,
	FROM_TITLE,
	FROM_NOWHERE,
};

enum meta_field {
	FIELD_TITLE,
	FIELD_DESCRIPTION,
	FIELD_CANONICAL,
	FIELD_SITE_NAME,
	FIELD_AUTHOR,
	FIELD_IMAGE,
	FIELD_LANGUAGE,
	FIELD_KIND,
	FIELD_PUBLISHED,
	FIELD_ISBN,
	FIELD_COUNT,
};

struct meta_state {
	struct page_meta *meta;
	const char *base;
	enum meta_source from[FIELD_COUNT];
};

/* <meta property|name=KEY content=...>: which field, and how trusted. */
static const struct meta_key {
	const char *key;
	enum meta_field field;
	enum meta_source from;
} meta_keys[] = {
	/* NOTE: sorted by key (strcasecmp) for bsearch. */
	{ "application-name", FIELD_SITE_NAME, FROM_META },
	{ "article:author", FIELD_AUTHOR, FROM_OPENGRAPH },
	{ "article:published_time", FIELD_PUBLISHED, FROM_OPENGRAPH },
	{ "author", FIELD_AUTHOR, FROM_META },
	{ "book:isbn", FIELD_ISBN, FROM_OPENGRAPH },
	{ "books:isbn", FIELD_ISBN, FROM_OPENGRAPH },
	{ "citation_isbn", FIELD_ISBN, FROM_META },
	{ "citation_publication_date", FIELD_PUBLISHED, FROM_META },
	{ "date", FIELD_PUBLISHED, FROM_META },
	{ "dc.creator", FIELD_AUTHOR, FROM_META },
	{ "dc.date", FIELD_PUBLISHED, FROM_META },
	{ "dc.description", FIELD_DESCRIPTION, FROM_META },
	{ "dc.title", FIELD_TITLE, FROM_META },
	{ "dcterms.created", FIELD_PUBLISHED, FROM_META },
	{ "description", FIELD_DESCRIPTION, FROM_META },
	{ "isbn", FIELD_ISBN, FROM_META },
	{ "og:description", FIELD_DESCRIPTION, FROM_OPENGRAPH },
	{ "og:image", FIELD_IMAGE, FROM_OPENGRAPH },
	{ "og:image:secure_url", FIELD_IMAGE, FROM_OPENGRAPH },
	{ "og:image:url", FIELD_IMAGE, FROM_OPENGRAPH },
	{ "og:locale", FIELD_LANGUAGE, FROM_OPENGRAPH },
	{ "og:site_name", FIELD_SITE_NAME, FROM_OPENGRAPH },
	{ "og:title", FIELD_TITLE, FROM_OPENGRAPH },
	{ "og:type", FIELD_KIND, FROM_OPENGRAPH },
	{ "og:url", FIELD_CANONICAL, FROM_OPENGRAPH },
	{ "twitter:creator", FIELD_AUTHOR, FROM_TWITTER },
	{ "twitter:description", FIELD_DESCRIPTION, FROM_TWITTER },
	{ "twitter:image", FIELD_IMAGE, FROM_TWITTER },
	{ "twitter:image:src", FIELD_IMAGE, FROM_TWITTER },
	{ "twitter:title", FIELD_TITLE, FROM_TWITTER },
};

static int
compare_meta_key(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct meta_key *)elem)->key);
}

static char **
field_slot(struct page_meta *meta, enum meta_field field)
{
	switch (field) {
	case FIELD_TITLE: return &meta->title;
	case FIELD_DESCRIPTION: return &meta->description;
	case FIELD_CANONICAL: return &meta->canonical;
	case FIELD_SITE_NAME: return &meta->site_name;
	case FIELD_AUTHOR: return &meta->author;
	case FIELD_IMAGE: return &meta->image;
	case FIELD_LANGUAGE: return &meta->language;
	case FIELD_KIND: return &meta->kind;
	default: return NULL;
	}
}

static bool
is_url_field(enum meta_field field)
{
	return field == FIELD_CANONICAL || field == FIELD_IMAGE;
}

/* Collapses white space and trims; appends nothing for blank text. */
static void
add_collapsed(struct buf *out, const char *s)
{
	bool space = false;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f') {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_addc(out, ' ');
		space = false;
		buf_addc(out, *s);
	}
}

/* Offers value for field from a source; kept if more trusted than what
 * the field already holds. */
static void
offer(struct meta_state *st, enum meta_field field, enum meta_source from,
      const char *value)
{
	struct buf clean = BUF_INIT, text = BUF_INIT;
	char **slot;
	int64_t t;
	char isbn[ISBN_SIZE];

	if (!value || from >= st->from[field])
		return;
	add_collapsed(&text, value);
	utf8_repair(text.ptr, text.len, &clean);
	if (!clean.len)
		goto out;
	if (field == FIELD_PUBLISHED) {
		if (date_parse(clean.ptr, clean.len, &t) != 0)
			goto out;
		st->meta->published = t;
		st->meta->has_published = true;
	} else if (field == FIELD_ISBN) {
		if (isbn_normalize(clean.ptr, clean.len, isbn) != 0)
			goto out;
		memcpy(st->meta->isbn, isbn, sizeof(isbn));
	} else {
		slot = field_slot(st->meta, field);
		if (is_url_field(field)) {
			struct buf abs = BUF_INIT;

			url_resolve(st->base, clean.ptr, clean.len, &abs);
			if (url_scheme(abs.ptr, abs.len) != URL_SCHEME_HTTP &&
			    url_scheme(abs.ptr, abs.len) != URL_SCHEME_HTTPS) {
				buf_release(&abs);
				goto out;
			}
			buf_release(&clean);
			clean = abs;
		}
		if (field == FIELD_LANGUAGE) /* og:locale fr_FR -> fr-FR */
			for (size_t i = 0; i < clean.len; i++)
				if (clean.ptr[i] == '_')
					clean.ptr[i] = '-';
		free(*slot);
		*slot = buf_detach(&clean, NULL);
	}
	st->from[field] = from;
out:
	buf_release(&clean);
	buf_release(&text);
}

/* ---------------------------------------------------------- JSON-LD */

static const char *
json_text(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_array(v))
		return json_text(json_array_get(v, 0));
	if (json_is_object(v)) {
		if (json_object_get(v, "name"))
			return json_text(json_object_get(v, "name"));
		if (json_object_get(v, "url"))
			return json_text(json_object_get(v, "url"));
		return json_text(json_object_get(v, "@value"));
	}
	return NULL;
}

static bool
type_is(json_t *obj, const char *const *types)
{
	json_t *t = json_object_get(obj, "@type");
	const char *name = json_text(t);
	size_t i;

	for (i = 0; name && types[i]; i++)
		if (strcmp(name, types[i]) == 0)
			return true;
	return false;
}

/* Objects that describe the site or its navigation, not the page's work. */
static const char *const side_types[] = {
	"WebSite", "Organization", "BreadcrumbList", "Person", "ImageObject",
	"SiteNavigationElement", "SearchAction", "WebPage", NULL,
};

static void
read_jsonld_object(struct meta_state *st, json_t *obj, int depth)
{
	static const char *const site_types[] = { "WebSite", NULL };
	json_t *graph, *example;
	size_t i;

	if (depth > 8 || !json_is_object(obj))
		return;
	graph = json_object_get(obj, "@graph");
	if (json_is_array(graph)) {
		for (i = 0; i < json_array_size(graph); i++)
			read_jsonld_object(st, json_array_get(graph, i),
					   depth + 1);
	}
	if (type_is(obj, site_types))
		offer(st, FIELD_SITE_NAME, FROM_JSONLD,
		      json_text(json_object_get(obj, "name")));
	offer(st, FIELD_SITE_NAME, FROM_JSONLD,
	      json_text(json_object_get(obj, "publisher")));
	if (type_is(obj, side_types) || !json_object_get(obj, "@type"))
		return;
	offer(st, FIELD_KIND, FROM_JSONLD,
	      json_text(json_object_get(obj, "@type")));
	offer(st, FIELD_TITLE, FROM_JSONLD,
	      json_text(json_object_get(obj, "headline")));
	offer(st, FIELD_TITLE, FROM_JSONLD,
	      json_text(json_object_get(obj, "name")));
	offer(st, FIELD_DESCRIPTION, FROM_JSONLD,
	      json_text(json_object_get(obj, "description")));
	offer(st, FIELD_AUTHOR, FROM_JSONLD,
	      json_text(json_object_get(obj, "author")));
	offer(st, FIELD_AUTHOR, FROM_JSONLD,
	      json_text(json_object_get(obj, "byArtist")));
	offer(st, FIELD_AUTHOR, FROM_JSONLD,
	      json_text(json_object_get(obj, "director")));
	offer(st, FIELD_IMAGE, FROM_JSONLD,
	      json_text(json_object_get(obj, "image")));
	offer(st, FIELD_PUBLISHED, FROM_JSONLD,
	      json_text(json_object_get(obj, "datePublished")));
	offer(st, FIELD_CANONICAL, FROM_JSONLD,
	      json_text(json_object_get(obj, "url")));
	offer(st, FIELD_ISBN, FROM_JSONLD,
	      json_text(json_object_get(obj, "isbn")));
	offer(st, FIELD_ISBN, FROM_JSONLD,
	      json_text(json_object_get(obj, "gtin13")));
	offer(st, FIELD_ISBN, FROM_JSONLD,
	      json_text(json_object_get(obj, "gtin")));
	offer(st, FIELD_LANGUAGE, FROM_JSONLD,
	      json_text(json_object_get(obj, "inLanguage")));
	example = json_object_get(obj, "workExample");
	if (json_is_array(example))
		example = json_array_get(example, 0);
	if (json_is_object(example))
		offer(st, FIELD_ISBN, FROM_JSONLD,
		      json_text(json_object_get(example, "isbn")));
}

static void
read_jsonld(struct meta_state *st, xmlNodePtr script)
{
	xmlChar *text = xmlNodeGetContent(script);
	json_t *root;
	size_t i;

	if (!text)
		return;
	if (strlen((const char *)text) <= JSONLD_MAX) {
		root = json_loads((const char *)text, JSON_DECODE_ANY, NULL);
		if (json_is_array(root))
			for (i = 0; i < json_array_size(root); i++)
				read_jsonld_object(st, json_array_get(root, i),
						   0);
		else
			read_jsonld_object(st, root, 0);
		json_decref(root);
	}
	xmlFree(text);
}

/* ------------------------------------------------------------- HTML */

static bool
has_token(const char *list, const char *token)
{
	size_t n = strlen(token);
	const char *p = list;

	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (strncasecmp(p, token, n) == 0 &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' ||
		     p[n] == '\n'))
			return true;
		p = strpbrk(p, " \t\n");
	}
	return false;
}

static bool
is_feed_type(const char *type)
{
	static const char *const types[] = {
		"application/rss+xml",  "application/atom+xml",
		"application/feed+json", "application/rdf+xml",
		"application/json",     "text/xml",
		"application/xml",
	};
	size_t i;

	for (i = 0; type && i < sizeof(types) / sizeof(*types); i++)
		if (strcasecmp(type, types[i]) == 0)
			return true;
	return false;
}

static void
read_link(struct meta_state *st, xmlNodePtr node)
{
	xmlChar *rel = xmlGetProp(node, BAD_CAST "rel");
	xmlChar *href = xmlGetProp(node, BAD_CAST "href");
	xmlChar *type = xmlGetProp(node, BAD_CAST "type");
	xmlChar *title = xmlGetProp(node, BAD_CAST "title");
	struct page_meta *m = st->meta;
	struct page_feed_link *f;
	struct buf abs = BUF_INIT, text = BUF_INIT;
	enum url_scheme scheme;

	if (!rel || !href)
		goto out;
	if (has_token((const char *)rel, "canonical"))
		offer(st, FIELD_CANONICAL, FROM_JSONLD, (const char *)href);
	if (!has_token((const char *)rel, "alternate") ||
	    !is_feed_type((const char *)type) || m->nfeeds >= PAGE_MAX_FEEDS)
		goto out;
	url_resolve(st->base, (const char *)href, strlen((const char *)href),
		    &abs);
	scheme = url_scheme(abs.ptr, abs.len);
	if (scheme != URL_SCHEME_HTTP && scheme != URL_SCHEME_HTTPS)
		goto out;
	m->feeds = xrealloc(m->feeds, (m->nfeeds + 1) * sizeof(*m->feeds));
	f = &m->feeds[m->nfeeds++];
	f->url = buf_detach(&abs, NULL);
	f->type = xstrdup((const char *)type);
	if (title)
		add_collapsed(&text, (const char *)title);
	f->title = text.len ? buf_detach(&text, NULL) : NULL;
out:
	buf_release(&abs);
	buf_release(&text);
	xmlFree(rel);
	xmlFree(href);
	xmlFree(type);
	xmlFree(title);
}

static void
read_meta(struct meta_state *st, xmlNodePtr node)
{
	xmlChar *key = xmlGetProp(node, BAD_CAST "property");
	xmlChar *content = xmlGetProp(node, BAD_CAST "content");
	xmlChar *equiv;
	const struct meta_key *mk;

	if (!key)
		key = xmlGetProp(node, BAD_CAST "name");
	if (key && content) {
		mk = bsearch(key, meta_keys, sizeof(meta_keys) / sizeof(*meta_keys),
			     sizeof(*meta_keys), compare_meta_key);
		if (mk)
			offer(st, mk->field, mk->from, (const char *)content);
	}
	equiv = xmlGetProp(node, BAD_CAST "http-equiv");
	if (equiv && content &&
	    strcasecmp((const char *)equiv, "content-language") == 0)
		offer(st, FIELD_LANGUAGE, FROM_META, (const char *)content);
	xmlFree(equiv);
	xmlFree(key);
	xmlFree(content);
}

static void
walk(struct meta_state *st, xmlNodePtr root)
{
	xmlNodePtr node = root;
	xmlChar *text, *type;
	int depth = 0;

	/* Iterative pre-order walk: pages can nest deeply. */
	while (node) {
		if (node->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)node->name;

			if (strcasecmp(name, "meta") == 0) {
				read_meta(st, node);
			} else if (strcasecmp(name, "link") == 0) {
				read_link(st, node);
			} else if (strcasecmp(name, "title") == 0 &&
				   st->from[FIELD_TITLE] > FROM_TITLE) {
				text = xmlNodeGetContent(node);
				offer(st, FIELD_TITLE, FROM_TITLE,
				      (const char *)text);
				xmlFree(text);
			} else if (strcasecmp(name, "script") == 0) {
				type = xmlGetProp(node, BAD_CAST "type");
				if (type && strcasecmp((const char *)type,
						       "application/ld+json") == 0)
					read_jsonld(st, node);
				xmlFree(type);
			} else if (strcasecmp(name, "html") == 0) {
				text = xmlGetProp(node, BAD_CAST "lang");
				offer(st, FIELD_LANGUAGE, FROM_META,
				      (const char *)text);
				xmlFree(text);
			}
			if (node->children && strcasecmp(name, "script") != 0) {
				node = node->children;
				depth++;
				continue;
			}
		}
		while (node && !node->next && depth > 0) {
			node = node->parent;
			depth--;
		}
		node = node && depth >= 0 ? node->next : NULL;
	}
}

void
page_meta_parse(const char *html, size_t len, const char *charset,
		const char *page_url, struct page_meta *meta)
{
	struct meta_state st;
	htmlDocPtr doc;
	size_t i;

	memset(meta, 0, sizeof(*meta));
	st.meta = meta;
	st.base = page_url;
	for (i = 0; i < FIELD_COUNT; i++)
		st.from[i] = FROM_NOWHERE;
	if (len > INT32_MAX)
		return;
	doc = htmlReadMemory(html, (int)len, page_url, charset,
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
				     HTML_PARSE_COMPACT);
	if (!doc)
		return;
	walk(&st, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

void
page_meta_release(struct page_meta *meta)
{
	size_t i;

	free(meta->title);
	free(meta->description);
	free(meta->canonical);
	free(meta->site_name);
	free(meta->author);
	free(meta->image);
	free(meta->language);
	free(meta->kind);
	for (i = 0; i < meta->nfeeds; i++) {
		free(meta->feeds[i].url);
		free(meta->feeds[i].type);
		free(meta->feeds[i].title);
	}
	free(meta->feeds);
	memset(meta, 0, sizeof(*meta));
}
