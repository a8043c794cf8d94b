/* sessions.c - ExperimentSession / Experiment / Message JSON and session
 * creation. A page costs a constant number of queries: the page itself,
 * the tags of all its chats, and the versions of each distinct chatbot. */
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http_response.h"
#include "ids.h"
#include "store_chat.h"
#include "log.h"
#include "timefmt.h"
#include "webhooks.h"
#include "xalloc.h"

#define EXPERIMENT_CACHE 8

static struct json_object *iso_time(const char *db_time)
{
	char iso[ISO_TIME_MAX];
	if (db_time == NULL || !db_time_to_iso(db_time, iso))
		return NULL;
	return json_object_new_string(iso);
}

/* One entry of an Experiment's "versions" (ctx: the array). */
static cf_status add_version(void *ctx, const struct chatbot_version_summary *s)
{
	struct json_object *v = json_object_new_object();
	json_object_object_add(v, "name", json_object_new_string(s->name));
	json_object_object_add(v, "version_number", json_object_new_int64(s->version_number));
	json_object_object_add(v, "is_default_version", json_object_new_boolean(s->is_default_version));
	json_object_object_add(v, "version_description", json_object_new_string(s->version_description));
	json_object_array_add(ctx, v);
	return CF_OK;
}

/* Experiment JSON of §4 for a working row. */
static cf_status present_experiment(struct db *db, const char *base, const struct chatbot_row *e,
                                    struct json_object **out)
{
	struct json_object *versions = json_object_new_array();
	cf_status st = store_chatbot_versions(db, e->id, add_version, versions);
	if (st != CF_OK) {
		json_object_put(versions);
		return st;
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(e->public_id));
	json_object_object_add(obj, "name", json_object_new_string(e->name));
	char *url = xasprintf("%s/api/experiments/%s/", base, e->public_id);
	json_object_object_add(obj, "url", json_object_new_string(url));
	free(url);
	json_object_object_add(obj, "version_number", json_object_new_int64(e->version_number));
	json_object_object_add(obj, "versions", versions);
	*out = obj;
	return CF_OK;
}

/* Experiment JSON per working id, built once per request. */
struct experiment_cache {
	unsigned long long ids[EXPERIMENT_CACHE];
	struct json_object *objs[EXPERIMENT_CACHE];
	size_t count;
};

static void experiment_cache_free(struct experiment_cache *c)
{
	for (size_t i = 0; i < c->count; i++)
		json_object_put(c->objs[i]);
	c->count = 0;
}

/* A new reference to the experiment's JSON (caller puts it). */
static cf_status experiment_json(struct db *db, const char *base, unsigned long long team_id,
                                 unsigned long long id, struct experiment_cache *c, struct json_object **out)
{
	for (size_t i = 0; i < c->count; i++) {
		if (c->ids[i] == id) {
			*out = json_object_get(c->objs[i]);
			return CF_OK;
		}
	}
	struct chatbot_row e;
	cf_status st = store_chatbot_get(db, team_id, id, &e);
	struct json_object *obj = NULL;
	if (st == CF_OK)
		st = present_experiment(db, base, &e, &obj);
	if (st != CF_OK)
		return st;
	if (c->count == EXPERIMENT_CACHE)
		experiment_cache_free(c);
	c->ids[c->count] = id;
	c->objs[c->count++] = obj;
	*out = json_object_get(obj);
	return CF_OK;
}

/* ExperimentSession JSON of §7.1 for row r; messages (may be NULL) and
 * tags are taken over. */
