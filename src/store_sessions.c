/* store_sessions.c - SQL of experiment_sessions and chats (store_sessions.h).
 * Every statement is a named constant, but for the sessions page, which is
 * built per request (page_sql: its shape follows the filters and cursor). */
#include "store_sessions.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "xalloc.h"

/* The columns of a whole session row, in the order fill_session reads
 * them: session, participant, validators. Statements that select them join
 * SESSION_JOINS. */
#define SESSION_COLUMNS_BUT_CATALOG \
	"s.id, s.team_id, s.experiment_id, s.chat_id, COALESCE(s.participant_id, 0), s.external_id," \
	" s.status, s.created_at, s.updated_at, p.id IS NOT NULL, p.identifier, p.remote_id," \
	" c.version, c.content_bytes"
#define SESSION_COLUMNS SESSION_COLUMNS_BUT_CATALOG ", COALESCE(cv.version, 0)"
/* What the sessions API shows besides (§7.1): after SESSION_COLUMNS. */
#define SESSION_API_COLUMNS SESSION_COLUMNS ", s.platform, s.state"
#define CHAT_JOINS \
	" JOIN chats c ON c.id = s.chat_id" \
	" LEFT JOIN participants p ON p.id = s.participant_id"
#define SESSION_JOINS CHAT_JOINS " LEFT JOIN catalog_versions cv ON cv.team_id = s.team_id"
enum {
	COL_ID, COL_TEAM, COL_CHATBOT, COL_CHAT, COL_PARTICIPANT, COL_EXTERNAL_ID, COL_STATUS, COL_CREATED,
	COL_UPDATED, COL_HAS_PARTICIPANT, COL_IDENTIFIER, COL_REMOTE_ID, COL_CHAT_VERSION, COL_CHAT_BYTES,
	COL_CATALOG_VERSION, SESSION_NCOLS, COL_PLATFORM = SESSION_NCOLS, COL_STATE, COL_PAGE_TOTAL
};

/* A page is found on the index alone (ids, with the filters probed from
 * the index's chat_id), and only then are its rows fetched: a deferred join,
 * so rows skipped by a filter never cost a lookup of the whole row. */
#define PAGE_IDS_BY_TEAM \
	"SELECT s.id FROM experiment_sessions s FORCE INDEX (experiment_sessions_team_created)"
#define PAGE_IDS_BY_CHATBOT \
	"SELECT s.id FROM experiment_sessions s FORCE INDEX (experiment_sessions_team_experiment_created)"

#define OPEN_STATUS " s.status NOT IN ('pending-review', 'complete', 'unknown')"

static const char SQL_SESSION_FIND[] =
	"SELECT " SESSION_API_COLUMNS " FROM experiment_sessions s" SESSION_JOINS
	" WHERE s.external_id = ? AND s.team_id = ?";
/* The widget's session (any team, chatbot not archived) with the chatbot's
 * allow-list after the session columns; the task variant adds one job. The
 * chat API renders no chatbot, so its catalog version is not read (0). */
/* Last come the channel's session-token policy and the session's age
 * (sql/009_widget_session_tokens.sql), so the token checks cost no
 * statement of their own. */
#define CHAT_TOKEN_COLUMNS \
	" COALESCE(tc.session_token_required, 0), COALESCE(tc.session_token_ttl_days, 0)," \
	" TIMESTAMPDIFF(SECOND, s.created_at, NOW(6))"
#define CHAT_TOKEN_JOIN " LEFT JOIN experiment_channels tc ON tc.id = s.experiment_channel_id"
enum { CHAT_TOKEN_NCOLS = 3 };
static const char SQL_CHAT_SESSION[] =
	"SELECT " SESSION_COLUMNS_BUT_CATALOG ", 0, e.participant_allowlist," CHAT_TOKEN_COLUMNS
	" FROM experiment_sessions s" CHAT_JOINS CHAT_TOKEN_JOIN
	" JOIN experiments e ON e.id = s.experiment_id AND e.is_archived = 0 WHERE s.external_id = ?";
