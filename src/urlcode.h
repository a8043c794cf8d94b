/* urlcode.h - percent-decoding and query-string parsing of untrusted input. */
#ifndef CONFAB_URLCODE_H
#define CONFAB_URLCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct kv {
	char *key;    /* owned, decoded, valid UTF-8 without NUL */
	char *value;  /* owned, decoded, valid UTF-8 without NUL */
};

struct kv_list {
	struct kv *items;
	size_t count;
};

/* Decodes %XX escapes (and '+' as space when plus_is_space) of in[0..len).
 * Fails with CF_E_BAD_REQUEST on a bad escape, an encoded NUL or invalid
 * UTF-8 in the result. *out is a fresh string the caller frees. */
cf_status url_decode(const char *in, size_t len, bool plus_is_space, char **out) CF_MUST_CHECK;

/* Parses "a=1&b=2&a=3" (application/x-www-form-urlencoded); repeated keys are
 * kept in order, empty pairs skipped. At most max_params pairs (more is
 * CF_E_BAD_REQUEST). On success the caller frees *out with kv_list_free. */
cf_status query_parse(const char *query, size_t max_params, struct kv_list *out) CF_MUST_CHECK;

void kv_list_free(struct kv_list *l);
/* First value for key, or NULL; borrowed from l. */
const char *kv_list_get(const struct kv_list *l, const char *key);
/* Appends an owned copy of key and value. */
void kv_list_add(struct kv_list *l, const char *key, const char *value);

/* Percent-encodes s for use in a query component (RFC 3986 unreserved kept).
 * Caller frees. */
char *url_encode_component(const char *s);

#endif
