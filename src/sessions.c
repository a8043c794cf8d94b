/* sessions.c - ExperimentSession / Experiment / Message JSON, session
 * creation and ending.
 *
 * Reads: the row of a session (or a page of them) is read in one statement
 * together with its chat's and its team's version counters. What hangs
 * off it - the rendered messages and tags of the chat, the Experiment JSON
 * of its chatbot - comes from this process's read cache when it was
 * rendered at those versions, and is rendered (a few more statements) and
 * kept otherwise. A chat whose messages are too big to keep is streamed
 * from the database each time. */
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/printbuf.h>

#include "buf.h"
#include "http_response.h"
#include "ids.h"
#include "limits.h"
#include "log.h"
#include "message_role.h"
#include "read_cache.h"
#include "store_channels.h"
#include "store_messages.h"
#include "store_participants.h"
#include "store_tags.h"
#include "timefmt.h"
#include "webhooks.h"
#include "xalloc.h"

static struct json_object *iso_time(const char *db_time)
{
	char iso[ISO_TIME_MAX];
	if (db_time == NULL || !db_time_to_iso(db_time, iso))
		return NULL;
	return json_object_new_string(iso);
}

/* ---- raw JSON nodes: a json_object that serializes as a given text ---- */

struct raw_text {
	size_t len;
	char text[];
};

static int raw_serialize(struct json_object *obj, struct printbuf *pb, int level, int flags)
{
	(void)level;
	(void)flags;
	const struct raw_text *r = json_object_get_userdata(obj);
	return printbuf_memappend(pb, r->text, (int)r->len) < 0 ? -1 : 0;
}

static void raw_free(struct json_object *obj, void *userdata)
{
	(void)obj;
	free(userdata);
}

/* A node that serializes as text (valid JSON, len bytes); caller owns. */
static struct json_object *raw_json(const char *text, size_t len)
{
	struct raw_text *r = xmalloc(sizeof *r + len + 1);
	r->len = len;
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	struct json_object *obj = json_object_new_object();
	json_object_set_serializer(obj, raw_serialize, r, raw_free);
	return obj;
}

/* An owned text of a cache entry: JSON text with its length. */
struct cached_text {
	size_t len;
	char text[];
};

static struct cached_text *cached_text_of(struct json_object *obj)
{
	size_t len = 0;
	const char *s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
	                                                  &len);
	struct cached_text *t = xmalloc(sizeof *t + len + 1);
	t->len = len;
	memcpy(t->text, s != NULL ? s : "null", s != NULL ? len + 1 : 5);
	if (s == NULL)
		t->len = 4;
	return t;
}

/* ---- Experiment JSON (§4) ---- */

static cf_status add_version(void *ctx, const struct chatbot_version_summary *v)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "name", json_object_new_string(v->name));
	json_object_object_add(obj, "version_number", json_object_new_int64(v->version_number));
	json_object_object_add(obj, "is_default_version", json_object_new_boolean(v->is_default_version));
	json_object_object_add(obj, "version_description", json_object_new_string(v->version_description));
	json_object_array_add(ctx, obj);
	return CF_OK;
}

/* with_description: the session's embedding (§7.1), which shows the
 * chatbot's description after its name; chat start's does not (§10.1). */
static cf_status present_chatbot(struct db *db, const char *base, unsigned long long team_id,
                                 unsigned long long chatbot_id, bool with_description, struct json_object **out)
{
	struct chatbot_row e;
	char *description = NULL;
	cf_status st = store_chatbot_get(db, team_id, chatbot_id, &e);
	if (st == CF_OK && with_description)
		st = store_chatbot_description(db, team_id, chatbot_id, &description);
	if (st != CF_OK)
		return st;
	struct json_object *versions = json_object_new_array();
	st = store_chatbot_versions(db, e.id, add_version, versions);
	if (st != CF_OK) {
		json_object_put(versions);
		free(description);
		return st;
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(e.public_id));
	json_object_object_add(obj, "name", json_object_new_string(e.name));
	if (with_description)
		json_object_object_add(obj, "description", json_object_new_string(description));
	free(description);
	char *url = xasprintf("%s/api/experiments/%s/", base, e.public_id);
	json_object_object_add(obj, "url", json_object_new_string(url));
	free(url);
	json_object_object_add(obj, "version_number", json_object_new_int64(e.version_number));
	json_object_object_add(obj, "versions", versions);
	*out = obj;
	return CF_OK;
}

/* The Experiment JSON of a chatbot as a node (caller owns), from the cache
 * when it was rendered at the team's catalog_version. */
static cf_status chatbot_node(struct db *db, const char *base, unsigned long long team_id,
                              unsigned long long chatbot_id, unsigned long long catalog_version,
                              struct json_object **out)
{
	const struct cached_text *t = read_cache_get(READ_CACHE_CHATBOT, chatbot_id, catalog_version, base);
	if (t != NULL) {
		*out = raw_json(t->text, t->len);
		return CF_OK;
	}
	struct json_object *obj = NULL;
	cf_status st = present_chatbot(db, base, team_id, chatbot_id, true, &obj);
	if (st != CF_OK)
		return st;
	struct cached_text *text = cached_text_of(obj);
	json_object_put(obj);
	*out = raw_json(text->text, text->len);
	read_cache_put(READ_CACHE_CHATBOT, chatbot_id, catalog_version, base, text, text->len, free);
	return CF_OK;
}

