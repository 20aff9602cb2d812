/*
 * RSS 0.90/0.91/0.92/1.0/2.0 and Atom 0.3/1.0 with libxml2's SAX2 push
 * parser, fed by the pre-pass (xml_prepass.c): memory stays flat whatever
 * the feed's size, and libxml2 never sees a DTD.
 *
 * Elements are recognised by namespace URI, never by prefix. A stack of
 * frames says where we are (channel, item, image, author...); an element we
 * want the text of starts a capture, which ends with its element and hands
 * the text to the item builder (feed_item_builder.c) or the feed's slots.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "core/date.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

/* Frames beyond the pre-pass's depth limit are never pushed. */
#define FRAME_MAX (FEED_MAX_DEPTH + 8)

enum ns {
	NS_NONE,
	NS_RSS10,
	NS_RSS090,
	NS_RDF,
	NS_ATOM10,
	NS_ATOM03,
	NS_CONTENT,
	NS_DC,
	NS_DCTERMS,
	NS_MEDIA,
	NS_ITUNES,
	NS_XHTML,
	NS_XML,
	NS_OTHER,
};

static const struct {
	const char *uri;
	enum ns ns;
} namespaces_table[] = {
	{ "http://purl.org/rss/1.0/", NS_RSS10 },
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_RSS090 },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://www.w3.org/2005/Atom", NS_ATOM10 },
	{ "http://purl.org/atom/ns#", NS_ATOM03 },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://search.yahoo.com/mrss/", NS_MEDIA },
	{ "http://search.yahoo.com/mrss", NS_MEDIA },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML },
	{ "http://www.w3.org/XML/1998/namespace", NS_XML },
};

/* Vocabularies: RSS's elements live in no namespace (0.91-2.0) or in the
 * RSS 1.0/0.90 namespace; Atom's in either Atom namespace. */
enum vocab {
	V_RSS,
	V_RDF,
	V_ATOM,
	V_CONTENT,
	V_DC,
	V_DCTERMS,
	V_MEDIA,
	V_ITUNES,
	V_OTHER,
};

enum el {
	EL_OTHER,
	EL_AUTHOR,
	EL_CATEGORY,
	EL_CHANNEL,
	EL_CONTENT,
	EL_CREATED,
	EL_DATE,
	EL_DESCRIPTION,
	EL_ENCLOSURE,
	EL_ENCODED,
	EL_ENTRY,
	EL_FEED,
	EL_GROUP,
	EL_GUID,
	EL_ICON,
	EL_ID,
	EL_IMAGE,
	EL_ISSUED,
	EL_ITEM,
	EL_LANGUAGE,
	EL_LASTBUILDDATE,
	EL_LINK,
	EL_LOGO,
	EL_MEDIA_CONTENT,
	EL_MODIFIED,
	EL_NAME,
	EL_PUBDATE,
	EL_PUBLISHED,
	EL_RDF,
	EL_SOURCE,
	EL_SUBJECT,
	EL_SUBTITLE,
	EL_SUMMARY,
	EL_TAGLINE,
	EL_THUMBNAIL,
	EL_TITLE,
	EL_UPDATED,
	EL_URL,
	EL_CREATOR,
	EL_ITUNES_AUTHOR,
	EL_ITUNES_IMAGE,
	EL_ITUNES_SUMMARY,
	EL_DC_DESCRIPTION,
	EL_DC_LANGUAGE,
	EL_DC_TITLE,
	EL_MEDIA_DESCRIPTION,
	EL_MEDIA_TITLE,
	EL_COUNT,
};

struct el_entry {
	enum vocab vocab;
	const char *name;
	enum el el;
};

/* NOTE: sorted by vocab, then name (strcmp), for bsearch. */
static const struct el_entry elements[] = {
	{ V_RSS, "author", EL_AUTHOR },
	{ V_RSS, "category", EL_CATEGORY },
	{ V_RSS, "channel", EL_CHANNEL },
	{ V_RSS, "description", EL_DESCRIPTION },
	{ V_RSS, "enclosure", EL_ENCLOSURE },
	{ V_RSS, "guid", EL_GUID },
	{ V_RSS, "image", EL_IMAGE },
	{ V_RSS, "item", EL_ITEM },
	{ V_RSS, "language", EL_LANGUAGE },
	{ V_RSS, "lastBuildDate", EL_LASTBUILDDATE },
	{ V_RSS, "link", EL_LINK },
	{ V_RSS, "pubDate", EL_PUBDATE },
	{ V_RSS, "source", EL_SOURCE },
	{ V_RSS, "title", EL_TITLE },
	{ V_RSS, "url", EL_URL },
	{ V_RDF, "RDF", EL_RDF },
	{ V_ATOM, "author", EL_AUTHOR },
	{ V_ATOM, "category", EL_CATEGORY },
	{ V_ATOM, "content", EL_CONTENT },
	{ V_ATOM, "created", EL_CREATED },
	{ V_ATOM, "entry", EL_ENTRY },
	{ V_ATOM, "feed", EL_FEED },
	{ V_ATOM, "icon", EL_ICON },
	{ V_ATOM, "id", EL_ID },
	{ V_ATOM, "issued", EL_ISSUED },
	{ V_ATOM, "link", EL_LINK },
	{ V_ATOM, "logo", EL_LOGO },
	{ V_ATOM, "modified", EL_MODIFIED },
	{ V_ATOM, "name", EL_NAME },
	{ V_ATOM, "published", EL_PUBLISHED },
	{ V_ATOM, "source", EL_SOURCE },
	{ V_ATOM, "subtitle", EL_SUBTITLE },
	{ V_ATOM, "summary", EL_SUMMARY },
	{ V_ATOM, "tagline", EL_TAGLINE },
	{ V_ATOM, "title", EL_TITLE },
	{ V_ATOM, "updated", EL_UPDATED },
	{ V_CONTENT, "encoded", EL_ENCODED },
	{ V_DC, "creator", EL_CREATOR },
	{ V_DC, "date", EL_DATE },
	{ V_DC, "description", EL_DC_DESCRIPTION },
	{ V_DC, "language", EL_DC_LANGUAGE },
	{ V_DC, "subject", EL_SUBJECT },
	{ V_DC, "title", EL_DC_TITLE },
	{ V_DCTERMS, "created", EL_CREATED },
	{ V_DCTERMS, "modified", EL_MODIFIED },
	{ V_MEDIA, "content", EL_MEDIA_CONTENT },
	{ V_MEDIA, "description", EL_MEDIA_DESCRIPTION },
	{ V_MEDIA, "group", EL_GROUP },
	{ V_MEDIA, "thumbnail", EL_THUMBNAIL },
	{ V_MEDIA, "title", EL_MEDIA_TITLE },
	{ V_ITUNES, "author", EL_ITUNES_AUTHOR },
	{ V_ITUNES, "image", EL_ITUNES_IMAGE },
	{ V_ITUNES, "summary", EL_ITUNES_SUMMARY },
};

