/* store_oauth.c - SQL of the OAuth2 applications, grants and tokens. */
#include "store_oauth.h"

#include <stdio.h>
#include <string.h>

#include "limits.h"

static const char SQL_APP_CREATE[] =
	"INSERT INTO oauth_applications (client_id, client_secret_hash, name, redirect_uris, client_type, grant_type,"
	" team_id, scopes) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?)";
static const char SQL_APP_FIND[] =
	"SELECT id, client_id, COALESCE(client_secret_hash, ''), name, redirect_uris, client_type = 'confidential',"
	" skip_authorization, grant_type = 'client-credentials', COALESCE(team_id, 0), COALESCE(scopes, '')"
	" FROM oauth_applications WHERE client_id = ?";
/* The chatbot must be in the application's team; a version's public id
 * names its family (the working row). */
static const char SQL_APP_ALLOW[] =
	"INSERT IGNORE INTO oauth_application_chatbots (application_id, experiment_id)"
	" SELECT a.id, COALESCE(e.working_version_id, e.id) FROM oauth_applications a"
	" JOIN experiments e ON e.team_id = a.team_id AND e.public_id = ?"
	" WHERE a.client_id = ? AND a.grant_type = 'client-credentials'";
static const char SQL_APP_ALLOW_CHECK[] =
	"SELECT 1 FROM oauth_applications a JOIN experiments e ON e.team_id = a.team_id AND e.public_id = ?"
	" WHERE a.client_id = ? AND a.grant_type = 'client-credentials'";
static const char SQL_APP_DISALLOW[] =
	"DELETE c FROM oauth_application_chatbots c JOIN oauth_applications a ON a.id = c.application_id"
	" JOIN experiments e ON COALESCE(e.working_version_id, e.id) = c.experiment_id"
	" WHERE a.client_id = ? AND e.public_id = ?";
static const char SQL_APP_ALLOWS[] =
	"SELECT 1 FROM oauth_application_chatbots WHERE application_id = ? AND experiment_id = ?";
static const char SQL_APP_LIST[] =
	"SELECT a.client_id, a.name, a.grant_type, COALESCE(a.scopes, ''),"
	" COALESCE(GROUP_CONCAT(e.public_id ORDER BY e.id SEPARATOR ','), '')"
	" FROM oauth_applications a LEFT JOIN oauth_application_chatbots c ON c.application_id = a.id"
	" LEFT JOIN experiments e ON e.id = c.experiment_id"
	" WHERE a.team_id = ? GROUP BY a.id ORDER BY a.id LIMIT 1000";
static const char SQL_GRANT_CREATE[] =
	"INSERT INTO oauth_grants (code_hash, application_id, user_id, team_id, scope, redirect_uri,"
	" code_challenge, code_challenge_method, expires, redirect_uri_sent)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND, ?)";
/* Used and expired grants too: a replayed code must be recognised. */
static const char SQL_GRANT_LOCK[] =
	"SELECT id, user_id, team_id, scope, redirect_uri, code_challenge, code_challenge_method, used,"
	" expires <= UTC_TIMESTAMP(6), redirect_uri_sent FROM oauth_grants"
	" WHERE code_hash = ? AND application_id = ? FOR UPDATE";
static const char SQL_GRANT_USE[] = "UPDATE oauth_grants SET used = 1 WHERE id = ?";
static const char SQL_ACCESS_CREATE[] =
	"INSERT INTO oauth_access_tokens (token_hash, application_id, user_id, team_id, scope, expires, grant_id)"
	" VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND, NULLIF(?, 0))";
static const char SQL_MACHINE_CREATE[] =
	"INSERT INTO oauth_access_tokens (token_hash, application_id, user_id, team_id, scope, expires)"
	" VALUES (?, ?, NULL, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";
static const char SQL_REFRESH_CREATE[] =
	"INSERT INTO oauth_refresh_tokens (token_hash, access_token_id, application_id, user_id, team_id, scope,"
	" grant_id, expires) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";
#define TOKEN_OWNER_COLUMNS \
	" x.user_id, x.team_id, x.scope, u.email, u.is_active, m.id IS NOT NULL, COALESCE(m.role, ''), t.slug, t.name"
#define TOKEN_OWNER_JOINS \
	" JOIN users u ON u.id = x.user_id JOIN teams t ON t.id = x.team_id" \
	" LEFT JOIN team_memberships m ON m.team_id = x.team_id AND m.user_id = x.user_id"
/* Machine tokens have no user: the user columns are empty for them, and
 * column 12 says which kind it is. */
