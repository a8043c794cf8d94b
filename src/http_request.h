/* http_request.h - one HTTP request, parsed and validated at the edge.
 *
 * Built from the FastCGI parameters by request_from_params, which fcgi_io.c
 * calls (or directly by unit tests and fuzzers). Every string is owned by
 * the request, NUL-free and valid UTF-8; request_free releases all of it. */
#ifndef CONFAB_HTTP_REQUEST_H
#define CONFAB_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "status.h"
#include "urlcode.h"

struct request {
	char *method;        /* upper case, e.g. "GET" */
	char *path;          /* percent-decoded, url_prefix removed, starts with '/' */
	char *raw_path;      /* as received, without the query, url_prefix removed */
	char *raw_query;     /* as received, "" when absent */
	struct kv_list query;    /* decoded query parameters, repeated keys kept */
	struct kv_list headers;  /* names lower-cased with '-' */
	char *content_type;  /* "" when absent */
	char *scheme;        /* "http" or "https" */
	char *host;          /* Host header (or SERVER_NAME[:PORT]) */
	char *remote_addr;
	char *body;          /* NUL-terminated copy, NULL when no body */
	size_t body_len;
	/* multipart/form-data bodies are not read up front: the handler streams
	 * them with request_body_read (NULL when the body was read already) */
	int (*body_read)(void *ctx, char *buf, int n);
	void *body_ctx;
	char request_id[40];
};

/* One parameter as the FastCGI server passes it ("NAME=value"). */
struct request_source {
	const char *const *params;  /* NULL-terminated "NAME=value" list, borrowed */
	const char *url_prefix;     /* mount point to strip, "" for none */
};

void request_init(struct request *req);
void request_free(struct request *req);

/* Fills req from FastCGI-style parameters. CF_E_BAD_REQUEST for a malformed
 * path, query, header or bad UTF-8, a path whose decoded bytes include a
 * control character (< 0x20 or 0x7f), or a header value with a control
 * character other than TAB (CR, LF, NUL included); CF_E_NOT_FOUND when the path lies outside
 * url_prefix. The body is read separately (request_set_body). */
cf_status request_from_params(struct request *req, const struct request_source *src) CF_MUST_CHECK;
/* Reads up to n bytes of a streamed body: the count, 0 at its end, -1 on
 * an error (and 0 when the body is not streamed). */
int request_body_read(const struct request *req, char *buf, int n);
/* Takes ownership of body (malloc'ed, NUL-terminated, len bytes). */
void request_set_body(struct request *req, char *body, size_t len);

/* Header value by lower-case name, or NULL; borrowed. */
const char *request_header(const struct request *req, const char *name);
/* First query value, or NULL; borrowed. */
const char *request_query(const struct request *req, const char *name);
/* The absolute URL of the API root as this request reached it, e.g.
 * "https://host:8443/prefix": scheme, "://", the host as sent (Host header,
 * with its port) and url_prefix (the mount point, "" for none), no trailing
 * slash. The one place this URL is built; caller frees. */
char *request_base_url(const struct request *req, const char *url_prefix);
/* True for GET, HEAD and OPTIONS. */
bool request_is_safe(const struct request *req);

/* Value of a cookie from the Cookie header into out (outlen bytes); false
 * when absent or longer than outlen - 1. */
bool request_cookie(const struct request *req, const char *name, char *out, size_t outlen);

/* Parses an application/x-www-form-urlencoded body into out (caller frees
 * with kv_list_free). CF_E_MEDIA_TYPE for another content type,
 * CF_E_BAD_REQUEST for a malformed body. */
cf_status request_form_body(const struct request *req, struct kv_list *out) CF_MUST_CHECK;

/* The media type of the Content-Type header without parameters, lower-case,
 * into out ("" when absent). */
void request_media_type(const struct request *req, char *out, size_t outlen);

/* Parses the body as a JSON value (DRF's JSONParser rules): no body -> a new
 * empty object; a content type other than application/json ->
 * CF_E_MEDIA_TYPE; bad UTF-8 or malformed JSON, a string or key with the
 * escape \u0000 (a NUL no reader would see past), or nesting deeper than
 * CF_MAX_JSON_DEPTH -> CF_E_BAD_REQUEST with a message in err. On success
 * the caller owns *out (json_object_put). */
cf_status request_json_body(const struct request *req, struct json_object **out, char *err,
                            size_t errlen) CF_MUST_CHECK;

#endif
