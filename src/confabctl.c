/* confabctl.c - the admin CLI: how an operator sets Confab up.
 * Commands and output: docs/contracts.md. Human output by default, one JSON
 * object with --json; errors are one line on stderr and a non-zero exit. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "ids.h"
#include "limits.h"
#include "llm.h"
#include "migrate.h"
#include "password.h"
#include "store_keys.h"
#include "oauth.h"
#include "store_oauth.h"
#include "store_channels.h"
#include "store_chatbots.h"
#include "crypto.h"
#include "cursor.h"
#include "utf8.h"
#include "store_webhooks.h"
#include "secretbox.h"
#include "store_secrets.h"
#include "webhooks.h"
#include "xalloc.h"

#ifndef CONFAB_SQL_DIR
#define CONFAB_SQL_DIR "/usr/share/confab/sql"
#endif

#define MAX_OPTS 16

struct opts {
	size_t count;
	const char *names[MAX_OPTS];
	const char *values[MAX_OPTS];
	int npositional;
	const char *positional[4];
};

struct ctl {
	struct config cfg;
	struct db *db;
	int json;
};

static const char *const ROLES[] = {"super_admin", "experiment_admin", "team_admin", "chat_viewer",
                                    "pipeline_admin", "assistant_admin", "event_admin", "evaluation_admin",
                                    NULL};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: confabctl [-c FILE] [--json] COMMAND ...\n"
	        "  migrate [--sql-dir DIR]\n"
	        "  team create --slug SLUG --name NAME\n"
	        "  user create --email EMAIL [--password-file FILE]\n"
	        "  member add --team SLUG --user EMAIL [--role ROLE]\n"
	        "  apikey create --team SLUG --user EMAIL [--name N] [--read-only|--write] [--expires YYYY-MM-DD]\n"
	        "  apikey revoke PREFIX\n"
	        "  apikey list --team SLUG\n"
	        "  chatbot create --team SLUG --name NAME [--description TEXT] [SETTINGS]\n"
	        "  chatbot configure ID SETTINGS      (the working, unreleased version)\n"
	        "    SETTINGS: [--provider NAME] [--model M] [--temperature 0..2] [--prompt TEXT | --prompt-file F]\n"
	        "              [--source-material-file F] [--history-mode none|global] [--history-max N]\n"
	        "  provider add --team SLUG --name NAME --type openai|azure|anthropic|local [--base-url URL]\n"
	        "               [--api-key-file F] [--api-version V] [--max-tokens N]\n"
	        "  provider list --team SLUG | provider remove --team SLUG --name NAME\n"
	        "  chatbot list --team SLUG\n"
	        "  chatbot show ID | chatbot archive ID\n"
	        "  oauth-app create --name NAME --redirect-uri URI [--redirect-uri URI ...] [--public]\n"
	        "  channel add --chatbot ID --platform embedded_widget (--allowed-domain HOST ... | --all-domains) [--name N]\n"
	        "  channel add --chatbot ID --platform telegram --bot-token-file FILE [--name N]\n"
	        "  channel list --chatbot ID | channel remove CHANNEL_ID\n"
	        "  chatbot version create --chatbot ID [--default] [--description TEXT]\n"
	        "  chatbot version set-default --chatbot ID --version N\n"
	        "  webhook add --team SLUG --url URL [--events a,b,...] [--secret-file F]\n"
	        "  webhook list --team SLUG | webhook remove --team SLUG ID | webhook test --team SLUG ID\n"
	        "  secrets encrypt | secrets rotate --new-key-file F | secrets keygen FILE\n");
}

static void __attribute__((noreturn, format(printf, 2, 3))) die(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("confabctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static const char *opt(const struct opts *o, const char *name)
{
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->names[i], name) == 0)
			return o->values[i];
	return NULL;
}

static const char *required(const struct opts *o, const char *name)
{
	const char *v = opt(o, name);
	if (v == NULL || *v == '\0')
		die(2, "--%s is required", name);
	return v;
}

/* Parses "--name value" pairs; names in flags take no value. */
static void parse_opts(int argc, char **argv, const char *const *allowed, const char *const *flags,
                       struct opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			if (o->npositional >= 4)
				die(2, "too many arguments");
			o->positional[o->npositional++] = a;
			continue;
		}
		const char *name = a + 2;
		int is_flag = 0, known = 0;
		for (const char *const *f = flags; f && *f; f++)
			if (strcmp(*f, name) == 0)
				is_flag = known = 1;
		for (const char *const *f = allowed; f && *f; f++)
			if (strcmp(*f, name) == 0)
				known = 1;
		if (!known)
			die(2, "unknown option --%s", name);
		if (o->count >= MAX_OPTS)
			die(2, "too many options");
		o->names[o->count] = name;
		if (is_flag) {
			o->values[o->count] = "1";
		} else {
			if (i + 1 >= argc)
				die(2, "--%s needs a value", name);
			const char *v = argv[++i];
			if (!utf8_valid(v, strlen(v)))
				die(2, "--%s is not valid UTF-8", name);
			o->values[o->count] = v;
		}
		o->count++;
	}
}

static void open_db(struct ctl *c)
{
	if (db_open(&c->cfg, &c->db) != CF_OK)
		die(1, "cannot connect to the database: %s", db_last_error(c->db));
}

static void check_status(struct ctl *c, cf_status st, const char *what)
{
	if (st == CF_OK)
		return;
	if (st == CF_E_CONFLICT)
		die(1, "%s: already exists", what);
	if (st == CF_E_NOT_FOUND)
		die(1, "%s: not found", what);
	die(1, "%s: database error: %s", what, db_last_error(c->db));
}

