/* conversation.c - one turn of a conversation (see conversation.h). */
#include "conversation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "limits.h"
#include "log.h"
#include "message_role.h"
#include "prompt.h"
#include "store_conversation.h"
#include "store_messages.h"
#include "store_sessions.h"
#include "store_tags.h"
#include "webhooks.h"
#include "xalloc.h"

/* {participant_data}: the participant's name merged with their data;
 * "{}" without a participant. Caller frees. */
static char *participant_data_text(const struct conversation_context *c)
{
	if (!c->has_participant)
		return xstrdup("{}");
	struct json_object *data = json_tokener_parse(c->participant_data);
	if (data == NULL || !json_object_is_type(data, json_type_object)) {
		json_object_put(data);
		data = json_object_new_object();
	}
	if (c->participant_name[0] != '\0' && !json_object_object_get_ex(data, "name", NULL))
		json_object_object_add(data, "name", json_object_new_string(c->participant_name));
	char *text = xstrdup(json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN));
	json_object_put(data);
	return text;
}

/* The one read of a turn (besides resolving the chatbot): the history the
 * version keeps, and only the prompt variables its prompt uses. */
static cf_status load_context(struct db *db, const struct conversation_turn *t, unsigned long long user_message_id,
                              struct conversation_context *out)
{
	const char *tmpl = t->bot->prompt_text;
	struct conversation_context_query q = {
		.team_id = t->team_id,
		.chat_id = t->chat_id,
		.exclude_message_id = user_message_id,
		.history_limit = t->bot->history_global ? t->bot->history_max : 0,
		.want_participant = prompt_uses(tmpl, "participant_data"),
		.participant_id = t->participant_id,
		.chatbot_id = t->experiment_id,
		.want_state = prompt_uses(tmpl, "session_state"),
		.session_id = t->session_id,
	};
	return store_conversation_context(db, &q, out);
}

static cf_status render_system_prompt(const struct conversation_turn *t, const struct conversation_context *c,
                                      struct buf *out)
{
	const char *tmpl = t->bot->prompt_text;
	char *pdata = prompt_uses(tmpl, "participant_data") ? participant_data_text(c) : NULL;
	struct prompt_vars vars = {pdata, c->has_state ? c->session_state : NULL, t->bot->source_material, time(NULL)};
	cf_status st = prompt_render(tmpl, &vars, out);
	free(pdata);
	return st;
}

/* History (oldest first) followed by the user's turn. *turns is owned by
 * the caller; the texts are borrowed from *c and the turn. */
static void build_turns(const struct conversation_turn *t, const struct conversation_context *c,
                        struct llm_turn **turns, size_t *nturns)
{
	size_t n = c->nhistory;
	struct llm_turn *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		out[i].role = message_role(c->history[i].message_type);
		out[i].text = c->history[i].content;
	}
	out[n].role = LLM_USER;
	out[n].text = t->user_text;
	*turns = out;
	*nturns = n + 1;
}

struct reply_tx {
	const struct conversation_turn *t;
	const struct llm_result *r;
	const char *metadata_json;
	struct conversation_reply *out;
};

static cf_status store_reply_in_tx(struct db *db, void *ctx)
{
	const struct reply_tx *x = ctx;
	const struct conversation_turn *t = x->t;
	char tag[32];
	chatbot_version_tag(t->bot, tag, sizeof tag);
	struct message_new m = {
		.team_id = t->team_id, .chat_id = t->chat_id, .message_type = "ai", .content = buf_str(&x->r->text),
		.metadata_json = x->metadata_json, .have_usage = x->r->have_usage, .prompt_tokens = x->r->prompt_tokens,
		.completion_tokens = x->r->completion_tokens,
		.model_name = x->r->have_usage ? t->bot->provider.model : NULL,   /* whose tokens they are (§7.4 usage) */
	};
	cf_status st = store_message_add(db, &m, &x->out->message_id);
	if (st == CF_OK)
		st = webhooks_message_created(db, t->team_id, x->out->message_id);
	if (st == CF_OK)
		st = store_message_version_tag(db, t->team_id, x->out->message_id, tag);
	if (st == CF_OK)
		st = store_session_touch(db, t->session_id, t->bot->is_working ? 0 : t->bot->number);
	if (st == CF_OK && t->on_stored != NULL)
		st = t->on_stored(t->on_stored_ctx, db, x->out->message_id);
	return st;
}

/* metadata_json: the AI message's metadata (NULL = {}); borrowed. In
 * db_transaction: a reply that lost a deadlock, or on Galera its
 * certification (1213 at COMMIT), is stored again, not lost; the generated
 * text is in *r, so the provider is not asked twice. */
