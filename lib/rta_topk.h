/*
 * rta_topk.h: the heaviest items of a stream (top-k heavy hitters) by
 * Space-Saving (Metwally, Agrawal and El Abbadi, 2005), with the merge
 * of mergeable summaries (Agarwal et al., 2012) and a canonical encoding.
 *
 * A sketch holds at most `capacity` counters, each an item (up to
 * RTA_TOPK_ITEM_MAX bytes, compared as bytes) with a count and an error.
 * Adding an item that holds a counter adds the weight to its count; a new
 * item takes a free counter (count = weight, error 0) or, when all are in
 * use, replaces the item of the smallest counter m, whose count becomes
 * m + weight and whose error becomes m.
 *
 * Order.  Counters are ordered by count descending, then by item bytes
 * ascending (lexicographic, a proper prefix first): the order of
 * rta_topk_top and of the encoding.  The counter replaced when all are
 * in use is the LAST one in that order (smallest count, and among equal
 * counts the largest item bytes).  The state - capacity, total and the
 * set of (item, count, error) - therefore depends only on the sequence
 * of adds and merges, never on the hash seed, addresses or the machine,
 * and so do the answers, the encoding and every later result.  The item
 * index hashes with rta_hash64 under the process seed (rta_hash_seed),
 * so that items chosen to collide cannot slow it down; no hash is part
 * of the encoding.
 *
 * Guarantees, with T = rta_topk_total (the sum of the weights of every
 * add, of this sketch and of every sketch merged into it) and k the
 * capacity; they hold after any sequence of adds and merges and for any
 * sketch that rta_topk_decode accepts, which checks them:
 *   - every counter's true count f lies in [count - error, count], and
 *     count - error >= 1;
 *   - the counts sum to at most T, so the smallest count m of a full
 *     sketch (k counters) is at most T / k;
 *   - every error is at most m, hence at most T / k;
 *   - an item without a counter has f <= m (full) or f = 0 (not full):
 *     every item with f > T / k holds a counter;
 *   - while fewer than k counters are in use the sketch is exact: every
 *     error is 0, the counts are the true counts and sum to T.
 *
 * Memory is bounded by the capacity whatever the stream: at most
 * RTA_TOPK_OVERHEAD bytes for each counter ever in use (at most the
 * capacity) plus, for each, the longest item it has held (at most
 * RTA_TOPK_ITEM_MAX), so below capacity * (RTA_TOPK_ITEM_MAX +
 * RTA_TOPK_OVERHEAD); rta_topk_memory says how much.  An add costs
 * O(log capacity) plus hashing the item.
 *
 * A sketch is not safe for concurrent use without a lock; concurrent
 * readers (top, get, encode) of an unchanging sketch are fine.
 */
#ifndef RTA_TOPK_H
#define RTA_TOPK_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

#define RTA_TOPK_ITEM_MAX	1024		/* bytes in an item */
#define RTA_TOPK_CAP_MAX	65536		/* counters */
/* Bytes of bookkeeping per counter at most (items aside). */
#define RTA_TOPK_OVERHEAD	64

/* One counter (internal). */
struct rta_topk_slot {
	unsigned char	*item;		/* cap bytes; NULL when cap is 0 */
	uint64_t	 count;
	uint64_t	 error;
	uint32_t	 len;
	uint32_t	 cap;
	uint32_t	 hash;		/* low bits of the item's hash */
	uint32_t	 hpos;		/* place in heap */
};

struct rta_topk {
	struct rta_topk_slot	*slot;		/* n in use of nalloc */
	uint32_t		*heap;		/* slot numbers, next replaced
						 * first (nalloc of them) */
	uint32_t		*tab;		/* index: slot + 1, 0 empty */
	uint32_t		 tmask;		/* slots in tab - 1 */
	uint32_t		 n;
	uint32_t		 nalloc;
	unsigned		 capacity;	/* 0: released */
	uint64_t		 total;
};

/* A counter as rta_topk_top and rta_topk_get give it. */
struct rta_topk_entry {
	const char	*item;		/* borrowed (see rta_topk_top) */
	size_t		 len;
	uint64_t	 count;		/* the true count is in */
	uint64_t	 error;		/* [count - error, count] */
};

/*
 * Set up an empty sketch of capacity counters (1..RTA_TOPK_CAP_MAX).
 * RTA_OK or RTA_EINVAL (capacity out of range; t then holds nothing).
 * Nothing is allocated until the first add.
 */
int	rta_topk_init(struct rta_topk *t, unsigned capacity);

/* Free everything; t is left empty (capacity 0), and may be released
 * again or set up anew.  Accepts a sketch that holds nothing. */
void	rta_topk_release(struct rta_topk *t);

/* Forget every counter and the total, keeping the capacity and the
 * memory for reuse (no allocation, no failure). */
void	rta_topk_reset(struct rta_topk *t);

