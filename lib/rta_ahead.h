/*
 * rta_ahead.h: walking the frames a reader already holds past the current
 * record, to start fetching what the next events will need (the buckets
 * of a key set, the rows of a table) before the stage gets them.
 *
 * The bytes are unchecked (rta_reader_ahead, rta_frame_peek): what a walk
 * finds may only decide what is fetched, never what a stage outputs.
 * Each frame is looked at once; a ring remembers, by member offset, the
 * events found and not yet read, so the walk survives the reader's buffer
 * swaps and starts afresh on another input or member.
 *
 *	struct rta_ahead a;
 *	rta_ahead_reset(&a);
 *	before each event read from frames:
 *		rta_ahead_walk(&a, rd, want, found, arg);
 *		... rta_ahead_slot(&a, k) is the ring slot of the k-th event
 *		    after the current one (1 <= k <= rta_ahead_count(&a))
 *
 * found(arg, slot, hint) is called once for each event frame newly seen,
 * with the ring slot it takes (a program keeps its own data per slot).
 */
#ifndef RTA_AHEAD_H
#define RTA_AHEAD_H

#include <stdint.h>

#include "rta_frame.h"
#include "rta_reader.h"

#define RTA_AHEAD_RING	64	/* events remembered: > any want */

struct rta_ahead {
	const char	*source;	/* the input of the offsets */
	uint64_t	 last;		/* member offset of the last look */
	uint64_t	 cur;		/* ... of the next frame to see */
	uint64_t	 start[RTA_AHEAD_RING];	/* offsets of the events */
	uint64_t	 end[RTA_AHEAD_RING];	/* offsets after them */
	unsigned	 head, n;
	uint64_t	 walks;		/* rta_ahead_walk calls */
};

/* Forget everything (a new table, another input). */
void	rta_ahead_reset(struct rta_ahead *a);

/*
 * Before the event rd has just returned: drop the events read since,
 * then walk the bytes after it until want (< RTA_AHEAD_RING) events are
 * known or the bytes run out, calling found for each new one.
 */
void	rta_ahead_walk(struct rta_ahead *a, const struct rta_reader *rd,
	    unsigned want, void (*found)(void *arg, unsigned slot,
	    const struct rta_frame_hint *h), void *arg);

/*
 * The ring slot of the record rd has just returned, when a walk found it:
 * the same input and the same first and last byte, so the hint was read
 * from exactly the bytes the reader has since checked and decoded.  1 and
 * *slot, else 0.  Call before rta_ahead_walk, which drops it.
 */
int	rta_ahead_current(const struct rta_ahead *a,
	    const struct rta_reader *rd, unsigned *slot);

/* Events known ahead of the current one. */
static inline unsigned
rta_ahead_count(const struct rta_ahead *a)
{
	return a->n;
}

/* The ring slot of the k-th event after the current one (k from 1). */
static inline unsigned
rta_ahead_slot(const struct rta_ahead *a, unsigned k)
{
	return (a->head + k - 1) & (RTA_AHEAD_RING - 1);
}

#endif
