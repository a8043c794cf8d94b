/* store_admin.c - SQL behind confabctl's chatbot and provider commands. */
#include "store_admin.h"

#include <string.h>

static const char SQL_CHATBOT_INSERT[] =
	"INSERT INTO experiments (public_id, team_id, name, description, prompt_text) VALUES (?, ?, ?, ?, ?)";
static const char SQL_CHATBOT_CONFIGURE[] =
	"UPDATE experiments SET llm_provider_id = COALESCE(?, llm_provider_id), llm_model = COALESCE(?, llm_model),"
	" temperature = COALESCE(?, temperature), prompt_text = COALESCE(?, prompt_text),"
	" source_material = COALESCE(?, source_material), history_mode = COALESCE(?, history_mode),"
	" history_max_messages = COALESCE(?, history_max_messages) WHERE id = ? AND working_version_id IS NULL";
static const char SQL_PROVIDER_ADD[] =
	"INSERT INTO llm_providers (team_id, type, name, base_url, api_key, config) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_PROVIDER_LIST[] =
	"SELECT id, name, type, base_url, api_key IS NOT NULL AND api_key <> '' FROM llm_providers"
	" WHERE team_id = ? ORDER BY name";
static const char SQL_PROVIDER_FIND[] = "SELECT id FROM llm_providers WHERE team_id = ? AND name = ?";
static const char SQL_PROVIDER_REMOVE[] = "DELETE FROM llm_providers WHERE team_id = ? AND name = ?";
static const char SQL_CHATBOT_LIST[] =
	"SELECT public_id, version_number, name, is_archived FROM experiments"
	" WHERE team_id = ? AND working_version_id IS NULL ORDER BY created_at, id";

static const char SQL_CHATBOT_WORKING[] =
	"SELECT w.id, w.team_id, w.version_number FROM experiments e"
	" JOIN experiments w ON w.id = COALESCE(e.working_version_id, e.id) WHERE e.public_id = ?";
static const char SQL_CHATBOT_LOCK[] =
	"SELECT version_number FROM experiments WHERE id = ? AND working_version_id IS NULL FOR UPDATE";
static const char SQL_CHATBOT_HAS_DEFAULT[] =
	"SELECT 1 FROM experiments WHERE working_version_id = ? AND is_default_version = 1";
static const char SQL_CHATBOT_CLEAR_DEFAULT[] =
	"UPDATE experiments SET is_default_version = 0 WHERE working_version_id = ?";
static const char SQL_CHATBOT_COPY[] =
	"INSERT INTO experiments (public_id, team_id, name, description, working_version_id, version_number,"
	" is_default_version, version_description, participant_allowlist, llm_provider_id, llm_model, temperature,"
	" prompt_text, source_material, history_mode, history_max_messages, seed_message,"
	" conversational_consent_enabled, consent_text, file_uploads_enabled)"
	" SELECT ?, team_id, name, description, id, version_number, ?, ?, participant_allowlist, llm_provider_id,"
	" llm_model, temperature, prompt_text, source_material, history_mode, history_max_messages, seed_message,"
	" conversational_consent_enabled, consent_text, file_uploads_enabled FROM experiments WHERE id = ?";
static const char SQL_CHATBOT_BUMP[] =
	"UPDATE experiments SET version_number = version_number + 1 WHERE id = ?";
static const char SQL_CHATBOT_SET_DEFAULT[] =
	"UPDATE experiments SET is_default_version = (version_number = ?) WHERE working_version_id = ?";
static const char SQL_CHATBOT_VERSION_EXISTS[] =
	"SELECT 1 FROM experiments WHERE working_version_id = ? AND version_number = ? AND is_archived = 0";
static const char SQL_CHATBOT_ARCHIVE[] =
	"UPDATE experiments SET is_archived = 1 WHERE id = ? OR working_version_id = ?";
static const char SQL_CHATBOT_VERSIONS[] =
	"SELECT public_id, version_number, is_default_version, version_description FROM experiments"
	" WHERE working_version_id = ? ORDER BY version_number";

cf_status store_chatbot_create(struct db *db, unsigned long long team_id, const char *public_id,
                               const char *name, const char *description, const char *prompt)
{
	return db_exec(db, SQL_CHATBOT_INSERT, NULL, NULL, "suss" "s", public_id, team_id, name, description,
	               prompt);
}

