/* status.c - the table that maps cf_status to HTTP and to the reference's
 * default error texts (docs/API.md §1.2). */
#include "status.h"

#include <stddef.h>

static const struct {
	cf_status st;
	int http;
	const char *name;
	const char *detail;
} status_table[CF_STATUS_COUNT] = {
	{CF_OK, 200, "ok", ""},
	{CF_E_INTERNAL, 500, "internal", "A server error occurred."},
	{CF_E_DB, 500, "db", "A server error occurred."},
	{CF_E_DB_UNAVAILABLE, 503, "db_unavailable", "Service temporarily unavailable, try again later."},
	{CF_E_BAD_REQUEST, 400, "bad_request", "Bad request."},
	{CF_E_NO_CREDENTIALS, 401, "no_credentials", "Authentication credentials were not provided."},
	{CF_E_BAD_CREDENTIALS, 401, "bad_credentials", "Invalid token."},
	{CF_E_FORBIDDEN, 403, "forbidden", "You do not have permission to perform this action."},
	{CF_E_NOT_FOUND, 404, "not_found", "Not found."},
	{CF_E_METHOD, 405, "method", "Method not allowed."},
	{CF_E_CONFLICT, 409, "conflict", "Conflict."},
	{CF_E_TOO_LARGE, 413, "too_large", "Request body too large."},
	{CF_E_MEDIA_TYPE, 415, "media_type", "Unsupported media type in request."},
	{CF_E_UNPROCESSABLE, 422, "unprocessable", "Unprocessable request."},
	{CF_E_RATE_LIMITED, 429, "rate_limited", "Rate limit exceeded."},
	{CF_E_UPSTREAM, 502, "upstream", "The language model provider failed."},
	{CF_E_TIMEOUT, 504, "timeout", "The language model provider did not answer in time."},
	{CF_E_IO, 500, "io", "A server error occurred."},
	{CF_E_CONFIG, 500, "config", "A server error occurred."},
	{CF_E_STORAGE, 507, "storage", "The upload could not be stored; try again later."},
	{CF_E_REQUEST_TIMEOUT, 408, "request_timeout", "Request timeout."},
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
