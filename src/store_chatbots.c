/* store_chatbots.c - SQL of chatbot families, their versions and the
 * teams' LLM providers (see store_chatbots.h). */
#include "store_chatbots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_secrets.h"
#include "xalloc.h"

/* ---- families ---- */

#define CHATBOT_COLUMNS "w.id, w.team_id, w.public_id, w.name, w.version_number, w.working_version_id IS NULL"

static const char SQL_CHATBOT_FIND[] =
	"SELECT " CHATBOT_COLUMNS ", '' FROM experiments e JOIN experiments w ON w.id = COALESCE(e.working_version_id, e.id)"
	" WHERE e.public_id = ? AND e.team_id = ? AND e.is_archived = 0 AND w.is_archived = 0";
static const char SQL_CHATBOT_GET[] =
	"SELECT " CHATBOT_COLUMNS ", '' FROM experiments w WHERE w.id = ? AND w.team_id = ?";
static const char SQL_CHATBOT_DESCRIPTION[] = "SELECT description FROM experiments WHERE id = ? AND team_id = ?";
static const char SQL_CHATBOT_ANYWHERE[] = "SELECT 1 FROM experiments WHERE public_id = ? AND is_archived = 0";
static const char SQL_CHATBOT_ANY_TEAM[] =
	"SELECT " CHATBOT_COLUMNS ", t.slug FROM experiments w JOIN teams t ON t.id = w.team_id"
	" WHERE w.public_id = ? AND w.is_archived = 0";
static const char SQL_SESSION_CHATBOT[] =
	"SELECT e.public_id FROM experiment_sessions s JOIN experiments e ON e.id = s.experiment_id"
	" WHERE s.external_id = ? AND e.is_archived = 0";
static const char SQL_CHATBOT_VERSIONS[] =
	"SELECT name, version_number, is_default_version, version_description, public_id FROM experiments"
	" WHERE working_version_id = ? AND is_archived = 0 ORDER BY version_number";

static const char SQL_CHATBOT_MODELS[] =
	"SELECT version_number, working_version_id IS NULL, UNIX_TIMESTAMP(created_at) FROM experiments"
	" WHERE (id = ? OR working_version_id = ?) AND is_archived = 0 ORDER BY version_number";

/* Pages of GET /api/experiments/ (store_chatbot_page): the first page,
 * the rows after a cursor and the rows before one (scanned ascending). */
#define CHATBOT_PAGE_FROM \
	"SELECT id, created_at FROM experiments WHERE team_id = ? AND working_version_id IS NULL AND is_archived = 0"
static const char SQL_CHATBOT_PAGE_FIRST[] = CHATBOT_PAGE_FROM " ORDER BY created_at DESC, id DESC LIMIT ?";
static const char SQL_CHATBOT_PAGE_AFTER[] =
	CHATBOT_PAGE_FROM " AND created_at <= ? AND (created_at < ? OR id < ?) ORDER BY created_at DESC, id DESC LIMIT ?";
static const char SQL_CHATBOT_PAGE_BEFORE[] =
	CHATBOT_PAGE_FROM " AND created_at >= ? AND (created_at > ? OR id > ?) ORDER BY created_at ASC, id ASC LIMIT ?";
static const char SQL_CHATBOT_COUNT[] =
	"SELECT COUNT(*) FROM experiments WHERE team_id = ? AND working_version_id IS NULL AND is_archived = 0";

/* Fills out from the CHATBOT_COLUMNS (and the slug) starting at column c0. */
static void chatbot_row_fill(const struct db_rows *rows, size_t r, size_t c0, struct chatbot_row *out)
{
	memset(out, 0, sizeof *out);
	out->id = (unsigned long long)db_cell_int(rows, r, c0);
	out->team_id = (unsigned long long)db_cell_int(rows, r, c0 + 1);
	snprintf(out->public_id, sizeof out->public_id, "%s", db_cell_str(rows, r, c0 + 2));
	snprintf(out->name, sizeof out->name, "%s", db_cell_str(rows, r, c0 + 3));
	out->version_number = (long)db_cell_int(rows, r, c0 + 4);
	out->is_working = db_cell_bool(rows, r, c0 + 5);
	snprintf(out->team_slug, sizeof out->team_slug, "%s", db_cell_str(rows, r, c0 + 6));
}

