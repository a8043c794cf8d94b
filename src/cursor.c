/* cursor.c - signed keyset cursors. */
#include "cursor.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define MAC_BYTES 16

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void b64url_encode(const unsigned char *in, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = B64URL[(v >> 18) & 63];
		out[o++] = B64URL[(v >> 12) & 63];
		if (i + 1 < len)
			out[o++] = B64URL[(v >> 6) & 63];
		if (i + 2 < len)
			out[o++] = B64URL[v & 63];
	}
	out[o] = '\0';
}

static int b64url_value(char c)
{
	const char *p = c ? strchr(B64URL, c) : NULL;
	return p ? (int)(p - B64URL) : -1;
}

long b64url_decode(const char *in, size_t len, unsigned char *out)
{
	if (len % 4 == 1)
		return -1;
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value(in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)((acc >> bits) & 0xFF);
		}
	}
	/* Leftover bits must be zero, so every cursor has one spelling. */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (long)o;
}

static void mac(const char *secret, const char *payload, size_t len, unsigned char out[MAC_BYTES])
{
	unsigned char full[EVP_MAX_MD_SIZE];
	unsigned int flen = 0;
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)payload, len, full, &flen);
	memcpy(out, full, MAC_BYTES);
}

cf_status cursor_encode(const struct cursor *c, const char *secret, char out[CURSOR_MAX_LEN])
{
	char payload[80];
	int n = snprintf(payload, sizeof payload, "1|%c|%s|%llu", c->reverse ? 'r' : 'f', c->created_at, c->id);
	if (n < 0 || (size_t)n >= sizeof payload)
		return CF_E_INTERNAL;
	unsigned char tag[MAC_BYTES];
	mac(secret, payload, (size_t)n, tag);
	char p64[112];
	char t64[24];
	b64url_encode((const unsigned char *)payload, (size_t)n, p64);
	b64url_encode(tag, MAC_BYTES, t64);
	n = snprintf(out, CURSOR_MAX_LEN, "%s.%s", p64, t64);
	return (n > 0 && n < CURSOR_MAX_LEN) ? CF_OK : CF_E_INTERNAL;
}

cf_status cursor_make(const char *created_at, unsigned long long id, bool reverse, const char *secret,
                      char out[CURSOR_MAX_LEN])
{
	struct cursor c;
	memset(&c, 0, sizeof c);
	snprintf(c.created_at, sizeof c.created_at, "%s", created_at);
	c.id = id;
	c.reverse = reverse;
	return cursor_encode(&c, secret, out);
}

static bool valid_db_time(const char *s)
{
	/* "YYYY-MM-DD HH:MM:SS" with an optional ".ffffff" */
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	size_t len = strlen(s);
	if (len != 19 && len != 26)
		return false;
	for (size_t i = 0; i < 19; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	if (len == 26) {
		if (s[19] != '.')
			return false;
		for (size_t i = 20; i < 26; i++)
			if (!isdigit((unsigned char)s[i]))
				return false;
	}
	return true;
}

cf_status cursor_decode(const char *text, const char *secret, struct cursor *out)
{
	size_t len = strlen(text);
	const char *dot = strchr(text, '.');
	if (len >= CURSOR_MAX_LEN || dot == NULL)
		return CF_E_NOT_FOUND;
	size_t plen = (size_t)(dot - text);
	unsigned char payload[CURSOR_MAX_LEN];
	unsigned char tag[CURSOR_MAX_LEN];
	long pn = b64url_decode(text, plen, payload);
	long tn = b64url_decode(dot + 1, len - plen - 1, tag);
	if (pn <= 0 || tn != MAC_BYTES)
		return CF_E_NOT_FOUND;
	unsigned char want[MAC_BYTES];
	mac(secret, (const char *)payload, (size_t)pn, want);
	if (CRYPTO_memcmp(want, tag, MAC_BYTES) != 0)
		return CF_E_NOT_FOUND;
	payload[pn] = '\0';
	/* "1|f|2026-01-15 09:30:12.004211|42" */
	char *s = (char *)payload;
	if (strncmp(s, "1|", 2) != 0 || (s[2] != 'f' && s[2] != 'r') || s[3] != '|')
		return CF_E_NOT_FOUND;
	char *bar = strchr(s + 4, '|');
	if (bar == NULL || (size_t)(bar - (s + 4)) >= sizeof out->created_at)
		return CF_E_NOT_FOUND;
	memset(out, 0, sizeof *out);
	out->reverse = s[2] == 'r';
	memcpy(out->created_at, s + 4, (size_t)(bar - (s + 4)));
	if (!valid_db_time(out->created_at))
		return CF_E_NOT_FOUND;
	errno = 0;
	char *end = NULL;
	out->id = strtoull(bar + 1, &end, 10);
	if (errno != 0 || end == bar + 1 || *end != '\0' || !isdigit((unsigned char)bar[1]))
		return CF_E_NOT_FOUND;
	return CF_OK;
}
