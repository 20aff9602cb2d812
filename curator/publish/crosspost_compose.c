/*
 * crosspost_compose: the summaries. A network's template renders the
 * item; the note, then the hashtags, then the title are cut until the
 * text fits the network's count. The link is never cut.
 */
#include "publish/xpost_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#define TEMPLATE_MAX_SIZE (64u << 10)

/* The built-in templates (spec mode: plain text, {{&x}} unescaped). A site
 * overrides one with themes/THEME/crosspost/NETWORK.mustache. */
static const struct {
	const char *network;
	const char *text;
} defaults[] = {
	{ "bluesky", "{{&title}}\n\n{{#note}}{{&note}}\n\n{{/note}}{{&url}}"
		     "{{#hashtags}}\n\n{{&hashtags}}{{/hashtags}}\n" },
	/* Facebook shows the link as a card: the message does not repeat
	 * it. */
	{ "facebook", "{{&title}}{{#note}}\n\n{{&note}}{{/note}}"
		      "{{#hashtags}}\n\n{{&hashtags}}{{/hashtags}}\n" },
	{ "mastodon", "{{&title}}\n\n{{#note}}{{&note}}\n\n{{/note}}{{&url}}"
		      "{{#hashtags}}\n\n{{&hashtags}}{{/hashtags}}\n" },
};

int
xpost_load_template(struct xpost_session *s)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	const char *src = NULL;
	struct tmpl_options opts = { 0 };
	size_t i;
	int rc = -1;

	s->templates = tmpl_set_new(s->rep, &opts);
	buf_addf(&path, "%s/themes/%s/crosspost/%s.mustache", s->site_dir,
		 s->cfg->theme ? s->cfg->theme : "default", s->net->name);
	if (access(path.ptr, F_OK) == 0) {
		if (file_read(s->rep, path.ptr, TEMPLATE_MAX_SIZE, &text) != 0)
			goto out;
		src = text.ptr;
	} else {
		buf_clear(&path);
		buf_addf(&path, "(built-in)/crosspost/%s.mustache",
			 s->net->name);
		for (i = 0; i < sizeof(defaults) / sizeof(*defaults); i++)
			if (strcmp(defaults[i].network, s->net->name) == 0)
				src = defaults[i].text;
		buf_adds(&text, src ? src : "");
	}
	s->tmpl = tmpl_compile(s->templates, s->net->name, path.ptr, text.ptr,
			       text.len);
	if (s->tmpl)
		rc = 0;
out:
	buf_release(&path);
	buf_release(&text);
	return rc;
}

static bool
is_ascii_alnum(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= '0' && cp <= '9');
}

/* Letters and digits of any script, roughly: ASCII letters and digits,
 * and every non-ASCII code point but spaces, punctuation and symbols
 * that commonly separate words. */
static bool
is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return is_ascii_alnum(cp) || cp == '_';
	if (cp == 0xa0 || (cp >= 0xa1 && cp <= 0xbf && cp != 0xaa &&
			   cp != 0xb5 && cp != 0xba) ||
	    cp == 0xd7 || cp == 0xf7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x3003))
		return false; /* general punctuation, CJK punctuation */
	return true;
}

void
xpost_hashtag(const char *tag, struct buf *out)
{
	size_t len = strlen(tag), i = 0, n;
	bool at_start = true;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(tag + i, len - i, &cp);
		if (n == 0) {
			i++;
			at_start = true;
			continue;
		}
		if (!is_word_char(cp) || cp == '_') {
			at_start = true;
		} else {
			if (at_start && cp >= 'a' && cp <= 'z')
				buf_addc(out, (char)(cp - 'a' + 'A'));
			else
				buf_add(out, tag + i, n);
			at_start = false;
		}
		i += n;
	}
}

