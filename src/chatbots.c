/* chatbots.c - resolving a chatbot version and its provider settings. */
#include "chatbots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static void copy_provider_config(struct llm_provider *pv, const char *config_json)
{
	struct json_object *cfg = json_tokener_parse(config_json ? config_json : "{}"), *v;
	if (cfg != NULL && json_object_object_get_ex(cfg, "api_version", &v) && json_object_is_type(v, json_type_string))
		snprintf(pv->api_version, sizeof pv->api_version, "%s", json_object_get_string(v));
	if (cfg != NULL && json_object_object_get_ex(cfg, "max_tokens", &v) && json_object_is_type(v, json_type_int))
		pv->max_tokens = (long)json_object_get_int64(v);
	json_object_put(cfg);
}

/* Moves the row's owned strings into out (the row keeps none). */
static void take_row(struct chatbot_version_row *row, struct chatbot_version *out)
{
	out->id = row->id;
	out->number = row->version_number;
	out->is_working = row->is_working;
	out->prompt_text = row->prompt_text;
	out->source_material = row->source_material;
	row->prompt_text = row->source_material = NULL;
	out->history_global = strcmp(row->history_mode, "none") != 0;
	out->history_max = row->history_max;
	struct llm_provider *pv = &out->provider;
	snprintf(pv->model, sizeof pv->model, "%s", row->model);
	pv->temperature = row->temperature;
	out->has_provider = row->has_provider;
	if (!out->has_provider)
		return;
	snprintf(pv->type, sizeof pv->type, "%s", row->provider_type);
	snprintf(pv->base_url, sizeof pv->base_url, "%s", row->base_url);
	pv->api_key = row->api_key;
	row->api_key = NULL;
	copy_provider_config(pv, row->provider_config);
}

static cf_status resolve(struct db *db, const struct chatbot_version_query *q, struct chatbot_row *family,
                         struct chatbot_version *out, struct chatbot_turn_hints *hints)
{
	struct chatbot_version_row row;
	bool found = false;
	memset(out, 0, sizeof *out);
	memset(family, 0, sizeof *family);
	cf_status st = store_chatbot_version_resolve(db, q, family, &found, &row, hints);
	if (st == CF_OK && !found)
		st = CF_E_NOT_FOUND;
	if (st == CF_OK)
		take_row(&row, out);
	chatbot_version_row_free(&row);
	return st;
}

cf_status chatbots_resolve(struct db *db, unsigned long long team_id, const char *public_id, long version,
                           const char *caller, bool open_session, struct chatbot_row *family,
                           struct chatbot_version *out, struct chatbot_turn_hints *hints)
{
	struct chatbot_version_query q = {team_id, public_id, 0, version, caller, open_session};
	return resolve(db, &q, family, out, hints);
}

cf_status chatbots_resolve_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                                   long version, struct chatbot_row *family, struct chatbot_version *out)
{
	struct chatbot_version_query q = {team_id, NULL, working_id, version, NULL, false};
	struct chatbot_row unused;
	return resolve(db, &q, family != NULL ? family : &unused, out, NULL);
}

void chatbot_version_free(struct chatbot_version *v)
{
	free(v->prompt_text);
	free(v->source_material);
	if (v->provider.api_key != NULL) {
		explicit_bzero(v->provider.api_key, strlen(v->provider.api_key));
		free(v->provider.api_key);
	}
	memset(v, 0, sizeof *v);
}

void chatbot_version_tag(const struct chatbot_version *v, char *out, size_t outlen)
{
	snprintf(out, outlen, "v%ld%s", v->number, v->is_working ? "-unreleased" : "");
}
