/* secretbox.c - AES-256-GCM sealing of stored secrets (libcrypto EVP) and
 * the key file they are sealed under. */
#include "secretbox.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "log.h"
#include "xalloc.h"

#define PREFIX_LEN (sizeof SECRETBOX_PREFIX - 1)
/* "enc:v1:" + id + ":" */
#define HEADER_LEN (PREFIX_LEN + SECRETBOX_KEY_ID_LEN + 1)
#define KEY_HEX_LEN (2 * SECRETBOX_KEY_BYTES)
#define KEY_ID_LABEL "confab secret key id v1"

void secretbox_key_from_bytes(struct secretbox_key *out, const unsigned char bytes[SECRETBOX_KEY_BYTES])
{
	memcpy(out->bytes, bytes, SECRETBOX_KEY_BYTES);
	/* The id is a digest of a label and the key: it names the key in each
	 * value without revealing anything usable about it. */
	unsigned char material[sizeof KEY_ID_LABEL + SECRETBOX_KEY_BYTES];
	memcpy(material, KEY_ID_LABEL, sizeof KEY_ID_LABEL);
	memcpy(material + sizeof KEY_ID_LABEL, bytes, SECRETBOX_KEY_BYTES);
	char digest[65];
	sha256_hex(material, sizeof material, digest);
	explicit_bzero(material, sizeof material);
	memcpy(out->id, digest, SECRETBOX_KEY_ID_LEN);
	out->id[SECRETBOX_KEY_ID_LEN] = '\0';
}

void secretbox_key_wipe(struct secretbox_key *k)
{
	explicit_bzero(k, sizeof *k);
}

cf_status secretbox_key_load(const char *path, struct secretbox_key *out, char *err, size_t errlen)
{
	cf_status st = CF_E_CONFIG;
	char text[KEY_HEX_LEN + 2];
	unsigned char bytes[SECRETBOX_KEY_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "secret_key_file %s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "secret_key_file %s: not a regular file", path);
		goto out;
	}
	if ((sb.st_mode & 077) != 0) {
		snprintf(err, errlen, "secret_key_file %s: mode %04o lets group or others at the key; chmod 0600 it",
		         path, (unsigned)(sb.st_mode & 07777));
		goto out;
	}
	size_t len = 0;
	while (len < sizeof text) {
		ssize_t got = read(fd, text + len, sizeof text - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "secret_key_file %s: read error: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len == KEY_HEX_LEN + 1 && text[KEY_HEX_LEN] == '\n')
		len = KEY_HEX_LEN;
	if (len != KEY_HEX_LEN) {
		snprintf(err, errlen, "secret_key_file %s: must hold exactly %d hex characters (a 32-byte key)", path,
		         KEY_HEX_LEN);
		goto out;
	}
	text[len] = '\0';
	if (!hex_decode(text, SECRETBOX_KEY_BYTES, bytes)) {
		snprintf(err, errlen, "secret_key_file %s: not hex", path);
		goto out;
	}
	secretbox_key_from_bytes(out, bytes);
	st = CF_OK;
out:
	if (fd >= 0)
		close(fd);
	explicit_bzero(text, sizeof text);
	explicit_bzero(bytes, sizeof bytes);
	return st;
}

cf_status secretbox_key_generate(const char *path, char *err, size_t errlen)
{
	unsigned char bytes[SECRETBOX_KEY_BYTES];
	char text[KEY_HEX_LEN + 1];
	cf_status st = random_bytes(bytes, sizeof bytes);
	if (st != CF_OK) {
		snprintf(err, errlen, "no random bytes");
		return st;
	}
	hex_encode(bytes, sizeof bytes, text);
	text[KEY_HEX_LEN] = '\n';   /* in place of the NUL: the file is the hex and a newline */
	explicit_bzero(bytes, sizeof bytes);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		explicit_bzero(text, sizeof text);
		return CF_E_IO;
	}
	st = CF_OK;
	/* fchmod: the umask may have taken bits off 0600, never added any */
	if (fchmod(fd, 0600) != 0 || write(fd, text, sizeof text) != (ssize_t)sizeof text || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		st = CF_E_IO;
	}
	if (close(fd) != 0 && st == CF_OK) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		st = CF_E_IO;
	}
	if (st != CF_OK)
		unlink(path);
	explicit_bzero(text, sizeof text);
	return st;
}

bool secretbox_is_sealed(const char *stored)
{
	return stored != NULL && strncmp(stored, SECRETBOX_PREFIX, PREFIX_LEN) == 0;
}

