/* dispatch.c - the request pipeline between transport and handlers, and
 * the error shape of each route's replies (CF_ERRORS_OPENAI). */
#include "dispatch.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "chat_auth.h"
#include "idempotency.h"
#include "log.h"
#include "ratelimit.h"
#include "webhooks.h"

/* Errors on the chat API are never 401: its first authenticator has no
 * challenge, so the framework answers 403 (docs/API.md §1.2). */
static cf_status chat_downgrade(enum route_auth auth, cf_status st)
{
	if (auth == ROUTE_AUTH_CHAT && (st == CF_E_NO_CREDENTIALS || st == CF_E_BAD_CREDENTIALS))
		return CF_E_FORBIDDEN;
	return st;
}

/* CORS for the chat API only (docs/API.md §1.3): any origin, no credentials. */
static bool is_chat_path(const char *path)
{
	const char *rest = NULL;
	if (router_v1_alias(path, &rest))
		return strncmp(rest, "/chat/", 6) == 0;   /* the v1 alias (§1.4) */
	return strncmp(path, "/api/chat/", 10) == 0;
}

static void add_cors(struct response *resp)
{
	response_add_header(resp, "Access-Control-Allow-Origin", "*");
}

static void reply_preflight(struct response *resp)
{
	reply_empty(resp);
	add_cors(resp);
	response_add_header(resp, "Access-Control-Allow-Methods", "DELETE, GET, OPTIONS, PATCH, POST, PUT");
	response_add_header(resp, "Access-Control-Allow-Headers",
	                    "accept, accept-encoding, content-type, dnt, origin, user-agent, x-requested-with, "
	                    "x-ocs-widget-version, x-embed-key, x-session-token");
	response_add_header(resp, "Access-Control-Max-Age", "86400");
	response_add_header(resp, "Vary", "origin");
}

static void route_request(struct app *app, const struct request *req, struct response *resp, struct principal *who_out);

/* The error style of a request (router.h, struct route .errors): the
 * matched path's route's; for a path no route matches, that of the first
 * route with a style whose literal head (its pattern before the first
 * typed segment, "/api/openai/") begins the path, so that a mistyped URL
 * under /api/openai/ still answers as OpenAI's API would. */
static enum cf_error_style error_style(const struct route_match *m, const char *path)
{
	const struct route *r = m->route != NULL ? m->route : m->first;
	if (r != NULL)
		return r->errors;
	/* under the v1 alias, the head compared is the route's own: "/api" + rest */
	const char *rest = NULL;
	bool v1 = router_v1_alias(path, &rest);
	for (size_t i = 0; i < confab_route_count; i++) {
		const struct route *c = &confab_routes[i];
		if (c->errors == CF_ERRORS_OCS)
			continue;
		const char *brace = strchr(c->pattern, '{');
		size_t head = brace != NULL ? (size_t)(brace - c->pattern) : strlen(c->pattern);
		bool same = v1 ? strncmp(c->pattern, "/api", 4) == 0 && head >= 4 &&
		                         strncmp(rest, c->pattern + 4, head - 4) == 0
		               : strncmp(path, c->pattern, head) == 0;
		if (same)
			return c->errors;
	}
	return CF_ERRORS_OCS;
}

static void finish_errors(enum cf_error_style style, struct response *resp)
{
	if (style == CF_ERRORS_OPENAI)
		response_openai_errors(resp);
}

void dispatch_style_error(const struct request *req, struct response *resp)
{
	if (req->method == NULL || req->path == NULL || !response_is_set(resp))
		return;
	struct route_match match;
	cf_status st = router_match(confab_routes, confab_route_count, req->method, req->path, &match);
	(void)st;   /* no match leaves match.route and .first NULL: error_style goes by the path's head */
	finish_errors(error_style(&match, req->path), resp);
	route_match_free(&match);
}

