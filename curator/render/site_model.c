/*
 * site_model: the page model's JSON (docs/PAGE-MODEL.md). Every value a
 * template places is built here; the templates only arrange them.
 */
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

/* Sets key to the string s when s is neither NULL nor empty: absent
 * values stay absent (PAGE-MODEL.md). */
static void
set_str(json_t *obj, const char *key, const char *s)
{
	if (s && *s)
		json_object_set_new(obj, key, json_string(s));
}

static void
set_buf(json_t *obj, const char *key, const struct buf *b)
{
	set_str(obj, key, b->ptr);
}

void
site_url_path(const struct site *s, const char *path, struct buf *out)
{
	buf_adds(out, s->base);
	buf_adds(out, path);
}

void
site_url_abs(const struct site *s, const char *path, struct buf *out)
{
	buf_adds(out, s->url);
	buf_adds(out, path);
}

/*
 * "24 novembre 2026", "1er décembre 2026", "24 November 2026", in the
 * site's time zone. NOTE: localtime_r reads TZ, which site_build() sets
 * once to the configured zone before any page is made.
 */
void
site_date_label(const struct site *s, int64_t t, bool is_day, struct buf *out)
{
	json_t *months = json_object_get(s->theme.strings, "months");
	struct tm tm;
	time_t tt = (time_t)t;
	const char *month;

	if (is_day) {
		/* A calendar date (a closure): its own day, not shifted. */
		tm.tm_mday = 1;
		tm.tm_mon = 0;
		tm.tm_year = 70;
		gmtime_r(&tt, &tm);
	} else if (!localtime_r(&tt, &tm)) {
		return;
	}
	month = json_string_value(json_array_get(months, (size_t)tm.tm_mon));
	if (!month)
		month = "?";
	if (s->cfg->language == CONFIG_LANGUAGE_FR && tm.tm_mday == 1)
		buf_addf(out, "1er %s %d", month, tm.tm_year + 1900);
	else
		buf_addf(out, "%d %s %d", tm.tm_mday, month,
			 tm.tm_year + 1900);
}

static void
set_dates(const struct site *s, json_t *obj, int64_t t)
{
	char rfc[DATE_RFC3339_SIZE];
	struct buf label = BUF_INIT;

	date_format_rfc3339(t, rfc);
	json_object_set_new(obj, "date", json_string(rfc));
	site_date_label(s, t, false, &label);
	set_buf(obj, "date_label", &label);
	buf_release(&label);
}

json_t *
site_model_site(struct site *s)
{
	const struct config *cfg = s->cfg;
	json_t *o = json_object();
	struct buf b = BUF_INIT;

	set_str(o, "title", cfg->title);
	set_str(o, "description", cfg->description);
	set_str(o, "url", s->url);
	set_str(o, "base", s->base);
	set_str(o, "language", config_language_code(cfg->language));
#define PATH(key, rel)                     \
	do {                               \
		buf_clear(&b);             \
		site_url_path(s, rel, &b); \
		set_buf(o, key, &b);       \
	} while (0)
	PATH("feed_atom", "feed.xml");
	PATH("feed_json", "feed.json");
	PATH("search_url", "search/");
	PATH("search_index", "search/index.json");
	PATH("infos_url", "infos/");
	PATH("accessibility_url", "accessibilite/");
	PATH("sources_url", "sources.opml");
	if (s->content->nplaylists)
		PATH("playlists_url", "playlists/");
#undef PATH
	buf_release(&b);
	return o;
}

json_t *
site_model_topics(struct site *s)
{
	const struct config *cfg = s->cfg;
	json_t *arr = json_array(), *o;
	struct buf b = BUF_INIT;
	size_t i, j, count;

	for (i = 0; i < cfg->ntopics; i++) {
		const struct config_topic *t = &cfg->topics[i];

		count = 0;
		for (j = 0; j < s->content->nlinks; j++)
			if (site_link_in_topic(s, j, i))
				count++;
		if (t->is_auto)
			for (j = 0; j < s->nitems; j++)
				if (s->items[j].in_topic[i])
					count++;
		o = json_object();
		set_str(o, "slug", t->slug);
		set_str(o, "title", t->title);
		set_str(o, "description", t->description);
		buf_clear(&b);
		buf_addf(&b, "%stopics/%s/", s->base, t->slug);
		set_buf(o, "url", &b);
		json_object_set_new(o, "count", json_integer((json_int_t)count));
		json_array_append_new(arr, o);
	}
	buf_release(&b);
	return arr;
}

