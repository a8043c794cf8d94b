/* transport_telegram.h - sends a message with the Telegram Bot API
 * (sendMessage) over libcurl. The bot token is a secret: it is part of the
 * URL, so neither the URL nor curl's verbose output is ever logged. */
#ifndef CONFAB_TRANSPORT_TELEGRAM_H
#define CONFAB_TRANSPORT_TELEGRAM_H

#include <stddef.h>

#include "status.h"

/* CF_E_UPSTREAM / CF_E_TIMEOUT on a failure worth retrying (network, 429,
 * 5xx), CF_E_BAD_REQUEST when Telegram refused the message for good (4xx);
 * err receives the reason, without the token. */
cf_status telegram_send(const char *api_base, const char *token, const char *chat_id, const char *text, char *err,
                        size_t errlen) CF_MUST_CHECK;

#endif