cf_status sessions_chatbot_json(struct db *db, const char *base, unsigned long long team_id,
                                unsigned long long chatbot_id, struct json_object **out)
{
	return present_chatbot(db, base, team_id, chatbot_id, false, out);
}

/* ---- tags of chats ---- */

/* Collects tag names per chat of a page (rows in display order). */
struct page_tags {
	const struct session_row *rows;
	size_t count;
	struct json_object **lists;
};

static cf_status add_page_tag(void *ctx, const struct tag_row *tag)
{
	struct page_tags *p = ctx;
	for (size_t r = 0; r < p->count; r++)
		if (p->rows[r].chat_id == tag->owner_id && p->lists[r] != NULL)
			json_object_array_add(p->lists[r], json_object_new_string(tag->name));
	return CF_OK;
}

/* One tag array node per row (caller owns the array and the nodes): cached
 * ones as they are, the others read in one statement and kept. */
static cf_status tags_for_rows(struct db *db, const struct session_row *rows, size_t count,
                               struct json_object ***out)
{
	struct json_object **nodes = xcalloc(count + 1, sizeof *nodes);
	struct json_object **fresh = xcalloc(count + 1, sizeof *fresh);
	*out = nodes;
	struct buf ids;
	buf_init(&ids, count * 24 + 8);
	cf_status st = buf_append_str(&ids, "[");
	size_t missing = 0;
	for (size_t r = 0; st == CF_OK && r < count; r++) {
		const struct cached_text *t = read_cache_get(READ_CACHE_CHAT_TAGS, rows[r].chat_id, rows[r].chat_version, "");
		if (t != NULL) {
			nodes[r] = raw_json(t->text, t->len);
			continue;
		}
		fresh[r] = json_object_new_array();
		st = buf_printf(&ids, "%s%llu", missing++ ? "," : "", rows[r].chat_id);
	}
	if (st == CF_OK)
		st = buf_append_str(&ids, "]");
	struct page_tags p = {rows, count, fresh};
	if (st == CF_OK && missing > 0)
		st = store_chat_tags(db, buf_str(&ids), add_page_tag, &p);
	for (size_t r = 0; r < count; r++) {
		if (fresh[r] == NULL)
			continue;
		if (st == CF_OK) {
			struct cached_text *text = cached_text_of(fresh[r]);
			nodes[r] = raw_json(text->text, text->len);
			read_cache_put(READ_CACHE_CHAT_TAGS, rows[r].chat_id, rows[r].chat_version, "", text, text->len, free);
		}
		json_object_put(fresh[r]);
	}
	free(fresh);
	buf_free(&ids);
	return st;
}