bool secretbox_key_id_of(const char *stored, char id[SECRETBOX_KEY_ID_LEN + 1])
{
	if (!secretbox_is_sealed(stored) || strlen(stored) < HEADER_LEN || stored[HEADER_LEN - 1] != ':')
		return false;
	for (size_t i = 0; i < SECRETBOX_KEY_ID_LEN; i++)
		if (!isxdigit((unsigned char)stored[PREFIX_LEN + i]))
			return false;
	memcpy(id, stored + PREFIX_LEN, SECRETBOX_KEY_ID_LEN);
	id[SECRETBOX_KEY_ID_LEN] = '\0';
	return true;
}

/* The additional authenticated data: version, key id and context. */
static char *aad_for(const char *key_id, const char *context)
{
	return xasprintf("confab-secret:v1:%s:%s", key_id, context);
}

cf_status secretbox_seal(const struct secretbox_key *k, const char *plain, const char *context, char **out)
{
	cf_status st = CF_E_INTERNAL;
	size_t plen = strlen(plain);
	if (plen > INT_MAX / 2)
		return CF_E_INTERNAL;
	size_t rawlen = SECRETBOX_NONCE_BYTES + plen + SECRETBOX_TAG_BYTES;
	unsigned char *raw = xmalloc(rawlen);
	char *aad = aad_for(k->id, context);
	char *text = NULL;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0;
	*out = NULL;
	if (ctx == NULL)
		goto out;
	st = random_bytes(raw, SECRETBOX_NONCE_BYTES);
	if (st != CF_OK)
		goto out;
	st = CF_E_INTERNAL;
	unsigned char *ct = raw + SECRETBOX_NONCE_BYTES;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SECRETBOX_NONCE_BYTES, NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, k->bytes, raw) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &len, (const unsigned char *)aad, (int)strlen(aad)) != 1 ||
	    EVP_EncryptUpdate(ctx, ct, &len, (const unsigned char *)plain, (int)plen) != 1 || (size_t)len != plen ||
	    EVP_EncryptFinal_ex(ctx, ct + plen, &len) != 1 || len != 0 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SECRETBOX_TAG_BYTES, ct + plen) != 1)
		goto out;
	size_t b64len = 4 * ((rawlen + 2) / 3);
	text = xmalloc(HEADER_LEN + b64len + 1);
	memcpy(text, SECRETBOX_PREFIX, PREFIX_LEN);
	memcpy(text + PREFIX_LEN, k->id, SECRETBOX_KEY_ID_LEN);
	text[HEADER_LEN - 1] = ':';
	if (EVP_EncodeBlock((unsigned char *)text + HEADER_LEN, raw, (int)rawlen) != (int)b64len)
		goto out;
	*out = text;
	text = NULL;
	st = CF_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	explicit_bzero(raw, rawlen);
	free(raw);
	free(aad);
	free(text);
	return st;
}

cf_status secretbox_open(const struct secretbox_key *k, const char *stored, const char *context, char **out,
                         const char **reason)
{
	*out = NULL;
	*reason = NULL;
	if (!secretbox_is_sealed(stored)) {
		*out = xstrdup(stored);   /* a legacy plaintext row */
		return CF_OK;
	}
	char id[SECRETBOX_KEY_ID_LEN + 1];
	if (!secretbox_key_id_of(stored, id)) {
		*reason = "a malformed sealed value";
		return CF_E_CONFIG;
	}
	if (strcmp(id, k->id) != 0) {
		*reason = "sealed under another key than secret_key_file's";
		return CF_E_CONFIG;
	}
	const char *b64 = stored + HEADER_LEN;
	size_t b64len = strlen(b64);
	if (b64len % 4 != 0 || b64len / 4 * 3 < SECRETBOX_NONCE_BYTES + SECRETBOX_TAG_BYTES || b64len > INT_MAX / 2) {
		*reason = "a malformed sealed value";
		return CF_E_CONFIG;
	}
	cf_status st = CF_E_CONFIG;
	unsigned char *raw = xmalloc(b64len / 4 * 3 + 1);
	char *plain = NULL;
	char *aad = aad_for(k->id, context);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int decoded = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)b64len);
	size_t pad = (b64len > 0 && b64[b64len - 1] == '=') + (b64len > 1 && b64[b64len - 2] == '=');
	if (decoded < 0 || (size_t)decoded < pad + SECRETBOX_NONCE_BYTES + SECRETBOX_TAG_BYTES) {
		*reason = "a malformed sealed value";
		goto out;
	}
	size_t rawlen = (size_t)decoded - pad;
	size_t clen = rawlen - SECRETBOX_NONCE_BYTES - SECRETBOX_TAG_BYTES;
	const unsigned char *ct = raw + SECRETBOX_NONCE_BYTES;
	plain = xmalloc(clen + 1);
	int len = 0;
	if (ctx == NULL || EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SECRETBOX_NONCE_BYTES, NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, k->bytes, raw) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &len, (const unsigned char *)aad, (int)strlen(aad)) != 1 ||
	    EVP_DecryptUpdate(ctx, (unsigned char *)plain, &len, ct, (int)clen) != 1 || (size_t)len != clen ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SECRETBOX_TAG_BYTES, (void *)(ct + clen)) != 1) {
		*reason = "libcrypto refused the value";
		goto out;
	}
	if (EVP_DecryptFinal_ex(ctx, (unsigned char *)plain + clen, &len) != 1) {
		*reason = "it does not authenticate (tampered, or sealed for another column or team)";
		goto out;
	}
	if (memchr(plain, '\0', clen) != NULL) {
		*reason = "a NUL byte in the plaintext";
		goto out;
	}
	plain[clen] = '\0';
	*out = plain;
	plain = NULL;
	st = CF_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	explicit_bzero(raw, b64len / 4 * 3 + 1);
	free(raw);
	free(aad);
	if (plain != NULL) {
		explicit_bzero(plain, clen + 1);
		free(plain);
	}
	return st;
}

