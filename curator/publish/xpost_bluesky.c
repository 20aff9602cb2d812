/*
 * xpost_bluesky: posts on Bluesky through the atproto XRPC API.
 *
 * com.atproto.server.createSession (handle + app password) gives a session
 * token; each post is an app.bsky.feed.post record created with
 * com.atproto.repo.createRecord under a record key chosen here (a TID)
 * and written in the outbox before the request. A duplicate key answers
 * HTTP 500 today, so after a 5xx, a timeout or a crash the record is looked
 * up with com.atproto.repo.getRecord before anything is sent again. The
 * link is a richtext facet at its UTF-8 byte offsets, and an
 * app.bsky.embed.external card carries the title, the note and the
 * image (uploaded with com.atproto.repo.uploadBlob).
 */
#include "publish/xpost_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "core/date.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#define MAX_GRAPHEMES 300
#define MAX_BYTES 3000
#define CARD_DESCRIPTION_MAX 300
#define BLOB_MAX_SIZE ((size_t)1000000)
#define COLLECTION "app.bsky.feed.post"

struct bluesky {
	char *did;             /* the account's DID, from the session */
	char *access_jwt;      /* a secret (registered) */
};

/* The TIDs' clock id, chosen at random once per run. */
static unsigned clock_id;

static const char *
secret_env(const struct config *cfg)
{
	return cfg->crosspost.bluesky.is_enabled
		       ? cfg->crosspost.bluesky.password_env
		       : NULL;
}

static void
xrpc_url(const struct xpost_session *s, const char *method, struct buf *out)
{
	buf_clear(out);
	buf_addf(out, "%s/xrpc/%s", s->cfg->crosspost.bluesky.service,
		 method);
}

/* The atproto error name of an answer ("RecordNotFound"), or "". */
static const char *
error_name(const json_t *body)
{
	const char *name = xpost_json_string(body, "error");

	return name ? name : "";
}

/* Sorts a failure, with atproto's token errors as AUTH and its rate
 * limit's RateLimit-Reset (a Unix time) as the wait. */
static enum xpost_status
sort(const struct http_response *resp, const json_t *body,
     struct xpost_answer *a)
{
	enum xpost_status st = xpost_sort_status(resp, a);
	const char *name = error_name(body);
	int64_t now = (int64_t)time(NULL);

	if (strcmp(name, "ExpiredToken") == 0 ||
	    strcmp(name, "InvalidToken") == 0 ||
	    strcmp(name, "AuthenticationRequired") == 0 ||
	    strcmp(name, "AccountTakedown") == 0)
		st = XPOST_AUTH;
	if (strcmp(name, "RateLimitExceeded") == 0)
		st = XPOST_RATE_LIMITED;
	if (st == XPOST_RATE_LIMITED && resp->retry_after < 0 &&
	    resp->ratelimit_reset >= 0)
		a->retry_after = resp->ratelimit_reset > 1000000000
					 ? (long)(resp->ratelimit_reset > now
							  ? resp->ratelimit_reset -
								    now
							  : 0)
					 : (long)resp->ratelimit_reset;
	return st;
}

static enum xpost_status
open_bluesky(struct xpost_session *s)
{
	struct bluesky *b = xcalloc(1, sizeof(*b));
	struct http_response resp;
	struct buf url = BUF_INIT;
	json_t *req = NULL, *body = NULL;
	const char *did, *jwt, *refresh;
	enum xpost_status st = XPOST_DONE;
	char u[37];

	s->data = b;
	/* a random clock id: two machines posting in the same microsecond
	 * still choose different keys */
	xpost_uuid(u);
	clock_id = (unsigned)strtoul(u + 33, NULL, 16) & 1023u;
	if (s->is_dry_run)
		return XPOST_DONE;
	http_response_init(&resp);
	xrpc_url(s, "com.atproto.server.createSession", &url);
	req = json_pack("{s:s,s:s}", "identifier",
			s->cfg->crosspost.bluesky.handle, "password",
			s->token);
	if (xpost_request(s, "POST", url.ptr, NULL, req, NULL, NULL, &resp,
			  &s->answer) != 0) {
		st = xpost_no_answer(&s->answer);
		goto out;
	}
	body = xpost_json(&resp);
	did = xpost_json_string(body, "did");
	jwt = xpost_json_string(body, "accessJwt");
	refresh = xpost_json_string(body, "refreshJwt");
	if (resp.status != 200) {
		st = sort(&resp, body, &s->answer);
		goto out;
	}
	if (!did || !jwt) {
		buf_adds(&s->answer.error, "createSession answered without "
					   "a session");
		st = XPOST_REJECTED;
		goto out;
	}
	report_add_secret(s->rep, jwt);
	if (refresh)
		report_add_secret(s->rep, refresh);
	b->did = xstrdup(did);
	b->access_jwt = xstrdup(jwt);
out:
	json_decref(req);
	json_decref(body);
	buf_release(&url);
	http_response_release(&resp);
	return st;
}

