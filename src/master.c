/* master.c - prefork supervisor.
 *
 * The master never serves requests. It keeps one slot per worker; how many
 * slots are active follows the spare-worker policy of pool.c, from the idle
 * and busy marks the workers leave on a shared scoreboard (one byte per
 * slot, an anonymous shared mapping made before the first fork; each
 * generation of workers writes to another half than the one before, so a
 * draining generation does not confuse the count; after the busy marks
 * come the long-poll waiter marks of waiters.h, one per slot, which the
 * master clears for every worker it reaps). An idle worker that the pool no longer needs
 * gets SIGTERM and leaves from accept(). A worker that dies is restarted, immediately if it had run for a while, otherwise
 * after a back-off that doubles up to CF_WORKER_MAX_BACKOFF_MS (a crash loop must not
 * spin). Signals are handled synchronously with sigtimedwait(). On SIGHUP a
 * new generation of workers is started with the re-read config before the
 * old one is told to finish its requests, so no request is dropped. On
 * SIGTERM every worker finishes its request in flight; after
 * shutdown_timeout the rest are killed. The host's rate-limit counters are
 * a second shared mapping (ratelimit_shm.h) made the same way; the master
 * never talks to the database, so it only creates the table and, for each
 * process it reaps, hands that process's unfinished flushes back. The
 * metrics area (metrics.h) is a third such mapping: the master counts the
 * processes it starts and the ones that crash, and each tick publishes
 * the pool's size from the scoreboard. */
#include "master.h"

#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "limits.h"
#include "crypto.h"
#include "db.h"
#include "listen.h"
#include "llm.h"
#include "log.h"
#include "metrics.h"
#include "pool.h"
#include "ratelimit_shm.h"
#include "runner.h"
#include "sdnotify.h"
#include "waiters.h"
#include "worker.h"
#include "xalloc.h"

#define BUSY_BYTES (2 * CF_MAX_WORKERS)
#define WAITER_MARKS (2 * CF_MAX_WORKERS)
#define SCOREBOARD_BYTES (BUSY_BYTES + WAITER_MARKS * sizeof(uint64_t))

struct slot {
	bool runner;              /* a task runner, not a FastCGI worker */
	bool active;              /* wanted: refilled when empty */
	pid_t pid;                /* 0 = empty */
	long long started_ms;
	long long restart_at_ms;  /* when an empty slot may be refilled */
	long backoff_ms;
};

/* Workers of an earlier generation, finishing their last request. */
struct draining {
	pid_t *pids;
	size_t count;
};

