/* websession.h - cookie logins ("sessionid") and CSRF protection for the
 * server-rendered pages and cookie-authenticated API calls (§2.5). */
#ifndef CONFAB_WEBSESSION_H
#define CONFAB_WEBSESSION_H

#include <stdbool.h>

#include "app.h"

#define WEBSESSION_TTL_SECONDS (14L * 24 * 3600)
#define CSRF_TOKEN_LEN 32

/* The logged-in user of req. CF_E_NOT_FOUND without a live session. */
cf_status websession_user(struct app *app, const struct request *req, unsigned long long *user_id,
                          char email[256]) CF_MUST_CHECK;
/* Starts a session for user_id and sets the sessionid cookie on resp. */
cf_status websession_start(struct app *app, const struct request *req, struct response *resp,
                           unsigned long long user_id) CF_MUST_CHECK;
/* Ends the request's session (if any) and clears the cookie. */
cf_status websession_end(struct app *app, const struct request *req, struct response *resp) CF_MUST_CHECK;

/* The request's CSRF token (csrftoken cookie), or a fresh one that is set
 * as a cookie on resp; out has CSRF_TOKEN_LEN + 1 bytes. */
cf_status csrf_token(const struct request *req, struct response *resp, char out[CSRF_TOKEN_LEN + 1]) CF_MUST_CHECK;
/* True when the csrftoken cookie matches submitted (a form field) or the
 * X-CSRFToken header. */
bool csrf_valid(const struct request *req, const char *submitted);

/* True for requests over HTTPS (cookies get Secure). */
bool request_is_secure(const struct request *req);

#endif