json_t *
xpost_template_data(const struct config *cfg,
		    const struct crosspost_item *item, size_t title_max,
		    size_t note_max, bool has_tags)
{
	json_t *data = json_object(), *tags = json_array();
	struct buf b = BUF_INIT, tag = BUF_INIT;
	size_t i;

	utf8_truncate_words(item->title, strlen(item->title), title_max, &b);
	json_object_set_new(data, "title", json_string(b.ptr));
	buf_clear(&b);
	if (note_max > 0)
		utf8_truncate_words(item->note, strlen(item->note), note_max,
				    &b);
	json_object_set_new(data, "note", json_string(b.ptr));
	json_object_set_new(data, "url", json_string(item->url));
	buf_clear(&b);
	for (i = 0; i < item->ntags; i++) {
		buf_clear(&tag);
		xpost_hashtag(item->tags[i], &tag);
		json_array_append_new(tags, json_string(item->tags[i]));
		if (!has_tags || !tag.len)
			continue;
		buf_addf(&b, "%s#%s", b.len ? " " : "", tag.ptr);
	}
	json_object_set_new(data, "hashtags", json_string(b.ptr));
	json_object_set_new(data, "tags", tags);
	json_object_set_new(data, "kind", json_string(item->kind));
	json_object_set_new(data, "site_title",
			    json_string(cfg->title ? cfg->title : ""));
	buf_release(&b);
	buf_release(&tag);
	return data;
}

/* Renders with these cuts; returns the length by measure, or SIZE_MAX
 * when rendering failed. */
static size_t
render(struct xpost_session *s, const struct crosspost_item *item,
       size_t title_max, size_t note_max, bool has_tags,
       xpost_measure_fn *measure, struct buf *out)
{
	json_t *data = xpost_template_data(s->cfg, item, title_max, note_max,
					   has_tags);
	int rc;

	buf_clear(out);
	rc = tmpl_render(s->tmpl, data, out);
	json_decref(data);
	if (rc != 0)
		return SIZE_MAX;
	buf_trim(out);
	return measure(s, out->ptr, out->len);
}

/* The largest n in [lo, hi] for which the render fits (measure <= max),
 * with the other cuts fixed; which says which cut n is. Returns SIZE_MAX
 * when none fits. Assumes fitting is monotonic in n. */
static size_t
search(struct xpost_session *s, const struct crosspost_item *item,
       int which, size_t lo, size_t hi, size_t fixed, bool has_tags,
       xpost_measure_fn *measure, size_t max, struct buf *scratch)
{
	size_t best = SIZE_MAX, mid, got;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		got = which == 0 ? render(s, item, SIZE_MAX, mid, has_tags,
					  measure, scratch)
				 : render(s, item, mid, fixed, has_tags,
					  measure, scratch);
		if (got != SIZE_MAX && got <= max) {
			best = mid;
			lo = mid + 1;
		} else {
			if (mid == 0)
				break;
			hi = mid - 1;
		}
	}
	return best;
}

int
xpost_fit(struct xpost_session *s, const struct crosspost_item *item,
	  xpost_measure_fn *measure, size_t max, struct buf *out,
	  size_t *length)
{
	struct report_pos pos = { item->key, 0, 0 };
	struct buf scratch = BUF_INIT;
	size_t note_g = utf8_graphemes(item->note, strlen(item->note));
	size_t title_g = utf8_graphemes(item->title, strlen(item->title));
	size_t n, got;
	bool has_tags = true;
	int rc = -1;

	*length = 0;
	got = render(s, item, SIZE_MAX, SIZE_MAX, true, measure, out);
	if (got == SIZE_MAX)
		goto out;
	if (got <= max) {
		*length = got;
		rc = 0;
		goto out;
	}
	/* the note first, with and then without the hashtags */
	for (has_tags = true;; has_tags = false) {
		n = note_g ? search(s, item, 0, 0, note_g - 1, 0, has_tags,
				    measure, max, &scratch)
			   : SIZE_MAX;
		/* a note cut to a word or two says nothing: leave it out */
		if (n != SIZE_MAX && n > 0 && n < 12)
			n = 0;
		if (n != SIZE_MAX)
			break;
		if (!has_tags)
			break;
	}
	if (n != SIZE_MAX) {
		*length = render(s, item, SIZE_MAX, n, has_tags, measure, out);
		rc = 0;
		goto out;
	}
	/* then the title, without the note and the hashtags */
	n = search(s, item, 1, 1, title_g, 0, false, measure, max, &scratch);
	if (n != SIZE_MAX) {
		*length = render(s, item, n, 0, false, measure, out);
		rc = 0;
		goto out;
	}
	report_error(s->rep, &pos,
		     "%s: the summary cannot fit in %zu %s even without its "
		     "note",
		     s->net->name, max,
		     s->net == &xpost_mastodon ? "characters" : "graphemes");
	report_hint(s->rep, "shorten the site's URL or the template "
			    "themes/%s/crosspost/%s.mustache",
		    s->cfg->theme ? s->cfg->theme : "default", s->net->name);
out:
	buf_release(&scratch);
	return rc;
}