enum kind {
	K_ROOT,
	K_RSS,          /* <rss> */
	K_RDF,          /* <rdf:RDF> */
	K_CHANNEL,      /* RSS channel, Atom feed */
	K_IMAGE,        /* RSS channel image */
	K_ITEM,         /* RSS item, Atom entry */
	K_GROUP,        /* media:group, media:content (inside an item) */
	K_AUTHOR,       /* Atom author of an entry */
	K_FEED_AUTHOR,  /* Atom author of the feed */
	K_CAPTURE,      /* the element whose text is captured */
	K_INSIDE,       /* inside a captured element */
	K_IGNORE,
};

enum target {
	T_TITLE,
	T_LINK,
	T_ID,
	T_CONTENT,
	T_DESCRIPTION,
	T_AUTHOR,
	T_PUBLISHED,
	T_UPDATED,
	T_LANGUAGE,
	T_CATEGORY,
	T_FEED_TITLE,
	T_FEED_LINK,
	T_FEED_DESCRIPTION,
	T_FEED_LANGUAGE,
	T_FEED_UPDATED,
	T_FEED_IMAGE,
	T_FEED_AUTHOR,
};

enum capture_mode {
	CAP_TEXT,    /* characters as they are; child elements skipped */
	CAP_HTML,    /* characters as they are (escaped HTML); children kept
			as markup */
	CAP_XHTML,   /* characters escaped; children kept as markup */
	CAP_BASE64,  /* Atom 0.3 mode="base64" */
};

struct frame {
	enum kind kind;
	const char *base;   /* effective xml:base, NULL when none */
	bool owns_base;
	const char *lang;
	bool owns_lang;
};

struct capture {
	bool is_active;
	int depth;               /* frame of the captured element */
	enum target target;
	enum capture_mode mode;
	enum feed_text_kind kind;
	int prio;
	int skip_depth;          /* Atom xhtml wrapper div, 0 when none */
	bool is_full;            /* FEED_MAX_FIELD reached */
	bool is_in_cdata;        /* text from a CDATA callback (see
				    capture_text) */
	unsigned long line;
	struct buf text;
};

/* An element whose text is captured the same way whatever its attributes:
 * where the text goes, how it is read, its priority (lower wins). */
struct capture_rule {
	bool is_set;
	enum target target;
	enum capture_mode mode;
	enum feed_text_kind kind;
	int prio;
};

#define CAPTURE(target, mode, kind, prio) { true, target, mode, kind, prio }
#define PLAIN(target, prio) CAPTURE(target, CAP_TEXT, FEED_TEXT_PLAIN, prio)

/* In the channel (RSS) or the feed (Atom); the other elements there are
 * read by start_in_channel. */
static const struct capture_rule channel_rules[EL_COUNT] = {
	[EL_DC_TITLE] = CAPTURE(T_FEED_TITLE, CAP_TEXT, FEED_TEXT_MAYBE_HTML,
				1),
	[EL_DESCRIPTION] = CAPTURE(T_FEED_DESCRIPTION, CAP_HTML,
				   FEED_TEXT_HTML, 0),
	[EL_DC_DESCRIPTION] = CAPTURE(T_FEED_DESCRIPTION, CAP_TEXT,
				      FEED_TEXT_MAYBE_HTML, 1),
	[EL_ITUNES_SUMMARY] = PLAIN(T_FEED_DESCRIPTION, 2),
	[EL_LANGUAGE] = PLAIN(T_FEED_LANGUAGE, 0),
	[EL_DC_LANGUAGE] = PLAIN(T_FEED_LANGUAGE, 1),
	[EL_LASTBUILDDATE] = PLAIN(T_FEED_UPDATED, 0),
	[EL_UPDATED] = PLAIN(T_FEED_UPDATED, 0),
	[EL_MODIFIED] = PLAIN(T_FEED_UPDATED, 0),
	[EL_PUBDATE] = PLAIN(T_FEED_UPDATED, 1),
	[EL_DATE] = PLAIN(T_FEED_UPDATED, 2),
	[EL_LOGO] = PLAIN(T_FEED_IMAGE, 0),
	[EL_ICON] = PLAIN(T_FEED_IMAGE, 2),
};

/* In an item or entry (and a media:group in one); the other elements
 * there are read by start_in_item. */
static const struct capture_rule item_rules[EL_COUNT] = {
	[EL_DC_TITLE] = CAPTURE(T_TITLE, CAP_TEXT, FEED_TEXT_MAYBE_HTML, 1),
	[EL_ID] = PLAIN(T_ID, 0),
	[EL_DESCRIPTION] = CAPTURE(T_DESCRIPTION, CAP_HTML, FEED_TEXT_HTML, 0),
	[EL_DC_DESCRIPTION] = CAPTURE(T_DESCRIPTION, CAP_HTML, FEED_TEXT_HTML,
				      1),
	[EL_ITUNES_SUMMARY] = PLAIN(T_DESCRIPTION, 2),
	[EL_ENCODED] = CAPTURE(T_CONTENT, CAP_HTML, FEED_TEXT_HTML, 0),
	[EL_PUBDATE] = PLAIN(T_PUBLISHED, 0),
	[EL_PUBLISHED] = PLAIN(T_PUBLISHED, 0),
	[EL_ISSUED] = PLAIN(T_PUBLISHED, 1),
	[EL_DATE] = PLAIN(T_PUBLISHED, 2),
	[EL_CREATED] = PLAIN(T_PUBLISHED, 3),
	[EL_CREATOR] = PLAIN(T_AUTHOR, 1),
	[EL_ITUNES_AUTHOR] = PLAIN(T_AUTHOR, 2),
	[EL_SUBJECT] = PLAIN(T_CATEGORY, 0),
	[EL_LANGUAGE] = PLAIN(T_LANGUAGE, 0),
	[EL_DC_LANGUAGE] = PLAIN(T_LANGUAGE, 0),
};

#undef PLAIN
#undef CAPTURE

struct feed_slots {
	struct feed_slot title, url, feed_url, description, language, image,
		updated, author;
};

struct xml_state {
	xmlParserCtxtPtr ctxt;
	const struct feed_options *opts;
	struct feed_diag *diag;
	struct feed_info *info;
	feed_item_fn on_item;
	void *cb_ctx;

	bool is_stopped;      /* the callback asked to stop, or limits */
	bool has_root;
	bool is_not_feed;     /* the root element said so (error set) */
	enum vocab none_vocab;
	unsigned long fatal_line;
	char *fatal_message;
	int fatal_code;
	int fatal_depth;      /* st->depth when it happened */

	struct frame frames[FRAME_MAX];
	int depth;
	struct capture cap;

	struct feed_item_builder item;
	size_t nitems;
	struct feed_slots feed;
	char *feed_author;
	struct buf attr;      /* scratch for attribute values */
	struct buf url;       /* scratch for resolved URLs */

