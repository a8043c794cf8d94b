/* api_openai.c - the OpenAI-compatible chat-completions endpoint
 * (docs/API.md §6): POST /api/openai/{id}/chat/completions and
 * /api/openai/{id}/v{version}/chat/completions. Each call creates a session
 * from the earlier messages and answers the last one through the
 * conversation engine; "stream": true answers with chat.completion.chunk
 * Server-Sent Events forwarded as the provider produces them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "api.h"
#include "chatbots.h"
#include "conversation.h"
#include "ids.h"
#include "limits.h"
#include "log.h"
#include "utf8.h"
#include "sessions.h"
#include "validate.h"
#include "webhooks.h"

/* A validated request: earlier messages (normalised) and the last text. */
struct completion_request {
	struct json_object *history;   /* owned array of {"role","content"} */
	struct json_object *user_text; /* owned string */
	bool stream;
	bool include_usage;
};

/* Joins text parts with single spaces; NULL when a part is not text. */
static struct json_object *normalise_content(struct json_object *content)
{
	if (!json_object_is_type(content, json_type_array))
		return json_object_get(content);
	struct buf joined;
	buf_init(&joined, CF_MAX_BODY_BYTES_CEILING);
	size_t n = json_object_array_length(content);
	for (size_t i = 0; i < n; i++) {
		struct json_object *part = json_object_array_get_idx(content, i), *type, *text;
		if (!json_object_is_type(part, json_type_object) || !json_object_object_get_ex(part, "type", &type) ||
		    !json_object_is_type(type, json_type_string) || strcmp(json_object_get_string(type), "text") != 0 ||
		    !json_object_object_get_ex(part, "text", &text) || !json_object_is_type(text, json_type_string) ||
		    (i > 0 && buf_append(&joined, " ", 1) != CF_OK) ||
		    buf_append(&joined, json_object_get_string(text), (size_t)json_object_get_string_len(text)) != CF_OK) {
			buf_free(&joined);
			return NULL;
		}
	}
	struct json_object *out = json_object_new_string_len(buf_str(&joined), (int)joined.len);
	buf_free(&joined);
	return out;
}

/* A 400 naming messages[index].field as OpenAI does ("messages.[2].role"). */
static void reply_message_error(struct response *resp, size_t index, const char *field, const char *msg)
{
	char param[64];
	snprintf(param, sizeof param, "messages.[%zu].%s", index, field);
	reply_openai_error_at(resp, CF_E_BAD_REQUEST, msg, param, NULL);
}

/* §6.1 and steps 1-5 of §6.2 (everything before the lookup). On failure the
 * OpenAI-style error is in resp and false is returned. */
