#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/config_check.h"
#include "core/file.h"
#include "core/report.h"

#define MINIMAL "title: T\nurl: https://example.org\n"

static void
read_fixture(const char *name, struct buf *out)
{
	struct report rep;
	struct buf path = BUF_INIT;
	const char *top = getenv("TOP");

	buf_addf(&path, "%s/tests/fixtures/config/%s", top ? top : ".", name);
	report_init(&rep);
	assert_int_equal(file_read(&rep, path.ptr, 0, out), 0);
	report_release(&rep);
	buf_release(&path);
}

/* Parses s as curator.yaml; it must fail with exactly want reported. */
static void
assert_config_error(const char *s, const char *want)
{
	struct report rep;
	struct config cfg;

	report_init_collect(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", s, strlen(s), &cfg),
			 -1);
	assert_string_equal(rep.collected.ptr, want);
	assert_null(cfg.title);
	assert_null(cfg.file);
	config_release(&cfg);
	report_release(&rep);
}

static void
test_config_reads_full_example(void **state)
{
	struct buf yaml = BUF_INIT;
	struct report rep;
	struct config cfg;
	const struct config_topic *manga;
	const struct config_day *tue;

	(void)state;
	read_fixture("full.yaml", &yaml);
	report_init_collect(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", yaml.ptr, yaml.len,
				      &cfg),
			 0);
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(cfg.file, "curator.yaml");
	assert_string_equal(cfg.title, "Médiathèque des Quatre Vents");
	assert_string_equal(cfg.url, "https://mediatheque.example.org/");
	assert_int_equal(cfg.language, CONFIG_LANGUAGE_FR);
	assert_string_equal(config_language_code(cfg.language), "fr");
	assert_string_equal(cfg.timezone, "Europe/Paris");
	assert_string_equal(cfg.description, "Nos sélections, nos coups de "
					     "cœur, l'actualité du réseau.");
	assert_string_equal(cfg.theme, "default");
	assert_int_equal(cfg.per_page, 20);

	assert_int_equal(cfg.ntopics, 1);
	manga = config_topic(&cfg, "manga");
	assert_ptr_equal(manga, &cfg.topics[0]);
	assert_null(config_topic(&cfg, "bd"));
	assert_string_equal(manga->title, "Manga");
	assert_string_equal(manga->description,
			    "Les nouveautés et les séries que l'on aime.");
	assert_true(manga->is_auto);
	assert_int_equal(manga->ninclude, 4);
	assert_string_equal(manga->include[0], "manga");
	assert_string_equal(manga->include[1], "shōnen");
	assert_string_equal(manga->include[3], "shojo");
	assert_int_equal(manga->nexclude, 1);
	assert_string_equal(manga->exclude[0], "concours");
	assert_int_equal(manga->line, 9);

	assert_string_equal(cfg.isbn_url,
			    "https://catalogue.example.org/cgi-bin/koha/"
			    "opac-search.pl?idx=nb&q={isbn}");
	assert_true(cfg.hours.days[0].is_set);
	assert_true(cfg.hours.days[0].is_closed);
	tue = &cfg.hours.days[1];
	assert_true(tue->is_set);
	assert_false(tue->is_closed);
	assert_int_equal(tue->nspans, 2);
	assert_int_equal(tue->spans[0].open, 10 * 60);
	assert_int_equal(tue->spans[0].close, 12 * 60 + 30);
	assert_int_equal(tue->spans[1].open, 14 * 60);
	assert_int_equal(tue->spans[1].close, 18 * 60);
	assert_false(cfg.hours.days[2].is_set);
	assert_int_equal(cfg.hours.days[5].nspans, 1);
	assert_int_equal(cfg.hours.days[5].spans[0].close, 17 * 60);
	assert_false(cfg.hours.days[6].is_set);
	assert_int_equal(cfg.hours.nclosures, 2);
	assert_int_equal(cfg.hours.closures[0], 1798156800); /* 2026-12-25 */
	assert_int_equal(cfg.hours.closures[1], 1798761600); /* 2027-01-01 */
	assert_int_equal(cfg.images, CONFIG_IMAGES_COPY);

	assert_string_equal(cfg.deploy.remote,
			    "git@gitlab.example.org:mediatheque/site.git");
	assert_string_equal(cfg.deploy.branch, "pages");
	assert_string_equal(cfg.deploy.cname, "mediatheque.example.org");
	assert_string_equal(cfg.deploy.author,
			    "Médiathèque <web@mediatheque.example.org>");
	assert_string_equal(cfg.deploy.token_env, "CURATOR_GIT_TOKEN");
	assert_null(cfg.deploy.ssh_key);

	assert_true(cfg.crosspost.mastodon.is_enabled);
	assert_string_equal(cfg.crosspost.mastodon.instance,
			    "https://mastodon.example");
	assert_string_equal(cfg.crosspost.mastodon.token_env,
			    "CURATOR_MASTODON_TOKEN");
	assert_string_equal(
		config_visibility_name(cfg.crosspost.mastodon.visibility),
		"public");
	assert_true(cfg.crosspost.bluesky.is_enabled);
	assert_string_equal(cfg.crosspost.bluesky.service,
			    "https://bsky.social");
	assert_string_equal(cfg.crosspost.bluesky.handle,
			    "mediatheque.example.org");
	assert_string_equal(cfg.crosspost.bluesky.password_env,
			    "CURATOR_BLUESKY_PASSWORD");
	assert_true(cfg.crosspost.facebook.is_enabled);
	assert_string_equal(cfg.crosspost.facebook.page_id, "1234567890");
	assert_string_equal(cfg.crosspost.facebook.token_env,
			    "CURATOR_FACEBOOK_TOKEN");
	assert_string_equal(cfg.crosspost.facebook.api,
			    "https://graph.facebook.com/v19.0");
	assert_int_equal(cfg.crosspost.announce,
			 CONFIG_ANNOUNCE_LINKS | CONFIG_ANNOUNCE_PLAYLISTS);
	assert_true(cfg.crosspost.has_since);
	assert_int_equal(cfg.crosspost.since, 1793491200); /* 2026-11-01 */

	config_release(&cfg);
	config_release(&cfg);
	report_release(&rep);
	buf_release(&yaml);
}

