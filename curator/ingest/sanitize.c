/* PLACEHOLDER: replaced by the real sanitizer. */
#include "ingest/ingest.h"

void
sanitize_html(const char *html, size_t len, const char *base_url,
	      struct buf *out)
{
	(void)html;
	(void)len;
	(void)base_url;
	(void)out;
}

void
html_to_text(const char *html, size_t len, struct buf *out)
{
	(void)html;
	(void)len;
	(void)out;
}
