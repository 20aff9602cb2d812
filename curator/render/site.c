/*
 * site: `curator build`. Loads the theme and the store's items, builds
 * every page and file of the site in a fixed order and hands them to the
 * output writer, which only touches what changed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

/* Entries in each Atom / JSON feed. */
#define SITE_FEED_ENTRIES 50

static int
tag_cmp(const void *a, const void *b)
{
	const struct site_tag *x = a, *y = b;

	return strcmp(x->slug, y->slug);
}

/* The tags of all links, by slug; a tag whose name has no ASCII letter or
 * digit gets "tag-" and the hex of its bytes. */
static void
collect_tags(struct site *s)
{
	const struct site_content *c = s->content;
	struct buf slug = BUF_INIT;
	size_t cap = 0, i, j, k, out;
	struct site_tag *t;

	for (i = 0; i < c->nlinks; i++) {
		for (j = 0; j < c->links[i].ntags; j++) {
			const char *name = c->links[i].tags[j];

			buf_clear(&slug);
			utf8_slug(name, strlen(name), 64, &slug);
			if (!slug.len) {
				const unsigned char *p;

				buf_adds(&slug, "tag");
				for (p = (const unsigned char *)name;
				     *p && slug.len < 60; p++)
					buf_addf(&slug, "%02x", *p);
			}
			s->tags = xgrow(s->tags, s->ntags + 1, &cap,
					sizeof(*s->tags));
			t = &s->tags[s->ntags++];
			t->slug = xstrdup(slug.ptr);
			t->name = xstrdup(name);
			t->links = xmalloc(sizeof(*t->links));
			t->links[0] = i;
			t->nlinks = 1;
		}
	}
	buf_release(&slug);
	if (!s->ntags)
		return;
	/* Stable merge by slug: qsort is not stable, so order by (slug,
	 * link index) which is the order they were met. */
	qsort(s->tags, s->ntags, sizeof(*s->tags), tag_cmp);
	for (i = 0; i < s->ntags;) {
		/* Among equal slugs, sort the singletons by link index. */
		for (j = i + 1; j < s->ntags &&
				strcmp(s->tags[j].slug, s->tags[i].slug) == 0;
		     j++)
			;
		for (k = i + 1; k < j; k++) {
			size_t m = k;
			struct site_tag tmp = s->tags[k];

			while (m > i && s->tags[m - 1].links[0] > tmp.links[0]) {
				s->tags[m] = s->tags[m - 1];
				m--;
			}
			s->tags[m] = tmp;
		}
		i = j;
	}
	out = 0;
	for (i = 0; i < s->ntags;) {
		struct site_tag merged = s->tags[i];
		size_t cap2 = 1;

		for (j = i + 1; j < s->ntags &&
				strcmp(s->tags[j].slug, merged.slug) == 0;
		     j++) {
			/* A link that repeats a tag counts once. */
			if (s->tags[j].links[0] !=
			    merged.links[merged.nlinks - 1]) {
				merged.links = xgrow(merged.links,
						     merged.nlinks + 1, &cap2,
						     sizeof(*merged.links));
				merged.links[merged.nlinks++] =
					s->tags[j].links[0];
			}
			free(s->tags[j].slug);
			free(s->tags[j].name);
			free(s->tags[j].links);
		}
		s->tags[out++] = merged;
		i = j;
	}
	s->ntags = out;
	/* Slugging (utf8proc) is the costly part: once per link tag. */
	s->link_tag_slugs = xcalloc(c->nlinks + 1, sizeof(*s->link_tag_slugs));
	for (i = 0; i < c->nlinks; i++) {
		s->link_tag_slugs[i] = xcalloc(c->links[i].ntags + 1,
					       sizeof(**s->link_tag_slugs));
		for (j = 0; j < c->links[i].ntags; j++)
			s->link_tag_slugs[i][j] =
				site_tag_slug(s, c->links[i].tags[j]);
	}
}

