/*
 * xpost_private: what crosspost.c shares with the networks' files
 * (xpost_mastodon.c, xpost_bluesky.c, xpost_facebook.c). Private to the
 * publish stage.
 *
 * A network is a table of functions (struct xpost_network). crosspost.c
 * owns the outbox, the ledger, retries and waits; a network only composes
 * and speaks its API, and sorts each answer into an enum xpost_status.
 */
#ifndef CURATOR_PUBLISH_XPOST_PRIVATE_H
#define CURATOR_PUBLISH_XPOST_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "ingest/ingest.h"
#include "publish/crosspost.h"
#include "render/render.h"
#include "store/store.h"

/* How a request ended, as the outbox needs to know it. */
enum xpost_status {
	XPOST_DONE,         /* posted (send), or found (check): remote id
			     * and URL are set */
	XPOST_ABSENT,       /* check: the post does not exist, sending it
			     * (again, with the same key) is safe */
	XPOST_RESEND,       /* check: whether it exists is not known, but
			     * sending again with the same key cannot
			     * duplicate it (Mastodon's Idempotency-Key,
			     * kept by the server for about an hour) */
	XPOST_REJECTED,     /* a definite refusal (4xx): not posted */
	XPOST_TRANSIENT,    /* 5xx, timeout, reset: it may have been posted */
	XPOST_RATE_LIMITED, /* 429 (or Graph API codes 4, 17, 32, 613): not
			     * posted; retry_after says how long to wait */
	XPOST_AUTH,         /* 401/403, expired token: not posted; stop the
			     * network and name the variable to renew */
	XPOST_UNDECIDED,    /* check: the network's answer cannot tell */
	XPOST_UNREACHABLE,  /* no connection was made (DNS, refused, guard):
			     * nothing was sent; stop the network */
};

/* The answer to one request. */
struct xpost_answer {
	char *remote_id;        /* owned; DONE only */
	char *remote_url;       /* owned; DONE only (may stay NULL) */
	long retry_after;       /* RATE_LIMITED: seconds, -1 unknown */
	struct buf error;       /* what went wrong, one line, no secret */
	bool is_unsent;         /* the last request failed before any byte
				 * could reach the server */
};

void xpost_answer_init(struct xpost_answer *a);
void xpost_answer_release(struct xpost_answer *a);
/* Clears a for the next request. */
void xpost_answer_clear(struct xpost_answer *a);

/* What one item becomes on one network. */
struct xpost_post {
	const struct crosspost_item *item; /* borrowed */
	struct buf text;        /* the summary as sent */
	size_t length;          /* by the network's count */
	size_t max_length;      /* the network's limit */
	char unit[64];          /* "graphemes", "characters, every URL
				 * counted as 23" */
	json_t *payload;        /* the body as sent, without any secret
				 * (Facebook's token is added at send) */
	char *endpoint;         /* METHOD and URL, for the dry run */
};

void xpost_post_init(struct xpost_post *p);
void xpost_post_release(struct xpost_post *p);

struct xpost_session;

/* Counts text by a network's rule. */
typedef size_t xpost_measure_fn(const struct xpost_session *s,
				const char *text, size_t len);

struct xpost_network {
	const char *name;                 /* "mastodon" */
	/* The configured variable holding the secret ("CURATOR_..."), and
	 * the key naming it in curator.yaml ("crosspost.mastodon.token_env");
	 * NULL when the network is not configured. */
	const char *(*secret_env)(const struct config *cfg);
	const char *secret_key;
	/* Prepares the session: limits (Mastodon's instance), login
	 * (Bluesky), with s->token set unless dry run. Returns XPOST_DONE, or
	 * another status after filling s->answer.error. */
	enum xpost_status (*open)(struct xpost_session *s);
	/* Fills post (text, length, payload, endpoint). Returns 0, or -1
	 * after reporting (the item cannot fit). */
	int (*compose)(struct xpost_session *s, struct xpost_post *post);
	/* Sends post with key (the outbox's send_key). */
	enum xpost_status (*send)(struct xpost_session *s,
				  const struct xpost_post *post,
				  const char *key, struct xpost_answer *a);
	/* Decides whether the post of entry exists: DONE (found), ABSENT
	 * (sending it again with entry->send_key is safe), UNDECIDED, or a
	 * request failure. */
	enum xpost_status (*check)(struct xpost_session *s,
				   const struct xpost_post *post,
				   const struct store_outbox_entry *entry,
				   struct xpost_answer *a);
	/* A new send_key into out (a buffer of at least 64 bytes). */
	void (*new_key)(char *out);
	/* Frees s->data. */
	void (*close)(struct xpost_session *s);
};

extern const struct xpost_network xpost_mastodon;
extern const struct xpost_network xpost_bluesky;
extern const struct xpost_network xpost_facebook;

/* Waits and limits (CURATOR_CROSSPOST_TIMING, see crosspost.h). */
struct xpost_timing {
	long timeout_s;         /* transfer timeout */
	long backoff_ms;        /* first backoff; doubled at each retry */
};

