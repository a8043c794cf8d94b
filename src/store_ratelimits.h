/* store_ratelimits.h - the table rate_limit_windows: fixed-window request
 * counters shared by every host, added to in batches (ratelimit_shm.h
 * holds the hits not yet added). */
#ifndef CONFAB_STORE_RATELIMITS_H
#define CONFAB_STORE_RATELIMITS_H

#include <stdbool.h>

#include "db.h"
#include "limits.h"

/* One window's identity: the primary key of rate_limit_windows (plus its
 * length, which the purge needs). */
struct ratelimit_window {
	char scope;                        /* one letter per limit class (ratelimit.c) */
	char key[CF_RL_KEY_MAX + 1];       /* team id, session id, address or SHA-256 */
	long long window_start;            /* unix seconds, a multiple of window_seconds */
	int window_seconds;
};

/* What an add returned. */
struct ratelimit_total {
	long long count;   /* the window's count after the add, every host's hits included */
	bool exists;       /* session variant: false when no such chat session (nothing stored) */
};

/* Adds hits (≥ 1) to w's counter and returns the new total in *out (exists
 * always true): one statement, one round trip. */
cf_status store_ratelimits_add(struct db *db, const struct ratelimit_window *w, long long hits,
                               struct ratelimit_total *out) CF_MUST_CHECK;
/* As store_ratelimits_add for a key that is a chat session's external id:
 * counted only when that session exists (out->exists false: nothing
 * stored, count 0), so made-up session ids add no rows. One statement. */
cf_status store_ratelimits_add_session(struct db *db, const struct ratelimit_window *w, long long hits,
                                       struct ratelimit_total *out) CF_MUST_CHECK;
/* Deletes at most limit windows that ended before now (unix seconds);
 * *removed (may be NULL) gets how many. */
cf_status store_ratelimits_purge(struct db *db, long long now, int limit, unsigned long long *removed) CF_MUST_CHECK;

#endif
