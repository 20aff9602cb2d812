/*
 * links: the librarians' tagged links, links/YYYY/MM/SLUG.md.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/config_check.h"
#include "core/isbn.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/content_int.h"
#include "ingest/ingest.h"

/* In the order a librarian writes them (the hint lists them so). */
static const char *const link_keys[] = {
	"url", "title", "topics", "tags", "kind", "by",
	"date", "image", "isbn", "source", "language", "item",
};

/* NOTE: in enum link_kind order. */
static const char *const kind_names[] = {
	[LINK_KIND_ARTICLE] = "article",
	[LINK_KIND_BOOK] = "book",
	[LINK_KIND_MUSIC] = "music",
	[LINK_KIND_FILM] = "film",
	[LINK_KIND_MANGA] = "manga",
	[LINK_KIND_COMIC] = "comic",
	[LINK_KIND_GAME] = "game",
	[LINK_KIND_PODCAST] = "podcast",
	[LINK_KIND_VIDEO] = "video",
	[LINK_KIND_EVENT] = "event",
};

const char *
link_kind_name(enum link_kind kind)
{
	if ((unsigned)kind >= LINK_KIND_COUNT)
		return "article";
	return kind_names[kind];
}

int
link_kind_parse(const char *name, enum link_kind *kind)
{
	size_t i;

	for (i = 0; i < LINK_KIND_COUNT; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum link_kind)i;
			return 0;
		}
	return -1;
}

