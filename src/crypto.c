/* crypto.c - thin wrappers over getrandom() and libcrypto. */
#include "crypto.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

cf_status random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return CF_E_INTERNAL;
		}
		p += got;
		n -= (size_t)got;
	}
	return CF_OK;
}

cf_status random_string(char *out, size_t n, const char *alphabet)
{
	size_t alen = strlen(alphabet);
	if (alen == 0 || alen > 256)
		return CF_E_INTERNAL;
	/* Reject bytes past the largest multiple of alen to avoid bias. */
	unsigned limit = 256 - (256 % alen);
	size_t filled = 0;
	unsigned char pool[64];
	while (filled < n) {
		cf_status st = random_bytes(pool, sizeof pool);
		if (st != CF_OK)
			return st;
		for (size_t i = 0; i < sizeof pool && filled < n; i++)
			if (pool[i] < limit)
				out[filled++] = alphabet[pool[i] % alen];
	}
	out[n] = '\0';
	return CF_OK;
}

void crypto_preload(void)
{
	char hex[129];
	unsigned char scratch[16];
	sha256_hex("", 0, hex);
	sha512_hex("", 0, hex);
	if (random_bytes(scratch, sizeof scratch) != CF_OK)
		return;   /* the workers will report it when they need randomness */
}

void hex_encode(const void *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = in;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

bool hex_decode(const char *hex, size_t n, unsigned char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < 2 * n; i++) {
		char c = (char)tolower((unsigned char)hex[i]);
		const char *d = c != '\0' ? strchr(digits, c) : NULL;
		if (d == NULL)
			return false;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)((d - digits) << 4);
		else
			out[i / 2] |= (unsigned char)(d - digits);
	}
	return hex[2 * n] == '\0';
}

static void digest_hex(const EVP_MD *md, const void *data, size_t len, char *out)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (EVP_Digest(data, len, digest, &dlen, md, NULL) != 1)
		dlen = 0;  /* cannot happen with the built-in digests; yields "" */
	hex_encode(digest, dlen, out);
}

void sha512_hex(const void *data, size_t len, char out[129])
{
	digest_hex(EVP_sha512(), data, len, out);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	digest_hex(EVP_sha256(), data, len, out);
}

void sha256_base64(const void *data, size_t len, char out[45])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (EVP_Digest(data, len, digest, &dlen, EVP_sha256(), NULL) != 1)
		dlen = 0;  /* as in digest_hex */
	EVP_EncodeBlock((unsigned char *)out, digest, (int)dlen);
}

bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a);
	size_t lb = strlen(b);
	if (la != lb)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}
