/*
 * utf8: the UTF-8 helpers every stage needs (validation, repair, folding,
 * slugs, grapheme-safe truncation). Folding and graphemes use utf8proc.
 * Inputs are (ptr, len), never assumed NUL-terminated; results are appended
 * to a struct buf.
 */
#ifndef CURATOR_CORE_UTF8_H
#define CURATOR_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Decodes one code point at s; returns the bytes it used (1-4) and sets
 * *cp, or 0 when the bytes at s are not valid UTF-8 (overlong, surrogate,
 * above U+10FFFF, truncated). len must be > 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
bool utf8_is_valid(const char *s, size_t len);
/* Appends s with every invalid sequence replaced by U+FFFD. */
void utf8_repair(const char *s, size_t len, struct buf *out);
/* Number of extended grapheme clusters (what a person counts). */
size_t utf8_graphemes(const char *s, size_t len);
/* Appends at most max graphemes of s: if s is longer, it is cut at the last
 * word boundary that fits with the ellipsis "…" added (the ellipsis counts);
 * a single word longer than max is cut inside the word. White space runs
 * are collapsed to one space and the ends trimmed. */
void utf8_truncate_words(const char *s, size_t len, size_t max,
			 struct buf *out);
/* Case- and accent-folded form for matching ("Shōnen" -> "shonen"). */
void utf8_fold(const char *s, size_t len, struct buf *out);
/* A URL slug: folded, ASCII letters and digits, single hyphens, no hyphen
 * at either end, at most max bytes (cut at a hyphen when possible). Empty
 * when s has no letter or digit. */
void utf8_slug(const char *s, size_t len, size_t max, struct buf *out);

#endif
