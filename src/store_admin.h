/* store_admin.h - the writes and listings behind confabctl: teams, users,
 * memberships, API keys (chatbots and providers: store_chatbots.h). */
#ifndef CONFAB_STORE_ADMIN_H
#define CONFAB_STORE_ADMIN_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* Ids by natural key; CF_E_NOT_FOUND when absent. */
cf_status store_team_id(struct db *db, const char *slug, unsigned long long *id) CF_MUST_CHECK;
cf_status store_user_id(struct db *db, const char *email, unsigned long long *id) CF_MUST_CHECK;

/* CF_E_CONFLICT when the slug / email exists already. */
cf_status store_team_create(struct db *db, const char *slug, const char *name) CF_MUST_CHECK;
cf_status store_user_create(struct db *db, const char *email, const char *password_hash) CF_MUST_CHECK;
/* Adds or updates the membership of user in team with role. */
cf_status store_member_set(struct db *db, unsigned long long team_id, unsigned long long user_id,
                           const char *role) CF_MUST_CHECK;
cf_status store_member_exists(struct db *db, unsigned long long team_id, unsigned long long user_id,
                              bool *exists) CF_MUST_CHECK;

/* expiry: "YYYY-MM-DD" or NULL. */
cf_status store_api_key_create(struct db *db, const char *prefix, const char *hashed_key, const char *name,
                               unsigned long long team_id, unsigned long long user_id, bool read_only,
                               const char *expiry) CF_MUST_CHECK;
/* CF_E_NOT_FOUND when no unrevoked key has that prefix. */
cf_status store_api_key_revoke(struct db *db, const char *prefix) CF_MUST_CHECK;
/* Columns: prefix, name, user email, read_only, revoked, expiry_date. */
cf_status store_api_key_list(struct db *db, unsigned long long team_id, struct db_rows *rows) CF_MUST_CHECK;

#endif