static void free_nodes(struct json_object **nodes, size_t n)
{
	if (nodes == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		json_object_put(nodes[i]);
	free(nodes);
}

static cf_status add_tag_name(void *ctx, const struct tag_row *tag)
{
	json_object_array_add(ctx, json_object_new_string(tag->name));
	return CF_OK;
}

cf_status sessions_tag_names(struct db *db, unsigned long long chat_id, struct json_object **out)
{
	char ids[32];
	snprintf(ids, sizeof ids, "[%llu]", chat_id);
	struct json_object *list = json_object_new_array();
	cf_status st = store_chat_tags(db, ids, add_tag_name, list);
	if (st != CF_OK) {
		json_object_put(list);
		return st;
	}
	*out = list;
	return CF_OK;
}

/* ---- Message JSON (§5) ---- */

/* What every message of a chat is rendered with: its tags (sorted by
 * message, then name) and the files linked to the chat. */
struct message_context {
	const char *base;
	struct tag_row *tags;
	size_t ntags, tags_cap;
	struct chat_file_row *files;
	size_t nfiles;
};

static cf_status collect_tag(void *ctx, const struct tag_row *tag)
{
	struct message_context *m = ctx;
	if (m->ntags == m->tags_cap) {
		m->tags_cap = m->tags_cap ? m->tags_cap * 2 : 16;
		m->tags = xrealloc(m->tags, m->tags_cap * sizeof *m->tags);
	}
	m->tags[m->ntags++] = *tag;
	return CF_OK;
}

static cf_status message_context_load(struct db *db, const char *base, unsigned long long chat_id,
                                      struct message_context *m)
{
	memset(m, 0, sizeof *m);
	m->base = base;
	cf_status st = store_chat_message_tags(db, chat_id, collect_tag, m);
	if (st == CF_OK)
		st = store_chat_files(db, chat_id, &m->files, &m->nfiles);
	return st;
}

static void message_context_free(struct message_context *m)
{
	free(m->tags);
	free(m->files);
	memset(m, 0, sizeof *m);
}

/* Metadata keys that never leave the server (§5). */
static bool internal_metadata_key(const char *key)
{
	return strcmp(key, "openai_run_id") == 0 || strcmp(key, "openai_file_ids") == 0 ||
	       strcmp(key, "openai_thread_checkpoint") == 0;
}

static bool ids_contain(struct json_object *meta, const char *key, unsigned long long id)
{
	struct json_object *ids;
	if (!json_object_object_get_ex(meta, key, &ids) || !json_object_is_type(ids, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(ids); i++) {
		struct json_object *v = json_object_array_get_idx(ids, i);
		if (json_object_is_type(v, json_type_int) && (unsigned long long)json_object_get_int64(v) == id)
			return true;
	}
	return false;
}

static bool strings_contain(struct json_object *meta, const char *key, const char *want)
{
	struct json_object *list;
	if (!json_object_object_get_ex(meta, key, &list) || !json_object_is_type(list, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *v = json_object_array_get_idx(list, i);
		if (json_object_is_type(v, json_type_string) && strcmp(json_object_get_string(v), want) == 0)
			return true;
	}
	return false;
}

/* Attachment objects for one message's metadata. */
static struct json_object *present_attachments(struct json_object *meta, const struct message_context *m)
{
	struct json_object *list = json_object_new_array();
	if (meta == NULL)
		return list;
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct chat_file_row *f = &m->files[i];
		bool wanted = ids_contain(meta, "ocs_attachment_file_ids", f->id) || ids_contain(meta, "cited_files", f->id) ||
		              ids_contain(meta, "generated_files", f->id) ||
		              (f->has_external_id && strings_contain(meta, "openai_file_ids", f->external_id));
		if (!wanted)
			continue;
		struct json_object *a = json_object_new_object();
		json_object_object_add(a, "name", json_object_new_string(f->name));
		json_object_object_add(a, "content_type", json_object_new_string(f->content_type));
		json_object_object_add(a, "size", json_object_new_int64(f->size));
		char *url = xasprintf("%s/api/files/%llu/content", m->base, f->id);
		json_object_object_add(a, "content_url", json_object_new_string(url));
		free(url);
		json_object_array_add(list, a);
	}
	return list;
}

/* The summary pseudo-message shown before a message whose summary is set,
 * or NULL. */
static struct json_object *present_summary(const struct message_row *row)
{
	if (row->summary == NULL || row->summary[0] == '\0')
		return NULL;
	struct json_object *s = json_object_new_object();
	json_object_object_add(s, "created_at", iso_time(row->created_at));
	json_object_object_add(s, "role", json_object_new_string("system"));
	json_object_object_add(s, "content", json_object_new_string(row->summary));
	struct json_object *meta = json_object_new_object();
	json_object_object_add(meta, "compression_marker", json_object_new_string("summarize"));
	json_object_object_add(s, "metadata", meta);
	json_object_object_add(s, "tags", json_object_new_array());
	json_object_object_add(s, "attachments", json_object_new_array());
	return s;
}

static struct json_object *present_message(const struct message_row *row, const struct message_context *m)
{
	struct json_object *meta_in = NULL;
	if (row->metadata != NULL && row->metadata[0] != '\0')
		meta_in = json_tokener_parse(row->metadata);
	struct json_object *meta = json_object_new_object();
	if (json_object_is_type(meta_in, json_type_object)) {
		json_object_object_foreach(meta_in, key, val) {
			if (!internal_metadata_key(key))
				json_object_object_add(meta, key, json_object_get(val));
		}
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "created_at", iso_time(row->created_at));
	json_object_object_add(obj, "role", json_object_new_string(message_role_name(row->message_type)));
	json_object_object_add(obj, "content",
	                       json_object_new_string_len(row->content != NULL ? row->content : "", (int)row->content_len));
	json_object_object_add(obj, "metadata", meta);
	struct json_object *tags = json_object_new_array();
	for (size_t t = 0; t < m->ntags; t++)   /* sorted by name within a message */
		if (m->tags[t].owner_id == row->id)
			json_object_array_add(tags, json_object_new_string(m->tags[t].name));
	json_object_object_add(obj, "tags", tags);
	json_object_object_add(obj, "attachments", present_attachments(meta_in, m));
	json_object_put(meta_in);
	return obj;
}

/* Appends obj's JSON text to out, after a comma unless *first. */
static cf_status append_item(struct buf *out, bool *first, const char *text, size_t len)
{
	cf_status st = *first ? CF_OK : buf_append(out, ",", 1);
	*first = false;
	return st == CF_OK ? buf_append(out, text, len) : st;
}

static cf_status append_object(struct buf *out, bool *first, struct json_object *obj)
{
	size_t len = 0;
	const char *s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
	                                                  &len);
	cf_status st = s != NULL ? append_item(out, first, s, len) : CF_E_INTERNAL;
	json_object_put(obj);
	return st;
}

/* ---- usage (§7.4): tokens by the model that wrote them ---- */

struct model_usage {
	char model_name[256];
	long long tokens;
};

/* The usage of a chat's messages; grows with its distinct models. */
struct session_usage {
	struct model_usage *models;
	size_t count, cap;
};

static void usage_add(struct session_usage *u, const struct message_row *row)
{
	if (!row->has_usage || row->model_name[0] == '\0')
		return;   /* no provider wrote it, or written before models were recorded */
	for (size_t i = 0; i < u->count; i++) {
		if (strcmp(u->models[i].model_name, row->model_name) == 0) {
			u->models[i].tokens += row->tokens;
			return;
		}
	}
	if (u->count == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 4;
		u->models = xrealloc(u->models, u->cap * sizeof *u->models);
	}
	struct model_usage *m = &u->models[u->count++];
	snprintf(m->model_name, sizeof m->model_name, "%s", row->model_name);
	m->tokens = row->tokens;
}

static void usage_free(struct session_usage *u)
{
	free(u->models);
	memset(u, 0, sizeof *u);
}

static int model_usage_cmp(const void *a, const void *b)
{
	return strcmp(((const struct model_usage *)a)->model_name, ((const struct model_usage *)b)->model_name);
}

/* Confab keeps no price list: every cost is zero, written as upstream
 * writes its decimals (8 places). */
#define USAGE_NO_COST "0.00000000"

/* The usage object onto out: {"total_cost", "by_model": [...]}, models
 * by cost (all equal here), then name. Sorts u in place. */
static cf_status usage_write(struct session_usage *u, struct buf *out)
{
	if (u->count > 1)
		qsort(u->models, u->count, sizeof *u->models, model_usage_cmp);
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "total_cost", json_object_new_string(USAGE_NO_COST));
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < u->count; i++) {
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "model_name", json_object_new_string(u->models[i].model_name));
		json_object_object_add(m, "cost", json_object_new_string(USAGE_NO_COST));
		json_object_object_add(m, "tokens", json_object_new_int64(u->models[i].tokens));
		json_object_array_add(list, m);
	}
	json_object_object_add(obj, "by_model", list);
	cf_status st = json_serialize(obj, out);
	json_object_put(obj);
	return st;
}

