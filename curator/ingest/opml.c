/*
 * OPML 2.0 subscriptions: read, edit and write feeds/sources.opml while
 * keeping everything curator does not understand.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/file.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

#define OPML_MAX_SIZE (16u << 20)

struct opml {
	xmlDocPtr doc;
	struct opml_source *sources;
	xmlNodePtr *nodes;      /* the outline element of each source */
	char **owned;           /* strings the sources point to */
	size_t nsources, cap, nowned, owned_cap;
};

static const char *
keep(struct opml *opml, xmlChar *s)
{
	char *copy;

	if (!s)
		return NULL;
	copy = xstrdup((const char *)s);
	xmlFree(s);
	opml->owned = xgrow(opml->owned, opml->nowned + 1, &opml->owned_cap,
			    sizeof(*opml->owned));
	opml->owned[opml->nowned++] = copy;
	return copy;
}

static void
clear_sources(struct opml *opml)
{
	size_t i;

	for (i = 0; i < opml->nsources; i++) {
		while (opml->sources[i].ntopics)
			free(opml->sources[i].topics[--opml->sources[i].ntopics]);
		free(opml->sources[i].topics);
	}
	for (i = 0; i < opml->nowned; i++)
		free(opml->owned[i]);
	opml->nsources = 0;
	opml->nowned = 0;
}

/* "/manga, jeunesse" -> {"manga", "jeunesse"} (OPML 2.0: comma-separated,
 * slash-delimited category strings; we take the last segment). */
static void
split_topics(const char *category, struct opml_source *src)
{
	const char *p = category, *end, *seg;
	size_t cap = 0;

	while (p && *p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		seg = end;
		while (seg > p && (seg[-1] == ' ' || seg[-1] == '\t'))
			seg--;
		if (seg > p) {
			const char *slash = memrchr(p, '/', (size_t)(seg - p));

			if (slash)
				p = slash + 1;
		}
		if (seg > p) {
			src->topics = xgrow(src->topics, src->ntopics + 1, &cap,
					    sizeof(*src->topics));
			src->topics[src->ntopics++] =
				xmemdupz(p, (size_t)(seg - p));
		}
		p = *end ? end + 1 : end;
	}
}

static void
collect(struct opml *opml, xmlNodePtr node)
{
	struct opml_source *src;
	xmlChar *category;

	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE ||
		    !xmlStrEqual(node->name, BAD_CAST "outline"))
			continue;
		if (xmlHasProp(node, BAD_CAST "xmlUrl")) {
			opml->sources = xgrow(opml->sources, opml->nsources + 1,
					      &opml->cap,
					      sizeof(*opml->sources));
			opml->nodes = xrealloc(opml->nodes,
					       opml->cap * sizeof(*opml->nodes));
			src = &opml->sources[opml->nsources];
			memset(src, 0, sizeof(*src));
			src->xml_url = keep(opml,
					    xmlGetProp(node, BAD_CAST "xmlUrl"));
			src->html_url = keep(opml,
					     xmlGetProp(node, BAD_CAST "htmlUrl"));
			src->title = keep(opml,
					  xmlGetProp(node, BAD_CAST "title"));
			if (!src->title)
				src->title = keep(
					opml, xmlGetProp(node, BAD_CAST "text"));
			category = xmlGetProp(node, BAD_CAST "category");
			split_topics((const char *)category, src);
			xmlFree(category);
			opml->nodes[opml->nsources++] = node;
		}
		collect(opml, node->children);
	}
}

static xmlNodePtr
find_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, BAD_CAST name))
			return n;
	return NULL;
}

static xmlNodePtr
body_of(struct opml *opml)
{
	return find_child(xmlDocGetRootElement(opml->doc), "body");
}

static void
refresh(struct opml *opml)
{
	clear_sources(opml);
	collect(opml, body_of(opml) ? body_of(opml)->children : NULL);
}

struct first_error {
	unsigned long line;
	struct buf message;
};

