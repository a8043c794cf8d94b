/* master.h - the supervising process of confabd: opens the socket, forks
 * and restarts workers, reloads on SIGHUP and drains on SIGTERM. */
#ifndef CONFAB_MASTER_H
#define CONFAB_MASTER_H

#include "config.h"

/* Runs until SIGTERM/SIGINT. cfg was loaded from config_path (re-read on
 * SIGHUP); the master takes ownership of cfg. Returns the exit code. */
int master_run(const char *config_path, struct config *cfg);

#endif
