/* participants.c - a participant's name, data and scheduled messages set
 * in one transaction (POST /api/participants), and the scheduled_message
 * job: at a schedule's time it queues the message's generation and
 * delivery (the trigger_bot job) exactly once. */
#include "participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "job_kinds.h"
#include "log.h"
#include "store_channels.h"
#include "store_participants.h"
#include "store_schedules.h"

void participant_update_free(struct participant_update *rq)
{
	for (size_t i = 0; rq->items != NULL && i < rq->nitems; i++)
		free(rq->items[i].schedules);
	free(rq->items);
	rq->items = NULL;
	rq->nitems = 0;
}

/* A new schedule's id when none was sent: upstream's hash of (name,
 * chatbot, participant) cut to 5 characters, salted again while taken. */
static cf_status new_external_id(struct db *db, const char *name, unsigned long long chatbot_id,
                                 unsigned long long participant_id, char out[CF_SCHEDULE_ID_MAX + 1])
{
	for (int salt = 0; salt < 20; salt++) {
		char input[CF_SCHEDULE_NAME_MAX * 4 + 80], digest[65];
		int n = snprintf(input, sizeof input, "%s:%llu:%llu:%d", name, chatbot_id, participant_id, salt);
		sha256_hex(input, n > 0 && (size_t)n < sizeof input ? (size_t)n : strlen(input), digest);
		snprintf(out, CF_SCHEDULE_ID_MAX + 1, "%.5s", digest);
		bool taken = false;
		cf_status st = store_schedule_exists(db, participant_id, chatbot_id, out, &taken);
		if (st != CF_OK || !taken)
			return st;
	}
	return CF_E_CONFLICT;
}

/* Creates or updates one schedule and queues its send at its date; the
 * payload's version makes every earlier job of the schedule a no-op. */
static cf_status put_schedule(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                              unsigned long long participant_id, const struct schedule_request *s)
{
	char external_id[CF_SCHEDULE_ID_MAX + 1];
	cf_status st = CF_OK;
	if (s->id != NULL)
		snprintf(external_id, sizeof external_id, "%s", s->id);
	else
		st = new_external_id(db, s->name, chatbot_id, participant_id, external_id);
	unsigned long long id = 0;
	unsigned version = 0;
	if (st == CF_OK)
		st = store_schedule_put(db, team_id, chatbot_id, participant_id, external_id, s->name, s->prompt,
		                        s->date_db, &id, &version);
	if (st != CF_OK)
		return st;
	struct json_object *payload = json_object_new_object();
	json_object_object_add(payload, "schedule_id", json_object_new_int64((int64_t)id));
	json_object_object_add(payload, "version", json_object_new_int64(version));
	st = jobs_enqueue_at(db, team_id, 0, "scheduled_message", payload, CF_SCHEDULED_ATTEMPTS, s->date_db, NULL);
	json_object_put(payload);
	return st;
}

struct update_tx {
	unsigned long long team_id;
	unsigned long long user_id;
	const struct participant_update *rq;
	unsigned long long *participant_id;
};

static cf_status update_in_tx(struct db *db, void *ctx)
{
	const struct update_tx *x = ctx;
	const struct participant_update *rq = x->rq;
	unsigned long long pid = 0;
	cf_status st = store_participant_upsert(db, x->team_id, rq->platform, rq->identifier, 0, &pid);
	if (st == CF_OK && rq->name != NULL)
		st = store_participant_set_name(db, pid, rq->name);
	for (size_t i = 0; st == CF_OK && i < rq->nitems; i++) {
		const struct participant_item *it = &rq->items[i];
		if (it->data != NULL)
			st = store_participant_data_put(db, x->team_id, pid, it->chatbot_id,
			                                json_object_to_json_string_ext(it->data, JSON_C_TO_STRING_PLAIN |
			                                                                             JSON_C_TO_STRING_NOSLASHESCAPE));
		else
			st = store_participant_data_ensure(db, x->team_id, pid, it->chatbot_id);
		/* upstream's order: the cancellations, then the updates and
		 * creates (so an id both created and deleted in one request is
		 * created; one both updated and deleted stays cancelled) */
		for (size_t k = 0; st == CF_OK && k < it->nschedules; k++)
			if (it->schedules[k].delete_it)
				st = store_schedule_cancel(db, pid, it->chatbot_id, it->schedules[k].id, x->user_id);
		for (size_t k = 0; st == CF_OK && k < it->nschedules; k++)
			if (!it->schedules[k].delete_it)
				st = put_schedule(db, x->team_id, it->chatbot_id, pid, &it->schedules[k]);
	}
	if (st == CF_OK)
		*x->participant_id = pid;
	return st;
}

