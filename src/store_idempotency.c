/* store_idempotency.c - idempotency keys (see store_idempotency.h). */
#include "store_idempotency.h"

static const char SQL_DROP_STALE[] =
	"DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? "
	"AND created_at < NOW(6) - INTERVAL 24 HOUR";
static const char SQL_RESERVE[] =
	"INSERT INTO idempotency_keys (scope, idem_key, request_hash) VALUES (?, ?, ?)";
static const char SQL_GET[] =
	"SELECT request_hash, done, http_status, content_type, location, body FROM idempotency_keys "
	"WHERE scope = ? AND idem_key = ?";
static const char SQL_FINISH[] =
	"UPDATE idempotency_keys SET done = 1, http_status = ?, content_type = ?, location = ?, body = ? "
	"WHERE scope = ? AND idem_key = ?";
static const char SQL_RELEASE[] = "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND done = 0";
static const char SQL_PURGE[] =
	"DELETE FROM idempotency_keys WHERE created_at < NOW(6) - INTERVAL 24 HOUR LIMIT ?";

cf_status store_idem_reserve(struct db *db, const char *scope, const char *key, const char *hash)
{
	cf_status st = db_exec(db, SQL_DROP_STALE, NULL, NULL, "ss", scope, key);
	if (st == CF_OK)
		st = db_exec(db, SQL_RESERVE, NULL, NULL, "sss", scope, key, hash);
	return st;
}

cf_status store_idem_get(struct db *db, const char *scope, const char *key, struct db_rows *rows)
{
	return db_query_one(db, SQL_GET, rows, "ss", scope, key);
}

cf_status store_idem_finish(struct db *db, const char *scope, const char *key, int http_status,
                            const char *content_type, const char *location, const char *body, size_t body_len)
{
	(void)body_len;   /* bodies are NUL-terminated JSON text */
	return db_exec(db, SQL_FINISH, NULL, NULL, "isssss", (long long)http_status, content_type, location,
	               body ? body : "", scope, key);
}

cf_status store_idem_release(struct db *db, const char *scope, const char *key)
{
	return db_exec(db, SQL_RELEASE, NULL, NULL, "ss", scope, key);
}

cf_status store_idem_purge(struct db *db, int limit)
{
	return db_exec(db, SQL_PURGE, NULL, NULL, "i", (long long)limit);
}

cf_status store_idem_purge_count(struct db *db, int limit, unsigned long long *removed)
{
	return db_exec(db, SQL_PURGE, removed, NULL, "i", (long long)limit);
}
