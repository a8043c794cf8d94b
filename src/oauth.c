/* oauth.c - OAuth2 code flow, PKCE, token issue and rotation, and the
 * client_credentials grant's machine tokens. */
#include "oauth.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "cursor.h"
#include "log.h"

const char OAUTH_ALL_SCOPES[] =
	"chatbots:read chatbots:interact sessions:read sessions:write files:read"
	" participants:read participants:write";
/* The same scopes today, listed apart as upstream's
 * OAUTH_CLIENT_CREDENTIALS_SCOPES is: a new scope is opt-in for machines. */
const char OAUTH_MACHINE_SCOPES[] =
	"chatbots:read chatbots:interact sessions:read sessions:write files:read participants:read participants:write";

static const char TOKEN_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

void oauth_hash(const char *secret, char out[65])
{
	sha256_hex(secret, strlen(secret), out);
}

cf_status oauth_random_token(char out[OAUTH_TOKEN_LEN + 1])
{
	return random_string(out, OAUTH_TOKEN_LEN, TOKEN_ALPHABET);
}

bool oauth_scope_valid(const char *scope)
{
	return oauth_scope_subset(scope, OAUTH_ALL_SCOPES);
}

bool oauth_scope_subset(const char *scope, const char *allowed)
{
	const char *p = scope;
	size_t count = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == 0)
			break;
		bool known = false;
		for (const char *a = allowed; *a;) {
			size_t alen = strcspn(a, " ");
			if (alen == len && strncmp(a, p, len) == 0)
				known = true;
			a += alen;
			while (*a == ' ')
				a++;
		}
		if (!known)
			return false;
		count++;
		p += len;
	}
	return count > 0;   /* blanks name no scope */
}

bool oauth_redirect_allowed(const struct oauth_application_row *app, const char *uri)
{
	size_t ulen = strlen(uri);
	for (const char *p = app->redirect_uris; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len > 0 && len == ulen && strncmp(p, uri, len) == 0)
			return true;
		p += len;
	}
	return false;
}

