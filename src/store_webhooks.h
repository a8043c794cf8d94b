/* store_webhooks.h - SQL of webhook endpoints and of the rows an event's
 * payload describes (see webhooks.h). Every statement is scoped by team. */
#ifndef CONFAB_STORE_WEBHOOKS_H
#define CONFAB_STORE_WEBHOOKS_H

#include "db.h"
#include "status.h"

/* The active endpoints of team that want event: columns id, team slug. */
cf_status store_webhook_targets(struct db *db, unsigned long long team_id, const char *event,
                                struct db_rows *rows) CF_MUST_CHECK;
/* One endpoint: columns url, secret (decrypted, store_secrets.h), active.
 * CF_E_NOT_FOUND when absent; CF_E_CONFIG when the secret does not open. */
cf_status store_webhook_get(struct db *db, unsigned long long team_id, unsigned long long id,
                            struct db_rows *rows) CF_MUST_CHECK;
/* events_json: a JSON array of event types, or NULL for every event;
 * secret as stored: sealed with store_secret_seal. */
cf_status store_webhook_add(struct db *db, unsigned long long team_id, const char *url, const char *secret,
                            const char *events_json, unsigned long long *id) CF_MUST_CHECK;
/* Columns id, url, events (NULL = all), active, created_at. */
cf_status store_webhook_list(struct db *db, unsigned long long team_id, struct db_rows *rows) CF_MUST_CHECK;
cf_status store_webhook_remove(struct db *db, unsigned long long team_id, unsigned long long id) CF_MUST_CHECK;
cf_status store_webhook_deactivate(struct db *db, unsigned long long team_id, unsigned long long id) CF_MUST_CHECK;
/* A session for an event: columns external_id, chatbot public id,
 * participant identifier ("" when none), platform, status. */
cf_status store_webhook_session(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                struct db_rows *rows) CF_MUST_CHECK;
/* A message for an event: columns id, message_type, content, created_at,
 * session external id ("" when the chat has none). */
cf_status store_webhook_message(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                struct db_rows *rows) CF_MUST_CHECK;

#endif
