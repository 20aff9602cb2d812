/*
 * Sources: subscriptions, their HTTP validators and their health (backoff,
 * Retry-After, 410 gone, 301/308 moves).
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

#define BACKOFF_FIRST 3600        /* 1 h after the first failure */
#define BACKOFF_MAX 86400         /* capped at 1 day (issue 3) */
#define RETRY_AFTER_MAX (7 * 86400) /* a hostile Retry-After is bounded */

/* The columns read_source() expects, in order. */
#define SOURCE_COLUMNS \
	"s.id, s.url, s.title, s.topics, s.html_url, s.etag," \
	" s.last_modified, s.added_at, s.last_fetch, s.last_status," \
	" s.last_error, s.failures, s.next_fetch, s.is_gone," \
	" s.previous_url," \
	" (SELECT count(*) FROM item_sources x WHERE x.source_id = s.id)"

static const char sql_upsert[] =
	"INSERT INTO sources (url, title, topics, html_url, added_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT (url) DO UPDATE SET title = excluded.title,"
	" topics = excluded.topics, html_url = excluded.html_url";
static const char sql_id_by_url[] = "SELECT id FROM sources WHERE url = ?1";
static const char sql_find[] =
	"SELECT " SOURCE_COLUMNS " FROM sources s WHERE s.url = ?1";
static const char sql_list[] =
	"SELECT " SOURCE_COLUMNS " FROM sources s ORDER BY s.url";
static const char sql_due[] =
	"SELECT " SOURCE_COLUMNS " FROM sources s"
	" WHERE NOT s.is_gone AND (?2 OR s.next_fetch <= ?1)"
	" ORDER BY s.next_fetch, s.url";
static const char sql_get_fetch_state[] =
	"SELECT url, failures FROM sources WHERE id = ?1";
static const char sql_record[] =
	"UPDATE sources SET last_fetch = ?2, last_status = ?3,"
	" last_error = ?4, failures = ?5, next_fetch = ?6,"
	" is_gone = is_gone OR ?7,"
	" etag = CASE WHEN ?8 THEN ?9 ELSE coalesce(?9, etag) END,"
	" last_modified = CASE WHEN ?8 THEN ?10"
	"  ELSE coalesce(?10, last_modified) END"
	" WHERE id = ?1";
static const char sql_move[] =
	"UPDATE sources SET previous_url = url, url = ?2 WHERE id = ?1";
static const char sql_reset[] =
	"UPDATE sources SET is_gone = 0, failures = 0, last_error = NULL,"
	" next_fetch = 0 WHERE id = ?1";
/* Items the removed source stored but others carry pass to another. */
static const char sql_remove_handover[] =
	"UPDATE items SET source_id = (SELECT min(x.source_id)"
	"  FROM item_sources x WHERE x.item_id = items.id"
	"  AND x.source_id <> ?1),"
	" guid = coalesce((SELECT x.guid FROM item_sources x"
	"  WHERE x.item_id = items.id AND x.source_id <> ?1"
	"  ORDER BY x.source_id LIMIT 1), guid)"
	" WHERE source_id = ?1";
static const char sql_remove_source[] = "DELETE FROM sources WHERE id = ?1";
static const char sql_remove_orphans[] =
	"DELETE FROM items WHERE picked_at IS NULL AND NOT EXISTS"
	" (SELECT 1 FROM item_sources x WHERE x.item_id = items.id)";

void
store_source_release(struct store_source *src)
{
	if (!src)
		return;
	free(src->url);
	free(src->title);
	free(src->topics);
	free(src->html_url);
	free(src->etag);
	free(src->last_modified);
	free(src->last_error);
	free(src->previous_url);
	memset(src, 0, sizeof(*src));
}

void
store_sources_free(struct store_source *srcs, size_t n)
{
	size_t i;

	if (!srcs)
		return;
	for (i = 0; i < n; i++)
		store_source_release(&srcs[i]);
	free(srcs);
}

