/* api_common.c - what every handler file shares. */
#include "api.h"

bool api_json_body(struct handler_ctx *ctx, struct json_object **body)
{
	char err[256] = "";
	cf_status st = request_json_body(ctx->req, body, err, sizeof err);
	if (st == CF_OK)
		return true;
	reply_detail(ctx->resp, st, err);
	return false;
}
