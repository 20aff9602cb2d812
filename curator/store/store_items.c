/*
 * Items: writing parsed items (content hash, duplicates across sources),
 * reading them back for the queue and the build, picks and retention.
 */
#include "store/store_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

/* The columns read_item() expects, in order. */
#define ITEM_COLUMNS \
	"i.id, i.source_id, i.guid, i.url, i.norm_url, i.title, i.author," \
	" i.published, i.updated, i.summary, i.content_html, i.image," \
	" i.language, i.categories, i.enclosures, i.hash, i.first_seen," \
	" i.last_seen, i.changed_at, i.picked_at, i.picked_by," \
	" i.dismissed_at, i.dismissed_by," \
	" (SELECT group_concat(source_id) FROM (SELECT x.source_id" \
	"  FROM item_sources x WHERE x.item_id = i.id" \
	"  ORDER BY x.source_id))"

static const char sql_by_guid[] =
	"SELECT i.id, i.source_id, i.hash FROM item_sources x"
	" JOIN items i ON i.id = x.item_id"
	" WHERE x.source_id = ?1 AND x.guid = ?2";
static const char sql_by_norm_url[] =
	"SELECT i.id FROM items i WHERE i.norm_url = ?1 AND NOT EXISTS"
	" (SELECT 1 FROM item_sources x WHERE x.item_id = i.id"
	"  AND x.source_id = ?2)"
	" ORDER BY i.id LIMIT 1";
/* ?3 .. ?15 are the content, bound by bind_content(). */
static const char sql_insert[] =
	"INSERT INTO items (source_id, guid, url, norm_url, title, author,"
	" published, updated, summary, content_html, image, language,"
	" categories, enclosures, hash, first_seen, last_seen, changed_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" ?14, ?15, ?16, ?16, ?16)";
static const char sql_update[] =
	"UPDATE items SET source_id = ?1, guid = ?2, url = ?3, norm_url = ?4,"
	" title = ?5, author = ?6, published = ?7, updated = ?8,"
	" summary = ?9, content_html = ?10, image = ?11, language = ?12,"
	" categories = ?13, enclosures = ?14, hash = ?15, last_seen = ?16,"
	" changed_at = ?16 WHERE id = ?17";
static const char sql_seen[] =
	"UPDATE items SET last_seen = ?2, source_id = coalesce(source_id, ?3)"
	" WHERE id = ?1";
static const char sql_link[] =
	"INSERT INTO item_sources (item_id, source_id, guid, first_seen,"
	" last_seen) VALUES (?1, ?2, ?3, ?4, ?4)";
static const char sql_link_seen[] =
	"UPDATE item_sources SET last_seen = ?3"
	" WHERE item_id = ?1 AND source_id = ?2";
static const char sql_get[] =
	"SELECT " ITEM_COLUMNS " FROM items i WHERE i.id = ?1";
static const char sql_list[] =
	"SELECT " ITEM_COLUMNS " FROM items i"
	" WHERE (?1 = 0 OR EXISTS (SELECT 1 FROM item_sources x"
	"  WHERE x.item_id = i.id AND x.source_id = ?1))"
	" AND (NOT ?2 OR (i.picked_at IS NULL AND i.dismissed_at IS NULL))"
	" AND (NOT ?3 OR i.picked_at IS NOT NULL)"
	" AND i.first_seen >= ?4"
	" ORDER BY coalesce(i.published, i.first_seen) DESC, i.id DESC"
	" LIMIT ?5";
static const char sql_list_site[] =
	"SELECT i.id, i.source_id, i.url, i.title, i.published, i.summary,"
	" i.image, i.language, i.categories, i.first_seen,"
	" (SELECT group_concat(source_id) FROM (SELECT x.source_id"
	"  FROM item_sources x WHERE x.item_id = i.id"
	"  ORDER BY x.source_id))"
	" FROM items i"
	" WHERE i.picked_at IS NULL AND i.dismissed_at IS NULL";
static const char sql_is_picked[] =
	"SELECT picked_at IS NOT NULL FROM items WHERE id = ?1";
static const char sql_pick[] =
	"UPDATE items SET picked_at = ?2, picked_by = ?3,"
	" dismissed_at = NULL, dismissed_by = NULL WHERE id = ?1";
static const char sql_dismiss[] =
	"UPDATE items SET dismissed_at = ?2, dismissed_by = ?3 WHERE id = ?1";
/*
 * An item stays when picked, when it is in the latest batch of one of its
 * sources (still in the feed: deleting it would bring it back as new), or
 * when it is recent enough and among the keep_per_source newest of one of
 * its sources.
 */
