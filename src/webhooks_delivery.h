/* webhooks_delivery.h - delivering a webhook: one signed POST of an
 * event's body to an endpoint over the shared libcurl setup
 * (http_client.h), the back-off between attempts, and the "webhook" job
 * (job_kinds.h job_webhook) that runs one attempt of one event to one
 * endpoint. */
#ifndef CONFAB_WEBHOOKS_DELIVERY_H
#define CONFAB_WEBHOOKS_DELIVERY_H

#include <stddef.h>

#include "config.h"
#include "status.h"

/* One delivery attempt: POST body to url with the signature headers
 * (webhooks_sign.h) and Confab-Event-Id / Confab-Event-Type, no redirects,
 * CF_WEBHOOK_CONNECT_TIMEOUT_MS / CF_WEBHOOK_TIMEOUT_MS. Every argument is
 * borrowed. *http_status gets the status (0 when none). CF_OK for a 2xx
 * answer; CF_E_BAD_REQUEST for a URL webhooks_url_valid refuses (nothing
 * is sent); CF_E_UPSTREAM / CF_E_TIMEOUT otherwise, with the reason (and
 * the first CF_WEBHOOK_RESPONSE_KEEP bytes of a refusal) in err. */
cf_status webhooks_post(const char *url, const char *secret, const char *event_id, const char *type,
                        const char *body, long *http_status, char *err, size_t errlen) CF_MUST_CHECK;

/* Back-off before retry n (1-based) of a delivery: webhook_retry_base_seconds
 * doubled each time, capped at an hour, +-25% jitter. */
long webhooks_backoff_ms(const struct config *cfg, int attempt);

#endif
