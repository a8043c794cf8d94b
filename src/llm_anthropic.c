/* llm_anthropic.c - Anthropic's Messages API. System turns of the history
 * are folded into the system prompt (the API takes only user and
 * assistant turns) and empty turns are left out (it refuses empty text);
 * streams are read as message_start / content_block_delta / message_delta /
 * message_stop events. stop_reason comes back in OpenAI's words. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "limits.h"
#include "llm_backend.h"

#define ANTHROPIC_DEFAULT_BASE "https://api.anthropic.com/v1"
#define ANTHROPIC_VERSION "2023-06-01"

static struct json_object *request_body(const struct llm_call *call)
{
	const struct llm_provider *pv = call->provider;
	struct json_object *req = json_object_new_object();
	struct json_object *msgs = json_object_new_array();
	struct buf system;
	buf_init(&system, CF_MAX_PROMPT_BYTES);
	cf_status st = buf_append_str(&system, call->system_prompt ? call->system_prompt : "");
	for (size_t i = 0; i < call->nturns; i++) {
		const struct llm_turn *t = &call->turns[i];
		if (t->role == LLM_SYSTEM) {
			if (st == CF_OK && system.len > 0)
				st = buf_append_str(&system, "\n\n");
			if (st == CF_OK)
				st = buf_append_str(&system, t->text);
			continue;
		}
		if (t->text == NULL || t->text[0] == '\0')
			continue;   /* an empty assistant turn (a client may send one) */
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "role", json_object_new_string(llm_role_name(t->role)));
		json_object_object_add(m, "content", json_object_new_string(t->text));
		json_object_array_add(msgs, m);
	}
	(void)st;   /* an over-long system prompt is sent truncated at the bound */
	json_object_object_add(req, "model", json_object_new_string(pv->model));
	json_object_object_add(req, "max_tokens",
	                       json_object_new_int64(pv->max_tokens > 0 ? pv->max_tokens : CF_ANTHROPIC_DEFAULT_MAX_TOKENS));
	if (system.len > 0)
		json_object_object_add(req, "system", json_object_new_string(buf_str(&system)));
	json_object_object_add(req, "messages", msgs);
	json_object_object_add(req, "temperature", json_object_new_double(pv->temperature > 1.0 ? 1.0 : pv->temperature));
	json_object_object_add(req, "stream", json_object_new_boolean(call->on_delta != NULL));
	buf_free(&system);
	return req;
}

static long int_at(struct json_object *obj, const char *a, const char *b, bool *found)
{
	struct json_object *x, *y;
	*found = false;
	if (!json_object_object_get_ex(obj, a, &x) || !json_object_object_get_ex(x, b, &y) ||
	    !json_object_is_type(y, json_type_int))
		return 0;
	*found = true;
	return (long)json_object_get_int64(y);
}

/* Anthropic's stop_reason in OpenAI's finish_reason words; a reason
 * without an OpenAI counterpart ("pause_turn", ...) passes through. */
static void set_stop_reason(struct llm_result *r, struct json_object *reason)
{
	static const struct {
		const char *anthropic, *openai;
	} map[] = {
		{"end_turn", "stop"},
		{"stop_sequence", "stop"},
		{"max_tokens", "length"},
		{"tool_use", "tool_calls"},
		{"refusal", "content_filter"},
	};
	if (!json_object_is_type(reason, json_type_string))
		return;
	const char *s = json_object_get_string(reason);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].anthropic) == 0) {
			llm_set_finish_reason(r, map[i].openai, strlen(map[i].openai));
			return;
		}
	llm_set_finish_reason(r, s, (size_t)json_object_get_string_len(reason));
}

struct stream_state {
	const struct llm_call *call;
	struct llm_result *r;
	bool done;
	bool have_input;
};