/* ---- a chat's messages, rendered once and kept ---- */

struct rendered_message {
	unsigned long long id;
	char created_at[MESSAGE_TIME_MAX];
	size_t raw_bytes;          /* content + metadata bytes as stored (the poll budget counts these) */
	char *json;                /* the Message */
	size_t json_len;
	char *summary_json;        /* its summary pseudo-message, or NULL */
	size_t summary_len;
};

struct rendered_chat {
	struct rendered_message *messages;
	size_t count, cap;
	size_t bytes;
	struct session_usage usage;   /* of these messages: part of the chat, so kept at its version */
};

static void rendered_chat_free(void *value)
{
	struct rendered_chat *c = value;
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->count; i++) {
		free(c->messages[i].json);
		free(c->messages[i].summary_json);
	}
	free(c->messages);
	usage_free(&c->usage);
	free(c);
}

static char *text_of(struct json_object *obj, size_t *len)
{
	struct cached_text *t = cached_text_of(obj);
	json_object_put(obj);
	char *text = xmalloc(t->len + 1);
	memcpy(text, t->text, t->len + 1);
	*len = t->len;
	free(t);
	return text;
}

struct render_walk {
	struct rendered_chat *chat;
	const struct message_context *m;
};

static cf_status render_row(void *ctx, struct message_row *row)
{
	struct render_walk *w = ctx;
	struct rendered_chat *c = w->chat;
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->messages = xrealloc(c->messages, c->cap * sizeof *c->messages);
	}
	struct rendered_message *r = &c->messages[c->count++];
	memset(r, 0, sizeof *r);
	r->id = row->id;
	snprintf(r->created_at, sizeof r->created_at, "%s", row->created_at);
	r->raw_bytes = row->content_len + (row->metadata != NULL ? strlen(row->metadata) : 0);
	struct json_object *summary = present_summary(row);
	if (summary != NULL)
		r->summary_json = text_of(summary, &r->summary_len);
	r->json = text_of(present_message(row, w->m), &r->json_len);
	size_t models = c->usage.count;
	usage_add(&c->usage, row);
	c->bytes += sizeof *r + r->json_len + r->summary_len + (c->usage.count - models) * sizeof *c->usage.models;
	return CF_OK;
}

/* The rendered messages of session s's chat (borrowed from the cache until
 * the next put), or NULL with CF_OK when the chat is too big to keep. */
