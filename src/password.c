/* password.c - libcrypt wrappers. */
#include "password.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "xalloc.h"

static unsigned long crypt_calls;

cf_status password_hash(const char *password, char **out)
{
	/* NULL prefix: libcrypt picks its default (strongest) method and reads
	 * its own random salt. */
	char *salt = crypt_gensalt_ra(NULL, 0, NULL, 0);
	if (salt == NULL)
		return CF_E_INTERNAL;
	struct crypt_data *data = xcalloc(1, sizeof *data);
	const char *hash = crypt_r(password, salt, data);
	crypt_calls++;
	cf_status st = CF_OK;
	if (hash == NULL || hash[0] == '*')
		st = CF_E_INTERNAL;
	else
		*out = xstrdup(hash);
	explicit_bzero(data, sizeof *data);
	free(data);
	free(salt);
	return st;
}

bool password_verify(const char *password, const char *stored)
{
	if (stored == NULL || *stored == '\0')
		return false;
	struct crypt_data *data = xcalloc(1, sizeof *data);
	const char *hash = crypt_r(password, stored, data);
	crypt_calls++;
	bool ok = hash != NULL && hash[0] != '*' && secret_equal(hash, stored);
	explicit_bzero(data, sizeof *data);
	free(data);
	return ok;
}

bool password_verify_dummy(const char *password)
{
	/* The setting string of the default method (method, cost and a random
	 * salt, no hash) is a stored hash nothing matches: crypt_r runs at full
	 * cost against it. Made once per process; cheap (no hashing). */
	static char *dummy;   /* lives as long as the process */
	if (dummy == NULL)
		dummy = crypt_gensalt_ra(NULL, 0, NULL, 0);
	if (dummy != NULL)
		(void)password_verify(password, dummy);
	return false;
}

unsigned long password_crypt_calls(void)
{
	return crypt_calls;
}
