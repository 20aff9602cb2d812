/*
 * http: the one place every HTTP request is configured, with the address
 * guard (netguard.c) on every connection curl opens.
 */
#include "ingest/http_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/xmalloc.h"

#define ALLOW_PRIVATE_ENV "CURATOR_ALLOW_PRIVATE"
#define RESOLVE_ENV "CURATOR_RESOLVE"

static bool is_curl_ready;

void
http_response_init(struct http_response *resp)
{
	resp->status = 0;
	buf_init(&resp->body, 0);
	resp->content_type = resp->charset = resp->effective_url = NULL;
	resp->etag = resp->last_modified = resp->moved_to = NULL;
	resp->retry_after = -1;
	resp->ratelimit_reset = -1;
}

void
http_response_release(struct http_response *resp)
{
	buf_release(&resp->body);
	free(resp->content_type);
	free(resp->charset);
	free(resp->effective_url);
	free(resp->etag);
	free(resp->last_modified);
	free(resp->moved_to);
	http_response_init(resp);
}

/* ------------------------------------------------------------ options */

static void
own(struct http_options *opts, void *p)
{
	opts->owned = xrealloc(opts->owned,
			       (opts->nowned + 1) * sizeof(*opts->owned));
	opts->owned[opts->nowned++] = p;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
trim(const char **s, const char **end)
{
	while (*s < *end && is_blank(**s))
		(*s)++;
	while (*end > *s && is_blank((*end)[-1]))
		(*end)--;
}

/* Appends the comma-separated entries of value to *list (a new array that
 * opts owns, holding the old entries first). Returns the index of the
 * first new entry. */
static size_t
add_env_list(struct http_options *opts, const char *value,
	     const char *const **list, size_t *n)
{
	const char **entries;
	const char *p = value, *end, *comma, *next;
	size_t cap = *n + 1, first = *n, count = *n;

	entries = xmalloc(cap * sizeof(*entries));
	if (count)
		memcpy(entries, *list, count * sizeof(*entries));
	while (*p) {
		comma = strchr(p, ',');
		next = comma ? comma + 1 : p + strlen(p);
		end = comma ? comma : next;
		trim(&p, &end);
		if (end > p) {
			entries = xgrow(entries, count + 1, &cap,
					sizeof(*entries));
			entries[count] = xmemdupz(p, (size_t)(end - p));
			own(opts, (void *)entries[count]);
			count++;
		}
		p = next;
	}
	own(opts, entries);
	*list = entries;
	*n = count;
	return first;
}

int
http_options_from_env(struct report *rep, struct http_options *opts)
{
	struct report_pos pos = { ALLOW_PRIVATE_ENV, 0, 0 };
	const char *value;
	size_t i;

	value = getenv(ALLOW_PRIVATE_ENV);
	if (value) {
		i = add_env_list(opts, value, &opts->allow_private,
				 &opts->nallow_private);
		for (; i < opts->nallow_private; i++) {
			if (http_cidr_is_valid(opts->allow_private[i],
					       strlen(opts->allow_private[i])))
				continue;
			report_error(rep, &pos, "invalid address range '%s'",
				     opts->allow_private[i]);
			report_hint(rep, "write comma-separated CIDRs, e.g. "
					 "%s=127.0.0.1/32,10.1.2.0/24,fd00::/8",
				    ALLOW_PRIVATE_ENV);
			return -1;
		}
	}
	value = getenv(RESOLVE_ENV);
	if (value)
		add_env_list(opts, value, &opts->resolve, &opts->nresolve);
	return 0;
}

void
http_options_release(struct http_options *opts)
{
	size_t i;

	for (i = 0; i < opts->nowned; i++)
		free(opts->owned[i]);
	free(opts->owned);
	opts->owned = NULL;
	opts->nowned = 0;
	opts->allow_private = NULL;
	opts->nallow_private = 0;
	opts->resolve = NULL;
	opts->nresolve = 0;
}

bool
http_cidr_is_valid(const char *s, size_t len)
{
	struct netguard_cidr c;

	return netguard_parse_cidr(s, len, &c) == 0;
}

/* ------------------------------------------------------------ headers */

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char *
dup_lower(const char *s, size_t len)
{
	char *r = xmemdupz(s, len);
	size_t i;

	for (i = 0; i < len; i++)
		r[i] = lower(r[i]);
	return r;
}

void
http_parse_content_type(const char *v, size_t len, char **media_type,
			char **charset)
{
	const char *end = v + len, *p, *semi, *eq, *name_end, *value;

	*media_type = *charset = NULL;
	semi = memchr(v, ';', len);
	p = semi ? semi : end;
	trim(&v, &p);
	if (p > v)
		*media_type = dup_lower(v, (size_t)(p - v));
	/* RFC 9110 §8.3.1: parameters are ; name=value, value a token or a
	 * quoted string, names case-insensitive */
	while (semi && !*charset) {
		p = semi + 1;
		semi = memchr(p, ';', (size_t)(end - p));
		name_end = semi ? semi : end;
		eq = memchr(p, '=', (size_t)(name_end - p));
		if (!eq)
			continue;
		value = eq + 1;
		trim(&p, &eq);
		if (eq - p != 7 || strncasecmp(p, "charset", 7) != 0)
			continue;
		trim(&value, &name_end);
		if (name_end - value >= 2 && *value == '"' &&
		    name_end[-1] == '"') {
			value++;
			name_end--;
		}
		if (name_end > value)
			*charset = dup_lower(value, (size_t)(name_end - value));
	}
}

long
http_parse_retry_after(const char *v, size_t len, int64_t now)
{
	const char *end = v + len;
	char text[64];
	long seconds = 0;
	time_t when;
	size_t i;

	trim(&v, &end);
	len = (size_t)(end - v);
	if (len == 0)
		return -1;
	for (i = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (i == len) {
		/* RFC 9110 §10.2.3: delay-seconds = 1*DIGIT; absurd values
		 * are capped rather than overflowing. */
		for (i = 0; i < len; i++) {
			if (seconds > (0x7fffffffL - 9) / 10)
				return 0x7fffffffL;
			seconds = seconds * 10 + (v[i] - '0');
		}
		return seconds;
	}
	if (len >= sizeof(text))
		return -1;
	memcpy(text, v, len);
	text[len] = '\0';
	when = curl_getdate(text, NULL);
	if (when == -1)
		return -1;
	if ((int64_t)when <= now)
		return 0;
	if ((int64_t)when - now > 0x7fffffffL)
		return 0x7fffffffL;
	return (long)((int64_t)when - now);
}

static void
replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* A new response begins (the first, one after a redirect, or the real one
 * after a 100 Continue): forget what the previous one said. */
static void
start_response(struct http_transfer *t)
{
	struct http_response *resp = t->resp;

	replace(&resp->content_type, NULL);
	replace(&resp->charset, NULL);
	replace(&resp->etag, NULL);
	replace(&resp->last_modified, NULL);
	resp->retry_after = -1;
	resp->ratelimit_reset = -1;
	buf_clear(&resp->body);
	t->body_bytes = 0;
	/* A response arrived, so any address refused before did not stop
	 * this transfer. */
	t->is_refused = false;
}

/* A whole number of at most 15 digits, else -1. */
static int64_t
parse_whole(const char *v, size_t len)
{
	int64_t n = 0;
	size_t i;

	if (len == 0 || len > 15)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

static bool
is_header(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* Whether a status line ("HTTP/1.1 302 Found", "HTTP/2 307") is a
 * redirect that does not move the resource for good (RFC 9110 §15.4). */
static bool
is_temporary_redirect(const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	size_t rest;

	if (!sp)
		return false;
	rest = len - (size_t)(sp + 1 - line);
	if (rest < 3)
		return false;
	return memcmp(sp + 1, "302", 3) == 0 || memcmp(sp + 1, "303", 3) == 0 ||
	       memcmp(sp + 1, "307", 3) == 0;
}

static size_t
on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct http_transfer *t = ctx;
	struct http_response *resp = t->resp;
	size_t len = size * n, name_len;
	const char *colon, *value, *end = data + len;
	char *media, *charset;

	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		start_response(t);
		if (is_temporary_redirect(data, len))
			t->has_temporary_redirect = true;
		return len;
	}
	colon = memchr(data, ':', len);
	if (!colon)
		return len;
	name_len = (size_t)(colon - data);
	value = colon + 1;
	trim(&value, &end);
	if (is_header(data, name_len, "content-type")) {
		http_parse_content_type(value, (size_t)(end - value), &media,
					&charset);
		replace(&resp->content_type, media);
		replace(&resp->charset, charset);
	} else if (is_header(data, name_len, "etag")) {
		replace(&resp->etag, xmemdupz(value, (size_t)(end - value)));
	} else if (is_header(data, name_len, "last-modified")) {
		replace(&resp->last_modified,
			xmemdupz(value, (size_t)(end - value)));
	} else if (is_header(data, name_len, "retry-after")) {
		resp->retry_after = http_parse_retry_after(
			value, (size_t)(end - value), (int64_t)time(NULL));
	} else if (is_header(data, name_len, "ratelimit-reset")) {
		resp->ratelimit_reset = parse_whole(value,
						    (size_t)(end - value));
	}
	return len;
}

/* NOTE: curl calls this with the body after Content-Encoding decoding, so
 * the cap holds for a gzip bomb; CURLOPT_MAXFILESIZE only sees the
 * encoded length on 7.88. */
static size_t
on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct http_transfer *t = ctx;
	size_t len = size * n;

	if (len > t->max_body - t->body_bytes) {
		t->is_over_limit = true;
		return 0;
	}
	t->body_bytes += len;
	if (!t->is_body_discarded)
		buf_add(&t->resp->body, data, len);
	return len;
}

/* The guard: called by curl for every connection, with the address it is
 * about to connect to. */
static curl_socket_t
on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *address)
{
	struct http_transfer *t = ctx;
	struct netguard_addr a;
	const struct netguard_range *range = NULL;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    netguard_addr_from_sockaddr(&address->addr, address->addrlen,
					&a) != 0) {
		t->is_refused = true;
		t->refused_addr[0] = '\0';
		t->refused_range = NULL;
		return CURL_SOCKET_BAD;
	}
	if (!netguard_permits(&t->guard, &a, &range)) {
		t->is_refused = true;
		netguard_format(&a, t->refused_addr);
		t->refused_range = range;
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype | SOCK_CLOEXEC,
		      address->protocol);
}

