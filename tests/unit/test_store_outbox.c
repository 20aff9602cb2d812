/*
 * The crosspost outbox: its state machine, keys, and that `sending` is
 * committed and durable before the caller sends.
 */
#include "unit/store_fixture.h"

#include "store/store_int.h"

static const char key[] = "https://example.org/link";

static void
get(struct fixture *f, const char *network, struct store_outbox_entry *out)
{
	assert_int_equal(store_outbox_get(f->st, key, network, out), 1);
}

static void
test_store_outbox_goes_pending_sending_sent(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_entry e;
	bool is_new = false;

	assert_int_equal(store_outbox_get(f->st, key, "mastodon", &e), 0);
	assert_int_equal(store_outbox_add(f->st, key, "mastodon", NOW,
					  &is_new),
			 0);
	assert_true(is_new);
	assert_int_equal(store_outbox_add(f->st, key, "mastodon", NOW + 5,
					  &is_new),
			 0);
	assert_false(is_new);
	get(f, "mastodon", &e);
	assert_int_equal(e.state, STORE_OUTBOX_PENDING);
	assert_int_equal(e.attempts, 0);
	assert_int_equal(e.created_at, NOW);
	assert_int_equal(e.updated_at, NOW);
	assert_null(e.send_key);
	store_outbox_entry_release(&e);

	assert_int_equal(store_outbox_sending(f->st, key, "mastodon",
					      "idem-1", NOW + 10),
			 0);
	get(f, "mastodon", &e);
	assert_int_equal(e.state, STORE_OUTBOX_SENDING);
	assert_string_equal(e.send_key, "idem-1");
	assert_int_equal(e.attempts, 1);
	assert_int_equal(e.sending_since, NOW + 10);
	store_outbox_entry_release(&e);

	/* A resend with the same key keeps the time of the first send. */
	assert_int_equal(store_outbox_sending(f->st, key, "mastodon",
					      "idem-1", NOW + 600),
			 0);
	get(f, "mastodon", &e);
	assert_int_equal(e.attempts, 2);
	assert_int_equal(e.sending_since, NOW + 10);
	assert_int_equal(e.updated_at, NOW + 600);
	store_outbox_entry_release(&e);

	assert_int_equal(store_outbox_sent(f->st, key, "mastodon", "1099",
					   "https://social.example/@bib/1099",
					   NOW + 601),
			 0);
	get(f, "mastodon", &e);
	assert_int_equal(e.state, STORE_OUTBOX_SENT);
	assert_string_equal(e.remote_id, "1099");
	assert_string_equal(e.remote_url, "https://social.example/@bib/1099");
	assert_string_equal(e.send_key, "idem-1");
	assert_null(e.last_error);
	store_outbox_entry_release(&e);
	assert_messages(f, "");
}

static void
test_store_outbox_refuses_to_leave_sent(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_entry e;

	assert_int_equal(store_outbox_add(f->st, key, "bluesky", NOW, NULL),
			 0);
	assert_int_equal(store_outbox_sending(f->st, key, "bluesky",
					      "3l4ab2cd5ef2x", NOW),
			 0);
	assert_int_equal(store_outbox_sent(f->st, key, "bluesky", NULL, NULL,
					   NOW),
			 0);
	assert_int_equal(store_outbox_sending(f->st, key, "bluesky",
					      "3l4ab2cd5ef2x", NOW + 1),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox: cannot "
			   "move 'https://example.org/link' on bluesky from "
			   "sent to sending\n"
			   "hint: it was posted already: it is never posted "
			   "again\n");
	assert_int_equal(store_outbox_failed(f->st, key, "bluesky", "x",
					     NOW + 1),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox: cannot "
			   "move 'https://example.org/link' on bluesky from "
			   "sent to failed\n"
			   "hint: it was posted already: it is never posted "
			   "again\n");
	get(f, "bluesky", &e);
	assert_int_equal(e.state, STORE_OUTBOX_SENT);
	assert_int_equal(e.attempts, 1);
	assert_int_equal(e.updated_at, NOW);
	store_outbox_entry_release(&e);
}

