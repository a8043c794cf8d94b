/* websession.h - cookie logins ("sessionid") and CSRF protection for the
 * server-rendered pages and cookie-authenticated API calls (§2.5). */
#ifndef CONFAB_WEBSESSION_H
#define CONFAB_WEBSESSION_H

#include <stdbool.h>

#include "app.h"
#include "limits.h"   /* CF_WEBSESSION_TTL_SECONDS */

#define CSRF_TOKEN_LEN 32

/* The logged-in user of req. CF_E_NOT_FOUND without a live session. */
cf_status websession_user(struct app *app, const struct request *req, unsigned long long *user_id,
                          char email[256]) CF_MUST_CHECK;
/* Starts a session for user_id and sets the sessionid cookie on resp. */
cf_status websession_start(struct app *app, const struct request *req, struct response *resp,
                           unsigned long long user_id) CF_MUST_CHECK;
/* Ends the request's session (if any) and clears the cookie. */
cf_status websession_end(struct app *app, const struct request *req, struct response *resp) CF_MUST_CHECK;

/* The CSRF token for a form of req into out (CSRF_TOKEN_LEN + 1 bytes):
 * with a live web session, the token bound to it (an HMAC of the session's
 * stored csrf_secret); without one, the csrftoken cookie or a fresh random
 * token. The csrftoken cookie is set on resp when it differs, so that
 * same-origin scripts can send it as X-CSRFToken. */
cf_status csrf_token(struct app *app, const struct request *req, struct response *resp,
                     char out[CSRF_TOKEN_LEN + 1]) CF_MUST_CHECK;
/* The CSRF check of an unsafe request; the token is submitted (a form
 * field) or else the X-CSRFToken header. With a live web session it must
 * equal that session's bound token (constant-time; the cookie is not
 * trusted, so a token of another session, or one planted as a cookie, is
 * refused); without one, it must equal the csrftoken cookie (the login
 * form's double submit). False on a database error. */
bool csrf_valid(struct app *app, const struct request *req, const char *submitted);

/* True for requests over HTTPS (cookies get Secure). */
bool request_is_secure(const struct request *req);

#endif
