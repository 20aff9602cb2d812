/*
 * cmd/link_options.c: the options curator tag and curator pick share
 * (--topic, --tag, --note, --kind, --by, --title).
 */
#include "cmd/cmd.h"

#include <stdlib.h>

#include "core/xmalloc.h"

static void
append(const char ***list, size_t *n, size_t *cap, const char *s)
{
	*list = xgrow(*list, *n + 1, cap, sizeof(**list));
	(*list)[(*n)++] = s;
}

bool
cmd_link_option(struct link_options *o, int c, const char *arg)
{
	switch (c) {
	case 'T':
		append(&o->topics, &o->ntopics, &o->topics_cap, arg);
		return true;
	case 't':
		append(&o->tags, &o->ntags, &o->tags_cap, arg);
		return true;
	case 'n':
		o->note = arg;
		return true;
	case 'k':
		o->kind = arg;
		return true;
	case 'b':
		o->by = arg;
		return true;
	case 'i':
		o->title = arg;
		return true;
	default:
		return false;
	}
}

void
cmd_link_options_release(struct link_options *o)
{
	free(o->topics);
	free(o->tags);
	o->topics = NULL;
	o->tags = NULL;
	o->ntopics = o->ntags = o->topics_cap = o->tags_cap = 0;
}
