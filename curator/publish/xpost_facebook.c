/*
 * xpost_facebook: posts on a Facebook page through the Graph API.
 *
 * POST /{page_id}/feed with message and link, form-encoded, the page
 * access token as the documented access_token parameter IN THE BODY
 * (never in the URL). The Graph API has no idempotency key: after a 5xx
 * or a timeout the page's recent posts (GET /{page_id}/feed, token in an
 * Authorization header) are searched for the item's link before anything
 * is sent again. Errors are Graph API error objects:
 * {"error": {"message", "type": "OAuthException", "code": 190, ...}}.
 */
#include "publish/xpost_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

/* A page post's message may hold 63,206 characters. */
#define MAX_LENGTH 63206
#define FEED_PAGE 50

static const char *
secret_env(const struct config *cfg)
{
	return cfg->crosspost.facebook.is_enabled
		       ? cfg->crosspost.facebook.token_env
		       : NULL;
}

static void
feed_url(const struct xpost_session *s, struct buf *out)
{
	buf_clear(out);
	buf_addf(out, "%s/%s/feed", s->cfg->crosspost.facebook.api,
		 s->cfg->crosspost.facebook.page_id);
}

static enum xpost_status
open_facebook(struct xpost_session *s)
{
	(void)s;
	return XPOST_DONE;
}

static size_t
measure(const struct xpost_session *s, const char *text, size_t len)
{
	(void)s;
	return utf8_graphemes(text, len);
}

static int
compose(struct xpost_session *s, struct xpost_post *post)
{
	struct buf url = BUF_INIT, endpoint = BUF_INIT;

	if (xpost_fit(s, post->item, measure, MAX_LENGTH, &post->text,
		      &post->length) != 0)
		return -1;
	post->max_length = MAX_LENGTH;
	snprintf(post->unit, sizeof(post->unit), "graphemes");
	post->payload = json_pack("{s:s,s:s}", "message", post->text.ptr,
				  "link", post->item->url);
	feed_url(s, &url);
	buf_adds(&url, " (form-encoded, with access_token in the body)");
	buf_adds(&endpoint, "POST ");
	buf_add(&endpoint, url.ptr, url.len);
	post->endpoint = buf_detach(&endpoint, NULL);
	buf_release(&url);
	return post->payload ? 0 : -1;
}

/* Graph API error codes (developers.facebook.com/docs/graph-api/guides/
 * error-handling): 4, 17, 32, 613 and 80001-80014 are rate limits; 190
 * and 102 an invalid or expired token; 10 and 200-299 a missing
 * permission; 1 and 2 temporary; 12 a version no longer served. */
static enum xpost_status
sort(const struct http_response *resp, const json_t *body,
     struct xpost_answer *a)
{
	enum xpost_status st = xpost_sort_status(resp, a);
	const json_t *error = json_object_get(body, "error");
	json_int_t code = json_integer_value(json_object_get(error, "code"));

	if (code == 4 || code == 17 || code == 32 || code == 613 ||
	    (code >= 80001 && code <= 80014)) {
		a->retry_after = resp->retry_after;
		st = XPOST_RATE_LIMITED;
	} else if (code == 190 || code == 102 || code == 10 ||
		   (code >= 200 && code <= 299)) {
		st = XPOST_AUTH;
	} else if (code == 1 || code == 2) {
		st = XPOST_TRANSIENT;
	} else if (code == 12) {
		buf_adds(&a->error, " (update crosspost.facebook.api to a "
				    "current Graph API version)");
		st = XPOST_REJECTED;
	}
	return st;
}

static void
take_post(const char *id, struct xpost_answer *a)
{
	struct buf url = BUF_INIT;

	a->remote_id = xstrdup(id);
	buf_addf(&url, "https://www.facebook.com/%s", id);
	a->remote_url = buf_detach(&url, NULL);
}

