#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/report.h"
#include "core/yaml.h"

/* Parses s as file "t.yaml"; returns yaml_parse's result. */
static int
parse(struct report *rep, const char *s, struct yaml_doc *doc)
{
	return yaml_parse(rep, "t.yaml", 1, s, strlen(s), doc);
}

/* Parses s, which must fail, and checks the whole of what was reported. */
static void
assert_parse_error(const char *s, const char *want)
{
	struct report rep;
	struct yaml_doc doc;

	report_init_collect(&rep);
	assert_int_equal(parse(&rep, s, &doc), -1);
	assert_null(doc.root);
	assert_null(doc.file);
	assert_string_equal(rep.collected.ptr, want);
	report_release(&rep);
}

static void
test_yaml_builds_tree_with_positions(void **state)
{
	struct report rep;
	struct yaml_doc doc;
	const struct yaml_node *root, *list, *flow;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(&rep,
			       "# comment\n"
			       "title: Médiathèque\n"
			       "tags:\n"
			       "  - manga\n"
			       "  - 'BD'\n"
			       "map: {a: 1, b: \"two\"}\n"
			       "empty:\n",
			       &doc),
			 0);
	assert_string_equal(rep.collected.ptr, "");
	root = doc.root;
	assert_int_equal(root->kind, YAML_MAPPING);
	assert_int_equal(root->count, 4);
	assert_string_equal(root->file, "t.yaml");
	assert_string_equal(root->children[0]->key, "title");
	assert_string_equal(root->children[0]->text, "Médiathèque");
	assert_int_equal(root->children[0]->len, strlen("Médiathèque"));
	assert_int_equal(root->children[0]->key_line, 2);
	assert_int_equal(root->children[0]->key_col, 1);
	assert_int_equal(root->children[0]->line, 2);
	assert_int_equal(root->children[0]->col, 8);
	assert_true(root->children[0]->is_plain);

	list = yaml_get(root, "tags");
	assert_non_null(list);
	assert_int_equal(list->kind, YAML_SEQUENCE);
	assert_int_equal(list->count, 2);
	assert_null(list->children[0]->key);
	assert_string_equal(list->children[1]->text, "BD");
	assert_false(list->children[1]->is_plain);
	assert_int_equal(list->children[1]->line, 5);
	assert_int_equal(list->children[1]->col, 5);

	flow = yaml_get(root, "map");
	assert_int_equal(flow->kind, YAML_MAPPING);
	assert_int_equal(flow->line, 6);
	assert_int_equal(flow->col, 6);
	assert_string_equal(yaml_get(flow, "b")->text, "two");
	assert_null(yaml_get(flow, "c"));
	assert_null(yaml_get(list, "a"));

	assert_true(yaml_is_null(yaml_get(root, "empty")));
	assert_int_equal(yaml_get(root, "empty")->line, 7);
	assert_false(yaml_is_null(list->children[1]));
	yaml_doc_release(&doc);
	yaml_doc_release(&doc);
	report_release(&rep);
}

static void
test_yaml_counts_lines_from_first_line(void **state)
{
	struct report rep;
	struct yaml_doc doc;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(yaml_parse(&rep, "links/a.md", 2, "a: 1\nb: 2\n", 10,
				    &doc),
			 0);
	assert_int_equal(yaml_get(doc.root, "b")->line, 3);
	yaml_doc_release(&doc);
	assert_int_equal(yaml_parse(&rep, "links/a.md", 2, "a: 1\nb: [x\n",
				    11, &doc),
			 -1);
	assert_string_equal(rep.collected.ptr,
			    "error: links/a.md:4:1: flow sequence without a "
			    "closing bracket\n");
	report_release(&rep);
}

