/* fcgi_io.h - the FastCGI transport: reads a request (parameters and a
 * bounded body) from libfcgi and writes a response back. */
#ifndef CONFAB_FCGI_IO_H
#define CONFAB_FCGI_IO_H

#include <stdbool.h>

#include <fcgiapp.h>

#include "http_request.h"
#include "http_response.h"

/* Deadlines of the FastCGI stream (confab.conf keys of the same names). */
struct fcgi_deadlines {
	int read_timeout;       /* s: parameters read to body read (request_read_timeout) */
	long upload_min_rate;   /* bytes/s a multipart body must keep after that grace; 0 = none */
	int write_timeout;      /* s: a whole non-streaming response (response_write_timeout) */
	long write_min_rate;    /* bytes/s: each byte of a big response adds 1/rate s; 0 = none */
	int sse_idle_timeout;   /* s: one write of a stream may wait this long for the reader */
};
/* Sets the deadlines of this process's requests (the worker, once). */
void fcgi_set_deadlines(const struct fcgi_deadlines *d);
/* True when the current request's body was not read in time (its
 * answer is then 408, or the connection is dropped). */
bool fcgi_read_timed_out(void);

/* Parses fr's parameters and reads its body (at most max_body bytes) into
 * req; a multipart/form-data body (at most max_upload bytes of files) is
 * left to stream (req->body_read). On failure resp holds the error reply
 * (400, 404, 408, 413). */
cf_status fcgi_read_request(FCGX_Request *fr, const char *url_prefix, long max_body, long max_upload,
                            struct request *req, struct response *resp) CF_MUST_CHECK;
/* Reads and drops what a handler left of a streamed body. */
void fcgi_finish_body(FCGX_Request *fr, const struct request *req);

/* Writes status line, headers and body; the body is omitted for HEAD.
 * Returns the number of body bytes written (0 when the write deadline
 * passed and the connection was dropped). */
size_t fcgi_write_response(FCGX_Request *fr, const struct request *req, const struct response *resp);

/* Lets handlers stream resp's body straight to fr (see
 * response_stream_begin, and response_stream_gone, which looks at the
 * connection); req and fr are borrowed for the request. */
void fcgi_attach_sink(FCGX_Request *fr, const struct request *req, struct response *resp);

#endif
