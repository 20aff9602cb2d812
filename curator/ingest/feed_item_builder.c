/*
 * The item builder: what every feed format fills while it reads an item,
 * and the one place where an item is normalized (ingest.h, struct
 * feed_item): plain-text titles, sanitized content, a summary cut at a word,
 * dates in UTC, an id that is never missing.
 *
 * An item without guid/id and without a link gets the id
 * "curator:fnv1a64:" followed by the 16 lower-case hex digits of the 64-bit
 * FNV-1a hash of its normalized title, a line feed, and its summary: stable
 * across runs and machines, and different when either changes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/digest.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

#define SUMMARY_MAX 300

static void
slot_init(struct feed_slot *slot)
{
	buf_init(&slot->text, 0);
	slot->has_text = false;
	slot->prio = 0;
	slot->kind = FEED_TEXT_PLAIN;
	slot->base = NULL;
	slot->line = 0;
}

static void
slot_clear(struct feed_slot *slot)
{
	buf_clear(&slot->text);
	slot->has_text = false;
	free(slot->base);
	slot->base = NULL;
	slot->line = 0;
}

static void
slot_release(struct feed_slot *slot)
{
	slot_clear(slot);
	buf_release(&slot->text);
}

#define FOR_EACH_SLOT(b, f)                                                 \
	do {                                                                \
		f(&(b)->title);                                             \
		f(&(b)->url);                                               \
		f(&(b)->id);                                                \
		f(&(b)->content);                                           \
		f(&(b)->description);                                       \
		f(&(b)->author);                                            \
		f(&(b)->published);                                         \
		f(&(b)->updated);                                           \
		f(&(b)->language);                                          \
	} while (0)

void
feed_item_builder_init(struct feed_item_builder *b)
{
	memset(b, 0, sizeof(*b));
	FOR_EACH_SLOT(b, slot_init);
}

void
feed_item_builder_clear(struct feed_item_builder *b)
{
	size_t i;

	FOR_EACH_SLOT(b, slot_clear);
	b->guid_is_permalink = false;
	for (i = 0; i < FEED_IMAGE_COUNT; i++) {
		free(b->image[i]);
		b->image[i] = NULL;
	}
	for (i = 0; i < b->ncategories; i++)
		free(b->categories[i]);
	b->ncategories = 0;
	for (i = 0; i < b->nenclosures; i++) {
		free(b->enclosures[i].url);
		free(b->enclosures[i].type);
	}
	b->nenclosures = 0;
	b->line = 0;
}

void
feed_item_builder_release(struct feed_item_builder *b)
{
	feed_item_builder_clear(b);
	FOR_EACH_SLOT(b, slot_release);
	free(b->categories);
	free(b->enclosures);
	memset(b, 0, sizeof(*b));
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void
feed_slot_offer(struct feed_slot *slot, const char *text, size_t len,
		int prio, enum feed_text_kind kind, const char *base,
		unsigned long line)
{
	while (len > 0 && is_space(*text)) {
		text++;
		len--;
	}
	while (len > 0 && is_space(text[len - 1]))
		len--;
	if (len == 0 || (slot->has_text && prio >= slot->prio))
		return;
	buf_clear(&slot->text);
	buf_add(&slot->text, text, len);
	slot->has_text = true;
	slot->prio = prio;
	slot->kind = kind;
	free(slot->base);
	slot->base = base ? xstrdup(base) : NULL;
	slot->line = line;
}

char *
feed_clean_line(const char *s, size_t len)
{
	struct buf line = BUF_INIT, valid = BUF_INIT;
	size_t i, run;
	bool space = false;

	if (len) /* one allocation: the line is no longer */
		buf_grow(&line, len);
	for (i = 0; i < len; i = run) {
		if (is_space(s[i])) {
			space = line.len > 0;
			run = i + 1;
			continue;
		}
		if (space)
			buf_addc(&line, ' ');
		space = false;
		for (run = i + 1; run < len && !is_space(s[run]); run++)
			;
		buf_add(&line, s + i, run - i);
	}
	if (line.len == 0) {
		buf_release(&line);
		return NULL;
	}
	if (utf8_is_valid(line.ptr, line.len))
		return buf_detach(&line, NULL);
	utf8_repair(line.ptr, line.len, &valid);
	buf_release(&line);
	return buf_detach(&valid, NULL);
}

/* Takes b's bytes, known to be valid UTF-8 (utf8_truncate_words' output),
 * trimmed; NULL when empty. */
static char *
detach_valid_text(struct buf *b)
{
	buf_trim(b);
	return b->len ? buf_detach(b, NULL) : NULL;
}

/* Takes b's bytes as a valid UTF-8 string, NULL when empty. */
static char *
detach_text(struct buf *b)
{
	struct buf valid = BUF_INIT;

	buf_trim(b);
	if (b->len == 0)
		return NULL;
	if (utf8_is_valid(b->ptr, b->len))
		return buf_detach(b, NULL);
	utf8_repair(b->ptr, b->len, &valid);
	buf_clear(b);
	return buf_detach(&valid, NULL);
}