static const char SQL_ACCESS_FIND[] =
	"SELECT x.id, 0, COALESCE(x.application_id, 0), COALESCE(x.user_id, 0), x.team_id, x.scope,"
	" COALESCE(u.email, ''), COALESCE(u.is_active, 0), m.id IS NOT NULL, COALESCE(m.role, ''), t.slug, t.name,"
	" x.user_id IS NULL AND COALESCE(a.grant_type = 'client-credentials', 0)"
	" FROM oauth_access_tokens x JOIN teams t ON t.id = x.team_id"
	" LEFT JOIN users u ON u.id = x.user_id"
	" LEFT JOIN team_memberships m ON m.team_id = x.team_id AND m.user_id = x.user_id"
	" LEFT JOIN oauth_applications a ON a.id = x.application_id"
	" WHERE x.token_hash = ? AND x.revoked = 0 AND x.expires > UTC_TIMESTAMP(6)";
/* Revoked ones too (reuse detection); columns 12.. are grant_id, revoked,
 * expired. A row without an expiry (none are written so) never expires. */
static const char SQL_REFRESH_TAKE[] =
	"SELECT x.id, COALESCE(x.access_token_id, 0), x.application_id," TOKEN_OWNER_COLUMNS ","
	" COALESCE(x.grant_id, 0), x.revoked, COALESCE(x.expires <= UTC_TIMESTAMP(6), 0)"
	" FROM oauth_refresh_tokens x" TOKEN_OWNER_JOINS
	" WHERE x.token_hash = ? AND x.application_id = ? FOR UPDATE";
static const char SQL_REFRESH_REVOKE[] = "UPDATE oauth_refresh_tokens SET revoked = 1 WHERE id = ?";
static const char SQL_REFRESH_ROTATED[] = "UPDATE oauth_refresh_tokens SET revoked = 1, rotated = 1 WHERE id = ?";
static const char SQL_FAMILY_REVOKE_ACCESS[] =
	"UPDATE oauth_access_tokens SET revoked = 1 WHERE grant_id = ? AND revoked = 0";
static const char SQL_FAMILY_REVOKE_REFRESH[] =
	"UPDATE oauth_refresh_tokens SET revoked = 1 WHERE grant_id = ? AND revoked = 0";
static const char SQL_ACCESS_REVOKE_ID[] = "UPDATE oauth_access_tokens SET revoked = 1 WHERE id = ?";
static const char SQL_ACCESS_REVOKE_HASH[] =
	"UPDATE oauth_access_tokens SET revoked = 1 WHERE token_hash = ? AND application_id = ?";
static const char SQL_REFRESH_REVOKE_HASH[] =
	"UPDATE oauth_refresh_tokens r LEFT JOIN oauth_access_tokens a ON a.id = r.access_token_id"
	" SET r.revoked = 1, a.revoked = 1 WHERE r.token_hash = ? AND r.application_id = ?";

cf_status store_oauth_app_create(struct db *db, const char *client_id, const char *secret_hash, const char *name,
                                 const char *redirect_uris, bool confidential, enum oauth_grant_type grant,
                                 unsigned long long team_id, const char *scopes)
{
	return db_exec(db, SQL_APP_CREATE, NULL, NULL, "ssssssus", client_id, secret_hash, name, redirect_uris,
	               confidential ? "confidential" : "public",
	               grant == OAUTH_GRANT_CLIENT_CREDENTIALS ? "client-credentials" : "authorization-code", team_id,
	               scopes);
}

cf_status store_oauth_app_allow(struct db *db, const char *client_id, const char *chatbot_public_id)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_APP_ALLOW_CHECK, &rows, "ss", chatbot_public_id, client_id);
	db_rows_free(&rows);
	if (st == CF_OK)
		st = db_exec(db, SQL_APP_ALLOW, NULL, NULL, "ss", chatbot_public_id, client_id);
	return st;
}

cf_status store_oauth_app_disallow(struct db *db, const char *client_id, const char *chatbot_public_id)
{
	unsigned long long removed = 0;
	cf_status st = db_exec(db, SQL_APP_DISALLOW, &removed, NULL, "ss", client_id, chatbot_public_id);
	return st == CF_OK && removed == 0 ? CF_E_NOT_FOUND : st;
}