/* ---- the process key */

/* The current key and the one before it: a rotation swaps the file first
 * and re-seals after, so for a moment values of both keys exist. The file
 * is read again when a value names neither key and the file changed. */
static struct {
	bool loaded, has_previous;
	struct secretbox_key current, previous;
	char *path;       /* owned */
	struct stat file; /* identity of the file current came from */
} process;

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

cf_status secretbox_init(const char *path, char *err, size_t errlen)
{
	struct secretbox_key k;
	struct stat sb;
	if (stat(path, &sb) != 0)
		memset(&sb, 0, sizeof sb);
	cf_status st = secretbox_key_load(path, &k, err, errlen);
	if (st != CF_OK)
		return st;
	process.current = k;
	secretbox_key_wipe(&k);
	process.loaded = true;
	process.has_previous = false;
	process.file = sb;
	free(process.path);
	process.path = xstrdup(path);
	return CF_OK;
}

const struct secretbox_key *secretbox_process_key(void)
{
	return process.loaded ? &process.current : NULL;
}

cf_status secretbox_seal_process(const char *plain, const char *context, char **out)
{
	*out = NULL;
	if (!process.loaded)
		return CF_E_CONFIG;
	return secretbox_seal(&process.current, plain, context, out);
}

/* A value of neither key: when the file changed since it was read, the
 * current key becomes the previous one and the file's key the current. */
static void reload_for(const char *id)
{
	struct stat sb;
	if (stat(process.path, &sb) != 0 || same_file(&sb, &process.file))
		return;
	struct secretbox_key k;
	char err[256];
	if (secretbox_key_load(process.path, &k, err, sizeof err) != CF_OK) {
		log_warn("secretbox: a value is sealed under key %s; re-reading the key file failed: %s", id, err);
		return;
	}
	process.file = sb;
	if (strcmp(k.id, process.current.id) != 0) {
		log_info("secretbox: %s now holds key %s (was %s)", process.path, k.id, process.current.id);
		process.previous = process.current;
		process.has_previous = true;
		process.current = k;
	}
	secretbox_key_wipe(&k);
}

static const struct secretbox_key *process_key_for(const char *id)
{
	if (strcmp(id, process.current.id) == 0)
		return &process.current;
	if (process.has_previous && strcmp(id, process.previous.id) == 0)
		return &process.previous;
	return NULL;
}

cf_status secretbox_open_process(const char *stored, const char *context, char **out, const char **reason)
{
	*out = NULL;
	if (!secretbox_is_sealed(stored))
		return secretbox_open(&process.current, stored, context, out, reason);   /* plaintext needs no key */
	if (!process.loaded) {
		*reason = "no secret_key_file was loaded";
		return CF_E_CONFIG;
	}
	char id[SECRETBOX_KEY_ID_LEN + 1];
	const struct secretbox_key *k = &process.current;
	if (secretbox_key_id_of(stored, id)) {
		k = process_key_for(id);
		if (k == NULL) {
			reload_for(id);
			k = process_key_for(id);
		}
		if (k == NULL)
			k = &process.current;   /* and it says: another key */
	}
	return secretbox_open(k, stored, context, out, reason);
}
