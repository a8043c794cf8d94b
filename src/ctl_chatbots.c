/* ctl_chatbots.c - confabctl provider add|list|remove, chatbot
 * create|list|show|configure|archive and chatbot version create|set-default:
 * the LLM providers of a team, its chatbots, their settings and releases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confabctl.h"
#include "ids.h"
#include "limits.h"
#include "llm.h"
#include "store_chatbots.h"

/* SETTINGS: the options that set up a chatbot's working version. */
const char *const ctl_settings_options[] = {"provider", "model", "temperature", "prompt", "prompt-file",
                                            "source-material-file", "history-mode", "history-max", NULL};

/* Fills s from the SETTINGS options; files read are owned by *owned_prompt
 * and *owned_source (caller frees both); provider_id holds the provider's
 * id that s points to. */
static void chatbot_settings_from(struct ctl *c, unsigned long long team, struct chatbot_settings *s,
                                  char **owned_prompt, char **owned_source, char provider_id[24])
{
	memset(s, 0, sizeof *s);
	*owned_prompt = *owned_source = NULL;
	const char *v;
	if ((v = ctl_opt(c, "provider")) != NULL) {
		unsigned long long id = 0;
		cf_status st = store_provider_find(c->db, team, v, &id);
		if (st == CF_E_NOT_FOUND)
			ctl_die(1, "the team has no provider named \"%s\" (confabctl provider list)", v);
		ctl_check(c, st, "provider");
		snprintf(provider_id, 24, "%llu", id);
		s->provider_id = provider_id;
	}
	if ((v = ctl_opt(c, "model")) != NULL) {
		ctl_check_length("model", v, 255);
		s->model = v;
	}
	if ((v = ctl_opt(c, "temperature")) != NULL) {
		char *end = NULL;
		errno = 0;
		double t = strtod(v, &end);
		if (errno != 0 || end == v || *end != '\0' || !(t >= 0.0 && t <= 2.0))
			ctl_die(2, "temperature must be a number from 0 to 2");
		s->temperature = v;
	}
	if (ctl_opt(c, "prompt") != NULL && ctl_opt(c, "prompt-file") != NULL)
		ctl_die(2, "give --prompt or --prompt-file, not both");
	if ((v = ctl_opt(c, "prompt")) != NULL)
		s->prompt = v;
	if ((v = ctl_opt(c, "prompt-file")) != NULL)
		s->prompt = *owned_prompt = ctl_read_text_file(v, 1024 * 1024);
	if ((v = ctl_opt(c, "source-material-file")) != NULL)
		s->source_material = *owned_source = ctl_read_text_file(v, 8 * 1024 * 1024);
	if ((v = ctl_opt(c, "history-mode")) != NULL) {
		if (strcmp(v, "none") != 0 && strcmp(v, "global") != 0)
			ctl_die(2, "history mode must be none or global");
		s->history_mode = v;
	}
	if ((v = ctl_opt(c, "history-max")) != NULL) {
		char *end = NULL;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < 1 || n > CF_MAX_HISTORY_MESSAGES)
			ctl_die(2, "history max must be an integer from 1 to %d", CF_MAX_HISTORY_MESSAGES);
		s->history_max = v;
	}
}

/* The SETTINGS options given, stored on the working row of team's chatbot. */
static void apply_settings(struct ctl *c, unsigned long long team, unsigned long long working)
{
	struct chatbot_settings s;
	char *prompt = NULL, *source = NULL, provider_id[24];
	chatbot_settings_from(c, team, &s, &prompt, &source, provider_id);
	ctl_check(c, store_chatbot_configure(c->db, working, &s), "chatbot");
	free(prompt);
	free(source);
}

/* ---- providers ---- */

