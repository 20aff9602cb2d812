/*
 * The sanitizer's fast reader (sanitize_fast.c) against libxml2's path:
 * wherever it accepts an input, both paths must write the same bytes. The
 * inputs: every HTML fixture, the fuzz corpora, the HTML in the feed
 * fixtures, every pair of allowlisted elements, and the cases below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/buf.h"
#include "ingest/ingest.h"
#include "ingest/sanitize_private.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define BASE "https://ex.org/blog/post"

struct tally {
	size_t inputs;
	size_t accepted;
};

/* Runs both paths on in; fails when the fast one accepts and differs, or
 * declines and appends anything. Returns the fast reader's answer. */
static enum sanitize_decline
check_paths(const char *in, size_t len, const char *base, struct tally *t)
{
	struct buf fast_html = BUF_INIT, fast_text = BUF_INIT;
	struct buf ref_html = BUF_INIT, ref_text = BUF_INIT;
	struct buf one = BUF_INIT;
	enum sanitize_decline reason;

	reason = sanitize_run(SANITIZE_PATH_FAST, in, len, base, &fast_html,
			      &fast_text);
	if (t)
		t->inputs++;
	if (reason != SANITIZE_DECLINE_NONE) {
		assert_int_equal(fast_html.len, 0);
		assert_int_equal(fast_text.len, 0);
		goto out;
	}
	if (t)
		t->accepted++;
	sanitize_run(SANITIZE_PATH_LIBXML2, in, len, base, &ref_html,
		     &ref_text);
	if (strcmp(fast_html.ptr, ref_html.ptr) != 0 ||
	    strcmp(fast_text.ptr, ref_text.ptr) != 0)
		fail_msg("fast reader differs for '%.*s':\n fast: '%s'\n"
			 "  ref: '%s'\n fast: '%s'\n  ref: '%s'", (int)len, in,
			 fast_html.ptr, ref_html.ptr, fast_text.ptr,
			 ref_text.ptr);
	/* one writer alone writes what it writes beside the other */
	assert_int_equal(sanitize_run(SANITIZE_PATH_FAST, in, len, base, &one,
				      NULL), SANITIZE_DECLINE_NONE);
	assert_string_equal(one.ptr, ref_html.ptr);
	buf_clear(&one);
	assert_int_equal(sanitize_run(SANITIZE_PATH_FAST, in, len, base, NULL,
				      &one), SANITIZE_DECLINE_NONE);
	assert_string_equal(one.ptr, ref_text.ptr);
out:
	buf_release(&fast_html);
	buf_release(&fast_text);
	buf_release(&ref_html);
	buf_release(&ref_text);
	buf_release(&one);
	return reason;
}

static void
fixture_path(const char *dir, const char *name, struct buf *path)
{
	const char *top = getenv("TOP");

	buf_clear(path);
	buf_addf(path, "%s/%s", top ? top : ".", dir);
	if (name)
		buf_addf(path, "/%s", name);
}

/* Calls fn on the contents of every regular file in dir (under TOP). */
static void
each_file(const char *dir, void (*fn)(const char *, size_t, void *),
	  void *ctx)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	struct dirent *entry;
	FILE *fp;
	DIR *d;
	size_t n;
	char chunk[8192];

	fixture_path(dir, NULL, &path);
	d = opendir(path.ptr);
	if (!d)
		fail_msg("cannot open '%s'", path.ptr);
	while ((entry = readdir(d)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		fixture_path(dir, entry->d_name, &path);
		fp = fopen(path.ptr, "rb");
		if (!fp)
			continue; /* a folder */
		buf_clear(&data);
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&data, chunk, n);
		fclose(fp);
		fn(data.ptr, data.len, ctx);
	}
	closedir(d);
	buf_release(&path);
	buf_release(&data);
}

static void
check_file(const char *data, size_t len, void *ctx)
{
	check_paths(data, len, BASE, ctx);
}

static void
test_fast_matches_libxml2_on_the_html_fixtures(void **state)
{
	struct tally t = { 0, 0 };

	(void)state;
	each_file("tests/fixtures/html", check_file, &t);
	each_file("tests/fuzz/corpus/sanitize", check_file, &t);
	each_file("tests/fuzz/corpus/sanitize_fast", check_file, &t);
	assert_true(t.inputs > 100);
	/* the corpora are mostly hostile: a fair share is still read */
	print_message("fixtures %zu accepted %zu\n", t.inputs, t.accepted);
	assert_true(t.accepted >= t.inputs / 5);
}

