/* runner.c - the task-runner loop. Stop signals are honoured between jobs,
 * never during one. A runner names itself "host:pid" in the rows it locks,
 * so that a runner on the same host can tell when it died (jobs.h). */
#include "runner.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "job_kinds.h"
#include "jobs.h"
#include "llm.h"
#include "log.h"
#include "store_idempotency.h"
#include "store_ratelimit.h"
#include "uploads.h"
#include "webhooks.h"

#define IDLE_SLEEP_MS 200
#define RECOVER_EVERY_S 5
#define PURGE_EVERY_S 60
#define PURGE_BATCH 200

/* Waits up to ms for a stop signal (they stay blocked, so none can
 * interrupt a job); true when one arrived. */
static bool stop_arrived(const sigset_t *stop, long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	return sigtimedwait(stop, NULL, &ts) > 0;
}

static const struct {
	const char *kind;
	job_handler_fn run;
	long (*backoff_ms)(const struct config *cfg, int attempt);   /* NULL: jobs_backoff_ms */
} kinds[] = {
	{"trigger_bot", job_trigger_bot, NULL},
	{"deliver", job_deliver, NULL},
	{"chat_message", job_chat_message, NULL},
	{"webhook", job_webhook, webhooks_backoff_ms},
};

static bool transient(cf_status st)
{
	return st == CF_E_UPSTREAM || st == CF_E_TIMEOUT || st == CF_E_DB_UNAVAILABLE || st == CF_E_DB;
}

static void run_one(const struct job_env *env, struct job *job)
{
	job_handler_fn run = NULL;
	long (*backoff)(const struct config *, int) = NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, job->kind) == 0) {
			run = kinds[i].run;
			backoff = kinds[i].backoff_ms;
		}
	struct json_object *result = NULL;
	char err[256] = "";
	cf_status st = run ? run(env, job, &result, err, sizeof err) : CF_E_INTERNAL;
	if (run == NULL)
		snprintf(err, sizeof err, "unknown job kind \"%s\"", job->kind);
	long delay = backoff ? backoff(env->cfg, job->attempts) : jobs_backoff_ms(job->attempts);
	cf_status settled = st != CF_OK       ? jobs_failed(env->db, job, env->me, err[0] ? err : cf_status_name(st),
	                                                          transient(st), delay)
	                    : result == NULL ? CF_OK   /* the handler settled it with its effect */
	                                     : jobs_done(env->db, job, env->me, result);
	if (settled != CF_OK)
		log_error("runner: could not record the outcome of job %s: %s", job->task_id, db_last_error(env->db));
	else if (st == CF_OK)
		log_info("job %s (%s) done", job->task_id, job->kind);
	json_object_put(result);
}

int runner_run(const struct config *cfg)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);

	char host[128] = "localhost", me[192];
	gethostname(host, sizeof host - 1);
	snprintf(me, sizeof me, "%s:%ld", host, (long)getpid());
	llm_init(cfg);
	struct db *db = NULL;
	if (db_open(cfg, &db) != CF_OK)
		log_warn("runner: database not reachable yet (%s); will retry", db_last_error(db));
	struct job_env env = {cfg, db, me};
	time_t last_recover = 0, last_purge = 0;
	while (!stop_arrived(&stop, 0)) {
		if (time(NULL) - last_recover >= RECOVER_EVERY_S) {
			if (jobs_recover(db, host, cfg->job_lease_seconds) != CF_OK)
				log_warn("runner: recovering jobs failed: %s", db_last_error(db));
			last_recover = time(NULL);
		}
		if (time(NULL) - last_purge >= PURGE_EVERY_S) {
			if (uploads_purge_expired(db, cfg, PURGE_BATCH) != CF_OK)
				log_warn("runner: purging expired files failed: %s", db_last_error(db));
			if (store_ratelimit_purge(db, (long long)time(NULL), PURGE_BATCH) != CF_OK)
				log_warn("runner: purging rate-limit windows failed: %s", db_last_error(db));
			if (store_idem_purge(db, PURGE_BATCH) != CF_OK)
				log_warn("runner: purging idempotency keys failed: %s", db_last_error(db));
			last_purge = time(NULL);
		}
		struct job job;
		cf_status st = jobs_claim(db, me, &job);
		if (st == CF_E_NOT_FOUND) {
			if (stop_arrived(&stop, IDLE_SLEEP_MS))
				break;
			continue;
		}
		if (st != CF_OK) {
			log_warn("runner: claiming a job failed: %s", db_last_error(db));
			if (stop_arrived(&stop, 1000))
				break;
			continue;
		}
		run_one(&env, &job);
		job_free(&job);
	}
	db_close(db);
	llm_shutdown();
	return 0;
}