static struct json_object *present_session(const struct db_rows *rows, size_t r, const char *base,
                                           const struct principal *who, struct json_object *experiment,
                                           struct json_object *messages, struct json_object *tags)
{
	const char *external_id = db_cell_str(rows, r, SESSION_COL_EXTERNAL_ID);
	struct json_object *obj = json_object_new_object();
	char *url = xasprintf("%s/api/sessions/%s/", base, external_id);
	json_object_object_add(obj, "url", json_object_new_string(url));
	free(url);
	json_object_object_add(obj, "id", json_object_new_string(external_id));
	struct json_object *team = json_object_new_object();
	json_object_object_add(team, "name", json_object_new_string(who->team_name));
	json_object_object_add(team, "slug", json_object_new_string(who->team_slug));
	json_object_object_add(obj, "team", team);
	json_object_object_add(obj, "experiment", experiment);
	struct json_object *participant = NULL;
	if (db_cell_bool(rows, r, SESSION_COL_HAS_PARTICIPANT)) {
		participant = json_object_new_object();
		json_object_object_add(participant, "identifier",
		                       json_object_new_string(db_cell_str(rows, r, SESSION_COL_PARTICIPANT_IDENTIFIER)));
		json_object_object_add(participant, "remote_id",
		                       json_object_new_string(db_cell_str(rows, r, SESSION_COL_PARTICIPANT_REMOTE_ID)));
	}
	json_object_object_add(obj, "participant", participant);
	json_object_object_add(obj, "created_at", iso_time(db_cell(rows, r, SESSION_COL_CREATED_AT)));
	json_object_object_add(obj, "updated_at", iso_time(db_cell(rows, r, SESSION_COL_UPDATED_AT)));
	if (messages != NULL)
		json_object_object_add(obj, "messages", messages);
	json_object_object_add(obj, "tags", tags);
	return obj;
}

/* Tags of the chats in rows, as one JSON array per row (same order). */
static cf_status tags_for_rows(struct db *db, const struct db_rows *rows, struct json_object ***out)
{
	struct json_object **lists = xcalloc(rows->nrows + 1, sizeof *lists);
	for (size_t r = 0; r < rows->nrows; r++)
		lists[r] = json_object_new_array();
	*out = lists;
	if (rows->nrows == 0)
		return CF_OK;
	struct buf ids;
	buf_init(&ids, (size_t)rows->nrows * 24 + 8);
	cf_status st = buf_append_str(&ids, "[");
	for (size_t r = 0; st == CF_OK && r < rows->nrows; r++)
		st = buf_printf(&ids, "%s%s", r ? "," : "", db_cell_str(rows, r, SESSION_COL_CHAT_ID));
	if (st == CF_OK)
		st = buf_append_str(&ids, "]");
	struct db_rows tags;
	memset(&tags, 0, sizeof tags);
	if (st == CF_OK)
		st = store_chat_tags(db, buf_str(&ids), &tags);
	for (size_t t = 0; st == CF_OK && t < tags.nrows; t++) {
		const char *chat = db_cell_str(&tags, t, 0);
		for (size_t r = 0; r < rows->nrows; r++)
			if (strcmp(chat, db_cell_str(rows, r, SESSION_COL_CHAT_ID)) == 0)
				json_object_array_add(lists[r], json_object_new_string(db_cell_str(&tags, t, 1)));
	}
	db_rows_free(&tags);
	buf_free(&ids);
	return st;
}