/* The single row of a lookup into out; frees rows. */
static cf_status chatbot_one(cf_status st, struct db_rows *rows, struct chatbot_row *out)
{
	if (st == CF_OK)
		chatbot_row_fill(rows, 0, 0, out);
	db_rows_free(rows);
	return st;
}

cf_status store_chatbot_find(struct db *db, unsigned long long team_id, const char *public_id,
                             struct chatbot_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_FIND, &rows, "su", public_id, team_id);
	return chatbot_one(st, &rows, out);
}

cf_status store_chatbot_get(struct db *db, unsigned long long team_id, unsigned long long id,
                            struct chatbot_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_GET, &rows, "uu", id, team_id);
	return chatbot_one(st, &rows, out);
}

cf_status store_chatbot_description(struct db *db, unsigned long long team_id, unsigned long long id,
                                    char **description)
{
	struct db_rows rows;
	*description = NULL;
	cf_status st = db_query_one(db, SQL_CHATBOT_DESCRIPTION, &rows, "uu", id, team_id);
	if (st == CF_OK)
		*description = xstrdup(db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_any_team(struct db *db, const char *public_id, struct chatbot_row *out)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_ANY_TEAM, &rows, "s", public_id);
	return chatbot_one(st, &rows, out);
}

cf_status store_chatbot_exists_anywhere(struct db *db, const char *public_id, bool *exists)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHATBOT_ANYWHERE, &rows, "s", public_id);
	*exists = st == CF_OK && rows.nrows > 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_session_chatbot(struct db *db, const char *session_external_id, char public_id[37])
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_SESSION_CHATBOT, &rows, "s", session_external_id);
	if (st == CF_OK)
		snprintf(public_id, 37, "%s", db_cell_str(&rows, 0, 0));
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_page(struct db *db, const struct chatbot_page_query *q, struct chatbot_page_row **out,
                             size_t *count)
{
	*out = NULL;
	*count = 0;
	struct db_rows rows;
	cf_status st;
	if (q->after_created_at == NULL)
		st = db_query(db, SQL_CHATBOT_PAGE_FIRST, &rows, "uu", q->team_id, (unsigned long long)q->limit);
	else
		st = db_query(db, q->reverse ? SQL_CHATBOT_PAGE_BEFORE : SQL_CHATBOT_PAGE_AFTER, &rows, "ussuu", q->team_id,
		              q->after_created_at, q->after_created_at, q->after_id, (unsigned long long)q->limit);
	if (st == CF_OK && rows.nrows > 0) {
		bool flip = q->after_created_at != NULL && q->reverse;   /* scanned ascending: display newest first */
		*out = xcalloc(rows.nrows, sizeof **out);
		for (size_t r = 0; r < rows.nrows; r++) {
			struct chatbot_page_row *row = &(*out)[flip ? rows.nrows - 1 - r : r];
			row->id = (unsigned long long)db_cell_int(&rows, r, 0);
			snprintf(row->created_at, sizeof row->created_at, "%s", db_cell_str(&rows, r, 1));
		}
		*count = rows.nrows;
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_count(struct db *db, unsigned long long team_id, unsigned long long *count)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_COUNT, &rows, "u", team_id);
	*count = st == CF_OK ? (unsigned long long)db_cell_int(&rows, 0, 0) : 0;
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_models(struct db *db, unsigned long long working_id, chatbot_model_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHATBOT_MODELS, &rows, "uu", working_id, working_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct chatbot_model_row m = {
			.version_number = (long)db_cell_int(&rows, r, 0),
			.is_working = db_cell_bool(&rows, r, 1),
			.created_at = db_cell_int(&rows, r, 2),
		};
		st = fn(ctx, &m);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_versions(struct db *db, unsigned long long working_id, chatbot_version_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHATBOT_VERSIONS, &rows, "u", working_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct chatbot_version_summary v;
		memset(&v, 0, sizeof v);
		snprintf(v.name, sizeof v.name, "%s", db_cell_str(&rows, r, 0));
		v.version_number = (long)db_cell_int(&rows, r, 1);
		v.is_default_version = db_cell_bool(&rows, r, 2);
		/* borrowed from rows for the callback: they outlive it */
		v.version_description = (char *)db_cell_str(&rows, r, 3);
		snprintf(v.public_id, sizeof v.public_id, "%s", db_cell_str(&rows, r, 4));
		st = fn(ctx, &v);
	}
	db_rows_free(&rows);
	return st;
}

/* ---- the answering version, in one statement ---- */

/* The family's working row w, then every row v that may answer: the
 * working row itself and the released, non-archived versions; the
 * IF keeps the default rule (v0: the published default, else the working
 * row) or the numbered one. The released row sorts first, so with LIMIT 1
 * the published default wins over the working row. No match leaves one row
 * with v NULL: the family exists but not the version. */
#define RESOLVE_SELECT \
	"SELECT " CHATBOT_COLUMNS ", '', v.id, v.version_number, v.working_version_id IS NULL, v.llm_model," \
	" v.temperature, v.prompt_text, v.source_material, v.history_mode, v.history_max_messages," \
	" p.type, p.base_url, p.api_key, p.config," \
	" EXISTS (SELECT 1 FROM webhook_endpoints we WHERE we.team_id = w.team_id)," \
	" COALESCE((SELECT ch.id FROM experiment_channels ch WHERE ch.team_id = w.team_id AND ch.platform = 'api'" \
	" AND ch.experiment_id IS NULL AND ch.deleted = 0 ORDER BY ch.id LIMIT 1), 0)," \
	" COALESCE((SELECT pa.id FROM participants pa WHERE pa.team_id = w.team_id AND pa.platform = 'api'" \
	" AND pa.identifier = ?), 0)," \
	" COALESCE(ls.id, 0), COALESCE(ls.chat_id, 0), COALESCE(ls.participant_id, 0), COALESCE(ls.external_id, '')"
/* The caller's latest open session of the family (the hints). */
#define RESOLVE_OPEN_SESSION \
	" LEFT JOIN experiment_sessions ls ON ls.id = (SELECT s.id FROM participants pp" \
	" JOIN experiment_sessions s ON s.participant_id = pp.id AND s.experiment_id = w.id" \
	" WHERE pp.team_id = w.team_id AND pp.identifier = ?" \
	" AND s.status NOT IN ('pending-review', 'complete', 'unknown')" \
	" ORDER BY s.created_at DESC, s.id DESC LIMIT 1)"
#define RESOLVE_JOINS \
	" LEFT JOIN experiments v ON v.team_id = w.team_id" \
	" AND (v.id = w.id OR (v.working_version_id = w.id AND v.is_archived = 0))" \
	" AND IF(? <= 0, v.id = w.id OR v.is_default_version = 1, v.version_number = ?)" \
	" LEFT JOIN llm_providers p ON p.id = v.llm_provider_id AND p.team_id = v.team_id"
#define RESOLVE_ORDER " ORDER BY v.working_version_id IS NULL LIMIT 1"

static const char SQL_RESOLVE_BY_PUBLIC_ID[] =
	RESOLVE_SELECT " FROM experiments e JOIN experiments w ON w.id = COALESCE(e.working_version_id, e.id)"
	RESOLVE_JOINS RESOLVE_OPEN_SESSION " WHERE e.public_id = ? AND e.team_id = ? AND e.is_archived = 0"
	" AND w.is_archived = 0" RESOLVE_ORDER;
static const char SQL_RESOLVE_BY_ID[] =
	RESOLVE_SELECT " FROM experiments w" RESOLVE_JOINS RESOLVE_OPEN_SESSION " WHERE w.id = ? AND w.team_id = ?"
	RESOLVE_ORDER;

enum resolve_col {
	RV_ID = 7, RV_NUMBER, RV_IS_WORKING, RV_MODEL, RV_TEMPERATURE, RV_PROMPT, RV_SOURCE, RV_HISTORY_MODE,
	RV_HISTORY_MAX, RV_PROVIDER_TYPE, RV_BASE_URL, RV_API_KEY, RV_PROVIDER_CONFIG, RV_HAS_WEBHOOKS, RV_API_CHANNEL,
	RV_API_PARTICIPANT, RV_OPEN_ID, RV_OPEN_CHAT, RV_OPEN_PARTICIPANT, RV_OPEN_EXTERNAL_ID
};

static void hints_fill(const struct db_rows *rows, struct chatbot_turn_hints *h)
{
	memset(h, 0, sizeof *h);
	h->team_has_webhooks = db_cell_bool(rows, 0, RV_HAS_WEBHOOKS);
	h->api_channel_id = (unsigned long long)db_cell_int(rows, 0, RV_API_CHANNEL);
	h->api_participant_id = (unsigned long long)db_cell_int(rows, 0, RV_API_PARTICIPANT);
	h->open_session_id = (unsigned long long)db_cell_int(rows, 0, RV_OPEN_ID);
	h->open_chat_id = (unsigned long long)db_cell_int(rows, 0, RV_OPEN_CHAT);
	h->open_participant_id = (unsigned long long)db_cell_int(rows, 0, RV_OPEN_PARTICIPANT);
	snprintf(h->open_external_id, sizeof h->open_external_id, "%s", db_cell_str(rows, 0, RV_OPEN_EXTERNAL_ID));
}

static void version_fill(const struct db_rows *rows, struct chatbot_version_row *out)
{
	out->id = (unsigned long long)db_cell_int(rows, 0, RV_ID);
	out->version_number = (long)db_cell_int(rows, 0, RV_NUMBER);
	out->is_working = db_cell_bool(rows, 0, RV_IS_WORKING);
	snprintf(out->model, sizeof out->model, "%s", db_cell_str(rows, 0, RV_MODEL));
	out->temperature = strtod(db_cell_str(rows, 0, RV_TEMPERATURE), NULL);
	out->prompt_text = xstrdup(db_cell_str(rows, 0, RV_PROMPT));
	out->source_material = xstrdup(db_cell_str(rows, 0, RV_SOURCE));
	snprintf(out->history_mode, sizeof out->history_mode, "%s", db_cell_str(rows, 0, RV_HISTORY_MODE));
	out->history_max = (long)db_cell_int(rows, 0, RV_HISTORY_MAX);
	out->has_provider = db_cell(rows, 0, RV_PROVIDER_TYPE) != NULL;
	if (!out->has_provider)
		return;
	snprintf(out->provider_type, sizeof out->provider_type, "%s", db_cell_str(rows, 0, RV_PROVIDER_TYPE));
	snprintf(out->base_url, sizeof out->base_url, "%s", db_cell_str(rows, 0, RV_BASE_URL));
	out->api_key = xstrdup(db_cell_str(rows, 0, RV_API_KEY));
	out->provider_config = xstrdup(db_cell(rows, 0, RV_PROVIDER_CONFIG) ? db_cell(rows, 0, RV_PROVIDER_CONFIG) : "{}");
}

cf_status store_chatbot_version_resolve(struct db *db, const struct chatbot_version_query *q,
                                        struct chatbot_row *family, bool *version_found,
                                        struct chatbot_version_row *version, struct chatbot_turn_hints *hints)
{
	struct db_rows rows;
	long long n = (long long)q->version;
	/* NULL matches no participant: the open-session join finds nothing at once */
	const char *open_of = q->open_session ? q->caller : NULL;
	memset(version, 0, sizeof *version);
	*version_found = false;
	if (hints != NULL)
		memset(hints, 0, sizeof *hints);
	cf_status st = q->public_id != NULL
	                       ? db_query_one(db, SQL_RESOLVE_BY_PUBLIC_ID, &rows, "siissu", q->caller, n, n, open_of,
	                                      q->public_id, q->team_id)
	                       : db_query_one(db, SQL_RESOLVE_BY_ID, &rows, "siisuu", q->caller, n, n, open_of,
	                                      q->working_id, q->team_id);
	if (st == CF_OK)
		chatbot_row_fill(&rows, 0, 0, family);
	if (st == CF_OK && hints != NULL)
		hints_fill(&rows, hints);
	*version_found = st == CF_OK && db_cell(&rows, 0, RV_ID) != NULL;
	/* The provider's api_key is stored sealed (store_secrets.h): opened here. */
	if (*version_found)
		st = store_secret_open(SECRET_PROVIDER_API_KEY, q->team_id, &rows.cells[RV_API_KEY], &rows.lens[RV_API_KEY]);
	if (st == CF_OK && *version_found)
		version_fill(&rows, version);
	db_rows_free(&rows);
	return st;
}

void chatbot_version_row_free(struct chatbot_version_row *v)
{
	free(v->prompt_text);
	free(v->source_material);
	if (v->api_key != NULL) {
		explicit_bzero(v->api_key, strlen(v->api_key));
		free(v->api_key);
	}
	free(v->provider_config);
	memset(v, 0, sizeof *v);
}

/* ---- confabctl ---- */

static const char SQL_CHATBOT_INSERT[] =
	"INSERT INTO experiments (public_id, team_id, name, description, prompt_text) VALUES (?, ?, ?, ?, ?)";
static const char SQL_CHATBOT_CONFIGURE[] =
	"UPDATE experiments SET llm_provider_id = COALESCE(?, llm_provider_id), llm_model = COALESCE(?, llm_model),"
	" temperature = COALESCE(?, temperature), prompt_text = COALESCE(?, prompt_text),"
	" source_material = COALESCE(?, source_material), history_mode = COALESCE(?, history_mode),"
	" history_max_messages = COALESCE(?, history_max_messages) WHERE id = ? AND working_version_id IS NULL";
static const char SQL_CHATBOT_LIST[] =
	"SELECT public_id, version_number, name, is_archived FROM experiments"
	" WHERE team_id = ? AND working_version_id IS NULL ORDER BY created_at, id";
static const char SQL_CHATBOT_WORKING[] =
	"SELECT w.id, w.team_id, w.version_number FROM experiments e"
	" JOIN experiments w ON w.id = COALESCE(e.working_version_id, e.id) WHERE e.public_id = ?";
static const char SQL_CHATBOT_LOCK[] =
	"SELECT version_number FROM experiments WHERE id = ? AND working_version_id IS NULL FOR UPDATE";
static const char SQL_CHATBOT_HAS_DEFAULT[] =
	"SELECT 1 FROM experiments WHERE working_version_id = ? AND is_default_version = 1";
static const char SQL_CHATBOT_CLEAR_DEFAULT[] =
	"UPDATE experiments SET is_default_version = 0 WHERE working_version_id = ?";
static const char SQL_CHATBOT_COPY[] =
	"INSERT INTO experiments (public_id, team_id, name, description, working_version_id, version_number,"
	" is_default_version, version_description, participant_allowlist, llm_provider_id, llm_model, temperature,"
	" prompt_text, source_material, history_mode, history_max_messages, seed_message,"
	" conversational_consent_enabled, consent_text, file_uploads_enabled)"
	" SELECT ?, team_id, name, description, id, version_number, ?, ?, participant_allowlist, llm_provider_id,"
	" llm_model, temperature, prompt_text, source_material, history_mode, history_max_messages, seed_message,"
	" conversational_consent_enabled, consent_text, file_uploads_enabled FROM experiments WHERE id = ?";
static const char SQL_CHATBOT_BUMP[] =
	"UPDATE experiments SET version_number = version_number + 1 WHERE id = ?";
static const char SQL_CHATBOT_SET_DEFAULT[] =
	"UPDATE experiments SET is_default_version = (version_number = ?) WHERE working_version_id = ?";
static const char SQL_CHATBOT_VERSION_EXISTS[] =
	"SELECT 1 FROM experiments WHERE working_version_id = ? AND version_number = ? AND is_archived = 0";
static const char SQL_CHATBOT_ARCHIVE[] =
	"UPDATE experiments SET is_archived = 1 WHERE id = ? OR working_version_id = ?";
static const char SQL_PROVIDER_ADD[] =
	"INSERT INTO llm_providers (team_id, type, name, base_url, api_key, config) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_PROVIDER_LIST[] =
	"SELECT id, name, type, base_url, api_key IS NOT NULL AND api_key <> '' FROM llm_providers"
	" WHERE team_id = ? ORDER BY name";
static const char SQL_PROVIDER_FIND[] = "SELECT id FROM llm_providers WHERE team_id = ? AND name = ?";
static const char SQL_PROVIDER_REMOVE[] = "DELETE FROM llm_providers WHERE team_id = ? AND name = ?";

cf_status store_chatbot_create(struct db *db, unsigned long long team_id, const char *public_id,
                               const char *name, const char *description, const char *prompt)
{
	return db_exec(db, SQL_CHATBOT_INSERT, NULL, NULL, "suss" "s", public_id, team_id, name, description,
	               prompt);
}

cf_status store_chatbot_configure(struct db *db, unsigned long long working_id, const struct chatbot_settings *s)
{
	return db_exec(db, SQL_CHATBOT_CONFIGURE, NULL, NULL, "sssssssu", s->provider_id, s->model, s->temperature,
	               s->prompt, s->source_material, s->history_mode, s->history_max, working_id);
}

cf_status store_chatbot_list(struct db *db, unsigned long long team_id, chatbot_list_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_CHATBOT_LIST, &rows, "u", team_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct chatbot_list_row row;
		memset(&row, 0, sizeof row);
		snprintf(row.public_id, sizeof row.public_id, "%s", db_cell_str(&rows, r, 0));
		row.version_number = (long)db_cell_int(&rows, r, 1);
		snprintf(row.name, sizeof row.name, "%s", db_cell_str(&rows, r, 2));
		row.is_archived = db_cell_bool(&rows, r, 3);
		st = fn(ctx, &row);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_chatbot_working(struct db *db, const char *public_id, unsigned long long *id,
                                unsigned long long *team_id, long *version_number)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_WORKING, &rows, "s", public_id);
	if (st == CF_OK) {
		*id = (unsigned long long)db_cell_int(&rows, 0, 0);
		*team_id = (unsigned long long)db_cell_int(&rows, 0, 1);
		*version_number = (long)db_cell_int(&rows, 0, 2);
	}
	db_rows_free(&rows);
	return st;
}

