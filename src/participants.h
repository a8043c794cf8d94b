/* participants.h - the write side of the participants API (docs/API.md
 * §9.3, §9.4): a participant's name, per-chatbot data and scheduled
 * messages set in one transaction, and the scheduled_message job that
 * hands a due message to the trigger_bot job (job_kinds.h). */
#ifndef CONFAB_PARTICIPANTS_H
#define CONFAB_PARTICIPANTS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "db.h"
#include "limits.h"
#include "status.h"
#include "timefmt.h"

/* One entry of "schedules", validated. Strings are borrowed from the
 * request body. */
struct schedule_request {
	const char *id;                 /* NULL = absent (a new schedule) */
	const char *name;
	const char *prompt;
	char date_db[ISO_TIME_MAX];     /* UTC DATETIME(6) text */
	bool delete_it;
};

/* One entry of "data": a chatbot resolved to its working row. */
struct participant_item {
	char experiment[37];            /* the public id as sent, normalised */
	unsigned long long chatbot_id;  /* set by the handler after validation */
	struct json_object *data;       /* borrowed; NULL = absent or {} (left as it is) */
	struct schedule_request *schedules;   /* owned by the request */
	size_t nschedules;
};

struct participant_update {
	char identifier[CF_PARTICIPANT_ID_MAX * 4 + 1];   /* normalised for the platform */
	const char *name;               /* borrowed; NULL = absent */
	char platform[33];
	struct participant_item *items; /* owned */
	size_t nitems;
};
void participant_update_free(struct participant_update *rq);

/* Applies rq in team_id in one transaction: get-or-create of the
 * participant (team, platform, identifier), its name when given, each
 * item's data (replaced when given and not empty; a row made when none
 * exists), schedules created or updated (a scheduled_message job due at
 * each one's date) and deleted (cancelled; by user_id, 0 = none).
 * *participant_id receives the participant. */
cf_status participants_update(struct db *db, unsigned long long team_id, unsigned long long user_id,
                              const struct participant_update *rq,
                              unsigned long long *participant_id) CF_MUST_CHECK;

#endif
