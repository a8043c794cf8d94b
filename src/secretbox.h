/* secretbox.h - secrets at rest (provider API keys, bot tokens, webhook
 * secrets): AES-256-GCM from libcrypto under a 32-byte key file, in a
 * versioned text form that fits the existing columns. */
#ifndef CONFAB_SECRETBOX_H
#define CONFAB_SECRETBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* A sealed value is "enc:v1:<key id>:<base64(nonce | ciphertext | tag)>":
 * a 96-bit random nonce per value, a 128-bit tag, and as additional
 * authenticated data the version, the key id and the caller's context
 * (which column of which team), so a value moved to another column or
 * team, or edited, does not open. Any other text is a legacy plaintext
 * value and opens as itself. */
#define SECRETBOX_PREFIX "enc:v1:"
#define SECRETBOX_KEY_BYTES 32
#define SECRETBOX_NONCE_BYTES 12
#define SECRETBOX_TAG_BYTES 16
#define SECRETBOX_KEY_ID_LEN 8     /* hex characters */

struct secretbox_key {
	unsigned char bytes[SECRETBOX_KEY_BYTES];
	char id[SECRETBOX_KEY_ID_LEN + 1];   /* derived from the key: which key sealed a value */
};

/* Reads a key file: 64 hex characters, optionally followed by one newline,
 * in a regular file that neither group nor others may read or write (mode
 * 0600 or stricter). Anything else is CF_E_CONFIG with the reason in err. */
cf_status secretbox_key_load(const char *path, struct secretbox_key *out, char *err, size_t errlen) CF_MUST_CHECK;
/* Sets a key from raw bytes (tests, key generation). */
void secretbox_key_from_bytes(struct secretbox_key *out, const unsigned char bytes[SECRETBOX_KEY_BYTES]);
/* Creates path (which must not exist) with mode 0600 holding a new random
 * key as 64 hex characters and a newline. */
cf_status secretbox_key_generate(const char *path, char *err, size_t errlen) CF_MUST_CHECK;
void secretbox_key_wipe(struct secretbox_key *k);

/* True when stored is in the sealed form (whatever its key). */
bool secretbox_is_sealed(const char *stored);
/* The key id of a sealed value into id (SECRETBOX_KEY_ID_LEN + 1);
 * false when stored is not sealed or malformed. */
bool secretbox_key_id_of(const char *stored, char id[SECRETBOX_KEY_ID_LEN + 1]);

/* Seals plain under k, bound to context. *out: caller frees. */
cf_status secretbox_seal(const struct secretbox_key *k, const char *plain, const char *context,
                         char **out) CF_MUST_CHECK;
/* Opens stored (sealed, or legacy plaintext: copied) with k and context.
 * *out: caller frees (wipe it first). On failure CF_E_CONFIG and *reason
 * (static text) says why: another key, a malformed value, or a value that
 * does not authenticate (tampered, wrong key or wrong context). */
cf_status secretbox_open(const struct secretbox_key *k, const char *stored, const char *context, char **out,
                         const char **reason) CF_MUST_CHECK;

/* The process key, for confabd and confabctl: loaded from secret_key_file.
 * When a value names another key id and the file changed since it was
 * read ("confabctl secrets rotate" swapped it), the file is read again and
 * the key it replaces is kept as the previous one, so running processes
 * open values of both keys while a rotation is under way. */
cf_status secretbox_init(const char *path, char *err, size_t errlen) CF_MUST_CHECK;
/* The process key; NULL before secretbox_init succeeded. */
const struct secretbox_key *secretbox_process_key(void);
/* secretbox_seal/secretbox_open with the process key (CF_E_CONFIG without one). */
cf_status secretbox_seal_process(const char *plain, const char *context, char **out) CF_MUST_CHECK;
cf_status secretbox_open_process(const char *stored, const char *context, char **out,
                                 const char **reason) CF_MUST_CHECK;

#endif
