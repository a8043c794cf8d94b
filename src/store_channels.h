/* store_channels.h - a chatbot's channels (docs/API.md §9): every
 * statement of experiment_channels. Secrets come decrypted
 * (store_secrets.h); one that does not open is CF_E_CONFIG. */
#ifndef CONFAB_STORE_CHANNELS_H
#define CONFAB_STORE_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "status.h"

struct channel_row {
	unsigned long long id;
	unsigned long long team_id;
	char platform[33];
	char name[1024];
	bool deleted;
	char *secret;             /* decrypted; "" when none; owned */
	char widget_token[256];   /* "" when none */
	char *allowed_domains;    /* JSON text; owned */
	char chatbot_public_id[37];
	bool disabled;            /* switched off by an admin (store_chatbot_channel, store_channel_get) */
};
void channel_row_free(struct channel_row *c);
/* Frees an array of count rows and the array. */
void channel_rows_free(struct channel_row *rows, size_t count);

/* The team's API channel (id). Teams get it when they are made
 * (store_team_create, and sql/014_team_api_channels.sql for older teams); it is created here only
 * for a team that still has none (one made by hand in SQL), under a lock of
 * the team row. On Galera that lock is per node: several nodes creating it
 * at once were seen to stall the cluster (README "Scaling out"). */
cf_status store_api_channel(struct db *db, unsigned long long team_id, const char *team_slug,
                            unsigned long long *channel_id) CF_MUST_CHECK;
/* Inside the transaction that makes team team_id: its API channel. */
cf_status store_api_channel_add(struct db *db, unsigned long long team_id, const char *team_slug) CF_MUST_CHECK;
/* A non-deleted channel of a working chatbot on a platform: id, secret,
 * disabled.
 * CF_E_NOT_FOUND when there is none. */
cf_status store_chatbot_channel(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                const char *platform, struct channel_row *out) CF_MUST_CHECK;
/* A channel by id in team: platform, secret, deleted. */
cf_status store_channel_get(struct db *db, unsigned long long team_id, unsigned long long channel_id,
                            struct channel_row *out) CF_MUST_CHECK;
/* Non-deleted embedded-widget channels of a working chatbot (by its public
 * id): id, team_id, widget_token, allowed_domains. Caller frees with
 * channel_rows_free. */
cf_status store_widget_channels(struct db *db, const char *chatbot_public_id, struct channel_row **rows,
                                size_t *count) CF_MUST_CHECK;
/* Channels (confabctl): create (widget or messaging: widget_token and
 * allowed_domains_json, or secret, may be NULL), list (id, platform, name,
 * widget_token, allowed_domains, chatbot_public_id), soft-delete. */
cf_status store_channel_create(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                               const char *platform, const char *name, const char *widget_token,
                               const char *allowed_domains_json, unsigned long long *id) CF_MUST_CHECK;
cf_status store_channel_create_messaging(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                         const char *platform, const char *name, const char *secret,
                                         unsigned long long *id) CF_MUST_CHECK;
cf_status store_channel_list(struct db *db, unsigned long long chatbot_id, struct channel_row **rows,
                             size_t *count) CF_MUST_CHECK;
cf_status store_channel_remove(struct db *db, unsigned long long id) CF_MUST_CHECK;

/* ---- widget session tokens (sql/009_widget_session_tokens.sql); the chat
 * API reads the policy with its session (store_chat_session) ---- */

/* Switches a channel on or off (confabctl channel configure --enable /
 * --disable): a disabled channel refuses trigger_bot, and a job queued
 * before sends nothing (docs/API.md §9.1). CF_E_NOT_FOUND when there is no
 * live channel id. */
cf_status store_channel_enabled_set(struct db *db, unsigned long long id, bool enabled) CF_MUST_CHECK;

/* Sets a channel's token policy (confabctl): ttl_days > 0 sets the
 * lifetime (0 leaves it, -1 resets it to the default); required 1 or 0
 * sets the requirement (-1 leaves it). CF_E_NOT_FOUND when there is no
 * live channel id. */
cf_status store_channel_session_tokens_set(struct db *db, unsigned long long id, long ttl_days,
                                           int required) CF_MUST_CHECK;

#endif
