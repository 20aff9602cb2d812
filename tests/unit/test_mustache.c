#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/report.h"
#include "core/url.h"
#include "render/render.h"

/* The specification's modules, as fixtures (tests/fixtures/mustache). */
static const char *const spec_modules[] = {
	"comments", "delimiters", "interpolation", "inverted",
	"partials", "sections",	  "inheritance",
};

/* Partials from a JSON object {"name": "source"}. */
static int
load_from_object(void *data, struct report *rep, const char *name,
		 struct buf *path, struct buf *text)
{
	const json_t *partials = data;
	const json_t *src = json_object_get(partials, name);

	(void)rep;
	if (!json_is_string(src))
		return 1;
	buf_addf(path, "%s.mustache", name);
	buf_add(text, json_string_value(src), json_string_length(src));
	return 0;
}

static json_t *
load_fixture(const char *module)
{
	const char *top = getenv("TOP");
	struct buf path = BUF_INIT;
	json_error_t error;
	json_t *doc;

	if (top)
		buf_addf(&path, "%s/", top);
	buf_addf(&path, "tests/fixtures/mustache/%s.json", module);
	doc = json_load_file(path.ptr, 0, &error);
	if (!doc)
		fail_msg("%s:%d: %s", path.ptr, error.line, error.text);
	buf_release(&path);
	return doc;
}

/* Renders src over data with opts; returns the output (caller frees) or
 * NULL, with the messages in rep->collected. */
static char *
render_with(struct report *rep, const struct tmpl_options *opts,
	    const char *src, const char *data_json)
{
	json_t *data = data_json ? json_loads(data_json, JSON_DECODE_ANY, NULL)
				 : NULL;
	struct tmpl_set *set = tmpl_set_new(rep, opts);
	const struct tmpl *t;
	struct buf out = BUF_INIT;
	char *result = NULL;

	if (data_json)
		assert_non_null(data);
	t = tmpl_compile(set, "test", "t.mustache", src, strlen(src));
	if (t && tmpl_render(t, data, &out) == 0)
		result = buf_detach(&out, NULL);
	buf_release(&out);
	tmpl_set_free(set);
	json_decref(data);
	return result;
}

static void
test_mustache_passes_every_spec_case(void **state)
{
	size_t m, i, total = 0, failed = 0, passed;
	struct report rep;
	const char *name;
	json_t *doc, *c;

	(void)state;
	for (m = 0; m < sizeof(spec_modules) / sizeof(*spec_modules); m++) {
		doc = load_fixture(spec_modules[m]);
		passed = 0;
		json_array_foreach(json_object_get(doc, "tests"), i, c)
		{
			struct tmpl_options opts = { 0 };
			struct tmpl_set *set;
			const struct tmpl *t;
			struct buf out = BUF_INIT;
			const char *src, *want;

			src = json_string_value(json_object_get(c, "template"));
			want = json_string_value(
				json_object_get(c, "expected"));

			name = json_string_value(json_object_get(c, "name"));
			report_init_collect(&rep);
			opts.load = load_from_object;
			opts.load_data = json_object_get(c, "partials");
			set = tmpl_set_new(&rep, &opts);
			t = tmpl_compile(set, "test", NULL, src, strlen(src));
			if (t && tmpl_render(t, json_object_get(c, "data"),
					     &out) == 0 &&
			    strcmp(out.ptr, want) == 0) {
				passed++;
			} else {
				print_message("FAIL %s: %s\n  want: %s\n"
					      "  got:  %s\n  %s",
					      spec_modules[m], name, want,
					      out.ptr, rep.collected.ptr);
				failed++;
			}
			total++;
			buf_release(&out);
			tmpl_set_free(set);
			report_release(&rep);
		}
		print_message("%s: %zu/%zu spec cases pass\n", spec_modules[m],
			      passed,
			      json_array_size(json_object_get(doc, "tests")));
		json_decref(doc);
	}
	assert_int_equal(total, 163);
	assert_int_equal(failed, 0);
}

