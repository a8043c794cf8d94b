/* routes.c - the route table: every endpoint of Confab in one place.
 * Handlers live in one file per API tag (api_*.c). */
#include "api.h"
#include "dispatch.h"

const struct route confab_routes[] = {
	{"GET", "/healthz", api_health, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"GET", "/api/sessions/", api_sessions_list, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"POST", "/api/sessions/", api_sessions_create, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"GET", "/api/sessions/{id:seg}/", api_sessions_retrieve, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"POST", "/api/sessions/{id:seg}/end_experiment_session/", api_sessions_end, ROUTE_AUTH_API,
	 ROUTE_PERM_SESSIONS},
	{"PATCH", "/api/sessions/{id:seg}/update_state/", api_sessions_update_state, ROUTE_AUTH_API,
	 ROUTE_PERM_SESSIONS},
	{"POST", "/api/sessions/{id:seg}/tags/", api_sessions_tags, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"DELETE", "/api/sessions/{id:seg}/tags/", api_sessions_tags, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
};

const size_t confab_route_count = sizeof confab_routes / sizeof confab_routes[0];
