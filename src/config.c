/* config.c - table-driven parser of confab.conf ("key = value" lines): each
 * key's name, type and accepted range in one table; the defaults are named
 * in limits.h (CF_DEFAULT_*). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_addr.h"
#include "limits.h"
#include "log.h"
#include "xalloc.h"

enum field_type { FIELD_STRING, FIELD_OPT_STRING, FIELD_INT, FIELD_LONG, FIELD_BOOL, FIELD_MODE,
                  FIELD_LOG_LEVEL, FIELD_PREFIX };

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	long min, max;  /* for numeric fields */
};

#define F(key, type, member, min, max) {key, type, offsetof(struct config, member), min, max}

static const struct field fields[] = {
	F("listen", FIELD_STRING, listen, 0, 0),
	F("listen_mode", FIELD_MODE, listen_mode, 0, 0777),
	F("listen_group", FIELD_OPT_STRING, listen_group, 0, 0),
	F("listen_allow_remote", FIELD_BOOL, listen_allow_remote, 0, 0),
	F("workers", FIELD_INT, workers, 1, CF_MAX_WORKERS),
	F("max_workers", FIELD_INT, max_workers, 1, CF_MAX_WORKERS),
	F("min_spare_workers", FIELD_INT, min_spare_workers, 0, CF_MAX_WORKERS),
	F("max_spare_workers", FIELD_INT, max_spare_workers, 1, CF_MAX_WORKERS),
	F("db_socket", FIELD_OPT_STRING, db_socket, 0, 0),
	F("db_host", FIELD_STRING, db_host, 0, 0),
	F("db_port", FIELD_INT, db_port, 1, 65535),
	F("db_user", FIELD_STRING, db_user, 0, 0),
	F("db_password", FIELD_OPT_STRING, db_password, 0, 0),
	F("db_name", FIELD_STRING, db_name, 0, 0),
	F("db_wsrep_sync_wait", FIELD_INT, db_wsrep_sync_wait, -1, 15),
	F("upload_dir", FIELD_STRING, upload_dir, 0, 0),
	F("max_body_bytes", FIELD_LONG, max_body_bytes, 1024, CF_MAX_BODY_BYTES_CEILING),
	F("max_upload_bytes", FIELD_LONG, max_upload_bytes, 1024, CF_MAX_UPLOAD_BYTES_CEILING),
	F("log_level", FIELD_LOG_LEVEL, log_level, 0, 0),
	F("shutdown_timeout", FIELD_INT, shutdown_timeout, 1, 3600),
	F("worker_max_requests", FIELD_LONG, worker_max_requests, 0, 1000000000L),
	F("url_prefix", FIELD_PREFIX, url_prefix, 0, 0),
	F("auth_cache_seconds", FIELD_INT, auth_cache_seconds, 0, 60),
	F("read_cache_mb", FIELD_INT, read_cache_mb, 0, 4096),
	F("oauth_refresh_token_days", FIELD_INT, oauth_refresh_token_days, 1, 3650),
	F("llm_connect_timeout", FIELD_INT, llm_connect_timeout, 1, 300),
	F("llm_timeout", FIELD_INT, llm_timeout, 1, 3600),
	F("llm_max_retries", FIELD_INT, llm_max_retries, 0, 10),
	F("task_runners", FIELD_INT, task_runners, 0, CF_MAX_TASK_RUNNERS),
	F("job_lease_seconds", FIELD_INT, job_lease_seconds, 2, 86400),
	F("webhook_retry_base_seconds", FIELD_INT, webhook_retry_base_seconds, 1, 3600),
	F("poll_max_wait", FIELD_INT, poll_max_wait, 0, 300),
	F("telegram_api_base", FIELD_STRING, telegram_api_base, 0, 0),
	F("rate_limit_mode", FIELD_STRING, rate_limit_mode, 0, 0),
	F("rate_limit_team_requests", FIELD_INT, rate_limit_team_requests, 1, 100000000),
	F("rate_limit_team_window", FIELD_INT, rate_limit_team_window, 1, 86400),
	F("rate_limit_session_requests", FIELD_INT, rate_limit_session_requests, 1, 100000000),
	F("rate_limit_session_window", FIELD_INT, rate_limit_session_window, 1, 86400),
	F("llm_max_response_bytes", FIELD_LONG, llm_max_response_bytes, 4096, CF_MAX_LLM_RESPONSE_CEILING),
	F("upload_quota_session_bytes", FIELD_LONG, upload_quota_session_bytes, 1, CF_UPLOAD_QUOTA_BYTES_CEILING),
	F("upload_quota_session_files", FIELD_LONG, upload_quota_session_files, 1, 100000000L),
	F("upload_quota_team_bytes", FIELD_LONG, upload_quota_team_bytes, 1, CF_UPLOAD_QUOTA_BYTES_CEILING),
	F("upload_quota_team_files", FIELD_LONG, upload_quota_team_files, 1, 1000000000L),
	F("upload_min_free_mb", FIELD_LONG, upload_min_free_mb, 0, CF_UPLOAD_MIN_FREE_MB_CEILING),
	F("anon_file_retention_days", FIELD_INT, anon_file_retention_days, 0, 36500),
	F("rate_limit_upload_session_requests", FIELD_INT, rate_limit_upload_session_requests, 1, 100000000),
	F("rate_limit_upload_addr_requests", FIELD_INT, rate_limit_upload_addr_requests, 1, 100000000),
	F("rate_limit_upload_window", FIELD_INT, rate_limit_upload_window, 1, 86400),
	F("rate_limit_chat_start_addr_requests", FIELD_INT, rate_limit_chat_start_addr_requests, 1, 100000000),
	F("rate_limit_chat_start_bot_requests", FIELD_INT, rate_limit_chat_start_bot_requests, 1, 100000000),
	F("rate_limit_chat_start_window", FIELD_INT, rate_limit_chat_start_window, 1, 86400),
	F("rate_limit_login_account_requests", FIELD_INT, rate_limit_login_account_requests, 1, 100000000),
	F("rate_limit_login_addr_requests", FIELD_INT, rate_limit_login_addr_requests, 1, 100000000),
	F("rate_limit_login_window", FIELD_INT, rate_limit_login_window, 1, 86400),
	F("trusted_proxies", FIELD_OPT_STRING, trusted_proxies, 0, 0),
	F("metrics_token_file", FIELD_OPT_STRING, metrics_token_file, 0, 0),
	F("metrics_allow", FIELD_OPT_STRING, metrics_allow, 0, 0),
	F("purge_interval", FIELD_INT, purge_interval, 1, 3600),
	F("secret_key_file", FIELD_STRING, secret_key_file, 0, 0),
	F("poll_max_waiters", FIELD_INT, poll_max_waiters, 0, CF_MAX_WORKERS),
	F("request_read_timeout", FIELD_INT, request_read_timeout, 1, 3600),
	F("upload_min_rate", FIELD_LONG, upload_min_rate, 0, 1000000000L),
	F("response_write_timeout", FIELD_INT, response_write_timeout, 1, 3600),
	F("response_write_min_rate", FIELD_LONG, response_write_min_rate, 0, 1000000000L),
	F("sse_idle_timeout", FIELD_INT, sse_idle_timeout, 1, 3600),
	F("worker_max_rss_mb", FIELD_LONG, worker_max_rss_mb, 0, 1048576L),
};

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen = xstrdup(CF_DEFAULT_LISTEN);
	cfg->listen_mode = CF_DEFAULT_LISTEN_MODE;
	cfg->workers = CF_DEFAULT_WORKERS;
	cfg->max_workers = 0;   /* resolved after parsing */
	cfg->min_spare_workers = CF_DEFAULT_MIN_SPARE_WORKERS;
	cfg->max_spare_workers = CF_DEFAULT_MAX_SPARE_WORKERS;
	cfg->db_host = xstrdup(CF_DEFAULT_DB_HOST);
	cfg->db_port = CF_DEFAULT_DB_PORT;
	cfg->db_wsrep_sync_wait = CF_DEFAULT_DB_WSREP_SYNC_WAIT;
	cfg->db_user = xstrdup(CF_DEFAULT_DB_USER);
	cfg->db_name = xstrdup(CF_DEFAULT_DB_NAME);
	cfg->upload_dir = xstrdup(CF_DEFAULT_UPLOAD_DIR);
	cfg->max_body_bytes = CF_DEFAULT_MAX_BODY_BYTES;
	cfg->max_upload_bytes = CF_DEFAULT_MAX_UPLOAD_BYTES;
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->shutdown_timeout = CF_DEFAULT_SHUTDOWN_TIMEOUT;
	cfg->worker_max_requests = CF_DEFAULT_WORKER_MAX_REQUESTS;
	cfg->url_prefix = xstrdup("");
	cfg->auth_cache_seconds = CF_DEFAULT_AUTH_CACHE_SECONDS;
	cfg->read_cache_mb = CF_DEFAULT_READ_CACHE_MB;
	cfg->oauth_refresh_token_days = CF_DEFAULT_OAUTH_REFRESH_TOKEN_DAYS;
	cfg->llm_connect_timeout = CF_DEFAULT_LLM_CONNECT_TIMEOUT;
	cfg->llm_timeout = CF_DEFAULT_LLM_TIMEOUT;
	cfg->llm_max_retries = CF_DEFAULT_LLM_MAX_RETRIES;
	cfg->llm_max_response_bytes = CF_DEFAULT_LLM_MAX_RESPONSE_BYTES;
	cfg->task_runners = CF_DEFAULT_TASK_RUNNERS;
	cfg->job_lease_seconds = CF_DEFAULT_JOB_LEASE_SECONDS;
	cfg->webhook_retry_base_seconds = CF_DEFAULT_WEBHOOK_RETRY_BASE_SECONDS;
	cfg->poll_max_wait = CF_DEFAULT_POLL_MAX_WAIT;
	cfg->telegram_api_base = xstrdup(CF_DEFAULT_TELEGRAM_API_BASE);
	cfg->rate_limit_mode = xstrdup(CF_DEFAULT_RATE_LIMIT_MODE);
	cfg->rate_limit_team_requests = CF_DEFAULT_RL_TEAM;
	cfg->rate_limit_team_window = CF_DEFAULT_RL_TEAM_WINDOW;
	cfg->rate_limit_session_requests = CF_DEFAULT_RL_SESSION;
	cfg->rate_limit_session_window = CF_DEFAULT_RL_SESSION_WINDOW;
	cfg->upload_quota_session_bytes = CF_DEFAULT_UPLOAD_QUOTA_SESSION_BYTES;
	cfg->upload_quota_session_files = CF_DEFAULT_UPLOAD_QUOTA_SESSION_FILES;
	cfg->upload_quota_team_bytes = (long)CF_DEFAULT_UPLOAD_QUOTA_TEAM_BYTES;
	cfg->upload_quota_team_files = CF_DEFAULT_UPLOAD_QUOTA_TEAM_FILES;
	cfg->upload_min_free_mb = CF_DEFAULT_UPLOAD_MIN_FREE_MB;
	cfg->anon_file_retention_days = CF_DEFAULT_ANON_FILE_RETENTION_DAYS;
	cfg->rate_limit_upload_session_requests = CF_DEFAULT_RL_UPLOAD_SESSION;
	cfg->rate_limit_upload_addr_requests = CF_DEFAULT_RL_UPLOAD_ADDR;
	cfg->rate_limit_upload_window = CF_DEFAULT_RL_UPLOAD_WINDOW;
	cfg->rate_limit_chat_start_addr_requests = CF_DEFAULT_RL_CHAT_START_ADDR;
	cfg->rate_limit_chat_start_bot_requests = CF_DEFAULT_RL_CHAT_START_BOT;
	cfg->rate_limit_chat_start_window = CF_DEFAULT_RL_CHAT_START_WINDOW;
	cfg->rate_limit_login_account_requests = CF_DEFAULT_RL_LOGIN_ACCOUNT;
	cfg->rate_limit_login_addr_requests = CF_DEFAULT_RL_LOGIN_ADDR;
	cfg->rate_limit_login_window = CF_DEFAULT_RL_LOGIN_WINDOW;
	cfg->purge_interval = CF_DEFAULT_PURGE_INTERVAL;
	cfg->secret_key_file = xstrdup(CF_DEFAULT_SECRET_KEY_FILE);
	cfg->poll_max_waiters = 0;   /* resolved after parsing */
	cfg->request_read_timeout = CF_DEFAULT_REQUEST_READ_TIMEOUT;
	cfg->upload_min_rate = CF_DEFAULT_UPLOAD_MIN_RATE;
	cfg->response_write_timeout = CF_DEFAULT_RESPONSE_WRITE_TIMEOUT;
	cfg->response_write_min_rate = CF_DEFAULT_RESPONSE_WRITE_MIN_RATE;
	cfg->sse_idle_timeout = CF_DEFAULT_SSE_IDLE_TIMEOUT;
	cfg->worker_max_rss_mb = CF_DEFAULT_WORKER_MAX_RSS_MB;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		enum field_type t = fields[i].type;
		if (t == FIELD_STRING || t == FIELD_OPT_STRING || t == FIELD_PREFIX) {
			char **slot = (char **)((char *)cfg + fields[i].offset);
			free(*slot);
			*slot = NULL;
		}
	}
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static bool parse_long(const char *s, int base, long min, long max, long *out)
{
	if (*s == '\0')
		return false;
	errno = 0;
	char *end = NULL;
	long v = strtol(s, &end, base);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Applies one value; returns NULL or a message describing the problem. */
static const char *apply_field(struct config *cfg, const struct field *f, const char *value)
{
	void *slot = (char *)cfg + f->offset;
	long v;
	switch (f->type) {
	case FIELD_STRING:
		if (*value == '\0')
			return "must not be empty";
		/* fall through */
	case FIELD_OPT_STRING:
		free(*(char **)slot);
		*(char **)slot = *value ? xstrdup(value) : NULL;
		return NULL;
	case FIELD_PREFIX:
		if (*value != '\0' && (value[0] != '/' || value[strlen(value) - 1] == '/'))
			return "must be empty or start with '/' and not end with '/'";
		free(*(char **)slot);
		*(char **)slot = xstrdup(value);
		return NULL;
	case FIELD_INT:
		if (!parse_long(value, 10, f->min, f->max, &v))
			return "must be an integer in range";
		if (f->offset == offsetof(struct config, db_port))
			*(unsigned *)slot = (unsigned)v;
		else
			*(int *)slot = (int)v;
		return NULL;
	case FIELD_LONG:
		if (!parse_long(value, 10, f->min, f->max, &v))
			return "must be an integer in range";
		*(long *)slot = v;
		return NULL;
	case FIELD_MODE:
		if (value[0] != '0' || !parse_long(value, 8, f->min, f->max, &v))
			return "must be an octal mode such as 0660";
		*(unsigned *)slot = (unsigned)v;
		return NULL;
	case FIELD_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0)
			*(bool *)slot = true;
		else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 || strcmp(value, "0") == 0)
			*(bool *)slot = false;
		else
			return "must be true or false";
		return NULL;
	case FIELD_LOG_LEVEL:
		v = log_level_parse(value);
		if (v < 0)
			return "must be one of error, warn, info, debug";
		*(int *)slot = (int)v;
		return NULL;
	}
	return "unsupported field type";
}

