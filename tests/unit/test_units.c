/* test_units.c - table-driven unit tests of the parsers and helpers that
 * handle untrusted input: UTF-8, percent-decoding, query strings, config
 * files, the router, the request layer, JSON bodies, cursors, timestamps,
 * API keys, the reply helpers, the message roles, the webhook parts (URL
 * rule, catalogue, signature, envelope, data), the HTTP client's answer
 * sinks and how a provider call stops when its listener leaves. Each row
 * names the line it is on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

#include "api_docs.h"
#include "api_docs_html.h"
#include "api_schemas.h"
#include "api_validate.h"
#include "auth.h"
#include "dispatch.h"
#include "buf.h"
#include "client_addr.h"
#include "password.h"
#include "config.h"
#include "crypto.h"
#include "cursor.h"
#include "db_stmt_cache.h"
#include "http_request.h"
#include "http_client.h"
#include "http_response.h"
#include "ids.h"
#include "limits.h"
#include "llm_backend.h"
#include "message_role.h"
#include "metrics.h"
#include "multipart.h"
#include "oauth.h"
#include "pool.h"
#include "prompt.h"
#include "ratelimit_shm.h"
#include "sse.h"
#include "router.h"
#include "status.h"
#include "timefmt.h"
#include "urlcode.h"
#include "utf8.h"
#include "waiters.h"
#include "webhooks_events.h"
#include "webhooks_payload.h"
#include "webhooks_sign.h"
#include "webhooks_urls.h"
#include "read_cache.h"
#include "secretbox.h"
#include "xalloc.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_utf8(void)
{
	static const struct {
		int line;
		const char *s;
		size_t len;
		bool valid;
	} cases[] = {
		{__LINE__, "plain ascii", 11, true},
		{__LINE__, "caf\xc3\xa9", 5, true},
		{__LINE__, "\xe2\x82\xac", 3, true},
		{__LINE__, "\xf0\x9f\x98\x80", 4, true},
		{__LINE__, "\xf4\x8f\xbf\xbf", 4, true},        /* U+10FFFF */
		{__LINE__, "\xc0\x80", 2, false},                /* overlong NUL */
		{__LINE__, "\xe0\x80\x80", 3, false},            /* overlong */
		{__LINE__, "\xed\xa0\x80", 3, false},            /* surrogate */
		{__LINE__, "\xf4\x90\x80\x80", 4, false},        /* > U+10FFFF */
		{__LINE__, "\xc3", 1, false},                    /* truncated at the end */
		{__LINE__, "\xe2\x82", 2, false},
		{__LINE__, "\x80", 1, false},                    /* stray continuation */
		{__LINE__, "\xff", 1, false},
		{__LINE__, "a\xc3(", 3, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ok(utf8_valid(cases[i].s, cases[i].len) == cases[i].valid, "utf8_valid line %d", cases[i].line);
	is_int(utf8_length("caf\xc3\xa9", 5), 4, "utf8_length counts code points");
}

