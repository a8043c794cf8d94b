/* channels.h - the channel side of conversations (docs/API.md §9,
 * §11, §12.3): which session a participant's message belongs to, the merge
 * rules for participant data and session state, and the trigger_bot job. */
#ifndef CONFAB_CHANNELS_H
#define CONFAB_CHANNELS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "db.h"
#include "status.h"
#include "store_chatbots.h"
#include "store_sessions.h"

struct channel_session {
	unsigned long long id;
	unsigned long long chat_id;
	unsigned long long participant_id;
	char external_id[SESSION_EXTERNAL_ID_MAX];
};

/* Who is talking, on which channel. */
struct channel_party {
	unsigned long long team_id;
	const struct chatbot_row *chatbot;      /* working row */
	unsigned long long channel_id;          /* 0 = the team's API channel, found when a session is made */
	const char *platform;
	const char *identifier;
	unsigned long long user_id;             /* linked on participant creation; 0 = none */
	const char *team_slug;                  /* names the API channel when channel_id is 0 */
	/* Hints from an earlier read of this request: the participant
	 * (team, platform, identifier), 0 = look it up; and, when open_known,
	 * the latest open session (open.id 0 = none) instead of a lookup. */
	unsigned long long participant_hint;
	bool open_known;
	struct channel_session open;
};

/* The participant's latest open session of the chatbot (matched on
 * identifier), or a new one (status setup) when there is none or
 * start_new is set (the latest open one is then ended first). */
cf_status channels_session_for(struct db *db, const struct channel_party *who, bool start_new,
                               struct channel_session *out) CF_MUST_CHECK;

/* A new session (status setup) for the party, whatever is open. */
cf_status channels_new_session(struct db *db, const struct channel_party *who,
                               struct channel_session *out) CF_MUST_CHECK;
/* Ends session_id and opens a new session of the participant, in one
 * transaction (the API channel's /reset). */
cf_status channels_reset_session(struct db *db, const struct channel_party *who, unsigned long long session_id,
                                 struct channel_session *out) CF_MUST_CHECK;

/* Shallow-merges data (an object; borrowed) into the participant's data
 * for the chatbot, creating participant and data as needed. */
cf_status channels_merge_participant_data(struct db *db, const struct channel_party *who,
                                          struct json_object *data) CF_MUST_CHECK;

/* Shallow-merges session_data into the session's state, then sets
 * state["page_context"] when page_context is not NULL (both borrowed). */
cf_status channels_merge_state(struct db *db, unsigned long long session_id, struct json_object *session_data,
                               struct json_object *page_context) CF_MUST_CHECK;

/* Identifier normalisation of §3.1: lower-cased for commcare_connect. */
void channels_normalise_identifier(const char *platform, char *identifier);

/* True when platform is in the PlatformEnum of §3.1. */
bool channels_platform_known(const char *platform);

#endif
