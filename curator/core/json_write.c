/*
 * json_write: compact JSON, byte for byte as jansson 2.14 dumps it (see
 * json_write.h). jansson's dump_string() escapes '"', '\' and code points
 * below U+0020 and nothing else without JSON_ENSURE_ASCII and
 * JSON_ESCAPE_SLASH: so only ASCII bytes are ever looked at here.
 */
#include "core/json_write.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* NOTE: 1 for the bytes jansson escapes: below 0x20, '"' and '\'. */
static const unsigned char needs_escape[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1,
	[0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1,
	[0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x0E] = 1,
	[0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1,
	[0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
	[0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1,
	[0x1E] = 1, [0x1F] = 1, ['"'] = 1,  ['\\'] = 1,
};

static void
add_escape(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char seq[6] = { '\\', 'u', '0', '0', 0, 0 };

	switch (c) {
	case '"':
		buf_add(out, "\\\"", 2);
		return;
	case '\\':
		buf_add(out, "\\\\", 2);
		return;
	case '\b':
		buf_add(out, "\\b", 2);
		return;
	case '\f':
		buf_add(out, "\\f", 2);
		return;
	case '\n':
		buf_add(out, "\\n", 2);
		return;
	case '\r':
		buf_add(out, "\\r", 2);
		return;
	case '\t':
		buf_add(out, "\\t", 2);
		return;
	default:
		seq[4] = hex[c >> 4];
		seq[5] = hex[c & 0xF];
		buf_add(out, seq, sizeof(seq));
	}
}

/* Whether one of the 8 bytes of x needs an escape: a byte below 0x20,
 * '"' or '\'. The classic "has a byte less than n" and "has a zero byte"
 * tests: exact as a yes/no answer (not as to which byte). */
static bool
word_needs_escape(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');

	return (((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
		((backslash - ones) & ~backslash)) &
	       highs;
}

void
json_write_quoted(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start;
	uint64_t word;

	/* NOTE: room for the common case (nothing to escape) at once */
	buf_grow(out, len + 2);
	buf_addc(out, '"');
	while (i < len) {
		start = i;
		/* 8 bytes at a time while none needs an escape */
		for (; i + 8 <= len; i += 8) {
			memcpy(&word, u + i, 8);
			if (word_needs_escape(word))
				break;
		}
		while (i < len && !needs_escape[u[i]])
			i++;
		buf_add(out, s + start, i - start);
		if (i < len)
			add_escape(out, u[i++]);
	}
	buf_addc(out, '"');
}

void
json_write_init(struct json_writer *w, struct buf *out)
{
	w->out = out;
	w->need_comma = false;
}

static void
separate(struct json_writer *w)
{
	if (w->need_comma)
		buf_addc(w->out, ',');
}

void
json_write_object_begin(struct json_writer *w)
{
	separate(w);
	buf_addc(w->out, '{');
	w->need_comma = false;
}

void
json_write_object_end(struct json_writer *w)
{
	buf_addc(w->out, '}');
	w->need_comma = true;
}

void
json_write_array_begin(struct json_writer *w)
{
	separate(w);
	buf_addc(w->out, '[');
	w->need_comma = false;
}

void
json_write_array_end(struct json_writer *w)
{
	buf_addc(w->out, ']');
	w->need_comma = true;
}

void
json_write_key(struct json_writer *w, const char *key)
{
	separate(w);
	json_write_quoted(w->out, key, strlen(key));
	buf_addc(w->out, ':');
	w->need_comma = false;
}

void
json_write_string(struct json_writer *w, const char *s, size_t len)
{
	separate(w);
	json_write_quoted(w->out, s, len);
	w->need_comma = true;
}

void
json_write_int(struct json_writer *w, int64_t v)
{
	char s[24];
	int n;

	separate(w);
	n = snprintf(s, sizeof(s), "%" PRId64, v);
	buf_add(w->out, s, (size_t)n);
	w->need_comma = true;
}
