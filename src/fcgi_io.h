/* fcgi_io.h - the FastCGI transport: reads a request (parameters and a
 * bounded body) from libfcgi and writes a response back. */
#ifndef CONFAB_FCGI_IO_H
#define CONFAB_FCGI_IO_H

#include <fcgiapp.h>

#include "http_request.h"
#include "http_response.h"

/* Parses fr's parameters and reads its body (at most max_body bytes) into
 * req; a multipart/form-data body (at most max_upload bytes of files) is
 * left to stream (req->body_read). On failure resp holds the error reply
 * (400, 404, 413). */
cf_status fcgi_read_request(FCGX_Request *fr, const char *url_prefix, long max_body, long max_upload,
                            struct request *req, struct response *resp) CF_MUST_CHECK;
/* Reads and drops what a handler left of a streamed body. */
void fcgi_finish_body(FCGX_Request *fr, const struct request *req);

/* Writes status line, headers and body; the body is omitted for HEAD.
 * Returns the number of body bytes written. */
size_t fcgi_write_response(FCGX_Request *fr, const struct request *req, const struct response *resp);

/* Lets handlers stream resp's body straight to fr (see
 * response_stream_begin); req and fr are borrowed for the request. */
void fcgi_attach_sink(FCGX_Request *fr, const struct request *req, struct response *resp);

#endif
