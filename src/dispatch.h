/* dispatch.h - one request from parsed input to a finished response:
 * route lookup, authentication, method and permission checks, handler call,
 * mapping of a handler's cf_status to the reference's error body, and the
 * route's error style over every error reply. */
#ifndef CONFAB_DISPATCH_H
#define CONFAB_DISPATCH_H

#include "app.h"

/* Fills resp for req. Never fails: every outcome is a response. who_out
 * (may be NULL) receives the principal for the access log. */
void dispatch_request(struct app *app, const struct request *req, struct response *resp,
                      struct principal *who_out);

/* Gives a reply the transport made before routing (400, 408, 413) the
 * error shape of its path's routes, as dispatch_request does for its own
 * replies: on an OpenAI route OpenAI's error object and retry hint
 * (docs/API.md §1.2.1). A reply with nothing set, or a request without a
 * path, is left alone. */
/* The index in confab_routes of the route that answers (method, path):
 * the route of the method, else the first route of the path (a 405), else
 * -1 (no route has the path). For the request metrics (metrics.h). */
int dispatch_route_index(const char *method, const char *path);
void dispatch_style_error(const struct request *req, struct response *resp);

/* The route table (routes.c). */
extern const struct route confab_routes[];
extern const size_t confab_route_count;

#endif
