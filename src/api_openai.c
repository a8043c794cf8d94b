/* api_openai.c - the OpenAI-compatible chat-completions endpoint
 * (docs/API.md §6): POST /api/openai/{id}/chat/completions and
 * /api/openai/{id}/v{version}/chat/completions. Each call creates a session
 * from the earlier messages and answers the last one through the
 * conversation engine; "stream": true answers with chat.completion.chunk
 * Server-Sent Events forwarded as the provider produces them. The request
 * parsers (openai_parse_messages, openai_parse_response_format,
 * openai_parse_user) read OpenAI's field shapes and hold no HTTP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "api.h"
#include "api_validate.h"
#include "chatbots.h"
#include "conversation.h"
#include "ids.h"
#include "limits.h"
#include "log.h"
#include "openai_shared.h"
#include "utf8.h"
#include "sessions.h"
#include "validate.h"
#include "webhooks.h"
#include "xalloc.h"

/* A validated request: earlier messages (normalised) and the last text. */
struct completion_request {
	struct json_object *history;   /* owned array of {"role","content"} */
	struct json_object *user_text; /* owned string */
	bool stream;
	bool include_usage;
	struct llm_response_format format;   /* format.json_schema: owned */
	struct json_object *participant;     /* owned string ("user"); NULL = the caller's e-mail */
};

static void completion_request_free(struct completion_request *rq)
{
	json_object_put(rq->history);
	json_object_put(rq->user_text);
	json_object_put(rq->participant);
	free((char *)rq->format.json_schema);
	memset(rq, 0, sizeof *rq);
}

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

/* The error text of a failed parse: a fixed message or field errors
 * rendered as JSON text (§6.2). Caller frees. */
static char *errors_text(struct field_errors *fe)
{
	struct json_object *errors = field_errors_take(fe);
	char *text = xstrdup(json_object_to_json_string_ext(errors, JSON_C_TO_STRING_PLAIN));
	json_object_put(errors);
	return text;
}

/* True for an assistant turn with "" content (null is normalised to "")
 * and no tool calls: SDKs send one after an empty reply (§6.1). */
static bool empty_assistant_turn(struct json_object *m)
{
	struct json_object *role, *content, *calls;
	return json_object_object_get_ex(m, "role", &role) && json_object_is_type(role, json_type_string) &&
	       strcmp(json_object_get_string(role), "assistant") == 0 &&
	       json_object_object_get_ex(m, "content", &content) && json_object_is_type(content, json_type_string) &&
	       json_object_get_string_len(content) == 0 &&
	       (!json_object_object_get_ex(m, "tool_calls", &calls) || calls == NULL ||
	        (json_object_is_type(calls, json_type_array) && json_object_array_length(calls) == 0));
}

/* One message as the engine takes it: content normalised (text parts
 * joined; null → "" for an assistant turn), "developer" read as "system".
 * NULL when a content part is not text. Caller owns the result. */
static struct json_object *normalise_message(struct json_object *m)
{
	struct json_object *copy = json_object_new_object(), *content, *role;
	bool assistant = json_object_object_get_ex(m, "role", &role) && json_object_is_type(role, json_type_string) &&
	                 strcmp(json_object_get_string(role), "assistant") == 0;
	json_object_object_foreach(m, key, val) {
		if (strcmp(key, "content") == 0)
			continue;
		if (strcmp(key, "role") == 0 && json_object_is_type(val, json_type_string) &&
		    strcmp(json_object_get_string(val), "developer") == 0)
			json_object_object_add(copy, key, json_object_new_string("system"));
		else
			json_object_object_add(copy, key, json_object_get(val));
	}
	if (json_object_object_get_ex(m, "content", &content)) {
		struct json_object *text = content == NULL && assistant ? json_object_new_string("") : normalise_content(content);
		if (text == NULL) {
			json_object_put(copy);
			return NULL;
		}
		json_object_object_add(copy, "content", text);
	}
	return copy;
}

/* The earlier messages as §5 input, each empty assistant turn validated as
 * a non-empty one would be (so every other error keeps its index). */
