/* schemas_openai_chat.c - stub so the core half links; the schemas of the
 * OpenAI routes, the chat widget API and the channels are another part's
 * (issue 20) and replace this file at the merge. */
#include "api_schemas.h"

const struct api_schema api_schemas_openai_chat[] = {
	{NULL, NULL},
};
