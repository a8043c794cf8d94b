/* store_webhooks.c - SQL of webhook endpoints (see store_webhooks.h). */
#include "store_webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_secrets.h"
#include "xalloc.h"

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

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

void webhook_targets_free(struct webhook_targets *t)
{
	free(t->endpoint_ids);
	memset(t, 0, sizeof *t);
}

void webhook_endpoint_row_free(struct webhook_endpoint_row *row)
{
	if (row->secret != NULL)
		explicit_bzero(row->secret, strlen(row->secret));
	free(row->secret);
	free(row->url);
	free(row->events);
	memset(row, 0, sizeof *row);
}

void webhook_message_row_free(struct webhook_message_row *row)
{
	free(row->content);
	memset(row, 0, sizeof *row);
}

cf_status store_webhook_targets(struct db *db, unsigned long long team_id, const char *event,
                                struct webhook_targets *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query(db, SQL_TARGETS, &rows, "us", team_id, event);
	if (st == CF_OK && rows.nrows > 0) {
		COPY(out->team_slug, db_cell_str(&rows, 0, 1));
		out->endpoint_ids = xcalloc(rows.nrows, sizeof *out->endpoint_ids);
		out->count = rows.nrows;
		for (size_t r = 0; r < rows.nrows; r++)
			out->endpoint_ids[r] = (unsigned long long)db_cell_int(&rows, r, 0);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_webhook_get(struct db *db, unsigned long long team_id, unsigned long long id,
                            struct webhook_endpoint_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_GET, &rows, "uu", id, team_id);
	if (st == CF_OK)
		st = store_secret_open(SECRET_WEBHOOK_SECRET, team_id, &rows.cells[1], &rows.lens[1]);
	if (st == CF_OK) {
		out->id = id;
		out->url = xstrdup(db_cell_str(&rows, 0, 0));
		out->secret = xstrdup(db_cell_str(&rows, 0, 1));
		out->active = db_cell_bool(&rows, 0, 2);
	}
	/* The opened secret lives in the rows too: wipe it before they go. */
	if (rows.nrows > 0 && rows.cells[1] != NULL)
		explicit_bzero(rows.cells[1], rows.lens[1]);
	db_rows_free(&rows);
	return st;
}

cf_status store_webhook_add(struct db *db, unsigned long long team_id, const char *url, const char *secret,
                            const char *events_json, unsigned long long *id)
{
	if (events_json == NULL)
		return db_exec(db, SQL_ADD, NULL, id, "ussn", team_id, url, secret);
	return db_exec(db, SQL_ADD, NULL, id, "usss", team_id, url, secret, events_json);
}

cf_status store_webhook_list(struct db *db, unsigned long long team_id, webhook_endpoint_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_LIST, &rows, "u", team_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct webhook_endpoint_row row;
		memset(&row, 0, sizeof row);
		row.id = (unsigned long long)db_cell_int(&rows, r, 0);
		row.url = xstrdup(db_cell_str(&rows, r, 1));
		row.events = db_cell(&rows, r, 2) ? xstrdup(db_cell(&rows, r, 2)) : NULL;
		row.active = db_cell_bool(&rows, r, 3);
		COPY(row.created_at, db_cell_str(&rows, r, 4));
		st = fn(ctx, &row);
		webhook_endpoint_row_free(&row);
	}
	db_rows_free(&rows);
	return st;
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
                                struct webhook_session_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_SESSION, &rows, "uu", session_id, team_id);
	if (st == CF_OK) {
		COPY(out->external_id, db_cell_str(&rows, 0, 0));
		COPY(out->chatbot_id, db_cell_str(&rows, 0, 1));
		COPY(out->participant, db_cell_str(&rows, 0, 2));
		COPY(out->platform, db_cell_str(&rows, 0, 3));
		COPY(out->status, db_cell_str(&rows, 0, 4));
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_webhook_message(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                struct webhook_message_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_MESSAGE, &rows, "uu", message_id, team_id);
	if (st == CF_OK) {
		out->id = (unsigned long long)db_cell_int(&rows, 0, 0);
		COPY(out->message_type, db_cell_str(&rows, 0, 1));
		out->content = xstrdup(db_cell_str(&rows, 0, 2));
		COPY(out->created_at, db_cell_str(&rows, 0, 3));
		COPY(out->session_external_id, db_cell_str(&rows, 0, 4));
	}
	db_rows_free(&rows);
	return st;
}
