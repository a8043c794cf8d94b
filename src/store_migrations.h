/* store_migrations.h - the SQL of schema_migrations and of the lock that
 * keeps two "confabctl migrate" runs apart (migrate.c). */
#ifndef CONFAB_STORE_MIGRATIONS_H
#define CONFAB_STORE_MIGRATIONS_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* Creates schema_migrations when it does not exist yet. */
cf_status store_migrations_init(struct db *db) CF_MUST_CHECK;
/* Takes the server-wide migration lock, waiting up to a minute; *locked is
 * false when another connection kept it that long. */
cf_status store_migrations_lock(struct db *db, bool *locked) CF_MUST_CHECK;
/* Releases the lock of store_migrations_lock. Nothing to check: a lock
 * that could not be released ends with the connection. */
void store_migrations_unlock(struct db *db);
/* Whether the migration file name ("001_initial.sql") was applied. */
cf_status store_migration_applied(struct db *db, const char *name, bool *applied) CF_MUST_CHECK;
/* Records name as applied. */
cf_status store_migration_record(struct db *db, const char *name) CF_MUST_CHECK;

#endif
