#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/frontmatter.h"
#include "core/report.h"
#include "core/yaml.h"

static void
test_frontmatter_splits_yaml_and_body_with_lines(void **state)
{
	static const char file[] = "---\n"
				   "title: Akira\n"
				   "topics: [manga]\n"
				   "---\n"
				   "Un classique.\n"
				   "\n"
				   "À lire.\n";
	struct frontmatter fm;
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(frontmatter_split(&rep, "links/a.md", file,
					   strlen(file), &fm),
			 0);
	assert_int_equal(fm.yaml_len,
			 strlen("title: Akira\ntopics: [manga]\n"));
	assert_memory_equal(fm.yaml, "title: Akira\ntopics: [manga]\n",
			    fm.yaml_len);
	assert_int_equal(fm.yaml_line, 2);
	assert_int_equal(fm.body_len, strlen("Un classique.\n\nÀ lire.\n"));
	assert_memory_equal(fm.body, "Un classique.\n\nÀ lire.\n",
			    fm.body_len);
	assert_int_equal(fm.body_line, 5);
	assert_string_equal(rep.collected.ptr, "");
	report_release(&rep);
}

static void
test_frontmatter_accepts_bom_crlf_and_dots(void **state)
{
	static const char file[] = "\xEF\xBB\xBF---  \r\n"
				   "title: x\r\n"
				   "...\r\n"
				   "body";
	static const char empty[] = "---\n---";
	struct frontmatter fm;
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(frontmatter_split(&rep, "p.md", file, strlen(file),
					   &fm),
			 0);
	assert_memory_equal(fm.yaml, "title: x\r\n", fm.yaml_len);
	assert_int_equal(fm.body_len, 4);
	assert_memory_equal(fm.body, "body", 4);
	assert_int_equal(fm.body_line, 4);
	assert_int_equal(frontmatter_split(&rep, "p.md", empty, strlen(empty),
					   &fm),
			 0);
	assert_int_equal(fm.yaml_len, 0);
	assert_int_equal(fm.body_len, 0);
	assert_int_equal(fm.body_line, 3);
	assert_string_equal(rep.collected.ptr, "");
	report_release(&rep);
}

static void
test_frontmatter_refuses_missing_and_unclosed(void **state)
{
	static const char none[] = "title: x\n";
	static const char unclosed[] = "---\ntitle: x\n\nsome text\n";
	static const char indented[] = "---\ntitle: x\n ---\n";
	struct frontmatter fm;
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(frontmatter_split(&rep, "links/a.md", none,
					   strlen(none), &fm),
			 -1);
	assert_null(fm.yaml);
	assert_int_equal(frontmatter_split(&rep, "links/b.md", unclosed,
					   strlen(unclosed), &fm),
			 -1);
	assert_int_equal(frontmatter_split(&rep, "links/c.md", indented,
					   strlen(indented), &fm),
			 -1);
	assert_int_equal(frontmatter_split(&rep, "links/d.md", "", 0, &fm),
			 -1);
	assert_string_equal(
		rep.collected.ptr,
		"error: links/a.md:1: no front matter: the file must start "
		"with a line \"---\"\n"
		"hint: put the keys (title: ..., and so on) between two lines "
		"\"---\" at the top of the file\n"
		"error: links/b.md:1: front matter not closed: add a line "
		"\"---\" after it\n"
		"hint: the front matter opened here runs to the end of the "
		"file\n"
		"error: links/c.md:1: front matter not closed: add a line "
		"\"---\" after it\n"
		"hint: the front matter opened here runs to the end of the "
		"file\n"
		"error: links/d.md:1: no front matter: the file must start "
		"with a line \"---\"\n"
		"hint: put the keys (title: ..., and so on) between two lines "
		"\"---\" at the top of the file\n");
	report_release(&rep);
}

static void
test_frontmatter_parse_points_into_the_file(void **state)
{
	static const char good[] = "---\n"
				   "title: Akira\n"
				   "tags: [seinen]\n"
				   "---\n"
				   "Note.\n";
	static const char bad[] = "---\n"
				  "title: Akira\n"
				  "tags: [seinen\n"
				  "---\n"
				  "Note.\n";
	static const char empty[] = "---\n---\nJust a body.\n";
	struct frontmatter fm;
	struct yaml_doc doc;
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(frontmatter_parse(&rep, "links/a.md", good,
					   strlen(good), &fm, &doc),
			 0);
	assert_int_equal(doc.root->kind, YAML_MAPPING);
	assert_int_equal(yaml_get(doc.root, "tags")->line, 3);
	assert_string_equal(yaml_get(doc.root, "title")->text, "Akira");
	assert_int_equal(fm.body_line, 5);
	yaml_doc_release(&doc);

	assert_int_equal(frontmatter_parse(&rep, "links/e.md", empty,
					   strlen(empty), &fm, &doc),
			 0);
	assert_int_equal(doc.root->kind, YAML_MAPPING);
	assert_int_equal(doc.root->count, 0);
	assert_memory_equal(fm.body, "Just a body.\n", fm.body_len);
	yaml_doc_release(&doc);

	assert_int_equal(frontmatter_parse(&rep, "links/b.md", bad,
					   strlen(bad), &fm, &doc),
			 -1);
	assert_null(doc.root);
	assert_null(fm.body);
	assert_string_equal(rep.collected.ptr,
			    "error: links/b.md:4:1: flow sequence without a "
			    "closing bracket\n");
	report_release(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_frontmatter_splits_yaml_and_body_with_lines),
		cmocka_unit_test(test_frontmatter_accepts_bom_crlf_and_dots),
		cmocka_unit_test(test_frontmatter_refuses_missing_and_unclosed),
		cmocka_unit_test(test_frontmatter_parse_points_into_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
