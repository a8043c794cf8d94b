/* api_responses.c - OpenAI's Responses API over the conversation engine
 * (docs/API.md §6.5): POST /api/openai/{id}[/v{version}]/responses, plain or
 * as the Responses event stream, previous_response_id continuing the same
 * session, and GET .../responses/{response_id}. */
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
#include "message_role.h"
#include "openai_shared.h"
#include "sessions.h"
#include "store_messages.h"
#include "utf8.h"
#include "validate.h"
#include "webhooks.h"

/* A response id is "resp_" + the session's UUID as 32 hex digits + the
 * user message's id as 16 hex digits; the output item's id is the same
 * with "msg_". The id is kept in the AI message's metadata, and a lookup
 * is scoped by team, chatbot and session: an id of another team, or one
 * made up, finds nothing. */
#define RESPONSE_HEX_LEN (32 + 16)
#define RESPONSE_ID_LEN (5 + RESPONSE_HEX_LEN)
#define RESPONSE_ID_MAX (RESPONSE_ID_LEN + 1)

/* A validated request. */
struct responses_request {
	struct json_object *history;    /* owned array of {"role","content"}: instructions, earlier items */
	struct json_object *user_text;  /* owned string: the last input item */
	struct json_object *instructions;   /* borrowed from the body, or NULL */
	const char *previous;           /* borrowed previous_response_id, or NULL */
	const char *user;               /* borrowed "user": the participant, or NULL (the caller's e-mail) */
	bool stream;
	bool store;
};

/* Text of a message item's content: a string, or parts of type input_text
 * or output_text joined with single spaces. NULL when a part is not text. */
static struct json_object *item_text(struct json_object *content)
{
	if (json_object_is_type(content, json_type_string))
		return json_object_get(content);
	if (!json_object_is_type(content, json_type_array))
		return NULL;
	struct buf joined;
	buf_init(&joined, CF_MAX_BODY_BYTES_CEILING);
	struct json_object *out = NULL;
	size_t n = json_object_array_length(content);
	cf_status st = CF_OK;
	for (size_t i = 0; st == CF_OK && i < n; i++) {
		struct json_object *part = json_object_array_get_idx(content, i), *type = NULL, *text = NULL;
		const char *t = json_object_object_get_ex(part, "type", &type) ? json_object_get_string(type) : NULL;
		if (t == NULL || (strcmp(t, "input_text") != 0 && strcmp(t, "output_text") != 0) ||
		    !json_object_object_get_ex(part, "text", &text) || !json_object_is_type(text, json_type_string))
			st = CF_E_BAD_REQUEST;
		if (st == CF_OK && i > 0)
			st = buf_append(&joined, " ", 1);
		if (st == CF_OK)
			st = buf_append(&joined, json_object_get_string(text), (size_t)json_object_get_string_len(text));
	}
	if (st == CF_OK)
		out = json_object_new_string_len(buf_str(&joined), (int)joined.len);
	buf_free(&joined);
	return out;
}

/* One input item as {"role","content"} (developer -> system), or NULL with
 * *why set. */
static struct json_object *item_message(struct json_object *item, const char **why)
{
	struct json_object *type = NULL, *role, *content;
	if (!json_object_is_type(item, json_type_object)) {
		*why = "Each input item must be an object";
		return NULL;
	}
	const char *t = json_object_object_get_ex(item, "type", &type) && json_object_is_type(type, json_type_string)
	                        ? json_object_get_string(type)
	                        : NULL;
	struct json_object *ref;
	if (t != NULL && strcmp(t, "item_reference") == 0 && json_object_object_get_ex(item, "id", &ref) &&
	    json_object_is_type(ref, json_type_string)) {
		/* An earlier output item of ours, by id (the AI SDK sends these
		 * instead of the text when it stores): resolved by check_history. */
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "role", json_object_new_string("assistant"));
		json_object_object_add(m, "item_reference", json_object_get(ref));
		return m;
	}
	if (type != NULL && (t == NULL || strcmp(t, "message") != 0)) {
		*why = "Only message and item_reference input items are supported";
		return NULL;
	}
	if (!json_object_object_get_ex(item, "role", &role) || !json_object_is_type(role, json_type_string)) {
		*why = "Each input item needs a role";
		return NULL;
	}
	const char *r = json_object_get_string(role);
	if (strcmp(r, "developer") == 0)
		r = "system";
	struct json_object *text = json_object_object_get_ex(item, "content", &content) ? item_text(content) : NULL;
	if (text == NULL) {
		*why = "Only text input is supported (content as a string or input_text parts)";
		return NULL;
	}
	struct json_object *m = json_object_new_object();
	json_object_object_add(m, "role", json_object_new_string(r));
	json_object_object_add(m, "content", text);
	return m;
}

