/* feed_parse (ingest/feed.c and friends) through the public contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/report.h"
#include "ingest/ingest.h"

struct collected {
	struct buf items;   /* one line per item: id|title|url|published */
	size_t nitems;
	size_t stop_after;  /* 0: never stop */
};

static int
collect(const struct feed_item *it, void *ctx)
{
	struct collected *c = ctx;

	buf_addf(&c->items, "%s|%s|%s|%lld\n", it->id ? it->id : "-",
		 it->title ? it->title : "-", it->url ? it->url : "-",
		 it->has_published ? (long long)it->published : -1LL);
	c->nitems++;
	return c->stop_after && c->nitems >= c->stop_after;
}

/* A reader that hands out step bytes at a time, like a slow pipe. */
struct trickle {
	const char *data;
	size_t len, pos, step;
};

static ssize_t
read_trickle(void *ctx, char *buf, size_t len)
{
	struct trickle *t = ctx;
	size_t n = t->len - t->pos;

	if (n > t->step)
		n = t->step;
	if (n > len)
		n = len;
	memcpy(buf, t->data + t->pos, n);
	t->pos += n;
	return (ssize_t)n;
}

static int
parse(const char *data, size_t len, size_t step, struct collected *c,
      struct feed_info *info, struct report *rep)
{
	struct feed_options opts = { "test.xml", NULL, NULL };
	struct trickle t = { data, len, 0, step ? step : len + 1 };
	struct feed_input in = { read_trickle, &t };

	return feed_parse(rep, &opts, &in, collect, c, info);
}

static const char rss[] =
	"<?xml version=\"1.0\"?>\n"
	"<rss version=\"2.0\"><channel><title>T&eacute;</title>\n"
	"<link>https://t.example.org/</link>\n"
	"<item><title>One</title><link>https://t.example.org/1</link>"
	"<pubDate>Thu, 01 Jan 1970 00:01:00 GMT</pubDate></item>\n"
	"<item><title>Two &amp; &rsquo;</title><guid>g2</guid></item>\n"
	"<item><title><![CDATA[Three]]></title></item>\n"
	"</channel></rss>\n";

static const char rss_items[] =
	"https://t.example.org/1|One|https://t.example.org/1|60\n"
	"g2|Two & \xe2\x80\x99|-|-1\n"
	"curator:fnv1a64:983680da70c4ac4b|Three|-|-1\n";

static void
test_feed_parse_gives_the_same_items_byte_by_byte(void **state)
{
	size_t steps[] = { 0, 1, 2, 3, 7, 64 };
	struct feed_info info;
	struct collected c;
	struct report rep;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		memset(&c, 0, sizeof(c));
		buf_init(&c.items, 0);
		report_init_collect(&rep);
		assert_int_equal(parse(rss, strlen(rss), steps[i], &c, &info,
				       &rep),
				 0);
		assert_string_equal(c.items.ptr, rss_items);
		assert_int_equal(info.format, FEED_FORMAT_RSS20);
		assert_string_equal(info.title, "T\xc3\xa9");
		assert_int_equal(info.nwarnings, 2);
		assert_string_equal(info.warnings[0],
				    "line 2: undefined entity &eacute; "
				    "replaced");
		assert_string_equal(info.warnings[1],
				    "line 5: undefined entity &rsquo; "
				    "replaced");
		feed_info_release(&info);
		report_release(&rep);
		buf_release(&c.items);
	}
}

static void
test_feed_parse_stops_when_the_callback_asks(void **state)
{
	struct collected c = { BUF_INIT, 0, 1 };
	struct feed_info info;
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(rss, strlen(rss), 0, &c, &info, &rep), 0);
	assert_int_equal(c.nitems, 1);
	assert_int_equal(rep.errors, 0);
	feed_info_release(&info);
	report_release(&rep);
	buf_release(&c.items);
}

static void
test_feed_parse_reports_what_is_not_a_feed(void **state)
{
	static const struct {
		const char *input;
		const char *error;
	} cases[] = {
		{ "", "error: test.xml: empty file\n" },
		{ " \n\t", "error: test.xml: empty file\n" },
		{ "%PDF-1.7\n", "error: test.xml: not a feed (looks like PDF)\n" },
		{ "<!DOCTYPE html><p>", "error: test.xml: not a feed (looks "
				      "like HTML)\n" },
		{ "<html><body></body></html>", "error: test.xml: not a feed "
						"(looks like HTML)\n" },
		{ "hello", "error: test.xml: not a feed\n" },
		{ "<opml/>", "error: test.xml: not a feed (unknown root "
			     "element <opml>)\n" },
		{ "{\"a\": }", "error: test.xml: not a feed (invalid JSON at "
			       "line 1, column 7: unexpected token near "
			       "'}')\n" },
	};
	struct collected c;
	struct feed_info info;
	struct report rep;
	size_t i;
	const char *hint;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memset(&c, 0, sizeof(c));
		buf_init(&c.items, 0);
		report_init_collect(&rep);
		assert_int_equal(parse(cases[i].input, strlen(cases[i].input),
				       0, &c, &info, &rep),
				 -1);
		/* the HTML errors carry a hint line after the error */
		hint = strstr(rep.collected.ptr, "hint: ");
		if (hint)
			buf_setlen(&rep.collected,
				   (size_t)(hint - rep.collected.ptr));
		assert_string_equal(rep.collected.ptr, cases[i].error);
		assert_int_equal(c.nitems, 0);
		feed_info_release(&info);
		report_release(&rep);
		buf_release(&c.items);
	}
}

