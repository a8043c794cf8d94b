/* read_cache.c - see read_cache.h. A hash table on (kind, id) with
 * chaining, and a doubly linked list in use order for eviction. */
#include "read_cache.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "xalloc.h"

#define READ_CACHE_BUCKETS 4096        /* power of two */

struct entry {
	enum read_cache_kind kind;
	unsigned long long id;
	unsigned long long version;
	char *base;
	void *value;
	size_t bytes;                      /* value + key, for the budget */
	read_cache_free_fn free_fn;
	struct entry *next_in_bucket;
	struct entry *newer, *older;       /* use order */
};

static struct entry *buckets[READ_CACHE_BUCKETS];
static struct entry *newest, *oldest;
static size_t budget, used, count;
static unsigned long long hits, misses;

static size_t bucket_of(enum read_cache_kind kind, unsigned long long id)
{
	unsigned long long h = (id * 0x9E3779B97F4A7C15ULL) ^ ((unsigned long long)kind << 61);
	return (size_t)(h >> 32) & (READ_CACHE_BUCKETS - 1);
}

static struct entry **find_slot(enum read_cache_kind kind, unsigned long long id)
{
	struct entry **p = &buckets[bucket_of(kind, id)];
	while (*p != NULL && !((*p)->kind == kind && (*p)->id == id))
		p = &(*p)->next_in_bucket;
	return p;
}

static void unlink_use(struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		oldest = e->newer;
	e->newer = e->older = NULL;
}

static void link_newest(struct entry *e)
{
	e->older = newest;
	e->newer = NULL;
	if (newest != NULL)
		newest->newer = e;
	newest = e;
	if (oldest == NULL)
		oldest = e;
}

static void destroy(struct entry *e)
{
	struct entry **p = find_slot(e->kind, e->id);
	if (*p == e)
		*p = e->next_in_bucket;
	unlink_use(e);
	used -= e->bytes;
	count--;
	if (e->free_fn != NULL)
		e->free_fn(e->value);
	free(e->base);
	free(e);
}

void read_cache_clear(void)
{
	while (oldest != NULL)
		destroy(oldest);
}

void read_cache_configure(size_t max_bytes)
{
	read_cache_clear();
	budget = max_bytes;
}

const void *read_cache_get(enum read_cache_kind kind, unsigned long long id, unsigned long long version,
                           const char *base)
{
	struct entry *e = *find_slot(kind, id);
	if (e == NULL || e->version != version || strcmp(e->base, base) != 0) {
		misses++;
		return NULL;
	}
	hits++;
	unlink_use(e);
	link_newest(e);
	return e->value;
}

void read_cache_put(enum read_cache_kind kind, unsigned long long id, unsigned long long version, const char *base,
                    void *value, size_t bytes, read_cache_free_fn free_fn)
{
	struct entry *old = *find_slot(kind, id);
	if (old != NULL)
		destroy(old);
	size_t size = bytes + strlen(base) + sizeof(struct entry);
	if (budget == 0 || size > budget / 4) {
		if (free_fn != NULL)
			free_fn(value);
		return;
	}
	while (oldest != NULL && (used + size > budget || count >= CF_READ_CACHE_MAX_ENTRIES))
		destroy(oldest);
	struct entry *e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->id = id;
	e->version = version;
	e->base = xstrdup(base);
	e->value = value;
	e->bytes = size;
	e->free_fn = free_fn;
	struct entry **slot = find_slot(kind, id);
	e->next_in_bucket = *slot;
	*slot = e;
	link_newest(e);
	used += size;
	count++;
}

void read_cache_stats(struct read_cache_stats *out)
{
	out->hits = hits;
	out->misses = misses;
	out->entries = count;
	out->bytes = used;
}
