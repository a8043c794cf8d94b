/* ratelimit.h - fixed-window rate limits (docs/API.md §14): per team on the API
 * routes, per chat session on /api/chat/{session_id}/... (sessions that
 * exist only), and the classes below (uploads, chat start, login) per chat
 * session, client address (client_addr.h), chatbot or account. The windows
 * are in MariaDB (store_ratelimits), shared by every host; each host counts
 * its hits in shared memory (ratelimit_shm.h) and adds them to the database
 * in batches, so a hit costs a statement only when it flushes. Without the
 * shared table (no master: confabctl, tests) every hit is one statement. */
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

/* Counts this request against the limits its route's record names (struct
 * route .rate_limit: the path's first route gives the window, the method's
 * route the classes), if any (req, m and who borrowed: who must already be
 * authenticated); out describes the
 * exceeded one, else the one with the fewest requests left. Never fails:
 * when the database cannot count, the request goes through (logged). */
void ratelimit_count(struct app *app, const struct request *req, const struct route_match *m,
                     const struct principal *who, struct ratelimit_state *out);
/* The limits beside the per-team and per-session ones; each has its own
 * requests/window config keys and its own scope letter in the table. */
enum ratelimit_class {
	RL_UPLOAD_SESSION,    /* POST /api/chat/{session}/upload/ per chat session ('u') */
	RL_UPLOAD_ADDR,       /* the same per client address ('v') */
	RL_CHAT_START_ADDR,   /* POST /api/chat/start/ per client address ('c') */
	RL_CHAT_START_BOT,    /* the same per chatbot public id ('b') */
	RL_LOGIN_ACCOUNT,     /* POST /accounts/login/ per e-mail, case-folded and hashed ('l') */
	RL_LOGIN_ADDR,        /* the same per client address ('m') */
};

/* Counts one request of key (borrowed; any length: keys over 64 bytes,
 * and every e-mail, are stored as their SHA-256) against class c. Same
 * contract as ratelimit_count: never fails, honours rate_limit_mode. */
void ratelimit_class_count(struct app *app, enum ratelimit_class c, const char *key, struct ratelimit_state *out);
/* Adds X-RateLimit-Limit/-Remaining/-Reset (and Retry-After when exceeded)
 * to resp; nothing when !rl->active. */
void ratelimit_headers(const struct ratelimit_state *rl, struct response *resp);
/* Replies 429 {"detail": "Rate limit exceeded.", "available_in": N}. */
void ratelimit_reply(const struct ratelimit_state *rl, struct response *resp);
/* The same reply with Retry-After but no X-RateLimit-* headers: for a class
 * counted inside a handler, where the dispatcher adds those of its own. */
void ratelimit_reply_retry(const struct ratelimit_state *rl, struct response *resp);

struct rl_shm;
/* Flushes at most max counters of t whose hits have waited CF_RL_FLUSH_MS
 * or more (all: every pending hit, whatever its age), through db; without
 * all, only when this host's sweep is due (one process per CF_RL_FLUSH_MS
 * sweeps). Workers call it after a request, task runners between jobs, so
 * that hits reach the database when traffic stops. NULL t or db: nothing. */
void ratelimit_sweep(struct rl_shm *t, struct db *db, size_t max, bool all);

#endif
