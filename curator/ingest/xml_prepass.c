/*
 * The XML pre-pass: a small state machine between the raw bytes of a feed
 * and libxml2's push parser (see ingest_private.h for what it guarantees).
 *
 * Two stages, both streaming with a few bytes of carry between chunks:
 *
 *  1. decode: the source charset (BOM, then the HTTP charset, then the XML
 *     declaration: RFC 7303 §3) to UTF-8. UTF-8, ISO-8859-1, Windows-1252
 *     and US-ASCII by hand (ISO-8859-1 and US-ASCII read as Windows-1252,
 *     as browsers do); iconv for the rest. An invalid UTF-8 sequence is
 *     read as Windows-1252 (the "declares UTF-8 but is not" feed). Code
 *     points outside XML 1.0's Char production become U+FFFD.
 *
 *  2. lex: markup on the clean UTF-8. The DOCTYPE is removed (its internal
 *     entities remembered), comments and processing instructions are
 *     removed, entity references other than the five XML ones are expanded
 *     by us (declared internal entities within a budget, HTML names from
 *     libxml2's built-in table, external entities never), nesting beyond
 *     FEED_MAX_DEPTH and attribute values beyond FEED_MAX_ATTRIBUTE are
 *     dropped. So libxml2 never sees a DTD: no XXE, no entity expansion.
 *     Text with references or non-ASCII characters goes out as CDATA
 *     (lex_text).
 *
 * Input that is already clean UTF-8 (the usual case) is checked in one
 * pass and lexed where it lies; the lexer writes unchanged input in long
 * runs and copies only around what it changes.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <libxml/HTMLparser.h>

#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

/* The DOCTYPE is kept in memory to read its entity declarations. */
#define DOCTYPE_MAX (1u << 20)
#define ENTITY_MAX_COUNT 10000
#define ENTITY_MAX_DEPTH 16
#define EXPANSION_MAX (1u << 20)
/* Each expanded reference costs this much of the budget besides its
 * bytes, so that entities expanding to nothing are bounded too. */
#define EXPANSION_REF_COST 16
#define ENTITY_NAME_MAX 64
/* The XML declaration must end within this many bytes. */
#define DECL_MAX 1024
/* Raw bytes read before the charset is decided. */
#define HEAD_MIN 1024

enum pp_charset {
	CHARSET_UTF8,
	CHARSET_1252,
	CHARSET_ICONV,
};

enum pp_state {
	ST_TEXT,
	ST_TAG,      /* inside <name ...> or </name ...> */
	ST_ATTR,     /* inside a quoted attribute value */
	ST_COMMENT,  /* dropped */
	ST_PI,       /* dropped */
	ST_DECL,     /* <!SOMETHING ...> outside a DOCTYPE: dropped */
	ST_CDATA,
	ST_DOCTYPE,  /* dropped, entity declarations remembered */
};

enum ref_context {
	REF_TEXT,
	REF_ATTR,
};

struct pp_entity {
	char *name;
	char *value;      /* NULL for an external entity */
	bool is_expanding;
};

struct xml_prepass {
	const struct feed_options *opts;
	struct feed_diag *diag;

	/* decode */
	bool is_decided;
	enum pp_charset charset;
	iconv_t cd;
	struct buf raw;      /* undecoded bytes (head, incomplete sequences) */
	struct buf scratch;  /* iconv output */
	struct buf text;     /* decoded UTF-8 not yet lexed */
	size_t bytes_in;

	/* lex */
	enum pp_state state;
	unsigned long line;
	int depth;
	bool is_at_start;    /* nothing but white space seen yet */
	unsigned long leading_newlines;
	bool is_tag_dropped, is_end_tag, has_slash;
	char quote;
	size_t attr_len;
	int match;           /* terminator characters seen (--> ]]> ?>) */
	bool is_cdata_dropped;
	/* DOCTYPE scanning */
	struct buf doctype;
	char dt_quote;
	int dt_brackets;
	bool dt_in_comment;
	char dt_window[4];

	struct pp_entity *entities;
	size_t nentities, entcap;
	size_t expanded;
};

/* Windows-1252 0x80..0x9F; 0 marks an unassigned byte (-> U+FFFD). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static const char *const names_utf8[] = { "utf-8", "utf8", "unicode-1-1-utf-8" };
static const char *const names_1252[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
	"windows-1252", "cp1252", "x-cp1252", "us-ascii", "ascii",
	"iso-ir-100", "ibm819", "cp819", "ansi_x3.4-1968",
};

static bool
in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return true;
	return false;
}

struct xml_prepass *
xml_prepass_new(const struct feed_options *opts, struct feed_diag *diag)
{
	struct xml_prepass *pp = xcalloc(1, sizeof(*pp));

	pp->opts = opts;
	pp->diag = diag;
	pp->cd = (iconv_t)-1;
	buf_init(&pp->raw, 0);
	buf_init(&pp->scratch, 0);
	buf_init(&pp->text, 0);
	buf_init(&pp->doctype, 0);
	pp->line = 1;
	pp->is_at_start = true;
	return pp;
}

void
xml_prepass_free(struct xml_prepass *pp)
{
	size_t i;

	if (!pp)
		return;
	if (pp->cd != (iconv_t)-1)
		iconv_close(pp->cd);
	buf_release(&pp->raw);
	buf_release(&pp->scratch);
	buf_release(&pp->text);
	buf_release(&pp->doctype);
	for (i = 0; i < pp->nentities; i++) {
		free(pp->entities[i].name);
		free(pp->entities[i].value);
	}
	free(pp->entities);
	free(pp);
}

/* ----------------------------------------------------------------- decode */

