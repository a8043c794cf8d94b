/* chat.c - the chat widget's domain (docs/API.md §10): session start, the
 * caller's access to a session, a message with its attachments, page context
 * and reply job in one transaction, the session poll, the reply task's
 * long-poll, uploads. The store is reached through the store_* modules. */
#include "chat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat_auth.h"
#include "jobs.h"
#include "limits.h"
#include "sessions.h"
#include "store_channels.h"
#include "store_files.h"
#include "store_messages.h"
#include "store_participants.h"
#include "uploads.h"
#include "webhooks.h"
#include "xalloc.h"

/* ---- start ---- */

cf_status chat_start_chatbot(struct db *db, const struct principal *who, const char *chatbot_id,
                             struct chatbot_row *out)
{
	cf_status st = store_chatbot_any_team(db, chatbot_id, out);
	if (st == CF_OK && who->kind == PRINCIPAL_EMBED_KEY && who->team_id != out->team_id)
		st = CF_E_NOT_FOUND;
	return st;
}

/* What start_in_tx reads; everything borrowed, fixed before the first run. */
struct start_tx {
	const struct principal *who;
	const struct chatbot_row *bot;
	const struct chat_start *c;
	const char *platform;
	const char *participant_uuid;   /* public id of a new anonymous participant */
	const char *identifier;         /* and its identifier */
	const char *external_id;        /* of the session */
	const char *state_json;
	const char *referer;
};

/* Writes nothing outside the database, so a rerun starts from scratch. */
static cf_status start_in_tx(struct db *db, void *ctx)
{
	const struct start_tx *x = ctx;
	const struct principal *who = x->who;
	const struct chatbot_row *bot = x->bot;
	unsigned long long channel_id = who->channel_id, participant_id = 0, chat_id = 0, session_id = 0;
	cf_status st = CF_OK;
	if (channel_id == 0)   /* a cookie user without a widget's embed key, or anonymous */
		st = store_api_channel(db, bot->team_id, bot->team_slug, &channel_id);
	if (st == CF_OK && who->kind == PRINCIPAL_COOKIE)
		st = store_participant_upsert(db, bot->team_id, x->platform, who->user_email, who->user_id,
		                              &participant_id);
	else if (st == CF_OK)   /* anonymous and embed-key callers always get a new participant */
		st = store_participant_create(db, bot->team_id, x->participant_uuid, x->identifier, x->platform,
		                              "Anonymous", x->c->remote_id, &participant_id);
	if (st == CF_OK && x->c->name != NULL) {
		st = store_participant_set_name(db, participant_id, x->c->name);
		if (st == CF_OK)
			st = store_participant_data_set_name(db, bot->team_id, participant_id, bot->id, x->c->name);
	}
	if (st == CF_OK)
		st = store_chat_create(db, bot->team_id, bot->name, true, x->referer, &chat_id);
	struct session_new session = {
		.team_id = bot->team_id, .external_id = x->external_id, .chatbot_id = bot->id,
		.participant_id = participant_id, .channel_id = channel_id, .chat_id = chat_id, .status = "active",
		.platform = x->platform, .state_json = x->state_json,
	};
	if (st == CF_OK)
		st = store_session_create(db, &session, &session_id);
	if (st == CF_OK)
		st = webhooks_session_event(db, bot->team_id, session_id, WEBHOOK_SESSION_STARTED);
	return st;
}

