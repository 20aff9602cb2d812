/*
 * libFuzzer target: the sanitizer's serializer on trees that libxml2's
 * HTML parser would never build.
 *
 * The input is read as a naive tag soup and built into a libxml2 tree
 * exactly as written, with no HTML repair: <p><div>, <a><a>, <table>text,
 * <noscript><p title="</noscript><img>">, elements 300 deep, comments,
 * processing instructions and CDATA nodes all reach the serializer as
 * such. Syntax: "<name attr=value attr='v' attr=\"v\">" opens (names
 * lower-cased as the parser does; "/>" closes at once), "</anything>"
 * closes the current element, "<!--...-->" / "<!...>" is a comment,
 * "<![CDATA[...]]>" CDATA, "<?...>" a processing instruction; anything
 * else is text. No character reference is decoded.
 *
 * Oracle, on the output tokenized as a browser would (html_scan.h): only
 * allowlisted elements and attributes, every attribute value quoted, no
 * comment or other markup, no raw '<' or '>' in text, end tags balanced
 * and void elements never closed, URL attributes safe once their
 * character references are decoded; and the output is a fixed point of
 * sanitize_html() (libxml2 reads it back into the tree it came from).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/buf.h"
#include "core/url.h"
#include "ingest/ingest.h"
#include "ingest/sanitize_private.h"

#include "html_scan.h"

#define BASE "https://example.org/a/"
#define MAX_TREE_DEPTH 300
#define MAX_OPEN 256

/* ------------------------------------------------------- the tag soup */

/* A copy of s as the sanitizer's parser would store it (valid UTF-8,
 * no U+FFFE/U+FFFF: sanitize_repair()), optionally lower-cased. */
static char *
dup_utf8(const char *s, size_t len, bool is_lower)
{
	struct buf b = BUF_INIT;
	size_t i;

	sanitize_repair(s, len, &b);
	for (i = 0; is_lower && i < b.len; i++)
		b.ptr[i] = html_scan_lower(b.ptr[i]);
	return buf_detach(&b, NULL);
}

static bool
is_name_end(char c)
{
	return html_scan_is_space(c) || c == '/' || c == '>' || c == '=';
}

/* Reads the attributes of a start tag from s[*i]; true if "/>" ends it. */
static bool
read_attrs(xmlNodePtr node, const char *s, size_t len, size_t *i)
{
	size_t j = *i, start, name_end, vstart, vend;
	char *name, *value;
	bool is_empty = false;

	while (j < len && s[j] != '>') {
		if (html_scan_is_space(s[j]) || s[j] == '/') {
			is_empty = s[j] == '/';
			j++;
			continue;
		}
		is_empty = false;
		start = j;
		while (j < len && !is_name_end(s[j]))
			j++;
		if (j == start)
			j++; /* a lone '=' */
		name_end = j;
		vstart = vend = j;
		if (j < len && s[j] == '=') {
			j++;
			if (j < len && (s[j] == '"' || s[j] == '\'')) {
				char q = s[j++];

				vstart = j;
				while (j < len && s[j] != q)
					j++;
				vend = j;
				if (j < len)
					j++;
			} else {
				vstart = j;
				while (j < len && !html_scan_is_space(s[j]) &&
				       s[j] != '>')
					j++;
				vend = j;
			}
		}
		name = dup_utf8(s + start, name_end - start, true);
		value = dup_utf8(s + vstart, vend - vstart, false);
		if (name[0])
			xmlNewProp(node, (const xmlChar *)name,
				   (const xmlChar *)value);
		free(name);
		free(value);
	}
	*i = j < len ? j + 1 : len;
	return is_empty;
}

static xmlDocPtr
build_tree(const char *s, size_t len)
{
	xmlDocPtr doc = xmlNewDoc(NULL);
	xmlNodePtr parent, node;
	size_t i = 0, start, depth = 0;
	const char *end;
	char *name;

	parent = xmlNewDocNode(doc, NULL, (const xmlChar *)"curator-fragment",
			       NULL);
	xmlDocSetRootElement(doc, parent);
	while (i < len) {
		start = i;
		if (s[i] != '<' || i + 1 == len) {
			end = memchr(s + i + 1, '<', len - i - 1);
			i = end ? (size_t)(end - s) : len;
			name = dup_utf8(s + start, i - start, false);
			xmlAddChild(parent,
				    xmlNewDocText(doc, (const xmlChar *)name));
			free(name);
			continue;
		}
		if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			end = memmem(s + i + 9, len - i - 9, "]]>", 3);
			i = end ? (size_t)(end - s) + 3 : len;
			name = dup_utf8(s + start + 9,
					(end ? (size_t)(end - s) : len) -
						start - 9,
					false);
			xmlAddChild(parent,
				    xmlNewCDataBlock(doc, (const xmlChar *)name,
						     (int)strlen(name)));
			free(name);
			continue;
		}
		if (s[i + 1] == '!' || s[i + 1] == '?') {
			end = memchr(s + i, '>', len - i);
			i = end ? (size_t)(end - s) + 1 : len;
			name = dup_utf8(s + start + 2,
					(end ? (size_t)(end - s) : len) -
						start - 2,
					false);
			if (s[start + 1] == '!')
				node = xmlNewDocComment(doc,
							(const xmlChar *)name);
			else
				node = xmlNewDocPI(doc, (const xmlChar *)"x",
						   (const xmlChar *)name);
			free(name);
			xmlAddChild(parent, node);
			continue;
		}
		if (s[i + 1] == '/') {
			end = memchr(s + i, '>', len - i);
			i = end ? (size_t)(end - s) + 1 : len;
			if (depth) {
				parent = parent->parent;
				depth--;
			}
			continue;
		}
		i++;
		start = i;
		while (i < len && !html_scan_is_space(s[i]) && s[i] != '/' &&
		       s[i] != '>')
			i++;
		name = dup_utf8(s + start, i - start, true);
		node = xmlNewDocNode(doc, NULL,
				     (const xmlChar *)(name[0] ? name : "x"),
				     NULL);
		free(name);
		xmlAddChild(parent, node);
		if (!read_attrs(node, s, len, &i) && depth < MAX_TREE_DEPTH) {
			parent = node;
			depth++;
		}
	}
	return doc;
}

