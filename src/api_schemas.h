/* api_schemas.h - the named schemas of the OpenAPI document
 * (components.schemas): each is a JSON Schema in OpenAPI 3.0's dialect,
 * written as JSON text, that may refer to another by
 * {"$ref": "#/components/schemas/<name>"}. A route record names the
 * schema of its request body and of its success body (routes.c,
 * request_schema / response_schema); api_docs.c puts every table below
 * into the document and checks that every name a route or a $ref uses
 * exists. Names follow the seed documents where they name one
 * (ExperimentSession, PaginatedExperimentSessionList,
 * CreateChatCompletionRequest, ChatPollResponse, ...). */
#ifndef CONFAB_API_SCHEMAS_H
#define CONFAB_API_SCHEMAS_H

#include <stddef.h>

struct api_schema {
	const char *name;   /* the key under components.schemas */
	const char *json;   /* the schema as JSON text (static) */
};

/* One table per family of routes, each ended by {NULL, NULL}:
 * schemas_core.c: error bodies, sessions, experiments, participants,
 * files, health, login and OAuth; schemas_openai_chat.c: chat
 * completions, Responses, models, the chat widget API and channels. */
extern const struct api_schema api_schemas_core[];
extern const struct api_schema api_schemas_openai_chat[];

#endif
