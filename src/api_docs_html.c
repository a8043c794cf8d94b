/* api_docs_html.c - GET /api/docs/: the OpenAPI document (api_docs.c)
 * rendered as one self-contained HTML reference: a contents list by tag,
 * every operation with its auth, parameters, body, responses and examples,
 * every named schema, inline CSS and a few lines of optional search JS.
 * Needs no network and no bundle; every text of the document is escaped. */
#include "api_docs_html.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "html.h"
#include "limits.h"

#define SCHEMA_PREFIX "#/components/schemas/"
#define FIELD_DEPTH_MAX 4   /* levels of nested inline objects shown; deeper ones are left out */
#define RESPONSES_MAX 48    /* statuses of one operation shown (the document has ~16) */

/* The renderer's state: the output (st sticks at the first failure, so
 * every step below may be called after one) and the document's parts. */
struct page {
	struct buf *out;
	cf_status st;
	struct json_object *doc, *schemas, *headers, *schemes;
	struct json_object *empty;   /* {} to iterate where the document has nothing */
};

/* obj, or {} when it is not an object, so json_object_object_foreach may walk it. */
#define OBJ(p, obj) (obj != NULL && json_object_is_type(obj, json_type_object) ? obj : (p)->empty)

static void put(struct page *p, const char *html)
{
	if (p->st == CF_OK)
		p->st = buf_append_str(p->out, html);
}

static void esc(struct page *p, const char *text)
{
	if (p->st == CF_OK && text != NULL)
		p->st = html_escape_append(p->out, text);
}

/* A table cell that narrow screens show as a labelled line (the CSS
 * turns data-l into "Label: "); label is a literal. */
static void td(struct page *p, const char *label)
{
	put(p, "</td><td data-l=\"");
	put(p, label);
	put(p, "\">");
}

/* A path, escaped, with a line-break chance after every '/' so long
 * paths wrap at their segments instead of mid-word. */
static void esc_path(struct page *p, const char *path)
{
	char seg[256];
	size_t k = 0;
	for (const char *c = path; c != NULL && *c != '\0'; c++) {
		seg[k++] = *c;
		if (*c == '/' || k + 1 == sizeof seg) {
			seg[k] = '\0';
			esc(p, seg);
			put(p, *c == '/' ? "<wbr>" : "");
			k = 0;
		}
	}
	seg[k] = '\0';
	esc(p, seg);
}

/* obj[key], borrowed, or NULL. */
static struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;
	return obj != NULL && json_object_is_type(obj, json_type_object) && json_object_object_get_ex(obj, key, &v)
	       ? v
	       : NULL;
}

static const char *get_str(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);
	return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The component name a schema's $ref names, or NULL. */
static const char *ref_name(struct json_object *schema)
{
	const char *ref = get_str(schema, "$ref");
	return ref != NULL && strncmp(ref, SCHEMA_PREFIX, sizeof SCHEMA_PREFIX - 1) == 0 ? ref + sizeof SCHEMA_PREFIX - 1
	                                                                                  : NULL;
}

static void schema_link(struct page *p, const char *name)
{
	put(p, "<a class=\"ref\" href=\"#schema-");
	esc(p, name);
	put(p, "\">");
	esc(p, name);
	put(p, "</a>");
}

