#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#define FFFD "\xEF\xBF\xBD"
#define FAMILY "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D" \
	       "\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6" /* 👨‍👩‍👧‍👦 */
#define FR "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7" /* 🇫🇷 */
#define JP "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5" /* 🇯🇵 */
#define ACUTE "\xCC\x81"		      /* U+0301 */

struct text_case {
	const char *in;
	const char *want;
};

/* Calls f on a copy of exactly strlen(in) bytes (no NUL after it), so that
 * ASan catches a read past len, and compares the whole result. */
static void
check_text(void (*f)(const char *, size_t, struct buf *),
	   const struct text_case *cases, size_t n)
{
	struct buf out = BUF_INIT;
	size_t i, len;
	char *copy;
	int failures = 0;

	for (i = 0; i < n; i++) {
		len = strlen(cases[i].in);
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, cases[i].in, len);
		buf_clear(&out);
		f(copy, len, &out);
		free(copy);
		if (strcmp(out.ptr, cases[i].want)) {
			print_error("'%s': got '%s', want '%s'\n", cases[i].in,
				    out.ptr, cases[i].want);
			failures++;
		}
	}
	buf_release(&out);
	assert_int_equal(failures, 0);
}

static void
test_utf8_validates_like_the_kuhn_stress_test(void **state)
{
	static const struct {
		const char *in;
		bool is_valid;
	} cases[] = {
		{ "", true },
		{ "plain ASCII", true },
		/* κόσμε */
		{ "\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5", true },
		/* first and last sequences of each length */
		{ "\x7F", true },
		{ "\xC2\x80", true },
		{ "\xDF\xBF", true },
		{ "\xE0\xA0\x80", true },
		{ "\xEF\xBF\xBF", true }, /* U+FFFF is a noncharacter, valid */
		{ "\xF0\x90\x80\x80", true },
		{ "\xF4\x8F\xBF\xBF", true }, /* U+10FFFF */
		/* around the surrogates */
		{ "\xED\x9F\xBF", true }, /* U+D7FF */
		{ "\xEE\x80\x80", true }, /* U+E000 */
		{ "\xED\xA0\x80", false }, /* U+D800 */
		{ "\xED\xBF\xBF", false }, /* U+DFFF */
		{ "\xED\xA0\xBD\xED\xB8\x80", false }, /* a CESU-8 pair */
		/* above U+10FFFF, five and six bytes */
		{ "\xF4\x90\x80\x80", false },
		{ "\xF7\xBF\xBF\xBF", false },
		{ "\xF8\x88\x80\x80\x80", false },
		{ "\xFC\x84\x80\x80\x80\x80", false },
		/* unexpected continuation bytes */
		{ "\x80", false },
		{ "\xBF", false },
		{ "a\x80\xBF" "b", false },
		/* lonely start bytes and truncated sequences */
		{ "\xC2", false },
		{ "\xC2 ", false },
		{ "\xE2\x82", false },
		{ "\xF0\x9F\x98", false },
		{ "abc\xE2", false },
		{ "\xE0\xA0\xC0", false },
		/* impossible bytes */
		{ "\xFE", false },
		{ "\xFF", false },
		{ "\xFE\xFE\xFF\xFF", false },
		/* overlong forms of '/' and of NUL */
		{ "\xC0\xAF", false },
		{ "\xE0\x80\xAF", false },
		{ "\xF0\x80\x80\xAF", false },
		{ "\xC1\xBF", false },
		{ "\xE0\x9F\xBF", false },
		{ "\xF0\x8F\xBF\xBF", false },
		{ "\xC0\x80", false },
	};
	size_t i;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (utf8_is_valid(cases[i].in, strlen(cases[i].in)) !=
		    cases[i].is_valid) {
			print_error("'%s' should be %s\n", cases[i].in,
				    cases[i].is_valid ? "valid" : "invalid");
			failures++;
		}
	}
	assert_int_equal(failures, 0);
	/* a NUL byte is a valid code point */
	assert_true(utf8_is_valid("a\0b", 3));
}

