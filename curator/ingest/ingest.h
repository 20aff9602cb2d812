/*
 * ingest: everything that comes from outside, made safe.
 *
 * The one header of the ingest stage that other stages include. It covers
 * feed parsing (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1), the HTML
 * sanitizer, and HTTP fetching behind the address guard. libxml2, libcurl
 * and jansson stay inside this stage: callers only see these types.
 */
#ifndef CURATOR_INGEST_INGEST_H
#define CURATOR_INGEST_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/report.h"

/* ------------------------------------------------------------- startup */

/*
 * Hands libxml2 curator's allocators (xmlMemSetup with xmalloc, xrealloc,
 * xstrdup and free, core/xmalloc.h): out of memory inside libxml2 then
 * ends the process with "curator: fatal: out of memory", exit 1, as it
 * does in curator's own code. Call once, first thing in main, before
 * anything parses XML or HTML. Cannot fail.
 */
void ingest_init(void);

/* ---------------------------------------------------------------- feeds */

/* NOTE: the order matches the names in feed_format_name(). */
enum feed_format {
	FEED_FORMAT_UNKNOWN,
	FEED_FORMAT_RSS090,
	FEED_FORMAT_RSS091,
	FEED_FORMAT_RSS092,
	FEED_FORMAT_RSS10,
	FEED_FORMAT_RSS20,
	FEED_FORMAT_ATOM03,
	FEED_FORMAT_ATOM10,
	FEED_FORMAT_JSON10,
	FEED_FORMAT_JSON11,
};

/* "rss2.0", "atom1.0", "json1.1", ... ("unknown" for FEED_FORMAT_UNKNOWN). */
const char *feed_format_name(enum feed_format format);

struct feed_enclosure {
	char *url;
	char *type;       /* MIME type or NULL */
	int64_t length;   /* bytes, or -1 when unknown */
};

/*
 * One normalized item. Every string is valid UTF-8 (feed_item_builder_finish
 * checks or repairs it), NUL-terminated, and NULL when
 * unknown (never ""). URLs are absolute when a base was known.
 */
struct feed_item {
	char *id;           /* guid/id; else url; else hash of title+summary */
	char *url;          /* the item's link */
	char *title;        /* plain text */
	char *author;       /* plain text */
	int64_t published;  /* UTC seconds, valid when has_published */
	int64_t updated;    /* UTC seconds, valid when has_updated */
	bool has_published;
	bool has_updated;
	char *summary;      /* plain text, at most 300 graphemes, cut at a word */
	char *content_html; /* sanitized HTML (see sanitize_html) */
	char *image;        /* representative image URL */
	char *language;     /* BCP 47 tag when the item says so */
	char **categories;
	size_t ncategories;
	struct feed_enclosure *enclosures;
	size_t nenclosures;
};

/* The feed's own metadata; same conventions as struct feed_item. */
struct feed_info {
	enum feed_format format;
	char *title;
	char *url;          /* the site's link */
	char *feed_url;     /* the feed's self link */
	char *description;
	char *language;
	char *image;
	int64_t updated;
	bool has_updated;
	char **warnings;    /* "line 12: undefined entity &eacute; replaced" */
	size_t nwarnings;
};

void feed_info_release(struct feed_info *info);
void feed_item_release(struct feed_item *item);

/* Called once per item, in document order. The item is borrowed: it is
 * valid only until the callback returns. Return 0 to go on, non-zero to
 * stop parsing (feed_parse then returns 0). */
typedef int (*feed_item_fn)(const struct feed_item *item, void *ctx);

/* Where the bytes come from: read() fills buf with up to len bytes and
 * returns how many (0 at the end, -1 on error, with errno set). */
struct feed_input {
	ssize_t (*read)(void *ctx, char *buf, size_t len);
	void *ctx;
};

struct feed_options {
	const char *name;         /* the file or URL, for messages */
	const char *base_url;     /* base for relative URLs (--base or URL) */
	const char *http_charset; /* charset from Content-Type, or NULL */
};

