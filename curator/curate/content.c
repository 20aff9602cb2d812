/*
 * content: reading the site's content files (links/, pages/) into a
 * struct site_content. links.c and pages.c read one file each.
 */
#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/frontmatter.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/content_int.h"
#include "ingest/ingest.h"

/* Folders nested deeper than this under links/ are refused: a symbolic
 * link loop would otherwise never end. */
#define CONTENT_MAX_DEPTH 16

bool
content_is_slug(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > CONTENT_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

char *
content_file_slug(const struct content_file *file)
{
	struct report_pos pos = { file->name, 0, 0 };
	const char *base = strrchr(file->rel, '/');
	struct buf stem = BUF_INIT, slug = BUF_INIT;
	char *out = NULL;

	base = base ? base + 1 : file->rel;
	buf_add(&stem, base, strlen(base) - strlen(".md"));
	if (content_is_slug(stem.ptr)) {
		out = buf_detach(&stem, NULL);
		goto out;
	}
	report_error(file->rep, &pos,
		     "the file name must be lowercase letters, digits and "
		     "hyphens: '%s'",
		     base);
	utf8_slug(stem.ptr, stem.len, CONTENT_SLUG_MAX, &slug);
	if (slug.len)
		report_hint(file->rep, "rename it to '%s.md': its name is "
				       "part of the page's address",
			    slug.ptr);
	else
		report_hint(file->rep, "rename it with Latin letters: its name "
				       "is part of the page's address");
out:
	buf_release(&stem);
	buf_release(&slug);
	return out;
}

int
content_missing(const struct content_file *file, const char *name,
		const char *example)
{
	struct report_pos pos = { file->name, 1, 0 };

	report_error(file->rep, &pos, "\"%s\" is required", name);
	report_hint(file->rep, "add a line like '%s' between the '---' lines",
		    example);
	return -1;
}

int
content_get_text(const struct content_file *file, const char *name,
		 char **out)
{
	const struct yaml_node *node = yaml_get(file->root, name);
	struct buf text = BUF_INIT;
	const char *s;

	*out = NULL;
	if (!node || yaml_is_null(node))
		return 0;
	if (yaml_get_string(file->rep, node, name, &s) != 0)
		return -1;
	buf_adds(&text, s);
	buf_trim(&text);
	if (text.len)
		*out = buf_detach(&text, NULL);
	buf_release(&text);
	return 0;
}

/*
 * Replaces every link and image whose URL may not stand in a page
 * (javascript:, data:, file:, …: see url_is_safe_link) with its text, so
 * that "[lien](javascript:x)" reads "lien" instead of becoming a link to
 * wherever an empty href leads.
 */
static void
unwrap_unsafe_links(cmark_node *doc)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_node **unsafe = NULL, *node, *child;
	cmark_node_type type;
	const char *url;
	size_t i, n = 0, cap = 0;

	while (cmark_iter_next(iter) != CMARK_EVENT_DONE) {
		if (cmark_iter_get_event_type(iter) != CMARK_EVENT_ENTER)
			continue;
		node = cmark_iter_get_node(iter);
		type = cmark_node_get_type(node);
		if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE)
			continue;
		url = cmark_node_get_url(node);
		if (url && url_is_safe_link(url, strlen(url)))
			continue;
		unsafe = xgrow(unsafe, n + 1, &cap, sizeof(*unsafe));
		unsafe[n++] = node;
	}
	cmark_iter_free(iter);
	/* NOTE: last first, so that an image inside a link goes before the
	 * link that holds it. */
	for (i = n; i-- > 0;) {
		while ((child = cmark_node_first_child(unsafe[i])) != NULL)
			cmark_node_insert_before(unsafe[i], child);
		cmark_node_free(unsafe[i]);
	}
	free(unsafe);
}

void
content_markdown(const char *md, size_t len, const char *base_url,
		 struct buf *out)
{
	/*
	 * Safe mode (the default since cmark 0.29, asked for anyway) drops
	 * raw HTML; unsafe links are unwrapped first; the allowlist
	 * sanitizer behind it decides in the end. Smart punctuation gives
	 * typographic apostrophes, quotes and dashes, which French and
	 * English text both want.
	 */
	int options = CMARK_OPT_SAFE | CMARK_OPT_SMART |
		      CMARK_OPT_VALIDATE_UTF8;
	cmark_node *doc;
	char *html;

	doc = cmark_parse_document(md, len, options);
	if (!doc)
		return;
	unwrap_unsafe_links(doc);
	html = cmark_render_html(doc, options);
	cmark_node_free(doc);
	if (!html)
		return;
	sanitize_html(html, strlen(html), base_url, out);
	free(html);
}

/* The name of rel in messages and to open it: rel itself when the site is
 * the current folder, else "DIR/rel". */
