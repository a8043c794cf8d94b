/* xalloc.h - allocation that succeeds or does not return (Postfix style).
 * Out of memory in a worker is not recoverable per request: log and exit,
 * and the master starts a fresh worker. */
#ifndef CONFAB_XALLOC_H
#define CONFAB_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Copies of s (NUL-terminated) / of the first n bytes of s; caller frees. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