struct version_create_tx {
	unsigned long long working_id;
	const char *public_id;
	const char *description;
	bool make_default;
	long *number;
};

static cf_status version_create_in_tx(struct db *db, void *ctx)
{
	const struct version_create_tx *x = ctx;
	unsigned long long working_id = x->working_id;
	bool make_default = x->make_default;
	struct db_rows rows;
	memset(&rows, 0, sizeof rows);
	cf_status st = db_query_one(db, SQL_CHATBOT_LOCK, &rows, "u", working_id);
	if (st == CF_OK)
		*x->number = (long)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	if (st == CF_OK && !make_default) {
		st = db_query(db, SQL_CHATBOT_HAS_DEFAULT, &rows, "u", working_id);
		make_default = st == CF_OK && rows.nrows == 0;   /* the first version is the default */
		db_rows_free(&rows);
	}
	if (st == CF_OK && make_default)
		st = db_exec(db, SQL_CHATBOT_CLEAR_DEFAULT, NULL, NULL, "u", working_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_COPY, NULL, NULL, "sbsu", x->public_id, (int)make_default, x->description,
		             working_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_BUMP, NULL, NULL, "u", working_id);
	return st;
}

cf_status store_chatbot_version_create(struct db *db, unsigned long long working_id, const char *public_id,
                                       const char *description, bool make_default, long *number)
{
	struct version_create_tx x = {working_id, public_id, description, make_default, number};
	return db_transaction(db, version_create_in_tx, &x);
}

