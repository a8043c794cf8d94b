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
	bool expires;             /* has an expiry date ... */
	long long expires_in;     /* ... this many seconds from now (<= 0: past) */
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

/* The revocation epoch (auth_epoch): a counter bumped by every API-key
 * revocation, so that workers know when to forget the keys they cached. */
cf_status store_auth_epoch(struct db *db, unsigned long long *epoch) CF_MUST_CHECK;
/* Bumps the revocation epoch (after revoking a key; any process). */
cf_status store_auth_epoch_bump(struct db *db) CF_MUST_CHECK;

#endif
