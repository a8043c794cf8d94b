/* api_oauth.c - the OAuth2 authorization server endpoints: /o/authorize/
 * (login redirect, consent page, code), /o/token/ (code exchange with
 * PKCE, refresh with rotation, client_credentials machine tokens) and
 * /o/revoke_token/ (RFC 7009). */
#include "api.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "crypto.h"
#include "html.h"
#include "oauth.h"
#include "store_keys.h"
#include "store_oauth.h"
#include "websession.h"
#include "xalloc.h"

/* Parameters of an authorization request (query on GET, form on POST). */
struct authz {
	struct oauth_application_row app;
	char redirect_uri[1025];
	bool redirect_sent;   /* the request named it (else the app's only one) */
	const char *state;
	const char *scope;
	const char *challenge;
};

static void error_page(struct handler_ctx *ctx, cf_status st, const char *message)
{
	struct buf b;
	buf_init(&b, 8192);
	if (buf_append_str(&b, "<p class=\"error\">") == CF_OK && html_escape_append(&b, message) == CF_OK &&
	    buf_append_str(&b, "</p>") == CF_OK) {
		char *page = html_page("Authorization error", buf_str(&b));
		reply_html(ctx->resp, st, page);
		free(page);
	} else {
		reply_detail(ctx->resp, st, message);
	}
	buf_free(&b);
}

/* Redirects the error back to the client (RFC 6749 section 4.1.2.1). */
static void redirect_error(struct handler_ctx *ctx, const struct authz *a, const char *code, const char *description)
{
	char *desc = url_encode_component(description);
	char *state = a->state ? url_encode_component(a->state) : NULL;
	char *location = xasprintf("%s%cerror=%s&error_description=%s%s%s", a->redirect_uri,
	                           strchr(a->redirect_uri, '?') ? '&' : '?', code, desc, state ? "&state=" : "",
	                           state ? state : "");
	reply_redirect(ctx->resp, location);
	free(location);
	free(desc);
	free(state);
}

/* Validates client and redirect URI (errors shown as a page) and then the
 * rest (errors redirected). Returns false when a reply was made. */
static bool check_authz(struct handler_ctx *ctx, const struct kv_list *p, struct authz *a, cf_status *st)
{
	memset(a, 0, sizeof *a);
	*st = CF_OK;
	const char *client_id = kv_list_get(p, "client_id");
	if (client_id == NULL || strlen(client_id) > 100) {
		error_page(ctx, CF_E_BAD_REQUEST, "Missing or invalid client_id.");
		return false;
	}
	*st = store_oauth_app_find(ctx->app->db, client_id, &a->app);
	if (*st == CF_E_NOT_FOUND) {
		*st = CF_OK;
		error_page(ctx, CF_E_BAD_REQUEST, "Unknown client_id.");
		return false;
	}
	if (*st != CF_OK)
		return false;
	const char *redirect = kv_list_get(p, "redirect_uri");
	if (redirect == NULL) {
		if (!oauth_single_redirect(&a->app, a->redirect_uri, sizeof a->redirect_uri)) {
			error_page(ctx, CF_E_BAD_REQUEST, "Missing redirect_uri.");
			return false;
		}
	} else if (strlen(redirect) >= sizeof a->redirect_uri || !oauth_redirect_allowed(&a->app, redirect)) {
		error_page(ctx, CF_E_BAD_REQUEST, "Mismatching redirect_uri.");
		return false;
	} else {
		snprintf(a->redirect_uri, sizeof a->redirect_uri, "%s", redirect);
		a->redirect_sent = true;
	}
	a->state = kv_list_get(p, "state");
	if (a->app.grant_type != OAUTH_GRANT_AUTHORIZATION_CODE) {   /* a machine has no user to ask */
		redirect_error(ctx, a, "unauthorized_client", "This client may not use the authorization code flow.");
		return false;
	}
	const char *response_type = kv_list_get(p, "response_type");
	if (response_type == NULL || strcmp(response_type, "code") != 0) {
		redirect_error(ctx, a, "unsupported_response_type", "Only the authorization code flow is supported.");
		return false;
	}
	a->challenge = kv_list_get(p, "code_challenge");
	const char *method = kv_list_get(p, "code_challenge_method");
	if (a->challenge == NULL || strlen(a->challenge) != 43 || method == NULL || strcmp(method, "S256") != 0) {
		redirect_error(ctx, a, "invalid_request", "PKCE with code_challenge_method=S256 is required.");
		return false;
	}
	a->scope = kv_list_get(p, "scope");
	if (a->scope == NULL || *a->scope == '\0')
		a->scope = OAUTH_ALL_SCOPES;
	if (strlen(a->scope) > 255 || !oauth_scope_valid(a->scope)) {
		redirect_error(ctx, a, "invalid_scope", "Unknown scope.");
		return false;
	}
	return true;
}

