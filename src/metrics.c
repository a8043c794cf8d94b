/* metrics.c - the host's shared counters (metrics.h) and their rendering
 * in the Prometheus text format 0.0.4.
 *
 * One struct metrics_area, mapped once before the first fork. Counters are
 * shared by all processes of the host and added to with relaxed atomics:
 * on a host of a few dozen processes the contention on a cache line is
 * far below a request's cost, so the area is not striped per slot. A
 * histogram keeps one count per bucket (not cumulative) plus the overflow
 * bucket; the renderer sums them, so _count and the +Inf bucket are equal
 * by construction however the scrape interleaves with writers. */
#include "metrics.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "limits.h"
#include "log.h"
#include "router.h"

#define ROUTE_SLOTS (CF_METRICS_ROUTES + 1)   /* the last one is "(unmatched)" */
#define CLASSES 5                             /* 1xx .. 5xx */

static const char *const METHODS[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
#define NMETHODS (sizeof METHODS / sizeof METHODS[0])

static const double BUCKETS[CF_METRICS_NBUCKETS] = CF_METRICS_BUCKETS_S;
_Static_assert(sizeof((double[])CF_METRICS_BUCKETS_S) / sizeof(double) == CF_METRICS_NBUCKETS,
               "CF_METRICS_NBUCKETS counts CF_METRICS_BUCKETS_S");

/* The kinds of LLM failure (label kind of confab_llm_errors_total). */
enum llm_error_kind { LLM_ERR_TIMEOUT, LLM_ERR_UPSTREAM, LLM_ERR_LISTENER_GONE, LLM_ERR_CONFIG, LLM_ERR_OTHER, LLM_ERRS };
static const char *const LLM_ERROR_NAMES[LLM_ERRS] = {"timeout", "upstream", "listener_gone", "config", "other"};

struct hist {
	atomic_uint_fast64_t bucket[CF_METRICS_NBUCKETS + 1];   /* [NBUCKETS]: above the last bound */
	atomic_uint_fast64_t sum_us;
};

/* An interned label value: state 0 free, 1 being written, 2 ready. */
struct label {
	atomic_uint state;
	char name[CF_METRICS_LABEL_MAX];
};

struct metrics_area {
	atomic_uint_fast64_t requests[ROUTE_SLOTS][NMETHODS][CLASSES];
	struct hist request_seconds[ROUTE_SLOTS];

	atomic_long workers, busy, max_workers, task_runners, waiters;
	atomic_uint_fast64_t spawns, deaths;

	struct label kinds[CF_METRICS_JOB_KINDS + 1];   /* the last one is "other", never interned */
	atomic_llong jobs_queued[CF_METRICS_JOB_KINDS + 1];
	atomic_llong jobs_running[CF_METRICS_JOB_KINDS + 1];
	atomic_llong jobs_oldest_s[CF_METRICS_JOB_KINDS + 1];
	atomic_uint_fast64_t job_attempts[CF_METRICS_JOB_KINDS + 1];
	atomic_uint_fast64_t job_failures[CF_METRICS_JOB_KINDS + 1];
	atomic_llong jobs_read_at;     /* unix time the queue gauges were last claimed for a read */
	atomic_bool jobs_known;        /* the gauges were read at least once */

	struct label providers[CF_METRICS_PROVIDERS + 1];
	atomic_uint_fast64_t llm_requests[CF_METRICS_PROVIDERS + 1];
	atomic_uint_fast64_t llm_errors[CF_METRICS_PROVIDERS + 1][LLM_ERRS];
	atomic_uint_fast64_t llm_prompt_tokens[CF_METRICS_PROVIDERS + 1];
	atomic_uint_fast64_t llm_completion_tokens[CF_METRICS_PROVIDERS + 1];
	struct hist llm_seconds[CF_METRICS_PROVIDERS + 1];

	atomic_uint_fast64_t counters[METRIC_COUNTERS];
	atomic_uint_fast64_t upload_bytes;
};

static struct metrics_area *area;   /* NULL until metrics_create; inherited by forked children */

bool metrics_create(void)
{
	if (area != NULL)
		return true;
	void *p = mmap(NULL, sizeof *area, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_error("metrics: cannot map the shared area (%zu bytes): %s", sizeof *area, strerror(errno));
		return false;
	}
	area = p;   /* anonymous memory is zero: every counter 0, every label free */
	return true;
}

void metrics_destroy(void)
{
	if (area != NULL)
		munmap(area, sizeof *area);
	area = NULL;
}

static void add(atomic_uint_fast64_t *c, uint_fast64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static uint_fast64_t get(atomic_uint_fast64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

static void observe(struct hist *h, double seconds)
{
	if (!(seconds >= 0))
		seconds = 0;   /* NaN or a clock step back */
	size_t i = 0;
	while (i < CF_METRICS_NBUCKETS && seconds > BUCKETS[i])
		i++;
	add(&h->bucket[i], 1);
	add(&h->sum_us, (uint_fast64_t)(seconds * 1e6 + 0.5));
}

/* The slot of name in table (n interned slots, then "other" at [n]).
 * Claims a free slot for a new name. Searchers walk the same order and
 * wait out a slot being written, so one name never takes two slots; a
 * writer that died mid-claim (a few instructions) only costs that slot. */
static size_t intern(struct label *table, size_t n, const char *name)
{
	if (name == NULL || name[0] == '\0' || strlen(name) >= CF_METRICS_LABEL_MAX)
		return n;
	for (size_t i = 0; i < n; i++) {
		unsigned st = atomic_load_explicit(&table[i].state, memory_order_acquire);
		if (st == 0) {
			unsigned expected = 0;
			if (atomic_compare_exchange_strong_explicit(&table[i].state, &expected, 1, memory_order_acq_rel,
			                                            memory_order_acquire)) {
				memcpy(table[i].name, name, strlen(name) + 1);
				atomic_store_explicit(&table[i].state, 2, memory_order_release);
				return i;
			}
			st = expected;
		}
		for (int spin = 0; st == 1 && spin < 100000; spin++)
			st = atomic_load_explicit(&table[i].state, memory_order_acquire);
		if (st == 2 && strcmp(table[i].name, name) == 0)
			return i;
	}
	return n;
}

static size_t method_index(const char *method)
{
	for (size_t i = 0; method != NULL && i + 1 < NMETHODS; i++)
		if (strcmp(METHODS[i], method) == 0)
			return i;
	return NMETHODS - 1;
}

void metrics_request(int route, const char *method, int status, double seconds)
{
	if (area == NULL)
		return;
	size_t r = route >= 0 && route < CF_METRICS_ROUTES ? (size_t)route : CF_METRICS_ROUTES;
	int cls = status / 100;
	if (cls < 1 || cls > CLASSES)
		cls = 5;   /* no status at all is the server's fault */
	add(&area->requests[r][method_index(method)][cls - 1], 1);
	observe(&area->request_seconds[r], seconds);
}

void metrics_pool_set(const struct metrics_pool *p)
{
	if (area == NULL)
		return;
	atomic_store_explicit(&area->workers, p->workers, memory_order_relaxed);
	atomic_store_explicit(&area->busy, p->busy, memory_order_relaxed);
	atomic_store_explicit(&area->max_workers, p->max_workers, memory_order_relaxed);
	atomic_store_explicit(&area->task_runners, p->task_runners, memory_order_relaxed);
	atomic_store_explicit(&area->waiters, p->waiters, memory_order_relaxed);
}

void metrics_worker_spawned(void)
{
	if (area != NULL)
		add(&area->spawns, 1);
}

void metrics_worker_died(void)
{
	if (area != NULL)
		add(&area->deaths, 1);
}

bool metrics_jobs_due(long long now_s)
{
	if (area == NULL)
		return false;
	long long last = atomic_load_explicit(&area->jobs_read_at, memory_order_relaxed);
	if (now_s - last < CF_METRICS_JOBS_EVERY_S && now_s >= last)
		return false;
	return atomic_compare_exchange_strong_explicit(&area->jobs_read_at, &last, now_s, memory_order_relaxed,
	                                               memory_order_relaxed);
}

void metrics_jobs_set(const struct metrics_job_row *rows, size_t n)
{
	if (area == NULL)
		return;
	long long queued[CF_METRICS_JOB_KINDS + 1] = {0}, running[CF_METRICS_JOB_KINDS + 1] = {0},
	          oldest[CF_METRICS_JOB_KINDS + 1] = {0};
	for (size_t i = 0; i < n; i++) {
		size_t k = intern(area->kinds, CF_METRICS_JOB_KINDS, rows[i].kind);
		queued[k] += rows[i].queued;
		running[k] += rows[i].running;
		if (rows[i].oldest_due_s > oldest[k])
			oldest[k] = rows[i].oldest_due_s;
	}
	for (size_t k = 0; k <= CF_METRICS_JOB_KINDS; k++) {
		atomic_store_explicit(&area->jobs_queued[k], queued[k], memory_order_relaxed);
		atomic_store_explicit(&area->jobs_running[k], running[k], memory_order_relaxed);
		atomic_store_explicit(&area->jobs_oldest_s[k], oldest[k], memory_order_relaxed);
	}
	atomic_store_explicit(&area->jobs_known, true, memory_order_relaxed);
}

void metrics_job_attempt(const char *kind, bool failed)
{
	if (area == NULL)
		return;
	size_t k = intern(area->kinds, CF_METRICS_JOB_KINDS, kind);
	add(&area->job_attempts[k], 1);
	if (failed)
		add(&area->job_failures[k], 1);
}

static enum llm_error_kind llm_error_kind(cf_status st)
{
	switch (st) {
	case CF_E_TIMEOUT: return LLM_ERR_TIMEOUT;
	case CF_E_UPSTREAM: return LLM_ERR_UPSTREAM;
	case CF_E_IO: return LLM_ERR_LISTENER_GONE;
	case CF_E_CONFIG: return LLM_ERR_CONFIG;
	default: return LLM_ERR_OTHER;
	}
}

void metrics_llm_call(const char *provider, cf_status st, double seconds, long prompt_tokens,
                      long completion_tokens)
{
	if (area == NULL)
		return;
	size_t p = intern(area->providers, CF_METRICS_PROVIDERS, provider);
	add(&area->llm_requests[p], 1);
	if (st != CF_OK)
		add(&area->llm_errors[p][llm_error_kind(st)], 1);
	observe(&area->llm_seconds[p], seconds);
	if (prompt_tokens > 0)
		add(&area->llm_prompt_tokens[p], (uint_fast64_t)prompt_tokens);
	if (completion_tokens > 0)
		add(&area->llm_completion_tokens[p], (uint_fast64_t)completion_tokens);
}

void metrics_count(enum metrics_counter c)
{
	if (area != NULL && c < METRIC_COUNTERS)
		add(&area->counters[c], 1);
}

void metrics_upload_bytes(unsigned long long bytes)
{
	if (area != NULL)
		add(&area->upload_bytes, bytes);
}

/* ---- rendering ---- */

cf_status metrics_escape_label(struct buf *out, const char *s)
{
	cf_status st = CF_OK;
	for (const char *p = s; *p != '\0' && st == CF_OK; p++) {
		if (*p == '\\')
			st = buf_append(out, "\\\\", 2);
		else if (*p == '"')
			st = buf_append(out, "\\\"", 2);
		else if (*p == '\n')
			st = buf_append(out, "\\n", 2);
		else
			st = buf_append(out, p, 1);
	}
	return st;
}

/* The running status of one render: the first failure sticks. */
struct out {
	struct buf *b;
	cf_status st;
};

static void put(struct out *o, const char *s)
{
	if (o->st == CF_OK)
		o->st = buf_append_str(o->b, s);
}

static void put_u64(struct out *o, uint_fast64_t v)
{
	if (o->st == CF_OK)
		o->st = buf_printf(o->b, "%llu", (unsigned long long)v);
}

static void put_ll(struct out *o, long long v)
{
	if (o->st == CF_OK)
		o->st = buf_printf(o->b, "%lld", v);
}

static void family(struct out *o, const char *name, const char *type, const char *help)
{
	put(o, "# HELP ");
	put(o, name);
	put(o, " ");
	put(o, help);
	put(o, "\n# TYPE ");
	put(o, name);
	put(o, " ");
	put(o, type);
	put(o, "\n");
}

/* One sample: name{labels} value, where labels is the already escaped
 * label text without braces ("" = none). */
static void sample_u64(struct out *o, const char *name, const char *labels, uint_fast64_t v)
{
	put(o, name);
	if (labels[0] != '\0') {
		put(o, "{");
		put(o, labels);
		put(o, "}");
	}
	put(o, " ");
	put_u64(o, v);
	put(o, "\n");
}

static void sample_ll(struct out *o, const char *name, long long v)
{
	put(o, name);
	put(o, " ");
	put_ll(o, v);
	put(o, "\n");
}

/* The samples of one histogram: cumulative buckets, +Inf, _sum, _count.
 * labels: escaped label text to put before le (may be ""). */
static void histogram(struct out *o, const char *name, const char *labels, struct hist *h)
{
	uint_fast64_t cum = 0;
	const char *sep = labels[0] != '\0' ? "," : "";
	for (size_t i = 0; i <= CF_METRICS_NBUCKETS; i++) {
		cum += get(&h->bucket[i]);
		put(o, name);
		put(o, "_bucket{");
		put(o, labels);
		put(o, sep);
		if (i < CF_METRICS_NBUCKETS) {
			if (o->st == CF_OK)
				o->st = buf_printf(o->b, "le=\"%g\"} ", BUCKETS[i]);
		} else {
			put(o, "le=\"+Inf\"} ");
		}
		put_u64(o, cum);
		put(o, "\n");
	}
	put(o, name);
	put(o, "_sum");
	if (labels[0] != '\0') {
		put(o, "{");
		put(o, labels);
		put(o, "}");
	}
	if (o->st == CF_OK)
		o->st = buf_printf(o->b, " %.6f\n", (double)get(&h->sum_us) / 1e6);
	put(o, name);
	put(o, "_count");
	if (labels[0] != '\0') {
		put(o, "{");
		put(o, labels);
		put(o, "}");
	}
	put(o, " ");
	put_u64(o, cum);
	put(o, "\n");
}

/* Label text name="value" (value escaped) into lb (reset first). */
static void label1(struct out *o, struct buf *lb, const char *name, const char *value)
{
	buf_reset(lb);
	if (o->st == CF_OK)
		o->st = buf_printf(lb, "%s=\"", name);
	if (o->st == CF_OK)
		o->st = metrics_escape_label(lb, value);
	if (o->st == CF_OK)
		o->st = buf_append(lb, "\"", 1);
}

/* Appends ,name="value" to lb. */
static void label_more(struct out *o, struct buf *lb, const char *name, const char *value)
{
	if (o->st == CF_OK)
		o->st = buf_printf(lb, ",%s=\"", name);
	if (o->st == CF_OK)
		o->st = metrics_escape_label(lb, value);
	if (o->st == CF_OK)
		o->st = buf_append(lb, "\"", 1);
}

/* The route table of one render (borrowed). */
struct routes {
	const struct route *table;
	size_t n;
};

static const char *route_label(const struct routes *rt, size_t r)
{
	return r < rt->n && r < CF_METRICS_ROUTES ? rt->table[r].pattern : "(unmatched)";
}

static size_t route_slots_used(const struct routes *rt)
{
	return rt->n < CF_METRICS_ROUTES ? rt->n : CF_METRICS_ROUTES;
}

static uint_fast64_t hist_count(struct hist *h)
{
	uint_fast64_t n = 0;
	for (size_t i = 0; i <= CF_METRICS_NBUCKETS; i++)
		n += get(&h->bucket[i]);
	return n;
}

static void render_requests(struct out *o, struct buf *lb, const struct routes *rt)
{
	static const char *const CLASS_NAMES[CLASSES] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
	size_t used = route_slots_used(rt);
	family(o, "confab_http_requests_total", "counter",
	       "Requests answered, by route pattern, method and status class.");
	for (size_t r = 0; r <= used; r++) {
		size_t slot = r < used ? r : CF_METRICS_ROUTES;
		for (size_t m = 0; m < NMETHODS; m++)
			for (size_t c = 0; c < CLASSES; c++) {
				uint_fast64_t v = get(&area->requests[slot][m][c]);
				if (v == 0)
					continue;
				label1(o, lb, "route", route_label(rt, slot));
				label_more(o, lb, "method", METHODS[m]);
				label_more(o, lb, "code", CLASS_NAMES[c]);
				sample_u64(o, "confab_http_requests_total", buf_str(lb), v);
			}
	}
	family(o, "confab_http_request_duration_seconds", "histogram",
	       "Time from the request's arrival at the worker to its answer, by route pattern.");
	for (size_t r = 0; r <= used; r++) {
		size_t slot = r < used ? r : CF_METRICS_ROUTES;
		if (hist_count(&area->request_seconds[slot]) == 0)
			continue;
		label1(o, lb, "route", route_label(rt, slot));
		histogram(o, "confab_http_request_duration_seconds", buf_str(lb), &area->request_seconds[slot]);
	}
}

static void render_pool(struct out *o)
{
	long workers = atomic_load_explicit(&area->workers, memory_order_relaxed);
	long busy = atomic_load_explicit(&area->busy, memory_order_relaxed);
	if (busy > workers)
		busy = workers;
	family(o, "confab_workers", "gauge", "FastCGI worker processes running.");
	sample_ll(o, "confab_workers", workers);
	family(o, "confab_workers_busy", "gauge", "Workers serving a request.");
	sample_ll(o, "confab_workers_busy", busy);
	family(o, "confab_workers_idle", "gauge", "Workers waiting for a request.");
	sample_ll(o, "confab_workers_idle", workers - busy);
	family(o, "confab_workers_max", "gauge", "The max_workers setting.");
	sample_ll(o, "confab_workers_max", atomic_load_explicit(&area->max_workers, memory_order_relaxed));
	family(o, "confab_task_runners", "gauge", "Task runner processes running.");
	sample_ll(o, "confab_task_runners", atomic_load_explicit(&area->task_runners, memory_order_relaxed));
	family(o, "confab_longpoll_waiters", "gauge", "Chat task long-polls waiting now.");
	sample_ll(o, "confab_longpoll_waiters", atomic_load_explicit(&area->waiters, memory_order_relaxed));
	family(o, "confab_worker_spawns_total", "counter", "Workers and task runners started by the master.");
	sample_u64(o, "confab_worker_spawns_total", "", get(&area->spawns));
	family(o, "confab_worker_deaths_total", "counter",
	       "Workers and task runners that ended by a signal or a non-zero exit.");
	sample_u64(o, "confab_worker_deaths_total", "", get(&area->deaths));
}

static const char *kind_name(size_t k)
{
	if (k < CF_METRICS_JOB_KINDS && atomic_load_explicit(&area->kinds[k].state, memory_order_acquire) == 2)
		return area->kinds[k].name;
	return k == CF_METRICS_JOB_KINDS ? "other" : NULL;
}

static void render_job_gauge(struct out *o, struct buf *lb, const char *name, atomic_llong *v)
{
	for (size_t k = 0; k <= CF_METRICS_JOB_KINDS; k++) {
		const char *kind = kind_name(k);
		if (kind == NULL || (k == CF_METRICS_JOB_KINDS && atomic_load_explicit(&v[k], memory_order_relaxed) == 0))
			continue;
		label1(o, lb, "kind", kind);
		put(o, name);
		put(o, "{");
		put(o, buf_str(lb));
		put(o, "} ");
		put_ll(o, atomic_load_explicit(&v[k], memory_order_relaxed));
		put(o, "\n");
	}
}

static void render_job_counter(struct out *o, struct buf *lb, const char *name, atomic_uint_fast64_t *v)
{
	for (size_t k = 0; k <= CF_METRICS_JOB_KINDS; k++) {
		const char *kind = kind_name(k);
		if (kind == NULL || (k == CF_METRICS_JOB_KINDS && get(&v[k]) == 0))
			continue;
		label1(o, lb, "kind", kind);
		sample_u64(o, name, buf_str(lb), get(&v[k]));
	}
}

static void render_jobs(struct out *o, struct buf *lb)
{
	family(o, "confab_jobs_queued", "gauge",
	       "Jobs waiting in the queue, by kind (read from MariaDB every few seconds).");
	render_job_gauge(o, lb, "confab_jobs_queued", area->jobs_queued);
	family(o, "confab_jobs_running", "gauge", "Jobs claimed by a task runner of any host, by kind.");
	render_job_gauge(o, lb, "confab_jobs_running", area->jobs_running);
	family(o, "confab_jobs_oldest_queued_age_seconds", "gauge",
	       "Age of the oldest queued job whose run time has come, by kind (0 = none).");
	render_job_gauge(o, lb, "confab_jobs_oldest_queued_age_seconds", area->jobs_oldest_s);
	family(o, "confab_jobs_queue_read", "gauge", "1 once the queue gauges were read from MariaDB.");
	sample_ll(o, "confab_jobs_queue_read", atomic_load_explicit(&area->jobs_known, memory_order_relaxed) ? 1 : 0);
	family(o, "confab_job_attempts_total", "counter", "Job attempts settled by this host's task runners, by kind.");
	render_job_counter(o, lb, "confab_job_attempts_total", area->job_attempts);
	family(o, "confab_job_failures_total", "counter",
	       "Job attempts that failed (retried later or for good), by kind.");
	render_job_counter(o, lb, "confab_job_failures_total", area->job_failures);
}

static const char *provider_name(size_t p)
{
	if (p < CF_METRICS_PROVIDERS && atomic_load_explicit(&area->providers[p].state, memory_order_acquire) == 2)
		return area->providers[p].name;
	return p == CF_METRICS_PROVIDERS && get(&area->llm_requests[p]) > 0 ? "other" : NULL;
}

static void render_llm_counter(struct out *o, struct buf *lb, const char *name, atomic_uint_fast64_t *v)
{
	for (size_t p = 0; p <= CF_METRICS_PROVIDERS; p++) {
		const char *prov = provider_name(p);
		if (prov == NULL)
			continue;
		label1(o, lb, "provider", prov);
		sample_u64(o, name, buf_str(lb), get(&v[p]));
	}
}

static void render_llm(struct out *o, struct buf *lb)
{
	family(o, "confab_llm_requests_total", "counter", "Calls to LLM providers, by provider type.");
	render_llm_counter(o, lb, "confab_llm_requests_total", area->llm_requests);
	family(o, "confab_llm_errors_total", "counter", "Failed LLM calls, by provider type and kind of failure.");
	for (size_t p = 0; p <= CF_METRICS_PROVIDERS; p++) {
		const char *prov = provider_name(p);
		for (size_t k = 0; prov != NULL && k < LLM_ERRS; k++) {
			label1(o, lb, "provider", prov);
			label_more(o, lb, "kind", LLM_ERROR_NAMES[k]);
			sample_u64(o, "confab_llm_errors_total", buf_str(lb), get(&area->llm_errors[p][k]));
		}
	}
	family(o, "confab_llm_request_duration_seconds", "histogram", "Time an LLM call took, by provider type.");
	for (size_t p = 0; p <= CF_METRICS_PROVIDERS; p++) {
		const char *prov = provider_name(p);
		if (prov == NULL)
			continue;
		label1(o, lb, "provider", prov);
		histogram(o, "confab_llm_request_duration_seconds", buf_str(lb), &area->llm_seconds[p]);
	}
	family(o, "confab_llm_prompt_tokens_total", "counter", "Prompt tokens the providers reported, by provider type.");
	render_llm_counter(o, lb, "confab_llm_prompt_tokens_total", area->llm_prompt_tokens);
	family(o, "confab_llm_completion_tokens_total", "counter",
	       "Completion tokens the providers reported, by provider type.");
	render_llm_counter(o, lb, "confab_llm_completion_tokens_total", area->llm_completion_tokens);
}

static void render_counters(struct out *o)
{
	static const struct {
		enum metrics_counter c;
		const char *name, *help;
	} singles[] = {
		{METRIC_RATE_LIMITED, "confab_rate_limit_rejections_total", "Requests answered 429 by a rate limit."},
		{METRIC_IDEM_REPLAY, "confab_idempotent_replays_total", "Stored answers replayed for an Idempotency-Key."},
		{METRIC_UPLOAD_REFUSED, "confab_upload_refusals_total", "Uploads refused (size, quota, disk space)."},
		{METRIC_WEBHOOK_DELIVERED, "confab_webhook_deliveries_total", "Webhook deliveries the receiver accepted (2xx)."},
		{METRIC_WEBHOOK_FAILED, "confab_webhook_failures_total", "Webhook delivery attempts that failed."},
		{METRIC_DB_ERROR, "confab_db_errors_total", "Requests answered with a database error (500 or 503)."},
		{METRIC_DB_DEADLOCK_RERUN, "confab_db_deadlock_reruns_total",
		 "Transactions run again after losing a deadlock or lock wait."},
	};
	for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++) {
		family(o, singles[i].name, "counter", singles[i].help);
		sample_u64(o, singles[i].name, "", get(&area->counters[singles[i].c]));
	}
	family(o, "confab_upload_bytes_total", "counter", "Bytes of uploaded files stored.");
	sample_u64(o, "confab_upload_bytes_total", "", get(&area->upload_bytes));
}

cf_status metrics_render(struct buf *out, const struct route *routes, size_t nroutes)
{
	const struct routes rt = {routes, nroutes};
	struct out o = {out, CF_OK};
	if (area == NULL)
		return CF_OK;   /* not mapped: no families */
	struct buf lb;
	buf_init(&lb, 4096);
	render_requests(&o, &lb, &rt);
	render_pool(&o);
	render_jobs(&o, &lb);
	render_llm(&o, &lb);
	render_counters(&o);
	buf_free(&lb);
	return o.st;
}
