/*
 * site_images: privacy.images: copy. Each image URL is downloaded once
 * (http_get: the fetch limits and the address guard), kept in
 * SITE/.curator/media-cache/HASH.EXT across builds, and served from
 * media/HASH.EXT, where HASH is the FNV-1a 64 of the URL and EXT comes
 * from the Content-Type (png, jpeg, gif, webp and avif only). A failure is
 * a warning and no image; it is remembered in HASH.none for a day, so a
 * dead image does not slow down every build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

#define IMAGE_MAX_BODY (8u << 20)

static const struct {
	const char *type;
	const char *ext;
} image_types[] = {
	{ "image/avif", "avif" }, { "image/gif", "gif" },
	{ "image/jpeg", "jpg" },  { "image/png", "png" },
	{ "image/webp", "webp" },
};

#define NTYPES (sizeof(image_types) / sizeof(*image_types))

struct image {
	uint64_t hash;
	char *local;             /* "media/HASH.EXT", or NULL: no image */
};

struct site_images {
	struct site *s;
	char *cache_dir;
	struct http_options http;
	bool has_http;
	const char **allow;      /* fetch.allow_private texts */
	struct image *slots;     /* open addressing on hash */
	size_t cap;
	size_t n;
};

struct site_images *
site_images_new(struct site *s)
{
	struct site_images *im = xcalloc(1, sizeof(*im));
	struct buf b = BUF_INIT;

	im->s = s;
	buf_addf(&b, "%s/%s", s->site_dir, SITE_MEDIA_CACHE);
	im->cache_dir = buf_detach(&b, NULL);
	im->cap = 1024;
	im->slots = xcalloc(im->cap, sizeof(*im->slots));
	return im;
}

void
site_images_free(struct site_images *im)
{
	size_t i;

	if (!im)
		return;
	for (i = 0; i < im->cap; i++)
		free(im->slots[i].local);
	free(im->slots);
	free(im->cache_dir);
	if (im->has_http)
		http_options_release(&im->http);
	free(im->allow);
	free(im);
}

static struct image *
slot(struct site_images *im, uint64_t hash)
{
	size_t i = (size_t)(hash % im->cap);

	while (im->slots[i].hash && im->slots[i].hash != hash)
		i = (i + 1) % im->cap;
	return &im->slots[i];
}

static void
grow(struct site_images *im)
{
	struct image *old = im->slots;
	size_t oldcap = im->cap, i;

	im->cap *= 2;
	im->slots = xcalloc(im->cap, sizeof(*im->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].hash)
			*slot(im, old[i].hash) = old[i];
	free(old);
}

/* A cached copy: returns its extension, or NULL. */
static const char *
cached(struct site_images *im, const char *hex)
{
	struct buf path = BUF_INIT;
	const char *ext = NULL;
	size_t i;

	for (i = 0; i < NTYPES && !ext; i++) {
		buf_clear(&path);
		buf_addf(&path, "%s/%s.%s", im->cache_dir, hex,
			 image_types[i].ext);
		if (access(path.ptr, F_OK) == 0)
			ext = image_types[i].ext;
	}
	buf_release(&path);
	return ext;
}

static bool
failed_recently(struct site_images *im, const char *hex)
{
	struct buf path = BUF_INIT;
	struct stat st;
	bool yes;

	buf_addf(&path, "%s/%s.none", im->cache_dir, hex);
	yes = stat(path.ptr, &st) == 0 &&
	      time(NULL) - st.st_mtime < SITE_IMAGE_RETRY_S;
	buf_release(&path);
	return yes;
}

static void
remember_failure(struct site_images *im, const char *hex)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s/%s.none", im->cache_dir, hex);
	/* Rewritten each time so that its mtime says when it failed. */
	unlink(path.ptr);
	file_write_atomic(im->s->rep, path.ptr, "", 0, false);
	buf_release(&path);
}

/* Whether the bytes are what the Content-Type says: a page that answers
 * HTML (or anything else) under an image type must not be served from
 * the site as an image. The signatures are the formats' own magic
 * numbers (PNG §5.2, JFIF SOI marker, GIF87a/89a, RIFF/WEBP, ISO BMFF
 * ftyp with an AVIF brand). */
static bool
has_image_signature(const char *ext, const char *p, size_t len)
{
	if (strcmp(ext, "png") == 0)
		return len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0;
	if (strcmp(ext, "jpg") == 0)
		return len >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0;
	if (strcmp(ext, "gif") == 0)
		return len >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
				    memcmp(p, "GIF89a", 6) == 0);
	if (strcmp(ext, "webp") == 0)
		return len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
		       memcmp(p + 8, "WEBP", 4) == 0;
	if (strcmp(ext, "avif") == 0)
		return len >= 12 && memcmp(p + 4, "ftyp", 4) == 0 &&
		       (memcmp(p + 8, "avif", 4) == 0 ||
			memcmp(p + 8, "avis", 4) == 0);
	return false;
}

