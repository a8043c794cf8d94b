/* validate.c - DRF-compatible field validation helpers. */
#include "validate.h"

#include <stdio.h>
#include <string.h>

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