/* Compiles src and returns what was reported. */
static void
assert_compile_error(const struct tmpl_options *opts, const char *src,
		     const char *want)
{
	struct report rep;
	char *out;

	report_init_collect(&rep);
	out = render_with(&rep, opts, src, "{}");
	assert_null(out);
	assert_string_equal(rep.collected.ptr, want);
	report_release(&rep);
}

static void
test_mustache_reports_syntax_errors_with_file_and_line(void **state)
{
	struct tmpl_options spec = { 0 };

	(void)state;
	assert_compile_error(&spec, "<ul>\n{{#items}}\n<li>{{.}}</li>\n",
			     "error: t.mustache:2: unclosed section \"items\"\n"
			     "hint: add {{/items}} where it ends\n");
	assert_compile_error(&spec, "a\nb {{/items}}\n",
			     "error: t.mustache:2: unexpected closing tag "
			     "\"items\"\n"
			     "hint: no section is open here\n");
	assert_compile_error(&spec, "{{#a}}\n{{^b}}\n{{/a}}\n",
			     "error: t.mustache:3: closing tag \"a\" does not "
			     "match inverted section \"b\" opened on line 2\n"
			     "hint: close \"b\" first\n");
	assert_compile_error(&spec, "x\n{{=<% =}}\n",
			     "error: t.mustache:2: bad delimiter change "
			     "\"=<% =\"\n"
			     "hint: write {{=<% %>=}}: two delimiters without "
			     "'=' or spaces in them, between '=' signs\n");
	assert_compile_error(&spec, "one\ntwo {{name\n",
			     "error: t.mustache:2: unclosed tag \"{{name\"\n"
			     "hint: close it with \"}}\"\n");
	assert_compile_error(&spec, "{{a b}}",
			     "error: t.mustache:1: bad tag name \"a b\"\n"
			     "hint: a name is a word or dotted words "
			     "(item.title), without spaces\n");
	assert_compile_error(&spec, "{{<layout}}\n{{$a}}\n",
			     "error: t.mustache:2: unclosed block \"a\"\n"
			     "hint: add {{/a}} where it ends\n");
}

static void
test_mustache_missing_partial_empty_or_theme_error(void **state)
{
	struct tmpl_options spec = { 0 }, theme = { .is_theme = true };
	struct report rep;
	char *out;

	(void)state;
	report_init_collect(&rep);
	out = render_with(&rep, &spec, "[{{>nav}}]", NULL);
	assert_string_equal(out, "[]");
	assert_string_equal(rep.collected.ptr,
			    "warning: t.mustache:1: unknown partial \"nav\" "
			    "(renders as nothing)\n");
	free(out);
	report_release(&rep);
	assert_compile_error(&theme, "<p>\n{{> nav }}</p>",
			     "error: t.mustache:2: unknown partial \"nav\"\n");
}

static void
test_mustache_bounds_recursive_partials(void **state)
{
	struct tmpl_options opts = { .max_depth = 8 };
	json_t *partials = json_pack("{s:s}", "loop", "x{{>loop}}");
	struct report rep;
	char *out;

	(void)state;
	opts.load = load_from_object;
	opts.load_data = partials;
	report_init_collect(&rep);
	out = render_with(&rep, &opts, "{{>loop}}", NULL);
	assert_null(out);
	assert_string_equal(rep.collected.ptr,
			    "error: loop.mustache:1: templates nested deeper "
			    "than 8 levels at \"loop\"\n"
			    "hint: a partial, parent or block includes itself "
			    "and the data never ends the recursion\n");
	report_release(&rep);
	json_decref(partials);
}

