/* channels.c - sessions, merges and the trigger_bot job (see channels.h). */
#include "channels.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chatbots.h"
#include "conversation.h"
#include "ids.h"
#include "job_kinds.h"
#include "jobs.h"
#include "limits.h"
#include "log.h"
#include "store_channels.h"
#include "store_jobs.h"
#include "store_participants.h"
#include "store_sessions.h"
#include "webhooks.h"

static const char *const PLATFORMS[] = {"telegram", "web", "whatsapp", "facebook", "sureadhere", "api", "slack",
                                        "commcare_connect", "evaluations", "embedded_widget", NULL};

bool channels_platform_known(const char *platform)
{
	for (const char *const *p = PLATFORMS; *p; p++)
		if (strcmp(*p, platform) == 0)
			return true;
	return false;
}

void channels_normalise_identifier(const char *platform, char *identifier)
{
	if (strcmp(platform, "commcare_connect") == 0)
		for (char *p = identifier; *p; p++)
			*p = (char)tolower((unsigned char)*p);
}

static void copy_session(const struct session_row *row, struct channel_session *out)
{
	out->id = row->id;
	out->chat_id = row->chat_id;
	out->participant_id = row->participant_id;
	snprintf(out->external_id, sizeof out->external_id, "%s", row->external_id);
}

static cf_status create_session(struct db *db, const struct channel_party *who, struct channel_session *out)
{
	/* The API channel is looked up only here: a message that continues a
	 * session never needs it. */
	unsigned long long channel_id = who->channel_id;
	cf_status st = CF_OK;
	if (channel_id == 0 && who->team_slug != NULL)
		st = store_api_channel(db, who->team_id, who->team_slug, &channel_id);
	if (st == CF_OK)
		st = uuid4_generate(out->external_id);
	out->participant_id = who->participant_hint;
	if (st == CF_OK && out->participant_id == 0)
		st = store_participant_upsert(db, who->team_id, who->platform, who->identifier, who->user_id,
		                              &out->participant_id);
	if (st == CF_OK)
		st = store_chat_create(db, who->team_id, who->chatbot->name, false, NULL, &out->chat_id);
	struct session_new s = {
		.team_id = who->team_id, .external_id = out->external_id, .chatbot_id = who->chatbot->id,
		.participant_id = out->participant_id, .channel_id = channel_id, .chat_id = out->chat_id,
		.status = "setup", .platform = who->platform, .state_json = NULL,
	};
	if (st == CF_OK)
		st = store_session_create(db, &s, &out->id);
	if (st == CF_OK)
		st = webhooks_session_event(db, who->team_id, out->id, WEBHOOK_SESSION_STARTED);
	return st;
}

struct session_for_tx {
	const struct channel_party *who;
	bool start_new;
	struct channel_session *out;
};

static cf_status session_for_in_tx(struct db *db, void *ctx)
{
	struct session_for_tx *x = ctx;
	struct session_row row;
	memset(x->out, 0, sizeof *x->out);
	cf_status st = CF_OK;
	bool found = false;
	if (x->who->open_known) {   /* read with the chatbot, earlier in this request */
		found = x->who->open.id != 0;
		if (found)
			*x->out = x->who->open;
	} else {
		st = store_latest_open_session(db, x->who->team_id, x->who->chatbot->id, x->who->identifier, &row);
		found = st == CF_OK;
		if (found)
			copy_session(&row, x->out);
	}
	if (st == CF_E_NOT_FOUND)
		st = CF_OK;
	if (st == CF_OK && found && x->start_new)
		st = store_session_end(db, x->out->id);
	if (st == CF_OK && found && x->start_new)
		st = webhooks_session_event(db, x->who->team_id, x->out->id, WEBHOOK_SESSION_ENDED);
	if (st == CF_OK && (!found || x->start_new)) {
		memset(x->out, 0, sizeof *x->out);
		st = create_session(db, x->who, x->out);
	}
	return st;
}

cf_status channels_session_for(struct db *db, const struct channel_party *who, bool start_new,
                               struct channel_session *out)
{
	struct session_for_tx x = {who, start_new, out};
	return db_transaction(db, session_for_in_tx, &x);
}

static cf_status new_session_in_tx(struct db *db, void *ctx)
{
	struct session_for_tx *x = ctx;
	memset(x->out, 0, sizeof *x->out);
	return create_session(db, x->who, x->out);
}

cf_status channels_new_session(struct db *db, const struct channel_party *who, struct channel_session *out)
{
	struct session_for_tx x = {who, true, out};
	return db_transaction(db, new_session_in_tx, &x);
}

struct reset_tx {
	const struct channel_party *who;
	unsigned long long old_id;
	struct channel_session *out;
};

static cf_status reset_in_tx(struct db *db, void *ctx)
{
	struct reset_tx *x = ctx;
	memset(x->out, 0, sizeof *x->out);
	cf_status st = store_session_end(db, x->old_id);
	if (st == CF_OK)
		st = webhooks_session_event(db, x->who->team_id, x->old_id, WEBHOOK_SESSION_ENDED);
	if (st == CF_OK)
		st = create_session(db, x->who, x->out);
	return st;
}