/* The text of every element of a feed that may carry HTML. */
static void
check_feed_nodes(const xmlNode *node, struct tally *t)
{
	static const char *const names[] = { "content", "description",
					     "encoded", "summary", "title" };
	xmlChar *text;
	size_t i;

	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < COUNT(names); i++) {
			if (strcmp((const char *)node->name, names[i]) != 0)
				continue;
			text = xmlNodeGetContent(node);
			if (text)
				check_paths((const char *)text,
					    strlen((const char *)text), BASE,
					    t);
			xmlFree(text);
		}
		check_feed_nodes(node->children, t);
	}
}

static void
check_feed(const char *data, size_t len, void *ctx)
{
	xmlDocPtr doc;

	if (len > 1000000)
		return;
	doc = xmlReadMemory(data, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_RECOVER);
	if (!doc)
		return;
	check_feed_nodes(xmlDocGetRootElement(doc), ctx);
	xmlFreeDoc(doc);
}

static void
test_fast_matches_libxml2_on_the_feed_fixtures(void **state)
{
	struct tally t = { 0, 0 };

	(void)state;
	each_file("tests/fixtures/feeds", check_feed, &t);
	assert_true(t.inputs > 100);
	print_message("feeds %zu accepted %zu\n", t.inputs, t.accepted);
	assert_true(t.accepted >= t.inputs / 2);
}

/* Every allowlisted element the fast reader knows inside every other,
 * with text and white space around: it declines where libxml2 closes the
 * parent, and agrees everywhere else. */
static void
test_fast_matches_libxml2_on_every_pair(void **state)
{
	static const char *const names[] = {
		"a", "abbr", "address", "article", "b", "bdi", "bdo",
		"blockquote", "br", "caption", "cite", "code", "col",
		"colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
		"em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
		"h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
		"pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
		"small", "span", "strong", "sub", "summary", "sup", "table",
		"tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
		"var",
		/* unwrapped, and unknown to libxml2 */
		"aside", "audio", "bgsound", "dialog", "footer", "header",
		"image", "keygen", "main", "menuitem", "my-el", "nav", "nobr",
		"o:p", "picture", "source", "track", "video", "wbr", "td.x",
		"p-x", "x-p", "li_x",
		/* dropped */
		"iframe", "noscript", "script", "style",
	};
	static const char *const shapes[] = {
		"<%s>x<%s src=\"i\">y</%s>z</%s>",
		"<%s> <%s src=\"i\"> </%s> </%s> ",
		"<%s>\n<%s src=\"i\">\ny</%s>\n</%s>\n",
	};
	struct tally t = { 0, 0 };
	struct buf in = BUF_INIT;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < COUNT(names); i++) {
		for (j = 0; j < COUNT(names); j++) {
			for (k = 0; k < COUNT(shapes); k++) {
				buf_clear(&in);
				buf_addf(&in, shapes[k], names[i], names[j],
					 names[j], names[i]);
				check_paths(in.ptr, in.len, BASE, &t);
			}
		}
	}
	print_message("pairs %zu accepted %zu\n", t.inputs, t.accepted);
	assert_true(t.accepted > t.inputs / 2);
	buf_release(&in);
}

/* What gen.py (bench/parse) writes: the fast reader takes it. */
static void
test_fast_reads_the_bench_html(void **state)
{
	static const char in[] =
		"<p>Manga lecture. <a href=\"/articles/7\">Roman atelier.</a>"
		" &amp; <em>Jeu vid\xc3\xa9o.</em></p><p><img src=\"https://"
		"cdn.example.org/img/7.jpg\" alt=\"couverture\">Cin\xc3\xa9ma"
		".</p><ul><li>Auteur.</li><li>Pr\xc3\xaat.</li></ul><p>Fin."
		"</p>";
	struct buf html = BUF_INIT, text = BUF_INIT;

	(void)state;
	assert_int_equal(check_paths(in, sizeof(in) - 1, BASE, NULL),
			 SANITIZE_DECLINE_NONE);
	assert_int_equal(sanitize_run(SANITIZE_PATH_FAST, in, sizeof(in) - 1,
				      BASE, &html, &text),
			 SANITIZE_DECLINE_NONE);
	assert_string_equal(html.ptr,
		"<p>Manga lecture. <a href=\"https://ex.org/articles/7\" "
		"rel=\"nofollow noopener noreferrer ugc\">Roman atelier.</a>"
		" &amp; <em>Jeu vid\xc3\xa9o.</em></p><p><img src=\"https://"
		"cdn.example.org/img/7.jpg\" alt=\"couverture\">Cin\xc3\xa9ma"
		".</p><ul><li>Auteur.</li><li>Pr\xc3\xaat.</li></ul><p>Fin."
		"</p>");
	assert_string_equal(text.ptr,
		"Manga lecture. Roman atelier. & Jeu vid\xc3\xa9o. "
		"Cin\xc3\xa9ma. Auteur. Pr\xc3\xaat. Fin.");
	buf_release(&html);
	buf_release(&text);
}