void
site_model_link_topics(struct site *s)
{
	const struct site_content *c = s->content;
	const struct config_topic *t;
	size_t nt = s->cfg->ntopics, i, j;

	s->link_topics = xcalloc(c->nlinks * nt + 1, 1);
	for (i = 0; i < c->nlinks; i++)
		for (j = 0; j < c->links[i].ntopics; j++) {
			t = config_topic(s->cfg, c->links[i].topics[j]);
			if (t)
				s->link_topics[i * nt +
					       (size_t)(t - s->cfg->topics)] = 1;
		}
}

bool
site_link_in_topic(const struct site *s, size_t i, size_t t)
{
	return s->link_topics[i * s->cfg->ntopics + t] != 0;
}

/* nav: home, the topics, the pages with menu > 0, infos (PAGE-MODEL.md),
 * none current. */
static json_t *
model_nav_base(struct site *s)
{
	json_t *arr = json_array(), *t = s->theme.strings;
	const char *infos_title = json_string_value(json_object_get(t,
								    "infos"));
	struct buf b = BUF_INIT;
	size_t i;

#define NAV(title, path)                                                   \
	do {                                                               \
		json_t *o = json_object();                                 \
		set_str(o, "title", title);                                \
		set_str(o, "url", path);                                   \
		json_array_append_new(arr, o);                             \
	} while (0)
	NAV(json_string_value(json_object_get(t, "home")), s->base);
	for (i = 0; i < s->cfg->ntopics; i++) {
		buf_clear(&b);
		buf_addf(&b, "%stopics/%s/", s->base, s->cfg->topics[i].slug);
		NAV(s->cfg->topics[i].title, b.ptr);
	}
	if (s->content->nplaylists) {
		buf_clear(&b);
		buf_addf(&b, "%splaylists/", s->base);
		NAV(json_string_value(json_object_get(t, "playlists")), b.ptr);
	}
	for (i = 0; i < s->content->npages; i++) {
		const struct page *p = &s->content->pages[i];

		if (p->menu <= 0)
			continue;
		if (strcmp(p->slug, "infos") == 0) {
			/* pages/infos.md is the body of the infos page. */
			infos_title = p->title;
			continue;
		}
		buf_clear(&b);
		buf_addf(&b, "%spages/%s/", s->base, p->slug);
		NAV(p->title, b.ptr);
	}
	buf_clear(&b);
	buf_addf(&b, "%sinfos/", s->base);
	NAV(infos_title, b.ptr);
#undef NAV
	buf_release(&b);
	return arr;
}

/* The nav of the page whose root-relative path is current: the shared
 * entries, but a copy marked is_current for the entries of that path. */
static json_t *
model_nav(struct site *s, const char *current)
{
	json_t *arr, *o;
	const char *url;
	size_t i, n;

	if (!s->nav)
		s->nav = model_nav_base(s);
	n = json_array_size(s->nav);
	for (i = 0; i < n; i++) {
		url = json_string_value(
			json_object_get(json_array_get(s->nav, i), "url"));
		if (url && strcmp(url, current) == 0)
			break;
	}
	if (i == n)
		return json_incref(s->nav);
	arr = json_array();
	for (i = 0; i < n; i++) {
		o = json_array_get(s->nav, i);
		url = json_string_value(json_object_get(o, "url"));
		if (url && strcmp(url, current) == 0) {
			o = json_copy(o);
			json_object_set_new(o, "is_current", json_true());
			json_array_append_new(arr, o);
		} else {
			json_array_append(arr, o);
		}
	}
	return arr;
}

json_t *
site_model_link_card(struct site *s, const struct link *l)
{
	size_t i = (size_t)(l - s->content->links);

	if (!s->link_cards)
		s->link_cards = xcalloc(s->content->nlinks + 1,
					sizeof(*s->link_cards));
	if (!s->link_cards[i])
		s->link_cards[i] = site_model_link(s, l, false);
	return json_incref(s->link_cards[i]);
}

