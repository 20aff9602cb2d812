/*
 * rank: ordering a topic's suggestions by relevance (rank_* in curate.h).
 *
 * Why TF-IDF cosine and not naive Bayes: a topic starts with a handful of
 * picks (often fewer than ten) and no negative examples: nobody records
 * why an item was not picked. Naive Bayes needs both classes and
 * calibrated priors; with ten positive short texts its probabilities are
 * dominated by smoothing. The cosine between an item and the centroid of
 * the picked items (Rocchio's profile) works from the first pick, needs no
 * negatives, and its top contributions are exactly the "similar: ..."
 * words a librarian can check.
 *
 * The score of a candidate for a topic:
 *
 *   score = (similarity + rules) * recency
 *
 *   similarity  cosine between the candidate's TF-IDF vector and the
 *               normalized sum of the picked items' vectors, 0..1
 *   rules       RANK_BOOST_TITLE when an include keyword is in the title,
 *               else RANK_BOOST_TEXT when one is in the summary or the
 *               categories; plus RANK_BOOST_SOURCE when a source of the
 *               item is filed under the topic in the OPML
 *   recency     1/2 + 1/2 * 2^(-age / 14 days): a gentle preference, an
 *               item loses a quarter of its score after 14 days and never
 *               more than half, so an old but very relevant item still
 *               beats a fresh but vague one
 *
 * Weights: a word in the title counts twice, a word of the summary or the
 * categories once; term frequency is sublinear (1 + ln tf) and the IDF
 * smoothed (ln((N + 1) / (df + 1)) + 1) over every document of the corpus,
 * candidates and picks together.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "curate/curate.h"
#include "curate/text.h"

#define RANK_HALF_LIFE (14 * 86400.0)
#define RANK_WEIGHT_TITLE 2.0
#define RANK_WEIGHT_TEXT 1.0
#define RANK_BOOST_TITLE 0.35
#define RANK_BOOST_TEXT 0.15
#define RANK_BOOST_SOURCE 0.15
/* A candidate that no rule routes to the topic is suggested only when it
 * is at least this similar to the picks. */
#define RANK_MIN_SIMILARITY 0.12
/* Words listed after "similar:". */
#define RANK_WHY_WORDS 3

struct rank_entry {
	size_t term;
	double weight;
};

struct rank_vector {
	struct text_tokens toks;
	struct rank_entry *v; /* by term id, L2 norm 1 (or empty) */
	size_t n;
};

struct rank_corpus {
	const struct rank_doc *docs;
	size_t ndocs;
	struct rank_vector *vecs;
	const char **terms; /* sorted, borrowed from the vectors' tokens */
	size_t nterms;
};

static int
term_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t
term_id(const struct rank_corpus *c, const char *term)
{
	const char **at = bsearch(&term, c->terms, c->nterms,
				  sizeof(*c->terms), term_cmp);

	return (size_t)(at - c->terms);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct rank_entry *x = a, *y = b;

	return x->term < y->term ? -1 : x->term > y->term;
}

/* Builds the vocabulary: every word that is not a stop word. */
static void
collect_terms(struct rank_corpus *c)
{
	size_t i, j, n = 0, cap = 0, kept = 0;
	const char **all = NULL;

	for (i = 0; i < c->ndocs; i++)
		for (j = 0; j < c->vecs[i].toks.n; j++) {
			if (c->vecs[i].toks.v[j].is_stop)
				continue;
			all = xgrow(all, n + 1, &cap, sizeof(*all));
			all[n++] = c->vecs[i].toks.v[j].term;
		}
	if (n > 0)
		qsort(all, n, sizeof(*all), term_cmp);
	for (i = 0; i < n; i++)
		if (kept == 0 || strcmp(all[kept - 1], all[i]) != 0)
			all[kept++] = all[i];
	c->terms = all;
	c->nterms = kept;
}

/* Fills vec->v with each distinct term's weighted count; returns them
 * sorted by term. */
static void
count_terms(const struct rank_corpus *c, struct rank_vector *vec)
{
	const struct text_token *tok;
	size_t i, kept = 0;

	vec->v = xmalloc((vec->toks.n + 1) * sizeof(*vec->v));
	vec->n = 0;
	for (i = 0; i < vec->toks.n; i++) {
		tok = &vec->toks.v[i];
		if (tok->is_stop)
			continue;
		vec->v[vec->n].term = term_id(c, tok->term);
		vec->v[vec->n].weight = tok->field == TEXT_FIELD_TITLE ?
						RANK_WEIGHT_TITLE :
						RANK_WEIGHT_TEXT;
		vec->n++;
	}
	if (vec->n > 0)
		qsort(vec->v, vec->n, sizeof(*vec->v), entry_cmp);
	for (i = 0; i < vec->n; i++) {
		if (kept > 0 && vec->v[kept - 1].term == vec->v[i].term)
			vec->v[kept - 1].weight += vec->v[i].weight;
		else
			vec->v[kept++] = vec->v[i];
	}
	vec->n = kept;
}

