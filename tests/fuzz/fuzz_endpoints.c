/* fuzz_endpoints.c - libFuzzer target for the request-body serializers of
 * single endpoints (api_validate.h), on any JSON the parser accepts. The
 * first byte selects the endpoint:
 *   0  POST /api/chat/start/
 *   1  POST /api/chat/<session>/message/
 *   2  POST /api/trigger_bot (TriggerBotMessageRequest)
 *   3  chat completions' "messages" (openai_parse_messages)
 *   4  chat completions' "response_format" and "user"
 *   5  POST /api/participants (ParticipantDataUpdateRequest)
 * The errors object must serialize; on success the borrowed fields must be
 * set as documented. Shared validators (message lists, strings) are in
 * fuzz_parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	struct json_object *body = json_tokener_parse(s);
	free(s);
	if (body == NULL)
		return 0;
	struct field_errors fe;
	field_errors_init(&fe);
	bool ok = false;
	switch (data[0] % 6) {
	case 0: {
		struct chat_start c;
		ok = chat_validate_start(body, &c, &fe);
		if (ok && (c.remote_id == NULL || strlen(c.chatbot_id) != UUID_STR_LEN))
			abort();
		break;
	}
	case 1: {
		struct chat_message_request m;
		ok = chat_validate_message(body, &fe, &m);
		if (ok && m.message == NULL)
			abort();
		break;
	}
	case 3: {
		struct json_object *messages = NULL, *history, *text;
		char *error;
		(void)json_object_object_get_ex(body, "messages", &messages);
		bool parsed = openai_parse_messages(messages, &history, &text, &error);
		if (parsed ? error != NULL || text == NULL || history == NULL : error == NULL || text != NULL)
			abort();
		free(error);
		json_object_put(history);
		json_object_put(text);
		ok = true;   /* no field errors in fe */
		break;
	}
	case 4: {
		struct json_object *rf = NULL, *user = NULL, *participant;
		struct llm_response_format f;
		(void)json_object_object_get_ex(body, "response_format", &rf);
		(void)json_object_object_get_ex(body, "user", &user);
		ok = openai_parse_response_format(rf, &fe, &f);
		ok = openai_parse_user(user, &fe, &participant) && ok;
		if ((f.type == LLM_FORMAT_JSON_SCHEMA) != (f.json_schema != NULL))
			abort();
		free((char *)f.json_schema);
		json_object_put(participant);
		break;
	}
	case 5: {
		struct participant_update p;
		ok = participants_parse_update(body, &fe, &p);
		if (ok && p.identifier[0] == '\0')
			abort();
		for (size_t i = 0; ok && i < p.nitems; i++)
			if (strlen(p.items[i].experiment) != UUID_STR_LEN)
				abort();
		participant_update_free(&p);
		break;
	}
	default: {
		struct trigger_request t;
		ok = channels_parse_trigger(body, &fe, &t);
		if (ok && (t.identifier == NULL || t.platform == NULL || strlen(t.experiment) != UUID_STR_LEN))
			abort();
		break;
	}
	}
	if (ok == field_errors_any(&fe))
		abort();
	struct json_object *errs = field_errors_take(&fe);
	if (errs != NULL)
		(void)json_object_to_json_string(errs);
	json_object_put(errs);
	field_errors_free(&fe);
	json_object_put(body);
	return 0;
}