/* ---------------------------------------------------------- transfers */

void
http_transfer_init(struct http_transfer *t, const char *url,
		   const char *const *extra_headers,
		   struct http_response *resp)
{
	memset(t, 0, sizeof(*t));
	t->url = url;
	t->extra_headers = extra_headers;
	t->resp = resp;
	buf_init(&t->error, 0);
	http_response_release(resp);
}

void
http_transfer_release(struct http_transfer *t)
{
	netguard_release(&t->guard);
	curl_slist_free_all(t->headers);
	curl_slist_free_all(t->resolve);
	t->headers = t->resolve = NULL;
	buf_release(&t->error);
}

int
http_global_init(struct report *rep)
{
	CURLcode code;

	if (is_curl_ready)
		return 0;
	code = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (code != CURLE_OK)
		return report_error(rep, NULL, "cannot start libcurl: %s",
				    curl_easy_strerror(code));
	is_curl_ready = true;
	return 0;
}

/* The length of url's scheme, or 0 when it has none (RFC 3986 §3.1). */
static size_t
scheme_length(const char *url)
{
	size_t i;

	if (!((url[0] >= 'a' && url[0] <= 'z') ||
	      (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	for (i = 1; url[i] && url[i] != ':'; i++)
		if (!((url[i] >= 'a' && url[i] <= 'z') ||
		      (url[i] >= 'A' && url[i] <= 'Z') ||
		      (url[i] >= '0' && url[i] <= '9') || url[i] == '+' ||
		      url[i] == '-' || url[i] == '.'))
			return 0;
	return url[i] == ':' ? i : 0;
}

/* Refuses, before curl sees it, a URL that is not http(s) or that carries
 * credentials. */
static int
check_url(struct report *rep, const char *url)
{
	struct report_pos pos = { url, 0, 0 };
	size_t n = scheme_length(url);
	CURLU *u = NULL;
	CURLUcode uc;
	char *user = NULL, *password = NULL, *clean = NULL;
	int rc = -1;

	if (n == 0) {
		report_error(rep, &pos, "not an absolute http(s) URL");
		report_hint(rep, "write the whole address, starting with "
				 "https://");
		goto out;
	}
	if (!(n == 4 && strncasecmp(url, "http", 4) == 0) &&
	    !(n == 5 && strncasecmp(url, "https", 5) == 0)) {
		report_error(rep, &pos,
			     "refused scheme '%.*s' (only http and https are "
			     "fetched)",
			     (int)n, url);
		report_hint(rep, "curator fetches only http and https URLs");
		goto out;
	}
	u = curl_url();
	if (!u) {
		report_error(rep, &pos, "cannot parse the URL: out of memory");
		goto out;
	}
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		report_error(rep, &pos, "malformed URL (%s)",
			     curl_url_strerror(uc));
		report_hint(rep, "check the URL for typos");
		goto out;
	}
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &password, 0);
	if (user || password) {
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_get(u, CURLUPART_URL, &clean, 0);
		pos.file = clean ? clean : "URL";
		report_error(rep, &pos, "credentials in the URL are refused");
		report_hint(rep, "tokens are read from environment variables "
				 "and sent as headers, never in a URL");
		goto out;
	}
	rc = 0;
out:
	curl_free(user);
	curl_free(password);
	curl_free(clean);
	curl_url_cleanup(u);
	return rc;
}

static long
or_default(long value, long fallback)
{
	return value > 0 ? value : fallback;
}

static bool
is_get(const struct http_request *req)
{
	return !req->method || strcmp(req->method, "GET") == 0;
}

/* The method and body of a request other than a plain GET; returns the
 * name of the option that libcurl refused, or NULL. */
static const char *
apply_request(CURL *h, const struct http_request *req)
{
	if (is_get(req) && !req->body)
		return NULL;
	/* NOTE: a redirected POST would become a GET elsewhere (or repost);
	 * the caller judges a 3xx itself. */
	if (curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK)
		return "CURLOPT_FOLLOWLOCATION";
	if (curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
			     (curl_off_t)(req->body ? req->body_len : 0)) !=
		    CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
			     req->body ? req->body : "") != CURLE_OK)
		return "CURLOPT_POSTFIELDS";
	if (strcmp(req->method ? req->method : "GET", "POST") != 0 &&
	    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method) !=
		    CURLE_OK)
		return "CURLOPT_CUSTOMREQUEST";
	return NULL;
}

