/*
 * curate_load: tagged links and pages, their checks, messages and order.
 * Each test writes a small site in a temporary folder and reads it from
 * there (as "."), so that messages name "links/…" as for a librarian.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/date.h"
#include "core/file.h"
#include "core/report.h"
#include "curate/curate.h"
#include "ingest/ingest.h"

#define CONFIG \
	"title: Médiathèque\n" \
	"url: https://bib.example.org/\n" \
	"topics:\n" \
	"  - slug: manga\n" \
	"    title: Manga\n" \
	"  - slug: musique\n" \
	"    title: Musique\n"

struct fixture {
	char dir[64];
	char cwd[PATH_MAX];
	struct config cfg;
	struct report rep;
	struct site_content content;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct report rep;

	assert_non_null(f);
	assert_non_null(getcwd(f->cwd, sizeof(f->cwd)));
	snprintf(f->dir, sizeof(f->dir), "/tmp/curator-content.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(chdir(f->dir), 0);
	report_init(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", CONFIG,
				      strlen(CONFIG), &f->cfg),
			 0);
	report_release(&rep);
	report_init_collect(&f->rep);
	*state = f;
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
	     struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(chdir(f->cwd), 0);
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	site_content_release(&f->content);
	config_release(&f->cfg);
	report_release(&f->rep);
	free(f);
	return 0;
}

/* Writes a file of the site, making its folders. */
static void
put(struct fixture *f, const char *rel, const char *text)
{
	struct buf dir = BUF_INIT;
	const char *slash = strrchr(rel, '/');

	(void)f;
	if (slash) {
		buf_add(&dir, rel, (size_t)(slash - rel));
		assert_int_equal(file_mkdirs(&f->rep, dir.ptr), 0);
	}
	assert_int_not_equal(file_write_atomic(&f->rep, rel, text,
					       strlen(text), false),
			     FILE_WRITE_FAILED);
	buf_release(&dir);
}

static int
load(struct fixture *f)
{
	return curate_load(&f->rep, &f->cfg, ".", &f->content);
}

/* Loads the site: it must fail with exactly want reported. */
static void
assert_errors(struct fixture *f, const char *want)
{
	assert_int_equal(load(f), -1);
	assert_string_equal(f->rep.collected.ptr, want);
	assert_int_equal(f->content.nlinks, 0);
	assert_int_equal(f->content.npages, 0);
}

static void
test_content_reads_every_key_of_a_link(void **state)
{
	struct fixture *f = *state;
	const struct link *l;
	char date[DATE_RFC3339_SIZE];

	put(f, "links/2026/11/frieren-tome-1.md",
	    "---\n"
	    "url: https://planete-manga.example/series/frieren\n"
	    "title: \"Frieren : l'aventure commence\"\n"
	    "topics: [manga, musique, manga]\n"
	    "tags: [fantasy, \" coup de cœur \", fantasy, \"\"]\n"
	    "kind: manga\n"
	    "by: Aiko\n"
	    "date: 2026-11-24T10:00:00+01:00\n"
	    "image: https://planete-manga.example/frieren.jpg\n"
	    "isbn: 978-2-505-11234-1\n"
	    "source: Planète Manga\n"
	    "language: ja\n"
	    "item: \"42\"\n"
	    "---\n"
	    "Une elfe **magicienne**.\n");
	assert_int_equal(load(f), 0);
	assert_string_equal(f->rep.collected.ptr, "");
	assert_int_equal(f->content.nlinks, 1);
	l = &f->content.links[0];
	assert_string_equal(l->path, "links/2026/11/frieren-tome-1.md");
	assert_string_equal(l->slug, "frieren-tome-1");
	assert_string_equal(l->output_dir, "links/2026/11/frieren-tome-1");
	assert_string_equal(l->url,
			    "https://planete-manga.example/series/frieren");
	assert_string_equal(l->title, "Frieren : l'aventure commence");
	assert_int_equal(l->ntopics, 2);
	assert_string_equal(l->topics[0], "manga");
	assert_string_equal(l->topics[1], "musique");
	assert_int_equal(l->ntags, 2);
	assert_string_equal(l->tags[0], "fantasy");
	assert_string_equal(l->tags[1], "coup de cœur");
	assert_int_equal(l->kind, LINK_KIND_MANGA);
	assert_string_equal(l->by, "Aiko");
	date_format_rfc3339(l->date, date);
	assert_string_equal(date, "2026-11-24T09:00:00Z");
	assert_string_equal(l->image,
			    "https://planete-manga.example/frieren.jpg");
	assert_string_equal(l->isbn, "9782505112341");
	assert_string_equal(l->source, "Planète Manga");
	assert_string_equal(l->language, "ja");
	assert_string_equal(l->item_id, "42");
	assert_non_null(l->note_html);
	assert_non_null(l->note_text);
	assert_string_equal(l->note_html,
			    "<p>Une elfe <strong>magicienne</strong>.</p>\n");
	assert_string_equal(l->note_text, "Une elfe magicienne.");
}