/* value as pretty JSON in a <pre>. */
static void pre_json(struct page *p, struct json_object *value)
{
	put(p, "<pre>");
	esc(p, json_object_to_json_string_ext(value, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
	put(p, "</pre>");
}

/* A short type of schema: a link for a $ref, "array of …", "A | B" for
 * the combinations, the format and the enum values. */
static void type_of(struct page *p, struct json_object *schema, int depth)
{
	const char *name = ref_name(schema), *type = get_str(schema, "type");
	struct json_object *any = get(schema, "anyOf"), *v;
	if (any == NULL)
		any = get(schema, "oneOf");
	if (any == NULL)
		any = get(schema, "allOf");
	if (name != NULL) {
		schema_link(p, name);
	} else if (any != NULL && json_object_is_type(any, json_type_array) && depth < FIELD_DEPTH_MAX) {
		for (size_t i = 0; i < json_object_array_length(any); i++) {
			if (i > 0)
				put(p, get(schema, "allOf") == any ? " &amp; " : " | ");
			type_of(p, json_object_array_get_idx(any, i), depth + 1);
		}
	} else if (type != NULL && strcmp(type, "array") == 0) {
		put(p, "array of ");
		if (depth < FIELD_DEPTH_MAX && get(schema, "items") != NULL)
			type_of(p, get(schema, "items"), depth + 1);
		else
			put(p, "any");
	} else {
		esc(p, type != NULL ? type : "any");
	}
	if ((v = get(schema, "format")) != NULL) {
		put(p, " <span class=\"fmt\">(");
		esc(p, json_object_get_string(v));
		put(p, ")</span>");
	}
	if (get(schema, "nullable") != NULL && json_object_get_boolean(get(schema, "nullable")))
		put(p, " or null");
	if ((v = get(schema, "enum")) != NULL && json_object_is_type(v, json_type_array)) {
		put(p, "<br><span class=\"enum\">one of: ");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i > 0)
				put(p, ", ");
			put(p, "<code>");
			esc(p, json_object_to_json_string_ext(json_object_array_get_idx(v, i), JSON_C_TO_STRING_NOSLASHESCAPE));
			put(p, "</code>");
		}
		put(p, "</span>");
	}
}

/* The limits of a schema in words (maxLength, minimum, …, default). */
static void limits_of(struct page *p, struct json_object *schema)
{
	static const char *const KEYS[] = {"minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems",
	                                   "default", "pattern"};
	for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
		struct json_object *v = get(schema, KEYS[i]);
		if (v == NULL)
			continue;
		put(p, " <span class=\"lim\">");
		esc(p, KEYS[i]);
		put(p, " <code>");
		esc(p, json_object_to_json_string_ext(v, JSON_C_TO_STRING_NOSLASHESCAPE));
		put(p, "</code></span>");
	}
}

static void field_rows(struct page *p, struct json_object *schema, int depth);

/* One row per property of schema (an object), nested objects indented. */
static void property_rows(struct page *p, struct json_object *schema, int depth)
{
	struct json_object *props = get(schema, "properties"), *required = get(schema, "required");
	if (props == NULL || !json_object_is_type(props, json_type_object))
		return;
	json_object_object_foreach(OBJ(p, props), key, prop) {
		bool req = false;
		for (size_t i = 0; required != NULL && json_object_is_type(required, json_type_array) &&
		                   i < json_object_array_length(required); i++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(required, i)), key) == 0)
				req = true;
		char pad[48];
		snprintf(pad, sizeof pad, "<tr class=\"d%d\"><td><code>", depth > 5 ? 5 : depth);
		put(p, pad);
		esc(p, key);
		put(p, "</code>");
		put(p, req ? " <span class=\"req\">required</span>" : "");
		if (get(prop, "readOnly") != NULL && json_object_get_boolean(get(prop, "readOnly")))
			put(p, " <span class=\"lim\">read-only</span>");
		if (get(prop, "deprecated") != NULL && json_object_get_boolean(get(prop, "deprecated")))
			put(p, " <span class=\"req\">deprecated</span>");
		td(p, "Type");
		type_of(p, prop, 0);
		td(p, "Description");
		esc(p, get_str(prop, "description"));
		limits_of(p, prop);
		if (get(prop, "example") != NULL) {
			put(p, " <span class=\"lim\">e.g. <code>");
			esc(p, json_object_to_json_string_ext(get(prop, "example"), JSON_C_TO_STRING_NOSLASHESCAPE));
			put(p, "</code></span>");
		}
		put(p, "</td></tr>");
		field_rows(p, prop, depth + 1);
	}
}

/* The rows of an inline (not $ref) object schema, or of an array's inline
 * items; named schemas are links, shown in their own section. */
static void field_rows(struct page *p, struct json_object *schema, int depth)
{
	if (depth > FIELD_DEPTH_MAX || ref_name(schema) != NULL)
		return;
	const char *type = get_str(schema, "type");
	if (type != NULL && strcmp(type, "array") == 0) {
		field_rows(p, get(schema, "items"), depth);
		return;
	}
	property_rows(p, schema, depth);
	struct json_object *all = get(schema, "allOf");
	for (size_t i = 0; all != NULL && json_object_is_type(all, json_type_array) && i < json_object_array_length(all); i++)
		field_rows(p, json_object_array_get_idx(all, i), depth);
}

