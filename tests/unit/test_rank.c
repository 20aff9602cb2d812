#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/xmalloc.h"
#include "curate/curate.h"

/* 2026-11-24T09:00:00Z */
#define NOW INT64_C(1795510800)
#define DAY INT64_C(86400)

static const char *const manga_include[] = { "manga", "shōnen", "seinen" };
static const char *const manga_exclude[] = { "concours" };

static const struct rank_rules manga_rules = {
	"manga", manga_include, 3, manga_exclude, 1,
};

static struct rank_doc
doc(int64_t id, int64_t age_days, const char *title, const char *summary)
{
	struct rank_doc d = { 0 };

	d.id = id;
	d.date = NOW - age_days * DAY;
	d.title = title;
	d.summary = summary;
	d.is_candidate = true;
	return d;
}

static void
test_rank_drops_excluded_and_unrelated_items(void **state)
{
	struct rank_doc docs[3];
	struct rank_corpus *corpus;
	struct rank_suggestion *out;
	size_t n;

	(void)state;
	docs[0] = doc(1, 0, "Concours : gagnez des mangas", NULL);
	docs[1] = doc(2, 0, "Travaux rue Jean-Jaurès", "Déviation des bus");
	docs[2] = doc(3, 1, "Frieren, le manga de l'automne", NULL);
	corpus = rank_corpus_new(docs, 3);
	rank_suggest(corpus, &manga_rules, NULL, 0, NOW, &out, &n);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].doc, 2);
	assert_string_equal(out[0].why, "include: manga");
	rank_suggestions_free(out, n);
	rank_corpus_free(corpus);
}

static void
test_rank_explains_rules_and_similar_words(void **state)
{
	struct rank_doc docs[4];
	struct rank_corpus *corpus;
	struct rank_suggestion *out;
	size_t n, picked[] = { 0, 1 };

	(void)state;
	docs[0] = doc(10, 30, "Frieren : le tome 11 du manga", NULL);
	docs[0].is_candidate = false;
	docs[1] = doc(11, 30, "Série Frieren, tome 10", "Une série d'elfes");
	docs[1].is_candidate = false;
	docs[2] = doc(12, 0, "Frieren : le tome 12 et la fin de la série",
		      "L'elfe magicienne en Shōnen Jump");
	docs[3] = doc(13, 0, "Météo : de la pluie", NULL);
	corpus = rank_corpus_new(docs, 4);
	rank_suggest(corpus, &manga_rules, picked, 2, NOW, &out, &n);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].doc, 2);
	assert_string_equal(out[0].why,
			    "include: shōnen; similar: frieren, tome, série");
	rank_suggestions_free(out, n);
	rank_corpus_free(corpus);
}

static void
test_rank_shows_source_topic_and_every_include(void **state)
{
	static const char *const topics[] = { "Manga" };
	struct rank_doc docs[1];
	struct rank_corpus *corpus;
	struct rank_suggestion *out;
	size_t n;

	(void)state;
	docs[0] = doc(5, 2, "Le seinen du mois", "Un shonen aussi");
	docs[0].source_topics = topics;
	docs[0].nsource_topics = 1;
	corpus = rank_corpus_new(docs, 1);
	rank_suggest(corpus, &manga_rules, NULL, 0, NOW, &out, &n);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].why,
			    "include: shōnen, seinen; manga feed");
	rank_suggestions_free(out, n);
	rank_corpus_free(corpus);
}

static void
test_rank_prefers_title_matches_then_recent_then_small_ids(void **state)
{
	struct rank_doc docs[5];
	struct rank_corpus *corpus;
	struct rank_suggestion *out;
	size_t n;

	(void)state;
	docs[0] = doc(1, 0, "Un article", "Il parle de manga en passant");
	docs[1] = doc(7, 3, "Un manga", NULL);
	docs[2] = doc(4, 3, "Un manga", NULL);
	docs[3] = doc(2, 0, "Un manga", NULL);
	docs[4] = doc(3, 60, "Un manga", NULL);
	corpus = rank_corpus_new(docs, 5);
	rank_suggest(corpus, &manga_rules, NULL, 0, NOW, &out, &n);
	assert_int_equal(n, 5);
	assert_int_equal(out[0].doc, 3); /* today */
	assert_int_equal(out[1].doc, 2); /* 3 days, id 4 before id 7 */
	assert_int_equal(out[2].doc, 1);
	assert_int_equal(out[3].doc, 4); /* 60 days: a title match still */
	assert_int_equal(out[4].doc, 0); /* beats a passing mention */
	assert_true(out[0].score > out[1].score);
	assert_true(out[1].score == out[2].score);
	/* recency never takes more than half of the score */
	assert_true(out[3].score >= out[0].score / 2);
	rank_suggestions_free(out, n);
	rank_corpus_free(corpus);
}

static void
test_rank_handles_empty_and_hostile_text(void **state)
{
	struct rank_doc docs[3];
	struct rank_corpus *corpus;
	struct rank_suggestion *out;
	size_t n;

	(void)state;
	docs[0] = doc(1, 0, NULL, NULL);
	docs[1] = doc(2, 0, "\xff\xfe manga \xc0", "\xe2\x80");
	docs[2] = doc(3, 0, "", "«»—…  ");
	corpus = rank_corpus_new(docs, 3);
	rank_suggest(corpus, &manga_rules, NULL, 0, NOW, &out, &n);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].doc, 1);
	rank_suggestions_free(out, n);
	rank_corpus_free(corpus);
	corpus = rank_corpus_new(NULL, 0);
	rank_suggest(corpus, &manga_rules, NULL, 0, NOW, &out, &n);
	assert_int_equal(n, 0);
	rank_suggestions_free(out, n);
	rank_corpus_free(corpus);
}

