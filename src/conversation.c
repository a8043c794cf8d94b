/* conversation.c - one turn of a conversation (see conversation.h). */
#include "conversation.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "limits.h"
#include "log.h"
#include "prompt.h"
#include "store_conversation.h"
#include "store_sessions.h"
#include "webhooks.h"
#include "xalloc.h"

static enum llm_role role_of(const char *message_type)
{
	if (strcmp(message_type, "ai") == 0)
		return LLM_ASSISTANT;
	if (strcmp(message_type, "system") == 0)
		return LLM_SYSTEM;
	return LLM_USER;
}

/* {participant_data}: the participant's name merged with their data. */
static char *participant_data_text(struct db *db, const struct conversation_turn *t)
{
	struct db_rows rows;
	char *text = NULL;
	if (t->participant_id != 0 &&
	    store_participant_vars(db, t->team_id, t->participant_id, t->experiment_id, &rows) == CF_OK) {
		struct json_object *data = json_tokener_parse(db_cell_str(&rows, 0, 1));
		if (data == NULL || !json_object_is_type(data, json_type_object)) {
			json_object_put(data);
			data = json_object_new_object();
		}
		const char *name = db_cell_str(&rows, 0, 0);
		if (name[0] != '\0' && !json_object_object_get_ex(data, "name", NULL))
			json_object_object_add(data, "name", json_object_new_string(name));
		text = xstrdup(json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN));
		json_object_put(data);
	}
	db_rows_free(&rows);
	return text ? text : xstrdup("{}");
}

static cf_status render_system_prompt(struct db *db, const struct conversation_turn *t, struct buf *out)
{
	const char *tmpl = t->bot->prompt_text;
	char *pdata = prompt_uses(tmpl, "participant_data") ? participant_data_text(db, t) : NULL;
	char *state = NULL;
	struct db_rows rows;
	memset(&rows, 0, sizeof rows);
	if (prompt_uses(tmpl, "session_state") && store_session_state(db, t->session_id, &rows) == CF_OK)
		state = xstrdup(db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	struct prompt_vars vars = {pdata, state, t->bot->source_material, time(NULL)};
	cf_status st = prompt_render(tmpl, &vars, out);
	free(pdata);
	free(state);
	return st;
}

/* History (oldest first) followed by the user's turn. *turns is owned by
 * the caller; the texts are borrowed from *rows and the turn. */
static cf_status build_turns(struct db *db, const struct conversation_turn *t, unsigned long long user_message_id,
                             struct db_rows *rows, struct llm_turn **turns, size_t *nturns)
{
	size_t n = 0;
	memset(rows, 0, sizeof *rows);
	if (t->bot->history_global && t->bot->history_max > 0) {
		cf_status st = store_history(db, t->chat_id, user_message_id, t->bot->history_max, rows);
		if (st != CF_OK)
			return st;
		n = rows->nrows;
	}
	struct llm_turn *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++) {   /* rows are newest first */
		size_t r = n - 1 - i;
		out[i].role = role_of(db_cell_str(rows, r, 0));
		out[i].text = db_cell_str(rows, r, 1);
	}
	out[n].role = LLM_USER;
	out[n].text = t->user_text;
	*turns = out;
	*nturns = n + 1;
	return CF_OK;
}

static cf_status store_reply(struct db *db, const struct conversation_turn *t, const struct llm_result *r,
                             struct conversation_reply *out)
{
	char tag[32];
	chatbot_version_tag(t->bot, tag, sizeof tag);
	cf_status st = db_begin(db);
	if (st != CF_OK)
		return st;
	st = store_ai_message_add(db, t->team_id, t->chat_id, buf_str(&r->text), r->have_usage, r->prompt_tokens,
	                          r->completion_tokens, &out->message_id);
	if (st == CF_OK)
		st = webhooks_message_created(db, t->team_id, out->message_id);
	if (st == CF_OK)
		st = store_message_version_tag(db, t->team_id, out->message_id, tag);
	if (st == CF_OK)
		st = store_session_touch(db, t->session_id, t->bot->is_working ? 0 : t->bot->number);
	if (st == CF_OK && t->on_stored != NULL)
		st = t->on_stored(t->on_stored_ctx, db, out->message_id);
	if (st == CF_OK)
		st = db_commit(db);
	else
		db_rollback(db);
	return st;
}

