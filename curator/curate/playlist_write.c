/*
 * playlist_write: creating playlists/SLUG.md and adding entries to it
 * (curator playlist). See curate.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/file.h"
#include "core/frontmatter.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/content_int.h"

static char *
playlist_rel(const char *slug)
{
	struct buf rel = BUF_INIT;

	buf_addf(&rel, "playlists/%s.md", slug);
	return buf_detach(&rel, NULL);
}

int
playlist_write_new(struct report *rep, const char *site_dir,
		   const char *slug, const char *title,
		   enum playlist_kind kind, const char *by, int64_t date,
		   char **path)
{
	char *rel = playlist_rel(slug);
	char *name = content_site_path(site_dir, rel);
	char *dir = content_site_path(site_dir, "playlists");
	struct report_pos pos = { name, 0, 0 };
	char stamp[DATE_RFC3339_SIZE];
	struct buf data = BUF_INIT;
	struct stat st;
	int rc = -1;

	*path = NULL;
	if (lstat(name, &st) == 0 || errno != ENOENT) {
		report_error(rep, &pos, "already exists");
		report_hint(rep, "add to it with 'curator playlist add %s', "
				 "or choose another name",
			    slug);
		goto out;
	}
	if (file_mkdirs(rep, dir) != 0)
		goto out;
	buf_adds(&data, "---\n");
	yaml_emit_pair("title", title, 0, &data);
	yaml_emit_pair("kind", playlist_kind_name(kind), 0, &data);
	if (by && *by)
		yaml_emit_pair("by", by, 0, &data);
	date_format_rfc3339(date, stamp);
	yaml_emit_pair("date", stamp, 0, &data);
	buf_adds(&data, "entries: []\n---\n");
	if (file_write_atomic(rep, name, data.ptr, data.len, true) ==
	    FILE_WRITE_FAILED)
		goto out;
	*path = rel;
	rel = NULL;
	rc = 0;
out:
	buf_release(&data);
	free(rel);
	free(name);
	free(dir);
	return rc;
}

/* The new entry as a block sequence item at indent 2. */
static void
add_entry(const struct playlist_entry_draft *e, struct buf *out)
{
	struct buf item = BUF_INIT;
	char year[16];

	if (e->link)
		yaml_emit_pair("link", e->link, 4, &item);
	if (e->title)
		yaml_emit_pair("title", e->title, 4, &item);
	if (e->creator)
		yaml_emit_pair("creator", e->creator, 4, &item);
	if (e->year > 0) {
		snprintf(year, sizeof(year), "%d", e->year);
		yaml_emit_pair("year", year, 4, &item);
	}
	if (e->url)
		yaml_emit_pair("url", e->url, 4, &item);
	if (e->isbn)
		yaml_emit_pair("isbn", e->isbn, 4, &item);
	if (e->duration)
		yaml_emit_pair("duration", e->duration, 4, &item);
	if (e->image)
		yaml_emit_pair("image", e->image, 4, &item);
	if (e->note)
		yaml_emit_pair("note", e->note, 4, &item);
	/* "    key" becomes "  - key" for the first line. */
	if (item.len >= 4) {
		item.ptr[2] = '-';
		buf_add(out, item.ptr, item.len);
	}
	buf_release(&item);
}

/* One existing entry as a block sequence item at indent 2. */
static void
copy_entry(const struct yaml_node *node, struct buf *out)
{
	struct buf item = BUF_INIT;
	size_t i;

	if (node->kind == YAML_MAPPING && node->count) {
		for (i = 0; i < node->count; i++) {
			yaml_emit_key(node->children[i]->key, 4, &item);
			yaml_emit_value(node->children[i], 4, &item);
		}
		item.ptr[2] = '-';
		buf_add(out, item.ptr, item.len);
	} else {
		/* Not a mapping: curator check reports it; kept as it
		 * was. */
		buf_adds(out, "  -");
		yaml_emit_value(node, 2, out);
	}
	buf_release(&item);
}

int
playlist_write_add(struct report *rep, const char *site_dir,
		   const char *slug, const struct playlist_entry_draft *e,
		   size_t at, char **path)
{
	char *rel = playlist_rel(slug);
	char *name = content_site_path(site_dir, rel);
	struct report_pos pos = { name, 0, 0 };
	struct buf data = BUF_INIT, out = BUF_INIT;
	const struct yaml_node *root, *child, *entries = NULL;
	struct frontmatter fm;
	struct yaml_doc doc = { 0 };
	struct stat st;
	size_t i, j, n = 0;
	int rc = -1;

	*path = NULL;
	if (stat(name, &st) != 0) {
		report_error(rep, &pos, "no such playlist");
		report_hint(rep, "create it with 'curator playlist new %s "
				 "--title TEXT --kind KIND'",
			    slug);
		goto out;
	}
	if (file_read(rep, name, CONTENT_MAX_SIZE, &data) != 0)
		goto out;
	if (frontmatter_parse(rep, name, data.ptr, data.len, &fm, &doc) != 0)
		goto out;
	root = doc.root;
	if (yaml_expect_mapping(rep, root, "the front matter") != 0)
		goto out;
	entries = yaml_get(root, "entries");
	if (entries && !yaml_is_null(entries) &&
	    yaml_expect_sequence(rep, entries, "entries") != 0)
		goto out;
	if (entries && entries->kind == YAML_SEQUENCE)
		n = entries->count;
	if (at == 0)
		at = n + 1;
	if (at > n + 1) {
		pos.line = entries ? entries->key_line : 1;
		report_error(rep, &pos,
			     "no position %zu: the playlist has %zu "
			     "entr%s",
			     at, n, n == 1 ? "y" : "ies");
		report_hint(rep, "give --at from 1 to %zu, or leave it out "
				 "to add at the end",
			    n + 1);
		goto out;
	}
	buf_adds(&out, "---\n");
	for (i = 0; i < root->count; i++) {
		child = root->children[i];
		if (child != entries) {
			yaml_emit_key(child->key, 0, &out);
			yaml_emit_value(child, 0, &out);
			continue;
		}
		buf_adds(&out, "entries:\n");
		for (j = 0; j < n; j++) {
			if (j + 1 == at)
				add_entry(e, &out);
			copy_entry(entries->children[j], &out);
		}
		if (at == n + 1)
			add_entry(e, &out);
	}
	if (!entries) {
		buf_adds(&out, "entries:\n");
		add_entry(e, &out);
	}
	buf_adds(&out, "---\n");
	buf_add(&out, fm.body, fm.body_len);
	if (file_write_atomic(rep, name, out.ptr, out.len, true) ==
	    FILE_WRITE_FAILED)
		goto out;
	*path = rel;
	rel = NULL;
	rc = 0;
out:
	yaml_doc_release(&doc);
	buf_release(&data);
	buf_release(&out);
	free(rel);
	free(name);
	return rc;
}