static void
test_config_defaults(void **state)
{
	struct report rep;
	struct config cfg;

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", MINIMAL,
				      strlen(MINIMAL), &cfg),
			 0);
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(cfg.title, "T");
	assert_string_equal(cfg.url, "https://example.org/");
	assert_int_equal(cfg.language, CONFIG_LANGUAGE_EN);
	assert_string_equal(cfg.timezone, "UTC");
	assert_string_equal(cfg.description, "");
	assert_string_equal(cfg.theme, "default");
	assert_int_equal(cfg.per_page, 20);
	assert_int_equal(cfg.ntopics, 0);
	assert_null(cfg.isbn_url);
	assert_false(cfg.hours.days[0].is_set);
	assert_int_equal(cfg.hours.nclosures, 0);
	assert_int_equal(cfg.images, CONFIG_IMAGES_COPY);
	assert_int_equal(cfg.fetch.nallow_private, 0);
	assert_null(cfg.fetch.proxy);
	assert_int_equal(cfg.fetch.jobs, 16);
	assert_int_equal(cfg.store.keep_days, 365);
	assert_int_equal(cfg.store.keep_per_source, 500);
	assert_null(cfg.deploy.remote);
	assert_string_equal(cfg.deploy.branch, "gh-pages");
	assert_null(cfg.deploy.token_env);
	assert_false(cfg.crosspost.mastodon.is_enabled);
	assert_false(cfg.crosspost.bluesky.is_enabled);
	assert_false(cfg.crosspost.facebook.is_enabled);
	assert_string_equal(cfg.crosspost.bluesky.service,
			    "https://bsky.social");
	assert_int_equal(cfg.crosspost.announce,
			 CONFIG_ANNOUNCE_LINKS | CONFIG_ANNOUNCE_PLAYLISTS);
	assert_false(cfg.crosspost.has_since);
	config_release(&cfg);
	report_release(&rep);
}