static const char SQL_CHAT_SESSION_TASK[] =
	"SELECT " SESSION_COLUMNS_BUT_CATALOG ", 0, e.participant_allowlist," CHAT_TOKEN_COLUMNS ", j.id IS NOT NULL,"
	" j.status, COALESCE(js.external_id, ''), j.result FROM experiment_sessions s" CHAT_JOINS CHAT_TOKEN_JOIN
	" JOIN experiments e ON e.id = s.experiment_id AND e.is_archived = 0"
	" LEFT JOIN jobs j ON j.task_id = ? AND j.kind = 'chat_message'"
	" LEFT JOIN experiment_sessions js ON js.id = j.session_id WHERE s.external_id = ?";
static const char SQL_CHAT_TASK[] =
	"SELECT 1, j.status, COALESCE(s.external_id, ''), j.result FROM jobs j"
	" LEFT JOIN experiment_sessions s ON s.id = j.session_id WHERE j.task_id = ? AND j.kind = 'chat_message'";
static const char SQL_SESSION_BY_ID[] =
	"SELECT id, chat_id, COALESCE(participant_id, 0), external_id, experiment_id FROM experiment_sessions"
	" WHERE id = ? AND team_id = ?";
static const char SQL_LATEST_OPEN[] =
	"SELECT s.id, s.chat_id, COALESCE(s.participant_id, 0), s.external_id, s.experiment_id FROM participants p"
	" JOIN experiment_sessions s ON s.participant_id = p.id AND s.experiment_id = ?"
	" WHERE p.team_id = ? AND p.identifier = ? AND" OPEN_STATUS
	" ORDER BY s.created_at DESC, s.id DESC LIMIT 1";
static const char SQL_API_SESSION[] =
	"SELECT s.id, s.chat_id, COALESCE(s.participant_id, 0), s.external_id, s.experiment_id"
	" FROM experiment_sessions s JOIN participants p ON p.id = s.participant_id"
	" JOIN experiment_channels ch ON ch.id = s.experiment_channel_id"
	" WHERE s.external_id = ? AND s.team_id = ? AND s.experiment_id = ? AND p.user_id = ? AND ch.platform = 'api'";

static const char SQL_CHAT_CREATE[] =
	"INSERT INTO chats (team_id, name, metadata) VALUES (?, ?, IF(?, JSON_OBJECT('embed_source', ?), '{}'))";
static const char SQL_SESSION_CREATE[] =
	"INSERT INTO experiment_sessions (external_id, team_id, experiment_id, participant_id,"
	" experiment_channel_id, chat_id, status, platform, state)"
	" VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, COALESCE(?, '{}'))";
static const char SQL_SESSION_LOCK[] =
	"SELECT id, status FROM experiment_sessions WHERE external_id = ? AND team_id = ? FOR UPDATE";
static const char SQL_SESSION_END[] =
	"UPDATE experiment_sessions SET status = 'pending-review', ended_at = UTC_TIMESTAMP(6),"
	" updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_SESSION_SET_STATE[] =
	"UPDATE experiment_sessions SET state = ?, updated_at = UTC_TIMESTAMP(6)"
	" WHERE external_id = ? AND team_id = ?";
static const char SQL_SESSION_TOUCH[] =
	"UPDATE experiment_sessions SET last_activity_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6),"
	" status = IF(status = 'setup', 'active', status),"
	" experiment_versions = IF(? = 0 OR JSON_CONTAINS(experiment_versions, CAST(? AS CHAR)),"
	" experiment_versions, JSON_ARRAY_APPEND(experiment_versions, '$', ?))"
	" WHERE id = ?";
static const char SQL_STATE_LOCK[] = "SELECT state FROM experiment_sessions WHERE id = ? FOR UPDATE";
static const char SQL_STATE_PUT[] =
	"UPDATE experiment_sessions SET state = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_SECRET_INSERT[] = "INSERT IGNORE INTO app_secrets (name, value) VALUES (?, ?)";