static void test_url_decode(void)
{
	static const struct {
		int line;
		const char *in;
		bool plus;
		cf_status st;
		const char *out;
	} cases[] = {
		{__LINE__, "a%20b", false, CF_OK, "a b"},
		{__LINE__, "a+b", true, CF_OK, "a b"},
		{__LINE__, "a+b", false, CF_OK, "a+b"},
		{__LINE__, "%C3%A9", false, CF_OK, "\xc3\xa9"},
		{__LINE__, "%", false, CF_E_BAD_REQUEST, NULL},
		{__LINE__, "%4", false, CF_E_BAD_REQUEST, NULL},
		{__LINE__, "%zz", false, CF_E_BAD_REQUEST, NULL},
		{__LINE__, "a%00b", false, CF_E_BAD_REQUEST, NULL},
		{__LINE__, "%ff", false, CF_E_BAD_REQUEST, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		cf_status st = url_decode(cases[i].in, strlen(cases[i].in), cases[i].plus, &out);
		is_int(st, cases[i].st, "url_decode status line %d", cases[i].line);
		if (cases[i].out != NULL)
			is_str(out, cases[i].out, "url_decode value line %d", cases[i].line);
		free(out);
	}
	char *enc = url_encode_component("a b/c?d=é~");
	is_str(enc, "a%20b%2Fc%3Fd%3D%C3%A9~", "url_encode_component escapes all but unreserved");
	char *dec = NULL;
	ok(url_decode(enc, strlen(enc), false, &dec) == CF_OK && strcmp(dec, "a b/c?d=é~") == 0, "encode/decode round trip");
	free(enc);
	free(dec);
}

static void test_query_parse(void)
{
	struct kv_list l;
	ok(query_parse("a=1&b=2&a=3&&c&d=", 10, &l) == CF_OK, "query_parse accepts repeated and empty pairs");
	is_int(l.count, 5, "empty pairs skipped, repeated keys kept");
	is_str(l.items[0].key, "a", "order kept (first)");
	is_str(l.items[2].value, "3", "order kept (repeat)");
	is_str(kv_list_get(&l, "a"), "1", "kv_list_get returns the first value");
	is_str(kv_list_get(&l, "c"), "", "a key without '=' has an empty value");
	ok(kv_list_get(&l, "zz") == NULL, "absent key is NULL");
	kv_list_free(&l);
	ok(query_parse("a=1&b=2&c=3", 2, &l) == CF_E_BAD_REQUEST, "more pairs than allowed is rejected");
	ok(query_parse("a=%zz", 2, &l) == CF_E_BAD_REQUEST, "a bad escape is rejected");
	ok(query_parse("tags=a%2Cb", 2, &l) == CF_OK && strcmp(kv_list_get(&l, "tags"), "a,b") == 0, "escaped comma");
	kv_list_free(&l);
}

static void test_config(void)
{
	static const struct {
		int line;
		const char *text;
		bool good;
		const char *err_part;
	} cases[] = {
		{__LINE__, "# comment\n\nworkers = 7\nlisten = 127.0.0.1:9000\n", true, NULL},
		{__LINE__, "workers = 2\nwokers = 3\n", false, "t.conf:2: unknown key \"wokers\""},
		{__LINE__, "workers = many\n", false, "t.conf:1: workers must be an integer"},
		{__LINE__, "workers = 0\n", false, "t.conf:1: workers"},
		{__LINE__, "workers = 1025\n", false, "t.conf:1: workers"},
		{__LINE__, "workers = 8\nmax_workers = 4\n", false, "max_workers (4) is below workers (8)"},
		{__LINE__, "min_spare_workers = 9\nmax_spare_workers = 3\n", false, "min_spare_workers (9)"},
		{__LINE__, "max_workers = 0\n", false, "t.conf:1: max_workers"},
		{__LINE__, "workers = 2\nmax_workers = 600\nmin_spare_workers = 0\n", true, NULL},
		{__LINE__, "listen_mode = 660\n", false, "octal"},
		{__LINE__, "listen_mode = 0999\n", false, "octal"},
		{__LINE__, "log_level = loud\n", false, "log_level"},
		{__LINE__, "listen_allow_remote = maybe\n", false, "true or false"},
		{__LINE__, "url_prefix = confab\n", false, "url_prefix"},
		{__LINE__, "url_prefix = /confab/\n", false, "url_prefix"},
		{__LINE__, "url_prefix = /confab\n", true, NULL},
		{__LINE__, "just words\n", false, "t.conf:1: expected"},
		{__LINE__, "db_name =\n", false, "must not be empty"},
		{__LINE__, "max_body_bytes = 10\n", false, "max_body_bytes"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config cfg;
		char err[256] = "";
		config_defaults(&cfg);
		cf_status st = config_parse(&cfg, "t.conf", cases[i].text, err, sizeof err);
		ok((st == CF_OK) == cases[i].good, "config_parse line %d", cases[i].line);
		if (cases[i].err_part != NULL)
			ok(strstr(err, cases[i].err_part) != NULL, "config error names it, line %d (%s)", cases[i].line, err);
		config_free(&cfg);
	}
	struct config cfg;
	char err[256];
	config_defaults(&cfg);
	ok(config_parse(&cfg, "t", "workers = 7\nlisten_mode = 0600\ndb_socket = /x.sock\nauth_cache_seconds = 0\n", err,
	                sizeof err) == CF_OK, "a good config parses");
	is_int(cfg.workers, 7, "workers applied");
	is_int(cfg.listen_mode, 0600, "listen_mode is octal");
	is_str(cfg.db_socket, "/x.sock", "db_socket applied");
	is_int(cfg.auth_cache_seconds, 0, "auth_cache_seconds applied");
	is_int(cfg.max_body_bytes, CF_DEFAULT_MAX_BODY_BYTES, "defaults kept for absent keys");
	is_int(cfg.max_workers, 64, "max_workers defaults to 64");
	config_free(&cfg);
	config_defaults(&cfg);
	ok(config_parse(&cfg, "t", "workers = 100\n", err, sizeof err) == CF_OK, "workers above 64 parse");
	is_int(cfg.max_workers, 100, "max_workers follows a larger workers");
	config_free(&cfg);
}

static void test_pool(void)
{
	struct pool_policy p = {4, 100, 2, 8};
	struct pool_state st = {0};
	is_int(pool_adjust(&p, &st, 2, 2), 2, "pool: below the minimum, refill to it");
	is_int(pool_adjust(&p, &st, 4, 4), 0, "pool: enough spare workers, nothing to do");
	is_int(pool_adjust(&p, &st, 4, 1), 1, "pool: one spare short, start one");
	is_int(pool_adjust(&p, &st, 5, 0), 2, "pool: still short on the next tick, the batch doubles");
	is_int(pool_adjust(&p, &st, 7, 0), 4, "pool: and doubles again");
	int active = 11, ticks = 0;
	while (active < 100 && ticks < 100) {
		int d = pool_adjust(&p, &st, active, 0);
		ok(d > 0 && d <= CF_POOL_MAX_BATCH, "pool: a busy pool grows by at most the batch (%d)", d);
		active += d;
		ticks++;
	}
	is_int(active, 100, "pool: grows to max_workers and not beyond");
	ok(ticks <= 5, "pool: from 11 to 100 workers in few ticks (%d)", ticks);
	is_int(pool_adjust(&p, &st, 100, 0), 0, "pool: at max_workers, nothing more");
	is_int(pool_adjust(&p, &st, 100, 4), 0, "pool: between the spare bounds, nothing");
	is_int(pool_adjust(&p, &st, 100, 9), -1, "pool: one idle too many, stop one");
	is_int(pool_adjust(&p, &st, 100, 100), -5, "pool: many idle, stop a fraction of the excess");
	struct pool_policy lean = {4, 100, 0, 1};
	is_int(pool_adjust(&lean, &st, 40, 40), -2, "pool: 39 too many idle, stop 2 in one tick");
	is_int(pool_adjust(&lean, &st, 5, 5), -1, "pool: shrink down to the minimum ...");
	is_int(pool_adjust(&lean, &st, 4, 4), 0, "pool: ... and never below it");
	struct pool_policy fixed = {4, 4, 2, 8};
	is_int(pool_adjust(&fixed, &st, 4, 0), 0, "pool: max_workers = workers keeps the pool fixed");
	is_int(pool_adjust(&fixed, &st, 4, 4), 0, "pool: a fixed pool never shrinks");
}

static cf_status dummy(struct handler_ctx *ctx)
{
	(void)ctx;
	return CF_OK;
}

static void test_router(void)
{
	static const struct route table[] = {
		{"GET", "/api/sessions/", .handler = dummy, .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_NONE},
		{"POST", "/api/sessions/", .handler = dummy, .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_NONE},
		{"GET", "/api/sessions/{id:seg}/", .handler = dummy, .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_NONE},
		{"POST", "/api/openai/{experiment_id:uuid}/chat/completions", .handler = dummy, .auth = ROUTE_AUTH_API,
		 .perm = ROUTE_PERM_NONE},
		{"POST", "/api/openai/{experiment_id:uuid}/v{version:int}/chat/completions", .handler = dummy,
		 .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_NONE},
	};
	static const struct {
		int line;
		const char *method, *path;
		cf_status st;
		int index;
		const char *pname, *pvalue;
	} cases[] = {
		{__LINE__, "GET", "/api/sessions/", CF_OK, 0, NULL, NULL},
		{__LINE__, "HEAD", "/api/sessions/", CF_OK, 0, NULL, NULL},
		{__LINE__, "POST", "/api/sessions/", CF_OK, 1, NULL, NULL},
		{__LINE__, "DELETE", "/api/sessions/", CF_E_METHOD, -1, NULL, NULL},
		{__LINE__, "GET", "/api/sessions", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/sessions/abc-123/", CF_OK, 2, "id", "abc-123"},
		{__LINE__, "GET", "/api/sessions/a.b/", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/sessions//", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "POST", "/api/openai/5F1C2D3E-8A9B-4C7D-9E0F-1A2B3C4D5E6F/chat/completions", CF_OK, 3,
		 "experiment_id", "5F1C2D3E-8A9B-4C7D-9E0F-1A2B3C4D5E6F"},
		{__LINE__, "POST", "/api/openai/not-a-uuid/chat/completions", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "POST", "/api/openai/5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6f/v12/chat/completions", CF_OK, 4,
		 "version", "12"},
		{__LINE__, "POST", "/api/openai/5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6f/vx/chat/completions", CF_E_NOT_FOUND,
		 -1, NULL, NULL},
		{__LINE__, "POST", "/api/openai/5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6f/v1234567890/chat/completions",
		 CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/openai/5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6f/chat/completions", CF_E_METHOD, -1,
		 NULL, NULL},
		/* the /api/v1/ alias (docs/API.md §1.4): the same routes, once */
		{__LINE__, "GET", "/api/v1/sessions/", CF_OK, 0, NULL, NULL},
		{__LINE__, "POST", "/api/v1/sessions/", CF_OK, 1, NULL, NULL},
		{__LINE__, "DELETE", "/api/v1/sessions/", CF_E_METHOD, -1, NULL, NULL},
		{__LINE__, "GET", "/api/v1/sessions/abc-123/", CF_OK, 2, "id", "abc-123"},
		{__LINE__, "POST", "/api/v1/openai/5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6f/v3/chat/completions", CF_OK, 4,
		 "version", "3"},
		{__LINE__, "GET", "/api/v1/sessions", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/v1/v1/sessions/", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/v2/sessions/", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/V1/sessions/", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/v1", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/api/v1/", CF_E_NOT_FOUND, -1, NULL, NULL},
		{__LINE__, "GET", "/v1/api/sessions/", CF_E_NOT_FOUND, -1, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct route_match m;
		cf_status st = router_match(table, 5, cases[i].method, cases[i].path, &m);
		is_int(st, cases[i].st, "router status line %d", cases[i].line);
		if (cases[i].index >= 0)
			ok(m.route == &table[cases[i].index], "router picks the route, line %d", cases[i].line);
		if (cases[i].pname != NULL)
			is_str(route_param(&m, cases[i].pname), cases[i].pvalue, "router parameter, line %d", cases[i].line);
		route_match_free(&m);
	}
	struct route_match m;
	is_int(router_match(table, 5, "DELETE", "/api/sessions/", &m), CF_E_METHOD, "DELETE on a GET/POST path");
	is_str(m.allow, "GET, POST, HEAD, OPTIONS", "405 Allow lists methods, HEAD and OPTIONS");
	route_match_free(&m);
	const char *rest = NULL;
	ok(router_v1_alias("/api/v1/chat/start/", &rest) && strcmp(rest, "/chat/start/") == 0,
	   "router_v1_alias: the rest starts at the slash after v1");
	ok(!router_v1_alias("/api/chat/start/", &rest) && !router_v1_alias("/api/v1", &rest),
	   "router_v1_alias: only paths under /api/v1/");
}

static cf_status build_request(struct request *req, const char *const *params, const char *prefix)
{
	struct request_source src = {params, prefix};
	request_init(req);
	return request_from_params(req, &src);
}

static void test_request(void)
{
	struct request req;
	const char *const p1[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/confab/api/sessions/%C3%A9/?tags=a%2Cb&x=1&x=2",
	                          "HTTP_HOST=example.org:8443", "HTTP_X_FORWARDED_PROTO=https", "HTTP_X_API_KEY=k.1",
	                          "CONTENT_TYPE=application/json", NULL};
	is_int(build_request(&req, p1, "/confab"), CF_OK, "request from FastCGI params");
	is_str(req.path, "/api/sessions/\xc3\xa9/", "path decoded and prefix stripped");
	is_str(req.raw_path, "/api/sessions/%C3%A9/", "raw path kept");
	is_str(request_query(&req, "tags"), "a,b", "query decoded");
	is_int(req.query.count, 3, "repeated query keys kept");
	is_str(req.scheme, "https", "X-Forwarded-Proto https gives https");
	is_str(req.host, "example.org:8443", "Host kept");
	is_str(request_header(&req, "x-api-key"), "k.1", "headers lower-cased with '-'");
	is_str(request_header(&req, "content-type"), "application/json", "CONTENT_TYPE is a header too");
	is_int(strlen(req.request_id), 16, "a request id is generated");
	char *base = request_base_url(&req, "/confab");
	is_str(base, "https://example.org:8443/confab", "base URL: scheme, host with its port, the mount point");
	free(base);
	base = request_base_url(&req, "");
	is_str(base, "https://example.org:8443", "base URL without a mount point: no trailing slash");
	free(base);
	request_free(&req);

	static const struct {
		int line;
		const char *uri, *host, *extra;
		const char *prefix;
		cf_status st;
	} bad[] = {
		{__LINE__, "/api/%ff/", "h", NULL, "", CF_E_BAD_REQUEST},
		{__LINE__, "/api/%00/", "h", NULL, "", CF_E_BAD_REQUEST},
		{__LINE__, "/api/?a=%zz", "h", NULL, "", CF_E_BAD_REQUEST},
		{__LINE__, "/api/", "evil host", NULL, "", CF_E_BAD_REQUEST},
		{__LINE__, "/api/", "h/x", NULL, "", CF_E_BAD_REQUEST},
		{__LINE__, "/other/api/", "h", NULL, "/confab", CF_E_NOT_FOUND},
		{__LINE__, "/confabx/api/", "h", NULL, "/confab", CF_E_NOT_FOUND},
		{__LINE__, "no-slash", "h", NULL, "", CF_E_BAD_REQUEST},
		{__LINE__, "/api/", "h", "HTTP_X_BAD=a\x01z", "", CF_E_BAD_REQUEST},
		{__LINE__, "/api/", "h", "HTTP_X_BAD=\xff", "", CF_E_BAD_REQUEST},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char uri[256], host[64];
		snprintf(uri, sizeof uri, "REQUEST_URI=%s", bad[i].uri);
		snprintf(host, sizeof host, "HTTP_HOST=%s", bad[i].host);
		const char *const p[] = {"REQUEST_METHOD=GET", uri, host, bad[i].extra, NULL};
		is_int(build_request(&req, p, bad[i].prefix), bad[i].st, "request rejected, line %d", bad[i].line);
		request_free(&req);
	}
	const char *const p2[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", "HTTP_X_REQUEST_ID=abc-123_XYZ", "HTTPS=on", NULL};
	is_int(build_request(&req, p2, ""), CF_OK, "request with an id");
	is_str(req.request_id, "abc-123_XYZ", "a well-formed X-Request-Id is kept");
	is_str(req.scheme, "https", "HTTPS=on gives https");
	request_free(&req);
	const char *const p3[] = {"REQUEST_METHOD=get", "REQUEST_URI=/x", NULL};
	is_int(build_request(&req, p3, ""), CF_E_BAD_REQUEST, "a lower-case method is rejected");
	request_free(&req);
	const char *const p4[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/x", "HTTP_COOKIE=a=1; sessionid=abc; csrftoken=zz", NULL};
	is_int(build_request(&req, p4, ""), CF_OK, "request with cookies");
	char value[16];
	ok(request_cookie(&req, "sessionid", value, sizeof value) && strcmp(value, "abc") == 0, "cookie found");
	ok(!request_cookie(&req, "session", value, sizeof value), "cookie names match exactly");
	ok(!request_cookie(&req, "csrftoken", value, 2), "a cookie longer than the buffer is refused");
	request_free(&req);
}

static void test_json_body(void)
{
	static const struct {
		int line;
		const char *ctype, *body;
		cf_status st;
		const char *err_prefix;
	} cases[] = {
		{__LINE__, "application/json", "{\"a\":1}", CF_OK, NULL},
		{__LINE__, "application/json; charset=utf-8", "[1,2]", CF_OK, NULL},
		{__LINE__, "Application/JSON", "42", CF_OK, NULL},
		{__LINE__, "text/plain", "{}", CF_E_MEDIA_TYPE, "Unsupported media type \"text/plain\" in request."},
		{__LINE__, "application/json", "{\"a\":", CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "{} x", CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "{\"a\":\"\xff\"}", CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		 CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "{'a':1}", CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "[NaN]", CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "{\"a\":Infinity}", CF_E_BAD_REQUEST, "JSON parse error - "},
		{__LINE__, "application/json", "{\"it's\":\"NaN \\\" ok\"}", CF_OK, NULL},
		{__LINE__, "application/json", "[true,false,null,-1.5e3]", CF_OK, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct request req;
		request_init(&req);
		req.content_type = strdup(cases[i].ctype);
		request_set_body(&req, strdup(cases[i].body), strlen(cases[i].body));
		struct json_object *obj = NULL;
		char err[256] = "";
		cf_status st = request_json_body(&req, &obj, err, sizeof err);
		is_int(st, cases[i].st, "json body status, line %d", cases[i].line);
		if (cases[i].err_prefix != NULL)
			ok(strncmp(err, cases[i].err_prefix, strlen(cases[i].err_prefix)) == 0, "json error text, line %d (%s)",
			   cases[i].line, err);
		json_object_put(obj);
		request_free(&req);
	}
	struct request req;
	request_init(&req);
	req.content_type = strdup("");
	struct json_object *obj = NULL;
	char err[64];
	ok(request_json_body(&req, &obj, err, sizeof err) == CF_OK && json_object_is_type(obj, json_type_object),
	   "no body parses as an empty object");
	json_object_put(obj);
	request_free(&req);
}

static void test_replies(void)
{
	static const struct {
		int line;
		int kind;   /* 0 detail, 1 error, 2 field, 3 openai */
		cf_status st;
		const char *msg;
		int http;
		const char *body;
	} cases[] = {
		{__LINE__, 0, CF_E_NOT_FOUND, NULL, 404, "{\"detail\":\"Not found.\"}"},
		{__LINE__, 0, CF_E_NO_CREDENTIALS, NULL, 401, "{\"detail\":\"Authentication credentials were not provided.\"}"},
		{__LINE__, 0, CF_E_BAD_CREDENTIALS, NULL, 401, "{\"detail\":\"Invalid token.\"}"},
		{__LINE__, 0, CF_E_FORBIDDEN, NULL, 403, "{\"detail\":\"You do not have permission to perform this action.\"}"},
		{__LINE__, 1, CF_E_NOT_FOUND, "Session not found: x", 404, "{\"error\":\"Session not found: x\"}"},
		{__LINE__, 2, CF_E_BAD_REQUEST, "This field is required.", 400, "{\"experiment\":[\"This field is required.\"]}"},
		{__LINE__, 3, CF_E_BAD_REQUEST, "No messages provided", 400,
		 "{\"detail\":\"No messages provided\",\"error\":{\"message\":\"No messages provided\","
		 "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"},
		{__LINE__, 3, CF_E_BAD_CREDENTIALS, NULL, 401,
		 "{\"detail\":\"Invalid token.\",\"error\":{\"message\":\"Invalid token.\","
		 "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"},
		{__LINE__, 3, CF_E_UPSTREAM, "The chatbot's LLM provider failed to answer.", 502,
		 "{\"detail\":\"The chatbot's LLM provider failed to answer.\",\"error\":{\"message\":"
		 "\"The chatbot's LLM provider failed to answer.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct response resp;
		response_init(&resp);
		switch (cases[i].kind) {
		case 0: reply_detail(&resp, cases[i].st, cases[i].msg); break;
		case 1: reply_error(&resp, cases[i].st, cases[i].msg); break;
		case 2: reply_field_error(&resp, "experiment", cases[i].msg); break;
		default: reply_openai_error(&resp, cases[i].st, cases[i].msg); break;
		}
		is_int(resp.http_status, cases[i].http, "reply status, line %d", cases[i].line);
		is_str(buf_str(&resp.body), cases[i].body, "reply body, line %d", cases[i].line);
		if (cases[i].http == 401)
			is_str(kv_list_get(&resp.headers, "WWW-Authenticate"), "Bearer realm=\"api\"", "401 challenge, line %d",
			       cases[i].line);
		response_free(&resp);
	}
	struct response resp;
	response_init(&resp);
	response_set_cookie(&resp, "sessionid", "abc", 60, true, false);
	reply_created(&resp, json_object_new_object(), "http://h/api/sessions/x/");
	is_int(resp.http_status, 201, "reply_created is 201");
	is_str(kv_list_get(&resp.headers, "Location"), "http://h/api/sessions/x/", "reply_created sets Location");
	ok(kv_list_get(&resp.headers, "Set-Cookie") != NULL, "a cookie set earlier survives the reply");
	reply_empty(&resp);
	ok(resp.http_status == 200 && !resp.has_body, "reply_empty: 200 without a body");
	response_free(&resp);
}

/* OpenAI's error object on the OpenAI routes (docs/API.md §1.2.1): built by
 * the handler, added to the other families' bodies, the param of a
 * field-errors tree, the retry hints, and the table behind them. */
static void test_openai_errors(void)
{
	static const struct {
		int line;
		const char *fields;   /* a field-errors body */
		const char *param;    /* NULL: none */
	} params[] = {
		{__LINE__, "{\"messages\":[\"Not a list.\"]}", "messages"},
		{__LINE__, "{\"messages\":[{},{},{\"role\":[\"\\\"wizard\\\" is not a valid choice.\"]}]}", "messages.[2].role"},
		{__LINE__, "{\"attachment_ids\":{\"3\":[\"A valid integer is required.\"]}}", "attachment_ids.[3]"},
		{__LINE__, "{\"a\":{\"b\":{\"c\":[\"x\"]}}}", "a.b.c"},
		{__LINE__, "{\"non_field_errors\":[\"Bad body.\"]}", NULL},
		{__LINE__, "{}", NULL},
		{__LINE__, "{\"messages\":[{},{}]}", "messages"},
	};
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		struct json_object *f = json_tokener_parse(params[i].fields);
		char out[128];
		bool named = openai_error_param(f, out, sizeof out);
		if (params[i].param == NULL)
			ok(!named, "no param for %s, line %d", params[i].fields, params[i].line);
		else
			is_str(named ? out : "(none)", params[i].param, "param of %s, line %d", params[i].fields,
			       params[i].line);
		json_object_put(f);
	}
	struct json_object *deep = json_tokener_parse("{\"messages\":[{},{\"content\":[\"x\"]}]}");
	char tiny[12];
	ok(!openai_error_param(deep, tiny, sizeof tiny), "a param that does not fit is none, not a cut name");
	json_object_put(deep);

	/* the other families' bodies, finished for an OpenAI route */
	static const struct {
		int line;
		int kind;   /* 0 detail, 1 field errors, 2 the rate limiter's body, 3 OpenAI's already */
		cf_status st;
		const char *msg;
		const char *body;
		const char *should_retry;   /* NULL: no header */
		const char *retry_after;
	} finished[] = {
		{__LINE__, 0, CF_E_NOT_FOUND, NULL,
		 "{\"detail\":\"Not found.\",\"error\":{\"message\":\"Not found.\",\"type\":\"invalid_request_error\","
		 "\"param\":null,\"code\":null}}", "false", NULL},
		{__LINE__, 0, CF_E_NO_CREDENTIALS, NULL,
		 "{\"detail\":\"Authentication credentials were not provided.\",\"error\":{\"message\":"
		 "\"Authentication credentials were not provided.\",\"type\":\"invalid_request_error\",\"param\":null,"
		 "\"code\":\"invalid_api_key\"}}", "false", NULL},
		{__LINE__, 0, CF_E_FORBIDDEN, NULL,
		 "{\"detail\":\"You do not have permission to perform this action.\",\"error\":{\"message\":"
		 "\"You do not have permission to perform this action.\",\"type\":\"request_forbidden\",\"param\":null,"
		 "\"code\":\"permission_denied\"}}", "false", NULL},
		{__LINE__, 0, CF_E_DB_UNAVAILABLE, "Database unavailable.",
		 "{\"detail\":\"Database unavailable.\",\"error\":{\"message\":\"Database unavailable.\","
		 "\"type\":\"server_error\",\"param\":null,\"code\":null}}", "true", "2"},
		{__LINE__, 0, CF_E_INTERNAL, NULL,
		 "{\"detail\":\"A server error occurred.\",\"error\":{\"message\":\"A server error occurred.\","
		 "\"type\":\"server_error\",\"param\":null,\"code\":null}}", NULL, NULL},
		{__LINE__, 1, CF_E_BAD_REQUEST, "This field is required.",
		 "{\"experiment\":[\"This field is required.\"],\"error\":{\"message\":"
		 "\"{\\\"experiment\\\":[\\\"This field is required.\\\"]}\",\"type\":\"invalid_request_error\","
		 "\"param\":\"experiment\",\"code\":null}}", "false", NULL},
		{__LINE__, 2, CF_E_RATE_LIMITED, NULL,
		 "{\"detail\":\"Rate limit exceeded.\",\"available_in\":7,\"error\":{\"message\":\"Rate limit exceeded.\","
		 "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}", "true", "7"},
		{__LINE__, 3, CF_E_NOT_FOUND, "No Experiment matches the given query.",
		 "{\"detail\":\"No Experiment matches the given query.\",\"error\":{\"message\":"
		 "\"No Experiment matches the given query.\",\"type\":\"invalid_request_error\",\"param\":null,"
		 "\"code\":\"model_not_found\"}}", "false", NULL},
	};
	for (size_t i = 0; i < sizeof finished / sizeof finished[0]; i++) {
		struct response resp;
		response_init(&resp);
		switch (finished[i].kind) {
		case 0: reply_detail(&resp, finished[i].st, finished[i].msg); break;
		case 1: reply_field_error(&resp, "experiment", finished[i].msg); break;
		case 2: {
			struct json_object *b = json_object_new_object();
			json_object_object_add(b, "detail", json_object_new_string(cf_status_detail(CF_E_RATE_LIMITED)));
			json_object_object_add(b, "available_in", json_object_new_int(7));
			reply_json_status(&resp, CF_E_RATE_LIMITED, b);
			response_add_header(&resp, "Retry-After", "7");
			break;
		}
		default:
			reply_openai_error_at(&resp, finished[i].st, finished[i].msg, NULL, "model_not_found");
			break;
		}
		response_openai_errors(&resp);
		response_openai_errors(&resp);   /* twice changes nothing more */
		is_str(buf_str(&resp.body), finished[i].body, "finished body, line %d", finished[i].line);
		const char *sr = kv_list_get(&resp.headers, "x-should-retry");
		is_str(sr ? sr : "(none)", finished[i].should_retry ? finished[i].should_retry : "(none)",
		       "x-should-retry, line %d", finished[i].line);
		const char *ra = kv_list_get(&resp.headers, "Retry-After");
		is_str(ra ? ra : "(none)", finished[i].retry_after ? finished[i].retry_after : "(none)",
		       "Retry-After, line %d", finished[i].line);
		size_t hints = 0;
		for (size_t h = 0; h < resp.headers.count; h++)
			hints += strcmp(resp.headers.items[h].key, "x-should-retry") == 0 ||
			         strcmp(resp.headers.items[h].key, "Retry-After") == 0;
		is_int(hints, (finished[i].should_retry != NULL) + (finished[i].retry_after != NULL),
		       "each hint once, line %d", finished[i].line);
		response_free(&resp);
	}
	/* what is left alone: successes, the "error" string family, non-JSON */
	struct response resp;
	response_init(&resp);
	reply_json(&resp, json_object_new_object());
	response_openai_errors(&resp);
	ok(strcmp(buf_str(&resp.body), "{}") == 0 && kv_list_get(&resp.headers, "x-should-retry") == NULL,
	   "a success is left alone");
	reply_error(&resp, CF_E_NOT_FOUND, "Session not found: x");
	response_openai_errors(&resp);
	is_str(buf_str(&resp.body), "{\"error\":\"Session not found: x\"}", "an {\"error\": text} body is left alone");
	reply_html(&resp, CF_E_NOT_FOUND, "<p>no</p>");
	response_openai_errors(&resp);
	is_str(buf_str(&resp.body), "<p>no</p>", "an HTML body is left alone");
	/* a replay: known by its HTTP status only */
	reply_detail(&resp, CF_E_UNPROCESSABLE, "Idempotency-Key reused with a different request.");
	resp.status = CF_OK;
	response_openai_errors(&resp);
	ok(strstr(buf_str(&resp.body), "\"type\":\"invalid_request_error\"") != NULL &&
	       strcmp(kv_list_get(&resp.headers, "x-should-retry"), "false") == 0,
	   "a replayed 422 is finished by its HTTP status");
	/* the handler's own hint wins */
	reply_openai_error(&resp, CF_E_UPSTREAM, "The chatbot's LLM provider failed to answer.");
	response_retry_hint(&resp, CF_RETRY_YES, 30);
	response_openai_errors(&resp);
	ok(strcmp(kv_list_get(&resp.headers, "x-should-retry"), "true") == 0 &&
	       strcmp(kv_list_get(&resp.headers, "Retry-After"), "30") == 0,
	   "a provider's Retry-After passes through with x-should-retry: true");
	reply_openai_error(&resp, CF_E_UPSTREAM, "The chatbot's LLM provider failed to answer.");
	response_retry_hint(&resp, CF_RETRY_NO, 30);
	response_openai_errors(&resp);
	ok(strcmp(kv_list_get(&resp.headers, "x-should-retry"), "false") == 0 &&
	       kv_list_get(&resp.headers, "Retry-After") == NULL,
	   "a refused request: x-should-retry: false and no Retry-After");
	reply_openai_error(&resp, CF_E_UPSTREAM, "The chatbot's LLM provider failed to answer.");
	response_openai_errors(&resp);
	ok(kv_list_get(&resp.headers, "x-should-retry") == NULL, "a 502 without the provider's facts gives no hint");
	response_free(&resp);

	/* the table: one OpenAI type per HTTP status (a replay's is found by
	 * it), server_error for every 5xx, a type for every error */
	const char *split = NULL;
	for (int a = 1; a < CF_STATUS_COUNT; a++) {
		const char *ta = cf_status_openai_type((cf_status)a);
		if (ta[0] == '\0' || (cf_status_http((cf_status)a) >= 500 && strcmp(ta, "server_error") != 0))
			split = cf_status_name((cf_status)a);
		for (int b = 1; b < a; b++)
			if (cf_status_http((cf_status)a) == cf_status_http((cf_status)b) &&
			    strcmp(ta, cf_status_openai_type((cf_status)b)) != 0)
				split = cf_status_name((cf_status)a);
	}
	ok(split == NULL, "status table: OpenAI types agree per HTTP status (first apart: %s)", split ? split : "none");
	is_int(cf_status_for_http(401), CF_E_NO_CREDENTIALS, "cf_status_for_http: the first row of the code");
	is_int(cf_status_for_http(418), CF_E_INTERNAL, "cf_status_for_http: an unknown code is internal");
}

static void test_misc(void)
{
	char iso[ISO_TIME_MAX];
	ok(db_time_to_iso("2026-01-15 09:30:12.000000", iso) && strcmp(iso, "2026-01-15T09:30:12Z") == 0,
	   "zero microseconds are dropped");
	ok(db_time_to_iso("2026-01-15 09:30:12.345678", iso) && strcmp(iso, "2026-01-15T09:30:12.345678Z") == 0,
	   "microseconds kept");
	ok(db_time_to_iso("2026-01-15 09:30:12", iso) && strcmp(iso, "2026-01-15T09:30:12Z") == 0, "no fraction");
	ok(!db_time_to_iso("2026-01-15T09:30:12", iso), "malformed time rejected");

	char id[UUID_STR_LEN + 1];
	ok(uuid4_generate(id) == CF_OK && uuid_valid(id) && id[14] == '4' && strchr("89ab", id[19]) != NULL,
	   "uuid4 has version 4 and the RFC variant");
	ok(uuid_valid("5F1C2D3E-8A9B-4C7D-9E0F-1A2B3C4D5E6F"), "upper-case UUID valid");
	ok(!uuid_valid("5f1c2d3e8a9b4c7d9e0f1a2b3c4d5e6f"), "UUID without hyphens invalid");
	ok(!uuid_valid("5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6g"), "non-hex UUID invalid");

	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	ok(api_key_split("Ab3dE9xQ.secret", prefix) && strcmp(prefix, "Ab3dE9xQ") == 0, "api key split");
	ok(!api_key_split("Ab3dE9x.secret", prefix), "short prefix refused");
	ok(!api_key_split("Ab3dE9xQ.", prefix), "empty secret refused");
	ok(!api_key_split("Ab3d-9xQ.secret", prefix), "non-alphanumeric prefix refused");
	char hash[137];
	api_key_hash("abc", hash);
	is_str(hash, "sha512$$ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
	             "454d4423643ce80e2a9ac94fa54ca49f", "api key hash is sha512$$ + hex SHA-512");
	char key[64];
	ok(api_key_generate(key, sizeof key) == CF_OK && strlen(key) == 41 && api_key_split(key, prefix), "key shape");

	struct buf b;
	buf_init(&b, 8);
	ok(buf_append_str(&b, "12345678") == CF_OK, "append up to the ceiling");
	ok(buf_append_str(&b, "9") == CF_E_TOO_LARGE && strcmp(buf_str(&b), "12345678") == 0,
	   "append past the ceiling fails and leaves the content");
	char *taken = buf_take(&b);
	is_str(taken, "12345678", "buf_take hands over the content");
	free(taken);
	ok(b.len == 0, "buf_take resets the buffer");

	struct cursor c = {"2026-01-15 09:30:12.004211", 42, true}, d;
	char text[CURSOR_MAX_LEN];
	ok(cursor_encode(&c, "secret", text) == CF_OK, "cursor encodes");
	ok(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == strlen(text),
	   "cursor is URL-safe");
	ok(cursor_decode(text, "secret", &d) == CF_OK && d.id == 42 && d.reverse &&
	   strcmp(d.created_at, c.created_at) == 0, "cursor round trip");
	ok(cursor_decode(text, "other", &d) == CF_E_NOT_FOUND, "cursor signed by another secret refused");
	text[0] = text[0] == 'M' ? 'N' : 'M';
	ok(cursor_decode(text, "secret", &d) == CF_E_NOT_FOUND, "tampered cursor refused");
	ok(cursor_decode("", "secret", &d) == CF_E_NOT_FOUND, "empty cursor refused");
	ok(cursor_decode("....", "secret", &d) == CF_E_NOT_FOUND, "garbage cursor refused");

	is_int(cf_status_http(CF_E_NO_CREDENTIALS), 401, "no credentials -> 401");
	is_int(cf_status_http(CF_E_METHOD), 405, "method -> 405");
	is_int(cf_status_http(CF_E_MEDIA_TYPE), 415, "media type -> 415");
	is_int(cf_status_http(CF_E_TOO_LARGE), 413, "too large -> 413");
	is_int(cf_status_http(CF_E_DB_UNAVAILABLE), 503, "database down -> 503");
	is_int(cf_status_http((cf_status)999), 500, "unknown status -> 500");
}

/* Collects SSE events as "name|data;" into a buffer. */
static cf_status collect_event(void *ctx, const struct sse_event *ev)
{
	struct buf *b = ctx;
	return buf_printf(b, "%s|%s;", ev->event, ev->data);
}

static const char *sse_parse_in_pieces(const char *input, size_t piece, struct buf *out)
{
	struct sse_parser p;
	buf_reset(out);
	sse_init(&p, 64, collect_event, out);
	size_t n = strlen(input);
	cf_status st = CF_OK;
	for (size_t i = 0; i < n && st == CF_OK; i += piece)
		st = sse_feed(&p, input + i, (n - i < piece) ? n - i : piece);
	sse_free(&p);
	return st == CF_OK ? buf_str(out) : "FAILED";
}

static void test_sse(void)
{
	static const struct {
		int line;
		const char *input;
		const char *want;
	} cases[] = {
		{__LINE__, "data: a\n\n", "|a;"},
		{__LINE__, "data:a\r\n\r\n", "|a;"},
		{__LINE__, "data: a\rdata: b\r\r", "|a\nb;"},
		{__LINE__, "event: x\ndata: {\"k\":1}\n\ndata: [DONE]\n\n", "x|{\"k\":1};|[DONE];"},
		{__LINE__, ": comment\nid: 7\nretry: 10\ndata:  two spaces\n\n", "| two spaces;"},
		{__LINE__, "event: lonely\n\ndata: b\n\n", "|b;"},
		{__LINE__, "data: unterminated", ""},
		{__LINE__, "data\n\n", "|;"},
	};
	struct buf out;
	buf_init(&out, 4096);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t piece = 1; piece <= 7; piece += 6)
			is_str(sse_parse_in_pieces(cases[i].input, piece, &out), cases[i].want, "sse line %d in %zu-byte pieces",
			       cases[i].line, piece);
	is_str(sse_parse_in_pieces("data: 0123456789012345678901234567890123456789012345678901234567890123456789\n\n", 5,
	                           &out),
	       "FAILED", "sse: a line past the bound fails");
	buf_free(&out);
}

static void test_prompt(void)
{
	struct prompt_vars v = {"{\"name\":\"Ann\"}", "{\"step\":\"intake\",\"n\":3,\"o\":{\"a\":[1]}}", "SRC", 0};
	static const struct {
		int line;
		const char *tmpl;
		const char *want;
	} cases[] = {
		{__LINE__, "plain", "plain"},
		{__LINE__, "P={participant_data}", "P={\"name\":\"Ann\"}"},
		{__LINE__, "S={source_material}.", "S=SRC."},
		{__LINE__, "{session_state.step}/{session_state.n}/{session_state.o}/{session_state.missing}|",
		 "intake/3/{\"a\":[1]}/|"},
		{__LINE__, "{current_datetime}", "Thursday, 01 January 1970 00:00:00 UTC"},
		{__LINE__, "keep {unknown} and {{braces}} and { lone", "keep {unknown} and {{braces}} and { lone"},
		{__LINE__, "{", "{"},
		{__LINE__, "}{source_material}{", "}SRC{"},
	};
	struct buf out;
	buf_init(&out, 4096);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&out);
		cf_status st = prompt_render(cases[i].tmpl, &v, &out);
		is_str(st == CF_OK ? buf_str(&out) : "FAILED", cases[i].want, "prompt line %d", cases[i].line);
	}
	ok(prompt_uses("a {session_state.x} b", "session_state"), "prompt_uses sees a dotted variable");
	ok(!prompt_uses("a {session_statex} b", "session_state"), "prompt_uses needs the whole name");
	buf_free(&out);
}

static cf_status mp_begin(void *ctx, const struct multipart_part *part)
{
	return buf_printf(ctx, "[%s|%s|", part->name, part->filename ? part->filename : "-");
}
static cf_status mp_data(void *ctx, const char *data, size_t len)
{
	return buf_append(ctx, data, len);
}
static cf_status mp_end(void *ctx)
{
	return buf_append_str(ctx, "]");
}

static const char *mp_parse(const char *body, size_t len, size_t piece, struct buf *out)
{
	struct multipart_handler h = {mp_begin, mp_data, mp_end, out};
	struct multipart_parser p;
	buf_reset(out);
	multipart_init(&p, "XyZ", &h);
	cf_status st = CF_OK;
	for (size_t i = 0; i < len && st == CF_OK; i += piece)
		st = multipart_feed(&p, body + i, len - i < piece ? len - i : piece);
	if (st == CF_OK)
		st = multipart_finish(&p);
	multipart_free(&p);
	return st == CF_OK ? buf_str(out) : "FAILED";
}

static cf_status mp_begin_type(void *ctx, const struct multipart_part *part)
{
	return buf_printf(ctx, "[%s|%s]", part->name, part->content_type);
}
static cf_status mp_skip(void *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return CF_OK;
}
static cf_status mp_none(void *ctx)
{
	(void)ctx;
	return CF_OK;
}

/* Each part's Content-Type reaches part_begin ("" when it has none): the
 * upload checks allow any text/... part (docs/API.md §10.2). */
static void test_multipart_content_type(void)
{
	static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x.log\"\r\n"
	                           "content-type:  text/plain; charset=utf-8\r\n\r\nx\r\n"
	                           "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n--XyZ--";
	struct buf out;
	buf_init(&out, 1 << 12);
	struct multipart_handler h = {mp_begin_type, mp_skip, mp_none, &out};
	struct multipart_parser p;
	multipart_init(&p, "XyZ", &h);
	cf_status st = multipart_feed(&p, body, sizeof body - 1);
	if (st == CF_OK)
		st = multipart_finish(&p);
	multipart_free(&p);
	is_str(st == CF_OK ? buf_str(&out) : "FAILED", "[a|text/plain; charset=utf-8][b|]",
	       "multipart: each part's Content-Type, \"\" when none");
	buf_free(&out);
}

static void test_multipart(void)
{
	static const struct {
		int line;
		const char *body;
		const char *want;
	} cases[] = {
		{__LINE__, "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
		           "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name=\"participant_name\"\r\n\r\n"
		           "Ann\r\n--XyZ--\r\n",
		 "[files|a.txt|hello][participant_name|-|Ann]"},
		{__LINE__, "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n"
		           "\r\n--Xy\r\n--XyQ\r\r\n--X\r\n--XyZ--",
		 "[f|b.bin|\r\n--Xy\r\n--XyQ\r\r\n--X]"},
		{__LINE__, "--XyZ\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--XyZ--", "[e|-|]"},
		{__LINE__, "--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\ntruncated", "FAILED"},
		{__LINE__, "--XyZ\r\nContent-Disposition: attachment; name=\"t\"\r\n\r\nx\r\n--XyZ--", "FAILED"},
		{__LINE__, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "FAILED"},
		{__LINE__, "no boundary at all", "FAILED"},
		{__LINE__, "--XyZ\r\n\r\nx\r\n--XyZ--", "FAILED"},
		{__LINE__, "--XyZ\r\nContent-Disposition: form-data; name=\"q\"; filename=\"we\\\"ird.txt\"\r\n\r\nx\r\n--XyZ--",
		 "[q|we\"ird.txt|x]"},
	};
	struct buf out;
	buf_init(&out, 1 << 16);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t piece = 1; piece <= 64; piece *= 4)
			is_str(mp_parse(cases[i].body, strlen(cases[i].body), piece, &out), cases[i].want,
			       "multipart line %d in %zu-byte pieces", cases[i].line, piece);
	char b[MULTIPART_BOUNDARY_MAX + 1];
	ok(multipart_boundary("multipart/form-data; boundary=----abc123", b) && strcmp(b, "----abc123") == 0,
	   "boundary parameter");
	ok(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"", b) && strcmp(b, "a b") == 0,
	   "quoted boundary");
	ok(!multipart_boundary("multipart/form-data", b), "no boundary");
	ok(!multipart_boundary("application/json; boundary=x", b), "not multipart");
	buf_free(&out);

	char db[ISO_TIME_MAX];
	ok(iso_to_db_time("2026-01-15T09:30:12Z", db) && strcmp(db, "2026-01-15 09:30:12.000000") == 0, "iso Z");
	ok(iso_to_db_time("2026-01-15T09:30:12.5+02:00", db) && strcmp(db, "2026-01-15 07:30:12.500000") == 0,
	   "iso offset and fraction");
	ok(iso_to_db_time("2026-01-15", db) && strcmp(db, "2026-01-15 00:00:00.000000") == 0, "iso date only");
	ok(iso_to_db_time("2026-01-15 09:30", db), "iso with a space and no seconds");
	ok(!iso_to_db_time("2026-02-31T00:00:00Z", db), "iso 31 February refused");
	ok(!iso_to_db_time("2026-01-15T09:30:12 02:00", db), "iso offset without sign refused");
	ok(!iso_to_db_time("yesterday", db), "iso garbage refused");
}

/* If-None-Match against an ETag (RFC 9110 section 13.1.2: weak comparison). */
static void test_etag(void)
{
	static const struct {
		int line;
		const char *list;
		bool match;
	} cases[] = {
		{__LINE__, "\"abc\"", true},
		{__LINE__, "W/\"abc\"", true},
		{__LINE__, "*", true},
		{__LINE__, "  *", true},
		{__LINE__, "\"x\", \"abc\"", true},
		{__LINE__, "\"x\",W/\"abc\"", true},
		{__LINE__, "\"x\"", false},
		{__LINE__, "abc", false},
		{__LINE__, "\"abcd\"", false},
		{__LINE__, "\"ab\"", false},
		{__LINE__, "\"abc", false},
		{__LINE__, "", false},
		{__LINE__, "*, \"x\"", false},
		{__LINE__, "w/\"abc\"", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ok(etag_list_matches(cases[i].list, "\"abc\"") == cases[i].match, "If-None-Match, line %d", cases[i].line);
	ok(!etag_list_matches(NULL, "\"abc\""), "no If-None-Match: no match");

	struct response resp;
	response_init(&resp);
	reply_json(&resp, json_tokener_parse("{\"a\":1}"));
	response_make_conditional(&resp, NULL);
	const char *etag = kv_list_get(&resp.headers, "ETag");
	ok(etag != NULL && strlen(etag) == 66 && etag[0] == '"', "conditional: a quoted SHA-256 ETag");
	is_str(kv_list_get(&resp.headers, "Cache-Control"), "private, no-cache", "conditional: revalidate");
	is_int(resp.http_status, 200, "conditional: no If-None-Match -> 200");
	char tag[80];
	snprintf(tag, sizeof tag, "W/%s", etag != NULL ? etag : "");
	response_free(&resp);
	response_init(&resp);
	reply_json(&resp, json_tokener_parse("{\"a\":1}"));
	response_make_conditional(&resp, tag);
	ok(resp.http_status == 304 && !resp.has_body, "conditional: the same body with its tag -> 304, no body");
	response_free(&resp);
	response_init(&resp);
	reply_json(&resp, json_tokener_parse("{\"a\":2}"));
	response_make_conditional(&resp, tag);
	is_int(resp.http_status, 200, "conditional: another body -> 200");
	response_free(&resp);
	response_init(&resp);
	reply_error(&resp, CF_E_BAD_REQUEST, "x");
	response_make_conditional(&resp, "*");
	ok(resp.http_status == 400 && kv_list_get(&resp.headers, "ETag") == NULL, "conditional: errors are left alone");
	response_free(&resp);
}

/* The long-poll waiter marks (waiters.h): the host cap, one per session, no leak. */
static void test_waiters(void)
{
	uint64_t marks[8] = {0};
	struct waiter_board a = {marks, 8, &marks[0], 2}, b = {marks, 8, &marks[1], 2}, c = {marks, 8, &marks[2], 2};
	ok(waiters_enter(&a, "s1"), "waiters: the first waiter enters");
	ok(!waiters_enter(&b, "s1") && marks[1] == 0, "waiters: a second waiter on the same session is refused, no mark");
	ok(waiters_enter(&b, "s2"), "waiters: another session enters up to the cap");
	ok(!waiters_enter(&c, "s3") && marks[2] == 0, "waiters: past the cap a waiter is refused");
	ok(waiters_count(marks, 8) == 2, "waiters: two marks set");
	waiters_leave(&b);
	ok(waiters_enter(&c, "s3"), "waiters: a place freed by leaving is taken");
	marks[0] = ((uint64_t)4242u << 32) | waiters_hash("s1");   /* a worker that died waiting */
	waiters_clear_pid(marks, 8, 4242);
	ok(marks[0] == 0 && marks[2] != 0, "waiters: the master clears only the dead worker's mark");
	ok(waiters_enter(NULL, "s1"), "waiters: no board, no cap");
	ok(waiters_hash("") != 0, "waiters: a hash is never 0");
}

/* Issue 16: the read cache serves an entry only at its version and base,
 * replaces per (kind, id), stays within its budget oldest-first, and keeps
 * nothing over a quarter of it. */
static int read_cache_freed;
static void count_free(void *value)
{
	read_cache_freed++;
	free(value);
}

static void test_read_cache(void)
{
	read_cache_configure(64 * 1024);
	read_cache_put(READ_CACHE_CHAT_TAGS, 7, 3, "", xstrdup("[\"a\"]"), 5, count_free);
	const char *v = read_cache_get(READ_CACHE_CHAT_TAGS, 7, 3, "");
	ok(v != NULL && strcmp(v, "[\"a\"]") == 0, "read cache: an entry is served at its version");
	ok(read_cache_get(READ_CACHE_CHAT_TAGS, 7, 4, "") == NULL, "read cache: not at another version");
	ok(read_cache_get(READ_CACHE_CHAT_TAGS, 7, 3, "http://other") == NULL, "read cache: not for another base URL");
	ok(read_cache_get(READ_CACHE_CHATBOT, 7, 3, "") == NULL, "read cache: kinds do not mix");
	read_cache_put(READ_CACHE_CHAT_TAGS, 7, 4, "", xstrdup("[]"), 2, count_free);
	ok(read_cache_freed == 1 && read_cache_get(READ_CACHE_CHAT_TAGS, 7, 3, "") == NULL &&
	       read_cache_get(READ_CACHE_CHAT_TAGS, 7, 4, "") != NULL,
	   "read cache: a newer version replaces the old entry (freed)");
	read_cache_freed = 0;
	read_cache_put(READ_CACHE_CHATBOT, 1, 1, "", xmalloc(20000), 20000, count_free);
	ok(read_cache_freed == 1 && read_cache_get(READ_CACHE_CHATBOT, 1, 1, "") == NULL,
	   "read cache: a value over a quarter of the budget is not kept");
	read_cache_freed = 0;
	for (unsigned long long id = 100; id < 120; id++)
		read_cache_put(READ_CACHE_CHATBOT, id, 1, "", xmalloc(8000), 8000, count_free);
	struct read_cache_stats stats;
	read_cache_stats(&stats);
	ok(stats.bytes <= 64 * 1024 && read_cache_freed > 0, "read cache: stays within its budget (%llu bytes)",
	   stats.bytes);
	ok(read_cache_get(READ_CACHE_CHATBOT, 119, 1, "") != NULL && read_cache_get(READ_CACHE_CHATBOT, 100, 1, "") == NULL,
	   "read cache: the least recently used go first");
	read_cache_configure(0);
	read_cache_freed = 0;
	read_cache_put(READ_CACHE_CHAT_TAGS, 1, 1, "", xstrdup("[]"), 2, count_free);
	ok(read_cache_freed == 1 && read_cache_get(READ_CACHE_CHAT_TAGS, 1, 1, "") == NULL,
	   "read cache: a budget of 0 keeps nothing");
}

/* Issue 16: the per-host rate-limit counter table (ratelimit_shm.h). */
static struct ratelimit_window rl_win(char scope, const char *key, long long start, int seconds)
{
	struct ratelimit_window w = {.scope = scope, .window_start = start, .window_seconds = seconds};
	snprintf(w.key, sizeof w.key, "%s", key);
	return w;
}

static uint64_t rl_place(const struct ratelimit_window *w)
{
	uint64_t h = rl_shm_hash(w);
	return (h % CF_RL_STRIPES) * CF_RL_SLOTS + (h / CF_RL_STRIPES) % (CF_RL_SLOTS / CF_RL_STRIPES);
}

/* A window of scope 't' keyed "prefix<n>", starting at start, whose first
 * probe slot is *place (any when place is NULL); *n moves past it. */
static struct ratelimit_window rl_at(const char *prefix, long long start, const uint64_t *place, unsigned *n)
{
	char key[CF_RL_KEY_MAX + 1];
	for (;; (*n)++) {
		snprintf(key, sizeof key, "%s%u", prefix, *n);
		struct ratelimit_window w = rl_win('t', key, start, 60);
		if (place == NULL || rl_place(&w) == *place) {
			(*n)++;
			return w;
		}
	}
}

static void test_ratelimit_shm(void)
{
	struct ratelimit_window a = rl_win('t', "42", 600, 60), b = a;
	ok(rl_shm_hash(&a) == rl_shm_hash(&b), "rl_shm: the hash is a function of the window");
	b.scope = 's';
	ok(rl_shm_hash(&a) != rl_shm_hash(&b), "rl_shm: scope is in the hash");
	b = a;
	b.window_start = 660;
	ok(rl_shm_hash(&a) != rl_shm_hash(&b), "rl_shm: the window start is in the hash");
	b = a;
	b.window_seconds = 30;
	ok(rl_shm_hash(&a) != rl_shm_hash(&b), "rl_shm: the window length is in the hash");
	ok(rl_shm_stripe(&a) < CF_RL_STRIPES, "rl_shm: a stripe in range");

	struct rl_shm *t = rl_shm_create();
	ok(t != NULL, "rl_shm: the table maps");
	if (t == NULL)
		return;
	struct rl_clock now = {630, 1000};
	struct rl_hit h;
	rl_shm_hit(t, &a, false, &now, &h);
	ok(h.verdict == RL_COUNTED && h.count == 1 && h.flush && h.batch.hits == 1,
	   "rl_shm: the first hit of a window on this host flushes (1 hit)");
	struct rl_hit h2;
	rl_shm_hit(t, &a, false, &now, &h2);
	ok(h2.verdict == RL_COUNTED && h2.count == 2 && !h2.flush, "rl_shm: a hit during that flush counts locally");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 5, &now);   /* other hosts had 4 */
	rl_shm_hit(t, &a, false, &now, &h);
	ok(h.count == 7 && !h.flush, "rl_shm: known (5, all hosts) + pending (2)");
	int hits = 3, flushed_at = 0;
	for (; hits <= 64 && flushed_at == 0; hits++) {
		now.mono_ms += 1;
		rl_shm_hit(t, &a, false, &now, &h);
		if (h.flush)
			flushed_at = hits;
	}
	is_int(flushed_at, CF_RL_FLUSH_HITS, "rl_shm: CF_RL_FLUSH_HITS pending hits flush");
	is_int(h.batch.hits, CF_RL_FLUSH_HITS, "rl_shm: the batch holds every pending hit");
	now.mono_ms += CF_RL_FLUSH_MS * 2;
	rl_shm_hit(t, &a, false, &now, &h2);
	ok(!h2.flush && h2.count == 5 + CF_RL_FLUSH_HITS + 1, "rl_shm: one flush in flight per slot, whatever its age");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_FAILED, 0, &now);
	rl_shm_hit(t, &a, false, &now, &h);
	ok(!h.flush && h.count == 5 + CF_RL_FLUSH_HITS + 2, "rl_shm: a failed flush gives its hits back; retried by age only");
	now.mono_ms += CF_RL_FLUSH_MS;
	rl_shm_hit(t, &a, false, &now, &h);
	ok(h.flush && h.batch.hits == CF_RL_FLUSH_HITS + 3, "rl_shm: CF_RL_FLUSH_MS after the last flush, a hit flushes");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 100, &now);
	rl_shm_hit(t, &a, false, &now, &h);
	ok(h.count == 101 && !h.flush, "rl_shm: the flush's total replaces known (a shrunk window is believed)");

	/* the sweep: one due per CF_RL_FLUSH_MS, old pending hits only */
	struct rl_flush batch[8];
	ok(rl_shm_collect(t, &now, CF_RL_FLUSH_MS, batch, 8) == 0, "rl_shm: a counter flushed just now is not swept");
	struct rl_clock later = {630, now.mono_ms + CF_RL_FLUSH_MS};
	ok(rl_shm_sweep_due(t, &later) && !rl_shm_sweep_due(t, &later), "rl_shm: one sweep is due per interval");
	size_t n = rl_shm_collect(t, &later, CF_RL_FLUSH_MS, batch, 8);
	ok(n == 1 && batch[0].hits == 1 && strcmp(batch[0].w.key, "42") == 0, "rl_shm: the sweep takes the idle pending hit");
	rl_shm_clear_pid(t, getpid());   /* as for a reaped flusher */
	rl_shm_hit(t, &a, false, &later, &h);
	ok(h.flush && h.batch.hits == 2 && h.count == 102, "rl_shm: a dead flusher's hits go back to pending");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 102, &later);
	struct rl_clock ended = {660, later.mono_ms};
	rl_shm_hit(t, &a, false, &ended, &h);
	ok(rl_shm_collect(t, &ended, 0, batch, 8) == 0, "rl_shm: an ended window is not swept");

	/* chat sessions: a made-up id is probed once, then never counted */
	struct ratelimit_window s = rl_win('s', "0b7ad1e0-made-up", 600, 60);
	rl_shm_hit(t, &s, true, &now, &h);
	ok(h.flush && h.batch.session, "rl_shm: a session key's first hit flushes with the session variant");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_NO_SESSION, 0, &now);
	rl_shm_hit(t, &s, true, &now, &h);
	ok(h.verdict == RL_NO_SESSION && !h.flush, "rl_shm: no such session: not counted, no statement");
	rl_shm_destroy(t);

	/* eviction inside one full neighbourhood (CF_RL_PROBE slots) */
	struct ratelimit_window place[CF_RL_PROBE + 1];
	unsigned kn = 0;
	place[0] = rl_at("n", 600, NULL, &kn);
	uint64_t where = rl_place(&place[0]);
	for (int i = 1; i <= CF_RL_PROBE; i++)
		place[i] = rl_at("n", i == 3 ? 540 : 600, &where, &kn);   /* [3]: a window that ended at 600 */
	t = rl_shm_create();
	struct rl_clock c = {630, 5000};
	for (int i = 0; i < CF_RL_PROBE; i++) {
		c.mono_ms++;
		rl_shm_hit(t, &place[i], false, &c, &h);
		rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 1, &c);
	}
	rl_shm_hit(t, &place[CF_RL_PROBE], false, &c, &h);
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 1, &c);
	rl_shm_hit(t, &place[3], false, &c, &h);
	ok(h.flush && h.count == 1, "rl_shm: a new window takes an ended window's slot first");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 1, &c);
	rl_shm_hit(t, &place[1], false, &c, &h);
	ok(!h.flush && h.count == 2, "rl_shm: ... the live counters stay");
	/* place[3] (ended) took place[0]'s slot, the least recently hit */
	rl_shm_hit(t, &place[0], false, &c, &h);
	ok(h.flush && h.count == 1, "rl_shm: with no ended window, the least recently hit is evicted");
	rl_shm_destroy(t);

	t = rl_shm_create();
	struct rl_hit held[CF_RL_PROBE];
	for (int i = 0; i < CF_RL_PROBE; i++)
		rl_shm_hit(t, &place[i], false, &c, &held[i]);   /* flushes left in flight */
	rl_shm_hit(t, &place[CF_RL_PROBE], false, &c, &h);
	ok(h.verdict == RL_UNTRACKED, "rl_shm: every probe slot flushing: untracked (counted in the database)");
	/* a flush whose report never comes is given up after CF_RL_FLUSH_STALE_MS */
	struct rl_clock stale = {c.wall_s, c.mono_ms + CF_RL_FLUSH_STALE_MS};
	rl_shm_hit(t, &place[CF_RL_PROBE], false, &stale, &h);
	ok(h.verdict == RL_COUNTED, "rl_shm: stale flushes free their slots for a new window");
	rl_shm_hit(t, &place[1], false, &stale, &h2);
	ok(h2.flush && h2.batch.hits == 2 && h2.count == 2, "rl_shm: a stale flush's hits are pending again");
	rl_shm_flushed(t, &held[1].batch, RL_FLUSH_OK, 1, &stale);
	rl_shm_hit(t, &place[1], false, &stale, &h2);
	ok(h2.count == 3, "rl_shm: the late report of a given-up flush changes nothing");
	rl_shm_destroy(t);

	/* a flood of made-up session ids does not evict a live counter */
	t = rl_shm_create();
	c.mono_ms = 10000;
	struct ratelimit_window live = rl_win('t', "7", 600, 60);
	rl_shm_hit(t, &live, false, &c, &h);
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 10, &c);
	int untracked = 0;
	for (int i = 0; i < 8 * CF_RL_SLOTS; i++) {
		char key[40];
		snprintf(key, sizeof key, "flood-%d", i);
		struct ratelimit_window f = rl_win('s', key, 600, 60);
		c.mono_ms++;
		rl_shm_hit(t, &f, true, &c, &h);
		if (h.verdict == RL_UNTRACKED)
			untracked++;
		else
			rl_shm_flushed(t, &h.batch, RL_FLUSH_NO_SESSION, 0, &c);
	}
	rl_shm_hit(t, &live, false, &c, &h);
	ok(h.verdict == RL_COUNTED && h.count == 11 && untracked == 0,
	   "rl_shm: %d made-up session ids later, the live counter is still there (%lld)", 8 * CF_RL_SLOTS, h.count);
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, h.count, &c);
	/* a flood of live keys evicts the least recently hit, not a busy one */
	struct ratelimit_window idle = rl_win('v', "192.0.2.1", 600, 60);
	rl_shm_hit(t, &idle, false, &c, &h);
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 1, &c);
	for (int i = 0; i < 8 * CF_RL_SLOTS; i++) {
		char key[40];
		snprintf(key, sizeof key, "198.51.%d.%d", i / 250, i % 250);
		struct ratelimit_window f = rl_win('v', key, 600, 60);
		c.mono_ms++;
		rl_shm_hit(t, &f, false, &c, &h);
		rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 1, &c);
		rl_shm_hit(t, &live, false, &c, &h);   /* the busy counter keeps being hit */
		if (h.flush)
			rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, h.count, &c);
	}
	rl_shm_hit(t, &live, false, &c, &h);
	ok(h.count == 11 + 8 * CF_RL_SLOTS + 1, "rl_shm: a busy counter survives a flood of new ones (%lld)", h.count);
	rl_shm_hit(t, &idle, false, &c, &h);
	ok(h.flush && h.count == 1, "rl_shm: the idle one was evicted (starts over from the database)");
	rl_shm_flushed(t, &h.batch, RL_FLUSH_OK, 2, &c);

	/* a process that dies holding a stripe's lock does not wedge the host */
	size_t stripe = rl_shm_stripe(&live);
	pid_t pid = fork();
	if (pid == 0)
		_exit(rl_shm_lock_stripe(t, stripe) ? 0 : 1);
	int status = 0;
	waitpid(pid, &status, 0);
	alarm(10);   /* a wedged lock fails the test instead of hanging it */
	rl_shm_hit(t, &live, false, &c, &h);
	alarm(0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && h.verdict == RL_COUNTED && h.count == 1,
	   "rl_shm: a lock whose holder died is recovered; its stripe starts over");
	rl_shm_hit(t, &live, false, &c, &h2);
	ok(h2.verdict == RL_COUNTED && h2.count == 2, "rl_shm: the stripe counts again");
	rl_shm_destroy(t);
}

