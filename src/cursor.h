/* cursor.h - opaque, URL-safe, tamper-evident pagination cursors.
 *
 * A cursor names a position in a keyset ordering: the boundary row's
 * created_at and id, and whether it asks for the page before (reverse) or
 * after it. Encoded as base64url(payload) "." base64url(HMAC-SHA256(secret,
 * payload)) truncated to 16 bytes; anything else decodes as invalid. */
#ifndef CONFAB_CURSOR_H
#define CONFAB_CURSOR_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

#define CURSOR_MAX_LEN 160

struct cursor {
	char created_at[32];      /* "YYYY-MM-DD HH:MM:SS.ffffff" */
	unsigned long long id;
	bool reverse;
};

/* Encodes c with secret into out (CURSOR_MAX_LEN bytes). */
cf_status cursor_encode(const struct cursor *c, const char *secret, char out[CURSOR_MAX_LEN]) CF_MUST_CHECK;
/* The cursor of a keyset position (created_at as the database writes it,
 * row id) encoded into out; reverse: it asks for the page before. */
cf_status cursor_make(const char *created_at, unsigned long long id, bool reverse, const char *secret,
                      char out[CURSOR_MAX_LEN]) CF_MUST_CHECK;
/* Decodes and verifies text; CF_E_NOT_FOUND ("Invalid cursor") on anything
 * malformed or forged. */
cf_status cursor_decode(const char *text, const char *secret, struct cursor *out) CF_MUST_CHECK;

/* base64url without padding. out must hold 4 * ((len + 2) / 3) + 1 bytes. */
void b64url_encode(const unsigned char *in, size_t len, char *out);
/* Returns the decoded length, or -1 on a bad character or length. out must
 * hold len * 3 / 4 + 1 bytes. */
long b64url_decode(const char *in, size_t len, unsigned char *out);

#endif
