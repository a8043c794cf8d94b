/* api_participants.c - the Participants tag (docs/API.md §9.3, §9.4):
 * GET /api/participants lists the team's participants with their
 * per-chatbot data; POST sets a participant's name, data and schedules. */
#include "api.h"
#include "api_validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "channels.h"
#include "cursor.h"
#include "ids.h"
#include "limits.h"
#include "participants.h"
#include "store_chatbots.h"
#include "store_participants.h"
#include "store_sessions.h"
#include "timefmt.h"
#include "urlcode.h"
#include "validate.h"
#include "xalloc.h"

/* ---- GET ---- */

/* The participant as ParticipantDetailSerializer shows it; caller owns it. */
static cf_status participant_json(struct db *db, unsigned long long team_id, const struct participant_row *p,
                                  unsigned long long chatbot_id, struct json_object **out)
{
	struct participant_data_row *data = NULL;
	size_t n = 0;
	cf_status st = store_participant_data_of(db, team_id, p->id, chatbot_id, &data, &n);
	if (st != CF_OK)
		return st;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(p->public_id));
	json_object_object_add(o, "identifier", json_object_new_string(p->identifier));
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "platform", json_object_new_string(p->platform));
	json_object_object_add(o, "remote_id", json_object_new_string(p->remote_id));
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();
		struct json_object *d = json_tokener_parse(data[i].data_json);
		json_object_object_add(e, "chatbot", json_object_new_string(data[i].chatbot));
		json_object_object_add(e, "chatbot_id", json_object_new_string(data[i].chatbot_id));
		json_object_object_add(e, "data", d ? d : json_object_new_object());
		json_object_object_add(e, "connect_channel_id", data[i].connect_channel_id[0]
		                                                        ? json_object_new_string(data[i].connect_channel_id)
		                                                        : NULL);
		json_object_array_add(list, e);
	}
	json_object_object_add(o, "data", list);
	participant_data_rows_free(data, n);
	*out = o;
	return CF_OK;
}

/* This request's URL with cursor set (replacing any cursor); caller frees. */
static char *next_url(const struct handler_ctx *ctx, const char *base, const char *cursor)
{
	struct buf url;
	buf_init(&url, CF_MAX_QUERY_BYTES * 4);
	bool ok = buf_printf(&url, "%s%s?", base, ctx->req->raw_path) == CF_OK;
	const struct kv_list *q = &ctx->req->query;
	for (size_t i = 0; ok && i < q->count; i++) {
		if (strcmp(q->items[i].key, "cursor") == 0)
			continue;
		char *k = url_encode_component(q->items[i].key);
		char *v = url_encode_component(q->items[i].value);
		ok = buf_printf(&url, "%s=%s&", k, v) == CF_OK;
		free(k);
		free(v);
	}
	if (ok)
		ok = buf_printf(&url, "cursor=%s", cursor) == CF_OK;
	return ok ? buf_take(&url) : (buf_free(&url), xstrdup(base));
}

