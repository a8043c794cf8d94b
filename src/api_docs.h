/* api_docs.h - the OpenAPI 3 document of the routes Confab serves,
 * generated from the route table (routes.c) and a table of descriptions
 * here; a route without a description is a test failure. */
#ifndef CONFAB_API_DOCS_H
#define CONFAB_API_DOCS_H

#include <json-c/json.h>

#include "router.h"

/* The document for the given routes; caller owns it. */
struct json_object *api_docs_openapi(const struct route *routes, size_t count, const char *server_url);

/* The first route (as "METHOD pattern") without a description, or NULL. */
const char *api_docs_undocumented(const struct route *routes, size_t count);

#endif
