/* config.h - confab.conf: the settings of confabd and confabctl.
 * Format and keys: docs/contracts.md. */
#ifndef CONFAB_CONFIG_H
#define CONFAB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

#define CONFAB_DEFAULT_CONFIG "/etc/confab/confab.conf"

struct config {
	char *listen;            /* "/path", "host:port" or "inherit" */
	unsigned listen_mode;    /* unix socket mode */
	char *listen_group;      /* NULL = keep the default group */
	bool listen_allow_remote;
	int workers;             /* started, and the fewest kept */
	int max_workers;         /* the pool grows up to this many (0 until resolved: max(64, workers)) */
	int min_spare_workers;   /* the pool grows while fewer are idle */
	int max_spare_workers;   /* and shrinks while more are idle */
	char *db_socket;         /* NULL = TCP */
	char *db_host;
	unsigned db_port;
	char *db_user;
	char *db_password;
	char *db_name;
	int db_wsrep_sync_wait;  /* set on each connection when >= 0 (Galera: reads see writes made on other nodes) */
	char *upload_dir;
	long max_body_bytes;
	long max_upload_bytes;
	int log_level;           /* enum log_level */
	int shutdown_timeout;    /* seconds */
	long worker_max_requests;
	char *url_prefix;        /* "" or "/confab": where the API is mounted */
	int auth_cache_seconds;  /* how long a worker trusts a verified API key (0..60) */
	int read_cache_mb;       /* per-process budget of the read cache (read_cache.h); 0 = off */
	int oauth_refresh_token_days; /* lifetime of an OAuth refresh token (1..3650) */
	int llm_connect_timeout; /* seconds to connect to an LLM provider */
	int llm_timeout;         /* seconds for a whole provider answer */
	int llm_max_retries;     /* extra attempts on 429/5xx/timeouts */
	long llm_max_response_bytes;
	int task_runners;        /* background job processes */
	int job_lease_seconds;   /* a running job of a vanished runner on another host is retried after this */
	int webhook_retry_base_seconds; /* first back-off of a failed webhook delivery; doubles, capped at 1 h */
	int poll_max_wait;       /* bound (s) of a long-poll ?wait= on a chat task; 0 disables waiting */
	char *telegram_api_base; /* Bot API base URL (tests point it at a fake server) */
	char *rate_limit_mode;   /* "off", "log" or "enforce" (checked at load) */
	int rate_limit_team_requests;    /* per team and fixed window, API routes */
	int rate_limit_team_window;      /* seconds */
	int rate_limit_session_requests; /* per chat session and window, /api/chat/{session_id}/... */
	int rate_limit_session_window;   /* seconds */
	/* Issue 15 items 4, 5, 7 (limits.h has the defaults). */
	long upload_quota_session_bytes; /* stored bytes of one chat session's uploads */
	long upload_quota_session_files;
	long upload_quota_team_bytes;    /* of all a team's uploads */
	long upload_quota_team_files;
	long upload_min_free_mb;         /* uploads answer 507 below this free space on upload_dir; 0 = off */
	int anon_file_retention_days;    /* attached files of anonymous sessions expire after this; 0 = never */
	int rate_limit_upload_session_requests; /* uploads per chat session and window */
	int rate_limit_upload_addr_requests;    /* uploads per client address and window */
	int rate_limit_upload_window;
	int rate_limit_chat_start_addr_requests; /* POST /api/chat/start/ per client address */
	int rate_limit_chat_start_bot_requests;  /* and per chatbot */
	int rate_limit_chat_start_window;
	int rate_limit_login_account_requests;   /* POST /accounts/login/ per e-mail */
	int rate_limit_login_addr_requests;      /* and per client address */
	int rate_limit_login_window;
	char *trusted_proxies;   /* NULL or IPs/CIDRs whose X-Forwarded-For is believed (client_addr.h) */
	char *metrics_token_file; /* NULL or the file of GET /metrics' bearer token (api_metrics.c) */
	char *metrics_allow;     /* NULL or IPs/CIDRs of the clients GET /metrics answers; both NULL = /metrics is off */
	int purge_interval;      /* seconds between the runners' purge cycles */
	char *secret_key_file;   /* the 32-byte key that seals stored secrets (secretbox.h) */
	int poll_max_waiters;    /* chat-task long-polls waiting at once on this host (0 until resolved: max_workers / 4) */
	int request_read_timeout;        /* s from the request's parameters to its whole (non-upload) body */
	long upload_min_rate;            /* bytes/s a multipart body must keep after request_read_timeout; 0 = none */
	int response_write_timeout;      /* s for a whole non-streaming response */
	long response_write_min_rate;    /* bytes/s: a big response gets 1/rate s more per byte; 0 = none */
	int sse_idle_timeout;            /* s a streamed (SSE) response may wait for its reader on one write */
	long worker_max_rss_mb;          /* a worker resident above this after a request is replaced; 0 = off */
};

/* Fills cfg with the defaults; free with config_free. */
void config_defaults(struct config *cfg);
/* Reads path over the defaults. On error writes one line naming the file
 * and line into err (size errlen) and returns CF_E_CONFIG; cfg is then
 * still safe to config_free. */
cf_status config_load(struct config *cfg, const char *path, char *err, size_t errlen) CF_MUST_CHECK;
/* Parses text (the file's content) as config_load does; name labels errors. */
cf_status config_parse(struct config *cfg, const char *name, const char *text, char *err,
                       size_t errlen) CF_MUST_CHECK;
void config_free(struct config *cfg);

#endif
