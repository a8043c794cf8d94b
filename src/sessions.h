/* sessions.h - the sessions domain: ExperimentSession, Experiment and
 * Message JSON (docs/API.md §4, §5, §7.1), session creation and
 * ending. A read costs one statement when the process has the chat and
 * chatbot it points at rendered already (read_cache.h); the store is
 * reached through store_sessions.h and its neighbours; nothing here knows
 * HTTP beyond the absolute base URL it is given. */
#ifndef CONFAB_SESSIONS_H
#define CONFAB_SESSIONS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "app.h"
#include "buf.h"
#include "cursor.h"
#include "db.h"
#include "store_chatbots.h"
#include "store_sessions.h"

/* A list request, validated by the handler. */
struct session_list_query {
	struct session_filter filter;    /* team_id and filters */
	bool chatbot_given;              /* an experiment filter that matched nothing */
	const struct cursor *cursor;     /* NULL for the first page */
	size_t page_size;
};

/* Links of a page: cursor values, "" when there is no such page; and, on
 * the first page (has_count), how many sessions the filters match. */
struct page_links {
	char next[CURSOR_MAX_LEN];
	char previous[CURSOR_MAX_LEN];
	bool has_count;
	unsigned long long count;
};

/* Fills *results (caller owns) with one page of ExperimentSession objects
 * and links with the cursors of the neighbouring pages. base: absolute URL
 * of the API root without a trailing slash. */
cf_status sessions_list(struct db *db, const struct principal *who, const char *base,
                        const struct session_list_query *q, const char *secret, struct json_object **results,
                        struct page_links *links) CF_MUST_CHECK;

/* ExperimentSession JSON without messages. CF_E_NOT_FOUND when absent in
 * the caller's team. */
cf_status sessions_detail(struct db *db, const struct principal *who, const char *base,
                          const char *external_id, struct json_object **out) CF_MUST_CHECK;

/* ExperimentSession JSON with messages, written as text onto out (a long
 * session is streamed message by message when it is too big to keep).
 * CF_E_NOT_FOUND when absent in the caller's team; out may hold a partial
 * text on failure. */
cf_status sessions_detail_write(struct db *db, const struct principal *who, const char *base,
                                const char *external_id, struct buf *out) CF_MUST_CHECK;

/* A validated create request. */
struct session_create {
	struct chatbot_row chatbot;
	const char *participant;               /* identifier */
	struct json_object *messages;          /* validated array or NULL; borrowed */
	const char *state_json;                /* JSON text */
	/* Hints from an earlier read of this request (0 = look it up): the
	 * participant (team, "api", participant) and the team's API channel. */
	unsigned long long participant_id;
	unsigned long long api_channel_id;
};

/* Creates the session; *created gets its external id, id, team, chatbot,
 * chat and participant. */
cf_status sessions_create(struct db *db, const struct principal *who, const struct session_create *c,
                          struct session_row *created) CF_MUST_CHECK;

/* Experiment JSON (§4) of a working chatbot; caller owns *out. */
cf_status sessions_chatbot_json(struct db *db, const char *base, unsigned long long team_id,
                                unsigned long long chatbot_id, struct json_object **out) CF_MUST_CHECK;

/* One chat poll page of session s (a row with its validators, from
 * store_chat_session): the Messages (§5, no summary pseudo-messages)
 * created after since (a DB time text), oldest first, appended to out as
 * comma-separated JSON: at most limit, and none after the content +
 * metadata bytes sent reach max_bytes (the first is always sent). A page
 * does not end inside a run of equal created_at unless that run fills it.
 * *has_more when more matched. */
cf_status sessions_messages_page(struct db *db, const char *base, const struct session_row *s, const char *since,
                                 long limit, long max_bytes, struct buf *out, bool *has_more) CF_MUST_CHECK;
/* One message (§5) of session s by id; CF_E_NOT_FOUND when absent. Caller
 * owns *message. */
cf_status sessions_message(struct db *db, const char *base, const struct session_row *s,
                           unsigned long long message_id, struct json_object **message) CF_MUST_CHECK;
/* Current tag names of a chat, sorted, as a JSON array. */
cf_status sessions_tag_names(struct db *db, unsigned long long chat_id, struct json_object **out) CF_MUST_CHECK;

/* Ends a session of team (status pending-review), emitting session.ended
 * when it was open. CF_E_NOT_FOUND when absent. */
cf_status sessions_end(struct db *db, unsigned long long team_id, const char *external_id) CF_MUST_CHECK;

#endif
