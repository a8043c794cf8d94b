/* api_experiments.c - the "Experiments" endpoints: GET /api/experiments/
 * (the team's working chatbots, cursor pages) and GET /api/experiments/{id}/
 * (one of them), docs/API.md §4.1 and §4.2. The reads are in chatbots.c. */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "chatbots.h"
#include "ids.h"

cf_status api_experiments_list(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	char *base = NULL;
	struct json_object *results = NULL;
	struct cursor cur;
	struct chatbots_page_query q = {
		.team_id = ctx->who->team_id,
		.page_size = api_page_size(request_query(ctx->req, "page_size")),
	};
	char secret[65];
	cf_status st = api_page_cursor(ctx, secret, &cur, &q.cursor);
	if (st != CF_OK)
		goto out;
	q.secret = secret;
	base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	q.base = base;
	struct chatbots_page_links links;
	st = chatbots_page(db, &q, &results, &links);
	if (st != CF_OK)
		goto out;
	char *next = links.next[0] ? api_page_url(ctx, base, links.next) : NULL;
	char *prev = links.previous[0] ? api_page_url(ctx, base, links.previous) : NULL;
	struct json_object *page = json_object_new_object();
	json_object_object_add(page, "next", next ? json_object_new_string(next) : NULL);
	json_object_object_add(page, "previous", prev ? json_object_new_string(prev) : NULL);
	json_object_object_add(page, "results", results);
	results = NULL;   /* owned by page now */
	if (links.has_count)
		json_object_object_add(page, "count", json_object_new_int64((long long)links.count));
	free(next);
	free(prev);
	reply_json(ctx->resp, page);
out:
	json_object_put(results);
	free(base);
	return st;
}

cf_status api_experiments_retrieve(struct handler_ctx *ctx)
{
	static const char MISSING[] = "No Experiment matches the given query.";
	const char *id = route_param(ctx->match, "id");
	if (id == NULL || !uuid_valid(id)) {
		/* upstream: a lookup value that is no UUID is a miss (404) */
		reply_detail(ctx->resp, CF_E_NOT_FOUND, MISSING);
		return CF_OK;
	}
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(id, norm);
	char *base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	struct json_object *obj = NULL;
	cf_status st = chatbots_detail(ctx->app->db, ctx->who->team_id, base, norm, &obj);
	free(base);
	if (st == CF_E_NOT_FOUND) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, MISSING);
		return CF_OK;
	}
	if (st == CF_OK)
		reply_json(ctx->resp, obj);
	return st;
}
