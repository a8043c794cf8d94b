/* chat_auth.c - embed keys, cookie logins and anonymous callers on the
 * chat-widget API. */
#include "chat_auth.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto.h"
#include "cursor.h"
#include "ids.h"
#include "store_channels.h"
#include "store_chatbots.h"
#include "store_sessions.h"
#include "websession.h"


/* ---- widget session tokens ---- */

#define TOKEN_PAYLOAD_PREFIX "st1|"

cf_status chat_session_token_issue(struct db *db, const char *session_id, char out[CF_SESSION_TOKEN_MAX + 1])
{
	char secret[65];
	cf_status st = store_secret(db, "session_token", secret);
	if (st != CF_OK)
		return st;
	char payload[UUID_STR_LEN + sizeof TOKEN_PAYLOAD_PREFIX];
	int n = snprintf(payload, sizeof payload, TOKEN_PAYLOAD_PREFIX "%s", session_id);
	if (n < 0 || (size_t)n >= sizeof payload)
		return CF_E_INTERNAL;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)payload, (size_t)n, mac, &maclen) ==
	    NULL)
		return CF_E_INTERNAL;
	char p64[4 * ((sizeof payload + 2) / 3) + 1];
	char m64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	b64url_encode((const unsigned char *)payload, (size_t)n, p64);
	b64url_encode(mac, maclen, m64);
	n = snprintf(out, CF_SESSION_TOKEN_MAX + 1, "%s.%s", p64, m64);
	return (n > 0 && n <= CF_SESSION_TOKEN_MAX) ? CF_OK : CF_E_INTERNAL;
}

cf_status chat_session_token_check(struct db *db, const char *session_id, const char *token, bool *valid)
{
	*valid = false;
	if (strnlen(token, CF_SESSION_TOKEN_MAX + 1) > CF_SESSION_TOKEN_MAX)
		return CF_OK;
	char want[CF_SESSION_TOKEN_MAX + 1];
	cf_status st = chat_session_token_issue(db, session_id, want);
	if (st == CF_OK)
		*valid = secret_equal(want, token);
	return st;
}

