/*
 * store-fill SITE_DIR NOW: fills SITE_DIR/.curator/state.db from the local
 * feeds that SITE_DIR/feeds/sources.opml names (site-relative paths), as
 * `curator fetch` would, with the given time (RFC 3339). For the e2e
 * tests of the queue until `curator fetch` is on main.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/file.h"
#include "core/report.h"
#include "ingest/ingest.h"
#include "store/store.h"

struct fill {
	struct store *st;
	int64_t source_id;
	int64_t now;
	struct store_put_stats stats;
	int rc;
};

static int
on_item(const struct feed_item *item, void *ctx)
{
	struct fill *f = ctx;

	if (store_item_put(f->st, f->source_id, item, f->now, &f->stats) != 0)
		f->rc = -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct report rep;
	struct buf path = BUF_INIT, topics = BUF_INIT, bytes = BUF_INIT;
	const struct opml_source *srcs;
	struct opml *opml = NULL;
	struct fill f = { 0 };
	struct store_source src;
	struct feed_options opts;
	struct feed_memory_reader reader;
	struct feed_input in;
	struct feed_info info;
	size_t i, j, n;
	int rc = 1;

	report_init(&rep);
	if (argc != 3 || date_parse(argv[2], strlen(argv[2]), &f.now) != 0) {
		fprintf(stderr, "usage: store-fill SITE_DIR NOW\n");
		goto out;
	}
	buf_addf(&path, "%s/feeds/sources.opml", argv[1]);
	opml = opml_load(&rep, path.ptr);
	f.st = opml ? store_open(&rep, argv[1]) : NULL;
	if (!f.st)
		goto out;
	srcs = opml_sources(opml, &n);
	for (i = 0; i < n; i++) {
		memset(&src, 0, sizeof(src));
		buf_clear(&topics);
		for (j = 0; j < srcs[i].ntopics; j++)
			buf_addf(&topics, "%s%s", j ? "," : "",
				 srcs[i].topics[j]);
		src.url = (char *)srcs[i].xml_url;
		src.title = (char *)srcs[i].title;
		src.topics = topics.ptr;
		if (store_source_upsert(f.st, &src, f.now, &f.source_id) != 0)
			goto out;
		buf_clear(&path);
		buf_addf(&path, "%s/%s", argv[1], srcs[i].xml_url);
		buf_clear(&bytes);
		if (file_read(&rep, path.ptr, 0, &bytes) != 0)
			goto out;
		memset(&opts, 0, sizeof(opts));
		opts.name = srcs[i].xml_url;
		feed_input_from_memory(&in, &reader, bytes.ptr, bytes.len);
		memset(&info, 0, sizeof(info));
		if (store_begin(f.st) != 0)
			goto out;
		if (feed_parse(&rep, &opts, &in, on_item, &f, &info) != 0 ||
		    f.rc != 0) {
			store_rollback(f.st);
			feed_info_release(&info);
			goto out;
		}
		feed_info_release(&info);
		if (store_commit(f.st) != 0)
			goto out;
	}
	printf("%zu added\n", f.stats.added);
	rc = 0;
out:
	store_close(f.st);
	opml_free(opml);
	buf_release(&path);
	buf_release(&topics);
	buf_release(&bytes);
	report_release(&rep);
	return rc;
}
