/* fuzz_multipart.c - libFuzzer target: the streaming multipart parser fed
 * the input in pieces whose sizes come from the input's first byte. */
#include <stdint.h>
#include <string.h>

#include "multipart.h"

static cf_status on_begin(void *ctx, const struct multipart_part *p)
{
	(void)ctx;
	return (p->name != NULL && strlen(p->name) < 256) ? CF_OK : CF_E_INTERNAL;
}
static cf_status on_data(void *ctx, const char *d, size_t n)
{
	size_t *total = ctx;
	if (n > 0 && d == NULL)
		return CF_E_INTERNAL;
	*total += n;
	return CF_OK;
}
static cf_status on_end(void *ctx)
{
	(void)ctx;
	return CF_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   /* called by libFuzzer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t piece = (size_t)(data[0] % 17) + 1, total = 0;
	struct multipart_handler h = {on_begin, on_data, on_end, &total};
	struct multipart_parser p;
	multipart_init(&p, "b0undary", &h);
	cf_status st = CF_OK;
	for (size_t i = 1; i < size && st == CF_OK; i += piece)
		st = multipart_feed(&p, (const char *)data + i, size - i < piece ? size - i : piece);
	if (st == CF_OK)
		(void)multipart_finish(&p);
	multipart_free(&p);
	char b[MULTIPART_BOUNDARY_MAX + 1];
	char ct[256];
	size_t n = size - 1 < sizeof ct - 1 ? size - 1 : sizeof ct - 1;
	memcpy(ct, data + 1, n);
	ct[n] = '\0';
	(void)multipart_boundary(ct, b);
	return 0;
}
