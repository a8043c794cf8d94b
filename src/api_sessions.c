/* api_sessions.c - the "Experiment Sessions" endpoints (/api/sessions/...). */
#include "api.h"

cf_status api_sessions_list(struct handler_ctx *ctx)
{
	struct json_object *page = json_object_new_object();
	json_object_object_add(page, "next", NULL);
	json_object_object_add(page, "previous", NULL);
	json_object_object_add(page, "results", json_object_new_array());
	reply_json(ctx->resp, page);
	return CF_OK;
}
