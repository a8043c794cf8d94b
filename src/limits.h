/* limits.h - every size, count and time limit of Confab and every default
 * of a confab.conf key, named in one place. CF_DEFAULT_* are the defaults
 * config_defaults() gives (the key in brackets where the name does not say
 * it); the range each key accepts is in config.c's key table, next to its
 * name, and in docs/contracts.md. CF_* without DEFAULT are fixed. */
#ifndef CONFAB_LIMITS_H
#define CONFAB_LIMITS_H

#define CF_DEFAULT_MAX_BODY_BYTES   (1024L * 1024L)        /* JSON bodies */
#define CF_DEFAULT_MAX_UPLOAD_BYTES (50L * 1024L * 1024L)  /* multipart uploads */
#define CF_MAX_BODY_BYTES_CEILING   (64L * 1024L * 1024L)  /* config may not exceed */
#define CF_MAX_UPLOAD_BYTES_CEILING (1024L * 1024L * 1024L)

#define CF_MAX_PATH_BYTES        2048  /* request path, decoded */
#define CF_MAX_QUERY_BYTES       8192  /* raw query string */
#define CF_MAX_QUERY_PARAMS      64    /* key=value pairs in a query string */
#define CF_MAX_HEADERS           100   /* headers kept per request */
#define CF_MAX_HEADER_BYTES      8192  /* one header value */
#define CF_MAX_ROUTE_PARAMS      4     /* typed segments in one route pattern */
#define CF_MAX_JSON_DEPTH        32    /* nesting of request JSON */
#define CF_MAX_DRAIN_BYTES       (128L * 1024L * 1024L) /* body read and dropped after a 413 */
#define CF_MAX_RESPONSE_BYTES    (64L * 1024L * 1024L)

#define CF_MAX_WORKERS           1024  /* FastCGI workers of one confabd, max_workers */
#define CF_DEFAULT_MAX_WORKERS   64
#define CF_MAX_TASK_RUNNERS      64
#define CF_MAX_CONFIG_LINE       1024
#define CF_MAX_CONFIG_LINES      1000

#define CF_PAGE_SIZE_DEFAULT     100
#define CF_PAGE_SIZE_MAX         1500

/* The slot rows one team's (and one chatbot's) session count is spread
 * over (sql/013_session_counts.sql, which fixes it: its triggers count a
 * session in slot id % 8). The list's first page sums them, so its count
 * costs this many rows read however many sessions exist; more slots,
 * fewer creations of one team wait on the same row. Changing it takes a
 * migration that rewrites the triggers and the rows. */
#define CF_SESSION_COUNT_SLOTS   8

#define CF_CHAT_POLL_LIMIT_DEFAULT 50
#define CF_CHAT_POLL_LIMIT_MAX   1000
/* Long-poll of a chat task (?wait=): the largest value accepted before the
 * poll_max_wait bound applies, and the re-check back-off (ms). */
#define CF_TASK_WAIT_MAX_PARAM   3600
#define CF_TASK_WAIT_FIRST_MS    100
#define CF_TASK_WAIT_STEP_MAX_MS 250
#define CF_FCGI_WRITE_CHUNK      (64 * 1024)  /* response bytes written between two deadline checks */
#define CF_MULTIPART_OVERHEAD_BYTES (1L * 1024 * 1024) /* allowed above max_upload_bytes for part headers */
#define CF_MAX_UPLOAD_FILE_BYTES (50L * 1024 * 1024) /* one uploaded file (§10.2) */
#define CF_MAX_UPLOAD_TOTAL_BYTES (50L * 1024 * 1024) /* all files of one upload */
#define CF_MAX_UPLOAD_FILES      100
#define CF_UPLOAD_EXPIRY_HOURS   24
#define CF_UPLOAD_SNIFF_BYTES    512   /* first bytes of each uploaded file its content is judged by */
#define CF_MAX_ATTACHMENTS       100   /* attachment_ids of one chat message */
#define CF_CHAT_TASK_ATTEMPTS    3     /* tries of a widget reply before it reports an error */
#define CF_MAX_DOCUMENT_BYTES    (256L * 1024) /* text of one attachment given to the model */
#define CF_TAG_NAME_MAX          100
#define CF_MAX_TAGS_PER_REQUEST  100   /* tags in one tags call or filter */
#define CF_MAX_SEED_MESSAGES     1000  /* messages seeded by sessions create */
#define CF_PARTICIPANT_ID_MAX    320
#define CF_PARTICIPANT_DATA_ITEMS 100  /* chatbots in one POST /api/participants */
#define CF_SCHEDULES_PER_ITEM    100   /* schedules of one chatbot in that POST */
#define CF_SCHEDULE_ID_MAX       32    /* a schedule's id, as upstream's max_length */
#define CF_SCHEDULE_NAME_MAX     255
#define CF_SCHEDULE_PROMPT_MAX   10000 /* code points of a schedule's prompt */
#define CF_OPENAI_SCHEMA_NAME_MAX 64   /* response_format json_schema.name, as OpenAI */

