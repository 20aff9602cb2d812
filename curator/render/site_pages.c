/*
 * site_pages: every HTML page of the site, in a fixed order, each built as
 * a page model (site_model.c), rendered with the theme and handed to the
 * output writer at once (memory does not grow with the number of pages).
 */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

/* Playlist cards on the home page and on a topic's pages. */
#define SITE_PLAYLISTS_SHOWN 4

void
site_sitemap_add(struct site *s, const char *path, int64_t lastmod)
{
	struct buf b = BUF_INIT;
	struct sitemap_url *u;

	s->sitemap = xgrow(s->sitemap, s->nsitemap + 1, &s->sitemap_cap,
			   sizeof(*s->sitemap));
	u = &s->sitemap[s->nsitemap++];
	site_url_abs(s, path, &b);
	u->loc = buf_detach(&b, NULL);
	u->lastmod = lastmod;
	u->has_lastmod = lastmod != 0;
}

int
site_render(struct site *s, const char *name, json_t *ctx,
	    const char *relpath, const char *loc_path, int64_t lastmod)
{
	const struct tmpl *t = tmpl_load(s->theme.set, name);
	int rc = -1;

	buf_clear(&s->html);
	if (!t || tmpl_render(t, ctx, &s->html) != 0)
		goto out;
	if (output_write(s->out, relpath, s->html.ptr, s->html.len) != 0)
		goto out;
	s->nhtml++;
	if (loc_path)
		site_sitemap_add(s, loc_path, lastmod);
	rc = 0;
out:
	json_decref(ctx);
	return rc;
}

bool
site_work_is_elsewhere(struct site *s)
{
	size_t page;

	if (s->nworkers < 2)
		return false;
	page = s->page_seq++;
	site_workers_mark(s, page);
	return page % s->nworkers != s->worker;
}

bool
site_page_is_elsewhere(struct site *s, const char *loc_path, int64_t lastmod)
{
	if (!site_work_is_elsewhere(s))
		return false;
	s->nhtml++;
	if (loc_path)
		site_sitemap_add(s, loc_path, lastmod);
	return true;
}

static const char *
str(const struct site *s, const char *key)
{
	const char *v = json_string_value(json_object_get(s->theme.strings,
							  key));
	return v ? v : key;
}

static json_t *
entry_json(struct site *s, const struct site_ref *r)
{
	if (r->is_link)
		return site_model_link_card(s, &s->content->links[r->index]);
	return site_model_item(s, &s->items[r->index]);
}

static int64_t
ref_date(const struct site *s, const struct site_ref *r)
{
	return r->is_link ? s->content->links[r->index].date
			  : s->items[r->index].date;
}

/*
 * Writes the pages of a list: DIR/index.html, DIR/page/N/index.html.
 * make_ctx gives a fresh context (page.title set) for page number n.
 */
struct list_page {
	const char *kind;
	const char *title;
	const char *dir;          /* "topics/manga/" */
	const char *description;
	json_t *extra;            /* set on every page's context (borrowed) */
	const char *extra_key;
	json_t *playlists;        /* the topic's playlist cards (borrowed) */
	const char *feed_dir;     /* the topic's feeds, or NULL */
};

static int
write_list(struct site *s, const struct list_page *lp,
	   const struct site_ref *refs, size_t n)
{
	size_t per = (size_t)s->cfg->per_page, pages, p, i;
	struct buf path = BUF_INIT, rel = BUF_INIT, b = BUF_INIT;
	json_t *ctx, *entries, *pag, *page;
	int64_t lastmod;
	int rc = 0;

	pages = n ? (n + per - 1) / per : 1;
	for (p = 1; p <= pages && rc == 0; p++) {
		buf_clear(&path);
		buf_adds(&path, lp->dir);
		if (p > 1)
			buf_addf(&path, "page/%zu/", p);
		lastmod = n ? ref_date(s, &refs[(p - 1) * per]) : 0;
		if (site_page_is_elsewhere(s, path.ptr, lastmod))
			continue;
		ctx = site_model_page(s, lp->kind, lp->title, path.ptr,
				      lp->description, lp->dir);
		page = json_object_get(ctx, "page");
		if (lp->extra)
			json_object_set(ctx, lp->extra_key, lp->extra);
		if (lp->playlists && json_array_size(lp->playlists)) {
			json_object_set(ctx, "playlists", lp->playlists);
			json_object_set_new(ctx, "has_playlists", json_true());
		}
		if (lp->feed_dir) {
			buf_clear(&b);
			buf_addf(&b, "%s%sfeed.xml", s->base, lp->feed_dir);
			json_object_set_new(page, "feed_atom",
					    json_string(b.ptr));
			buf_clear(&b);
			buf_addf(&b, "%s%sfeed.json", s->base, lp->feed_dir);
			json_object_set_new(page, "feed_json",
					    json_string(b.ptr));
		}
		entries = json_array();
		for (i = (p - 1) * per; i < n && i < p * per; i++)
			json_array_append_new(entries, entry_json(s, &refs[i]));
		json_object_set_new(ctx, "entries", entries);
		if (pages > 1) {
			pag = json_object();
			json_object_set_new(pag, "page",
					    json_integer((json_int_t)p));
			json_object_set_new(pag, "pages",
					    json_integer((json_int_t)pages));
			if (p > 1) {
				buf_clear(&b);
				buf_addf(&b, "%s%s", s->base, lp->dir);
				if (p > 2)
					buf_addf(&b, "page/%zu/", p - 1);
				json_object_set_new(pag, "prev_url",
						    json_string(b.ptr));
			}
			if (p < pages) {
				buf_clear(&b);
				buf_addf(&b, "%s%spage/%zu/", s->base,
					 lp->dir, p + 1);
				json_object_set_new(pag, "next_url",
						    json_string(b.ptr));
			}
			buf_clear(&b);
			buf_addf(&b, "%s %zu %s %zu", str(s, "page_n_of_m"), p,
				 str(s, "of"), pages);
			json_object_set_new(pag, "label", json_string(b.ptr));
			json_object_set_new(page, "pagination", pag);
		}
		buf_clear(&rel);
		buf_addf(&rel, "%sindex.html", path.ptr);
		rc = site_render(s, lp->kind, ctx, rel.ptr, path.ptr, lastmod);
	}
	buf_release(&path);
	buf_release(&rel);
	buf_release(&b);
	return rc;
}

