/* jobs.h - the durable job table (docs/API.md §9.1 background
 * work, the chat widget's replies). Any process may enqueue; task-runner
 * processes on any host claim one job at a time with SELECT ... FOR UPDATE
 * SKIP LOCKED, so each job runs once however many runners share the
 * database. A job whose runner died is queued again: at once when the
 * runner was on this host (its pid is gone), after job_lease_seconds
 * otherwise. Failures are retried with exponential back-off up to the
 * job's max_attempts and then recorded as failed. */
#ifndef CONFAB_JOBS_H
#define CONFAB_JOBS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "db.h"
#include "status.h"

struct job;

/* A job kind's hook on the final outcome of one of its jobs (job_kinds.h),
 * called once, inside the transaction that records that outcome: done
 * (error NULL; result as stored, borrowed, may be NULL) or failed for good
 * (error set, result NULL). A status other than CF_OK rolls the outcome
 * back with whatever the hook did. A retry is no outcome: no call. */
typedef cf_status (*job_settled_fn)(struct db *db, const struct job *job, struct json_object *result,
                                    const char *error);

struct job {
	unsigned long long id;
	char task_id[37];
	unsigned long long team_id;
	unsigned long long session_id;   /* 0 = none */
	char kind[32];
	struct json_object *payload;     /* owned */
	int attempts;                    /* including this one */
	int max_attempts;
	job_settled_fn on_settled;       /* the kind's hook, NULL = none; jobs_claim leaves it
	                                  * NULL, whoever runs the job sets it (runner.c) */
};

/* Queues a job; payload is borrowed. task_id_out (may be NULL) receives
 * the public task id. delay_ms postpones the first run. */
cf_status jobs_enqueue(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *kind,
                       struct json_object *payload, int max_attempts, long delay_ms, char task_id_out[37]) CF_MUST_CHECK;

/* As jobs_enqueue, due at run_at_db (a UTC DATETIME(6) text, as
 * iso_to_db_time writes it; a past time is due at once). */
cf_status jobs_enqueue_at(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *kind,
                          struct json_object *payload, int max_attempts, const char *run_at_db,
                          char task_id_out[37]) CF_MUST_CHECK;

/* Claims the next due job for runner `me`; CF_E_NOT_FOUND when none is due.
 * Free with job_free. */
cf_status jobs_claim(struct db *db, const char *me, struct job *out) CF_MUST_CHECK;
void job_free(struct job *job);

/* Outcomes. result (borrowed, may be NULL) is stored as JSON. Each final
 * outcome calls job->on_settled in its transaction, when the job was still
 * this runner's (a job another runner took over is not settled twice). */
cf_status jobs_done(struct db *db, const struct job *job, const char *me, struct json_object *result) CF_MUST_CHECK;
/* As jobs_done, inside the caller's transaction; CF_E_CONFLICT when the
 * job is no longer this runner's (its lease expired and another took it):
 * the caller must then roll back what it did. */
cf_status jobs_done_in_tx(struct db *db, const struct job *job, const char *me,
                          struct json_object *result) CF_MUST_CHECK;
/* Retries after delay_ms when attempts remain (no hook), else marks the
 * job failed, with result (borrowed, may be NULL) stored as its result,
 * and calls job->on_settled with error in that transaction. */
cf_status jobs_failed(struct db *db, const struct job *job, const char *me, const char *error,
                      struct json_object *result, bool transient, long delay_ms) CF_MUST_CHECK;

/* Queues again the jobs held by dead runners of host (pid gone) and those
 * whose lease expired anywhere. */
cf_status jobs_recover(struct db *db, const char *host, int lease_seconds) CF_MUST_CHECK;

/* Back-off before retry n (1-based): 1 s, 2 s, 4 s, ... capped at 5 min,
 * with +-25% jitter. */
long jobs_backoff_ms(int attempt);

#endif
