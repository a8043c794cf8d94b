/* store_ratelimits.c - fixed-window request counters (see store_ratelimits.h). */
#include "store_ratelimits.h"

/* LAST_INSERT_ID(expr) hands the new count back as the statement's insert
 * id, so the add and the read of the total are one statement. */
static const char SQL_ADD[] =
	"INSERT INTO rate_limit_windows (scope, rl_key, window_start, window_seconds, count) "
	"VALUES (?, ?, ?, ?, LAST_INSERT_ID(?)) "
	"ON DUPLICATE KEY UPDATE count = LAST_INSERT_ID(count + ?)";

/* The same upsert fed by a SELECT of the session: no session, no row. */
static const char SQL_ADD_SESSION[] =
	"INSERT INTO rate_limit_windows (scope, rl_key, window_start, window_seconds, count) "
	"SELECT ?, s.external_id, ?, ?, LAST_INSERT_ID(?) FROM experiment_sessions s WHERE s.external_id = ? "
	"ON DUPLICATE KEY UPDATE count = LAST_INSERT_ID(rate_limit_windows.count + ?)";

static const char SQL_PURGE[] =
	"DELETE FROM rate_limit_windows WHERE window_start + window_seconds < ? LIMIT ?";

cf_status store_ratelimits_add(struct db *db, const struct ratelimit_window *w, long long hits,
                               struct ratelimit_total *out)
{
	char scope_s[2] = {w->scope, '\0'};
	unsigned long long id = 0;
	cf_status st = db_exec(db, SQL_ADD, NULL, &id, "ssiiii", scope_s, w->key, w->window_start,
	                       (long long)w->window_seconds, hits, hits);
	out->count = st == CF_OK ? (long long)id : 0;
	out->exists = true;
	return st;
}

cf_status store_ratelimits_add_session(struct db *db, const struct ratelimit_window *w, long long hits,
                                       struct ratelimit_total *out)
{
	char scope_s[2] = {w->scope, '\0'};
	unsigned long long id = 0, affected = 0;
	cf_status st = db_exec(db, SQL_ADD_SESSION, &affected, &id, "siiisi", scope_s, w->window_start,
	                       (long long)w->window_seconds, hits, w->key, hits);
	out->exists = st == CF_OK && affected > 0;
	out->count = out->exists ? (long long)id : 0;
	return st;
}

cf_status store_ratelimits_purge(struct db *db, long long now, int limit, unsigned long long *removed)
{
	return db_exec(db, SQL_PURGE, removed, NULL, "ii", now, (long long)limit);
}