static bool parse_request(struct handler_ctx *ctx, struct json_object *body, struct completion_request *out)
{
	struct json_object *messages = NULL, *v;
	memset(out, 0, sizeof *out);
	if (!json_object_is_type(body, json_type_object)) {
		reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, "The request body must be a JSON object");
		return false;
	}
	if (json_object_object_get_ex(body, "stream", &v) && json_object_is_type(v, json_type_boolean))
		out->stream = json_object_get_boolean(v);
	struct json_object *so, *iu;
	if (json_object_object_get_ex(body, "stream_options", &so) && json_object_object_get_ex(so, "include_usage", &iu))
		out->include_usage = json_object_is_type(iu, json_type_boolean) && json_object_get_boolean(iu);
	if (json_object_object_get_ex(body, "messages", &messages) && messages != NULL &&
	    !json_object_is_type(messages, json_type_array)) {
		reply_openai_error_at(ctx->resp, CF_E_BAD_REQUEST, "messages must be an array", "messages", NULL);
		return false;
	}
	size_t n = messages ? json_object_array_length(messages) : 0;
	if (n > CF_MAX_CHAT_MESSAGES) {
		reply_openai_error_at(ctx->resp, CF_E_BAD_REQUEST, "Too many messages", "messages", NULL);
		return false;
	}
	struct json_object *normal = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(messages, i), *content;
		if (!json_object_is_type(m, json_type_object)) {
			json_object_array_add(normal, json_object_get(m));   /* rejected by validation below */
			continue;
		}
		struct json_object *copy = json_object_new_object();
		json_object_object_foreach(m, key, val) {
			if (strcmp(key, "content") != 0)
				json_object_object_add(copy, key, json_object_get(val));
		}
		if (json_object_object_get_ex(m, "content", &content)) {
			struct json_object *text = normalise_content(content);
			if (text == NULL) {
				json_object_put(copy);
				json_object_put(normal);
				reply_message_error(ctx->resp, i, "content", "Only text messages are supported");
				return false;
			}
			json_object_object_add(copy, "content", text);
		}
		json_object_array_add(normal, copy);
	}
	if (n == 0) {
		json_object_put(normal);
		reply_openai_error_at(ctx->resp, CF_E_BAD_REQUEST, "No messages provided", "messages", NULL);
		return false;
	}
	struct json_object *last = json_object_array_get_idx(normal, n - 1), *role = NULL, *content = NULL;
	if (!json_object_is_type(last, json_type_object) || !json_object_object_get_ex(last, "role", &role) ||
	    !json_object_is_type(role, json_type_string) || strcmp(json_object_get_string(role), "user") != 0) {
		json_object_put(normal);
		reply_message_error(ctx->resp, n - 1, "role", "Last message must be a user message");
		return false;
	}
	if (!json_object_object_get_ex(last, "content", &content) || !json_object_is_type(content, json_type_string) ||
	    is_blank(json_object_get_string(content))) {
		json_object_put(normal);
		reply_message_error(ctx->resp, n - 1, "content", "The last message must have text content");
		return false;
	}
	if (utf8_length(json_object_get_string(content), (size_t)json_object_get_string_len(content)) >
	    CF_MAX_MESSAGE_CHARS) {
		/* The same rendering as an earlier message's field error, at the
		 * last message's index. */
		struct buf msg;
		buf_init(&msg, (size_t)n * 4 + 160);
		cf_status bst = buf_append_str(&msg, "{\"messages\":[");
		for (size_t i = 0; bst == CF_OK && i + 1 < n; i++)
			bst = buf_append_str(&msg, "{},");
		if (bst == CF_OK)
			bst = buf_printf(&msg, "{\"content\":[\"Ensure this field has no more than %d characters.\"]}]}",
			                 CF_MAX_MESSAGE_CHARS);
		reply_message_error(ctx->resp, n - 1, "content", bst == CF_OK ? buf_str(&msg) : "Message too long");
		buf_free(&msg);
		json_object_put(normal);
		return false;
	}
	out->user_text = json_object_get(content);
	json_object_array_del_idx(normal, n - 1, 1);
	struct field_errors fe;
	field_errors_init(&fe);
	if (!validate_message_list(normal, &fe)) {
		reply_openai_field_errors(ctx->resp, field_errors_take(&fe));
		field_errors_free(&fe);
		json_object_put(normal);
		json_object_put(out->user_text);
		out->user_text = NULL;
		return false;
	}
	field_errors_free(&fe);
	out->history = normal;
	return true;
}

/* ---- Server-Sent Events in OpenAI's chunk format ---- */

struct chunk_stream {
	struct response *resp;
	const char *id;
	const char *model;
	long created;
};

static cf_status send_event(struct chunk_stream *cs, struct json_object *obj)
{
	const char *json = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(json);
	char *frame = malloc(len + 9);
	cf_status st = CF_E_INTERNAL;
	if (frame != NULL) {
		memcpy(frame, "data: ", 6);
		memcpy(frame + 6, json, len);
		memcpy(frame + 6 + len, "\n\n", 3);
		st = response_stream_write(cs->resp, frame, len + 8);
		free(frame);
	}
	json_object_put(obj);
	return st;
}

