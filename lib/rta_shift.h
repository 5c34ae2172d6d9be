/*
 * rta_shift.h: how far a window's distribution of a field has moved
 * from a baseline, scored from the mergeable sketches rta-window keeps.
 *
 * Numeric fields (DDSketch states, rta_ddsketch.h).  The baseline's
 * deciles cut the line into ten bins; each sketch's share of its values
 * in each bin is read from its distribution function (the largest q
 * whose quantile is at most the edge, to 1/4096).  The population
 * stability index is
 *
 *	PSI = sum over bins of (c - b) * ln(c / b)
 *
 * with b and c the baseline's and the window's shares, each at least
 * RTA_SHIFT_FLOOR (an empty bin would make it infinite).  By custom,
 * below 0.1 is no shift, 0.1 to 0.25 a moderate one, above 0.25 a
 * significant one.  But samples of one distribution differ by chance,
 * the more the smaller they are: PSI is then close to (1/n + 1/m) times
 * a chi-squared variable of k - 1 degrees of freedom, for k bins and n
 * and m values.  psi_critical is what it passes once in a thousand
 * windows that did not shift (its 99.9th percentile, by Wilson and
 * Hilferty's approximation): 0.51 for ten bins and a window of 60
 * values against 600, 0.03 for 1,000 against 10,000.  A shift is
 * significant when PSI passes both the threshold and psi_critical.  Each
 * share is smoothed by half a value per bin, so that an empty bin of a
 * small window does not count as a share of nothing.  The quantile distance is the largest change of the
 * 5th, 10th, 25th, 50th, 75th, 90th and 95th percentiles, each in units
 * of the baseline's interquartile range (its median's magnitude when
 * that range is 0, or 1 when both are): a scale-free shift of location
 * or spread, which also sees a tail that moves (10% of the values going
 * far past the top decile barely changes PSI).  It too varies by chance:
 * qdist_critical, 5.16 sqrt(1/n + 1/m), is what the 5th or 95th
 * percentile of normal data moves once in a thousand windows (in
 * interquartile ranges; 5.2 for a window of one value, 0.70 for 60
 * against 600).  The three quantiles that moved most are reported.
 *
 * Categorical fields (top-k states, rta_topk.h).  The categories are
 * the baseline's counted ones (up to the sketch's capacity), and all
 * others together as one more, "other"; PSI is over those shares.  The
 * share of new categories is the window's share of values whose
 * category the baseline has no counter for.  The three categories whose
 * share moved most are reported.  Counts of a full sketch are estimates
 * (within the sketch's bounds), so are the shares.
 */
#ifndef RTA_SHIFT_H
#define RTA_SHIFT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_ddsketch.h"
#include "rta_err.h"
#include "rta_topk.h"

#define RTA_SHIFT_FLOOR		1e-4
#define RTA_SHIFT_TOP		3	/* most shifted quantiles or
					 * categories reported */
#define RTA_SHIFT_PSI_DEFAULT	0.25
#define RTA_SHIFT_QDIST_DEFAULT	1.0	/* a quantile moved by the IQR */

struct rta_shift_q {
	double		 q, base, cur;
};

struct rta_shift_cat {
	const char	*item;		/* borrowed from the sketches */
	size_t		 len;		/* item NULL: "other" */
	double		 base, cur;	/* shares */
};

struct rta_shift {
	double			 psi;
	double			 psi_critical;	/* reached by chance once in
						 * 1,000 unshifted windows */
	double			 qdist;		/* numeric */
	double			 qdist_critical;
	double			 new_share;	/* categorical */
	size_t			 n;		/* entries of top */
	struct rta_shift_q	 q[RTA_SHIFT_TOP];
	struct rta_shift_cat	 cat[RTA_SHIFT_TOP];
};

/* The numeric scores of cur against base (both non-empty). */
void	rta_shift_numeric(const struct rta_dds *base, const struct rta_dds *cur,
	    struct rta_shift *out);

/* The share of s's values at most x, to 1/4096. */
double	rta_shift_cdf(const struct rta_dds *s, double x);

/* The categorical scores of cur against base (both non-empty).  RTA_OK
 * or RTA_ENOMEM. */
int	rta_shift_categorical(const struct rta_topk *base,
	    const struct rta_topk *cur, struct rta_shift *out,
	    struct rta_error *err);

/* ---- watching a stream of windows ------------------------------------- */

/*
 * A watch keeps, per group, the encoded sketches of its last windows (a
 * ring of at most baseline / size, up to RTA_SHIFT_RING_MAX, grown as
 * windows come), and scores each window that closes against the merge
 * of those that started in the baseline before it.  Memory: at most
 * max_groups rings of encoded sketches (a window's DDSketch takes a few
 * hundred bytes, a top-k state up to a few KiB); at the limit, the rings
 * of groups without a window in the last baseline are forgotten.
 */
#define RTA_SHIFT_RING_MAX	10000

struct rta_shift_watch;

/* What a window was scored against. */
struct rta_shift_base {
	uint64_t	 windows;	/* baseline windows merged */
	uint64_t	 count;		/* values in them */
};

/* A new watch: categorical (top-k states) or numeric (DDSketch), a
 * baseline of baseline µs, windows of size µs, at least min_windows of
 * them to score, at most max_groups groups.  RTA_OK or RTA_ENOMEM. */
int	rta_shift_watch_new(int categorical, int64_t baseline, int64_t size,
	    unsigned min_windows, uint64_t max_groups,
	    struct rta_shift_watch **wp, struct rta_error *err);
void	rta_shift_watch_free(struct rta_shift_watch *w);
/*
 * A stored baseline.  A watch made with a baseline of 0 keeps no
 * windows: it scores each window against the sketch its group was given
 * here (the union, when given again), and leaves groups without one
 * unscored; base->windows is then 1.  A sketch with no values sets
 * nothing.  RTA_OK, RTA_ENOMEM, or RTA_EINVAL for sketches of other
 * parameters.
 */
int	rta_shift_watch_fix(struct rta_shift_watch *w, const void *key,
	    size_t klen, const void *sketch, struct rta_error *err);

/*
 * The window starting at start of the group key[0..klen) closed with
 * sketch (a struct rta_dds or struct rta_topk, as the watch is): score
 * it, then keep it.  *scored is 1 when *out and *base were filled (out's
 * items are borrowed until the next call), 0 for an empty window, too
 * little baseline, or a new group when max_groups baselines are held
 * and none is older than the baseline (to be forgotten): *full then.
 * RTA_OK, RTA_ENOMEM, or RTA_EDATA for a damaged kept sketch.
 */
int	rta_shift_watch_close(struct rta_shift_watch *w, const void *key,
	    size_t klen, int64_t start, const void *sketch,
	    struct rta_shift *out, struct rta_shift_base *base, int *scored,
	    int *full, struct rta_error *err);

/* Append the watch's rings to b (for a checkpoint; none for a stored
 * baseline, read again on restart): 0 or -1 (ENOMEM). */
int	rta_shift_watch_save(const struct rta_shift_watch *w,
	    struct rta_buf *b);
/* Load what save wrote from p[0..len) into an empty watch (max_groups
 * aside: a checkpoint of a run with a higher limit loads whole); *used
 * is the bytes read.  RTA_OK, RTA_EDATA ("bad-state") or RTA_ENOMEM. */
int	rta_shift_watch_load(struct rta_shift_watch *w, const unsigned char *p,
	    size_t len, size_t *used, struct rta_error *err);

#endif
