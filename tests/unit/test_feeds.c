#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/file.h"
#include "core/report.h"
#include "render/feeds.h"
#include "render/output.h"

#define SITE "https://mediatheque.example.org"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

static const char *const ghibli_categories[] = { "cinéma", "animation" };

/* The special characters of both formats, a CDATA end and a control
 * character (dropped from XML) in the first entry. */
#define GHIBLI_TITLE "Le \"Studio\" Ghibli & l'<art>"
#define GHIBLI_HTML "<p>Tom &amp; Jerry ]]> <b>fin</b></p>"

static void
sample(struct feed_meta *meta, struct feed_entry e[2])
{
	memset(meta, 0, sizeof(*meta));
	meta->id = SITE "/topics/manga/";
	meta->title = "Manga & BD";
	meta->subtitle = "Les nouveautés <et> les séries";
	meta->site_url = SITE "/topics/manga/";
	meta->self_url = SITE "/topics/manga/feed.xml";
	meta->language = "fr";
	meta->generator = "curator";
	memset(e, 0, 2 * sizeof(*e));
	e[0].id = SITE "/links/2025/11/ghibli/";
	e[0].url = e[0].id;
	e[0].title = GHIBLI_TITLE;
	e[0].summary = "Une expo à voir\x01";
	e[0].content_html = GHIBLI_HTML;
	e[0].author = "Claire";
	e[0].published = date_from_civil(2025, 11, 24, 9, 0, 0);
	e[0].has_published = true;
	e[0].updated = date_from_civil(2025, 11, 25, 10, 0, 0);
	e[0].has_updated = true;
	e[0].categories = ghibli_categories;
	e[0].ncategories = 2;
	e[0].image = SITE "/media/ghibli.jpg";
	e[1].id = "tag:mediatheque.example.org,2025:item-42";
	e[1].url = "https://manga.example/one-piece-110";
	e[1].title = "One Piece, tome 110";
	e[1].published = date_from_civil(2025, 11, 20, 8, 0, 0);
	e[1].has_published = true;
	e[1].language = "en";
}

