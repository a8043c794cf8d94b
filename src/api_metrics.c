/* api_metrics.c - GET /metrics: the host's counters (metrics.h) in the
 * Prometheus text format, for the scrapers the operator allows.
 *
 * Off (404, as for a path Confab does not have) unless metrics_token_file
 * or metrics_allow is set. With metrics_allow, a client address
 * (client_addr.h) outside it gets 404 too; with metrics_token_file, a
 * request without "Authorization: Bearer <the file's token>" gets 401.
 * Both set: both must pass. The token is read once per worker, at its
 * start (api_metrics_load), and compared in constant time. */
#include "api.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client_addr.h"
#include "crypto.h"
#include "limits.h"
#include "log.h"
#include "metrics.h"

static char token[CF_METRICS_TOKEN_MAX];
static bool token_ok;   /* token holds the file's token; false: every bearer is refused */

void api_metrics_load(const struct config *cfg)
{
	token_ok = false;
	memset(token, 0, sizeof token);
	if (cfg->metrics_token_file == NULL)
		return;
	FILE *f = fopen(cfg->metrics_token_file, "r");
	if (f == NULL) {
		log_error("metrics_token_file %s: cannot open: %s; /metrics refuses every token", cfg->metrics_token_file,
		          strerror(errno));
		return;
	}
	if (fgets(token, sizeof token, f) != NULL) {
		size_t n = strlen(token);
		while (n > 0 && (token[n - 1] == '\n' || token[n - 1] == '\r' || token[n - 1] == ' '))
			token[--n] = '\0';
		token_ok = n > 0;
	}
	fclose(f);
	if (!token_ok)
		log_error("metrics_token_file %s: no token on its first line (at most %d bytes); /metrics refuses every "
		          "token", cfg->metrics_token_file, CF_METRICS_TOKEN_MAX - 2);
}

/* The request's bearer token equals the file's, compared as digests so
 * that neither the content nor the length shows in the time taken. */
static bool bearer_ok(const struct request *req)
{
	const char *auth = request_header(req, "authorization");
	if (!token_ok || auth == NULL || strncmp(auth, "Bearer ", 7) != 0)
		return false;
	char want[65], got[65];
	sha256_hex(token, strlen(token), want);
	sha256_hex(auth + 7, strlen(auth + 7), got);
	return secret_equal(want, got);
}

cf_status api_metrics(struct handler_ctx *ctx)
{
	const struct config *cfg = ctx->app->cfg;
	if (cfg->metrics_token_file == NULL && cfg->metrics_allow == NULL) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, NULL);
		return CF_OK;
	}
	if (cfg->metrics_allow != NULL) {
		char addr[CF_CLIENT_ADDR_MAX];
		client_address(ctx->req, cfg, addr, sizeof addr);
		if (!client_addr_trusted(cfg->metrics_allow, addr)) {
			reply_detail(ctx->resp, CF_E_NOT_FOUND, NULL);
			return CF_OK;
		}
	}
	if (cfg->metrics_token_file != NULL && !bearer_ok(ctx->req)) {
		reply_detail(ctx->resp, CF_E_BAD_CREDENTIALS, "Invalid or missing bearer token.");
		response_add_header(ctx->resp, "WWW-Authenticate", "Bearer realm=\"metrics\"");
		return CF_OK;
	}
	struct buf text;
	buf_init(&text, CF_METRICS_MAX_BYTES);
	cf_status st = metrics_render(&text, ctx->match->table, ctx->match->table_len);   /* the route labels */
	if (st == CF_OK)
		reply_text_take(ctx->resp, "text/plain; version=0.0.4; charset=utf-8", &text);
	else
		log_error("metrics: the rendering passed CF_METRICS_MAX_BYTES (%ld)", CF_METRICS_MAX_BYTES);
	buf_free(&text);
	return st == CF_OK ? CF_OK : CF_E_INTERNAL;
}