static void free_lists(struct json_object **lists, size_t n)
{
	if (lists == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		json_object_put(lists[i]);
	free(lists);
}

static cf_status make_cursor(const struct db_rows *rows, size_t r, bool reverse, const char *secret, char *out)
{
	struct cursor c;
	memset(&c, 0, sizeof c);
	snprintf(c.created_at, sizeof c.created_at, "%s", db_cell_str(rows, r, SESSION_COL_CREATED_AT));
	c.id = (unsigned long long)db_cell_int(rows, r, SESSION_COL_ID);
	c.reverse = reverse;
	return cursor_encode(&c, secret, out);
}

cf_status sessions_list(struct db *db, const struct principal *who, const char *base,
                        const struct session_list_query *q, const char *secret, struct json_object **results,
                        struct page_links *links)
{
	memset(links, 0, sizeof *links);
	*results = json_object_new_array();
	if ((q->experiment_given && q->filter.experiment_id == 0) || (q->filter.by_tags && q->filter.ntag_ids == 0) ||
	    (q->filter.by_versions && q->filter.nversion_tag_ids == 0))
		return CF_OK;   /* a filter names nothing of this team: no session matches */
	struct db_rows rows;
	struct json_object **tags = NULL;
	struct experiment_cache cache;
	memset(&cache, 0, sizeof cache);
	cf_status st = store_sessions_page(db, &q->filter, q->cursor, q->page_size + 1, &rows);
	bool reverse = q->cursor != NULL && q->cursor->reverse;
	bool more = st == CF_OK && rows.nrows > q->page_size;
	size_t first = 0, count = rows.nrows;
	if (more) {
		/* The extra row lies beyond the page in the scan direction. */
		if (reverse)
			first = 1;
		count = q->page_size;
	}
	if (st == CF_OK)
		st = tags_for_rows(db, &rows, &tags);
	for (size_t r = first; st == CF_OK && r < first + count; r++) {
		struct json_object *exp = NULL;
		st = experiment_json(db, base, who->team_id,
		                     (unsigned long long)db_cell_int(&rows, r, SESSION_COL_EXPERIMENT_ID), &cache, &exp);
		if (st != CF_OK)
			break;
		json_object_array_add(*results, present_session(&rows, r, base, who, exp, NULL, json_object_get(tags[r])));
	}
	if (st == CF_OK && count > 0) {
		bool has_next = reverse ? true : more;
		bool has_prev = reverse ? more : q->cursor != NULL;
		if (has_next)
			st = make_cursor(&rows, first + count - 1, false, secret, links->next);
		if (st == CF_OK && has_prev)
			st = make_cursor(&rows, first, true, secret, links->previous);
	}
	free_lists(tags, rows.nrows);
	experiment_cache_free(&cache);
	db_rows_free(&rows);
	return st;
}

/* Metadata keys that never leave the server (§5). */
static bool internal_metadata_key(const char *key)
{
	return strcmp(key, "openai_run_id") == 0 || strcmp(key, "openai_file_ids") == 0 ||
	       strcmp(key, "openai_thread_checkpoint") == 0;
}

/* Attachment objects for one message's metadata. files: id, name,
 * content_type, content_size, external_id of files linked to the chat. */
static struct json_object *present_attachments(struct json_object *meta, const struct db_rows *files,
                                               const char *base)
{
	static const char *const id_keys[] = {"ocs_attachment_file_ids", "cited_files", "generated_files"};
	struct json_object *list = json_object_new_array();
	if (meta == NULL || files->nrows == 0)
		return list;
	for (size_t f = 0; f < files->nrows; f++) {
		bool wanted = false;
		for (size_t k = 0; k < 3 && !wanted; k++) {
			struct json_object *ids;
			if (!json_object_object_get_ex(meta, id_keys[k], &ids) || !json_object_is_type(ids, json_type_array))
				continue;
			for (size_t i = 0; i < json_object_array_length(ids); i++) {
				struct json_object *v = json_object_array_get_idx(ids, i);
				if (json_object_is_type(v, json_type_int) &&
				    json_object_get_int64(v) == db_cell_int(files, f, 0))
					wanted = true;
			}
		}
		struct json_object *ext;
		if (!wanted && json_object_object_get_ex(meta, "openai_file_ids", &ext) &&
		    json_object_is_type(ext, json_type_array) && db_cell(files, f, 4) != NULL) {
			for (size_t i = 0; i < json_object_array_length(ext); i++) {
				struct json_object *v = json_object_array_get_idx(ext, i);
				if (json_object_is_type(v, json_type_string) &&
				    strcmp(json_object_get_string(v), db_cell_str(files, f, 4)) == 0)
					wanted = true;
			}
		}
		if (!wanted)
			continue;
		struct json_object *a = json_object_new_object();
		json_object_object_add(a, "name", json_object_new_string(db_cell_str(files, f, 1)));
		json_object_object_add(a, "content_type", json_object_new_string(db_cell_str(files, f, 2)));
		json_object_object_add(a, "size", json_object_new_int64(db_cell_int(files, f, 3)));
		char *url = xasprintf("%s/api/files/%s/content", base, db_cell_str(files, f, 0));
		json_object_object_add(a, "content_url", json_object_new_string(url));
		free(url);
		json_object_array_add(list, a);
	}
	return list;
}

static const char *role_of(const char *message_type)
{
	if (strcmp(message_type, "human") == 0)
		return "user";
	if (strcmp(message_type, "ai") == 0)
		return "assistant";
	return "system";
}

/* Frees one cell of rows as soon as its text is in the JSON being built,
 * so a large page is not held twice (db_rows cells are plain malloc'd
 * strings; db_rows_free skips NULL). */
static void release_cell(struct db_rows *rows, size_t r, size_t c)
{
	size_t idx = r * rows->ncols + c;
	free(rows->cells[idx]);
	rows->cells[idx] = NULL;
	rows->lens[idx] = 0;
}

/* Builds the §5 Message objects of the first count rows of msgs (columns
 * id, created_at, message_type, content, summary, metadata) in order, with
 * a summary pseudo-message before a row whose summary is set, and hands
 * each to sink (which takes it over). Content cells are released on the
 * way. */
static cf_status walk_messages(struct db *db, const char *base, unsigned long long chat_id, struct db_rows *msgs,
                               size_t count, message_sink sink, void *sink_ctx)
{
	struct db_rows tags, files;
	memset(&tags, 0, sizeof tags);
	memset(&files, 0, sizeof files);
	cf_status st = count > 0 ? store_chat_message_tags(db, chat_id, &tags) : CF_OK;
	if (st == CF_OK && count > 0)
		st = store_chat_files(db, chat_id, &files);
	for (size_t r = 0; st == CF_OK && r < count; r++) {
		const char *created = db_cell(msgs, r, 1);
		const char *summary = db_cell(msgs, r, 4);
		if (summary != NULL && *summary != '\0') {
			struct json_object *s = json_object_new_object();
			json_object_object_add(s, "created_at", iso_time(created));
			json_object_object_add(s, "role", json_object_new_string("system"));
			json_object_object_add(s, "content", json_object_new_string(summary));
			release_cell(msgs, r, 4);
			struct json_object *meta = json_object_new_object();
			json_object_object_add(meta, "compression_marker", json_object_new_string("summarize"));
			json_object_object_add(s, "metadata", meta);
			json_object_object_add(s, "tags", json_object_new_array());
			json_object_object_add(s, "attachments", json_object_new_array());
			st = sink(sink_ctx, s);
			if (st != CF_OK)
				break;
		}
		struct json_object *meta_in = NULL;
		const char *meta_text = db_cell(msgs, r, 5);
		if (meta_text != NULL && *meta_text != '\0')
			meta_in = json_tokener_parse(meta_text);
		release_cell(msgs, r, 5);
		struct json_object *meta = json_object_new_object();
		if (json_object_is_type(meta_in, json_type_object)) {
			json_object_object_foreach(meta_in, key, val) {
				if (!internal_metadata_key(key))
					json_object_object_add(meta, key, json_object_get(val));
			}
		}
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "created_at", iso_time(created));
		json_object_object_add(m, "role", json_object_new_string(role_of(db_cell_str(msgs, r, 2))));
		json_object_object_add(m, "content",
		                       json_object_new_string_len(db_cell_str(msgs, r, 3), (int)msgs->lens[r * msgs->ncols + 3]));
		release_cell(msgs, r, 3);
		json_object_object_add(m, "metadata", meta);
		struct json_object *mtags = json_object_new_array();
		const char *mid = db_cell_str(msgs, r, 0);
		/* Tags come sorted by name within each message. */
		for (size_t t = 0; t < tags.nrows; t++)
			if (strcmp(db_cell_str(&tags, t, 0), mid) == 0)
				json_object_array_add(mtags, json_object_new_string(db_cell_str(&tags, t, 1)));
		json_object_object_add(m, "tags", mtags);
		json_object_object_add(m, "attachments", present_attachments(meta_in, &files, base));
		json_object_put(meta_in);
		st = sink(sink_ctx, m);
	}
	db_rows_free(&tags);
	db_rows_free(&files);
	return st;
}

