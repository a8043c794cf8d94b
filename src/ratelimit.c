/* ratelimit.c - fixed-window rate limits (see ratelimit.h). */
#include "ratelimit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "store_ratelimit.h"

void ratelimit_count(struct app *app, const struct route_match *m, const struct principal *who,
                     struct ratelimit_state *out)
{
	memset(out, 0, sizeof *out);
	const struct config *cfg = app->cfg;
	if (strcmp(cfg->rate_limit_mode, "off") == 0 || m->first == NULL)
		return;
	char scope;
	char key[64];
	int limit, window;
	const char *session = route_param(m, "session_id");
	if (m->first->auth == ROUTE_AUTH_API && who->team_id != 0) {
		scope = 't';
		snprintf(key, sizeof key, "%llu", who->team_id);
		limit = cfg->rate_limit_team_requests;
		window = cfg->rate_limit_team_window;
	} else if (m->first->auth == ROUTE_AUTH_CHAT && session != NULL && strlen(session) < sizeof key) {
		scope = 's';
		snprintf(key, sizeof key, "%s", session);
		limit = cfg->rate_limit_session_requests;
		window = cfg->rate_limit_session_window;
	} else {
		return;   /* health, docs, OAuth, chat start: not limited */
	}
	long long now = (long long)time(NULL);
	long long start = now - now % window;
	long long count = 0;
	if (store_ratelimit_hit(app->db, scope, key, start, window, &count) != CF_OK) {
		log_warn("rate limit: counting failed, request let through: %s", db_last_error(app->db));
		return;
	}
	bool over = count > limit;
	if (strcmp(cfg->rate_limit_mode, "log") == 0) {
		if (over)
			log_warn("rate limit: %s %s over %d requests / %d s (log only)", scope == 't' ? "team" : "chat session",
			         key, limit, window);
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

void ratelimit_reply(const struct ratelimit_state *rl, struct response *resp)
{
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "detail", json_object_new_string(cf_status_detail(CF_E_RATE_LIMITED)));
	json_object_object_add(body, "available_in", json_object_new_int(rl->reset));
	reply_json_status(resp, CF_E_RATE_LIMITED, body);
	ratelimit_headers(rl, resp);
}
