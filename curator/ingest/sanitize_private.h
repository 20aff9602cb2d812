/*
 * sanitize_private: the sanitizer's pieces shared by its two readers,
 * libxml2's HTML parser (sanitize.c, the reference) and the fast
 * tokenizer in front of it (sanitize_fast.c), and exposed to the tests
 * and fuzz targets that check one against the other. Private to ingest/
 * and its tests.
 *
 * Both readers report the same events to the same writers: an element
 * starts (sanitize_writer_step, then _begin, _attr for each attribute,
 * _open), text arrives (sanitize_escape, sanitize_text_add), an element
 * ends (sanitize_writer_close). So the allowlist, the attribute and URL
 * decisions and the serializer exist once.
 */
#ifndef CURATOR_INGEST_SANITIZE_PRIVATE_H
#define CURATOR_INGEST_SANITIZE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/buf.h"

/* Deeper elements are unwrapped (their content kept): the output nests at
 * most this deep. NOTE: libxml2 2.9.14 stops parsing at depth 256. */
#define SANITIZE_MAX_DEPTH 200

enum sanitize_tag_kind {
	SANITIZE_TAG_UNWRAP, /* not written, its content is */
	SANITIZE_TAG_KEEP,
	SANITIZE_TAG_VOID,   /* kept; no content, no end tag */
	SANITIZE_TAG_DROP,   /* dropped with everything inside */
};

struct sanitize_tag {
	const char *name;
	enum sanitize_tag_kind kind;
	bool is_block;   /* html_to_text puts a space around it */
	unsigned attrs;  /* allowed beyond the global ones */
};

/* The allowlist entry for a lower-case element name (NUL-terminated);
 * NULL for an element the allowlist does not know (unwrapped). */
const struct sanitize_tag *sanitize_tag_lookup(const char *name);

/* The id of an allowlisted attribute name (lower case), -1 otherwise. */
int sanitize_attr_lookup(const char *name);

/* Would libxml2 2.9.14 close an open parent when child starts inside it
 * (both allowlisted)? Measured for every pair; see closed_by[]. */
bool sanitize_is_closed_by(const char *parent, const char *child);

/* Appends s escaped as sanitize_html() writes text and attribute values:
 * & < > " ' as references, C0 controls but tab and LF dropped, CR and
 * CRLF as LF. */
void sanitize_escape(const char *s, size_t len, struct buf *out);

struct sanitize_open {
	const void *key;
	const struct sanitize_tag *tag;
};

/* The HTML writer. Owns url, bare and value; borrows out and base_url.
 * Initialise with sanitize_writer_init, free with _release. */
struct sanitize_writer {
	struct buf *out;
	const char *base_url;
	struct buf url;     /* reused for every URL attribute */
	struct buf bare;    /* a URL value without its control bytes */
	struct buf value;   /* reused when an attribute has several parts */
	size_t depth;
	struct sanitize_open open[SANITIZE_MAX_DEPTH];
	/* the start tag being written */
	size_t mark;
	unsigned allowed, written;
	bool is_img, has_src, pixel_width, pixel_height, is_tracker;
};

void sanitize_writer_init(struct sanitize_writer *w, const char *base_url,
			  struct buf *out);
void sanitize_writer_release(struct sanitize_writer *w);

enum sanitize_step {
	SANITIZE_STEP_SKIP, /* not written, nor its content */
	SANITIZE_STEP_INTO, /* not written, its content is */
	SANITIZE_STEP_TAG,  /* write it: _begin, _attr..., _open */
};

/* What the writer does with an element that starts (tag NULL when the
 * allowlist does not know it), given the elements written so far. */
enum sanitize_step sanitize_writer_step(const struct sanitize_writer *w,
					const struct sanitize_tag *tag);

/* Starts writing the start tag of tag (after SANITIZE_STEP_TAG). */
void sanitize_writer_begin(struct sanitize_writer *w,
			   const struct sanitize_tag *tag);

/* One attribute of the element begun, in document order: id from
 * sanitize_attr_lookup, value NUL-terminated and decoded. Attributes not
 * allowed on the element, repeated or with a bad value are left out. */
void sanitize_writer_attr(struct sanitize_writer *w, int id,
			  const char *value);

/* Ends the start tag. Returns true when the element's content is written
 * inside it (sanitize_writer_close(key) then writes its end tag); false
 * for a void element or an element dropped (an <img> without a usable
 * src, or a tracking pixel: nothing written). key identifies the element
 * until it is closed. */
