/* urlcode.c - percent-decoding and query-string parsing. */
#include "urlcode.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

cf_status url_decode(const char *in, size_t len, bool plus_is_space, char **out)
{
	char *d = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '%') {
			if (len - i < 3 || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) {
				free(d);
				return CF_E_BAD_REQUEST;
			}
			c = (char)(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0') {
			free(d);
			return CF_E_BAD_REQUEST;
		}
		d[n++] = c;
	}
	d[n] = '\0';
	if (!utf8_valid(d, n)) {
		free(d);
		return CF_E_BAD_REQUEST;
	}
	*out = d;
	return CF_OK;
}

void kv_list_add(struct kv_list *l, const char *key, const char *value)
{
	l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
	l->items[l->count].key = xstrdup(key);
	l->items[l->count].value = xstrdup(value);
	l->count++;
}

void kv_list_free(struct kv_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

const char *kv_list_get(const struct kv_list *l, const char *key)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

cf_status query_parse(const char *query, size_t max_params, struct kv_list *out)
{
	struct kv_list l = {NULL, 0};
	cf_status st = CF_OK;
	const char *p = query ? query : "";
	while (*p != '\0') {
		const char *amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);
		if (plen > 0) {
			if (l.count >= max_params) {
				st = CF_E_BAD_REQUEST;
				break;
			}
			const char *eq = memchr(p, '=', plen);
			size_t klen = eq ? (size_t)(eq - p) : plen;
			char *key = NULL;
			char *value = NULL;
			st = url_decode(p, klen, true, &key);
			if (st == CF_OK)
				st = eq ? url_decode(eq + 1, plen - klen - 1, true, &value)
				        : url_decode("", 0, true, &value);
			if (st == CF_OK) {
				l.items = xrealloc(l.items, (l.count + 1) * sizeof *l.items);
				l.items[l.count].key = key;
				l.items[l.count].value = value;
				l.count++;
			} else {
				free(key);
				free(value);
				break;
			}
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	if (st != CF_OK) {
		kv_list_free(&l);
		return st;
	}
	*out = l;
	return CF_OK;
}

char *url_encode_component(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s);
	char *d = xmalloc(len * 3 + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			d[n++] = (char)c;
		} else {
			d[n++] = '%';
			d[n++] = hex[c >> 4];
			d[n++] = hex[c & 15];
		}
	}
	d[n] = '\0';
	return d;
}