void
site_model_release(struct site *s)
{
	size_t i;

	for (i = 0; s->link_cards && i < s->content->nlinks; i++)
		json_decref(s->link_cards[i]);
	free(s->link_cards);
	s->link_cards = NULL;
	json_decref(s->nav);
	s->nav = NULL;
	free(s->link_topics);
	s->link_topics = NULL;
	for (i = 0; s->topic_refs && i < s->cfg->ntopics; i++)
		free(s->topic_refs[i]);
	free(s->topic_refs);
	free(s->ntopic_refs);
	s->topic_refs = NULL;
	s->ntopic_refs = NULL;
}

json_t *
site_model_page(struct site *s, const char *kind, const char *title,
		const char *path, const char *description, const char *current)
{
	json_t *ctx = json_object(), *page = json_object();
	struct buf b = BUF_INIT, cur = BUF_INIT;

	json_object_set(ctx, "site", s->site_obj);
	json_object_set(ctx, "t", s->theme.strings);
	json_object_set(ctx, "topics", s->topics_arr);
	site_url_path(s, current ? current : path, &cur);
	json_object_set_new(ctx, "nav", model_nav(s, cur.ptr));
	set_str(page, "kind", kind);
	set_str(page, "title", title);
	if (strcmp(kind, "home") == 0)
		buf_adds(&b, title);
	else
		buf_addf(&b, "%s – %s", title, s->cfg->title);
	set_buf(page, "head_title", &b);
	set_str(page, "description",
		description && *description ? description
					    : s->cfg->description);
	buf_clear(&b);
	site_url_abs(s, path, &b);
	set_buf(page, "url", &b);
	buf_clear(&b);
	site_url_path(s, path, &b);
	set_buf(page, "path", &b);
	set_str(page, "lang", config_language_code(s->cfg->language));
	set_str(page, "og_type",
		strcmp(kind, "link") == 0 ? "article" : "website");
	buf_clear(&b);
	feeds_csp(s->cfg->images == CONFIG_IMAGES_LINK, true, &b);
	set_buf(page, "csp", &b);
	json_object_set_new(ctx, "page", page);
	buf_release(&b);
	buf_release(&cur);
	return ctx;
}

