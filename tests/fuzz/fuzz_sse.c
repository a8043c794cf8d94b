/* fuzz_sse.c - libFuzzer target: the SSE parser of provider streams, fed
 * in pieces. */
#include <stdint.h>

#include "sse.h"

static cf_status on_event(void *ctx, const struct sse_event *ev)
{
	(void)ctx;
	return ev->data[ev->data_len] == '\0' ? CF_OK : CF_E_INTERNAL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   /* called by libFuzzer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t piece = (size_t)(data[0] % 13) + 1;
	struct sse_parser p;
	sse_init(&p, 4096, on_event, NULL);
	cf_status st = CF_OK;
	for (size_t i = 1; i < size && st == CF_OK; i += piece)
		st = sse_feed(&p, (const char *)data + i, size - i < piece ? size - i : piece);
	sse_free(&p);
	return 0;
}
