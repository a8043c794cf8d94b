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
#include "limits.h"
#include "metrics.h"
#include "metrics_jobs.h"
#include "store_idempotency.h"
#include "store_oauth.h"
#include "ratelimit.h"
#include "store_ratelimits.h"
#include "store_web_sessions.h"
#include "uploads.h"
#include "webhooks.h"


/* Waits up to ms for a stop signal (they stay blocked, so none can
 * interrupt a job); true when one arrived. */
static bool stop_arrived(const sigset_t *stop, long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	return sigtimedwait(stop, NULL, &ts) > 0;
}

/* The job kinds (job_kinds.h). The widget's replies and trigger_bot are
 * tasks: their outcome is a task.completed / task.failed event. */
static const struct job_kind kinds[] = {
	{"trigger_bot", job_trigger_bot, NULL, webhooks_task_settled},
	{"deliver", job_deliver, NULL, NULL},
	{"scheduled_message", job_scheduled_message, NULL, NULL},
	{"chat_message", job_chat_message, NULL, webhooks_task_settled},
	{"webhook", job_webhook, webhooks_backoff_ms, NULL},
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
		if (strcmp(kinds[i].name, job->kind) == 0) {
			run = kinds[i].run;
			backoff = kinds[i].backoff_ms;
			job->on_settled = kinds[i].on_settled;
		}
	struct json_object *result = NULL;
	char err[256] = "";
	cf_status st = run ? run(env, job, &result, err, sizeof err) : CF_E_INTERNAL;
	if (run == NULL)
		snprintf(err, sizeof err, "unknown job kind \"%s\"", job->kind);
	long delay = backoff ? backoff(env->cfg, job->attempts) : jobs_backoff_ms(job->attempts);
	cf_status settled = CF_OK;
	/* The outcome is known; losing it to a database that is away for a
	 * moment (its node restarting) would leave the job running until its
	 * lease ends and then run it again. Every settle is conditional on
	 * locked_by, so recording it twice cannot happen. */
	for (int waited = 0;; waited++) {
		settled = st != CF_OK       ? jobs_failed(env->db, job, env->me, err[0] ? err : cf_status_name(st), result,
		                                          transient(st), delay)
		          : result == NULL ? CF_OK   /* the handler settled it with its effect */
		                           : jobs_done(env->db, job, env->me, result);
		if (settled != CF_E_DB_UNAVAILABLE || waited >= CF_RUNNER_SETTLE_PATIENCE_S)
			break;
		sleep(1);   /* stop signals are blocked: they wait for the job's end */
	}
	metrics_job_attempt(job->kind, st != CF_OK);
	if (settled != CF_OK)
		log_error("runner: could not record the outcome of job %s: %s", job->task_id, db_last_error(env->db));
	else if (st == CF_OK)
		log_info("job %s (%s) done", job->task_id, job->kind);
	json_object_put(result);
}

/* One table's purge: deletes at most limit rows per call, *removed how many. */
struct purge_ctx {
	const struct config *cfg;
	struct db *db;
};
typedef cf_status (*purge_fn)(const struct purge_ctx *p, int limit, unsigned long long *removed);

static cf_status purge_files(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return uploads_purge_expired(p->db, p->cfg, limit, removed);
}
static cf_status purge_windows(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return store_ratelimits_purge(p->db, (long long)time(NULL), limit, removed);
}
static cf_status purge_idem(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return store_idem_purge(p->db, limit, removed);
}
static cf_status purge_grants(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return store_oauth_purge(p->db, OAUTH_PURGE_GRANTS, limit, removed);
}
static cf_status purge_access(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return store_oauth_purge(p->db, OAUTH_PURGE_ACCESS_TOKENS, limit, removed);
}
static cf_status purge_refresh(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return store_oauth_purge(p->db, OAUTH_PURGE_REFRESH_TOKENS, limit, removed);
}
static cf_status purge_web(const struct purge_ctx *p, int limit, unsigned long long *removed)
{
	return store_web_sessions_purge(p->db, limit, removed);
}

static const struct {
	const char *what;
	purge_fn run;
} purges[] = {
	{"expired files", purge_files},
	{"rate-limit windows", purge_windows},
	{"idempotency keys", purge_idem},
	{"expired OAuth grants", purge_grants},
	{"expired OAuth access tokens", purge_access},
	{"revoked OAuth refresh tokens", purge_refresh},
	{"expired web sessions", purge_web},
};

/* One purge cycle: each table in batches of CF_PURGE_BATCH until a batch
 * comes back short, so that a purge keeps up with any creation rate (one
 * log line per table that had rows). Returns true when a stop signal
 * arrived (and was taken) meanwhile: the caller then stops. */
static bool purge_cycle(const struct purge_ctx *p, const sigset_t *stop)
{
	bool stopped = false;
	for (size_t i = 0; i < sizeof purges / sizeof purges[0] && !stopped; i++) {
		unsigned long long total = 0, removed = 0;
		int batches = 0;
		cf_status st = CF_OK;
		do {
			removed = 0;
			st = purges[i].run(p, CF_PURGE_BATCH, &removed);
			total += removed;
		} while (st == CF_OK && removed >= CF_PURGE_BATCH && ++batches < CF_PURGE_MAX_BATCHES &&
		         !(stopped = stop_arrived(stop, 0)));
		if (st != CF_OK)
			log_warn("runner: purging %s failed: %s", purges[i].what, db_last_error(p->db));
		if (total > 0)
			log_info("purge: removed %llu %s in %d batches", total, purges[i].what, batches + 1);
	}
	return stopped;
}

int runner_run(const struct config *cfg, struct rl_shm *ratelimits)
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
		ratelimit_sweep(ratelimits, db, CF_RL_SWEEP_MAX_RUNNER, false);   /* hits reach MariaDB when traffic stops */
		metrics_jobs_read(db, (long long)time(NULL));   /* at most every CF_METRICS_JOBS_EVERY_S per host */
		if (time(NULL) - last_recover >= CF_RUNNER_RECOVER_EVERY_S) {
			if (jobs_recover(db, host, cfg->job_lease_seconds) != CF_OK)
				log_warn("runner: recovering jobs failed: %s", db_last_error(db));
			last_recover = time(NULL);
		}
		if (time(NULL) - last_purge >= cfg->purge_interval) {
			struct purge_ctx p = {cfg, db};
			if (purge_cycle(&p, &stop))
				break;
			last_purge = time(NULL);
		}
		struct job job;
		cf_status st = jobs_claim(db, me, &job);
		if (st == CF_E_NOT_FOUND) {
			if (stop_arrived(&stop, CF_RUNNER_IDLE_SLEEP_MS))
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
	ratelimit_sweep(ratelimits, db, CF_RL_SWEEP_MAX_RUNNER, true);   /* a stop must not lose this host's hits */
	db_close(db);
	llm_shutdown();
	return 0;
}
