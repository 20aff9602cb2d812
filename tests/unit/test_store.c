/*
 * The store's lifecycle: opening, migrations, refusing a newer schema, the
 * site lock, surviving kill -9, and the JSON dump.
 */
#include "unit/store_fixture.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "store/store_int.h"

/* Runs sql on the database file directly (as another program would) and
 * returns the first column of the first row as a new string ("" if none). */
static char *
raw_query(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	char *out = NULL;
	int rc;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
					 NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
			 SQLITE_OK);
	rc = sqlite3_step(stmt);
	assert_true(rc == SQLITE_ROW || rc == SQLITE_DONE);
	if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		out = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	else
		out = xstrdup("");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return out;
}

static void
assert_raw(const char *path, const char *sql, const char *want)
{
	char *got = raw_query(path, sql);

	assert_string_equal(got, want);
	free(got);
}

static void
test_store_open_creates_folder_and_migrates_from_zero(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(stat(f->path, &st), -1);
	f->st = store_open(&f->rep, f->dir);
	assert_non_null(f->st);
	assert_messages(f, "");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	assert_int_equal(STORE_SCHEMA_VERSION, 3);
	assert_raw(f->path, "PRAGMA journal_mode", "wal");
	assert_raw(f->path, "PRAGMA user_version", "3");
	assert_raw(f->path,
		   "SELECT group_concat(name, ',') FROM (SELECT name FROM"
		   " sqlite_master WHERE type = 'table' ORDER BY name)",
		   "changes,item_sources,items,outbox,sources");
	assert_int_equal(store_check(f->st), 0);
}

static void
test_store_sets_pragmas(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *stmt = NULL;
	static const char *const pragmas[][2] = {
		{ "PRAGMA foreign_keys", "1" },
		{ "PRAGMA synchronous", "1" }, /* NORMAL */
		{ "PRAGMA busy_timeout", "10000" },
		{ "PRAGMA journal_mode", "wal" },
	};
	size_t i;

	for (i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(f->st->db, pragmas[i][0],
						    -1, &stmt, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(stmt, 0),
				    pragmas[i][1]);
		sqlite3_finalize(stmt);
	}
}

static void
test_store_reopen_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct store_source src;
	int i;

	add_source(f, "https://example.org/feed", "Example");
	for (i = 0; i < 3; i++) {
		store_close(f->st);
		f->st = store_open(&f->rep, f->dir);
		assert_non_null(f->st);
		assert_messages(f, "");
		assert_int_equal(store_schema_version(f->st), 3);
	}
	assert_int_equal(store_source_find(f->st, "https://example.org/feed",
					   &src),
			 1);
	assert_string_equal(src.title, "Example");
	store_source_release(&src);
}

static void
test_store_refuses_a_newer_schema(void **state)
{
	struct fixture *f = *state;
	char *ignored;

	store_close(f->st);
	f->st = NULL;
	ignored = raw_query(f->path, "PRAGMA user_version = 99");
	free(ignored);
	f->st = store_open(&f->rep, f->dir);
	assert_null(f->st);
	assert_messages(f,
			"error: SITE/.curator/state.db: store schema version "
			"99 is newer than this curator knows (3)\n"
			"hint: a newer curator wrote this store: upgrade "
			"curator (this is curator " CURATOR_VERSION ")\n");
	assert_raw(f->path, "PRAGMA user_version", "99");
}