static bool
is_xml_char(unsigned long cp)
{
	/* XML 1.0 §2.2 Char */
	if (cp < 0x20)
		return cp == 0x9 || cp == 0xA || cp == 0xD;
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return false;
	return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

static void
add_replacement(struct buf *out)
{
	buf_add(out, "\xEF\xBF\xBD", 3);
}

static void
add_1252(struct buf *out, unsigned char c)
{
	unsigned long cp = c;

	if (c >= 0x80 && c <= 0x9F)
		cp = cp1252_high[c - 0x80];
	if (cp == 0 || !is_xml_char(cp))
		add_replacement(out);
	else
		buf_add_utf8(out, cp);
}

/* Length of a valid UTF-8 sequence at s, 0 if invalid, -1 if s[0..n) is a
 * valid but incomplete prefix. */
static int
utf8_sequence(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	int need, i;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		*cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		*cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		*cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	for (i = 1; i <= need; i++) {
		if ((size_t)i >= n)
			return -1;
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	return need + 1;
}

/* Bytes that the UTF-8 fast path cannot copy as they are. */
static unsigned char ascii_special[256];
/* Bytes that end a run in the lexer's states (inner: text inside the root
 * element, see lex_text). */
static unsigned char text_stop[256], tag_stop[256], cdata_stop[256];
static unsigned char attr_stop_dq[256], attr_stop_sq[256];
static unsigned char inner_stop[256], inner_cdata_stop[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void
init_tables(void)
{
	int c;

	for (c = 0; c < 256; c++)
		ascii_special[c] = c >= 0x80 || (c < 0x20 && c != '\t' &&
						 c != '\n' && c != '\r');
	text_stop['<'] = text_stop['&'] = text_stop['\n'] = 1;
	tag_stop['"'] = tag_stop['\''] = tag_stop['>'] = tag_stop['\n'] = 1;
	tag_stop['/'] = 1;
	cdata_stop[']'] = cdata_stop['>'] = cdata_stop['\n'] = 1;
	attr_stop_dq['"'] = attr_stop_sq['\''] = 1;
	attr_stop_dq['&'] = attr_stop_dq['<'] = attr_stop_dq['\n'] = 1;
	attr_stop_sq['&'] = attr_stop_sq['<'] = attr_stop_sq['\n'] = 1;
	for (c = 0x80; c < 256; c++)
		inner_stop[c] = 1;
	inner_stop['<'] = inner_stop['&'] = inner_stop['\n'] = 1;
	inner_stop['\r'] = inner_stop[']'] = 1;
	inner_cdata_stop['<'] = inner_cdata_stop['&'] = 1;
	inner_cdata_stop['\n'] = inner_cdata_stop['\r'] = 1;
	inner_cdata_stop[']'] = inner_cdata_stop['>'] = 1;
}

/* Index of the first byte at or after i in s[0..n) that stop[] marks: one
 * of '<' '&' ']' LF CR, and '>' (is_cdata) or any non-ASCII byte (not
 * is_cdata). Those are inner_cdata_stop and inner_stop. */
static size_t
scan_inner(const unsigned char *s, size_t i, size_t n, bool is_cdata)
{
	const unsigned char *stop = is_cdata ? inner_cdata_stop : inner_stop;
#if defined(__SSE2__)
	const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
	const __m128i bracket = _mm_set1_epi8(']'), gt = _mm_set1_epi8('>');
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	__m128i v, m;
	int mask;

	while (i + 16 <= n) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		m = _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, bracket));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, lf));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, cr));
		if (is_cdata) {
			m = _mm_or_si128(m, _mm_cmpeq_epi8(v, gt));
			mask = _mm_movemask_epi8(m);
		} else {
			mask = _mm_movemask_epi8(m) | _mm_movemask_epi8(v);
		}
		if (mask)
			return i + (size_t)__builtin_ctz((unsigned)mask);
		i += 16;
	}
#endif
	while (i < n && !stop[s[i]])
		i++;
	return i;
}

#if defined(__SSE2__)
/* Skips the 16-byte blocks made only of plain ASCII (skip_plain) and
 * whole two-byte sequences (U+0080..U+07FF, all XML characters): Latin
 * text. Returns the start of the first other block, which may still be
 * clean (skip_clean reads it). */
static size_t
skip_simple(const unsigned char *s, size_t i, size_t len)
{
	const __m128i space = _mm_set1_epi8(0x20);
	const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');
	/* as signed bytes: 0x80..0xBF below -64, 0xC2..0xDF in -62..-33 */
	const __m128i cont_end = _mm_set1_epi8(-64);
	const __m128i lead_lo = _mm_set1_epi8(-63), lead_hi = _mm_set1_epi8(-32);
	__m128i v, ok;
	unsigned high, lead, cont, low, allowed;

	while (i + 16 <= len) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		high = (unsigned)_mm_movemask_epi8(v);
		low = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, space)) &
		      ~high;
		if (low) {
			ok = _mm_or_si128(_mm_cmpeq_epi8(v, tab),
					  _mm_cmpeq_epi8(v, lf));
			ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, cr));
			allowed = (unsigned)_mm_movemask_epi8(ok);
			if (low & ~allowed)
				return i;
		}
		if (!high) {
			i += 16;
			continue;
		}
		cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, cont_end));
		lead = (unsigned)_mm_movemask_epi8(
			_mm_and_si128(_mm_cmpgt_epi8(v, lead_lo),
				      _mm_cmplt_epi8(v, lead_hi)));
		/* every high byte a lead or its continuation, in pairs; a
		 * lead in the last byte is read again with the next block */
		if ((lead | cont) != high || cont != ((lead << 1) & 0xFFFF))
			return i;
		i += lead & 0x8000 ? 15 : 16;
	}
	return i;
}
#else
/* Without SSE2: skips plain ASCII text (no control character but tab, LF
 * and CR), 8 bytes a step. */
static size_t
skip_simple(const unsigned char *s, size_t i, size_t len)
{
	const uint64_t high = 0x8080808080808080ULL;
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t w;

	while (i + 8 <= len) {
		memcpy(&w, s + i, 8);
		/* any byte >= 0x80, or any byte < 0x20 */
		if ((w & high) || ((w - ones * 0x20) & ~w & high))
			break;
		i += 8;
	}
	while (i < len && !ascii_special[s[i]])
		i++;
	return i;
}
#endif

/* Index of the first byte at or after i that is not part of valid UTF-8
 * made of XML characters (XML 1.0 §2.2): a C0 control but tab, LF and CR,
 * an invalid or incomplete sequence, a surrogate, U+FFFE or U+FFFF. */
static size_t
skip_clean(const unsigned char *s, size_t i, size_t len)
{
	size_t end;
	unsigned char c;

	for (;;) {
		i = skip_simple(s, i, len);
		/* one block the fast path could not take, byte by byte */
		for (end = i + 16; i < end;) {
			if (i >= len)
				return len;
			c = s[i];
			if (c < 0x80) {
				if (ascii_special[c])
					return i;
				i++;
			} else if (c >= 0xC2 && c <= 0xDF) {
				if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
					return i;
				i += 2;
			} else if (c >= 0xE0 && c <= 0xEF) {
				if (i + 2 >= len || (s[i + 1] & 0xC0) != 0x80 ||
				    (s[i + 2] & 0xC0) != 0x80 ||
				    (c == 0xE0 && s[i + 1] < 0xA0) ||
				    (c == 0xED && s[i + 1] > 0x9F) ||
				    (c == 0xEF && s[i + 1] == 0xBF &&
				     s[i + 2] >= 0xBE))
					return i;
				i += 3;
			} else if (c >= 0xF0 && c <= 0xF4) {
				if (i + 3 >= len || (s[i + 1] & 0xC0) != 0x80 ||
				    (s[i + 2] & 0xC0) != 0x80 ||
				    (s[i + 3] & 0xC0) != 0x80 ||
				    (c == 0xF0 && s[i + 1] < 0x90) ||
				    (c == 0xF4 && s[i + 1] > 0x8F))
					return i;
				i += 4;
			} else {
				return i;
			}
		}
	}
}