/*
 * Parses one feed, detecting its format from the content. Streams: memory
 * use does not grow with the feed's size. Items go to on_item; the feed's
 * metadata and warnings to *info (released by the caller with
 * feed_info_release, also on failure). Never touches the network or any
 * file.
 *
 * Returns 0 when the input was a feed (possibly with warnings, possibly
 * truncated: the items before the damage are kept and a warning says so),
 * -1 after reporting an error naming opts->name: "not a feed (looks like
 * HTML)", "empty", a read error, or limits exceeded.
 */
int feed_parse(struct report *rep, const struct feed_options *opts,
	       struct feed_input *in, feed_item_fn on_item, void *ctx,
	       struct feed_info *info);

/*
 * feed_parse on two threads: the calling thread parses the XML or JSON
 * while a second one finishes the items (sanitizer, summary, id) and calls
 * on_item, so that both cores work on one big feed. Same items, warnings,
 * info and return value as feed_parse, with these differences:
 *
 *   - on_item runs on the second thread, except for the first few items
 *     (in document order, never two calls at once, all of them done
 *     before feed_parse_pipelined returns): it must not touch what the
 *     caller's thread uses meanwhile (rep is not touched from there);
 *   - a non-zero return from on_item stops the parse a few items later:
 *     on_item is not called again, but warnings and feed metadata found
 *     after that item may be kept.
 *
 * Falls back to one thread when a thread cannot be started. Meant for
 * `curator parse`; callers whose on_item writes to shared state (the
 * store) use feed_parse.
 */
int feed_parse_pipelined(struct report *rep, const struct feed_options *opts,
			 struct feed_input *in, feed_item_fn on_item,
			 void *ctx, struct feed_info *info);

/* Reads from a memory buffer: fills *in to read data[0..len). */
struct feed_memory_reader {
	const char *data;
	size_t len;
	size_t pos;
};
void feed_input_from_memory(struct feed_input *in,
			    struct feed_memory_reader *reader,
			    const char *data, size_t len);
/* Reads from a file descriptor (not closed). */
void feed_input_from_fd(struct feed_input *in, int *fd);

/* ------------------------------------------------------------ sanitizer */

/*
 * Appends to out the allowlisted, re-serialized form of an HTML fragment.
 * Only allowlisted elements and attributes are emitted, by curator's own
 * serializer: every text and attribute value escaped (& < > " '), every
 * attribute quoted, every element closed; dangerous elements are dropped
 * with their content; URL attributes are cleaned, resolved against
 * base_url (may be NULL) and kept only for http, https, mailto (and
 * data:image/png|jpeg|gif|webp on img src); links get
 * rel="nofollow noopener noreferrer ugc"; 1x1 tracking images are dropped.
 * Idempotent: sanitize(sanitize(x)) == sanitize(x). Never fails: input
 * that libxml2 cannot parse yields an empty or partial fragment.
 */
void sanitize_html(const char *html, size_t len, const char *base_url,
		   struct buf *out);

/* Appends the plain text of an HTML fragment: tags removed, entities
 * decoded, block elements separated by a space, white space collapsed. */
void html_to_text(const char *html, size_t len, struct buf *out);

/* Both of the above from one parse: appends sanitize_html(html) to
 * out_html and html_to_text(html) to out_text, byte for byte what the two
 * calls append, at the cost of one. Never fails. */
void sanitize_html_text(const char *html, size_t len, const char *base_url,
			struct buf *out_html, struct buf *out_text);

/* ----------------------------------------------------------------- HTTP */

/*
 * The one place every HTTP request is configured (fetch, parse URL, tag,
 * images, autodiscovery). Only http and https, redirects included; at
 * most 5 redirects; connect/total/low-speed timeouts; the body counted
 * after decompression against max_body; TLS verification always on (there
 * is no option to turn it off); proxy environment variables ignored unless
 * proxy is set; and no connection to a non-public address unless it is in
 * allow_private.
 *
 * The address guard checks the address each connection is actually opened
 * to, after DNS and after every redirect. Refused: 0.0.0.0/8, 10/8,
 * 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24,
 * 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4, 240/4, ::,
 * ::1, ::/96, 64:ff9b:1::/48, 100::/64, 2001:db8::/32, fc00::/7, fe80::/10,
 * fec0::/10, ff00::/8; ::ffff:0:0/96, NAT64 64:ff9b::/96 and 6to4
 * 2002::/16 are judged by the IPv4 address inside. With a proxy, curl
 * connects only to the proxy: the guard checks the proxy's address (list
 * it in allow_private when it is on the intranet) and the proxy must do
 * its own filtering.
 *
 * Every field may be 0/NULL for its default. The strings are only read
 * during http_get (or http_easy_setup): they need not outlive it.
 */
