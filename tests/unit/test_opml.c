#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/report.h"
#include "ingest/ingest.h"

static const char sample[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<opml version=\"2.0\">\n"
	"  <head><title>Abonnements</title><ownerName>Médiathèque</ownerName></head>\n"
	"  <body>\n"
	"    <outline text=\"Manga\">\n"
	"      <outline type=\"rss\" text=\"Actu manga\" xmlUrl=\"https://manga.example/feed\"\n"
	"               htmlUrl=\"https://manga.example/\" category=\"/manga, jeunesse\"/>\n"
	"    </outline>\n"
	"    <outline type=\"link\" text=\"Not a feed\" url=\"https://x.example/\" custom=\"kept\"/>\n"
	"    <outline type=\"rss\" title=\"Cinéma\" text=\"cine\" xmlUrl=\"file:///srv/cinema.xml\"/>\n"
	"  </body>\n"
	"</opml>\n";

static struct opml *
parse_sample(struct report *rep)
{
	struct opml *o = opml_parse(rep, "sources.opml", sample, strlen(sample));

	assert_non_null(o);
	return o;
}

static void
test_opml_reads_sources_titles_and_topics(void **state)
{
	struct report rep;
	struct opml *o;
	const struct opml_source *s;
	size_t n;

	(void)state;
	report_init_collect(&rep);
	o = parse_sample(&rep);
	s = opml_sources(o, &n);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].xml_url, "https://manga.example/feed");
	assert_string_equal(s[0].html_url, "https://manga.example/");
	assert_string_equal(s[0].title, "Actu manga");
	assert_int_equal(s[0].ntopics, 2);
	assert_string_equal(s[0].topics[0], "manga");
	assert_string_equal(s[0].topics[1], "jeunesse");
	assert_string_equal(s[1].title, "Cinéma");
	assert_null(s[1].html_url);
	assert_int_equal(s[1].ntopics, 0);
	opml_free(o);
	report_release(&rep);
}

static void
test_opml_edits_keep_unknown_outlines(void **state)
{
	const char *topics[] = { "musique" };
	struct report rep;
	struct opml *o;
	struct buf out = BUF_INIT;
	const struct opml_source *s;
	size_t n;

	(void)state;
	report_init_collect(&rep);
	o = parse_sample(&rep);
	assert_int_equal(opml_add(o, "https://music.example/rss", NULL,
				  "Musique & Co", topics, 1), 0);
	assert_int_equal(opml_add(o, "https://music.example/rss", NULL, "x",
				  NULL, 0), 1);
	assert_int_equal(opml_remove(o, "file:///srv/cinema.xml"), 0);
	assert_int_equal(opml_remove(o, "file:///srv/cinema.xml"), 1);
	assert_int_equal(opml_set_url(o, "https://manga.example/feed",
				      "https://manga.example/rss"), 0);
	opml_add_topics(o, opml_find(o, "https://manga.example/rss"), topics,
			1);
	s = opml_sources(o, &n);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].xml_url, "https://manga.example/rss");
	assert_int_equal(s[0].ntopics, 3);
	assert_string_equal(s[0].topics[2], "musique");
	assert_int_equal(opml_serialize(&rep, o, &out), 0);
	assert_non_null(strstr(out.ptr, "custom=\"kept\""));
	assert_non_null(strstr(out.ptr, "<ownerName>Médiathèque</ownerName>"));
	assert_non_null(strstr(out.ptr,
			       "<outline type=\"rss\" text=\"Musique &amp; Co\" "
			       "title=\"Musique &amp; Co\" "
			       "xmlUrl=\"https://music.example/rss\" "
			       "category=\"musique\"/>"));
	assert_non_null(strstr(out.ptr, "category=\"manga,jeunesse,musique\""));
	assert_null(strstr(out.ptr, "cinema.xml"));
	buf_release(&out);
	opml_free(o);
	report_release(&rep);
}

static void
test_opml_refuses_entities_and_non_opml(void **state)
{
	const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE o [<!ENTITY a "
			   "\"aaaa\">]><opml><body/></opml>";
	const char *html = "<html><body></body></html>";
	const char *broken = "<opml><body>\n<outline></body></opml>";
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	assert_null(opml_parse(&rep, "a.opml", bomb, strlen(bomb)));
	assert_null(opml_parse(&rep, "b.opml", html, strlen(html)));
	assert_null(opml_parse(&rep, "c.opml", broken, strlen(broken)));
	assert_string_equal(
		rep.collected.ptr,
		"error: a.opml: entity declarations are not allowed in OPML\n"
		"error: b.opml: not an OPML file (no <opml> root)\n"
		"error: c.opml:2: not valid XML: Opening and ending tag "
		"mismatch: outline line 2 and body\n");
	report_release(&rep);
}

static void
test_opml_missing_file_is_an_empty_list(void **state)
{
	struct report rep;
	struct opml *o;
	struct buf out = BUF_INIT;
	size_t n;

	(void)state;
	report_init_collect(&rep);
	o = opml_load(&rep, "/nonexistent/sources.opml");
	assert_non_null(o);
	opml_sources(o, &n);
	assert_int_equal(n, 0);
	assert_int_equal(opml_serialize(&rep, o, &out), 0);
	assert_string_equal(out.ptr,
			    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<opml version=\"2.0\">\n"
			    "  <head>\n"
			    "    <title>Sources</title>\n"
			    "  </head>\n"
			    "  <body/>\n"
			    "</opml>\n");
	buf_release(&out);
	opml_free(o);
	report_release(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opml_reads_sources_titles_and_topics),
		cmocka_unit_test(test_opml_edits_keep_unknown_outlines),
		cmocka_unit_test(test_opml_refuses_entities_and_non_opml),
		cmocka_unit_test(test_opml_missing_file_is_an_empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