cf_status api_participants_list(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	const struct request *req = ctx->req;
	struct participant_row *rows = NULL;
	size_t n = 0;
	char *base = NULL, *next = NULL;
	struct json_object *results = NULL;
	const char *identifier = request_query(req, "identifier");
	const char *platform = request_query(req, "platform");
	struct participant_filter f = {
		.team_id = ctx->who->team_id, .identifier = identifier ? identifier : "", .platform = platform ? platform : "",
	};
	cf_status st = CF_OK;
	/* "chatbot" is upstream's documented name, "experiment" its older
	 * alias; the error names the parameter the caller used */
	const char *param = "chatbot";
	const char *chatbot = request_query(req, "chatbot");
	if (chatbot == NULL || chatbot[0] == '\0') {
		param = "experiment";
		chatbot = request_query(req, "experiment");
	}
	bool no_match = false;
	if (chatbot != NULL && chatbot[0] != '\0') {
		if (!uuid_valid(chatbot)) {
			reply_field_error(ctx->resp, param, "Must be a valid UUID.");
			goto out;
		}
		char norm[UUID_STR_LEN + 1];
		uuid_normalize(chatbot, norm);
		struct chatbot_row bot;
		st = store_chatbot_find(db, f.team_id, norm, &bot);
		if (st == CF_OK)
			f.chatbot_id = bot.id;
		else if (st == CF_E_NOT_FOUND)
			no_match = true;
		else
			goto out;
		st = CF_OK;
	}
	char secret[65];
	st = store_secret(db, "cursor", secret);
	if (st != CF_OK)
		goto out;
	struct cursor cur;
	memset(&cur, 0, sizeof cur);
	const char *cursor_text = request_query(req, "cursor");
	if (cursor_text != NULL && cursor_decode(cursor_text, secret, &cur) != CF_OK) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, "Invalid cursor");
		goto out;
	}
	size_t page_size = api_page_size(request_query(req, "page_size"));
	unsigned long long count = 0;
	if (!no_match) {
		st = store_participants_page(db, &f, cur.created_at, cur.id, page_size + 1, &rows, &n);
		if (st == CF_OK && cursor_text == NULL)
			st = store_participants_count(db, &f, &count);
		if (st != CF_OK)
			goto out;
	}
	results = json_object_new_array();
	for (size_t i = 0; i < n && i < page_size; i++) {
		struct json_object *p = NULL;
		st = participant_json(db, f.team_id, &rows[i], f.chatbot_id, &p);
		if (st != CF_OK)
			goto out;
		json_object_array_add(results, p);
	}
	if (n > page_size) {
		struct cursor c;
		memset(&c, 0, sizeof c);
		snprintf(c.created_at, sizeof c.created_at, "%s", rows[page_size - 1].created_at);
		c.id = rows[page_size - 1].id;
		char text[CURSOR_MAX_LEN];
		st = cursor_encode(&c, secret, text);
		if (st != CF_OK)
			goto out;
		base = request_base_url(req, ctx->app->cfg->url_prefix);
		next = next_url(ctx, base, text);
	}
	struct json_object *page = json_object_new_object();
	json_object_object_add(page, "next", next ? json_object_new_string(next) : NULL);
	json_object_object_add(page, "previous", NULL);
	json_object_object_add(page, "results", results);
	results = NULL;
	if (cursor_text == NULL)
		json_object_object_add(page, "count", json_object_new_int64((int64_t)count));
	reply_json(ctx->resp, page);
out:
	json_object_put(results);
	free(rows);
	free(base);
	free(next);
	return st;
}

/* ---- POST ---- */

/* Parses one entry of a list into out (an element of the caller's array). */
typedef bool (*entry_parser)(struct json_object *entry, struct field_errors *fe, void *out);

/* Each entry of list parsed by parse into a new array of elem-sized
 * elements (caller frees; *n receives the count). Invalid entries' errors
 * go under field as DRF renders a ListSerializer's: a list with the
 * entry's errors at its index and {} for each valid one. */
static void *parse_entries(struct field_errors *fe, const char *field, struct json_object *list, size_t elem,
                           entry_parser parse, size_t *n)
{
	*n = json_object_array_length(list);
	unsigned char *array = xcalloc(*n ? *n : 1, elem);
	struct json_object *errors = NULL;
	for (size_t i = 0; i < *n; i++) {
		struct field_errors efe;
		field_errors_init(&efe);
		if (!parse(json_object_array_get_idx(list, i), &efe, array + i * elem)) {
			if (errors == NULL)
				errors = json_object_new_array();
			while (json_object_array_length(errors) < i)
				json_object_array_add(errors, json_object_new_object());
			json_object_array_add(errors, field_errors_take(&efe));
		}
		field_errors_free(&efe);
	}
	if (errors != NULL) {
		while (json_object_array_length(errors) < *n)
			json_object_array_add(errors, json_object_new_object());
		field_errors_put(fe, field, errors);
	}
	return array;
}

/* The DRF error of a body or entry that is not an object; false then. */
static bool is_dict(struct json_object *v, struct field_errors *fe)
{
	if (json_object_is_type(v, json_type_object))
		return true;
	char msg[96];
	snprintf(msg, sizeof msg, "Invalid data. Expected a dictionary, but got %s.", json_type_label(v));
	field_errors_add(fe, "non_field_errors", msg);
	return false;
}

/* A list field: absent is fine when !required; else a JSON array of at most
 * max entries. Returns the array (borrowed) or NULL after adding the error. */
