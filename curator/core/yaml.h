/*
 * yaml: reading YAML documents (curator.yaml, front matter) into a small
 * tree of our own; libfyaml stays inside yaml.c (yaml_get.c holds the
 * getters).
 *
 * What is accepted: one YAML 1.2 document of mappings, sequences and
 * scalars, in UTF-8, at most YAML_MAX_SIZE bytes, YAML_MAX_DEPTH levels of
 * nesting and YAML_MAX_NODES nodes (keys count). Refused: anchors (&a)
 * and aliases (*a) (so the "billion laughs" cannot happen), explicit tags
 * (!!str, !x), keys that are not scalars, duplicate keys, NUL characters,
 * invalid UTF-8, a second document.
 *
 * Types: the tree keeps every scalar as text. The getters below give it a
 * type, whatever the scalar's quoting ("20" and 20 are both the number 20,
 * "yes" and yes both true): a librarian's intent is clear either way.
 *   - null: a plain (unquoted) scalar that is empty, ~, null, Null or NULL
 *     (YAML 1.2 core schema); a quoted "" is the empty text, not null.
 *   - booleans: true, false (YAML 1.2 core) and yes, no (what people write),
 *     in lower case, Capitalised or UPPER case. on/off/y/n are not booleans.
 *   - integers: decimal only, an optional sign then digits.
 *   - dates: RFC 3339 full-date (2026-11-24, taken as 00:00 UTC) or
 *     date-time (2026-11-24T09:00:00+01:00, "T" or a space, optional
 *     fraction, "Z" or an offset).
 *
 * Messages: syntax errors are "FILE:LINE:COL: MESSAGE" (libfyaml's text);
 * the getters report "FILE:LINE: "NAME" must be ..." at the value's line.
 * Lines and columns count from 1.
 */
#ifndef CURATOR_CORE_YAML_H
#define CURATOR_CORE_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/report.h"

#define YAML_MAX_SIZE (1024 * 1024)
#define YAML_MAX_DEPTH 64
#define YAML_MAX_NODES 100000

enum yaml_kind {
	YAML_SCALAR,
	YAML_SEQUENCE,
	YAML_MAPPING,
};

struct yaml_node {
	enum yaml_kind kind;
	const char *file;        /* the document's name, for messages */
	unsigned long line;      /* where the node starts (1-based) */
	unsigned long col;
	/* In a mapping: this child's key and where the key is. NULL and 0 in
	 * a sequence and for the root. */
	const char *key;
	unsigned long key_line;
	unsigned long key_col;
	/* Scalars: the value, NUL-terminated (never contains NUL), len
	 * bytes; "" for collections. */
	const char *text;
	size_t len;
	bool is_plain;           /* scalar written without quotes or | > */
	/* Sequences and mappings: the children in document order. */
	struct yaml_node **children;
	size_t count;
};

/* A parsed document. Owns the file name and every node. */
struct yaml_doc {
	char *file;
	struct yaml_node *root;
};

/* Parses len bytes at ptr (not NUL-terminated) into out. file names the
 * input in messages; first_line is the line number of the input's first
 * line in that file (1 for a whole file, 2 for front matter after "---").
 * An input with no document (empty, only comments) gives a null scalar
 * root. On error, reports every problem found (duplicate keys are all
 * reported; a syntax error or a refused construct stops the parse),
 * leaves out empty (as after yaml_doc_release) and returns -1. */
int yaml_parse(struct report *rep, const char *file, unsigned long first_line,
	       const char *ptr, size_t len, struct yaml_doc *out);
/* Frees everything in doc; the borrowed texts and nodes become invalid.
 * Safe on an empty or released doc. */
void yaml_doc_release(struct yaml_doc *doc);

/* The value of key in map, or NULL when map is NULL, not a mapping, or has
 * no such key. Borrowed from the document. */
const struct yaml_node *yaml_get(const struct yaml_node *map, const char *key);
/* True for a plain scalar "", "~", "null", "Null" or "NULL" (and NULL). */
bool yaml_is_null(const struct yaml_node *node);

/* Reports, at the key's line, every key of map that is not among the
 * nkeys keys: 'unknown key "per-page" (did you mean "per_page"?)' when a
 * valid key is at most 2 edits away, else 'unknown key "x"' (and, after
 * the first such, a hint listing the valid keys). Returns 0, or -1 if any
 * key was unknown. */