static void
test_config_reads_fetch_store_and_empty_values(void **state)
{
	static const char yaml[] =
		MINIMAL "description:\n"
			"deploy:\n"
			"  cname:\n"
			"fetch:\n"
			"  allow_private: [10.1.2.0/24, \"fd00::/8\", "
			"127.0.0.1]\n"
			"  proxy: http://proxy.example.org:3128\n"
			"  jobs: 4\n"
			"store: {keep_days: 30, keep_per_source: 1000}\n"
			"privacy: {images: link}\n"
			"hours:\n"
			"  sun: \"9:00-12:00\"\n"
			"  wed: \"09:00 – 12:00,13:30-24:00\"\n"
			"  closures: [2027-01-01, 2026-12-25, 2027-01-01]\n"
			"crosspost:\n"
			"  mastodon:\n"
			"    instance: http://127.0.0.1:8080/\n"
			"    token_env: MASTO\n"
			"    visibility: unlisted\n"
			"  announce: playlists\n"
			"  since: 2026-11-01T10:00:00+01:00\n";
	struct report rep;
	struct config cfg;
	const struct config_cidr *cidr;
	unsigned char want6[16] = { 0xfd };

	(void)state;
	report_init_collect(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", yaml,
				      strlen(yaml), &cfg),
			 -1);
	/* "9:00" has one digit: the only error */
	assert_string_equal(rep.collected.ptr,
			    "error: curator.yaml:13: \"hours.sun\" must be "
			    "closed or opening times like 10:00-12:30, "
			    "14:00-18:00: \"9:00-12:00\"\n");
	config_release(&cfg);
	report_release(&rep);

	report_init_collect(&rep);
	{
		struct buf fixed = BUF_INIT;
		const char *bad = strstr(yaml, "9:00-12:00");

		buf_add(&fixed, yaml, (size_t)(bad - yaml));
		buf_addc(&fixed, '0');
		buf_adds(&fixed, bad);
		assert_int_equal(config_parse(&rep, "curator.yaml", fixed.ptr,
					      fixed.len, &cfg),
				 0);
		buf_release(&fixed);
	}
	assert_string_equal(rep.collected.ptr, "");
	assert_string_equal(cfg.description, "");
	assert_null(cfg.deploy.cname);
	assert_int_equal(cfg.fetch.nallow_private, 3);
	cidr = &cfg.fetch.allow_private[0];
	assert_string_equal(cidr->text, "10.1.2.0/24");
	assert_int_equal(cidr->family, AF_INET);
	assert_memory_equal(cidr->addr, "\x0a\x01\x02\x00", 4);
	assert_int_equal(cidr->prefix, 24);
	cidr = &cfg.fetch.allow_private[1];
	assert_int_equal(cidr->family, AF_INET6);
	assert_memory_equal(cidr->addr, want6, 16);
	assert_int_equal(cidr->prefix, 8);
	assert_int_equal(cfg.fetch.allow_private[2].prefix, 32);
	assert_string_equal(cfg.fetch.proxy, "http://proxy.example.org:3128");
	assert_int_equal(cfg.fetch.jobs, 4);
	assert_int_equal(cfg.store.keep_days, 30);
	assert_int_equal(cfg.store.keep_per_source, 1000);
	assert_int_equal(cfg.images, CONFIG_IMAGES_LINK);
	assert_int_equal(cfg.hours.days[6].spans[0].open, 9 * 60);
	assert_int_equal(cfg.hours.days[2].nspans, 2);
	assert_int_equal(cfg.hours.days[2].spans[1].open, 13 * 60 + 30);
	assert_int_equal(cfg.hours.days[2].spans[1].close, 24 * 60);
	assert_int_equal(cfg.hours.nclosures, 2);
	assert_int_equal(cfg.hours.closures[0], 1798156800);
	assert_int_equal(cfg.hours.closures[1], 1798761600);
	assert_string_equal(cfg.crosspost.mastodon.instance,
			    "http://127.0.0.1:8080");
	assert_int_equal(cfg.crosspost.mastodon.visibility,
			 CONFIG_VISIBILITY_UNLISTED);
	assert_int_equal(cfg.crosspost.announce, CONFIG_ANNOUNCE_PLAYLISTS);
	assert_int_equal(cfg.crosspost.since, 1793491200 + 9 * 3600);
	config_release(&cfg);
	report_release(&rep);
}

