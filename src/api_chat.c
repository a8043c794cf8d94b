/* api_chat.c - the "Chat" endpoints used by the chat widget (/api/chat/...),
 * docs/API.md §10. Authentication (embed key, cookie, anonymous)
 * happened in chat_auth.c; CORS is added by the dispatcher. */
#include "api.h"
#include "api_validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "limits.h"
#include "ratelimit.h"
#include "timefmt.h"
#include "validate.h"

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
	if (json_object_object_get_ex(body, "session_data", &v) && validate_dict(fe, "session_data", v))
		c->session_data = v;
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
	struct chat_started started = {0};
	const struct principal *who = ctx->who;
	char *base = NULL;
	if (!chat_validate_start(body, &c, &fe)) {
		reply_fields(ctx->resp, field_errors_take(&fe));
		goto out;
	}
	st = chat_start_chatbot(ctx->app->db, who, c.chatbot_id, &bot);
	if (st == CF_E_NOT_FOUND) {
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
	/* A cookie user names themselves: an absent or empty remote id is refused too. */
	if (who->kind == PRINCIPAL_COOKIE && strcmp(c.remote_id, who->user_email) != 0) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Remote ID must match your email address");
		goto out;
	}
	base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	st = chat_start(ctx->app->db, who, &bot, &c, request_header(ctx->req, "referer"), base, &started);
	if (st != CF_OK)
		goto out;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "session_id", json_object_new_string(started.session_id));
	json_object_object_add(obj, "session_token", json_object_new_string(started.session_token));
	json_object_object_add(obj, "chatbot", started.chatbot);
	started.chatbot = NULL;   /* obj holds it */
	struct json_object *participant = json_object_new_object();
	json_object_object_add(participant, "identifier", json_object_new_string(started.identifier));
	json_object_object_add(participant, "remote_id", json_object_new_string(started.remote_id));
	json_object_object_add(obj, "participant", participant);
	reply_created(ctx->resp, obj, NULL);
out:
	json_object_put(started.chatbot);
	free(base);
	field_errors_free(&fe);
	json_object_put(body);
	return st;
}

/* ---- session routes ---- */

/* What a failed reply task says (clients must not parse it). */
#define CHAT_TASK_FAILED_TEXT \
	"Sorry, something went wrong while generating a reply. This is most likely a temporary problem; please try again."

/* The path's session (and, with task_id, that task in the same statement)
 * when the caller may use it; on refusal the 403 is in ctx->resp and
 * CF_E_FORBIDDEN is returned. */
static cf_status chat_session_load(struct handler_ctx *ctx, const char *task_id, struct chat_session *out,
                                   struct chat_task_row *task)
{
	const struct chat_token_refusal *refusal = NULL;
	cf_status st = chat_session_find(ctx->app->db, ctx->who, route_param(ctx->match, "session_id"),
	                                 request_header(ctx->req, "x-session-token"), task_id, out, task, &refusal);
	if (st == CF_E_FORBIDDEN && refusal != NULL) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "error", json_object_new_string(refusal->error));
		json_object_object_add(obj, "code", json_object_new_string(refusal->code));
		reply_json_status(ctx->resp, CF_E_FORBIDDEN, obj);
	} else if (st == CF_E_FORBIDDEN) {
		reply_detail(ctx->resp, CF_E_FORBIDDEN,
		             ctx->who->kind == PRINCIPAL_COOKIE ? NULL : "Authentication credentials were not provided.");
	}
	return st;
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
	char *base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	struct buf out;
	buf_init(&out, CF_MAX_RESPONSE_BYTES);
	st = chat_poll(ctx->app->db, base, &s, since, limit, &out);
	free(base);
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
	/* null is taken as absent */
	if (json_object_object_get_ex(body, "context", &v) && v != NULL && validate_dict(fe, "context", v))
		out->context = v;
	return !field_errors_any(fe);
}

cf_status api_chat_message(struct handler_ctx *ctx)
{
	struct json_object *body = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	struct field_errors fe;
	field_errors_init(&fe);
	struct chat_message_request rq;
	struct chat_session s;
	char task_id[37];
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
	st = chat_message(ctx->app->db, &s, &rq, ctx->app->cfg->anon_file_retention_days, task_id);
	if (st == CF_E_BAD_REQUEST) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "One or more file IDs are invalid");
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "task_id", json_object_new_string(task_id));
	json_object_object_add(obj, "status", json_object_new_string("processing"));
	reply_accepted(ctx->resp, obj);
out:
	field_errors_free(&fe);
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

cf_status api_chat_task_poll(struct handler_ctx *ctx)
{
	int wait = 0;
	bool wait_ok = task_wait_param(ctx, &wait);
	const char *session_id = route_param(ctx->match, "session_id");
	const char *task_id = route_param(ctx->match, "task_id");
	struct chat_session s;
	struct chat_task_row task;
	memset(&task, 0, sizeof task);
	/* The session and the task in one statement. */
	cf_status st = chat_session_load(ctx, task_id, &s, &task);
	if (st != CF_OK) {
		chat_task_row_free(&task);
		return st == CF_E_FORBIDDEN ? CF_OK : st;
	}
	if (!wait_ok) {
		chat_task_row_free(&task);
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Invalid 'wait' parameter.");
		return CF_OK;
	}
	st = chat_task_wait(ctx->app->db, ctx->app->waiters, session_id, task_id, wait, &task);
	if (st != CF_OK) {
		chat_task_row_free(&task);
		return st;
	}
	if (!task.found) {   /* unknown ids look "processing" forever (Q13) */
		reply_task(ctx->resp, CF_OK, NULL, "processing", NULL);
	} else if (strcmp(task.session_external_id, session_id) != 0) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, NULL);   /* a task of another session */
	} else if (strcmp(task.status, "done") == 0) {
		char *base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
		struct json_object *message = NULL;
		if (chat_task_message(ctx->app->db, base, &s, &task, &message) == CF_OK)
			reply_task(ctx->resp, CF_OK, message, "complete", NULL);
		else
			reply_json_status(ctx->resp, CF_E_INTERNAL, json_tokener_parse("{\"error\":\"Unknown error\"}"));
		free(base);
	} else if (strcmp(task.status, "failed") == 0) {
		/* a user-facing failure (job_kinds.h) is a 400 with its text, the rest a 500 */
		struct json_object *failure = task.result ? json_tokener_parse(task.result) : NULL, *v;
		bool user_facing = json_object_object_get_ex(failure, "user_facing_error", &v) &&
		                   json_object_get_boolean(v) && json_object_object_get_ex(failure, "error", &v) &&
		                   json_object_is_type(v, json_type_string);
		if (user_facing)
			reply_task(ctx->resp, CF_E_BAD_REQUEST, NULL, "error", json_object_get_string(v));
		else
			reply_task(ctx->resp, CF_E_INTERNAL, NULL, "error", CHAT_TASK_FAILED_TEXT);
		json_object_put(failure);
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
	struct json_object *files = NULL;
	const char *error = NULL, *parse_error = NULL;
	char errbuf[512];
	st = chat_upload(ctx->app->db, ctx->app->cfg, ctx->req, &s, &files, &error, errbuf, sizeof errbuf, &parse_error);
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
