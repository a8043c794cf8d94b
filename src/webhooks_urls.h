/* webhooks_urls.h - which target URLs a webhook endpoint may have: the one
 * rule, checked when an endpoint is added and again before every delivery
 * (a stored URL that no longer passes is never fetched). */
#ifndef CONFAB_WEBHOOKS_URLS_H
#define CONFAB_WEBHOOKS_URLS_H

#include <stdbool.h>

/* True for an http:// or https:// URL with a host part, at most
 * CF_WEBHOOK_URL_MAX bytes, without spaces or control bytes. */
bool webhooks_url_valid(const char *url);

#endif
