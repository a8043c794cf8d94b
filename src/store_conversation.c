/* store_conversation.c - SQL of the conversation engine. */
#include "store_conversation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* One round trip for a turn's context: a fixed-shape UNION ALL whose first
 * column says what a row is (0 history, newest first; 1 participant; 2
 * session state). The participant and state parts are switched off by a
 * flag parameter rather than left out, so there is one prepared statement. */
enum context_kind { CONTEXT_HISTORY, CONTEXT_PARTICIPANT, CONTEXT_STATE };
static const char SQL_CONTEXT[] =
	"(SELECT 0 AS kind, h.message_type AS a, h.content AS b, h.created_at AS t, h.id AS i FROM chat_messages h"
	" WHERE h.chat_id = ? AND h.id <> ? ORDER BY h.created_at DESC, h.id DESC LIMIT ?)"
	" UNION ALL"
	" (SELECT 1, p.name, COALESCE(d.data, '{}'), NULL, NULL FROM participants p"
	" LEFT JOIN participant_data d ON d.participant_id = p.id AND d.experiment_id = ?"
	" WHERE ? = 1 AND p.id = ? AND p.team_id = ?)"
	" UNION ALL"
	" (SELECT 2, NULL, s.state, NULL, NULL FROM experiment_sessions s WHERE ? = 1 AND s.id = ? AND s.team_id = ?)"
	" ORDER BY 1, 4 DESC, 5 DESC";


/* Fills out from the rows of SQL_CONTEXT; history is reversed to oldest first. */
static void context_fill(const struct db_rows *rows, struct conversation_context *out)
{
	size_t n = 0;
	while (n < rows->nrows && db_cell_int(rows, n, 0) == CONTEXT_HISTORY)
		n++;
	out->history = xcalloc(n + 1, sizeof *out->history);
	out->nhistory = n;
	for (size_t i = 0; i < n; i++) {
		struct history_row *h = &out->history[n - 1 - i];
		snprintf(h->message_type, sizeof h->message_type, "%s", db_cell_str(rows, i, 1));
		h->content = xstrdup(db_cell_str(rows, i, 2));
	}
	for (size_t r = n; r < rows->nrows; r++) {
		if (db_cell_int(rows, r, 0) == CONTEXT_PARTICIPANT && !out->has_participant) {
			out->has_participant = true;
			snprintf(out->participant_name, sizeof out->participant_name, "%s", db_cell_str(rows, r, 1));
			out->participant_data = xstrdup(db_cell_str(rows, r, 2));
		} else if (db_cell_int(rows, r, 0) == CONTEXT_STATE && !out->has_state) {
			out->has_state = true;
			out->session_state = xstrdup(db_cell_str(rows, r, 2));
		}
	}
}

cf_status store_conversation_context(struct db *db, const struct conversation_context_query *q,
                                     struct conversation_context *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	bool participant = q->want_participant && q->participant_id != 0;
	cf_status st = db_query(db, SQL_CONTEXT, &rows, "uuiubuubuu", q->chat_id, q->exclude_message_id,
	                        (long long)(q->history_limit > 0 ? q->history_limit : 0), q->chatbot_id, (int)participant,
	                        q->participant_id, q->team_id, (int)q->want_state, q->session_id, q->team_id);
	if (st == CF_OK)
		context_fill(&rows, out);
	db_rows_free(&rows);
	return st;
}

void conversation_context_free(struct conversation_context *c)
{
	for (size_t i = 0; i < c->nhistory; i++)
		free(c->history[i].content);
	free(c->history);
	free(c->participant_data);
	free(c->session_state);
	memset(c, 0, sizeof *c);
}