int64_t
feed_parse_length(const char *s, size_t len)
{
	int64_t v = 0;
	size_t i = 0;

	while (i < len && is_space(s[i]))
		i++;
	if (i == len)
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	while (i < len && is_space(s[i]))
		i++;
	return i == len ? v : -1;
}

void
feed_escape_html(const char *s, size_t len, struct buf *out)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		default:
			continue;
		}
		buf_add(out, s + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

void
feed_item_builder_add_category(struct feed_item_builder *b, const char *s,
			       size_t len)
{
	char *c = feed_clean_line(s, len);
	size_t i;

	if (!c)
		return;
	for (i = 0; i < b->ncategories; i++) {
		if (strcmp(b->categories[i], c) == 0) {
			free(c);
			return;
		}
	}
	b->categories = xgrow(b->categories, b->ncategories + 1, &b->catcap,
			      sizeof(*b->categories));
	b->categories[b->ncategories++] = c;
}

void
feed_item_builder_add_enclosure(struct feed_item_builder *b, const char *url,
				const char *type, int64_t length)
{
	struct feed_enclosure *e;
	char *u = feed_clean_line(url, strlen(url));
	size_t i;

	if (!u)
		return;
	for (i = 0; i < b->nenclosures; i++) {
		if (strcmp(b->enclosures[i].url, u) == 0) {
			free(u);
			return;
		}
	}
	b->enclosures = xgrow(b->enclosures, b->nenclosures + 1, &b->enccap,
			      sizeof(*b->enclosures));
	e = &b->enclosures[b->nenclosures++];
	e->url = u;
	e->type = type ? feed_clean_line(type, strlen(type)) : NULL;
	e->length = length;
}

void
feed_item_builder_set_image(struct feed_item_builder *b,
			    enum feed_image_prio prio, const char *url)
{
	if (b->image[prio] || !url)
		return;
	b->image[prio] = feed_clean_line(url, strlen(url));
}

/* Markup in an RSS title: a tag or an entity reference. */
static bool
looks_like_markup(const char *s, size_t len)
{
	size_t i, j;
	char c;

	for (i = 0; i + 1 < len; i++) {
		c = s[i + 1];
		if (s[i] == '<' &&
		    ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		     c == '/' || c == '!'))
			return true;
		if (s[i] != '&')
			continue;
		for (j = i + 1; j < len && j < i + 12; j++) {
			c = s[j];
			if (c == ';')
				return j > i + 1;
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '#'))
				break;
		}
	}
	return false;
}

static bool
slot_is_html(const struct feed_slot *slot)
{
	return slot->kind == FEED_TEXT_HTML ||
	       (slot->kind == FEED_TEXT_MAYBE_HTML &&
		looks_like_markup(slot->text.ptr, slot->text.len));
}

void
feed_slot_text(const struct feed_slot *slot, struct buf *out)
{
	if (slot_is_html(slot))
		html_to_text(slot->text.ptr, slot->text.len, out);
	else
		buf_add(out, slot->text.ptr, slot->text.len);
}

static char *
slot_line(const struct feed_slot *slot)
{
	struct buf text = BUF_INIT;
	char *s;

	if (!slot->has_text)
		return NULL;
	if (!slot_is_html(slot)) /* no copy through text */
		return feed_clean_line(slot->text.ptr, slot->text.len);
	feed_slot_text(slot, &text);
	s = feed_clean_line(text.ptr, text.len);
	buf_release(&text);
	return s;
}

/* "jane@example.org (Jane Doe)" -> "Jane Doe" (RSS 2.0 author). */
static void
author_name(char **author)
{
	char *s = *author, *open, *at, *name;
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	open = strchr(s, '(');
	at = strchr(s, '@');
	if (!open || !at || at > open || s[len - 1] != ')')
		return;
	name = feed_clean_line(open + 1, (size_t)(s + len - 1 - open - 1));
	if (!name)
		return;
	free(*author);
	*author = name;
}

static bool
take_date(const struct feed_slot *slot, struct feed_diag *diag, int64_t *t)
{
	*t = 0;
	if (!slot->has_text)
		return false;
	if (date_parse(slot->text.ptr, slot->text.len, t) == 0)
		return true;
	feed_diag_warn(diag, slot->line, "unrecognised date '%.64s'",
		       slot->text.ptr);
	return false;
}

/* The src of the first <img> in sanitized HTML (our sanitizer's output:
 * attributes always double-quoted, & escaped). */
static char *
first_image(const char *html)
{
	const char *p = html, *tag_end, *src, *end;
	struct buf url = BUF_INIT;

	while ((p = strstr(p, "<img")) != NULL) {
		tag_end = strchr(p, '>');
		if (!tag_end)
			return NULL;
		src = strstr(p, " src=\"");
		if (src && src < tag_end) {
			src += 6;
			end = strchr(src, '"');
			if (!end)
				return NULL;
			for (; src < end; src++) {
				if (strncmp(src, "&amp;", 5) == 0) {
					buf_addc(&url, '&');
					src += 4;
				} else {
					buf_addc(&url, *src);
				}
			}
			return detach_text(&url);
		}
		p = tag_end;
	}
	return NULL;
}

