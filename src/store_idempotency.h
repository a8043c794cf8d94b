/* store_idempotency.h - idempotency keys and their stored first responses. */
#ifndef CONFAB_STORE_IDEMPOTENCY_H
#define CONFAB_STORE_IDEMPOTENCY_H

#include "db.h"

#define IDEMPOTENCY_TTL_HOURS 24

/* Reserves (scope, key) for a request with hash (all borrowed). CF_OK:
 * reserved, run the request. CF_E_CONFLICT: the key is taken (read it with
 * store_idem_get). A row older than the TTL is replaced. */
cf_status store_idem_reserve(struct db *db, const char *scope, const char *key, const char *hash) CF_MUST_CHECK;
/* The row of (scope, key): columns request_hash, done, http_status,
 * content_type, location, body. CF_E_NOT_FOUND when absent (free rows). */
cf_status store_idem_get(struct db *db, const char *scope, const char *key, struct db_rows *rows) CF_MUST_CHECK;
/* Stores the response of a reserved key. */
cf_status store_idem_finish(struct db *db, const char *scope, const char *key, int http_status,
                            const char *content_type, const char *location, const char *body,
                            size_t body_len) CF_MUST_CHECK;
/* Forgets a reserved key (the request failed with a 5xx: a retry runs again). */
cf_status store_idem_release(struct db *db, const char *scope, const char *key) CF_MUST_CHECK;
/* Deletes at most limit keys older than the TTL. */
cf_status store_idem_purge(struct db *db, int limit) CF_MUST_CHECK;

/* As store_idem_purge; *removed (may be NULL) gets how many were deleted
 * (the runner's purge repeats until fewer than limit). */
cf_status store_idem_purge_count(struct db *db, int limit, unsigned long long *removed) CF_MUST_CHECK;

#endif