int dispatch_route_index(const char *method, const char *path)
{
	if (method == NULL || path == NULL)
		return -1;
	struct route_match m;
	cf_status st = router_match(confab_routes, confab_route_count, method, path, &m);
	(void)st;   /* the match says it all: route, or only first (wrong method), or neither */
	const struct route *r = m.route != NULL ? m.route : m.first;
	int idx = r != NULL ? (int)(r - confab_routes) : -1;
	route_match_free(&m);
	return idx;
}

void dispatch_request(struct app *app, const struct request *req, struct response *resp,
                      struct principal *who_out)
{
	bool chat = is_chat_path(req->path);
	if (chat && strcmp(req->method, "OPTIONS") == 0 && request_header(req, "access-control-request-method")) {
		reply_preflight(resp);   /* preflights need no credentials */
		return;
	}
	route_request(app, req, resp, who_out);
	if (chat)
		add_cors(resp);
}

static void route_request(struct app *app, const struct request *req, struct response *resp, struct principal *who_out)
{
	struct principal who;
	memset(&who, 0, sizeof who);
	struct ratelimit_state rl;
	memset(&rl, 0, sizeof rl);
	struct idem idem;
	memset(&idem, 0, sizeof idem);
	struct route_match match;
	cf_status st = router_match(confab_routes, confab_route_count, req->method, req->path, &match);
	enum cf_error_style style = error_style(&match, req->path);
	if (st == CF_E_NOT_FOUND) {
		reply_detail(resp, CF_E_NOT_FOUND, NULL);
		goto done;
	}
	/* Authentication runs before the method check, as in the reference. */
	enum route_auth auth = match.first->auth;
	if (auth == ROUTE_AUTH_API || auth == ROUTE_AUTH_CHAT) {
		const char *message = NULL;
		cf_status ast = auth == ROUTE_AUTH_API ? auth_api_request(app, req, &who, &message)
		                                       : auth_chat_request(app, req, &match, &who, &message);
		if (ast != CF_OK) {
			reply_detail(resp, chat_downgrade(auth, ast), message);
			goto done;
		}
	}
	/* Counted once the caller is known: per team, or per chat session. */
	ratelimit_count(app, req, &match, &who, &rl);
	if (rl.exceeded) {
		ratelimit_reply(&rl, resp);
		goto done;
	}
	ratelimit_headers(&rl, resp);   /* kept by a streamed reply; replies reset headers, see done: */
	if (st == CF_E_METHOD) {
		char msg[64];
		snprintf(msg, sizeof msg, "Method \"%s\" not allowed.", req->method);
		reply_detail(resp, CF_E_METHOD, msg);
		response_add_header(resp, "Allow", match.allow);
		goto done;
	}
	if (auth == ROUTE_AUTH_API) {
		const char *message = NULL;
		cf_status pst = auth_check_permission(&who, req, match.route->perm);
		if (pst == CF_OK)   /* a machine token's allow-list, before anything is written */
			pst = auth_check_route_chatbot(app, &who, &match, &message);
		if (pst != CF_OK) {
			reply_detail(resp, pst, message);
			goto done;
		}
	}
	if (idem_begin(app, req, &match, &who, &idem, resp))
		goto done;
	struct handler_ctx ctx = {app, req, resp, &match, &who};
	st = match.route->handler(&ctx);
	webhooks_hint_clear();   /* a hint lives for one request */
	if (st != CF_OK && !response_is_set(resp)) {
		if (st == CF_E_DB || st == CF_E_INTERNAL || st == CF_E_IO)
			log_error("request %s %s failed: %s", req->method, req->path, cf_status_name(st));
		reply_detail(resp, chat_downgrade(auth, st), NULL);
	} else if (!response_is_set(resp)) {
		log_error("handler for %s %s set no response", req->method, req->path);
		reply_detail(resp, CF_E_INTERNAL, NULL);
	}
done:
	finish_errors(style, resp);   /* before idem_end: a replay is the finished reply */
	idem_end(app, &idem, resp);
	if (!resp->streaming && !rl.exceeded)
		ratelimit_headers(&rl, resp);
	if (who_out != NULL)
		*who_out = who;
	route_match_free(&match);
}