static void
test_utf8_decodes_code_points_strictly(void **state)
{
	uint32_t cp = 7;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(utf8_decode("\xC3\xA9x", 3, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xE2\x80\xA6", 3, &cp), 3);
	assert_int_equal(cp, 0x2026);
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* len cuts a valid sequence short */
	cp = 7;
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xC3\xA9", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xC0\x80", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("x", 0, &cp), 0);
	assert_int_equal(cp, 7);
}

static void
test_utf8_decode_inverts_the_encoder(void **state)
{
	struct buf b = BUF_INIT;
	uint32_t c, cp;
	int failures = 0;

	(void)state;
	for (c = 0; c <= 0x10FFFF; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		buf_clear(&b);
		buf_add_utf8(&b, c);
		cp = 0xFFFFFFFF;
		if (utf8_decode(b.ptr, b.len, &cp) != b.len || cp != c)
			failures++;
	}
	buf_release(&b);
	assert_int_equal(failures, 0);
}

static void
test_utf8_xml_text_drops_what_xml_forbids(void **state)
{
	static const char in[] = "a\x01" "b\tc\n\xef\xbf\xbe\xc3\xa9\xff!";
	struct buf out = BUF_INIT;

	(void)state;
	utf8_xml_text(in, sizeof(in) - 1, &out);
	assert_string_equal(out.ptr, "ab\tc\n\xc3\xa9\xef\xbf\xbd!");
	buf_release(&out);
}

static void
test_utf8_repairs_each_maximal_subpart(void **state)
{
	static const struct text_case cases[] = {
		{ "", "" },
		{ "déjà vu 😀", "déjà vu 😀" },
		/* Unicode 15 §3.9, Table 3-11 */
		{ "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
		  "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d" },
		{ "\xC0\xAF", FFFD FFFD },
		{ "\xE0\x80\xAF", FFFD FFFD FFFD },
		{ "\xED\xA0\x80", FFFD FFFD FFFD },
		{ "\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD },
		{ "\xF0\x9F\x98", FFFD },
		{ "\xF0\x9F\x98 ok", FFFD " ok" },
		{ "\xE2\x82\xE2\x82\xAC", FFFD "€" },
		{ "caf\xE9 cr\xE8me", "caf" FFFD " cr" FFFD "me" },
		{ "\xFE\xFF", FFFD FFFD },
		{ "end\xC3", "end" FFFD },
	};
	struct buf out = BUF_INIT;

	(void)state;
	check_text(utf8_repair, cases, sizeof(cases) / sizeof(cases[0]));
	/* a NUL byte is kept */
	utf8_repair("a\0\xFF", 3, &out);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.ptr, "a\0" FFFD, 5);
	buf_release(&out);
}

static void
test_utf8_counts_extended_grapheme_clusters(void **state)
{
	static const struct {
		const char *in;
		size_t want;
	} cases[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "déjà", 4 },
		{ "e" ACUTE, 1 },
		{ "e" ACUTE "\xCC\xA7" "a", 2 },  /* e + two marks, a */
		{ FAMILY, 1 },
		{ FAMILY FAMILY, 2 },
		{ "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", 1 }, /* 👍🏽 */
		{ "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88",
		  1 }, /* 🏳️‍🌈 */
		{ FR, 1 },
		{ FR JP, 2 },
		{ FR "\xF0\x9F\x87\xAF", 2 }, /* a lone regional indicator */
		{ "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4", 3 }, /* 한국어 */
		{ "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", 1 }, /* 한 in jamo */
		{ "\r\n", 1 },
		{ "\xFF\xFE", 2 },
		{ "a\xF0\x9F\x98", 2 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(utf8_graphemes(cases[i].in,
						 strlen(cases[i].in)),
				 cases[i].want);
}

struct truncate_case {
	const char *in;
	size_t max;
	const char *want;
};

static void
test_utf8_truncates_whole_words_and_graphemes(void **state)
{
	static const struct truncate_case cases[] = {
		/* fits, exactly or with room */
		{ "Hello world", 11, "Hello world" },
		{ "Hello world", 40, "Hello world" },
		{ "", 5, "" },
		/* cut at the last word that fits with the ellipsis */
		{ "Hello world", 10, "Hello…" },
		{ "Hello world again", 12, "Hello world…" },
		{ "Hello world again", 13, "Hello world…" },
		{ "Le Voyage de Chihiro, Hayao Miyazaki", 24,
		  "Le Voyage de Chihiro…" },
		/* a single word longer than max is cut inside */
		{ "Anticonstitutionnellement", 10, "Anticonst…" },
		{ "a Anticonstitutionnellement", 10, "a…" },
		/* white space collapsed and trimmed */
		{ "  a \t\n b  ", 10, "a b" },
		{ "\n\nLe\r\nchat  dort\n", 40, "Le chat dort" },
		{ "un  deux  trois  quatre", 13, "un deux…" },
		/* never inside a cluster */
		{ "x" FAMILY FAMILY " y", 3, "x" FAMILY "…" },
		{ "ab" FAMILY "cd", 4, "ab" FAMILY "…" },
		{ "e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE, 3,
		  "e" ACUTE "e" ACUTE "…" },
		{ FR JP FR, 2, FR "…" },
		{ "caf" "e" ACUTE " noir", 5, "caf" "e" ACUTE "…" },
		/* no-break spaces hold words together */
		{ "Quoi\xC2\xA0? Vraiment", 8, "Quoi\xC2\xA0?…" },
		{ "aaaa\xC2\xA0" "bbbb", 7, "aaaa\xC2\xA0" "b…" },
		/* extremes */
		{ "Hello", 0, "" },
		{ "Hello", 1, "…" },
		{ "H", 1, "H" },
		{ "Hi you", 2, "H…" },
		/* invalid bytes are repaired, never split */
		{ "abc\xFF def", 20, "abc" FFFD " def" },
		{ "\xF0\x9F\x98\xF0\x9F\x98\xF0\x9F\x98", 2, FFFD "…" },
	};
	struct buf out = BUF_INIT;
	size_t i, len;
	char *copy;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = strlen(cases[i].in);
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, cases[i].in, len);
		buf_clear(&out);
		utf8_truncate_words(copy, len, cases[i].max, &out);
		free(copy);
		if (strcmp(out.ptr, cases[i].want)) {
			print_error("'%s' at %zu: got '%s', want '%s'\n",
				    cases[i].in, cases[i].max, out.ptr,
				    cases[i].want);
			failures++;
		} else if (utf8_graphemes(out.ptr, out.len) > cases[i].max) {
			print_error("'%s' at %zu: too long\n", cases[i].in,
				    cases[i].max);
			failures++;
		}
	}
	buf_release(&out);
	assert_int_equal(failures, 0);
}

