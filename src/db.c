/* db.c - MariaDB connection, statement cache, reconnect and transactions. */
#include "db.h"

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "db_stmt_cache.h"
#include "limits.h"
#include "log.h"
#include "metrics.h"
#include "xalloc.h"


struct db {
	const struct config *cfg;
	MYSQL *conn;       /* NULL while disconnected */
	bool in_tx;
	struct stmt_cache *stmts;  /* prepared on conn; emptied whenever conn goes */
	char last_error[256];
	unsigned int last_errno;   /* server error number of the last failed statement */
};

static void set_error(struct db *db, const char *what, const char *msg)
{
	snprintf(db->last_error, sizeof db->last_error, "%s: %s", what, msg ? msg : "");
}

static void close_stmt(void *stmt)
{
	mysql_stmt_close(stmt);
}

static void drop_cache(struct db *db)
{
	stmt_cache_clear(db->stmts);
}

static void disconnect(struct db *db)
{
	drop_cache(db);
	if (db->conn != NULL)
		mysql_close(db->conn);
	db->conn = NULL;
	db->in_tx = false;
}

static cf_status connect_now(struct db *db)
{
	const struct config *cfg = db->cfg;
	MYSQL *conn = mysql_init(NULL);
	if (conn == NULL)
		return CF_E_INTERNAL;
	unsigned int connect_timeout = 5;
	unsigned int rw_timeout = 60;
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
	mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* On Galera, wsrep_sync_wait makes this session's reads wait until the
	 * node has applied what the cluster committed before them, so a read
	 * through one node sees a write made through another (README "Scaling
	 * out"). Only when configured: a server without wsrep has no such
	 * variable. */
	char init[256], sync_wait[32] = "";
	if (cfg->db_wsrep_sync_wait >= 0)
		snprintf(sync_wait, sizeof sync_wait, ", wsrep_sync_wait = %d", cfg->db_wsrep_sync_wait);
	snprintf(init, sizeof init,
	         "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
	         "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'%s", sync_wait);
	mysql_options(conn, MYSQL_INIT_COMMAND, init);
	const char *host = cfg->db_socket ? "localhost" : cfg->db_host;
	unsigned long flags = CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS;
	if (mysql_real_connect(conn, host, cfg->db_user, cfg->db_password ? cfg->db_password : "",
	                       cfg->db_name, cfg->db_socket ? 0 : cfg->db_port, cfg->db_socket, flags) == NULL) {
		set_error(db, "connect", mysql_error(conn));
		mysql_close(conn);
		return CF_E_DB_UNAVAILABLE;
	}
	db->conn = conn;
	return CF_OK;
}

void db_preload(void)
{
	mysql_library_init(0, NULL, NULL);
}

void db_unload(void)
{
	mysql_library_end();
}

cf_status db_open(const struct config *cfg, struct db **out)
{
	struct db *db = xcalloc(1, sizeof *db);
	db->cfg = cfg;
	db->stmts = stmt_cache_new(DB_STMT_CACHE_CAPACITY, close_stmt);
	*out = db;
	return connect_now(db);
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	disconnect(db);
	stmt_cache_free(db->stmts);
	free(db);
}

const char *db_last_error(const struct db *db)
{
	return db->last_error;
}

/* The server cannot serve us now: gone, or a Galera node that is not part
 * of the primary component or not synced (1047, ER_UNKNOWN_COM_ERROR, "WSREP
 * has not yet prepared node for application use"). Either is a 503. */
static bool is_gone(unsigned int err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST || err == CR_CONNECTION_ERROR ||
	       err == CR_CONN_HOST_ERROR || err == ER_CONNECTION_KILLED || err == CR_COMMANDS_OUT_OF_SYNC ||
	       err == ER_UNKNOWN_COM_ERROR;
}

cf_status db_ensure(struct db *db)
{
	if (db->conn == NULL) {
		cf_status st = connect_now(db);
		if (st != CF_OK)
			return st;
	}
	if (mysql_ping(db->conn) != 0) {
		set_error(db, "ping", mysql_error(db->conn));
		disconnect(db);
		cf_status st = connect_now(db);
		if (st != CF_OK)
			return st;
	}
	return CF_OK;
}

void db_rows_free(struct db_rows *rows)
{
	if (rows->cells != NULL)
		for (size_t i = 0; i < rows->nrows * rows->ncols; i++)
			free(rows->cells[i]);
	free(rows->cells);
	free(rows->lens);
	memset(rows, 0, sizeof *rows);
}

const char *db_cell(const struct db_rows *rows, size_t row, size_t col)
{
	return rows->cells[row * rows->ncols + col];
}

const char *db_cell_str(const struct db_rows *rows, size_t row, size_t col)
{
	const char *s = db_cell(rows, row, col);
	return s ? s : "";
}

long long db_cell_int(const struct db_rows *rows, size_t row, size_t col)
{
	const char *s = db_cell(rows, row, col);
	return s ? strtoll(s, NULL, 10) : 0;
}

bool db_cell_bool(const struct db_rows *rows, size_t row, size_t col)
{
	return db_cell_int(rows, row, col) != 0;
}

/* Parameter storage for one execution. */
struct params {
	MYSQL_BIND bind[DB_MAX_PARAMS];
	long long ints[DB_MAX_PARAMS];
	double doubles[DB_MAX_PARAMS];
	unsigned long lengths[DB_MAX_PARAMS];
	my_bool nulls[DB_MAX_PARAMS];
	size_t count;
};

/* Collects varargs described by fmt into an array of db_param. */
static cf_status params_from_va(const char *fmt, va_list ap, struct db_param *out, size_t *count)
{
	size_t n = 0;
	for (const char *f = fmt ? fmt : ""; *f; f++) {
		if (n >= DB_MAX_PARAMS)
			return CF_E_INTERNAL;
		struct db_param *p = &out[n++];
		memset(p, 0, sizeof *p);
		p->type = *f;
		switch (*f) {
		case 's': p->s = va_arg(ap, const char *); break;
		case 'i': p->i = va_arg(ap, long long); break;
		case 'u': p->u = va_arg(ap, unsigned long long); break;
		case 'b': p->i = va_arg(ap, int) ? 1 : 0; break;
		case 'd': p->d = va_arg(ap, double); break;
		case 'n': break;
		default: return CF_E_INTERNAL;
		}
	}
	*count = n;
	return CF_OK;
}

static cf_status bind_params(struct params *p, const struct db_param *in, size_t count)
{
	p->count = 0;
	if (count > DB_MAX_PARAMS)
		return CF_E_INTERNAL;
	/* Only the binds in use: the whole struct is ~70 kB, and clearing it
	 * for every statement showed up as 6 % of a request in perf. */
	memset(p->bind, 0, count * sizeof p->bind[0]);
	for (size_t i = 0; i < count; i++) {
		MYSQL_BIND *b = &p->bind[i];
		switch (in[i].type) {
		case 's':
			if (in[i].s == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
			} else {
				b->buffer_type = MYSQL_TYPE_STRING;
				b->buffer = (void *)in[i].s;
				p->lengths[i] = (unsigned long)strlen(in[i].s);
				b->buffer_length = p->lengths[i];
				b->length = &p->lengths[i];
			}
			break;
		case 'i':
		case 'b':
		case 'u':
			p->ints[i] = in[i].type == 'u' ? (long long)in[i].u : in[i].i;
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->ints[i];
			b->is_unsigned = in[i].type == 'u';
			break;
		case 'd':
			p->doubles[i] = in[i].d;
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &p->doubles[i];
			break;
		case 'n':
			b->buffer_type = MYSQL_TYPE_NULL;
			break;
		default:
			return CF_E_INTERNAL;
		}
	}
	p->count = count;
	return CF_OK;
}

/* The statement prepared for key's text on the current connection,
 * preparing (one extra round trip) and caching it on a miss. The
 * statement stays owned by the cache. */
static cf_status get_stmt(struct db *db, const struct stmt_key *key, MYSQL_STMT **out)
{
	MYSQL_STMT *stmt = stmt_cache_get(db->stmts, key);
	if (stmt != NULL) {
		*out = stmt;
		return CF_OK;
	}
	stmt = mysql_stmt_init(db->conn);
	if (stmt == NULL)
		return CF_E_INTERNAL;
	if (mysql_stmt_prepare(stmt, key->sql, (unsigned long)key->len) != 0) {
		unsigned int err = mysql_stmt_errno(stmt);
		set_error(db, "prepare", mysql_stmt_error(stmt));
		db->last_errno = err;   /* Galera: a transaction aborted by a replicated one fails here too (1213) */
		mysql_stmt_close(stmt);
		return is_gone(err) ? CF_E_DB_UNAVAILABLE : CF_E_DB;
	}
	/* Past the capacity this closes the least recently used statement:
	 * only widely varied dynamic SQL gets there (db_stmt_cache.h). */
	stmt_cache_put(db->stmts, key, stmt);
	*out = stmt;
	return CF_OK;
}

#define DB_SCRATCH_BYTES 64

static cf_status fetch_rows(struct db *db, MYSQL_STMT *stmt, struct db_rows *rows)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
	if (meta == NULL)
		return CF_OK;  /* a statement without a result set */
	size_t ncols = mysql_num_fields(meta);
	mysql_free_result(meta);
	if (mysql_stmt_store_result(stmt) != 0) {
		set_error(db, "store", mysql_stmt_error(stmt));
		db->last_errno = mysql_stmt_errno(stmt);
		return is_gone(db->last_errno) ? CF_E_DB_UNAVAILABLE : CF_E_DB;
	}
	MYSQL_BIND *bind = xcalloc(ncols, sizeof *bind);
	unsigned long *lengths = xcalloc(ncols, sizeof *lengths);
	my_bool *nulls = xcalloc(ncols, sizeof *nulls);
	/* Each column first lands in a small buffer; longer values are fetched
	 * again at their full length. (A zero-length first buffer would do for
	 * strings, but libmariadb then misreports the length of floating-point
	 * values converted to text.) */
	char *scratch = xcalloc(ncols, DB_SCRATCH_BYTES);
	for (size_t c = 0; c < ncols; c++) {
		bind[c].buffer_type = MYSQL_TYPE_STRING;
		bind[c].buffer = &scratch[c * DB_SCRATCH_BYTES];
		bind[c].buffer_length = DB_SCRATCH_BYTES;
		bind[c].length = &lengths[c];
		bind[c].is_null = &nulls[c];
	}
	cf_status st = CF_OK;
	if (mysql_stmt_bind_result(stmt, bind) != 0) {
		set_error(db, "bind_result", mysql_stmt_error(stmt));
		st = CF_E_DB;
	}
	size_t nrows = (size_t)mysql_stmt_num_rows(stmt);
	rows->ncols = ncols;
	rows->cells = xcalloc(nrows * ncols + 1, sizeof *rows->cells);
	rows->lens = xcalloc(nrows * ncols + 1, sizeof *rows->lens);
	size_t r = 0;
	while (st == CF_OK) {
		int rc = mysql_stmt_fetch(stmt);
		if (rc == MYSQL_NO_DATA)
			break;
		if (rc == 1 || r >= nrows) {
			set_error(db, "fetch", mysql_stmt_error(stmt));
			st = CF_E_DB;
			break;
		}
		for (size_t c = 0; c < ncols; c++) {
			size_t idx = r * ncols + c;
			if (nulls[c]) {
				rows->cells[idx] = NULL;
				continue;
			}
			char *cell = xmalloc(lengths[c] + 1);
			MYSQL_BIND one;
			memset(&one, 0, sizeof one);
			unsigned long got = 0;
			one.buffer_type = MYSQL_TYPE_STRING;
			one.buffer = cell;
			one.buffer_length = lengths[c] + 1;
			one.length = &got;
			if (lengths[c] < DB_SCRATCH_BYTES) {
				memcpy(cell, &scratch[c * DB_SCRATCH_BYTES], lengths[c]);
			} else if (mysql_stmt_fetch_column(stmt, &one, (unsigned int)c, 0) != 0) {
				free(cell);
				set_error(db, "fetch_column", mysql_stmt_error(stmt));
				st = CF_E_DB;
				break;
			}
			cell[lengths[c]] = '\0';
			rows->cells[idx] = cell;
			rows->lens[idx] = lengths[c];
		}
		r++;
		rows->nrows = r;
	}
	mysql_stmt_free_result(stmt);
	free(bind);
	free(lengths);
	free(nulls);
	free(scratch);
	return st;
}

