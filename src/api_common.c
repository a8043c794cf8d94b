/* api_common.c - what every handler file shares: the JSON body, and the
 * page size and page links of the cursor-paginated lists (sessions,
 * experiments). */
#include "api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "limits.h"
#include "store_sessions.h"   /* store_secret */
#include "urlcode.h"
#include "xalloc.h"

bool api_json_body(struct handler_ctx *ctx, struct json_object **body)
{
	char err[256] = "";
	cf_status st = request_json_body(ctx->req, body, err, sizeof err);
	if (st == CF_OK)
		return true;
	reply_detail(ctx->resp, st, err);
	return false;
}

size_t api_page_size(const char *v)
{
	if (v == NULL)
		return CF_PAGE_SIZE_DEFAULT;
	errno = 0;
	char *end = NULL;
	long long n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n <= 0)
		return CF_PAGE_SIZE_DEFAULT;
	return n > CF_PAGE_SIZE_MAX ? CF_PAGE_SIZE_MAX : (size_t)n;
}

char *api_page_url(const struct handler_ctx *ctx, const char *base, const char *cursor)
{
	struct buf url;
	buf_init(&url, CF_MAX_QUERY_BYTES * 4);
	/* raw_path as received: a request through /api/v1/ gets /api/v1/ links */
	bool ok = buf_printf(&url, "%s%s?", base, ctx->req->raw_path) == CF_OK;
	bool placed = false, first = true;
	const struct kv_list *q = &ctx->req->query;
	for (size_t i = 0; ok && i < q->count; i++) {
		bool is_cursor = strcmp(q->items[i].key, "cursor") == 0;
		if (is_cursor && placed)
			continue;
		char *k = url_encode_component(q->items[i].key);
		char *v = url_encode_component(is_cursor ? cursor : q->items[i].value);
		ok = buf_printf(&url, "%s%s=%s", first ? "" : "&", k, v) == CF_OK;
		free(k);
		free(v);
		first = false;
		placed = placed || is_cursor;
	}
	if (ok && !placed)
		ok = buf_printf(&url, "%scursor=%s", first ? "" : "&", cursor) == CF_OK;
	return ok ? buf_take(&url) : (buf_free(&url), xstrdup(base));
}

cf_status api_page_cursor(struct handler_ctx *ctx, char secret[65], struct cursor *cur,
                          const struct cursor **given)
{
	*given = NULL;
	cf_status st = store_secret(ctx->app->db, "cursor", secret);
	const char *text = request_query(ctx->req, "cursor");
	if (st != CF_OK || text == NULL)
		return st;
	if (cursor_decode(text, secret, cur) != CF_OK) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, "Invalid cursor");
		return CF_E_NOT_FOUND;
	}
	*given = cur;
	return CF_OK;
}
