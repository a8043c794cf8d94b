/* webhooks.c - lifecycle events: queueing them with their effect, their
 * payloads, the signature and one delivery attempt (see webhooks.h). */
#include "webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "crypto.h"
#include "ids.h"
#include "job_kinds.h"
#include "limits.h"
#include "log.h"
#include "store_webhooks.h"
#include "timefmt.h"
#include "xalloc.h"

static const char *const EVENTS[] = {WEBHOOK_SESSION_STARTED, WEBHOOK_SESSION_ENDED, WEBHOOK_MESSAGE_CREATED,
                                     WEBHOOK_TASK_COMPLETED, WEBHOOK_TASK_FAILED, NULL};

bool webhooks_event_known(const char *event)
{
	for (const char *const *e = EVENTS; *e; e++)
		if (strcmp(*e, event) == 0)
			return true;
	return false;
}

bool webhooks_url_valid(const char *url)
{
	size_t n = strlen(url);
	if (n > CF_WEBHOOK_URL_MAX)
		return false;
	size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
	if (scheme == 0 || n == scheme || url[scheme] == '/')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return false;
	return true;
}

cf_status webhooks_emit(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *event,
                        struct json_object *data, int *queued, char event_id_out[37])
{
	struct webhook_targets targets;
	struct json_object *body = NULL, *payload = NULL;
	char event_id[UUID_STR_LEN + 1];
	int n = 0;
	cf_status st = store_webhook_targets(db, team_id, event, &targets);
	if (st != CF_OK || targets.count == 0)
		goto out;
	if ((st = uuid4_generate(event_id)) != CF_OK)
		goto out;
	body = json_object_new_object();
	json_object_object_add(body, "id", json_object_new_string(event_id));
	json_object_object_add(body, "type", json_object_new_string(event));
	json_object_object_add(body, "created", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(body, "team", json_object_new_string(targets.team_slug));
	json_object_object_add(body, "data", data ? json_object_get(data) : json_object_new_object());
	/* The body is stored as text: every attempt sends the same bytes. */
	payload = json_object_new_object();
	json_object_object_add(payload, "event_id", json_object_new_string(event_id));
	json_object_object_add(payload, "type", json_object_new_string(event));
	json_object_object_add(payload, "body",
	                       json_object_new_string(json_object_to_json_string_ext(
	                               body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)));
	/* Fan-out bound: an event queues at most CF_WEBHOOK_MAX_FANOUT
	 * deliveries, to the team's oldest matching endpoints. */
	size_t fanout = targets.count;
	if (fanout > CF_WEBHOOK_MAX_FANOUT) {
		log_warn("webhooks: team %llu has %zu endpoints for %s; delivering to the first %d", team_id, fanout, event,
		         CF_WEBHOOK_MAX_FANOUT);
		fanout = CF_WEBHOOK_MAX_FANOUT;
	}
	for (size_t r = 0; st == CF_OK && r < fanout; r++) {
		json_object_object_add(payload, "endpoint_id", json_object_new_int64((int64_t)targets.endpoint_ids[r]));
		st = jobs_enqueue(db, team_id, session_id, "webhook", payload, CF_WEBHOOK_ATTEMPTS, 0, NULL);
		n += st == CF_OK;
	}
	if (st == CF_OK && event_id_out != NULL)
		memcpy(event_id_out, event_id, sizeof event_id);
out:
	if (queued != NULL)
		*queued = n;
	webhook_targets_free(&targets);
	json_object_put(body);
	json_object_put(payload);
	return st;
}

/* True when team has an endpoint for event: payloads are built only then. */
static unsigned long long hint_no_endpoints_team;   /* 0 = no hint */

void webhooks_hint_no_endpoints(unsigned long long team_id)
{
	hint_no_endpoints_team = team_id;
}

void webhooks_hint_clear(void)
{
	hint_no_endpoints_team = 0;
}

static cf_status wanted(struct db *db, unsigned long long team_id, const char *event, bool *yes)
{
	if (team_id != 0 && team_id == hint_no_endpoints_team) {
		*yes = false;
		return CF_OK;
	}
	struct webhook_targets targets;
	cf_status st = store_webhook_targets(db, team_id, event, &targets);
	*yes = st == CF_OK && targets.count > 0;
	webhook_targets_free(&targets);
	return st;
}

static void add_time(struct json_object *obj, const char *key, const char *db_time)
{
	char iso[ISO_TIME_MAX];
	json_object_object_add(obj, key, db_time_to_iso(db_time, iso) ? json_object_new_string(iso) : NULL);
}

cf_status webhooks_session_event(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                 const char *event)
{
	bool yes = false;
	struct webhook_session_row row;
	cf_status st = wanted(db, team_id, event, &yes);
	if (st != CF_OK || !yes)
		return st;
	st = store_webhook_session(db, team_id, session_id, &row);
	if (st == CF_OK) {
		struct json_object *data = json_object_new_object(), *s = json_object_new_object();
		json_object_object_add(s, "id", json_object_new_string(row.external_id));
		json_object_object_add(s, "chatbot_id", json_object_new_string(row.chatbot_id));
		json_object_object_add(s, "participant", json_object_new_string(row.participant));
		json_object_object_add(s, "platform", json_object_new_string(row.platform));
		json_object_object_add(s, "status", json_object_new_string(row.status));
		json_object_object_add(data, "session", s);
		st = webhooks_emit(db, team_id, session_id, event, data, NULL, NULL);
		json_object_put(data);
	}
	return st;
}

static const char *role_of(const char *message_type)
{
	return strcmp(message_type, "human") == 0 ? "user" : strcmp(message_type, "ai") == 0 ? "assistant" : "system";
}

cf_status webhooks_message_created(struct db *db, unsigned long long team_id, unsigned long long message_id)
{
	bool yes = false;
	struct webhook_message_row row;
	cf_status st = wanted(db, team_id, WEBHOOK_MESSAGE_CREATED, &yes);
	if (st != CF_OK || !yes)
		return st;
	st = store_webhook_message(db, team_id, message_id, &row);
	if (st == CF_OK) {
		struct json_object *data = json_object_new_object(), *m = json_object_new_object();
		json_object_object_add(data, "session_id", json_object_new_string(row.session_external_id));
		json_object_object_add(m, "id", json_object_new_int64((int64_t)row.id));
		json_object_object_add(m, "role", json_object_new_string(role_of(row.message_type)));
		json_object_object_add(m, "content", json_object_new_string(row.content));
		add_time(m, "created_at", row.created_at);
		json_object_object_add(data, "message", m);
		st = webhooks_emit(db, team_id, 0, WEBHOOK_MESSAGE_CREATED, data, NULL, NULL);
		json_object_put(data);
	}
	webhook_message_row_free(&row);
	return st;
}

cf_status webhooks_task_settled(struct db *db, const struct job *job, unsigned long long message_id,
                                const char *error)
{
	if (strcmp(job->kind, "chat_message") != 0 && strcmp(job->kind, "trigger_bot") != 0)
		return CF_OK;
	const char *event = error ? WEBHOOK_TASK_FAILED : WEBHOOK_TASK_COMPLETED;
	bool yes = false;
	struct webhook_session_row session;
	cf_status st = wanted(db, job->team_id, event, &yes);
	if (st != CF_OK || !yes)
		return st;
	struct json_object *data = json_object_new_object(), *t = json_object_new_object();
	json_object_object_add(t, "id", json_object_new_string(job->task_id));
	json_object_object_add(t, "kind", json_object_new_string(job->kind));
	json_object_object_add(t, "attempts", json_object_new_int(job->attempts));
	if (message_id != 0)
		json_object_object_add(t, "message_id", json_object_new_int64((int64_t)message_id));
	if (error != NULL)
		json_object_object_add(t, "error", json_object_new_string(error));
	json_object_object_add(data, "task", t);
	if (job->session_id != 0 && store_webhook_session(db, job->team_id, job->session_id, &session) == CF_OK)
		json_object_object_add(data, "session_id", json_object_new_string(session.external_id));
	st = webhooks_emit(db, job->team_id, job->session_id, event, data, NULL, NULL);
	json_object_put(data);
	return st;
}

void webhooks_sign(const char *secret, long long t, const char *body, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	char *signed_text = xasprintf("%lld.%s", t, body);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)signed_text, strlen(signed_text), mac,
	         &len) == NULL)
		len = 0;   /* cannot happen with SHA-256; yields "" */
	for (unsigned int i = 0; i < len && i < 32; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[2 * (len < 32 ? len : 32)] = '\0';
	free(signed_text);
}

