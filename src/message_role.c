/* message_role.c - message type <-> role (see message_role.h), one table. */
#include "message_role.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *type;
	enum llm_role role;
} ROLES[] = {
	{"human", LLM_USER},
	{"ai", LLM_ASSISTANT},
	{"system", LLM_SYSTEM},
};
#define NROLES (sizeof ROLES / sizeof ROLES[0])

enum llm_role message_role(const char *message_type)
{
	for (size_t i = 0; i < NROLES; i++)
		if (strcmp(ROLES[i].type, message_type) == 0)
			return ROLES[i].role;
	return LLM_USER;
}

const char *message_role_name(const char *message_type)
{
	return llm_role_name(message_role(message_type));
}

const char *message_type_of_role(const char *role)
{
	for (size_t i = 0; i < NROLES; i++)
		if (strcmp(llm_role_name(ROLES[i].role), role) == 0)
			return ROLES[i].type;
	return ROLES[0].type;
}
