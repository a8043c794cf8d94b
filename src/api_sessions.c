/* api_sessions.c - the "Experiment Sessions" endpoints (/api/sessions/...),
 * docs/API.md §7. Inputs are validated here; the domain work is in
 * sessions.c. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ids.h"
#include "limits.h"
#include "log.h"
#include "sessions.h"
#include "store_chatbots.h"
#include "store_sessions.h"
#include "store_tags.h"
#include "utf8.h"
#include "validate.h"
#include "xalloc.h"

/* "a,b,,a" -> ["a","b"] as JSON text (caller frees), NULL when no names. */
static cf_status comma_list_json(const char *value, char **out)
{
	*out = NULL;
	if (value == NULL)
		return CF_OK;
	struct json_object *list = json_object_new_array();
	const char *p = value;
	cf_status st = CF_OK;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len > 0) {
			char *name = xstrndup(p, len);
			bool seen = false;
			for (size_t i = 0; i < json_object_array_length(list); i++)
				if (strcmp(json_object_get_string(json_object_array_get_idx(list, i)), name) == 0)
					seen = true;
			if (!seen) {
				if (json_object_array_length(list) >= CF_MAX_TAGS_PER_REQUEST)
					st = CF_E_BAD_REQUEST;
				else
					json_object_array_add(list, json_object_new_string(name));
			}
			free(name);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (st == CF_OK && json_object_array_length(list) > 0)
		*out = xstrdup(json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
	else if (st == CF_OK)
		*out = xstrdup("[]");   /* the parameter was given but names nothing: matches nothing */
	json_object_put(list);
	return st;
}

cf_status api_sessions_list(struct handler_ctx *ctx)
{
	const struct request *req = ctx->req;
	struct db *db = ctx->app->db;
	struct session_list_query q;
	memset(&q, 0, sizeof q);
	q.filter.team_id = ctx->who->team_id;
	char *tags = NULL, *versions = NULL, *base = NULL;
	unsigned long long *tag_ids = NULL, *version_ids = NULL;
	struct json_object *results = NULL;
	struct cursor cur;
	cf_status st = CF_OK;

	const char *experiment = request_query(req, "experiment");
	if (experiment != NULL) {
		if (!uuid_valid(experiment)) {
			char msg[160];
			snprintf(msg, sizeof msg, "\"%.100s\" is not a valid UUID.", experiment);
			reply_field_error(ctx->resp, "experiment", msg);
			goto out;
		}
		char norm[UUID_STR_LEN + 1];
		uuid_normalize(experiment, norm);
		struct chatbot_row e;
		q.chatbot_given = true;
		st = store_chatbot_find(db, q.filter.team_id, norm, &e);
		if (st == CF_OK)
			q.filter.chatbot_id = e.id;
		else if (st != CF_E_NOT_FOUND)
			goto out;
		st = CF_OK;
	}
	if (comma_list_json(request_query(req, "tags"), &tags) != CF_OK ||
	    comma_list_json(request_query(req, "versions"), &versions) != CF_OK) {
		char msg[96];
		snprintf(msg, sizeof msg, "At most %d names per filter.", CF_MAX_TAGS_PER_REQUEST);
		reply_detail(ctx->resp, CF_E_BAD_REQUEST, msg);
		goto out;
	}
	if (tags != NULL) {
		q.filter.by_tags = true;
		st = store_tag_ids(db, q.filter.team_id, tags, false, &tag_ids, &q.filter.ntag_ids);
		q.filter.tag_ids = tag_ids;
		if (st != CF_OK)
			goto out;
	}
	if (versions != NULL) {
		q.filter.by_versions = true;
		st = store_tag_ids(db, q.filter.team_id, versions, true, &version_ids, &q.filter.nversion_tag_ids);
		q.filter.version_tag_ids = version_ids;
		if (st != CF_OK)
			goto out;
	}
	const char *ordering = request_query(req, "ordering");
	q.filter.ascending = ordering != NULL && strcmp(ordering, "created_at") == 0;
	q.page_size = api_page_size(request_query(req, "page_size"));

	char secret[65];
	st = api_page_cursor(ctx, secret, &cur, &q.cursor);
	if (st != CF_OK)
		goto out;
	base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	struct page_links links;
	st = sessions_list(db, ctx->who, base, &q, secret, &results, &links);
	if (st != CF_OK)
		goto out;
	struct json_object *page = json_object_new_object();
	char *next = links.next[0] ? api_page_url(ctx, base, links.next) : NULL;
	char *prev = links.previous[0] ? api_page_url(ctx, base, links.previous) : NULL;
	json_object_object_add(page, "next", next ? json_object_new_string(next) : NULL);
	json_object_object_add(page, "previous", prev ? json_object_new_string(prev) : NULL);
	json_object_object_add(page, "results", results);
	results = NULL;
	if (links.has_count)   /* the first page only, after results (as upstream adds it) */
		json_object_object_add(page, "count", json_object_new_int64((int64_t)links.count));
	free(next);
	free(prev);
	reply_json(ctx->resp, page);
out:
	json_object_put(results);
	free(tag_ids);
	free(version_ids);
	free(tags);
	free(versions);
	free(base);
	return st;
}

cf_status api_sessions_retrieve(struct handler_ctx *ctx)
{
	/* Written as text message by message and handed to the response
	 * without a copy (a long session is otherwise held several times). */
	char *base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	struct buf out;
	buf_init(&out, CF_MAX_RESPONSE_BYTES);
	cf_status st = sessions_detail_write(ctx->app->db, ctx->who, base, route_param(ctx->match, "id"), &out);
	free(base);
	if (st == CF_E_NOT_FOUND) {
		buf_free(&out);
		reply_detail(ctx->resp, st, "No ExperimentSession matches the given query.");
		return CF_OK;
	}
	if (st == CF_OK) {
		reply_json_text_take(ctx->resp, &out);
		response_make_conditional(ctx->resp, request_header(ctx->req, "if-none-match"));
	} else if (st == CF_E_TOO_LARGE) {
		log_error("session detail over %ld bytes", (long)CF_MAX_RESPONSE_BYTES);
		st = CF_E_INTERNAL;
	}
	buf_free(&out);
	return st;
}


cf_status api_sessions_create(struct handler_ctx *ctx)
{
	struct json_object *body = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	struct field_errors fe;
	field_errors_init(&fe);
	struct session_create c;
	memset(&c, 0, sizeof c);
	char *state_text = NULL;
	const char *experiment = NULL;
	char norm[UUID_STR_LEN + 1] = "";
	if (!json_object_is_type(body, json_type_object)) {
		char msg[96];
		snprintf(msg, sizeof msg, "Invalid data. Expected a dictionary, but got %s.", json_type_label(body));
		field_errors_add(&fe, "non_field_errors", msg);
		goto invalid;
	}
	struct json_object *v;
	if (!json_object_object_get_ex(body, "experiment", &v)) {
		field_errors_add(&fe, "experiment", "This field is required.");
	} else if (v == NULL) {
		field_errors_add(&fe, "experiment", "This field may not be null.");
	} else {
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		if (s == NULL || !uuid_valid(s)) {
			char msg[160];
			snprintf(msg, sizeof msg, "\xe2\x80\x9c%.100s\xe2\x80\x9d is not a valid UUID.",
			         s ? s : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
			field_errors_add(&fe, "experiment", msg);
		} else {
			experiment = s;
			uuid_normalize(s, norm);
		}
	}
	c.participant = ctx->who->user_email;
	if (json_object_object_get_ex(body, "participant", &v))
		(void)validate_string(&fe, "participant", v, false, CF_PARTICIPANT_ID_MAX, &c.participant);
	if (json_object_object_get_ex(body, "messages", &v) && validate_message_list(v, &fe))
		c.messages = v;
	if (json_object_object_get_ex(body, "state", &v)) {
		if (v == NULL)
			field_errors_add(&fe, "state", "This field may not be null.");
		else
			state_text = xstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
	/* The experiment must exist somewhere (400), then in this team (404). */
	bool in_team = false;
	if (experiment != NULL) {
		st = store_chatbot_find(ctx->app->db, ctx->who->team_id, norm, &c.chatbot);
		if (st == CF_OK) {
			in_team = true;
		} else if (st == CF_E_NOT_FOUND) {
			bool anywhere = false;
			st = store_chatbot_exists_anywhere(ctx->app->db, norm, &anywhere);
			if (st != CF_OK)
				goto out;
			if (!anywhere) {
				char msg[160];
				snprintf(msg, sizeof msg, "Object with public_id=%s does not exist.", experiment);
				field_errors_add(&fe, "experiment", msg);
			}
		} else {
			goto out;
		}
	}
	if (field_errors_any(&fe))
		goto invalid;
	if (!in_team) {
		reply_detail(ctx->resp, CF_E_NOT_FOUND, "Experiment not found");
		st = CF_OK;
		goto out;
	}
	if (c.participant == NULL || *c.participant == '\0') {
		/* A machine token has no user whose e-mail names the participant
		 * (upstream's ExperimentSessionCreateSerializer.create): a string,
		 * not a list, as upstream raises it. */
		struct json_object *why = json_object_new_object();
		json_object_object_add(why, "participant", json_object_new_string("This field is required."));
		reply_fields(ctx->resp, why);
		goto out;
	}
	c.state_json = state_text ? state_text : "{}";
	struct session_row created;   /* (no hints: c.participant_id = c.api_channel_id = 0) */
	st = sessions_create(ctx->app->db, ctx->who, &c, &created);
	const char *external_id = created.external_id;
	if (st != CF_OK)
		goto out;
	char *base = request_base_url(ctx->req, ctx->app->cfg->url_prefix);
	struct json_object *obj = NULL;
	st = sessions_detail(ctx->app->db, ctx->who, base, external_id, &obj);
	if (st == CF_OK) {
		char *location = xasprintf("%s/api/sessions/%s/", base, external_id);
		reply_created(ctx->resp, obj, location);
		free(location);
	}
	free(base);
	goto out;
invalid:
	reply_fields(ctx->resp, field_errors_take(&fe));
	st = CF_OK;
out:
	field_errors_free(&fe);
	free(state_text);
	json_object_put(body);
	return st;
}

static void reply_session_not_found(struct handler_ctx *ctx)
{
	char msg[400];
	snprintf(msg, sizeof msg, "Session not found: %.300s", route_param(ctx->match, "id"));
	reply_error(ctx->resp, CF_E_NOT_FOUND, msg);
}

cf_status api_sessions_end(struct handler_ctx *ctx)
{
	cf_status st = sessions_end(ctx->app->db, ctx->who->team_id, route_param(ctx->match, "id"));
	if (st == CF_E_NOT_FOUND) {
		reply_session_not_found(ctx);
		return CF_OK;
	}
	if (st == CF_OK)
		reply_empty(ctx->resp);
	return st;
}

/* Python truthiness of a JSON value. */
static bool json_truthy(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return false;
	case json_type_boolean: return json_object_get_boolean(v);
	case json_type_int: return json_object_get_int64(v) != 0;
	case json_type_double: return json_object_get_double(v) != 0.0;
	case json_type_string: return json_object_get_string_len(v) > 0;
	case json_type_array: return json_object_array_length(v) > 0;
	case json_type_object: return json_object_object_length(v) > 0;
	}
	return false;
}

cf_status api_sessions_update_state(struct handler_ctx *ctx)
{
	struct json_object *body = NULL, *state = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	if (!json_object_is_type(body, json_type_object) || !json_object_object_get_ex(body, "state", &state) ||
	    !json_truthy(state)) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, "Missing 'state' in request");
		json_object_put(body);
		return CF_OK;
	}
	const char *text = json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN);
	cf_status st = store_session_set_state(ctx->app->db, ctx->who->team_id, route_param(ctx->match, "id"), text);
	if (st == CF_E_NOT_FOUND) {
		reply_session_not_found(ctx);
		st = CF_OK;
	} else if (st == CF_OK) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "success", json_object_new_boolean(1));
		json_object_object_add(obj, "state", json_object_get(state));
		reply_json(ctx->resp, obj);
	}
	json_object_put(body);
	return st;
}

