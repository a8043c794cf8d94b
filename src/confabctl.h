/* confabctl.h - what the confabctl files share: the record of one command
 * (confabctl.c holds the one table of them), the run context with the shared
 * prologue, the helpers every command uses, and the table-driven listings.
 * One file per command group: ctl_<group>.c. */
#ifndef CONFAB_CONFABCTL_H
#define CONFAB_CONFABCTL_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "config.h"
#include "db.h"
#include "limits.h"
#include "status.h"
#include "store_secrets.h"

#define CTL_MAX_ARGS 4    /* positional arguments on one command line */

/* The options and arguments of a command line; every string is borrowed
 * from argv. Repeatable options (--redirect-uri) appear once per use. */
struct ctl_opts {
	size_t count;
	const char *names[CF_CTL_MAX_OPTS];   /* without the leading "--" */
	const char *values[CF_CTL_MAX_OPTS];  /* "1" for a flag */
	int nargs;
	const char *args[CTL_MAX_ARGS];
};

/* What a command works on; the prologue (ctl_open) finds it.
 * CTL_TEAM and CTL_CHATBOT imply CTL_DB and the option they name. */
enum {
	CTL_DB = 1 << 0,                  /* uses the database: the handler calls ctl_open */
	CTL_TEAM = 1 << 1 | CTL_DB,       /* --team SLUG: ctl_open finds the team, c->team */
	CTL_CHATBOT = 1 << 2 | CTL_DB,    /* --chatbot ID: ctl_open finds the chatbot, c->bot */
	CTL_SETTINGS = 1 << 3,            /* takes the chatbot SETTINGS options (ctl_settings_options) */
};

/* The positional arguments of a command, checked before the handler runs;
 * when they are wrong confabctl says "usage: GROUP VERB ARGS" and exits 2. */
enum ctl_args {
	CTL_ARGS_ANY,       /* not looked at */
	CTL_ARGS_NONE,
	CTL_ARGS_ONE,       /* c->o.args[0] */
	CTL_ARGS_ID,        /* one positive integer: c->id */
	CTL_ARGS_CHATBOT,   /* one chatbot id, found by ctl_open: c->bot (the record needs CTL_DB) */
};

struct ctl;

/* One command: everything the dispatcher, the prologue and --help know. */
struct ctl_command {
	const char *group;               /* its first word(s): "apikey", "chatbot version" */
	const char *verb;                /* NULL for a one-word command (migrate) */
	const char *usage;               /* --help's text after group and verb; a '\n' continues it */
	bool same_line;                  /* --help: after " | " on the line of the command before */
	const char *const *options;      /* --NAME VALUE options (NULL-terminated), beside those needs implies */
	const char *const *flags;        /* --NAME options without a value */
	unsigned needs;                  /* CTL_DB, CTL_TEAM, CTL_CHATBOT, CTL_SETTINGS */
	enum ctl_args args;
	const char *args_usage;          /* ARGS of "usage: ..."; NULL: the same as usage */
	int (*run)(struct ctl *c);       /* the exit status; errors die (ctl_die) */
};

/* The chatbot a command names: its working (unreleased) row. */
struct ctl_chatbot {
	unsigned long long working;      /* the working row's id */
	unsigned long long team;
	long number;                     /* the working version's number */
};

/* One run of confabctl. The prologue fills o (and id) before the handler
 * runs, db, team and bot when the handler calls ctl_open. */
struct ctl {
	struct config cfg;
	struct db *db;                   /* NULL until ctl_open */
	bool json;                       /* --json */
	const struct ctl_command *cmd;
	struct ctl_opts o;
	unsigned long long id;           /* CTL_ARGS_ID */
	unsigned long long team;         /* CTL_TEAM */
	struct ctl_chatbot bot;          /* CTL_CHATBOT, CTL_ARGS_CHATBOT */
};

/* The prologue's second half, called by a handler once it has checked what
 * needs no database (so those errors come first): connects, then finds the
 * team or chatbot that c->cmd->needs and c->cmd->args name. Dies on error. */
void ctl_open(struct ctl *c);

/* ---- helpers (ctl_common.c); each dies with a one-line message ---- */

/* "confabctl: MESSAGE" on stderr and exit(code): 1 for failures, 2 for
 * usage errors (docs/contracts.md). */
void ctl_die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
/* The value of --name (borrowed), NULL when not given. */
const char *ctl_opt(const struct ctl *c, const char *name);
/* The value of --name; dies (2) when it is missing or empty. */
const char *ctl_required(const struct ctl *c, const char *name);
/* Dies (2) when v is longer than max characters. */
void ctl_check_length(const char *what, const char *v, size_t max);
/* Nothing on CF_OK; otherwise dies (1) naming what: "already exists",
 * "not found" or the database's error. */
void ctl_check(const struct ctl *c, cf_status st, const char *what);
/* Prints obj as one line of JSON and drops the reference (obj is taken). */
void ctl_print_json(struct json_object *obj);
/* A whole UTF-8 text file ("-": standard input) of at most max bytes;
 * caller frees. */
char *ctl_read_text_file(const char *path, size_t max);
/* A secret from a file: its first line, without the line end; caller frees
 * (and wipes). */
char *ctl_read_secret_file(const char *path);
/* Loads the key of secret_key_file, once, for commands that seal or open
 * secrets. */