static cf_status hidden(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return CF_OK;
	cf_status st = buf_append_str(b, "<input type=\"hidden\" name=\"");
	if (st == CF_OK)
		st = html_escape_append(b, name);
	if (st == CF_OK)
		st = buf_append_str(b, "\" value=\"");
	if (st == CF_OK)
		st = html_escape_append(b, value);
	if (st == CF_OK)
		st = buf_append_str(b, "\">");
	return st;
}

static cf_status render_consent(struct handler_ctx *ctx, const struct kv_list *p, const struct authz *a,
                                unsigned long long user_id)
{
	char csrf[CSRF_TOKEN_LEN + 1];
	struct team_list teams = {NULL, 0};
	cf_status st = csrf_token(ctx->app, ctx->req, ctx->resp, csrf);
	if (st != CF_OK)
		return st;
	st = store_user_teams(ctx->app->db, user_id, &teams);
	if (st != CF_OK) {
		team_list_free(&teams);
		return st;
	}
	if (teams.count == 0) {
		team_list_free(&teams);
		error_page(ctx, CF_E_FORBIDDEN, "Your account is not a member of any team.");
		return CF_OK;
	}
	const char *wanted = kv_list_get(p, "team");
	struct buf b;
	buf_init(&b, 64 * 1024);
	char *action = xasprintf("%s/o/authorize/", ctx->app->cfg->url_prefix);
	st = buf_append_str(&b, "<p><strong>");
	if (st == CF_OK)
		st = html_escape_append(&b, a->app.name);
	if (st == CF_OK)
		st = buf_append_str(&b, "</strong> asks for access to your team with these scopes:</p><ul>");
	for (const char *s = a->scope; st == CF_OK && *s;) {
		size_t len = strcspn(s, " ");
		char *one = xstrndup(s, len);
		st = buf_append_str(&b, "<li>");
		if (st == CF_OK)
			st = html_escape_append(&b, one);
		if (st == CF_OK)
			st = buf_append_str(&b, "</li>");
		free(one);
		s += len;
		while (*s == ' ')
			s++;
	}
	if (st == CF_OK)
		st = buf_append_str(&b, "</ul><form method=\"post\" action=\"");
	if (st == CF_OK)
		st = html_escape_append(&b, action);
	if (st == CF_OK)
		st = buf_append_str(&b, "\">");
	if (st == CF_OK)
		st = hidden(&b, "csrfmiddlewaretoken", csrf);
	static const char *const names[] = {"client_id", "response_type", "state", "code_challenge",
	                                    "code_challenge_method", NULL};
	for (const char *const *n = names; st == CF_OK && *n; n++)
		st = hidden(&b, *n, kv_list_get(p, *n));
	if (st == CF_OK && a->redirect_sent)   /* the consent POST must not add one the client did not send */
		st = hidden(&b, "redirect_uri", a->redirect_uri);
	if (st == CF_OK)
		st = hidden(&b, "scope", a->scope);
	if (st == CF_OK)
		st = buf_append_str(&b, "<label>Team <select name=\"team\">");
	for (size_t r = 0; st == CF_OK && r < teams.count; r++) {
		const char *slug = teams.rows[r].slug;
		st = buf_append_str(&b, "<option value=\"");
		if (st == CF_OK)
			st = html_escape_append(&b, slug);
		if (st == CF_OK)
			st = buf_append_str(&b, wanted && strcmp(wanted, slug) == 0 ? "\" selected>" : "\">");
		if (st == CF_OK)
			st = html_escape_append(&b, teams.rows[r].name);
		if (st == CF_OK)
			st = buf_append_str(&b, "</option>");
	}
	if (st == CF_OK)
		st = buf_append_str(&b, "</select></label><button type=\"submit\" name=\"allow\" value=\"Authorize\">"
		                        "Authorize</button><button type=\"submit\" name=\"cancel\" value=\"Cancel\">"
		                        "Cancel</button></form>");
	if (st == CF_OK) {
		char *page = html_page("Authorize access", buf_str(&b));
		reply_html(ctx->resp, CF_OK, page);
		free(page);
	}
	free(action);
	buf_free(&b);
	team_list_free(&teams);
	return st;
}

