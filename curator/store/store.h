/*
 * store: curator's durable state, `.curator/state.db` in the site folder.
 *
 * The one header of the store stage that other stages include. SQLite stays
 * inside this stage: callers only see the types below. The database is in
 * WAL mode with foreign keys on, synchronous=NORMAL (FULL for the outbox,
 * see below) and a busy timeout; every write is a transaction, so a crash
 * or a kill -9 at any moment leaves the last committed state.
 *
 * Times are int64_t UTC seconds since the epoch and always come from the
 * caller's `now` (tests pin it); 0 means "never" / "unknown".
 *
 * Schema (PRAGMA user_version = STORE_SCHEMA_VERSION), migrated forward
 * automatically by store_open(), one transaction per step:
 *
 * sources -- one row per subscription (feeds/sources.opml)
 *   id            INTEGER PRIMARY KEY
 *   url           TEXT NOT NULL UNIQUE  the feed URL (xmlUrl)
 *   title         TEXT                  the outline's title/text
 *   topics        TEXT                  the outline's category, as given
 *                                       ("bd,manga"); the curate stage
 *                                       splits it
 *   html_url      TEXT                  the site's page (htmlUrl)
 *   etag          TEXT                  validator for If-None-Match
 *   last_modified TEXT                  validator for If-Modified-Since
 *   added_at      INTEGER NOT NULL      first upsert
 *   last_fetch    INTEGER               last attempt (NULL: never)
 *   last_status   INTEGER NOT NULL      HTTP status of the last attempt,
 *                                       0 when no HTTP answer came
 *   last_error    TEXT                  NULL when the last attempt worked
 *   failures      INTEGER NOT NULL      consecutive failed attempts
 *   next_fetch    INTEGER NOT NULL      not fetched before this time
 *                                       (backoff, Retry-After)
 *   is_gone       INTEGER NOT NULL      1 after an HTTP 410: never due
 *   previous_url  TEXT                  the URL before the last 301/308
 *
 * items -- one row per distinct item (duplicates across feeds kept once)
 *   id            INTEGER PRIMARY KEY   the ID shown by `curator queue`
 *   source_id     INTEGER -> sources    the source whose copy is stored
 *                                       (the first to bring it); NULL when
 *                                       every source of a picked item was
 *                                       removed
 *   guid          TEXT NOT NULL         feed_item.id in that source
 *   url, title, author, summary, content_html, image, language
 *                 TEXT                  as in struct feed_item
 *   norm_url      TEXT                  url_normalize(url), or url itself
 *                                       when it cannot be normalized; the
 *                                       key for duplicates across sources
 *   published, updated INTEGER          NULL when the feed gave none
 *   categories    TEXT NOT NULL         JSON array of strings
 *   enclosures    TEXT NOT NULL         JSON array of {url, type, length}
 *                                       (type null, length -1: unknown)
 *   hash          TEXT NOT NULL         content hash, see store_item_hash
 *   first_seen    INTEGER NOT NULL      never moves once written
 *   last_seen     INTEGER NOT NULL      last time any source carried it
 *   changed_at    INTEGER NOT NULL      last time its content changed
 *   picked_at, picked_by        INTEGER, TEXT  a librarian picked it (never
 *                                       deleted by store_prune)
 *   dismissed_at, dismissed_by  INTEGER, TEXT  hidden from the queue
 *
 * item_sources -- every (item, source) that carried it
 *   item_id -> items, source_id -> sources (both ON DELETE CASCADE),
 *   guid (the item's id in that source; UNIQUE per source), first_seen,
 *   last_seen (in that source)
 *
 * outbox -- cross-posting ledger, one row per (item_key, network)
 *   item_key      TEXT NOT NULL         the caller's key for what is posted
 *                                       (a tagged link's normalized URL)
 *   network       TEXT NOT NULL         "mastodon", "bluesky", ...
 *   state         TEXT NOT NULL         pending|sending|sent|failed|unknown
 *   send_key      TEXT                  Idempotency-Key or record key,
 *                                       written before the request
 *   remote_id, remote_url TEXT          what the network answered
 *   attempts      INTEGER NOT NULL      times it entered `sending`
 *   created_at, updated_at INTEGER NOT NULL
 *   sending_since INTEGER               when the current send_key was
 *                                       first sent (Mastodon keeps a key
 *                                       for about an hour)
 *   last_error    TEXT
 *
 * changes -- one row (id 1): the change counter the build's fingerprint
 *   reads (docs/DESIGN-NOTES.md, "The build fingerprint")
 *   store_id      TEXT NOT NULL         32 random hex digits drawn when
 *                                       the table was made: another
 *                                       database has another id
 *   count         INTEGER NOT NULL      rows inserted, updated or deleted
 *                                       in sources, items and
 *                                       item_sources since, counted by
 *                                       triggers (no C code bumps it)
 *
 * Every function that can fail reports through the struct report given to
 * store_open() (which must outlive the store), names the database file, and
 * returns -1 (or NULL). Out-parameters are cleared on entry and set only on
 * success.
 */
