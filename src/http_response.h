/* http_response.h - the response being built for one request, and the one
 * small set of helpers that produce every body family of the reference API
 * (docs/API.md §1.2). Handlers never pick status codes by hand:
 * success helpers name the outcome, error helpers take a cf_status. */
#ifndef CONFAB_HTTP_RESPONSE_H
#define CONFAB_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"
#include "status.h"
#include "urlcode.h"

/* Where a streamed response goes (set by the transport; NULL write when
 * the transport cannot stream). */
struct response;

struct response_sink {
	cf_status (*begin)(void *ctx, const struct response *resp);   /* status line and headers */
	cf_status (*write)(void *ctx, const char *data, size_t len);  /* body bytes, flushed */
	bool (*gone)(void *ctx);   /* the client left (no blocking); NULL: only a failed write tells */
	void *ctx;
};

struct response {
	int http_status;      /* 0 until a reply helper ran */
	cf_status status;     /* what produced it, for the access log */
	struct kv_list headers;   /* filled only through response_add_header: no CR/LF */
	struct buf body;
	bool has_body;        /* false: "200 with empty body" */
	struct response_sink sink;
	bool streaming;       /* headers went out; the transport writes nothing more */
	bool stream_failed;   /* a write failed (client gone); later writes are dropped */
	size_t streamed_bytes;
};

/* Every response starts with "X-Content-Type-Options: nosniff", which
 * response_reset keeps: JSON, errors, 304s, streams and the transport's
 * own early errors all carry it. */
void response_init(struct response *resp);
void response_free(struct response *resp);
/* Drops whatever was set but Set-Cookie headers, to start over. */
void response_reset(struct response *resp);
bool response_is_set(const struct response *resp);
/* Adds a header (name and value copied). Every header of every response
 * goes through here: a name or value holding CR or LF (or an empty name or
 * one with ':') is refused — the header is dropped, an error is logged and
 * false is returned, so the writer never emits a raw line break from a
 * value. Callers that must not send the response without the header check
 * the result; the rest may ignore it (the reply then lacks that header). */
bool response_add_header(struct response *resp, const char *name, const char *value);
/* True when s holds no CR and no LF (what a header name or value needs). */
bool header_text_ok(const char *s);


/* ---- success ---- */
/* 200 with obj as JSON. Takes ownership of obj (json_object_put). */
void reply_json(struct response *resp, struct json_object *obj);
/* 201 with obj and a Location header. Takes ownership of obj. */
void reply_created(struct response *resp, struct json_object *obj, const char *location);
/* 202 with obj. Takes ownership of obj. */
void reply_accepted(struct response *resp, struct json_object *obj);
/* obj with the status of st (an error status with a body of the
 * endpoint's own shape, e.g. a failed chat task). Takes ownership of obj. */
void reply_json_status(struct response *resp, cf_status st, struct json_object *obj);
/* 200 with the JSON text already serialized in *json as the body: the
 * buffer's memory is handed over (no copy) and *json is left empty. For
 * large replies built piece by piece (the chat poll). */
void reply_json_text_take(struct response *resp, struct buf *json);
/* 200 with *text as the body, sent as content_type (static or borrowed
 * for the call): the buffer's memory is handed over as for
 * reply_json_text_take and *text is left empty (GET /metrics). */
void reply_text_take(struct response *resp, const char *content_type, struct buf *text);
/* 200 with an empty body (the reference's "no body" responses). */
void reply_empty(struct response *resp);
/* Makes a 200 JSON reply conditional (RFC 9110 sections 8.8.3, 13.1.2): adds a
 * strong ETag (quoted SHA-256 hex of the body as built) and
 * "Cache-Control: private, no-cache"; when if_none_match (the request's
 * If-None-Match, borrowed, may be NULL) is "*" or lists a tag equal to it
 * under weak comparison, the reply becomes 304 with no body. Any other
 * reply is left alone. */
void response_make_conditional(struct response *resp, const char *if_none_match);
/* True when the If-None-Match value list matches etag (weak comparison). */
bool etag_list_matches(const char *list, const char *etag);

/* 302 to location (an absolute URL or a path). */
void reply_redirect(struct response *resp, const char *location);
/* An HTML page (server-rendered login/consent), status from st (CF_OK = 200).
 * html is copied. */
void reply_html(struct response *resp, cf_status st, const char *html);
/* The same with one inline <script> allowed: script_sha256 is the standard
 * base64 SHA-256 of its text (sha256_base64, crypto.h), or NULL for none. */
