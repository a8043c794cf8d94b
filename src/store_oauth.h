/* store_oauth.h - the SQL of the OAuth2 tables: oauth_applications (with
 * the chatbot allow-list of client-credentials applications,
 * oauth_application_chatbots), oauth_grants, oauth_access_tokens and
 * oauth_refresh_tokens. Every secret is stored as a SHA-256 hex digest of a
 * high-entropy random value. */
#ifndef CONFAB_STORE_OAUTH_H
#define CONFAB_STORE_OAUTH_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* The grants an application may use: one each (RFC 6749 section 4.1 or 4.4). */
enum oauth_grant_type {
	OAUTH_GRANT_AUTHORIZATION_CODE,   /* "authorization-code": a user authorises, refresh tokens rotate */
	OAUTH_GRANT_CLIENT_CREDENTIALS,   /* "client-credentials": a machine, pinned to team_id */
};

struct oauth_application_row {
	unsigned long long id;
	char client_id[101];
	char secret_hash[65];     /* "" for public clients */
	char name[256];
	char redirect_uris[2048]; /* space separated */
	bool confidential;
	bool skip_authorization;
	enum oauth_grant_type grant_type;
	unsigned long long team_id;   /* client-credentials: the team every token is for; else 0 */
	char scopes[256];             /* client-credentials: what it may be granted; "" = every machine scope */
};

/* A validated bearer token or refresh token with its owner. */
struct oauth_token_row {
	unsigned long long id;
	unsigned long long access_token_id;   /* refresh tokens: the access token issued with it */
	unsigned long long grant_id;          /* refresh tokens: the grant of its family, 0 if unknown */
	bool revoked;                         /* refresh tokens: revoked or rotated already */
	bool expired;                         /* refresh tokens: past their lifetime */
	unsigned long long application_id;
	unsigned long long user_id;
	unsigned long long team_id;
	char scope[256];
	char user_email[256];
	bool user_active;
	bool is_member;
	char role[40];
	char team_slug[64];
	char team_name[128];
	bool machine;                         /* access tokens: client-credentials, no user (user_id 0) */
};

/* A new application. team_id 0 and scopes NULL for authorization-code ones. */
cf_status store_oauth_app_create(struct db *db, const char *client_id, const char *secret_hash, const char *name,
                                 const char *redirect_uris, bool confidential, enum oauth_grant_type grant,
                                 unsigned long long team_id, const char *scopes) CF_MUST_CHECK;
/* CF_E_NOT_FOUND when no application has this client id. */
cf_status store_oauth_app_find(struct db *db, const char *client_id,
                               struct oauth_application_row *out) CF_MUST_CHECK;

/* ---- the chatbot allow-list of client-credentials applications ----
 * Rows name the working row of a chatbot family (experiments.id with
 * working_version_id NULL); a version is checked through its family. */

/* Adds the family of chatbot_public_id (a working row's or a version's
 * public id) in the application's own team. CF_E_NOT_FOUND when the
 * application is not a client-credentials one or the chatbot is not in its
 * team; adding one twice is not an error. */
cf_status store_oauth_app_allow(struct db *db, const char *client_id, const char *chatbot_public_id) CF_MUST_CHECK;
/* Removes it; CF_E_NOT_FOUND when it was not listed. */
cf_status store_oauth_app_disallow(struct db *db, const char *client_id,
                                   const char *chatbot_public_id) CF_MUST_CHECK;
/* *allowed: whether application app_id lists the family whose working row
 * is working_id. */
cf_status store_oauth_app_allows(struct db *db, unsigned long long app_id, unsigned long long working_id,
                                 bool *allowed) CF_MUST_CHECK;
/* An application in a team's listing (confabctl oauth-app list). */
struct oauth_app_summary {
	char client_id[101];
	char name[256];
	char grant_type[32];
	char scopes[256];
	char chatbots[1024];   /* allowed chatbots' public ids, comma separated; "" = none */
};
typedef cf_status (*oauth_app_fn)(void *ctx, const struct oauth_app_summary *a);
/* The client-credentials applications of a team, oldest first. */
cf_status store_oauth_app_list(struct db *db, unsigned long long team_id, oauth_app_fn fn, void *ctx) CF_MUST_CHECK;

