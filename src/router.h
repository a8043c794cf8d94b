/* router.h - the route record (everything Confab knows about one endpoint)
 * and the matching of (method, path) against a table of them.
 *
 * Pattern segments are literals or "{name:type}" with an optional literal
 * prefix ("v{version:int}"). Types: uuid (hyphenated UUID), int (1-9
 * digits), seg (any non-empty segment without '.'). Trailing slashes are
 * significant, as in the reference. Every /api/... route also answers as
 * /api/v1/... (router_match); the table holds each route once. */
#ifndef CONFAB_ROUTER_H
#define CONFAB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "limits.h"
#include "status.h"

struct handler_ctx;
typedef cf_status (*handler_fn)(struct handler_ctx *ctx);

/* Which credentials a route takes (docs/API.md §2.1). */
enum route_auth {
	ROUTE_AUTH_NONE,   /* anonymous (health, docs) */
	ROUTE_AUTH_API,    /* OAuth bearer, X-Api-Key, Authorization: Bearer <key> */
	ROUTE_AUTH_CHAT,   /* session cookie, X-Embed-Key, anonymous (chat widget API) */
	ROUTE_AUTH_METRICS, /* the operator's guard, checked by the handler: metrics_allow (else 404) and the
	                     * bearer token of metrics_token_file (else 401); off = 404 (api_metrics.c) */
};

/* What an API credential must additionally hold (§2.2-§2.4). */
enum route_perm {
	ROUTE_PERM_NONE,       /* any authenticated member */
	ROUTE_PERM_SESSIONS,   /* sessions:read/write scope, session-manager role */
	ROUTE_PERM_INTERACT,   /* chatbots:interact scope, write key */
	ROUTE_PERM_FILES,      /* files:read scope, a role that may view files */
	ROUTE_PERM_CHATBOTS,   /* chatbots:read scope (its routes are GET only), the role of ROUTE_PERM_SESSIONS */
	ROUTE_PERM_TRIGGER,    /* chatbots:interact scope, a role that may change participants */
	ROUTE_PERM_PARTICIPANTS, /* participants:read/write scope, participant-manager role */
};

/* Which rate limits a request of a route counts against (ratelimit.c). The
 * window is taken from the first route of the matched path, so that a wrong
 * method counts too; the classes beside it from the route of the method. */
enum route_rate_limit {
	ROUTE_RL_NONE,         /* not limited (health, docs, OAuth, the login page) */
	ROUTE_RL_TEAM,         /* the caller's team window */
	ROUTE_RL_SESSION,      /* the window of the path's chat session */
	ROUTE_RL_UPLOAD,       /* the session window, then uploads per session and per client address */
	ROUTE_RL_CHAT_START,   /* chat starts per client address; per chatbot in the handler (it needs the body) */
	ROUTE_RL_LOGIN,        /* logins per client address and per account, both in the handler */
};

/* One endpoint, declared once in routes.c and read by the router and
 * dispatcher (method, pattern, handler, auth, perm, errors), the rate limiter
 * (rate_limit), the idempotency layer (idempotent) and the OpenAPI document
 * (tag, summary, success, the schema names). All strings are static. */
struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	enum route_auth auth;
	enum route_perm perm;
	const char *tag;                  /* OpenAPI tag: the group the endpoint is listed under */
	const char *summary;              /* one line for the OpenAPI document and /api/docs/ */
	int success;                      /* the HTTP status of a successful answer */
	bool idempotent;                  /* honours Idempotency-Key (idempotency.h) */
	enum route_rate_limit rate_limit;
	const char *request_schema;       /* OpenAPI schema name of the body, or NULL (none declared yet) */
	const char *response_schema;      /* ... of the success body, or NULL */
	const char *query;                /* name of its query parameters (api_docs.c QUERIES), or NULL */
	/* The shape of every error of the route, the dispatcher's and the
	 * transport's included (dispatch.c); a path no route matches takes the
	 * style of the first route with a style declared whose pattern, up to
	 * its first typed segment, begins the path. Every /api/openai/ route
	 * declares CF_ERRORS_OPENAI (unit-tested). */
	enum cf_error_style errors;
};

struct route_param {
	const char *name;   /* borrowed from the pattern, not NUL-terminated */
	size_t name_len;
	char *value;        /* owned by the match */
};

struct route_match {
	const struct route *route;   /* NULL when no route took the method */
	const struct route *first;   /* first route whose pattern matched the path */
	const struct route *table;   /* the table matched against (borrowed), for handlers */
	size_t table_len;            /* that describe it, such as the OpenAPI document */
	size_t nparams;
	struct route_param params[CF_MAX_ROUTE_PARAMS];
	char allow[96];              /* Allow header value when the method is wrong */
};

/* Whether path is under the v1 alias, /api/v1/...: then *rest points into
 * path at the "/" that follows "/api/v1" (so "/api" + rest is the route's
 * path). docs/API.md §1.4. */
bool router_v1_alias(const char *path, const char **rest);

/* Matches method and path against the table; a path under /api/v1/
 * matches as the same path without "v1/" (router_v1_alias). CF_OK: m->route is set.
 * CF_E_METHOD: the path exists (m->first, m->allow set) but not for this
 * method. CF_E_NOT_FOUND: no pattern matches. HEAD matches GET routes.
 * Always call route_match_free afterwards. */
cf_status router_match(const struct route *table, size_t n, const char *method, const char *path,
                       struct route_match *m) CF_MUST_CHECK;
void route_match_free(struct route_match *m);
/* Value of a matched parameter by name, or NULL; borrowed from m. */
const char *route_param(const struct route_match *m, const char *name);

#endif