static void
read_source(sqlite3_stmt *stmt, struct store_source *src)
{
	src->id = sqlite3_column_int64(stmt, 0);
	src->url = store_column_strdup(stmt, 1);
	src->title = store_column_strdup(stmt, 2);
	src->topics = store_column_strdup(stmt, 3);
	src->html_url = store_column_strdup(stmt, 4);
	src->etag = store_column_strdup(stmt, 5);
	src->last_modified = store_column_strdup(stmt, 6);
	src->added_at = sqlite3_column_int64(stmt, 7);
	src->last_fetch = sqlite3_column_int64(stmt, 8);
	src->last_status = (long)sqlite3_column_int64(stmt, 9);
	src->last_error = store_column_strdup(stmt, 10);
	src->failures = (long)sqlite3_column_int64(stmt, 11);
	src->next_fetch = sqlite3_column_int64(stmt, 12);
	src->is_gone = sqlite3_column_int(stmt, 13) != 0;
	src->previous_url = store_column_strdup(stmt, 14);
	src->nitems = sqlite3_column_int64(stmt, 15);
}

/* Reads every row of stmt (already bound) into a new array. */
static int
read_sources(struct store *st, sqlite3_stmt *stmt, struct store_source **out,
	     size_t *n)
{
	struct store_source *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xgrow(v, len + 1, &cap, sizeof(*v));
		memset(&v[len], 0, sizeof(*v));
		read_source(stmt, &v[len++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sources_free(v, len);
		return store_fail(st, "cannot read the sources");
	}
	*out = v;
	*n = len;
	return 0;
}

int
store_source_upsert(struct store *st, const struct store_source *src,
		    int64_t now, int64_t *id)
{
	sqlite3_stmt *stmt;
	bool ok = false;

	*id = 0;
	if (store_tx_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_upsert);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, src->url);
	store_bind_text(stmt, 2, src->title);
	store_bind_text(stmt, 3, src->topics);
	store_bind_text(stmt, 4, src->html_url);
	sqlite3_bind_int64(stmt, 5, now);
	if (store_step_done(st, stmt, "cannot save a source") != 0)
		goto out;
	stmt = store_stmt(st, sql_id_by_url);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, src->url);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_fail(st, "cannot save a source");
		sqlite3_reset(stmt);
		goto out;
	}
	*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	ok = true;
out:
	if (store_tx_end(st, ok) != 0) {
		*id = 0;
		return -1;
	}
	return 0;
}

int
store_source_find(struct store *st, const char *url, struct store_source *out)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_find);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!stmt)
		return -1;
	store_bind_text(stmt, 1, url);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		read_source(stmt, out);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "cannot read a source");
}

int
store_sources_list(struct store *st, struct store_source **out, size_t *n)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_list);

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	return read_sources(st, stmt, out, n);
}

int
store_sources_due(struct store *st, int64_t now, bool force,
		  struct store_source **out, size_t *n)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_due);

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, force);
	return read_sources(st, stmt, out, n);
}

int64_t
store_backoff_delay(long failures)
{
	int64_t delay = BACKOFF_FIRST;
	long i;

	if (failures <= 0)
		return 0;
	for (i = 1; i < failures && delay < BACKOFF_MAX; i++)
		delay *= 2;
	return delay < BACKOFF_MAX ? delay : BACKOFF_MAX;
}

/* Applies res->moved_to; a URL that already names another source stays. */
static int
move_source(struct store *st, int64_t id, const char *old_url,
	    const char *moved_to)
{
	struct report_pos pos = { old_url, 0, 0 };
	sqlite3_stmt *stmt;
	int64_t other = 0;

	if (strcmp(old_url, moved_to) == 0)
		return 0;
	stmt = store_stmt(st, sql_id_by_url);
	if (!stmt)
		return -1;
	store_bind_text(stmt, 1, moved_to);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		other = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (other) {
		report_warn(st->rep, &pos,
			    "moved permanently to '%s', which is already a "
			    "source: both kept",
			    moved_to);
		report_hint(st->rep, "remove one of them with 'curator "
				     "sources remove URL'");
		return 0;
	}
	stmt = store_stmt(st, sql_move);
	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, moved_to);
	return store_step_done(st, stmt, "cannot update a moved source");
}