static void print_json(struct json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

static void check_length(const char *what, const char *v, size_t max)
{
	if (utf8_length(v, strlen(v)) > max)
		die(2, "%s is longer than %zu characters", what, max);
}

static unsigned long long team_by_slug(struct ctl *c, const char *slug)
{
	unsigned long long id = 0;
	cf_status st = store_team_id(c->db, slug, &id);
	if (st == CF_E_NOT_FOUND)
		die(1, "no team with slug \"%s\"", slug);
	check_status(c, st, "team");
	return id;
}

static unsigned long long user_by_email(struct ctl *c, const char *email)
{
	unsigned long long id = 0;
	cf_status st = store_user_id(c->db, email, &id);
	if (st == CF_E_NOT_FOUND)
		die(1, "no user with email \"%s\"", email);
	check_status(c, st, "user");
	return id;
}

/* The key of secret_key_file, for commands that store or read secrets. */
static void need_key(struct ctl *c)
{
	if (secretbox_process_key() != NULL)
		return;
	char err[512];
	if (secretbox_init(c->cfg.secret_key_file, err, sizeof err) != CF_OK)
		die(1, "%s", err);
}

/* plain sealed for col of team (store_secrets.h); caller frees. */
static char *seal_secret(struct ctl *c, enum secret_column col, unsigned long long team, const char *plain)
{
	need_key(c);
	char *sealed = NULL;
	if (store_secret_seal(col, team, plain, &sealed) != CF_OK)
		die(1, "could not encrypt the %s", store_secret_column_name(col));
	return sealed;
}

/* ---- commands ---- */

static int cmd_migrate(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"sql-dir", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *dir = opt(&o, "sql-dir");
	if (dir == NULL)
		dir = getenv("CONFAB_SQL_DIR");
	if (dir == NULL || *dir == '\0')
		dir = CONFAB_SQL_DIR;
	open_db(c);
	char err[512];
	int applied = 0;
	cf_status st = migrate_apply(c->db, dir, c->json ? stderr : stdout, &applied, err, sizeof err);
	if (st != CF_OK)
		die(1, "migrate: %s", err);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "applied", json_object_new_int(applied));
		print_json(obj);
	} else if (applied == 0) {
		puts("database is up to date");
	}
	return 0;
}

static int cmd_team_create(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"slug", "name", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *slug = required(&o, "slug");
	const char *name = required(&o, "name");
	if (strlen(slug) > 50)
		die(2, "slug is longer than 50 characters");
	for (const char *p = slug; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			die(2, "slug may only contain letters, digits, '-' and '_'");
	check_length("name", name, 100);
	open_db(c);
	check_status(c, store_team_create(c->db, slug, name), "team");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "slug", json_object_new_string(slug));
		json_object_object_add(obj, "name", json_object_new_string(name));
		print_json(obj);
	} else {
		puts(slug);
	}
	return 0;
}

static char *read_password_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL)
		die(1, "%s: %s", path, strerror(errno));
	char line[1024];
	if (fgets(line, sizeof line, f) == NULL)
		die(1, "%s: empty", path);
	if (f != stdin)
		fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (strlen(line) < 8)
		die(2, "password must be at least 8 characters");
	char *pw = xstrdup(line);
	explicit_bzero(line, sizeof line);
	return pw;
}

static int cmd_user_create(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"email", "password-file", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *email = required(&o, "email");
	const char *at = strchr(email, '@');
	if (strlen(email) > 254 || at == NULL || at == email || at[1] == '\0' || strchr(email, ' '))
		die(2, "\"%s\" is not an email address", email);
	char *hash = NULL;
	const char *pwfile = opt(&o, "password-file");
	if (pwfile != NULL) {
		char *pw = read_password_file(pwfile);
		if (password_hash(pw, &hash) != CF_OK)
			die(1, "password hashing failed");
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	open_db(c);
	check_status(c, store_user_create(c->db, email, hash), "user");
	free(hash);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "email", json_object_new_string(email));
		print_json(obj);
	} else {
		puts(email);
	}
	return 0;
}

static int cmd_member_add(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", "user", "role", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *role = opt(&o, "role");
	if (role == NULL)
		role = "experiment_admin";
	int valid = 0;
	for (const char *const *r = ROLES; *r; r++)
		if (strcmp(*r, role) == 0)
			valid = 1;
	if (!valid)
		die(2, "unknown role \"%s\"", role);
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	unsigned long long user = user_by_email(c, required(&o, "user"));
	check_status(c, store_member_set(c->db, team, user, role), "membership");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "role", json_object_new_string(role));
		print_json(obj);
	} else {
		puts(role);
	}
	return 0;
}

static int valid_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	return end != NULL && *end == '\0' && strlen(s) == 10;
}

static int cmd_apikey_create(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", "user", "name", "expires", NULL};
	static const char *const flags[] = {"read-only", "write", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, flags, &o);
	if (opt(&o, "read-only") && opt(&o, "write"))
		die(2, "--read-only and --write exclude each other");
	int read_only = opt(&o, "write") == NULL;
	const char *name = opt(&o, "name");
	if (name == NULL)
		name = "";
	check_length("name", name, 50);
	const char *expires = opt(&o, "expires");
	char expiry[32] = "";
	if (expires != NULL) {
		if (!valid_date(expires))
			die(2, "--expires must be a date YYYY-MM-DD");
		snprintf(expiry, sizeof expiry, "%s 00:00:00", expires);
	}
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	unsigned long long user = user_by_email(c, required(&o, "user"));
	int member = 0;
	bool exists = false;
	check_status(c, store_member_exists(c->db, team, user, &exists), "membership");
	member = exists;
	if (!member)
		die(1, "user %s is not a member of team %s", opt(&o, "user"), opt(&o, "team"));
	char key[CF_API_KEY_PREFIX_LEN + CF_API_KEY_SECRET_LEN + 2];
	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	char hash[137];
	if (api_key_generate(key, sizeof key) != CF_OK || !api_key_split(key, prefix))
		die(1, "could not generate a key");
	api_key_hash(key, hash);
	check_status(c, store_api_key_create(c->db, prefix, hash, name, team, user, read_only,
	                                     expires ? expiry : NULL), "api key");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "prefix", json_object_new_string(prefix));
		json_object_object_add(obj, "key", json_object_new_string(key));
		json_object_object_add(obj, "read_only", json_object_new_boolean(read_only));
		print_json(obj);
	} else {
		puts(key);
		fprintf(stderr, "Store this key now: it cannot be shown again (prefix %s, %s).\n", prefix,
		        read_only ? "read-only" : "write");
	}
	explicit_bzero(key, sizeof key);
	return 0;
}

