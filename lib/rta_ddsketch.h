/*
 * rta_ddsketch.h: quantiles with a guaranteed relative error (DDSketch),
 * mergeable and serialisable, for the percentile aggregates of
 * rta-window and their roll-ups in rta-store and rta-query.
 *
 * Mapping.  gamma = (1 + alpha) / (1 - alpha).  A value v with
 * |v| >= RTA_DDS_MIN_VALUE (DBL_MIN, 2^-1022) goes to bin
 * i = ceil(log_gamma |v|) of the positive or the negative store, by its
 * sign; bin i holds (gamma^(i-1), gamma^i] and is answered by its
 * representative 2 gamma^i / (gamma + 1), sign applied, which is within
 * alpha of every value of the bin.  Smaller values (0, -0 and the
 * subnormals) are counted as zero and answered as 0.  The logarithm and
 * the exponential are computed here with IEEE-754 basic operations only
 * (no libm, no fused multiply-add), so a value falls into the same bin,
 * and a state gives the same answers, on every machine.
 *
 * Quantile.  For q in [0, 1] and n values, the answer stands for the
 * value x at 0-based rank floor(q * (n - 1)) of the sorted values (the
 * lower one: no interpolation; the rank is computed in double precision,
 * exact up to n = 2^53).  It is the representative of the bin holding
 * that rank, clamped to the exact [min, max], and the guarantee is
 *
 *	|answer - x| <= alpha * |x|  (+ 1e-12 |x| of rounding)
 *
 * for every q, when no bins were collapsed and |x| >= RTA_DDS_MIN_VALUE
 * (else |answer - x| < RTA_DDS_MIN_VALUE).  rta_dds_alpha() is the
 * alpha to use: the one init was given, within a few units in the last
 * place (it is derived from gamma, the encoded parameter).
 *
 * Memory bound.  Each store keeps at most max_bins contiguous bins of
 * 8 bytes.  When a store's values would span more bins, the bins of
 * smallest magnitude are collapsed (the paper's collapsing-lowest
 * store): with hi the store's highest bin, every value of a lower bin
 * than L = hi - max_bins + 1 is counted in bin L.  The guarantee then
 * still holds for every q whose exact answer x has |x| > gamma^L in its
 * store (the high quantiles of positive values, the low quantiles of
 * negative ones); answers inside the collapsed range have no bound
 * beyond [min, max].  A store keeps up to RTA_DDS_SPARSE non-empty
 * bins inside the sketch, and an array of its range's bins only beyond
 * that.  A sketch holds at most 16 * max_bins bytes of
 * heap (rta_dds_memory), whatever the stream (twice that for a moment
 * while a store grows, or while a sketch is merged into itself).  At
 * alpha 1%, 2048 bins cover a ratio of 6e17: only values below about
 * 1.6e-18 times the largest of their sign are collapsed.
 *
 * Determinism.  The state after a sequence of adds is a function of the
 * multiset of values (bins, zero count, count, min, max) plus the sum,
 * which is a double added in order: min and max take -0 as +0, and a
 * NaN sum is stored as one canonical NaN.  Merging is exact bin for bin
 * (also when collapsing happened, as long as the merged sketch has no
 * more bins than the other: see rta_dds_merge), so any order or grouping
 * of merges gives the same bins, count, min and max; only the sum may
 * differ in its last bits.
 *
 * Encoding (version 1), little-endian:
 *	'D', 1, gamma (8 bytes, IEEE-754 bits), max_bins (varint),
 *	zero count (varint), negative store, positive store,
 *	and if the count is not 0: min, max, sum (8 bytes each).
 * A store is a varint number of runs, then per run: its first bin (the
 * first run: zigzag varint of the index; later runs: varint of the
 * empty bins after the previous run, minus 3), a varint of its length
 * minus 1, and a varint count per bin.  A run starts and ends with a
 * non-empty bin and holds no 3 empty bins in a row (3 or more split
 * it).  Varints are LEB128, shortest form.  The count is the zero count
 * plus the bins'.  Canonical: every input the decoder accepts encodes
 * back to the same bytes.  It requires shortest varints, runs as above,
 * indexes in the range of gamma, at most max_bins bins between a
 * store's lowest and highest, no count overflow, finite min <= max with
 * the sign class (negative, zero, positive) of the first and last
 * non-empty bins and not -0, min == max only when one bin is used (and
 * when the count is 1), a sum that is neither -0 nor a NaN other than
 * the canonical one, and no trailing bytes.  It does not check that
 * min, max and sum are otherwise consistent with the bins (the answers
 * stay inside [min, max] regardless).
 * Sizes measured (alpha 1%, 2048 bins): an empty sketch 15 bytes; one
 * value 43 (the fixed part: gamma, min, max and sum take 32); 300
 * latencies uniform over 20-80 ms 112; 10,000 lognormal latencies
 * (median 50 ms, a tail to 10 s) 466; 200,000 values log-uniform over
 * 1e-3 to 1e6 (1,036 bins) 2,116.
 */
#ifndef RTA_DDSKETCH_H
#define RTA_DDSKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

#define RTA_DDS_ALPHA_DEFAULT	0.01
#define RTA_DDS_BINS_DEFAULT	2048
/* alpha below this is refused: the bin indexes must fit 32 bits and
 * the rounding of the mapping stay far below alpha */
