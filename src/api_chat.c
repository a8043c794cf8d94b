/* api_chat.c - the "Chat" endpoints used by the chat widget (/api/chat/...),
 * docs/API.md §10. Authentication (embed key, cookie, anonymous)
 * happened in chat_auth.c; CORS is added by the dispatcher. */
#include "api.h"
#include "api_validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ids.h"
#include "limits.h"
#include "ratelimit.h"
#include "sessions.h"
#include "store_channels.h"
#include "store_chatbots.h"
#include "store_participants.h"
#include "store_sessions.h"
#include "channels.h"
#include "jobs.h"
#include "store_messages.h"
#include "store_files.h"
#include "uploads.h"
#include "timefmt.h"
#include "validate.h"
#include "waiters.h"
#include "webhooks.h"
#include "xalloc.h"

bool chat_validate_start(struct json_object *body, struct chat_start *c, struct field_errors *fe)
{
	memset(c, 0, sizeof *c);
	c->remote_id = "";
	if (!json_object_is_type(body, json_type_object)) {
		char msg[96];
		snprintf(msg, sizeof msg, "Invalid data. Expected a dictionary, but got %s.", json_type_label(body));
		field_errors_add(fe, "non_field_errors", msg);
		return false;
	}
	struct json_object *v;
	if (!json_object_object_get_ex(body, "chatbot_id", &v))
		field_errors_add(fe, "chatbot_id", "This field is required.");
	else if (!json_object_is_type(v, json_type_string) || !uuid_valid(json_object_get_string(v)))
		field_errors_add(fe, "chatbot_id", "Must be a valid UUID.");
	else
		uuid_normalize(json_object_get_string(v), c->chatbot_id);
	if (json_object_object_get_ex(body, "participant_remote_id", &v))
		(void)validate_string(fe, "participant_remote_id", v, true, 255, &c->remote_id);
	if (json_object_object_get_ex(body, "participant_name", &v))
		(void)validate_string(fe, "participant_name", v, true, CF_PARTICIPANT_ID_MAX, &c->name);
	if (json_object_object_get_ex(body, "session_data", &v)) {
		if (!json_object_is_type(v, json_type_object))
			field_errors_add(fe, "session_data", "Expected a dictionary of items but got type \"list\".");
		else
			c->session_data = v;
	}
	return !field_errors_any(fe);
}