static const char atom_expected[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n"
	"  <id>" SITE "/topics/manga/</id>\n"
	"  <title>Manga &amp; BD</title>\n"
	"  <subtitle>Les nouveautés &lt;et&gt; les séries</subtitle>\n"
	"  <updated>2025-11-25T10:00:00Z</updated>\n"
	"  <link rel=\"self\" type=\"application/atom+xml\" "
	"href=\"" SITE "/topics/manga/feed.xml\"/>\n"
	"  <link rel=\"alternate\" type=\"text/html\" "
	"href=\"" SITE "/topics/manga/\"/>\n"
	"  <author>\n"
	"    <name>Manga &amp; BD</name>\n"
	"  </author>\n"
	"  <generator>curator</generator>\n"
	"  <entry>\n"
	"    <id>" SITE "/links/2025/11/ghibli/</id>\n"
	"    <title>Le &quot;Studio&quot; Ghibli &amp; l'&lt;art&gt;</title>\n"
	"    <updated>2025-11-25T10:00:00Z</updated>\n"
	"    <published>2025-11-24T09:00:00Z</published>\n"
	"    <link rel=\"alternate\" type=\"text/html\" "
	"href=\"" SITE "/links/2025/11/ghibli/\"/>\n"
	"    <link rel=\"enclosure\" "
	"href=\"" SITE "/media/ghibli.jpg\"/>\n"
	"    <author>\n"
	"      <name>Claire</name>\n"
	"    </author>\n"
	"    <category term=\"cinéma\"/>\n"
	"    <category term=\"animation\"/>\n"
	"    <summary>Une expo à voir</summary>\n"
	"    <content type=\"html\">&lt;p&gt;Tom &amp;amp; Jerry ]]&gt; "
	"&lt;b&gt;fin&lt;/b&gt;&lt;/p&gt;</content>\n"
	"  </entry>\n"
	"  <entry xml:lang=\"en\">\n"
	"    <id>tag:mediatheque.example.org,2025:item-42</id>\n"
	"    <title>One Piece, tome 110</title>\n"
	"    <updated>2025-11-20T08:00:00Z</updated>\n"
	"    <published>2025-11-20T08:00:00Z</published>\n"
	"    <link rel=\"alternate\" type=\"text/html\" "
	"href=\"https://manga.example/one-piece-110\"/>\n"
	"  </entry>\n"
	"</feed>\n";

static void
test_feeds_atom_writes_the_whole_document(void **state)
{
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	assert_int_equal(feeds_atom(&rep, &meta, e, 2, &out), 0);
	assert_string_equal(out.ptr, atom_expected);
	assert_string_equal(rep.collected.ptr, "");
	buf_release(&out);
	report_release(&rep);
}

static xmlChar *
xpath_string(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr r;
	xmlChar *s;

	ctx->node = node;
	r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(r);
	s = xmlXPathCastToString(r);
	xmlXPathFreeObject(r);
	return s;
}

static void
assert_xpath(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr,
	     const char *expected)
{
	xmlChar *s = xpath_string(ctx, node, expr);

	assert_string_equal((const char *)s, expected);
	xmlFree(s);
}

static void
test_feeds_atom_parses_back_with_required_elements(void **state)
{
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct buf out = BUF_INIT;
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr entries;
	xmlNodePtr entry;
	int i;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	assert_int_equal(feeds_atom(&rep, &meta, e, 2, &out), 0);
	doc = xmlReadMemory(out.ptr, (int)out.len, "feed.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "a",
			   BAD_CAST "http://www.w3.org/2005/Atom");
	/* RFC 4287 §4.1.1 */
	assert_xpath(ctx, NULL, "count(/a:feed/a:id)", "1");
	assert_xpath(ctx, NULL, "count(/a:feed/a:title)", "1");
	assert_xpath(ctx, NULL, "count(/a:feed/a:updated)", "1");
	assert_xpath(ctx, NULL, "/a:feed/a:link[@rel='self']/@href",
		     SITE "/topics/manga/feed.xml");
	assert_xpath(ctx, NULL, "count(/a:feed/a:author/a:name)", "1");
	entries = xmlXPathEvalExpression(BAD_CAST "/a:feed/a:entry", ctx);
	assert_non_null(entries);
	assert_int_equal(xmlXPathNodeSetGetLength(entries->nodesetval), 2);
	for (i = 0; i < 2; i++) {
		entry = xmlXPathNodeSetItem(entries->nodesetval, i);
		/* RFC 4287 §4.1.2 */
		assert_xpath(ctx, entry, "count(a:id)", "1");
		assert_xpath(ctx, entry, "count(a:title)", "1");
		assert_xpath(ctx, entry, "count(a:updated)", "1");
		assert_xpath(ctx, entry, "count(a:link[@rel='alternate'])",
			     "1");
		assert_xpath(ctx, entry, "a:id", e[i].id);
		assert_xpath(ctx, entry, "a:title", e[i].title);
		assert_xpath(ctx, entry, "a:link[@rel='alternate']/@href",
			     e[i].url);
	}
	/* The escaping is undone by any parser: the HTML comes back. */
	entry = xmlXPathNodeSetItem(entries->nodesetval, 0);
	assert_xpath(ctx, entry, "a:content[@type='html']", GHIBLI_HTML);
	assert_xpath(ctx, entry, "a:summary", "Une expo à voir");
	xmlXPathFreeObject(entries);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	buf_release(&out);
	report_release(&rep);
}

static void
test_feeds_atom_without_entries_uses_the_fixed_date(void **state)
{
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	meta.subtitle = NULL;
	meta.generator = NULL;
	meta.language = NULL;
	meta.author = "Médiathèque des Quatre Vents";
	assert_int_equal(feeds_atom(&rep, &meta, NULL, 0, &out), 0);
	assert_string_equal(
		out.ptr,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
		"  <id>" SITE "/topics/manga/</id>\n"
		"  <title>Manga &amp; BD</title>\n"
		"  <updated>1970-01-01T00:00:00Z</updated>\n"
		"  <link rel=\"self\" type=\"application/atom+xml\" "
		"href=\"" SITE "/topics/manga/feed.xml\"/>\n"
		"  <link rel=\"alternate\" type=\"text/html\" "
		"href=\"" SITE "/topics/manga/\"/>\n"
		"  <author>\n"
		"    <name>Médiathèque des Quatre Vents</name>\n"
		"  </author>\n"
		"</feed>\n");
	/* An entry with no date takes the fixed date too. */
	buf_clear(&out);
	e[1].has_published = false;
	meta.default_updated = date_from_civil(2025, 1, 1, 0, 0, 0);
	assert_int_equal(feeds_atom(&rep, &meta, &e[1], 1, &out), 0);
	assert_non_null(strstr(out.ptr, "  <updated>2025-01-01T00:00:00Z"
					"</updated>\n  <link rel=\"self\""));
	assert_non_null(strstr(out.ptr, "    <updated>2025-01-01T00:00:00Z"
					"</updated>\n    <link rel="));
	assert_string_equal(rep.collected.ptr, "");
	buf_release(&out);
	report_release(&rep);
}

static void
test_feeds_refuse_an_entry_without_id(void **state)
{
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	e[1].id = NULL;
	assert_int_equal(feeds_atom(&rep, &meta, e, 2, &out), -1);
	e[1].id = "x";
	e[0].url = NULL;
	assert_int_equal(feeds_json(&rep, &meta, e, 2, &out), -1);
	assert_string_equal(
		rep.collected.ptr,
		"error: " SITE "/topics/manga/feed.xml: "
		"entry 2 has no id\n"
		"error: " SITE "/topics/manga/feed.xml: "
		"entry 1 has no URL\n");
	assert_string_equal(out.ptr, "");
	buf_release(&out);
	report_release(&rep);
}

static const char json_expected[] =
	"{\n"
	"  \"version\": \"https://jsonfeed.org/version/1.1\",\n"
	"  \"title\": \"Manga & BD\",\n"
	"  \"home_page_url\": \"" SITE "/topics/manga/\",\n"
	"  \"feed_url\": \"" SITE "/topics/manga/feed.json\",\n"
	"  \"description\": \"Les nouveautés <et> les séries\",\n"
	"  \"language\": \"fr\",\n"
	"  \"items\": [\n"
	"    {\n"
	"      \"id\": \"" SITE "/links/2025/11/ghibli/\",\n"
	"      \"url\": \"" SITE "/links/2025/11/ghibli/\",\n"
	"      \"title\": \"Le \\\"Studio\\\" Ghibli & l'<art>\",\n"
	"      \"content_html\": \"<p>Tom &amp; Jerry ]]> <b>fin</b></p>\",\n"
	"      \"summary\": \"Une expo à voir\\u0001\",\n"
	"      \"image\": \"" SITE "/media/ghibli.jpg\",\n"
	"      \"date_published\": \"2025-11-24T09:00:00Z\",\n"
	"      \"date_modified\": \"2025-11-25T10:00:00Z\",\n"
	"      \"authors\": [\n"
	"        {\n"
	"          \"name\": \"Claire\"\n"
	"        }\n"
	"      ],\n"
	"      \"tags\": [\n"
	"        \"cinéma\",\n"
	"        \"animation\"\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"id\": \"tag:mediatheque.example.org,2025:item-42\",\n"
	"      \"url\": \"https://manga.example/one-piece-110\",\n"
	"      \"title\": \"One Piece, tome 110\",\n"
	"      \"content_text\": \"One Piece, tome 110\",\n"
	"      \"date_published\": \"2025-11-20T08:00:00Z\",\n"
	"      \"language\": \"en\"\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void
test_feeds_json_writes_the_whole_document(void **state)
{
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	meta.self_url = SITE "/topics/manga/feed.json";
	assert_int_equal(feeds_json(&rep, &meta, e, 2, &out), 0);
	assert_string_equal(out.ptr, json_expected);
	assert_string_equal(rep.collected.ptr, "");
	buf_release(&out);
	report_release(&rep);
}

static void
test_feeds_json_parses_back(void **state)
{
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct buf out = BUF_INIT;
	json_error_t error;
	json_t *root, *items, *item;
	size_t i;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	e[1].title = "Bad \xff bytes";
	assert_int_equal(feeds_json(&rep, &meta, e, 2, &out), 0);
	root = json_loadb(out.ptr, out.len, 0, &error);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "version")),
			    "https://jsonfeed.org/version/1.1");
	items = json_object_get(root, "items");
	assert_int_equal(json_array_size(items), 2);
	for (i = 0; i < 2; i++) {
		item = json_array_get(items, i);
		assert_string_equal(
			json_string_value(json_object_get(item, "id")),
			e[i].id);
		assert_string_equal(
			json_string_value(json_object_get(item, "url")),
			e[i].url);
		/* JSON Feed 1.1: one of content_html and content_text. */
		assert_true(json_object_get(item, "content_html") ||
			    json_object_get(item, "content_text"));
	}
	item = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(item, "title")),
			    GHIBLI_TITLE);
	assert_string_equal(
		json_string_value(json_object_get(item, "content_html")),
		GHIBLI_HTML);
	/* Invalid UTF-8 is repaired, not a reason to lose the feed. */
	item = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(item, "title")),
			    "Bad \xEF\xBF\xBD bytes");
	json_decref(root);
	buf_release(&out);
	report_release(&rep);
}

