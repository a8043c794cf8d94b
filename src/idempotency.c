/* idempotency.c - Idempotency-Key handling (see idempotency.h). */
#include "idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "metrics.h"
#include "store_idempotency.h"
#include "xalloc.h"

static bool key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > IDEMPOTENCY_KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return false;
	return true;
}

static void request_hash(const struct request *req, char out[65])
{
	size_t ml = strlen(req->method), pl = strlen(req->path);
	size_t n = ml + 1 + pl + 1 + req->body_len;
	char *all = xmalloc(n + 1);
	memcpy(all, req->method, ml);
	all[ml] = '\n';
	memcpy(all + ml + 1, req->path, pl);
	all[ml + 1 + pl] = '\n';
	if (req->body_len > 0)
		memcpy(all + ml + pl + 2, req->body, req->body_len);
	sha256_hex(all, n, out);
	free(all);
}

static void replay(const struct idempotency_row *row, struct response *resp)
{
	response_reset(resp);
	resp->http_status = row->http_status;
	resp->status = CF_OK;
	resp->has_body = true;
	if (row->has_content_type)
		response_add_header(resp, "Content-Type", row->content_type);
	if (row->location != NULL)
		response_add_header(resp, "Location", row->location);
	response_add_header(resp, "Idempotent-Replayed", "true");
	if (buf_append(&resp->body, row->body, row->body_len) != CF_OK)
		reply_detail(resp, CF_E_INTERNAL, NULL);
}

/* The scope a key lives in is the caller itself, so that two callers with
 * the same key and body never see each other's response: an API key (by
 * its unique prefix) or an OAuth token of a team, a logged-in user, or the
 * chat session of a widget route's path (holding its id is the widget's
 * credential). False when the key is not honoured: anonymous and embed-key
 * chat start have no caller to bind it to. */
static bool caller_scope(const struct route_match *m, const struct principal *who, char *out, size_t outlen)
{
	const char *session = route_param(m, "session_id");
	if (m->route->auth == ROUTE_AUTH_CHAT) {
		if (session != NULL)
			snprintf(out, outlen, "s:%s", session);
		else if (who->kind == PRINCIPAL_COOKIE && who->user_id != 0)
			snprintf(out, outlen, "u:%llu", who->user_id);
		else
			return false;
		return true;
	}
	if (who->team_id == 0 || (who->kind != PRINCIPAL_API_KEY && who->kind != PRINCIPAL_OAUTH) ||
	    who->key_prefix[0] == '\0')
		return false;
	/* key_prefix is the API key's unique prefix, or "oauth:<token id>" */
	snprintf(out, outlen, "t:%llu:%s", who->team_id, who->key_prefix);
	return true;
}

bool idem_begin(struct app *app, const struct request *req, const struct route_match *m,
                const struct principal *who, struct idem *out, struct response *resp)
{
	memset(out, 0, sizeof *out);
	const char *key = request_header(req, "idempotency-key");
	if (key == NULL || m->route == NULL || !m->route->idempotent)
		return false;
	if (!caller_scope(m, who, out->scope, sizeof out->scope))
		return false;   /* not honoured: the request runs as without a key */
	if (!key_valid(key)) {
		reply_detail(resp, CF_E_BAD_REQUEST, "Idempotency-Key must be 1 to 255 printable ASCII characters.");
		return true;
	}
	snprintf(out->key, sizeof out->key, "%s", key);
	char hash[65];
	request_hash(req, hash);
	cf_status st = store_idem_reserve(app->db, out->scope, out->key, hash);
	if (st == CF_OK) {
		out->active = true;
		return false;
	}
	if (st != CF_E_CONFLICT) {
		log_error("idempotency: reserving a key failed: %s", db_last_error(app->db));
		reply_detail(resp, st, NULL);
		return true;
	}
	struct idempotency_row row;
	st = store_idem_get(app->db, out->scope, out->key, &row);
	if (st == CF_E_NOT_FOUND) {   /* released between our insert and read */
		reply_detail(resp, CF_E_CONFLICT, "A request with this Idempotency-Key is in progress; retry.");
	} else if (st != CF_OK) {
		reply_detail(resp, st, NULL);
	} else if (strcmp(row.request_hash, hash) != 0) {
		reply_detail(resp, CF_E_UNPROCESSABLE, "Idempotency-Key reused with a different request.");
	} else if (!row.done) {
		reply_detail(resp, CF_E_CONFLICT, "A request with this Idempotency-Key is in progress; retry.");
	} else {
		replay(&row, resp);
		metrics_count(METRIC_IDEM_REPLAY);
	}
	idempotency_row_free(&row);
	return true;
}

void idem_end(struct app *app, struct idem *idem, const struct response *resp)
{
	if (!idem->active)
		return;
	cf_status st;
	if (resp->streaming || resp->http_status >= 500 || resp->http_status == 0) {
		st = store_idem_release(app->db, idem->scope, idem->key);
	} else {
		st = store_idem_finish(app->db, idem->scope, idem->key, resp->http_status,
		                       kv_list_get(&resp->headers, "Content-Type"), kv_list_get(&resp->headers, "Location"),
		                       resp->body.data, resp->body.len);
	}
	if (st != CF_OK)
		log_error("idempotency: storing the outcome of a key failed: %s", db_last_error(app->db));
	idem->active = false;
}