/* POST adds, DELETE removes user tags (§7.7). */
cf_status api_sessions_tags(struct handler_ctx *ctx)
{
	struct json_object *body = NULL, *tags = NULL;
	if (!api_json_body(ctx, &body))
		return CF_OK;
	cf_status st = CF_OK;
	const char *problem = NULL;
	if (!json_object_is_type(body, json_type_object) || !json_object_object_get_ex(body, "tags", &tags) ||
	    !json_truthy(tags)) {
		problem = "Missing 'tags' in request";
	} else if (!json_object_is_type(tags, json_type_array)) {
		problem = "'tags' must be a list";
	} else {
		for (size_t i = 0; i < json_object_array_length(tags) && problem == NULL; i++) {
			struct json_object *t = json_object_array_get_idx(tags, i);
			if (!json_object_is_type(t, json_type_string) || is_blank(json_object_get_string(t)) ||
			    strlen(json_object_get_string(t)) != (size_t)json_object_get_string_len(t))
				problem = "'tags' must be a list of non-empty strings";
		}
		for (size_t i = 0; i < json_object_array_length(tags) && problem == NULL; i++) {
			const char *name = json_object_get_string(json_object_array_get_idx(tags, i));
			if (utf8_length(name, strlen(name)) > CF_TAG_NAME_MAX)
				problem = "Tag names may not be longer than 100 characters";
		}
		if (problem == NULL && json_object_array_length(tags) > CF_MAX_TAGS_PER_REQUEST)
			problem = "Too many tags in one request (at most 100)";
	}
	if (problem != NULL) {
		reply_error(ctx->resp, CF_E_BAD_REQUEST, problem);
		json_object_put(body);
		return CF_OK;
	}
	struct db *db = ctx->app->db;
	struct session_row session;
	st = store_session_find(db, ctx->who->team_id, route_param(ctx->match, "id"), &session);
	if (st == CF_E_NOT_FOUND) {
		reply_session_not_found(ctx);
		st = CF_OK;
		goto out;
	}
	if (st != CF_OK)
		goto out;
	unsigned long long chat_id = session.chat_id;
	session_row_free(&session);
	const char *names = json_object_to_json_string_ext(tags, JSON_C_TO_STRING_PLAIN);
	if (strcmp(ctx->req->method, "POST") == 0)
		st = store_chat_tags_add(db, ctx->who->team_id, chat_id, ctx->who->user_id, names);
	else
		st = store_chat_tags_remove(db, ctx->who->team_id, chat_id, names);
	struct json_object *current = NULL;
	if (st == CF_OK)
		st = sessions_tag_names(db, chat_id, &current);
	if (st == CF_OK) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "tags", current);
		reply_json(ctx->resp, obj);
	}
out:
	json_object_put(body);
	return st;
}
