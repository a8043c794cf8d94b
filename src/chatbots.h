/* chatbots.h - chatbot versions as the conversation engine needs them: the
 * version rules of docs/API.md §4 (v0 = default; the working
 * row's number = unreleased; any other number = that released version)
 * and each version's model settings and provider. */
#ifndef CONFAB_CHATBOTS_H
#define CONFAB_CHATBOTS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "cursor.h"
#include "db.h"
#include "llm.h"
#include "status.h"
#include "store_chatbots.h"

struct chatbot_version {
	unsigned long long id;        /* the row that answers */
	long number;
	bool is_working;              /* the unreleased working row */
	char *prompt_text;            /* owned */
	char *source_material;        /* owned */
	bool history_global;          /* false: history mode "none" */
	long history_max;
	bool has_provider;
	struct llm_provider provider; /* model, temperature, credentials */
};

/* Resolves public_id (of the family's working row or of any version) and
 * version (CHATBOT_VERSION_DEFAULT or a number >= 0; 0 = default) in one
 * statement: *family gets the non-archived working row, *out the version.
 * CF_E_NOT_FOUND with family->id == 0: no such chatbot in the team;
 * CF_E_NOT_FOUND with family->id != 0: the chatbot has no such version.
 * Free *out with chatbot_version_free (also after a failure). With caller
 * (the identifier of who talks) and hints, the same statement fills the
 * hints (store_chatbots.h) for the turn that follows; both may be NULL.
 * open_session: the hints include the caller's latest open session. */
cf_status chatbots_resolve(struct db *db, unsigned long long team_id, const char *public_id, long version,
                           const char *caller, bool open_session, struct chatbot_row *family,
                           struct chatbot_version *out, struct chatbot_turn_hints *hints) CF_MUST_CHECK;
/* As chatbots_resolve, for the family whose working row is working_id
 * (archived or not: jobs answer for the chatbot they were queued for);
 * family may be NULL. */
cf_status chatbots_resolve_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                                   long version, struct chatbot_row *family,
                                   struct chatbot_version *out) CF_MUST_CHECK;
void chatbot_version_free(struct chatbot_version *v);

/* The version tag of AI messages: "v3" or "v4-unreleased". */
void chatbot_version_tag(const struct chatbot_version *v, char *out, size_t outlen);

/* ---- GET /api/experiments/ and /api/experiments/{id}/ (docs/API.md §4.1, §4.2) ---- */

/* One page of the team's working chatbots, newest first. cursor: NULL for
 * the first page (borrowed). base: absolute URL of the API root without a
 * trailing slash (borrowed). */
struct chatbots_page_query {
	unsigned long long team_id;
	const char *base;
	const struct cursor *cursor;
	size_t page_size;
	const char *secret;   /* the cursor secret (store_secret "cursor") */
};
/* What a page links to: signed cursors ("" = no such page) and, on the
 * first page only (has_count), the number of the team's chatbots. */
struct chatbots_page_links {
	char next[CURSOR_MAX_LEN];
	char previous[CURSOR_MAX_LEN];
	bool has_count;
	unsigned long long count;
};
/* *results (caller owns, json_object_put): an array of Experiment JSON
 * (§4), also set to an empty array after a failure. */
cf_status chatbots_page(struct db *db, const struct chatbots_page_query *q, struct json_object **results,
                        struct chatbots_page_links *links) CF_MUST_CHECK;
/* The Experiment JSON of the team's working chatbot whose public id is
 * public_id (a normalised UUID; a version's id is not one): caller owns
 * *out. CF_E_NOT_FOUND when absent or archived. */
cf_status chatbots_detail(struct db *db, unsigned long long team_id, const char *base, const char *public_id,
                          struct json_object **out) CF_MUST_CHECK;

#endif
