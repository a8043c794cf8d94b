/* http_client.c - the one libcurl setup of every outbound POST (see
 * http_client.h): the security options every caller shares, and the
 * bounded write callbacks. */
#include "http_client.h"

#include <string.h>

#include "buf.h"

CURL *http_client_handle(CURL **reuse)
{
	if (*reuse == NULL)
		*reuse = curl_easy_init();
	else
		curl_easy_reset(*reuse);   /* keeps the connection cache */
	return *reuse;
}

/* Sets one option unless an earlier one failed; the first failure stays in rc. */
#define SET(c, rc, opt, value)                                       \
	do {                                                         \
		if ((rc) == CURLE_OK)                                \
			(rc) = curl_easy_setopt((c), (opt), (value)); \
	} while (0)

CURLcode http_client_post(CURL *c, const struct http_post *p, long *http_status)
{
	CURLcode rc = CURLE_OK;
	*http_status = 0;
	/* what every caller shares: the protocols, no redirects (a redirect
	 * could lead a delivery or a provider call to a host nobody checked),
	 * no signals (the workers own their signal handling), TLS verified */
	SET(c, rc, CURLOPT_PROTOCOLS_STR, "http,https");
	SET(c, rc, CURLOPT_FOLLOWLOCATION, 0L);
	SET(c, rc, CURLOPT_NOSIGNAL, 1L);
	SET(c, rc, CURLOPT_SSL_VERIFYPEER, 1L);
	SET(c, rc, CURLOPT_SSL_VERIFYHOST, 2L);
	SET(c, rc, CURLOPT_CONNECTTIMEOUT_MS, p->connect_timeout_ms);
	SET(c, rc, CURLOPT_TIMEOUT_MS, p->timeout_ms);
	if (p->low_speed_time_s > 0) {
		SET(c, rc, CURLOPT_LOW_SPEED_LIMIT, 1L);
		SET(c, rc, CURLOPT_LOW_SPEED_TIME, p->low_speed_time_s);
	}
	if (p->keepalive)
		SET(c, rc, CURLOPT_TCP_KEEPALIVE, 1L);
	if (p->user_agent != NULL)
		SET(c, rc, CURLOPT_USERAGENT, p->user_agent);
	/* what this call sends and where its answer goes */
	SET(c, rc, CURLOPT_URL, p->url);
	SET(c, rc, CURLOPT_HTTPHEADER, p->headers);
	SET(c, rc, CURLOPT_POSTFIELDS, p->body);
	SET(c, rc, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(p->body));
	if (p->on_write != NULL) {
		SET(c, rc, CURLOPT_WRITEFUNCTION, p->on_write);
		SET(c, rc, CURLOPT_WRITEDATA, p->write_ctx);
	} else {
		SET(c, rc, CURLOPT_WRITEFUNCTION, http_client_keep_head);
		SET(c, rc, CURLOPT_WRITEDATA, NULL);
	}
	if (p->on_progress != NULL) {
		SET(c, rc, CURLOPT_XFERINFOFUNCTION, p->on_progress);
		SET(c, rc, CURLOPT_XFERINFODATA, p->progress_ctx);
		SET(c, rc, CURLOPT_NOPROGRESS, 0L);
	}
	if (rc == CURLE_OK)
		rc = curl_easy_perform(c);
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http_status) != CURLE_OK)
		*http_status = 0;
	return rc;
}

#undef SET

cf_status http_client_failure(CURLcode rc)
{
	return rc == CURLE_OPERATION_TIMEDOUT ? CF_E_TIMEOUT : CF_E_UPSTREAM;
}

size_t http_client_collect(char *data, size_t size, size_t nmemb, void *buf)
{
	size_t n = size * nmemb;
	return buf_append(buf, data, n) == CF_OK ? n : 0;
}

/* With no buffer (buf NULL) everything is dropped. */
size_t http_client_keep_head(char *data, size_t size, size_t nmemb, void *buf)
{
	struct buf *b = buf;
	size_t n = size * nmemb;
	size_t room = (b != NULL && b->len < b->max) ? b->max - b->len : 0;
	if (room > 0 && buf_append(b, data, n < room ? n : room) != CF_OK)
		return 0;   /* out of memory below the ceiling */
	return n;
}