	/* NOTE: libxml2 hands SAX2 handlers local names and namespace URIs
	 * from its dictionary: once ours are looked up there too, one
	 * pointer comparison recognises them (see intern_names). */
	bool has_names;
	const xmlChar *uri_names[sizeof(namespaces_table) /
				 sizeof(*namespaces_table)];
	const xmlChar *el_names[sizeof(elements) / sizeof(*elements)];
	size_t vocab_first[V_OTHER + 1], vocab_end[V_OTHER + 1];
};

/* ------------------------------------------------------------- helpers */

static enum ns
ns_of(const struct xml_state *st, const xmlChar *uri)
{
	size_t i;

	if (!uri || !*uri)
		return NS_NONE;
	for (i = 0; st->has_names && i < sizeof(st->uri_names) /
						  sizeof(*st->uri_names);
	     i++)
		if (uri == st->uri_names[i])
			return namespaces_table[i].ns;
	for (i = 0; i < sizeof(namespaces_table) / sizeof(*namespaces_table);
	     i++)
		if (strcmp((const char *)uri, namespaces_table[i].uri) == 0)
			return namespaces_table[i].ns;
	return NS_OTHER;
}

/* A prefix used without its xmlns declaration (a common mistake): the
 * conventional binding, so that <dc:creator> still counts. libxml2 warns
 * about it. */
static enum ns
ns_of_prefix(const xmlChar *prefix)
{
	static const struct {
		const char *prefix;
		enum ns ns;
	} conventional[] = {
		{ "atom", NS_ATOM10 },  { "content", NS_CONTENT },
		{ "dc", NS_DC },        { "dcterms", NS_DCTERMS },
		{ "itunes", NS_ITUNES }, { "media", NS_MEDIA },
	};
	size_t i;

	for (i = 0; prefix && i < sizeof(conventional) / sizeof(*conventional);
	     i++)
		if (strcmp((const char *)prefix, conventional[i].prefix) == 0)
			return conventional[i].ns;
	return NS_OTHER;
}

static enum vocab
vocab_of(const struct xml_state *st, enum ns ns)
{
	switch (ns) {
	case NS_NONE:
		return st->none_vocab;
	case NS_RSS10:
	case NS_RSS090:
		return V_RSS;
	case NS_RDF:
		return V_RDF;
	case NS_ATOM10:
	case NS_ATOM03:
		return V_ATOM;
	case NS_CONTENT:
		return V_CONTENT;
	case NS_DC:
		return V_DC;
	case NS_DCTERMS:
		return V_DCTERMS;
	case NS_MEDIA:
		return V_MEDIA;
	case NS_ITUNES:
		return V_ITUNES;
	default:
		return V_OTHER;
	}
}

/* Looks our names up in the parser's dictionary (adding them). */
static void
intern_names(struct xml_state *st)
{
	xmlDictPtr dict = st->ctxt->dict;
	size_t i;
	int v;

	st->has_names = false;
	if (!dict)
		return;
	for (i = 0; i < sizeof(st->uri_names) / sizeof(*st->uri_names); i++) {
		st->uri_names[i] = xmlDictLookup(
			dict, (const xmlChar *)namespaces_table[i].uri, -1);
		if (!st->uri_names[i])
			return;
	}
	for (v = 0; v <= V_OTHER; v++)
		st->vocab_first[v] = st->vocab_end[v] = 0;
	for (i = 0; i < sizeof(elements) / sizeof(*elements); i++) {
		st->el_names[i] = xmlDictLookup(
			dict, (const xmlChar *)elements[i].name, -1);
		if (!st->el_names[i])
			return;
		v = (int)elements[i].vocab;
		if (st->vocab_end[v] == 0)
			st->vocab_first[v] = i;
		st->vocab_end[v] = i + 1;
	}
	st->has_names = true;
}

static int
compare_el(const void *key, const void *entry)
{
	const struct el_entry *a = key, *b = entry;

	if (a->vocab != b->vocab)
		return a->vocab < b->vocab ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* localname comes from libxml2's dictionary. */
static enum el
lookup_el(const struct xml_state *st, enum vocab vocab,
	  const xmlChar *localname)
{
	struct el_entry key = { vocab, (const char *)localname, EL_OTHER };
	const struct el_entry *e;
	size_t i;

	if (st->has_names) {
		for (i = st->vocab_first[vocab]; i < st->vocab_end[vocab]; i++)
			if (st->el_names[i] == localname)
				return elements[i].el;
		return EL_OTHER;
	}
	e = bsearch(&key, elements, sizeof(elements) / sizeof(*elements),
		    sizeof(*elements), compare_el);
	return e ? e->el : EL_OTHER;
}

static unsigned long
current_line(const struct xml_state *st)
{
	return st->ctxt ? (unsigned long)xmlSAX2GetLineNumber(st->ctxt) : 0;
}

/* Copies an attribute value into out. NOTE: without XML_PARSE_NOENT,
 * libxml2 2.9 hands SAX2 "&#38;" for every '&' in an attribute value (to
 * be reparsed when a tree is built); we build no tree, so undo it here. */
static void
decode_attr(const xmlChar *value, const xmlChar *end, struct buf *out)
{
	const char *p = (const char *)value, *e = (const char *)end, *amp;

	buf_clear(out);
	while ((amp = memmem(p, (size_t)(e - p), "&#38;", 5)) != NULL) {
		buf_add(out, p, (size_t)(amp - p));
		buf_addc(out, '&');
		p = amp + 5;
	}
	buf_add(out, p, (size_t)(e - p));
}

/* Finds an attribute without namespace (or in namespace ns) by local
 * name; its decoded value goes to out. */
static bool
get_attr_ns(const struct xml_state *st, const xmlChar **attrs, int nattrs,
	    enum ns ns, const char *name, struct buf *out)
{
	int i;

	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (strcmp((const char *)a[0], name) != 0 ||
		    ns_of(st, a[2]) != ns)
			continue;
		decode_attr(a[3], a[4], out);
		return true;
	}
	return false;
}

static bool
get_attr(struct xml_state *st, const xmlChar **attrs, int nattrs,
	 const char *name)
{
	return get_attr_ns(st, attrs, nattrs, NS_NONE, name, &st->attr);
}

static const char *
effective_base(const struct xml_state *st)
{
	const struct frame *f = &st->frames[st->depth];

	if (f->base)
		return f->base;
	if (st->opts->base_url)
		return st->opts->base_url;
	if (st->feed.url.has_text)
		return st->feed.url.text.ptr;
	return NULL;
}

/* Resolves s against the current base into st->url. */
static const char *
resolve(struct xml_state *st, const char *s, size_t len)
{
	buf_clear(&st->url);
	url_resolve(effective_base(st), s, len, &st->url);
	buf_trim(&st->url);
	return st->url.ptr;
}

/* -------------------------------------------------------------- capture */

