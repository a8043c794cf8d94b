/* ctl_webhooks.c - confabctl webhook add|list|remove|test: the endpoints a
 * team's events are delivered to, each with its signing secret (sealed at
 * rest, printed once when generated). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "confabctl.h"
#include "crypto.h"
#include "ids.h"
#include "limits.h"
#include "store_webhooks.h"
#include "webhooks.h"
#include "xalloc.h"

int cmd_webhook_add(struct ctl *c)
{
	const char *url = ctl_required(c, "url");
	if (!webhooks_url_valid(url))
		ctl_die(2, "--url must be an http:// or https:// URL of at most %d bytes", CF_WEBHOOK_URL_MAX);
	char *events_json = NULL;
	const char *events = ctl_opt(c, "events");
	if (events != NULL && strcmp(events, "all") != 0) {
		struct json_object *list = json_object_new_array();
		char *copy = xstrdup(events);
		for (char *e = copy, *next = NULL; e != NULL; e = next) {
			next = strchr(e, ',');
			if (next != NULL)
				*next++ = '\0';
			if (!webhooks_event_known(e))
				ctl_die(2, "unknown event \"%s\" (session.started, session.ended, message.created, "
				           "task.completed, task.failed)", e);
			json_object_array_add(list, json_object_new_string(e));
		}
		free(copy);
		if (json_object_array_length(list) == 0)
			ctl_die(2, "--events lists no event");
		events_json = xstrdup(json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
		json_object_put(list);
	}
	char *secret = NULL;
	bool generated = ctl_opt(c, "secret-file") == NULL;
	if (!generated) {
		secret = ctl_read_secret_file(ctl_opt(c, "secret-file"));
		if (strlen(secret) < 16 || strlen(secret) > CF_WEBHOOK_SECRET_MAX)
			ctl_die(2, "the secret must be 16 to %d bytes", CF_WEBHOOK_SECRET_MAX);
	} else {
		char random[33];
		if (random_string(random, 32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != CF_OK)
			ctl_die(1, "could not generate a secret");
		secret = xasprintf("whsec_%s", random);
		explicit_bzero(random, sizeof random);
	}
	ctl_open(c);
	unsigned long long id = 0;
	char *sealed = ctl_seal(c, SECRET_WEBHOOK_SECRET, c->team, secret);
	ctl_check(c, store_webhook_add(c->db, c->team, url, sealed, events_json, &id), "webhook");
	free(sealed);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)id));
		if (generated)
			json_object_object_add(obj, "secret", json_object_new_string(secret));
		ctl_print_json(obj);
	} else {
		printf("%llu\n", id);
		if (generated) {
			puts(secret);
			fprintf(stderr, "Store this signing secret now: it is not shown again.\n");
		}
	}
	explicit_bzero(secret, strlen(secret));
	free(secret);
	free(events_json);
	return 0;
}

/* events: "all" in a line, null in JSON, when the endpoint takes every event. */
#define ROW struct webhook_endpoint_row
static const struct ctl_cell WEBHOOK_CELLS[] = {
	{.field = CTL_ULL_AT(ROW, id)},
	{.field = CTL_STRING_AT(ROW, url)},
	{.field = CTL_STRING_AT(ROW, events), .absent = "all"},
	{.field = CTL_BOOL_AT(ROW, active), .yes = "active", .no = "inactive"},
};
static const struct ctl_member WEBHOOK_MEMBERS[] = {
	{.key = "id", .field = CTL_ULL_AT(ROW, id)},
	{.key = "url", .field = CTL_STRING_AT(ROW, url)},
	{.key = "events", .field = CTL_STRING_AT(ROW, events), .parse = true},
	{.key = "active", .field = CTL_BOOL_AT(ROW, active)},
	{.key = "created_at", .field = CTL_CHARS_AT(ROW, created_at)},
};
#undef ROW
static const struct ctl_table WEBHOOKS = CTL_TABLE(WEBHOOK_CELLS, WEBHOOK_MEMBERS);

static cf_status list_webhook(void *listing, const struct webhook_endpoint_row *w)
{
	return ctl_list_row(listing, w);
}

int cmd_webhook_list(struct ctl *c)
{
	ctl_open(c);
	struct ctl_listing l;
	ctl_list_start(&l, c, &WEBHOOKS);
	ctl_check(c, store_webhook_list(c->db, c->team, list_webhook, &l), "webhooks");
	ctl_list_end(&l);
	return 0;
}

int cmd_webhook_remove(struct ctl *c)
{
	ctl_open(c);
	cf_status st = store_webhook_remove(c->db, c->team, c->id);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "team %s has no webhook %llu", ctl_opt(c, "team"), c->id);
	ctl_check(c, st, "webhook");
	return 0;
}

/* Delivers a ping event to the endpoint at once (not through the task
 * runners) and prints the outcome; exit 1 when it was not accepted. */
int cmd_webhook_test(struct ctl *c)
{
	unsigned long long id = c->id;
	const char *slug = ctl_required(c, "team");
	ctl_open(c);
	ctl_need_key(c);
	struct webhook_endpoint_row endpoint;
	cf_status st = store_webhook_get(c->db, c->team, id, &endpoint);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "team %s has no webhook %llu", slug, id);
	if (st == CF_E_CONFIG)
		ctl_die(1, "webhook %llu: its stored secret does not open with %s", id, c->cfg.secret_key_file);
	ctl_check(c, st, "webhook");
	/* the same envelope the webhook job sends (webhooks_payload.h) */
	char event_id[UUID_STR_LEN + 1];
	char *body = NULL;
	struct json_object *data = json_object_new_object();
	json_object_object_add(data, "endpoint_id", json_object_new_int64((int64_t)id));
	st = webhooks_envelope(WEBHOOK_PING, slug, data, event_id, &body);
	json_object_put(data);
	if (st != CF_OK)
		ctl_die(1, "could not generate an event id");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	long status = 0;
	char err[300] = "";
	st = webhooks_post(endpoint.url, endpoint.secret, event_id, WEBHOOK_PING, body, &status, err, sizeof err);
	webhook_endpoint_row_free(&endpoint);
	free(body);
	curl_global_cleanup();
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "event_id", json_object_new_string(event_id));
		json_object_object_add(obj, "status", json_object_new_int((int)status));
		json_object_object_add(obj, "delivered", json_object_new_boolean(st == CF_OK));
		if (st != CF_OK)
			json_object_object_add(obj, "error", json_object_new_string(err));
		ctl_print_json(obj);
	} else if (st == CF_OK) {
		printf("delivered: HTTP %ld (event %s)\n", status, event_id);
	} else {
		printf("not delivered: %s (event %s)\n", err, event_id);
	}
	return st == CF_OK ? 0 : 1;
}