/* Fills out->history and out->user_text from input; the reason in *why
 * when it is refused. */
static bool parse_input(struct json_object *input, struct responses_request *out, const char **why)
{
	if (json_object_is_type(input, json_type_string)) {
		out->user_text = json_object_get(input);
		return true;
	}
	if (!json_object_is_type(input, json_type_array) || json_object_array_length(input) == 0) {
		*why = "input must be a string or a non-empty list of input items";
		return false;
	}
	size_t n = json_object_array_length(input);
	if (n > CF_MAX_CHAT_MESSAGES) {
		*why = "Too many input items";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = item_message(json_object_array_get_idx(input, i), why);
		if (m == NULL)
			return false;
		if (i + 1 < n) {
			json_object_array_add(out->history, m);
			continue;
		}
		struct json_object *role = json_object_object_get(m, "role");
		if (strcmp(json_object_get_string(role), "user") != 0) {
			json_object_put(m);
			*why = "The last input item must be a user message";
			return false;
		}
		out->user_text = json_object_get(json_object_object_get(m, "content"));
		json_object_put(m);
	}
	return true;
}

/* The optional fields read, in the order they are checked: null or absent
 * is the default. */
static const struct {
	const char *name;
	json_type type;
	const char *why;
} OPTIONAL_FIELDS[] = {
	{"stream", json_type_boolean, "stream must be a boolean"},
	{"store", json_type_boolean, "store must be a boolean"},
	{"instructions", json_type_string, "instructions must be a string"},
	{"previous_response_id", json_type_string, "previous_response_id must be a string"},
	{"user", json_type_string, "user must be a string"},
};

/* The request body (docs/API.md §6.5). On failure the OpenAI-style 400 is
 * in resp and false is returned; *out is freed by the caller either way. */
static bool parse_request(struct handler_ctx *ctx, struct json_object *body, struct responses_request *out)
{
	struct json_object *v = NULL;
	const char *why = NULL;
	memset(out, 0, sizeof *out);
	out->store = true;
	out->history = json_object_new_array();
	if (!json_object_is_type(body, json_type_object))
		why = "The request body must be a JSON object";
	for (size_t i = 0; why == NULL && i < sizeof OPTIONAL_FIELDS / sizeof OPTIONAL_FIELDS[0]; i++) {
		if (json_object_object_get_ex(body, OPTIONAL_FIELDS[i].name, &v) && v != NULL &&
		    !json_object_is_type(v, OPTIONAL_FIELDS[i].type))
			why = OPTIONAL_FIELDS[i].why;
	}
	if (why == NULL && (!json_object_object_get_ex(body, "input", &v) || v == NULL))
		why = "input is required";
	if (why == NULL) {
		out->stream = json_object_object_get_ex(body, "stream", &v) && json_object_get_boolean(v);
		if (json_object_object_get_ex(body, "store", &v) && v != NULL)
			out->store = json_object_get_boolean(v);
		if (json_object_object_get_ex(body, "previous_response_id", &v) && v != NULL)
			out->previous = json_object_get_string(v);
		if (json_object_object_get_ex(body, "user", &v) && v != NULL && !is_blank(json_object_get_string(v)))
			out->user = json_object_get_string(v);
		if (out->user != NULL && utf8_length(out->user, strlen(out->user)) > CF_PARTICIPANT_ID_MAX)
			why = "user is too long";
		if (json_object_object_get_ex(body, "instructions", &v) && v != NULL && !is_blank(json_object_get_string(v))) {
			out->instructions = v;
			struct json_object *m = json_object_new_object();
			json_object_object_add(m, "role", json_object_new_string("system"));
			json_object_object_add(m, "content", json_object_get(v));
			json_object_array_add(out->history, m);
		}
		if (why == NULL)
			(void)parse_input(json_object_object_get(body, "input"), out, &why);
	}
	/* A machine token has no user whose e-mail names the participant. */
	if (why == NULL && out->user == NULL && out->previous == NULL && ctx->who->machine)
		why = "user is required with a client-credentials token: it names the participant";
	if (why == NULL && is_blank(json_object_get_string(out->user_text)))
		why = "The last input item must have text content";
	if (why == NULL && utf8_length(json_object_get_string(out->user_text),
	                               (size_t)json_object_get_string_len(out->user_text)) > CF_MAX_MESSAGE_CHARS)
		why = "The last input item is too long";
	if (why != NULL)
		reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, why);
	return why == NULL;
}

