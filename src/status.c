/* status.c - the table that maps cf_status to HTTP, to the reference's
 * default error texts (docs/API.md §1.2), to OpenAI's error type and code
 * and to a retry hint (§1.2.1). */
#include "status.h"

#include <stddef.h>

/* oa_type and oa_code are what OpenAI's API sends for the same failure
 * (the OpenAI SDKs pick their error class by HTTP status and expose both);
 * retry is the x-should-retry hint (docs/API.md §1.2.1). Rows that share an
 * HTTP status share oa_type (unit-tested): a replayed reply is known by its
 * status only. */
static const struct {
	cf_status st;
	int http;
	const char *name;
	const char *detail;
	const char *oa_type;
	const char *oa_code;
	enum cf_retry retry;
} status_table[CF_STATUS_COUNT] = {
	{CF_OK, 200, "ok", "", "", NULL, CF_RETRY_UNSAID},
	/* a bug or a passing fault: the client's own rule (it retries 5xx) */
	{CF_E_INTERNAL, 500, "internal", "A server error occurred.", "server_error", NULL, CF_RETRY_UNSAID},
	{CF_E_DB, 500, "db", "A server error occurred.", "server_error", NULL, CF_RETRY_UNSAID},
	{CF_E_DB_UNAVAILABLE, 503, "db_unavailable", "Service temporarily unavailable, try again later.", "server_error",
	 NULL, CF_RETRY_YES},
	{CF_E_BAD_REQUEST, 400, "bad_request", "Bad request.", "invalid_request_error", NULL, CF_RETRY_NO},
	{CF_E_NO_CREDENTIALS, 401, "no_credentials", "Authentication credentials were not provided.",
	 "invalid_request_error", "invalid_api_key", CF_RETRY_NO},
	{CF_E_BAD_CREDENTIALS, 401, "bad_credentials", "Invalid token.", "invalid_request_error", "invalid_api_key",
	 CF_RETRY_NO},
	{CF_E_FORBIDDEN, 403, "forbidden", "You do not have permission to perform this action.", "request_forbidden",
	 "permission_denied", CF_RETRY_NO},
	{CF_E_NOT_FOUND, 404, "not_found", "Not found.", "invalid_request_error", NULL, CF_RETRY_NO},
	{CF_E_METHOD, 405, "method", "Method not allowed.", "invalid_request_error", NULL, CF_RETRY_NO},
	/* on the OpenAI routes only an Idempotency-Key still running: the
	 * client's rule (the SDKs retry 409) fits */
	{CF_E_CONFLICT, 409, "conflict", "Conflict.", "invalid_request_error", NULL, CF_RETRY_UNSAID},
	{CF_E_TOO_LARGE, 413, "too_large", "Request body too large.", "invalid_request_error", NULL, CF_RETRY_NO},
	{CF_E_MEDIA_TYPE, 415, "media_type", "Unsupported media type in request.", "invalid_request_error", NULL,
	 CF_RETRY_NO},
	{CF_E_UNPROCESSABLE, 422, "unprocessable", "Unprocessable request.", "invalid_request_error", NULL, CF_RETRY_NO},
	{CF_E_RATE_LIMITED, 429, "rate_limited", "Rate limit exceeded.", "requests", "rate_limit_exceeded",
	 CF_RETRY_YES},
	/* whether the provider's failure can pass is known to the caller only
	 * (response_retry_hints) */
	{CF_E_UPSTREAM, 502, "upstream", "The language model provider failed.", "server_error", NULL, CF_RETRY_UNSAID},
	{CF_E_TIMEOUT, 504, "timeout", "The language model provider did not answer in time.", "server_error", NULL,
	 CF_RETRY_YES},
	{CF_E_IO, 500, "io", "A server error occurred.", "server_error", NULL, CF_RETRY_UNSAID},
	/* a chatbot without a usable provider stays so until someone fixes it */
	{CF_E_CONFIG, 500, "config", "A server error occurred.", "server_error", NULL, CF_RETRY_NO},
	{CF_E_STORAGE, 507, "storage", "The upload could not be stored; try again later.", "server_error", NULL,
	 CF_RETRY_YES},
	{CF_E_REQUEST_TIMEOUT, 408, "request_timeout", "Request timeout.", "invalid_request_error", NULL, CF_RETRY_YES},
};

static int status_valid(cf_status st)
{
	return (int)st >= 0 && st < CF_STATUS_COUNT;
}

int cf_status_http(cf_status st)
{
	return status_valid(st) ? status_table[st].http : 500;
}

const char *cf_status_detail(cf_status st)
{
	return status_valid(st) ? status_table[st].detail : status_table[CF_E_INTERNAL].detail;
}

const char *cf_status_name(cf_status st)
{
	return status_valid(st) ? status_table[st].name : "unknown";
}

cf_status cf_status_for_http(int http_status)
{
	for (int i = 1; i < CF_STATUS_COUNT; i++)
		if (status_table[i].http == http_status)
			return status_table[i].st;
	return CF_E_INTERNAL;
}

const char *cf_status_openai_type(cf_status st)
{
	return status_valid(st) && st != CF_OK ? status_table[st].oa_type : status_table[CF_E_INTERNAL].oa_type;
}

const char *cf_status_openai_code(cf_status st)
{
	return status_valid(st) ? status_table[st].oa_code : NULL;
}

enum cf_retry cf_status_retry(cf_status st)
{
	return status_valid(st) ? status_table[st].retry : CF_RETRY_UNSAID;
}

const char *cf_http_reason(int http_status)
{
	switch (http_status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 507: return "Insufficient Storage";
	default: return "Unknown";
	}
}
