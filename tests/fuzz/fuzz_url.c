/* libFuzzer target: the URL filter. Whatever comes in, what comes out is
 * "#" or a URL that the filter itself judges safe, and filtering twice
 * changes nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/url.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf once = BUF_INIT, twice = BUF_INIT, resolved = BUF_INIT;
	const char *s = (const char *)data;

	url_filter_link(s, size, &once);
	if (!buf_equals(&once, "#") && !url_is_safe_link(once.ptr, once.len))
		abort();
	url_filter_link(once.ptr, once.len, &twice);
	if (once.len != twice.len || memcmp(once.ptr, twice.ptr, once.len))
		abort();
	url_resolve("https://example.org/a/b?c#d", s, size, &resolved);
	buf_release(&once);
	buf_release(&twice);
	buf_release(&resolved);
	return 0;
}
