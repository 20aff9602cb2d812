/*
 * The schema, as the list of forward steps that build it. store.h describes
 * the tables field by field.
 *
 * NOTE: never edit a step that has shipped: a database already at its
 * version would not run it again. Append a new step instead (and bump
 * STORE_SCHEMA_VERSION to the new length of the list).
 */
#include "store/store_int.h"

const struct store_migration store_migrations[] = {
	{
		"sources and items",
		"CREATE TABLE sources ("
		" id INTEGER PRIMARY KEY,"
		" url TEXT NOT NULL UNIQUE,"
		" title TEXT,"
		" topics TEXT,"
		" html_url TEXT,"
		" etag TEXT,"
		" last_modified TEXT,"
		" added_at INTEGER NOT NULL,"
		" last_fetch INTEGER,"
		" last_status INTEGER NOT NULL DEFAULT 0,"
		" last_error TEXT,"
		" failures INTEGER NOT NULL DEFAULT 0,"
		" next_fetch INTEGER NOT NULL DEFAULT 0,"
		" is_gone INTEGER NOT NULL DEFAULT 0,"
		" previous_url TEXT"
		");"
		"CREATE TABLE items ("
		" id INTEGER PRIMARY KEY,"
		" source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,"
		" guid TEXT NOT NULL,"
		" url TEXT,"
		" norm_url TEXT,"
		" title TEXT,"
		" author TEXT,"
		" published INTEGER,"
		" updated INTEGER,"
		" summary TEXT,"
		" content_html TEXT,"
		" image TEXT,"
		" language TEXT,"
		" categories TEXT NOT NULL DEFAULT '[]',"
		" enclosures TEXT NOT NULL DEFAULT '[]',"
		" hash TEXT NOT NULL,"
		" first_seen INTEGER NOT NULL,"
		" last_seen INTEGER NOT NULL,"
		" changed_at INTEGER NOT NULL,"
		" picked_at INTEGER,"
		" picked_by TEXT,"
		" dismissed_at INTEGER,"
		" dismissed_by TEXT"
		");"
		"CREATE INDEX items_norm_url ON items(norm_url)"
		" WHERE norm_url IS NOT NULL;"
		"CREATE INDEX items_source ON items(source_id);"
		"CREATE TABLE item_sources ("
		" item_id INTEGER NOT NULL"
		"  REFERENCES items(id) ON DELETE CASCADE,"
		" source_id INTEGER NOT NULL"
		"  REFERENCES sources(id) ON DELETE CASCADE,"
		" guid TEXT NOT NULL,"
		" first_seen INTEGER NOT NULL,"
		" last_seen INTEGER NOT NULL,"
		" PRIMARY KEY (item_id, source_id)"
		") WITHOUT ROWID;"
		"CREATE UNIQUE INDEX item_sources_guid"
		" ON item_sources(source_id, guid);",
	},
	{
		"crosspost outbox",
		"CREATE TABLE outbox ("
		" id INTEGER PRIMARY KEY,"
		" item_key TEXT NOT NULL,"
		" network TEXT NOT NULL,"
		" state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
		"  ('pending', 'sending', 'sent', 'failed', 'unknown')),"
		" send_key TEXT,"
		" remote_id TEXT,"
		" remote_url TEXT,"
		" attempts INTEGER NOT NULL DEFAULT 0,"
		" created_at INTEGER NOT NULL,"
		" updated_at INTEGER NOT NULL,"
		" sending_since INTEGER,"
		" last_error TEXT,"
		" UNIQUE (item_key, network)"
		");"
		"CREATE INDEX outbox_state ON outbox(state);",
	},
	{
		/* NOTE: every table that curator build reads must have these
		 * three triggers (test_store.c checks it): the build's
		 * fingerprint trusts the counter to move on any change. An
		 * update counts when a column other than the fetch's own
		 * bookkeeping changed (sources: etag, last_modified,
		 * last_fetch, last_status, last_error, failures, next_fetch;
		 * items and item_sources: last_seen), so that fetching a feed
		 * that did not change leaves the next build nothing to do;
		 * test_store.c checks the lists against the tables. */
		"change counter",
		"CREATE TABLE changes ("
		" id INTEGER PRIMARY KEY CHECK (id = 1),"
		" store_id TEXT NOT NULL,"
		" count INTEGER NOT NULL"
		");"
		"INSERT INTO changes VALUES"
		" (1, lower(hex(randomblob(16))), 0);"
		"CREATE TRIGGER sources_insert_counted"
		" AFTER INSERT ON sources"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER sources_update_counted AFTER UPDATE ON"
		" sources"
		" WHEN (OLD.id, OLD.url, OLD.title, OLD.topics, OLD.html_url,"
		" OLD.added_at, OLD.is_gone, OLD.previous_url) IS NOT (NEW.id,"
		" NEW.url, NEW.title, NEW.topics, NEW.html_url, NEW.added_at,"
		" NEW.is_gone, NEW.previous_url)"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER sources_delete_counted"
		" AFTER DELETE ON sources"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER items_insert_counted"
		" AFTER INSERT ON items"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER items_update_counted AFTER UPDATE ON items"
		" WHEN (OLD.id, OLD.source_id, OLD.guid, OLD.url,"
		" OLD.norm_url, OLD.title, OLD.author, OLD.published,"
		" OLD.updated, OLD.summary, OLD.content_html, OLD.image,"
		" OLD.language, OLD.categories, OLD.enclosures, OLD.hash,"
		" OLD.first_seen, OLD.changed_at, OLD.picked_at,"
		" OLD.picked_by, OLD.dismissed_at, OLD.dismissed_by) IS NOT"
		" (NEW.id, NEW.source_id, NEW.guid, NEW.url, NEW.norm_url,"
		" NEW.title, NEW.author, NEW.published, NEW.updated,"
		" NEW.summary, NEW.content_html, NEW.image, NEW.language,"
		" NEW.categories, NEW.enclosures, NEW.hash, NEW.first_seen,"
		" NEW.changed_at, NEW.picked_at, NEW.picked_by,"
		" NEW.dismissed_at, NEW.dismissed_by)"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER items_delete_counted"
		" AFTER DELETE ON items"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER item_sources_insert_counted"
		" AFTER INSERT ON item_sources"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER item_sources_update_counted AFTER UPDATE ON"
		" item_sources"
		" WHEN (OLD.item_id, OLD.source_id, OLD.guid, OLD.first_seen)"
		" IS NOT (NEW.item_id, NEW.source_id, NEW.guid,"
		" NEW.first_seen)"
		" BEGIN UPDATE changes SET count = count + 1; END;"
		"CREATE TRIGGER item_sources_delete_counted"
		" AFTER DELETE ON item_sources"
		" BEGIN UPDATE changes SET count = count + 1; END;",
	},
};

const size_t store_nmigrations =
	sizeof(store_migrations) / sizeof(store_migrations[0]);

_Static_assert(sizeof(store_migrations) / sizeof(store_migrations[0]) ==
		       STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION is the number of migration steps");