/* The worker pool's keys depend on each other: max_workers defaults to
 * max(64, workers) and may not be below workers; the spare bounds must be
 * ordered; poll_max_waiters defaults to a quarter of max_workers (at least 1). */
static cf_status resolve_pool(struct config *cfg, const char *name, char *err, size_t errlen)
{
	if (cfg->max_workers == 0)
		cfg->max_workers = cfg->workers > CF_DEFAULT_MAX_WORKERS ? cfg->workers : CF_DEFAULT_MAX_WORKERS;
	if (cfg->max_workers < cfg->workers) {
		snprintf(err, errlen, "%s: max_workers (%d) is below workers (%d)", name, cfg->max_workers, cfg->workers);
		return CF_E_CONFIG;
	}
	if (cfg->min_spare_workers > cfg->max_spare_workers) {
		snprintf(err, errlen, "%s: min_spare_workers (%d) is above max_spare_workers (%d)", name,
		         cfg->min_spare_workers, cfg->max_spare_workers);
		return CF_E_CONFIG;
	}
	if (cfg->poll_max_waiters == 0)
		cfg->poll_max_waiters = cfg->max_workers / 4 > 0 ? cfg->max_workers / 4 : 1;
	return CF_OK;
}

static cf_status check_rate_limit_mode(const struct config *cfg, const char *name, char *err, size_t errlen)
{
	const char *m = cfg->rate_limit_mode;
	if (strcmp(m, "off") == 0 || strcmp(m, "log") == 0 || strcmp(m, "enforce") == 0)
		return CF_OK;
	snprintf(err, errlen, "%s: rate_limit_mode must be off, log or enforce", name);
	return CF_E_CONFIG;
}

