/* api.h - the handlers, one file per API tag (api_<tag>.c). Each takes the
 * request context, fills ctx->resp through the reply helpers, and returns a
 * cf_status (a non-OK status without a response becomes the standard body). */
#ifndef CONFAB_API_H
#define CONFAB_API_H

#include "app.h"
#include "cursor.h"

/* Parses the request's JSON body into *body (caller owns it); on failure
 * the 400/415 reply is set and false is returned (api_common.c). */
bool api_json_body(struct handler_ctx *ctx, struct json_object **body);
/* The page_size parameter of a paginated list: default 100, at most 1500,
 * anything not a positive number is the default (docs/API.md §7.3). */
size_t api_page_size(const char *v);
/* The request's URL (base, then the path as the client sent it) with its
 * cursor parameter replaced by cursor, other parameters kept in order;
 * caller frees. */
char *api_page_url(const struct handler_ctx *ctx, const char *base, const char *cursor);
/* The cursor secret into secret, and the request's cursor parameter decoded
 * into *cur: *given = cur, or NULL when there is none. A cursor that does
 * not verify: the 404 "Invalid cursor" reply is set and CF_E_NOT_FOUND
 * returned; other failures set no reply. */
cf_status api_page_cursor(struct handler_ctx *ctx, char secret[65], struct cursor *cur,
                          const struct cursor **given) CF_MUST_CHECK;

/* api_health.c */
cf_status api_health(struct handler_ctx *ctx);

/* api_metrics.c: GET /metrics; api_metrics_load reads metrics_token_file
 * (once per worker, at its start). */
cf_status api_metrics(struct handler_ctx *ctx);
void api_metrics_load(const struct config *cfg);

/* api_sessions.c */
cf_status api_sessions_list(struct handler_ctx *ctx);
cf_status api_sessions_create(struct handler_ctx *ctx);
cf_status api_sessions_retrieve(struct handler_ctx *ctx);
cf_status api_sessions_end(struct handler_ctx *ctx);
cf_status api_sessions_update_state(struct handler_ctx *ctx);
cf_status api_sessions_tags(struct handler_ctx *ctx);

/* api_accounts.c */
cf_status api_accounts_login_form(struct handler_ctx *ctx);
cf_status api_accounts_login(struct handler_ctx *ctx);
cf_status api_accounts_logout(struct handler_ctx *ctx);

/* api_oauth.c */
cf_status api_oauth_authorize_form(struct handler_ctx *ctx);
cf_status api_oauth_authorize(struct handler_ctx *ctx);
cf_status api_oauth_token(struct handler_ctx *ctx);
cf_status api_oauth_revoke(struct handler_ctx *ctx);

/* api_chat.c */
cf_status api_chat_start(struct handler_ctx *ctx);
cf_status api_chat_poll(struct handler_ctx *ctx);
cf_status api_chat_message(struct handler_ctx *ctx);
cf_status api_chat_task_poll(struct handler_ctx *ctx);
cf_status api_chat_upload(struct handler_ctx *ctx);

/* Experiments (api_experiments.c) */
cf_status api_experiments_list(struct handler_ctx *ctx);
cf_status api_experiments_retrieve(struct handler_ctx *ctx);

/* Docs (api_docs.c) */
cf_status api_schema(struct handler_ctx *ctx);
cf_status api_docs_page(struct handler_ctx *ctx);

/* Files (api_files.c) */
cf_status api_file_content(struct handler_ctx *ctx);

/* Channels (api_channels.c) */
cf_status api_trigger_bot(struct handler_ctx *ctx);

/* api_participants.c */
cf_status api_participants_list(struct handler_ctx *ctx);
cf_status api_participants_update(struct handler_ctx *ctx);
cf_status api_incoming_message(struct handler_ctx *ctx);

/* OpenAI-compatible chat completions (api_openai.c) */
cf_status api_openai_completions(struct handler_ctx *ctx);

/* OpenAI's models list: the chatbot and its versions (api_models.c) */
cf_status api_openai_models(struct handler_ctx *ctx);
cf_status api_openai_model(struct handler_ctx *ctx);

/* OpenAI's Responses API (api_responses.c) */
cf_status api_openai_responses(struct handler_ctx *ctx);
cf_status api_openai_response_get(struct handler_ctx *ctx);

#endif
