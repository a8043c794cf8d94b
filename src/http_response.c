/* http_response.c - response state and the reply helpers. */
#include "http_response.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "limits.h"
#include "log.h"

void response_init(struct response *resp)
{
	memset(resp, 0, sizeof *resp);
	buf_init(&resp->body, CF_MAX_RESPONSE_BYTES);
	kv_list_add(&resp->headers, "X-Content-Type-Options", "nosniff");
}

void response_free(struct response *resp)
{
	kv_list_free(&resp->headers);
	buf_free(&resp->body);
	memset(resp, 0, sizeof *resp);
	buf_init(&resp->body, CF_MAX_RESPONSE_BYTES);
}

void response_reset(struct response *resp)
{
	/* Cookies set while handling survive a change of reply (e.g. a login
	 * that sets the session cookie and then redirects). */
	struct kv_list cookies = {NULL, 0};
	struct response_sink sink = resp->sink;
	for (size_t i = 0; i < resp->headers.count; i++)
		if (strcmp(resp->headers.items[i].key, "Set-Cookie") == 0)
			kv_list_add(&cookies, "Set-Cookie", resp->headers.items[i].value);
	response_free(resp);
	response_init(resp);   /* the nosniff header is back */
	for (size_t i = 0; i < cookies.count; i++)
		kv_list_add(&resp->headers, "Set-Cookie", cookies.items[i].value);
	kv_list_free(&cookies);
	resp->sink = sink;
}

cf_status response_stream_begin(struct response *resp, const char *content_type)
{
	if (resp->sink.begin == NULL || resp->streaming)
		return CF_E_INTERNAL;
	resp->http_status = 200;
	resp->status = CF_OK;
	response_add_header(resp, "Content-Type", content_type);
	response_add_header(resp, "Cache-Control", "no-cache");
	response_add_header(resp, "X-Accel-Buffering", "no");
	resp->streaming = true;
	cf_status st = resp->sink.begin(resp->sink.ctx, resp);
	if (st != CF_OK)
		resp->stream_failed = true;
	return st;
}

cf_status response_stream_write(struct response *resp, const char *data, size_t len)
{
	if (!resp->streaming || resp->stream_failed)
		return CF_E_IO;
	cf_status st = resp->sink.write(resp->sink.ctx, data, len);
	if (st != CF_OK)
		resp->stream_failed = true;
	else
		resp->streamed_bytes += len;
	return st;
}

bool response_stream_gone(struct response *resp)
{
	if (resp->streaming && !resp->stream_failed && resp->sink.gone != NULL && resp->sink.gone(resp->sink.ctx))
		resp->stream_failed = true;
	return resp->streaming && resp->stream_failed;
}

bool response_is_set(const struct response *resp)
{
	return resp->http_status != 0;
}

bool header_text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

bool response_add_header(struct response *resp, const char *name, const char *value)
{
	/* The one gate for every header: a CR or LF would end the header line
	 * and let the rest of the value become headers or body (a NUL cannot
	 * reach here inside a C string; it would only cut the value short). */
	if (name == NULL || value == NULL || *name == '\0' || !header_text_ok(name) || !header_text_ok(value) ||
	    strchr(name, ':') != NULL) {
		log_error("response header %.40s dropped: CR, LF or an empty or bad name", name ? name : "(null)");
		return false;
	}
	kv_list_add(&resp->headers, name, value);
	return true;
}

cf_status json_serialize(struct json_object *obj, struct buf *out)
{
	size_t len = 0;
	const char *s = json_object_to_json_string_length(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s == NULL)
		return CF_E_INTERNAL;
	return buf_append(out, s, len);
}

/* Sets status and JSON body; takes ownership of obj. */
static void reply_with(struct response *resp, int http_status, cf_status st, struct json_object *obj)
{
	response_reset(resp);
	resp->http_status = http_status;
	resp->status = st;
	resp->has_body = true;
	response_add_header(resp, "Content-Type", "application/json");
	if (json_serialize(obj, &resp->body) != CF_OK) {
		/* Only an over-ceiling body can fail here. */
		log_error("response body over %ld bytes", (long)CF_MAX_RESPONSE_BYTES);
		buf_reset(&resp->body);
		resp->http_status = 500;
		resp->status = CF_E_INTERNAL;
		if (buf_append_str(&resp->body, "{\"detail\":\"A server error occurred.\"}") != CF_OK)
			resp->has_body = false;
	}
	json_object_put(obj);
}

