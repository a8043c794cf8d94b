/* api_docs.c - GET /api/schema/ (OpenAPI 3.0 JSON) and GET /api/docs/ (the
 * same, rendered as HTML), both generated from the route table: each
 * operation's request body, success content and headers, error statuses
 * and scopes follow from its route record and the named schemas
 * (api_schemas.h). */
#include "api_docs.h"
#include "api_docs_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_schemas.h"
#include "dispatch.h"
#include "limits.h"
#include "log.h"
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

/* ---- the query parameters a route names (route.query) ---- */

/* Each entry: a JSON array of OpenAPI parameter objects (in: query), the
 * parameters of docs/API.md's tables for that route. */
#define QP(name, schema, text)                                                                                 \
	"{\"name\":\"" name "\",\"in\":\"query\",\"required\":false,\"schema\":" schema ",\"description\":\"" text "\"}"
#define QP_PAGE_SIZE QP("page_size", "{\"type\":\"integer\"}", "Default 100, at most 1500 (larger is cut to 1500).")
#define QP_CURSOR QP("cursor", "{\"type\":\"string\"}", "From next or previous; one that does not verify is a 404.")
static const struct api_schema QUERIES[] = {
	{"CursorPageQuery", "[" QP_PAGE_SIZE "," QP_CURSOR "]"},
	{"SessionListQuery",
	 "[" QP("experiment", "{\"type\":\"string\",\"format\":\"uuid\"}", "Only this working chatbot's sessions.") ","
	 QP("tags", "{\"type\":\"string\"}", "Comma-separated tag names: sessions whose chat has any of them.") ","
	 QP("versions", "{\"type\":\"string\"}", "Comma-separated version tags (v1,v2-unreleased).") ","
	 QP("ordering", "{\"type\":\"string\"}", "created_at for oldest first; anything else is newest first.") ","
	 QP_PAGE_SIZE "," QP_CURSOR "]"},
	{"ParticipantListQuery",
	 "[" QP("identifier", "{\"type\":\"string\"}", "Only the participant with this identifier.") ","
	 QP("platform", "{\"type\":\"string\"}", "Only participants of this platform.") ","
	 QP("chatbot", "{\"type\":\"string\",\"format\":\"uuid\"}", "Only participants with data for this chatbot.") ","
	 QP("experiment", "{\"type\":\"string\",\"format\":\"uuid\"}", "The older name of chatbot.") ","
	 QP_PAGE_SIZE "," QP_CURSOR "]"},
	{"ChatPollQuery",
	 "[" QP("since", "{\"type\":\"string\",\"format\":\"date-time\"}", "Only messages created after this time.") ","
	 QP("limit", "{\"type\":\"integer\",\"minimum\":1}", "At most this many messages (default 50).") "]"},
	{"ChatTaskPollQuery",
	 "[" QP("wait", "{\"type\":\"number\",\"minimum\":0,\"maximum\":3600}",
	        "Seconds to wait for a queued or running task to finish (bounded by poll_max_wait).") "]"},
	{NULL, NULL},
};

/* The parameter array called name, parsed (caller owns it), or NULL when
 * no entry has the name or its text is not a JSON array. */
static struct json_object *route_query_parse(const char *name)
{
	for (const struct api_schema *q = QUERIES; q->name != NULL; q++)
		if (strcmp(q->name, name) == 0) {
			struct json_object *arr = json_tokener_parse(q->json);
			if (arr != NULL && !json_object_is_type(arr, json_type_array)) {
				json_object_put(arr);
				arr = NULL;
			}
			return arr;
		}
	return NULL;
}

/* ---- the named schemas (api_schemas.h) ---- */

static const struct api_schema *const schema_tables[] = {api_schemas_core, api_schemas_openai_chat};

