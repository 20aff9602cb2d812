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
 * above U+10FFFF, truncated), leaving *cp untouched. Returns 0 when len is
 * 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Whether all of s is valid UTF-8 by utf8_decode()'s rules. */
bool utf8_is_valid(const char *s, size_t len);
/* Appends s with every invalid sequence replaced by U+FFFD: one U+FFFD for
 * each maximal subpart of an ill-formed sequence (Unicode §3.9, the
 * practice WHATWG's decoder follows), so "\xF0\x9F\x98" gives one U+FFFD
 * and "\xC0\xAF" two. Valid input is appended unchanged. */
void utf8_repair(const char *s, size_t len, struct buf *out);
/* Number of extended grapheme clusters (what a person counts, UAX #29):
 * an emoji ZWJ family, a flag, e + U+0301 and a Hangul syllable in jamo
 * each count 1. Invalid bytes count as their U+FFFD would. */
size_t utf8_graphemes(const char *s, size_t len);
/* Appends at most max graphemes of s: if s is longer, it is cut at the last
 * word boundary that fits with the ellipsis "…" added (the ellipsis counts);
 * a single word longer than max is cut inside the word, but never inside a
 * grapheme cluster. White space runs are collapsed to one space and the
 * ends trimmed; no-break spaces (U+00A0, U+2007, U+202F) are neither
 * collapsed nor word boundaries. Spaces and , ; : before the ellipsis are
 * dropped. Invalid bytes are repaired first: what is appended is always
 * valid UTF-8 (callers need not check it). max 0 appends nothing; max 1
 * appends only "…" when s does not fit. */
void utf8_truncate_words(const char *s, size_t len, size_t max,
			 struct buf *out);
/* Case- and accent-folded form for matching ("Shōnen" -> "shonen"):
 * invalid bytes repaired, then NFKD with Unicode case folding ("ß" -> "ss",
 * "ﬁ" -> "fi"), default ignorables removed, dashes, quotes and spaces
 * lumped to ASCII (utf8proc's LUMP), combining marks removed from Latin,
 * Greek and Cyrillic letters only (Japanese dakuten and other scripts'
 * marks change the letter and stay), æ œ ø ł đ ð þ ħ ı spelt in ASCII
 * ("Œuvre" -> "oeuvre"), and the result recomposed (NFC). */
void utf8_fold(const char *s, size_t len, struct buf *out);
/* A URL slug: folded, ASCII letters and digits, single hyphens, no hyphen
 * at either end, at most max bytes (cut at a hyphen when possible, else
 * inside the first word). Every other character separates words
 * ("L'Attaque des Titans — tome 1" -> "l-attaque-des-titans-tome-1").
 * Empty when s has no ASCII letter or digit after folding (a title in a
 * non-Latin script): the caller picks another slug. */
void utf8_slug(const char *s, size_t len, size_t max, struct buf *out);

/* Appends s with invalid sequences replaced by U+FFFD and the characters
 * XML 1.0 does not allow in a document (§2.2: C0 controls but tab, LF and
 * CR; U+FFFE, U+FFFF) left out: text ready for libxml2's writer. */
void utf8_xml_text(const char *s, size_t len, struct buf *out);

#endif
