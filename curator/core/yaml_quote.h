/*
 * yaml_quote: writing YAML scalars safely (front matter that curator
 * writes: `curator pick`, `curator tag`).
 */
#ifndef CURATOR_CORE_YAML_QUOTE_H
#define CURATOR_CORE_YAML_QUOTE_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Appends s (len bytes, any bytes) to out as a YAML double-quoted scalar
 * (YAML 1.2 §7.3.1) that every YAML reader gives back as the same text:
 * invalid UTF-8 is repaired first (U+FFFD, see utf8_repair); '"' and '\'
 * are escaped, and so is every character YAML does not allow as is or
 * that a reader could change: C0 and C1 controls, DEL (\t \n \r and \xNN
 * forms), U+FEFF, U+2028 and U+2029, U+FFFE and U+FFFF. A title such as
 * `"Akira": tome 1 # édition` stays one string.
 */
void yaml_quote(const char *s, size_t len, struct buf *out);

#endif