/* ------------------------------------------------------------- oracle */

struct checker {
	const struct buf *out;
	char open[MAX_OPEN][HTML_SCAN_NAME_MAX];
	size_t depth;
	struct buf decoded, cleaned;
};

static void
fail(const struct checker *c, const char *why)
{
	fprintf(stderr, "%s in: %s\n", why, c->out->ptr);
	abort();
}

static bool
is_in(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

#define IS_IN(name, list) is_in(name, list, sizeof(list) / sizeof(list[0]))

static const char *const void_elements[] = { "br", "col", "hr", "img" };

static const char *const elements[] = {
	"a", "abbr", "address", "article", "b", "bdi", "bdo", "blockquote",
	"br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
	"details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
	"h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
	"li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
	"section", "small", "span", "strong", "sub", "summary", "sup",
	"table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
	"ul", "var",
};

static const char *const attributes[] = {
	"abbr", "alt", "cite", "colspan", "datetime", "dir", "height", "href",
	"lang", "open", "rel", "reversed", "rowspan", "scope", "span", "src",
	"start", "title", "type", "value", "width",
};

static bool
is_safe_url(struct checker *c, const struct html_scan_attr *a,
	    const char *tag)
{
	enum url_scheme scheme;

	buf_clear(&c->decoded);
	buf_clear(&c->cleaned);
	html_scan_decode(a->value, a->value_len, &c->decoded);
	url_clean(c->decoded.ptr, c->decoded.len, &c->cleaned);
	scheme = url_scheme(c->cleaned.ptr, c->cleaned.len);
	if (scheme == URL_SCHEME_DATA)
		return strcmp(tag, "img") == 0 && strcmp(a->name, "src") == 0;
	return url_is_safe_link(c->cleaned.ptr, c->cleaned.len);
}

static int
on_tag(void *ctx, const struct html_scan_tag *tag)
{
	struct checker *c = ctx;
	const struct html_scan_attr *a;
	size_t i;

	if (!IS_IN(tag->name, elements))
		fail(c, "element not allowed");
	if (tag->is_end) {
		if (IS_IN(tag->name, void_elements) || c->depth == 0 ||
		    strcmp(c->open[c->depth - 1], tag->name) != 0)
			fail(c, "unbalanced end tag");
		c->depth--;
		return 0;
	}
	if (tag->is_self_closing || tag->nattrs == HTML_SCAN_ATTRS_MAX)
		fail(c, "self-closing tag or too many attributes");
	for (i = 0; i < tag->nattrs; i++) {
		a = &tag->attrs[i];
		if (!IS_IN(a->name, attributes) || a->quote != '"')
			fail(c, "attribute not allowed or not quoted");
		if ((strcmp(a->name, "href") == 0 ||
		     strcmp(a->name, "src") == 0 ||
		     strcmp(a->name, "cite") == 0) &&
		    !is_safe_url(c, a, tag->name))
			fail(c, "unsafe URL");
	}
	if (IS_IN(tag->name, void_elements))
		return 0;
	if (c->depth == MAX_OPEN)
		fail(c, "nesting too deep"); /* the serializer stops at 200 */
	memcpy(c->open[c->depth++], tag->name, HTML_SCAN_NAME_MAX);
	return 0;
}

static int
on_text(void *ctx, const char *s, size_t len)
{
	if (memchr(s, '<', len) || memchr(s, '>', len))
		fail(ctx, "raw < or > in text");
	return 0;
}

static int
on_markup(void *ctx, const char *s, size_t len)
{
	(void)s;
	(void)len;
	fail(ctx, "comment or other markup");
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct html_scan_ops ops = { on_tag, on_text, on_markup };
	static struct checker checker;
	struct buf out = BUF_INIT, again = BUF_INIT;
	xmlDocPtr doc;

	if (size > INT32_MAX / 2)
		return 0;
	doc = build_tree((const char *)data, size);
	sanitize_tree((const xmlNode *)xmlDocGetRootElement(doc), BASE, &out);
	xmlFreeDoc(doc);
	checker.depth = 0;
	checker.out = &out;
	html_scan(out.ptr, out.len, &ops, &checker);
	if (checker.depth != 0)
		fail(&checker, "unclosed element");
	sanitize_html(out.ptr, out.len, BASE, &again);
	if (again.len != out.len ||
	    memcmp(again.ptr, out.ptr, out.len) != 0) {
		fprintf(stderr, "not a fixed point:\nonce:  %s\ntwice: %s\n",
			out.ptr, again.ptr);
		abort();
	}
	buf_release(&out);
	buf_release(&again);
	return 0;
}
