/* ctl_keys.c - confabctl apikey create|revoke|list and oauth-app
 * create|allow|disallow|list: the credentials the API accepts, and the
 * chatbots a client-credentials application reaches. A key or client
 * secret is printed once, when it is made; only its hash is stored. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "confabctl.h"
#include "ids.h"
#include "limits.h"
#include "oauth.h"
#include "store_keys.h"
#include "store_oauth.h"

static bool valid_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	return end != NULL && *end == '\0' && strlen(s) == 10;
}

int cmd_apikey_create(struct ctl *c)
{
	if (ctl_opt(c, "read-only") && ctl_opt(c, "write"))
		ctl_die(2, "--read-only and --write exclude each other");
	bool read_only = ctl_opt(c, "write") == NULL;
	const char *name = ctl_opt(c, "name");
	if (name == NULL)
		name = "";
	ctl_check_length("name", name, 50);
	const char *expires = ctl_opt(c, "expires");
	char expiry[32] = "";
	if (expires != NULL) {
		if (!valid_date(expires))
			ctl_die(2, "--expires must be a date YYYY-MM-DD");
		snprintf(expiry, sizeof expiry, "%s 00:00:00", expires);
	}
	ctl_open(c);
	unsigned long long user = ctl_user_by_email(c, ctl_required(c, "user"));
	bool member = false;
	ctl_check(c, store_member_exists(c->db, c->team, user, &member), "membership");
	if (!member)
		ctl_die(1, "user %s is not a member of team %s", ctl_opt(c, "user"), ctl_opt(c, "team"));
	char key[CF_API_KEY_PREFIX_LEN + CF_API_KEY_SECRET_LEN + 2];
	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	char hash[137];
	if (api_key_generate(key, sizeof key) != CF_OK || !api_key_split(key, prefix))
		ctl_die(1, "could not generate a key");
	api_key_hash(key, hash);
	ctl_check(c, store_api_key_create(c->db, prefix, hash, name, c->team, user, read_only, expires ? expiry : NULL),
	          "api key");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "prefix", json_object_new_string(prefix));
		json_object_object_add(obj, "key", json_object_new_string(key));
		json_object_object_add(obj, "read_only", json_object_new_boolean(read_only));
		ctl_print_json(obj);
	} else {
		puts(key);
		fprintf(stderr, "Store this key now: it cannot be shown again (prefix %s, %s).\n", prefix,
		        read_only ? "read-only" : "write");
	}
	explicit_bzero(key, sizeof key);
	return 0;
}

int cmd_apikey_revoke(struct ctl *c)
{
	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	const char *given = c->o.args[0];
	/* Accept the prefix or a whole key; keep only the prefix. */
	if (!api_key_split(given, prefix)) {
		if (strlen(given) != CF_API_KEY_PREFIX_LEN)
			ctl_die(2, "\"%s\" is not a key prefix", given);
		memcpy(prefix, given, sizeof prefix);
	}
	ctl_open(c);
	cf_status st = store_api_key_revoke(c->db, prefix);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no active key with prefix %s", prefix);
	ctl_check(c, st, "api key");
	/* Workers that cached the key forget it within about a second. */
	ctl_check(c, store_auth_epoch_bump(c->db), "revocation epoch");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "revoked", json_object_new_string(prefix));
		ctl_print_json(obj);
	}
	return 0;
}

#define KEY struct api_key_summary
static const struct ctl_cell KEY_CELLS[] = {
	{.field = CTL_CHARS_AT(KEY, prefix)},
	{.field = CTL_CHARS_AT(KEY, name)},
	{.field = CTL_CHARS_AT(KEY, user_email)},
	{.field = CTL_BOOL_AT(KEY, read_only), .yes = "read-only", .no = "write"},
	{.field = CTL_BOOL_AT(KEY, revoked), .yes = "revoked", .no = "active"},
	{.field = CTL_CHARS_AT(KEY, expiry_date), .absent = "no-expiry"},
};
static const struct ctl_member KEY_MEMBERS[] = {
	{.key = "prefix", .field = CTL_CHARS_AT(KEY, prefix)},
	{.key = "name", .field = CTL_CHARS_AT(KEY, name)},
	{.key = "user", .field = CTL_CHARS_AT(KEY, user_email)},
	{.key = "read_only", .field = CTL_BOOL_AT(KEY, read_only)},
	{.key = "revoked", .field = CTL_BOOL_AT(KEY, revoked)},
	{.key = "expiry_date", .field = CTL_CHARS_AT(KEY, expiry_date), .null_if_absent = true},
};
#undef KEY
static const struct ctl_table KEYS = CTL_TABLE(KEY_CELLS, KEY_MEMBERS);

