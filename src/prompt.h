/* prompt.h - renders a chatbot's system prompt template: the variables of
 * docs/API.md §12.2 are replaced, any other brace text is kept
 * as written. */
#ifndef CONFAB_PROMPT_H
#define CONFAB_PROMPT_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "status.h"

struct prompt_vars {
	const char *participant_data;   /* JSON object text; borrowed */
	const char *session_state;      /* JSON object text; borrowed */
	const char *source_material;    /* plain text; borrowed */
	time_t now;                     /* {current_datetime} */
};

/* Appends the rendered template to out (CF_E_TOO_LARGE past its ceiling). */
cf_status prompt_render(const char *tmpl, const struct prompt_vars *vars, struct buf *out) CF_MUST_CHECK;

/* True when tmpl mentions {name...} (so callers load only what is used). */
bool prompt_uses(const char *tmpl, const char *name);

#endif
