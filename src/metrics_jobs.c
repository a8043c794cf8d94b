/* metrics_jobs.c - reads the job queue's size for the metrics gauges
 * (metrics_jobs.h): store_jobs_queue_stats into metrics_jobs_set. */
#include "metrics_jobs.h"

#include "limits.h"
#include "log.h"
#include "metrics.h"
#include "store_jobs.h"

void metrics_jobs_read(struct db *db, long long now_s)
{
	if (!metrics_jobs_due(now_s))
		return;
	struct job_queue_stat stats[CF_METRICS_JOB_KINDS * 2];
	struct metrics_job_row rows[CF_METRICS_JOB_KINDS * 2];
	size_t n = 0;
	if (store_jobs_queue_stats(db, stats, sizeof stats / sizeof stats[0], &n) != CF_OK) {
		log_warn("metrics: reading the job queue failed: %s", db_last_error(db));
		return;
	}
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct metrics_job_row){stats[i].kind, stats[i].queued, stats[i].running, stats[i].oldest_due_s};
	metrics_jobs_set(rows, n);
}
