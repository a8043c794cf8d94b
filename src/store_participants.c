/* store_participants.c - SQL of participants and participant_data. */
#include "store_participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- the participants API (docs/API.md §9.3) ---- */

#define PARTICIPANT_COLS "p.id, p.public_id, p.identifier, p.name, p.platform, p.remote_id, p.created_at"
enum { PC_ID, PC_PUBLIC_ID, PC_IDENT, PC_NAME, PC_PLATFORM, PC_REMOTE_ID, PC_CREATED };
#define PARTICIPANT_FILTER                                                                                  \
	" WHERE p.team_id = ? AND (? = '' OR p.identifier = ?) AND (? = '' OR p.platform = ?)"                    \
	" AND (? = 0 OR EXISTS (SELECT 1 FROM participant_data d WHERE d.participant_id = p.id"                   \
	" AND d.experiment_id = ?))"
static const char SQL_PARTICIPANTS_PAGE[] =
	"SELECT " PARTICIPANT_COLS " FROM participants p" PARTICIPANT_FILTER
	" AND (? = 0 OR p.created_at < ? OR (p.created_at = ? AND p.id < ?))"
	" ORDER BY p.created_at DESC, p.id DESC LIMIT ?";
static const char SQL_PARTICIPANTS_COUNT[] = "SELECT COUNT(*) FROM participants p" PARTICIPANT_FILTER;
static const char SQL_PARTICIPANT_GET[] =
	"SELECT " PARTICIPANT_COLS " FROM participants p WHERE p.team_id = ? AND p.id = ?";
static const char SQL_PDATA_OF[] =
	"SELECT e.name, e.public_id, d.data,"
	" COALESCE(JSON_VALUE(d.system_metadata, '$.commcare_connect_channel_id'), '')"
	" FROM participant_data d JOIN experiments e ON e.id = d.experiment_id"
	" WHERE d.team_id = ? AND d.participant_id = ? AND (? = 0 OR d.experiment_id = ?) ORDER BY d.id";
static const char SQL_PDATA_ENSURE[] =
	"INSERT IGNORE INTO participant_data (participant_id, experiment_id, team_id) VALUES (?, ?, ?)";

static void participant_from(const struct db_rows *rows, size_t r, struct participant_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = (unsigned long long)db_cell_int(rows, r, PC_ID);
	snprintf(out->public_id, sizeof out->public_id, "%s", db_cell_str(rows, r, PC_PUBLIC_ID));
	snprintf(out->identifier, sizeof out->identifier, "%s", db_cell_str(rows, r, PC_IDENT));
	snprintf(out->name, sizeof out->name, "%s", db_cell_str(rows, r, PC_NAME));
	snprintf(out->platform, sizeof out->platform, "%s", db_cell_str(rows, r, PC_PLATFORM));
	snprintf(out->remote_id, sizeof out->remote_id, "%s", db_cell_str(rows, r, PC_REMOTE_ID));
	snprintf(out->created_at, sizeof out->created_at, "%s", db_cell_str(rows, r, PC_CREATED));
}

cf_status store_participants_page(struct db *db, const struct participant_filter *f, const char *after_created,
                                  unsigned long long after_id, size_t limit, struct participant_row **out,
                                  size_t *n)
{
	struct db_rows rows;
	*out = NULL;
	*n = 0;
	const char *after = after_created ? after_created : "";
	cf_status st = db_query(db, SQL_PARTICIPANTS_PAGE, &rows, "ussssuu" "uss" "u" "u", f->team_id, f->identifier,
	                        f->identifier, f->platform, f->platform, f->chatbot_id, f->chatbot_id, after_id, after,
	                        after, after_id, (unsigned long long)limit);
	if (st == CF_OK && rows.nrows > 0) {
		*out = xcalloc(rows.nrows, sizeof **out);
		for (size_t r = 0; r < rows.nrows; r++)
			participant_from(&rows, r, &(*out)[r]);
		*n = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_participants_count(struct db *db, const struct participant_filter *f, unsigned long long *count)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_PARTICIPANTS_COUNT, &rows, "ussssuu", f->team_id, f->identifier,
	                            f->identifier, f->platform, f->platform, f->chatbot_id, f->chatbot_id);
	*count = st == CF_OK ? (unsigned long long)db_cell_int(&rows, 0, 0) : 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_participant_get(struct db *db, unsigned long long team_id, unsigned long long id,
                                struct participant_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_PARTICIPANT_GET, &rows, "uu", team_id, id);
	if (st == CF_OK)
		participant_from(&rows, 0, out);
	db_rows_free(&rows);
	return st;
}

cf_status store_participant_data_of(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                    unsigned long long chatbot_id, struct participant_data_row **out, size_t *n)
{
	struct db_rows rows;
	*out = NULL;
	*n = 0;
	cf_status st = db_query(db, SQL_PDATA_OF, &rows, "uuuu", team_id, participant_id, chatbot_id, chatbot_id);
	if (st == CF_OK && rows.nrows > 0) {
		*out = xcalloc(rows.nrows, sizeof **out);
		for (size_t r = 0; r < rows.nrows; r++) {
			struct participant_data_row *d = &(*out)[r];
			snprintf(d->chatbot, sizeof d->chatbot, "%s", db_cell_str(&rows, r, 0));
			snprintf(d->chatbot_id, sizeof d->chatbot_id, "%s", db_cell_str(&rows, r, 1));
			d->data_json = xstrdup(db_cell_str(&rows, r, 2));
			snprintf(d->connect_channel_id, sizeof d->connect_channel_id, "%s", db_cell_str(&rows, r, 3));
		}
		*n = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

void participant_data_rows_free(struct participant_data_row *rows, size_t n)
{
	for (size_t i = 0; rows != NULL && i < n; i++)
		free(rows[i].data_json);
	free(rows);
}

cf_status store_participant_data_ensure(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                        unsigned long long chatbot_id)
{
	return db_exec(db, SQL_PDATA_ENSURE, NULL, NULL, "uuu", participant_id, chatbot_id, team_id);
}