static void
begin_capture(struct xml_state *st, enum target target,
	      enum capture_mode mode, enum feed_text_kind kind, int prio)
{
	st->cap.is_active = true;
	st->cap.depth = st->depth;
	st->cap.target = target;
	st->cap.mode = mode;
	st->cap.kind = kind;
	st->cap.prio = prio;
	st->cap.skip_depth = 0;
	st->cap.is_full = false;
	st->cap.line = current_line(st);
	buf_clear(&st->cap.text);
	st->frames[st->depth].kind = K_CAPTURE;
}

static void
begin_rule(struct xml_state *st, const struct capture_rule *rule)
{
	begin_capture(st, rule->target, rule->mode, rule->kind, rule->prio);
}

/* An Atom text construct (RFC 4287 §3.1) or an Atom 0.3 content
 * construct (type MIME + mode). Returns false for content we cannot show
 * (out-of-line src, binary types). */
static bool
text_construct(struct xml_state *st, const xmlChar **attrs, int nattrs,
	       enum capture_mode *mode, enum feed_text_kind *kind)
{
	bool is03 = st->info->format == FEED_FORMAT_ATOM03;
	char type[64] = "", xmode[16] = "";

	if (get_attr(st, attrs, nattrs, "src"))
		return false;
	if (get_attr(st, attrs, nattrs, "type"))
		snprintf(type, sizeof(type), "%s", st->attr.ptr);
	if (get_attr(st, attrs, nattrs, "mode"))
		snprintf(xmode, sizeof(xmode), "%s", st->attr.ptr);
	*mode = CAP_TEXT;
	*kind = FEED_TEXT_PLAIN;
	if (strcasecmp(type, "html") == 0 || strncasecmp(type, "text/html", 9) == 0) {
		*mode = CAP_HTML;
		*kind = FEED_TEXT_HTML;
	} else if (strcasecmp(type, "xhtml") == 0 || strstr(type, "xhtml") ||
		   strstr(type, "+xml") || strstr(type, "/xml")) {
		*mode = CAP_XHTML;
		*kind = FEED_TEXT_HTML;
	} else if (type[0] && strcasecmp(type, "text") != 0 &&
		   strncasecmp(type, "text/", 5) != 0) {
		return false;
	}
	if (is03 || xmode[0]) {
		/* Atom 0.3 §3.1: mode defaults to "xml" */
		if (strcasecmp(xmode, "escaped") == 0) {
			if (*mode == CAP_XHTML)
				*mode = CAP_HTML;
		} else if (strcasecmp(xmode, "base64") == 0) {
			*mode = CAP_BASE64;
		} else if (*kind == FEED_TEXT_HTML) {
			*mode = CAP_XHTML;
		}
	}
	return true;
}

static unsigned long
count_lines(const char *s, size_t len)
{
	const char *end = s + len;
	unsigned long n = 0;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

static void
capture_text(struct xml_state *st, const char *s, size_t len)
{
	struct buf *b = &st->cap.text;
	unsigned long line;
	size_t room;

	if (st->cap.is_full)
		return;
	room = FEED_MAX_FIELD - b->len;
	if (len > room) {
		/* cut at a character boundary */
		while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
			room--;
		/* NOTE: libxml2 hands text over once it has counted its
		 * lines, a CDATA section before (the pre-pass makes many) */
		line = current_line(st);
		if (st->cap.is_in_cdata)
			line += count_lines(s, room);
		len = room;
		st->cap.is_full = true;
		if (feed_diag_once(st->diag, "field-size"))
			feed_diag_warn(st->diag, line,
				       "text longer than %u bytes cut",
				       FEED_MAX_FIELD);
	}
	buf_add(b, s, len);
}

static void
capture_escaped(struct xml_state *st, const char *s, size_t len)
{
	struct buf tmp = BUF_INIT;

	feed_escape_html(s, len, &tmp);
	capture_text(st, tmp.ptr, tmp.len);
	buf_release(&tmp);
}

static bool
is_void_element(const char *name)
{
	static const char *const names[] = { "area", "br", "col", "embed",
					     "hr", "img", "input", "source",
					     "track", "wbr" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static void
capture_start_tag(struct xml_state *st, const char *name,
		  const xmlChar **attrs, int nattrs)
{
	struct buf tag = BUF_INIT;
	int i;

	buf_addc(&tag, '<');
	buf_adds(&tag, name);
	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		decode_attr(a[3], a[4], &st->attr);
		buf_addc(&tag, ' ');
		buf_adds(&tag, (const char *)a[0]);
		buf_adds(&tag, "=\"");
		feed_escape_html(st->attr.ptr, st->attr.len, &tag);
		buf_addc(&tag, '"');
	}
	buf_addc(&tag, '>');
	capture_text(st, tag.ptr, tag.len);
	buf_release(&tag);
}

static const char base64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64_decode(const char *s, size_t len, struct buf *out)
{
	unsigned long acc = 0;
	int bits = 0;
	const char *p;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '=')
			break;
		p = s[i] ? strchr(base64_chars, s[i]) : NULL;
		if (!p)
			continue;
		acc = (acc << 6) | (unsigned long)(p - base64_chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xFF));
		}
	}
}

static void
offer_feed(struct xml_state *st, struct feed_slot *slot, const char *s,
	   size_t len)
{
	feed_slot_offer(slot, s, len, st->cap.prio, st->cap.kind, NULL,
			st->cap.line);
}

