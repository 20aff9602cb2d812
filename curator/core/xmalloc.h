/*
 * xmalloc: allocation that never returns NULL.
 *
 * Out of memory is fatal in exactly one place, here: the process prints
 * "curator: fatal: out of memory" and exits 1. Every other error in curator
 * propagates as -1 or NULL to its caller.
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

#endif