/* A schema's description, its field table and its example. */
static void schema_body(struct page *p, struct json_object *schema)
{
	const char *d = get_str(schema, "description");
	if (d != NULL) {
		put(p, "<p>");
		esc(p, d);
		put(p, "</p>");
	}
	struct json_object *props = get(schema, "properties");
	bool fields = (props != NULL && json_object_object_length(props) > 0) || get(schema, "allOf") != NULL ||
	              get(get(schema, "items"), "properties") != NULL;
	put(p, "<p class=\"ty\">Type: ");
	type_of(p, schema, 0);
	limits_of(p, schema);
	put(p, "</p>");
	if (fields) {
		put(p, "<div class=\"tw\"><table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead>"
		       "<tbody>");
		field_rows(p, schema, 0);
		put(p, "</tbody></table></div>");
	}
	struct json_object *ap = get(schema, "additionalProperties");
	if (ap != NULL && json_object_is_type(ap, json_type_object)) {
		put(p, "<p class=\"ty\">Other keys: ");
		type_of(p, ap, 0);
		put(p, "</p>");
	}
	if (get(schema, "example") != NULL) {
		put(p, "<p class=\"ex\">Example</p>");
		pre_json(p, get(schema, "example"));
	}
}

/* The schema of a media entry: a link and, for a named schema, its
 * fields (so the operation reads without jumping); examples too. */
static void media_schema(struct page *p, struct json_object *media)
{
	struct json_object *schema = get(media, "schema");
	const char *name = ref_name(schema);
	struct json_object *target = name != NULL ? get(p->schemas, name) : schema;
	if (name != NULL) {
		put(p, "<p class=\"ty\">Schema: ");
		schema_link(p, name);
		put(p, "</p>");
	}
	if (target != NULL)
		schema_body(p, target);
	if (get(media, "example") != NULL)
		pre_json(p, get(media, "example"));
}

static void security_list(struct page *p, struct json_object *op)
{
	struct json_object *sec = get(op, "security");
	size_t n = sec != NULL && json_object_is_type(sec, json_type_array) ? json_object_array_length(sec) : 0;
	put(p, "<h4>Auth</h4>");
	if (n == 0 || (n == 1 && json_object_object_length(json_object_array_get_idx(sec, 0)) == 0)) {
		put(p, "<p>None: no credentials.</p>");
		return;
	}
	put(p, "<p>Any one of:</p><ul class=\"auth\">");
	for (size_t i = 0; i < n; i++) {
		struct json_object *req = json_object_array_get_idx(sec, i);
		if (json_object_object_length(req) == 0) {
			put(p, "<li>or no credentials (anonymous)</li>");
			continue;
		}
		json_object_object_foreach(OBJ(p, req), scheme, scopes) {
			put(p, "<li><a href=\"#auth-");
			esc(p, scheme);
			put(p, "\">");
			esc(p, scheme);
			put(p, "</a>");
			struct json_object *in = get(p->schemes, scheme);
			if (get_str(in, "name") != NULL) {
				put(p, " <code>");
				esc(p, get_str(in, "name"));
				put(p, "</code>");
			}
			for (size_t k = 0; json_object_is_type(scopes, json_type_array) && k < json_object_array_length(scopes); k++) {
				put(p, k == 0 ? " scope " : ", ");
				put(p, "<code>");
				esc(p, json_object_get_string(json_object_array_get_idx(scopes, k)));
				put(p, "</code>");
			}
			put(p, "</li>");
		}
	}
	put(p, "</ul>");
}

static void parameters(struct page *p, struct json_object *op)
{
	struct json_object *params = get(op, "parameters");
	if (params == NULL || json_object_array_length(params) == 0)
		return;
	put(p, "<h4>Parameters</h4><div class=\"tw\"><table><thead><tr><th>Name</th><th>In</th><th>Type</th>"
	       "<th>Description</th></tr></thead><tbody>");
	for (size_t i = 0; i < json_object_array_length(params); i++) {
		struct json_object *par = json_object_array_get_idx(params, i);
		put(p, "<tr><td><code>");
		esc(p, get_str(par, "name"));
		put(p, "</code>");
		if (get(par, "required") != NULL && json_object_get_boolean(get(par, "required")))
			put(p, " <span class=\"req\">required</span>");
		td(p, "In");
		esc(p, get_str(par, "in"));
		td(p, "Type");
		type_of(p, get(par, "schema"), 0);
		td(p, "Description");
		esc(p, get_str(par, "description"));
		limits_of(p, get(par, "schema"));
		put(p, "</td></tr>");
	}
	put(p, "</tbody></table></div>");
}

