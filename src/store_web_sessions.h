/* store_web_sessions.h - the SQL of web_sessions: cookie logins of the
 * server-rendered pages (websession.c). Only the SHA-256 of a session id is
 * stored, with the secret its CSRF tokens are derived from. */
#ifndef CONFAB_STORE_WEB_SESSIONS_H
#define CONFAB_STORE_WEB_SESSIONS_H

#include "db.h"
#include "status.h"

/* A live web session: unexpired, of an active user. */
struct web_session_row {
	unsigned long long user_id;
	char user_email[256];
	char csrf_secret[65];
};

cf_status store_web_session_create(struct db *db, const char *session_hash, unsigned long long user_id,
                                   const char *csrf_secret, long ttl_seconds) CF_MUST_CHECK;
/* The live session with this hash; CF_E_NOT_FOUND when there is none (or
 * it expired, or its user is inactive). */
cf_status store_web_session_find(struct db *db, const char *session_hash,
                                 struct web_session_row *out) CF_MUST_CHECK;
cf_status store_web_session_delete(struct db *db, const char *session_hash) CF_MUST_CHECK;

/* Deletes at most limit expired sessions; *removed (may be NULL) gets how
 * many (runner.c repeats until fewer than limit). */
cf_status store_web_sessions_purge(struct db *db, int limit, unsigned long long *removed) CF_MUST_CHECK;

#endif
