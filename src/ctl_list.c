/* ctl_list.c - confabctl's table-driven listings: a row of any store listing
 * printed as one tab-separated line, or (--json) added to an array of
 * objects, as the listing's column table says (confabctl.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "confabctl.h"

/* The field's string (NULL when absent), or NULL for a non-string field. */
static const char *field_string(const struct ctl_field *f, const void *row)
{
	const char *at = (const char *)row + f->offset;
	if (f->type == CTL_CHARS)
		return at[0] != '\0' ? at : NULL;
	if (f->type == CTL_STRING) {
		const char *s;
		memcpy(&s, at, sizeof s);
		return s;
	}
	return NULL;
}

static bool field_bool(const struct ctl_field *f, const void *row)
{
	bool b;
	memcpy(&b, (const char *)row + f->offset, sizeof b);
	return b;
}

static long long field_number(const struct ctl_field *f, const void *row)
{
	const char *at = (const char *)row + f->offset;
	if (f->type == CTL_LONG) {
		long n;
		memcpy(&n, at, sizeof n);
		return n;
	}
	unsigned long long n;
	memcpy(&n, at, sizeof n);
	return (long long)n;
}

/* Writes the cell; false when it is left out (a boolean without a word). */
static bool print_cell(const struct ctl_cell *cell, const void *row, bool first)
{
	const struct ctl_field *f = &cell->field;
	const char *text = NULL;
	char number[32];
	switch (f->type) {
	case CTL_CHARS:
	case CTL_STRING:
		text = field_string(f, row);
		if (text == NULL)
			text = cell->absent != NULL ? cell->absent : "";
		break;
	case CTL_BOOL:
		text = field_bool(f, row) ? cell->yes : cell->no;
		if (text == NULL)
			return false;
		break;
	case CTL_LONG:
		snprintf(number, sizeof number, "%s%lld", cell->prefix ? cell->prefix : "", field_number(f, row));
		text = number;
		break;
	case CTL_ULL: {
		unsigned long long n;
		memcpy(&n, (const char *)row + f->offset, sizeof n);
		snprintf(number, sizeof number, "%s%llu", cell->prefix ? cell->prefix : "", n);
		text = number;
		break;
	}
	}
	if (!first)
		putchar('\t');
	fputs(text, stdout);
	return true;
}

static struct json_object *member_value(const struct ctl_member *m, const void *row)
{
	const struct ctl_field *f = &m->field;
	switch (f->type) {
	case CTL_CHARS:
	case CTL_STRING: {
		const char *s = field_string(f, row);
		if (m->parse)
			return s != NULL ? json_tokener_parse(s) : NULL;
		if (s == NULL && (m->null_if_absent || f->type == CTL_STRING))
			return NULL;
		return json_object_new_string(s != NULL ? s : "");
	}
	case CTL_BOOL:
		return json_object_new_boolean(field_bool(f, row));
	case CTL_LONG:
	case CTL_ULL:
		return json_object_new_int64((int64_t)field_number(f, row));
	}
	return NULL;
}

void ctl_list_start(struct ctl_listing *l, const struct ctl *c, const struct ctl_table *t)
{
	l->table = t;
	l->json = c->json;
	l->rows = c->json ? json_object_new_array() : NULL;
}

cf_status ctl_list_row(struct ctl_listing *l, const void *row)
{
	const struct ctl_table *t = l->table;
	if (!l->json) {
		bool first = true;
		for (size_t i = 0; i < t->ncells; i++)
			if (print_cell(&t->cells[i], row, first))
				first = false;
		putchar('\n');
		return CF_OK;
	}
	struct json_object *obj = json_object_new_object();
	for (size_t i = 0; i < t->nmembers; i++)
		json_object_object_add(obj, t->members[i].key, member_value(&t->members[i], row));
	json_object_array_add(l->rows, obj);
	return CF_OK;
}

void ctl_list_end(struct ctl_listing *l)
{
	if (l->rows != NULL)
		ctl_print_json(ctl_list_take(l));
}

struct json_object *ctl_list_take(struct ctl_listing *l)
{
	struct json_object *rows = l->rows;
	l->rows = NULL;
	return rows;
}
