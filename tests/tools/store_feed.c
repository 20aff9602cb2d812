/*
 * store_feed: puts the items of a feed file into a site's store as if
 * `curator fetch` had read it from source URL, at a fixed time. Lets the
 * build tests run on feed items without the network.
 *
 *   usage: store_feed SITE_DIR SOURCE_URL TITLE TOPICS FEED_FILE [NOW]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/report.h"
#include "ingest/ingest.h"
#include "store/store.h"

struct ctx {
	struct store *st;
	int64_t source_id;
	int64_t now;
	struct store_put_stats stats;
	int rc;
};

static int
on_item(const struct feed_item *item, void *data)
{
	struct ctx *c = data;

	if (store_item_put(c->st, c->source_id, item, c->now, &c->stats) != 0)
		c->rc = -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct report rep;
	struct store_source src;
	struct feed_options opts = { 0 };
	struct feed_info info;
	struct feed_input in;
	struct ctx c;
	int fd, rc = 1;

	if (argc < 6) {
		fputs("usage: store_feed SITE_DIR SOURCE_URL TITLE TOPICS "
		      "FEED_FILE [NOW]\n", stderr);
		return 2;
	}
	report_init(&rep);
	memset(&c, 0, sizeof(c));
	memset(&src, 0, sizeof(src));
	memset(&info, 0, sizeof(info));
	c.now = argc > 6 ? strtoll(argv[6], NULL, 10) : 1795000000;
	c.st = store_open(&rep, argv[1]);
	if (!c.st)
		goto out;
	src.url = argv[2];
	src.title = argv[3];
	src.topics = argv[4];
	if (store_source_upsert(c.st, &src, c.now, &c.source_id) != 0)
		goto out;
	fd = open(argv[5], O_RDONLY);
	if (fd < 0) {
		perror(argv[5]);
		goto out;
	}
	feed_input_from_fd(&in, &fd);
	opts.name = argv[5];
	opts.base_url = argv[2];
	if (store_begin(c.st) != 0) {
		close(fd);
		goto out;
	}
	if (feed_parse(&rep, &opts, &in, on_item, &c, &info) != 0 ||
	    c.rc != 0) {
		store_rollback(c.st);
		close(fd);
		goto out;
	}
	close(fd);
	if (store_commit(c.st) != 0)
		goto out;
	printf("%zu added\n", c.stats.added);
	rc = 0;
out:
	feed_info_release(&info);
	store_close(c.st);
	report_release(&rep);
	return rc;
}
