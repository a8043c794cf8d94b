/* store_jobs.h - SQL of the job table (see jobs.h). Rows cross this
 * boundary as struct job_row; nothing here exposes result sets. */
#ifndef CONFAB_STORE_JOBS_H
#define CONFAB_STORE_JOBS_H

#include "db.h"
#include "status.h"

/* One claimable job. payload is the stored JSON text, owned by the row
 * (job_row_free); the other fields are plain values. */
struct job_row {
	unsigned long long id;
	char task_id[37];                /* CHAR(36) */
	unsigned long long team_id;
	unsigned long long session_id;   /* 0 = none */
	char kind[32];                   /* as struct job: our own ASCII kinds, all shorter */
	char *payload;                   /* owned; never NULL after a successful read */
	int attempts;                    /* before this claim */
	int max_attempts;
};
void job_row_free(struct job_row *row);

/* A running job and the runner that holds it ("host:pid"). */
struct job_lock_row {
	unsigned long long id;
	char locked_by[513];             /* VARCHAR(128) */
};
/* Called for each row; a status other than CF_OK stops the walk and is
 * returned by the store function. row is borrowed for the call only. */
typedef cf_status (*job_lock_fn)(void *ctx, const struct job_lock_row *row);

cf_status store_job_add(struct db *db, const char *task_id, unsigned long long team_id, unsigned long long session_id,
                        const char *kind, const char *payload_json, int max_attempts, long delay_ms) CF_MUST_CHECK;
/* As store_job_add, due at run_after_db (a UTC DATETIME(6) text; a past
 * time is due at once) instead of after a delay. */
cf_status store_job_add_at(struct db *db, const char *task_id, unsigned long long team_id,
                           unsigned long long session_id, const char *kind, const char *payload_json,
                           int max_attempts, const char *run_after_db) CF_MUST_CHECK;
/* Inside a transaction: the next due queued job, locked, into *out (caller
 * frees with job_row_free, also after a failure). CF_E_NOT_FOUND when none. */
cf_status store_job_next(struct db *db, struct job_row *out) CF_MUST_CHECK;
/* Marks job id running for me if it is still queued; *affected is 1 when
 * this call took it, 0 when another runner had (the claim's decider: on
 * Galera the row lock of store_job_next is not seen by other nodes). */
cf_status store_job_mark_running(struct db *db, unsigned long long id, const char *me,
                                 unsigned long long *affected) CF_MUST_CHECK;
/* Settles a job still held by me. *affected (may be NULL) gets the rows
 * changed: 0 when the job is not ours any more. */
cf_status store_job_done(struct db *db, unsigned long long id, const char *me, const char *result_json,
                         unsigned long long *affected) CF_MUST_CHECK;
cf_status store_job_retry(struct db *db, unsigned long long id, const char *me, const char *error,
                          long delay_ms) CF_MUST_CHECK;
/* Failed for good: error as last_error, result_json (NULL: none) as the
 * result (a user-facing failure's {"error", "user_facing_error"}). */
cf_status store_job_fail(struct db *db, unsigned long long id, const char *me, const char *error,
                         const char *result_json, unsigned long long *affected) CF_MUST_CHECK;
/* Running jobs locked by runners whose name starts with "host:", one call
 * of fn each. The rows are read in full before the first call, so fn may
 * run further statements. */
cf_status store_jobs_running_on(struct db *db, const char *host, job_lock_fn fn, void *ctx) CF_MUST_CHECK;
/* Queues a running job again (or fails it when its attempts are spent). */
cf_status store_job_requeue(struct db *db, unsigned long long id, const char *locked_by) CF_MUST_CHECK;
cf_status store_jobs_requeue_expired(struct db *db, int lease_seconds) CF_MUST_CHECK;
/* Remembers which session a job chose (so a retry reuses it). */
cf_status store_job_set_session(struct db *db, unsigned long long job_id, unsigned long long session_id) CF_MUST_CHECK;

/* The queue's size for GET /metrics, one entry per kind that has queued or
 * running jobs: how many of each, and the age in seconds of the oldest
 * queued job whose run time has come (0: none). At most max entries into
 * out (the caller's array); *n says how many. Not scoped by team: it is
 * the host operator's view of the whole queue. */
struct job_queue_stat {
	char kind[33];
	long long queued;
	long long running;
	long long oldest_due_s;
};
cf_status store_jobs_queue_stats(struct db *db, struct job_queue_stat *out, size_t max, size_t *n) CF_MUST_CHECK;

#endif