static const char SQL_SECRET_GET[] = "SELECT value FROM app_secrets WHERE name = ?";

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

static unsigned long long cell_id(const struct db_rows *rows, size_t r, size_t c)
{
	return (unsigned long long)db_cell_int(rows, r, c);
}

static void fill_session(const struct db_rows *rows, size_t r, struct session_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = cell_id(rows, r, COL_ID);
	out->team_id = cell_id(rows, r, COL_TEAM);
	out->chatbot_id = cell_id(rows, r, COL_CHATBOT);
	out->chat_id = cell_id(rows, r, COL_CHAT);
	out->participant_id = cell_id(rows, r, COL_PARTICIPANT);
	copy_text(out->external_id, sizeof out->external_id, db_cell(rows, r, COL_EXTERNAL_ID));
	copy_text(out->status, sizeof out->status, db_cell(rows, r, COL_STATUS));
	copy_text(out->created_at, sizeof out->created_at, db_cell(rows, r, COL_CREATED));
	copy_text(out->updated_at, sizeof out->updated_at, db_cell(rows, r, COL_UPDATED));
	out->has_participant = db_cell_bool(rows, r, COL_HAS_PARTICIPANT);
	copy_text(out->participant_identifier, sizeof out->participant_identifier, db_cell(rows, r, COL_IDENTIFIER));
	copy_text(out->participant_remote_id, sizeof out->participant_remote_id, db_cell(rows, r, COL_REMOTE_ID));
	out->chat_version = cell_id(rows, r, COL_CHAT_VERSION);
	out->chat_bytes = cell_id(rows, r, COL_CHAT_BYTES);
	out->catalog_version = cell_id(rows, r, COL_CATALOG_VERSION);
}

/* fill_session and the columns of SESSION_API_COLUMNS. */
static void fill_session_api(const struct db_rows *rows, size_t r, struct session_row *out)
{
	fill_session(rows, r, out);
	const char *platform = db_cell(rows, r, COL_PLATFORM);
	out->has_platform = platform != NULL;
	copy_text(out->platform, sizeof out->platform, platform);
	out->state_json = xstrdup(db_cell(rows, r, COL_STATE) != NULL ? db_cell(rows, r, COL_STATE) : "{}");
}

void session_row_free(struct session_row *s)
{
	free(s->state_json);
	s->state_json = NULL;
}

/* The short rows (id, chat_id, participant_id, external_id, chatbot_id). */
static void fill_session_keys(const struct db_rows *rows, struct session_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = cell_id(rows, 0, 0);
	out->chat_id = cell_id(rows, 0, 1);
	out->participant_id = cell_id(rows, 0, 2);
	copy_text(out->external_id, sizeof out->external_id, db_cell(rows, 0, 3));
	out->chatbot_id = cell_id(rows, 0, 4);
}

cf_status store_session_find(struct db *db, unsigned long long team_id, const char *external_id,
                             struct session_row *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	cf_status st = db_query_one(db, SQL_SESSION_FIND, &rows, "su", external_id, team_id);
	if (st == CF_OK)
		fill_session_api(&rows, 0, out);
	db_rows_free(&rows);
	return st;
}

static cf_status append_placeholders(struct buf *sql, size_t n)
{
	cf_status st = CF_OK;
	for (size_t i = 0; st == CF_OK && i < n; i++)
		st = buf_append_str(sql, i ? ",?" : "?");
	return st;
}

/* The filter's conditions on sessions s (" WHERE s.team_id = ? ..."),
 * their values appended to params at *n. */
