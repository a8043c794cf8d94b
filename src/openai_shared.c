/* openai_shared.c - failure words and SSE frames of the OpenAI-compatible
 * endpoints (see openai_shared.h). */
#include "openai_shared.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ids.h"
#include "limits.h"

cf_status openai_resolve_chatbot(struct handler_ctx *ctx, const char *caller, struct chatbot_row *family,
                                 struct chatbot_version *bot, struct chatbot_turn_hints *hints)
{
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(route_param(ctx->match, "id"), norm);
	const char *vparam = route_param(ctx->match, "version");
	long version = vparam ? strtol(vparam, NULL, 10) : CHATBOT_VERSION_DEFAULT;
	cf_status st = chatbots_resolve(ctx->app->db, ctx->who->team_id, norm, version, caller, false, family, bot, hints);
	if (st == CF_E_NOT_FOUND)
		reply_openai_error_at(ctx->resp, st, family->id == 0 ? "No Experiment matches the given query." : NULL, NULL,
		                      "model_not_found");
	return st;
}

const char *openai_failure_message(cf_status st)
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

cf_status openai_failure_status(cf_status st)
{
	return (st == CF_E_TIMEOUT || st == CF_E_UPSTREAM) ? st : CF_E_INTERNAL;
}

enum cf_retry openai_failure_retry(cf_status st, const struct conversation_reply *r)
{
	if (st == CF_E_UPSTREAM || st == CF_E_TIMEOUT)
		return r->provider_transient ? CF_RETRY_YES : CF_RETRY_NO;
	return cf_status_retry(st);
}

cf_status openai_sse_send(struct response *resp, const char *event, struct json_object *obj)
{
	struct buf frame;
	buf_init(&frame, CF_MAX_BODY_BYTES_CEILING);
	cf_status st = CF_OK;
	if (event != NULL)
		st = buf_printf(&frame, "event: %s\n", event);
	if (st == CF_OK)
		st = buf_append_str(&frame, "data: ");
	if (st == CF_OK)
		st = buf_append_str(&frame, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
		                                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
	if (st == CF_OK)
		st = buf_append_str(&frame, "\n\n");
	if (st == CF_OK)
		st = response_stream_write(resp, buf_str(&frame), frame.len);
	buf_free(&frame);
	json_object_put(obj);
	return st;
}