static cf_status rendered_chat_of(struct db *db, const char *base, const struct session_row *s,
                                  const struct rendered_chat **out)
{
	*out = read_cache_get(READ_CACHE_CHAT_MESSAGES, s->chat_id, s->chat_version, base);
	if (*out != NULL || s->chat_bytes > CF_READ_CACHE_CHAT_MAX)
		return CF_OK;
	struct message_context m;
	cf_status st = message_context_load(db, base, s->chat_id, &m);
	struct rendered_chat *chat = xcalloc(1, sizeof *chat);
	struct render_walk w = {chat, &m};
	if (st == CF_OK)
		st = store_chat_messages(db, s->chat_id, render_row, &w);
	message_context_free(&m);
	if (st != CF_OK) {
		rendered_chat_free(chat);
		return st;
	}
	read_cache_put(READ_CACHE_CHAT_MESSAGES, s->chat_id, s->chat_version, base, chat, chat->bytes,
	               rendered_chat_free);
	/* A chat over the per-entry bound was freed by the put: read it again
	 * from the cache to know. */
	*out = read_cache_get(READ_CACHE_CHAT_MESSAGES, s->chat_id, s->chat_version, base);
	return CF_OK;
}

/* Streams a chat's messages (with summaries) onto out, one row at a time:
 * for chats too big to keep rendered. */
struct stream_walk {
	struct buf *out;
	bool first;
	const struct message_context *m;
	struct session_usage usage;
};

static cf_status stream_row(void *ctx, struct message_row *row)
{
	struct stream_walk *w = ctx;
	struct json_object *summary = present_summary(row);
	cf_status st = summary != NULL ? append_object(w->out, &w->first, summary) : CF_OK;
	if (st == CF_OK)
		st = append_object(w->out, &w->first, present_message(row, w->m));
	usage_add(&w->usage, row);
	return st;
}

/* The messages of s's chat as comma-separated JSON onto out, then
 * `],"usage":` and the usage object (§7.4). */
static cf_status write_messages_usage(struct db *db, const char *base, const struct session_row *s,
                                      struct buf *out)
{
	static const char BETWEEN[] = "],\"usage\":";
	const struct rendered_chat *chat = NULL;
	cf_status st = rendered_chat_of(db, base, s, &chat);
	if (st != CF_OK)
		return st;
	bool first = true;
	if (chat != NULL) {
		for (size_t i = 0; st == CF_OK && i < chat->count; i++) {
			const struct rendered_message *r = &chat->messages[i];
			if (r->summary_json != NULL)
				st = append_item(out, &first, r->summary_json, r->summary_len);
			if (st == CF_OK)
				st = append_item(out, &first, r->json, r->json_len);
		}
		/* A copy: the cached entry stays as it was rendered. */
		struct session_usage u = {0};
		if (chat->usage.count > 0) {
			u.models = xcalloc(chat->usage.count, sizeof *u.models);
			memcpy(u.models, chat->usage.models, chat->usage.count * sizeof *u.models);
			u.count = u.cap = chat->usage.count;
		}
		if (st == CF_OK)
			st = buf_append_str(out, BETWEEN);
		if (st == CF_OK)
			st = usage_write(&u, out);
		usage_free(&u);
		return st;
	}
	struct message_context m;
	st = message_context_load(db, base, s->chat_id, &m);
	struct stream_walk w = {out, true, &m, {0}};
	if (st == CF_OK)
		st = store_chat_messages(db, s->chat_id, stream_row, &w);
	if (st == CF_OK)
		st = buf_append_str(out, BETWEEN);
	if (st == CF_OK)
		st = usage_write(&w.usage, out);
	usage_free(&w.usage);
	message_context_free(&m);
	return st;
}

/* ---- ExperimentSession JSON (§7.1) ---- */

/* The session's state (§7.1) as a node (caller owns); {} when unreadable. */
static struct json_object *session_state(const struct session_row *s)
{
	struct json_object *state = s->state_json != NULL ? json_tokener_parse(s->state_json) : NULL;
	return state != NULL || (s->state_json != NULL && strcmp(s->state_json, "null") == 0) ? state
	                                                                                      : json_object_new_object();
}

/* The session object without messages; experiment and tags are taken over.
 * tags NULL: the object ends after platform (the detail writes messages,
 * usage, tags and state after it). */
static struct json_object *present_session(const struct session_row *s, const char *base,
                                           const struct principal *who, struct json_object *experiment,
                                           struct json_object *tags)
{
	struct json_object *obj = json_object_new_object();
	char *url = xasprintf("%s/api/sessions/%s/", base, s->external_id);
	json_object_object_add(obj, "url", json_object_new_string(url));
	free(url);
	json_object_object_add(obj, "id", json_object_new_string(s->external_id));
	struct json_object *team = json_object_new_object();
	json_object_object_add(team, "name", json_object_new_string(who->team_name));
	json_object_object_add(team, "slug", json_object_new_string(who->team_slug));
	json_object_object_add(obj, "team", team);
	json_object_object_add(obj, "experiment", experiment);
	struct json_object *participant = NULL;
	if (s->has_participant) {
		participant = json_object_new_object();
		json_object_object_add(participant, "identifier", json_object_new_string(s->participant_identifier));
		json_object_object_add(participant, "remote_id", json_object_new_string(s->participant_remote_id));
	}
	json_object_object_add(obj, "participant", participant);
	json_object_object_add(obj, "created_at", iso_time(s->created_at));
	json_object_object_add(obj, "updated_at", iso_time(s->updated_at));
	json_object_object_add(obj, "status", json_object_new_string(s->status));
	json_object_object_add(obj, "platform", s->has_platform ? json_object_new_string(s->platform) : NULL);
	if (tags != NULL) {
		json_object_object_add(obj, "tags", tags);
		json_object_object_add(obj, "state", session_state(s));
	}
	return obj;
}

