/* webhooks_payload.c - the webhook envelope and each event's data (see
 * webhooks_payload.h). */
#include "webhooks_payload.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "ids.h"
#include "message_role.h"
#include "timefmt.h"
#include "xalloc.h"

cf_status webhooks_envelope(const char *type, const char *team_slug, struct json_object *data, char event_id_out[37],
                            char **body_out)
{
	char event_id[UUID_STR_LEN + 1];
	*body_out = NULL;
	cf_status st = uuid4_generate(event_id);
	if (st != CF_OK)
		return st;
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "id", json_object_new_string(event_id));
	json_object_object_add(body, "type", json_object_new_string(type));
	json_object_object_add(body, "created", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(body, "team", json_object_new_string(team_slug));
	json_object_object_add(body, "data", data ? json_object_get(data) : json_object_new_object());
	*body_out = xstrdup(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(body);
	memcpy(event_id_out, event_id, sizeof event_id);
	return CF_OK;
}

struct json_object *webhooks_session_data(const struct webhook_session_row *row)
{
	struct json_object *data = json_object_new_object(), *s = json_object_new_object();
	json_object_object_add(s, "id", json_object_new_string(row->external_id));
	json_object_object_add(s, "chatbot_id", json_object_new_string(row->chatbot_id));
	json_object_object_add(s, "participant", json_object_new_string(row->participant));
	json_object_object_add(s, "platform", json_object_new_string(row->platform));
	json_object_object_add(s, "status", json_object_new_string(row->status));
	json_object_object_add(data, "session", s);
	return data;
}

struct json_object *webhooks_message_data(const struct webhook_message_row *row)
{
	char iso[ISO_TIME_MAX];
	struct json_object *data = json_object_new_object(), *m = json_object_new_object();
	json_object_object_add(data, "session_id", json_object_new_string(row->session_external_id));
	json_object_object_add(m, "id", json_object_new_int64((int64_t)row->id));
	json_object_object_add(m, "role", json_object_new_string(message_role_name(row->message_type)));
	json_object_object_add(m, "content", json_object_new_string(row->content));
	json_object_object_add(m, "created_at",
	                       db_time_to_iso(row->created_at, iso) ? json_object_new_string(iso) : NULL);
	json_object_object_add(data, "message", m);
	return data;
}

struct json_object *webhooks_task_data(const struct job *job, unsigned long long message_id, const char *error,
                                       const char *session_external_id)
{
	struct json_object *data = json_object_new_object(), *t = json_object_new_object();
	json_object_object_add(t, "id", json_object_new_string(job->task_id));
	json_object_object_add(t, "kind", json_object_new_string(job->kind));
	json_object_object_add(t, "attempts", json_object_new_int(job->attempts));
	if (message_id != 0)
		json_object_object_add(t, "message_id", json_object_new_int64((int64_t)message_id));
	if (error != NULL)
		json_object_object_add(t, "error", json_object_new_string(error));
	json_object_object_add(data, "task", t);
	if (session_external_id != NULL)
		json_object_object_add(data, "session_id", json_object_new_string(session_external_id));
	return data;
}
