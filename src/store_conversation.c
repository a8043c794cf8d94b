/* store_conversation.c - SQL of the conversation engine. */
#include "store_conversation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char SQL_SESSION_IDS[] =
	"SELECT id, chat_id, COALESCE(participant_id, 0), experiment_id, status FROM experiment_sessions"
	" WHERE external_id = ? AND team_id = ?";
/* One round trip for a turn's context: a fixed-shape UNION ALL whose first
 * column says what a row is (0 history, newest first; 1 participant; 2
 * session state). The participant and state parts are switched off by a
 * flag parameter rather than left out, so there is one prepared statement. */
enum context_kind { CONTEXT_HISTORY, CONTEXT_PARTICIPANT, CONTEXT_STATE };
static const char SQL_CONTEXT[] =
	"(SELECT 0 AS kind, h.message_type AS a, h.content AS b, h.created_at AS t, h.id AS i FROM chat_messages h"
	" WHERE h.chat_id = ? AND h.id <> ? ORDER BY h.created_at DESC, h.id DESC LIMIT ?)"
	" UNION ALL"
	" (SELECT 1, p.name, COALESCE(d.data, '{}'), NULL, NULL FROM participants p"
	" LEFT JOIN participant_data d ON d.participant_id = p.id AND d.experiment_id = ?"
	" WHERE ? = 1 AND p.id = ? AND p.team_id = ?)"
	" UNION ALL"
	" (SELECT 2, NULL, s.state, NULL, NULL FROM experiment_sessions s WHERE ? = 1 AND s.id = ? AND s.team_id = ?)"
	" ORDER BY 1, 4 DESC, 5 DESC";
static const char SQL_HUMAN_MESSAGE_ADD[] =
	"INSERT INTO chat_messages (chat_id, team_id, message_type, content, metadata, created_at)"
	" VALUES (?, ?, 'human', ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_CHAT_TASK[] =
	"SELECT j.status, COALESCE(s.external_id, ''), j.result FROM jobs j"
	" LEFT JOIN experiment_sessions s ON s.id = j.session_id WHERE j.task_id = ? AND j.kind = 'chat_message'";
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
                            struct session_ids_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_SESSION_IDS, &rows, "su", external_id, team_id);
	if (st == CF_OK) {
		out->id = (unsigned long long)db_cell_int(&rows, 0, 0);
		out->chat_id = (unsigned long long)db_cell_int(&rows, 0, 1);
		out->participant_id = (unsigned long long)db_cell_int(&rows, 0, 2);
		out->chatbot_id = (unsigned long long)db_cell_int(&rows, 0, 3);
		snprintf(out->status, sizeof out->status, "%s", db_cell_str(&rows, 0, 4));
	}
	db_rows_free(&rows);
	return st;
}

/* Fills out from the rows of SQL_CONTEXT; history is reversed to oldest first. */
static void context_fill(const struct db_rows *rows, struct conversation_context *out)
{
	size_t n = 0;
	while (n < rows->nrows && db_cell_int(rows, n, 0) == CONTEXT_HISTORY)
		n++;
	out->history = xcalloc(n + 1, sizeof *out->history);
	out->nhistory = n;
	for (size_t i = 0; i < n; i++) {
		struct history_row *h = &out->history[n - 1 - i];
		snprintf(h->message_type, sizeof h->message_type, "%s", db_cell_str(rows, i, 1));
		h->content = xstrdup(db_cell_str(rows, i, 2));
	}
	for (size_t r = n; r < rows->nrows; r++) {
		if (db_cell_int(rows, r, 0) == CONTEXT_PARTICIPANT && !out->has_participant) {
			out->has_participant = true;
			snprintf(out->participant_name, sizeof out->participant_name, "%s", db_cell_str(rows, r, 1));
			out->participant_data = xstrdup(db_cell_str(rows, r, 2));
		} else if (db_cell_int(rows, r, 0) == CONTEXT_STATE && !out->has_state) {
			out->has_state = true;
			out->session_state = xstrdup(db_cell_str(rows, r, 2));
		}
	}
}

cf_status store_conversation_context(struct db *db, const struct conversation_context_query *q,
                                     struct conversation_context *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	bool participant = q->want_participant && q->participant_id != 0;
	cf_status st = db_query(db, SQL_CONTEXT, &rows, "uuiubuubuu", q->chat_id, q->exclude_message_id,
	                        (long long)(q->history_limit > 0 ? q->history_limit : 0), q->chatbot_id, (int)participant,
	                        q->participant_id, q->team_id, (int)q->want_state, q->session_id, q->team_id);
	if (st == CF_OK)
		context_fill(&rows, out);
	db_rows_free(&rows);
	return st;
}

void conversation_context_free(struct conversation_context *c)
{
	for (size_t i = 0; i < c->nhistory; i++)
		free(c->history[i].content);
	free(c->history);
	free(c->participant_data);
	free(c->session_state);
	memset(c, 0, sizeof *c);
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

cf_status store_chat_task(struct db *db, const char *task_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_CHAT_TASK, rows, "s", task_id);
}
