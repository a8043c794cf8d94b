/* sessions.h - the sessions domain: building ExperimentSession, Experiment
 * and Message JSON (../shared/spec/API.md §4, §5, §7.1) and creating
 * sessions. Store access goes through store_sessions.h; nothing here knows
 * HTTP beyond the absolute base URL it is given. */
#ifndef CONFAB_SESSIONS_H
#define CONFAB_SESSIONS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "app.h"
#include "buf.h"
#include "cursor.h"
#include "db.h"
#include "store_sessions.h"

/* A list request, validated by the handler. */
struct session_list_query {
	struct session_filter filter;    /* team_id and filters */
	bool experiment_given;           /* an experiment filter that matched nothing */
	const struct cursor *cursor;     /* NULL for the first page */
	size_t page_size;
};

/* Links of a page: cursor values, "" when there is no such page. */
struct page_links {
	char next[CURSOR_MAX_LEN];
	char previous[CURSOR_MAX_LEN];
};

/* Fills *results (caller owns) with one page of ExperimentSession objects
 * and links with the cursors of the neighbouring pages. base: absolute URL
 * of the API root without a trailing slash. */
cf_status sessions_list(struct db *db, const struct principal *who, const char *base,
                        const struct session_list_query *q, const char *secret, struct json_object **results,
                        struct page_links *links) CF_MUST_CHECK;

/* ExperimentSession JSON for one session, with messages when with_messages.
 * CF_E_NOT_FOUND when absent in the caller's team. */
cf_status sessions_detail(struct db *db, const struct principal *who, const char *base,
                          const char *external_id, bool with_messages, struct json_object **out) CF_MUST_CHECK;

/* The same ExperimentSession JSON with messages as sessions_detail, written
 * as text onto out with the messages serialized one at a time (their rows
 * and objects released on the way), so a long session is not held as rows,
 * objects and text at once. CF_E_NOT_FOUND when absent in the caller's
 * team; out may hold a partial text on failure. */
cf_status sessions_detail_write(struct db *db, const struct principal *who, const char *base,
                                const char *external_id, struct buf *out) CF_MUST_CHECK;

/* A validated create request. */
struct session_create {
	struct chatbot_row experiment;
	const char *participant;               /* identifier */
	struct json_object *messages;          /* validated array or NULL; borrowed */
	const char *state_json;                /* JSON text */
};

/* Creates the session; *external_id_out receives its id (37 bytes). */
cf_status sessions_create(struct db *db, const struct principal *who, const struct session_create *c,
                          char external_id_out[37]) CF_MUST_CHECK;

/* Experiment JSON (§4) of a working chatbot; caller owns *out. */
cf_status sessions_experiment_json(struct db *db, const char *base, unsigned long long team_id,
                                   unsigned long long experiment_id, struct json_object **out) CF_MUST_CHECK;

/* Receives one Message object and takes it over; a failure stops the walk. */
typedef cf_status (*message_sink)(void *ctx, struct json_object *message);

/* One chat poll page: the Messages (§5, no summary pseudo-messages) of a
 * chat created after since (a DB time text), oldest first, handed to sink
 * one at a time: at most limit, and none after the content + metadata
 * bytes sent reach max_bytes (the first is always sent). A page does not
 * end inside a run of equal created_at unless that run fills it.
 * *has_more when more matched. */
cf_status sessions_messages_page(struct db *db, const char *base, unsigned long long chat_id, const char *since,
                                 long limit, long max_bytes, message_sink sink, void *sink_ctx,
                                 bool *has_more) CF_MUST_CHECK;
/* One message (§5) of a chat by id; CF_E_NOT_FOUND when absent. Caller
 * owns *message. */
cf_status sessions_message(struct db *db, const char *base, unsigned long long chat_id, unsigned long long message_id,
                           struct json_object **message) CF_MUST_CHECK;
/* Current tag names of a session's chat, sorted, as a JSON array. */
cf_status sessions_tag_names(struct db *db, unsigned long long chat_id, struct json_object **out) CF_MUST_CHECK;

/* Ends a session of team (status pending-review), emitting session.ended
 * when it was open. CF_E_NOT_FOUND when absent. */
cf_status sessions_end(struct db *db, unsigned long long team_id, const char *external_id) CF_MUST_CHECK;

#endif
