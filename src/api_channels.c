/* api_channels.c - the Channels endpoints (docs/API.md §9):
 * POST /api/trigger_bot (validated here, run later by a task runner) and
 * POST /channels/api/{id}[/v{n}]/incoming_message (answered in the request
 * through the API channel). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api.h"
#include "auth.h"
#include "chatbots.h"
#include "channels.h"
#include "conversation.h"
#include "ids.h"
#include "jobs.h"
#include "limits.h"
#include "log.h"
#include "store_channels.h"
#include "store_chatbots.h"
#include "store_messages.h"
#include "store_sessions.h"
#include "api_validate.h"
#include "validate.h"
#include "webhooks.h"
#include "xalloc.h"


bool channels_parse_trigger(struct json_object *body, struct field_errors *fe, struct trigger_request *out)
{
	struct json_object *v;
	memset(out, 0, sizeof *out);
	if (!json_object_is_type(body, json_type_object)) {
		char msg[96];
		snprintf(msg, sizeof msg, "Invalid data. Expected a dictionary, but got %s.", json_type_label(body));
		field_errors_add(fe, "non_field_errors", msg);
		return false;
	}
	if (!json_object_object_get_ex(body, "identifier", &v))
		field_errors_add(fe, "identifier", "This field is required.");
	else
		(void)validate_string(fe, "identifier", v, false, CF_PARTICIPANT_ID_MAX, &out->identifier);
	if (!json_object_object_get_ex(body, "platform", &v)) {
		field_errors_add(fe, "platform", "This field is required.");
	} else if (!json_object_is_type(v, json_type_string) || !channels_platform_known(json_object_get_string(v))) {
		char msg[160];
		snprintf(msg, sizeof msg, "\"%.100s\" is not a valid choice.",
		         json_object_is_type(v, json_type_string) ? json_object_get_string(v)
		                                                  : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		field_errors_add(fe, "platform", msg);
	} else {
		out->platform = json_object_get_string(v);
	}
	if (!json_object_object_get_ex(body, "experiment", &v))
		field_errors_add(fe, "experiment", "This field is required.");
	else if (!json_object_is_type(v, json_type_string) || !uuid_valid(json_object_get_string(v)))
		field_errors_add(fe, "experiment", "Must be a valid UUID.");
	else
		uuid_normalize(json_object_get_string(v), out->experiment);
	/* Both optional and nullable (upstream today); exactly one is checked
	 * after the fields, as its serializer's validate() runs only on valid
	 * fields. */
	if (json_object_object_get_ex(body, "prompt_text", &v) && v != NULL)
		(void)validate_string(fe, "prompt_text", v, false, CF_MAX_MESSAGE_CHARS, &out->prompt_text);
	if (json_object_object_get_ex(body, "message_text", &v) && v != NULL)
		(void)validate_string(fe, "message_text", v, false, CF_MAX_MESSAGE_CHARS, &out->message_text);
	if (json_object_object_get_ex(body, "start_new_session", &v)) {
		if (json_object_is_type(v, json_type_boolean))
			out->start_new_session = json_object_get_boolean(v);
		else
			field_errors_add(fe, "start_new_session", "Must be a valid boolean.");
	}
	if (json_object_object_get_ex(body, "session_data", &v) && validate_dict(fe, "session_data", v)) {
		out->session_data = v;
		if (json_object_object_get_ex(v, "page_context", NULL))
			field_errors_add(fe, "session_data",
			                 "The 'page_context' key is reserved; use the page_context field instead.");
	}
	if (json_object_object_get_ex(body, "participant_data", &v) && validate_dict(fe, "participant_data", v))
		out->participant_data = v;
	if (json_object_object_get_ex(body, "page_context", &v) && validate_dict(fe, "page_context", v))
		out->page_context = v;
	if (field_errors_any(fe))
		return false;
	if (out->prompt_text != NULL && out->message_text != NULL)
		field_errors_add(fe, "non_field_errors", "Provide either 'prompt_text' or 'message_text', not both.");
	else if (out->prompt_text == NULL && out->message_text == NULL)
		field_errors_add(fe, "non_field_errors", "Either 'prompt_text' or 'message_text' must be provided.");
	return !field_errors_any(fe);
}

/* The job's payload: the session is the job's own (chosen here, in the
 * request), so session_data and page_context are merged already. */
static struct json_object *trigger_payload(const struct trigger_request *rq, unsigned long long experiment_id,
                                           unsigned long long channel_id, const char *identifier)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "experiment_id", json_object_new_int64((int64_t)experiment_id));
	json_object_object_add(p, "channel_id", json_object_new_int64((int64_t)channel_id));
	json_object_object_add(p, "platform", json_object_new_string(rq->platform));
	json_object_object_add(p, "identifier", json_object_new_string(identifier));
	if (rq->message_text != NULL)
		json_object_object_add(p, "message_text", json_object_new_string(rq->message_text));
	else
		json_object_object_add(p, "prompt_text", json_object_new_string(rq->prompt_text));
	json_object_object_add(p, "start_new_session", json_object_new_boolean(rq->start_new_session));
	return p;
}

