/*
 * feed_parse: reads the first bytes, tells a JSON Feed from XML (and both
 * from an HTML page, a PDF or nothing), and hands over to feed_xml.c or
 * feed_json.c. The XML flavour (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) is decided
 * by the root element, in feed_xml.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

enum sniff {
	SNIFF_EMPTY,
	SNIFF_XML,
	SNIFF_JSON,
	SNIFF_PDF,
	SNIFF_OTHER,
};

static enum sniff
sniff(const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
		       (s[0] == 0xFE && s[1] == 0xFF) ||
		       (s[0] == '<' && s[1] == 0) || (s[0] == 0 && s[1] == '<')))
		return SNIFF_XML; /* UTF-16 */
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
			 s[i] == '\n'))
		i++;
	if (i == n)
		return SNIFF_EMPTY;
	if (s[i] == '{')
		return SNIFF_JSON;
	if (s[i] == '<')
		return SNIFF_XML;
	if (n - i >= 4 && memcmp(s + i, "%PDF", 4) == 0)
		return SNIFF_PDF;
	return SNIFF_OTHER;
}

/* Fills buf with up to size bytes (several reads from a pipe). Returns the
 * count, or -1 on a read error. */
static ssize_t
read_head(struct feed_input *in, char *buf, size_t size, bool *is_eof)
{
	size_t got = 0;
	ssize_t n;

	*is_eof = false;
	while (got < size) {
		n = in->read(in->ctx, buf + got, size - got);
		if (n < 0)
			return -1;
		if (n == 0) {
			*is_eof = true;
			break;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int
parse(struct report *rep, const struct feed_options *opts,
      struct feed_input *in, feed_item_fn on_item, void *ctx,
      struct feed_info *info, bool is_pipelined)
{
	struct report_pos pos = { opts->name, 0, 0 };
	struct feed_diag diag = { 0 };
	struct feed_pipe *pipe = NULL;
	char *head = xmalloc(FEED_CHUNK_SIZE);
	enum sniff kind;
	bool is_eof = false;
	ssize_t n;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	/* A head of white space only says nothing yet: read on (dropping
	 * it, so that memory stays bounded). */
	do {
		n = read_head(in, head, FEED_CHUNK_SIZE, &is_eof);
		if (n < 0) {
			feed_diag_fail(&diag, "read error: %s",
				       strerror(errno));
			goto out;
		}
		kind = sniff((const unsigned char *)head, (size_t)n);
	} while (kind == SNIFF_EMPTY && !is_eof);

	switch (kind) {
	case SNIFF_EMPTY:
		feed_diag_fail(&diag, "empty file");
		break;
	case SNIFF_PDF:
		feed_diag_fail(&diag, "not a feed (looks like PDF)");
		break;
	case SNIFF_OTHER:
		feed_diag_fail(&diag, "not a feed");
		break;
	case SNIFF_JSON:
	case SNIFF_XML:
		if (is_pipelined) {
			pipe = feed_pipe_new(on_item, ctx);
			diag.pipe = pipe;
			on_item = feed_pipe_on_item;
			ctx = pipe;
		}
		if (kind == SNIFF_JSON)
			rc = feed_json_parse(opts, head, (size_t)n, in,
					     on_item, ctx, info, &diag);
		else
			rc = feed_xml_parse(opts, head, (size_t)n, in, on_item,
					    ctx, info, &diag);
		/* every item through on_item before returning */
		feed_pipe_finish(pipe);
		diag.pipe = NULL;
		break;
	}
out:
	feed_diag_to_info(&diag, info);
	if (rc != 0) {
		rc = report_error(rep, &pos, "%s",
				  diag.error ? diag.error : "not a feed");
		if (diag.error && strstr(diag.error, "looks like HTML"))
			report_hint(rep, "give the address of the feed, not of "
					 "the page (the page's <link "
					 "rel=\"alternate\"> names it)");
	}
	feed_diag_release(&diag);
	free(head);
	return rc;
}

int
feed_parse(struct report *rep, const struct feed_options *opts,
	   struct feed_input *in, feed_item_fn on_item, void *ctx,
	   struct feed_info *info)
{
	return parse(rep, opts, in, on_item, ctx, info, false);
}

int
feed_parse_pipelined(struct report *rep, const struct feed_options *opts,
		     struct feed_input *in, feed_item_fn on_item, void *ctx,
		     struct feed_info *info)
{
	return parse(rep, opts, in, on_item, ctx, info, true);
}
