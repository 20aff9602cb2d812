/*
 * sanitize_private: the sanitizer's serializer apart from its parser, for
 * the fuzz target that hands it trees libxml2's HTML parser would never
 * build (tests/fuzz/fuzz_serializer.c). Private to ingest/ and its tests.
 */
#ifndef CURATOR_INGEST_SANITIZE_PRIVATE_H
#define CURATOR_INGEST_SANITIZE_PRIVATE_H

#include <libxml/tree.h>

#include "core/buf.h"

/*
 * Appends to out the allowlisted serialization of the children of root
 * (borrowed, unchanged): what sanitize_html() does once libxml2 has parsed
 * the fragment. Element and attribute names are looked up as they are
 * (the HTML parser lower-cases them); text and attribute values are
 * NUL-terminated and in the form sanitize_repair() gives. Never fails.
 */
void sanitize_tree(const xmlNode *root, const char *base_url,
		   struct buf *out);

/* Appends s with invalid UTF-8, NUL bytes and U+FFFE/U+FFFF replaced by
 * U+FFFD: what sanitize_html() does to its input before libxml2 parses
 * it, so the text of every tree it serializes is of this form. */
void sanitize_repair(const char *s, size_t len, struct buf *out);

#endif
