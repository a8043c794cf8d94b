/* fuzz_cursor.c - libFuzzer target: pagination cursors are client input
 * (tamper-evident: a forged or mangled one must be refused cleanly). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   /* called by libFuzzer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct cursor c;
	if (cursor_decode(s, "fuzz-secret", &c) == CF_OK) {
		char again[CURSOR_MAX_LEN];
		(void)cursor_encode(&c, "fuzz-secret", again);
	}
	free(s);
	return 0;
}