static cf_status run_once(struct db *db, const struct stmt_key *key, const struct params *p, struct db_rows *rows,
                          unsigned long long *affected, unsigned long long *insert_id)
{
	const char *sql = key->sql;
	if (db->conn == NULL) {
		if (db->in_tx)
			return CF_E_DB_UNAVAILABLE;
		cf_status st = connect_now(db);
		if (st != CF_OK)
			return st;
	}
	MYSQL_STMT *stmt = NULL;
	cf_status st = get_stmt(db, key, &stmt);
	if (st != CF_OK)
		return st;
	if (mysql_stmt_param_count(stmt) != p->count) {
		set_error(db, "bind", "parameter count does not match the statement");
		return CF_E_INTERNAL;
	}
	if (p->count > 0 && mysql_stmt_bind_param(stmt, (MYSQL_BIND *)p->bind) != 0) {
		set_error(db, "bind", mysql_stmt_error(stmt));
		return CF_E_DB;
	}
	if (mysql_stmt_execute(stmt) != 0) {
		unsigned int err = mysql_stmt_errno(stmt);
		char what[96];
		snprintf(what, sizeof what, "execute (%.60s%s)", sql, key->len > 60 ? "..." : "");
		set_error(db, what, mysql_stmt_error(stmt));
		db->last_errno = err;
		if (is_gone(err))
			return CF_E_DB_UNAVAILABLE;
		if (err == ER_DUP_ENTRY || err == ER_DUP_KEY)
			return CF_E_CONFLICT;
		return CF_E_DB;
	}
	if (affected != NULL)
		*affected = (unsigned long long)mysql_stmt_affected_rows(stmt);
	if (insert_id != NULL)
		*insert_id = (unsigned long long)mysql_stmt_insert_id(stmt);
	if (rows != NULL)
		return fetch_rows(db, stmt, rows);
	return CF_OK;
}

