/* The XML pre-pass (ingest/xml_prepass.c): what libxml2 gets to see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/ingest_private.h"

struct result {
	struct buf out;   /* raw with CDATA sections read as text */
	struct buf raw;   /* what the pre-pass wrote */
	struct feed_diag diag;
	int rc;
};

/* Text as libxml2 reads it, whether it came in CDATA sections or not:
 * the pre-pass may cut its CDATA sections at any chunk boundary. */
static void
unwrap_cdata(const struct buf *raw, struct buf *out)
{
	const char *p = raw->ptr, *end = p + raw->len, *open, *close;

	while ((open = memmem(p, (size_t)(end - p), "<![CDATA[", 9))) {
		buf_add(out, p, (size_t)(open - p));
		open += 9;
		close = memmem(open, (size_t)(end - open), "]]>", 3);
		if (!close)
			close = end;
		for (p = open; p < close; p++) {
			if (*p == '&')
				buf_adds(out, "&amp;");
			else if (*p == '<')
				buf_adds(out, "&lt;");
			else
				buf_addc(out, *p);
		}
		p = close < end ? close + 3 : end;
	}
	buf_add(out, p, (size_t)(end - p));
}

/* Runs the pre-pass over input in chunks of step bytes (0: all at once). */
static void
prepass(const char *input, size_t len, size_t step, const char *charset,
	struct result *r)
{
	struct feed_options opts = { "test.xml", NULL, charset };
	struct xml_prepass *pp;
	size_t i, n;

	buf_init(&r->out, 0);
	buf_init(&r->raw, 0);
	memset(&r->diag, 0, sizeof(r->diag));
	pp = xml_prepass_new(&opts, &r->diag);
	r->rc = 0;
	if (step == 0)
		step = len ? len : 1;
	for (i = 0; i < len && r->rc == 0; i += n) {
		n = len - i < step ? len - i : step;
		r->rc = xml_prepass_feed(pp, input + i, n, false, &r->raw);
	}
	if (r->rc == 0)
		r->rc = xml_prepass_feed(pp, NULL, 0, true, &r->raw);
	xml_prepass_free(pp);
	unwrap_cdata(&r->raw, &r->out);
}

static void
result_release(struct result *r)
{
	buf_release(&r->out);
	buf_release(&r->raw);
	feed_diag_release(&r->diag);
}

/* The output reads the same whether the input comes whole or byte by
 * byte. */
static void
assert_prepass(const char *input, const char *want, size_t nwarnings)
{
	struct result whole, bytes;

	prepass(input, strlen(input), 0, NULL, &whole);
	prepass(input, strlen(input), 1, NULL, &bytes);
	assert_int_equal(whole.rc, 0);
	assert_string_equal(whole.out.ptr, want);
	assert_int_equal(bytes.rc, 0);
	assert_string_equal(bytes.out.ptr, want);
	assert_int_equal(whole.diag.n, nwarnings);
	assert_int_equal(bytes.diag.n, nwarnings);
	result_release(&whole);
	result_release(&bytes);
}

static void
test_prepass_rewrites_the_declaration_as_utf8(void **state)
{
	(void)state;
	assert_prepass("<?xml version='1.0' encoding='utf-8'?>\n<a/>",
		       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a/>", 0);
}

static void
test_prepass_removes_doctype_keeping_lines(void **state)
{
	(void)state;
	assert_prepass("<!DOCTYPE rss [\n<!ENTITY a \"x]>\">\n]>\n<rss>&a;</rss>",
		       "\n\n\n<rss>x]&gt;</rss>", 0);
}

static void
test_prepass_expands_nested_internal_entities(void **state)
{
	(void)state;
	assert_prepass("<!DOCTYPE r [<!ENTITY a \"A&amp;\"><!ENTITY b "
		       "\"&a;&a;&#233;<i>\">]><r t=\"&b;\">&b;</r>",
		       "<r t=\"A&amp;A&amp;\xc3\xa9&lt;i&gt;\">"
		       "A&amp;A&amp;\xc3\xa9&lt;i&gt;</r>",
		       0);
}

static void
test_prepass_replaces_html_entities_once_warned(void **state)
{
	struct result r;
	const char *in = "<r>\n&eacute;t&eacute; &nbsp;&rsquo;</r>";

	(void)state;
	assert_prepass(in, "<r>\n\xc3\xa9t\xc3\xa9 \xc2\xa0\xe2\x80\x99</r>", 3);
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.diag.v[0].text,
			    "line 2: undefined entity &eacute; replaced");
	assert_string_equal(r.diag.v[1].text,
			    "line 2: undefined entity &nbsp; replaced");
	result_release(&r);
}

