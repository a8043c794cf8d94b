/* validate.h - field validation of JSON request bodies with the reference
 * framework's messages (DRF), collected into one errors object so a
 * response can list every bad field at once. */
#ifndef CONFAB_VALIDATE_H
#define CONFAB_VALIDATE_H

#include <stdbool.h>

#include <json-c/json.h>

/* Collected field errors: {"field": ["msg", ...], ...}. */
struct field_errors {
	struct json_object *obj;   /* owned; NULL until the first error */
};

void field_errors_init(struct field_errors *fe);
void field_errors_free(struct field_errors *fe);
bool field_errors_any(const struct field_errors *fe);
/* Adds msg under field. */
void field_errors_add(struct field_errors *fe, const char *field, const char *msg);
/* Adds a nested errors value (object or array) under field; takes ownership. */
void field_errors_put(struct field_errors *fe, const char *field, struct json_object *value);
/* Hands the errors object to the caller and resets fe. */
struct json_object *field_errors_take(struct field_errors *fe);

/* DRF type names as used in "Expected a list of items but got type \"dict\"." */
const char *json_type_label(struct json_object *v);

/* A CharField: value must be a string (numbers and booleans are rejected
 * here, stricter than DRF), non-blank unless allow_blank, at most max_chars
 * code points (0 = no limit). Adds the DRF message to fe and returns false
 * when invalid; *out is borrowed from v. */
bool validate_string(struct field_errors *fe, const char *field, struct json_object *v, bool allow_blank,
                     size_t max_chars, const char **out);

/* A DictField: v must be an object; otherwise adds the DRF message naming
 * the JSON type sent ("Expected a dictionary of items but got type
 * \"list\".") and returns false. */
bool validate_dict(struct field_errors *fe, const char *field, struct json_object *v);

/* True when s is whitespace only (Python's str.strip() == ""). */
bool is_blank(const char *s);

/* A list of Message objects (docs/API.md §5, input side): each
 * needs a role of system/user/assistant and non-blank string content.
 * Nested errors under "messages" as DRF renders them; false when invalid. */
bool validate_message_list(struct json_object *messages, struct field_errors *fe);

#endif
