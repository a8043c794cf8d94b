/* store_ratelimit.h - fixed-window request counters in MariaDB. */
#ifndef CONFAB_STORE_RATELIMIT_H
#define CONFAB_STORE_RATELIMIT_H

#include "db.h"

/* Counts one request of key (borrowed, ≤ 64 bytes) in scope ('t' or 's')
 * for the window starting at window_start and stores the count including
 * this request in *count: one statement, one round trip. */
cf_status store_ratelimit_hit(struct db *db, char scope, const char *key, long long window_start,
                              int window_seconds, long long *count) CF_MUST_CHECK;
/* Deletes at most limit windows that ended before now (unix seconds). */
cf_status store_ratelimit_purge(struct db *db, long long now, int limit) CF_MUST_CHECK;

#endif
