/* ratelimit_shm.c - the per-host rate-limit counter table (see ratelimit_shm.h). */
#include "ratelimit_shm.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "limits.h"
#include "log.h"

#define STRIPE_SLOTS (CF_RL_SLOTS / CF_RL_STRIPES)
_Static_assert(CF_RL_SLOTS % CF_RL_STRIPES == 0, "stripes divide the table evenly");
_Static_assert(CF_RL_PROBE <= STRIPE_SLOTS, "a key's probe stays inside its stripe");

enum slot_state {
	SLOT_EMPTY = 0,   /* what the zero-filled mapping starts as */
	SLOT_LIVE,
	SLOT_NO_SESSION,  /* a chat session id the database does not know: never counted */
};

struct rl_slot {
	struct ratelimit_window w;
	uint32_t gen;            /* bumped on a new window, a reset and each flush: a report must match it */
	unsigned char state;     /* enum slot_state */
	bool session;            /* flush with the session variant */
	bool attempted;          /* a flush has ended (well or not): last_flush_ms is set */
	bool failed;             /* ... and the last one failed: retry by age only */
	pid_t flusher;           /* the process whose flush is in flight, 0 when none */
	long long known;
	long long inflight;
	long long pending;
	long long last_flush_ms; /* monotonic: when the last flush ended */
	long long flush_started_ms; /* ... and when the one in flight began */
	long long last_hit_ms;
};

struct rl_stripe {
	pthread_mutex_t lock;    /* process-shared, robust */
	struct rl_slot slots[STRIPE_SLOTS];
};

struct rl_shm {
	long long next_sweep_ms; /* atomic; monotonic time of the next sweep */
	struct rl_stripe stripes[CF_RL_STRIPES];
};

static cf_status init_locks(struct rl_shm *t)
{
	pthread_mutexattr_t attr;
	if (pthread_mutexattr_init(&attr) != 0)
		return CF_E_INTERNAL;
	cf_status st = CF_OK;
	if (pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) != 0)
		st = CF_E_INTERNAL;
	for (size_t i = 0; i < CF_RL_STRIPES && st == CF_OK; i++)
		if (pthread_mutex_init(&t->stripes[i].lock, &attr) != 0)
			st = CF_E_INTERNAL;
	pthread_mutexattr_destroy(&attr);
	return st;
}

struct rl_shm *rl_shm_create(void)
{
	struct rl_shm *t = mmap(NULL, sizeof *t, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED) {
		log_warn("rate limit: cannot map the counter table (%s); counting in the database per request",
		         strerror(errno));
		return NULL;
	}
	if (init_locks(t) != CF_OK) {
		log_warn("rate limit: no process-shared robust locks; counting in the database per request");
		munmap(t, sizeof *t);
		return NULL;
	}
	return t;   /* zero-filled by mmap: every slot empty */
}

void rl_shm_destroy(struct rl_shm *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < CF_RL_STRIPES; i++)
		pthread_mutex_destroy(&t->stripes[i].lock);
	munmap(t, sizeof *t);
}

