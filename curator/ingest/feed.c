/* PLACEHOLDER: replaced by the real feed parser. */
#include "ingest/ingest.h"

int
feed_parse(struct report *rep, const struct feed_options *opts,
	   struct feed_input *in, feed_item_fn on_item, void *ctx,
	   struct feed_info *info)
{
	struct report_pos pos = { opts->name, 0, 0 };

	(void)in;
	(void)on_item;
	(void)ctx;
	(void)info;
	return report_error(rep, &pos, "feed parsing is not written yet");
}
