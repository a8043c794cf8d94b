/* sse.c - incremental text/event-stream parser (see sse.h). Follows the
 * WHATWG rules: lines end in CR, LF or CRLF; "field: value" with one
 * optional space after the colon; lines starting with ':' are comments; a
 * blank line dispatches the event when it has data. */
#include "sse.h"

#include <string.h>

void sse_init(struct sse_parser *p, size_t max_event, sse_event_fn fn, void *ctx)
{
	memset(p, 0, sizeof *p);
	buf_init(&p->line, max_event);
	buf_init(&p->data, max_event);
	buf_init(&p->event, 256);
	p->fn = fn;
	p->ctx = ctx;
}

void sse_free(struct sse_parser *p)
{
	buf_free(&p->line);
	buf_free(&p->data);
	buf_free(&p->event);
}

static cf_status dispatch(struct sse_parser *p)
{
	cf_status st = CF_OK;
	if (p->has_data) {
		struct sse_event ev = {buf_str(&p->event), buf_str(&p->data), p->data.len};
		st = p->fn(p->ctx, &ev);
	}
	buf_reset(&p->data);
	buf_reset(&p->event);
	p->has_data = false;
	return st;
}

static cf_status process_line(struct sse_parser *p)
{
	const char *line = buf_str(&p->line);
	size_t len = p->line.len;
	if (len == 0)
		return dispatch(p);
	if (line[0] == ':')
		return CF_OK;
	const char *colon = memchr(line, ':', len);
	size_t name_len = colon ? (size_t)(colon - line) : len;
	const char *value = colon ? colon + 1 : line + len;
	size_t value_len = len - (size_t)(value - line);
	if (value_len > 0 && value[0] == ' ') {
		value++;
		value_len--;
	}
	if (name_len == 4 && memcmp(line, "data", 4) == 0) {
		cf_status st = CF_OK;
		if (p->has_data)
			st = buf_append(&p->data, "\n", 1);
		if (st == CF_OK)
			st = buf_append(&p->data, value, value_len);
		p->has_data = true;
		return st;
	}
	if (name_len == 5 && memcmp(line, "event", 5) == 0) {
		buf_reset(&p->event);
		return buf_append(&p->event, value, value_len);
	}
	return CF_OK;   /* id, retry and unknown fields are not used */
}

cf_status sse_feed(struct sse_parser *p, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n && p->failed == CF_OK; i++) {
		char c = bytes[i];
		if (c == '\n' && p->after_cr) {
			p->after_cr = false;
			continue;
		}
		p->after_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			p->failed = process_line(p);
			buf_reset(&p->line);
			continue;
		}
		/* take the run of ordinary bytes at once */
		size_t j = i;
		while (j < n && bytes[j] != '\r' && bytes[j] != '\n')
			j++;
		p->failed = buf_append(&p->line, bytes + i, j - i);
		i = j - 1;
	}
	return p->failed;
}
