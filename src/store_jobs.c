/* store_jobs.c - SQL of the job table (see store_jobs.h). */
#include "store_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char SQL_JOB_ADD[] =
	"INSERT INTO jobs (task_id, team_id, session_id, kind, payload, max_attempts, run_after)"
	" VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)";
static const char SQL_JOB_ADD_AT[] =
	"INSERT INTO jobs (task_id, team_id, session_id, kind, payload, max_attempts, run_after)"
	" VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?)";
static const char SQL_JOB_NEXT[] =
	"SELECT id, task_id, team_id, COALESCE(session_id, 0), kind, payload, attempts, max_attempts FROM jobs"
	" WHERE status = 'queued' AND run_after <= UTC_TIMESTAMP(6) ORDER BY status, run_after, id LIMIT 1"
	" FOR UPDATE SKIP LOCKED";
enum { NEXT_ID, NEXT_TASK_ID, NEXT_TEAM_ID, NEXT_SESSION_ID, NEXT_KIND, NEXT_PAYLOAD, NEXT_ATTEMPTS, NEXT_MAX };
static const char SQL_JOB_RUNNING[] =
	"UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ?, locked_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND status = 'queued'";
static const char SQL_JOB_DONE[] =
	"UPDATE jobs SET status = 'done', result = ?, last_error = NULL, locked_by = NULL"
	" WHERE id = ? AND locked_by = ?";
static const char SQL_JOB_RETRY[] =
	"UPDATE jobs SET status = 'queued', last_error = ?, locked_by = NULL,"
	" run_after = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE id = ? AND locked_by = ?";
static const char SQL_JOB_FAIL[] =
	"UPDATE jobs SET status = 'failed', last_error = ?, result = ?, locked_by = NULL WHERE id = ? AND locked_by = ?";
static const char SQL_JOBS_RUNNING_ON[] =
	"SELECT id, locked_by FROM jobs WHERE status = 'running' AND locked_by LIKE CONCAT(?, ':%')";
static const char SQL_JOB_REQUEUE[] =
	"UPDATE jobs SET status = IF(attempts >= max_attempts, 'failed', 'queued'), locked_by = NULL,"
	" last_error = IF(attempts >= max_attempts, 'the runner died while running it', last_error)"
	" WHERE id = ? AND status = 'running' AND locked_by = ?";
static const char SQL_JOBS_REQUEUE_EXPIRED[] =
	"UPDATE jobs SET status = IF(attempts >= max_attempts, 'failed', 'queued'), locked_by = NULL"
	" WHERE status = 'running' AND locked_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND";
static const char SQL_JOB_SET_SESSION[] = "UPDATE jobs SET session_id = ? WHERE id = ?";

void job_row_free(struct job_row *row)
{
	free(row->payload);
	memset(row, 0, sizeof *row);
}

cf_status store_job_add(struct db *db, const char *task_id, unsigned long long team_id, unsigned long long session_id,
                        const char *kind, const char *payload_json, int max_attempts, long delay_ms)
{
	return db_exec(db, SQL_JOB_ADD, NULL, NULL, "suussii", task_id, team_id, session_id, kind, payload_json,
	               (long long)max_attempts, (long long)delay_ms * 1000);
}

cf_status store_job_add_at(struct db *db, const char *task_id, unsigned long long team_id,
                           unsigned long long session_id, const char *kind, const char *payload_json,
                           int max_attempts, const char *run_after_db)
{
	return db_exec(db, SQL_JOB_ADD_AT, NULL, NULL, "suussis", task_id, team_id, session_id, kind, payload_json,
	               (long long)max_attempts, run_after_db);
}