static void
normalize(struct rank_entry *v, size_t n)
{
	double norm = 0;
	size_t i;

	for (i = 0; i < n; i++)
		norm += v[i].weight * v[i].weight;
	if (norm <= 0)
		return;
	norm = sqrt(norm);
	for (i = 0; i < n; i++)
		v[i].weight /= norm;
}

struct rank_corpus *
rank_corpus_new(const struct rank_doc *docs, size_t ndocs)
{
	struct rank_corpus *c = xcalloc(1, sizeof(*c));
	const struct rank_doc *d;
	size_t *df, i, j;
	double idf;

	c->docs = docs;
	c->ndocs = ndocs;
	c->vecs = xcalloc(ndocs + 1, sizeof(*c->vecs));
	for (i = 0; i < ndocs; i++) {
		d = &docs[i];
		text_tokenize_item(d->title, d->summary, d->categories,
				   d->ncategories, &c->vecs[i].toks);
	}
	collect_terms(c);
	df = xcalloc(c->nterms + 1, sizeof(*df));
	for (i = 0; i < ndocs; i++) {
		count_terms(c, &c->vecs[i]);
		for (j = 0; j < c->vecs[i].n; j++)
			df[c->vecs[i].v[j].term]++;
	}
	for (i = 0; i < ndocs; i++) {
		for (j = 0; j < c->vecs[i].n; j++) {
			idf = log((double)(ndocs + 1) /
				  (double)(df[c->vecs[i].v[j].term] + 1)) +
			      1.0;
			c->vecs[i].v[j].weight =
				(1.0 + log(c->vecs[i].v[j].weight)) * idf;
		}
		normalize(c->vecs[i].v, c->vecs[i].n);
	}
	free(df);
	return c;
}

void
rank_corpus_free(struct rank_corpus *corpus)
{
	size_t i;

	if (!corpus)
		return;
	for (i = 0; i < corpus->ndocs; i++) {
		text_tokens_release(&corpus->vecs[i].toks);
		free(corpus->vecs[i].v);
	}
	free(corpus->vecs);
	free(corpus->terms);
	free(corpus);
}

void
rank_suggestions_free(struct rank_suggestion *suggestions, size_t n)
{
	size_t i;

	if (!suggestions)
		return;
	for (i = 0; i < n; i++)
		free(suggestions[i].why);
	free(suggestions);
}

/* The topic's profile: the normalized sum of the picked vectors, dense
 * over the vocabulary (all zero without picks). */
static double *
make_profile(const struct rank_corpus *c, const size_t *picked,
	     size_t npicked)
{
	double *profile = xcalloc(c->nterms + 1, sizeof(*profile));
	const struct rank_vector *vec;
	double norm = 0;
	size_t i, j;

	for (i = 0; i < npicked; i++) {
		if (picked[i] >= c->ndocs)
			continue;
		vec = &c->vecs[picked[i]];
		for (j = 0; j < vec->n; j++)
			profile[vec->v[j].term] += vec->v[j].weight;
	}
	for (i = 0; i < c->nterms; i++)
		norm += profile[i] * profile[i];
	if (norm > 0) {
		norm = sqrt(norm);
		for (i = 0; i < c->nterms; i++)
			profile[i] /= norm;
	}
	return profile;
}

struct keyword {
	const char *text;             /* as written in the rules */
	struct text_tokens toks;
};

static struct keyword *
make_keywords(const char *const *texts, size_t n)
{
	struct keyword *kw = xcalloc(n + 1, sizeof(*kw));
	size_t i;

	for (i = 0; i < n; i++) {
		kw[i].text = texts[i];
		text_tokenize(texts[i], strlen(texts[i]), 0, &kw[i].toks);
	}
	return kw;
}

static void
free_keywords(struct keyword *kw, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		text_tokens_release(&kw[i].toks);
	free(kw);
}

struct contribution {
	size_t term;
	double value;
};

static int
contribution_cmp(const void *a, const void *b)
{
	const struct contribution *x = a, *y = b;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->term < y->term ? -1 : x->term > y->term;
}

/* Whether term is the one word of a matched include keyword (already
 * shown after "include:"). */
static bool
is_included_word(const char *term, const struct keyword *include,
		 const unsigned *matched, size_t ninclude)
{
	size_t i;

	for (i = 0; i < ninclude; i++)
		if (matched[i] && include[i].toks.n == 1 &&
		    strcmp(include[i].toks.v[0].term, term) == 0)
			return true;
	return false;
}

/* The surface form of term's first occurrence in the document. */
static const char *
surface_of(const struct rank_corpus *c, const struct rank_vector *vec,
	   size_t term)
{
	size_t i;

	for (i = 0; i < vec->toks.n; i++)
		if (!vec->toks.v[i].is_stop &&
		    strcmp(vec->toks.v[i].term, c->terms[term]) == 0)
			return vec->toks.v[i].surface;
	return c->terms[term];
}

/* Appends "similar: w1, w2, w3" (the words that add most to the cosine);
 * nothing when no word is shared with the picks. */