static void
test_feed_parse_caps_warnings(void **state)
{
	struct buf in = BUF_INIT;
	struct collected c = { BUF_INIT, 0, 0 };
	struct feed_info info;
	struct report rep;
	int i;

	(void)state;
	buf_adds(&in, "<rss><channel><title>");
	for (i = 0; i < 300; i++)
		buf_addf(&in, "&unknown%d;", i);
	buf_adds(&in, "</title></channel></rss>");
	report_init_collect(&rep);
	assert_int_equal(parse(in.ptr, in.len, 0, &c, &info, &rep), 0);
	assert_int_equal(info.nwarnings, 101);
	assert_string_equal(info.warnings[0],
			    "line 1: unknown entity &unknown0; kept as text");
	assert_string_equal(info.warnings[100], "more warnings omitted");
	feed_info_release(&info);
	report_release(&rep);
	buf_release(&in);
}

static void
test_feed_parse_cuts_fields_at_one_mebibyte(void **state)
{
	struct buf in = BUF_INIT;
	struct collected c = { BUF_INIT, 0, 0 };
	struct feed_info info;
	struct report rep;
	size_t i;

	(void)state;
	buf_adds(&in, "<rss><channel><item><title>");
	for (i = 0; i < (1u << 20); i++)
		buf_adds(&in, "\xc3\xa9"); /* 2 MiB of e-acute */
	buf_adds(&in, "</title><link>https://cut.example.org/</link></item>"
		      "</channel></rss>");
	report_init_collect(&rep);
	assert_int_equal(parse(in.ptr, in.len, 65536, &c, &info, &rep), 0);
	assert_int_equal(c.nitems, 1);
	/* id|title|url|published: the title is 512 Ki e-acute, whole */
	assert_int_equal(c.items.len, strlen("https://cut.example.org/|") +
					      (1u << 20) +
					      strlen("|https://cut.example.org/"
						     "|-1\n"));
	assert_string_equal(info.warnings[0],
			    "line 1: text longer than 1048576 bytes cut");
	feed_info_release(&info);
	report_release(&rep);
	buf_release(&c.items);
	buf_release(&in);
}

/* A description of 1 KiB lines (511 e-acute, 'x', LF): the cut falls at
 * the start of line 1025, whether the text is plain or CDATA. */
static void
assert_cut_line(const char *open, const char *close)
{
	struct buf in = BUF_INIT;
	struct collected c = { BUF_INIT, 0, 0 };
	struct feed_info info;
	struct report rep;
	size_t i, j;

	buf_adds(&in, "<rss><channel><item><title>t</title><description>");
	buf_adds(&in, open);
	for (i = 0; i < 2048; i++) {
		for (j = 0; j < 511; j++)
			buf_adds(&in, "\xc3\xa9");
		buf_adds(&in, "x\n");
	}
	buf_adds(&in, close);
	buf_adds(&in, "</description></item></channel></rss>");
	report_init_collect(&rep);
	assert_int_equal(parse(in.ptr, in.len, 65536, &c, &info, &rep), 0);
	assert_int_equal(c.nitems, 1);
	assert_string_equal(info.warnings[0],
			    "line 1025: text longer than 1048576 bytes cut");
	feed_info_release(&info);
	report_release(&rep);
	buf_release(&c.items);
	buf_release(&in);
}

static void
test_feed_parse_says_on_which_line_a_field_is_cut(void **state)
{
	(void)state;
	assert_cut_line("", "");
	assert_cut_line("<![CDATA[", "]]>");
}

static void
test_feed_parse_keeps_items_before_damage(void **state)
{
	static const char in[] = "<rss><channel>\n"
				 "<item><title>A</title><guid>a</guid></item>\n"
				 "<item><title>B</titel></item>\n"
				 "<item><title>C</title><guid>c</guid></item>\n";
	struct collected c = { BUF_INIT, 0, 0 };
	struct feed_info info;
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(in, strlen(in), 0, &c, &info, &rep), 0);
	assert_string_equal(c.items.ptr, "a|A|-|-1\n");
	assert_int_equal(info.nwarnings, 1);
	assert_string_equal(info.warnings[0],
			    "line 3: malformed XML (opening and ending tag "
			    "mismatch: title line 3 and titel); kept the "
			    "items before it");
	feed_info_release(&info);
	report_release(&rep);
	buf_release(&c.items);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_feed_parse_gives_the_same_items_byte_by_byte),
		cmocka_unit_test(test_feed_parse_stops_when_the_callback_asks),
		cmocka_unit_test(test_feed_parse_reports_what_is_not_a_feed),
		cmocka_unit_test(test_feed_parse_caps_warnings),
		cmocka_unit_test(test_feed_parse_cuts_fields_at_one_mebibyte),
		cmocka_unit_test(
			test_feed_parse_says_on_which_line_a_field_is_cut),
		cmocka_unit_test(test_feed_parse_keeps_items_before_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
