/* ratelimit.c - fixed-window rate limits (see ratelimit.h). */
#include "ratelimit.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client_addr.h"
#include "crypto.h"
#include "limits.h"
#include "log.h"
#include "ratelimit_shm.h"
#include "store_ratelimits.h"

static const struct {
	char scope;
	const char *what;       /* for the log */
	size_t requests;        /* offsetof struct config, int */
	size_t window;
	bool session;           /* key is a chat session: count only existing ones */
	bool hash;              /* always store the key's SHA-256 */
} classes[] = {
	[RL_UPLOAD_SESSION] = {'u', "uploads of chat session", offsetof(struct config, rate_limit_upload_session_requests),
	                       offsetof(struct config, rate_limit_upload_window), true, false},
	[RL_UPLOAD_ADDR] = {'v', "uploads of client address", offsetof(struct config, rate_limit_upload_addr_requests),
	                    offsetof(struct config, rate_limit_upload_window), false, false},
	[RL_CHAT_START_ADDR] = {'c', "chat starts of client address",
	                        offsetof(struct config, rate_limit_chat_start_addr_requests),
	                        offsetof(struct config, rate_limit_chat_start_window), false, false},
	[RL_CHAT_START_BOT] = {'b', "chat starts of chatbot", offsetof(struct config, rate_limit_chat_start_bot_requests),
	                       offsetof(struct config, rate_limit_chat_start_window), false, false},
	[RL_LOGIN_ACCOUNT] = {'l', "logins of an account", offsetof(struct config, rate_limit_login_account_requests),
	                      offsetof(struct config, rate_limit_login_window), false, true},
	[RL_LOGIN_ADDR] = {'m', "logins of client address", offsetof(struct config, rate_limit_login_addr_requests),
	                   offsetof(struct config, rate_limit_login_window), false, false},
};

static int cfg_int(const struct config *cfg, size_t offset)
{
	return *(const int *)((const char *)cfg + offset);
}

static struct rl_clock clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	struct rl_clock c = {(long long)time(NULL), (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000};
	return c;
}

/* Adds hits of w to the database: one statement. */
static cf_status add_hits(struct db *db, const struct ratelimit_window *w, bool session, long long hits,
                          struct ratelimit_total *out)
{
	return session ? store_ratelimits_add_session(db, w, hits, out) : store_ratelimits_add(db, w, hits, out);
}

/* Runs one batch the table handed out and reports the outcome back; *total
 * (may be NULL) gets the database's answer when the add went through. */
static cf_status run_batch(struct rl_shm *t, struct db *db, const struct rl_flush *b, struct ratelimit_total *total)
{
	struct ratelimit_total got = {0, true};
	cf_status st = add_hits(db, &b->w, b->session, b->hits, &got);
	enum rl_flush_result r = st != CF_OK ? RL_FLUSH_FAILED : got.exists ? RL_FLUSH_OK : RL_FLUSH_NO_SESSION;
	struct rl_clock now = clock_now();
	rl_shm_flushed(t, b, r, got.count, &now);
	if (st != CF_OK)
		log_warn("rate limit: flushing %lld hits failed, counting on this host meanwhile: %s", b->hits,
		         db_last_error(db));
	if (total != NULL)
		*total = got;
	return st;
}

/* Counts one hit of w: in this host's table when there is one (a statement
 * only when the hit flushes), else in the database. CF_OK with *out the
 * count to decide on: the database's total when this hit flushed (exact
 * for it), else this host's view; exists false for a session that is not
 * there. Fails only when nothing could count the hit. */
static cf_status count_hit(struct app *app, const struct ratelimit_window *w, bool session,
                           struct ratelimit_total *out)
{
	struct rl_hit h;
	struct rl_clock now = clock_now();
	rl_shm_hit(app->ratelimits, w, session, &now, &h);
	if (h.verdict == RL_UNTRACKED)
		return add_hits(app->db, w, session, 1, out);
	out->exists = h.verdict != RL_NO_SESSION;
	out->count = h.count;
	if (h.flush) {
		struct ratelimit_total total;
		if (run_batch(app->ratelimits, app->db, &h.batch, &total) == CF_OK)
			*out = total;   /* a failed flush keeps the local count: limits hold on this host */
	}
	return CF_OK;
}

void ratelimit_sweep(struct rl_shm *t, struct db *db, size_t max, bool all)
{
	struct rl_clock now = clock_now();
	if (t == NULL || db == NULL || (!all && !rl_shm_sweep_due(t, &now)))
		return;
	struct rl_flush batch[CF_RL_SWEEP_MAX_RUNNER];
	if (max > sizeof batch / sizeof batch[0])
		max = sizeof batch / sizeof batch[0];
	size_t n = rl_shm_collect(t, &now, all ? 0 : CF_RL_FLUSH_MS, batch, max);
	size_t i = 0;
	for (; i < n; i++)
		if (run_batch(t, db, &batch[i], NULL) != CF_OK)
			break;
	for (size_t j = i + 1; j < n; j++)   /* the database is away: the rest go back to pending */
		rl_shm_flushed(t, &batch[j], RL_FLUSH_FAILED, 0, &now);
}