static struct json_object *chunk(const struct chunk_stream *cs, struct json_object *delta, const char *finish)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(cs->id));
	json_object_object_add(obj, "object", json_object_new_string("chat.completion.chunk"));
	json_object_object_add(obj, "created", json_object_new_int64(cs->created));
	json_object_object_add(obj, "model", json_object_new_string(cs->model));
	struct json_object *choices = json_object_new_array();
	if (delta != NULL) {
		struct json_object *choice = json_object_new_object();
		json_object_object_add(choice, "index", json_object_new_int(0));
		json_object_object_add(choice, "delta", delta);
		json_object_object_add(choice, "finish_reason", finish ? json_object_new_string(finish) : NULL);
		json_object_array_add(choices, choice);
	}
	json_object_object_add(obj, "choices", choices);
	return obj;
}

static cf_status on_delta(void *ctx, const char *text, size_t len)
{
	struct chunk_stream *cs = ctx;
	struct json_object *delta = json_object_new_object();
	json_object_object_add(delta, "content", json_object_new_string_len(text, (int)len));
	return send_event(cs, chunk(cs, delta, NULL));
}

static struct json_object *usage_json(const struct conversation_reply *r)
{
	struct json_object *u = json_object_new_object();
	json_object_object_add(u, "prompt_tokens", json_object_new_int64(r->prompt_tokens));
	json_object_object_add(u, "completion_tokens", json_object_new_int64(r->completion_tokens));
	json_object_object_add(u, "total_tokens", json_object_new_int64(r->prompt_tokens + r->completion_tokens));
	return u;
}

static const char *failure_message(cf_status st)
{
	switch (st) {
	case CF_E_TIMEOUT:
		return "The chatbot's LLM provider did not answer in time.";
	case CF_E_UPSTREAM:
		return "The chatbot's LLM provider failed to answer.";
	case CF_E_CONFIG:
		return "The chatbot has no usable LLM provider configured.";
	default:
		return "The chatbot failed to answer.";
	}
}

/* Provider failures keep their status (502/504); anything else is 500. */
static cf_status failure_status(cf_status st)
{
	return (st == CF_E_TIMEOUT || st == CF_E_UPSTREAM) ? st : CF_E_INTERNAL;
}

/* Whether the client's retry can help (docs/API.md §1.2.1): a provider that
 * was unreachable, slow, rate-limited or failing (5xx) may recover; one
 * that refused the request (4xx) or answered garbage will do it again, as
 * will a chatbot without a usable provider (CF_E_CONFIG). */
static enum cf_retry failure_retry(cf_status st, const struct conversation_reply *r)
{
	if (st == CF_E_UPSTREAM || st == CF_E_TIMEOUT)
		return r->provider_transient ? CF_RETRY_YES : CF_RETRY_NO;
	return cf_status_retry(st);
}

static void finish_stream(struct chunk_stream *cs, const struct completion_request *rq, cf_status st,
                          const struct conversation_reply *reply)
{
	if (st != CF_OK) {
		struct json_object *err = json_object_new_object(), *inner = json_object_new_object();
		json_object_object_add(inner, "message", json_object_new_string(failure_message(st)));
		json_object_object_add(inner, "type", json_object_new_string(cf_status_openai_type(failure_status(st))));
		json_object_object_add(inner, "param", NULL);
		json_object_object_add(inner, "code", json_object_new_int(cf_status_http(failure_status(st))));
		json_object_object_add(err, "error", inner);
		(void)send_event(cs, err);
		return;
	}
	if (send_event(cs, chunk(cs, json_object_new_object(), "stop")) != CF_OK)
		return;
	if (rq->include_usage && reply->have_usage) {
		struct json_object *obj = chunk(cs, NULL, NULL);
		json_object_object_add(obj, "usage", usage_json(reply));
		if (send_event(cs, obj) != CF_OK)
			return;
	}
	if (response_stream_write(cs->resp, "data: [DONE]\n\n", 14) != CF_OK)
		log_debug("completions: client left before the end of the stream");
}