static void
release_tags(struct site *s)
{
	size_t i;

	for (i = 0; s->link_tag_slugs && i < s->content->nlinks; i++)
		free(s->link_tag_slugs[i]);
	free(s->link_tag_slugs);
	s->link_tag_slugs = NULL;
	for (i = 0; i < s->ntags; i++) {
		free(s->tags[i].slug);
		free(s->tags[i].name);
		free(s->tags[i].links);
	}
	free(s->tags);
	s->tags = NULL;
	s->ntags = 0;
}

/* Feeds: the strings of an entry live in bufs owned by this. */
struct feed_bufs {
	struct buf id, url, image;
	const char **cats;
	size_t ncats;
};

static void
feed_entry_fill(struct site *s, const struct site_ref *r,
		struct feed_entry *e, struct feed_bufs *fb)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	buf_clear(&fb->id);
	buf_clear(&fb->url);
	buf_clear(&fb->image);
	if (r->is_link) {
		const struct link *l = &s->content->links[r->index];

		buf_addf(&fb->url, "%s%s/", s->url, l->output_dir);
		e->id = fb->url.ptr;
		e->url = fb->url.ptr;
		e->title = l->title;
		e->summary = l->note_text;
		e->content_html = l->note_html;
		e->author = l->by;
		e->published = l->date;
		e->has_published = true;
		fb->cats = xrealloc(fb->cats, (l->ntags + l->ntopics + 1) *
						      sizeof(*fb->cats));
		fb->ncats = 0;
		for (i = 0; i < l->ntopics; i++) {
			const struct config_topic *t =
				config_topic(s->cfg, l->topics[i]);

			if (t)
				fb->cats[fb->ncats++] = t->title;
		}
		for (i = 0; i < l->ntags; i++)
			fb->cats[fb->ncats++] = l->tags[i];
		e->categories = fb->cats;
		e->ncategories = fb->ncats;
		site_image_url(s, l->image, true, &fb->image);
		e->language = l->language;
	} else {
		const struct site_item *it = &s->items[r->index];

		e->id = it->url;
		e->url = it->url;
		e->title = it->title;
		e->summary = it->summary;
		e->author = s->sources[it->source].title;
		e->published = it->date;
		e->has_published = true;
		site_image_url(s, it->image, true, &fb->image);
		e->language = it->language;
	}
	if (fb->image.len)
		e->image = fb->image.ptr;
}

/* Writes DIR/feed.xml and DIR/feed.json for the refs (newest first). */
static int
write_feeds(struct site *s, const char *dir, const char *title,
	    const char *subtitle, const struct site_ref *refs, size_t n)
{
	struct feed_bufs *fbs;
	struct feed_entry *entries;
	struct feed_meta meta;
	struct buf page = BUF_INIT, atom = BUF_INIT, json = BUF_INIT,
		   out = BUF_INIT, rel = BUF_INIT;
	size_t i;
	int rc = -1;

	if (site_work_is_elsewhere(s))
		return 0;
	if (n > SITE_FEED_ENTRIES)
		n = SITE_FEED_ENTRIES;
	fbs = xcalloc(n + 1, sizeof(*fbs));
	entries = xcalloc(n + 1, sizeof(*entries));
	for (i = 0; i < n; i++)
		feed_entry_fill(s, &refs[i], &entries[i], &fbs[i]);
	site_url_abs(s, dir, &page);
	buf_addf(&atom, "%sfeed.xml", page.ptr);
	buf_addf(&json, "%sfeed.json", page.ptr);
	memset(&meta, 0, sizeof(meta));
	meta.id = atom.ptr;
	meta.title = title;
	meta.subtitle = subtitle && *subtitle ? subtitle : NULL;
	meta.site_url = page.ptr;
	meta.self_url = atom.ptr;
	meta.language = config_language_code(s->cfg->language);
	meta.author = s->cfg->title;
	meta.generator = "curator";
	if (feeds_atom(s->rep, &meta, entries, n, &out) != 0)
		goto out;
	buf_addf(&rel, "%sfeed.xml", dir);
	if (output_write(s->out, rel.ptr, out.ptr, out.len) != 0)
		goto out;
	buf_clear(&out);
	meta.self_url = json.ptr;
	if (feeds_json(s->rep, &meta, entries, n, &out) != 0)
		goto out;
	buf_clear(&rel);
	buf_addf(&rel, "%sfeed.json", dir);
	if (output_write(s->out, rel.ptr, out.ptr, out.len) != 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		buf_release(&fbs[i].id);
		buf_release(&fbs[i].url);
		buf_release(&fbs[i].image);
		free(fbs[i].cats);
	}
	free(fbs);
	free(entries);
	buf_release(&page);
	buf_release(&atom);
	buf_release(&json);
	buf_release(&out);
	buf_release(&rel);
	return rc;
}

