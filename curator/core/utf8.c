/*
 * utf8: validation and repair by hand (Unicode 15 §3.9, Table 3-7), the
 * rest on utf8proc: grapheme clusters (UAX #29) and the decompositions,
 * case folding and lumping behind utf8_fold().
 */
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/xmalloc.h"

#define REPLACEMENT 0xFFFD
#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 */

/* Decodes the sequence at s. Returns its length, or for an ill-formed one
 * the length of its maximal subpart (at least 1), with *cp set to U+FFFD
 * and *is_valid false: replacing each maximal subpart by one U+FFFD is the
 * practice Unicode §3.9 recommends and WHATWG's decoder follows. */
static size_t
decode(const unsigned char *s, size_t len, uint32_t *cp, bool *is_valid)
{
	unsigned char lead = s[0];
	unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
	size_t need, i;
	uint32_t value;

	*is_valid = false;
	*cp = REPLACEMENT;
	if (lead < 0x80) {
		*cp = lead;
		*is_valid = true;
		return 1;
	}
	if (lead < 0xC2 || lead > 0xF4)
		return 1; /* continuation, overlong C0 C1, or above U+10FFFF */
	if (lead < 0xE0) {
		need = 1;
		value = lead & 0x1F;
	} else if (lead < 0xF0) {
		need = 2;
		value = lead & 0x0F;
		if (lead == 0xE0)
			lo = 0xA0; /* overlong */
		else if (lead == 0xED)
			hi = 0x9F; /* surrogates */
	} else {
		need = 3;
		value = lead & 0x07;
		if (lead == 0xF0)
			lo = 0x90; /* overlong */
		else if (lead == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return i;
		value = value << 6 | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = value;
	*is_valid = true;
	return need + 1;
}

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	uint32_t value;
	bool is_valid;
	size_t n;

	if (len == 0)
		return 0;
	n = decode((const unsigned char *)s, len, &value, &is_valid);
	if (!is_valid)
		return 0;
	*cp = value;
	return n;
}

static uint64_t
load64(const char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return v;
}

/* Length of the valid prefix of s: ASCII runs 8 bytes a step, the common
 * two- and three-byte sequences checked inline, the rest by decode(). */
static size_t
valid_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	bool is_valid;
	size_t n;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			while (len - i >= 8 && !(load64((const char *)s + i) &
						 0x8080808080808080ULL))
				i += 8;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF && len - i >= 2 &&
		    (s[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		if (s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED &&
		    len - i >= 3 &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3; /* no overlong or surrogate starts so */
			continue;
		}
		n = decode(s + i, len - i, &cp, &is_valid);
		if (!is_valid)
			return i;
		i += n;
	}
	return len;
}

bool
utf8_is_valid(const char *s, size_t len)
{
	return valid_prefix((const unsigned char *)s, len) == len;
}

void
utf8_repair(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = valid_prefix(u, len), start = 0, n;
	uint32_t cp;
	bool is_valid;

	while (i < len) {
		n = decode(u + i, len - i, &cp, &is_valid);
		if (!is_valid) {
			buf_add(out, s + start, i - start);
			buf_add_utf8(out, REPLACEMENT);
			start = i + n;
		}
		i += n;
	}
	buf_add(out, s + start, len - start);
}

size_t
utf8_graphemes(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	utf8proc_int32_t state = 0, prev = -1;
	size_t i = 0, count = 0;
	uint32_t cp;
	bool is_valid;

	while (i < len) {
		i += decode(u + i, len - i, &cp, &is_valid);
		if (prev < 0 || utf8proc_grapheme_break_stateful(
					prev, (utf8proc_int32_t)cp, &state))
			count++;
		prev = (utf8proc_int32_t)cp;
	}
	return count;
}

/* The end of the grapheme cluster that starts at pos in valid UTF-8. */
static size_t
cluster_end(const char *s, size_t len, size_t pos)
{
	const unsigned char *u = (const unsigned char *)s;
	utf8proc_int32_t state = 0;
	uint32_t prev, cp;
	bool is_valid;

	/* UAX #29 GB999: an ASCII character followed by another one is
	 * a cluster of its own, CR LF excepted (GB3) */
	if (u[pos] < 0x80 && (pos + 1 == len || (u[pos + 1] < 0x80 &&
						 (u[pos] != '\r' ||
						  u[pos + 1] != '\n'))))
		return pos + 1;
	pos += decode(u + pos, len - pos, &prev, &is_valid);
	while (pos < len) {
		size_t n = decode(u + pos, len - pos, &cp, &is_valid);

		if (utf8proc_grapheme_break_stateful((utf8proc_int32_t)prev,
						     (utf8proc_int32_t)cp,
						     &state))
			break;
		prev = cp;
		pos += n;
	}
	return pos;
}

/* Unicode White_Space, less the no-break spaces (U+00A0, U+2007, U+202F):
 * French typography puts them before « : ; ! ? » and they must neither
 * be collapsed nor taken for a word boundary. */
static bool
is_white_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A && cp != 0x2007) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

