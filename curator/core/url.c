/*
 * url: URL cleaning, resolution (RFC 3986 §5), scheme checks and the
 * normalized form used to detect duplicate items.
 *
 * The scheme check follows the WHATWG URL parser, because what matters is
 * what a browser will do with the string: it strips leading and trailing
 * C0 controls and spaces, removes tabs and newlines anywhere, then reads a
 * scheme only when the string starts with ALPHA *( ALPHA / DIGIT / "+" /
 * "-" / "." ) ":"; anything else is a relative reference.
 */
#include "core/url.h"

#include <string.h>

/* The parts of a URI reference (RFC 3986 Appendix B). A part is absent
 * when its pointer is NULL; present but empty when its length is 0. */
struct url_parts {
	const char *scheme;
	size_t scheme_len;
	const char *authority;
	size_t authority_len;
	const char *path; /* never NULL (may be empty) */
	size_t path_len;
	const char *query;
	size_t query_len;
	const char *fragment;
	size_t fragment_len;
};

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
equals_nocase(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] == '\0' || to_lower(s[i]) != word[i])
			return false;
	return word[len] == '\0';
}

/* Length of the scheme of s (without the ':'), or 0 when s has none. */
static size_t
scheme_length(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !is_alpha(s[0]))
		return 0;
	for (i = 1; i < len; i++) {
		char c = s[i];

		if (c == ':')
			return i;
		if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' &&
		    c != '.')
			return 0;
	}
	return 0;
}

void
url_clean(const char *s, size_t len, struct buf *out)
{
	size_t start = 0, end = len, i, run;

	/* WHATWG URL §4.4 basic URL parser, steps 1 and 3. */
	while (start < end && (unsigned char)s[start] <= 0x20)
		start++;
	while (end > start && (unsigned char)s[end - 1] <= 0x20)
		end--;
	buf_grow(out, end - start);
	for (i = start; i < end; i = run) {
		run = i;
		while (run < end && s[run] != '\t' && s[run] != '\n' &&
		       s[run] != '\r')
			run++;
		buf_add(out, s + i, run - i);
		if (run < end)
			run++;
	}
}

enum url_scheme
url_scheme(const char *s, size_t len)
{
	size_t n = scheme_length(s, len);

	if (n == 0)
		return URL_SCHEME_NONE;
	if (equals_nocase(s, n, "http"))
		return URL_SCHEME_HTTP;
	if (equals_nocase(s, n, "https"))
		return URL_SCHEME_HTTPS;
	if (equals_nocase(s, n, "mailto"))
		return URL_SCHEME_MAILTO;
	if (equals_nocase(s, n, "data"))
		return URL_SCHEME_DATA;
	if (equals_nocase(s, n, "file"))
		return URL_SCHEME_FILE;
	return URL_SCHEME_OTHER;
}

/* RFC 3986 Appendix B, with the scheme rule of url_scheme(). */
static void
url_split(const char *s, size_t len, struct url_parts *p)
{
	const char *end = s + len, *q;
	size_t n;

	memset(p, 0, sizeof(*p));
	n = scheme_length(s, len);
	if (n > 0) {
		p->scheme = s;
		p->scheme_len = n;
		s += n + 1;
	}
	if (end - s >= 2 && s[0] == '/' && s[1] == '/') {
		s += 2;
		for (q = s; q < end && *q != '/' && *q != '?' && *q != '#'; q++)
			;
		p->authority = s;
		p->authority_len = (size_t)(q - s);
		s = q;
	}
	for (q = s; q < end && *q != '?' && *q != '#'; q++)
		;
	p->path = s;
	p->path_len = (size_t)(q - s);
	s = q;
	if (s < end && *s == '?') {
		for (q = ++s; q < end && *q != '#'; q++)
			;
		p->query = s;
		p->query_len = (size_t)(q - s);
		s = q;
	}
	if (s < end && *s == '#') {
		p->fragment = s + 1;
		p->fragment_len = (size_t)(end - s - 1);
	}
}

/* Removes the last segment of out[start..len) and its "/" (§5.2.4 C). */
static void
pop_segment(struct buf *out, size_t start)
{
	size_t i = out->len;

	while (i > start && out->ptr[i - 1] != '/')
		i--;
	if (i > start)
		i--;
	buf_setlen(out, i);
}

static bool
is_segment_end(const char *s, const char *end)
{
	return s == end || *s == '/';
}

