/*
 * store_int: what the store's own files share. Private to curator/store/
 * (and its unit tests); other stages include store/store.h only.
 */
#ifndef CURATOR_STORE_STORE_INT_H
#define CURATOR_STORE_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

struct store_cached_stmt {
	const char *sql; /* a string literal: cached by its address */
	sqlite3_stmt *stmt;
};

struct store {
	struct report *rep;
	sqlite3 *db;
	char *path;      /* SITE/.curator/state.db, for messages */
	int depth;       /* store_begin() nesting */
	bool has_failed; /* a write failed inside the open transaction */
	struct store_cached_stmt *stmts;
	size_t nstmts;
	size_t stmts_cap;
};

/* One forward step of the schema: run in its own transaction, after which
 * user_version is the step's position in the list, counting from 1. */
struct store_migration {
	const char *name;
	const char *sql;
};

extern const struct store_migration store_migrations[];
extern const size_t store_nmigrations;

/*
 * Brings db (named path in messages) from its user_version to n by running
 * steps[user_version .. n-1], each in one BEGIN IMMEDIATE transaction that
 * also sets user_version. A database newer than n is refused untouched.
 * Returns 0, or -1 after reporting (the failed step rolled back).
 */
int store_migrate_db(struct report *rep, const char *path, sqlite3 *db,
		     const struct store_migration *steps, size_t n);

/* Reports "PATH: what: SQLite's message" and returns -1; inside a
 * transaction, marks it failed. */
int store_fail(struct store *st, const char *what);

/* A cached prepared statement for sql (a string literal), reset and with
 * its bindings cleared, or NULL after reporting. Owned by the store. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/* Runs sql (no rows expected). Returns 0 or -1 after reporting. */
int store_exec(struct store *st, const char *sql);

/* Steps stmt to completion (SQLITE_DONE). Returns 0 or -1 after reporting
 * what. */
int store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what);

/* Binds s, or NULL when s is NULL or "" (the store never keeps ""). */
int store_bind_text(sqlite3_stmt *stmt, int index, const char *s);
/* Binds t, or NULL when t is 0 ("never"). */
int store_bind_time(sqlite3_stmt *stmt, int index, int64_t t);
/* A copy of column col (caller frees), NULL for SQL NULL. */
char *store_column_strdup(sqlite3_stmt *stmt, int col);

/* The duplicate key of url: url_normalize()'s form when it has one, else
 * url itself; NULL for a NULL or empty url. Caller frees. */
char *store_normalized_url(const char *url);
/* store_item_hash() with the normalized URL already computed. */
void store_item_hash_norm(const struct feed_item *item, const char *norm,
			  char out[STORE_HASH_SIZE]);

/* Opens the write transaction for one store_* call (nested in store_begin
 * when one is open) and closes it: commit when ok, else roll back. */
int store_tx_begin(struct store *st);
int store_tx_end(struct store *st, bool ok);

#endif