#define CF_API_KEY_PREFIX_LEN    8
#define CF_API_KEY_SECRET_LEN    32
#define CF_MAX_LLM_REPLY_BYTES   (1024 * 1024)   /* reply text kept from a provider */
#define CF_MAX_LLM_RESPONSE_CEILING (256L * 1024 * 1024) /* llm_max_response_bytes may not exceed */
#define CF_MAX_LLM_EVENT_BYTES   (256 * 1024)    /* one streamed SSE line or event */
/* Retry-After (seconds) on an OpenAI route's failure a later try may fix
 * when nothing better is known (the provider sent none; the database is
 * away): docs/API.md §1.2.1. */
#define CF_RETRY_AFTER_DEFAULT_S 2
#define CF_MAX_CHAT_MESSAGES     1000            /* messages in one completions request */
#define CF_MAX_HISTORY_MESSAGES  1000            /* history_max_messages ceiling */
#define CF_MAX_PROMPT_BYTES      (4L * 1024 * 1024) /* rendered system prompt */

#define CF_WEBHOOK_URL_MAX       2048  /* a webhook endpoint's URL */
#define CF_WEBHOOK_SECRET_MAX    255   /* its signing secret */
#define CF_WEBHOOK_ATTEMPTS      10    /* deliveries of one event to one endpoint */
#define CF_WEBHOOK_CONNECT_TIMEOUT_MS 10000
#define CF_WEBHOOK_TIMEOUT_MS    30000 /* one whole delivery */
#define CF_WEBHOOK_RESPONSE_KEEP 200   /* bytes of a refusal kept for the job's error */
#define CF_WEBHOOK_BACKOFF_CAP_MS (3600L * 1000)
/* Issue 15 item 3: one chat message's text on every input path (widget
 * message, completions contents, incoming_message, sessions create,
 * trigger_bot), in characters (code points, as DRF's max_length counts);
 * and the bytes of message content (content + metadata as stored) one
 * chat poll page carries before it stops and says has_more. The first
 * message of a page is always sent, so a page is at most the budget plus
 * one message. */
#define CF_MAX_MESSAGE_CHARS     32768
#define CF_CHAT_POLL_MAX_BYTES   (4L * 1024 * 1024)

/* Issue 15 items 4, 5, 7: quotas, rate-limit classes and purges. Defaults of
 * the configurable ones (config keys in brackets). */
