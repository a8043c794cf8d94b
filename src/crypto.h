/* crypto.h - random bytes, digests and constant-time comparison.
 * Random bytes come from getrandom(); digests from OpenSSL's libcrypto. */
#ifndef CONFAB_CRYPTO_H
#define CONFAB_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* Fills buf with n cryptographically secure random bytes. */
/* Loads OpenSSL's algorithms once (a digest of each kind and a few random
 * bytes), in the master before forking, so that workers share those pages
 * instead of each initialising OpenSSL again. */
void crypto_preload(void);

cf_status random_bytes(void *buf, size_t n) CF_MUST_CHECK;
/* Writes n characters drawn uniformly from alphabet (no modulo bias) and a
 * NUL into out (size n + 1). */
cf_status random_string(char *out, size_t n, const char *alphabet) CF_MUST_CHECK;
/* Lower-case hex SHA-512 of data into out (129 bytes with the NUL). */
void sha512_hex(const void *data, size_t len, char out[129]);
/* Lower-case hex SHA-256 of data into out (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t len, char out[65]);
/* Standard (padded) base64 of the SHA-256 of data into out (45 bytes with
 * the NUL): the form of a Content-Security-Policy hash source. */
void sha256_base64(const void *data, size_t len, char out[45]);
/* Lower-case hex of n bytes into out (2n + 1 bytes with the NUL). */
void hex_encode(const void *in, size_t n, char *out);
/* Exactly 2n hex digits (either case) of hex into n bytes; false otherwise. */
bool hex_decode(const char *hex, size_t n, unsigned char *out);
/* Equality of two strings in time that depends only on their lengths. */
bool secret_equal(const char *a, const char *b);

#endif
