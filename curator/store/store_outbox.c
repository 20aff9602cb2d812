/*
 * The crosspost outbox: one state per (item, network), so that nothing is
 * ever posted twice (issue 8, "posting at most once").
 *
 * NOTE: every move runs with synchronous=FULL: in WAL mode that fsyncs the
 * WAL at commit, so `sending` and its key are on disk before the caller
 * sends the request. The rest of the store keeps synchronous=NORMAL, which
 * may lose the last commits on power loss but never corrupts.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

#define OUTBOX_COLUMNS \
	"item_key, network, state, send_key, remote_id, remote_url," \
	" attempts, created_at, updated_at, sending_since, last_error"

static const char *const state_names[] = {
	[STORE_OUTBOX_PENDING] = "pending",
	[STORE_OUTBOX_SENDING] = "sending",
	[STORE_OUTBOX_SENT] = "sent",
	[STORE_OUTBOX_FAILED] = "failed",
	[STORE_OUTBOX_UNKNOWN] = "unknown",
};
#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

/* allowed[from][to]: the state machine of store.h. */
static const bool allowed[NSTATES][NSTATES] = {
	[STORE_OUTBOX_PENDING] = { [STORE_OUTBOX_SENDING] = true },
	[STORE_OUTBOX_SENDING] = {
		[STORE_OUTBOX_SENDING] = true,
		[STORE_OUTBOX_SENT] = true,
		[STORE_OUTBOX_FAILED] = true,
		[STORE_OUTBOX_UNKNOWN] = true,
	},
	[STORE_OUTBOX_FAILED] = { [STORE_OUTBOX_SENDING] = true },
	[STORE_OUTBOX_UNKNOWN] = {
		[STORE_OUTBOX_SENT] = true,
		[STORE_OUTBOX_FAILED] = true,
	},
};

static const char sql_add[] =
	"INSERT INTO outbox (item_key, network, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (item_key, network) DO NOTHING";
static const char sql_get[] =
	"SELECT " OUTBOX_COLUMNS " FROM outbox"
	" WHERE item_key = ?1 AND network = ?2";
static const char sql_list[] =
	"SELECT " OUTBOX_COLUMNS " FROM outbox WHERE ?1 IS NULL OR state = ?1"
	" ORDER BY item_key, network";
/* Columns on the right of SET are the old values. */
static const char sql_move[] =
	"UPDATE outbox SET state = ?3,"
	" send_key = CASE WHEN ?3 = 'sending' THEN ?4 ELSE send_key END,"
	" attempts = attempts + (?3 = 'sending'),"
	" sending_since = CASE WHEN ?3 = 'sending' AND state <> 'sending'"
	"  THEN ?8 ELSE sending_since END,"
	" remote_id = CASE WHEN ?3 = 'sent' THEN ?5 ELSE remote_id END,"
	" remote_url = CASE WHEN ?3 = 'sent' THEN ?6 ELSE remote_url END,"
	" last_error = CASE WHEN ?3 = 'sent' THEN NULL"
	"  WHEN ?3 IN ('failed', 'unknown') THEN ?7 ELSE last_error END,"
	" updated_at = ?8"
	" WHERE item_key = ?1 AND network = ?2";

const char *
store_outbox_state_name(enum store_outbox_state state)
{
	if ((size_t)state >= NSTATES)
		return "invalid";
	return state_names[state];
}

static int
parse_state(const char *name)
{
	size_t i;

	for (i = 0; name && i < NSTATES; i++)
		if (strcmp(name, state_names[i]) == 0)
			return (int)i;
	return -1;
}

void
store_outbox_entry_release(struct store_outbox_entry *entry)
{
	if (!entry)
		return;
	free(entry->item_key);
	free(entry->network);
	free(entry->send_key);
	free(entry->remote_id);
	free(entry->remote_url);
	free(entry->last_error);
	memset(entry, 0, sizeof(*entry));
}

void
store_outbox_free(struct store_outbox_entry *entries, size_t n)
{
	size_t i;

	if (!entries)
		return;
	for (i = 0; i < n; i++)
		store_outbox_entry_release(&entries[i]);
	free(entries);
}

static void
read_entry(sqlite3_stmt *stmt, struct store_outbox_entry *e)
{
	int state = parse_state((const char *)sqlite3_column_text(stmt, 2));

	e->item_key = store_column_strdup(stmt, 0);
	e->network = store_column_strdup(stmt, 1);
	/* The CHECK constraint keeps the state one of the names. */
	e->state = state < 0 ? STORE_OUTBOX_UNKNOWN
			     : (enum store_outbox_state)state;
	e->send_key = store_column_strdup(stmt, 3);
	e->remote_id = store_column_strdup(stmt, 4);
	e->remote_url = store_column_strdup(stmt, 5);
	e->attempts = (long)sqlite3_column_int64(stmt, 6);
	e->created_at = sqlite3_column_int64(stmt, 7);
	e->updated_at = sqlite3_column_int64(stmt, 8);
	e->sending_since = sqlite3_column_int64(stmt, 9);
	e->last_error = store_column_strdup(stmt, 10);
}

/* Opens a durable transaction: synchronous=FULL, then BEGIN IMMEDIATE. */
static int
durable_begin(struct store *st)
{
	struct report_pos pos = { st->path, 0, 0 };

	if (st->depth > 0) {
		return report_error(st->rep, &pos,
				    "outbox changes cannot run inside another "
				    "transaction");
	}
	if (store_exec(st, "PRAGMA synchronous = FULL") != 0)
		return -1;
	if (store_begin(st) != 0) {
		store_exec(st, "PRAGMA synchronous = NORMAL");
		return -1;
	}
	return 0;
}