cf_status api_oauth_authorize_form(struct handler_ctx *ctx)
{
	struct authz a;
	cf_status st;
	if (!check_authz(ctx, &ctx->req->query, &a, &st))
		return st;
	unsigned long long user_id = 0;
	char email[256];
	st = websession_user(ctx->app, ctx->req, &user_id, email);
	if (st == CF_E_NOT_FOUND) {
		char *here = xasprintf("%s%s?%s", ctx->app->cfg->url_prefix, ctx->req->raw_path, ctx->req->raw_query);
		char *next = url_encode_component(here);
		char *location = xasprintf("%s/accounts/login/?next=%s", ctx->app->cfg->url_prefix, next);
		reply_redirect(ctx->resp, location);
		free(location);
		free(next);
		free(here);
		return CF_OK;
	}
	if (st != CF_OK)
		return st;
	return render_consent(ctx, &ctx->req->query, &a, user_id);
}

cf_status api_oauth_authorize(struct handler_ctx *ctx)
{
	struct kv_list form = {NULL, 0};
	cf_status st = request_form_body(ctx->req, &form);
	if (st != CF_OK) {
		reply_detail(ctx->resp, st, NULL);
		return CF_OK;
	}
	struct authz a;
	unsigned long long user_id = 0, team_id = 0;
	char email[256];
	if (!check_authz(ctx, &form, &a, &st))
		goto out;
	if (!csrf_valid(ctx->app, ctx->req, kv_list_get(&form, "csrfmiddlewaretoken"))) {
		error_page(ctx, CF_E_FORBIDDEN, "CSRF verification failed.");
		goto out;
	}
	st = websession_user(ctx->app, ctx->req, &user_id, email);
	if (st == CF_E_NOT_FOUND) {
		st = CF_OK;
		error_page(ctx, CF_E_FORBIDDEN, "Log in first.");
		goto out;
	}
	if (st != CF_OK)
		goto out;
	if (kv_list_get(&form, "allow") == NULL) {
		redirect_error(ctx, &a, "access_denied", "The user denied the request.");
		goto out;
	}
	const char *team = kv_list_get(&form, "team");
	st = team ? store_user_team_id(ctx->app->db, user_id, team, &team_id) : CF_E_NOT_FOUND;
	if (st == CF_E_NOT_FOUND) {
		st = CF_OK;
		error_page(ctx, CF_E_BAD_REQUEST, "Choose one of your teams.");
		goto out;
	}
	if (st != CF_OK)
		goto out;
	char code[OAUTH_TOKEN_LEN + 1];
	st = oauth_issue_code(ctx->app->db, &a.app, user_id, team_id, a.scope, a.redirect_uri, a.redirect_sent,
	                      a.challenge, code);
	if (st == CF_OK) {
		char *state = a.state ? url_encode_component(a.state) : NULL;
		char *location = xasprintf("%s%ccode=%s%s%s", a.redirect_uri, strchr(a.redirect_uri, '?') ? '&' : '?',
		                           code, state ? "&state=" : "", state ? state : "");
		reply_redirect(ctx->resp, location);
		free(location);
		free(state);
	}
out:
	kv_list_free(&form);
	return st;
}

