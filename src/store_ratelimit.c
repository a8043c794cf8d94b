/* store_ratelimit.c - fixed-window request counters (see store_ratelimit.h). */
#include "store_ratelimit.h"

/* LAST_INSERT_ID(expr) hands the new count back as the statement's insert
 * id, so the increment and the read are one statement. */
static const char SQL_HIT[] =
	"INSERT INTO rate_limit_windows (scope, rl_key, window_start, window_seconds, count) "
	"VALUES (?, ?, ?, ?, LAST_INSERT_ID(1)) "
	"ON DUPLICATE KEY UPDATE count = LAST_INSERT_ID(count + 1)";

/* The same upsert fed by a SELECT of the session: no session, no row. */
static const char SQL_HIT_SESSION[] =
	"INSERT INTO rate_limit_windows (scope, rl_key, window_start, window_seconds, count) "
	"SELECT ?, s.external_id, ?, ?, LAST_INSERT_ID(1) FROM experiment_sessions s WHERE s.external_id = ? "
	"ON DUPLICATE KEY UPDATE count = LAST_INSERT_ID(rate_limit_windows.count + 1)";

static const char SQL_PURGE[] =
	"DELETE FROM rate_limit_windows WHERE window_start + window_seconds < ? LIMIT ?";

cf_status store_ratelimit_hit(struct db *db, char scope, const char *key, long long window_start,
                              int window_seconds, long long *count)
{
	char scope_s[2] = {scope, '\0'};
	unsigned long long id = 0;
	cf_status st = db_exec(db, SQL_HIT, NULL, &id, "ssii", scope_s, key, window_start, (long long)window_seconds);
	*count = (long long)id;
	return st;
}

cf_status store_ratelimit_hit_session(struct db *db, char scope, const char *session_external_id,
                                      long long window_start, int window_seconds, long long *count, bool *exists)
{
	char scope_s[2] = {scope, '\0'};
	unsigned long long id = 0, affected = 0;
	cf_status st = db_exec(db, SQL_HIT_SESSION, &affected, &id, "siis", scope_s, window_start,
	                       (long long)window_seconds, session_external_id);
	*exists = st == CF_OK && affected > 0;
	*count = *exists ? (long long)id : 0;
	return st;
}

cf_status store_ratelimit_purge(struct db *db, long long now, int limit, unsigned long long *removed)
{
	return db_exec(db, SQL_PURGE, removed, NULL, "ii", now, (long long)limit);
}