#ifndef CURATOR_STORE_STORE_H
#define CURATOR_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/report.h"
#include "ingest/ingest.h"

#define STORE_SCHEMA_VERSION 3

struct store;

/* ------------------------------------------------------------ lifecycle */

/*
 * Opens SITE_DIR/.curator/state.db, creating the folder and the database
 * when missing, sets the pragmas and migrates the schema forward. Fails
 * (reports, returns NULL) when the folder or file cannot be created or
 * read, when the file is not a SQLite database, when a migration step
 * fails (that step is rolled back; earlier steps stay), or when the
 * database has a newer schema than this curator knows (nothing is
 * changed; the hint says to upgrade curator). rep is borrowed and must
 * outlive the store.
 */
struct store *store_open(struct report *rep, const char *site_dir);
/* Closes the database and frees st. NULL is a no-op. */
void store_close(struct store *st);

/* The schema version of the open database (STORE_SCHEMA_VERSION once
 * store_open succeeded). */
int store_schema_version(struct store *st);

/* The change counter (see the changes table above): sets id to the
 * database's random id and *count to the number of row changes so far in
 * the tables curator build reads. Equal (id, count) at two moments means
 * those tables did not change in between. Returns 0, or -1 after
 * reporting (id and *count then cleared). */
int store_change_count(struct store *st, struct buf *id, int64_t *count);

/* Runs PRAGMA integrity_check and foreign_key_check. Returns 0 when both
 * are clean, -1 after reporting the first problem. */
int store_check(struct store *st);

/*
 * Groups several writes into one transaction (BEGIN IMMEDIATE). Calls nest:
 * only the outermost store_commit() commits. Every write function below
 * opens its own transaction when none is open. If any write inside fails,
 * the outermost store_commit() rolls everything back and returns -1.
 * store_rollback() abandons the whole transaction. `curator fetch` wraps
 * one source's store_item_put() calls and store_source_record_fetch() in
 * one transaction so new items and new validators commit together.
 */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* ----------------------------------------------------------------- lock */

struct store_lock;

/*
 * Takes the site's exclusive lock (flock on SITE_DIR/.curator/lock,
 * creating it), waiting up to timeout_s seconds (0: try once) for another
 * curator to release it. On timeout reports "another curator is running in
 * this site (waited N s)" with a hint naming its pid, and returns NULL. The
 * lock is released by store_unlock() or when the process exits, even by
 * kill -9. Not inherited across exec.
 */
struct store_lock *store_lock(struct report *rep, const char *site_dir,
			      int timeout_s);
/* Releases the lock and frees it. NULL is a no-op. */
void store_unlock(struct store_lock *lock);

/* -------------------------------------------------------------- sources */

/*
 * A source as stored. Strings are owned (NULL when unknown) and freed by
 * store_source_release().
 */
struct store_source {
	int64_t id;
	char *url;
	char *title;
	char *topics;         /* OPML category as given, comma-separated */
	char *html_url;
	char *etag;
	char *last_modified;
	int64_t added_at;
	int64_t last_fetch;   /* 0: never fetched */
	long last_status;     /* HTTP status, 0: none */
	char *last_error;     /* NULL: the last fetch worked */
	long failures;        /* consecutive failures */
	int64_t next_fetch;   /* due when next_fetch <= now */
	bool is_gone;         /* HTTP 410: no longer fetched */
	char *previous_url;   /* URL before the last permanent redirect */
	int64_t nitems;       /* items stored for it (item_sources rows) */
};

