/*
 * site_playlists: the playlists of `curator build` (docs/PAGE-MODEL.md):
 * a page per playlist with its XSPF, JSPF and (music) M3U files beside
 * it, the playlists index (one section per kind), and the playlist cards
 * the home, topic and link pages show.
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

static const char *
str(const struct site *s, const char *key)
{
	const char *v = json_string_value(json_object_get(s->theme.strings,
							  key));
	return v ? v : key;
}

static void
set_str(json_t *obj, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(obj, key, json_string(v));
}

static void
kind_label(const struct site *s, enum playlist_kind kind, struct buf *out)
{
	struct buf key = BUF_INIT;

	buf_addf(&key, "playlist_kind_%s", playlist_kind_name(kind));
	buf_adds(out, str(s, key.ptr));
	buf_release(&key);
}

/* "PT1H6M7S": the duration as <time datetime> wants it. */
static void
iso_duration(long seconds, struct buf *out)
{
	buf_adds(out, "PT");
	if (seconds >= 3600)
		buf_addf(out, "%ldH", seconds / 3600);
	if (seconds >= 60)
		buf_addf(out, "%ldM", seconds / 60 % 60);
	buf_addf(out, "%ldS", seconds % 60);
}

static void
set_duration(json_t *o, const char *key, const char *iso_key, long seconds)
{
	char label[32];
	struct buf b = BUF_INIT;

	if (seconds < 0)
		return;
	playlist_format_duration(seconds, label);
	set_str(o, key, label);
	iso_duration(seconds, &b);
	set_str(o, iso_key, b.ptr);
	buf_release(&b);
}

static void
set_dates(const struct site *s, json_t *o, const struct playlist *pl)
{
	char rfc[DATE_RFC3339_SIZE];
	struct buf label = BUF_INIT;

	if (!pl->has_date)
		return;
	date_format_rfc3339(pl->date, rfc);
	set_str(o, "date", rfc);
	site_date_label(s, pl->date, false, &label);
	set_str(o, "date_label", label.ptr);
	buf_release(&label);
}

json_t *
site_model_playlist_card(struct site *s, const struct playlist *pl)
{
	json_t *o = json_object();
	struct buf b = BUF_INIT;

	set_str(o, "title", pl->title);
	set_str(o, "slug", pl->slug);
	buf_addf(&b, "%splaylists/%s/", s->base, pl->slug);
	set_str(o, "url", b.ptr);
	set_str(o, "kind", playlist_kind_name(pl->kind));
	buf_clear(&b);
	kind_label(s, pl->kind, &b);
	set_str(o, "kind_label", b.ptr);
	set_str(o, "by", pl->by);
	set_str(o, "description", pl->description);
	set_dates(s, o, pl);
	buf_clear(&b);
	buf_addf(&b, "%zu %s", pl->nentries,
		 str(s, pl->nentries == 1 ? "works_one" : "works_many"));
	set_str(o, "count_label", b.ptr);
	json_object_set_new(o, "count", json_integer((json_int_t)pl->nentries));
	if (pl->kind == PLAYLIST_KIND_MUSIC)
		set_duration(o, "duration_label", "duration", pl->duration);
	buf_clear(&b);
	site_image_url(s, pl->image, false, &b);
	if (b.len) {
		set_str(o, "image", b.ptr);
		json_object_set_new(o, "image_alt", json_string(""));
	}
	buf_release(&b);
	return o;
}

static bool
playlist_in_topic(const struct playlist *pl, const char *slug)
{
	size_t i;

	for (i = 0; i < pl->ntopics; i++)
		if (strcmp(pl->topics[i], slug) == 0)
			return true;
	return false;
}

json_t *
site_model_playlist_cards(struct site *s, const char *topic, size_t max)
{
	const struct site_content *c = s->content;
	const struct playlist *pl;
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < c->nplaylists && json_array_size(arr) < max; i++) {
		pl = &c->playlists[i];
		if (!topic || playlist_in_topic(pl, topic))
			json_array_append_new(arr,
					      site_model_playlist_card(s, pl));
	}
	return arr;
}

