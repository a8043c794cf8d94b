/* api_validate.h - the request-body validators of API handlers whose
 * serializers are specific to one module, exposed (they stay in their
 * module) so the fuzz targets of tests/fuzz reach them without a database.
 * Each returns false with fe filled when the body is invalid; strings and
 * objects in the result are borrowed from body. */
#ifndef CONFAB_API_VALIDATE_H
#define CONFAB_API_VALIDATE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "chat.h"   /* struct chat_start, struct chat_message_request */
#include "ids.h"
#include "llm.h"    /* struct llm_response_format */
#include "participants.h"   /* struct participant_update */
#include "validate.h"

struct trigger_request {
	const char *identifier;
	const char *platform;
	char experiment[UUID_STR_LEN + 1];
	const char *prompt_text;               /* exactly one of these two is set */
	const char *message_text;
	bool start_new_session;
	struct json_object *session_data;      /* borrowed from the body, NULL = {} */
	struct json_object *participant_data;  /* borrowed, NULL = {} */
	struct json_object *page_context;      /* borrowed, NULL = absent */
};

/* POST /api/chat/start/ (api_chat.c). */
bool chat_validate_start(struct json_object *body, struct chat_start *c, struct field_errors *fe);
/* POST /api/chat/<session>/message/ (api_chat.c). */
bool chat_validate_message(struct json_object *body, struct field_errors *fe, struct chat_message_request *out);
/* The TriggerBotMessageRequest serializer of §9.1 (api_channels.c). */
bool channels_parse_trigger(struct json_object *body, struct field_errors *fe, struct trigger_request *out);

/* The ParticipantDataUpdateRequest serializer of §9.3-9.4
 * (api_participants.c): *out is filled even when invalid and always freed
 * with participant_update_free; the chatbots are not resolved yet
 * (chatbot_id 0), each date is a UTC DATETIME(6) text. */
bool participants_parse_update(struct json_object *body, struct field_errors *fe, struct participant_update *out);

/* The OpenAI request fields (api_openai.c, docs/API.md §6.1-6.2); unlike
 * the serializers above, their results are owned by the caller.
 * "messages" (NULL = absent): *history gets the normalised earlier
 * messages, *user_text the last message's text; on failure *error is the
 * §6.2 message (caller frees) and the outputs are NULL. */
bool openai_parse_messages(struct json_object *messages, struct json_object **history,
                           struct json_object **user_text, char **error);
/* "response_format" (NULL = absent or null: text); out->json_schema is
 * owned by the caller (free). */
bool openai_parse_response_format(struct json_object *v, struct field_errors *fe, struct llm_response_format *out);
/* "user" (NULL = absent or null: *out = NULL); *out is a new reference. */
bool openai_parse_user(struct json_object *v, struct field_errors *fe, struct json_object **out);

/* The target after a login (api_accounts.c): next when it is a same-origin
 * path (one leading '/', not "//" or "/\\", no control byte, no space, no
 * '\\'), else "/". Borrowed: next itself or a static string. */
const char *accounts_safe_next(const char *next);

#endif
