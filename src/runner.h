/* runner.h - a task-runner process: claims jobs from the durable job table
 * and runs them one at a time (trigger_bot messages, deliveries, later the
 * chat widget's replies). The master supervises runners like workers. */
#ifndef CONFAB_RUNNER_H
#define CONFAB_RUNNER_H

#include "config.h"

/* Runs jobs until SIGTERM/SIGHUP/SIGINT (after the job in hand). Returns
 * the process exit code. */
int runner_run(const struct config *cfg);

#endif