struct http_options {
	const char *user_agent;   /* NULL: "curator/VERSION (+site_url)" */
	const char *site_url;     /* curator.yaml url, for the User-Agent */
	const char *const *allow_private; /* CIDR strings, e.g. "10.1.2.0/24" */
	size_t nallow_private;
	const char *proxy;        /* fetch.proxy, or NULL for no proxy */
	size_t max_body;          /* bytes after decompression, 0: 16 MiB */
	long connect_timeout;     /* seconds, 0: 10 */
	long timeout;             /* seconds for the whole transfer, 0: 60 */
	long low_speed_limit;     /* bytes/s, 0: 64 */
	long low_speed_time;      /* seconds below low_speed_limit, 0: 30 */
	const char *const *resolve; /* "host:port:addr" (CURLOPT_RESOLVE) */
	size_t nresolve;
	/* private: what http_options_from_env allocated */
	void **owned;
	size_t nowned;
};

/* Frees what http_options_from_env allocated (the caller's own strings
 * are not touched) and leaves the lists empty. */
void http_options_release(struct http_options *opts);

struct http_response {
	long status;              /* HTTP status, 0 if none */
	struct buf body;          /* decompressed, at most max_body bytes */
	char *content_type;       /* media type, lower-cased, no parameters */
	char *charset;            /* charset parameter, lower-cased, unquoted */
	char *effective_url;      /* after redirects */
	char *etag;               /* as sent, quotes included */
	char *last_modified;
	long retry_after;         /* seconds from now, -1 when absent/invalid */
	char *moved_to;           /* when redirects were followed and every
				   * one was permanent (301, 308): the URL
				   * they led to (RFC 9110 §15.4.2: update
				   * the stored link); else NULL */
	int64_t ratelimit_reset;  /* RateLimit-Reset as sent (a whole number:
				   * seconds to wait, or a Unix time, as the
				   * server documents), -1 when absent */
};

void http_response_init(struct http_response *resp);
void http_response_release(struct http_response *resp);

/*
 * GETs url (http or https only) with opts; extra_headers is a NULL-terminated
 * list of "Name: value" lines or NULL (put tokens there, never in the URL:
 * a URL with user:password@ is refused). *resp, initialised with
 * http_response_init, is cleared on entry; the headers described in struct
 * http_response are those of the last response, after redirects. On
 * failure *resp keeps what arrived (a status, a partial body): the caller
 * releases it and should not use it.
 *
 * Returns 0 when an HTTP response arrived (any status: the caller judges
 * it), -1 after reporting an error that names url, with a hint line:
 *   refused scheme 'gopher' (only http and https are fetched)
 *   redirect to a refused scheme 'file:///etc/passwd'
 *   refused: 10.0.0.5 is a private address (allow it with
 *     fetch.allow_private in curator.yaml)
 *   cannot resolve host 'example.invalid'
 *   cannot connect: ..., timed out: ..., TLS error: ...
 *   more than 5 redirects
 *   body larger than 16 MiB (after decompression)
 */
int http_get(struct report *rep, const struct http_options *opts,
	     const char *url, const char *const *extra_headers,
	     struct http_response *resp);

/*
 * A request other than a plain GET, for the networks' APIs (cross-posting).
 * Every field but url may be 0/NULL. The body, when given, is sent as is
 * with content_type; headers are "Name: value" lines, NULL-terminated (the
 * place for tokens, never the URL). All is borrowed for the call only.
 */
struct http_request {
	const char *method;       /* "GET", "POST", ...; NULL: "GET" */
	const char *url;
	const char *body;         /* NULL: no body */
	size_t body_len;
	const char *content_type; /* "application/json", ... */
	const char *const *headers;
};

/*
 * Sends req with every guarantee of http_get (guard, limits, TLS,
 * credentials refused in the URL), except that a request other than GET
 * follows no redirect: the answer to a POST is the one that counts, and a
 * 3xx is returned as it is. Returns 0 when an HTTP response arrived (any
 * status), -1 after reporting as http_get does (the request's URL names
 * the error; headers and body never appear in a message).
 */