static void
end_capture(struct xml_state *st)
{
	struct feed_item_builder *b = &st->item;
	struct buf *t = &st->cap.text, decoded = BUF_INIT;
	const char *base = effective_base(st);
	const char *s;
	size_t len;

	st->cap.is_active = false;
	if (st->cap.mode == CAP_BASE64) {
		base64_decode(t->ptr, t->len, &decoded);
		buf_clear(t);
		utf8_repair(decoded.ptr, decoded.len, t);
		buf_release(&decoded);
	}
	s = t->ptr;
	len = t->len;
	switch (st->cap.target) {
	case T_TITLE:
		feed_slot_offer(&b->title, s, len, st->cap.prio, st->cap.kind,
				NULL, st->cap.line);
		break;
	case T_LINK:
		s = resolve(st, s, len);
		feed_slot_offer(&b->url, s, strlen(s), st->cap.prio,
				FEED_TEXT_PLAIN, NULL, st->cap.line);
		break;
	case T_ID:
		feed_slot_offer(&b->id, s, len, st->cap.prio, FEED_TEXT_PLAIN,
				NULL, st->cap.line);
		break;
	case T_CONTENT:
		feed_slot_offer(&b->content, s, len, st->cap.prio, st->cap.kind,
				base, st->cap.line);
		break;
	case T_DESCRIPTION:
		feed_slot_offer(&b->description, s, len, st->cap.prio,
				st->cap.kind, base, st->cap.line);
		break;
	case T_AUTHOR:
		feed_slot_offer(&b->author, s, len, st->cap.prio, st->cap.kind,
				NULL, st->cap.line);
		break;
	case T_PUBLISHED:
		feed_slot_offer(&b->published, s, len, st->cap.prio,
				FEED_TEXT_PLAIN, NULL, st->cap.line);
		break;
	case T_UPDATED:
		feed_slot_offer(&b->updated, s, len, st->cap.prio,
				FEED_TEXT_PLAIN, NULL, st->cap.line);
		break;
	case T_LANGUAGE:
		feed_slot_offer(&b->language, s, len, st->cap.prio,
				FEED_TEXT_PLAIN, NULL, st->cap.line);
		break;
	case T_CATEGORY:
		feed_item_builder_add_category(b, s, len);
		break;
	case T_FEED_TITLE:
		offer_feed(st, &st->feed.title, s, len);
		break;
	case T_FEED_LINK:
		s = resolve(st, s, len);
		offer_feed(st, &st->feed.url, s, strlen(s));
		break;
	case T_FEED_DESCRIPTION:
		offer_feed(st, &st->feed.description, s, len);
		break;
	case T_FEED_LANGUAGE:
		offer_feed(st, &st->feed.language, s, len);
		break;
	case T_FEED_UPDATED:
		offer_feed(st, &st->feed.updated, s, len);
		break;
	case T_FEED_IMAGE:
		s = resolve(st, s, len);
		offer_feed(st, &st->feed.image, s, strlen(s));
		break;
	case T_FEED_AUTHOR:
		offer_feed(st, &st->feed.author, s, len);
		break;
	}
}

/* ----------------------------------------------------------- elements */

static void
not_a_feed(struct xml_state *st, const char *fmt, const char *name)
{
	st->is_not_feed = true;
	feed_diag_fail(st->diag, fmt, name);
	xmlStopParser(st->ctxt);
}

static void
start_root(struct xml_state *st, const char *name, enum ns ns,
	   int nnamespaces, const xmlChar **namespaces, const xmlChar **attrs,
	   int nattrs)
{
	struct frame *f = &st->frames[st->depth];
	enum feed_format format = FEED_FORMAT_UNKNOWN;
	int i;

	st->has_root = true;
	if (strcasecmp(name, "html") == 0) {
		not_a_feed(st, "not a feed (looks like %s)", "HTML");
		return;
	}
	if (strcmp(name, "rss") == 0 && ns == NS_NONE) {
		format = FEED_FORMAT_RSS20;
		if (get_attr(st, attrs, nattrs, "version")) {
			buf_trim(&st->attr);
			if (strcmp(st->attr.ptr, "0.91") == 0)
				format = FEED_FORMAT_RSS091;
			else if (strcmp(st->attr.ptr, "0.92") == 0)
				format = FEED_FORMAT_RSS092;
			else if (strcmp(st->attr.ptr, "0.90") == 0)
				format = FEED_FORMAT_RSS090;
		}
		f->kind = K_RSS;
	} else if (strcmp(name, "RDF") == 0 && ns == NS_RDF) {
		format = FEED_FORMAT_RSS10;
		for (i = 0; i < nnamespaces; i++)
			if (ns_of(st, namespaces[2 * i + 1]) == NS_RSS090)
				format = FEED_FORMAT_RSS090;
		f->kind = K_RDF;
	} else if (strcmp(name, "feed") == 0 &&
		   (ns == NS_ATOM10 || ns == NS_ATOM03 || ns == NS_NONE)) {
		format = ns == NS_ATOM03 ? FEED_FORMAT_ATOM03
					 : FEED_FORMAT_ATOM10;
		if (ns == NS_NONE)
			st->none_vocab = V_ATOM;
		f->kind = K_CHANNEL;
	} else {
		not_a_feed(st, "not a feed (unknown root element <%s>)", name);
		return;
	}
	st->info->format = format;
	if (f->lang)
		feed_slot_offer(&st->feed.language, f->lang, strlen(f->lang), 5,
				FEED_TEXT_PLAIN, NULL, current_line(st));
}

static void
start_item(struct xml_state *st, const xmlChar **attrs, int nattrs)
{
	struct frame *f = &st->frames[st->depth];

	if (st->nitems >= FEED_MAX_ITEMS) {
		if (feed_diag_once(st->diag, "items"))
			feed_diag_warn(st->diag, current_line(st),
				       "more than %d items: the rest ignored",
				       FEED_MAX_ITEMS);
		f->kind = K_IGNORE;
		return;
	}
	feed_item_builder_clear(&st->item);
	st->item.line = current_line(st);
	f->kind = K_ITEM;
	/* RSS 1.0 §5.5: rdf:about identifies the item */
	if (get_attr_ns(st, attrs, nattrs, NS_RDF, "about", &st->attr))
		feed_slot_offer(&st->item.id, st->attr.ptr, st->attr.len, 1,
				FEED_TEXT_PLAIN, NULL, st->item.line);
	if (f->owns_lang)
		feed_slot_offer(&st->item.language, f->lang, strlen(f->lang),
				5, FEED_TEXT_PLAIN, NULL, st->item.line);
}

static void
end_item(struct xml_state *st)
{
	struct feed_item item;
	char *author = NULL;

	if (st->feed.author.has_text)
		author = feed_clean_line(st->feed.author.text.ptr,
					 st->feed.author.text.len);
	feed_item_builder_finish(&st->item, st->diag, author, &item);
	free(author);
	st->nitems++;
	if (st->on_item(&item, st->cb_ctx) != 0) {
		st->is_stopped = true;
		xmlStopParser(st->ctxt);
	}
	feed_item_release(&item);
}

static void
atom_link(struct xml_state *st, const xmlChar **attrs, int nattrs,
	  bool is_item)
{
	char rel[32] = "alternate", *type = NULL;
	const char *href;
	int64_t length = -1;

	if (!get_attr(st, attrs, nattrs, "href"))
		return;
	href = resolve(st, st->attr.ptr, st->attr.len);
	href = xstrdup(href);
	if (get_attr(st, attrs, nattrs, "rel")) {
		buf_trim(&st->attr);
		snprintf(rel, sizeof(rel), "%s", st->attr.ptr);
	}
	if (get_attr(st, attrs, nattrs, "type"))
		type = xstrdup(st->attr.ptr);
	if (get_attr(st, attrs, nattrs, "length"))
		length = feed_parse_length(st->attr.ptr, st->attr.len);
	if (strcmp(rel, "alternate") == 0) {
		feed_slot_offer(is_item ? &st->item.url : &st->feed.url, href,
				strlen(href), 0, FEED_TEXT_PLAIN, NULL,
				current_line(st));
	} else if (strcmp(rel, "self") == 0 && !is_item) {
		feed_slot_offer(&st->feed.feed_url, href, strlen(href), 0,
				FEED_TEXT_PLAIN, NULL, current_line(st));
	} else if (strcmp(rel, "enclosure") == 0 && is_item) {
		feed_item_builder_add_enclosure(&st->item, href, type, length);
		if (type && strncmp(type, "image/", 6) == 0)
			feed_item_builder_set_image(&st->item,
						    FEED_IMAGE_ENCLOSURE, href);
	} else if (strcmp(rel, "related") == 0 && is_item) {
		feed_slot_offer(&st->item.url, href, strlen(href), 5,
				FEED_TEXT_PLAIN, NULL, current_line(st));
	}
	free((char *)href);
	free(type);
}

