/* store_chat.c - SQL behind the chat-widget API and its channels. */
#include "store_chat.h"

#include <stdio.h>
#include <string.h>

static const char SQL_WIDGET_CHANNELS[] =
	"SELECT c.id, c.team_id, COALESCE(c.widget_token, ''), c.allowed_domains FROM experiment_channels c"
	" JOIN experiments e ON e.id = c.experiment_id"
	" WHERE e.public_id = ? AND e.working_version_id IS NULL AND e.is_archived = 0"
	" AND c.platform = 'embedded_widget' AND c.deleted = 0";
static const char SQL_PARTICIPANT_CREATE[] =
	"INSERT INTO participants (public_id, team_id, identifier, platform, name, remote_id) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_PARTICIPANT_NAME[] = "UPDATE participants SET name = ? WHERE id = ?";
static const char SQL_PDATA_NAME[] =
	"INSERT INTO participant_data (participant_id, experiment_id, team_id, data) VALUES (?, ?, ?, JSON_OBJECT('name', ?))"
	" ON DUPLICATE KEY UPDATE data = JSON_SET(data, '$.name', ?)";
static const char SQL_CHAT_WITH_SOURCE[] =
	"INSERT INTO chats (team_id, name, metadata) VALUES (?, ?, JSON_OBJECT('embed_source', ?))";
static const char SQL_WIDGET_SESSION[] =
	"INSERT INTO experiment_sessions (external_id, team_id, experiment_id, participant_id, experiment_channel_id,"
	" chat_id, status, platform, state) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)";
static const char SQL_CHANNEL_CREATE[] =
	"INSERT INTO experiment_channels (team_id, experiment_id, platform, name, widget_token, allowed_domains)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_CHANNEL_CREATE_SECRET[] =
	"INSERT INTO experiment_channels (team_id, experiment_id, platform, name, secret) VALUES (?, ?, ?, ?, ?)";
static const char SQL_CHANNEL_LIST[] =
	"SELECT c.id, c.platform, c.name, COALESCE(c.widget_token, ''), c.allowed_domains, e.public_id"
	" FROM experiment_channels c JOIN experiments e ON e.id = c.experiment_id"
	" WHERE c.experiment_id = ? AND c.deleted = 0 ORDER BY c.id";
static const char SQL_CHANNEL_REMOVE[] = "UPDATE experiment_channels SET deleted = 1 WHERE id = ? AND deleted = 0";

cf_status store_widget_channels(struct db *db, const char *chatbot_public_id, struct db_rows *rows)
{
	return db_query(db, SQL_WIDGET_CHANNELS, rows, "s", chatbot_public_id);
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
                                          unsigned long long experiment_id, const char *name)
{
	return db_exec(db, SQL_PDATA_NAME, NULL, NULL, "uuuss", participant_id, experiment_id, team_id, name, name);
}

cf_status store_widget_session_create(struct db *db, unsigned long long team_id, const char *external_id,
                                      unsigned long long experiment_id, unsigned long long participant_id,
                                      unsigned long long channel_id, const char *platform, const char *chat_name,
                                      const char *embed_source, const char *state_json, unsigned long long *session_id)
{
	unsigned long long chat_id = 0;
	cf_status st = db_exec(db, SQL_CHAT_WITH_SOURCE, NULL, &chat_id, "uss", team_id, chat_name, embed_source);
	if (st == CF_OK)
		st = db_exec(db, SQL_WIDGET_SESSION, NULL, session_id, "suuuuuss", external_id, team_id, experiment_id,
		             participant_id, channel_id, chat_id, platform, state_json);
	return st;
}

cf_status store_channel_create(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                               const char *platform, const char *name, const char *widget_token,
                               const char *allowed_domains_json, unsigned long long *id)
{
	return db_exec(db, SQL_CHANNEL_CREATE, NULL, id, "uussss", team_id, experiment_id, platform, name, widget_token,
	               allowed_domains_json);
}

cf_status store_channel_list(struct db *db, unsigned long long experiment_id, channel_list_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHANNEL_LIST, &rows, "u", experiment_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct channel_list_row row;
		memset(&row, 0, sizeof row);
		row.id = (unsigned long long)db_cell_int(&rows, r, 0);
		snprintf(row.platform, sizeof row.platform, "%s", db_cell_str(&rows, r, 1));
		snprintf(row.name, sizeof row.name, "%s", db_cell_str(&rows, r, 2));
		snprintf(row.widget_token, sizeof row.widget_token, "%s", db_cell_str(&rows, r, 3));
		row.allowed_domains = db_cell_str(&rows, r, 4);
		snprintf(row.chatbot_public_id, sizeof row.chatbot_public_id, "%s", db_cell_str(&rows, r, 5));
		st = fn(ctx, &row);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_channel_remove(struct db *db, unsigned long long id)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_CHANNEL_REMOVE, &affected, NULL, "u", id);
	return (st == CF_OK && affected == 0) ? CF_E_NOT_FOUND : st;
}

static const char SQL_CHAT_SESSION[] =
	"SELECT s.id, s.chat_id, s.team_id, s.status, e.participant_allowlist, COALESCE(p.identifier, '')"
	" FROM experiment_sessions s JOIN experiments e ON e.id = s.experiment_id AND e.is_archived = 0"
	" LEFT JOIN participants p ON p.id = s.participant_id WHERE s.external_id = ?";
static const char SQL_MEMBER_EMAIL[] =
	"SELECT EXISTS (SELECT 1 FROM team_memberships m JOIN users u ON u.id = m.user_id"
	" WHERE m.team_id = ? AND u.email = ?)";

cf_status store_chat_session(struct db *db, const char *external_id, struct db_rows *rows)
{
	return db_query_one(db, SQL_CHAT_SESSION, rows, "s", external_id);
}

cf_status store_is_team_member_email(struct db *db, unsigned long long team_id, const char *email, bool *member)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_MEMBER_EMAIL, &rows, "us", team_id, email);
	*member = st == CF_OK && db_cell_bool(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_channel_create_messaging(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                                         const char *platform, const char *name, const char *secret,
                                         unsigned long long *id)
{
	return db_exec(db, SQL_CHANNEL_CREATE_SECRET, NULL, id, "uusss", team_id, experiment_id, platform, name, secret);
}

/* One chat poll page: at most ? rows after since, oldest first; the last
 * column says whether the content stored before the row (content +
 * metadata bytes) is still under the byte budget, and rows past it come
 * without content and metadata, so the worker never holds more than the
 * budget plus one message. */
static const char SQL_CHAT_POLL_PAGE[] =
	"SELECT id, created_at, message_type, IF(within, content, NULL), NULL, IF(within, metadata, NULL), within"
	" FROM (SELECT id, created_at, message_type, content, metadata,"
	" COALESCE(SUM(LENGTH(content) + LENGTH(metadata)) OVER (ORDER BY created_at, id"
	" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < ? AS within"
	" FROM (SELECT id, created_at, message_type, content, metadata FROM chat_messages"
	" WHERE chat_id = ? AND created_at > ? ORDER BY created_at, id LIMIT ?) AS page) AS w"
	" ORDER BY created_at, id";

cf_status store_chat_poll_page(struct db *db, unsigned long long chat_id, const char *since, long rows_max,
                               long max_bytes, struct db_rows *rows)
{
	return db_query(db, SQL_CHAT_POLL_PAGE, rows, "iusi", (long long)max_bytes, chat_id, since, (long long)rows_max);
}
