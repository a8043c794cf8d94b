/* llm.c - provider dispatch: picks the module for a provider type. What the
 * provider modules call back (role names, the result, delivery of text) is
 * in llm_result.c, so dispatch and providers form no circle. */
#include "llm.h"

#include <stdio.h>
#include <string.h>

#include "llm_backend.h"

struct backend {
	const char *type;
	cf_status (*complete)(const struct llm_call *call, struct llm_result *r);
};

static const struct backend backends[] = {
	{"openai", llm_openai_complete},
	{"azure", llm_openai_complete},
	{"anthropic", llm_anthropic_complete},
	{"local", llm_local_complete},
};

static const struct backend *backend_for(const char *type)
{
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (strcmp(backends[i].type, type) == 0)
			return &backends[i];
	return NULL;
}

bool llm_type_known(const char *type)
{
	return backend_for(type) != NULL;
}

cf_status llm_complete(const struct llm_call *call, struct llm_result *r)
{
	const struct backend *b = backend_for(call->provider->type);
	if (b == NULL) {
		snprintf(r->error, sizeof r->error, "unknown provider type \"%s\"", call->provider->type);
		return CF_E_CONFIG;
	}
	r->call = call;   /* the transport asks it whether the listener is still there */
	return b->complete(call, r);
}