static void
test_yaml_empty_input_is_null_root(void **state)
{
	struct report rep;
	struct yaml_doc doc;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(&rep, "", &doc), 0);
	assert_int_equal(doc.root->kind, YAML_SCALAR);
	assert_true(yaml_is_null(doc.root));
	yaml_doc_release(&doc);
	assert_int_equal(parse(&rep, "# only a comment\n", &doc), 0);
	assert_true(yaml_is_null(doc.root));
	yaml_doc_release(&doc);
	assert_string_equal(rep.collected.ptr, "");
	report_release(&rep);
}

static void
test_yaml_reports_syntax_errors_with_line_and_column(void **state)
{
	(void)state;
	assert_parse_error("a: b: c\n",
			   "error: t.yaml:1:5: invalid nested block mapping "
			   "on the same line\n");
	assert_parse_error("a:\n\t- x\n",
			   "error: t.yaml:2:1: tab character may not be used "
			   "as indentation\n");
	assert_parse_error("title: \"Akira\n",
			   "error: t.yaml:1:9: double-quoted scalar without "
			   "closing quote\n");
	assert_parse_error("- a\nb: 1\n",
			   "error: t.yaml:2:1: invalid scalar at the end of "
			   "block sequence\n");
}

static void
test_yaml_refuses_anchors_aliases_and_tags(void **state)
{
	(void)state;
	assert_parse_error("a: &x 1\nb: 2\n",
			   "error: t.yaml:1:4: anchors (&) and aliases (*) "
			   "are not supported: write the value out\n");
	assert_parse_error("a: [1]\nb: *x\n",
			   "error: t.yaml:2:4: anchors (&) and aliases (*) "
			   "are not supported: write the value out\n");
	assert_parse_error("a: !!str 1\n",
			   "error: t.yaml:1:4: tags are not supported: "
			   "\"!!str\"\n");
}

/* The classic "billion laughs": nine levels of ten aliases each. */
static void
test_yaml_refuses_alias_bomb_at_once(void **state)
{
	struct buf bomb = BUF_INIT;
	struct report rep;
	struct yaml_doc doc;
	clock_t start = clock();
	int i;

	(void)state;
	buf_adds(&bomb, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (i = 1; i < 9; i++)
		buf_addf(&bomb,
			 "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
			 'a' + i, 'a' + i, 'a' + i - 1, 'a' + i - 1,
			 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
			 'a' + i - 1, 'a' + i - 1, 'a' + i - 1);
	report_init_collect(&rep);
	assert_int_equal(yaml_parse(&rep, "bomb.yaml", 1, bomb.ptr, bomb.len,
				    &doc),
			 -1);
	assert_string_equal(rep.collected.ptr,
			    "error: bomb.yaml:1:4: anchors (&) and aliases "
			    "(*) are not supported: write the value out\n");
	assert_true(clock() - start < CLOCKS_PER_SEC);
	report_release(&rep);
	buf_release(&bomb);
}

static void
test_yaml_bounds_depth_size_and_values(void **state)
{
	struct buf s = BUF_INIT;
	struct report rep;
	struct yaml_doc doc;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_addc(&s, '[');
	for (i = 0; i < 1000; i++)
		buf_addc(&s, ']');
	report_init_collect(&rep);
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, s.ptr, s.len, &doc),
			 -1);
	assert_string_equal(rep.collected.ptr,
			    "error: t.yaml:1:65: more than 64 levels of "
			    "nesting\n");
	buf_clear(&rep.collected);

	buf_clear(&s);
	buf_adds(&s, "[");
	for (i = 0; i < YAML_MAX_NODES + 1; i++)
		buf_adds(&s, "1,");
	buf_adds(&s, "1]");
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, s.ptr, s.len, &doc),
			 -1);
	assert_string_equal(rep.collected.ptr,
			    "error: t.yaml:1:200000: more than 100000 "
			    "values\n");
	buf_clear(&rep.collected);

	buf_clear(&s);
	buf_adds(&s, "a: ");
	buf_grow(&s, YAML_MAX_SIZE);
	memset(s.ptr + s.len, 'x', YAML_MAX_SIZE);
	buf_setlen(&s, s.len + YAML_MAX_SIZE);
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, s.ptr, s.len, &doc),
			 -1);
	assert_string_equal(rep.collected.ptr,
			    "error: t.yaml: larger than 1048576 bytes\n");
	report_release(&rep);
	buf_release(&s);
}

