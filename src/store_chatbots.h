/* store_chatbots.h - SQL of the chatbots: the experiments table (a family
 * is one working row plus its released versions, docs/API.md §4)
 * and the teams' LLM providers (llm_providers) that versions answer with.
 * Rows cross this boundary as structs; no caller sees column numbers. */
#ifndef CONFAB_STORE_CHATBOTS_H
#define CONFAB_STORE_CHATBOTS_H

#include <stdbool.h>

#include "db.h"
#include "status.h"

/* One row of experiments (a working row unless is_working is false). */
struct chatbot_row {
	unsigned long long id;
	unsigned long long team_id;
	char public_id[37];
	char name[520];
	long version_number;
	bool is_working;
	char team_slug[64];   /* store_chatbot_any_team only; "" elsewhere */
};

/* Resolves a public id (of the working row or of a version) to its family's
 * non-archived working row in team. CF_E_NOT_FOUND when absent. */
cf_status store_chatbot_find(struct db *db, unsigned long long team_id, const char *public_id,
                             struct chatbot_row *out) CF_MUST_CHECK;
/* Working row by internal id. CF_E_NOT_FOUND when absent in team. */
cf_status store_chatbot_get(struct db *db, unsigned long long team_id, unsigned long long id,
                            struct chatbot_row *out) CF_MUST_CHECK;
/* The description of a chatbot row by internal id (caller frees
 * *description). CF_E_NOT_FOUND when absent in team. */
cf_status store_chatbot_description(struct db *db, unsigned long long team_id, unsigned long long id,
                                    char **description) CF_MUST_CHECK;
/* True when some team has a non-archived chatbot row with that public id. */
cf_status store_chatbot_exists_anywhere(struct db *db, const char *public_id, bool *exists) CF_MUST_CHECK;
/* Any team's non-archived row (working or a version) by public id, with
 * its team's slug. CF_E_NOT_FOUND when absent. */
cf_status store_chatbot_any_team(struct db *db, const char *public_id, struct chatbot_row *out) CF_MUST_CHECK;
/* The public id of the working chatbot of a session whose chatbot is not
 * archived; CF_E_NOT_FOUND otherwise. */
cf_status store_session_chatbot(struct db *db, const char *session_external_id, char public_id[37]) CF_MUST_CHECK;

/* A released version in a family's listing. version_description is owned
 * by the store and valid only during the callback. */
struct chatbot_version_summary {
	char name[520];
	long version_number;
	bool is_default_version;
	char *version_description;
	char public_id[37];
};
typedef cf_status (*chatbot_version_fn)(void *ctx, const struct chatbot_version_summary *v);
/* Released, non-archived versions of a family in ascending version_number:
 * the one listing, for the Experiment JSON and confabctl. A non-CF_OK
 * return of fn stops the walk and is returned. */
cf_status store_chatbot_versions(struct db *db, unsigned long long working_id, chatbot_version_fn fn,
                                 void *ctx) CF_MUST_CHECK;

/* ---- the experiments API (api_experiments.c): pages of working rows ---- */

/* A working row in a page of GET /api/experiments/: what its Experiment
 * JSON is rendered from (id) and its keyset position (created_at, id). */
struct chatbot_page_row {
	unsigned long long id;
	char created_at[32];   /* "YYYY-MM-DD HH:MM:SS.ffffff" */
};
/* Where a page starts: the first page (after NULL), the rows after a
 * boundary (newest first, reverse false) or before it (reverse true). */
struct chatbot_page_query {
	unsigned long long team_id;
	const char *after_created_at;   /* borrowed; NULL for the first page */
	unsigned long long after_id;
	bool reverse;
	size_t limit;
};
/* Up to q->limit non-archived working rows of the team, newest first
 * (created_at, id descending) in display order. *out: caller frees (NULL
 * when *count is 0). */
cf_status store_chatbot_page(struct db *db, const struct chatbot_page_query *q, struct chatbot_page_row **out,
                             size_t *count) CF_MUST_CHECK;
/* The number of non-archived working rows of the team. */
cf_status store_chatbot_count(struct db *db, unsigned long long team_id, unsigned long long *count) CF_MUST_CHECK;

/* A row of a family as the OpenAI models list shows it (api_models.c). */
struct chatbot_model_row {
	long version_number;
	bool is_working;          /* the unreleased working row */
	long long created_at;     /* Unix seconds */
};
typedef cf_status (*chatbot_model_fn)(void *ctx, const struct chatbot_model_row *m);
/* The rows of a family in ascending version_number: its released,
 * non-archived versions, then the working row (which has the highest). A non-CF_OK return of fn stops the
 * walk and is returned. */
cf_status store_chatbot_models(struct db *db, unsigned long long working_id, chatbot_model_fn fn,
                               void *ctx) CF_MUST_CHECK;

/* ---- the version a request is answered with ---- */

#define CHATBOT_VERSION_DEFAULT (-1L)

/* A version's settings joined with its provider. Strings marked owned are
 * freed by chatbot_version_row_free; api_key is opened (plaintext) and
 * wiped on free. */
struct chatbot_version_row {
	unsigned long long id;            /* the row that answers */
	long version_number;
	bool is_working;
	char model[256];
	double temperature;
	char *prompt_text;                /* owned */
	char *source_material;            /* owned */
	char history_mode[16];
	long history_max;
	bool has_provider;                /* the fields below are set only with one */
	char provider_type[32];
	char base_url[512];
	char *api_key;                    /* owned, secret */
	char *provider_config;            /* owned JSON object text */
};
void chatbot_version_row_free(struct chatbot_version_row *v);

