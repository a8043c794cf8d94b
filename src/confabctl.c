/* confabctl.c - the admin CLI: how an operator sets Confab up. The one table
 * of commands, --help made from it, and the shared prologue: find the
 * command, parse its options, check its arguments (ctl_open does the rest).
 * Commands and output: docs/contracts.md. Human output by default, one JSON
 * object with --json; errors are one line on stderr and a non-zero exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confabctl.h"
#include "utf8.h"

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* In the order --help lists them. */
static const struct ctl_command COMMANDS[] = {
	{.group = "migrate", .usage = "[--sql-dir DIR]", .options = NAMES("sql-dir"), .needs = CTL_DB,
	 .run = cmd_migrate},
	{.group = "team", .verb = "create", .usage = "--slug SLUG --name NAME", .options = NAMES("slug", "name"),
	 .needs = CTL_DB, .run = cmd_team_create},
	{.group = "user", .verb = "create", .usage = "--email EMAIL [--password-file FILE]",
	 .options = NAMES("email", "password-file"), .needs = CTL_DB, .run = cmd_user_create},
	{.group = "member", .verb = "add", .usage = "--team SLUG --user EMAIL [--role ROLE]",
	 .options = NAMES("user", "role"), .needs = CTL_TEAM, .run = cmd_member_add},
	{.group = "apikey", .verb = "create",
	 .usage = "--team SLUG --user EMAIL [--name N] [--read-only|--write] [--expires YYYY-MM-DD]",
	 .options = NAMES("user", "name", "expires"), .flags = NAMES("read-only", "write"), .needs = CTL_TEAM,
	 .run = cmd_apikey_create},
	{.group = "apikey", .verb = "revoke", .usage = "PREFIX", .needs = CTL_DB, .args = CTL_ARGS_ONE,
	 .run = cmd_apikey_revoke},
	{.group = "apikey", .verb = "list", .usage = "--team SLUG", .needs = CTL_TEAM, .run = cmd_apikey_list},
	{.group = "chatbot", .verb = "create", .usage = "--team SLUG --name NAME [--description TEXT] [SETTINGS]",
	 .options = NAMES("name", "description"), .needs = CTL_TEAM | CTL_SETTINGS, .run = cmd_chatbot_create},
	{.group = "chatbot", .verb = "configure",
	 .usage = "ID SETTINGS      (the working, unreleased version)\n"
	          "    SETTINGS: [--provider NAME] [--model M] [--temperature 0..2] [--prompt TEXT | --prompt-file F]\n"
	          "              [--source-material-file F] [--history-mode none|global] [--history-max N]",
	 .needs = CTL_DB | CTL_SETTINGS, .args = CTL_ARGS_CHATBOT, .args_usage = "ID SETTINGS",
	 .run = cmd_chatbot_configure},
	{.group = "provider", .verb = "add",
	 .usage = "--team SLUG --name NAME --type openai|azure|anthropic|local [--base-url URL]\n"
	          "               [--api-key-file F] [--api-version V] [--max-tokens N]",
	 .options = NAMES("name", "type", "base-url", "api-key-file", "api-version", "max-tokens"), .needs = CTL_TEAM,
	 .run = cmd_provider_add},
	{.group = "provider", .verb = "list", .usage = "--team SLUG", .needs = CTL_TEAM, .run = cmd_provider_list},
	{.group = "provider", .verb = "remove", .usage = "--team SLUG --name NAME", .same_line = true,
	 .options = NAMES("name"), .needs = CTL_TEAM, .run = cmd_provider_remove},
	{.group = "chatbot", .verb = "list", .usage = "--team SLUG", .needs = CTL_TEAM, .run = cmd_chatbot_list},
	{.group = "chatbot", .verb = "show", .usage = "ID", .needs = CTL_DB, .args = CTL_ARGS_CHATBOT,
	 .run = cmd_chatbot_show},
	{.group = "chatbot", .verb = "archive", .usage = "ID", .same_line = true, .needs = CTL_DB,
	 .args = CTL_ARGS_CHATBOT, .run = cmd_chatbot_archive},
	{.group = "oauth-app", .verb = "create",
	 .usage = "--name NAME --redirect-uri URI [--redirect-uri URI ...] [--public]\n"
	          "  oauth-app create --name NAME --grant client-credentials --team SLUG [--scope \"S ...\"]",
	 .options = NAMES("name", "redirect-uri", "grant", "team", "scope"), .flags = NAMES("public"), .needs = CTL_DB,
	 .run = cmd_oauth_app_create},
	{.group = "oauth-app", .verb = "allow", .usage = "--app CLIENT_ID --chatbot ID", .options = NAMES("app", "chatbot"),
	 .needs = CTL_DB, .run = cmd_oauth_app_allow},
	{.group = "oauth-app", .verb = "disallow", .usage = "--app CLIENT_ID --chatbot ID", .same_line = true,
	 .options = NAMES("app", "chatbot"), .needs = CTL_DB, .run = cmd_oauth_app_disallow},
	{.group = "oauth-app", .verb = "list", .usage = "--team SLUG", .needs = CTL_TEAM, .run = cmd_oauth_app_list},
	/* two forms: the second line says the command's words again */
	{.group = "channel", .verb = "add",
	 .usage = "--chatbot ID --platform embedded_widget (--allowed-domain HOST ... | --all-domains) [--name N]\n"
	          "               [--session-token-ttl DAYS] [--require-session-token]\n"
	          "  channel add --chatbot ID --platform telegram --bot-token-file FILE [--name N]",
	 .options = NAMES("platform", "name", "allowed-domain", "bot-token-file", "session-token-ttl"),
	 .flags = NAMES("all-domains", "require-session-token"), .needs = CTL_CHATBOT, .run = cmd_channel_add},
	{.group = "channel", .verb = "configure",
	 .usage = "CHANNEL_ID [--session-token-ttl DAYS|default]\n"
	          "               [--require-session-token | --no-require-session-token] [--enable | --disable]",
	 .options = NAMES("session-token-ttl"),
	 .flags = NAMES("require-session-token", "no-require-session-token", "enable", "disable"),
	 .needs = CTL_DB, .args = CTL_ARGS_ID, .args_usage = "ID", .run = cmd_channel_configure},
	{.group = "channel", .verb = "list", .usage = "--chatbot ID", .needs = CTL_CHATBOT, .run = cmd_channel_list},
	{.group = "channel", .verb = "remove", .usage = "CHANNEL_ID", .same_line = true, .needs = CTL_DB,
	 .args = CTL_ARGS_ID, .args_usage = "ID", .run = cmd_channel_remove},
	{.group = "chatbot version", .verb = "create", .usage = "--chatbot ID [--default] [--description TEXT]",
	 .options = NAMES("description"), .flags = NAMES("default"), .needs = CTL_CHATBOT,
	 .run = cmd_chatbot_version_create},
	{.group = "chatbot version", .verb = "set-default", .usage = "--chatbot ID --version N",
	 .options = NAMES("version"), .needs = CTL_CHATBOT, .run = cmd_chatbot_version_set_default},
	{.group = "webhook", .verb = "add", .usage = "--team SLUG --url URL [--events a,b,...] [--secret-file F]",
	 .options = NAMES("url", "events", "secret-file"), .needs = CTL_TEAM, .run = cmd_webhook_add},
	{.group = "webhook", .verb = "list", .usage = "--team SLUG", .needs = CTL_TEAM, .run = cmd_webhook_list},
	{.group = "webhook", .verb = "remove", .usage = "--team SLUG ID", .same_line = true, .needs = CTL_TEAM,
	 .args = CTL_ARGS_ID, .run = cmd_webhook_remove},
	{.group = "webhook", .verb = "test", .usage = "--team SLUG ID", .same_line = true, .needs = CTL_TEAM,
	 .args = CTL_ARGS_ID, .run = cmd_webhook_test},
	{.group = "secrets", .verb = "encrypt", .usage = "", .needs = CTL_DB, .args = CTL_ARGS_NONE,
	 .run = cmd_secrets_encrypt},
	{.group = "secrets", .verb = "rotate", .usage = "--new-key-file F", .same_line = true,
	 .options = NAMES("new-key-file"), .needs = CTL_DB, .run = cmd_secrets_rotate},
	{.group = "secrets", .verb = "keygen", .usage = "FILE", .same_line = true, .args = CTL_ARGS_ONE,
	 .run = cmd_secrets_keygen},
};