cf_status api_chat_start(struct handler_ctx *ctx)
{
	struct json_object *body = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	struct field_errors fe;
	field_errors_init(&fe);
	struct chat_start c;
	struct chatbot_row bot;
	struct db *db = ctx->app->db;
	const struct principal *who = ctx->who;
	char *base = NULL;
	bool in_tx = false;
	if (!chat_validate_start(body, &c, &fe)) {
		reply_fields(ctx->resp, field_errors_take(&fe));
		goto out;
	}
	st = store_chatbot_any_team(db, c.chatbot_id, &bot);
	if (st == CF_E_NOT_FOUND || (st == CF_OK && who->kind == PRINCIPAL_EMBED_KEY && who->team_id != bot.team_id)) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, "No Experiment matches the given query.");
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (!bot.is_working) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Chatbot ID must reference the unreleased version of an chatbot");
		goto out;
	}
	/* Per chatbot (the dispatcher counted the client address): here, as
	 * the chatbot is in the body, and only for chatbots that exist. */
	struct ratelimit_state rl;
	ratelimit_class_count(ctx->app, RL_CHAT_START_BOT, c.chatbot_id, &rl);
	if (rl.exceeded) {
		ratelimit_reply_retry(&rl, ctx->resp);
		goto out;
	}
	if (who->kind == PRINCIPAL_COOKIE && c.remote_id[0] != '\0' && strcmp(c.remote_id, who->user_email) != 0) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Remote ID must match your email address");
		goto out;
	}
	const char *platform = who->kind == PRINCIPAL_EMBED_KEY ? "embedded_widget" : "api";
	unsigned long long channel_id = who->channel_id, participant_id = 0, session_id = 0;
	char participant_uuid[UUID_STR_LEN + 1], external_id[UUID_STR_LEN + 1];
	char identifier[UUID_STR_LEN + 8];
	if ((st = uuid4_generate(participant_uuid)) != CF_OK || (st = uuid4_generate(external_id)) != CF_OK)
		goto out;
	if ((st = db_begin(db)) != CF_OK)
		goto out;
	in_tx = true;
	if (who->kind != PRINCIPAL_EMBED_KEY)
		st = store_api_channel(db, bot.team_id, bot.team_slug, &channel_id);
	if (st == CF_OK && who->kind == PRINCIPAL_COOKIE) {
		snprintf(identifier, sizeof identifier, "%s", "");
		st = store_participant_upsert(db, bot.team_id, platform, who->user_email, who->user_id, &participant_id);
	} else if (st == CF_OK) {
		/* Anonymous and embed-key callers always get a new participant. */
		snprintf(identifier, sizeof identifier, "anon:%s", participant_uuid);
		st = store_participant_create(db, bot.team_id, participant_uuid, identifier, platform, "Anonymous",
		                              c.remote_id, &participant_id);
	}
	if (st == CF_OK && c.name != NULL) {
		st = store_participant_set_name(db, participant_id, c.name);
		if (st == CF_OK)
			st = store_participant_data_set_name(db, bot.team_id, participant_id, bot.id, c.name);
	}
	char *state = (who->kind == PRINCIPAL_COOKIE && c.session_data != NULL &&
	               json_object_object_length(c.session_data) > 0)
	                      ? xstrdup(json_object_to_json_string_ext(c.session_data, JSON_C_TO_STRING_PLAIN))
	                      : xstrdup("{}");
	unsigned long long chat_id = 0;
	if (st == CF_OK)
		st = store_chat_create(db, bot.team_id, bot.name, true, request_header(ctx->req, "referer"), &chat_id);
	struct session_new session = {
		.team_id = bot.team_id, .external_id = external_id, .chatbot_id = bot.id, .participant_id = participant_id,
		.channel_id = channel_id, .chat_id = chat_id, .status = "active", .platform = platform, .state_json = state,
	};
	if (st == CF_OK)
		st = store_session_create(db, &session, &session_id);
	free(state);
	if (st == CF_OK)
		st = webhooks_session_event(db, bot.team_id, session_id, WEBHOOK_SESSION_STARTED);
	if (st == CF_OK)
		st = db_commit(db);
	in_tx = false;
	if (st != CF_OK) {
		db_rollback(db);
		goto out;
	}
	base = xasprintf("%s://%s%s", ctx->req->scheme, ctx->req->host, ctx->app->cfg->url_prefix);
	struct json_object *chatbot = NULL;
	st = sessions_chatbot_json(db, base, bot.team_id, bot.id, &chatbot);
	if (st != CF_OK)
		goto out;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "session_id", json_object_new_string(external_id));
	json_object_object_add(obj, "chatbot", chatbot);
	struct json_object *participant = json_object_new_object();
	json_object_object_add(participant, "identifier",
	                       json_object_new_string(who->kind == PRINCIPAL_COOKIE ? who->user_email : identifier));
	json_object_object_add(participant, "remote_id",
	                       json_object_new_string(who->kind == PRINCIPAL_COOKIE ? "" : c.remote_id));
	json_object_object_add(obj, "participant", participant);
	reply_created(ctx->resp, obj, NULL);
out:
	if (in_tx)
		db_rollback(db);
	free(base);
	field_errors_free(&fe);
	json_object_put(body);
	return st;
}

/* ---- session routes ---- */

/* What a failed reply task says (clients must not parse it). */
#define CHAT_TASK_FAILED_TEXT \
	"Sorry, something went wrong while generating a reply. This is most likely a temporary problem; please try again."

/* A session a chat API caller may use (§2.6, §2.7). */
struct chat_session {
	struct session_row row;   /* with its cache validators */
	bool complete;            /* status "complete": the only ended state here (Q1) */
};

