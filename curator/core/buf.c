#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

char buf_empty[1];

void
buf_init(struct buf *b, size_t hint)
{
	b->ptr = buf_empty;
	b->len = 0;
	b->cap = 0;
	if (hint)
		buf_grow(b, hint);
}

void
buf_release(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b, 0);
}

void
buf_clear(struct buf *b)
{
	buf_setlen(b, 0);
}

void
buf_grow(struct buf *b, size_t extra)
{
	bool was_empty = b->cap == 0;
	size_t need;

	if (extra >= (size_t)-1 - b->len - 1)
		b->ptr = xmalloc((size_t)-1); /* dies: cannot be satisfied */
	if (b->len + extra + 1 <= b->cap)
		return;
	need = b->len + extra + 1;
	if (was_empty) {
		b->ptr = NULL;
		/* most buffers hold a line or a paragraph: starting at 64
		 * bytes spares the reallocs of the first doublings */
		if (need < 64)
			need = 64;
	}
	b->ptr = xgrow(b->ptr, need, &b->cap, 1);
	if (was_empty)
		b->ptr[0] = '\0';
}

void
buf_setlen(struct buf *b, size_t len)
{
	if (!b->cap) {
		if (len)
			buf_grow(b, len);
		else
			return;
	}
	b->len = len;
	b->ptr[len] = '\0';
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= (b->cap ? b->cap - b->len : 0)) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_add_utf8(struct buf *b, unsigned long cp)
{
	char out[4];

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, out, 2);
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, out, 3);
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, out, 4);
	}
}

static bool
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void
buf_trim(struct buf *b)
{
	size_t start = 0, end = b->len;

	while (start < end && is_ascii_space(b->ptr[start]))
		start++;
	while (end > start && is_ascii_space(b->ptr[end - 1]))
		end--;
	if (start)
		memmove(b->ptr, b->ptr + start, end - start);
	buf_setlen(b, end - start);
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	if (!b->cap)
		return xmemdupz("", 0);
	p = b->ptr;
	buf_init(b, 0);
	return p;
}

bool
buf_equals(const struct buf *b, const char *s)
{
	size_t n = strlen(s);

	return b->len == n && memcmp(b->ptr, s, n) == 0;
}
