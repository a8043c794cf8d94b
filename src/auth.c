/* auth.c - API key and OAuth token authentication, route permissions and
 * the chatbot allow-list of machine (client_credentials) tokens. */
#include "auth.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crypto.h"
#include "limits.h"
#include "log.h"
#include "oauth.h"
#include "store_chatbots.h"
#include "store_keys.h"
#include "store_oauth.h"
#include "ids.h"

static const char KEY_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool api_key_split(const char *key, char prefix[CF_API_KEY_PREFIX_LEN + 1])
{
	const char *dot = strchr(key, '.');
	if (dot == NULL || dot - key != CF_API_KEY_PREFIX_LEN || dot[1] == '\0')
		return false;
	for (const char *p = key; p < dot; p++)
		if (!isalnum((unsigned char)*p))
			return false;
	memcpy(prefix, key, CF_API_KEY_PREFIX_LEN);
	prefix[CF_API_KEY_PREFIX_LEN] = '\0';
	return true;
}

void api_key_hash(const char *key, char out[137])
{
	char hex[129];
	sha512_hex(key, strlen(key), hex);
	snprintf(out, 137, "sha512$$%s", hex);
}

cf_status api_key_generate(char *out, size_t outlen)
{
	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	char secret[CF_API_KEY_SECRET_LEN + 1];
	if (outlen < sizeof prefix + sizeof secret)
		return CF_E_INTERNAL;
	cf_status st = random_string(prefix, CF_API_KEY_PREFIX_LEN, KEY_ALPHABET);
	if (st == CF_OK)
		st = random_string(secret, CF_API_KEY_SECRET_LEN, KEY_ALPHABET);
	if (st == CF_OK)
		snprintf(out, outlen, "%s.%s", prefix, secret);
	return st;
}

static void fill_principal(struct principal *out, enum principal_kind kind, unsigned long long team_id,
                           const char *team_slug, const char *team_name, unsigned long long user_id,
                           const char *email, const char *role)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->team_id = team_id;
	snprintf(out->team_slug, sizeof out->team_slug, "%s", team_slug);
	snprintf(out->team_name, sizeof out->team_name, "%s", team_name);
	out->user_id = user_id;
	snprintf(out->user_email, sizeof out->user_email, "%s", email);
	snprintf(out->role, sizeof out->role, "%s", role);
}

/* Per-process cache of verified keys, keyed by the key's hash (the key
 * itself is never kept). An entry lives auth_cache_seconds, and never past
 * the key's own expiry date (checked on every lookup). A revocation bumps
 * the shared revocation epoch (store_auth_epoch_bump); each worker re-reads
 * it at most every CF_AUTH_EPOCH_CHECK_MS while it uses the cache and
 * empties the cache when it changed, so a revoked key stops working within
 * about a second on every host, at one small query per second per worker
 * rather than one per request. */

struct cached_principal {
	char hash[137];
	long long expires_ms;   /* monotonic: the earlier of the TTL and the key's expiry */
	struct principal who;
};

static struct cached_principal auth_cache[CF_AUTH_CACHE_SIZE];
static unsigned long long auth_epoch_seen;   /* the epoch the cache is valid for */
static bool auth_epoch_valid;
static long long auth_epoch_read_ms;        /* when it was last read */

static long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Empties the cache when the revocation epoch moved (or cannot be read). */
static void cache_check_epoch(struct app *app)
{
	long long now = monotonic_ms();
	if (auth_epoch_valid && now - auth_epoch_read_ms < CF_AUTH_EPOCH_CHECK_MS)
		return;
	unsigned long long epoch = 0;
	cf_status st = store_auth_epoch(app->db, &epoch);
	auth_epoch_read_ms = now;
	if (st != CF_OK) {
		/* Unknown: trust nothing cached; read again on the next request. */
		log_warn("auth: reading the revocation epoch failed: %s", db_last_error(app->db));
		auth_cache_clear();
		auth_epoch_valid = false;
		return;
	}
	if (!auth_epoch_valid || epoch != auth_epoch_seen)
		auth_cache_clear();
	auth_epoch_seen = epoch;
	auth_epoch_valid = true;
}

static bool cache_lookup(const char *hash, struct principal *out)
{
	long long now = monotonic_ms();
	for (size_t i = 0; i < CF_AUTH_CACHE_SIZE; i++) {
		if (auth_cache[i].expires_ms > now && secret_equal(auth_cache[i].hash, hash)) {
			*out = auth_cache[i].who;
			return true;
		}
	}
	return false;
}

/* ttl: auth_cache_seconds; key_expires_in: seconds until the key's expiry
 * date, or < 0 for a key without one. */
