/* store_sessions.c - SQL behind the sessions API. Lists of names or ids are
 * passed as one JSON-array parameter and expanded with JSON_TABLE, so every
 * statement has a fixed shape whatever the list length. */
#include "store_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "xalloc.h"

#define JSON_NAMES "(SELECT jt.name FROM JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(100) PATH '$')) AS jt)"
#define JSON_IDS "(SELECT jt.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) AS jt)"

#define SESSION_COLUMNS \
	"SELECT s.id, s.external_id, s.experiment_id, s.chat_id, s.created_at, s.updated_at," \
	" p.identifier, p.remote_id, p.id IS NOT NULL, s.status, s.state" \
	" FROM experiment_sessions s LEFT JOIN participants p ON p.id = s.participant_id"

#define SESSION_SELECT \
	"SELECT s.id, s.external_id, s.experiment_id, s.chat_id, s.created_at, s.updated_at," \
	" p.identifier, p.remote_id, p.id IS NOT NULL, s.status, s.state FROM experiment_sessions s"
#define SESSION_JOIN " LEFT JOIN participants p ON p.id = s.participant_id"
/* A page is found on the index alone (ids, with the filters probed from
 * the index's chat_id), and only then are its rows fetched: a deferred join,
 * so rows skipped by a filter never cost a lookup of the whole row. */
#define PAGE_IDS_BY_TEAM \
	"SELECT s.id FROM experiment_sessions s FORCE INDEX (experiment_sessions_team_created)"
#define PAGE_IDS_BY_EXPERIMENT \
	"SELECT s.id FROM experiment_sessions s FORCE INDEX (experiment_sessions_team_experiment_created)"

static const char SQL_SESSION_FIND[] = SESSION_COLUMNS " WHERE s.external_id = ? AND s.team_id = ?";

static const char SQL_CHAT_TAGS[] =
	"SELECT ct.chat_id, t.name FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id"
	" WHERE ct.chat_id IN " JSON_IDS " ORDER BY ct.chat_id, t.name";
static const char SQL_CHAT_MESSAGES[] =
	"SELECT id, created_at, message_type, content, summary, metadata FROM chat_messages"
	" WHERE chat_id = ? ORDER BY created_at, id";
static const char SQL_CHAT_MESSAGES_SINCE[] =
	"SELECT id, created_at, message_type, content, NULL, metadata FROM chat_messages"
	" WHERE chat_id = ? AND created_at > ? ORDER BY created_at, id LIMIT ?";
static const char SQL_CHAT_MESSAGE_ONE[] =
	"SELECT id, created_at, message_type, content, NULL, metadata FROM chat_messages WHERE chat_id = ? AND id = ?";
static const char SQL_CHAT_MESSAGE_TAGS[] =
	"SELECT mt.message_id, t.name FROM chat_messages m"
	" JOIN chat_message_tags mt ON mt.message_id = m.id JOIN tags t ON t.id = mt.tag_id"
	" WHERE m.chat_id = ? ORDER BY mt.message_id, t.name";
static const char SQL_CHAT_FILES[] =
	"SELECT DISTINCT f.id, f.name, f.content_type, f.content_size, f.external_id"
	" FROM chat_attachments a JOIN chat_attachment_files af ON af.chat_attachment_id = a.id"
	" JOIN files f ON f.id = af.file_id WHERE a.chat_id = ?";

static const char SQL_PARTICIPANT_UPSERT[] =
	"INSERT INTO participants (public_id, team_id, platform, identifier, user_id) VALUES (UUID(), ?, ?, ?, NULLIF(?, 0))"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
static const char SQL_PARTICIPANT_FIND[] =
	"SELECT id FROM participants WHERE team_id = ? AND platform = ? AND identifier = ?";
static const char SQL_TEAM_LOCK[] = "SELECT id FROM teams WHERE id = ? FOR UPDATE";
static const char SQL_API_CHANNEL_FIND[] =
	"SELECT id FROM experiment_channels WHERE team_id = ? AND platform = 'api'"
	" AND experiment_id IS NULL AND deleted = 0 ORDER BY id LIMIT 1";
static const char SQL_API_CHANNEL_CREATE[] =
	"INSERT INTO experiment_channels (team_id, platform, name) VALUES (?, 'api', CONCAT(?, '-api-channel'))";
static const char SQL_CHAT_CREATE[] = "INSERT INTO chats (team_id, name) VALUES (?, ?)";
static const char SQL_SESSION_CREATE[] =
	"INSERT INTO experiment_sessions (external_id, team_id, experiment_id, participant_id,"
	" experiment_channel_id, chat_id, status, state) VALUES (?, ?, ?, ?, ?, ?, 'setup', ?)";
