/* store_messages.c - SQL of chat messages and chat attachments. */
#include "store_messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Every message read has these columns, in this order (see walk_rows): the
 * message, the poll's budget flag, then its usage (model, tokens). */
#define MESSAGE_COLUMNS "id, created_at, message_type, content, summary, metadata"
#define MESSAGE_USAGE_COLUMNS \
	"model_name, prompt_tokens IS NOT NULL OR completion_tokens IS NOT NULL," \
	" COALESCE(prompt_tokens, 0) + COALESCE(completion_tokens, 0)"

static const char SQL_CHAT_MESSAGES[] =
	"SELECT " MESSAGE_COLUMNS ", 1, " MESSAGE_USAGE_COLUMNS " FROM chat_messages WHERE chat_id = ?"
	" ORDER BY created_at, id";
static const char SQL_CHAT_MESSAGE_ONE[] =
	"SELECT id, created_at, message_type, content, NULL, metadata, 1, " MESSAGE_USAGE_COLUMNS
	" FROM chat_messages WHERE chat_id = ? AND id = ?";
/* The last column says whether the content stored before the row (content
 * + metadata bytes) is still under the byte budget; rows past it come
 * without content and metadata. */
static const char SQL_CHAT_POLL_PAGE[] =
	"SELECT id, created_at, message_type, IF(within, content, NULL), NULL, IF(within, metadata, NULL), within,"
	" NULL, 0, 0 FROM (SELECT id, created_at, message_type, content, metadata,"
	" COALESCE(SUM(LENGTH(content) + LENGTH(metadata)) OVER (ORDER BY created_at, id"
	" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < ? AS within"
	" FROM (SELECT id, created_at, message_type, content, metadata FROM chat_messages"
	" WHERE chat_id = ? AND created_at > ? ORDER BY created_at, id LIMIT ?) AS page) AS w"
	" ORDER BY created_at, id";
static const char SQL_CHAT_FILES[] =
	"SELECT DISTINCT f.id, f.name, f.content_type, f.content_size, f.external_id"
	" FROM chat_attachments a JOIN chat_attachment_files af ON af.chat_attachment_id = a.id"
	" JOIN files f ON f.id = af.file_id WHERE a.chat_id = ?";
static const char SQL_MESSAGE_ADD[] =
	"INSERT INTO chat_messages (chat_id, team_id, message_type, content, metadata, prompt_tokens, completion_tokens,"
	" model_name, created_at) VALUES (?, ?, ?, ?, COALESCE(?, '{}'), ?, ?, ?, UTC_TIMESTAMP(6))";
static const char SQL_MESSAGE_CONTENT[] = "SELECT content FROM chat_messages WHERE id = ? AND team_id = ?";
/* The session is looked up by team and chatbot first, so the message
 * probe stays inside one chat (chat_messages_chat_created). */
static const char SQL_RESPONSE_MESSAGE[] =
	"SELECT s.id, s.chat_id, s.participant_id, m.content, UNIX_TIMESTAMP(m.created_at), m.prompt_tokens IS NOT NULL,"
	" m.prompt_tokens, m.completion_tokens,"
	" NOT EXISTS (SELECT 1 FROM chat_messages l WHERE l.chat_id = m.chat_id AND l.message_type = 'ai' AND l.id > m.id)"
	" FROM experiment_sessions s JOIN chat_messages m ON m.chat_id = s.chat_id AND m.team_id = s.team_id"
	" WHERE s.team_id = ? AND s.experiment_id = ? AND s.external_id = ? AND m.message_type = 'ai'"
	" AND JSON_VALUE(m.metadata, '$.openai_response_id') = ?"
	" AND JSON_EXTRACT(m.metadata, '$.openai_store') IS NULL LIMIT 1";
static const char SQL_MESSAGE_METADATA_MERGE[] =
	"UPDATE chat_messages SET metadata = JSON_MERGE_PATCH(metadata, ?) WHERE id = ? AND team_id = ?";
static const char SQL_CHAT_HAS_HUMAN[] =
	"SELECT EXISTS (SELECT 1 FROM chat_messages WHERE chat_id = ? AND message_type = 'human')";

/* Takes a cell's text over from rows (db_rows cells are plain malloc'd
 * strings and db_rows_free skips NULL), so a long message is not copied. */
static char *take_cell(struct db_rows *rows, size_t r, size_t c, size_t *len)
{
	size_t idx = r * rows->ncols + c;
	char *text = rows->cells[idx];
	if (len != NULL)
		*len = rows->lens[idx];
	rows->cells[idx] = NULL;
	rows->lens[idx] = 0;
	return text;
}

