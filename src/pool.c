/* pool.c - the spare-worker policy (see pool.h). Pure arithmetic, so the
 * unit tests drive it tick by tick. */
#include "pool.h"

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

int pool_adjust(const struct pool_policy *policy, struct pool_state *state, int active, int idle)
{
	if (active < policy->min_workers) {
		state->batch = 0;
		return policy->min_workers - active;
	}
	if (idle < policy->min_spare && active < policy->max_workers) {
		int want = state->batch > 0 ? state->batch : 1;
		if (want < policy->min_spare - idle)
			want = policy->min_spare - idle;
		state->batch = min_int(want * 2, CF_POOL_MAX_BATCH);
		return min_int(min_int(want, CF_POOL_MAX_BATCH), policy->max_workers - active);
	}
	state->batch = 0;
	if (idle > policy->max_spare && active > policy->min_workers) {
		int excess = idle - policy->max_spare;
		int stop = excess / 16 > 1 ? excess / 16 : 1;   /* gently: a burst may come back */
		return -min_int(stop, active - policy->min_workers);
	}
	return 0;
}
