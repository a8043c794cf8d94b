/* buf.h - a growable byte buffer with a ceiling (curl's dynbuf idea).
 * The content is always NUL-terminated; the buffer owns its memory. */
#ifndef CONFAB_BUF_H
#define CONFAB_BUF_H

#include <stddef.h>

#include "status.h"

struct buf {
	char *data;     /* NUL-terminated, NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;     /* appends that would pass this fail with CF_E_TOO_LARGE */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);   /* length 0, memory kept */
cf_status buf_append(struct buf *b, const void *data, size_t n) CF_MUST_CHECK;
cf_status buf_append_str(struct buf *b, const char *s) CF_MUST_CHECK;
cf_status buf_printf(struct buf *b, const char *fmt, ...) CF_MUST_CHECK
	__attribute__((format(printf, 2, 3)));
/* Hands the content to the caller (caller frees; "" if empty) and resets b. */
char *buf_take(struct buf *b);
/* The content as a string, "" when empty; borrowed. */
const char *buf_str(const struct buf *b);

#endif
