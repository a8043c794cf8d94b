/* read_cache.h - this process's bounded cache of rendered reads: the
 * messages and tags of a chat, the Experiment JSON of a chatbot. An entry is
 * keyed by (kind, id) and carries the version counter and the base URL it
 * was rendered for; a lookup names the version it has just read from the
 * database in the same statement as the row that points here
 * (sql/008_read_versions.sql), so a change made through any host is seen
 * at once. Least recently used entries go first past read_cache_mb.
 * One process, one request at a time: no locking. */
#ifndef CONFAB_READ_CACHE_H
#define CONFAB_READ_CACHE_H

#include <stdbool.h>
#include <stddef.h>

enum read_cache_kind {
	READ_CACHE_CHAT_TAGS,      /* value: JSON text of the chat's tag names */
	READ_CACHE_CHAT_MESSAGES,  /* value: struct rendered_chat (sessions.c) */
	READ_CACHE_CHATBOT,        /* value: JSON text of the Experiment object */
	READ_CACHE_KINDS
};

typedef void (*read_cache_free_fn)(void *value);

/* Sets the byte budget (0 turns the cache off); empties the cache. */
void read_cache_configure(size_t max_bytes);
/* The value stored for (kind, id) when it was stored for exactly version
 * and base, else NULL. The value stays valid until the next put or clear. */
const void *read_cache_get(enum read_cache_kind kind, unsigned long long id, unsigned long long version,
                           const char *base);
/* Takes value over (bytes: its size, for the budget) and stores it for
 * (kind, id), replacing what was there; a value over a quarter of the
 * budget is not kept (it is freed at once). */
void read_cache_put(enum read_cache_kind kind, unsigned long long id, unsigned long long version, const char *base,
                    void *value, size_t bytes, read_cache_free_fn free_fn);
void read_cache_clear(void);

/* Counters of this process, for tests and logs. */
struct read_cache_stats {
	unsigned long long hits, misses, entries, bytes;
};
void read_cache_stats(struct read_cache_stats *out);

#endif