static cf_status filter_sql(const struct session_filter *f, struct buf *sql, struct db_param *params, size_t *n)
{
	cf_status st = buf_append_str(sql, " WHERE s.team_id = ?");
	params[*n].type = 'u';
	params[(*n)++].u = f->team_id;
	if (st == CF_OK && f->chatbot_id != 0) {
		st = buf_append_str(sql, " AND s.experiment_id = ?");
		params[*n].type = 'u';
		params[(*n)++].u = f->chatbot_id;
	}
	if (st == CF_OK && f->by_tags) {
		st = buf_append_str(sql, " AND EXISTS (SELECT 1 FROM chat_tags ct WHERE ct.chat_id = s.chat_id"
		                         " AND ct.tag_id IN (");
		if (st == CF_OK)
			st = append_placeholders(sql, f->ntag_ids);
		if (st == CF_OK)
			st = buf_append_str(sql, "))");
		for (size_t i = 0; i < f->ntag_ids; i++) {
			params[*n].type = 'u';
			params[(*n)++].u = f->tag_ids[i];
		}
	}
	if (st == CF_OK && f->by_versions) {
		st = buf_append_str(sql, " AND EXISTS (SELECT 1 FROM chat_messages m"
		                         " JOIN chat_message_tags mt ON mt.message_id = m.id"
		                         " WHERE m.chat_id = s.chat_id AND mt.tag_id IN (");
		if (st == CF_OK)
			st = append_placeholders(sql, f->nversion_tag_ids);
		if (st == CF_OK)
			st = buf_append_str(sql, "))");
		for (size_t i = 0; i < f->nversion_tag_ids; i++) {
			params[*n].type = 'u';
			params[(*n)++].u = f->version_tag_ids[i];
		}
	}
	return st;
}

/* The count of a filter the stored counts answer exactly (the team's
 * sessions, or one chatbot's: sql/013_session_counts.sql): the sum of its
 * CF_SESSION_COUNT_SLOTS slot rows, whatever the number of sessions.
 * Bound: team id, chatbot id (0 = the team's total). */
#define STORED_COUNT \
	", (SELECT COALESCE(SUM(sc.sessions), 0) FROM session_counts sc" \
	" WHERE sc.team_id = ? AND sc.experiment_id = ?)"

/* The page statement, assembled from constant fragments only; every value
 * is a bound parameter, appended to params in fragment order. with_total
 * adds the count of every session the filter matches as the last column:
 * the stored count without tag or version filters, else a scalar COUNT(*)
 * subquery over the same index (run once per statement; its cost grows
 * with the matches, as the stored counts know nothing of tags). */
