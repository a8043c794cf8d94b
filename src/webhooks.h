/* webhooks.h - a team's lifecycle events as signed webhooks (README,
 * "Webhooks"). An event is emitted inside the transaction of its effect:
 * one "webhook" job per matching endpoint is queued in the jobs table, so
 * an event is delivered when and only when its effect commits, by the task
 * runners, with retries and back-off, under the same event id each time.
 *
 * Events: session.started, session.ended, message.created (human, AI and
 * system messages), task.completed, task.failed (the chat widget's replies
 * and trigger_bot jobs), and ping (confabctl webhook test, delivered at
 * once rather than queued). */
#ifndef CONFAB_WEBHOOKS_H
#define CONFAB_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "config.h"
#include "db.h"
#include "jobs.h"
#include "status.h"

#define WEBHOOK_SESSION_STARTED "session.started"
#define WEBHOOK_SESSION_ENDED "session.ended"
#define WEBHOOK_MESSAGE_CREATED "message.created"
#define WEBHOOK_TASK_COMPLETED "task.completed"
#define WEBHOOK_TASK_FAILED "task.failed"
#define WEBHOOK_PING "ping"

/* True for the event types an endpoint may subscribe to. */
bool webhooks_event_known(const char *event);
/* True for an http(s) URL of bounded length without spaces or controls. */
bool webhooks_url_valid(const char *url);

/* Queues event for every active endpoint of team that wants it; data
 * (borrowed) becomes the body's "data". Call inside the transaction of the
 * event's effect. *queued (may be NULL) gets the jobs queued; event_id_out
 * (may be NULL) the event id. */
cf_status webhooks_emit(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *event,
                        struct json_object *data, int *queued, char event_id_out[37]) CF_MUST_CHECK;

/* A hint for the rest of this request: team had no webhook endpoint when
 * the request's first read looked (store_chatbots.h, the turn hints), so
 * its events are not looked up again. An endpoint added meanwhile sees its
 * first events from the next request on. The dispatcher clears the hint
 * after every request (webhooks_hint_clear). */
void webhooks_hint_no_endpoints(unsigned long long team_id);
void webhooks_hint_clear(void);

/* The events of the domain, each inside the caller's transaction. */
cf_status webhooks_session_event(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                 const char *event) CF_MUST_CHECK;
cf_status webhooks_message_created(struct db *db, unsigned long long team_id,
                                   unsigned long long message_id) CF_MUST_CHECK;
/* task.completed (message_id: the message it produced, 0 = none) or
 * task.failed (error set) of a job; nothing for kinds that are not tasks. */
cf_status webhooks_task_settled(struct db *db, const struct job *job, unsigned long long message_id,
                                const char *error) CF_MUST_CHECK;

/* Lower-case hex HMAC-SHA256(secret, "<t>.<body>") into out. */
void webhooks_sign(const char *secret, long long t, const char *body, char out[65]);

/* One delivery attempt: POST body to url with the signature headers, no
 * redirects, bounded times. *http_status gets the status (0 when none).
 * CF_OK for a 2xx answer; CF_E_UPSTREAM / CF_E_TIMEOUT otherwise, with the
 * reason in err. */
cf_status webhooks_post(const char *url, const char *secret, const char *event_id, const char *type,
                        const char *body, long *http_status, char *err, size_t errlen) CF_MUST_CHECK;

/* Back-off before retry n (1-based) of a delivery: webhook_retry_base_seconds
 * doubled each time, capped at an hour, +-25% jitter. */
long webhooks_backoff_ms(const struct config *cfg, int attempt);

#endif
