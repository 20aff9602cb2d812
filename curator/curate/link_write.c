/*
 * link_write: writing tagged links, links/YYYY/MM/SLUG.md (curator tag,
 * curator pick). See curate.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/file.h"
#include "core/frontmatter.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/content_int.h"

/* Room for "-NNN" after the slug within CONTENT_SLUG_MAX. */
#define LINK_SLUG_MAX 80

static void
pair(const char *key, const char *value, struct buf *out)
{
	if (value && *value)
		yaml_emit_pair(key, value, 0, out);
}

/* The note, its ends trimmed, and a final newline. */
static void
add_note(const char *note, struct buf *out)
{
	struct buf text = BUF_INIT;

	if (note)
		buf_adds(&text, note);
	buf_trim(&text);
	if (text.len) {
		buf_add(out, text.ptr, text.len);
		buf_addc(out, '\n');
	}
	buf_release(&text);
}

void
link_write_format(const struct link_draft *d, struct buf *out)
{
	char date[DATE_RFC3339_SIZE];

	buf_adds(out, "---\n");
	pair("url", d->url, out);
	pair("title", d->title, out);
	if (d->ntopics)
		yaml_emit_list("topics", d->topics, d->ntopics, 0, out);
	if (d->ntags)
		yaml_emit_list("tags", d->tags, d->ntags, 0, out);
	pair("kind", d->kind, out);
	pair("by", d->by, out);
	date_format_rfc3339(d->date, date);
	pair("date", date, out);
	pair("image", d->image, out);
	pair("isbn", d->isbn, out);
	pair("source", d->source, out);
	pair("language", d->language, out);
	pair("item", d->item, out);
	buf_adds(out, "---\n");
	add_note(d->note, out);
}

/* The front matter of a file, read quietly: NULL when it has none that
 * reads as a mapping. */
static int
read_quietly(const char *name, struct buf *data, struct frontmatter *fm,
	     struct yaml_doc *doc)
{
	struct report quiet;
	int rc = -1;

	report_init_collect(&quiet);
	buf_clear(data);
	if (file_read(&quiet, name, CONTENT_MAX_SIZE, data) == 0 &&
	    frontmatter_parse(&quiet, name, data->ptr, data->len, fm, doc) ==
		    0) {
		if (doc->root->kind == YAML_MAPPING)
			rc = 0;
		else
			yaml_doc_release(doc);
	}
	report_release(&quiet);
	return rc;
}

int
link_write_find(struct report *rep, const char *site_dir, const char *url,
		char **path)
{
	struct report_pos pos = { url, 0, 0 };
	struct buf want = BUF_INIT, got = BUF_INIT, data = BUF_INIT;
	const struct yaml_node *node;
	struct frontmatter fm;
	struct yaml_doc doc;
	struct report quiet;
	char **paths = NULL, *name;
	size_t i, n = 0;
	int rc = 0;

	*path = NULL;
	if (url_normalize(url, strlen(url), &want) != 0) {
		report_error(rep, &pos, "not an http:// or https:// URL");
		report_hint(rep, "copy the whole address from the browser");
		rc = -1;
		goto out;
	}
	/* An unreadable folder is curator check's to report. */
	report_init_collect(&quiet);
	content_list(&quiet, site_dir, "links", true, &paths, &n);
	report_release(&quiet);
	for (i = 0; i < n && rc == 0; i++) {
		name = content_site_path(site_dir, paths[i]);
		if (read_quietly(name, &data, &fm, &doc) == 0) {
			node = yaml_get(doc.root, "url");
			buf_clear(&got);
			if (node && node->kind == YAML_SCALAR &&
			    url_normalize(node->text, node->len, &got) == 0 &&
			    buf_equals(&got, want.ptr)) {
				*path = xstrdup(paths[i]);
				rc = 1;
			}
			yaml_doc_release(&doc);
		}
		free(name);
	}
out:
	xfree_strings(paths, n);
	buf_release(&want);
	buf_release(&got);
	buf_release(&data);
	return rc;
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 || errno != ENOENT;
}

