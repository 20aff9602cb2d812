/*
 * digest: FNV-1a 128 and its typed fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/digest.h"

static void
hex_of_bytes(const char *s, char hex[DIGEST_HEX_SIZE])
{
	struct digest d;

	digest_init(&d);
	digest_bytes(&d, s, strlen(s));
	digest_hex(&d, hex);
}

/* The FNV reference values (draft-eastlake-fnv, test vectors). */
static void
test_digest_bytes_is_fnv1a_128(void **state)
{
	char hex[DIGEST_HEX_SIZE];

	(void)state;
	hex_of_bytes("", hex);
	assert_string_equal(hex, "6c62272e07bb014262b821756295c58d");
	hex_of_bytes("a", hex);
	assert_string_equal(hex, "d228cb696f1a8caf78912b704e4a8964");
	hex_of_bytes("foobar", hex);
	assert_string_equal(hex, "343e1662793c64bf6f0d3597ba446f18");
}

/* Bytes added in pieces give the digest of the whole. */
static void
test_digest_bytes_in_pieces_is_the_same(void **state)
{
	char whole[DIGEST_HEX_SIZE], pieces[DIGEST_HEX_SIZE];
	struct digest d;

	(void)state;
	hex_of_bytes("foobar", whole);
	digest_init(&d);
	digest_bytes(&d, "foo", 3);
	digest_bytes(&d, "", 0);
	digest_bytes(&d, "bar", 3);
	digest_hex(&d, pieces);
	assert_string_equal(pieces, whole);
}

static void
two_fields(const char *a, const char *b, char hex[DIGEST_HEX_SIZE])
{
	struct digest d;

	digest_init(&d);
	digest_str(&d, 'p', a);
	digest_str(&d, 'p', b);
	digest_hex(&d, hex);
}

/* Fields are length-prefixed and tagged: where one ends is part of it. */
static void
test_digest_fields_keep_their_boundaries(void **state)
{
	char ab_c[DIGEST_HEX_SIZE], a_bc[DIGEST_HEX_SIZE],
	     null_x[DIGEST_HEX_SIZE], empty_x[DIGEST_HEX_SIZE],
	     again[DIGEST_HEX_SIZE];
	struct digest d1, d2;

	(void)state;
	two_fields("ab", "c", ab_c);
	two_fields("a", "bc", a_bc);
	assert_string_not_equal(ab_c, a_bc);
	two_fields(NULL, "x", null_x);
	two_fields("", "x", empty_x);
	assert_string_not_equal(null_x, empty_x);
	two_fields("ab", "c", again);
	assert_string_equal(ab_c, again);

	digest_init(&d1);
	digest_u64(&d1, 's', 1);
	digest_init(&d2);
	digest_u64(&d2, 'm', 1);
	digest_hex(&d1, ab_c);
	digest_hex(&d2, a_bc);
	assert_string_not_equal(ab_c, a_bc);
}

/* A u64 field is its tag and its 8 bytes, least significant first. */
static void
test_digest_u64_is_tag_and_little_endian_bytes(void **state)
{
	char got[DIGEST_HEX_SIZE], want[DIGEST_HEX_SIZE];
	struct digest d;

	(void)state;
	digest_init(&d);
	digest_u64(&d, 'n', 0x0102030405060708ULL);
	digest_hex(&d, got);
	digest_init(&d);
	digest_bytes(&d, "n\x08\x07\x06\x05\x04\x03\x02\x01", 9);
	digest_hex(&d, want);
	assert_string_equal(got, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_bytes_is_fnv1a_128),
		cmocka_unit_test(test_digest_bytes_in_pieces_is_the_same),
		cmocka_unit_test(test_digest_fields_keep_their_boundaries),
		cmocka_unit_test(
			test_digest_u64_is_tag_and_little_endian_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
