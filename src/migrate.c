/* migrate.c - the migration runner behind "confabctl migrate". */
#include "migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "store_migrations.h"
#include "xalloc.h"


/* "001_initial.sql": three digits or more, '_', a name, ".sql". */
static int is_migration_name(const char *name)
{
	size_t len = strlen(name);
	size_t digits = 0;
	while (isdigit((unsigned char)name[digits]))
		digits++;
	return digits >= 3 && name[digits] == '_' && len > 4 && strcmp(name + len - 4, ".sql") == 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *text = xmalloc(CF_MIGRATION_MAX_BYTES + 1);
	size_t n = fread(text, 1, CF_MIGRATION_MAX_BYTES + 1, f);
	fclose(f);
	if (n > (size_t)CF_MIGRATION_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %ld bytes", path, CF_MIGRATION_MAX_BYTES);
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

cf_status migrate_apply(struct db *db, const char *dir, FILE *out, int *applied, char *err, size_t errlen)
{
	*applied = 0;
	err[0] = '\0';
	char **names = NULL;
	size_t count = 0;
	cf_status st = CF_OK;
	bool locked = false;
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return CF_E_IO;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_migration_name(e->d_name))
			continue;
		names = xrealloc(names, (count + 1) * sizeof *names);
		names[count++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof *names, compare_names);

	st = store_migrations_init(db);
	if (st == CF_OK)
		st = store_migrations_lock(db, &locked);
	if (st == CF_OK && !locked) {
		snprintf(err, errlen, "another migration holds the lock");
		st = CF_E_CONFLICT;
	}
	for (size_t i = 0; st == CF_OK && i < count; i++) {
		bool done = false;
		st = store_migration_applied(db, names[i], &done);
		if (st != CF_OK || done)
			continue;
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *sql = read_file(path, err, errlen);
		free(path);
		if (sql == NULL) {
			st = CF_E_IO;
			break;
		}
		char script_err[400];
		st = db_run_script(db, sql, script_err, sizeof script_err);
		free(sql);
		if (st != CF_OK) {
			snprintf(err, errlen, "%s: %s", names[i], script_err);
			break;
		}
		st = store_migration_record(db, names[i]);
		if (st == CF_OK) {
			fprintf(out, "applied %s\n", names[i]);
			(*applied)++;
		}
	}
	if (st != CF_OK && err[0] == '\0')
		snprintf(err, errlen, "database: %s", db_last_error(db));
	if (locked)
		store_migrations_unlock(db);
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return st;
}