static void responses_request_free(struct responses_request *rq)
{
	json_object_put(rq->history);
	json_object_put(rq->user_text);
	memset(rq, 0, sizeof *rq);
}

/* ---- response ids ---- */

static void response_id_make(const char *session_uuid, unsigned long long user_message_id, const char *prefix,
                             char out[RESPONSE_ID_MAX])
{
	char hex[33];
	size_t k = 0;
	for (const char *p = session_uuid; *p != '\0' && k < 32; p++) {
		if (*p != '-')
			hex[k++] = *p;
	}
	hex[k] = '\0';
	snprintf(out, RESPONSE_ID_MAX, "%s%s%016llx", prefix, hex, user_message_id);
}

/* Splits a response id into the session's UUID (hyphenated, lower case);
 * false when id is not of the form response_id_make writes. */
static bool response_id_parse(const char *id, char session_uuid[UUID_STR_LEN + 1])
{
	if (strlen(id) != RESPONSE_ID_LEN || strncmp(id, "resp_", 5) != 0)
		return false;
	const char *hex = id + 5;
	for (size_t i = 0; i < RESPONSE_HEX_LEN; i++) {
		char c = hex[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	snprintf(session_uuid, UUID_STR_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return uuid_valid(session_uuid);
}

/* Replaces each item_reference of the history by the text of the output
 * item it names (found as a previous response is: team, chatbot, session),
 * then validates the history as §5 input. On failure the 400 is replied
 * and false is returned; *st gets a database failure (reply not set). */
static bool check_history(struct handler_ctx *ctx, unsigned long long chatbot_id, struct json_object *history,
                          cf_status *st)
{
	*st = CF_OK;
	size_t n = json_object_array_length(history);
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(history, i), *ref;
		if (!json_object_object_get_ex(m, "item_reference", &ref))
			continue;
		const char *item_id = json_object_get_string(ref);
		char rid[RESPONSE_ID_MAX], session_uuid[UUID_STR_LEN + 1];
		struct response_message_row row;
		memset(&row, 0, sizeof row);
		cf_status lst = CF_E_NOT_FOUND;
		if (strncmp(item_id, "msg_", 4) == 0 && strlen(item_id) == RESPONSE_ID_LEN - 1) {
			snprintf(rid, sizeof rid, "resp_%s", item_id + 4);
			if (response_id_parse(rid, session_uuid))
				lst = store_response_message(ctx->app->db, ctx->who->team_id, chatbot_id, session_uuid, rid, &row);
		}
		if (lst == CF_OK) {
			json_object_object_add(m, "content", json_object_new_string(row.content));
			json_object_object_del(m, "item_reference");
		}
		free(row.content);
		if (lst == CF_E_NOT_FOUND) {
			char msg[200];
			snprintf(msg, sizeof msg, "Item with id '%.*s' not found.", RESPONSE_ID_LEN, item_id);
			reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, msg);
			return false;
		}
		if (lst != CF_OK) {
			*st = lst;
			return false;
		}
	}
	struct field_errors fe;
	field_errors_init(&fe);
	bool ok = validate_message_list(history, &fe);
	if (!ok) {
		struct json_object *errors = field_errors_take(&fe);
		reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, json_object_to_json_string_ext(errors, JSON_C_TO_STRING_PLAIN));
		json_object_put(errors);
	}
	field_errors_free(&fe);
	return ok;
}

/* ---- the Response object and its events ---- */

/* What every rendering of one response shares (all borrowed). */
struct response_view {
	const char *id;
	const char *item_id;
	const char *model;
	long long created_at;
	const char *previous;        /* NULL: none */
	struct json_object *instructions;
	bool store;
};