static void
test_config_reports_every_error_at_once(void **state)
{
	struct buf yaml = BUF_INIT;
	struct report rep;
	struct config cfg;

	(void)state;
	read_fixture("errors.yaml", &yaml);
	report_init_collect(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", yaml.ptr, yaml.len,
				      &cfg),
			 -1);
	assert_string_equal(
		rep.collected.ptr,
		"error: curator.yaml:6: unknown key \"per-page\" (did you mean "
		"\"per_page\"?)\n"
		"error: curator.yaml:1: \"title\" must not be empty\n"
		"error: curator.yaml:2: \"url\" must be an absolute http:// or "
		"https:// address, without ? or #: \"ftp://example.org\"\n"
		"error: curator.yaml:3: \"language\" must be en or fr: \"de\"\n"
		"error: curator.yaml:4: \"timezone\" is not a known time zone: "
		"\"Europe/Pariss\"\n"
		"hint: use a name from /usr/share/zoneinfo, such as "
		"Europe/Paris\n"
		"error: curator.yaml:5: \"theme\" must be the name of a folder "
		"in themes/ (letters, digits, '.', '-' and '_'): \"../evil\"\n"
		"error: curator.yaml:7: \"per_page\" must be a whole number "
		"from 1 to 500\n"
		"error: curator.yaml:9: \"topics.slug\" must be lowercase "
		"ascii letters, digits and hyphens: \"Manga\"\n"
		"error: curator.yaml:11: \"topics.auto\" must be true or "
		"false\n"
		"error: curator.yaml:13: unknown key \"titel\" (did you mean "
		"\"title\"?)\n"
		"error: curator.yaml:12: missing key \"topics.title\"\n"
		"error: curator.yaml:14: duplicate topic \"bd\" (first on line "
		"12)\n"
		"error: curator.yaml:16: \"topics.include\" must be a list of "
		"texts\n"
		"error: curator.yaml:17: \"topics\" must be a list of topics "
		"(slug: ..., title: ...)\n"
		"error: curator.yaml:19: \"catalogue.isbn_url\" must contain "
		"{isbn} where the ISBN goes: "
		"\"https://catalogue.example.org/search?q=\"\n"
		"error: curator.yaml:27: \"privacy.images\" must be copy, link "
		"or none: \"inline\"\n"
		"error: curator.yaml:24: unknown key \"funday\"\n"
		"hint: the keys allowed here are: mon, tue, wed, thu, fri, "
		"sat, sun, closures\n"
		"error: curator.yaml:21: \"hours.mon\" must be closed or "
		"opening times like 10:00-12:30, 14:00-18:00: \"10h-12h\"\n"
		"error: curator.yaml:22: \"hours.tue\" must list its times in "
		"order, each closing after it opens: \"14:00-12:00\"\n"
		"error: curator.yaml:23: \"hours.wed\" must list its times in "
		"order, each closing after it opens: \"10:00-12:00, "
		"11:00-13:00\"\n"
		"error: curator.yaml:25: \"hours.closures\" must be a date "
		"like 2026-11-24 or 2026-11-24T09:00:00+01:00\n"
		"error: curator.yaml:25: \"hours.closures\" must hold dates "
		"like 2026-12-25, without a time: \"2026-12-25T10:00:00Z\"\n"
		"error: curator.yaml:29: \"fetch.allow_private\" must list "
		"address ranges like 10.1.2.0/24 or fd00::/8: "
		"\"10.1.2.0/33\"\n"
		"error: curator.yaml:29: \"fetch.allow_private\" must list "
		"address ranges like 10.1.2.0/24 or fd00::/8: \"bogus\"\n"
		"error: curator.yaml:30: \"fetch.proxy\" must be an address "
		"like http://proxy.example.org:3128: \"ftp://proxy\"\n"
		"error: curator.yaml:31: \"fetch.jobs\" must be a whole number "
		"from 1 to 64\n"
		"error: curator.yaml:33: \"store.keep_days\" must be a whole "
		"number from 1 to 36500\n"
		"error: curator.yaml:34: \"store.keep_per_source\" must be a "
		"whole number from 1 to 1000000\n"
		"error: curator.yaml:36: deploy.remote contains credentials: "
		"use deploy.token_env\n"
		"hint: remove the user name and password from the address and "
		"put the token in an environment variable named by "
		"deploy.token_env\n"
		"error: curator.yaml:37: \"deploy.branch\" must be a git "
		"branch name: \"bad branch\"\n"
		"error: curator.yaml:38: \"deploy.cname\" must be a host name "
		"like mediatheque.example.org: \"not a host\"\n"
		"error: curator.yaml:39: \"deploy.author\" must be a name and "
		"an email like Médiathèque <web@example.org>: "
		"\"web@example.org\"\n"
		"error: curator.yaml:40: \"deploy.token_env\" must be the name "
		"of an environment variable (capital letters, digits and _), "
		"not the secret itself\n"
		"hint: write for example token_env: CURATOR_TOKEN and put the "
		"secret in that variable\n"
		"error: curator.yaml:42: missing key "
		"\"crosspost.mastodon.token_env\"\n"
		"error: curator.yaml:42: \"crosspost.mastodon.instance\" must "
		"be an absolute http:// or https:// address: "
		"\"mastodon.example\"\n"
		"error: curator.yaml:42: "
		"\"crosspost.mastodon.visibility\" must be public, "
		"unlisted, private or direct: \"loud\"\n"
		"error: curator.yaml:43: \"crosspost.bluesky.handle\" must "
		"be a handle like mediatheque.example.org: \"@me\"\n"
		"error: curator.yaml:44: \"crosspost.facebook.page_id\" "
		"must be the page's number: \"abc\"\n"
		"error: curator.yaml:45: \"crosspost.announce\" may list only "
		"links and playlists: \"posts\"\n"
		"error: curator.yaml:46: \"crosspost.since\" must be a date "
		"like 2026-11-24 or 2026-11-24T09:00:00+01:00\n");
	assert_int_equal(rep.errors, 40);
	/* neither the password nor the pasted token was ever printed */
	assert_null(strstr(rep.collected.ptr, "s3cretpass"));
	assert_null(strstr(rep.collected.ptr, "ghp_abcdefSECRET123"));
	config_release(&cfg);
	report_release(&rep);
	buf_release(&yaml);
}