static int cmd_apikey_revoke(struct ctl *c, int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, NULL, NULL, &o);
	if (o.npositional != 1)
		die(2, "usage: apikey revoke PREFIX");
	char prefix[CF_API_KEY_PREFIX_LEN + 1];
	const char *given = o.positional[0];
	/* Accept the prefix or a whole key; keep only the prefix. */
	if (!api_key_split(given, prefix)) {
		if (strlen(given) != CF_API_KEY_PREFIX_LEN)
			die(2, "\"%s\" is not a key prefix", given);
		memcpy(prefix, given, sizeof prefix);
	}
	open_db(c);
	cf_status st = store_api_key_revoke(c->db, prefix);
	if (st == CF_E_NOT_FOUND)
		die(1, "no active key with prefix %s", prefix);
	check_status(c, st, "api key");
	/* Workers that cached the key forget it within about a second. */
	st = store_auth_epoch_bump(c->db);
	check_status(c, st, "revocation epoch");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "revoked", json_object_new_string(prefix));
		print_json(obj);
	}
	return 0;
}

/* One line (or one JSON object into ctx->list) per key. */
struct apikey_list_ctx {
	bool json;
	struct json_object *list;
};

static cf_status print_api_key(void *arg, const struct api_key_summary *key)
{
	struct apikey_list_ctx *x = arg;
	bool has_expiry = key->expiry_date[0] != '\0';
	if (x->json) {
		struct json_object *k = json_object_new_object();
		json_object_object_add(k, "prefix", json_object_new_string(key->prefix));
		json_object_object_add(k, "name", json_object_new_string(key->name));
		json_object_object_add(k, "user", json_object_new_string(key->user_email));
		json_object_object_add(k, "read_only", json_object_new_boolean(key->read_only));
		json_object_object_add(k, "revoked", json_object_new_boolean(key->revoked));
		json_object_object_add(k, "expiry_date", has_expiry ? json_object_new_string(key->expiry_date) : NULL);
		json_object_array_add(x->list, k);
	} else {
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", key->prefix, key->name, key->user_email,
		       key->read_only ? "read-only" : "write", key->revoked ? "revoked" : "active",
		       has_expiry ? key->expiry_date : "no-expiry");
	}
	return CF_OK;
}

static int cmd_apikey_list(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	struct apikey_list_ctx x = {c->json, json_object_new_array()};
	check_status(c, store_api_key_list(c->db, team, print_api_key, &x), "api keys");
	if (c->json)
		print_json(x.list);
	else
		json_object_put(x.list);
	return 0;
}

static unsigned long long chatbot_by_id(struct ctl *c, const char *public_id, unsigned long long *team,
                                        long *number);

/* Reads a whole text file ("-" = standard input) of at most max bytes. */
static char *read_text_file(const char *path, size_t max)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL)
		die(1, "%s: %s", path, strerror(errno));
	struct buf b;
	buf_init(&b, max);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n) != CF_OK)
			die(2, "%s: larger than %zu bytes", path, max);
	if (f != stdin)
		fclose(f);
	if (!utf8_valid(buf_str(&b), b.len) || memchr(buf_str(&b), '\0', b.len) != NULL)
		die(2, "%s: not UTF-8 text", path);
	return buf_take(&b);
}

/* A secret from a file: its first line, without the line end. */
static char *read_secret_file(const char *path)
{
	char *text = read_text_file(path, 8192);
	text[strcspn(text, "\r\n")] = '\0';
	if (text[0] == '\0')
		die(2, "%s: empty", path);
	return text;
}

/* Fills s from the options; files read are owned by *owned (free both). */
static void chatbot_settings_from(struct ctl *c, unsigned long long team, const struct opts *o,
                                  struct chatbot_settings *s, char **owned_prompt, char **owned_source,
                                  char provider_id[24])
{
	memset(s, 0, sizeof *s);
	*owned_prompt = *owned_source = NULL;
	const char *v;
	if ((v = opt(o, "provider")) != NULL) {
		unsigned long long id = 0;
		cf_status st = store_provider_find(c->db, team, v, &id);
		if (st == CF_E_NOT_FOUND)
			die(1, "the team has no provider named \"%s\" (confabctl provider list)", v);
		check_status(c, st, "provider");
		snprintf(provider_id, 24, "%llu", id);
		s->provider_id = provider_id;
	}
	if ((v = opt(o, "model")) != NULL) {
		check_length("model", v, 255);
		s->model = v;
	}
	if ((v = opt(o, "temperature")) != NULL) {
		char *end = NULL;
		errno = 0;
		double t = strtod(v, &end);
		if (errno != 0 || end == v || *end != '\0' || !(t >= 0.0 && t <= 2.0))
			die(2, "temperature must be a number from 0 to 2");
		s->temperature = v;
	}
	if (opt(o, "prompt") != NULL && opt(o, "prompt-file") != NULL)
		die(2, "give --prompt or --prompt-file, not both");
	if ((v = opt(o, "prompt")) != NULL)
		s->prompt = v;
	if ((v = opt(o, "prompt-file")) != NULL)
		s->prompt = *owned_prompt = read_text_file(v, 1024 * 1024);
	if ((v = opt(o, "source-material-file")) != NULL)
		s->source_material = *owned_source = read_text_file(v, 8 * 1024 * 1024);
	if ((v = opt(o, "history-mode")) != NULL) {
		if (strcmp(v, "none") != 0 && strcmp(v, "global") != 0)
			die(2, "history mode must be none or global");
		s->history_mode = v;
	}
	if ((v = opt(o, "history-max")) != NULL) {
		char *end = NULL;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < 1 || n > CF_MAX_HISTORY_MESSAGES)
			die(2, "history max must be an integer from 1 to %d", CF_MAX_HISTORY_MESSAGES);
		s->history_max = v;
	}
}

static void apply_settings(struct ctl *c, unsigned long long team, unsigned long long working, const struct opts *o)
{
	struct chatbot_settings s;
	char *prompt = NULL, *source = NULL, provider_id[24];
	chatbot_settings_from(c, team, o, &s, &prompt, &source, provider_id);
	check_status(c, store_chatbot_configure(c->db, working, &s), "chatbot");
	free(prompt);
	free(source);
}

