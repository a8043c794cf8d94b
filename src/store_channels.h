/* store_channels.h - SQL of the channel entry points (../shared/spec/API.md
 * §9): a chatbot's channel per platform, participant data merges, the
 * latest open session of a participant, session state by id. */
#ifndef CONFAB_STORE_CHANNELS_H
#define CONFAB_STORE_CHANNELS_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* A non-deleted channel of a working chatbot on a platform: columns id,
 * secret (decrypted, store_secrets.h; "" when none). CF_E_NOT_FOUND when
 * there is none; CF_E_CONFIG when the secret does not open. */
cf_status store_chatbot_channel(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                                const char *platform, struct db_rows *rows) CF_MUST_CHECK;
/* A channel by id in team: columns platform, secret (decrypted), deleted. */
cf_status store_channel_get(struct db *db, unsigned long long team_id, unsigned long long channel_id,
                            struct db_rows *rows) CF_MUST_CHECK;
/* Inside a transaction: the participant's data for a chatbot, locked:
 * column data. CF_E_NOT_FOUND when there is no row yet. */
cf_status store_participant_data_lock(struct db *db, unsigned long long participant_id,
                                      unsigned long long experiment_id, struct db_rows *rows) CF_MUST_CHECK;
cf_status store_participant_data_put(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                     unsigned long long experiment_id, const char *data_json) CF_MUST_CHECK;
/* The latest open session (status not pending-review/complete/unknown) of
 * a chatbot for a participant identifier (any platform): columns id,
 * chat_id, participant_id, external_id. CF_E_NOT_FOUND when none. */
cf_status store_latest_open_session(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                                    const char *identifier, struct db_rows *rows) CF_MUST_CHECK;
/* A session by internal id in team: columns id, chat_id, participant_id,
 * external_id, experiment_id. */
cf_status store_session_by_id(struct db *db, unsigned long long team_id, unsigned long long session_id,
                              struct db_rows *rows) CF_MUST_CHECK;
/* A session for incoming_message's "session" field: only when it belongs to
 * the chatbot and team, its participant is linked to user_id and its
 * channel is an api channel. Columns as above. */
cf_status store_api_session(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                            const char *external_id, unsigned long long user_id, struct db_rows *rows) CF_MUST_CHECK;
/* A new session (status setup) on a channel and platform. */
cf_status store_channel_session_create(struct db *db, unsigned long long team_id, const char *external_id,
                                       unsigned long long experiment_id, unsigned long long participant_id,
                                       unsigned long long channel_id, unsigned long long chat_id,
                                       const char *platform, unsigned long long *session_id) CF_MUST_CHECK;
/* Ends a session by id (status pending-review, ended_at now). */
cf_status store_session_end_id(struct db *db, unsigned long long session_id) CF_MUST_CHECK;
/* Inside a transaction: a session's state, locked: column state. */
cf_status store_session_state_lock(struct db *db, unsigned long long session_id, struct db_rows *rows) CF_MUST_CHECK;
cf_status store_session_state_put(struct db *db, unsigned long long session_id, const char *state_json) CF_MUST_CHECK;
/* True when the chat has a message from the participant. */
cf_status store_chat_has_human(struct db *db, unsigned long long chat_id, bool *has) CF_MUST_CHECK;
/* One message of a team: column content. */
cf_status store_message_content(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                struct db_rows *rows) CF_MUST_CHECK;

#endif