/* The entry called name, or NULL. */
static const struct api_schema *schema_find(const char *name)
{
	for (size_t t = 0; t < sizeof schema_tables / sizeof schema_tables[0]; t++)
		for (const struct api_schema *s = schema_tables[t]; s->name != NULL; s++)
			if (strcmp(s->name, name) == 0)
				return s;
	return NULL;
}

/* The schema's JSON text parsed (caller owns it), or NULL when it does not
 * parse as one JSON object. */
static struct json_object *schema_parse(const struct api_schema *s)
{
	struct json_object *obj = json_tokener_parse(s->json);
	if (obj != NULL && !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		obj = NULL;
	}
	return obj;
}

/* The value of the schema's extension key ("x-content-type", "x-etag",
 * "x-event-stream"), borrowed from obj, or NULL. */
static struct json_object *schema_ext(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;
	return obj != NULL && json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

static const char *const SCHEMA_EXTS[] = {"x-content-type", "x-etag", "x-event-stream"};

/* What the document needs of the schema called name: its media type
 * (application/json unless it names another), whether its route answers
 * conditional GETs, and the schema of its stream's events (NULL: it does
 * not stream). Unknown names are application/json. */
struct schema_use {
	char media[64];
	bool etag;
	char events[64];
};

static struct schema_use schema_use_of(const char *name)
{
	struct schema_use u = {"application/json", false, ""};
	const struct api_schema *s = name != NULL ? schema_find(name) : NULL;
	struct json_object *obj = s != NULL ? schema_parse(s) : NULL, *v;
	if ((v = schema_ext(obj, "x-content-type")) != NULL)
		snprintf(u.media, sizeof u.media, "%s", json_object_get_string(v));
	if ((v = schema_ext(obj, "x-etag")) != NULL)
		u.etag = json_object_get_boolean(v);
	if ((v = schema_ext(obj, "x-event-stream")) != NULL)
		snprintf(u.events, sizeof u.events, "%s", json_object_get_string(v));
	json_object_put(obj);
	return u;
}

/* components.schemas: every table's entries without the extension keys.
 * Caller owns it. */
static struct json_object *schemas_object(void)
{
	struct json_object *all = json_object_new_object();
	for (size_t t = 0; t < sizeof schema_tables / sizeof schema_tables[0]; t++)
		for (const struct api_schema *s = schema_tables[t]; s->name != NULL; s++) {
			struct json_object *obj = schema_parse(s);
			if (obj == NULL)
				continue;   /* api_docs_schema_problem names it */
			for (size_t k = 0; k < sizeof SCHEMA_EXTS / sizeof SCHEMA_EXTS[0]; k++)
				json_object_object_del(obj, SCHEMA_EXTS[k]);
			json_object_object_add(all, s->name, obj);
		}
	return all;
}

/* The first "$ref" under obj whose schema name no table has, written into
 * bad; false when there is none. */
static bool dangling_ref(struct json_object *obj, char *bad, size_t size)
{
	static const char PREFIX[] = "#/components/schemas/";
	if (json_object_is_type(obj, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(obj); i++)
			if (dangling_ref(json_object_array_get_idx(obj, i), bad, size))
				return true;
		return false;
	}
	if (!json_object_is_type(obj, json_type_object))
		return false;
	json_object_object_foreach(obj, key, val) {
		if (strcmp(key, "$ref") == 0 && json_object_is_type(val, json_type_string)) {
			const char *ref = json_object_get_string(val);
			if (strncmp(ref, PREFIX, sizeof PREFIX - 1) != 0 || schema_find(ref + sizeof PREFIX - 1) == NULL) {
				snprintf(bad, size, "%s", ref);
				return true;
			}
		} else if (dangling_ref(val, bad, size)) {
			return true;
		}
	}
	return false;
}

const char *api_docs_schema_problem(const struct route *routes, size_t count)
{
	static char problem[320];
	char ref[200];
	for (size_t t = 0; t < sizeof schema_tables / sizeof schema_tables[0]; t++)
		for (const struct api_schema *s = schema_tables[t]; s->name != NULL; s++) {
			struct json_object *obj = schema_parse(s);
			bool dangling = obj != NULL && dangling_ref(obj, ref, sizeof ref);
			json_object_put(obj);
			if (obj == NULL) {
				snprintf(problem, sizeof problem, "schema %s is not a JSON object", s->name);
				return problem;
			}
			if (dangling) {
				snprintf(problem, sizeof problem, "schema %s refers to %s, which no table has", s->name, ref);
				return problem;
			}
			if (schema_find(s->name) != s) {
				snprintf(problem, sizeof problem, "schema %s is in the tables twice", s->name);
				return problem;
			}
			struct schema_use u = schema_use_of(s->name);
			if (u.events[0] != '\0' && schema_find(u.events) == NULL) {
				snprintf(problem, sizeof problem, "schema %s streams %s, which no table has", s->name, u.events);
				return problem;
			}
		}
	for (size_t i = 0; i < count; i++) {
		const char *names[] = {routes[i].request_schema, routes[i].response_schema};
		for (size_t k = 0; k < 2; k++)
			if (names[k] != NULL && schema_find(names[k]) == NULL) {
				snprintf(problem, sizeof problem, "%s %s names schema %s, which no table has", routes[i].method,
				         routes[i].pattern, names[k]);
				return problem;
			}
		struct json_object *query = routes[i].query != NULL ? route_query_parse(routes[i].query) : NULL;
		bool unknown = routes[i].query != NULL && query == NULL;
		json_object_put(query);
		if (unknown) {
			snprintf(problem, sizeof problem, "%s %s names query parameters %s, which no table has as an array",
			         routes[i].method, routes[i].pattern, routes[i].query);
			return problem;
		}
	}
	return NULL;
}

/* {"$ref": "#/components/<kind>/<name>"}; caller owns it. */
static struct json_object *ref_to(const char *kind, const char *name)
{
	struct json_object *o = json_object_new_object();
	char *ref = xasprintf("#/components/%s/%s", kind, name);
	json_object_object_add(o, "$ref", json_object_new_string(ref));
	free(ref);
	return o;
}

/* {media: {"schema": {"$ref": ...}}}; caller owns it. */
static struct json_object *content_of(const char *media, const char *schema)
{
	struct json_object *c = json_object_new_object(), *m = json_object_new_object();
	json_object_object_add(m, "schema", ref_to("schemas", schema));
	json_object_object_add(c, media, m);
	return c;
}

/* ---- response headers (components.headers) ---- */

static const char *const HEADERS[][3] = {
	/* name, schema type, description */
	{"Location", "string", "The URL of what was made, or where a redirect goes."},
	{"Retry-After", "integer", "Seconds to wait before retrying."},
	{"X-RateLimit-Limit", "integer", "Requests the window allows."},
	{"X-RateLimit-Remaining", "integer", "Requests left in the window."},
	{"X-RateLimit-Reset", "integer", "Seconds until the window starts again."},
	{"ETag", "string", "Strong tag of the body (SHA-256); send it as If-None-Match to get 304."},
	{"Idempotent-Replayed", "string", "\"true\" when this is the stored answer of an earlier request with the same Idempotency-Key."},
	{"x-should-retry", "string", "\"true\" or \"false\": whether a retry can help (OpenAI clients read it)."},
	{"WWW-Authenticate", "string", "The challenge: Bearer realm=\"api\" (Basic realm=\"oauth\" on the token routes)."},
	{"Allow", "string", "The methods the path answers."},
};

/* The header object of HEADERS[i]; required marks a use where the
 * header is always sent (a contract test checks those, tests/lib/
 * check_exchanges.py). Caller owns it. */
static struct json_object *header_object(size_t i, bool required)
{
	struct json_object *h = json_object_new_object(), *schema = json_object_new_object();
	json_object_object_add(h, "description", json_object_new_string(HEADERS[i][2]));
	if (required)
		json_object_object_add(h, "required", json_object_new_boolean(1));
	json_object_object_add(schema, "type", json_object_new_string(HEADERS[i][1]));
	if (strcmp(HEADERS[i][0], "x-should-retry") == 0 || strcmp(HEADERS[i][0], "Idempotent-Replayed") == 0) {
		struct json_object *values = json_object_new_array();
		json_object_array_add(values, json_object_new_string("true"));
		if (HEADERS[i][0][0] == 'x')
			json_object_array_add(values, json_object_new_string("false"));
		json_object_object_add(schema, "enum", values);
	}
	json_object_object_add(h, "schema", schema);
	return h;
}

static struct json_object *headers_object(void)
{
	struct json_object *all = json_object_new_object();
	for (size_t i = 0; i < sizeof HEADERS / sizeof HEADERS[0]; i++)
		json_object_object_add(all, HEADERS[i][0], header_object(i, false));
	return all;
}

/* Adds the named headers to response: references to components.headers,
 * or, when required, the header objects themselves marked required (a
 * reference cannot carry "required" beside it in OpenAPI 3.0). */
static void add_headers_as(struct json_object *response, const char *const *names, size_t n, bool required)
{
	struct json_object *h = NULL;
	if (!json_object_object_get_ex(response, "headers", &h)) {
		h = json_object_new_object();
		json_object_object_add(response, "headers", h);
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < sizeof HEADERS / sizeof HEADERS[0] && strcmp(HEADERS[k][0], names[i]) != 0)
			k++;
		if (required && k < sizeof HEADERS / sizeof HEADERS[0])
			json_object_object_add(h, names[i], header_object(k, true));
		else
			json_object_object_add(h, names[i], ref_to("headers", names[i]));
	}
}