void reply_html_script(struct response *resp, cf_status st, const char *html, const char *script_sha256);
/* JSON with an explicit OAuth2 error (RFC 6749 section 5.2): status from st,
 * body {"error": code[, "error_description": description]}. */
void reply_oauth_error(struct response *resp, cf_status st, const char *code, const char *description);
/* A Set-Cookie header. max_age < 0 omits Max-Age; 0 deletes the cookie. */
void response_set_cookie(struct response *resp, const char *name, const char *value, long max_age,
                         bool http_only, bool secure);

/* ---- streaming (Server-Sent Events) ---- */
/* Sends status 200, the headers set so far and content_type now; the body
 * follows with response_stream_write. CF_E_INTERNAL when the transport
 * cannot stream, CF_E_IO when the client is gone. */
cf_status response_stream_begin(struct response *resp, const char *content_type) CF_MUST_CHECK;
/* Writes and flushes body bytes. CF_E_IO once the client is gone. */
cf_status response_stream_write(struct response *resp, const char *data, size_t len) CF_MUST_CHECK;
/* True once the client of a begun stream is gone: a write failed, or the
 * transport sees the connection closed now (it does not block). Later
 * writes are then dropped. For a handler's llm_gone_fn, so that a provider
 * call stops when nobody reads its answer any more. */
bool response_stream_gone(struct response *resp);

/* ---- errors, one helper per body family ---- */
/* {"detail": msg}; msg NULL -> the status's default text. */
void reply_detail(struct response *resp, cf_status st, const char *msg);
/* {"error": msg} (session actions, chat API business errors). */
void reply_error(struct response *resp, cf_status st, const char *msg);
/* {"<field>": [...], ...} field validation errors, always 400. Takes
 * ownership of fields. */
void reply_fields(struct response *resp, struct json_object *fields);
/* Convenience: {"<field>": ["<msg>"]}, 400. */
void reply_field_error(struct response *resp, const char *field, const char *msg);

/* ---- the OpenAI routes' errors (docs/API.md §1.2.1) ----
 * Every error there carries OpenAI's object beside the reference's keys:
 * {"detail": msg, "error": {"message": msg, "type": <st's OpenAI type>,
 * "param": param or null, "code": code or st's OpenAI code or null}}. */
/* The shape above with param null and the status's code; msg NULL -> the
 * status's default text. */
void reply_openai_error(struct response *resp, cf_status st, const char *msg);
/* The same naming the field at fault (param, OpenAI's spelling, e.g.
 * "messages.[2].content"; may be NULL) and a code other than the status's
 * (may be NULL), e.g. "model_not_found". All strings are copied. */
void reply_openai_error_at(struct response *resp, cf_status st, const char *msg, const char *param, const char *code);
/* 400 for field errors (the reference's field-errors tree): msg is their
 * JSON text, param names the first field at fault. Takes ownership of
 * fields. */
void reply_openai_field_errors(struct response *resp, struct json_object *fields);
/* Finishes an error reply (4xx or 5xx, not streamed) of an OpenAI route,
 * whichever helper made it: a JSON object body without an "error" key
 * gets OpenAI's object added after its own keys ("detail" gives the
 * message; a field-errors body gives its JSON text and the param), and the
 * status's retry hint is added unless one was set (response_retry_hint).
 * Anything else is left alone; calling it twice changes nothing more. */
void response_openai_errors(struct response *resp);
/* The retry hint of a failure: CF_RETRY_YES sends "x-should-retry: true"
 * and, unless one is set (the rate limiter's), "Retry-After:
 * <retry_after_s>" (CF_RETRY_AFTER_DEFAULT_S when <= 0); CF_RETRY_NO sends
 * "x-should-retry: false"; CF_RETRY_UNSAID nothing. Call it after the reply
 * helper (they start the headers over). */
void response_retry_hint(struct response *resp, enum cf_retry retry, long retry_after_s);
/* OpenAI's param for the first field of a field-errors tree
 * ({"messages": [{}, {"role": [...]}]} -> "messages.[1].role") into out
 * (cap bytes); false when the errors are about the body as a whole
 * (non_field_errors), there is no field, or the name does not fit. */
bool openai_error_param(struct json_object *fields, char *out, size_t cap);

/* Serializes obj the way the API emits JSON (compact, "/" unescaped). */
cf_status json_serialize(struct json_object *obj, struct buf *out) CF_MUST_CHECK;

#endif
