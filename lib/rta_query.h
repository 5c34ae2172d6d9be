/*
 * rta_query.h: range and rollup queries over events and aggregate
 * records, with results that merge.
 *
 * A query groups the records of a time range by bucket (the range cut
 * into equal buckets aligned to the epoch, or one bucket for the whole
 * range) and by the values of some fields, and computes aggregates
 * (rta_agg.h) per group:
 *
 *	struct rta_query *q;
 *	rta_query_new(&spec, &q, &err);
 *	while (a record r)
 *		rta_query_add(q, &r, &err);
 *	rta_query_sort(q, keys, nkeys);
 *	for (i = 0; rta_query_row(q, i, &row); i++) ...
 *	rta_query_free(q);
 *
 * Raw events are added to their group's accumulators.  Aggregate records
 * (rta-window's, or a query's own partial results) bring their states,
 * which are merged: rolling 1-minute windows up to hours is exact for
 * count, sum, avg, min, max, first and last, and as accurate as the
 * sketches for percentiles, distinct counts and top values.  A query's
 * aggregate is taken from the record's state of the same name, or else
 * from one that holds what it needs: avg:F from sum:F (and the reverse),
 * any pNN:F from another percentile of F (one DDSketch serves them all),
 * topN:F from topM:F with M >= N.  A record's window must lie inside one
 * bucket (a 1-hour window cannot be cut into 5-minute buckets), and only
 * tumbling windows roll up (sliding ones overlap, and sessions are not
 * aligned): anything else is refused with RTA_EDATA.
 *
 * For an aggregate record, a group-by field F is the member of its group
 * object named F (as rta-window --by wrote it), or for tenant_id, when
 * the group has none, the record's tenant; for a raw event F is read
 * from the event
 * (rta_field.h).  A group's object holds each field's value, null when
 * missing, as rta-window's group objects do.
 *
 * Memory is bounded by max_groups (RTA_ELIMIT "too-many-groups" past
 * it).  Nothing here reads files: the caller scans the hot store, the
 * cold store or a stream and adds what it finds.
 */
#ifndef RTA_QUERY_H
#define RTA_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "rta_agg.h"
#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_field.h"

#define RTA_QUERY_GROUPS_DEFAULT	1000000

struct rta_query_spec {
	int64_t			 from, to;	/* [from, to), µs */
	int64_t			 bucket;	/* µs; 0: the whole range */
	const struct rta_field	*by;		/* group-by fields */
	size_t			 nby;
	const struct rta_agg_spec *aggs;
	size_t			 naggs;
	uint64_t		 max_groups;	/* 0: the default */
};

struct rta_query_row {
	int64_t			 start, end;	/* the bucket */
	const unsigned char	*group;		/* object value */
	const struct rta_agg_acc *acc;		/* naggs accumulators */
};

struct rta_query_counts {
	uint64_t		 events;	/* raw events added */
	uint64_t		 aggregates;	/* aggregate records merged */
	uint64_t		 outside;	/* outside [from, to) */
};

struct rta_query;

/* A new empty query (the spec's arrays must outlive it).  RTA_OK,
 * RTA_EINVAL ("bad-query": bucket negative, from >= to) or RTA_ENOMEM. */
int	rta_query_new(const struct rta_query_spec *spec, struct rta_query **qp,
	    struct rta_error *err);
void	rta_query_free(struct rta_query *q);

/*
 * Add one record: a raw event (RTA_REC_EVENT) or an aggregate record
 * (RTA_REC_AGGREGATE); others are ignored, and so is a record whose time
 * (event time, window start) is outside [from, to), which is counted.
 * RTA_OK; RTA_EDATA ("bad-aggregate": a record whose window does not fit
 * a bucket, of another window kind, without a state the query needs, or
 * whose states are damaged; err names the record); RTA_ELIMIT
 * ("too-many-groups"); RTA_ENOMEM.
 */
int	rta_query_add(struct rta_query *q, const struct rta_record *r,
	    struct rta_error *err);

/*
 * The end, group and states members of an aggregate record's payload
 * (NULL where missing; the first of each), found in one walk.  A caller
 * that gives a query records whose group objects all have the same keys
 * in the same order, and whose states objects too, may also give the
 * members' values in that order (gvals: ngvals of them, svals: nsvals),
 * so that the query need not look each one up by name.
 */
struct rta_agg_parts {
	const unsigned char	*end, *group, *states;
	const unsigned char	**gvals, **svals;
	size_t			  ngvals, nsvals;
};
/* Sets end, group and states; gvals and svals to none. */
void	rta_aggregate_parts(const unsigned char *payload,
	    struct rta_agg_parts *pp);
/*
 * Add the records of a sealed block's columns (rta_scan_cols) whose
 * event time is in the spec's range, as rta_query_add of each would, to
 * the same bytes: *took 1.  *took 0 (nothing added) where that cannot
 * be promised (a window type, a state the columns do not hold, a record
 * rta_query_add would refuse): the caller then adds the block's records
 * (rta_scan_reread).  RTA_OK, RTA_ENOMEM, RTA_ELIMIT (too many groups).
 */
struct rta_cols;
int	rta_query_add_cols(struct rta_query *q, const struct rta_cols *c,
	    int *took, struct rta_error *err);
/* rta_query_add of aggregate record r, whose parts pp the caller found
 * (rta_aggregate_parts of its payload). */
int	rta_query_add_parts(struct rta_query *q, const struct rta_record *r,
	    const struct rta_agg_parts *pp, struct rta_error *err);

const struct rta_query_counts *rta_query_counts(const struct rta_query *q);

/*
 * Ordering.  A key is "start", a group-by field (its text as given) or
 * an aggregate (its canonical name, as rta_agg_parse gives it), then
 * asc or desc.  Groups compare null first, then numbers by value, then
 * strings by bytes, then other values by their JSON text; aggregates by
 * their number (rta_agg_number; none first).  Ties keep the default
 * order: start, then each group-by field in turn.
 */
struct rta_query_key {
	int			 what;		/* RTA_QK_* */
	size_t			 index;		/* field or aggregate */
	int			 desc;
};

enum { RTA_QK_START, RTA_QK_GROUP, RTA_QK_AGG };

/* Parse a comma-separated list of "NAME [asc|desc]" for spec into a new
 * array of *n keys.  RTA_OK, RTA_EINVAL ("bad-order", err says which
 * name is neither start, a field nor an aggregate) or RTA_ENOMEM. */
int	rta_query_keys_parse(const struct rta_query_spec *spec,
	    const char *list, struct rta_query_key **keys, size_t *n,
	    struct rta_error *err);

/* Sort the rows by keys (none: the default order).  RTA_OK or
 * RTA_ENOMEM. */
int	rta_query_sort(struct rta_query *q, const struct rta_query_key *keys,
	    size_t nkeys, struct rta_error *err);

size_t	rta_query_nrows(const struct rta_query *q);
/* Row i in the last sort's order (insertion order before any sort):
 * 1, or 0 past the last row. */
int	rta_query_row(const struct rta_query *q, size_t i,
	    struct rta_query_row *row);

/*
 * Append row i's results object (rta_agg_results for the query's
 * aggregates) to b, or its states object (rta_agg_states, named by the
 * query's aggregates: the partial result another query merges).  0 or
 * -1 (ENOMEM).
 */
int	rta_query_results(const struct rta_query *q, size_t i,
	    struct rta_buf *b);
int	rta_query_states(const struct rta_query *q, size_t i,
	    struct rta_buf *b);

#endif
