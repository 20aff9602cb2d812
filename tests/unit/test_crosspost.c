/* Unit tests of the cross-posting helpers: hashtags, Mastodon's count,
 * Bluesky facets at byte offsets, record keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "publish/xpost_private.h"

static void
test_crosspost_hashtags_join_words_in_camel_case(void **state)
{
	static const struct {
		const char *tag;
		const char *want;
	} cases[] = {
		{ "manga", "Manga" },
		{ "coup de cœur", "CoupDeCœur" },
		{ "science-fiction", "ScienceFiction" },
		{ "l'été 2026", "Lété2026" },
		{ "  ", "" },
		{ "ÉtéÀ", "ÉtéÀ" },
	};
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		buf_clear(&out);
		xpost_hashtag(cases[i].tag, &out);
		assert_string_equal(out.ptr, cases[i].want);
	}
	buf_release(&out);
}

static void
test_crosspost_mastodon_counts_urls_as_23(void **state)
{
	const char *text = "Été 🧝‍♀️ https://media.example.org/links/2026/11/"
			   "a-very-long-slug-for-a-link/ fin";

	(void)state;
	/* "Été " 4 + emoji 1 + " " 1 + URL 23 + " fin" 4 */
	assert_int_equal(xpost_mastodon_length(text, strlen(text), 23), 33);
	assert_int_equal(xpost_mastodon_length("http://", 7, 23), 7);
	assert_int_equal(xpost_mastodon_length("", 0, 23), 0);
}

static void
test_crosspost_bluesky_facets_are_byte_offsets(void **state)
{
	const char *url = "https://media.example.org/l/";
	const char *text = "Élan 🧝‍♀️ https://media.example.org/l/\n\n"
			   "#Manga #CoupDeCœur C#5 #2026";
	json_t *facets = xpost_bluesky_facets(text, strlen(text), url);
	char *got = json_dumps(facets, JSON_COMPACT | JSON_PRESERVE_ORDER);

	(void)state;
	/* "Élan " is 6 bytes, the elf 13, the space 1: the URL starts at
	 * byte 20 */
	assert_string_equal(
		got,
		"[{\"index\":{\"byteStart\":20,\"byteEnd\":48},\"features\":"
		"[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":"
		"\"https://media.example.org/l/\"}]},"
		"{\"index\":{\"byteStart\":50,\"byteEnd\":56},\"features\":"
		"[{\"$type\":\"app.bsky.richtext.facet#tag\",\"tag\":"
		"\"Manga\"}]},"
		"{\"index\":{\"byteStart\":57,\"byteEnd\":69},\"features\":"
		"[{\"$type\":\"app.bsky.richtext.facet#tag\",\"tag\":"
		"\"CoupDeCœur\"}]}]");
	free(got);
	json_decref(facets);
}

static void
test_crosspost_tids_are_sortable_base32(void **state)
{
	char a[14], b[14];

	(void)state;
	xpost_tid(0, 0, a);
	assert_string_equal(a, "2222222222222");
	/* 2026-11-25T00:00:00Z in microseconds, clock id 5 */
	xpost_tid(INT64_C(1795564800000000), 5, a);
	xpost_tid(INT64_C(1795564800000001), 0, b);
	assert_int_equal(strlen(a), 13);
	assert_true(strcmp(a, b) < 0);
	assert_true(strchr("234567abcdefghij", a[0]) != NULL);
}

static void
test_crosspost_uuids_are_version_4(void **state)
{
	char u[37], v[37];

	(void)state;
	xpost_uuid(u);
	xpost_uuid(v);
	assert_int_equal(strlen(u), 36);
	assert_int_equal(u[14], '4');
	assert_true(strchr("89ab", u[19]) != NULL);
	assert_string_not_equal(u, v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_crosspost_hashtags_join_words_in_camel_case),
		cmocka_unit_test(test_crosspost_mastodon_counts_urls_as_23),
		cmocka_unit_test(test_crosspost_bluesky_facets_are_byte_offsets),
		cmocka_unit_test(test_crosspost_tids_are_sortable_base32),
		cmocka_unit_test(test_crosspost_uuids_are_version_4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