/* RFC 3986 §5.2.4: appends path with "." and ".." segments removed. */
static void
remove_dot_segments(const char *path, size_t len, struct buf *out)
{
	const char *s = path, *end = path + len, *q;
	size_t start = out->len;

	while (s < end) {
		size_t left = (size_t)(end - s);

		if (left >= 3 && memcmp(s, "../", 3) == 0) {
			s += 3; /* A */
		} else if (left >= 2 && memcmp(s, "./", 2) == 0) {
			s += 2; /* A */
		} else if (left >= 2 && memcmp(s, "/.", 2) == 0 &&
			   is_segment_end(s + 2, end)) {
			s += 2; /* B: "/./" -> "/", "/." -> "/" */
			if (s == end)
				buf_addc(out, '/');
		} else if (left >= 3 && memcmp(s, "/..", 3) == 0 &&
			   is_segment_end(s + 3, end)) {
			s += 3; /* C */
			pop_segment(out, start);
			if (s == end)
				buf_addc(out, '/');
		} else if ((left == 1 && s[0] == '.') ||
			   (left == 2 && s[0] == '.' && s[1] == '.')) {
			s = end; /* D */
		} else {
			q = s + 1; /* E */
			while (q < end && *q != '/')
				q++;
			buf_add(out, s, (size_t)(q - s));
			s = q;
		}
	}
}

static bool
has_dot_segment(const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (path[i] != '.' || (i > 0 && path[i - 1] != '/'))
			continue;
		if (i + 1 == len || path[i + 1] == '/')
			return true;
		if (path[i + 1] == '.' && (i + 2 == len || path[i + 2] == '/'))
			return true;
	}
	return false;
}

static void
add_path(const char *path, size_t len, struct buf *out)
{
	if (has_dot_segment(path, len))
		remove_dot_segments(path, len, out);
	else
		buf_add(out, path, len);
}

/* RFC 3986 §5.3: the scheme, authority and path are already in out. */
static void
add_query_fragment(const struct url_parts *p, struct buf *out)
{
	if (p->query) {
		buf_addc(out, '?');
		buf_add(out, p->query, p->query_len);
	}
	if (p->fragment) {
		buf_addc(out, '#');
		buf_add(out, p->fragment, p->fragment_len);
	}
}

/* RFC 3986 §5.2.2 (strict) and §5.2.3, target appended to out. */
static void
resolve_parts(const struct url_parts *b, const struct url_parts *r,
	      struct buf *out)
{
	struct buf merged = BUF_INIT;
	const struct url_parts *q = r; /* where query comes from */
	size_t i;

	buf_add(out, b->scheme, b->scheme_len);
	buf_addc(out, ':');
	if (r->authority) {
		buf_adds(out, "//");
		buf_add(out, r->authority, r->authority_len);
		add_path(r->path, r->path_len, out);
		goto tail;
	}
	if (b->authority) {
		buf_adds(out, "//");
		buf_add(out, b->authority, b->authority_len);
	}
	if (r->path_len == 0) {
		buf_add(out, b->path, b->path_len);
		if (!r->query)
			q = b;
	} else if (r->path[0] == '/') {
		add_path(r->path, r->path_len, out);
	} else {
		/* §5.2.3 merge */
		if (b->authority && b->path_len == 0) {
			buf_addc(&merged, '/');
		} else {
			for (i = b->path_len; i > 0 && b->path[i - 1] != '/';
			     i--)
				;
			buf_add(&merged, b->path, i);
		}
		buf_add(&merged, r->path, r->path_len);
		add_path(merged.ptr, merged.len, out);
	}
tail:
	if (q->query) {
		buf_addc(out, '?');
		buf_add(out, q->query, q->query_len);
	}
	if (r->fragment) {
		buf_addc(out, '#');
		buf_add(out, r->fragment, r->fragment_len);
	}
	buf_release(&merged);
}

void
url_resolve(const char *base, const char *ref, size_t len, struct buf *out)
{
	struct buf clean_ref = BUF_INIT, clean_base = BUF_INIT;
	struct url_parts b, r;

	url_clean(ref, len, &clean_ref);
	url_split(clean_ref.ptr, clean_ref.len, &r);
	if (r.scheme) {
		/* NOTE: dot segments are removed only from hierarchical URLs
		 * (with an authority); "mailto:" and "data:" paths are opaque,
		 * as browsers treat them. */
		if (!r.authority) {
			buf_add(out, clean_ref.ptr, clean_ref.len);
			goto out;
		}
		buf_add(out, r.scheme, r.scheme_len);
		buf_adds(out, "://");
		buf_add(out, r.authority, r.authority_len);
		add_path(r.path, r.path_len, out);
		add_query_fragment(&r, out);
		goto out;
	}
	if (base)
		url_clean(base, strlen(base), &clean_base);
	url_split(clean_base.ptr, clean_base.len, &b);
	if (!b.scheme) {
		buf_add(out, clean_ref.ptr, clean_ref.len);
		goto out;
	}
	resolve_parts(&b, &r, out);
out:
	buf_release(&clean_ref);
	buf_release(&clean_base);
}

