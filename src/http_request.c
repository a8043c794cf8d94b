/* http_request.c - turns FastCGI parameters into a validated request. */
#include "http_request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "limits.h"
#include "utf8.h"
#include "xalloc.h"

void request_init(struct request *req)
{
	memset(req, 0, sizeof *req);
}

void request_free(struct request *req)
{
	free(req->method);
	free(req->path);
	free(req->raw_path);
	free(req->raw_query);
	kv_list_free(&req->query);
	kv_list_free(&req->headers);
	free(req->content_type);
	free(req->scheme);
	free(req->host);
	free(req->remote_addr);
	free(req->body);
	request_init(req);
}

static const char *param_get(const struct request_source *src, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *const *p = src->params; p != NULL && *p != NULL; p++)
		if (strncmp(*p, name, nlen) == 0 && (*p)[nlen] == '=')
			return *p + nlen + 1;
	return NULL;
}

/* A header value is kept only when it is valid UTF-8, bounded, and free of
 * control characters other than tab. */
static bool header_value_ok(const char *v)
{
	size_t len = strlen(v);
	if (len > CF_MAX_HEADER_BYTES || !utf8_valid(v, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

static cf_status collect_headers(struct request *req, const struct request_source *src)
{
	for (const char *const *p = src->params; p != NULL && *p != NULL; p++) {
		const char *name;
		size_t nlen;
		const char *eq = strchr(*p, '=');
		if (eq == NULL)
			continue;
		if (strncmp(*p, "HTTP_", 5) == 0) {
			name = *p + 5;
			nlen = (size_t)(eq - name);
		} else if (strncmp(*p, "CONTENT_TYPE=", 13) == 0 || strncmp(*p, "CONTENT_LENGTH=", 15) == 0) {
			name = *p;
			nlen = (size_t)(eq - name);
		} else {
			continue;
		}
		if (nlen == 0 || nlen > 64)
			return CF_E_BAD_REQUEST;
		if (!header_value_ok(eq + 1))
			return CF_E_BAD_REQUEST;
		if (req->headers.count >= CF_MAX_HEADERS)
			return CF_E_BAD_REQUEST;
		char key[65];
		for (size_t i = 0; i < nlen; i++) {
			char c = name[i];
			key[i] = c == '_' ? '-' : (char)tolower((unsigned char)c);
		}
		key[nlen] = '\0';
		kv_list_add(&req->headers, key, eq + 1);
	}
	return CF_OK;
}

static void choose_request_id(struct request *req, const struct request_source *src)
{
	const char *given = request_header(req, "x-request-id");
	if (given == NULL)
		given = param_get(src, "UNIQUE_ID");
	if (given != NULL) {
		size_t len = strlen(given);
		bool ok = len >= 8 && len < sizeof req->request_id;
		for (size_t i = 0; ok && i < len; i++)
			ok = isalnum((unsigned char)given[i]) || given[i] == '-' || given[i] == '_' ||
			     given[i] == '@' || given[i] == '.';
		if (ok) {
			memcpy(req->request_id, given, len + 1);
			return;
		}
	}
	static const char alphabet[] = "0123456789abcdef";
	if (random_string(req->request_id, 16, alphabet) != CF_OK)
		snprintf(req->request_id, sizeof req->request_id, "unknown");
}

cf_status request_from_params(struct request *req, const struct request_source *src)
{
	const char *method = param_get(src, "REQUEST_METHOD");
	if (method == NULL || *method == '\0' || strlen(method) > 16)
		return CF_E_BAD_REQUEST;
	for (const char *m = method; *m; m++)
		if (!isupper((unsigned char)*m))
			return CF_E_BAD_REQUEST;
	req->method = xstrdup(method);

	cf_status st = collect_headers(req, src);
	if (st != CF_OK)
		return st;
	choose_request_id(req, src);

	/* REQUEST_URI is the raw target; without it fall back to the CGI split. */
	const char *uri = param_get(src, "REQUEST_URI");
	char *target;
	if (uri != NULL && *uri != '\0') {
		target = xstrdup(uri);
	} else {
		const char *script = param_get(src, "SCRIPT_NAME");
		const char *info = param_get(src, "PATH_INFO");
		const char *qs = param_get(src, "QUERY_STRING");
		target = xasprintf("%s%s%s%s", script ? script : "", info ? info : "",
		                   qs && *qs ? "?" : "", qs && *qs ? qs : "");
	}
	char *qmark = strchr(target, '?');
	if (qmark != NULL)
		*qmark = '\0';
	const char *query = qmark ? qmark + 1 : "";
	if (strlen(target) > CF_MAX_PATH_BYTES || strlen(query) > CF_MAX_QUERY_BYTES || target[0] != '/') {
		free(target);
		return CF_E_BAD_REQUEST;
	}
	/* Strip the mount point: "/confab/api/x" -> "/api/x". */
	const char *path = target;
	size_t plen = strlen(src->url_prefix ? src->url_prefix : "");
	if (plen > 0) {
		if (strncmp(target, src->url_prefix, plen) != 0 || target[plen] != '/') {
			free(target);
			return CF_E_NOT_FOUND;
		}
		path += plen;
	}
	req->raw_path = xstrdup(path);
	req->raw_query = xstrdup(query);
	free(target);

	st = url_decode(req->raw_path, strlen(req->raw_path), false, &req->path);
	if (st != CF_OK)
		return st;
	/* confabd's own check, whatever the front end let through: a control
	 * byte in the path (raw or %-decoded) is never a resource name, and the
	 * path reaches logs and Location headers. */
	for (const char *c = req->path; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return CF_E_BAD_REQUEST;
	st = query_parse(req->raw_query, CF_MAX_QUERY_PARAMS, &req->query);
	if (st != CF_OK)
		return st;

	const char *ctype = param_get(src, "CONTENT_TYPE");
	req->content_type = xstrdup(ctype ? ctype : "");

	const char *https = param_get(src, "HTTPS");
	const char *fwd = request_header(req, "x-forwarded-proto");
	bool secure = (https != NULL && strcasecmp(https, "on") == 0) ||
	              (fwd != NULL && strcasecmp(fwd, "https") == 0);
	req->scheme = xstrdup(secure ? "https" : "http");

	const char *host = request_header(req, "host");
	if (host == NULL) {
		const char *name = param_get(src, "SERVER_NAME");
		const char *port = param_get(src, "SERVER_PORT");
		host = name ? name : "localhost";
		req->host = (port && strcmp(port, secure ? "443" : "80") != 0) ? xasprintf("%s:%s", host, port)
		                                                                 : xstrdup(host);
	} else {
		/* Host becomes part of absolute URLs: allow only host[:port] bytes. */
		for (const char *h = host; *h; h++)
			if (!(isalnum((unsigned char)*h) || strchr("-.:[]_", *h)))
				return CF_E_BAD_REQUEST;
		req->host = xstrdup(host);
	}
	const char *remote = param_get(src, "REMOTE_ADDR");
	req->remote_addr = xstrdup(remote ? remote : "");
	return CF_OK;
}

int request_body_read(const struct request *req, char *buf, int n)
{
	return req->body_read ? req->body_read(req->body_ctx, buf, n) : 0;
}

void request_set_body(struct request *req, char *body, size_t len)
{
	free(req->body);
	req->body = body;
	req->body_len = len;
}

const char *request_header(const struct request *req, const char *name)
{
	return kv_list_get(&req->headers, name);
}

const char *request_query(const struct request *req, const char *name)
{
	return kv_list_get(&req->query, name);
}

char *request_base_url(const struct request *req, const char *url_prefix)
{
	return xasprintf("%s://%s%s", req->scheme, req->host, url_prefix != NULL ? url_prefix : "");
}

bool request_is_safe(const struct request *req)
{
	return strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0 ||
	       strcmp(req->method, "OPTIONS") == 0;
}

void request_media_type(const struct request *req, char *out, size_t outlen)
{
	const char *ct = req->content_type ? req->content_type : "";
	while (*ct == ' ')
		ct++;
	size_t n = 0;
	while (ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ' && n + 1 < outlen) {
		out[n] = (char)tolower((unsigned char)ct[n]);
		n++;
	}
	out[n] = '\0';
}

/* json-c, even in strict mode, takes single-quoted keys and NaN/Infinity;
 * RFC 8259 (and the reference's parser) does not. Outside string literals a
 * JSON text holds only structure, numbers and the three literals. */
static bool json_lexically_strict(const char *s, size_t len)
{
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (!strchr(" \t\r\n{}[],:0123456789+-.eEtrufalsn", c))
			return false;
	}
	return !in_string;
}

/* True when a string literal (a key or a value) holds the escape \u0000:
 * json-c decodes it, but every reader of a string (json_object_get_string,
 * object keys) stops at the NUL, so "a\u0000b" would be stored as "a".
 * Refused here, once, for every JSON body. */
static bool json_has_nul_escape(const char *s, size_t len)
{
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		if (!in_string) {
			in_string = s[i] == '"';
			continue;
		}
		if (s[i] == '"')
			in_string = false;
		else if (s[i] == '\\' && i + 1 < len) {
			if (s[i + 1] == 'u' && len - i >= 6 && memcmp(s + i + 2, "0000", 4) == 0)
				return true;
			i++;   /* the escaped character, so \\u0000 is text */
		}
	}
	return false;
}

cf_status request_json_body(const struct request *req, struct json_object **out, char *err, size_t errlen)
{
	if (req->body == NULL || req->body_len == 0) {
		*out = json_object_new_object();
		return CF_OK;
	}
	char media[128];
	request_media_type(req, media, sizeof media);
	if (strcmp(media, "application/json") != 0) {
		snprintf(err, errlen, "Unsupported media type \"%.100s\" in request.", req->content_type);
		return CF_E_MEDIA_TYPE;
	}
	if (!utf8_valid(req->body, req->body_len) || memchr(req->body, '\0', req->body_len) != NULL) {
		snprintf(err, errlen, "JSON parse error - body is not valid UTF-8");
		return CF_E_BAD_REQUEST;
	}
	if (!json_lexically_strict(req->body, req->body_len)) {
		snprintf(err, errlen, "JSON parse error - Expecting value or property name enclosed in double quotes");
		return CF_E_BAD_REQUEST;
	}
	if (json_has_nul_escape(req->body, req->body_len)) {
		snprintf(err, errlen, "JSON parse error - Null characters are not allowed.");
		return CF_E_BAD_REQUEST;
	}
	struct json_tokener *tok = json_tokener_new_ex(CF_MAX_JSON_DEPTH);
	if (tok == NULL)
		return CF_E_INTERNAL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The length includes the terminating NUL so that a bare top-level number
	 * ends (json-c would otherwise wait for more digits). */
	struct json_object *obj = json_tokener_parse_ex(tok, req->body, (int)req->body_len + 1);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		json_object_put(obj);
		snprintf(err, errlen, "JSON parse error - %s", json_tokener_error_desc(jerr));
		return CF_E_BAD_REQUEST;
	}
	/* Only whitespace may follow the value. */
	for (size_t i = used; i < req->body_len; i++) {
		if (!isspace((unsigned char)req->body[i])) {
			json_object_put(obj);
			snprintf(err, errlen, "JSON parse error - Extra data after the JSON value");
			return CF_E_BAD_REQUEST;
		}
	}
	*out = obj;  /* NULL for the JSON literal null */
	return CF_OK;
}

bool request_cookie(const struct request *req, const char *name, char *out, size_t outlen)
{
	const char *h = request_header(req, "cookie");
	size_t nlen = strlen(name);
	while (h != NULL && *h != '\0') {
		while (*h == ' ' || *h == ';')
			h++;
		const char *end = strchr(h, ';');
		size_t len = end ? (size_t)(end - h) : strlen(h);
		if (len > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			if (vlen + 1 > outlen)
				return false;
			memcpy(out, h + nlen + 1, vlen);
			out[vlen] = '\0';
			return true;
		}
		h = end;
	}
	return false;
}

cf_status request_form_body(const struct request *req, struct kv_list *out)
{
	char media[128];
	request_media_type(req, media, sizeof media);
	if (req->body != NULL && req->body_len > 0 && strcmp(media, "application/x-www-form-urlencoded") != 0)
		return CF_E_MEDIA_TYPE;
	return query_parse(req->body ? req->body : "", CF_MAX_QUERY_PARAMS, out);
}
