/* http_client.h - the one libcurl setup of every outbound HTTP call (the
 * LLM providers, Telegram, webhook deliveries). Each POST goes out with the
 * same security options, set and checked here: http and https only, no
 * redirects, no signals, TLS peer and host verification on, a connect and a
 * total timeout. Callers say only what legitimately differs: the
 * timeouts, a low-speed bound for streams, TCP keep-alive, the user agent,
 * where the answer goes (a bounded buffer, always) and a progress hook
 * that may stop the transfer (a stream whose listener left). */
#ifndef CONFAB_HTTP_CLIENT_H
#define CONFAB_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "status.h"

/* One POST. Every pointer is borrowed for the call. */
struct http_post {
	const char *url;
	struct curl_slist *headers;         /* NULL: none */
	const char *body;                   /* NUL-terminated; sent with its strlen */
	long connect_timeout_ms;            /* > 0 */
	long timeout_ms;                    /* the whole transfer; > 0 */
	long low_speed_time_s;              /* > 0: also give up after this long below 1 byte/s */
	bool keepalive;                     /* TCP keep-alive probes on a reused connection */
	const char *user_agent;             /* NULL: no User-Agent header */
	curl_write_callback on_write;       /* NULL: the answer is dropped */
	void *write_ctx;
	curl_xferinfo_callback on_progress; /* NULL: none; non-zero return aborts the transfer */
	void *progress_ctx;
};

/* A handle for the caller to keep: *reuse is created on first use and
 * reset (options cleared, connection cache kept) on every later one, so a
 * process reuses its connection to the same host. NULL when libcurl cannot
 * make one. The caller owns *reuse (curl_easy_cleanup). */
CURL *http_client_handle(CURL **reuse);

/* Sets every option of p on c and performs the POST. *http_status gets the
 * answer's status (0 when none arrived). Returns libcurl's result; an
 * option the linked libcurl refuses fails the call before anything is
 * sent (CURLE_UNKNOWN_OPTION or the code setopt gave), so no transfer runs
 * with a security option missing. */
CURLcode http_client_post(CURL *c, const struct http_post *p, long *http_status);

/* The status of a transfer that failed with rc: CF_E_TIMEOUT for a
 * timeout, CF_E_UPSTREAM otherwise. */
cf_status http_client_failure(CURLcode rc);

/* Write callbacks over a struct buf (write_ctx), whose ceiling bounds the
 * answer. collect keeps it all and fails the transfer (CURLE_WRITE_ERROR)
 * at the ceiling; keep_head keeps the first b->max bytes and drops the rest
 * without failing. */
size_t http_client_collect(char *data, size_t size, size_t nmemb, void *buf);
size_t http_client_keep_head(char *data, size_t size, size_t nmemb, void *buf);

#endif
