/* fuzz_text.c - libFuzzer target: small parsers of untrusted text: ISO-8601
 * times (chat poll "since"), prompt templates (with hostile session state),
 * Origin/Referer hosts and embed domain matching. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "prompt.h"
#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   /* called by libFuzzer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char out[ISO_TIME_MAX];
	(void)iso_to_db_time(s, out);
	struct buf b;
	buf_init(&b, 1 << 16);
	struct prompt_vars v = {s, s, s, 0};
	(void)prompt_render(s, &v, &b);
	(void)prompt_uses(s, "session_state");
	buf_free(&b);
	free(s);
	return 0;
}
