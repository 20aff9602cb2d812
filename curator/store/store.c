/*
 * The store's lifecycle: opening state.db, pragmas, schema migrations,
 * transactions and the statement cache.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"

/* Long enough for a `curator pick` to wait out a fetch's transaction. */
#define STORE_BUSY_TIMEOUT_MS 10000

static int
db_error(struct report *rep, const char *path, sqlite3 *db, const char *what)
{
	struct report_pos pos = { path, 0, 0 };

	return report_error(rep, &pos, "%s: %s", what,
			    db ? sqlite3_errmsg(db) : "out of memory");
}

int
store_fail(struct store *st, const char *what)
{
	if (st->depth > 0)
		st->has_failed = true;
	return db_error(st->rep, st->path, st->db, what);
}

int
store_exec(struct store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "database error");
	return 0;
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return 0;
	}
	store_fail(st, what);
	sqlite3_reset(stmt);
	return -1;
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	struct store_cached_stmt *c;
	size_t i;

	for (i = 0; i < st->nstmts; i++) {
		if (st->stmts[i].sql == sql) {
			sqlite3_reset(st->stmts[i].stmt);
			sqlite3_clear_bindings(st->stmts[i].stmt);
			return st->stmts[i].stmt;
		}
	}
	st->stmts = xgrow(st->stmts, st->nstmts + 1, &st->stmts_cap,
			  sizeof(*st->stmts));
	c = &st->stmts[st->nstmts];
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &c->stmt, NULL) != SQLITE_OK) {
		store_fail(st, "cannot prepare a query");
		return NULL;
	}
	c->sql = sql;
	st->nstmts++;
	return c->stmt;
}

int
store_bind_text(sqlite3_stmt *stmt, int index, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(stmt, index);
	return sqlite3_bind_text(stmt, index, s, -1, SQLITE_TRANSIENT);
}

int
store_bind_time(sqlite3_stmt *stmt, int index, int64_t t)
{
	if (t == 0)
		return sqlite3_bind_null(stmt, index);
	return sqlite3_bind_int64(stmt, index, t);
}

char *
store_column_strdup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	if (!s)
		return NULL;
	return xmemdupz(s, (size_t)sqlite3_column_bytes(stmt, col));
}

/* ------------------------------------------------------------ transactions */

int
store_begin(struct store *st)
{
	if (st->depth++ > 0)
		return 0;
	st->has_failed = false;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		st->depth = 0;
		return db_error(st->rep, st->path, st->db,
				"cannot start a transaction");
	}
	return 0;
}

static void
rollback_now(struct store *st)
{
	/* NOTE: SQLite rolls back by itself after some errors (SQLITE_FULL,
	 * SQLITE_IOERR, SQLITE_BUSY ...); a second ROLLBACK would fail. */
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->has_failed = false;
}

