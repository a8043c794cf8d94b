/* fuzz_request.c - libFuzzer target: what a web server hands confabd. The
 * input is split on NUL bytes into FastCGI parameters ("NAME=value"); the
 * request layer parses path, query, headers and cookies, then the body
 * parsers (JSON with its depth limit, form) and the chat API's
 * Origin/Referer host extraction run on it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "chat_auth.h"
#include "http_request.h"
#include "urlcode.h"

#define MAX_PARAMS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   /* called by libFuzzer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *params[MAX_PARAMS + 1];
	size_t n = 0;
	char *body = NULL;
	for (char *p = copy; p < copy + size && n < MAX_PARAMS; p += strlen(p) + 1) {
		if (strncmp(p, "BODY=", 5) == 0 && body == NULL)
			body = p + 5;
		else
			params[n++] = p;
	}
	params[n] = NULL;
	struct request req;
	request_init(&req);
	struct request_source src = {params, "/confab"};
	if (request_from_params(&req, &src) == CF_OK) {
		if (body != NULL) {
			size_t len = strlen(body);
			char *b = malloc(len + 1);
			if (b != NULL) {
				memcpy(b, body, len + 1);
				request_set_body(&req, b, len);
			}
		}
		struct json_object *obj = NULL;
		char err[256];
		if (request_json_body(&req, &obj, err, sizeof err) == CF_OK)
			json_object_put(obj);
		struct kv_list form = {NULL, 0};
		if (request_form_body(&req, &form) == CF_OK)
			kv_list_free(&form);
		char host[256], cookie[256];
		if (request_origin_host(&req, host, sizeof host))
			(void)embed_domain_allowed("[\"*.example.org\", \"localhost\"]", host);
		(void)request_cookie(&req, "sessionid", cookie, sizeof cookie);
		(void)request_query(&req, "since");
		(void)request_header(&req, "authorization");
	}
	request_free(&req);
	free(copy);
	return 0;
}
