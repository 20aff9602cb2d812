/*
 * text: cutting texts into folded words, stop words, plural folding and
 * whole-word keyword matching, for routing (route.c) and ranking (rank.c).
 */
#include "curate/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

/*
 * French and English stop words, folded (no accents), sorted in byte order
 * for bsearch. Single letters are not listed: every one-letter word is
 * dropped anyway ("l'", "d'", "a").
 */
static const char *const stop_words[] = {
	"about", "after", "ai", "aie", "aient", "ainsi", "ait", "all", "alors",
	"also", "an", "and", "any", "apres", "are", "as", "at", "au", "aucun",
	"aucune", "aupres", "auquel", "aura", "aurait", "aussi", "autre",
	"autres", "aux", "avait", "avant", "avec", "avez", "avoir", "avons",
	"ayant", "be", "beaucoup", "been", "before", "being", "bien", "but",
	"by", "ca", "can", "car", "ce", "ceci", "cela", "celle", "celles",
	"celui", "cependant", "certain", "certaines", "certains", "ces", "cet",
	"cette", "ceux", "chaque", "chez", "ci", "comme", "comment", "contre",
	"could", "dans", "de", "depuis", "des", "desormais", "deux", "did",
	"do", "does", "doit", "donc", "dont", "du", "elle", "elles", "en",
	"encore", "entre", "est", "et", "etaient", "etait", "ete", "etre",
	"eu", "eux", "faire", "fait", "fois", "font", "for", "from", "had",
	"has", "have", "he", "her", "his", "how", "ici", "if", "il", "ils",
	"in", "into", "is", "it", "its", "je", "jusqu", "just", "la", "le",
	"les", "leur", "leurs", "lui", "ma", "mais", "me", "meme", "memes",
	"mes", "moi", "moins", "mon", "more", "most", "ne", "new", "ni", "no",
	"non", "nos", "not", "notre", "nous", "of", "on", "one", "ont", "or",
	"ou", "our", "out", "over", "par", "parmi", "pas", "pendant", "peu",
	"peut", "plus", "plusieurs", "pour", "pourquoi", "pres", "puis", "qu",
	"quand", "que", "quel", "quelle", "quelles", "quels", "qui", "quoi",
	"sa", "sans", "se", "selon", "ses", "she", "si", "so", "some", "son",
	"sont", "sous", "sur", "ta", "te", "tes", "than", "that", "the",
	"their", "them", "then", "there", "these", "they", "this", "those",
	"to", "toi", "ton", "tous", "tout", "toute", "toutes", "tres", "tu",
	"un", "une", "unes", "uns", "up", "va", "vers", "via", "voici",
	"voila", "vont", "vos", "votre", "vous", "was", "we", "were", "what",
	"when", "which", "who", "will", "with", "would", "you", "your",
};

static int
stop_word_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool
text_is_stop_word(const char *term)
{
	return bsearch(term, stop_words,
		       sizeof(stop_words) / sizeof(stop_words[0]),
		       sizeof(stop_words[0]), stop_word_cmp) != NULL;
}

const char *const *
text_stop_words(size_t *n)
{
	*n = sizeof(stop_words) / sizeof(stop_words[0]);
	return stop_words;
}

/* Characters above U+007F that separate words: Latin-1 punctuation and
 * symbols (no-break space, guillemets, middle dot; not the ordinal and
 * superscript letters), the multiplication and division signs, general
 * punctuation (typographic quotes and dashes, narrow no-break space,
 * ellipsis) through the symbol blocks to U+2BFF, CJK punctuation, small
 * and full-width punctuation, emoji, and U+FFFD (what invalid bytes
 * become). */
static bool
is_separator(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
			 (cp >= 'A' && cp <= 'Z'));
	if (cp <= 0xBF)
		return cp != 0xAA && cp != 0xB2 && cp != 0xB3 && cp != 0xB5 &&
		       cp != 0xB9 && cp != 0xBA;
	return cp == 0xD7 || cp == 0xF7 || cp == 0x2BC ||
	       (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFE10 && cp <= 0xFE6F) ||
	       (cp >= 0xFF00 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFFFD;
}