/* Issue 15 (items 2, 11): header injection, control bytes at the edge,
 * nosniff on every response, \u0000 in JSON bodies. */
static void test_hostile_input(void)
{
	static const struct {
		int line;
		const char *name, *value;
		bool added;
	} headers[] = {
		{__LINE__, "Location", "/ok/path?a=1", true},
		{__LINE__, "X-Tab", "a\tb", true},
		{__LINE__, "Location", "/x\r\nStatus: 200 OK", false},
		{__LINE__, "Location", "/x\nSet-Cookie: a=b", false},
		{__LINE__, "Location", "/x\r", false},
		{__LINE__, "X-A\r\nX-B", "v", false},
		{__LINE__, "X-A\n", "v", false},
		{__LINE__, "X-A: injected", "v", false},
		{__LINE__, "", "v", false},
	};
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		struct response resp;
		response_init(&resp);
		size_t before = resp.headers.count;
		bool added = response_add_header(&resp, headers[i].name, headers[i].value);
		ok(added == headers[i].added && resp.headers.count == before + (headers[i].added ? 1 : 0),
		   "response_add_header, line %d", headers[i].line);
		for (size_t h = 0; h < resp.headers.count; h++)
			ok(strpbrk(resp.headers.items[h].key, "\r\n") == NULL &&
			       strpbrk(resp.headers.items[h].value, "\r\n") == NULL,
			   "no CR/LF in any stored header, line %d", headers[i].line);
		response_free(&resp);
	}
	/* A NUL inside a value: the C string the header keeps stops there, so
	 * nothing after it can reach the wire. */
	static const char with_nul[] = "/x\0\r\nSet-Cookie: a=b";
	struct response resp;
	response_init(&resp);
	ok(response_add_header(&resp, "Location", with_nul) && strcmp(kv_list_get(&resp.headers, "Location"), "/x") == 0,
	   "response_add_header: nothing past a NUL is kept");
	response_free(&resp);
	ok(!response_add_header(&resp, NULL, "v") && !response_add_header(&resp, "X", NULL),
	   "response_add_header refuses NULL");
	response_free(&resp);

	/* A redirect to a target with CR/LF is never sent as a redirect. */
	response_init(&resp);
	reply_redirect(&resp, "/x\r\nStatus: 200 OK\r\n\r\n<script>");
	ok(resp.http_status == 500 && kv_list_get(&resp.headers, "Location") == NULL, "reply_redirect refuses CR/LF");
	response_free(&resp);

	/* nosniff on every response: fresh, after a reset, on errors and 304s. */
	response_init(&resp);
	is_str(kv_list_get(&resp.headers, "X-Content-Type-Options"), "nosniff", "nosniff on a fresh response");
	response_set_cookie(&resp, "c", "v", -1, true, false);
	reply_detail(&resp, CF_E_NOT_FOUND, NULL);
	is_str(kv_list_get(&resp.headers, "X-Content-Type-Options"), "nosniff", "nosniff on an error reply");
	size_t n = 0;
	for (size_t h = 0; h < resp.headers.count; h++)
		n += strcmp(resp.headers.items[h].key, "X-Content-Type-Options") == 0;
	is_int(n, 1, "nosniff once, not once per reset");
	ok(kv_list_get(&resp.headers, "Set-Cookie") != NULL, "cookies still survive a reset");
	reply_json(&resp, json_object_new_object());
	response_make_conditional(&resp, "*");
	ok(resp.http_status == 304 && strcmp(kv_list_get(&resp.headers, "X-Content-Type-Options"), "nosniff") == 0,
	   "nosniff on a 304");
	response_free(&resp);
	ok(resp.headers.count == 0, "response_free leaves no header behind");

	static const struct {
		int line;
		const char *next, *want;
	} nexts[] = {
		{__LINE__, "/o/authorize/?client_id=a&state=b", "/o/authorize/?client_id=a&state=b"},
		{__LINE__, "/confab/api/x/", "/confab/api/x/"},
		{__LINE__, "/", "/"},
		{__LINE__, NULL, "/"},
		{__LINE__, "", "/"},
		{__LINE__, "x", "/"},
		{__LINE__, "http://evil.example/", "/"},
		{__LINE__, "//evil.example", "/"},
		{__LINE__, "/\\evil", "/"},
		{__LINE__, "/a\\b", "/"},
		{__LINE__, "/\t/otherhost", "/"},
		{__LINE__, "/x\r\nStatus: 200 OK\r\nContent-Type: text/html\r\n\r\n<script>", "/"},
		{__LINE__, "/x\nSet-Cookie: sessionid=fixed", "/"},
		{__LINE__, "/x\r", "/"},
		{__LINE__, "/x\x01", "/"},
		{__LINE__, "/x\x7f", "/"},
		{__LINE__, "/a b", "/"},
		{__LINE__, "/a\vb", "/"},
		{__LINE__, " /x", "/"},
		{__LINE__, "/caf\xc3\xa9/", "/caf\xc3\xa9/"},
	};
	for (size_t i = 0; i < sizeof nexts / sizeof nexts[0]; i++)
		is_str(accounts_safe_next(nexts[i].next), nexts[i].want, "safe next, line %d", nexts[i].line);

	static const struct {
		int line;
		const char *uri, *extra;
		cf_status st;
	} reqs[] = {
		{__LINE__, "/api/x/", NULL, CF_OK},
		{__LINE__, "/api/x/", "HTTP_X_T=a\tb", CF_OK},
		{__LINE__, "/api/%0d%0aSet-Cookie:%20a=b/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/%0a/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/%01/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/%1f/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/%7f/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/\x01/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/a\tb/", NULL, CF_E_BAD_REQUEST},
		{__LINE__, "/api/x/", "HTTP_X_EVIL=a\r\nStatus: 200", CF_E_BAD_REQUEST},
		{__LINE__, "/api/x/", "HTTP_X_EVIL=a\nb", CF_E_BAD_REQUEST},
		{__LINE__, "/api/x/", "HTTP_X_EVIL=a\rb", CF_E_BAD_REQUEST},
		{__LINE__, "/api/x/", "HTTP_X_EVIL=a\x1b[31m", CF_E_BAD_REQUEST},
		{__LINE__, "/api/x/", "HTTP_X_EVIL=a\x7f", CF_E_BAD_REQUEST},
		{__LINE__, "/api/x/?q=%0d%0a", NULL, CF_OK},   /* query values are data, checked by their fields */
	};
	for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		char uri[256];
		snprintf(uri, sizeof uri, "REQUEST_URI=%s", reqs[i].uri);
		const char *const p[] = {"REQUEST_METHOD=GET", uri, "HTTP_HOST=h", reqs[i].extra, NULL};
		struct request req;
		is_int(build_request(&req, p, ""), reqs[i].st, "request_from_params control bytes, line %d", reqs[i].line);
		request_free(&req);
	}

	static const struct {
		int line;
		const char *body;
		cf_status st;
	} nul[] = {
		{__LINE__, "{\"message\":\"a\\u0000b\"}", CF_E_BAD_REQUEST},
		{__LINE__, "{\"message\":\"\\u0000\"}", CF_E_BAD_REQUEST},
		{__LINE__, "{\"a\\u0000b\":1}", CF_E_BAD_REQUEST},
		{__LINE__, "[\"x\",{\"m\":[\"ok\",\"\\u0000\"]}]", CF_E_BAD_REQUEST},
		{__LINE__, "{\"message\":\"a\\\\u0000b\"}", CF_OK},    /* an escaped backslash, then text */
		{__LINE__, "{\"message\":\"a\\u0001b\"}", CF_OK},
		{__LINE__, "{\"message\":\"a\\u00000\"}", CF_E_BAD_REQUEST},
		{__LINE__, "{\"message\":\"\\\"\\u0000\"}", CF_E_BAD_REQUEST},
		{__LINE__, "{\"message\":\"u0000\"}", CF_OK},
	};
	for (size_t i = 0; i < sizeof nul / sizeof nul[0]; i++) {
		struct request req;
		request_init(&req);
		req.content_type = strdup("application/json");
		request_set_body(&req, strdup(nul[i].body), strlen(nul[i].body));
		struct json_object *obj = NULL;
		char err[256] = "";
		cf_status st = request_json_body(&req, &obj, err, sizeof err);
		is_int(st, nul[i].st, "\\u0000 in a JSON body, line %d", nul[i].line);
		if (nul[i].st != CF_OK)
			is_str(err, "JSON parse error - Null characters are not allowed.", "its message, line %d", nul[i].line);
		json_object_put(obj);
		request_free(&req);
	}
}