static void
test_mustache_compiles_once_and_renders_many_times(void **state)
{
	struct report rep;
	struct tmpl_set *set;
	const struct tmpl *t;
	struct buf out = BUF_INIT;
	json_t *a = json_pack("{s:s}", "x", "one"),
	       *b = json_pack("{s:[i,i]}", "x", 1, 2);
	const char src[] = "{{#x}}<{{.}}>{{/x}}";

	(void)state;
	report_init_collect(&rep);
	set = tmpl_set_new(&rep, NULL);
	t = tmpl_compile(set, "t", NULL, src, sizeof(src) - 1);
	assert_non_null(t);
	assert_int_equal(tmpl_render(t, a, &out), 0);
	assert_int_equal(tmpl_render(t, b, &out), 0);
	assert_int_equal(tmpl_render(t, a, &out), 0);
	assert_string_equal(out.ptr, "<one><1><2><one>");
	buf_release(&out);
	tmpl_set_free(set);
	report_release(&rep);
	json_decref(a);
	json_decref(b);
}

static void
test_mustache_escapes_single_quotes_and_falsey_values(void **state)
{
	struct tmpl_options spec = { 0 };
	struct report rep;
	char *out;

	(void)state;
	report_init_collect(&rep);
	out = render_with(&rep, &spec,
			  "{{x}}|{{#e}}E{{/e}}{{#z}}Z{{/z}}{{^e}}no e{{/e}}|"
			  "{{t}} {{f}} {{big}} {{neg}} {{obj}}",
			  "{\"x\": \"l'a <b>\", \"e\": \"\", \"z\": 0, "
			  "\"t\": true, \"f\": false, \"big\": 1e21, "
			  "\"neg\": -0.5, \"obj\": {\"a\": 1}}");
	assert_string_equal(out, "l&#39;a &lt;b&gt;|no e|true false 1e+21 "
				 "-0.5 ");
	free(out);
	report_release(&rep);
}

/* url.c may still be the placeholder that turns every URL into "#". */
static bool
has_real_url_filter(void)
{
	return url_is_safe_link("https://example.org/",
				strlen("https://example.org/"));
}

static void
test_mustache_filters_urls_by_context(void **state)
{
	struct tmpl_options html = { .is_html = true };
	struct report rep;
	char *out;

	(void)state;
	report_init_collect(&rep);
	out = render_with(&rep, &html,
			  "<a href=\"{{u}}\" title=\"{{u}}\">{{u}}</a>"
			  "<img src='{{u}}' srcset=\"{{s}}\">"
			  "<form action=\"{{u}}\"><a href=\"/t/{{u}}\">",
			  "{\"u\": \"javascript:alert('x')\", "
			  "\"s\": \"javascript:a 1x, javascript:b 2x\"}");
	assert_string_equal(out,
			    "<a href=\"#\" title=\"javascript:alert("
			    "&#39;x&#39;)\">javascript:alert(&#39;x&#39;)</a>"
			    "<img src='#' srcset=\"# 1x, # 2x\">"
			    "<form action=\"#\"><a href=\"/t/javascript:alert("
			    "&#39;x&#39;)\">");
	free(out);
	out = render_with(&rep, &html,
			  "<meta http-equiv=\"refresh\" content=\"0; "
			  "url={{u}}\">",
			  "{\"u\": \"javascript:alert(1)\"}");
	assert_string_equal(out, "<meta http-equiv=\"refresh\" content=\"0; "
				 "url=#\">");
	free(out);
	/* Spec mode knows nothing of HTML. */
	out = render_with(&rep, &(struct tmpl_options){ 0 },
			  "<a href=\"{{u}}\">", "{\"u\": \"javascript:x\"}");
	assert_string_equal(out, "<a href=\"javascript:x\">");
	free(out);
	assert_string_equal(rep.collected.ptr, "");
	report_release(&rep);
}

/* NEEDS the real core/url.c (url_filter_link per url.h): with the
 * placeholder every URL becomes "#", and this test is skipped. */
