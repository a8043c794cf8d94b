/* password.h - user password hashing with libcrypt's strongest method
 * (yescrypt on Debian 12, via crypt_gensalt_ra(NULL, ...)). */
#ifndef CONFAB_PASSWORD_H
#define CONFAB_PASSWORD_H

#include <stdbool.h>

#include "status.h"

/* A fresh salted hash of password; caller frees *out. */
cf_status password_hash(const char *password, char **out) CF_MUST_CHECK;
/* True when password matches the stored hash (constant-time compare). */
bool password_verify(const char *password, const char *stored);

#endif