static size_t
measure(const struct xpost_session *s, const char *text, size_t len)
{
	(void)s;
	/* app.bsky.feed.post: text maxGraphemes 300, maxLength 3000 */
	if (len > MAX_BYTES)
		return MAX_GRAPHEMES + 1;
	return utf8_graphemes(text, len);
}

static void
created_at(int64_t now, char *out, size_t size)
{
	char when[DATE_RFC3339_SIZE];
	size_t n;

	date_format_rfc3339(now, when);
	n = strlen(when);
	/* "…:22Z" -> "…:22.000Z": atproto datetimes carry milliseconds */
	snprintf(out, size, "%.*s.000Z", (int)(n - 1), when);
}

static int
compose(struct xpost_session *s, struct xpost_post *post)
{
	const struct crosspost_item *item = post->item;
	struct bluesky *b = s->data;
	struct buf url = BUF_INIT, description = BUF_INIT;
	char when[DATE_RFC3339_SIZE + 8];
	json_t *record, *external;

	if (xpost_fit(s, item, measure, MAX_GRAPHEMES, &post->text,
		      &post->length) != 0)
		return -1;
	post->max_length = MAX_GRAPHEMES;
	snprintf(post->unit, sizeof(post->unit), "graphemes");
	created_at(s->now, when, sizeof(when));
	utf8_truncate_words(item->note, strlen(item->note),
			    CARD_DESCRIPTION_MAX, &description);
	external = json_pack("{s:s,s:s,s:s}", "uri", item->url, "title",
			     item->title, "description", description.ptr);
	if (item->image)
		/* replaced at send by the blob that uploadBlob returns */
		json_object_set_new(external, "thumb",
				    json_pack("{s:s}", "uploaded from",
					      item->image));
	record = json_pack("{s:s,s:s,s:o,s:[s],s:s,s:{s:s,s:o}}", "$type",
			   COLLECTION, "text", post->text.ptr, "facets",
			   xpost_bluesky_facets(post->text.ptr,
						post->text.len, item->url),
			   "langs", item->language, "createdAt", when, "embed",
			   "$type", "app.bsky.embed.external", "external",
			   external);
	post->payload = json_pack("{s:s,s:s,s:s,s:o}", "repo",
				  b->did ? b->did
					 : s->cfg->crosspost.bluesky.handle,
				  "collection", COLLECTION, "rkey",
				  "(a new TID)", "record", record);
	buf_adds(&url, "POST ");
	buf_addf(&url, "%s/xrpc/com.atproto.repo.createRecord",
		 s->cfg->crosspost.bluesky.service);
	post->endpoint = buf_detach(&url, NULL);
	buf_release(&description);
	return post->payload ? 0 : -1;
}

/* Uploads the item's image and returns the blob, or NULL (warned: the
 * card goes without a thumbnail). */
static json_t *
upload_thumb(struct xpost_session *s, const struct crosspost_item *item)
{
	struct bluesky *b = s->data;
	struct http_response img, resp;
	struct http_options opts = *s->http;
	struct report_pos pos = { item->key, 0, 0 };
	struct xpost_answer a;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	json_t *body = NULL, *blob = NULL;
	struct report quiet;
	size_t i;

	http_response_init(&img);
	http_response_init(&resp);
	xpost_answer_init(&a);
	report_init_collect(&quiet);
	for (i = 0; i < s->rep->nsecrets; i++)
		report_add_secret(&quiet, s->rep->secrets[i]);
	opts.max_body = BLOB_MAX_SIZE;
	if (http_get(&quiet, &opts, item->image, NULL, &img) != 0 ||
	    img.status != 200 || !img.content_type ||
	    strncmp(img.content_type, "image/", 6) != 0) {
		report_warn(s->rep, &pos, "bluesky: cannot use the image "
					  "'%s'; the card has no thumbnail",
			    item->image);
		goto out;
	}
	xrpc_url(s, "com.atproto.repo.uploadBlob", &url);
	xpost_bearer(b->access_jwt, &auth);
	if (xpost_request_raw(s, "POST", url.ptr, auth.ptr, img.body.ptr,
			      img.body.len, img.content_type, NULL, &resp,
			      &a) != 0 ||
	    resp.status != 200) {
		report_warn(s->rep, &pos, "bluesky: cannot upload the image "
					  "(HTTP %ld); the card has no "
					  "thumbnail",
			    resp.status);
		goto out;
	}
	body = xpost_json(&resp);
	blob = json_object_get(body, "blob");
	if (json_is_object(blob))
		json_incref(blob);
	else
		blob = NULL;
out:
	json_decref(body);
	report_release(&quiet);
	xpost_answer_release(&a);
	buf_release(&url);
	buf_release(&auth);
	http_response_release(&img);
	http_response_release(&resp);
	return blob;
}