/* TriggerBotMessageResponse: {session_id, url, team, channel}. */
static struct json_object *trigger_response(const struct handler_ctx *ctx, const char *session_id,
                                            const char *platform)
{
	char *base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	char *url = xasprintf("%s/api/sessions/%s/", base, session_id);
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "session_id", json_object_new_string(session_id));
	json_object_object_add(obj, "url", json_object_new_string(url));
	struct json_object *team = json_object_new_object();
	json_object_object_add(team, "name", json_object_new_string(ctx->who->team_name));
	json_object_object_add(team, "slug", json_object_new_string(ctx->who->team_slug));
	json_object_object_add(obj, "team", team);
	json_object_object_add(obj, "channel", json_object_new_string(platform));
	free(url);
	free(base);
	return obj;
}

cf_status api_trigger_bot(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	struct json_object *body = NULL, *payload = NULL, *empty = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	struct field_errors fe;
	field_errors_init(&fe);
	struct trigger_request rq;
	if (!channels_parse_trigger(body, &fe, &rq)) {
		reply_fields(ctx->resp, field_errors_take(&fe));
		goto out;
	}
	struct chatbot_row chatbot;
	st = store_chatbot_find(db, ctx->who->team_id, rq.experiment, &chatbot);
	if (st == CF_E_NOT_FOUND) {
		reply_detail(ctx->resp, st, "No Experiment matches the given query.");
		st = CF_OK;
		goto out;
	}
	const char *denied = NULL;
	if (st == CF_OK)   /* a machine token's allow-list, before participant data is written */
		st = auth_check_chatbot(ctx->app, ctx->who, chatbot.id, &denied);
	if (st == CF_E_FORBIDDEN) {
		reply_detail(ctx->resp, st, denied);
		st = CF_OK;
		goto out;
	}
	unsigned long long channel_id = 0;
	bool disabled = false;
	if (st == CF_OK) {
		struct channel_row channel;
		st = store_chatbot_channel(db, ctx->who->team_id, chatbot.id, rq.platform, &channel);
		if (st == CF_OK) {
			channel_id = channel.id;
			disabled = channel.disabled;
		}
		channel_row_free(&channel);
	}
	if (st == CF_E_NOT_FOUND || disabled) {
		char msg[160];
		if (disabled)   /* before anything is made: no session, no message (upstream today) */
			snprintf(msg, sizeof msg, "The %s channel for this chatbot is disabled.", rq.platform);
		else
			snprintf(msg, sizeof msg, "Experiment cannot send messages on the %s channel. Create the channel first.",
			         rq.platform);
		reply_detail(ctx->resp, CF_E_BAD_REQUEST, msg);
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	char identifier[CF_PARTICIPANT_ID_MAX * 4 + 1];
	snprintf(identifier, sizeof identifier, "%s", rq.identifier);
	channels_normalise_identifier(rq.platform, identifier);
	struct channel_party party = {
		.team_id = ctx->who->team_id, .chatbot = &chatbot, .channel_id = channel_id, .platform = rq.platform,
		.identifier = identifier,
	};
	empty = json_object_new_object();
	st = channels_merge_participant_data(db, &party, rq.participant_data ? rq.participant_data : empty);
	/* The session is chosen in the request, so that the answer can name it
	 * (upstream today); the job sends in it. */
	struct channel_session session;
	memset(&session, 0, sizeof session);
	if (st == CF_OK)
		st = channels_session_for(db, &party, rq.start_new_session, &session);
	if (st == CF_OK)
		st = channels_merge_state(db, session.id, rq.session_data, rq.page_context);
	if (st != CF_OK)
		goto out;
	payload = trigger_payload(&rq, chatbot.id, channel_id, identifier);
	st = jobs_enqueue(db, ctx->who->team_id, session.id, "trigger_bot", payload, CF_TRIGGER_BOT_ATTEMPTS, 0, NULL);
	if (st == CF_OK)
		reply_json(ctx->resp, trigger_response(ctx, session.external_id, rq.platform));
out:
	field_errors_free(&fe);
	json_object_put(payload);
	json_object_put(empty);
	json_object_put(body);
	return st;
}

/* ---- incoming_message ---- */

static bool is_reset(const char *message)
{
	while (isspace((unsigned char)*message))
		message++;
	size_t n = strlen(message);
	while (n > 0 && isspace((unsigned char)message[n - 1]))
		n--;
	return n == 6 && strncasecmp(message, "/reset", 6) == 0;
}

static void reply_message(struct response *resp, const char *text)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "response", json_object_new_string(text));
	json_object_object_add(obj, "attachments", json_object_new_array());
	reply_json(resp, obj);
}

static cf_status failure_status(cf_status st)
{
	return (st == CF_E_TIMEOUT || st == CF_E_UPSTREAM) ? st : CF_E_INTERNAL;
}

