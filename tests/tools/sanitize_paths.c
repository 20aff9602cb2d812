/*
 * sanitize_paths: runs the sanitizer's two readers over HTML fragments
 * and says how often the fast one accepts, why it declines, whether it
 * ever differs from libxml2's path, and how long each path takes.
 *
 *   usage: sanitize_paths [--auto | --libxml2] [BASE_URL] < fragments
 *
 * --auto and --libxml2 only time that path (for a profiler).
 *
 * The fragments are separated by NUL bytes (a fragment never needs one:
 * the sanitizer reads a NUL as U+FFFD). Exits 1 when the paths differ.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/report.h"
#include "ingest/sanitize_private.h"

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs path over every fragment; its time in seconds. */
static double
time_path(enum sanitize_path path, const struct buf *in, const char *base)
{
	struct buf html = BUF_INIT, text = BUF_INIT;
	const char *p = in->ptr, *end = in->ptr + in->len, *nul;
	double start = seconds();

	for (; p < end; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			nul = end;
		buf_clear(&html);
		buf_clear(&text);
		sanitize_run(path, p, (size_t)(nul - p), base, &html, &text);
	}
	buf_release(&html);
	buf_release(&text);
	return seconds() - start;
}

int
main(int argc, char **argv)
{
	struct buf in = BUF_INIT, fh = BUF_INIT, ft = BUF_INIT;
	struct buf rh = BUF_INIT, rt = BUF_INIT;
	const char *base = NULL, *p, *end, *nul;
	enum sanitize_path only = SANITIZE_PATH_FAST; /* FAST: none */
	size_t count = 0, declined[SANITIZE_DECLINE_COUNT] = { 0 }, i;
	enum sanitize_decline reason;
	struct report rep;
	int rc = 1, i_arg;

	for (i_arg = 1; i_arg < argc; i_arg++) {
		if (strcmp(argv[i_arg], "--auto") == 0)
			only = SANITIZE_PATH_AUTO;
		else if (strcmp(argv[i_arg], "--libxml2") == 0)
			only = SANITIZE_PATH_LIBXML2;
		else
			base = argv[i_arg];
	}
	report_init(&rep);
	if (file_read(&rep, "-", 0, &in) < 0)
		goto out;
	rc = 0;
	if (only != SANITIZE_PATH_FAST) {
		printf("%s %.3f s\n", argv[1], time_path(only, &in, base));
		goto out;
	}
	end = in.ptr + in.len;
	for (p = in.ptr; p < end; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			nul = end;
		buf_clear(&fh);
		buf_clear(&ft);
		count++;
		reason = sanitize_run(SANITIZE_PATH_FAST, p, (size_t)(nul - p),
				      base, &fh, &ft);
		declined[reason]++;
		if (reason != SANITIZE_DECLINE_NONE)
			continue;
		buf_clear(&rh);
		buf_clear(&rt);
		sanitize_run(SANITIZE_PATH_LIBXML2, p, (size_t)(nul - p), base,
			     &rh, &rt);
		if (strcmp(fh.ptr, rh.ptr) != 0 || strcmp(ft.ptr, rt.ptr)) {
			printf("differs: '%.*s'\n", (int)(nul - p), p);
			rc = 1;
		}
	}
	printf("fragments %zu\n", count);
	for (i = 0; i < SANITIZE_DECLINE_COUNT; i++)
		if (declined[i])
			printf("%s %zu\n",
			       i ? sanitize_decline_name(i) : "accepted",
			       declined[i]);
	printf("libxml2 %.3f s\n", time_path(SANITIZE_PATH_LIBXML2, &in, base));
	printf("auto %.3f s\n", time_path(SANITIZE_PATH_AUTO, &in, base));
out:
	report_release(&rep);
	buf_release(&in);
	buf_release(&fh);
	buf_release(&ft);
	buf_release(&rh);
	buf_release(&rt);
	return rc;
}
