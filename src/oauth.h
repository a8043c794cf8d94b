/* oauth.h - the OAuth2 authorization server's rules (RFC 6749 code flow
 * with PKCE S256, the client_credentials grant of section 4.4, RFC 7009
 * revocation) independent of HTTP. */
#ifndef CONFAB_OAUTH_H
#define CONFAB_OAUTH_H

#include <stdbool.h>

#include "db.h"
#include "limits.h"   /* CF_OAUTH_*_TTL_SECONDS */
#include "store_oauth.h"

#define OAUTH_TOKEN_LEN 40

/* Every scope of §2.3, space separated: the default when none is asked. */
extern const char OAUTH_ALL_SCOPES[];

/* Every scope a client-credentials (machine) token may hold: upstream's
 * OAUTH_CLIENT_CREDENTIALS_SCOPES as far as Confab has them. */
extern const char OAUTH_MACHINE_SCOPES[];

/* True when every space-separated scope in scope is known. */
bool oauth_scope_valid(const char *scope);
/* True when scope is not empty and every space-separated scope in it is one
 * of allowed (space separated). */
bool oauth_scope_subset(const char *scope, const char *allowed);
/* True when uri is one of the app's registered redirect URIs (exact match). */
bool oauth_redirect_allowed(const struct oauth_application_row *app, const char *uri);
/* The app's only redirect URI when it has exactly one, else NULL (static
 * buffer inside app is not used: returns a pointer to a copy in out). */
bool oauth_single_redirect(const struct oauth_application_row *app, char *out, size_t outlen);
/* PKCE S256: base64url(SHA-256(verifier)) == challenge; verifier 43-128
 * unreserved characters. */
bool oauth_pkce_valid(const char *verifier, const char *challenge);

/* Issues an authorization code (returned in code, OAUTH_TOKEN_LEN + 1).
 * redirect_sent: the request named redirect_uri (RFC 6749 section 4.1.3:
 * the token request must then repeat it). */
cf_status oauth_issue_code(struct db *db, const struct oauth_application_row *app,
                           unsigned long long user_id, unsigned long long team_id, const char *scope,
                           const char *redirect_uri, bool redirect_sent, const char *challenge,
                           char code[OAUTH_TOKEN_LEN + 1]) CF_MUST_CHECK;

/* Tokens issued by the token endpoint. */
struct oauth_tokens {
	char access[OAUTH_TOKEN_LEN + 1];
	char refresh[OAUTH_TOKEN_LEN + 1];
	char scope[256];
};

/* Exchanges an authorization code of app_id for a token pair (RFC 6749
 * section 4.1.3), in one transaction: the code must be unused and
 * unexpired, the PKCE verifier match, and redirect_uri (NULL when absent)
 * equal the one of the authorization request, which is required when that
 * request sent it. A code presented again after its exchange is a replay
 * (RFC 6749 section 10.5): every token issued from it is revoked.
 * CF_E_NOT_FOUND (invalid_grant) for any of these; refresh_ttl: the
 * refresh token's lifetime in seconds. */
cf_status oauth_exchange_code(struct db *db, unsigned long long app_id, const char *code, const char *verifier,
                              const char *redirect_uri, long refresh_ttl, struct oauth_tokens *out) CF_MUST_CHECK;
/* Rotates a refresh token: the old one and its access token are revoked
 * and a new pair of the same grant issued, in one transaction. A refresh
 * token that was rotated or revoked already is a reuse (OAuth 2.0 Security
 * BCP section 4.14): the whole family of its grant is revoked. CF_E_NOT_FOUND
 * (invalid_grant) for an unknown, reused, expired or foreign refresh
 * token. */
cf_status oauth_refresh(struct db *db, unsigned long long app_id, const char *refresh_token, long refresh_ttl,
                        struct oauth_tokens *out) CF_MUST_CHECK;

/* Issues a machine token to a client-credentials application (RFC 6749
 * section 4.4): for the application's team, without a user and without a
 * refresh token (section 4.4.3). scope: what the client asked, NULL or ""
 * for all it may have (the application's scopes, else
 * OAUTH_MACHINE_SCOPES). CF_E_FORBIDDEN (invalid_scope) when it asks for
 * more; out->refresh is "". */
cf_status oauth_client_credentials(struct db *db, const struct oauth_application_row *app, const char *scope,
                                   struct oauth_tokens *out) CF_MUST_CHECK;

/* Digest under which tokens, codes and client secrets are stored. */
void oauth_hash(const char *secret, char out[65]);
/* A fresh random token of OAUTH_TOKEN_LEN alphanumerics. */
cf_status oauth_random_token(char out[OAUTH_TOKEN_LEN + 1]) CF_MUST_CHECK;

#endif