static const char SQL_MESSAGE_ADD[] =
	"INSERT INTO chat_messages (chat_id, team_id, message_type, content, created_at)"
	" VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_SESSION_END[] =
	"UPDATE experiment_sessions SET status = 'pending-review', ended_at = UTC_TIMESTAMP(6),"
	" updated_at = UTC_TIMESTAMP(6) WHERE external_id = ? AND team_id = ?";
static const char SQL_SESSION_LOCK_STATUS[] =
	"SELECT id, status FROM experiment_sessions WHERE external_id = ? AND team_id = ? FOR UPDATE";
static const char SQL_SESSION_SET_STATE[] =
	"UPDATE experiment_sessions SET state = ?, updated_at = UTC_TIMESTAMP(6)"
	" WHERE external_id = ? AND team_id = ?";
static const char SQL_TAGS_ENSURE[] =
	"INSERT INTO tags (team_id, name, slug, is_system_tag, category, created_by)"
	" SELECT ?, jt.name, LEFT(jt.name, 100), 0, '', ? FROM JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(100) PATH '$')) AS jt"
	" ON DUPLICATE KEY UPDATE id = id";
static const char SQL_CHAT_TAGS_ATTACH[] =
	"INSERT INTO chat_tags (chat_id, tag_id, team_id, user_id)"
	" SELECT ?, t.id, t.team_id, ? FROM tags t WHERE t.team_id = ? AND t.is_system_tag = 0 AND t.category = ''"
	" AND t.name IN " JSON_NAMES " ON DUPLICATE KEY UPDATE tag_id = chat_tags.tag_id";
static const char SQL_CHAT_TAGS_DETACH[] =
	"DELETE ct FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id"
	" WHERE ct.chat_id = ? AND t.team_id = ? AND t.is_system_tag = 0 AND t.name IN " JSON_NAMES;
static const char SQL_SECRET_INSERT[] = "INSERT IGNORE INTO app_secrets (name, value) VALUES (?, ?)";
static const char SQL_SECRET_GET[] = "SELECT value FROM app_secrets WHERE name = ?";

static cf_status append_placeholders(struct buf *sql, size_t n)
{
	cf_status st = CF_OK;
	for (size_t i = 0; st == CF_OK && i < n; i++)
		st = buf_append_str(sql, i ? ",?" : "?");
	return st;
}

static const char SQL_TAG_IDS[] =
	"SELECT t.id FROM tags t WHERE t.team_id = ? AND t.name IN " JSON_NAMES;
static const char SQL_VERSION_TAG_IDS[] =
	"SELECT t.id FROM tags t WHERE t.team_id = ? AND t.category = 'experiment_version' AND t.name IN " JSON_NAMES;

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

/* Reverses the row order in place (a reverse cursor scans backwards). */
static void reverse_rows(struct db_rows *rows)
{
	for (size_t a = 0, b = rows->nrows ? rows->nrows - 1 : 0; a < b; a++, b--) {
		for (size_t c = 0; c < rows->ncols; c++) {
			size_t i = a * rows->ncols + c, j = b * rows->ncols + c;
			char *cell = rows->cells[i];
			rows->cells[i] = rows->cells[j];
			rows->cells[j] = cell;
			size_t len = rows->lens[i];
			rows->lens[i] = rows->lens[j];
			rows->lens[j] = len;
		}
	}
}

