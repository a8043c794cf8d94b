/* job_kinds.h - what a job kind provides to the runner: its handler, its
 * back-off and its hook on a settled job (struct job_kind; the table of
 * kinds is in runner.c). A handler returns CF_OK (the job is done;
 * *result, when set, is stored and owned by the caller), a transient
 * failure (CF_E_UPSTREAM, CF_E_TIMEOUT, CF_E_DB_UNAVAILABLE, CF_E_DB:
 * retried with back-off; runner.c transient()) or any other status
 * (failed for good). err receives the reason; a failure the participant
 * may read sets *result to {"error": text, "user_facing_error": true}
 * (stored with the failed job; the task poll answers 400 with text). A
 * handler that settled its job itself (jobs_done_in_tx, in the
 * transaction that stored its effect) returns CF_OK and leaves *result
 * NULL. */
#ifndef CONFAB_JOB_KINDS_H
#define CONFAB_JOB_KINDS_H

#include <json-c/json.h>

#include "config.h"
#include "db.h"
#include "jobs.h"

struct job_env {
	const struct config *cfg;
	struct db *db;
	const char *me;        /* this runner's lock name */
};

typedef cf_status (*job_handler_fn)(const struct job_env *env, const struct job *job, struct json_object **result,
                                    char *err, size_t errlen);

/* One kind: the name its jobs are queued under, its handler, the delay
 * before retry n (NULL: jobs_backoff_ms), and the hook jobs.c calls when
 * one of its jobs is settled (jobs.h job_settled_fn; NULL: none). */
struct job_kind {
	const char *name;
	job_handler_fn run;
	long (*backoff_ms)(const struct config *cfg, int attempt);
	job_settled_fn on_settled;
};

/* channels.c */
cf_status job_trigger_bot(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                          size_t errlen) CF_MUST_CHECK;
/* chat_tasks.c */
cf_status job_chat_message(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                           size_t errlen) CF_MUST_CHECK;
/* webhooks_delivery.c */
cf_status job_webhook(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                      size_t errlen) CF_MUST_CHECK;
/* delivery.c */
cf_status job_deliver(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                      size_t errlen) CF_MUST_CHECK;
/* participants.c */
cf_status job_scheduled_message(const struct job_env *env, const struct job *job, struct json_object **result,
                                char *err, size_t errlen) CF_MUST_CHECK;

#endif