struct decline_case {
	const char *in;
	enum sanitize_decline reason;
};

/* What the fast reader leaves to libxml2, and why. */
static void
test_fast_declines_what_it_is_not_sure_of(void **state)
{
	static const struct decline_case cases[] = {
		{ "<![CDATA[x]]>", SANITIZE_DECLINE_MARKUP },
		{ "<!DOCTYPE html><p>x</p>", SANITIZE_DECLINE_MARKUP },
		{ "<?php echo 1 ?>", SANITIZE_DECLINE_MARKUP },
		{ "a < b", SANITIZE_DECLINE_MARKUP },
		{ "<p>a<!-- b -- c --></p>", SANITIZE_DECLINE_MARKUP },
		{ "<p>a<!-->b</p>", SANITIZE_DECLINE_MARKUP },
		{ "<p>a</p >b</p/>", SANITIZE_DECLINE_MARKUP },
		{ "<p>a\r\nb</p>", SANITIZE_DECLINE_BYTE },
		{ "<p>caf\xe9</p>", SANITIZE_DECLINE_BYTE },
		{ "<p>a\x01</p>", SANITIZE_DECLINE_BYTE },
		{ "<font>x</font>", SANITIZE_DECLINE_ELEMENT },
		{ "<center>x</center>", SANITIZE_DECLINE_ELEMENT },
		{ "<p>Word<o:p></o:p></p>", SANITIZE_DECLINE_ELEMENT },
		/* libxml2 names it "p": tests/fuzz/corpus/sanitize_fast */
		{ "<a>x<o:p src=\"i\">y</o:p>z</a>", SANITIZE_DECLINE_ELEMENT },
		/* libxml2 closes <td> on <td.table>: found by
		 * fuzz_sanitize_fast */
		{ "<p><b>a<p>b</b>ckbd</p><b>f</b><tr><td>g</tont><td.table>"
		  "<b>c><a href=\"o1\">d<a efd>g</tont><td>m</td></font>",
		  SANITIZE_DECLINE_ELEMENT },
		{ "<table><tr><td>a<td.x>b</td.x></table>",
		  SANITIZE_DECLINE_ELEMENT },
		{ "<p>a<p-x>b</p-x></p>", SANITIZE_DECLINE_ELEMENT },
		/* libxml2 reads a tag at the start of a script: found by
		 * fuzz_sanitize_fast */
		{ "<SCRITLE><SCRIPT>a\");</SCRIPT><SCRIPT>dote(\"</tr><SCRI\""
		  ");</S<SCRIPT SRC=.roddRIPTITLE><SCRIPT>a\");</SCRIPT><SCRIP"
		  "T></body><noscript>document.write(\"</tr><SCRI\");</SCRIPT"
		  ">PU S\nCRIPT>PT S\n", SANITIZE_DECLINE_ELEMENT },
		{ "<script><noscript>d</script>x", SANITIZE_DECLINE_ELEMENT },
		{ "<div><style></div>x</style>y", SANITIZE_DECLINE_ELEMENT },
		{ "<listing>x</listing>", SANITIZE_DECLINE_ELEMENT },
		{ "<svg><p>x</p></svg>", SANITIZE_DECLINE_ELEMENT },
		{ "<iframe><p>x</p></iframe>", SANITIZE_DECLINE_ELEMENT },
		{ "<script/>x", SANITIZE_DECLINE_ELEMENT },
		{ "<p>x</body>y", SANITIZE_DECLINE_ELEMENT },
		{ "<p>x</curator-fragment>y", SANITIZE_DECLINE_ELEMENT },
		{ "<a href=a\"b>y</a>", SANITIZE_DECLINE_ATTRIBUTE },
		{ "<a href=/x?a&amp;b>y</a>", SANITIZE_DECLINE_ATTRIBUTE },
		{ "<a href=>y</a>", SANITIZE_DECLINE_ATTRIBUTE },
		{ "<p title=\"x\"class=\"y\">z</p>",
		  SANITIZE_DECLINE_ATTRIBUTE },
		{ "<p 'x'>z</p>", SANITIZE_DECLINE_ATTRIBUTE },
		{ "<p title=\"x>z</p>", SANITIZE_DECLINE_ATTRIBUTE },
		{ "<p>a &copy b</p>", SANITIZE_DECLINE_ENTITY },
		{ "<p>a &bogus; b</p>", SANITIZE_DECLINE_ENTITY },
		{ "<p>&#0;</p>", SANITIZE_DECLINE_ENTITY },
		{ "<p>&#13;</p>", SANITIZE_DECLINE_ENTITY },
		{ "<p>&#xD800;</p>", SANITIZE_DECLINE_ENTITY },
		{ "<p title=\"&AMP;\">x</p>", SANITIZE_DECLINE_ENTITY },
		{ "<p>x<br", SANITIZE_DECLINE_UNCLOSED },
		{ "<script>x()", SANITIZE_DECLINE_UNCLOSED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		if (check_paths(cases[i].in, strlen(cases[i].in), BASE,
				NULL) != cases[i].reason)
			fail_msg("case %zu '%s': want %s", i, cases[i].in,
				 sanitize_decline_name(cases[i].reason));
	}
}

/* Inputs the fast reader accepts, each checked against libxml2. */
static void
test_fast_accepts_plain_fragments(void **state)
{
	static const char *const cases[] = {
		"<p>a</p> <p>b</p>\n",
		"  <div>\n\t<p>x &lt;y&gt; &quot;z&quot; &#39;w&#x27;</p>\n"
		"</div>  ",
		"<p>L&rsquo;&eacute;t&eacute;&nbsp;!</p>",
		"<img src='a.png' alt='un \"deux\"' width=\"1\" height=\"1\">",
		"<img src=\"https://pixel.wp.com/g.gif\">tracked",
		"<a href=\"javascript:alert(1)\" title=\"t\">x</a>",
		"<a href=\"/x?a=1&amp;b=2\" class=\"c\" data-x=\"1\">x</a>",
		"<br/><hr /><p/>x",
		"<ol start=\"3\" reversed><li value=\"-2\">a</li></ol>",
		"<pre>\nline\n  two</pre>",
		"<table><tbody><tr><td colspan=\"2\">x</td></tr></tbody>"
		"</table>",
		"<p>open at the end <em>still",
		"<P CLASS=\"x\">upper</P>",
		"<q cite=\"data:text/html,x\">q</q>",
		"<img src=\"data:image/png;base64,AAAA\" alt=\"\">",
		"<span title=\"a <b> c\">x</span>",
		"<details open><summary>s</summary>d</details>",
		"<my-element>x</my-element>",
		"<p>a<data-x>b</data-x><x.y>c</x.y></p>",
		"<header><h1>t</h1></header><nav><a href=\"/\">h</a></nav>",
		"<picture><img src=\"a.png\" srcset=\"a.webp\"></picture>",
		"<p>a<wbr>b</wbr></p>",
		"<p>a<!-- wp:paragraph -->b<!---->c</p>",
		"<p>a<p>b<ul><li>c<li>d</ul>e",
		"<b><i>x</b></i>y</p>z",
		"<div><p>a</div>b<table><tr><td>c<td>d</table>",
		"<div>a</td>b</div>",
		"<a href=/x title=t>y</a><img src=a.png alt=b/>",
		"<a href=\"/x\" href=\"/y\">y</a>",
		"<p>a<script type=\"text/javascript\">if (a<b) x(\"</p>\")"
		"</SCRIPT >b</p><style>p{}</style>",
		"<script src=\"https://ex.org/a.js\"></script>x<style>"
		"a</p>b</style>",
		"<p><iframe src=\"https://ex.org/v\" allowfullscreen></iframe>"
		"</p><noscript>no</noscript>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		if (check_paths(cases[i], strlen(cases[i]), BASE, NULL) !=
		    SANITIZE_DECLINE_NONE)
			fail_msg("case %zu '%s' declined", i, cases[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_reads_the_bench_html),
		cmocka_unit_test(test_fast_accepts_plain_fragments),
		cmocka_unit_test(test_fast_declines_what_it_is_not_sure_of),
		cmocka_unit_test(test_fast_matches_libxml2_on_every_pair),
		cmocka_unit_test(
			test_fast_matches_libxml2_on_the_html_fixtures),
		cmocka_unit_test(
			test_fast_matches_libxml2_on_the_feed_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