/* Adds the named components.headers to response (sent on some answers). */
static void add_headers(struct json_object *response, const char *const *names, size_t n)
{
	add_headers_as(response, names, n, false);
}

static const char *const RATE_HEADERS[] = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};

/* ---- responses of one operation, from its route record ---- */

/* Whether a request of r may carry a body (so 408, 413 and 415 apply). */
static bool takes_body(const struct route *r)
{
	return strcmp(r->method, "GET") != 0;
}

static bool is_openai(const struct route *r)
{
	return r->errors == CF_ERRORS_OPENAI;
}

/* The error body schema of status on r: OpenAI's on its routes, else the
 * families the status has (docs/API.md §1.2). Caller owns it. */
static struct json_object *error_schema(const struct route *r, int status)
{
	if (is_openai(r))
		return ref_to("schemas", "OpenAIError");
	if (status == 429)
		return ref_to("schemas", "RateLimitError");
	const char *families[4] = {"DetailError", NULL, NULL, NULL};
	struct schema_use req = schema_use_of(r->request_schema);
	bool form = strcmp(req.media, "application/x-www-form-urlencoded") == 0 && r->request_schema != NULL;
	if (status == 400 && form) {
		families[1] = "OAuthError";
	} else if (status == 400) {
		families[1] = "FieldErrors";
		families[2] = "AdHocError";
	} else if (status == 404) {
		families[1] = "AdHocError";
		families[2] = r->request_schema != NULL && !form ? "ParticipantsNotFoundError" : NULL;
	} else if (status == 401 && form) {
		families[1] = "OAuthError";
	} else if (status == 403 && r->auth == ROUTE_AUTH_CHAT) {
		families[1] = "ChatAccessDenied";   /* the X-Session-Token refusal */
	}
	/* a reply task that failed for good is a 400 or 500 of its poll */
	if ((status == 400 || status == 500) && r->response_schema != NULL &&
	    strcmp(r->response_schema, "ChatTaskPoll") == 0) {
		size_t i = 1;
		while (families[i] != NULL)
			i++;
		families[i] = "ChatTaskPollError";
	}
	if (families[1] == NULL)
		return ref_to("schemas", families[0]);
	struct json_object *any = json_object_new_array(), *o = json_object_new_object();
	for (size_t i = 0; i < 4 && families[i] != NULL; i++)
		json_object_array_add(any, ref_to("schemas", families[i]));
	json_object_object_add(o, "anyOf", any);
	return o;
}