static void
test_content_defaults_of_a_link(void **state)
{
	struct fixture *f = *state;
	const struct link *l;

	put(f, "links/2026/11/a.md",
	    "---\n"
	    "url: https://ex.org/a\n"
	    "title: A\n"
	    "date: 2026-11-24\n"
	    "by:\n"
	    "---\n");
	assert_int_equal(load(f), 0);
	l = &f->content.links[0];
	assert_int_equal(l->kind, LINK_KIND_ARTICLE);
	assert_int_equal(l->ntopics, 0);
	assert_null(l->topics);
	assert_int_equal(l->ntags, 0);
	assert_null(l->by);
	assert_null(l->image);
	assert_string_equal(l->isbn, "");
	assert_null(l->source);
	assert_null(l->language);
	assert_null(l->item_id);
	assert_int_equal(l->date, 1795478400); /* 2026-11-24T00:00:00Z */
	assert_string_equal(l->note_html, "");
	assert_string_equal(l->note_text, "");
}

static void
test_content_reports_unknown_key_with_suggestion(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/a.md",
	    "---\n"
	    "url: https://ex.org/a\n"
	    "title: A\n"
	    "date: 2026-11-24\n"
	    "tagz: [x]\n"
	    "---\n");
	assert_errors(f, "error: links/2026/11/a.md:5: unknown key \"tagz\" "
			 "(did you mean \"tags\"?)\n");
}

static void
test_content_reports_unknown_key_with_the_keys(void **state)
{
	struct fixture *f = *state;

	put(f, "pages/infos.md",
	    "---\n"
	    "title: Infos\n"
	    "colour: blue\n"
	    "---\n");
	assert_errors(f, "error: pages/infos.md:3: unknown key \"colour\"\n"
			 "hint: the keys allowed here are: title, slug, "
			 "menu\n");
}

static void
test_content_reports_unknown_topics(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/a.md",
	    "---\n"
	    "url: https://ex.org/a\n"
	    "title: A\n"
	    "topics:\n"
	    "  - manga\n"
	    "  - mangas\n"
	    "  - jazz\n"
	    "date: 2026-11-24\n"
	    "---\n");
	assert_errors(f, "error: links/2026/11/a.md:6: unknown topic "
			 "\"mangas\" (did you mean \"manga\"?)\n"
			 "hint: the topics of curator.yaml are: manga, "
			 "musique\n"
			 "error: links/2026/11/a.md:7: unknown topic "
			 "\"jazz\"\n");
}