static cf_status make_cursor(const struct session_row *s, bool reverse, const char *secret, char *out)
{
	return cursor_make(s->created_at, s->id, reverse, secret, out);
}

cf_status sessions_list(struct db *db, const struct principal *who, const char *base,
                        const struct session_list_query *q, const char *secret, struct json_object **results,
                        struct page_links *links)
{
	memset(links, 0, sizeof *links);
	links->has_count = q->cursor == NULL;
	*results = json_object_new_array();
	if ((q->chatbot_given && q->filter.chatbot_id == 0) || (q->filter.by_tags && q->filter.ntag_ids == 0) ||
	    (q->filter.by_versions && q->filter.nversion_tag_ids == 0))
		return CF_OK;   /* a filter names nothing of this team: no session matches */
	struct session_row *rows = NULL;
	size_t nrows = 0;
	struct json_object **tags = NULL;
	/* The first page (no cursor) carries the count, as upstream's. */
	links->has_count = q->cursor == NULL;
	cf_status st = store_sessions_page(db, &q->filter, q->cursor, q->page_size + 1, &rows, &nrows,
	                                   q->cursor == NULL ? &links->count : NULL);
	bool reverse = q->cursor != NULL && q->cursor->reverse;
	bool more = st == CF_OK && nrows > q->page_size;
	size_t first = 0, count = nrows;
	if (more) {
		/* The extra row lies beyond the page in the scan direction. */
		if (reverse)
			first = 1;
		count = q->page_size;
	}
	if (st == CF_OK)
		st = tags_for_rows(db, rows + first, count, &tags);
	for (size_t r = 0; st == CF_OK && r < count; r++) {
		const struct session_row *s = &rows[first + r];
		struct json_object *exp = NULL;
		st = chatbot_node(db, base, s->team_id, s->chatbot_id, s->catalog_version, &exp);
		if (st != CF_OK)
			break;
		json_object_array_add(*results, present_session(s, base, who, exp, tags[r]));
		tags[r] = NULL;
	}
	if (st == CF_OK && count > 0) {
		bool has_next = reverse ? true : more;
		bool has_prev = reverse ? more : q->cursor != NULL;
		if (has_next)
			st = make_cursor(&rows[first + count - 1], false, secret, links->next);
		if (st == CF_OK && has_prev)
			st = make_cursor(&rows[first], true, secret, links->previous);
	}
	free_nodes(tags, count);
	for (size_t r = 0; r < nrows; r++)
		session_row_free(&rows[r]);
	free(rows);
	return st;
}

/* The row, Experiment node and tag node of one session. */
static cf_status load_one(struct db *db, const struct principal *who, const char *base, const char *external_id,
                          struct session_row *s, struct json_object **exp, struct json_object **tags)
{
	*exp = NULL;
	*tags = NULL;
	cf_status st = store_session_find(db, who->team_id, external_id, s);
	struct json_object **nodes = NULL;
	if (st == CF_OK)
		st = tags_for_rows(db, s, 1, &nodes);
	if (st == CF_OK) {
		*tags = nodes[0];
		nodes[0] = NULL;
		st = chatbot_node(db, base, s->team_id, s->chatbot_id, s->catalog_version, exp);
	}
	free_nodes(nodes, 1);
	if (st != CF_OK) {
		json_object_put(*tags);
		*tags = NULL;
		session_row_free(s);
	}
	return st;
}

cf_status sessions_detail(struct db *db, const struct principal *who, const char *base, const char *external_id,
                          struct json_object **out)
{
	struct session_row s;
	struct json_object *exp = NULL, *tags = NULL;
	cf_status st = load_one(db, who, base, external_id, &s, &exp, &tags);
	if (st == CF_OK)
		*out = present_session(&s, base, who, exp, tags);
	session_row_free(&s);
	return st;
}

cf_status sessions_detail_write(struct db *db, const struct principal *who, const char *base,
                                const char *external_id, struct buf *out)
{
	struct session_row s;
	struct json_object *exp = NULL, *tags = NULL;
	cf_status st = load_one(db, who, base, external_id, &s, &exp, &tags);
	if (st != CF_OK)
		return st;
	/* Everything before "messages", then the messages, usage, tags and
	 * state: the same text as the whole object serialized. */
	struct json_object *head = present_session(&s, base, who, exp, NULL);
	st = json_serialize(head, out);
	json_object_put(head);
	if (st == CF_OK && out->len > 0 && out->data[out->len - 1] == '}') {
		out->len--;
		out->data[out->len] = '\0';
		st = buf_append_str(out, ",\"messages\":[");
	} else if (st == CF_OK) {
		st = CF_E_INTERNAL;
	}
	if (st == CF_OK)
		st = write_messages_usage(db, base, &s, out);
	if (st == CF_OK)
		st = buf_append_str(out, ",\"tags\":");
	if (st == CF_OK)
		st = json_serialize(tags, out);
	struct json_object *state = session_state(&s);
	if (st == CF_OK)
		st = buf_append_str(out, ",\"state\":");
	if (st == CF_OK)
		st = json_serialize(state, out);
	if (st == CF_OK)
		st = buf_append(out, "}", 1);
	json_object_put(state);
	json_object_put(tags);
	session_row_free(&s);
	return st;
}

