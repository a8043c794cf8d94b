/* store_ratelimit.h - fixed-window request counters in MariaDB. */
#ifndef CONFAB_STORE_RATELIMIT_H
#define CONFAB_STORE_RATELIMIT_H

#include <stdbool.h>

#include "db.h"

/* Counts one request of key (borrowed, ≤ 64 bytes) in scope ('t' or 's')
 * for the window starting at window_start and stores the count including
 * this request in *count: one statement, one round trip. */
cf_status store_ratelimit_hit(struct db *db, char scope, const char *key, long long window_start,
                              int window_seconds, long long *count) CF_MUST_CHECK;
/* As store_ratelimit_hit, for a key that is a chat session's external id:
 * counted only when that session exists (*exists false: nothing stored,
 * *count 0), so made-up session ids add no rows. Still one statement. */
cf_status store_ratelimit_hit_session(struct db *db, char scope, const char *session_external_id,
                                      long long window_start, int window_seconds, long long *count,
                                      bool *exists) CF_MUST_CHECK;
/* Deletes at most limit windows that ended before now (unix seconds);
 * *removed (may be NULL) gets how many. */
cf_status store_ratelimit_purge(struct db *db, long long now, int limit, unsigned long long *removed) CF_MUST_CHECK;

#endif