/* Every writer, called twice, gives the same bytes, and none holds
 * today's date (the fixtures are from 2025). */
static void
test_feeds_are_deterministic_and_hold_no_build_time(void **state)
{
	static const char *const kw[] = { "manga" };
	struct report rep;
	struct feed_meta meta;
	struct feed_entry e[2];
	struct sitemap_url urls[1] = {
		{ "https://x.example/a/", 1700000000, true },
	};
	struct search_entry se[1] = {
		{ "Titre", "/a/", "Résumé", kw, 1, 1700000000, true },
	};
	struct buf first = BUF_INIT, second = BUF_INIT;
	char today[DATE_RFC3339_SIZE];
	int round;

	(void)state;
	report_init_collect(&rep);
	sample(&meta, e);
	date_format_rfc3339((int64_t)time(NULL), today);
	today[10] = '\0';
	for (round = 0; round < 2; round++) {
		struct buf *b = round ? &second : &first;

		assert_int_equal(feeds_atom(&rep, &meta, e, 2, b), 0);
		assert_int_equal(feeds_json(&rep, &meta, e, 2, b), 0);
		assert_int_equal(feeds_sitemap(&rep, urls, 1, b), 0);
		assert_int_equal(feeds_search_index(&rep, se, 1, b), 0);
		assert_int_equal(feeds_robots(&rep, "https://x.example/", b),
				 0);
		feeds_headers(false, b);
		assert_int_equal(feeds_nginx(&rep, "https://x.example/", false,
					     b),
				 0);
	}
	assert_int_equal(first.len, second.len);
	assert_memory_equal(first.ptr, second.ptr, first.len);
	assert_null(strstr(first.ptr, today));
	assert_string_equal(rep.collected.ptr, "");
	buf_release(&first);
	buf_release(&second);
	report_release(&rep);
}

