/*
 * rta_rollup_int.h: what the files of the rollup module share.
 */
#ifndef RTA_ROLLUP_INT_H
#define RTA_ROLLUP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_rollup.h"
#include "rta_state.h"
#include "rta_store.h"

#define SEC_US		INT64_C(1000000)

/*
 * Whether source bucket b of src changed since the rollup d last rolled
 * it up, by the positions pos (which gain an entry for it): 1 changed, 0
 * not, -1 nothing to roll up (retired, even if late records came into
 * it since, or empty).  *ix is its position's index (RTA_SOURCE_NONE:
 * untracked), *fp what it holds now.
 */
int	rta_rollup_changed(const struct rta_dataset *src,
	    struct rta_sources *pos, const struct rta_rollup_def *d,
	    int64_t b, size_t *ix, uint64_t *fp);

/*
 * Add a record the refresh built to the target, once its values are
 * checked whole: a store's readers check only their shape (its logs'
 * records were all checked when written), so nothing unchecked may go
 * in, whatever the states it came from held.  As rta_writer_add, or
 * RTA_EDATA ("bad-aggregate").
 */
int	rta_rollup_put(struct rta_writer *w, const struct rta_record *rec,
	    struct rta_error *err);

/* RTA_EINVAL ("bad-rollup") if name is a cohort dataset's target. */
int	rta_rollup_not_cohorts(struct rta_store *s, const char *name,
	    struct rta_error *err);

/*
 * The positions in pos of src's buckets retired since d last read them,
 * into a new array *drop of *ndrop indices (none: NULL): a retired
 * bucket is never read again, so its position need not be kept.
 */
int	rta_rollup_drops(const struct rta_dataset *src,
	    struct rta_sources *pos, const struct rta_rollup_def *d,
	    size_t **drop, size_t *ndrop, struct rta_error *err);

/* pos without drop[0..ndrop), nor any "rollup:" position never set. */
int	rta_rollup_prune(struct rta_sources *pos, const size_t *drop,
	    size_t ndrop, struct rta_error *err);

#endif
