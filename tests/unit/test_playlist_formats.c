/*
 * Playlists: durations, catalogue links, identifiers, and the XSPF, JSPF
 * and M3U of a playlist built by hand (hostile text included).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/report.h"
#include "curate/curate.h"
#include "render/render.h"

static void
test_playlist_durations_parse_and_format(void **state)
{
	static const struct {
		const char *text;
		long seconds;
	} good[] = {
		{ "0:00", 0 },      { "3:07", 187 },     { "45:44", 2744 },
		{ "1:06:07", 3967 }, { "120:00", 7200 }, { "99:59:59", 359999 },
	};
	static const char *const bad[] = {
		"", "3", "3:7", "3:75", "3:07:", ":07", "1:60:00", "100:00:00",
		"3:07:00:00", "-3:07", "3.07", "3:07 ", "12345:00", "a:bc",
	};
	char out[32];
	long seconds;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(playlist_parse_duration(good[i].text, &seconds),
				 0);
		assert_int_equal(seconds, good[i].seconds);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		seconds = 42;
		assert_int_equal(playlist_parse_duration(bad[i], &seconds), -1);
		assert_int_equal(seconds, 42);
	}
	playlist_format_duration(187, out);
	assert_string_equal(out, "3:07");
	playlist_format_duration(3967, out);
	assert_string_equal(out, "1:06:07");
	playlist_format_duration(59, out);
	assert_string_equal(out, "0:59");
}

static void
test_playlist_catalogue_links_and_identifiers(void **state)
{
	struct config cfg = { 0 };
	struct buf out = BUF_INIT;

	(void)state;
	playlist_catalogue_url(&cfg, "9782505112341", &out);
	assert_string_equal(out.ptr, "");
	cfg.isbn_url = "https://cat.example/s?q={isbn}&f=isbn&again={isbn}";
	playlist_catalogue_url(&cfg, "9782505112341", &out);
	assert_string_equal(out.ptr, "https://cat.example/s?q=9782505112341"
				     "&f=isbn&again=9782505112341");
	playlist_catalogue_url(&cfg, "97 8&x=<y>", &out);
	assert_string_equal(out.ptr, "https://cat.example/s?q=97%208%26x%3D"
				     "%3Cy%3E&f=isbn&again=97%208%26x%3D%3Cy%3E");
	playlist_catalogue_url(&cfg, "", &out);
	assert_string_equal(out.ptr, "");
	playlist_identifier("9782505112341", &out);
	assert_string_equal(out.ptr, "urn:isbn:9782505112341");
	playlist_identifier("9791022333443", &out);
	assert_string_equal(out.ptr, "urn:isbn:9791022333443");
	playlist_identifier("5099995224282", &out);
	assert_string_equal(out.ptr, "urn:ean:5099995224282");
	playlist_identifier("", &out);
	assert_string_equal(out.ptr, "");
	buf_release(&out);
}

/* One music playlist with hostile text: controls XML forbids, markup,
 * line breaks, non-ASCII in a URL. */
static void
hostile_playlist(struct playlist *pl, struct playlist_entry *e)
{
	memset(pl, 0, sizeof(*pl));
	memset(e, 0, 2 * sizeof(*e));
	pl->path = "playlists/mix.md";
	pl->slug = "mix";
	pl->title = "Mix <b>&\x01 co";
	pl->kind = PLAYLIST_KIND_MUSIC;
	pl->intro_text = "Intro";
	pl->entries = e;
	pl->nentries = 2;
	e[0].title = "Song\none";
	e[0].creator = "A, B & C";
	e[0].url = "https://m.example/é x";
	e[0].duration = 61;
	e[0].note_text = "";
	e[1].title = "No URL";
	e[1].duration = -1;
	memcpy(e[1].isbn, "9782505112341", 14);
}

static void
test_playlist_formats_escape_hostile_text(void **state)
{
	struct config cfg = { 0 };
	struct playlist pl;
	struct playlist_entry e[2];
	struct buf out = BUF_INIT;
	struct report rep;

	(void)state;
	cfg.url = "https://bib.example.org/";
	cfg.isbn_url = "https://cat.example/{isbn}";
	hostile_playlist(&pl, e);
	report_init_collect(&rep);
	assert_int_equal(playlist_format_xspf(&rep, &cfg, &pl, &out), 0);
	assert_string_equal(
		out.ptr,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n"
		"  <title>Mix &lt;b&gt;&amp; co</title>\n"
		"  <annotation>Intro</annotation>\n"
		"  <info>https://bib.example.org/playlists/mix/</info>\n"
		"  <trackList>\n"
		"    <track>\n"
		"      <location>https://m.example/%C3%A9%20x</location>\n"
		"      <title>Song\none</title>\n"
		"      <creator>A, B &amp; C</creator>\n"
		"      <duration>61000</duration>\n"
		"    </track>\n"
		"    <track>\n"
		"      <identifier>urn:isbn:9782505112341</identifier>\n"
		"      <title>No URL</title>\n"
		"      <info>https://cat.example/9782505112341</info>\n"
		"    </track>\n"
		"  </trackList>\n"
		"</playlist>\n");
	buf_clear(&out);
	assert_int_equal(playlist_format_jspf(&rep, &cfg, &pl, &out), 0);
	assert_string_equal(
		out.ptr,
		"{\n"
		"  \"playlist\": {\n"
		"    \"title\": \"Mix <b>& co\",\n"
		"    \"annotation\": \"Intro\",\n"
		"    \"info\": \"https://bib.example.org/playlists/mix/\",\n"
		"    \"track\": [\n"
		"      {\n"
		"        \"location\": [\n"
		"          \"https://m.example/%C3%A9%20x\"\n"
		"        ],\n"
		"        \"title\": \"Song\\none\",\n"
		"        \"creator\": \"A, B & C\",\n"
		"        \"duration\": 61000\n"
		"      },\n"
		"      {\n"
		"        \"identifier\": [\n"
		"          \"urn:isbn:9782505112341\"\n"
		"        ],\n"
		"        \"title\": \"No URL\",\n"
		"        \"info\": \"https://cat.example/9782505112341\"\n"
		"      }\n"
		"    ]\n"
		"  }\n"
		"}\n");
	assert_true(playlist_has_m3u(&pl));
	buf_clear(&out);
	playlist_format_m3u(&pl, &out);
	assert_string_equal(out.ptr, "#EXTM3U\n"
				     "#PLAYLIST:Mix <b>& co\n"
				     "#EXTINF:61,A, B & C - Song one\n"
				     "https://m.example/%C3%A9%20x\n");
	pl.kind = PLAYLIST_KIND_FILM;
	assert_false(playlist_has_m3u(&pl));
	assert_string_equal(rep.collected.ptr, "");
	report_release(&rep);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_playlist_durations_parse_and_format),
		cmocka_unit_test(test_playlist_catalogue_links_and_identifiers),
		cmocka_unit_test(test_playlist_formats_escape_hostile_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