/* Whether r is the browser's authorization pair, whose unknown client,
 * redirect URI, CSRF and team errors are pages (docs/API.md §16.4). */
static bool errors_as_pages(const struct route *r)
{
	return strcmp(r->pattern, "/o/authorize/") == 0;
}

static void add_error(struct json_object *responses, const struct route *r, int status, const char *description)
{
	char code[8];
	snprintf(code, sizeof code, "%d", status);
	struct json_object *resp = json_object_new_object(), *content = json_object_new_object();
	struct json_object *media = json_object_new_object();
	json_object_object_add(resp, "description", json_object_new_string(description));
	json_object_object_add(media, "schema", error_schema(r, status));
	json_object_object_add(content, "application/json", media);
	if (errors_as_pages(r) && (status == 400 || status == 403)) {
		struct json_object *page = content_of("text/html", "HtmlPage"), *m = NULL;
		json_object_object_get_ex(page, "text/html", &m);
		json_object_object_add(content, "text/html", json_object_get(m));
		json_object_put(page);
	}
	json_object_object_add(resp, "content", content);
	if (is_openai(r)) {
		static const char *const retry[] = {"x-should-retry"};
		add_headers(resp, retry, 1);
	}
	if (status == 401) {
		static const char *const www[] = {"WWW-Authenticate"};
		add_headers_as(resp, www, 1, true);
	} else if (status == 405) {
		static const char *const allow[] = {"Allow"};
		add_headers_as(resp, allow, 1, true);
	} else if (status == 429) {
		static const char *const after[] = {"Retry-After"};
		add_headers_as(resp, after, 1, true);
		add_headers(resp, RATE_HEADERS, 3);
	} else if (status == 503 && is_openai(r)) {
		static const char *const after[] = {"Retry-After"};
		add_headers(resp, after, 1);
	}
	json_object_object_add(responses, code, resp);
}

