/* router.c - path pattern matching with typed segments, and the /api/v1/
 * alias of every /api/ route. */
#include "router.h"

#include <ctype.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "xalloc.h"

static bool value_has_type(const char *v, size_t len, const char *type, size_t tlen)
{
	if (len == 0)
		return false;
	if (tlen == 3 && memcmp(type, "int", 3) == 0) {
		if (len > 9)
			return false;
		for (size_t i = 0; i < len; i++)
			if (!isdigit((unsigned char)v[i]))
				return false;
		return true;
	}
	if (tlen == 4 && memcmp(type, "uuid", 4) == 0) {
		char tmp[UUID_STR_LEN + 1];
		if (len != UUID_STR_LEN)
			return false;
		memcpy(tmp, v, len);
		tmp[len] = '\0';
		return uuid_valid(tmp);
	}
	if (tlen == 3 && memcmp(type, "seg", 3) == 0)
		return memchr(v, '.', len) == NULL;
	return false;
}

/* Matches one path segment against one pattern segment; adds a parameter
 * to m on a typed match. */
static bool segment_match(const char *pat, size_t plen, const char *seg, size_t slen, struct route_match *m)
{
	const char *open = memchr(pat, '{', plen);
	if (open == NULL)
		return plen == slen && memcmp(pat, seg, slen) == 0;
	const char *close = memchr(open, '}', plen - (size_t)(open - pat));
	const char *colon = memchr(open, ':', plen - (size_t)(open - pat));
	if (close == NULL || colon == NULL || colon > close || m->nparams >= CF_MAX_ROUTE_PARAMS)
		return false;
	size_t pre = (size_t)(open - pat);
	size_t post = plen - (size_t)(close - pat) - 1;
	if (slen < pre + post || memcmp(pat, seg, pre) != 0 || memcmp(close + 1, seg + slen - post, post) != 0)
		return false;
	const char *value = seg + pre;
	size_t vlen = slen - pre - post;
	if (!value_has_type(value, vlen, colon + 1, (size_t)(close - colon - 1)))
		return false;
	struct route_param *p = &m->params[m->nparams++];
	p->name = open + 1;
	p->name_len = (size_t)(colon - open - 1);
	p->value = xstrndup(value, vlen);
	return true;
}

static void clear_params(struct route_match *m)
{
	for (size_t i = 0; i < m->nparams; i++)
		free(m->params[i].value);
	m->nparams = 0;
}

static bool path_match(const char *pattern, const char *path, struct route_match *m)
{
	const char *p = pattern;
	const char *s = path;
	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *pend = strchr(p, '/');
		const char *send = strchr(s, '/');
		size_t plen = pend ? (size_t)(pend - p) : strlen(p);
		size_t slen = send ? (size_t)(send - s) : strlen(s);
		if (!segment_match(p, plen, s, slen, m))
			return false;
		p += plen;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

static void allow_add(char *allow, size_t size, const char *method)
{
	if (strstr(allow, method) != NULL)
		return;
	size_t n = strlen(allow);
	size_t need = strlen(method) + (n ? 2 : 0);
	if (n + need + 1 > size)
		return;
	snprintf(allow + n, size - n, "%s%s", n ? ", " : "", method);
}

bool router_v1_alias(const char *path, const char **rest)
{
	static const char PREFIX[] = "/api/v1/";
	if (strncmp(path, PREFIX, sizeof PREFIX - 1) != 0)
		return false;
	*rest = path + sizeof PREFIX - 2;   /* the "/" after v1 */
	return true;
}

/* As router_match, against path as it stands. */
static cf_status match_path(const struct route *table, size_t n, const char *method, const char *path,
                            struct route_match *m)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < n; i++) {
		struct route_match trial;
		memset(&trial, 0, sizeof trial);
		if (!path_match(table[i].pattern, path, &trial)) {
			clear_params(&trial);
			continue;
		}
		if (m->first == NULL)
			m->first = &table[i];
		allow_add(m->allow, sizeof m->allow, table[i].method);
		if (m->route == NULL && strcmp(table[i].method, want) == 0) {
			trial.route = &table[i];
			trial.first = m->first;
			trial.table = table;
			trial.table_len = n;
			memcpy(trial.allow, m->allow, sizeof trial.allow);
			*m = trial;
		} else {
			clear_params(&trial);
		}
	}
	m->table = table;
	m->table_len = n;
	if (m->first == NULL)
		return CF_E_NOT_FOUND;
	if (strstr(m->allow, "GET") != NULL)
		allow_add(m->allow, sizeof m->allow, "HEAD");
	allow_add(m->allow, sizeof m->allow, "OPTIONS");
	return m->route != NULL ? CF_OK : CF_E_METHOD;
}

cf_status router_match(const struct route *table, size_t n, const char *method, const char *path,
                       struct route_match *m)
{
	memset(m, 0, sizeof *m);
	const char *rest = NULL;
	if (!router_v1_alias(path, &rest))
		return match_path(table, n, method, path, m);
	/* /api/v1/<rest> is /api/<rest>: upstream mounts its v1 surface under
	 * an optional v1/ prefix. Only once: /api/v1/v1/... stays unknown. */
	char *canonical = xasprintf("/api%s", rest);
	cf_status st = match_path(table, n, method, canonical, m);
	free(canonical);   /* parameter values are copies, see segment_match */
	return st;
}

void route_match_free(struct route_match *m)
{
	clear_params(m);
}

const char *route_param(const struct route_match *m, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < m->nparams; i++)
		if (m->params[i].name_len == len && memcmp(m->params[i].name, name, len) == 0)
			return m->params[i].value;
	return NULL;
}