void ctl_need_key(struct ctl *c);
/* plain sealed for col of team (store_secrets.h); caller frees. */
char *ctl_seal(struct ctl *c, enum secret_column col, unsigned long long team, const char *plain);
/* The team of slug / the user of email; dies when there is none. */
unsigned long long ctl_team_by_slug(const struct ctl *c, const char *slug);
unsigned long long ctl_user_by_email(const struct ctl *c, const char *email);
/* The chatbot of public_id (a UUID, any version's); dies (2) when it is no
 * UUID, (1) when there is no such chatbot. */
struct ctl_chatbot ctl_chatbot_by_id(const struct ctl *c, const char *public_id);

/* ---- listings (ctl_list.c) ----
 * A listing prints a store's rows as one tab-separated line per row, or
 * with --json as one array of objects. Its table says, column by column,
 * where each value sits in the row struct and how it is written. */

enum ctl_type {
	CTL_CHARS,     /* char array; absent when "" */
	CTL_STRING,    /* char *; absent when NULL */
	CTL_BOOL,      /* bool */
	CTL_LONG,      /* long */
	CTL_ULL,       /* unsigned long long */
};

struct ctl_field {
	enum ctl_type type;
	size_t offset;
};

/* A ctl_field for member m of row type T; the _Generic refuses to compile
 * when m's type is not the one the macro names. */
#define CTL_CHARS_AT(T, m) {CTL_CHARS, offsetof(T, m) + _Generic(&((T *)0)->m, char (*)[sizeof((T *)0)->m]: 0)}
#define CTL_STRING_AT(T, m) {CTL_STRING, offsetof(T, m) + _Generic(&((T *)0)->m, char **: 0)}
#define CTL_BOOL_AT(T, m) {CTL_BOOL, offsetof(T, m) + _Generic(((T *)0)->m, bool: 0)}
#define CTL_LONG_AT(T, m) {CTL_LONG, offsetof(T, m) + _Generic(((T *)0)->m, long: 0)}
#define CTL_ULL_AT(T, m) {CTL_ULL, offsetof(T, m) + _Generic(((T *)0)->m, unsigned long long: 0)}

/* One cell of a text line; cells are separated by tabs. */
struct ctl_cell {
	struct ctl_field field;
	const char *absent;   /* strings: written instead of an absent value */
	const char *yes, *no; /* booleans: the word for each; NULL leaves the cell (and its tab) out */
	const char *prefix;   /* numbers: written before the digits */
};

/* One member of a row's JSON object. */
struct ctl_member {
	const char *key;
	struct ctl_field field;
	bool parse;            /* the string is JSON text; the member is its value (null when absent) */
	bool null_if_absent;   /* an absent string is null; otherwise "" (a NULL string is always null) */
};

struct ctl_table {
	const struct ctl_cell *cells;
	size_t ncells;
	const struct ctl_member *members;
	size_t nmembers;
};
#define CTL_TABLE(cells, members) {cells, sizeof cells / sizeof cells[0], members, sizeof members / sizeof members[0]}

struct ctl_listing {
	const struct ctl_table *table;
	bool json;
	struct json_object *rows;   /* --json: the array being filled; owned */
};

void ctl_list_start(struct ctl_listing *l, const struct ctl *c, const struct ctl_table *t);
/* Prints row (a struct of the table's row type, borrowed) at once, or adds
 * it to the array; a store's row callback returns what this returns. */
cf_status ctl_list_row(struct ctl_listing *l, const void *row);
/* --json: prints the array. Frees what the listing holds. */
void ctl_list_end(struct ctl_listing *l);
/* The array (caller owns it), for a listing inside a larger object; NULL
 * without --json. Frees what else the listing holds. */
struct json_object *ctl_list_take(struct ctl_listing *l);

/* ---- the commands, by group file; each is a struct ctl_command.run ---- */

/* ctl_migrate.c */
int cmd_migrate(struct ctl *c);
/* ctl_team.c */
int cmd_team_create(struct ctl *c);
int cmd_user_create(struct ctl *c);
int cmd_member_add(struct ctl *c);
/* ctl_keys.c */
int cmd_apikey_create(struct ctl *c);
int cmd_apikey_revoke(struct ctl *c);
int cmd_apikey_list(struct ctl *c);
int cmd_oauth_app_create(struct ctl *c);
int cmd_oauth_app_allow(struct ctl *c);
int cmd_oauth_app_disallow(struct ctl *c);
int cmd_oauth_app_list(struct ctl *c);
/* ctl_chatbots.c */
extern const char *const ctl_settings_options[];
int cmd_provider_add(struct ctl *c);
int cmd_provider_list(struct ctl *c);
int cmd_provider_remove(struct ctl *c);
int cmd_chatbot_create(struct ctl *c);
int cmd_chatbot_list(struct ctl *c);
int cmd_chatbot_show(struct ctl *c);
int cmd_chatbot_archive(struct ctl *c);
int cmd_chatbot_configure(struct ctl *c);
int cmd_chatbot_version_create(struct ctl *c);
int cmd_chatbot_version_set_default(struct ctl *c);
/* ctl_channels.c */
int cmd_channel_add(struct ctl *c);
int cmd_channel_configure(struct ctl *c);
int cmd_channel_list(struct ctl *c);
int cmd_channel_remove(struct ctl *c);
/* ctl_webhooks.c */
int cmd_webhook_add(struct ctl *c);
int cmd_webhook_list(struct ctl *c);
int cmd_webhook_remove(struct ctl *c);
int cmd_webhook_test(struct ctl *c);
/* ctl_secrets.c */
int cmd_secrets_encrypt(struct ctl *c);
int cmd_secrets_rotate(struct ctl *c);
int cmd_secrets_keygen(struct ctl *c);

#endif
