/* store_channels.c - SQL of experiment_channels. */
#include "store_channels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_secrets.h"
#include "xalloc.h"

static const char SQL_API_CHANNEL_FIND[] =
	"SELECT id FROM experiment_channels WHERE team_id = ? AND platform = 'api'"
	" AND experiment_id IS NULL AND deleted = 0 ORDER BY id LIMIT 1";
static const char SQL_TEAM_LOCK[] = "SELECT id FROM teams WHERE id = ? FOR UPDATE";
static const char SQL_API_CHANNEL_CREATE[] =
	"INSERT INTO experiment_channels (team_id, platform, name) VALUES (?, 'api', CONCAT(?, '-api-channel'))";
static const char SQL_CHATBOT_CHANNEL[] =
	"SELECT id, COALESCE(secret, ''), enabled FROM experiment_channels WHERE team_id = ? AND experiment_id = ?"
	" AND platform = ? AND deleted = 0 ORDER BY id LIMIT 1";
static const char SQL_CHANNEL_GET[] =
	"SELECT platform, COALESCE(secret, ''), deleted, enabled FROM experiment_channels WHERE id = ? AND team_id = ?";
static const char SQL_WIDGET_CHANNELS[] =
	"SELECT c.id, c.team_id, COALESCE(c.widget_token, ''), c.allowed_domains FROM experiment_channels c"
	" JOIN experiments e ON e.id = c.experiment_id"
	" WHERE e.public_id = ? AND e.working_version_id IS NULL AND e.is_archived = 0"
	" AND c.platform = 'embedded_widget' AND c.deleted = 0";
static const char SQL_CHANNEL_CREATE[] =
	"INSERT INTO experiment_channels (team_id, experiment_id, platform, name, widget_token, allowed_domains, secret)"
	" VALUES (?, ?, ?, ?, ?, COALESCE(?, '[]'), ?)";
static const char SQL_CHANNEL_LIST[] =
	"SELECT c.id, c.platform, c.name, COALESCE(c.widget_token, ''), c.allowed_domains, e.public_id"
	" FROM experiment_channels c JOIN experiments e ON e.id = c.experiment_id"
	" WHERE c.experiment_id = ? AND c.deleted = 0 ORDER BY c.id";
static const char SQL_CHANNEL_REMOVE[] = "UPDATE experiment_channels SET deleted = 1 WHERE id = ? AND deleted = 0";
static const char SQL_CHANNEL_TOKENS_SET[] =
	"UPDATE experiment_channels SET"
	" session_token_ttl_days = CASE WHEN ? > 0 THEN ? WHEN ? < 0 THEN NULL ELSE session_token_ttl_days END,"
	" session_token_required = IF(? < 0, session_token_required, ?) WHERE id = ? AND deleted = 0";
static const char SQL_CHANNEL_LIVE[] = "SELECT id FROM experiment_channels WHERE id = ? AND deleted = 0";
static const char SQL_CHANNEL_ENABLED_SET[] = "UPDATE experiment_channels SET enabled = ? WHERE id = ? AND deleted = 0";

void channel_row_free(struct channel_row *c)
{
	free(c->secret);
	free(c->allowed_domains);
	c->secret = NULL;
	c->allowed_domains = NULL;
}

void channel_rows_free(struct channel_row *rows, size_t count)
{
	for (size_t i = 0; i < count; i++)
		channel_row_free(&rows[i]);
	free(rows);
}

cf_status store_api_channel(struct db *db, unsigned long long team_id, const char *team_slug,
                            unsigned long long *channel_id)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_API_CHANNEL_FIND, &rows, "u", team_id);   /* usually there: no lock */
	if (st == CF_OK && rows.nrows > 0) {
		*channel_id = (unsigned long long)db_cell_int(&rows, 0, 0);
		db_rows_free(&rows);
		return CF_OK;
	}
	db_rows_free(&rows);
	if (st == CF_OK)
		st = db_query(db, SQL_TEAM_LOCK, &rows, "u", team_id);   /* one creator per team */
	db_rows_free(&rows);
	if (st == CF_OK)
		st = db_query(db, SQL_API_CHANNEL_FIND, &rows, "u", team_id);
	if (st == CF_OK && rows.nrows > 0)
		*channel_id = (unsigned long long)db_cell_int(&rows, 0, 0);
	else if (st == CF_OK)
		st = db_exec(db, SQL_API_CHANNEL_CREATE, NULL, channel_id, "us", team_id, team_slug);
	db_rows_free(&rows);
	return st;
}

cf_status store_api_channel_add(struct db *db, unsigned long long team_id, const char *team_slug)
{
	return db_exec(db, SQL_API_CHANNEL_CREATE, NULL, NULL, "us", team_id, team_slug);
}

