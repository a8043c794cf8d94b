/* multipart.c - streaming multipart/form-data parser (see multipart.h).
 *
 * The body is treated as "\r\n" + body so that every delimiter, the first
 * included, is "\r\n--boundary". States: PREAMBLE (skipping to the first
 * delimiter), AFTER_DELIM (expecting "\r\n" or the closing "--"), HEADERS
 * (collecting up to the blank line), DATA (emitting bytes until the next
 * delimiter; bytes that might start a delimiter are held back), DONE. */
#include "multipart.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "limits.h"

enum { S_PREAMBLE, S_AFTER_DELIM, S_AFTER_DELIM_DASH, S_AFTER_DELIM_CR, S_HEADERS, S_DATA, S_DONE, S_EPILOGUE };

bool multipart_boundary(const char *content_type, char out[MULTIPART_BOUNDARY_MAX + 1])
{
	const char *p = content_type;
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "multipart/form-data", 19) != 0)
		return false;
	for (p += 19; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		bool quoted = *p == '"';
		if (quoted)
			p++;
		size_t n = 0;
		while (p[n] != '\0' && (quoted ? p[n] != '"' : (p[n] != ';' && p[n] != ' ')))
			n++;
		if (n == 0 || n > MULTIPART_BOUNDARY_MAX || (quoted && p[n] != '"'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
				return false;
		memcpy(out, p, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

void multipart_init(struct multipart_parser *p, const char *boundary, const struct multipart_handler *h)
{
	memset(p, 0, sizeof *p);
	p->delimiter_len = (size_t)snprintf(p->delimiter, sizeof p->delimiter, "\r\n--%s", boundary);
	buf_init(&p->header, CF_MULTIPART_HEADER_MAX);
	p->h = h;
	p->matched = 2;   /* the virtual "\r\n" before the body */
	p->state = S_PREAMBLE;
}

void multipart_free(struct multipart_parser *p)
{
	buf_free(&p->header);
}

static cf_status fail(struct multipart_parser *p, const char *why)
{
	p->error = why;
	p->state = S_DONE;
	return CF_E_BAD_REQUEST;
}

/* Copies a Content-Disposition parameter (name="..." / filename="...")
 * into out; false when absent. Quoted values may hold escaped quotes. */
static bool disposition_param(const char *header, const char *param, char *out, size_t outlen)
{
	size_t plen = strlen(param);
	for (const char *p = header; (p = strcasestr(p, param)) != NULL; p += plen) {
		if (p > header && p[-1] != ' ' && p[-1] != ';' && p[-1] != '\t')
			continue;
		if (p[plen] != '=')
			continue;
		const char *v = p + plen + 1;
		size_t n = 0;
		if (*v == '"') {
			v++;
			while (*v != '\0' && *v != '"' && n + 1 < outlen) {
				if (*v == '\\' && (v[1] == '"' || v[1] == '\\'))
					v++;
				out[n++] = *v++;
			}
			if (*v != '"')
				return false;
		} else {
			while (*v != '\0' && *v != ';' && *v != ' ' && n + 1 < outlen)
				out[n++] = *v++;
		}
		out[n] = '\0';
		return true;
	}
	return false;
}

static cf_status parse_headers(struct multipart_parser *p)
{
	const char *h = buf_str(&p->header);
	p->name[0] = p->filename[0] = p->content_type[0] = '\0';
	p->has_filename = false;
	bool disposition = false;
	for (const char *line = h; *line != '\0';) {
		const char *eol = strstr(line, "\r\n");
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char one[CF_MULTIPART_HEADER_MAX];
		memcpy(one, line, len);
		one[len] = '\0';
		if (strncasecmp(one, "content-disposition:", 20) == 0) {
			const char *v = one + 20;
			while (*v == ' ')
				v++;
			if (strncasecmp(v, "form-data", 9) != 0)
				return fail(p, "a part is not form-data");
			disposition = disposition_param(v, "name", p->name, sizeof p->name);
			p->has_filename = disposition_param(v, "filename", p->filename, sizeof p->filename);
		} else if (strncasecmp(one, "content-type:", 13) == 0) {
			const char *v = one + 13;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = strlen(v) < sizeof p->content_type - 1 ? strlen(v) : sizeof p->content_type - 1;
			memcpy(p->content_type, v, n);
			p->content_type[n] = '\0';
		}
		line += len;
		if (*line != '\0')
			line += 2;
	}
	if (!disposition)
		return fail(p, "a part has no name");
	if (++p->parts > CF_MULTIPART_MAX_PARTS)
		return fail(p, "too many parts");
	struct multipart_part part = {p->name, p->has_filename ? p->filename : NULL, p->content_type};
	return p->h->part_begin(p->h->ctx, &part);
}

/* PREAMBLE and DATA: scans for the delimiter. Plain bytes are handed to
 * part_data (DATA) or dropped (PREAMBLE); bytes matching a delimiter prefix
 * are held back (they equal delimiter[0..matched)) and re-emitted when the
 * match fails. "\r" occurs in the delimiter only at its start and the
 * boundary is printable, so a failed match can only restart at the current
 * byte. Returns the bytes consumed; the state changes at a full match. */
static size_t scan(struct multipart_parser *p, const char *data, size_t len, bool emit, cf_status *st)
{
	size_t run = 0;            /* start of the pending plain run */
	bool in_run = false;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c != p->delimiter[p->matched] && p->matched > 0) {
			if (in_run && emit && (*st = p->h->part_data(p->h->ctx, data + run, i - run)) != CF_OK)
				return i;
			in_run = false;
			if (emit && (*st = p->h->part_data(p->h->ctx, p->delimiter, p->matched)) != CF_OK)
				return i;
			p->matched = 0;
		}
		if (c == p->delimiter[p->matched]) {
			if (p->matched == 0 && in_run) {
				if (emit && (*st = p->h->part_data(p->h->ctx, data + run, i - run)) != CF_OK)
					return i;
				in_run = false;
			}
			if (++p->matched == p->delimiter_len) {
				if (p->state == S_DATA)
					*st = p->h->part_end(p->h->ctx);
				p->matched = 0;
				p->state = S_AFTER_DELIM;
				return i + 1;
			}
			continue;
		}
		if (!in_run) {
			run = i;
			in_run = true;
		}
	}
	if (in_run && emit)
		*st = p->h->part_data(p->h->ctx, data + run, len - run);
	return len;
}

cf_status multipart_feed(struct multipart_parser *p, const char *data, size_t len)
{
	cf_status st = CF_OK;
	size_t i = 0;
	while (i < len && st == CF_OK) {
		switch (p->state) {
		case S_PREAMBLE:
		case S_DATA:
			i += scan(p, data + i, len - i, p->state == S_DATA, &st);
			break;
		case S_AFTER_DELIM:
			p->state = data[i] == '-' ? S_AFTER_DELIM_DASH : data[i] == '\r' ? S_AFTER_DELIM_CR : -1;
			if (p->state < 0)
				return fail(p, "bad bytes after a boundary");
			i++;
			break;
		case S_AFTER_DELIM_DASH:
			if (data[i++] != '-')
				return fail(p, "bad bytes after a boundary");
			p->state = S_EPILOGUE;   /* the closing boundary */
			break;
		case S_AFTER_DELIM_CR:
			if (data[i++] != '\n')
				return fail(p, "bad bytes after a boundary");
			buf_reset(&p->header);
			p->state = S_HEADERS;
			break;
		case S_HEADERS: {
			if (buf_append(&p->header, data + i, 1) != CF_OK)
				return fail(p, "part headers too long");
			i++;
			size_t n = p->header.len;
			if (n == 2 && memcmp(buf_str(&p->header), "\r\n", 2) == 0)
				return fail(p, "a part without headers");
			if (n >= 4 && memcmp(buf_str(&p->header) + n - 4, "\r\n\r\n", 4) == 0) {
				p->header.data[n - 4] = '\0';
				p->header.len = n - 4;
				p->state = S_DATA;
				st = parse_headers(p);
			}
			break;
		}
		case S_EPILOGUE:
			return CF_OK;   /* anything after the closing boundary is ignored */
		default:
			return p->error ? CF_E_BAD_REQUEST : CF_E_INTERNAL;
		}
	}
	return st;
}

cf_status multipart_finish(struct multipart_parser *p)
{
	if (p->state == S_EPILOGUE)
		return CF_OK;
	return fail(p, p->state == S_PREAMBLE ? "no boundary in the body" : "the body ends inside a part");
}