/* The success response of r. */
static struct json_object *success_of(const struct route *r)
{
	struct json_object *ok = json_object_new_object();
	json_object_object_add(ok, "description", json_object_new_string(r->success == 302 ? "Redirect" : "Success"));
	if (r->response_schema != NULL) {
		struct schema_use u = schema_use_of(r->response_schema);
		struct json_object *content = content_of(u.media, r->response_schema);
		if (u.events[0] != '\0') {
			/* streamed on request (stream: true): a second media type */
			struct json_object *sse = content_of("text/event-stream", u.events), *m = NULL;
			json_object_object_get_ex(sse, "text/event-stream", &m);
			json_object_object_add(content, "text/event-stream", json_object_get(m));
			json_object_put(sse);
		}
		json_object_object_add(ok, "content", content);
		if (u.etag) {
			static const char *const etag[] = {"ETag"};
			add_headers_as(ok, etag, 1, true);
		}
	}
	/* the chat API's 201s name what they made in the body only */
	if (r->success == 302 || (r->success == 201 && r->auth != ROUTE_AUTH_CHAT)) {
		static const char *const loc[] = {"Location"};
		add_headers_as(ok, loc, 1, true);
	}
	if (r->rate_limit != ROUTE_RL_NONE)
		add_headers(ok, RATE_HEADERS, 3);
	if (r->idempotent) {
		static const char *const replay[] = {"Idempotent-Replayed"};
		add_headers(ok, replay, 1);
	}
	return ok;
}

