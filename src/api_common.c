/* api_common.c - what every handler file shares. */
#include "api.h"

#include <errno.h>
#include <stdlib.h>

#include "limits.h"

bool api_json_body(struct handler_ctx *ctx, struct json_object **body)
{
	char err[256] = "";
	cf_status st = request_json_body(ctx->req, body, err, sizeof err);
	if (st == CF_OK)
		return true;
	reply_detail(ctx->resp, st, err);
	return false;
}

size_t api_page_size(const char *value)
{
	if (value == NULL)
		return CF_PAGE_SIZE_DEFAULT;
	errno = 0;
	char *end = NULL;
	long long n = strtoll(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n <= 0)
		return CF_PAGE_SIZE_DEFAULT;
	return n > CF_PAGE_SIZE_MAX ? CF_PAGE_SIZE_MAX : (size_t)n;
}
