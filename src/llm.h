/* llm.h - the one interface to LLM providers. A call carries the provider's
 * settings, a system prompt and the conversation turns; the reply text and
 * token usage come back. With on_delta set the provider is asked to stream
 * and each piece of text is handed over as it arrives (the full text is
 * still collected). One module per provider type: llm_openai.c (OpenAI and
 * every OpenAI-compatible server, Azure OpenAI), llm_anthropic.c,
 * llm_local.c (offline, deterministic). HTTP is shared in llm_http.c. */
#ifndef CONFAB_LLM_H
#define CONFAB_LLM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "status.h"

enum llm_role { LLM_SYSTEM, LLM_USER, LLM_ASSISTANT };

struct llm_turn {
	enum llm_role role;
	const char *text;        /* borrowed */
};

/* A team's provider row plus the chatbot version's model settings. */
struct llm_provider {
	char type[32];           /* openai | azure | anthropic | local */
	char base_url[512];      /* "" = the type's public default */
	char *api_key;           /* secret; owned; never logged */
	char api_version[64];    /* azure only */
	char model[256];
	double temperature;
	long max_tokens;         /* 0 = the provider's default (anthropic: 1024) */
};

/* Called with each piece of streamed text (borrowed for the call). A
 * non-CF_OK return is noted and further pieces are not delivered, but the
 * reply is still collected in full (it is stored). */
typedef cf_status (*llm_delta_fn)(void *ctx, const char *text, size_t len);

struct llm_call {
	const struct llm_provider *provider;   /* borrowed */
	const char *system_prompt;              /* "" for none */
	const struct llm_turn *turns;           /* history, then the user's turn */
	size_t nturns;
	llm_delta_fn on_delta;                  /* NULL: not streamed */
	void *delta_ctx;
};

struct llm_result {
	struct buf text;         /* the reply; caller frees with llm_result_free */
	bool have_usage;
	long prompt_tokens;
	long completion_tokens;
	bool delivered;          /* some text arrived (no retry after that) */
	bool listener_gone;      /* on_delta failed once; not called again */
	char error[256];         /* why it failed: safe to log, not for clients */
	bool transient;          /* the failure may pass: no answer, a timeout, 429 or 5xx
	                          * (the failures llm_http.c retries itself) */
	long retry_after_s;      /* the provider's Retry-After on that failure, 0 = none */
};

/* Initialises libcurl and its TLS library once in the master, before the
 * first fork: the children then share those pages instead of each running
 * the initialisation (and holding its pages) again. */
void llm_preload(void);
void llm_unload(void);

/* Process-wide HTTP settings (timeouts, retries, size cap) from cfg;
 * called once per process before the first call. */
void llm_init(const struct config *cfg);
/* Releases the process's reusable connection. */
void llm_shutdown(void);

void llm_result_init(struct llm_result *r);
void llm_result_free(struct llm_result *r);

/* Runs one completion. CF_E_UPSTREAM: the provider failed or answered
 * garbage; CF_E_TIMEOUT: it did not answer in time; CF_E_CONFIG: unknown
 * provider type. r->error says more. */
cf_status llm_complete(const struct llm_call *call, struct llm_result *r) CF_MUST_CHECK;

/* True when type names a provider module. */
bool llm_type_known(const char *type);

/* The role's wire name: "system", "user", "assistant". */
const char *llm_role_name(enum llm_role role);

#endif
