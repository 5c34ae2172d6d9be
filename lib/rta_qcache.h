/*
 * rta_qcache.h: rta-query --http's near-cache of answers.
 *
 * A dashboard asks the same questions again and again, and between two
 * commits of the dataset the answers cannot change.  So a connection's
 * process keeps the answers it sent, each with the dataset's commit
 * stamp at the time: the identity (device, inode, size, modification
 * time) of its two files that every change rewrites or appends to,
 * "commits" (each commit appends a record; a rotation replaces the file)
 * and "segments", the manifest (compaction and retention replace it).
 * A later request with the same key is answered from the cache only
 * while the stamp is unchanged: the cache is invalidated by commit,
 * never by age.
 * Answers that read the cold store are not cached (an export does not
 * commit to the hot store).
 *
 * Bounded: at most RTA_QCACHE_ENTRIES answers and RTA_QCACHE_BYTES bytes
 * of memory held in all (counted as allocated, not as used, and freed
 * when an entry goes), none over RTA_QCACHE_ONE; the least recently used
 * goes first.
 */
#ifndef RTA_QCACHE_H
#define RTA_QCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"

#define RTA_QCACHE_ENTRIES	64
#define RTA_QCACHE_BYTES	(16U << 20)
#define RTA_QCACHE_ONE		(1U << 20)

/* A dataset's commit stamp; all zero when its files cannot be seen. */
struct rta_qcache_stamp {
	uint64_t	 v[8];
};

struct rta_qcache_entry {
	struct rta_buf		 key, body;
	struct rta_qcache_stamp	 stamp;
	uint64_t		 used;		/* the clock at last use */
};

struct rta_qcache {
	struct rta_qcache_entry	 e[RTA_QCACHE_ENTRIES];
	size_t			 n, bytes;	/* bytes: allocated */
	uint64_t		 clock;
	uint64_t		 hits, misses, stale;
};

void	rta_qcache_init(struct rta_qcache *c);
void	rta_qcache_release(struct rta_qcache *c);

/*
 * The stamp of dataset in store now.  0, or -1 when neither file can be
 * stat'ed (no such dataset, say): such answers are not cached.
 */
int	rta_qcache_stamp(const char *store, const char *dataset,
	    struct rta_qcache_stamp *s);

/*
 * The body kept for key if its stamp equals s (the entry then counts as
 * used), else NULL; an entry of another stamp is dropped.
 */
const struct rta_buf *rta_qcache_get(struct rta_qcache *c, const void *key,
	    size_t klen, const struct rta_qcache_stamp *s);

/*
 * Keep body for key under stamp s, replacing an entry of the same key
 * and dropping the least recently used to make room.  A body over
 * RTA_QCACHE_ONE is not kept.  0, or -1 when memory runs out (the cache
 * is then only smaller, never wrong).
 */
int	rta_qcache_put(struct rta_qcache *c, const void *key, size_t klen,
	    const struct rta_qcache_stamp *s, const void *body, size_t len);

#endif
