/* api_docs.c - GET /api/schema/ (OpenAPI 3.0 JSON) and GET /api/docs/ (the
 * same, rendered as HTML), both generated from the route table. */
#include "api_docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "dispatch.h"
#include "html.h"
#include "xalloc.h"

/* Whether r says what the document needs of it: a tag, a summary and the
 * status of its success. */
static bool documented(const struct route *r)
{
	return r->tag != NULL && r->tag[0] != '\0' && r->summary != NULL && r->summary[0] != '\0' &&
	       r->success >= 100 && r->success <= 599;
}

const char *api_docs_undocumented(const struct route *routes, size_t count)
{
	static char name[256];
	for (size_t i = 0; i < count; i++) {
		if (!documented(&routes[i])) {
			snprintf(name, sizeof name, "%s %s", routes[i].method, routes[i].pattern);
			return name;
		}
	}
	return NULL;
}

/* "{id:uuid}" -> "{id}" and the parameter objects of the pattern. */
static char *openapi_path(const char *pattern, struct json_object *params)
{
	struct buf out;
	buf_init(&out, 1024);   /* patterns are short literals of routes.c */
	cf_status st = CF_OK;
	for (const char *p = pattern; *p && st == CF_OK;) {
		const char *colon = strchr(p, ':'), *close = strchr(p, '}');
		if (*p != '{' || colon == NULL || close == NULL || colon > close) {
			st = buf_append(&out, p++, 1);
			continue;
		}
		char name[64], type[16];
		snprintf(name, sizeof name, "%.*s", (int)(colon - p - 1), p + 1);
		snprintf(type, sizeof type, "%.*s", (int)(close - colon - 1), colon + 1);
		st = buf_printf(&out, "{%s}", name);
		struct json_object *param = json_object_new_object(), *schema = json_object_new_object();
		json_object_object_add(param, "name", json_object_new_string(name));
		json_object_object_add(param, "in", json_object_new_string("path"));
		json_object_object_add(param, "required", json_object_new_boolean(1));
		json_object_object_add(schema, "type", json_object_new_string(strcmp(type, "int") == 0 ? "integer" : "string"));
		if (strcmp(type, "uuid") == 0)
			json_object_object_add(schema, "format", json_object_new_string("uuid"));
		json_object_object_add(param, "schema", schema);
		json_object_array_add(params, param);
		p = close + 1;
	}
	return buf_take(&out);
}

static struct json_object *security_of(const struct route *r)
{
	struct json_object *list = json_object_new_array();
	static const char *const api[] = {"ApiKeyAuth", "BearerAuth", "OAuth2"};
	static const char *const chat[] = {"EmbedKey", "SessionCookie", "SessionToken"};
	const char *const *names = r->auth == ROUTE_AUTH_API ? api : r->auth == ROUTE_AUTH_CHAT ? chat : NULL;
	/* the session token a chat start hands out works on the session's
	 * routes, the ones with {session_id} (docs/API.md §2.8) */
	size_t n = r->auth == ROUTE_AUTH_API ? 3
	           : r->auth == ROUTE_AUTH_CHAT ? (strstr(r->pattern, "{session_id") != NULL ? 3 : 2)
	                                        : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *req = json_object_new_object();
		json_object_object_add(req, names[i], json_object_new_array());
		json_object_array_add(list, req);
	}
	if (r->auth != ROUTE_AUTH_API)
		json_object_array_add(list, json_object_new_object());   /* anonymous allowed */
	return list;
}

