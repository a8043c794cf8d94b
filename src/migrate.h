/* migrate.h - applies the numbered SQL files of sql/ in order, recording
 * each in schema_migrations; safe to run twice and from several hosts at
 * once (serialized by a named database lock). */
#ifndef CONFAB_MIGRATE_H
#define CONFAB_MIGRATE_H

#include <stdio.h>

#include "db.h"

/* Applies the pending migrations of dir, printing one line per applied file
 * to out. On failure writes a message into err. */
cf_status migrate_apply(struct db *db, const char *dir, FILE *out, int *applied, char *err,
                        size_t errlen) CF_MUST_CHECK;

#endif
