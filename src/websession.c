/* websession.c - cookie sessions and CSRF double-submit tokens. Session ids
 * are 32 random bytes; only their SHA-256 is stored. */
#include "websession.h"

#include <string.h>

#include "crypto.h"
#include "store_oauth.h"

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

cf_status websession_user(struct app *app, const struct request *req, unsigned long long *user_id, char email[256])
{
	char hash[65];
	if (!session_hash(req, hash))
		return CF_E_NOT_FOUND;
	return store_web_session_find(app->db, hash, user_id, email);
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
	st = store_web_session_create(app->db, hash, user_id, csrf, WEBSESSION_TTL_SECONDS);
	if (st != CF_OK)
		return st;
	bool secure = request_is_secure(req);
	response_set_cookie(resp, "sessionid", sid, WEBSESSION_TTL_SECONDS, true, secure);
	/* A new CSRF token on login, as Django rotates it. */
	response_set_cookie(resp, "csrftoken", csrf, 365L * 24 * 3600, false, secure);
	return CF_OK;
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

cf_status csrf_token(const struct request *req, struct response *resp, char out[CSRF_TOKEN_LEN + 1])
{
	if (request_cookie(req, "csrftoken", out, CSRF_TOKEN_LEN + 1) && csrf_shape_ok(out))
		return CF_OK;
	cf_status st = random_string(out, CSRF_TOKEN_LEN, TOKEN_ALPHABET);
	if (st == CF_OK)
		response_set_cookie(resp, "csrftoken", out, 365L * 24 * 3600, false, request_is_secure(req));
	return st;
}

bool csrf_valid(const struct request *req, const char *submitted)
{
	char cookie[CSRF_TOKEN_LEN + 1];
	if (!request_cookie(req, "csrftoken", cookie, sizeof cookie) || !csrf_shape_ok(cookie))
		return false;
	const char *given = submitted ? submitted : request_header(req, "x-csrftoken");
	return given != NULL && secret_equal(cookie, given);
}
