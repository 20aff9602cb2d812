/*
 * site_items: the feed items a build shows, read from the store in one
 * query (each source holds at most store.keep_per_source items), trimmed
 * to what pages need (no content_html), and routed to topics.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "curate/curate.h"
#include "render/site_int.h"
#include "store/store.h"

/* Splits an OPML category ("bd, /musique/jazz") into topic slugs: comma
 * separated, of a slash path only the last segment (DESIGN-NOTES.md). */
static void
split_topics(const char *s, char ***out, size_t *n)
{
	size_t cap = 0;
	const char *p = s, *end, *seg, *slash;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		seg = p;
		while (seg < end && (*seg == ' ' || *seg == '\t'))
			seg++;
		for (slash = seg; slash < end; slash++)
			if (*slash == '/')
				seg = slash + 1;
		while (end > seg && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > seg) {
			*out = xgrow(*out, *n + 1, &cap, sizeof(**out));
			(*out)[(*n)++] = xmemdupz(seg, (size_t)(end - seg));
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
}

/*
 * Routing by curate_route(): the OPML topics of every source carrying the
 * item, and the topics' include/exclude keywords over its title, summary
 * and categories.
 */
static void
route(const struct site *s, const struct store_item *it, bool *in_topic)
{
	const char **topics = NULL;
	size_t ntopics = 0, cap = 0, i, j, k;

	for (i = 0; i < it->nsources; i++) {
		for (j = 0; j < s->nsources; j++) {
			const struct site_source *src = &s->sources[j];

			if (src->id != it->source_ids[i])
				continue;
			for (k = 0; k < src->ntopics; k++) {
				topics = xgrow(topics, ntopics + 1, &cap,
					       sizeof(*topics));
				topics[ntopics++] = src->topics[k];
			}
		}
	}
	curate_route(s->cfg, it->item.title, it->item.summary,
		     (const char *const *)it->item.categories,
		     it->item.ncategories, topics, ntopics, in_topic);
	free(topics);
}

static char *
dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* Only items that link to a web page reach the site (a feed may give
 * javascript: or a relative path). */
static bool
is_http(const char *url)
{
	return url && (strncmp(url, "https://", 8) == 0 ||
		       strncmp(url, "http://", 7) == 0);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct site_item *x = a, *y = b;

	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	if (x->id != y->id)
		return x->id > y->id ? -1 : 1;
	return 0;
}

/* The source an item is shown as coming from: the one whose copy is
 * stored, else the first still carrying it. */
static bool
find_source(const struct site *s, const struct store_item *it, size_t *si)
{
	size_t i, j;

	for (j = 0; j < s->nsources; j++)
		if (s->sources[j].id == it->source_id)
			goto found;
	for (i = 0; i < it->nsources; i++)
		for (j = 0; j < s->nsources; j++)
			if (s->sources[j].id == it->source_ids[i])
				goto found;
	return false;
found:
	*si = j;
	return true;
}

/* One query for every item (a query per source would scan the items
 * table once per source), unsorted: they are sorted here. */
static int
add_items(struct site *s, struct store *st, size_t *cap)
{
	struct store_item *items = NULL;
	size_t n = 0, i, t, si;
	int rc;

	rc = store_items_list_site(st, &items, &n);
	if (rc != 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct store_item *it = &items[i];
		struct site_item *x;
		unsigned char *flags;
		bool *in_topic;
		bool is_shown = false;

		/* A picked item is on the site as its tagged link; a
		 * dismissed one was turned down by a librarian. */
		if (it->is_picked || it->is_dismissed ||
		    !is_http(it->item.url) || !find_source(s, it, &si))
			continue;
		flags = xcalloc(s->cfg->ntopics ? s->cfg->ntopics : 1, 1);
		in_topic = xcalloc(s->cfg->ntopics ? s->cfg->ntopics : 1,
				   sizeof(*in_topic));
		route(s, it, in_topic);
		for (t = 0; t < s->cfg->ntopics; t++) {
			flags[t] = in_topic[t];
			if (flags[t] && s->cfg->topics[t].is_auto)
				is_shown = true;
		}
		free(in_topic);
		if (!is_shown) {
			free(flags);
			continue;
		}
		s->items = xgrow(s->items, s->nitems + 1, cap,
				 sizeof(*s->items));
		x = &s->items[s->nitems++];
		memset(x, 0, sizeof(*x));
		x->id = it->id;
		x->date = it->item.has_published ? it->item.published
						 : it->first_seen;
		x->title = dup_or_null(it->item.title);
		x->url = xstrdup(it->item.url);
		x->summary = dup_or_null(it->item.summary);
		x->image = dup_or_null(it->item.image);
		x->language = dup_or_null(it->item.language);
		x->source = si;
		x->in_topic = flags;
		x->is_shown = true;
	}
	store_items_free(items, n);
	return 0;
}

int
site_items_load(struct site *s)
{
	struct store_source *srcs = NULL;
	struct store *st = NULL;
	struct buf path = BUF_INIT;
	size_t nsrcs = 0, i, cap = 0;
	int rc = -1;

	/* A site never fetched has no store: no feed items. Opening would
	 * create one, so look first. */
	buf_addf(&path, "%s/.curator/state.db", s->site_dir);
	if (access(path.ptr, F_OK) != 0) {
		rc = 0;
		goto out;
	}
	st = store_open(s->rep, s->site_dir);
	if (!st || store_sources_list(st, &srcs, &nsrcs) != 0)
		goto out;
	s->sources = xcalloc(nsrcs ? nsrcs : 1, sizeof(*s->sources));
	s->nsources = nsrcs;
	for (i = 0; i < nsrcs; i++) {
		s->sources[i].id = srcs[i].id;
		s->sources[i].title = dup_or_null(srcs[i].title);
		s->sources[i].html_url = dup_or_null(srcs[i].html_url);
		split_topics(srcs[i].topics, &s->sources[i].topics,
			     &s->sources[i].ntopics);
	}
	if (add_items(s, st, &cap) != 0)
		goto out;
	if (s->nitems)
		qsort(s->items, s->nitems, sizeof(*s->items), item_cmp);
	rc = 0;
out:
	store_sources_free(srcs, nsrcs);
	store_close(st);
	buf_release(&path);
	return rc;
}

void
site_items_release(struct site *s)
{
	size_t i, j;

	for (i = 0; i < s->nitems; i++) {
		free(s->items[i].title);
		free(s->items[i].url);
		free(s->items[i].summary);
		free(s->items[i].image);
		free(s->items[i].language);
		free(s->items[i].in_topic);
	}
	free(s->items);
	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].title);
		free(s->sources[i].html_url);
		for (j = 0; j < s->sources[i].ntopics; j++)
			free(s->sources[i].topics[j]);
		free(s->sources[i].topics);
	}
	free(s->sources);
	s->items = NULL;
	s->nitems = 0;
	s->sources = NULL;
	s->nsources = 0;
}
