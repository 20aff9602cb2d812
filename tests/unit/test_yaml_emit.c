/*
 * yaml_emit: what curator writes into content files reads back as the
 * same text, whatever the text holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/report.h"
#include "core/yaml.h"

/* s is a string literal: its length is its size less the NUL. */
#define assert_emits(s, want) assert_emits_len(s, sizeof(s) - 1, want)

static void
assert_emits_len(const char *s, size_t len, const char *want)
{
	struct buf out = BUF_INIT;

	yaml_emit_string(s, len, &out);
	assert_string_equal(out.ptr, want);
	buf_release(&out);
}

static void
test_yaml_emit_escapes_quotes_backslashes_and_controls(void **state)
{
	(void)state;
	assert_emits("plain", "\"plain\"");
	assert_emits("", "\"\"");
	assert_emits("say \"hi\" \\ ok", "\"say \\\"hi\\\" \\\\ ok\"");
	assert_emits("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	assert_emits("nul\0bell\a del\x7f", "\"nul\\x00bell\\x07 del\\x7F\"");
	assert_emits("\xc2\x85 \xe2\x80\xa8 \xe2\x80\xa9 \xef\xbb\xbf",
		     "\"\\x85 \\L \\P \\uFEFF\"");
	assert_emits("coup de c\xc5\x93ur \xe2\x80\x94 \xe6\xbc\xab",
		     "\"coup de c\xc5\x93ur \xe2\x80\x94 \xe6\xbc\xab\"");
	/* Invalid UTF-8 is repaired, not copied. */
	assert_emits("bad \xff end", "\"bad \xef\xbf\xbd end\"");
}

/* Every value written by yaml_emit_pair reads back unchanged. */
static void
test_yaml_emit_round_trips_hostile_values(void **state)
{
	static const char *const values[] = {
		"---",
		"...",
		"# not a comment",
		"key: value",
		"- item",
		"[a, b]",
		"{a: 1}",
		"&anchor *alias !tag",
		"yes",
		"null",
		"~",
		"0x1F",
		"  leading and trailing  ",
		"line one\nline two\n---\nkey: injected",
		"'single' \"double\" `back`",
		"%YAML 1.2",
		"@at | pipe > fold",
		"tab\there",
	};
	struct buf doc = BUF_INIT;
	struct yaml_doc parsed;
	struct report rep;
	const char *got;
	size_t i;

	(void)state;
	report_init_collect(&rep);
	for (i = 0; i < sizeof(values) / sizeof(*values); i++) {
		buf_clear(&doc);
		yaml_emit_pair("title", values[i], 0, &doc);
		yaml_emit_list("tags", &values[i], 1, 0, &doc);
		assert_int_equal(yaml_parse(&rep, "t.yaml", 1, doc.ptr, doc.len,
					    &parsed),
				 0);
		assert_int_equal(parsed.root->kind, YAML_MAPPING);
		assert_int_equal(parsed.root->count, 2);
		assert_int_equal(yaml_get_string(&rep,
						 yaml_get(parsed.root, "title"),
						 "title", &got),
				 0);
		assert_string_equal(got, values[i]);
		assert_string_equal(
			yaml_get(parsed.root, "tags")->children[0]->text,
			values[i]);
		yaml_doc_release(&parsed);
	}
	assert_string_equal(rep.collected.ptr, "");
	report_release(&rep);
	buf_release(&doc);
}

/* A document read and written again keeps its structure: nested
 * mappings, lists of mappings, flow lists, empty collections, nulls. */
static void
test_yaml_emit_rewrites_a_tree(void **state)
{
	static const char src[] =
		"title: Jazz\n"
		"empty:\n"
		"topics: [musique, 'jazz']\n"
		"none: []\n"
		"entries:\n"
		"  - title: Kind of Blue\n"
		"    year: 1959\n"
		"    tags: [a]\n"
		"  - link: links/a.md\n"
		"  - plain\n"
		"  - - nested\n"
		"    - list\n"
		"  - {}\n"
		"map:\n"
		"  key: value\n"
		"  \"odd key\": x\n";
	static const char want[] =
		"title: \"Jazz\"\n"
		"empty:\n"
		"topics: [\"musique\", \"jazz\"]\n"
		"none: []\n"
		"entries:\n"
		"  - title: \"Kind of Blue\"\n"
		"    year: \"1959\"\n"
		"    tags: [\"a\"]\n"
		"  - link: \"links/a.md\"\n"
		"  - \"plain\"\n"
		"  - [\"nested\", \"list\"]\n"
		"  - {}\n"
		"map:\n"
		"  key: \"value\"\n"
		"  \"odd key\": \"x\"\n";
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct yaml_doc doc, doc2;
	struct report rep;
	size_t i;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, src, strlen(src), &doc),
			 0);
	for (i = 0; i < doc.root->count; i++) {
		yaml_emit_key(doc.root->children[i]->key, 0, &out);
		yaml_emit_value(doc.root->children[i], 0, &out);
	}
	assert_string_equal(out.ptr, want);
	/* Writing what was written gives the same bytes. */
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, out.ptr, out.len,
				    &doc2),
			 0);
	for (i = 0; i < doc2.root->count; i++) {
		yaml_emit_key(doc2.root->children[i]->key, 0, &again);
		yaml_emit_value(doc2.root->children[i], 0, &again);
	}
	assert_string_equal(again.ptr, want);
	assert_string_equal(rep.collected.ptr, "");
	yaml_doc_release(&doc);
	yaml_doc_release(&doc2);
	report_release(&rep);
	buf_release(&out);
	buf_release(&again);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_yaml_emit_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(test_yaml_emit_round_trips_hostile_values),
		cmocka_unit_test(test_yaml_emit_rewrites_a_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