static void
test_mustache_keeps_safe_urls_needs_url_c(void **state)
{
	struct tmpl_options html = { .is_html = true };
	struct report rep;
	char *out;

	(void)state;
	if (!has_real_url_filter()) {
		print_message("SKIP: core/url.c is still the placeholder; this "
			      "test passes once url_filter_link() keeps "
			      "http(s), mailto and relative URLs\n");
		skip();
	}
	report_init_collect(&rep);
	out = render_with(&rep, &html,
			  "<a href=\"{{a}}\"><a href=\"{{b}}\">"
			  "<a href=\"{{c}}\">"
			  "<img srcset=\"{{s}}\">",
			  "{\"a\": \"https://example.org/?q=1&r=2\", "
			  "\"b\": \"mailto:x@example.org\", \"c\": \"../up\", "
			  "\"s\": \"a.jpg 1x, https://e.org/b.jpg 2x\"}");
	assert_string_equal(out, "<a href=\"https://example.org/?q=1&amp;r=2\">"
				 "<a href=\"mailto:x@example.org\">"
				 "<a href=\"../up\">"
				 "<img srcset=\"a.jpg 1x, https://e.org/b.jpg "
				 "2x\">");
	free(out);
	report_release(&rep);
}

static void
test_mustache_escapes_unquoted_attributes_in_html_mode(void **state)
{
	struct tmpl_options html = { .is_html = true };
	struct report rep;
	char *out;

	(void)state;
	report_init_collect(&rep);
	out = render_with(&rep, &html, "<p class={{c}} {{a}}>{{c}}</p>",
			  "{\"c\": \"x onclick=alert(1)\", \"a\": \"b=`c`\"}");
	assert_string_equal(out, "<p class=x&#32;onclick&#61;alert(1) "
				 "b&#61;&#96;c&#96;>x onclick=alert(1)</p>");
	free(out);
	report_release(&rep);
}

static void
test_mustache_theme_rejects_unsafe_places(void **state)
{
	struct tmpl_options theme = { .is_theme = true };

	(void)state;
	assert_compile_error(
		&theme,
		"<p>ok {{x}}</p>\n<script>var a = \"{{x}}\";</script>\n"
		"<style>p { color: {{c}} }</style>\n"
		"<a onclick=\"go('{{x}}')\" style=\"top: {{y}}\">\n"
		"<a class={{x}}>\n<a {{x}}>\n"
		"<div>{{{body}}} {{& raw}} {{{item.content_html}}}</div>\n"
		"<a title=\"{{{note_html}}}\" href=\"java{{x}}\">\n"
		"<a href=\"{{a}}{{b}}\"><a href=\"/{{a}}{{b}}\">\n"
		"<b>{{.}}</b>\n",
		"error: t.mustache:2: tag \"x\" inside <script> or <style>\n"
		"hint: put the value in a data- attribute and read it from a "
		"script file\n"
		"error: t.mustache:3: tag \"c\" inside <script> or <style>\n"
		"hint: put the value in a data- attribute and read it from a "
		"script file\n"
		"error: t.mustache:4: tag \"x\" inside an event handler "
		"attribute\n"
		"hint: use a class and a script or style sheet file instead\n"
		"error: t.mustache:4: tag \"y\" inside a style attribute\n"
		"hint: use a class and a script or style sheet file instead\n"
		"error: t.mustache:5: tag \"x\" in an unquoted attribute "
		"value\n"
		"hint: quote the attribute value: name=\"{{value}}\"\n"
		"error: t.mustache:6: tag \"x\" inside a tag, outside any "
		"attribute value\n"
		"hint: write it inside a quoted attribute value: "
		"name=\"{{value}}\"\n"
		"error: t.mustache:7: tag \"body\" is printed unescaped but is "
		"not sanitized HTML\n"
		"hint: write {{name}}; only fields whose name ends in _html "
		"hold sanitized HTML\n"
		"error: t.mustache:7: tag \"raw\" is printed unescaped but is "
		"not sanitized HTML\n"
		"hint: write {{name}}; only fields whose name ends in _html "
		"hold sanitized HTML\n"
		"error: t.mustache:8: tag \"note_html\" is unescaped in an "
		"attribute\n"
		"hint: write {{name}} in attribute values\n"
		"error: t.mustache:8: tag \"x\" could still choose the URL's "
		"scheme\n"
		"hint: start the URL with the tag, or put a literal '/', '?', "
		"'#' or 'https:' before it\n"
		"error: t.mustache:9: tag \"b\" could still choose the URL's "
		"scheme\n"
		"hint: start the URL with the tag, or put a literal '/', '?', "
		"'#' or 'https:' before it\n");
}

