/* store_files.c - SQL of uploaded files. */
#include "store_files.h"

#include <stdio.h>
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
/* The two reads of whole rows share one column list and one row filler. */
#define FILE_COLUMNS "SELECT id, name, content_type, storage_path, content_size FROM files"
enum { FILE_ID, FILE_NAME, FILE_CONTENT_TYPE, FILE_STORAGE_PATH, FILE_CONTENT_SIZE };
static const char SQL_FILES_GET[] = FILE_COLUMNS " WHERE team_id = ? AND id IN " JSON_IDS " ORDER BY id";
static const char SQL_FILE_GET[] = FILE_COLUMNS " WHERE id = ? AND team_id = ?";

static void file_row_fill(const struct db_rows *rows, size_t r, struct file_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = (unsigned long long)db_cell_int(rows, r, FILE_ID);
	snprintf(out->name, sizeof out->name, "%s", db_cell_str(rows, r, FILE_NAME));
	snprintf(out->content_type, sizeof out->content_type, "%s", db_cell_str(rows, r, FILE_CONTENT_TYPE));
	snprintf(out->storage_path, sizeof out->storage_path, "%s", db_cell_str(rows, r, FILE_STORAGE_PATH));
	out->content_size = db_cell_int(rows, r, FILE_CONTENT_SIZE);
}

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

cf_status store_files_get(struct db *db, unsigned long long team_id, const char *ids_json, file_row_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_FILES_GET, &rows, "us", team_id, ids_json);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct file_row row;
		file_row_fill(&rows, r, &row);
		st = fn(ctx, &row);
	}
	db_rows_free(&rows);
	return st;
}

static const char SQL_FILE_ADD[] =
	"INSERT INTO files (team_id, session_id, name, storage_path, content_type, content_size, expiry_date, purpose,"
	" metadata) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? HOUR, 'chat_upload', ?)";
static const char SQL_FILES_EXPIRED[] =
	"SELECT id, storage_path FROM files WHERE expiry_date < UTC_TIMESTAMP(6) ORDER BY expiry_date LIMIT ?";
static const char SQL_FILE_DELETE[] = "DELETE FROM files WHERE id = ?";

cf_status store_file_add(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *name,
                         const char *storage_path, const char *content_type, long long size, int expiry_hours,
                         const char *metadata_json, unsigned long long *id)
{
	return db_exec(db, SQL_FILE_ADD, NULL, id, "uusssiis", team_id, session_id, name, storage_path, content_type,
	               size, (long long)expiry_hours, metadata_json);
}

cf_status store_files_expired(struct db *db, int limit, file_row_fn fn, void *ctx, size_t *count)
{
	struct db_rows rows;
	if (count != NULL)
		*count = 0;
	cf_status st = db_query(db, SQL_FILES_EXPIRED, &rows, "i", (long long)limit);
	if (st == CF_OK && count != NULL)
		*count = rows.nrows;
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct file_row row;
		memset(&row, 0, sizeof row);
		row.id = (unsigned long long)db_cell_int(&rows, r, 0);
		snprintf(row.storage_path, sizeof row.storage_path, "%s", db_cell_str(&rows, r, 1));
		st = fn(ctx, &row);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_file_delete(struct db *db, unsigned long long id)
{
	return db_exec(db, SQL_FILE_DELETE, NULL, NULL, "u", id);
}

cf_status store_file_get(struct db *db, unsigned long long team_id, unsigned long long id, struct file_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_FILE_GET, &rows, "uu", id, team_id);
	if (st == CF_OK)
		file_row_fill(&rows, 0, out);
	db_rows_free(&rows);
	return st;
}
