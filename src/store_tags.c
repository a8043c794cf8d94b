/* store_tags.c - SQL of tags, chat_tags and chat_message_tags. Lists of
 * names or ids are one JSON-array parameter expanded with JSON_TABLE, so a
 * statement has one shape whatever the list length. */
#include "store_tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define JSON_NAMES "(SELECT jt.name FROM JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(100) PATH '$')) AS jt)"
#define JSON_IDS "(SELECT jt.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) AS jt)"

static const char SQL_TAG_IDS[] =
	"SELECT t.id FROM tags t WHERE t.team_id = ? AND t.name IN " JSON_NAMES;
static const char SQL_VERSION_TAG_IDS[] =
	"SELECT t.id FROM tags t WHERE t.team_id = ? AND t.category = 'experiment_version' AND t.name IN " JSON_NAMES;
static const char SQL_CHAT_TAGS[] =
	"SELECT ct.chat_id, t.name FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id"
	" WHERE ct.chat_id IN " JSON_IDS " ORDER BY ct.chat_id, t.name";
static const char SQL_CHAT_MESSAGE_TAGS[] =
	"SELECT mt.message_id, t.name FROM chat_messages m"
	" JOIN chat_message_tags mt ON mt.message_id = m.id JOIN tags t ON t.id = mt.tag_id"
	" WHERE m.chat_id = ? ORDER BY mt.message_id, t.name";
static const char SQL_TAGS_ENSURE[] =
	"INSERT INTO tags (team_id, name, slug, is_system_tag, category, created_by)"
	" SELECT ?, jt.name, LEFT(jt.name, 100), 0, '', NULLIF(?, 0)"
	" FROM JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(100) PATH '$')) AS jt"
	" ON DUPLICATE KEY UPDATE id = id";
static const char SQL_CHAT_TAGS_ATTACH[] =
	"INSERT INTO chat_tags (chat_id, tag_id, team_id, user_id)"
	" SELECT ?, t.id, t.team_id, NULLIF(?, 0) FROM tags t WHERE t.team_id = ? AND t.is_system_tag = 0 AND t.category = ''"
	" AND t.name IN " JSON_NAMES " ON DUPLICATE KEY UPDATE tag_id = chat_tags.tag_id";
static const char SQL_VERSION_TAG_UPSERT[] =
	"INSERT INTO tags (team_id, name, slug, is_system_tag, category) VALUES (?, ?, ?, 1, 'experiment_version')"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
static const char SQL_MESSAGE_TAG_ADD[] =
	"INSERT IGNORE INTO chat_message_tags (message_id, tag_id, team_id) VALUES (?, ?, ?)";
static const char SQL_CHAT_TAGS_DETACH[] =
	"DELETE ct FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id"
	" WHERE ct.chat_id = ? AND t.team_id = ? AND t.is_system_tag = 0 AND t.name IN " JSON_NAMES;

cf_status store_tag_ids(struct db *db, unsigned long long team_id, const char *names_json, bool versions,
                        unsigned long long **ids, size_t *count)
{
	struct db_rows rows;
	cf_status st = db_query(db, versions ? SQL_VERSION_TAG_IDS : SQL_TAG_IDS, &rows, "us", team_id, names_json);
	*ids = NULL;
	*count = 0;
	if (st == CF_OK && rows.nrows > 0) {
		*ids = xcalloc(rows.nrows, sizeof **ids);
		for (size_t r = 0; r < rows.nrows; r++)
			(*ids)[r] = (unsigned long long)db_cell_int(&rows, r, 0);
		*count = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

static cf_status walk_tags(struct db_rows *rows, tag_row_fn fn, void *ctx)
{
	cf_status st = CF_OK;
	for (size_t r = 0; st == CF_OK && r < rows->nrows; r++) {
		struct tag_row t;
		t.owner_id = (unsigned long long)db_cell_int(rows, r, 0);
		snprintf(t.name, sizeof t.name, "%s", db_cell_str(rows, r, 1));
		st = fn(ctx, &t);
	}
	return st;
}

cf_status store_chat_tags(struct db *db, const char *chat_ids_json, tag_row_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHAT_TAGS, &rows, "s", chat_ids_json);
	if (st == CF_OK)
		st = walk_tags(&rows, fn, ctx);
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_message_tags(struct db *db, unsigned long long chat_id, tag_row_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHAT_MESSAGE_TAGS, &rows, "u", chat_id);
	if (st == CF_OK)
		st = walk_tags(&rows, fn, ctx);
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_tags_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                              unsigned long long user_id, const char *names_json)
{
	cf_status st = db_exec(db, SQL_TAGS_ENSURE, NULL, NULL, "uus", team_id, user_id, names_json);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHAT_TAGS_ATTACH, NULL, NULL, "uuus", chat_id, user_id, team_id, names_json);
	return st;
}

cf_status store_chat_tags_remove(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                                 const char *names_json)
{
	return db_exec(db, SQL_CHAT_TAGS_DETACH, NULL, NULL, "uus", chat_id, team_id, names_json);
}

cf_status store_message_version_tag(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                    const char *name)
{
	unsigned long long tag_id = 0;
	cf_status st = db_exec(db, SQL_VERSION_TAG_UPSERT, NULL, &tag_id, "uss", team_id, name, name);
	if (st == CF_OK)
		st = db_exec(db, SQL_MESSAGE_TAG_ADD, NULL, NULL, "uuu", message_id, tag_id, team_id);
	return st;
}