static void
test_content_reports_bad_and_missing_dates(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/a.md",
	    "---\n"
	    "url: https://ex.org/a\n"
	    "title: A\n"
	    "date: 2026-13-01\n"
	    "---\n");
	put(f, "links/2026/11/b.md",
	    "---\n"
	    "url: https://ex.org/b\n"
	    "title: B\n"
	    "---\n");
	assert_errors(f, "error: links/2026/11/a.md:4: \"date\" must be a "
			 "date like 2026-11-24 or 2026-11-24T09:00:00+01:00\n"
			 "error: links/2026/11/b.md:1: \"date\" is required\n"
			 "hint: add a line like 'date: "
			 "2026-11-24T10:00:00+01:00' between the '---' "
			 "lines\n");
}

static void
test_content_reports_bad_isbn(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/a.md",
	    "---\n"
	    "url: https://ex.org/a\n"
	    "title: A\n"
	    "date: 2026-11-24\n"
	    "isbn: \"9782505112342\"\n"
	    "---\n");
	assert_errors(f, "error: links/2026/11/a.md:5: \"isbn\" is not a "
			 "valid ISBN or EAN: '9782505112342'\n"
			 "hint: copy the 10 or 13 digits again: the last "
			 "one is a check digit computed from the others\n");
}

static void
test_content_reports_missing_title_url_and_bad_values(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/a.md",
	    "---\n"
	    "title: \"  \"\n"
	    "kind: mang\n"
	    "date: 2026-11-24\n"
	    "image: javascript:alert(1)\n"
	    "language: français\n"
	    "---\n");
	put(f, "pages/infos.md", "---\nmenu: 100\n---\n");
	assert_errors(
		f,
		"error: links/2026/11/a.md:1: \"url\" is required\n"
		"hint: add a line like 'url: https://example.org/the-page' "
		"between the '---' lines\n"
		"error: links/2026/11/a.md:1: \"title\" is required\n"
		"hint: add a line like 'title: \"The title\"' between the "
		"'---' lines\n"
		"error: links/2026/11/a.md:3: unknown kind \"mang\" (did you "
		"mean \"manga\"?)\n"
		"hint: the kinds are: article, book, music, film, manga, "
		"comic, game, podcast, video, event\n"
		"error: links/2026/11/a.md:5: \"image\" must be an absolute "
		"http:// or https:// URL: 'javascript:alert(1)'\n"
		"hint: copy the whole address from the browser, starting "
		"with https://\n"
		"error: links/2026/11/a.md:6: \"language\" must be a language "
		"tag like en, fr or pt-BR: 'français'\n"
		"hint: give it only when the page is not in the site's "
		"language\n"
		"error: pages/infos.md:1: \"title\" is required\n"
		"hint: add a line like 'title: Opening hours and access' "
		"between the '---' lines\n"
		"error: pages/infos.md:2: \"menu\" must be a whole number "
		"from 0 to 99\n");
}

static void
test_content_reports_bad_file_names(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/Mon Lien.md",
	    "---\nurl: https://ex.org/a\ntitle: A\ndate: 2026-11-24\n---\n");
	put(f, "pages/Café.md", "---\ntitle: Café\n---\n");
	assert_errors(f, "error: links/2026/11/Mon Lien.md: the file name "
			 "must be lowercase letters, digits and hyphens: "
			 "'Mon Lien.md'\n"
			 "hint: rename it to 'mon-lien.md': its name is part "
			 "of the page's address\n"
			 "error: pages/Café.md: the file name must be "
			 "lowercase letters, digits and hyphens: 'Café.md'\n"
			 "hint: rename it to 'cafe.md': its name is part of "
			 "the page's address\n");
}

static void
test_content_reports_duplicate_page_slug(void **state)
{
	struct fixture *f = *state;

	put(f, "pages/infos.md", "---\ntitle: Infos\n---\n");
	put(f, "pages/horaires.md",
	    "---\n"
	    "title: Horaires\n"
	    "slug: infos\n"
	    "---\n");
	assert_errors(f, "error: pages/infos.md:1: slug \"infos\" is "
			 "already the slug of pages/horaires.md\n"
			 "hint: add a line 'slug: another-name' to the front "
			 "matter of one of them\n");
}

