/* webhooks_sign.c - HMAC-SHA256 signatures of webhook bodies with
 * libcrypto (see webhooks_sign.h). */
#include "webhooks_sign.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "xalloc.h"

void webhooks_sign(const char *secret, long long t, const char *body, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	char *signed_text = xasprintf("%lld.%s", t, body);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)signed_text, strlen(signed_text), mac,
	         &len) == NULL)
		len = 0;   /* cannot happen with SHA-256; yields "" */
	for (unsigned int i = 0; i < len && i < 32; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[2 * (len < 32 ? len : 32)] = '\0';
	free(signed_text);
}
