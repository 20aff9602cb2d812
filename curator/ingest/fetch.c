/*
 * fetch: many transfers at once in one libcurl multi event loop, with a
 * queue per host so that a slow host holds at most per_host slots.
 */
#include "ingest/http_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xmalloc.h"

/* One transfer slot: an easy handle reused from transfer to transfer (its
 * connections stay in the multi handle's cache). */
struct slot {
	CURL *h;
	bool is_busy;
	size_t req;                 /* index of the request it carries */
	struct http_transfer t;
	struct http_response resp;
	struct buf if_none_match;
	struct buf if_modified_since;
};

struct loop {
	struct report *rep;
	const struct fetch_options *opts;
	const struct fetch_request *reqs;
	size_t n;
	CURLM *multi;
	struct slot *slots;
	size_t nslots;
	size_t active;
	size_t *host_of;            /* host index of each request */
	size_t *host_active;        /* transfers running per host */
	char **hosts;               /* sorted, unique */
	size_t nhosts;
	bool *is_started;           /* per request */
	size_t first_waiting;       /* no request before it is waiting */
};

bool
fetch_is_local(const char *url)
{
	size_t i;

	if (strncasecmp(url, "file:", 5) == 0)
		return true;
	/* RFC 3986 §3.1: a scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" /
	 * "." ) followed by ":" */
	for (i = 0; url[i]; i++) {
		if (url[i] == ':')
			return i == 0;
		if (!((url[i] >= 'a' && url[i] <= 'z') ||
		      (url[i] >= 'A' && url[i] <= 'Z') ||
		      (i > 0 && ((url[i] >= '0' && url[i] <= '9') ||
				 url[i] == '+' || url[i] == '-' ||
				 url[i] == '.'))))
			return true;
	}
	return true;
}

/* file:///path or file://localhost/path -> /path with %XX decoded;
 * -1 for another host or a relative file: URL. */
static int
file_url_to_path(const char *url, struct buf *path)
{
	const char *p = url + 5;
	unsigned int c;

	if (strncmp(p, "//", 2) != 0)
		return -1;
	p += 2;
	if (strncasecmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/')
		return -1;
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '%' && sscanf(p + 1, "%2x", &c) == 1 && c) {
			buf_addc(path, (char)c);
			p += 2;
		} else {
			buf_addc(path, *p);
		}
	}
	return 0;
}

/* The file a local source names, or -1 with err set. */
static int
local_path(const char *url, const char *local_dir, struct buf *path,
	   struct buf *err)
{
	if (strncasecmp(url, "file:", 5) == 0) {
		if (file_url_to_path(url, path) == 0)
			return 0;
		buf_adds(err, "only file:///absolute/path URLs are read");
		return -1;
	}
	if (url[0] == '/') {
		buf_adds(err, "a local source is a path relative to the site "
			      "folder or a file:/// URL");
		return -1;
	}
	if (!local_dir) {
		buf_adds(err, "local paths are read only from the site's "
			      "subscriptions");
		return -1;
	}
	buf_addf(path, "%s/%s", local_dir, url);
	return 0;
}

int
fetch_read_local(const char *url, const char *local_dir, size_t max,
		 struct buf *out, struct buf *err)
{
	struct buf path = BUF_INIT;
	char chunk[65536];
	ssize_t got;
	int fd = -1, rc = -1;

	if (!max)
		max = HTTP_DEFAULT_MAX_BODY;
	if (local_path(url, local_dir, &path, err) != 0)
		goto out;
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		buf_addf(err, "cannot open: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			buf_addf(err, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		if ((size_t)got > max - out->len) {
			if (max % ((size_t)1 << 20) == 0)
				buf_addf(err, "larger than %zu MiB",
					 max >> 20);
			else
				buf_addf(err, "larger than %zu bytes", max);
			goto out;
		}
		buf_add(out, chunk, (size_t)got);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	return rc;
}

/* "host:port", lower-cased, for the per-host queue; the URL itself when
 * curl cannot parse it (it fails alone later). */