static void
test_feeds_sitemap_sorts_and_keeps_the_newest_date(void **state)
{
	struct report rep;
	struct buf out = BUF_INIT;
	struct sitemap_url urls[4] = {
		{ "https://x.example/b/?q=1&r=<2>", 0, false },
		{ "https://x.example/a/", date_from_civil(2025, 1, 2, 3, 4, 5),
		  true },
		{ "https://x.example/a/", date_from_civil(2025, 1, 3, 0, 0, 0),
		  true },
		{ "https://x.example/", 0, false },
	};
	size_t n;

	(void)state;
	report_init_collect(&rep);
	n = feeds_sitemap_sort(urls, 4);
	assert_int_equal(n, 3);
	assert_int_equal(feeds_sitemap(&rep, urls, n, &out), 0);
	assert_string_equal(
		out.ptr,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"" SITEMAP_NS "\">\n"
		"  <url>\n"
		"    <loc>https://x.example/</loc>\n"
		"  </url>\n"
		"  <url>\n"
		"    <loc>https://x.example/a/</loc>\n"
		"    <lastmod>2025-01-03T00:00:00Z</lastmod>\n"
		"  </url>\n"
		"  <url>\n"
		"    <loc>https://x.example/b/?q=1&amp;r=&lt;2&gt;</loc>\n"
		"  </url>\n"
		"</urlset>\n");
	buf_release(&out);
	report_release(&rep);
}