/* Whether data[0..len) can be lexed as it is: clean (skip_clean) up to,
 * at most, an incomplete sequence at the end that more input may
 * complete. *clean is set to the clean length. */
static bool
is_clean_utf8(const char *data, size_t len, bool is_final, size_t *clean)
{
	const unsigned char *s = (const unsigned char *)data;
	unsigned long cp;

	*clean = skip_clean(s, 0, len);
	return *clean == len ||
	       (!is_final && utf8_sequence(s + *clean, len - *clean, &cp) < 0);
}

/* Validates UTF-8 into out; returns the bytes consumed (an incomplete
 * sequence at the end is left unless is_final). */
static size_t
decode_utf8(struct xml_prepass *pp, const char *data, size_t len,
	    bool is_final, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, start;
	unsigned long cp;
	int n;

	buf_grow(out, len);
	while (i < len) {
		start = i;
		i = skip_clean(s, i, len);
		buf_add(out, s + start, i - start);
		if (i == len)
			break;
		if (s[i] < 0x80) {
			add_replacement(out); /* C0 control, NUL */
			i++;
			continue;
		}
		n = utf8_sequence(s + i, len - i, &cp);
		if (n < 0 && !is_final)
			break;
		if (n > 0) {
			add_replacement(out); /* not an XML Char */
			i += (size_t)n;
			continue;
		}
		if (feed_diag_once(pp->diag, "invalid-utf8"))
			feed_diag_warn(pp->diag, pp->line,
				       "invalid UTF-8 read as Windows-1252");
		add_1252(out, s[i]);
		i++;
	}
	return i;
}

static size_t
decode_1252(const char *data, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, start;

	while (i < len) {
		start = i;
		while (i < len && !ascii_special[s[i]])
			i++;
		buf_add(out, s + start, i - start);
		if (i < len)
			add_1252(out, s[i++]);
	}
	return len;
}

static size_t
decode_iconv(struct xml_prepass *pp, const char *data, size_t len,
	     bool is_final)
{
	char *in = (char *)data, *outp;
	size_t inleft = len, outleft, r;

	buf_clear(&pp->scratch);
	while (inleft > 0) {
		buf_grow(&pp->scratch, inleft * 2 + 16);
		outp = pp->scratch.ptr + pp->scratch.len;
		outleft = pp->scratch.cap - pp->scratch.len - 1;
		r = iconv(pp->cd, &in, &inleft, &outp, &outleft);
		buf_setlen(&pp->scratch, (size_t)(outp - pp->scratch.ptr));
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno == EINVAL && !is_final)
			break;
		/* EILSEQ, or an incomplete sequence at the very end */
		if (feed_diag_once(pp->diag, "invalid-charset"))
			feed_diag_warn(pp->diag, pp->line,
				       "invalid bytes for the charset replaced");
		add_replacement(&pp->scratch);
		in++;
		inleft--;
	}
	/* iconv's output is valid UTF-8; this filters XML-invalid chars. */
	decode_utf8(pp, pp->scratch.ptr, pp->scratch.len, true, &pp->text);
	return len - inleft;
}

static bool
has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* The encoding="..." of an XML declaration at the start of s, copied into
 * name (empty when there is none). */
static void
declared_encoding(const char *s, size_t len, char *name, size_t size)
{
	const char *end, *p, *q;
	size_t n;

	name[0] = '\0';
	if (!has_prefix(s, len, "<?xml"))
		return;
	end = memmem(s, len < DECL_MAX ? len : DECL_MAX, "?>", 2);
	if (!end)
		return;
	p = memmem(s, (size_t)(end - s), "encoding", 8);
	if (!p)
		return;
	p += 8;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= end || *p++ != '=')
		return;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return;
	q = memchr(p + 1, *p, (size_t)(end - p - 1));
	if (!q)
		return;
	n = (size_t)(q - p - 1);
	if (n >= size)
		return;
	memcpy(name, p + 1, n);
	name[n] = '\0';
}

static void
use_charset(struct xml_prepass *pp, const char *name, const char *why)
{
	if (in_list(name, names_utf8, sizeof(names_utf8) / sizeof(*names_utf8)))
		return;
	if (in_list(name, names_1252,
		    sizeof(names_1252) / sizeof(*names_1252))) {
		pp->charset = CHARSET_1252;
		return;
	}
	pp->cd = iconv_open("UTF-8", name);
	if (pp->cd != (iconv_t)-1) {
		pp->charset = CHARSET_ICONV;
		return;
	}
	feed_diag_warn(pp->diag, 1, "unknown charset '%s' (%s) read as UTF-8",
		       name, why);
}

/* Decides the source charset from the first bytes in pp->raw and strips a
 * byte order mark. */
static void
decide_charset(struct xml_prepass *pp)
{
	const unsigned char *s = (const unsigned char *)pp->raw.ptr;
	size_t n = pp->raw.len, bom = 0;
	const char *bom_charset = NULL;
	char declared[64];

	pp->is_decided = true;
	pp->charset = CHARSET_UTF8;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		bom = 3;
		bom_charset = "UTF-8";
	} else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		bom = 2;
		bom_charset = "UTF-16LE";
	} else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		bom = 2;
		bom_charset = "UTF-16BE";
	} else if (n >= 4 && s[0] == '<' && s[1] == 0 && s[2] == '?' &&
		   s[3] == 0) {
		bom_charset = "UTF-16LE";
	} else if (n >= 4 && s[0] == 0 && s[1] == '<' && s[2] == 0 &&
		   s[3] == '?') {
		bom_charset = "UTF-16BE";
	}
	if (bom) {
		memmove(pp->raw.ptr, pp->raw.ptr + bom, n - bom);
		buf_setlen(&pp->raw, n - bom);
	}
	if (bom_charset) {
		use_charset(pp, bom_charset, "byte order mark");
		return;
	}
	if (pp->opts->http_charset && *pp->opts->http_charset) {
		use_charset(pp, pp->opts->http_charset, "HTTP charset");
		return;
	}
	declared_encoding(pp->raw.ptr, pp->raw.len, declared, sizeof(declared));
	/* A declaration read in ASCII cannot be right about a 16- or 32-bit
	 * charset (XML 1.0 §4.3.3): the bytes say otherwise. */
	if (strncasecmp(declared, "utf-16", 6) == 0 ||
	    strncasecmp(declared, "utf-32", 6) == 0 ||
	    strncasecmp(declared, "ucs-", 4) == 0 ||
	    strncasecmp(declared, "utf16", 5) == 0) {
		feed_diag_warn(pp->diag, 1, "declared charset '%s' does not "
			       "match the bytes; read as UTF-8", declared);
		return;
	}
	if (declared[0])
		use_charset(pp, declared, "XML declaration");
}

/* Decodes data into pp->text; returns the bytes used (an incomplete
 * sequence at the end is left). */
