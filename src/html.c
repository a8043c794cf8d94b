/* html.c - HTML escaping and the page shell. */
#include "html.h"

#include <string.h>

#include "xalloc.h"

cf_status html_escape_append(struct buf *b, const char *s)
{
	cf_status st = CF_OK;
	for (; *s && st == CF_OK; s++) {
		switch (*s) {
		case '&': st = buf_append_str(b, "&amp;"); break;
		case '<': st = buf_append_str(b, "&lt;"); break;
		case '>': st = buf_append_str(b, "&gt;"); break;
		case '"': st = buf_append_str(b, "&quot;"); break;
		case '\'': st = buf_append_str(b, "&#39;"); break;
		default: st = buf_append(b, s, 1); break;
		}
	}
	return st;
}

char *html_page(const char *title, const char *body_html)
{
	struct buf b;
	buf_init(&b, 1024 * 1024);
	cf_status st = buf_append_str(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	                                  "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	if (st == CF_OK)
		st = html_escape_append(&b, title);
	if (st == CF_OK)
		st = buf_append_str(&b, "</title><style>body{font-family:sans-serif;max-width:28em;margin:3em auto}"
		                        "label{display:block;margin:.6em 0}input,select{width:100%;padding:.3em}"
		                        "button{margin:.8em .4em 0 0;padding:.4em 1.2em}.error{color:#a00}</style>"
		                        "</head><body><h1>");
	if (st == CF_OK)
		st = html_escape_append(&b, title);
	if (st == CF_OK)
		st = buf_append_str(&b, "</h1>");
	if (st == CF_OK)
		st = buf_append_str(&b, body_html);
	if (st == CF_OK)
		st = buf_append_str(&b, "</body></html>\n");
	if (st != CF_OK) {
		buf_free(&b);
		return xstrdup("<!DOCTYPE html><title>Error</title>");
	}
	return buf_take(&b);
}