int cmd_provider_add(struct ctl *c)
{
	const char *name = ctl_required(c, "name");
	const char *type = ctl_required(c, "type");
	const char *base_url = ctl_opt(c, "base-url");
	ctl_check_length("name", name, 128);
	if (!llm_type_known(type))
		ctl_die(2, "unknown provider type \"%s\" (openai, azure, anthropic, local)", type);
	if (base_url != NULL && strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0)
		ctl_die(2, "the base URL must start with http:// or https://");
	if (base_url != NULL)
		ctl_check_length("base URL", base_url, 512);
	if (strcmp(type, "azure") == 0 && base_url == NULL)
		ctl_die(2, "an azure provider needs --base-url (https://RESOURCE.openai.azure.com)");
	struct json_object *config = json_object_new_object();
	const char *v;
	if ((v = ctl_opt(c, "api-version")) != NULL) {
		ctl_check_length("api version", v, 63);
		json_object_object_add(config, "api_version", json_object_new_string(v));
	}
	if ((v = ctl_opt(c, "max-tokens")) != NULL) {
		char *end = NULL;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < 1 || n > 1000000)
			ctl_die(2, "max tokens must be a positive integer");
		json_object_object_add(config, "max_tokens", json_object_new_int64(n));
	}
	char *key = ctl_opt(c, "api-key-file") ? ctl_read_secret_file(ctl_opt(c, "api-key-file")) : NULL;
	ctl_open(c);
	unsigned long long id = 0;
	char *sealed = key ? ctl_seal(c, SECRET_PROVIDER_API_KEY, c->team, key) : NULL;
	cf_status st = store_provider_add(c->db, c->team, type, name, base_url ? base_url : "", sealed,
	                                  json_object_to_json_string_ext(config, JSON_C_TO_STRING_PLAIN), &id);
	free(sealed);
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	json_object_put(config);
	if (st == CF_E_CONFLICT)
		ctl_die(1, "the team already has a provider named \"%s\"", name);
	ctl_check(c, st, "provider");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "name", json_object_new_string(name));
		json_object_object_add(obj, "type", json_object_new_string(type));
		ctl_print_json(obj);
	} else {
		puts(name);
	}
	return 0;
}

#define ROW struct provider_row
static const struct ctl_cell PROVIDER_CELLS[] = {
	{.field = CTL_CHARS_AT(ROW, name)},
	{.field = CTL_CHARS_AT(ROW, type)},
	{.field = CTL_CHARS_AT(ROW, base_url), .absent = "-"},
	{.field = CTL_BOOL_AT(ROW, has_api_key), .yes = "key set", .no = "no key"},
};
static const struct ctl_member PROVIDER_MEMBERS[] = {
	{.key = "name", .field = CTL_CHARS_AT(ROW, name)},
	{.key = "type", .field = CTL_CHARS_AT(ROW, type)},
	{.key = "base_url", .field = CTL_CHARS_AT(ROW, base_url)},
	{.key = "has_api_key", .field = CTL_BOOL_AT(ROW, has_api_key)},
};
#undef ROW
static const struct ctl_table PROVIDERS = CTL_TABLE(PROVIDER_CELLS, PROVIDER_MEMBERS);

static cf_status list_provider(void *listing, const struct provider_row *p)
{
	return ctl_list_row(listing, p);
}

int cmd_provider_list(struct ctl *c)
{
	ctl_open(c);
	struct ctl_listing l;
	ctl_list_start(&l, c, &PROVIDERS);
	ctl_check(c, store_provider_list(c->db, c->team, list_provider, &l), "providers");
	ctl_list_end(&l);
	return 0;
}

int cmd_provider_remove(struct ctl *c)
{
	ctl_open(c);
	cf_status st = store_provider_remove(c->db, c->team, ctl_required(c, "name"));
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "the team has no provider named \"%s\"", ctl_required(c, "name"));
	ctl_check(c, st, "provider");
	return 0;
}

/* ---- chatbots ---- */

int cmd_chatbot_create(struct ctl *c)
{
	const char *name = ctl_required(c, "name");
	ctl_check_length("name", name, 128);
	const char *description = ctl_opt(c, "description");
	ctl_open(c);
	char public_id[UUID_STR_LEN + 1];
	if (uuid4_generate(public_id) != CF_OK)
		ctl_die(1, "could not generate an id");
	ctl_check(c, store_chatbot_create(c->db, c->team, public_id, name, description ? description : "", ""),
	          "chatbot");
	struct ctl_chatbot bot = ctl_chatbot_by_id(c, public_id);
	apply_settings(c, c->team, bot.working);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_string(public_id));
		json_object_object_add(obj, "name", json_object_new_string(name));
		ctl_print_json(obj);
	} else {
		puts(public_id);
	}
	return 0;
}

