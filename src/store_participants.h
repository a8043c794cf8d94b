/* store_participants.h - who talks to a chatbot: statements of participants
 * and participant_data (per-chatbot data of a participant). */
#ifndef CONFAB_STORE_PARTICIPANTS_H
#define CONFAB_STORE_PARTICIPANTS_H

#include <stdbool.h>

#include "db.h"
#include "limits.h"
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

/* One participant as the participants API shows it (docs/API.md §9.3). */
struct participant_row {
	unsigned long long id;
	char public_id[37];
	char identifier[CF_PARTICIPANT_ID_MAX * 4 + 1];
	char name[CF_PARTICIPANT_ID_MAX * 4 + 1];
	char platform[33];
	char remote_id[1021];                        /* VARCHAR(255) */
	char created_at[32];                         /* DATETIME(6) text, the cursor's key */
};

/* The filters of the participants list: "" = any identifier or platform;
 * chatbot_id 0 = any (a participant must have data for it otherwise). */
struct participant_filter {
	unsigned long long team_id;
	const char *identifier;
	const char *platform;
	unsigned long long chatbot_id;
};

/* One page of the list, newest first (created_at, id descending): the rows
 * after (after_created, after_id) when after_id is not 0, at most limit.
 * *out (caller frees) holds *n rows. */
cf_status store_participants_page(struct db *db, const struct participant_filter *f, const char *after_created,
                                  unsigned long long after_id, size_t limit, struct participant_row **out,
                                  size_t *n) CF_MUST_CHECK;
cf_status store_participants_count(struct db *db, const struct participant_filter *f,
                                   unsigned long long *count) CF_MUST_CHECK;
/* By id in team; CF_E_NOT_FOUND when absent. */
cf_status store_participant_get(struct db *db, unsigned long long team_id, unsigned long long id,
                                struct participant_row *out) CF_MUST_CHECK;

/* One chatbot's data of a participant. data_json is owned (free with
 * participant_data_rows_free). connect_channel_id "" = none. */
struct participant_data_row {
	char chatbot[520];
	char chatbot_id[37];
	char *data_json;
	char connect_channel_id[64];
};
/* The participant's data rows (only chatbot_id's when not 0), oldest
 * first; *out (free with participant_data_rows_free) holds *n rows. */
cf_status store_participant_data_of(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                    unsigned long long chatbot_id, struct participant_data_row **out,
                                    size_t *n) CF_MUST_CHECK;
void participant_data_rows_free(struct participant_data_row *rows, size_t n);
/* Creates the participant's data row for the chatbot when it is missing
 * ({} then), leaving an existing one as it is. */
cf_status store_participant_data_ensure(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                        unsigned long long chatbot_id) CF_MUST_CHECK;

#endif
