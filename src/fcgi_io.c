/* fcgi_io.c - libfcgi adapter for requests and responses, with the read
 * and write deadlines of the FastCGI stream: SO_RCVTIMEO / SO_SNDTIMEO on
 * the connection, set to the time left before every read and write chunk
 * (libfcgi marks the stream in error when read() or write() times out),
 * and, for a stream, whether the web server closed the connection. */
#include "fcgi_io.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "limits.h"
#include "xalloc.h"

/* Set once per worker by fcgi_set_deadlines; defaults as in config.c. */
static struct fcgi_deadlines limits = {10, 1024, 10, 65536, 30};

/* The request being read: a worker serves one at a time. */
static struct {
	double start;        /* when its parameters had been read */
	long long got;       /* body bytes read */
	bool timed_out;      /* a read deadline passed */
} rd;

void fcgi_set_deadlines(const struct fcgi_deadlines *d)
{
	limits = *d;
}

bool fcgi_read_timed_out(void)
{
	return rd.timed_out;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_socket_timeout(int fd, int option, double seconds)
{
	if (fd < 0)
		return;
	if (seconds < 0.001)
		seconds = 0.001;   /* 0 would mean "never" */
	struct timeval tv = {(time_t)seconds, (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6)};
	(void)setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

/* The read deadline: request_read_timeout after the parameters; a
 * multipart body may take longer at upload_min_rate bytes a second. */
static double read_deadline(bool upload)
{
	double allowed = limits.read_timeout;
	if (upload && limits.upload_min_rate > 0)
		allowed += (double)rd.got / (double)limits.upload_min_rate;
	else if (upload)
		allowed = 1e9;   /* upload_min_rate = 0: no deadline for uploads */
	return rd.start + allowed;
}

/* The deadline passed or the stream broke: nothing more is read. Read
 * side shut so libfcgi's lingering close does not wait for a trickle. */
static void give_up_reading(FCGX_Request *fr, bool timed_out)
{
	if (timed_out)
		rd.timed_out = true;
	if (fr->ipcFd >= 0)
		(void)shutdown(fr->ipcFd, SHUT_RD);
}

/* Reads at most n body bytes before deadline: what libfcgi has buffered,
 * or else one read() from the connection. Returns the count, 0 at the
 * end of the body, -1 on a passed deadline or a broken stream. */
static int get_bounded(FCGX_Request *fr, char *buf, int n, double deadline)
{
	FCGX_Stream *in = fr->in;
	if (FCGX_GetError(in) != 0 || rd.timed_out)
		return -1;
	int avail = in->stop > in->rdNext ? (int)(in->stop - in->rdNext) : 0;
	if (avail == 0) {
		double left = deadline - now_seconds();
		if (left <= 0) {
			give_up_reading(fr, true);
			return -1;
		}
		set_socket_timeout(fr->ipcFd, SO_RCVTIMEO, left);
		avail = 1;   /* FCGX_GetStr fills its buffer with what one read() brings */
	}
	int got = FCGX_GetStr(buf, n < avail ? n : avail, in);
	int err = FCGX_GetError(in);
	if (err != 0) {
		give_up_reading(fr, err == EAGAIN || err == EWOULDBLOCK);
		return -1;
	}
	if (got > 0)
		rd.got += got;
	return got;
}

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
		int n = get_bounded(fr, body + len, (int)(cap - len), read_deadline(false));
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (declared < 0 && len > limit) {
		free(body);
		return CF_E_TOO_LARGE;
	}
	if (rd.timed_out) {
		free(body);
		return CF_E_REQUEST_TIMEOUT;
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
static void drain_input(FCGX_Request *fr, bool upload)
{
	char scratch[16384];
	long long left = CF_MAX_DRAIN_BYTES;
	int n;
	while (left > 0 && (n = get_bounded(fr, scratch, (int)sizeof scratch, read_deadline(upload))) > 0)
		left -= n;
}

static int read_stream(void *ctx, char *buf, int n)
{
	return get_bounded(ctx, buf, n, read_deadline(true));
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
			drain_input(fr, false);
			reply_detail(resp, CF_E_TOO_LARGE, "Request body too large.");
			return CF_E_TOO_LARGE;
		}
	}
	req->body_read = read_stream;
	req->body_ctx = fr;
	return CF_OK;
}

cf_status fcgi_read_request(FCGX_Request *fr, const char *url_prefix, long max_body, long max_upload,
                            struct request *req, struct response *resp)
{
	rd.start = now_seconds();
	rd.got = 0;
	rd.timed_out = false;
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
	if (st == CF_E_REQUEST_TIMEOUT) {
		reply_detail(resp, st, "Request timeout.");
		return st;
	}
	if (st == CF_E_TOO_LARGE) {
		drain_input(fr, false);
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

/* Writes len bytes in chunks, each with the time left before deadline;
 * false when the deadline passed or the stream broke. */
static bool put_bounded(FCGX_Request *fr, const char *data, size_t len, double deadline)
{
	size_t off = 0;
	while (off < len) {
		double left = deadline - now_seconds();
		if (left <= 0)
			return false;
		set_socket_timeout(fr->ipcFd, SO_SNDTIMEO, left);
		int n = len - off > CF_FCGI_WRITE_CHUNK ? CF_FCGI_WRITE_CHUNK : (int)(len - off);
		if (FCGX_PutStr(data + off, n, fr->out) != n || FCGX_GetError(fr->out) != 0)
			return false;
		off += (size_t)n;
	}
	return true;
}

/* A reader too slow for the write deadline: the connection is dropped
 * (what libfcgi still holds fails at once instead of waiting again). */
static void drop_connection(FCGX_Request *fr)
{
	if (fr->ipcFd >= 0)
		(void)shutdown(fr->ipcFd, SHUT_RDWR);
}

size_t fcgi_write_response(FCGX_Request *fr, const struct request *req, const struct response *resp)
{
	size_t body_len = resp->has_body ? resp->body.len : 0;
	double deadline = now_seconds() + limits.write_timeout +
	                  (limits.write_min_rate > 0 ? (double)body_len / (double)limits.write_min_rate : 0);
	set_socket_timeout(fr->ipcFd, SO_SNDTIMEO, deadline - now_seconds());
	FCGX_FPrintF(fr->out, "Status: %d %s\r\n", resp->http_status, cf_http_reason(resp->http_status));
	for (size_t i = 0; i < resp->headers.count; i++)
		FCGX_FPrintF(fr->out, "%s: %s\r\n", resp->headers.items[i].key, resp->headers.items[i].value);
	if (req != NULL && req->request_id[0] != '\0')
		FCGX_FPrintF(fr->out, "X-Request-Id: %s\r\n", req->request_id);
	size_t len = resp->has_body ? resp->body.len : 0;
	if (resp->http_status == 304)   /* RFC 9110 section 15.4.5: no body, no Content-Length */
		FCGX_PutS("\r\n", fr->out);
	else
		FCGX_FPrintF(fr->out, "Content-Length: %lu\r\n\r\n", (unsigned long)len);
	bool head = req != NULL && req->method != NULL && strcmp(req->method, "HEAD") == 0;
	if (len > 0 && !head && !put_bounded(fr, resp->body.data, len, deadline)) {
		drop_connection(fr);
		return 0;
	}
	return head ? 0 : len;
}

/* What the stream callbacks need; lives as long as the request. */
struct fcgi_sink {
	FCGX_Request *fr;
	const struct request *req;
};

/* A stream has no total deadline; each write may wait sse_idle_timeout
 * for the reader to make progress. */
static cf_status sink_begin(void *ctx, const struct response *resp)
{
	struct fcgi_sink *s = ctx;
	set_socket_timeout(s->fr->ipcFd, SO_SNDTIMEO, limits.sse_idle_timeout);
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
	set_socket_timeout(s->fr->ipcFd, SO_SNDTIMEO, limits.sse_idle_timeout);
	if ((len > 0 && FCGX_PutStr(data, (int)len, s->fr->out) != (int)len) || FCGX_FFlush(s->fr->out) != 0 ||
	    FCGX_GetError(s->fr->out) != 0) {
		drop_connection(s->fr);   /* the reader stalled (or left): the stream ends */
		return CF_E_IO;
	}
	return CF_OK;
}

/* The web server closes the FastCGI connection when its client leaves
 * (lighttpd at once, Apache when it next fails to pass a chunk on): a
 * closed or reset connection is seen here without writing or blocking.
 * Neither half-closes a FastCGI connection it still reads from (a whole
 * stream passes through both: openai_disconnect.test), so a read side shut
 * by the peer counts as closed too. */
static bool sink_gone(void *ctx)
{
	struct fcgi_sink *s = ctx;
	if (s->fr->ipcFd < 0 || FCGX_GetError(s->fr->out) != 0)
		return true;
	struct pollfd pfd = {.fd = s->fr->ipcFd, .events = POLLRDHUP};
	if (poll(&pfd, 1, 0) <= 0 || (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) == 0)
		return false;
	drop_connection(s->fr);
	return true;
}

void fcgi_finish_body(FCGX_Request *fr, const struct request *req)
{
	if (req->body_read != NULL)
		drain_input(fr, true);
}

void fcgi_attach_sink(FCGX_Request *fr, const struct request *req, struct response *resp)
{
	static struct fcgi_sink sink;   /* a worker serves one request at a time */
	sink.fr = fr;
	sink.req = req;
	resp->sink.begin = sink_begin;
	resp->sink.write = sink_write;
	resp->sink.gone = sink_gone;
	resp->sink.ctx = &sink;
}