/* Appends s repaired, white space runs collapsed to one space, trimmed. */
static void
collapse_white_space(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	bool is_pending = false, is_valid;
	size_t i = 0, n, start = out->len;
	uint32_t cp;

	while (i < len) {
		if (u[i] > 0x20 && u[i] < 0x80) {
			/* a run of ASCII non-space: copied at once */
			if (is_pending && out->len > start)
				buf_addc(out, ' ');
			is_pending = false;
			for (n = i + 1; n < len && u[n] > 0x20 && u[n] < 0x80;
			     n++)
				;
			buf_add(out, s + i, n - i);
			i = n;
			continue;
		}
		n = decode(u + i, len - i, &cp, &is_valid);
		if (is_white_space(cp)) {
			is_pending = true;
		} else {
			if (is_pending && out->len > start)
				buf_addc(out, ' ');
			is_pending = false;
			if (is_valid)
				buf_add(out, s + i, n);
			else
				buf_add_utf8(out, REPLACEMENT);
		}
		i += n;
	}
}

/*
 * utf8_truncate_words on s[0..len), which is either the whole text
 * (is_whole) or a prefix of it that ends before an ASCII byte. Returns
 * false, appending nothing, when a prefix is too short to decide.
 *
 * NOTE: an ASCII byte is never part of a UTF-8 sequence nor of the
 * maximal subpart an invalid one is repaired by, so the prefix decodes to
 * the same code points as the start of the whole text, and its grapheme
 * boundaries are the whole text's, the prefix's end excepted. With more
 * than max clusters in the prefix, the first max are complete: the cut
 * and the ellipsis are those of the whole text.
 */
static bool
truncate_prefix(const char *s, size_t len, bool is_whole, size_t max,
		struct buf *out)
{
	struct buf text = BUF_INIT;
	size_t budget = max - 1; /* graphemes before "…" */
	size_t pos = 0, end, count = 0, budget_cut = 0, word_cut = 0;
	bool is_decided = true;

	collapse_white_space(s, len, &text);
	while (pos < text.len && count <= max) {
		end = cluster_end(text.ptr, text.len, pos);
		if (count == budget)
			budget_cut = pos;
		/* a space of its own, with words before it that fit */
		if (count >= 1 && count <= budget && end == pos + 1 &&
		    text.ptr[pos] == ' ')
			word_cut = pos;
		count++;
		pos = end;
	}
	if (count <= max) {
		is_decided = is_whole;
		if (is_whole)
			buf_add(out, text.ptr, text.len);
		goto out;
	}
	end = word_cut > 0 ? word_cut : budget_cut;
	/* "Hello, world" gives "Hello…", not "Hello,…" */
	while (end > 0 && strchr(" ,;:", text.ptr[end - 1]))
		end--;
	buf_add(out, text.ptr, end);
	buf_adds(out, ELLIPSIS);
out:
	buf_release(&text);
	return is_decided;
}

void
utf8_truncate_words(const char *s, size_t len, size_t max, struct buf *out)
{
	/* a summary of a long text looks only at a prefix, longer when
	 * it holds too few graphemes (white space runs, marks) */
	size_t limit = 2 * max + 16, cut;

	if (max == 0)
		return;
	while (limit < len) {
		for (cut = limit; cut < len; cut++)
			if ((unsigned char)s[cut] < 0x80)
				break;
		if (cut == len)
			break;
		if (truncate_prefix(s, cut, false, max, out))
			return;
		limit = limit > len / 2 ? len : 2 * limit;
	}
	truncate_prefix(s, len, true, max, out);
}

/* Letters with no decomposition that a reader of Latin script takes for
 * base letters with a mark or for two letters. Sorted for bsearch. */
static const struct spelling {
	uint32_t cp;
	const char *ascii;
} spellings[] = {
	{ 0x00C6, "ae" }, /* Æ */ { 0x00D0, "d" },  /* Ð */
	{ 0x00D8, "o" },  /* Ø */ { 0x00DE, "th" }, /* Þ */
	{ 0x00E6, "ae" }, /* æ */ { 0x00F0, "d" },  /* ð */
	{ 0x00F8, "o" },  /* ø */ { 0x00FE, "th" }, /* þ */
	{ 0x0110, "d" },  /* Đ */ { 0x0111, "d" },  /* đ */
	{ 0x0126, "h" },  /* Ħ */ { 0x0127, "h" },  /* ħ */
	{ 0x0131, "i" },  /* ı */ { 0x0141, "l" },  /* Ł */
	{ 0x0142, "l" },  /* ł */ { 0x0152, "oe" }, /* Œ */
	{ 0x0153, "oe" }, /* œ */
};

static int
spelling_cmp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	uint32_t other = ((const struct spelling *)elem)->cp;

	return cp < other ? -1 : cp > other;
}