static void
test_store_refuses_a_file_that_is_not_a_database(void **state)
{
	struct fixture *f = *state;
	FILE *fp;
	char *dir = xstrdup(f->path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(mkdir(dir, 0755), 0);
	free(dir);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("this is not a database, it is a shopping list\n"
	      "eggs\nmilk\nflour\nsugar\nbutter\n",
	      fp);
	assert_int_equal(fclose(fp), 0);
	f->st = store_open(&f->rep, f->dir);
	assert_null(f->st);
	assert_messages(f, "error: SITE/.curator/state.db: cannot open the "
			   "store: file is not a database\n");
}

static void
test_store_migrates_one_transaction_per_step(void **state)
{
	struct fixture *f = *state;
	static const struct store_migration broken[] = {
		{ "one", "CREATE TABLE a (x)" },
		{ "two", "CREATE TABLE b (x); INSERT INTO a VALUES (1)" },
		{ "three", "CREATE TABLE c (x); CREATE TABLE a (y)" },
	};
	static const struct store_migration fixed[] = {
		{ "one", "CREATE TABLE a (x)" },
		{ "two", "CREATE TABLE b (x); INSERT INTO a VALUES (1)" },
		{ "three", "CREATE TABLE c (x)" },
	};
	sqlite3 *db = NULL;
	char *path = xstrdup(f->path);

	*strrchr(path, '/') = '\0';
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(store_migrate_db(&f->rep, f->path, db, broken, 3),
			 -1);
	assert_messages(f,
			"error: SITE/.curator/state.db: cannot migrate the "
			"store to schema version 3 (three): table a already "
			"exists\n"
			"hint: the store was left at version 2; report this "
			"message to curator's developers\n");
	assert_raw(f->path, "PRAGMA user_version", "2");
	assert_raw(f->path, "SELECT count(*) FROM a", "1");
	assert_raw(f->path,
		   "SELECT count(*) FROM sqlite_master WHERE name = 'c'", "0");
	assert_int_equal(store_migrate_db(&f->rep, f->path, db, fixed, 3), 0);
	assert_messages(f, "");
	assert_raw(f->path, "PRAGMA user_version", "3");
	assert_raw(f->path,
		   "SELECT count(*) FROM sqlite_master WHERE name = 'c'", "1");
	/* Run again: nothing to do, nothing run twice. */
	assert_int_equal(store_migrate_db(&f->rep, f->path, db, fixed, 3), 0);
	assert_raw(f->path, "SELECT count(*) FROM a", "1");
	sqlite3_close(db);
}

static double
elapsed_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void
test_store_lock_times_out_while_another_holds_it(void **state)
{
	struct fixture *f = *state;
	struct store_lock *first, *second;
	struct timespec start;
	char want[512];
	double waited;

	first = store_lock(&f->rep, f->dir, 30);
	assert_non_null(first);
	clock_gettime(CLOCK_MONOTONIC, &start);
	second = store_lock(&f->rep, f->dir, 1);
	waited = elapsed_since(&start);
	assert_null(second);
	assert_true(waited >= 1.0 && waited < 3.0);
	snprintf(want, sizeof(want),
		 "error: SITE/.curator/lock: another curator is running in "
		 "this site (waited 1 s)\n"
		 "hint: wait for it to finish (process %ld), then run this "
		 "again\n",
		 (long)getpid());
	assert_messages(f, want);
	store_unlock(first);
	second = store_lock(&f->rep, f->dir, 0);
	assert_non_null(second);
	assert_messages(f, "");
	store_unlock(second);
	store_unlock(NULL);
}

static void
test_store_lock_is_released_when_its_process_is_killed(void **state)
{
	struct fixture *f = *state;
	struct store_lock *lock;
	int fds[2], status;
	char want[512];
	char c = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct report rep;

		close(fds[0]);
		alarm(30);
		report_init_collect(&rep);
		if (!store_lock(&rep, f->dir, 5))
			_exit(1);
		if (write(fds[1], "L", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, 'L');
	lock = store_lock(&f->rep, f->dir, 0);
	assert_null(lock);
	snprintf(want, sizeof(want),
		 "error: SITE/.curator/lock: another curator is running in "
		 "this site (waited 0 s)\n"
		 "hint: wait for it to finish (process %ld), then run this "
		 "again\n",
		 (long)pid);
	assert_messages(f, want);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	close(fds[0]);
	lock = store_lock(&f->rep, f->dir, 0);
	assert_non_null(lock);
	assert_messages(f, "");
	store_unlock(lock);
}

/* Fills items[0..n) with distinct items numbered from first, each with a
 * 4 KiB body so that a big transaction spills to the WAL file. */
static void
make_items(struct feed_item *items, char (*text)[3][80], char *body,
	   size_t n, size_t first)
{
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(text[i][0], 80, "urn:item:%zu", first + i);
		snprintf(text[i][1], 80, "https://example.org/%zu", first + i);
		snprintf(text[i][2], 80, "Item %zu", first + i);
		items[i] = make_item(text[i][0], text[i][1], text[i][2]);
		items[i].content_html = body;
	}
}

#define KILL_BATCH 100
#define KILL_SPILL 4000

static void
writer_child(const char *dir, int fd)
{
	struct store_put_stats stats;
	struct store_source src;
	struct feed_item *items;
	char (*text)[3][80];
	struct report rep;
	struct store *st;
	char *body = xmalloc(4097);
	int64_t id;
	size_t i;

	alarm(60);
	memset(body, 'x', 4096);
	body[4096] = '\0';
	items = xcalloc(KILL_SPILL, sizeof(*items));
	text = xcalloc(KILL_SPILL, sizeof(*text));
	report_init_collect(&rep);
	st = store_open(&rep, dir);
	memset(&src, 0, sizeof(src));
	src.url = "https://example.org/feed";
	if (!st || store_source_upsert(st, &src, NOW, &id) != 0)
		_exit(1);
	make_items(items, text, body, KILL_BATCH, 0);
	if (store_put_items(st, id, items, KILL_BATCH, NOW, &stats) != 0)
		_exit(1);
	if (write(fd, "1", 1) != 1)
		_exit(1);
	/* The second batch never commits: kill -9 comes in the middle. */
	make_items(items, text, body, KILL_SPILL, KILL_BATCH);
	if (store_begin(st) != 0)
		_exit(1);
	for (i = 0; i < KILL_SPILL; i++)
		if (store_item_put(st, id, &items[i], NOW + 1, &stats) != 0)
			_exit(1);
	if (write(fd, "2", 1) != 1)
		_exit(1);
	for (i = 0;; i++) {
		make_items(items, text, body, 1, KILL_BATCH + KILL_SPILL + i);
		if (store_item_put(st, id, &items[0], NOW + 1, &stats) != 0)
			_exit(1);
	}
}

static void
test_store_survives_kill_9_mid_transaction(void **state)
{
	struct fixture *f = *state;
	struct store_put_stats stats;
	struct store_item *items;
	struct feed_item more;
	char wal[160];
	struct stat sb;
	int fds[2], status;
	char c = 0;
	size_t n;
	pid_t pid;

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		writer_child(f->dir, fds[1]);
		_exit(1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, '1');
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, '2');
	/* Uncommitted pages of the big transaction are in the WAL file. */
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 4 * 1024 * 1024);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	close(fds[0]);

	f->st = store_open(&f->rep, f->dir);
	assert_non_null(f->st);
	assert_int_equal(store_check(f->st), 0);
	assert_messages(f, "");
	assert_int_equal(store_items_list(f->st, NULL, &items, &n), 0);
	assert_int_equal(n, KILL_BATCH);
	assert_int_equal(items[0].first_seen, NOW);
	assert_int_equal(items[n - 1].first_seen, NOW);
	store_items_free(items, n);
	/* And the store takes new writes as usual. */
	more = make_item("urn:after", "https://example.org/after", "After");
	put_one(f, 1, &more, NOW + 2, &stats);
	assert_int_equal(stats.added, 1);
	assert_int_equal(count_items(f), KILL_BATCH + 1);
}

