/* store_participants.c - SQL of participants and participant_data. */
#include "store_participants.h"

#include <stdlib.h>

#include "xalloc.h"

static const char SQL_PARTICIPANT_FIND[] =
	"SELECT id FROM participants WHERE team_id = ? AND platform = ? AND identifier = ?";
static const char SQL_PARTICIPANT_UPSERT[] =
	"INSERT INTO participants (public_id, team_id, platform, identifier, user_id) VALUES (UUID(), ?, ?, ?, NULLIF(?, 0))"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
static const char SQL_PARTICIPANT_CREATE[] =
	"INSERT INTO participants (public_id, team_id, identifier, platform, name, remote_id) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_PARTICIPANT_NAME[] = "UPDATE participants SET name = ? WHERE id = ?";
static const char SQL_PDATA_NAME[] =
	"INSERT INTO participant_data (participant_id, experiment_id, team_id, data) VALUES (?, ?, ?, JSON_OBJECT('name', ?))"
	" ON DUPLICATE KEY UPDATE data = JSON_SET(data, '$.name', ?)";
static const char SQL_PDATA_LOCK[] =
	"SELECT data FROM participant_data WHERE participant_id = ? AND experiment_id = ? FOR UPDATE";
static const char SQL_PDATA_PUT[] =
	"INSERT INTO participant_data (participant_id, experiment_id, team_id, data) VALUES (?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE data = VALUES(data), updated_at = UTC_TIMESTAMP(6)";
static const char SQL_MEMBER_EMAIL[] =
	"SELECT EXISTS (SELECT 1 FROM team_memberships m JOIN users u ON u.id = m.user_id"
	" WHERE m.team_id = ? AND u.email = ?)";

cf_status store_participant_upsert(struct db *db, unsigned long long team_id, const char *platform,
                                   const char *identifier, unsigned long long user_id,
                                   unsigned long long *participant_id)
{
	/* The participant usually exists: find it without taking locks. An
	 * insert also share-locks the team row (foreign key), which would
	 * deadlock with store_api_channel's lock of that row under load. */
	struct db_rows rows;
	cf_status st = db_query(db, SQL_PARTICIPANT_FIND, &rows, "uss", team_id, platform, identifier);
	bool found = st == CF_OK && rows.nrows > 0;
	if (found)
		*participant_id = (unsigned long long)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	if (st != CF_OK || found)
		return st;
	return db_exec(db, SQL_PARTICIPANT_UPSERT, NULL, participant_id, "ussu", team_id, platform, identifier,
	               user_id);
}

cf_status store_participant_create(struct db *db, unsigned long long team_id, const char *public_id,
                                   const char *identifier, const char *platform, const char *name,
                                   const char *remote_id, unsigned long long *id)
{
	return db_exec(db, SQL_PARTICIPANT_CREATE, NULL, id, "susss" "s", public_id, team_id, identifier, platform, name,
	               remote_id);
}

cf_status store_participant_set_name(struct db *db, unsigned long long participant_id, const char *name)
{
	return db_exec(db, SQL_PARTICIPANT_NAME, NULL, NULL, "su", name, participant_id);
}

cf_status store_participant_data_set_name(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                          unsigned long long chatbot_id, const char *name)
{
	return db_exec(db, SQL_PDATA_NAME, NULL, NULL, "uuuss", participant_id, chatbot_id, team_id, name, name);
}

cf_status store_participant_data_lock(struct db *db, unsigned long long participant_id,
                                      unsigned long long chatbot_id, char **data_json)
{
	struct db_rows rows;
	*data_json = NULL;
	cf_status st = db_query_one(db, SQL_PDATA_LOCK, &rows, "uu", participant_id, chatbot_id);
	if (st == CF_OK)
		*data_json = xstrdup(db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	return st;
}

cf_status store_participant_data_put(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                     unsigned long long chatbot_id, const char *data_json)
{
	return db_exec(db, SQL_PDATA_PUT, NULL, NULL, "uuus", participant_id, chatbot_id, team_id, data_json);
}

cf_status store_is_team_member_email(struct db *db, unsigned long long team_id, const char *email, bool *member)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_MEMBER_EMAIL, &rows, "us", team_id, email);
	*member = st == CF_OK && db_cell_bool(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}