static int
write_all_feeds(struct site *s)
{
	const struct site_content *c = s->content;
	const struct site_ref *trefs;
	struct site_ref *refs;
	struct buf dir = BUF_INIT;
	size_t i, n;
	int rc;

	/* The site's feed: the librarians' picks. */
	n = c->nlinks < SITE_FEED_ENTRIES ? c->nlinks : SITE_FEED_ENTRIES;
	refs = xcalloc(n + 1, sizeof(*refs));
	for (i = 0; i < n; i++) {
		refs[i].is_link = true;
		refs[i].index = i;
	}
	rc = write_feeds(s, "", s->cfg->title, s->cfg->description, refs, n);
	free(refs);
	for (i = 0; i < s->cfg->ntopics && rc == 0; i++) {
		const struct config_topic *t = &s->cfg->topics[i];
		struct buf title = BUF_INIT;

		n = site_topic_refs(s, i, &trefs);
		buf_clear(&dir);
		buf_addf(&dir, "topics/%s/", t->slug);
		buf_addf(&title, "%s – %s", t->title, s->cfg->title);
		rc = write_feeds(s, dir.ptr, title.ptr, t->description, trefs,
				 n);
		buf_release(&title);
	}
	buf_release(&dir);
	return rc;
}

static int
write_search_index(struct site *s)
{
	const struct site_content *c = s->content;
	size_t n = c->nlinks + c->npages + s->cfg->ntopics + c->nplaylists,
	       i, j, k = 0;
	struct search_entry *e;
	const char ***kw;
	struct buf *urls;
	struct buf out = BUF_INIT;
	int rc = -1;

	if (site_work_is_elsewhere(s))
		return 0;
	e = xcalloc(n + 1, sizeof(*e));
	kw = xcalloc(n + 1, sizeof(*kw));
	urls = xcalloc(n + 1, sizeof(*urls));

	for (i = 0; i < c->nlinks; i++, k++) {
		const struct link *l = &c->links[i];
		size_t nk = 0;

		buf_addf(&urls[k], "%s%s/", s->base, l->output_dir);
		kw[k] = xcalloc(l->ntags + l->ntopics + 2, sizeof(**kw));
		for (j = 0; j < l->ntopics; j++) {
			const struct config_topic *t =
				config_topic(s->cfg, l->topics[j]);

			if (t)
				kw[k][nk++] = t->title;
		}
		for (j = 0; j < l->ntags; j++)
			kw[k][nk++] = l->tags[j];
		if (l->by)
			kw[k][nk++] = l->by;
		e[k].title = l->title;
		e[k].url = urls[k].ptr;
		e[k].summary = l->note_text;
		e[k].keywords = kw[k];
		e[k].nkeywords = nk;
		e[k].date = l->date;
		e[k].has_date = true;
	}
	for (i = 0; i < c->npages; i++, k++) {
		const struct page *p = &c->pages[i];

		if (strcmp(p->slug, "infos") == 0)
			buf_addf(&urls[k], "%sinfos/", s->base);
		else
			buf_addf(&urls[k], "%spages/%s/", s->base, p->slug);
		e[k].title = p->title;
		e[k].url = urls[k].ptr;
	}
	for (i = 0; i < s->cfg->ntopics; i++, k++) {
		const struct config_topic *t = &s->cfg->topics[i];

		buf_addf(&urls[k], "%stopics/%s/", s->base, t->slug);
		e[k].title = t->title;
		e[k].url = urls[k].ptr;
		e[k].summary = t->description;
	}
	for (i = 0; i < c->nplaylists; i++, k++) {
		const struct playlist *pl = &c->playlists[i];
		size_t nk = 0;

		buf_addf(&urls[k], "%splaylists/%s/", s->base, pl->slug);
		kw[k] = xcalloc(pl->ntopics + pl->nentries * 2 + 2,
				sizeof(**kw));
		for (j = 0; j < pl->ntopics; j++) {
			const struct config_topic *t =
				config_topic(s->cfg, pl->topics[j]);

			if (t)
				kw[k][nk++] = t->title;
		}
		/* The works and their creators find the playlist. */
		for (j = 0; j < pl->nentries; j++) {
			if (pl->entries[j].title)
				kw[k][nk++] = pl->entries[j].title;
			if (pl->entries[j].creator)
				kw[k][nk++] = pl->entries[j].creator;
		}
		if (pl->by)
			kw[k][nk++] = pl->by;
		e[k].title = pl->title;
		e[k].url = urls[k].ptr;
		e[k].summary = pl->description && *pl->description
				       ? pl->description
				       : pl->intro_text;
		e[k].keywords = kw[k];
		e[k].nkeywords = nk;
		e[k].date = pl->date;
		e[k].has_date = pl->has_date;
	}
	if (feeds_search_index(s->rep, e, n, &out) == 0 &&
	    output_write(s->out, "search/index.json", out.ptr, out.len) == 0)
		rc = 0;
	for (i = 0; i < n; i++) {
		free(kw[i]);
		buf_release(&urls[i]);
	}
	free(kw);
	free(urls);
	free(e);
	buf_release(&out);
	return rc;
}