/* Issue 15 items 5 and 7: client_address behind trusted proxies, the
 * trusted_proxies syntax and the dummy password check. */
static void test_client_addr(void)
{
	static const struct {
		int line;
		const char *proxies;     /* trusted_proxies, NULL = unset */
		const char *remote;      /* REMOTE_ADDR */
		const char *xff;         /* X-Forwarded-For, NULL = absent */
		const char *want;
	} cases[] = {
		{__LINE__, NULL, "192.0.2.9", "203.0.113.5", "192.0.2.9"},            /* no proxies: header ignored */
		{__LINE__, "127.0.0.1", "192.0.2.9", "203.0.113.5", "192.0.2.9"},     /* untrusted peer: ignored */
		{__LINE__, "127.0.0.1", "127.0.0.1", "203.0.113.5", "203.0.113.5"},   /* trusted peer: used */
		{__LINE__, "127.0.0.1", "127.0.0.1", NULL, "127.0.0.1"},
		{__LINE__, "127.0.0.1", "127.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"}, /* rightmost, not a forged left */
		{__LINE__, "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "1.1.1.1, 203.0.113.5, 10.2.3.4", "203.0.113.5"},
		{__LINE__, "127.0.0.1 10.0.0.0/8", "127.0.0.1", "10.0.0.1,10.0.0.2", "10.0.0.1"},  /* all trusted: leftmost */
		{__LINE__, "127.0.0.1", "127.0.0.1", "junk, 203.0.113.5", "203.0.113.5"},
		{__LINE__, "127.0.0.1", "127.0.0.1", "203.0.113.5, junk", "127.0.0.1"},   /* malformed hop: stop */
		{__LINE__, "::1", "::1", "2001:db8::7", "2001:db8::7"},
		{__LINE__, "127.0.0.0/8", "::ffff:127.0.0.2", "203.0.113.5", "203.0.113.5"}, /* mapped IPv4 */
		{__LINE__, "2001:db8::/32", "2001:db8:1::1", "198.51.100.1", "198.51.100.1"},
		{__LINE__, "2001:db8::/32", "2001:db9::1", "198.51.100.1", "2001:db9::1"},
		{__LINE__, "192.168.1.0/25", "192.168.1.200", "198.51.100.1", "192.168.1.200"},
		{__LINE__, "192.168.1.0/25", "192.168.1.100", "198.51.100.1", "198.51.100.1"},
		{__LINE__, "127.0.0.1", "", NULL, "unknown"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config cfg;
		config_defaults(&cfg);
		cfg.trusted_proxies = cases[i].proxies ? strdup(cases[i].proxies) : NULL;
		char remote[96], xff[160];
		snprintf(remote, sizeof remote, "REMOTE_ADDR=%s", cases[i].remote);
		snprintf(xff, sizeof xff, "HTTP_X_FORWARDED_FOR=%s", cases[i].xff ? cases[i].xff : "");
		const char *const params[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/healthz", remote,
		                              cases[i].xff ? xff : NULL, NULL};
		struct request req;
		cf_status st = build_request(&req, params, "");
		char out[CF_CLIENT_ADDR_MAX];
		client_address(&req, &cfg, out, sizeof out);
		ok(st == CF_OK && strcmp(out, cases[i].want) == 0, "line %d: client address %s (want %s)", cases[i].line, out,
		   cases[i].want);
		request_free(&req);
		config_free(&cfg);
	}
	static const struct {
		int line;
		const char *list;
		bool valid;
	} lists[] = {
		{__LINE__, NULL, true}, {__LINE__, "", true}, {__LINE__, "127.0.0.1", true},
		{__LINE__, "10.0.0.0/8, ::1/128 192.168.0.0/16", true}, {__LINE__, "10.0.0.0/33", false},
		{__LINE__, "localhost", false}, {__LINE__, "10.0.0.1/", false}, {__LINE__, "::/129", false},
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		ok(client_addr_proxies_valid(lists[i].list) == lists[i].valid, "line %d: trusted_proxies \"%s\" valid = %d",
		   lists[i].line, lists[i].list ? lists[i].list : "(null)", lists[i].valid);
	struct config cfg;
	config_defaults(&cfg);
	char err[256] = "";
	is_int(config_parse(&cfg, "t.conf", "trusted_proxies = 10.0.0.0/8 nope\n", err, sizeof err), CF_E_CONFIG,
	       "config: a bad trusted_proxies entry is refused");
	config_free(&cfg);
	config_defaults(&cfg);
	is_int(config_parse(&cfg, "t.conf", "upload_quota_session_files = 0\n", err, sizeof err), CF_E_CONFIG,
	       "config: upload_quota_session_files 0 is out of range");
	config_free(&cfg);
	config_defaults(&cfg);
	is_int(config_parse(&cfg, "t.conf", "upload_min_free_mb = 0\nanon_file_retention_days = 0\n"
	                    "rate_limit_login_account_requests = 5\npurge_interval = 5\n", err, sizeof err), CF_OK,
	       "config: the new keys parse");
	ok(cfg.rate_limit_login_account_requests == 5 && cfg.purge_interval == 5, "config: and are applied");
	config_free(&cfg);

	/* The dummy check of an unknown account's login runs crypt like a real one. */
	char *hash = NULL;
	is_int(password_hash("secret", &hash), CF_OK, "password_hash");
	unsigned long before = password_crypt_calls();
	ok(password_verify("secret", hash), "password_verify: the right password");
	ok(password_crypt_calls() == before + 1, "password_verify: one crypt call");
	before = password_crypt_calls();
	ok(!password_verify_dummy("secret") && !password_verify_dummy(""), "password_verify_dummy: never matches");
	ok(password_crypt_calls() == before + 2, "password_verify_dummy: one crypt call each, the first one too");
	ok(!password_verify_dummy("confab-dummy-password-never-matches"), "password_verify_dummy: no password matches");
	free(hash);
}

/* Writes text to path with mode; returns path. */
static const char *key_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
	return path;
}

static void test_secretbox(void)
{
	unsigned char raw_a[SECRETBOX_KEY_BYTES], raw_b[SECRETBOX_KEY_BYTES];
	for (int i = 0; i < SECRETBOX_KEY_BYTES; i++) {
		raw_a[i] = (unsigned char)i;
		raw_b[i] = (unsigned char)(255 - i);
	}
	struct secretbox_key a, b;
	secretbox_key_from_bytes(&a, raw_a);
	secretbox_key_from_bytes(&b, raw_b);
	ok(strlen(a.id) == SECRETBOX_KEY_ID_LEN && strcmp(a.id, b.id) != 0, "secretbox: each key has its own id");
	const char *ctx = "llm_providers.api_key/team:1";
	char *sealed = NULL, *again = NULL, *plain = NULL;
	const char *why = NULL;
	ok(secretbox_seal(&a, "sk-very-secret", ctx, &sealed) == CF_OK && sealed != NULL, "secretbox: seals");
	if (sealed == NULL)
		return;
	ok(strncmp(sealed, "enc:v1:", 7) == 0 && strncmp(sealed + 7, a.id, SECRETBOX_KEY_ID_LEN) == 0 &&
	       sealed[15] == ':' && strstr(sealed, "sk-very") == NULL,
	   "secretbox: enc:v1:<key id>:<base64>, no plaintext in it");
	ok(secretbox_is_sealed(sealed) && !secretbox_is_sealed("sk-plain") && !secretbox_is_sealed(NULL),
	   "secretbox: tells sealed from plaintext");
	ok(secretbox_seal(&a, "sk-very-secret", ctx, &again) == CF_OK && strcmp(again, sealed) != 0,
	   "secretbox: a fresh nonce per value (two seals differ)");
	free(again);
	ok(secretbox_open(&a, sealed, ctx, &plain, &why) == CF_OK, "secretbox: opens with its key and context");
	is_str(plain, "sk-very-secret", "secretbox: round trip");
	free(plain);
	plain = NULL;
	ok(secretbox_open(&b, sealed, ctx, &plain, &why) == CF_E_CONFIG && plain == NULL && strstr(why, "another key"),
	   "secretbox: another key does not open it");
	/* b's bytes under a's id: the tag, not the id check, refuses it */
	struct secretbox_key forged = b;
	memcpy(forged.id, a.id, sizeof forged.id);
	ok(secretbox_open(&forged, sealed, ctx, &plain, &why) == CF_E_CONFIG && plain == NULL &&
	       strstr(why, "authenticate"),
	   "secretbox: a wrong key with the right id does not authenticate");
	ok(secretbox_open(&a, sealed, "llm_providers.api_key/team:2", &plain, &why) == CF_E_CONFIG && plain == NULL,
	   "secretbox: another team's context (AAD) does not open it");
	ok(secretbox_open(&a, sealed, "webhook_endpoints.secret/team:1", &plain, &why) == CF_E_CONFIG,
	   "secretbox: another column's context does not open it");
	size_t n = strlen(sealed);
	for (size_t pos = 16; pos < n; pos += 7) {   /* flip one base64 character at a time */
		char *t = xstrdup(sealed);
		t[pos] = t[pos] == 'A' ? 'B' : 'A';
		cf_status st = secretbox_open(&a, t, ctx, &plain, &why);
		ok(st == CF_E_CONFIG && plain == NULL, "secretbox: tampered at %zu is refused", pos);
		free(plain);
		plain = NULL;
		free(t);
	}
	char *cut = xstrdup(sealed);
	cut[n - 4] = '\0';
	ok(secretbox_open(&a, cut, ctx, &plain, &why) == CF_E_CONFIG, "secretbox: a truncated value is refused");
	free(cut);
	ok(secretbox_open(&a, "enc:v1:zz", ctx, &plain, &why) == CF_E_CONFIG && strstr(why, "malformed"),
	   "secretbox: a malformed header is refused");
	ok(secretbox_open(&a, "123456:legacy-token", ctx, &plain, &why) == CF_OK, "secretbox: legacy plaintext opens");
	is_str(plain, "123456:legacy-token", "secretbox: legacy plaintext passes through as it is");
	free(plain);
	plain = NULL;
	char *empty = NULL;
	ok(secretbox_seal(&a, "", ctx, &empty) == CF_OK && secretbox_open(&a, empty, ctx, &plain, &why) == CF_OK &&
	       strcmp(plain, "") == 0,
	   "secretbox: an empty value round-trips");
	free(empty);
	free(plain);
	plain = NULL;

	/* the key file */
	char dir[] = "/tmp/confab-unit-key.XXXXXX";
	ok(mkdtemp(dir) != NULL, "secretbox: a scratch directory");
	char path[64], path2[64], err[256];
	snprintf(path, sizeof path, "%s/k", dir);
	snprintf(path2, sizeof path2, "%s/k2", dir);
	const char *hex_a = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	struct secretbox_key loaded;
	char text[80];
	snprintf(text, sizeof text, "%s\n", hex_a);
	ok(secretbox_key_load(key_file(path, text, 0600), &loaded, err, sizeof err) == CF_OK &&
	       strcmp(loaded.id, a.id) == 0 && memcmp(loaded.bytes, a.bytes, SECRETBOX_KEY_BYTES) == 0,
	   "key file: 64 hex characters and a newline, mode 0600");
	ok(secretbox_key_load(key_file(path, hex_a, 0400), &loaded, err, sizeof err) == CF_OK,
	   "key file: without the newline, mode 0400");
	ok(secretbox_key_load(key_file(path, text, 0640), &loaded, err, sizeof err) == CF_E_CONFIG &&
	       strstr(err, "group or others"),
	   "key file: group-readable is refused");
	ok(secretbox_key_load(key_file(path, text, 0604), &loaded, err, sizeof err) == CF_E_CONFIG,
	   "key file: world-readable is refused");
	ok(secretbox_key_load(key_file(path, "0011", 0600), &loaded, err, sizeof err) == CF_E_CONFIG &&
	       strstr(err, "exactly 64"),
	   "key file: too short is refused");
	snprintf(text, sizeof text, "%s00\n", hex_a);
	ok(secretbox_key_load(key_file(path, text, 0600), &loaded, err, sizeof err) == CF_E_CONFIG,
	   "key file: too long is refused");
	snprintf(text, sizeof text, "%.63sg\n", hex_a);
	ok(secretbox_key_load(key_file(path, text, 0600), &loaded, err, sizeof err) == CF_E_CONFIG,
	   "key file: not hex is refused");
	ok(secretbox_key_load(dir, &loaded, err, sizeof err) == CF_E_CONFIG, "key file: a directory is refused");
	unlink(path);
	ok(secretbox_key_load(path, &loaded, err, sizeof err) == CF_E_CONFIG, "key file: a missing file is refused");
	ok(secretbox_key_generate(path, err, sizeof err) == CF_OK &&
	       secretbox_key_load(path, &loaded, err, sizeof err) == CF_OK,
	   "keygen: a new key file that loads");
	struct stat sb;
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600 && sb.st_size == 65, "keygen: mode 0600, 65 bytes");
	ok(secretbox_key_generate(path, err, sizeof err) != CF_OK, "keygen: never overwrites a file");

	/* the process key follows a swapped file and keeps the one before */
	snprintf(text, sizeof text, "%s\n", hex_a);
	ok(secretbox_init(key_file(path, text, 0600), err, sizeof err) == CF_OK, "process key: loaded");
	char *under_b = NULL;
	ok(secretbox_seal(&b, "new-token", ctx, &under_b) == CF_OK, "process key: a value of the next key");
	ok(secretbox_open_process(under_b, ctx, &plain, &why) == CF_E_CONFIG,
	   "process key: a value of an unknown key does not open while the file is unchanged");
	char hex_b[65];
	for (int i = 0; i < SECRETBOX_KEY_BYTES; i++)
		snprintf(hex_b + 2 * i, 3, "%02x", raw_b[i]);
	key_file(path2, hex_b, 0600);
	ok(rename(path2, path) == 0, "process key: the file is swapped");
	ok(secretbox_open_process(under_b, ctx, &plain, &why) == CF_OK && strcmp(plain, "new-token") == 0,
	   "process key: then the new key is read and opens it");
	free(plain);
	plain = NULL;
	ok(secretbox_open_process(sealed, ctx, &plain, &why) == CF_OK && strcmp(plain, "sk-very-secret") == 0,
	   "process key: the previous key still opens values not yet re-sealed");
	free(plain);
	plain = NULL;
	char *fresh = NULL;
	ok(secretbox_seal_process("x", ctx, &fresh) == CF_OK && strncmp(fresh + 7, b.id, SECRETBOX_KEY_ID_LEN) == 0,
	   "process key: new values are sealed under the new key");
	free(fresh);
	free(under_b);
	unlink(path);
	rmdir(dir);
	free(sealed);
}

/* The statement cache, with fake handles: n + 1 stands for the n-th
 * prepared statement; closing one counts it. */
static int stmt_closed[DB_STMT_CACHE_CAPACITY + 8];
static int stmt_closes;

static void fake_close(void *stmt)
{
	size_t n = (size_t)(uintptr_t)stmt - 1;
	if (n < sizeof stmt_closed / sizeof stmt_closed[0])
		stmt_closed[n]++;
	stmt_closes++;
}

static void *fake_stmt(size_t n)
{
	return (void *)(uintptr_t)(n + 1);
}

static void stmt_sql(char *out, size_t size, size_t n)
{
	snprintf(out, size, "SELECT id FROM t%zu WHERE team_id = ?", n);
}

static void test_stmt_cache(void)
{
	memset(stmt_closed, 0, sizeof stmt_closed);
	stmt_closes = 0;
	struct stmt_cache *c = stmt_cache_new(3, fake_close);
	static const char a[] = "SELECT a FROM t WHERE id = ?";
	static const char b[] = "SELECT b FROM t WHERE id = ?";
	struct stmt_key ka = stmt_cache_key(a), kb = stmt_cache_key(b);
	is_int(ka.len, strlen(a), "stmt cache: the key carries the length");
	ok(ka.hash != kb.hash, "stmt cache: different text, different hash");
	ok(stmt_cache_get(c, &ka) == NULL, "stmt cache: miss on an empty cache");
	stmt_cache_put(c, &ka, fake_stmt(0));
	stmt_cache_put(c, &kb, fake_stmt(1));
	ok(stmt_cache_get(c, &ka) == fake_stmt(0), "stmt cache: hit by the same pointer");
	char copy[sizeof a];
	memcpy(copy, a, sizeof a);
	struct stmt_key kcopy = stmt_cache_key(copy);
	ok(stmt_cache_get(c, &kcopy) == fake_stmt(0), "stmt cache: hit by equal text under another pointer");
	/* A buffer of dynamic SQL reused for other text of the same length
	 * must not find the statement cached under that address. */
	copy[7] = 'z';
	struct stmt_key kreused = stmt_cache_key(copy);
	ok(stmt_cache_get(c, &kreused) == NULL, "stmt cache: a reused pointer with other text misses");

	/* LRU: a is used after b, so adding two more evicts b, then c. */
	static const char cc[] = "SELECT c FROM t WHERE id = ?";
	static const char d[] = "SELECT d FROM t WHERE id = ?";
	struct stmt_key kc = stmt_cache_key(cc), kd = stmt_cache_key(d);
	stmt_cache_put(c, &kc, fake_stmt(2));
	is_int(stmt_cache_count(c), 3, "stmt cache: full at its capacity");
	is_int(stmt_closes, 0, "stmt cache: nothing closed while it fits");
	ok(stmt_cache_get(c, &ka) == fake_stmt(0), "stmt cache: a used again");
	stmt_cache_put(c, &kd, fake_stmt(3));
	is_int(stmt_closed[1], 1, "stmt cache: the least recently used (b) is closed");
	is_int(stmt_closes, 1, "stmt cache: only that one");
	ok(stmt_cache_get(c, &kb) == NULL, "stmt cache: b is gone");
	ok(stmt_cache_get(c, &ka) == fake_stmt(0) && stmt_cache_get(c, &kc) == fake_stmt(2) &&
	           stmt_cache_get(c, &kd) == fake_stmt(3),
	   "stmt cache: a, c and d stay");
	is_int(stmt_cache_evictions(c), 1, "stmt cache: one eviction counted");
	stmt_cache_clear(c);
	is_int(stmt_cache_count(c), 0, "stmt cache: clear empties it");
	is_int(stmt_closes, 4, "stmt cache: clear closes every handle");
	ok(stmt_cache_get(c, &ka) == NULL, "stmt cache: nothing found after a clear");
	stmt_cache_put(c, &ka, fake_stmt(0));
	stmt_cache_free(c);
	is_int(stmt_closes, 5, "stmt cache: free closes what is left");

	/* The real capacity holds far more statements than src/ has: every
	 * one stays prepared through repeated passes; one more evicts one. */
	memset(stmt_closed, 0, sizeof stmt_closed);
	stmt_closes = 0;
	c = stmt_cache_new(DB_STMT_CACHE_CAPACITY, fake_close);
	char sql[96];
	size_t found = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t n = 0; n < DB_STMT_CACHE_CAPACITY; n++) {
			stmt_sql(sql, sizeof sql, n);
			struct stmt_key k = stmt_cache_key(sql);
			void *st = stmt_cache_get(c, &k);
			if (st == NULL)
				stmt_cache_put(c, &k, fake_stmt(n));
			else if (st == fake_stmt(n))
				found++;
		}
	}
	is_int(found, DB_STMT_CACHE_CAPACITY, "stmt cache: a second pass over %d statements finds them all",
	       DB_STMT_CACHE_CAPACITY);
	is_int(stmt_closes, 0, "stmt cache: and closes none");
	stmt_sql(sql, sizeof sql, DB_STMT_CACHE_CAPACITY);
	struct stmt_key kmore = stmt_cache_key(sql);
	stmt_cache_put(c, &kmore, fake_stmt(DB_STMT_CACHE_CAPACITY));
	is_int(stmt_closes, 1, "stmt cache: one past the capacity closes one");
	is_int(stmt_closed[0], 1, "stmt cache: the least recently used one");
	is_int(stmt_cache_count(c), DB_STMT_CACHE_CAPACITY, "stmt cache: the count stays at the capacity");
	stmt_cache_free(c);
	is_int(stmt_closes, DB_STMT_CACHE_CAPACITY + 1, "stmt cache: free closes all");
}

