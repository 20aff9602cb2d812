/* Page metadata from the fixture pages in tests/fixtures/pages/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/file.h"
#include "ingest/ingest.h"

static void
parse_fixture(const char *name, const char *charset, const char *url,
	      struct page_meta *meta)
{
	const char *top = getenv("TOP");
	struct buf path = BUF_INIT, html = BUF_INIT;
	struct report rep;

	report_init(&rep);
	buf_addf(&path, "%s/tests/fixtures/pages/%s", top ? top : ".", name);
	assert_int_equal(file_read(&rep, path.ptr, 0, &html), 0);
	page_meta_parse(html.ptr, html.len, charset, url, meta);
	buf_release(&path);
	buf_release(&html);
	report_release(&rep);
}

static void
assert_date(const struct page_meta *meta, const char *want)
{
	char got[DATE_RFC3339_SIZE];

	assert_true(meta->has_published);
	date_format_rfc3339(meta->published, got);
	assert_string_equal(got, want);
}

static void
test_pagemeta_prefers_open_graph_over_meta_and_title(void **state)
{
	struct page_meta m;

	(void)state;
	parse_fixture("article-og.html", NULL,
		      "https://planete-manga.example/2026/11/sorties?utm=x", &m);
	assert_string_equal(m.title, "Les sorties manga de la semaine");
	assert_string_equal(m.description, "Trois premiers tomes arrivent en "
					   "librairie, dont un shōnen sportif.");
	assert_string_equal(m.image,
			    "https://planete-manga.example/img/sorties.jpg");
	assert_string_equal(m.canonical,
			    "https://planete-manga.example/2026/11/sorties");
	assert_string_equal(m.site_name, "Planète Manga");
	assert_string_equal(m.author, "Aiko Martin");
	assert_string_equal(m.kind, "article");
	assert_string_equal(m.language, "fr-FR");
	assert_date(&m, "2026-11-24T08:00:00Z");
	assert_int_equal(m.nfeeds, 1);
	assert_string_equal(m.feeds[0].url,
			    "https://planete-manga.example/feed.xml");
	assert_string_equal(m.feeds[0].title, "Planète Manga (RSS)");
	assert_string_equal(m.isbn, "");
	page_meta_release(&m);
}

static void
test_pagemeta_reads_book_isbn_from_jsonld_graph(void **state)
{
	struct page_meta m;

	(void)state;
	parse_fixture("book-jsonld.html", NULL,
		      "https://editions.example/frieren-1", &m);
	assert_string_equal(m.title, "Frieren, tome 1");
	assert_string_equal(m.author, "Kanehito Yamada");
	assert_string_equal(m.isbn, "9782505112341");
	assert_string_equal(m.kind, "Book");
	assert_string_equal(m.site_name, "Éditions Exemple");
	assert_string_equal(m.image,
			    "https://editions.example/covers/frieren-1.jpg");
	assert_string_equal(m.description, "Après la défaite du roi démon, "
					   "l'elfe Frieren se remet en route.");
	assert_date(&m, "2021-10-20T00:00:00Z");
	page_meta_release(&m);
}

static void
test_pagemeta_reads_album_artist_and_ean(void **state)
{
	struct page_meta m;

	(void)state;
	parse_fixture("album-jsonld.html", NULL,
		      "https://label.example/low-tides", &m);
	assert_string_equal(m.title, "Low Tides");
	assert_string_equal(m.author, "Lou Carasco");
	assert_string_equal(m.isbn, "5099902894225");
	assert_string_equal(m.kind, "MusicAlbum");
	assert_string_equal(m.image, "https://label.example/art/low-tides.jpg");
	assert_string_equal(m.language, "en");
	page_meta_release(&m);
}

static void
test_pagemeta_falls_back_to_the_title_element(void **state)
{
	struct page_meta m;

	(void)state;
	parse_fixture("only-title.html", NULL, "https://x.example/", &m);
	assert_string_equal(m.title, "Horaires d'hiver de la ludothèque");
	assert_null(m.description);
	assert_null(m.image);
	assert_false(m.has_published);
	assert_int_equal(m.nfeeds, 0);
	page_meta_release(&m);
}

static void
test_pagemeta_decodes_latin1_pages(void **state)
{
	struct page_meta m;

	(void)state;
	parse_fixture("latin1.html", NULL, "https://x.example/", &m);
	assert_string_equal(m.title, "Fête de la musique à la médiathèque");
	assert_string_equal(m.description,
			    "Concerts gratuits, café et dédicaces.");
	page_meta_release(&m);
	parse_fixture("latin1.html", "iso-8859-1", "https://x.example/", &m);
	assert_string_equal(m.title, "Fête de la musique à la médiathèque");
	page_meta_release(&m);
}

static void
test_pagemeta_lists_every_advertised_feed(void **state)
{
	struct page_meta m;

	(void)state;
	parse_fixture("several-feeds.html", NULL,
		      "https://ludotheque.example/blog/", &m);
	assert_int_equal(m.nfeeds, 3);
	assert_string_equal(m.feeds[0].url, "https://ludotheque.example/rss");
	assert_string_equal(m.feeds[0].type, "application/rss+xml");
	assert_string_equal(m.feeds[0].title, "Articles");
	assert_string_equal(m.feeds[1].url,
			    "https://ludotheque.example/comments/atom");
	assert_string_equal(m.feeds[2].url,
			    "https://ludotheque.example/blog/feed.json");
	assert_null(m.feeds[2].title);
	page_meta_release(&m);
}

static void
test_pagemeta_survives_garbage(void **state)
{
	static const char junk[] = "\0\xff<meta property=og:title content="
				   "\"\xc3\x28\"><script type="
				   "application/ld+json>{\"@type\":[[[";
	struct page_meta m;

	(void)state;
	page_meta_parse(junk, sizeof(junk) - 1, NULL, NULL, &m);
	page_meta_release(&m);
	page_meta_parse("", 0, NULL, NULL, &m);
	assert_null(m.title);
	page_meta_release(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagemeta_prefers_open_graph_over_meta_and_title),
		cmocka_unit_test(test_pagemeta_reads_book_isbn_from_jsonld_graph),
		cmocka_unit_test(test_pagemeta_reads_album_artist_and_ean),
		cmocka_unit_test(test_pagemeta_falls_back_to_the_title_element),
		cmocka_unit_test(test_pagemeta_decodes_latin1_pages),
		cmocka_unit_test(test_pagemeta_lists_every_advertised_feed),
		cmocka_unit_test(test_pagemeta_survives_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