void reply_json(struct response *resp, struct json_object *obj)
{
	reply_with(resp, 200, CF_OK, obj);
}

void reply_created(struct response *resp, struct json_object *obj, const char *location)
{
	reply_with(resp, 201, CF_OK, obj);
	if (location != NULL)
		response_add_header(resp, "Location", location);
}

void reply_accepted(struct response *resp, struct json_object *obj)
{
	reply_with(resp, 202, CF_OK, obj);
}

void reply_json_status(struct response *resp, cf_status st, struct json_object *obj)
{
	reply_with(resp, cf_status_http(st), st, obj);
}

void reply_empty(struct response *resp)
{
	response_reset(resp);
	resp->http_status = 200;
	resp->status = CF_OK;
	resp->has_body = false;
}

void reply_detail(struct response *resp, cf_status st, const char *msg)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "detail", json_object_new_string(msg ? msg : cf_status_detail(st)));
	reply_with(resp, cf_status_http(st), st, obj);
	if (cf_status_http(st) == 401)
		response_add_header(resp, "WWW-Authenticate", "Bearer realm=\"api\"");
}

void reply_error(struct response *resp, cf_status st, const char *msg)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "error", json_object_new_string(msg ? msg : cf_status_detail(st)));
	reply_with(resp, cf_status_http(st), st, obj);
}

void reply_fields(struct response *resp, struct json_object *fields)
{
	reply_with(resp, 400, CF_E_BAD_REQUEST, fields);
}

void reply_field_error(struct response *resp, const char *field, const char *msg)
{
	struct json_object *list = json_object_new_array();
	json_object_array_add(list, json_object_new_string(msg));
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, field, list);
	reply_fields(resp, obj);
}

/* OpenAI's error object for st (docs/API.md §1.2.1); param and code may be
 * NULL (code NULL -> the status's). */
static struct json_object *openai_error_object(cf_status st, const char *msg, const char *param, const char *code)
{
	if (code == NULL)
		code = cf_status_openai_code(st);
	struct json_object *inner = json_object_new_object();
	json_object_object_add(inner, "message", json_object_new_string(msg));
	json_object_object_add(inner, "type", json_object_new_string(cf_status_openai_type(st)));
	json_object_object_add(inner, "param", param != NULL ? json_object_new_string(param) : NULL);
	json_object_object_add(inner, "code", code != NULL ? json_object_new_string(code) : NULL);
	return inner;
}

void reply_openai_error_at(struct response *resp, cf_status st, const char *msg, const char *param, const char *code)
{
	if (msg == NULL)
		msg = cf_status_detail(st);
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "detail", json_object_new_string(msg));
	json_object_object_add(obj, "error", openai_error_object(st, msg, param, code));
	reply_with(resp, cf_status_http(st), st, obj);
	if (cf_status_http(st) == 401)
		response_add_header(resp, "WWW-Authenticate", "Bearer realm=\"api\"");
}

void reply_openai_error(struct response *resp, cf_status st, const char *msg)
{
	reply_openai_error_at(resp, st, msg, NULL, NULL);
}

/* Appends one step of a param name: a key ("messages", after a dot when
 * not first) or an index (".[2]"; an all-digit key of an indexed map is
 * one). False when it does not fit. */