static void
test_yaml_refuses_bad_text_and_second_document(void **state)
{
	struct report rep;
	struct yaml_doc doc;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, "a: 1\nb: é\xff\n", 11,
				    &doc),
			 -1);
	assert_int_equal(yaml_parse(&rep, "t.yaml", 1, "a: 1\0", 5, &doc),
			 -1);
	assert_string_equal(rep.collected.ptr,
			    "error: t.yaml:2:5: invalid UTF-8\n"
			    "error: t.yaml:1:5: NUL character\n");
	report_release(&rep);
	assert_parse_error("a: \"x\\0y\"\n",
			   "error: t.yaml:1:4: NUL character\n");
	assert_parse_error("a: 1\n---\nb: 2\n",
			   "error: t.yaml:2:1: more than one YAML document\n");
	assert_parse_error("[a, b]: 1\n",
			   "error: t.yaml:1:1: a key must be text, not a "
			   "list\n");
}

static void
test_yaml_reports_every_duplicate_key(void **state)
{
	(void)state;
	assert_parse_error("title: a\nurl: b\ntitle: c\nsub:\n  x: 1\n"
			   "  x: 2\ntitle: d\n",
			   "error: t.yaml:6:3: duplicate key \"x\" (first on "
			   "line 5)\n"
			   "error: t.yaml:3:1: duplicate key \"title\" (first "
			   "on line 1)\n"
			   "error: t.yaml:7:1: duplicate key \"title\" (first "
			   "on line 1)\n");
	assert_parse_error("b: 1\na: 1\nb: 2\na: 2\n",
			   "error: t.yaml:3:1: duplicate key \"b\" (first on "
			   "line 1)\n"
			   "error: t.yaml:4:1: duplicate key \"a\" (first on "
			   "line 2)\n");
}

static void
test_yaml_check_keys_suggests_close_keys(void **state)
{
	static const char *const keys[] = { "title", "tags", "topics",
					    "per_page" };
	struct report rep;
	struct yaml_doc doc;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(&rep,
			       "title: a\ntagz: b\nper-page: 1\nTopcis: x\n"
			       "colour: red\nsize: 2\n",
			       &doc),
			 0);
	assert_int_equal(yaml_check_keys(&rep, doc.root, keys, 4), -1);
	assert_string_equal(
		rep.collected.ptr,
		"error: t.yaml:2: unknown key \"tagz\" (did you mean "
		"\"tags\"?)\n"
		"error: t.yaml:3: unknown key \"per-page\" (did you mean "
		"\"per_page\"?)\n"
		"error: t.yaml:4: unknown key \"Topcis\" (did you mean "
		"\"topics\"?)\n"
		"error: t.yaml:5: unknown key \"colour\"\n"
		"hint: the keys allowed here are: title, tags, topics, "
		"per_page\n"
		"error: t.yaml:6: unknown key \"size\"\n");
	assert_string_equal(yaml_suggest("titel", keys, 4), "title");
	assert_null(yaml_suggest("description", keys, 4));
	assert_int_equal(yaml_check_keys(&rep, yaml_get(doc.root, "title"),
					 keys, 4),
			 0);
	yaml_doc_release(&doc);
	report_release(&rep);
}