static bool validate_history(struct json_object *history, struct field_errors *fe)
{
	struct json_object *check = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(history); i++) {
		struct json_object *m = json_object_array_get_idx(history, i);
		if (json_object_is_type(m, json_type_object) && empty_assistant_turn(m)) {
			struct json_object *stand_in = json_object_new_object();
			json_object_object_add(stand_in, "role", json_object_new_string("assistant"));
			json_object_object_add(stand_in, "content", json_object_new_string("-"));
			json_object_array_add(check, stand_in);
		} else {
			json_object_array_add(check, json_object_get(m));
		}
	}
	bool ok = validate_message_list(check, fe);
	json_object_put(check);
	return ok;
}

/* Steps 1-5 of §6.2 on "messages" (may be NULL: absent): *history gets
 * the normalised earlier messages and *user_text the last message's text
 * (both owned by the caller). On failure false, *error = the message
 * (caller frees) and nothing in *history / *user_text. */
bool openai_parse_messages(struct json_object *messages, struct json_object **history,
                           struct json_object **user_text, char **error)
{
	struct json_object *normal = NULL;
	bool ok = false;
	*history = *user_text = NULL;
	*error = NULL;
	if (messages != NULL && !json_object_is_type(messages, json_type_array)) {
		*error = xstrdup("messages must be an array");
		goto out;
	}
	size_t n = messages ? json_object_array_length(messages) : 0;
	if (n > CF_MAX_CHAT_MESSAGES) {
		*error = xstrdup("Too many messages");
		goto out;
	}
	normal = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(messages, i);
		if (!json_object_is_type(m, json_type_object)) {
			json_object_array_add(normal, json_object_get(m));   /* rejected by validation below */
			continue;
		}
		struct json_object *copy = normalise_message(m);
		if (copy == NULL) {
			*error = xstrdup("Only text messages are supported");
			goto out;
		}
		json_object_array_add(normal, copy);
	}
	if (n == 0) {
		*error = xstrdup("No messages provided");
		goto out;
	}
	struct json_object *last = json_object_array_get_idx(normal, n - 1), *role = NULL, *content = NULL;
	if (!json_object_is_type(last, json_type_object) || !json_object_object_get_ex(last, "role", &role) ||
	    !json_object_is_type(role, json_type_string) || strcmp(json_object_get_string(role), "user") != 0) {
		*error = xstrdup("Last message must be a user message");
		goto out;
	}
	if (!json_object_object_get_ex(last, "content", &content) || !json_object_is_type(content, json_type_string) ||
	    is_blank(json_object_get_string(content))) {
		*error = xstrdup("The last message must have text content");
		goto out;
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
		*error = xstrdup(bst == CF_OK ? buf_str(&msg) : "Message too long");
		buf_free(&msg);
		goto out;
	}
	struct json_object *text = json_object_get(content);
	json_object_array_del_idx(normal, n - 1, 1);
	struct field_errors fe;
	field_errors_init(&fe);
	if (!validate_history(normal, &fe)) {
		*error = errors_text(&fe);
		json_object_put(text);
	} else {
		*history = normal;
		normal = NULL;
		*user_text = text;
		ok = true;
	}
	field_errors_free(&fe);
out:
	json_object_put(normal);
	return ok;
}

