/* transport_telegram.c - Telegram Bot API sendMessage over the shared
 * libcurl setup (http_client.h), one connection per process. */
#include "transport_telegram.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "http_client.h"
#include "limits.h"


/* True when Telegram's answer is a JSON object with "ok": true. */
static bool answer_ok(const char *text)
{
	struct json_object *obj = json_tokener_parse(text), *ok;
	bool good = obj != NULL && json_object_object_get_ex(obj, "ok", &ok) && json_object_is_type(ok, json_type_boolean) &&
	            json_object_get_boolean(ok);
	json_object_put(obj);
	return good;
}

cf_status telegram_send(const char *api_base, const char *token, const char *chat_id, const char *text, char *err,
                        size_t errlen)
{
	static CURL *curl;   /* one per process: the connection is reused */
	if (http_client_handle(&curl) == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		return CF_E_INTERNAL;
	}
	size_t n = strlen(api_base);
	while (n > 0 && api_base[n - 1] == '/')
		n--;
	char url[1024];
	snprintf(url, sizeof url, "%.*s/bot%s/sendMessage", (int)n, api_base, token);
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "chat_id", json_object_new_string(chat_id));
	json_object_object_add(body, "text", json_object_new_string(text));
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	struct buf answer;
	buf_init(&answer, CF_TELEGRAM_MAX_RESPONSE);
	struct http_post post = {
		.url = url,
		.headers = headers,
		.body = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN),
		.connect_timeout_ms = CF_TELEGRAM_CONNECT_TIMEOUT_MS,
		.timeout_ms = CF_TELEGRAM_TIMEOUT_MS,
		.on_write = http_client_collect,
		.write_ctx = &answer,
	};
	long status = 0;
	CURLcode rc = http_client_post(curl, &post, &status);
	explicit_bzero(url, sizeof url);
	cf_status st = CF_OK;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "telegram: %s", curl_easy_strerror(rc));
		st = http_client_failure(rc);
	} else if (status == 429 || status >= 500) {
		snprintf(err, errlen, "telegram answered HTTP %ld", status);
		st = CF_E_UPSTREAM;
	} else if (status != 200 || !answer_ok(buf_str(&answer))) {
		snprintf(err, errlen, "telegram refused the message (HTTP %ld): %.120s", status, buf_str(&answer));
		st = CF_E_BAD_REQUEST;
	}
	curl_slist_free_all(headers);
	json_object_put(body);
	buf_free(&answer);
	return st;
}