static void
test_yaml_typed_getters(void **state)
{
	struct report rep;
	struct yaml_doc doc;
	const struct yaml_node *root;
	const char **list = NULL, *text = NULL;
	size_t count = 9;
	long long number = 0;
	bool flag = false;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(&rep,
			       "t1: yes\nt2: TRUE\nf1: No\nf2: false\n"
			       "n1: 42\nn2: \"-7\"\nn3: +0\n"
			       "one: manga\nmany: [a, 'b c']\nnone:\n"
			       "map: {a: 1}\n",
			       &doc),
			 0);
	root = doc.root;
	assert_int_equal(yaml_get_bool(&rep, yaml_get(root, "t1"), "t1", &flag),
			 0);
	assert_true(flag);
	assert_int_equal(yaml_get_bool(&rep, yaml_get(root, "t2"), "t2", &flag),
			 0);
	assert_true(flag);
	assert_int_equal(yaml_get_bool(&rep, yaml_get(root, "f1"), "f1", &flag),
			 0);
	assert_false(flag);
	assert_int_equal(yaml_get_bool(&rep, yaml_get(root, "f2"), "f2", &flag),
			 0);
	assert_false(flag);
	assert_int_equal(yaml_get_int(&rep, yaml_get(root, "n1"), "n1", 1, 500,
				      &number),
			 0);
	assert_int_equal(number, 42);
	assert_int_equal(yaml_get_int(&rep, yaml_get(root, "n2"), "n2", -10,
				      10, &number),
			 0);
	assert_int_equal(number, -7);
	assert_int_equal(yaml_get_int(&rep, yaml_get(root, "n3"), "n3", 0, 1,
				      &number),
			 0);
	assert_int_equal(number, 0);
	assert_int_equal(yaml_get_string(&rep, yaml_get(root, "one"), "one",
					 &text),
			 0);
	assert_string_equal(text, "manga");
	assert_int_equal(yaml_get_strings(&rep, yaml_get(root, "one"), "one",
					  &list, &count),
			 0);
	assert_int_equal(count, 1);
	assert_string_equal(list[0], "manga");
	free(list);
	assert_int_equal(yaml_get_strings(&rep, yaml_get(root, "many"),
					  "many", &list, &count),
			 0);
	assert_int_equal(count, 2);
	assert_string_equal(list[1], "b c");
	free(list);
	assert_int_equal(yaml_get_strings(&rep, yaml_get(root, "none"),
					  "none", &list, &count),
			 0);
	assert_int_equal(count, 0);
	assert_null(list);
	assert_int_equal(yaml_expect_mapping(&rep, yaml_get(root, "map"),
					     "map"),
			 0);
	assert_string_equal(rep.collected.ptr, "");
	yaml_doc_release(&doc);
	report_release(&rep);
}

static void
test_yaml_typed_getters_report_wrong_values(void **state)
{
	struct report rep;
	struct yaml_doc doc;
	const struct yaml_node *root;
	const char **list = NULL, *text = NULL;
	size_t count = 9;
	long long number = 5;
	int64_t date = 1;
	bool flag = true;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(parse(&rep,
			       "b: on\nn: 501\nbig: 99999999999999999999\n"
			       "x: 1.5\nm: {a: 1}\nl: [a, [b]]\nd: 2026-02-29\n"
			       "s: [a]\n",
			       &doc),
			 0);
	root = doc.root;
	assert_int_equal(yaml_get_bool(&rep, yaml_get(root, "b"), "b", &flag),
			 -1);
	assert_true(flag);
	assert_int_equal(yaml_get_int(&rep, yaml_get(root, "n"), "per_page", 1,
				      500, &number),
			 -1);
	assert_int_equal(yaml_get_int(&rep, yaml_get(root, "big"), "big",
				      LLONG_MIN, LLONG_MAX, &number),
			 -1);
	assert_int_equal(yaml_get_int(&rep, yaml_get(root, "x"), "x", 0, 9,
				      &number),
			 -1);
	assert_int_equal(number, 5);
	assert_int_equal(yaml_get_string(&rep, yaml_get(root, "m"), "m",
					 &text),
			 -1);
	assert_null(text);
	assert_int_equal(yaml_get_strings(&rep, yaml_get(root, "l"), "l",
					  &list, &count),
			 -1);
	assert_int_equal(count, 9);
	assert_int_equal(yaml_get_strings(&rep, yaml_get(root, "m"), "m",
					  &list, &count),
			 -1);
	assert_int_equal(yaml_get_date(&rep, yaml_get(root, "d"), "date",
				       &date, NULL),
			 -1);
	assert_int_equal(date, 1);
	assert_int_equal(yaml_expect_mapping(&rep, yaml_get(root, "s"), "s"),
			 -1);
	assert_int_equal(yaml_expect_sequence(&rep, yaml_get(root, "m"), "m"),
			 -1);
	assert_string_equal(
		rep.collected.ptr,
		"error: t.yaml:1: \"b\" must be true or false\n"
		"error: t.yaml:2: \"per_page\" must be a whole number from 1 "
		"to 500\n"
		"error: t.yaml:3: \"big\" must be a whole number from "
		"-9223372036854775808 to 9223372036854775807\n"
		"error: t.yaml:4: \"x\" must be a whole number from 0 to 9\n"
		"error: t.yaml:5: \"m\" must be text\n"
		"error: t.yaml:6: \"l\" must be a list of texts\n"
		"error: t.yaml:5: \"m\" must be a list of texts\n"
		"error: t.yaml:7: \"date\" must be a date like 2026-11-24 or "
		"2026-11-24T09:00:00+01:00\n"
		"error: t.yaml:8: \"s\" must be a mapping (key: value lines)\n"
		"error: t.yaml:5: \"m\" must be a list\n");
	yaml_doc_release(&doc);
	report_release(&rep);
}

