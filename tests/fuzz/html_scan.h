/*
 * html_scan: a small HTML tokenizer for the fuzz targets' oracles, after
 * the WHATWG tokenizer (HTML Living Standard §13.2.5), written apart from
 * the code under test so that it does not share its mistakes. It reports
 * start and end tags with their attributes (raw, as written), text, and
 * "markup" (comments, doctypes, bogus comments, CDATA). Raw text elements
 * (script, style, textarea, title, xmp, iframe, noembed, noframes,
 * noscript) run until their end tag; plaintext runs to the end.
 *
 * Header-only: each fuzz target is one .c file (see the Makefile's fuzz
 * rule). Never allocates, except html_scan_decode() into a struct buf.
 */
#ifndef CURATOR_TESTS_FUZZ_HTML_SCAN_H
#define CURATOR_TESTS_FUZZ_HTML_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/buf.h"

#define HTML_SCAN_NAME_MAX 32
#define HTML_SCAN_ATTRS_MAX 64

struct html_scan_attr {
	char name[HTML_SCAN_NAME_MAX]; /* lower-cased, truncated */
	const char *value;             /* raw, borrowed from the input */
	size_t value_len;
	char quote;                    /* '"', '\'' or 0 (unquoted/none) */
	bool has_value;
};

struct html_scan_tag {
	char name[HTML_SCAN_NAME_MAX];
	bool is_end;
	bool is_self_closing;
	size_t nattrs;                 /* attributes past the max are lost */
	struct html_scan_attr attrs[HTML_SCAN_ATTRS_MAX];
};

struct html_scan_ops {
	/* Each returns nonzero to stop the scan. */
	int (*tag)(void *ctx, const struct html_scan_tag *tag);
	int (*text)(void *ctx, const char *s, size_t len);
	int (*markup)(void *ctx, const char *s, size_t len);
};

static inline bool
html_scan_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static inline bool
html_scan_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline char
html_scan_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline void
html_scan_add_name(char *name, char c)
{
	size_t n = strlen(name);

	if (n + 1 < HTML_SCAN_NAME_MAX) {
		name[n] = html_scan_lower(c);
		name[n + 1] = '\0';
	}
}

static inline bool
html_scan_is_raw(const char *name)
{
	static const char *const raw[] = {
		"iframe", "noembed", "noframes", "noscript", "script",
		"style", "textarea", "title", "xmp",
	};
	size_t i;

	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
		if (strcmp(name, raw[i]) == 0)
			return true;
	return false;
}

/* Index of the end of the raw text of element name starting at i: the
 * position of "</name" followed by space, '/' or '>', or len. */
static inline size_t
html_scan_raw_end(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name), j, k;

	for (j = i; j + 2 + n <= len; j++) {
		if (s[j] != '<' || s[j + 1] != '/')
			continue;
		for (k = 0; k < n; k++)
			if (html_scan_lower(s[j + 2 + k]) != name[k])
				break;
		if (k < n)
			continue;
		if (j + 2 + n == len || html_scan_is_space(s[j + 2 + n]) ||
		    s[j + 2 + n] == '/' || s[j + 2 + n] == '>')
			return j;
	}
	return len;
}

/* Reads a tag at s[i] == '<' followed by a letter or "/letter"; returns
 * the index after it (len when the input ends inside it: the tag is then
 * not reported, as a browser drops it). */
static inline size_t
html_scan_read_tag(const char *s, size_t len, size_t i,
		   struct html_scan_tag *t, bool *is_complete)
{
	struct html_scan_attr *a = NULL;

	memset(t, 0, sizeof(*t));
	*is_complete = false;
	i++;
	if (s[i] == '/') {
		t->is_end = true;
		i++;
	}
	while (i < len && !html_scan_is_space(s[i]) && s[i] != '/' &&
	       s[i] != '>')
		html_scan_add_name(t->name, s[i++]);
	for (;;) {
		while (i < len && (html_scan_is_space(s[i]) || s[i] == '/')) {
			t->is_self_closing = s[i] == '/' && i + 1 < len &&
					     s[i + 1] == '>';
			i++;
		}
		if (i >= len)
			return len;
		if (s[i] == '>') {
			*is_complete = true;
			return i + 1;
		}
		/* an attribute name: the first character may be '=' */
		a = t->nattrs < HTML_SCAN_ATTRS_MAX ? &t->attrs[t->nattrs++]
						    : NULL;
		do {
			if (a)
				html_scan_add_name(a->name, s[i]);
			i++;
		} while (i < len && !html_scan_is_space(s[i]) && s[i] != '/' &&
			 s[i] != '>' && s[i] != '=');
		while (i < len && html_scan_is_space(s[i]))
			i++;
		if (i >= len || s[i] != '=')
			continue;
		i++;
		while (i < len && html_scan_is_space(s[i]))
			i++;
		if (i >= len)
			return len;
		if (s[i] == '>')
			continue; /* "a=>": an empty value, the tag ends */
		if (a)
			a->has_value = true;
		if (s[i] == '"' || s[i] == '\'') {
			char q = s[i++];
			size_t start = i;

			while (i < len && s[i] != q)
				i++;
			if (i >= len)
				return len;
			if (a) {
				a->quote = q;
				a->value = s + start;
				a->value_len = i - start;
			}
			i++;
		} else {
			size_t start = i;

			while (i < len && !html_scan_is_space(s[i]) &&
			       s[i] != '>')
				i++;
			if (a) {
				a->value = s + start;
				a->value_len = i - start;
			}
		}
	}
}