struct set_default_tx {
	unsigned long long working_id;
	long number;
};

static cf_status set_default_in_tx(struct db *db, void *ctx)
{
	const struct set_default_tx *x = ctx;
	cf_status st = db_exec(db, SQL_CHATBOT_CLEAR_DEFAULT, NULL, NULL, "u", x->working_id);
	if (st == CF_OK)
		st = db_exec(db, SQL_CHATBOT_SET_DEFAULT, NULL, NULL, "iu", (long long)x->number, x->working_id);
	return st;
}

cf_status store_chatbot_set_default(struct db *db, unsigned long long working_id, long number)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_CHATBOT_VERSION_EXISTS, &rows, "ui", working_id, (long long)number);
	db_rows_free(&rows);
	if (st != CF_OK)
		return st;
	struct set_default_tx x = {working_id, number};
	return db_transaction(db, set_default_in_tx, &x);
}

cf_status store_chatbot_archive(struct db *db, unsigned long long working_id)
{
	return db_exec(db, SQL_CHATBOT_ARCHIVE, NULL, NULL, "uu", working_id, working_id);
}

cf_status store_provider_add(struct db *db, unsigned long long team_id, const char *type, const char *name,
                             const char *base_url, const char *api_key, const char *config_json,
                             unsigned long long *id)
{
	return db_exec(db, SQL_PROVIDER_ADD, NULL, id, "ussss" "s", team_id, type, name, base_url, api_key,
	               config_json);
}

