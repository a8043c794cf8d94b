/* llm_backend.h - what each provider module provides to llm.c, and the
 * shared HTTP transport the network providers use (llm_http.c). */
#ifndef CONFAB_LLM_BACKEND_H
#define CONFAB_LLM_BACKEND_H

#include <curl/curl.h>

#include "llm.h"
#include "sse.h"

cf_status llm_openai_complete(const struct llm_call *call, struct llm_result *r) CF_MUST_CHECK;
cf_status llm_anthropic_complete(const struct llm_call *call, struct llm_result *r) CF_MUST_CHECK;
cf_status llm_local_complete(const struct llm_call *call, struct llm_result *r) CF_MUST_CHECK;

/* Hands streamed text to the caller's on_delta and collects it. CF_E_IO
 * when the listener left (now or before): the provider module returns it
 * at once, which stops the transfer (r->text keeps what came). */
cf_status llm_deliver(const struct llm_call *call, struct llm_result *r, const char *text,
                      size_t len) CF_MUST_CHECK;
/* True when a streamed call's listener left (on_delta failed, or its
 * listener_gone says so now); sets r->listener_gone and r->error. The
 * transport asks while it waits on the provider. */
bool llm_listener_left(struct llm_result *r);

/* One POST of a JSON body. Non-streamed: the whole response body lands in
 * *body. Streamed: a 2xx body is parsed as SSE and each event handed to
 * on_event; any other status lands in *body. Retries with jittered
 * back-off on connection errors, timeouts, 429 and 5xx, but never once an
 * event was delivered. */
struct llm_http_post {
	const char *url;
	struct curl_slist *headers;   /* borrowed; Content-Type is added */
	const char *body;
	bool stream;
	sse_event_fn on_event;
	void *ctx;
	const bool *delivered;        /* when true, a failure is final */
};

/* *http_status gets the final HTTP status (0 when none arrived); *body
 * (initialised by the caller) the bytes of a non-SSE answer. CF_OK means a
 * 2xx answer arrived in full; otherwise r->error is set. */
cf_status llm_http_post(const struct llm_http_post *p, long *http_status, struct buf *body,
                        struct llm_result *r) CF_MUST_CHECK;

/* url = base (without a trailing slash) + path, into out. */
void llm_join_url(char *out, size_t outlen, const char *base, const char *fallback_base, const char *path);

#endif
