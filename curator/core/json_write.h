/*
 * json_write: a streaming writer of compact JSON into a struct buf, for
 * output on hot paths only (`curator parse --json` items; see
 * docs/DESIGN-NOTES.md, "JSON output without a tree"). Everything curator
 * parses, and every other JSON it writes, goes through jansson.
 *
 * The bytes are those jansson 2.14's json_dumpb() gives for the same values
 * with JSON_COMPACT | JSON_PRESERVE_ORDER (without JSON_ENSURE_ASCII or
 * JSON_ESCAPE_SLASH): '"' and '\' escaped, \b \f \n \r \t for those control
 * characters, \u00XX (upper-case hex) for the other ones below U+0020,
 * everything else, U+007F and U+2028 included, copied as is; integers in
 * decimal.
 *
 * The writer checks nothing: the caller emits a well-formed sequence
 * (a key before each value inside an object, begin/end paired) and passes
 * valid UTF-8 (jansson would refuse to dump invalid UTF-8; here it is
 * copied through).
 */
#ifndef CURATOR_CORE_JSON_WRITE_H
#define CURATOR_CORE_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct json_writer {
	struct buf *out;   /* borrowed: where the JSON is appended */
	bool need_comma;   /* a value was written at the current level */
};

/* Starts writing to out (appended to, not cleared). Cannot fail. */
void json_write_init(struct json_writer *w, struct buf *out);

void json_write_object_begin(struct json_writer *w);
void json_write_object_end(struct json_writer *w);
void json_write_array_begin(struct json_writer *w);
void json_write_array_end(struct json_writer *w);
/* An object's key (a NUL-terminated UTF-8 string); a value follows. */
void json_write_key(struct json_writer *w, const char *key);
/* A string value: s[0..len), valid UTF-8 (may not hold NUL bytes). */
void json_write_string(struct json_writer *w, const char *s, size_t len);
void json_write_int(struct json_writer *w, int64_t v);

/* Appends s[0..len) as a quoted, escaped JSON string to out. */
void json_write_quoted(struct buf *out, const char *s, size_t len);

#endif
