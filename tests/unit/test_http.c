#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/report.h"
#include "ingest/http_private.h"

static void
check_content_type(const char *value, const char *want_type,
		   const char *want_charset)
{
	char *type, *charset;

	http_parse_content_type(value, strlen(value), &type, &charset);
	if (want_type)
		assert_string_equal(type, want_type);
	else
		assert_null(type);
	if (want_charset)
		assert_string_equal(charset, want_charset);
	else
		assert_null(charset);
	free(type);
	free(charset);
}

static void
test_http_splits_content_type(void **state)
{
	(void)state;
	check_content_type("application/rss+xml", "application/rss+xml",
			   NULL);
	check_content_type("text/xml; charset=ISO-8859-1", "text/xml",
			   "iso-8859-1");
	check_content_type("Text/XML;Charset=\"windows-1252\"", "text/xml",
			   "windows-1252");
	check_content_type("  application/atom+xml ;  type=feed ; "
			   "charset = utf-8 ",
			   "application/atom+xml", "utf-8");
	check_content_type("text/html; charset=", "text/html", NULL);
	check_content_type("text/html; charsetx=utf-8", "text/html", NULL);
	check_content_type("", NULL, NULL);
	check_content_type("; charset=utf-8", NULL, "utf-8");
}

static void
test_http_reads_retry_after_seconds_and_dates(void **state)
{
	/* Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110 §5.6.7) */
	const int64_t then = 784111777;

	(void)state;
	assert_int_equal(http_parse_retry_after("120", 3, then), 120);
	assert_int_equal(http_parse_retry_after(" 0 ", 3, then), 0);
	assert_int_equal(http_parse_retry_after("99999999999999999999", 20,
						then),
			 0x7fffffffL);
	assert_int_equal(
		http_parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", 29,
				       then),
		120);
	/* obsolete forms of an HTTP-date (RFC 850 and asctime) */
	assert_int_equal(
		http_parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", 30,
				       then),
		60);
	assert_int_equal(http_parse_retry_after("Sun Nov  6 08:49:47 1994",
						24, then),
			 10);
	/* a date in the past: retry now */
	assert_int_equal(
		http_parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", 29,
				       then),
		0);
	assert_int_equal(http_parse_retry_after("", 0, then), -1);
	assert_int_equal(http_parse_retry_after("-5", 2, then), -1);
	assert_int_equal(http_parse_retry_after("soon", 4, then), -1);
}

/* Runs http_get on url with opts and returns what the reporter got. */
static char *
get_error(const struct http_options *opts, const char *url)
{
	struct report rep;
	struct http_response resp;
	char *text;

	report_init_collect(&rep);
	http_response_init(&resp);
	assert_int_equal(http_get(&rep, opts, url, NULL, &resp), -1);
	text = buf_detach(&rep.collected, NULL);
	http_response_release(&resp);
	report_release(&rep);
	return text;
}

static void
expect_error(const struct http_options *opts, const char *url,
	     const char *want)
{
	char *got = get_error(opts, url);

	assert_string_equal(got, want);
	free(got);
}

static void
test_http_refuses_other_schemes_before_curl(void **state)
{
	(void)state;
	expect_error(NULL, "file:///etc/passwd",
		     "error: file:///etc/passwd: refused scheme 'file' (only "
		     "http and https are fetched)\n"
		     "hint: curator fetches only http and https URLs\n");
	expect_error(NULL, "gopher://127.0.0.2:70/",
		     "error: gopher://127.0.0.2:70/: refused scheme 'gopher' "
		     "(only http and https are fetched)\n"
		     "hint: curator fetches only http and https URLs\n");
	expect_error(NULL, "dict://127.0.0.2:2628/d:x",
		     "error: dict://127.0.0.2:2628/d:x: refused scheme 'dict' "
		     "(only http and https are fetched)\n"
		     "hint: curator fetches only http and https URLs\n");
	expect_error(NULL, "FTP://127.0.0.2/",
		     "error: FTP://127.0.0.2/: refused scheme 'FTP' (only "
		     "http and https are fetched)\n"
		     "hint: curator fetches only http and https URLs\n");
	expect_error(NULL, "javascript:alert(1)",
		     "error: javascript:alert(1): refused scheme "
		     "'javascript' (only http and https are fetched)\n"
		     "hint: curator fetches only http and https URLs\n");
	expect_error(NULL, "//example.org/feed",
		     "error: //example.org/feed: not an absolute http(s) "
		     "URL\n"
		     "hint: write the whole address, starting with "
		     "https://\n");
}

static void
test_http_refuses_credentials_in_urls_unprinted(void **state)
{
	(void)state;
	expect_error(NULL, "https://alice:s3cr3t-t0ken@example.org/feed",
		     "error: https://example.org/feed: credentials in the URL "
		     "are refused\n"
		     "hint: tokens are read from environment variables and "
		     "sent as headers, never in a URL\n");
}

