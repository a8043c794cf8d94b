/* runner.h - a task-runner process: claims jobs from the durable job table
 * and runs them one at a time (trigger_bot messages, deliveries, later the
 * chat widget's replies). The master supervises runners like workers. */
#ifndef CONFAB_RUNNER_H
#define CONFAB_RUNNER_H

#include "config.h"

struct rl_shm;
/* Runs jobs until SIGTERM/SIGHUP/SIGINT (after the job in hand). Between
 * jobs and when idle it flushes the host's idle rate-limit counters
 * (ratelimits, borrowed; NULL = none), and all of them before it exits.
 * Returns the process exit code. */
int runner_run(const struct config *cfg, struct rl_shm *ratelimits);

#endif
