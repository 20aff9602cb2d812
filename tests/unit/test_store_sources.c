/*
 * Sources: upsert, validators, backoff, Retry-After, 410, 301/308 moves,
 * the health list and removal.
 */
#include "unit/store_fixture.h"

static const char feed[] = "https://example.org/feed";

static struct store_fetch_result
result(enum store_fetch_outcome outcome, long status)
{
	struct store_fetch_result res;

	memset(&res, 0, sizeof(res));
	res.outcome = outcome;
	res.http_status = status;
	res.retry_after = -1;
	return res;
}

static void
find(struct fixture *f, const char *url, struct store_source *out)
{
	assert_int_equal(store_source_find(f->st, url, out), 1);
}

static size_t
count_due(struct fixture *f, int64_t now, bool force)
{
	struct store_source *due;
	size_t n;

	assert_int_equal(store_sources_due(f->st, now, force, &due, &n), 0);
	store_sources_free(due, n);
	return n;
}

static void
test_store_source_upsert_keeps_fetch_state(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result ok = result(STORE_FETCH_OK, 200);
	struct store_source src, got;
	int64_t id, again;

	memset(&src, 0, sizeof(src));
	src.url = (char *)feed;
	src.title = "Actu BD";
	src.topics = "bd,manga";
	src.html_url = "https://example.org/";
	assert_int_equal(store_source_upsert(f->st, &src, NOW, &id), 0);
	ok.etag = "\"abc\"";
	assert_int_equal(store_source_record_fetch(f->st, id, &ok, NOW), 0);

	src.title = "Actualité BD";
	src.topics = "bd";
	assert_int_equal(store_source_upsert(f->st, &src, NOW + DAY, &again),
			 0);
	assert_int_equal(again, id);
	find(f, feed, &got);
	assert_int_equal(got.id, id);
	assert_string_equal(got.title, "Actualité BD");
	assert_string_equal(got.topics, "bd");
	assert_string_equal(got.html_url, "https://example.org/");
	assert_string_equal(got.etag, "\"abc\"");
	assert_int_equal(got.added_at, NOW);
	assert_int_equal(got.last_fetch, NOW);
	assert_int_equal(got.last_status, 200);
	store_source_release(&got);
	assert_int_equal(store_source_find(f->st, "https://nowhere.example/",
					   &got),
			 0);
	assert_null(got.url);
	assert_messages(f, "");
}

static void
test_store_source_keeps_and_replaces_validators(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result res = result(STORE_FETCH_OK, 200);
	struct store_source got;
	int64_t id = add_source(f, feed, NULL);

	res.etag = "\"v1\"";
	res.last_modified = "Tue, 24 Nov 2026 08:00:00 GMT";
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	find(f, feed, &got);
	assert_string_equal(got.etag, "\"v1\"");
	assert_string_equal(got.last_modified,
			    "Tue, 24 Nov 2026 08:00:00 GMT");
	store_source_release(&got);

	/* A 304 without validators keeps them. */
	res = result(STORE_FETCH_NOT_MODIFIED, 304);
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW + 1),
			 0);
	find(f, feed, &got);
	assert_string_equal(got.etag, "\"v1\"");
	assert_string_equal(got.last_modified,
			    "Tue, 24 Nov 2026 08:00:00 GMT");
	assert_int_equal(got.last_status, 304);
	assert_int_equal(got.last_fetch, NOW + 1);
	store_source_release(&got);

	/* A 304 with a new ETag replaces only the ETag. */
	res.etag = "\"v2\"";
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW + 2),
			 0);
	find(f, feed, &got);
	assert_string_equal(got.etag, "\"v2\"");
	assert_string_equal(got.last_modified,
			    "Tue, 24 Nov 2026 08:00:00 GMT");
	store_source_release(&got);

	/* A failure keeps them for the next conditional request. */
	res = result(STORE_FETCH_FAILED, 500);
	res.error = "HTTP 500";
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW + 3),
			 0);
	find(f, feed, &got);
	assert_string_equal(got.etag, "\"v2\"");
	store_source_release(&got);

	/* A 200 without validators clears them. */
	res = result(STORE_FETCH_OK, 200);
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW + 4),
			 0);
	find(f, feed, &got);
	assert_null(got.etag);
	assert_null(got.last_modified);
	store_source_release(&got);
}

static void
test_store_backoff_doubles_from_an_hour_up_to_a_day(void **state)
{
	static const int64_t want[] = {
		0, 3600, 7200, 14400, 28800, 57600, 86400, 86400,
	};
	long i;

	(void)state;
	for (i = 0; i < (long)(sizeof(want) / sizeof(want[0])); i++)
		assert_int_equal(store_backoff_delay(i), want[i]);
	assert_int_equal(store_backoff_delay(-1), 0);
	assert_int_equal(store_backoff_delay(1000), 86400);
}