/* Fuzzing found these: a literal ':' after a value completed a scheme the
 * value chose (x = "javascript"); the '#' of "&#9;" counted as a literal
 * '#' that fixes the scheme; "<!-->" was taken for an unclosed comment. */
static void
test_mustache_theme_refuses_schemes_completed_by_text(void **state)
{
	struct tmpl_options theme = { .is_theme = true };

	(void)state;
	assert_compile_error(
		&theme,
		"<a href=\"{{x}}:alert(1)\">\n"
		"<a href=\"&#9;{{u}}\">\n"
		"<a href=\"{{x}}&#58;alert(1)\"><a href=\"{{x}}&colon;a\">\n"
		"<img src=\"{{x}}:a\" alt=\"{{x}}:a\">\n"
		"<!--><a {{x}}><!-- a --!><a {{y}}>\n",
		"error: t.mustache:1: literal ':' after a tag completes a URL "
		"scheme the value chose\n"
		"hint: put a literal '/', '?' or '#' between the tag and the "
		"':'\n"
		"error: t.mustache:2: tag \"u\" could still choose the URL's "
		"scheme\n"
		"hint: start the URL with the tag, or put a literal '/', '?', "
		"'#' or 'https:' before it\n"
		"error: t.mustache:3: literal ':' after a tag completes a URL "
		"scheme the value chose\n"
		"hint: put a literal '/', '?' or '#' between the tag and the "
		"':'\n"
		"error: t.mustache:3: literal ':' after a tag completes a URL "
		"scheme the value chose\n"
		"hint: put a literal '/', '?' or '#' between the tag and the "
		"':'\n"
		"error: t.mustache:4: literal ':' after a tag completes a URL "
		"scheme the value chose\n"
		"hint: put a literal '/', '?' or '#' between the tag and the "
		"':'\n"
		"error: t.mustache:5: tag \"x\" inside a tag, outside any "
		"attribute value\n"
		"hint: write it inside a quoted attribute value: "
		"name=\"{{value}}\"\n"
		"error: t.mustache:5: tag \"y\" inside a tag, outside any "
		"attribute value\n"
		"hint: write it inside a quoted attribute value: "
		"name=\"{{value}}\"\n");
}

static void
test_mustache_theme_accepts_colons_after_a_fixed_scheme(void **state)
{
	struct tmpl_options theme = { .is_theme = true };
	struct report rep;
	char *out;

	(void)state;
	report_init_collect(&rep);
	out = render_with(&rep, &theme,
			  "<a href=\"/{{x}}:a\"><a href=\"{{x}}/b:c\">"
			  "<a href=\"?q={{x}}&amp;r=1:2\">"
			  "<a href=\"{{x}}?a&amp;b:c\" title=\"{{x}}:d\">",
			  "{\"x\": \"javascript\"}");
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(out, "<a href=\"/javascript:a\">"
				 "<a href=\"javascript/b:c\">"
				 "<a href=\"?q=javascript&amp;r=1:2\">"
				 "<a href=\"javascript?a&amp;b:c\" "
				 "title=\"javascript:d\">");
	free(out);
	report_release(&rep);
}

/* Found by fuzz_template: in srcset, a comma in the value starts a new
 * candidate, so a literal prefix does not fix the later ones' scheme. */
static void
test_mustache_theme_filters_srcset_candidates_after_a_prefix(void **state)
{
	struct tmpl_options theme = { .is_theme = true };
	struct report rep;
	char *out;

	(void)state;
	report_init_collect(&rep);
	out = render_with(&rep, &theme,
			  "<img srcset=\":{{ss}}\"><img srcset=\"/i/{{ss}}\">",
			  "{\"ss\": \"ok.jpg 1x, javascript:alert(1) 2x\"}");
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(out, "<img srcset=\":ok.jpg 1x, # 2x\">"
				 "<img srcset=\"/i/ok.jpg 1x, # 2x\">");
	free(out);
	report_release(&rep);
}

