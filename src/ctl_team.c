/* ctl_team.c - confabctl team create, user create and member add: the
 * teams, the people who log in, and which role each has in a team. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confabctl.h"
#include "password.h"
#include "store_keys.h"
#include "xalloc.h"

static const char *const ROLES[] = {"super_admin", "experiment_admin", "team_admin", "chat_viewer",
                                    "pipeline_admin", "assistant_admin", "event_admin", "evaluation_admin",
                                    NULL};

int cmd_team_create(struct ctl *c)
{
	const char *slug = ctl_required(c, "slug");
	const char *name = ctl_required(c, "name");
	if (strlen(slug) > 50)
		ctl_die(2, "slug is longer than 50 characters");
	for (const char *p = slug; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			ctl_die(2, "slug may only contain letters, digits, '-' and '_'");
	ctl_check_length("name", name, 100);
	ctl_open(c);
	ctl_check(c, store_team_create(c->db, slug, name), "team");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "slug", json_object_new_string(slug));
		json_object_object_add(obj, "name", json_object_new_string(name));
		ctl_print_json(obj);
	} else {
		puts(slug);
	}
	return 0;
}

/* The first line of path ("-": standard input), at least 8 characters;
 * caller frees (and wipes). */
static char *read_password_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL)
		ctl_die(1, "%s: %s", path, strerror(errno));
	char line[1024];
	if (fgets(line, sizeof line, f) == NULL)
		ctl_die(1, "%s: empty", path);
	if (f != stdin)
		fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (strlen(line) < 8)
		ctl_die(2, "password must be at least 8 characters");
	char *pw = xstrdup(line);
	explicit_bzero(line, sizeof line);
	return pw;
}

int cmd_user_create(struct ctl *c)
{
	const char *email = ctl_required(c, "email");
	const char *at = strchr(email, '@');
	if (strlen(email) > 254 || at == NULL || at == email || at[1] == '\0' || strchr(email, ' '))
		ctl_die(2, "\"%s\" is not an email address", email);
	char *hash = NULL;
	const char *pwfile = ctl_opt(c, "password-file");
	if (pwfile != NULL) {
		char *pw = read_password_file(pwfile);
		if (password_hash(pw, &hash) != CF_OK)
			ctl_die(1, "password hashing failed");
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	ctl_open(c);
	ctl_check(c, store_user_create(c->db, email, hash), "user");
	free(hash);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "email", json_object_new_string(email));
		ctl_print_json(obj);
	} else {
		puts(email);
	}
	return 0;
}

int cmd_member_add(struct ctl *c)
{
	const char *role = ctl_opt(c, "role");
	if (role == NULL)
		role = "experiment_admin";
	bool valid = false;
	for (const char *const *r = ROLES; *r; r++)
		if (strcmp(*r, role) == 0)
			valid = true;
	if (!valid)
		ctl_die(2, "unknown role \"%s\"", role);
	ctl_open(c);
	unsigned long long user = ctl_user_by_email(c, ctl_required(c, "user"));
	ctl_check(c, store_member_set(c->db, c->team, user, role), "membership");
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "role", json_object_new_string(role));
		ctl_print_json(obj);
	} else {
		puts(role);
	}
	return 0;
}
