/* store_chat.h - SQL behind the chat-widget API: embedded-widget channels
 * (embed keys), anonymous participants and widget sessions. */
#ifndef CONFAB_STORE_CHAT_H
#define CONFAB_STORE_CHAT_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* Non-deleted embedded-widget channels of a working chatbot (by its public
 * id). Columns: id, team_id, widget_token, allowed_domains (JSON text). */
cf_status store_widget_channels(struct db *db, const char *chatbot_public_id, struct db_rows *rows) CF_MUST_CHECK;
/* A new participant (always new for anonymous and embed-key callers). */
cf_status store_participant_create(struct db *db, unsigned long long team_id, const char *public_id,
                                   const char *identifier, const char *platform, const char *name,
                                   const char *remote_id, unsigned long long *id) CF_MUST_CHECK;
/* Sets "name" in the participant's data for a chatbot (creating the row). */
cf_status store_participant_data_set_name(struct db *db, unsigned long long team_id, unsigned long long participant_id,
                                          unsigned long long experiment_id, const char *name) CF_MUST_CHECK;
cf_status store_participant_set_name(struct db *db, unsigned long long participant_id, const char *name) CF_MUST_CHECK;
/* A chat with metadata {"embed_source": referer|null} and an active widget
 * session on it. */
cf_status store_widget_session_create(struct db *db, unsigned long long team_id, const char *external_id,
                                      unsigned long long experiment_id, unsigned long long participant_id,
                                      unsigned long long channel_id, const char *platform, const char *chat_name,
                                      const char *embed_source, const char *state_json,
                                      unsigned long long *session_id) CF_MUST_CHECK;

/* A session as the chat API sees it (chatbot not archived): columns id,
 * chat_id, team_id, status, participant_allowlist (JSON), participant
 * identifier ("" when none). CF_E_NOT_FOUND otherwise. */
cf_status store_chat_session(struct db *db, const char *external_id, struct db_rows *rows) CF_MUST_CHECK;
/* True when email belongs to a member of team. */
cf_status store_is_team_member_email(struct db *db, unsigned long long team_id, const char *email,
                                     bool *member) CF_MUST_CHECK;
/* Channels (confabctl): create, list (id, platform, name, widget_token,
 * allowed_domains, chatbot public id), soft-delete. */
cf_status store_channel_create(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                               const char *platform, const char *name, const char *widget_token,
                               const char *allowed_domains_json, unsigned long long *id) CF_MUST_CHECK;
/* A messaging channel (telegram, whatsapp, ...) with its secret (e.g. the
 * bot token; may be NULL). */
cf_status store_channel_create_messaging(struct db *db, unsigned long long team_id, unsigned long long experiment_id,
                                         const char *platform, const char *name, const char *secret,
                                         unsigned long long *id) CF_MUST_CHECK;
/* A chat poll page (GET /api/chat/{id}/poll/): at most rows_max messages
 * of the chat created after since (DB time text), oldest first, with the
 * columns of store_chat_messages_since (id, created_at, message_type,
 * content, NULL, metadata) and a 7th, within: 1 while the content +
 * metadata bytes of the rows before it are under max_bytes. Rows with
 * within 0 carry NULL content and metadata. */
cf_status store_chat_poll_page(struct db *db, unsigned long long chat_id, const char *since, long rows_max,
                               long max_bytes, struct db_rows *rows) CF_MUST_CHECK;
/* A channel in a chatbot's listing; allowed_domains (JSON text) is borrowed
 * for the callback. */
struct channel_list_row {
	unsigned long long id;
	char platform[32];
	char name[1024];
	char widget_token[65];             /* "" when none */
	const char *allowed_domains;
	char chatbot_public_id[37];
};
typedef cf_status (*channel_list_fn)(void *ctx, const struct channel_list_row *row);
/* The non-deleted channels of a working chatbot, oldest first. */
cf_status store_channel_list(struct db *db, unsigned long long experiment_id, channel_list_fn fn,
                             void *ctx) CF_MUST_CHECK;
cf_status store_channel_remove(struct db *db, unsigned long long id) CF_MUST_CHECK;

#endif
