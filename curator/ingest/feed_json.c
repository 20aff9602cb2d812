/*
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) with jansson.
 * A JSON document cannot be used before it is complete, so it is loaded
 * whole, capped at JSON_MAX bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/url.h"
#include "core/xmalloc.h"
#include "ingest/ingest_private.h"

#define JSON_MAX (64u << 20)

static const char *
get_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
offer(struct feed_slot *slot, const char *s, int prio,
      enum feed_text_kind kind, const char *base)
{
	if (s)
		feed_slot_offer(slot, s, strlen(s), prio, kind, base, 0);
}

static void
resolve(const char *base, const char *s, struct buf *out)
{
	buf_clear(out);
	if (s)
		url_resolve(base, s, strlen(s), out);
	buf_trim(out);
}

/* JSON Feed 1.1 "authors", 1.0 "author": the first name. */
static const char *
author_of(json_t *obj)
{
	json_t *authors = json_object_get(obj, "authors");
	const char *name;
	size_t i;
	json_t *a;

	json_array_foreach(authors, i, a) {
		name = get_string(a, "name");
		if (name)
			return name;
	}
	return get_string(json_object_get(obj, "author"), "name");
}

static void
read_item(json_t *obj, const char *base, struct feed_item_builder *b)
{
	struct buf url = BUF_INIT;
	json_t *v, *tags, *attachments;
	char num[32];
	size_t i;

	v = json_object_get(obj, "id");
	if (json_is_string(v)) {
		offer(&b->id, json_string_value(v), 0, FEED_TEXT_PLAIN, NULL);
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		offer(&b->id, num, 0, FEED_TEXT_PLAIN, NULL);
	}
	resolve(base, get_string(obj, "url"), &url);
	offer(&b->url, url.ptr, 0, FEED_TEXT_PLAIN, NULL);
	resolve(base, get_string(obj, "external_url"), &url);
	offer(&b->url, url.ptr, 1, FEED_TEXT_PLAIN, NULL);
	offer(&b->title, get_string(obj, "title"), 0, FEED_TEXT_PLAIN, NULL);
	offer(&b->content, get_string(obj, "content_html"), 0, FEED_TEXT_HTML,
	      base);
	offer(&b->content, get_string(obj, "content_text"), 1,
	      FEED_TEXT_PLAIN, base);
	offer(&b->description, get_string(obj, "summary"), 0, FEED_TEXT_PLAIN,
	      base);
	offer(&b->published, get_string(obj, "date_published"), 0,
	      FEED_TEXT_PLAIN, NULL);
	offer(&b->updated, get_string(obj, "date_modified"), 0,
	      FEED_TEXT_PLAIN, NULL);
	offer(&b->author, author_of(obj), 0, FEED_TEXT_PLAIN, NULL);
	offer(&b->language, get_string(obj, "language"), 0, FEED_TEXT_PLAIN,
	      NULL);
	if (get_string(obj, "image")) {
		resolve(base, get_string(obj, "image"), &url);
		feed_item_builder_set_image(b, FEED_IMAGE_THUMBNAIL, url.ptr);
	}
	if (get_string(obj, "banner_image")) {
		resolve(base, get_string(obj, "banner_image"), &url);
		feed_item_builder_set_image(b, FEED_IMAGE_MEDIA, url.ptr);
	}
	tags = json_object_get(obj, "tags");
	json_array_foreach(tags, i, v) {
		if (json_is_string(v))
			feed_item_builder_add_category(
				b, json_string_value(v),
				strlen(json_string_value(v)));
	}
	attachments = json_object_get(obj, "attachments");
	json_array_foreach(attachments, i, v) {
		json_t *size = json_object_get(v, "size_in_bytes");

		if (!get_string(v, "url"))
			continue;
		resolve(base, get_string(v, "url"), &url);
		feed_item_builder_add_enclosure(
			b, url.ptr, get_string(v, "mime_type"),
			json_is_integer(size) && json_integer_value(size) >= 0
				? (int64_t)json_integer_value(size)
				: -1);
	}
	buf_release(&url);
}

static char *
clean(const char *s)
{
	return s ? feed_clean_line(s, strlen(s)) : NULL;
}

int
feed_json_parse(const struct feed_options *opts, const char *head,
		size_t headlen, struct feed_input *in, feed_item_fn on_item,
		void *ctx, struct feed_info *info, struct feed_diag *diag)
{
	struct buf data = BUF_INIT, url = BUF_INIT;
	struct feed_item_builder b;
	struct feed_item item;
	json_error_t err;
	json_t *root = NULL, *items, *obj;
	const char *version, *base;
	char chunk[FEED_CHUNK_SIZE / 4];
	size_t i, count = 0;
	ssize_t n;
	int rc = -1;

	feed_item_builder_init(&b);
	buf_add(&data, head, headlen);
	while ((n = in->read(in->ctx, chunk, sizeof(chunk))) > 0) {
		if (data.len + (size_t)n > JSON_MAX) {
			feed_diag_fail(diag, "JSON feed larger than %u MiB",
				       JSON_MAX >> 20);
			goto out;
		}
		buf_add(&data, chunk, (size_t)n);
	}
	if (n < 0) {
		feed_diag_fail(diag, "read error: %s", strerror(errno));
		goto out;
	}
	root = json_loadb(data.ptr, data.len, 0, &err);
	if (!root) {
		feed_diag_fail(diag,
			       "not a feed (invalid JSON at line %d, column "
			       "%d: %s)",
			       err.line, err.column, err.text);
		goto out;
	}
	version = get_string(root, "version");
	if (!json_is_object(root) || !version ||
	    strncmp(version, "https://jsonfeed.org/version/", 29) != 0) {
		feed_diag_fail(diag, "not a feed (JSON without a JSON Feed "
				     "version)");
		goto out;
	}
	info->format = strcmp(version + 29, "1") == 0 ? FEED_FORMAT_JSON10
						       : FEED_FORMAT_JSON11;
	if (strcmp(version + 29, "1") != 0 && strcmp(version + 29, "1.1") != 0)
		feed_diag_warn(diag, 0, "unknown JSON Feed version '%.64s' "
					"read as 1.1",
			       version);
	info->title = clean(get_string(root, "title"));
	info->description = clean(get_string(root, "description"));
	info->language = clean(get_string(root, "language"));
	resolve(opts->base_url, get_string(root, "home_page_url"), &url);
	info->url = clean(url.ptr);
	resolve(opts->base_url, get_string(root, "feed_url"), &url);
	info->feed_url = clean(url.ptr);
	base = opts->base_url ? opts->base_url : info->url;
	resolve(base, get_string(root, "icon") ? get_string(root, "icon")
					       : get_string(root, "favicon"),
		&url);
	info->image = clean(url.ptr);

	items = json_object_get(root, "items");
	json_array_foreach(items, i, obj) {
		if (!json_is_object(obj))
			continue;
		if (count++ >= FEED_MAX_ITEMS) {
			feed_diag_warn(diag, 0,
				       "more than %d items: the rest ignored",
				       FEED_MAX_ITEMS);
			break;
		}
		feed_item_builder_clear(&b);
		read_item(obj, base, &b);
		feed_item_builder_finish(&b, diag,
					 author_of(root) ? author_of(root)
							 : NULL,
					 &item);
		n = on_item(&item, ctx);
		feed_item_release(&item);
		if (n != 0)
			break;
	}
	rc = 0;
out:
	json_decref(root);
	buf_release(&data);
	buf_release(&url);
	feed_item_builder_release(&b);
	return rc;
}