/* Reads markup starting "<!" or "<?" or "</" + non-letter at i; returns
 * the index after its end. */
static inline size_t
html_scan_read_markup(const char *s, size_t len, size_t i)
{
	const char *end;

	if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		end = memmem(s + i + 4, len - i - 4, "-->", 3);
		if (len - i >= 5 && s[i + 4] == '>')
			return i + 5;
		if (len - i >= 6 && memcmp(s + i + 4, "->", 2) == 0)
			return i + 6;
		return end ? (size_t)(end - s) + 3 : len;
	}
	end = memchr(s + i, '>', len - i);
	return end ? (size_t)(end - s) + 1 : len;
}

/* Tokenizes s; returns the first nonzero callback result, or 0. */
static inline int
html_scan(const char *s, size_t len, const struct html_scan_ops *ops,
	  void *ctx)
{
	static struct html_scan_tag tag; /* NOTE: large; targets are single
					  * threaded */
	size_t i = 0, start, next;
	bool is_complete;
	int rc;

	while (i < len) {
		start = i;
		while (i < len &&
		       !(s[i] == '<' && i + 1 < len &&
			 (html_scan_is_alpha(s[i + 1]) || s[i + 1] == '!' ||
			  s[i + 1] == '?' || s[i + 1] == '/')))
			i++;
		if (i > start && ops->text &&
		    (rc = ops->text(ctx, s + start, i - start)) != 0)
			return rc;
		if (i >= len)
			break;
		if (s[i + 1] == '!' || s[i + 1] == '?' ||
		    (s[i + 1] == '/' &&
		     (i + 2 >= len || !html_scan_is_alpha(s[i + 2])))) {
			next = html_scan_read_markup(s, len, i);
			if (ops->markup &&
			    (rc = ops->markup(ctx, s + i, next - i)) != 0)
				return rc;
			i = next;
			continue;
		}
		next = html_scan_read_tag(s, len, i, &tag, &is_complete);
		if (!is_complete)
			break;
		if (ops->tag && (rc = ops->tag(ctx, &tag)) != 0)
			return rc;
		i = next;
		if (tag.is_end)
			continue;
		if (strcmp(tag.name, "plaintext") == 0) {
			if (ops->text && i < len)
				return ops->text(ctx, s + i, len - i);
			break;
		}
		if (html_scan_is_raw(tag.name)) {
			next = html_scan_raw_end(s, len, i, tag.name);
			if (next > i && ops->text &&
			    (rc = ops->text(ctx, s + i, next - i)) != 0)
				return rc;
			i = next;
		}
	}
	return 0;
}

/* Appends the value of an attribute as a browser reads it: character
 * references decoded (numeric ones with or without ';', the named ones
 * that can spell a URL scheme, and the legacy amp lt gt quot). */
static inline void
html_scan_decode(const char *s, size_t len, struct buf *out)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {
		{ "Tab;", "\t" },    { "NewLine;", "\n" }, { "colon;", ":" },
		{ "sol;", "/" },     { "lpar;", "(" },     { "rpar;", ")" },
		{ "period;", "." },  { "num;", "#" },      { "quest;", "?" },
		{ "nbsp;", "\xc2\xa0" }, { "apos;", "'" }, { "amp;", "&" },
		{ "lt;", "<" },      { "gt;", ">" },       { "quot;", "\"" },
		{ "amp", "&" },      { "lt", "<" },        { "gt", ">" },
		{ "quot", "\"" },
	};
	size_t i = 0, j, k, n;
	unsigned long cp;
	bool is_hex;

	while (i < len) {
		if (s[i] != '&') {
			buf_addc(out, s[i++]);
			continue;
		}
		if (i + 1 < len && s[i + 1] == '#') {
			j = i + 2;
			is_hex = j < len && (s[j] == 'x' || s[j] == 'X');
			if (is_hex)
				j++;
			cp = 0;
			for (k = j; k < len; k++) {
				char c = s[k];
				int d = c >= '0' && c <= '9'   ? c - '0'
					: !is_hex             ? -1
					: c >= 'a' && c <= 'f' ? c - 'a' + 10
					: c >= 'A' && c <= 'F' ? c - 'A' + 10
							       : -1;
				if (d < 0)
					break;
				if (cp < 0x110000)
					cp = cp * (is_hex ? 16 : 10) +
					     (unsigned long)d;
			}
			if (k == j) {
				buf_addc(out, s[i++]);
				continue;
			}
			if (k < len && s[k] == ';')
				k++;
			if (cp == 0 || cp >= 0x110000 ||
			    (cp >= 0xD800 && cp <= 0xDFFF))
				cp = 0xFFFD;
			buf_add_utf8(out, cp);
			i = k;
			continue;
		}
		for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
			n = strlen(named[k].name);
			if (len - i - 1 < n ||
			    memcmp(s + i + 1, named[k].name, n) != 0)
				continue;
			/* legacy names without ';' are kept before [=A-Za-z0-9]
			 * in attributes (§13.2.5.73) */
			if (named[k].name[n - 1] != ';' && i + 1 + n < len &&
			    (s[i + 1 + n] == '=' ||
			     html_scan_is_alpha(s[i + 1 + n]) ||
			     (s[i + 1 + n] >= '0' && s[i + 1 + n] <= '9')))
				continue;
			break;
		}
		if (k == sizeof(named) / sizeof(named[0])) {
			buf_addc(out, s[i++]);
			continue;
		}
		buf_adds(out, named[k].text);
		i += 1 + strlen(named[k].name);
	}
}

#endif