static int
durable_end(struct store *st, bool ok)
{
	int rc = store_tx_end(st, ok);

	if (store_exec(st, "PRAGMA synchronous = NORMAL") != 0)
		rc = -1;
	return rc;
}

int
store_outbox_add(struct store *st, const char *item_key, const char *network,
		 int64_t now, bool *is_new)
{
	sqlite3_stmt *stmt;
	bool ok = false;

	if (is_new)
		*is_new = false;
	if (durable_begin(st) != 0)
		return -1;
	stmt = store_stmt(st, sql_add);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, item_key);
	store_bind_text(stmt, 2, network);
	sqlite3_bind_int64(stmt, 3, now);
	if (store_step_done(st, stmt, "cannot add to the outbox") != 0)
		goto out;
	if (is_new)
		*is_new = sqlite3_changes(st->db) == 1;
	ok = true;
out:
	if (durable_end(st, ok) != 0) {
		if (is_new)
			*is_new = false;
		return -1;
	}
	return 0;
}

int
store_outbox_get(struct store *st, const char *item_key, const char *network,
		 struct store_outbox_entry *out)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_get);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!stmt)
		return -1;
	store_bind_text(stmt, 1, item_key);
	store_bind_text(stmt, 2, network);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		read_entry(stmt, out);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "cannot read the outbox");
}

int
store_outbox_list(struct store *st, int state, struct store_outbox_entry **out,
		  size_t *n)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_list);
	struct store_outbox_entry *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	if (state >= 0)
		store_bind_text(stmt, 1,
				store_outbox_state_name(
					(enum store_outbox_state)state));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xgrow(v, len + 1, &cap, sizeof(*v));
		memset(&v[len], 0, sizeof(*v));
		read_entry(stmt, &v[len++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_outbox_free(v, len);
		return store_fail(st, "cannot read the outbox");
	}
	*out = v;
	*n = len;
	return 0;
}

static bool
same_key(const char *a, const char *b)
{
	if (!a || !*a || !b || !*b)
		return (!a || !*a) && (!b || !*b);
	return strcmp(a, b) == 0;
}

/* Checks that the entry may move to `to`; reports why not. */
static int
check_move(struct store *st, const struct store_outbox_entry *e,
	   enum store_outbox_state to, const char *send_key)
{
	struct report_pos pos = { st->path, 0, 0 };

	if (!allowed[e->state][to]) {
		report_error(st->rep, &pos,
			     "outbox: cannot move '%s' on %s from %s to %s",
			     e->item_key, e->network,
			     store_outbox_state_name(e->state),
			     store_outbox_state_name(to));
		if (e->state == STORE_OUTBOX_SENT)
			report_hint(st->rep, "it was posted already: it is "
					     "never posted again");
		return -1;
	}
	if (e->state == STORE_OUTBOX_SENDING && to == STORE_OUTBOX_SENDING &&
	    !same_key(e->send_key, send_key)) {
		report_error(st->rep, &pos,
			     "outbox: '%s' on %s is being sent with key '%s': "
			     "a resend must use the same key",
			     e->item_key, e->network,
			     e->send_key ? e->send_key : "");
		report_hint(st->rep, "check whether the first request was "
				     "posted before sending another one");
		return -1;
	}
	return 0;
}

static int
move(struct store *st, const char *item_key, const char *network,
     enum store_outbox_state to, const char *send_key, const char *remote_id,
     const char *remote_url, const char *error, int64_t now)
{
	struct report_pos pos = { st->path, 0, 0 };
	struct store_outbox_entry e;
	sqlite3_stmt *stmt;
	bool ok = false;
	int found;

	memset(&e, 0, sizeof(e));
	if (durable_begin(st) != 0)
		return -1;
	found = store_outbox_get(st, item_key, network, &e);
	if (found < 0)
		goto out;
	if (!found) {
		report_error(st->rep, &pos, "outbox: no entry for '%s' on %s",
			     item_key, network);
		goto out;
	}
	if (check_move(st, &e, to, send_key) != 0)
		goto out;
	stmt = store_stmt(st, sql_move);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, item_key);
	store_bind_text(stmt, 2, network);
	store_bind_text(stmt, 3, store_outbox_state_name(to));
	store_bind_text(stmt, 4, send_key);
	store_bind_text(stmt, 5, remote_id);
	store_bind_text(stmt, 6, remote_url);
	store_bind_text(stmt, 7, error);
	sqlite3_bind_int64(stmt, 8, now);
	ok = store_step_done(st, stmt, "cannot update the outbox") == 0;
out:
	store_outbox_entry_release(&e);
	return durable_end(st, ok);
}

int
store_outbox_sending(struct store *st, const char *item_key,
		     const char *network, const char *send_key, int64_t now)
{
	return move(st, item_key, network, STORE_OUTBOX_SENDING, send_key,
		    NULL, NULL, NULL, now);
}

int
store_outbox_sent(struct store *st, const char *item_key, const char *network,
		  const char *remote_id, const char *remote_url, int64_t now)
{
	return move(st, item_key, network, STORE_OUTBOX_SENT, NULL, remote_id,
		    remote_url, NULL, now);
}

int
store_outbox_failed(struct store *st, const char *item_key,
		    const char *network, const char *error, int64_t now)
{
	return move(st, item_key, network, STORE_OUTBOX_FAILED, NULL, NULL,
		    NULL, error, now);
}

int
store_outbox_unknown(struct store *st, const char *item_key,
		     const char *network, const char *error, int64_t now)
{
	return move(st, item_key, network, STORE_OUTBOX_UNKNOWN, NULL, NULL,
		    NULL, error, now);
}