static void
test_store_dump_json_is_stable(void **state)
{
	struct fixture *f = *state;
	struct store_put_stats stats;
	struct feed_enclosure enclosure = { "https://example.org/a.mp3",
					    "audio/mpeg", 1234 };
	char *categories[] = { "BD", "Manga" };
	struct feed_item items[2];
	struct store_fetch_result ok = {
		STORE_FETCH_OK, 200, "\"v1\"", NULL, NULL, -1, NULL,
	};
	char hash1[STORE_HASH_SIZE], hash2[STORE_HASH_SIZE];
	struct buf want = BUF_INIT;
	char *text = NULL;
	size_t len = 0;
	int64_t a, b;
	FILE *fp;

	b = add_source(f, "https://b.example/feed", "B");
	a = add_source(f, "https://a.example/feed", "A");
	assert_int_equal(store_source_record_fetch(f->st, a, &ok, NOW), 0);
	items[0] = make_item("b-1", "https://news.example/x", "Shared");
	items[1] = make_item("b-2", NULL, "No link");
	items[1].has_published = true;
	items[1].published = NOW - DAY;
	items[1].categories = categories;
	items[1].ncategories = 2;
	items[1].enclosures = &enclosure;
	items[1].nenclosures = 1;
	assert_int_equal(store_put_items(f->st, b, items, 2, NOW, &stats), 0);
	items[0].id = "a-1";
	put_one(f, a, &items[0], NOW + 60, &stats);
	assert_int_equal(stats.linked, 1);
	assert_int_equal(store_outbox_add(f->st, "https://news.example/x",
					  "mastodon", NOW, NULL),
			 0);

	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	assert_int_equal(store_dump_json(f->st, fp), 0);
	assert_int_equal(fclose(fp), 0);
	store_item_hash(&items[1], hash2);
	store_item_hash(&items[0], hash1);
	buf_addf(
		&want,
		"{\n"
		"  \"schema\": 3,\n"
		"  \"sources\": [\n"
		"    {\n"
		"      \"url\": \"https://a.example/feed\",\n"
		"      \"title\": \"A\",\n"
		"      \"topics\": null,\n"
		"      \"html_url\": null,\n"
		"      \"etag\": \"\\\"v1\\\"\",\n"
		"      \"last_modified\": null,\n"
		"      \"added_at\": 1795510800,\n"
		"      \"last_fetch\": 1795510800,\n"
		"      \"last_status\": 200,\n"
		"      \"last_error\": null,\n"
		"      \"failures\": 0,\n"
		"      \"next_fetch\": 1795510800,\n"
		"      \"is_gone\": false,\n"
		"      \"previous_url\": null,\n"
		"      \"items\": 1\n"
		"    },\n"
		"    {\n"
		"      \"url\": \"https://b.example/feed\",\n"
		"      \"title\": \"B\",\n"
		"      \"topics\": null,\n"
		"      \"html_url\": null,\n"
		"      \"etag\": null,\n"
		"      \"last_modified\": null,\n"
		"      \"added_at\": 1795510800,\n"
		"      \"last_fetch\": null,\n"
		"      \"last_status\": 0,\n"
		"      \"last_error\": null,\n"
		"      \"failures\": 0,\n"
		"      \"next_fetch\": 0,\n"
		"      \"is_gone\": false,\n"
		"      \"previous_url\": null,\n"
		"      \"items\": 2\n"
		"    }\n"
		"  ],\n"
		"  \"items\": [\n"
		"    {\n"
		"      \"url\": null,\n"
		"      \"norm_url\": null,\n"
		"      \"guid\": \"b-2\",\n"
		"      \"source\": \"https://b.example/feed\",\n"
		"      \"sources\": [\n"
		"        \"https://b.example/feed\"\n"
		"      ],\n"
		"      \"title\": \"No link\",\n"
		"      \"author\": null,\n"
		"      \"published\": 1795424400,\n"
		"      \"updated\": null,\n"
		"      \"summary\": null,\n"
		"      \"content_html\": null,\n"
		"      \"image\": null,\n"
		"      \"language\": null,\n"
		"      \"categories\": [\n"
		"        \"BD\",\n"
		"        \"Manga\"\n"
		"      ],\n"
		"      \"enclosures\": [\n"
		"        {\n"
		"          \"url\": \"https://example.org/a.mp3\",\n"
		"          \"type\": \"audio/mpeg\",\n"
		"          \"length\": 1234\n"
		"        }\n"
		"      ],\n"
		"      \"hash\": \"%s\",\n"
		"      \"first_seen\": 1795510800,\n"
		"      \"last_seen\": 1795510800,\n"
		"      \"changed_at\": 1795510800,\n"
		"      \"picked_at\": null,\n"
		"      \"picked_by\": null,\n"
		"      \"dismissed_at\": null,\n"
		"      \"dismissed_by\": null\n"
		"    },\n"
		"    {\n"
		"      \"url\": \"https://news.example/x\",\n"
		"      \"norm_url\": \"https://news.example/x\",\n"
		"      \"guid\": \"b-1\",\n"
		"      \"source\": \"https://b.example/feed\",\n"
		"      \"sources\": [\n"
		"        \"https://a.example/feed\",\n"
		"        \"https://b.example/feed\"\n"
		"      ],\n"
		"      \"title\": \"Shared\",\n"
		"      \"author\": null,\n"
		"      \"published\": null,\n"
		"      \"updated\": null,\n"
		"      \"summary\": null,\n"
		"      \"content_html\": null,\n"
		"      \"image\": null,\n"
		"      \"language\": null,\n"
		"      \"categories\": [],\n"
		"      \"enclosures\": [],\n"
		"      \"hash\": \"%s\",\n"
		"      \"first_seen\": 1795510800,\n"
		"      \"last_seen\": 1795510860,\n"
		"      \"changed_at\": 1795510800,\n"
		"      \"picked_at\": null,\n"
		"      \"picked_by\": null,\n"
		"      \"dismissed_at\": null,\n"
		"      \"dismissed_by\": null\n"
		"    }\n"
		"  ],\n"
		"  \"outbox\": [\n"
		"    {\n"
		"      \"item_key\": \"https://news.example/x\",\n"
		"      \"network\": \"mastodon\",\n"
		"      \"state\": \"pending\",\n"
		"      \"send_key\": null,\n"
		"      \"remote_id\": null,\n"
		"      \"remote_url\": null,\n"
		"      \"attempts\": 0,\n"
		"      \"created_at\": 1795510800,\n"
		"      \"updated_at\": 1795510800,\n"
		"      \"sending_since\": null,\n"
		"      \"last_error\": null\n"
		"    }\n"
		"  ]\n"
		"}\n",
		hash2, hash1);
	assert_string_equal(text, want.ptr);
	buf_release(&want);
	free(text);
}