static const char *
download(struct site_images *im, const char *url, const char *hex)
{
	struct report *rep = im->s->rep;
	const struct config *cfg = im->s->cfg;
	struct http_response resp;
	struct report quiet;
	struct buf path = BUF_INIT;
	const char *ext = NULL;
	size_t i;

	if (!im->has_http) {
		im->allow = xcalloc(cfg->fetch.nallow_private + 1,
				    sizeof(*im->allow));
		for (i = 0; i < cfg->fetch.nallow_private; i++)
			im->allow[i] = cfg->fetch.allow_private[i].text;
		memset(&im->http, 0, sizeof(im->http));
		im->http.site_url = cfg->url;
		im->http.proxy = cfg->fetch.proxy;
		im->http.max_body = IMAGE_MAX_BODY;
		im->http.allow_private = im->allow;
		im->http.nallow_private = cfg->fetch.nallow_private;
		im->has_http = true;
		if (http_options_from_env(rep, &im->http) != 0)
			return NULL;
	}
	http_response_init(&resp);
	/* The reason goes into one warning below, not an error. */
	report_init_collect(&quiet);
	if (http_get(&quiet, &im->http, url, NULL, &resp) != 0) {
		const char *why = quiet.collected.ptr;
		size_t ulen = strlen(url);

		/* "error: URL: reason\n": keep the reason. */
		if (strncmp(why, "error: ", 7) == 0)
			why += 7;
		if (strncmp(why, url, ulen) == 0 && why[ulen] == ':')
			why += ulen + 1 + (why[ulen + 1] == ' ');
		report_warn(rep, NULL, "%s: image not copied: %.*s", url,
			    (int)strcspn(why, "\n"), why);
		goto out;
	}
	if (resp.status != 200) {
		report_warn(rep, NULL, "%s: image not copied: HTTP %ld", url,
			    resp.status);
		goto out;
	}
	for (i = 0; i < NTYPES; i++)
		if (resp.content_type &&
		    strcmp(resp.content_type, image_types[i].type) == 0)
			ext = image_types[i].ext;
	if (!ext) {
		report_warn(rep, NULL,
			    "%s: image not copied: type '%s' is not png, "
			    "jpeg, gif, webp or avif",
			    url, resp.content_type ? resp.content_type : "?");
		goto out;
	}
	if (!has_image_signature(ext, resp.body.ptr, resp.body.len)) {
		report_warn(rep, NULL,
			    "%s: image not copied: the server says '%s' but "
			    "the bytes are not a %s image",
			    url, resp.content_type, ext);
		ext = NULL;
		goto out;
	}
	if (file_mkdirs(rep, im->cache_dir) != 0) {
		ext = NULL;
		goto out;
	}
	buf_addf(&path, "%s/%s.%s", im->cache_dir, hex, ext);
	if (file_write_atomic(rep, path.ptr, resp.body.ptr, resp.body.len,
			      false) == FILE_WRITE_FAILED)
		ext = NULL;
out:
	if (!ext && file_mkdirs(rep, im->cache_dir) == 0)
		remember_failure(im, hex);
	http_response_release(&resp);
	report_release(&quiet);
	buf_release(&path);
	return ext;
}

const char *
site_images_get(struct site_images *im, const char *url)
{
	struct image *x;
	uint64_t h;
	char hex[17];
	const char *ext;
	struct buf b = BUF_INIT;

	if (!url)
		return NULL;
	h = fnv1a64(FNV1A64_BASIS, url, strlen(url));
	if (!h)
		h = 1; /* 0 marks an empty slot */
	x = slot(im, h);
	if (x->hash)
		return x->local;
	if (2 * (im->n + 1) > im->cap) {
		grow(im);
		x = slot(im, h);
	}
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	ext = cached(im, hex);
	if (!ext && !failed_recently(im, hex))
		ext = download(im, url, hex);
	x->hash = h;
	im->n++;
	if (ext) {
		buf_addf(&b, "media/%s.%s", hex, ext);
		x->local = buf_detach(&b, NULL);
	}
	return x->local;
}

static int
local_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
site_images_write(struct site_images *im, struct output *out)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	char **names = xcalloc(im->n + 1, sizeof(*names));
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < im->cap; i++)
		if (im->slots[i].local)
			names[n++] = im->slots[i].local;
	qsort(names, n, sizeof(*names), local_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		buf_clear(&path);
		buf_clear(&data);
		buf_addf(&path, "%s/%s", im->cache_dir, names[i] + 6);
		if (file_read(im->s->rep, path.ptr, 0, &data) != 0 ||
		    output_write(out, names[i], data.ptr, data.len) != 0)
			rc = -1;
	}
	free(names);
	buf_release(&path);
	buf_release(&data);
	return rc;
}