/* Found by fuzz_template: a partial placed inside a comment ("<!{{>p}}>")
 * can end the comment with its own markup, and what follows would be
 * compiled as text although the browser reads it as a tag. */
static void
test_mustache_theme_refuses_partials_in_comments(void **state)
{
	struct tmpl_options theme = { .is_theme = true };
	json_t *partials = json_pack("{s:s}", "p",
				     "x'><img srcset=\"{{ss}}\">");
	struct report rep;
	struct tmpl_set *set;

	(void)state;
	theme.load = load_from_object;
	theme.load_data = partials;
	report_init_collect(&rep);
	set = tmpl_set_new(&rep, &theme);
	assert_null(tmpl_compile(set, "a", "a.mustache", "<!{{>p}}>", 9));
	assert_null(tmpl_compile(set, "b", "b.mustache", "<!-- {{>p}} -->",
				 15));
	assert_non_null(strstr(rep.collected.ptr,
			       "a.mustache:1: partial \"p\" is not in text content"));
	assert_non_null(strstr(rep.collected.ptr,
			       "b.mustache:1: partial \"p\" is not in text content"));
	tmpl_set_free(set);
	json_decref(partials);
	report_release(&rep);
}

/* Found by fuzz_template: a partial that ends inside an attribute value
 * leaves the next partial's markup in a context the engine did not see. */
static void
test_mustache_theme_refuses_templates_ending_inside_a_tag(void **state)
{
	struct tmpl_options theme = { .is_theme = true };
	json_t *partials = json_pack("{s:s}", "p", "<n o='href={{d}}");
	struct report rep;
	struct tmpl_set *set;

	(void)state;
	theme.load = load_from_object;
	theme.load_data = partials;
	report_init_collect(&rep);
	set = tmpl_set_new(&rep, &theme);
	assert_null(tmpl_compile(set, "a", "a.mustache", "{{>p}}{{>p}}>", 13));
	assert_non_null(strstr(rep.collected.ptr,
			       ":1: the template ends inside a tag, an "
			       "attribute value, a comment or a <script> or "
			       "<style>"));
	tmpl_set_free(set);
	json_decref(partials);
	report_release(&rep);
}

/* Found by fuzz_template: what a section hides must not change how the
 * rest of the markup reads ("<{{#p}}>{{/p}}g src={{d}}>" is a tag when p
 * is false). Conditional attributes between attributes stay allowed. */
static void
test_mustache_theme_refuses_sections_that_change_the_markup(void **state)
{
	struct tmpl_options theme = { .is_theme = true };
	struct report rep;
	struct tmpl_set *set;
	char *out;

	(void)state;
	report_init_collect(&rep);
	set = tmpl_set_new(&rep, &theme);
	assert_null(tmpl_compile(set, "a", "a.mustache",
				 "<{{#p}}>{{/p}}g src={{d}}>", 26));
	assert_null(tmpl_compile(set, "b", "b.mustache",
				 "{{#p}}<a title=\"{{/p}}\">", 23));
	assert_non_null(strstr(rep.collected.ptr, "a.mustache:1: tag \"p\" "
			       "opens a section inside a tag or attribute "
			       "name"));
	assert_non_null(strstr(rep.collected.ptr, "b.mustache:1: tag \"p\" "
			       "closes a section in another part of the "
			       "markup than it opened"));
	tmpl_set_free(set);
	report_release(&rep);
	report_init_collect(&rep);
	out = render_with(&rep, &theme,
			  "<a href=\"/\" {{#c}}aria-current=\"page\"{{/c}}>"
			  "<p title=\"{{#c}}x{{/c}}\">{{#c}}<b>y</b>{{/c}}",
			  "{\"c\": true}");
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(out, "<a href=\"/\" aria-current=\"page\">"
				 "<p title=\"x\"><b>y</b>");
	free(out);
	report_release(&rep);
}