static size_t
decode(struct xml_prepass *pp, const char *data, size_t len, bool is_final)
{
	switch (pp->charset) {
	case CHARSET_1252:
		return decode_1252(data, len, &pp->text);
	case CHARSET_ICONV:
		return decode_iconv(pp, data, len, is_final);
	default:
		return decode_utf8(pp, data, len, is_final, &pp->text);
	}
}

/* ---------------------------------------------------------------- entities */

static bool
is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == ':';
}

static bool
is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.';
}

static struct pp_entity *
find_entity(struct xml_prepass *pp, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < pp->nentities; i++)
		if (strlen(pp->entities[i].name) == len &&
		    memcmp(pp->entities[i].name, name, len) == 0)
			return &pp->entities[i];
	return NULL;
}

/* The character one of the five XML entities stands for (XML 1.0 §4.6),
 * 0 for any other name. */
static char
predefined_char(const char *name, size_t len)
{
	switch (len) {
	case 2:
		if (name[1] != 't')
			return 0;
		return name[0] == 'l' ? '<' : name[0] == 'g' ? '>' : 0;
	case 3:
		return memcmp(name, "amp", 3) == 0 ? '&' : 0;
	case 4:
		if (memcmp(name, "quot", 4) == 0)
			return '"';
		return memcmp(name, "apos", 4) == 0 ? '\'' : 0;
	default:
		return 0;
	}
}

static bool
is_predefined(const char *name, size_t len)
{
	return predefined_char(name, len) != 0;
}

static void
add_escaped_char(struct buf *out, unsigned long cp)
{
	switch (cp) {
	case '&':
		buf_adds(out, "&amp;");
		break;
	case '<':
		buf_adds(out, "&lt;");
		break;
	case '>':
		buf_adds(out, "&gt;");
		break;
	case '"':
		buf_adds(out, "&quot;");
		break;
	case '\'':
		buf_adds(out, "&apos;");
		break;
	default:
		if (is_xml_char(cp))
			buf_add_utf8(out, cp);
		else
			add_replacement(out);
	}
}

/* A parsed reference "&...;" at s. */
struct ref {
	size_t len;        /* bytes including & and ; (0: not a reference) */
	bool is_numeric;
	unsigned long cp;  /* numeric: the code point (0x110000 if too big) */
	const char *name;  /* named: the name and its length */
	size_t namelen;
};

/* Parses a reference at s[0] == '&'. Returns 1 when parsed (r->len 0 for a
 * bare '&'), 0 when more bytes are needed to decide. */
static int
parse_ref(const char *s, size_t n, bool is_final, struct ref *r)
{
	size_t i = 1, digits = 0;
	bool hex = false;
	unsigned long cp = 0;

	memset(r, 0, sizeof(*r));
	if (i < n && s[i] == '#') {
		r->is_numeric = true;
		i++;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			hex = true;
			i++;
		}
		for (; i < n && digits < 12; i++, digits++) {
			unsigned char c = (unsigned char)s[i];
			int v;

			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			if (cp > 0x10FFFF)
				cp = 0x110000;
		}
		if (i >= n && !is_final && digits < 12)
			return 0;
		if (digits == 0 || i >= n || s[i] != ';')
			return 1;
		r->cp = cp;
		r->len = i + 1;
		return 1;
	}
	if (i >= n)
		return is_final ? 1 : 0;
	if (!is_name_start((unsigned char)s[i]))
		return 1;
	while (i < n && i <= ENTITY_NAME_MAX && is_name_char((unsigned char)s[i]))
		i++;
	if (i >= n && !is_final)
		return 0;
	if (i >= n || s[i] != ';')
		return 1;
	r->name = s + 1;
	r->namelen = i - 1;
	r->len = i + 1;
	return 1;
}

static int expand_entity(struct xml_prepass *pp, struct pp_entity *ent,
			 int depth, struct buf *out);

static int
charge(struct xml_prepass *pp, size_t cost)
{
	size_t limit = pp->bytes_in * 10;

	if (limit > EXPANSION_MAX)
		limit = EXPANSION_MAX;
	pp->expanded += cost;
	if (pp->expanded <= limit)
		return 0;
	feed_diag_fail(pp->diag, "entity expansion limit exceeded "
				 "(billion laughs?)");
	return -1;
}

/* Writes what a parsed named or numeric reference stands for. depth > 0
 * inside an entity's value (where everything is written escaped). */
static int
emit_ref(struct xml_prepass *pp, const char *refstart, const struct ref *r,
	 int depth, struct buf *out)
{
	char name[ENTITY_NAME_MAX + 2];
	const htmlEntityDesc *html;
	struct pp_entity *ent;
	char key[ENTITY_NAME_MAX + 16];

	if (r->is_numeric) {
		if (!is_xml_char(r->cp))
			add_replacement(out);
		else if (depth > 0)
			add_escaped_char(out, r->cp);
		else
			buf_add(out, refstart, r->len);
		return 0;
	}
	if (is_predefined(r->name, r->namelen)) {
		buf_add(out, refstart, r->len);
		return 0;
	}
	memcpy(name, r->name, r->namelen);
	name[r->namelen] = '\0';
	ent = find_entity(pp, r->name, r->namelen);
	if (ent)
		return expand_entity(pp, ent, depth + 1, out);
	html = htmlEntityLookup((const xmlChar *)name);
	if (html) {
		add_escaped_char(out, html->value);
		snprintf(key, sizeof(key), "html:%s", name);
		if (feed_diag_once(pp->diag, key))
			feed_diag_warn(pp->diag, pp->line,
				       "undefined entity &%s; replaced", name);
		return 0;
	}
	buf_adds(out, "&amp;");
	buf_add(out, r->name, r->namelen + 1);
	snprintf(key, sizeof(key), "unknown:%s", name);
	if (feed_diag_once(pp->diag, key))
		feed_diag_warn(pp->diag, pp->line,
			       "unknown entity &%s; kept as text", name);
	return 0;
}

static int
expand_entity(struct xml_prepass *pp, struct pp_entity *ent, int depth,
	      struct buf *out)
{
	const char *v;
	size_t n, i, start;
	struct ref r;
	char key[ENTITY_NAME_MAX + 16];
	int rc = 0;