static cf_status add_to_array(void *ctx, struct json_object *message)
{
	json_object_array_add(ctx, message);
	return CF_OK;
}

/* Messages of §5 in order: all of them with summary pseudo-messages, or
 * (only_id != 0) that one message, without. */
static cf_status present_messages_of(struct db *db, const char *base, unsigned long long chat_id,
                                     unsigned long long only_id, struct json_object **out)
{
	struct db_rows msgs;
	cf_status st = only_id ? store_chat_message_one(db, chat_id, only_id, &msgs)
	                       : store_chat_messages(db, chat_id, &msgs);
	struct json_object *list = json_object_new_array();
	if (st == CF_OK)
		st = walk_messages(db, base, chat_id, &msgs, msgs.nrows, add_to_array, list);
	db_rows_free(&msgs);
	if (st != CF_OK) {
		json_object_put(list);
		return st;
	}
	*out = list;
	return CF_OK;
}

static cf_status present_messages(struct db *db, const char *base, unsigned long long chat_id,
                                  struct json_object **out)
{
	return present_messages_of(db, base, chat_id, 0, out);
}

cf_status sessions_messages_page(struct db *db, const char *base, unsigned long long chat_id, const char *since,
                                 long limit, long max_bytes, message_sink sink, void *sink_ctx, bool *has_more)
{
	struct db_rows msgs;
	*has_more = false;
	cf_status st = store_chat_poll_page(db, chat_id, since, limit + 1, max_bytes, &msgs);
	if (st != CF_OK) {
		db_rows_free(&msgs);
		return st;
	}
	size_t k = 0;
	while (k < msgs.nrows && k < (size_t)limit && db_cell_bool(&msgs, k, 6))
		k++;
	/* The next page starts after the last created_at sent ("since" is
	 * strict), so a page must not end inside a run of equal times, unless
	 * the run is all the page has. */
	if (k > 0 && k < msgs.nrows) {
		size_t j = k;
		while (j > 0 && strcmp(db_cell_str(&msgs, j - 1, 1), db_cell_str(&msgs, k, 1)) == 0)
			j--;
		if (j > 0)
			k = j;
	}
	*has_more = k < msgs.nrows;
	st = walk_messages(db, base, chat_id, &msgs, k, sink, sink_ctx);
	db_rows_free(&msgs);
	return st;
}