static void
test_http_guard_refuses_loopback_without_connecting(void **state)
{
	(void)state;
	/* NOTE: port 1 has no listener: a connection attempt would say
	 * "connection refused", not the guard's message. */
	expect_error(NULL, "http://127.0.0.1:1/feed.xml",
		     "error: http://127.0.0.1:1/feed.xml: refused: 127.0.0.1 "
		     "is a private address (allow it with "
		     "fetch.allow_private in curator.yaml)\n"
		     "hint: 127.0.0.1 is in 127.0.0.0/8 (loopback), and "
		     "curator connects only to public addresses unless "
		     "fetch.allow_private lists them\n");
	expect_error(NULL, "http://[::ffff:169.254.169.254]:1/",
		     "error: http://[::ffff:169.254.169.254]:1/: refused: "
		     "::ffff:169.254.169.254 is a private address (allow it "
		     "with fetch.allow_private in curator.yaml)\n"
		     "hint: ::ffff:169.254.169.254 is in 169.254.0.0/16 "
		     "(link-local), and curator connects only to public "
		     "addresses unless fetch.allow_private lists them\n");
}

static void
test_http_allow_list_lets_the_connection_through(void **state)
{
	static const char *const allow[] = { "127.0.0.1/32" };
	struct http_options opts = { 0 };

	(void)state;
	opts.allow_private = allow;
	opts.nallow_private = 1;
	expect_error(&opts, "http://127.0.0.1:1/feed.xml",
		     "error: http://127.0.0.1:1/feed.xml: cannot connect to "
		     "'127.0.0.1:1' (Connection refused)\n"
		     "hint: the server is down or unreachable; try again "
		     "later\n");
}

static void
test_http_rejects_an_invalid_allow_list(void **state)
{
	static const char *const allow[] = { "10.0.0.0/8", "10.0.0.0/33" };
	struct http_options opts = { 0 };

	(void)state;
	opts.allow_private = allow;
	opts.nallow_private = 2;
	expect_error(&opts, "http://127.0.0.1:1/",
		     "error: http://127.0.0.1:1/: invalid address range "
		     "'10.0.0.0/33' in allow_private\n"
		     "hint: fetch.allow_private takes CIDRs such as "
		     "10.1.2.0/24 or fd00::/8\n");
}

static void
test_http_options_from_env_reads_both_variables(void **state)
{
	static const char *const mine[] = { "10.1.2.0/24" };
	struct http_options opts = { 0 };
	struct report rep;

	(void)state;
	report_init_collect(&rep);
	opts.allow_private = mine;
	opts.nallow_private = 1;
	setenv("CURATOR_ALLOW_PRIVATE", " 127.0.0.2/32 ,, fd00::/8,", 1);
	setenv("CURATOR_RESOLVE", "a.example:80:127.0.0.2,b.example:443:::1",
	       1);
	assert_int_equal(http_options_from_env(&rep, &opts), 0);
	assert_int_equal(opts.nallow_private, 3);
	assert_string_equal(opts.allow_private[0], "10.1.2.0/24");
	assert_string_equal(opts.allow_private[1], "127.0.0.2/32");
	assert_string_equal(opts.allow_private[2], "fd00::/8");
	assert_int_equal(opts.nresolve, 2);
	assert_string_equal(opts.resolve[0], "a.example:80:127.0.0.2");
	assert_string_equal(opts.resolve[1], "b.example:443:::1");
	assert_string_equal(rep.collected.ptr, "");
	http_options_release(&opts);
	assert_int_equal(opts.nallow_private, 0);
	assert_null(opts.allow_private);
	unsetenv("CURATOR_ALLOW_PRIVATE");
	unsetenv("CURATOR_RESOLVE");
	assert_int_equal(http_options_from_env(&rep, &opts), 0);
	assert_int_equal(opts.nallow_private, 0);
	assert_int_equal(opts.nresolve, 0);
	http_options_release(&opts);
	report_release(&rep);
}

static void
test_http_options_from_env_names_the_variable(void **state)
{
	static const char *const bad[] = { "10.0.0.0/33", "abc", "10.0.0/8" };
	struct http_options opts = { 0 };
	struct report rep;
	struct buf want = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		report_init_collect(&rep);
		setenv("CURATOR_ALLOW_PRIVATE", bad[i], 1);
		assert_int_equal(http_options_from_env(&rep, &opts), -1);
		buf_clear(&want);
		buf_addf(&want,
			 "error: CURATOR_ALLOW_PRIVATE: invalid address "
			 "range '%s'\n"
			 "hint: write comma-separated CIDRs, e.g. "
			 "CURATOR_ALLOW_PRIVATE=127.0.0.1/32,10.1.2.0/24,"
			 "fd00::/8\n",
			 bad[i]);
		assert_string_equal(rep.collected.ptr, want.ptr);
		http_options_release(&opts);
		report_release(&rep);
	}
	unsetenv("CURATOR_ALLOW_PRIVATE");
	buf_release(&want);
}

