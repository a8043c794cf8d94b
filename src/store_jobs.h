/* store_jobs.h - SQL of the job table (see jobs.h). */
#ifndef CONFAB_STORE_JOBS_H
#define CONFAB_STORE_JOBS_H

#include "db.h"
#include "status.h"

cf_status store_job_add(struct db *db, const char *task_id, unsigned long long team_id, unsigned long long session_id,
                        const char *kind, const char *payload_json, int max_attempts, long delay_ms) CF_MUST_CHECK;
/* Inside a transaction: the next due queued job, locked. Columns: id,
 * task_id, team_id, session_id (0 = none), kind, payload, attempts,
 * max_attempts. CF_E_NOT_FOUND when none. */
cf_status store_job_next(struct db *db, struct db_rows *rows) CF_MUST_CHECK;
cf_status store_job_mark_running(struct db *db, unsigned long long id, const char *me) CF_MUST_CHECK;
cf_status store_job_done(struct db *db, unsigned long long id, const char *me, const char *result_json) CF_MUST_CHECK;
/* As store_job_done, reporting the rows changed (0: not ours any more). */
cf_status store_job_done_count(struct db *db, unsigned long long id, const char *me, const char *result_json,
                               unsigned long long *affected) CF_MUST_CHECK;
cf_status store_job_retry(struct db *db, unsigned long long id, const char *me, const char *error,
                          long delay_ms) CF_MUST_CHECK;
cf_status store_job_fail(struct db *db, unsigned long long id, const char *me, const char *error) CF_MUST_CHECK;
/* As store_job_fail, reporting the rows changed (0: not ours any more). */
cf_status store_job_fail_count(struct db *db, unsigned long long id, const char *me, const char *error,
                               unsigned long long *affected) CF_MUST_CHECK;
/* Running jobs locked by runners whose name starts with "host:": id, locked_by. */
cf_status store_jobs_running_on(struct db *db, const char *host, struct db_rows *rows) CF_MUST_CHECK;
/* Queues a running job again (or fails it when its attempts are spent). */
/* Remembers which session a job chose (so a retry reuses it). */
cf_status store_job_set_session(struct db *db, unsigned long long job_id, unsigned long long session_id) CF_MUST_CHECK;
cf_status store_job_requeue(struct db *db, unsigned long long id, const char *locked_by) CF_MUST_CHECK;
cf_status store_jobs_requeue_expired(struct db *db, int lease_seconds) CF_MUST_CHECK;

#endif