/* The route table (routes.c) is the one record of every endpoint: each
 * row below names the routes that must hold a property, and the walk finds
 * the first route that breaks one. */
static bool route_is(const struct route *r, const char *const list[][2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(r->method, list[i][0]) == 0 && strcmp(r->pattern, list[i][1]) == 0)
			return true;
	return false;
}

/* "METHOD pattern" of r, or "none", for a test's message; static storage. */
static const char *route_name(const struct route *r)
{
	static char name[4][160];
	static unsigned next;
	char *out = name[next++ % 4];
	snprintf(out, sizeof name[0], "%s %s", r ? r->method : "", r ? r->pattern : "none");
	return r ? out : "none";
}

/* The window a rate-limit class counts in: 't' team, 's' chat session, 0 none. */
static char route_window(enum route_rate_limit c)
{
	return c == ROUTE_RL_TEAM ? 't' : c == ROUTE_RL_SESSION || c == ROUTE_RL_UPLOAD ? 's' : 0;
}

static void test_route_table(void)
{
	/* The POST routes that honoured Idempotency-Key before the one table
	 * (idempotency.c compared their handlers): no more, no fewer. */
	static const char *const idempotent[][2] = {
		{"POST", "/api/chat/start/"},
		{"POST", "/api/chat/{session_id:uuid}/message/"},
		{"POST", "/api/openai/{id:uuid}/chat/completions"},
		{"POST", "/api/openai/{id:uuid}/v{version:int}/chat/completions"},
		/* issue 18: the Responses API, idempotent as completions */
		{"POST", "/api/openai/{id:uuid}/responses"},
		{"POST", "/api/openai/{id:uuid}/v{version:int}/responses"},
		{"POST", "/api/trigger_bot"},
		{"POST", "/channels/api/{id:uuid}/incoming_message"},
		{"POST", "/channels/api/{id:uuid}/v{version:int}/incoming_message"},
		{"POST", "/api/sessions/"},
		/* issue 19: participant data and schedules (a retried POST must
		 * not queue a schedule's send twice) */
		{"POST", "/api/participants"},
		{"POST", "/api/participants/"},
	};
	/* The routes with a rate-limit class of their own (ratelimit.c keyed
	 * them by handler before); the rest count in the team window when they
	 * take API credentials, in the session window when their path names a
	 * chat session, else in none. */
	static const char *const upload[][2] = {{"POST", "/api/chat/{session_id:uuid}/upload/"}};
	static const char *const chat_start[][2] = {{"POST", "/api/chat/start/"}};
	static const char *const login[][2] = {{"POST", "/accounts/login/"}};
	const size_t nidem = sizeof idempotent / sizeof idempotent[0];
	const struct route *undescribed = NULL, *dup = NULL, *idem_wrong = NULL, *rl_wrong = NULL;
	const struct route *split = NULL;
	size_t nidem_found = 0;
	for (size_t i = 0; i < confab_route_count; i++) {
		const struct route *r = &confab_routes[i];
		bool described = r->tag != NULL && r->tag[0] != '\0' && r->summary != NULL && r->summary[0] != '\0' &&
		                 r->success >= 200 && r->success <= 399;
		if (!described && undescribed == NULL)
			undescribed = r;
		bool want_idem = route_is(r, idempotent, nidem);
		nidem_found += want_idem && r->idempotent;
		if (want_idem != r->idempotent && idem_wrong == NULL)
			idem_wrong = r;
		enum route_rate_limit want_rl = route_is(r, upload, 1)       ? ROUTE_RL_UPLOAD
		                                : route_is(r, chat_start, 1) ? ROUTE_RL_CHAT_START
		                                : route_is(r, login, 1)      ? ROUTE_RL_LOGIN
		                                : r->auth == ROUTE_AUTH_API  ? ROUTE_RL_TEAM
		                                : r->auth == ROUTE_AUTH_CHAT && strstr(r->pattern, "{session_id:") != NULL
		                                        ? ROUTE_RL_SESSION
		                                        : ROUTE_RL_NONE;
		if (r->rate_limit != want_rl && rl_wrong == NULL)
			rl_wrong = r;
		for (size_t j = 0; j < i; j++) {
			const struct route *o = &confab_routes[j];
			if (strcmp(o->pattern, r->pattern) != 0)
				continue;
			if (strcmp(o->method, r->method) == 0 && dup == NULL)
				dup = r;
			/* the dispatcher authenticates and picks the window by the
			 * path's first route: every method of a path must agree */
			if ((o->auth != r->auth || route_window(o->rate_limit) != route_window(r->rate_limit)) &&
			    split == NULL)
				split = r;
		}
	}
	ok(confab_route_count > 0 && undescribed == NULL,
	   "route table: every route has a tag, a summary and a success status (first without: %s)",
	   route_name(undescribed));
	ok(dup == NULL, "route table: no two routes share method and pattern (first repeated: %s)", route_name(dup));
	ok(idem_wrong == NULL, "route table: idempotent exactly on the POST routes that had it (first wrong: %s)",
	   route_name(idem_wrong));
	is_int(nidem_found, nidem, "route table: every formerly idempotent route is in the table");
	ok(rl_wrong == NULL, "route table: each route's rate-limit class is the one it counted in before (first wrong: %s)",
	   route_name(rl_wrong));
	ok(split == NULL, "route table: the methods of one path share authentication and window (first apart: %s)",
	   route_name(split));
	const struct route *style_wrong = NULL;
	for (size_t i = 0; i < confab_route_count; i++) {
		const struct route *r = &confab_routes[i];
		bool openai = strncmp(r->pattern, "/api/openai/", 12) == 0;
		if ((r->errors == CF_ERRORS_OPENAI) != openai && style_wrong == NULL)
			style_wrong = r;
	}
	ok(style_wrong == NULL, "route table: OpenAI's error shape on exactly the /api/openai/ routes (first wrong: %s)",
	   route_name(style_wrong));
	/* what the other readers of the table see of it */
	struct route_match m;
	cf_status st = router_match(confab_routes, confab_route_count, "POST", "/api/chat/start/", &m);
	ok(st == CF_OK && m.route->idempotent && m.route->rate_limit == ROUTE_RL_CHAT_START && m.route->success == 201,
	   "route table: the router hands the dispatcher the record of the route it matched");
	route_match_free(&m);
}