static void
test_config_reports_missing_keys_and_unknown_ones(void **state)
{
	(void)state;
	assert_config_error("",
			    "error: curator.yaml:1: missing key \"title\"\n"
			    "hint: add a line such as: title: "
			    "Médiathèque des Quatre Vents\n"
			    "error: curator.yaml:1: missing key \"url\"\n"
			    "hint: add the address where the site is "
			    "published, such as: url: "
			    "https://mediatheque.example.org/\n");
	assert_config_error(MINIMAL "colour: blue\n",
			    "error: curator.yaml:3: unknown key \"colour\"\n"
			    "hint: the keys allowed here are: title, url, "
			    "language, timezone, description, theme, "
			    "per_page, topics, catalogue, hours, privacy, "
			    "fetch, store, deploy, crosspost\n");
	assert_config_error(MINIMAL "per-page: 12\n",
			    "error: curator.yaml:3: unknown key \"per-page\" "
			    "(did you mean \"per_page\"?)\n");
	assert_config_error(MINIMAL "per_page: 501\n",
			    "error: curator.yaml:3: \"per_page\" must be a "
			    "whole number from 1 to 500\n");
	assert_config_error("- title\n- url\n",
			    "error: curator.yaml:1: the file must hold \"key: "
			    "value\" lines, such as title: ...\n");
	assert_config_error(MINIMAL "topics:\n  - title: Manga\n",
			    "error: curator.yaml:4: missing key "
			    "\"topics.slug\"\n");
	assert_config_error(MINIMAL "deploy: pages\n",
			    "error: curator.yaml:3: \"deploy\" must be a "
			    "mapping (key: value lines)\n");
	assert_config_error(MINIMAL "crosspost:\n  facebook:\n"
				    "    page_id: 12\n",
			    "error: curator.yaml:5: missing key "
			    "\"crosspost.facebook.token_env\"\n");
}

