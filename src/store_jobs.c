/* store_jobs.c - SQL of the job table. */
#include "store_jobs.h"

static const char SQL_JOB_ADD[] =
	"INSERT INTO jobs (task_id, team_id, session_id, kind, payload, max_attempts, run_after)"
	" VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)";
static const char SQL_JOB_NEXT[] =
	"SELECT id, task_id, team_id, COALESCE(session_id, 0), kind, payload, attempts, max_attempts FROM jobs"
	" WHERE status = 'queued' AND run_after <= UTC_TIMESTAMP(6) ORDER BY status, run_after, id LIMIT 1"
	" FOR UPDATE SKIP LOCKED";
static const char SQL_JOB_RUNNING[] =
	"UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ?, locked_at = UTC_TIMESTAMP(6)"
	" WHERE id = ?";
static const char SQL_JOB_DONE[] =
	"UPDATE jobs SET status = 'done', result = ?, last_error = NULL, locked_by = NULL"
	" WHERE id = ? AND locked_by = ?";
static const char SQL_JOB_RETRY[] =
	"UPDATE jobs SET status = 'queued', last_error = ?, locked_by = NULL,"
	" run_after = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE id = ? AND locked_by = ?";
static const char SQL_JOB_FAIL[] =
	"UPDATE jobs SET status = 'failed', last_error = ?, locked_by = NULL WHERE id = ? AND locked_by = ?";
static const char SQL_JOBS_RUNNING_ON[] =
	"SELECT id, locked_by FROM jobs WHERE status = 'running' AND locked_by LIKE CONCAT(?, ':%')";
static const char SQL_JOB_REQUEUE[] =
	"UPDATE jobs SET status = IF(attempts >= max_attempts, 'failed', 'queued'), locked_by = NULL,"
	" last_error = IF(attempts >= max_attempts, 'the runner died while running it', last_error)"
	" WHERE id = ? AND status = 'running' AND locked_by = ?";
static const char SQL_JOBS_REQUEUE_EXPIRED[] =
	"UPDATE jobs SET status = IF(attempts >= max_attempts, 'failed', 'queued'), locked_by = NULL"
	" WHERE status = 'running' AND locked_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND";

cf_status store_job_add(struct db *db, const char *task_id, unsigned long long team_id, unsigned long long session_id,
                        const char *kind, const char *payload_json, int max_attempts, long delay_ms)
{
	return db_exec(db, SQL_JOB_ADD, NULL, NULL, "suussii", task_id, team_id, session_id, kind, payload_json,
	               (long long)max_attempts, (long long)delay_ms * 1000);
}

cf_status store_job_next(struct db *db, struct db_rows *rows)
{
	return db_query_one(db, SQL_JOB_NEXT, rows, "");
}

cf_status store_job_mark_running(struct db *db, unsigned long long id, const char *me)
{
	return db_exec(db, SQL_JOB_RUNNING, NULL, NULL, "su", me, id);
}

cf_status store_job_done(struct db *db, unsigned long long id, const char *me, const char *result_json)
{
	return db_exec(db, SQL_JOB_DONE, NULL, NULL, "sus", result_json, id, me);
}

cf_status store_job_done_count(struct db *db, unsigned long long id, const char *me, const char *result_json,
                               unsigned long long *affected)
{
	return db_exec(db, SQL_JOB_DONE, affected, NULL, "sus", result_json, id, me);
}

cf_status store_job_retry(struct db *db, unsigned long long id, const char *me, const char *error, long delay_ms)
{
	return db_exec(db, SQL_JOB_RETRY, NULL, NULL, "sius", error, (long long)delay_ms * 1000, id, me);
}

cf_status store_job_fail(struct db *db, unsigned long long id, const char *me, const char *error)
{
	return db_exec(db, SQL_JOB_FAIL, NULL, NULL, "sus", error, id, me);
}

cf_status store_job_fail_count(struct db *db, unsigned long long id, const char *me, const char *error,
                               unsigned long long *affected)
{
	return db_exec(db, SQL_JOB_FAIL, affected, NULL, "sus", error, id, me);
}

cf_status store_jobs_running_on(struct db *db, const char *host, struct db_rows *rows)
{
	return db_query(db, SQL_JOBS_RUNNING_ON, rows, "s", host);
}

cf_status store_job_requeue(struct db *db, unsigned long long id, const char *locked_by)
{
	return db_exec(db, SQL_JOB_REQUEUE, NULL, NULL, "us", id, locked_by);
}

cf_status store_jobs_requeue_expired(struct db *db, int lease_seconds)
{
	return db_exec(db, SQL_JOBS_REQUEUE_EXPIRED, NULL, NULL, "i", (long long)lease_seconds);
}

static const char SQL_JOB_SET_SESSION[] = "UPDATE jobs SET session_id = ? WHERE id = ?";

cf_status store_job_set_session(struct db *db, unsigned long long job_id, unsigned long long session_id)
{
	return db_exec(db, SQL_JOB_SET_SESSION, NULL, NULL, "uu", session_id, job_id);
}