/* libxml2 reports the last error; the first one is the one to fix. */
static void
keep_first_error(void *ctx, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct first_error *first = ctxt->_private;

	if (first->message.len || !err || !err->message)
		return;
	first->line = (unsigned long)err->line;
	buf_add(&first->message, err->message, strcspn(err->message, "\n"));
}

struct opml *
opml_parse(struct report *rep, const char *name, const char *data, size_t len)
{
	struct report_pos pos = { name, 0, 0 };
	xmlParserCtxtPtr ctxt = NULL;
	struct opml *opml = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	struct first_error first = { 0, BUF_INIT };

	if (len > OPML_MAX_SIZE) {
		report_error(rep, &pos, "larger than 16 MiB");
		return NULL;
	}
	/* OPML never needs entity declarations: refusing them rules out
	 * entity expansion attacks before libxml2 sees the bytes. */
	if (memmem(data, len, "<!ENTITY", 8)) {
		report_error(rep, &pos, "entity declarations are not allowed "
					"in OPML");
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		report_error(rep, &pos, "out of memory");
		return NULL;
	}
	ctxt->_private = &first;
	ctxt->sax->serror = keep_first_error;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL,
				XML_PARSE_NONET | XML_PARSE_NOBLANKS |
					XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (!doc) {
		pos.line = first.line;
		report_error(rep, &pos, "not valid XML: %s",
			     first.message.len ? first.message.ptr
					       : "unknown error");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !xmlStrEqual(root->name, BAD_CAST "opml")) {
		report_error(rep, &pos, "not an OPML file (no <opml> root)");
		goto out;
	}
	if (!find_child(root, "body")) {
		pos.line = (unsigned long)xmlGetLineNo(root);
		report_error(rep, &pos, "OPML without a <body>");
		goto out;
	}
	opml = xcalloc(1, sizeof(*opml));
	opml->doc = doc;
	doc = NULL;
	refresh(opml);
out:
	buf_release(&first.message);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return opml;
}

static struct opml *
opml_new_empty(void)
{
	struct opml *opml = xcalloc(1, sizeof(*opml));
	xmlNodePtr root, head;

	opml->doc = xmlNewDoc(BAD_CAST "1.0");
	root = xmlNewDocNode(opml->doc, NULL, BAD_CAST "opml", NULL);
	xmlSetProp(root, BAD_CAST "version", BAD_CAST "2.0");
	xmlDocSetRootElement(opml->doc, root);
	head = xmlNewChild(root, NULL, BAD_CAST "head", NULL);
	xmlNewTextChild(head, NULL, BAD_CAST "title", BAD_CAST "Sources");
	xmlNewChild(root, NULL, BAD_CAST "body", NULL);
	return opml;
}

struct opml *
opml_load(struct report *rep, const char *path)
{
	struct buf data = BUF_INIT;
	struct opml *opml;

	if (access(path, F_OK) != 0)
		return opml_new_empty();
	if (file_read(rep, path, OPML_MAX_SIZE, &data) != 0)
		return NULL;
	opml = opml_parse(rep, path, data.ptr, data.len);
	buf_release(&data);
	return opml;
}

void
opml_free(struct opml *opml)
{
	if (!opml)
		return;
	clear_sources(opml);
	free(opml->sources);
	free(opml->nodes);
	free(opml->owned);
	xmlFreeDoc(opml->doc);
	free(opml);
}

const struct opml_source *
opml_sources(const struct opml *opml, size_t *n)
{
	*n = opml->nsources;
	return opml->sources;
}

/* Two URLs name the same feed when their normalized forms match; URLs
 * that do not normalize (file:) must match exactly. */
static bool
same_feed(const char *a, const char *b)
{
	struct buf na = BUF_INIT, nb = BUF_INIT;
	bool same;

	if (url_normalize(a, strlen(a), &na) == 0 &&
	    url_normalize(b, strlen(b), &nb) == 0)
		same = strcmp(na.ptr, nb.ptr) == 0;
	else
		same = strcmp(a, b) == 0;
	buf_release(&na);
	buf_release(&nb);
	return same;
}