/*
 * Set up dst (not set up before) as a copy of src, which it shares
 * nothing with.  RTA_OK or RTA_ENOMEM (dst then holds nothing).
 */
int	rta_topk_copy(struct rta_topk *dst, const struct rta_topk *src);

/*
 * Count weight occurrences of item[0..len).  RTA_OK; RTA_EINVAL for
 * len > RTA_TOPK_ITEM_MAX or weight 0; RTA_ELIMIT when the total would
 * pass UINT64_MAX; RTA_ENOMEM.  On failure t is unchanged.  item may be
 * NULL when len is 0.
 */
int	rta_topk_add(struct rta_topk *t, const void *item, size_t len,
	    uint64_t weight);

/* Sum of the weights added (merges add the totals). */
uint64_t rta_topk_total(const struct rta_topk *t);
/* Capacity set up with. */
unsigned rta_topk_capacity(const struct rta_topk *t);
/* Counters in use (at most the capacity). */
size_t	rta_topk_size(const struct rta_topk *t);
/* 1 if every item is UTF-8 text without U+0000, else 0. */
int	rta_topk_text(const struct rta_topk *t);
/* The bound m on the true count of an item without a counter: the
 * smallest count when the sketch is full, else 0. */
uint64_t rta_topk_min(const struct rta_topk *t);
/* Bytes allocated for the sketch (see the bound above). */
size_t	rta_topk_memory(const struct rta_topk *t);

/*
 * Fill out with up to k counters, by count descending then item bytes
 * ascending; how many (min(k, rta_topk_size)).  out may be NULL when k
 * is 0.  Entries borrow the sketch's item bytes until it next changes
 * (add, merge into it, reset, release); an item is not NUL-terminated.
 * Takes O(n log k) for n counters and allocates nothing.
 */
size_t	rta_topk_top(const struct rta_topk *t, struct rta_topk_entry *out,
	    size_t k);

/*
 * The estimate for item[0..len): 1 if it holds a counter (*e is that
 * counter, item borrowed as above), else 0 with e->count = e->error =
 * rta_topk_min (the true count is in [0, m]) and e->item NULL.  Either
 * way the true count lies in [e->count - e->error, e->count].
 */
int	rta_topk_get(const struct rta_topk *t, const void *item, size_t len,
	    struct rta_topk_entry *e);

/*
 * Make into the sketch of both streams.  Each item of either side gets
 * the sum of its two counts and of its two errors, where a side without
 * the item counts its rta_topk_min as both; the capacity largest of
 * these (in the order above, so ties at the cut keep the smaller item
 * bytes) are kept, and the totals add.  Every guarantee above holds for
 * the result with T the sum of the totals, whatever the grouping and
 * order of merges.  The merge is commutative (merge(a, b) and merge(b, a)
 * give the same state) and a sketch merged with an empty one is
 * unchanged, but it is not associative: different groupings give
 * different states, each within the bounds.  When fewer than capacity
 * distinct items were seen in all, every side is exact and so is the
 * result: the same state as one sketch of the concatenated streams.
 * from may be into.  The result is built beside into and replaces it,
 * so a merge needs room for a second sketch while it runs (and 24 bytes
 * for each counter of both).
 * RTA_OK; RTA_EINVAL "sketch-mismatch" when the capacities differ;
 * RTA_ELIMIT "sketch-overflow" when the total would pass UINT64_MAX;
 * RTA_ENOMEM.  On failure into is unchanged.
 */
int	rta_topk_merge(struct rta_topk *into, const struct rta_topk *from,
	    struct rta_error *err);

/*
 * Append the encoding of t to out: 0, or -1 (ENOMEM; out unchanged).
 * Unsigned varints are LEB128 (7 bits a byte, low first, minimal length):
 *	'K' 1 capacity total n
 *	n times: len item[len] dcount error
 * with the n counters in the order above; dcount is the first count,
 * then each count's difference from the one before (>= 0).  Two sketches
 * with the same state encode to the same bytes.
 */
int	rta_topk_encode(const struct rta_topk *t, struct rta_buf *out);

/*
 * Set up t (not set up before) from exactly len bytes at p.  RTA_OK;
 * RTA_EDATA "bad-sketch" (err says what is wrong) for anything but the
 * canonical encoding of a state that meets the guarantees above:
 * unknown type or version, a capacity out of range, a non-minimal or
 * overlong varint, more counters than the capacity or than the bytes
 * can hold, an item too long, counters out of order or repeated, a
 * count of 0, error >= count, an error above the smallest count, counts
 * summing above the total, a sketch not full but inexact, or trailing
 * bytes; RTA_ENOMEM.  On failure t holds nothing.  For every input that
 * decodes, rta_topk_encode gives back the same bytes.  Allocations are
 * bounded by the counters the bytes hold.
 */
int	rta_topk_decode(struct rta_topk *t, const void *p, size_t len,
	    struct rta_error *err);

#endif
