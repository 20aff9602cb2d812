/*
 * playlists: playlists/SLUG.md, an ordered list of works with an
 * introduction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/content_int.h"
#include "ingest/ingest.h"

/* In the order a librarian writes them (the hint lists them so). */
static const char *const playlist_keys[] = {
	"title", "kind", "by", "description", "image", "date", "topics",
	"entries",
};

static const char *const entry_keys[] = {
	"title", "creator", "year", "url", "isbn", "ean", "duration",
	"image", "note", "link",
};

/* NOTE: in enum playlist_kind order. */
static const char *const kind_names[] = {
	[PLAYLIST_KIND_MUSIC] = "music", [PLAYLIST_KIND_FILM] = "film",
	[PLAYLIST_KIND_MANGA] = "manga", [PLAYLIST_KIND_BOOK] = "book",
	[PLAYLIST_KIND_GAME] = "game",   [PLAYLIST_KIND_MIXED] = "mixed",
};

const char *
playlist_kind_name(enum playlist_kind kind)
{
	if ((unsigned)kind >= PLAYLIST_KIND_COUNT)
		return "mixed";
	return kind_names[kind];
}

int
playlist_kind_parse(const char *name, enum playlist_kind *kind)
{
	size_t i;

	for (i = 0; i < PLAYLIST_KIND_COUNT; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum playlist_kind)i;
			return 0;
		}
	return -1;
}

void
playlist_format_duration(long seconds, char out[32])
{
	if (seconds < 0)
		seconds = 0;
	if (seconds >= 3600)
		snprintf(out, 32, "%ld:%02ld:%02ld", seconds / 3600,
			 seconds / 60 % 60, seconds % 60);
	else
		snprintf(out, 32, "%ld:%02ld", seconds / 60, seconds % 60);
}

/* Reads min_digits to max_digits digits at *s. */
static int
read_number(const char **s, size_t min_digits, size_t max_digits, long *out)
{
	size_t n = 0;
	long v = 0;

	while (**s >= '0' && **s <= '9' && n < max_digits) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n < min_digits || (**s >= '0' && **s <= '9'))
		return -1;
	*out = v;
	return 0;
}

int
playlist_parse_duration(const char *s, long *seconds)
{
	long fields[3];
	size_t n = 0, i;
	long total = 0;

	for (;;) {
		if (n == 3)
			return -1;
		if (read_number(&s, n == 0 ? 1 : 2, n == 0 ? 4 : 2,
				&fields[n]) != 0)
			return -1;
		n++;
		if (*s == '\0')
			break;
		if (*s != ':')
			return -1;
		s++;
	}
	if (n < 2)
		return -1;
	for (i = 1; i < n; i++) {
		if (fields[i] > 59)
			return -1;
	}
	if (n == 3 && fields[0] > 99)
		return -1;
	for (i = 0; i < n; i++)
		total = total * 60 + fields[i];
	*seconds = total;
	return 0;
}

