/* bots.h - chatbot versions as the conversation engine needs them: the
 * version rules of ../shared/spec/API.md §4 (v0 = default; the working
 * row's number = unreleased; any other number = that released version)
 * and each version's model settings and provider. */
#ifndef CONFAB_BOTS_H
#define CONFAB_BOTS_H

#include <stdbool.h>

#include "db.h"
#include "llm.h"
#include "status.h"

#define BOT_VERSION_DEFAULT (-1L)

struct bot_version {
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

/* Resolves version (BOT_VERSION_DEFAULT or a number >= 0; 0 = default) of
 * the family whose working row is working_id. CF_E_NOT_FOUND when there is
 * no such version. Free with bot_version_free. */
cf_status bots_resolve_version(struct db *db, unsigned long long team_id, unsigned long long working_id,
                               long version, struct bot_version *out) CF_MUST_CHECK;
void bot_version_free(struct bot_version *v);

/* The version tag of AI messages: "v3" or "v4-unreleased". */
void bot_version_tag(const struct bot_version *v, char *out, size_t outlen);

#endif