cf_status chat_start(struct db *db, const struct principal *who, const struct chatbot_row *bot,
                     const struct chat_start *c, const char *referer, const char *base, struct chat_started *out)
{
	memset(out, 0, sizeof *out);
	bool cookie = who->kind == PRINCIPAL_COOKIE;
	out->remote_id = cookie ? "" : c->remote_id;
	char participant_uuid[UUID_STR_LEN + 1];
	cf_status st = uuid4_generate(participant_uuid);
	if (st == CF_OK)
		st = uuid4_generate(out->session_id);
	if (st != CF_OK)
		return st;
	if (cookie)
		snprintf(out->identifier, sizeof out->identifier, "%s", who->user_email);
	else
		snprintf(out->identifier, sizeof out->identifier, "anon:%s", participant_uuid);
	char *state = (cookie && c->session_data != NULL && json_object_object_length(c->session_data) > 0)
	                      ? xstrdup(json_object_to_json_string_ext(c->session_data, JSON_C_TO_STRING_PLAIN))
	                      : xstrdup("{}");
	struct start_tx x = {
		.who = who, .bot = bot, .c = c,
		.platform = who->channel_id != 0 ? "embedded_widget" : "api",
		.participant_uuid = participant_uuid, .identifier = out->identifier, .external_id = out->session_id,
		.state_json = state, .referer = referer,
	};
	st = db_transaction(db, start_in_tx, &x);
	if (st == CF_OK)
		st = chat_session_token_issue(db, out->session_id, out->session_token);
	if (st == CF_OK)
		st = sessions_chatbot_json(db, base, bot->team_id, bot->id, &out->chatbot);
	free(state);
	return st;
}

/* ---- session routes ---- */

/* True when the chatbot is public, or the participant is on its allow-list
 * (JSON text, may be NULL) or is a member of its team. */
static cf_status participant_allowed(struct db *db, const struct session_row *s, const char *allowlist_json,
                                     bool *allowed)
{
	struct json_object *list = json_tokener_parse(allowlist_json != NULL ? allowlist_json : "[]");
	const char *identifier = s->participant_identifier;
	size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	*allowed = n == 0;
	for (size_t i = 0; i < n && !*allowed; i++)
		*allowed = strcmp(json_object_get_string(json_object_array_get_idx(list, i)), identifier) == 0;
	json_object_put(list);
	if (*allowed || identifier[0] == '\0')
		return CF_OK;
	return store_is_team_member_email(db, s->team_id, identifier, allowed);
}

static const struct chat_token_refusal TOKEN_REQUIRED = {"Session token required", "session_token_required"};
static const struct chat_token_refusal TOKEN_INVALID = {"Invalid session token", "session_token_invalid"};
static const struct chat_token_refusal TOKEN_EXPIRED = {"Session has expired", "session_expired"};

/* The token checks of §2.8 for a caller who is not the participant user:
 * *allowed when a good token came, *refusal when they refuse, neither when
 * the older checks decide. */
static cf_status token_checks(struct db *db, const struct session_row *row, const struct chat_token_policy *policy,
                              const char *token, bool *allowed, const struct chat_token_refusal **refusal)
{
	bool valid = false;
	long long ttl_days = policy->ttl_days > 0 ? policy->ttl_days : CF_SESSION_TOKEN_TTL_DAYS;
	bool expired = policy->age_seconds > ttl_days * 86400;   /* upstream: now - created_at > lifetime */
	bool required = policy->required;
	bool given = token != NULL && token[0] != '\0';
	cf_status st = given ? chat_session_token_check(db, row->external_id, token, &valid) : CF_OK;
	if (st != CF_OK)
		return st;
	if (given && !valid)
		*refusal = &TOKEN_INVALID;
	else if (given && expired)
		*refusal = &TOKEN_EXPIRED;
	else if (given)
		*allowed = true;
	else if (required)
		*refusal = &TOKEN_REQUIRED;
	return CF_OK;
}