static void
test_utf8_truncation_appends_to_out(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	buf_adds(&out, "summary: ");
	utf8_truncate_words("  one two three ", 16, 8, &out);
	assert_string_equal(out.ptr, "summary: one two…");
	buf_release(&out);
}

static void
test_utf8_folds_case_and_accents(void **state)
{
	static const struct text_case cases[] = {
		{ "Shōnen", "shonen" },
		{ "ÉCOLE", "ecole" },
		{ "Déjà vu", "deja vu" },
		{ "Straße", "strasse" },
		{ "Œuvre", "oeuvre" },
		{ "ŁÓDŹ Ærø", "lodz aero" },
		{ "İstanbul", "istanbul" },
		{ "e" ACUTE, "e" },
		{ "ﬁnal ＡＢＣ ½", "final abc 1/2" },
		{ "L’été – 2026", "l'ete - 2026" },
		{ "soft\xC2\xADhyphen", "softhyphen" },
		{ "Ελληνικά", "ελληνικα" },
		{ "Москва Ёлка", "москва елка" },
		/* marks that change the letter stay */
		{ "がっこう", "がっこう" },
		{ "進撃の巨人", "進撃の巨人" },
		{ "a\xFF" "b", "a" FFFD "b" },
		{ "", "" },
	};

	(void)state;
	check_text(utf8_fold, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
slug_60(const char *s, size_t len, struct buf *out)
{
	utf8_slug(s, len, 60, out);
}

static void
test_utf8_makes_ascii_slugs(void **state)
{
	static const struct text_case cases[] = {
		{ "L'Attaque des Titans — tome 1",
		  "l-attaque-des-titans-tome-1" },
		{ "Amélie Poulain : le fabuleux destin",
		  "amelie-poulain-le-fabuleux-destin" },
		{ "Œuvres complètes", "oeuvres-completes" },
		{ "  --Hello,   World!--  ", "hello-world" },
		{ "Straße 42", "strasse-42" },
		{ "ＡＢＣ ½", "abc-1-2" },
		{ "caf\xE9 cr\xE8me", "caf-cr-me" },
		{ "進撃の巨人 2", "2" },
		{ "進撃の巨人", "" },
		{ "Ελληνικά", "" },
		{ "!!! ???", "" },
		{ "", "" },
	};

	(void)state;
	check_text(slug_60, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_utf8_slug_is_cut_at_a_hyphen(void **state)
{
	static const struct truncate_case cases[] = {
		{ "l'attaque des titans", 20, "l-attaque-des-titans" },
		{ "l'attaque des titans", 19, "l-attaque-des" },
		{ "l'attaque des titans", 15, "l-attaque-des" },
		{ "l'attaque des titans", 13, "l-attaque-des" },
		{ "l'attaque des titans", 12, "l-attaque" },
		{ "Anticonstitutionnellement", 10, "anticonsti" },
		{ "Hello world", 0, "" },
	};
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_clear(&out);
		utf8_slug(cases[i].in, strlen(cases[i].in), cases[i].max,
			  &out);
		assert_string_equal(out.ptr, cases[i].want);
	}
	buf_release(&out);
}

static void
test_utf8_survives_arbitrary_bytes(void **state)
{
	struct buf out = BUF_INIT;
	unsigned char bytes[64];
	uint32_t seed = 12345;
	size_t round, i, len;

	(void)state;
	/* a fixed xorshift stream: reproducible, biased to UTF-8 leads */
	for (round = 0; round < 2000; round++) {
		len = round % sizeof(bytes);
		for (i = 0; i < len; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			bytes[i] = (unsigned char)(seed & 1 ? 0x80 | seed >> 8
							    : seed >> 8);
		}
		buf_clear(&out);
		utf8_repair((const char *)bytes, len, &out);
		assert_true(utf8_is_valid(out.ptr, out.len));
		buf_clear(&out);
		utf8_truncate_words((const char *)bytes, len, 7, &out);
		assert_true(utf8_is_valid(out.ptr, out.len));
		assert_true(utf8_graphemes(out.ptr, out.len) <= 7);
		buf_clear(&out);
		utf8_fold((const char *)bytes, len, &out);
		assert_true(utf8_is_valid(out.ptr, out.len));
		buf_clear(&out);
		utf8_slug((const char *)bytes, len, 12, &out);
		assert_true(out.len <= 12);
		if (out.len > 0) {
			assert_true(out.ptr[0] != '-');
			assert_true(out.ptr[out.len - 1] != '-');
			assert_null(strstr(out.ptr, "--"));
		}
	}
	buf_release(&out);
}

/* Long texts are read by prefix: white space runs and combining marks
 * longer than the first prefix must give what the whole text gives. */
static void
test_utf8_truncates_long_texts_read_by_prefix(void **state)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	size_t i;

	(void)state;
	buf_addc(&in, 'a');
	for (i = 0; i < 2000; i++)
		buf_addc(&in, '\n');
	buf_addc(&in, 'b');
	for (i = 0; i < 3000; i++)
		buf_addc(&in, '\t');
	buf_adds(&in, "c");
	utf8_truncate_words(in.ptr, in.len, 5, &out);
	assert_string_equal(out.ptr, "a b c");
	buf_clear(&out);
	buf_adds(&in, " d e f");
	utf8_truncate_words(in.ptr, in.len, 5, &out);
	assert_string_equal(out.ptr, "a b\u2026");

	/* one grapheme of 1 + 400 code points, then words */
	buf_clear(&in);
	buf_clear(&out);
	buf_adds(&in, "ab e");
	for (i = 0; i < 400; i++)
		buf_adds(&in, "\xCC\x81"); /* U+0301 */
	buf_adds(&in, " cd ef gh");
	utf8_truncate_words(in.ptr, in.len, 8, &out);
	assert_int_equal(out.len, strlen("ab e") + 800 + strlen(" cd\u2026"));
	assert_memory_equal(out.ptr + out.len - strlen(" cd\u2026"),
			    " cd\u2026", strlen(" cd\u2026"));
	buf_release(&in);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_validates_like_the_kuhn_stress_test),
		cmocka_unit_test(test_utf8_decodes_code_points_strictly),
		cmocka_unit_test(test_utf8_decode_inverts_the_encoder),
		cmocka_unit_test(test_utf8_repairs_each_maximal_subpart),
		cmocka_unit_test(test_utf8_xml_text_drops_what_xml_forbids),
		cmocka_unit_test(test_utf8_counts_extended_grapheme_clusters),
		cmocka_unit_test(test_utf8_truncates_whole_words_and_graphemes),
		cmocka_unit_test(test_utf8_truncates_long_texts_read_by_prefix),
		cmocka_unit_test(test_utf8_truncation_appends_to_out),
		cmocka_unit_test(test_utf8_folds_case_and_accents),
		cmocka_unit_test(test_utf8_makes_ascii_slugs),
		cmocka_unit_test(test_utf8_slug_is_cut_at_a_hyphen),
		cmocka_unit_test(test_utf8_survives_arbitrary_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
