/* store_conversation.h - SQL of the conversation engine: history, prompt
 * variables, the AI message with its usage and version tag, and the
 * session's bookkeeping. Scoped by team where a row is found by id. */
#ifndef CONFAB_STORE_CONVERSATION_H
#define CONFAB_STORE_CONVERSATION_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* Internal ids of a session: columns id, chat_id, participant_id,
 * experiment_id, status. CF_E_NOT_FOUND when absent in team. */
cf_status store_session_ids(struct db *db, unsigned long long team_id, const char *external_id,
                            struct db_rows *rows) CF_MUST_CHECK;
/* The newest `limit` messages of a chat other than exclude_id, newest
 * first: columns message_type, content. */
cf_status store_history(struct db *db, unsigned long long chat_id, unsigned long long exclude_id, long limit,
                        struct db_rows *rows) CF_MUST_CHECK;
/* One row: the participant's name and their data for the chatbot (JSON
 * object text, "{}" when none). */
cf_status store_participant_vars(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                 unsigned long long experiment_id, struct db_rows *rows) CF_MUST_CHECK;
/* One row: the session's state (JSON text). */
cf_status store_session_state(struct db *db, unsigned long long session_id, struct db_rows *rows) CF_MUST_CHECK;
/* A human message with metadata (JSON object text). */
cf_status store_human_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                                  const char *content, const char *metadata_json,
                                  unsigned long long *message_id) CF_MUST_CHECK;
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