cf_status sessions_message(struct db *db, const char *base, unsigned long long chat_id, unsigned long long message_id,
                           struct json_object **message)
{
	struct json_object *list = NULL;
	cf_status st = present_messages_of(db, base, chat_id, message_id, &list);
	if (st != CF_OK)
		return st;
	if (json_object_array_length(list) == 0) {
		json_object_put(list);
		return CF_E_NOT_FOUND;
	}
	*message = json_object_get(json_object_array_get_idx(list, 0));
	json_object_put(list);
	return CF_OK;
}

cf_status sessions_detail(struct db *db, const struct principal *who, const char *base, const char *external_id,
                          bool with_messages, struct json_object **out)
{
	struct db_rows rows;
	struct json_object **tags = NULL;
	struct json_object *exp = NULL;
	struct json_object *messages = NULL;
	struct experiment_cache cache;
	memset(&cache, 0, sizeof cache);
	cf_status st = store_session_find(db, who->team_id, external_id, &rows);
	if (st == CF_OK)
		st = tags_for_rows(db, &rows, &tags);
	if (st == CF_OK)
		st = experiment_json(db, base, who->team_id,
		                     (unsigned long long)db_cell_int(&rows, 0, SESSION_COL_EXPERIMENT_ID), &cache, &exp);
	if (st == CF_OK && with_messages)
		st = present_messages(db, base, (unsigned long long)db_cell_int(&rows, 0, SESSION_COL_CHAT_ID), &messages);
	if (st == CF_OK) {
		*out = present_session(&rows, 0, base, who, exp, messages, json_object_get(tags[0]));
		exp = NULL;
		messages = NULL;
	}
	json_object_put(exp);
	json_object_put(messages);
	free_lists(tags, rows.nrows);
	experiment_cache_free(&cache);
	db_rows_free(&rows);
	return st;
}