bool sanitize_writer_open(struct sanitize_writer *w, const void *key,
			  const struct sanitize_tag *tag);

/* An element ends: writes its end tag when key is the innermost element
 * opened; does nothing otherwise. */
void sanitize_writer_close(struct sanitize_writer *w, const void *key);

/* The plain-text writer of html_to_text. Borrows out. */
struct sanitize_text {
	struct buf *out;
	size_t start;         /* where our text begins in out */
	bool pending_space;
};

/* Appends text with white space collapsed and C0 controls dropped. */
void sanitize_text_add(struct sanitize_text *t, const char *s, size_t len);

/*
 * Appends to out the allowlisted serialization of the children of root
 * (borrowed, unchanged): what sanitize_html() does once libxml2 has parsed
 * the fragment. Element and attribute names are looked up as they are
 * (the HTML parser lower-cases them); text and attribute values are
 * NUL-terminated and in the form sanitize_repair() gives. Never fails.
 */
void sanitize_tree(const xmlNode *root, const char *base_url,
		   struct buf *out);

/* Appends s with invalid UTF-8, NUL bytes and U+FFFE/U+FFFF replaced by
 * U+FFFD: what sanitize_html() does to its input before libxml2 parses
 * it, so the text of every tree it serializes is of this form. */
void sanitize_repair(const char *s, size_t len, struct buf *out);

/* Length of the valid UTF-8 sequence at s (RFC 3629 §4) that starts with
 * a byte >= 0x80, 0 if invalid or cut short by len. */
size_t sanitize_utf8_sequence(const unsigned char *s, size_t len);

/* Eight bytes at a time: the hot loops skip words of plain bytes. */
#define SANITIZE_ONES 0x0101010101010101ULL
#define SANITIZE_HIGHS 0x8080808080808080ULL

static inline uint64_t
sanitize_load64(const char *s)
{
	uint64_t x;

	memcpy(&x, s, sizeof(x));
	return x;
}

/* Whether a byte of x is below n (n <= 128); exact for any x. */
static inline bool
sanitize_has_less(uint64_t x, unsigned n)
{
	return ((x - SANITIZE_ONES * n) & ~x & SANITIZE_HIGHS) != 0;
}

/* Which reader sanitize_run uses. */
enum sanitize_path {
	SANITIZE_PATH_AUTO,    /* the fast one, libxml2 when it declines */
	SANITIZE_PATH_LIBXML2, /* libxml2 only (the reference) */
	SANITIZE_PATH_FAST,    /* the fast one only: may decline */
};

/* Why the fast reader declined a fragment (SANITIZE_DECLINE_NONE: it did
 * not), in the order it checks. */
enum sanitize_decline {
	SANITIZE_DECLINE_NONE,
	SANITIZE_DECLINE_SIZE,      /* near libxml2's size limits */
	SANITIZE_DECLINE_BYTE,      /* NUL, CR, control, invalid UTF-8 */
	SANITIZE_DECLINE_MARKUP,    /* comment, doctype, CDATA, PI, a lone < */
	SANITIZE_DECLINE_ELEMENT,   /* not an element it knows to be plain */
	SANITIZE_DECLINE_ATTRIBUTE, /* unquoted, repeated, odd */
	SANITIZE_DECLINE_ENTITY,    /* not &name; &#n; &#xh; of a known char */
	SANITIZE_DECLINE_UNCLOSED,  /* a tag or a dropped element not ended */
	SANITIZE_DECLINE_DEPTH,
	SANITIZE_DECLINE_COUNT,
};

/* A short name for a decline reason ("entity"), for reports. */
const char *sanitize_decline_name(enum sanitize_decline reason);

/*
 * The three public functions in one: appends the sanitized HTML of the
 * fragment to out_html and its text to out_text (either may be NULL: not
 * computed), reading it as path says. With SANITIZE_PATH_FAST, appends
 * nothing and returns the reason when the fast reader declines;
 * otherwise returns SANITIZE_DECLINE_NONE. Never fails.
 */
enum sanitize_decline sanitize_run(enum sanitize_path path, const char *html,
				   size_t len, const char *base_url,
				   struct buf *out_html, struct buf *out_text);

/* The fast reader (sanitize_fast.c): SANITIZE_DECLINE_NONE when it wrote
 * the fragment, byte for byte what libxml2's path writes; otherwise the
 * reason, with nothing appended. Arguments as for sanitize_run. */
enum sanitize_decline sanitize_fast(const char *html, size_t len,
				    const char *base_url,
				    struct buf *out_html,
				    struct buf *out_text);

#endif