static void
test_prepass_keeps_unknown_entities_as_text(void **state)
{
	struct result r;
	const char *in = "<r>&bogus; &amp; R&D</r>";

	(void)state;
	assert_prepass(in, "<r>&amp;bogus; &amp; R&amp;D</r>", 2);
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.diag.v[0].text,
			    "line 1: unknown entity &bogus; kept as text");
	assert_string_equal(r.diag.v[1].text, "line 1: bare '&' read as text");
	result_release(&r);
}

static void
test_prepass_replaces_invalid_character_references(void **state)
{
	(void)state;
	assert_prepass("<r>&#0;&#xD800;&#1114112;&#65;&#x1F600;</r>",
		       "<r>\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "A\xf0\x9f\x98\x80"
		       "</r>",
		       0);
}

static void
test_prepass_never_expands_external_entities(void **state)
{
	struct result r;
	const char *in = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
			 "<!ENTITY % p SYSTEM \"http://127.0.0.1/\"> %p;]>"
			 "<r>[&x;]</r>";

	(void)state;
	assert_prepass(in, "<r>[]</r>", 1);
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.diag.v[0].text,
			    "line 1: external entity &x; not loaded");
	result_release(&r);
}

static void
test_prepass_stops_entity_bombs(void **state)
{
	struct buf in = BUF_INIT;
	struct result r;
	int i, j;

	(void)state;
	buf_adds(&in, "<!DOCTYPE r [<!ENTITY l0 \"lol\">");
	for (i = 1; i < 10; i++) {
		buf_addf(&in, "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			buf_addf(&in, "&l%d;", i - 1);
		buf_adds(&in, "\">");
	}
	buf_adds(&in, "]><r>&l9;</r>");
	prepass(in.ptr, in.len, 0, NULL, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.diag.error,
			    "entity expansion limit exceeded (billion laughs?)");
	assert_true(r.out.len <= 1u << 20);
	result_release(&r);
	buf_release(&in);
}

static void
test_prepass_refuses_recursive_entities(void **state)
{
	struct result r;
	const char *in = "<!DOCTYPE r [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>"
			 "<r>&a;</r>";

	(void)state;
	prepass(in, strlen(in), 0, NULL, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.diag.error,
			    "entity 'a' refers to itself or nests too deep");
	result_release(&r);
}

static void
test_prepass_drops_comments_and_instructions(void **state)
{
	(void)state;
	assert_prepass("<?xml-stylesheet href='a'?>\n<r><!-- <x>\n --><?pi\n?>"
		       "a</r>",
		       "\n<r>\n\na</r>", 0);
}

static void
test_prepass_leaves_cdata_alone(void **state)
{
	const char *in = "<r><![CDATA[&eacute; <b> ]] ]]></r>";
	struct result whole, bytes;

	(void)state;
	prepass(in, strlen(in), 0, NULL, &whole);
	prepass(in, strlen(in), 1, NULL, &bytes);
	assert_string_equal(whole.raw.ptr, in);
	assert_string_equal(bytes.raw.ptr, in);
	result_release(&whole);
	result_release(&bytes);
}

static void
test_prepass_gives_text_with_references_as_cdata(void **state)
{
	const char *in = "<r>\n<a>a &amp; b &lt;c&gt;\n\xc3\xa9&#38;&#x3c;"
			 "&quot;</a>\n</r>";
	struct result r;

	(void)state;
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.raw.ptr, "<r>\n<a>a <![CDATA[& b <c>\n\xc3\xa9&<\"]]>"
				       "</a>\n</r>");
	result_release(&r);
}

