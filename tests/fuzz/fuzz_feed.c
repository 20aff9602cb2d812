/* libFuzzer target: the feed parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "core/report.h"
#include "ingest/ingest.h"

static int
count_item(const struct feed_item *item, void *ctx)
{
	(void)item;
	(*(size_t *)ctx)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_options opts = { "fuzz.xml", "https://example.org/feed", 0 };
	struct feed_memory_reader reader;
	struct feed_input in;
	struct feed_info info = { 0 };
	struct report rep;
	size_t n = 0;

	report_init_collect(&rep);
	feed_input_from_memory(&in, &reader, (const char *)data, size);
	feed_parse(&rep, &opts, &in, count_item, &n, &info);
	feed_info_release(&info);
	report_release(&rep);
	return 0;
}