static int cmd_provider_add(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", "name", "type", "base-url", "api-key-file", "api-version",
	                                      "max-tokens", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *name = required(&o, "name");
	const char *type = required(&o, "type");
	const char *base_url = opt(&o, "base-url");
	check_length("name", name, 128);
	if (!llm_type_known(type))
		die(2, "unknown provider type \"%s\" (openai, azure, anthropic, local)", type);
	if (base_url != NULL && strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0)
		die(2, "the base URL must start with http:// or https://");
	if (base_url != NULL)
		check_length("base URL", base_url, 512);
	if (strcmp(type, "azure") == 0 && base_url == NULL)
		die(2, "an azure provider needs --base-url (https://RESOURCE.openai.azure.com)");
	struct json_object *config = json_object_new_object();
	const char *v;
	if ((v = opt(&o, "api-version")) != NULL) {
		check_length("api version", v, 63);
		json_object_object_add(config, "api_version", json_object_new_string(v));
	}
	if ((v = opt(&o, "max-tokens")) != NULL) {
		char *end = NULL;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < 1 || n > 1000000)
			die(2, "max tokens must be a positive integer");
		json_object_object_add(config, "max_tokens", json_object_new_int64(n));
	}
	char *key = opt(&o, "api-key-file") ? read_secret_file(opt(&o, "api-key-file")) : NULL;
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	unsigned long long id = 0;
	char *sealed = key ? seal_secret(c, SECRET_PROVIDER_API_KEY, team, key) : NULL;
	cf_status st = store_provider_add(c->db, team, type, name, base_url ? base_url : "", sealed,
	                                  json_object_to_json_string_ext(config, JSON_C_TO_STRING_PLAIN), &id);
	free(sealed);
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	json_object_put(config);
	if (st == CF_E_CONFLICT)
		die(1, "the team already has a provider named \"%s\"", name);
	check_status(c, st, "provider");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "name", json_object_new_string(name));
		json_object_object_add(obj, "type", json_object_new_string(type));
		print_json(obj);
	} else {
		puts(name);
	}
	return 0;
}

/* A listing being printed: as text lines at once, or into list for --json. */
struct listing {
	const struct ctl *c;
	struct json_object *list;
};

static void listing_end(struct listing *l)
{
	if (l->c->json)
		print_json(l->list);
	else
		json_object_put(l->list);
}

static cf_status list_provider(void *ctx, const struct provider_row *p)
{
	struct listing *l = ctx;
	if (!l->c->json) {
		printf("%s\t%s\t%s\t%s\n", p->name, p->type, p->base_url[0] ? p->base_url : "-",
		       p->has_api_key ? "key set" : "no key");
		return CF_OK;
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "name", json_object_new_string(p->name));
	json_object_object_add(obj, "type", json_object_new_string(p->type));
	json_object_object_add(obj, "base_url", json_object_new_string(p->base_url));
	json_object_object_add(obj, "has_api_key", json_object_new_boolean(p->has_api_key));
	json_object_array_add(l->list, obj);
	return CF_OK;
}

static int cmd_provider_list(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	struct listing l = {c, json_object_new_array()};
	check_status(c, store_provider_list(c->db, team, list_provider, &l), "providers");
	listing_end(&l);
	return 0;
}

static int cmd_provider_remove(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", "name", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	cf_status st = store_provider_remove(c->db, team, required(&o, "name"));
	if (st == CF_E_NOT_FOUND)
		die(1, "the team has no provider named \"%s\"", required(&o, "name"));
	check_status(c, st, "provider");
	return 0;
}

static int cmd_chatbot_create(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", "name", "description", "provider", "model", "temperature",
	                                      "prompt", "prompt-file", "source-material-file", "history-mode",
	                                      "history-max", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *name = required(&o, "name");
	check_length("name", name, 128);
	const char *description = opt(&o, "description");
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	char public_id[UUID_STR_LEN + 1];
	if (uuid4_generate(public_id) != CF_OK)
		die(1, "could not generate an id");
	check_status(c, store_chatbot_create(c->db, team, public_id, name, description ? description : "", ""),
	             "chatbot");
	unsigned long long working = chatbot_by_id(c, public_id, NULL, NULL);
	apply_settings(c, team, working, &o);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_string(public_id));
		json_object_object_add(obj, "name", json_object_new_string(name));
		print_json(obj);
	} else {
		puts(public_id);
	}
	return 0;
}

static cf_status list_chatbot(void *ctx, const struct chatbot_list_row *b)
{
	struct listing *l = ctx;
	if (!l->c->json) {
		printf("%s\tv%ld\t%s%s\n", b->public_id, b->version_number, b->name, b->is_archived ? "\t(archived)" : "");
		return CF_OK;
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(b->public_id));
	json_object_object_add(obj, "version_number", json_object_new_int64(b->version_number));
	json_object_object_add(obj, "name", json_object_new_string(b->name));
	json_object_object_add(obj, "archived", json_object_new_boolean(b->is_archived));
	json_object_array_add(l->list, obj);
	return CF_OK;
}

static int cmd_chatbot_list(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	struct listing l = {c, json_object_new_array()};
	check_status(c, store_chatbot_list(c->db, team, list_chatbot, &l), "chatbots");
	listing_end(&l);
	return 0;
}

static unsigned long long chatbot_by_id(struct ctl *c, const char *public_id, unsigned long long *team,
                                        long *version_number)
{
	if (!uuid_valid(public_id))
		die(2, "\"%s\" is not a chatbot id (UUID)", public_id);
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(public_id, norm);
	unsigned long long id = 0, team_id = 0;
	long number = 0;
	cf_status st = store_chatbot_working(c->db, norm, &id, &team_id, &number);
	if (st == CF_E_NOT_FOUND)
		die(1, "no chatbot with id %s", public_id);
	check_status(c, st, "chatbot");
	if (team != NULL)
		*team = team_id;
	if (version_number != NULL)
		*version_number = number;
	return id;
}

static int cmd_chatbot_version_create(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"chatbot", "description", NULL};
	static const char *const flags[] = {"default", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, flags, &o);
	const char *description = opt(&o, "description");
	open_db(c);
	unsigned long long working = chatbot_by_id(c, required(&o, "chatbot"), NULL, NULL);
	char public_id[UUID_STR_LEN + 1];
	if (uuid4_generate(public_id) != CF_OK)
		die(1, "could not generate an id");
	long number = 0;
	check_status(c, store_chatbot_version_create(c->db, working, public_id, description ? description : "",
	                                             opt(&o, "default") != NULL, &number), "version");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "version_number", json_object_new_int64(number));
		json_object_object_add(obj, "id", json_object_new_string(public_id));
		print_json(obj);
	} else {
		printf("v%ld\t%s\n", number, public_id);
	}
	return 0;
}