/* The entries of topic t, newest first: its links and, for an auto
 * topic, its feed items (a link before an item of the same date). */
static size_t
topic_refs(struct site *s, size_t t, struct site_ref **out)
{
	const struct config_topic *topic = &s->cfg->topics[t];
	const struct site_content *c = s->content;
	struct site_ref *refs;
	size_t n = 0, li = 0, ii = 0;

	refs = xcalloc(c->nlinks + s->nitems + 1, sizeof(*refs));
	for (;;) {
		while (li < c->nlinks && !site_link_in_topic(s, li, t))
			li++;
		while (topic->is_auto && ii < s->nitems &&
		       !s->items[ii].in_topic[t])
			ii++;
		if (!topic->is_auto)
			ii = s->nitems;
		if (li >= c->nlinks && ii >= s->nitems)
			break;
		if (ii >= s->nitems ||
		    (li < c->nlinks && c->links[li].date >= s->items[ii].date)) {
			refs[n].is_link = true;
			refs[n++].index = li++;
		} else {
			refs[n].is_link = false;
			refs[n++].index = ii++;
		}
	}
	*out = xrealloc(refs, (n + 1) * sizeof(*refs));
	return n;
}

size_t
site_topic_refs(struct site *s, size_t t, const struct site_ref **out)
{
	size_t i;

	if (!s->topic_refs) {
		s->topic_refs = xcalloc(s->cfg->ntopics + 1,
					sizeof(*s->topic_refs));
		s->ntopic_refs = xcalloc(s->cfg->ntopics + 1,
					 sizeof(*s->ntopic_refs));
		for (i = 0; i < s->cfg->ntopics; i++)
			s->ntopic_refs[i] = topic_refs(s, i,
						       &s->topic_refs[i]);
	}
	*out = s->topic_refs[t];
	return s->ntopic_refs[t];
}

static int
write_topics(struct site *s)
{
	const struct site_ref *refs;
	struct buf dir = BUF_INIT;
	struct list_page lp;
	json_t *topic;
	size_t t, n;
	int rc = 0;

	for (t = 0; t < s->cfg->ntopics && rc == 0; t++) {
		const struct config_topic *ct = &s->cfg->topics[t];

		n = site_topic_refs(s, t, &refs);
		buf_clear(&dir);
		buf_addf(&dir, "topics/%s/", ct->slug);
		topic = json_pack("{s:s, s:s}", "slug", ct->slug, "title",
				  ct->title);
		if (ct->description && *ct->description)
			json_object_set_new(topic, "description",
					    json_string(ct->description));
		memset(&lp, 0, sizeof(lp));
		lp.kind = "topic";
		lp.title = ct->title;
		lp.dir = dir.ptr;
		lp.description = ct->description;
		lp.extra = topic;
		lp.extra_key = "topic";
		lp.feed_dir = dir.ptr;
		lp.playlists = site_model_playlist_cards(s, ct->slug,
							 SITE_PLAYLISTS_SHOWN);
		rc = write_list(s, &lp, refs, n);
		json_decref(lp.playlists);
		json_decref(topic);
	}
	buf_release(&dir);
	return rc;
}

