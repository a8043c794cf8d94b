/* routes.c - the route table: every endpoint of Confab in one place.
 * Handlers live in one file per API tag (api_*.c). */
#include "api.h"
#include "dispatch.h"

const struct route confab_routes[] = {
	{"GET", "/healthz", api_health, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"GET", "/api/sessions/", api_sessions_list, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
};

const size_t confab_route_count = sizeof confab_routes / sizeof confab_routes[0];
