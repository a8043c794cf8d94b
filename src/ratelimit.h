/* ratelimit.h - fixed-window rate limits (API.md §14): per team on the API
 * routes, per chat session on /api/chat/{session_id}/... . The counters are
 * in MariaDB (store_ratelimit), so every worker on every host shares them;
 * one statement per limited request. */
#ifndef CONFAB_RATELIMIT_H
#define CONFAB_RATELIMIT_H

#include <stdbool.h>

#include "app.h"

struct ratelimit_state {
	bool active;         /* a limit applies and its headers are to be sent */
	bool exceeded;       /* enforce mode and over the limit: answer 429 */
	int limit;
	long long remaining;
	int reset;           /* seconds until the window ends (≥ 1) */
};

/* Counts this request against the limit that applies to it, if any (m and
 * who borrowed: who must already be authenticated). Never fails: when the
 * database cannot count, the request goes through (logged) with no limit. */
void ratelimit_count(struct app *app, const struct route_match *m, const struct principal *who,
                     struct ratelimit_state *out);
/* Adds X-RateLimit-Limit/-Remaining/-Reset (and Retry-After when exceeded)
 * to resp; nothing when !rl->active. */
void ratelimit_headers(const struct ratelimit_state *rl, struct response *resp);
/* Replies 429 {"detail": "Rate limit exceeded.", "available_in": N}. */
void ratelimit_reply(const struct ratelimit_state *rl, struct response *resp);

#endif
