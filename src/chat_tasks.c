/* chat_tasks.c - the "chat_message" job: the chat widget's reply (web
 * channel, §8, §10.3), produced by the conversation engine in a task
 * runner. The user's message was stored by the request; text attachments
 * are given to the model as documents (§12.2). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chatbots.h"
#include "conversation.h"
#include "job_kinds.h"
#include "jobs.h"
#include "limits.h"
#include "store_messages.h"
#include "store_sessions.h"
#include "store_files.h"
#include "utf8.h"

/* The user-facing failure of a turn whose message and attachments do not
 * fit in CF_MAX_PROMPT_BYTES (the task poll's 400, §10.4). */
#define CHAT_TURN_TOO_LARGE_TEXT \
	"The message and its attachments are too long for this chatbot. Send fewer or smaller files."

static bool is_text(const char *content_type)
{
	return strncmp(content_type, "text/", 5) == 0 || strcmp(content_type, "application/json") == 0;
}

/* What append_document adds to: the prompt text being built (borrowed). */
struct documents {
	const struct job_env *env;
	struct buf *text;
};

static cf_status append_document(void *ctx, const struct file_row *f)
{
	const struct documents *d = ctx;
	if (!is_text(f->content_type))
		return buf_printf(d->text, "\n\n[attached file: %s]", f->name);
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", d->env->cfg->upload_dir, f->storage_path);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return buf_printf(d->text, "\n\n[attached file: %s (no longer available)]", f->name);
	static char content[CF_MAX_DOCUMENT_BYTES];
	ssize_t n = read(fd, content, sizeof content);
	close(fd);
	if (n < 0 || !utf8_valid(content, (size_t)n))
		return buf_printf(d->text, "\n\n[attached file: %s]", f->name);
	cf_status st = buf_printf(d->text, "\n\n<document filename=\"%s\">\n", f->name);
	if (st == CF_OK)
		st = buf_append(d->text, content, (size_t)n);
	if (st == CF_OK)
		st = buf_append_str(d->text, "\n</document>");
	return st;
}

/* Appends <document filename="...">text</document> for each text file;
 * other files are mentioned by name only. storage_path is a server-chosen
 * name inside upload_dir. */
static cf_status append_documents(const struct job_env *env, unsigned long long team_id, const char *ids_json,
                                  struct buf *text)
{
	struct documents d = {env, text};
	return store_files_get(env->db, team_id, ids_json, append_document, &d);
}

struct settle {
	const struct job_env *env;
	const struct job *job;
};

/* Inside the reply's transaction: the job is done with it. */
static cf_status settle_with_reply(void *ctx, struct db *db, unsigned long long ai_message_id)
{
	const struct settle *s = ctx;
	struct json_object *result = json_object_new_object();
	json_object_object_add(result, "message_id", json_object_new_int64((int64_t)ai_message_id));
	cf_status st = jobs_done_in_tx(db, s->job, s->env->me, result);   /* and task.completed: the kind's hook */
	json_object_put(result);
	return st;
}

cf_status job_chat_message(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                           size_t errlen)
{
	struct session_row session;
	char *message = NULL;
	struct chatbot_version bot;
	struct conversation_reply reply;
	struct buf text;
	memset(&session, 0, sizeof session);
	memset(&bot, 0, sizeof bot);
	memset(&reply, 0, sizeof reply);
	buf_init(&text, CF_MAX_PROMPT_BYTES);
	struct json_object *v, *ids = NULL;
	unsigned long long message_id = 0;
	if (json_object_object_get_ex(job->payload, "message_id", &v))
		message_id = (unsigned long long)json_object_get_int64(v);
	json_object_object_get_ex(job->payload, "attachment_ids", &ids);
	cf_status st = store_session_by_id(env->db, job->team_id, job->session_id, &session);
	if (st == CF_OK)
		st = store_message_content(env->db, job->team_id, message_id, &message);
	if (st != CF_OK) {
		snprintf(err, errlen, "the session or its message is gone");
		goto out;
	}
	unsigned long long experiment_id = session.chatbot_id;
	st = chatbots_resolve_version(env->db, job->team_id, experiment_id, CHATBOT_VERSION_DEFAULT, NULL, &bot);
	if (st == CF_OK)
		st = buf_append_str(&text, message);
	if (st == CF_OK && json_object_is_type(ids, json_type_array) && json_object_array_length(ids) > 0)
		st = append_documents(env, job->team_id, json_object_to_json_string_ext(ids, JSON_C_TO_STRING_PLAIN), &text);
	if (st == CF_E_TOO_LARGE) {   /* what the participant sent: they may be told */
		snprintf(err, errlen, "%s", CHAT_TURN_TOO_LARGE_TEXT);
		*result = json_object_new_object();
		json_object_object_add(*result, "error", json_object_new_string(CHAT_TURN_TOO_LARGE_TEXT));
		json_object_object_add(*result, "user_facing_error", json_object_new_boolean(1));
		goto out;
	}
	if (st != CF_OK) {
		snprintf(err, errlen, "could not prepare the turn (%s)", cf_status_name(st));
		goto out;
	}
	struct conversation_turn turn = {
		.team_id = job->team_id,
		.session_id = job->session_id,
		.chat_id = session.chat_id,
		.participant_id = session.participant_id,
		.experiment_id = experiment_id,
		.bot = &bot,
		.user_text = buf_str(&text),
		.store_user_message = false,
		.user_message_id = message_id,
		.on_stored = settle_with_reply,
		.store_patience_s = CF_RUNNER_SETTLE_PATIENCE_S,
	};
	struct settle settle = {env, job};
	turn.on_stored_ctx = &settle;
	/* settled with the reply: *result stays NULL */
	st = conversation_respond(env->db, &turn, &reply);
	if (st != CF_OK)
		snprintf(err, errlen, "the reply failed (%s)", cf_status_name(st));
out:
	free(message);
	chatbot_version_free(&bot);
	conversation_reply_free(&reply);
	buf_free(&text);
	return st;
}