static const char sql_prune[] =
	"WITH latest AS (SELECT source_id, max(last_seen) AS seen"
	"  FROM item_sources GROUP BY source_id),"
	" ranked AS (SELECT x.item_id, x.last_seen >= l.seen AS is_latest,"
	"  row_number() OVER (PARTITION BY x.source_id ORDER BY"
	"   x.last_seen DESC, coalesce(i.published, i.first_seen) DESC,"
	"   i.id DESC) AS rank"
	"  FROM item_sources x JOIN items i ON i.id = x.item_id"
	"  JOIN latest l ON l.source_id = x.source_id)"
	" DELETE FROM items WHERE picked_at IS NULL"
	" AND id NOT IN (SELECT item_id FROM ranked WHERE is_latest)"
	" AND ((?1 > 0 AND last_seen < ?2) OR (?3 > 0 AND id NOT IN"
	"  (SELECT item_id FROM ranked WHERE rank <= ?3)))";

/* ----------------------------------------------------------------- JSON */

static char *
categories_json(const struct feed_item *item)
{
	json_t *array = json_array();
	json_t *s;
	char *text;
	size_t i;

	for (i = 0; i < item->ncategories; i++) {
		/* NOTE: json_string() refuses invalid UTF-8; the parser
		 * never hands any, and a bad one is dropped, not stored. */
		s = item->categories[i] ? json_string(item->categories[i])
					: NULL;
		if (s)
			json_array_append_new(array, s);
	}
	text = json_dumps(array, JSON_COMPACT);
	json_decref(array);
	return text;
}

static char *
enclosures_json(const struct feed_item *item)
{
	json_t *array = json_array();
	const struct feed_enclosure *e;
	json_t *obj;
	char *text;
	size_t i;

	for (i = 0; i < item->nenclosures; i++) {
		e = &item->enclosures[i];
		obj = json_object();
		json_object_set_new(obj, "url",
				    e->url ? json_string(e->url) : json_null());
		json_object_set_new(obj, "type", e->type ? json_string(e->type)
							 : json_null());
		json_object_set_new(obj, "length", json_integer(e->length));
		json_array_append_new(array, obj);
	}
	text = json_dumps(array, JSON_COMPACT);
	json_decref(array);
	return text;
}

static char *
json_strdup_or_null(json_t *value)
{
	return json_is_string(value) ? xstrdup(json_string_value(value))
				     : NULL;
}

static void
read_categories(const char *text, struct feed_item *item)
{
	json_t *array = text ? json_loads(text, 0, NULL) : NULL;
	json_t *value;
	size_t i;

	if (!json_is_array(array) || json_array_size(array) == 0)
		goto out;
	item->categories =
		xcalloc(json_array_size(array), sizeof(*item->categories));
	json_array_foreach(array, i, value) {
		if (json_is_string(value))
			item->categories[item->ncategories++] =
				json_strdup_or_null(value);
	}
out:
	json_decref(array);
}

static void
read_enclosures(const char *text, struct feed_item *item)
{
	json_t *array = text ? json_loads(text, 0, NULL) : NULL;
	json_t *value, *length;
	struct feed_enclosure *e;
	size_t i;

	if (!json_is_array(array) || json_array_size(array) == 0)
		goto out;
	item->enclosures =
		xcalloc(json_array_size(array), sizeof(*item->enclosures));
	json_array_foreach(array, i, value) {
		e = &item->enclosures[item->nenclosures++];
		e->url = json_strdup_or_null(json_object_get(value, "url"));
		e->type = json_strdup_or_null(json_object_get(value, "type"));
		length = json_object_get(value, "length");
		e->length = json_is_integer(length)
				    ? (int64_t)json_integer_value(length)
				    : -1;
	}
out:
	json_decref(array);
}

/* -------------------------------------------------------------- writing */

/* Binds ?3 .. ?15 of sql_insert and sql_update. */
static void
bind_content(sqlite3_stmt *stmt, const struct feed_item *item,
	     const char *norm, const char *hash, char *categories,
	     char *enclosures)
{
	store_bind_text(stmt, 3, item->url);
	store_bind_text(stmt, 4, norm);
	store_bind_text(stmt, 5, item->title);
	store_bind_text(stmt, 6, item->author);
	if (item->has_published)
		sqlite3_bind_int64(stmt, 7, item->published);
	if (item->has_updated)
		sqlite3_bind_int64(stmt, 8, item->updated);
	store_bind_text(stmt, 9, item->summary);
	store_bind_text(stmt, 10, item->content_html);
	store_bind_text(stmt, 11, item->image);
	store_bind_text(stmt, 12, item->language);
	sqlite3_bind_text(stmt, 13, categories, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 14, enclosures, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 15, hash, -1, SQLITE_TRANSIENT);
}