static int
write_tags(struct site *s)
{
	struct site_ref *refs;
	struct buf dir = BUF_INIT, title = BUF_INIT;
	struct list_page lp;
	json_t *tag;
	size_t t, i;
	int rc = 0;

	for (t = 0; t < s->ntags && rc == 0; t++) {
		const struct site_tag *st = &s->tags[t];

		refs = xcalloc(st->nlinks + 1, sizeof(*refs));
		for (i = 0; i < st->nlinks; i++) {
			refs[i].is_link = true;
			refs[i].index = st->links[i];
		}
		buf_clear(&dir);
		buf_addf(&dir, "tags/%s/", st->slug);
		buf_clear(&title);
		buf_addf(&title, "#%s", st->name);
		tag = json_pack("{s:s, s:s}", "name", st->name, "slug",
				st->slug);
		memset(&lp, 0, sizeof(lp));
		lp.kind = "tag";
		lp.title = title.ptr;
		lp.dir = dir.ptr;
		lp.extra = tag;
		lp.extra_key = "tag";
		rc = write_list(s, &lp, refs, st->nlinks);
		json_decref(tag);
		free(refs);
	}
	buf_release(&dir);
	buf_release(&title);
	return rc;
}

static int
write_home(struct site *s)
{
	const struct site_content *c = s->content;
	size_t per = (size_t)s->cfg->per_page, n = 0, i;
	struct site_ref *refs = xcalloc(2 * per + 1, sizeof(*refs));
	json_t *ctx, *entries, *playlists;
	int rc;

	/* Latest picks first, then the latest feed items (PAGE-MODEL.md). */
	for (i = 0; i < c->nlinks && i < per; i++) {
		refs[n].is_link = true;
		refs[n++].index = i;
	}
	for (i = 0; i < s->nitems && i < per; i++) {
		refs[n].is_link = false;
		refs[n++].index = i;
	}
	if (site_page_is_elsewhere(s, "", n ? ref_date(s, &refs[0]) : 0)) {
		free(refs);
		return 0;
	}
	ctx = site_model_page(s, "home", s->cfg->title, "", NULL, NULL);
	entries = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(entries, entry_json(s, &refs[i]));
	json_object_set_new(ctx, "entries", entries);
	playlists = site_model_playlist_cards(s, NULL, SITE_PLAYLISTS_SHOWN);
	if (json_array_size(playlists))
		json_object_set_new(ctx, "has_playlists", json_true());
	json_object_set_new(ctx, "playlists", playlists);
	rc = site_render(s, "home", ctx, "index.html", "",
			 n ? ref_date(s, &refs[0]) : 0);
	free(refs);
	return rc;
}

static int
write_links(struct site *s)
{
	const struct site_content *c = s->content;
	struct buf path = BUF_INIT, rel = BUF_INIT, b = BUF_INIT;
	json_t *ctx, *page;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->nlinks && rc == 0; i++) {
		const struct link *l = &c->links[i];

		buf_clear(&path);
		buf_addf(&path, "%s/", l->output_dir);
		if (site_page_is_elsewhere(s, path.ptr, l->date))
			continue;
		buf_clear(&b);
		if (l->note_text)
			utf8_truncate_words(l->note_text, strlen(l->note_text),
					    200, &b);
		ctx = site_model_page(s, "link", l->title, path.ptr, b.ptr,
				      NULL);
		page = json_object_get(ctx, "page");
		buf_clear(&b);
		site_image_url(s, l->image, true, &b);
		if (b.len)
			json_object_set_new(page, "image", json_string(b.ptr));
		if (l->language)
			json_object_set_new(page, "lang",
					    json_string(l->language));
		json_object_set_new(ctx, "link", site_model_link(s, l, true));
		buf_clear(&rel);
		buf_addf(&rel, "%sindex.html", path.ptr);
		rc = site_render(s, "link", ctx, rel.ptr, path.ptr, l->date);
	}
	buf_release(&path);
	buf_release(&rel);
	buf_release(&b);
	return rc;
}

static const struct page *
infos_page(const struct site *s)
{
	size_t i;

	for (i = 0; i < s->content->npages; i++)
		if (strcmp(s->content->pages[i].slug, "infos") == 0)
			return &s->content->pages[i];
	return NULL;
}

static int
write_free_pages(struct site *s)
{
	const struct site_content *c = s->content;
	struct buf path = BUF_INIT, rel = BUF_INIT;
	json_t *ctx;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->npages && rc == 0; i++) {
		const struct page *p = &c->pages[i];

		if (strcmp(p->slug, "infos") == 0)
			continue;
		buf_clear(&path);
		buf_addf(&path, "pages/%s/", p->slug);
		ctx = site_model_page(s, "page", p->title, path.ptr, NULL,
				      NULL);
		if (p->body_html)
			json_object_set_new(ctx, "body_html",
					    json_string(p->body_html));
		buf_clear(&rel);
		buf_addf(&rel, "%sindex.html", path.ptr);
		rc = site_render(s, "page", ctx, rel.ptr, path.ptr, 0);
	}
	buf_release(&path);
	buf_release(&rel);
	return rc;
}

