/* store_idempotency.c - idempotency keys (see store_idempotency.h). */
#include "store_idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "xalloc.h"

static const char SQL_DROP_STALE[] =
	"DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? "
	"AND created_at < NOW(6) - INTERVAL ? HOUR";
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
	"DELETE FROM idempotency_keys WHERE created_at < NOW(6) - INTERVAL ? HOUR LIMIT ?";

cf_status store_idem_reserve(struct db *db, const char *scope, const char *key, const char *hash)
{
	cf_status st = db_exec(db, SQL_DROP_STALE, NULL, NULL, "ssi", scope, key, (long long)CF_IDEMPOTENCY_TTL_HOURS);
	if (st == CF_OK)
		st = db_exec(db, SQL_RESERVE, NULL, NULL, "sss", scope, key, hash);
	return st;
}

enum { GET_HASH, GET_DONE, GET_STATUS, GET_CONTENT_TYPE, GET_LOCATION, GET_BODY };

void idempotency_row_free(struct idempotency_row *row)
{
	free(row->location);
	free(row->body);
	memset(row, 0, sizeof *row);
}

cf_status store_idem_get(struct db *db, const char *scope, const char *key, struct idempotency_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_GET, &rows, "ss", scope, key);
	if (st == CF_OK) {
		snprintf(out->request_hash, sizeof out->request_hash, "%s", db_cell_str(&rows, 0, GET_HASH));
		out->done = db_cell_bool(&rows, 0, GET_DONE);
		out->http_status = (int)db_cell_int(&rows, 0, GET_STATUS);
		const char *ctype = db_cell(&rows, 0, GET_CONTENT_TYPE), *location = db_cell(&rows, 0, GET_LOCATION);
		out->has_content_type = ctype != NULL;
		snprintf(out->content_type, sizeof out->content_type, "%s", ctype ? ctype : "");
		out->location = location ? xstrdup(location) : NULL;
		/* The body is a blob: copied by length, then terminated for callers
		 * that treat it as text. */
		out->body_len = rows.lens[GET_BODY];
		out->body = xmalloc(out->body_len + 1);
		if (out->body_len > 0)
			memcpy(out->body, db_cell_str(&rows, 0, GET_BODY), out->body_len);
		out->body[out->body_len] = '\0';
	}
	db_rows_free(&rows);
	return st;
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

cf_status store_idem_purge(struct db *db, int limit, unsigned long long *removed)
{
	return db_exec(db, SQL_PURGE, removed, NULL, "ii", (long long)CF_IDEMPOTENCY_TTL_HOURS, (long long)limit);
}