/* Writes item's content as a new row (item_id 0) or over item_id. */
static int
write_content(struct store *st, int64_t source_id, const char *guid,
	      const struct feed_item *item, const char *norm,
	      const char *hash, int64_t now, int64_t item_id, int64_t *id)
{
	sqlite3_stmt *stmt = store_stmt(st, item_id ? sql_update : sql_insert);
	char *categories = categories_json(item);
	char *enclosures = enclosures_json(item);
	int rc = -1;

	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, source_id);
	store_bind_text(stmt, 2, guid);
	bind_content(stmt, item, norm, hash, categories, enclosures);
	sqlite3_bind_int64(stmt, 16, now);
	if (item_id)
		sqlite3_bind_int64(stmt, 17, item_id);
	if (store_step_done(st, stmt, "cannot save an item") != 0)
		goto out;
	*id = item_id ? item_id : sqlite3_last_insert_rowid(st->db);
	rc = 0;
out:
	free(categories);
	free(enclosures);
	return rc;
}

static int
link_source(struct store *st, int64_t item_id, int64_t source_id,
	    const char *guid, int64_t now)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_link);

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, item_id);
	sqlite3_bind_int64(stmt, 2, source_id);
	store_bind_text(stmt, 3, guid);
	sqlite3_bind_int64(stmt, 4, now);
	return store_step_done(st, stmt, "cannot save an item");
}

static int
mark_seen(struct store *st, int64_t item_id, int64_t source_id, int64_t now)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_seen);

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, item_id);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, source_id);
	if (store_step_done(st, stmt, "cannot save an item") != 0)
		return -1;
	stmt = store_stmt(st, sql_link_seen);
	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, item_id);
	sqlite3_bind_int64(stmt, 2, source_id);
	sqlite3_bind_int64(stmt, 3, now);
	return store_step_done(st, stmt, "cannot save an item");
}

/* Finds the item this source knows as guid: 1 with *id, *primary (0 for
 * NULL) and hash filled, 0 when unknown, -1 on error. */
static int
find_by_guid(struct store *st, int64_t source_id, const char *guid,
	     int64_t *id, int64_t *primary, char hash[STORE_HASH_SIZE])
{
	sqlite3_stmt *stmt = store_stmt(st, sql_by_guid);
	const unsigned char *text;
	int rc;

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, source_id);
	store_bind_text(stmt, 2, guid);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		*primary = sqlite3_column_int64(stmt, 1);
		text = sqlite3_column_text(stmt, 2);
		snprintf(hash, STORE_HASH_SIZE, "%s", text ? (char *)text : "");
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "cannot read an item");
}

static int
find_by_norm_url(struct store *st, int64_t source_id, const char *norm,
		 int64_t *id)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!norm)
		return 0;
	stmt = store_stmt(st, sql_by_norm_url);
	if (!stmt)
		return -1;
	store_bind_text(stmt, 1, norm);
	sqlite3_bind_int64(stmt, 2, source_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "cannot read an item");
}

int
store_item_put(struct store *st, int64_t source_id,
	       const struct feed_item *item, int64_t now,
	       struct store_put_stats *stats)
{
	char hash[STORE_HASH_SIZE], old_hash[STORE_HASH_SIZE];
	char *norm = store_normalized_url(item->url);
	const char *guid = item->id;
	int64_t id = 0, primary = 0;
	bool ok = false;
	int found;

	store_item_hash_norm(item, norm, hash);
	/* The parser always sets an id; be safe with other callers. */
	if (!guid || !*guid)
		guid = item->url && *item->url ? item->url : hash;
	if (store_tx_begin(st) != 0)
		goto out_free;
	found = find_by_guid(st, source_id, guid, &id, &primary, old_hash);
	if (found < 0)
		goto out;
	if (found && (primary == source_id || primary == 0) &&
	    strcmp(hash, old_hash) != 0) {
		if (write_content(st, source_id, guid, item, norm, hash, now,
				  id, &id) != 0 ||
		    mark_seen(st, id, source_id, now) != 0)
			goto out;
		stats->updated++;
		ok = true;
		goto out;
	}
	if (found) {
		if (mark_seen(st, id, source_id, now) != 0)
			goto out;
		stats->unchanged++;
		ok = true;
		goto out;
	}
	found = find_by_norm_url(st, source_id, norm, &id);
	if (found < 0)
		goto out;
	if (found) {
		if (link_source(st, id, source_id, guid, now) != 0 ||
		    mark_seen(st, id, source_id, now) != 0)
			goto out;
		stats->linked++;
		ok = true;
		goto out;
	}
	if (write_content(st, source_id, guid, item, norm, hash, now, 0,
			  &id) != 0 ||
	    link_source(st, id, source_id, guid, now) != 0)
		goto out;
	stats->added++;
	ok = true;
out:
	if (store_tx_end(st, ok) != 0)
		ok = false;
out_free:
	free(norm);
	return ok ? 0 : -1;
}