	if (!ent->value) {
		snprintf(key, sizeof(key), "external:%s", ent->name);
		if (feed_diag_once(pp->diag, key))
			feed_diag_warn(pp->diag, pp->line,
				       "external entity &%s; not loaded",
				       ent->name);
		return 0;
	}
	if (ent->is_expanding || depth > ENTITY_MAX_DEPTH) {
		feed_diag_fail(pp->diag, "entity '%s' refers to itself or "
					 "nests too deep", ent->name);
		return -1;
	}
	if (charge(pp, EXPANSION_REF_COST) != 0)
		return -1;
	ent->is_expanding = true;
	v = ent->value;
	n = strlen(v);
	for (i = 0; i < n && rc == 0;) {
		start = i;
		while (i < n && v[i] != '&' && v[i] != '<' && v[i] != '>' &&
		       v[i] != '"' && v[i] != '\'')
			i++;
		buf_add(out, v + start, i - start);
		if (charge(pp, i - start) != 0) {
			rc = -1;
			break;
		}
		if (i >= n)
			break;
		if (v[i] != '&') {
			add_escaped_char(out, (unsigned char)v[i]);
			i++;
			continue;
		}
		parse_ref(v + i, n - i, true, &r);
		if (r.len == 0) {
			buf_adds(out, "&amp;");
			i++;
			continue;
		}
		rc = emit_ref(pp, v + i, &r, depth, out);
		i += r.len;
	}
	ent->is_expanding = false;
	return rc;
}

/* ----------------------------------------------------------------- DOCTYPE */

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static const char *
skip_literal(const char *p, const char *end)
{
	const char *q;

	if (p >= end || (*p != '"' && *p != '\''))
		return p;
	q = memchr(p + 1, *p, (size_t)(end - p - 1));
	return q ? q + 1 : end;
}

static void
add_entity(struct xml_prepass *pp, const char *name, size_t namelen,
	   const char *value, size_t valuelen, bool is_external)
{
	struct pp_entity *e;

	if (find_entity(pp, name, namelen) || is_predefined(name, namelen))
		return; /* XML 1.0 §4.2: the first declaration binds */
	if (pp->nentities >= ENTITY_MAX_COUNT)
		return;
	pp->entities = xgrow(pp->entities, pp->nentities + 1, &pp->entcap,
			     sizeof(*pp->entities));
	e = &pp->entities[pp->nentities++];
	e->name = xmemdupz(name, namelen);
	e->value = is_external ? NULL : xmemdupz(value, valuelen);
	e->is_expanding = false;
}

/* Reads <!ENTITY name "value"> and <!ENTITY name SYSTEM|PUBLIC ...> from
 * the internal subset; everything else is skipped. */
static void
read_doctype(struct xml_prepass *pp)
{
	const char *p = pp->doctype.ptr, *end = p + pp->doctype.len;
	const char *name, *value, *q;
	size_t namelen;

	p = memchr(p, '[', (size_t)(end - p));
	if (!p)
		return;
	while (p < end) {
		if (has_prefix(p, (size_t)(end - p), "<!--")) {
			q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
			p = q ? q + 3 : end;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			p = skip_literal(p, end);
			continue;
		}
		if (!has_prefix(p, (size_t)(end - p), "<!ENTITY")) {
			p++;
			continue;
		}
		p = skip_space(p + 8, end);
		if (p < end && *p == '%')
			continue; /* a parameter entity: never used */
		name = p;
		while (p < end && is_name_char((unsigned char)*p))
			p++;
		namelen = (size_t)(p - name);
		p = skip_space(p, end);
		if (namelen == 0 || namelen > ENTITY_NAME_MAX || p >= end)
			continue;
		if (*p == '"' || *p == '\'') {
			value = p + 1;
			p = skip_literal(p, end);
			if (p > value && p <= end && p[-1] == value[-1])
				add_entity(pp, name, namelen, value,
					   (size_t)(p - 1 - value), false);
		} else if (has_prefix(p, (size_t)(end - p), "SYSTEM") ||
			   has_prefix(p, (size_t)(end - p), "PUBLIC")) {
			add_entity(pp, name, namelen, NULL, 0, true);
		}
	}
}

static bool
doctype_is_html(const struct buf *doctype)
{
	const char *p = doctype->ptr, *end = p + doctype->len;

	p = skip_space(p, end);
	return end - p >= 4 && strncasecmp(p, "html", 4) == 0 &&
	       (end - p == 4 || !is_name_char((unsigned char)p[4]));
}

/* ------------------------------------------------------------------- lex */

static void
add_newlines(struct buf *out, unsigned long n)
{
	while (n--)
		buf_addc(out, '\n');
}

/* Where lex() stands in its input: the bytes from 'from' on go out
 * unchanged unless something else is written first (pass_to), so that
 * clean input is copied in long runs. */
struct lexer {
	const char *s;
	size_t from;
	struct buf *out;
};

/* Writes the pending input up to i. */
static inline void
pass_to(struct lexer *lx, size_t i)
{
	if (i > lx->from)
		buf_add(lx->out, lx->s + lx->from, i - lx->from);
	lx->from = i;
}

/* Leaves out the input bytes [i, j). */
static inline void
skip_to(struct lexer *lx, size_t i, size_t j)
{
	pass_to(lx, i);
	lx->from = j;
}

/* At '<': decides what markup starts and consumes its opening. Returns the
 * bytes consumed, 0 when more bytes are needed. */
static size_t
open_markup(struct xml_prepass *pp, const char *s, size_t n, bool is_final,
	    struct buf *out)
{
	const char *end;
	unsigned long nl;
	size_t i;
	unsigned char c;

	if (n < 2)
		goto need_or_text;
	c = (unsigned char)s[1];
	if (c == '!') {
		if (has_prefix(s, n, "<!--")) {
			pp->state = ST_COMMENT;
			pp->match = 0;
			return 4;
		}
		if (has_prefix(s, n, "<![CDATA[")) {
			pp->state = ST_CDATA;
			pp->match = 0;
			pp->is_cdata_dropped = pp->depth > FEED_MAX_DEPTH;
			if (!pp->is_cdata_dropped)
				buf_add(out, s, 9);
			return 9;
		}
		if (n >= 9 && strncasecmp(s, "<!DOCTYPE", 9) == 0) {
			pp->state = ST_DOCTYPE;
			buf_clear(&pp->doctype);
			pp->dt_quote = 0;
			pp->dt_brackets = 0;
			pp->dt_in_comment = false;
			memset(pp->dt_window, 0, sizeof(pp->dt_window));
			return 9;
		}
		if (n < 9 && !is_final)
			return 0;
		pp->state = ST_DECL;
		return 2;
	}
	if (c == '?') {
		if (pp->is_at_start && has_prefix(s, n, "<?xml") &&
		    (n < 6 || s[5] == ' ' || s[5] == '\t' || s[5] == '\r' ||
		     s[5] == '\n' || s[5] == '?')) {
			end = memmem(s, n < DECL_MAX ? n : DECL_MAX, "?>", 2);
			if (!end && n < DECL_MAX && !is_final)
				return 0;
			if (end) {
				/* NOTE: the bytes are UTF-8 now, whatever the
				 * declaration said: say so, keep the lines. */
				buf_adds(out, "<?xml version=\"1.0\" "
					      "encoding=\"UTF-8\"?>");
				nl = 0;
				for (i = 0; s + i < end; i++)
					nl += s[i] == '\n';
				add_newlines(out, nl + pp->leading_newlines);
				pp->line += nl;
				pp->leading_newlines = 0;
				pp->is_at_start = false;
				return (size_t)(end - s) + 2;
			}
		}
		pp->state = ST_PI;
		pp->match = 0;
		return 2;
	}
	if (c == '/') {
		pp->is_tag_dropped = pp->depth > FEED_MAX_DEPTH;
		if (pp->depth > 0)
			pp->depth--;
		pp->is_end_tag = true;
		pp->has_slash = false;
		pp->state = ST_TAG;
		if (!pp->is_tag_dropped)
			buf_add(out, "</", 2);
		return 2;
	}
	if (is_name_start(c) || c >= 0x80) {
		pp->depth++;
		pp->is_tag_dropped = pp->depth > FEED_MAX_DEPTH;
		if (pp->is_tag_dropped && feed_diag_once(pp->diag, "depth"))
			feed_diag_warn(pp->diag, pp->line,
				       "elements nested deeper than %d levels "
				       "ignored",
				       FEED_MAX_DEPTH);
		pp->is_end_tag = false;
		pp->has_slash = false;
		pp->state = ST_TAG;
		if (!pp->is_tag_dropped)
			buf_addc(out, '<');
		return 1;
	}
need_or_text:
	if (n < 2 && !is_final)
		return 0;
	/* A '<' that starts no markup: text, as an HTML reader would see. */
	buf_adds(out, "&lt;");
	return 1;
}