#define CF_DEFAULT_UPLOAD_QUOTA_SESSION_BYTES (200L * 1024 * 1024) /* [upload_quota_session_bytes] */
#define CF_DEFAULT_UPLOAD_QUOTA_SESSION_FILES 100                  /* [upload_quota_session_files] */
#define CF_DEFAULT_UPLOAD_QUOTA_TEAM_BYTES    (20LL * 1024 * 1024 * 1024) /* [upload_quota_team_bytes] */
#define CF_DEFAULT_UPLOAD_QUOTA_TEAM_FILES    100000               /* [upload_quota_team_files] */
#define CF_UPLOAD_QUOTA_BYTES_CEILING         (1LL << 50)          /* quota keys may not exceed */
#define CF_DEFAULT_UPLOAD_MIN_FREE_MB         1024   /* [upload_min_free_mb]: 507 below this on upload_dir */
#define CF_UPLOAD_MIN_FREE_MB_CEILING         (1L << 30)
#define CF_DEFAULT_ANON_FILE_RETENTION_DAYS   30     /* [anon_file_retention_days]; 0 = kept forever */
#define CF_DEFAULT_RL_UPLOAD_SESSION          30     /* [rate_limit_upload_session_requests] per window */
#define CF_DEFAULT_RL_UPLOAD_ADDR             120    /* [rate_limit_upload_addr_requests] */
#define CF_DEFAULT_RL_UPLOAD_WINDOW           300    /* [rate_limit_upload_window] */
#define CF_DEFAULT_RL_CHAT_START_ADDR         60     /* [rate_limit_chat_start_addr_requests] */
#define CF_DEFAULT_RL_CHAT_START_BOT          3000   /* [rate_limit_chat_start_bot_requests] */
#define CF_DEFAULT_RL_CHAT_START_WINDOW       300    /* [rate_limit_chat_start_window] */
#define CF_DEFAULT_RL_LOGIN_ACCOUNT           10     /* [rate_limit_login_account_requests] */
#define CF_DEFAULT_RL_LOGIN_ADDR              100    /* [rate_limit_login_addr_requests] */
#define CF_DEFAULT_RL_LOGIN_WINDOW            900    /* [rate_limit_login_window] */
#define CF_DEFAULT_PURGE_INTERVAL             60     /* [purge_interval] seconds between purge cycles */
#define CF_PURGE_BATCH           200   /* rows one purge statement removes; a cycle repeats until fewer */
#define CF_PURGE_MAX_BATCHES     10000 /* batches of one table in one cycle (a bound, never reached in practice) */
#define CF_OAUTH_REVOKED_KEEP_DAYS 90  /* revoked refresh tokens kept (reuse detection) before purging */
#define CF_WEBHOOK_MAX_FANOUT    20    /* endpoints of a team one event is delivered to (the oldest) */
#define CF_TRUSTED_PROXIES_MAX   32    /* entries of trusted_proxies */
#define CF_CLIENT_ADDR_MAX       64    /* a client address as text (INET6_ADDRSTRLEN + margin) */
#define CF_FORWARDED_HOPS_MAX    32    /* X-Forwarded-For entries looked at */

/* Issue 16: the per-host rate-limit counters in shared memory
 * (ratelimit_shm.h). A hit costs no statement; a window's hits reach
 * MariaDB in batches: on the first hit of a window on this host, after
 * CF_RL_FLUSH_HITS unflushed hits, or on the first hit CF_RL_FLUSH_MS
 * after the last flush (idle slots are flushed by a sweep). */
#define CF_RL_KEY_MAX            64    /* rate_limit_windows.rl_key; longer keys are stored as SHA-256 */
#define CF_RL_SLOTS              4096  /* counters of one host (fixed; about 600 KiB shared) */
#define CF_RL_STRIPES            16    /* locks over the table; a key's slots are all in one stripe */
#define CF_RL_PROBE              16    /* slots a key may take, from its hash on (open addressing) */
#define CF_RL_FLUSH_HITS         32    /* unflushed hits of one counter that force a flush */
#define CF_RL_FLUSH_MS           250   /* age of the last flush that makes the next hit flush */
#define CF_RL_FLUSH_STALE_MS     30000 /* a flush in flight this long is given up (its hits pending again) */
#define CF_RL_SWEEP_MAX          16    /* idle counters one worker flushes after a request */
#define CF_RL_SWEEP_MAX_RUNNER   256   /* ... and one task runner per pass */