/* Host of an absolute URL ("https://Example.org:8443/x" -> "example.org"). */
static bool url_host(const char *url, char *out, size_t outlen)
{
	const char *p = strstr(url, "://");
	if (p == NULL)
		return false;
	p += 3;
	const char *at = NULL;
	for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
		if (*q == '@')
			at = q;
	if (at != NULL)
		p = at + 1;   /* skip userinfo */
	size_t n = 0;
	if (*p == '[') {
		const char *close = strchr(p, ']');
		if (close == NULL)
			return false;
		n = (size_t)(close - p + 1);
	} else {
		n = strcspn(p, ":/?#");
	}
	if (n == 0 || n + 1 > outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = '\0';
	return true;
}

bool request_origin_host(const struct request *req, char *out, size_t outlen)
{
	const char *origin = request_header(req, "origin");
	if (origin != NULL && *origin != '\0' && strcmp(origin, "null") != 0)
		return url_host(origin, out, outlen);
	const char *referer = request_header(req, "referer");
	return referer != NULL && url_host(referer, out, outlen);
}

bool embed_domain_allowed(const char *allowed_domains_json, const char *host)
{
	struct json_object *list = json_tokener_parse(allowed_domains_json ? allowed_domains_json : "[]");
	bool allowed = false;
	size_t hlen = strlen(host);
	for (size_t i = 0; json_object_is_type(list, json_type_array) && i < json_object_array_length(list); i++) {
		struct json_object *v = json_object_array_get_idx(list, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		const char *d = json_object_get_string(v);
		if (strcmp(d, "*") == 0 || strcasecmp(d, host) == 0) {
			allowed = true;
		} else if (strncmp(d, "*.", 2) == 0) {
			/* "*.example.com" matches "a.example.com", never "example.com" */
			const char *suffix = d + 1;
			size_t slen = strlen(suffix);
			if (hlen > slen && strcasecmp(host + hlen - slen, suffix) == 0)
				allowed = true;
		}
	}
	json_object_put(list);
	return allowed;
}

/* The chatbot an embed key is presented for. */
static cf_status embed_chatbot(struct app *app, const struct request *req, const struct route_match *m,
                               char public_id[37], const char **message)
{
	const char *session = route_param(m, "session_id");
	if (session != NULL) {
		cf_status st = store_session_chatbot(app->db, session, public_id);
		if (st == CF_E_NOT_FOUND) {
			*message = "Session does not exist";
			return CF_E_FORBIDDEN;
		}
		return st;
	}
	struct json_object *body = NULL, *id = NULL;
	char err[256];
	cf_status st = request_json_body(req, &body, err, sizeof err);
	bool found = st == CF_OK && json_object_is_type(body, json_type_object) &&
	             json_object_object_get_ex(body, "chatbot_id", &id) && json_object_is_type(id, json_type_string) &&
	             uuid_valid(json_object_get_string(id));
	if (found)
		uuid_normalize(json_object_get_string(id), public_id);
	json_object_put(body);
	if (!found) {
		*message = "Experiment ID required for embedded widget authentication";
		return CF_E_BAD_REQUEST;
	}
	return CF_OK;
}

static cf_status embed_key_auth(struct app *app, const struct request *req, const struct route_match *m,
                                const char *key, struct principal *who, const char **message)
{
	char chatbot[UUID_STR_LEN + 1];
	cf_status st = embed_chatbot(app, req, m, chatbot, message);
	if (st != CF_OK)
		return st;
	struct channel_row *rows = NULL;
	size_t count = 0;
	st = store_widget_channels(app->db, chatbot, &rows, &count);
	size_t match = count;
	for (size_t r = 0; st == CF_OK && r < count; r++)
		if (secret_equal(rows[r].widget_token, key))
			match = r;
	if (st == CF_OK && match == count) {
		*message = "Invalid widget embed key";
		st = CF_E_FORBIDDEN;
	}
	char host[CF_ORIGIN_HOST_MAX];
	if (st == CF_OK && (!request_origin_host(req, host, sizeof host) ||
	                    !embed_domain_allowed(rows[match].allowed_domains, host))) {
		*message = NULL;   /* the standard permission text */
		st = CF_E_FORBIDDEN;
	}
	if (st == CF_OK) {
		memset(who, 0, sizeof *who);
		who->kind = PRINCIPAL_EMBED_KEY;
		who->channel_id = rows[match].id;
		who->team_id = rows[match].team_id;
		snprintf(who->key_prefix, sizeof who->key_prefix, "embed:%llu", who->channel_id);
	}
	channel_rows_free(rows, count);
	return st;
}

cf_status auth_chat_request(struct app *app, const struct request *req, const struct route_match *m,
                            struct principal *who, const char **message)
{
	memset(who, 0, sizeof *who);
	*message = NULL;
	const char *key = request_header(req, "x-embed-key");
	bool has_key = key != NULL && *key != '\0';
	bool start = route_param(m, "session_id") == NULL;
	if (has_key && !start)
		return embed_key_auth(app, req, m, key, who, message);
	unsigned long long user_id = 0;
	char email[256];
	cf_status st = websession_user(app, req, &user_id, email);
	if (st == CF_E_NOT_FOUND && has_key)
		return embed_key_auth(app, req, m, key, who, message);
	if (st == CF_E_NOT_FOUND)
		return CF_OK;   /* anonymous */
	if (st != CF_OK)
		return st;
	if (!request_is_safe(req) && !csrf_valid(app, req, NULL)) {
		*message = "CSRF Failed: CSRF token missing or incorrect.";
		return CF_E_FORBIDDEN;
	}
	/* An embed key riding along on a start attributes the session to its
	 * widget channel when it passes its own checks; one that fails them
	 * attributes nothing (the user is let in as a user either way). */
	unsigned long long widget_channel = 0;
	if (has_key) {
		struct principal key_who;
		const char *ignored = NULL;
		if (embed_key_auth(app, req, m, key, &key_who, &ignored) == CF_OK)
			widget_channel = key_who.channel_id;
	}
	memset(who, 0, sizeof *who);
	who->kind = PRINCIPAL_COOKIE;
	who->user_id = user_id;
	who->channel_id = widget_channel;
	snprintf(who->user_email, sizeof who->user_email, "%s", email);
	snprintf(who->key_prefix, sizeof who->key_prefix, "user:%llu", user_id);
	return CF_OK;
}