static struct json_object *list_field(struct field_errors *fe, struct json_object *obj, const char *field,
                                      bool required, size_t max, bool *absent)
{
	struct json_object *v = NULL;
	*absent = !json_object_object_get_ex(obj, field, &v);
	if (*absent) {
		if (required)
			field_errors_add(fe, field, "This field is required.");
		return NULL;
	}
	if (v == NULL) {
		field_errors_add(fe, field, "This field may not be null.");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_array)) {
		char msg[96];
		snprintf(msg, sizeof msg, "Expected a list of items but got type \"%s\".", json_type_label(v));
		field_errors_add(fe, field, msg);
		return NULL;
	}
	if (json_object_array_length(v) > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "Ensure this field has no more than %zu elements.", max);
		field_errors_add(fe, field, msg);
		return NULL;
	}
	return v;
}

/* One ParticipantScheduleSerializer entry. */
static bool parse_schedule(struct json_object *s, struct field_errors *fe, void *into)
{
	struct schedule_request *out = into;
	struct json_object *v;
	memset(out, 0, sizeof *out);
	if (!is_dict(s, fe))
		return false;
	if (json_object_object_get_ex(s, "id", &v))
		(void)validate_string(fe, "id", v, false, CF_SCHEDULE_ID_MAX, &out->id);
	if (json_object_object_get_ex(s, "name", &v))
		(void)validate_string(fe, "name", v, false, CF_SCHEDULE_NAME_MAX, &out->name);
	if (json_object_object_get_ex(s, "prompt", &v))
		(void)validate_string(fe, "prompt", v, false, CF_SCHEDULE_PROMPT_MAX, &out->prompt);
	bool has_date = false;
	if (json_object_object_get_ex(s, "date", &v)) {
		if (v == NULL)
			field_errors_add(fe, "date", "This field may not be null.");
		else if (json_object_is_type(v, json_type_string) &&
		         iso_to_db_time(json_object_get_string(v), out->date_db))
			has_date = true;
		else
			field_errors_add(fe, "date", "Datetime has wrong format. Use one of these formats instead: "
			                             "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
	}
	if (json_object_object_get_ex(s, "delete", &v)) {
		if (v == NULL)
			field_errors_add(fe, "delete", "This field may not be null.");
		else if (json_object_is_type(v, json_type_boolean))
			out->delete_it = json_object_get_boolean(v);
		else
			field_errors_add(fe, "delete", "Must be a valid boolean.");
	}
	if (field_errors_any(fe))
		return false;
	if (out->delete_it) {
		if (out->id == NULL) {
			field_errors_add(fe, "non_field_errors", "Schedule ID is required to delete a schedule");
			return false;
		}
	} else if (out->name == NULL || out->prompt == NULL || !has_date) {
		field_errors_add(fe, "non_field_errors",
		                 "Schedule Name, Prompt, and Date are required to create or update a schedule");
		return false;
	}
	return true;
}

/* One ParticipantExperimentData entry. */
static bool parse_item(struct json_object *e, struct field_errors *fe, void *into)
{
	struct participant_item *out = into;
	struct json_object *v;
	if (!is_dict(e, fe))
		return false;
	if (!json_object_object_get_ex(e, "experiment", &v)) {
		field_errors_add(fe, "experiment", "This field is required.");
	} else if (v == NULL) {
		field_errors_add(fe, "experiment", "This field may not be null.");
	} else if (!json_object_is_type(v, json_type_string) || !uuid_valid(json_object_get_string(v))) {
		field_errors_add(fe, "experiment", "Must be a valid UUID.");
	} else {
		uuid_normalize(json_object_get_string(v), out->experiment);
	}
	if (json_object_object_get_ex(e, "data", &v)) {
		if (v == NULL)
			field_errors_add(fe, "data", "This field may not be null.");
		else if (validate_dict(fe, "data", v) && json_object_object_length(v) > 0)
			out->data = v;
	}
	bool absent = true;
	struct json_object *list = list_field(fe, e, "schedules", false, CF_SCHEDULES_PER_ITEM, &absent);
	if (list != NULL)
		out->schedules = parse_entries(fe, "schedules", list, sizeof *out->schedules, parse_schedule,
		                               &out->nschedules);
	return !field_errors_any(fe);
}

bool participants_parse_update(struct json_object *body, struct field_errors *fe, struct participant_update *out)
{
	struct json_object *v;
	memset(out, 0, sizeof *out);
	if (!is_dict(body, fe))
		return false;
	const char *identifier = NULL;
	if (!json_object_object_get_ex(body, "identifier", &v))
		field_errors_add(fe, "identifier", "This field is required.");
	else
		(void)validate_string(fe, "identifier", v, false, CF_PARTICIPANT_ID_MAX, &identifier);
	if (json_object_object_get_ex(body, "name", &v))
		(void)validate_string(fe, "name", v, false, CF_PARTICIPANT_ID_MAX, &out->name);
	snprintf(out->platform, sizeof out->platform, "api");
	if (json_object_object_get_ex(body, "platform", &v)) {
		const char *platform = v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
		if (!channels_platform_known(platform) || strlen(platform) >= sizeof out->platform) {
			char msg[160];
			snprintf(msg, sizeof msg, "\"%.100s\" is not a valid choice.", platform);
			field_errors_add(fe, "platform", msg);
		} else {
			snprintf(out->platform, sizeof out->platform, "%s", platform);
		}
	}
	bool absent = true;
	struct json_object *list = list_field(fe, body, "data", true, CF_PARTICIPANT_DATA_ITEMS, &absent);
	if (list != NULL)
		out->items = parse_entries(fe, "data", list, sizeof *out->items, parse_item, &out->nitems);
	if (identifier != NULL) {
		snprintf(out->identifier, sizeof out->identifier, "%s", identifier);
		channels_normalise_identifier(out->platform, out->identifier);
	}
	return !field_errors_any(fe);
}

/* Resolves every item's chatbot in the team; the missing ones are listed
 * in *missing (caller owns it; NULL when all were found), as upstream's
 * 404 {"errors": [{"message": "Experiment <id> not found"}]}. */
static cf_status resolve_chatbots(struct db *db, unsigned long long team_id, struct participant_update *rq,
                                  struct json_object **missing)
{
	*missing = NULL;
	for (size_t i = 0; i < rq->nitems; i++) {
		struct chatbot_row bot;
		cf_status st = store_chatbot_find(db, team_id, rq->items[i].experiment, &bot);
		if (st == CF_OK) {
			rq->items[i].chatbot_id = bot.id;
			continue;
		}
		if (st != CF_E_NOT_FOUND)
			return st;
		bool listed = false;   /* upstream reports each missing id once */
		for (size_t k = 0; k < i; k++)
			listed = listed || strcmp(rq->items[k].experiment, rq->items[i].experiment) == 0;
		if (listed)
			continue;
		if (*missing == NULL)
			*missing = json_object_new_array();
		char msg[96];
		snprintf(msg, sizeof msg, "Experiment %s not found", rq->items[i].experiment);
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "message", json_object_new_string(msg));
		json_object_array_add(*missing, e);
	}
	return CF_OK;
}