static bool param_step(char *out, size_t cap, size_t *len, const char *key, bool index)
{
	int n = index ? snprintf(out + *len, cap - *len, "%s[%s]", *len > 0 ? "." : "", key)
	              : snprintf(out + *len, cap - *len, "%s%s", *len > 0 ? "." : "", key);
	if (n < 0 || (size_t)n >= cap - *len)
		return false;
	*len += (size_t)n;
	return true;
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool openai_error_param(struct json_object *fields, char *out, size_t cap)
{
	size_t len = 0;
	struct json_object *node = fields;
	if (cap == 0)
		return false;
	out[0] = '\0';
	for (int depth = 0; depth < CF_MAX_JSON_DEPTH; depth++) {
		if (json_object_is_type(node, json_type_object)) {
			struct json_object_iterator it = json_object_iter_begin(node), end = json_object_iter_end(node);
			if (json_object_iter_equal(&it, &end))
				break;
			const char *key = json_object_iter_peek_name(&it);
			if (depth == 0 && strcmp(key, "non_field_errors") == 0)
				break;
			if (!param_step(out, cap, &len, key, depth > 0 && all_digits(key))) {
				len = 0;
				break;
			}
			node = json_object_iter_peek_value(&it);
		} else if (json_object_is_type(node, json_type_array)) {
			/* a list of messages ends the name; a list of per-item errors
			 * ({} for the items without) goes on at the first item with one */
			size_t n = json_object_array_length(node), i = 0;
			struct json_object *item = NULL;
			for (; i < n; i++) {
				item = json_object_array_get_idx(node, i);
				if (json_object_is_type(item, json_type_object) && json_object_object_length(item) > 0)
					break;
			}
			if (i == n)
				break;
			char index[24];
			snprintf(index, sizeof index, "%zu", i);
			if (!param_step(out, cap, &len, index, true)) {
				len = 0;
				break;
			}
			node = item;
		} else {
			break;
		}
	}
	out[len] = '\0';
	return len > 0;
}

void reply_openai_field_errors(struct response *resp, struct json_object *fields)
{
	char param[128];
	bool named = openai_error_param(fields, param, sizeof param);
	reply_openai_error_at(resp, CF_E_BAD_REQUEST, json_object_to_json_string_ext(fields, JSON_C_TO_STRING_PLAIN),
	                      named ? param : NULL, NULL);
	json_object_put(fields);
}

void response_retry_hint(struct response *resp, enum cf_retry retry, long retry_after_s)
{
	if (retry == CF_RETRY_NO) {
		response_add_header(resp, "x-should-retry", "false");
	} else if (retry == CF_RETRY_YES) {
		response_add_header(resp, "x-should-retry", "true");
		if (kv_list_get(&resp->headers, "Retry-After") == NULL) {
			char v[24];
			snprintf(v, sizeof v, "%ld", retry_after_s > 0 ? retry_after_s : (long)CF_RETRY_AFTER_DEFAULT_S);
			response_add_header(resp, "Retry-After", v);
		}
	}
}

void response_openai_errors(struct response *resp)
{
	if (resp->streaming || resp->http_status < 400)
		return;
	/* a replay is known by its HTTP status only */
	cf_status st = resp->status != CF_OK && cf_status_http(resp->status) == resp->http_status
	                       ? resp->status
	                       : cf_status_for_http(resp->http_status);
	if (kv_list_get(&resp->headers, "x-should-retry") == NULL)
		response_retry_hint(resp, cf_status_retry(st), 0);
	const char *type = kv_list_get(&resp->headers, "Content-Type");
	if (!resp->has_body || type == NULL || strcmp(type, "application/json") != 0)
		return;
	struct json_object *body = json_tokener_parse(buf_str(&resp->body)), *v;
	struct buf out;
	buf_init(&out, CF_MAX_RESPONSE_BYTES);
	if (!json_object_is_type(body, json_type_object) || json_object_object_get_ex(body, "error", &v))
		goto done;   /* OpenAI's shape already, or a family without room for it */
	if (json_object_object_get_ex(body, "detail", &v) && json_object_is_type(v, json_type_string)) {
		json_object_object_add(body, "error", openai_error_object(st, json_object_get_string(v), NULL, NULL));
	} else {
		char param[128];
		bool named = openai_error_param(body, param, sizeof param);
		struct json_object *err = openai_error_object(
			st, json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN), named ? param : NULL, NULL);
		json_object_object_add(body, "error", err);
	}
	if (json_serialize(body, &out) != CF_OK) {
		log_error("an OpenAI error body over %ld bytes: sent without its error object", (long)CF_MAX_RESPONSE_BYTES);
		goto done;
	}
	buf_free(&resp->body);
	resp->body = out;   /* the memory moves */
	buf_init(&out, CF_MAX_RESPONSE_BYTES);
done:
	buf_free(&out);
	json_object_put(body);
}

void reply_redirect(struct response *resp, const char *location)
{
	response_reset(resp);
	resp->http_status = 302;
	resp->status = CF_OK;
	resp->has_body = false;
	if (!response_add_header(resp, "Location", location)) {
		/* A redirect without its target is no reply: callers pass checked
		 * targets, so this is a bug, not the client's error. */
		reply_detail(resp, CF_E_INTERNAL, NULL);
		return;
	}
	response_add_header(resp, "Cache-Control", "no-store");
}

void reply_html(struct response *resp, cf_status st, const char *html)
{
	reply_html_script(resp, st, html, NULL);
}

