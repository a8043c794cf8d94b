/* openai_shared.h - what the OpenAI-compatible endpoints (chat completions,
 * Responses) share: the chatbot of the path, the words and status of a
 * failed provider call and one Server-Sent Event frame in OpenAI's framing. */
#ifndef CONFAB_OPENAI_SHARED_H
#define CONFAB_OPENAI_SHARED_H

#include <json-c/json.h>

#include "app.h"
#include "chatbots.h"
#include "conversation.h"
#include "http_response.h"
#include "status.h"

/* The path's chatbot ({id}) and version ({version}; absent = the default)
 * in the caller's team, as chatbots_resolve reads them (caller and hints
 * may be NULL). CF_E_NOT_FOUND: the 404 is replied (an unknown or another
 * team's chatbot: "No Experiment matches the given query."; no such
 * version: "Not found."). Free *bot with chatbot_version_free, also after
 * a failure. */
cf_status openai_resolve_chatbot(struct handler_ctx *ctx, const char *caller, struct chatbot_row *family,
                                 struct chatbot_version *bot, struct chatbot_turn_hints *hints) CF_MUST_CHECK;

/* The message a client is shown when the conversation engine failed with
 * st (static text). */
const char *openai_failure_message(cf_status st);
/* Provider failures keep their status (502/504); anything else is 500. */
cf_status openai_failure_status(cf_status st);
/* Whether the client's retry can help after the engine failed with st
 * (docs/API.md §1.2.1): a provider that was unreachable, slow,
 * rate-limited or failing (5xx) may recover; one that refused the request
 * (4xx) or answered garbage will do it again, as will a chatbot without a
 * usable provider (CF_E_CONFIG). Pass it, with r->provider_retry_after_s,
 * to response_retry_hint after the error reply. */
enum cf_retry openai_failure_retry(cf_status st, const struct conversation_reply *r);
/* Writes one event: "event: <event>\n" when event is not NULL, then
 * "data: <obj as compact JSON>\n\n". Takes ownership of obj (put also on
 * failure). CF_E_IO once the client is gone. */
cf_status openai_sse_send(struct response *resp, const char *event, struct json_object *obj) CF_MUST_CHECK;

#endif
