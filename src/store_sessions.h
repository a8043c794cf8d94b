/* store_sessions.h - experiment sessions and their chats: every statement
 * of the experiment_sessions and chats tables. Reads fill struct
 * session_row; a function says which fields it sets (the rest are zero).
 *
 * Team scope: a function taking a team id (or a struct holding one:
 * session_filter, session_new) never reads or writes a row of another team.
 * Nine take none, and each is safe for its own reason:
 *  - store_chat_session, store_chat_session_task: the chat API names a
 *    session by its public UUID alone; the caller (api_chat.c
 *    chat_session_load) then checks the credential against the row: an
 *    embed key was matched to this session's chatbot, anything else must
 *    pass the chatbot's participant allow-list, so a row is never used by
 *    a caller who may not see it. The task is joined to the session's
 *    statement, and task->session_external_id says whose it is;
 *  - store_chat_task: the waiting task poll's re-read of a task whose
 *    session was checked, as above, by store_chat_session_task in the same
 *    request (and only while it belongs to the path's session);
 *  - store_session_end, store_session_touch, store_session_state_lock,
 *    store_session_state_put: take an internal session id, which never
 *    leaves the server; callers hold it only from a team-scoped or
 *    credential-checked read (store_session_lock, store_latest_open_session,
 *    the chat API's session) earlier in the same request or transaction;
 *  - store_session_create: the team is the session_new's team_id;
 *  - store_secret: the installation's own secrets (app_secrets), no team
 *    data at all. */
#ifndef CONFAB_STORE_SESSIONS_H
#define CONFAB_STORE_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cursor.h"
#include "db.h"
#include "limits.h"
#include "status.h"

#define SESSION_TIME_MAX 32        /* "YYYY-MM-DD HH:MM:SS.ffffff" */
#define SESSION_EXTERNAL_ID_MAX 256
#define SESSION_STATUS_MAX 33

struct session_row {
	unsigned long long id;
	unsigned long long team_id;
	unsigned long long chatbot_id;        /* experiment_id: the working row */
	unsigned long long chat_id;
	unsigned long long participant_id;    /* 0 = none */
	char external_id[SESSION_EXTERNAL_ID_MAX];
	char status[SESSION_STATUS_MAX];
	char created_at[SESSION_TIME_MAX];    /* DB time text */
	char updated_at[SESSION_TIME_MAX];
	bool has_participant;
	char participant_identifier[CF_PARTICIPANT_ID_MAX * 4 + 1];
	char participant_remote_id[1024];
	/* The cache validators (sql/008_read_versions.sql), read in the same
	 * statement as the row. */
	unsigned long long chat_version;
	unsigned long long chat_bytes;        /* content + metadata bytes of its messages */
	unsigned long long catalog_version;   /* the team's chatbots */
	/* Read by store_session_find and store_sessions_page only (else ""
	 * / NULL): the platform (has_platform false for SQL NULL) and the
	 * state as JSON text, owned: session_row_free. */
	bool has_platform;
	char platform[SESSION_STATUS_MAX];
	char *state_json;
};
/* Frees what a row owns (state_json); the row may be freed again. */
void session_row_free(struct session_row *s);

/* ---- reads of the sessions API (one statement each) ---- */

/* A session by external id in team, with participant, validators,
 * platform and state (session_row_free). CF_E_NOT_FOUND when absent. */
cf_status store_session_find(struct db *db, unsigned long long team_id, const char *external_id,
                             struct session_row *out) CF_MUST_CHECK;

struct session_filter {
	unsigned long long team_id;
	unsigned long long chatbot_id;     /* 0 = any */
	bool by_tags;                      /* tag filter given: match any of tag_ids */
	const unsigned long long *tag_ids;
	size_t ntag_ids;
	bool by_versions;                  /* versions filter given: any of version_tag_ids */
	const unsigned long long *version_tag_ids;
	size_t nversion_tag_ids;
	bool ascending;                    /* ordering=created_at */
};

/* One page of sessions in the filter's order, starting after (or, reversed,
 * before) the cursor position, at most limit rows, in display order, with
 * the fields of store_session_find. *rows is caller-owned (session_row_free
 * each, then free()), *count its length. With total not NULL (the first
 * page: no cursor) *total gets the number of sessions the filter matches,
 * read in the same statement (0 when the page is empty): the stored counts
 * of sql/013_session_counts.sql for the team or one chatbot, a COUNT(*)
 * with tag or version filters. */
cf_status store_sessions_page(struct db *db, const struct session_filter *f, const struct cursor *after,
                              size_t limit, struct session_row **rows, size_t *count,
                              unsigned long long *total) CF_MUST_CHECK;

/* ---- reads of the chat API and the channels ---- */

/* The widget-token policy of a session's channel (docs/API.md §2.8,
 * sql/009_widget_session_tokens.sql), read in the chat API's session
 * statement. A session without a channel: not required, no lifetime. */