#define RTA_DDS_ALPHA_MIN	1e-6
#define RTA_DDS_ALPHA_MAX	0.5
#define RTA_DDS_BINS_MIN	16U
#define RTA_DDS_BINS_MAX	65536U
/* smaller magnitudes count as zero: DBL_MIN */
#define RTA_DDS_MIN_VALUE	0x1p-1022
#define RTA_DDS_TYPE		'D'
#define RTA_DDS_VERSION		1

/* Non-empty bins a store keeps inline before it takes an array. */
#define RTA_DDS_SPARSE		64
#define RTA_DDS_DENSE		UINT32_MAX	/* rta_dds_store's ns */

/*
 * One sign's bins, in one of two forms.  Sparse (ns is not
 * RTA_DDS_DENSE): sp[0..ns) are the non-empty bins, ascending, with
 * their counts.  Dense: b[k] counts bin off + k.  A sparse store may keep
 * a dense form's array (all zero) for when it grows.  lo and hi are its
 * lowest and highest non-empty bins when total is not 0.  The form
 * changes nothing a caller sees: the bins, answers and encoding are the
 * same.
 */
struct rta_dds_store {
	uint64_t	*b;
	int64_t		 off;
	uint32_t	 cap;
	int32_t		 lo, hi;
	uint32_t	 ns;
	uint64_t	 total;
	struct rta_dds_pair {
		int32_t		 bin;
		uint32_t	 n;
	}		 sp[RTA_DDS_SPARSE];
};

struct rta_dds {
	double			 gamma;		/* the parameter */
	double			 alpha;		/* (gamma - 1) / (gamma + 1) */
	double			 lng;		/* ln gamma */
	double			 inv_lng;
	unsigned		 max_bins;	/* per store */
	int32_t			 imin, imax;	/* bins of DBL_MIN, DBL_MAX */
	struct rta_dds_store	 neg, pos;	/* bins of |v| by sign */
	uint64_t		 zero;
	uint64_t		 count;
	double			 min, max, sum;	/* valid when count > 0 */
};

/*
 * Set up an empty sketch (nothing is allocated until values come).
 * RTA_OK, or RTA_EINVAL when alpha is not in [RTA_DDS_ALPHA_MIN, 0.5]
 * or max_bins not in [16, 65536]; on failure s holds nothing.
 */
int	rta_dds_init(struct rta_dds *s, double alpha, unsigned max_bins);
/* An empty sketch with the parameters (gamma, max_bins) of like (a
 * sketch set up by init or decode), which can be merged with it. */
void	rta_dds_init_like(struct rta_dds *s, const struct rta_dds *like);
/* Free the bins; s is then empty (count 0) and must be set up again
 * before use.  Accepts a zeroed or released sketch. */
void	rta_dds_release(struct rta_dds *s);
/* Forget every value, keeping the parameters and the storage. */
void	rta_dds_reset(struct rta_dds *s);
/* dst (not set up) becomes a new copy of src.  RTA_OK or RTA_ENOMEM
 * (dst then holds nothing). */
int	rta_dds_copy(struct rta_dds *dst, const struct rta_dds *src);

/*
 * Add v (n times).  RTA_OK; RTA_EINVAL for a NaN or infinite v or when
 * the count would pass 2^64 - 1; RTA_ENOMEM.  On failure s is unchanged.
 * Adding 0 times changes nothing.
 */
int	rta_dds_add(struct rta_dds *s, double v);
int	rta_dds_add_n(struct rta_dds *s, double v, uint64_t n);

/* Values added (merged ones included). */
uint64_t rta_dds_count(const struct rta_dds *s);
/* The exact smallest and largest values (NaN when empty); the sum of
 * the values as a double (0 when empty; may be infinite or NaN). */
double	rta_dds_min(const struct rta_dds *s);
double	rta_dds_max(const struct rta_dds *s);
double	rta_dds_sum(const struct rta_dds *s);
/* The q-quantile as defined above; NaN when empty or q not in [0, 1]. */
double	rta_dds_quantile(const struct rta_dds *s, double q);
/* The relative accuracy the bins guarantee. */
double	rta_dds_alpha(const struct rta_dds *s);
/* Bytes of heap the sketch holds (at most 16 * max_bins). */
size_t	rta_dds_memory(const struct rta_dds *s);

/*
 * into becomes the sketch of both streams.  Its max_bins is kept; when
 * from's max_bins is not smaller, the bins are exactly those of a
 * sketch fed both streams (in any order), as are the count, min and
 * max; the sum is into's plus from's.  into may be from (every count
 * doubles).  RTA_OK; RTA_EINVAL "sketch-mismatch" when the gammas are
 * not bit for bit equal, "count-overflow" when the count would pass
 * 2^64 - 1; RTA_ENOMEM.  On failure into is unchanged.
 */
int	rta_dds_merge(struct rta_dds *into, const struct rta_dds *from,
	    struct rta_error *err);

/* Append the encoding of s to out.  0, or -1 (ENOMEM; out unchanged). */
int	rta_dds_encode(const struct rta_dds *s, struct rta_buf *out);
/*
 * Set up s from exactly len bytes at p.  RTA_OK, RTA_EDATA "bad-sketch"
 * (err says what is wrong and offset where) or RTA_ENOMEM; on failure s
 * holds nothing.  At most 16 * max_bins bytes are allocated, and only
 * for the bins the input spans.
 */
int	rta_dds_decode(struct rta_dds *s, const void *p, size_t len,
	    struct rta_error *err);

#endif