/* The one message type <-> role table (docs/API.md §5) and its
 * fallback, user: an unknown type never speaks as system or assistant. */
static void test_message_role(void)
{
	static const struct {
		int line;
		const char *type;
		enum llm_role role;
		const char *name;
	} cases[] = {
		{__LINE__, "human", LLM_USER, "user"},
		{__LINE__, "ai", LLM_ASSISTANT, "assistant"},
		{__LINE__, "system", LLM_SYSTEM, "system"},
		{__LINE__, "tool", LLM_USER, "user"},     /* unknown: the fallback */
		{__LINE__, "", LLM_USER, "user"},
		{__LINE__, "AI", LLM_USER, "user"},       /* types are case-sensitive */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ok(message_role(cases[i].type) == cases[i].role, "message_role line %d", cases[i].line);
		is_str(message_role_name(cases[i].type), cases[i].name, "message_role_name line %d", cases[i].line);
	}
	is_str(message_type_of_role("user"), "human", "user is stored as human");
	is_str(message_type_of_role("assistant"), "ai", "assistant is stored as ai");
	is_str(message_type_of_role("system"), "system", "system is stored as system");
	is_str(message_type_of_role("tool"), "human", "an unknown role: the fallback mirrored");
	for (size_t i = 0; i < 3; i++)
		is_str(message_role_name(message_type_of_role(cases[i].name)), cases[i].name, "role %s round-trips",
		       cases[i].name);
}

/* The OpenAI request fields (api_openai.c): each row is a body, whether it
 * parses, and what comes out (the history as JSON, the format, the
 * participant) or the error text. */
static void test_openai_parse(void)
{
	static const struct {
		int line;
		const char *messages;   /* JSON; NULL = absent */
		const char *history;    /* expected JSON text, or the error */
		bool ok;
	} msgs[] = {
		{__LINE__, "[{\"role\":\"developer\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"hi\"}]",
		 "[{\"role\":\"system\",\"content\":\"Be terse.\"}]", true},
		{__LINE__, "[{\"role\":\"assistant\",\"content\":null},{\"role\":\"assistant\",\"content\":\"\"},"
		           "{\"role\":\"user\",\"content\":\"hi\"}]",
		 "[{\"role\":\"assistant\",\"content\":\"\"},{\"role\":\"assistant\",\"content\":\"\"}]", true},
		{__LINE__, "[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[]},{\"role\":\"user\",\"content\":\"hi\"}]",
		 "[{\"role\":\"assistant\",\"tool_calls\":[],\"content\":\"\"}]", true},
		{__LINE__, "[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{}]},{\"role\":\"user\",\"content\":\"x\"}]",
		 "{\"messages\":[{\"content\":[\"This field may not be blank.\"]}]}", false},
		{__LINE__, "[{\"role\":\"user\",\"content\":null},{\"role\":\"user\",\"content\":\"x\"}]",
		 "Only text messages are supported", false},
		{__LINE__, "[{\"role\":\"system\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"x\"}]",
		 "{\"messages\":[{\"content\":[\"This field may not be blank.\"]}]}", false},
		{__LINE__, "[{\"role\":\"developer\",\"content\":\"x\"}]", "Last message must be a user message", false},
		{__LINE__, "{}", "messages must be an array", false},
		{__LINE__, NULL, "No messages provided", false},
	};
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		struct json_object *in = msgs[i].messages ? json_tokener_parse(msgs[i].messages) : NULL, *history, *text;
		char *error;
		bool parsed = openai_parse_messages(in, &history, &text, &error);
		ok(parsed == msgs[i].ok, "openai_parse_messages line %d: %s", msgs[i].line, parsed ? "parsed" : error);
		if (parsed && msgs[i].ok)
			is_str(json_object_to_json_string_ext(history, JSON_C_TO_STRING_PLAIN), msgs[i].history,
			       "openai_parse_messages line %d: history", msgs[i].line);
		else if (!parsed && !msgs[i].ok)
			is_str(error, msgs[i].history, "openai_parse_messages line %d: error", msgs[i].line);
		ok(parsed ? error == NULL && text != NULL : history == NULL && text == NULL,
		   "openai_parse_messages line %d: outputs set only on success", msgs[i].line);
		free(error);
		json_object_put(history);
		json_object_put(text);
		json_object_put(in);
	}
	static const struct {
		int line;
		const char *body;       /* {"response_format": ..., "user": ...} */
		bool ok;
		enum llm_format type;
		const char *schema;     /* expected json_schema text, or the errors */
	} fields[] = {
		{__LINE__, "{}", true, LLM_FORMAT_TEXT, NULL},
		{__LINE__, "{\"response_format\":null,\"user\":null}", true, LLM_FORMAT_TEXT, NULL},
		{__LINE__, "{\"response_format\":{\"type\":\"text\"}}", true, LLM_FORMAT_TEXT, NULL},
		{__LINE__, "{\"response_format\":{\"type\":\"json_object\"},\"user\":\"amira\"}", true, LLM_FORMAT_JSON_OBJECT,
		 NULL},
		{__LINE__, "{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a-b_9\",\"strict\":null}}}",
		 true, LLM_FORMAT_JSON_SCHEMA, "{\"name\":\"a-b_9\",\"strict\":null}"},
		{__LINE__, "{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\""
		           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}}",
		 false, LLM_FORMAT_TEXT, "{\"response_format\":[\"\\\"json_schema.name\\\" must be 1 to 64 letters, digits, "
		                         "'_' or '-'.\"]}"},
		{__LINE__, "{\"response_format\":{\"type\":1}}", false, LLM_FORMAT_TEXT,
		 "{\"response_format\":[\"Expected an object with a \\\"type\\\" of \\\"text\\\", \\\"json_object\\\" or "
		 "\\\"json_schema\\\".\"]}"},
		{__LINE__, "{\"response_format\":{\"type\":\"JSON_OBJECT\"},\"user\":[]}", false, LLM_FORMAT_TEXT,
		 "{\"response_format\":[\"\\\"type\\\" must be \\\"text\\\", \\\"json_object\\\" or \\\"json_schema\\\".\"],"
		 "\"user\":[\"Not a valid string.\"]}"},
		{__LINE__, "{\"user\":\"\"}", false, LLM_FORMAT_TEXT, "{\"user\":[\"This field may not be blank.\"]}"},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		struct json_object *body = json_tokener_parse(fields[i].body), *rf = NULL, *user = NULL, *participant;
		(void)json_object_object_get_ex(body, "response_format", &rf);
		(void)json_object_object_get_ex(body, "user", &user);
		struct field_errors fe;
		struct llm_response_format f;
		field_errors_init(&fe);
		bool parsed = openai_parse_response_format(rf, &fe, &f);
		parsed = openai_parse_user(user, &fe, &participant) && parsed;
		ok(parsed == fields[i].ok, "openai fields line %d", fields[i].line);
		if (parsed) {
			ok(f.type == fields[i].type, "openai fields line %d: format type", fields[i].line);
			is_str(f.json_schema ? f.json_schema : "(none)", fields[i].schema ? fields[i].schema : "(none)",
			       "openai fields line %d: json_schema", fields[i].line);
			ok((participant != NULL) == (user != NULL), "openai fields line %d: participant", fields[i].line);
		} else {
			struct json_object *errs = field_errors_take(&fe);
			is_str(json_object_to_json_string_ext(errs, JSON_C_TO_STRING_PLAIN), fields[i].schema,
			       "openai fields line %d: errors", fields[i].line);
			json_object_put(errs);
		}
		free((char *)f.json_schema);
		json_object_put(participant);
		field_errors_free(&fe);
		json_object_put(body);
	}
	static const struct {
		int line;
		const char *reason;
		const char *kept;
	} reasons[] = {
		{__LINE__, "length", "length"},
		{__LINE__, "content_filter", "content_filter"},
		{__LINE__, "", ""},
		{__LINE__, "Stop", ""},                      /* only lower-case words */
		{__LINE__, "stop\"}", ""},
		{__LINE__, "a_reason_of_thirty_two_character", ""},
		{__LINE__, "a_reason_of_thirty_one_characte", "a_reason_of_thirty_one_characte"},
	};
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		struct llm_result r;
		llm_result_init(&r);
		llm_set_finish_reason(&r, reasons[i].reason, strlen(reasons[i].reason));
		is_str(r.finish_reason, reasons[i].kept, "llm_set_finish_reason line %d", reasons[i].line);
		llm_result_free(&r);
	}
}