static void
add_similar_words(const struct rank_corpus *c, const struct rank_vector *vec,
		  const double *profile, const struct keyword *include,
		  const unsigned *matched, size_t ninclude, struct buf *why)
{
	struct contribution *contrib;
	size_t i, n = 0, shown = 0;

	contrib = xmalloc((vec->n + 1) * sizeof(*contrib));
	for (i = 0; i < vec->n; i++) {
		if (profile[vec->v[i].term] <= 0)
			continue;
		contrib[n].term = vec->v[i].term;
		contrib[n].value = vec->v[i].weight * profile[vec->v[i].term];
		n++;
	}
	if (n > 0)
		qsort(contrib, n, sizeof(*contrib), contribution_cmp);
	for (i = 0; i < n && shown < RANK_WHY_WORDS; i++) {
		if (is_included_word(c->terms[contrib[i].term], include,
				     matched, ninclude))
			continue;
		if (shown == 0)
			buf_adds(why, why->len ? "; similar: " : "similar: ");
		else
			buf_adds(why, ", ");
		buf_adds(why, surface_of(c, vec, contrib[i].term));
		shown++;
	}
	free(contrib);
}

struct ranked {
	size_t doc;
	double score;
	int64_t date;
	int64_t id;
	char *why;
};

static int
ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static double
recency(int64_t date, int64_t now)
{
	double age = (double)(now - date);

	if (date <= 0 || age <= 0)
		return 1.0;
	return 0.5 + 0.5 * exp2(-age / RANK_HALF_LIFE);
}

static bool
is_from_topic(const struct rank_doc *d, const char *slug)
{
	size_t i;

	for (i = 0; i < d->nsource_topics; i++)
		if (d->source_topics[i] &&
		    text_names_topic(d->source_topics[i], slug))
			return true;
	return false;
}

/* Scores one candidate; returns false when it is not suggested. */
static bool
score_doc(const struct rank_corpus *c, size_t index,
	  const struct rank_rules *rules, const struct keyword *include,
	  const struct keyword *exclude, const double *profile,
	  unsigned *matched, int64_t now, struct ranked *out)
{
	const struct rank_vector *vec = &c->vecs[index];
	const struct rank_doc *d = &c->docs[index];
	struct buf why = BUF_INIT;
	double similarity = 0, rules_score = 0;
	unsigned fields = 0;
	bool is_source, is_listed = false;
	size_t i;

	for (i = 0; i < rules->nexclude; i++)
		if (text_find(&vec->toks, &exclude[i].toks))
			return false;
	for (i = 0; i < rules->ninclude; i++) {
		matched[i] = text_find(&vec->toks, &include[i].toks);
		fields |= matched[i];
	}
	is_source = rules->slug && is_from_topic(d, rules->slug);
	for (i = 0; i < vec->n; i++)
		similarity += vec->v[i].weight * profile[vec->v[i].term];
	if (!fields && !is_source && similarity < RANK_MIN_SIMILARITY)
		return false;
	if (fields & (1u << TEXT_FIELD_TITLE))
		rules_score += RANK_BOOST_TITLE;
	else if (fields)
		rules_score += RANK_BOOST_TEXT;
	if (is_source)
		rules_score += RANK_BOOST_SOURCE;

	for (i = 0; i < rules->ninclude; i++) {
		if (!matched[i])
			continue;
		buf_adds(&why, is_listed ? ", " : "include: ");
		buf_adds(&why, include[i].text);
		is_listed = true;
	}
	add_similar_words(c, vec, profile, include, matched, rules->ninclude,
			  &why);
	if (is_source)
		buf_addf(&why, "%s%s feed", why.len ? "; " : "", rules->slug);

	out->doc = index;
	out->score = (similarity + rules_score) * recency(d->date, now);
	out->date = d->date;
	out->id = d->id;
	out->why = buf_detach(&why, NULL);
	return true;
}

void
rank_suggest(const struct rank_corpus *corpus, const struct rank_rules *rules,
	     const size_t *picked, size_t npicked, int64_t now,
	     struct rank_suggestion **out, size_t *n)
{
	struct keyword *include, *exclude;
	struct ranked *ranked;
	double *profile;
	unsigned *matched;
	size_t i, count = 0;

	profile = make_profile(corpus, picked, npicked);
	include = make_keywords(rules->include, rules->ninclude);
	exclude = make_keywords(rules->exclude, rules->nexclude);
	matched = xcalloc(rules->ninclude + 1, sizeof(*matched));
	ranked = xcalloc(corpus->ndocs + 1, sizeof(*ranked));
	for (i = 0; i < corpus->ndocs; i++)
		if (corpus->docs[i].is_candidate &&
		    score_doc(corpus, i, rules, include, exclude, profile,
			      matched, now, &ranked[count]))
			count++;
	if (count > 0)
		qsort(ranked, count, sizeof(*ranked), ranked_cmp);

	*out = xcalloc(count + 1, sizeof(**out));
	for (i = 0; i < count; i++) {
		(*out)[i].doc = ranked[i].doc;
		(*out)[i].score = ranked[i].score;
		(*out)[i].why = ranked[i].why;
	}
	*n = count;
	free(ranked);
	free(matched);
	free_keywords(include, rules->ninclude);
	free_keywords(exclude, rules->nexclude);
	free(profile);
}
