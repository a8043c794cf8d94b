/* waiters.h - the long-poll waiter marks on the master's shared scoreboard:
 * a per-host cap on chat-task long-polls, and at most one per chat session. */
#ifndef CONFAB_WAITERS_H
#define CONFAB_WAITERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One mark per worker slot (both generations of the scoreboard): the
 * waiting worker's pid in the high 32 bits and a hash of the chat session
 * id in the low 32, 0 while the worker does not wait. A worker only ever
 * writes its own mark; the master clears the mark of a worker that died. */
struct waiter_board {
	uint64_t *marks;   /* count marks, shared; borrowed from the master */
	size_t count;
	uint64_t *self;    /* this worker's mark (one of marks) */
	int cap;           /* waiters allowed on this host at once */
};

/* The session's 32-bit hash as stored in a mark; never 0. */
uint32_t waiters_hash(const char *session_id);
/* Sets this worker's mark for session_id. False (and no mark) when cap
 * waiters already wait or another worker waits on the same session: the
 * caller answers at once. Two workers racing for the last place may both
 * be refused; never both admitted past the cap. NULL board: true. */
bool waiters_enter(struct waiter_board *b, const char *session_id);
/* Clears this worker's mark (safe to call when not waiting). */
void waiters_leave(struct waiter_board *b);
/* Marks set now. */
int waiters_count(const uint64_t *marks, size_t count);
/* Master side: clears every mark that pid left behind. */
void waiters_clear_pid(uint64_t *marks, size_t count, pid_t pid);

#endif