#define ROW struct chatbot_list_row
static const struct ctl_cell CHATBOT_CELLS[] = {
	{.field = CTL_CHARS_AT(ROW, public_id)},
	{.field = CTL_LONG_AT(ROW, version_number), .prefix = "v"},
	{.field = CTL_CHARS_AT(ROW, name)},
	{.field = CTL_BOOL_AT(ROW, is_archived), .yes = "(archived)"},
};
static const struct ctl_member CHATBOT_MEMBERS[] = {
	{.key = "id", .field = CTL_CHARS_AT(ROW, public_id)},
	{.key = "version_number", .field = CTL_LONG_AT(ROW, version_number)},
	{.key = "name", .field = CTL_CHARS_AT(ROW, name)},
	{.key = "archived", .field = CTL_BOOL_AT(ROW, is_archived)},
};
#undef ROW
static const struct ctl_table CHATBOTS = CTL_TABLE(CHATBOT_CELLS, CHATBOT_MEMBERS);

static cf_status list_chatbot(void *listing, const struct chatbot_list_row *b)
{
	return ctl_list_row(listing, b);
}

int cmd_chatbot_list(struct ctl *c)
{
	ctl_open(c);
	struct ctl_listing l;
	ctl_list_start(&l, c, &CHATBOTS);
	ctl_check(c, store_chatbot_list(c->db, c->team, list_chatbot, &l), "chatbots");
	ctl_list_end(&l);
	return 0;
}

/* The released versions; the text line puts the number first. */
#define ROW struct chatbot_version_summary
static const struct ctl_cell VERSION_CELLS[] = {
	{.field = CTL_LONG_AT(ROW, version_number), .prefix = "v"},
	{.field = CTL_CHARS_AT(ROW, public_id)},
	{.field = CTL_BOOL_AT(ROW, is_default_version), .yes = "default"},
	{.field = CTL_STRING_AT(ROW, version_description)},
};
static const struct ctl_member VERSION_MEMBERS[] = {
	{.key = "id", .field = CTL_CHARS_AT(ROW, public_id)},
	{.key = "version_number", .field = CTL_LONG_AT(ROW, version_number)},
	{.key = "is_default_version", .field = CTL_BOOL_AT(ROW, is_default_version)},
	{.key = "version_description", .field = CTL_STRING_AT(ROW, version_description)},
};
#undef ROW
static const struct ctl_table VERSIONS = CTL_TABLE(VERSION_CELLS, VERSION_MEMBERS);

static cf_status list_version(void *listing, const struct chatbot_version_summary *v)
{
	return ctl_list_row(listing, v);
}

int cmd_chatbot_show(struct ctl *c)
{
	ctl_open(c);
	if (!c->json)
		printf("working version: v%ld (unreleased)\n", c->bot.number);
	struct ctl_listing l;
	ctl_list_start(&l, c, &VERSIONS);
	ctl_check(c, store_chatbot_versions(c->db, c->bot.working, list_version, &l), "versions");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "version_number", json_object_new_int64(c->bot.number));
		json_object_object_add(obj, "versions", ctl_list_take(&l));
		ctl_print_json(obj);
	}
	ctl_list_end(&l);
	return 0;
}

int cmd_chatbot_configure(struct ctl *c)
{
	ctl_open(c);
	apply_settings(c, c->bot.team, c->bot.working);
	return 0;
}

int cmd_chatbot_archive(struct ctl *c)
{
	ctl_open(c);
	ctl_check(c, store_chatbot_archive(c->db, c->bot.working), "chatbot");
	return 0;
}

/* ---- releases ---- */

int cmd_chatbot_version_create(struct ctl *c)
{
	const char *description = ctl_opt(c, "description");
	ctl_open(c);
	char public_id[UUID_STR_LEN + 1];
	if (uuid4_generate(public_id) != CF_OK)
		ctl_die(1, "could not generate an id");
	long number = 0;
	ctl_check(c, store_chatbot_version_create(c->db, c->bot.working, public_id, description ? description : "",
	                                          ctl_opt(c, "default") != NULL, &number), "version");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "version_number", json_object_new_int64(number));
		json_object_object_add(obj, "id", json_object_new_string(public_id));
		ctl_print_json(obj);
	} else {
		printf("v%ld\t%s\n", number, public_id);
	}
	return 0;
}

int cmd_chatbot_version_set_default(struct ctl *c)
{
	const char *v = ctl_required(c, "version");
	if (v[0] == 'v')
		v++;
	errno = 0;
	char *end = NULL;
	long number = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || number < 1)
		ctl_die(2, "--version must be a released version number");
	ctl_open(c);
	cf_status st = store_chatbot_set_default(c->db, c->bot.working, number);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "the chatbot has no version %ld", number);
	ctl_check(c, st, "version");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "default_version", json_object_new_int64(number));
		ctl_print_json(obj);
	}
	return 0;
}