static cf_status store_reply(struct db *db, const struct conversation_turn *t, const struct llm_result *r,
                             const char *metadata_json, struct conversation_reply *out)
{
	struct reply_tx x = {t, r, metadata_json, out};
	cf_status st = db_transaction(db, store_reply_in_tx, &x);
	for (int waited = 0; st == CF_E_DB_UNAVAILABLE && waited < t->store_patience_s; waited++) {
		sleep(1);
		st = db_transaction(db, store_reply_in_tx, &x);
	}
	return st;
}

/* ---- a stream whose listener left (docs/API.md §6.3) ---- */

/* About 4 bytes of text per token, OpenAI's rule of thumb for English: the
 * estimate stored for a cut stream whose provider had not reported its
 * counts yet (OpenAI-compatible servers report them at the end). */
#define TOKEN_ESTIMATE_BYTES 4

static long estimate_tokens(size_t bytes)
{
	return (long)((bytes + TOKEN_ESTIMATE_BYTES - 1) / TOKEN_ESTIMATE_BYTES);
}

/* The counts of a cut call: the provider's where it reported them (all,
 * or Anthropic's input tokens, which come first), the rest estimated from
 * the prompt's and the partial reply's bytes. True when any is estimated. */
static bool cut_usage(const struct llm_call *call, struct llm_result *r)
{
	if (r->have_usage)
		return false;
	if (r->prompt_tokens <= 0) {
		size_t bytes = strlen(call->system_prompt);
		for (size_t i = 0; i < call->nturns; i++)
			bytes += strlen(call->turns[i].text);
		r->prompt_tokens = estimate_tokens(bytes);
	}
	r->completion_tokens = estimate_tokens(r->text.len);
	r->have_usage = true;
	return true;
}

/* The metadata that marks a stored reply as cut. */
static const char *cut_metadata(bool estimated)
{
	return estimated ? "{\"finish_reason\":\"cancelled\",\"usage_estimated\":true}"
	                 : "{\"finish_reason\":\"cancelled\"}";
}

struct user_message_tx {
	const struct conversation_turn *t;
	unsigned long long *message_id;
};

static cf_status store_user_message_in_tx(struct db *db, void *ctx)
{
	const struct user_message_tx *x = ctx;
	struct message_new m = {
		.team_id = x->t->team_id, .chat_id = x->t->chat_id, .message_type = "human", .content = x->t->user_text,
	};
	cf_status st = store_message_add(db, &m, x->message_id);
	if (st == CF_OK)
		st = webhooks_message_created(db, x->t->team_id, *x->message_id);
	return st;
}

cf_status conversation_respond(struct db *db, const struct conversation_turn *t, struct conversation_reply *out)
{
	struct buf system;
	struct conversation_context context;
	struct llm_turn *turns = NULL;
	size_t nturns = 0;
	struct llm_result result;
	unsigned long long user_message_id = t->user_message_id;
	memset(out, 0, sizeof *out);
	memset(&context, 0, sizeof context);
	buf_init(&system, CF_MAX_PROMPT_BYTES);
	llm_result_init(&result);
	cf_status st = CF_OK;
	if (t->store_user_message) {
		struct user_message_tx x = {t, &user_message_id};
		st = db_transaction(db, store_user_message_in_tx, &x);
	}
	if (st != CF_OK)
		goto out;
	if (!t->bot->has_provider) {
		log_warn("conversation: chatbot version %llu has no LLM provider", t->bot->id);
		st = CF_E_CONFIG;
		goto out;
	}
	st = load_context(db, t, user_message_id, &context);
	if (st == CF_OK)
		st = render_system_prompt(t, &context, &system);
	if (st != CF_OK)
		goto out;
	build_turns(t, &context, &turns, &nturns);
	struct llm_call call = {
		.provider = &t->bot->provider,
		.system_prompt = buf_str(&system),
		.turns = turns,
		.nturns = nturns,
		.on_delta = t->on_delta,
		.delta_ctx = t->delta_ctx,
		.format = t->format,
		.listener_gone = t->on_delta ? t->listener_gone : NULL,
	};
	st = llm_complete(&call, &result);
	bool cut = st == CF_E_IO && result.listener_gone, estimated = false;
	if (cut) {
		estimated = cut_usage(&call, &result);
		log_info("conversation: session %llu: the listener left; stored the %zu bytes that came", t->session_id,
		         result.text.len);
		st = CF_OK;
	}
	if (st != CF_OK) {
		log_warn("conversation: session %llu: provider %s failed: %s", t->session_id, t->bot->provider.type,
		         result.error);
		out->provider_transient = result.transient;
		out->provider_retry_after_s = result.retry_after_s;
		goto out;
	}
	st = store_reply(db, t, &result, cut ? cut_metadata(estimated) : NULL, out);
	if (st == CF_OK) {
		out->text = buf_take(&result.text);
		out->have_usage = result.have_usage;
		out->prompt_tokens = result.prompt_tokens;
		out->completion_tokens = result.completion_tokens;
		snprintf(out->finish_reason, sizeof out->finish_reason, "%s",
		         result.finish_reason[0] ? result.finish_reason : "stop");
		out->cut = cut;
		out->usage_estimated = estimated;
	}
out:
	free(turns);
	conversation_context_free(&context);
	buf_free(&system);
	llm_result_free(&result);
	return st;
}