int
link_write_new(struct report *rep, const char *site_dir,
	       const struct link_draft *d, char **path)
{
	struct buf slug = BUF_INIT, folder = BUF_INIT, rel = BUF_INIT;
	struct buf data = BUF_INIT;
	char *name = NULL, *dir = NULL;
	time_t t = (time_t)d->date;
	struct tm tm;
	unsigned n;
	int rc = -1;

	*path = NULL;
	utf8_slug(d->title, strlen(d->title), LINK_SLUG_MAX, &slug);
	if (slug.len == 0)
		buf_adds(&slug, "link");
	memset(&tm, 0, sizeof(tm));
	gmtime_r(&t, &tm);
	buf_addf(&folder, "links/%04d/%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1);
	dir = content_site_path(site_dir, folder.ptr);
	if (file_mkdirs(rep, dir) != 0)
		goto out;
	for (n = 1;; n++) {
		buf_clear(&rel);
		if (n == 1)
			buf_addf(&rel, "%s/%s.md", folder.ptr, slug.ptr);
		else
			buf_addf(&rel, "%s/%s-%u.md", folder.ptr, slug.ptr, n);
		free(name);
		name = content_site_path(site_dir, rel.ptr);
		if (!exists(name))
			break;
	}
	link_write_format(d, &data);
	if (file_write_atomic(rep, name, data.ptr, data.len, true) ==
	    FILE_WRITE_FAILED)
		goto out;
	*path = buf_detach(&rel, NULL);
	rc = 0;
out:
	free(name);
	free(dir);
	buf_release(&slug);
	buf_release(&folder);
	buf_release(&rel);
	buf_release(&data);
	return rc;
}

/* Appends to list the strings of node (a text or a list of texts) that
 * are not in it yet. */
static void
gather(const struct yaml_node *node, const char ***list, size_t *n,
       size_t *cap)
{
	size_t i, j;
	const struct yaml_node *item;

	if (!node || yaml_is_null(node))
		return;
	for (i = 0; i < (node->kind == YAML_SCALAR ? 1 : node->count); i++) {
		item = node->kind == YAML_SCALAR ? node : node->children[i];
		if (item->kind != YAML_SCALAR || yaml_is_null(item))
			continue;
		for (j = 0; j < *n; j++)
			if (strcmp((*list)[j], item->text) == 0)
				break;
		if (j < *n)
			continue;
		*list = xgrow(*list, *n + 1, cap, sizeof(**list));
		(*list)[(*n)++] = item->text;
	}
}

/* topics or tags: the file's, then d's not yet there. */
static void
merged_list(const char *key, const struct yaml_node *node,
	    const char *const *more, size_t nmore, struct buf *out)
{
	const char **list = NULL;
	size_t i, j, n = 0, cap = 0;

	gather(node, &list, &n, &cap);
	for (i = 0; i < nmore; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(list[j], more[i]) == 0)
				break;
		if (j == n) {
			list = xgrow(list, n + 1, &cap, sizeof(*list));
			list[n++] = more[i];
		}
	}
	if (n)
		yaml_emit_list(key, list, n, 0, out);
	free(list);
}

int
link_write_update(struct report *rep, const char *site_dir,
		  const char *rel, const struct link_draft *d)
{
	char *name = content_site_path(site_dir, rel);
	struct report_pos pos = { name, 1, 0 };
	struct buf data = BUF_INIT, out = BUF_INIT, body = BUF_INIT;
	struct buf note = BUF_INIT;
	const struct yaml_node *root, *child;
	bool has_topics, has_tags, added_topics = false;
	struct frontmatter fm;
	struct yaml_doc doc = { 0 };
	enum file_write_result written;
	size_t i;
	int rc = -1;

	if (file_read(rep, name, CONTENT_MAX_SIZE, &data) != 0)
		goto out;
	if (frontmatter_parse(rep, name, data.ptr, data.len, &fm, &doc) != 0)
		goto out;
	root = doc.root;
	if (root->kind != YAML_MAPPING) {
		report_error(rep, &pos, "the front matter is not a mapping");
		report_hint(rep, "fix the file, then run the command again");
		goto out;
	}
	has_topics = yaml_get(root, "topics") != NULL;
	has_tags = yaml_get(root, "tags") != NULL;
	/* New lists go where link_write_format puts them: topics after the
	 * title, tags after the topics. */
	buf_adds(&out, "---\n");
	for (i = 0; i < root->count; i++) {
		child = root->children[i];
		if (strcmp(child->key, "topics") == 0) {
			merged_list("topics", child, d->topics, d->ntopics,
				    &out);
		} else if (strcmp(child->key, "tags") == 0) {
			merged_list("tags", child, d->tags, d->ntags, &out);
		} else {
			yaml_emit_key(child->key, 0, &out);
			yaml_emit_value(child, 0, &out);
		}
		if (!has_topics && strcmp(child->key, "title") == 0) {
			merged_list("topics", NULL, d->topics, d->ntopics,
				    &out);
			has_topics = true;
			added_topics = true;
		}
		if (!has_tags && (strcmp(child->key, "topics") == 0 ||
				  (added_topics &&
				   strcmp(child->key, "title") == 0))) {
			merged_list("tags", NULL, d->tags, d->ntags, &out);
			has_tags = true;
		}
	}
	if (!has_topics)
		merged_list("topics", NULL, d->topics, d->ntopics, &out);
	if (!has_tags)
		merged_list("tags", NULL, d->tags, d->ntags, &out);
	buf_adds(&out, "---\n");
	buf_add(&body, fm.body, fm.body_len);
	if (d->note)
		buf_adds(&note, d->note);
	buf_trim(&note);
	if (note.len && !memmem(body.ptr, body.len, note.ptr, note.len)) {
		/* The old note, its trailing blank lines dropped, then the
		 * new one as a paragraph of its own. */
		while (body.len && (body.ptr[body.len - 1] == '\n' ||
				    body.ptr[body.len - 1] == '\r' ||
				    body.ptr[body.len - 1] == ' ' ||
				    body.ptr[body.len - 1] == '\t'))
			buf_setlen(&body, body.len - 1);
		if (body.len)
			buf_adds(&body, "\n\n");
		buf_add(&body, note.ptr, note.len);
		buf_addc(&body, '\n');
	}
	buf_add(&out, body.ptr, body.len);
	written = file_write_atomic(rep, name, out.ptr, out.len, true);
	if (written == FILE_WRITE_FAILED)
		goto out;
	rc = written == FILE_WRITE_WRITTEN ? 1 : 0;
out:
	yaml_doc_release(&doc);
	buf_release(&data);
	buf_release(&out);
	buf_release(&body);
	buf_release(&note);
	free(name);
	return rc;
}
