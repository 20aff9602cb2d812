/*
 * url: URL cleaning, resolution, scheme checks and normalization.
 *
 * Used by the sanitizer (URL attributes), the template engine (values in
 * href/src/... go through url_filter_link) and the store (duplicate items).
 */
#ifndef CURATOR_CORE_URL_H
#define CURATOR_CORE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

enum url_scheme {
	URL_SCHEME_NONE,   /* relative reference: no scheme */
	URL_SCHEME_HTTP,
	URL_SCHEME_HTTPS,
	URL_SCHEME_MAILTO,
	URL_SCHEME_DATA,
	URL_SCHEME_FILE,
	URL_SCHEME_OTHER,  /* javascript:, vbscript:, gopher:, ftp: ... */
};

/* Appends s as the WHATWG URL parser would see it: leading and trailing C0
 * controls and spaces removed, ASCII tab and newline removed everywhere. */
void url_clean(const char *s, size_t len, struct buf *out);
/* The scheme of an already cleaned URL (case-insensitive). */
enum url_scheme url_scheme(const char *s, size_t len);
/* Appends ref resolved against base (RFC 3986 §5.2). base may be NULL or
 * relative, in which case ref is appended cleaned but unresolved. Both are
 * cleaned first (url_clean). Resolution is strict ("http:g" stays as is);
 * dot segments are removed from hierarchical URLs only, so an absolute
 * "mailto:" or "data:" reference comes back unchanged. Never fails. */
void url_resolve(const char *base, const char *ref, size_t len,
		 struct buf *out);
/* True for http, https, mailto and relative references (after cleaning):
 * what may stand in href/src/action/... of a page. A string with no valid
 * scheme before its first ':' ("java script:", "&#106;avascript:") is
 * relative, as a browser reads it. */
bool url_is_safe_link(const char *s, size_t len);
/* Appends s (unchanged) if url_is_safe_link(s), else "#". */
void url_filter_link(const char *s, size_t len, struct buf *out);
/* Normalized form for duplicate detection: scheme and host lower-cased,
 * default port removed, fragment and utm_*, fbclid, gclid parameters
 * removed (the others kept in order; an empty query goes), dot segments
 * removed, an empty path written "/". Returns -1 (out untouched) when s is
 * not an absolute http(s) URL with a host. */
int url_normalize(const char *s, size_t len, struct buf *out);

#endif
