/* llm_local.c - the built-in offline provider: answers deterministically,
 * without network, by quoting the user's last message. It lets a new
 * installation (and the dev stack's demo chatbot) answer before any real
 * provider is configured. Streams word by word like a real model. Asked
 * for JSON it answers {"reply": <quote>}, or for a JSON schema a value
 * built from the schema (see schema_value). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "limits.h"
#include "llm_backend.h"

static long count_words(const char *s)
{
	long n = 0;
	bool in_word = false;
	for (; *s; s++) {
		bool space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
		if (!space && !in_word)
			n++;
		in_word = !space;
	}
	return n;
}

/* How deep schema_value follows nested schemas, and how many items a
 * minItems can ask for. */
#define LOCAL_SCHEMA_DEPTH 8
#define LOCAL_SCHEMA_ITEMS 8

/* The first type a schema names (a "type" list's first that is not
 * "null"), or NULL. */
static const char *schema_type(struct json_object *schema)
{
	struct json_object *type;
	if (!json_object_object_get_ex(schema, "type", &type))
		return json_object_object_get_ex(schema, "properties", NULL) ? "object" : NULL;
	if (json_object_is_type(type, json_type_string))
		return json_object_get_string(type);
	if (!json_object_is_type(type, json_type_array))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(type); i++) {
		struct json_object *t = json_object_array_get_idx(type, i);
		if (json_object_is_type(t, json_type_string) && strcmp(json_object_get_string(t), "null") != 0)
			return json_object_get_string(t);
	}
	return "null";
}

/* A value valid against simple schemas: const, the first enum value, the
 * first anyOf/oneOf branch, objects with every property filled, arrays
 * with minItems items, strings = text, numbers 0, booleans false. $ref and
 * string patterns are not followed. Caller owns the result. */
static struct json_object *schema_value(struct json_object *schema, const char *text, int depth)
{
	struct json_object *x;
	if (!json_object_is_type(schema, json_type_object) || depth > LOCAL_SCHEMA_DEPTH)
		return json_object_new_string(text);
	if (json_object_object_get_ex(schema, "const", &x))
		return json_object_get(x);
	if (json_object_object_get_ex(schema, "enum", &x) && json_object_is_type(x, json_type_array) &&
	    json_object_array_length(x) > 0)
		return json_object_get(json_object_array_get_idx(x, 0));
	if ((json_object_object_get_ex(schema, "anyOf", &x) || json_object_object_get_ex(schema, "oneOf", &x)) &&
	    json_object_is_type(x, json_type_array) && json_object_array_length(x) > 0)
		return schema_value(json_object_array_get_idx(x, 0), text, depth + 1);
	const char *type = schema_type(schema);
	if (type == NULL || strcmp(type, "string") == 0)
		return json_object_new_string(text);
	if (strcmp(type, "integer") == 0)
		return json_object_new_int(0);
	if (strcmp(type, "number") == 0)
		return json_object_new_double(0.0);
	if (strcmp(type, "boolean") == 0)
		return json_object_new_boolean(0);
	if (strcmp(type, "null") == 0)
		return NULL;
	if (strcmp(type, "array") == 0) {
		struct json_object *arr = json_object_new_array(), *items = NULL, *min;
		int64_t n = json_object_object_get_ex(schema, "minItems", &min) ? json_object_get_int64(min) : 0;
		(void)json_object_object_get_ex(schema, "items", &items);
		for (int64_t i = 0; i < n && i < LOCAL_SCHEMA_ITEMS; i++)
			json_object_array_add(arr, schema_value(items, text, depth + 1));
		return arr;
	}
	struct json_object *obj = json_object_new_object(), *props;
	if (json_object_object_get_ex(schema, "properties", &props) && json_object_is_type(props, json_type_object)) {
		json_object_object_foreach(props, key, sub)
			json_object_object_add(obj, key, schema_value(sub, text, depth + 1));
	}
	return obj;
}

/* The reply in the call's format, appended to reply: the quote itself, or
 * JSON carrying it. */
static cf_status format_reply(const struct llm_call *call, const char *quote, struct buf *reply)
{
	enum llm_format type = call->format ? call->format->type : LLM_FORMAT_TEXT;
	if (type == LLM_FORMAT_TEXT)
		return buf_append_str(reply, quote);
	struct json_object *value = NULL, *js = NULL, *schema;
	if (type == LLM_FORMAT_JSON_SCHEMA && call->format->json_schema != NULL)
		js = json_tokener_parse(call->format->json_schema);
	if (js != NULL && json_object_object_get_ex(js, "schema", &schema)) {
		value = schema_value(schema, quote, 0);
	} else {
		value = json_object_new_object();
		json_object_object_add(value, "reply", json_object_new_string(quote));
	}
	cf_status st = buf_append_str(reply, value ? json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN) : "null");
	json_object_put(value);
	json_object_put(js);
	return st;
}

cf_status llm_local_complete(const struct llm_call *call, struct llm_result *r)
{
	const char *last = "";
	long prompt_words = count_words(call->system_prompt ? call->system_prompt : "");
	for (size_t i = 0; i < call->nturns; i++) {
		prompt_words += count_words(call->turns[i].text);
		if (call->turns[i].role == LLM_USER)
			last = call->turns[i].text;
	}
	struct buf quote, reply;
	buf_init(&quote, CF_MAX_LLM_REPLY_BYTES);
	buf_init(&reply, CF_MAX_LLM_REPLY_BYTES);
	cf_status st = buf_append_str(&quote, "You said: ");
	if (st == CF_OK)
		st = buf_append_str(&quote, last);
	if (st == CF_OK)
		st = format_reply(call, buf_str(&quote), &reply);
	buf_free(&quote);
	if (st != CF_OK) {
		snprintf(r->error, sizeof r->error, "reply too long");
		buf_free(&reply);
		return CF_E_UPSTREAM;
	}
	/* hand it over in word-sized pieces, each with its following spaces */
	const char *p = buf_str(&reply);
	while (st == CF_OK && *p) {
		size_t n = strcspn(p, " \n");
		n += strspn(p + n, " \n");
		st = llm_deliver(call, r, p, n);
		p += n;
	}
	r->have_usage = true;
	r->prompt_tokens = prompt_words;
	r->completion_tokens = count_words(buf_str(&reply));
	llm_set_finish_reason(r, "stop", 4);
	buf_free(&reply);
	return st;
}
