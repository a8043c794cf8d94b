/* routes.c - the route table: every endpoint of Confab in one place.
 * Handlers live in one file per API tag (api_*.c). */
#include "api.h"
#include "dispatch.h"

const struct route confab_routes[] = {
	/* Chat (widget) API: embed key, cookie or anonymous; CORS */
	{"POST", "/api/chat/start/", api_chat_start, ROUTE_AUTH_CHAT, ROUTE_PERM_NONE},
	{"GET", "/api/chat/{session_id:uuid}/poll/", api_chat_poll, ROUTE_AUTH_CHAT, ROUTE_PERM_NONE},
	{"POST", "/api/chat/{session_id:uuid}/message/", api_chat_message, ROUTE_AUTH_CHAT, ROUTE_PERM_NONE},
	{"GET", "/api/chat/{session_id:uuid}/{task_id:seg}/poll/", api_chat_task_poll, ROUTE_AUTH_CHAT, ROUTE_PERM_NONE},
	{"POST", "/api/chat/{session_id:uuid}/upload/", api_chat_upload, ROUTE_AUTH_CHAT, ROUTE_PERM_NONE},

	/* Files */
	{"GET", "/api/files/{id:int}/content", api_file_content, ROUTE_AUTH_API, ROUTE_PERM_FILES},

	{"GET", "/healthz", api_health, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"GET", "/api/schema/", api_schema, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"GET", "/api/docs/", api_docs_page, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},

	/* cookie login and the OAuth2 authorization server */
	{"GET", "/accounts/login/", api_accounts_login_form, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"POST", "/accounts/login/", api_accounts_login, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"POST", "/accounts/logout/", api_accounts_logout, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"GET", "/o/authorize/", api_oauth_authorize_form, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"POST", "/o/authorize/", api_oauth_authorize, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"POST", "/o/token/", api_oauth_token, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},
	{"POST", "/o/revoke_token/", api_oauth_revoke, ROUTE_AUTH_NONE, ROUTE_PERM_NONE},

	/* OpenAI-compatible chat completions */
	{"POST", "/api/openai/{id:uuid}/chat/completions", api_openai_completions, ROUTE_AUTH_API, ROUTE_PERM_INTERACT},
	{"POST", "/api/openai/{id:uuid}/v{version:int}/chat/completions", api_openai_completions, ROUTE_AUTH_API,
	 ROUTE_PERM_INTERACT},

	/* Channels */
	{"POST", "/api/trigger_bot", api_trigger_bot, ROUTE_AUTH_API, ROUTE_PERM_INTERACT},
	{"POST", "/channels/api/{id:uuid}/incoming_message", api_incoming_message, ROUTE_AUTH_API, ROUTE_PERM_INTERACT},
	{"POST", "/channels/api/{id:uuid}/v{version:int}/incoming_message", api_incoming_message, ROUTE_AUTH_API,
	 ROUTE_PERM_INTERACT},

	/* Experiment Sessions */
	{"GET", "/api/sessions/", api_sessions_list, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"POST", "/api/sessions/", api_sessions_create, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"GET", "/api/sessions/{id:seg}/", api_sessions_retrieve, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"POST", "/api/sessions/{id:seg}/end_experiment_session/", api_sessions_end, ROUTE_AUTH_API,
	 ROUTE_PERM_SESSIONS},
	{"PATCH", "/api/sessions/{id:seg}/update_state/", api_sessions_update_state, ROUTE_AUTH_API,
	 ROUTE_PERM_SESSIONS},
	{"POST", "/api/sessions/{id:seg}/tags/", api_sessions_tags, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
	{"DELETE", "/api/sessions/{id:seg}/tags/", api_sessions_tags, ROUTE_AUTH_API, ROUTE_PERM_SESSIONS},
};

const size_t confab_route_count = sizeof confab_routes / sizeof confab_routes[0];
