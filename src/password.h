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
/* Runs crypt on password against a dummy hash of the same method and cost
 * as password_hash (made once per process, without hashing, so the first
 * call costs what every other one does) and returns false: for a login of
 * an unknown account, so that its duration does not reveal whether the
 * account exists. */
bool password_verify_dummy(const char *password);
/* How many times this process ran crypt (tests: the dummy check ran). */
unsigned long password_crypt_calls(void);

#endif