/* True when the chatbot is public, or the participant is on its allow-list
 * or is a member of its team. */
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

/* Loads the path's session (and, with task_id, that task in the same
 * statement) and checks the caller may use it; on refusal the 403 is in
 * ctx->resp and CF_E_FORBIDDEN is returned. */
static cf_status chat_session_load(struct handler_ctx *ctx, const char *task_id, struct chat_session *out,
                                   struct chat_task_row *task)
{
	const struct principal *who = ctx->who;
	const char *session_id = route_param(ctx->match, "session_id");
	char *allowlist = NULL;
	cf_status st = task_id != NULL
	                       ? store_chat_session_task(ctx->app->db, session_id, task_id, &out->row, &allowlist, task)
	                       : store_chat_session(ctx->app->db, session_id, &out->row, &allowlist);
	bool allowed = false;
	if (st == CF_OK) {
		out->complete = strcmp(out->row.status, "complete") == 0;
		/* an embed key was already matched to this session's chatbot */
		allowed = who->kind == PRINCIPAL_EMBED_KEY;
		if (!allowed)
			st = participant_allowed(ctx->app->db, &out->row, allowlist, &allowed);
	}
	free(allowlist);
	if (st != CF_OK && st != CF_E_NOT_FOUND)
		return st;
	if (st == CF_OK && allowed)
		return CF_OK;
	reply_detail(ctx->resp, CF_E_FORBIDDEN,
	             who->kind == PRINCIPAL_COOKIE ? NULL : "Authentication credentials were not provided.");
	return CF_E_FORBIDDEN;
}

cf_status api_chat_poll(struct handler_ctx *ctx)
{
	struct chat_session s;
	cf_status st = chat_session_load(ctx, NULL, &s, NULL);
	if (st != CF_OK)
		return st == CF_E_FORBIDDEN ? CF_OK : st;
	char since[ISO_TIME_MAX] = "1000-01-01 00:00:00.000000";
	const char *q = request_query(ctx->req, "since");
	if (q != NULL && !iso_to_db_time(q, since)) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Invalid 'since' parameter format. Use ISO format.");
		return CF_OK;
	}
	long limit = CF_CHAT_POLL_LIMIT_DEFAULT;
	if ((q = request_query(ctx->req, "limit")) != NULL) {
		char *end = NULL;
		errno = 0;
		limit = strtol(q, &end, 10);
		if (errno != 0 || end == q || *end != '\0' || limit < 1) {
			reply_error(ctx->resp, CF_E_BAD_REQUEST, "Invalid 'limit' parameter.");
			return CF_OK;
		}
		if (limit > CF_CHAT_POLL_LIMIT_MAX)
			limit = CF_CHAT_POLL_LIMIT_MAX;
	}
	/* The page is written straight into the reply body, which is handed
	 * to the response without a copy. */
	char *base = xasprintf("%s://%s%s", ctx->req->scheme, ctx->req->host, ctx->app->cfg->url_prefix);
	struct buf out;
	buf_init(&out, CF_MAX_RESPONSE_BYTES);
	bool has_more = false;
	st = buf_append_str(&out, "{\"messages\":[");
	if (st == CF_OK)
		st = sessions_messages_page(ctx->app->db, base, &s.row, since, limit, CF_CHAT_POLL_MAX_BYTES, &out,
		                            &has_more);
	free(base);
	if (st == CF_OK)
		st = buf_printf(&out, "],\"has_more\":%s,\"session_status\":\"%s\"}", has_more ? "true" : "false",
		                s.complete ? "ended" : "active");
	if (st != CF_OK) {
		buf_free(&out);
		return st == CF_E_TOO_LARGE ? CF_E_INTERNAL : st;
	}
	reply_json_text_take(ctx->resp, &out);
	response_make_conditional(ctx->resp, request_header(ctx->req, "if-none-match"));
	return CF_OK;
}