void store_source_release(struct store_source *src);
/* Releases n sources and frees the array. NULL is a no-op. */
void store_sources_free(struct store_source *srcs, size_t n);

/*
 * Adds the source src->url, or updates title, topics and html_url of the
 * existing one (fetch state is kept). Only those four fields of src are
 * read. Sets *id to its id. src->url must not be NULL.
 */
int store_source_upsert(struct store *st, const struct store_source *src,
			int64_t now, int64_t *id);

/* Finds a source by URL: returns 1 and fills *out (released by the
 * caller), 0 when there is none, -1 on error. */
int store_source_find(struct store *st, const char *url,
		      struct store_source *out);

/* Removes a source and what only it brought: its item_sources rows go,
 * items no other source carries go unless picked (picked items stay with
 * source_id NULL), items it stored that other sources also carry pass to
 * the lowest remaining source id. Returns 1 when it existed, 0 when not. */
int store_source_remove(struct store *st, const char *url);

/* Clears is_gone, failures, last_error and next_fetch: the librarian asked
 * for the source again (`curator sources add` of a gone URL). */
int store_source_reset(struct store *st, int64_t id);

/* Every source, ordered by URL, for `curator sources list`. *out is freed
 * with store_sources_free(). */
int store_sources_list(struct store *st, struct store_source **out,
		       size_t *n);

/* The sources to fetch now: not gone and next_fetch <= now (with force,
 * every source not gone), ordered by next_fetch then URL. */
int store_sources_due(struct store *st, int64_t now, bool force,
		      struct store_source **out, size_t *n);

enum store_fetch_outcome {
	STORE_FETCH_OK,           /* a feed came and was parsed */
	STORE_FETCH_NOT_MODIFIED, /* HTTP 304 */
	STORE_FETCH_FAILED,       /* network error, HTTP error, not a feed */
	STORE_FETCH_GONE,         /* HTTP 410 */
};

/* What one fetch of a source gave. Strings are borrowed for the call. */
struct store_fetch_result {
	enum store_fetch_outcome outcome;
	long http_status;         /* 0 when no HTTP answer came */
	const char *etag;         /* OK: the new validators (NULL: none, the
				   * stored one is cleared); NOT_MODIFIED: a
				   * new value replaces the stored one, NULL
				   * keeps it (RFC 9111 §4.3.4) */
	const char *last_modified;
	const char *error;        /* FAILED: what went wrong */
	long retry_after;         /* seconds (Retry-After), -1: absent */
	const char *moved_to;     /* a 301/308 said the feed now lives
				   * here: the source's URL becomes it */
};

/*
 * Records a fetch of source id at time now:
 * - OK, NOT_MODIFIED: failures 0, last_error cleared, due again at once;
 * - FAILED: failures + 1, last_error set, next_fetch = now +
 *   store_backoff_delay(failures) (1 h, 2 h, 4 h ... capped at 1 day);
 * - GONE: is_gone set: store_sources_due() never returns it again;
 * - with retry_after >= 0 (429, 503), next_fetch = now + retry_after
 *   (capped at 7 days) instead of the backoff: the server said when;
 * - with moved_to, url becomes moved_to and previous_url the old URL;
 *   when moved_to is already another source, a warning says so and the
 *   URL is kept (the librarian removes one of the two).
 * Returns 0, or -1 (also for an unknown id).
 */
int store_source_record_fetch(struct store *st, int64_t id,
			      const struct store_fetch_result *res,
			      int64_t now);

/* Backoff after n consecutive failures: 0 for n <= 0, then 3600 s doubled
 * per failure, capped at 86400 s. */
int64_t store_backoff_delay(long failures);

/* ---------------------------------------------------------------- items */

#define STORE_HASH_SIZE 17 /* 16 hex digits and a NUL */