/* ------------------------------------------------- the labelled fixture */

struct fixture {
	json_t *root;
	struct rank_doc *docs;
	size_t ndocs;
	const char ***strings; /* per document: categories then topics */
};

static const char **
string_array(json_t *arr, size_t *n)
{
	const char **out = xcalloc(json_array_size(arr) + 1, sizeof(*out));
	size_t i;

	for (i = 0; i < json_array_size(arr); i++)
		out[i] = json_string_value(json_array_get(arr, i));
	*n = json_array_size(arr);
	return out;
}

static json_t *
source_topics(json_t *root, const char *key)
{
	json_t *sources = json_object_get(root, "sources"), *s;
	size_t i;

	json_array_foreach(sources, i, s)
		if (strcmp(json_string_value(json_object_get(s, "key")),
			   key) == 0)
			return json_object_get(s, "topics");
	fail_msg("unknown source %s", key);
	return NULL;
}

static void
add_docs(struct fixture *f, json_t *items, bool is_candidate)
{
	struct rank_doc *d;
	const char *date;
	json_t *it;
	size_t i;

	json_array_foreach(items, i, it) {
		d = &f->docs[f->ndocs];
		d->id = json_integer_value(json_object_get(it, "id"));
		date = json_string_value(json_object_get(it, "date"));
		assert_int_equal(date_parse(date, strlen(date), &d->date), 0);
		d->title = json_string_value(json_object_get(it, "title"));
		d->summary = json_string_value(json_object_get(it, "summary"));
		d->categories = f->strings[2 * f->ndocs] = string_array(
			json_object_get(it, "categories"), &d->ncategories);
		d->source_topics = f->strings[2 * f->ndocs + 1] =
			string_array(
				source_topics(f->root,
					      json_string_value(json_object_get(
						      it, "source"))),
				&d->nsource_topics);
		d->is_candidate = is_candidate;
		f->ndocs++;
	}
}

static bool
has_string(json_t *arr, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static void
test_rank_precision_at_10_on_the_labelled_fixture(void **state)
{
	struct fixture f = { 0 };
	struct rank_corpus *corpus;
	struct rank_suggestion *out;
	struct rank_rules rules;
	json_error_t error;
	json_t *topic, *items, *picked, *it;
	const char **include, **exclude;
	struct buf path = BUF_INIT;
	const char *top = getenv("TOP"), *slug;
	size_t i, j, n, npicked, hits, ntopics = 0, nitems;
	size_t *picks;

	(void)state;
	buf_addf(&path, "%s/tests/fixtures/queue/ranking.json",
		 top ? top : ".");
	f.root = json_load_file(path.ptr, 0, &error);
	if (!f.root)
		fail_msg("%s: %s", path.ptr, error.text);
	items = json_object_get(f.root, "items");
	picked = json_object_get(f.root, "picked");
	nitems = json_array_size(items);
	assert_true(nitems >= 300);
	n = nitems + json_array_size(picked);
	f.docs = xcalloc(n, sizeof(*f.docs));
	f.strings = xcalloc(2 * n, sizeof(*f.strings));
	add_docs(&f, items, true);
	add_docs(&f, picked, false);
	corpus = rank_corpus_new(f.docs, f.ndocs);
	picks = xcalloc(n, sizeof(*picks));

	json_array_foreach(json_object_get(f.root, "topics"), i, topic) {
		slug = json_string_value(json_object_get(topic, "slug"));
		rules.slug = slug;
		include = string_array(json_object_get(topic, "include"),
				       &rules.ninclude);
		exclude = string_array(json_object_get(topic, "exclude"),
				       &rules.nexclude);
		rules.include = include;
		rules.exclude = exclude;
		npicked = 0;
		json_array_foreach(picked, j, it)
			if (has_string(json_object_get(it, "picked_for"),
				       slug))
				picks[npicked++] = nitems + j;
		rank_suggest(corpus, &rules, picks, npicked, NOW, &out, &n);
		hits = 0;
		for (j = 0; j < n && j < 10; j++) {
			it = json_array_get(items, out[j].doc);
			if (has_string(json_object_get(it, "relevant"), slug))
				hits++;
			else
				printf("#   %s miss %zu: %s [%s]\n", slug, j + 1,
				       json_string_value(
					       json_object_get(it, "title")),
				       out[j].why);
		}
		printf("# precision@10 %-8s %.1f (%zu suggestions)\n", slug,
		       hits / 10.0, n);
		assert_true(hits >= 8);
		rank_suggestions_free(out, n);
		free(include);
		free(exclude);
		ntopics++;
	}
	assert_int_equal(ntopics, 4);
	free(picks);
	rank_corpus_free(corpus);
	for (i = 0; i < 2 * f.ndocs; i++)
		free(f.strings[i]);
	free(f.strings);
	free(f.docs);
	json_decref(f.root);
	buf_release(&path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_drops_excluded_and_unrelated_items),
		cmocka_unit_test(test_rank_explains_rules_and_similar_words),
		cmocka_unit_test(test_rank_shows_source_topic_and_every_include),
		cmocka_unit_test(
			test_rank_prefers_title_matches_then_recent_then_small_ids),
		cmocka_unit_test(test_rank_handles_empty_and_hostile_text),
		cmocka_unit_test(
			test_rank_precision_at_10_on_the_labelled_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
