/* store_idempotency.h - idempotency keys and their stored first responses. */
#ifndef CONFAB_STORE_IDEMPOTENCY_H
#define CONFAB_STORE_IDEMPOTENCY_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* Reserves (scope, key) for a request with hash (all borrowed). CF_OK:
 * reserved, run the request. CF_E_CONFLICT: the key is taken (read it with
 * store_idem_get). A row older than the TTL is replaced. */
cf_status store_idem_reserve(struct db *db, const char *scope, const char *key, const char *hash) CF_MUST_CHECK;
/* A key's row: the request it was reserved for and, once done, the first
 * response. location and body are owned (idempotency_row_free). */
struct idempotency_row {
	char request_hash[65];   /* CHAR(64) hex */
	bool done;               /* false while the first request runs */
	int http_status;
	bool has_content_type;   /* false: SQL NULL (no header was sent) */
	char content_type[129];  /* VARCHAR(128) ASCII */
	char *location;          /* NULL when none was sent */
	char *body;              /* body_len bytes and a NUL; "" while not done */
	size_t body_len;
};
void idempotency_row_free(struct idempotency_row *row);
/* The row of (scope, key) into *out (caller frees with idempotency_row_free,
 * also after a failure). CF_E_NOT_FOUND when absent. */
cf_status store_idem_get(struct db *db, const char *scope, const char *key, struct idempotency_row *out) CF_MUST_CHECK;
/* Stores the response of a reserved key. */
cf_status store_idem_finish(struct db *db, const char *scope, const char *key, int http_status,
                            const char *content_type, const char *location, const char *body,
                            size_t body_len) CF_MUST_CHECK;
/* Forgets a reserved key (the request failed with a 5xx: a retry runs again). */
cf_status store_idem_release(struct db *db, const char *scope, const char *key) CF_MUST_CHECK;
/* Deletes at most limit keys older than the TTL; *removed (may be NULL)
 * gets how many were deleted (the runner's purge repeats until fewer than
 * limit). */
cf_status store_idem_purge(struct db *db, int limit, unsigned long long *removed) CF_MUST_CHECK;

#endif
