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
 * non-CF_OK return means the listener left: the call stops reading from
 * the provider (r->listener_gone, CF_E_IO), keeping the text so far. */
typedef cf_status (*llm_delta_fn)(void *ctx, const char *text, size_t len);
/* Asked while a streamed call's transfer runs (with its progress, at least
 * about once a second even when the provider is silent): true means the
 * listener left and the call stops as when on_delta fails. Gets the call's
 * delta_ctx; must be cheap (no blocking). */
typedef bool (*llm_gone_fn)(void *ctx);

/* What shape the reply must have (OpenAI's response_format). */
enum llm_format { LLM_FORMAT_TEXT, LLM_FORMAT_JSON_OBJECT, LLM_FORMAT_JSON_SCHEMA };

struct llm_response_format {
	enum llm_format type;
	/* LLM_FORMAT_JSON_SCHEMA only: the validated "json_schema" object
	 * ({"name", "schema", "strict", ...}) as JSON text; borrowed. */
	const char *json_schema;
};

/* The longest finish reason kept (OpenAI's are at most 14 characters). */
#define LLM_FINISH_REASON_MAX 32

struct llm_call {
	const struct llm_provider *provider;   /* borrowed */
	const char *system_prompt;              /* "" for none */
	const struct llm_turn *turns;           /* history, then the user's turn */
	size_t nturns;
	llm_delta_fn on_delta;                  /* NULL: not streamed */
	void *delta_ctx;
	const struct llm_response_format *format;   /* borrowed; NULL = text */
	llm_gone_fn listener_gone;              /* NULL: only a failed on_delta tells */
};

struct llm_result {
	struct buf text;         /* the reply; caller frees with llm_result_free */
	bool have_usage;
	long prompt_tokens;
	long completion_tokens;
	bool delivered;          /* some text arrived (no retry after that) */
	/* Why the provider stopped, in OpenAI's words ("stop", "length",
	 * "content_filter", "tool_calls", ...); "" when it did not say. */
	char finish_reason[LLM_FINISH_REASON_MAX];
	bool listener_gone;      /* the listener left: the call stopped early with
	                          * CF_E_IO, text holds what arrived before */
	const struct llm_call *call;   /* set by llm_complete (borrowed): whom to ask */
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
 * provider type; CF_E_IO: a streamed call's listener left (see
 * llm_gone_fn), r->listener_gone is set and r->text holds the part that
 * arrived. r->error says more. */
cf_status llm_complete(const struct llm_call *call, struct llm_result *r) CF_MUST_CHECK;

/* True when type names a provider module. */
bool llm_type_known(const char *type);

/* True when the provider type can honour format (every type honours
 * text; anthropic has no JSON mode, so it honours only text). */
bool llm_format_supported(const char *type, enum llm_format format);

/* Stores reason (len bytes, not NUL-terminated) as r->finish_reason when it
 * is a plausible reason word (lower-case letters and '_', shorter than
 * LLM_FINISH_REASON_MAX); anything else is left unrecorded. */
void llm_set_finish_reason(struct llm_result *r, const char *reason, size_t len);

/* The role's wire name: "system", "user", "assistant". */
const char *llm_role_name(enum llm_role role);

#endif
