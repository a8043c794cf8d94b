/* store_admin.c - SQL behind confabctl. */
#include "store_admin.h"

#include <string.h>

static const char SQL_TEAM_ID[] = "SELECT id FROM teams WHERE slug = ?";
static const char SQL_USER_ID[] = "SELECT id FROM users WHERE email = ?";
static const char SQL_TEAM_INSERT[] = "INSERT INTO teams (slug, name) VALUES (?, ?)";
static const char SQL_USER_INSERT[] = "INSERT INTO users (email, password_hash) VALUES (?, ?)";
static const char SQL_MEMBER_UPSERT[] =
	"INSERT INTO team_memberships (team_id, user_id, role) VALUES (?, ?, ?)"
	" ON DUPLICATE KEY UPDATE role = VALUES(role)";
static const char SQL_MEMBER_EXISTS[] = "SELECT 1 FROM team_memberships WHERE team_id = ? AND user_id = ?";
static const char SQL_KEY_INSERT[] =
	"INSERT INTO api_keys (prefix, hashed_key, name, team_id, user_id, read_only, expiry_date)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_KEY_REVOKE[] = "UPDATE api_keys SET revoked = 1 WHERE prefix = ? AND revoked = 0";
static const char SQL_KEY_LIST[] =
	"SELECT k.prefix, k.name, u.email, k.read_only, k.revoked, k.expiry_date"
	" FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.team_id = ? ORDER BY k.created_at, k.id";
static cf_status id_by(struct db *db, const char *sql, const char *key, unsigned long long *id)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, sql, &rows, "s", key);
	if (st == CF_OK)
		*id = (unsigned long long)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_team_id(struct db *db, const char *slug, unsigned long long *id)
{
	return id_by(db, SQL_TEAM_ID, slug, id);
}

cf_status store_user_id(struct db *db, const char *email, unsigned long long *id)
{
	return id_by(db, SQL_USER_ID, email, id);
}

cf_status store_team_create(struct db *db, const char *slug, const char *name)
{
	return db_exec(db, SQL_TEAM_INSERT, NULL, NULL, "ss", slug, name);
}

cf_status store_user_create(struct db *db, const char *email, const char *password_hash)
{
	return db_exec(db, SQL_USER_INSERT, NULL, NULL, "ss", email, password_hash);
}

cf_status store_member_set(struct db *db, unsigned long long team_id, unsigned long long user_id, const char *role)
{
	return db_exec(db, SQL_MEMBER_UPSERT, NULL, NULL, "uus", team_id, user_id, role);
}

cf_status store_member_exists(struct db *db, unsigned long long team_id, unsigned long long user_id, bool *exists)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_MEMBER_EXISTS, &rows, "uu", team_id, user_id);
	*exists = st == CF_OK && rows.nrows > 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_api_key_create(struct db *db, const char *prefix, const char *hashed_key, const char *name,
                               unsigned long long team_id, unsigned long long user_id, bool read_only,
                               const char *expiry)
{
	return db_exec(db, SQL_KEY_INSERT, NULL, NULL, "sssuubs", prefix, hashed_key, name, team_id, user_id,
	               (int)read_only, expiry);
}

cf_status store_api_key_revoke(struct db *db, const char *prefix)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_KEY_REVOKE, &affected, NULL, "s", prefix);
	if (st == CF_OK && affected == 0)
		st = CF_E_NOT_FOUND;
	return st;
}

cf_status store_api_key_list(struct db *db, unsigned long long team_id, struct db_rows *rows)
{
	return db_query(db, SQL_KEY_LIST, rows, "u", team_id);
}
