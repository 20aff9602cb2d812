/* feed_parse_pipelined (ingest/feed_pipe.c): the same items, warnings and
 * info as feed_parse, on_item in order and one at a time, and a stop that
 * holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/report.h"
#include "ingest/ingest.h"

struct collected {
	struct buf items;      /* every field of every item, one per line */
	size_t nitems;
	size_t stop_after;     /* 0: never stop */
	atomic_int inside;     /* on_item calls running now */
	bool was_concurrent;
	bool is_last_on_caller; /* the last on_item ran on the caller's
				 * thread */
	pthread_t caller;
};

static int
collect(const struct feed_item *it, void *ctx)
{
	struct collected *c = ctx;
	size_t i;

	if (atomic_fetch_add(&c->inside, 1) != 0)
		c->was_concurrent = true;
	c->is_last_on_caller = pthread_equal(pthread_self(), c->caller);
	buf_addf(&c->items, "%s|%s|%s|%s|%lld|%lld|%s|%s|%s|", it->id,
		 it->title ? it->title : "-", it->url ? it->url : "-",
		 it->author ? it->author : "-",
		 it->has_published ? (long long)it->published : -1LL,
		 it->has_updated ? (long long)it->updated : -1LL,
		 it->summary ? it->summary : "-",
		 it->content_html ? it->content_html : "-",
		 it->image ? it->image : "-");
	for (i = 0; i < it->ncategories; i++)
		buf_addf(&c->items, "%s,", it->categories[i]);
	for (i = 0; i < it->nenclosures; i++)
		buf_addf(&c->items, "%s %s %lld,", it->enclosures[i].url,
			 it->enclosures[i].type ? it->enclosures[i].type : "-",
			 (long long)it->enclosures[i].length);
	buf_addc(&c->items, '\n');
	c->nitems++;
	atomic_fetch_sub(&c->inside, 1);
	return c->stop_after && c->nitems >= c->stop_after;
}

static void
info_text(const struct feed_info *info, struct buf *out)
{
	size_t i;

	buf_addf(out, "%s|%s|%s\n", feed_format_name(info->format),
		 info->title ? info->title : "-",
		 info->description ? info->description : "-");
	for (i = 0; i < info->nwarnings; i++)
		buf_addf(out, "%s\n", info->warnings[i]);
}

static int
parse(const char *data, size_t len, bool is_pipelined, struct collected *c,
      struct buf *info_out, struct report *rep)
{
	struct feed_options opts = { 0 };
	struct feed_memory_reader mem;
	struct feed_input in;
	struct feed_info info = { 0 };
	int rc;

	opts.name = "test.xml";
	opts.base_url = "https://t.example.org/feed";
	feed_input_from_memory(&in, &mem, data, len);
	c->caller = pthread_self();
	rc = is_pipelined
		     ? feed_parse_pipelined(rep, &opts, &in, collect, c, &info)
		     : feed_parse(rep, &opts, &in, collect, c, &info);
	info_text(&info, info_out);
	feed_info_release(&info);
	return rc;
}

/* An RSS feed of n items on few lines: date warnings (finished on the
 * parsing thread) and entity warnings (the pre-pass) share lines, so that
 * their order depends on when each was raised. Items vary in size, some
 * far bigger than others, some without a link (hashed ids). */
static void
make_rss(size_t n, struct buf *out)
{
	size_t i, j;

	buf_adds(out, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" "
		      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		      "<channel><title>Pipe &amp; co</title>\n");
	for (i = 0; i < n; i++) {
		buf_addf(out, "<item><title>Item %zu &lt;b&gt;bold&lt;/b&gt;"
			      "</title>", i);
		if (i % 5)
			buf_addf(out, "<link>/a/%zu</link>", i);
		if (i % 7 == 0)
			buf_addf(out, "<pubDate>not a date %zu</pubDate>", i);
		else
			buf_addf(out, "<pubDate>Tue, 0%zu Nov 2026 09:00:00 "
				      "+0100</pubDate>", i % 9 + 1);
		if (i % 11 == 0)
			buf_adds(out, "<dc:creator>&eacute;</dc:creator>");
		buf_addf(out, "<category>c%zu</category><category>d"
			      "</category>", i % 3);
		buf_adds(out, "<description>&lt;p&gt;Hello &lt;a href="
			      "\"/x\"&gt;there&lt;/a&gt;&lt;img src=\"/i.png"
			      "\"&gt;");
		for (j = 0; j < (i % 13 == 0 ? 3000 : i % 4); j++)
			buf_adds(out, " lorem ipsum dolor sit amet");
		buf_addf(out, "&lt;/p&gt;</description><enclosure url=\"/e/"
			      "%zu.mp3\" type=\"audio/mpeg\" length=\"%zu\"/>"
			      "</item>", i, i);
		if (i % 50 == 49)
			buf_addc(out, '\n');
	}
	buf_adds(out, "<description>After the items</description>"
		      "</channel></rss>\n");
}