cf_status store_sessions_page(struct db *db, const struct session_filter *f, const struct cursor *after,
                              size_t limit, struct db_rows *rows)
{
	/* The statement is assembled from constant fragments only; every value
	 * is a bound parameter. Parameters are passed positionally below, in the
	 * order the fragments are appended. */
	bool scan_desc = !f->ascending;
	if (after != NULL && after->reverse)
		scan_desc = !scan_desc;
	struct buf sql;
	buf_init(&sql, 4096);
	cf_status st = CF_OK;
	/* Tag and version filters run as a per-row EXISTS probe along the index
	 * order. Left to itself the optimizer may materialize every chat carrying
	 * the tags first (measured: 100,000 index reads per page at 1M sessions);
	 * the probe costs about page size / tag density reads. */
	if (f->by_tags || f->by_versions)
		st = buf_append_str(&sql, "SET STATEMENT optimizer_switch='semijoin=off,materialization=off' FOR ");
	/* The index is forced so that the cursor condition is a range seek on it,
	 * never a scan from the top of the team's sessions. */
	if (st == CF_OK)
		st = buf_append_str(&sql, SESSION_SELECT " JOIN (");
	if (st == CF_OK)
		st = buf_append_str(&sql, f->experiment_id != 0 ? PAGE_IDS_BY_EXPERIMENT : PAGE_IDS_BY_TEAM);
	if (st == CF_OK)
		st = buf_append_str(&sql, " WHERE s.team_id = ?");
	if (st == CF_OK && f->experiment_id != 0)
		st = buf_append_str(&sql, " AND s.experiment_id = ?");
	if (st == CF_OK && f->by_tags) {
		st = buf_append_str(&sql, " AND EXISTS (SELECT 1 FROM chat_tags ct WHERE ct.chat_id = s.chat_id"
		                          " AND ct.tag_id IN (");
		if (st == CF_OK)
			st = append_placeholders(&sql, f->ntag_ids);
		if (st == CF_OK)
			st = buf_append_str(&sql, "))");
	}
	if (st == CF_OK && f->by_versions) {
		st = buf_append_str(&sql, " AND EXISTS (SELECT 1 FROM chat_messages m"
		                          " JOIN chat_message_tags mt ON mt.message_id = m.id"
		                          " WHERE m.chat_id = s.chat_id AND mt.tag_id IN (");
		if (st == CF_OK)
			st = append_placeholders(&sql, f->nversion_tag_ids);
		if (st == CF_OK)
			st = buf_append_str(&sql, "))");
	}
	if (st == CF_OK && after != NULL)
		st = buf_append_str(&sql, scan_desc ? " AND s.created_at <= ? AND (s.created_at < ? OR s.id < ?)"
		                                    : " AND s.created_at >= ? AND (s.created_at > ? OR s.id > ?)");
	if (st == CF_OK)
		st = buf_append_str(&sql, scan_desc ? " ORDER BY s.created_at DESC, s.id DESC LIMIT ?"
		                                    : " ORDER BY s.created_at ASC, s.id ASC LIMIT ?");
	if (st == CF_OK)
		st = buf_append_str(&sql, ") AS page ON page.id = s.id" SESSION_JOIN);
	if (st == CF_OK)
		st = buf_append_str(&sql, scan_desc ? " ORDER BY s.created_at DESC, s.id DESC"
		                                    : " ORDER BY s.created_at ASC, s.id ASC");
	if (st != CF_OK) {
		buf_free(&sql);
		return CF_E_INTERNAL;
	}
	/* Parameters in fragment order; absent filters bind nothing. */
	struct db_param params[DB_MAX_PARAMS];
	size_t n = 0;
	memset(params, 0, sizeof params);
	if (f->ntag_ids + f->nversion_tag_ids + 6 > DB_MAX_PARAMS) {
		buf_free(&sql);
		return CF_E_BAD_REQUEST;
	}
	params[n].type = 'u';
	params[n++].u = f->team_id;
	if (f->experiment_id != 0) {
		params[n].type = 'u';
		params[n++].u = f->experiment_id;
	}
	for (size_t i = 0; f->by_tags && i < f->ntag_ids; i++) {
		params[n].type = 'u';
		params[n++].u = f->tag_ids[i];
	}
	for (size_t i = 0; f->by_versions && i < f->nversion_tag_ids; i++) {
		params[n].type = 'u';
		params[n++].u = f->version_tag_ids[i];
	}
	if (after != NULL) {
		params[n].type = 's';
		params[n++].s = after->created_at;
		params[n].type = 's';
		params[n++].s = after->created_at;
		params[n].type = 'u';
		params[n++].u = after->id;
	}
	params[n].type = 'u';
	params[n++].u = limit;
	st = db_query_params(db, buf_str(&sql), rows, params, n);
	buf_free(&sql);
	if (st == CF_OK && after != NULL && after->reverse)
		reverse_rows(rows);
	return st;
}

cf_status store_session_find(struct db *db, unsigned long long team_id, const char *external_id,
                             struct db_rows *rows)
{
	return db_query_one(db, SQL_SESSION_FIND, rows, "su", external_id, team_id);
}

cf_status store_chat_tags(struct db *db, const char *chat_ids_json, struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_TAGS, rows, "s", chat_ids_json);
}

cf_status store_chat_messages(struct db *db, unsigned long long chat_id, struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_MESSAGES, rows, "u", chat_id);
}

cf_status store_chat_message_tags(struct db *db, unsigned long long chat_id, struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_MESSAGE_TAGS, rows, "u", chat_id);
}

cf_status store_chat_files(struct db *db, unsigned long long chat_id, struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_FILES, rows, "u", chat_id);
}