bool chat_validate_message(struct json_object *body, struct field_errors *fe, struct chat_message_request *out)
{
	struct json_object *v;
	memset(out, 0, sizeof *out);
	if (!json_object_is_type(body, json_type_object)) {
		field_errors_add(fe, "non_field_errors", "Invalid data. Expected a dictionary.");
		return false;
	}
	if (!json_object_object_get_ex(body, "message", &v))
		field_errors_add(fe, "message", "This field is required.");
	else
		(void)validate_string(fe, "message", v, false, CF_MAX_MESSAGE_CHARS, &out->message);
	if (json_object_object_get_ex(body, "attachment_ids", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_array)) {
			char msg[96];
			snprintf(msg, sizeof msg, "Expected a list of items but got type \"%s\".", json_type_label(v));
			field_errors_add(fe, "attachment_ids", msg);
		} else if (json_object_array_length(v) > CF_MAX_ATTACHMENTS) {
			field_errors_add(fe, "attachment_ids", "Too many attachments.");
		} else {
			struct json_object *bad = json_object_new_object();
			for (size_t i = 0; i < json_object_array_length(v); i++) {
				struct json_object *id = json_object_array_get_idx(v, i);
				if (!json_object_is_type(id, json_type_int) || json_object_get_int64(id) < 1) {
					char key[24];
					snprintf(key, sizeof key, "%zu", i);
					struct json_object *list = json_object_new_array();
					json_object_array_add(list, json_object_new_string("A valid integer is required."));
					json_object_object_add(bad, key, list);
				}
			}
			if (json_object_object_length(bad) > 0)
				field_errors_put(fe, "attachment_ids", bad);
			else
				json_object_put(bad);
			out->attachment_ids = v;
		}
	}
	if (json_object_object_get_ex(body, "context", &v) && v != NULL) {
		if (json_object_is_type(v, json_type_object)) {
			out->context = v;
		} else {
			char msg[96];
			snprintf(msg, sizeof msg, "Expected a dictionary of items but got type \"%s\".", json_type_label(v));
			field_errors_add(fe, "context", msg);
		}
	}
	return !field_errors_any(fe);
}

cf_status api_chat_message(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	struct json_object *body = NULL, *payload = NULL, *meta = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	struct field_errors fe;
	field_errors_init(&fe);
	struct chat_message_request rq;
	struct chat_session s;
	if (!chat_validate_message(body, &fe, &rq)) {
		reply_fields(ctx->resp, field_errors_take(&fe));
		goto out;
	}
	st = chat_session_load(ctx, NULL, &s, NULL);
	if (st != CF_OK) {
		st = st == CF_E_FORBIDDEN ? CF_OK : st;
		goto out;
	}
	if (s.complete) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Session has ended");
		goto out;
	}
	size_t nfiles = rq.attachment_ids ? json_object_array_length(rq.attachment_ids) : 0;
	const char *ids_json = rq.attachment_ids ? json_object_to_json_string_ext(rq.attachment_ids, JSON_C_TO_STRING_PLAIN)
	                                         : "[]";
	if (nfiles > 0) {
		long found = 0;
		st = store_session_file_count(db, s.row.team_id, s.row.id, ids_json, &found);
		if (st != CF_OK)
			goto out;
		if ((size_t)found != nfiles) {   /* also catches a repeated id */
			reply_error(ctx->resp, CF_E_BAD_REQUEST, "One or more file IDs are invalid");
			goto out;
		}
	}
	meta = json_object_new_object();
	if (nfiles > 0)
		json_object_object_add(meta, "ocs_attachment_file_ids", json_object_get(rq.attachment_ids));
	unsigned long long message_id = 0;
	char task_id[37];
	st = db_begin(db);
	if (st != CF_OK)
		goto out;
	if (nfiles > 0)
		st = store_files_attach(db, s.row.team_id, s.row.chat_id, ids_json, ctx->app->cfg->anon_file_retention_days);
	struct message_new m = {
		.team_id = s.row.team_id, .chat_id = s.row.chat_id, .message_type = "human", .content = rq.message,
		.metadata_json = json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN),
	};
	if (st == CF_OK)
		st = store_message_add(db, &m, &message_id);
	if (st == CF_OK)
		st = webhooks_message_created(db, s.row.team_id, message_id);
	if (st == CF_OK) {
		payload = json_object_new_object();
		json_object_object_add(payload, "message_id", json_object_new_int64((int64_t)message_id));
		json_object_object_add(payload, "attachment_ids",
		                       rq.attachment_ids ? json_object_get(rq.attachment_ids) : json_object_new_array());
		st = jobs_enqueue(db, s.row.team_id, s.row.id, "chat_message", payload, CF_CHAT_TASK_ATTEMPTS, 0, task_id);
	}
	if (st == CF_OK)
		st = db_commit(db);
	else
		db_rollback(db);
	if (st == CF_OK && rq.context != NULL) {
		struct json_object *remote = json_object_new_object();
		json_object_object_add(remote, "remote_context", json_object_get(rq.context));
		st = channels_merge_state(db, s.row.id, remote, NULL);   /* replaces remote_context (§14) */
		json_object_put(remote);
	}
	if (st != CF_OK)
		goto out;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "task_id", json_object_new_string(task_id));
	json_object_object_add(obj, "status", json_object_new_string("processing"));
	reply_accepted(ctx->resp, obj);