static void
test_feed_pipe_gives_what_feed_parse_gives(void **state)
{
	struct buf feed = BUF_INIT, info1 = BUF_INIT, info2 = BUF_INIT;
	struct collected c1 = { .items = BUF_INIT };
	struct collected c2 = { .items = BUF_INIT };
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	make_rss(700, &feed);
	assert_int_equal(parse(feed.ptr, feed.len, false, &c1, &info1, &rep),
			 0);
	assert_int_equal(parse(feed.ptr, feed.len, true, &c2, &info2, &rep),
			 0);
	assert_int_equal(c1.nitems, 700);
	assert_int_equal(c2.nitems, 700);
	assert_string_equal(c2.items.ptr, c1.items.ptr);
	assert_string_equal(info2.ptr, info1.ptr);
	/* the warnings are there, in the same order */
	assert_non_null(strstr(info2.ptr, "unrecognised date 'not a date 7'"));
	assert_non_null(strstr(info2.ptr, "more warnings omitted"));
	assert_false(c2.was_concurrent);
	/* past the first items, on_item runs on the worker */
	assert_false(c2.is_last_on_caller);
	assert_true(c1.is_last_on_caller);
	assert_string_equal(rep.collected.ptr, "");
	buf_release(&feed);
	buf_release(&info1);
	buf_release(&info2);
	buf_release(&c1.items);
	buf_release(&c2.items);
	report_release(&rep);
}

static void
test_feed_pipe_json_feed_as_feed_parse(void **state)
{
	struct buf feed = BUF_INIT, info1 = BUF_INIT, info2 = BUF_INIT;
	struct collected c1 = { .items = BUF_INIT };
	struct collected c2 = { .items = BUF_INIT };
	struct report rep;
	size_t i;

	(void)state;
	report_init_collect(&rep);
	buf_adds(&feed, "{\"version\":\"https://jsonfeed.org/version/1.1\","
			"\"title\":\"J\",\"authors\":[{\"name\":\"Feed "
			"Author\"}],\"items\":[");
	for (i = 0; i < 300; i++)
		buf_addf(&feed, "%s{\"id\":\"%zu\",\"content_html\":\"<p>Hi "
				"<b>%zu</b></p>\",\"date_published\":\"%s\"}",
			 i ? "," : "", i, i,
			 i % 3 ? "2026-11-01T09:00:00Z" : "yesterday");
	buf_adds(&feed, "]}");
	assert_int_equal(parse(feed.ptr, feed.len, false, &c1, &info1, &rep),
			 0);
	assert_int_equal(parse(feed.ptr, feed.len, true, &c2, &info2, &rep),
			 0);
	assert_int_equal(c2.nitems, 300);
	assert_string_equal(c2.items.ptr, c1.items.ptr);
	assert_string_equal(info2.ptr, info1.ptr);
	assert_non_null(strstr(c2.items.ptr, "\n3|-|-|Feed Author|-1|-1|Hi 3|"
					     "<p>Hi <b>3</b></p>|-|\n"));
	buf_release(&feed);
	buf_release(&info1);
	buf_release(&info2);
	buf_release(&c1.items);
	buf_release(&c2.items);
	report_release(&rep);
}

static void
test_feed_pipe_stops_when_the_callback_asks(void **state)
{
	struct buf feed = BUF_INIT, info = BUF_INIT, all = BUF_INIT;
	struct collected c = { .items = BUF_INIT };
	struct collected full = { .items = BUF_INIT };
	struct report rep;
	const char *p;
	size_t i;

	(void)state;
	report_init_collect(&rep);
	make_rss(2000, &feed);
	assert_int_equal(parse(feed.ptr, feed.len, false, &full, &all, &rep),
			 0);
	c.stop_after = 100;
	assert_int_equal(parse(feed.ptr, feed.len, true, &c, &info, &rep), 0);
	/* exactly the first 100 items, nothing after the stop */
	assert_int_equal(c.nitems, 100);
	for (p = full.items.ptr, i = 0; i < 100; i++)
		p = strchr(p, '\n') + 1;
	assert_int_equal(c.items.len, (size_t)(p - full.items.ptr));
	assert_memory_equal(c.items.ptr, full.items.ptr, c.items.len);
	buf_release(&feed);
	buf_release(&info);
	buf_release(&all);
	buf_release(&c.items);
	buf_release(&full.items);
	report_release(&rep);
}

static void
test_feed_pipe_reports_what_is_not_a_feed(void **state)
{
	static const char html[] = "<!DOCTYPE html><html><body>x</body>"
				   "</html>";
	struct buf info = BUF_INIT;
	struct collected c = { .items = BUF_INIT };
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(html, strlen(html), true, &c, &info, &rep), -1);
	assert_int_equal(c.nitems, 0);
	assert_string_equal(rep.collected.ptr,
			    "error: test.xml: not a feed (looks like HTML)\n"
			    "hint: give the address of the feed, not of the "
			    "page (the page's <link rel=\"alternate\"> names "
			    "it)\n");
	buf_release(&info);
	buf_release(&c.items);
	report_release(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_pipe_gives_what_feed_parse_gives),
		cmocka_unit_test(test_feed_pipe_json_feed_as_feed_parse),
		cmocka_unit_test(test_feed_pipe_stops_when_the_callback_asks),
		cmocka_unit_test(test_feed_pipe_reports_what_is_not_a_feed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
