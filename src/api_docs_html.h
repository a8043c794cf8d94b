/* api_docs_html.h - the OpenAPI document (api_docs.h) as one self-contained
 * HTML reference page, the body of GET /api/docs/. */
#ifndef CONFAB_API_DOCS_HTML_H
#define CONFAB_API_DOCS_HTML_H

#include <json-c/json.h>

#include "buf.h"

/* Appends the whole page for doc (borrowed) to out; CF_E_TOO_LARGE when
 * it passes out's ceiling (CF_API_DOCS_PAGE_MAX for the route). */
cf_status api_docs_html(struct json_object *doc, struct buf *out) CF_MUST_CHECK;

/* The standard base64 SHA-256 of the page's one inline script, for the
 * Content-Security-Policy that lets it run (44 characters and a NUL). */
void api_docs_html_script_hash(char out[45]);

#endif
