/* auth.h - authentication of API requests (docs/API.md §2.1,
 * §2.2) and the permission rules that follow it (§2.2-§2.4). */
#ifndef CONFAB_AUTH_H
#define CONFAB_AUTH_H

#include "app.h"
#include "status.h"

/* A worker trusts a verified API key for cfg->auth_cache_seconds (default
 * 30, at most 60) without asking the database again, but never past the
 * key's expiry date, and it forgets every cached key when the revocation
 * epoch moved (read at most once a second): a revoked key stops working
 * within about a second on every host. */

/* Forgets every cached verification (tests, config reload). */
void auth_cache_clear(void);

/* Authenticates an API-group request (OAuth bearer, X-Api-Key,
 * Authorization: Bearer <key>). On failure returns CF_E_NO_CREDENTIALS or
 * CF_E_BAD_CREDENTIALS (or a database error) and sets *message to the
 * reference's detail text (static). */
cf_status auth_api_request(struct app *app, const struct request *req, struct principal *out,
                           const char **message) CF_MUST_CHECK;

/* Applies the route's permission rule to an authenticated principal:
 * read-only keys may only use safe methods; sessions routes need a
 * session-manager role (and the sessions scope for OAuth tokens); interact
 * routes need chatbots:interact for OAuth tokens; trigger_bot also a role
 * that may change participants; file content files:read and a role that
 * may view files (docs/API.md §2.4). A machine token has no role: its
 * scopes alone decide (upstream's IsAuthenticatedOrMachineToken).
 * CF_E_FORBIDDEN when denied. */
cf_status auth_check_permission(const struct principal *who, const struct request *req,
                                enum route_perm perm) CF_MUST_CHECK;

/* The allow-list of a machine (client_credentials) token: CF_OK when who
 * is not a machine or its application lists the family whose working row
 * is chatbot_id; else CF_E_FORBIDDEN with *message set (static, upstream's
 * words). Call it once the chatbot is known in the team and before
 * anything is written. */
cf_status auth_check_chatbot(struct app *app, const struct principal *who, unsigned long long chatbot_id,
                             const char **message) CF_MUST_CHECK;
/* The same for a route that names its chatbot in the path: an
 * ROUTE_PERM_INTERACT route with an {id} parameter (the chatbot's public
 * id, or a version's). A chatbot not in the team passes (the handler answers
 * 404 for it). */
cf_status auth_check_route_chatbot(struct app *app, const struct principal *who, const struct route_match *match,
                                   const char **message) CF_MUST_CHECK;

/* Splits "prefix.secret": true when the shape is right. */
bool api_key_split(const char *key, char prefix[CF_API_KEY_PREFIX_LEN + 1]);
/* The stored hash of a presented key: "sha512$$<hex>" (out: 137 bytes). */
void api_key_hash(const char *key, char out[137]);
/* A fresh key "prefix.secret" into out (CF_API_KEY_PREFIX_LEN + 1 +
 * CF_API_KEY_SECRET_LEN + 1 bytes). */
cf_status api_key_generate(char *out, size_t outlen) CF_MUST_CHECK;

#endif