cf_status chat_session_find(struct db *db, const struct principal *who, const char *session_id,
                            const char *session_token, const char *task_id, struct chat_session *out,
                            struct chat_task_row *task, const struct chat_token_refusal **refusal)
{
	*refusal = NULL;
	char *allowlist = NULL;
	struct chat_token_policy policy;
	cf_status st = task_id != NULL
	                       ? store_chat_session_task(db, session_id, task_id, &out->row, &allowlist, &policy, task)
	                       : store_chat_session(db, session_id, &out->row, &allowlist, &policy);
	bool allowed = false;
	if (st == CF_OK) {
		out->complete = strcmp(out->row.status, "complete") == 0;
		/* The lifetime bounds token holders, not the session's own user. */
		bool participant_user = who->kind == PRINCIPAL_COOKIE && out->row.has_participant &&
		                        strcmp(out->row.participant_identifier, who->user_email) == 0;
		if (!participant_user)
			st = token_checks(db, &out->row, &policy, session_token, &allowed, refusal);
	}
	if (st == CF_OK && !allowed && *refusal == NULL) {
		allowed = who->kind == PRINCIPAL_EMBED_KEY;
		if (!allowed)
			st = participant_allowed(db, &out->row, allowlist, &allowed);
	}
	free(allowlist);
	if (st == CF_E_NOT_FOUND || (st == CF_OK && !allowed))
		st = CF_E_FORBIDDEN;
	return st;
}

cf_status chat_poll(struct db *db, const char *base, const struct chat_session *s, const char *since, long limit,
                    struct buf *out)
{
	bool has_more = false;
	cf_status st = buf_append_str(out, "{\"messages\":[");
	if (st == CF_OK)
		st = sessions_messages_page(db, base, &s->row, since, limit, CF_CHAT_POLL_MAX_BYTES, out, &has_more);
	if (st == CF_OK)
		st = buf_printf(out, "],\"has_more\":%s,\"session_status\":\"%s\"}", has_more ? "true" : "false",
		                s->complete ? "ended" : "active");
	return st;
}

/* What message_in_tx reads (borrowed, fixed before the first run) and
 * writes (task_id, from each run). */
struct message_tx {
	const struct chat_session *s;
	const struct chat_message_request *rq;
	const char *ids_json;           /* the attachment ids, "[]" for none */
	size_t nfiles;
	const char *metadata_json;
	struct json_object *context;    /* NULL: no context sent */
	int anon_retention_days;
	char *task_id;                  /* 37 bytes */
};

/* state["remote_context"] = context (replaced whole), the session's row
 * locked for it. */
static cf_status put_remote_context(struct db *db, unsigned long long session_id, struct json_object *context)
{
	char *stored = NULL;
	cf_status st = store_session_state_lock(db, session_id, &stored);
	if (st == CF_OK) {
		struct json_object *state = json_tokener_parse(stored != NULL ? stored : "{}");
		if (state == NULL || !json_object_is_type(state, json_type_object)) {
			json_object_put(state);
			state = json_object_new_object();
		}
		json_object_object_add(state, "remote_context", json_object_get(context));
		st = store_session_state_put(
		        db, session_id,
		        json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(state);
	}
	free(stored);
	return st;
}

/* The job last: what it reads is all written when it becomes visible. */
static cf_status message_in_tx(struct db *db, void *ctx)
{
	struct message_tx *x = ctx;
	const struct session_row *s = &x->s->row;
	unsigned long long message_id = 0;
	struct json_object *payload = NULL;
	cf_status st = CF_OK;
	if (x->nfiles > 0) {
		long found = 0;
		st = store_session_file_count(db, s->team_id, s->id, x->ids_json, &found);
		if (st == CF_OK && (size_t)found != x->nfiles)   /* also catches a repeated id */
			st = CF_E_BAD_REQUEST;
		if (st == CF_OK)
			st = store_files_attach(db, s->team_id, s->chat_id, x->ids_json, x->anon_retention_days);
	}
	struct message_new m = {
		.team_id = s->team_id, .chat_id = s->chat_id, .message_type = "human", .content = x->rq->message,
		.metadata_json = x->metadata_json,
	};
	if (st == CF_OK)
		st = store_message_add(db, &m, &message_id);
	if (st == CF_OK)
		st = webhooks_message_created(db, s->team_id, message_id);
	if (st == CF_OK && x->context != NULL)
		st = put_remote_context(db, s->id, x->context);
	if (st == CF_OK) {
		payload = json_object_new_object();
		json_object_object_add(payload, "message_id", json_object_new_int64((int64_t)message_id));
		json_object_object_add(payload, "attachment_ids", x->rq->attachment_ids != NULL
		                                                          ? json_object_get(x->rq->attachment_ids)
		                                                          : json_object_new_array());
		st = jobs_enqueue(db, s->team_id, s->id, "chat_message", payload, CF_CHAT_TASK_ATTEMPTS, 0, x->task_id);
	}
	json_object_put(payload);
	return st;
}

cf_status chat_message(struct db *db, const struct chat_session *s, const struct chat_message_request *rq,
                       int anon_retention_days, char task_id[37])
{
	task_id[0] = '\0';
	size_t nfiles = rq->attachment_ids != NULL ? json_object_array_length(rq->attachment_ids) : 0;
	struct json_object *meta = json_object_new_object();
	if (nfiles > 0)
		json_object_object_add(meta, "ocs_attachment_file_ids", json_object_get(rq->attachment_ids));
	struct message_tx x = {
		.s = s, .rq = rq, .nfiles = nfiles,
		.ids_json = nfiles > 0 ? json_object_to_json_string_ext(rq->attachment_ids, JSON_C_TO_STRING_PLAIN) : "[]",
		.metadata_json = json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN),
		.context = rq->context, .anon_retention_days = anon_retention_days, .task_id = task_id,
	};
	cf_status st = db_transaction(db, message_in_tx, &x);
	if (st != CF_OK)
		task_id[0] = '\0';
	json_object_put(meta);
	return st;
}