static void cache_store(const char *hash, const struct principal *who, int ttl, long long key_expires_in)
{
	if (ttl <= 0 || !auth_epoch_valid)
		return;
	long long life_ms = (long long)ttl * 1000;
	if (key_expires_in >= 0 && key_expires_in * 1000 < life_ms)
		life_ms = key_expires_in * 1000;
	if (life_ms <= 0)
		return;
	size_t victim = 0;
	for (size_t i = 1; i < CF_AUTH_CACHE_SIZE; i++)
		if (auth_cache[i].expires_ms < auth_cache[victim].expires_ms)
			victim = i;
	snprintf(auth_cache[victim].hash, sizeof auth_cache[victim].hash, "%s", hash);
	auth_cache[victim].who = *who;
	auth_cache[victim].expires_ms = monotonic_ms() + life_ms;
}

void auth_cache_clear(void)
{
	memset(auth_cache, 0, sizeof auth_cache);
}

/* Verifies one presented API key. */
static cf_status verify_api_key(struct app *app, const char *key, struct principal *out, const char **message)
{
	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	*message = "Invalid token.";
	if (strlen(key) > 256 || !api_key_split(key, prefix))
		return CF_E_BAD_CREDENTIALS;
	char hash[137];
	api_key_hash(key, hash);
	if (app->cfg->auth_cache_seconds > 0)
		cache_check_epoch(app);
	if (app->cfg->auth_cache_seconds > 0 && cache_lookup(hash, out)) {
		*message = NULL;
		return CF_OK;
	}
	struct api_key_row rec;
	cf_status st = store_api_key_find(app->db, prefix, &rec);
	if (st == CF_E_NOT_FOUND)
		return CF_E_BAD_CREDENTIALS;
	if (st != CF_OK) {
		*message = NULL;
		return st;
	}
	if (!secret_equal(hash, rec.hashed_key) || rec.expired)
		return CF_E_BAD_CREDENTIALS;
	if (!rec.user_active) {
		*message = "User inactive or deleted.";
		return CF_E_BAD_CREDENTIALS;
	}
	if (!rec.is_member) {
		*message = "Incorrect authentication credentials.";
		return CF_E_BAD_CREDENTIALS;
	}
	fill_principal(out, PRINCIPAL_API_KEY, rec.team_id, rec.team_slug, rec.team_name, rec.user_id, rec.user_email,
	               rec.role);
	out->read_only = rec.read_only;
	snprintf(out->key_prefix, sizeof out->key_prefix, "%s", prefix);
	cache_store(hash, out, app->cfg->auth_cache_seconds, rec.expires ? rec.expires_in : -1);
	*message = NULL;
	return CF_OK;
}

/* Step 1 of §2.1: an OAuth2 access token. CF_E_NOT_FOUND lets the API-key
 * steps have their turn (an unknown or expired token is not an error here). */
static cf_status verify_oauth_token(struct app *app, const char *token, struct principal *out, const char **message)
{
	if (strlen(token) != OAUTH_TOKEN_LEN || strchr(token, '.') != NULL)
		return CF_E_NOT_FOUND;   /* API keys always carry a '.' */
	char hash[65];
	oauth_hash(token, hash);
	struct oauth_token_row t;
	cf_status st = store_access_token_find(app->db, hash, &t);
	if (st != CF_OK)
		return st;
	/* A machine token has no user: its team is its application's, and no
	 * membership stands behind it (upstream's SyntheticTeamMembership). */
	if (!t.machine && !t.user_active) {
		*message = "User inactive or deleted.";
		return CF_E_BAD_CREDENTIALS;
	}
	if (!t.machine && !t.is_member) {
		*message = "Incorrect authentication credentials.";
		return CF_E_BAD_CREDENTIALS;
	}
	fill_principal(out, PRINCIPAL_OAUTH, t.team_id, t.team_slug, t.team_name, t.user_id, t.user_email, t.role);
	out->machine = t.machine;
	out->oauth_app_id = t.application_id;
	snprintf(out->scopes, sizeof out->scopes, "%s", t.scope);
	snprintf(out->key_prefix, sizeof out->key_prefix, "oauth:%llu", t.id);
	*message = NULL;
	return CF_OK;
}

/* The token of "Authorization: Bearer <token>" (keyword case-insensitive),
 * or NULL. */
static const char *bearer_token(const struct request *req)
{
	const char *authz = request_header(req, "authorization");
	if (authz == NULL)
		return NULL;
	const char *space = strchr(authz, ' ');
	if (space == NULL || space - authz != 6 || strncasecmp(authz, "bearer", 6) != 0 || space[1] == '\0')
		return NULL;
	return space + 1;
}

cf_status auth_api_request(struct app *app, const struct request *req, struct principal *out,
                           const char **message)
{
	const char *bearer = bearer_token(req);
	if (bearer != NULL) {
		cf_status st = verify_oauth_token(app, bearer, out, message);
		if (st != CF_E_NOT_FOUND)
			return st;
	}
	const char *key = request_header(req, "x-api-key");
	if (key != NULL && *key != '\0')
		return verify_api_key(app, key, out, message);
	if (bearer != NULL)
		return verify_api_key(app, bearer, out, message);
	*message = "Authentication credentials were not provided.";
	return CF_E_NO_CREDENTIALS;
}

static bool has_scope(const char *scopes, const char *want)
{
	size_t wl = strlen(want);
	for (const char *p = scopes; (p = strstr(p, want)) != NULL; p += wl)
		if ((p == scopes || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == '\0'))
			return true;
	return false;
}

