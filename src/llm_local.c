/* llm_local.c - the built-in offline provider: answers deterministically,
 * without network, by quoting the user's last message. It lets a new
 * installation (and the dev stack's demo chatbot) answer before any real
 * provider is configured. Streams word by word like a real model. */
#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "llm_backend.h"

static long count_words(const char *s)
{
	long n = 0;
	bool in_word = false;
	for (; *s; s++) {
		bool space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
		if (!space && !in_word)
			n++;
		in_word = !space;
	}
	return n;
}

cf_status llm_local_complete(const struct llm_call *call, struct llm_result *r)
{
	const char *last = "";
	long prompt_words = count_words(call->system_prompt ? call->system_prompt : "");
	for (size_t i = 0; i < call->nturns; i++) {
		prompt_words += count_words(call->turns[i].text);
		if (call->turns[i].role == LLM_USER)
			last = call->turns[i].text;
	}
	struct buf reply;
	buf_init(&reply, CF_MAX_LLM_REPLY_BYTES);
	cf_status st = buf_append_str(&reply, "You said: ");
	if (st == CF_OK)
		st = buf_append_str(&reply, last);
	if (st != CF_OK) {
		snprintf(r->error, sizeof r->error, "reply too long");
		buf_free(&reply);
		return CF_E_UPSTREAM;
	}
	/* hand it over in word-sized pieces, each with its following spaces */
	const char *p = buf_str(&reply);
	while (st == CF_OK && *p) {
		size_t n = strcspn(p, " \n");
		n += strspn(p + n, " \n");
		st = llm_deliver(call, r, p, n);
		p += n;
	}
	r->have_usage = true;
	r->prompt_tokens = prompt_words;
	r->completion_tokens = count_words(buf_str(&reply));
	buf_free(&reply);
	return st;
}
