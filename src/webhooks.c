/* webhooks.c - emitting lifecycle events: which endpoints want an event,
 * and one queued "webhook" job for each, with the event's effect (see
 * webhooks.h). */
#include "webhooks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "log.h"
#include "store_webhooks.h"
#include "webhooks_payload.h"

static unsigned long long hint_no_endpoints_team;   /* 0 = no hint */

void webhooks_hint_no_endpoints(unsigned long long team_id)
{
	hint_no_endpoints_team = team_id;
}

void webhooks_hint_clear(void)
{
	hint_no_endpoints_team = 0;
}

/* The endpoints of team that want event into *out (caller frees with
 * webhook_targets_free, also after a failure); none, without a lookup,
 * under this request's hint. */
static cf_status targets_for(struct db *db, unsigned long long team_id, const char *event,
                             struct webhook_targets *out)
{
	if (team_id != 0 && team_id == hint_no_endpoints_team) {
		memset(out, 0, sizeof *out);
		return CF_OK;
	}
	return store_webhook_targets(db, team_id, event, out);
}

/* Queues one "webhook" job per target (at most CF_WEBHOOK_MAX_FANOUT, the
 * team's oldest endpoints) carrying the event's envelope; data is
 * borrowed. *queued gets the jobs queued, event_id_out the event id. */
static cf_status queue_event(struct db *db, const struct webhook_targets *targets, unsigned long long team_id,
                             unsigned long long session_id, const char *event, struct json_object *data,
                             int *queued, char event_id_out[37])
{
	char event_id[37];
	char *body = NULL;
	struct json_object *payload = NULL;
	*queued = 0;
	cf_status st = webhooks_envelope(event, targets->team_slug, data, event_id, &body);
	if (st != CF_OK)
		goto out;
	/* The body is stored as text: every attempt sends the same bytes. */
	payload = json_object_new_object();
	json_object_object_add(payload, "event_id", json_object_new_string(event_id));
	json_object_object_add(payload, "type", json_object_new_string(event));
	json_object_object_add(payload, "body", json_object_new_string(body));
	size_t fanout = targets->count;
	if (fanout > CF_WEBHOOK_MAX_FANOUT) {
		log_warn("webhooks: team %llu has %zu endpoints for %s; delivering to the first %d", team_id, fanout, event,
		         CF_WEBHOOK_MAX_FANOUT);
		fanout = CF_WEBHOOK_MAX_FANOUT;
	}
	for (size_t r = 0; st == CF_OK && r < fanout; r++) {
		json_object_object_add(payload, "endpoint_id", json_object_new_int64((int64_t)targets->endpoint_ids[r]));
		st = jobs_enqueue(db, team_id, session_id, "webhook", payload, CF_WEBHOOK_ATTEMPTS, 0, NULL);
		*queued += st == CF_OK;
	}
	if (st == CF_OK && event_id_out != NULL)
		memcpy(event_id_out, event_id, sizeof event_id);
out:
	free(body);
	json_object_put(payload);
	return st;
}

cf_status webhooks_emit(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *event,
                        struct json_object *data, int *queued, char event_id_out[37])
{
	struct webhook_targets targets;
	int n = 0;
	cf_status st = targets_for(db, team_id, event, &targets);
	if (st == CF_OK && targets.count > 0)
		st = queue_event(db, &targets, team_id, session_id, event, data, &n, event_id_out);
	if (queued != NULL)
		*queued = n;
	webhook_targets_free(&targets);
	return st;
}

cf_status webhooks_session_event(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                 const char *event)
{
	struct webhook_targets targets;
	struct webhook_session_row row;
	int n = 0;
	cf_status st = targets_for(db, team_id, event, &targets);
	if (st == CF_OK && targets.count > 0 && (st = store_webhook_session(db, team_id, session_id, &row)) == CF_OK) {
		struct json_object *data = webhooks_session_data(&row);
		st = queue_event(db, &targets, team_id, session_id, event, data, &n, NULL);
		json_object_put(data);
	}
	webhook_targets_free(&targets);
	return st;
}

cf_status webhooks_message_created(struct db *db, unsigned long long team_id, unsigned long long message_id)
{
	struct webhook_targets targets;
	struct webhook_message_row row;
	memset(&row, 0, sizeof row);
	int n = 0;
	cf_status st = targets_for(db, team_id, WEBHOOK_MESSAGE_CREATED, &targets);
	if (st == CF_OK && targets.count > 0 && (st = store_webhook_message(db, team_id, message_id, &row)) == CF_OK) {
		struct json_object *data = webhooks_message_data(&row);
		st = queue_event(db, &targets, team_id, 0, WEBHOOK_MESSAGE_CREATED, data, &n, NULL);
		json_object_put(data);
	}
	webhook_message_row_free(&row);
	webhook_targets_free(&targets);
	return st;
}

/* The "message_id" of a job's result, 0 when it has none. */
static unsigned long long result_message_id(struct json_object *result)
{
	struct json_object *v;
	return (result != NULL && json_object_object_get_ex(result, "message_id", &v) &&
	        json_object_is_type(v, json_type_int))
	               ? (unsigned long long)json_object_get_int64(v)
	               : 0;
}

cf_status webhooks_task_settled(struct db *db, const struct job *job, struct json_object *result, const char *error)
{
	const char *event = error ? WEBHOOK_TASK_FAILED : WEBHOOK_TASK_COMPLETED;
	struct webhook_targets targets;
	struct webhook_session_row session;
	int n = 0;
	cf_status st = targets_for(db, job->team_id, event, &targets);
	if (st == CF_OK && targets.count > 0) {
		bool has_session = job->session_id != 0 &&
		                   store_webhook_session(db, job->team_id, job->session_id, &session) == CF_OK;
		struct json_object *data = webhooks_task_data(job, result_message_id(result), error,
		                                              has_session ? session.external_id : NULL);
		st = queue_event(db, &targets, job->team_id, job->session_id, event, data, &n, NULL);
		json_object_put(data);
	}
	webhook_targets_free(&targets);
	return st;
}