static void test_webhooks(void)
{
	static const struct {
		int line;
		const char *url;
		bool valid;
	} urls[] = {
		{__LINE__, "https://hooks.example.org/in", true},
		{__LINE__, "http://127.0.0.1:8080/x?y=1", true},
		{__LINE__, "ftp://example.org/x", false},
		{__LINE__, "https://", false},                  /* no host */
		{__LINE__, "https:///path", false},
		{__LINE__, "HTTPS://example.org/", false},       /* the scheme as written */
		{__LINE__, "https://exa mple.org/", false},
		{__LINE__, "https://example.org/\x7f", false},
		{__LINE__, "https://example.org/\n", false},
		{__LINE__, "example.org/x", false},
	};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
		ok(webhooks_url_valid(urls[i].url) == urls[i].valid, "webhooks_url_valid line %d", urls[i].line);
	char *longest = xmalloc(CF_WEBHOOK_URL_MAX + 2);
	memcpy(longest, "https://", 8);
	memset(longest + 8, 'a', CF_WEBHOOK_URL_MAX - 8);
	longest[CF_WEBHOOK_URL_MAX] = '\0';
	ok(webhooks_url_valid(longest), "a URL of CF_WEBHOOK_URL_MAX bytes is accepted");
	longest[CF_WEBHOOK_URL_MAX] = 'a';
	longest[CF_WEBHOOK_URL_MAX + 1] = '\0';
	ok(!webhooks_url_valid(longest), "one byte more is refused");
	free(longest);

	static const char *const known[] = {WEBHOOK_SESSION_STARTED, WEBHOOK_SESSION_ENDED, WEBHOOK_MESSAGE_CREATED,
	                                    WEBHOOK_TASK_COMPLETED, WEBHOOK_TASK_FAILED};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		ok(webhooks_event_known(known[i]), "%s may be subscribed to", known[i]);
	ok(!webhooks_event_known(WEBHOOK_PING), "ping may not be subscribed to");
	ok(!webhooks_event_known("session.*"), "no patterns");

	char sig[65];
	webhooks_sign("whsec_test", 1700000000, "{\"a\":1}", sig);
	is_str(sig, "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789",
	       "webhooks_sign: HMAC-SHA256 over \"<t>.<body>\" in lower-case hex");
	webhooks_sign("Jefe", 0, "what do ya want for nothing?", sig);
	is_str(sig, "37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc", "webhooks_sign: t = 0");

	char id[37], id2[37];
	char *body = NULL, *body2 = NULL;
	struct json_object *data = json_object_new_object();
	json_object_object_add(data, "url", json_object_new_string("https://x/y"));
	ok(webhooks_envelope(WEBHOOK_PING, "demo", data, id, &body) == CF_OK, "webhooks_envelope");
	struct json_object *env = json_tokener_parse(body), *v;
	ok(env != NULL && json_object_object_length(env) == 5, "envelope: five keys");
	ok(json_object_object_get_ex(env, "id", &v) && strcmp(json_object_get_string(v), id) == 0 && strlen(id) == 36,
	   "envelope: id is the event id returned");
	ok(json_object_object_get_ex(env, "type", &v) && strcmp(json_object_get_string(v), "ping") == 0, "envelope: type");
	ok(json_object_object_get_ex(env, "team", &v) && strcmp(json_object_get_string(v), "demo") == 0, "envelope: team");
	ok(json_object_object_get_ex(env, "created", &v) && json_object_is_type(v, json_type_int) &&
	       llabs((long long)json_object_get_int64(v) - (long long)time(NULL)) < 5,
	   "envelope: created is the Unix time now");
	ok(json_object_object_get_ex(env, "data", &v) && json_object_equal(v, data), "envelope: data as given");
	ok(strncmp(body, "{\"id\":", 6) == 0 && strstr(body, "https://x/y") != NULL && strchr(body, ' ') == NULL,
	   "envelope: plain JSON, id first, \"/\" unescaped (%s)", body);
	json_object_put(env);
	ok(webhooks_envelope(WEBHOOK_PING, "demo", NULL, id2, &body2) == CF_OK && strcmp(id, id2) != 0 &&
	       strstr(body2, "\"data\":{}") != NULL,
	   "envelope: a fresh id each time; no data is {}");
	free(body);
	free(body2);
	json_object_put(data);

	struct webhook_message_row m = {.id = 7, .content = (char *)"hi", .created_at = "2026-01-15 09:30:14.120533",
	                                .session_external_id = "s-1"};
	snprintf(m.message_type, sizeof m.message_type, "ai");
	struct json_object *md = webhooks_message_data(&m), *msg;
	ok(json_object_object_get_ex(md, "message", &msg) && json_object_object_get_ex(msg, "role", &v) &&
	       strcmp(json_object_get_string(v), "assistant") == 0,
	   "message.created: the role by message_role");
	json_object_put(md);
	struct job job = {.attempts = 3};
	snprintf(job.task_id, sizeof job.task_id, "t-1");
	snprintf(job.kind, sizeof job.kind, "chat_message");
	struct json_object *td = webhooks_task_data(&job, 0, "boom", NULL);
	is_str(json_object_to_json_string_ext(td, JSON_C_TO_STRING_PLAIN),
	       "{\"task\":{\"id\":\"t-1\",\"kind\":\"chat_message\",\"attempts\":3,\"error\":\"boom\"}}",
	       "task.failed data: no message_id, no session_id");
	json_object_put(td);
	td = webhooks_task_data(&job, 9, NULL, "s-2");
	is_str(json_object_to_json_string_ext(td, JSON_C_TO_STRING_PLAIN),
	       "{\"task\":{\"id\":\"t-1\",\"kind\":\"chat_message\",\"attempts\":3,\"message_id\":9},\"session_id\":\"s-2\"}",
	       "task.completed data: message_id and session_id");
	json_object_put(td);
}

/* The bounded answer sinks of http_client.h. */
static void test_http_client_sinks(void)
{
	struct buf b;
	buf_init(&b, 5);
	char chunk[] = "abcdefgh";
	is_int(http_client_keep_head(chunk, 1, 3, &b), 3, "keep_head takes a chunk");
	is_int(http_client_keep_head(chunk, 1, 8, &b), 8, "keep_head takes a chunk past the ceiling (no failure)");
	is_str(buf_str(&b), "abcab", "keep_head: the first b->max bytes");
	is_int(http_client_keep_head(chunk, 1, 8, NULL), 8, "keep_head without a buffer drops it all");
	buf_reset(&b);
	is_int(http_client_collect(chunk, 1, 5, &b), 5, "collect up to the ceiling");
	is_int(http_client_collect(chunk, 1, 1, &b), 0, "collect fails the transfer past it");
	buf_free(&b);
	ok(http_client_failure(CURLE_OPERATION_TIMEDOUT) == CF_E_TIMEOUT, "a timeout is CF_E_TIMEOUT");
	ok(http_client_failure(CURLE_COULDNT_CONNECT) == CF_E_UPSTREAM, "anything else CF_E_UPSTREAM");
}

/* A listener that takes `room` pieces and then fails (its client left). */
struct test_listener {
	int room;
	int calls;
	bool gone;
};

static cf_status test_listener_delta(void *ctx, const char *text, size_t len)
{
	struct test_listener *l = ctx;
	(void)text, (void)len;
	return ++l->calls > l->room ? CF_E_IO : CF_OK;
}

static bool test_listener_gone(void *ctx)
{
	return ((struct test_listener *)ctx)->gone;
}

/* llm_deliver and llm_listener_left (llm_backend.h), through the local
 * provider, which hands its reply over in word-sized pieces. */
static void test_llm_listener(void)
{
	static const struct {
		int line;
		int room;          /* pieces the listener takes before it fails */
		cf_status want;
		const char *text;  /* collected: the failed piece is kept */
		int calls;
	} cases[] = {
		{__LINE__, 100, CF_OK, "You said: one two three", 5},
		{__LINE__, 2, CF_E_IO, "You said: one ", 3},
		{__LINE__, 0, CF_E_IO, "You ", 1},
	};
	struct llm_provider pv;
	memset(&pv, 0, sizeof pv);
	snprintf(pv.type, sizeof pv.type, "local");
	struct llm_turn turn = {LLM_USER, "one two three"};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct test_listener l = {cases[i].room, 0, false};
		struct llm_call call = {.provider = &pv, .system_prompt = "", .turns = &turn, .nturns = 1,
	                        .on_delta = test_listener_delta, .delta_ctx = &l, .listener_gone = test_listener_gone};
		struct llm_result r;
		llm_result_init(&r);
		cf_status st = llm_complete(&call, &r);
		ok(st == cases[i].want, "llm listener line %d: status %s", cases[i].line, cf_status_name(st));
		is_str(buf_str(&r.text), cases[i].text, "llm listener line %d: the text that came", cases[i].line);
		is_int(l.calls, cases[i].calls, "llm listener line %d: not called after it failed", cases[i].line);
		ok(r.listener_gone == (cases[i].want == CF_E_IO), "llm listener line %d: listener_gone", cases[i].line);
		llm_result_free(&r);
	}
	struct test_listener l = {100, 0, false};
	struct llm_call call = {.provider = &pv, .system_prompt = "", .turns = &turn, .nturns = 1,
	                        .on_delta = test_listener_delta, .delta_ctx = &l, .listener_gone = test_listener_gone};
	struct llm_result r;
	llm_result_init(&r);
	r.call = &call;
	ok(!llm_listener_left(&r) && r.error[0] == '\0', "listener_left: false while the listener is there");
	l.gone = true;
	ok(llm_listener_left(&r) && r.listener_gone && r.error[0] != '\0', "listener_left: true once it says it left");
	l.gone = false;
	ok(llm_listener_left(&r), "listener_left: stays true");
	is_int(llm_deliver(&call, &r, "more", 4), CF_E_IO, "deliver after the listener left: CF_E_IO");
	is_int((long)r.text.len, 0, "... and nothing collected");
	call.on_delta = NULL;
	struct llm_result plain;
	llm_result_init(&plain);
	plain.call = &call;
	l.gone = true;
	ok(!llm_listener_left(&plain), "listener_left: never for a call that is not streamed");
	llm_result_free(&plain);
	llm_result_free(&r);
}

/* POST /api/participants' serializer (docs/API.md §9.3-9.4): DRF's
 * errors, nested at the entry's index, and what a valid body yields. */
static void test_participants_parse(void)
{
	static const struct {
		int line;
		const char *body;
		const char *errors;   /* NULL = valid */
	} cases[] = {
		{__LINE__, "[]", "{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"]}"},
		{__LINE__, "{\"identifier\":\"a\",\"data\":[]}", NULL},
		{__LINE__, "{\"identifier\":\"a\",\"data\":[1]}",
		 "{\"data\":[{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got int.\"]}]}"},
		{__LINE__, "{\"identifier\":\"a\",\"platform\":null,\"data\":[]}",
		 "{\"platform\":[\"\\\"\\\" is not a valid choice.\"]}"},
		{__LINE__,
		 "{\"identifier\":\"a\",\"data\":[{\"experiment\":\"00000000-0000-4000-8000-000000000000\","
		 "\"schedules\":[{\"id\":\"x\",\"delete\":true},{\"id\":\"y\",\"delete\":\"yes\"}]}]}",
		 "{\"data\":[{\"schedules\":[{},{\"delete\":[\"Must be a valid boolean.\"]}]}]}"},
		{__LINE__,
		 "{\"identifier\":\"a\",\"data\":[{\"experiment\":\"00000000-0000-4000-8000-000000000000\","
		 "\"schedules\":[{\"name\":\"n\",\"prompt\":\"p\",\"date\":\"2030-05-06T07:08:09+02:00\"}]}]}",
		 NULL},
		{__LINE__,
		 "{\"identifier\":\"a\",\"data\":[{\"experiment\":\"00000000-0000-4000-8000-000000000000\","
		 "\"schedules\":[{\"name\":\"\",\"prompt\":\"p\",\"date\":\"2030-05-06\"}]}]}",
		 "{\"data\":[{\"schedules\":[{\"name\":[\"This field may not be blank.\"]}]}]}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct json_object *body = json_tokener_parse(cases[i].body);
		struct field_errors fe;
		field_errors_init(&fe);
		struct participant_update rq;
		bool valid = participants_parse_update(body, &fe, &rq);
		struct json_object *errs = field_errors_any(&fe) ? field_errors_take(&fe) : NULL;
		is_str(errs ? json_object_to_json_string_ext(errs, JSON_C_TO_STRING_PLAIN) : "(valid)",
		       cases[i].errors ? cases[i].errors : "(valid)", "participants_parse_update line %d", cases[i].line);
		ok(valid == (cases[i].errors == NULL), "participants_parse_update line %d: valid as expected", cases[i].line);
		if (valid && rq.nitems == 1 && rq.items[0].nschedules == 1)
			is_str(rq.items[0].schedules[0].date_db, "2030-05-06 05:08:09.000000",
			       "participants_parse_update line %d: the date in UTC", cases[i].line);
		json_object_put(errs);
		field_errors_free(&fe);
		participant_update_free(&rq);
		json_object_put(body);
	}
}

/* Machine tokens (docs/API.md §2.3.1): the scope rules of the token
 * endpoint, the permission rule without a role, and the route-table
 * convention auth_check_route_chatbot rests on. */