int
store_put_items(struct store *st, int64_t source_id,
		const struct feed_item *items, size_t n, int64_t now,
		struct store_put_stats *stats)
{
	struct store_put_stats counted = { 0, 0, 0, 0 };
	size_t i;

	memset(stats, 0, sizeof(*stats));
	if (store_begin(st) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (store_item_put(st, source_id, &items[i], now, &counted) !=
		    0) {
			store_rollback(st);
			return -1;
		}
	}
	if (store_commit(st) != 0)
		return -1;
	*stats = counted;
	return 0;
}

/* -------------------------------------------------------------- reading */

void
store_item_release(struct store_item *item)
{
	if (!item)
		return;
	free(item->source_ids);
	feed_item_release(&item->item);
	free(item->norm_url);
	free(item->picked_by);
	free(item->dismissed_by);
	memset(item, 0, sizeof(*item));
}

void
store_items_free(struct store_item *items, size_t n)
{
	size_t i;

	if (!items)
		return;
	for (i = 0; i < n; i++)
		store_item_release(&items[i]);
	free(items);
}

static void
read_source_ids(const char *text, struct store_item *out)
{
	size_t cap = 0;
	char *end;

	while (text && *text) {
		out->source_ids = xgrow(out->source_ids, out->nsources + 1,
					&cap, sizeof(*out->source_ids));
		out->source_ids[out->nsources++] = strtoll(text, &end, 10);
		text = *end == ',' ? end + 1 : NULL;
	}
}

static void
read_item(sqlite3_stmt *stmt, struct store_item *out)
{
	struct feed_item *item = &out->item;
	const unsigned char *text;

	out->id = sqlite3_column_int64(stmt, 0);
	out->source_id = sqlite3_column_int64(stmt, 1);
	item->id = store_column_strdup(stmt, 2);
	item->url = store_column_strdup(stmt, 3);
	out->norm_url = store_column_strdup(stmt, 4);
	item->title = store_column_strdup(stmt, 5);
	item->author = store_column_strdup(stmt, 6);
	item->has_published = sqlite3_column_type(stmt, 7) != SQLITE_NULL;
	item->published = sqlite3_column_int64(stmt, 7);
	item->has_updated = sqlite3_column_type(stmt, 8) != SQLITE_NULL;
	item->updated = sqlite3_column_int64(stmt, 8);
	item->summary = store_column_strdup(stmt, 9);
	item->content_html = store_column_strdup(stmt, 10);
	item->image = store_column_strdup(stmt, 11);
	item->language = store_column_strdup(stmt, 12);
	read_categories((const char *)sqlite3_column_text(stmt, 13), item);
	read_enclosures((const char *)sqlite3_column_text(stmt, 14), item);
	text = sqlite3_column_text(stmt, 15);
	snprintf(out->hash, sizeof(out->hash), "%s", text ? (char *)text : "");
	out->first_seen = sqlite3_column_int64(stmt, 16);
	out->last_seen = sqlite3_column_int64(stmt, 17);
	out->changed_at = sqlite3_column_int64(stmt, 18);
	out->is_picked = sqlite3_column_type(stmt, 19) != SQLITE_NULL;
	out->picked_at = sqlite3_column_int64(stmt, 19);
	out->picked_by = store_column_strdup(stmt, 20);
	out->is_dismissed = sqlite3_column_type(stmt, 21) != SQLITE_NULL;
	out->dismissed_at = sqlite3_column_int64(stmt, 21);
	out->dismissed_by = store_column_strdup(stmt, 22);
	read_source_ids((const char *)sqlite3_column_text(stmt, 23), out);
}

int
store_item_get(struct store *st, int64_t id, struct store_item *out)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_get);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		read_item(stmt, out);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "cannot read an item");
}

/* Steps stmt (bound) to its end, reading each row with read into a new
 * array; resets stmt. Returns 0, or -1 after reporting (nothing kept). */
