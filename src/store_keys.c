/* store_keys.c - SQL of api_keys, users, teams, team_memberships and
 * auth_epoch. Each function reads its columns by position here, and only
 * here; callers get the typed rows of store_keys.h. */
#include "store_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_channels.h"
#include "xalloc.h"

/* ---- api_keys and auth_epoch ---- */

enum { KEY_HASH, KEY_READ_ONLY, KEY_EXPIRED, KEY_USER_ACTIVE, KEY_IS_MEMBER, KEY_USER_ID, KEY_USER_EMAIL,
       KEY_TEAM_ID, KEY_TEAM_SLUG, KEY_TEAM_NAME, KEY_ROLE, KEY_EXPIRES, KEY_EXPIRES_IN };
static const char SQL_API_KEY_FIND[] =
	"SELECT k.hashed_key, k.read_only,"
	" (k.expiry_date IS NOT NULL AND k.expiry_date <= UTC_TIMESTAMP(6)),"
	" u.is_active, m.id IS NOT NULL, u.id, u.email, t.id, t.slug, t.name, COALESCE(m.role, ''),"
	" k.expiry_date IS NOT NULL, COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), k.expiry_date), 0)"
	" FROM api_keys k"
	" JOIN users u ON u.id = k.user_id"
	" JOIN teams t ON t.id = k.team_id"
	" LEFT JOIN team_memberships m ON m.team_id = k.team_id AND m.user_id = k.user_id"
	" WHERE k.prefix = ? AND k.revoked = 0";
static const char SQL_API_KEY_INSERT[] =
	"INSERT INTO api_keys (prefix, hashed_key, name, team_id, user_id, read_only, expiry_date)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_API_KEY_REVOKE[] = "UPDATE api_keys SET revoked = 1 WHERE prefix = ? AND revoked = 0";
enum { LIST_PREFIX, LIST_NAME, LIST_USER_EMAIL, LIST_READ_ONLY, LIST_REVOKED, LIST_EXPIRY };
static const char SQL_API_KEY_LIST[] =
	"SELECT k.prefix, k.name, u.email, k.read_only, k.revoked, k.expiry_date"
	" FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.team_id = ? ORDER BY k.created_at, k.id";
static const char SQL_EPOCH_GET[] = "SELECT epoch FROM auth_epoch WHERE id = 1";
static const char SQL_EPOCH_BUMP[] =
	"INSERT INTO auth_epoch (id, epoch) VALUES (1, 1) ON DUPLICATE KEY UPDATE epoch = epoch + 1";

/* ---- users, teams, team_memberships ---- */

enum { USER_ID, USER_EMAIL, USER_PASSWORD_HASH, USER_ACTIVE };
static const char SQL_USER_FIND[] =
	"SELECT id, email, COALESCE(password_hash, ''), is_active FROM users WHERE email = ?";
static const char SQL_USER_ID[] = "SELECT id FROM users WHERE email = ?";
static const char SQL_USER_INSERT[] = "INSERT INTO users (email, password_hash) VALUES (?, ?)";
static const char SQL_TEAM_ID[] = "SELECT id FROM teams WHERE slug = ?";
static const char SQL_TEAM_INSERT[] = "INSERT INTO teams (slug, name) VALUES (?, ?)";
enum { TEAM_ID, TEAM_SLUG, TEAM_NAME };
static const char SQL_USER_TEAMS[] =
	"SELECT t.id, t.slug, t.name FROM team_memberships m JOIN teams t ON t.id = m.team_id"
	" WHERE m.user_id = ? ORDER BY t.name, t.slug";
static const char SQL_USER_TEAM_ID[] =
	"SELECT t.id FROM team_memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? AND t.slug = ?";
static const char SQL_MEMBER_UPSERT[] =
	"INSERT INTO team_memberships (team_id, user_id, role) VALUES (?, ?, ?)"
	" ON DUPLICATE KEY UPDATE role = VALUES(role)";
static const char SQL_MEMBER_EXISTS[] = "SELECT 1 FROM team_memberships WHERE team_id = ? AND user_id = ?";

/* Cell (row, col) into dst (size bytes, always terminated; "" for NULL). */
static void copy_cell(char *dst, size_t size, const struct db_rows *rows, size_t row, size_t col)
{
	snprintf(dst, size, "%s", db_cell_str(rows, row, col));
}

static unsigned long long cell_id(const struct db_rows *rows, size_t row, size_t col)
{
	return (unsigned long long)db_cell_int(rows, row, col);
}

/* The id in the first column of the one row that sql finds for its text
 * parameter; CF_E_NOT_FOUND without one. */
