/* store_tags.h - tags and what carries them: statements of tags, chat_tags
 * (session tags) and chat_message_tags. Names compare by code point. */
#ifndef CONFAB_STORE_TAGS_H
#define CONFAB_STORE_TAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "status.h"

/* One tag on a chat or a message: owner is the chat id or the message id. */
struct tag_row {
	unsigned long long owner_id;
	char name[401];
};
typedef cf_status (*tag_row_fn)(void *ctx, const struct tag_row *tag);

/* Ids of the team's tags named in names_json (a JSON array); version tags
 * only (category experiment_version) when versions. Caller frees *ids. */
cf_status store_tag_ids(struct db *db, unsigned long long team_id, const char *names_json, bool versions,
                        unsigned long long **ids, size_t *count) CF_MUST_CHECK;
/* Tags of chats (chat_ids_json: a JSON array of ids), ordered by chat, then
 * name; owner_id is the chat. */
cf_status store_chat_tags(struct db *db, const char *chat_ids_json, tag_row_fn fn, void *ctx) CF_MUST_CHECK;
/* Tags of every message of a chat, ordered by message, then name; owner_id
 * is the message. */
cf_status store_chat_message_tags(struct db *db, unsigned long long chat_id, tag_row_fn fn, void *ctx) CF_MUST_CHECK;
/* Attaches user tags (get-or-create) named in names_json to the chat;
 * user_id 0 (a machine token) attributes them to no user. */
cf_status store_chat_tags_add(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                              unsigned long long user_id, const char *names_json) CF_MUST_CHECK;
/* Tags a message with the version tag `name` (category experiment_version),
 * creating the tag on first use. */
cf_status store_message_version_tag(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                    const char *name) CF_MUST_CHECK;
/* Detaches user tags named in names_json from the chat. */
cf_status store_chat_tags_remove(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                                 const char *names_json) CF_MUST_CHECK;

#endif