/* Client authentication (RFC 6749 section 2.3.1): HTTP Basic or form fields.
 * Public clients present only their client_id. */
static bool authenticate_client(struct handler_ctx *ctx, const struct kv_list *form,
                                struct oauth_application_row *app, cf_status *st)
{
	char *id = NULL, *secret = NULL;
	const char *authz = request_header(ctx->req, "authorization");
	*st = CF_OK;
	if (authz != NULL && strncasecmp(authz, "basic ", 6) == 0) {
		const char *b64 = authz + 6;
		size_t len = strlen(b64);
		if (len > 0 && len < 1024 && len % 4 == 0) {
			unsigned char raw[800];
			int n = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)len);
			if (n > 0) {
				while (n > 0 && b64[len - 1] == '=' && raw[n - 1] == '\0') {
					n--;
					len--;
				}
				raw[n] = '\0';
				char *colon = memchr(raw, ':', (size_t)n);
				if (colon != NULL && memchr(raw, '\0', (size_t)n) == NULL) {
					*colon = '\0';
					if (url_decode((char *)raw, strlen((char *)raw), true, &id) != CF_OK ||
					    url_decode(colon + 1, strlen(colon + 1), true, &secret) != CF_OK) {
						free(id);
						id = NULL;
					}
				}
			}
		}
	} else {
		const char *fid = kv_list_get(form, "client_id");
		const char *fsecret = kv_list_get(form, "client_secret");
		id = fid ? xstrdup(fid) : NULL;
		secret = fsecret ? xstrdup(fsecret) : NULL;
	}
	bool ok = false;
	if (id != NULL && strlen(id) <= 100) {
		*st = store_oauth_app_find(ctx->app->db, id, app);
		if (*st == CF_OK) {
			if (app->confidential) {
				char hash[65];
				oauth_hash(secret ? secret : "", hash);
				ok = secret != NULL && secret_equal(hash, app->secret_hash);
			} else {
				ok = true;
			}
		} else if (*st == CF_E_NOT_FOUND) {
			*st = CF_OK;
		}
	}
	free(id);
	free(secret);
	if (!ok && *st == CF_OK) {
		reply_oauth_error(ctx->resp, CF_E_BAD_CREDENTIALS, "invalid_client", "Client authentication failed.");
		/* reply_oauth_error adds no Bearer challenge: name the scheme used. */
		response_add_header(ctx->resp, "WWW-Authenticate", "Basic realm=\"oauth\"");
	}
	return ok;
}

/* The token response (RFC 6749 section 5.1); no refresh_token member when
 * t->refresh is "" (client_credentials, section 4.4.3). */
static void reply_tokens(struct handler_ctx *ctx, const struct oauth_tokens *t)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "access_token", json_object_new_string(t->access));
	json_object_object_add(obj, "expires_in", json_object_new_int(CF_OAUTH_ACCESS_TTL_SECONDS));
	json_object_object_add(obj, "token_type", json_object_new_string("Bearer"));
	json_object_object_add(obj, "scope", json_object_new_string(t->scope));
	if (t->refresh[0] != '\0')
		json_object_object_add(obj, "refresh_token", json_object_new_string(t->refresh));
	reply_json(ctx->resp, obj);
	response_add_header(ctx->resp, "Cache-Control", "no-store");
	response_add_header(ctx->resp, "Pragma", "no-cache");
}

/* Seconds a refresh token lives (config oauth_refresh_token_days). */
static long refresh_ttl(const struct handler_ctx *ctx)
{
	return (long)ctx->app->cfg->oauth_refresh_token_days * 86400L;
}

