/*
 * rta_qcache.c: answers kept by dataset commit stamp (see rta_qcache.h).
 *
 * A linear scan over at most 64 keys is a few hundred nanoseconds, far
 * below the two stat(2) calls each lookup makes anyway, so there is no
 * index to keep consistent.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rta_qcache.h"

void
rta_qcache_init(struct rta_qcache *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < RTA_QCACHE_ENTRIES; i++) {
		rta_buf_init(&c->e[i].key);
		rta_buf_init(&c->e[i].body);
	}
}

void
rta_qcache_release(struct rta_qcache *c)
{
	size_t i;

	for (i = 0; i < RTA_QCACHE_ENTRIES; i++) {
		rta_buf_release(&c->e[i].key);
		rta_buf_release(&c->e[i].body);
	}
	c->n = c->bytes = 0;
}

static int
stamp_file(const char *store, const char *dataset, const char *file,
    uint64_t *v)
{
	char path[PATH_MAX];
	struct stat st;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s/%s", store, dataset, file);
	if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) != 0) {
		memset(v, 0, 4 * sizeof(*v));
		return -1;
	}
	v[0] = (uint64_t)st.st_dev;
	v[1] = (uint64_t)st.st_ino;
	v[2] = (uint64_t)st.st_size;
	v[3] = (uint64_t)st.st_mtim.tv_sec * 1000000000U +
	    (uint64_t)st.st_mtim.tv_nsec;
	return 0;
}

int
rta_qcache_stamp(const char *store, const char *dataset,
    struct rta_qcache_stamp *s)
{
	int a = stamp_file(store, dataset, "commits", s->v);
	int b = stamp_file(store, dataset, "segments", s->v + 4);

	return a == 0 || b == 0 ? 0 : -1;
}

/* Drop entry i, moving the last into its place. */
static void
drop(struct rta_qcache *c, size_t i)
{
	struct rta_qcache_entry t;

	/* released, not reset: the bound is on memory held */
	c->bytes -= c->e[i].key.cap + c->e[i].body.cap;
	rta_buf_release(&c->e[i].key);
	rta_buf_release(&c->e[i].body);
	if (i != --c->n) {
		t = c->e[i];
		c->e[i] = c->e[c->n];
		c->e[c->n] = t;
	}
}

static size_t
find(const struct rta_qcache *c, const void *key, size_t klen)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->e[i].key.len == klen &&
		    memcmp(c->e[i].key.data, key, klen) == 0)
			return i;
	return (size_t)-1;
}

const struct rta_buf *
rta_qcache_get(struct rta_qcache *c, const void *key, size_t klen,
    const struct rta_qcache_stamp *s)
{
	size_t i = find(c, key, klen);

	if (i == (size_t)-1) {
		c->misses++;
		return NULL;
	}
	if (memcmp(&c->e[i].stamp, s, sizeof(*s)) != 0) {
		c->stale++;
		drop(c, i);
		return NULL;
	}
	c->hits++;
	c->e[i].used = ++c->clock;
	return &c->e[i].body;
}

/* What a fresh rta_buf holds once n bytes are added to it. */
static size_t
held_for(size_t n)
{
	size_t cap = 256;

	while (cap < n)
		cap *= 2;
	return cap;
}

int
rta_qcache_put(struct rta_qcache *c, const void *key, size_t klen,
    const struct rta_qcache_stamp *s, const void *body, size_t len)
{
	struct rta_qcache_entry *e;
	size_t i, old, need;

	if (len > RTA_QCACHE_ONE || klen > RTA_QCACHE_ONE)
		return 0;
	if ((i = find(c, key, klen)) != (size_t)-1)
		drop(c, i);
	/* make room: the least recently used first */
	need = held_for(klen) + held_for(len);
	while (c->n > 0 && (c->n == RTA_QCACHE_ENTRIES ||
	    c->bytes + need > RTA_QCACHE_BYTES)) {
		for (old = 0, i = 1; i < c->n; i++)
			if (c->e[i].used < c->e[old].used)
				old = i;
		drop(c, old);
	}
	e = &c->e[c->n];
	if (rta_buf_add(&e->key, key, klen) != 0 ||
	    rta_buf_add(&e->body, body, len) != 0) {
		rta_buf_release(&e->key);
		rta_buf_release(&e->body);
		return -1;
	}
	e->stamp = *s;
	e->used = ++c->clock;
	c->bytes += e->key.cap + e->body.cap;
	c->n++;
	return 0;
}
