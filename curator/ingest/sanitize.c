/*
 * sanitize: the allowlist HTML sanitizer and the HTML-to-text converter.
 *
 * libxml2's HTML parser builds a tree (it is an HTML 4 parser, not an
 * HTML5 one); we walk that tree ourselves and write only allowlisted
 * elements and attributes with our own serializer. Whatever libxml2 made of
 * odd markup, the output is plain, fully escaped, fully closed HTML, so a
 * browser parses it into the tree we meant: a parser difference can change
 * how text is grouped, never smuggle an element or attribute through.
 *
 * The allowlist (see the tables below):
 *   elements   a abbr address article b bdi bdo blockquote br caption cite
 *              code col colgroup dd del details dfn div dl dt em figcaption
 *              figure h1-h6 hr i img ins kbd li mark ol p pre q rp rt ruby
 *              s samp section small span strong sub summary sup table tbody
 *              td tfoot th thead time tr u ul var
 *   attributes dir lang title on every element; a href; img src alt width
 *              height; blockquote q del ins cite; del ins time datetime;
 *              td th colspan rowspan; th abbr scope; col colgroup span;
 *              ol reversed start type; li value; details open
 * class is dropped: a feed's class names mean nothing on our site and
 * could borrow the theme's own styles (hidden, alert, button...).
 * Landmark elements (header footer nav main aside) and unknown elements
 * are unwrapped: they go, their content stays. srcset is dropped.
 *
 * Most fragments never reach libxml2: a one-pass reader in front of it
 * (sanitize_fast.c) takes those it is sure libxml2 reads into the tree it
 * reads, and reports them to the same writers, so the output is the same
 * bytes; it declines the rest, which libxml2 reads as before. The writers
 * below take events (an element starts, an attribute, text, an element
 * ends) rather than libxml2's nodes for that reason.
 */
#include "ingest/ingest.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "core/url.h"
#include "ingest/sanitize_private.h"

/* The parser sees the fragment inside this element, which no start tag
 * closes (HTML 4 does not know it); without it libxml2 wraps top-level text
 * in <p> and misplaces the elements that follow the first one. */
static const char WRAPPER[] = "<curator-fragment>";

/* -------------------------------------------------------------- tables */

enum attr_id {
	ATTR_ABBR,
	ATTR_ALT,
	ATTR_CITE,
	ATTR_COLSPAN,
	ATTR_DATETIME,
	ATTR_DIR,
	ATTR_HEIGHT,
	ATTR_HREF,
	ATTR_LANG,
	ATTR_OPEN,
	ATTR_REVERSED,
	ATTR_ROWSPAN,
	ATTR_SCOPE,
	ATTR_SPAN,
	ATTR_SRC,
	ATTR_START,
	ATTR_TITLE,
	ATTR_TYPE,
	ATTR_VALUE,
	ATTR_WIDTH,
};

enum attr_kind {
	ATTR_KIND_TEXT,
	ATTR_KIND_URL,     /* cleaned, resolved, scheme checked */
	ATTR_KIND_NUMBER,  /* 1 to 9 digits */
	ATTR_KIND_INTEGER, /* an optional '-' and 1 to 9 digits */
	ATTR_KIND_BOOLEAN, /* written name="" */
};

struct attr {
	const char *name;
	enum attr_kind kind;
};