static int
remove_one(const char *path, const struct stat *st, int flag,
	   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Past 50,000 URLs, sitemap.xml becomes the index of sitemap-N.xml. */
static void
test_feeds_large_sitemap_is_split_with_an_index(void **state)
{
	size_t n = FEEDS_SITEMAP_MAX + 1, i;
	struct sitemap_url *urls = calloc(n, sizeof(*urls));
	char **locs = calloc(n, sizeof(*locs));
	char root[] = "/tmp/curator-feeds-XXXXXX", path[128];
	struct report rep;
	struct output *o;
	struct buf text = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	assert_non_null(mkdtemp(root));
	for (i = 0; i < n; i++) {
		locs[i] = malloc(64);
		/* Written in reverse: the sort puts p00000 first. */
		snprintf(locs[i], 64, "https://x.example/p%05zu/", n - 1 - i);
		urls[i].loc = locs[i];
		urls[i].lastmod = date_from_civil(2025, 1, 1, 0, 0, 0) +
				  (int64_t)(n - 1 - i);
		urls[i].has_lastmod = true;
	}
	snprintf(path, sizeof(path), "%s/output", root);
	o = output_open(&rep, path, root);
	assert_non_null(o);
	assert_int_equal(feeds_write_sitemaps(&rep, o, "https://x.example",
					      urls, n),
			 0);
	assert_int_equal(output_commit(o, NULL), 0);
	output_free(o);
	snprintf(path, sizeof(path), "%s/output/sitemap.xml", root);
	assert_int_equal(file_read(&rep, path, 0, &text), 0);
	assert_string_equal(
		text.ptr,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<sitemapindex "
		"xmlns=\"" SITEMAP_NS "\">\n"
		"  <sitemap>\n"
		"    <loc>https://x.example/sitemap-1.xml</loc>\n"
		"    <lastmod>2025-01-01T13:53:19Z</lastmod>\n"
		"  </sitemap>\n"
		"  <sitemap>\n"
		"    <loc>https://x.example/sitemap-2.xml</loc>\n"
		"    <lastmod>2025-01-01T13:53:20Z</lastmod>\n"
		"  </sitemap>\n"
		"</sitemapindex>\n");
	buf_clear(&text);
	snprintf(path, sizeof(path), "%s/output/sitemap-2.xml", root);
	assert_int_equal(file_read(&rep, path, 0, &text), 0);
	assert_string_equal(
		text.ptr,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"" SITEMAP_NS "\">\n"
		"  <url>\n"
		"    <loc>https://x.example/p50000/</loc>\n"
		"    <lastmod>2025-01-01T13:53:20Z</lastmod>\n"
		"  </url>\n"
		"</urlset>\n");
	buf_clear(&text);
	snprintf(path, sizeof(path), "%s/output/sitemap-1.xml", root);
	assert_int_equal(file_read(&rep, path, 0, &text), 0);
	assert_non_null(strstr(text.ptr, "<url>\n    <loc>https://x.example/"
					 "p00000/</loc>\n"));
	assert_string_equal(rep.collected.ptr, "");
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < n; i++)
		free(locs[i]);
	free(locs);
	free(urls);
	buf_release(&text);
	report_release(&rep);
}