/* Every status r can answer (docs/API.md §1.1, §1.2, §14, §17). */
static struct json_object *responses_of(const struct route *r)
{
	struct json_object *responses = json_object_new_object();
	char status[8];
	snprintf(status, sizeof status, "%d", r->success);
	json_object_object_add(responses, status, success_of(r));
	if (r->response_schema != NULL && schema_use_of(r->response_schema).etag) {
		struct json_object *nm = json_object_new_object();
		static const char *const etag[] = {"ETag"};
		json_object_object_add(nm, "description", json_object_new_string("Not modified (If-None-Match matched)"));
		add_headers_as(nm, etag, 1, true);
		json_object_object_add(responses, "304", nm);
	}
	if (errors_as_pages(r) && r->success != 302) {
		/* not logged in, or an error the client is told by redirect */
		struct json_object *redirect = json_object_new_object();
		static const char *const loc[] = {"Location"};
		json_object_object_add(redirect, "description",
		                       json_object_new_string("To the login page, or back to the client with error="));
		add_headers_as(redirect, loc, 1, true);
		json_object_object_add(responses, "302", redirect);
	}
	if (strcmp(r->pattern, "/accounts/login/") == 0 && r->success == 302) {
		/* wrong credentials: the form again, with the error (§16.3) */
		struct json_object *again = json_object_new_object();
		json_object_object_add(again, "description", json_object_new_string("Wrong credentials: the form again"));
		json_object_object_add(again, "content", content_of("text/html", "HtmlPage"));
		json_object_object_add(responses, "200", again);
	}
	struct schema_use req = schema_use_of(r->request_schema);
	bool form = r->request_schema != NULL && strcmp(req.media, "application/x-www-form-urlencoded") == 0;
	bool json_body = r->request_schema != NULL && strcmp(req.media, "application/json") == 0;
	/* the OAuth token routes authenticate a client (RFC 6749 2.3); the
	 * other forms are a browser's, CSRF-checked (docs/API.md §16.3, §16.4) */
	bool client_form = form && r->tag != NULL && strcmp(r->tag, "OAuth2") == 0 && r->success == 200;
	add_error(responses, r, 400, "Malformed request, JSON or parameters; or the body's field errors");
	if (r->auth == ROUTE_AUTH_API || client_form)
		add_error(responses, r, 401, "No, unknown, revoked or expired credentials");
	if (r->auth == ROUTE_AUTH_METRICS)
		add_error(responses, r, 401, "No or a wrong bearer token (metrics_token_file)");
	if ((r->auth != ROUTE_AUTH_NONE && r->auth != ROUTE_AUTH_METRICS) || (form && !client_form))
		add_error(responses, r, 403, "Missing scope, role or write permission (on /api/chat/: also no credentials); "
		                             "a wrong CSRF token on a form");
	if (strchr(r->pattern, '{') != NULL || json_body ||
	    (r->response_schema != NULL && strncmp(r->response_schema, "Paginated", 9) == 0))
		add_error(responses, r, 404, "Not found: the path's object, an object the body names, or the cursor");
	else if (r->auth == ROUTE_AUTH_METRICS)
		add_error(responses, r, 404, "Metrics are off, or the client's address is not in metrics_allow");
	add_error(responses, r, 405, "The path does not answer this method");
	if (takes_body(r)) {
		add_error(responses, r, 408, "The body did not arrive in time");
		add_error(responses, r, 413, "Request body too large");
		add_error(responses, r, 415, "Unsupported media type of the body");
	}
	if (r->idempotent) {
		add_error(responses, r, 409, "Idempotency-Key in use by a running request");
		add_error(responses, r, 422, "Idempotency-Key reused with a different request");
	}
	if (r->rate_limit != ROUTE_RL_NONE)
		add_error(responses, r, 429, "Rate limit exceeded");
	add_error(responses, r, 500, "Confab failed");
	if (r->perm == ROUTE_PERM_INTERACT && takes_body(r)) {
		add_error(responses, r, 502, "The language model provider failed");
		add_error(responses, r, 504, "The language model provider did not answer in time");
	}
	add_error(responses, r, 503, "Service temporarily unavailable (the database is away)");
	if (strcmp(req.media, "multipart/form-data") == 0)
		add_error(responses, r, 507, "Upload storage is full");
	return responses;
}

