/*
 * xpost_common: what the three networks share: answers, requests through
 * the one HTTP client, error sorting, JSON and form helpers, record keys.
 */
#include "publish/xpost_private.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/xmalloc.h"

void
xpost_answer_init(struct xpost_answer *a)
{
	a->remote_id = a->remote_url = NULL;
	a->retry_after = -1;
	a->is_unsent = false;
	buf_init(&a->error, 0);
}

void
xpost_answer_clear(struct xpost_answer *a)
{
	free(a->remote_id);
	free(a->remote_url);
	a->remote_id = a->remote_url = NULL;
	a->retry_after = -1;
	a->is_unsent = false;
	buf_clear(&a->error);
}

void
xpost_answer_release(struct xpost_answer *a)
{
	xpost_answer_clear(a);
	buf_release(&a->error);
}

void
xpost_post_init(struct xpost_post *p)
{
	memset(p, 0, sizeof(*p));
	buf_init(&p->text, 0);
}

void
xpost_post_release(struct xpost_post *p)
{
	buf_release(&p->text);
	json_decref(p->payload);
	free(p->endpoint);
	xpost_post_init(p);
}

/* Random bytes; falls back to the clock and pid only if the kernel has no
 * entropy to give (keys must be unique, not secret). */
static void
random_bytes(unsigned char *out, size_t len)
{
	ssize_t got = getrandom(out, len, 0);
	size_t i;

	if (got == (ssize_t)len)
		return;
	for (i = 0; i < len; i++)
		out[i] = (unsigned char)(rand() ^ (getpid() >> (i % 8)));
}

void
xpost_uuid(char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, j = 0;

	random_bytes(b, sizeof(b));
	/* RFC 9562 §5.4: version 4, variant 10 */
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[b[i] >> 4];
		out[j++] = hex[b[i] & 15];
	}
	out[j] = '\0';
}

void
xpost_tid(int64_t micros, unsigned clock_id, char *out)
{
	/* atproto "Record Key" spec, TID syntax: base32-sortable, 13 chars,
	 * the top bit always 0 */
	static const char alphabet[] = "234567abcdefghijklmnopqrstuvwxyz";
	uint64_t v = (((uint64_t)micros & ((UINT64_C(1) << 53) - 1)) << 10) |
		     (clock_id & 1023u);
	int i;

	for (i = 12; i >= 0; i--) {
		out[i] = alphabet[v & 31];
		v >>= 5;
	}
	out[13] = '\0';
}

json_t *
xpost_json(const struct http_response *resp)
{
	if (!resp->body.len)
		return NULL;
	return json_loadb(resp->body.ptr, resp->body.len, 0, NULL);
}

const char *
xpost_json_string(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void
xpost_url_encode(const char *s, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			buf_addc(out, (char)*p);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[*p >> 4]);
			buf_addc(out, hex[*p & 15]);
		}
	}
}

/* The first message line of a collecting reporter, without its level. */
static void
first_message(const struct buf *collected, struct buf *out)
{
	const char *p = collected->ptr, *nl;

	if (strncmp(p, "error: ", 7) == 0)
		p += 7;
	nl = strchr(p, '\n');
	buf_add(out, p, nl ? (size_t)(nl - p) : strlen(p));
}

int
xpost_request_raw(struct xpost_session *s, const char *method,
		  const char *url, const char *auth, const char *body,
		  size_t body_len, const char *content_type,
		  const char *const *more_headers, struct http_response *resp,
		  struct xpost_answer *a)
{
	const char *headers[12];
	struct http_request req = { method, url, body, body_len,
				    content_type, headers };
	struct report quiet;
	size_t n = 0, i;
	int rc;

	headers[n++] = "Accept: application/json";
	if (auth)
		headers[n++] = auth;
	for (i = 0; more_headers && more_headers[i] && n < 11; i++)
		headers[n++] = more_headers[i];
	headers[n] = NULL;
	/* Messages are collected, redacted with the session's secrets, and
	 * given to the caller, who decides whether this is an error. */
	report_init_collect(&quiet);
	for (i = 0; i < s->rep->nsecrets; i++)
		report_add_secret(&quiet, s->rep->secrets[i]);
	rc = http_request(&quiet, s->http, &req, resp);
	a->is_unsent = false;
	if (rc != 0) {
		first_message(&quiet.collected, &a->error);
		/* NOTE: matches http.c's messages for failures before the
		 * connection (describe_failure) */
		a->is_unsent = strstr(a->error.ptr, ": cannot connect to '") ||
			       strstr(a->error.ptr, ": cannot resolve ") ||
			       strstr(a->error.ptr, ": refused");
	}
	report_release(&quiet);
	return rc;
}

int
xpost_request(struct xpost_session *s, const char *method, const char *url,
	      const char *auth, const json_t *json_body, const char *form,
	      const char *const *more_headers, struct http_response *resp,
	      struct xpost_answer *a)
{
	char *body = NULL;
	int rc;

	if (json_body) {
		body = json_dumps(json_body, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!body) {
			buf_adds(&a->error, "cannot encode the request");
			return -1;
		}
		rc = xpost_request_raw(s, method, url, auth, body, strlen(body),
				       "application/json", more_headers, resp,
				       a);
		free(body);
		return rc;
	}
	if (form)
		return xpost_request_raw(s, method, url, auth, form,
					 strlen(form),
					 "application/x-www-form-urlencoded",
					 more_headers, resp, a);
	return xpost_request_raw(s, method, url, auth, NULL, 0, NULL,
				 more_headers, resp, a);
}

/* The message of an API error body: Mastodon {"error": "..."}, atproto
 * {"error": "Name", "message": "..."}, Graph API {"error": {"message",
 * "code", ...}}. */
static void
add_error_message(const json_t *body, struct buf *out)
{
	const json_t *error = json_object_get(body, "error");
	const char *name = json_string_value(error);
	const char *message = xpost_json_string(body, "message");

	if (json_is_object(error)) {
		message = xpost_json_string(error, "message");
		if (json_integer_value(json_object_get(error, "code")))
			buf_addf(out, ": code %lld",
				 (long long)json_integer_value(
					 json_object_get(error, "code")));
	}
	if (name)
		buf_addf(out, ": %s", name);
	if (message)
		buf_addf(out, "%s %s", name ? " -" : ":", message);
}

enum xpost_status
xpost_sort_status(const struct http_response *resp, struct xpost_answer *a)
{
	json_t *body = xpost_json(resp);
	long st = resp->status;
	enum xpost_status status;

	buf_addf(&a->error, "HTTP %ld", st);
	add_error_message(body, &a->error);
	json_decref(body);
	if (st == 429) {
		a->retry_after = resp->retry_after;
		status = XPOST_RATE_LIMITED;
	} else if (st == 401 || st == 403) {
		status = XPOST_AUTH;
	} else if (st == 408 || st >= 500 || st < 200) {
		status = XPOST_TRANSIENT;
	} else {
		status = XPOST_REJECTED;
	}
	return status;
}

void
xpost_bearer(const char *token, struct buf *out)
{
	buf_clear(out);
	buf_addf(out, "Authorization: Bearer %s", token ? token : "");
}

enum xpost_status
xpost_no_answer(const struct xpost_answer *a)
{
	return a->is_unsent ? XPOST_UNREACHABLE : XPOST_TRANSIENT;
}
