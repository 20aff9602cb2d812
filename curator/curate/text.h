/*
 * text: words for routing and ranking (private to the curate stage).
 *
 * A text is cut into words, then each word is folded (utf8_fold: case and
 * accents, "Shōnen" -> "shonen") and its plural folded ("mangas" ->
 * "manga"). Topic rules and the ranker compare these folded terms, so
 * "shonen" matches "Shōnen" and "album" matches "Albums".
 */
#ifndef CURATOR_CURATE_TEXT_H
#define CURATOR_CURATE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* One word of a text. */
struct text_token {
	char *term;       /* folded, plural folded; owned */
	char *surface;    /* the word as written (ASCII lowercased); owned */
	unsigned field;   /* which text it came from (see text_tokenize) */
	bool is_first;    /* the first word of its text: a keyword never
			   * matches across two texts */
	bool is_stop;     /* stop word, a single letter or only digits:
			   * matched by rules but not used for similarity */
};

struct text_tokens {
	struct text_token *v;
	size_t n;
	size_t cap;
};

#define TEXT_TOKENS_INIT { NULL, 0, 0 }

/*
 * Appends the words of len bytes at s (not NUL-terminated, any bytes:
 * invalid UTF-8 separates words) to toks, tagged with field. Words are
 * runs of letters and digits: ASCII punctuation, spaces, and the
 * punctuation and symbols above U+007F (guillemets, typographic
 * apostrophes and dashes, no-break spaces, emoji) separate them, so
 * "l'Attaque" gives "l" and "attaque" and "shōnen-manga" two words.
 */
void text_tokenize(const char *s, size_t len, unsigned field,
		   struct text_tokens *toks);
/* Frees the words and leaves toks empty. */
void text_tokens_release(struct text_tokens *toks);

/* Whether a folded word is a French or English stop word. */
bool text_is_stop_word(const char *term);
/* The stop-word table (sorted, folded) for tests. */
const char *const *text_stop_words(size_t *n);

/* Folds a French or English plural in place: "tomes" -> "tome",
 * "jeux" -> "jeu", "festivaux" -> "festival" ("ss" and words of fewer
 * than 4 bytes are kept). */
void text_fold_plural(char *term);

/*
 * Whether the words of a keyword (tokenized as a text) occur one after
 * the other within one text of toks (never across two texts, such as two
 * categories). Returns a bit mask of the fields
 * (1u << field) where they do, 0 when nowhere or when the keyword has no
 * word.
 */
unsigned text_find(const struct text_tokens *toks,
		   const struct text_tokens *keyword);

/* text_find() for a keyword given as text. */
unsigned text_find_keyword(const struct text_tokens *toks,
			   const char *keyword);

/* Whether an OPML category name names the topic slug: the same slug once
 * folded ("Cinéma" names "cinema"). */
bool text_names_topic(const char *name, const char *slug);

/* The fields of a feed item, in text_tokenize()'s field numbers. */
enum text_field {
	TEXT_FIELD_TITLE,
	TEXT_FIELD_SUMMARY,
	TEXT_FIELD_CATEGORY,
};

/* Tokenizes an item's title, summary and categories (any may be NULL). */
void text_tokenize_item(const char *title, const char *summary,
			const char *const *categories, size_t ncategories,
			struct text_tokens *toks);

#endif