bool chat_task_pending(const struct chat_task_row *task)
{
	return task->found && strcmp(task->status, "done") != 0 && strcmp(task->status, "failed") != 0;
}

static double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

cf_status chat_task_wait(struct db *db, struct waiter_board *waiters, const char *session_id, const char *task_id,
                         int wait, struct chat_task_row *task)
{
	if (wait <= 0 || !chat_task_pending(task) || strcmp(task->session_external_id, session_id) != 0)
		return CF_OK;
	if (!waiters_enter(waiters, session_id))
		return CF_OK;
	cf_status st = CF_OK;
	double deadline = monotonic_seconds() + wait;
	long step_ms = CF_TASK_WAIT_FIRST_MS;
	for (;;) {
		double left = deadline - monotonic_seconds();
		if (left <= 0)
			break;
		double nap = (double)step_ms / 1000.0 < left ? (double)step_ms / 1000.0 : left;
		struct timespec ts = {(time_t)nap, (long)((nap - (double)(time_t)nap) * 1e9)};
		nanosleep(&ts, NULL);
		if (step_ms < CF_TASK_WAIT_STEP_MAX_MS)
			step_ms = step_ms * 3 / 2 < CF_TASK_WAIT_STEP_MAX_MS ? step_ms * 3 / 2 : CF_TASK_WAIT_STEP_MAX_MS;
		chat_task_row_free(task);
		st = store_chat_task(db, task_id, task);
		if (st != CF_OK || !chat_task_pending(task))
			break;
	}
	waiters_leave(waiters);
	return st;
}

cf_status chat_task_message(struct db *db, const char *base, const struct chat_session *s,
                            const struct chat_task_row *task, struct json_object **message)
{
	*message = NULL;
	struct json_object *result = json_tokener_parse(task->result != NULL ? task->result : ""), *id = NULL;
	cf_status st = CF_E_NOT_FOUND;
	if (json_object_object_get_ex(result, "message_id", &id))
		st = sessions_message(db, base, &s->row, (unsigned long long)json_object_get_int64(id), message);
	json_object_put(result);
	return st;
}

cf_status chat_upload(struct db *db, const struct config *cfg, const struct request *req,
                      const struct chat_session *s, struct json_object **files, const char **error, char *errbuf,
                      size_t errlen, const char **parse_error)
{
	struct upload_target t = {s->row.team_id, s->row.id, s->row.external_id, s->row.participant_identifier};
	return uploads_receive(db, cfg, req, &t, files, error, errbuf, errlen, parse_error);
}