cf_status store_oauth_app_allows(struct db *db, unsigned long long app_id, unsigned long long working_id,
                                 bool *allowed)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_APP_ALLOWS, &rows, "uu", app_id, working_id);
	*allowed = st == CF_OK && rows.nrows > 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_oauth_app_list(struct db *db, unsigned long long team_id, oauth_app_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_APP_LIST, &rows, "u", team_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct oauth_app_summary a;
		snprintf(a.client_id, sizeof a.client_id, "%s", db_cell_str(&rows, r, 0));
		snprintf(a.name, sizeof a.name, "%s", db_cell_str(&rows, r, 1));
		snprintf(a.grant_type, sizeof a.grant_type, "%s", db_cell_str(&rows, r, 2));
		snprintf(a.scopes, sizeof a.scopes, "%s", db_cell_str(&rows, r, 3));
		snprintf(a.chatbots, sizeof a.chatbots, "%s", db_cell_str(&rows, r, 4));
		st = fn(ctx, &a);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_oauth_app_find(struct db *db, const char *client_id, struct oauth_application_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_APP_FIND, &rows, "s", client_id);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		out->id = (unsigned long long)db_cell_int(&rows, 0, 0);
		snprintf(out->client_id, sizeof out->client_id, "%s", db_cell_str(&rows, 0, 1));
		snprintf(out->secret_hash, sizeof out->secret_hash, "%s", db_cell_str(&rows, 0, 2));
		snprintf(out->name, sizeof out->name, "%s", db_cell_str(&rows, 0, 3));
		snprintf(out->redirect_uris, sizeof out->redirect_uris, "%s", db_cell_str(&rows, 0, 4));
		out->confidential = db_cell_bool(&rows, 0, 5);
		out->skip_authorization = db_cell_bool(&rows, 0, 6);
		out->grant_type = db_cell_bool(&rows, 0, 7) ? OAUTH_GRANT_CLIENT_CREDENTIALS : OAUTH_GRANT_AUTHORIZATION_CODE;
		out->team_id = (unsigned long long)db_cell_int(&rows, 0, 8);
		snprintf(out->scopes, sizeof out->scopes, "%s", db_cell_str(&rows, 0, 9));
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_grant_create(struct db *db, const char *code_hash, unsigned long long app_id,
                             unsigned long long user_id, unsigned long long team_id, const char *scope,
                             const char *redirect_uri, bool redirect_sent, const char *challenge,
                             const char *method, long ttl_seconds)
{
	return db_exec(db, SQL_GRANT_CREATE, NULL, NULL, "suuussssii", code_hash, app_id, user_id, team_id, scope,
	               redirect_uri, challenge, method, (long long)ttl_seconds, (long long)(redirect_sent ? 1 : 0));
}

cf_status store_grant_lock(struct db *db, const char *code_hash, unsigned long long app_id, struct oauth_grant_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_GRANT_LOCK, &rows, "su", code_hash, app_id);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		out->id = (unsigned long long)db_cell_int(&rows, 0, 0);
		out->user_id = (unsigned long long)db_cell_int(&rows, 0, 1);
		out->team_id = (unsigned long long)db_cell_int(&rows, 0, 2);
		snprintf(out->scope, sizeof out->scope, "%s", db_cell_str(&rows, 0, 3));
		snprintf(out->redirect_uri, sizeof out->redirect_uri, "%s", db_cell_str(&rows, 0, 4));
		snprintf(out->challenge, sizeof out->challenge, "%s", db_cell_str(&rows, 0, 5));
		snprintf(out->method, sizeof out->method, "%s", db_cell_str(&rows, 0, 6));
		out->used = db_cell_bool(&rows, 0, 7);
		out->expired = db_cell_bool(&rows, 0, 8);
		out->redirect_sent = db_cell_bool(&rows, 0, 9);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_grant_mark_used(struct db *db, unsigned long long grant_id)
{
	return db_exec(db, SQL_GRANT_USE, NULL, NULL, "u", grant_id);
}

cf_status store_grant_family_revoke(struct db *db, unsigned long long grant_id)
{
	cf_status st = db_exec(db, SQL_FAMILY_REVOKE_ACCESS, NULL, NULL, "u", grant_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_FAMILY_REVOKE_REFRESH, NULL, NULL, "u", grant_id);
	return st;
}

cf_status store_access_token_create(struct db *db, const char *token_hash, unsigned long long app_id,
                                    unsigned long long user_id, unsigned long long team_id, const char *scope,
                                    long ttl_seconds, unsigned long long grant_id, unsigned long long *id)
{
	return db_exec(db, SQL_ACCESS_CREATE, NULL, id, "suuusiu", token_hash, app_id, user_id, team_id, scope,
	               (long long)ttl_seconds, grant_id);
}

cf_status store_machine_token_create(struct db *db, const char *token_hash, unsigned long long app_id,
                                     unsigned long long team_id, const char *scope, long ttl_seconds)
{
	return db_exec(db, SQL_MACHINE_CREATE, NULL, NULL, "suusi", token_hash, app_id, team_id, scope,
	               (long long)ttl_seconds);
}

cf_status store_refresh_token_create(struct db *db, const char *token_hash, unsigned long long access_id,
                                     unsigned long long app_id, unsigned long long user_id,
                                     unsigned long long team_id, const char *scope, unsigned long long grant_id,
                                     long ttl_seconds)
{
	return db_exec(db, SQL_REFRESH_CREATE, NULL, NULL, "suuuusui", token_hash, access_id, app_id, user_id, team_id,
	               scope, grant_id, (long long)ttl_seconds);
}

static void copy_token(const struct db_rows *rows, struct oauth_token_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = (unsigned long long)db_cell_int(rows, 0, 0);
	out->access_token_id = (unsigned long long)db_cell_int(rows, 0, 1);
	out->application_id = (unsigned long long)db_cell_int(rows, 0, 2);
	out->user_id = (unsigned long long)db_cell_int(rows, 0, 3);
	out->team_id = (unsigned long long)db_cell_int(rows, 0, 4);
	snprintf(out->scope, sizeof out->scope, "%s", db_cell_str(rows, 0, 5));
	snprintf(out->user_email, sizeof out->user_email, "%s", db_cell_str(rows, 0, 6));
	out->user_active = db_cell_bool(rows, 0, 7);
	out->is_member = db_cell_bool(rows, 0, 8);
	snprintf(out->role, sizeof out->role, "%s", db_cell_str(rows, 0, 9));
	snprintf(out->team_slug, sizeof out->team_slug, "%s", db_cell_str(rows, 0, 10));
	snprintf(out->team_name, sizeof out->team_name, "%s", db_cell_str(rows, 0, 11));
}

cf_status store_access_token_find(struct db *db, const char *token_hash, struct oauth_token_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_ACCESS_FIND, &rows, "s", token_hash);
	if (st == CF_OK) {
		copy_token(&rows, out);
		out->machine = db_cell_bool(&rows, 0, 12);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_refresh_token_take(struct db *db, const char *token_hash, unsigned long long app_id,
                                   struct oauth_token_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_REFRESH_TAKE, &rows, "su", token_hash, app_id);
	if (st == CF_OK) {
		copy_token(&rows, out);
		out->grant_id = (unsigned long long)db_cell_int(&rows, 0, 12);
		out->revoked = db_cell_bool(&rows, 0, 13);
		out->expired = db_cell_bool(&rows, 0, 14);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_refresh_token_revoke(struct db *db, unsigned long long id)
{
	return db_exec(db, SQL_REFRESH_REVOKE, NULL, NULL, "u", id);
}

cf_status store_refresh_token_rotated(struct db *db, unsigned long long id)
{
	return db_exec(db, SQL_REFRESH_ROTATED, NULL, NULL, "u", id);
}

cf_status store_access_token_revoke_id(struct db *db, unsigned long long id)
{
	return db_exec(db, SQL_ACCESS_REVOKE_ID, NULL, NULL, "u", id);
}

cf_status store_token_revoke(struct db *db, const char *token_hash, unsigned long long app_id)
{
	cf_status st = db_exec(db, SQL_ACCESS_REVOKE_HASH, NULL, NULL, "su", token_hash, app_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_REFRESH_REVOKE_HASH, NULL, NULL, "su", token_hash, app_id);
	return st;
}

/* ---- purges of expired rows (runner.c, every purge cycle) ----
 * Grants stay an hour past their expiry, so that a late replay of a code is
 * still recognised as one. Refresh tokens, rotated ones included, stay until
 * they expire, so that the reuse of a rotated one still revokes its family;
 * a row without an expiry goes CF_OAUTH_REVOKED_KEEP_DAYS after it was made. */
static const char SQL_PURGE_GRANTS[] =
	"DELETE FROM oauth_grants WHERE expires < UTC_TIMESTAMP(6) - INTERVAL 1 HOUR LIMIT ?";
static const char SQL_PURGE_ACCESS[] = "DELETE FROM oauth_access_tokens WHERE expires < UTC_TIMESTAMP(6) LIMIT ?";
static const char SQL_PURGE_REFRESH[] =
	"DELETE FROM oauth_refresh_tokens"
	" WHERE COALESCE(expires, created_at + INTERVAL ? DAY) < UTC_TIMESTAMP(6) LIMIT ?";

cf_status store_oauth_purge(struct db *db, enum oauth_purge what, int limit, unsigned long long *removed)
{
	switch (what) {
	case OAUTH_PURGE_GRANTS:
		return db_exec(db, SQL_PURGE_GRANTS, removed, NULL, "i", (long long)limit);
	case OAUTH_PURGE_ACCESS_TOKENS:
		return db_exec(db, SQL_PURGE_ACCESS, removed, NULL, "i", (long long)limit);
	case OAUTH_PURGE_REFRESH_TOKENS:
		return db_exec(db, SQL_PURGE_REFRESH, removed, NULL, "ii", (long long)CF_OAUTH_REVOKED_KEEP_DAYS,
		               (long long)limit);
	}
	return CF_E_INTERNAL;
}
