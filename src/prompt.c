/* prompt.c - system prompt templates. Supported: {participant_data},
 * {current_datetime}, {source_material}, {session_state} and
 * {session_state.KEY}. A state value that is a string is inserted as is,
 * anything else as compact JSON, a missing key as "". */
#include "prompt.h"

#include <string.h>

#include <json-c/json.h>

bool prompt_uses(const char *tmpl, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(tmpl, '{'); p != NULL; p = strchr(p + 1, '{'))
		if (strncmp(p + 1, name, n) == 0 && (p[1 + n] == '}' || p[1 + n] == '.'))
			return true;
	return false;
}

static cf_status append_state_key(struct buf *out, const char *state_json, const char *key, size_t key_len)
{
	struct json_object *state = json_tokener_parse(state_json ? state_json : "{}"), *v = NULL;
	char name[256];
	cf_status st = CF_OK;
	if (key_len < sizeof name && state != NULL && json_object_is_type(state, json_type_object)) {
		memcpy(name, key, key_len);
		name[key_len] = '\0';
		if (json_object_object_get_ex(state, name, &v) && v != NULL) {
			if (json_object_is_type(v, json_type_string))
				st = buf_append(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
			else
				st = buf_append_str(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		}
	}
	json_object_put(state);
	return st;
}

static cf_status append_datetime(struct buf *out, time_t now)
{
	struct tm tm;
	char text[96];
	if (gmtime_r(&now, &tm) == NULL || strftime(text, sizeof text, "%A, %d %B %Y %H:%M:%S UTC", &tm) == 0)
		return CF_E_INTERNAL;
	return buf_append_str(out, text);
}

/* Appends the value of the variable named by [name, name+len), or returns
 * CF_E_NOT_FOUND when it is not one of ours. */
static cf_status append_variable(struct buf *out, const char *name, size_t len, const struct prompt_vars *v)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(name, lit, len) == 0)
	if (IS("participant_data"))
		return buf_append_str(out, v->participant_data ? v->participant_data : "{}");
	if (IS("current_datetime"))
		return append_datetime(out, v->now);
	if (IS("source_material"))
		return buf_append_str(out, v->source_material ? v->source_material : "");
	if (IS("session_state"))
		return buf_append_str(out, v->session_state ? v->session_state : "{}");
	static const char state_dot[] = "session_state.";
	if (len > sizeof state_dot - 1 && memcmp(name, state_dot, sizeof state_dot - 1) == 0)
		return append_state_key(out, v->session_state, name + sizeof state_dot - 1, len - (sizeof state_dot - 1));
	return CF_E_NOT_FOUND;
#undef IS
}

cf_status prompt_render(const char *tmpl, const struct prompt_vars *vars, struct buf *out)
{
	const char *p = tmpl;
	cf_status st = CF_OK;
	while (st == CF_OK && *p != '\0') {
		const char *open = strchr(p, '{');
		if (open == NULL)
			return buf_append_str(out, p);
		const char *close = strchr(open + 1, '}');
		const char *next_open = strchr(open + 1, '{');
		if (close == NULL)
			return buf_append_str(out, p);
		st = buf_append(out, p, (size_t)(open - p));
		if (st != CF_OK)
			break;
		if (next_open != NULL && next_open < close) {   /* "{{" or "{a{b}": keep the first brace */
			st = buf_append(out, "{", 1);
			p = open + 1;
			continue;
		}
		st = append_variable(out, open + 1, (size_t)(close - open - 1), vars);
		if (st == CF_E_NOT_FOUND)
			st = buf_append(out, open, (size_t)(close - open + 1));
		p = close + 1;
	}
	return st;
}