static uint64_t fnv_add(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t rl_shm_hash(const struct ratelimit_window *w)
{
	uint64_t h = 14695981039346656037ULL;   /* FNV-1a 64 */
	h = fnv_add(h, &w->scope, 1);
	h = fnv_add(h, w->key, strnlen(w->key, sizeof w->key));
	h = fnv_add(h, &w->window_start, sizeof w->window_start);
	return fnv_add(h, &w->window_seconds, sizeof w->window_seconds);
}

size_t rl_shm_stripe(const struct ratelimit_window *w)
{
	return (size_t)(rl_shm_hash(w) % CF_RL_STRIPES);
}

/* Empties every slot of s; gen moves on, so reports of flushes that were
 * in flight find nothing to update. */
static void stripe_reset(struct rl_stripe *s)
{
	for (size_t i = 0; i < STRIPE_SLOTS; i++) {
		uint32_t gen = s->slots[i].gen + 1;
		memset(&s->slots[i], 0, sizeof s->slots[i]);
		s->slots[i].gen = gen;
	}
}

/* False when the lock cannot be had (then nothing may be touched). A
 * holder that died may have left a slot half-written: the stripe starts
 * over, which loses its unflushed hits and nothing else. */
static bool stripe_lock(struct rl_stripe *s)
{
	int rc = pthread_mutex_lock(&s->lock);
	if (rc == EOWNERDEAD) {
		stripe_reset(s);
		rc = pthread_mutex_consistent(&s->lock);
		log_warn("rate limit: a process died holding a counter lock; %d counters of this host start over",
		         STRIPE_SLOTS);
		if (rc != 0)
			pthread_mutex_unlock(&s->lock);
	}
	return rc == 0;
}

bool rl_shm_lock_stripe(struct rl_shm *t, size_t stripe)
{
	return stripe < CF_RL_STRIPES && stripe_lock(&t->stripes[stripe]);
}

static bool same_window(const struct ratelimit_window *a, const struct ratelimit_window *b)
{
	return a->scope == b->scope && a->window_start == b->window_start && a->window_seconds == b->window_seconds &&
	       strncmp(a->key, b->key, sizeof a->key) == 0;
}

static bool window_ended(const struct rl_slot *s, const struct rl_clock *now)
{
	return s->w.window_start + s->w.window_seconds <= now->wall_s;
}

/* A flush whose report never came (a process stuck in the database, or
 * a bug) must not pin its slot: after CF_RL_FLUSH_STALE_MS its hits are
 * pending again, which may count them twice (the safe side). */
static void drop_stale_flush(struct rl_slot *slot, const struct rl_clock *now)
{
	if (slot->flusher == 0 || now->mono_ms - slot->flush_started_ms < CF_RL_FLUSH_STALE_MS)
		return;
	slot->pending += slot->inflight;
	slot->inflight = 0;
	slot->flusher = 0;
	slot->gen++;   /* its late report, if any, finds nothing */
}

/* How willing a slot is to be taken by a new window: lower goes first
 * (see the header). A slot with a flush in flight is never taken: its
 * report must find it. */
static int victim_rank(const struct rl_slot *s, const struct rl_clock *now)
{
	if (s->state == SLOT_EMPTY)
		return 0;
	if (window_ended(s, now))
		return 1;
	return s->state == SLOT_NO_SESSION ? 2 : 3;
}

/* The slot of w in stripe s from index first on, taking one when w has
 * none (*fresh then true); NULL when every probe slot is flushing. */
static struct rl_slot *find_or_take(struct rl_stripe *s, size_t first, const struct ratelimit_window *w,
                                    bool session, const struct rl_clock *now, bool *fresh)
{
	struct rl_slot *victim = NULL;
	int victim_r = 0;
	*fresh = false;
	for (size_t i = 0; i < CF_RL_PROBE; i++) {
		struct rl_slot *slot = &s->slots[(first + i) % STRIPE_SLOTS];
		drop_stale_flush(slot, now);
		if (slot->state != SLOT_EMPTY && same_window(&slot->w, w))
			return slot;
		if (slot->flusher != 0)
			continue;
		int r = victim_rank(slot, now);
		if (victim == NULL || r < victim_r || (r == victim_r && slot->last_hit_ms < victim->last_hit_ms)) {
			victim = slot;
			victim_r = r;
		}
	}
	if (victim == NULL)
		return NULL;
	uint32_t gen = victim->gen + 1;
	memset(victim, 0, sizeof *victim);
	victim->gen = gen;
	victim->state = SLOT_LIVE;
	victim->w = *w;
	victim->session = session;
	*fresh = true;
	return victim;
}

/* Hands slot's pending hits to the calling process's flush (lock held). */
static void take_batch(struct rl_slot *slot, uint32_t index, const struct rl_clock *now, struct rl_flush *b)
{
	slot->gen++;
	slot->flush_started_ms = now->mono_ms;
	b->w = slot->w;
	b->session = slot->session;
	b->hits = slot->pending;
	b->slot = index;
	b->gen = slot->gen;
	slot->inflight += slot->pending;
	slot->pending = 0;
	slot->flusher = getpid();
}

static bool flush_due(const struct rl_slot *slot, const struct rl_clock *now)
{
	if (slot->flusher != 0)
		return false;
	if (!slot->attempted)
		return true;
	bool old = now->mono_ms - slot->last_flush_ms >= CF_RL_FLUSH_MS;
	/* After a failure only age counts: a database that is away gets one
	 * statement per counter per CF_RL_FLUSH_MS, not one per hit. */
	return old || (!slot->failed && slot->pending >= CF_RL_FLUSH_HITS);
}

void rl_shm_hit(struct rl_shm *t, const struct ratelimit_window *w, bool session, const struct rl_clock *now,
                struct rl_hit *out)
{
	memset(out, 0, sizeof *out);
	out->verdict = RL_UNTRACKED;
	if (t == NULL)
		return;
	uint64_t h = rl_shm_hash(w);
	size_t stripe = (size_t)(h % CF_RL_STRIPES);
	size_t first = (size_t)((h / CF_RL_STRIPES) % STRIPE_SLOTS);
	struct rl_stripe *s = &t->stripes[stripe];
	if (!stripe_lock(s))
		return;
	bool fresh;
	struct rl_slot *slot = find_or_take(s, first, w, session, now, &fresh);
	if (slot != NULL && slot->state == SLOT_NO_SESSION) {
		slot->last_hit_ms = now->mono_ms;
		out->verdict = RL_NO_SESSION;
	} else if (slot != NULL) {
		slot->pending++;
		slot->last_hit_ms = now->mono_ms;
		out->verdict = RL_COUNTED;
		out->count = slot->known + slot->inflight + slot->pending;
		if (flush_due(slot, now)) {
			take_batch(slot, (uint32_t)(stripe * STRIPE_SLOTS + (size_t)(slot - s->slots)), now, &out->batch);
			out->flush = true;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

void rl_shm_flushed(struct rl_shm *t, const struct rl_flush *b, enum rl_flush_result r, long long total,
                    const struct rl_clock *now)
{
	if (t == NULL || b->slot >= CF_RL_SLOTS)
		return;
	struct rl_stripe *s = &t->stripes[b->slot / STRIPE_SLOTS];
	struct rl_slot *slot = &s->slots[b->slot % STRIPE_SLOTS];
	if (!stripe_lock(s))
		return;
	if (slot->gen == b->gen && slot->state == SLOT_LIVE && slot->flusher != 0) {
		slot->inflight -= b->hits;
		if (slot->inflight < 0)
			slot->inflight = 0;
		slot->flusher = 0;
		slot->attempted = true;
		slot->failed = r == RL_FLUSH_FAILED;
		slot->last_flush_ms = now->mono_ms;
		if (r == RL_FLUSH_OK) {
			slot->known = total;
		} else if (r == RL_FLUSH_NO_SESSION) {
			slot->state = SLOT_NO_SESSION;
			slot->known = slot->pending = slot->inflight = 0;
		} else {
			slot->pending += b->hits;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

bool rl_shm_sweep_due(struct rl_shm *t, const struct rl_clock *now)
{
	if (t == NULL)
		return false;
	long long next = __atomic_load_n(&t->next_sweep_ms, __ATOMIC_ACQUIRE);
	if (now->mono_ms < next)
		return false;
	return __atomic_compare_exchange_n(&t->next_sweep_ms, &next, now->mono_ms + CF_RL_FLUSH_MS, false,
	                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

size_t rl_shm_collect(struct rl_shm *t, const struct rl_clock *now, long long min_age_ms, struct rl_flush *out,
                      size_t max)
{
	size_t n = 0;
	for (size_t si = 0; t != NULL && si < CF_RL_STRIPES && n < max; si++) {
		struct rl_stripe *s = &t->stripes[si];
		if (!stripe_lock(s))
			continue;
		for (size_t i = 0; i < STRIPE_SLOTS && n < max; i++) {
			struct rl_slot *slot = &s->slots[i];
			drop_stale_flush(slot, now);
			if (slot->state != SLOT_LIVE || slot->flusher != 0 || slot->pending == 0 || window_ended(slot, now))
				continue;
			if (slot->attempted && now->mono_ms - slot->last_flush_ms < min_age_ms)
				continue;
			take_batch(slot, (uint32_t)(si * STRIPE_SLOTS + i), now, &out[n++]);
		}
		pthread_mutex_unlock(&s->lock);
	}
	return n;
}

void rl_shm_clear_pid(struct rl_shm *t, pid_t pid)
{
	for (size_t si = 0; t != NULL && pid > 0 && si < CF_RL_STRIPES; si++) {
		struct rl_stripe *s = &t->stripes[si];
		if (!stripe_lock(s))
			continue;
		for (size_t i = 0; i < STRIPE_SLOTS; i++) {
			struct rl_slot *slot = &s->slots[i];
			if (slot->flusher != pid)
				continue;
			slot->pending += slot->inflight;
			slot->inflight = 0;
			slot->flusher = 0;
		}
		pthread_mutex_unlock(&s->lock);
	}
}