struct chat_token_policy {
	bool required;             /* the channel demands X-Session-Token */
	unsigned ttl_days;         /* the channel's token lifetime; 0: it sets none */
	long long age_seconds;     /* since the session was created, by the database's clock */
};

/* A session as the chat widget sees it (any team; chatbot not archived):
 * id, team_id, chat_id, status, participant identifier ("" when none),
 * validators; *allowlist_json gets the chatbot's participant allow-list
 * (JSON text, caller frees), *policy its channel's token policy.
 * CF_E_NOT_FOUND otherwise. */
cf_status store_chat_session(struct db *db, const char *external_id, struct session_row *out,
                             char **allowlist_json, struct chat_token_policy *policy) CF_MUST_CHECK;

/* A chat_message job as the task poll sees it. */
struct chat_task_row {
	bool found;                                    /* no such task: false */
	char status[SESSION_STATUS_MAX];
	char session_external_id[SESSION_EXTERNAL_ID_MAX];   /* "" when none */
	char *result;                                  /* JSON text or NULL; owned */
};
void chat_task_row_free(struct chat_task_row *t);

/* store_chat_session and the task task_id in one statement. task->found is
 * false for an unknown task. */
cf_status store_chat_session_task(struct db *db, const char *external_id, const char *task_id,
                                  struct session_row *out, char **allowlist_json, struct chat_token_policy *policy,
                                  struct chat_task_row *task) CF_MUST_CHECK;
/* The task alone (the waiting task poll re-reads it). */
cf_status store_chat_task(struct db *db, const char *task_id, struct chat_task_row *task) CF_MUST_CHECK;

/* A session by internal id in team: id, chat_id, participant_id,
 * external_id, chatbot_id. */
cf_status store_session_by_id(struct db *db, unsigned long long team_id, unsigned long long session_id,
                              struct session_row *out) CF_MUST_CHECK;
/* The latest open session (status not pending-review/complete/unknown) of
 * a chatbot for a participant identifier (any platform): id, chat_id,
 * participant_id, external_id. CF_E_NOT_FOUND when none. */
cf_status store_latest_open_session(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                    const char *identifier, struct session_row *out) CF_MUST_CHECK;
/* A session for incoming_message's "session" field: only when it belongs to
 * the chatbot and team, its participant is linked to user_id and its
 * channel is an api channel. Fields as store_latest_open_session. */
cf_status store_api_session(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                            const char *external_id, unsigned long long user_id,
                            struct session_row *out) CF_MUST_CHECK;

/* ---- writes ---- */

/* A new chat; with_source sets its metadata to {"embed_source": source}
 * (source NULL = JSON null), else {}. */
cf_status store_chat_create(struct db *db, unsigned long long team_id, const char *name, bool with_source,
                            const char *source, unsigned long long *chat_id) CF_MUST_CHECK;

/* Every column a new session is created with (the one INSERT of
 * experiment_sessions). platform NULL stores SQL NULL (POST /api/sessions/);
 * state_json NULL stores {}. */
struct session_new {
	unsigned long long team_id;
	const char *external_id;
	unsigned long long chatbot_id;
	unsigned long long participant_id;
	unsigned long long channel_id;
	unsigned long long chat_id;
	const char *status;                /* "setup" or "active" */
	const char *platform;
	const char *state_json;
};
cf_status store_session_create(struct db *db, const struct session_new *s,
                               unsigned long long *session_id) CF_MUST_CHECK;

/* Inside a transaction: the session's id and status, locked (fields id,
 * status). CF_E_NOT_FOUND when absent in team. */
cf_status store_session_lock(struct db *db, unsigned long long team_id, const char *external_id,
                             struct session_row *out) CF_MUST_CHECK;
/* Ends a session by id: status pending-review, ended_at now. */
cf_status store_session_end(struct db *db, unsigned long long session_id) CF_MUST_CHECK;
/* Replaces the state of a session of team. CF_E_NOT_FOUND when absent. */
cf_status store_session_set_state(struct db *db, unsigned long long team_id, const char *external_id,
                                  const char *state_json) CF_MUST_CHECK;
/* Records activity: last_activity_at = now, status setup -> active, and
 * released version `number` added to experiment_versions (0 = none). */
cf_status store_session_touch(struct db *db, unsigned long long session_id, long number) CF_MUST_CHECK;
/* Inside a transaction: a session's state (JSON text, caller frees),
 * locked. */
cf_status store_session_state_lock(struct db *db, unsigned long long session_id, char **state_json) CF_MUST_CHECK;
cf_status store_session_state_put(struct db *db, unsigned long long session_id, const char *state_json) CF_MUST_CHECK;

/* A per-installation secret kept in the database (created on first use),
 * shared by every host: signs cursors. Read once per process: it never
 * changes once created. */
cf_status store_secret(struct db *db, const char *name, char out[65]) CF_MUST_CHECK;

#endif