static cf_status list_key(void *listing, const struct api_key_summary *key)
{
	return ctl_list_row(listing, key);
}

int cmd_apikey_list(struct ctl *c)
{
	ctl_open(c);
	struct ctl_listing l;
	ctl_list_start(&l, c, &KEYS);
	ctl_check(c, store_api_key_list(c->db, c->team, list_key, &l), "api keys");
	ctl_list_end(&l);
	return 0;
}

/* The stored list's size: oauth_applications.redirect_uris as read back. */
#define REDIRECT_URIS_LEN sizeof(((struct oauth_application_row *)0)->redirect_uris)

/* --redirect-uri may repeat; the URIs go into uris space separated.
 * Returns how many bytes were written. */
static size_t redirect_uris(const struct ctl *c, char uris[REDIRECT_URIS_LEN])
{
	size_t len = 0;
	uris[0] = '\0';
	for (size_t i = 0; i < c->o.count; i++) {
		if (strcmp(c->o.names[i], "redirect-uri") != 0)
			continue;
		const char *u = c->o.values[i];
		size_t n = strlen(u);
		if ((strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) || strchr(u, ' ') || strchr(u, '#'))
			ctl_die(2, "--redirect-uri must be an absolute http(s) URI without a fragment");
		if (len + n + 2 > REDIRECT_URIS_LEN)
			ctl_die(2, "too many redirect URIs");
		if (len > 0)
			uris[len++] = ' ';
		memcpy(uris + len, u, n + 1);
		len += n;
	}
	return len;
}

int cmd_oauth_app_create(struct ctl *c)
{
	const char *name = ctl_required(c, "name");
	ctl_check_length("name", name, 255);
	const char *grant = ctl_opt(c, "grant");
	bool machine = grant != NULL && strcmp(grant, "client-credentials") == 0;
	if (grant != NULL && !machine && strcmp(grant, "authorization-code") != 0)
		ctl_die(2, "--grant must be authorization-code or client-credentials");
	char uris[REDIRECT_URIS_LEN];
	size_t len = redirect_uris(c, uris);
	const char *scopes = ctl_opt(c, "scope");
	if (machine) {
		/* RFC 6749 section 4.4: a confidential client of one team, no redirect. */
		if (len > 0 || ctl_opt(c, "public"))
			ctl_die(2, "a client-credentials application takes no --redirect-uri and is never --public");
		if (ctl_opt(c, "team") == NULL)
			ctl_die(2, "--team is required for a client-credentials application");
		if (scopes != NULL && (strlen(scopes) > 255 || !oauth_scope_subset(scopes, OAUTH_MACHINE_SCOPES)))
			ctl_die(2, "--scope must be space-separated scopes of: %s", OAUTH_MACHINE_SCOPES);
	} else {
		if (len == 0)
			ctl_die(2, "--redirect-uri is required");
		if (ctl_opt(c, "team") || scopes)
			ctl_die(2, "--team and --scope are for client-credentials applications");
	}
	bool confidential = ctl_opt(c, "public") == NULL;
	char client_id[OAUTH_TOKEN_LEN + 1], secret[OAUTH_TOKEN_LEN + 1], hash[65] = "";
	if (oauth_random_token(client_id) != CF_OK || oauth_random_token(secret) != CF_OK)
		ctl_die(1, "could not generate credentials");
	if (confidential)
		oauth_hash(secret, hash);
	ctl_open(c);
	unsigned long long team = machine ? ctl_team_by_slug(c, ctl_opt(c, "team")) : 0;
	ctl_check(c,
	          store_oauth_app_create(c->db, client_id, confidential ? hash : NULL, name, uris, confidential,
	                                 machine ? OAUTH_GRANT_CLIENT_CREDENTIALS : OAUTH_GRANT_AUTHORIZATION_CODE, team,
	                                 scopes),
	          "oauth application");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "client_id", json_object_new_string(client_id));
		json_object_object_add(obj, "client_secret", confidential ? json_object_new_string(secret) : NULL);
		json_object_object_add(obj, "client_type", json_object_new_string(confidential ? "confidential" : "public"));
		json_object_object_add(obj, "grant_type",
		                       json_object_new_string(machine ? "client-credentials" : "authorization-code"));
		ctl_print_json(obj);
	} else {
		printf("client_id %s\n", client_id);
		if (confidential)
			printf("client_secret %s\n", secret);
	}
	explicit_bzero(secret, sizeof secret);
	return 0;
}