/* Counts one hit of key in scope and fills out (see ratelimit_count). */
static void hit(struct app *app, char scope, const char *key, bool session, int limit, int window, const char *what,
                struct ratelimit_state *out)
{
	memset(out, 0, sizeof *out);
	const struct config *cfg = app->cfg;
	long long now = (long long)time(NULL);
	long long start = now - now % window;
	struct ratelimit_window w = {.scope = scope, .window_start = start, .window_seconds = window};
	snprintf(w.key, sizeof w.key, "%s", key);
	struct ratelimit_total total = {0, true};
	if (count_hit(app, &w, session, &total) != CF_OK) {
		log_warn("rate limit: counting failed, request let through: %s", db_last_error(app->db));
		return;
	}
	if (!total.exists)
		return;   /* no such chat session: the handler answers 404, nothing is stored */
	long long count = total.count;
	bool over = count > limit;
	if (strcmp(cfg->rate_limit_mode, "log") == 0) {
		if (over)
			log_warn("rate limit: %s %.64s over %d requests / %d s (log only)", what, key, limit, window);
		return;
	}
	out->active = true;
	out->exceeded = over;
	out->limit = limit;
	out->remaining = over ? 0 : limit - count;
	out->reset = (int)(start + window - now);
	if (out->reset < 1)
		out->reset = 1;
}

/* Keeps in out the state whose headers the reply carries: an exceeded
 * limit first, else the one with the fewest requests left. */
static void merge(struct ratelimit_state *out, const struct ratelimit_state *other)
{
	if (!other->active || out->exceeded)
		return;
	if (!out->active || other->exceeded || other->remaining < out->remaining)
		*out = *other;
}

void ratelimit_class_count(struct app *app, enum ratelimit_class c, const char *key, struct ratelimit_state *out)
{
	memset(out, 0, sizeof *out);
	const struct config *cfg = app->cfg;
	if (strcmp(cfg->rate_limit_mode, "off") == 0 || key == NULL)
		return;
	char stored[CF_RL_KEY_MAX + 1];
	if (classes[c].hash || strlen(key) > CF_RL_KEY_MAX) {
		char folded[512];
		size_t n = 0;
		for (; key[n] && n + 1 < sizeof folded; n++)
			folded[n] = classes[c].hash ? (char)tolower((unsigned char)key[n]) : key[n];
		folded[n] = '\0';
		sha256_hex(folded, n, stored);
	} else {
		snprintf(stored, sizeof stored, "%s", key);
	}
	hit(app, classes[c].scope, stored, classes[c].session, cfg_int(cfg, classes[c].requests),
	    cfg_int(cfg, classes[c].window), classes[c].what, out);
}

void ratelimit_count(struct app *app, const struct request *req, const struct route_match *m,
                     const struct principal *who,
                     struct ratelimit_state *out)
{
	memset(out, 0, sizeof *out);
	const struct config *cfg = app->cfg;
	if (strcmp(cfg->rate_limit_mode, "off") == 0 || m->first == NULL)
		return;
	/* The window: the path's, so that a wrong method counts as well. */
	const char *session = route_param(m, "session_id");
	enum route_rate_limit path_class = m->first->rate_limit;
	if (path_class == ROUTE_RL_TEAM && who->team_id != 0) {
		char key[32];
		snprintf(key, sizeof key, "%llu", who->team_id);
		hit(app, 't', key, false, cfg->rate_limit_team_requests, cfg->rate_limit_team_window, "team", out);
	} else if ((path_class == ROUTE_RL_SESSION || path_class == ROUTE_RL_UPLOAD) && session != NULL &&
	           strlen(session) <= CF_RL_KEY_MAX) {
		hit(app, 's', session, true, cfg->rate_limit_session_requests, cfg->rate_limit_session_window,
		    "chat session", out);
	}
	/* The classes of the method's route. Those that need the body (chat
	 * start per chatbot, logins) are counted by their handlers. */
	enum route_rate_limit route_class = m->route != NULL ? m->route->rate_limit : ROUTE_RL_NONE;
	struct ratelimit_state extra;
	char addr[CF_CLIENT_ADDR_MAX];
	if (route_class == ROUTE_RL_UPLOAD || route_class == ROUTE_RL_CHAT_START)
		client_address(req, cfg, addr, sizeof addr);
	if (route_class == ROUTE_RL_UPLOAD && session != NULL && !out->exceeded) {
		ratelimit_class_count(app, RL_UPLOAD_SESSION, session, &extra);
		merge(out, &extra);
		if (!out->exceeded) {
			ratelimit_class_count(app, RL_UPLOAD_ADDR, addr, &extra);
			merge(out, &extra);
		}
	} else if (route_class == ROUTE_RL_CHAT_START) {
		ratelimit_class_count(app, RL_CHAT_START_ADDR, addr, &extra);
		merge(out, &extra);
	}
}

void ratelimit_headers(const struct ratelimit_state *rl, struct response *resp)
{
	if (!rl->active)
		return;
	char v[32];
	snprintf(v, sizeof v, "%d", rl->limit);
	response_add_header(resp, "X-RateLimit-Limit", v);
	snprintf(v, sizeof v, "%lld", rl->remaining);
	response_add_header(resp, "X-RateLimit-Remaining", v);
	snprintf(v, sizeof v, "%d", rl->reset);
	response_add_header(resp, "X-RateLimit-Reset", v);
	if (rl->exceeded)
		response_add_header(resp, "Retry-After", v);
}

void ratelimit_reply_retry(const struct ratelimit_state *rl, struct response *resp)
{
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "detail", json_object_new_string(cf_status_detail(CF_E_RATE_LIMITED)));
	json_object_object_add(body, "available_in", json_object_new_int(rl->reset));
	reply_json_status(resp, CF_E_RATE_LIMITED, body);
	char v[32];
	snprintf(v, sizeof v, "%d", rl->reset);
	response_add_header(resp, "Retry-After", v);
}

void ratelimit_reply(const struct ratelimit_state *rl, struct response *resp)
{
	ratelimit_reply_retry(rl, resp);
	struct ratelimit_state quiet = *rl;
	quiet.exceeded = false;   /* Retry-After is there already */
	ratelimit_headers(&quiet, resp);
}
