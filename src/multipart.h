/* multipart.h - a streaming parser of multipart/form-data (RFC 7578):
 * bytes are fed as they arrive and each part's data is handed over in
 * pieces, so a file never has to fit in memory. Part headers are bounded;
 * a body that ends before its closing boundary is an error. */
#ifndef CONFAB_MULTIPART_H
#define CONFAB_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

#define MULTIPART_BOUNDARY_MAX 70   /* RFC 2046 */

/* Headers of one part: the form field name, the file name (NULL when the
 * part is not a file) and the part's Content-Type value ("" when none),
 * all borrowed for the part's duration. */
struct multipart_part {
	const char *name;
	const char *filename;
	const char *content_type;
};

struct multipart_handler {
	cf_status (*part_begin)(void *ctx, const struct multipart_part *part);
	cf_status (*part_data)(void *ctx, const char *data, size_t len);
	cf_status (*part_end)(void *ctx);
	void *ctx;
};

struct multipart_parser {
	char delimiter[MULTIPART_BOUNDARY_MAX + 5];   /* "\r\n--" boundary */
	size_t delimiter_len;
	int state;
	struct buf header;        /* the current part's header block */
	char name[256];
	char filename[512];
	char content_type[128];   /* the part's Content-Type, cut at 127 bytes */
	bool has_filename;
	size_t matched;           /* bytes of the delimiter matched so far */
	size_t parts;
	const struct multipart_handler *h;
	const char *error;        /* why it failed (static text) */
};

/* Extracts the boundary from a Content-Type value; false when absent or
 * invalid. */
bool multipart_boundary(const char *content_type, char out[MULTIPART_BOUNDARY_MAX + 1]);

void multipart_init(struct multipart_parser *p, const char *boundary, const struct multipart_handler *h);
void multipart_free(struct multipart_parser *p);
/* CF_E_BAD_REQUEST with p->error on malformed input; a handler's failure is
 * returned as is. */
cf_status multipart_feed(struct multipart_parser *p, const char *data, size_t len) CF_MUST_CHECK;
/* After the last byte: CF_OK only when the closing boundary was seen. */
cf_status multipart_finish(struct multipart_parser *p) CF_MUST_CHECK;

#endif
