/* webhooks_events.c - the event types an endpoint may subscribe to (see
 * webhooks_events.h). */
#include "webhooks_events.h"

#include <stddef.h>
#include <string.h>

static const char *const EVENTS[] = {WEBHOOK_SESSION_STARTED, WEBHOOK_SESSION_ENDED, WEBHOOK_MESSAGE_CREATED,
                                     WEBHOOK_TASK_COMPLETED, WEBHOOK_TASK_FAILED, NULL};

bool webhooks_event_known(const char *event)
{
	for (const char *const *e = EVENTS; *e; e++)
		if (strcmp(*e, event) == 0)
			return true;
	return false;
}