static char *
host_key(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *key, *p;
	struct buf b = BUF_INIT;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK)
		buf_addf(&b, "%s:%s", host, port);
	else
		buf_adds(&b, url);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	key = buf_detach(&b, NULL);
	for (p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return key;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Gives each network request the index of its host in l->hosts. */
static void
index_hosts(struct loop *l)
{
	char **keys = xcalloc(l->n ? l->n : 1, sizeof(*keys));
	size_t i, j, nkeys = 0;
	char **found;

	for (i = 0; i < l->n; i++)
		if (!fetch_is_local(l->reqs[i].url))
			keys[nkeys++] = host_key(l->reqs[i].url);
	qsort(keys, nkeys, sizeof(*keys), compare_strings);
	l->hosts = xcalloc(nkeys ? nkeys : 1, sizeof(*l->hosts));
	for (i = 0; i < nkeys; i++) {
		if (l->nhosts && strcmp(l->hosts[l->nhosts - 1], keys[i]) == 0)
			free(keys[i]);
		else
			l->hosts[l->nhosts++] = keys[i];
	}
	free(keys);
	l->host_active = xcalloc(l->nhosts ? l->nhosts : 1,
				 sizeof(*l->host_active));
	for (i = 0; i < l->n; i++) {
		char *key;

		if (fetch_is_local(l->reqs[i].url))
			continue;
		key = host_key(l->reqs[i].url);
		found = bsearch(&key, l->hosts, l->nhosts, sizeof(*l->hosts),
				compare_strings);
		j = found ? (size_t)(found - l->hosts) : 0;
		l->host_of[i] = j;
		free(key);
	}
}

/* Hands one finished request to the caller. */
static void
deliver(struct loop *l, size_t req, int rc, const char *error,
	bool is_local, struct http_response *resp)
{
	struct fetch_result res;

	res.rc = rc;
	res.error = rc == 0 ? NULL : error;
	res.is_local = is_local;
	res.resp = resp;
	l->opts->on_done(&l->reqs[req], &res, l->opts->ctx);
}

/* A validator for a local file, as an ETag would be: its modification
 * time and size, so that an unchanged file is not parsed again. */
static char *
local_etag(const char *url, const char *local_dir)
{
	struct buf path = BUF_INIT, err = BUF_INIT, tag = BUF_INIT;
	struct stat sb;

	if (local_path(url, local_dir, &path, &err) == 0 &&
	    stat(path.ptr, &sb) == 0)
		buf_addf(&tag, "\"local-%lld.%09ld-%lld\"",
			 (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec,
			 (long long)sb.st_size);
	buf_release(&path);
	buf_release(&err);
	if (!tag.len) {
		buf_release(&tag);
		return NULL;
	}
	return buf_detach(&tag, NULL);
}

static void
run_local(struct loop *l, size_t req)
{
	const struct fetch_request *r = &l->reqs[req];
	struct http_response resp;
	struct buf err = BUF_INIT;
	size_t max = l->opts->http ? l->opts->http->max_body : 0;
	char *etag = local_etag(r->url, l->opts->local_dir);
	int rc = 0;

	http_response_init(&resp);
	if (etag && r->etag && strcmp(etag, r->etag) == 0) {
		resp.status = 304;
	} else {
		rc = fetch_read_local(r->url, l->opts->local_dir, max,
				      &resp.body, &err);
		resp.status = rc == 0 ? 200 : 0;
	}
	if (rc == 0) {
		resp.effective_url = xstrdup(r->url);
		resp.etag = etag;
		etag = NULL;
	}
	free(etag);
	deliver(l, req, rc, err.ptr, true, &resp);
	http_response_release(&resp);
	buf_release(&err);
}

/* Whether a header value is safe to send back: a validator from a
 * server could hold anything, but never a line break. */
static bool
is_header_value(const char *v)
{
	return v && *v && !strpbrk(v, "\r\n");
}

/* The first collected error, "error: URL: message\n", as "message". */
static void
take_message(struct report *rep, const char *url, struct buf *out)
{
	const char *msg = rep->collected.ptr, *nl;
	size_t ulen = strlen(url);

	if (strncmp(msg, "error: ", 7) == 0)
		msg += 7;
	if (strncmp(msg, url, ulen) == 0 && msg[ulen] == ':' &&
	    msg[ulen + 1] == ' ')
		msg += ulen + 2;
	nl = strchr(msg, '\n');
	buf_add(out, msg, nl ? (size_t)(nl - msg) : strlen(msg));
}

/* Starts request req in slot s. A request that cannot even be set up is
 * delivered failed at once. */
static void
start(struct loop *l, struct slot *s, size_t req)
{
	const struct fetch_request *r = &l->reqs[req];
	const char *headers[3];
	size_t nheaders = 0;
	struct report rep;
	struct buf error = BUF_INIT;
	CURLMcode mc;

	l->is_started[req] = true;
	buf_clear(&s->if_none_match);
	buf_clear(&s->if_modified_since);
	if (is_header_value(r->etag)) {
		buf_addf(&s->if_none_match, "If-None-Match: %s", r->etag);
		headers[nheaders++] = s->if_none_match.ptr;
	}
	if (is_header_value(r->last_modified)) {
		buf_addf(&s->if_modified_since, "If-Modified-Since: %s",
			 r->last_modified);
		headers[nheaders++] = s->if_modified_since.ptr;
	}
	headers[nheaders] = NULL;
	http_transfer_init(&s->t, r->url, headers, &s->resp);
	curl_easy_reset(s->h);
	/* The setup's message, if any, goes to the result, not to the
	 * terminal: the caller records it with the source. */
	report_init_collect(&rep);
	if (http_easy_setup(s->h, l->opts->http, &s->t, &rep) != 0)
		goto failed;
	/* HTTP/2 over TLS when the server offers it, HTTP/1.1 otherwise. */
	curl_easy_setopt(s->h, CURLOPT_HTTP_VERSION,
			 (long)CURL_HTTP_VERSION_2TLS);
	mc = curl_multi_add_handle(l->multi, s->h);
	if (mc != CURLM_OK) {
		buf_addf(&error, "cannot start the transfer (%s)",
			 curl_multi_strerror(mc));
		goto failed_error;
	}
	s->is_busy = true;
	s->req = req;
	l->active++;
	l->host_active[l->host_of[req]]++;
	report_release(&rep);
	return;
failed:
	take_message(&rep, r->url, &error);
failed_error:
	http_transfer_release(&s->t);
	deliver(l, req, -1, error.ptr, false, &s->resp);
	http_response_release(&s->resp);
	report_release(&rep);
	buf_release(&error);
}

/* Fills free slots with waiting requests whose host has room, in the
 * order they were given. */
static void
fill(struct loop *l)
{
	size_t i, j;

	for (i = l->first_waiting; i < l->n && l->active < l->nslots; i++) {
		if (l->is_started[i]) {
			if (i == l->first_waiting)
				l->first_waiting++;
			continue;
		}
		if (l->host_active[l->host_of[i]] >=
		    (l->opts->per_host ? l->opts->per_host
				       : FETCH_DEFAULT_PER_HOST))
			continue;
		for (j = 0; j < l->nslots && l->slots[j].is_busy; j++)
			;
		start(l, &l->slots[j], i);
		if (i == l->first_waiting)
			l->first_waiting++;
	}
}

static void
finish(struct loop *l, CURL *h, CURLcode code)
{
	struct slot *s = NULL;
	size_t i, req;
	int rc;

	for (i = 0; i < l->nslots; i++)
		if (l->slots[i].is_busy && l->slots[i].h == h)
			s = &l->slots[i];
	if (!s)
		return;
	curl_multi_remove_handle(l->multi, h);
	req = s->req;
	s->is_busy = false;
	l->active--;
	l->host_active[l->host_of[req]]--;
	rc = http_transfer_finish(&s->t, h, code, NULL);
	deliver(l, req, rc, s->t.error.ptr, false, &s->resp);
	http_transfer_release(&s->t);
	http_response_release(&s->resp);
}

static void
drain(struct loop *l)
{
	CURLMsg *msg;
	int left, running;

	curl_multi_perform(l->multi, &running);
	while ((msg = curl_multi_info_read(l->multi, &left)))
		if (msg->msg == CURLMSG_DONE)
			finish(l, msg->easy_handle, msg->data.result);
}

int
fetch_run(struct report *rep, const struct fetch_options *opts,
	  const struct fetch_request *reqs, size_t n)
{
	struct loop l;
	size_t i, jobs = opts->jobs ? opts->jobs : FETCH_DEFAULT_JOBS;
	size_t per_host = opts->per_host ? opts->per_host
					 : FETCH_DEFAULT_PER_HOST;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	l.rep = rep;
	l.opts = opts;
	l.reqs = reqs;
	l.n = n;
	if (http_global_init(rep) != 0)
		return -1;
	l.multi = curl_multi_init();
	if (!l.multi)
		return report_error(rep, NULL,
				    "cannot start the transfers (libcurl)");
	curl_multi_setopt(l.multi, CURLMOPT_PIPELINING,
			  (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(l.multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)per_host);
	curl_multi_setopt(l.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)jobs);
	l.nslots = jobs;
	l.slots = xcalloc(jobs, sizeof(*l.slots));
	for (i = 0; i < jobs; i++) {
		l.slots[i].h = curl_easy_init();
		http_response_init(&l.slots[i].resp);
		buf_init(&l.slots[i].if_none_match, 0);
		buf_init(&l.slots[i].if_modified_since, 0);
		if (!l.slots[i].h) {
			report_error(rep, NULL,
				     "cannot start a transfer (libcurl)");
			goto out;
		}
	}
	l.host_of = xcalloc(n ? n : 1, sizeof(*l.host_of));
	l.is_started = xcalloc(n ? n : 1, sizeof(*l.is_started));
	index_hosts(&l);
	/* Local files are marked started so that fill() skips them; they
	 * are read between two turns of the network loop. */
	for (i = 0; i < n; i++)
		if (fetch_is_local(reqs[i].url))
			l.is_started[i] = true;
	fill(&l);
	for (i = 0; i < n; i++) {
		if (!fetch_is_local(reqs[i].url))
			continue;
		run_local(&l, i);
		drain(&l);
		fill(&l);
	}
	while (l.active > 0) {
		drain(&l);
		fill(&l);
		if (l.active == 0)
			break;
		curl_multi_poll(l.multi, NULL, 0, 1000, NULL);
	}
	rc = 0;
out:
	for (i = 0; i < l.nslots; i++) {
		if (l.slots[i].is_busy)
			curl_multi_remove_handle(l.multi, l.slots[i].h);
		if (l.slots[i].h)
			curl_easy_cleanup(l.slots[i].h);
		http_response_release(&l.slots[i].resp);
		buf_release(&l.slots[i].if_none_match);
		buf_release(&l.slots[i].if_modified_since);
	}
	curl_multi_cleanup(l.multi);
	for (i = 0; i < l.nhosts; i++)
		free(l.hosts[i]);
	free(l.hosts);
	free(l.host_active);
	free(l.host_of);
	free(l.is_started);
	free(l.slots);
	return rc;
}
