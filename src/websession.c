/* websession.c - cookie sessions and CSRF tokens. Session ids are random
 * (48 characters); only their SHA-256 is stored. A logged-in session's CSRF
 * token is an HMAC of its stored csrf_secret, so it is valid for that
 * session only. */
#include "websession.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto.h"
#include "store_web_sessions.h"

static const char TOKEN_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
#define SESSION_ID_LEN 48

bool request_is_secure(const struct request *req)
{
	return strcmp(req->scheme, "https") == 0;
}

static bool session_hash(const struct request *req, char hash[65])
{
	char sid[SESSION_ID_LEN + 1];
	if (!request_cookie(req, "sessionid", sid, sizeof sid) || strlen(sid) != SESSION_ID_LEN)
		return false;
	sha256_hex(sid, strlen(sid), hash);
	return true;
}

/* What the HMAC of a session's secret is taken over: one purpose, so the
 * same token serves the forms and the X-CSRFToken header of the chat API. */
static const char CSRF_PURPOSE[] = "confab csrf v1: forms and cookie API calls";

/* The CSRF token of a session: the first CSRF_TOKEN_LEN hex digits of
 * HMAC-SHA256(key = the session's csrf_secret, CSRF_PURPOSE). */
static cf_status csrf_bound_token(const char *secret, char out[CSRF_TOKEN_LEN + 1])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mlen = 0;
	if (secret[0] == '\0' ||
	    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)CSRF_PURPOSE,
	         sizeof CSRF_PURPOSE - 1, mac, &mlen) == NULL ||
	    mlen * 2 < CSRF_TOKEN_LEN)
		return CF_E_INTERNAL;
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < CSRF_TOKEN_LEN / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[CSRF_TOKEN_LEN] = '\0';
	return CF_OK;
}

cf_status websession_user(struct app *app, const struct request *req, unsigned long long *user_id, char email[256])
{
	char hash[65];
	struct web_session_row ws;
	if (!session_hash(req, hash))
		return CF_E_NOT_FOUND;
	cf_status st = store_web_session_find(app->db, hash, &ws);
	if (st == CF_OK) {
		*user_id = ws.user_id;
		memcpy(email, ws.user_email, sizeof ws.user_email);
	}
	explicit_bzero(ws.csrf_secret, sizeof ws.csrf_secret);
	return st;
}

cf_status websession_start(struct app *app, const struct request *req, struct response *resp,
                           unsigned long long user_id)
{
	char sid[SESSION_ID_LEN + 1], csrf[CSRF_TOKEN_LEN + 1], hash[65];
	cf_status st = random_string(sid, SESSION_ID_LEN, TOKEN_ALPHABET);
	if (st == CF_OK)
		st = random_string(csrf, CSRF_TOKEN_LEN, TOKEN_ALPHABET);
	if (st != CF_OK)
		return st;
	sha256_hex(sid, strlen(sid), hash);
	st = store_web_session_create(app->db, hash, user_id, csrf, CF_WEBSESSION_TTL_SECONDS);
	if (st != CF_OK)
		return st;
	bool secure = request_is_secure(req);
	response_set_cookie(resp, "sessionid", sid, CF_WEBSESSION_TTL_SECONDS, true, secure);
	/* A new CSRF token on login, as Django rotates it: the new session's. */
	char token[CSRF_TOKEN_LEN + 1];
	st = csrf_bound_token(csrf, token);
	if (st == CF_OK)
		response_set_cookie(resp, "csrftoken", token, 365L * 24 * 3600, false, secure);
	return st;
}

cf_status websession_end(struct app *app, const struct request *req, struct response *resp)
{
	char hash[65];
	cf_status st = CF_OK;
	if (session_hash(req, hash))
		st = store_web_session_delete(app->db, hash);
	response_set_cookie(resp, "sessionid", "", 0, true, request_is_secure(req));
	return st;
}

static bool csrf_shape_ok(const char *t)
{
	if (strlen(t) != CSRF_TOKEN_LEN)
		return false;
	for (; *t; t++)
		if (strchr(TOKEN_ALPHABET, *t) == NULL)
			return false;
	return true;
}

/* The token bound to the request's live web session (csrf_bound_token of
 * its stored secret); CF_E_NOT_FOUND without a live session. */
static cf_status session_csrf_token(struct app *app, const struct request *req, char out[CSRF_TOKEN_LEN + 1])
{
	char hash[65];
	struct web_session_row ws;
	if (!session_hash(req, hash))
		return CF_E_NOT_FOUND;
	cf_status st = store_web_session_find(app->db, hash, &ws);
	if (st == CF_OK)
		st = csrf_bound_token(ws.csrf_secret, out);
	explicit_bzero(ws.csrf_secret, sizeof ws.csrf_secret);
	return st;
}

cf_status csrf_token(struct app *app, const struct request *req, struct response *resp,
                     char out[CSRF_TOKEN_LEN + 1])
{
	char cookie[CSRF_TOKEN_LEN + 1];
	bool have_cookie = request_cookie(req, "csrftoken", cookie, sizeof cookie) && csrf_shape_ok(cookie);
	cf_status st = session_csrf_token(app, req, out);
	if (st == CF_E_NOT_FOUND) {
		/* Before a login: a random double-submit token (the login form). */
		if (have_cookie) {
			memcpy(out, cookie, sizeof cookie);
			return CF_OK;
		}
		st = random_string(out, CSRF_TOKEN_LEN, TOKEN_ALPHABET);
	}
	if (st == CF_OK && !(have_cookie && strcmp(cookie, out) == 0))
		response_set_cookie(resp, "csrftoken", out, 365L * 24 * 3600, false, request_is_secure(req));
	return st;
}

bool csrf_valid(struct app *app, const struct request *req, const char *submitted)
{
	const char *given = submitted ? submitted : request_header(req, "x-csrftoken");
	if (given == NULL)
		return false;
	char want[CSRF_TOKEN_LEN + 1];
	cf_status st = session_csrf_token(app, req, want);
	if (st == CF_OK)
		return secret_equal(want, given);   /* the cookie plays no part */
	if (st != CF_E_NOT_FOUND)
		return false;
	/* No session: the double-submit check (cookie == submitted). */
	char cookie[CSRF_TOKEN_LEN + 1];
	if (!request_cookie(req, "csrftoken", cookie, sizeof cookie) || !csrf_shape_ok(cookie))
		return false;
	return secret_equal(cookie, given);
}
