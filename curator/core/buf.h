/*
 * buf: the one growable byte buffer.
 *
 * A struct buf is never NULL and always NUL-terminated: b.ptr is valid to
 * read as a C string right after BUF_INIT or buf_init(), even when empty.
 * It may hold NUL bytes in the middle; b.len says how many bytes are in it.
 * Growth goes through xmalloc, so appending never fails.
 *
 * Ownership: the buf owns ptr until buf_release() (frees it) or
 * buf_detach() (hands it to the caller, who frees it with free()).
 */
#ifndef CURATOR_CORE_BUF_H
#define CURATOR_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points to the shared empty string */
};

extern char buf_empty[1];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b, size_t hint);
/* Frees the memory and leaves b as after buf_init(b, 0). */
void buf_release(struct buf *b);
/* Empties b but keeps its memory for reuse. */
void buf_clear(struct buf *b);
/* Makes room for extra more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_setlen(struct buf *b, size_t len);
/* Append data, a C string, or a byte. Inline: the hot loops of the
 * parsers call them per run or per byte; buf_grow() is called only when
 * the capacity is short. */
static inline void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	if (b->cap - b->len <= len) /* cap 0 or too short */
		buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Appends the UTF-8 encoding of code point cp (U+FFFD if invalid). */
void buf_add_utf8(struct buf *b, unsigned long cp);
/* Removes ASCII white space at both ends. */
void buf_trim(struct buf *b);
/* Returns the bytes (caller frees) and leaves b empty. *len may be NULL. */
char *buf_detach(struct buf *b, size_t *len);
bool buf_equals(const struct buf *b, const char *s);

#endif
