/* store_files.c - SQL of uploaded files. */
#include "store_files.h"

#include <string.h>

#define JSON_IDS "(SELECT jt.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) AS jt)"

static const char SQL_SESSION_FILE_COUNT[] =
	"SELECT COUNT(*) FROM files WHERE team_id = ? AND session_id = ? AND id IN " JSON_IDS;
static const char SQL_ATTACHMENT_GROUP[] =
	"INSERT INTO chat_attachments (chat_id, team_id, tool_type) VALUES (?, ?, 'ocs_attachments')"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
static const char SQL_ATTACHMENT_FILES[] =
	"INSERT IGNORE INTO chat_attachment_files (chat_attachment_id, file_id)"
	" SELECT ?, id FROM files WHERE team_id = ? AND id IN " JSON_IDS;
/* Attached files are kept, those of anonymous sessions only for ? days. */
static const char SQL_FILES_KEEP[] =
	"UPDATE files f LEFT JOIN experiment_sessions s ON s.id = f.session_id"
	" LEFT JOIN participants p ON p.id = s.participant_id"
	" SET f.expiry_date = IF(? > 0 AND p.user_id IS NULL AND p.identifier LIKE 'anon:%',"
	" UTC_TIMESTAMP(6) + INTERVAL ? DAY, NULL), f.updated_at = UTC_TIMESTAMP(6)"
	" WHERE f.team_id = ? AND f.id IN " JSON_IDS;
static const char SQL_FILES_USAGE[] =
	"SELECT COALESCE(SUM(session_id <=> ?), 0), COALESCE(SUM(IF(session_id <=> ?, content_size, 0)), 0),"
	" COUNT(*), COALESCE(SUM(content_size), 0) FROM files WHERE team_id = ?";
static const char SQL_FILES_GET[] =
	"SELECT id, name, content_type, storage_path, content_size FROM files WHERE team_id = ? AND id IN " JSON_IDS
	" ORDER BY id";

cf_status store_session_file_count(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                   const char *ids_json, long *count)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_SESSION_FILE_COUNT, &rows, "uus", team_id, session_id, ids_json);
	*count = st == CF_OK ? (long)db_cell_int(&rows, 0, 0) : 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_files_attach(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                             const char *ids_json, int anon_retention_days)
{
	unsigned long long group = 0;
	cf_status st = db_exec(db, SQL_ATTACHMENT_GROUP, NULL, &group, "uu", chat_id, team_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_ATTACHMENT_FILES, NULL, NULL, "uus", group, team_id, ids_json);
	if (st == CF_OK)
		st = db_exec(db, SQL_FILES_KEEP, NULL, NULL, "iius", (long long)anon_retention_days,
		             (long long)anon_retention_days, team_id, ids_json);
	return st;
}

cf_status store_files_usage(struct db *db, unsigned long long team_id, unsigned long long session_id,
                            struct file_usage *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_FILES_USAGE, &rows, "uuu", session_id, session_id, team_id);
	if (st == CF_OK) {
		out->session_files = db_cell_int(&rows, 0, 0);
		out->session_bytes = db_cell_int(&rows, 0, 1);
		out->team_files = db_cell_int(&rows, 0, 2);
		out->team_bytes = db_cell_int(&rows, 0, 3);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_files_get(struct db *db, unsigned long long team_id, const char *ids_json, struct db_rows *rows)
{
	return db_query(db, SQL_FILES_GET, rows, "us", team_id, ids_json);
}

static const char SQL_FILE_ADD[] =
	"INSERT INTO files (team_id, session_id, name, storage_path, content_type, content_size, expiry_date, purpose,"
	" metadata) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? HOUR, 'chat_upload', ?)";
static const char SQL_FILES_EXPIRED[] =
	"SELECT id, storage_path FROM files WHERE expiry_date < UTC_TIMESTAMP(6) ORDER BY expiry_date LIMIT ?";
static const char SQL_FILE_DELETE[] = "DELETE FROM files WHERE id = ?";
static const char SQL_FILE_GET[] =
	"SELECT name, content_type, storage_path, content_size FROM files WHERE id = ? AND team_id = ?";

cf_status store_file_add(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *name,
                         const char *storage_path, const char *content_type, long long size, int expiry_hours,
                         const char *metadata_json, unsigned long long *id)
{
	return db_exec(db, SQL_FILE_ADD, NULL, id, "uusssiis", team_id, session_id, name, storage_path, content_type,
	               size, (long long)expiry_hours, metadata_json);
}

cf_status store_files_expired(struct db *db, int limit, struct db_rows *rows)
{
	return db_query(db, SQL_FILES_EXPIRED, rows, "i", (long long)limit);
}

cf_status store_file_delete(struct db *db, unsigned long long id)
{
	return db_exec(db, SQL_FILE_DELETE, NULL, NULL, "u", id);
}

cf_status store_file_get(struct db *db, unsigned long long team_id, unsigned long long id, struct db_rows *rows)
{
	return db_query_one(db, SQL_FILE_GET, rows, "uu", id, team_id);
}