static cf_status page_sql(const struct session_filter *f, const struct cursor *after, size_t limit, bool scan_desc,
                          bool with_total, struct buf *sql, struct db_param *params, size_t *nparams)
{
	size_t per_filter = f->ntag_ids + f->nversion_tag_ids + 2;
	if (per_filter * (with_total ? 2 : 1) + 4 > DB_MAX_PARAMS)
		return CF_E_BAD_REQUEST;
	size_t n = 0;
	cf_status st = CF_OK;
	/* Tag and version filters run as a per-row EXISTS probe along the index
	 * order. Left to itself the optimizer may materialize every chat carrying
	 * the tags first (measured: 100,000 index reads per page at 1M sessions);
	 * the probe costs about page size / tag density reads. */
	if (f->by_tags || f->by_versions)
		st = buf_append_str(sql, "SET STATEMENT optimizer_switch='semijoin=off,materialization=off' FOR ");
	/* The index is forced so that the cursor condition is a range seek on it,
	 * never a scan from the top of the team's sessions. */
	if (st == CF_OK)
		st = buf_append_str(sql, "SELECT " SESSION_API_COLUMNS);
	if (st == CF_OK && with_total && !f->by_tags && !f->by_versions) {
		st = buf_append_str(sql, STORED_COUNT);
		params[n].type = 'u';
		params[n++].u = f->team_id;
		params[n].type = 'u';
		params[n++].u = f->chatbot_id;
	} else if (st == CF_OK && with_total) {
		st = buf_append_str(sql, ", (SELECT COUNT(*) FROM experiment_sessions s");
		if (st == CF_OK)
			st = filter_sql(f, sql, params, &n);
		if (st == CF_OK)
			st = buf_append_str(sql, ")");
	}
	if (st == CF_OK)
		st = buf_append_str(sql, " FROM experiment_sessions s JOIN (");
	if (st == CF_OK)
		st = buf_append_str(sql, f->chatbot_id != 0 ? PAGE_IDS_BY_CHATBOT : PAGE_IDS_BY_TEAM);
	if (st == CF_OK)
		st = filter_sql(f, sql, params, &n);
	if (st == CF_OK && after != NULL)
		st = buf_append_str(sql, scan_desc ? " AND s.created_at <= ? AND (s.created_at < ? OR s.id < ?)"
		                                   : " AND s.created_at >= ? AND (s.created_at > ? OR s.id > ?)");
	if (st == CF_OK)
		st = buf_append_str(sql, scan_desc ? " ORDER BY s.created_at DESC, s.id DESC LIMIT ?"
		                                   : " ORDER BY s.created_at ASC, s.id ASC LIMIT ?");
	if (st == CF_OK)
		st = buf_append_str(sql, ") AS page ON page.id = s.id" SESSION_JOINS);
	if (st == CF_OK)
		st = buf_append_str(sql, scan_desc ? " ORDER BY s.created_at DESC, s.id DESC"
		                                   : " ORDER BY s.created_at ASC, s.id ASC");
	if (st != CF_OK)
		return CF_E_INTERNAL;
	if (after != NULL) {
		params[n].type = 's';
		params[n++].s = after->created_at;
		params[n].type = 's';
		params[n++].s = after->created_at;
		params[n].type = 'u';
		params[n++].u = after->id;
	}
	params[n].type = 'u';
	params[n++].u = limit;
	*nparams = n;
	return CF_OK;
}

cf_status store_sessions_page(struct db *db, const struct session_filter *f, const struct cursor *after,
                              size_t limit, struct session_row **out, size_t *count, unsigned long long *total)
{
	*out = NULL;
	*count = 0;
	if (total != NULL)
		*total = 0;
	bool scan_desc = !f->ascending;
	if (after != NULL && after->reverse)
		scan_desc = !scan_desc;   /* a reverse cursor scans backwards */
	struct buf sql;
	buf_init(&sql, 8192);
	struct db_param params[DB_MAX_PARAMS];
	memset(params, 0, sizeof params);
	size_t n = 0;
	cf_status st = page_sql(f, after, limit, scan_desc, total != NULL, &sql, params, &n);
	struct db_rows rows;
	memset(&rows, 0, sizeof rows);
	if (st == CF_OK)
		st = db_query_params(db, buf_str(&sql), &rows, params, n);
	buf_free(&sql);
	if (st == CF_OK && rows.nrows > 0) {
		*out = xcalloc(rows.nrows, sizeof **out);
		bool reverse = after != NULL && after->reverse;
		for (size_t r = 0; r < rows.nrows; r++)   /* display order */
			fill_session_api(&rows, r, &(*out)[reverse ? rows.nrows - 1 - r : r]);
		*count = rows.nrows;
		if (total != NULL)
			*total = (unsigned long long)db_cell_int(&rows, 0, COL_PAGE_TOTAL);
	}
	db_rows_free(&rows);
	return st;
}

void chat_task_row_free(struct chat_task_row *t)
{
	free(t->result);
	t->result = NULL;
}

/* The task columns starting at first: found, status, session, result. */
static void fill_task(const struct db_rows *rows, size_t first, struct chat_task_row *t)
{
	memset(t, 0, sizeof *t);
	t->found = db_cell_bool(rows, 0, first);
	if (!t->found)
		return;
	copy_text(t->status, sizeof t->status, db_cell(rows, 0, first + 1));
	copy_text(t->session_external_id, sizeof t->session_external_id, db_cell(rows, 0, first + 2));
	const char *result = db_cell(rows, 0, first + 3);
	t->result = result != NULL ? xstrdup(result) : NULL;
}