static int cmd_chatbot_version_set_default(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"chatbot", "version", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *v = required(&o, "version");
	if (v[0] == 'v')
		v++;
	errno = 0;
	char *end = NULL;
	long number = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || number < 1)
		die(2, "--version must be a released version number");
	open_db(c);
	unsigned long long working = chatbot_by_id(c, required(&o, "chatbot"), NULL, NULL);
	cf_status st = store_chatbot_set_default(c->db, working, number);
	if (st == CF_E_NOT_FOUND)
		die(1, "the chatbot has no version %ld", number);
	check_status(c, st, "version");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "default_version", json_object_new_int64(number));
		print_json(obj);
	}
	return 0;
}

static cf_status list_version(void *ctx, const struct chatbot_version_summary *v)
{
	struct listing *l = ctx;
	if (!l->c->json) {
		printf("v%ld\t%s%s\t%s\n", v->version_number, v->public_id, v->is_default_version ? "\tdefault" : "",
		       v->version_description);
		return CF_OK;
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(v->public_id));
	json_object_object_add(obj, "version_number", json_object_new_int64(v->version_number));
	json_object_object_add(obj, "is_default_version", json_object_new_boolean(v->is_default_version));
	json_object_object_add(obj, "version_description", json_object_new_string(v->version_description));
	json_object_array_add(l->list, obj);
	return CF_OK;
}

static int cmd_chatbot_show(struct ctl *c, int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, NULL, NULL, &o);
	if (o.npositional != 1)
		die(2, "usage: chatbot show ID");
	open_db(c);
	long number = 0;
	unsigned long long working = chatbot_by_id(c, o.positional[0], NULL, &number);
	if (!c->json)
		printf("working version: v%ld (unreleased)\n", number);
	struct listing l = {c, json_object_new_array()};
	check_status(c, store_chatbot_versions(c->db, working, list_version, &l), "versions");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "version_number", json_object_new_int64(number));
		json_object_object_add(obj, "versions", l.list);
		print_json(obj);
	} else {
		json_object_put(l.list);
	}
	return 0;
}

static int cmd_chatbot_configure(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"provider", "model", "temperature", "prompt", "prompt-file",
	                                      "source-material-file", "history-mode", "history-max", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	if (o.npositional != 1)
		die(2, "usage: chatbot configure ID SETTINGS");
	open_db(c);
	unsigned long long team = 0;
	unsigned long long working = chatbot_by_id(c, o.positional[0], &team, NULL);
	apply_settings(c, team, working, &o);
	return 0;
}

static int cmd_chatbot_archive(struct ctl *c, int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, NULL, NULL, &o);
	if (o.npositional != 1)
		die(2, "usage: chatbot archive ID");
	open_db(c);
	unsigned long long working = chatbot_by_id(c, o.positional[0], NULL, NULL);
	check_status(c, store_chatbot_archive(c->db, working), "chatbot");
	return 0;
}

static int cmd_oauth_app_create(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"name", "redirect-uri", NULL};
	static const char *const flags[] = {"public", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, flags, &o);
	const char *name = required(&o, "name");
	check_length("name", name, 255);
	/* --redirect-uri may repeat; the URIs are stored space separated. */
	char uris[2048] = "";
	for (size_t i = 0; i < o.count; i++) {
		if (strcmp(o.names[i], "redirect-uri") != 0)
			continue;
		const char *u = o.values[i];
		if ((strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) || strchr(u, ' ') || strchr(u, '#'))
			die(2, "--redirect-uri must be an absolute http(s) URI without a fragment");
		if (strlen(uris) + strlen(u) + 2 > sizeof uris)
			die(2, "too many redirect URIs");
		if (uris[0])
			strcat(uris, " ");
		strcat(uris, u);
	}
	if (uris[0] == '\0')
		die(2, "--redirect-uri is required");
	bool confidential = opt(&o, "public") == NULL;
	char client_id[OAUTH_TOKEN_LEN + 1], secret[OAUTH_TOKEN_LEN + 1], hash[65] = "";
	if (oauth_random_token(client_id) != CF_OK || oauth_random_token(secret) != CF_OK)
		die(1, "could not generate credentials");
	if (confidential)
		oauth_hash(secret, hash);
	open_db(c);
	check_status(c, store_oauth_app_create(c->db, client_id, confidential ? hash : NULL, name, uris, confidential),
	             "oauth application");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "client_id", json_object_new_string(client_id));
		json_object_object_add(obj, "client_secret", confidential ? json_object_new_string(secret) : NULL);
		json_object_object_add(obj, "client_type", json_object_new_string(confidential ? "confidential" : "public"));
		print_json(obj);
	} else {
		printf("client_id %s\n", client_id);
		if (confidential)
			printf("client_secret %s\n", secret);
	}
	explicit_bzero(secret, sizeof secret);
	return 0;
}

static const char *const PLATFORMS[] = {"telegram", "web", "whatsapp", "facebook", "sureadhere", "api", "slack",
                                        "commcare_connect", "evaluations", "embedded_widget", NULL};

/* telegram (--bot-token-file), whatsapp, ...: the token is stored like
 * other secrets and never printed. */
static int add_messaging_channel(struct ctl *c, const struct opts *o, const char *platform)
{
	const char *token_file = opt(o, "bot-token-file");
	if (strcmp(platform, "telegram") == 0 && token_file == NULL)
		die(2, "a telegram channel needs --bot-token-file FILE");
	char *token = token_file ? read_secret_file(token_file) : NULL;
	const char *name = opt(o, "name");
	open_db(c);
	unsigned long long team = 0, id = 0;
	unsigned long long working = chatbot_by_id(c, required(o, "chatbot"), &team, NULL);
	char *sealed = token ? seal_secret(c, SECRET_CHANNEL_SECRET, team, token) : NULL;
	cf_status st = store_channel_create_messaging(c->db, team, working, platform, name ? name : platform, sealed, &id);
	free(sealed);
	if (token != NULL) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	check_status(c, st, "channel");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)id));
		json_object_object_add(obj, "platform", json_object_new_string(platform));
		print_json(obj);
	} else {
		printf("%llu\n", id);
	}
	return 0;
}