cf_status api_incoming_message(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	const struct principal *who = ctx->who;
	struct json_object *body = NULL, *v;
	struct chatbot_version bot;
	struct conversation_reply reply;
	memset(&bot, 0, sizeof bot);
	memset(&reply, 0, sizeof reply);
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	struct field_errors fe;
	field_errors_init(&fe);
	const char *message = NULL, *session_id = NULL;
	if (!json_object_is_type(body, json_type_object)) {
		field_errors_add(&fe, "non_field_errors", "Invalid data. Expected a dictionary.");
	} else {
		if (!json_object_object_get_ex(body, "message", &v))
			field_errors_add(&fe, "message", "This field is required.");
		else
			(void)validate_string(&fe, "message", v, false, CF_MAX_MESSAGE_CHARS, &message);
		if (json_object_object_get_ex(body, "session", &v) && v != NULL)
			(void)validate_string(&fe, "session", v, false, 255, &session_id);
	}
	if (field_errors_any(&fe)) {
		reply_fields(ctx->resp, field_errors_take(&fe));
		goto out;
	}
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(route_param(ctx->match, "id"), norm);
	const char *vparam = route_param(ctx->match, "version");
	struct chatbot_row chatbot;
	struct chatbot_turn_hints hints;
	/* One read for the chatbot, its version and the caller's open session
	 * (the turn's context is the second: conversation.c). */
	st = chatbots_resolve(db, who->team_id, norm, vparam ? strtol(vparam, NULL, 10) : CHATBOT_VERSION_DEFAULT,
	                      who->user_email, session_id == NULL, &chatbot, &bot, &hints);
	if (st == CF_E_NOT_FOUND) {
		reply_detail(ctx->resp, st, chatbot.id == 0 && !session_id ? "No Experiment matches the given query." : NULL);
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (who->machine) {
		/* The participant is the caller's user, and a machine token has
		 * none; upstream fails there too (after its allow-list). */
		reply_detail(ctx->resp, CF_E_FORBIDDEN, "A client-credentials token cannot use this endpoint: it speaks as "
		                                        "the caller's user. Use chat completions with \"user\" instead.");
		goto out;
	}
	if (!hints.team_has_webhooks)
		webhooks_hint_no_endpoints(who->team_id);
	struct channel_party party = {
		.team_id = who->team_id, .chatbot = &chatbot, .channel_id = hints.api_channel_id, .platform = "api",
		.identifier = who->user_email, .user_id = who->user_id, .team_slug = who->team_slug,
		.participant_hint = hints.api_participant_id,
		.open_known = true,   /* the caller's latest open session, read above */
	};
	party.open.id = hints.open_session_id;
	party.open.chat_id = hints.open_chat_id;
	party.open.participant_id = hints.open_participant_id;
	snprintf(party.open.external_id, sizeof party.open.external_id, "%s", hints.open_external_id);
	struct channel_session session;
	memset(&session, 0, sizeof session);
	if (session_id != NULL) {
		struct session_row row;
		st = store_api_session(db, who->team_id, chatbot.id, session_id, who->user_id, &row);
		if (st == CF_OK) {
			session.id = row.id;
			session.chat_id = row.chat_id;
			session.participant_id = row.participant_id;
			snprintf(session.external_id, sizeof session.external_id, "%s", row.external_id);
		}
		if (st == CF_E_NOT_FOUND) {
			reply_detail(ctx->resp, st, NULL);
			st = CF_OK;
			goto out;
		}
	} else {
		st = channels_session_for(db, &party, false, &session);
	}
	if (st != CF_OK)
		goto out;
	if (is_reset(message)) {
		bool spoke = false;
		st = store_chat_has_human(db, session.chat_id, &spoke);
		struct channel_session fresh;
		if (st == CF_OK && spoke)
			st = channels_reset_session(db, &party, session.id, &fresh);
		if (st == CF_OK)
			reply_message(ctx->resp, "Conversation reset");
		goto out;
	}
	struct conversation_turn turn = {
		.team_id = who->team_id,
		.session_id = session.id,
		.chat_id = session.chat_id,
		.participant_id = session.participant_id,
		.experiment_id = chatbot.id,
		.bot = &bot,
		.user_text = message,
		.store_user_message = true,
	};
	st = conversation_respond(db, &turn, &reply);
	if (st == CF_OK) {
		reply_message(ctx->resp, reply.text);
	} else {
		reply_detail(ctx->resp, failure_status(st),
		             st == CF_E_TIMEOUT    ? "The chatbot's LLM provider did not answer in time."
		             : st == CF_E_UPSTREAM ? "The chatbot's LLM provider failed to answer."
		                                   : "The chatbot failed to answer.");
		st = CF_OK;
	}
out:
	field_errors_free(&fe);
	conversation_reply_free(&reply);
	chatbot_version_free(&bot);
	json_object_put(body);
	return st;
}
