/*
 * rta_agg.h: aggregates over events, their results and their mergeable
 * states.
 *
 * An aggregate list is what rta-window's --agg names, comma-separated:
 *
 *	count			events
 *	sum:F, avg:F		sum and mean of the numbers in field F
 *	min:F, max:F		least and greatest number in F
 *	stddev:F		sample standard deviation of the numbers in F
 *	first:F, last:F		F's value at the earliest and latest event time
 *	distinct:F		distinct values of F (HyperLogLog, p = 14)
 *	pNN:F			the NN-th percentile of the numbers in F
 *				(DDSketch, 1% relative error): p50, p95,
 *				p99.9, any 0 <= NN <= 100
 *	topN:F			the N most frequent values of F (Space-Saving
 *				with max(10N, 64) counters), 1 <= N <= 100;
 *				values are cut to RTA_AGG_ITEM_MAX bytes (at
 *				a character boundary), so that a state stays
 *				well within a record
 *
 * F is a field path (rta_field.h).  An event whose F is missing, or not
 * a number where one is needed (strings of digits are not numbers), adds
 * nothing to that aggregate; count counts every event.  distinct and
 * topN take F's text as a key compares it (rta_fval_text), so 1 and 1.0
 * are one value; first and last keep the value itself.
 *
 * An accumulator set (struct rta_agg_acc, one per aggregate) is what one
 * window of one group holds.  Its state is written into an aggregate
 * record as a typed object keyed by the aggregate's name, each state an
 * object whose "type" says how to merge it:
 *
 *	{"type":"count","count":N}
 *	{"type":"sum","count":N,"sum":S}		(sum and avg)
 *	{"type":"min","count":N,"min":X}, {"type":"max",...,"max":X}
 *	{"type":"moments","count":N,"mean":M,"m2":M2}	(stddev)
 *	{"type":"first","count":N,"ts":T,"value":V}, {"type":"last",...}
 *	{"type":"hll","count":N,"sketch":"<base64>"}
 *	{"type":"ddsketch","count":N,"sketch":"<base64>"}
 *	{"type":"topk","count":N,"sketch":"<base64>"}
 *
 * N counts the values added (events, for count).  min, max, first and
 * last have no "min", "max", "ts" or "value" when N is 0; T is integer
 * microseconds; S, X are integers while exact (sums of integers, an
 * integer extreme), else doubles, and null for a double past its range
 * (read back as NaN: the result is then null too).  Merging two states gives the state
 * of the union of their events: exactly for count, min, max, first and
 * last, and for sum and avg while the numbers are integers (an integer
 * sum that would leave the i64 range, and any fraction, make the sum a
 * double, whose rounding depends on the order of additions); by the
 * sketches' guarantees for the rest (rta_hll.h, rta_ddsketch.h,
 * rta_topk.h).  first and last break ties of time by the value's
 * encoding, so that merges in any order agree.
 */
#ifndef RTA_AGG_H
#define RTA_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_ddsketch.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_field.h"
#include "rta_hll.h"
#include "rta_topk.h"

enum rta_agg_kind {
	RTA_AGG_COUNT,
	RTA_AGG_SUM,
	RTA_AGG_AVG,
	RTA_AGG_MIN,
	RTA_AGG_MAX,
	RTA_AGG_STDDEV,
	RTA_AGG_FIRST,
	RTA_AGG_LAST,
	RTA_AGG_DISTINCT,
	RTA_AGG_QUANTILE,
	RTA_AGG_TOPK
};

#define RTA_AGG_TOPK_MAX	100
#define RTA_AGG_ITEM_MAX	200	/* bytes of a topN value kept */
#define RTA_AGG_NAME_MAX	255

struct rta_agg_spec {
	enum rta_agg_kind	 kind;
	char			*name;		/* canonical: "p95:payload.x" */
	size_t			 name_len;
	struct rta_field	 field;		/* none for count */
	double			 q;		/* quantile, 0 to 1 */
	unsigned		 k;		/* topN */
};

/*
 * Parse a list ("count,sum:payload.value,p95:payload.latency_ms") into a
 * new array of *n specs.  RTA_OK, RTA_EINVAL ("bad-agg", err names the
 * item and why) or RTA_ENOMEM.  A name may appear once.
 */
int	rta_agg_parse(const char *list, struct rta_agg_spec **specs,
	    size_t *n, struct rta_error *err);
void	rta_agg_specs_free(struct rta_agg_spec *specs, size_t n);

/* One aggregate's state. */
struct rta_agg_acc {
	uint64_t		 n;		/* values added */
	int			 is_int;	/* sum: exact; min, max: from one */
	int64_t			 isum;
	double			 sum;		/* sum (not is_int), min, max */
	double			 mean, m2;	/* stddev */
	int64_t			 ts;		/* first, last */
	struct rta_buf		 value;		/* first, last: encoded */
	void			*sketch;	/* rta_hll, rta_dds, rta_topk */
};

/* Add i (or d, not is_int) to a sum or avg accumulator as merging does:
 * exactly while every part is an integer and the sum fits, else the sum
 * becomes a double. */