out:
	field_errors_free(&fe);
	json_object_put(meta);
	json_object_put(payload);
	json_object_put(body);
	return st;
}

static void reply_task(struct response *resp, cf_status st, struct json_object *message, const char *status,
                       const char *error)
{
	struct json_object *obj = json_object_new_object();
	if (error != NULL) {
		json_object_object_add(obj, "error", json_object_new_string(error));
	} else {
		json_object_object_add(obj, "message", message);
	}
	json_object_object_add(obj, "status", json_object_new_string(status));
	if (st == CF_OK)
		reply_json(resp, obj);
	else
		reply_json_status(resp, st, obj);
}

static double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ?wait=N of the task poll: decimal digits only, 0..CF_TASK_WAIT_MAX_PARAM
 * (absent = 0), then bounded by poll_max_wait. False on anything else
 * (signs, blanks, fractions). */
static bool task_wait_param(const struct handler_ctx *ctx, int *seconds)
{
	*seconds = 0;
	const char *q = request_query(ctx->req, "wait");
	if (q == NULL)
		return true;
	char *end = NULL;
	errno = 0;
	long v = strtol(q, &end, 10);
	if (q[0] < '0' || q[0] > '9' || errno != 0 || *end != '\0' || v > CF_TASK_WAIT_MAX_PARAM)
		return false;
	*seconds = v < ctx->app->cfg->poll_max_wait ? (int)v : ctx->app->cfg->poll_max_wait;
	return true;
}

static bool task_pending(const struct chat_task_row *t)
{
	return t->found && strcmp(t->status, "done") != 0 && strcmp(t->status, "failed") != 0;
}

/* While task (read with the session) is a queued or running task of the
 * path's session, re-reads it with a short back-off until it finishes or
 * wait seconds have passed. Nothing waits on an unknown task (it stays
 * "processing" at once, Q13) or on another session's, and a waiting request
 * holds this worker, so only poll_max_waiters requests of this host wait at
 * once and one per chat session (waiters.h); past that the state is
 * answered at once. */
static cf_status task_wait(struct handler_ctx *ctx, int wait, struct chat_task_row *task)
{
	const char *task_id = route_param(ctx->match, "task_id");
	const char *session_id = route_param(ctx->match, "session_id");
	if (wait <= 0 || !task_pending(task) || strcmp(task->session_external_id, session_id) != 0)
		return CF_OK;
	if (!waiters_enter(ctx->app->waiters, session_id))
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
		st = store_chat_task(ctx->app->db, task_id, task);
		if (st != CF_OK || !task_pending(task))
			break;
	}
	waiters_leave(ctx->app->waiters);
	return st;
}

