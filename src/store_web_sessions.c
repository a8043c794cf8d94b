/* store_web_sessions.c - SQL of web_sessions. Its own module rather than a
 * part of store_keys: a cookie login is a short-lived row with its own
 * lifecycle (created at login, purged on expiry), read only by
 * websession.c, while store_keys holds the long-lived credentials. */
#include "store_web_sessions.h"

#include <stdio.h>
#include <string.h>

static const char SQL_WEB_CREATE[] =
	"INSERT INTO web_sessions (session_hash, user_id, csrf_secret, expires)"
	" VALUES (?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";
/* One read for both uses: the logged-in user and the CSRF secret. */
enum { WEB_USER_ID, WEB_USER_EMAIL, WEB_CSRF_SECRET };
static const char SQL_WEB_FIND[] =
	"SELECT u.id, u.email, w.csrf_secret FROM web_sessions w JOIN users u ON u.id = w.user_id"
	" WHERE w.session_hash = ? AND w.expires > UTC_TIMESTAMP(6) AND u.is_active = 1";
static const char SQL_WEB_DELETE[] = "DELETE FROM web_sessions WHERE session_hash = ?";
static const char SQL_WEB_PURGE[] = "DELETE FROM web_sessions WHERE expires < UTC_TIMESTAMP(6) LIMIT ?";

cf_status store_web_session_create(struct db *db, const char *session_hash, unsigned long long user_id,
                                   const char *csrf_secret, long ttl_seconds)
{
	return db_exec(db, SQL_WEB_CREATE, NULL, NULL, "susi", session_hash, user_id, csrf_secret,
	               (long long)ttl_seconds);
}

cf_status store_web_session_find(struct db *db, const char *session_hash, struct web_session_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_WEB_FIND, &rows, "s", session_hash);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		out->user_id = (unsigned long long)db_cell_int(&rows, 0, WEB_USER_ID);
		snprintf(out->user_email, sizeof out->user_email, "%s", db_cell_str(&rows, 0, WEB_USER_EMAIL));
		snprintf(out->csrf_secret, sizeof out->csrf_secret, "%s", db_cell_str(&rows, 0, WEB_CSRF_SECRET));
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_web_session_delete(struct db *db, const char *session_hash)
{
	return db_exec(db, SQL_WEB_DELETE, NULL, NULL, "s", session_hash);
}

cf_status store_web_sessions_purge(struct db *db, int limit, unsigned long long *removed)
{
	return db_exec(db, SQL_WEB_PURGE, removed, NULL, "i", (long long)limit);
}
