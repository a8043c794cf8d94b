/* message_role.h - the one mapping between a stored message's type and
 * its role: human <-> user, ai <-> assistant, system <-> system (docs/API.md
 * §5, the Message object). Every reader of chat_messages.message_type that
 * needs a role (the API's Message objects, webhook payloads, prompts) asks
 * here. */
#ifndef CONFAB_MESSAGE_ROLE_H
#define CONFAB_MESSAGE_ROLE_H

#include "llm.h"

/* The role of a stored type. Any other type - the schema's CHECK admits
 * none - is LLM_USER: a message of unknown origin never speaks with the
 * system's or the assistant's authority. */
enum llm_role message_role(const char *message_type);
/* Its wire name: "user", "assistant" or "system" (static). */
const char *message_role_name(const char *message_type);
/* The stored type of a role's wire name: "human", "ai" or "system"
 * (static); any other name (validation admits none) is "human", the
 * mirror of the fallback above. */
const char *message_type_of_role(const char *role);

#endif
