/* ctl_channels.c - confabctl channel add|configure|list|remove: where a
 * chatbot is reached. An embedded widget gets an embed key, its allowed
 * domains and its session-token policy; a messaging channel (telegram,
 * ...) a bot token, stored sealed and never printed. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confabctl.h"
#include "crypto.h"
#include "cursor.h"
#include "store_channels.h"

/* --session-token-ttl DAYS (1..CF_SESSION_TOKEN_TTL_DAYS_MAX; "default"
 * when allow_default: -1) and --require-session-token /
 * --no-require-session-token: the arguments of
 * store_channel_session_tokens_set (0 and -1: leave as is). */
static void token_policy_options(const struct ctl *c, bool allow_default, long *ttl_days, int *required)
{
	*ttl_days = 0;
	*required = -1;
	const char *ttl = ctl_opt(c, "session-token-ttl");
	if (ttl != NULL && allow_default && strcmp(ttl, "default") == 0) {
		*ttl_days = -1;
	} else if (ttl != NULL) {
		char *end = NULL;
		errno = 0;
		long v = strtol(ttl, &end, 10);
		if (ttl[0] < '0' || ttl[0] > '9' || errno != 0 || *end != '\0' || v < 1 ||
		    v > CF_SESSION_TOKEN_TTL_DAYS_MAX)
			ctl_die(2, "--session-token-ttl takes whole days, 1..%d%s, got \"%s\"", CF_SESSION_TOKEN_TTL_DAYS_MAX,
			        allow_default ? " or default" : "", ttl);
		*ttl_days = v;
	}
	bool on = ctl_opt(c, "require-session-token") != NULL;
	bool off = ctl_opt(c, "no-require-session-token") != NULL;
	if (on && off)
		ctl_die(2, "give --require-session-token or --no-require-session-token, not both");
	if (on || off)
		*required = on ? 1 : 0;
}

static const char *const PLATFORMS[] = {"telegram", "web", "whatsapp", "facebook", "sureadhere", "api", "slack",
                                        "commcare_connect", "evaluations", "embedded_widget", NULL};

/* telegram (--bot-token-file), whatsapp, ...: the token is stored like
 * other secrets and never printed. */
static int add_messaging_channel(struct ctl *c, const char *platform)
{
	const char *token_file = ctl_opt(c, "bot-token-file");
	if (strcmp(platform, "telegram") == 0 && token_file == NULL)
		ctl_die(2, "a telegram channel needs --bot-token-file FILE");
	char *token = token_file ? ctl_read_secret_file(token_file) : NULL;
	const char *name = ctl_opt(c, "name");
	ctl_open(c);
	unsigned long long id = 0;
	char *sealed = token ? ctl_seal(c, SECRET_CHANNEL_SECRET, c->bot.team, token) : NULL;
	cf_status st = store_channel_create_messaging(c->db, c->bot.team, c->bot.working, platform,
	                                              name ? name : platform, sealed, &id);
	free(sealed);
	if (token != NULL) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	ctl_check(c, st, "channel");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)id));
		json_object_object_add(obj, "platform", json_object_new_string(platform));
		ctl_print_json(obj);
	} else {
		printf("%llu\n", id);
	}
	return 0;
}