json_t *
site_model_link_playlists(struct site *s, const struct link *l)
{
	const struct site_content *c = s->content;
	json_t *arr = json_array(), *o;
	struct buf b = BUF_INIT;
	size_t i, j;

	for (i = 0; i < c->nplaylists; i++) {
		const struct playlist *pl = &c->playlists[i];

		for (j = 0; j < pl->nentries; j++)
			if (pl->entries[j].link == l)
				break;
		if (j == pl->nentries)
			continue;
		o = json_object();
		set_str(o, "title", pl->title);
		buf_clear(&b);
		buf_addf(&b, "%splaylists/%s/", s->base, pl->slug);
		set_str(o, "url", b.ptr);
		json_array_append_new(arr, o);
	}
	buf_release(&b);
	return arr;
}

static json_t *
entry_json(struct site *s, const struct playlist *pl, size_t n)
{
	const struct playlist_entry *e = &pl->entries[n];
	json_t *o = json_object();
	struct buf b = BUF_INIT;

	json_object_set_new(o, "position", json_integer((json_int_t)n + 1));
	set_str(o, "title", e->title);
	set_str(o, "creator", e->creator);
	if (e->year > 0)
		json_object_set_new(o, "year", json_integer(e->year));
	set_str(o, "url", e->url);
	if (e->link) {
		buf_addf(&b, "%s%s/", s->base, e->link->output_dir);
		set_str(o, "page_url", b.ptr);
		buf_clear(&b);
		buf_addf(&b, "kind_%s", link_kind_name(e->link->kind));
		set_str(o, "kind_label", str(s, b.ptr));
	}
	if (e->isbn[0]) {
		set_str(o, "isbn", e->isbn);
		buf_clear(&b);
		playlist_catalogue_url(s->cfg, e->isbn, &b);
		set_str(o, "catalogue_url", b.ptr);
	}
	set_duration(o, "duration_label", "duration", e->duration);
	buf_clear(&b);
	site_image_url(s, e->image, false, &b);
	if (b.len) {
		set_str(o, "image", b.ptr);
		json_object_set_new(o, "image_alt", json_string(""));
	}
	set_str(o, "note_html", e->note_html);
	if (e->creator || e->year > 0 || e->link || e->duration >= 0)
		json_object_set_new(o, "has_facts", json_true());
	buf_release(&b);
	return o;
}

/* What playlists/SLUG/index.html shows as "playlist"; its entries are
 * "works", beside it at the context's root, so that a key an entry lacks
 * (image, url, duration_label) never falls through to the playlist's. */
static json_t *
playlist_json(struct site *s, const struct playlist *pl)
{
	json_t *o = site_model_playlist_card(s, pl), *arr, *x;
	const struct config_topic *t;
	struct buf b = BUF_INIT;
	size_t i;

	set_str(o, "intro_html", pl->intro_html);
	if (pl->kind == PLAYLIST_KIND_MUSIC)
		json_object_set_new(o, "is_music", json_true());
	buf_addf(&b, "%splaylists/%s/%s.xspf", s->base, pl->slug, pl->slug);
	set_str(o, "xspf_url", b.ptr);
	buf_clear(&b);
	buf_addf(&b, "%splaylists/%s/%s.jspf", s->base, pl->slug, pl->slug);
	set_str(o, "jspf_url", b.ptr);
	if (playlist_has_m3u(pl)) {
		buf_clear(&b);
		buf_addf(&b, "%splaylists/%s/%s.m3u", s->base, pl->slug,
			 pl->slug);
		set_str(o, "m3u_url", b.ptr);
	}
	arr = json_array();
	for (i = 0; i < pl->ntopics; i++) {
		t = config_topic(s->cfg, pl->topics[i]);
		if (!t)
			continue;
		x = json_object();
		set_str(x, "title", t->title);
		buf_clear(&b);
		buf_addf(&b, "%stopics/%s/", s->base, t->slug);
		set_str(x, "url", b.ptr);
		json_array_append_new(arr, x);
	}
	if (json_array_size(arr))
		json_object_set_new(o, "has_topics", json_true());
	json_object_set_new(o, "topics", arr);
	buf_release(&b);
	return o;
}