#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *out)
{
	fputs("usage: confabctl [-c FILE] [--json] COMMAND ...", out);
	for (size_t k = 0; k < NCOMMANDS; k++) {
		const struct ctl_command *cmd = &COMMANDS[k];
		fputs(cmd->same_line ? " | " : "\n  ", out);
		fputs(cmd->group, out);
		if (cmd->verb != NULL)
			fprintf(out, " %s", cmd->verb);
		if (cmd->usage[0] != '\0')
			fprintf(out, " %s", cmd->usage);
	}
	fputc('\n', out);
}

/* Whether word is group with '-' for each space ("chatbot-version"). */
static bool hyphenated(const char *group, const char *word)
{
	for (; *group != '\0' && (*group == *word || (*group == ' ' && *word == '-')); group++, word++)
		continue;
	return *group == '\0' && *word == '\0';
}

/* How many words of argv (argc of them) spell group: "chatbot version" takes
 * two; 0 when they spell another. A two-word group may also be written as
 * one word with a hyphen, as the first releases took it. */
static int group_words(const char *group, int argc, char **argv)
{
	if (argc > 0 && strchr(group, ' ') != NULL && hyphenated(group, argv[0]))
		return 1;
	int words = 0;
	for (const char *g = group;; g += strcspn(g, " ") + 1) {
		size_t n = strcspn(g, " ");
		if (words >= argc || strlen(argv[words]) != n || strncmp(argv[words], g, n) != 0)
			return 0;
		words++;
		if (g[n] == '\0')
			return words;
	}
}