/* One network during one run. */
struct xpost_session {
	struct report *rep;
	const struct config *cfg;
	const struct xpost_network *net;
	const struct http_options *http;
	const char *site_dir;
	bool is_dry_run;
	int64_t now;            /* the run's start, UTC seconds */
	char *token;            /* the secret (NULL in a dry run); owned */
	struct tmpl_set *templates;
	const struct tmpl *tmpl; /* this network's summary template */
	void *data;             /* the network's own, freed by close */
	struct xpost_answer answer; /* open's failure */
};

/* ------------------------------------------------------------ compose */

/* Compiles s's template (the site's override, else the built-in one) into
 * s->templates and s->tmpl. Returns 0, or -1 after reporting. */
int xpost_load_template(struct xpost_session *s);

/*
 * The template data for item: title, note (cut to note_max graphemes at a
 * word, SIZE_MAX for all of it), url, hashtags ("#Manga #CoupDeCœur", or
 * "" without has_tags), tags, kind, site_title. New reference.
 */
json_t *xpost_template_data(const struct config *cfg,
			    const struct crosspost_item *item,
			    size_t title_max, size_t note_max, bool has_tags);

/*
 * Renders s->tmpl for item into out, cutting what may be cut until
 * measure(out) <= max: first the note (at a word), then the hashtags,
 * then the title. The URL is never cut. Returns 0 and sets *length, or -1
 * after reporting when even the bare link does not fit.
 */
int xpost_fit(struct xpost_session *s, const struct crosspost_item *item,
	      xpost_measure_fn *measure, size_t max, struct buf *out,
	      size_t *length);

/* "coup de cœur" -> "CoupDeCœur" (letters and digits of every word, each
 * word capitalised when it starts with an ASCII letter); empty when the
 * tag has no letter or digit. */
void xpost_hashtag(const char *tag, struct buf *out);

/* Mastodon's count: graphemes, with every http(s) URL counted as
 * url_length. */
size_t xpost_mastodon_length(const char *text, size_t len,
			     size_t url_length);

/* The app.bsky.richtext.facet array for text: a #link facet over each
 * occurrence of url and a #tag facet over each "#Word" hashtag, at their
 * UTF-8 byte offsets. New reference (an empty array when none). */
json_t *xpost_bluesky_facets(const char *text, size_t len, const char *url);

/* A TID (atproto record key): 13 characters of base32-sortable
 * ("234567abcdefghijklmnopqrstuvwxyz") for 64 bits: 0, 53 bits of
 * microseconds since the epoch, 10 bits of clock id. out holds 14. */
void xpost_tid(int64_t micros, unsigned clock_id, char *out);

/* A random UUID (version 4) in out (37 bytes). */
void xpost_uuid(char *out);

/* ---------------------------------------------------------- requests */

/*
 * One request through http_request with the session's options, sorted:
 * returns 0 with *resp filled when an HTTP answer came (any status), or
 * -1 with a->error set (timeout, reset, DNS...; nothing is reported: the
 * caller decides). json_body, when not NULL, is sent as JSON; form as
 * application/x-www-form-urlencoded. auth is a whole header line or NULL.
 */
int xpost_request(struct xpost_session *s, const char *method,
		  const char *url, const char *auth, const json_t *json_body,
		  const char *form, const char *const *more_headers,
		  struct http_response *resp, struct xpost_answer *a);

/* The same with a raw body of body_len bytes and its content type (an
 * image for Bluesky's uploadBlob). */
int xpost_request_raw(struct xpost_session *s, const char *method,
		      const char *url, const char *auth, const char *body,
		      size_t body_len, const char *content_type,
		      const char *const *more_headers,
		      struct http_response *resp, struct xpost_answer *a);

/* "Authorization: Bearer TOKEN" into out, for token (s->token or a
 * session token). */
void xpost_bearer(const char *token, struct buf *out);

/* The status of a request that got no HTTP answer: UNREACHABLE when it
 * never left (a->is_unsent), else TRANSIENT. */
enum xpost_status xpost_no_answer(const struct xpost_answer *a);

/* Sorts an HTTP status that is not a success: 429 RATE_LIMITED (with
 * Retry-After), 401/403 AUTH, 408 and 5xx TRANSIENT, other 4xx REJECTED;
 * appends "HTTP N: message" to a->error, the message taken from the JSON
 * body's "error"/"message" fields (or error.message). */
enum xpost_status xpost_sort_status(const struct http_response *resp,
				    struct xpost_answer *a);

/* The body parsed as JSON, or NULL (borrowed nothing; decref it). */
json_t *xpost_json(const struct http_response *resp);

/* Percent-encodes s for a form body or a query (RFC 3986 unreserved kept). */
void xpost_url_encode(const char *s, struct buf *out);

/* A string member of o, or NULL (borrowed from o). */
const char *xpost_json_string(const json_t *o, const char *key);

#endif
