/* ratelimit_shm.h - one host's rate-limit counters in shared memory.
 *
 * The master maps a fixed table of CF_RL_SLOTS counters before it forks;
 * every worker and task runner of the host counts in it. A slot holds one
 * window (struct ratelimit_window) and three counts:
 *   known    - the database's total for the window as of this host's last
 *              flush (every host's flushed hits);
 *   inflight - hits being added to the database by a flush right now;
 *   pending  - hits on this host not yet handed to a flush.
 * A hit is pending++ and decides on known + inflight + pending, so on one
 * host the count is exact; other hosts' hits show up in known at each
 * flush. At most one flush per slot is in flight (its pid in the slot;
 * given up after CF_RL_FLUSH_STALE_MS); the process that takes a hit
 * needing one runs it outside the lock and reports the database's total
 * back (rl_shm_flushed).
 *
 * Locking: CF_RL_STRIPES process-shared robust mutexes, each over a
 * contiguous stripe of slots; a key probes CF_RL_PROBE slots of one stripe
 * from its hash on. A process that dies holding a stripe's lock costs that
 * stripe's unflushed hits (the next locker resets the stripe: its slots may
 * be half-written), never a wedged host.
 *
 * Eviction: a new window takes, among its probe slots that have no flush
 * in flight, an empty one, else one whose window ended, else one of a
 * made-up session id (RL_SLOT_NO_SESSION), else the least recently hit.
 * Evicting a live counter loses its pending hits (less than one flush's
 * worth) and its next hit starts over from the database's total. */
#ifndef CONFAB_RATELIMIT_SHM_H
#define CONFAB_RATELIMIT_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store_ratelimits.h"

struct rl_shm;

/* The two clocks a hit needs: wall time for the windows (they are shared
 * with other hosts), the monotonic clock for flush ages. */
struct rl_clock {
	long long wall_s;
	long long mono_ms;
};

enum rl_verdict {
	RL_COUNTED,      /* counted: count is this host's view, this hit included */
	RL_NO_SESSION,   /* the key is a chat session id that does not exist: not counted */
	RL_UNTRACKED,    /* no slot free (all probe slots flushing): count in the database directly */
};

/* A batch of one slot's hits that the caller adds to the database. */
struct rl_flush {
	struct ratelimit_window w;
	bool session;        /* the key is a chat session id: use the session variant */
	long long hits;
	uint32_t slot;       /* where to report back (rl_shm_flushed) */
	uint32_t gen;
};

struct rl_hit {
	enum rl_verdict verdict;
	long long count;         /* RL_COUNTED: known + inflight + pending */
	bool flush;              /* the caller runs batch, then calls rl_shm_flushed */
	struct rl_flush batch;
};

enum rl_flush_result {
	RL_FLUSH_OK,           /* total is the database's count after the add */
	RL_FLUSH_NO_SESSION,   /* the session variant found no such session */
	RL_FLUSH_FAILED,       /* the hits go back to pending */
};

/* Maps and initialises the table (MAP_SHARED | MAP_ANONYMOUS, so children
 * forked afterwards share it). NULL (logged) when it cannot: the callers
 * then count in the database per request. Destroy in the creator only. */
struct rl_shm *rl_shm_create(void);
void rl_shm_destroy(struct rl_shm *t);

/* FNV-1a over the window's identity; the stripe is hash % CF_RL_STRIPES,
 * the first probe slot (hash / CF_RL_STRIPES) % slots-per-stripe. */
uint64_t rl_shm_hash(const struct ratelimit_window *w);
size_t rl_shm_stripe(const struct ratelimit_window *w);

/* Counts one hit of w (borrowed). session: the key is a chat session id.
 * A hit flushes (out->flush) when its slot is new (the first hit of this
 * window on this host), when pending reached CF_RL_FLUSH_HITS, or when the
 * last flush is CF_RL_FLUSH_MS old, and no flush of the slot is in flight. */
void rl_shm_hit(struct rl_shm *t, const struct ratelimit_window *w, bool session, const struct rl_clock *now,
                struct rl_hit *out);
/* Reports how the flush of b ended. OK: known = total, the batch is no
 * longer in flight. Ignored when the slot was reset meanwhile. */
void rl_shm_flushed(struct rl_shm *t, const struct rl_flush *b, enum rl_flush_result r, long long total,
                    const struct rl_clock *now);

/* True for one caller per CF_RL_FLUSH_MS across the host: it may sweep. */
bool rl_shm_sweep_due(struct rl_shm *t, const struct rl_clock *now);
/* Hands at most max batches (out, caller's array) of slots with pending
 * hits whose last flush is at least min_age_ms old and whose window has
 * not ended to the caller, who flushes each and reports as for a hit.
 * Returns how many. */
size_t rl_shm_collect(struct rl_shm *t, const struct rl_clock *now, long long min_age_ms, struct rl_flush *out,
                      size_t max);
/* Master side, for a reaped process: the flushes pid had in flight go
 * back to pending (the add may have reached the database: the counts then
 * err by one batch on the safe side, too high). */
void rl_shm_clear_pid(struct rl_shm *t, pid_t pid);

/* For the robustness test only: takes (and keeps) a stripe's lock. */
bool rl_shm_lock_stripe(struct rl_shm *t, size_t stripe);

#endif
