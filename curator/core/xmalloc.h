/*
 * xmalloc: allocation that never returns NULL.
 *
 * Out of memory is fatal in exactly one place, here: the process prints
 * "curator: fatal: out of memory" and exits 1. Every other error in curator
 * propagates as -1 or NULL to its caller.
 *
 * The libraries that allocate for curator die the same way: xmalloc,
 * xrealloc and xstrdup (with free) have the plain C signatures that
 * libxml2's xmlMemSetup (free, malloc, realloc, strdup) and jansson's
 * json_set_alloc_funcs (malloc, free) take, and are installed once at
 * startup, before either library allocates: jansson's by main.c,
 * libxml2's by ingest_init() (ingest/ingest.h). Neither library survives
 * a NULL everywhere (libxml2 2.9.14's HTML parser can loop forever after
 * one; jansson's constructors return NULL, which callers would drop), so
 * they must never see one (issue 8).
 */
#ifndef CURATOR_CORE_XMALLOC_H
#define CURATOR_CORE_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of n elements of size bytes: returns ptr resized to hold
 * at least need elements, updating *cap (doubling). */
void *xgrow(void *ptr, size_t need, size_t *cap, size_t size);
char *xstrdup(const char *s);
/* Copies len bytes of s and adds a NUL. s need not be NUL-terminated. */
char *xmemdupz(const void *s, size_t len);
/* Frees the n strings of v, then v itself (NULL v with n 0 is fine). */
void xfree_strings(char **v, size_t n);

#endif