/* Sets every option of the contract; returns the name of the option that
 * libcurl refused, or NULL. */
static const char *
apply_options(CURL *h, struct http_transfer *t,
	      const struct http_options *opts, const char *agent)
{
	const char *failed = NULL;
	const struct {
		CURLoption option;
		const char *name;
		long value;
	} longs[] = {
		{ CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", 1 },
		{ CURLOPT_NOPROGRESS, "CURLOPT_NOPROGRESS", 1 },
		{ CURLOPT_HTTPGET, "CURLOPT_HTTPGET", 1 },
		{ CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", 1 },
		/* NOTE: 7.88's default is unlimited */
		{ CURLOPT_MAXREDIRS, "CURLOPT_MAXREDIRS", HTTP_MAX_REDIRECTS },
		{ CURLOPT_CONNECTTIMEOUT, "CURLOPT_CONNECTTIMEOUT",
		  t->connect_timeout },
		{ CURLOPT_TIMEOUT, "CURLOPT_TIMEOUT", t->timeout },
		{ CURLOPT_LOW_SPEED_LIMIT, "CURLOPT_LOW_SPEED_LIMIT",
		  t->low_speed_limit },
		{ CURLOPT_LOW_SPEED_TIME, "CURLOPT_LOW_SPEED_TIME",
		  t->low_speed_time },
		{ CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER", 1 },
		{ CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST", 2 },
		{ CURLOPT_PROXY_SSL_VERIFYPEER, "CURLOPT_PROXY_SSL_VERIFYPEER",
		  1 },
		{ CURLOPT_PROXY_SSL_VERIFYHOST, "CURLOPT_PROXY_SSL_VERIFYHOST",
		  2 },
		/* headers given by the caller (a token) stay with the host
		 * they were meant for across redirects */
		{ CURLOPT_UNRESTRICTED_AUTH, "CURLOPT_UNRESTRICTED_AUTH", 0 },
		{ CURLOPT_NETRC, "CURLOPT_NETRC", CURL_NETRC_IGNORED },
	};
	const struct {
		CURLoption option;
		const char *name;
		const char *value;
	} strings[] = {
		{ CURLOPT_URL, "CURLOPT_URL", t->url },
		{ CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR",
		  "http,https" },
		{ CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR",
		  "http,https" },
		/* "": every encoding this libcurl decodes (gzip, deflate,
		 * br, zstd) */
		{ CURLOPT_ACCEPT_ENCODING, "CURLOPT_ACCEPT_ENCODING", "" },
		{ CURLOPT_USERAGENT, "CURLOPT_USERAGENT", agent },
		/* "" turns off the proxy environment variables */
		{ CURLOPT_PROXY, "CURLOPT_PROXY",
		  opts->proxy ? opts->proxy : "" },
		{ CURLOPT_NOPROXY, "CURLOPT_NOPROXY", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(longs) / sizeof(*longs); i++) {
		if (curl_easy_setopt(h, longs[i].option, longs[i].value) !=
		    CURLE_OK)
			return longs[i].name;
	}
	for (i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
		if (curl_easy_setopt(h, strings[i].option, strings[i].value) !=
		    CURLE_OK)
			return strings[i].name;
	}
	if (curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
			     (curl_off_t)t->max_body) != CURLE_OK)
		failed = "CURLOPT_MAXFILESIZE_LARGE";
	else if (curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->errbuf) !=
		 CURLE_OK)
		failed = "CURLOPT_ERRORBUFFER";
	else if (curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) !=
			 CURLE_OK ||
		 curl_easy_setopt(h, CURLOPT_WRITEDATA, t) != CURLE_OK)
		failed = "CURLOPT_WRITEFUNCTION";
	else if (curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) !=
			 CURLE_OK ||
		 curl_easy_setopt(h, CURLOPT_HEADERDATA, t) != CURLE_OK)
		failed = "CURLOPT_HEADERFUNCTION";
	else if (curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION,
				  on_open_socket) != CURLE_OK ||
		 curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, t) != CURLE_OK)
		failed = "CURLOPT_OPENSOCKETFUNCTION";
	else if (curl_easy_setopt(h, CURLOPT_PRIVATE, t) != CURLE_OK)
		failed = "CURLOPT_PRIVATE";
	else if (curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers) !=
		 CURLE_OK)
		failed = "CURLOPT_HTTPHEADER";
	else if (curl_easy_setopt(h, CURLOPT_RESOLVE, t->resolve) != CURLE_OK)
		failed = "CURLOPT_RESOLVE";
	else if (t->request)
		failed = apply_request(h, t->request);
	return failed;
}