static inline void
rta_agg_sum_add(struct rta_agg_acc *a, double d, int64_t i, int is_int)
{
	int64_t t;

	if (a->is_int && is_int && !__builtin_add_overflow(a->isum, i, &t)) {
		a->isum = t;
		return;
	}
	if (a->is_int) {
		a->sum = (double)a->isum;
		a->is_int = 0;
	}
	a->sum += d;
}

/* Set up empty accumulators for specs[0..n): RTA_OK or RTA_ENOMEM (then
 * nothing is held). */
int	rta_agg_init(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc, struct rta_error *err);
void	rta_agg_release(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc);
/*
 * Empty accumulators (set up by rta_agg_init for the same specs) for
 * reuse: afterwards they are as rta_agg_init leaves them, but keep
 * what they allocated where they can (a DDSketch's bins), so that a
 * program opening and closing many windows does not free and allocate
 * their sketches each time.  RTA_OK or RTA_ENOMEM (then nothing is
 * held, as after rta_agg_release).
 */
int	rta_agg_reset(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc, struct rta_error *err);
/* Memory the accumulators hold beyond the array itself, in bytes. */
size_t	rta_agg_memory(const struct rta_agg_spec *specs, size_t n,
	    const struct rta_agg_acc *acc);

/* Add one event: RTA_OK or RTA_ENOMEM. */
int	rta_agg_add(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc, const struct rta_event *ev,
	    struct rta_error *err);

/* Merge from into into (both for the same specs): RTA_OK, RTA_EINVAL
 * (sketches of other parameters) or RTA_ENOMEM. */
int	rta_agg_merge(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *into, const struct rta_agg_acc *from,
	    struct rta_error *err);

/*
 * Append to b (rta_value encoding) the results object: each aggregate's
 * name and value (count and distinct integers; sum an integer while
 * exact, else a number; min, max, avg, stddev and percentiles numbers,
 * or null with nothing to report; first and last the value; topN an
 * array of {"value":…,"count":…,"error":…}).  0 or -1 (ENOMEM).
 */
int	rta_agg_results(const struct rta_agg_spec *specs, size_t n,
	    const struct rta_agg_acc *acc, struct rta_buf *b);
/*
 * The result of one aggregate as a number: count, sum, avg, min, max,
 * stddev, distinct and percentiles; 1, or 0 when it has none (no values,
 * or first, last and topN, which are not numbers).
 */
int	rta_agg_number(const struct rta_agg_spec *sp,
	    const struct rta_agg_acc *acc, double *v);

/* Append the states object, as above.  0 or -1 (ENOMEM). */
int	rta_agg_states(const struct rta_agg_spec *specs, size_t n,
	    const struct rta_agg_acc *acc, struct rta_buf *b);
/*
 * Set acc (initialised for specs) from a states object as
 * rta_agg_states writes it: RTA_OK, RTA_EDATA ("bad-state": a state is
 * missing, of another type, or damaged) or RTA_ENOMEM.
 */
int	rta_agg_load(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc, const unsigned char *states,
	    struct rta_error *err);
/* rta_agg_load of the states found already: st[i] is the member of the
 * states object that specs[i] is read from (NULL: missing). */
int	rta_agg_load_each(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc, const unsigned char *const *st,
	    struct rta_error *err);
/*
 * Merge the states found, st[i] for specs[i], into acc, as loading them
 * into fresh accumulators and rta_agg_merge would, with one accumulator
 * on the stack between: for the kinds rta_agg_simple names it allocates
 * nothing (for the others, rta_agg_reset of accumulators kept between
 * records costs less).  Errors as rta_agg_load.
 */
int	rta_agg_merge_each(const struct rta_agg_spec *specs, size_t n,
	    struct rta_agg_acc *acc, const unsigned char *const *st,
	    struct rta_error *err);
/* Whether every spec is of a kind that holds no sketch or value: count,
 * sum, avg, min, max, stddev. */
int	rta_agg_simple(const struct rta_agg_spec *specs, size_t n);

/*
 * A simple state's numbers, as loading it into an empty accumulator sets
 * them: for a store that keeps them apart from their records (a sealed
 * segment's columns, rta_cols.h, which load them into accumulators as
 * these do).  kind is the kind the state loads as: RTA_AGG_COUNT,
 * RTA_AGG_SUM (for avg too), RTA_AGG_MIN, RTA_AGG_MAX or RTA_AGG_STDDEV.
 */
struct rta_agg_num {
	uint64_t	 n;
	int64_t		 isum;
	double		 sum, mean, m2;
	int		 is_int;
};

/* The kind the state object st loads as, from its "type": 0, or -1 when
 * it is not one of the simple kinds' (or not an object). */
int	rta_agg_state_kind(const unsigned char *st, enum rta_agg_kind *kind);
/* Read st as loading it for kind would (the same checks): 0, or -1 where
 * that load would fail. */
int	rta_agg_num_read(enum rta_agg_kind kind, const unsigned char *st,
	    struct rta_agg_num *x);
/* Whether spec sp loads a state of the kind given (count from count, sum
 * and avg from sum, and so on). */
int	rta_agg_num_fits(const struct rta_agg_spec *sp, enum rta_agg_kind kind);

#endif
