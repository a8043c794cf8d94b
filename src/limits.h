/* limits.h - every size and count limit of Confab, named in one place.
 * Configurable ones have their defaults here; config.c enforces ranges. */
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
#define CF_MAX_ATTACHMENTS       100   /* attachment_ids of one chat message */
#define CF_CHAT_TASK_ATTEMPTS    3     /* tries of a widget reply before it reports an error */
#define CF_MAX_DOCUMENT_BYTES    (256L * 1024) /* text of one attachment given to the model */
#define CF_TAG_NAME_MAX          100
#define CF_MAX_TAGS_PER_REQUEST  100   /* tags in one tags call or filter */
#define CF_MAX_SEED_MESSAGES     1000  /* messages seeded by sessions create */
#define CF_PARTICIPANT_ID_MAX    320

#define CF_API_KEY_PREFIX_LEN    8
#define CF_API_KEY_SECRET_LEN    32
#define CF_MAX_LLM_REPLY_BYTES   (1024 * 1024)   /* reply text kept from a provider */
#define CF_MAX_LLM_RESPONSE_CEILING (256L * 1024 * 1024) /* llm_max_response_bytes may not exceed */
#define CF_MAX_LLM_EVENT_BYTES   (256 * 1024)    /* one streamed SSE line or event */
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
#endif