bool
url_is_safe_link(const char *s, size_t len)
{
	struct buf clean = BUF_INIT;
	enum url_scheme scheme;

	url_clean(s, len, &clean);
	scheme = url_scheme(clean.ptr, clean.len);
	buf_release(&clean);
	return scheme == URL_SCHEME_NONE || scheme == URL_SCHEME_HTTP ||
	       scheme == URL_SCHEME_HTTPS || scheme == URL_SCHEME_MAILTO;
}

void
url_filter_link(const char *s, size_t len, struct buf *out)
{
	if (url_is_safe_link(s, len))
		buf_add(out, s, len);
	else
		buf_addc(out, '#');
}

/* Query parameters that only track the visitor (by name). */
static bool
is_tracking_parameter(const char *s, size_t len)
{
	static const char *const names[] = { "fbclid", "gclid" };
	size_t name_len, i;

	for (name_len = 0; name_len < len && s[name_len] != '='; name_len++)
		;
	if (name_len >= 4 && equals_nocase(s, 4, "utm_"))
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (equals_nocase(s, name_len, names[i]))
			return true;
	return false;
}

static void
add_lower(const char *s, size_t len, struct buf *out)
{
	size_t i;

	buf_grow(out, len);
	for (i = 0; i < len; i++)
		out->ptr[out->len + i] = to_lower(s[i]);
	buf_setlen(out, out->len + len);
}

/* Appends the authority with the host lower-cased, the default port (or
 * an empty one) removed; userinfo is kept as is. */
static void
add_authority(const char *s, size_t len, enum url_scheme scheme,
	      struct buf *out)
{
	const char *at = memchr(s, '@', len), *host, *end = s + len, *colon;
	const char *port = NULL;

	host = at ? at + 1 : s;
	buf_add(out, s, (size_t)(host - s));
	/* The port follows the last ':' unless inside an IPv6 literal. */
	for (colon = end; colon > host && colon[-1] != ':' && colon[-1] != ']';
	     colon--)
		;
	if (colon > host && colon[-1] == ':') {
		port = colon;
		end = colon - 1;
	}
	add_lower(host, (size_t)(end - host), out);
	if (!port || port == s + len)
		return;
	if ((scheme == URL_SCHEME_HTTP && equals_nocase(port,
		(size_t)(s + len - port), "80")) ||
	    (scheme == URL_SCHEME_HTTPS && equals_nocase(port,
		(size_t)(s + len - port), "443")))
		return;
	buf_addc(out, ':');
	buf_add(out, port, (size_t)(s + len - port));
}

int
url_normalize(const char *s, size_t len, struct buf *out)
{
	struct buf clean = BUF_INIT, res = BUF_INIT;
	struct url_parts p;
	enum url_scheme scheme;
	const char *q, *end, *amp;
	bool first = true;
	int rc = -1;

	url_clean(s, len, &clean);
	url_split(clean.ptr, clean.len, &p);
	scheme = url_scheme(clean.ptr, clean.len);
	if ((scheme != URL_SCHEME_HTTP && scheme != URL_SCHEME_HTTPS) ||
	    !p.authority || p.authority_len == 0)
		goto out;
	add_lower(p.scheme, p.scheme_len, &res);
	buf_adds(&res, "://");
	add_authority(p.authority, p.authority_len, scheme, &res);
	if (res.len == p.scheme_len + 3 ||
	    res.ptr[p.scheme_len + 3] == ':')
		goto out; /* no host */
	if (p.path_len == 0)
		buf_addc(&res, '/');
	else
		add_path(p.path, p.path_len, &res);
	if (p.query) {
		end = p.query + p.query_len;
		for (q = p.query; q < end; q = amp + 1) {
			amp = memchr(q, '&', (size_t)(end - q));
			if (!amp)
				amp = end;
			if (amp == q || is_tracking_parameter(q,
				(size_t)(amp - q)))
				continue;
			buf_addc(&res, first ? '?' : '&');
			buf_add(&res, q, (size_t)(amp - q));
			first = false;
		}
	}
	buf_add(out, res.ptr, res.len);
	rc = 0;
out:
	buf_release(&clean);
	buf_release(&res);
	return rc;
}