void
curate_hint_topics(struct report *rep, const struct config *cfg)
{
	struct buf list = BUF_INIT;
	size_t i;

	if (cfg->ntopics == 0) {
		report_hint(rep, "%s has no topics yet: add them under "
				 "'topics:' there",
			    cfg->file ? cfg->file : "curator.yaml");
		return;
	}
	for (i = 0; i < cfg->ntopics; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", cfg->topics[i].slug);
	report_hint(rep, "the topics of %s are: %s",
		    cfg->file ? cfg->file : "curator.yaml", list.ptr);
	buf_release(&list);
}

const char *
curate_suggest_topic(const struct config *cfg, const char *word)
{
	const char **slugs;
	const char *near;
	size_t i;

	if (cfg->ntopics == 0)
		return NULL;
	slugs = xmalloc(cfg->ntopics * sizeof(*slugs));
	for (i = 0; i < cfg->ntopics; i++)
		slugs[i] = cfg->topics[i].slug;
	near = yaml_suggest(word, slugs, cfg->ntopics);
	free(slugs);
	return near;
}

/* Whether s is in list[0..n). */
static bool
has_string(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* The line of the i-th text of a list node (a text alone is a list of
 * one). */
static unsigned long
item_line(const struct yaml_node *node, size_t i)
{
	if (node->kind == YAML_SEQUENCE && i < node->count)
		return node->children[i]->line;
	return node->line;
}

int
content_get_topics(const struct content_file *file, char ***topics,
		   size_t *ntopics)
{
	const struct yaml_node *node = yaml_get(file->root, "topics");
	struct report_pos pos = { file->name, 0, 0 };
	const char **list = NULL;
	const char *near;
	bool hinted = false;
	size_t i, n = 0;
	int rc = 0;

	if (!node)
		return 0;
	if (yaml_get_strings(file->rep, node, "topics", &list, &n) != 0)
		return -1;
	*topics = n ? xcalloc(n, sizeof(**topics)) : NULL;
	for (i = 0; i < n; i++) {
		if (config_topic(file->cfg, list[i])) {
			if (!has_string(*topics, *ntopics, list[i]))
				(*topics)[(*ntopics)++] = xstrdup(list[i]);
			continue;
		}
		pos.line = item_line(node, i);
		near = curate_suggest_topic(file->cfg, list[i]);
		if (near)
			rc = report_error(file->rep, &pos,
					  "unknown topic \"%s\" (did you mean "
					  "\"%s\"?)",
					  list[i], near);
		else
			rc = report_error(file->rep, &pos,
					  "unknown topic \"%s\"", list[i]);
		if (!hinted)
			curate_hint_topics(file->rep, file->cfg);
		hinted = true;
	}
	free(list);
	return rc;
}

static int
parse_tags(const struct content_file *file, struct link *link)
{
	const struct yaml_node *node = yaml_get(file->root, "tags");
	const char **list = NULL;
	struct buf tag = BUF_INIT;
	size_t i, n = 0;

	if (!node)
		return 0;
	if (yaml_get_strings(file->rep, node, "tags", &list, &n) != 0)
		return -1;
	link->tags = n ? xcalloc(n, sizeof(*link->tags)) : NULL;
	for (i = 0; i < n; i++) {
		buf_clear(&tag);
		buf_adds(&tag, list[i]);
		buf_trim(&tag);
		/* An empty tag or the same tag twice is no mistake worth
		 * stopping a build for: it is dropped. */
		if (tag.len == 0 ||
		    has_string(link->tags, link->ntags, tag.ptr))
			continue;
		link->tags[link->ntags++] = xstrdup(tag.ptr);
	}
	buf_release(&tag);
	free(list);
	return 0;
}

static int
parse_kind(const struct content_file *file, struct link *link)
{
	const struct yaml_node *node = yaml_get(file->root, "kind");
	struct report_pos pos = { file->name, 0, 0 };
	struct buf list = BUF_INIT;
	const char *near;
	char *name = NULL;
	size_t i;

	link->kind = LINK_KIND_ARTICLE;
	if (content_get_text(file, "kind", &name) != 0)
		return -1;
	if (!name || link_kind_parse(name, &link->kind) == 0) {
		free(name);
		return 0;
	}
	pos.line = node->line;
	near = yaml_suggest(name, kind_names, LINK_KIND_COUNT);
	if (near)
		report_error(file->rep, &pos,
			     "unknown kind \"%s\" (did you mean \"%s\"?)",
			     name, near);
	else
		report_error(file->rep, &pos, "unknown kind \"%s\"", name);
	for (i = 0; i < LINK_KIND_COUNT; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", kind_names[i]);
	report_hint(file->rep, "the kinds are: %s", list.ptr);
	buf_release(&list);
	free(name);
	return -1;
}

int
content_get_http_url(const struct content_file *file, const char *name,
	       char **out)
{
	struct report_pos pos = { file->name, 0, 0 };

	if (content_get_text(file, name, out) != 0)
		return -1;
	if (!*out || config_check_http_url(*out, false))
		return 0;
	pos.line = yaml_get(file->root, name)->line;
	report_error(file->rep, &pos,
		     "\"%s\" must be an absolute http:// or https:// URL: "
		     "'%s'",
		     name, *out);
	report_hint(file->rep, "copy the whole address from the browser, "
			       "starting with https://");
	free(*out);
	*out = NULL;
	return -1;
}

int
content_get_isbn(const struct content_file *file, const char *name,
		 char isbn_out[14])
{
	struct report_pos pos = { file->name, 0, 0 };
	char *isbn = NULL;

	if (content_get_text(file, name, &isbn) != 0)
		return -1;
	if (!isbn || isbn_normalize(isbn, strlen(isbn), isbn_out) == 0) {
		free(isbn);
		return 0;
	}
	pos.line = yaml_get(file->root, name)->line;
	report_error(file->rep, &pos,
		     "\"%s\" is not a valid ISBN or EAN: '%s'", name, isbn);
	report_hint(file->rep, "copy the 10 or 13 digits again: the last one "
			       "is a check digit computed from the others");
	free(isbn);
	return -1;
}

/* A BCP 47 tag's shape: a 2 to 8 letter language, then subtags of 1 to 8
 * letters or digits ("fr", "pt-BR", "zh-Hant-TW"). */
static bool
is_language_tag(const char *s)
{
	size_t n = 0, i = 0;

	for (; s[i] && s[i] != '-'; i++, n++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	if (n < 2 || n > 8)
		return false;
	while (s[i] == '-') {
		for (i++, n = 0; s[i] && s[i] != '-'; i++, n++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			      (s[i] >= 'A' && s[i] <= 'Z') ||
			      (s[i] >= '0' && s[i] <= '9')))
				return false;
		if (n < 1 || n > 8)
			return false;
	}
	return s[i] == '\0';
}

static int
parse_language(const struct content_file *file, struct link *link)
{
	struct report_pos pos = { file->name, 0, 0 };

	if (content_get_text(file, "language", &link->language) != 0)
		return -1;
	if (!link->language || is_language_tag(link->language))
		return 0;
	pos.line = yaml_get(file->root, "language")->line;
	report_error(file->rep, &pos,
		     "\"language\" must be a language tag like en, fr or "
		     "pt-BR: '%s'",
		     link->language);
	report_hint(file->rep, "give it only when the page is not in the "
			       "site's language");
	free(link->language);
	link->language = NULL;
	return -1;
}

static int
parse_date(const struct content_file *file, struct link *link)
{
	const struct yaml_node *node = yaml_get(file->root, "date");

	if (!node || yaml_is_null(node))
		return content_missing(file, "date",
				       "date: 2026-11-24T10:00:00+01:00");
	return yaml_get_date(file->rep, node, "date", &link->date, NULL);
}

/* Two digits 01 to 12, four digits: links/YYYY/MM/ as written. */
static bool
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * "links/YYYY/MM/SLUG": the folder's year and month when the file is
 * right in links/YYYY/MM/ (so that a link keeps its address when its
 * date is corrected), else the date's in UTC.
 */
static char *
output_dir(const char *rel, const char *slug, int64_t date)
{
	struct buf out = BUF_INIT;
	const char *folder = rel + strlen("links/");
	struct tm tm;
	time_t t = (time_t)date;

	if (strncmp(rel, "links/", 6) == 0 && is_digits(folder, 4) &&
	    folder[4] == '/' && is_digits(folder + 5, 2) &&
	    folder[7] == '/' && !strchr(folder + 8, '/') &&
	    memcmp(folder + 5, "00", 2) != 0 &&
	    memcmp(folder + 5, "12", 2) <= 0) {
		buf_addf(&out, "links/%.7s/%s", folder, slug);
	} else {
		memset(&tm, 0, sizeof(tm));
		gmtime_r(&t, &tm);
		buf_addf(&out, "links/%04d/%02d/%s", tm.tm_year + 1900,
			 tm.tm_mon + 1, slug);
	}
	return buf_detach(&out, NULL);
}

int
links_parse(const struct content_file *file, struct link *link)
{
	struct buf html = BUF_INIT, text = BUF_INIT;
	int rc = 0;

	memset(link, 0, sizeof(*link));
	link->path = xstrdup(file->rel);
	if (yaml_check_keys(file->rep, file->root, link_keys,
			    sizeof(link_keys) / sizeof(*link_keys)) != 0)
		rc = -1;
	if (content_get_http_url(file, "url", &link->url) != 0)
		rc = -1;
	else if (!link->url)
		rc = content_missing(file, "url",
				     "url: https://example.org/the-page");
	if (content_get_text(file, "title", &link->title) != 0)
		rc = -1;
	else if (!link->title)
		rc = content_missing(file, "title", "title: \"The title\"");
	if (content_get_topics(file, &link->topics, &link->ntopics) != 0)
		rc = -1;
	if (parse_tags(file, link) != 0)
		rc = -1;
	if (parse_kind(file, link) != 0)
		rc = -1;
	if (content_get_text(file, "by", &link->by) != 0)
		rc = -1;
	if (parse_date(file, link) != 0)
		rc = -1;
	if (content_get_http_url(file, "image", &link->image) != 0)
		rc = -1;
	if (content_get_isbn(file, "isbn", link->isbn) != 0)
		rc = -1;
	if (content_get_text(file, "source", &link->source) != 0)
		rc = -1;
	if (parse_language(file, link) != 0)
		rc = -1;
	if (content_get_text(file, "item", &link->item_id) != 0)
		rc = -1;
	link->slug = content_file_slug(file);
	if (!link->slug)
		rc = -1;
	if (rc != 0) {
		links_release(link);
		return -1;
	}
	link->output_dir = output_dir(file->rel, link->slug, link->date);
	content_markdown(file->body, file->body_len, file->cfg->url, &html);
	html_to_text(html.ptr, html.len, &text);
	link->note_html = buf_detach(&html, NULL);
	link->note_text = buf_detach(&text, NULL);
	return 0;
}

void
links_release(struct link *link)
{
	free(link->path);
	free(link->slug);
	free(link->output_dir);
	free(link->url);
	free(link->title);
	xfree_strings(link->topics, link->ntopics);
	xfree_strings(link->tags, link->ntags);
	free(link->by);
	free(link->image);
	free(link->source);
	free(link->language);
	free(link->item_id);
	free(link->note_html);
	free(link->note_text);
	memset(link, 0, sizeof(*link));
}
