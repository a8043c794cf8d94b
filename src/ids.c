/* ids.c - UUID helpers. */
#include "ids.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"

cf_status uuid4_generate(char out[UUID_STR_LEN + 1])
{
	unsigned char b[16];
	cf_status st = random_bytes(b, sizeof b);
	if (st != CF_OK)
		return st;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, UUID_STR_LEN + 1,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
	return CF_OK;
}

bool uuid_valid(const char *s)
{
	if (strlen(s) != UUID_STR_LEN)
		return false;
	for (int i = 0; i < UUID_STR_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

void uuid_normalize(const char *s, char out[UUID_STR_LEN + 1])
{
	for (int i = 0; i < UUID_STR_LEN; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[UUID_STR_LEN] = '\0';
}