void conversation_reply_free(struct conversation_reply *r)
{
	free(r->text);
	memset(r, 0, sizeof *r);
}


static const char EVENT_PROMPT[] =
	"You are writing a chat message to a user on behalf of a chatbot. Write a message that fulfils the "
	"instruction given to you, in the language of the recent conversation (English when there is none). "
	"Reply with the message text only.";

/* The event bot's system prompt: the fixed text, the recent conversation as
 * "role: content" lines, the participant data and the time. */
static cf_status event_system_prompt(struct db *db, const struct conversation_turn *t, struct buf *out)
{
	struct conversation_context c;
	struct conversation_context_query q = {
		.team_id = t->team_id,
		.chat_id = t->chat_id,
		.history_limit = CF_EVENT_HISTORY_MESSAGES,
		.want_participant = true,
		.participant_id = t->participant_id,
		.chatbot_id = t->experiment_id,
	};
	cf_status st = store_conversation_context(db, &q, &c);
	if (st == CF_OK)
		st = buf_append_str(out, EVENT_PROMPT);
	if (st == CF_OK && c.nhistory > 0)
		st = buf_append_str(out, "\n\nRecent conversation:\n");
	for (size_t i = 0; st == CF_OK && i < c.nhistory; i++) {
		st = buf_printf(out, "%s: ", message_role_name(c.history[i].message_type));
		if (st == CF_OK)
			st = buf_append_str(out, c.history[i].content);
		if (st == CF_OK)
			st = buf_append_str(out, "\n");
	}
	char *pdata = st == CF_OK ? participant_data_text(&c) : NULL;
	conversation_context_free(&c);
	if (st == CF_OK)
		st = buf_printf(out, "\nParticipant data: %s\n", pdata);
	free(pdata);
	struct prompt_vars vars = {NULL, NULL, NULL, time(NULL)};
	if (st == CF_OK)
		st = prompt_render("Current date and time: {current_datetime}", &vars, out);
	return st;
}

cf_status conversation_event_message(struct db *db, const struct conversation_turn *t, const char *instruction,
                                     struct conversation_reply *out)
{
	struct buf system;
	struct llm_result result;
	memset(out, 0, sizeof *out);
	buf_init(&system, CF_MAX_PROMPT_BYTES);
	llm_result_init(&result);
	cf_status st = CF_E_CONFIG;
	if (!t->bot->has_provider) {
		log_warn("event message: chatbot version %llu has no LLM provider", t->bot->id);
		goto out;
	}
	st = event_system_prompt(db, t, &system);
	if (st != CF_OK)
		goto out;
	struct llm_provider provider = t->bot->provider;
	provider.temperature = 0.7;
	struct llm_turn turn = {LLM_USER, instruction};
	struct llm_call call = {.provider = &provider, .system_prompt = buf_str(&system), .turns = &turn, .nturns = 1};
	st = llm_complete(&call, &result);
	if (st != CF_OK) {
		log_warn("event message: session %llu: provider %s failed: %s", t->session_id, provider.type, result.error);
		goto out;
	}
	st = store_reply(db, t, &result, NULL, out);
	if (st == CF_OK)
		out->text = buf_take(&result.text);
out:
	buf_free(&system);
	llm_result_free(&result);
	return st;
}

cf_status conversation_direct_message(struct db *db, const struct conversation_turn *t, const char *text,
                                      struct conversation_reply *out)
{
	struct llm_result result;
	memset(out, 0, sizeof *out);
	llm_result_init(&result);
	cf_status st = buf_append_str(&result.text, text);
	if (st == CF_OK)
		st = store_reply(db, t, &result, "{\"direct_to_user\":true}", out);
	if (st == CF_OK)
		out->text = buf_take(&result.text);
	llm_result_free(&result);
	return st;
}
