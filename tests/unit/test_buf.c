#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/redact.h"
#include "core/report.h"

static void
test_buf_starts_empty_and_terminated(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	buf_release(&b);
	assert_string_equal(b.ptr, "");
}

static void
test_buf_appends_and_formats(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t len;
	int i;

	(void)state;
	buf_adds(&b, "abc");
	buf_addc(&b, '-');
	buf_addf(&b, "%d/%s", 42, "x");
	assert_string_equal(b.ptr, "abc-42/x");
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%04d", i);
	assert_int_equal(b.len, 8 + 4000);
	assert_memory_equal(b.ptr + b.len - 4, "0999", 4);
	s = buf_detach(&b, &len);
	assert_int_equal(len, 4008);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	free(s);
}

static void
test_buf_encodes_utf8(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_add_utf8(&b, 0xE9);
	buf_add_utf8(&b, 0x2019);
	buf_add_utf8(&b, 0x1F600);
	buf_add_utf8(&b, 0xD800);
	assert_string_equal(b.ptr, "é’😀\xEF\xBF\xBD");
	buf_release(&b);
}

static void
test_buf_trims_ascii_space(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, " \t\n hello world \r\n");
	buf_trim(&b);
	assert_string_equal(b.ptr, "hello world");
	assert_true(buf_equals(&b, "hello world"));
	buf_clear(&b);
	buf_trim(&b);
	assert_string_equal(b.ptr, "");
	buf_release(&b);
}

static void
test_redact_removes_secrets_headers_and_tokens(void **state)
{
	char *secrets[] = { "s3cr3t-T0KEN" };
	const char *in = "POST /x?access_token=abc&y=1 failed with s3cr3t-T0KEN\n"
			 "Authorization: Bearer xyz\nok";
	struct buf out = BUF_INIT;

	(void)state;
	redact(&out, in, strlen(in), secrets, 1);
	assert_string_equal(out.ptr,
			    "POST /x?access_token=***&y=1 failed with ***\n"
			    "Authorization: ***\nok");
	buf_release(&out);
}

static void
test_report_formats_location_and_redacts(void **state)
{
	struct report rep;
	struct report_pos pos = { "links/a.md", 3, 0 };

	(void)state;
	report_init_collect(&rep);
	report_add_secret(&rep, "hunter22");
	assert_int_equal(report_error(&rep, &pos, "unknown key '%s'", "tagz"),
			 -1);
	report_hint(&rep, "did you mean 'tags'?");
	report_warn(&rep, NULL, "token hunter22 leaked");
	assert_string_equal(rep.collected.ptr,
			    "error: links/a.md:3: unknown key 'tagz'\n"
			    "hint: did you mean 'tags'?\n"
			    "warning: token *** leaked\n");
	assert_int_equal(rep.errors, 1);
	assert_int_equal(rep.warnings, 1);
	report_release(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_starts_empty_and_terminated),
		cmocka_unit_test(test_buf_appends_and_formats),
		cmocka_unit_test(test_buf_encodes_utf8),
		cmocka_unit_test(test_buf_trims_ascii_space),
		cmocka_unit_test(test_redact_removes_secrets_headers_and_tokens),
		cmocka_unit_test(test_report_formats_location_and_redacts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