/* The count after each change, and the id staying put. */
static int64_t
change_count(struct fixture *f, const char *want_id)
{
	struct buf id = BUF_INIT;
	int64_t count = -1;

	assert_int_equal(store_change_count(f->st, &id, &count), 0);
	assert_int_equal(id.len, 32);
	assert_int_equal(strspn(id.ptr, "0123456789abcdef"), 32);
	if (want_id)
		assert_string_equal(id.ptr, want_id);
	buf_release(&id);
	return count;
}

static void
test_store_change_count_moves_on_every_change_the_build_reads(void **state)
{
	struct fixture *f = *state;
	struct feed_item item = make_item("g1", "https://news.example/1",
					  "One");
	struct store_put_stats stats;
	struct buf id = BUF_INIT;
	int64_t count, source_id, last;
	struct store_item *items;
	size_t n;

	assert_int_equal(store_change_count(f->st, &id, &count), 0);
	assert_int_equal(count, 0);
	source_id = add_source(f, "https://news.example/feed", "News");
	last = change_count(f, id.ptr);
	assert_true(last > 0);
	put_one(f, source_id, &item, NOW, &stats);
	count = change_count(f, id.ptr);
	assert_true(count > last);
	last = count;
	assert_int_equal(store_items_list(f->st, NULL, &items, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_item_dismiss(f->st, items[0].id, "Aiko", NOW),
			 0);
	count = change_count(f, id.ptr);
	assert_true(count > last);
	last = count;
	assert_int_equal(store_item_pick(f->st, items[0].id, "Aiko", NOW), 0);
	store_items_free(items, n);
	count = change_count(f, id.ptr);
	assert_true(count > last);
	last = count;
	/* Reading changes nothing. */
	assert_int_equal(count_items(f), 1);
	assert_int_equal(change_count(f, id.ptr), last);
	assert_int_equal(store_source_remove(f->st,
					     "https://news.example/feed"),
			 1);
	count = change_count(f, id.ptr);
	assert_true(count > last);
	/* Reopening keeps the id and the count. */
	store_close(f->st);
	f->st = store_open(&f->rep, f->dir);
	assert_non_null(f->st);
	assert_int_equal(change_count(f, id.ptr), count);
	buf_release(&id);
}

/* Fetching a feed again, changed or not, moves only the fetch's own
 * bookkeeping when nothing the site shows changed: the next build can
 * skip. A failure or a 410 does not change what the build shows either,
 * except is_gone. */
static void
test_store_change_count_ignores_the_fetch_bookkeeping(void **state)
{
	struct fixture *f = *state;
	struct feed_item item = make_item("g1", "https://news.example/1",
					  "One");
	struct store_fetch_result ok = { STORE_FETCH_OK, 200, "\"v1\"",
					 NULL, NULL, -1, NULL };
	struct store_fetch_result same = { STORE_FETCH_NOT_MODIFIED, 304,
					   "\"v2\"", NULL, NULL, -1, NULL };
	struct store_fetch_result failed = { STORE_FETCH_FAILED, 500, NULL,
					     NULL, "HTTP 500", -1, NULL };
	struct store_fetch_result gone = { STORE_FETCH_GONE, 410, NULL, NULL,
					   NULL, -1, NULL };
	struct store_put_stats stats;
	int64_t source_id, last;

	source_id = add_source(f, "https://news.example/feed", "News");
	put_one(f, source_id, &item, NOW, &stats);
	last = change_count(f, NULL);
	assert_int_equal(store_source_record_fetch(f->st, source_id, &ok,
						   NOW + 60),
			 0);
	put_one(f, source_id, &item, NOW + 60, &stats);
	assert_int_equal(stats.unchanged, 1);
	assert_int_equal(store_source_record_fetch(f->st, source_id, &same,
						   NOW + 120),
			 0);
	assert_int_equal(store_source_record_fetch(f->st, source_id, &failed,
						   NOW + 180),
			 0);
	assert_int_equal(change_count(f, NULL), last);
	item.title = (char *)"One, corrected";
	put_one(f, source_id, &item, NOW + 240, &stats);
	assert_true(change_count(f, NULL) > last);
	last = change_count(f, NULL);
	assert_int_equal(store_source_record_fetch(f->st, source_id, &gone,
						   NOW + 300),
			 0);
	assert_true(change_count(f, NULL) > last);
}

/* The update triggers' column lists, against the tables: every column
 * counts but the bookkeeping named here. A new column fails this test
 * until its migration says which it is. */
static void
test_store_update_triggers_watch_every_column_but_the_bookkeeping(
	void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *table;
		const char *bookkeeping; /* " a b c " */
	} tables[] = {
		{ "sources", " etag last_modified last_fetch last_status "
			     "last_error failures next_fetch " },
		{ "items", " last_seen " },
		{ "item_sources", " last_seen " },
	};
	char sql[256], key[80];
	size_t t;

	for (t = 0; t < sizeof(tables) / sizeof(*tables); t++) {
		char *trigger, *columns, *col, *save = NULL;

		snprintf(sql, sizeof(sql),
			 "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
			 " AND name = '%s_update_counted'",
			 tables[t].table);
		trigger = raw_query(f->path, sql);
		snprintf(sql, sizeof(sql),
			 "SELECT group_concat(name, ' ') FROM"
			 " pragma_table_info('%s')",
			 tables[t].table);
		columns = raw_query(f->path, sql);
		for (col = strtok_r(columns, " ", &save); col;
		     col = strtok_r(NULL, " ", &save)) {
			bool is_bookkeeping, is_watched;

			snprintf(key, sizeof(key), " %s ", col);
			is_bookkeeping = strstr(tables[t].bookkeeping, key);
			snprintf(key, sizeof(key), "OLD.%s,", col);
			is_watched = strstr(trigger, key);
			snprintf(key, sizeof(key), "OLD.%s)", col);
			is_watched = is_watched || strstr(trigger, key);
			if (is_bookkeeping == is_watched)
				fail_msg("%s.%s: %s", tables[t].table, col,
					 is_watched ? "bookkeeping, but counted"
						    : "not counted");
		}
		free(columns);
		free(trigger);
	}
}