/* message_sink: appends one message (after a comma but for the first)
 * to a JSON text being written and frees it. */
struct message_writer {
	struct buf *out;
	bool first;
};

static cf_status write_message(void *ctx, struct json_object *message)
{
	struct message_writer *w = ctx;
	cf_status st = w->first ? CF_OK : buf_append(w->out, ",", 1);
	w->first = false;
	if (st == CF_OK)
		st = json_serialize(message, w->out);
	json_object_put(message);
	return st;
}

cf_status sessions_detail_write(struct db *db, const struct principal *who, const char *base,
                                const char *external_id, struct buf *out)
{
	struct db_rows rows, msgs;
	struct json_object **tags = NULL;
	struct json_object *exp = NULL, *head = NULL;
	struct experiment_cache cache;
	memset(&cache, 0, sizeof cache);
	memset(&msgs, 0, sizeof msgs);
	cf_status st = store_session_find(db, who->team_id, external_id, &rows);
	if (st == CF_OK)
		st = tags_for_rows(db, &rows, &tags);
	if (st == CF_OK)
		st = experiment_json(db, base, who->team_id,
		                     (unsigned long long)db_cell_int(&rows, 0, SESSION_COL_EXPERIMENT_ID), &cache, &exp);
	if (st == CF_OK) {
		/* Everything before "messages", then the messages one at a time,
		 * then "tags": the same text as the whole object serialized. */
		head = present_session(&rows, 0, base, who, exp, NULL, json_object_new_array());
		exp = NULL;
		json_object_object_del(head, "tags");
		st = json_serialize(head, out);
	}
	if (st == CF_OK && out->len > 0 && out->data[out->len - 1] == '}') {
		out->len--;
		out->data[out->len] = '\0';
		st = buf_append_str(out, ",\"messages\":[");
	} else if (st == CF_OK) {
		st = CF_E_INTERNAL;
	}
	unsigned long long chat_id = st == CF_OK ? (unsigned long long)db_cell_int(&rows, 0, SESSION_COL_CHAT_ID) : 0;
	if (st == CF_OK)
		st = store_chat_messages(db, chat_id, &msgs);
	if (st == CF_OK) {
		struct message_writer w = {out, true};
		st = walk_messages(db, base, chat_id, &msgs, msgs.nrows, write_message, &w);
	}
	db_rows_free(&msgs);
	if (st == CF_OK)
		st = buf_append_str(out, "],\"tags\":");
	if (st == CF_OK)
		st = json_serialize(tags[0], out);
	if (st == CF_OK)
		st = buf_append(out, "}", 1);
	json_object_put(head);
	json_object_put(exp);
	free_lists(tags, rows.nrows);
	experiment_cache_free(&cache);
	db_rows_free(&rows);
	return st;
}

cf_status sessions_experiment_json(struct db *db, const char *base, unsigned long long team_id,
                                   unsigned long long experiment_id, struct json_object **out)
{
	struct chatbot_row e;
	cf_status st = store_chatbot_get(db, team_id, experiment_id, &e);
	if (st == CF_OK)
		st = present_experiment(db, base, &e, out);
	return st;
}

