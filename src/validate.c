/* validate.c - DRF-compatible field validation helpers. */
#include "validate.h"

#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "utf8.h"

void field_errors_init(struct field_errors *fe)
{
	fe->obj = NULL;
}

void field_errors_free(struct field_errors *fe)
{
	json_object_put(fe->obj);
	fe->obj = NULL;
}

bool field_errors_any(const struct field_errors *fe)
{
	return fe->obj != NULL;
}

static struct json_object *errors_obj(struct field_errors *fe)
{
	if (fe->obj == NULL)
		fe->obj = json_object_new_object();
	return fe->obj;
}

void field_errors_add(struct field_errors *fe, const char *field, const char *msg)
{
	struct json_object *obj = errors_obj(fe);
	struct json_object *list = NULL;
	if (!json_object_object_get_ex(obj, field, &list) || !json_object_is_type(list, json_type_array)) {
		list = json_object_new_array();
		json_object_object_add(obj, field, list);
	}
	json_object_array_add(list, json_object_new_string(msg));
}

void field_errors_put(struct field_errors *fe, const char *field, struct json_object *value)
{
	json_object_object_add(errors_obj(fe), field, value);
}

struct json_object *field_errors_take(struct field_errors *fe)
{
	struct json_object *obj = errors_obj(fe);
	fe->obj = NULL;
	return obj;
}

const char *json_type_label(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "NoneType";
	case json_type_boolean: return "bool";
	case json_type_double: return "float";
	case json_type_int: return "int";
	case json_type_object: return "dict";
	case json_type_array: return "list";
	case json_type_string: return "str";
	}
	return "unknown";
}

bool validate_dict(struct field_errors *fe, const char *field, struct json_object *v)
{
	if (json_object_is_type(v, json_type_object))
		return true;
	char msg[96];
	snprintf(msg, sizeof msg, "Expected a dictionary of items but got type \"%s\".", json_type_label(v));
	field_errors_add(fe, field, msg);
	return false;
}

bool is_blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\n\r\f\v", *s))
			return false;
	return true;
}

bool validate_string(struct field_errors *fe, const char *field, struct json_object *v, bool allow_blank,
                     size_t max_chars, const char **out)
{
	if (v == NULL) {
		field_errors_add(fe, field, "This field may not be null.");
		return false;
	}
	if (!json_object_is_type(v, json_type_string)) {
		field_errors_add(fe, field, "Not a valid string.");
		return false;
	}
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	if (strlen(s) != len) {
		field_errors_add(fe, field, "Null characters are not allowed.");
		return false;
	}
	if (!allow_blank && is_blank(s)) {
		field_errors_add(fe, field, "This field may not be blank.");
		return false;
	}
	if (max_chars > 0 && utf8_length(s, len) > max_chars) {
		char msg[96];
		snprintf(msg, sizeof msg, "Ensure this field has no more than %zu characters.", max_chars);
		field_errors_add(fe, field, msg);
		return false;
	}
	*out = s;
	return true;
}

bool validate_message_list(struct json_object *messages, struct field_errors *fe)
{
	if (!json_object_is_type(messages, json_type_array)) {
		char msg[96];
		snprintf(msg, sizeof msg, "Expected a list of items but got type \"%s\".", json_type_label(messages));
		struct json_object *inner = json_object_new_object();
		struct json_object *list = json_object_new_array();
		json_object_array_add(list, json_object_new_string(msg));
		json_object_object_add(inner, "non_field_errors", list);
		field_errors_put(fe, "messages", inner);
		return false;
	}
	size_t n = json_object_array_length(messages);
	if (n > CF_MAX_SEED_MESSAGES) {
		char msg[96];
		snprintf(msg, sizeof msg, "Ensure this field has no more than %d elements.", CF_MAX_SEED_MESSAGES);
		field_errors_add(fe, "messages", msg);
		return false;
	}
	struct json_object *per_item = json_object_new_array();
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(messages, i);
		struct field_errors item;
		field_errors_init(&item);
		if (!json_object_is_type(m, json_type_object)) {
			char msg[96];
			snprintf(msg, sizeof msg, "Invalid data. Expected a dictionary, but got %s.", json_type_label(m));
			field_errors_add(&item, "non_field_errors", msg);
		} else {
			struct json_object *role = NULL, *content = NULL;
			bool has_role = json_object_object_get_ex(m, "role", &role);
			bool has_content = json_object_object_get_ex(m, "content", &content);
			if (!has_role) {
				field_errors_add(&item, "role", "This field is required.");
			} else {
				const char *r = json_object_is_type(role, json_type_string) ? json_object_get_string(role) : NULL;
				if (r == NULL || (strcmp(r, "system") != 0 && strcmp(r, "user") != 0 && strcmp(r, "assistant") != 0)) {
					char msg[160];
					snprintf(msg, sizeof msg, "\"%.100s\" is not a valid choice.",
					         r ? r : json_object_to_json_string_ext(role, JSON_C_TO_STRING_PLAIN));
					field_errors_add(&item, "role", msg);
				}
			}
			const char *text;
			if (!has_content)
				field_errors_add(&item, "content", "This field is required.");
			else
				(void)validate_string(&item, "content", content, false, CF_MAX_MESSAGE_CHARS, &text);
		}
		if (field_errors_any(&item)) {
			ok = false;
			json_object_array_add(per_item, field_errors_take(&item));
		} else {
			json_object_array_add(per_item, json_object_new_object());
		}
		field_errors_free(&item);
	}
	if (!ok)
		field_errors_put(fe, "messages", per_item);
	else
		json_object_put(per_item);
	return ok;
}
