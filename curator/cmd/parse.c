/*
 * curator parse [--json] [--base URL] FILE|URL|-
 *
 * Reads one feed and prints its normalized items: a line per item, newest
 * first, or the whole feed as JSON in document order.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/json_write.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

const char cmd_parse_usage[] =
	"usage: curator parse [--json] [--base URL] FILE|URL|-\n"
	"\n"
	"Reads one feed (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) from\n"
	"a file, standard input (-), or an http(s) or file URL, and prints its\n"
	"items: one line per item, DATE<TAB>TITLE<TAB>URL, newest first.\n"
	"\n"
	"  --json      print the feed, its items in document order and the\n"
	"              warnings as one JSON object\n"
	"  --base URL  resolve relative links against URL\n"
	"\n"
	"HTTP fetches follow at most 5 redirects, stop after 30 s and 16 MiB,\n"
	"and never connect to a private address unless CURATOR_ALLOW_PRIVATE\n"
	"lists it (comma-separated CIDRs, e.g. 127.0.0.0/8).\n";

#define PARSE_MAX_BODY (16u << 20)
#define PARSE_SPILL_BUFFER (256u << 10)

struct text_line {
	int64_t date;
	bool has_date;
	size_t order;
	char *line;
};

struct parse_state {
	bool json;
	FILE *spill;            /* JSON items, in document order */
	struct buf dump;        /* one item's JSON, reused */
	size_t nitems;
	struct text_line *lines;
	size_t nlines, cap;
};

/* NOTE: the strings of a feed_item and feed_info are valid UTF-8 (their
 * contract in ingest.h): jansson need not check them again. */
static void
json_set_string(json_t *obj, const char *key, const char *value)
{
	if (value)
		json_object_set_new_nocheck(
			obj, key, json_stringn_nocheck(value, strlen(value)));
}

static void
json_set_date(json_t *obj, const char *key, bool has, int64_t t)
{
	char s[DATE_RFC3339_SIZE];

	if (!has)
		return;
	date_format_rfc3339(t, s);
	json_object_set_new_nocheck(obj, key,
				    json_stringn_nocheck(s, strlen(s)));
}

static void
write_string(struct json_writer *w, const char *key, const char *value)
{
	if (!value)
		return;
	json_write_key(w, key);
	json_write_string(w, value, strlen(value));
}

static void
write_date(struct json_writer *w, const char *key, bool has, int64_t t)
{
	char s[DATE_RFC3339_SIZE];

	if (!has)
		return;
	date_format_rfc3339(t, s);
	json_write_key(w, key);
	json_write_string(w, s, strlen(s));
}

/* One item as jansson would dump it (compact, keys in this order): the
 * hot path of `parse --json` writes it without building a tree (see
 * docs/DESIGN-NOTES.md). */
static void
write_item(const struct feed_item *it, struct buf *out)
{
	struct json_writer w;
	size_t i;

	json_write_init(&w, out);
	json_write_object_begin(&w);
	write_string(&w, "id", it->id);
	write_string(&w, "url", it->url);
	write_string(&w, "title", it->title);
	write_string(&w, "author", it->author);
	write_date(&w, "published", it->has_published, it->published);
	write_date(&w, "updated", it->has_updated, it->updated);
	write_string(&w, "summary", it->summary);
	write_string(&w, "content_html", it->content_html);
	write_string(&w, "image", it->image);
	if (it->ncategories) {
		json_write_key(&w, "categories");
		json_write_array_begin(&w);
		for (i = 0; i < it->ncategories; i++)
			json_write_string(&w, it->categories[i],
					  strlen(it->categories[i]));
		json_write_array_end(&w);
	}
	if (it->nenclosures) {
		json_write_key(&w, "enclosures");
		json_write_array_begin(&w);
		for (i = 0; i < it->nenclosures; i++) {
			json_write_object_begin(&w);
			write_string(&w, "url", it->enclosures[i].url);
			write_string(&w, "type", it->enclosures[i].type);
			if (it->enclosures[i].length >= 0) {
				json_write_key(&w, "length");
				json_write_int(&w, it->enclosures[i].length);
			}
			json_write_object_end(&w);
		}
		json_write_array_end(&w);
	}
	json_write_object_end(&w);
}

