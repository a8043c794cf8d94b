/* store_schedules.c - SQL of scheduled_messages (see store_schedules.h). */
#include "store_schedules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char SQL_SCHEDULE_PUT[] =
	"INSERT INTO scheduled_messages (team_id, experiment_id, participant_id, external_id, name, prompt_text,"
	" next_trigger_date) VALUES (?, ?, ?, ?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), name = VALUES(name), prompt_text = VALUES(prompt_text),"
	" next_trigger_date = VALUES(next_trigger_date), version = version + 1";
static const char SQL_SCHEDULE_VERSION[] = "SELECT version FROM scheduled_messages WHERE id = ?";
static const char SQL_SCHEDULE_CANCEL[] =
	"UPDATE scheduled_messages SET cancelled_at = UTC_TIMESTAMP(6), cancelled_by = NULLIF(?, 0)"
	" WHERE participant_id = ? AND experiment_id = ? AND external_id = ?";
static const char SQL_SCHEDULE_EXISTS[] =
	"SELECT EXISTS (SELECT 1 FROM scheduled_messages WHERE participant_id = ? AND experiment_id = ?"
	" AND external_id = ?)";
static const char SQL_SCHEDULE_LOCK[] =
	"SELECT s.id, s.team_id, s.experiment_id, s.participant_id, s.version, s.cancelled_at IS NOT NULL,"
	" s.sent_at IS NOT NULL, p.platform, p.identifier, s.prompt_text"
	" FROM scheduled_messages s JOIN participants p ON p.id = s.participant_id"
	" WHERE s.team_id = ? AND s.id = ? FOR UPDATE";
enum { LK_ID, LK_TEAM, LK_EXPERIMENT, LK_PARTICIPANT, LK_VERSION, LK_CANCELLED, LK_SENT, LK_PLATFORM, LK_IDENT,
       LK_PROMPT };
static const char SQL_SCHEDULE_SENT[] = "UPDATE scheduled_messages SET sent_at = UTC_TIMESTAMP(6) WHERE id = ?";

void schedule_row_free(struct schedule_row *row)
{
	free(row->prompt_text);
	row->prompt_text = NULL;
}

cf_status store_schedule_put(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                             unsigned long long participant_id, const char *external_id, const char *name,
                             const char *prompt_text, const char *trigger_db_time, unsigned long long *id,
                             unsigned *version)
{
	cf_status st = db_exec(db, SQL_SCHEDULE_PUT, NULL, id, "uuussss", team_id, experiment_id, participant_id,
	                       external_id, name, prompt_text, trigger_db_time);
	if (st != CF_OK)
		return st;
	struct db_rows rows;
	st = db_query_one(db, SQL_SCHEDULE_VERSION, &rows, "u", *id);
	if (st == CF_OK)
		*version = (unsigned)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_schedule_cancel(struct db *db, unsigned long long participant_id, unsigned long long experiment_id,
                                const char *external_id, unsigned long long user_id)
{
	return db_exec(db, SQL_SCHEDULE_CANCEL, NULL, NULL, "uuus", user_id, participant_id, experiment_id,
	               external_id);
}

cf_status store_schedule_exists(struct db *db, unsigned long long participant_id, unsigned long long experiment_id,
                                const char *external_id, bool *exists)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_SCHEDULE_EXISTS, &rows, "uus", participant_id, experiment_id, external_id);
	*exists = st == CF_OK && db_cell_bool(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_schedule_lock(struct db *db, unsigned long long team_id, unsigned long long id,
                              struct schedule_row *out)
{
	memset(out, 0, sizeof *out);
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_SCHEDULE_LOCK, &rows, "uu", team_id, id);
	if (st == CF_OK) {
		out->id = (unsigned long long)db_cell_int(&rows, 0, LK_ID);
		out->team_id = (unsigned long long)db_cell_int(&rows, 0, LK_TEAM);
		out->experiment_id = (unsigned long long)db_cell_int(&rows, 0, LK_EXPERIMENT);
		out->participant_id = (unsigned long long)db_cell_int(&rows, 0, LK_PARTICIPANT);
		out->version = (unsigned)db_cell_int(&rows, 0, LK_VERSION);
		out->cancelled = db_cell_bool(&rows, 0, LK_CANCELLED);
		out->sent = db_cell_bool(&rows, 0, LK_SENT);
		snprintf(out->platform, sizeof out->platform, "%s", db_cell_str(&rows, 0, LK_PLATFORM));
		snprintf(out->identifier, sizeof out->identifier, "%s", db_cell_str(&rows, 0, LK_IDENT));
		out->prompt_text = xstrdup(db_cell_str(&rows, 0, LK_PROMPT));
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_schedule_mark_sent(struct db *db, unsigned long long id)
{
	return db_exec(db, SQL_SCHEDULE_SENT, NULL, NULL, "u", id);
}