cf_status store_grant_create(struct db *db, const char *code_hash, unsigned long long app_id,
                             unsigned long long user_id, unsigned long long team_id, const char *scope,
                             const char *redirect_uri, bool redirect_sent, const char *challenge,
                             const char *method, long ttl_seconds) CF_MUST_CHECK;
struct oauth_grant_row {
	unsigned long long id;
	bool used;                /* exchanged already: presenting it again is a replay */
	bool expired;
	bool redirect_sent;       /* the authorization request carried redirect_uri */
	unsigned long long user_id;
	unsigned long long team_id;
	char scope[256];
	char redirect_uri[1025];
	char challenge[129];
	char method[11];
};

/* The grant of app_id with this code, used or expired too, locked (call
 * inside a transaction). CF_E_NOT_FOUND when there is none. */
cf_status store_grant_lock(struct db *db, const char *code_hash, unsigned long long app_id,
                           struct oauth_grant_row *out) CF_MUST_CHECK;
cf_status store_grant_mark_used(struct db *db, unsigned long long grant_id) CF_MUST_CHECK;
/* Revokes every access and refresh token descended from the grant. */
cf_status store_grant_family_revoke(struct db *db, unsigned long long grant_id) CF_MUST_CHECK;

cf_status store_access_token_create(struct db *db, const char *token_hash, unsigned long long app_id,
                                    unsigned long long user_id, unsigned long long team_id, const char *scope,
                                    long ttl_seconds, unsigned long long grant_id,
                                    unsigned long long *id) CF_MUST_CHECK;
/* grant_id 0: no family (stored NULL); the token expires after ttl_seconds. */
cf_status store_refresh_token_create(struct db *db, const char *token_hash, unsigned long long access_id,
                                     unsigned long long app_id, unsigned long long user_id,
                                     unsigned long long team_id, const char *scope, unsigned long long grant_id,
                                     long ttl_seconds) CF_MUST_CHECK;
/* A machine token of a client-credentials application: no user, no refresh
 * token; the team is the application's. */
cf_status store_machine_token_create(struct db *db, const char *token_hash, unsigned long long app_id,
                                     unsigned long long team_id, const char *scope,
                                     long ttl_seconds) CF_MUST_CHECK;
/* A live (unrevoked, unexpired) access token, user or machine (see
 * out->machine). CF_E_NOT_FOUND otherwise. */
cf_status store_access_token_find(struct db *db, const char *token_hash, struct oauth_token_row *out) CF_MUST_CHECK;
/* A refresh token of app_id, revoked or expired too (see its flags),
 * locked for rotation (call inside a transaction). */
cf_status store_refresh_token_take(struct db *db, const char *token_hash, unsigned long long app_id,
                                   struct oauth_token_row *out) CF_MUST_CHECK;
cf_status store_refresh_token_revoke(struct db *db, unsigned long long id) CF_MUST_CHECK;
/* Revokes a refresh token because it was used (rotated): a later use of it
 * is a reuse. */
cf_status store_refresh_token_rotated(struct db *db, unsigned long long id) CF_MUST_CHECK;
cf_status store_access_token_revoke_id(struct db *db, unsigned long long id) CF_MUST_CHECK;
/* Revokes a token of app_id by hash, access or refresh (a refresh token
 * takes its access token along). Unknown tokens are not an error. */
cf_status store_token_revoke(struct db *db, const char *token_hash, unsigned long long app_id) CF_MUST_CHECK;

/* Purges of expired rows, at most limit per call; *removed (may be NULL)
 * gets how many (runner.c repeats until fewer than limit). */
enum oauth_purge {
	OAUTH_PURGE_GRANTS,          /* codes expired over an hour ago */
	OAUTH_PURGE_ACCESS_TOKENS,   /* expired access tokens */
	OAUTH_PURGE_REFRESH_TOKENS,  /* refresh tokens past their expiry, rotated ones too;
	                                * one without an expiry CF_OAUTH_REVOKED_KEEP_DAYS after it was made */
};
cf_status store_oauth_purge(struct db *db, enum oauth_purge what, int limit, unsigned long long *removed) CF_MUST_CHECK;

#endif