static void
test_store_failing_source_backs_off_then_recovers(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result fail = result(STORE_FETCH_FAILED, 0);
	struct store_fetch_result ok = result(STORE_FETCH_OK, 200);
	struct store_source got;
	int64_t id = add_source(f, feed, "Feed");
	int64_t now = NOW;
	static const int64_t waits[] = { HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR,
					 16 * HOUR, DAY, DAY };
	size_t i;

	assert_int_equal(count_due(f, now, false), 1);
	fail.error = "cannot resolve host 'example.org'";
	for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		assert_int_equal(store_source_record_fetch(f->st, id, &fail,
							   now),
				 0);
		find(f, feed, &got);
		assert_int_equal(got.failures, (long)i + 1);
		assert_int_equal(got.next_fetch, now + waits[i]);
		assert_int_equal(got.last_status, 0);
		assert_string_equal(got.last_error,
				    "cannot resolve host 'example.org'");
		store_source_release(&got);
		assert_int_equal(count_due(f, now + waits[i] - 1, false), 0);
		assert_int_equal(count_due(f, now + waits[i] - 1, true), 1);
		now += waits[i];
		assert_int_equal(count_due(f, now, false), 1);
	}
	assert_int_equal(store_source_record_fetch(f->st, id, &ok, now), 0);
	find(f, feed, &got);
	assert_int_equal(got.failures, 0);
	assert_null(got.last_error);
	assert_int_equal(got.next_fetch, now);
	assert_int_equal(got.last_status, 200);
	store_source_release(&got);
	assert_int_equal(count_due(f, now, false), 1);
}

static void
test_store_retry_after_sets_the_next_fetch(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result res = result(STORE_FETCH_FAILED, 429);
	struct store_source got;
	int64_t id = add_source(f, feed, NULL);

	res.error = "HTTP 429";
	res.retry_after = 120;
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	find(f, feed, &got);
	assert_int_equal(got.next_fetch, NOW + 120);
	assert_int_equal(got.failures, 1);
	assert_int_equal(got.last_status, 429);
	store_source_release(&got);
	assert_int_equal(count_due(f, NOW + 119, false), 0);
	assert_int_equal(count_due(f, NOW + 120, false), 1);

	/* Longer than the backoff cap: still honoured. */
	res = result(STORE_FETCH_FAILED, 503);
	res.retry_after = 2 * DAY;
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	find(f, feed, &got);
	assert_int_equal(got.next_fetch, NOW + 2 * DAY);
	assert_int_equal(got.failures, 2);
	assert_string_equal(got.last_error, "failed");
	store_source_release(&got);

	/* A hostile value is capped at a week. */
	res.retry_after = 1000000000L;
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	find(f, feed, &got);
	assert_int_equal(got.next_fetch, NOW + 7 * DAY);
	store_source_release(&got);
}

static void
test_store_gone_source_is_never_due_until_reset(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result res = result(STORE_FETCH_GONE, 410);
	struct store_source got;
	int64_t id = add_source(f, feed, NULL);

	add_source(f, "https://other.example/feed", NULL);
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	find(f, feed, &got);
	assert_true(got.is_gone);
	assert_int_equal(got.last_status, 410);
	assert_string_equal(got.last_error, "gone (HTTP 410)");
	store_source_release(&got);
	assert_int_equal(count_due(f, NOW + 365 * DAY, false), 1);
	assert_int_equal(count_due(f, NOW + 365 * DAY, true), 1);
	/* Upserting it again (the OPML still lists it) does not revive it. */
	add_source(f, feed, "Still listed");
	assert_int_equal(count_due(f, NOW + DAY, true), 1);

	assert_int_equal(store_source_reset(f->st, id), 0);
	find(f, feed, &got);
	assert_false(got.is_gone);
	assert_int_equal(got.failures, 0);
	assert_null(got.last_error);
	store_source_release(&got);
	assert_int_equal(count_due(f, NOW, false), 2);
}

static void
test_store_permanent_redirect_moves_the_source(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result res = result(STORE_FETCH_OK, 200);
	struct store_put_stats stats;
	struct feed_item item = make_item("1", "https://example.org/1", "One");
	struct store_source got;
	int64_t id = add_source(f, "http://example.org/rss", "Feed");

	put_one(f, id, &item, NOW, &stats);
	res.moved_to = "https://example.org/feed.xml";
	res.etag = "\"new\"";
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	assert_messages(f, "");
	assert_int_equal(store_source_find(f->st, "http://example.org/rss",
					   &got),
			 0);
	find(f, "https://example.org/feed.xml", &got);
	assert_int_equal(got.id, id);
	assert_string_equal(got.previous_url, "http://example.org/rss");
	assert_string_equal(got.title, "Feed");
	assert_string_equal(got.etag, "\"new\"");
	assert_int_equal(got.nitems, 1);
	store_source_release(&got);
}