int
http_easy_setup(CURL *h, const struct http_options *opts,
		struct http_transfer *t, struct report *rep)
{
	static const struct http_options defaults;
	struct report_pos pos = { t->url, 0, 0 };
	struct buf agent = BUF_INIT, line = BUF_INIT;
	struct curl_slist *next;
	const char *failed = NULL;
	size_t i, bad = 0;
	int rc = -1;

	if (!opts)
		opts = &defaults;
	if (check_url(rep, t->url) != 0)
		goto out;
	if (netguard_init(&t->guard, opts->allow_private,
			  opts->nallow_private, &bad) != 0) {
		report_error(rep, &pos,
			     "invalid address range '%s' in allow_private",
			     opts->allow_private[bad]);
		report_hint(rep, "fetch.allow_private takes CIDRs such as "
				 "10.1.2.0/24 or fd00::/8");
		goto out;
	}
	t->max_body = opts->max_body ? opts->max_body : HTTP_DEFAULT_MAX_BODY;
	t->connect_timeout = or_default(opts->connect_timeout,
					HTTP_DEFAULT_CONNECT_TIMEOUT);
	t->timeout = or_default(opts->timeout, HTTP_DEFAULT_TIMEOUT);
	t->low_speed_limit = or_default(opts->low_speed_limit,
					HTTP_DEFAULT_LOW_SPEED_LIMIT);
	t->low_speed_time = or_default(opts->low_speed_time,
				       HTTP_DEFAULT_LOW_SPEED_TIME);
	if (opts->user_agent) {
		buf_adds(&agent, opts->user_agent);
	} else {
		buf_adds(&agent, "curator/" CURATOR_VERSION);
		if (opts->site_url && *opts->site_url)
			buf_addf(&agent, " (+%s)", opts->site_url);
	}
	for (i = 0; t->extra_headers && t->extra_headers[i]; i++) {
		next = curl_slist_append(t->headers, t->extra_headers[i]);
		if (!next) {
			failed = "CURLOPT_HTTPHEADER";
			goto out;
		}
		t->headers = next;
	}
	if (t->request && !is_get(t->request)) {
		/* no "Expect: 100-continue" round trip before the body */
		buf_adds(&line, "Expect:");
		next = curl_slist_append(t->headers, line.ptr);
		if (next && t->request->content_type) {
			t->headers = next;
			buf_clear(&line);
			buf_addf(&line, "Content-Type: %s",
				 t->request->content_type);
			next = curl_slist_append(t->headers, line.ptr);
		}
		if (!next) {
			failed = "CURLOPT_HTTPHEADER";
			goto out;
		}
		t->headers = next;
	}
	for (i = 0; i < opts->nresolve; i++) {
		next = curl_slist_append(t->resolve, opts->resolve[i]);
		if (!next) {
			failed = "CURLOPT_RESOLVE";
			goto out;
		}
		t->resolve = next;
	}
	failed = apply_options(h, t, opts, agent.ptr);
	if (!failed)
		rc = 0;
out:
	if (failed) {
		report_error(rep, &pos, "libcurl refused the option %s",
			     failed);
		report_hint(rep, "curator needs libcurl 7.85 or later with "
				 "http and https");
	}
	buf_release(&agent);
	buf_release(&line);
	return rc;
}

