/* store_conversation.c - SQL of the conversation engine. */
#include "store_conversation.h"

#include <stdio.h>

static const char SQL_SESSION_IDS[] =
	"SELECT id, chat_id, COALESCE(participant_id, 0), experiment_id, status FROM experiment_sessions"
	" WHERE external_id = ? AND team_id = ?";
static const char SQL_HISTORY[] =
	"SELECT message_type, content FROM chat_messages WHERE chat_id = ? AND id <> ?"
	" ORDER BY created_at DESC, id DESC LIMIT ?";
static const char SQL_PARTICIPANT_VARS[] =
	"SELECT p.name, COALESCE(d.data, '{}') FROM participants p"
	" LEFT JOIN participant_data d ON d.participant_id = p.id AND d.experiment_id = ?"
	" WHERE p.id = ? AND p.team_id = ?";
static const char SQL_SESSION_STATE[] = "SELECT state FROM experiment_sessions WHERE id = ?";
static const char SQL_HUMAN_MESSAGE_ADD[] =
	"INSERT INTO chat_messages (chat_id, team_id, message_type, content, metadata, created_at)"
	" VALUES (?, ?, 'human', ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_AI_MESSAGE_ADD[] =
	"INSERT INTO chat_messages (chat_id, team_id, message_type, content, prompt_tokens, completion_tokens,"
	" created_at) VALUES (?, ?, 'ai', ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_VERSION_TAG_UPSERT[] =
	"INSERT INTO tags (team_id, name, slug, is_system_tag, category) VALUES (?, ?, ?, 1, 'experiment_version')"
	" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
static const char SQL_MESSAGE_TAG_ADD[] =
	"INSERT IGNORE INTO chat_message_tags (message_id, tag_id, team_id) VALUES (?, ?, ?)";
static const char SQL_SESSION_TOUCH[] =
	"UPDATE experiment_sessions SET last_activity_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6),"
	" status = IF(status = 'setup', 'active', status),"
	" experiment_versions = IF(? = 0 OR JSON_CONTAINS(experiment_versions, CAST(? AS CHAR)),"
	" experiment_versions, JSON_ARRAY_APPEND(experiment_versions, '$', ?))"
	" WHERE id = ?";

cf_status store_session_ids(struct db *db, unsigned long long team_id, const char *external_id,
                            struct db_rows *rows)
{
	return db_query_one(db, SQL_SESSION_IDS, rows, "su", external_id, team_id);
}

cf_status store_history(struct db *db, unsigned long long chat_id, unsigned long long exclude_id, long limit,
                        struct db_rows *rows)
{
	return db_query(db, SQL_HISTORY, rows, "uui", chat_id, exclude_id, (long long)limit);
}

cf_status store_participant_vars(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                 unsigned long long experiment_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_PARTICIPANT_VARS, rows, "uuu", experiment_id, participant_id, team_id);
}

cf_status store_session_state(struct db *db, unsigned long long session_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_SESSION_STATE, rows, "u", session_id);
}

cf_status store_ai_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                               const char *content, bool have_usage, long prompt_tokens, long completion_tokens,
                               unsigned long long *message_id)
{
	if (have_usage)
		return db_exec(db, SQL_AI_MESSAGE_ADD, NULL, message_id, "uusii", chat_id, team_id, content,
		               (long long)prompt_tokens, (long long)completion_tokens);
	return db_exec(db, SQL_AI_MESSAGE_ADD, NULL, message_id, "uusnn", chat_id, team_id, content);
}

cf_status store_message_version_tag(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                    const char *name)
{
	unsigned long long tag_id = 0;
	cf_status st = db_exec(db, SQL_VERSION_TAG_UPSERT, NULL, &tag_id, "uss", team_id, name, name);
	if (st == CF_OK)
		st = db_exec(db, SQL_MESSAGE_TAG_ADD, NULL, NULL, "uuu", message_id, tag_id, team_id);
	return st;
}

cf_status store_session_touch(struct db *db, unsigned long long session_id, long number)
{
	return db_exec(db, SQL_SESSION_TOUCH, NULL, NULL, "iiiu", (long long)number, (long long)number,
	               (long long)number, session_id);
}

cf_status store_human_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                                  const char *content, const char *metadata_json, unsigned long long *message_id)
{
	return db_exec(db, SQL_HUMAN_MESSAGE_ADD, NULL, message_id, "uuss", chat_id, team_id, content, metadata_json);
}