static void
test_http_cidr_check_for_the_config(void **state)
{
	(void)state;
	assert_true(http_cidr_is_valid("10.1.2.0/24", 11));
	assert_true(http_cidr_is_valid("fd00::/8", 8));
	assert_true(http_cidr_is_valid("192.168.1.10", 12));
	assert_false(http_cidr_is_valid("10.0.0.0/33", 11));
	assert_false(http_cidr_is_valid("intranet", 8));
}

/* ------------------------------------------- against tests/helpers/httpd.py */

struct server {
	pid_t pid;
	char base[64];     /* "http://127.0.0.1:PORT" */
	char root[64];     /* a temporary folder it serves */
	char log[96];      /* its request log, beside the folder */
};

static int
server_start(void **state)
{
	static struct server srv;
	const char *top = getenv("TOP");
	char script[4096], port[16] = "", path[128];
	int fds[2];
	FILE *fp;
	ssize_t n;
	size_t len;

	if (!top)
		top = ".";
	snprintf(script, sizeof(script), "%s/tests/helpers/httpd.py", top);
	snprintf(srv.root, sizeof(srv.root), "/tmp/curator-http.XXXXXX");
	if (!mkdtemp(srv.root))
		return -1;
	snprintf(srv.log, sizeof(srv.log), "%s.log", srv.root);
	snprintf(path, sizeof(path), "%s/feed.xml", srv.root);
	fp = fopen(path, "w");
	if (!fp)
		return -1;
	fputs("<rss version=\"2.0\"><channel/></rss>\n", fp);
	fclose(fp);
	if (pipe(fds) != 0)
		return -1;
	srv.pid = fork();
	if (srv.pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", script, "--bind", "127.0.0.1",
		       "--root", srv.root, "--log", srv.log, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	len = 0;
	while (len < sizeof(port) - 1 && !memchr(port, '\n', len)) {
		n = read(fds[0], port + len, sizeof(port) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	port[len] = '\0';
	if (!strchr(port, '\n'))
		return -1;
	port[strcspn(port, "\n")] = '\0';
	snprintf(srv.base, sizeof(srv.base), "http://127.0.0.1:%s", port);
	*state = &srv;
	return 0;
}

static int
server_stop(void **state)
{
	struct server *srv = *state;
	char path[128];

	if (!srv)
		return 0;
	kill(srv->pid, SIGTERM);
	waitpid(srv->pid, NULL, 0);
	snprintf(path, sizeof(path), "%s/feed.xml", srv->root);
	unlink(path);
	rmdir(srv->root);
	unlink(srv->log);
	return 0;
}

static const char *const loopback[] = { "127.0.0.1/32" };

static void
local_options(struct http_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->allow_private = loopback;
	opts->nallow_private = 1;
}

static char *
url_of(const struct server *srv, const char *path)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s%s", srv->base, path);
	return buf_detach(&b, NULL);
}

/* The server's log: "request ..." and "header ..." lines. */
static char *
server_log(const struct server *srv)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(srv->log, "r");

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b, NULL);
}

static void
expect_local_error(const struct http_options *opts, const struct server *srv,
		   const char *path, const char *want_first_line)
{
	char *url = url_of(srv, path), *got = get_error(opts, url);
	struct buf want = BUF_INIT;

	buf_addf(&want, "error: %s: %s", url, want_first_line);
	got[strcspn(got, "\n")] = '\0';
	assert_string_equal(got, want.ptr);
	buf_release(&want);
	free(got);
	free(url);
}

static void
test_http_captures_the_headers_of_the_last_response(void **state)
{
	struct server *srv = *state;
	struct http_options opts;
	struct http_response resp;
	struct report rep;
	char *url, *log;

	local_options(&opts);
	opts.site_url = "https://mediatheque.example.org/";
	report_init_collect(&rep);
	http_response_init(&resp);
	url = url_of(srv, "/redirect?code=301&to=/typed/feed.xml%3F"
			  "type%3DText/XML%26charset%3DWindows-1252");
	assert_int_equal(http_get(&rep, &opts, url, NULL, &resp), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.content_type, "text/xml");
	assert_string_equal(resp.charset, "windows-1252");
	assert_string_equal(resp.body.ptr,
			    "<rss version=\"2.0\"><channel/></rss>\n");
	free(url);
	url = url_of(srv, "/typed/feed.xml?type=Text/XML&"
			  "charset=Windows-1252");
	assert_string_equal(resp.effective_url, url);
	assert_null(resp.etag);
	assert_int_equal(resp.retry_after, -1);
	free(url);
	log = server_log(srv);
	assert_non_null(strstr(log, "header User-Agent: curator/"
				    CURATOR_VERSION
				    " (+https://mediatheque.example.org/)\n"));
	free(log);
	assert_string_equal(rep.collected.ptr, "");
	http_response_release(&resp);
	report_release(&rep);
}