struct master {
	const char *config_path;
	struct config *cfg;
	struct listener listener;
	struct slot slots[CF_MAX_WORKERS + CF_MAX_TASK_RUNNERS];
	int nslots;
	int nworker_slots;            /* slots[0 .. nworker_slots) are workers */
	unsigned char *scoreboard;    /* 2 x CF_MAX_WORKERS busy marks, shared with the workers */
	uint64_t *waiter_marks;       /* WAITER_MARKS long-poll marks after them (waiters.h) */
	struct rl_shm *ratelimits;    /* the host's rate-limit counters, a second shared mapping; NULL = none */
	int generation;               /* which half of the scoreboard the current workers use */
	struct pool_state pool;
	long long last_pool_tick_ms;
	bool warned_full;
	struct draining old;
	bool stopping;
	long long stop_deadline_ms;
	long long last_resignal_ms;
	long long old_deadline_ms;    /* the draining generation is killed after this */
	char *notify_socket;          /* systemd's $NOTIFY_SOCKET, NULL when not under systemd */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned char *busy_mark(struct master *m, const struct slot *s)
{
	return &m->scoreboard[(m->generation % 2) * CF_MAX_WORKERS + (s - m->slots)];
}

static uint64_t *waiter_mark(struct master *m, const struct slot *s)
{
	return &m->waiter_marks[(m->generation % 2) * CF_MAX_WORKERS + (s - m->slots)];
}

/* A quarter of max_workers unless poll_max_waiters says otherwise; at least one. */
static int waiter_cap(const struct config *cfg)
{
	int cap = cfg->poll_max_waiters > 0 ? cfg->poll_max_waiters : cfg->max_workers / 4;
	return cap > 0 ? cap : 1;
}

static void spawn(struct master *m, struct slot *s)
{
	if (!s->runner) {
		__atomic_store_n(busy_mark(m, s), 0, __ATOMIC_RELAXED);
		__atomic_store_n(waiter_mark(m, s), 0, __ATOMIC_SEQ_CST);
	}
	pid_t pid = fork();
	if (pid < 0) {
		log_error("master: fork failed: %s", strerror(errno));
		s->restart_at_ms = now_ms() + 1000;
		return;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		log_set_level((enum log_level)m->cfg->log_level);
		if (s->runner && m->listener.fd > 2)
			close(m->listener.fd);   /* runners never serve requests (the path stays: the master owns it) */
		prctl(PR_SET_NAME, s->runner ? "confabd-runner" : "confabd-worker");   /* as ps and top show them */
		struct waiter_board board = {m->waiter_marks, WAITER_MARKS, waiter_mark(m, s), waiter_cap(m->cfg)};
		int code = s->runner ? runner_run(m->cfg, m->ratelimits)
		                     : worker_run(m->cfg, m->listener.fd, busy_mark(m, s), &board, m->ratelimits);
		/* exit(), not _exit(): LeakSanitizer and valgrind check the worker. */
		exit(code);
	}
	s->pid = pid;
	s->started_ms = now_ms();
	metrics_worker_spawned();
	log_debug("master: %s %ld started", s->runner ? "task runner" : "worker", (long)pid);
}

/* Sizes the slot table from the config: max_workers worker slots, the
 * first "workers" of them active, then the runners; a new generation. */
static void size_slots(struct master *m)
{
	memset(m->slots, 0, sizeof m->slots);
	m->generation++;
	m->nworker_slots = m->cfg->max_workers;
	m->nslots = m->cfg->max_workers + m->cfg->task_runners;
	for (int i = 0; i < m->nslots; i++) {
		m->slots[i].runner = i >= m->nworker_slots;
		m->slots[i].active = m->slots[i].runner || i < m->cfg->workers;
	}
	memset(&m->pool, 0, sizeof m->pool);
}

static void fill_slots(struct master *m)
{
	long long now = now_ms();
	for (int i = 0; i < m->nslots; i++)
		if (m->slots[i].active && m->slots[i].pid == 0 && now >= m->slots[i].restart_at_ms)
			spawn(m, &m->slots[i]);
}

/* One tick of the spare-worker policy: start or stop idle workers. */
static void adjust_pool(struct master *m)
{
	int active = 0, idle = 0;
	for (int i = 0; i < m->nworker_slots; i++) {
		struct slot *s = &m->slots[i];
		if (!s->active)
			continue;
		active++;
		if (s->pid > 0 && __atomic_load_n(busy_mark(m, s), __ATOMIC_RELAXED) == 0)
			idle++;
	}
	struct pool_policy policy = {m->cfg->workers, m->cfg->max_workers, m->cfg->min_spare_workers,
	                             m->cfg->max_spare_workers};
	int delta = pool_adjust(&policy, &m->pool, active, idle);
	if (delta > 0) {
		int started = 0;
		for (int i = 0; i < m->nworker_slots && started < delta; i++) {
			struct slot *s = &m->slots[i];
			if (!s->active && s->pid == 0) {
				s->active = true;
				s->restart_at_ms = 0;
				s->backoff_ms = 0;
				spawn(m, s);
				started++;
			}
		}
		log_debug("master: %d idle of %d workers; started %d", idle, active, started);
		m->warned_full = false;
	} else if (delta < 0) {
		int stopped = 0;
		for (int i = m->nworker_slots - 1; i >= 0 && stopped < -delta; i--) {
			struct slot *s = &m->slots[i];
			if (s->active && s->pid > 0 && __atomic_load_n(busy_mark(m, s), __ATOMIC_RELAXED) == 0) {
				s->active = false;   /* not refilled when it leaves */
				kill(s->pid, SIGTERM);
				stopped++;
			}
		}
		log_debug("master: %d idle of %d workers; stopping %d", idle, active, stopped);
	} else if (idle == 0 && active == m->cfg->max_workers && !m->warned_full) {
		log_warn("master: all %d workers are busy (max_workers); requests wait in the socket's backlog",
		         active);
		m->warned_full = true;
	}
}

static void describe_exit(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		log_warn("master: worker %ld killed by signal %d", (long)pid, WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warn("master: worker %ld exited with code %d", (long)pid, WEXITSTATUS(status));
	else
		log_debug("master: worker %ld exited", (long)pid);
}

static void reap(struct master *m)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		describe_exit(pid, status);
		if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0))
			metrics_worker_died();
		waiters_clear_pid(m->waiter_marks, WAITER_MARKS, pid);   /* a worker that died waiting */
		rl_shm_clear_pid(m->ratelimits, pid);   /* ... or flushing rate-limit hits */
		bool found = false;
		for (size_t i = 0; i < m->old.count; i++) {
			if (m->old.pids[i] == pid) {
				m->old.pids[i] = m->old.pids[--m->old.count];
				found = true;
				break;
			}
		}
		for (int i = 0; !found && i < m->nslots; i++) {
			struct slot *s = &m->slots[i];
			if (s->pid != pid)
				continue;
			found = true;
			s->pid = 0;
			long long now = now_ms();
			bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
			if (clean || now - s->started_ms >= CF_WORKER_MIN_UPTIME_MS) {
				s->backoff_ms = 0;
				s->restart_at_ms = now;
			} else {
				s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 : 100;
				if (s->backoff_ms > CF_WORKER_MAX_BACKOFF_MS)
					s->backoff_ms = CF_WORKER_MAX_BACKOFF_MS;
				s->restart_at_ms = now + s->backoff_ms;
				log_warn("master: worker crashed after %lld ms; restarting in %ld ms",
				         now - s->started_ms, s->backoff_ms);
			}
		}
	}
}

