/* llm_openai.c - the OpenAI chat-completions protocol, for OpenAI itself
 * and every compatible server (Groq, Ollama, vLLM, llama.cpp, ...: any base
 * URL) and for Azure OpenAI (deployment URL, api-key header). Streams are
 * read as chat.completion.chunk events ending in "data: [DONE]". */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "llm_backend.h"

#define OPENAI_DEFAULT_BASE "https://api.openai.com/v1"
#define AZURE_DEFAULT_API_VERSION "2024-10-21"

static struct json_object *request_body(const struct llm_call *call)
{
	const struct llm_provider *pv = call->provider;
	struct json_object *req = json_object_new_object();
	struct json_object *msgs = json_object_new_array();
	if (call->system_prompt != NULL && call->system_prompt[0] != '\0') {
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "role", json_object_new_string("system"));
		json_object_object_add(m, "content", json_object_new_string(call->system_prompt));
		json_object_array_add(msgs, m);
	}
	for (size_t i = 0; i < call->nturns; i++) {
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "role", json_object_new_string(llm_role_name(call->turns[i].role)));
		json_object_object_add(m, "content", json_object_new_string(call->turns[i].text));
		json_object_array_add(msgs, m);
	}
	if (strcmp(pv->type, "azure") != 0)
		json_object_object_add(req, "model", json_object_new_string(pv->model));
	json_object_object_add(req, "messages", msgs);
	json_object_object_add(req, "temperature", json_object_new_double(pv->temperature));
	if (pv->max_tokens > 0)
		json_object_object_add(req, "max_tokens", json_object_new_int64(pv->max_tokens));
	json_object_object_add(req, "stream", json_object_new_boolean(call->on_delta != NULL));
	if (call->on_delta != NULL) {
		struct json_object *so = json_object_new_object();
		json_object_object_add(so, "include_usage", json_object_new_boolean(1));
		json_object_object_add(req, "stream_options", so);
	}
	/* A text format is the default and is not sent, so requests without
	 * one stay as they were. */
	const struct llm_response_format *f = call->format;
	if (f != NULL && f->type != LLM_FORMAT_TEXT) {
		struct json_object *rf = json_object_new_object();
		bool schema = f->type == LLM_FORMAT_JSON_SCHEMA;
		json_object_object_add(rf, "type", json_object_new_string(schema ? "json_schema" : "json_object"));
		struct json_object *js = schema && f->json_schema ? json_tokener_parse(f->json_schema) : NULL;
		if (js != NULL)
			json_object_object_add(rf, "json_schema", js);
		json_object_object_add(req, "response_format", rf);
	}
	return req;
}

static bool azure_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_' || *s == '.'))
			return false;
	return true;
}

static void read_usage(struct json_object *obj, struct llm_result *r)
{
	struct json_object *usage, *p, *c;
	if (!json_object_object_get_ex(obj, "usage", &usage) || !json_object_is_type(usage, json_type_object))
		return;
	if (json_object_object_get_ex(usage, "prompt_tokens", &p) && json_object_is_type(p, json_type_int) &&
	    json_object_object_get_ex(usage, "completion_tokens", &c) && json_object_is_type(c, json_type_int)) {
		r->have_usage = true;
		r->prompt_tokens = (long)json_object_get_int64(p);
		r->completion_tokens = (long)json_object_get_int64(c);
	}
}

/* choices[0].<field> as an object, or NULL. */
static struct json_object *first_choice_field(struct json_object *obj, const char *field)
{
	struct json_object *choices, *out;
	if (!json_object_object_get_ex(obj, "choices", &choices) || !json_object_is_type(choices, json_type_array) ||
	    json_object_array_length(choices) == 0)
		return NULL;
	struct json_object *first = json_object_array_get_idx(choices, 0);
	if (!json_object_is_type(first, json_type_object) || !json_object_object_get_ex(first, field, &out))
		return NULL;
	return out;
}

struct stream_state {
	const struct llm_call *call;
	struct llm_result *r;
	bool done;
};