/* ---- the chat API's reads ---- */

/* The poll page rule on rows of equal shape: n candidate rows (at most
 * limit + 1, oldest first) of which within[i] says the bytes before row i
 * are under the budget; returns how many to send. */
static size_t poll_page_size(size_t n, long limit, const bool *within, const char *const *created)
{
	size_t k = 0;
	while (k < n && k < (size_t)limit && within[k])
		k++;
	/* The next page starts after the last created_at sent ("since" is
	 * strict), so a page must not end inside a run of equal times, unless
	 * the run is all the page has. */
	if (k > 0 && k < n) {
		size_t j = k;
		while (j > 0 && strcmp(created[j - 1], created[k]) == 0)
			j--;
		if (j > 0)
			k = j;
	}
	return k;
}

/* The poll page out of a rendered chat. */
static cf_status page_from_chat(const struct rendered_chat *chat, const char *since, long limit, long max_bytes,
                                struct buf *out, bool *has_more)
{
	size_t start = 0;
	while (start < chat->count && strcmp(chat->messages[start].created_at, since) <= 0)
		start++;
	size_t n = chat->count - start;
	if (n > (size_t)limit + 1)
		n = (size_t)limit + 1;
	bool *within = xcalloc(n + 1, sizeof *within);
	const char **created = xcalloc(n + 1, sizeof *created);
	unsigned long long before = 0;
	for (size_t i = 0; i < n; i++) {
		within[i] = before < (unsigned long long)max_bytes;
		before += chat->messages[start + i].raw_bytes;
		created[i] = chat->messages[start + i].created_at;
	}
	size_t k = poll_page_size(n, limit, within, created);
	*has_more = k < n;
	bool first = true;
	cf_status st = CF_OK;
	for (size_t i = 0; st == CF_OK && i < k; i++)
		st = append_item(out, &first, chat->messages[start + i].json, chat->messages[start + i].json_len);
	free(within);
	free(created);
	return st;
}

/* The poll page read from the database (a chat too big to keep): the rows
 * are kept until the page size is known, then rendered one at a time. */
struct poll_rows {
	struct message_row *rows;
	size_t count, cap;
};

static cf_status keep_row(void *ctx, struct message_row *row)
{
	struct poll_rows *p = ctx;
	if (p->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->rows = xrealloc(p->rows, p->cap * sizeof *p->rows);
	}
	p->rows[p->count++] = *row;
	row->content = row->summary = row->metadata = NULL;   /* taken over */
	return CF_OK;
}

static cf_status page_from_db(struct db *db, const char *base, unsigned long long chat_id, const char *since,
                              long limit, long max_bytes, struct buf *out, bool *has_more)
{
	struct poll_rows p = {0};
	cf_status st = store_chat_poll_page(db, chat_id, since, limit + 1, max_bytes, keep_row, &p);
	bool *within = xcalloc(p.count + 1, sizeof *within);
	const char **created = xcalloc(p.count + 1, sizeof *created);
	for (size_t i = 0; i < p.count; i++) {
		within[i] = p.rows[i].within;
		created[i] = p.rows[i].created_at;
	}
	size_t k = st == CF_OK ? poll_page_size(p.count, limit, within, created) : 0;
	*has_more = k < p.count;
	struct message_context m;
	memset(&m, 0, sizeof m);
	if (st == CF_OK && k > 0)
		st = message_context_load(db, base, chat_id, &m);
	bool first = true;
	for (size_t i = 0; i < p.count; i++) {
		if (st == CF_OK && i < k)
			st = append_object(out, &first, present_message(&p.rows[i], &m));
		free(p.rows[i].content);   /* each row's text goes as soon as it is written */
		free(p.rows[i].summary);
		free(p.rows[i].metadata);
	}
	message_context_free(&m);
	free(p.rows);
	free(within);
	free(created);
	return st;
}

cf_status sessions_messages_page(struct db *db, const char *base, const struct session_row *s, const char *since,
                                 long limit, long max_bytes, struct buf *out, bool *has_more)
{
	*has_more = false;
	const struct rendered_chat *chat = NULL;
	cf_status st = rendered_chat_of(db, base, s, &chat);
	if (st != CF_OK)
		return st;
	if (chat != NULL)
		return page_from_chat(chat, since, limit, max_bytes, out, has_more);
	return page_from_db(db, base, s->chat_id, since, limit, max_bytes, out, has_more);
}

struct one_message {
	const struct message_context *m;
	struct json_object *obj;
};