int
site_feeds_write(struct site *s)
{
	if (write_all_feeds(s) != 0 || write_search_index(s) != 0)
		return -1;
	return 0;
}

/* sources.opml: the site's subscriptions, without the local files (a
 * path on the librarian's disk means nothing to a visitor). */
static int
write_opml(struct site *s)
{
	struct buf path = BUF_INIT, out = BUF_INIT;
	const struct opml_source *srcs;
	struct opml *opml;
	size_t n, i;
	char *url;
	int rc = -1;

	buf_addf(&path, "%s/feeds/sources.opml", s->site_dir);
	opml = opml_load(s->rep, path.ptr);
	if (!opml)
		goto out;
	for (;;) {
		srcs = opml_sources(opml, &n);
		for (i = 0; i < n; i++)
			if (strncmp(srcs[i].xml_url, "http://", 7) != 0 &&
			    strncmp(srcs[i].xml_url, "https://", 8) != 0)
				break;
		if (i == n)
			break;
		url = xstrdup(srcs[i].xml_url);
		opml_remove(opml, url);
		free(url);
	}
	if (opml_serialize(s->rep, opml, &out) == 0 &&
	    output_write(s->out, "sources.opml", out.ptr, out.len) == 0)
		rc = 0;
out:
	opml_free(opml);
	buf_release(&path);
	buf_release(&out);
	return rc;
}