/* RSS enclosure and media:content. */
static void
media_object(struct xml_state *st, const xmlChar **attrs, int nattrs,
	     bool is_media)
{
	char *url = NULL, *type = NULL;
	int64_t length = -1;
	bool is_image = false;

	if (!get_attr(st, attrs, nattrs, "url"))
		return;
	url = xstrdup(resolve(st, st->attr.ptr, st->attr.len));
	if (get_attr(st, attrs, nattrs, "type")) {
		buf_trim(&st->attr);
		if (st->attr.len)
			type = xstrdup(st->attr.ptr);
	}
	if (get_attr(st, attrs, nattrs, is_media ? "fileSize" : "length"))
		length = feed_parse_length(st->attr.ptr, st->attr.len);
	if (type && strncasecmp(type, "image/", 6) == 0)
		is_image = true;
	if (is_media && get_attr(st, attrs, nattrs, "medium"))
		is_image = strcmp(st->attr.ptr, "image") == 0;
	if (is_media && is_image) {
		feed_item_builder_set_image(&st->item, FEED_IMAGE_MEDIA, url);
	} else {
		feed_item_builder_add_enclosure(&st->item, url, type, length);
		if (is_image)
			feed_item_builder_set_image(&st->item,
						    FEED_IMAGE_ENCLOSURE, url);
	}
	free(url);
	free(type);
}

static void
start_in_channel(struct xml_state *st, enum el el, enum vocab vocab,
		 const xmlChar **attrs, int nattrs)
{
	struct frame *f = &st->frames[st->depth];
	bool is_atom = vocab == V_ATOM;
	enum capture_mode mode;
	enum feed_text_kind kind;

	if (channel_rules[el].is_set) {
		begin_rule(st, &channel_rules[el]);
		return;
	}
	switch (el) {
	case EL_ITEM:
	case EL_ENTRY:
		start_item(st, attrs, nattrs);
		break;
	case EL_IMAGE:
		f->kind = K_IMAGE;
		break;
	case EL_TITLE:
		if (!is_atom)
			begin_capture(st, T_FEED_TITLE, CAP_TEXT,
				      FEED_TEXT_MAYBE_HTML, 0);
		else if (text_construct(st, attrs, nattrs, &mode, &kind))
			begin_capture(st, T_FEED_TITLE, mode, kind, 0);
		break;
	case EL_LINK:
		if (is_atom)
			atom_link(st, attrs, nattrs, false);
		else
			begin_capture(st, T_FEED_LINK, CAP_TEXT,
				      FEED_TEXT_PLAIN, 0);
		break;
	case EL_SUBTITLE:
	case EL_TAGLINE:
		if (text_construct(st, attrs, nattrs, &mode, &kind))
			begin_capture(st, T_FEED_DESCRIPTION, mode, kind, 0);
		break;
	case EL_ITUNES_IMAGE:
		if (get_attr(st, attrs, nattrs, "href")) {
			const char *u = resolve(st, st->attr.ptr, st->attr.len);

			feed_slot_offer(&st->feed.image, u, strlen(u), 1,
					FEED_TEXT_PLAIN, NULL,
					current_line(st));
		}
		break;
	case EL_AUTHOR:
		if (is_atom)
			f->kind = K_FEED_AUTHOR;
		break;
	default:
		break;
	}
}

static void
start_in_item(struct xml_state *st, enum el el, enum vocab vocab,
	      const xmlChar **attrs, int nattrs)
{
	struct frame *f = &st->frames[st->depth];
	bool is_atom = vocab == V_ATOM;
	enum capture_mode mode;
	enum feed_text_kind kind;

	if (item_rules[el].is_set) {
		begin_rule(st, &item_rules[el]);
		return;
	}
	switch (el) {
	case EL_TITLE:
		if (!is_atom)
			begin_capture(st, T_TITLE, CAP_TEXT,
				      FEED_TEXT_MAYBE_HTML, 0);
		else if (text_construct(st, attrs, nattrs, &mode, &kind))
			begin_capture(st, T_TITLE, mode, kind, 0);
		break;
	case EL_MEDIA_TITLE:
	case EL_MEDIA_DESCRIPTION:
		kind = FEED_TEXT_PLAIN;
		if (get_attr(st, attrs, nattrs, "type") &&
		    strcmp(st->attr.ptr, "html") == 0)
			kind = FEED_TEXT_HTML;
		if (el == EL_MEDIA_TITLE)
			begin_capture(st, T_TITLE, CAP_TEXT, kind, 2);
		else
			begin_capture(st, T_DESCRIPTION, CAP_TEXT, kind, 3);
		break;
	case EL_LINK:
		if (is_atom)
			atom_link(st, attrs, nattrs, true);
		else
			begin_capture(st, T_LINK, CAP_TEXT, FEED_TEXT_PLAIN, 0);
		break;
	case EL_GUID:
		/* RSS 2.0: isPermaLink defaults to true */
		st->item.guid_is_permalink =
			!get_attr(st, attrs, nattrs, "isPermaLink") ||
			strcmp(st->attr.ptr, "false") != 0;
		begin_capture(st, T_ID, CAP_TEXT, FEED_TEXT_PLAIN, 0);
		break;
	case EL_SUMMARY:
		if (text_construct(st, attrs, nattrs, &mode, &kind))
			begin_capture(st, T_DESCRIPTION, mode, kind, 0);
		break;
	case EL_CONTENT:
		if (text_construct(st, attrs, nattrs, &mode, &kind))
			begin_capture(st, T_CONTENT, mode, kind, 1);
		break;
	case EL_UPDATED:
	case EL_MODIFIED:
		begin_capture(st, T_UPDATED, CAP_TEXT, FEED_TEXT_PLAIN,
			      vocab == V_ATOM ? 0 : 1);
		break;
	case EL_AUTHOR:
		if (is_atom)
			f->kind = K_AUTHOR;
		else
			begin_capture(st, T_AUTHOR, CAP_TEXT, FEED_TEXT_PLAIN,
				      0);
		break;
	case EL_CATEGORY:
		if (!is_atom) {
			begin_capture(st, T_CATEGORY, CAP_TEXT,
				      FEED_TEXT_PLAIN, 0);
		} else if (get_attr(st, attrs, nattrs, "label") ||
			   get_attr(st, attrs, nattrs, "term")) {
			feed_item_builder_add_category(&st->item, st->attr.ptr,
						       st->attr.len);
		}
		break;
	case EL_ENCLOSURE:
		media_object(st, attrs, nattrs, false);
		break;
	case EL_MEDIA_CONTENT:
		media_object(st, attrs, nattrs, true);
		f->kind = K_GROUP;
		break;
	case EL_GROUP:
		f->kind = K_GROUP;
		break;
	case EL_THUMBNAIL:
		if (get_attr(st, attrs, nattrs, "url"))
			feed_item_builder_set_image(
				&st->item, FEED_IMAGE_THUMBNAIL,
				resolve(st, st->attr.ptr, st->attr.len));
		break;
	case EL_ITUNES_IMAGE:
		if (get_attr(st, attrs, nattrs, "href"))
			feed_item_builder_set_image(
				&st->item, FEED_IMAGE_ITUNES,
				resolve(st, st->attr.ptr, st->attr.len));
		break;
	default:
		break;
	}
}

