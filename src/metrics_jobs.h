/* metrics_jobs.h - the job queue's gauges of GET /metrics, read from
 * MariaDB by a task runner (metrics.h keeps them; it knows no database). */
#ifndef CONFAB_METRICS_JOBS_H
#define CONFAB_METRICS_JOBS_H

#include "db.h"

/* When due (metrics_jobs_due: once per CF_METRICS_JOBS_EVERY_S across the
 * host), reads the queue through db (borrowed) and sets the gauges; a
 * failure is logged and leaves them as they were. Cheap otherwise. */
void metrics_jobs_read(struct db *db, long long now_s);

#endif
