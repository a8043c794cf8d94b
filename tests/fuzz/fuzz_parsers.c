/* fuzz_parsers.c - libFuzzer target for the small parsers of untrusted
 * input, chosen by the first byte of the input:
 *   0  query strings (query_parse) and percent-decoding, with and without '+'
 *   1  UTF-8 validation and code-point counting
 *   2  JSON request bodies through the shared field validators (message
 *      lists as completions and sessions create take them, string fields)
 *   3  url_encode_component: decoding what it encoded gives the input back
 *      (for UTF-8 text; url_decode refuses anything else)
 *   4  base64url (cursors, PKCE): decoding what was encoded gives it back
 * Round-trip properties abort on a mismatch, so libFuzzer reports them. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cursor.h"
#include "limits.h"
#include "urlcode.h"
#include "utf8.h"
#include "validate.h"

static void fuzz_query(const char *s, size_t len)
{
	struct kv_list l = {NULL, 0};
	if (query_parse(s, CF_MAX_QUERY_PARAMS, &l) == CF_OK) {
		(void)kv_list_get(&l, "page_size");
		kv_list_free(&l);
	}
	char *out = NULL;
	if (url_decode(s, len, true, &out) == CF_OK)
		free(out);
	out = NULL;
	if (url_decode(s, len, false, &out) == CF_OK)
		free(out);
}

static void fuzz_json_fields(const char *s, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(CF_MAX_JSON_DEPTH);
	if (tok == NULL)
		return;
	struct json_object *obj = json_tokener_parse_ex(tok, s, (int)len);
	json_tokener_free(tok);
	if (obj == NULL)
		return;
	struct field_errors fe;
	field_errors_init(&fe);
	struct json_object *messages;
	if (json_object_is_type(obj, json_type_object)) {
		if (json_object_object_get_ex(obj, "messages", &messages))
			(void)validate_message_list(messages, &fe);
		json_object_object_foreach(obj, key, value) {
			const char *str;
			(void)validate_string(&fe, key, value, false, 100, &str);
			(void)json_type_label(value);
		}
	} else if (json_object_is_type(obj, json_type_array)) {
		(void)validate_message_list(obj, &fe);
	}
	struct json_object *errors = field_errors_take(&fe);
	if (errors != NULL)
		(void)json_object_to_json_string(errors);
	json_object_put(errors);
	field_errors_free(&fe);
	json_object_put(obj);
}

static void fuzz_url_encode(const char *s, size_t len)
{
	char *enc = url_encode_component(s);
	char *dec = NULL;
	if (enc == NULL)
		return;
	/* url_decode refuses what is not UTF-8 once decoded: the round trip
	 * holds for text only. */
	bool text = utf8_valid(s, len);
	cf_status st = url_decode(enc, strlen(enc), false, &dec);
	if (text && (st != CF_OK || strcmp(dec, s) != 0))
		abort();
	free(dec);
	free(enc);
}

static void fuzz_b64url(const char *s, size_t len)
{
	if (len > 1024)
		return;
	char enc[1400];
	unsigned char dec[1100];
	b64url_encode((const unsigned char *)s, len, enc);
	long n = b64url_decode(enc, strlen(enc), dec);
	if (n != (long)len || memcmp(dec, s, len) != 0)
		abort();
	(void)b64url_decode(s, len, dec);   /* and arbitrary text */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   /* called by libFuzzer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t len = size - 1;
	char *s = malloc(len + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, len);
	s[len] = '\0';
	switch (data[0] % 5) {
	case 0:
		fuzz_query(s, strlen(s));
		break;
	case 1:
		if (utf8_valid(s, len))
			(void)utf8_length(s, len);
		break;
	case 2:
		fuzz_json_fields(s, len);
		break;
	case 3:
		fuzz_url_encode(s, strlen(s));
		break;
	case 4:
		fuzz_b64url(s, len);
		break;
	}
	free(s);
	return 0;
}