bool oauth_single_redirect(const struct oauth_application_row *app, char *out, size_t outlen)
{
	const char *p = app->redirect_uris;
	while (*p == ' ')
		p++;
	size_t len = strcspn(p, " ");
	const char *rest = p + len;
	while (*rest == ' ')
		rest++;
	if (len == 0 || *rest != '\0' || len + 1 > outlen)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

bool oauth_pkce_valid(const char *verifier, const char *challenge)
{
	size_t len = strlen(verifier);
	if (len < 43 || len > 128)
		return false;
	for (const char *v = verifier; *v; v++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", *v))
			return false;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (EVP_Digest(verifier, len, digest, &dlen, EVP_sha256(), NULL) != 1)
		return false;
	char encoded[64];
	b64url_encode(digest, dlen, encoded);
	return secret_equal(encoded, challenge);
}

cf_status oauth_issue_code(struct db *db, const struct oauth_application_row *app,
                           unsigned long long user_id, unsigned long long team_id, const char *scope,
                           const char *redirect_uri, bool redirect_sent, const char *challenge,
                           char code[OAUTH_TOKEN_LEN + 1])
{
	cf_status st = oauth_random_token(code);
	if (st != CF_OK)
		return st;
	char hash[65];
	oauth_hash(code, hash);
	return store_grant_create(db, hash, app->id, user_id, team_id, scope, redirect_uri, redirect_sent, challenge,
	                          "S256", CF_OAUTH_CODE_TTL_SECONDS);
}

/* Inserts a pair of the grant's family; runs inside the caller's
 * transaction. */
static cf_status insert_pair(struct db *db, unsigned long long app_id, unsigned long long user_id,
                             unsigned long long team_id, const char *scope, unsigned long long grant_id,
                             long refresh_ttl, struct oauth_tokens *out)
{
	char hash[65];
	unsigned long long access_id = 0;
	cf_status st = oauth_random_token(out->access);
	if (st == CF_OK)
		st = oauth_random_token(out->refresh);
	if (st != CF_OK)
		return st;
	snprintf(out->scope, sizeof out->scope, "%s", scope);
	oauth_hash(out->access, hash);
	st = store_access_token_create(db, hash, app_id, user_id, team_id, scope, CF_OAUTH_ACCESS_TTL_SECONDS, grant_id,
	                               &access_id);
	if (st == CF_OK) {
		oauth_hash(out->refresh, hash);
		st = store_refresh_token_create(db, hash, access_id, app_id, user_id, team_id, scope, grant_id,
		                                refresh_ttl);
	}
	return st;
}

/* Inputs and outputs of one token-endpoint transaction. A refused request
 * still commits (a burnt code, a revoked family): outcome says how it ended. */
struct token_tx {
	unsigned long long app_id;
	const char *hash;          /* of the code or refresh token */
	const char *verifier;      /* code exchange */
	const char *redirect_uri;  /* code exchange; NULL when absent */
	long refresh_ttl;
	struct oauth_tokens *out;
	bool refused;              /* invalid_grant */
};

static cf_status exchange_body(struct db *db, void *arg)
{
	struct token_tx *tx = arg;
	struct oauth_grant_row g;
	tx->refused = true;
	cf_status st = store_grant_lock(db, tx->hash, tx->app_id, &g);
	if (st == CF_E_NOT_FOUND)
		return CF_OK;
	if (st != CF_OK)
		return st;
	if (g.used) {   /* a replay: whoever holds the code, its tokens are no longer trusted */
		log_warn("oauth: authorization code of grant %llu presented again; revoking its tokens", g.id);
		return store_grant_family_revoke(db, g.id);
	}
	st = store_grant_mark_used(db, g.id);   /* single use, even when refused below */
	if (st != CF_OK || g.expired || !oauth_pkce_valid(tx->verifier, g.challenge))
		return st;
	if (tx->redirect_uri != NULL ? strcmp(tx->redirect_uri, g.redirect_uri) != 0 : g.redirect_sent)
		return CF_OK;
	tx->refused = false;
	return insert_pair(db, tx->app_id, g.user_id, g.team_id, g.scope, g.id, tx->refresh_ttl, tx->out);
}

cf_status oauth_exchange_code(struct db *db, unsigned long long app_id, const char *code, const char *verifier,
                              const char *redirect_uri, long refresh_ttl, struct oauth_tokens *out)
{
	char hash[65];
	oauth_hash(code, hash);
	struct token_tx tx = {app_id, hash, verifier, redirect_uri, refresh_ttl, out, false};
	cf_status st = db_transaction(db, exchange_body, &tx);
	return st == CF_OK && tx.refused ? CF_E_NOT_FOUND : st;
}

static cf_status refresh_body(struct db *db, void *arg)
{
	struct token_tx *tx = arg;
	struct oauth_token_row old;
	tx->refused = true;
	cf_status st = store_refresh_token_take(db, tx->hash, tx->app_id, &old);
	if (st == CF_E_NOT_FOUND)
		return CF_OK;
	if (st != CF_OK)
		return st;
	if (old.revoked) {   /* reuse of a rotated (or revoked) token: end the family */
		log_warn("oauth: a rotated or revoked refresh token of grant %llu presented again; revoking its family",
		         old.grant_id);
		if (old.grant_id != 0)
			return store_grant_family_revoke(db, old.grant_id);
		return old.access_token_id != 0 ? store_access_token_revoke_id(db, old.access_token_id) : CF_OK;
	}
	if (old.expired || !old.user_active || !old.is_member)
		return CF_OK;
	st = store_refresh_token_rotated(db, old.id);
	if (st == CF_OK && old.access_token_id != 0)
		st = store_access_token_revoke_id(db, old.access_token_id);
	if (st != CF_OK)
		return st;
	tx->refused = false;
	return insert_pair(db, tx->app_id, old.user_id, old.team_id, old.scope, old.grant_id, tx->refresh_ttl, tx->out);
}

cf_status oauth_refresh(struct db *db, unsigned long long app_id, const char *refresh_token, long refresh_ttl,
                        struct oauth_tokens *out)
{
	char hash[65];
	oauth_hash(refresh_token, hash);
	struct token_tx tx = {app_id, hash, NULL, NULL, refresh_ttl, out, false};
	cf_status st = db_transaction(db, refresh_body, &tx);
	return st == CF_OK && tx.refused ? CF_E_NOT_FOUND : st;
}

cf_status oauth_client_credentials(struct db *db, const struct oauth_application_row *app, const char *scope,
                                   struct oauth_tokens *out)
{
	memset(out, 0, sizeof *out);
	const char *may = app->scopes[0] != '\0' ? app->scopes : OAUTH_MACHINE_SCOPES;
	if (scope == NULL || *scope == '\0')
		scope = may;
	/* The app's own list is checked against the machine list too: a scope
	 * dropped from machine tokens stops being granted at once. */
	if (strlen(scope) >= sizeof out->scope || !oauth_scope_subset(scope, may) ||
	    !oauth_scope_subset(scope, OAUTH_MACHINE_SCOPES))
		return CF_E_FORBIDDEN;
	cf_status st = oauth_random_token(out->access);
	if (st != CF_OK)
		return st;
	snprintf(out->scope, sizeof out->scope, "%s", scope);
	char hash[65];
	oauth_hash(out->access, hash);
	return store_machine_token_create(db, hash, app->id, app->team_id, scope, CF_OAUTH_ACCESS_TTL_SECONDS);
}
