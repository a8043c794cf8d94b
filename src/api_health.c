/* api_health.c - GET /healthz: 200 when the database answers, 503 if not. */
#include "api.h"

cf_status api_health(struct handler_ctx *ctx)
{
	if (db_ensure(ctx->app->db) != CF_OK) {
		reply_detail(ctx->resp, CF_E_DB_UNAVAILABLE, "Database unavailable.");
		return CF_OK;
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "status", json_object_new_string("ok"));
	reply_json(ctx->resp, obj);
	return CF_OK;
}