/* Keeps the first bytes of the answer (for the job's error), drops the rest. */
static size_t on_write(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct buf *b = userdata;
	size_t n = size * nmemb, room = b->len < CF_WEBHOOK_RESPONSE_KEEP ? CF_WEBHOOK_RESPONSE_KEEP - b->len : 0;
	if (room > 0 && buf_append(b, data, n < room ? n : room) != CF_OK)
		return 0;   /* cannot happen below the buffer's ceiling */
	return n;
}

cf_status webhooks_post(const char *url, const char *secret, const char *event_id, const char *type,
                        const char *body, long *http_status, char *err, size_t errlen)
{
	*http_status = 0;
	if (!webhooks_url_valid(url)) {
		snprintf(err, errlen, "not an http(s) URL");
		return CF_E_BAD_REQUEST;
	}
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		return CF_E_INTERNAL;
	}
	long long t = (long long)time(NULL);
	char sig[65];
	webhooks_sign(secret, t, body, sig);
	char h_sig[128], h_id[64], h_type[80];
	snprintf(h_sig, sizeof h_sig, "Confab-Signature: t=%lld,v1=%s", t, sig);
	snprintf(h_id, sizeof h_id, "Confab-Event-Id: %s", event_id);
	snprintf(h_type, sizeof h_type, "Confab-Event-Type: %s", type);
	struct curl_slist *headers = NULL, *h;
	const char *lines[] = {"Content-Type: application/json", h_sig, h_id, h_type, "Expect:"};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		h = curl_slist_append(headers, lines[i]);
		if (h == NULL) {
			curl_slist_free_all(headers);
			curl_easy_cleanup(c);
			snprintf(err, errlen, "out of memory for headers");
			return CF_E_INTERNAL;
		}
		headers = h;
	}
	struct buf answer;
	buf_init(&answer, CF_WEBHOOK_RESPONSE_KEEP + 1);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)CF_WEBHOOK_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)CF_WEBHOOK_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "confab-webhooks/" PACKAGE_VERSION);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http_status);
	cf_status st = CF_OK;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		st = rc == CURLE_OPERATION_TIMEDOUT ? CF_E_TIMEOUT : CF_E_UPSTREAM;
	} else if (*http_status < 200 || *http_status >= 300) {
		snprintf(err, errlen, "HTTP %ld: %s", *http_status, buf_str(&answer));
		st = CF_E_UPSTREAM;
	}
	buf_free(&answer);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return st;
}