/* NOTE: sorted by name (bsearch), in enum attr_id order. */
static const struct attr attrs[] = {
	[ATTR_ABBR] = { "abbr", ATTR_KIND_TEXT },
	[ATTR_ALT] = { "alt", ATTR_KIND_TEXT },
	[ATTR_CITE] = { "cite", ATTR_KIND_URL },
	[ATTR_COLSPAN] = { "colspan", ATTR_KIND_NUMBER },
	[ATTR_DATETIME] = { "datetime", ATTR_KIND_TEXT },
	[ATTR_DIR] = { "dir", ATTR_KIND_TEXT },
	[ATTR_HEIGHT] = { "height", ATTR_KIND_NUMBER },
	[ATTR_HREF] = { "href", ATTR_KIND_URL },
	[ATTR_LANG] = { "lang", ATTR_KIND_TEXT },
	[ATTR_OPEN] = { "open", ATTR_KIND_BOOLEAN },
	[ATTR_REVERSED] = { "reversed", ATTR_KIND_BOOLEAN },
	[ATTR_ROWSPAN] = { "rowspan", ATTR_KIND_NUMBER },
	[ATTR_SCOPE] = { "scope", ATTR_KIND_TEXT },
	[ATTR_SPAN] = { "span", ATTR_KIND_NUMBER },
	[ATTR_SRC] = { "src", ATTR_KIND_URL },
	[ATTR_START] = { "start", ATTR_KIND_INTEGER },
	[ATTR_TITLE] = { "title", ATTR_KIND_TEXT },
	[ATTR_TYPE] = { "type", ATTR_KIND_TEXT },
	[ATTR_VALUE] = { "value", ATTR_KIND_INTEGER },
	[ATTR_WIDTH] = { "width", ATTR_KIND_NUMBER },
};

#define A(id) (1u << ATTR_##id)
#define GLOBAL_ATTRS (A(DIR) | A(LANG) | A(TITLE))

#define KEEP(n, block, a) { n, SANITIZE_TAG_KEEP, block, a }
#define VOID(n, block, a) { n, SANITIZE_TAG_VOID, block, a }
#define DROP(n) { n, SANITIZE_TAG_DROP, true, 0 }
#define UNWRAP(n, block) { n, SANITIZE_TAG_UNWRAP, block, 0 }

/* NOTE: sorted by name (bsearch). Elements not listed are unwrapped. */
static const struct sanitize_tag tags[] = {
	KEEP("a", false, A(HREF)),
	KEEP("abbr", false, 0),
	KEEP("address", true, 0),
	DROP("applet"),
	DROP("area"),
	KEEP("article", true, 0),
	UNWRAP("aside", true),
	KEEP("b", false, 0),
	DROP("base"),
	DROP("basefont"),
	KEEP("bdi", false, 0),
	KEEP("bdo", false, 0),
	UNWRAP("bgsound", false),
	KEEP("blockquote", true, A(CITE)),
	UNWRAP("body", true),
	VOID("br", true, 0),
	DROP("button"),
	KEEP("caption", true, 0),
	UNWRAP("center", true),
	KEEP("cite", false, 0),
	KEEP("code", false, 0),
	VOID("col", true, A(SPAN)),
	KEEP("colgroup", true, A(SPAN)),
	DROP("datalist"),
	KEEP("dd", true, 0),
	KEEP("del", false, A(CITE) | A(DATETIME)),
	KEEP("details", true, A(OPEN)),
	KEEP("dfn", false, 0),
	UNWRAP("dialog", true),
	KEEP("div", true, 0),
	KEEP("dl", true, 0),
	KEEP("dt", true, 0),
	KEEP("em", false, 0),
	/* NOTE: void in HTML5 but a container for libxml2: what follows it
	 * is its "content" there */
	UNWRAP("embed", false),
	UNWRAP("fieldset", true),
	KEEP("figcaption", true, 0),
	KEEP("figure", true, 0),
	UNWRAP("footer", true),
	DROP("form"),
	DROP("frame"),
	DROP("frameset"),
	KEEP("h1", true, 0),
	KEEP("h2", true, 0),
	KEEP("h3", true, 0),
	KEEP("h4", true, 0),
	KEEP("h5", true, 0),
	KEEP("h6", true, 0),
	DROP("head"),
	UNWRAP("header", true),
	VOID("hr", true, 0),
	UNWRAP("html", true),
	KEEP("i", false, 0),
	DROP("iframe"),
	UNWRAP("image", false),
	VOID("img", false, A(ALT) | A(HEIGHT) | A(SRC) | A(WIDTH)),
	DROP("input"),
	KEEP("ins", false, A(CITE) | A(DATETIME)),
	DROP("isindex"),
	KEEP("kbd", false, 0),
	UNWRAP("keygen", false),
	UNWRAP("legend", true),
	KEEP("li", true, A(VALUE)),
	DROP("link"),
	UNWRAP("listing", true),
	UNWRAP("main", true),
	KEEP("mark", false, 0),
	DROP("math"),
	UNWRAP("menuitem", false),
	DROP("meta"),
	UNWRAP("nav", true),
	DROP("noembed"),
	DROP("noframes"),
	DROP("noscript"),
	DROP("object"),
	KEEP("ol", true, A(REVERSED) | A(START) | A(TYPE)),
	DROP("optgroup"),
	DROP("option"),
	DROP("output"),
	KEEP("p", true, 0),
	DROP("param"),
	DROP("plaintext"),
	KEEP("pre", true, 0),
	KEEP("q", false, A(CITE)),
	KEEP("rp", false, 0),
	KEEP("rt", false, 0),
	KEEP("ruby", false, 0),
	KEEP("s", false, 0),
	KEEP("samp", false, 0),
	DROP("script"),
	KEEP("section", true, 0),
	DROP("select"),
	KEEP("small", false, 0),
	UNWRAP("source", false),
	KEEP("span", false, 0),
	KEEP("strong", false, 0),
	DROP("style"),
	KEEP("sub", false, 0),
	KEEP("summary", true, 0),
	KEEP("sup", false, 0),
	DROP("svg"),
	KEEP("table", true, 0),
	KEEP("tbody", true, 0),
	KEEP("td", true, A(COLSPAN) | A(ROWSPAN)),
	DROP("template"),
	DROP("textarea"),
	KEEP("tfoot", true, 0),
	KEEP("th", true, A(ABBR) | A(COLSPAN) | A(ROWSPAN) | A(SCOPE)),
	KEEP("thead", true, 0),
	KEEP("time", false, A(DATETIME)),
	DROP("title"),
	KEEP("tr", true, 0),
	UNWRAP("track", false),
	KEEP("u", false, 0),
	KEEP("ul", true, 0),
	KEEP("var", false, 0),
	DROP("xmp"),
};

