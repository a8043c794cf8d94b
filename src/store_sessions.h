/* store_sessions.h - SQL for experiment sessions, their chats, messages and
 * tags, and the experiments (chatbots) they point at. Every function is
 * scoped by team; rows of another team are never returned. */
#ifndef CONFAB_STORE_SESSIONS_H
#define CONFAB_STORE_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cursor.h"
#include "db.h"
#include "status.h"
#include "store_chatbots.h"

/* Column order of every session row query below. */
enum session_col {
	SESSION_COL_ID, SESSION_COL_EXTERNAL_ID, SESSION_COL_EXPERIMENT_ID, SESSION_COL_CHAT_ID,
	SESSION_COL_CREATED_AT, SESSION_COL_UPDATED_AT, SESSION_COL_PARTICIPANT_IDENTIFIER,
	SESSION_COL_PARTICIPANT_REMOTE_ID, SESSION_COL_HAS_PARTICIPANT, SESSION_COL_STATUS,
	SESSION_COL_STATE, SESSION_COL_COUNT
};

struct session_filter {
	unsigned long long team_id;
	unsigned long long experiment_id;  /* 0 = any */
	bool by_tags;                      /* tag filter given: match any of tag_ids */
	const unsigned long long *tag_ids;
	size_t ntag_ids;
	bool by_versions;                  /* versions filter given: any of version_tag_ids */
	const unsigned long long *version_tag_ids;
	size_t nversion_tag_ids;
	bool ascending;                    /* ordering=created_at */
};

/* Ids of the team's tags named in names_json (a JSON array); version tags
 * only (category experiment_version) when versions. Caller frees *ids. */
cf_status store_tag_ids(struct db *db, unsigned long long team_id, const char *names_json, bool versions,
                        unsigned long long **ids, size_t *count) CF_MUST_CHECK;

/* One page of sessions in the filter's order, starting after (or, reversed,
 * before) the cursor position, at most limit rows, in display order. */
cf_status store_sessions_page(struct db *db, const struct session_filter *f, const struct cursor *after,
                              size_t limit, struct db_rows *rows) CF_MUST_CHECK;
/* One session by external id. CF_E_NOT_FOUND when absent in team. */
cf_status store_session_find(struct db *db, unsigned long long team_id, const char *external_id,
                             struct db_rows *rows) CF_MUST_CHECK;

/* Tag names of chats: columns chat_id, name; ordered by chat, then name.
 * chat_ids_json is a JSON array of chat ids. */
cf_status store_chat_tags(struct db *db, const char *chat_ids_json, struct db_rows *rows) CF_MUST_CHECK;

/* Messages of a chat in order. Columns: id, created_at, message_type,
 * content, summary, metadata. */
cf_status store_chat_messages(struct db *db, unsigned long long chat_id, struct db_rows *rows) CF_MUST_CHECK;
/* At most limit messages created after since (a DB time text), in order;
 * columns as store_chat_messages with summary always NULL. */
cf_status store_chat_messages_since(struct db *db, unsigned long long chat_id, const char *since, long limit,
                                    struct db_rows *rows) CF_MUST_CHECK;
/* One message of a chat (no rows when absent); columns as above. */
cf_status store_chat_message_one(struct db *db, unsigned long long chat_id, unsigned long long message_id,
                                 struct db_rows *rows) CF_MUST_CHECK;
/* Tags of all messages of a chat: message_id, name; ordered by message, name. */
cf_status store_chat_message_tags(struct db *db, unsigned long long chat_id, struct db_rows *rows) CF_MUST_CHECK;
/* Files linked to a chat through an attachment: id, name, content_type,
 * content_size, external_id. */
cf_status store_chat_files(struct db *db, unsigned long long chat_id, struct db_rows *rows) CF_MUST_CHECK;

/* ---- writes ---- */
/* Get-or-create of participant (team, platform, identifier); user_id is set
 * on creation only (0 = none). */
cf_status store_participant_upsert(struct db *db, unsigned long long team_id, const char *platform,
                                   const char *identifier, unsigned long long user_id,
                                   unsigned long long *participant_id) CF_MUST_CHECK;
/* The team's API channel, created on demand. */
cf_status store_api_channel(struct db *db, unsigned long long team_id, const char *team_slug,
                            unsigned long long *channel_id) CF_MUST_CHECK;
cf_status store_chat_create(struct db *db, unsigned long long team_id, const char *name,
                            unsigned long long *chat_id) CF_MUST_CHECK;
/* state_json: the JSON text of the initial state. */
cf_status store_session_create(struct db *db, unsigned long long team_id, const char *external_id,
                               unsigned long long experiment_id, unsigned long long participant_id,
                               unsigned long long channel_id, unsigned long long chat_id,
                               const char *state_json,
                               unsigned long long *session_id) CF_MUST_CHECK;
/* message_type: "human", "ai" or "system". */
cf_status store_message_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                            const char *message_type, const char *content, unsigned long long *message_id) CF_MUST_CHECK;

/* Sets status pending-review and ended_at = now. CF_E_NOT_FOUND when absent. */
/* Inside a transaction: the session's id and status, locked.
 * CF_E_NOT_FOUND when absent in team. */
cf_status store_session_lock_status(struct db *db, unsigned long long team_id, const char *external_id,
                                   struct db_rows *rows) CF_MUST_CHECK;
cf_status store_session_end(struct db *db, unsigned long long team_id, const char *external_id) CF_MUST_CHECK;
/* Replaces the state. CF_E_NOT_FOUND when absent. */
cf_status store_session_set_state(struct db *db, unsigned long long team_id, const char *external_id,
                                  const char *state_json) CF_MUST_CHECK;
/* Attaches user tags (get-or-create) named in names_json to the chat. */
cf_status store_chat_tags_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                              unsigned long long user_id, const char *names_json) CF_MUST_CHECK;
/* Detaches user tags named in names_json from the chat. */
cf_status store_chat_tags_remove(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                                 const char *names_json) CF_MUST_CHECK;

/* A per-installation secret kept in the database (created on first use),
 * shared by every host: signs cursors. */
cf_status store_secret(struct db *db, const char *name, char out[65]) CF_MUST_CHECK;

#endif