static int cmd_channel_add(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"chatbot", "platform", "name", "allowed-domain", "bot-token-file", NULL};
	static const char *const flags[] = {"all-domains", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, flags, &o);
	const char *platform = required(&o, "platform");
	bool known = false;
	for (const char *const *p = PLATFORMS; *p; p++)
		known = known || strcmp(*p, platform) == 0;
	if (!known)
		die(2, "unknown platform \"%s\"", platform);
	if (strcmp(platform, "api") == 0 || strcmp(platform, "web") == 0 || strcmp(platform, "evaluations") == 0)
		die(2, "%s channels belong to the team and are created automatically", platform);
	if (strcmp(platform, "embedded_widget") != 0)
		return add_messaging_channel(c, &o, platform);
	struct json_object *domains = json_object_new_array();
	if (opt(&o, "all-domains") != NULL)
		json_object_array_add(domains, json_object_new_string("*"));
	for (size_t i = 0; i < o.count; i++) {
		if (strcmp(o.names[i], "allowed-domain") != 0)
			continue;
		const char *d = o.values[i];
		size_t len = strlen(d);
		if (len == 0 || len > 253 || strchr(d, '/') || strchr(d, ':') || strchr(d, ' '))
			die(2, "--allowed-domain takes a host name or *.domain, got \"%s\"", d);
		json_object_array_add(domains, json_object_new_string(d));
	}
	if (json_object_array_length(domains) == 0)
		die(2, "give at least one --allowed-domain (or --all-domains)");
	const char *name = opt(&o, "name");
	open_db(c);
	unsigned long long team = 0;
	unsigned long long working = chatbot_by_id(c, required(&o, "chatbot"), &team, NULL);
	/* 24 random bytes, URL-safe base64: 32 characters, as the reference. */
	unsigned char raw[24];
	char key[40];
	if (random_bytes(raw, sizeof raw) != CF_OK)
		die(1, "could not generate a key");
	b64url_encode(raw, sizeof raw, key);
	unsigned long long id = 0;
	check_status(c, store_channel_create(c->db, team, working, platform, name ? name : "widget", key,
	                                     json_object_to_json_string_ext(domains, JSON_C_TO_STRING_PLAIN), &id),
	             "channel");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)id));
		json_object_object_add(obj, "embed_key", json_object_new_string(key));
		json_object_object_add(obj, "allowed_domains", json_object_get(domains));
		print_json(obj);
	} else {
		puts(key);
	}
	json_object_put(domains);
	return 0;
}

static int cmd_channel_list(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"chatbot", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	open_db(c);
	unsigned long long working = chatbot_by_id(c, required(&o, "chatbot"), NULL, NULL);
	struct channel_row *rows = NULL;
	size_t count = 0;
	check_status(c, store_channel_list(c->db, working, &rows, &count), "channels");
	struct json_object *list = json_object_new_array();
	for (size_t r = 0; r < count; r++) {
		const struct channel_row *ch = &rows[r];
		if (c->json) {
			struct json_object *obj = json_object_new_object();
			json_object_object_add(obj, "id", json_object_new_int64((long long)ch->id));
			json_object_object_add(obj, "platform", json_object_new_string(ch->platform));
			json_object_object_add(obj, "name", json_object_new_string(ch->name));
			json_object_object_add(obj, "embed_key", json_object_new_string(ch->widget_token));
			json_object_object_add(obj, "allowed_domains", json_tokener_parse(ch->allowed_domains));
			json_object_array_add(list, obj);
		} else {
			printf("%llu\t%s\t%s\t%s\t%s\n", ch->id, ch->platform, ch->name, ch->widget_token,
			       ch->allowed_domains);
		}
	}
	channel_rows_free(rows, count);
	if (c->json)
		print_json(list);
	else
		json_object_put(list);
	return 0;
}

static int cmd_channel_remove(struct ctl *c, int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, NULL, NULL, &o);
	errno = 0;
	char *end = NULL;
	unsigned long long id = o.npositional == 1 ? strtoull(o.positional[0], &end, 10) : 0;
	if (o.npositional != 1 || errno != 0 || end == o.positional[0] || *end != '\0' || id == 0)
		die(2, "usage: channel remove ID");
	open_db(c);
	cf_status st = store_channel_remove(c->db, id);
	if (st == CF_E_NOT_FOUND)
		die(1, "no channel %llu", id);
	check_status(c, st, "channel");
	return 0;
}

/* ---- webhooks ---- */

static unsigned long long webhook_id_arg(const struct opts *o, const char *usage_text)
{
	errno = 0;
	char *end = NULL;
	unsigned long long id = o->npositional == 1 ? strtoull(o->positional[0], &end, 10) : 0;
	if (o->npositional != 1 || errno != 0 || end == o->positional[0] || *end != '\0' || id == 0)
		die(2, "usage: %s", usage_text);
	return id;
}

static int cmd_webhook_add(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", "url", "events", "secret-file", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *url = required(&o, "url");
	if (!webhooks_url_valid(url))
		die(2, "--url must be an http:// or https:// URL of at most %d bytes", CF_WEBHOOK_URL_MAX);
	char *events_json = NULL;
	const char *events = opt(&o, "events");
	if (events != NULL && strcmp(events, "all") != 0) {
		struct json_object *list = json_object_new_array();
		char *copy = xstrdup(events);
		for (char *e = copy, *next = NULL; e != NULL; e = next) {
			next = strchr(e, ',');
			if (next != NULL)
				*next++ = '\0';
			if (!webhooks_event_known(e))
				die(2, "unknown event \"%s\" (session.started, session.ended, message.created, task.completed, "
				       "task.failed)", e);
			json_object_array_add(list, json_object_new_string(e));
		}
		free(copy);
		if (json_object_array_length(list) == 0)
			die(2, "--events lists no event");
		events_json = xstrdup(json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
		json_object_put(list);
	}
	char *secret = NULL;
	bool generated = opt(&o, "secret-file") == NULL;
	if (!generated) {
		secret = read_secret_file(opt(&o, "secret-file"));
		if (strlen(secret) < 16 || strlen(secret) > CF_WEBHOOK_SECRET_MAX)
			die(2, "the secret must be 16 to %d bytes", CF_WEBHOOK_SECRET_MAX);
	} else {
		char random[33];
		if (random_string(random, 32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != CF_OK)
			die(1, "could not generate a secret");
		secret = xasprintf("whsec_%s", random);
		explicit_bzero(random, sizeof random);
	}
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	unsigned long long id = 0;
	char *sealed = seal_secret(c, SECRET_WEBHOOK_SECRET, team, secret);
	check_status(c, store_webhook_add(c->db, team, url, sealed, events_json, &id), "webhook");
	free(sealed);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)id));
		if (generated)
			json_object_object_add(obj, "secret", json_object_new_string(secret));
		print_json(obj);
	} else {
		printf("%llu\n", id);
		if (generated) {
			puts(secret);
			fprintf(stderr, "Store this signing secret now: it is not shown again.\n");
		}
	}
	explicit_bzero(secret, strlen(secret));
	free(secret);
	free(events_json);
	return 0;
}