int http_request(struct report *rep, const struct http_options *opts,
		 const struct http_request *req, struct http_response *resp);

/*
 * Adds to opts what the environment asks for (the only switches outside
 * curator.yaml, meant for tests and for a library's own machines):
 *
 *   CURATOR_ALLOW_PRIVATE  comma-separated CIDRs added to allow_private,
 *                          e.g. "127.0.0.1/32,10.1.2.0/24,fd00::/8"
 *   CURATOR_RESOLVE        comma-separated "host:port:addr" entries added
 *                          to resolve (curl's --resolve), e.g.
 *                          "feeds.example.org:8080:127.0.0.2"; harmless,
 *                          since the guard judges the address connected to
 *
 * Entries already in opts are kept. Release with http_options_release.
 * Returns 0, or -1 after reporting an error naming the variable when
 * CURATOR_ALLOW_PRIVATE holds something that is not a CIDR.
 */
int http_options_from_env(struct report *rep, struct http_options *opts);

/* Whether s (len bytes) is a CIDR that allow_private accepts ("10.1.2.0/24",
 * "fd00::/8", or a bare address): for checking fetch.allow_private in
 * curator.yaml where the file and line are known. */
bool http_cidr_is_valid(const char *s, size_t len);

/* -------------------------------------------------------- fetching many */

/*
 * Fetches many URLs at once for `curator fetch` and `curator sources add`:
 * one libcurl multi event loop, at most opts->jobs transfers at once and at
 * most opts->per_host to one host (host and port; the others wait in
 * fetch's own queue, so one slow host never takes every slot), HTTP/2 when
 * the server offers it (multiplexed). Every transfer is configured by the
 * one HTTP client above (guard, limits, protocols, User-Agent).
 *
 * Local sources -- "file:///abs/path", or a path without a scheme relative
 * to opts->local_dir -- are read by fetch itself, never by libcurl, with
 * the same body cap; they answer status 200 with an ETag made of the
 * file's modification time and size, or 304 when req->etag still matches
 * (an unchanged file is not read again). Only pass URLs the user named
 * (the command line, the site's own OPML): a file: URL met in fetched
 * content must never get here (issue 8).
 */
struct fetch_request {
	const char *url;           /* http(s), file:///abs, or a relative path */
	const char *etag;          /* sent as If-None-Match; NULL: none */
	const char *last_modified; /* sent as If-Modified-Since; NULL: none */
	void *ctx;                 /* the caller's, untouched */
};

/* What one request gave, handed to the callback. */
struct fetch_result {
	int rc;                    /* 0: an answer came (any HTTP status; a
				    * local file: 200); -1: it failed */
	const char *error;         /* rc -1: what went wrong, without the URL
				    * ("HTTP" failures are the caller's to
				    * judge from resp->status) */
	bool is_local;             /* read from a file, not over HTTP */
	struct http_response *resp; /* the answer (body, validators,
				    * charset, effective_url, moved_to,
				    * retry_after); on failure what arrived.
				    * Borrowed until the callback returns;
				    * it may take resp->body with
				    * buf_detach */
};

/* Called once per request, in completion order, from the thread that
 * called fetch_run. */
typedef void (*fetch_done_fn)(const struct fetch_request *req,
			      struct fetch_result *res, void *ctx);

struct fetch_options {
	const struct http_options *http; /* NULL: every default */
	size_t jobs;               /* transfers at once, 0: 16 */
	size_t per_host;           /* transfers at once per host, 0: 4 */
	const char *local_dir;     /* base of relative paths; NULL: refused */
	fetch_done_fn on_done;     /* required */
	void *ctx;                 /* passed to on_done */
};

#define FETCH_DEFAULT_JOBS 16
#define FETCH_DEFAULT_PER_HOST 4

/*
 * Fetches reqs[0..n) (borrowed until fetch_run returns) and calls
 * opts->on_done once for each, whatever happened to it: one failing
 * request never stops the others. Returns 0 when every request was
 * handed to on_done, -1 after reporting when the loop could not run at
 * all (libcurl would not start).
 */
int fetch_run(struct report *rep, const struct fetch_options *opts,
	      const struct fetch_request *reqs, size_t n);