/* Marks are stripped from the scripts where they are accents a reader
 * drops when searching: Latin, Greek, Cyrillic. Elsewhere they change the
 * letter (Japanese dakuten: か is not が) and stay. */
static bool
has_droppable_marks(utf8proc_int32_t base)
{
	return base < 0x0530 || (base >= 0x1D00 && base <= 0x1DBF) ||
	       (base >= 0x1E00 && base <= 0x1FFF) ||
	       (base >= 0x2C60 && base <= 0x2C7F) ||
	       (base >= 0xA720 && base <= 0xA7FF) ||
	       (base >= 0xAB30 && base <= 0xAB6F);
}

static bool
is_mark(utf8proc_int32_t cp)
{
	utf8proc_category_t cat = utf8proc_category(cp);

	return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
	       cat == UTF8PROC_CATEGORY_ME;
}

void
utf8_fold(const char *s, size_t len, struct buf *out)
{
	const utf8proc_option_t options = UTF8PROC_COMPAT |
					  UTF8PROC_DECOMPOSE |
					  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
					  UTF8PROC_LUMP;
	const unsigned char *u = (const unsigned char *)s;
	struct buf spelled = BUF_INIT;
	utf8proc_int32_t *cps = NULL, base = -1;
	utf8proc_ssize_t n, kept, i, bytes;
	const struct spelling *sp;
	size_t at = 0, step, cap;
	uint32_t cp;
	bool is_valid;

	while (at < len) {
		step = decode(u + at, len - at, &cp, &is_valid);
		sp = bsearch(&cp, spellings,
			     sizeof(spellings) / sizeof(spellings[0]),
			     sizeof(spellings[0]), spelling_cmp);
		if (sp)
			buf_adds(&spelled, sp->ascii);
		else if (is_valid)
			buf_add(&spelled, s + at, step);
		else
			buf_add_utf8(&spelled, REPLACEMENT);
		at += step;
	}
	/* NFKD with case folding; then, with room for reencode's NUL */
	cap = spelled.len + 16;
	cps = xmalloc((cap + 1) * sizeof(*cps));
	n = utf8proc_decompose((const utf8proc_uint8_t *)spelled.ptr,
			       (utf8proc_ssize_t)spelled.len, cps,
			       (utf8proc_ssize_t)cap, options);
	if (n > (utf8proc_ssize_t)cap) {
		cap = (size_t)n;
		cps = xrealloc(cps, (cap + 1) * sizeof(*cps));
		n = utf8proc_decompose((const utf8proc_uint8_t *)spelled.ptr,
				       (utf8proc_ssize_t)spelled.len, cps,
				       (utf8proc_ssize_t)cap, options);
	}
	if (n < 0) {
		/* NOTE: cannot happen on valid UTF-8 short of memory;
		 * the repaired text is the best we have. */
		buf_add(out, spelled.ptr, spelled.len);
		goto out;
	}
	for (i = kept = 0; i < n; i++) {
		if (is_mark(cps[i])) {
			if (base < 0 || has_droppable_marks(base))
				continue;
		} else {
			base = cps[i];
		}
		cps[kept++] = cps[i];
	}
	bytes = utf8proc_reencode(cps, kept, UTF8PROC_COMPOSE);
	if (bytes < 0)
		bytes = 0;
	buf_add(out, cps, (size_t)bytes);
out:
	free(cps);
	buf_release(&spelled);
}

static bool
is_ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

void
utf8_slug(const char *s, size_t len, size_t max, struct buf *out)
{
	struct buf folded = BUF_INIT, slug = BUF_INIT;
	bool is_pending = false;
	size_t i, end;
	char c;

	utf8_fold(s, len, &folded);
	for (i = 0; i < folded.len; i++) {
		c = folded.ptr[i];
		if (!is_ascii_alnum(c)) {
			is_pending = true;
			continue;
		}
		if (is_pending && slug.len > 0)
			buf_addc(&slug, '-');
		is_pending = false;
		buf_addc(&slug, c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c);
	}
	end = slug.len;
	if (end > max) {
		/* the longest run of whole words that fits, else a cut word */
		end = max;
		while (end > 0 && slug.ptr[end] != '-')
			end--;
		if (end == 0)
			end = max;
	}
	buf_add(out, slug.ptr, end);
	buf_release(&slug);
	buf_release(&folded);
}

/* XML 1.0 §2.2: the characters a document may hold. */
static bool
is_xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	       (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

void
utf8_xml_text(const char *s, size_t len, struct buf *out)
{
	struct buf repaired = BUF_INIT;
	size_t i = 0, n;
	uint32_t cp;

	utf8_repair(s, len, &repaired);
	while (i < repaired.len) {
		n = utf8_decode(repaired.ptr + i, repaired.len - i, &cp);
		if (n == 0) /* cannot happen after repair; skip a byte */
			n = 1;
		else if (is_xml_char(cp))
			buf_add(out, repaired.ptr + i, n);
		i += n;
	}
	buf_release(&repaired);
}