static void
test_content_reports_reserved_and_bad_slugs(void **state)
{
	struct fixture *f = *state;

	put(f, "pages/topics.md", "---\ntitle: Nos thèmes\n---\n");
	put(f, "pages/x.md", "---\ntitle: X\nslug: 404\n---\n");
	put(f, "pages/y.md", "---\ntitle: Y\nslug: Mon Slug\n---\n");
	assert_errors(
		f,
		"error: pages/topics.md:1: slug \"topics\" is reserved for "
		"the site's own pages\n"
		"hint: choose another slug: the site uses 404, accessibilite, "
		"assets, links, media, playlists, search, tags, topics for "
		"its own pages\n"
		"error: pages/x.md:3: slug \"404\" is reserved for the site's "
		"own pages\n"
		"hint: choose another slug: the site uses 404, accessibilite, "
		"assets, links, media, playlists, search, tags, topics for "
		"its own pages\n"
		"error: pages/y.md:3: \"slug\" must be lowercase letters, "
		"digits and hyphens: 'Mon Slug'\n"
		"hint: for example: slug: opening-hours\n");
}

static void
test_content_reports_two_links_at_one_address(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/11/a.md",
	    "---\nurl: https://ex.org/a\ntitle: A\ndate: 2026-11-02\n---\n");
	put(f, "links/archive/a.md",
	    "---\nurl: https://ex.org/b\ntitle: B\ndate: 2026-11-03\n---\n");
	assert_errors(f, "error: links/archive/a.md: same address as "
			 "links/2026/11/a.md: 'links/2026/11/a/'\n"
			 "hint: rename one of the two files\n");
}

static void
test_content_reports_front_matter_problems(void **state)
{
	struct fixture *f = *state;

	put(f, "links/a.md", "no front matter\n");
	put(f, "links/b.md", "---\n- a list\n---\n");
	assert_errors(f, "error: links/a.md:1: no front matter: the file "
			 "must start with a line \"---\"\n"
			 "hint: put the keys (title: ..., and so on) between "
			 "two lines \"---\" at the top of the file\n"
			 "error: links/b.md:2: \"the front matter\" must be a "
			 "mapping (key: value lines)\n");
}