cf_status store_chatbot_list(struct db *db, unsigned long long team_id, struct db_rows *rows)
{
	return db_query(db, SQL_CHATBOT_LIST, rows, "u", team_id);
}

cf_status store_chatbot_working(struct db *db, const char *public_id, unsigned long long *id,
                                unsigned long long *team_id, long *version_number)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_WORKING, &rows, "s", public_id);
	if (st == CF_OK) {
		*id = (unsigned long long)db_cell_int(&rows, 0, 0);
		*team_id = (unsigned long long)db_cell_int(&rows, 0, 1);
		*version_number = (long)db_cell_int(&rows, 0, 2);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_version_create(struct db *db, unsigned long long working_id, const char *public_id,
                                       const char *description, bool make_default, long *number)
{
	struct db_rows rows;
	memset(&rows, 0, sizeof rows);
	cf_status st = db_begin(db);
	if (st != CF_OK)
		return st;
	st = db_query_one(db, SQL_CHATBOT_LOCK, &rows, "u", working_id);
	if (st == CF_OK)
		*number = (long)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	if (st == CF_OK && !make_default) {
		st = db_query(db, SQL_CHATBOT_HAS_DEFAULT, &rows, "u", working_id);
		make_default = st == CF_OK && rows.nrows == 0;   /* the first version is the default */
		db_rows_free(&rows);
	}
	if (st == CF_OK && make_default)
		st = db_exec(db, SQL_CHATBOT_CLEAR_DEFAULT, NULL, NULL, "u", working_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_COPY, NULL, NULL, "sbsu", public_id, (int)make_default, description,
		             working_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_BUMP, NULL, NULL, "u", working_id);
	if (st == CF_OK)
		st = db_commit(db);
	else
		db_rollback(db);
	return st;
}

cf_status store_chatbot_set_default(struct db *db, unsigned long long working_id, long number)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_VERSION_EXISTS, &rows, "ui", working_id, (long long)number);
	db_rows_free(&rows);
	if (st != CF_OK)
		return st;
	st = db_begin(db);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_CLEAR_DEFAULT, NULL, NULL, "u", working_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_SET_DEFAULT, NULL, NULL, "iu", (long long)number, working_id);
	if (st == CF_OK)
		return db_commit(db);
	db_rollback(db);
	return st;
}

cf_status store_chatbot_archive(struct db *db, unsigned long long working_id)
{
	return db_exec(db, SQL_CHATBOT_ARCHIVE, NULL, NULL, "uu", working_id, working_id);
}

cf_status store_chatbot_versions(struct db *db, unsigned long long working_id, struct db_rows *rows)
{
	return db_query(db, SQL_CHATBOT_VERSIONS, rows, "u", working_id);
}

cf_status store_chatbot_configure(struct db *db, unsigned long long working_id, const struct chatbot_settings *s)
{
	return db_exec(db, SQL_CHATBOT_CONFIGURE, NULL, NULL, "sssssssu", s->provider_id, s->model, s->temperature,
	               s->prompt, s->source_material, s->history_mode, s->history_max, working_id);
}

cf_status store_provider_add(struct db *db, unsigned long long team_id, const char *type, const char *name,
                             const char *base_url, const char *api_key, const char *config_json,
                             unsigned long long *id)
{
	return db_exec(db, SQL_PROVIDER_ADD, NULL, id, "ussss" "s", team_id, type, name, base_url, api_key,
	               config_json);
}

cf_status store_provider_list(struct db *db, unsigned long long team_id, struct db_rows *rows)
{
	return db_query(db, SQL_PROVIDER_LIST, rows, "u", team_id);
}

cf_status store_provider_find(struct db *db, unsigned long long team_id, const char *name, unsigned long long *id)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_PROVIDER_FIND, &rows, "us", team_id, name);
	if (st == CF_OK)
		*id = (unsigned long long)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_provider_remove(struct db *db, unsigned long long team_id, const char *name)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_PROVIDER_REMOVE, &affected, NULL, "us", team_id, name);
	return (st == CF_OK && affected == 0) ? CF_E_NOT_FOUND : st;
}
