/*
 * The store as JSON, for end-to-end tests and debugging. Each section is a
 * query whose columns are described by a table: the JSON key and how the
 * value is written.
 */
#include "store/store_int.h"

#include <jansson.h>

enum column_kind {
	COLUMN_TEXT, /* string or null */
	COLUMN_INT,  /* integer or null */
	COLUMN_BOOL,
	COLUMN_JSON, /* JSON text stored in the column, embedded as is */
};

struct column {
	const char *key;
	enum column_kind kind;
};

struct section {
	const char *key;
	const char *sql;
	const struct column *columns;
	size_t ncolumns;
};

static const struct column source_columns[] = {
	{ "url", COLUMN_TEXT },
	{ "title", COLUMN_TEXT },
	{ "topics", COLUMN_TEXT },
	{ "html_url", COLUMN_TEXT },
	{ "etag", COLUMN_TEXT },
	{ "last_modified", COLUMN_TEXT },
	{ "added_at", COLUMN_INT },
	{ "last_fetch", COLUMN_INT },
	{ "last_status", COLUMN_INT },
	{ "last_error", COLUMN_TEXT },
	{ "failures", COLUMN_INT },
	{ "next_fetch", COLUMN_INT },
	{ "is_gone", COLUMN_BOOL },
	{ "previous_url", COLUMN_TEXT },
	{ "items", COLUMN_INT },
};

static const struct column item_columns[] = {
	{ "url", COLUMN_TEXT },
	{ "norm_url", COLUMN_TEXT },
	{ "guid", COLUMN_TEXT },
	{ "source", COLUMN_TEXT },
	{ "sources", COLUMN_JSON },
	{ "title", COLUMN_TEXT },
	{ "author", COLUMN_TEXT },
	{ "published", COLUMN_INT },
	{ "updated", COLUMN_INT },
	{ "summary", COLUMN_TEXT },
	{ "content_html", COLUMN_TEXT },
	{ "image", COLUMN_TEXT },
	{ "language", COLUMN_TEXT },
	{ "categories", COLUMN_JSON },
	{ "enclosures", COLUMN_JSON },
	{ "hash", COLUMN_TEXT },
	{ "first_seen", COLUMN_INT },
	{ "last_seen", COLUMN_INT },
	{ "changed_at", COLUMN_INT },
	{ "picked_at", COLUMN_INT },
	{ "picked_by", COLUMN_TEXT },
	{ "dismissed_at", COLUMN_INT },
	{ "dismissed_by", COLUMN_TEXT },
};

static const struct column outbox_columns[] = {
	{ "item_key", COLUMN_TEXT },
	{ "network", COLUMN_TEXT },
	{ "state", COLUMN_TEXT },
	{ "send_key", COLUMN_TEXT },
	{ "remote_id", COLUMN_TEXT },
	{ "remote_url", COLUMN_TEXT },
	{ "attempts", COLUMN_INT },
	{ "created_at", COLUMN_INT },
	{ "updated_at", COLUMN_INT },
	{ "sending_since", COLUMN_INT },
	{ "last_error", COLUMN_TEXT },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct section sections[] = {
	{
		"sources",
		"SELECT url, title, topics, html_url, etag, last_modified,"
		" added_at, last_fetch, last_status, last_error, failures,"
		" next_fetch, is_gone, previous_url,"
		" (SELECT count(*) FROM item_sources x"
		"  WHERE x.source_id = s.id)"
		" FROM sources s ORDER BY url",
		source_columns,
		COUNT(source_columns),
	},
	{
		"items",
		"SELECT i.url, i.norm_url, i.guid, s.url,"
		" (SELECT json_group_array(u) FROM (SELECT y.url AS u"
		"  FROM item_sources x JOIN sources y ON y.id = x.source_id"
		"  WHERE x.item_id = i.id ORDER BY y.url)),"
		" i.title, i.author, i.published, i.updated, i.summary,"
		" i.content_html, i.image, i.language, i.categories,"
		" i.enclosures, i.hash, i.first_seen, i.last_seen,"
		" i.changed_at, i.picked_at, i.picked_by, i.dismissed_at,"
		" i.dismissed_by"
		" FROM items i LEFT JOIN sources s ON s.id = i.source_id"
		" ORDER BY i.norm_url, i.guid, s.url, i.first_seen",
		item_columns,
		COUNT(item_columns),
	},
	{
		"outbox",
		"SELECT item_key, network, state, send_key, remote_id,"
		" remote_url, attempts, created_at, updated_at, sending_since,"
		" last_error FROM outbox ORDER BY item_key, network",
		outbox_columns,
		COUNT(outbox_columns),
	},
};

static json_t *
column_value(sqlite3_stmt *stmt, int col, enum column_kind kind)
{
	const char *text;
	json_t *value;

	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	switch (kind) {
	case COLUMN_INT:
		return json_integer(sqlite3_column_int64(stmt, col));
	case COLUMN_BOOL:
		return json_boolean(sqlite3_column_int(stmt, col));
	case COLUMN_JSON:
		text = (const char *)sqlite3_column_text(stmt, col);
		value = json_loads(text, JSON_DECODE_ANY, NULL);
		return value ? value : json_null();
	case COLUMN_TEXT:
		break;
	}
	text = (const char *)sqlite3_column_text(stmt, col);
	value = json_stringn(text, (size_t)sqlite3_column_bytes(stmt, col));
	/* NOTE: invalid UTF-8 cannot be a JSON string; dump it escaped
	 * rather than lose the row. */
	return value ? value : json_stringn_nocheck("\xef\xbf\xbd", 3);
}

static int
dump_section(struct store *st, const struct section *sec, json_t *root)
{
	json_t *array = json_array();
	sqlite3_stmt *stmt = NULL;
	json_t *row;
	size_t i;
	int rc;

	json_object_set_new(root, sec->key, array);
	if (sqlite3_prepare_v2(st->db, sec->sql, -1, &stmt, NULL) != SQLITE_OK)
		return store_fail(st, "cannot dump the store");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row = json_object();
		for (i = 0; i < sec->ncolumns; i++)
			json_object_set_new(row, sec->columns[i].key,
					    column_value(stmt, (int)i,
							 sec->columns[i].kind));
		json_array_append_new(array, row);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, "cannot dump the store");
	return 0;
}

int
store_dump_json(struct store *st, FILE *fp)
{
	struct report_pos pos = { st->path, 0, 0 };
	json_t *root = json_object();
	int rc = -1;
	size_t i;

	/* One read transaction: the sections are one snapshot. */
	bool is_snapshot = st->depth == 0 &&
			   sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) ==
				   SQLITE_OK;

	json_object_set_new(root, "schema",
			    json_integer(store_schema_version(st)));
	for (i = 0; i < COUNT(sections); i++)
		if (dump_section(st, &sections[i], root) != 0)
			goto out;
	if (is_snapshot) {
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
		is_snapshot = false;
	}
	if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', fp) == EOF || fflush(fp) != 0 || ferror(fp)) {
		report_error(st->rep, &pos, "cannot write the dump");
		goto out;
	}
	rc = 0;
out:
	if (is_snapshot)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	json_decref(root);
	return rc;
}
