/* ctl_common.c - the helpers every confabctl command uses: dying with one
 * line, options, status checks, JSON output, reading files, the secret key
 * and the lookups of a team, a user and a chatbot. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "confabctl.h"
#include "ids.h"
#include "secretbox.h"
#include "store_chatbots.h"
#include "store_keys.h"
#include "utf8.h"

void ctl_die(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("confabctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

const char *ctl_opt(const struct ctl *c, const char *name)
{
	for (size_t i = 0; i < c->o.count; i++)
		if (strcmp(c->o.names[i], name) == 0)
			return c->o.values[i];
	return NULL;
}

const char *ctl_required(const struct ctl *c, const char *name)
{
	const char *v = ctl_opt(c, name);
	if (v == NULL || *v == '\0')
		ctl_die(2, "--%s is required", name);
	return v;
}

void ctl_check_length(const char *what, const char *v, size_t max)
{
	if (utf8_length(v, strlen(v)) > max)
		ctl_die(2, "%s is longer than %zu characters", what, max);
}

void ctl_check(const struct ctl *c, cf_status st, const char *what)
{
	if (st == CF_OK)
		return;
	if (st == CF_E_CONFLICT)
		ctl_die(1, "%s: already exists", what);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "%s: not found", what);
	ctl_die(1, "%s: database error: %s", what, db_last_error(c->db));
}

void ctl_print_json(struct json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

char *ctl_read_text_file(const char *path, size_t max)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL)
		ctl_die(1, "%s: %s", path, strerror(errno));
	struct buf b;
	buf_init(&b, max);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n) != CF_OK)
			ctl_die(2, "%s: larger than %zu bytes", path, max);
	if (f != stdin)
		fclose(f);
	if (!utf8_valid(buf_str(&b), b.len) || memchr(buf_str(&b), '\0', b.len) != NULL)
		ctl_die(2, "%s: not UTF-8 text", path);
	return buf_take(&b);
}

char *ctl_read_secret_file(const char *path)
{
	char *text = ctl_read_text_file(path, 8192);
	text[strcspn(text, "\r\n")] = '\0';
	if (text[0] == '\0')
		ctl_die(2, "%s: empty", path);
	return text;
}

void ctl_need_key(struct ctl *c)
{
	if (secretbox_process_key() != NULL)
		return;
	char err[512];
	if (secretbox_init(c->cfg.secret_key_file, err, sizeof err) != CF_OK)
		ctl_die(1, "%s", err);
}

char *ctl_seal(struct ctl *c, enum secret_column col, unsigned long long team, const char *plain)
{
	ctl_need_key(c);
	char *sealed = NULL;
	if (store_secret_seal(col, team, plain, &sealed) != CF_OK)
		ctl_die(1, "could not encrypt the %s", store_secret_column_name(col));
	return sealed;
}

unsigned long long ctl_team_by_slug(const struct ctl *c, const char *slug)
{
	unsigned long long id = 0;
	cf_status st = store_team_id(c->db, slug, &id);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no team with slug \"%s\"", slug);
	ctl_check(c, st, "team");
	return id;
}

unsigned long long ctl_user_by_email(const struct ctl *c, const char *email)
{
	unsigned long long id = 0;
	cf_status st = store_user_id(c->db, email, &id);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no user with email \"%s\"", email);
	ctl_check(c, st, "user");
	return id;
}

struct ctl_chatbot ctl_chatbot_by_id(const struct ctl *c, const char *public_id)
{
	if (!uuid_valid(public_id))
		ctl_die(2, "\"%s\" is not a chatbot id (UUID)", public_id);
	char norm[UUID_STR_LEN + 1];
	uuid_normalize(public_id, norm);
	struct ctl_chatbot bot = {0, 0, 0};
	cf_status st = store_chatbot_working(c->db, norm, &bot.working, &bot.team, &bot.number);
	if (st == CF_E_NOT_FOUND)
		ctl_die(1, "no chatbot with id %s", public_id);
	ctl_check(c, st, "chatbot");
	return bot;
}

void ctl_open(struct ctl *c)
{
	const struct ctl_command *cmd = c->cmd;
	if (!(cmd->needs & CTL_DB))
		ctl_die(1, "%s %s: not marked CTL_DB in the command table", cmd->group, cmd->verb ? cmd->verb : "");
	if (db_open(&c->cfg, &c->db) != CF_OK)
		ctl_die(1, "cannot connect to the database: %s", db_last_error(c->db));
	if ((cmd->needs & CTL_TEAM) == CTL_TEAM)
		c->team = ctl_team_by_slug(c, ctl_required(c, "team"));
	if ((cmd->needs & CTL_CHATBOT) == CTL_CHATBOT)
		c->bot = ctl_chatbot_by_id(c, ctl_required(c, "chatbot"));
	if (cmd->args == CTL_ARGS_CHATBOT)
		c->bot = ctl_chatbot_by_id(c, c->o.args[0]);
}
