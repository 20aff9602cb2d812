#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json_write.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

/* What jansson dumps for v (consumed). */
static char *
jansson_dump(json_t *v)
{
	char *s = json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY);

	json_decref(v);
	assert_non_null(s);
	return s;
}

static void
assert_same_string(const char *s)
{
	struct buf out = BUF_INIT;
	struct json_writer w;
	char *want = jansson_dump(json_stringn(s, strlen(s)));

	json_write_init(&w, &out);
	json_write_string(&w, s, strlen(s));
	assert_string_equal(out.ptr, want);
	free(want);
	buf_release(&out);
}

static void
test_json_write_escapes_control_characters_as_jansson(void **state)
{
	char s[2] = { 0, 0 };
	int c;

	(void)state;
	for (c = 1; c < 0x80; c++) {
		s[0] = (char)c;
		assert_same_string(s);
	}
}

/* Every ASCII byte at every place of a 24-byte string, among ASCII and
 * among two-byte characters: the 8-bytes-at-a-time scan misses none. */
static void
test_json_write_finds_escapes_at_every_offset(void **state)
{
	static const char *const fills[] = { "abcdefgh", "\xc3\xa9" };
	char s[25];
	size_t f, pos, i, n;
	int c;

	(void)state;
	for (f = 0; f < 2; f++) {
		for (c = 1; c < 0x80; c++) {
			for (pos = 0; pos < 24; pos++) {
				n = strlen(fills[f]);
				for (i = 0; i < 24; i++)
					s[i] = fills[f][i % n];
				s[24] = '\0';
				/* keep two-byte characters whole */
				if (f == 1 && pos % 2)
					s[pos - 1] = 'x';
				s[pos] = (char)c;
				if (f == 1 && pos % 2 == 0)
					s[pos + 1] = 'y';
				assert_same_string(s);
			}
		}
	}
}

static void
test_json_write_escapes_quotes_and_backslashes_only(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	json_write_quoted(&out, "a\"b\\c/d</script>\x7f",
			  strlen("a\"b\\c/d</script>\x7f"));
	assert_string_equal(out.ptr, "\"a\\\"b\\\\c/d</script>\x7f\"");
	assert_same_string("a\"b\\c/d</script>\x7f");
	buf_release(&out);
}

static void
test_json_write_copies_non_ascii_as_is(void **state)
{
	(void)state;
	/* U+2028 and U+2029 stay raw, as jansson leaves them */
	assert_same_string("line\xe2\x80\xa8sep\xe2\x80\xa9para");
	assert_same_string("Pr\xc3\xaat m\xc3\xa9"
			   "diath\xc3\xa8que \xf0\x9f\x98\x80");
	assert_same_string("\xef\xbf\xbd\xef\xbb\xbf\xc2\xa0");
	/* text that looks like escapes is text */
	assert_same_string("\\u0000 \\n \\\" %s %n &amp; \\ud800");
	assert_same_string("");
}

static void
test_json_write_long_string_with_escapes_everywhere(void **state)
{
	struct buf s = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++)
		buf_adds(&s, i % 7 ? "\xc3\xa9t\xc3\xa9 " : "\"\t\x01\n\\");
	assert_same_string(s.ptr);
	buf_release(&s);
}

static void
test_json_write_integers_as_jansson(void **state)
{
	static const int64_t values[] = { 0, 1, -1, 1000, 4294967296LL,
					  INT64_MAX, INT64_MIN };
	struct buf out = BUF_INIT;
	struct json_writer w;
	char *want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(*values); i++) {
		buf_clear(&out);
		json_write_init(&w, &out);
		json_write_int(&w, values[i]);
		want = jansson_dump(json_integer(values[i]));
		assert_string_equal(out.ptr, want);
		free(want);
	}
	assert_string_equal(out.ptr, "-9223372036854775808");
	buf_release(&out);
}

static void
test_json_write_nested_values_as_jansson(void **state)
{
	struct buf out = BUF_INIT;
	struct json_writer w;
	json_t *obj = json_object(), *arr = json_array(), *enc = json_object();
	char *want;

	(void)state;
	json_object_set_new(obj, "id", json_string("https://e.org/1"));
	json_object_set_new(obj, "title", json_string("A \"B\"\n"));
	json_object_set_new(obj, "empty", json_object());
	json_object_set_new(obj, "none", json_array());
	json_array_append_new(arr, json_string("x"));
	json_array_append_new(arr, json_string("y"));
	json_object_set_new(obj, "categories", arr);
	arr = json_array();
	json_object_set_new(enc, "url", json_string("https://e.org/a.mp3"));
	json_object_set_new(enc, "length", json_integer(1000));
	json_array_append_new(arr, enc);
	json_array_append_new(arr, json_object());
	json_object_set_new(obj, "enclosures", arr);
	want = jansson_dump(obj);

	json_write_init(&w, &out);
	json_write_object_begin(&w);
	json_write_key(&w, "id");
	json_write_string(&w, "https://e.org/1", 15);
	json_write_key(&w, "title");
	json_write_string(&w, "A \"B\"\n", 6);
	json_write_key(&w, "empty");
	json_write_object_begin(&w);
	json_write_object_end(&w);
	json_write_key(&w, "none");
	json_write_array_begin(&w);
	json_write_array_end(&w);
	json_write_key(&w, "categories");
	json_write_array_begin(&w);
	json_write_string(&w, "x", 1);
	json_write_string(&w, "y", 1);
	json_write_array_end(&w);
	json_write_key(&w, "enclosures");
	json_write_array_begin(&w);
	json_write_object_begin(&w);
	json_write_key(&w, "url");
	json_write_string(&w, "https://e.org/a.mp3", 19);
	json_write_key(&w, "length");
	json_write_int(&w, 1000);
	json_write_object_end(&w);
	json_write_object_begin(&w);
	json_write_object_end(&w);
	json_write_array_end(&w);
	json_write_object_end(&w);

	assert_string_equal(out.ptr, want);
	assert_string_equal(
		out.ptr,
		"{\"id\":\"https://e.org/1\",\"title\":\"A \\\"B\\\"\\n\","
		"\"empty\":{},\"none\":[],\"categories\":[\"x\",\"y\"],"
		"\"enclosures\":[{\"url\":\"https://e.org/a.mp3\","
		"\"length\":1000},{}]}");
	free(want);
	buf_release(&out);
}

static void
test_json_write_appends_after_existing_bytes(void **state)
{
	struct buf out = BUF_INIT;
	struct json_writer w;

	(void)state;
	buf_adds(&out, "    ");
	json_write_init(&w, &out);
	json_write_object_begin(&w);
	json_write_key(&w, "k\x1f");
	json_write_string(&w, "v", 1);
	json_write_object_end(&w);
	assert_string_equal(out.ptr, "    {\"k\\u001F\":\"v\"}");
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_json_write_escapes_control_characters_as_jansson),
		cmocka_unit_test(test_json_write_finds_escapes_at_every_offset),
		cmocka_unit_test(
			test_json_write_escapes_quotes_and_backslashes_only),
		cmocka_unit_test(test_json_write_copies_non_ascii_as_is),
		cmocka_unit_test(
			test_json_write_long_string_with_escapes_everywhere),
		cmocka_unit_test(test_json_write_integers_as_jansson),
		cmocka_unit_test(test_json_write_nested_values_as_jansson),
		cmocka_unit_test(test_json_write_appends_after_existing_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
