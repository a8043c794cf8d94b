/* store_secrets.h - the stored secrets of every table (provider API keys,
 * channel secrets such as Telegram bot tokens, webhook signing secrets):
 * sealing on write, opening on read, and re-sealing them all at once (one
 * store file over three tables: the columns are one concern, secretbox.h). */
#ifndef CONFAB_STORE_SECRETS_H
#define CONFAB_STORE_SECRETS_H

#include <stddef.h>

#include "db.h"
#include "secretbox.h"
#include "status.h"

/* The secret columns; each value is sealed bound to its column and team. */
enum secret_column { SECRET_PROVIDER_API_KEY, SECRET_CHANNEL_SECRET, SECRET_WEBHOOK_SECRET, SECRET_COLUMN_COUNT };

/* "table.column" of a secret column, for messages. */
const char *store_secret_column_name(enum secret_column col);
/* Seals plain for col of team under the process key. *out: caller frees.
 * CF_E_CONFIG without a process key. */
cf_status store_secret_seal(enum secret_column col, unsigned long long team_id, const char *plain,
                            char **out) CF_MUST_CHECK;
/* Opens in place *value, a stored value of col of team: an owned heap
 * string (or NULL) such as a field of a row. A sealed value is replaced by
 * its plaintext, owned as the old value was, and the old text is wiped and
 * freed; legacy plaintext, NULL and "" stay as they are. len (may be NULL)
 * gets the new value's length. CF_E_CONFIG (logged with the reason, never
 * the value) when it does not open with the process key; *value is then
 * left as it was. */
cf_status store_secret_open(enum secret_column col, unsigned long long team_id, char **value,
                            size_t *len) CF_MUST_CHECK;

struct secret_counts {
	unsigned long sealed;      /* values written under the target key */
	unsigned long unchanged;   /* already under the target key */
};

/* In one transaction, every non-empty secret of every column is opened
 * with from (legacy plaintext as it is) and sealed again under to; values
 * already sealed under to are left as they are. from == to encrypts the
 * remaining plaintext ("confabctl secrets encrypt"); another key re-seals
 * everything ("confabctl secrets rotate"). A value that opens with neither
 * rolls the whole transaction back: CF_E_CONFIG, and err names the column
 * and row. */
cf_status store_secrets_reseal(struct db *db, const struct secretbox_key *from, const struct secretbox_key *to,
                               struct secret_counts *counts, char *err, size_t errlen) CF_MUST_CHECK;

#endif
