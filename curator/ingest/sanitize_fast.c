/*
 * sanitize_fast: a one-pass reader for the plain HTML fragments most feeds
 * carry, in front of libxml2's HTML parser (sanitize.c).
 *
 * It reports what it reads to the same writers as the libxml2 path and
 * accepts a fragment only when it is certain libxml2 2.9.14 would build
 * the tree it read: allowlisted elements, properly nested, never one that
 * libxml2 closes implicitly (sanitize_is_closed_by), quoted attributes,
 * references of a known character, valid UTF-8 without controls. On
 * anything else it declines and appends nothing: the libxml2 path, the
 * reference, reads the fragment. tests/unit/test_sanitize.c and
 * tests/fuzz/fuzz_sanitize_fast.c check that the two agree byte for byte
 * whenever this one accepts.
 */
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "ingest/sanitize_private.h"

/* Deeper fragments go to libxml2 (which flattens past
 * SANITIZE_MAX_DEPTH). */
#define FAST_MAX_DEPTH 64

/* Longer fragments go to libxml2, whose text nodes stop growing at
 * 10 MB (XML_MAX_TEXT_LENGTH) and which reads at most INT_MAX / 2 bytes
 * (sanitize.c). */
#define FAST_MAX_LEN (4u << 20)

/* Longer element, attribute or entity names go to libxml2. */
#define FAST_MAX_NAME 32

struct fast_open {
	const struct sanitize_tag *tag; /* NULL: unknown, unwrapped */
	const char *key; /* where its start tag is in the input */
	char name[FAST_MAX_NAME];
};

struct fast {
	const char *p, *end;
	struct sanitize_writer *w; /* NULL: no HTML wanted */
	struct sanitize_text *t;   /* NULL: no text wanted */
	struct buf value;          /* an attribute value, decoded */
	size_t depth;
	struct fast_open open[FAST_MAX_DEPTH];
};

static bool
is_blank(char c)
{
	/* NOTE: CR, libxml2's fourth blank, is declined before */
	return c == ' ' || c == '\t' || c == '\n';
}