static struct json_object *usage_json(bool have, long in, long out)
{
	if (!have)
		return NULL;
	struct json_object *u = json_object_new_object(), *in_d = json_object_new_object(),
	                   *out_d = json_object_new_object();
	json_object_object_add(u, "input_tokens", json_object_new_int64(in));
	json_object_object_add(in_d, "cached_tokens", json_object_new_int(0));
	json_object_object_add(u, "input_tokens_details", in_d);
	json_object_object_add(u, "output_tokens", json_object_new_int64(out));
	json_object_object_add(out_d, "reasoning_tokens", json_object_new_int(0));
	json_object_object_add(u, "output_tokens_details", out_d);
	json_object_object_add(u, "total_tokens", json_object_new_int64(in + out));
	return u;
}

static struct json_object *text_part(const char *text)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "type", json_object_new_string("output_text"));
	json_object_object_add(p, "text", json_object_new_string(text));
	json_object_object_add(p, "annotations", json_object_new_array());
	return p;
}

/* The assistant message item; text NULL: in progress, no content yet. */
static struct json_object *message_item(const struct response_view *rv, const char *text)
{
	struct json_object *item = json_object_new_object(), *content = json_object_new_array();
	json_object_object_add(item, "id", json_object_new_string(rv->item_id));
	json_object_object_add(item, "type", json_object_new_string("message"));
	json_object_object_add(item, "status", json_object_new_string(text ? "completed" : "in_progress"));
	json_object_object_add(item, "role", json_object_new_string("assistant"));
	if (text != NULL)
		json_object_array_add(content, text_part(text));
	json_object_object_add(item, "content", content);
	return item;
}

/* The Response object. status "completed" carries the item with text and
 * usage (may be NULL, taken over); "in_progress" and "failed" have no
 * output; error (taken over) only with "failed". */
static struct json_object *response_json(const struct response_view *rv, const char *status, const char *text,
                                         struct json_object *usage, struct json_object *error)
{
	struct json_object *r = json_object_new_object(), *output = json_object_new_array();
	json_object_object_add(r, "id", json_object_new_string(rv->id));
	json_object_object_add(r, "object", json_object_new_string("response"));
	json_object_object_add(r, "created_at", json_object_new_int64(rv->created_at));
	json_object_object_add(r, "status", json_object_new_string(status));
	json_object_object_add(r, "error", error);
	json_object_object_add(r, "incomplete_details", NULL);
	json_object_object_add(r, "instructions", json_object_get(rv->instructions));
	json_object_object_add(r, "model", json_object_new_string(rv->model));
	if (text != NULL)
		json_object_array_add(output, message_item(rv, text));
	json_object_object_add(r, "output", output);
	json_object_object_add(r, "parallel_tool_calls", json_object_new_boolean(false));
	json_object_object_add(r, "previous_response_id", rv->previous ? json_object_new_string(rv->previous) : NULL);
	json_object_object_add(r, "store", json_object_new_boolean(rv->store));
	struct json_object *format = json_object_new_object(), *textcfg = json_object_new_object();
	json_object_object_add(format, "type", json_object_new_string("text"));
	json_object_object_add(textcfg, "format", format);
	json_object_object_add(r, "text", textcfg);
	json_object_object_add(r, "tool_choice", json_object_new_string("none"));
	json_object_object_add(r, "tools", json_object_new_array());
	json_object_object_add(r, "truncation", json_object_new_string("disabled"));
	json_object_object_add(r, "usage", usage);
	json_object_object_add(r, "metadata", json_object_new_object());
	return r;
}

/* The event stream of one response: every event gets the next
 * sequence_number, starting at 0. */
struct event_stream {
	struct response *resp;
	const struct response_view *rv;
	long long seq;
};

/* Sends {"type": type, "sequence_number": n, ...fields} as event type;
 * takes fields (an object) over. */
static cf_status emit(struct event_stream *es, const char *type, struct json_object *fields)
{
	struct json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string(type));
	json_object_object_add(ev, "sequence_number", json_object_new_int64(es->seq++));
	json_object_object_foreach(fields, key, val) {
		json_object_object_add(ev, key, json_object_get(val));
	}
	json_object_put(fields);
	return openai_sse_send(es->resp, type, ev);
}

/* Fields of an event about the output text: item, output and content index. */
static struct json_object *at_text(const struct event_stream *es)
{
	struct json_object *f = json_object_new_object();
	json_object_object_add(f, "item_id", json_object_new_string(es->rv->item_id));
	json_object_object_add(f, "output_index", json_object_new_int(0));
	json_object_object_add(f, "content_index", json_object_new_int(0));
	return f;
}