static void
post_url(const struct xpost_session *s, const char *rkey, struct buf *out)
{
	buf_clear(out);
	buf_addf(out, "https://bsky.app/profile/%s/post/%s",
		 s->cfg->crosspost.bluesky.handle, rkey);
}

static enum xpost_status
send(struct xpost_session *s, const struct xpost_post *post, const char *key,
     struct xpost_answer *a)
{
	struct bluesky *b = s->data;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	struct http_response resp;
	enum xpost_status st;
	json_t *req, *body = NULL, *external, *blob;
	const char *uri;

	http_response_init(&resp);
	req = json_deep_copy(post->payload);
	json_object_set_new(req, "repo", json_string(b->did));
	json_object_set_new(req, "rkey", json_string(key));
	external = json_object_get(
		json_object_get(json_object_get(req, "record"), "embed"),
		"external");
	if (json_object_get(external, "thumb")) {
		json_object_del(external, "thumb");
		blob = upload_thumb(s, post->item);
		if (blob)
			json_object_set_new(external, "thumb", blob);
	}
	xrpc_url(s, "com.atproto.repo.createRecord", &url);
	xpost_bearer(b->access_jwt, &auth);
	if (xpost_request(s, "POST", url.ptr, auth.ptr, req, NULL, NULL, &resp,
			  a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	uri = xpost_json_string(body, "uri");
	if (resp.status == 200 && uri) {
		a->remote_id = xstrdup(uri);
		post_url(s, key, &url);
		a->remote_url = buf_detach(&url, NULL);
		st = XPOST_DONE;
	} else if (resp.status == 200) {
		buf_adds(&a->error, "HTTP 200 without a record");
		st = XPOST_TRANSIENT;
	} else {
		st = sort(&resp, body, a);
	}
out:
	json_decref(req);
	json_decref(body);
	buf_release(&url);
	buf_release(&auth);
	http_response_release(&resp);
	return st;
}

static enum xpost_status
check(struct xpost_session *s, const struct xpost_post *post,
      const struct store_outbox_entry *entry, struct xpost_answer *a)
{
	struct bluesky *b = s->data;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	struct http_response resp;
	enum xpost_status st;
	json_t *body = NULL;
	const char *uri;

	(void)post;
	http_response_init(&resp);
	if (!entry->send_key || !*entry->send_key) {
		buf_adds(&a->error, "no record key was kept");
		st = XPOST_UNDECIDED;
		goto out;
	}
	xrpc_url(s, "com.atproto.repo.getRecord", &url);
	buf_adds(&url, "?repo=");
	xpost_url_encode(b->did, &url);
	buf_adds(&url, "&collection=" COLLECTION "&rkey=");
	xpost_url_encode(entry->send_key, &url);
	xpost_bearer(b->access_jwt, &auth);
	if (xpost_request(s, "GET", url.ptr, auth.ptr, NULL, NULL, NULL, &resp,
			  a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	uri = xpost_json_string(body, "uri");
	if (resp.status == 200 && uri) {
		a->remote_id = xstrdup(uri);
		post_url(s, entry->send_key, &url);
		a->remote_url = buf_detach(&url, NULL);
		st = XPOST_DONE;
	} else if (resp.status == 400 &&
		   strcmp(error_name(body), "RecordNotFound") == 0) {
		st = XPOST_ABSENT;
	} else if (resp.status == 200) {
		buf_adds(&a->error, "getRecord answered without a record");
		st = XPOST_UNDECIDED;
	} else {
		st = sort(&resp, body, a);
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
	struct timeval tv;
	static int64_t last;
	int64_t micros;

	gettimeofday(&tv, NULL);
	micros = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	/* strictly increasing within a run */
	if (micros <= last)
		micros = last + 1;
	last = micros;
	xpost_tid(micros, clock_id, out);
}

static void
close_bluesky(struct xpost_session *s)
{
	struct bluesky *b = s->data;

	if (!b)
		return;
	free(b->did);
	free(b->access_jwt);
	free(b);
	s->data = NULL;
}

const struct xpost_network xpost_bluesky = {
	.name = "bluesky",
	.secret_env = secret_env,
	.secret_key = "crosspost.bluesky.password_env",
	.open = open_bluesky,
	.compose = compose,
	.send = send,
	.check = check,
	.new_key = new_key,
	.close = close_bluesky,
};