/* ASCII only, whatever the locale */
static bool
is_letter(char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static bool
is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* Length of the character at s (>= 0x80) libxml2 reads as it is: 0 for
 * invalid UTF-8 (sanitize_repair() changes it) and for U+FFFE and U+FFFF
 * (libxml2 drops them). */
static size_t
char_length(const unsigned char *s, size_t len)
{
	size_t n = sanitize_utf8_sequence(s, len);

	if (n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
		return 0;
	return n;
}

/* Text that sanitize_escape() would copy as it is. */
static void
add_clean_text(struct fast *f, const char *s, size_t len)
{
	if (f->w)
		buf_add(f->w->out, s, len);
	if (f->t)
		sanitize_text_add(f->t, s, len);
}

static void
add_text(struct fast *f, const char *s, size_t len)
{
	if (f->w)
		sanitize_escape(s, len, f->w->out);
	if (f->t)
		sanitize_text_add(f->t, s, len);
}

/* The bytes a text run stops at to look closer: those sanitize_escape()
 * changes (controls but tab and LF, & < > " \') and every non-ASCII byte
 * (its UTF-8 is checked). */
static const unsigned char stops[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Length of the run of clean text at s: bytes sanitize_escape() writes
 * as they are, in valid UTF-8, but U+FFFE and U+FFFF (libxml2 drops
 * them). */
static size_t
text_run(const char *s, const char *end)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = (size_t)(end - s), i = 0, n;

	for (;;) {
		while (i < len && !stops[u[i]])
			i++;
		if (i == len || u[i] < 0x80)
			return i;
		/* the usual case, Latin accents: two bytes */
		if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len &&
		    (u[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		n = char_length(u + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
}

/* The value of a hexadecimal digit, -1 for another character. */
static int
hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static size_t
encode_utf8(unsigned long c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* A character libxml2 writes as it is (XML 1.0 §2.2 Char), but no
 * control: CR and the rest go to libxml2. */
static bool
is_plain_char(unsigned long c)
{
	return c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Decodes the reference at *pp ('&') into out (4 bytes at least): its
 * length, 0 when libxml2 must read it. Entity names are looked up in
 * libxml2's own table, so both paths decode the same. */
static size_t
decode_reference(const char **pp, const char *end, char *out)
{
	const char *p = *pp + 1;
	const htmlEntityDesc *entity;
	char name[FAST_MAX_NAME];
	unsigned long c = 0;
	size_t n = 0;

	if (p < end && *p == '#') {
		p++;
		if (p < end && (*p == 'x' || *p == 'X')) {
			for (p++; p < end && n < 6 && hex_digit(*p) >= 0;
			     p++, n++)
				c = c * 16 + (unsigned long)hex_digit(*p);
		} else {
			for (; p < end && n < 7 && is_digit(*p); p++, n++)
				c = c * 10 + (unsigned long)(*p - '0');
		}
		if (n == 0 || p == end || *p != ';' || !is_plain_char(c))
			return 0;
		*pp = p + 1;
		return encode_utf8(c, out);
	}
	for (; p < end && n < sizeof(name) - 1 &&
	       (is_letter(*p) || (n > 0 && is_digit(*p))); p++)
		name[n++] = *p;
	if (n == 0 || p == end || *p != ';')
		return 0;
	name[n] = '\0';
	entity = htmlEntityLookup((const xmlChar *)name);
	if (!entity || entity->value == 0 || !is_plain_char(entity->value))
		return 0;
	*pp = p + 1;
	return encode_utf8(entity->value, out);
}

/* Reads a lower-cased name into name as libxml2 reads it
 * (htmlParseHTMLName): a letter, then letters, digits and - _ : . ; its
 * length, 0 when it is empty or too long. */
static size_t
read_name(struct fast *f, char *name)
{
	const char *p = f->p;
	size_t n = 0;
	char c;

	for (; p < f->end; p++) {
		c = *p;
		if (!is_letter(c) &&
		    (n == 0 || !(is_digit(c) || c == '-' || c == '_' ||
				 c == ':' || c == '.')))
			break;
		if (n == FAST_MAX_NAME - 1)
			return 0;
		name[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (n == 0)
		return 0;
	name[n] = '\0';
	f->p = p;
	return n;
}

/* Reads a quoted attribute value into f->value, decoded. */
static enum sanitize_decline
read_value(struct fast *f)
{
	char quote = *f->p, ref[4];
	size_t run, n;

	buf_clear(&f->value);
	f->p++;
	for (;;) {
		run = text_run(f->p, f->end);
		buf_add(&f->value, f->p, run);
		f->p += run;
		if (f->p == f->end)
			return SANITIZE_DECLINE_ATTRIBUTE;
		if (*f->p == quote) {
			f->p++;
			return SANITIZE_DECLINE_NONE;
		}
		if (*f->p == '<' || *f->p == '>' || *f->p == '"' ||
		    *f->p == '\'') {
			buf_addc(&f->value, *f->p);
			f->p++;
			continue;
		}
		if (*f->p != '&')
			return SANITIZE_DECLINE_BYTE;
		n = decode_reference(&f->p, f->end, ref);
		if (n == 0)
			return SANITIZE_DECLINE_ENTITY;
		buf_add(&f->value, ref, n);
	}
}

/* Reads an unquoted attribute value (an HTMLism libxml2 takes up to a
 * blank or '>') into f->value; only plain ones: no reference, quote,
 * backquote, '<' or '='. */
static enum sanitize_decline
read_unquoted_value(struct fast *f)
{
	const unsigned char *u = (const unsigned char *)f->p;
	size_t len = (size_t)(f->end - f->p), i = 0, n;

	while (i < len && !is_blank((char)u[i]) && u[i] != '>') {
		if (u[i] >= 0x80) {
			n = char_length(u + i, len - i);
			if (n == 0)
				return SANITIZE_DECLINE_BYTE;
			i += n;
			continue;
		}
		if (u[i] < 0x20 || u[i] == '"' || u[i] == '\'' ||
		    u[i] == '<' || u[i] == '`' || u[i] == '=' || u[i] == '&')
			return SANITIZE_DECLINE_ATTRIBUTE;
		i++;
	}
	if (i == 0 || i == len)
		return SANITIZE_DECLINE_ATTRIBUTE;
	buf_clear(&f->value);
	buf_add(&f->value, f->p, i);
	f->p += i;
	return SANITIZE_DECLINE_NONE;
}

/* Reads the attributes of a start tag up to its '>' or "/>", passing the
 * allowlisted ones to the writer when it writes the element. */
static enum sanitize_decline
read_attributes(struct fast *f, bool is_written, bool *is_empty)
{
	char name[FAST_MAX_NAME];
	unsigned seen = 0;
	enum sanitize_decline reason;
	int id;

	*is_empty = false;
	for (;;) {
		while (f->p < f->end && is_blank(*f->p))
			f->p++;
		if (f->p == f->end)
			return SANITIZE_DECLINE_UNCLOSED;
		if (*f->p == '>') {
			f->p++;
			return SANITIZE_DECLINE_NONE;
		}
		if (*f->p == '/' && f->p + 1 < f->end && f->p[1] == '>') {
			f->p += 2;
			*is_empty = true;
			return SANITIZE_DECLINE_NONE;
		}
		if (!read_name(f, name))
			return SANITIZE_DECLINE_ATTRIBUTE;
		while (f->p < f->end && is_blank(*f->p))
			f->p++;
		buf_clear(&f->value);
		if (f->p < f->end && *f->p == '=') {
			f->p++;
			while (f->p < f->end && is_blank(*f->p))
				f->p++;
			if (f->p == f->end)
				return SANITIZE_DECLINE_ATTRIBUTE;
			if (*f->p != '"' && *f->p != '\'')
				reason = read_unquoted_value(f);
			else
				reason = read_value(f);
			if (reason != SANITIZE_DECLINE_NONE)
				return reason;
			if (f->p < f->end && !is_blank(*f->p) &&
			    *f->p != '>' && *f->p != '/')
				return SANITIZE_DECLINE_ATTRIBUTE;
		}
		id = sanitize_attr_lookup(name);
		if (id < 0)
			continue;
		/* NOTE: libxml2 keeps the first of repeated attributes, the
		 * writer would take the first it can use */
		if (seen & (1u << id))
			continue;
		seen |= 1u << id;
		if (is_written)
			sanitize_writer_attr(f->w, id, f->value.ptr);
	}
}

static void
close_element(struct fast *f)
{
	const struct fast_open *o = &f->open[--f->depth];

	if (f->w)
		sanitize_writer_close(f->w, o->key);
	if (f->t && o->tag && o->tag->is_block)
		f->t->pending_space = true;
}

/* Reads the end tag at f->p as libxml2 does: "</", a name, blanks and
 * '>' (anything else before '>' goes to libxml2). */
static enum sanitize_decline
read_end_name(struct fast *f, char *name)
{
	f->p += 2;
	if (!read_name(f, name))
		return SANITIZE_DECLINE_MARKUP;
	while (f->p < f->end && is_blank(*f->p))
		f->p++;
	if (f->p == f->end || *f->p != '>')
		return SANITIZE_DECLINE_MARKUP;
	f->p++;
	return SANITIZE_DECLINE_NONE;
}

/* libxml2's htmlEndPriority: an end tag closes the elements open inside
 * its element only when none of them has a higher priority. */
static int
end_priority(const char *name)
{
	static const struct {
		const char *name;
		int priority;
	} priorities[] = {
		{ "body", 200 }, { "div", 150 }, { "head", 200 },
		{ "html", 220 }, { "table", 190 }, { "tbody", 180 },
		{ "td", 160 }, { "tfoot", 180 }, { "th", 160 },
		{ "thead", 180 }, { "tr", 170 },
	};
	size_t i;

	for (i = 0; i < sizeof(priorities) / sizeof(priorities[0]); i++)
		if (strcmp(priorities[i].name, name) == 0)
			return priorities[i].priority;
	return 100;
}

/* Reads an end tag as libxml2 does (htmlParseEndTag): it closes the
 * innermost open element of its name and those open inside it, unless
 * one of those has a higher end priority; otherwise it is ignored. */
static enum sanitize_decline
read_end_tag(struct fast *f)
{
	char name[FAST_MAX_NAME];
	enum sanitize_decline reason;
	size_t i, j;
	int priority;

	reason = read_end_name(f, name);
	if (reason != SANITIZE_DECLINE_NONE)
		return reason;
	for (i = f->depth; i > 0; i--)
		if (strcmp(f->open[i - 1].name, name) == 0)
			break;
	if (i > 0 && i == f->depth) {
		close_element(f);
		return SANITIZE_DECLINE_NONE;
	}
	/* the parser's wrapper, and the tags it keeps count of */
	if (strcmp(name, "curator-fragment") == 0 ||
	    strcmp(name, "html") == 0 || strcmp(name, "body") == 0 ||
	    strcmp(name, "head") == 0)
		return SANITIZE_DECLINE_ELEMENT;
	if (i == 0)
		return SANITIZE_DECLINE_NONE; /* ignored */
	priority = end_priority(name);
	for (j = f->depth; j > i; j--)
		if (end_priority(f->open[j - 1].name) > priority)
			return SANITIZE_DECLINE_NONE; /* ignored */
	while (f->depth >= i)
		close_element(f);
	return SANITIZE_DECLINE_NONE;
}

/*
 * Dropped elements whose extent libxml2 finds without surprise: script
 * and style, whose content it reads as raw text up to "</" and their
 * name (but for a tag right at its start), and iframe and noscript when
 * they hold text only. None closes
 * an allowlisted parent (measured), so they take the fast path.
 */
static bool
is_raw_text(const char *name)
{
	return strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
}

static bool
is_plain_drop(const char *name)
{
	return is_raw_text(name) || strcmp(name, "iframe") == 0 ||
	       strcmp(name, "noscript") == 0;
}

/* Whether s holds valid UTF-8 without NUL nor U+FFFE/U+FFFF. */
static bool
is_clean_bytes(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (u[i] == 0)
			return false;
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		n = char_length(u + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* Skips the content and end tag of a dropped element (its start tag
 * read), name lower case. */
static enum sanitize_decline
skip_dropped(struct fast *f, const char *name)
{
	size_t len = strlen(name);
	const char *p = f->p, *lt;
	char end_name[FAST_MAX_NAME];
	enum sanitize_decline reason;

	for (;;) {
		lt = memchr(p, '<', (size_t)(f->end - p));
		if (!lt)
			return SANITIZE_DECLINE_UNCLOSED;
		if (lt + 1 < f->end && lt[1] == '/' &&
		    (size_t)(f->end - lt - 2) >= len &&
		    strncasecmp(lt + 2, name, len) == 0)
			break;
		if (!is_raw_text(name))
			return SANITIZE_DECLINE_ELEMENT;
		p = lt + 1;
	}
	/* NOTE: libxml2 reads markup at the start of script and style as
	 * markup: <script><noscript> closes the script, <style></div> the
	 * div around it */
	if (lt != f->p && *f->p == '<')
		return SANITIZE_DECLINE_ELEMENT;
	if (!is_clean_bytes(f->p, (size_t)(lt - f->p)))
		return SANITIZE_DECLINE_BYTE;
	f->p = lt;
	reason = read_end_name(f, end_name);
	if (reason == SANITIZE_DECLINE_NONE && strcmp(end_name, name) != 0)
		reason = SANITIZE_DECLINE_ELEMENT;
	return reason;
}

/* Skips a comment libxml2 reads without surprise: no "--" inside, not
 * ended early by "<!-->" or "<!--->". */
static enum sanitize_decline
skip_comment(struct fast *f)
{
	const char *start = f->p + 4, *end;

	end = memmem(start, (size_t)(f->end - start), "--", 2);
	if (!end || end + 2 >= f->end || end[2] != '>' ||
	    (end - start >= 1 && start[0] == '>') ||
	    (end - start >= 2 && start[0] == '-' && start[1] == '>'))
		return SANITIZE_DECLINE_MARKUP;
	if (!is_clean_bytes(start, (size_t)(end - start)))
		return SANITIZE_DECLINE_BYTE;
	f->p = end + 3;
	return SANITIZE_DECLINE_NONE;
}

/* Whether libxml2 knows nothing of an element name: its element table
 * does not hold it, nor its table of start tags that close others
 * (htmlStartClose), which also names listing, plaintext and xmp. */
static bool
is_unknown_name(const char *name)
{
	return !htmlTagLookup((const xmlChar *)name) &&
	       strcmp(name, "listing") != 0 &&
	       strcmp(name, "plaintext") != 0 && strcmp(name, "xmp") != 0;
}

/*
 * Elements whose start tag libxml2 reads as it is: the allowlisted ones
 * kept (sanitize_is_closed_by says which of them close which), and those
 * unwrapped that libxml2 does not know either (HTML5 and custom elements),
 * which close nothing and which nothing closes.
 * NOTE: libxml2 decides what a start tag closes from the letters and
 * digits its name begins with (htmlParseHTMLName_nonInvasive): <td.x>
 * closes an open <td>. So that beginning must be unknown too.
 */
static bool
is_plain_element(const struct sanitize_tag *tag, const char *name)
{
	char prefix[FAST_MAX_NAME];
	size_t n;

	if (tag && (tag->kind == SANITIZE_TAG_KEEP ||
		    tag->kind == SANITIZE_TAG_VOID))
		return true;
	/* NOTE: libxml2 names <o:p> "p" (a prefix and a local name) */
	if ((tag && tag->kind != SANITIZE_TAG_UNWRAP) || strchr(name, ':'))
		return false;
	n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
	memcpy(prefix, name, n);
	prefix[n] = '\0';
	return is_unknown_name(name) && is_unknown_name(prefix);
}

static enum sanitize_decline
read_start_tag(struct fast *f)
{
	const char *key = f->p;
	const struct sanitize_tag *tag, *parent;
	char name[FAST_MAX_NAME];
	enum sanitize_step step = SANITIZE_STEP_SKIP;
	enum sanitize_decline reason;
	bool is_written, is_empty;

	f->p++;
	if (!read_name(f, name))
		return SANITIZE_DECLINE_ELEMENT;
	if (f->p < f->end && !is_blank(*f->p) && *f->p != '>' &&
	    *f->p != '/')
		return SANITIZE_DECLINE_ELEMENT;
	tag = sanitize_tag_lookup(name);
	if (tag && tag->kind == SANITIZE_TAG_DROP && is_plain_drop(name)) {
		reason = read_attributes(f, false, &is_empty);
		if (reason != SANITIZE_DECLINE_NONE)
			return reason;
		if (is_empty)
			return SANITIZE_DECLINE_ELEMENT;
		return skip_dropped(f, name);
	}
	if (!is_plain_element(tag, name))
		return SANITIZE_DECLINE_ELEMENT;
	/* libxml2 closes the open elements this one closes (htmlAutoClose);
	 * the allowlist's pairs are measured, the others close nothing */
	while (f->depth && tag) {
		parent = f->open[f->depth - 1].tag;
		if (!parent || !sanitize_is_closed_by(parent->name, tag->name))
			break;
		close_element(f);
	}
	if (f->depth == FAST_MAX_DEPTH)
		return SANITIZE_DECLINE_DEPTH;
	if (f->w) {
		step = sanitize_writer_step(f->w, tag);
		if (step == SANITIZE_STEP_TAG)
			sanitize_writer_begin(f->w, tag);
	}
	is_written = step == SANITIZE_STEP_TAG;
	reason = read_attributes(f, is_written, &is_empty);
	if (reason != SANITIZE_DECLINE_NONE)
		return reason;
	if (is_written)
		sanitize_writer_open(f->w, key, tag);
	if (f->t && tag && tag->is_block)
		f->t->pending_space = true;
	if (tag && tag->kind == SANITIZE_TAG_VOID)
		return SANITIZE_DECLINE_NONE; /* the text writer's leave */
	f->open[f->depth].tag = tag;
	f->open[f->depth].key = key;
	memcpy(f->open[f->depth].name, name, sizeof(name));
	f->depth++;
	if (is_empty)
		close_element(f);
	return SANITIZE_DECLINE_NONE;
}

static enum sanitize_decline
read_fragment(struct fast *f)
{
	enum sanitize_decline reason;
	char ref[4];
	size_t run, n;

	while (f->p < f->end) {
		run = text_run(f->p, f->end);
		if (run) {
			add_clean_text(f, f->p, run);
			f->p += run;
			continue;
		}
		if (*f->p == '>' || *f->p == '"' || *f->p == '\'') {
			add_text(f, f->p, 1);
			f->p++;
			continue;
		}
		if (*f->p == '&') {
			n = decode_reference(&f->p, f->end, ref);
			if (n == 0)
				return SANITIZE_DECLINE_ENTITY;
			add_text(f, ref, n);
			continue;
		}
		if (*f->p != '<')
			return SANITIZE_DECLINE_BYTE;
		if (f->p + 1 < f->end && is_letter(f->p[1]))
			reason = read_start_tag(f);
		else if ((size_t)(f->end - f->p) >= 4 &&
			 memcmp(f->p, "<!--", 4) == 0)
			reason = skip_comment(f);
		else if (f->p + 2 < f->end && f->p[1] == '/' &&
			 is_letter(f->p[2]))
			reason = read_end_tag(f);
		else
			reason = SANITIZE_DECLINE_MARKUP;
		if (reason != SANITIZE_DECLINE_NONE)
			return reason;
	}
	/* libxml2 closes what is still open at the end */
	while (f->depth)
		close_element(f);
	return SANITIZE_DECLINE_NONE;
}

enum sanitize_decline
sanitize_fast(const char *html, size_t len, const char *base_url,
	      struct buf *out_html, struct buf *out_text)
{
	struct sanitize_writer w;
	struct sanitize_text t = { out_text, out_text ? out_text->len : 0,
				   false };
	struct fast f = { .p = html, .end = html + len,
			  .w = out_html ? &w : NULL,
			  .t = out_text ? &t : NULL, .value = BUF_INIT };
	size_t html_mark = out_html ? out_html->len : 0;
	enum sanitize_decline reason;

	if (len > FAST_MAX_LEN)
		return SANITIZE_DECLINE_SIZE;
	sanitize_writer_init(&w, base_url, out_html);
	reason = read_fragment(&f);
	if (reason != SANITIZE_DECLINE_NONE) {
		if (out_html)
			buf_setlen(out_html, html_mark);
		if (out_text)
			buf_setlen(out_text, t.start);
	}
	sanitize_writer_release(&w);
	buf_release(&f.value);
	return reason;
}

const char *
sanitize_decline_name(enum sanitize_decline reason)
{
	static const char *const names[] = {
		[SANITIZE_DECLINE_NONE] = "none",
		[SANITIZE_DECLINE_SIZE] = "size",
		[SANITIZE_DECLINE_BYTE] = "byte",
		[SANITIZE_DECLINE_MARKUP] = "markup",
		[SANITIZE_DECLINE_ELEMENT] = "element",
		[SANITIZE_DECLINE_ATTRIBUTE] = "attribute",
		[SANITIZE_DECLINE_ENTITY] = "entity",
		[SANITIZE_DECLINE_UNCLOSED] = "unclosed",
		[SANITIZE_DECLINE_DEPTH] = "depth",
	};

	if ((unsigned)reason >= SANITIZE_DECLINE_COUNT)
		return "unknown";
	return names[reason];
}