static struct json_object *one_field(const char *key, struct json_object *val)
{
	struct json_object *f = json_object_new_object();
	json_object_object_add(f, key, val);
	return f;
}

static cf_status stream_open(struct event_stream *es)
{
	cf_status st = emit(es, "response.created", one_field("response", response_json(es->rv, "in_progress", NULL,
	                                                                                  NULL, NULL)));
	if (st == CF_OK)
		st = emit(es, "response.in_progress", one_field("response", response_json(es->rv, "in_progress", NULL,
		                                                                           NULL, NULL)));
	struct json_object *f = one_field("output_index", json_object_new_int(0));
	json_object_object_add(f, "item", message_item(es->rv, NULL));
	if (st == CF_OK)
		st = emit(es, "response.output_item.added", f);
	else
		json_object_put(f);
	f = at_text(es);
	json_object_object_add(f, "part", text_part(""));
	if (st == CF_OK)
		st = emit(es, "response.content_part.added", f);
	else
		json_object_put(f);
	return st;
}

static cf_status on_delta(void *ctx, const char *text, size_t len)
{
	struct event_stream *es = ctx;
	struct json_object *f = at_text(es);
	json_object_object_add(f, "delta", json_object_new_string_len(text, (int)len));
	json_object_object_add(f, "logprobs", json_object_new_array());
	return emit(es, "response.output_text.delta", f);
}

/* Asked while the provider streams: the client has gone (the provider call
 * stops and the partial reply is stored as cut, docs/API.md §6.3). */
static bool listener_gone(void *ctx)
{
	const struct event_stream *es = ctx;
	return response_stream_gone(es->resp);
}

static void stream_close(struct event_stream *es, cf_status result, const struct conversation_reply *reply)
{
	cf_status st = CF_OK;
	if (result == CF_OK && reply->cut)
		return;   /* nobody is left to read the closing events */
	if (result != CF_OK) {
		struct json_object *err = json_object_new_object();
		json_object_object_add(err, "code", json_object_new_string("server_error"));
		json_object_object_add(err, "message", json_object_new_string(openai_failure_message(result)));
		st = emit(es, "response.failed", one_field("response", response_json(es->rv, "failed", NULL, NULL, err)));
		struct json_object *f = one_field("code", json_object_new_string("server_error"));
		json_object_object_add(f, "message", json_object_new_string(openai_failure_message(result)));
		json_object_object_add(f, "param", NULL);
		if (st == CF_OK)
			st = emit(es, "error", f);
		else
			json_object_put(f);
		goto out;
	}
	const char *text = reply->text;
	struct json_object *f = at_text(es);
	json_object_object_add(f, "text", json_object_new_string(text));
	json_object_object_add(f, "logprobs", json_object_new_array());
	st = emit(es, "response.output_text.done", f);
	f = at_text(es);
	json_object_object_add(f, "part", text_part(text));
	if (st == CF_OK)
		st = emit(es, "response.content_part.done", f);
	else
		json_object_put(f);
	f = one_field("output_index", json_object_new_int(0));
	json_object_object_add(f, "item", message_item(es->rv, text));
	if (st == CF_OK)
		st = emit(es, "response.output_item.done", f);
	else
		json_object_put(f);
	struct json_object *done = response_json(es->rv, "completed", text, usage_json(reply->have_usage,
	                                         reply->prompt_tokens, reply->completion_tokens), NULL);
	if (st == CF_OK)
		st = emit(es, "response.completed", one_field("response", done));
	else
		json_object_put(done);
out:
	if (st != CF_OK)
		log_debug("responses: client left before the end of the stream");
}

/* ---- storing the turn ---- */

/* The messages a turn adds before the provider is asked, in one
 * transaction: the history (a continued session's instructions and earlier
 * items; a new session got them when it was made) and the user's message. */
struct turn_tx {
	unsigned long long team_id;
	unsigned long long chat_id;
	struct json_object *history;    /* borrowed; NULL: none */
	const char *user_text;
	unsigned long long *user_message_id;
};

static cf_status add_message(struct db *db, const struct turn_tx *x, const char *type, const char *content,
                             unsigned long long *id)
{
	struct message_new m = {.team_id = x->team_id, .chat_id = x->chat_id, .message_type = type, .content = content};
	cf_status st = store_message_add(db, &m, id);
	if (st == CF_OK)
		st = webhooks_message_created(db, x->team_id, *id);
	return st;
}