/* "16 MiB" */
static void
add_size(struct buf *b, size_t bytes)
{
	if (bytes % ((size_t)1 << 20) == 0)
		buf_addf(b, "%zu MiB", bytes >> 20);
	else if (bytes % 1024 == 0)
		buf_addf(b, "%zu KiB", bytes >> 10);
	else
		buf_addf(b, "%zu bytes", bytes);
}

/* The host (and port) of url, for messages; "?" when it has none. */
static void
add_host(struct buf *b, const char *url, bool with_port)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		buf_adds(b, host);
		if (with_port &&
		    curl_url_get(u, CURLUPART_PORT, &port,
				 CURLU_DEFAULT_PORT) == CURLUE_OK)
			buf_addf(b, ":%s", port);
	} else {
		buf_addc(b, '?');
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

/* What went wrong, in t->error, and what to do, in hint. */
static void
describe_failure(struct http_transfer *t, CURL *h, const char *where,
		 bool is_redirected, struct buf *hint)
{
	struct buf *msg = &t->error;
	const char *detail = t->errbuf[0] ? t->errbuf
					  : curl_easy_strerror(t->code);
	curl_off_t connect_time = 0;
	long os_errno = 0;

	if (t->is_over_limit || t->code == CURLE_FILESIZE_EXCEEDED) {
		buf_adds(msg, "body larger than ");
		add_size(msg, t->max_body);
		buf_adds(msg, " (after decompression)");
		buf_adds(hint, "curator stops reading a response at this "
			       "size; check that the URL is a feed or a page");
		return;
	}
	if (t->is_refused && !t->refused_addr[0]) {
		buf_adds(msg, "refused: not an IP connection");
		buf_adds(hint, "curator connects only over IPv4 and IPv6");
		return;
	}
	if (t->is_refused) {
		buf_addf(msg,
			 "refused: %s is a private address (allow it with "
			 "fetch.allow_private in curator.yaml)",
			 t->refused_addr);
		if (is_redirected)
			buf_addf(hint, "the server redirected to '%s'; ",
				 where);
		if (t->refused_range)
			buf_addf(hint, "%s is in %s (%s), and ",
				 t->refused_addr, t->refused_range->cidr,
				 t->refused_range->name);
		buf_adds(hint, "curator connects only to public addresses "
			       "unless fetch.allow_private lists them");
		return;
	}
	switch (t->code) {
	case CURLE_UNSUPPORTED_PROTOCOL:
		if (is_redirected) {
			buf_addf(msg, "redirect to a refused scheme '%s'",
				 where);
			buf_adds(hint, "curator follows redirects only to "
				       "http and https URLs");
		} else {
			buf_adds(msg, "refused scheme (only http and https "
				      "are fetched)");
			buf_adds(hint, "curator fetches only http and https "
				       "URLs");
		}
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		buf_addf(msg, "more than %d redirects", HTTP_MAX_REDIRECTS);
		buf_adds(hint, "the server redirects in a loop or too often; "
			       "open the URL in a browser and use the "
			       "address it ends at");
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		buf_adds(msg, "cannot resolve host '");
		add_host(msg, where, false);
		buf_addc(msg, '\'');
		buf_adds(hint, "check the spelling of the address and the "
			       "machine's network");
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		buf_addf(msg, "cannot resolve the proxy (%s)", detail);
		buf_adds(hint, "check fetch.proxy in curator.yaml");
		break;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
		buf_adds(msg, "cannot connect to '");
		add_host(msg, where, true);
		buf_addf(msg, "' (%s)",
			 os_errno ? strerror((int)os_errno) : detail);
		buf_adds(hint, "the server is down or unreachable; try again "
			       "later");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_time);
		if (strncmp(t->errbuf, "Operation too slow", 18) == 0)
			buf_addf(msg,
				 "timed out: slower than %ld bytes/s for %ld s",
				 t->low_speed_limit, t->low_speed_time);
		else if (connect_time == 0)
			buf_addf(msg, "timed out: no connection within %ld s",
				 t->connect_timeout);
		else
			buf_addf(msg,
				 "timed out: no complete answer within %ld s",
				 t->timeout);
		buf_adds(hint, "the server is slow or unreachable; try again "
			       "later");
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		buf_addf(msg, "TLS error (%s)", detail);
		buf_adds(hint, "the server's certificate could not be "
			       "verified or TLS failed; curator never turns "
			       "verification off");
		break;
	case CURLE_BAD_CONTENT_ENCODING:
		buf_addf(msg, "cannot decompress the body (%s)", detail);
		buf_adds(hint, "the server sent a broken compressed answer; "
			       "try again later");
		break;
	case CURLE_GOT_NOTHING:
		buf_adds(msg, "the server closed the connection without "
			      "answering");
		buf_adds(hint, "try again later");
		break;
	case CURLE_WEIRD_SERVER_REPLY:
		buf_addf(msg, "not an HTTP answer (%s)", detail);
		buf_adds(hint, "check the URL's port and scheme");
		break;
	case CURLE_URL_MALFORMAT:
		buf_addf(msg, "malformed URL (%s)", detail);
		buf_adds(hint, "check the URL for typos");
		break;
	default:
		buf_addf(msg, "transfer failed (%s)", detail);
		buf_adds(hint, "try again later");
		break;
	}
}

