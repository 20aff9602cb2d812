/*
 * route: which topics a feed item belongs to (curate_route in curate.h).
 */
#include <string.h>

#include "curate/curate.h"
#include "curate/text.h"

static bool
is_filed_under(const char *slug, const char *const *source_topics,
	       size_t nsource_topics)
{
	size_t i;

	for (i = 0; i < nsource_topics; i++)
		if (source_topics[i] &&
		    text_names_topic(source_topics[i], slug))
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
	size_t i;

	text_tokenize_item(title, summary, categories, ncategories, &toks);
	for (i = 0; i < cfg->ntopics; i++) {
		topic = &cfg->topics[i];
		in_topic[i] = (is_filed_under(topic->slug, source_topics,
					      nsource_topics) ||
			       matches_any(&toks, topic->include,
					   topic->ninclude)) &&
			      !matches_any(&toks, topic->exclude,
					   topic->nexclude);
	}
	text_tokens_release(&toks);
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