/* One line (or one JSON object into the list ctx->list) per endpoint. */
struct webhook_listing {
	const struct ctl *c;
	struct json_object *list;
};

static cf_status list_webhook(void *ctx, const struct webhook_endpoint_row *w)
{
	struct webhook_listing *l = ctx;
	if (l->c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_int64((int64_t)w->id));
		json_object_object_add(obj, "url", json_object_new_string(w->url));
		json_object_object_add(obj, "events", w->events ? json_tokener_parse(w->events) : NULL);
		json_object_object_add(obj, "active", json_object_new_boolean(w->active));
		json_object_object_add(obj, "created_at", json_object_new_string(w->created_at));
		json_object_array_add(l->list, obj);
	} else {
		printf("%llu\t%s\t%s\t%s\n", w->id, w->url, w->events ? w->events : "all",
		       w->active ? "active" : "inactive");
	}
	return CF_OK;
}

static int cmd_webhook_list(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	struct json_object *list = json_object_new_array();
	struct webhook_listing listing = {c, list};
	check_status(c, store_webhook_list(c->db, team, list_webhook, &listing), "webhooks");
	if (c->json)
		print_json(list);
	else
		json_object_put(list);
	return 0;
}

static int cmd_webhook_remove(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	unsigned long long id = webhook_id_arg(&o, "webhook remove --team SLUG ID");
	open_db(c);
	unsigned long long team = team_by_slug(c, required(&o, "team"));
	cf_status st = store_webhook_remove(c->db, team, id);
	if (st == CF_E_NOT_FOUND)
		die(1, "team %s has no webhook %llu", opt(&o, "team"), id);
	check_status(c, st, "webhook");
	return 0;
}

/* Delivers a ping event to the endpoint at once (not through the task
 * runners) and prints the outcome; exit 1 when it was not accepted. */
static int cmd_webhook_test(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"team", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	unsigned long long id = webhook_id_arg(&o, "webhook test --team SLUG ID");
	const char *slug = required(&o, "team");
	open_db(c);
	unsigned long long team = team_by_slug(c, slug);
	need_key(c);
	struct webhook_endpoint_row endpoint;
	cf_status st = store_webhook_get(c->db, team, id, &endpoint);
	if (st == CF_E_NOT_FOUND)
		die(1, "team %s has no webhook %llu", slug, id);
	if (st == CF_E_CONFIG)
		die(1, "webhook %llu: its stored secret does not open with %s", id, c->cfg.secret_key_file);
	check_status(c, st, "webhook");
	char event_id[UUID_STR_LEN + 1];
	if (uuid4_generate(event_id) != CF_OK)
		die(1, "could not generate an event id");
	struct json_object *body = json_object_new_object(), *data = json_object_new_object();
	json_object_object_add(data, "endpoint_id", json_object_new_int64((int64_t)id));
	json_object_object_add(body, "id", json_object_new_string(event_id));
	json_object_object_add(body, "type", json_object_new_string(WEBHOOK_PING));
	json_object_object_add(body, "created", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(body, "team", json_object_new_string(slug));
	json_object_object_add(body, "data", data);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	long status = 0;
	char err[300] = "";
	st = webhooks_post(endpoint.url, endpoint.secret, event_id, WEBHOOK_PING,
	                   json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	                   &status, err, sizeof err);
	webhook_endpoint_row_free(&endpoint);
	json_object_put(body);
	curl_global_cleanup();
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "event_id", json_object_new_string(event_id));
		json_object_object_add(obj, "status", json_object_new_int((int)status));
		json_object_object_add(obj, "delivered", json_object_new_boolean(st == CF_OK));
		if (st != CF_OK)
			json_object_object_add(obj, "error", json_object_new_string(err));
		print_json(obj);
	} else if (st == CF_OK) {
		printf("delivered: HTTP %ld (event %s)\n", status, event_id);
	} else {
		printf("not delivered: %s (event %s)\n", err, event_id);
	}
	return st == CF_OK ? 0 : 1;
}

/* Seals the stored secrets that are still plaintext under the current key. */
static int cmd_secrets_encrypt(struct ctl *c, int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, NULL, NULL, &o);
	if (o.npositional != 0)
		die(2, "usage: secrets encrypt");
	need_key(c);
	open_db(c);
	const struct secretbox_key *k = secretbox_process_key();
	struct secret_counts n;
	char err[512];
	if (store_secrets_reseal(c->db, k, k, &n, err, sizeof err) != CF_OK)
		die(1, "secrets encrypt: nothing changed: %s", err);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "encrypted", json_object_new_int64((int64_t)n.sealed));
		json_object_object_add(obj, "unchanged", json_object_new_int64((int64_t)n.unchanged));
		json_object_object_add(obj, "key_id", json_object_new_string(k->id));
		print_json(obj);
	} else {
		printf("encrypted %lu secrets (%lu already encrypted) under key %s\n", n.sealed, n.unchanged, k->id);
	}
	return 0;
}

/* Rotation: the new key file takes the place of secret_key_file (the old
 * one stays as FILE.old), then every secret is sealed again under it in one
 * transaction. Running confabd processes read the swapped file when they
 * meet a value of the new key and keep the old key for values not yet
 * re-sealed, so no request fails on the way. */