/* The errors lighttpd and Apache answer themselves, on any request, before
 * or instead of confabd (docs/API.md §1.2.2): status -> response, each a
 * DetailError from conf/errors/. An extension of the root, since OpenAPI has
 * no place for answers no operation makes. Caller owns it. */
static struct json_object *web_server_errors(void)
{
	static const struct {
		int status;
		const char *description;
	} ERRORS[] = {
		{400, "Malformed request (the web server's or confabd's own refusal)"},
		{404, "A path outside Confab's (Apache; lighttpd passes every path to confabd)"},
		{408, "The request did not arrive in time"},
		{411, "A body without Content-Length (lighttpd)"},
		{413, "Request body over the web server's limit"},
		{414, "Request URI too long"},
		{431, "Request header fields too large"},
		{500, "The web server failed"},
		{502, "confabd did not answer"},
		{503, "confabd is down or busy"},
		{504, "confabd did not answer in time"},
	};
	struct json_object *all = json_object_new_object();
	for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
		char code[8];
		snprintf(code, sizeof code, "%d", ERRORS[i].status);
		struct json_object *resp = json_object_new_object();
		json_object_object_add(resp, "description", json_object_new_string(ERRORS[i].description));
		json_object_object_add(resp, "content", content_of("application/json", "DetailError"));
		json_object_object_add(all, code, resp);
	}
	return all;
}

/* The requestBody of r, or NULL when it declares none. */
static struct json_object *request_body_of(const struct route *r)
{
	if (r->request_schema == NULL)
		return NULL;
	struct schema_use u = schema_use_of(r->request_schema);
	struct json_object *body = json_object_new_object();
	/* an empty JSON body counts as {} (docs/API.md §1.1) */
	json_object_object_add(body, "required", json_object_new_boolean(strcmp(u.media, "application/json") != 0));
	json_object_object_add(body, "content", content_of(u.media, r->request_schema));
	return body;
}

