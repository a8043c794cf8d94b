/* routes.c - the route table: every endpoint of Confab, one record each,
 * with all that the router, the dispatcher, the rate limiter, the
 * idempotency layer and the OpenAPI document know of it (struct route in
 * router.h). Handlers live in one file per API tag (api_*.c).
 *
 * A record opens with the request line it answers ("POST", pattern); the
 * other fields are named. The table's order is the router's (the first
 * pattern to match a path decides its authentication and rate-limit window)
 * and the OpenAPI document's. */
#include "api.h"
#include "dispatch.h"

const struct route confab_routes[] = {
	/* Chat (widget) API: embed key, cookie or anonymous; CORS */
	{"POST", "/api/chat/start/", .handler = api_chat_start,
	 .auth = ROUTE_AUTH_CHAT, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_CHAT_START, .idempotent = true,
	 .tag = "Chat", .summary = "Start a widget chat session", .success = 201},
	{"GET", "/api/chat/{session_id:uuid}/poll/", .handler = api_chat_poll,
	 .auth = ROUTE_AUTH_CHAT, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_SESSION,
	 .tag = "Chat", .summary = "New messages of a session", .success = 200},
	{"POST", "/api/chat/{session_id:uuid}/message/", .handler = api_chat_message,
	 .auth = ROUTE_AUTH_CHAT, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_SESSION, .idempotent = true,
	 .tag = "Chat", .summary = "Send a message; the reply is a task", .success = 202},
	{"GET", "/api/chat/{session_id:uuid}/{task_id:seg}/poll/", .handler = api_chat_task_poll,
	 .auth = ROUTE_AUTH_CHAT, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_SESSION,
	 .tag = "Chat", .summary = "The state of a reply task", .success = 200},
	{"POST", "/api/chat/{session_id:uuid}/upload/", .handler = api_chat_upload,
	 .auth = ROUTE_AUTH_CHAT, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_UPLOAD,
	 .tag = "Chat", .summary = "Upload files for a later message (multipart)", .success = 201},

	/* Files */
	{"GET", "/api/files/{id:int}/content", .handler = api_file_content,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_FILES, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Files", .summary = "Download an attachment", .success = 200},

	/* Health and this API's own description */
	{"GET", "/healthz", .handler = api_health,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "Health", .summary = "Database reachability: 200 {\"status\":\"ok\"} or 503", .success = 200},
	{"GET", "/api/schema/", .handler = api_schema,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "Docs", .summary = "This OpenAPI document", .success = 200},
	{"GET", "/api/docs/", .handler = api_docs_page,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "Docs", .summary = "This document as HTML", .success = 200},

	/* cookie login and the OAuth2 authorization server */
	{"GET", "/accounts/login/", .handler = api_accounts_login_form,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "Accounts", .summary = "Login page", .success = 200},
	{"POST", "/accounts/login/", .handler = api_accounts_login,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_LOGIN,
	 .tag = "Accounts", .summary = "Log in (session cookie)", .success = 302},
	{"POST", "/accounts/logout/", .handler = api_accounts_logout,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "Accounts", .summary = "Log out", .success = 302},
	{"GET", "/o/authorize/", .handler = api_oauth_authorize_form,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "OAuth2", .summary = "Authorization page (login, team and consent)", .success = 200},
	{"POST", "/o/authorize/", .handler = api_oauth_authorize,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "OAuth2", .summary = "Grant or deny authorization", .success = 302},
	{"POST", "/o/token/", .handler = api_oauth_token,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "OAuth2", .summary = "Tokens for a code, a refresh token or client credentials", .success = 200},
	{"POST", "/o/revoke_token/", .handler = api_oauth_revoke,
	 .auth = ROUTE_AUTH_NONE, .perm = ROUTE_PERM_NONE, .rate_limit = ROUTE_RL_NONE,
	 .tag = "OAuth2", .summary = "Revoke a token", .success = 200},

	/* OpenAI-compatible chat completions: errors in OpenAI's shape too */
	{"POST", "/api/openai/{id:uuid}/chat/completions", .handler = api_openai_completions,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .errors = CF_ERRORS_OPENAI, .tag = "OpenAI",
	 .summary = "OpenAI-compatible chat completion with the chatbot's default version (stream: true for SSE)",
	 .success = 200},
	{"POST", "/api/openai/{id:uuid}/v{version:int}/chat/completions", .handler = api_openai_completions,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "OpenAI-compatible chat completion with a chatbot version (0 = default)",
	 .success = 200},

	/* OpenAI's Responses API and models list (same credentials as completions) */
	{"POST", "/api/openai/{id:uuid}/responses", .handler = api_openai_responses,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "OpenAI Responses API with the chatbot's default version (stream: true for events)",
	 .success = 200},
	{"POST", "/api/openai/{id:uuid}/v{version:int}/responses", .handler = api_openai_responses,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "OpenAI Responses API with a chatbot version (0 = default)", .success = 200},
	{"GET", "/api/openai/{id:uuid}/responses/{response_id:seg}", .handler = api_openai_response_get,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "A stored response of the chatbot by id", .success = 200},
	{"GET", "/api/openai/{id:uuid}/v{version:int}/responses/{response_id:seg}", .handler = api_openai_response_get,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "A stored response by id (model named by the version)", .success = 200},
	{"GET", "/api/openai/{id:uuid}/models", .handler = api_openai_models,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "The chatbot and its versions as OpenAI models", .success = 200},
	{"GET", "/api/openai/{id:uuid}/v{version:int}/models", .handler = api_openai_models,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "The version of the base URL as an OpenAI model", .success = 200},
	{"GET", "/api/openai/{id:uuid}/models/{model:seg}", .handler = api_openai_model,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "One of the chatbot's models by id", .success = 200},
	{"GET", "/api/openai/{id:uuid}/v{version:int}/models/{model:seg}", .handler = api_openai_model,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .errors = CF_ERRORS_OPENAI,
	 .tag = "OpenAI", .summary = "One of the chatbot's models by id (any version)", .success = 200},

	/* Channels */
	{"POST", "/api/trigger_bot", .handler = api_trigger_bot,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_TRIGGER, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .tag = "Channels", .summary = "Make the bot send a generated message to a participant (async)", .success = 200},
	{"POST", "/channels/api/{id:uuid}/incoming_message", .handler = api_incoming_message,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .tag = "Channels", .summary = "Chat through the API channel", .success = 200},
	{"POST", "/channels/api/{id:uuid}/v{version:int}/incoming_message", .handler = api_incoming_message,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_INTERACT, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .tag = "Channels", .summary = "Chat through the API channel with a chatbot version", .success = 200},

	/* Experiments: the team's working chatbots (read only) */
	{"GET", "/api/experiments/", .handler = api_experiments_list,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_CHATBOTS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiments", .summary = "List the team's chatbots (cursor pagination)", .success = 200},
	{"GET", "/api/experiments/{id:seg}/", .handler = api_experiments_retrieve,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_CHATBOTS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiments", .summary = "Retrieve a chatbot with its versions", .success = 200},

	/* Participants (upstream keeps the slash-less path and an older one with a slash) */
	{"GET", "/api/participants", .handler = api_participants_list,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_PARTICIPANTS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Participants", .summary = "List participants with their chatbot data (cursor pagination)", .success = 200},
	{"POST", "/api/participants", .handler = api_participants_update,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_PARTICIPANTS, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .tag = "Participants", .summary = "Set a participant's name, chatbot data and scheduled messages", .success = 200},
	{"GET", "/api/participants/", .handler = api_participants_list,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_PARTICIPANTS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Participants", .summary = "As GET /api/participants (upstream's older path)", .success = 200},
	{"POST", "/api/participants/", .handler = api_participants_update,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_PARTICIPANTS, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .tag = "Participants", .summary = "As POST /api/participants (upstream's older path)", .success = 200},

	/* Experiment Sessions */
	{"GET", "/api/sessions/", .handler = api_sessions_list,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiment Sessions", .summary = "List sessions (cursor pagination, filters)", .success = 200},
	{"POST", "/api/sessions/", .handler = api_sessions_create,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM, .idempotent = true,
	 .tag = "Experiment Sessions", .summary = "Create a session", .success = 201},
	{"GET", "/api/sessions/{id:seg}/", .handler = api_sessions_retrieve,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiment Sessions", .summary = "Retrieve a session with its messages", .success = 200},
	{"POST", "/api/sessions/{id:seg}/end_experiment_session/", .handler = api_sessions_end,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiment Sessions", .summary = "End a session", .success = 200},
	{"PATCH", "/api/sessions/{id:seg}/update_state/", .handler = api_sessions_update_state,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiment Sessions", .summary = "Replace a session's state", .success = 200},
	{"POST", "/api/sessions/{id:seg}/tags/", .handler = api_sessions_tags,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiment Sessions", .summary = "Add tags to a session", .success = 200},
	{"DELETE", "/api/sessions/{id:seg}/tags/", .handler = api_sessions_tags,
	 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_SESSIONS, .rate_limit = ROUTE_RL_TEAM,
	 .tag = "Experiment Sessions", .summary = "Remove tags from a session", .success = 200},
};

const size_t confab_route_count = sizeof confab_routes / sizeof confab_routes[0];
