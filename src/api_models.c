/* api_models.c - the OpenAI models list (docs/API.md §6.4): GET
 * /api/openai/{id}/models and /api/openai/{id}/v{version}/models, and one
 * model by id. A chatbot's models are its default ("<public id>") and each
 * of its versions ("<public id>:v<N>", the working row's number included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api.h"
#include "ids.h"
#include "store_chatbots.h"

/* "<public id>:v" + up to 9 digits + NUL (the router's int is 1-9 digits). */
#define MODEL_ID_MAX (UUID_STR_LEN + 12)

/* The walk over a family's rows: what to keep, and what was kept. */
struct model_walk {
	const char *public_id;       /* the working row's (borrowed) */
	const char *owner;           /* the team's slug (borrowed) */
	long only_version;           /* keep this version alone; CHATBOT_VERSION_DEFAULT = all */
	const char *only_id;         /* keep the model with this id alone; NULL = any */
	struct json_object *data;    /* owned array of Model objects */
	struct json_object *bare;    /* owned: the default's Model, listed first; or NULL */
};

static struct json_object *model_json(const struct model_walk *w, const char *id, long long created)
{
	struct json_object *m = json_object_new_object();
	json_object_object_add(m, "id", json_object_new_string(id));
	json_object_object_add(m, "object", json_object_new_string("model"));
	json_object_object_add(m, "created", json_object_new_int64(created));
	json_object_object_add(m, "owned_by", json_object_new_string(w->owner));
	return m;
}

static bool wanted(const struct model_walk *w, const char *id, long version)
{
	if (w->only_id != NULL)
		return strcmp(w->only_id, id) == 0;
	return w->only_version == CHATBOT_VERSION_DEFAULT || w->only_version == version;
}

static cf_status on_model(void *ctx, const struct chatbot_model_row *row)
{
	struct model_walk *w = ctx;
	char id[MODEL_ID_MAX];
	/* The bare public id stands for the default version (v0), which is
	 * what the unversioned URL answers; it is dated by the working row. */
	if (row->is_working && wanted(w, w->public_id, 0))
		w->bare = model_json(w, w->public_id, row->created_at);
	snprintf(id, sizeof id, "%s:v%ld", w->public_id, row->version_number);
	if (wanted(w, id, row->version_number))
		json_object_array_add(w->data, model_json(w, id, row->created_at));
	return CF_OK;
}

/* Walks the path's chatbot with w's filters; CF_E_NOT_FOUND (reply set)
 * when there is no such chatbot in the caller's team. */
static cf_status walk_models(struct handler_ctx *ctx, struct model_walk *w, struct chatbot_row *family)
{
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(route_param(ctx->match, "id"), norm);
	cf_status st = store_chatbot_find(ctx->app->db, ctx->who->team_id, norm, family);
	if (st == CF_E_NOT_FOUND)
		reply_openai_error_at(ctx->resp, st, "No Experiment matches the given query.", NULL, "model_not_found");
	if (st != CF_OK)
		return st;
	w->public_id = family->public_id;
	w->owner = ctx->who->team_slug;
	st = store_chatbot_models(ctx->app->db, family->id, on_model, w);
	if (st == CF_OK && w->bare != NULL) {
		struct json_object *data = json_object_new_array();
		json_object_array_add(data, w->bare);
		w->bare = NULL;
		for (size_t i = 0; i < json_object_array_length(w->data); i++)
			json_object_array_add(data, json_object_get(json_object_array_get_idx(w->data, i)));
		json_object_put(w->data);
		w->data = data;
	}
	return st;
}

cf_status api_openai_models(struct handler_ctx *ctx)
{
	const char *vparam = route_param(ctx->match, "version");
	struct model_walk w = {.only_version = vparam ? strtol(vparam, NULL, 10) : CHATBOT_VERSION_DEFAULT,
	                       .data = json_object_new_array()};
	struct chatbot_row family;
	cf_status st = walk_models(ctx, &w, &family);
	if (st == CF_OK && w.only_version != CHATBOT_VERSION_DEFAULT && json_object_array_length(w.data) == 0) {
		reply_openai_error_at(ctx->resp, CF_E_NOT_FOUND, "The chatbot has no such version.", NULL, "model_not_found");
	} else if (st == CF_OK) {
		struct json_object *list = json_object_new_object();
		json_object_object_add(list, "object", json_object_new_string("list"));
		json_object_object_add(list, "data", json_object_get(w.data));
		reply_json(ctx->resp, list);
	}
	json_object_put(w.data);
	json_object_put(w.bare);
	return st == CF_E_NOT_FOUND ? CF_OK : st;
}

cf_status api_openai_model(struct handler_ctx *ctx)
{
	const char *model = route_param(ctx->match, "model");
	struct model_walk w = {.only_version = CHATBOT_VERSION_DEFAULT, .only_id = model, .data = json_object_new_array()};
	struct chatbot_row family;
	cf_status st = walk_models(ctx, &w, &family);
	if (st == CF_OK && json_object_array_length(w.data) == 0) {
		char msg[160];
		snprintf(msg, sizeof msg, "The model '%.*s' does not exist.", MODEL_ID_MAX, model);
		reply_openai_error_at(ctx->resp, CF_E_NOT_FOUND, msg, NULL, "model_not_found");
	} else if (st == CF_OK) {
		reply_json(ctx->resp, json_object_get(json_object_array_get_idx(w.data, 0)));
	}
	json_object_put(w.data);
	json_object_put(w.bare);
	return st == CF_E_NOT_FOUND ? CF_OK : st;
}