/* The OAuth2 scopes of r's permission (docs/API.md §2.3). */
static const char *scope_of(const struct route *r)
{
	bool read = strcmp(r->method, "GET") == 0;
	switch (r->perm) {
	case ROUTE_PERM_SESSIONS: return read ? "sessions:read" : "sessions:write";
	case ROUTE_PERM_INTERACT: return "chatbots:interact";
	case ROUTE_PERM_FILES: return "files:read";
	case ROUTE_PERM_CHATBOTS: return "chatbots:read";
	case ROUTE_PERM_TRIGGER: return "chatbots:interact";
	case ROUTE_PERM_PARTICIPANTS: return read ? "participants:read" : "participants:write";
	case ROUTE_PERM_NONE: break;
	}
	return NULL;
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
		struct json_object *req = json_object_new_object(), *scopes = json_object_new_array();
		const char *scope = strcmp(names[i], "OAuth2") == 0 ? scope_of(r) : NULL;
		if (scope != NULL)
			json_object_array_add(scopes, json_object_new_string(scope));
		json_object_object_add(req, names[i], scopes);
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
	/* What each scheme is and where its credential comes from (docs/API.md §2). */
	json_object_object_add(key, "description",
	                       json_object_new_string("A team's API key, `<prefix>.<secret>`, printed once by `confabctl apikey "
	                                              "create` (read-only unless made with `--write`)."));
	json_object_object_add(bearer, "description",
	                       json_object_new_string("The same API key as `Authorization: Bearer <key>`, which is what "
	                                              "OpenAI clients send."));
	json_object_object_add(oauth, "description",
	                       json_object_new_string("OAuth2 access tokens from `/o/token/`: a user's (authorization code "
	                                              "with PKCE) or a machine's (client credentials), limited to their scopes."));
	json_object_object_add(embed, "description",
	                       json_object_new_string("The key of an `embedded_widget` channel (`confabctl channel add`), sent "
	                                              "by the chat widget from a page of one of the channel's allowed domains."));
	json_object_object_add(cookie, "description",
	                       json_object_new_string("The login cookie of a team member (`/accounts/login/`); unsafe methods "
	                                              "also need `X-CSRFToken`. Same origin only."));
	json_object_object_add(token, "description",
	                       json_object_new_string("The `session_token` that `POST /api/chat/start/` returned for this "
	                                              "session."));
	json_object_object_add(schemes, "ApiKeyAuth", key);
	json_object_object_add(schemes, "BearerAuth", bearer);
	json_object_object_add(schemes, "OAuth2", oauth);
	json_object_object_add(schemes, "EmbedKey", embed);
	json_object_object_add(schemes, "SessionCookie", cookie);
	json_object_object_add(schemes, "SessionToken", token);
	json_object_object_add(c, "securitySchemes", schemes);
	json_object_object_add(c, "schemas", schemas_object());
	json_object_object_add(c, "headers", headers_object());
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
	struct json_object *license = json_object_new_object();
	json_object_object_add(license, "name", json_object_new_string("MIT"));   /* LICENSE */
	json_object_object_add(license, "url", json_object_new_string("https://opensource.org/licenses/MIT"));
	json_object_object_add(info, "license", license);
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
		char method[16];
		size_t k = 0;
		for (; r->method[k] && k + 1 < sizeof method; k++)
			method[k] = (char)(r->method[k] | 0x20);
		method[k] = '\0';
		struct json_object *tags = json_object_new_array();
		json_object_array_add(tags, json_object_new_string(d ? r->tag : "Other"));
		json_object_object_add(op, "tags", tags);
		json_object_object_add(op, "summary", json_object_new_string(d ? r->summary : ""));
		char opid[160];
		snprintf(opid, sizeof opid, "%s_%s", method, path);
		for (char *c = opid; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
				*c = '_';
		json_object_object_add(op, "operationId", json_object_new_string(opid));
		struct json_object *query = d && r->query != NULL ? route_query_parse(r->query) : NULL;
		for (size_t q = 0; query != NULL && q < json_object_array_length(query); q++)
			json_object_array_add(params, json_object_get(json_object_array_get_idx(query, q)));
		json_object_put(query);
		if (json_object_array_length(params) > 0)
			json_object_object_add(op, "parameters", params);
		else
			json_object_put(params);
		json_object_object_add(op, "security", security_of(r));
		struct json_object *body = d ? request_body_of(r) : NULL;
		if (body != NULL)
			json_object_object_add(op, "requestBody", body);
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
		}
		struct json_object *responses = responses_of(r);
		json_object_object_add(op, "responses", responses);
		json_object_object_add(item, method, op);
		free(path);
	}
	json_object_object_add(doc, "paths", paths);
	json_object_object_add(doc, "components", components());
	json_object_object_add(doc, "x-web-server-errors", web_server_errors());
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
	char *url = server_url(ctx);
	struct json_object *doc = api_docs_openapi(ctx->match->table, ctx->match->table_len, url);
	struct buf page;
	buf_init(&page, CF_API_DOCS_PAGE_MAX);
	cf_status st = api_docs_html(doc, &page);
	if (st == CF_OK) {
		char script[45];
		api_docs_html_script_hash(script);
		reply_html_script(ctx->resp, CF_OK, buf_str(&page), script);
	} else if (st == CF_E_TOO_LARGE) {
		/* the document outgrew the page's ceiling: Confab's fault, not a 413 */
		log_error("api docs: the page passes CF_API_DOCS_PAGE_MAX (%ld bytes)", (long)CF_API_DOCS_PAGE_MAX);
		st = CF_E_INTERNAL;
	}
	buf_free(&page);
	json_object_put(doc);
	free(url);
	return st;
}
