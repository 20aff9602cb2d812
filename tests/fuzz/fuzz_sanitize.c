/* libFuzzer target: the HTML sanitizer, checking that it is a fixed point
 * (sanitizing its own output changes nothing). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/ingest.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf once = BUF_INIT, twice = BUF_INIT;

	sanitize_html((const char *)data, size, "https://example.org/a/", &once);
	sanitize_html(once.ptr, once.len, "https://example.org/a/", &twice);
	if (once.len != twice.len || memcmp(once.ptr, twice.ptr, once.len))
		abort();
	buf_release(&once);
	buf_release(&twice);
	return 0;
}
