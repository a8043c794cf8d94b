/* webhooks.h - a team's lifecycle events as signed webhooks (README,
 * "Webhooks"): emitting them. An event is emitted inside the transaction
 * of its effect: one "webhook" job per matching endpoint is queued in the
 * jobs table, so an event is delivered when and only when its effect
 * commits, by the task runners, with retries and back-off, under the same
 * event id each time.
 *
 * Events: session.started, session.ended, message.created (human, AI and
 * system messages), task.completed, task.failed (the outcome of the job
 * kinds runner.c marks as tasks: the chat widget's replies and
 * trigger_bot), and ping (confabctl webhook test, delivered at once rather
 * than queued).
 *
 * The parts: the event catalogue (webhooks_events.h), the URL rule
 * (webhooks_urls.h), the envelope and each event's data
 * (webhooks_payload.h), the signature (webhooks_sign.h) and one delivery
 * (webhooks_delivery.h). This header brings the declarations of the
 * catalogue, the URL rule, the envelope and the delivery, for the callers
 * that speak to webhooks as a whole (confabctl's webhook commands). */
#ifndef CONFAB_WEBHOOKS_H
#define CONFAB_WEBHOOKS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "db.h"
#include "jobs.h"
#include "status.h"
#include "webhooks_delivery.h"
#include "webhooks_events.h"
#include "webhooks_payload.h"
#include "webhooks_urls.h"

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

/* The events of the domain, each inside the caller's transaction. Each
 * looks up the endpoints that want it once, and reads and builds its data
 * only when there is one. */
cf_status webhooks_session_event(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                 const char *event) CF_MUST_CHECK;
cf_status webhooks_message_created(struct db *db, unsigned long long team_id,
                                   unsigned long long message_id) CF_MUST_CHECK;
/* The job_settled_fn (jobs.h) of the job kinds that are tasks: emits
 * task.completed (error NULL; the task's "message_id" is the result's, when
 * it has one) or task.failed (error set). */
cf_status webhooks_task_settled(struct db *db, const struct job *job, struct json_object *result,
                                const char *error) CF_MUST_CHECK;

#endif
