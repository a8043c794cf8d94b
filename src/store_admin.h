/* store_admin.h - the writes and listings behind confabctl: chatbots and
 * providers (teams, users, memberships and API keys: store_keys.h). */
#ifndef CONFAB_STORE_ADMIN_H
#define CONFAB_STORE_ADMIN_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* A new working chatbot row; public_id is a fresh UUID. */
cf_status store_chatbot_create(struct db *db, unsigned long long team_id, const char *public_id,
                               const char *name, const char *description, const char *prompt) CF_MUST_CHECK;
/* Settings of a working chatbot row; NULL fields are left as they are.
 * Numbers are given as decimal text. */
struct chatbot_settings {
	const char *provider_id;
	const char *model;
	const char *temperature;
	const char *prompt;
	const char *source_material;
	const char *history_mode;
	const char *history_max;
};
cf_status store_chatbot_configure(struct db *db, unsigned long long working_id,
                                  const struct chatbot_settings *s) CF_MUST_CHECK;

/* LLM providers of a team. config_json: {"api_version", "max_tokens"}.
 * CF_E_CONFLICT when the name is taken. */
cf_status store_provider_add(struct db *db, unsigned long long team_id, const char *type, const char *name,
                             const char *base_url, const char *api_key, const char *config_json,
                             unsigned long long *id) CF_MUST_CHECK;
/* Columns: id, name, type, base_url, has_key (never the key). */
cf_status store_provider_list(struct db *db, unsigned long long team_id, struct db_rows *rows) CF_MUST_CHECK;
/* CF_E_NOT_FOUND when the team has no provider of that name. */
cf_status store_provider_find(struct db *db, unsigned long long team_id, const char *name,
                              unsigned long long *id) CF_MUST_CHECK;
cf_status store_provider_remove(struct db *db, unsigned long long team_id, const char *name) CF_MUST_CHECK;

/* Working rows of a team. Columns: public_id, version_number, name, is_archived. */
cf_status store_chatbot_list(struct db *db, unsigned long long team_id, struct db_rows *rows) CF_MUST_CHECK;

/* The working row of a chatbot family by its public id (or a version's):
 * id, team_id, version_number; CF_E_NOT_FOUND when absent. */
cf_status store_chatbot_working(struct db *db, const char *public_id, unsigned long long *id,
                                unsigned long long *team_id, long *version_number) CF_MUST_CHECK;
/* Releases the working row as version N (its current number) with a new
 * public id; the working row moves to N+1. The first version, or one made
 * with make_default, becomes the default. Runs in one transaction. */
cf_status store_chatbot_version_create(struct db *db, unsigned long long working_id, const char *public_id,
                                       const char *description, bool make_default, long *number) CF_MUST_CHECK;
/* Makes version N the family's default; CF_E_NOT_FOUND when no such version. */
cf_status store_chatbot_set_default(struct db *db, unsigned long long working_id, long number) CF_MUST_CHECK;
/* Archives the whole family. */
cf_status store_chatbot_archive(struct db *db, unsigned long long working_id) CF_MUST_CHECK;
/* Versions of a family: public_id, version_number, is_default_version, version_description. */
cf_status store_chatbot_versions(struct db *db, unsigned long long working_id, struct db_rows *rows) CF_MUST_CHECK;

#endif