static json_t *
info_to_json(const struct feed_info *info)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "format",
			    json_string(feed_format_name(info->format)));
	json_set_string(obj, "title", info->title);
	json_set_string(obj, "url", info->url);
	json_set_string(obj, "feed_url", info->feed_url);
	json_set_string(obj, "description", info->description);
	json_set_string(obj, "language", info->language);
	json_set_date(obj, "updated", info->has_updated, info->updated);
	json_set_string(obj, "image", info->image);
	return obj;
}

/* Titles and URLs go on one line: tabs and newlines become spaces. */
static void
add_field(struct buf *line, const char *s)
{
	for (; s && *s; s++)
		buf_addc(line, *s == '\t' || *s == '\n' || *s == '\r' ? ' '
								      : *s);
}

static int
on_item(const struct feed_item *it, void *ctx)
{
	struct parse_state *st = ctx;
	struct buf line = BUF_INIT;
	char date[DATE_RFC3339_SIZE] = "-";
	bool has = it->has_published || it->has_updated;
	int64_t t = it->has_published ? it->published : it->updated;

	if (st->json) {
		buf_clear(&st->dump);
		buf_adds(&st->dump, st->nitems ? ",\n    " : "    ");
		write_item(it, &st->dump);
		fwrite(st->dump.ptr, 1, st->dump.len, st->spill);
		st->nitems++;
		return 0;
	}
	if (has)
		date_format_rfc3339(t, date);
	buf_adds(&line, date);
	buf_addc(&line, '\t');
	add_field(&line, it->title);
	buf_addc(&line, '\t');
	add_field(&line, it->url);
	st->lines = xgrow(st->lines, st->nlines + 1, &st->cap,
			  sizeof(*st->lines));
	st->lines[st->nlines].date = t;
	st->lines[st->nlines].has_date = has;
	st->lines[st->nlines].order = st->nlines;
	st->lines[st->nlines].line = buf_detach(&line, NULL);
	st->nlines++;
	return 0;
}