cf_status store_job_next(struct db *db, struct job_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_JOB_NEXT, &rows, "");
	if (st == CF_OK) {
		out->id = (unsigned long long)db_cell_int(&rows, 0, NEXT_ID);
		snprintf(out->task_id, sizeof out->task_id, "%s", db_cell_str(&rows, 0, NEXT_TASK_ID));
		out->team_id = (unsigned long long)db_cell_int(&rows, 0, NEXT_TEAM_ID);
		out->session_id = (unsigned long long)db_cell_int(&rows, 0, NEXT_SESSION_ID);
		snprintf(out->kind, sizeof out->kind, "%s", db_cell_str(&rows, 0, NEXT_KIND));
		out->payload = xstrdup(db_cell_str(&rows, 0, NEXT_PAYLOAD));
		out->attempts = (int)db_cell_int(&rows, 0, NEXT_ATTEMPTS);
		out->max_attempts = (int)db_cell_int(&rows, 0, NEXT_MAX);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_job_mark_running(struct db *db, unsigned long long id, const char *me,
                                 unsigned long long *affected)
{
	return db_exec(db, SQL_JOB_RUNNING, affected, NULL, "su", me, id);
}

cf_status store_job_done(struct db *db, unsigned long long id, const char *me, const char *result_json,
                         unsigned long long *affected)
{
	return db_exec(db, SQL_JOB_DONE, affected, NULL, "sus", result_json, id, me);
}

cf_status store_job_retry(struct db *db, unsigned long long id, const char *me, const char *error, long delay_ms)
{
	return db_exec(db, SQL_JOB_RETRY, NULL, NULL, "sius", error, (long long)delay_ms * 1000, id, me);
}

cf_status store_job_fail(struct db *db, unsigned long long id, const char *me, const char *error,
                         const char *result, unsigned long long *affected)
{
	return db_exec(db, SQL_JOB_FAIL, affected, NULL, "ssus", error, result, id, me);
}

cf_status store_jobs_running_on(struct db *db, const char *host, job_lock_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_JOBS_RUNNING_ON, &rows, "s", host);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct job_lock_row row;
		row.id = (unsigned long long)db_cell_int(&rows, r, 0);
		snprintf(row.locked_by, sizeof row.locked_by, "%s", db_cell_str(&rows, r, 1));
		st = fn(ctx, &row);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_job_requeue(struct db *db, unsigned long long id, const char *locked_by)
{
	return db_exec(db, SQL_JOB_REQUEUE, NULL, NULL, "us", id, locked_by);
}

cf_status store_jobs_requeue_expired(struct db *db, int lease_seconds)
{
	return db_exec(db, SQL_JOBS_REQUEUE_EXPIRED, NULL, NULL, "i", (long long)lease_seconds);
}

cf_status store_job_set_session(struct db *db, unsigned long long job_id, unsigned long long session_id)
{
	return db_exec(db, SQL_JOB_SET_SESSION, NULL, NULL, "uu", session_id, job_id);
}

static const char SQL_JOBS_QUEUE_STATS[] =
	"SELECT kind, SUM(status = 'queued'), SUM(status = 'running'),"
	" COALESCE(TIMESTAMPDIFF(SECOND, MIN(IF(status = 'queued' AND run_after <= UTC_TIMESTAMP(6), run_after, NULL)),"
	" UTC_TIMESTAMP(6)), 0)"
	" FROM jobs WHERE status IN ('queued', 'running') GROUP BY kind ORDER BY kind";
enum { QSTAT_KIND, QSTAT_QUEUED, QSTAT_RUNNING, QSTAT_OLDEST };

cf_status store_jobs_queue_stats(struct db *db, struct job_queue_stat *out, size_t max, size_t *n)
{
	*n = 0;
	struct db_rows rows;
	cf_status st = db_query(db, SQL_JOBS_QUEUE_STATS, &rows, "");
	for (size_t i = 0; st == CF_OK && i < rows.nrows && *n < max; i++) {
		struct job_queue_stat *q = &out[(*n)++];
		snprintf(q->kind, sizeof q->kind, "%s", db_cell_str(&rows, i, QSTAT_KIND));
		q->queued = db_cell_int(&rows, i, QSTAT_QUEUED);
		q->running = db_cell_int(&rows, i, QSTAT_RUNNING);
		q->oldest_due_s = db_cell_int(&rows, i, QSTAT_OLDEST);
	}
	db_rows_free(&rows);
	return st;
}