static int
write_files(struct site *s, const struct playlist *pl)
{
	struct buf out = BUF_INIT, rel = BUF_INIT;
	int rc = -1;

	buf_addf(&rel, "playlists/%s/%s.xspf", pl->slug, pl->slug);
	if (playlist_format_xspf(s->rep, s->cfg, pl, &out) != 0 ||
	    output_write(s->out, rel.ptr, out.ptr, out.len) != 0)
		goto out;
	buf_clear(&out);
	buf_clear(&rel);
	buf_addf(&rel, "playlists/%s/%s.jspf", pl->slug, pl->slug);
	if (playlist_format_jspf(s->rep, s->cfg, pl, &out) != 0 ||
	    output_write(s->out, rel.ptr, out.ptr, out.len) != 0)
		goto out;
	if (playlist_has_m3u(pl)) {
		buf_clear(&out);
		buf_clear(&rel);
		buf_addf(&rel, "playlists/%s/%s.m3u", pl->slug, pl->slug);
		playlist_format_m3u(pl, &out);
		if (output_write(s->out, rel.ptr, out.ptr, out.len) != 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&out);
	buf_release(&rel);
	return rc;
}

static int
write_playlist(struct site *s, const struct playlist *pl)
{
	struct buf path = BUF_INIT, rel = BUF_INIT, b = BUF_INIT;
	const char *desc = pl->description;
	json_t *ctx, *page, *works;
	size_t i;
	int rc;

	if (write_files(s, pl) != 0)
		return -1;
	buf_addf(&path, "playlists/%s/", pl->slug);
	if ((!desc || !*desc) && pl->intro_text) {
		utf8_truncate_words(pl->intro_text, strlen(pl->intro_text),
				    200, &b);
		desc = b.ptr;
	}
	ctx = site_model_page(s, "playlist", pl->title, path.ptr, desc,
			      "playlists/");
	page = json_object_get(ctx, "page");
	buf_clear(&b);
	site_image_url(s, pl->image, true, &b);
	if (b.len)
		json_object_set_new(page, "image", json_string(b.ptr));
	json_object_set_new(ctx, "playlist", playlist_json(s, pl));
	works = json_array();
	for (i = 0; i < pl->nentries; i++)
		json_array_append_new(works, entry_json(s, pl, i));
	json_object_set_new(ctx, "works", works);
	buf_addf(&rel, "%sindex.html", path.ptr);
	rc = site_render(s, "playlist", ctx, rel.ptr, path.ptr,
			 pl->has_date ? pl->date : 0);
	buf_release(&path);
	buf_release(&rel);
	buf_release(&b);
	return rc;
}

/* playlists/index.html: a section per kind that has playlists, in the
 * kinds' order, after a table of contents (no JavaScript needed). */
static int
write_index(struct site *s)
{
	const struct site_content *c = s->content;
	json_t *ctx, *kinds = json_array(), *k, *list;
	struct buf b = BUF_INIT;
	int64_t lastmod = 0;
	size_t i;
	int kind;

	for (kind = 0; kind < PLAYLIST_KIND_COUNT; kind++) {
		list = json_array();
		for (i = 0; i < c->nplaylists; i++)
			if ((int)c->playlists[i].kind == kind)
				json_array_append_new(
					list, site_model_playlist_card(
						      s, &c->playlists[i]));
		if (!json_array_size(list)) {
			json_decref(list);
			continue;
		}
		k = json_object();
		set_str(k, "kind", playlist_kind_name(kind));
		buf_clear(&b);
		kind_label(s, kind, &b);
		set_str(k, "label", b.ptr);
		buf_clear(&b);
		buf_addf(&b, "kind-%s", playlist_kind_name(kind));
		set_str(k, "anchor", b.ptr);
		json_object_set_new(k, "count",
				    json_integer((json_int_t)json_array_size(
					    list)));
		json_object_set_new(k, "playlists", list);
		json_array_append_new(kinds, k);
	}
	for (i = 0; i < c->nplaylists; i++)
		if (c->playlists[i].has_date && c->playlists[i].date > lastmod)
			lastmod = c->playlists[i].date;
	ctx = site_model_page(s, "playlists", str(s, "playlists"),
			      "playlists/", str(s, "playlists_description"),
			      NULL);
	json_object_set_new(ctx, "kinds", kinds);
	buf_release(&b);
	return site_render(s, "playlists", ctx, "playlists/index.html",
			   "playlists/", lastmod);
}

int
site_playlists_write(struct site *s)
{
	size_t i;

	if (!s->content->nplaylists)
		return 0;
	if (write_index(s) != 0)
		return -1;
	for (i = 0; i < s->content->nplaylists; i++)
		if (write_playlist(s, &s->content->playlists[i]) != 0)
			return -1;
	return 0;
}