/* A deadlock loser, a lock wait that timed out, or on Galera a transaction
 * that lost certification against another node's (1213, at any statement
 * or at COMMIT): in every case nothing of it was committed. */
static bool is_lock_conflict(unsigned int err)
{
	return err == ER_LOCK_DEADLOCK || err == ER_LOCK_WAIT_TIMEOUT;
}

/* Before running again what lost a lock conflict: a short pause that
 * grows with the attempt, jittered so the competitors do not meet again.
 * The jitter comes from getrandom(): rand() is banned, and unseeded it
 * would give every forked worker the same sequence, the same pauses. */
static void lock_conflict_pause(int attempt)
{
	unsigned r = 0;
	if (random_bytes(&r, sizeof r) != CF_OK)
		r = (unsigned)attempt * 2654435761u;   /* no entropy: still a pause */
	usleep((useconds_t)(1000 * attempt + (int)(r % 5000u)));
}

static cf_status run(struct db *db, const char *sql, const struct db_param *in, size_t count,
                     struct db_rows *rows, unsigned long long *affected, unsigned long long *insert_id)
{
	struct params p;
	cf_status st = bind_params(&p, in, count);
	if (st != CF_OK)
		return st;
	/* Hashed once for the call, retries included. */
	const struct stmt_key key = stmt_cache_key(sql);
	db->last_errno = 0;
	st = run_once(db, &key, &p, rows, affected, insert_id);
	/* A statement of its own (autocommit) that lost a deadlock or a lock
	 * wait was rolled back whole: running it again is safe. Inside a
	 * transaction InnoDB rolled back the transaction; its owner decides. */
	for (int attempt = 1; st == CF_E_DB && !db->in_tx && is_lock_conflict(db->last_errno) &&
	                      attempt <= CF_DB_LOCK_RETRIES; attempt++) {
		log_info("db: %s; retrying (%d)", db->last_error, attempt);
		if (rows != NULL)
			db_rows_free(rows);
		lock_conflict_pause(attempt);
		db->last_errno = 0;
		st = run_once(db, &key, &p, rows, affected, insert_id);
	}
	if (st == CF_E_DB_UNAVAILABLE && !db->in_tx) {
		/* The server went away between requests: reconnect and retry once. */
		disconnect(db);
		if (rows != NULL)
			db_rows_free(rows);
		st = run_once(db, &key, &p, rows, affected, insert_id);
	}
	if (st == CF_E_DB_UNAVAILABLE)
		disconnect(db);
	if (st == CF_E_DB && !db->in_tx && is_lock_conflict(db->last_errno))
		st = CF_E_DB_UNAVAILABLE;   /* still losing after the reruns: busy, a 503 to retry, not a 500 */
	if (st != CF_OK && st != CF_E_CONFLICT) {
		if (is_lock_conflict(db->last_errno))
			log_info("db: %s", db->last_error);   /* the transaction's owner runs it again */
		else
			log_error("db: %s", db->last_error);
	}
	return st;
}

