/* llm_http.c - the HTTP transport of the network LLM providers: one libcurl
 * easy handle per process (so the connection to a provider is reused
 * across requests), the provider timeouts, a response size cap, and bounded
 * retries with jittered exponential back-off on connection errors,
 * timeouts, 429 and 5xx, and a stream stopped as soon as its listener
 * left (llm_listener_left, asked with the transfer's progress). The
 * libcurl options are set in http_client.c. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "http_client.h"
#include "limits.h"
#include "llm_backend.h"
#include "log.h"

static struct {
	CURL *curl;
	long connect_timeout_ms;
	long timeout_ms;
	int max_retries;
	size_t max_response;
} http = {NULL, 10000, 120000, 2, 8 * 1024 * 1024};

void llm_preload(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void llm_unload(void)
{
	curl_global_cleanup();
}

void llm_init(const struct config *cfg)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	http.connect_timeout_ms = (long)cfg->llm_connect_timeout * 1000L;
	http.timeout_ms = (long)cfg->llm_timeout * 1000L;
	http.max_retries = cfg->llm_max_retries;
	http.max_response = (size_t)cfg->llm_max_response_bytes;
}

void llm_shutdown(void)
{
	if (http.curl != NULL)
		curl_easy_cleanup(http.curl);
	http.curl = NULL;
}

void llm_join_url(char *out, size_t outlen, const char *base, const char *fallback_base, const char *path)
{
	const char *b = (base != NULL && base[0] != '\0') ? base : fallback_base;
	size_t n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		n--;
	snprintf(out, outlen, "%.*s%s", (int)n, b, path);
}

/* State of one attempt, seen by the write callback. */
struct transfer {
	const struct llm_http_post *p;
	struct llm_result *r;
	struct buf *body;
	struct sse_parser sse;
	int mode;             /* 0 = undecided, 1 = SSE, 2 = plain body */
	cf_status failed;     /* why the callback stopped the transfer */
	CURL *curl;
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb;
	if (t->mode == 0) {
		long code = 0;
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
		t->mode = (t->p->stream && code >= 200 && code < 300) ? 1 : 2;
	}
	cf_status st = t->mode == 1 ? sse_feed(&t->sse, data, n) : buf_append(t->body, data, n);
	if (st != CF_OK) {
		t->failed = st == CF_E_TOO_LARGE ? CF_E_UPSTREAM : st;
		return 0;   /* CURLE_WRITE_ERROR */
	}
	return n;
}

/* libcurl calls this often while data flows and about once a second while
 * the provider is silent: a stream whose listener left stops here (the
 * connection to the provider is closed, so it stops generating). */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct transfer *t = userdata;
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	if (!llm_listener_left(t->r))
		return 0;
	t->failed = CF_E_IO;
	return 1;   /* CURLE_ABORTED_BY_CALLBACK */
}

static bool retryable_code(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

static void back_off(int attempt, long retry_after_s)
{
	long ms;
	if (retry_after_s > 0 && retry_after_s <= 10) {
		ms = retry_after_s * 1000;
	} else {
		unsigned r = 0;
		if (random_bytes(&r, sizeof r) != CF_OK)
			r = 0x7fffffffu;
		long base = 200L << (attempt < 5 ? attempt : 5);
		ms = base / 2 + (long)(r % (unsigned)(base + 1));   /* base * [0.5, 1.5] */
		if (ms > 5000)
			ms = 5000;
	}
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static cf_status attempt(const struct llm_http_post *p, struct transfer *t, long *http_status,
                         struct llm_result *r, bool *retry, long *retry_after)
{
	CURL *c = http_client_handle(&http.curl);
	if (c == NULL) {
		snprintf(r->error, sizeof r->error, "curl_easy_init failed");
		return CF_E_INTERNAL;
	}
	t->curl = c;
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	for (const struct curl_slist *h = p->headers; h != NULL && headers != NULL; h = h->next)
		headers = curl_slist_append(headers, h->data);
	if (headers == NULL) {
		snprintf(r->error, sizeof r->error, "out of memory for headers");
		return CF_E_INTERNAL;
	}
	struct http_post post = {
		.url = p->url,
		.headers = headers,
		.body = p->body,
		.connect_timeout_ms = http.connect_timeout_ms,
		/* a stream may legitimately run long: llm_timeout bounds silence,
		 * and a generous multiple of it the whole answer */
		.timeout_ms = p->stream ? http.timeout_ms * CF_LLM_STREAM_TIMEOUT_FACTOR : http.timeout_ms,
		.low_speed_time_s = p->stream ? (http.timeout_ms + 999) / 1000 : 0,
		.keepalive = true,
		.user_agent = "confab/" PACKAGE_VERSION,
		.on_write = on_write,
		.write_ctx = t,
		.on_progress = p->stream ? on_progress : NULL,
		.progress_ctx = t,
	};
	CURLcode rc = http_client_post(c, &post, http_status);
	curl_slist_free_all(headers);
	curl_off_t ra = 0;
	if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK)
		*retry_after = (long)ra;
	bool delivered = p->delivered != NULL && *p->delivered;
	if (t->failed == CF_E_IO)
		return CF_E_IO;   /* the listener left; r->error says so; never retried */
	if (rc == CURLE_WRITE_ERROR && t->failed != CF_OK) {
		if (r->error[0] == '\0')
			snprintf(r->error, sizeof r->error, "%s: response too large or malformed", p->url);
		return t->failed;
	}
	if (rc != CURLE_OK) {
		r->transient = retryable_code(rc);
		*retry = r->transient && !delivered;
		snprintf(r->error, sizeof r->error, "%s: %s", p->url, curl_easy_strerror(rc));
		return http_client_failure(rc);
	}
	if (*http_status < 200 || *http_status >= 300) {
		r->transient = *http_status == 429 || *http_status >= 500;
		*retry = r->transient && !delivered;
		snprintf(r->error, sizeof r->error, "%s answered HTTP %ld: %.120s", p->url, *http_status,
		         buf_str(t->body));
		return CF_E_UPSTREAM;
	}
	return CF_OK;
}

cf_status llm_http_post(const struct llm_http_post *p, long *http_status, struct buf *body,
                        struct llm_result *r)
{
	cf_status st = CF_E_UPSTREAM;
	for (int i = 0; i <= http.max_retries; i++) {
		struct transfer t;
		memset(&t, 0, sizeof t);
		t.p = p;
		t.r = r;
		t.body = body;
		body->max = http.max_response;
		buf_reset(body);
		sse_init(&t.sse, CF_MAX_LLM_EVENT_BYTES, p->on_event, p->ctx);
		bool retry = false;
		long retry_after = 0;
		*http_status = 0;
		r->error[0] = '\0';
		r->transient = false;
		st = attempt(p, &t, http_status, r, &retry, &retry_after);
		r->retry_after_s = st != CF_OK && retry_after > 0 ? retry_after : 0;
		sse_free(&t.sse);
		if (st == CF_OK || !retry || i == http.max_retries || (p->stream && llm_listener_left(r)))
			break;
		log_warn("llm: attempt %d failed (%s); retrying", i + 1, r->error);
		back_off(i, retry_after);
	}
	return st;
}