/* Whether url names a local file for fetch_run: "file:" or no scheme
 * at all. */
bool fetch_is_local(const char *url);

/*
 * Reads a local source (see fetch_request) into out, at most max bytes
 * (0: 16 MiB). Returns 0, or -1 with err set to what went wrong without
 * the name ("cannot open: No such file or directory", "larger than 16
 * MiB", "only file:///absolute/path URLs are read").
 */
int fetch_read_local(const char *url, const char *local_dir, size_t max,
		     struct buf *out, struct buf *err);

/* ------------------------------------------------------- page metadata */

/*
 * What a web page says about itself, for `curator tag` and for feed
 * autodiscovery in `curator sources add`. Each field comes from the most
 * trusted place that has it: JSON-LD, then Open Graph, then Twitter cards,
 * then <meta name=...>, then <title>. Same string conventions as struct
 * feed_item: UTF-8, trimmed, white space collapsed, NULL when unknown; URLs
 * absolute (resolved against the page's URL).
 */
struct page_feed_link {
	char *url;
	char *type;   /* application/rss+xml, application/atom+xml, ... */
	char *title;
};

struct page_meta {
	char *title;
	char *description;
	char *canonical;
	char *site_name;
	char *author;
	char *image;
	char *language;
	char *kind;          /* schema.org @type or og:type, as found */
	char isbn[14];       /* ISBN-13/EAN-13 digits, "" when none */
	int64_t published;   /* valid when has_published */
	bool has_published;
	struct page_feed_link *feeds; /* <link rel="alternate"> feeds */
	size_t nfeeds;
};

/* Parses an HTML page (charset: from the HTTP header, or NULL to let the
 * page's own <meta charset> decide). Never fails: a page with nothing
 * usable gives a struct with every field NULL. Release with
 * page_meta_release. */
void page_meta_parse(const char *html, size_t len, const char *charset,
		     const char *page_url, struct page_meta *meta);
void page_meta_release(struct page_meta *meta);

/* ----------------------------------------------------------------- OPML */

/*
 * The site's subscriptions, feeds/sources.opml (OPML 2.0). An outline with
 * an xmlUrl is a source; its category attribute (comma-separated, each
 * optionally "/"-prefixed) names its topics. The whole document is kept,
 * so that saving it preserves outlines and attributes curator does not
 * understand.
 */
struct opml_source {
	const char *xml_url;   /* borrowed from the document */
	const char *html_url;  /* NULL when absent */
	const char *title;     /* title, else text; NULL when both absent */
	char **topics;         /* owned by the struct opml */
	size_t ntopics;
};

struct opml;

/* Parses an OPML document (name is for messages). Refuses DTD entity
 * declarations, never loads anything. Returns NULL after reporting. */
struct opml *opml_parse(struct report *rep, const char *name,
			const char *data, size_t len);
/* Reads path; a missing file gives an empty document (title "Sources"). */
struct opml *opml_load(struct report *rep, const char *path);
void opml_free(struct opml *opml);

/* The sources in document order; valid until the next change to opml. */
const struct opml_source *opml_sources(const struct opml *opml, size_t *n);
/* Index of the source whose xmlUrl is the same feed as url (same
 * normalized URL), or -1. */
long opml_find(const struct opml *opml, const char *url);
/* Adds a source at the end of the body. Returns 0, or 1 (nothing changed)
 * when the same feed is already there. */
int opml_add(struct opml *opml, const char *xml_url, const char *html_url,
	     const char *title, const char *const *topics, size_t ntopics);
/* Removes the source for url. Returns 0, or 1 when it was not there. */
int opml_remove(struct opml *opml, const char *url);
/* Changes a source's xmlUrl (after a permanent redirect). Returns 0, or 1
 * when old_url was not there. */
int opml_set_url(struct opml *opml, const char *old_url, const char *new_url);
/* Adds topics to a source (no duplicates). */
void opml_add_topics(struct opml *opml, long index, const char *const *topics,
		     size_t ntopics);
/* Serializes with libxml2's writer (indented, UTF-8) into out. */
int opml_serialize(struct report *rep, const struct opml *opml,
		   struct buf *out);
/* Serializes and writes path atomically (unchanged bytes: not rewritten). */
int opml_save(struct report *rep, const struct opml *opml, const char *path);

#endif
