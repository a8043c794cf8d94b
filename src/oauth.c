/* oauth.c - OAuth2 code flow, PKCE, token issue and rotation. */
#include "oauth.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "cursor.h"

const char OAUTH_ALL_SCOPES[] =
	"chatbots:read chatbots:interact sessions:read sessions:write files:read participants:write";

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
	const char *p = scope;
	if (*p == '\0')
		return false;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == 0)
			break;
		bool known = false;
		for (const char *a = OAUTH_ALL_SCOPES; *a;) {
			size_t alen = strcspn(a, " ");
			if (alen == len && strncmp(a, p, len) == 0)
				known = true;
			a += alen;
			while (*a == ' ')
				a++;
		}
		if (!known)
			return false;
		p += len;
	}
	return true;
}

bool oauth_redirect_allowed(const struct oauth_app *app, const char *uri)
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

bool oauth_single_redirect(const struct oauth_app *app, char *out, size_t outlen)
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

cf_status oauth_issue_code(struct db *db, const struct oauth_app *app, unsigned long long user_id,
                           unsigned long long team_id, const char *scope, const char *redirect_uri,
                           const char *challenge, char code[OAUTH_TOKEN_LEN + 1])
{
	cf_status st = oauth_random_token(code);
	if (st != CF_OK)
		return st;
	char hash[65];
	oauth_hash(code, hash);
	return store_grant_create(db, hash, app->id, user_id, team_id, scope, redirect_uri, challenge, "S256",
	                          OAUTH_CODE_TTL_SECONDS);
}

/* Inserts a pair; runs inside the caller's transaction when there is one. */
static cf_status insert_pair(struct db *db, unsigned long long app_id, unsigned long long user_id,
                             unsigned long long team_id, const char *scope, struct oauth_tokens *out)
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
	st = store_access_token_create(db, hash, app_id, user_id, team_id, scope, OAUTH_ACCESS_TTL_SECONDS, &access_id);
	if (st == CF_OK) {
		oauth_hash(out->refresh, hash);
		st = store_refresh_token_create(db, hash, access_id, app_id, user_id, team_id, scope);
	}
	return st;
}

cf_status oauth_issue_tokens(struct db *db, unsigned long long app_id, unsigned long long user_id,
                             unsigned long long team_id, const char *scope, struct oauth_tokens *out)
{
	cf_status st = db_begin(db);
	if (st != CF_OK)
		return st;
	st = insert_pair(db, app_id, user_id, team_id, scope, out);
	if (st == CF_OK)
		return db_commit(db);
	db_rollback(db);
	return st;
}

cf_status oauth_refresh(struct db *db, unsigned long long app_id, const char *refresh_token, struct oauth_tokens *out)
{
	char hash[65];
	oauth_hash(refresh_token, hash);
	cf_status st = db_begin(db);
	if (st != CF_OK)
		return st;
	struct token_record old;
	st = store_refresh_token_take(db, hash, app_id, &old);
	if (st == CF_OK && (!old.user_active || !old.is_member))
		st = CF_E_NOT_FOUND;
	if (st == CF_OK)
		st = store_refresh_token_revoke(db, old.id);
	if (st == CF_OK && old.access_token_id != 0)
		st = store_access_token_revoke_id(db, old.access_token_id);
	if (st == CF_OK)
		st = insert_pair(db, app_id, old.user_id, old.team_id, old.scope, out);
	if (st == CF_OK)
		return db_commit(db);
	db_rollback(db);
	return st;
}
