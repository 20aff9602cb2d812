/*
 * ingest_private.h: what the feed parser's files share inside the ingest
 * stage. Not for other stages (they include ingest/ingest.h).
 *
 *   feed.c               format detection and dispatch (feed_parse)
 *   xml_prepass.c        bytes -> clean UTF-8 XML without a DTD
 *   feed_xml.c           RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 (libxml2 SAX2)
 *   feed_json.c          JSON Feed 1.0/1.1 (jansson)
 *   feed_item_builder.c  per-item accumulation and normalization
 *   feed_pipe.c          items finished on a worker thread
 *                        (feed_parse_pipelined)
 *   feed_diag.c          warnings ("line N: ...") and the fatal error
 */
#ifndef CURATOR_INGEST_PRIVATE_H
#define CURATOR_INGEST_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "ingest/ingest.h"

/* Size of one read from a struct feed_input. */
#define FEED_CHUNK_SIZE (64u << 10)
/* At most this many warnings are kept; then "more warnings omitted". */
#define FEED_MAX_WARNINGS 100
/* Text kept per field (title, description, content...): longer text is
 * cut at a character boundary with a warning. */
#define FEED_MAX_FIELD (1u << 20)
/* Items parsed per feed; the rest are dropped with a warning. */
#define FEED_MAX_ITEMS 100000
/* Element nesting kept by the XML pre-pass; deeper content is dropped with
 * a warning. NOTE: below libxml2's own limit (256 without XML_PARSE_HUGE),
 * which would stop the whole parse instead. */
#define FEED_MAX_DEPTH 200
/* Attribute values longer than this are cut by the pre-pass. */
#define FEED_MAX_ATTRIBUTE (1u << 20)

/* ------------------------------------------------------------ diagnostics */

struct feed_warning {
	unsigned long line; /* 0: no line */
	size_t seq;         /* arrival order, to sort stably by line */
	char *text;
};

/* Warnings and the one fatal error of a parse. */
struct feed_diag {
	struct feed_warning *v;
	size_t n, cap, seq;
	bool omitted;       /* more than FEED_MAX_WARNINGS were raised */
	char **keys;        /* see feed_diag_once */
	size_t nkeys, keycap;
	char *error;        /* the fatal error, without location, or NULL */
	/* NOTE: set by feed_parse_pipelined: feed_item_builder_finish then hands the item to
	 * the worker instead of normalizing it. The formats pass diag to
	 * the builder, so the pipe reaches it without their knowing. */
	struct feed_pipe *pipe;
};