static cf_status on_event(void *ctx, const struct sse_event *ev)
{
	struct stream_state *s = ctx;
	struct json_object *obj = json_tokener_parse(ev->data), *type, *x;
	cf_status st = CF_OK;
	if (obj == NULL || !json_object_object_get_ex(obj, "type", &type)) {
		snprintf(s->r->error, sizeof s->r->error, "provider stream carried an event that is not JSON");
		st = CF_E_UPSTREAM;
		goto out;
	}
	const char *t = json_object_get_string(type);
	bool found;
	if (strcmp(t, "error") == 0) {
		snprintf(s->r->error, sizeof s->r->error, "provider stream error: %.160s", ev->data);
		st = CF_E_UPSTREAM;
	} else if (strcmp(t, "message_start") == 0 && json_object_object_get_ex(obj, "message", &x)) {
		long in = int_at(x, "usage", "input_tokens", &found);
		if (found) {
			s->r->prompt_tokens = in;
			s->have_input = true;
		}
	} else if (strcmp(t, "content_block_delta") == 0 && json_object_object_get_ex(obj, "delta", &x)) {
		struct json_object *text;
		if (json_object_object_get_ex(x, "text", &text) && json_object_is_type(text, json_type_string))
			st = llm_deliver(s->call, s->r, json_object_get_string(text), (size_t)json_object_get_string_len(text));
	} else if (strcmp(t, "message_delta") == 0) {
		struct json_object *reason;
		if (json_object_object_get_ex(obj, "delta", &x) && json_object_object_get_ex(x, "stop_reason", &reason))
			set_stop_reason(s->r, reason);
		long out = int_at(obj, "usage", "output_tokens", &found);
		if (found && s->have_input) {
			s->r->have_usage = true;
			s->r->completion_tokens = out;
		}
	} else if (strcmp(t, "message_stop") == 0) {
		s->done = true;
	}
out:
	json_object_put(obj);
	return st;
}

static cf_status parse_plain(const struct buf *body, struct llm_result *r)
{
	struct json_object *obj = json_tokener_parse(buf_str(body)), *content;
	cf_status st = CF_E_UPSTREAM;
	if (obj == NULL || !json_object_object_get_ex(obj, "content", &content) ||
	    !json_object_is_type(content, json_type_array)) {
		snprintf(r->error, sizeof r->error, "provider answer has no content array");
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(content); i++) {
		struct json_object *block = json_object_array_get_idx(content, i), *type, *text;
		if (json_object_object_get_ex(block, "type", &type) && strcmp(json_object_get_string(type), "text") == 0 &&
		    json_object_object_get_ex(block, "text", &text) && json_object_is_type(text, json_type_string) &&
		    buf_append(&r->text, json_object_get_string(text), (size_t)json_object_get_string_len(text)) != CF_OK) {
			snprintf(r->error, sizeof r->error, "reply too long");
			goto out;
		}
	}
	struct json_object *reason;
	if (json_object_object_get_ex(obj, "stop_reason", &reason))
		set_stop_reason(r, reason);
	bool in_found, out_found;
	long in = int_at(obj, "usage", "input_tokens", &in_found);
	long outt = int_at(obj, "usage", "output_tokens", &out_found);
	if (in_found && out_found) {
		r->have_usage = true;
		r->prompt_tokens = in;
		r->completion_tokens = outt;
	}
	st = CF_OK;
out:
	json_object_put(obj);
	return st;
}

cf_status llm_anthropic_complete(const struct llm_call *call, struct llm_result *r)
{
	const struct llm_provider *pv = call->provider;
	char url[1024], key[1024];
	struct buf body;
	buf_init(&body, 0);
	llm_join_url(url, sizeof url, pv->base_url, ANTHROPIC_DEFAULT_BASE, "/messages");
	snprintf(key, sizeof key, "x-api-key: %s", pv->api_key ? pv->api_key : "");
	struct curl_slist *headers = curl_slist_append(NULL, key);
	headers = curl_slist_append(headers, "anthropic-version: " ANTHROPIC_VERSION);
	if (call->on_delta != NULL)
		headers = curl_slist_append(headers, "Accept: text/event-stream");
	struct json_object *req = request_body(call);
	struct stream_state ss = {call, r, false, false};
	struct llm_http_post post = {url, headers, json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN),
	                             call->on_delta != NULL, on_event, &ss, &r->delivered};
	long status = 0;
	cf_status st = llm_http_post(&post, &status, &body, r);
	if (st == CF_OK && call->on_delta == NULL)
		st = parse_plain(&body, r);
	else if (st == CF_OK && !ss.done) {
		snprintf(r->error, sizeof r->error, "provider stream ended before message_stop");
		st = CF_E_UPSTREAM;
	}
	explicit_bzero(key, sizeof key);
	curl_slist_free_all(headers);
	json_object_put(req);
	buf_free(&body);
	return st;
}
