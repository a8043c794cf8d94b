/* store_chatbots.c - SQL of the experiments table (chatbots). */
#include "store_chatbots.h"

#include <stdio.h>
#include <string.h>

static const char SQL_CHATBOT_FIND[] =
	"SELECT w.id, w.team_id, w.public_id, w.name, w.version_number FROM experiments e"
	" JOIN experiments w ON w.id = COALESCE(e.working_version_id, e.id)"
	" WHERE e.public_id = ? AND e.team_id = ? AND e.is_archived = 0 AND w.is_archived = 0";
static const char SQL_CHATBOT_GET[] =
	"SELECT id, team_id, public_id, name, version_number FROM experiments WHERE id = ? AND team_id = ?";
static const char SQL_CHATBOT_ANYWHERE[] = "SELECT 1 FROM experiments WHERE public_id = ? AND is_archived = 0";
static const char SQL_CHATBOT_VERSIONS[] =
	"SELECT name, version_number, is_default_version, version_description FROM experiments"
	" WHERE working_version_id = ? AND is_archived = 0 ORDER BY version_number";
static const char SQL_CHATBOT_ANY_TEAM[] =
	"SELECT e.id, e.team_id, e.working_version_id IS NULL, t.slug FROM experiments e JOIN teams t ON t.id = e.team_id"
	" WHERE e.public_id = ? AND e.is_archived = 0";

static void fill(const struct db_rows *rows, struct chatbot_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = (unsigned long long)db_cell_int(rows, 0, 0);
	out->team_id = (unsigned long long)db_cell_int(rows, 0, 1);
	snprintf(out->public_id, sizeof out->public_id, "%s", db_cell_str(rows, 0, 2));
	snprintf(out->name, sizeof out->name, "%s", db_cell_str(rows, 0, 3));
	out->version_number = (long)db_cell_int(rows, 0, 4);
	out->is_working = true;
}

cf_status store_chatbot_find(struct db *db, unsigned long long team_id, const char *public_id,
                             struct chatbot_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_FIND, &rows, "su", public_id, team_id);
	if (st == CF_OK)
		fill(&rows, out);
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_get(struct db *db, unsigned long long team_id, unsigned long long id, struct chatbot_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_GET, &rows, "uu", id, team_id);
	if (st == CF_OK)
		fill(&rows, out);
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_exists_anywhere(struct db *db, const char *public_id, bool *exists)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHATBOT_ANYWHERE, &rows, "s", public_id);
	*exists = st == CF_OK && rows.nrows > 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_versions(struct db *db, unsigned long long working_id, chatbot_version_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHATBOT_VERSIONS, &rows, "u", working_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct chatbot_version_summary v;
		memset(&v, 0, sizeof v);
		snprintf(v.name, sizeof v.name, "%s", db_cell_str(&rows, r, 0));
		v.version_number = (long)db_cell_int(&rows, r, 1);
		v.is_default_version = db_cell_bool(&rows, r, 2);
		v.version_description = rows.cells[r * rows.ncols + 3];
		if (v.version_description == NULL)
			v.version_description = "";
		st = fn(ctx, &v);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_any_team(struct db *db, const char *public_id, struct chatbot_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_ANY_TEAM, &rows, "s", public_id);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		out->id = (unsigned long long)db_cell_int(&rows, 0, 0);
		out->team_id = (unsigned long long)db_cell_int(&rows, 0, 1);
		out->is_working = db_cell_bool(&rows, 0, 2);
		snprintf(out->team_slug, sizeof out->team_slug, "%s", db_cell_str(&rows, 0, 3));
	}
	db_rows_free(&rows);
	return st;
}
