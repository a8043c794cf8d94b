/* transport_telegram.c - Telegram Bot API sendMessage. */
#include "transport_telegram.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "limits.h"


static size_t collect(char *data, size_t size, size_t nmemb, void *userdata)
{
	size_t n = size * nmemb;
	return buf_append(userdata, data, n) == CF_OK ? n : 0;
}

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
	if (curl == NULL && (curl = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		return CF_E_INTERNAL;
	}
	curl_easy_reset(curl);
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
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, CF_TELEGRAM_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, CF_TELEGRAM_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(curl);
	explicit_bzero(url, sizeof url);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	cf_status st = CF_OK;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "telegram: %s", curl_easy_strerror(rc));
		st = rc == CURLE_OPERATION_TIMEDOUT ? CF_E_TIMEOUT : CF_E_UPSTREAM;
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