/*
 * NOTE: libxml2 2.9.14's HTML parser closes the open element when some
 * elements start inside it (its htmlStartClose table; measured for every
 * pair of allowlisted elements). Unwrapping an unknown element can put
 * such a child right inside such a parent: we then unwrap the child too,
 * or the output would parse into another tree and sanitizing would not be
 * a fixed point. Sorted by parent (bsearch); children separated by spaces.
 */
static const struct {
	const char *parent;
	const char *children;
} closed_by[] = {
	{ "a", "a table td th" },
	{ "address", "dd dl dt li ul" },
	{ "b", "p td th" },
	{ "caption", "col colgroup tbody tfoot thead tr" },
	{ "colgroup", "colgroup tbody tfoot thead tr" },
	{ "dd", "dt" },
	{ "dl", "li" },
	{ "dt", "dd dl" },
	{ "h1", "li p table" },
	{ "h2", "li p table" },
	{ "h3", "li p table" },
	{ "h4", "li p table" },
	{ "h5", "li p table" },
	{ "h6", "li p table" },
	{ "i", "p td th" },
	{ "li", "li" },
	{ "ol", "ul" },
	{ "p", "address blockquote caption col colgroup dd div dl dt h1 h2 "
	       "h3 h4 h5 h6 hr li ol p pre table tbody td tfoot th tr ul" },
	{ "pre", "dd dl dt li table ul" },
	{ "s", "p" },
	{ "small", "p" },
	{ "span", "td th" },
	{ "tbody", "tbody tfoot" },
	{ "td", "tbody td tfoot th tr" },
	{ "tfoot", "tbody" },
	{ "th", "tbody td tfoot th tr" },
	{ "thead", "tbody tfoot" },
	{ "tr", "tbody tfoot tr" },
	{ "u", "p td th" },
	{ "ul", "address ol pre" },
};