/* Hands every row to fn in order, releasing each row's text as it goes. */
static cf_status walk_rows(struct db_rows *rows, message_row_fn fn, void *ctx)
{
	cf_status st = CF_OK;
	for (size_t r = 0; st == CF_OK && r < rows->nrows; r++) {
		struct message_row m;
		memset(&m, 0, sizeof m);
		m.id = (unsigned long long)db_cell_int(rows, r, 0);
		snprintf(m.created_at, sizeof m.created_at, "%s", db_cell_str(rows, r, 1));
		snprintf(m.message_type, sizeof m.message_type, "%s", db_cell_str(rows, r, 2));
		m.content = take_cell(rows, r, 3, &m.content_len);
		m.summary = take_cell(rows, r, 4, NULL);
		m.metadata = take_cell(rows, r, 5, NULL);
		m.within = db_cell_bool(rows, r, 6);
		snprintf(m.model_name, sizeof m.model_name, "%s", db_cell_str(rows, r, 7));
		m.has_usage = db_cell_bool(rows, r, 8);
		m.tokens = db_cell_int(rows, r, 9);
		st = fn(ctx, &m);
		free(m.content);
		free(m.summary);
		free(m.metadata);
	}
	return st;
}

cf_status store_chat_messages(struct db *db, unsigned long long chat_id, message_row_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHAT_MESSAGES, &rows, "u", chat_id);
	if (st == CF_OK)
		st = walk_rows(&rows, fn, ctx);
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_message_one(struct db *db, unsigned long long chat_id, unsigned long long message_id,
                                 message_row_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHAT_MESSAGE_ONE, &rows, "uu", chat_id, message_id);
	if (st == CF_OK)
		st = walk_rows(&rows, fn, ctx);
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_poll_page(struct db *db, unsigned long long chat_id, const char *since, long rows_max,
                               long max_bytes, message_row_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHAT_POLL_PAGE, &rows, "iusi", (long long)max_bytes, chat_id, since,
	                        (long long)rows_max);
	if (st == CF_OK)
		st = walk_rows(&rows, fn, ctx);
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_files(struct db *db, unsigned long long chat_id, struct chat_file_row **files, size_t *count)
{
	struct db_rows rows;
	*files = NULL;
	*count = 0;
	cf_status st = db_query(db, SQL_CHAT_FILES, &rows, "u", chat_id);
	if (st == CF_OK && rows.nrows > 0) {
		*files = xcalloc(rows.nrows, sizeof **files);
		for (size_t r = 0; r < rows.nrows; r++) {
			struct chat_file_row *f = &(*files)[r];
			f->id = (unsigned long long)db_cell_int(&rows, r, 0);
			snprintf(f->name, sizeof f->name, "%s", db_cell_str(&rows, r, 1));
			snprintf(f->content_type, sizeof f->content_type, "%s", db_cell_str(&rows, r, 2));
			f->size = db_cell_int(&rows, r, 3);
			f->has_external_id = db_cell(&rows, r, 4) != NULL;
			snprintf(f->external_id, sizeof f->external_id, "%s", db_cell_str(&rows, r, 4));
		}
		*count = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_message_add(struct db *db, const struct message_new *m, unsigned long long *message_id)
{
	if (m->have_usage)
		return db_exec(db, SQL_MESSAGE_ADD, NULL, message_id, "uusssiis", m->chat_id, m->team_id, m->message_type,
		               m->content, m->metadata_json, (long long)m->prompt_tokens, (long long)m->completion_tokens,
		               m->model_name);
	return db_exec(db, SQL_MESSAGE_ADD, NULL, message_id, "uusssnns", m->chat_id, m->team_id, m->message_type,
	               m->content, m->metadata_json, m->model_name);
}

cf_status store_message_content(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                char **content)
{
	struct db_rows rows;
	*content = NULL;
	cf_status st = db_query_one(db, SQL_MESSAGE_CONTENT, &rows, "uu", message_id, team_id);
	if (st == CF_OK)
		*content = xstrdup(db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_has_human(struct db *db, unsigned long long chat_id, bool *has)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHAT_HAS_HUMAN, &rows, "u", chat_id);
	*has = st == CF_OK && db_cell_bool(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_response_message(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                 const char *session_external_id, const char *response_id,
                                 struct response_message_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_RESPONSE_MESSAGE, &rows, "uuss", team_id, chatbot_id, session_external_id,
	                            response_id);
	if (st == CF_OK) {
		out->session_id = (unsigned long long)db_cell_int(&rows, 0, 0);
		out->chat_id = (unsigned long long)db_cell_int(&rows, 0, 1);
		out->participant_id = (unsigned long long)db_cell_int(&rows, 0, 2);
		out->content = take_cell(&rows, 0, 3, NULL);
		out->created_at = db_cell_int(&rows, 0, 4);
		out->have_usage = db_cell_bool(&rows, 0, 5);
		out->prompt_tokens = (long)db_cell_int(&rows, 0, 6);
		out->completion_tokens = (long)db_cell_int(&rows, 0, 7);
		out->is_latest = db_cell_bool(&rows, 0, 8);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_message_metadata_merge(struct db *db, unsigned long long team_id, unsigned long long message_id,
                                       const char *patch_json)
{
	return db_exec(db, SQL_MESSAGE_METADATA_MERGE, NULL, NULL, "suu", patch_json, message_id, team_id);
}
