/* chat_auth.h - credentials of the chat-widget API (docs/API.md
 * §2.5-§2.7): an embed key with its Origin/Referer check, a cookie login
 * (CSRF on unsafe methods), or nobody (the legacy anonymous flow). */
#ifndef CONFAB_CHAT_AUTH_H
#define CONFAB_CHAT_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"

/* Authenticates a chat API request. The chatbot an embed key must belong
 * to is the one of the session in the path (route parameter session_id),
 * or the body's chatbot_id on /api/chat/start/. On failure sets *message
 * (static) and returns CF_E_FORBIDDEN or CF_E_BAD_REQUEST. */
cf_status auth_chat_request(struct app *app, const struct request *req, const struct route_match *m,
                            struct principal *who, const char **message) CF_MUST_CHECK;

/* The host of the Origin header, or else of the Referer, lower-cased, into
 * out; false when neither names a host. */
bool request_origin_host(const struct request *req, char *out, size_t outlen);
/* True when host is allowed by the JSON array allowed_domains: "*", an
 * equal entry, or "*.example.com" for hosts ending in ".example.com". */
bool embed_domain_allowed(const char *allowed_domains_json, const char *host);

#endif