static struct json_object *components(void)
{
	struct json_object *c = json_object_new_object(), *schemes = json_object_new_object();
	struct json_object *key = json_object_new_object(), *bearer = json_object_new_object();
	struct json_object *embed = json_object_new_object(), *cookie = json_object_new_object();
	struct json_object *token = json_object_new_object();
	struct json_object *oauth = json_object_new_object(), *flows = json_object_new_object();
	struct json_object *code = json_object_new_object(), *scopes = json_object_new_object();
	json_object_object_add(key, "type", json_object_new_string("apiKey"));
	json_object_object_add(key, "in", json_object_new_string("header"));
	json_object_object_add(key, "name", json_object_new_string("X-Api-Key"));
	json_object_object_add(bearer, "type", json_object_new_string("http"));
	json_object_object_add(bearer, "scheme", json_object_new_string("bearer"));
	json_object_object_add(embed, "type", json_object_new_string("apiKey"));
	json_object_object_add(embed, "in", json_object_new_string("header"));
	json_object_object_add(embed, "name", json_object_new_string("X-Embed-Key"));
	json_object_object_add(cookie, "type", json_object_new_string("apiKey"));
	json_object_object_add(cookie, "in", json_object_new_string("cookie"));
	json_object_object_add(cookie, "name", json_object_new_string("sessionid"));
	json_object_object_add(token, "type", json_object_new_string("apiKey"));
	json_object_object_add(token, "in", json_object_new_string("header"));
	json_object_object_add(token, "name", json_object_new_string("X-Session-Token"));
	static const char *const SCOPES[][2] = {{"chatbots:read", "List and read the team's chatbots"},
	                                        {"chatbots:interact", "Chat with the team's chatbots"},
	                                        {"sessions:read", "Read sessions"},
	                                        {"sessions:write", "Create and change sessions"},
	                                        {"files:read", "Download attachments"},
	                                        {"participants:read", "Read participants and their chatbot data"},
	                                        {"participants:write", "Set participant data and scheduled messages"}};
	for (size_t i = 0; i < sizeof SCOPES / sizeof SCOPES[0]; i++)
		json_object_object_add(scopes, SCOPES[i][0], json_object_new_string(SCOPES[i][1]));
	json_object_object_add(code, "authorizationUrl", json_object_new_string("/o/authorize/"));
	json_object_object_add(code, "tokenUrl", json_object_new_string("/o/token/"));
	json_object_object_add(code, "refreshUrl", json_object_new_string("/o/token/"));
	json_object_object_add(code, "scopes", scopes);
	json_object_object_add(flows, "authorizationCode", code);
	/* Machine tokens (docs/API.md §2.3.1): the same scopes, no refresh. */
	struct json_object *machine = json_object_new_object();
	json_object_object_add(machine, "tokenUrl", json_object_new_string("/o/token/"));
	json_object_object_add(machine, "scopes", json_object_get(scopes));
	json_object_object_add(flows, "clientCredentials", machine);
	json_object_object_add(oauth, "type", json_object_new_string("oauth2"));
	json_object_object_add(oauth, "flows", flows);
	json_object_object_add(schemes, "ApiKeyAuth", key);
	json_object_object_add(schemes, "BearerAuth", bearer);
	json_object_object_add(schemes, "OAuth2", oauth);
	json_object_object_add(schemes, "EmbedKey", embed);
	json_object_object_add(schemes, "SessionCookie", cookie);
	json_object_object_add(schemes, "SessionToken", token);
	json_object_object_add(c, "securitySchemes", schemes);
	return c;
}

/* The v1 alias is one rule of the router (router_v1_alias), not a second
 * set of paths, so the document states it once. */
#define API_DOCS_V1_NOTE                                                                                         \
	"Every path under /api/ also answers under /api/v1/ (/api/v1/sessions/ is /api/sessions/): the same "    \
	"route, credentials and answers. url fields always name the unversioned path; next and previous keep " \
	"the path the client used. /api/v2/ is not served."