/* How many words of argv name cmd (group and verb); 0 when they name another. */
static int command_words(const struct ctl_command *cmd, int argc, char **argv)
{
	int words = group_words(cmd->group, argc, argv);
	if (words == 0 || cmd->verb == NULL)
		return words;
	return words < argc && strcmp(argv[words], cmd->verb) == 0 ? words + 1 : 0;
}

static bool listed(const char *const *names, const char *name)
{
	for (const char *const *n = names; n != NULL && *n != NULL; n++)
		if (strcmp(*n, name) == 0)
			return true;
	return false;
}

/* Whether cmd takes --name with a value: its options, and those its needs imply. */
static bool takes_value(const struct ctl_command *cmd, const char *name)
{
	return listed(cmd->options, name) || ((cmd->needs & CTL_TEAM) == CTL_TEAM && strcmp(name, "team") == 0) ||
	       ((cmd->needs & CTL_CHATBOT) == CTL_CHATBOT && strcmp(name, "chatbot") == 0) ||
	       ((cmd->needs & CTL_SETTINGS) && listed(ctl_settings_options, name));
}

/* Parses "--name value" pairs and arguments into o; flags take no value. */
static void parse_opts(const struct ctl_command *cmd, int argc, char **argv, struct ctl_opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			if (o->nargs >= CTL_MAX_ARGS)
				ctl_die(2, "too many arguments");
			o->args[o->nargs++] = a;
			continue;
		}
		const char *name = a + 2;
		bool is_flag = listed(cmd->flags, name);
		if (!is_flag && !takes_value(cmd, name))
			ctl_die(2, "unknown option --%s", name);
		if (o->count >= CF_CTL_MAX_OPTS)
			ctl_die(2, "too many options");
		o->names[o->count] = name;
		if (is_flag) {
			o->values[o->count] = "1";
		} else {
			if (i + 1 >= argc)
				ctl_die(2, "--%s needs a value", name);
			const char *v = argv[++i];
			if (!utf8_valid(v, strlen(v)))
				ctl_die(2, "--%s is not valid UTF-8", name);
			o->values[o->count] = v;
		}
		o->count++;
	}
}

/* Dies (2) with "usage: GROUP VERB ARGS", the arguments as the record names them. */
static void __attribute__((noreturn)) misuse(const struct ctl_command *cmd)
{
	const char *args = cmd->args_usage != NULL ? cmd->args_usage : cmd->usage;
	ctl_die(2, "usage: %s%s%s%s%s", cmd->group, cmd->verb ? " " : "", cmd->verb ? cmd->verb : "", args[0] ? " " : "",
	        args);
}

/* The positional arguments as cmd->args wants them. */
static void check_args(struct ctl *c)
{
	const struct ctl_command *cmd = c->cmd;
	switch (cmd->args) {
	case CTL_ARGS_ANY:
		return;
	case CTL_ARGS_NONE:
		if (c->o.nargs != 0)
			misuse(cmd);
		return;
	case CTL_ARGS_ONE:
	case CTL_ARGS_CHATBOT:
		if (c->o.nargs != 1)
			misuse(cmd);
		return;
	case CTL_ARGS_ID: {
		const char *a = c->o.args[0];
		char *end = NULL;
		errno = 0;
		unsigned long long id = c->o.nargs == 1 ? strtoull(a, &end, 10) : 0;
		if (c->o.nargs != 1 || errno != 0 || end == a || *end != '\0' || id == 0)
			misuse(cmd);
		c->id = id;
		return;
	}
	}
}

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
			c.json = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	int words = 0;
	for (size_t k = 0; k < NCOMMANDS && words == 0; k++) {
		words = command_words(&COMMANDS[k], argc - i, argv + i);
		if (words > 0)
			c.cmd = &COMMANDS[k];
	}
	if (c.cmd == NULL) {
		usage(stderr);
		return 2;
	}
	config_defaults(&c.cfg);
	char err[512];
	if (config_load(&c.cfg, path, err, sizeof err) != CF_OK)
		ctl_die(1, "%s", err);
	parse_opts(c.cmd, argc - i - words, argv + i + words, &c.o);
	check_args(&c);
	int rc = c.cmd->run(&c);
	db_close(c.db);
	config_free(&c.cfg);
	return rc;
}