static int
parse_kind(const struct content_file *file, struct playlist *pl)
{
	struct report_pos pos = { file->name, 0, 0 };
	struct buf list = BUF_INIT;
	const char *near;
	char *name = NULL;
	size_t i;

	pl->kind = PLAYLIST_KIND_MIXED;
	if (content_get_text(file, "kind", &name) != 0)
		return -1;
	if (!name || playlist_kind_parse(name, &pl->kind) == 0) {
		free(name);
		return 0;
	}
	pos.line = yaml_get(file->root, "kind")->line;
	near = yaml_suggest(name, kind_names, PLAYLIST_KIND_COUNT);
	if (near)
		report_error(file->rep, &pos,
			     "unknown playlist kind \"%s\" (did you mean "
			     "\"%s\"?)",
			     name, near);
	else
		report_error(file->rep, &pos, "unknown playlist kind \"%s\"",
			     name);
	for (i = 0; i < PLAYLIST_KIND_COUNT; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", kind_names[i]);
	report_hint(file->rep, "the playlist kinds are: %s", list.ptr);
	buf_release(&list);
	free(name);
	return -1;
}

static int
parse_duration(const struct content_file *file, struct playlist_entry *e)
{
	struct report_pos pos = { file->name, 0, 0 };
	char *text = NULL;

	e->duration = -1;
	if (content_get_text(file, "duration", &text) != 0)
		return -1;
	if (!text || playlist_parse_duration(text, &e->duration) == 0) {
		free(text);
		return 0;
	}
	e->duration = -1;
	pos.line = yaml_get(file->root, "duration")->line;
	report_error(file->rep, &pos,
		     "\"duration\" must be minutes and seconds like 3:07: "
		     "'%s'",
		     text);
	report_hint(file->rep, "write it in quotes, \"m:ss\" (or "
			       "\"h:mm:ss\" for an hour or more)");
	free(text);
	return -1;
}

static int
parse_year(const struct content_file *file, struct playlist_entry *e)
{
	const struct yaml_node *node = yaml_get(file->root, "year");
	long long year;

	if (!node || yaml_is_null(node))
		return 0;
	if (yaml_get_int(file->rep, node, "year", 1, 9999, &year) != 0)
		return -1;
	e->year = (int)year;
	return 0;
}

static const struct link *
find_link(const struct site_content *content, const char *path)
{
	size_t i;

	for (i = 0; i < content->nlinks; i++)
		if (strcmp(content->links[i].path, path) == 0)
			return &content->links[i];
	return NULL;
}

/* Replaces *field with a copy of value when *field is NULL. */
static void
take(char **field, const char *value)
{
	if (!*field && value)
		*field = xstrdup(value);
}

/* "link:": the tagged link must exist; its values fill what the entry
 * does not say. */
static int
resolve_link(const struct content_file *file, const char *site_dir,
	     const struct site_content *content, struct playlist_entry *e,
	     bool *has_note)
{
	struct report_pos pos = { file->name, 0, 0 };
	const struct link *link;
	char *name;
	struct stat st;
	int rc = 0;

	pos.line = yaml_get(file->root, "link")->line;
	link = find_link(content, e->link_path);
	if (link) {
		e->link = link;
		take(&e->title, link->title);
		take(&e->url, link->url);
		take(&e->image, link->image);
		if (!e->isbn[0])
			memcpy(e->isbn, link->isbn, sizeof(e->isbn));
		if (!*has_note) {
			e->note_html = xstrdup(link->note_html);
			e->note_text = xstrdup(link->note_text);
			*has_note = true;
		}
		return 0;
	}
	name = content_site_path(site_dir, e->link_path);
	/* A link file that exists but could not be read has had its own
	 * errors reported. */
	if (strncmp(e->link_path, "links/", 6) == 0 &&
	    strstr(e->link_path, "..") == NULL && stat(name, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		rc = -1;
		goto out;
	}
	rc = report_error(file->rep, &pos, "no tagged link '%s'",
			  e->link_path);
	report_hint(file->rep, "give the path of a file under links/, like "
			       "links/2026/11/some-link.md, or tag it first "
			       "with 'curator tag URL'");
out:
	free(name);
	return rc;
}

static int
parse_entry(const struct content_file *playlist_file, const char *site_dir,
	    const struct site_content *content, const struct yaml_node *node,
	    size_t index, struct playlist_entry *e)
{
	struct content_file file = *playlist_file;
	struct report_pos pos = { playlist_file->name, node->line, 0 };
	struct buf html = BUF_INIT, text = BUF_INIT;
	char *note = NULL;
	bool has_note = false;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	e->duration = -1;
	e->line = node->line;
	if (node->kind != YAML_MAPPING) {
		report_error(file.rep, &pos,
			     "entry %zu must be a mapping (title: …, "
			     "creator: …) or 'link: links/…'",
			     index + 1);
		report_hint(file.rep, "start each entry with '- title: ' or "
				      "'- link: '");
		return -1;
	}
	file.root = node;
	if (yaml_check_keys(file.rep, node, entry_keys,
			    sizeof(entry_keys) / sizeof(*entry_keys)) != 0)
		rc = -1;
	if (content_get_text(&file, "title", &e->title) != 0)
		rc = -1;
	if (content_get_text(&file, "creator", &e->creator) != 0)
		rc = -1;
	if (parse_year(&file, e) != 0)
		rc = -1;
	if (content_get_http_url(&file, "url", &e->url) != 0)
		rc = -1;
	if (content_get_isbn(&file, "isbn", e->isbn) != 0)
		rc = -1;
	if (yaml_get(node, "ean") && yaml_get(node, "isbn") &&
	    !yaml_is_null(yaml_get(node, "ean"))) {
		pos.line = yaml_get(node, "ean")->line;
		rc = report_error(file.rep, &pos,
				  "an entry has \"isbn\" or \"ean\", not "
				  "both");
		report_hint(file.rep, "keep the number printed on the work");
	} else if (content_get_isbn(&file, "ean", e->isbn) != 0) {
		rc = -1;
	}
	if (parse_duration(&file, e) != 0)
		rc = -1;
	if (content_get_http_url(&file, "image", &e->image) != 0)
		rc = -1;
	if (content_get_text(&file, "note", &note) != 0)
		rc = -1;
	if (note) {
		content_markdown(note, strlen(note), file.cfg->url, &html);
		html_to_text(html.ptr, html.len, &text);
		e->note_html = buf_detach(&html, NULL);
		e->note_text = buf_detach(&text, NULL);
		has_note = true;
	}
	if (content_get_text(&file, "link", &e->link_path) != 0)
		rc = -1;
	else if (e->link_path &&
		 resolve_link(&file, site_dir, content, e, &has_note) != 0)
		rc = -1;
	if (!has_note) {
		e->note_html = xstrdup("");
		e->note_text = xstrdup("");
	}
	if (rc == 0 && !e->title && !e->link_path) {
		pos.line = node->line;
		rc = report_error(file.rep, &pos,
				  "entry %zu has no \"title\" (nor "
				  "\"link\")",
				  index + 1);
		report_hint(file.rep, "add 'title: \"…\"' to the entry, or "
				      "'link: links/…' to reuse a tagged "
				      "link");
	}
	free(note);
	buf_release(&html);
	buf_release(&text);
	return rc;
}

static void
entry_release(struct playlist_entry *e)
{
	free(e->title);
	free(e->creator);
	free(e->url);
	free(e->image);
	free(e->note_html);
	free(e->note_text);
	free(e->link_path);
	memset(e, 0, sizeof(*e));
}

static int
parse_entries(const struct content_file *file, const char *site_dir,
	      const struct site_content *content, struct playlist *pl)
{
	const struct yaml_node *node = yaml_get(file->root, "entries");
	size_t i;
	int rc = 0;

	pl->duration = -1;
	if (!node || yaml_is_null(node))
		return 0;
	if (yaml_expect_sequence(file->rep, node, "entries") != 0)
		return -1;
	pl->entries = node->count ? xcalloc(node->count, sizeof(*pl->entries))
				  : NULL;
	for (i = 0; i < node->count; i++) {
		if (parse_entry(file, site_dir, content, node->children[i], i,
				&pl->entries[pl->nentries]) != 0) {
			entry_release(&pl->entries[pl->nentries]);
			rc = -1;
			continue;
		}
		if (pl->entries[pl->nentries].duration >= 0)
			pl->duration = (pl->duration < 0 ? 0 : pl->duration) +
				       pl->entries[pl->nentries].duration;
		pl->nentries++;
	}
	return rc;
}

static int
parse_date(const struct content_file *file, struct playlist *pl)
{
	const struct yaml_node *node = yaml_get(file->root, "date");

	if (!node || yaml_is_null(node))
		return 0;
	if (yaml_get_date(file->rep, node, "date", &pl->date, NULL) != 0)
		return -1;
	pl->has_date = true;
	return 0;
}

static int
playlist_parse(const struct content_file *file, const char *site_dir,
	       const struct site_content *content, struct playlist *pl)
{
	struct buf html = BUF_INIT, text = BUF_INIT;
	int rc = 0;

	memset(pl, 0, sizeof(*pl));
	pl->path = xstrdup(file->rel);
	pl->duration = -1;
	if (yaml_check_keys(file->rep, file->root, playlist_keys,
			    sizeof(playlist_keys) / sizeof(*playlist_keys)) !=
	    0)
		rc = -1;
	if (content_get_text(file, "title", &pl->title) != 0)
		rc = -1;
	else if (!pl->title)
		rc = content_missing(file, "title", "title: \"The title\"");
	if (parse_kind(file, pl) != 0)
		rc = -1;
	if (content_get_text(file, "by", &pl->by) != 0)
		rc = -1;
	if (content_get_text(file, "description", &pl->description) != 0)
		rc = -1;
	if (content_get_http_url(file, "image", &pl->image) != 0)
		rc = -1;
	if (parse_date(file, pl) != 0)
		rc = -1;
	if (content_get_topics(file, &pl->topics, &pl->ntopics) != 0)
		rc = -1;
	if (parse_entries(file, site_dir, content, pl) != 0)
		rc = -1;
	pl->slug = content_file_slug(file);
	if (!pl->slug)
		rc = -1;
	if (rc != 0) {
		playlists_release(pl);
		return -1;
	}
	content_markdown(file->body, file->body_len, file->cfg->url, &html);
	html_to_text(html.ptr, html.len, &text);
	pl->intro_html = buf_detach(&html, NULL);
	pl->intro_text = buf_detach(&text, NULL);
	return 0;
}

void
playlists_release(struct playlist *pl)
{
	size_t i;

	free(pl->path);
	free(pl->slug);
	free(pl->title);
	free(pl->by);
	free(pl->description);
	free(pl->image);
	xfree_strings(pl->topics, pl->ntopics);
	for (i = 0; i < pl->nentries; i++)
		entry_release(&pl->entries[i]);
	free(pl->entries);
	free(pl->intro_html);
	free(pl->intro_text);
	memset(pl, 0, sizeof(*pl));
}

/* Newest first, undated last; ties by slug. */
static int
compare_playlists(const void *a, const void *b)
{
	const struct playlist *x = a, *y = b;

	if (x->has_date != y->has_date)
		return x->has_date ? -1 : 1;
	if (x->has_date && x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

int
playlists_load(struct report *rep, const struct config *cfg,
	       const char *site_dir, struct site_content *content)
{
	struct content_file file = { rep, cfg, NULL, NULL, NULL, NULL, 0 };
	struct buf data = BUF_INIT;
	struct yaml_doc doc;
	char **paths = NULL, *name;
	size_t i, n = 0;
	int rc;

	rc = content_list(rep, site_dir, "playlists", false, &paths, &n);
	content->playlists = n ? xcalloc(n, sizeof(*content->playlists))
			       : NULL;
	for (i = 0; i < n; i++) {
		name = content_site_path(site_dir, paths[i]);
		file.rel = paths[i];
		file.name = name;
		if (content_open(&file, &data, &doc) != 0) {
			rc = -1;
		} else {
			if (playlist_parse(&file, site_dir, content,
					   &content->playlists
						    [content->nplaylists]) ==
			    0)
				content->nplaylists++;
			else
				rc = -1;
			yaml_doc_release(&doc);
		}
		free(name);
	}
	if (content->nplaylists > 1)
		qsort(content->playlists, content->nplaylists,
		      sizeof(*content->playlists), compare_playlists);
	xfree_strings(paths, n);
	buf_release(&data);
	return rc;
}