static int
write_infos(struct site *s)
{
	const struct page *p = infos_page(s);
	json_t *ctx, *hours;

	ctx = site_model_page(s, "infos", p ? p->title : str(s, "infos"),
			      "infos/", NULL, NULL);
	hours = site_model_hours(s);
	if (hours)
		json_object_set_new(ctx, "hours", hours);
	if (p && p->body_html)
		json_object_set_new(ctx, "body_html",
				    json_string(p->body_html));
	return site_render(s, "infos", ctx, "infos/index.html", "infos/", 0);
}

static int
write_search(struct site *s)
{
	json_t *ctx, *tags = json_array(), *o;
	struct buf b = BUF_INIT;
	size_t i;

	ctx = site_model_page(s, "search", str(s, "search"), "search/", NULL,
			      NULL);
	for (i = 0; i < s->ntags; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(s->tags[i].name));
		buf_clear(&b);
		buf_addf(&b, "%stags/%s/", s->base, s->tags[i].slug);
		json_object_set_new(o, "url", json_string(b.ptr));
		json_object_set_new(
			o, "count",
			json_integer((json_int_t)s->tags[i].nlinks));
		json_array_append_new(tags, o);
	}
	if (s->ntags)
		json_object_set_new(ctx, "has_all_tags", json_true());
	json_object_set_new(ctx, "all_tags", tags);
	buf_release(&b);
	return site_render(s, "search", ctx, "search/index.html", "search/",
			   0);
}

static int
write_accessibility(struct site *s)
{
	json_t *ctx, *a = json_object();
	struct buf b = BUF_INIT;

	ctx = site_model_page(s, "accessibility", str(s, "accessibility"),
			      "accessibilite/", NULL, NULL);
	if (s->cfg->language == CONFIG_LANGUAGE_FR)
		buf_addf(&b,
			 "%s s'engage à rendre son site internet (%s) "
			 "accessible, conformément à l'article 47 de la loi "
			 "n° 2005-102 du 11 février 2005. Cette déclaration "
			 "s'applique à ce site.",
			 s->cfg->title, s->url);
	else
		buf_addf(&b,
			 "%s is committed to making its website (%s) "
			 "accessible. This statement applies to this site.",
			 s->cfg->title, s->url);
	json_object_set_new(a, "intro", json_string(b.ptr));
	json_object_set_new(ctx, "accessibility", a);
	buf_release(&b);
	return site_render(s, "accessibility", ctx,
			   "accessibilite/index.html", "accessibilite/", 0);
}

static int
write_not_found(struct site *s)
{
	json_t *ctx = site_model_page(s, "not_found",
				      str(s, "not_found_title"), "404.html",
				      NULL, NULL);

	return site_render(s, "not_found", ctx, "404.html", NULL, 0);
}

/* The pages that make most of a site, and the feeds and search index,
 * which may be made by several processes (site_workers.c). */
static int
write_bulk(struct site *s)
{
	if (write_home(s) != 0 || write_topics(s) != 0 ||
	    write_tags(s) != 0 || write_links(s) != 0 ||
	    site_feeds_write(s) != 0)
		return -1;
	return 0;
}

/* Downloads (or finds in the cache) every image the bulk pages show,
 * before any worker starts: a worker's downloads would stay in it. */
static void
fetch_images(struct site *s)
{
	const struct site_content *c = s->content;
	struct buf b = BUF_INIT;
	size_t i;

	if (s->cfg->images != CONFIG_IMAGES_COPY)
		return;
	for (i = 0; i < c->nlinks; i++) {
		buf_clear(&b);
		site_image_url(s, c->links[i].image, false, &b);
	}
	for (i = 0; i < s->nitems; i++) {
		buf_clear(&b);
		site_image_url(s, s->items[i].image, false, &b);
	}
	for (i = 0; i < c->nplaylists; i++) {
		buf_clear(&b);
		site_image_url(s, c->playlists[i].image, false, &b);
	}
	buf_release(&b);
}

int
site_pages_write(struct site *s)
{
	unsigned n = site_workers_count(s, s->jobs);
	const struct site_ref *refs;

	/* Always first, so that the messages do not depend on n. */
	fetch_images(s);
	/* Once, before the workers share them. */
	if (s->cfg->ntopics)
		site_topic_refs(s, 0, &refs);
	if (site_workers_run(s, n, write_bulk) != 0 ||
	    site_playlists_write(s) != 0 ||
	    write_free_pages(s) != 0 || write_infos(s) != 0 ||
	    write_search(s) != 0 || write_accessibility(s) != 0 ||
	    write_not_found(s) != 0)
		return -1;
	return 0;
}
