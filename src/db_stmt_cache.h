/* db_stmt_cache.h - the prepared statements of one connection, found by
 * their SQL text: a hash table with least-recently-used eviction.
 *
 * db.c keeps one per connection. It holds opaque handles (MYSQL_STMT *),
 * so it can be tested without a server: the close function given to
 * stmt_cache_new is called for every handle the cache lets go of
 * (eviction, clear, free), and for no other.
 *
 * A lookup hashes the SQL once (stmt_cache_key) and then compares the
 * pointer before the text: static SQL strings, which are nearly all of
 * them, match without a second pass over the text. */
#ifndef CONFAB_DB_STMT_CACHE_H
#define CONFAB_DB_STMT_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Capacity of a connection's cache. src/ held about 180 static SQL strings
 * when this was set (issue 16; a worker reaches ~110 of them), and a few
 * statements are built at run time (the session list with one placeholder
 * per tag filter): 512 keeps every static statement of a process prepared,
 * and bounds what varied dynamic SQL can hold on the server (each prepared
 * statement costs server memory and counts against max_prepared_stmt_count,
 * 16382 by default, shared by all connections). */
#define DB_STMT_CACHE_CAPACITY 512

struct stmt_cache;

/* The SQL text of one lookup, hashed once. sql is borrowed for as long as
 * the key is used. */
struct stmt_key {
	const char *sql;
	size_t len;
	uint64_t hash;
};

typedef void (*stmt_cache_close_fn)(void *stmt);

/* A cache of at most capacity (>= 1) handles; close (not NULL) releases
 * a handle. Caller frees with stmt_cache_free. Allocation does not fail
 * (xalloc). */
struct stmt_cache *stmt_cache_new(size_t capacity, stmt_cache_close_fn close);
/* Closes every handle and frees the cache (NULL is a no-op). */
void stmt_cache_free(struct stmt_cache *cache);
/* Closes every handle; the cache stays usable (after a reconnect the
 * handles belong to a connection that is gone). */
void stmt_cache_clear(struct stmt_cache *cache);

struct stmt_key stmt_cache_key(const char *sql);

/* The handle prepared for key's text, or NULL. A hit becomes the most
 * recently used entry. The handle stays owned by the cache. */
void *stmt_cache_get(struct stmt_cache *cache, const struct stmt_key *key);

/* Adds a handle for key's text (not already in the cache; stmt not NULL),
 * evicting (closing) the least recently used entry when the cache is full.
 * The cache copies the text and owns stmt from now on. */
void stmt_cache_put(struct stmt_cache *cache, const struct stmt_key *key, void *stmt);

size_t stmt_cache_count(const struct stmt_cache *cache);
/* Handles evicted since the cache was made (not counting clears): a
 * figure for tests and logs; it stays 0 unless dynamic SQL varies widely. */
unsigned long long stmt_cache_evictions(const struct stmt_cache *cache);

#endif