static void
test_http_sends_conditional_headers_and_gets_304(void **state)
{
	struct server *srv = *state;
	struct http_options opts;
	struct http_response resp;
	struct report rep;
	struct buf header = BUF_INIT;
	const char *headers[2] = { NULL, NULL };
	char *url = url_of(srv, "/cache/feed.xml"), *log;

	local_options(&opts);
	report_init_collect(&rep);
	http_response_init(&resp);
	assert_int_equal(http_get(&rep, &opts, url, NULL, &resp), 0);
	assert_int_equal(resp.status, 200);
	assert_non_null(resp.etag);
	assert_non_null(resp.last_modified);
	assert_string_equal(resp.content_type, "application/xml");
	buf_addf(&header, "If-None-Match: %s", resp.etag);
	headers[0] = header.ptr;
	assert_int_equal(http_get(&rep, &opts, url, headers, &resp), 0);
	assert_int_equal(resp.status, 304);
	assert_int_equal(resp.body.len, 0);
	log = server_log(srv);
	buf_addc(&header, '\n');
	assert_non_null(strstr(log, header.ptr));
	free(log);
	buf_release(&header);
	http_response_release(&resp);
	report_release(&rep);
	free(url);
}

static void
test_http_reads_retry_after_from_a_429(void **state)
{
	struct server *srv = *state;
	struct http_options opts;
	struct http_response resp;
	struct report rep;
	char *url = url_of(srv, "/status/429?retry_after=3600");

	local_options(&opts);
	report_init_collect(&rep);
	http_response_init(&resp);
	assert_int_equal(http_get(&rep, &opts, url, NULL, &resp), 0);
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.retry_after, 3600);
	assert_string_equal(resp.body.ptr, "status 429\n");
	http_response_release(&resp);
	report_release(&rep);
	free(url);
}

static void
test_http_stops_an_endless_body_at_the_cap(void **state)
{
	struct http_options opts;

	local_options(&opts);
	opts.max_body = 1 << 20;
	expect_local_error(&opts, *state, "/endless",
			   "body larger than 1 MiB (after decompression)");
	expect_local_error(&opts, *state, "/gzip-bomb?mib=2",
			   "body larger than 1 MiB (after decompression)");
}

static void
test_http_times_out_a_slow_drip(void **state)
{
	struct http_options opts;

	local_options(&opts);
	opts.timeout = 1;
	expect_local_error(&opts, *state, "/drip?bytes=100&interval=0.3",
			   "timed out: no complete answer within 1 s");
	local_options(&opts);
	opts.low_speed_limit = 1000;
	opts.low_speed_time = 1;
	expect_local_error(&opts, *state, "/drip?bytes=100&interval=0.3",
			   "timed out: slower than 1000 bytes/s for 1 s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_splits_content_type),
		cmocka_unit_test(test_http_reads_retry_after_seconds_and_dates),
		cmocka_unit_test(test_http_refuses_other_schemes_before_curl),
		cmocka_unit_test(
			test_http_refuses_credentials_in_urls_unprinted),
		cmocka_unit_test(
			test_http_guard_refuses_loopback_without_connecting),
		cmocka_unit_test(
			test_http_allow_list_lets_the_connection_through),
		cmocka_unit_test(test_http_rejects_an_invalid_allow_list),
		cmocka_unit_test(
			test_http_options_from_env_reads_both_variables),
		cmocka_unit_test(
			test_http_options_from_env_names_the_variable),
		cmocka_unit_test(test_http_cidr_check_for_the_config),
	};
	const struct CMUnitTest served[] = {
		cmocka_unit_test(
			test_http_captures_the_headers_of_the_last_response),
		cmocka_unit_test(
			test_http_sends_conditional_headers_and_gets_304),
		cmocka_unit_test(test_http_reads_retry_after_from_a_429),
		cmocka_unit_test(test_http_stops_an_endless_body_at_the_cap),
		cmocka_unit_test(test_http_times_out_a_slow_drip),
	};
	int rc;

	unsetenv("CURATOR_ALLOW_PRIVATE");
	unsetenv("CURATOR_RESOLVE");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rc += cmocka_run_group_tests(served, server_start, server_stop);
	curl_global_cleanup();
	return rc;
}