static void
test_yaml_parses_rfc3339_dates(void **state)
{
	int64_t t = 0;
	bool is_date_only = false;

	(void)state;
	assert_int_equal(yaml_parse_date("2026-11-24", 10, &t, &is_date_only),
			 0);
	assert_int_equal(t, 1795478400);
	assert_true(is_date_only);
	assert_int_equal(yaml_parse_date("2026-11-24T09:00:00+01:00", 25, &t,
					 &is_date_only),
			 0);
	assert_int_equal(t, 1795478400 + 8 * 3600);
	assert_false(is_date_only);
	assert_int_equal(yaml_parse_date("2026-11-24 09:00:00.250Z", 24, &t,
					 NULL),
			 0);
	assert_int_equal(t, 1795478400 + 9 * 3600);
	assert_int_equal(yaml_parse_date("2024-02-29", 10, &t, NULL), 0);
	assert_int_equal(yaml_parse_date("2026-02-29", 10, &t, NULL), -1);
	assert_int_equal(yaml_parse_date("2026-13-01", 10, &t, NULL), -1);
	assert_int_equal(yaml_parse_date("2026-11-24T09:00:00", 19, &t, NULL),
			 -1);
	assert_int_equal(yaml_parse_date("2026-11-24T24:00:00Z", 20, &t, NULL),
			 -1);
	assert_int_equal(yaml_parse_date("2026-11-24T09:00:00.Z", 21, &t,
					 NULL),
			 -1);
	assert_int_equal(yaml_parse_date("24/11/2026", 10, &t, NULL), -1);
	assert_int_equal(yaml_parse_date("2026-11", 7, &t, NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_builds_tree_with_positions),
		cmocka_unit_test(test_yaml_counts_lines_from_first_line),
		cmocka_unit_test(test_yaml_empty_input_is_null_root),
		cmocka_unit_test(
			test_yaml_reports_syntax_errors_with_line_and_column),
		cmocka_unit_test(test_yaml_refuses_anchors_aliases_and_tags),
		cmocka_unit_test(test_yaml_refuses_alias_bomb_at_once),
		cmocka_unit_test(test_yaml_bounds_depth_size_and_values),
		cmocka_unit_test(
			test_yaml_refuses_bad_text_and_second_document),
		cmocka_unit_test(test_yaml_reports_every_duplicate_key),
		cmocka_unit_test(test_yaml_check_keys_suggests_close_keys),
		cmocka_unit_test(test_yaml_typed_getters),
		cmocka_unit_test(test_yaml_typed_getters_report_wrong_values),
		cmocka_unit_test(test_yaml_parses_rfc3339_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