/* --app CLIENT_ID and --chatbot ID of allow and disallow (the chatbot
 * normalised into norm). */
static const char *allow_args(const struct ctl *c, char norm[UUID_STR_LEN + 1])
{
	const char *app = ctl_required(c, "app");
	const char *bot = ctl_required(c, "chatbot");
	if (strlen(app) > 100)
		ctl_die(2, "--app is a client id");
	if (!uuid_valid(bot))
		ctl_die(2, "--chatbot must be a chatbot id (a UUID)");
	uuid_normalize(bot, norm);
	return app;
}

static void print_allowed(const struct ctl *c, const char *app, const char *bot, bool allowed)
{
	if (!c->json)
		return;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "client_id", json_object_new_string(app));
	json_object_object_add(obj, "chatbot", json_object_new_string(bot));
	json_object_object_add(obj, "allowed", json_object_new_boolean(allowed));
	ctl_print_json(obj);
}

int cmd_oauth_app_allow(struct ctl *c)
{
	char bot[UUID_STR_LEN + 1];
	const char *app = allow_args(c, bot);
	ctl_open(c);
	cf_status st = store_oauth_app_allow(c->db, app, bot);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no client-credentials application %s with chatbot %s in its team", app, bot);
	ctl_check(c, st, "allow-list");
	print_allowed(c, app, bot, true);
	return 0;
}

int cmd_oauth_app_disallow(struct ctl *c)
{
	char bot[UUID_STR_LEN + 1];
	const char *app = allow_args(c, bot);
	ctl_open(c);
	cf_status st = store_oauth_app_disallow(c->db, app, bot);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "application %s does not list chatbot %s", app, bot);
	ctl_check(c, st, "allow-list");
	/* Tokens are checked against the list on every request: no cache to empty. */
	print_allowed(c, app, bot, false);
	return 0;
}

#define APP struct oauth_app_summary
static const struct ctl_cell APP_CELLS[] = {
	{.field = CTL_CHARS_AT(APP, client_id)},
	{.field = CTL_CHARS_AT(APP, name)},
	{.field = CTL_CHARS_AT(APP, scopes), .absent = "all-machine-scopes"},
	{.field = CTL_CHARS_AT(APP, chatbots), .absent = "no-chatbots"},
};
static const struct ctl_member APP_MEMBERS[] = {
	{.key = "client_id", .field = CTL_CHARS_AT(APP, client_id)},
	{.key = "name", .field = CTL_CHARS_AT(APP, name)},
	{.key = "grant_type", .field = CTL_CHARS_AT(APP, grant_type)},
	{.key = "scopes", .field = CTL_CHARS_AT(APP, scopes), .null_if_absent = true},
	{.key = "chatbots", .field = CTL_CHARS_AT(APP, chatbots)},
};
#undef APP
static const struct ctl_table APPS = CTL_TABLE(APP_CELLS, APP_MEMBERS);

static cf_status list_app(void *listing, const struct oauth_app_summary *a)
{
	return ctl_list_row(listing, a);
}

int cmd_oauth_app_list(struct ctl *c)
{
	ctl_open(c);
	struct ctl_listing l;
	ctl_list_start(&l, c, &APPS);
	ctl_check(c, store_oauth_app_list(c->db, c->team, list_app, &l), "oauth applications");
	ctl_list_end(&l);
	return 0;
}
