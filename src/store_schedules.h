/* store_schedules.h - SQL of scheduled_messages
 * (sql/010_scheduled_messages.sql): one-off messages a participant is sent
 * at a given time (docs/API.md §9.4). Rows cross this boundary as struct
 * schedule_row. */
#ifndef CONFAB_STORE_SCHEDULES_H
#define CONFAB_STORE_SCHEDULES_H

#include <stdbool.h>

#include "db.h"
#include "limits.h"
#include "status.h"

/* A schedule with what its send needs of its participant. */
struct schedule_row {
	unsigned long long id;
	unsigned long long team_id;
	unsigned long long experiment_id;
	unsigned long long participant_id;
	unsigned version;
	bool cancelled;
	bool sent;
	char platform[33];                            /* the participant's */
	char identifier[CF_PARTICIPANT_ID_MAX * 4 + 1];
	char *prompt_text;                            /* owned; free with schedule_row_free */
};
void schedule_row_free(struct schedule_row *row);

/* Creates the schedule (participant, experiment, external_id), or updates
 * its name, prompt and date (a DATETIME(6) text) and bumps its version.
 * *id and *version receive the row's id and its version now. */
cf_status store_schedule_put(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                             unsigned long long participant_id, const char *external_id, const char *name,
                             const char *prompt_text, const char *trigger_db_time, unsigned long long *id,
                             unsigned *version) CF_MUST_CHECK;
/* Marks the schedule cancelled (by user_id, 0 = none); an unknown
 * external_id changes nothing. */
cf_status store_schedule_cancel(struct db *db, unsigned long long participant_id, unsigned long long experiment_id,
                                const char *external_id, unsigned long long user_id) CF_MUST_CHECK;
/* True when the external id is taken for (participant, experiment). */
cf_status store_schedule_exists(struct db *db, unsigned long long participant_id, unsigned long long experiment_id,
                                const char *external_id, bool *exists) CF_MUST_CHECK;
/* Inside a transaction: the schedule, locked, into *out (caller frees with
 * schedule_row_free, also after a failure). CF_E_NOT_FOUND when absent. */
cf_status store_schedule_lock(struct db *db, unsigned long long team_id, unsigned long long id,
                              struct schedule_row *out) CF_MUST_CHECK;
cf_status store_schedule_mark_sent(struct db *db, unsigned long long id) CF_MUST_CHECK;
#endif
