/* store_conversation.h - the one aggregate read of a conversation turn:
 * the chat's recent history, the participant's prompt variables and the
 * session state, in one statement across chat_messages, participants,
 * participant_data and experiment_sessions (their writes live in those
 * tables' modules). */
#ifndef CONFAB_STORE_CONVERSATION_H
#define CONFAB_STORE_CONVERSATION_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* What one turn reads besides the chatbot: the chat's recent history and,
 * when asked for, the participant's prompt variables and the session
 * state. */
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

#endif
