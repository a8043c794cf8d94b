/* jobs.c - enqueue, claim and settle jobs (see jobs.h). */
#include "jobs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ids.h"
#include "limits.h"
#include "log.h"
#include "store_jobs.h"

/* Queues a job due after delay_ms, or at run_at_db when that is not NULL. */
static cf_status enqueue(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *kind,
                         struct json_object *payload, int max_attempts, long delay_ms, const char *run_at_db,
                         char task_id_out[37])
{
	char task_id[37];
	cf_status st = uuid4_generate(task_id);
	if (st != CF_OK)
		return st;
	const char *json = json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN);
	st = run_at_db != NULL
	             ? store_job_add_at(db, task_id, team_id, session_id, kind, json, max_attempts, run_at_db)
	             : store_job_add(db, task_id, team_id, session_id, kind, json, max_attempts, delay_ms);
	if (st == CF_OK && task_id_out != NULL)
		memcpy(task_id_out, task_id, sizeof task_id);
	return st;
}

cf_status jobs_enqueue(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *kind,
                       struct json_object *payload, int max_attempts, long delay_ms, char task_id_out[37])
{
	return enqueue(db, team_id, session_id, kind, payload, max_attempts, delay_ms, NULL, task_id_out);
}

cf_status jobs_enqueue_at(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *kind,
                          struct json_object *payload, int max_attempts, const char *run_at_db, char task_id_out[37])
{
	return enqueue(db, team_id, session_id, kind, payload, max_attempts, 0, run_at_db, task_id_out);
}

void job_free(struct job *job)
{
	json_object_put(job->payload);
	memset(job, 0, sizeof *job);
}

struct claim_tx {
	const char *me;
	struct job *out;
};

/* One claim attempt: the next due job, taken only if the conditional
 * UPDATE says it was still queued (CF_E_CONFLICT: another runner took it). */
static cf_status claim_in_tx(struct db *db, void *ctx)
{
	struct claim_tx *c = ctx;
	struct job *out = c->out;
	struct job_row row;
	job_free(out);
	memset(&row, 0, sizeof row);
	cf_status st = store_job_next(db, &row);
	if (st == CF_OK) {
		out->id = row.id;
		snprintf(out->task_id, sizeof out->task_id, "%s", row.task_id);
		out->team_id = row.team_id;
		out->session_id = row.session_id;
		snprintf(out->kind, sizeof out->kind, "%s", row.kind);
		out->payload = json_tokener_parse(row.payload);
		out->attempts = row.attempts + 1;
		out->max_attempts = row.max_attempts;
		if (out->payload == NULL)
			out->payload = json_object_new_object();
		unsigned long long affected = 0;
		st = store_job_mark_running(db, out->id, c->me, &affected);
		if (st == CF_OK && affected != 1)
			st = CF_E_CONFLICT;
	}
	job_row_free(&row);
	return st;
}

/* SELECT ... FOR UPDATE SKIP LOCKED alone is not a claim on Galera: two
 * nodes can pick the same row, since row locks stay on their node. What
 * decides is the commit: the first UPDATE of the row to commit wins, the
 * other loses certification (1213 at COMMIT, which db_transaction reruns:
 * the rerun no longer sees the row queued), so no job is taken twice. */
cf_status jobs_claim(struct db *db, const char *me, struct job *out)
{
	memset(out, 0, sizeof *out);
	struct claim_tx c = {me, out};
	cf_status st = CF_E_CONFLICT;
	for (int attempt = 0; st == CF_E_CONFLICT && attempt <= CF_DB_LOCK_RETRIES; attempt++)
		st = db_transaction(db, claim_in_tx, &c);
	if (st == CF_E_CONFLICT)
		st = CF_E_NOT_FOUND;   /* others took every due job we saw: nap */
	if (st != CF_OK)
		job_free(out);
	return st;
}

