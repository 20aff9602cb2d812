/*
 * What every feed format shares: format names, releasing parsed data, and
 * the input readers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "ingest/ingest.h"

static const char *const format_names[] = {
	[FEED_FORMAT_UNKNOWN] = "unknown", [FEED_FORMAT_RSS090] = "rss0.90",
	[FEED_FORMAT_RSS091] = "rss0.91",  [FEED_FORMAT_RSS092] = "rss0.92",
	[FEED_FORMAT_RSS10] = "rss1.0",    [FEED_FORMAT_RSS20] = "rss2.0",
	[FEED_FORMAT_ATOM03] = "atom0.3",  [FEED_FORMAT_ATOM10] = "atom1.0",
	[FEED_FORMAT_JSON10] = "json1.0",  [FEED_FORMAT_JSON11] = "json1.1",
};

const char *
feed_format_name(enum feed_format format)
{
	if ((size_t)format >= sizeof(format_names) / sizeof(*format_names))
		return "unknown";
	return format_names[format];
}

void
feed_item_release(struct feed_item *item)
{
	size_t i;

	free(item->id);
	free(item->url);
	free(item->title);
	free(item->author);
	free(item->summary);
	free(item->content_html);
	free(item->image);
	free(item->language);
	xfree_strings(item->categories, item->ncategories);
	for (i = 0; i < item->nenclosures; i++) {
		free(item->enclosures[i].url);
		free(item->enclosures[i].type);
	}
	free(item->enclosures);
	memset(item, 0, sizeof(*item));
}

void
feed_info_release(struct feed_info *info)
{
	free(info->title);
	free(info->url);
	free(info->feed_url);
	free(info->description);
	free(info->language);
	free(info->image);
	xfree_strings(info->warnings, info->nwarnings);
	memset(info, 0, sizeof(*info));
}

static ssize_t
read_memory(void *ctx, char *buf, size_t len)
{
	struct feed_memory_reader *r = ctx;
	size_t n = r->len - r->pos;

	if (n > len)
		n = len;
	memcpy(buf, r->data + r->pos, n);
	r->pos += n;
	return (ssize_t)n;
}

void
feed_input_from_memory(struct feed_input *in, struct feed_memory_reader *reader,
		       const char *data, size_t len)
{
	reader->data = data;
	reader->len = len;
	reader->pos = 0;
	in->read = read_memory;
	in->ctx = reader;
}

static ssize_t
read_fd(void *ctx, char *buf, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

void
feed_input_from_fd(struct feed_input *in, int *fd)
{
	in->read = read_fd;
	in->ctx = fd;
}
