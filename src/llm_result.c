/* llm_result.c - the parts of a provider call that llm.c and every provider
 * module share: role names on the wire, the result buffer, its finish
 * reason, delivery of reply text to the caller, and whether that caller
 * still listens. Declared in llm.h (llm_role_name, llm_result_*,
 * llm_set_finish_reason) and llm_backend.h (llm_deliver,
 * llm_listener_left). Calls no provider. */
#include "llm.h"

#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "llm_backend.h"

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

void llm_set_finish_reason(struct llm_result *r, const char *reason, size_t len)
{
	if (len == 0 || len >= sizeof r->finish_reason)
		return;
	for (size_t i = 0; i < len; i++)
		if (!((reason[i] >= 'a' && reason[i] <= 'z') || reason[i] == '_'))
			return;
	memcpy(r->finish_reason, reason, len);
	r->finish_reason[len] = '\0';
}

bool llm_listener_left(struct llm_result *r)
{
	const struct llm_call *call = r->call;
	if (!r->listener_gone && call != NULL && call->on_delta != NULL && call->listener_gone != NULL &&
	    call->listener_gone(call->delta_ctx))
		r->listener_gone = true;
	if (r->listener_gone && r->error[0] == '\0')
		snprintf(r->error, sizeof r->error, "the listener left: the stream was stopped");
	return r->listener_gone;
}

cf_status llm_deliver(const struct llm_call *call, struct llm_result *r, const char *text, size_t len)
{
	if (len == 0)
		return CF_OK;
	if (r->listener_gone)
		return CF_E_IO;
	cf_status st = buf_append(&r->text, text, len);
	if (st != CF_OK) {
		snprintf(r->error, sizeof r->error, "reply longer than %d bytes", CF_MAX_LLM_REPLY_BYTES);
		return CF_E_UPSTREAM;
	}
	r->delivered = true;
	if (call->on_delta != NULL && call->on_delta(call->delta_ctx, text, len) != CF_OK) {
		/* the piece stays in the text: it was produced (and paid for),
		 * and the client may have got it before the write failed */
		r->listener_gone = true;
		(void)llm_listener_left(r);
		return CF_E_IO;
	}
	return CF_OK;
}
