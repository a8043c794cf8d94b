/* store_secrets.c - sealing, opening and re-sealing the secret columns. */
#include "store_secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

struct column_sql {
	const char *name;     /* "table.column": part of each value's context */
	const char *select;   /* id, team_id, value of every non-empty value, locked */
	const char *update;   /* value = ? WHERE id = ?; updated_at kept */
};

static const struct column_sql COLUMNS[SECRET_COLUMN_COUNT] = {
	[SECRET_PROVIDER_API_KEY] = {
		"llm_providers.api_key",
		"SELECT id, team_id, api_key FROM llm_providers WHERE api_key IS NOT NULL AND api_key <> ''"
		" ORDER BY id FOR UPDATE",
		"UPDATE llm_providers SET api_key = ?, updated_at = updated_at WHERE id = ?",
	},
	[SECRET_CHANNEL_SECRET] = {
		"experiment_channels.secret",
		"SELECT id, team_id, secret FROM experiment_channels WHERE secret IS NOT NULL AND secret <> ''"
		" ORDER BY id FOR UPDATE",
		"UPDATE experiment_channels SET secret = ?, updated_at = updated_at WHERE id = ?",
	},
	[SECRET_WEBHOOK_SECRET] = {
		"webhook_endpoints.secret",
		"SELECT id, team_id, secret FROM webhook_endpoints WHERE secret <> '' ORDER BY id FOR UPDATE",
		"UPDATE webhook_endpoints SET secret = ?, updated_at = updated_at WHERE id = ?",
	},
};

const char *store_secret_column_name(enum secret_column col)
{
	return COLUMNS[col].name;
}

/* "llm_providers.api_key/team:7": a value opens only where it was sealed. */
static char *context_of(enum secret_column col, unsigned long long team_id)
{
	return xasprintf("%s/team:%llu", COLUMNS[col].name, team_id);
}

static void free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

cf_status store_secret_seal(enum secret_column col, unsigned long long team_id, const char *plain, char **out)
{
	char *context = context_of(col, team_id);
	cf_status st = secretbox_seal_process(plain, context, out);
	free(context);
	return st;
}

cf_status store_secret_open(enum secret_column col, unsigned long long team_id, char **value, size_t *len)
{
	if (*value == NULL || !secretbox_is_sealed(*value))
		return CF_OK;
	char *context = context_of(col, team_id);
	char *plain = NULL;
	const char *reason = NULL;
	cf_status st = secretbox_open_process(*value, context, &plain, &reason);
	free(context);
	if (st != CF_OK) {
		log_error("a stored secret of %s (team %llu) does not open: %s", COLUMNS[col].name, team_id,
		          reason ? reason : "unknown");
		return st;
	}
	free_secret(*value);
	*value = plain;
	if (len != NULL)
		*len = strlen(plain);
	return CF_OK;
}

struct reseal_ctx {
	const struct secretbox_key *from, *to;
	struct secret_counts counts;
	char *err;
	size_t errlen;
};

static cf_status reseal_column(struct db *db, enum secret_column col, struct reseal_ctx *x)
{
	struct db_rows rows;
	cf_status st = db_query(db, COLUMNS[col].select, &rows, "");
	for (size_t r = 0; st == CF_OK && r < rows.nrows; r++) {
		const char *stored = db_cell_str(&rows, r, 2);
		char id[SECRETBOX_KEY_ID_LEN + 1];
		if (secretbox_key_id_of(stored, id) && strcmp(id, x->to->id) == 0) {
			x->counts.unchanged++;
			continue;
		}
		unsigned long long team = (unsigned long long)db_cell_int(&rows, r, 1);
		char *context = context_of(col, team);
		char *plain = NULL, *sealed = NULL;
		const char *reason = NULL;
		st = secretbox_open(x->from, stored, context, &plain, &reason);
		if (st != CF_OK)
			snprintf(x->err, x->errlen, "%s of row id %s (team %llu) does not open with the current key: %s",
			         COLUMNS[col].name, db_cell_str(&rows, r, 0), team, reason);
		if (st == CF_OK)
			st = secretbox_seal(x->to, plain, context, &sealed);
		if (st == CF_OK)
			st = db_exec(db, COLUMNS[col].update, NULL, NULL, "su", sealed,
			             (unsigned long long)db_cell_int(&rows, r, 0));
		if (st == CF_OK)
			x->counts.sealed++;
		free_secret(plain);
		free(sealed);
		free(context);
	}
	db_rows_free(&rows);
	return st;
}

static cf_status reseal_body(struct db *db, void *arg)
{
	struct reseal_ctx *x = arg;
	memset(&x->counts, 0, sizeof x->counts);   /* a rerun after a deadlock starts over */
	cf_status st = CF_OK;
	for (int col = 0; st == CF_OK && col < SECRET_COLUMN_COUNT; col++)
		st = reseal_column(db, (enum secret_column)col, x);
	return st;
}

cf_status store_secrets_reseal(struct db *db, const struct secretbox_key *from, const struct secretbox_key *to,
                               struct secret_counts *counts, char *err, size_t errlen)
{
	struct reseal_ctx x = {from, to, {0, 0}, err, errlen};
	err[0] = '\0';
	cf_status st = db_transaction(db, reseal_body, &x);
	if (st != CF_OK && err[0] == '\0')
		snprintf(err, errlen, "database error: %s", db_last_error(db));
	*counts = x.counts;
	return st;
}
