/* webhooks_payload.h - what a webhook delivery carries: the envelope every
 * event shares, {"id", "type", "created", "team", "data"}, and the data of
 * each event of the domain, built from the rows store_webhooks.h reads.
 * The one builder of the envelope, for queued events (webhooks.c) and for
 * confabctl's ping alike. */
#ifndef CONFAB_WEBHOOKS_PAYLOAD_H
#define CONFAB_WEBHOOKS_PAYLOAD_H

#include <json-c/json.h>

#include "jobs.h"
#include "status.h"
#include "store_webhooks.h"

/* The envelope of one event under a fresh event id, as the exact bytes
 * every delivery attempt sends: {"id": event id, "type": type, "created":
 * the Unix time now, "team": team_slug, "data": data} (plain JSON, "/" not
 * escaped). data is borrowed (NULL: {}); the event id goes to
 * event_id_out, the text to *body_out (caller frees). On a failure (no
 * random bytes for the id) *body_out stays NULL. */
cf_status webhooks_envelope(const char *type, const char *team_slug, struct json_object *data, char event_id_out[37],
                            char **body_out) CF_MUST_CHECK;

/* The data of each event; the caller owns the object returned (one
 * reference). Rows and job are borrowed. */
/* session.started, session.ended: {"session": {"id", "chatbot_id",
 * "participant", "platform", "status"}} */
struct json_object *webhooks_session_data(const struct webhook_session_row *row);
/* message.created: {"session_id", "message": {"id", "role", "content",
 * "created_at"}}; role by message_role.h. */
struct json_object *webhooks_message_data(const struct webhook_message_row *row);
/* task.completed / task.failed: {"task": {"id", "kind", "attempts",
 * "message_id" (when not 0), "error" (when set)}, "session_id" (when
 * session_external_id is not NULL)}. */
struct json_object *webhooks_task_data(const struct job *job, unsigned long long message_id, const char *error,
                                       const char *session_external_id);

#endif