static void request_body(struct page *p, struct json_object *op)
{
	struct json_object *body = get(op, "requestBody");
	if (body == NULL)
		return;
	bool required = get(body, "required") != NULL && json_object_get_boolean(get(body, "required"));
	put(p, "<h4>Request body</h4>");
	json_object_object_foreach(OBJ(p, get(body, "content")), media_type, media) {
		put(p, "<p class=\"ty\"><code>");
		esc(p, media_type);
		put(p, "</code>");
		put(p, required ? " (required)" : " (optional)");
		put(p, "</p>");
		media_schema(p, media);
	}
}

/* The response headers of resp as links to their descriptions. */
static void header_names(struct page *p, struct json_object *resp)
{
	struct json_object *h = get(resp, "headers");
	if (h == NULL)
		return;
	json_object_object_foreach(OBJ(p, h), name, val) {
		(void)val;
		put(p, " <a class=\"hd\" href=\"#header-");
		esc(p, name);
		put(p, "\"><code>");
		esc(p, name);
		put(p, "</code></a>");
	}
}

/* The body schemas of resp, as links. */
static void body_links(struct page *p, struct json_object *resp)
{
	json_object_object_foreach(OBJ(p, get(resp, "content")), media_type, media) {
		put(p, "<code>");
		esc(p, media_type);
		put(p, "</code> ");
		type_of(p, get(media, "schema"), 0);
		put(p, " ");
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 2xx and 3xx in full; the errors as one table; both in status order
 * (three digits sort as text; "default" last). */
static void responses(struct page *p, struct json_object *op)
{
	struct json_object *all = get(op, "responses");
	const char *codes[RESPONSES_MAX];
	size_t n = 0;
	json_object_object_foreach(OBJ(p, all), key, val) {
		(void)val;
		if (n < RESPONSES_MAX)
			codes[n++] = key;
	}
	qsort(codes, n, sizeof codes[0], cmp_str);
	put(p, "<h4>Responses</h4>");
	for (size_t i = 0; i < n; i++) {
		const char *code = codes[i];
		struct json_object *resp = get(all, code);
		if (code[0] != '2' && code[0] != '3')
			continue;
		put(p, "<div class=\"resp\"><p><span class=\"st ok\">");
		esc(p, code);
		put(p, "</span> ");
		esc(p, get_str(resp, "description"));
		if (get(resp, "headers") != NULL)
			put(p, "; headers:");
		header_names(p, resp);
		put(p, "</p>");
		json_object_object_foreach(OBJ(p, get(resp, "content")), media_type, media) {
			put(p, "<p class=\"ty\"><code>");
			esc(p, media_type);
			put(p, "</code></p>");
			media_schema(p, media);
		}
		put(p, "</div>");
	}
	put(p, "<div class=\"tw\"><table class=\"errs\"><thead><tr><th>Status</th><th>When</th><th>Body</th>"
	       "<th>Headers</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const char *code = codes[i];
		struct json_object *resp = get(all, code);
		if (code[0] == '2' || code[0] == '3')
			continue;
		put(p, "<tr><td><span class=\"st\">");
		esc(p, code);
		put(p, "</span>");
		td(p, "When");
		esc(p, get_str(resp, "description"));
		td(p, "Body");
		body_links(p, resp);
		td(p, "Headers");
		header_names(p, resp);
		put(p, "</td></tr>");
	}
	put(p, "</tbody></table></div>");
}

/* The method of an operation, upper case, in out (at least 8 bytes). */
static void method_upper(const char *method, char *out, size_t size)
{
	size_t k = 0;
	for (; method[k] && k + 1 < size; k++)
		out[k] = (char)(method[k] >= 'a' && method[k] <= 'z' ? method[k] - 32 : method[k]);
	out[k] = '\0';
}

static const char *op_tag(struct json_object *op)
{
	struct json_object *tags = get(op, "tags");
	return tags != NULL && json_object_array_length(tags) > 0 ? json_object_get_string(json_object_array_get_idx(tags, 0))
	                                                          : "Other";
}

static void operation(struct page *p, const char *path, const char *method, struct json_object *op)
{
	char m[16];
	method_upper(method, m, sizeof m);
	put(p, "<article class=\"op\" id=\"op-");
	esc(p, get_str(op, "operationId"));
	put(p, "\"><h3><span class=\"m m-");
	esc(p, method);
	put(p, "\">");
	esc(p, m);
	put(p, "</span> <code class=\"path\">");
	esc_path(p, path);
	put(p, "</code>");
	if (get(op, "deprecated") != NULL && json_object_get_boolean(get(op, "deprecated")))
		put(p, " <span class=\"req\">deprecated</span>");
	put(p, "</h3><p class=\"sum\">");
	esc(p, get_str(op, "summary"));
	put(p, "</p>");
	if (get_str(op, "description") != NULL) {
		put(p, "<p>");
		esc(p, get_str(op, "description"));
		put(p, "</p>");
	}
	security_list(p, op);
	parameters(p, op);
	request_body(p, op);
	responses(p, op);
	put(p, "</article>");
}

/* The tags of the operations, in the order they first appear; at most
 * max, as borrowed strings. */
static size_t tag_list(struct page *p, struct json_object *paths, const char **tags, size_t max)
{
	size_t n = 0;
	json_object_object_foreach(OBJ(p, paths), path, item) {
		(void)path;
		json_object_object_foreach(OBJ(p, item), method, op) {
			(void)method;
			const char *t = op_tag(op);
			size_t i = 0;
			while (i < n && strcmp(tags[i], t) != 0)
				i++;
			if (i == n && n < max)
				tags[n++] = t;
		}
	}
	return n;
}

/* A tag as an id fragment: letters and digits, the rest '-'. */
static void tag_id(struct page *p, const char *tag)
{
	char id[64];
	size_t k = 0;
	for (; tag[k] && k + 1 < sizeof id; k++) {
		char c = tag[k];
		id[k] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '-';
	}
	id[k] = '\0';
	put(p, "tag-");
	put(p, id);
}

/* Calls fn for every operation of paths whose first tag is tag, in the
 * document's order. */
static void ops_of_tag(struct page *p, struct json_object *paths, const char *tag,
                       void (*fn)(struct page *, const char *path, const char *method, struct json_object *op))
{
	json_object_object_foreach(OBJ(p, paths), path, item) {
		json_object_object_foreach(OBJ(p, item), method, op) {
			if (strcmp(op_tag(op), tag) == 0)
				fn(p, path, method, op);
		}
	}
}

/* One operation in the contents: its method and path, linked. */
static void contents_entry(struct page *p, const char *path, const char *method, struct json_object *op)
{
	char m[16];
	method_upper(method, m, sizeof m);
	put(p, "<li><a href=\"#op-");
	esc(p, get_str(op, "operationId"));
	put(p, "\"><span class=\"m m-");
	esc(p, method);
	put(p, "\">");
	esc(p, m);
	put(p, "</span> <span>");
	esc_path(p, path);
	put(p, "</span></a></li>");
}

/* Wide screens: a sticky contents column beside the reference. Narrow
 * screens (< 600 px): the contents fold into a <details>, every table row
 * becomes a card of labelled lines (data-l). Examples wrap at every
 * width, so no text hides in a sideways scroll. */
static const char CSS[] =
	"*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}"
	"body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2430;background:#fff}"
	"a{color:#0b5cad}code,pre{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:.88em}"
	"code{overflow-wrap:break-word}.ref,.lim code,.enum code{overflow-wrap:anywhere}"
	"pre{background:#f4f6f8;border:1px solid #dde2e8;border-radius:6px;padding:.6em .8em;overflow:auto;max-height:32em;"
	"white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%;font-size:.84em}"
	"header.top{padding:1em 1.2em;border-bottom:1px solid #dde2e8;background:#f8fafc}"
	"header.top h1{margin:0 0 .2em;font-size:1.5em}header.top p{margin:.3em 0;max-width:60em}"
	".ver{font-size:.6em;color:#5b6573;font-weight:normal}"
	"#q{width:100%;font:inherit;padding:.45em .7em;border:1px solid #b8c0ca;border-radius:6px;margin:.3em 0}"
	"#none{margin:.2em 0;color:#b42318}"
	".layout{display:block}"
	"nav.toc{padding:.6em 1.2em;border-bottom:1px solid #dde2e8}nav.toc summary{cursor:pointer;font-weight:600}"
	"nav.toc h2{font-size:.8em;text-transform:uppercase;letter-spacing:.05em;color:#5b6573;margin:1em 0 .3em}"
	"nav.toc ul{list-style:none;margin:0;padding:0}nav.toc li{margin:.2em 0;font-size:.9em}nav.toc a{text-decoration:none}"
	"nav.toc li a{display:flex;gap:.4em;align-items:baseline}"
	"nav.toc li a span:last-child{min-width:0;overflow-wrap:anywhere}nav.toc .m{flex:none}"
	"main{padding:0 1.2em 3em;min-width:0}"
	"section.tag>h2,#schemas>h2,#auth>h2,#headers>h2{border-bottom:2px solid #dde2e8;padding-bottom:.2em;margin-top:1.6em}"
	"article.op,section.schema{border:1px solid #dde2e8;border-radius:8px;padding:.4em 1em .8em;margin:1em 0;"
	"min-width:0;scroll-margin-top:.5em}"
	"article.op h3,section.schema h3{margin:.5em 0 .2em;font-size:1.1em;overflow-wrap:anywhere}"
	"h4{margin:1em 0 .3em;font-size:.95em;color:#3a4452}"
	".m{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;padding:0 .4em;color:#fff;"
	"font-size:.8em;font-weight:700;vertical-align:.1em;background:#5b6573;font-family:ui-monospace,monospace}"
	".m-get{background:#1f7a3d}.m-post{background:#0b5cad}.m-put,.m-patch{background:#9a5b00}.m-delete{background:#b42318}"
	".sum{margin:.2em 0;font-weight:500}"
	".tw{overflow-x:auto;max-width:100%}table{border-collapse:collapse;width:100%;font-size:.9em;margin:.3em 0}"
	"th,td{border:1px solid #dde2e8;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f4f6f8}"
	"td{overflow-wrap:break-word}"
	".d1>td:first-child{padding-left:1.6em}.d2>td:first-child{padding-left:2.6em}"
	".d3>td:first-child{padding-left:3.6em}.d4>td:first-child,.d5>td:first-child{padding-left:4.6em}"
	".req{color:#b42318;font-size:.8em;font-weight:600}.fmt,.lim,.enum{color:#5b6573;font-size:.9em}"
	".st{display:inline-block;font-weight:700;font-family:ui-monospace,monospace;color:#b42318}.st.ok{color:#1f7a3d}"
	".resp{border-left:3px solid #1f7a3d;padding-left:.7em;margin:.5em 0}.ty,.ex{margin:.3em 0}.ex{font-weight:600}"
	"ul.auth{margin:.2em 0;padding-left:1.3em}"
	"[hidden]{display:none!important}"
	"@media(max-width:599px){header.top,nav.toc{padding-left:.8em;padding-right:.8em}main{padding:0 .8em 3em}"
	"article.op,section.schema{padding:.3em .7em .7em}"
	".tw table,.tw tbody,.tw tr,.tw td{display:block;width:auto}.tw thead{display:none}"
	".tw tr{border:1px solid #dde2e8;border-radius:6px;margin:.4em 0;padding:.3em .6em}"
	".tw td{border:0;padding:.1em 0!important}.tw td:empty{display:none}"
	".tw td[data-l]::before{content:attr(data-l) \": \";color:#5b6573;font-size:.85em}.tw td:first-child{font-weight:600}"
	"header.top h1{font-size:1.3em}"
	".tw tr.d1{margin-left:.8em}.tw tr.d2{margin-left:1.6em}.tw tr.d3,.tw tr.d4,.tw tr.d5{margin-left:2.4em}}"
	"@media(min-width:600px){td:first-child>code{white-space:nowrap}}"
	"@media(min-width:900px){.layout{display:grid;grid-template-columns:19em minmax(0,1fr)}"
	"nav.toc{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;border-bottom:0;"
	"border-right:1px solid #dde2e8;padding-top:0}.srch{position:sticky;top:0;background:#fff;padding-top:.6em}"
	"main{padding:0 2em 3em}}";

/* Filters operations, schemas and their contents entries by the search
 * text, hides the groups left empty and says when nothing matches; opens
 * the contents on wide screens. The page reads in full without it. */
static const char JS[] =
	"(function(){var d=document,q=d.getElementById('q'),toc=d.getElementById('toc'),none=d.getElementById('none');"
	"if(window.matchMedia('(min-width:900px)').matches)toc.open=true;"
	"q.hidden=false;q.addEventListener('input',function(){var t=q.value.trim().toLowerCase(),n=0;"
	"d.querySelectorAll('article.op,section.schema').forEach(function(e){"
	"var hit=!t||e.textContent.toLowerCase().indexOf(t)>=0;e.hidden=!hit;if(hit)n++;"
	"var a=d.querySelector('nav.toc a[href=\"#'+e.id+'\"]');if(a)a.parentNode.hidden=!hit;});"
	"d.querySelectorAll('section.tag').forEach(function(s){s.hidden=!s.querySelector('article.op:not([hidden])');});"
	"d.getElementById('schemas').hidden=!d.querySelector('section.schema:not([hidden])');"
	"d.querySelectorAll('nav.toc .tg').forEach(function(g){g.hidden=!g.querySelector('li:not([hidden])');});"
	"none.hidden=n>0;});})();";

void api_docs_html_script_hash(char out[45])
{
	sha256_base64(JS, sizeof JS - 1, out);
}

cf_status api_docs_html(struct json_object *doc, struct buf *out)
{
	struct json_object *components = get(doc, "components"), *info = get(doc, "info"), *paths = get(doc, "paths");
	struct page pg = {out, CF_OK, doc, get(components, "schemas"), get(components, "headers"),
	                  get(components, "securitySchemes"), json_object_new_object()};
	struct page *p = &pg;
	const char *tags[64];
	size_t ntags = tag_list(p, paths, tags, sizeof tags / sizeof tags[0]);

	put(p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	esc(p, get_str(info, "title"));
	put(p, " reference</title><style>");
	put(p, CSS);
	put(p, "</style></head><body><header class=\"top\"><h1>");
	esc(p, get_str(info, "title"));
	put(p, " <span class=\"ver\">");
	esc(p, get_str(info, "version"));
	put(p, "</span></h1><p>");
	esc(p, get_str(info, "description"));
	put(p, "</p>");
	struct json_object *servers = get(doc, "servers");
	if (servers != NULL && json_object_is_type(servers, json_type_array) && json_object_array_length(servers) > 0 &&
	    get_str(json_object_array_get_idx(servers, 0), "url") != NULL) {
		put(p, "<p>Base URL: <code>");
		esc(p, get_str(json_object_array_get_idx(servers, 0), "url"));
		put(p, "</code></p>");
	}
	put(p, "<p>Machine-readable: <a href=\"../schema/\">the OpenAPI 3 document</a> (JSON), for client "
	       "generators and viewers.</p></header><div class=\"layout\"><nav class=\"toc\">"
	       "<div class=\"srch\"><input type=\"search\" id=\"q\" hidden placeholder=\"Search, e.g. poll\" "
	       "aria-label=\"Search operations and schemas\"><p id=\"none\" hidden>Nothing matches.</p></div>"
	       "<details id=\"toc\"><summary>Contents</summary>"
	       "<h2><a href=\"#auth\">Authentication</a></h2>");
	for (size_t t = 0; t < ntags; t++) {
		put(p, "<div class=\"tg\"><h2><a href=\"#");
		tag_id(p, tags[t]);
		put(p, "\">");
		esc(p, tags[t]);
		put(p, "</a></h2><ul>");
		ops_of_tag(p, paths, tags[t], contents_entry);
		put(p, "</ul></div>");
	}
	put(p, "<div class=\"tg\"><h2><a href=\"#schemas\">Schemas</a></h2><ul>");
	json_object_object_foreach(OBJ(p, pg.schemas), sname, sval) {
		(void)sval;
		put(p, "<li><a href=\"#schema-");
		esc(p, sname);
		put(p, "\">");
		esc(p, sname);
		put(p, "</a></li>");
	}
	put(p, "</ul></div><h2><a href=\"#headers\">Response headers</a></h2></details></nav><main>");

	put(p, "<section id=\"auth\"><h2>Authentication</h2><p>Each operation lists the schemes it accepts; "
	       "one of them is enough.</p><div class=\"tw\"><table><thead><tr><th>Scheme</th><th>How to send it</th>"
	       "<th>Scopes</th></tr></thead><tbody>");
	json_object_object_foreach(OBJ(p, pg.schemes), scheme, def) {
		put(p, "<tr id=\"auth-");
		esc(p, scheme);
		put(p, "\"><td>");
		esc(p, scheme);
		td(p, "How to send it");
		const char *type = get_str(def, "type");
		if (type != NULL && strcmp(type, "apiKey") == 0) {
			esc(p, get_str(def, "in"));
			put(p, " <code>");
			esc(p, get_str(def, "name"));
			put(p, "</code>");
		} else if (type != NULL && strcmp(type, "http") == 0) {
			put(p, "header <code>Authorization: ");
			esc(p, strcmp(get_str(def, "scheme") ? get_str(def, "scheme") : "", "bearer") == 0 ? "Bearer"
			                                                                                 : get_str(def, "scheme"));
			put(p, " &lt;token&gt;</code>");
		} else {
			put(p, "OAuth 2 bearer token (header <code>Authorization: Bearer &lt;token&gt;</code>):");
			json_object_object_foreach(OBJ(p, get(def, "flows")), flow, fdef) {
				put(p, "<br>");
				esc(p, flow);
				put(p, ": token <code>");
				esc(p, get_str(fdef, "tokenUrl"));
				put(p, "</code>");
				if (get_str(fdef, "authorizationUrl") != NULL) {
					put(p, ", authorize <code>");
					esc(p, get_str(fdef, "authorizationUrl"));
					put(p, "</code>");
				}
			}
		}
		if (get_str(def, "description") != NULL) {
			put(p, "<br>");
			esc(p, get_str(def, "description"));
		}
		td(p, "Scopes");
		struct json_object *flows = get(def, "flows"), *scopes = NULL;
		json_object_object_foreach(OBJ(p, flows), f, fd) {
			(void)f;
			if (scopes == NULL)
				scopes = get(fd, "scopes");
		}
		json_object_object_foreach(OBJ(p, scopes), scope, sdesc) {
			put(p, "<code>");
			esc(p, scope);
			put(p, "</code> ");
			esc(p, json_object_get_string(sdesc));
			put(p, "<br>");
		}
		put(p, "</td></tr>");
	}
	put(p, "</tbody></table></div></section>");

	for (size_t t = 0; t < ntags; t++) {
		put(p, "<section class=\"tag\"><h2 id=\"");
		tag_id(p, tags[t]);
		put(p, "\">");
		esc(p, tags[t]);
		put(p, "</h2>");
		ops_of_tag(p, paths, tags[t], operation);
		put(p, "</section>");
	}

	put(p, "<section id=\"schemas\"><h2>Schemas</h2>");
	json_object_object_foreach(OBJ(p, pg.schemas), name, schema) {
		put(p, "<section class=\"schema\" id=\"schema-");
		esc(p, name);
		put(p, "\"><h3>");
		esc(p, name);
		put(p, "</h3>");
		schema_body(p, schema);
		put(p, "</section>");
	}
	put(p, "</section><section id=\"headers\"><h2>Response headers</h2><div class=\"tw\"><table><thead><tr>"
	       "<th>Header</th><th>Type</th><th>Meaning</th></tr></thead><tbody>");
	json_object_object_foreach(OBJ(p, pg.headers), hname, hdef) {
		put(p, "<tr id=\"header-");
		esc(p, hname);
		put(p, "\"><td><code>");
		esc(p, hname);
		put(p, "</code>");
		td(p, "Type");
		type_of(p, get(hdef, "schema"), 0);
		td(p, "Meaning");
		esc(p, get_str(hdef, "description"));
		put(p, "</td></tr>");
	}
	put(p, "</tbody></table></div></section></main></div><script>");
	put(p, JS);
	put(p, "</script></body></html>\n");
	json_object_put(pg.empty);
	return pg.st;
}