cf_status store_participant_upsert(struct db *db, unsigned long long team_id, const char *platform,
                                   const char *identifier, unsigned long long user_id,
                                   unsigned long long *participant_id)
{
	/* The participant usually exists: find it without taking locks. An
	 * insert also share-locks the team row (foreign key), which would
	 * deadlock with store_api_channel's lock of that row under load. */
	struct db_rows rows;
	cf_status st = db_query(db, SQL_PARTICIPANT_FIND, &rows, "uss", team_id, platform, identifier);
	if (st == CF_OK && rows.nrows > 0) {
		*participant_id = (unsigned long long)db_cell_int(&rows, 0, 0);
		db_rows_free(&rows);
		return CF_OK;
	}
	db_rows_free(&rows);
	if (st != CF_OK)
		return st;
	return db_exec(db, SQL_PARTICIPANT_UPSERT, NULL, participant_id, "ussu", team_id, platform, identifier,
	               user_id);
}

cf_status store_api_channel(struct db *db, unsigned long long team_id, const char *team_slug,
                            unsigned long long *channel_id)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_API_CHANNEL_FIND, &rows, "u", team_id);   /* usually there: no lock */
	if (st == CF_OK && rows.nrows > 0) {
		*channel_id = (unsigned long long)db_cell_int(&rows, 0, 0);
		db_rows_free(&rows);
		return CF_OK;
	}
	db_rows_free(&rows);
	if (st == CF_OK)
		st = db_query(db, SQL_TEAM_LOCK, &rows, "u", team_id);   /* one creator per team */
	db_rows_free(&rows);
	if (st == CF_OK)
		st = db_query(db, SQL_API_CHANNEL_FIND, &rows, "u", team_id);
	if (st == CF_OK && rows.nrows > 0)
		*channel_id = (unsigned long long)db_cell_int(&rows, 0, 0);
	else if (st == CF_OK)
		st = db_exec(db, SQL_API_CHANNEL_CREATE, NULL, channel_id, "us", team_id, team_slug);
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_create(struct db *db, unsigned long long team_id, const char *name, unsigned long long *chat_id)
{
	return db_exec(db, SQL_CHAT_CREATE, NULL, chat_id, "us", team_id, name);
}

cf_status store_session_create(struct db *db, unsigned long long team_id, const char *external_id,
                               unsigned long long experiment_id, unsigned long long participant_id,
                               unsigned long long channel_id, unsigned long long chat_id, const char *state_json,
                               unsigned long long *session_id)
{
	return db_exec(db, SQL_SESSION_CREATE, NULL, session_id, "suuuuus", external_id, team_id, experiment_id,
	               participant_id, channel_id, chat_id, state_json);
}

cf_status store_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                            const char *message_type, const char *content, unsigned long long *message_id)
{
	return db_exec(db, SQL_MESSAGE_ADD, NULL, message_id, "uuss", chat_id, team_id, message_type, content);
}

static cf_status require_one(cf_status st, unsigned long long affected)
{
	return (st == CF_OK && affected == 0) ? CF_E_NOT_FOUND : st;
}

cf_status store_session_end(struct db *db, unsigned long long team_id, const char *external_id)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_SESSION_END, &affected, NULL, "su", external_id, team_id);
	return require_one(st, affected);
}

cf_status store_session_lock_status(struct db *db, unsigned long long team_id, const char *external_id,
                                   struct db_rows *rows)
{
	return db_query_one(db, SQL_SESSION_LOCK_STATUS, rows, "su", external_id, team_id);
}

cf_status store_session_set_state(struct db *db, unsigned long long team_id, const char *external_id,
                                  const char *state_json)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_SESSION_SET_STATE, &affected, NULL, "ssu", state_json, external_id, team_id);
	return require_one(st, affected);
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

cf_status store_secret(struct db *db, const char *name, char out[65])
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_SECRET_GET, &rows, "s", name);
	if (st == CF_OK && rows.nrows == 0) {
		db_rows_free(&rows);
		unsigned char raw[32];
		char hex[65];
		st = random_bytes(raw, sizeof raw);
		if (st == CF_OK) {
			for (size_t i = 0; i < sizeof raw; i++)
				snprintf(hex + 2 * i, 3, "%02x", raw[i]);
			st = db_exec(db, SQL_SECRET_INSERT, NULL, NULL, "ss", name, hex);
		}
		if (st == CF_OK)
			st = db_query(db, SQL_SECRET_GET, &rows, "s", name);
	}
	if (st == CF_OK && rows.nrows == 0)
		st = CF_E_DB;
	if (st == CF_OK)
		snprintf(out, 65, "%s", db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_messages_since(struct db *db, unsigned long long chat_id, const char *since, long limit,
                                    struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_MESSAGES_SINCE, rows, "usi", chat_id, since, (long long)limit);
}

cf_status store_chat_message_one(struct db *db, unsigned long long chat_id, unsigned long long message_id,
                                 struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_MESSAGE_ONE, rows, "uu", chat_id, message_id);
}
