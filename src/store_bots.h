/* store_bots.h - SQL for what a chatbot version needs to answer: its
 * settings and its team's LLM provider. Scoped by team. */
#ifndef CONFAB_STORE_BOTS_H
#define CONFAB_STORE_BOTS_H

#include "db.h"
#include "status.h"

/* Column order of a version row. Provider columns are NULL without one;
 * BOT_COL_API_KEY is decrypted (store_secrets.h), and a key that does not
 * open makes the query CF_E_CONFIG. */
enum bot_col {
	BOT_COL_ID, BOT_COL_NUMBER, BOT_COL_IS_WORKING, BOT_COL_MODEL, BOT_COL_TEMPERATURE, BOT_COL_PROMPT,
	BOT_COL_SOURCE, BOT_COL_HISTORY_MODE, BOT_COL_HISTORY_MAX, BOT_COL_PROVIDER_TYPE, BOT_COL_BASE_URL,
	BOT_COL_API_KEY, BOT_COL_PROVIDER_CONFIG, BOT_COL_COUNT
};

/* The family's default version: the published one, else the working row.
 * CF_E_NOT_FOUND when the working row is not the team's. */
cf_status store_bot_default_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                                    struct db_rows *rows) CF_MUST_CHECK;
/* Version number N of the family: the working row when N is its number,
 * else the released, non-archived version N. CF_E_NOT_FOUND otherwise. */
cf_status store_bot_numbered_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                                     long number, struct db_rows *rows) CF_MUST_CHECK;

#endif
