/* api_docs.h - the OpenAPI 3 document of the routes Confab serves,
 * generated from the route table (routes.c), whose records carry each
 * route's tag, summary and success status; a route without them is a test
 * failure. */
#ifndef CONFAB_API_DOCS_H
#define CONFAB_API_DOCS_H

#include <json-c/json.h>

#include "router.h"

/* The document for the given routes; caller owns it. */
struct json_object *api_docs_openapi(const struct route *routes, size_t count, const char *server_url);

/* The first route (as "METHOD pattern") without a tag, a summary or a
 * success status, or NULL. Borrowed, valid until the next call. */
const char *api_docs_undocumented(const struct route *routes, size_t count);

/* The first fault of the named schemas (api_schemas.h) as a sentence: an
 * entry that is not a JSON object, a name in the tables twice, a $ref or
 * an x-event-stream to a name no table has, or a route of the given table
 * whose request_schema or response_schema no table has; NULL when there is
 * none. Borrowed, valid until the next call. */
const char *api_docs_schema_problem(const struct route *routes, size_t count);

#endif
