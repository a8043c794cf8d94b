/* store_auth.h - credential lookups for authentication. */
#ifndef CONFAB_STORE_AUTH_H
#define CONFAB_STORE_AUTH_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

struct api_key_record {
	char hashed_key[161];
	bool read_only;
	bool expired;
	bool user_active;
	bool is_member;           /* the user still belongs to the key's team */
	unsigned long long user_id;
	char user_email[256];
	unsigned long long team_id;
	char team_slug[64];
	char team_name[128];
	char role[40];
};

/* The non-revoked key with this prefix, with its user, team and membership.
 * CF_E_NOT_FOUND when there is none. */
cf_status store_api_key_find(struct db *db, const char *prefix, struct api_key_record *out) CF_MUST_CHECK;

#endif
