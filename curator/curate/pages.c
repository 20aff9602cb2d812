/*
 * pages: the free pages, pages/SLUG.md (title, slug, menu).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "core/yaml.h"
#include "curate/content_int.h"

static const char *const page_keys[] = { "title", "slug", "menu" };

/*
 * The site's own paths at its root (issue 4's outputs): a page may not
 * take them. NOTE: sorted for bsearch. "infos" is not here: a page with
 * that slug is the text of the practical information page (see
 * curate.h).
 */
static const char *const reserved_slugs[] = {
	"404", "accessibilite", "assets", "links", "media",
	"playlists", "search", "tags", "topics",
};

static int
compare_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool
is_reserved(const char *slug)
{
	return bsearch(slug, reserved_slugs,
		       sizeof(reserved_slugs) / sizeof(*reserved_slugs),
		       sizeof(*reserved_slugs), compare_name) != NULL;
}

static void
hint_reserved(struct report *rep)
{
	struct buf list = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(reserved_slugs) / sizeof(*reserved_slugs);
	     i++)
		buf_addf(&list, "%s%s", i ? ", " : "", reserved_slugs[i]);
	report_hint(rep, "choose another slug: the site uses %s for its own "
			 "pages",
		    list.ptr);
	buf_release(&list);
}

/* Sets page->slug from the "slug" key or the file name. */
static int
parse_slug(const struct content_file *file, struct page *page,
	   unsigned long *slug_line)
{
	const struct yaml_node *node = yaml_get(file->root, "slug");
	struct report_pos pos = { file->name, 1, 0 };
	char *slug = NULL;

	if (content_get_text(file, "slug", &slug) != 0)
		return -1;
	if (!slug) {
		page->slug = content_file_slug(file);
		if (!page->slug)
			return -1;
	} else {
		pos.line = node->line;
		if (!content_is_slug(slug)) {
			report_error(file->rep, &pos,
				     "\"slug\" must be lowercase letters, "
				     "digits and hyphens: '%s'",
				     slug);
			report_hint(file->rep, "for example: slug: "
					       "opening-hours");
			free(slug);
			return -1;
		}
		page->slug = slug;
	}
	*slug_line = pos.line;
	if (is_reserved(page->slug)) {
		report_error(file->rep, &pos,
			     "slug \"%s\" is reserved for the site's own "
			     "pages",
			     page->slug);
		hint_reserved(file->rep);
		return -1;
	}
	return 0;
}

int
pages_parse(const struct content_file *file, struct page *page,
	    unsigned long *slug_line)
{
	const struct yaml_node *node;
	struct buf html = BUF_INIT;
	long long menu;
	int rc = 0;

	memset(page, 0, sizeof(*page));
	*slug_line = 1;
	page->path = xstrdup(file->rel);
	if (yaml_check_keys(file->rep, file->root, page_keys,
			    sizeof(page_keys) / sizeof(*page_keys)) != 0)
		rc = -1;
	if (content_get_text(file, "title", &page->title) != 0)
		rc = -1;
	else if (!page->title)
		rc = content_missing(file, "title",
				     "title: Opening hours and access");
	if (parse_slug(file, page, slug_line) != 0)
		rc = -1;
	node = yaml_get(file->root, "menu");
	if (node && !yaml_is_null(node)) {
		if (yaml_get_int(file->rep, node, "menu", 0, 99, &menu) != 0)
			rc = -1;
		else
			page->menu = (int)menu;
	}
	content_markdown(file->body, file->body_len, file->cfg->url, &html);
	page->body_html = buf_detach(&html, NULL);
	if (rc != 0)
		pages_release(page);
	return rc;
}

void
pages_release(struct page *page)
{
	free(page->path);
	free(page->slug);
	free(page->title);
	free(page->body_html);
	memset(page, 0, sizeof(*page));
}

int
pages_check_duplicates(struct report *rep, const struct page *pages,
		       const char *const *names, const unsigned long *lines,
		       size_t npages)
{
	struct report_pos pos;
	size_t i, j;
	int rc = 0;

	/* NOTE: quadratic, but a site has a handful of pages. */
	for (i = 1; i < npages; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(pages[i].slug, pages[j].slug) == 0)
				break;
		if (j == i)
			continue;
		pos.file = names[i];
		pos.line = lines[i];
		pos.col = 0;
		rc = report_error(rep, &pos,
				  "slug \"%s\" is already the slug of %s",
				  pages[i].slug, names[j]);
		report_hint(rep, "add a line 'slug: another-name' to the "
				 "front matter of one of them");
	}
	return rc;
}
