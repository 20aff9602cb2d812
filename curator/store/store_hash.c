/*
 * The duplicate key (normalized URL) and the content hash of an item.
 * store.h (store_item_hash) says what the hash covers and why FNV-1a 64.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/url.h"
#include "core/xmalloc.h"

static uint64_t
fnv_add_u64(uint64_t h, uint64_t v)
{
	unsigned char bytes[8];
	int i;

	/* Little-endian whatever the machine, so hashes are portable. */
	for (i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(v >> (8 * i));
	return fnv1a64(h, bytes, sizeof(bytes));
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Adds a tagged, length-prefixed, trimmed string (NULL and "" alike). */
static uint64_t
fnv_add_field(uint64_t h, unsigned char tag, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	while (len && is_space(*s)) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	h = fnv1a64(h, &tag, 1);
	h = fnv_add_u64(h, len);
	return fnv1a64(h, s, len);
}

static uint64_t
fnv_add_time(uint64_t h, unsigned char tag, bool has, int64_t t)
{
	h = fnv1a64(h, &tag, 1);
	return fnv_add_u64(h, has ? (uint64_t)t : UINT64_MAX);
}

char *
store_normalized_url(const char *url)
{
	struct buf out = BUF_INIT;

	if (!url || !*url)
		return NULL;
	if (url_normalize(url, strlen(url), &out) != 0) {
		buf_release(&out);
		return xstrdup(url);
	}
	return buf_detach(&out, NULL);
}

void
store_item_hash_norm(const struct feed_item *item, const char *norm,
		     char out[STORE_HASH_SIZE])
{
	uint64_t h = FNV1A64_BASIS;
	size_t i;

	h = fnv_add_field(h, 'u', norm);
	h = fnv_add_field(h, 't', item->title);
	h = fnv_add_field(h, 'a', item->author);
	h = fnv_add_time(h, 'p', item->has_published, item->published);
	h = fnv_add_time(h, 'd', item->has_updated, item->updated);
	h = fnv_add_field(h, 's', item->summary);
	h = fnv_add_field(h, 'c', item->content_html);
	h = fnv_add_field(h, 'i', item->image);
	h = fnv_add_field(h, 'l', item->language);
	h = fnv_add_u64(h, item->ncategories);
	for (i = 0; i < item->ncategories; i++)
		h = fnv_add_field(h, 'k', item->categories[i]);
	h = fnv_add_u64(h, item->nenclosures);
	for (i = 0; i < item->nenclosures; i++) {
		h = fnv_add_field(h, 'e', item->enclosures[i].url);
		h = fnv_add_field(h, 'm', item->enclosures[i].type);
		h = fnv_add_u64(h, (uint64_t)item->enclosures[i].length);
	}
	snprintf(out, STORE_HASH_SIZE, "%016llx", (unsigned long long)h);
}

void
store_item_hash(const struct feed_item *item, char out[STORE_HASH_SIZE])
{
	char *norm = store_normalized_url(item->url);

	store_item_hash_norm(item, norm, out);
	free(norm);
}