int
store_commit(struct store *st)
{
	if (st->depth <= 0)
		return 0;
	if (--st->depth > 0)
		return st->has_failed ? -1 : 0;
	if (st->has_failed) {
		rollback_now(st);
		return -1;
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(st->rep, st->path, st->db, "cannot commit");
		rollback_now(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	if (st->depth <= 0)
		return;
	st->has_failed = true;
	if (--st->depth == 0)
		rollback_now(st);
}

int
store_tx_begin(struct store *st)
{
	return store_begin(st);
}

int
store_tx_end(struct store *st, bool ok)
{
	if (!ok && st->depth > 0)
		st->has_failed = true;
	if (store_commit(st) != 0)
		return -1;
	return ok ? 0 : -1;
}

/* ------------------------------------------------------------- migrations */

static int
read_user_version(sqlite3 *db, int *out)
{
	sqlite3_stmt *stmt = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0);
		rc = 0;
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
refuse_newer(struct report *rep, const char *path, int version, size_t n)
{
	struct report_pos pos = { path, 0, 0 };

	report_error(rep, &pos,
		     "store schema version %d is newer than this curator "
		     "knows (%zu)",
		     version, n);
	report_hint(rep,
		    "a newer curator wrote this store: upgrade curator "
		    "(this is curator %s)",
		    CURATOR_VERSION);
	return -1;
}

static int
run_step(struct report *rep, const char *path, sqlite3 *db,
	 const struct store_migration *step, int target, size_t n)
{
	struct report_pos pos = { path, 0, 0 };
	struct buf sql = BUF_INIT;
	int version;
	int rc = -1;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_error(rep, path, db, "cannot start a migration");
	/* Another curator may have migrated while we waited for the lock. */
	if (read_user_version(db, &version) != 0) {
		db_error(rep, path, db, "cannot read the schema version");
		goto out;
	}
	if (version >= target) {
		if ((size_t)version > n) {
			refuse_newer(rep, path, version, n);
			goto out;
		}
		rc = 0;
		goto out;
	}
	buf_addf(&sql, "%s;\nPRAGMA user_version = %d;", step->sql, target);
	if (sqlite3_exec(db, sql.ptr, NULL, NULL, NULL) != SQLITE_OK) {
		report_error(rep, &pos,
			     "cannot migrate the store to schema version %d "
			     "(%s): %s",
			     target, step->name, sqlite3_errmsg(db));
		report_hint(rep, "the store was left at version %d; report "
				 "this message to curator's developers",
			    target - 1);
		goto out;
	}
	rc = 0;
out:
	if (rc == 0 && !sqlite3_get_autocommit(db) &&
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(rep, path, db, "cannot commit a migration");
		rc = -1;
	}
	if (rc != 0 && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	buf_release(&sql);
	return rc;
}

int
store_migrate_db(struct report *rep, const char *path, sqlite3 *db,
		 const struct store_migration *steps, size_t n)
{
	int version;
	size_t i;

	if (read_user_version(db, &version) != 0)
		return db_error(rep, path, db,
				"cannot read the schema version");
	if (version < 0 || (size_t)version > n)
		return refuse_newer(rep, path, version, n);
	for (i = (size_t)version; i < n; i++)
		if (run_step(rep, path, db, &steps[i], (int)i + 1, n) != 0)
			return -1;
	return 0;
}

/* -------------------------------------------------------------- lifecycle */

static int
set_pragmas(struct store *st)
{
	sqlite3_stmt *stmt = NULL;
	int rc = -1;

	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &stmt,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		db_error(st->rep, st->path, st->db, "cannot open the store");
		goto out;
	}
	if (strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") != 0) {
		struct report_pos pos = { st->path, 0, 0 };

		report_error(st->rep, &pos,
			     "cannot use write-ahead logging (journal mode "
			     "'%s')",
			     sqlite3_column_text(stmt, 0));
		report_hint(st->rep, "keep the site on a local file system");
		goto out;
	}
	if (store_exec(st, "PRAGMA foreign_keys = ON;"
			   "PRAGMA synchronous = NORMAL;"
			   "PRAGMA trusted_schema = OFF") != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(stmt);
	return rc;
}

struct store *
store_open(struct report *rep, const char *site_dir)
{
	struct store *st = xcalloc(1, sizeof(*st));
	struct buf dir = BUF_INIT;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;

	st->rep = rep;
	buf_addf(&dir, "%s/.curator", site_dir);
	if (file_mkdirs(rep, dir.ptr) != 0)
		goto fail;
	buf_adds(&dir, "/state.db");
	st->path = buf_detach(&dir, NULL);
	if (sqlite3_open_v2(st->path, &st->db, flags, NULL) != SQLITE_OK) {
		db_error(rep, st->path, st->db, "cannot open the store");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (set_pragmas(st) != 0)
		goto fail;
	if (store_migrate_db(rep, st->path, st->db, store_migrations,
			     store_nmigrations) != 0)
		goto fail;
	buf_release(&dir);
	return st;
fail:
	buf_release(&dir);
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	size_t i;

	if (!st)
		return;
	if (st->depth > 0) {
		st->depth = 1;
		store_rollback(st);
	}
	for (i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	free(st->stmts);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
store_schema_version(struct store *st)
{
	int version = -1;

	if (read_user_version(st->db, &version) != 0)
		store_fail(st, "cannot read the schema version");
	return version;
}

int
store_change_count(struct store *st, struct buf *id, int64_t *count)
{
	static const char sql[] = "SELECT store_id, count FROM changes"
				  " WHERE id = 1";
	sqlite3_stmt *stmt = store_stmt(st, sql);
	int rc = -1;

	buf_clear(id);
	*count = 0;
	if (!stmt)
		return -1;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_fail(st, "cannot read the change counter");
		goto out;
	}
	buf_adds(id, (const char *)sqlite3_column_text(stmt, 0));
	*count = sqlite3_column_int64(stmt, 1);
	rc = 0;
out:
	sqlite3_reset(stmt);
	return rc;
}

static int
check_pragma(struct store *st, const char *sql, const char *what)
{
	struct report_pos pos = { st->path, 0, 0 };
	sqlite3_stmt *stmt = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return store_fail(st, what);
	step = sqlite3_step(stmt);
	if (step == SQLITE_DONE) {
		rc = 0; /* foreign_key_check: no row, no problem */
	} else if (step != SQLITE_ROW) {
		store_fail(st, what);
	} else if (sqlite3_column_count(stmt) == 1 &&
		   strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") ==
			   0) {
		rc = 0;
	} else {
		report_error(st->rep, &pos, "%s: '%s'", what,
			     sqlite3_column_text(stmt, 0));
		report_hint(st->rep, "the store is damaged: move "
				     ".curator/state.db aside and fetch again");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
store_check(struct store *st)
{
	if (check_pragma(st, "PRAGMA integrity_check", "integrity check "
						      "failed") != 0)
		return -1;
	return check_pragma(st, "PRAGMA foreign_key_check",
			    "foreign key check failed");
}
