/* PLACEHOLDER: replaced by the real URL helpers. */
#include "core/url.h"

void
url_clean(const char *s, size_t len, struct buf *out)
{
	buf_add(out, s, len);
}

enum url_scheme
url_scheme(const char *s, size_t len)
{
	(void)s;
	(void)len;
	return URL_SCHEME_OTHER;
}

void
url_resolve(const char *base, const char *ref, size_t len, struct buf *out)
{
	(void)base;
	buf_add(out, ref, len);
}

bool
url_is_safe_link(const char *s, size_t len)
{
	(void)s;
	(void)len;
	return false;
}

void
url_filter_link(const char *s, size_t len, struct buf *out)
{
	(void)s;
	(void)len;
	buf_addc(out, '#');
}

int
url_normalize(const char *s, size_t len, struct buf *out)
{
	(void)s;
	(void)len;
	(void)out;
	return -1;
}
