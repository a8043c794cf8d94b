/* conversation.h - the one conversation engine (docs/API.md
 * §12.2): stores the user's message, builds the prompt and history, asks
 * the chatbot version's provider, stores the reply with its usage and
 * version tag. The completions endpoint, incoming_message and the chat
 * widget's task runner all answer through it. */
#ifndef CONFAB_CONVERSATION_H
#define CONFAB_CONVERSATION_H

#include <stdbool.h>

#include "chatbots.h"
#include "db.h"
#include "llm.h"

/* The session being answered (internal ids) and the turn. */
struct conversation_turn {
	unsigned long long team_id;
	unsigned long long session_id;
	unsigned long long chat_id;
	unsigned long long participant_id;   /* 0 = none */
	unsigned long long experiment_id;    /* the working row */
	const struct chatbot_version *bot;       /* borrowed */
	const char *user_text;               /* borrowed */
	bool store_user_message;             /* false: it is stored already, */
	unsigned long long user_message_id;  /* with this id */
	llm_delta_fn on_delta;               /* NULL: not streamed */
	void *delta_ctx;
	/* Called inside the transaction that stores the reply (may be NULL):
	 * a job settles itself here, so that a reply is stored exactly when
	 * its job is done. A non-CF_OK return rolls the reply back. */
	cf_status (*on_stored)(void *ctx, struct db *db, unsigned long long ai_message_id);
	void *on_stored_ctx;
	/* Seconds storing the reply keeps trying while the database is away
	 * (its Galera node restarting), so the provider is not asked again;
	 * 0 = not at all. Only with an on_stored that refuses a second store
	 * (a job's settle, conditional on the job still being the runner's):
	 * a COMMIT whose answer was lost may have landed. */
	int store_patience_s;
	const struct llm_response_format *format;   /* borrowed; NULL = text */
	/* With on_delta: asked (with delta_ctx) while the provider streams;
	 * true = the listener left, the call stops and the partial reply is
	 * stored as cut. NULL: only a failed on_delta tells. */
	llm_gone_fn listener_gone;
};

struct conversation_reply {
	char *text;                          /* owned; NULL on failure */
	bool provider_transient;             /* on a provider failure: llm_result's transient */
	long provider_retry_after_s;         /* ... and its retry_after_s */
	unsigned long long message_id;       /* the stored AI message */
	bool have_usage;
	long prompt_tokens;
	long completion_tokens;
	/* The provider's finish reason in OpenAI's words; "stop" when it gave
	 * none. */
	char finish_reason[LLM_FINISH_REASON_MAX];
	/* The listener left mid-stream (on_delta failed or listener_gone said
	 * so): the provider call was stopped and text is the part that came,
	 * stored with metadata {"finish_reason": "cancelled"} (docs/API.md
	 * §6.3); the token counts are the provider's or, with usage_estimated,
	 * an estimate. */
	bool cut;
	bool usage_estimated;
};

/* Answers the turn. The user's message is stored (and committed) before the
 * provider is asked, so it survives a provider failure. CF_E_UPSTREAM /
 * CF_E_TIMEOUT: the provider failed; CF_E_CONFIG: the version has no
 * usable provider (or none that honours turn->format). CF_OK with
 * out->cut: a streamed turn whose listener left; its partial reply is
 * stored (a handler has nobody left to answer). Free *out with
 * conversation_reply_free. */
cf_status conversation_respond(struct db *db, const struct conversation_turn *turn,
                               struct conversation_reply *out) CF_MUST_CHECK;
void conversation_reply_free(struct conversation_reply *r);

/* A bot-initiated message (§12.4, trigger_bot): a fixed prompt asks the
 * version's model (temperature 0.7) to write a message that fulfils
 * instruction, given the recent conversation, the participant data and the
 * time. The message is stored as an AI message with the version tag; the
 * instruction is not stored. turn->user_text is ignored. */
cf_status conversation_event_message(struct db *db, const struct conversation_turn *turn, const char *instruction,
                                     struct conversation_reply *out) CF_MUST_CHECK;

/* A message written by the caller, not a model (trigger_bot's
 * message_text, docs/API.md §9.1): text (borrowed) is stored verbatim as an
 * AI message with the version tag and metadata {"direct_to_user": true}, in
 * the same transaction as turn->on_stored, exactly as a generated reply;
 * no provider is asked. turn->user_text is ignored. */
cf_status conversation_direct_message(struct db *db, const struct conversation_turn *turn, const char *text,
                                      struct conversation_reply *out) CF_MUST_CHECK;

#endif