cf_status store_provider_list(struct db *db, unsigned long long team_id, provider_fn fn, void *ctx)
{
	struct db_rows rows;
	cf_status st = db_query(db, SQL_PROVIDER_LIST, &rows, "u", team_id);
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		struct provider_row row;
		memset(&row, 0, sizeof row);
		row.id = (unsigned long long)db_cell_int(&rows, r, 0);
		snprintf(row.name, sizeof row.name, "%s", db_cell_str(&rows, r, 1));
		snprintf(row.type, sizeof row.type, "%s", db_cell_str(&rows, r, 2));
		snprintf(row.base_url, sizeof row.base_url, "%s", db_cell_str(&rows, r, 3));
		row.has_api_key = db_cell_bool(&rows, r, 4);
		st = fn(ctx, &row);
	}
	db_rows_free(&rows);
	return st;
}

cf_status store_provider_find(struct db *db, unsigned long long team_id, const char *name, unsigned long long *id)
{
	struct db_rows rows;
	cf_status st = db_query_one(db, SQL_PROVIDER_FIND, &rows, "us", team_id, name);
	if (st == CF_OK)
		*id = (unsigned long long)db_cell_int(&rows, 0, 0);
	db_rows_free(&rows);
	return st;
}

cf_status store_provider_remove(struct db *db, unsigned long long team_id, const char *name)
{
	unsigned long long affected = 0;
	cf_status st = db_exec(db, SQL_PROVIDER_REMOVE, &affected, NULL, "us", team_id, name);
	return (st == CF_OK && affected == 0) ? CF_E_NOT_FOUND : st;
}