static void signal_all(struct master *m, int sig)
{
	for (int i = 0; i < m->nslots; i++)
		if (m->slots[i].pid > 0)
			kill(m->slots[i].pid, sig);
	for (size_t i = 0; i < m->old.count; i++)
		kill(m->old.pids[i], sig);
}

static int live_workers(const struct master *m)
{
	int n = (int)m->old.count;
	for (int i = 0; i < m->nslots; i++)
		if (m->slots[i].pid > 0)
			n++;
	return n;
}

/* The pool's gauges for /metrics, from the slots and the scoreboard. */
static void publish_pool(struct master *m)
{
	struct metrics_pool p = {0, 0, m->cfg->max_workers, 0, waiters_count(m->waiter_marks, WAITER_MARKS)};
	for (int i = 0; i < m->nslots; i++) {
		struct slot *s = &m->slots[i];
		if (s->pid <= 0)
			continue;
		if (s->runner) {
			p.task_runners++;
		} else {
			p.workers++;
			if (__atomic_load_n(busy_mark(m, s), __ATOMIC_RELAXED) != 0)
				p.busy++;
		}
	}
	metrics_pool_set(&p);
}

static void reload(struct master *m)
{
	struct config *next = xmalloc(sizeof *next);
	config_defaults(next);
	char err[512];
	if (config_load(next, m->config_path, err, sizeof err) != CF_OK) {
		log_error("master: reload refused, keeping the running config: %s", err);
		config_free(next);
		free(next);
		return;
	}
	if (strcmp(next->listen, m->cfg->listen) != 0)
		log_warn("master: listen changed to %s; it takes effect only on restart", next->listen);
	/* Current workers become the draining generation. */
	for (int i = 0; i < m->nslots; i++) {
		if (m->slots[i].pid > 0) {
			m->old.pids = xrealloc(m->old.pids, (m->old.count + 1) * sizeof *m->old.pids);
			m->old.pids[m->old.count++] = m->slots[i].pid;
		}
	}
	/* The socket stays the one the master opened, whatever the file says now. */
	free(next->listen);
	next->listen = xstrdup(m->cfg->listen);
	config_free(m->cfg);
	free(m->cfg);
	m->cfg = next;
	log_set_level((enum log_level)next->log_level);
	size_slots(m);
	fill_slots(m);   /* new generation first ... */
	for (size_t i = 0; i < m->old.count; i++)
		kill(m->old.pids[i], SIGTERM);   /* ... then the old one drains */
	m->last_resignal_ms = now_ms();
	m->old_deadline_ms = now_ms() + (long long)next->shutdown_timeout * 1000;
	log_info("master: reloaded %s: %d workers, %d task runners", m->config_path, next->workers, next->task_runners);
}

/* ... through the copy of $NOTIFY_SOCKET kept here, so that workers
 * never send anything on the service's behalf. */
static void sd_notify_send(struct master *m, const char *state)
{
	if (m->notify_socket == NULL)
		return;
	setenv("NOTIFY_SOCKET", m->notify_socket, 1);
	sd_notify_state(state);
	unsetenv("NOTIFY_SOCKET");
}

