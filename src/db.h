/* db.h - the one MariaDB connection of a process, prepared statements only.
 *
 * Statements are SQL strings with '?' placeholders (static constants, but
 * for the few a store builds per request from constant fragments) and a
 * parameter format string. The prepared statement is cached by its text,
 * not its address, for the life of the connection (db_stmt_cache.h: every
 * static statement stays prepared; only dynamic SQL past the capacity is
 * evicted). When the server went away (2006/2013) the connection is
 * re-opened and, outside a transaction, the statement retried once.
 * Results are materialized as strings (struct db_rows), which keeps the
 * connection free for further statements while the caller walks the rows.
 *
 * Parameter format characters:
 *   s  const char *  (NULL binds SQL NULL)
 *   i  long long
 *   u  unsigned long long
 *   d  double
 *   b  int used as a boolean (0/1)
 *   n  SQL NULL (consumes no argument) */
#ifndef CONFAB_DB_H
#define CONFAB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "status.h"

struct db;

#define DB_MAX_PARAMS 512

/* One bound parameter, for statements whose parameter list is assembled at
 * run time (type is one of the format characters above). */
struct db_param {
	char type;
	const char *s;
	long long i;
	unsigned long long u;
	double d;
};

struct db_rows {
	size_t nrows;
	size_t ncols;
	char **cells;      /* nrows * ncols; NULL for SQL NULL; owned */
	size_t *lens;
};

/* The client library's global state, once in the master before forking
 * (see llm_preload). */
void db_preload(void);
void db_unload(void);

/* Opens a connection from cfg (borrowed for the life of the db). Fails with
 * CF_E_DB_UNAVAILABLE when the server cannot be reached; the caller may keep
 * the handle and retry later with db_ensure. */
cf_status db_open(const struct config *cfg, struct db **out) CF_MUST_CHECK;
void db_close(struct db *db);
/* Reconnects when needed and pings. CF_OK when the server answers. */
cf_status db_ensure(struct db *db) CF_MUST_CHECK;

/* Runs a statement that returns no rows. *affected (may be NULL) gets the
 * affected-row count, *insert_id (may be NULL) the AUTO_INCREMENT id.
 * A duplicate-key violation is CF_E_CONFLICT. */
cf_status db_exec(struct db *db, const char *sql, unsigned long long *affected,
                  unsigned long long *insert_id, const char *fmt, ...) CF_MUST_CHECK;
/* Runs a statement and materializes its rows into *rows (caller frees with
 * db_rows_free, also after a failure). */
cf_status db_query(struct db *db, const char *sql, struct db_rows *rows, const char *fmt, ...) CF_MUST_CHECK;
/* As db_query, for statements that must find a row: CF_E_NOT_FOUND when
 * the result is empty (rows must still be freed). */
cf_status db_query_one(struct db *db, const char *sql, struct db_rows *rows, const char *fmt, ...) CF_MUST_CHECK;
/* As db_query, with the parameters in an array. */
cf_status db_query_params(struct db *db, const char *sql, struct db_rows *rows, const struct db_param *params,
                          size_t count) CF_MUST_CHECK;
void db_rows_free(struct db_rows *rows);

/* Cell accessors; row/col must be in range. */
const char *db_cell(const struct db_rows *rows, size_t row, size_t col);     /* NULL = SQL NULL */
const char *db_cell_str(const struct db_rows *rows, size_t row, size_t col); /* "" for NULL */
long long db_cell_int(const struct db_rows *rows, size_t row, size_t col);   /* 0 for NULL */
bool db_cell_bool(const struct db_rows *rows, size_t row, size_t col);

/* Transactions: begin/commit/rollback. Inside one, a lost connection is not
 * retried (the statement fails with CF_E_DB_UNAVAILABLE). */
cf_status db_begin(struct db *db) CF_MUST_CHECK;
cf_status db_commit(struct db *db) CF_MUST_CHECK;
void db_rollback(struct db *db);

/* Runs body(db, ctx) in a transaction: commits when it returns CF_OK,
 * rolls back otherwise. A transaction that InnoDB rolled back because it
 * lost a deadlock or a lock wait is run again from the start (a few times,
 * after a short random pause), so body must write its outputs only from
 * what it reads in that run. */
typedef cf_status (*db_tx_body)(struct db *db, void *ctx);
cf_status db_transaction(struct db *db, db_tx_body body, void *ctx) CF_MUST_CHECK;

/* Runs a whole SQL script (several statements; a migration file) as text,
 * outside the prepared-statement path. Only for trusted files of sql/. */
cf_status db_run_script(struct db *db, const char *sql, char *err, size_t errlen) CF_MUST_CHECK;

/* The last server error message, for logs (never sent to clients). */
const char *db_last_error(const struct db *db);

#endif