static int
collect_items(struct store *st, sqlite3_stmt *stmt,
	      void (*read)(sqlite3_stmt *, struct store_item *),
	      struct store_item **out, size_t *n)
{
	struct store_item *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xgrow(v, len + 1, &cap, sizeof(*v));
		memset(&v[len], 0, sizeof(*v));
		read(stmt, &v[len++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_items_free(v, len);
		return store_fail(st, "cannot read the items");
	}
	*out = v;
	*n = len;
	return 0;
}

int
store_items_list(struct store *st, const struct store_item_query *q,
		 struct store_item **out, size_t *n)
{
	static const struct store_item_query all = { 0, false, false, 0, 0 };
	sqlite3_stmt *stmt = store_stmt(st, sql_list);

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	if (!q)
		q = &all;
	sqlite3_bind_int64(stmt, 1, q->source_id);
	sqlite3_bind_int(stmt, 2, q->is_queue);
	sqlite3_bind_int(stmt, 3, q->is_picked);
	sqlite3_bind_int64(stmt, 4, q->since);
	sqlite3_bind_int64(stmt, 5, q->limit ? (int64_t)q->limit : -1);
	return collect_items(st, stmt, read_item, out, n);
}

/* The columns of sql_list_site, in order. */
static void
read_site_item(sqlite3_stmt *stmt, struct store_item *out)
{
	struct feed_item *item = &out->item;

	out->id = sqlite3_column_int64(stmt, 0);
	out->source_id = sqlite3_column_int64(stmt, 1);
	item->url = store_column_strdup(stmt, 2);
	item->title = store_column_strdup(stmt, 3);
	item->has_published = sqlite3_column_type(stmt, 4) != SQLITE_NULL;
	item->published = sqlite3_column_int64(stmt, 4);
	item->summary = store_column_strdup(stmt, 5);
	item->image = store_column_strdup(stmt, 6);
	item->language = store_column_strdup(stmt, 7);
	read_categories((const char *)sqlite3_column_text(stmt, 8), item);
	out->first_seen = sqlite3_column_int64(stmt, 9);
	read_source_ids((const char *)sqlite3_column_text(stmt, 10), out);
}

int
store_items_list_site(struct store *st, struct store_item **out, size_t *n)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_list_site);

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	return collect_items(st, stmt, read_site_item, out, n);
}

/* ---------------------------------------------------------------- marks */

static int
no_such_item(struct store *st, int64_t id)
{
	struct report_pos pos = { st->path, 0, 0 };

	report_error(st->rep, &pos, "no item with id %lld", (long long)id);
	report_hint(st->rep, "'curator queue' lists the items and their ids");
	return -1;
}

static int
mark_item(struct store *st, const char *sql, int64_t id, const char *by,
	  int64_t now)
{
	sqlite3_stmt *stmt = store_stmt(st, sql);

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	store_bind_text(stmt, 3, by);
	if (store_step_done(st, stmt, "cannot mark an item") != 0)
		return -1;
	if (sqlite3_changes(st->db) != 1)
		return no_such_item(st, id);
	return 0;
}

int
store_item_pick(struct store *st, int64_t id, const char *by, int64_t now)
{
	bool ok;

	if (store_tx_begin(st) != 0)
		return -1;
	ok = mark_item(st, sql_pick, id, by, now) == 0;
	return store_tx_end(st, ok);
}

int
store_item_dismiss(struct store *st, int64_t id, const char *by, int64_t now)
{
	struct report_pos pos = { st->path, 0, 0 };
	sqlite3_stmt *stmt;
	bool ok = false;
	int rc;

	if (store_tx_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_is_picked);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_int(stmt, 0)) {
		sqlite3_reset(stmt);
		report_error(st->rep, &pos,
			     "item %lld is picked: it cannot be dismissed",
			     (long long)id);
		report_hint(st->rep, "delete its tagged link in links/ "
				     "instead");
		goto out;
	}
	sqlite3_reset(stmt);
	ok = mark_item(st, sql_dismiss, id, by, now) == 0;
out:
	return store_tx_end(st, ok);
}

/* ------------------------------------------------------------ retention */

int
store_prune(struct store *st, int keep_days, int keep_per_source,
	    int64_t now, size_t *deleted)
{
	sqlite3_stmt *stmt;
	bool ok = false;

	if (deleted)
		*deleted = 0;
	if (store_tx_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_prune);
	if (!stmt)
		goto out;
	sqlite3_bind_int(stmt, 1, keep_days);
	sqlite3_bind_int64(stmt, 2, now - (int64_t)keep_days * 86400);
	sqlite3_bind_int(stmt, 3, keep_per_source);
	if (store_step_done(st, stmt, "cannot prune old items") != 0)
		goto out;
	if (deleted)
		*deleted = (size_t)sqlite3_changes(st->db);
	ok = true;
out:
	return store_tx_end(st, ok);
}
