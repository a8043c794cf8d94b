/* store_webhooks.c - SQL of webhook endpoints. */
#include "store_webhooks.h"

#include "store_secrets.h"

static const char SQL_TARGETS[] =
	"SELECT w.id, t.slug FROM webhook_endpoints w JOIN teams t ON t.id = w.team_id"
	" WHERE w.team_id = ? AND w.active = 1 AND (w.events IS NULL OR JSON_CONTAINS(w.events, JSON_QUOTE(?)))"
	" ORDER BY w.id";
static const char SQL_GET[] = "SELECT url, secret, active FROM webhook_endpoints WHERE id = ? AND team_id = ?";
static const char SQL_ADD[] = "INSERT INTO webhook_endpoints (team_id, url, secret, events) VALUES (?, ?, ?, ?)";
static const char SQL_LIST[] =
	"SELECT id, url, events, active, created_at FROM webhook_endpoints WHERE team_id = ? ORDER BY id";
static const char SQL_REMOVE[] = "DELETE FROM webhook_endpoints WHERE id = ? AND team_id = ?";
static const char SQL_DEACTIVATE[] = "UPDATE webhook_endpoints SET active = 0 WHERE id = ? AND team_id = ?";
static const char SQL_SESSION[] =
	"SELECT s.external_id, e.public_id, COALESCE(p.identifier, ''), COALESCE(s.platform, ''), s.status"
	" FROM experiment_sessions s JOIN experiments e ON e.id = s.experiment_id"
	" LEFT JOIN participants p ON p.id = s.participant_id WHERE s.id = ? AND s.team_id = ?";
static const char SQL_MESSAGE[] =
	"SELECT m.id, m.message_type, m.content, m.created_at, COALESCE(s.external_id, '') FROM chat_messages m"
	" LEFT JOIN experiment_sessions s ON s.chat_id = m.chat_id WHERE m.id = ? AND m.team_id = ?";

cf_status store_webhook_targets(struct db *db, unsigned long long team_id, const char *event, struct db_rows *rows)
{
	return db_query(db, SQL_TARGETS, rows, "us", team_id, event);
}

cf_status store_webhook_get(struct db *db, unsigned long long team_id, unsigned long long id, struct db_rows *rows)
{
	cf_status st = db_query_one(db, SQL_GET, rows, "uu", id, team_id);
	if (st == CF_OK)
		st = store_secret_open(SECRET_WEBHOOK_SECRET, team_id, &rows->cells[1], &rows->lens[1]);
	return st;
}

cf_status store_webhook_add(struct db *db, unsigned long long team_id, const char *url, const char *secret,
                            const char *events_json, unsigned long long *id)
{
	if (events_json == NULL)
		return db_exec(db, SQL_ADD, NULL, id, "ussn", team_id, url, secret);
	return db_exec(db, SQL_ADD, NULL, id, "usss", team_id, url, secret, events_json);
}

cf_status store_webhook_list(struct db *db, unsigned long long team_id, struct db_rows *rows)
{
	return db_query(db, SQL_LIST, rows, "u", team_id);
}

cf_status store_webhook_remove(struct db *db, unsigned long long team_id, unsigned long long id)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_REMOVE, &affected, NULL, "uu", id, team_id);
	return (st == CF_OK && affected == 0) ? CF_E_NOT_FOUND : st;
}

cf_status store_webhook_deactivate(struct db *db, unsigned long long team_id, unsigned long long id)
{
	return db_exec(db, SQL_DEACTIVATE, NULL, NULL, "uu", id, team_id);
}

cf_status store_webhook_session(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                struct db_rows *rows)
{
	return db_query_one(db, SQL_SESSION, rows, "uu", session_id, team_id);
}

cf_status store_webhook_message(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                struct db_rows *rows)
{
	return db_query_one(db, SQL_MESSAGE, rows, "uu", message_id, team_id);
}