static void
test_prepass_keeps_as_text_what_cdata_would_change(void **state)
{
	/* a raw "]]>" (libxml2 must still report it), a lone CR, a
	 * reference to LF, "]]" then "&gt;" */
	const char *in = "<r>\xc3\xa9]]>x\r\ny\rz&#10;]]&gt; "
			 "\xc3\xa9]]&gt;\xc3\xa9\r\n\xc3\xa9\r.</r>";
	struct result r;

	(void)state;
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.raw.ptr,
			    "<r><![CDATA[\xc3\xa9]]>]]>x\r\ny\rz&#10;]]"
			    "<![CDATA[> \xc3\xa9]]]]><![CDATA[>\xc3\xa9\n"
			    "\xc3\xa9]]>\r.</r>");
	result_release(&r);
}

static void
test_prepass_leaves_text_outside_the_root_as_it_is(void **state)
{
	const char *in = "\xc3\xa9&amp;<r/>\xc3\xa9&amp;";
	struct result r;

	(void)state;
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.raw.ptr, in);
	result_release(&r);
}

static void
test_prepass_escapes_stray_less_than(void **state)
{
	(void)state;
	assert_prepass("<r>3 < 4 <3 <a x='1<2'/></r>",
		       "<r>3 &lt; 4 &lt;3 <a x='1&lt;2'/></r>", 0);
}

static void
test_prepass_drops_elements_beyond_max_depth(void **state)
{
	struct buf in = BUF_INIT, want = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < FEED_MAX_DEPTH + 50; i++)
		buf_adds(&in, "<a>");
	buf_adds(&in, "deep");
	for (i = 0; i < FEED_MAX_DEPTH + 50; i++)
		buf_adds(&in, "</a>");
	buf_adds(&in, "<b/>");
	for (i = 0; i < FEED_MAX_DEPTH; i++)
		buf_adds(&want, "<a>");
	for (i = 0; i < FEED_MAX_DEPTH; i++)
		buf_adds(&want, "</a>");
	buf_adds(&want, "<b/>");
	assert_prepass(in.ptr, want.ptr, 1);
	buf_release(&in);
	buf_release(&want);
}

static void
test_prepass_reads_latin1_and_cp1252(void **state)
{
	struct result r;
	const char *in = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
			 "<r>\xe9\x93\x80</r>";

	(void)state;
	prepass(in, strlen(in), 0, NULL, &r);
	assert_string_equal(r.out.ptr,
			    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			    "<r>\xc3\xa9\xe2\x80\x9c\xe2\x82\xac</r>");
	assert_int_equal(r.diag.n, 0);
	result_release(&r);
}

static void
test_prepass_reads_invalid_utf8_as_cp1252(void **state)
{
	struct result r;
	const char *in = "<r>caf\xe9 \xc3\xa9 \x93ok\x94</r>";

	(void)state;
	prepass(in, strlen(in), 1, NULL, &r);
	assert_string_equal(r.out.ptr, "<r>caf\xc3\xa9 \xc3\xa9 "
					"\xe2\x80\x9cok\xe2\x80\x9d</r>");
	assert_int_equal(r.diag.n, 1);
	assert_string_equal(r.diag.v[0].text,
			    "line 1: invalid UTF-8 read as Windows-1252");
	result_release(&r);
}

static void
test_prepass_http_charset_beats_declaration(void **state)
{
	struct result r;
	const char *in = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>\xe9</r>";

	(void)state;
	prepass(in, strlen(in), 0, "iso-8859-1", &r);
	assert_string_equal(r.out.ptr,
			    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			    "<r>\xc3\xa9</r>");
	assert_int_equal(r.diag.n, 0);
	result_release(&r);
}