/* Defaults of the confab.conf keys not given above (config.c). */
#define CF_DEFAULT_LISTEN             "/run/confab/confab.sock"
#define CF_DEFAULT_LISTEN_MODE        0660
#define CF_DEFAULT_WORKERS            4
#define CF_DEFAULT_MIN_SPARE_WORKERS  2
#define CF_DEFAULT_MAX_SPARE_WORKERS  8   /* max_workers: the larger of CF_DEFAULT_MAX_WORKERS and workers */
#define CF_DEFAULT_DB_HOST            "127.0.0.1"
#define CF_DEFAULT_DB_PORT            3306
#define CF_DEFAULT_DB_WSREP_SYNC_WAIT -1 /* -1: leave the server's wsrep_sync_wait alone */
#define CF_DEFAULT_DB_USER            "confab"
#define CF_DEFAULT_DB_NAME            "confab"
#define CF_DEFAULT_UPLOAD_DIR         "/var/lib/confab/uploads"
#define CF_DEFAULT_SHUTDOWN_TIMEOUT   30      /* seconds */
#define CF_DEFAULT_WORKER_MAX_REQUESTS 10000
#define CF_DEFAULT_AUTH_CACHE_SECONDS 30
#define CF_DEFAULT_READ_CACHE_MB      32
#define CF_DEFAULT_OAUTH_REFRESH_TOKEN_DAYS 30
#define CF_DEFAULT_LLM_CONNECT_TIMEOUT 10     /* seconds */
#define CF_DEFAULT_LLM_TIMEOUT        120     /* seconds */
#define CF_DEFAULT_LLM_MAX_RETRIES    2
#define CF_DEFAULT_LLM_MAX_RESPONSE_BYTES (8L * 1024 * 1024)
#define CF_DEFAULT_TASK_RUNNERS       2
#define CF_DEFAULT_JOB_LEASE_SECONDS  900
#define CF_DEFAULT_WEBHOOK_RETRY_BASE_SECONDS 30
#define CF_DEFAULT_POLL_MAX_WAIT      20      /* seconds; poll_max_waiters: max_workers / 4 */
#define CF_DEFAULT_TELEGRAM_API_BASE  "https://api.telegram.org"
#define CF_DEFAULT_RATE_LIMIT_MODE    "enforce"
#define CF_DEFAULT_RL_TEAM            2000    /* [rate_limit_team_requests] per window */
#define CF_DEFAULT_RL_TEAM_WINDOW     300     /* [rate_limit_team_window] */
#define CF_DEFAULT_RL_SESSION         300     /* [rate_limit_session_requests] */
#define CF_DEFAULT_RL_SESSION_WINDOW  300     /* [rate_limit_session_window] */
#define CF_DEFAULT_SECRET_KEY_FILE    "/etc/confab/secret.key"
#define CF_DEFAULT_REQUEST_READ_TIMEOUT 10    /* seconds */
#define CF_DEFAULT_UPLOAD_MIN_RATE    1024    /* bytes/s */
#define CF_DEFAULT_RESPONSE_WRITE_TIMEOUT 10  /* seconds */
#define CF_DEFAULT_RESPONSE_WRITE_MIN_RATE 65536 /* bytes/s */
#define CF_DEFAULT_SSE_IDLE_TIMEOUT   30      /* seconds */
#define CF_DEFAULT_WORKER_MAX_RSS_MB  256

/* Fixed limits used by one module each (multipart.c, api_channels.c,
 * channels.c, transport_telegram.c, listen.c, pool.c, db.c, migrate.c,
 * auth.c, read_cache.c, sessions.c, conversation.c, llm_anthropic.c,
 * chat_auth.c, store_idempotency.c, oauth.c, websession.c, master.c,
 * runner.c, llm_http.c, confabctl.c). */