/* OpenAI's structured-output names: 1-64 of a-z, A-Z, 0-9, '_' and '-'. */
static bool schema_name_ok(struct json_object *name)
{
	if (!json_object_is_type(name, json_type_string))
		return false;
	const char *s = json_object_get_string(name);
	size_t len = (size_t)json_object_get_string_len(name);
	if (len == 0 || len > CF_OPENAI_SCHEMA_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* "response_format" (v may be NULL: absent or null = text): {"type":
 * "text"}, {"type": "json_object"} or {"type": "json_schema",
 * "json_schema": {"name", "schema"?, "strict"?, "description"?}}. Errors
 * go under "response_format" in fe. out->json_schema is the json_schema
 * object as JSON text, owned by the caller (free). */
bool openai_parse_response_format(struct json_object *v, struct field_errors *fe, struct llm_response_format *out)
{
	struct json_object *type, *js, *x;
	memset(out, 0, sizeof *out);
	if (v == NULL)
		return true;
	const char *why = NULL;
	if (!json_object_is_type(v, json_type_object) || !json_object_object_get_ex(v, "type", &type) ||
	    !json_object_is_type(type, json_type_string)) {
		why = "Expected an object with a \"type\" of \"text\", \"json_object\" or \"json_schema\".";
	} else if (strcmp(json_object_get_string(type), "text") == 0) {
		out->type = LLM_FORMAT_TEXT;
	} else if (strcmp(json_object_get_string(type), "json_object") == 0) {
		out->type = LLM_FORMAT_JSON_OBJECT;
	} else if (strcmp(json_object_get_string(type), "json_schema") != 0) {
		why = "\"type\" must be \"text\", \"json_object\" or \"json_schema\".";
	} else if (!json_object_object_get_ex(v, "json_schema", &js) || !json_object_is_type(js, json_type_object)) {
		why = "\"json_schema\" must be an object.";
	} else if (!json_object_object_get_ex(js, "name", &x) || !schema_name_ok(x)) {
		why = "\"json_schema.name\" must be 1 to 64 letters, digits, '_' or '-'.";
	} else if (json_object_object_get_ex(js, "schema", &x) && !json_object_is_type(x, json_type_object)) {
		why = "\"json_schema.schema\" must be an object.";
	} else if (json_object_object_get_ex(js, "strict", &x) && x != NULL && !json_object_is_type(x, json_type_boolean)) {
		why = "\"json_schema.strict\" must be a boolean.";
	} else {
		out->type = LLM_FORMAT_JSON_SCHEMA;
		out->json_schema = xstrdup(json_object_to_json_string_ext(js, JSON_C_TO_STRING_PLAIN));
	}
	if (why != NULL)
		field_errors_add(fe, "response_format", why);
	return why == NULL;
}

/* "user" (v may be NULL: absent or null): the participant's identifier,
 * as POST /api/sessions/'s "participant" (§7.2). *out is a new reference
 * owned by the caller, NULL when absent. */
bool openai_parse_user(struct json_object *v, struct field_errors *fe, struct json_object **out)
{
	const char *id;
	*out = NULL;
	if (v == NULL)
		return true;
	if (!validate_string(fe, "user", v, false, CF_PARTICIPANT_ID_MAX, &id))
		return false;
	*out = json_object_get(v);
	return true;
}

/* §6.1 and steps 1-5 of §6.2 (everything before the lookup). On failure the
 * OpenAI-style error is in resp and false is returned; *out is then empty. */
static bool parse_request(struct handler_ctx *ctx, struct json_object *body, struct completion_request *out)
{
	struct json_object *v = NULL;
	char *error = NULL;
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
	v = NULL;
	(void)json_object_object_get_ex(body, "messages", &v);
	if (openai_parse_messages(v, &out->history, &out->user_text, &error)) {
		struct field_errors fe;
		field_errors_init(&fe);
		v = NULL;
		(void)json_object_object_get_ex(body, "response_format", &v);
		bool ok = openai_parse_response_format(v, &fe, &out->format);
		v = NULL;
		(void)json_object_object_get_ex(body, "user", &v);
		ok = openai_parse_user(v, &fe, &out->participant) && ok;
		if (!ok)
			error = errors_text(&fe);
		field_errors_free(&fe);
	}
	if (error == NULL)
		return true;
	/* the param: the first field at fault when the error is field errors
	 * (their JSON text), else the messages list as a whole */
	char param[128] = "messages";
	struct json_object *fields = error[0] == '{' ? json_tokener_parse(error) : NULL;
	if (fields != NULL && !openai_error_param(fields, param, sizeof param))
		param[0] = '\0';
	json_object_put(fields);
	reply_openai_error_at(ctx->resp, CF_E_BAD_REQUEST, error, param[0] ? param : NULL, NULL);
	free(error);
	completion_request_free(out);
	return false;
}

/* ---- Server-Sent Events in OpenAI's chunk format ---- */

struct chunk_stream {
	struct response *resp;
	const char *id;
	const char *model;
	long created;
};

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
	return openai_sse_send(cs->resp, NULL, chunk(cs, delta, NULL));
}

/* The client closed the stream: the provider call stops (§6.3). */
static bool listener_gone(void *ctx)
{
	struct chunk_stream *cs = ctx;
	return response_stream_gone(cs->resp);
}

static struct json_object *usage_json(const struct conversation_reply *r)
{
	struct json_object *u = json_object_new_object();
	json_object_object_add(u, "prompt_tokens", json_object_new_int64(r->prompt_tokens));
	json_object_object_add(u, "completion_tokens", json_object_new_int64(r->completion_tokens));
	json_object_object_add(u, "total_tokens", json_object_new_int64(r->prompt_tokens + r->completion_tokens));
	return u;
}

static void finish_stream(struct chunk_stream *cs, const struct completion_request *rq, cf_status st,
                          const struct conversation_reply *reply)
{
	if (st != CF_OK) {
		struct json_object *err = json_object_new_object(), *inner = json_object_new_object();
		json_object_object_add(inner, "message", json_object_new_string(openai_failure_message(st)));
		json_object_object_add(inner, "type", json_object_new_string(cf_status_openai_type(openai_failure_status(st))));
		json_object_object_add(inner, "param", NULL);
		json_object_object_add(inner, "code", json_object_new_int(cf_status_http(openai_failure_status(st))));
		json_object_object_add(err, "error", inner);
		cf_status gone = openai_sse_send(cs->resp, NULL, err);   /* the last frame: nothing follows either way */
		(void)gone;
		return;
	}
	if (openai_sse_send(cs->resp, NULL, chunk(cs, json_object_new_object(), reply->finish_reason)) != CF_OK)
		return;
	if (rq->include_usage && reply->have_usage) {
		struct json_object *obj = chunk(cs, NULL, NULL);
		json_object_object_add(obj, "usage", usage_json(reply));
		if (openai_sse_send(cs->resp, NULL, obj) != CF_OK)
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
	json_object_object_add(choice, "finish_reason", json_object_new_string(r->finish_reason));
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
	struct chatbot_row experiment;
	struct chatbot_turn_hints hints;
	/* One read for the chatbot, its version and what the new session needs
	 * (the turn's context is the second: conversation.c). */
	const char *participant = rq.participant ? json_object_get_string(rq.participant) : ctx->who->user_email;
	st = openai_resolve_chatbot(ctx, participant, &experiment, &bot, &hints);
	if (st == CF_E_NOT_FOUND) {   /* the 404 is replied */
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (*participant == '\0') {
		/* A machine token has no user whose e-mail names the participant:
		 * "user" must (upstream's ExperimentSessionCreateSerializer.create). */
		struct json_object *why = json_object_new_object();
		json_object_object_add(why, "participant", json_object_new_string("This field is required."));
		reply_fields(ctx->resp, why);
		goto out;
	}
	if (bot.has_provider && !llm_format_supported(bot.provider.type, rq.format.type)) {
		/* Before the session is made: a request the provider cannot
		 * honour leaves nothing behind. */
		char msg[160];
		snprintf(msg, sizeof msg, "This chatbot's LLM provider (%.32s) does not support response_format %s.",
		         bot.provider.type, rq.format.type == LLM_FORMAT_JSON_SCHEMA ? "json_schema" : "json_object");
		reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, msg);
		goto out;
	}
	if (!hints.team_has_webhooks)
		webhooks_hint_no_endpoints(ctx->who->team_id);
	struct session_create create = {experiment, participant, rq.history, "{}", hints.api_participant_id,
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
	turn.format = &rq.format;
	struct chunk_stream cs = {ctx->resp, session_id, bot.provider.model, (long)time(NULL)};
	if (rq.stream) {
		if (response_stream_begin(ctx->resp, "text/event-stream") == CF_OK) {
			struct json_object *delta = json_object_new_object();
			json_object_object_add(delta, "role", json_object_new_string("assistant"));
			json_object_object_add(delta, "content", json_object_new_string(""));
			cf_status gone = openai_sse_send(cs.resp, NULL, chunk(&cs, delta, NULL));
			(void)gone;
		}
		turn.on_delta = on_delta;
		turn.delta_ctx = &cs;
		turn.listener_gone = listener_gone;
	}
	st = conversation_respond(db, &turn, &reply);
	if (rq.stream) {
		finish_stream(&cs, &rq, st, &reply);
		st = CF_OK;
	} else if (st == CF_OK) {
		reply_json(ctx->resp, completion_json(session_id, bot.provider.model, &reply));
	} else {
		reply_openai_error(ctx->resp, openai_failure_status(st), openai_failure_message(st));
		response_retry_hint(ctx->resp, openai_failure_retry(st, &reply), reply.provider_retry_after_s);
		st = CF_OK;
	}
out:
	conversation_reply_free(&reply);
	chatbot_version_free(&bot);
	completion_request_free(&rq);
	json_object_put(body);
	return st;
}