cf_status api_chat_task_poll(struct handler_ctx *ctx)
{
	int wait = 0;
	bool wait_ok = task_wait_param(ctx, &wait);
	struct chat_session s;
	struct chat_task_row task;
	memset(&task, 0, sizeof task);
	/* The session and the task in one statement. */
	cf_status st = chat_session_load(ctx, route_param(ctx->match, "task_id"), &s, &task);
	if (st != CF_OK) {
		chat_task_row_free(&task);
		return st == CF_E_FORBIDDEN ? CF_OK : st;
	}
	if (!wait_ok) {
		chat_task_row_free(&task);
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Invalid 'wait' parameter.");
		return CF_OK;
	}
	st = task_wait(ctx, wait, &task);
	if (st != CF_OK) {
		chat_task_row_free(&task);
		return st;
	}
	if (!task.found) {   /* unknown ids look "processing" forever (Q13) */
		reply_task(ctx->resp, CF_OK, NULL, "processing", NULL);
	} else if (strcmp(task.session_external_id, route_param(ctx->match, "session_id")) != 0) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, NULL);   /* a task of another session */
	} else if (strcmp(task.status, "done") == 0) {
		struct json_object *result = json_tokener_parse(task.result != NULL ? task.result : ""), *id, *message = NULL;
		char *base = xasprintf("%s://%s%s", ctx->req->scheme, ctx->req->host, ctx->app->cfg->url_prefix);
		if (json_object_object_get_ex(result, "message_id", &id) &&
		    sessions_message(ctx->app->db, base, &s.row, (unsigned long long)json_object_get_int64(id), &message) ==
		            CF_OK)
			reply_task(ctx->resp, CF_OK, message, "complete", NULL);
		else
			reply_json_status(ctx->resp, CF_E_INTERNAL, json_tokener_parse("{\"error\":\"Unknown error\"}"));
		free(base);
		json_object_put(result);
	} else if (strcmp(task.status, "failed") == 0) {
		reply_task(ctx->resp, CF_E_INTERNAL, NULL, "error", CHAT_TASK_FAILED_TEXT);
	} else {
		reply_task(ctx->resp, CF_OK, NULL, "processing", NULL);
	}
	chat_task_row_free(&task);
	return CF_OK;
}

cf_status api_chat_upload(struct handler_ctx *ctx)
{
	char media[64];
	request_media_type(ctx->req, media, sizeof media);
	if (strcmp(media, "multipart/form-data") != 0) {
		char msg[160];
		snprintf(msg, sizeof msg, "Unsupported media type \"%.100s\" in request.", media);
		reply_detail(ctx->resp, CF_E_MEDIA_TYPE, msg);
		return CF_OK;
	}
	struct chat_session s;
	cf_status st = chat_session_load(ctx, NULL, &s, NULL);
	if (st != CF_OK)
		return st == CF_E_FORBIDDEN ? CF_OK : st;
	if (s.complete) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Session has ended");
		return CF_OK;
	}
	struct upload_target t = {s.row.team_id, s.row.id, route_param(ctx->match, "session_id"), s.row.participant_identifier};
	struct json_object *files = NULL;
	const char *error = NULL, *parse_error = NULL;
	char errbuf[512];
	st = uploads_receive(ctx->app->db, ctx->app->cfg, ctx->req, &t, &files, &error, errbuf, sizeof errbuf,
	                     &parse_error);
	if (st == CF_OK) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "files", files);
		reply_created(ctx->resp, obj, NULL);
	} else if (st == CF_E_BAD_REQUEST && parse_error != NULL) {
		char msg[256];
		snprintf(msg, sizeof msg, "Multipart form parse error - %s", parse_error);
		reply_detail(ctx->resp, CF_E_BAD_REQUEST, msg);
	} else if (st == CF_E_BAD_REQUEST) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, error);
	} else if (st == CF_E_IO) {
		reply_detail(ctx->resp, CF_E_IO, "The upload could not be stored.");
	} else if ((st == CF_E_TOO_LARGE || st == CF_E_STORAGE) && error != NULL) {
		reply_detail(ctx->resp, st, error);   /* a quota (413) or the free-space floor (507) */
	} else {
		return st;
	}
	return CF_OK;
}