/* Hosts that serve only tracking pixels (sorted, bsearch). */
static const char *const tracker_hosts[] = {
	"pixel.quantserve.com",
	"pixel.wp.com",
	"stats.wordpress.com",
	"www.google-analytics.com",
};

static int
compare_name(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

const struct sanitize_tag *
sanitize_tag_lookup(const char *name)
{
	return bsearch(name, tags, sizeof(tags) / sizeof(tags[0]),
		       sizeof(tags[0]), compare_name);
}

int
sanitize_attr_lookup(const char *name)
{
	const struct attr *a = bsearch(name, attrs,
				       sizeof(attrs) / sizeof(attrs[0]),
				       sizeof(attrs[0]), compare_name);

	return a ? (int)(a - attrs) : -1;
}

static bool
has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

bool
sanitize_is_closed_by(const char *parent, const char *child)
{
	const void *row = bsearch(parent, closed_by,
				  sizeof(closed_by) / sizeof(closed_by[0]),
				  sizeof(closed_by[0]), compare_name);

	return row && has_word(((const char *const *)row)[1], child);
}

/* -------------------------------------------------------------- parsing */

size_t
sanitize_utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return n;
}

/* libxml2 copies invalid bytes into its tree and stops at a NUL. */
void
sanitize_repair(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, n;

	buf_grow(out, len);
	while (i < len) {
		run = i;
		while (run < len && u[run] < 0x80 && u[run] != 0)
			run++;
		buf_add(out, s + i, run - i);
		i = run;
		if (i == len)
			break;
		n = u[i] ? sanitize_utf8_sequence(u + i, len - i) : 0;
		if (n == 3 && u[i] == 0xEF && u[i + 1] == 0xBF &&
		    u[i + 2] >= 0xBE) {
			/* U+FFFE and U+FFFF, which libxml2 drops */
			buf_adds(out, "\xEF\xBF\xBD");
			i += n;
		} else if (n) {
			buf_add(out, s + i, n);
			i += n;
		} else {
			buf_adds(out, "\xEF\xBF\xBD");
			i++;
		}
	}
}

static htmlDocPtr
parse_fragment(const char *html, size_t len)
{
	struct buf in = BUF_INIT;
	htmlDocPtr doc;
	int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		      HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
		      HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC |
		      HTML_PARSE_NODEFDTD;

	if (len > INT_MAX / 2)
		len = INT_MAX / 2; /* libxml2 takes an int size */
	buf_grow(&in, sizeof(WRAPPER) + len);
	buf_add(&in, WRAPPER, sizeof(WRAPPER) - 1);
	sanitize_repair(html, len, &in);
	if (in.len > INT_MAX)
		buf_setlen(&in, INT_MAX);
	doc = htmlReadMemory(in.ptr, (int)in.len, NULL, "UTF-8", options);
	buf_release(&in);
	return doc;
}

/* ---------------------------------------------------------- serializing */

/* What sanitize_escape() writes for a byte: NULL copies it, "" drops it. */
static const char *const escapes[256] = {
	[0x00] = "", [0x01] = "", [0x02] = "", [0x03] = "", [0x04] = "",
	[0x05] = "", [0x06] = "", [0x07] = "", [0x08] = "",
	/* tab and line feed are kept */
	[0x0B] = "", [0x0C] = "",
	/* NOTE: CR is written as LF (CRLF as one LF), as a browser reads it */
	[0x0D] = "\n",
	[0x0E] = "", [0x0F] = "", [0x10] = "", [0x11] = "", [0x12] = "",
	[0x13] = "", [0x14] = "", [0x15] = "", [0x16] = "", [0x17] = "",
	[0x18] = "", [0x19] = "", [0x1A] = "", [0x1B] = "", [0x1C] = "",
	[0x1D] = "", [0x1E] = "", [0x1F] = "",
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
	['\''] = "&#39;",
};

void
sanitize_escape(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;

	while (i < len) {
		run = i;
		while (run < len && !escapes[u[run]])
			run++;
		buf_add(out, s + i, run - i);
		if (run == len)
			break;
		if (u[run] != '\r' || run + 1 == len || u[run + 1] != '\n')
			buf_adds(out, escapes[u[run]]);
		i = run + 1;
	}
}