/* NOTE: a table curator build does not read may go without triggers;
 * any other table (a new one too) must have all three. */
static void
test_store_every_table_the_build_reads_is_counted(void **state)
{
	struct fixture *f = *state;
	static const char *const uncounted[] = { "changes", "outbox" };
	sqlite3_stmt *stmt = NULL;
	const char *name;
	size_t i, ntables = 0;
	char *got;
	bool is_counted;

	assert_int_equal(sqlite3_prepare_v2(f->st->db,
					    "SELECT name FROM sqlite_master"
					    " WHERE type = 'table'",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char sql[512];

		name = (const char *)sqlite3_column_text(stmt, 0);
		is_counted = true;
		for (i = 0; i < sizeof(uncounted) / sizeof(*uncounted); i++)
			if (strcmp(name, uncounted[i]) == 0)
				is_counted = false;
		if (!is_counted)
			continue;
		ntables++;
		snprintf(sql, sizeof(sql),
			 "SELECT group_concat(x, ',') FROM (SELECT"
			 " substr(sql, instr(sql, 'AFTER ') + 6, 6) AS x"
			 " FROM sqlite_master WHERE type = 'trigger'"
			 " AND tbl_name = '%s' AND sql LIKE"
			 " '%%UPDATE changes SET count = count + 1%%'"
			 " ORDER BY x)",
			 name);
		got = raw_query(f->path, sql);
		if (strcmp(got, "DELETE,INSERT,UPDATE") != 0)
			fail_msg("table %s: counted on '%s', want "
				 "DELETE,INSERT,UPDATE",
				 name, got);
		free(got);
	}
	sqlite3_finalize(stmt);
	assert_int_equal(ntables, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_store_open_creates_folder_and_migrates_from_zero,
			fixture_setup_closed, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_store_sets_pragmas,
						fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_reopen_is_idempotent, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_refuses_a_newer_schema, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_refuses_a_file_that_is_not_a_database,
			fixture_setup_closed, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_migrates_one_transaction_per_step,
			fixture_setup_closed, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_lock_times_out_while_another_holds_it,
			fixture_setup_closed, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_lock_is_released_when_its_process_is_killed,
			fixture_setup_closed, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_survives_kill_9_mid_transaction,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_store_dump_json_is_stable,
						fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_change_count_moves_on_every_change_the_build_reads,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_change_count_ignores_the_fetch_bookkeeping,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_update_triggers_watch_every_column_but_the_bookkeeping,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_store_every_table_the_build_reads_is_counted,
			fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