int cmd_channel_add(struct ctl *c)
{
	const char *platform = ctl_required(c, "platform");
	bool known = false;
	for (const char *const *p = PLATFORMS; *p; p++)
		known = known || strcmp(*p, platform) == 0;
	if (!known)
		ctl_die(2, "unknown platform \"%s\"", platform);
	if (strcmp(platform, "api") == 0 || strcmp(platform, "web") == 0 || strcmp(platform, "evaluations") == 0)
		ctl_die(2, "%s channels belong to the team and are created automatically", platform);
	if (strcmp(platform, "embedded_widget") != 0)
		return add_messaging_channel(c, platform);
	struct json_object *domains = json_object_new_array();
	if (ctl_opt(c, "all-domains") != NULL)
		json_object_array_add(domains, json_object_new_string("*"));
	for (size_t i = 0; i < c->o.count; i++) {
		if (strcmp(c->o.names[i], "allowed-domain") != 0)
			continue;
		const char *d = c->o.values[i];
		size_t len = strlen(d);
		if (len == 0 || len > 253 || strchr(d, '/') || strchr(d, ':') || strchr(d, ' '))
			ctl_die(2, "--allowed-domain takes a host name or *.domain, got \"%s\"", d);
		json_object_array_add(domains, json_object_new_string(d));
	}
	if (json_object_array_length(domains) == 0)
		ctl_die(2, "give at least one --allowed-domain (or --all-domains)");
	long ttl_days = 0;
	int required = -1;
	token_policy_options(c, false, &ttl_days, &required);
	const char *name = ctl_opt(c, "name");
	ctl_open(c);
	/* 24 random bytes, URL-safe base64: 32 characters, as the reference. */
	unsigned char raw[24];
	char key[40];
	if (random_bytes(raw, sizeof raw) != CF_OK)
		ctl_die(1, "could not generate a key");
	b64url_encode(raw, sizeof raw, key);
	unsigned long long id = 0;
	ctl_check(c, store_channel_create(c->db, c->bot.team, c->bot.working, platform, name ? name : "widget", key,
	                                  json_object_to_json_string_ext(domains, JSON_C_TO_STRING_PLAIN), &id),
	          "channel");
	if (ttl_days != 0 || required >= 0)
		ctl_check(c, store_channel_session_tokens_set(c->db, id, ttl_days, required), "channel");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)id));
		json_object_object_add(obj, "embed_key", json_object_new_string(key));
		json_object_object_add(obj, "allowed_domains", json_object_get(domains));
		ctl_print_json(obj);
	} else {
		puts(key);
	}
	json_object_put(domains);
	return 0;
}

#define ROW struct channel_row
static const struct ctl_cell CHANNEL_CELLS[] = {
	{.field = CTL_ULL_AT(ROW, id)},
	{.field = CTL_CHARS_AT(ROW, platform)},
	{.field = CTL_CHARS_AT(ROW, name)},
	{.field = CTL_CHARS_AT(ROW, widget_token)},
	{.field = CTL_STRING_AT(ROW, allowed_domains)},
};
static const struct ctl_member CHANNEL_MEMBERS[] = {
	{.key = "id", .field = CTL_ULL_AT(ROW, id)},
	{.key = "platform", .field = CTL_CHARS_AT(ROW, platform)},
	{.key = "name", .field = CTL_CHARS_AT(ROW, name)},
	{.key = "embed_key", .field = CTL_CHARS_AT(ROW, widget_token)},
	{.key = "allowed_domains", .field = CTL_STRING_AT(ROW, allowed_domains), .parse = true},
};
#undef ROW
static const struct ctl_table CHANNELS = CTL_TABLE(CHANNEL_CELLS, CHANNEL_MEMBERS);

int cmd_channel_list(struct ctl *c)
{
	ctl_open(c);
	struct channel_row *rows = NULL;
	size_t count = 0;
	ctl_check(c, store_channel_list(c->db, c->bot.working, &rows, &count), "channels");
	struct ctl_listing l;
	ctl_list_start(&l, c, &CHANNELS);
	for (size_t r = 0; r < count; r++)
		if (ctl_list_row(&l, &rows[r]) != CF_OK)
			break;
	channel_rows_free(rows, count);
	ctl_list_end(&l);
	return 0;
}

int cmd_channel_configure(struct ctl *c)
{
	long ttl_days = 0;
	int required = -1;
	token_policy_options(c, true, &ttl_days, &required);
	bool enable = ctl_opt(c, "enable") != NULL, disable = ctl_opt(c, "disable") != NULL;
	if (enable && disable)
		ctl_die(2, "give --enable or --disable, not both");
	if (ttl_days == 0 && required < 0 && !enable && !disable)
		ctl_die(2, "give --session-token-ttl DAYS|default, --require-session-token, --no-require-session-token, "
		           "--enable or --disable");
	ctl_open(c);
	cf_status st = CF_OK;
	if (enable || disable)
		st = store_channel_enabled_set(c->db, c->id, enable);
	if (st == CF_OK && (ttl_days != 0 || required >= 0))
		st = store_channel_session_tokens_set(c->db, c->id, ttl_days, required);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no channel %llu", c->id);
	ctl_check(c, st, "channel");
	return 0;
}

int cmd_channel_remove(struct ctl *c)
{
	ctl_open(c);
	cf_status st = store_channel_remove(c->db, c->id);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no channel %llu", c->id);
	ctl_check(c, st, "channel");
	return 0;
}