void feed_diag_release(struct feed_diag *d);
/* Adds "line N: MESSAGE" (line 0: just MESSAGE), up to the cap. */
void feed_diag_warn(struct feed_diag *d, unsigned long line, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
/* True the first time key is seen, false afterwards (and once the warning
 * cap is reached, since the warning would be dropped anyway). */
bool feed_diag_once(struct feed_diag *d, const char *key);
/* Records the fatal error (the first one wins). */
void feed_diag_fail(struct feed_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Moves the warnings, sorted by line, into info->warnings. */
void feed_diag_to_info(struct feed_diag *d, struct feed_info *info);

/* --------------------------------------------------------------- pre-pass */

/*
 * The XML pre-pass: turns the raw bytes of an XML feed into what libxml2
 * may safely see: UTF-8 with a declaration saying so, no DOCTYPE, no entity
 * reference besides the five XML ones and character references, no
 * character outside XML 1.0's Char production, no comment or processing
 * instruction, nesting at most FEED_MAX_DEPTH deep and attribute values at
 * most FEED_MAX_ATTRIBUTE long. Line breaks are kept so that libxml2's line
 * numbers stay right. Text inside the root element that holds a reference
 * or a non-ASCII character may come out as CDATA sections with its
 * references decoded (libxml2 reads them faster): SAX handlers must treat
 * characters and CDATA alike; where sections start and end depends on how
 * the input is cut into calls. Warnings and the fatal error go to diag.
 */
struct xml_prepass;

struct xml_prepass *xml_prepass_new(const struct feed_options *opts,
				    struct feed_diag *diag);
void xml_prepass_free(struct xml_prepass *pp);
/* Appends to out what can be produced from the next len bytes of input;
 * is_final marks the end of the input (everything is then flushed).
 * Returns 0, or -1 when the feed must be abandoned (diag->error says why:
 * entity expansion limit, HTML doctype...). */
int xml_prepass_feed(struct xml_prepass *pp, const char *data, size_t len,
		     bool is_final, struct buf *out);

/* ----------------------------------------------------------- item builder */

/* How a field's text is to be read. */
enum feed_text_kind {
	FEED_TEXT_PLAIN,      /* plain text */
	FEED_TEXT_HTML,       /* HTML */
	FEED_TEXT_MAYBE_HTML, /* RSS title: HTML if it looks like markup */
};

/* One field as found in the feed, with its priority (lower wins) so that,
 * say, an RSS description beats an itunes:summary whatever their order. */
struct feed_slot {
	struct buf text;
	int prio;             /* meaningful when has_text */
	bool has_text;
	enum feed_text_kind kind;
	char *base;           /* xml:base in effect there (content fields) */
	unsigned long line;   /* where it was found (for date warnings) */
};

enum feed_image_prio {
	FEED_IMAGE_THUMBNAIL,     /* media:thumbnail, JSON image */
	FEED_IMAGE_MEDIA,         /* media:content medium=image */
	FEED_IMAGE_ITUNES,        /* itunes:image */
	FEED_IMAGE_ENCLOSURE,     /* enclosure of an image type */
	FEED_IMAGE_COUNT,
};

struct feed_item_builder {
	struct feed_slot title, url, id, content, description, author;
	struct feed_slot published, updated, language;
	bool guid_is_permalink;   /* the id came from a permalink guid */
	char *image[FEED_IMAGE_COUNT];
	char **categories;
	size_t ncategories, catcap;
	struct feed_enclosure *enclosures;
	size_t nenclosures, enccap;
	unsigned long line;       /* where the item starts */
};

void feed_item_builder_init(struct feed_item_builder *b);
/* Empties b for the next item, keeping its buffers. */
void feed_item_builder_clear(struct feed_item_builder *b);
void feed_item_builder_release(struct feed_item_builder *b);

/* Offers text for a slot: kept when the slot is empty or prio is lower
 * than the slot's. Text is trimmed; empty text is ignored. base may be
 * NULL. */
void feed_slot_offer(struct feed_slot *slot, const char *text, size_t len,
		     int prio, enum feed_text_kind kind, const char *base,
		     unsigned long line);
void feed_item_builder_add_category(struct feed_item_builder *b,
				    const char *s, size_t len);
/* Adds an enclosure unless one with the same URL is there; url is already
 * resolved. length -1 when unknown. */
void feed_item_builder_add_enclosure(struct feed_item_builder *b,
				     const char *url, const char *type,
				     int64_t length);
void feed_item_builder_set_image(struct feed_item_builder *b,
				 enum feed_image_prio prio, const char *url);

/* Normalizes b into *item (owned by the caller: feed_item_release). Dates
 * that do not parse are warned about in diag. fallback_author (may be
 * NULL) is used when the item has none (Atom's feed-level author).
 *
 * With diag->pipe set (a pipelined parse), the dates are read and warned
 * about here, in document order, and the rest of the work goes to the
 * pipe: b's contents are moved into the queue (b is left cleared) or
 * normalized here when the worker is behind, *item is left empty (every field 0/NULL) and the caller hands
 * it to on_item as usual, which is then feed_pipe_on_item. */
void feed_item_builder_finish(struct feed_item_builder *b,
			      struct feed_diag *diag,
			      const char *fallback_author,
			      struct feed_item *item);

/* An item's dates, read from its slots by the parsing thread. */
struct feed_item_dates {
	int64_t published, updated;
	bool has_published, has_updated;
};

/* The part of feed_item_builder_finish that touches neither diag nor the
 * parser: sanitizing, summary, id, copies. Reads b (not kept) and
 * fallback_author (may be NULL); fills *item (owned by the caller). Safe
 * on another thread than the parser's while b is not touched there. */
void feed_item_builder_normalize(const struct feed_item_builder *b,
				 const struct feed_item_dates *dates,
				 const char *fallback_author,
				 struct feed_item *item);

/* ---------------------------------------------------------- the pipe */

/*
 * A pipelined parse: the parsing thread (libxml2 or jansson, the
 * pre-pass, the item builder) reads the feed, while ONE worker thread
 * normalizes the items (feed_item_builder_normalize: the sanitizer, the
 * summary, the id) and calls on_item: in document order, never two at
 * once, never after on_item asked to stop. The queue between them is
 * bounded (FEED_PIPE_MAX_ITEMS items, FEED_PIPE_MAX_BYTES bytes of text):
 * the parser waits when it is full.
 *
 * The worker touches neither diag nor the report: warnings stay on the
 * parsing thread. What changes for a caller: see feed_parse_pipelined
 * (ingest.h).
 */
#define FEED_PIPE_MAX_ITEMS 1024
/* The first items are finished on the parsing thread, as by feed_parse:
 * the worker starts with the next one (a feed this short is done before
 * a thread would help). */
#define FEED_PIPE_SYNC_ITEMS 32
/* With this many items waiting (or 3/4 of FEED_PIPE_MAX_BYTES), the
 * parsing thread normalizes the next ones itself (the worker then only
 * calls on_item for them). High enough that the worker seldom runs dry:
 * each time it does, it sleeps and must be woken (at 8, the worker slept
 * once every two items of bench/parse and the run cost 10 % more CPU);
 * and FEED_PIPE_MAX_ITEMS well above it, so that either thread can run
 * ahead for a while when the other one is descheduled (a loaded
 * machine). NOTE: so
 * feed_item_builder_normalize, hence sanitize_html_text and html_to_text,
 * run on both threads at once: the sanitizer must stay reentrant (no
 * mutable static state). */
#define FEED_PIPE_HELP_AT 256
#define FEED_PIPE_MAX_BYTES (8u << 20)

struct feed_pipe;

/* A pipe that calls on_item(item, ctx); its thread starts after
 * FEED_PIPE_SYNC_ITEMS items (none for a short feed). Cannot fail. */
struct feed_pipe *feed_pipe_new(feed_item_fn on_item, void *ctx);
/* Moves b's contents (left cleared) and a copy of fallback_author into the
 * queue, or, when the worker is behind, normalizes them into the queue
 * (b is then left as it was); waits while the queue is full. Returns
 * false, moving nothing, for the first FEED_PIPE_SYNC_ITEMS items or when
 * the worker thread could not be started: the caller then normalizes the
 * item itself and feed_pipe_on_item passes it on. */
bool feed_pipe_push(struct feed_pipe *p, struct feed_item_builder *b,
		    const struct feed_item_dates *dates,
		    const char *fallback_author);
/* The feed_item_fn the formats are given in a pipelined parse (ctx: the
 * pipe). Returns non-zero once the worker's on_item asked to stop. */
int feed_pipe_on_item(const struct feed_item *item, void *ctx);
/* Waits until every queued item went through on_item (or was dropped
 * after a stop), stops the thread and frees p. NULL: no-op. */
void feed_pipe_finish(struct feed_pipe *p);

/* Small helpers shared by the formats. */
/* Trimmed, white space collapsed, valid UTF-8 copy; NULL when empty. */
char *feed_clean_line(const char *s, size_t len);
/* Parses a non-negative decimal length; -1 when absent or invalid. */
int64_t feed_parse_length(const char *s, size_t len);
/* Appends s with & < > " escaped (plain text into HTML). */
void feed_escape_html(const char *s, size_t len, struct buf *out);
/* Plain text of a slot (html_to_text when it is HTML), not trimmed. */
void feed_slot_text(const struct feed_slot *slot, struct buf *out);

/* ----------------------------------------------------------------- formats */

/* Both return 0 when the input was a feed, -1 with diag->error set. head
 * holds the first bytes already read from in (the rest follows). */
int feed_xml_parse(const struct feed_options *opts, const char *head,
		   size_t headlen, struct feed_input *in, feed_item_fn on_item,
		   void *ctx, struct feed_info *info, struct feed_diag *diag);
int feed_json_parse(const struct feed_options *opts, const char *head,
		    size_t headlen, struct feed_input *in,
		    feed_item_fn on_item, void *ctx, struct feed_info *info,
		    struct feed_diag *diag);

#endif
