#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/report.h"
#include "curate/curate.h"
#include "curate/text.h"

static const char site_yaml[] =
	"title: T\n"
	"url: https://example.org/\n"
	"topics:\n"
	"  - slug: manga\n"
	"    title: Manga\n"
	"    include: [manga, shōnen, seinen]\n"
	"    exclude: [concours]\n"
	"  - slug: cinema\n"
	"    title: Cinéma\n"
	"    include: [film, bande annonce]\n"
	"  - slug: jeunesse\n"
	"    title: Jeunesse\n"
	"    include: album\n";

static void
load_config(struct config *cfg)
{
	struct report rep;

	report_init(&rep);
	assert_int_equal(config_parse(&rep, "curator.yaml", site_yaml,
				      strlen(site_yaml), cfg),
			 0);
	report_release(&rep);
}

/* Routes an item; returns the topics it is in as "manga,cinema". */
static void
route(const struct config *cfg, const char *title, const char *summary,
      const char *const *categories, size_t ncategories,
      const char *const *source_topics, size_t nsource_topics,
      struct buf *out)
{
	bool in_topic[8];
	size_t i;

	assert_true(cfg->ntopics <= 8);
	curate_route(cfg, title, summary, categories, ncategories,
		     source_topics, nsource_topics, in_topic);
	buf_clear(out);
	for (i = 0; i < cfg->ntopics; i++) {
		if (!in_topic[i])
			continue;
		if (out->len)
			buf_addc(out, ',');
		buf_adds(out, cfg->topics[i].slug);
	}
}

static void
test_route_matches_whole_words_without_case_or_accents(void **state)
{
	struct config cfg;
	struct buf got = BUF_INIT;

	(void)state;
	load_config(&cfg);
	route(&cfg, "Le SHONEN de l'année", NULL, NULL, 0, NULL, 0, &got);
	assert_string_equal(got.ptr, "manga");
	route(&cfg, "Les Mangas de l'été", NULL, NULL, 0, NULL, 0, &got);
	assert_string_equal(got.ptr, "manga");
	route(&cfg, "Mangaka en visite", "Un filmographe", NULL, 0, NULL, 0,
	      &got);
	assert_string_equal(got.ptr, "");
	route(&cfg, "Un long-métrage", "Le film – enfin", NULL, 0, NULL, 0,
	      &got);
	assert_string_equal(got.ptr, "cinema");
	config_release(&cfg);
	buf_release(&got);
}

static void
test_route_matches_phrases_inside_one_text_only(void **state)
{
	static const char *const split[] = { "Bande", "Annonce" };
	static const char *const whole[] = { "La bande annonce" };
	struct config cfg;
	struct buf got = BUF_INIT;

	(void)state;
	load_config(&cfg);
	route(&cfg, "Voici la bande-annonce !", NULL, NULL, 0, NULL, 0, &got);
	assert_string_equal(got.ptr, "cinema");
	route(&cfg, "Une bande", "annonce", NULL, 0, NULL, 0, &got);
	assert_string_equal(got.ptr, "");
	route(&cfg, "Rien", NULL, split, 2, NULL, 0, &got);
	assert_string_equal(got.ptr, "");
	route(&cfg, "Rien", NULL, whole, 1, NULL, 0, &got);
	assert_string_equal(got.ptr, "cinema");
	config_release(&cfg);
	buf_release(&got);
}

static void
test_route_follows_the_source_category_and_exclude_wins(void **state)
{
	static const char *const from[] = { "Cinéma", "Jeunesse" };
	static const char *const manga[] = { "manga" };
	struct config cfg;
	struct buf got = BUF_INIT;

	(void)state;
	load_config(&cfg);
	route(&cfg, "Une séance", NULL, NULL, 0, from, 2, &got);
	assert_string_equal(got.ptr, "cinema,jeunesse");
	route(&cfg, "Concours : un album manga à gagner", NULL, NULL, 0,
	      manga, 1, &got);
	assert_string_equal(got.ptr, "jeunesse");
	route(&cfg, "Un seinen", NULL, NULL, 0, NULL, 0, &got);
	assert_string_equal(got.ptr, "manga");
	config_release(&cfg);
	buf_release(&got);
}

static void
test_text_words_are_folded_and_split_on_punctuation(void **state)
{
	struct text_tokens toks = TEXT_TOKENS_INIT;
	struct buf got = BUF_INIT;
	const char *s = "L’Œuvre «Shōnen» d'Été—2026 JEUX\xc2\xa0vidéo\xff"
			"les";
	size_t i;

	(void)state;
	text_tokenize(s, strlen(s), 0, &toks);
	for (i = 0; i < toks.n; i++)
		buf_addf(&got, "%s%s/%s%s", i ? " " : "", toks.v[i].term,
			 toks.v[i].surface, toks.v[i].is_stop ? "*" : "");
	assert_string_equal(got.ptr, "l/l* oeuvre/Œuvre shonen/shōnen "
				     "d/d* ete/Été* 2026/2026* jeu/jeux "
				     "video/vidéo les/les*");
	text_tokens_release(&toks);
	buf_release(&got);
}

static void
test_text_folds_plurals(void **state)
{
	static const char *const cases[][2] = {
		{ "tomes", "tome" },     { "jeux", "jeu" },
		{ "festivaux", "festival" }, { "express", "express" },
		{ "bus", "bus" },        { "aux", "aux" },
		{ "films", "film" },     { "concours", "concour" },
	};
	char term[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(term, sizeof(term), "%s", cases[i][0]);
		text_fold_plural(term);
		assert_string_equal(term, cases[i][1]);
	}
}

static void
test_text_stop_words_are_sorted_and_found(void **state)
{
	const char *const *words;
	size_t i, n;

	(void)state;
	words = text_stop_words(&n);
	assert_true(n > 200);
	for (i = 1; i < n; i++)
		if (strcmp(words[i - 1], words[i]) >= 0)
			fail_msg("not sorted: %s %s", words[i - 1], words[i]);
	assert_true(text_is_stop_word("les"));
	assert_true(text_is_stop_word("etre"));
	assert_true(text_is_stop_word("the"));
	assert_false(text_is_stop_word("manga"));
	assert_false(text_is_stop_word(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_route_matches_whole_words_without_case_or_accents),
		cmocka_unit_test(
			test_route_matches_phrases_inside_one_text_only),
		cmocka_unit_test(
			test_route_follows_the_source_category_and_exclude_wins),
		cmocka_unit_test(
			test_text_words_are_folded_and_split_on_punctuation),
		cmocka_unit_test(test_text_folds_plurals),
		cmocka_unit_test(test_text_stop_words_are_sorted_and_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