static cf_status on_event(void *ctx, const struct sse_event *ev)
{
	struct stream_state *s = ctx;
	if (strcmp(ev->data, "[DONE]") == 0) {
		s->done = true;
		return CF_OK;
	}
	struct json_object *obj = json_tokener_parse(ev->data);
	cf_status st = CF_OK;
	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		snprintf(s->r->error, sizeof s->r->error, "provider stream carried an event that is not JSON");
		st = CF_E_UPSTREAM;
		goto out;
	}
	struct json_object *err;
	if (json_object_object_get_ex(obj, "error", &err) && !json_object_is_type(err, json_type_null)) {
		snprintf(s->r->error, sizeof s->r->error, "provider stream error: %.160s",
		         json_object_to_json_string(err));
		st = CF_E_UPSTREAM;
		goto out;
	}
	struct json_object *delta = first_choice_field(obj, "delta"), *content;
	if (delta != NULL && json_object_object_get_ex(delta, "content", &content) &&
	    json_object_is_type(content, json_type_string))
		st = llm_deliver(s->call, s->r, json_object_get_string(content), (size_t)json_object_get_string_len(content));
	struct json_object *finish = first_choice_field(obj, "finish_reason");
	if (finish != NULL && json_object_is_type(finish, json_type_string)) {
		llm_set_finish_reason(s->r, json_object_get_string(finish), (size_t)json_object_get_string_len(finish));
		s->done = true;
	}
	read_usage(obj, s->r);
out:
	json_object_put(obj);
	return st;
}

static cf_status parse_plain(const struct buf *body, struct llm_result *r)
{
	struct json_object *obj = json_tokener_parse(buf_str(body));
	cf_status st = CF_E_UPSTREAM;
	struct json_object *msg = obj ? first_choice_field(obj, "message") : NULL, *content;
	if (msg == NULL || !json_object_is_type(msg, json_type_object)) {
		snprintf(r->error, sizeof r->error, "provider answer has no choices[0].message");
		goto out;
	}
	if (json_object_object_get_ex(msg, "content", &content) && json_object_is_type(content, json_type_string)) {
		if (buf_append(&r->text, json_object_get_string(content), (size_t)json_object_get_string_len(content)) !=
		    CF_OK) {
			snprintf(r->error, sizeof r->error, "reply too long");
			goto out;
		}
	}
	struct json_object *finish = first_choice_field(obj, "finish_reason");
	if (finish != NULL && json_object_is_type(finish, json_type_string))
		llm_set_finish_reason(r, json_object_get_string(finish), (size_t)json_object_get_string_len(finish));
	read_usage(obj, r);
	st = CF_OK;
out:
	json_object_put(obj);
	return st;
}

cf_status llm_openai_complete(const struct llm_call *call, struct llm_result *r)
{
	const struct llm_provider *pv = call->provider;
	bool azure = strcmp(pv->type, "azure") == 0;
	char url[1024], auth[1024];
	struct curl_slist *headers = NULL;
	struct json_object *req = NULL;
	struct buf body;
	buf_init(&body, 0);
	cf_status st = CF_E_UPSTREAM;
	if (azure) {
		if (!azure_name_ok(pv->model) || pv->base_url[0] == '\0') {
			snprintf(r->error, sizeof r->error, "azure needs a base URL and a deployment name as model");
			st = CF_E_CONFIG;
			goto out;
		}
		char path[512];
		snprintf(path, sizeof path, "/openai/deployments/%s/chat/completions?api-version=%s", pv->model,
		         pv->api_version[0] ? pv->api_version : AZURE_DEFAULT_API_VERSION);
		llm_join_url(url, sizeof url, pv->base_url, "", path);
		snprintf(auth, sizeof auth, "api-key: %s", pv->api_key ? pv->api_key : "");
	} else {
		llm_join_url(url, sizeof url, pv->base_url, OPENAI_DEFAULT_BASE, "/chat/completions");
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", pv->api_key ? pv->api_key : "");
	}
	if (pv->api_key != NULL && pv->api_key[0] != '\0')
		headers = curl_slist_append(headers, auth);
	if (call->on_delta != NULL)
		headers = curl_slist_append(headers, "Accept: text/event-stream");
	req = request_body(call);
	struct stream_state ss = {call, r, false};
	struct llm_http_post post = {url, headers, json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN),
	                             call->on_delta != NULL, on_event, &ss, &r->delivered};
	long status = 0;
	st = llm_http_post(&post, &status, &body, r);
	if (st != CF_OK)
		goto out;
	if (call->on_delta == NULL) {
		st = parse_plain(&body, r);
	} else if (!ss.done) {
		snprintf(r->error, sizeof r->error, "provider stream ended before its end marker");
		st = CF_E_UPSTREAM;
	}
out:
	explicit_bzero(auth, sizeof auth);
	curl_slist_free_all(headers);
	json_object_put(req);
	buf_free(&body);
	return st;
}
