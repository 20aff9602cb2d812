/* PLACEHOLDER: replaced by the real UTF-8 helpers. */
#include "core/utf8.h"

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	(void)len;
	*cp = (unsigned char)s[0];
	return 1;
}

bool
utf8_is_valid(const char *s, size_t len)
{
	(void)s;
	(void)len;
	return true;
}

void
utf8_repair(const char *s, size_t len, struct buf *out)
{
	buf_add(out, s, len);
}

size_t
utf8_graphemes(const char *s, size_t len)
{
	(void)s;
	return len;
}

void
utf8_truncate_words(const char *s, size_t len, size_t max, struct buf *out)
{
	buf_add(out, s, len < max ? len : max);
}

void
utf8_fold(const char *s, size_t len, struct buf *out)
{
	buf_add(out, s, len);
}

void
utf8_slug(const char *s, size_t len, size_t max, struct buf *out)
{
	buf_add(out, s, len < max ? len : max);
}