/* The value of an attribute, borrowed from the tree or from w->value. */
static const char *
attr_value(struct sanitize_writer *w, const xmlAttr *a)
{
	const xmlNode *n = a->children;

	if (!n)
		return "";
	if (!n->next && n->content)
		return (const char *)n->content;
	buf_clear(&w->value);
	for (; n; n = n->next)
		if (n->content)
			buf_adds(&w->value, (const char *)n->content);
	return w->value.ptr;
}

static bool
is_number(const char *s, bool is_signed)
{
	size_t i = 0;

	if (is_signed && s[0] == '-')
		s++;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i <= 9 && s[i] == '\0';
}

static bool
is_data_image(const char *s, size_t len)
{
	static const char *const types[] = { "gif", "jpeg", "png", "webp" };
	size_t i, n;

	if (len < 11 || strncasecmp(s, "data:image/", 11) != 0)
		return false;
	s += 11;
	len -= 11;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		n = strlen(types[i]);
		if (len <= n || strncasecmp(s, types[i], n) != 0)
			continue;
		if (s[n] == ',')
			return true;
		return len > n + 8 && strncasecmp(s + n, ";base64,", 8) == 0;
	}
	return false;
}

/* True for a width or height that hides an image: 0 or 1, in pixels. */
static bool
is_pixel_size(const char *s)
{
	while (*s == ' ')
		s++;
	if (*s != '0' && *s != '1')
		return false;
	s++;
	if (strncasecmp(s, "px", 2) == 0)
		s += 2;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

static bool
is_tracker_url(const char *url)
{
	const char *host = strstr(url, "://"), *end;
	char name[64];
	size_t len, i;

	if (!host)
		return false;
	host += 3;
	end = host + strcspn(host, "/?#:");
	len = (size_t)(end - host);
	if (len >= sizeof(name))
		return false;
	for (i = 0; i < len; i++)
		name[i] = (char)(host[i] >= 'A' && host[i] <= 'Z'
				 ? host[i] - 'A' + 'a' : host[i]);
	name[len] = '\0';
	return bsearch(name, tracker_hosts,
		       sizeof(tracker_hosts) / sizeof(tracker_hosts[0]),
		       sizeof(tracker_hosts[0]), compare_name) != NULL;
}

/* Resolves a URL attribute into w->url; false when it must be dropped. */
static bool
check_url(struct sanitize_writer *w, const char *value, bool is_img_src)
{
	enum url_scheme scheme;
	const char *p;

	/* NOTE: sanitize_escape() drops C0 controls, so check the URL
	 * without them: "java\x01script:" is relative here but written
	 * "javascript:" */
	buf_clear(&w->bare);
	for (p = value; *p; p++)
		if ((unsigned char)*p >= 0x20)
			buf_addc(&w->bare, *p);
	buf_clear(&w->url);
	url_resolve(w->base_url, w->bare.ptr, w->bare.len, &w->url);
	scheme = url_scheme(w->url.ptr, w->url.len);
	switch (scheme) {
	case URL_SCHEME_NONE:
	case URL_SCHEME_HTTP:
	case URL_SCHEME_HTTPS:
	case URL_SCHEME_MAILTO:
		return true;
	case URL_SCHEME_DATA:
		return is_img_src && is_data_image(w->url.ptr, w->url.len);
	default:
		return false;
	}
}

void
sanitize_writer_init(struct sanitize_writer *w, const char *base_url,
		     struct buf *out)
{
	/* NOTE: open[] is left as it is: only open[0..depth) is read */
	w->out = out;
	w->base_url = base_url;
	buf_init(&w->url, 0);
	buf_init(&w->bare, 0);
	buf_init(&w->value, 0);
	w->depth = 0;
}

void
sanitize_writer_release(struct sanitize_writer *w)
{
	buf_release(&w->url);
	buf_release(&w->bare);
	buf_release(&w->value);
}

enum sanitize_step
sanitize_writer_step(const struct sanitize_writer *w,
		     const struct sanitize_tag *tag)
{
	const struct sanitize_tag *parent;

	if (!tag || tag->kind == SANITIZE_TAG_UNWRAP)
		return SANITIZE_STEP_INTO;
	if (tag->kind == SANITIZE_TAG_DROP)
		return SANITIZE_STEP_SKIP;
	/* deeper than SANITIZE_MAX_DEPTH: flattened */
	parent = w->depth ? w->open[w->depth - 1].tag : NULL;
	if (w->depth == SANITIZE_MAX_DEPTH ||
	    (parent && sanitize_is_closed_by(parent->name, tag->name)))
		return tag->kind == SANITIZE_TAG_KEEP ? SANITIZE_STEP_INTO
						      : SANITIZE_STEP_SKIP;
	return SANITIZE_STEP_TAG;
}

void
sanitize_writer_begin(struct sanitize_writer *w,
		      const struct sanitize_tag *tag)
{
	w->mark = w->out->len;
	w->allowed = GLOBAL_ATTRS | tag->attrs;
	w->written = 0;
	w->is_img = tag->kind == SANITIZE_TAG_VOID &&
		    strcmp(tag->name, "img") == 0;
	w->has_src = false;
	w->pixel_width = false;
	w->pixel_height = false;
	w->is_tracker = false;
	buf_addc(w->out, '<');
	buf_adds(w->out, tag->name);
}

void
sanitize_writer_attr(struct sanitize_writer *w, int id, const char *value)
{
	struct buf *out = w->out;

	/* NOTE: a browser keeps the first of duplicate attributes;
	 * libxml2's parser never makes them, a tree built by hand can */
	if (id < 0 || !(w->allowed & (1u << id)) || (w->written & (1u << id)))
		return;
	if (id == ATTR_WIDTH)
		w->pixel_width = is_pixel_size(value);
	else if (id == ATTR_HEIGHT)
		w->pixel_height = is_pixel_size(value);
	switch (attrs[id].kind) {
	case ATTR_KIND_TEXT:
		break;
	case ATTR_KIND_NUMBER:
	case ATTR_KIND_INTEGER:
		if (!is_number(value, attrs[id].kind == ATTR_KIND_INTEGER))
			return;
		break;
	case ATTR_KIND_BOOLEAN:
		value = "";
		break;
	case ATTR_KIND_URL:
		if (!check_url(w, value, w->is_img && id == ATTR_SRC))
			return;
		value = w->url.ptr;
		if (id == ATTR_SRC) {
			w->has_src = true;
			w->is_tracker = is_tracker_url(value);
		}
		break;
	}
	w->written |= 1u << id;
	buf_addc(out, ' ');
	buf_adds(out, attrs[id].name);
	buf_adds(out, "=\"");
	sanitize_escape(value, strlen(value), out);
	buf_addc(out, '"');
}

bool
sanitize_writer_open(struct sanitize_writer *w, const void *key,
		     const struct sanitize_tag *tag)
{
	if (w->is_img && (!w->has_src || w->is_tracker ||
			  (w->pixel_width && w->pixel_height))) {
		buf_setlen(w->out, w->mark);
		return false;
	}
	if (strcmp(tag->name, "a") == 0)
		buf_adds(w->out, " rel=\"nofollow noopener noreferrer ugc\"");
	buf_addc(w->out, '>');
	if (tag->kind == SANITIZE_TAG_VOID)
		return false;
	w->open[w->depth].key = key;
	w->open[w->depth].tag = tag;
	w->depth++;
	return true;
}

void
sanitize_writer_close(struct sanitize_writer *w, const void *key)
{
	if (w->depth == 0 || w->open[w->depth - 1].key != key)
		return;
	w->depth--;
	buf_adds(w->out, "</");
	buf_adds(w->out, w->open[w->depth].tag->name);
	buf_addc(w->out, '>');
}

/* Called when the walk reaches an element; returns true to walk into it. */
static bool
enter_element(struct sanitize_writer *w, const xmlNode *node)
{
	const struct sanitize_tag *tag;
	const xmlAttr *a;
	int id;

	tag = sanitize_tag_lookup((const char *)node->name);
	switch (sanitize_writer_step(w, tag)) {
	case SANITIZE_STEP_SKIP:
		return false;
	case SANITIZE_STEP_INTO:
		return true;
	case SANITIZE_STEP_TAG:
		break;
	}
	sanitize_writer_begin(w, tag);
	for (a = node->properties; a; a = a->next) {
		id = sanitize_attr_lookup((const char *)a->name);
		if (id >= 0)
			sanitize_writer_attr(w, id, attr_value(w, a));
	}
	return sanitize_writer_open(w, node, tag);
}

static bool
sanitize_enter(void *ctx, const xmlNode *node)
{
	struct sanitize_writer *w = ctx;

	if (node->type == XML_TEXT_NODE && node->content) {
		sanitize_escape((const char *)node->content,
				strlen((const char *)node->content), w->out);
		return false;
	}
	if (node->type == XML_ELEMENT_NODE)
		return enter_element(w, node);
	return false; /* comments, CDATA, PIs, doctype */
}

static void
sanitize_leave(void *ctx, const xmlNode *node)
{
	sanitize_writer_close(ctx, node);
}

/* Walks the tree under root in document order without recursion: enter()
 * says whether to go into a node's children; leave() follows them. */
static void
walk(const xmlNode *root, bool (*enter)(void *, const xmlNode *),
     void (*leave)(void *, const xmlNode *), void *ctx)
{
	const xmlNode *node = root->children;

	while (node) {
		if (enter(ctx, node)) {
			if (node->children) {
				node = node->children;
				continue;
			}
			leave(ctx, node);
		}
		while (!node->next && node->parent != root) {
			node = node->parent;
			leave(ctx, node);
		}
		node = node->next;
	}
}

void
sanitize_tree(const xmlNode *root, const char *base_url, struct buf *out)
{
	struct sanitize_writer w;

	sanitize_writer_init(&w, base_url, out);
	walk(root, sanitize_enter, sanitize_leave, &w);
	sanitize_writer_release(&w);
}

/* ------------------------------------------------------------ plain text */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void
sanitize_text_add(struct sanitize_text *t, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;

	while (i < len) {
		if (is_space(s[i])) {
			t->pending_space = true;
			i++;
			continue;
		}
		if (u[i] < 0x20) {
			i++; /* control characters go, as in sanitize_html */
			continue;
		}
		if (t->pending_space && t->out->len > t->start)
			buf_addc(t->out, ' ');
		t->pending_space = false;
		run = i;
		for (;;) {
			while (run + 8 <= len &&
			       !sanitize_has_less(sanitize_load64(s + run),
						  0x21))
				run += 8;
			while (run < len && u[run] > 0x20)
				run++;
			/* one space between words is written as it is */
			if (run + 1 < len && s[run] == ' ' && u[run + 1] > 0x20)
				run++;
			else
				break;
		}
		buf_add(t->out, s + i, run - i);
		i = run;
	}
}

static bool
text_enter(void *ctx, const xmlNode *node)
{
	struct sanitize_text *t = ctx;
	const struct sanitize_tag *tag;

	if (node->type == XML_TEXT_NODE && node->content) {
		sanitize_text_add(t, (const char *)node->content,
				  strlen((const char *)node->content));
		return false;
	}
	if (node->type != XML_ELEMENT_NODE)
		return false;
	tag = sanitize_tag_lookup((const char *)node->name);
	if (tag && tag->kind == SANITIZE_TAG_DROP)
		return false;
	if (tag && tag->is_block)
		t->pending_space = true;
	return true;
}

static void
text_leave(void *ctx, const xmlNode *node)
{
	struct sanitize_text *t = ctx;
	const struct sanitize_tag *tag;

	tag = sanitize_tag_lookup((const char *)node->name);
	if (tag && tag->is_block)
		t->pending_space = true;
}

/* ------------------------------------------------------------- combined */

/* One walk feeding both writers. Where the sanitizer does not go into an
 * element that the text writer does (a void element, a dropped <img>, an
 * element flattened at SANITIZE_MAX_DEPTH), the subtree is walked for
 * text only until that element is left. Either writer may be NULL. */
struct both_writer {
	struct sanitize_writer *html;
	struct sanitize_text *text;
	const xmlNode *text_only; /* root of a subtree walked for text only */
};

static bool
both_enter(void *ctx, const xmlNode *node)
{
	struct both_writer *b = ctx;

	if (!b->text)
		return sanitize_enter(b->html, node);
	if (!b->html || b->text_only)
		return text_enter(b->text, node);
	if (sanitize_enter(b->html, node)) {
		/* NOTE: the sanitizer goes into an element only when the
		 * text writer does (it drops at least what text drops) */
		text_enter(b->text, node);
		return true;
	}
	if (!text_enter(b->text, node))
		return false;
	b->text_only = node;
	return true;
}

static void
both_leave(void *ctx, const xmlNode *node)
{
	struct both_writer *b = ctx;

	if (b->text)
		text_leave(b->text, node);
	if (b->text_only == node)
		b->text_only = NULL;
	else if (!b->text_only && b->html)
		sanitize_leave(b->html, node);
}

/* Without '<' or '&' a fragment is one text node: no need to parse it
 * (feeds often carry plain text where HTML is allowed). */
static bool
is_plain_text(const char *s, size_t len)
{
	return !memchr(s, '<', len) && !memchr(s, '&', len);
}

/* The reference: libxml2's HTML parser, then the writers on its tree. */
static void
run_libxml2(const char *html, size_t len, struct sanitize_writer *w,
	    struct sanitize_text *t)
{
	struct both_writer b = { w, t, NULL };
	htmlDocPtr doc;

	doc = parse_fragment(html, len);
	if (!doc)
		return;
	walk((const xmlNode *)doc, both_enter, both_leave, &b);
	xmlFreeDoc(doc);
}

enum sanitize_decline
sanitize_run(enum sanitize_path path, const char *html, size_t len,
	     const char *base_url, struct buf *out_html,
	     struct buf *out_text)
{
	struct sanitize_writer w;
	struct sanitize_text t = { out_text, out_text ? out_text->len : 0,
				   false };
	struct buf text = BUF_INIT;
	enum sanitize_decline reason = SANITIZE_DECLINE_NONE;

	if (is_plain_text(html, len)) {
		/* what the parser would make of it: one text node */
		sanitize_repair(html, len, &text);
		if (out_html)
			sanitize_escape(text.ptr, text.len, out_html);
		if (out_text)
			sanitize_text_add(&t, text.ptr, text.len);
		buf_release(&text);
		return SANITIZE_DECLINE_NONE;
	}
	if (path != SANITIZE_PATH_LIBXML2) {
		reason = sanitize_fast(html, len, base_url, out_html,
				       out_text);
		if (reason == SANITIZE_DECLINE_NONE ||
		    path == SANITIZE_PATH_FAST)
			return reason;
	}
	sanitize_writer_init(&w, base_url, out_html);
	run_libxml2(html, len, out_html ? &w : NULL, out_text ? &t : NULL);
	sanitize_writer_release(&w);
	return SANITIZE_DECLINE_NONE;
}

void
sanitize_html(const char *html, size_t len, const char *base_url,
	      struct buf *out)
{
	sanitize_run(SANITIZE_PATH_AUTO, html, len, base_url, out, NULL);
}

void
html_to_text(const char *html, size_t len, struct buf *out)
{
	sanitize_run(SANITIZE_PATH_AUTO, html, len, NULL, NULL, out);
}

void
sanitize_html_text(const char *html, size_t len, const char *base_url,
		   struct buf *out_html, struct buf *out_text)
{
	sanitize_run(SANITIZE_PATH_AUTO, html, len, base_url, out_html,
		     out_text);
}