cf_status participants_update(struct db *db, unsigned long long team_id, unsigned long long user_id,
                              const struct participant_update *rq, unsigned long long *participant_id)
{
	struct update_tx x = {team_id, user_id, rq, participant_id};
	return db_transaction(db, update_in_tx, &x);
}

/* ---- the scheduled_message job ---- */

struct send_tx {
	const struct job_env *env;
	const struct job *job;
	char *err;
	size_t errlen;
};

static unsigned long long payload_id(struct json_object *p, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(p, key, &v) ? (unsigned long long)json_object_get_int64(v) : 0;
}

/* Settles the job with {"skipped": why} in this transaction. */
static cf_status skip(const struct send_tx *x, struct db *db, const char *why)
{
	struct json_object *result = json_object_new_object();
	json_object_object_add(result, "skipped", json_object_new_string(why));
	cf_status st = jobs_done_in_tx(db, x->job, x->env->me, result);
	json_object_put(result);
	return st;
}

/* With the schedule locked: a current, unsent, uncancelled schedule gets a
 * trigger_bot job and sent_at in the transaction that settles this job, so
 * a rerun after a crash finds it sent or finds nothing done. */
static cf_status send_in_tx(struct db *db, void *ctx)
{
	const struct send_tx *x = ctx;
	const struct job *job = x->job;
	struct schedule_row s;
	struct channel_row channel;
	memset(&channel, 0, sizeof channel);
	struct json_object *payload = NULL, *result = NULL;
	cf_status st = store_schedule_lock(db, job->team_id, payload_id(job->payload, "schedule_id"), &s);
	if (st == CF_E_NOT_FOUND) {
		st = skip(x, db, "the schedule is gone");
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (s.version != (unsigned)payload_id(job->payload, "version")) {
		st = skip(x, db, "superseded by a later update of the schedule");
		goto out;
	}
	if (s.cancelled || s.sent) {
		st = skip(x, db, s.cancelled ? "cancelled" : "already sent");
		goto out;
	}
	st = store_chatbot_channel(db, job->team_id, s.experiment_id, s.platform, &channel);
	if (st == CF_E_NOT_FOUND || (st == CF_OK && channel.deleted)) {
		snprintf(x->err, x->errlen, "the chatbot has no %s channel", s.platform);
		st = CF_E_NOT_FOUND;   /* failed for good: nothing to send through */
		goto out;
	}
	if (st != CF_OK)
		goto out;
	payload = json_object_new_object();
	json_object_object_add(payload, "experiment_id", json_object_new_int64((int64_t)s.experiment_id));
	json_object_object_add(payload, "channel_id", json_object_new_int64((int64_t)channel.id));
	json_object_object_add(payload, "platform", json_object_new_string(s.platform));
	json_object_object_add(payload, "identifier", json_object_new_string(s.identifier));
	json_object_object_add(payload, "prompt_text", json_object_new_string(s.prompt_text));
	json_object_object_add(payload, "start_new_session", json_object_new_boolean(false));
	json_object_object_add(payload, "session_data", json_object_new_object());
	char task_id[37];
	st = jobs_enqueue(db, job->team_id, 0, "trigger_bot", payload, CF_TRIGGER_BOT_ATTEMPTS, 0, task_id);
	if (st == CF_OK)
		st = store_schedule_mark_sent(db, s.id);
	if (st != CF_OK)
		goto out;
	result = json_object_new_object();
	json_object_object_add(result, "trigger_task_id", json_object_new_string(task_id));
	st = jobs_done_in_tx(db, job, x->env->me, result);
out:
	json_object_put(payload);
	json_object_put(result);
	channel_row_free(&channel);
	schedule_row_free(&s);
	return st;
}

cf_status job_scheduled_message(const struct job_env *env, const struct job *job, struct json_object **result,
                                char *err, size_t errlen)
{
	(void)result;   /* settled in send_in_tx */
	struct send_tx x = {env, job, err, errlen};
	cf_status st = db_transaction(env->db, send_in_tx, &x);
	if (st != CF_OK && err[0] == '\0')
		snprintf(err, errlen, "the scheduled message could not be queued (%s)", cf_status_name(st));
	return st;
}
