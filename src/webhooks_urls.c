/* webhooks_urls.c - the rule for a webhook endpoint's URL (see
 * webhooks_urls.h). */
#include "webhooks_urls.h"

#include <string.h>

#include "limits.h"

bool webhooks_url_valid(const char *url)
{
	size_t n = strlen(url);
	if (n > CF_WEBHOOK_URL_MAX)
		return false;
	size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
	if (scheme == 0 || n == scheme || url[scheme] == '/')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return false;
	return true;
}