cf_status api_oauth_token(struct handler_ctx *ctx)
{
	struct kv_list form = {NULL, 0};
	cf_status st = request_form_body(ctx->req, &form);
	if (st != CF_OK) {
		reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_request", "Expected a form-encoded body.");
		return CF_OK;
	}
	struct oauth_application_row app;
	struct oauth_tokens tokens;
	const char *grant_type = kv_list_get(&form, "grant_type");
	if (!authenticate_client(ctx, &form, &app, &st))
		goto out;
	/* Each application uses one grant: the other grants are refused
	 * (RFC 6749 section 5.2, unauthorized_client), so a machine secret
	 * never stands in for a user and a user's app never mints machine
	 * tokens. */
	bool machine_app = app.grant_type == OAUTH_GRANT_CLIENT_CREDENTIALS;
	bool known = grant_type != NULL && (strcmp(grant_type, "authorization_code") == 0 ||
	                                    strcmp(grant_type, "refresh_token") == 0 ||
	                                    strcmp(grant_type, "client_credentials") == 0);
	if (known && machine_app != (strcmp(grant_type, "client_credentials") == 0)) {
		reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "unauthorized_client",
		                  "This client may not use this grant type.");
		goto out;
	}
	if (known && machine_app) {
		/* RFC 6749 section 4.4.2: only confidential clients, authenticated. */
		if (!app.confidential) {
			reply_oauth_error(ctx->resp, CF_E_BAD_CREDENTIALS, "invalid_client", "Client authentication failed.");
			response_add_header(ctx->resp, "WWW-Authenticate", "Basic realm=\"oauth\"");
			goto out;
		}
		st = oauth_client_credentials(ctx->app->db, &app, kv_list_get(&form, "scope"), &tokens);
		if (st == CF_E_FORBIDDEN) {
			st = CF_OK;
			reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_scope",
			                  "The requested scope is invalid, unknown, or exceeds what this client may have.");
		} else if (st == CF_OK) {
			reply_tokens(ctx, &tokens);
		}
	} else if (grant_type != NULL && strcmp(grant_type, "authorization_code") == 0) {
		const char *code = kv_list_get(&form, "code");
		const char *verifier = kv_list_get(&form, "code_verifier");
		const char *redirect = kv_list_get(&form, "redirect_uri");
		if (code == NULL || verifier == NULL) {
			reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_request", "code and code_verifier are required.");
			goto out;
		}
		st = oauth_exchange_code(ctx->app->db, app.id, code, verifier, redirect, refresh_ttl(ctx), &tokens);
		if (st == CF_E_NOT_FOUND) {
			st = CF_OK;
			reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_grant", "Invalid code, code_verifier or redirect_uri.");
		} else if (st == CF_OK) {
			reply_tokens(ctx, &tokens);
		}
	} else if (grant_type != NULL && strcmp(grant_type, "refresh_token") == 0) {
		const char *refresh = kv_list_get(&form, "refresh_token");
		if (refresh == NULL) {
			reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_request", "refresh_token is required.");
			goto out;
		}
		st = oauth_refresh(ctx->app->db, app.id, refresh, refresh_ttl(ctx), &tokens);
		if (st == CF_E_NOT_FOUND) {
			st = CF_OK;
			reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_grant", "Invalid refresh token.");
		} else if (st == CF_OK) {
			reply_tokens(ctx, &tokens);
		}
	} else {
		reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "unsupported_grant_type", NULL);
	}
out:
	kv_list_free(&form);
	return st;
}

cf_status api_oauth_revoke(struct handler_ctx *ctx)
{
	struct kv_list form = {NULL, 0};
	cf_status st = request_form_body(ctx->req, &form);
	if (st != CF_OK) {
		reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_request", "Expected a form-encoded body.");
		return CF_OK;
	}
	struct oauth_application_row app;
	if (!authenticate_client(ctx, &form, &app, &st))
		goto out;
	const char *token = kv_list_get(&form, "token");
	if (token == NULL) {
		reply_oauth_error(ctx->resp, CF_E_BAD_REQUEST, "invalid_request", "token is required.");
		goto out;
	}
	char hash[65];
	oauth_hash(token, hash);
	st = store_token_revoke(ctx->app->db, hash, app.id);
	if (st == CF_OK)
		reply_empty(ctx->resp);   /* RFC 7009: 200 whether or not the token existed */
out:
	kv_list_free(&form);
	return st;
}