static char *
site_path(const char *site_dir, const char *rel)
{
	struct buf path = BUF_INIT;

	if (strcmp(site_dir, ".") != 0)
		buf_addf(&path, "%s/", site_dir);
	buf_adds(&path, rel);
	return buf_detach(&path, NULL);
}

struct path_list {
	char **paths;   /* site-relative */
	size_t n, cap;
};

static void
path_list_release(struct path_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		free(list->paths[i]);
	free(list->paths);
	memset(list, 0, sizeof(*list));
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_markdown(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/*
 * Appends to list the *.md files of the folder rel (site-relative), in
 * byte order of their names, and with recursive those of its subfolders.
 * Names starting with "." are skipped (editors' and git's files). A
 * missing folder has no files.
 */
static int
list_files(struct report *rep, const char *site_dir, const char *rel,
	   bool recursive, int depth, struct path_list *list)
{
	char *dir_path = site_path(site_dir, rel);
	struct report_pos pos = { dir_path, 0, 0 };
	struct path_list names = { 0 };
	struct buf child = BUF_INIT, full = BUF_INIT;
	struct dirent *entry;
	struct stat st;
	DIR *dir;
	size_t i;
	int rc = -1;

	dir = opendir(dir_path);
	if (!dir) {
		if (errno == ENOENT && depth == 0) {
			rc = 0;
			goto out;
		}
		report_error(rep, &pos, "cannot read the folder: %s",
			     strerror(errno));
		goto out;
	}
	if (depth > CONTENT_MAX_DEPTH) {
		report_error(rep, &pos, "folders nested too deeply");
		report_hint(rep, "is there a symbolic link to a folder above "
				 "it?");
		goto out;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		names.paths = xgrow(names.paths, names.n + 1, &names.cap,
				    sizeof(*names.paths));
		names.paths[names.n++] = xstrdup(entry->d_name);
	}
	if (names.n)
		qsort(names.paths, names.n, sizeof(*names.paths),
		      compare_strings);
	rc = 0;
	for (i = 0; i < names.n; i++) {
		buf_clear(&child);
		buf_addf(&child, "%s/%s", rel, names.paths[i]);
		buf_clear(&full);
		buf_addf(&full, "%s/%s", dir_path, names.paths[i]);
		if (stat(full.ptr, &st) != 0)
			continue; /* a dangling symbolic link */
		if (S_ISDIR(st.st_mode)) {
			if (recursive &&
			    list_files(rep, site_dir, child.ptr, recursive,
				       depth + 1, list) != 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode) &&
			   is_markdown(names.paths[i])) {
			list->paths = xgrow(list->paths, list->n + 1,
					    &list->cap, sizeof(*list->paths));
			list->paths[list->n++] = buf_detach(&child, NULL);
		}
	}
out:
	if (dir)
		closedir(dir);
	path_list_release(&names);
	buf_release(&child);
	buf_release(&full);
	free(dir_path);
	return rc;
}

/*
 * Reads one file and splits it. On success *doc holds the front matter
 * (a mapping) and file is ready for links_parse() or pages_parse();
 * data holds the bytes the body points into.
 */
static int
open_file(struct content_file *file, struct buf *data, struct yaml_doc *doc)
{
	struct frontmatter fm;

	memset(doc, 0, sizeof(*doc));
	buf_clear(data);
	if (file_read(file->rep, file->name, CONTENT_MAX_SIZE, data) != 0)
		return -1;
	if (frontmatter_parse(file->rep, file->name, data->ptr, data->len,
			      &fm, doc) != 0)
		return -1;
	if (yaml_expect_mapping(file->rep, doc->root, "the front matter") !=
	    0) {
		yaml_doc_release(doc);
		return -1;
	}
	file->root = doc->root;
	file->body = fm.body;
	file->body_len = fm.body_len;
	return 0;
}

/* Newest first; ties by path. */
static int
compare_links(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int
compare_link_dirs(const void *a, const void *b)
{
	const struct link *x = *(const struct link *const *)a;
	const struct link *y = *(const struct link *const *)b;
	int c = strcmp(x->output_dir, y->output_dir);

	return c ? c : strcmp(x->path, y->path);
}

/* Two files whose pages would have the same address: the one whose path
 * sorts last is reported. */
static int
check_link_dirs(struct report *rep, const char *site_dir,
		const struct site_content *content)
{
	const struct link **by_dir;
	struct report_pos pos = { NULL, 0, 0 };
	char *name, *other;
	size_t i;
	int rc = 0;

	if (content->nlinks < 2)
		return 0;
	by_dir = xmalloc(content->nlinks * sizeof(*by_dir));
	for (i = 0; i < content->nlinks; i++)
		by_dir[i] = &content->links[i];
	qsort(by_dir, content->nlinks, sizeof(*by_dir), compare_link_dirs);
	for (i = 1; i < content->nlinks; i++) {
		if (strcmp(by_dir[i]->output_dir, by_dir[i - 1]->output_dir))
			continue;
		name = site_path(site_dir, by_dir[i]->path);
		other = site_path(site_dir, by_dir[i - 1]->path);
		pos.file = name;
		rc = report_error(rep, &pos,
				  "same address as %s: '%s/'", other,
				  by_dir[i]->output_dir);
		report_hint(rep, "rename one of the two files");
		free(name);
		free(other);
	}
	free(by_dir);
	return rc;
}

/* Pages in the menu first, by position; then the others; ties by slug. */
static int
compare_pages(const void *a, const void *b)
{
	const struct page *x = a, *y = b;

	if (x->menu != y->menu) {
		if (x->menu == 0 || y->menu == 0)
			return x->menu == 0 ? 1 : -1;
		return x->menu < y->menu ? -1 : 1;
	}
	return strcmp(x->slug, y->slug);
}

static int
load_links(struct report *rep, const struct config *cfg,
	   const char *site_dir, struct site_content *content)
{
	struct path_list list = { 0 };
	struct content_file file = { rep, cfg, NULL, NULL, NULL, NULL, 0 };
	struct buf data = BUF_INIT;
	struct yaml_doc doc;
	char *name;
	size_t i;
	int rc;

	rc = list_files(rep, site_dir, "links", true, 0, &list);
	content->links = list.n ? xcalloc(list.n, sizeof(*content->links))
				: NULL;
	for (i = 0; i < list.n; i++) {
		name = site_path(site_dir, list.paths[i]);
		file.rel = list.paths[i];
		file.name = name;
		if (open_file(&file, &data, &doc) != 0) {
			rc = -1;
		} else {
			if (links_parse(&file,
					&content->links[content->nlinks]) == 0)
				content->nlinks++;
			else
				rc = -1;
			yaml_doc_release(&doc);
		}
		free(name);
	}
	if (check_link_dirs(rep, site_dir, content) != 0)
		rc = -1;
	if (content->nlinks > 1)
		qsort(content->links, content->nlinks,
		      sizeof(*content->links), compare_links);
	buf_release(&data);
	path_list_release(&list);
	return rc;
}

static int
load_pages(struct report *rep, const struct config *cfg,
	   const char *site_dir, struct site_content *content)
{
	struct path_list list = { 0 };
	struct content_file file = { rep, cfg, NULL, NULL, NULL, NULL, 0 };
	struct buf data = BUF_INIT;
	struct yaml_doc doc;
	char **names = NULL;
	unsigned long *lines = NULL;
	size_t i;
	int rc;

	rc = list_files(rep, site_dir, "pages", false, 0, &list);
	if (list.n) {
		content->pages = xcalloc(list.n, sizeof(*content->pages));
		names = xcalloc(list.n, sizeof(*names));
		lines = xcalloc(list.n, sizeof(*lines));
	}
	for (i = 0; i < list.n; i++) {
		names[content->npages] = site_path(site_dir, list.paths[i]);
		file.rel = list.paths[i];
		file.name = names[content->npages];
		if (open_file(&file, &data, &doc) != 0) {
			rc = -1;
			free(names[content->npages]);
			continue;
		}
		if (pages_parse(&file, &content->pages[content->npages],
				&lines[content->npages]) == 0) {
			content->npages++;
		} else {
			rc = -1;
			free(names[content->npages]);
		}
		yaml_doc_release(&doc);
	}
	if (pages_check_duplicates(rep, content->pages,
				   (const char *const *)names, lines,
				   content->npages) != 0)
		rc = -1;
	if (content->npages > 1)
		qsort(content->pages, content->npages,
		      sizeof(*content->pages), compare_pages);
	for (i = 0; i < content->npages; i++)
		free(names[i]);
	free(names);
	free(lines);
	buf_release(&data);
	path_list_release(&list);
	return rc;
}

int
curate_load(struct report *rep, const struct config *cfg,
	    const char *site_dir, struct site_content *content)
{
	int rc = 0;

	memset(content, 0, sizeof(*content));
	if (load_links(rep, cfg, site_dir, content) != 0)
		rc = -1;
	if (load_pages(rep, cfg, site_dir, content) != 0)
		rc = -1;
	if (rc != 0)
		site_content_release(content);
	return rc;
}

void
site_content_release(struct site_content *content)
{
	size_t i;

	for (i = 0; i < content->nlinks; i++)
		links_release(&content->links[i]);
	free(content->links);
	for (i = 0; i < content->npages; i++)
		pages_release(&content->pages[i]);
	free(content->pages);
	memset(content, 0, sizeof(*content));
}
