/* openai_shared.c - failure words and SSE frames of the OpenAI-compatible
 * endpoints (see openai_shared.h). */
#include "openai_shared.h"

#include <string.h>

#include "buf.h"
#include "limits.h"

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
