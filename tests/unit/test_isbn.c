#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/isbn.h"

static const struct {
	const char *in;
	const char *want; /* NULL: rejected */
} cases[] = {
	{ "9782505112341", "9782505112341" },
	{ "978-2-505-11234-1", "9782505112341" },
	{ "ISBN 978 2 505 11234 1", "9782505112341" },
	{ "urn:isbn:9782505112341", "9782505112341" },
	{ "2-07-036822-X", "9782070368228" },
	{ "207036822x", "9782070368228" },
	{ "0-306-40615-2", "9780306406157" },
	{ "urn:ean:3700123456781", NULL },
	{ "5099902894225", "5099902894225" },
	{ "9782505112345", NULL },
	{ "2-07-036822-1", NULL },
	{ "97825051123410", NULL },
	{ "978250511234", NULL },
	{ "97825O5112341", NULL },
	{ "X782505112341", NULL },
	{ "", NULL },
};

static void
test_isbn_normalizes_and_checks_digits(void **state)
{
	char out[ISBN_SIZE];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memcpy(out, "untouched", 10);
		rc = isbn_normalize(cases[i].in, strlen(cases[i].in), out);
		if (cases[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(out, "untouched");
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isbn_normalizes_and_checks_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