static void
push_frame(struct xml_state *st, const xmlChar **attrs, int nattrs)
{
	struct frame *parent = &st->frames[st->depth];
	struct frame *f = &st->frames[++st->depth];
	const char *base;

	f->kind = K_IGNORE;
	f->base = parent->base;
	f->owns_base = false;
	f->lang = parent->lang;
	f->owns_lang = false;
	if (get_attr_ns(st, attrs, nattrs, NS_XML, "base", &st->attr)) {
		base = effective_base(st);
		buf_clear(&st->url);
		url_resolve(base, st->attr.ptr, st->attr.len, &st->url);
		buf_trim(&st->url);
		f->base = xstrdup(st->url.ptr);
		f->owns_base = true;
	}
	if (get_attr_ns(st, attrs, nattrs, NS_XML, "lang", &st->attr)) {
		buf_trim(&st->attr);
		f->lang = st->attr.len ? xstrdup(st->attr.ptr) : NULL;
		f->owns_lang = f->lang != NULL;
	}
}

static void
pop_frame(struct xml_state *st)
{
	struct frame *f = &st->frames[st->depth];

	if (f->owns_base)
		free((char *)f->base);
	if (f->owns_lang)
		free((char *)f->lang);
	f->base = NULL;
	f->lang = NULL;
	f->owns_base = false;
	f->owns_lang = false;
	st->depth--;
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	 const xmlChar *uri, int nnamespaces, const xmlChar **namespaces,
	 int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct xml_state *st = ctx;
	const char *name = (const char *)localname;
	enum kind parent;
	enum ns ns = uri      ? ns_of(st, uri)
		     : prefix ? ns_of_prefix(prefix)
			      : NS_NONE;
	enum vocab vocab;
	enum el el;

	(void)ndefaulted;
	if (st->is_stopped || st->is_not_feed)
		return;
	if (st->depth + 1 >= FRAME_MAX) {
		/* cannot happen after the pre-pass; stay safe anyway */
		st->depth++;
		return;
	}
	parent = st->frames[st->depth].kind;
	push_frame(st, attrs, nattrs);
	if (st->cap.is_active) {
		st->frames[st->depth].kind = K_INSIDE;
		if (st->cap.mode == CAP_TEXT || st->cap.mode == CAP_BASE64)
			return;
		if (st->cap.mode == CAP_XHTML && parent == K_CAPTURE &&
		    ns == NS_XHTML && strcmp(name, "div") == 0 &&
		    st->cap.skip_depth == 0) {
			st->cap.skip_depth = st->depth;
			return;
		}
		capture_start_tag(st, name, attrs, nattrs);
		return;
	}
	vocab = vocab_of(st, ns);
	el = lookup_el(st, vocab, localname);
	switch (parent) {
	case K_ROOT:
		start_root(st, name, ns, nnamespaces, namespaces, attrs,
			   nattrs);
		break;
	case K_RSS:
	case K_RDF:
		if (el == EL_CHANNEL)
			st->frames[st->depth].kind = K_CHANNEL;
		else if (el == EL_ITEM)
			start_item(st, attrs, nattrs);
		else if (el == EL_IMAGE && parent == K_RDF)
			st->frames[st->depth].kind = K_IMAGE;
		break;
	case K_CHANNEL:
		start_in_channel(st, el, vocab, attrs, nattrs);
		break;
	case K_IMAGE:
		if (el == EL_URL)
			begin_capture(st, T_FEED_IMAGE, CAP_TEXT,
				      FEED_TEXT_PLAIN, 0);
		break;
	case K_ITEM:
	case K_GROUP:
		start_in_item(st, el, vocab, attrs, nattrs);
		break;
	case K_AUTHOR:
		if (el == EL_NAME)
			begin_capture(st, T_AUTHOR, CAP_TEXT, FEED_TEXT_PLAIN,
				      0);
		break;
	case K_FEED_AUTHOR:
		if (el == EL_NAME)
			begin_capture(st, T_FEED_AUTHOR, CAP_TEXT,
				      FEED_TEXT_PLAIN, 0);
		break;
	default:
		break;
	}
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
       const xmlChar *uri)
{
	struct xml_state *st = ctx;
	enum kind kind;

	(void)prefix;
	(void)uri;
	if (st->depth >= FRAME_MAX) {
		st->depth--;
		return;
	}
	if (st->depth <= 0)
		return;
	kind = st->frames[st->depth].kind;
	if (!st->is_stopped && !st->is_not_feed) {
		if (kind == K_CAPTURE && st->cap.is_active &&
		    st->cap.depth == st->depth) {
			end_capture(st);
		} else if (kind == K_INSIDE && st->cap.is_active &&
			   (st->cap.mode == CAP_HTML ||
			    st->cap.mode == CAP_XHTML)) {
			if (st->cap.skip_depth == st->depth)
				st->cap.skip_depth = -1;
			else if (!is_void_element((const char *)localname)) {
				capture_text(st, "</", 2);
				capture_text(st, (const char *)localname,
					     strlen((const char *)localname));
				capture_text(st, ">", 1);
			}
		} else if (kind == K_ITEM) {
			end_item(st);
		}
	}
	pop_frame(st);
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	struct xml_state *st = ctx;

	if (!st->cap.is_active || st->is_stopped || len <= 0)
		return;
	if (st->cap.mode == CAP_XHTML)
		capture_escaped(st, (const char *)ch, (size_t)len);
	else
		capture_text(st, (const char *)ch, (size_t)len);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
	struct xml_state *st = ctx;

	st->cap.is_in_cdata = true;
	on_characters(ctx, ch, len);
	st->cap.is_in_cdata = false;
}

