/* store_auth.c - SQL behind authentication. */
#include "store_auth.h"

#include <stdio.h>
#include <string.h>

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
static const char SQL_EPOCH_GET[] = "SELECT epoch FROM auth_epoch WHERE id = 1";
static const char SQL_EPOCH_BUMP[] =
	"INSERT INTO auth_epoch (id, epoch) VALUES (1, 1) ON DUPLICATE KEY UPDATE epoch = epoch + 1";

cf_status store_api_key_find(struct db *db, const char *prefix, struct api_key_record *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_API_KEY_FIND, &rows, "s", prefix);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		snprintf(out->hashed_key, sizeof out->hashed_key, "%s", db_cell_str(&rows, 0, 0));
		out->read_only = db_cell_bool(&rows, 0, 1);
		out->expired = db_cell_bool(&rows, 0, 2);
		out->user_active = db_cell_bool(&rows, 0, 3);
		out->is_member = db_cell_bool(&rows, 0, 4);
		out->user_id = (unsigned long long)db_cell_int(&rows, 0, 5);
		snprintf(out->user_email, sizeof out->user_email, "%s", db_cell_str(&rows, 0, 6));
		out->team_id = (unsigned long long)db_cell_int(&rows, 0, 7);
		snprintf(out->team_slug, sizeof out->team_slug, "%s", db_cell_str(&rows, 0, 8));
		snprintf(out->team_name, sizeof out->team_name, "%s", db_cell_str(&rows, 0, 9));
		snprintf(out->role, sizeof out->role, "%s", db_cell_str(&rows, 0, 10));
		out->expires = db_cell_bool(&rows, 0, 11);
		out->expires_in = db_cell_int(&rows, 0, 12);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_auth_epoch(struct db *db, unsigned long long *epoch)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_EPOCH_GET, &rows, "");
	if (st == CF_OK)
		*epoch = (unsigned long long)db_cell_int(&rows, 0, 0);
	else if (st == CF_E_NOT_FOUND) {   /* no revocation yet */
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