long webhooks_backoff_ms(const struct config *cfg, int attempt)
{
	long ms = (long)cfg->webhook_retry_base_seconds * 1000;
	for (int i = 1; i < attempt && ms < CF_WEBHOOK_BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > CF_WEBHOOK_BACKOFF_CAP_MS)
		ms = CF_WEBHOOK_BACKOFF_CAP_MS;
	unsigned r = 0;
	if (random_bytes(&r, sizeof r) != CF_OK)
		r = 0;
	return ms * 3 / 4 + (long)(r % (unsigned)(ms / 2 + 1));
}

/* ---- the "webhook" job: one delivery of one event to one endpoint ---- */

static const char *payload_str(struct json_object *p, const char *key)
{
	struct json_object *v;
	return (json_object_object_get_ex(p, key, &v) && json_object_is_type(v, json_type_string))
	               ? json_object_get_string(v)
	               : "";
}

cf_status job_webhook(const struct job_env *env, const struct job *job, struct json_object **result, char *err,
                      size_t errlen)
{
	struct json_object *v;
	unsigned long long endpoint_id = 0;
	if (json_object_object_get_ex(job->payload, "endpoint_id", &v))
		endpoint_id = (unsigned long long)json_object_get_int64(v);
	struct webhook_endpoint_row endpoint;
	cf_status st = store_webhook_get(env->db, job->team_id, endpoint_id, &endpoint);
	if (st == CF_E_NOT_FOUND || (st == CF_OK && !endpoint.active)) {
		webhook_endpoint_row_free(&endpoint);
		*result = json_object_new_object();
		json_object_object_add(*result, "skipped", json_object_new_string("the endpoint was removed or deactivated"));
		return CF_OK;
	}
	if (st != CF_OK) {
		webhook_endpoint_row_free(&endpoint);
		snprintf(err, errlen, "could not load endpoint %llu", endpoint_id);
		return st;
	}
	long status = 0;
	st = webhooks_post(endpoint.url, endpoint.secret, payload_str(job->payload, "event_id"), payload_str(job->payload, "type"),
	                   payload_str(job->payload, "body"), &status, err, errlen);
	if (st == CF_OK) {
		*result = json_object_new_object();
		json_object_object_add(*result, "status", json_object_new_int((int)status));
	} else if (status == 410) {   /* Gone: the receiver asks us to stop */
		log_warn("webhook endpoint %llu answered 410 Gone; deactivating it", endpoint_id);
		if (store_webhook_deactivate(env->db, job->team_id, endpoint_id) != CF_OK)
			log_warn("webhook endpoint %llu: could not deactivate: %s", endpoint_id, db_last_error(env->db));
		st = CF_E_NOT_FOUND;   /* final */
	} else if (st == CF_E_BAD_REQUEST) {
		st = CF_E_CONFIG;      /* a stored URL that is not valid any more: final */
	}
	webhook_endpoint_row_free(&endpoint);   /* wipes the secret */
	return st;
}
