/* api_accounts.c - /accounts/login/ and /accounts/logout/: the cookie login
 * used by the OAuth consent flow and, same-origin, by the chat API. */
#include "api.h"
#include "api_validate.h"

#include <string.h>

#include "buf.h"
#include "html.h"
#include "log.h"
#include "client_addr.h"
#include "limits.h"
#include "password.h"
#include "ratelimit.h"
#include "store_keys.h"
#include "websession.h"
#include "xalloc.h"

const char *accounts_safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *c = next; *c != '\0'; c++) {
		unsigned char b = (unsigned char)*c;
		/* controls (CR/LF would split the Location header, TAB is dropped by
		 * browsers, making "/\t/host" a "//host"), any space, and '\\',
		 * which browsers read as '/' */
		if (b < 0x20 || b == 0x7f || b == ' ' || b == '\\')
			return "/";
	}
	return next;
}

static cf_status render_login(struct handler_ctx *ctx, const char *next, const char *email, const char *error)
{
	char csrf[CSRF_TOKEN_LEN + 1];
	cf_status st = csrf_token(ctx->app, ctx->req, ctx->resp, csrf);
	if (st != CF_OK)
		return st;
	struct buf b;
	buf_init(&b, 64 * 1024);
	char *action = xasprintf("%s/accounts/login/", ctx->app->cfg->url_prefix);
	if (error != NULL) {
		st = buf_append_str(&b, "<p class=\"error\">");
		if (st == CF_OK)
			st = html_escape_append(&b, error);
		if (st == CF_OK)
			st = buf_append_str(&b, "</p>");
	}
	if (st == CF_OK)
		st = buf_append_str(&b, "<form method=\"post\" action=\"");
	if (st == CF_OK)
		st = html_escape_append(&b, action);
	if (st == CF_OK)
		st = buf_append_str(&b, "\"><input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"");
	if (st == CF_OK)
		st = html_escape_append(&b, csrf);
	if (st == CF_OK)
		st = buf_append_str(&b, "\"><input type=\"hidden\" name=\"next\" value=\"");
	if (st == CF_OK)
		st = html_escape_append(&b, next);
	if (st == CF_OK)
		st = buf_append_str(&b, "\"><label>Email <input type=\"email\" name=\"email\" autocomplete=\"username\" value=\"");
	if (st == CF_OK)
		st = html_escape_append(&b, email ? email : "");
	if (st == CF_OK)
		st = buf_append_str(&b, "\" required></label><label>Password <input type=\"password\" name=\"password\""
		                        " autocomplete=\"current-password\" required></label>"
		                        "<button type=\"submit\">Log in</button></form>");
	free(action);
	if (st != CF_OK) {
		buf_free(&b);
		return st;
	}
	char *page = html_page("Log in to Confab", buf_str(&b));
	reply_html(ctx->resp, CF_OK, page);
	free(page);
	buf_free(&b);
	return CF_OK;
}

cf_status api_accounts_login_form(struct handler_ctx *ctx)
{
	return render_login(ctx, accounts_safe_next(request_query(ctx->req, "next")), NULL, NULL);
}

cf_status api_accounts_login(struct handler_ctx *ctx)
{
	struct kv_list form = {NULL, 0};
	cf_status st = request_form_body(ctx->req, &form);
	if (st != CF_OK) {
		reply_detail(ctx->resp, st, st == CF_E_MEDIA_TYPE ? "Unsupported media type in request." : "Malformed form.");
		return CF_OK;
	}
	const char *next = accounts_safe_next(kv_list_get(&form, "next"));
	const char *email = kv_list_get(&form, "email");
	const char *password = kv_list_get(&form, "password");
	if (!csrf_valid(ctx->app, ctx->req, kv_list_get(&form, "csrfmiddlewaretoken"))) {
		reply_detail(ctx->resp, CF_E_FORBIDDEN, "CSRF Failed: CSRF token missing or incorrect.");
		kv_list_free(&form);
		return CF_OK;
	}
	/* Throttle (the shared limiter): per client address, then per account;
	 * over either, 429 JSON with Retry-After, before any password check. */
	char addr[CF_CLIENT_ADDR_MAX];
	client_address(ctx->req, ctx->app->cfg, addr, sizeof addr);
	struct ratelimit_state rl;
	ratelimit_class_count(ctx->app, RL_LOGIN_ADDR, addr, &rl);
	if (!rl.exceeded && email != NULL)
		ratelimit_class_count(ctx->app, RL_LOGIN_ACCOUNT, email, &rl);
	if (rl.exceeded) {
		log_info("login throttled for %s", addr);
		ratelimit_reply(&rl, ctx->resp);
		goto out;
	}
	struct user_row user;
	bool ok = false;
	if (email != NULL && password != NULL) {
		st = store_user_find(ctx->app->db, email, &user);
		/* Every attempt runs crypt once: unknown accounts against a dummy
		 * hash, inactive ones too, so timing does not tell them apart. */
		if (st == CF_OK)
			ok = password_verify(password, user.password_hash) && user.active;
		else if (st == CF_E_NOT_FOUND)
			ok = password_verify_dummy(password);
		else
			goto out;
		st = CF_OK;
	}
	if (!ok) {
		log_info("login failed for a user");
		st = render_login(ctx, next, email, "Please enter a correct email and password.");
		goto out;
	}
	st = websession_start(ctx->app, ctx->req, ctx->resp, user.id);
	if (st == CF_OK)
		reply_redirect(ctx->resp, next);   /* next is a full local path, prefix included */
out:
	kv_list_free(&form);
	return st;
}

cf_status api_accounts_logout(struct handler_ctx *ctx)
{
	struct kv_list form = {NULL, 0};
	cf_status st = request_form_body(ctx->req, &form);
	const char *token = st == CF_OK ? kv_list_get(&form, "csrfmiddlewaretoken") : NULL;
	if (!csrf_valid(ctx->app, ctx->req, token)) {
		reply_detail(ctx->resp, CF_E_FORBIDDEN, "CSRF Failed: CSRF token missing or incorrect.");
		kv_list_free(&form);
		return CF_OK;
	}
	kv_list_free(&form);
	char *location = xasprintf("%s/accounts/login/", ctx->app->cfg->url_prefix);
	reply_redirect(ctx->resp, location);
	free(location);
	return websession_end(ctx->app, ctx->req, ctx->resp);
}