static void
test_store_outbox_checks_every_move(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_entry e;

	assert_int_equal(store_outbox_add(f->st, key, "facebook", NOW, NULL),
			 0);
	/* pending may only go to sending. */
	assert_int_equal(store_outbox_sent(f->st, key, "facebook", NULL, NULL,
					   NOW),
			 -1);
	assert_int_equal(store_outbox_unknown(f->st, key, "facebook", "?",
					      NOW),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox: cannot "
			   "move 'https://example.org/link' on facebook from "
			   "pending to sent\n"
			   "error: SITE/.curator/state.db: outbox: cannot "
			   "move 'https://example.org/link' on facebook from "
			   "pending to unknown\n");
	/* Facebook has no key: NULL is a key too, and must stay NULL. */
	assert_int_equal(store_outbox_sending(f->st, key, "facebook", NULL,
					      NOW),
			 0);
	assert_int_equal(store_outbox_sending(f->st, key, "facebook", "k2",
					      NOW),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox: "
			   "'https://example.org/link' on facebook is being "
			   "sent with key '': a resend must use the same key\n"
			   "hint: check whether the first request was posted "
			   "before sending another one\n");
	/* sending -> failed -> sending (retry, a new key and time). */
	assert_int_equal(store_outbox_failed(f->st, key, "facebook",
					     "HTTP 400: bad request", NOW + 1),
			 0);
	get(f, "facebook", &e);
	assert_int_equal(e.state, STORE_OUTBOX_FAILED);
	assert_string_equal(e.last_error, "HTTP 400: bad request");
	store_outbox_entry_release(&e);
	assert_int_equal(store_outbox_sending(f->st, key, "facebook", "k2",
					      NOW + 100),
			 0);
	get(f, "facebook", &e);
	assert_int_equal(e.attempts, 2);
	assert_string_equal(e.send_key, "k2");
	assert_int_equal(e.sending_since, NOW + 100);
	store_outbox_entry_release(&e);
	/* sending -> unknown -> sent (a later check found the post). */
	assert_int_equal(store_outbox_unknown(f->st, key, "facebook",
					      "timeout after the request",
					      NOW + 200),
			 0);
	assert_int_equal(store_outbox_sending(f->st, key, "facebook", "k2",
					      NOW + 300),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox: cannot "
			   "move 'https://example.org/link' on facebook from "
			   "unknown to sending\n");
	assert_int_equal(store_outbox_sent(f->st, key, "facebook", "55_66",
					   NULL, NOW + 400),
			 0);
	get(f, "facebook", &e);
	assert_int_equal(e.state, STORE_OUTBOX_SENT);
	assert_null(e.last_error);
	assert_string_equal(e.remote_id, "55_66");
	store_outbox_entry_release(&e);

	assert_int_equal(store_outbox_sending(f->st, "https://nowhere.example",
					      "facebook", NULL, NOW),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox: no entry "
			   "for 'https://nowhere.example' on facebook\n");
}

static int
synchronous_mode(struct store *st)
{
	sqlite3_stmt *stmt = NULL;
	int mode;

	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA synchronous", -1,
					    &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	mode = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return mode;
}

static void
test_store_outbox_sending_is_committed_before_it_returns(void **state)
{
	struct fixture *f = *state;
	struct report rep;
	struct store *other;
	struct store_outbox_entry e;

	assert_int_equal(store_outbox_add(f->st, key, "mastodon", NOW, NULL),
			 0);
	assert_int_equal(store_outbox_sending(f->st, key, "mastodon", "idem",
					      NOW),
			 0);
	/* Another connection (another process after a crash) sees it. */
	report_init_collect(&rep);
	other = store_open(&rep, f->dir);
	assert_non_null(other);
	assert_int_equal(store_outbox_get(other, key, "mastodon", &e), 1);
	assert_int_equal(e.state, STORE_OUTBOX_SENDING);
	assert_string_equal(e.send_key, "idem");
	store_outbox_entry_release(&e);
	store_close(other);
	report_release(&rep);
	/* The rest of the store is back to NORMAL (1). */
	assert_int_equal(synchronous_mode(f->st), 1);
}

static void
test_store_outbox_refuses_to_run_inside_a_transaction(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_entry e;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_add(f->st, key, "mastodon", NOW, NULL),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: outbox changes "
			   "cannot run inside another transaction\n");
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_outbox_get(f->st, key, "mastodon", &e), 0);
}

static void
test_store_outbox_lists_by_state(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_entry *list;
	size_t n;

	assert_int_equal(store_outbox_add(f->st, "b", "mastodon", NOW, NULL),
			 0);
	assert_int_equal(store_outbox_add(f->st, "a", "mastodon", NOW, NULL),
			 0);
	assert_int_equal(store_outbox_add(f->st, "a", "bluesky", NOW, NULL),
			 0);
	assert_int_equal(store_outbox_sending(f->st, "b", "mastodon", "k",
					      NOW),
			 0);
	assert_int_equal(store_outbox_list(f->st, -1, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].item_key, "a");
	assert_string_equal(list[0].network, "bluesky");
	assert_string_equal(list[1].item_key, "a");
	assert_string_equal(list[1].network, "mastodon");
	assert_string_equal(list[2].item_key, "b");
	store_outbox_free(list, n);
	assert_int_equal(store_outbox_list(f->st, STORE_OUTBOX_SENDING, &list,
					   &n),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].item_key, "b");
	assert_string_equal(store_outbox_state_name(list[0].state),
			    "sending");
	store_outbox_free(list, n);
	assert_int_equal(store_outbox_list(f->st, STORE_OUTBOX_SENT, &list,
					   &n),
			 0);
	assert_int_equal(n, 0);
	assert_null(list);
}

#define TEST(name) \
	cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_store_outbox_goes_pending_sending_sent),
		TEST(test_store_outbox_refuses_to_leave_sent),
		TEST(test_store_outbox_checks_every_move),
		TEST(test_store_outbox_sending_is_committed_before_it_returns),
		TEST(test_store_outbox_refuses_to_run_inside_a_transaction),
		TEST(test_store_outbox_lists_by_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