static void
test_mustache_theme_accepts_a_safe_layout(void **state)
{
	struct tmpl_options theme = { .is_theme = true };
	json_t *partials = json_pack(
		"{s:s, s:s}", "layout",
		"<!doctype html>\n<html lang=\"{{lang}}\">\n<head>\n"
		"  <title>{{$title}}{{site}}{{/title}}</title>\n"
		"  <script src=\"/search.js\"></script>\n"
		"  <style>p { margin: 0 }</style>\n"
		"</head>\n<body>\n  <main>\n    {{$main}}\n    {{/main}}\n"
		"  </main>\n</body>\n</html>\n",
		"item", "<li><a href=\"{{url}}\">{{title}}</a></li>\n");
	struct report rep;
	char *out;

	(void)state;
	theme.load = load_from_object;
	theme.load_data = partials;
	report_init_collect(&rep);
	out = render_with(
		&rep, &theme,
		"{{<layout}}\n{{$title}}{{topic}} – {{site}}{{/title}}\n"
		"{{$main}}\n<h1>{{topic}}</h1>\n<ul>\n{{#items}}\n"
		"  {{>item}}\n{{/items}}\n</ul>\n{{{intro_html}}}\n"
		"{{/main}}\n{{/layout}}\n",
		"{\"lang\": \"fr\", \"site\": \"Médiathèque\", \"topic\": "
		"\"Manga\", \"intro_html\": \"<p>Nos <em>coups</em></p>\", "
		"\"items\": [{\"url\": \"javascript:evil()\", \"title\": "
		"\"<Naruto>\"}]}");
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(
		out, "<!doctype html>\n<html lang=\"fr\">\n<head>\n"
		     "  <title>Manga – Médiathèque</title>\n"
		     "  <script src=\"/search.js\"></script>\n"
		     "  <style>p { margin: 0 }</style>\n"
		     "</head>\n<body>\n  <main>\n    <h1>Manga</h1>\n"
		     "    <ul>\n"
		     "      <li><a href=\"#\">&lt;Naruto&gt;</a></li>\n"
		     "    </ul>\n    <p>Nos <em>coups</em></p>\n  </main>\n"
		     "</body>\n</html>\n");
	free(out);
	report_release(&rep);
	json_decref(partials);
}

static void
test_mustache_names_html_fields(void **state)
{
	(void)state;
	assert_true(tmpl_name_is_html("content_html", 12));
	assert_true(tmpl_name_is_html("item.note_html", 14));
	assert_false(tmpl_name_is_html("_html", 5));
	assert_false(tmpl_name_is_html("content_html.title", 18));
	assert_false(tmpl_name_is_html("html", 4));
	assert_false(tmpl_name_is_html(".", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mustache_passes_every_spec_case),
		cmocka_unit_test(
			test_mustache_reports_syntax_errors_with_file_and_line),
		cmocka_unit_test(
			test_mustache_missing_partial_empty_or_theme_error),
		cmocka_unit_test(test_mustache_bounds_recursive_partials),
		cmocka_unit_test(
			test_mustache_compiles_once_and_renders_many_times),
		cmocka_unit_test(
			test_mustache_escapes_single_quotes_and_falsey_values),
		cmocka_unit_test(test_mustache_filters_urls_by_context),
		cmocka_unit_test(test_mustache_keeps_safe_urls_needs_url_c),
		cmocka_unit_test(
			test_mustache_escapes_unquoted_attributes_in_html_mode),
		cmocka_unit_test(test_mustache_theme_rejects_unsafe_places),
		cmocka_unit_test(
			test_mustache_theme_refuses_schemes_completed_by_text),
		cmocka_unit_test(
			test_mustache_theme_accepts_colons_after_a_fixed_scheme),
		cmocka_unit_test(
			test_mustache_theme_filters_srcset_candidates_after_a_prefix),
		cmocka_unit_test(test_mustache_theme_refuses_partials_in_comments),
		cmocka_unit_test(
			test_mustache_theme_refuses_templates_ending_inside_a_tag),
		cmocka_unit_test(
			test_mustache_theme_refuses_sections_that_change_the_markup),
		cmocka_unit_test(test_mustache_theme_accepts_a_safe_layout),
		cmocka_unit_test(test_mustache_names_html_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
