#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/url.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct pair {
	const char *in;
	const char *want;
};

static void
test_url_clean_strips_controls_and_removes_tabs_and_newlines(void **state)
{
	static const struct pair cases[] = {
		{ "  http://a/b  ", "http://a/b" },
		{ "\x01\x1f java\tscript:x\n", "javascript:x" },
		{ "ht\r\ntp://a/\tb", "http://a/b" },
		{ "", "" },
		{ " \t\n ", "" },
		{ "a b", "a b" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		buf_clear(&b);
		url_clean(cases[i].in, strlen(cases[i].in), &b);
		assert_string_equal(b.ptr, cases[i].want);
	}
	buf_release(&b);
}

static void
test_url_scheme_reads_the_scheme_case_insensitively(void **state)
{
	static const struct {
		const char *url;
		enum url_scheme want;
	} cases[] = {
		{ "http://a/", URL_SCHEME_HTTP },
		{ "HTTPS://a/", URL_SCHEME_HTTPS },
		{ "MailTo:x@y", URL_SCHEME_MAILTO },
		{ "data:image/png,x", URL_SCHEME_DATA },
		{ "file:///etc/passwd", URL_SCHEME_FILE },
		{ "JaVaScRiPt:alert(1)", URL_SCHEME_OTHER },
		{ "vbscript:x", URL_SCHEME_OTHER },
		{ "a+b-c.d:x", URL_SCHEME_OTHER },
		{ "/a:b", URL_SCHEME_NONE },
		{ "a/b:c", URL_SCHEME_NONE },
		{ "?a:b", URL_SCHEME_NONE },
		{ "#a:b", URL_SCHEME_NONE },
		{ "1http:x", URL_SCHEME_NONE },
		{ ":x", URL_SCHEME_NONE },
		{ "java script:x", URL_SCHEME_NONE },
		{ "java&colon;x", URL_SCHEME_NONE },
		{ "page.html", URL_SCHEME_NONE },
		{ "", URL_SCHEME_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++)
		assert_int_equal(url_scheme(cases[i].url,
					    strlen(cases[i].url)),
				 cases[i].want);
}

/* RFC 3986 §5.4.1 and §5.4.2, base "http://a/b/c/d;p?q" (strict). */
static const struct pair rfc3986_examples[] = {
	{ "g:h", "g:h" },
	{ "g", "http://a/b/c/g" },
	{ "./g", "http://a/b/c/g" },
	{ "g/", "http://a/b/c/g/" },
	{ "/g", "http://a/g" },
	{ "//g", "http://g" },
	{ "?y", "http://a/b/c/d;p?y" },
	{ "g?y", "http://a/b/c/g?y" },
	{ "#s", "http://a/b/c/d;p?q#s" },
	{ "g#s", "http://a/b/c/g#s" },
	{ "g?y#s", "http://a/b/c/g?y#s" },
	{ ";x", "http://a/b/c/;x" },
	{ "g;x", "http://a/b/c/g;x" },
	{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
	{ "", "http://a/b/c/d;p?q" },
	{ ".", "http://a/b/c/" },
	{ "./", "http://a/b/c/" },
	{ "..", "http://a/b/" },
	{ "../", "http://a/b/" },
	{ "../g", "http://a/b/g" },
	{ "../..", "http://a/" },
	{ "../../", "http://a/" },
	{ "../../g", "http://a/g" },
	/* §5.4.2 abnormal examples */
	{ "../../../g", "http://a/g" },
	{ "../../../../g", "http://a/g" },
	{ "/./g", "http://a/g" },
	{ "/../g", "http://a/g" },
	{ "g.", "http://a/b/c/g." },
	{ ".g", "http://a/b/c/.g" },
	{ "g..", "http://a/b/c/g.." },
	{ "..g", "http://a/b/c/..g" },
	{ "./../g", "http://a/b/g" },
	{ "./g/.", "http://a/b/c/g/" },
	{ "g/./h", "http://a/b/c/g/h" },
	{ "g/../h", "http://a/b/c/h" },
	{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
	{ "g;x=1/../y", "http://a/b/c/y" },
	{ "g?y/./x", "http://a/b/c/g?y/./x" },
	{ "g?y/../x", "http://a/b/c/g?y/../x" },
	{ "g#s/./x", "http://a/b/c/g#s/./x" },
	{ "g#s/../x", "http://a/b/c/g#s/../x" },
	{ "http:g", "http:g" },
};

static void
test_url_resolve_follows_rfc3986_examples(void **state)
{
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(rfc3986_examples); i++) {
		const struct pair *c = &rfc3986_examples[i];

		buf_clear(&b);
		url_resolve("http://a/b/c/d;p?q", c->in, strlen(c->in), &b);
		if (strcmp(b.ptr, c->want) != 0)
			fail_msg("'%s': got '%s', want '%s'", c->in, b.ptr,
				 c->want);
	}
	buf_release(&b);
}

static void
test_url_resolve_handles_other_bases_and_dirty_input(void **state)
{
	static const struct {
		const char *base;
		const char *ref;
		const char *want;
	} cases[] = {
		{ NULL, " /a/../b ", "/a/../b" },
		{ "/relative/base", "x", "x" },
		{ "https://ex.org", "a", "https://ex.org/a" },
		{ "https://ex.org", "?q=1", "https://ex.org?q=1" },
		{ "https://ex.org/a/b", "//cdn.ex.net/i.png",
		  "https://cdn.ex.net/i.png" },
		{ "https://ex.org/a/b", "HTTP://Ex.org/x/../y",
		  "HTTP://Ex.org/y" },
		{ "https://ex.org/a/b", "java\tscript:alert(1)",
		  "javascript:alert(1)" },
		{ "https://ex.org/a/b", "mailto:a/../b@ex.org",
		  "mailto:a/../b@ex.org" },
		{ "https://ex.org/a/b", "data:image/png;base64,ab/../c",
		  "data:image/png;base64,ab/../c" },
		{ " https://ex.org/a/b\n", "c", "https://ex.org/a/c" },
		{ "javascript:alert(1)//", "x", "javascript:alert(1)//x" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		buf_clear(&b);
		url_resolve(cases[i].base, cases[i].ref,
			    strlen(cases[i].ref), &b);
		assert_string_equal(b.ptr, cases[i].want);
	}
	buf_release(&b);
}

/* Ways to write javascript: (and friends) that a browser still runs:
 * OWASP XSS filter evasion cheat sheet, PortSwigger's XSS cheat sheet.
 * Lengths are explicit: some vectors hold a NUL. */
#define V(s) { s, sizeof(s) - 1 }
static const struct {
	const char *s;
	size_t len;
} unsafe_links[] = {
	V("javascript:alert(1)"),
	V("JaVaScRiPt:alert(1)"),
	V("JAVASCRIPT:alert(1)"),
	V(" javascript:alert(1)"),
	V("\x01\x02\x03javascript:alert(1)"),
	V("\x00javascript:alert(1)"),
	V(" \x00 javascript:alert(1)\x00"),
	V("java\tscript:alert(1)"),
	V("java\nscript:alert(1)"),
	V("java\rscript:alert(1)"),
	V("jav\t\n\rascript:alert(1)"),
	V("\tjavascript:alert(1)"),
	V("\njavascript:alert(1)\n"),
	V("javascript\t:alert(1)"),
	V("javascript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//"),
	V("javascript://%0aalert(1)"),
	V("javascript://comment%0Aalert(1)"),
	V("vbscript:msgbox(1)"),
	V("VBScript:msgbox(1)"),
	V("livescript:alert(1)"),
	V("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
	V("DATA:text/html,<script>alert(1)</script>"),
	V("data:image/svg+xml,<svg onload=alert(1)>"),
	V("file:///etc/passwd"),
	V("jar:http://ex.org/x.jar!/"),
	V("mocha:alert(1)"),
	V("\x0bjavascript:alert(1)"),
	V("\x0cjavascript:alert(1)"),
	V("\x1fjavascript:alert(1)\x1f"),
};

static void
test_url_filter_blocks_obfuscated_javascript(void **state)
{
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(unsafe_links); i++) {
		buf_clear(&b);
		url_filter_link(unsafe_links[i].s, unsafe_links[i].len, &b);
		if (strcmp(b.ptr, "#") != 0)
			fail_msg("vector %zu '%s' passed: '%s'", i,
				 unsafe_links[i].s, b.ptr);
		assert_false(url_is_safe_link(unsafe_links[i].s,
					      unsafe_links[i].len));
	}
	buf_release(&b);
}

static void
test_url_filter_keeps_http_mailto_and_relative(void **state)
{
	static const char *const safe[] = {
		"http://ex.org/", "HTTPS://ex.org/a?b#c", "mailto:a@ex.org",
		"/path", "page.html", "?q=1", "#top", "//ex.org/x", "",
		"java script:x", "javascript&colon;alert(1)",
		"\xc5\xbfjavascript:x",
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(safe); i++) {
		buf_clear(&b);
		url_filter_link(safe[i], strlen(safe[i]), &b);
		assert_string_equal(b.ptr, safe[i]);
		assert_true(url_is_safe_link(safe[i], strlen(safe[i])));
	}
	buf_release(&b);
}

static void
test_url_normalize_makes_duplicates_equal(void **state)
{
	static const struct pair cases[] = {
		{ "HTTP://Example.ORG:80/a/b?x=1#frag",
		  "http://example.org/a/b?x=1" },
		{ "https://ex.org:443", "https://ex.org/" },
		{ "https://ex.org:8443/", "https://ex.org:8443/" },
		{ "http://ex.org:443/", "http://ex.org:443/" },
		{ "http://ex.org:/", "http://ex.org/" },
		{ "https://ex.org/p?utm_source=rss&id=3&utm_medium=feed"
		  "&fbclid=abc&b=2&gclid=x&UTM_campaign=y",
		  "https://ex.org/p?id=3&b=2" },
		{ "https://ex.org/p?utm_source=rss", "https://ex.org/p" },
		{ "https://ex.org/p?", "https://ex.org/p" },
		{ "https://ex.org/a/./b/../c", "https://ex.org/a/c" },
		{ "https://User@EX.org/", "https://User@ex.org/" },
		{ "http://[::1]:80/x", "http://[::1]/x" },
		{ " https://ex.org/a\tb ", "https://ex.org/ab" },
		{ "https://ex.org/?utm=1&utmost=2", "https://ex.org/?utm=1"
		  "&utmost=2" },
	};
	static const char *const refused[] = {
		"ftp://ex.org/", "/relative", "mailto:a@b", "https:x",
		"https:///x", "javascript:alert(1)", "",
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		buf_clear(&b);
		assert_int_equal(url_normalize(cases[i].in,
					       strlen(cases[i].in), &b), 0);
		assert_string_equal(b.ptr, cases[i].want);
	}
	for (i = 0; i < COUNT(refused); i++) {
		buf_clear(&b);
		buf_adds(&b, "kept");
		assert_int_equal(url_normalize(refused[i],
					       strlen(refused[i]), &b), -1);
		assert_string_equal(b.ptr, "kept");
	}
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		 test_url_clean_strips_controls_and_removes_tabs_and_newlines),
		cmocka_unit_test(
			test_url_scheme_reads_the_scheme_case_insensitively),
		cmocka_unit_test(test_url_resolve_follows_rfc3986_examples),
		cmocka_unit_test(
			test_url_resolve_handles_other_bases_and_dirty_input),
		cmocka_unit_test(test_url_filter_blocks_obfuscated_javascript),
		cmocka_unit_test(
			test_url_filter_keeps_http_mailto_and_relative),
		cmocka_unit_test(test_url_normalize_makes_duplicates_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