static void
test_content_orders_links_newest_first(void **state)
{
	struct fixture *f = *state;

	put(f, "links/2026/10/old.md",
	    "---\nurl: https://ex.org/1\ntitle: 1\n"
	    "date: 2026-10-01T10:00:00Z\n---\n");
	put(f, "links/2026/11/b.md",
	    "---\nurl: https://ex.org/2\ntitle: 2\n"
	    "date: 2026-11-24T10:00:00+01:00\n---\n");
	put(f, "links/2026/11/a.md",
	    "---\nurl: https://ex.org/3\ntitle: 3\n"
	    "date: 2026-11-24T09:00:00Z\n---\n");
	put(f, "links/2026/11/new.md",
	    "---\nurl: https://ex.org/4\ntitle: 4\n"
	    "date: 2026-11-25\n---\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(f->content.nlinks, 4);
	assert_string_equal(f->content.links[0].path, "links/2026/11/new.md");
	assert_string_equal(f->content.links[1].path, "links/2026/11/a.md");
	assert_string_equal(f->content.links[2].path, "links/2026/11/b.md");
	assert_string_equal(f->content.links[3].path, "links/2026/10/old.md");
}

static void
test_content_orders_pages_by_menu_then_slug(void **state)
{
	struct fixture *f = *state;

	put(f, "pages/zeta.md", "---\ntitle: Z\nmenu: 1\n---\n");
	put(f, "pages/alpha.md", "---\ntitle: A\nmenu: 2\n---\n");
	put(f, "pages/beta.md", "---\ntitle: B\n---\n");
	put(f, "pages/gamma.md", "---\ntitle: G\nslug: aaa\nmenu: 0\n---\n");
	put(f, "pages/delta.md", "---\ntitle: D\nmenu: 2\n---\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(f->content.npages, 5);
	assert_string_equal(f->content.pages[0].slug, "zeta");
	assert_string_equal(f->content.pages[1].slug, "alpha");
	assert_string_equal(f->content.pages[2].slug, "delta");
	assert_string_equal(f->content.pages[3].slug, "aaa");
	assert_string_equal(f->content.pages[3].path, "pages/gamma.md");
	assert_string_equal(f->content.pages[4].slug, "beta");
	assert_int_equal(f->content.pages[0].menu, 1);
	assert_int_equal(f->content.pages[4].menu, 0);
}

static void
test_content_output_dir_from_folder_or_utc_date(void **state)
{
	struct fixture *f = *state;

	/* In links/YYYY/MM/: that folder, even when the date says else. */
	put(f, "links/2026/11/a.md",
	    "---\nurl: https://ex.org/a\ntitle: A\n"
	    "date: 2026-12-01\n---\n");
	/* Elsewhere: the date's month in UTC (here the next day's). */
	put(f, "links/misc/b.md",
	    "---\nurl: https://ex.org/b\ntitle: B\n"
	    "date: 2026-02-28T23:30:00-02:00\n---\n");
	put(f, "links/2026/13/c.md",
	    "---\nurl: https://ex.org/c\ntitle: C\n"
	    "date: 2026-05-01\n---\n");
	assert_int_equal(load(f), 0);
	assert_int_equal(f->content.nlinks, 3);
	assert_string_equal(f->content.links[0].output_dir,
			    "links/2026/11/a");
	assert_string_equal(f->content.links[1].output_dir,
			    "links/2026/05/c");
	assert_string_equal(f->content.links[2].output_dir,
			    "links/2026/03/b");
}

static void
test_content_skips_dotfiles_and_other_files(void **state)
{
	struct fixture *f = *state;

	put(f, "links/.draft.md", "not even front matter");
	put(f, "links/.git/x.md", "nor this");
	put(f, "links/2026/11/cover.jpg", "\xff\xd8");
	put(f, "links/2026/11/a.md",
	    "---\nurl: https://ex.org/a\ntitle: A\ndate: 2026-11-02\n---\n");
	put(f, "pages/sub/deep.md", "not read: pages/ is not recursive");
	put(f, "pages/.swp.md", "nor this");
	assert_int_equal(load(f), 0);
	assert_string_equal(f->rep.collected.ptr, "");
	assert_int_equal(f->content.nlinks, 1);
	assert_int_equal(f->content.npages, 0);
}

static void
test_content_empty_site_is_fine(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f), 0);
	assert_int_equal(f->content.nlinks, 0);
	assert_null(f->content.links);
	assert_int_equal(f->content.npages, 0);
}

static void
test_content_names_files_under_the_site_folder(void **state)
{
	struct fixture *f = *state;
	struct site_content content;

	put(f, "site/links/2026/11/a.md",
	    "---\nurl: https://ex.org/a\ntitle: A\ntopic: manga\n"
	    "date: 2026-11-02\n---\n");
	assert_int_equal(curate_load(&f->rep, &f->cfg, "site", &content), -1);
	assert_string_equal(f->rep.collected.ptr,
			    "error: site/links/2026/11/a.md:4: unknown key "
			    "\"topic\" (did you mean \"topics\"?)\n");
	site_content_release(&content);
}

/* cmark's safe mode drops raw HTML and javascript: links; the sanitizer
 * behind it keeps only its allowlist. */
