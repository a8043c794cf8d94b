/* bots.c - resolving a chatbot version and its provider settings. */
#include "bots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store_bots.h"
#include "xalloc.h"

static void copy_provider_config(struct llm_provider *pv, const char *config_json)
{
	struct json_object *cfg = json_tokener_parse(config_json ? config_json : "{}"), *v;
	if (cfg != NULL && json_object_object_get_ex(cfg, "api_version", &v) && json_object_is_type(v, json_type_string))
		snprintf(pv->api_version, sizeof pv->api_version, "%s", json_object_get_string(v));
	if (cfg != NULL && json_object_object_get_ex(cfg, "max_tokens", &v) && json_object_is_type(v, json_type_int))
		pv->max_tokens = (long)json_object_get_int64(v);
	json_object_put(cfg);
}

static void fill(const struct db_rows *rows, struct bot_version *out)
{
	out->id = (unsigned long long)db_cell_int(rows, 0, BOT_COL_ID);
	out->number = (long)db_cell_int(rows, 0, BOT_COL_NUMBER);
	out->is_working = db_cell_bool(rows, 0, BOT_COL_IS_WORKING);
	out->prompt_text = xstrdup(db_cell_str(rows, 0, BOT_COL_PROMPT));
	out->source_material = xstrdup(db_cell_str(rows, 0, BOT_COL_SOURCE));
	out->history_global = strcmp(db_cell_str(rows, 0, BOT_COL_HISTORY_MODE), "none") != 0;
	out->history_max = (long)db_cell_int(rows, 0, BOT_COL_HISTORY_MAX);
	struct llm_provider *pv = &out->provider;
	snprintf(pv->model, sizeof pv->model, "%s", db_cell_str(rows, 0, BOT_COL_MODEL));
	pv->temperature = strtod(db_cell_str(rows, 0, BOT_COL_TEMPERATURE), NULL);
	out->has_provider = db_cell(rows, 0, BOT_COL_PROVIDER_TYPE) != NULL;
	if (!out->has_provider)
		return;
	snprintf(pv->type, sizeof pv->type, "%s", db_cell_str(rows, 0, BOT_COL_PROVIDER_TYPE));
	snprintf(pv->base_url, sizeof pv->base_url, "%s", db_cell_str(rows, 0, BOT_COL_BASE_URL));
	pv->api_key = xstrdup(db_cell_str(rows, 0, BOT_COL_API_KEY));
	copy_provider_config(pv, db_cell(rows, 0, BOT_COL_PROVIDER_CONFIG));
}

cf_status bots_resolve_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                               long version, struct bot_version *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = version <= 0 ? store_bot_default_version(db, team_id, working_id, &rows)
	                            : store_bot_numbered_version(db, team_id, working_id, version, &rows);
	if (st == CF_OK)
		fill(&rows, out);
	db_rows_free(&rows);
	return st;
}

void bot_version_free(struct bot_version *v)
{
	free(v->prompt_text);
	free(v->source_material);
	if (v->provider.api_key != NULL) {
		explicit_bzero(v->provider.api_key, strlen(v->provider.api_key));
		free(v->provider.api_key);
	}
	memset(v, 0, sizeof *v);
}

void bot_version_tag(const struct bot_version *v, char *out, size_t outlen)
{
	snprintf(out, outlen, "v%ld%s", v->number, v->is_working ? "-unreleased" : "");
}
