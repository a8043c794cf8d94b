/* store_migrations.c - SQL of schema_migrations and the migration lock. */
#include "store_migrations.h"

static const char SQL_CREATE_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version VARCHAR(255) NOT NULL PRIMARY KEY,"
	" applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
/* A named lock, not a table lock: it spans the DDL of every file. */
static const char SQL_LOCK[] = "SELECT GET_LOCK('confab_migrate', 60)";
static const char SQL_UNLOCK[] = "SELECT RELEASE_LOCK('confab_migrate')";
static const char SQL_IS_APPLIED[] = "SELECT 1 FROM schema_migrations WHERE version = ?";
static const char SQL_RECORD[] = "INSERT INTO schema_migrations (version) VALUES (?)";

cf_status store_migrations_init(struct db *db)
{
	return db_exec(db, SQL_CREATE_TABLE, NULL, NULL, "");
}

cf_status store_migrations_lock(struct db *db, bool *locked)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_LOCK, &rows, "");
	/* 1: taken; 0: timed out; NULL: an error (e.g. out of memory). */
	*locked = st == CF_OK && rows.nrows > 0 && db_cell_int(&rows, 0, 0) == 1;
	db_rows_free(&rows);
	return st;
}

void store_migrations_unlock(struct db *db)
{
	struct db_rows rows;
	(void)!db_query(db, SQL_UNLOCK, &rows, "");
	db_rows_free(&rows);
}

cf_status store_migration_applied(struct db *db, const char *name, bool *applied)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_IS_APPLIED, &rows, "s", name);
	*applied = st == CF_OK && rows.nrows > 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_migration_record(struct db *db, const char *name)
{
	return db_exec(db, SQL_RECORD, NULL, NULL, "s", name);
}