/* At '&' (lx->s[i]) in text or an attribute value; *produced is set to
 * the bytes it stands for in the output. Returns bytes consumed, 0 when
 * more are needed, -1 on a fatal error. */
static long
handle_ref(struct xml_prepass *pp, struct lexer *lx, size_t i, size_t n,
	   bool is_final, size_t *produced)
{
	const char *s = lx->s + i;
	size_t before;
	struct ref r;

	*produced = 0;
	if (!parse_ref(s, n - i, is_final, &r))
		return 0;
	if (r.len == 0) {
		if (feed_diag_once(pp->diag, "bare-amp"))
			feed_diag_warn(pp->diag, pp->line,
				       "bare '&' read as text");
		skip_to(lx, i, i + 1);
		buf_add(lx->out, "&amp;", 5);
		*produced = 5;
		return 1;
	}
	if ((r.is_numeric && is_xml_char(r.cp)) ||
	    (!r.is_numeric && is_predefined(r.name, r.namelen))) {
		*produced = r.len; /* goes out as it is */
		return (long)r.len;
	}
	skip_to(lx, i, i + r.len);
	before = lx->out->len;
	if (emit_ref(pp, s, &r, 0, lx->out) != 0)
		return -1;
	*produced = lx->out->len - before;
	return (long)r.len;
}

/* Scans the DOCTYPE one byte at a time until its closing '>'. */
static size_t
scan_doctype(struct xml_prepass *pp, const char *s, size_t n, bool *done)
{
	size_t i;
	char c;

	*done = false;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '\n') {
			pp->line++;
			/* the newline itself is written by the caller */
		}
		if (pp->doctype.len < DOCTYPE_MAX)
			buf_addc(&pp->doctype, c);
		else if (feed_diag_once(pp->diag, "doctype-size"))
			feed_diag_warn(pp->diag, pp->line,
				       "DOCTYPE longer than %u bytes: the rest "
				       "of its declarations ignored",
				       DOCTYPE_MAX);
		memmove(pp->dt_window, pp->dt_window + 1, 3);
		pp->dt_window[3] = c;
		if (pp->dt_in_comment) {
			if (memcmp(pp->dt_window + 1, "-->", 3) == 0)
				pp->dt_in_comment = false;
		} else if (pp->dt_quote) {
			if (c == pp->dt_quote)
				pp->dt_quote = 0;
		} else if (memcmp(pp->dt_window, "<!--", 4) == 0) {
			pp->dt_in_comment = true;
		} else if (c == '"' || c == '\'') {
			pp->dt_quote = c;
		} else if (c == '[') {
			pp->dt_brackets++;
		} else if (c == ']') {
			if (pp->dt_brackets > 0)
				pp->dt_brackets--;
		} else if (c == '>' && pp->dt_brackets == 0) {
			*done = true;
			return i + 1;
		}
	}
	return n;
}