static void
test_feeds_robots_allows_all_and_names_the_sitemap(void **state)
{
	struct report rep;
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(feeds_robots(&rep, "https://x.example/mediatheque",
				      &out),
			 0);
	assert_string_equal(out.ptr,
			    "User-agent: *\n"
			    "Disallow:\n"
			    "\n"
			    "Sitemap: "
			    "https://x.example/mediatheque/sitemap.xml\n");
	buf_clear(&out);
	assert_int_equal(feeds_robots(&rep, "https://x.example/\nDisallow: /",
				      &out),
			 -1);
	assert_string_equal(out.ptr, "");
	assert_string_equal(rep.collected.ptr,
			    "error: robots.txt: the site URL "
			    "'https://x.example/\nDisallow: /' is not an "
			    "http(s) URL\n"
			    "hint: set url in curator.yaml to the site's "
			    "address, e.g. " SITE "/\n");
	buf_release(&out);
	report_release(&rep);
}

static void
test_feeds_search_index_is_compact_and_folded(void **state)
{
	static const char *const kw[] = { "Shōnen", "Manga", "SHONEN" };
	struct search_entry e[2] = {
		{ "L'Attaque des Titans — tome 1", "/links/2025/11/snk/",
		  "Un shōnen culte : l'humanité contre les titans, dans une "
		  "œuvre sombre.",
		  kw, 3, date_from_civil(2025, 11, 24, 9, 0, 0), true },
		{ "Horaires \"d'été\" & <fermetures>", "/infos/", NULL, NULL, 0,
		  0, false },
	};
	struct report rep;
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(feeds_search_index(&rep, e, 2, &out), 0);
	assert_string_equal(
		out.ptr,
		"[{\"t\":\"L'Attaque des Titans — tome 1\","
		"\"u\":\"/links/2025/11/snk/\","
		"\"s\":\"Un shōnen culte : l'humanité contre les titans, dans "
		"une œuvre sombre.\","
		"\"k\":\"attaque des titans tome shonen manga un culte "
		"humanite contre les dans une oeuvre sombre\","
		"\"d\":\"2025-11-24\"},"
		"{\"t\":\"Horaires \\\"d'été\\\" & <fermetures>\","
		"\"u\":\"/infos/\",\"k\":\"horaires ete fermetures\"}]\n");
	buf_release(&out);
	report_release(&rep);
}

#define CSP_COMMON                                                      \
	"default-src 'none'; img-src 'self' data:; style-src 'self'; " \
	"script-src 'self'; font-src 'self'; connect-src 'self'; "     \
	"base-uri 'none'; form-action 'self'; object-src 'none'"
#define CSP_LINKED                                                         \
	"default-src 'none'; img-src 'self' data: https:; style-src 'self'; " \
	"script-src 'self'; font-src 'self'; connect-src 'self'; "            \
	"base-uri 'none'; form-action 'self'; object-src 'none'"

static void
test_feeds_csp_for_meta_omits_frame_ancestors(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	feeds_csp(false, true, &out);
	assert_string_equal(out.ptr, CSP_COMMON);
	buf_clear(&out);
	feeds_csp(false, false, &out);
	assert_string_equal(out.ptr, CSP_COMMON "; frame-ancestors 'none'");
	buf_clear(&out);
	feeds_csp(true, true, &out);
	assert_string_equal(out.ptr, CSP_LINKED);
	buf_clear(&out);
	feeds_csp(true, false, &out);
	assert_string_equal(out.ptr, CSP_LINKED "; frame-ancestors 'none'");
	buf_release(&out);
}