cf_status store_chatbot_channel(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                const char *platform, struct channel_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_CHATBOT_CHANNEL, &rows, "uus", team_id, chatbot_id, platform);
	if (st == CF_OK)
		st = store_secret_open(SECRET_CHANNEL_SECRET, team_id, &rows.cells[1], &rows.lens[1]);
	if (st == CF_OK) {
		out->id = (unsigned long long)db_cell_int(&rows, 0, 0);
		out->team_id = team_id;
		snprintf(out->platform, sizeof out->platform, "%s", platform);
		out->secret = xstrdup(db_cell_str(&rows, 0, 1));
		out->disabled = !db_cell_bool(&rows, 0, 2);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_channel_get(struct db *db, unsigned long long team_id, unsigned long long channel_id,
                            struct channel_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_CHANNEL_GET, &rows, "uu", channel_id, team_id);
	if (st == CF_OK)
		st = store_secret_open(SECRET_CHANNEL_SECRET, team_id, &rows.cells[1], &rows.lens[1]);
	if (st == CF_OK) {
		out->id = channel_id;
		out->team_id = team_id;
		snprintf(out->platform, sizeof out->platform, "%s", db_cell_str(&rows, 0, 0));
		out->secret = xstrdup(db_cell_str(&rows, 0, 1));
		out->deleted = db_cell_bool(&rows, 0, 2);
		out->disabled = !db_cell_bool(&rows, 0, 3);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_widget_channels(struct db *db, const char *chatbot_public_id, struct channel_row **out,
                                size_t *count)
{
	struct db_rows rows;
	*out = NULL;
	*count = 0;
	cf_status st = db_query(db, SQL_WIDGET_CHANNELS, &rows, "s", chatbot_public_id);
	if (st == CF_OK && rows.nrows > 0) {
		*out = xcalloc(rows.nrows, sizeof **out);
		for (size_t r = 0; r < rows.nrows; r++) {
			struct channel_row *c = &(*out)[r];
			c->id = (unsigned long long)db_cell_int(&rows, r, 0);
			c->team_id = (unsigned long long)db_cell_int(&rows, r, 1);
			snprintf(c->platform, sizeof c->platform, "embedded_widget");
			snprintf(c->widget_token, sizeof c->widget_token, "%s", db_cell_str(&rows, r, 2));
			c->allowed_domains = xstrdup(db_cell_str(&rows, r, 3));
			snprintf(c->chatbot_public_id, sizeof c->chatbot_public_id, "%s", chatbot_public_id);
		}
		*count = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_channel_create(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                               const char *platform, const char *name, const char *widget_token,
                               const char *allowed_domains_json, unsigned long long *id)
{
	return db_exec(db, SQL_CHANNEL_CREATE, NULL, id, "uusssss", team_id, chatbot_id, platform, name, widget_token,
	               allowed_domains_json, (const char *)NULL);
}

cf_status store_channel_create_messaging(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                         const char *platform, const char *name, const char *secret,
                                         unsigned long long *id)
{
	return db_exec(db, SQL_CHANNEL_CREATE, NULL, id, "uusssss", team_id, chatbot_id, platform, name,
	               (const char *)NULL, (const char *)NULL, secret);
}

cf_status store_channel_list(struct db *db, unsigned long long chatbot_id, struct channel_row **out, size_t *count)
{
	struct db_rows rows;
	*out = NULL;
	*count = 0;
	cf_status st = db_query(db, SQL_CHANNEL_LIST, &rows, "u", chatbot_id);
	if (st == CF_OK && rows.nrows > 0) {
		*out = xcalloc(rows.nrows, sizeof **out);
		for (size_t r = 0; r < rows.nrows; r++) {
			struct channel_row *c = &(*out)[r];
			c->id = (unsigned long long)db_cell_int(&rows, r, 0);
			snprintf(c->platform, sizeof c->platform, "%s", db_cell_str(&rows, r, 1));
			snprintf(c->name, sizeof c->name, "%s", db_cell_str(&rows, r, 2));
			snprintf(c->widget_token, sizeof c->widget_token, "%s", db_cell_str(&rows, r, 3));
			c->allowed_domains = xstrdup(db_cell_str(&rows, r, 4));
			snprintf(c->chatbot_public_id, sizeof c->chatbot_public_id, "%s", db_cell_str(&rows, r, 5));
		}
		*count = rows.nrows;
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

cf_status store_channel_enabled_set(struct db *db, unsigned long long id, bool enabled)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHANNEL_LIVE, &rows, "u", id);   /* an unchanged row counts 0 */
	db_rows_free(&rows);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHANNEL_ENABLED_SET, NULL, NULL, "iu", (long long)(enabled ? 1 : 0), id);
	return st;
}

cf_status store_channel_session_tokens_set(struct db *db, unsigned long long id, long ttl_days, int required)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHANNEL_LIVE, &rows, "u", id);   /* an unchanged row counts 0 */
	db_rows_free(&rows);
	long long ttl = ttl_days, req = required;
	if (st == CF_OK)
		st = db_exec(db, SQL_CHANNEL_TOKENS_SET, NULL, NULL, "iiiiiu", ttl, ttl, ttl, req, req, id);
	return st;
}