struct json_object *api_docs_openapi(const struct route *routes, size_t count, const char *server_url)
{
	struct json_object *doc = json_object_new_object(), *info = json_object_new_object();
	struct json_object *paths = json_object_new_object(), *servers = json_object_new_array();
	struct json_object *server = json_object_new_object();
	json_object_object_add(doc, "openapi", json_object_new_string("3.0.3"));
	json_object_object_add(info, "title", json_object_new_string("Confab (Open Chat Studio API)"));
	json_object_object_add(info, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(info, "description", json_object_new_string(API_DOCS_V1_NOTE));
	json_object_object_add(doc, "info", info);
	json_object_object_add(server, "url", json_object_new_string(server_url));
	json_object_array_add(servers, server);
	json_object_object_add(doc, "servers", servers);
	for (size_t i = 0; i < count; i++) {
		const struct route *r = &routes[i];
		bool d = documented(r);
		struct json_object *params = json_object_new_array(), *item = NULL, *op = json_object_new_object();
		char *path = openapi_path(r->pattern, params);
		if (!json_object_object_get_ex(paths, path, &item)) {
			item = json_object_new_object();
			json_object_object_add(paths, path, item);
		}
		char method[16], status[8];
		size_t k = 0;
		for (; r->method[k] && k + 1 < sizeof method; k++)
			method[k] = (char)(r->method[k] | 0x20);
		method[k] = '\0';
		snprintf(status, sizeof status, "%d", d ? r->success : 200);
		struct json_object *tags = json_object_new_array(), *responses = json_object_new_object();
		struct json_object *ok = json_object_new_object();
		json_object_array_add(tags, json_object_new_string(d ? r->tag : "Other"));
		json_object_object_add(op, "tags", tags);
		json_object_object_add(op, "summary", json_object_new_string(d ? r->summary : ""));
		char opid[160];
		snprintf(opid, sizeof opid, "%s_%s", method, path);
		for (char *c = opid; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
				*c = '_';
		json_object_object_add(op, "operationId", json_object_new_string(opid));
		if (json_object_array_length(params) > 0)
			json_object_object_add(op, "parameters", params);
		else
			json_object_put(params);
		json_object_object_add(op, "security", security_of(r));
		json_object_object_add(ok, "description", json_object_new_string("Success"));
		json_object_object_add(responses, status, ok);
		if (r->rate_limit != ROUTE_RL_NONE) {
			/* ratelimit.c: a fixed window per team or chat session, or a class of the route */
			struct json_object *limited = json_object_new_object();
			json_object_object_add(limited, "description",
			                       json_object_new_string("Rate limit exceeded: {\"detail\": \"Rate limit exceeded.\", "
			                                              "\"available_in\": seconds}; X-RateLimit-Limit, "
			                                              "X-RateLimit-Remaining, X-RateLimit-Reset and Retry-After "
			                                              "headers (the first three also on limited successes)"));
			json_object_object_add(responses, "429", limited);
		}
		if (r->idempotent) {
			struct json_object *h = json_object_new_object(), *schema = json_object_new_object();
			json_object_object_add(h, "name", json_object_new_string("Idempotency-Key"));
			json_object_object_add(h, "in", json_object_new_string("header"));
			json_object_object_add(h, "required", json_object_new_boolean(0));
			json_object_object_add(h, "description",
			                       json_object_new_string("1-255 printable ASCII characters. A retry with the same "
			                                              "key and request within 24 h replays the first response; "
			                                              "another request under the key is 422, a key still "
			                                              "running 409. Streamed answers are not stored. Keys "
			                                              "are per caller (API key or OAuth token, logged-in "
			                                              "user, or the path's chat session); anonymous and "
			                                              "embed-key chat start ignore the header."));
			json_object_object_add(schema, "type", json_object_new_string("string"));
			json_object_object_add(schema, "maxLength", json_object_new_int(255));
			json_object_object_add(h, "schema", schema);
			struct json_object *plist = NULL;
			if (!json_object_object_get_ex(op, "parameters", &plist)) {
				plist = json_object_new_array();
				json_object_object_add(op, "parameters", plist);
			}
			json_object_array_add(plist, h);
			struct json_object *c409 = json_object_new_object(), *c422 = json_object_new_object();
			json_object_object_add(c409, "description", json_object_new_string("Idempotency-Key in use by a running request"));
			json_object_object_add(c422, "description", json_object_new_string("Idempotency-Key reused with a different request"));
			json_object_object_add(responses, "409", c409);
			json_object_object_add(responses, "422", c422);
		}
		json_object_object_add(op, "responses", responses);
		json_object_object_add(item, method, op);
		free(path);
	}
	json_object_object_add(doc, "paths", paths);
	json_object_object_add(doc, "components", components());
	return doc;
}

static char *server_url(struct handler_ctx *ctx)
{
	return request_base_url(ctx->req, ctx->app->cfg->url_prefix);
}

cf_status api_schema(struct handler_ctx *ctx)
{
	char *url = server_url(ctx);
	reply_json(ctx->resp, api_docs_openapi(ctx->match->table, ctx->match->table_len, url));
	free(url);
	return CF_OK;
}

cf_status api_docs_page(struct handler_ctx *ctx)
{
	struct buf body;
	buf_init(&body, 1024 * 1024);
	cf_status st = buf_append_str(&body, "<h1>Confab API</h1><p>Machine-readable: <a href=\"../schema/\">OpenAPI 3 "
	                                     "document</a>.</p><p>");
	if (st == CF_OK)
		st = html_escape_append(&body, API_DOCS_V1_NOTE);
	if (st == CF_OK)
		st = buf_append_str(&body, "</p><table><tr><th>Method</th><th>Path</th><th>Tag</th><th>What it does</th></tr>");
	for (size_t i = 0; st == CF_OK && i < ctx->match->table_len; i++) {
		const struct route *r = &ctx->match->table[i];
		bool d = documented(r);
		struct json_object *ignored = json_object_new_array();
		char *path = openapi_path(r->pattern, ignored);
		json_object_put(ignored);
		st = buf_append_str(&body, "<tr><td>");
		if (st == CF_OK)
			st = html_escape_append(&body, r->method);
		if (st == CF_OK)
			st = buf_append_str(&body, "</td><td><code>");
		if (st == CF_OK)
			st = html_escape_append(&body, path);
		if (st == CF_OK)
			st = buf_append_str(&body, "</code></td><td>");
		if (st == CF_OK)
			st = html_escape_append(&body, d ? r->tag : "");
		if (st == CF_OK)
			st = buf_append_str(&body, "</td><td>");
		if (st == CF_OK)
			st = html_escape_append(&body, d ? r->summary : "");
		if (st == CF_OK)
			st = buf_append_str(&body, "</td></tr>");
		free(path);
	}
	if (st == CF_OK)
		st = buf_append_str(&body, "</table>");
	if (st == CF_OK) {
		char *page = html_page("Confab API", buf_str(&body));
		reply_html(ctx->resp, CF_OK, page);
		free(page);
	}
	buf_free(&body);
	return st;
}