const char *
site_tag_slug(const struct site *s, const char *name)
{
	struct buf slug = BUF_INIT;
	const char *found = NULL;
	size_t lo = 0, hi = s->ntags, mid;
	int c;

	utf8_slug(name, strlen(name), 64, &slug);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(slug.ptr, s->tags[mid].slug);
		if (c == 0) {
			found = s->tags[mid].slug;
			break;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	buf_release(&slug);
	return found;
}

void
site_image_url(struct site *s, const char *url, bool is_abs, struct buf *out)
{
	const char *local;

	if (!url || url_scheme(url, strlen(url)) != URL_SCHEME_HTTPS)
		if (!url || url_scheme(url, strlen(url)) != URL_SCHEME_HTTP)
			return;
	switch (s->cfg->images) {
	case CONFIG_IMAGES_COPY:
		local = site_images_get(s->images, url);
		if (!local)
			return;
		if (is_abs)
			site_url_abs(s, local, out);
		else
			site_url_path(s, local, out);
		return;
	case CONFIG_IMAGES_LINK:
		buf_adds(out, url);
		return;
	case CONFIG_IMAGES_NONE:
		return;
	}
}

static const char *
string(const struct site *s, const char *key)
{
	return json_string_value(json_object_get(s->theme.strings, key));
}

/* lang only when it differs from the site's (primary subtag). */
static void
set_lang(const struct site *s, json_t *o, const char *lang)
{
	const char *site = config_language_code(s->cfg->language);
	size_t n;

	if (!lang || !*lang)
		return;
	n = strcspn(lang, "-_");
	if (n == strlen(site) && strncasecmp(lang, site, n) == 0)
		return;
	set_str(o, "lang", lang);
}

json_t *
site_model_link(struct site *s, const struct link *l, bool is_detailed)
{
	json_t *o = json_object(), *arr;
	struct buf b = BUF_INIT;
	const struct config_topic *t;
	const char *slug;
	size_t i;

	json_object_set_new(o, "is_picked", json_true());
	set_str(o, "title", l->title);
	set_str(o, "url", l->url);
	buf_addf(&b, "%s%s/", s->base, l->output_dir);
	set_buf(o, "page_url", &b);
	set_str(o, "kind", link_kind_name(l->kind));
	buf_clear(&b);
	buf_addf(&b, "kind_%s", link_kind_name(l->kind));
	set_str(o, "kind_label", string(s, b.ptr));
	set_str(o, "note_html", l->note_html);
	set_dates(s, o, l->date);
	set_str(o, "by", l->by);
	set_str(o, "source", l->source);
	buf_clear(&b);
	site_image_url(s, l->image, false, &b);
	if (b.len) {
		set_buf(o, "image", &b);
		json_object_set_new(o, "image_alt", json_string(""));
	}
	if (l->isbn[0]) {
		set_str(o, "isbn", l->isbn);
		if (s->cfg->isbn_url) {
			const char *p = strstr(s->cfg->isbn_url, "{isbn}");

			buf_clear(&b);
			buf_add(&b, s->cfg->isbn_url,
				(size_t)(p - s->cfg->isbn_url));
			buf_adds(&b, l->isbn);
			buf_adds(&b, p + 6);
			set_buf(o, "catalogue_url", &b);
		}
	}
	arr = json_array();
	for (i = 0; i < l->ntopics; i++) {
		json_t *x = json_object();

		t = config_topic(s->cfg, l->topics[i]);
		if (!t)
			continue;
		set_str(x, "title", t->title);
		buf_clear(&b);
		buf_addf(&b, "%stopics/%s/", s->base, t->slug);
		set_buf(x, "url", &b);
		json_array_append_new(arr, x);
	}
	if (json_array_size(arr))
		json_object_set_new(o, "has_topics", json_true());
	json_object_set_new(o, "topics", arr);
	arr = json_array();
	for (i = 0; i < l->ntags; i++) {
		json_t *x = json_object();

		slug = s->link_tag_slugs
			       ? s->link_tag_slugs[l - s->content->links][i]
			       : site_tag_slug(s, l->tags[i]);
		set_str(x, "name", l->tags[i]);
		if (slug) {
			buf_clear(&b);
			buf_addf(&b, "%stags/%s/", s->base, slug);
			set_buf(x, "url", &b);
		}
		json_array_append_new(arr, x);
	}
	if (json_array_size(arr))
		json_object_set_new(o, "has_tags", json_true());
	json_object_set_new(o, "tags", arr);
	set_lang(s, o, l->language);
	if (is_detailed) {
		/* "In these selections": only the link's own page. */
		arr = site_model_link_playlists(s, l);
		if (json_array_size(arr))
			json_object_set_new(o, "has_playlists", json_true());
		json_object_set_new(o, "playlists", arr);
	}
	buf_release(&b);
	return o;
}

json_t *
site_model_item(struct site *s, const struct site_item *item)
{
	const struct site_source *src = &s->sources[item->source];
	json_t *o = json_object(), *arr;
	struct buf b = BUF_INIT;
	size_t i;

	json_object_set_new(o, "is_picked", json_false());
	set_str(o, "title", item->title ? item->title : item->url);
	set_str(o, "url", item->url);
	set_str(o, "summary", item->summary);
	set_dates(s, o, item->date);
	set_str(o, "source", src->title ? src->title : src->html_url);
	set_str(o, "source_url", src->html_url);
	site_image_url(s, item->image, false, &b);
	if (b.len) {
		set_buf(o, "image", &b);
		json_object_set_new(o, "image_alt", json_string(""));
	}
	arr = json_array();
	for (i = 0; i < s->cfg->ntopics; i++) {
		json_t *x;

		if (!item->in_topic[i] || !s->cfg->topics[i].is_auto)
			continue;
		x = json_object();
		set_str(x, "title", s->cfg->topics[i].title);
		buf_clear(&b);
		buf_addf(&b, "%stopics/%s/", s->base, s->cfg->topics[i].slug);
		set_buf(x, "url", &b);
		json_array_append_new(arr, x);
	}
	if (json_array_size(arr))
		json_object_set_new(o, "has_topics", json_true());
	json_object_set_new(o, "topics", arr);
	json_object_set_new(o, "tags", json_array());
	set_lang(s, o, item->language);
	buf_release(&b);
	return o;
}

static const char *const day_keys[7] = {
	"day_mon", "day_tue", "day_wed", "day_thu",
	"day_fri", "day_sat", "day_sun",
};

static void
add_time(struct buf *b, int minutes, bool is_fr)
{
	if (is_fr)
		buf_addf(b, "%dh%02d", minutes / 60, minutes % 60);
	else
		buf_addf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

/* The hours object, or NULL when curator.yaml gives no hours. */
json_t *
site_model_hours(struct site *s)
{
	const struct config_hours *h = &s->cfg->hours;
	bool is_fr = s->cfg->language == CONFIG_LANGUAGE_FR, any = false;
	json_t *o, *days, *closures, *data, *jdays, *jclosures, *strs;
	struct buf b = BUF_INIT;
	char rfc[DATE_RFC3339_SIZE];
	size_t d, i;
	char *text;

	for (d = 0; d < 7; d++)
		any = any || h->days[d].is_set;
	if (!any && h->nclosures == 0)
		return NULL;
	o = json_object();
	days = json_array();
	jdays = json_array();
	for (d = 0; d < 7; d++) {
		const struct config_day *day = &h->days[d];
		json_t *x = json_object(), *spans = json_array();

		set_str(x, "name", string(s, day_keys[d]));
		buf_clear(&b);
		if (!day->is_set || day->is_closed || day->nspans == 0) {
			buf_adds(&b, string(s, "closed"));
			json_object_set_new(x, "is_closed", json_true());
		}
		for (i = 0; i < day->nspans && !day->is_closed; i++) {
			if (i > 0)
				buf_adds(&b, i + 1 == day->nspans ? " " : ", ");
			if (i > 0 && i + 1 == day->nspans) {
				buf_adds(&b, string(s, "and"));
				buf_addc(&b, ' ');
			}
			add_time(&b, day->spans[i].open, is_fr);
			buf_adds(&b, is_fr ? "–" : "–");
			add_time(&b, day->spans[i].close, is_fr);
			json_array_append_new(
				spans,
				json_pack("[ii]", day->spans[i].open,
					  day->spans[i].close));
		}
		set_buf(x, "label", &b);
		json_array_append_new(days, x);
		json_array_append_new(jdays, spans);
	}
	json_object_set_new(o, "days", days);
	closures = json_array();
	jclosures = json_array();
	for (i = 0; i < h->nclosures; i++) {
		json_t *x = json_object();

		date_format_rfc3339(h->closures[i], rfc);
		rfc[10] = '\0';
		set_str(x, "date", rfc);
		buf_clear(&b);
		site_date_label(s, h->closures[i], true, &b);
		set_buf(x, "date_label", &b);
		json_array_append_new(closures, x);
		json_array_append_new(jclosures, json_string(rfc));
	}
	if (h->nclosures)
		json_object_set_new(o, "has_closures", json_true());
	json_object_set_new(o, "closures", closures);
	strs = json_object();
	json_object_set(strs, "open_now",
			json_object_get(s->theme.strings, "open_now"));
	json_object_set(strs, "closed_now",
			json_object_get(s->theme.strings, "closed_now"));
	json_object_set(strs, "opens_at",
			json_object_get(s->theme.strings, "opens_at"));
	json_object_set(strs, "opens_day",
			json_object_get(s->theme.strings, "opens_day"));
	json_object_set(strs, "at", json_object_get(s->theme.strings, "at"));
	json_object_set(strs, "closes_at",
			json_object_get(s->theme.strings, "closes_at"));
	json_object_set_new(strs, "days", json_array());
	for (d = 0; d < 7; d++)
		json_array_append_new(json_object_get(strs, "days"),
				      json_string(string(s, day_keys[d])));
	data = json_pack("{s:s, s:o, s:o, s:o}", "timezone",
			 s->cfg->timezone, "days", jdays, "closures",
			 jclosures, "strings", strs);
	text = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	set_str(o, "json", text);
	free(text);
	json_decref(data);
	buf_release(&b);
	return o;
}