void
text_fold_plural(char *term)
{
	size_t len = strlen(term);

	if (len < 4)
		return;
	if (len >= 5 && strcmp(term + len - 3, "aux") == 0) {
		/* festivaux -> festival, journaux -> journal */
		term[len - 2] = 'l';
		term[len - 1] = '\0';
	} else if (term[len - 1] == 's' && term[len - 2] != 's') {
		term[len - 1] = '\0';
	} else if (term[len - 1] == 'x' && term[len - 2] == 'u') {
		term[len - 1] = '\0'; /* jeux, bijoux, eaux */
	}
}

static bool
is_all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void
add_word(struct text_tokens *toks, const char *s, size_t len, unsigned field,
	 bool *is_first, struct buf *scratch)
{
	struct text_token *tok;
	size_t i;

	buf_clear(scratch);
	utf8_fold(s, len, scratch);
	if (scratch->len == 0)
		return; /* only default ignorables */
	toks->v = xgrow(toks->v, toks->n + 1, &toks->cap, sizeof(*toks->v));
	tok = &toks->v[toks->n++];
	tok->field = field;
	tok->is_first = *is_first;
	*is_first = false;
	tok->is_stop = scratch->len < 2 || is_all_digits(scratch->ptr) ||
		       text_is_stop_word(scratch->ptr);
	tok->term = xmemdupz(scratch->ptr, scratch->len);
	text_fold_plural(tok->term);
	tok->surface = xmemdupz(s, len);
	for (i = 0; i < len; i++)
		if (tok->surface[i] >= 'A' && tok->surface[i] <= 'Z')
			tok->surface[i] |= 0x20;
}

void
text_tokenize(const char *s, size_t len, unsigned field,
	      struct text_tokens *toks)
{
	struct buf scratch = BUF_INIT;
	size_t at = 0, start = 0, step;
	uint32_t cp;
	bool is_in_word = false, is_first = true;

	while (at < len) {
		step = utf8_decode(s + at, len - at, &cp);
		if (step == 0) {
			step = 1;
			cp = 0xFFFD;
		}
		if (is_separator(cp)) {
			if (is_in_word)
				add_word(toks, s + start, at - start, field,
					 &is_first, &scratch);
			is_in_word = false;
		} else if (!is_in_word) {
			is_in_word = true;
			start = at;
		}
		at += step;
	}
	if (is_in_word)
		add_word(toks, s + start, at - start, field, &is_first,
			 &scratch);
	buf_release(&scratch);
}

void
text_tokens_release(struct text_tokens *toks)
{
	size_t i;

	for (i = 0; i < toks->n; i++) {
		free(toks->v[i].term);
		free(toks->v[i].surface);
	}
	free(toks->v);
	toks->v = NULL;
	toks->n = 0;
	toks->cap = 0;
}

unsigned
text_find(const struct text_tokens *toks, const struct text_tokens *keyword)
{
	unsigned fields = 0;
	size_t i, j;

	if (keyword->n == 0)
		return 0;
	for (i = 0; i + keyword->n <= toks->n; i++) {
		for (j = 0; j < keyword->n; j++)
			if ((j > 0 && toks->v[i + j].is_first) ||
			    strcmp(toks->v[i + j].term,
				   keyword->v[j].term) != 0)
				break;
		if (j == keyword->n && toks->v[i].field < 32)
			fields |= 1u << toks->v[i].field;
	}
	return fields;
}

unsigned
text_find_keyword(const struct text_tokens *toks, const char *keyword)
{
	struct text_tokens kw = TEXT_TOKENS_INIT;
	unsigned fields;

	text_tokenize(keyword, strlen(keyword), 0, &kw);
	fields = text_find(toks, &kw);
	text_tokens_release(&kw);
	return fields;
}

bool
text_names_topic(const char *name, const char *slug)
{
	struct buf b = BUF_INIT;
	bool is_same;

	utf8_slug(name, strlen(name), 256, &b);
	is_same = strcmp(b.ptr, slug) == 0;
	buf_release(&b);
	return is_same;
}

void
text_tokenize_item(const char *title, const char *summary,
		   const char *const *categories, size_t ncategories,
		   struct text_tokens *toks)
{
	size_t i;

	if (title)
		text_tokenize(title, strlen(title), TEXT_FIELD_TITLE, toks);
	if (summary)
		text_tokenize(summary, strlen(summary), TEXT_FIELD_SUMMARY,
			      toks);
	for (i = 0; i < ncategories; i++) {
		if (!categories[i])
			continue;
		text_tokenize(categories[i], strlen(categories[i]),
			      TEXT_FIELD_CATEGORY, toks);
	}
}