/* Which family and version to resolve: by public id (of the working row or
 * of any version) or, when public_id is NULL, by the working row's id.
 * version: CHATBOT_VERSION_DEFAULT or 0 = the family's default (its
 * published default version, else the working row); the working row's
 * number = the working row; any other number = that released, non-archived
 * version. */
struct chatbot_version_query {
	unsigned long long team_id;
	const char *public_id;
	unsigned long long working_id;
	long version;
	const char *caller;               /* identifier of who talks (an email), or NULL: see the hints */
	bool open_session;                /* the hints include the caller's latest open session */
};

/* What the same statement learns about the team and the caller, so that
 * a completion or an incoming message reads nothing else before its turn's
 * context (issue 16): whether the team has webhook endpoints at all, its
 * API channel, the caller's participant on platform "api" and the caller's
 * latest open session of this chatbot (only when the query asks: a
 * completion never continues a session, and a caller of completions has
 * one open session per request, which that lookup would sort). Hints only: each is as of the read,
 * and a user of one looks it up again when it is 0. */
struct chatbot_turn_hints {
	bool team_has_webhooks;
	unsigned long long api_channel_id;        /* 0 = none yet */
	unsigned long long api_participant_id;    /* 0 = none yet (or no caller) */
	unsigned long long open_session_id;       /* 0 = none (or no caller) */
	unsigned long long open_chat_id;
	unsigned long long open_participant_id;
	char open_external_id[256];
};
/* In one statement: the family's non-archived working row (*family) and
 * the requested version with its provider (*version). CF_E_NOT_FOUND when
 * there is no such family in the team; CF_OK with *version_found false
 * when the family exists but not the version. CF_E_CONFIG when the
 * provider's key does not open. Free *version also after a failure. */
cf_status store_chatbot_version_resolve(struct db *db, const struct chatbot_version_query *q,
                                        struct chatbot_row *family, bool *version_found,
                                        struct chatbot_version_row *version,
                                        struct chatbot_turn_hints *hints) CF_MUST_CHECK;

/* ---- confabctl: writes and listings ---- */

/* A new working chatbot row; public_id is a fresh UUID. */
cf_status store_chatbot_create(struct db *db, unsigned long long team_id, const char *public_id,
                               const char *name, const char *description, const char *prompt) CF_MUST_CHECK;
/* Settings of a working chatbot row; NULL fields are left as they are.
 * Numbers are given as decimal text. */
struct chatbot_settings {
	const char *provider_id;
	const char *model;
	const char *temperature;
	const char *prompt;
	const char *source_material;
	const char *history_mode;
	const char *history_max;
};
cf_status store_chatbot_configure(struct db *db, unsigned long long working_id,
                                  const struct chatbot_settings *s) CF_MUST_CHECK;

/* A working row in a team's listing. */
struct chatbot_list_row {
	char public_id[37];
	long version_number;
	char name[520];
	bool is_archived;
};
typedef cf_status (*chatbot_list_fn)(void *ctx, const struct chatbot_list_row *row);
/* Working rows of a team, oldest first (archived ones too). */
cf_status store_chatbot_list(struct db *db, unsigned long long team_id, chatbot_list_fn fn, void *ctx) CF_MUST_CHECK;

/* The working row of a chatbot family by its public id (or a version's),
 * archived or not: id, team_id, version_number; CF_E_NOT_FOUND when absent. */
cf_status store_chatbot_working(struct db *db, const char *public_id, unsigned long long *id,
                                unsigned long long *team_id, long *version_number) CF_MUST_CHECK;
/* Releases the working row as version N (its current number) with a new
 * public id; the working row moves to N+1. The first version, or one made
 * with make_default, becomes the default. Runs in one transaction. */
cf_status store_chatbot_version_create(struct db *db, unsigned long long working_id, const char *public_id,
                                       const char *description, bool make_default, long *number) CF_MUST_CHECK;
/* Makes version N the family's default; CF_E_NOT_FOUND when no such version. */
cf_status store_chatbot_set_default(struct db *db, unsigned long long working_id, long number) CF_MUST_CHECK;
/* Archives the whole family. */
cf_status store_chatbot_archive(struct db *db, unsigned long long working_id) CF_MUST_CHECK;

/* LLM providers of a team. api_key: sealed already (store_secrets.h).
 * config_json: {"api_version", "max_tokens"}. CF_E_CONFLICT when the name
 * is taken. */
cf_status store_provider_add(struct db *db, unsigned long long team_id, const char *type, const char *name,
                             const char *base_url, const char *api_key, const char *config_json,
                             unsigned long long *id) CF_MUST_CHECK;
/* A provider in a listing: never its key, only whether one is set. */
struct provider_row {
	unsigned long long id;
	char name[520];
	char type[32];
	char base_url[512];
	bool has_api_key;
};
typedef cf_status (*provider_fn)(void *ctx, const struct provider_row *row);
/* The team's providers by name. */
cf_status store_provider_list(struct db *db, unsigned long long team_id, provider_fn fn, void *ctx) CF_MUST_CHECK;
/* CF_E_NOT_FOUND when the team has no provider of that name. */
cf_status store_provider_find(struct db *db, unsigned long long team_id, const char *name,
                              unsigned long long *id) CF_MUST_CHECK;
cf_status store_provider_remove(struct db *db, unsigned long long team_id, const char *name) CF_MUST_CHECK;

#endif