static size_t
count_newlines(const char *s, size_t n)
{
	size_t c = 0;
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/* Whether the reference at hand can go into a CDATA section as the
 * character(s) it stands for: not a DOCTYPE entity (expanded as markup),
 * not a character reference to CR or LF (libxml2 counts a literal LF as a
 * line, and ends lines in text but not in CDATA). */
static bool
is_cdata_ref(struct xml_prepass *pp, const struct ref *r)
{
	if (r->len == 0)
		return true;
	if (r->is_numeric)
		return r->cp != '\n' && r->cp != '\r';
	return is_predefined(r->name, r->namelen) ||
	       !find_entity(pp, r->name, r->namelen);
}

/* A CDATA section being written by lex_text. */
struct cdata {
	bool is_open;
	int brackets;        /* ']' just written into it (0..2) */
};

static void
cdata_open(struct lexer *lx, struct cdata *cd, size_t i)
{
	pass_to(lx, i);
	buf_add(lx->out, "<![CDATA[", 9);
	cd->is_open = true;
	cd->brackets = 0;
}

static void
cdata_close(struct lexer *lx, struct cdata *cd, size_t i)
{
	if (!cd->is_open)
		return;
	pass_to(lx, i);
	buf_add(lx->out, "]]>", 3);
	cd->is_open = false;
}

/* Writes cp into the open section; "]]>" would end it, so a '>' after
 * "]]" starts a new section. */
static void
cdata_add_char(struct lexer *lx, struct cdata *cd, unsigned long cp)
{
	if (cp == '>' && cd->brackets >= 2)
		buf_add(lx->out, "]]><![CDATA[", 12);
	if (cp < 0x80 && is_xml_char(cp))
		buf_addc(lx->out, (char)cp);
	else if (is_xml_char(cp))
		buf_add_utf8(lx->out, cp);
	else
		add_replacement(lx->out);
	cd->brackets = cp != ']' ? 0 : cd->brackets < 2 ? cd->brackets + 1 : 2;
}

/* The reference r at s[i] (is_cdata_ref) decoded into the open section,
 * with the warnings emit_ref would give. */
static void
cdata_add_ref(struct xml_prepass *pp, struct lexer *lx, struct cdata *cd,
	      const struct ref *r)
{
	char name[ENTITY_NAME_MAX + 2], key[ENTITY_NAME_MAX + 16];
	const htmlEntityDesc *html;
	char c;

	if (r->len == 0) {
		if (feed_diag_once(pp->diag, "bare-amp"))
			feed_diag_warn(pp->diag, pp->line,
				       "bare '&' read as text");
		cdata_add_char(lx, cd, '&');
		return;
	}
	if (r->is_numeric) {
		cdata_add_char(lx, cd, r->cp);
		return;
	}
	c = predefined_char(r->name, r->namelen);
	if (c) {
		cdata_add_char(lx, cd, (unsigned char)c);
		return;
	}
	memcpy(name, r->name, r->namelen);
	name[r->namelen] = '\0';
	html = htmlEntityLookup((const xmlChar *)name);
	if (html) {
		cdata_add_char(lx, cd, html->value);
		snprintf(key, sizeof(key), "html:%s", name);
		if (feed_diag_once(pp->diag, key))
			feed_diag_warn(pp->diag, pp->line,
				       "undefined entity &%s; replaced", name);
		return;
	}
	cdata_add_char(lx, cd, '&');
	buf_add(lx->out, r->name, r->namelen + 1);
	cd->brackets = 0;
	snprintf(key, sizeof(key), "unknown:%s", name);
	if (feed_diag_once(pp->diag, key))
		feed_diag_warn(pp->diag, pp->line,
			       "unknown entity &%s; kept as text", name);
}

/*
 * Text inside the root element, from *pos up to the next '<' (left at
 * *pos). Returns 0, 1 when the bytes from *pos must wait for more input,
 * -1 on a fatal error.
 *
 * NOTE: a run of text holding a reference or a non-ASCII character goes
 * to libxml2 as a CDATA section, its references decoded: libxml2 reads
 * such text one character at a time and CDATA in one go, twice as fast on
 * a typical feed. feed_xml.c handles characters and CDATA alike, so what
 * it gets is the same. Kept as plain text is what CDATA would change: a
 * raw "]]>" (an error libxml2 must still report), a lone CR and character
 * references to CR or LF (text and CDATA end lines differently, and
 * libxml2's line numbers must stay those of the input), and references to
 * DOCTYPE entities (expanded as markup).
 */
static int
lex_text(struct xml_prepass *pp, struct lexer *lx, size_t *pos, size_t n,
	 bool is_final)
{
	const unsigned char *s = (const unsigned char *)lx->s;
	struct cdata cd = { false, 0 };
	size_t i = *pos, start, produced;
	struct ref r;
	unsigned char c;
	long used;
	int rc = 0;

	while (i < n) {
		start = i;
		i = scan_inner(s, i, n, cd.is_open);
		if (cd.is_open && i > start)
			cd.brackets = 0;
		if (i >= n)
			break;
		c = s[i];
		if (c == '<') {
			break;
		} else if (c >= 0x80) {
			cdata_open(lx, &cd, i);
			i++;
		} else if (c == '\n') {
			pp->line++;
			cd.brackets = 0;
			i++;
		} else if (c == '\r') {
			if (!cd.is_open) {
				i++;
			} else if (i + 1 < n && s[i + 1] == '\n') {
				skip_to(lx, i, i + 1); /* as libxml2 would */
				i++;
			} else if (i + 1 >= n && !is_final) {
				rc = 1;
				break;
			} else {
				cdata_close(lx, &cd, i);
				i++;
			}
		} else if (c == ']') {
			if (!cd.is_open) {
				i++;
			} else if (n - i < 3 && !is_final) {
				rc = 1;
				break;
			} else if (n - i >= 3 && s[i + 1] == ']' &&
				   s[i + 2] == '>') {
				cdata_close(lx, &cd, i);
				i += 3;
			} else {
				cd.brackets += cd.brackets < 2;
				i++;
			}
		} else if (c == '>') {
			/* only stops when a section is open */
			if (cd.brackets >= 2) {
				pass_to(lx, i);
				buf_add(lx->out, "]]><![CDATA[", 12);
			}
			cd.brackets = 0;
			i++;
		} else if (!parse_ref(lx->s + i, n - i, is_final, &r)) {
			rc = 1;
			break;
		} else if (is_cdata_ref(pp, &r)) {
			if (!cd.is_open)
				cdata_open(lx, &cd, i);
			used = r.len ? (long)r.len : 1;
			skip_to(lx, i, i + (size_t)used);
			cdata_add_ref(pp, lx, &cd, &r);
			i += (size_t)used;
		} else {
			cdata_close(lx, &cd, i);
			used = handle_ref(pp, lx, i, n, is_final, &produced);
			if (used < 0) {
				rc = -1;
				break;
			}
			i += (size_t)used;
		}
	}
	cdata_close(lx, &cd, i);
	*pos = i;
	return rc;
}

/* Lexes s[0..n) into out. Returns the bytes used (the rest cannot be
 * decided yet: the caller keeps it for the next call), or -1 on a fatal
 * error. */
static long
lex(struct xml_prepass *pp, const char *s, size_t n, bool is_final,
    struct buf *out)
{
	struct lexer lx = { s, 0, out };
	const unsigned char *stop;
	size_t i = 0, start, used, lines, produced, take;
	long r;
	bool done;
	int rc;
	char c;

	while (i < n) {
		switch (pp->state) {
		case ST_TEXT:
			if (pp->is_at_start) {
				c = s[i];
				if (c == ' ' || c == '\t' || c == '\r' ||
				    c == '\n') {
					if (c == '\n') {
						pp->leading_newlines++;
						pp->line++;
					}
					skip_to(&lx, i, i + 1);
					i++;
					continue;
				}
				if (c != '<' || (n - i >= 2 && s[i + 1] != '?') ||
				    (n - i >= 5 && !has_prefix(s + i, n - i,
								"<?xml"))) {
					pp->is_at_start = false;
					pass_to(&lx, i);
					add_newlines(out, pp->leading_newlines);
					pp->leading_newlines = 0;
				}
			}
			start = i;
			if (pp->depth > FEED_MAX_DEPTH) {
				while (i < n && s[i] != '<')
					i++;
				skip_to(&lx, start, i);
				lines = count_newlines(s + start, i - start);
				add_newlines(out, lines);
				pp->line += lines;
			} else if (pp->depth > 0) {
				rc = lex_text(pp, &lx, &i, n, is_final);
				if (rc < 0)
					return -1;
				if (rc > 0)
					goto keep;
			} else {
				while (i < n && !text_stop[(unsigned char)s[i]])
					i++;
			}
			if (i >= n)
				break;
			if (s[i] == '\n') {
				pp->line++;
				i++;
			} else if (s[i] == '&') {
				r = handle_ref(pp, &lx, i, n, is_final,
					       &produced);
				if (r < 0)
					return -1;
				if (r == 0)
					goto keep;
				i += (size_t)r;
			} else {
				pass_to(&lx, i);
				used = open_markup(pp, s + i, n - i, is_final,
						   out);
				if (used == 0)
					goto keep;
				if (pp->is_at_start) {
					pp->is_at_start = false;
					add_newlines(out, pp->leading_newlines);
					pp->leading_newlines = 0;
				}
				i += used;
				lx.from = i;
			}
			break;
		case ST_TAG:
			start = i;
			while (i < n && !tag_stop[(unsigned char)s[i]])
				i++;
			if (i > start) {
				/* only white space keeps a '/' before '>' */
				for (used = i; used > start; used--) {
					c = s[used - 1];
					if (c != ' ' && c != '\t' && c != '\r') {
						pp->has_slash = false;
						break;
					}
				}
				if (pp->is_tag_dropped)
					skip_to(&lx, start, i);
				continue;
			}
			c = s[i++];
			if (c == '\n') {
				pp->line++;
				continue;
			}
			if (pp->is_tag_dropped)
				skip_to(&lx, i - 1, i);
			if (c == '"' || c == '\'') {
				pp->quote = c;
				pp->attr_len = 0;
				pp->state = ST_ATTR;
			} else if (c == '>') {
				if (pp->has_slash && !pp->is_end_tag &&
				    pp->depth > 0)
					pp->depth--;
				pp->state = ST_TEXT;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				pp->has_slash = c == '/';
			}
			break;
		case ST_ATTR:
			start = i;
			stop = pp->quote == '"' ? attr_stop_dq : attr_stop_sq;
			while (i < n && !stop[(unsigned char)s[i]])
				i++;
			if (pp->is_tag_dropped) {
				skip_to(&lx, start, i);
			} else if (pp->attr_len + (i - start) >
				   FEED_MAX_ATTRIBUTE) {
				take = pp->attr_len < FEED_MAX_ATTRIBUTE
					       ? FEED_MAX_ATTRIBUTE -
							 pp->attr_len
					       : 0;
				while (take > 0 &&
				       ((unsigned char)s[start + take] & 0xC0) ==
					       0x80)
					take--;
				if (feed_diag_once(pp->diag, "attr"))
					feed_diag_warn(pp->diag, pp->line,
						       "attribute value longer "
						       "than %u bytes cut",
						       FEED_MAX_ATTRIBUTE);
				pp->attr_len = FEED_MAX_ATTRIBUTE + 1;
				skip_to(&lx, start + take, i);
			} else {
				pp->attr_len += i - start;
			}
			if (i >= n)
				break;
			c = s[i];
			if (c == pp->quote) {
				pp->state = ST_TAG;
				if (pp->is_tag_dropped)
					skip_to(&lx, i, i + 1);
				i++;
			} else if (c == '\n') {
				pp->line++;
				i++;
			} else if (c == '<') {
				skip_to(&lx, i, i + 1);
				if (!pp->is_tag_dropped &&
				    pp->attr_len <= FEED_MAX_ATTRIBUTE)
					buf_add(out, "&lt;", 4);
				i++;
			} else if (pp->is_tag_dropped ||
				   pp->attr_len > FEED_MAX_ATTRIBUTE) {
				skip_to(&lx, i, i + 1); /* a dropped '&' */
				i++;
			} else {
				r = handle_ref(pp, &lx, i, n, is_final,
					       &produced);
				if (r < 0)
					return -1;
				if (r == 0)
					goto keep;
				pp->attr_len += produced;
				i += (size_t)r;
			}
			break;
		case ST_COMMENT:
		case ST_PI:
		case ST_DECL:
			c = s[i++];
			if (c == '\n')
				pp->line++;
			else
				skip_to(&lx, i - 1, i);
			if (pp->state == ST_COMMENT) {
				if (c == '>' && pp->match >= 2)
					pp->state = ST_TEXT;
				pp->match = c == '-' ? pp->match + 1 : 0;
			} else if (pp->state == ST_PI) {
				if (c == '>' && pp->match)
					pp->state = ST_TEXT;
				pp->match = c == '?';
			} else if (c == '>') {
				pp->state = ST_TEXT;
			}
			break;
		case ST_CDATA:
			start = i;
			while (i < n && !cdata_stop[(unsigned char)s[i]])
				i++;
			if (i > start)
				pp->match = 0;
			if (i < n) {
				c = s[i++];
				if (c == '\n')
					pp->line++;
				if (c == '>' && pp->match >= 2)
					pp->state = ST_TEXT;
				pp->match = c == ']' ? pp->match + 1 : 0;
			}
			if (pp->is_cdata_dropped) {
				skip_to(&lx, start, i);
				lines = count_newlines(s + start, i - start);
				add_newlines(out, lines);
			}
			break;
		case ST_DOCTYPE:
			used = scan_doctype(pp, s + i, n - i, &done);
			skip_to(&lx, i, i + used);
			add_newlines(out, count_newlines(s + i, used));
			i += used;
			if (!done)
				break;
			pp->state = ST_TEXT;
			if (doctype_is_html(&pp->doctype)) {
				feed_diag_fail(pp->diag,
					       "not a feed (looks like HTML)");
				return -1;
			}
			read_doctype(pp);
			buf_clear(&pp->doctype);
			break;
		}
	}
keep:
	pass_to(&lx, i);
	if (is_final && i < n) {
		/* Undecidable bytes at the very end: text. */
		feed_escape_html(s + i, n - i, out);
		i = n;
	}
	return (long)i;
}

int
xml_prepass_feed(struct xml_prepass *pp, const char *data, size_t len,
		 bool is_final, struct buf *out)
{
	size_t used, clean;
	long lexed;

	/* NOTE: parses may run in several threads */
	pthread_once(&tables_once, init_tables);
	pp->bytes_in += len;
	if (!pp->is_decided || pp->raw.len) {
		/* NOTE: the carry is a few bytes, except before the charset
		 * is decided (HEAD_MIN). */
		buf_add(&pp->raw, data, len);
		if (!pp->is_decided) {
			if (pp->raw.len < HEAD_MIN && !is_final)
				return 0;
			decide_charset(pp);
		}
		data = pp->raw.ptr;
		len = pp->raw.len;
	}
	if (pp->charset == CHARSET_UTF8 && pp->text.len == 0 &&
	    is_clean_utf8(data, len, is_final, &clean)) {
		/* The usual case: lexed where it lies, no copy. */
		lexed = lex(pp, data, clean, is_final, out);
		if (lexed < 0)
			return -1;
		buf_add(&pp->text, data + lexed, clean - (size_t)lexed);
		used = clean;
	} else {
		used = decode(pp, data, len, is_final);
		lexed = lex(pp, pp->text.ptr, pp->text.len, is_final, out);
		if (lexed < 0)
			return -1;
		memmove(pp->text.ptr, pp->text.ptr + lexed,
			pp->text.len - (size_t)lexed);
		buf_setlen(&pp->text, pp->text.len - (size_t)lexed);
	}
	if (data == pp->raw.ptr) {
		memmove(pp->raw.ptr, pp->raw.ptr + used, len - used);
		buf_setlen(&pp->raw, len - used);
	} else {
		buf_add(&pp->raw, data + used, len - used);
	}
	return 0;
}