cf_status api_participants_update(struct handler_ctx *ctx)
{
	struct db *db = ctx->app->db;
	struct json_object *body = NULL, *missing = NULL, *out = NULL;
	struct participant_update rq;
	memset(&rq, 0, sizeof rq);
	struct field_errors fe;
	field_errors_init(&fe);
	cf_status st = CF_OK;
	if (!api_json_body(ctx, &body))
		goto out;
	if (!participants_parse_update(body, &fe, &rq)) {
		reply_fields(ctx->resp, field_errors_take(&fe));
		goto out;
	}
	st = resolve_chatbots(db, ctx->who->team_id, &rq, &missing);
	if (st != CF_OK)
		goto out;
	if (missing != NULL) {
		struct json_object *errors = json_object_new_object();
		json_object_object_add(errors, "errors", missing);
		missing = NULL;
		reply_json_status(ctx->resp, CF_E_NOT_FOUND, errors);
		goto out;
	}
	unsigned long long pid = 0;
	st = participants_update(db, ctx->who->team_id, ctx->who->user_id, &rq, &pid);
	struct participant_row p;
	if (st == CF_OK)
		st = store_participant_get(db, ctx->who->team_id, pid, &p);
	if (st == CF_OK)
		st = participant_json(db, ctx->who->team_id, &p, 0, &out);
	if (st == CF_OK) {
		reply_json(ctx->resp, out);
		out = NULL;
	}
out:
	json_object_put(out);
	json_object_put(missing);
	participant_update_free(&rq);
	field_errors_free(&fe);
	json_object_put(body);
	return st;
}