int
http_transfer_finish(struct http_transfer *t, CURL *h, CURLcode code,
		     struct report *rep)
{
	struct report_pos pos = { t->url, 0, 0 };
	struct buf hint = BUF_INIT;
	char *effective = NULL;
	long status = 0, redirects = 0;

	t->code = code;
	buf_clear(&t->error);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
	curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
	t->resp->status = status;
	replace(&t->resp->effective_url,
		effective && *effective ? xstrdup(effective) : NULL);
	replace(&t->resp->moved_to,
		redirects > 0 && !t->has_temporary_redirect &&
				t->resp->effective_url
			? xstrdup(t->resp->effective_url)
			: NULL);
	if (code == CURLE_OK)
		return 0;
	describe_failure(t, h, effective && *effective ? effective : t->url,
			 redirects > 0, &hint);
	if (rep) {
		report_error(rep, &pos, "%s", t->error.ptr);
		report_hint(rep, "%s", hint.ptr);
	}
	buf_release(&hint);
	return -1;
}

int
http_get(struct report *rep, const struct http_options *opts,
	 const char *url, const char *const *extra_headers,
	 struct http_response *resp)
{
	/* a GET without a body: http_request behaves exactly as a plain GET
	 * (redirects followed, no request options set) */
	struct http_request req = { NULL, url, NULL, 0, NULL, extra_headers };

	return http_request(rep, opts, &req, resp);
}

int
http_request(struct report *rep, const struct http_options *opts,
	     const struct http_request *req, struct http_response *resp)
{
	struct report_pos pos = { req->url, 0, 0 };
	struct http_transfer t;
	CURL *h = NULL;
	int rc = -1;

	http_transfer_init(&t, req->url, req->headers, resp);
	t.request = req;
	if (http_global_init(rep) != 0)
		goto out;
	h = curl_easy_init();
	if (!h) {
		report_error(rep, &pos, "cannot start a transfer (libcurl)");
		goto out;
	}
	if (http_easy_setup(h, opts, &t, rep) != 0)
		goto out;
	rc = http_transfer_finish(&t, h, curl_easy_perform(h), rep);
out:
	if (h)
		curl_easy_cleanup(h);
	http_transfer_release(&t);
	return rc;
}
