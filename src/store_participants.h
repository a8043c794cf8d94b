/* store_participants.h - who talks to a chatbot: statements of participants
 * and participant_data (per-chatbot data of a participant). */
#ifndef CONFAB_STORE_PARTICIPANTS_H
#define CONFAB_STORE_PARTICIPANTS_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* Get-or-create of participant (team, platform, identifier); user_id is set
 * on creation only (0 = none). */
cf_status store_participant_upsert(struct db *db, unsigned long long team_id, const char *platform,
                                   const char *identifier, unsigned long long user_id,
                                   unsigned long long *participant_id) CF_MUST_CHECK;
/* A new participant (always new for anonymous and embed-key callers). */
cf_status store_participant_create(struct db *db, unsigned long long team_id, const char *public_id,
                                   const char *identifier, const char *platform, const char *name,
                                   const char *remote_id, unsigned long long *id) CF_MUST_CHECK;
cf_status store_participant_set_name(struct db *db, unsigned long long participant_id, const char *name) CF_MUST_CHECK;
/* Sets "name" in the participant's data for a chatbot (creating the row). */
cf_status store_participant_data_set_name(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                          unsigned long long chatbot_id, const char *name) CF_MUST_CHECK;
/* Inside a transaction: the participant's data for a chatbot (JSON text,
 * caller frees), locked. CF_E_NOT_FOUND when there is no row yet. */
cf_status store_participant_data_lock(struct db *db, unsigned long long participant_id,
                                      unsigned long long chatbot_id, char **data_json) CF_MUST_CHECK;
cf_status store_participant_data_put(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                     unsigned long long chatbot_id, const char *data_json) CF_MUST_CHECK;
/* True when email belongs to a member of team (the allow-list of a private
 * chatbot admits its team's members). */
cf_status store_is_team_member_email(struct db *db, unsigned long long team_id, const char *email,
                                     bool *member) CF_MUST_CHECK;

#endif