/* FNV-1a of a C string, NULL adding nothing. */
static uint64_t
fnv1a64_str(uint64_t h, const char *s)
{
	return s ? fnv1a64(h, s, strlen(s)) : h;
}

static bool
is_http_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

void
feed_item_builder_finish(struct feed_item_builder *b, struct feed_diag *diag,
			 const char *fallback_author, struct feed_item *item)
{
	struct feed_item_dates dates;

	memset(item, 0, sizeof(*item));
	/* NOTE: dates here, on the parsing thread: their warnings keep
	 * their place among the parser's */
	dates.has_published = take_date(&b->published, diag, &dates.published);
	dates.has_updated = take_date(&b->updated, diag, &dates.updated);
	if (diag->pipe &&
	    feed_pipe_push(diag->pipe, b, &dates, fallback_author))
		return;
	feed_item_builder_normalize(b, &dates, fallback_author, item);
}

void
feed_item_builder_normalize(const struct feed_item_builder *b,
			    const struct feed_item_dates *dates,
			    const char *fallback_author, struct feed_item *item)
{
	const struct feed_slot *body, *sum;
	struct buf html = BUF_INIT, out = BUF_INIT, text = BUF_INIT;
	char hash[64];
	uint64_t h;
	size_t i;

	memset(item, 0, sizeof(*item));
	item->title = slot_line(&b->title);
	item->url = slot_line(&b->url);
	item->id = slot_line(&b->id);
	item->author = slot_line(&b->author);
	if (!item->author && fallback_author)
		item->author = xstrdup(fallback_author);
	author_name(&item->author);
	item->language = slot_line(&b->language);
	item->has_published = dates->has_published;
	item->published = dates->published;
	item->has_updated = dates->has_updated;
	item->updated = dates->updated;
	if (!item->url && item->id && b->guid_is_permalink &&
	    is_http_url(item->id))
		item->url = xstrdup(item->id);

	body = b->content.has_text ? &b->content : &b->description;
	sum = b->description.has_text ? &b->description : &b->content;
	if (body == sum && body->has_text && slot_is_html(body)) {
		/* the usual case: content and summary from one parse; the
		 * buffers sized once (the HTML comes out about as long as it
		 * went in, the text shorter) instead of doubling */
		buf_grow(&out, body->text.len + body->text.len / 8);
		buf_grow(&text, body->text.len / 2);
		sanitize_html_text(body->text.ptr, body->text.len, body->base,
				   &out, &text);
		item->content_html = detach_text(&out);
	} else {
		if (body->has_text) {
			if (body->kind == FEED_TEXT_PLAIN)
				feed_escape_html(body->text.ptr,
						 body->text.len, &html);
			else
				buf_add(&html, body->text.ptr, body->text.len);
			sanitize_html(html.ptr, html.len, body->base, &out);
			item->content_html = detach_text(&out);
		}
		if (sum->has_text)
			feed_slot_text(sum, &text);
	}
	if (sum->has_text) {
		utf8_truncate_words(text.ptr, text.len, SUMMARY_MAX, &out);
		item->summary = detach_valid_text(&out);
	}

	for (i = 0; i < FEED_IMAGE_COUNT && !item->image; i++)
		if (b->image[i])
			item->image = xstrdup(b->image[i]);
	if (!item->image && item->content_html) {
		/* a data: URL inlined in the content is not a picture to
		 * show beside the item */
		item->image = first_image(item->content_html);
		if (item->image && !is_http_url(item->image)) {
			free(item->image);
			item->image = NULL;
		}
	}

	if (!item->id && item->url)
		item->id = xstrdup(item->url);
	if (!item->id) {
		h = fnv1a64_str(FNV1A64_BASIS, item->title);
		h = fnv1a64_str(h, "\n");
		h = fnv1a64_str(h, item->summary);
		snprintf(hash, sizeof(hash), "curator:fnv1a64:%016" PRIx64, h);
		item->id = xstrdup(hash);
	}

	if (b->ncategories) {
		item->categories =
			xcalloc(b->ncategories, sizeof(*item->categories));
		for (i = 0; i < b->ncategories; i++)
			item->categories[i] = xstrdup(b->categories[i]);
		item->ncategories = b->ncategories;
	}
	if (b->nenclosures) {
		item->enclosures =
			xcalloc(b->nenclosures, sizeof(*item->enclosures));
		for (i = 0; i < b->nenclosures; i++) {
			item->enclosures[i].url = xstrdup(b->enclosures[i].url);
			item->enclosures[i].type =
				b->enclosures[i].type
					? xstrdup(b->enclosures[i].type)
					: NULL;
			item->enclosures[i].length = b->enclosures[i].length;
		}
		item->nenclosures = b->nenclosures;
	}
	buf_release(&html);
	buf_release(&out);
	buf_release(&text);
}