cf_status sessions_tag_names(struct db *db, unsigned long long chat_id, struct json_object **out)
{
	char ids[32];
	snprintf(ids, sizeof ids, "[%llu]", chat_id);
	struct db_rows rows;
	cf_status st = store_chat_tags(db, ids, &rows);
	if (st == CF_OK) {
		*out = json_object_new_array();
		for (size_t r = 0; r < rows.nrows; r++)
			json_object_array_add(*out, json_object_new_string(db_cell_str(&rows, r, 1)));
	}
	db_rows_free(&rows);
	return st;
}

static const char *message_type_of(const char *role)
{
	if (strcmp(role, "user") == 0)
		return "human";
	if (strcmp(role, "assistant") == 0)
		return "ai";
	return "system";
}

struct create_tx {
	const struct principal *who;
	const struct session_create *c;
	const char *external_id;
};

static cf_status create_in_tx(struct db *db, void *ctx)
{
	const struct create_tx *x = ctx;
	const struct principal *who = x->who;
	const struct session_create *c = x->c;
	unsigned long long participant_id = 0, channel_id = 0, chat_id = 0, session_id = 0, message_id = 0;
	cf_status st = store_participant_upsert(db, who->team_id, "api", c->participant, who->user_id, &participant_id);
	if (st == CF_OK)
		st = store_api_channel(db, who->team_id, who->team_slug, &channel_id);
	if (st == CF_OK)
		st = store_chat_create(db, who->team_id, c->experiment.name, &chat_id);
	if (st == CF_OK)
		st = store_session_create(db, who->team_id, x->external_id, c->experiment.id, participant_id, channel_id,
		                          chat_id, c->state_json, &session_id);
	if (st == CF_OK)
		st = webhooks_session_event(db, who->team_id, session_id, WEBHOOK_SESSION_STARTED);
	size_t n = c->messages ? json_object_array_length(c->messages) : 0;
	for (size_t i = 0; st == CF_OK && i < n; i++) {
		struct json_object *m = json_object_array_get_idx(c->messages, i);
		struct json_object *role, *content;
		json_object_object_get_ex(m, "role", &role);
		json_object_object_get_ex(m, "content", &content);
		st = store_message_add(db, who->team_id, chat_id, message_type_of(json_object_get_string(role)),
		                       json_object_get_string(content), &message_id);
		if (st == CF_OK)
			st = webhooks_message_created(db, who->team_id, message_id);
	}
	return st;
}

cf_status sessions_create(struct db *db, const struct principal *who, const struct session_create *c,
                          char external_id_out[37])
{
	cf_status st = uuid4_generate(external_id_out);
	if (st != CF_OK)
		return st;
	struct create_tx x = {who, c, external_id_out};
	return db_transaction(db, create_in_tx, &x);
}

struct end_tx {
	unsigned long long team_id;
	const char *external_id;
};

/* Ends the session; session.ended only when it was open (ending an ended
 * session again refreshes its time, §7.5, and is no news). */
static cf_status end_in_tx(struct db *db, void *ctx)
{
	const struct end_tx *x = ctx;
	struct db_rows rows;
	cf_status st = store_session_lock_status(db, x->team_id, x->external_id, &rows);
	unsigned long long id = st == CF_OK ? (unsigned long long)db_cell_int(&rows, 0, 0) : 0;
	const char *status = st == CF_OK ? db_cell_str(&rows, 0, 1) : "";
	bool was_open = strcmp(status, "pending-review") != 0 && strcmp(status, "complete") != 0 &&
	                strcmp(status, "unknown") != 0;
	db_rows_free(&rows);
	if (st == CF_OK)
		st = store_session_end(db, x->team_id, x->external_id);
	if (st == CF_OK && was_open)
		st = webhooks_session_event(db, x->team_id, id, WEBHOOK_SESSION_ENDED);
	return st;
}

cf_status sessions_end(struct db *db, unsigned long long team_id, const char *external_id)
{
	struct end_tx x = {team_id, external_id};
	return db_transaction(db, end_in_tx, &x);
}