/*
 * The content hash: FNV-1a 64 over the item's content fields in a fixed
 * order (url normalized as for duplicates, title, author, published,
 * updated, summary, content_html, image, language, each category, each
 * enclosure's url, type and length), each field tagged and length-prefixed
 * so that moving text between fields changes the hash, strings trimmed of
 * ASCII white space with NULL and "" alike. The guid is identity, not
 * content, and is left out. Written as 16 lowercase hex digits. It only
 * detects change (no security role), so a 64-bit hash is enough.
 */
void store_item_hash(const struct feed_item *item, char out[STORE_HASH_SIZE]);

/* An item as stored. Everything is owned; release with store_item_release. */
struct store_item {
	int64_t id;
	int64_t source_id;    /* whose copy is stored; 0 when none is left */
	int64_t *source_ids;  /* every source carrying it, ascending */
	size_t nsources;
	struct feed_item item; /* item.id is the guid in source_id's feed */
	char *norm_url;
	char hash[STORE_HASH_SIZE];
	int64_t first_seen;
	int64_t last_seen;
	int64_t changed_at;
	bool is_picked;
	int64_t picked_at;
	char *picked_by;
	bool is_dismissed;
	int64_t dismissed_at;
	char *dismissed_by;
};

void store_item_release(struct store_item *item);
/* Releases n items and frees the array. NULL is a no-op. */
void store_items_free(struct store_item *items, size_t n);

struct store_put_stats {
	size_t added;     /* new items */
	size_t updated;   /* seen again, content hash changed */
	size_t unchanged; /* seen again, same hash: only last_seen moved */
	size_t linked;    /* already stored from another source (same
			   * normalized URL): now remembered for this one */
};

/*
 * Writes one parsed item of source source_id, seen at now; adds to *stats
 * (which the caller zeroes). The item is borrowed. An item is recognised,
 * in order, by its guid in this source, then by its normalized URL among
 * items this source does not carry yet (the same article syndicated by
 * another feed: linked, kept once). A known item is rewritten only when its
 * content hash changed and this source is the one whose copy is stored;
 * first_seen never moves; last_seen always does.
 */
int store_item_put(struct store *st, int64_t source_id,
		   const struct feed_item *item, int64_t now,
		   struct store_put_stats *stats);

/* store_item_put() for n items in one transaction (all or nothing).
 * Zeroes *stats first. */
int store_put_items(struct store *st, int64_t source_id,
		    const struct feed_item *items, size_t n, int64_t now,
		    struct store_put_stats *stats);

/* Gets item id: returns 1 and fills *out, 0 when there is none, -1. */
int store_item_get(struct store *st, int64_t id, struct store_item *out);

struct store_item_query {
	int64_t source_id; /* 0: any source */
	bool is_queue;     /* only items neither picked nor dismissed */
	bool is_picked;    /* only picked items */
	int64_t since;     /* first_seen >= since; 0: any */
	size_t limit;      /* 0: no limit */
};

/* Items matching q (NULL: all), newest first: by published (else
 * first_seen) descending, then id descending. */
int store_items_list(struct store *st, const struct store_item_query *q,
		     struct store_item **out, size_t *n);

/* The items a site build may show: those neither picked nor dismissed, in
 * no particular order, with only what a page needs: id, source_id,
 * source_ids, item.url, item.title, item.published (has_published),
 * item.summary, item.image, item.language, item.categories, first_seen.
 * Every other field is left empty (NULL, 0, false). One pass over the
 * items table: no sort, no content_html. Free with store_items_free(). */
int store_items_list_site(struct store *st, struct store_item **out,
			  size_t *n);

/* Marks item id picked by `by` (may be NULL) at now, clearing a dismissal.
 * Fails for an unknown id. */
int store_item_pick(struct store *st, int64_t id, const char *by,
		    int64_t now);
/* Hides item id from the queue. Fails for an unknown id or a picked item
 * (a picked item has a tagged link: delete that instead). */
int store_item_dismiss(struct store *st, int64_t id, const char *by,
		       int64_t now);