struct user_message_tx {
	const struct conversation_turn *t;
	unsigned long long *message_id;
};

static cf_status store_user_message_in_tx(struct db *db, void *ctx)
{
	const struct user_message_tx *x = ctx;
	cf_status st = store_message_add(db, x->t->team_id, x->t->chat_id, "human", x->t->user_text, x->message_id);
	if (st == CF_OK)
		st = webhooks_message_created(db, x->t->team_id, *x->message_id);
	return st;
}

cf_status conversation_respond(struct db *db, const struct conversation_turn *t, struct conversation_reply *out)
{
	struct buf system;
	struct db_rows history;
	struct llm_turn *turns = NULL;
	size_t nturns = 0;
	struct llm_result result;
	unsigned long long user_message_id = t->user_message_id;
	memset(out, 0, sizeof *out);
	memset(&history, 0, sizeof history);
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
	st = render_system_prompt(db, t, &system);
	if (st == CF_OK)
		st = build_turns(db, t, user_message_id, &history, &turns, &nturns);
	if (st != CF_OK)
		goto out;
	struct llm_call call = {&t->bot->provider, buf_str(&system), turns, nturns, t->on_delta, t->delta_ctx};
	st = llm_complete(&call, &result);
	if (st != CF_OK) {
		log_warn("conversation: session %llu: provider %s failed: %s", t->session_id, t->bot->provider.type,
		         result.error);
		goto out;
	}
	st = store_reply(db, t, &result, out);
	if (st == CF_OK) {
		out->text = buf_take(&result.text);
		out->have_usage = result.have_usage;
		out->prompt_tokens = result.prompt_tokens;
		out->completion_tokens = result.completion_tokens;
	}
out:
	free(turns);
	db_rows_free(&history);
	buf_free(&system);
	llm_result_free(&result);
	return st;
}

void conversation_reply_free(struct conversation_reply *r)
{
	free(r->text);
	memset(r, 0, sizeof *r);
}

#define EVENT_HISTORY_MESSAGES 10

static const char EVENT_PROMPT[] =
	"You are writing a chat message to a user on behalf of a chatbot. Write a message that fulfils the "
	"instruction given to you, in the language of the recent conversation (English when there is none). "
	"Reply with the message text only.";

/* The event bot's system prompt: the fixed text, the recent conversation as
 * "role: content" lines, the participant data and the time. */
static cf_status event_system_prompt(struct db *db, const struct conversation_turn *t, struct buf *out)
{
	struct db_rows rows;
	cf_status st = store_history(db, t->chat_id, 0, EVENT_HISTORY_MESSAGES, &rows);
	if (st == CF_OK)
		st = buf_append_str(out, EVENT_PROMPT);
	if (st == CF_OK && rows.nrows > 0)
		st = buf_append_str(out, "\n\nRecent conversation:\n");
	for (size_t i = rows.nrows; st == CF_OK && i > 0; i--) {
		const char *type = db_cell_str(&rows, i - 1, 0);
		st = buf_printf(out, "%s: ", strcmp(type, "human") == 0 ? "user" : strcmp(type, "ai") == 0 ? "assistant" : type);
		if (st == CF_OK)
			st = buf_append_str(out, db_cell_str(&rows, i - 1, 1));
		if (st == CF_OK)
			st = buf_append_str(out, "\n");
	}
	db_rows_free(&rows);
	char *pdata = st == CF_OK ? participant_data_text(db, t) : NULL;
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
	struct llm_call call = {&provider, buf_str(&system), &turn, 1, NULL, NULL};
	st = llm_complete(&call, &result);
	if (st != CF_OK) {
		log_warn("event message: session %llu: provider %s failed: %s", t->session_id, provider.type, result.error);
		goto out;
	}
	st = store_reply(db, t, &result, out);
	if (st == CF_OK)
		out->text = buf_take(&result.text);
out:
	buf_free(&system);
	llm_result_free(&result);
	return st;
}