long
opml_find(const struct opml *opml, const char *url)
{
	size_t i;

	for (i = 0; i < opml->nsources; i++)
		if (opml->sources[i].xml_url &&
		    same_feed(opml->sources[i].xml_url, url))
			return (long)i;
	return -1;
}

static void
set_topics(xmlNodePtr node, const struct opml_source *src,
	   const char *const *topics, size_t ntopics)
{
	struct buf cat = BUF_INIT;
	size_t i, j;

	for (i = 0; src && i < src->ntopics; i++) {
		if (cat.len)
			buf_addc(&cat, ',');
		buf_adds(&cat, src->topics[i]);
	}
	for (i = 0; i < ntopics; i++) {
		for (j = 0; src && j < src->ntopics; j++)
			if (strcmp(src->topics[j], topics[i]) == 0)
				break;
		if (src && j < src->ntopics)
			continue;
		if (cat.len)
			buf_addc(&cat, ',');
		buf_adds(&cat, topics[i]);
	}
	if (cat.len)
		xmlSetProp(node, BAD_CAST "category", BAD_CAST cat.ptr);
	buf_release(&cat);
}

int
opml_add(struct opml *opml, const char *xml_url, const char *html_url,
	 const char *title, const char *const *topics, size_t ntopics)
{
	xmlNodePtr node;

	if (opml_find(opml, xml_url) >= 0)
		return 1;
	node = xmlNewChild(body_of(opml), NULL, BAD_CAST "outline", NULL);
	xmlSetProp(node, BAD_CAST "type", BAD_CAST "rss");
	xmlSetProp(node, BAD_CAST "text", BAD_CAST(title ? title : xml_url));
	if (title)
		xmlSetProp(node, BAD_CAST "title", BAD_CAST title);
	xmlSetProp(node, BAD_CAST "xmlUrl", BAD_CAST xml_url);
	if (html_url)
		xmlSetProp(node, BAD_CAST "htmlUrl", BAD_CAST html_url);
	set_topics(node, NULL, topics, ntopics);
	refresh(opml);
	return 0;
}

void
opml_add_topics(struct opml *opml, long index, const char *const *topics,
		size_t ntopics)
{
	if (index < 0 || (size_t)index >= opml->nsources)
		return;
	set_topics(opml->nodes[index], &opml->sources[index], topics, ntopics);
	refresh(opml);
}

int
opml_remove(struct opml *opml, const char *url)
{
	long i = opml_find(opml, url);
	xmlNodePtr node;

	if (i < 0)
		return 1;
	node = opml->nodes[i];
	xmlUnlinkNode(node);
	xmlFreeNode(node);
	refresh(opml);
	return 0;
}

int
opml_set_url(struct opml *opml, const char *old_url, const char *new_url)
{
	long i = opml_find(opml, old_url);

	if (i < 0)
		return 1;
	xmlSetProp(opml->nodes[i], BAD_CAST "xmlUrl", BAD_CAST new_url);
	refresh(opml);
	return 0;
}

int
opml_serialize(struct report *rep, const struct opml *opml, struct buf *out)
{
	xmlBufferPtr xbuf = xmlBufferCreate();
	xmlSaveCtxtPtr save;
	int rc = -1;

	if (!xbuf)
		return report_error(rep, NULL, "out of memory");
	save = xmlSaveToBuffer(xbuf, "UTF-8", XML_SAVE_FORMAT);
	if (save && xmlSaveDoc(save, opml->doc) >= 0 && xmlSaveClose(save) >= 0) {
		buf_add(out, xmlBufferContent(xbuf),
			(size_t)xmlBufferLength(xbuf));
		rc = 0;
	} else {
		report_error(rep, NULL, "cannot serialize OPML");
	}
	xmlBufferFree(xbuf);
	return rc;
}

int
opml_save(struct report *rep, const struct opml *opml, const char *path)
{
	struct buf out = BUF_INIT;
	int rc = -1;

	if (opml_serialize(rep, opml, &out) == 0 &&
	    file_write_atomic(rep, path, out.ptr, out.len, true) !=
		    FILE_WRITE_FAILED)
		rc = 0;
	buf_release(&out);
	return rc;
}
