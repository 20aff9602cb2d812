/*
 * What the store's unit tests share: a temporary site folder per test with
 * an open store and a collecting reporter, and item builders.
 */
#ifndef CURATOR_TESTS_STORE_FIXTURE_H
#define CURATOR_TESTS_STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/report.h"
#include "core/xmalloc.h"
#include "store/store.h"

/* A fixed "now": 2026-11-24T09:00:00Z. */
#define NOW INT64_C(1795510800)
#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)

struct fixture {
	char dir[64];
	char path[128]; /* dir/.curator/state.db */
	struct report rep;
	struct store *st;
};

static inline int
remove_entry(const char *path, const struct stat *sb, int flag,
	     struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Makes the folder and the reporter, without opening the store. */
static inline int
fixture_setup_closed(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/curator-store.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/.curator/state.db", f->dir);
	report_init_collect(&f->rep);
	*state = f;
	return 0;
}

static inline int
fixture_setup(void **state)
{
	struct fixture *f;

	if (fixture_setup_closed(state) != 0)
		return -1;
	f = *state;
	f->st = store_open(&f->rep, f->dir);
	return f->st ? 0 : -1;
}

static inline int
fixture_teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	report_release(&f->rep);
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Replaces every occurrence of the fixture's folder in s with "SITE". */
static inline char *
fixture_relative(struct fixture *f, const char *s)
{
	struct buf out = BUF_INIT;
	size_t dirlen = strlen(f->dir);
	const char *hit;

	while ((hit = strstr(s, f->dir)) != NULL) {
		buf_add(&out, s, (size_t)(hit - s));
		buf_adds(&out, "SITE");
		s = hit + dirlen;
	}
	buf_adds(&out, s);
	return buf_detach(&out, NULL);
}

/* The collected messages, with the folder as SITE, are want; then the
 * collector is emptied. */
static inline void
assert_messages(struct fixture *f, const char *want)
{
	char *got = fixture_relative(f, f->rep.collected.ptr);

	buf_clear(&f->rep.collected);
	assert_string_equal(got, want);
	free(got);
}

static inline int64_t
add_source(struct fixture *f, const char *url, const char *title)
{
	struct store_source src;
	int64_t id = 0;

	memset(&src, 0, sizeof(src));
	src.url = (char *)url;
	src.title = (char *)title;
	assert_int_equal(store_source_upsert(f->st, &src, NOW, &id), 0);
	assert_true(id > 0);
	return id;
}

/* An item with a guid, a link and a title; everything else unknown. */
static inline struct feed_item
make_item(const char *guid, const char *url, const char *title)
{
	struct feed_item item;

	memset(&item, 0, sizeof(item));
	item.id = (char *)guid;
	item.url = (char *)url;
	item.title = (char *)title;
	return item;
}

static inline void
put_one(struct fixture *f, int64_t source_id, const struct feed_item *item,
	int64_t now, struct store_put_stats *stats)
{
	assert_int_equal(store_put_items(f->st, source_id, item, 1, now,
					 stats),
			 0);
}

static inline size_t
count_items(struct fixture *f)
{
	struct store_item *items;
	size_t n;

	assert_int_equal(store_items_list(f->st, NULL, &items, &n), 0);
	store_items_free(items, n);
	return n;
}

#endif
