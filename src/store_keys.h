/* store_keys.h - keys and users: the SQL of api_keys, users, teams,
 * team_memberships and the revocation epoch (auth_epoch). API-key
 * authentication, the login lookup, the consent page's teams and
 * confabctl's team, user, member and apikey commands read and write here. */
#ifndef CONFAB_STORE_KEYS_H
#define CONFAB_STORE_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "status.h"

/* Sizes of the text fields below, with the NUL. Team names are 100
 * characters of utf8mb4 (400 bytes); the principal (app.h) keeps 127 bytes
 * of them, as it always did. */
#define STORE_TEAM_SLUG_SIZE   64
#define STORE_TEAM_NAME_SIZE   401
#define STORE_USER_EMAIL_SIZE  256
#define STORE_ROLE_SIZE        40

/* ---- api_keys ---- */

/* A non-revoked key with what authenticating it needs: its user, team and
 * the user's membership of that team. */
struct api_key_row {
	char hashed_key[161];
	bool read_only;
	bool expired;
	bool expires;             /* has an expiry date ... */
	long long expires_in;     /* ... this many seconds from now (<= 0: past) */
	bool user_active;
	bool is_member;           /* the user still belongs to the key's team */
	unsigned long long user_id;
	char user_email[STORE_USER_EMAIL_SIZE];
	unsigned long long team_id;
	char team_slug[STORE_TEAM_SLUG_SIZE];
	char team_name[128];      /* as much as the principal keeps */
	char role[STORE_ROLE_SIZE];
};

/* The non-revoked key with this prefix. CF_E_NOT_FOUND when there is none. */
cf_status store_api_key_find(struct db *db, const char *prefix, struct api_key_row *out) CF_MUST_CHECK;

/* expiry: "YYYY-MM-DD HH:MM:SS" or NULL. */
cf_status store_api_key_create(struct db *db, const char *prefix, const char *hashed_key, const char *name,
                               unsigned long long team_id, unsigned long long user_id, bool read_only,
                               const char *expiry) CF_MUST_CHECK;
/* CF_E_NOT_FOUND when no unrevoked key has that prefix. */
cf_status store_api_key_revoke(struct db *db, const char *prefix) CF_MUST_CHECK;

/* One key of a team's listing (never the hash). */
struct api_key_summary {
	char prefix[9];
	char name[201];                        /* 50 characters of utf8mb4 */
	char user_email[STORE_USER_EMAIL_SIZE];
	bool read_only;
	bool revoked;
	char expiry_date[32];                  /* "YYYY-MM-DD HH:MM:SS.ffffff"; "" without one */
};
/* Called once per key; a status other than CF_OK stops the listing and is
 * returned. The row is borrowed for the call. */
typedef cf_status (*api_key_summary_fn)(void *ctx, const struct api_key_summary *key);
/* Every key of a team, revoked ones too, oldest first. */
cf_status store_api_key_list(struct db *db, unsigned long long team_id, api_key_summary_fn fn,
                             void *ctx) CF_MUST_CHECK;

/* The revocation epoch (auth_epoch): a counter bumped by every API-key
 * revocation, so that workers know when to forget the keys they cached. */
cf_status store_auth_epoch(struct db *db, unsigned long long *epoch) CF_MUST_CHECK;
/* Bumps the revocation epoch (after revoking a key; any process). */
cf_status store_auth_epoch_bump(struct db *db) CF_MUST_CHECK;

/* ---- users ---- */

struct user_row {
	unsigned long long id;
	char email[STORE_USER_EMAIL_SIZE];
	char password_hash[256];   /* "" for a user without a password */
	bool active;
};

/* The user with this email (the login form). CF_E_NOT_FOUND when absent. */
cf_status store_user_find(struct db *db, const char *email, struct user_row *out) CF_MUST_CHECK;
/* The id of the user with this email; CF_E_NOT_FOUND when absent. */
cf_status store_user_id(struct db *db, const char *email, unsigned long long *id) CF_MUST_CHECK;
/* password_hash may be NULL (no password login). CF_E_CONFLICT when the
 * email exists already. */
cf_status store_user_create(struct db *db, const char *email, const char *password_hash) CF_MUST_CHECK;

/* ---- teams and memberships ---- */

struct team_row {
	unsigned long long id;
	char slug[STORE_TEAM_SLUG_SIZE];
	char name[STORE_TEAM_NAME_SIZE];
};

/* A caller-owned list of teams; free with team_list_free. */
struct team_list {
	struct team_row *rows;
	size_t count;
};
void team_list_free(struct team_list *list);

/* The id of the team with this slug; CF_E_NOT_FOUND when absent. */
cf_status store_team_id(struct db *db, const char *slug, unsigned long long *id) CF_MUST_CHECK;
/* The team and its API channel, in one transaction (a first session then
 * finds the channel: see store_api_channel). CF_E_CONFLICT when the slug
 * exists already. */
cf_status store_team_create(struct db *db, const char *slug, const char *name) CF_MUST_CHECK;

/* The teams the user belongs to, ordered by name, then slug, into *out
 * (emptied first; free it also after a failure). */
cf_status store_user_teams(struct db *db, unsigned long long user_id, struct team_list *out) CF_MUST_CHECK;
/* The id of the team with this slug if the user is a member of it;
 * CF_E_NOT_FOUND otherwise. */
cf_status store_user_team_id(struct db *db, unsigned long long user_id, const char *slug,
                             unsigned long long *team_id) CF_MUST_CHECK;

/* Adds or updates the membership of user in team with role. */
cf_status store_member_set(struct db *db, unsigned long long team_id, unsigned long long user_id,
                           const char *role) CF_MUST_CHECK;
cf_status store_member_exists(struct db *db, unsigned long long team_id, unsigned long long user_id,
                              bool *exists) CF_MUST_CHECK;

#endif