static void test_oauth_machine(void)
{
	static const struct {
		int line;
		const char *scope, *allowed;
		bool subset;
	} cases[] = {
		{__LINE__, "sessions:read", "sessions:read sessions:write", true},
		{__LINE__, "sessions:write sessions:read", "sessions:read sessions:write", true},
		{__LINE__, "  sessions:read  ", "sessions:read", true},
		{__LINE__, "chatbots:read", "sessions:read", false},
		{__LINE__, "sessions", "sessions:read", false},            /* a prefix is not a scope */
		{__LINE__, "sessions:read:x", "sessions:read", false},
		{__LINE__, "", "sessions:read", false},
		{__LINE__, "   ", "sessions:read", false},
		{__LINE__, "sessions:read", "", false},
		{__LINE__, "openid", OAUTH_MACHINE_SCOPES, false},
		{__LINE__, "participants:read", OAUTH_MACHINE_SCOPES, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ok(oauth_scope_subset(cases[i].scope, cases[i].allowed) == cases[i].subset, "oauth_scope_subset line %d",
		   cases[i].line);
	ok(oauth_scope_subset(OAUTH_MACHINE_SCOPES, OAUTH_ALL_SCOPES), "every machine scope is a known scope");

	struct principal machine, user;
	memset(&machine, 0, sizeof machine);
	machine.kind = PRINCIPAL_OAUTH;
	machine.machine = true;
	snprintf(machine.scopes, sizeof machine.scopes, "sessions:read");
	user = machine;
	user.machine = false;
	snprintf(user.role, sizeof user.role, "chat_viewer");
	struct request get, post;
	memset(&get, 0, sizeof get);
	memset(&post, 0, sizeof post);
	get.method = (char *)"GET";
	post.method = (char *)"POST";
	ok(auth_check_permission(&machine, &get, ROUTE_PERM_SESSIONS) == CF_OK,
	   "a machine token needs no role on the sessions routes");
	ok(auth_check_permission(&machine, &post, ROUTE_PERM_SESSIONS) == CF_E_FORBIDDEN,
	   "... but the scope still decides (sessions:write)");
	ok(auth_check_permission(&user, &get, ROUTE_PERM_SESSIONS) == CF_E_FORBIDDEN,
	   "a user's token keeps the role rule");

	/* Every chatbot-talking route names its chatbot {id:uuid}, so the
	 * dispatcher's allow-list check sees it. */
	const struct route *wrong = NULL;
	for (size_t i = 0; i < confab_route_count; i++) {
		const struct route *r = &confab_routes[i];
		if (r->perm == ROUTE_PERM_INTERACT && strstr(r->pattern, "{id:") != NULL &&
		    strstr(r->pattern, "{id:uuid}") == NULL)
			wrong = r;
	}
	ok(wrong == NULL, "interact routes name the chatbot {id:uuid} (wrong: %s)", wrong ? wrong->pattern : "none");
}

/* Is name an entry of api_schemas_openai_chat? */
static const struct api_schema *openai_chat_schema(const char *name)
{
	for (const struct api_schema *s = api_schemas_openai_chat; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* The OpenAI, chat and channels half of components.schemas
 * (schemas_openai_chat.c): every entry is JSON with a type or a
 * composition, names are unique, each $ref names an entry or one of the
 * core half's shared schemas, and the routes of that half name entries. */
static void test_schemas_openai_chat(void)
{
	static const char *const core[] = {"ErrorDetail", "FieldErrors", "OpenAIError", "Message",
	                                   "Experiment", "Team", "Participant"};
	static const char ref_prefix[] = "\"#/components/schemas/";
	const char *bad_json = NULL, *untyped = NULL, *dup = NULL, *dangling = NULL, *unnamed = NULL;
	size_t n = 0;
	for (const struct api_schema *s = api_schemas_openai_chat; s->name != NULL; s++, n++) {
		enum json_tokener_error jerr = json_tokener_success;
		struct json_object *o = json_tokener_parse_verbose(s->json, &jerr);
		if ((o == NULL || jerr != json_tokener_success || !json_object_is_type(o, json_type_object)) &&
		    bad_json == NULL)
			bad_json = s->name;
		if (o != NULL && !json_object_object_get_ex(o, "type", NULL) &&
		    !json_object_object_get_ex(o, "$ref", NULL) && !json_object_object_get_ex(o, "oneOf", NULL) &&
		    !json_object_object_get_ex(o, "anyOf", NULL) && untyped == NULL)
			untyped = s->name;
		json_object_put(o);
		if (openai_chat_schema(s->name) != s && dup == NULL)
			dup = s->name;
		for (const char *r = strstr(s->json, ref_prefix); r != NULL; r = strstr(r + 1, ref_prefix)) {
			const char *name = r + sizeof ref_prefix - 1;
			size_t len = strcspn(name, "\"");
			char ref[128];
			bool known = false;
			if (len >= sizeof ref)
				len = sizeof ref - 1;
			memcpy(ref, name, len);
			ref[len] = '\0';
			known = openai_chat_schema(ref) != NULL;
			for (size_t i = 0; !known && i < sizeof core / sizeof core[0]; i++)
				known = strcmp(core[i], ref) == 0;
			if (!known && dangling == NULL)
				dangling = s->name;
		}
	}
	ok(n >= 40, "openai/chat schemas: the table holds the half's schemas (%zu)", n);
	ok(bad_json == NULL, "openai/chat schemas: every entry parses as a JSON object (first not: %s)",
	   bad_json ? bad_json : "none");
	ok(untyped == NULL, "openai/chat schemas: every entry has a type, $ref, oneOf or anyOf (first without: %s)",
	   untyped ? untyped : "none");
	ok(dup == NULL, "openai/chat schemas: names are unique (first repeated: %s)", dup ? dup : "none");
	ok(dangling == NULL, "openai/chat schemas: every $ref names a schema of either half (first dangling in: %s)",
	   dangling ? dangling : "none");
	for (size_t i = 0; i < confab_route_count; i++) {
		const struct route *r = &confab_routes[i];
		bool mine = strcmp(r->tag, "OpenAI") == 0 || strcmp(r->tag, "Chat") == 0 || strcmp(r->tag, "Channels") == 0;
		if (mine && (r->response_schema == NULL || openai_chat_schema(r->response_schema) == NULL ||
		             (strcmp(r->method, "POST") == 0 &&
		              (r->request_schema == NULL || openai_chat_schema(r->request_schema) == NULL))) &&
		    unnamed == NULL)
			unnamed = r->pattern;
	}
	ok(unnamed == NULL, "openai/chat schemas: every OpenAI, Chat and Channels route names its bodies' schemas "
	   "(first not: %s)", unnamed ? unnamed : "none");
	struct json_object *o = json_tokener_parse(openai_chat_schema("ChatTaskPoll")->json), *props, *status, *e;
	ok(json_object_object_get_ex(o, "properties", &props) && json_object_object_get_ex(props, "status", &status) &&
	       json_object_object_get_ex(status, "enum", &e) && json_object_array_length(e) == 2,
	   "openai/chat schemas: the task poll's status is processing or complete (not completed)");
	json_object_put(o);
}

/* True when text holds line as one whole line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void test_metrics(void)
{
	static const struct {
		int line;
		const char *in, *want;
	} esc[] = {
		{__LINE__, "/api/chat/{session_id:uuid}/poll/", "/api/chat/{session_id:uuid}/poll/"},
		{__LINE__, "a\"b", "a\\\"b"},
		{__LINE__, "back\\slash", "back\\\\slash"},
		{__LINE__, "two\nlines", "two\\nlines"},
		{__LINE__, "", ""},
	};
	for (size_t i = 0; i < sizeof esc / sizeof esc[0]; i++) {
		struct buf b;
		buf_init(&b, 256);
		ok(metrics_escape_label(&b, esc[i].in) == CF_OK, "escape line %d: fits", esc[i].line);
		is_str(buf_str(&b), esc[i].want, "escape line %d: label value escaped per the format", esc[i].line);
		buf_free(&b);
	}
	ok(confab_route_count < CF_METRICS_ROUTES, "every route has a slot in the metrics area (CF_METRICS_ROUTES)");
	int health = dispatch_route_index("GET", "/healthz");
	ok(health >= 0 && strcmp(confab_routes[health].pattern, "/healthz") == 0, "GET /healthz: its route's index");
	is_int(dispatch_route_index("DELETE", "/healthz"), health, "a wrong method counts under the path's route");
	is_int(dispatch_route_index("GET", "/no/such/path"), -1, "no route: -1 ((unmatched))");
	int list = dispatch_route_index("GET", "/api/v1/sessions/");
	ok(list >= 0 && strcmp(confab_routes[list].pattern, "/api/sessions/") == 0, "the v1 alias: the route's pattern");

	ok(metrics_create(), "the shared area maps");
	metrics_request(health, "GET", 200, 0.003);   /* first bucket */
	metrics_request(health, "GET", 204, 0.2);     /* le 0.25 */
	metrics_request(health, "GET", 503, 500.0);   /* past the last bound: only +Inf */
	metrics_request(-1, "BREW", 0, 0.01);         /* no status: 5xx; an odd method: other */
	static const char *const providers[] = {"openai", "anthropic", "local", "azure", "p5", "p6", "p7", "we\"ird\\"};
	for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++)
		metrics_llm_call(providers[i], i == 0 ? CF_E_TIMEOUT : CF_OK, 0.5, 10, 2);
	metrics_llm_call("openai", CF_OK, 1.0, -1, -1);
	metrics_llm_call("a ninth type", CF_OK, 1.0, 1, 1);   /* the table is full: other */
	metrics_job_attempt("webhook", true);
	metrics_job_attempt("webhook", false);
	struct metrics_job_row rows[] = {{"webhook", 3, 1, 42}, {"deliver", 0, 2, 0}};
	metrics_jobs_set(rows, 2);
	metrics_count(METRIC_DB_DEADLOCK_RERUN);
	metrics_upload_bytes(1234);
	ok(metrics_jobs_due(1000) && !metrics_jobs_due(1000 + CF_METRICS_JOBS_EVERY_S - 1) &&
	       metrics_jobs_due(1000 + CF_METRICS_JOBS_EVERY_S),
	   "the queue is read at most once per CF_METRICS_JOBS_EVERY_S");

	struct buf out;
	buf_init(&out, CF_METRICS_MAX_BYTES);
	ok(metrics_render(&out, confab_routes, confab_route_count) == CF_OK, "renders within CF_METRICS_MAX_BYTES");
	const char *t = buf_str(&out);
	static const struct {
		int line;
		const char *want;
	} lines[] = {
		{__LINE__, "# TYPE confab_http_requests_total counter"},
		{__LINE__, "confab_http_requests_total{route=\"/healthz\",method=\"GET\",code=\"2xx\"} 2"},
		{__LINE__, "confab_http_requests_total{route=\"/healthz\",method=\"GET\",code=\"5xx\"} 1"},
		{__LINE__, "confab_http_requests_total{route=\"(unmatched)\",method=\"other\",code=\"5xx\"} 1"},
		{__LINE__, "# TYPE confab_http_request_duration_seconds histogram"},
		{__LINE__, "confab_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"},
		{__LINE__, "confab_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.1\"} 1"},
		{__LINE__, "confab_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.25\"} 2"},
		{__LINE__, "confab_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"120\"} 2"},
		{__LINE__, "confab_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3"},
		{__LINE__, "confab_http_request_duration_seconds_sum{route=\"/healthz\"} 500.203000"},
		{__LINE__, "confab_http_request_duration_seconds_count{route=\"/healthz\"} 3"},
		{__LINE__, "confab_llm_requests_total{provider=\"openai\"} 2"},
		{__LINE__, "confab_llm_requests_total{provider=\"we\\\"ird\\\\\"} 1"},
		{__LINE__, "confab_llm_requests_total{provider=\"other\"} 1"},
		{__LINE__, "confab_llm_errors_total{provider=\"openai\",kind=\"timeout\"} 1"},
		{__LINE__, "confab_llm_errors_total{provider=\"local\",kind=\"timeout\"} 0"},
		{__LINE__, "confab_llm_prompt_tokens_total{provider=\"openai\"} 10"},
		{__LINE__, "confab_llm_request_duration_seconds_count{provider=\"openai\"} 2"},
		{__LINE__, "confab_llm_request_duration_seconds_bucket{provider=\"openai\",le=\"0.5\"} 1"},
		{__LINE__, "confab_job_attempts_total{kind=\"webhook\"} 2"},
		{__LINE__, "confab_job_failures_total{kind=\"webhook\"} 1"},
		{__LINE__, "confab_jobs_queued{kind=\"webhook\"} 3"},
		{__LINE__, "confab_jobs_running{kind=\"deliver\"} 2"},
		{__LINE__, "confab_jobs_oldest_queued_age_seconds{kind=\"webhook\"} 42"},
		{__LINE__, "confab_db_deadlock_reruns_total 1"},
		{__LINE__, "confab_upload_bytes_total 1234"},
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ok(has_line(t, lines[i].want), "rendered line %d: %s", lines[i].line, lines[i].want);
	/* every family: a HELP line right before its TYPE line, names confab_* */
	size_t types = 0, paired = 0;
	for (const char *p = t; (p = strstr(p, "\n# TYPE ")) != NULL; p++) {
		types++;
		const char *name = p + 8;
		size_t n = strcspn(name, " ");
		const char *help = p - 1;
		while (help > t && help[-1] != '\n')
			help--;
		if (strncmp(help, "# HELP ", 7) == 0 && strncmp(help + 7, name, n) == 0 && strncmp(name, "confab_", 7) == 0)
			paired++;
	}
	ok(types > 20 && paired == types, "each of the %zu families has # HELP and # TYPE and a confab_ name", types);
	buf_free(&out);
	struct buf tiny;
	buf_init(&tiny, 64);
	ok(metrics_render(&tiny, confab_routes, confab_route_count) == CF_E_TOO_LARGE, "a render past the ceiling fails, never truncates silently");
	buf_free(&tiny);
	metrics_destroy();
	metrics_request(health, "GET", 200, 0.1);   /* unmapped: ignored, no crash */
	struct buf none;
	buf_init(&none, 64);
	ok(metrics_render(&none, confab_routes, confab_route_count) == CF_OK && none.len == 0, "unmapped: nothing rendered");
	buf_free(&none);
}

/* The /api/docs/ page (api_docs_html.c): every text of the document is
 * escaped, the served document renders whole, the ceiling holds, and the
 * script hash its CSP names is standard base64 of SHA-256. */
static void test_api_docs_html(void)
{
	char b64[45];
	sha256_base64("", 0, b64);
	ok(strcmp(b64, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") == 0, "sha256_base64 of \"\" (%s)", b64);
	struct json_object *doc = json_tokener_parse(
		"{\"info\":{\"title\":\"<script>x</script>\",\"description\":\"a & b\"},"
		"\"paths\":{\"/p/{id}/\":{\"get\":{\"tags\":[\"T\\\"\"],\"summary\":\"<b>\",\"operationId\":\"o\","
		"\"responses\":{\"200\":{\"description\":\"'ok'\"}}}}},"
		"\"components\":{\"schemas\":{\"S\":{\"type\":\"object\",\"properties\":{\"f<\":{\"type\":\"string\","
		"\"example\":\"</pre>\"}}}}}}");
	struct buf page;
	buf_init(&page, CF_API_DOCS_PAGE_MAX);
	cf_status st = api_docs_html(doc, &page);
	const char *html = buf_str(&page);
	ok(st == CF_OK && strstr(html, "<script>x") == NULL && strstr(html, "&lt;script&gt;x") != NULL &&
	       strstr(html, "<b>") == NULL && strstr(html, "a &amp; b") != NULL && strstr(html, "f&lt;") != NULL &&
	       strstr(html, "&lt;/pre&gt;") != NULL && strstr(html, "&#39;ok&#39;") != NULL,
	   "api_docs_html escapes every text of the document");
	buf_free(&page);
	buf_init(&page, 4096);
	ok(api_docs_html(doc, &page) == CF_E_TOO_LARGE, "api_docs_html stops at the buffer's ceiling");
	buf_free(&page);
	json_object_put(doc);
	doc = api_docs_openapi(confab_routes, confab_route_count, "https://h");
	buf_init(&page, CF_API_DOCS_PAGE_MAX);
	st = api_docs_html(doc, &page);
	ok(st == CF_OK && page.len < CF_API_DOCS_PAGE_MAX / 2 && strstr(buf_str(&page), "</html>") != NULL,
	   "the served document renders whole, under half the ceiling (%zu bytes)", page.len);
	buf_free(&page);
	json_object_put(doc);
}

int main(void)
{
	test_utf8();
	test_url_decode();
	test_query_parse();
	test_config();
	test_router();
	test_request();
	test_json_body();
	test_replies();
	test_openai_errors();
	test_etag();
	test_misc();
	test_sse();
	test_prompt();
	test_multipart();
	test_multipart_content_type();
	test_pool();
	test_waiters();
	test_read_cache();
	test_ratelimit_shm();
	test_hostile_input();
	test_client_addr();
	test_secretbox();
	test_stmt_cache();
	test_route_table();
	test_message_role();
	test_openai_parse();
	test_webhooks();
	test_http_client_sinks();
	test_llm_listener();
	test_participants_parse();
	test_oauth_machine();
	test_schemas_openai_chat();
	test_api_docs_html();
	const char *undocumented = api_docs_undocumented(confab_routes, confab_route_count);
	ok(undocumented == NULL, "every route has an OpenAPI description (missing: %s)",
	   undocumented ? undocumented : "none");
	struct route extra[] = {
		{"GET", "/api/not-described/", .handler = NULL, .auth = ROUTE_AUTH_API, .perm = ROUTE_PERM_NONE}};
	ok(api_docs_undocumented(extra, 1) != NULL, "a route without a description is noticed");
	struct json_object *doc = api_docs_openapi(confab_routes, confab_route_count, "https://h");
	struct json_object *paths, *item, *op;
	ok(json_object_object_get_ex(doc, "paths", &paths) &&
	       json_object_object_get_ex(paths, "/api/openai/{id}/v{version}/chat/completions", &item) &&
	       json_object_object_get_ex(item, "post", &op),
	   "typed segments become OpenAPI path parameters");
	json_object_put(doc);
	/* the named schemas (api_schemas.h): every entry parses, every name a
	 * route or a $ref uses exists, and the document carries them */
	const char *problem = api_docs_schema_problem(confab_routes, confab_route_count);
	ok(problem == NULL, "OpenAPI schemas: every entry parses and every name used exists (%s)",
	   problem ? problem : "none");
	struct route named[] = {{"GET", "/api/x/", .tag = "T", .summary = "s", .success = 200,
	                         .response_schema = "NoSuchSchema"}};
	problem = api_docs_schema_problem(named, 1);
	ok(problem != NULL && strstr(problem, "NoSuchSchema") != NULL, "a route naming an unknown schema is noticed");
	struct route queried[] = {{"GET", "/api/x/", .tag = "T", .summary = "s", .success = 200, .query = "NoSuchQuery"}};
	problem = api_docs_schema_problem(queried, 1);
	ok(problem != NULL && strstr(problem, "NoSuchQuery") != NULL, "a route naming unknown query parameters is noticed");
	doc = api_docs_openapi(confab_routes, confab_route_count, "https://h");
	struct json_object *comp, *schemas, *resp, *c201, *media;
	ok(json_object_object_get_ex(doc, "components", &comp) && json_object_object_get_ex(comp, "schemas", &schemas) &&
	       json_object_object_get_ex(schemas, "PaginatedExperimentSessionList", NULL) &&
	       json_object_object_get_ex(schemas, "DetailError", NULL),
	   "components.schemas holds the seed's names and the error families");
	ok(json_object_object_get_ex(doc, "paths", &paths) && json_object_object_get_ex(paths, "/api/sessions/", &item) &&
	       json_object_object_get_ex(item, "post", &op) && json_object_object_get_ex(op, "responses", &resp) &&
	       json_object_object_get_ex(resp, "201", &c201) && json_object_object_get_ex(c201, "content", &media) &&
	       strstr(json_object_to_json_string(media), "ExperimentSession") != NULL &&
	       json_object_object_get_ex(resp, "422", NULL) && json_object_object_get_ex(resp, "429", NULL) &&
	       strstr(json_object_to_json_string(op), "sessions:write") != NULL,
	   "POST /api/sessions/: its success schema, idempotency and rate-limit errors, its scope");
	json_object_put(doc);
	test_metrics();
	return tap_done();
}