#define CF_MULTIPART_HEADER_MAX  8192  /* the header block of one multipart part */
#define CF_MULTIPART_MAX_PARTS   200   /* parts of one multipart body */
#define CF_TRIGGER_BOT_ATTEMPTS  5     /* tries of a trigger_bot job */
#define CF_DELIVER_ATTEMPTS      8     /* tries of a deliver job (a reply sent to a channel) */
#define CF_SCHEDULED_ATTEMPTS    5     /* tries of a scheduled_message job (participants.c) */
#define CF_TELEGRAM_CONNECT_TIMEOUT_MS 10000L
#define CF_TELEGRAM_TIMEOUT_MS   30000L  /* one whole Bot API call */
#define CF_TELEGRAM_MAX_RESPONSE 65536   /* bytes of a Bot API answer kept */
#define CF_LISTEN_BACKLOG        1024  /* connections waiting for a free worker */
#define CF_POOL_MAX_BATCH        64    /* workers the master starts in one tick at most */
#define CF_DB_LOCK_RETRIES       4     /* reruns of a statement that lost a deadlock */
#define CF_MIGRATION_MAX_BYTES   (4L * 1024L * 1024L) /* one sql/NNN_name.sql file */
#define CF_AUTH_CACHE_SIZE       64    /* verified API keys one worker remembers */
#define CF_READ_CACHE_MAX_ENTRIES 16384 /* entries of one process's read cache */
#define CF_READ_CACHE_CHAT_MAX   (1024 * 1024) /* content + metadata bytes of a chat kept rendered */
#define CF_EVENT_HISTORY_MESSAGES 10   /* recent messages an event bot (trigger_bot) sees */
#define CF_ANTHROPIC_DEFAULT_MAX_TOKENS 1024 /* max_tokens when the provider sets none */
#define CF_ORIGIN_HOST_MAX       256   /* the host of an Origin/Referer matched to an embed key's domains */
#define CF_SESSION_TOKEN_MAX     128   /* an X-Session-Token (chat_auth.h); a longer one is invalid unread */
#define CF_SESSION_TOKEN_TTL_DAYS 7    /* a widget session token's lifetime when its channel sets none */
#define CF_SESSION_TOKEN_TTL_DAYS_MAX 3650 /* the longest lifetime a channel may set */
#define CF_IDEMPOTENCY_TTL_HOURS 24    /* an Idempotency-Key's stored answer is replayed this long */
#define CF_OAUTH_CODE_TTL_SECONDS 60   /* an OAuth authorization code */
#define CF_OAUTH_ACCESS_TTL_SECONDS 36000 /* an OAuth access token (expires_in) */
#define CF_WEBSESSION_TTL_SECONDS (14L * 24 * 3600) /* a login cookie (sessionid) */
#define CF_WORKER_MIN_UPTIME_MS  1000  /* a worker dying sooner counts as a crash */
#define CF_WORKER_MAX_BACKOFF_MS 30000 /* the restart back-off of a crashing worker doubles up to this */
#define CF_RUNNER_IDLE_SLEEP_MS  200   /* a task runner's nap when no job is due */
#define CF_RUNNER_RECOVER_EVERY_S 5    /* how often a runner requeues jobs of vanished runners */
#define CF_RUNNER_SETTLE_PATIENCE_S 30 /* how long a runner keeps trying to record a job's outcome
                                          (and a reply it generated) while its database is
                                          unreachable (a Galera node restarting) */

#define CF_AUTH_EPOCH_CHECK_MS   1000  /* a worker re-reads the API-key revocation epoch at most this often */
#define CF_LLM_STREAM_TIMEOUT_FACTOR 10 /* a streamed provider call may take this many times llm_timeout */
#define CF_MASTER_TICK_MS        200   /* the master's supervision tick (pool sizing, reaping) */
#define CF_MASTER_RESIGNAL_MS    1000  /* SIGTERM repeated this often to workers still draining */
#define CF_CTL_MAX_OPTS          16    /* --name value pairs on one confabctl command line */

/* Prometheus metrics (metrics.h): the shared area's fixed sizes and the
 * one bucket list of every latency histogram (upper bounds in seconds). */
#define CF_METRICS_ROUTES        128   /* route table entries counted (one more label: "(unmatched)") */
#define CF_METRICS_JOB_KINDS     16    /* job kind labels; later kinds count under kind="other" */
#define CF_METRICS_PROVIDERS     8     /* LLM provider type labels; later ones count as provider="other" */
#define CF_METRICS_LABEL_MAX     32    /* bytes of one interned label value, NUL included */
#define CF_METRICS_BUCKETS_S     {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}
#define CF_METRICS_NBUCKETS      14    /* entries of CF_METRICS_BUCKETS_S */
#define CF_METRICS_MAX_BYTES     (1L * 1024 * 1024) /* one rendered /metrics answer */
#define CF_METRICS_JOBS_EVERY_S  5     /* the job queue's gauges are read from MariaDB at most this often per host */
#define CF_METRICS_TOKEN_MAX     256   /* bytes of the bearer token in metrics_token_file */

#define CF_API_DOCS_PAGE_MAX     (4L * 1024L * 1024L) /* the rendered /api/docs/ page */
#endif