static cf_status present_one(void *ctx, struct message_row *row)
{
	struct one_message *o = ctx;
	o->obj = present_message(row, o->m);
	return CF_OK;
}

cf_status sessions_message(struct db *db, const char *base, const struct session_row *s,
                           unsigned long long message_id, struct json_object **message)
{
	const struct rendered_chat *chat = NULL;
	cf_status st = rendered_chat_of(db, base, s, &chat);
	if (st != CF_OK)
		return st;
	if (chat != NULL) {
		for (size_t i = 0; i < chat->count; i++) {
			if (chat->messages[i].id == message_id) {
				*message = raw_json(chat->messages[i].json, chat->messages[i].json_len);
				return CF_OK;
			}
		}
		/* Not there: s was read before the message was stored (a task poll
		 * that waited); the database has it. */
	}
	struct message_context m;
	st = message_context_load(db, base, s->chat_id, &m);
	struct one_message o = {&m, NULL};
	if (st == CF_OK)
		st = store_chat_message_one(db, s->chat_id, message_id, present_one, &o);
	message_context_free(&m);
	if (st == CF_OK && o.obj == NULL)
		st = CF_E_NOT_FOUND;
	if (st != CF_OK) {
		json_object_put(o.obj);
		return st;
	}
	*message = o.obj;
	return CF_OK;
}

/* ---- writes ---- */

struct create_tx {
	const struct principal *who;
	const struct session_create *c;
	struct session_row *out;
};

static cf_status create_in_tx(struct db *db, void *ctx)
{
	const struct create_tx *x = ctx;
	const struct principal *who = x->who;
	const struct session_create *c = x->c;
	unsigned long long participant_id = c->participant_id, channel_id = c->api_channel_id, chat_id = 0,
	                   session_id = 0, message_id = 0;
	cf_status st = CF_OK;
	if (participant_id == 0)
		st = store_participant_upsert(db, who->team_id, "api", c->participant, who->user_id, &participant_id);
	if (st == CF_OK && channel_id == 0)
		st = store_api_channel(db, who->team_id, who->team_slug, &channel_id);
	if (st == CF_OK)
		st = store_chat_create(db, who->team_id, c->chatbot.name, false, NULL, &chat_id);
	/* docs/API.md §7.2: a session made through POST /api/sessions/ has no
	 * platform, unlike one a channel makes. */
	struct session_new s = {
		.team_id = who->team_id, .external_id = x->out->external_id, .chatbot_id = c->chatbot.id,
		.participant_id = participant_id, .channel_id = channel_id, .chat_id = chat_id,
		.status = "setup", .platform = NULL, .state_json = c->state_json,
	};
	if (st == CF_OK)
		st = store_session_create(db, &s, &session_id);
	if (st == CF_OK)
		st = webhooks_session_event(db, who->team_id, session_id, WEBHOOK_SESSION_STARTED);
	size_t n = c->messages ? json_object_array_length(c->messages) : 0;
	for (size_t i = 0; st == CF_OK && i < n; i++) {
		struct json_object *m = json_object_array_get_idx(c->messages, i);
		struct json_object *role, *content;
		json_object_object_get_ex(m, "role", &role);
		json_object_object_get_ex(m, "content", &content);
		struct message_new row = {
			.team_id = who->team_id, .chat_id = chat_id,
			.message_type = message_type_of_role(json_object_get_string(role)),
			.content = json_object_get_string(content),
		};
		st = store_message_add(db, &row, &message_id);
		if (st == CF_OK)
			st = webhooks_message_created(db, who->team_id, message_id);
	}
	/* Written last: a transaction run again starts from scratch. */
	x->out->id = session_id;
	x->out->team_id = who->team_id;
	x->out->chatbot_id = c->chatbot.id;
	x->out->chat_id = chat_id;
	x->out->participant_id = participant_id;
	return st;
}

cf_status sessions_create(struct db *db, const struct principal *who, const struct session_create *c,
                          struct session_row *created)
{
	memset(created, 0, sizeof *created);
	char external_id[UUID_STR_LEN + 1];
	cf_status st = uuid4_generate(external_id);
	if (st != CF_OK)
		return st;
	snprintf(created->external_id, sizeof created->external_id, "%s", external_id);
	struct create_tx x = {who, c, created};
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
	struct session_row s;
	cf_status st = store_session_lock(db, x->team_id, x->external_id, &s);
	if (st != CF_OK)
		return st;
	bool was_open = strcmp(s.status, "pending-review") != 0 && strcmp(s.status, "complete") != 0 &&
	                strcmp(s.status, "unknown") != 0;
	st = store_session_end(db, s.id);
	if (st == CF_OK && was_open)
		st = webhooks_session_event(db, x->team_id, s.id, WEBHOOK_SESSION_ENDED);
	return st;
}

cf_status sessions_end(struct db *db, unsigned long long team_id, const char *external_id)
{
	struct end_tx x = {team_id, external_id};
	return db_transaction(db, end_in_tx, &x);
}
