/* store_conversation.h - SQL of the conversation engine: history, prompt
 * variables, the AI message with its usage and version tag, and the
 * session's bookkeeping. Scoped by team where a row is found by id. */
#ifndef CONFAB_STORE_CONVERSATION_H
#define CONFAB_STORE_CONVERSATION_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* The functions marked "(placement)" read other tables' rows for the
 * engine; they live here until the store_sessions / store_messages /
 * store_participants rewrite gives them their table's module. */

/* Internal ids of a session (placement: store_sessions). */
struct session_ids_row {
	unsigned long long id;
	unsigned long long chat_id;
	unsigned long long participant_id;   /* 0 = none */
	unsigned long long chatbot_id;       /* experiment_id: the working row */
	char status[32];
};
/* CF_E_NOT_FOUND when absent in team. */
cf_status store_session_ids(struct db *db, unsigned long long team_id, const char *external_id,
                            struct session_ids_row *out) CF_MUST_CHECK;

/* What one turn reads besides the chatbot: the chat's recent history and,
 * when asked for, the participant's prompt variables and the session
 * state (placement: store_messages, store_participants, store_sessions). */
struct conversation_context_query {
	unsigned long long team_id;
	unsigned long long chat_id;
	unsigned long long exclude_message_id;   /* 0 = none */
	long history_limit;                      /* 0 = no history */
	bool want_participant;
	unsigned long long participant_id;       /* 0 = none */
	unsigned long long chatbot_id;           /* whose participant data */
	bool want_state;
	unsigned long long session_id;
};
struct history_row {
	char message_type[16];                   /* human | ai | system */
	char *content;                           /* owned */
};
struct conversation_context {
	struct history_row *history;             /* owned; oldest first */
	size_t nhistory;
	bool has_participant;                    /* asked for and found */
	char participant_name[1284];
	char *participant_data;                  /* owned JSON object text ("{}" when none) */
	bool has_state;                          /* asked for and found */
	char *session_state;                     /* owned JSON text */
};
/* Everything the query asks for, in one statement. Free *out with
 * conversation_context_free, also after a failure. */
cf_status store_conversation_context(struct db *db, const struct conversation_context_query *q,
                                     struct conversation_context *out) CF_MUST_CHECK;
void conversation_context_free(struct conversation_context *c);
/* A human message with metadata (JSON object text). */
cf_status store_human_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                                  const char *content, const char *metadata_json,
                                  unsigned long long *message_id) CF_MUST_CHECK;
/* A chat_message job of a task id: columns status, session external id,
 * result (JSON text or NULL). CF_E_NOT_FOUND when unknown. */
cf_status store_chat_task(struct db *db, const char *task_id, struct db_rows *rows) CF_MUST_CHECK;
/* An AI message with the provider's token counts (have_usage false: NULL). */
cf_status store_ai_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                               const char *content, bool have_usage, long prompt_tokens, long completion_tokens,
                               unsigned long long *message_id) CF_MUST_CHECK;
/* Tags a message with the version tag `name` (category experiment_version),
 * creating the tag on first use. */
cf_status store_message_version_tag(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                    const char *name) CF_MUST_CHECK;
/* Records activity: last_activity_at = now, status setup -> active, and
 * released version `number` added to experiment_versions (0 = none). */
cf_status store_session_touch(struct db *db, unsigned long long session_id, long number) CF_MUST_CHECK;

#endif
