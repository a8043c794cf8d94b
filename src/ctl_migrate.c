/* ctl_migrate.c - confabctl migrate: applies the pending numbered
 * migrations of the SQL directory (migrate.c), safe to run twice. */
#include <stdio.h>
#include <stdlib.h>

#include "confabctl.h"
#include "migrate.h"

#ifndef CONFAB_SQL_DIR
#define CONFAB_SQL_DIR "/usr/share/confab/sql"
#endif

int cmd_migrate(struct ctl *c)
{
	const char *dir = ctl_opt(c, "sql-dir");
	if (dir == NULL)
		dir = getenv("CONFAB_SQL_DIR");
	if (dir == NULL || *dir == '\0')
		dir = CONFAB_SQL_DIR;
	ctl_open(c);
	char err[512];
	int applied = 0;
	cf_status st = migrate_apply(c->db, dir, c->json ? stderr : stdout, &applied, err, sizeof err);
	if (st != CF_OK)
		ctl_die(1, "migrate: %s", err);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "applied", json_object_new_int(applied));
		ctl_print_json(obj);
	} else if (applied == 0) {
		puts("database is up to date");
	}
	return 0;
}