static void
test_feeds_headers_file_carries_the_policy(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	feeds_headers(false, &out);
	assert_string_equal(out.ptr,
			    "# HTTP headers for Netlify, Codeberg, GitLab and "
			    "Cloudflare Pages (written by curator)\n"
			    "/*\n"
			    "  Content-Security-Policy: " CSP_COMMON
			    "; frame-ancestors 'none'\n"
			    "  X-Content-Type-Options: nosniff\n"
			    "  Referrer-Policy: "
			    "strict-origin-when-cross-origin\n");
	buf_release(&out);
}

static void
test_feeds_nginx_example_carries_the_policy(void **state)
{
	struct report rep;
	struct buf out = BUF_INIT;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(feeds_nginx(&rep,
				     "https://Mediatheque.example.org:8443/x/",
				     true, &out),
			 0);
	assert_string_equal(
		out.ptr,
		"# An nginx server block for mediatheque.example.org "
		"(written by curator).\n"
		"# Copy it into /etc/nginx/sites-available/, set root to the "
		"folder the\n"
		"# output is deployed to, and add your TLS settings (listen "
		"443 ssl; ...).\n"
		"server {\n"
		"\tlisten 80;\n"
		"\tlisten [::]:80;\n"
		"\tserver_name mediatheque.example.org;\n"
		"\troot /var/www/mediatheque.example.org;\n"
		"\tindex index.html;\n"
		"\tcharset utf-8;\n"
		"\terror_page 404 /404.html;\n"
		"\n"
		"\t# The pages' policy, plus what only a header can say.\n"
		"\t# NOTE: a location with an add_header of its own drops "
		"these.\n"
		"\tadd_header Content-Security-Policy \"" CSP_LINKED
		"; frame-ancestors 'none'\" always;\n"
		"\tadd_header X-Content-Type-Options \"nosniff\" always;\n"
		"\tadd_header Referrer-Policy "
		"\"strict-origin-when-cross-origin\" always;\n"
		"\n"
		"\tlocation / {\n"
		"\t\ttry_files $uri $uri/ =404;\n"
		"\t}\n"
		"}\n");
	/* A host that would inject configuration is refused. */
	buf_clear(&out);
	assert_int_equal(feeds_nginx(&rep, "https://x.example;root/", false,
				     &out),
			 -1);
	assert_int_equal(feeds_nginx(&rep, "ftp://x.example/", false, &out),
			 -1);
	assert_string_equal(out.ptr, "");
	assert_string_equal(rep.collected.ptr,
			    "error: nginx.conf.example: the site URL "
			    "'https://x.example;root/' is not an http(s) URL\n"
			    "hint: set url in curator.yaml to the site's "
			    "address, e.g. " SITE "/\n"
			    "error: nginx.conf.example: the site URL "
			    "'ftp://x.example/' is not an http(s) URL\n"
			    "hint: set url in curator.yaml to the site's "
			    "address, e.g. " SITE "/\n");
	buf_release(&out);
	report_release(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feeds_atom_writes_the_whole_document),
		cmocka_unit_test(
			test_feeds_atom_parses_back_with_required_elements),
		cmocka_unit_test(
			test_feeds_atom_without_entries_uses_the_fixed_date),
		cmocka_unit_test(test_feeds_refuse_an_entry_without_id),
		cmocka_unit_test(test_feeds_json_writes_the_whole_document),
		cmocka_unit_test(test_feeds_json_parses_back),
		cmocka_unit_test(
			test_feeds_are_deterministic_and_hold_no_build_time),
		cmocka_unit_test(
			test_feeds_sitemap_sorts_and_keeps_the_newest_date),
		cmocka_unit_test(
			test_feeds_large_sitemap_is_split_with_an_index),
		cmocka_unit_test(
			test_feeds_robots_allows_all_and_names_the_sitemap),
		cmocka_unit_test(test_feeds_search_index_is_compact_and_folded),
		cmocka_unit_test(test_feeds_csp_for_meta_omits_frame_ancestors),
		cmocka_unit_test(test_feeds_headers_file_carries_the_policy),
		cmocka_unit_test(test_feeds_nginx_example_carries_the_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
