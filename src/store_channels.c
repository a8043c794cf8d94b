/* store_channels.c - SQL of the channel entry points. */
#include "store_channels.h"

#include "store_secrets.h"

#define OPEN_STATUS " s.status NOT IN ('pending-review', 'complete', 'unknown')"

static const char SQL_CHATBOT_CHANNEL[] =
	"SELECT id, COALESCE(secret, '') FROM experiment_channels WHERE team_id = ? AND experiment_id = ?"
	" AND platform = ? AND deleted = 0 ORDER BY id LIMIT 1";
static const char SQL_CHANNEL_GET[] =
	"SELECT platform, COALESCE(secret, ''), deleted FROM experiment_channels WHERE id = ? AND team_id = ?";
static const char SQL_PDATA_LOCK[] =
	"SELECT data FROM participant_data WHERE participant_id = ? AND experiment_id = ? FOR UPDATE";
static const char SQL_PDATA_PUT[] =
	"INSERT INTO participant_data (participant_id, experiment_id, team_id, data) VALUES (?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE data = VALUES(data), updated_at = UTC_TIMESTAMP(6)";
static const char SQL_LATEST_OPEN[] =
	"SELECT s.id, s.chat_id, s.participant_id, s.external_id FROM participants p"
	" JOIN experiment_sessions s ON s.participant_id = p.id AND s.experiment_id = ?"
	" WHERE p.team_id = ? AND p.identifier = ? AND" OPEN_STATUS
	" ORDER BY s.created_at DESC, s.id DESC LIMIT 1";
static const char SQL_SESSION_BY_ID[] =
	"SELECT id, chat_id, COALESCE(participant_id, 0), external_id, experiment_id FROM experiment_sessions"
	" WHERE id = ? AND team_id = ?";
static const char SQL_API_SESSION[] =
	"SELECT s.id, s.chat_id, s.participant_id, s.external_id FROM experiment_sessions s"
	" JOIN participants p ON p.id = s.participant_id"
	" JOIN experiment_channels c ON c.id = s.experiment_channel_id"
	" WHERE s.external_id = ? AND s.team_id = ? AND s.experiment_id = ? AND p.user_id = ? AND c.platform = 'api'";
static const char SQL_CHANNEL_SESSION_CREATE[] =
	"INSERT INTO experiment_sessions (external_id, team_id, experiment_id, participant_id, experiment_channel_id,"
	" chat_id, status, platform) VALUES (?, ?, ?, ?, ?, ?, 'setup', ?)";
static const char SQL_SESSION_END_ID[] =
	"UPDATE experiment_sessions SET status = 'pending-review', ended_at = UTC_TIMESTAMP(6),"
	" updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_STATE_LOCK[] = "SELECT state FROM experiment_sessions WHERE id = ? FOR UPDATE";
static const char SQL_STATE_PUT[] =
	"UPDATE experiment_sessions SET state = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_CHAT_HAS_HUMAN[] =
	"SELECT EXISTS (SELECT 1 FROM chat_messages WHERE chat_id = ? AND message_type = 'human')";
static const char SQL_JOB_SET_SESSION[] = "UPDATE jobs SET session_id = ? WHERE id = ?";
static const char SQL_MESSAGE_CONTENT[] = "SELECT content FROM chat_messages WHERE id = ? AND team_id = ?";

cf_status store_chatbot_channel(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                                const char *platform, struct db_rows *rows)
{
	cf_status st = db_query_one(db, SQL_CHATBOT_CHANNEL, rows, "uus", team_id, experiment_id, platform);
	if (st == CF_OK)
		st = store_secret_open(SECRET_CHANNEL_SECRET, team_id, &rows->cells[1], &rows->lens[1]);
	return st;
}

cf_status store_channel_get(struct db *db, unsigned long long team_id, unsigned long long channel_id,
                            struct db_rows *rows)
{
	cf_status st = db_query_one(db, SQL_CHANNEL_GET, rows, "uu", channel_id, team_id);
	if (st == CF_OK)
		st = store_secret_open(SECRET_CHANNEL_SECRET, team_id, &rows->cells[1], &rows->lens[1]);
	return st;
}

cf_status store_participant_data_lock(struct db *db, unsigned long long participant_id,
                                      unsigned long long experiment_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_PDATA_LOCK, rows, "uu", participant_id, experiment_id);
}

cf_status store_participant_data_put(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                     unsigned long long experiment_id, const char *data_json)
{
	return db_exec(db, SQL_PDATA_PUT, NULL, NULL, "uuus", participant_id, experiment_id, team_id, data_json);
}

cf_status store_latest_open_session(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                                    const char *identifier, struct db_rows *rows)
{
	return db_query_one(db, SQL_LATEST_OPEN, rows, "uus", experiment_id, team_id, identifier);
}

cf_status store_api_session(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                            const char *external_id, unsigned long long user_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_API_SESSION, rows, "suuu", external_id, team_id, experiment_id, user_id);
}

cf_status store_channel_session_create(struct db *db, unsigned long long team_id, const char *external_id,
                                       unsigned long long experiment_id, unsigned long long participant_id,
                                       unsigned long long channel_id, unsigned long long chat_id,
                                       const char *platform, unsigned long long *session_id)
{
	return db_exec(db, SQL_CHANNEL_SESSION_CREATE, NULL, session_id, "suuuuus", external_id, team_id, experiment_id,
	               participant_id, channel_id, chat_id, platform);
}

cf_status store_session_end_id(struct db *db, unsigned long long session_id)
{
	return db_exec(db, SQL_SESSION_END_ID, NULL, NULL, "u", session_id);
}

cf_status store_session_state_lock(struct db *db, unsigned long long session_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_STATE_LOCK, rows, "u", session_id);
}

cf_status store_session_state_put(struct db *db, unsigned long long session_id, const char *state_json)
{
	return db_exec(db, SQL_STATE_PUT, NULL, NULL, "su", state_json, session_id);
}

cf_status store_chat_has_human(struct db *db, unsigned long long chat_id, bool *has)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHAT_HAS_HUMAN, &rows, "u", chat_id);
	*has = st == CF_OK && db_cell_bool(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_job_set_session(struct db *db, unsigned long long job_id, unsigned long long session_id)
{
	return db_exec(db, SQL_JOB_SET_SESSION, NULL, NULL, "uu", session_id, job_id);
}

cf_status store_message_content(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                struct db_rows *rows)
{
	return db_query_one(db, SQL_MESSAGE_CONTENT, rows, "uu", message_id, team_id);
}

cf_status store_session_by_id(struct db *db, unsigned long long team_id, unsigned long long session_id,
                              struct db_rows *rows)
{
	return db_query_one(db, SQL_SESSION_BY_ID, rows, "uu", session_id, team_id);
}