static void
test_store_redirect_onto_another_source_keeps_both(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result res = result(STORE_FETCH_NOT_MODIFIED, 304);
	struct store_source got;
	int64_t id = add_source(f, "http://example.org/rss", NULL);

	add_source(f, "https://example.org/feed.xml", NULL);
	res.moved_to = "https://example.org/feed.xml";
	assert_int_equal(store_source_record_fetch(f->st, id, &res, NOW), 0);
	assert_messages(f,
			"warning: http://example.org/rss: moved permanently "
			"to 'https://example.org/feed.xml', which is already "
			"a source: both kept\n"
			"hint: remove one of them with 'curator sources "
			"remove URL'\n");
	find(f, "http://example.org/rss", &got);
	assert_int_equal(got.id, id);
	assert_null(got.previous_url);
	assert_int_equal(got.last_status, 304);
	store_source_release(&got);
}

static void
test_store_record_fetch_of_an_unknown_source_fails(void **state)
{
	struct fixture *f = *state;
	struct store_fetch_result res = result(STORE_FETCH_OK, 200);

	assert_int_equal(store_source_record_fetch(f->st, 42, &res, NOW), -1);
	assert_messages(f, "error: SITE/.curator/state.db: no source with id "
			   "42\n");
}

static void
test_store_sources_list_is_ordered_with_counts(void **state)
{
	struct fixture *f = *state;
	struct store_put_stats stats;
	struct feed_item items[3] = {
		make_item("1", "https://b.example/1", "One"),
		make_item("2", "https://b.example/2", "Two"),
		make_item("3", "https://b.example/3", "Three"),
	};
	struct store_source *list;
	int64_t b = add_source(f, "https://b.example/feed", "B");
	size_t n;

	add_source(f, "https://c.example/feed", "C");
	add_source(f, "https://a.example/feed", "A");
	assert_int_equal(store_put_items(f->st, b, items, 3, NOW, &stats), 0);
	assert_int_equal(store_sources_list(f->st, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].url, "https://a.example/feed");
	assert_string_equal(list[1].url, "https://b.example/feed");
	assert_string_equal(list[2].url, "https://c.example/feed");
	assert_int_equal(list[0].nitems, 0);
	assert_int_equal(list[1].nitems, 3);
	assert_int_equal(list[2].nitems, 0);
	store_sources_free(list, n);
}

static void
test_store_source_remove_keeps_shared_and_picked_items(void **state)
{
	struct fixture *f = *state;
	struct store_put_stats stats;
	struct feed_item mine = make_item("m", "https://a.example/m", "Mine");
	struct feed_item shared =
		make_item("s", "https://news.example/s", "Shared");
	struct feed_item picked =
		make_item("p", "https://a.example/p", "Picked");
	struct store_item *items;
	int64_t a = add_source(f, "https://a.example/feed", "A");
	int64_t b = add_source(f, "https://b.example/feed", "B");
	size_t n;

	put_one(f, a, &mine, NOW, &stats);
	put_one(f, a, &shared, NOW, &stats);
	put_one(f, a, &picked, NOW, &stats);
	shared.id = "b-s";
	put_one(f, b, &shared, NOW, &stats);
	assert_int_equal(stats.linked, 1);
	assert_int_equal(store_item_pick(f->st, 3, "Anne", NOW), 0);

	assert_int_equal(store_source_remove(f->st, "https://a.example/feed"),
			 1);
	assert_int_equal(store_source_remove(f->st, "https://a.example/feed"),
			 0);
	assert_int_equal(store_items_list(f->st, NULL, &items, &n), 0);
	assert_int_equal(n, 2);
	/* Newest first; same date: higher id first. */
	assert_string_equal(items[0].item.title, "Picked");
	assert_int_equal(items[0].source_id, 0);
	assert_int_equal(items[0].nsources, 0);
	assert_string_equal(items[1].item.title, "Shared");
	assert_int_equal(items[1].source_id, b);
	assert_string_equal(items[1].item.id, "b-s");
	assert_int_equal(items[1].nsources, 1);
	assert_int_equal(items[1].source_ids[0], b);
	store_items_free(items, n);
	assert_int_equal(store_check(f->st), 0);
	assert_messages(f, "");
}

#define TEST(name) \
	cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_store_source_upsert_keeps_fetch_state),
		TEST(test_store_source_keeps_and_replaces_validators),
		TEST(test_store_backoff_doubles_from_an_hour_up_to_a_day),
		TEST(test_store_failing_source_backs_off_then_recovers),
		TEST(test_store_retry_after_sets_the_next_fetch),
		TEST(test_store_gone_source_is_never_due_until_reset),
		TEST(test_store_permanent_redirect_moves_the_source),
		TEST(test_store_redirect_onto_another_source_keeps_both),
		TEST(test_store_record_fetch_of_an_unknown_source_fails),
		TEST(test_store_sources_list_is_ordered_with_counts),
		TEST(test_store_source_remove_keeps_shared_and_picked_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