static cf_status turn_in_tx(struct db *db, void *ctx)
{
	const struct turn_tx *x = ctx;
	size_t n = x->history ? json_object_array_length(x->history) : 0;
	unsigned long long id = 0;
	cf_status st = CF_OK;
	for (size_t i = 0; st == CF_OK && i < n; i++) {
		struct json_object *m = json_object_array_get_idx(x->history, i);
		st = add_message(db, x, message_type_of_role(json_object_get_string(json_object_object_get(m, "role"))),
		                 json_object_get_string(json_object_object_get(m, "content")), &id);
	}
	if (st == CF_OK)
		st = add_message(db, x, "human", x->user_text, x->user_message_id);
	return st;
}

/* The reply's metadata names its response (and says when it is not to be
 * kept retrievable), inside the transaction that stores it. */
struct stored_ctx {
	unsigned long long team_id;
	const struct response_view *rv;
};

static cf_status on_stored(void *ctx, struct db *db, unsigned long long ai_message_id)
{
	const struct stored_ctx *s = ctx;
	struct json_object *patch = json_object_new_object();
	json_object_object_add(patch, "openai_response_id", json_object_new_string(s->rv->id));
	if (!s->rv->store)
		json_object_object_add(patch, "openai_store", json_object_new_boolean(false));
	cf_status st = store_message_metadata_merge(db, s->team_id, ai_message_id,
	                                            json_object_to_json_string_ext(patch, JSON_C_TO_STRING_PLAIN));
	json_object_put(patch);
	return st;
}

/* The session the turn goes to: the previous response's (after checking
 * it), else a new one made from the history. On a refusal the reply is set
 * and CF_OK returned with *found false. */
static cf_status turn_session(struct handler_ctx *ctx, const struct responses_request *rq,
                              const struct chatbot_row *family, const struct chatbot_turn_hints *hints,
                              struct session_row *out, bool *found)
{
	*found = false;
	memset(out, 0, sizeof *out);
	if (rq->previous == NULL) {
		struct session_create create = {*family, rq->user ? rq->user : ctx->who->user_email, rq->history, "{}",
		                                hints->api_participant_id,
		                                hints->api_channel_id};
		cf_status st = sessions_create(ctx->app->db, ctx->who, &create, out);
		*found = st == CF_OK;
		return st;
	}
	char session_uuid[UUID_STR_LEN + 1], msg[200];
	struct response_message_row prev;
	memset(&prev, 0, sizeof prev);
	cf_status st = CF_E_NOT_FOUND;
	if (response_id_parse(rq->previous, session_uuid))
		st = store_response_message(ctx->app->db, ctx->who->team_id, family->id, session_uuid, rq->previous, &prev);
	if (st == CF_E_NOT_FOUND) {
		snprintf(msg, sizeof msg, "Previous response with id '%.*s' not found.", RESPONSE_ID_LEN, rq->previous);
		reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, msg);
		st = CF_OK;
	} else if (st == CF_OK && !prev.is_latest) {
		/* A session is one line of messages: it cannot fork. */
		snprintf(msg, sizeof msg, "Previous response '%.*s' is not the latest response of its session.",
		         RESPONSE_ID_LEN, rq->previous);
		reply_openai_error(ctx->resp, CF_E_BAD_REQUEST, msg);
	} else if (st == CF_OK) {
		out->id = prev.session_id;
		out->team_id = ctx->who->team_id;
		out->chatbot_id = family->id;
		out->chat_id = prev.chat_id;
		out->participant_id = prev.participant_id;
		snprintf(out->external_id, sizeof out->external_id, "%s", session_uuid);
		*found = true;
	}
	free(prev.content);
	return st;
}

