/* webhooks_delivery.c - one signed delivery attempt, its back-off, and the
 * "webhook" job (see webhooks_delivery.h). */
#include "webhooks_delivery.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "crypto.h"
#include "http_client.h"
#include "job_kinds.h"
#include "limits.h"
#include "log.h"
#include "metrics.h"
#include "store_webhooks.h"
#include "webhooks_sign.h"
#include "webhooks_urls.h"

/* The request's headers into *out (caller frees with curl_slist_free_all);
 * CF_E_INTERNAL when libcurl could not allocate them. */
static cf_status delivery_headers(const char *secret, const char *event_id, const char *type, const char *body,
                                  struct curl_slist **out)
{
	long long t = (long long)time(NULL);
	char sig[65];
	webhooks_sign(secret, t, body, sig);
	char h_sig[128], h_id[64], h_type[80];
	snprintf(h_sig, sizeof h_sig, "Confab-Signature: t=%lld,v1=%s", t, sig);
	snprintf(h_id, sizeof h_id, "Confab-Event-Id: %s", event_id);
	snprintf(h_type, sizeof h_type, "Confab-Event-Type: %s", type);
	/* "Expect:" keeps libcurl from waiting for a 100 Continue */
	const char *lines[] = {"Content-Type: application/json", h_sig, h_id, h_type, "Expect:"};
	struct curl_slist *headers = NULL, *h;
	*out = NULL;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		h = curl_slist_append(headers, lines[i]);
		if (h == NULL) {
			curl_slist_free_all(headers);
			return CF_E_INTERNAL;
		}
		headers = h;
	}
	*out = headers;
	return CF_OK;
}

cf_status webhooks_post(const char *url, const char *secret, const char *event_id, const char *type,
                        const char *body, long *http_status, char *err, size_t errlen)
{
	struct curl_slist *headers = NULL;
	CURL *c = NULL;
	struct buf answer;
	buf_init(&answer, CF_WEBHOOK_RESPONSE_KEEP);
	*http_status = 0;
	cf_status st = CF_OK;
	if (!webhooks_url_valid(url)) {
		snprintf(err, errlen, "not an http(s) URL");
		st = CF_E_BAD_REQUEST;
		goto out;
	}
	if (http_client_handle(&c) == NULL) {   /* a fresh handle: receivers are many, connections not kept */
		snprintf(err, errlen, "curl_easy_init failed");
		st = CF_E_INTERNAL;
		goto out;
	}
	if ((st = delivery_headers(secret, event_id, type, body, &headers)) != CF_OK) {
		snprintf(err, errlen, "out of memory for headers");
		goto out;
	}
	{
		struct http_post post = {
			.url = url,
			.headers = headers,
			.body = body,
			.connect_timeout_ms = CF_WEBHOOK_CONNECT_TIMEOUT_MS,
			.timeout_ms = CF_WEBHOOK_TIMEOUT_MS,
			.user_agent = "confab-webhooks/" PACKAGE_VERSION,
			.on_write = http_client_keep_head,   /* the first bytes, for the job's error */
			.write_ctx = &answer,
		};
		CURLcode rc = http_client_post(c, &post, http_status);
		if (rc != CURLE_OK) {
			snprintf(err, errlen, "%s", curl_easy_strerror(rc));
			st = http_client_failure(rc);
		} else if (*http_status < 200 || *http_status >= 300) {
			snprintf(err, errlen, "HTTP %ld: %s", *http_status, buf_str(&answer));
			st = CF_E_UPSTREAM;
		}
	}
out:
	buf_free(&answer);
	curl_slist_free_all(headers);
	if (c != NULL)
		curl_easy_cleanup(c);
	return st;
}

long webhooks_backoff_ms(const struct config *cfg, int attempt)
{
	long ms = (long)cfg->webhook_retry_base_seconds * 1000;
	for (int i = 1; i < attempt && ms < CF_WEBHOOK_BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > CF_WEBHOOK_BACKOFF_CAP_MS)
		ms = CF_WEBHOOK_BACKOFF_CAP_MS;
	unsigned r = 0;
	if (random_bytes(&r, sizeof r) != CF_OK)
		r = 0;
	return ms * 3 / 4 + (long)(r % (unsigned)(ms / 2 + 1));
}

/* ---- the "webhook" job: one delivery of one event to one endpoint ---- */

static const char *payload_str(struct json_object *p, const char *key)
{
	struct json_object *v;
	return (json_object_object_get_ex(p, key, &v) && json_object_is_type(v, json_type_string))
	               ? json_object_get_string(v)
	               : "";
}

cf_status job_webhook(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                      size_t errlen)
{
	struct json_object *v;
	unsigned long long endpoint_id = 0;
	if (json_object_object_get_ex(job->payload, "endpoint_id", &v))
		endpoint_id = (unsigned long long)json_object_get_int64(v);
	struct webhook_endpoint_row endpoint;
	cf_status st = store_webhook_get(env->db, job->team_id, endpoint_id, &endpoint);
	if (st == CF_E_NOT_FOUND || (st == CF_OK && !endpoint.active)) {
		webhook_endpoint_row_free(&endpoint);
		*result = json_object_new_object();
		json_object_object_add(*result, "skipped", json_object_new_string("the endpoint was removed or deactivated"));
		return CF_OK;
	}
	if (st != CF_OK) {
		webhook_endpoint_row_free(&endpoint);
		snprintf(err, errlen, "could not load endpoint %llu", endpoint_id);
		return st;
	}
	long status = 0;
	st = webhooks_post(endpoint.url, endpoint.secret, payload_str(job->payload, "event_id"), payload_str(job->payload, "type"),
	                   payload_str(job->payload, "body"), &status, err, errlen);
	metrics_count(st == CF_OK ? METRIC_WEBHOOK_DELIVERED : METRIC_WEBHOOK_FAILED);
	if (st == CF_OK) {
		*result = json_object_new_object();
		json_object_object_add(*result, "status", json_object_new_int((int)status));
	} else if (status == 410) {   /* Gone: the receiver asks us to stop */
		log_warn("webhook endpoint %llu answered 410 Gone; deactivating it", endpoint_id);
		if (store_webhook_deactivate(env->db, job->team_id, endpoint_id) != CF_OK)
			log_warn("webhook endpoint %llu: could not deactivate: %s", endpoint_id, db_last_error(env->db));
		st = CF_E_NOT_FOUND;   /* final */
	} else if (st == CF_E_BAD_REQUEST) {
		st = CF_E_CONFIG;      /* a stored URL that is not valid any more: final */
	}
	webhook_endpoint_row_free(&endpoint);   /* wipes the secret */
	return st;
}