cf_status db_exec(struct db *db, const char *sql, unsigned long long *affected, unsigned long long *insert_id,
                  const char *fmt, ...)
{
	struct db_param params[DB_MAX_PARAMS];
	size_t count = 0;
	va_list ap;
	va_start(ap, fmt);
	cf_status st = params_from_va(fmt, ap, params, &count);
	va_end(ap);
	if (st != CF_OK)
		return st;
	return run(db, sql, params, count, NULL, affected, insert_id);
}

cf_status db_query(struct db *db, const char *sql, struct db_rows *rows, const char *fmt, ...)
{
	memset(rows, 0, sizeof *rows);
	struct db_param params[DB_MAX_PARAMS];
	size_t count = 0;
	va_list ap;
	va_start(ap, fmt);
	cf_status st = params_from_va(fmt, ap, params, &count);
	va_end(ap);
	if (st != CF_OK)
		return st;
	return run(db, sql, params, count, rows, NULL, NULL);
}

cf_status db_query_one(struct db *db, const char *sql, struct db_rows *rows, const char *fmt, ...)
{
	memset(rows, 0, sizeof *rows);
	struct db_param params[DB_MAX_PARAMS];
	size_t count = 0;
	va_list ap;
	va_start(ap, fmt);
	cf_status st = params_from_va(fmt, ap, params, &count);
	va_end(ap);
	if (st == CF_OK)
		st = run(db, sql, params, count, rows, NULL, NULL);
	if (st == CF_OK && rows->nrows == 0)
		st = CF_E_NOT_FOUND;
	return st;
}

