/* buf.c - growable, ceiling-bounded byte buffer. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static cf_status buf_reserve(struct buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return CF_E_TOO_LARGE;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return CF_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	return CF_OK;
}

cf_status buf_append(struct buf *b, const void *data, size_t n)
{
	cf_status st = buf_reserve(b, n);
	if (st != CF_OK)
		return st;
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return CF_OK;
}

cf_status buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

cf_status buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CF_E_INTERNAL;
	cf_status st = buf_reserve(b, (size_t)n);
	if (st != CF_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return CF_OK;
}

char *buf_take(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	buf_init(b, b->max);
	return s;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
