/* chat.h - the chat widget's domain (docs/API.md §10): starting a session
 * for a widget caller, who may use a session, a message stored together with
 * its attachments, page context and reply job, the session poll, the reply
 * task and its long-poll, and uploads. api_chat.c validates and replies;
 * nothing here knows HTTP beyond the absolute base URL it is given. */
#ifndef CONFAB_CHAT_H
#define CONFAB_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "app.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http_request.h"
#include "ids.h"
#include "limits.h"
#include "status.h"
#include "store_chatbots.h"
#include "store_sessions.h"
#include "waiters.h"

/* The validated body of POST /api/chat/start/ (chat_validate_start). */
struct chat_start {
	char chatbot_id[UUID_STR_LEN + 1];
	const char *remote_id;              /* "" when not given */
	const char *name;                   /* NULL when not given */
	struct json_object *session_data;   /* borrowed; NULL when not given */
};

/* The validated body of POST .../message/ (§10.3, chat_validate_message). */
struct chat_message_request {
	const char *message;
	struct json_object *attachment_ids;   /* borrowed array of ints, or NULL */
	struct json_object *context;          /* borrowed object, or NULL */
};

/* ---- start ---- */

/* The chatbot row a start names (working row or a version; the caller
 * refuses a version by out->is_working). CF_E_NOT_FOUND when there is none,
 * and when an embed key of another team names it (the same answer, so a
 * key cannot probe other teams). */
cf_status chat_start_chatbot(struct db *db, const struct principal *who, const char *chatbot_id,
                             struct chatbot_row *out) CF_MUST_CHECK;

#define CHAT_IDENTIFIER_MAX 256   /* a user's e-mail or "anon:<uuid>" */

/* What a start made. */
struct chat_started {
	char session_id[UUID_STR_LEN + 1];      /* the session's external id */
	char session_token[CF_SESSION_TOKEN_MAX + 1];   /* its X-Session-Token (§2.8) */
	char identifier[CHAT_IDENTIFIER_MAX];   /* the participant's identifier */
	const char *remote_id;                  /* borrowed from the request; "" for a cookie user */
	struct json_object *chatbot;            /* the Experiment JSON (§4); caller owns (json_object_put) */
};

/* A new active session of bot (working; all borrowed) for who, in one
 * db_transaction: the team's API channel unless an embed key names its
 * widget channel, the participant (the user's own for a cookie, a new
 * anonymous one otherwise), its name when c->name is given, the chat
 * (source: referer, may be NULL), the session and its session.started
 * event. c->session_data becomes the state of a cookie user's session
 * only (Q4). base: the API root URL (request_base_url) for the chatbot
 * JSON; out->session_token the session's token (chat_auth.h). On failure nothing was stored and out->chatbot is NULL. */
cf_status chat_start(struct db *db, const struct principal *who, const struct chatbot_row *bot,
                     const struct chat_start *c, const char *referer, const char *base,
                     struct chat_started *out) CF_MUST_CHECK;

/* ---- session routes ---- */

/* A session a chat caller may use (§2.6, §2.7). */
struct chat_session {
	struct session_row row;   /* with its cache validators */
	bool complete;            /* status "complete": the only ended state here (Q1) */
};

/* Why the session-token checks refused a caller (§2.8): upstream's 403
 * body {"error": error, "code": code}. */
struct chat_token_refusal {
	const char *error;
	const char *code;
};

/* The session with external id session_id when who may use it. First the
 * session tokens (§2.8), unless who is the cookie user who is the
 * session's participant: a token given (session_token, X-Session-Token,
 * borrowed; NULL or "" when none) must be the session's and the session
 * younger than its channel's token lifetime, and then grants access; with
 * no token a channel that requires one refuses. Without a token, or as the
 * participant user: an embed key (chat_auth.c matched it to the session's
 * chatbot already), or a participant of a public chatbot, on its
 * allow-list or of its team. With task_id (may be NULL) that task is read
 * in the same statement into *task (task->found false when unknown; caller
 * frees with chat_task_row_free, also after a failure). CF_E_FORBIDDEN
 * when the session is unknown or the caller may not use it; *refusal
 * (static) is set when the token checks refused, NULL otherwise. */
cf_status chat_session_find(struct db *db, const struct principal *who, const char *session_id,
                            const char *session_token, const char *task_id, struct chat_session *out,
                            struct chat_task_row *task, const struct chat_token_refusal **refusal) CF_MUST_CHECK;

/* The body of a session poll (§10.4) into out (the caller set its ceiling
 * and frees it, also after a failure):
 * {"messages":[...],"has_more":b,"session_status":"active"|"ended"}, the
 * messages of s after since (DB time text), at most limit of them and
 * CF_CHAT_POLL_MAX_BYTES of content. base as for chat_start. */
cf_status chat_poll(struct db *db, const char *base, const struct chat_session *s, const char *since, long limit,
                    struct buf *out) CF_MUST_CHECK;

/* Stores the participant's message in the open session s, in one
 * db_transaction: the attachments (files of this session, checked and
 * linked to the chat; they expire after anon_retention_days in anonymous
 * sessions when > 0), the message, its message.created event, the page
 * context as state["remote_context"] (replaced whole, §14; when
 * rq->context is given) and the chat_message reply job, whose public id
 * goes to task_id. The job becomes visible with the rest, so the reply's
 * prompt always sees the context. CF_E_BAD_REQUEST: an attachment id is
 * not a file of this session, or is repeated. On any failure nothing is
 * stored. */
cf_status chat_message(struct db *db, const struct chat_session *s, const struct chat_message_request *rq,
                       int anon_retention_days, char task_id[37]) CF_MUST_CHECK;

/* True while the task is queued or running. */
bool chat_task_pending(const struct chat_task_row *task);

/* While *task (read by chat_session_find) is a pending task of session_id,
 * re-reads it with a short back-off until it settles or wait seconds have
 * passed. Nothing waits on an unknown task or another session's, and a
 * waiting request holds its worker, so only the board's cap of requests of
 * this host wait at once and one per chat session (waiters.h); past that
 * *task is left as read. */
cf_status chat_task_wait(struct db *db, struct waiter_board *waiters, const char *session_id, const char *task_id,
                         int wait, struct chat_task_row *task) CF_MUST_CHECK;

/* The reply (Message JSON, §5) a done task of s produced; caller owns
 * *message. CF_E_NOT_FOUND when its result names no message of s. */
cf_status chat_task_message(struct db *db, const char *base, const struct chat_session *s,
                            const struct chat_task_row *task, struct json_object **message) CF_MUST_CHECK;

/* Streams req's multipart body into files of the open session s
 * (uploads_receive, whose outputs and statuses these are). */
cf_status chat_upload(struct db *db, const struct config *cfg, const struct request *req,
                      const struct chat_session *s, struct json_object **files, const char **error, char *errbuf,
                      size_t errlen, const char **parse_error) CF_MUST_CHECK;

#endif
