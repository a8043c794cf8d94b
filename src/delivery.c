/* delivery.c - the "deliver" job: sends a stored AI message over its
 * channel's transport. A failure is retried by the job table with back-off;
 * each attempt and its error are recorded on the job row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_kinds.h"
#include "store_channels.h"
#include "store_messages.h"
#include "transport_telegram.h"

static unsigned long long id_field(struct json_object *obj, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(obj, key, &v) ? (unsigned long long)json_object_get_int64(v) : 0;
}

cf_status job_deliver(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                      size_t errlen)
{
	char *message = NULL;
	struct channel_row channel;
	memset(&channel, 0, sizeof channel);
	struct json_object *ident;
	const char *identifier = json_object_object_get_ex(job->payload, "identifier", &ident)
	                                 ? json_object_get_string(ident)
	                                 : "";
	cf_status st = store_message_content(env->db, job->team_id, id_field(job->payload, "message_id"), &message);
	if (st == CF_OK)
		st = store_channel_get(env->db, job->team_id, id_field(job->payload, "channel_id"), &channel);
	if (st == CF_E_NOT_FOUND || (st == CF_OK && channel.deleted)) {
		snprintf(err, errlen, "the message or its channel is gone");
		st = CF_E_NOT_FOUND;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (strcmp(channel.platform, "telegram") != 0) {
		snprintf(err, errlen, "no transport for %s", channel.platform);
		st = CF_E_NOT_FOUND;
		goto out;
	}
	st = telegram_send(env->cfg->telegram_api_base, channel.secret, identifier, message, err, errlen);
	if (st == CF_OK) {
		*result = json_object_new_object();
		json_object_object_add(*result, "delivered", json_object_new_string(channel.platform));
	}
out:
	free(message);
	channel_row_free(&channel);
	return st;
}