static void
test_config_reports_yaml_syntax_errors_and_bombs(void **state)
{
	(void)state;
	assert_config_error(MINIMAL "topics: [manga\n",
			    "error: curator.yaml:4:1: flow sequence without "
			    "a closing bracket\n");
	assert_config_error(MINIMAL "title: again\n",
			    "error: curator.yaml:3:1: duplicate key \"title\" "
			    "(first on line 1)\n");
	assert_config_error("title: &t [a, a, a, a, a, a, a, a, a]\n"
			    "description: [*t, *t, *t, *t, *t, *t, *t, *t]\n",
			    "error: curator.yaml:1:8: anchors (&) and "
			    "aliases (*) are not supported: write the value "
			    "out\n");
}

static void
test_config_refuses_credentials_in_remote(void **state)
{
	static const char *const refused[] = {
		"https://user:pass@github.com/lib/site.git",
		"https://ghp_0123456789abcdef@github.com/lib/site.git",
		"HTTP://oauth2:tok@gitlab.example.org/site.git",
		"ssh://git:secret@host.example/site.git",
		"git:secret@host.example:site.git",
	};
	static const char *const accepted[] = {
		"git@gitlab.example.org:mediatheque/site.git",
		"ssh://git@host.example/site.git",
		"https://github.com/lib/site.git",
		"https://github.com/lib/site@v2.git",
		"/srv/git/site.git",
		"file:///srv/git/site.git",
	};
	struct buf yaml = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		buf_clear(&yaml);
		buf_addf(&yaml, MINIMAL "deploy:\n  remote: \"%s\"\n",
			 refused[i]);
		assert_config_error(yaml.ptr,
				    "error: curator.yaml:4: deploy.remote "
				    "contains credentials: use "
				    "deploy.token_env\n"
				    "hint: remove the user name and password "
				    "from the address and put the token in an "
				    "environment variable named by "
				    "deploy.token_env\n");
		assert_false(config_check_remote(refused[i]));
	}
	for (i = 0; i < sizeof(accepted) / sizeof(*accepted); i++)
		assert_true(config_check_remote(accepted[i]));
	buf_release(&yaml);
}

static void
test_config_checks_values(void **state)
{
	struct config_day day;

	(void)state;
	assert_true(config_check_http_url("https://example.org", true));
	assert_false(config_check_http_url("https://example.org/?a", true));
	assert_false(config_check_http_url("https://u@example.org/", true));
	assert_false(config_check_http_url("https:///x", false));
	assert_false(config_check_http_url("https://a b/", false));
	assert_true(config_check_host_name("mediatheque.example.org"));
	assert_false(config_check_host_name("localhost"));
	assert_false(config_check_host_name("-a.example"));
	assert_false(config_check_host_name("a..example"));
	assert_true(config_check_slug("jeunesse-ados2"));
	assert_false(config_check_slug("-manga"));
	assert_false(config_check_slug("cinéma"));
	assert_true(config_check_env_name("CURATOR_GIT_TOKEN"));
	assert_false(config_check_env_name("ghp_AbC123"));
	assert_false(config_check_env_name("1TOKEN"));
	assert_true(config_check_branch("gh-pages"));
	assert_false(config_check_branch("a..b"));
	assert_false(config_check_branch("-x"));
	assert_false(config_check_branch("x.lock"));
	assert_true(config_check_author("Web <web@example.org>"));
	assert_false(config_check_author("<web@example.org>"));
	assert_false(config_check_author("Web <web>"));
	assert_true(config_check_timezone("Europe/Paris"));
	assert_true(config_check_timezone("UTC"));
	assert_false(config_check_timezone("Europe"));
	assert_false(config_check_timezone("../../etc/passwd"));
	assert_false(config_check_timezone("zone.tab"));
	assert_true(config_check_theme("my-theme_2"));
	assert_false(config_check_theme(".."));
	assert_false(config_check_theme("a/b"));
	assert_true(config_check_proxy_url("socks5h://127.0.0.1:1080"));
	assert_false(config_check_proxy_url("ftp://proxy"));
	assert_int_equal(config_check_day("closed", &day), CONFIG_HOURS_OK);
	assert_true(day.is_closed);
	assert_int_equal(config_check_day("10:00-12:00, 12:00-13:00", &day),
			 CONFIG_HOURS_ORDER);
	assert_int_equal(config_check_day("10:00-24:30", &day),
			 CONFIG_HOURS_SYNTAX);
	assert_int_equal(config_check_day("1:00-2:00,3:00-4:00,"
					  "5:00-6:00,7:00-8:00,9:00-10:00",
					  &day),
			 CONFIG_HOURS_SYNTAX);
	assert_int_equal(config_check_day("01:00-02:00,03:00-04:00,"
					  "05:00-06:00,07:00-08:00,"
					  "09:00-10:00",
					  &day),
			 CONFIG_HOURS_SYNTAX);
	assert_int_equal(config_check_day("10:00-12:00,", &day),
			 CONFIG_HOURS_SYNTAX);
}

