/* store_bots.c - chatbot version settings with their provider. */
#include "store_bots.h"

#include "store_secrets.h"

#define BOT_SELECT \
	"SELECT e.id, e.version_number, e.working_version_id IS NULL, e.llm_model, e.temperature, e.prompt_text," \
	" e.source_material, e.history_mode, e.history_max_messages, p.type, p.base_url, p.api_key, p.config" \
	" FROM experiments e LEFT JOIN llm_providers p ON p.id = e.llm_provider_id AND p.team_id = e.team_id"

/* default first: the released default version sorts before the working row */
static const char SQL_BOT_DEFAULT[] = BOT_SELECT
	" WHERE e.team_id = ? AND (e.id = ? OR (e.working_version_id = ? AND e.is_default_version = 1"
	" AND e.is_archived = 0)) ORDER BY e.working_version_id IS NULL LIMIT 1";
static const char SQL_BOT_NUMBERED[] = BOT_SELECT
	" WHERE e.team_id = ? AND ((e.id = ? AND e.version_number = ?)"
	" OR (e.working_version_id = ? AND e.version_number = ? AND e.is_archived = 0)) LIMIT 1";

/* The provider's api_key is stored sealed (store_secrets.h): opened here. */
static cf_status open_api_key(cf_status st, unsigned long long team_id, struct db_rows *rows)
{
	if (st != CF_OK)
		return st;
	return store_secret_open(SECRET_PROVIDER_API_KEY, team_id, &rows->cells[BOT_COL_API_KEY],
	                         &rows->lens[BOT_COL_API_KEY]);
}

cf_status store_bot_default_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                                    struct db_rows *rows)
{
	return open_api_key(db_query_one(db, SQL_BOT_DEFAULT, rows, "uuu", team_id, working_id, working_id), team_id,
	                    rows);
}

cf_status store_bot_numbered_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                                     long number, struct db_rows *rows)
{
	return open_api_key(db_query_one(db, SQL_BOT_NUMBERED, rows, "uuiui", team_id, working_id, (long long)number,
	                                 working_id, (long long)number),
	                    team_id, rows);
}