cf_status channels_reset_session(struct db *db, const struct channel_party *who, unsigned long long session_id,
                                 struct channel_session *out)
{
	struct reset_tx x = {who, session_id, out};
	return db_transaction(db, reset_in_tx, &x);
}

/* A JSON object text parsed, or a new empty object. Caller owns it. */
static struct json_object *object_from(const char *text)
{
	struct json_object *obj = json_tokener_parse(text ? text : "{}");
	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		obj = json_object_new_object();
	}
	return obj;
}

static void shallow_merge(struct json_object *into, struct json_object *from)
{
	json_object_object_foreach(from, key, val) json_object_object_add(into, key, json_object_get(val));
}

struct merge_pdata_tx {
	const struct channel_party *who;
	struct json_object *data;
};

static cf_status merge_pdata_in_tx(struct db *db, void *ctx)
{
	const struct merge_pdata_tx *x = ctx;
	const struct channel_party *who = x->who;
	unsigned long long participant_id = 0;
	char *stored = NULL;
	cf_status st = store_participant_upsert(db, who->team_id, who->platform, who->identifier, who->user_id,
	                                        &participant_id);
	if (st == CF_OK)
		st = store_participant_data_lock(db, participant_id, who->chatbot->id, &stored);
	bool existed = st == CF_OK;
	if (st == CF_E_NOT_FOUND)
		st = CF_OK;
	if (st == CF_OK && (!existed || json_object_object_length(x->data) > 0)) {
		struct json_object *merged = object_from(existed ? stored : "{}");
		shallow_merge(merged, x->data);
		st = store_participant_data_put(db, who->team_id, participant_id, who->chatbot->id,
		                                json_object_to_json_string_ext(merged, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(merged);
	}
	free(stored);
	return st;
}

cf_status channels_merge_participant_data(struct db *db, const struct channel_party *who, struct json_object *data)
{
	struct merge_pdata_tx x = {who, data};
	return db_transaction(db, merge_pdata_in_tx, &x);
}

struct merge_state_tx {
	unsigned long long session_id;
	struct json_object *session_data;   /* NULL or empty: none */
	struct json_object *page_context;   /* NULL: none */
};

static cf_status merge_state_in_tx(struct db *db, void *ctx)
{
	const struct merge_state_tx *x = ctx;
	char *stored = NULL;
	cf_status st = store_session_state_lock(db, x->session_id, &stored);
	if (st == CF_OK) {
		struct json_object *state = object_from(stored);
		if (x->session_data != NULL)
			shallow_merge(state, x->session_data);
		if (x->page_context != NULL)
			json_object_object_add(state, "page_context", json_object_get(x->page_context));
		st = store_session_state_put(db, x->session_id, json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(state);
	}
	free(stored);
	return st;
}

cf_status channels_merge_state(struct db *db, unsigned long long session_id, struct json_object *session_data,
                               struct json_object *page_context)
{
	bool has_data = session_data != NULL && json_object_object_length(session_data) > 0;
	if (!has_data && page_context == NULL)
		return CF_OK;
	struct merge_state_tx x = {session_id, has_data ? session_data : NULL, page_context};
	return db_transaction(db, merge_state_in_tx, &x);
}

/* ---- the trigger_bot job ---- */

static const char *str_field(struct json_object *obj, const char *key)
{
	struct json_object *v;
	return (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
	               ? json_object_get_string(v)
	               : "";
}

static struct json_object *obj_field(struct json_object *obj, const char *key)
{
	struct json_object *v;
	return (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_object)) ? v : NULL;
}

/* Where the stored message goes next: a delivery job, the widget's poll,
 * or nowhere (no transport for the platform). */
static cf_status route_delivery(const struct job_env *env, const struct job *job, const char *platform,
                                unsigned long long channel_id, const char *identifier,
                                unsigned long long message_id, unsigned long long session_id, const char **how)
{
	if (strcmp(platform, "embedded_widget") == 0) {
		*how = "stored for the widget's poll";
		return CF_OK;
	}
	if (strcmp(platform, "telegram") != 0) {
		*how = "undelivered: no transport for this platform";
		log_warn("job %s: no %s transport; message %llu stored, not delivered", job->task_id, platform, message_id);
		return CF_OK;
	}
	*how = "queued for delivery";
	struct json_object *payload = json_object_new_object();
	json_object_object_add(payload, "message_id", json_object_new_int64((int64_t)message_id));
	json_object_object_add(payload, "channel_id", json_object_new_int64((int64_t)channel_id));
	json_object_object_add(payload, "identifier", json_object_new_string(identifier));
	cf_status st = jobs_enqueue(env->db, job->team_id, session_id, "deliver", payload, CF_DELIVER_ATTEMPTS, 0, NULL);
	json_object_put(payload);
	return st;
}

/* What the trigger job settles with its stored message. */
struct trigger_settle {
	const struct job_env *env;
	const struct job *job;
	const char *platform;
	unsigned long long channel_id;
	const char *identifier;
	const struct channel_session *session;
};

/* Inside the message's transaction: queue its delivery and mark the job
 * done, so that a retry can neither store nor deliver it twice. */
static cf_status settle_trigger(void *ctx, struct db *db, unsigned long long ai_message_id)
{
	const struct trigger_settle *s = ctx;
	const char *how = "";
	cf_status st = route_delivery(s->env, s->job, s->platform, s->channel_id, s->identifier, ai_message_id,
	                              s->session->id, &how);
	if (st != CF_OK)
		return st;
	struct json_object *result = json_object_new_object();
	json_object_object_add(result, "session_id", json_object_new_string(s->session->external_id));
	json_object_object_add(result, "message_id", json_object_new_int64((int64_t)ai_message_id));
	json_object_object_add(result, "delivery", json_object_new_string(how));
	st = jobs_done_in_tx(db, s->job, s->env->me, result);   /* and task.completed: the kind's hook */
	json_object_put(result);
	return st;
}

cf_status job_trigger_bot(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                          size_t errlen)
{
	struct json_object *p = job->payload, *v;
	struct chatbot_row chatbot;
	struct chatbot_version bot;
	struct conversation_reply reply;
	memset(&bot, 0, sizeof bot);
	memset(&reply, 0, sizeof reply);
	unsigned long long experiment_id = 0, channel_id = 0;
	if (json_object_object_get_ex(p, "experiment_id", &v))
		experiment_id = (unsigned long long)json_object_get_int64(v);
	if (json_object_object_get_ex(p, "channel_id", &v))
		channel_id = (unsigned long long)json_object_get_int64(v);
	const char *platform = str_field(p, "platform");
	const char *identifier = str_field(p, "identifier");
	cf_status st = chatbots_resolve_version(env->db, job->team_id, experiment_id, CHATBOT_VERSION_DEFAULT, &chatbot,
	                                        &bot);
	if (st != CF_OK && chatbot.id == 0) {
		snprintf(err, errlen, "the chatbot is gone");
		goto out;
	}
	if (st != CF_OK) {
		snprintf(err, errlen, "the chatbot has no version to answer with");
		goto out;
	}
	struct channel_party party = {
		.team_id = job->team_id, .chatbot = &chatbot, .channel_id = channel_id, .platform = platform,
		.identifier = identifier,
	};
	struct channel_session session;
	memset(&session, 0, sizeof session);
	struct session_row row;
	if (job->session_id != 0 && store_session_by_id(env->db, job->team_id, job->session_id, &row) == CF_OK) {
		copy_session(&row, &session);   /* chosen by the request (or, for a job queued before, a first attempt) */
	} else {
		struct json_object *sn;
		bool start_new = json_object_object_get_ex(p, "start_new_session", &sn) && json_object_get_boolean(sn);
		st = channels_session_for(env->db, &party, start_new, &session);
		if (st == CF_OK)
			st = store_job_set_session(env->db, job->id, session.id);
		if (st != CF_OK) {
			snprintf(err, errlen, "could not open a session: %s", db_last_error(env->db));
			goto out;
		}
	}
	/* A channel switched off after the request is not written to either
	 * (upstream's ad_hoc_bot_message): done, nothing stored or sent. */
	struct channel_row channel;
	bool disabled = channel_id != 0 && store_channel_get(env->db, job->team_id, channel_id, &channel) == CF_OK &&
	                channel.disabled;
	if (channel_id != 0)
		channel_row_free(&channel);
	if (disabled) {
		log_info("job %s: channel %llu is disabled; nothing sent", job->task_id, channel_id);
		*result = json_object_new_object();
		json_object_object_add(*result, "session_id", json_object_new_string(session.external_id));
		json_object_object_add(*result, "delivery", json_object_new_string("not sent: the channel is disabled"));
		goto out;
	}
	st = channels_merge_state(env->db, session.id, obj_field(p, "session_data"), obj_field(p, "page_context"));
	if (st != CF_OK) {
		snprintf(err, errlen, "could not update the session state");
		goto out;
	}
	struct trigger_settle settle = {env, job, platform, channel_id, identifier, &session};
	struct conversation_turn turn = {
		.team_id = job->team_id,
		.session_id = session.id,
		.chat_id = session.chat_id,
		.participant_id = session.participant_id,
		.experiment_id = chatbot.id,
		.bot = &bot,
		.on_stored = settle_trigger,
		.on_stored_ctx = &settle,
		.store_patience_s = CF_RUNNER_SETTLE_PATIENCE_S,
	};
	/* settled with the message (result stays NULL) */
	struct json_object *direct = NULL;
	if (json_object_object_get_ex(p, "message_text", &direct) && json_object_is_type(direct, json_type_string))
		st = conversation_direct_message(env->db, &turn, json_object_get_string(direct), &reply);
	else
		st = conversation_event_message(env->db, &turn, str_field(p, "prompt_text"), &reply);
	if (st != CF_OK)
		snprintf(err, errlen, "generating or storing the message failed (%s)", cf_status_name(st));
out:
	conversation_reply_free(&reply);
	chatbot_version_free(&bot);
	return st;
}