/* A folder made for one test, removed with its curator.yaml. */
struct site {
	char dir[64];
	char file[96];
};

static void
site_make(struct site *site, const char *yaml)
{
	FILE *fp;

	snprintf(site->dir, sizeof(site->dir), "/tmp/curator-config.XXXXXX");
	assert_non_null(mkdtemp(site->dir));
	snprintf(site->file, sizeof(site->file), "%s/curator.yaml",
		 site->dir);
	if (!yaml)
		return;
	fp = fopen(site->file, "w");
	assert_non_null(fp);
	fputs(yaml, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
site_remove(struct site *site)
{
	unlink(site->file);
	rmdir(site->dir);
}

static void
test_config_load_reads_the_site_folder(void **state)
{
	struct site site;
	struct report rep;
	struct config cfg;
	struct buf want = BUF_INIT;

	(void)state;
	site_make(&site, MINIMAL "per_page: 7\n");
	report_init_collect(&rep);
	assert_int_equal(config_load(&rep, site.dir, &cfg), 0);
	assert_string_equal(cfg.file, site.file);
	assert_int_equal(cfg.per_page, 7);
	config_release(&cfg);
	site_remove(&site);

	site_make(&site, MINIMAL "per_page: 0\n");
	assert_int_equal(config_load(&rep, site.dir, &cfg), -1);
	buf_addf(&want,
		 "error: %s:3: \"per_page\" must be a whole number from 1 to "
		 "500\n",
		 site.file);
	assert_string_equal(rep.collected.ptr, want.ptr);
	config_release(&cfg);
	site_remove(&site);
	buf_clear(&rep.collected);

	site_make(&site, NULL);
	buf_clear(&want);
	buf_addf(&want, "%s/nowhere", site.dir);
	assert_int_equal(config_load(&rep, site.dir, &cfg), -1);
	assert_int_equal(config_load(&rep, want.ptr, &cfg), -1);
	buf_clear(&want);
	buf_addf(&want,
		 "error: %s: not a curator site (no curator.yaml)\n"
		 "hint: run 'curator init %s' to create one\n"
		 "error: %s/nowhere: no such folder\n"
		 "hint: check the folder given with -C\n",
		 site.dir, site.dir, site.dir);
	assert_string_equal(rep.collected.ptr, want.ptr);
	config_release(&cfg);
	site_remove(&site);
	report_release(&rep);
	buf_release(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_reads_full_example),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(
			test_config_reads_fetch_store_and_empty_values),
		cmocka_unit_test(test_config_reports_every_error_at_once),
		cmocka_unit_test(
			test_config_reports_missing_keys_and_unknown_ones),
		cmocka_unit_test(
			test_config_reports_yaml_syntax_errors_and_bombs),
		cmocka_unit_test(test_config_refuses_credentials_in_remote),
		cmocka_unit_test(test_config_checks_values),
		cmocka_unit_test(test_config_load_reads_the_site_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
