/* sse.h - an incremental parser of text/event-stream (the WHATWG
 * Server-Sent Events framing) for the streams LLM providers send. Bytes are
 * fed as they arrive; each complete event is handed to a callback. Lines
 * and events are bounded: a stream that exceeds the bound fails. */
#ifndef CONFAB_SSE_H
#define CONFAB_SSE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

/* One event; both strings are borrowed for the duration of the callback.
 * event is "" when the stream named none ("message" by the standard). */
struct sse_event {
	const char *event;
	const char *data;
	size_t data_len;
};

/* A non-CF_OK return stops the parser; sse_feed returns that status. */
typedef cf_status (*sse_event_fn)(void *ctx, const struct sse_event *ev);

struct sse_parser {
	struct buf line;     /* the current, incomplete line */
	struct buf data;     /* data lines of the current event, joined by \n */
	struct buf event;    /* the current event's name */
	bool has_data;
	bool after_cr;       /* last byte was CR: a following LF is part of it */
	cf_status failed;    /* sticky */
	sse_event_fn fn;
	void *ctx;
};

/* max_event bounds one line and one event's data. */
void sse_init(struct sse_parser *p, size_t max_event, sse_event_fn fn, void *ctx);
void sse_free(struct sse_parser *p);
/* Parses n bytes; events completed by them are delivered before return. */
cf_status sse_feed(struct sse_parser *p, const char *bytes, size_t n) CF_MUST_CHECK;

#endif