static cf_status id_by(struct db *db, const char *sql, const char *key, unsigned long long *id)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, sql, &rows, "s", key);
	if (st == CF_OK)
		*id = cell_id(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_api_key_find(struct db *db, const char *prefix, struct api_key_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_API_KEY_FIND, &rows, "s", prefix);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		copy_cell(out->hashed_key, sizeof out->hashed_key, &rows, 0, KEY_HASH);
		out->read_only = db_cell_bool(&rows, 0, KEY_READ_ONLY);
		out->expired = db_cell_bool(&rows, 0, KEY_EXPIRED);
		out->user_active = db_cell_bool(&rows, 0, KEY_USER_ACTIVE);
		out->is_member = db_cell_bool(&rows, 0, KEY_IS_MEMBER);
		out->user_id = cell_id(&rows, 0, KEY_USER_ID);
		copy_cell(out->user_email, sizeof out->user_email, &rows, 0, KEY_USER_EMAIL);
		out->team_id = cell_id(&rows, 0, KEY_TEAM_ID);
		copy_cell(out->team_slug, sizeof out->team_slug, &rows, 0, KEY_TEAM_SLUG);
		copy_cell(out->team_name, sizeof out->team_name, &rows, 0, KEY_TEAM_NAME);
		copy_cell(out->role, sizeof out->role, &rows, 0, KEY_ROLE);
		out->expires = db_cell_bool(&rows, 0, KEY_EXPIRES);
		out->expires_in = db_cell_int(&rows, 0, KEY_EXPIRES_IN);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_api_key_create(struct db *db, const char *prefix, const char *hashed_key, const char *name,
                               unsigned long long team_id, unsigned long long user_id, bool read_only,
                               const char *expiry)
{
	return db_exec(db, SQL_API_KEY_INSERT, NULL, NULL, "sssuubs", prefix, hashed_key, name, team_id, user_id,
	               (int)read_only, expiry);
}

cf_status store_api_key_revoke(struct db *db, const char *prefix)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_API_KEY_REVOKE, &affected, NULL, "s", prefix);
	if (st == CF_OK && affected == 0)
		st = CF_E_NOT_FOUND;
	return st;
}

cf_status store_api_key_list(struct db *db, unsigned long long team_id, api_key_summary_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_API_KEY_LIST, &rows, "u", team_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct api_key_summary key;
		memset(&key, 0, sizeof key);
		copy_cell(key.prefix, sizeof key.prefix, &rows, r, LIST_PREFIX);
		copy_cell(key.name, sizeof key.name, &rows, r, LIST_NAME);
		copy_cell(key.user_email, sizeof key.user_email, &rows, r, LIST_USER_EMAIL);
		key.read_only = db_cell_bool(&rows, r, LIST_READ_ONLY);
		key.revoked = db_cell_bool(&rows, r, LIST_REVOKED);
		copy_cell(key.expiry_date, sizeof key.expiry_date, &rows, r, LIST_EXPIRY);
		st = fn(ctx, &key);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_auth_epoch(struct db *db, unsigned long long *epoch)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_EPOCH_GET, &rows, "");
	if (st == CF_OK) {
		*epoch = cell_id(&rows, 0, 0);
	} else if (st == CF_E_NOT_FOUND) {   /* no revocation yet */
		*epoch = 0;
		st = CF_OK;
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_auth_epoch_bump(struct db *db)
{
	return db_exec(db, SQL_EPOCH_BUMP, NULL, NULL, "");
}

cf_status store_user_find(struct db *db, const char *email, struct user_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_USER_FIND, &rows, "s", email);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		out->id = cell_id(&rows, 0, USER_ID);
		copy_cell(out->email, sizeof out->email, &rows, 0, USER_EMAIL);
		copy_cell(out->password_hash, sizeof out->password_hash, &rows, 0, USER_PASSWORD_HASH);
		out->active = db_cell_bool(&rows, 0, USER_ACTIVE);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_user_id(struct db *db, const char *email, unsigned long long *id)
{
	return id_by(db, SQL_USER_ID, email, id);
}

cf_status store_user_create(struct db *db, const char *email, const char *password_hash)
{
	return db_exec(db, SQL_USER_INSERT, NULL, NULL, "ss", email, password_hash);
}

void team_list_free(struct team_list *list)
{
	free(list->rows);
	list->rows = NULL;
	list->count = 0;
}

cf_status store_team_id(struct db *db, const char *slug, unsigned long long *id)
{
	return id_by(db, SQL_TEAM_ID, slug, id);
}

struct team_create {
	const char *slug, *name;
};

static cf_status team_create_in_tx(struct db *db, void *ctx)
{
	const struct team_create *t = ctx;
	unsigned long long team_id = 0;
	cf_status st = db_exec(db, SQL_TEAM_INSERT, NULL, &team_id, "ss", t->slug, t->name);
	return st == CF_OK ? store_api_channel_add(db, team_id, t->slug) : st;
}

cf_status store_team_create(struct db *db, const char *slug, const char *name)
{
	struct team_create t = {slug, name};
	return db_transaction(db, team_create_in_tx, &t);
}

cf_status store_user_teams(struct db *db, unsigned long long user_id, struct team_list *out)
{
	out->rows = NULL;
	out->count = 0;
	struct db_rows rows;
	cf_status st = db_query(db, SQL_USER_TEAMS, &rows, "u", user_id);
	if (st == CF_OK && rows.nrows > 0) {
		out->rows = xcalloc(rows.nrows, sizeof *out->rows);
		for (size_t r = 0; r < rows.nrows; r++) {
			struct team_row *t = &out->rows[r];
			t->id = cell_id(&rows, r, TEAM_ID);
			copy_cell(t->slug, sizeof t->slug, &rows, r, TEAM_SLUG);
			copy_cell(t->name, sizeof t->name, &rows, r, TEAM_NAME);
		}
		out->count = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_user_team_id(struct db *db, unsigned long long user_id, const char *slug, unsigned long long *team_id)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_USER_TEAM_ID, &rows, "us", user_id, slug);
	if (st == CF_OK)
		*team_id = cell_id(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
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
