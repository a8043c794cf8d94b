/* webhooks_events.h - the catalogue of webhook events: the type names an
 * event carries and which of them an endpoint may subscribe to. What each
 * event's data holds is in webhooks_payload.h; when each is emitted, in
 * webhooks.h. */
#ifndef CONFAB_WEBHOOKS_EVENTS_H
#define CONFAB_WEBHOOKS_EVENTS_H

#include <stdbool.h>

#define WEBHOOK_SESSION_STARTED "session.started"
#define WEBHOOK_SESSION_ENDED "session.ended"
#define WEBHOOK_MESSAGE_CREATED "message.created"
#define WEBHOOK_TASK_COMPLETED "task.completed"
#define WEBHOOK_TASK_FAILED "task.failed"
#define WEBHOOK_PING "ping"   /* confabctl webhook test only: not subscribable */

/* True for the event types an endpoint may subscribe to (every type above
 * but ping). */
bool webhooks_event_known(const char *event);

#endif
