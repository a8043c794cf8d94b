/* store_messages.h - the messages of a chat and the files attached to it:
 * statements of chat_messages, chat_attachments and chat_attachment_files.
 * Reads hand each row to a callback in order. */
#ifndef CONFAB_STORE_MESSAGES_H
#define CONFAB_STORE_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "status.h"

#define MESSAGE_TIME_MAX 32

/* One message. The callback may take over content, summary and metadata
 * (set the pointer to NULL); what it leaves is freed after it returns. */
struct message_row {
	unsigned long long id;
	char created_at[MESSAGE_TIME_MAX];   /* DB time text */
	char message_type[17];               /* human, ai or system */
	char *content;                       /* NULL only past a poll page's byte budget */
	size_t content_len;
	char *summary;                       /* NULL when none */
	char *metadata;                      /* JSON text; NULL past the byte budget */
	bool within;                         /* poll page: the bytes before it are under the budget */
	/* Usage (not read by the poll page: "", false, 0): the model that
	 * wrote it ("" = none recorded) and its prompt + completion tokens. */
	char model_name[256];
	bool has_usage;
	long long tokens;
};
typedef cf_status (*message_row_fn)(void *ctx, struct message_row *row);

/* Every message of a chat in order (created_at, id). */
cf_status store_chat_messages(struct db *db, unsigned long long chat_id, message_row_fn fn, void *ctx) CF_MUST_CHECK;
/* One message of a chat (fn not called when absent); summary always NULL. */
cf_status store_chat_message_one(struct db *db, unsigned long long chat_id, unsigned long long message_id,
                                 message_row_fn fn, void *ctx) CF_MUST_CHECK;
/* A chat poll page: at most rows_max messages of the chat created after
 * since (DB time text), oldest first, summary NULL. row->within is true
 * while the content + metadata bytes of the rows before it are under
 * max_bytes; rows past it carry NULL content and metadata, so the worker
 * never holds more than the budget plus one message. */
cf_status store_chat_poll_page(struct db *db, unsigned long long chat_id, const char *since, long rows_max,
                               long max_bytes, message_row_fn fn, void *ctx) CF_MUST_CHECK;

/* A file linked to a chat through an attachment. */
struct chat_file_row {
	unsigned long long id;
	char name[1024];
	char content_type[1024];
	long long size;
	bool has_external_id;
	char external_id[1024];
};
/* Files linked to a chat: caller-owned array (free()) of *count rows. */
cf_status store_chat_files(struct db *db, unsigned long long chat_id, struct chat_file_row **files,
                           size_t *count) CF_MUST_CHECK;

/* Every column a new message is stored with (the one INSERT of
 * chat_messages); created now. */
struct message_new {
	unsigned long long team_id;
	unsigned long long chat_id;
	const char *message_type;     /* "human", "ai" or "system" */
	const char *content;
	const char *metadata_json;    /* JSON object text; NULL = {} */
	bool have_usage;              /* the provider's token counts below; else NULL */
	long prompt_tokens;
	long completion_tokens;
	const char *model_name;       /* the model that wrote it (AI messages from a provider); NULL = none */
};
cf_status store_message_add(struct db *db, const struct message_new *m, unsigned long long *message_id) CF_MUST_CHECK;
/* The content of one message of team (caller frees *content). */
cf_status store_message_content(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                char **content) CF_MUST_CHECK;
/* True when the chat has a message from the participant. */
cf_status store_chat_has_human(struct db *db, unsigned long long chat_id, bool *has) CF_MUST_CHECK;

/* ---- the Responses API (api_responses.c) ---- */

/* An AI message that answered a Responses call, found by the response id
 * kept in its metadata ("openai_response_id"), with the session it is in. */
struct response_message_row {
	unsigned long long session_id;
	unsigned long long chat_id;
	unsigned long long participant_id;   /* 0 = none */
	char *content;                       /* owned: free() */
	long long created_at;                /* Unix seconds */
	bool have_usage;
	long prompt_tokens;
	long completion_tokens;
	bool is_latest;                      /* no later AI message in the chat */
};
/* The AI message whose metadata names response_id, in the session
 * session_external_id of chatbot chatbot_id (the working row) of team,
 * unless its metadata has "openai_store" (written only as false). Every key of the lookup
 * is scoped by team, so another team's id is CF_E_NOT_FOUND. */
cf_status store_response_message(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                 const char *session_external_id, const char *response_id,
                                 struct response_message_row *out) CF_MUST_CHECK;
/* Merges the JSON object text patch into a message's metadata (JSON merge
 * patch) in team. */
cf_status store_message_metadata_merge(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                       const char *patch_json) CF_MUST_CHECK;

#endif
