/*
 * route: which topics a feed item belongs to (curate_route in curate.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#include "curate/curate.h"
#include "curate/text.h"

/* Whether one of the folded source topics is slug (text_names_topic()
 * folds once per source topic here, not once per topic and source). */
static bool
is_filed_under(const char *slug, const struct buf *folded,
	       size_t nsource_topics)
{
	size_t i;

	for (i = 0; i < nsource_topics; i++)
		if (folded[i].ptr && strcmp(folded[i].ptr, slug) == 0)
			return true;
	return false;
}

static bool
matches_any(const struct text_tokens *toks, char *const *keywords,
	    size_t nkeywords)
{
	size_t i;

	for (i = 0; i < nkeywords; i++)
		if (text_find_keyword(toks, keywords[i]))
			return true;
	return false;
}

void
curate_route(const struct config *cfg, const char *title, const char *summary,
	     const char *const *categories, size_t ncategories,
	     const char *const *source_topics, size_t nsource_topics,
	     bool *in_topic)
{
	struct text_tokens toks = TEXT_TOKENS_INIT;
	const struct config_topic *topic;
	struct buf *folded;
	size_t i;

	folded = xcalloc(nsource_topics ? nsource_topics : 1,
			 sizeof(*folded));
	for (i = 0; i < nsource_topics; i++) {
		buf_init(&folded[i], 0);
		if (source_topics[i])
			utf8_slug(source_topics[i], strlen(source_topics[i]),
				  256, &folded[i]);
	}
	/* Cutting and folding the item's words is most of the cost: only
	 * when a topic has keywords to match. */
	for (i = 0; i < cfg->ntopics; i++)
		if (cfg->topics[i].ninclude || cfg->topics[i].nexclude)
			break;
	if (i < cfg->ntopics)
		text_tokenize_item(title, summary, categories, ncategories,
				   &toks);
	for (i = 0; i < cfg->ntopics; i++) {
		topic = &cfg->topics[i];
		in_topic[i] = (is_filed_under(topic->slug, folded,
					      nsource_topics) ||
			       matches_any(&toks, topic->include,
					   topic->ninclude)) &&
			      !matches_any(&toks, topic->exclude,
					   topic->nexclude);
	}
	text_tokens_release(&toks);
	for (i = 0; i < nsource_topics; i++)
		buf_release(&folded[i]);
	free(folded);
}

void
rank_rules_from_config(const struct config_topic *topic,
		       struct rank_rules *rules)
{
	rules->slug = topic->slug;
	rules->include = (const char *const *)topic->include;
	rules->ninclude = topic->ninclude;
	rules->exclude = (const char *const *)topic->exclude;
	rules->nexclude = topic->nexclude;
}
