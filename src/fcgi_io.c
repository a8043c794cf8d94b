/* fcgi_io.c - libfcgi adapter for requests and responses. */
#include "fcgi_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "xalloc.h"

static cf_status read_body(FCGX_Request *fr, const struct request *req, long max_body, char **out,
                           size_t *out_len)
{
	const char *cl = request_header(req, "content-length");
	long long declared = -1;
	if (cl != NULL && *cl != '\0') {
		errno = 0;
		char *end = NULL;
		declared = strtoll(cl, &end, 10);
		if (errno != 0 || *end != '\0' || declared < 0)
			return CF_E_BAD_REQUEST;
		if (declared > max_body)
			return CF_E_TOO_LARGE;
	}
	if (declared == 0) {
		*out = NULL;
		*out_len = 0;
		return CF_OK;
	}
	/* Without a length (chunked input) read up to the limit + 1 to detect excess. */
	size_t cap = declared > 0 ? (size_t)declared : 4096;
	size_t limit = (size_t)max_body;
	char *body = xmalloc(cap + 1);
	size_t len = 0;
	for (;;) {
		if (len == cap) {
			if (declared > 0)
				break;
			if (cap > limit) {
				free(body);
				return CF_E_TOO_LARGE;
			}
			cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			body = xrealloc(body, cap + 1);
		}
		int n = FCGX_GetStr(body + len, (int)(cap - len), fr->in);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (declared < 0 && len > limit) {
		free(body);
		return CF_E_TOO_LARGE;
	}
	if (declared > 0 && len != (size_t)declared) {
		free(body);
		return CF_E_BAD_REQUEST;   /* the client sent less than it announced */
	}
	body[len] = '\0';
	if (len == 0) {
		free(body);
		body = NULL;
	}
	*out = body;
	*out_len = len;
	return CF_OK;
}

/* Reads and drops what is left of the body (bounded), so that the client,
 * still sending, gets to read the error reply instead of a reset. */
static void drain_input(FCGX_Request *fr)
{
	char scratch[16384];
	long long left = CF_MAX_DRAIN_BYTES;
	int n;
	while (left > 0 && (n = FCGX_GetStr(scratch, (int)sizeof scratch, fr->in)) > 0)
		left -= n;
}

static int read_stream(void *ctx, char *buf, int n)
{
	FCGX_Stream *in = ctx;
	int got = FCGX_GetStr(buf, n, in);
	return FCGX_GetError(in) != 0 ? -1 : got;
}

/* A multipart body is left for the handler to stream (never whole in
 * memory); only its announced size is checked here. */
static cf_status stream_body(FCGX_Request *fr, struct request *req, long max_upload, struct response *resp)
{
	const char *cl = request_header(req, "content-length");
	if (cl != NULL && *cl != '\0') {
		errno = 0;
		char *end = NULL;
		long long declared = strtoll(cl, &end, 10);
		if (errno != 0 || *end != '\0' || declared < 0) {
			reply_detail(resp, CF_E_BAD_REQUEST, "Malformed request body.");
			return CF_E_BAD_REQUEST;
		}
		/* twice the limit: the reference answers a body of files over the
		 * limit with its 400 messages, and no more than the limit is ever
		 * written to disk */
		if (declared > 2 * max_upload + CF_MULTIPART_OVERHEAD_BYTES) {
			drain_input(fr);
			reply_detail(resp, CF_E_TOO_LARGE, "Request body too large.");
			return CF_E_TOO_LARGE;
		}
	}
	req->body_read = read_stream;
	req->body_ctx = fr->in;
	return CF_OK;
}

cf_status fcgi_read_request(FCGX_Request *fr, const char *url_prefix, long max_body, long max_upload,
                            struct request *req, struct response *resp)
{
	struct request_source src = {(const char *const *)fr->envp, url_prefix};
	cf_status st = request_from_params(req, &src);
	if (st == CF_E_NOT_FOUND) {
		reply_detail(resp, st, NULL);
		return st;
	}
	if (st != CF_OK) {
		reply_detail(resp, CF_E_BAD_REQUEST, "Malformed request: bad path, query, header or encoding.");
		return st;
	}
	char media[64];
	request_media_type(req, media, sizeof media);
	if (strcmp(media, "multipart/form-data") == 0)
		return stream_body(fr, req, max_upload, resp);
	char *body = NULL;
	size_t len = 0;
	st = read_body(fr, req, max_body, &body, &len);
	if (st == CF_E_TOO_LARGE) {
		drain_input(fr);
		reply_detail(resp, st, "Request body too large.");
		return st;
	}
	if (st != CF_OK) {
		reply_detail(resp, CF_E_BAD_REQUEST, "Malformed request body.");
		return st;
	}
	request_set_body(req, body, len);
	return CF_OK;
}

size_t fcgi_write_response(FCGX_Request *fr, const struct request *req, const struct response *resp)
{
	FCGX_FPrintF(fr->out, "Status: %d %s\r\n", resp->http_status, cf_http_reason(resp->http_status));
	for (size_t i = 0; i < resp->headers.count; i++)
		FCGX_FPrintF(fr->out, "%s: %s\r\n", resp->headers.items[i].key, resp->headers.items[i].value);
	if (req != NULL && req->request_id[0] != '\0')
		FCGX_FPrintF(fr->out, "X-Request-Id: %s\r\n", req->request_id);
	size_t len = resp->has_body ? resp->body.len : 0;
	if (resp->http_status == 304)   /* RFC 9110 §15.4.5: no body, no Content-Length */
		FCGX_PutS("\r\n", fr->out);
	else
		FCGX_FPrintF(fr->out, "Content-Length: %lu\r\n\r\n", (unsigned long)len);
	bool head = req != NULL && req->method != NULL && strcmp(req->method, "HEAD") == 0;
	if (len > 0 && !head)
		FCGX_PutStr(resp->body.data, (int)len, fr->out);
	return head ? 0 : len;
}

/* What the stream callbacks need; lives as long as the request. */
struct fcgi_sink {
	FCGX_Request *fr;
	const struct request *req;
};

static cf_status sink_begin(void *ctx, const struct response *resp)
{
	struct fcgi_sink *s = ctx;
	FCGX_FPrintF(s->fr->out, "Status: %d %s\r\n", resp->http_status, cf_http_reason(resp->http_status));
	for (size_t i = 0; i < resp->headers.count; i++)
		FCGX_FPrintF(s->fr->out, "%s: %s\r\n", resp->headers.items[i].key, resp->headers.items[i].value);
	if (s->req->request_id[0] != '\0')
		FCGX_FPrintF(s->fr->out, "X-Request-Id: %s\r\n", s->req->request_id);
	FCGX_PutS("\r\n", s->fr->out);
	return (FCGX_FFlush(s->fr->out) == 0 && FCGX_GetError(s->fr->out) == 0) ? CF_OK : CF_E_IO;
}

static cf_status sink_write(void *ctx, const char *data, size_t len)
{
	struct fcgi_sink *s = ctx;
	if (len > 0 && FCGX_PutStr(data, (int)len, s->fr->out) != (int)len)
		return CF_E_IO;
	return (FCGX_FFlush(s->fr->out) == 0 && FCGX_GetError(s->fr->out) == 0) ? CF_OK : CF_E_IO;
}

void fcgi_finish_body(FCGX_Request *fr, const struct request *req)
{
	if (req->body_read != NULL)
		drain_input(fr);
}

void fcgi_attach_sink(FCGX_Request *fr, const struct request *req, struct response *resp)
{
	static struct fcgi_sink sink;   /* a worker serves one request at a time */
	sink.fr = fr;
	sink.req = req;
	resp->sink.begin = sink_begin;
	resp->sink.write = sink_write;
	resp->sink.ctx = &sink;
}