/* Newest first; undated items last; equal dates keep document order. */
static int
compare_lines(const void *a, const void *b)
{
	const struct text_line *x = a, *y = b;

	if (x->has_date != y->has_date)
		return x->has_date ? -1 : 1;
	if (x->has_date && x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Copies what it can of the spilled items to stdout with sendfile(2), no
 * copy through user memory (the output may be as big as the feed), and
 * leaves the spill's position after it: the caller copies the rest, if
 * any, with stdio (stdout opened for appending, or an error there, which
 * stdio then meets and main() reports). */
static void
copy_spill(FILE *spill)
{
	int in = fileno(spill);
	off_t off = 0;
	ssize_t n;

	if (fflush(stdout) != 0)
		return;
	while ((n = sendfile(STDOUT_FILENO, in, &off, 1u << 30)) > 0)
		;
	fseeko(spill, off, SEEK_SET);
}

static int
print_json(struct parse_state *st, const struct feed_info *info)
{
	json_t *feed = info_to_json(info), *warnings = json_array();
	char chunk[65536];
	size_t i, n;

	for (i = 0; i < info->nwarnings; i++)
		json_array_append_new(warnings, json_string(info->warnings[i]));
	/* NOTE: the frame is written by hand so that items can stream
	 * through a temporary file instead of memory; the feed and the
	 * warnings are dumped by jansson, the items by json_write (same
	 * bytes, no tree per item). */
	fputs("{\n  \"feed\": ", stdout);
	json_dumpf(feed, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputs(",\n  \"items\": [\n", stdout);
	rewind(st->spill);
	copy_spill(st->spill);
	while ((n = fread(chunk, 1, sizeof(chunk), st->spill)) > 0)
		fwrite(chunk, 1, n, stdout);
	fputs(st->nitems ? "\n  ],\n  \"warnings\": " : "  ],\n  \"warnings\": ",
	      stdout);
	json_dumpf(warnings, stdout, JSON_COMPACT);
	fputs("\n}\n", stdout);
	json_decref(feed);
	json_decref(warnings);
	return ferror(st->spill) ? -1 : 0;
}

static bool
has_prefix_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* file:///path -> /path, with %XX decoded. Returns NULL for other hosts. */
static char *
file_url_to_path(const char *url)
{
	const char *p = url + strlen("file://");
	struct buf path = BUF_INIT;
	unsigned int c;

	if (has_prefix_nocase(p, "localhost/"))
		p += strlen("localhost");
	if (*p != '/')
		return NULL;
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '%' && sscanf(p + 1, "%2x", &c) == 1 && c) {
			buf_addc(&path, (char)c);
			p += 2;
		} else {
			buf_addc(&path, *p);
		}
	}
	return buf_detach(&path, NULL);
}

int
cmd_parse(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "base", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct parse_state st = { 0 };
	struct feed_info info = { 0 };
	struct feed_options opts = { 0 };
	struct feed_input in;
	struct feed_memory_reader mem;
	struct http_options hopts = { 0 };
	struct http_response resp;
	struct report_pos pos = { 0 };
	const char *arg, *base = NULL;
	char *path = NULL;
	int c, fd = -1, rc = EXIT_FAILURE_;
	size_t i;

	http_response_init(&resp);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			st.json = true;
			break;
		case 'b':
			base = optarg;
			break;
		default:
			return cmd_usage_error(ctx, "parse", "bad option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "parse",
				       "expected one FILE, URL or -");
	arg = argv[optind];
	opts.name = arg;
	opts.base_url = base;
	pos.file = arg;
	if (has_prefix_nocase(arg, "http://") ||
	    has_prefix_nocase(arg, "https://")) {
		if (http_options_from_env(ctx->rep, &hopts) != 0)
			goto out;
		hopts.max_body = PARSE_MAX_BODY;
		hopts.timeout = 30;
		if (http_get(ctx->rep, &hopts, arg, NULL, &resp) != 0)
			goto out;
		if (resp.status != 200) {
			report_error(ctx->rep, &pos, "HTTP %ld", resp.status);
			report_hint(ctx->rep, "check the URL in a browser");
			goto out;
		}
		if (!base)
			opts.base_url = resp.effective_url ? resp.effective_url
							   : arg;
		opts.http_charset = resp.charset;
		feed_input_from_memory(&in, &mem, resp.body.ptr, resp.body.len);
	} else {
		if (has_prefix_nocase(arg, "file:")) {
			path = has_prefix_nocase(arg, "file://")
				       ? file_url_to_path(arg)
				       : NULL;
			if (!path) {
				report_error(ctx->rep, &pos,
					     "only file:///absolute/path URLs "
					     "are read");
				goto out;
			}
			if (!base)
				opts.base_url = arg;
		} else if (strstr(arg, "://")) {
			report_error(ctx->rep, &pos,
				     "unsupported URL scheme (only http, "
				     "https and file)");
			goto out;
		}
		if (strcmp(arg, "-") == 0) {
			fd = STDIN_FILENO;
			opts.name = "<stdin>";
		} else {
			fd = open(path ? path : arg, O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				report_error(ctx->rep, &pos, "cannot open: %s",
					     strerror(errno));
				goto out;
			}
		}
		feed_input_from_fd(&in, &fd);
	}
	if (st.json) {
		st.spill = tmpfile();
		if (!st.spill) {
			report_error(ctx->rep, NULL,
				     "cannot create a temporary file: %s",
				     strerror(errno));
			goto out;
		}
		/* NOTE: a write(2) per 4 KiB otherwise (st_blksize) */
		setvbuf(st.spill, NULL, _IOFBF, PARSE_SPILL_BUFFER);
	}
	/* NOTE: on_item runs on the parser's second thread; it touches
	 * only st, which this thread leaves alone until the parse ends */
	if (feed_parse_pipelined(ctx->rep, &opts, &in, on_item, &st,
				 &info) != 0)
		goto out;
	if (st.json) {
		if (print_json(&st, &info) != 0) {
			report_error(ctx->rep, NULL,
				     "cannot read back the temporary file");
			goto out;
		}
	} else {
		qsort(st.lines, st.nlines, sizeof(*st.lines), compare_lines);
		for (i = 0; i < st.nlines; i++)
			puts(st.lines[i].line);
		for (i = 0; i < info.nwarnings; i++)
			report_warn(ctx->rep, &pos, "%s", info.warnings[i]);
	}
	rc = EXIT_OK;
out:
	if (fd > STDIN_FILENO)
		close(fd);
	if (st.spill)
		fclose(st.spill);
	for (i = 0; i < st.nlines; i++)
		free(st.lines[i].line);
	free(st.lines);
	buf_release(&st.dump);
	free(path);
	feed_info_release(&info);
	http_response_release(&resp);
	http_options_release(&hopts);
	return rc;
}