void reply_html_script(struct response *resp, cf_status st, const char *html, const char *script_sha256)
{
	/* No script runs but the one whose hash the caller names; styles may
	 * be inline; forms post only back to Confab. */
	char csp[256];
	snprintf(csp, sizeof csp, "default-src 'none'; style-src 'unsafe-inline';%s%s%s form-action 'self' http: https:",
	         script_sha256 != NULL ? " script-src 'sha256-" : "", script_sha256 != NULL ? script_sha256 : "",
	         script_sha256 != NULL ? "';" : "");
	response_reset(resp);
	resp->http_status = st == CF_OK ? 200 : cf_status_http(st);
	resp->status = st;
	resp->has_body = true;
	response_add_header(resp, "Content-Type", "text/html; charset=utf-8");
	response_add_header(resp, "Cache-Control", "no-store");
	response_add_header(resp, "X-Frame-Options", "DENY");
	response_add_header(resp, "Content-Security-Policy", csp);
	if (buf_append_str(&resp->body, html) != CF_OK)
		resp->has_body = false;
}

void reply_oauth_error(struct response *resp, cf_status st, const char *code, const char *description)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "error", json_object_new_string(code));
	if (description != NULL)
		json_object_object_add(obj, "error_description", json_object_new_string(description));
	reply_with(resp, cf_status_http(st), st, obj);
	response_add_header(resp, "Cache-Control", "no-store");
}

void response_set_cookie(struct response *resp, const char *name, const char *value, long max_age, bool http_only,
                         bool secure)
{
	char line[512];
	char age[40] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	snprintf(line, sizeof line, "%s=%s; Path=/; SameSite=Lax%s%s%s", name, value, age,
	         http_only ? "; HttpOnly" : "", secure ? "; Secure" : "");
	response_add_header(resp, "Set-Cookie", line);
}

/* The opaque-tag of one list member at *p ("W/" dropped), advancing *p past
 * it; false at the end of the list or on a malformed member (then the
 * whole header is ignored: no match). */
static bool next_etag(const char **p, const char **tag, size_t *len)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	if (*s == '\0')
		return false;
	if (s[0] == 'W' && s[1] == '/')
		s += 2;
	if (*s != '"')
		return false;
	const char *end = strchr(s + 1, '"');
	if (end == NULL)
		return false;
	*tag = s;
	*len = (size_t)(end - s) + 1;
	*p = end + 1;
	return true;
}

bool etag_list_matches(const char *list, const char *etag)
{
	if (list == NULL || etag == NULL)
		return false;
	const char *p = list;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strcmp(p, "*") == 0)
		return true;
	const char *tag;
	size_t len;
	const char *want = etag;
	if (want[0] == 'W' && want[1] == '/')
		want += 2;
	while (next_etag(&p, &tag, &len)) {
		if (len == strlen(want) && memcmp(tag, want, len) == 0)
			return true;
	}
	return false;
}

void response_make_conditional(struct response *resp, const char *if_none_match)
{
	if (resp->http_status != 200 || !resp->has_body || resp->streaming)
		return;
	char hex[65];
	sha256_hex(resp->body.data, resp->body.len, hex);
	char etag[68];
	snprintf(etag, sizeof etag, "\"%s\"", hex);
	response_add_header(resp, "ETag", etag);
	response_add_header(resp, "Cache-Control", "private, no-cache");
	if (etag_list_matches(if_none_match, etag)) {
		resp->http_status = 304;
		resp->has_body = false;
		resp->body.len = 0;
	}
}

void reply_json_text_take(struct response *resp, struct buf *json)
{
	response_reset(resp);
	resp->http_status = 200;
	resp->status = CF_OK;
	resp->has_body = true;
	response_add_header(resp, "Content-Type", "application/json");
	buf_free(&resp->body);
	resp->body = *json;           /* the memory moves; nothing is copied */
	resp->body.max = CF_MAX_RESPONSE_BYTES;
	buf_init(json, json->max);
}

void reply_text_take(struct response *resp, const char *content_type, struct buf *text)
{
	response_reset(resp);
	resp->http_status = 200;
	resp->status = CF_OK;
	resp->has_body = true;
	response_add_header(resp, "Content-Type", content_type);
	buf_free(&resp->body);
	resp->body = *text;           /* the memory moves; nothing is copied */
	resp->body.max = CF_MAX_RESPONSE_BYTES;
	buf_init(text, text->max);
}
