/* store_chatbots.h - chatbots (the experiments table): the working row of a
 * family and its released versions. */
#ifndef CONFAB_STORE_CHATBOTS_H
#define CONFAB_STORE_CHATBOTS_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

struct chatbot_row {
	unsigned long long id;
	unsigned long long team_id;
	char public_id[37];
	char name[520];
	long version_number;
	bool is_working;
	char team_slug[64];
};

/* Resolves a public id (of the working row or of a version) to its family's
 * non-archived working row in team. CF_E_NOT_FOUND when absent. */
cf_status store_chatbot_find(struct db *db, unsigned long long team_id, const char *public_id,
                             struct chatbot_row *out) CF_MUST_CHECK;
/* Working row by internal id. */
cf_status store_chatbot_get(struct db *db, unsigned long long team_id, unsigned long long id,
                            struct chatbot_row *out) CF_MUST_CHECK;
/* True when some team has a non-archived chatbot with that public id. */
cf_status store_chatbot_exists_anywhere(struct db *db, const char *public_id, bool *exists) CF_MUST_CHECK;

struct chatbot_version_summary {
	char name[520];
	long version_number;
	bool is_default_version;
	char *version_description;
};
typedef cf_status (*chatbot_version_fn)(void *ctx, const struct chatbot_version_summary *v);
/* Released, non-archived versions of a family, ascending. */
cf_status store_chatbot_versions(struct db *db, unsigned long long working_id, chatbot_version_fn fn,
                                 void *ctx) CF_MUST_CHECK;
/* Any team's chatbot by public id (not archived): id, team_id, is_working,
 * team_slug. */
cf_status store_chatbot_any_team(struct db *db, const char *public_id, struct chatbot_row *out) CF_MUST_CHECK;

#endif