/* Upstream's role model permissions (apps/teams/backends.py GROUPS, today)
 * that Confab's routes need, by the role names of team_memberships. */
static bool role_in(const char *role, const char *const *roles)
{
	for (; *roles != NULL; roles++)
		if (strcmp(role, *roles) == 0)
			return true;
	return false;
}
/* A role rule as it applies to who: a machine token (client credentials)
 * has no role, and upstream lets its scopes alone decide. */
static bool role_ok(const struct principal *who, const char *const *roles)
{
	return who->machine || role_in(who->role, roles);
}
/* The experiments-app model permissions (sessions, experiments: view and
 * change; change_participant): Super Admin and Chatbot Admin (§2.4). */
static const char *const EXPERIMENT_ROLES[] = {"super_admin", "experiment_admin", NULL};
/* files.view_file: those two, Chat Viewer and Assistant Admin (files ALL). */
static const char *const VIEW_FILE_ROLES[] = {"super_admin", "experiment_admin", "chat_viewer", "assistant_admin",
                                              NULL};

cf_status auth_check_permission(const struct principal *who, const struct request *req, enum route_perm perm)
{
	bool safe = request_is_safe(req);
	if (who->kind == PRINCIPAL_API_KEY && who->read_only && !safe)
		return CF_E_FORBIDDEN;
	switch (perm) {
	case ROUTE_PERM_NONE:
		return CF_OK;
	case ROUTE_PERM_SESSIONS:
		if (who->kind == PRINCIPAL_OAUTH && !has_scope(who->scopes, safe ? "sessions:read" : "sessions:write"))
			return CF_E_FORBIDDEN;
		if (!role_ok(who, EXPERIMENT_ROLES))
			return CF_E_FORBIDDEN;
		return CF_OK;
	case ROUTE_PERM_PARTICIPANTS:
		if (who->kind == PRINCIPAL_OAUTH &&
		    !has_scope(who->scopes, safe ? "participants:read" : "participants:write"))
			return CF_E_FORBIDDEN;
		/* upstream's ParticipantModelPermissions: the roles that hold the
		 * participant model permissions are those of the sessions rule */
		if (!role_ok(who, EXPERIMENT_ROLES))
			return CF_E_FORBIDDEN;
		return CF_OK;
	case ROUTE_PERM_INTERACT:
		if (who->kind == PRINCIPAL_OAUTH && !has_scope(who->scopes, "chatbots:interact"))
			return CF_E_FORBIDDEN;
		return CF_OK;
	case ROUTE_PERM_FILES:
		if (who->kind == PRINCIPAL_OAUTH && !has_scope(who->scopes, "files:read"))
			return CF_E_FORBIDDEN;
		return role_ok(who, VIEW_FILE_ROLES) ? CF_OK : CF_E_FORBIDDEN;
	case ROUTE_PERM_CHATBOTS:
		/* upstream: required_scopes ["chatbots"] and the view_experiment
		 * model permission, which the same two roles hold (§2.4) */
		if (who->kind == PRINCIPAL_OAUTH && !has_scope(who->scopes, "chatbots:read"))
			return CF_E_FORBIDDEN;
		if (!role_ok(who, EXPERIMENT_ROLES))
			return CF_E_FORBIDDEN;
		return CF_OK;
	case ROUTE_PERM_TRIGGER:
		if (who->kind == PRINCIPAL_OAUTH && !has_scope(who->scopes, "chatbots:interact"))
			return CF_E_FORBIDDEN;
		return role_ok(who, EXPERIMENT_ROLES) ? CF_OK : CF_E_FORBIDDEN;
	}
	return CF_E_FORBIDDEN;
}

static const char NOT_ALLOWED[] = "This application is not authorized to interact with this chatbot.";

cf_status auth_check_chatbot(struct app *app, const struct principal *who, unsigned long long chatbot_id,
                             const char **message)
{
	*message = NULL;
	if (!who->machine)
		return CF_OK;
	bool allowed = false;
	cf_status st = store_oauth_app_allows(app->db, who->oauth_app_id, chatbot_id, &allowed);
	if (st == CF_OK && !allowed) {
		*message = NOT_ALLOWED;
		st = CF_E_FORBIDDEN;
	}
	return st;
}

cf_status auth_check_route_chatbot(struct app *app, const struct principal *who, const struct route_match *match,
                                   const char **message)
{
	*message = NULL;
	const char *id = route_param(match, "id");
	if (!who->machine || match->route->perm != ROUTE_PERM_INTERACT || id == NULL || !uuid_valid(id))
		return CF_OK;
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(id, norm);
	struct chatbot_row chatbot;
	cf_status st = store_chatbot_find(app->db, who->team_id, norm, &chatbot);
	if (st == CF_E_NOT_FOUND)
		return CF_OK;   /* the handler's 404 */
	if (st != CF_OK)
		return st;
	return auth_check_chatbot(app, who, chatbot.id, message);
}
