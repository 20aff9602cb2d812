/* libFuzzer target: the sanitizer's fast reader against libxml2's path,
 * the reference. Whenever the fast reader accepts an input, its HTML and
 * text must be those of the libxml2 path byte for byte, whether asked for
 * both (sanitize_html_text) or one (sanitize_html, html_to_text); when it
 * declines it must append nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/sanitize_private.h"

#define BASE "https://example.org/a/"

static void
check_same(const char *what, const struct buf *fast, const struct buf *ref)
{
	if (fast->len == ref->len && memcmp(fast->ptr, ref->ptr, ref->len) == 0)
		return;
	fprintf(stderr, "%s differs:\n fast: '%s'\n  ref: '%s'\n", what,
		fast->ptr, ref->ptr);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct buf fast_html = BUF_INIT, fast_text = BUF_INIT;
	struct buf ref_html = BUF_INIT, ref_text = BUF_INIT;
	enum sanitize_decline reason;

	reason = sanitize_run(SANITIZE_PATH_FAST, in, size, BASE, &fast_html,
			      &fast_text);
	if (reason != SANITIZE_DECLINE_NONE) {
		if (fast_html.len || fast_text.len)
			abort();
		goto out;
	}
	sanitize_run(SANITIZE_PATH_LIBXML2, in, size, BASE, &ref_html,
		     &ref_text);
	check_same("html", &fast_html, &ref_html);
	check_same("text", &fast_text, &ref_text);

	buf_clear(&fast_html);
	if (sanitize_run(SANITIZE_PATH_FAST, in, size, BASE, &fast_html,
			 NULL) != SANITIZE_DECLINE_NONE)
		abort();
	check_same("html alone", &fast_html, &ref_html);
	buf_clear(&fast_text);
	if (sanitize_run(SANITIZE_PATH_FAST, in, size, NULL, NULL,
			 &fast_text) != SANITIZE_DECLINE_NONE)
		abort();
	check_same("text alone", &fast_text, &ref_text);
out:
	buf_release(&fast_html);
	buf_release(&fast_text);
	buf_release(&ref_html);
	buf_release(&ref_text);
	return 0;
}
