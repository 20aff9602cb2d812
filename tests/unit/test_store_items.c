/*
 * Items: the content hash, writing and updating, duplicates across
 * sources, picks and dismissals, retention.
 */
#include "unit/store_fixture.h"

#include "core/url.h"

static const char feed_a[] = "https://a.example/feed";
static const char feed_b[] = "https://b.example/feed";

static void
get(struct fixture *f, int64_t id, struct store_item *out)
{
	assert_int_equal(store_item_get(f->st, id, out), 1);
}

static bool
has_real_normalizer(void)
{
	struct buf out = BUF_INIT;
	int rc = url_normalize("HTTP://Example.ORG/", 19, &out);

	buf_release(&out);
	return rc == 0;
}

static void
test_store_item_hash_covers_content_not_identity(void **state)
{
	struct feed_item a = make_item("1", "https://example.org/1", "Title");
	struct feed_item b = a;
	char ha[STORE_HASH_SIZE], hb[STORE_HASH_SIZE];
	size_t i;

	(void)state;
	store_item_hash(&a, ha);
	assert_int_equal(strlen(ha), 16);
	for (i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", ha[i]));

	b.id = "another-guid";
	store_item_hash(&b, hb);
	assert_string_equal(ha, hb);

	b.title = "  Title\n";
	b.summary = "";
	store_item_hash(&b, hb);
	assert_string_equal(ha, hb);

	b = a;
	b.title = "Titl";
	b.author = "e";
	store_item_hash(&b, hb);
	assert_string_not_equal(ha, hb);

	b = a;
	b.has_published = true;
	b.published = 0;
	store_item_hash(&b, hb);
	assert_string_not_equal(ha, hb);

	b = a;
	b.url = "https://example.org/2";
	store_item_hash(&b, hb);
	assert_string_not_equal(ha, hb);
}

static void
test_store_item_round_trips_every_field(void **state)
{
	struct fixture *f = *state;
	struct feed_enclosure enclosures[2] = {
		{ "https://example.org/ep1.mp3", "audio/mpeg", 31415926 },
		{ "https://example.org/ep1.ogg", NULL, -1 },
	};
	char *categories[] = { "Musique", "Jazz & blues", "Été" };
	struct feed_item in = make_item("urn:uuid:1", "https://example.org/1",
					"Épisode 1 : « Le jazz »");
	struct store_put_stats stats;
	struct store_item out;
	int64_t a = add_source(f, feed_a, "A");

	in.author = "Zoé";
	in.has_published = true;
	in.published = NOW - 3 * HOUR;
	in.has_updated = true;
	in.updated = NOW - HOUR;
	in.summary = "Une heure de jazz.";
	in.content_html = "<p>Une heure de <em>jazz</em>.</p>";
	in.image = "https://example.org/cover.jpg";
	in.language = "fr";
	in.categories = categories;
	in.ncategories = 3;
	in.enclosures = enclosures;
	in.nenclosures = 2;
	put_one(f, a, &in, NOW, &stats);
	assert_int_equal(stats.added, 1);

	get(f, 1, &out);
	assert_int_equal(out.id, 1);
	assert_int_equal(out.source_id, a);
	assert_int_equal(out.nsources, 1);
	assert_int_equal(out.source_ids[0], a);
	assert_string_equal(out.item.id, "urn:uuid:1");
	assert_string_equal(out.item.url, "https://example.org/1");
	assert_string_equal(out.norm_url, "https://example.org/1");
	assert_string_equal(out.item.title, "Épisode 1 : « Le jazz »");
	assert_string_equal(out.item.author, "Zoé");
	assert_true(out.item.has_published);
	assert_int_equal(out.item.published, NOW - 3 * HOUR);
	assert_true(out.item.has_updated);
	assert_int_equal(out.item.updated, NOW - HOUR);
	assert_string_equal(out.item.summary, "Une heure de jazz.");
	assert_string_equal(out.item.content_html,
			    "<p>Une heure de <em>jazz</em>.</p>");
	assert_string_equal(out.item.image, "https://example.org/cover.jpg");
	assert_string_equal(out.item.language, "fr");
	assert_int_equal(out.item.ncategories, 3);
	assert_string_equal(out.item.categories[0], "Musique");
	assert_string_equal(out.item.categories[1], "Jazz & blues");
	assert_string_equal(out.item.categories[2], "Été");
	assert_int_equal(out.item.nenclosures, 2);
	assert_string_equal(out.item.enclosures[0].url,
			    "https://example.org/ep1.mp3");
	assert_string_equal(out.item.enclosures[0].type, "audio/mpeg");
	assert_int_equal(out.item.enclosures[0].length, 31415926);
	assert_string_equal(out.item.enclosures[1].url,
			    "https://example.org/ep1.ogg");
	assert_null(out.item.enclosures[1].type);
	assert_int_equal(out.item.enclosures[1].length, -1);
	assert_int_equal(out.first_seen, NOW);
	assert_int_equal(out.last_seen, NOW);
	assert_int_equal(out.changed_at, NOW);
	assert_false(out.is_picked);
	assert_false(out.is_dismissed);
	store_item_release(&out);
	assert_int_equal(store_item_get(f->st, 2, &out), 0);
}

static void
test_store_item_seen_again_updates_only_on_a_new_hash(void **state)
{
	struct fixture *f = *state;
	struct feed_item item = make_item("g1", "https://example.org/1", "v1");
	struct store_put_stats stats;
	struct store_item out;
	char first_hash[STORE_HASH_SIZE];
	int64_t a = add_source(f, feed_a, NULL);

	put_one(f, a, &item, NOW, &stats);
	get(f, 1, &out);
	memcpy(first_hash, out.hash, sizeof(first_hash));
	store_item_release(&out);

	put_one(f, a, &item, NOW + HOUR, &stats);
	assert_int_equal(stats.added, 0);
	assert_int_equal(stats.unchanged, 1);
	assert_int_equal(stats.updated, 0);
	get(f, 1, &out);
	assert_int_equal(out.first_seen, NOW);
	assert_int_equal(out.last_seen, NOW + HOUR);
	assert_int_equal(out.changed_at, NOW);
	assert_string_equal(out.hash, first_hash);
	store_item_release(&out);

	item.title = "v2";
	put_one(f, a, &item, NOW + 2 * HOUR, &stats);
	assert_int_equal(stats.updated, 1);
	assert_int_equal(stats.unchanged, 0);
	get(f, 1, &out);
	assert_string_equal(out.item.title, "v2");
	assert_int_equal(out.first_seen, NOW);
	assert_int_equal(out.last_seen, NOW + 2 * HOUR);
	assert_int_equal(out.changed_at, NOW + 2 * HOUR);
	assert_string_not_equal(out.hash, first_hash);
	store_item_release(&out);
	assert_int_equal(count_items(f), 1);
}

static void
test_store_item_shared_by_two_sources_is_kept_once(void **state)
{
	struct fixture *f = *state;
	struct feed_item from_a =
		make_item("a-42", "https://news.example/story", "Story");
	struct feed_item from_b =
		make_item("tag:b,2026:42", "https://news.example/story",
			  "Story (syndicated)");
	struct store_put_stats stats;
	struct store_item out;
	int64_t a = add_source(f, feed_a, "A");
	int64_t b = add_source(f, feed_b, "B");

	put_one(f, a, &from_a, NOW, &stats);
	put_one(f, b, &from_b, NOW + HOUR, &stats);
	assert_int_equal(stats.added, 0);
	assert_int_equal(stats.linked, 1);
	assert_int_equal(count_items(f), 1);
	get(f, 1, &out);
	assert_int_equal(out.source_id, a);
	assert_int_equal(out.nsources, 2);
	assert_int_equal(out.source_ids[0], a);
	assert_int_equal(out.source_ids[1], b);
	/* A's copy stays: the second source does not overwrite it. */
	assert_string_equal(out.item.title, "Story");
	assert_string_equal(out.item.id, "a-42");
	assert_int_equal(out.first_seen, NOW);
	assert_int_equal(out.last_seen, NOW + HOUR);
	store_item_release(&out);

	/* Seen again from B: recognised by B's guid. */
	put_one(f, b, &from_b, NOW + 2 * HOUR, &stats);
	assert_int_equal(stats.unchanged, 1);
	assert_int_equal(count_items(f), 1);
}

static void
test_store_item_dedupe_with_the_real_normalizer(void **state)
{
	struct fixture *f = *state;
	struct feed_item from_a = make_item(
		"a-1", "HTTP://News.Example:80/story?utm_source=rss&id=7#top",
		"Story");
	struct feed_item from_b =
		make_item("b-1", "http://news.example/story?id=7", "Story");
	struct store_put_stats stats;
	int64_t a, b;

	if (!has_real_normalizer())
		skip(); /* NOTE: needs core/url.c's url_normalize */
	a = add_source(f, feed_a, NULL);
	b = add_source(f, feed_b, NULL);
	put_one(f, a, &from_a, NOW, &stats);
	put_one(f, b, &from_b, NOW, &stats);
	assert_int_equal(stats.linked, 1);
	assert_int_equal(count_items(f), 1);
}

static void
test_store_items_of_one_feed_sharing_a_link_stay_apart(void **state)
{
	struct fixture *f = *state;
	/* A podcast whose episodes all link to the show's page. */
	struct feed_item episodes[3] = {
		make_item("ep1", "https://radio.example/show", "Episode 1"),
		make_item("ep2", "https://radio.example/show", "Episode 2"),
		make_item("ep3", "https://radio.example/show", "Episode 3"),
	};
	struct feed_item no_link[2] = {
		make_item("same-guid", NULL, "In A"),
		make_item("same-guid", NULL, "In B"),
	};
	struct store_put_stats stats;
	int64_t a = add_source(f, feed_a, NULL);
	int64_t b = add_source(f, feed_b, NULL);

	assert_int_equal(store_put_items(f->st, a, episodes, 3, NOW, &stats),
			 0);
	assert_int_equal(stats.added, 3);
	/* The same guid in two feeds is not the same item. */
	put_one(f, a, &no_link[0], NOW, &stats);
	put_one(f, b, &no_link[1], NOW, &stats);
	assert_int_equal(stats.added, 1);
	assert_int_equal(count_items(f), 5);
}

static void
test_store_put_items_is_one_transaction(void **state)
{
	struct fixture *f = *state;
	struct feed_item items[2] = {
		make_item("1", "https://example.org/1", "One"),
		make_item("2", "https://example.org/2", "Two"),
	};
	struct store_put_stats stats = { 9, 9, 9, 9 };

	/* No source 999: the foreign key fails on the first item. */
	assert_int_equal(store_put_items(f->st, 999, items, 2, NOW, &stats),
			 -1);
	assert_messages(f, "error: SITE/.curator/state.db: cannot save an "
			   "item: FOREIGN KEY constraint failed\n");
	assert_int_equal(count_items(f), 0);
	assert_int_equal(stats.added, 0);
	assert_int_equal(store_put_items(f->st, add_source(f, feed_a, NULL),
					 items, 2, NOW, &stats),
			 0);
	assert_int_equal(stats.added, 2);
}

static void
test_store_queue_hides_picked_and_dismissed_items(void **state)
{
	struct fixture *f = *state;
	struct feed_item items[3] = {
		make_item("1", "https://example.org/1", "One"),
		make_item("2", "https://example.org/2", "Two"),
		make_item("3", "https://example.org/3", "Three"),
	};
	struct store_item_query queue = { 0, true, false, 0, 0 };
	struct store_item_query picked = { 0, false, true, 0, 0 };
	struct store_put_stats stats;
	struct store_item *list;
	struct store_item out;
	int64_t a = add_source(f, feed_a, NULL);
	size_t n;

	items[0].has_published = true;
	items[0].published = NOW - 3 * DAY;
	items[1].has_published = true;
	items[1].published = NOW - 1 * DAY;
	items[2].has_published = true;
	items[2].published = NOW - 2 * DAY;
	assert_int_equal(store_put_items(f->st, a, items, 3, NOW, &stats), 0);
	assert_int_equal(store_items_list(f->st, &queue, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].item.title, "Two");
	assert_string_equal(list[1].item.title, "Three");
	assert_string_equal(list[2].item.title, "One");
	store_items_free(list, n);

	assert_int_equal(store_item_dismiss(f->st, 2, "Marc", NOW + 1), 0);
	assert_int_equal(store_item_pick(f->st, 3, "Anne", NOW + 2), 0);
	assert_int_equal(store_items_list(f->st, &queue, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].item.title, "One");
	store_items_free(list, n);
	assert_int_equal(store_items_list(f->st, &picked, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].item.title, "Three");
	assert_true(list[0].is_picked);
	assert_int_equal(list[0].picked_at, NOW + 2);
	assert_string_equal(list[0].picked_by, "Anne");
	store_items_free(list, n);

	get(f, 2, &out);
	assert_true(out.is_dismissed);
	assert_string_equal(out.dismissed_by, "Marc");
	assert_int_equal(out.dismissed_at, NOW + 1);
	store_item_release(&out);

	/* Picking a dismissed item brings it back as picked. */
	assert_int_equal(store_item_pick(f->st, 2, NULL, NOW + 3), 0);
	get(f, 2, &out);
	assert_true(out.is_picked);
	assert_false(out.is_dismissed);
	assert_null(out.picked_by);
	store_item_release(&out);

	assert_int_equal(store_item_dismiss(f->st, 3, "Marc", NOW + 4), -1);
	assert_messages(f, "error: SITE/.curator/state.db: item 3 is picked: "
			   "it cannot be dismissed\n"
			   "hint: delete its tagged link in links/ instead\n");
	assert_int_equal(store_item_pick(f->st, 77, "Anne", NOW), -1);
	assert_messages(f, "error: SITE/.curator/state.db: no item with id "
			   "77\n"
			   "hint: 'curator queue' lists the items and their "
			   "ids\n");
	assert_int_equal(store_item_dismiss(f->st, 77, "Anne", NOW), -1);
	assert_messages(f, "error: SITE/.curator/state.db: no item with id "
			   "77\n"
			   "hint: 'curator queue' lists the items and their "
			   "ids\n");
}

static void
test_store_items_list_filters_by_source_since_and_limit(void **state)
{
	struct fixture *f = *state;
	struct feed_item one = make_item("1", "https://a.example/1", "One");
	struct feed_item two = make_item("2", "https://b.example/2", "Two");
	struct feed_item three = make_item("3", "https://b.example/3", "3");
	struct store_item_query q = { 0, false, false, 0, 0 };
	struct store_put_stats stats;
	struct store_item *list;
	int64_t a = add_source(f, feed_a, NULL);
	int64_t b = add_source(f, feed_b, NULL);
	size_t n;

	put_one(f, a, &one, NOW, &stats);
	put_one(f, b, &two, NOW + DAY, &stats);
	put_one(f, b, &three, NOW + 2 * DAY, &stats);
	q.source_id = b;
	assert_int_equal(store_items_list(f->st, &q, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].item.title, "3");
	assert_string_equal(list[1].item.title, "Two");
	store_items_free(list, n);
	q.source_id = 0;
	q.since = NOW + DAY;
	q.limit = 1;
	assert_int_equal(store_items_list(f->st, &q, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].item.title, "3");
	store_items_free(list, n);
}

/* Source a carries items 0..n-1, fetched once a day: item i last seen on
 * day i. */
static void
fill_days(struct fixture *f, int64_t source_id, int days, int64_t start)
{
	struct store_put_stats stats;
	struct feed_item item;
	char guid[32], url[64];
	int i;

	for (i = 0; i < days; i++) {
		snprintf(guid, sizeof(guid), "day-%d", i);
		snprintf(url, sizeof(url), "https://a.example/day/%d", i);
		item = make_item(guid, url, guid);
		put_one(f, source_id, &item, start + i * DAY, &stats);
	}
}

static void
test_store_prune_by_age_keeps_picked_and_current_items(void **state)
{
	struct fixture *f = *state;
	struct store_item *list;
	int64_t a = add_source(f, feed_a, NULL);
	size_t deleted, n;

	fill_days(f, a, 10, NOW);
	/* Item 1 was picked; items 0..4 are older than 5 days at day 9. */
	assert_int_equal(store_item_pick(f->st, 2, "Anne", NOW), 0);
	assert_int_equal(store_prune(f->st, 5, 0, NOW + 9 * DAY + 1,
				     &deleted),
			 0);
	assert_int_equal(deleted, 4);
	assert_int_equal(store_items_list(f->st, NULL, &list, &n), 0);
	assert_int_equal(n, 6);
	assert_string_equal(list[0].item.title, "day-9");
	assert_string_equal(list[4].item.title, "day-5");
	assert_string_equal(list[5].item.title, "day-1");
	store_items_free(list, n);

	/* Long after: the latest batch (day 9) still stays, as picked. */
	assert_int_equal(store_prune(f->st, 5, 0, NOW + 400 * DAY, &deleted),
			 0);
	assert_int_equal(deleted, 4);
	assert_int_equal(store_items_list(f->st, NULL, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].item.title, "day-9");
	assert_string_equal(list[1].item.title, "day-1");
	store_items_free(list, n);
	assert_int_equal(store_check(f->st), 0);
}

static void
test_store_prune_per_source_keeps_the_newest(void **state)
{
	struct fixture *f = *state;
	struct store_put_stats stats;
	struct feed_item shared =
		make_item("b-0", "https://a.example/day/0", "shared");
	struct store_item *list;
	int64_t a = add_source(f, feed_a, NULL);
	int64_t b = add_source(f, feed_b, NULL);
	size_t deleted, n;

	fill_days(f, a, 8, NOW);
	/* day-0 is also carried, recently, by source b. */
	put_one(f, b, &shared, NOW + 7 * DAY, &stats);
	assert_int_equal(stats.linked, 1);
	assert_int_equal(store_item_pick(f->st, 2, NULL, NOW), 0);
	assert_int_equal(store_prune(f->st, 0, 3, NOW + 8 * DAY, &deleted), 0);
	/* Kept: day-7 .. day-5 (newest 3 of a), day-1 (picked), day-0 (b's
	 * newest). */
	assert_int_equal(deleted, 3);
	assert_int_equal(store_items_list(f->st, NULL, &list, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(list[0].item.title, "day-7");
	assert_string_equal(list[1].item.title, "day-6");
	assert_string_equal(list[2].item.title, "day-5");
	assert_string_equal(list[3].item.title, "day-1");
	assert_string_equal(list[4].item.title, "day-0");
	store_items_free(list, n);
	assert_int_equal(store_prune(f->st, 0, 0, NOW + 900 * DAY, &deleted),
			 0);
	assert_int_equal(deleted, 0);
}

#define TEST(name) \
	cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_store_item_hash_covers_content_not_identity),
		TEST(test_store_item_round_trips_every_field),
		TEST(test_store_item_seen_again_updates_only_on_a_new_hash),
		TEST(test_store_item_shared_by_two_sources_is_kept_once),
		TEST(test_store_item_dedupe_with_the_real_normalizer),
		TEST(test_store_items_of_one_feed_sharing_a_link_stay_apart),
		TEST(test_store_put_items_is_one_transaction),
		TEST(test_store_queue_hides_picked_and_dismissed_items),
		TEST(test_store_items_list_filters_by_source_since_and_limit),
		TEST(test_store_prune_by_age_keeps_picked_and_current_items),
		TEST(test_store_prune_per_source_keeps_the_newest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
