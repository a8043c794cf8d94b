/* llm.c - provider dispatch: picks the module for a provider type. */
#include "llm.h"

#include <stdio.h>
#include <string.h>

#include "limits.h"
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

const char *llm_role_name(enum llm_role role)
{
	switch (role) {
	case LLM_SYSTEM:
		return "system";
	case LLM_ASSISTANT:
		return "assistant";
	case LLM_USER:
		break;
	}
	return "user";
}

void llm_result_init(struct llm_result *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->text, CF_MAX_LLM_REPLY_BYTES);
}

void llm_result_free(struct llm_result *r)
{
	buf_free(&r->text);
}

cf_status llm_deliver(const struct llm_call *call, struct llm_result *r, const char *text, size_t len)
{
	if (len == 0)
		return CF_OK;
	cf_status st = buf_append(&r->text, text, len);
	if (st != CF_OK) {
		snprintf(r->error, sizeof r->error, "reply longer than %d bytes", CF_MAX_LLM_REPLY_BYTES);
		return CF_E_UPSTREAM;
	}
	r->delivered = true;
	if (call->on_delta != NULL && !r->listener_gone && call->on_delta(call->delta_ctx, text, len) != CF_OK)
		r->listener_gone = true;   /* keep collecting: the reply is stored */
	return CF_OK;
}

cf_status llm_complete(const struct llm_call *call, struct llm_result *r)
{
	const struct backend *b = backend_for(call->provider->type);
	if (b == NULL) {
		snprintf(r->error, sizeof r->error, "unknown provider type \"%s\"", call->provider->type);
		return CF_E_CONFIG;
	}
	return b->complete(call, r);
}
