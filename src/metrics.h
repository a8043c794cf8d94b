/* metrics.h - the host's Prometheus counters: one fixed-size shared area
 * that the master maps before it forks, counted in by every worker, task
 * runner and the master itself, and rendered as the text exposition
 * format 0.0.4 for GET /metrics (api_metrics.c) without a database trip.
 *
 * Invariants: every counter is a C11 atomic updated with relaxed order
 * (a scrape may see one request's counters half-applied, never torn
 * values); label values come only from bounded sets: the route table's
 * patterns, a fixed method list, status classes, and two small interned
 * tables (job kinds, LLM provider types) filled first come first served;
 * a value that finds its table full counts under "other". Until
 * metrics_create ran (confabctl, unit tests that do not call it) every
 * counting call does nothing.
 *
 * A leaf module (no database, no route table of its own), so that db.c and
 * llm.c may count: the job queue is read by metrics_jobs.c, the route index
 * found by dispatch_route_index, the route labels passed to the renderer. */
#ifndef CONFAB_METRICS_H
#define CONFAB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

/* Maps the area (MAP_SHARED | MAP_ANONYMOUS) for this process and every
 * child forked after it. False (logged) when it cannot: nothing is
 * counted, /metrics then answers with the families empty. Idempotent. */
bool metrics_create(void);
/* Unmaps it (the creator, at exit; unit tests). */
void metrics_destroy(void);

/* A served request: route is the index of the matched route in the route
 * table (dispatch_route_index); -1 (a path no route has), or an index past
 * CF_METRICS_ROUTES, counts as "(unmatched)". method is the request's
 * (borrowed; one outside the fixed list counts as "other"), status the
 * HTTP status sent, seconds the time it took. */
void metrics_request(int route, const char *method, int status, double seconds);

/* The worker pool, set by the master once per tick. */
struct metrics_pool {
	long workers;        /* live FastCGI workers of the current generation */
	long busy;           /* of them serving a request */
	long max_workers;
	long task_runners;   /* live task runners */
	long waiters;        /* long-polls waiting now (waiters.h) */
};
void metrics_pool_set(const struct metrics_pool *p);
/* The master started a worker or runner / reaped one that crashed
 * (killed by a signal or a non-zero exit). */
void metrics_worker_spawned(void);
void metrics_worker_died(void);

/* The job queue, read from MariaDB by one runner of the host at most every
 * CF_METRICS_JOBS_EVERY_S: metrics_jobs_due says whether this caller is
 * the one (true at most once per interval across the host). */
bool metrics_jobs_due(long long now_s);
struct metrics_job_row {
	const char *kind;        /* borrowed */
	long long queued;        /* due or not */
	long long running;
	long long oldest_due_s;  /* age of the oldest queued job whose run time has come; 0 = none */
};
/* Replaces the queue gauges with rows (kinds missing from rows read 0). */
void metrics_jobs_set(const struct metrics_job_row *rows, size_t n);
/* A runner settled one attempt of a job of kind (borrowed); failed: the
 * attempt failed (to be retried or for good). */
void metrics_job_attempt(const char *kind, bool failed);

/* One LLM call through provider type (borrowed: openai, azure, ...) that
 * ended with st after seconds; tokens as the provider reported (< 0 = not
 * reported). */
void metrics_llm_call(const char *provider, cf_status st, double seconds, long prompt_tokens,
                      long completion_tokens);

/* Single counters, one call per event. */
enum metrics_counter {
	METRIC_RATE_LIMITED,       /* a 429 answer */
	METRIC_IDEM_REPLAY,        /* a stored answer replayed for an Idempotency-Key */
	METRIC_UPLOAD_REFUSED,     /* an upload refused (size, quota, disk) */
	METRIC_WEBHOOK_DELIVERED,  /* a webhook delivery answered 2xx */
	METRIC_WEBHOOK_FAILED,     /* a webhook delivery attempt failed */
	METRIC_DB_ERROR,           /* a request answered with a database error (500/503) */
	METRIC_DB_DEADLOCK_RERUN,  /* db_transaction ran a deadlock loser again */
	METRIC_COUNTERS
};
void metrics_count(enum metrics_counter c);
/* Bytes of uploaded files stored. */
void metrics_upload_bytes(unsigned long long bytes);

/* Renders every family into out (appended; out's ceiling bounds it);
 * routes (borrowed, nroutes of them) is the route table whose indexes
 * metrics_request got: their patterns are the route labels. CF_E_TOO_LARGE
 * when the ceiling is hit. */
struct route;
cf_status metrics_render(struct buf *out, const struct route *routes, size_t nroutes) CF_MUST_CHECK;

/* Appends s as a label value escaped per the format (\\, \", \n). For the
 * renderer and its unit tests. */
cf_status metrics_escape_label(struct buf *out, const char *s) CF_MUST_CHECK;

#endif
