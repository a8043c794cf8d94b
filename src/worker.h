/* worker.h - a FastCGI worker process: accepts requests on the shared
 * listening socket with FCGX_Accept_r and serves them one at a time. */
#ifndef CONFAB_WORKER_H
#define CONFAB_WORKER_H

#include "config.h"
#include "waiters.h"

/* Serves until SIGTERM/SIGHUP/SIGINT (after the request in flight), until
 * cfg->worker_max_requests requests, or until the process's resident size
 * passes cfg->worker_max_rss_mb after a request. While a request is served
 * *busy is 1, otherwise 0 (busy is the worker's mark on the master's shared
 * scoreboard; NULL when nobody watches). waiters: the long-poll marks on
 * the same scoreboard (borrowed; NULL = no cap). ratelimits: the host's
 * rate-limit counters (borrowed; NULL = counted in the database per
 * request); after each request the worker may flush idle ones. Returns the
 * exit code. */
struct rl_shm;
int worker_run(const struct config *cfg, int listen_fd, unsigned char *busy, struct waiter_board *waiters,
               struct rl_shm *ratelimits);

#endif
