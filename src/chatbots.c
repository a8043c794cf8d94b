/* chatbots.c - resolving a chatbot version and its provider settings, and the
 * pages and details of the experiments API (docs/API.md §4.1, §4.2). */
#include "chatbots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sessions.h"

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

/* ---- the experiments API ---- */

cf_status chatbots_page(struct db *db, const struct chatbots_page_query *q, struct json_object **results,
                        struct chatbots_page_links *links)
{
	memset(links, 0, sizeof *links);
	*results = json_object_new_array();
	struct chatbot_page_query pq = {
		.team_id = q->team_id,
		.after_created_at = q->cursor != NULL ? q->cursor->created_at : NULL,
		.after_id = q->cursor != NULL ? q->cursor->id : 0,
		.reverse = q->cursor != NULL && q->cursor->reverse,
		.limit = q->page_size + 1,   /* one more tells whether a page lies beyond */
	};
	struct chatbot_page_row *rows = NULL;
	size_t nrows = 0;
	cf_status st = store_chatbot_page(db, &pq, &rows, &nrows);
	bool more = st == CF_OK && nrows > q->page_size;
	size_t first = 0, count = nrows;
	if (more) {
		/* The extra row lies beyond the page in the scan direction: after
		 * the page's end, or (a reverse cursor) before its start. */
		first = pq.reverse ? 1 : 0;
		count = q->page_size;
	}
	for (size_t r = 0; st == CF_OK && r < count; r++) {
		struct json_object *obj = NULL;
		st = sessions_chatbot_json(db, q->base, q->team_id, rows[first + r].id, &obj);
		if (st == CF_OK)
			json_object_array_add(*results, obj);
	}
	if (st == CF_OK && count > 0) {
		bool has_next = pq.reverse ? true : more;
		bool has_prev = pq.reverse ? more : q->cursor != NULL;
		const struct chatbot_page_row *top = &rows[first], *end = &rows[first + count - 1];
		if (has_next)
			st = cursor_make(end->created_at, end->id, false, q->secret, links->next);
		if (st == CF_OK && has_prev)
			st = cursor_make(top->created_at, top->id, true, q->secret, links->previous);
	}
	if (st == CF_OK && q->cursor == NULL) {
		st = store_chatbot_count(db, q->team_id, &links->count);
		links->has_count = st == CF_OK;
	}
	if (st != CF_OK) {
		json_object_put(*results);
		*results = json_object_new_array();
	}
	free(rows);
	return st;
}

cf_status chatbots_detail(struct db *db, unsigned long long team_id, const char *base, const char *public_id,
                          struct json_object **out)
{
	struct chatbot_row family;
	cf_status st = store_chatbot_find(db, team_id, public_id, &family);
	/* store_chatbot_find also resolves a version's id to its family; the
	 * endpoint lists working rows only, as upstream's queryset. */
	if (st == CF_OK && strcmp(family.public_id, public_id) != 0)
		st = CF_E_NOT_FOUND;
	if (st == CF_OK)
		st = sessions_chatbot_json(db, base, team_id, family.id, out);
	return st;
}
