#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/report.h"
#include "core/yaml.h"
#include "core/yaml_quote.h"

static void
assert_quoted(const char *s, size_t len, const char *want)
{
	struct buf out = BUF_INIT;

	yaml_quote(s, len, &out);
	assert_string_equal(out.ptr, want);
	buf_release(&out);
}

/* "title: QUOTED" read back by our YAML reader gives want. */
static void
assert_round_trip(const char *s, size_t len, const char *want)
{
	struct buf doc = BUF_INIT;
	struct yaml_doc yaml;
	struct report rep;
	const struct yaml_node *title;

	report_init_collect(&rep);
	buf_adds(&doc, "title: ");
	yaml_quote(s, len, &doc);
	buf_adds(&doc, "\nkind: article\n");
	assert_int_equal(yaml_parse(&rep, "t.md", 2, doc.ptr, doc.len, &yaml),
			 0);
	title = yaml_get(yaml.root, "title");
	assert_non_null(title);
	assert_int_equal(title->len, strlen(want));
	assert_memory_equal(title->text, want, title->len);
	assert_string_equal(yaml_get(yaml.root, "kind")->text, "article");
	yaml_doc_release(&yaml);
	report_release(&rep);
	buf_release(&doc);
}

static void
test_yaml_quote_escapes_quotes_backslashes_and_controls(void **state)
{
	(void)state;
	assert_quoted("", 0, "\"\"");
	assert_quoted("Akira", 5, "\"Akira\"");
	assert_quoted("\"a\\b\"", 5, "\"\\\"a\\\\b\\\"\"");
	assert_quoted("a\tb\nc\rd\x01\x7f", 9, "\"a\\tb\\nc\\rd\\x01\\x7F\"");
	assert_quoted("\xc2\x85 \xe2\x80\xa8 \xef\xbb\xbf", 10,
		      "\"\\x85 \\u2028 \\uFEFF\"");
	assert_quoted("caf\xc3\xa9 \xff", 7, "\"caf\xc3\xa9 \xef\xbf\xbd\"");
}

static void
test_yaml_quote_reads_back_as_the_same_text(void **state)
{
	static const char *const texts[] = {
		"\"Dandadan\" : tome 9 # fou",
		"key: value, [list], {map}, &anchor *alias !tag",
		"- a dash | pipe > fold % percent @ at ` tick",
		"yes",
		"null",
		"~",
		"2026-11-24",
		"  spaces around  ",
		"L'Attaque des Titans — tome 1 « édition » 進撃の巨人",
		"line one\nline two\ttab \\ backslash",
		"---",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_round_trip(texts[i], strlen(texts[i]), texts[i]);
	assert_round_trip("bad \xc3 utf-8", 11, "bad \xef\xbf\xbd utf-8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_yaml_quote_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(test_yaml_quote_reads_back_as_the_same_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