cf_status api_openai_responses(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	struct json_object *body = NULL;
	struct responses_request rq;
	struct chatbot_version bot;
	struct conversation_reply reply;
	struct event_stream es;
	memset(&rq, 0, sizeof rq);
	memset(&bot, 0, sizeof bot);
	memset(&reply, 0, sizeof reply);
	memset(&es, 0, sizeof es);
	cf_status st = CF_OK;
	if (!api_json_body(ctx, &body))
		goto out;
	if (!parse_request(ctx, body, &rq))
		goto out;
	struct chatbot_row family;
	struct chatbot_turn_hints hints;
	st = openai_resolve_chatbot(ctx, rq.user ? rq.user : ctx->who->user_email, &family, &bot, &hints);
	if (st != CF_OK)
		goto out;
	if (!check_history(ctx, family.id, rq.history, &st))
		goto out;
	if (!hints.team_has_webhooks)
		webhooks_hint_no_endpoints(ctx->who->team_id);
	struct session_row session;
	bool found = false;
	st = turn_session(ctx, &rq, &family, &hints, &session, &found);
	if (st != CF_OK || !found)
		goto out;
	unsigned long long user_message_id = 0;
	struct turn_tx tx = {session.team_id, session.chat_id, rq.previous ? rq.history : NULL,
	                     json_object_get_string(rq.user_text), &user_message_id};
	st = db_transaction(db, turn_in_tx, &tx);
	if (st != CF_OK)
		goto out;
	char id[RESPONSE_ID_MAX], item_id[RESPONSE_ID_MAX];
	response_id_make(session.external_id, user_message_id, "resp_", id);
	response_id_make(session.external_id, user_message_id, "msg_", item_id);
	struct response_view rv = {id, item_id, bot.provider.model, (long long)time(NULL), rq.previous, rq.instructions,
	                           rq.store};
	struct stored_ctx stored = {session.team_id, &rv};
	struct conversation_turn turn = {
		.team_id = session.team_id, .session_id = session.id, .chat_id = session.chat_id,
		.participant_id = session.participant_id, .experiment_id = family.id, .bot = &bot,
		.user_text = json_object_get_string(rq.user_text), .store_user_message = false,
		.user_message_id = user_message_id, .on_stored = on_stored, .on_stored_ctx = &stored,
	};
	es.resp = ctx->resp;
	es.rv = &rv;
	if (rq.stream) {
		if (response_stream_begin(ctx->resp, "text/event-stream") == CF_OK)
			(void)stream_open(&es);
		turn.on_delta = on_delta;
		turn.delta_ctx = &es;
		turn.listener_gone = listener_gone;
	}
	st = conversation_respond(db, &turn, &reply);
	if (rq.stream) {
		stream_close(&es, st, &reply);
		st = CF_OK;
	} else if (st == CF_OK) {
		reply_json(ctx->resp, response_json(&rv, "completed", reply.text,
		                                    usage_json(reply.have_usage, reply.prompt_tokens, reply.completion_tokens),
		                                    NULL));
	} else {
		reply_openai_error(ctx->resp, openai_failure_status(st), openai_failure_message(st));
		response_retry_hint(ctx->resp, openai_failure_retry(st, &reply), reply.provider_retry_after_s);
		st = CF_OK;
	}
out:
	conversation_reply_free(&reply);
	chatbot_version_free(&bot);
	responses_request_free(&rq);
	json_object_put(body);
	return st == CF_E_NOT_FOUND && response_is_set(ctx->resp) ? CF_OK : st;
}

cf_status api_openai_response_get(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	struct chatbot_version bot;
	struct response_message_row row;
	memset(&bot, 0, sizeof bot);
	memset(&row, 0, sizeof row);
	const char *rid = route_param(ctx->match, "response_id");
	char session_uuid[UUID_STR_LEN + 1];
	struct chatbot_row family;
	cf_status st = openai_resolve_chatbot(ctx, NULL, &family, &bot, NULL);
	if (st != CF_OK)
		goto out;
	st = response_id_parse(rid, session_uuid) ? store_response_message(db, ctx->who->team_id, family.id, session_uuid,
	                                                                     rid, &row)
	                                          : CF_E_NOT_FOUND;
	if (st == CF_E_NOT_FOUND) {
		char msg[200];
		snprintf(msg, sizeof msg, "Response with id '%.*s' not found.", RESPONSE_ID_LEN, rid);
		reply_detail(ctx->resp, st, msg);
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	char item_id[RESPONSE_ID_MAX];
	snprintf(item_id, sizeof item_id, "msg_%s", rid + 5);
	struct response_view rv = {rid, item_id, bot.provider.model, row.created_at, NULL, NULL, true};
	reply_json(ctx->resp, response_json(&rv, "completed", row.content,
	                                    usage_json(row.have_usage, row.prompt_tokens, row.completion_tokens), NULL));
out:
	free(row.content);
	chatbot_version_free(&bot);
	return st == CF_E_NOT_FOUND && response_is_set(ctx->resp) ? CF_OK : st;
}