static struct json_object *completion_json(const char *id, const char *model, const struct conversation_reply *r)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(id));
	json_object_object_add(obj, "object", json_object_new_string("chat.completion"));
	json_object_object_add(obj, "created", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(obj, "model", json_object_new_string(model));
	struct json_object *choice = json_object_new_object(), *message = json_object_new_object();
	json_object_object_add(choice, "index", json_object_new_int(0));
	json_object_object_add(choice, "finish_reason", json_object_new_string("stop"));
	json_object_object_add(message, "role", json_object_new_string("assistant"));
	json_object_object_add(message, "content", json_object_new_string(r->text));
	json_object_object_add(choice, "message", message);
	struct json_object *choices = json_object_new_array();
	json_object_array_add(choices, choice);
	json_object_object_add(obj, "choices", choices);
	if (r->have_usage)
		json_object_object_add(obj, "usage", usage_json(r));
	return obj;
}

cf_status api_openai_completions(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	struct json_object *body = NULL;
	struct completion_request rq;
	struct chatbot_version bot;
	struct conversation_reply reply;
	memset(&rq, 0, sizeof rq);
	memset(&bot, 0, sizeof bot);
	memset(&reply, 0, sizeof reply);
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	if (!parse_request(ctx, body, &rq))
		goto out;
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(route_param(ctx->match, "id"), norm);
	const char *vparam = route_param(ctx->match, "version");
	long version = vparam ? strtol(vparam, NULL, 10) : CHATBOT_VERSION_DEFAULT;
	struct chatbot_row experiment;
	struct chatbot_turn_hints hints;
	/* One read for the chatbot, its version and what the new session needs
	 * (the turn's context is the second: conversation.c). */
	st = chatbots_resolve(db, ctx->who->team_id, norm, version, ctx->who->user_email, false, &experiment, &bot, &hints);
	if (st == CF_E_NOT_FOUND) {
		reply_openai_error_at(ctx->resp, st, experiment.id == 0 ? "No Experiment matches the given query." : NULL, NULL,
		                      "model_not_found");
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (!hints.team_has_webhooks)
		webhooks_hint_no_endpoints(ctx->who->team_id);
	struct session_create create = {experiment, ctx->who->user_email, rq.history, "{}", hints.api_participant_id,
	                                hints.api_channel_id};
	struct session_row created;
	st = sessions_create(db, ctx->who, &create, &created);
	if (st != CF_OK)
		goto out;
	const char *session_id = created.external_id;
	/* The session just made, as the engine needs it: no read. */
	struct conversation_turn turn;
	memset(&turn, 0, sizeof turn);
	turn.team_id = created.team_id;
	turn.session_id = created.id;
	turn.chat_id = created.chat_id;
	turn.participant_id = created.participant_id;
	turn.experiment_id = created.chatbot_id;
	turn.bot = &bot;
	turn.user_text = json_object_get_string(rq.user_text);
	turn.store_user_message = true;
	struct chunk_stream cs = {ctx->resp, session_id, bot.provider.model, (long)time(NULL)};
	if (rq.stream) {
		if (response_stream_begin(ctx->resp, "text/event-stream") == CF_OK) {
			struct json_object *delta = json_object_new_object();
			json_object_object_add(delta, "role", json_object_new_string("assistant"));
			json_object_object_add(delta, "content", json_object_new_string(""));
			(void)send_event(&cs, chunk(&cs, delta, NULL));
		}
		turn.on_delta = on_delta;
		turn.delta_ctx = &cs;
	}
	st = conversation_respond(db, &turn, &reply);
	if (rq.stream) {
		finish_stream(&cs, &rq, st, &reply);
		st = CF_OK;
	} else if (st == CF_OK) {
		reply_json(ctx->resp, completion_json(session_id, bot.provider.model, &reply));
	} else {
		reply_openai_error(ctx->resp, failure_status(st), failure_message(st));
		response_retry_hint(ctx->resp, failure_retry(st, &reply), reply.provider_retry_after_s);
		st = CF_OK;
	}
out:
	conversation_reply_free(&reply);
	chatbot_version_free(&bot);
	json_object_put(rq.history);
	json_object_put(rq.user_text);
	json_object_put(body);
	return st;
}
