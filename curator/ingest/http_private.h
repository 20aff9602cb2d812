/*
 * http_private: the pieces of http.c that the multi-transfer fetcher
 * (fetch) reuses. Private to ingest/: libcurl stays inside this stage.
 *
 * One transfer, whether run by http_get (curl_easy_perform) or by a multi
 * handle:
 *
 *	struct http_transfer t;
 *	http_transfer_init(&t, url, extra_headers, &resp);
 *	if (http_easy_setup(h, opts, &t, rep) == 0) {
 *		... curl_easy_perform(h), or curl_multi_add_handle(m, h) and
 *		    wait for its CURLMSG_DONE with code ...
 *		http_transfer_finish(&t, h, code, rep);
 *	}
 *	http_transfer_release(&t);    (after curl_multi_remove_handle)
 */
#ifndef CURATOR_INGEST_HTTP_PRIVATE_H
#define CURATOR_INGEST_HTTP_PRIVATE_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "ingest/ingest.h"
#include "ingest/netguard.h"

#define HTTP_MAX_REDIRECTS 5
#define HTTP_DEFAULT_MAX_BODY ((size_t)16 << 20)
#define HTTP_DEFAULT_CONNECT_TIMEOUT 10L
#define HTTP_DEFAULT_TIMEOUT 60L
#define HTTP_DEFAULT_LOW_SPEED_LIMIT 64L
#define HTTP_DEFAULT_LOW_SPEED_TIME 30L

/*
 * The state of one transfer. Lives at a fixed address from http_easy_setup
 * until the easy handle is done with it: curl's callbacks and
 * CURLOPT_PRIVATE point to it. Fields marked "out" may be read after
 * http_transfer_finish.
 */
struct http_transfer {
	const char *url;          /* borrowed: the URL asked for */
	const char *const *extra_headers; /* borrowed until setup returns */
	struct http_response *resp; /* borrowed: where the answer goes */
	void *ctx;                /* the caller's, untouched */
	size_t max_body;          /* from the options */
	size_t body_bytes;        /* out: decompressed bytes of the last
				   * response's body (counted even when the
				   * body is not kept) */
	bool is_body_discarded;   /* the caller's switch: count, do not keep */
	bool is_over_limit;       /* out: the body went past max_body */
	bool is_refused;          /* out: the guard refused an address */
	bool has_temporary_redirect; /* a 302, 303 or 307 was followed */
	char refused_addr[NETGUARD_TEXT_SIZE];   /* out, when is_refused
						  * ("" for a non-IP socket) */
	const struct netguard_range *refused_range; /* out, when is_refused */
	long connect_timeout, timeout, low_speed_limit, low_speed_time;
	CURLcode code;            /* out: curl's result */
	struct buf error;         /* out: the error message without the URL,
				   * empty on success (for the store) */
	char errbuf[CURL_ERROR_SIZE];
	struct netguard guard;
	struct curl_slist *headers;
	struct curl_slist *resolve;
};

/* Sets up t for one transfer of url into resp (cleared here). Never
 * fails. */
void http_transfer_init(struct http_transfer *t, const char *url,
			const char *const *extra_headers,
			struct http_response *resp);
/* Frees what setup allocated; t may be set up again after
 * http_transfer_init. resp is not touched. */
void http_transfer_release(struct http_transfer *t);

/* curl_global_init, once per process (not thread-safe: call it from the
 * main thread). Returns 0, or -1 after reporting. */
int http_global_init(struct report *rep);

/*
 * Configures h for t with every option of the contract in ingest.h
 * (protocols, redirects, timeouts, decoding, TLS, proxy, guard, callbacks,
 * CURLOPT_PRIVATE = t). opts need not outlive the call; t must outlive the
 * transfer. Returns 0, or -1 after reporting an error naming t->url: a
 * scheme other than http(s), credentials in the URL, an invalid CIDR in
 * opts->allow_private, or an option libcurl refused.
 */
int http_easy_setup(CURL *h, const struct http_options *opts,
		    struct http_transfer *t, struct report *rep);

/*
 * Completes t after curl finished with code: sets resp->status and
 * resp->effective_url, and on failure fills t->error and reports it
 * naming t->url, with a hint (the guard's refusal and the body limit take
 * precedence over curl's generic code). rep may be NULL to only fill
 * t->error. Returns 0 when an HTTP response arrived, else -1.
 */
int http_transfer_finish(struct http_transfer *t, CURL *h, CURLcode code,
			 struct report *rep);

/* Parses a Retry-After value (RFC 9110 §10.2.3): delay-seconds or an
 * HTTP-date, relative to now. Returns seconds (0 for a past date), or -1
 * when v is neither. v need not be NUL-terminated. */
long http_parse_retry_after(const char *v, size_t len, int64_t now);

/* Splits a Content-Type value into a lower-cased media type and charset
 * (unquoted, lower-cased); either is set to NULL when absent. The caller
 * frees both. */
void http_parse_content_type(const char *v, size_t len, char **media_type,
			     char **charset);

#endif