static void
test_content_note_is_safe_html(void **state)
{
	struct fixture *f = *state;
	const struct page *p;
	const struct link *l;

	put(f, "links/2026/11/a.md",
	    "---\nurl: https://ex.org/a\ntitle: A\ndate: 2026-11-02\n---\n"
	    "Un <script>alert(1)</script> [lien](javascript:alert(1)) "
	    "et <b onclick=\"x()\">gras</b>.\n"
	    "\n"
	    "<iframe src=\"https://evil.example/\"></iframe>\n"
	    "\n"
	    "[relatif](/infos/) \"cité\" -- l'été\n");
	put(f, "pages/infos.md",
	    "---\ntitle: Infos\n---\n"
	    "<div onmouseover=\"alert(1)\">x</div>\n\n"
	    "![img](javascript:alert(1))\n");
	assert_int_equal(load(f), 0);
	l = &f->content.links[0];
	p = &f->content.pages[0];
	assert_null(strstr(l->note_html, "script"));
	assert_null(strstr(l->note_html, "javascript"));
	assert_null(strstr(l->note_html, "onclick"));
	assert_null(strstr(l->note_html, "iframe"));
	assert_null(strstr(p->body_html, "onmouseover"));
	assert_null(strstr(p->body_html, "javascript"));
	assert_string_equal(
		l->note_html,
		"<p>Un alert(1) lien et gras.</p>\n"
		"\n"
		"<p><a href=\"https://bib.example.org/infos/\" rel=\"nofollow "
		"noopener noreferrer ugc\">relatif</a> \xe2\x80\x9c"
		"cit\xc3\xa9\xe2\x80\x9d \xe2\x80\x93 l\xe2\x80\x99"
		"\xc3\xa9t\xc3\xa9</p>\n");
	assert_string_equal(l->note_text, "Un alert(1) lien et gras. relatif "
					  "\xe2\x80\x9c" "cit\xc3\xa9"
					  "\xe2\x80\x9d \xe2\x80\x93 "
					  "l\xe2\x80\x99\xc3\xa9t\xc3\xa9");
	assert_string_equal(p->body_html, "\n<p>img</p>\n");
}

static void
test_link_kind_names_round_trip(void **state)
{
	enum link_kind kind = LINK_KIND_COUNT;
	int i;

	(void)state;
	for (i = 0; i < LINK_KIND_COUNT; i++) {
		assert_int_equal(link_kind_parse(link_kind_name(i), &kind), 0);
		assert_int_equal(kind, i);
	}
	assert_string_equal(link_kind_name(LINK_KIND_PODCAST), "podcast");
	assert_string_equal(link_kind_name(LINK_KIND_COUNT), "article");
	kind = LINK_KIND_FILM;
	assert_int_equal(link_kind_parse("Film", &kind), -1);
	assert_int_equal(link_kind_parse("", &kind), -1);
	assert_int_equal(kind, LINK_KIND_FILM);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_content_reads_every_key_of_a_link),
		TEST(test_content_defaults_of_a_link),
		TEST(test_content_reports_unknown_key_with_suggestion),
		TEST(test_content_reports_unknown_key_with_the_keys),
		TEST(test_content_reports_unknown_topics),
		TEST(test_content_reports_bad_and_missing_dates),
		TEST(test_content_reports_bad_isbn),
		TEST(test_content_reports_missing_title_url_and_bad_values),
		TEST(test_content_reports_bad_file_names),
		TEST(test_content_reports_duplicate_page_slug),
		TEST(test_content_reports_reserved_and_bad_slugs),
		TEST(test_content_reports_two_links_at_one_address),
		TEST(test_content_reports_front_matter_problems),
		TEST(test_content_orders_links_newest_first),
		TEST(test_content_orders_pages_by_menu_then_slug),
		TEST(test_content_output_dir_from_folder_or_utc_date),
		TEST(test_content_skips_dotfiles_and_other_files),
		TEST(test_content_empty_site_is_fine),
		TEST(test_content_names_files_under_the_site_folder),
		TEST(test_content_note_is_safe_html),
		cmocka_unit_test(test_link_kind_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