/*
 * Retention: deletes items not picked that either were last seen more than
 * keep_days days before now, or are past the keep_per_source newest items
 * (by last_seen, then published or first_seen) of every source that
 * carries them. Items in a source's latest batch (still in its feed) are
 * always kept, else the next fetch would bring them back as new. 0 for
 * either limit disables it. Sets *deleted (may be NULL).
 */
int store_prune(struct store *st, int keep_days, int keep_per_source,
		int64_t now, size_t *deleted);

/* --------------------------------------------------------------- outbox */

/* NOTE: the order matches the names in store_outbox_state_name(). */
enum store_outbox_state {
	STORE_OUTBOX_PENDING,
	STORE_OUTBOX_SENDING,
	STORE_OUTBOX_SENT,
	STORE_OUTBOX_FAILED,
	STORE_OUTBOX_UNKNOWN,
};

/* "pending", "sending", "sent", "failed", "unknown". */
const char *store_outbox_state_name(enum store_outbox_state state);

struct store_outbox_entry {
	char *item_key;
	char *network;
	enum store_outbox_state state;
	char *send_key;
	char *remote_id;
	char *remote_url;
	long attempts;
	int64_t created_at;
	int64_t updated_at;
	int64_t sending_since; /* 0 unless it has been sent with send_key */
	char *last_error;
};

void store_outbox_entry_release(struct store_outbox_entry *entry);
void store_outbox_free(struct store_outbox_entry *entries, size_t n);

/*
 * The crosspost ledger (issue 8, "posting at most once"). Allowed moves:
 *
 *   pending -> sending
 *   sending -> sending (resend, same send_key only), sent, failed, unknown
 *   failed  -> sending (retry)
 *   unknown -> sent, failed (a later check decided)
 *   sent    -> nothing: it is final
 *
 * Any other move reports "cannot move ... from X to Y" and returns -1
 * without changing anything, as does an unknown (item_key, network).
 * Every move is committed with synchronous=FULL (the WAL is fsync'ed)
 * before the function returns, so the caller may send the request right
 * after store_outbox_sending() returns 0. The moves refuse to run inside
 * store_begin().
 */

/* Adds (item_key, network) as pending; an existing entry is left as it is.
 * Sets *is_new (may be NULL). */
int store_outbox_add(struct store *st, const char *item_key,
		     const char *network, int64_t now, bool *is_new);
/* Moves to sending with send_key (may be NULL where the network has no
 * key), counting an attempt. */
int store_outbox_sending(struct store *st, const char *item_key,
			 const char *network, const char *send_key,
			 int64_t now);
/* Moves to sent, recording what the network answered (may be NULL). */
int store_outbox_sent(struct store *st, const char *item_key,
		      const char *network, const char *remote_id,
		      const char *remote_url, int64_t now);
/* Moves to failed: the post is known not to exist; it may be retried. */
int store_outbox_failed(struct store *st, const char *item_key,
			const char *network, const char *error, int64_t now);
/* Moves to unknown: it cannot be decided whether the post exists; it is
 * reported and never resent automatically. */
int store_outbox_unknown(struct store *st, const char *item_key,
			 const char *network, const char *error, int64_t now);
/* Gets one entry: 1 and *out filled, 0 when absent, -1 on error. */
int store_outbox_get(struct store *st, const char *item_key,
		     const char *network, struct store_outbox_entry *out);
/* Entries in state (or every entry when state is -1), ordered by
 * item_key then network. *out is freed with store_outbox_free(). */
int store_outbox_list(struct store *st, int state,
		      struct store_outbox_entry **out, size_t *n);

/* ----------------------------------------------------------------- dump */

/*
 * Writes the store as one JSON object to fp, for e2e tests and
 * `curator` debugging: {"schema": N, "sources": [...], "items": [...],
 * "outbox": [...]} with sources ordered by URL, items by normalized URL,
 * guid and source URL, outbox entries by item_key and network; times as
 * integers (UTC seconds, null for never); sources named by URL and no row
 * ids, so that two stores holding the same data dump the same bytes
 * whatever the order they were fetched in.
 * Returns 0, or -1 on a database or write error.
 */
int store_dump_json(struct store *st, FILE *fp);

#endif