int yaml_check_keys(struct report *rep, const struct yaml_node *map,
		    const char *const *keys, size_t nkeys);
/* The choice closest to word by edit distance (insert, delete, replace,
 * swap two neighbours; ASCII case ignored) if at most 2 edits away, the
 * first in order on a tie; else NULL. Borrowed from choices. */
const char *yaml_suggest(const char *word, const char *const *choices,
			 size_t nchoices);

/*
 * Typed getters. Each reads node, names it name in its message, and on
 * success sets *out and returns 0; on a wrong value it reports at the
 * node's line and returns -1 with *out untouched.
 */

/* Requires a mapping: '"NAME" must be a mapping (key: value lines)'. */
int yaml_expect_mapping(struct report *rep, const struct yaml_node *node,
			const char *name);
/* Requires a sequence: '"NAME" must be a list'. */
int yaml_expect_sequence(struct report *rep, const struct yaml_node *node,
			 const char *name);
/* Any scalar: '"NAME" must be text'. *out is borrowed from the document
 * until yaml_doc_release(). */
int yaml_get_string(struct report *rep, const struct yaml_node *node,
		    const char *name, const char **out);
/* '"NAME" must be true or false'. */
int yaml_get_bool(struct report *rep, const struct yaml_node *node,
		  const char *name, bool *out);
/* A decimal integer in [min, max]:
 * '"NAME" must be a whole number from MIN to MAX'. */
int yaml_get_int(struct report *rep, const struct yaml_node *node,
		 const char *name, long long min, long long max,
		 long long *out);
/* A scalar (a list of one; a null scalar is the empty list) or a sequence
 * of scalars: '"NAME" must be a list of texts', at the offending item.
 * *out is a new array (caller frees it with free(); NULL when empty) of
 * *count strings borrowed from the document. */
int yaml_get_strings(struct report *rep, const struct yaml_node *node,
		     const char *name, const char ***out, size_t *count);
/* An RFC 3339 date or date-time, as seconds since the epoch (UTC):
 * '"NAME" must be a date like 2026-11-24 or 2026-11-24T09:00:00+01:00'.
 * *is_date_only (may be NULL) tells a full-date from a date-time. */
int yaml_get_date(struct report *rep, const struct yaml_node *node,
		  const char *name, int64_t *out, bool *is_date_only);

/* Parses s (len bytes) as above without reporting; -1 when it is not an
 * RFC 3339 date or date-time. */
int yaml_parse_date(const char *s, size_t len, int64_t *out,
		    bool *is_date_only);

/*
 * Writing YAML (yaml_emit.c): what curator writes into content files
 * (curator tag, curator playlist) goes through these, never through
 * pasting text. Every scalar is written double-quoted with escapes, so no
 * value can end the front matter, start a comment, become a number or a
 * boolean, or smuggle in a key.
 */

/* Appends s (len bytes; invalid UTF-8 repaired to U+FFFD) as a YAML
 * double-quoted scalar: \" \\ escaped, C0 and C1 controls, DEL, U+2028,
 * U+2029 and U+FEFF as escapes (\n, \t, \x7F, \L, \P, \uFEFF ...). */
void yaml_emit_string(const char *s, size_t len, struct buf *out);
/* Appends "KEY:" at indent spaces (the key double-quoted unless it is
 * only [A-Za-z0-9_-]), without the value nor the newline. */
void yaml_emit_key(const char *key, unsigned indent, struct buf *out);
/* Appends the value of a key just written by yaml_emit_key, newline
 * included: ' "text"' for a scalar (nothing for a plain null, which
 * stays a key with no value), ' ["a", "b"]' for a list of scalars,
 * ' []' / ' {}' when empty, else a block at indent + 2 (lists of
 * mappings as "- key: value" items). */
void yaml_emit_value(const struct yaml_node *node, unsigned indent,
		     struct buf *out);
/* Appends "KEY: " and ' ["a", "b"]' then a newline: a list of texts. */
void yaml_emit_list(const char *key, const char *const *items, size_t n,
		    unsigned indent, struct buf *out);
/* Appends 'KEY: "value"' and a newline at indent spaces. */
void yaml_emit_pair(const char *key, const char *value, unsigned indent,
		    struct buf *out);

#endif