static void
on_error(void *ctx, xmlErrorPtr error)
{
	struct xml_state *st = ctx;
	struct buf msg = BUF_INIT;

	if (!error || error->level == XML_ERR_WARNING)
		return;
	if (error->message)
		buf_adds(&msg, error->message);
	buf_trim(&msg);
	/* our messages start in lower case (STYLE.md) */
	if (msg.len > 1 && msg.ptr[0] >= 'A' && msg.ptr[0] <= 'Z' &&
	    !(msg.ptr[1] >= 'A' && msg.ptr[1] <= 'Z'))
		msg.ptr[0] = (char)(msg.ptr[0] - 'A' + 'a');
	if (error->level == XML_ERR_FATAL) {
		if (!st->fatal_message) {
			st->fatal_code = error->code;
			st->fatal_depth = st->depth;
			st->fatal_line = (unsigned long)(error->line > 0
								 ? error->line
								 : 0);
			st->fatal_message = buf_detach(&msg, NULL);
		}
	} else if (st->has_root && msg.len) {
		struct buf key = BUF_INIT;

		buf_addf(&key, "xml:%s", msg.ptr);
		if (feed_diag_once(st->diag, key.ptr))
			feed_diag_warn(st->diag, (unsigned long)error->line,
				       "%s", msg.ptr);
		buf_release(&key);
	}
	buf_release(&msg);
}

/* ------------------------------------------------------------ the parse */

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* NOTE: libxml2's loader is process-wide; set once, before any parse. Not
 * thread-safe on first use: the first feed_parse must not race another. */
static void
init_libxml(void)
{
	static bool is_done;

	if (is_done)
		return;
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	is_done = true;
}

static void
finish_info(struct xml_state *st)
{
	struct feed_info *info = st->info;
	struct feed_slots *f = &st->feed;
	struct buf text = BUF_INIT;

	if (f->title.has_text) {
		feed_slot_text(&f->title, &text);
		info->title = feed_clean_line(text.ptr, text.len);
		buf_clear(&text);
	}
	if (f->description.has_text) {
		feed_slot_text(&f->description, &text);
		info->description = feed_clean_line(text.ptr, text.len);
	}
	info->url = feed_clean_line(f->url.text.ptr, f->url.text.len);
	info->feed_url =
		feed_clean_line(f->feed_url.text.ptr, f->feed_url.text.len);
	info->language =
		feed_clean_line(f->language.text.ptr, f->language.text.len);
	info->image = feed_clean_line(f->image.text.ptr, f->image.text.len);
	if (f->updated.has_text) {
		if (date_parse(f->updated.text.ptr, f->updated.text.len,
			       &info->updated) == 0)
			info->has_updated = true;
		else
			feed_diag_warn(st->diag, f->updated.line,
				       "unrecognised date '%.64s'",
				       f->updated.text.ptr);
	}
	buf_release(&text);
}

static void
release_slots(struct feed_slots *f)
{
	struct feed_slot *slots[] = { &f->title, &f->url, &f->feed_url,
				      &f->description, &f->language, &f->image,
				      &f->updated, &f->author };
	size_t i;

	for (i = 0; i < sizeof(slots) / sizeof(*slots); i++) {
		buf_release(&slots[i]->text);
		free(slots[i]->base);
	}
}

int
feed_xml_parse(const struct feed_options *opts, const char *head,
	       size_t headlen, struct feed_input *in, feed_item_fn on_item,
	       void *ctx, struct feed_info *info, struct feed_diag *diag)
{
	struct xml_state st;
	xmlSAXHandler sax;
	struct xml_prepass *pp = NULL;
	struct buf out = BUF_INIT;
	char *chunk = NULL;
	const char *data = head;
	ssize_t n = (ssize_t)headlen;
	bool is_final = false;
	int rc = -1;

	init_libxml();
	xmlSetGenericErrorFunc(NULL, silent);
	memset(&st, 0, sizeof(st));
	st.opts = opts;
	st.diag = diag;
	st.info = info;
	st.on_item = on_item;
	st.cb_ctx = ctx;
	st.none_vocab = V_RSS;
	buf_init(&st.cap.text, 0);
	buf_init(&st.attr, 0);
	buf_init(&st.url, 0);
	feed_item_builder_init(&st.item);
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.cdataBlock = on_cdata;
	sax.serror = on_error;

	pp = xml_prepass_new(opts, diag);
	chunk = xmalloc(FEED_CHUNK_SIZE);
	for (;;) {
		if (!data) {
			n = in->read(in->ctx, chunk, FEED_CHUNK_SIZE);
			if (n < 0) {
				feed_diag_fail(diag, "read error: %s",
					       strerror(errno));
				goto out;
			}
			is_final = n == 0;
			data = chunk;
		}
		if (xml_prepass_feed(pp, data, (size_t)n, is_final, &out) != 0)
			goto out;
		data = NULL;
		if (!st.ctxt && out.len) {
			st.ctxt = xmlCreatePushParserCtxt(&sax, &st, NULL, 0,
							  NULL);
			if (!st.ctxt) {
				feed_diag_fail(diag, "out of memory");
				goto out;
			}
			xmlCtxtUseOptions(st.ctxt, XML_PARSE_NONET |
							   XML_PARSE_IGNORE_ENC);
			xmlSwitchEncoding(st.ctxt, XML_CHAR_ENCODING_UTF8);
			intern_names(&st);
		}
		if (st.ctxt && (out.len || is_final))
			xmlParseChunk(st.ctxt, out.ptr, (int)out.len,
				      is_final);
		buf_clear(&out);
		if (is_final || st.is_stopped || st.is_not_feed ||
		    st.fatal_message)
			break;
	}
	if (st.is_not_feed)
		goto out;
	if (!st.has_root) {
		if (st.fatal_message && st.fatal_code != XML_ERR_DOCUMENT_END &&
		    st.fatal_code != XML_ERR_DOCUMENT_EMPTY)
			feed_diag_fail(diag, "not a feed (malformed XML: %s)",
				       st.fatal_message);
		else
			feed_diag_fail(diag, "not a feed (no XML element)");
		goto out;
	}
	/* NOTE: in push mode libxml2 says "Extra content at the end of the
	 * document" when the input stops inside the root element. */
	if (st.fatal_message && !st.is_stopped &&
	    st.fatal_code == XML_ERR_DOCUMENT_END && st.fatal_depth > 0)
		feed_diag_warn(diag, st.fatal_line,
			       "the file ends in the middle of the feed "
			       "(truncated?); kept the items before it");
	else if (st.fatal_message && !st.is_stopped)
		feed_diag_warn(diag, st.fatal_line,
			       "malformed XML (%s); kept the items before it",
			       st.fatal_message);
	finish_info(&st);
	rc = 0;
out:
	while (st.depth > 0)
		pop_frame(&st);
	if (st.ctxt)
		xmlFreeParserCtxt(st.ctxt);
	xml_prepass_free(pp);
	free(chunk);
	free(st.fatal_message);
	buf_release(&out);
	buf_release(&st.cap.text);
	buf_release(&st.attr);
	buf_release(&st.url);
	feed_item_builder_release(&st.item);
	release_slots(&st.feed);
	return rc;
}
