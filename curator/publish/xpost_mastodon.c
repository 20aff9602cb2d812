/*
 * xpost_mastodon: statuses on a Mastodon instance.
 *
 * POST /api/v1/statuses with an Idempotency-Key: the server keeps the key
 * for about an hour and answers a resend with the same status, so a
 * `sending` entry younger than 55 minutes is simply sent again; an older
 * one is first looked for among the account's recent statuses
 * (GET /api/v1/accounts/verify_credentials, then
 * GET /api/v1/accounts/:id/statuses). Limits come from GET
 * /api/v2/instance (configuration.statuses).
 */
#include "publish/xpost_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#define DEFAULT_MAX_CHARACTERS 500
#define DEFAULT_URL_LENGTH 23
#define KEY_LIFETIME_S (55 * 60)
#define STATUSES_PAGE 40

struct mastodon {
	size_t max_characters;
	size_t url_length;
};

static const char *
secret_env(const struct config *cfg)
{
	return cfg->crosspost.mastodon.is_enabled
		       ? cfg->crosspost.mastodon.token_env
		       : NULL;
}

static void
api_url(const struct xpost_session *s, const char *path, struct buf *out)
{
	buf_clear(out);
	buf_addf(out, "%s%s", s->cfg->crosspost.mastodon.instance, path);
}

static enum xpost_status
open_mastodon(struct xpost_session *s)
{
	struct mastodon *m = xcalloc(1, sizeof(*m));
	struct http_response resp;
	struct xpost_answer a;
	struct buf url = BUF_INIT;
	json_t *body = NULL, *statuses;
	json_int_t v;

	s->data = m;
	m->max_characters = DEFAULT_MAX_CHARACTERS;
	m->url_length = DEFAULT_URL_LENGTH;
	http_response_init(&resp);
	xpost_answer_init(&a);
	api_url(s, "/api/v2/instance", &url);
	if (xpost_request(s, "GET", url.ptr, NULL, NULL, NULL, NULL, &resp,
			  &a) != 0 ||
	    resp.status != 200) {
		report_warn(s->rep, NULL,
			    "mastodon: cannot read the instance's limits; "
			    "counting %d characters, URLs as %d",
			    DEFAULT_MAX_CHARACTERS, DEFAULT_URL_LENGTH);
		goto out;
	}
	body = xpost_json(&resp);
	statuses = json_object_get(json_object_get(body, "configuration"),
				   "statuses");
	v = json_integer_value(json_object_get(statuses, "max_characters"));
	if (v > 0 && v < 1000000)
		m->max_characters = (size_t)v;
	v = json_integer_value(
		json_object_get(statuses, "characters_reserved_per_url"));
	if (v > 0 && v < 10000)
		m->url_length = (size_t)v;
out:
	json_decref(body);
	buf_release(&url);
	http_response_release(&resp);
	xpost_answer_release(&a);
	return XPOST_DONE;
}

static size_t
measure(const struct xpost_session *s, const char *text, size_t len)
{
	const struct mastodon *m = s->data;

	return xpost_mastodon_length(text, len, m->url_length);
}

static int
compose(struct xpost_session *s, struct xpost_post *post)
{
	const struct mastodon *m = s->data;
	struct buf url = BUF_INIT, endpoint = BUF_INIT;

	if (xpost_fit(s, post->item, measure, m->max_characters, &post->text,
		      &post->length) != 0)
		return -1;
	post->max_length = m->max_characters;
	snprintf(post->unit, sizeof(post->unit),
		 "characters, every URL counted as %zu", m->url_length);
	post->payload = json_pack(
		"{s:s,s:s,s:s}", "status", post->text.ptr, "visibility",
		config_visibility_name(s->cfg->crosspost.mastodon.visibility),
		"language", post->item->language);
	api_url(s, "/api/v1/statuses", &url);
	buf_addf(&endpoint, "POST %s (Idempotency-Key: a new UUID)", url.ptr);
	post->endpoint = buf_detach(&endpoint, NULL);
	buf_release(&url);
	return post->payload ? 0 : -1;
}

static void
take_status(const json_t *status, struct xpost_answer *a)
{
	const char *id = xpost_json_string(status, "id");
	const char *url = xpost_json_string(status, "url");

	a->remote_id = id ? xstrdup(id) : NULL;
	a->remote_url = url ? xstrdup(url) : NULL;
}

static enum xpost_status
send(struct xpost_session *s, const struct xpost_post *post, const char *key,
     struct xpost_answer *a)
{
	struct buf url = BUF_INIT, auth = BUF_INIT, idem = BUF_INIT;
	struct http_response resp;
	const char *more[2];
	enum xpost_status st;
	json_t *body = NULL;

