/* db_stmt_cache.c - hash table of prepared statements keyed by SQL text,
 * with a least-recently-used list for eviction beyond the capacity. */
#include "db_stmt_cache.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct entry {
	char *sql;                 /* owned copy of the text */
	const char *ptr;           /* the caller's pointer it was last seen under (not owned) */
	size_t len;
	uint64_t hash;
	void *stmt;                /* owned; released with cache->close */
	struct entry *chain;       /* next in the bucket */
	struct entry *newer;       /* LRU list: towards the most recently used */
	struct entry *older;
};

struct stmt_cache {
	struct entry **buckets;
	size_t nbuckets;           /* a power of two, at least twice the capacity */
	size_t capacity;
	size_t count;
	struct entry *newest;
	struct entry *oldest;
	stmt_cache_close_fn close;
	unsigned long long evictions;
};

struct stmt_cache *stmt_cache_new(size_t capacity, stmt_cache_close_fn close)
{
	struct stmt_cache *c = xcalloc(1, sizeof *c);
	c->capacity = capacity > 0 ? capacity : 1;
	c->nbuckets = 16;
	while (c->nbuckets < 2 * c->capacity)
		c->nbuckets *= 2;
	c->buckets = xcalloc(c->nbuckets, sizeof *c->buckets);
	c->close = close;
	return c;
}

/* FNV-1a over the text; the length comes out of the same pass. */
struct stmt_key stmt_cache_key(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p = (const unsigned char *)sql;
	for (; *p != '\0'; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	struct stmt_key key = {.sql = sql, .len = (size_t)(p - (const unsigned char *)sql), .hash = h};
	return key;
}

static void lru_unlink(struct stmt_cache *c, struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push_newest(struct stmt_cache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = e;
	c->newest = e;
	if (c->oldest == NULL)
		c->oldest = e;
}

static struct entry **bucket_of(const struct stmt_cache *c, uint64_t hash)
{
	return &c->buckets[hash & (c->nbuckets - 1)];
}

/* The same text? The pointer comparison is taken only together with an
 * equal length and 64-bit hash: a heap buffer of dynamic SQL may be freed
 * and its address reused for other text, and the run-time variants differ
 * in length (one placeholder per tag), so a stale pointer cannot match. */
static int same_text(const struct entry *e, const struct stmt_key *key)
{
	if (e->hash != key->hash || e->len != key->len)
		return 0;
	return e->ptr == key->sql || memcmp(e->sql, key->sql, key->len) == 0;
}

void *stmt_cache_get(struct stmt_cache *c, const struct stmt_key *key)
{
	for (struct entry *e = *bucket_of(c, key->hash); e != NULL; e = e->chain) {
		if (!same_text(e, key))
			continue;
		e->ptr = key->sql;
		if (c->newest != e) {
			lru_unlink(c, e);
			lru_push_newest(c, e);
		}
		return e->stmt;
	}
	return NULL;
}

/* Takes e out of the table and the list and releases it. */
static void drop_entry(struct stmt_cache *c, struct entry *e)
{
	struct entry **link = bucket_of(c, e->hash);
	while (*link != e)
		link = &(*link)->chain;
	*link = e->chain;
	lru_unlink(c, e);
	c->close(e->stmt);
	free(e->sql);
	free(e);
	c->count--;
}

void stmt_cache_put(struct stmt_cache *c, const struct stmt_key *key, void *stmt)
{
	if (c->count >= c->capacity) {
		drop_entry(c, c->oldest);
		c->evictions++;
	}
	struct entry *e = xcalloc(1, sizeof *e);
	e->sql = xmalloc(key->len + 1);
	memcpy(e->sql, key->sql, key->len + 1);
	e->ptr = key->sql;
	e->len = key->len;
	e->hash = key->hash;
	e->stmt = stmt;
	struct entry **b = bucket_of(c, key->hash);
	e->chain = *b;
	*b = e;
	lru_push_newest(c, e);
	c->count++;
}

void stmt_cache_clear(struct stmt_cache *c)
{
	while (c->oldest != NULL)
		drop_entry(c, c->oldest);
}

void stmt_cache_free(struct stmt_cache *c)
{
	if (c == NULL)
		return;
	stmt_cache_clear(c);
	free(c->buckets);
	free(c);
}

size_t stmt_cache_count(const struct stmt_cache *c)
{
	return c->count;
}

unsigned long long stmt_cache_evictions(const struct stmt_cache *c)
{
	return c->evictions;
}