/* What a settling transaction records: the outcome, then the kind's hook. */
struct settle_tx {
	const struct job *job;
	const char *me;
	bool failed;                  /* for good, with error (and result, may be NULL); else done, with result */
	struct json_object *result;
	const char *error;
	bool ours;                    /* out: the row was still this runner's */
};

/* A result as stored (borrowed from result), NULL for none. */
static const char *result_text(struct json_object *result)
{
	return result ? json_object_to_json_string_ext(result, JSON_C_TO_STRING_PLAIN) : NULL;
}

static cf_status settle_in_tx(struct db *db, void *ctx)
{
	struct settle_tx *x = ctx;
	unsigned long long affected = 0;
	cf_status st = x->failed ? store_job_fail(db, x->job->id, x->me, x->error, result_text(x->result), &affected)
	                                : store_job_done(db, x->job->id, x->me, result_text(x->result), &affected);
	x->ours = st == CF_OK && affected == 1;
	if (x->ours && x->job->on_settled != NULL)   /* still ours: its outcome is news */
		st = x->job->on_settled(db, x->job, x->failed ? NULL : x->result, x->failed ? x->error : NULL);
	return st;
}

cf_status jobs_done(struct db *db, const struct job *job, const char *me, struct json_object *result)
{
	struct settle_tx x = {job, me, false, result, NULL, false};
	if (job->on_settled == NULL)   /* one statement needs no transaction */
		return store_job_done(db, job->id, me, result_text(result), NULL);
	return db_transaction(db, settle_in_tx, &x);
}

cf_status jobs_done_in_tx(struct db *db, const struct job *job, const char *me, struct json_object *result)
{
	struct settle_tx x = {job, me, false, result, NULL, false};
	cf_status st = settle_in_tx(db, &x);
	return (st == CF_OK && !x.ours) ? CF_E_CONFLICT : st;
}

long jobs_backoff_ms(int attempt)
{
	long ms = 1000;
	for (int i = 1; i < attempt && ms < 300000; i++)
		ms *= 2;
	if (ms > 300000)
		ms = 300000;
	unsigned r = 0;
	if (random_bytes(&r, sizeof r) != CF_OK)
		r = 0;
	return ms * 3 / 4 + (long)(r % (unsigned)(ms / 2 + 1));
}

cf_status jobs_failed(struct db *db, const struct job *job, const char *me, const char *error,
                      struct json_object *result, bool transient, long delay_ms)
{
	if (transient && job->attempts < job->max_attempts) {
		log_warn("job %s (%s) attempt %d failed: %s; retrying in %ld ms", job->task_id, job->kind, job->attempts,
		         error, delay_ms);
		return store_job_retry(db, job->id, me, error, delay_ms);
	}
	log_warn("job %s (%s) failed for good after %d attempts: %s", job->task_id, job->kind, job->attempts, error);
	struct settle_tx x = {job, me, true, result, error ? error : "failed", false};
	return db_transaction(db, settle_in_tx, &x);
}

/* "host:pid" -> pid, 0 when malformed. */
static long runner_pid(const char *locked_by)
{
	const char *colon = strrchr(locked_by, ':');
	if (colon == NULL)
		return 0;
	char *end = NULL;
	errno = 0;
	long pid = strtol(colon + 1, &end, 10);
	return (errno == 0 && end != colon + 1 && *end == '\0' && pid > 0) ? pid : 0;
}

/* Requeues the job of a runner of this host whose process is gone. */
static cf_status requeue_if_dead(void *ctx, const struct job_lock_row *row)
{
	struct db *db = ctx;
	long pid = runner_pid(row->locked_by);
	if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
		log_warn("jobs: runner %s is gone; queueing its job again", row->locked_by);
		return store_job_requeue(db, row->id, row->locked_by);
	}
	return CF_OK;
}

cf_status jobs_recover(struct db *db, const char *host, int lease_seconds)
{
	cf_status st = store_jobs_running_on(db, host, requeue_if_dead, db);
	if (st == CF_OK)
		st = store_jobs_requeue_expired(db, lease_seconds);
	return st;
}