	http_response_init(&resp);
	api_url(s, "/api/v1/statuses", &url);
	xpost_bearer(s->token, &auth);
	buf_addf(&idem, "Idempotency-Key: %s", key);
	more[0] = idem.ptr;
	more[1] = NULL;
	if (xpost_request(s, "POST", url.ptr, auth.ptr, post->payload, NULL,
			  more, &resp, a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	if (resp.status == 200 && xpost_json_string(body, "id")) {
		take_status(body, a);
		st = XPOST_DONE;
	} else if (resp.status >= 200 && resp.status < 300) {
		/* accepted, but no status came back: it may exist */
		buf_addf(&a->error, "HTTP %ld without a status",
			 resp.status);
		st = XPOST_TRANSIENT;
	} else {
		st = xpost_sort_status(&resp, a);
	}
out:
	json_decref(body);
	buf_release(&url);
	buf_release(&auth);
	buf_release(&idem);
	http_response_release(&resp);
	return st;
}

/* Whether an HTML status content links to url (as written or with & as
 * &amp;). */
static bool
mentions(const char *content, const char *url)
{
	struct buf escaped = BUF_INIT;
	const char *p;
	bool found;

	if (!content)
		return false;
	if (strstr(content, url))
		return true;
	for (p = url; *p; p++) {
		if (*p == '&')
			buf_adds(&escaped, "&amp;");
		else
			buf_addc(&escaped, *p);
	}
	found = strstr(content, escaped.ptr) != NULL;
	buf_release(&escaped);
	return found;
}

static enum xpost_status
check(struct xpost_session *s, const struct xpost_post *post,
      const struct store_outbox_entry *entry, struct xpost_answer *a)
{
	struct buf url = BUF_INIT, auth = BUF_INIT, path = BUF_INIT;
	struct http_response resp;
	json_t *body = NULL, *status;
	const char *id, *created;
	enum xpost_status st;
	int64_t oldest = 0, t;
	size_t i;

	if (entry->sending_since && s->now - entry->sending_since <
					    KEY_LIFETIME_S)
		return XPOST_RESEND;
	http_response_init(&resp);
	xpost_bearer(s->token, &auth);
	api_url(s, "/api/v1/accounts/verify_credentials", &url);
	if (xpost_request(s, "GET", url.ptr, auth.ptr, NULL, NULL, NULL,
			  &resp, a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	id = xpost_json_string(body, "id");
	if (resp.status != 200 || !id) {
		st = resp.status == 200 ? XPOST_UNDECIDED
					: xpost_sort_status(&resp, a);
		goto out;
	}
	buf_addf(&path, "/api/v1/accounts/%s/statuses?limit=%d", id,
		 STATUSES_PAGE);
	api_url(s, path.ptr, &url);
	json_decref(body);
	body = NULL;
	if (xpost_request(s, "GET", url.ptr, auth.ptr, NULL, NULL, NULL,
			  &resp, a) != 0) {
		st = xpost_no_answer(a);
		goto out;
	}
	body = xpost_json(&resp);
	if (resp.status != 200 || !json_is_array(body)) {
		st = resp.status == 200 ? XPOST_UNDECIDED
					: xpost_sort_status(&resp, a);
		goto out;
	}
	json_array_foreach(body, i, status) {
		if (mentions(xpost_json_string(status, "content"),
			     post->item->url)) {
			take_status(status, a);
			st = XPOST_DONE;
			goto out;
		}
		created = xpost_json_string(status, "created_at");
		if (created && date_parse(created, strlen(created), &t) == 0 &&
		    (oldest == 0 || t < oldest))
			oldest = t;
	}
	/* absent only if the page reaches back before the first send */
	if (json_array_size(body) < STATUSES_PAGE ||
	    (oldest && oldest < entry->sending_since - 60)) {
		st = XPOST_ABSENT;
	} else {
		buf_adds(&a->error, "not among the account's last statuses, "
				    "which do not reach back to the first "
				    "attempt");
		st = XPOST_UNDECIDED;
	}
out:
	json_decref(body);
	buf_release(&url);
	buf_release(&auth);
	buf_release(&path);
	http_response_release(&resp);
	return st;
}

static void
new_key(char *out)
{
	xpost_uuid(out);
}

static void
close_mastodon(struct xpost_session *s)
{
	free(s->data);
	s->data = NULL;
}

const struct xpost_network xpost_mastodon = {
	.name = "mastodon",
	.secret_env = secret_env,
	.secret_key = "crosspost.mastodon.token_env",
	.open = open_mastodon,
	.compose = compose,
	.send = send,
	.check = check,
	.new_key = new_key,
	.close = close_mastodon,
};