/* Where the URL starting at text[i] ends (RFC 3986 characters, minus a
 * final . , ; : ! ? ) that usually ends the sentence). */
static size_t
url_end(const char *text, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && (unsigned char)text[j] > ' ' &&
	       (unsigned char)text[j] < 0x7f && text[j] != '"' &&
	       text[j] != '<' && text[j] != '>')
		j++;
	while (j > i && strchr(".,;:!?)'", text[j - 1]))
		j--;
	return j;
}

static bool
starts_url(const char *text, size_t len, size_t i)
{
	return (len - i > 8 && memcmp(text + i, "https://", 8) == 0) ||
	       (len - i > 7 && memcmp(text + i, "http://", 7) == 0);
}

size_t
xpost_mastodon_length(const char *text, size_t len, size_t url_length)
{
	size_t i = 0, start = 0, count = 0, end;

	/* Mastodon counts grapheme clusters, and every URL as
	 * characters_reserved_per_url whatever its length */
	while (i < len) {
		if ((i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' ||
		     text[i - 1] == '(' || text[i - 1] == '\t') &&
		    starts_url(text, len, i)) {
			end = url_end(text, len, i);
			if (end > i + 8) {
				count += utf8_graphemes(text + start,
							i - start);
				count += url_length;
				i = start = end;
				continue;
			}
		}
		i++;
	}
	return count + utf8_graphemes(text + start, len - start);
}

static json_t *
facet(size_t start, size_t end, const char *type, const char *key,
      const char *value, size_t value_len)
{
	return json_pack("{s:{s:I,s:I},s:[{s:s,s:s%}]}", "index", "byteStart",
			 (json_int_t)start, "byteEnd", (json_int_t)end,
			 "features", "$type", type, key, value, value_len);
}

json_t *
xpost_bluesky_facets(const char *text, size_t len, const char *url)
{
	json_t *facets = json_array();
	size_t url_len = strlen(url), i = 0, j, n;
	bool has_letter;
	uint32_t cp;
	const char *hit;

	while (url_len && i < len) {
		hit = memmem(text + i, len - i, url, url_len);
		if (!hit)
			break;
		j = (size_t)(hit - text);
		json_array_append_new(
			facets, facet(j, j + url_len,
				      "app.bsky.richtext.facet#link", "uri",
				      url, url_len));
		i = j + url_len;
	}
	/* hashtags: "#" at the start or after white space, then word
	 * characters, not only digits */
	for (i = 0; i < len; i++) {
		if (text[i] != '#' ||
		    (i > 0 && text[i - 1] != ' ' && text[i - 1] != '\n'))
			continue;
		has_letter = false;
		for (j = i + 1; j < len; j += n) {
			n = utf8_decode(text + j, len - j, &cp);
			if (n == 0 || !is_word_char(cp))
				break;
			if (!(cp >= '0' && cp <= '9'))
				has_letter = true;
		}
		if (!has_letter || j - i - 1 > 64)
			continue;
		json_array_append_new(
			facets, facet(i, j, "app.bsky.richtext.facet#tag",
				      "tag", text + i + 1, j - i - 1));
		i = j - 1;
	}
	return facets;
}
