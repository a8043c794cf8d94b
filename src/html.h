/* html.h - the few server-rendered pages (login, OAuth consent, errors):
 * escaping and one page shell. */
#ifndef CONFAB_HTML_H
#define CONFAB_HTML_H

#include "buf.h"

/* Appends s to b with &, <, >, " and ' escaped. */
cf_status html_escape_append(struct buf *b, const char *s) CF_MUST_CHECK;
/* A complete page: title (escaped) around body_html (already safe HTML).
 * Caller frees. */
char *html_page(const char *title, const char *body_html);

#endif
