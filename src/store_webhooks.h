/* store_webhooks.h - SQL of webhook endpoints and of the rows an event's
 * payload describes (see webhooks.h, webhooks_payload.h). Every statement
 * is scoped by team; rows cross this boundary as the structs below. */
#ifndef CONFAB_STORE_WEBHOOKS_H
#define CONFAB_STORE_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "status.h"

/* The endpoints an event goes to, oldest first, and the team's slug (the
 * envelope's "team"). endpoint_ids is owned (webhook_targets_free). */
struct webhook_targets {
	char team_slug[208];             /* VARCHAR(50) utf8mb4 */
	size_t count;
	unsigned long long *endpoint_ids;
};
void webhook_targets_free(struct webhook_targets *t);

/* One endpoint. url, secret and events are owned (webhook_endpoint_row_free,
 * which also wipes the secret); which fields a read fills is said at it. */
struct webhook_endpoint_row {
	unsigned long long id;
	char *url;
	char *secret;                    /* plain text (store_secrets.h opened it) */
	char *events;                    /* JSON array of event types; NULL = every event */
	bool active;
	char created_at[32];             /* as MariaDB prints DATETIME(6) */
};
void webhook_endpoint_row_free(struct webhook_endpoint_row *row);
/* Called for each endpoint of a listing; a status other than CF_OK stops
 * the walk and is returned. row is borrowed for the call only. */
typedef cf_status (*webhook_endpoint_fn)(void *ctx, const struct webhook_endpoint_row *row);

/* The active endpoints of team that want event into *out (caller frees with
 * webhook_targets_free, also after a failure); count 0 when none. */
cf_status store_webhook_targets(struct db *db, unsigned long long team_id, const char *event,
                                struct webhook_targets *out) CF_MUST_CHECK;
/* One endpoint into *out: id, url, secret (decrypted), active. Caller frees
 * with webhook_endpoint_row_free, also after a failure. CF_E_NOT_FOUND when
 * absent; CF_E_CONFIG when the secret does not open. */
cf_status store_webhook_get(struct db *db, unsigned long long team_id, unsigned long long id,
                            struct webhook_endpoint_row *out) CF_MUST_CHECK;
/* events_json: a JSON array of event types, or NULL for every event;
 * secret as stored: sealed with store_secret_seal. */
cf_status store_webhook_add(struct db *db, unsigned long long team_id, const char *url, const char *secret,
                            const char *events_json, unsigned long long *id) CF_MUST_CHECK;
/* The team's endpoints by id, one call of fn each: id, url, events, active,
 * created_at (secret stays NULL). */
cf_status store_webhook_list(struct db *db, unsigned long long team_id, webhook_endpoint_fn fn,
                             void *ctx) CF_MUST_CHECK;
cf_status store_webhook_remove(struct db *db, unsigned long long team_id, unsigned long long id) CF_MUST_CHECK;
cf_status store_webhook_deactivate(struct db *db, unsigned long long team_id, unsigned long long id) CF_MUST_CHECK;

/* A session as an event describes it. No owned memory. */
struct webhook_session_row {
	char external_id[1024];          /* VARCHAR(255) utf8mb4 */
	char chatbot_id[37];             /* the chatbot's public id (a UUID) */
	char participant[1284];          /* identifier, VARCHAR(320) utf8mb4; "" when none */
	char platform[132];              /* "" when none */
	char status[132];
};
cf_status store_webhook_session(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                struct webhook_session_row *out) CF_MUST_CHECK;

/* A message as an event describes it. content is owned
 * (webhook_message_row_free). */
struct webhook_message_row {
	unsigned long long id;
	char message_type[17];           /* human, ai or system */
	char *content;
	char created_at[32];
	char session_external_id[1024];  /* "" when the chat has no session */
};
void webhook_message_row_free(struct webhook_message_row *row);
/* Caller frees *out with webhook_message_row_free, also after a failure. */
cf_status store_webhook_message(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                struct webhook_message_row *out) CF_MUST_CHECK;

#endif
