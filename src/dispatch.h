/* dispatch.h - one request from parsed input to a finished response:
 * route lookup, authentication, method and permission checks, handler call,
 * and mapping of a handler's cf_status to the reference's error body. */
#ifndef CONFAB_DISPATCH_H
#define CONFAB_DISPATCH_H

#include "app.h"

/* Fills resp for req. Never fails: every outcome is a response. who_out
 * (may be NULL) receives the principal for the access log. */
void dispatch_request(struct app *app, const struct request *req, struct response *resp,
                      struct principal *who_out);

/* The route table (routes.c). */
extern const struct route confab_routes[];
extern const size_t confab_route_count;

#endif
