/* router.h - one table of (method, path pattern) -> handler.
 *
 * Pattern segments are literals or "{name:type}" with an optional literal
 * prefix ("v{version:int}"). Types: uuid (hyphenated UUID), int (1-9
 * digits), seg (any non-empty segment without '.'). Trailing slashes are
 * significant, as in the reference. */
#ifndef CONFAB_ROUTER_H
#define CONFAB_ROUTER_H

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
};

/* What an API credential must additionally hold (§2.2-§2.4). */
enum route_perm {
	ROUTE_PERM_NONE,       /* any authenticated member */
	ROUTE_PERM_SESSIONS,   /* sessions:read/write scope, session-manager role */
	ROUTE_PERM_INTERACT,   /* chatbots:interact scope, write key */
	ROUTE_PERM_FILES,      /* files:read scope */
};

struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	enum route_auth auth;
	enum route_perm perm;
};

struct route_param {
	const char *name;   /* borrowed from the pattern, not NUL-terminated */
	size_t name_len;
	char *value;        /* owned by the match */
};

struct route_match {
	const struct route *route;   /* NULL when no route took the method */
	const struct route *first;   /* first route whose pattern matched the path */
	size_t nparams;
	struct route_param params[CF_MAX_ROUTE_PARAMS];
	char allow[96];              /* Allow header value when the method is wrong */
};

/* Matches method and path against the table. CF_OK: m->route is set.
 * CF_E_METHOD: the path exists (m->first, m->allow set) but not for this
 * method. CF_E_NOT_FOUND: no pattern matches. HEAD matches GET routes.
 * Always call route_match_free afterwards. */
cf_status router_match(const struct route *table, size_t n, const char *method, const char *path,
                       struct route_match *m) CF_MUST_CHECK;
void route_match_free(struct route_match *m);
/* Value of a matched parameter by name, or NULL; borrowed from m. */
const char *route_param(const struct route_match *m, const char *name);

#endif
