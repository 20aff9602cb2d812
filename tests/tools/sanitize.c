/*
 * sanitize: reads an HTML fragment on stdin and writes what sanitize_html
 * makes of it to stdout (or html_to_text's output with --text). Drives the
 * sanitizer from the e2e tests and from the fuzz corpus.
 *
 *   usage: sanitize [--text] [BASE_URL] < fragment.html
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "ingest/ingest.h"

int
main(int argc, char **argv)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	const char *base = NULL;
	bool text = false;
	ssize_t n;
	int i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--text") == 0)
			text = true;
		else
			base = argv[i];
	}
	for (;;) {
		buf_grow(&in, 65536);
		n = read(0, in.ptr + in.len, 65536);
		if (n < 0) {
			perror("sanitize: stdin");
			goto out;
		}
		if (n == 0)
			break;
		buf_setlen(&in, in.len + (size_t)n);
	}
	if (text)
		html_to_text(in.ptr, in.len, &out);
	else
		sanitize_html(in.ptr, in.len, base, &out);
	if (fwrite(out.ptr, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		perror("sanitize: stdout");
		goto out;
	}
	rc = 0;
out:
	buf_release(&in);
	buf_release(&out);
	return rc;
}