static enum xpost_status
send(struct xpost_session *s, const struct xpost_post *post, const char *key,
     struct xpost_answer *a)
{
	struct buf url = BUF_INIT, form = BUF_INIT;
	struct http_response resp;
	enum xpost_status st;
	json_t *body = NULL;
	const char *id;

	(void)key;
	http_response_init(&resp);
	feed_url(s, &url);
	buf_adds(&form, "message=");
	xpost_url_encode(post->text.ptr, &form);
	buf_adds(&form, "&link=");
	xpost_url_encode(post->item->url, &form);
	buf_adds(&form, "&access_token=");
	xpost_url_encode(s->token, &form);
	if (xpost_request(s, "POST", url.ptr, NULL, NULL, form.ptr, NULL,
			  &resp, a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	id = xpost_json_string(body, "id");
	if (resp.status == 200 && id) {
		take_post(id, a);
		st = XPOST_DONE;
	} else if (resp.status == 200) {
		buf_adds(&a->error, "HTTP 200 without a post id");
		st = XPOST_TRANSIENT;
	} else {
		st = sort(&resp, body, a);
	}
out:
	/* the form holds the token: wipe it before it is freed */
	memset(form.ptr, 0, form.len);
	json_decref(body);
	buf_release(&url);
	buf_release(&form);
	http_response_release(&resp);
	return st;
}

static bool
same_link(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return false;
	la = strlen(a);
	lb = strlen(b);
	if (la && a[la - 1] == '/')
		la--;
	if (lb && b[lb - 1] == '/')
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

static enum xpost_status
check(struct xpost_session *s, const struct xpost_post *post,
      const struct store_outbox_entry *entry, struct xpost_answer *a)
{
	struct buf url = BUF_INIT, auth = BUF_INIT;
	struct http_response resp;
	enum xpost_status st;
	json_t *body = NULL, *data, *p;
	const char *message, *created;
	int64_t oldest = 0, t;
	size_t i;

	http_response_init(&resp);
	feed_url(s, &url);
	buf_addf(&url, "?fields=id,link,message,created_time&limit=%d",
		 FEED_PAGE);
	xpost_bearer(s->token, &auth);
	if (xpost_request(s, "GET", url.ptr, auth.ptr, NULL, NULL, NULL, &resp,
			  a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	data = json_object_get(body, "data");
	if (resp.status != 200 || !json_is_array(data)) {
		st = resp.status == 200 ? XPOST_UNDECIDED
					: sort(&resp, body, a);
		goto out;
	}
	json_array_foreach(data, i, p) {
		message = xpost_json_string(p, "message");
		if (xpost_json_string(p, "id") &&
		    (same_link(xpost_json_string(p, "link"), post->item->url) ||
		     (message && strstr(message, post->item->url)))) {
			take_post(xpost_json_string(p, "id"), a);
			st = XPOST_DONE;
			goto out;
		}
		created = xpost_json_string(p, "created_time");
		if (created && date_parse(created, strlen(created), &t) == 0 &&
		    (oldest == 0 || t < oldest))
			oldest = t;
	}
	if (json_array_size(data) < FEED_PAGE ||
	    (oldest && oldest < entry->sending_since - 60)) {
		st = XPOST_ABSENT;
	} else {
		buf_adds(&a->error, "not among the page's last posts, which "
				    "do not reach back to the first attempt");
		st = XPOST_UNDECIDED;
	}
out:
	json_decref(body);
	buf_release(&url);
	buf_release(&auth);
	http_response_release(&resp);
	return st;
}

static void
new_key(char *out)
{
	/* the Graph API takes no key: this one only names the attempt in
	 * the outbox and the ledger */
	xpost_uuid(out);
}

const struct xpost_network xpost_facebook = {
	.name = "facebook",
	.secret_env = secret_env,
	.secret_key = "crosspost.facebook.token_env",
	.open = open_facebook,
	.compose = compose,
	.send = send,
	.check = check,
	.new_key = new_key,
	.close = NULL,
};