static int
write_text_files(struct site *s)
{
	bool linked = s->cfg->images == CONFIG_IMAGES_LINK;
	struct buf b = BUF_INIT;
	int rc = -1;

	if (feeds_robots(s->rep, s->url, &b) != 0 ||
	    output_write(s->out, "robots.txt", b.ptr, b.len) != 0)
		goto out;
	buf_clear(&b);
	feeds_headers(linked, &b);
	if (output_write(s->out, "_headers", b.ptr, b.len) != 0)
		goto out;
	buf_clear(&b);
	if (feeds_nginx(s->rep, s->url, linked, &b) != 0 ||
	    output_write(s->out, "nginx.conf.example", b.ptr, b.len) != 0)
		goto out;
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* The site's URL and its path: "https://host/sub/" and "/sub/". */
static void
set_urls(struct site *s, const char *url)
{
	struct buf b = BUF_INIT;
	const char *p = strstr(url, "://");

	buf_adds(&b, url);
	if (!b.len || b.ptr[b.len - 1] != '/')
		buf_addc(&b, '/');
	s->url = buf_detach(&b, NULL);
	p = p ? strchr(p + 3, '/') : NULL;
	s->base = xstrdup(p ? p : "/");
}

int
site_build(struct report *rep, const struct config *cfg,
	   const struct site_content *content,
	   const struct site_build_options *opts,
	   struct site_build_stats *stats)
{
	struct site s;
	struct output_stats ostats;
	struct buf out_dir = BUF_INIT, state_dir = BUF_INIT, tz = BUF_INIT;
	size_t i;
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	memset(&s, 0, sizeof(s));
	s.rep = rep;
	s.cfg = cfg;
	s.content = content;
	s.site_dir = opts->site_dir;
	s.jobs = opts->jobs;
	set_urls(&s, opts->base_url ? opts->base_url : cfg->url);
	/* NOTE: dates are shown in the site's zone through localtime_r, so
	 * TZ is set here, once per build, to the configured zone (the
	 * process's own TZ never reaches a page). */
	buf_addf(&tz, ":%s", cfg->timezone);
	setenv("TZ", tz.ptr, 1);
	tzset();
	/* Everything that can fail on the site's own files fails before
	 * anything is written. */
	if (site_theme_load(&s) != 0 || site_items_load(&s) != 0)
		goto out;
	collect_tags(&s);
	s.images = site_images_new(&s);
	site_model_link_topics(&s);
	s.site_obj = site_model_site(&s);
	s.topics_arr = site_model_topics(&s);
	if (opts->out_dir)
		buf_adds(&out_dir, opts->out_dir);
	else
		buf_addf(&out_dir, "%s/output", opts->site_dir);
	buf_addf(&state_dir, "%s/.curator", opts->site_dir);
	s.out = output_open(rep, out_dir.ptr, state_dir.ptr);
	if (!s.out)
		goto out;
	if (site_pages_write(&s) != 0 || write_opml(&s) != 0 ||
	    write_text_files(&s) != 0 || site_theme_write_assets(&s) != 0 ||
	    site_images_write(s.images, s.out) != 0 ||
	    feeds_write_sitemaps(rep, s.out, s.url, s.sitemap, s.nsitemap) !=
		    0) {
		output_abort(s.out);
		s.out = NULL;
		goto out;
	}
	if (output_commit(s.out, &ostats) != 0)
		goto out;
	output_files_digest(s.out, stats->files_digest);
	stats->pages = s.nhtml;
	stats->files = ostats.written + ostats.unchanged;
	stats->written = ostats.written;
	stats->removed = ostats.removed;
	rc = 0;
out:
	output_free(s.out);
	for (i = 0; i < s.nsitemap; i++)
		free((char *)s.sitemap[i].loc);
	free(s.sitemap);
	json_decref(s.site_obj);
	json_decref(s.topics_arr);
	site_model_release(&s);
	site_images_free(s.images);
	release_tags(&s);
	site_items_release(&s);
	site_theme_release(&s.theme);
	buf_release(&s.html);
	free(s.url);
	free(s.base);
	buf_release(&out_dir);
	buf_release(&state_dir);
	buf_release(&tz);
	return rc;
}
