/* worker.c - the accept loop of one worker process.
 *
 * Stop signals are blocked while a request is served and unblocked only
 * around FCGX_Accept_r (opened with FCGI_FAIL_ACCEPT_ON_INTR), so a signal
 * never interrupts a request; it only ends the wait for the next one. A
 * signal that lands just before accept() is covered by the master, which
 * repeats its SIGTERM until the worker is gone.
 *
 * A worker leaves after a request (and the master starts a fresh one)
 * once it has served worker_max_requests or its resident size passed
 * worker_max_rss_mb, as Apache's and Postfix's processes are recycled. */
#include "worker.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "api.h"
#include "app.h"
#include "db.h"
#include "dispatch.h"
#include "fcgi_io.h"
#include "limits.h"
#include "llm.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "read_cache.h"
#include "waiters.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void serve_one(struct app *app, FCGX_Request *fr)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct request req;
	struct response resp;
	struct principal who;
	request_init(&req);
	response_init(&resp);
	memset(&who, 0, sizeof who);
	fcgi_attach_sink(fr, &req, &resp);
	if (fcgi_read_request(fr, app->cfg->url_prefix, app->cfg->max_body_bytes, app->cfg->max_upload_bytes, &req,
	                      &resp) == CF_OK) {
		log_set_request_id(req.request_id);
		dispatch_request(app, &req, &resp, &who);
	} else {
		dispatch_style_error(&req, &resp);   /* the route's error shape on the transport's 400/408/413 */
	}
	waiters_leave(app->waiters);   /* whatever path the handler took */
	fcgi_finish_body(fr, &req);
	if (fcgi_read_timed_out() && !resp.streaming) {
		response_free(&resp);
		response_init(&resp);
		reply_detail(&resp, CF_E_REQUEST_TIMEOUT, "Request timeout.");
		dispatch_style_error(&req, &resp);
	}
	size_t bytes = resp.streaming ? resp.streamed_bytes : fcgi_write_response(fr, &req, &resp);
	log_set_request_id(NULL);   /* the access line names it as id= */
	double ms = elapsed_ms(&start);
	log_info("req id=%s method=%s path=%s status=%d bytes=%zu ms=%.1f key=%s", req.request_id,
	         req.method ? req.method : "-", req.path ? req.path : "-", resp.http_status, bytes,
	         ms, who.key_prefix[0] ? who.key_prefix : "-");
	metrics_request(dispatch_route_index(req.method, req.path), req.method, resp.http_status, ms / 1e3);
	if (resp.status == CF_E_RATE_LIMITED)   /* a rate limit's own 429, not a replayed one */
		metrics_count(METRIC_RATE_LIMITED);
	if (resp.status == CF_E_DB || resp.status == CF_E_DB_UNAVAILABLE)
		metrics_count(METRIC_DB_ERROR);
	response_free(&resp);
	request_free(&req);
}

/* Current resident set size in MiB (/proc/self/statm), -1 if unknown. */
static long resident_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	if (f == NULL)
		return -1;
	char line[256];   /* "size resident shared text lib data dt", in pages */
	long resident = -1;
	if (fgets(line, sizeof line, f) != NULL) {
		char *end = NULL;
		errno = 0;
		(void)strtol(line, &end, 10);   /* size */
		if (errno == 0 && end != line && *end == ' ') {
			char *p = end + 1;
			long v = strtol(p, &end, 10);
			if (errno == 0 && end != p && v >= 0)
				resident = v;
		}
	}
	fclose(f);
	if (resident < 0)
		return -1;
	long page = sysconf(_SC_PAGESIZE);
	return (long)((long long)resident * (page > 0 ? page : 4096) / (1024 * 1024));
}

static void mark(unsigned char *busy, unsigned char value)
{
	if (busy != NULL)
		__atomic_store_n(busy, value, __ATOMIC_RELAXED);
}

int worker_run(const struct config *cfg, int listen_fd, unsigned char *busy, struct waiter_board *waiters,
               struct rl_shm *ratelimits)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;   /* no SA_RESTART: accept() must see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);

	sigset_t stop_set;
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGHUP);
	sigaddset(&stop_set, SIGINT);
	sigprocmask(SIG_BLOCK, &stop_set, NULL);

	struct app app = {.cfg = cfg, .db = NULL, .waiters = waiters, .ratelimits = ratelimits};
	struct fcgi_deadlines deadlines = {cfg->request_read_timeout, cfg->upload_min_rate, cfg->response_write_timeout,
	                                   cfg->response_write_min_rate, cfg->sse_idle_timeout};
	fcgi_set_deadlines(&deadlines);
	llm_init(cfg);
	api_metrics_load(cfg);
	read_cache_configure((size_t)cfg->read_cache_mb * 1024 * 1024);
	if (db_open(cfg, &app.db) != CF_OK)
		log_warn("worker: database not reachable yet (%s); will retry per request", db_last_error(app.db));

	FCGX_Request fr;
	if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("worker: FCGX_InitRequest failed");
		db_close(app.db);
		return 1;
	}
	long served = 0;
	int code = 0;
	while (!stop_requested) {
		sigprocmask(SIG_UNBLOCK, &stop_set, NULL);
		int rc = stop_requested ? -1 : FCGX_Accept_r(&fr);
		sigprocmask(SIG_BLOCK, &stop_set, NULL);
		if (rc < 0) {
			if (stop_requested)
				break;
			if (rc == -EINTR)
				continue;
			log_error("worker: FCGX_Accept_r failed (%d)", rc);
			code = 1;
			break;
		}
		mark(busy, 1);
		serve_one(&app, &fr);
		FCGX_Finish_r(&fr);
		ratelimit_sweep(app.ratelimits, app.db, CF_RL_SWEEP_MAX, false);   /* the reply is out: no one waits */
		mark(busy, 0);
		served++;
		if (cfg->worker_max_requests > 0 && served >= cfg->worker_max_requests) {
			log_info("worker: recycling after %ld requests", served);
			break;
		}
		long rss = cfg->worker_max_rss_mb > 0 ? resident_mb() : -1;
		if (rss >= 0 && rss > cfg->worker_max_rss_mb) {
			log_info("worker: recycling at %ld MiB resident (worker_max_rss_mb = %ld) after %ld requests", rss,
			         cfg->worker_max_rss_mb, served);
			break;
		}
	}
	FCGX_Free(&fr, 1);
	read_cache_clear();
	db_close(app.db);
	llm_shutdown();
	return code;
}
