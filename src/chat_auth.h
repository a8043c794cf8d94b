/* chat_auth.h - credentials of the chat-widget API (docs/API.md
 * §2.5-§2.7): an embed key with its Origin/Referer check, a cookie login
 * (CSRF on unsafe methods), or nobody (the legacy anonymous flow). */
#ifndef CONFAB_CHAT_AUTH_H
#define CONFAB_CHAT_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "db.h"
#include "limits.h"

/* Authenticates a chat API request. The chatbot an embed key must belong
 * to is the one of the session in the path (route parameter session_id),
 * or the body's chatbot_id on /api/chat/start/. On the start route a
 * cookie login is tried first, as upstream's [SessionAuthentication,
 * EmbeddedWidgetAuthentication]: a logged-in user stays the participant,
 * and an X-Embed-Key beside the cookie that passes its checks only names
 * the widget channel the session belongs to (who->channel_id; 0 when it
 * fails them, and the session goes on the API channel). On the session
 * routes an embed key counts first (the session's own checks follow in
 * chat.c). On failure sets *message (static) and returns CF_E_FORBIDDEN
 * or CF_E_BAD_REQUEST. */
cf_status auth_chat_request(struct app *app, const struct request *req, const struct route_match *m,
                            struct principal *who, const char **message) CF_MUST_CHECK;

/* ---- widget session tokens (docs/API.md §2.8) ----
 * A token is base64url("st1|" session external id) "." base64url(the full
 * HMAC-SHA256 of that payload under the installation's "session_token"
 * secret, store_secret): stateless, the same for a session every time, at
 * most CF_SESSION_TOKEN_MAX characters. Its lifetime is the session's age
 * (struct chat_token_policy, store_sessions.h), not part of the token. */

/* The token of the session with external id session_id into out. */
cf_status chat_session_token_issue(struct db *db, const char *session_id,
                                   char out[CF_SESSION_TOKEN_MAX + 1]) CF_MUST_CHECK;
/* *valid: token (borrowed, untrusted) is the token of session_id,
 * compared in constant time; any other text, or one longer than
 * CF_SESSION_TOKEN_MAX, is not. Fails only when the secret is unreadable. */
cf_status chat_session_token_check(struct db *db, const char *session_id, const char *token,
                                   bool *valid) CF_MUST_CHECK;

/* The host of the Origin header, or else of the Referer, lower-cased, into
 * out; false when neither names a host. */
bool request_origin_host(const struct request *req, char *out, size_t outlen);
/* True when host is allowed by the JSON array allowed_domains: "*", an
 * equal entry, or "*.example.com" for hosts ending in ".example.com". */
bool embed_domain_allowed(const char *allowed_domains_json, const char *host);

#endif
