/* pool.h - how many FastCGI workers the master keeps: the spare-worker
 * model of Apache's prefork MPM. Between min_workers and max_workers the
 * pool grows while fewer than min_spare workers are idle (in batches that
 * double on every consecutive tick, up to CF_POOL_MAX_BATCH) and shrinks
 * while more than max_spare are idle (a fraction of the excess per tick). */
#ifndef CONFAB_POOL_H
#define CONFAB_POOL_H

#include "limits.h"   /* CF_POOL_MAX_BATCH */

struct pool_policy {
	int min_workers;   /* never fewer (the config's "workers") */
	int max_workers;
	int min_spare;     /* idle workers wanted at least */
	int max_spare;     /* idle workers tolerated at most */
};

struct pool_state {
	int batch;         /* workers to start on the next short tick; 0 = 1 */
};

/* One tick of the policy: active is the number of worker slots in use
 * (running or about to be restarted), idle the running workers waiting in
 * accept(). Returns how many workers to start (> 0) or to stop (< 0). */
int pool_adjust(const struct pool_policy *policy, struct pool_state *state, int active, int idle);

#endif