static void
test_prepass_reads_utf16_through_iconv(void **state)
{
	static const char in[] = "\xff\xfe<\0r\0>\0\xe9\0\xac\x20<\0/\0r\0>\0";
	struct result r;

	(void)state;
	prepass(in, sizeof(in) - 1, 3, NULL, &r);
	assert_string_equal(r.out.ptr, "<r>\xc3\xa9\xe2\x82\xac</r>");
	result_release(&r);
}

static void
test_prepass_replaces_nul_and_controls(void **state)
{
	static const char in[] = "<r>a\0b\x01\x0b\tc\xef\xbf\xbe</r>";
	struct result r;

	(void)state;
	prepass(in, sizeof(in) - 1, 0, NULL, &r);
	assert_string_equal(r.out.ptr, "<r>a\xef\xbf\xbd"
					"b\xef\xbf\xbd\xef\xbf\xbd\tc"
					"\xef\xbf\xbd</r>");
	result_release(&r);
}

static void
test_prepass_cuts_long_attribute_values(void **state)
{
	struct buf in = BUF_INIT;
	struct result r;

	(void)state;
	buf_adds(&in, "<r a=\"");
	buf_grow(&in, FEED_MAX_ATTRIBUTE + 100);
	memset(in.ptr + in.len, 'x', FEED_MAX_ATTRIBUTE + 100);
	buf_setlen(&in, in.len + FEED_MAX_ATTRIBUTE + 100);
	buf_adds(&in, "\" b='1'/>");
	prepass(in.ptr, in.len, 65536, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.len, 6 + FEED_MAX_ATTRIBUTE + 9);
	assert_memory_equal(r.out.ptr + r.out.len - 9, "\" b='1'/>", 9);
	assert_string_equal(r.diag.v[0].text,
			    "line 1: attribute value longer than 1048576 "
			    "bytes cut");
	result_release(&r);
	buf_release(&in);
}

static void
test_prepass_fails_on_an_html_doctype(void **state)
{
	struct result r;
	const char *in = "<!doctype html><html><body>";

	(void)state;
	prepass(in, strlen(in), 0, NULL, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.diag.error, "not a feed (looks like HTML)");
	result_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepass_rewrites_the_declaration_as_utf8),
		cmocka_unit_test(test_prepass_removes_doctype_keeping_lines),
		cmocka_unit_test(test_prepass_expands_nested_internal_entities),
		cmocka_unit_test(test_prepass_replaces_html_entities_once_warned),
		cmocka_unit_test(test_prepass_keeps_unknown_entities_as_text),
		cmocka_unit_test(
			test_prepass_replaces_invalid_character_references),
		cmocka_unit_test(test_prepass_never_expands_external_entities),
		cmocka_unit_test(test_prepass_stops_entity_bombs),
		cmocka_unit_test(test_prepass_refuses_recursive_entities),
		cmocka_unit_test(test_prepass_drops_comments_and_instructions),
		cmocka_unit_test(test_prepass_leaves_cdata_alone),
		cmocka_unit_test(
			test_prepass_gives_text_with_references_as_cdata),
		cmocka_unit_test(
			test_prepass_keeps_as_text_what_cdata_would_change),
		cmocka_unit_test(
			test_prepass_leaves_text_outside_the_root_as_it_is),
		cmocka_unit_test(test_prepass_escapes_stray_less_than),
		cmocka_unit_test(test_prepass_drops_elements_beyond_max_depth),
		cmocka_unit_test(test_prepass_reads_latin1_and_cp1252),
		cmocka_unit_test(test_prepass_reads_invalid_utf8_as_cp1252),
		cmocka_unit_test(test_prepass_http_charset_beats_declaration),
		cmocka_unit_test(test_prepass_reads_utf16_through_iconv),
		cmocka_unit_test(test_prepass_replaces_nul_and_controls),
		cmocka_unit_test(test_prepass_cuts_long_attribute_values),
		cmocka_unit_test(test_prepass_fails_on_an_html_doctype),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
