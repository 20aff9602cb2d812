/*
 * The warnings and the fatal error of one feed parse. Warnings are bounded
 * (FEED_MAX_WARNINGS) so that a hostile feed cannot grow them without end,
 * and sorted by line at the end because the pre-pass sees a line before
 * libxml2 does.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

void
feed_diag_release(struct feed_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	for (i = 0; i < d->nkeys; i++)
		free(d->keys[i]);
	free(d->keys);
	free(d->error);
	memset(d, 0, sizeof(*d));
}

void
feed_diag_warn(struct feed_diag *d, unsigned long line, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	va_list ap;

	if (d->n >= FEED_MAX_WARNINGS) {
		d->omitted = true;
		return;
	}
	if (line)
		buf_addf(&text, "line %lu: ", line);
	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	d->v = xgrow(d->v, d->n + 1, &d->cap, sizeof(*d->v));
	d->v[d->n].line = line;
	d->v[d->n].seq = d->seq++;
	d->v[d->n].text = buf_detach(&text, NULL);
	d->n++;
}

bool
feed_diag_once(struct feed_diag *d, const char *key)
{
	size_t i;

	if (d->n >= FEED_MAX_WARNINGS) {
		d->omitted = true;
		return false;
	}
	for (i = 0; i < d->nkeys; i++)
		if (strcmp(d->keys[i], key) == 0)
			return false;
	d->keys = xgrow(d->keys, d->nkeys + 1, &d->keycap, sizeof(*d->keys));
	d->keys[d->nkeys++] = xstrdup(key);
	return true;
}

void
feed_diag_fail(struct feed_diag *d, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	va_list ap;

	if (d->error)
		return;
	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	d->error = buf_detach(&text, NULL);
}

static int
compare_warnings(const void *a, const void *b)
{
	const struct feed_warning *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
feed_diag_to_info(struct feed_diag *d, struct feed_info *info)
{
	size_t i;

	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), compare_warnings);
	info->warnings = xcalloc(d->n + 1, sizeof(*info->warnings));
	for (i = 0; i < d->n; i++) {
		info->warnings[i] = d->v[i].text;
		d->v[i].text = NULL;
	}
	info->nwarnings = d->n;
	if (d->omitted)
		info->warnings[info->nwarnings++] =
			xstrdup("more warnings omitted");
	d->n = 0;
}