static int cmd_secrets_rotate(struct ctl *c, int argc, char **argv)
{
	static const char *const allowed[] = {"new-key-file", NULL};
	struct opts o;
	parse_opts(argc, argv, allowed, NULL, &o);
	const char *fresh = required(&o, "new-key-file");
	const char *path = c->cfg.secret_key_file;
	need_key(c);
	struct secretbox_key old = *secretbox_process_key(), next;
	char err[512];
	if (secretbox_key_load(fresh, &next, err, sizeof err) != CF_OK)
		die(1, "%s", err);
	if (strcmp(next.id, old.id) == 0)
		die(1, "%s holds the current key already", fresh);
	open_db(c);
	struct stat cur, fst, bst;
	char *backup = xasprintf("%s.old", path);
	if (stat(path, &cur) != 0)
		die(1, "%s: %s", path, strerror(errno));
	if (stat(fresh, &fst) != 0)
		die(1, "%s: %s", fresh, strerror(errno));
	/* FILE.old is replaced below: rotating back to it takes a copy */
	if (stat(backup, &bst) == 0 && bst.st_dev == fst.st_dev && bst.st_ino == fst.st_ino)
		die(2, "%s is the file that keeps the old key; rotate with a copy of it", fresh);
	/* confabd must be able to read the new file as it reads the old one */
	if (chown(fresh, cur.st_uid, cur.st_gid) != 0)
		die(1, "%s: cannot give it the owner of %s: %s", fresh, path, strerror(errno));
	if ((unlink(backup) != 0 && errno != ENOENT) || link(path, backup) != 0)
		die(1, "%s: cannot keep the old key: %s", backup, strerror(errno));
	if (rename(fresh, path) != 0)
		die(1, "cannot move %s to %s: %s", fresh, path, strerror(errno));
	struct secret_counts n;
	if (store_secrets_reseal(c->db, &old, &next, &n, err, sizeof err) != CF_OK) {
		if (rename(backup, path) != 0)
			die(1, "secrets rotate: %s; and the old key could not be put back: mv %s %s", err, backup, path);
		die(1, "secrets rotate: nothing changed, the old key is back in place: %s", err);
	}
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "resealed", json_object_new_int64((int64_t)n.sealed));
		json_object_object_add(obj, "old_key_id", json_object_new_string(old.id));
		json_object_object_add(obj, "key_id", json_object_new_string(next.id));
		json_object_object_add(obj, "old_key_file", json_object_new_string(backup));
		print_json(obj);
	} else {
		printf("re-encrypted %lu secrets under key %s (was %s); the old key is in %s\n", n.sealed, next.id, old.id,
		       backup);
	}
	secretbox_key_wipe(&old);
	secretbox_key_wipe(&next);
	free(backup);
	return 0;
}

/* A new key file (mode 0600; it must not exist). */
static int cmd_secrets_keygen(struct ctl *c, int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, NULL, NULL, &o);
	if (o.npositional != 1)
		die(2, "usage: secrets keygen FILE");
	char err[512];
	if (secretbox_key_generate(o.positional[0], err, sizeof err) != CF_OK)
		die(1, "secrets keygen: %s", err);
	struct secretbox_key k;
	if (secretbox_key_load(o.positional[0], &k, err, sizeof err) != CF_OK)
		die(1, "secrets keygen: %s", err);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "key_id", json_object_new_string(k.id));
		print_json(obj);
	} else {
		puts(k.id);
	}
	secretbox_key_wipe(&k);
	return 0;
}

struct command {
	const char *noun;
	const char *verb;   /* NULL for one-word commands */
	int (*run)(struct ctl *c, int argc, char **argv);
};

static const struct command commands[] = {
	{"migrate", NULL, cmd_migrate},
	{"team", "create", cmd_team_create},
	{"user", "create", cmd_user_create},
	{"member", "add", cmd_member_add},
	{"apikey", "create", cmd_apikey_create},
	{"apikey", "revoke", cmd_apikey_revoke},
	{"apikey", "list", cmd_apikey_list},
	{"chatbot", "create", cmd_chatbot_create},
	{"chatbot", "list", cmd_chatbot_list},
	{"chatbot", "show", cmd_chatbot_show},
	{"chatbot", "archive", cmd_chatbot_archive},
	{"chatbot", "configure", cmd_chatbot_configure},
	{"provider", "add", cmd_provider_add},
	{"provider", "list", cmd_provider_list},
	{"provider", "remove", cmd_provider_remove},
	{"oauth-app", "create", cmd_oauth_app_create},
	{"channel", "add", cmd_channel_add},
	{"channel", "list", cmd_channel_list},
	{"channel", "remove", cmd_channel_remove},
	{"chatbot-version", "create", cmd_chatbot_version_create},
	{"chatbot-version", "set-default", cmd_chatbot_version_set_default},
	{"webhook", "add", cmd_webhook_add},
	{"webhook", "list", cmd_webhook_list},
	{"webhook", "remove", cmd_webhook_remove},
	{"webhook", "test", cmd_webhook_test},
	{"secrets", "encrypt", cmd_secrets_encrypt},
	{"secrets", "rotate", cmd_secrets_rotate},
	{"secrets", "keygen", cmd_secrets_keygen},
};

int main(int argc, char **argv)
{
	struct ctl c;
	memset(&c, 0, sizeof c);
	const char *path = getenv("CONFAB_CONFIG");
	if (path == NULL || *path == '\0')
		path = CONFAB_DEFAULT_CONFIG;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			c.json = 1;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	/* "chatbot version VERB" is a three-word command. */
	if (i + 1 < argc && strcmp(argv[i], "chatbot") == 0 && strcmp(argv[i + 1], "version") == 0) {
		argv[i + 1] = "chatbot-version";
		i++;
	}
	const struct command *cmd = NULL;
	int consumed = 0;
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(commands[k].noun, argv[i]) != 0)
			continue;
		if (commands[k].verb == NULL) {
			cmd = &commands[k];
			consumed = 1;
		} else if (i + 1 < argc && strcmp(commands[k].verb, argv[i + 1]) == 0) {
			cmd = &commands[k];
			consumed = 2;
		}
		if (cmd != NULL)
			break;
	}
	if (cmd == NULL) {
		usage(stderr);
		return 2;
	}
	config_defaults(&c.cfg);
	char err[512];
	if (config_load(&c.cfg, path, err, sizeof err) != CF_OK)
		die(1, "%s", err);
	int rc = cmd->run(&c, argc - i - consumed, argv + i + consumed);
	db_close(c.db);
	config_free(&c.cfg);
	return rc;
}
