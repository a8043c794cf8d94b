/* ids.h - public identifiers: UUID4 generation and validation. */
#ifndef CONFAB_IDS_H
#define CONFAB_IDS_H

#include <stdbool.h>

#include "status.h"

#define UUID_STR_LEN 36

/* A fresh random (version 4) UUID, lower case, into out (37 bytes). */
cf_status uuid4_generate(char out[UUID_STR_LEN + 1]) CF_MUST_CHECK;
/* True when s is a UUID in the hyphenated 8-4-4-4-12 hex form (any case),
 * the only form the reference's URL converter accepts. */
bool uuid_valid(const char *s);
/* Lower-cases a valid UUID into out (37 bytes). */
void uuid_normalize(const char *s, char out[UUID_STR_LEN + 1]);

#endif