int
store_source_record_fetch(struct store *st, int64_t id,
			  const struct store_fetch_result *res, int64_t now)
{
	struct report_pos pos = { NULL, 0, 0 };
	sqlite3_stmt *stmt;
	char *url = NULL;
	long failures;
	int64_t next = now, wait;
	bool is_failure, is_cached, ok = false;

	if (store_tx_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_get_fetch_state);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		pos.file = st->path;
		report_error(st->rep, &pos, "no source with id %lld",
			     (long long)id);
		goto out;
	}
	url = store_column_strdup(stmt, 0);
	failures = (long)sqlite3_column_int64(stmt, 1);
	sqlite3_reset(stmt);

	is_failure = res->outcome == STORE_FETCH_FAILED ||
		     res->outcome == STORE_FETCH_GONE;
	failures = is_failure ? failures + 1 : 0;
	if (res->outcome == STORE_FETCH_FAILED)
		next = now + store_backoff_delay(failures);
	if (res->retry_after >= 0) {
		wait = res->retry_after < RETRY_AFTER_MAX ? res->retry_after
							  : RETRY_AFTER_MAX;
		next = now + wait;
	}
	/* A 200 replaces the validators (absent ones are cleared); a 304
	 * updates only those it carries (RFC 9111 §4.3.4); a failure keeps
	 * them. */
	is_cached = res->outcome == STORE_FETCH_OK ||
		    res->outcome == STORE_FETCH_NOT_MODIFIED;

	stmt = store_stmt(st, sql_record);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, res->http_status);
	if (res->outcome == STORE_FETCH_GONE)
		store_bind_text(stmt, 4, res->error ? res->error
						    : "gone (HTTP 410)");
	else if (res->outcome == STORE_FETCH_FAILED)
		store_bind_text(stmt, 4, res->error ? res->error : "failed");
	sqlite3_bind_int64(stmt, 5, failures);
	sqlite3_bind_int64(stmt, 6, next);
	sqlite3_bind_int(stmt, 7, res->outcome == STORE_FETCH_GONE);
	sqlite3_bind_int(stmt, 8, res->outcome == STORE_FETCH_OK);
	if (is_cached) {
		store_bind_text(stmt, 9, res->etag);
		store_bind_text(stmt, 10, res->last_modified);
	}
	if (store_step_done(st, stmt, "cannot record a fetch") != 0)
		goto out;
	if (res->moved_to && *res->moved_to &&
	    move_source(st, id, url, res->moved_to) != 0)
		goto out;
	ok = true;
out:
	free(url);
	return store_tx_end(st, ok);
}

int
store_source_reset(struct store *st, int64_t id)
{
	sqlite3_stmt *stmt;
	bool ok = false;

	if (store_tx_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_reset);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	ok = store_step_done(st, stmt, "cannot reset a source") == 0;
out:
	return store_tx_end(st, ok);
}

static int
run_with_id(struct store *st, const char *sql, int64_t id, const char *what)
{
	sqlite3_stmt *stmt = store_stmt(st, sql);

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return store_step_done(st, stmt, what);
}

int
store_source_remove(struct store *st, const char *url)
{
	sqlite3_stmt *stmt;
	int64_t id = 0;
	bool ok = false;

	if (store_tx_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_id_by_url);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, url);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (id &&
	    (run_with_id(st, sql_remove_handover, id,
			 "cannot remove a source") != 0 ||
	     run_with_id(st, sql_remove_source, id,
			 "cannot remove a source") != 0 ||
	     store_exec(st, sql_remove_orphans) != 0))
		goto out;
	ok = true;
out:
	if (store_tx_end(st, ok) != 0)
		return -1;
	return id ? 1 : 0;
}
