/* llm.c - provider dispatch: picks the module for a provider type. What the
 * provider modules call back (role names, the result, delivery of text) is
 * in llm_result.c, so dispatch and providers form no circle. */
#include "llm.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "llm_backend.h"
#include "metrics.h"

struct backend {
	const char *type;
	cf_status (*complete)(const struct llm_call *call, struct llm_result *r);
	bool json_formats;   /* honours json_object and json_schema */
};

static const struct backend backends[] = {
	{"openai", llm_openai_complete, true},
	{"azure", llm_openai_complete, true},
	{"anthropic", llm_anthropic_complete, false},
	{"local", llm_local_complete, true},
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

bool llm_format_supported(const char *type, enum llm_format format)
{
	const struct backend *b = backend_for(type);
	return b != NULL && (format == LLM_FORMAT_TEXT || b->json_formats);
}

cf_status llm_complete(const struct llm_call *call, struct llm_result *r)
{
	const struct backend *b = backend_for(call->provider->type);
	if (b == NULL) {
		snprintf(r->error, sizeof r->error, "unknown provider type \"%s\"", call->provider->type);
		return CF_E_CONFIG;
	}
	if (call->format != NULL && !llm_format_supported(b->type, call->format->type)) {
		snprintf(r->error, sizeof r->error, "provider type \"%s\" cannot honour the response format", b->type);
		return CF_E_CONFIG;
	}
	r->call = call;   /* the transport asks it whether the listener is still there */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cf_status st = b->complete(call, r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* by the backend's type: a bounded label (the model is the team's free text) */
	metrics_llm_call(b->type, st, seconds, r->have_usage ? r->prompt_tokens : -1,
	                 r->have_usage ? r->completion_tokens : -1);
	return st;
}