static void fill_token_policy(const struct db_rows *rows, size_t first, struct chat_token_policy *p)
{
	p->required = db_cell_bool(rows, 0, first);
	long long ttl = db_cell_int(rows, 0, first + 1);
	p->ttl_days = ttl > 0 && ttl <= UINT32_MAX ? (unsigned)ttl : 0;
	p->age_seconds = db_cell_int(rows, 0, first + 2);
}

cf_status store_chat_session(struct db *db, const char *external_id, struct session_row *out, char **allowlist_json,
                             struct chat_token_policy *policy)
{
	struct db_rows rows;
	*allowlist_json = NULL;
	memset(policy, 0, sizeof *policy);
	cf_status st = db_query_one(db, SQL_CHAT_SESSION, &rows, "s", external_id);
	if (st == CF_OK) {
		fill_session(&rows, 0, out);
		*allowlist_json = xstrdup(db_cell_str(&rows, 0, SESSION_NCOLS));
		fill_token_policy(&rows, SESSION_NCOLS + 1, policy);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_session_task(struct db *db, const char *external_id, const char *task_id,
                                  struct session_row *out, char **allowlist_json, struct chat_token_policy *policy,
                                  struct chat_task_row *task)
{
	struct db_rows rows;
	*allowlist_json = NULL;
	memset(policy, 0, sizeof *policy);
	memset(task, 0, sizeof *task);
	cf_status st = db_query_one(db, SQL_CHAT_SESSION_TASK, &rows, "ss", task_id, external_id);
	if (st == CF_OK) {
		fill_session(&rows, 0, out);
		*allowlist_json = xstrdup(db_cell_str(&rows, 0, SESSION_NCOLS));
		fill_token_policy(&rows, SESSION_NCOLS + 1, policy);
		fill_task(&rows, SESSION_NCOLS + 1 + CHAT_TOKEN_NCOLS, task);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chat_task(struct db *db, const char *task_id, struct chat_task_row *task)
{
	struct db_rows rows;
	memset(task, 0, sizeof *task);
	cf_status st = db_query(db, SQL_CHAT_TASK, &rows, "s", task_id);
	if (st == CF_OK && rows.nrows > 0)
		fill_task(&rows, 0, task);
	db_rows_free(&rows);
	return st;
}

/* One row of the short shape, or CF_E_NOT_FOUND. */
static cf_status keys_result(cf_status st, struct db_rows *rows, struct session_row *out)
{
	if (st == CF_OK)
		fill_session_keys(rows, out);
	db_rows_free(rows);
	return st;
}

cf_status store_session_by_id(struct db *db, unsigned long long team_id, unsigned long long session_id,
                              struct session_row *out)
{
	struct db_rows rows;
	return keys_result(db_query_one(db, SQL_SESSION_BY_ID, &rows, "uu", session_id, team_id), &rows, out);
}

cf_status store_latest_open_session(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                                    const char *identifier, struct session_row *out)
{
	struct db_rows rows;
	return keys_result(db_query_one(db, SQL_LATEST_OPEN, &rows, "uus", chatbot_id, team_id, identifier), &rows,
	                   out);
}

cf_status store_api_session(struct db *db, unsigned long long team_id, unsigned long long chatbot_id,
                            const char *external_id, unsigned long long user_id, struct session_row *out)
{
	struct db_rows rows;
	return keys_result(db_query_one(db, SQL_API_SESSION, &rows, "suuu", external_id, team_id, chatbot_id, user_id),
	                   &rows, out);
}

cf_status store_chat_create(struct db *db, unsigned long long team_id, const char *name, bool with_source,
                            const char *source, unsigned long long *chat_id)
{
	return db_exec(db, SQL_CHAT_CREATE, NULL, chat_id, "usbs", team_id, name, with_source, source);
}

cf_status store_session_create(struct db *db, const struct session_new *s, unsigned long long *session_id)
{
	return db_exec(db, SQL_SESSION_CREATE, NULL, session_id, "suuuuusss", s->external_id, s->team_id,
	               s->chatbot_id, s->participant_id, s->channel_id, s->chat_id, s->status, s->platform,
	               s->state_json);
}

cf_status store_session_lock(struct db *db, unsigned long long team_id, const char *external_id,
                             struct session_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_SESSION_LOCK, &rows, "su", external_id, team_id);
	if (st == CF_OK) {
		memset(out, 0, sizeof *out);
		out->id = cell_id(&rows, 0, 0);
		copy_text(out->status, sizeof out->status, db_cell(&rows, 0, 1));
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_session_end(struct db *db, unsigned long long session_id)
{
	return db_exec(db, SQL_SESSION_END, NULL, NULL, "u", session_id);
}

cf_status store_session_set_state(struct db *db, unsigned long long team_id, const char *external_id,
                                  const char *state_json)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_SESSION_SET_STATE, &affected, NULL, "ssu", state_json, external_id, team_id);
	return (st == CF_OK && affected == 0) ? CF_E_NOT_FOUND : st;
}

cf_status store_session_touch(struct db *db, unsigned long long session_id, long number)
{
	return db_exec(db, SQL_SESSION_TOUCH, NULL, NULL, "iiiu", (long long)number, (long long)number,
	               (long long)number, session_id);
}

cf_status store_session_state_lock(struct db *db, unsigned long long session_id, char **state_json)
{
	struct db_rows rows;
	*state_json = NULL;
	cf_status st = db_query_one(db, SQL_STATE_LOCK, &rows, "u", session_id);
	if (st == CF_OK)
		*state_json = xstrdup(db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	return st;
}

cf_status store_session_state_put(struct db *db, unsigned long long session_id, const char *state_json)
{
	return db_exec(db, SQL_STATE_PUT, NULL, NULL, "su", state_json, session_id);
}

/* The secrets read so far in this process (a secret never changes once
 * created, so one read per process is enough). */
#define SECRET_SLOTS 4
static struct {
	char name[32];
	char value[65];
} secrets_seen[SECRET_SLOTS];

cf_status store_secret(struct db *db, const char *name, char out[65])
{
	for (size_t i = 0; i < SECRET_SLOTS; i++) {
		if (secrets_seen[i].name[0] != '\0' && strcmp(secrets_seen[i].name, name) == 0) {
			memcpy(out, secrets_seen[i].value, 65);
			return CF_OK;
		}
	}
	struct db_rows rows;
	cf_status st = db_query(db, SQL_SECRET_GET, &rows, "s", name);
	if (st == CF_OK && rows.nrows == 0) {
		db_rows_free(&rows);
		unsigned char raw[32];
		char hex[65];
		st = random_bytes(raw, sizeof raw);
		if (st == CF_OK) {
			for (size_t i = 0; i < sizeof raw; i++)
				snprintf(hex + 2 * i, 3, "%02x", raw[i]);
			st = db_exec(db, SQL_SECRET_INSERT, NULL, NULL, "ss", name, hex);
		}
		if (st == CF_OK)
			st = db_query(db, SQL_SECRET_GET, &rows, "s", name);   /* another host may have won the race */
	}
	if (st == CF_OK && rows.nrows == 0)
		st = CF_E_DB;
	if (st == CF_OK) {
		copy_text(out, 65, db_cell(&rows, 0, 0));
		for (size_t i = 0; i < SECRET_SLOTS; i++) {
			if (secrets_seen[i].name[0] == '\0' && strlen(name) < sizeof secrets_seen[i].name) {
				copy_text(secrets_seen[i].name, sizeof secrets_seen[i].name, name);
				memcpy(secrets_seen[i].value, out, 65);
				break;
			}
		}
	}
	db_rows_free(&rows);
	return st;
}