static void sd_notify_ready(struct master *m)
{
	char state[160];
	snprintf(state, sizeof state, "READY=1\nSTATUS=%d workers, %d task runners", m->cfg->workers,
	         m->cfg->task_runners);
	sd_notify_send(m, state);
}

int master_run(const char *config_path, struct config *cfg)
{
	struct master m;
	memset(&m, 0, sizeof m);
	m.config_path = config_path;
	m.cfg = cfg;
	char err[512];
	if (listener_open(cfg, &m.listener, err, sizeof err) != CF_OK) {
		log_error("%s", err);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	if (FCGX_Init() != 0) {
		log_error("FCGX_Init failed");
		listener_close(&m.listener);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	m.scoreboard = mmap(NULL, SCOREBOARD_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m.scoreboard == MAP_FAILED) {
		log_error("master: cannot map the scoreboard: %s", strerror(errno));
		listener_close(&m.listener);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	m.waiter_marks = (uint64_t *)(void *)(m.scoreboard + BUSY_BYTES);
	m.ratelimits = rl_shm_create();   /* NULL (logged): limits counted in MariaDB per request */
	(void)metrics_create();   /* false (logged): nothing is counted, /metrics answers empty families */
	db_preload();
	llm_preload();
	crypto_preload();
	const char *notify = getenv("NOTIFY_SOCKET");
	m.notify_socket = notify ? xstrdup(notify) : NULL;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	size_slots(&m);
	fill_slots(&m);
	log_info("master: listening on %s with %d workers and %d task runners", cfg->listen, cfg->workers,
	         cfg->task_runners);
	unsetenv("NOTIFY_SOCKET");   /* only the master speaks to systemd ... */
	sd_notify_ready(&m);

	for (;;) {
		struct timespec tick = {0, CF_MASTER_TICK_MS * 1000000L};
		siginfo_t info;
		int sig = sigtimedwait(&set, &info, &tick);
		if (sig == SIGCHLD || sig < 0)
			reap(&m);
		if ((sig == SIGTERM || sig == SIGINT) && !m.stopping) {
			m.stopping = true;
			m.stop_deadline_ms = now_ms() + (long long)m.cfg->shutdown_timeout * 1000;
			m.last_resignal_ms = now_ms();
			log_info("master: stopping; waiting up to %d s for requests in flight", m.cfg->shutdown_timeout);
			sd_notify_send(&m, "STOPPING=1");
			signal_all(&m, SIGTERM);
		}
		if (sig == SIGHUP && !m.stopping) {
			sd_notify_send(&m, "RELOADING=1");
			reload(&m);
			sd_notify_ready(&m);
		}
		reap(&m);
		long long now = now_ms();
		if (m.stopping) {
			if (live_workers(&m) == 0)
				break;
			if (now >= m.stop_deadline_ms) {
				log_warn("master: shutdown timeout; killing %d workers", live_workers(&m));
				signal_all(&m, SIGKILL);
				while (live_workers(&m) > 0 && waitpid(-1, NULL, 0) > 0)
					reap(&m);
				break;
			}
		} else {
			fill_slots(&m);
			if (now - m.last_pool_tick_ms >= CF_MASTER_TICK_MS) {
				adjust_pool(&m);
				publish_pool(&m);
				m.last_pool_tick_ms = now;
			}
		}
		if ((m.stopping || m.old.count > 0) && now - m.last_resignal_ms >= CF_MASTER_RESIGNAL_MS) {
			/* Covers a worker whose signal arrived just before it entered accept(). */
			if (m.stopping)
				signal_all(&m, SIGTERM);
			else
				for (size_t i = 0; i < m.old.count; i++)
					kill(m.old.pids[i], SIGTERM);
			m.last_resignal_ms = now;
		}
		if (!m.stopping && m.old.count > 0 && now >= m.old_deadline_ms) {
			log_warn("master: %zu old workers still busy after the drain bound; killing them", m.old.count);
			for (size_t i = 0; i < m.old.count; i++)
				kill(m.old.pids[i], SIGKILL);
			m.old_deadline_ms = now + CF_MASTER_RESIGNAL_MS;
		}
	}
	listener_close(&m.listener);
	munmap(m.scoreboard, SCOREBOARD_BYTES);
	rl_shm_destroy(m.ratelimits);
	metrics_destroy();
	llm_unload();
	db_unload();
	free(m.old.pids);
	free(m.notify_socket);
	log_info("master: stopped");
	config_free(m.cfg);
	free(m.cfg);
	return 0;
}