cf_status config_parse(struct config *cfg, const char *name, const char *text, char *err, size_t errlen)
{
	cf_status st = CF_OK;
	char *copy = xstrdup(text);
	char *save = copy;
	int lineno = 0;
	while (save != NULL && st == CF_OK) {
		char *line = save;
		char *nl = strchr(line, '\n');
		if (nl != NULL) {
			*nl = '\0';
			save = nl + 1;
		} else {
			save = NULL;
		}
		lineno++;
		if (lineno > CF_MAX_CONFIG_LINES || strlen(line) > CF_MAX_CONFIG_LINE) {
			snprintf(err, errlen, "%s:%d: line too long or too many lines", name, lineno);
			st = CF_E_CONFIG;
			break;
		}
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected \"key = value\"", name, lineno);
			st = CF_E_CONFIG;
			break;
		}
		*eq = '\0';
		char *key = trim(s);
		char *value = trim(eq + 1);
		const struct field *f = NULL;
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (strcmp(fields[i].key, key) == 0)
				f = &fields[i];
		if (f == NULL) {
			snprintf(err, errlen, "%s:%d: unknown key \"%.64s\"", name, lineno, key);
			st = CF_E_CONFIG;
			break;
		}
		const char *problem = apply_field(cfg, f, value);
		if (problem != NULL) {
			snprintf(err, errlen, "%s:%d: %s %s (got \"%.64s\")", name, lineno, key, problem, value);
			st = CF_E_CONFIG;
		}
	}
	free(copy);
	if (st == CF_OK)
		st = resolve_pool(cfg, name, err, errlen);
	if (st == CF_OK)
		st = check_rate_limit_mode(cfg, name, err, errlen);
	if (st == CF_OK && !client_addr_proxies_valid(cfg->trusted_proxies)) {
		snprintf(err, errlen, "%s: trusted_proxies must be IP addresses or CIDRs separated by commas or spaces",
		         name);
		st = CF_E_CONFIG;
	}
	if (st == CF_OK && !client_addr_proxies_valid(cfg->metrics_allow)) {
		snprintf(err, errlen, "%s: metrics_allow must be IP addresses or CIDRs separated by commas or spaces", name);
		st = CF_E_CONFIG;
	}
	return st;
}

cf_status config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return CF_E_CONFIG;
	}
	char *text = NULL;
	size_t len = 0;
	size_t max = (size_t)CF_MAX_CONFIG_LINE * CF_MAX_CONFIG_LINES;
	char chunk[4096];
	size_t n;
	cf_status st = CF_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n > max) {
			snprintf(err, errlen, "%s: file too large", path);
			st = CF_E_CONFIG;
			break;
		}
		text = xrealloc(text, len + n + 1);
		memcpy(text + len, chunk, n);
		len += n;
	}
	if (st == CF_OK && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		st = CF_E_CONFIG;
	}
	fclose(f);
	if (st == CF_OK) {
		if (text != NULL && memchr(text, '\0', len) != NULL) {
			snprintf(err, errlen, "%s: contains a NUL byte", path);
			st = CF_E_CONFIG;
		} else {
			if (text == NULL)
				text = xstrdup("");
			text[len] = '\0';
			st = config_parse(cfg, path, text, err, errlen);
		}
	}
	free(text);
	return st;
}
