/* waiters.c - long-poll waiter marks (see waiters.h). Sequentially
 * consistent atomics: a worker publishes its mark before it counts, so of
 * two workers entering at once each sees the other. */
#include "waiters.h"

#include <unistd.h>

uint32_t waiters_hash(const char *session_id)
{
	uint32_t h = 2166136261u;   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)session_id; *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h != 0 ? h : 1;
}

int waiters_count(const uint64_t *marks, size_t count)
{
	int n = 0;
	for (size_t i = 0; i < count; i++)
		if (__atomic_load_n(&marks[i], __ATOMIC_SEQ_CST) != 0)
			n++;
	return n;
}

bool waiters_enter(struct waiter_board *b, const char *session_id)
{
	if (b == NULL || b->marks == NULL || b->self == NULL)
		return true;
	uint32_t h = waiters_hash(session_id);
	uint64_t mine = ((uint64_t)(uint32_t)getpid() << 32) | h;
	__atomic_store_n(b->self, mine, __ATOMIC_SEQ_CST);
	int n = 0;
	bool same_session = false;
	for (size_t i = 0; i < b->count; i++) {
		uint64_t v = __atomic_load_n(&b->marks[i], __ATOMIC_SEQ_CST);
		if (v == 0)
			continue;
		n++;
		if (&b->marks[i] != b->self && (uint32_t)v == h)
			same_session = true;
	}
	if (same_session || n > b->cap) {
		__atomic_store_n(b->self, 0, __ATOMIC_SEQ_CST);
		return false;
	}
	return true;
}

void waiters_leave(struct waiter_board *b)
{
	if (b != NULL && b->self != NULL)
		__atomic_store_n(b->self, 0, __ATOMIC_SEQ_CST);
}

void waiters_clear_pid(uint64_t *marks, size_t count, pid_t pid)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t v = __atomic_load_n(&marks[i], __ATOMIC_SEQ_CST);
		if (v != 0 && (uint32_t)(v >> 32) == (uint32_t)pid)
			__atomic_compare_exchange_n(&marks[i], &v, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}