cf_status db_query_params(struct db *db, const char *sql, struct db_rows *rows, const struct db_param *params,
                          size_t count)
{
	memset(rows, 0, sizeof *rows);
	return run(db, sql, params, count, rows, NULL, NULL);
}

static cf_status simple_command(struct db *db, const char *sql)
{
	if (db->conn == NULL) {
		cf_status st = connect_now(db);
		if (st != CF_OK)
			return st;
	}
	if (mysql_real_query(db->conn, sql, (unsigned long)strlen(sql)) != 0) {
		unsigned int err = mysql_errno(db->conn);
		set_error(db, sql, mysql_error(db->conn));
		db->last_errno = err;
		if (is_lock_conflict(err))
			log_info("db: %s", db->last_error);   /* db_transaction runs it again */
		else
			log_error("db: %s", db->last_error);
		if (is_gone(err)) {
			disconnect(db);
			return CF_E_DB_UNAVAILABLE;
		}
		return CF_E_DB;
	}
	return CF_OK;
}

cf_status db_begin(struct db *db)
{
	cf_status st = simple_command(db, "START TRANSACTION");
	if (st == CF_E_DB_UNAVAILABLE)
		st = simple_command(db, "START TRANSACTION");  /* reconnected: safe to retry */
	if (st == CF_OK)
		db->in_tx = true;
	return st;
}

cf_status db_commit(struct db *db)
{
	cf_status st = simple_command(db, "COMMIT");
	db->in_tx = false;
	return st;
}

void db_rollback(struct db *db)
{
	if (db->conn != NULL && db->in_tx)
		(void)simple_command(db, "ROLLBACK");
	db->in_tx = false;
}

cf_status db_transaction(struct db *db, db_tx_body body, void *ctx)
{
	cf_status st = CF_OK;
	for (int attempt = 0; attempt <= CF_DB_LOCK_RETRIES; attempt++) {
		if (attempt > 0) {
			log_info("db: transaction lost a lock conflict (%s); running it again (%d)", db->last_error, attempt);
			metrics_count(METRIC_DB_DEADLOCK_RERUN);
			lock_conflict_pause(attempt);
		}
		db->last_errno = 0;
		st = db_begin(db);
		if (st == CF_OK) {
			st = body(db, ctx);
			if (st == CF_OK)
				st = db_commit(db);
			else
				db_rollback(db);
		}
		/* Galera with wsrep_sync_wait: START TRANSACTION waits for the
		 * node to catch up and answers 1205 when it could not in time */
		if (st == CF_OK || !is_lock_conflict(db->last_errno))
			break;
	}
	/* Lost every rerun: the database is too busy now, which a client may
	 * retry (503), not a fault of the request (500). */
	if (st == CF_E_DB && is_lock_conflict(db->last_errno))
		st = CF_E_DB_UNAVAILABLE;
	return st;
}

cf_status db_run_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	if (db->conn == NULL) {
		cf_status st = connect_now(db);
		if (st != CF_OK) {
			snprintf(err, errlen, "%s", db->last_error);
			return st;
		}
	}
	drop_cache(db);
	int rc = mysql_real_query(db->conn, sql, (unsigned long)strlen(sql));
	int stmt_no = 1;
	for (;;) {
		if (rc != 0) {
			snprintf(err, errlen, "statement %d: %s", stmt_no, mysql_error(db->conn));
			/* Drain what remains so the connection stays usable. */
			while (mysql_more_results(db->conn) && mysql_next_result(db->conn) == 0) {
				MYSQL_RES *r = mysql_store_result(db->conn);
				if (r != NULL)
					mysql_free_result(r);
			}
			return CF_E_DB;
		}
		MYSQL_RES *res = mysql_store_result(db->conn);
		if (res != NULL)
			mysql_free_result(res);
		if (!mysql_more_results(db->conn))
			break;
		stmt_no++;
		rc = mysql_next_result(db->conn);
		if (rc > 0)
			continue;
		rc = 0;
	}
	return CF_OK;
}
