/*
 * rta_rollup.h: materialized rollups, coarser aggregate datasets kept
 * up to date from finer ones.
 *
 * A rollup reads the aggregate records of a source dataset (tumbling
 * windows: rta-window's, or another rollup's), groups them by tenant,
 * group and target bucket (equal buckets of the given width, aligned to
 * the epoch) and merges their states (rta_query.h does the merging:
 * exact for count, sum, avg, min, max, first and last, as accurate as
 * the sketches for percentiles, distinct counts and top values).  Each
 * group of each bucket becomes one aggregate record of the target
 * dataset, written through the store's writer:
 *
 *	record_id	a UUID v8 hashed from the target dataset, the width,
 *			the tenant, the group and the bucket start, so the
 *			same bucket always has the same id
 *	version		the target's commit sequence number at the refresh
 *			that wrote it, so a later refresh's record replaces
 *			the earlier one (the store keeps the highest)
 *	payload		end, final (true once the source's watermark has
 *			passed the bucket's end), group, results, states
 *
 * Incremental.  The target's commits record, as source positions named
 * "rollup:SOURCE:WIDTH:BUCKET" (BUCKET a source storage bucket,
 * YYYYMMDDTHHMM), what each source bucket held when it was last rolled
 * up: its newest log's generation, whether the writer had closed it, and
 * its committed length, packed as gen << 41 | closed << 40 | length.  A
 * refresh compares the source's last commit with them, recomputes from
 * all their source records exactly the target buckets that overlap a
 * source bucket that changed (new records, late updates to old windows),
 * and commits the records with the new positions in one commit.  Hence:
 * a second refresh with nothing new writes nothing; a crash before the
 * commit leaves the target as it was (the writer cuts the rest when it is
 * next opened) and the next refresh does the work again; compaction of
 * the source (a segment covering closed logs) is no change.  Retiring a
 * source bucket changes nothing in the target: the rollup keeps its
 * buckets for as long as its own retention says.  A target bucket part
 * of whose source was retired is never recomputed (late records into
 * it would replace it with a part of itself), and the positions of
 * retired source buckets are dropped.
 *
 * Definitions.  The store's file "rollups.conf" holds one rollup a line,
 * "SOURCE TARGET WIDTH" (WIDTH in seconds), replaced atomically.  A target
 * has one definition, and no chain of definitions loops.
 */
#ifndef RTA_ROLLUP_H
#define RTA_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_store.h"

#define RTA_ROLLUP_FILE		"rollups.conf"
#define RTA_ROLLUP_DEFS_MAX	256

struct rta_rollup_def {
	char		 from[RTA_STORE_NAME_MAX + 1];
	char		 to[RTA_STORE_NAME_MAX + 1];
	int64_t		 width;		/* µs, a whole number of seconds */
};

/* What a refresh did. */
struct rta_rollup_result {
	uint64_t	 changed;	/* source buckets changed */
	uint64_t	 buckets;	/* target buckets recomputed */
	uint64_t	 skipped;	/* target buckets left alone: part of
					 * their source was retired */
	uint64_t	 records_in;	/* source records merged */
	uint64_t	 records_out;	/* target records written */
	uint64_t	 commit;	/* the target's commit (0: none made) */
};

/*
 * Check a definition: both names valid and different, width a whole
 * number of seconds from 1s to 366 days.  RTA_OK or RTA_EINVAL
 * ("bad-rollup").
 */
int	rta_rollup_check(const struct rta_rollup_def *d, struct rta_error *err);

/*
 * The store's definitions, in the file's order, into a new array *v of
 * *n (none: NULL, 0).  RTA_OK, RTA_EDATA ("bad-rollups": a line that is
 * not a definition, named with its number), RTA_EIO or RTA_ENOMEM.
 */
int	rta_rollup_defs_read(struct rta_store *s, struct rta_rollup_def **v,
	    size_t *n, struct rta_error *err);

/*
 * Add d to the store's definitions.  Defining a rollup again as it is
 * changes nothing; a target already defined otherwise, or a definition
 * closing a loop, is RTA_EINVAL ("bad-rollup").  *added is 1 when the
 * file changed.  RTA_OK, RTA_EIO, RTA_ENOMEM.
 */
int	rta_rollup_define(struct rta_store *s, const struct rta_rollup_def *d,
	    int *added, struct rta_error *err);

/* Put v[0..n) in an order where a rollup comes after the one that
 * makes its source. */
void	rta_rollup_order(struct rta_rollup_def *v, size_t n);

/*
 * Refresh d's target from its source, as above.  Up to threads threads
 * merge a storage bucket's records, each a run of whole tenants (the
 * records written are the same, in the same order, for any number).
 * RTA_OK (r says what was done); RTA_EOF (no source dataset); RTA_EINVAL
 * ("bad-rollup": the source or the target holds raw events); RTA_EDATA
 * ("bad-aggregate" from rta_query_add, "damaged" from a scan: nothing is
 * committed); RTA_EIO ("store-busy" when another process writes the
 * target); RTA_ELIMIT; RTA_ENOMEM.
 */
int	rta_rollup_refresh(struct rta_store *s, const struct rta_rollup_def *d,
	    unsigned threads, struct rta_rollup_result *r,
	    struct rta_error *err);

/*
 * The dataset to read for a query of dataset name over [from, to) in
 * buckets of width bucket (0: the range is one bucket): the coarsest
 * rollup made from name (directly or down a chain of definitions) whose
 * width divides bucket and on whose buckets from and to fall, provided
 * it, and every rollup between it and name, is current for the range:
 * refreshed since each source bucket overlapping the range last changed,
 * and none of its own buckets there retired.  It then holds the same
 * merged states a query of name would compute.  Into best (at least
 * RTA_STORE_NAME_MAX + 1 bytes): name when no rollup serves.  With why,
 * a line per rollup considered says why it serves or not.  RTA_OK, or
 * an error reading the definitions or a dataset.
 */
int	rta_rollup_choose(struct rta_store *s, const char *name, int64_t from,
	    int64_t to, int64_t bucket, char *best, struct rta_buf *why,
	    struct rta_error *err);

#endif
