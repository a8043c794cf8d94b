/* app.h - what a worker process holds across requests, and what a handler
 * is given for one request. */
#ifndef CONFAB_APP_H
#define CONFAB_APP_H

#include <stdbool.h>

#include "config.h"
#include "db.h"
#include "http_request.h"
#include "http_response.h"
#include "router.h"
#include "waiters.h"

struct rl_shm;

/* Per-process state; owned by the worker loop. */
struct app {
	const struct config *cfg;   /* borrowed from the master's copy */
	struct db *db;              /* this process's one connection */
	struct waiter_board *waiters; /* long-poll marks on the master's scoreboard; NULL = no cap */
	struct rl_shm *ratelimits;  /* this host's rate-limit counters (ratelimit_shm.h); NULL = per-request DB */
};

enum principal_kind {
	PRINCIPAL_NONE,        /* anonymous */
	PRINCIPAL_API_KEY,
	PRINCIPAL_OAUTH,
	PRINCIPAL_EMBED_KEY,   /* chat API: an embedded-widget channel's key */
	PRINCIPAL_COOKIE,      /* chat API: a logged-in user */
};

/* Who is calling: the credential's team and user. Filled by auth.c. */
struct principal {
	enum principal_kind kind;
	unsigned long long team_id;
	char team_slug[64];
	char team_name[128];
	unsigned long long user_id;
	char user_email[256];
	char role[40];
	bool read_only;          /* API keys: only safe methods */
	char key_prefix[16];     /* for the access log, never the key itself */
	char scopes[256];        /* OAuth tokens: space separated */
	bool machine;            /* OAuth client_credentials token: no user (user_id 0, email and role ""),
	                          * reaches only its application's allowed chatbots (auth.h) */
	unsigned long long oauth_app_id;   /* OAuth tokens: the application that issued it */
	unsigned long long channel_id;   /* embed keys: the widget channel */
};

/* Everything a handler may use; all borrowed for the request's duration. */
struct handler_ctx {
	struct app *app;
	const struct request *req;
	struct response *resp;
	const struct route_match *match;
	const struct principal *who;
};

#endif
