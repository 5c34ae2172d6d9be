/*
 * rta_ddsketch.c: DDSketch with a logarithmic mapping and collapsing-
 * lowest stores, sparse while small.
 *
 * A store starts sparse: its non-empty bins, ascending, with 32-bit
 * counts, inside the sketch.  A window's sketch of a few dozen values
 * then needs no allocation, its adds touch a few cache lines instead of
 * one per value across a range of some hundreds of bins, and the
 * encoder and the quantiles walk only the bins in use.  The store takes
 * the dense form (below) when a bin more than RTA_DDS_SPARSE would be
 * needed, a count would pass 32 bits, or bins would have to be
 * collapsed; rta_dds_reset makes it sparse again, keeping the array
 * (cleared) for next time.  Every function gives the same bins, answers
 * and bytes for both forms (check_rta_ddsketch compares them).
 *
 * A dense store is an array of counts b[0..cap) for the bins
 * off..off+cap-1.  Invariants, for a store with total > 0: lo <= hi,
 * both inside the array (or the first and last sparse bins), b at lo
 * and at hi is not 0, every count outside [lo, hi] is 0, hi - lo <
 * max_bins and cap <= max_bins; an empty store has only zero counts, and
 * a sparse store's kept array only zero counts.  Whatever the order of
 * the adds, the bins are: each value's bin, raised to hi - max_bins + 1
 * when below (hi only grows, and a value below the floor either meets it
 * on arrival or is folded up to it when hi moves), so they depend on the
 * multiset of values alone and merging two sketches is exact.
 *
 * Growing a store first plans the new array (allocating only when the
 * range does not fit the current one), then commits; a merge plans both
 * stores before committing either, so a failed allocation leaves the
 * sketch as it was.  A store whose range has to move inside an array
 * that is large enough shifts in place, leaving room on the side it
 * grows to: hi rises at most imax - imin times over a store's life, so
 * the shifts cost O(max_bins) each, a bounded number of times.
 *
 * The logarithm and exponential below use only additions,
 * multiplications, divisions and exact bit manipulations, so the bins
 * and the answers do not depend on the machine's libm.  Under clang the
 * pragma keeps the compiler from fusing them into FMAs (which would
 * round differently on machines that have them); GCC does not contract
 * in ISO C mode (-std=c11).  The bins are defined by dds_ln; a quicker
 * logarithm finds them for the values it can prove far enough from a
 * bin's edge, and dds_ln decides the rest.
 *
 * The encoder and the quantiles walk the bins: an encoding takes one
 * pass, and a quantile adds up from the nearer end of its store.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_ddsketch.h"

#define SQRT2		1.41421356237309504880
#define LN2_HI		6.93147180369123816490e-01	/* 0x3fe62e42fee00000 */
#define LN2_LO		1.90821492927058770002e-10
#define INV_LN2		1.44269504088896338700e+00
#define SPLIT_ZEROS	3	/* empty bins that split a run */
#define MIN_BIN_ALLOC	32U

/* ---- arithmetic ---------------------------------------------------------- */

/* ln x for a normal, finite x > 0, to a few units in the last place. */
static double
dds_ln(double x)
{
	uint64_t u;
	double m, s, s2, p;
	int e;

	memcpy(&u, &x, sizeof(u));
	e = (int)(u >> 52 & 0x7ff) - 1023;
	u = (u & 0xfffffffffffffULL) | 0x3ff0000000000000ULL;
	memcpy(&m, &u, sizeof(m));		/* [1, 2) */
	if (m > SQRT2) {
		m *= 0.5;
		e++;
	}
	/* ln m = 2 atanh s, |s| <= 0.1716: 10 terms of the series */
	s = (m - 1) / (m + 1);
	s2 = s * s;
	p = 1.0 / 21;
	p = p * s2 + 1.0 / 19;
	p = p * s2 + 1.0 / 17;
	p = p * s2 + 1.0 / 15;
	p = p * s2 + 1.0 / 13;
	p = p * s2 + 1.0 / 11;
	p = p * s2 + 1.0 / 9;
	p = p * s2 + 1.0 / 7;
	p = p * s2 + 1.0 / 5;
	p = p * s2 + 1.0 / 3;
	p = p * s2;
	return (double)e * LN2_HI + ((double)e * LN2_LO + (2 * s + 2 * s * p));
}

/*
 * 1/c and -ln(1/c), rounded, for c the middle of each 1/32 of [1, 2):
 * c = (65 + 2j) / 64.
 */
static const struct {
	double	invc, lnc;
} ln_tab[32] = {
	{ 0x1.f81f81f81f820p-1, 0x1.fc0a8b0fc03c4p-7 },
	{ 0x1.e9131abf0b767p-1, 0x1.77458f632dcffp-5 },
	{ 0x1.dae6076b981dbp-1, 0x1.341d7961bd1d0p-4 },
	{ 0x1.cd85689039b0bp-1, 0x1.a926d3a4ad562p-4 },
	{ 0x1.c0e070381c0e0p-1, 0x1.0d77e7cd08e5bp-3 },
	{ 0x1.b4e81b4e81b4fp-1, 0x1.44d2b6ccb7d1cp-3 },
	{ 0x1.a98ef606a63bep-1, 0x1.7ab890210d907p-3 },
	{ 0x1.9ec8e951033d9p-1, 0x1.af3c94e80bff3p-3 },
	{ 0x1.948b0fcd6e9e0p-1, 0x1.e27076e2af2e8p-3 },
	{ 0x1.8acb90f6bf3aap-1, 0x1.0a324e27390e2p-2 },
	{ 0x1.8181818181818p-1, 0x1.22941fbcf7966p-2 },
	{ 0x1.78a4c8178a4c8p-1, 0x1.3a64c556945eap-2 },
	{ 0x1.702e05c0b8170p-1, 0x1.51aad872df82ep-2 },
	{ 0x1.6816816816817p-1, 0x1.686c81e9b14adp-2 },
	{ 0x1.6058160581606p-1, 0x1.7eaf83b82afc2p-2 },
	{ 0x1.58ed2308158edp-1, 0x1.947941c2116fbp-2 },
	{ 0x1.51d07eae2f815p-1, 0x1.a9cec9a9a084ap-2 },
	{ 0x1.4afd6a052bf5bp-1, 0x1.beb4d9da71b7ap-2 },
	{ 0x1.446f86562d9fbp-1, 0x1.d32fe7e00ebd5p-2 },
	{ 0x1.3e22cbce4a902p-1, 0x1.e744261d68789p-2 },
	{ 0x1.3813813813814p-1, 0x1.faf588f78f31dp-2 },
	{ 0x1.323e34a2b10bfp-1, 0x1.0723e5c1cdf41p-1 },
	{ 0x1.2c9fb4d812ca0p-1, 0x1.109f39e2d4c96p-1 },
	{ 0x1.27350b8812735p-1, 0x1.19ee6b467c96fp-1 },
	{ 0x1.21fb78121fb78p-1, 0x1.23130d7bebf43p-1 },
	{ 0x1.1cf06ada2811dp-1, 0x1.2c0e9ed448e8cp-1 },
	{ 0x1.1811811811812p-1, 0x1.34e289d9ce1d2p-1 },
	{ 0x1.135c81135c811p-1, 0x1.3d9026a7156fbp-1 },
	{ 0x1.0ecf56be69c90p-1, 0x1.4618bc21c5ec2p-1 },
	{ 0x1.0a6810a6810a7p-1, 0x1.4e7d811b75bb0p-1 },
	{ 0x1.0624dd2f1a9fcp-1, 0x1.56bf9d5b3f399p-1 },
	{ 0x1.0204081020408p-1, 0x1.5ee02a9241676p-1 },
};

/*
 * ln x as dds_ln, quicker and a little less precise: x = 2^e m with m in
 * [1, 2) and c the middle of its 1/32, ln x = e ln 2 + lnc + ln(1 + r)
 * with 1 + r = m invc, so |r| <= 2^-6 and 7 terms of the series leave
 * less than 2^-51.  Within 2^-50 + 2^-53 |ln x| of ln x, where dds_ln
 * is within 2^-52 + 2^-53 |ln x| (the roundings of s, the series and
 * the sums); no division, and a short chain of dependent operations.
 */
static double
quick_ln(double x)
{
	uint64_t u;
	double m, r, p;
	int e, j;

	memcpy(&u, &x, sizeof(u));
	e = (int)(u >> 52 & 0x7ff) - 1023;
	j = (int)(u >> 47 & 31);
	u = (u & 0xfffffffffffffULL) | 0x3ff0000000000000ULL;
	memcpy(&m, &u, sizeof(m));		/* [1, 2) */
	r = m * ln_tab[j].invc - 1;	/* the subtraction is exact */
	p = 1.0 / 7;
	p = p * r - 1.0 / 6;
	p = p * r + 1.0 / 5;
	p = p * r - 1.0 / 4;
	p = p * r + 1.0 / 3;
	p = p * r - 1.0 / 2;
	p = p * r * r + r;
	return (double)e * LN2_HI + ((double)e * LN2_LO + ln_tab[j].lnc + p);
}

/* e^y, to a few units in the last place; overflows to infinity. */
static double
dds_exp(double y)
{
	double k, r, p;

	if (y > 710)
		return HUGE_VAL;
	if (y < -746)
		return 0;
	k = floor(y * INV_LN2 + 0.5);
	r = (y - k * LN2_HI) - k * LN2_LO;	/* |r| <= 0.35 */
	p = 1.0 / 6227020800;			/* 1/13! */
	p = p * r + 1.0 / 479001600;
	p = p * r + 1.0 / 39916800;
	p = p * r + 1.0 / 3628800;
	p = p * r + 1.0 / 362880;
	p = p * r + 1.0 / 40320;
	p = p * r + 1.0 / 5040;
	p = p * r + 1.0 / 720;
	p = p * r + 1.0 / 120;
	p = p * r + 1.0 / 24;
	p = p * r + 1.0 / 6;
	p = p * r + 0.5;
	p = p * r + 1;
	p = p * r + 1;
	return ldexp(p, (int)k);
}

static double
gamma_of(double alpha)
{
	return (1 + alpha) / (1 - alpha);
}

/*
 * The bin of a (RTA_DDS_MIN_VALUE <= a <= DBL_MAX) without clamping: by
 * definition ceil(dds_ln(a) / ln gamma).  The two logarithms are within
 * 2^-49 + 2^-52 |ln a| of each other, so their quotients y, roundings
 * included, within 2^-49 inv_lng + 2^-51 |y|: when quick_ln's y is
 * farther than d (2^13 times that) from the integers around it, both
 * have the same ceiling.  Otherwise dds_ln decides: at alpha 1%, for
 * one value in 10^7 or 10^8.  The bin is dds_ln's either way, bit for
 * bit (check_rta_ddsketch compares them at every bin's edges).
 */
static int64_t
raw_index(const struct rta_dds *s, double a)
{
	double y = quick_ln(a) * s->inv_lng;
	double d = (s->inv_lng + fabs(y)) * 0x1p-36;
	int64_t k = (int64_t)y;		/* |y| < 2^29 */

	k += k < y;			/* ceil(y) */
	if (y - d > (double)k - 1 && y + d <= (double)k)
		return k;
	return (int64_t)ceil(dds_ln(a) * s->inv_lng);
}

/*
 * The bins of the integers 1 to MEMO_N - 1 at the default accuracy, kept
 * as they are met: latencies, sizes and counts are mostly small
 * integers, and a load then stands for the logarithm.  An entry holds
 * its bin plus one (0: not met yet), written and read whole, so that
 * threads sharing the table see a bin or nothing.
 */
#define MEMO_N	4096
static int32_t memo[MEMO_N];
static const double memo_gamma = (1 + RTA_DDS_ALPHA_DEFAULT) /
    (1 - RTA_DDS_ALPHA_DEFAULT);	/* gamma_of's, to the bit */

static int32_t
bin_of(const struct rta_dds *s, double a)
{
	int64_t t;
	int32_t i = 0, m;

	if (a < MEMO_N && s->gamma == memo_gamma && a == (double)(int32_t)a) {
		i = (int32_t)a;		/* >= 1: a is at least DBL_MIN */
		if ((m = __atomic_load_n(&memo[i], __ATOMIC_RELAXED)) != 0)
			return m - 1;
	}
	t = raw_index(s, a);
	/* the mapping is monotone only to the last place: stay in range */
	if (t < s->imin)
		t = s->imin;
	if (t > s->imax)
		t = s->imax;
	if (i > 0)
		__atomic_store_n(&memo[i], (int32_t)t + 1, __ATOMIC_RELAXED);
	return (int32_t)t;
}

/* The value bin i stands for: 2 gamma^i / (gamma + 1). */
static double
representative(const struct rta_dds *s, int32_t i)
{
	return dds_exp((double)i * s->lng) * (2 / (s->gamma + 1));
}

/* Set the parameters from gamma, which is in range. */
static void
set_params(struct rta_dds *s, double gamma, unsigned max_bins)
{
	memset(s, 0, sizeof(*s));
	s->gamma = gamma;
	s->alpha = (gamma - 1) / (gamma + 1);
	s->lng = dds_ln(gamma);
	s->inv_lng = 1 / s->lng;
	s->max_bins = max_bins;
	s->imin = (int32_t)raw_index(s, RTA_DDS_MIN_VALUE);
	s->imax = (int32_t)raw_index(s, 0x1.fffffffffffffp1023);
}

/* ---- stores -------------------------------------------------------------- */

static inline uint64_t *
bin_at(const struct rta_dds_store *st, int64_t i)
{
	return &st->b[i - st->off];
}

static inline int
is_sparse(const struct rta_dds_store *st)
{
	return st->ns != RTA_DDS_DENSE;
}

/* The first of st's sparse bins that is not below i (ns if none): a
 * binary search without branches on the data. */
static inline uint32_t
sparse_find(const struct rta_dds_store *st, int64_t i)
{
	const struct rta_dds_pair *p = st->sp;
	uint32_t n = st->ns, h;

	if (n == 0)
		return 0;
	while (n > 1) {
		h = n / 2;
		p = p[h].bin < i ? p + h : p;
		n -= h;
	}
	return (uint32_t)(p - st->sp) + (p->bin < i);
}

/*
 * Add n to bin i of a sparse store, as the dense form would: 0, or 1
 * when the store has to take the dense form first (no room for another
 * bin, a count past 32 bits, or a range past max_bins: collapsing).
 */
static int
sparse_add(struct rta_dds_store *st, int64_t i, uint64_t n,
    unsigned max_bins)
{
	struct rta_dds_pair *p;
	uint32_t j;

	if (st->total == 0) {
		if (n > UINT32_MAX)
			return 1;
		st->sp[0].bin = (int32_t)i;
		st->sp[0].n = (uint32_t)n;
		st->ns = 1;
		st->lo = st->hi = (int32_t)i;
		st->total = n;
		return 0;
	}
	if ((i > st->hi ? i : st->hi) - (i < st->lo ? i : st->lo) >=
	    (int64_t)max_bins)
		return 1;
	j = sparse_find(st, i);
	p = &st->sp[j];
	if (j < st->ns && p->bin == i) {
		if (n > UINT32_MAX - p->n)
			return 1;
		p->n += (uint32_t)n;
	} else {
		if (st->ns == RTA_DDS_SPARSE || n > UINT32_MAX)
			return 1;
		memmove(p + 1, p, (st->ns - j) * sizeof(*p));
		p->bin = (int32_t)i;
		p->n = (uint32_t)n;
		st->ns++;
		if (i < st->lo)
			st->lo = (int32_t)i;
		if (i > st->hi)
			st->hi = (int32_t)i;
	}
	st->total += n;
	return 0;
}

/*
 * A sparse store takes the dense form, in its kept array if that is
 * large enough (and so all zero).  0, or -1 on ENOMEM (st unchanged).
 */
static int
densify(struct rta_dds_store *st, unsigned max_bins)
{
	uint64_t span = st->total != 0 ? (uint64_t)(st->hi - st->lo + 1) : 1;
	uint64_t *nb;
	uint32_t cap, j;

	assert(is_sparse(st) && span <= max_bins);
	if (st->b == NULL || st->cap < span) {
		cap = MIN_BIN_ALLOC;
		while (cap < span)
			cap *= 2;
		if (cap > max_bins)
			cap = max_bins;
		if ((nb = rta_calloc(cap, sizeof(uint64_t))) == NULL)
			return -1;
		rta_free(st->b);
		st->b = nb;
		st->cap = cap;
	}
	st->off = st->total != 0 ? st->lo : 0;
	for (j = 0; j < st->ns; j++)
		*bin_at(st, st->sp[j].bin) = st->sp[j].n;
	st->ns = RTA_DDS_DENSE;
	return 0;
}

/* How a store is to hold the bins [nlo, nhi]. */
struct plan {
	int		 how;		/* in place, shift, new array */
	uint64_t	*b;		/* the new array */
	uint32_t	 cap;
	int64_t		 off;
};

enum { P_KEEP, P_SHIFT, P_NEW };

/*
 * Plan room for [nlo, nhi] (at most max_bins, nhi >= the store's hi) in
 * st, the bins below nlo to be folded into nlo.  0, or -1 on ENOMEM.
 */
static int
plan_store(const struct rta_dds_store *st, int64_t nlo, int64_t nhi,
    unsigned max_bins, struct plan *pl)
{
	uint64_t span = (uint64_t)(nhi - nlo + 1);
	uint32_t cap;

	assert(nlo <= nhi && span <= max_bins);
	memset(pl, 0, sizeof(*pl));
	if (st->b != NULL && nlo >= st->off &&
	    nhi < st->off + (int64_t)st->cap) {
		pl->how = P_KEEP;
		return 0;
	}
	if (st->b != NULL && span <= st->cap) {
		pl->how = P_SHIFT;
		cap = st->cap;
	} else {
		pl->how = P_NEW;
		cap = st->cap < MIN_BIN_ALLOC / 2 ? MIN_BIN_ALLOC : st->cap * 2;
		while (cap < span)
			cap *= 2;
		if (cap > max_bins)
			cap = max_bins;
		if ((pl->b = rta_calloc(cap, sizeof(uint64_t))) == NULL)
			return -1;
	}
	pl->cap = cap;
	/* room on the side the store grows to */
	if (st->total == 0 || nhi > st->hi)
		pl->off = nlo;
	else
		pl->off = nhi - (int64_t)cap + 1;
	return 0;
}

static void
plan_drop(struct plan *pl)
{
	rta_free(pl->b);
	pl->b = NULL;
}

/* Carry out a plan: the store spans [nlo, nhi], with the bins that were
 * below nlo counted in nlo. */
static void
commit_store(struct rta_dds_store *st, struct plan *pl, int64_t nlo,
    int64_t nhi)
{
	uint64_t fold = 0;
	int64_t k, keep_lo;

	if (st->total != 0 && st->lo < nlo) {
		for (k = st->lo; k < nlo && k <= st->hi; k++) {
			fold += *bin_at(st, k);
			*bin_at(st, k) = 0;
		}
	}
	keep_lo = st->total != 0 && st->lo > nlo ? st->lo : nlo;
	if (pl->how == P_NEW) {
		if (st->total != 0 && keep_lo <= st->hi)
			memcpy(pl->b + (keep_lo - pl->off), bin_at(st, keep_lo),
			    (size_t)(st->hi - keep_lo + 1) * sizeof(uint64_t));
		rta_free(st->b);
		st->b = pl->b;
		pl->b = NULL;
		st->cap = pl->cap;
		st->off = pl->off;
	} else if (pl->how == P_SHIFT) {
		if (st->total != 0 && keep_lo <= st->hi) {
			size_t n = (size_t)(st->hi - keep_lo + 1);
			size_t from = (size_t)(keep_lo - st->off);
			size_t to = (size_t)(keep_lo - pl->off);

			memmove(st->b + to, st->b + from,
			    n * sizeof(uint64_t));
			/* clear what the move left behind */
			memset(st->b, 0, to * sizeof(uint64_t));
			memset(st->b + to + n, 0,
			    (st->cap - to - n) * sizeof(uint64_t));
		} else
			memset(st->b, 0, st->cap * sizeof(uint64_t));
		st->off = pl->off;
	}
	*bin_at(st, nlo) += fold;
	st->lo = (int32_t)nlo;
	st->hi = (int32_t)nhi;
}

/* Add n to bin i of st (collapsing as needed).  0, or -1 (ENOMEM). */
static int
store_add(struct rta_dds_store *st, int64_t i, uint64_t n,
    unsigned max_bins)
{
	struct plan pl;
	int64_t nlo, nhi, floor_bin;

	if (is_sparse(st)) {
		if (sparse_add(st, i, n, max_bins) == 0)
			return 0;
		if (densify(st, max_bins) != 0)
			return -1;
	}
	if (st->total != 0 && i >= st->lo && i <= st->hi) {
		*bin_at(st, i) += n;
		st->total += n;
		return 0;
	}
	if (st->total == 0) {
		nlo = nhi = i;
	} else {
		nhi = i > st->hi ? i : st->hi;
		floor_bin = nhi - (int64_t)max_bins + 1;
		nlo = i < st->lo ? i : st->lo;
		if (nlo < floor_bin)
			nlo = floor_bin;
		if (i < floor_bin)
			i = floor_bin;
	}
	if (plan_store(st, nlo, nhi, max_bins, &pl) != 0)
		return -1;
	commit_store(st, &pl, nlo, nhi);
	*bin_at(st, i) += n;
	st->total += n;
	return 0;
}

/* The range into's store takes to hold from's bins too. */
static void
merge_range(const struct rta_dds_store *a, const struct rta_dds_store *b,
    unsigned max_bins, int64_t *nlo, int64_t *nhi)
{
	int64_t lo = b->lo, hi = b->hi;

	if (a->total != 0) {
		lo = a->lo < lo ? a->lo : lo;
		hi = a->hi > hi ? a->hi : hi;
	}
	if (lo < hi - (int64_t)max_bins + 1)
		lo = hi - (int64_t)max_bins + 1;
	*nlo = lo;
	*nhi = hi;
}

static void
store_release(struct rta_dds_store *st)
{
	rta_free(st->b);
	memset(st, 0, sizeof(*st));
}

/* Empty and sparse again, a dense form's array kept (all zero). */
static void
store_reset(struct rta_dds_store *st)
{
	if (!is_sparse(st) && st->total != 0)
		memset(bin_at(st, st->lo), 0,
		    (size_t)(st->hi - st->lo + 1) * sizeof(uint64_t));
	st->ns = 0;
	st->total = 0;
	st->lo = st->hi = 0;
}

static int
store_copy(struct rta_dds_store *dst, const struct rta_dds_store *src)
{
	size_t n;

	memset(dst, 0, sizeof(*dst));
	if (src->total == 0)
		return 0;
	if (is_sparse(src)) {
		memcpy(dst->sp, src->sp, src->ns * sizeof(src->sp[0]));
		dst->ns = src->ns;
		dst->lo = src->lo;
		dst->hi = src->hi;
		dst->total = src->total;
		return 0;
	}
	n = (size_t)(src->hi - src->lo + 1);
	if ((dst->b = rta_reallocarray(NULL, n, sizeof(uint64_t))) == NULL)
		return -1;
	memcpy(dst->b, bin_at(src, src->lo), n * sizeof(uint64_t));
	dst->cap = (uint32_t)n;
	dst->off = src->lo;
	dst->ns = RTA_DDS_DENSE;
	dst->lo = src->lo;
	dst->hi = src->hi;
	dst->total = src->total;
	return 0;
}

/* ---- the sketch ---------------------------------------------------------- */

int
rta_dds_init(struct rta_dds *s, double alpha, unsigned max_bins)
{
	memset(s, 0, sizeof(*s));
	if (!(alpha >= RTA_DDS_ALPHA_MIN && alpha <= RTA_DDS_ALPHA_MAX) ||
	    max_bins < RTA_DDS_BINS_MIN || max_bins > RTA_DDS_BINS_MAX)
		return RTA_EINVAL;
	set_params(s, gamma_of(alpha), max_bins);
	return RTA_OK;
}

void
rta_dds_init_like(struct rta_dds *s, const struct rta_dds *like)
{
	set_params(s, like->gamma, like->max_bins);
}

void
rta_dds_release(struct rta_dds *s)
{
	if (s == NULL)
		return;
	store_release(&s->neg);
	store_release(&s->pos);
	memset(s, 0, sizeof(*s));
}

void
rta_dds_reset(struct rta_dds *s)
{
	store_reset(&s->neg);
	store_reset(&s->pos);
	s->zero = s->count = 0;
	s->min = s->max = s->sum = 0;
}

int
rta_dds_copy(struct rta_dds *dst, const struct rta_dds *src)
{
	*dst = *src;
	if (store_copy(&dst->neg, &src->neg) != 0)
		goto fail;
	if (store_copy(&dst->pos, &src->pos) != 0)
		goto fail;
	return RTA_OK;
fail:
	rta_free(dst->neg.b);
	memset(dst, 0, sizeof(*dst));
	return RTA_ENOMEM;
}

/* A NaN sum is always this one, so that equal states encode alike. */
static double
canonical_nan(void)
{
	uint64_t u = 0x7ff8000000000000ULL;
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static void
add_sum(struct rta_dds *s, double x)
{
	s->sum += x;
	if (isnan(s->sum))
		s->sum = canonical_nan();
}

int
rta_dds_add_n(struct rta_dds *s, double v, uint64_t n)
{
	double a;

	if (!isfinite(v))
		return RTA_EINVAL;
	if (n == 0)
		return RTA_OK;
	if (s->count > UINT64_MAX - n)
		return RTA_EINVAL;
	if (v == 0)
		v = 0;		/* -0 is +0: min and max must not see a sign */
	a = fabs(v);
	if (a < RTA_DDS_MIN_VALUE)
		s->zero += n;
	else if (store_add(v > 0 ? &s->pos : &s->neg, bin_of(s, a), n,
	    s->max_bins) != 0)
		return RTA_ENOMEM;
	if (s->count == 0) {
		s->min = s->max = v;
		s->sum = 0;
	} else {
		if (v < s->min)
			s->min = v;
		if (v > s->max)
			s->max = v;
	}
	s->count += n;
	add_sum(s, v * (double)n);
	return RTA_OK;
}

int
rta_dds_add(struct rta_dds *s, double v)
{
	return rta_dds_add_n(s, v, 1);
}

uint64_t
rta_dds_count(const struct rta_dds *s)
{
	return s->count;
}

double
rta_dds_min(const struct rta_dds *s)
{
	return s->count == 0 ? NAN : s->min;
}

double
rta_dds_max(const struct rta_dds *s)
{
	return s->count == 0 ? NAN : s->max;
}

double
rta_dds_sum(const struct rta_dds *s)
{
	return s->count == 0 ? 0 : s->sum;
}

double
rta_dds_alpha(const struct rta_dds *s)
{
	return s->alpha;
}

size_t
rta_dds_memory(const struct rta_dds *s)
{
	return ((size_t)s->neg.cap + s->pos.cap) * sizeof(uint64_t);
}

/*
 * The bin of st that holds the value of 0-based rank r in the order of
 * its bins, from the highest down when down is set.  The walk starts
 * from the nearer end (rank r from one end is rank total - 1 - r from
 * the other), so a high percentile does not add up every bin below it.
 */
static int64_t
rank_bin(const struct rta_dds_store *st, uint64_t r, int down)
{
	uint64_t seen = 0;
	int64_t k;
	uint32_t j;

	assert(r < st->total);
	if (r > (st->total - 1) / 2) {
		r = st->total - 1 - r;
		down = !down;
	}
	if (is_sparse(st)) {
		if (down) {
			for (j = st->ns - 1; j > 0; j--)
				if ((seen += st->sp[j].n) > r)
					break;
		} else {
			for (j = 0; j < st->ns - 1; j++)
				if ((seen += st->sp[j].n) > r)
					break;
		}
		return st->sp[j].bin;
	}
	if (down) {
		for (k = st->hi; k > st->lo; k--)
			if ((seen += *bin_at(st, k)) > r)
				break;
	} else {
		for (k = st->lo; k < st->hi; k++)
			if ((seen += *bin_at(st, k)) > r)
				break;
	}
	return k;
}

double
rta_dds_quantile(const struct rta_dds *s, double q)
{
	uint64_t rank;
	double r, v = 0;

	if (s->count == 0 || !(q >= 0 && q <= 1))
		return NAN;
	r = floor(q * (double)(s->count - 1));
	rank = r >= (double)(s->count - 1) ? s->count - 1 : (uint64_t)r;
	if (rank < s->neg.total) {
		/* negative values, the largest magnitude first */
		v = -representative(s, (int32_t)rank_bin(&s->neg, rank, 1));
	} else if (rank - s->neg.total < s->zero) {
		v = 0;
	} else {
		rank -= s->neg.total + s->zero;
		v = representative(s, (int32_t)rank_bin(&s->pos, rank, 0));
	}
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

/* The non-empty bins of st, ascending, into out: how many, or -1 when
 * more than RTA_DDS_SPARSE or a count past 32 bits. */
static int
store_pairs(const struct rta_dds_store *st, struct rta_dds_pair *out)
{
	int64_t k;
	int n = 0;

	if (is_sparse(st)) {
		memcpy(out, st->sp, st->ns * sizeof(*out));
		return (int)st->ns;
	}
	if (st->total == 0)
		return 0;
	for (k = st->lo; k <= st->hi; k++) {
		if (*bin_at(st, k) == 0)
			continue;
		if (n == RTA_DDS_SPARSE || *bin_at(st, k) > UINT32_MAX)
			return -1;
		out[n].bin = (int32_t)k;
		out[n++].n = (uint32_t)*bin_at(st, k);
	}
	return n;
}

/*
 * The bins of sparse ts and of fs together, into out, if they stay
 * sparse (no collapsing, at most RTA_DDS_SPARSE bins, 32-bit counts):
 * how many, or -1.
 */
static int
sparse_union(const struct rta_dds_store *ts, const struct rta_dds_store *fs,
    unsigned max_bins, struct rta_dds_pair *out)
{
	struct rta_dds_pair f[RTA_DDS_SPARSE];
	int64_t lo = fs->lo, hi = fs->hi;
	uint64_t c;
	uint32_t a = 0, b = 0;
	int nf, n = 0;

	if (ts->total != 0) {
		lo = ts->lo < lo ? ts->lo : lo;
		hi = ts->hi > hi ? ts->hi : hi;
	}
	if (hi - lo >= (int64_t)max_bins || (nf = store_pairs(fs, f)) < 0)
		return -1;
	while (a < ts->ns || b < (uint32_t)nf) {
		if (n == RTA_DDS_SPARSE)
			return -1;
		if (b == (uint32_t)nf ||
		    (a < ts->ns && ts->sp[a].bin < f[b].bin))
			out[n++] = ts->sp[a++];
		else if (a == ts->ns || f[b].bin < ts->sp[a].bin)
			out[n++] = f[b++];
		else {
			c = (uint64_t)ts->sp[a].n + f[b].n;
			if (c > UINT32_MAX)
				return -1;
			out[n].bin = f[b].bin;
			out[n++].n = (uint32_t)c;
			a++;
			b++;
		}
	}
	return n;
}

int
rta_dds_merge(struct rta_dds *into, const struct rta_dds *from,
    struct rta_error *err)
{
	struct rta_dds_pair un[2][RTA_DDS_SPARSE];
	struct plan pn, pp;
	struct rta_dds tmp;
	int64_t nlo[2] = { 0, 0 }, nhi[2] = { 0, 0 }, k, floor_bin;
	const struct rta_dds_store *fs;
	struct rta_dds_store *ts;
	int i, rc, nu[2] = { -1, -1 };
	uint32_t j;

	if (memcmp(&into->gamma, &from->gamma, sizeof(double)) != 0)
		return rta_error_set(err, RTA_EINVAL, "sketch-mismatch",
		    "sketches of different accuracy (alpha %g and %g)",
		    into->alpha, from->alpha);
	if (from->count == 0)
		return RTA_OK;
	if (into == from) {
		if (rta_dds_copy(&tmp, from) != RTA_OK)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory merging sketches");
		rc = rta_dds_merge(into, &tmp, err);
		rta_dds_release(&tmp);
		return rc;
	}
	if (into->count > UINT64_MAX - from->count)
		return rta_error_set(err, RTA_EINVAL, "count-overflow",
		    "merged sketch would count more than 2^64 - 1 values");
	memset(&pn, 0, sizeof(pn));
	memset(&pp, 0, sizeof(pp));
	/* plan both stores, then change them: a failure changes nothing
	 * (a store that took the dense form holds the same bins) */
	for (i = 0; i < 2; i++) {
		fs = i == 0 ? &from->neg : &from->pos;
		ts = i == 0 ? &into->neg : &into->pos;
		if (fs->total == 0)
			continue;
		if (is_sparse(ts) && (nu[i] = sparse_union(ts, fs,
		    into->max_bins, un[i])) >= 0)
			continue;
		if (is_sparse(ts) && densify(ts, into->max_bins) != 0)
			goto nomem;
		merge_range(ts, fs, into->max_bins, &nlo[i], &nhi[i]);
		if (plan_store(ts, nlo[i], nhi[i], into->max_bins,
		    i == 0 ? &pn : &pp) != 0)
			goto nomem;
	}
	for (i = 0; i < 2; i++) {
		fs = i == 0 ? &from->neg : &from->pos;
		ts = i == 0 ? &into->neg : &into->pos;
		if (fs->total == 0)
			continue;
		if (nu[i] >= 0) {
			memcpy(ts->sp, un[i], (size_t)nu[i] * sizeof(un[i][0]));
			ts->ns = (uint32_t)nu[i];
			ts->lo = un[i][0].bin;
			ts->hi = un[i][nu[i] - 1].bin;
			ts->total += fs->total;
			continue;
		}
		commit_store(ts, i == 0 ? &pn : &pp, nlo[i], nhi[i]);
		floor_bin = nlo[i];
		if (is_sparse(fs))
			for (j = 0; j < fs->ns; j++) {
				k = fs->sp[j].bin;
				*bin_at(ts, k < floor_bin ? floor_bin : k) +=
				    fs->sp[j].n;
			}
		else
			for (k = fs->lo; k <= fs->hi; k++)
				*bin_at(ts, k < floor_bin ? floor_bin : k) +=
				    *bin_at(fs, k);
		ts->total += fs->total;
	}
	into->zero += from->zero;
	if (into->count == 0) {
		into->min = from->min;
		into->max = from->max;
		into->sum = 0;
	} else {
		if (from->min < into->min)
			into->min = from->min;
		if (from->max > into->max)
			into->max = from->max;
	}
	into->count += from->count;
	add_sum(into, from->sum);
	return RTA_OK;
nomem:
	plan_drop(&pn);
	return rta_error_set(err, RTA_ENOMEM, "no-memory",
	    "out of memory merging sketches");
}

/* ---- encoding ------------------------------------------------------------ */

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t
unzigzag(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/*
 * The runs of a store, in one pass.  From a run's first bin, the walk
 * goes from one non-empty bin to the next until a gap of SPLIT_ZEROS or
 * more (or the highest bin, which is never empty and so also stops the
 * search for the next one); then the run is written.  The number of
 * runs comes first but is known only at the end: the runs are written
 * one byte in, and moved in the rare case of 128 runs or more.
 */
/* The run count, at p, before the n bytes of runs written at p + 1. */
static size_t
put_runs_head(unsigned char *p, uint64_t runs, size_t n)
{
	unsigned char head[RTA_VARINT_MAX];
	size_t hn;

	if (runs < 0x80) {
		p[0] = (unsigned char)runs;
		return 1 + n;
	}
	hn = rta_put_varint(head, runs);
	memmove(p + hn, p + 1, n);
	memcpy(p, head, hn);
	return hn + n;
}

/* put_store for a sparse store: the same runs, from its bins in use. */
static size_t
put_sparse(unsigned char *p, const struct rta_dds_store *st)
{
	const struct rta_dds_pair *s, *e, *c, *end = st->sp + st->ns;
	unsigned char *q = p + 1;
	uint64_t runs = 0;
	int64_t z;

	for (s = st->sp; s < end; s = e + 1) {
		for (e = s; e + 1 < end && e[1].bin - e[0].bin <= SPLIT_ZEROS;
		    e++)
			;
		if (s == st->sp)
			q += rta_put_varint(q, zigzag(s->bin));
		else
			q += rta_put_varint(q, (uint64_t)((int64_t)s->bin -
			    s[-1].bin - 1 - SPLIT_ZEROS));
		q += rta_put_varint(q, (uint64_t)((int64_t)e->bin - s->bin));
		for (c = s; c <= e; c++) {
			/* the one or two empty bins before it, if any */
			for (z = c > s ? c[-1].bin + 1 : c->bin; z < c->bin;
			    z++)
				*q++ = 0;
			q += rta_put_varint(q, c->n);
		}
		runs++;
	}
	return put_runs_head(p, runs, (size_t)(q - p - 1));
}

static size_t
put_store(unsigned char *p, const struct rta_dds_store *st)
{
	const uint64_t *hi, *s, *e, *k = NULL, *c, *prev = NULL;
	unsigned char *q;
	uint64_t runs = 0;

	if (st->total == 0)
		return rta_put_varint(p, 0);
	if (is_sparse(st))
		return put_sparse(p, st);
	hi = bin_at(st, st->hi);
	assert(*hi != 0 && *bin_at(st, st->lo) != 0);
	q = p + 1;
	for (s = bin_at(st, st->lo);; s = k) {
		for (e = s; e < hi; e = k) {
			k = e + 1;
			while (*k == 0)
				k++;
			if (k - e > SPLIT_ZEROS)
				break;
		}
		if (prev == NULL)
			q += rta_put_varint(q, zigzag(st->lo));
		else
			q += rta_put_varint(q,
			    (uint64_t)(s - prev - 1 - SPLIT_ZEROS));
		q += rta_put_varint(q, (uint64_t)(e - s));
		for (c = s; c <= e; c++)
			q += rta_put_varint(q, *c);
		runs++;
		if (e == hi)
			break;
		prev = e;
	}
	return put_runs_head(p, runs, (size_t)(q - p - 1));
}

static size_t
store_bound(const struct rta_dds_store *st)
{
	/* a run per bin at worst: first bin, length and count varints
	 * (sparse: and the two empty bins a run may hold before each) */
	if (is_sparse(st))
		return 10 + (size_t)st->ns * 32;
	return 10 + (st->total == 0 ? 0 : (size_t)(st->hi - st->lo + 1) * 30);
}

static void
put_double(unsigned char *p, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	rta_put_u64(p, u);
}

int
rta_dds_encode(const struct rta_dds *s, struct rta_buf *out)
{
	unsigned char *p;
	size_t n;

	if (rta_buf_reserve(out, 2 + 8 + 10 + 10 + store_bound(&s->neg) +
	    store_bound(&s->pos) + 24) != 0)
		return -1;
	p = out->data + out->len;
	p[0] = RTA_DDS_TYPE;
	p[1] = RTA_DDS_VERSION;
	put_double(p + 2, s->gamma);
	n = 10;
	n += rta_put_varint(p + n, s->max_bins);
	n += rta_put_varint(p + n, s->zero);
	n += put_store(p + n, &s->neg);
	n += put_store(p + n, &s->pos);
	if (s->count != 0) {
		put_double(p + n, s->min);
		put_double(p + n + 8, s->max);
		put_double(p + n + 16, s->sum);
		n += 24;
	}
	out->len += n;
	return 0;
}

/* ---- decoding ------------------------------------------------------------ */

struct cursor {
	const unsigned char	*p;
	size_t			 len, pos;
	struct rta_error	*err;
};

static int
bad(struct cursor *c, const char *what)
{
	if (c->err != NULL)
		c->err->offset = c->pos;
	return rta_error_set(c->err, RTA_EDATA, "bad-sketch",
	    "bad sketch at byte %zu: %s", c->pos, what);
}

/* A shortest-form LEB128 varint of at most 64 bits. */
static int
get_varint(struct cursor *c, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift = 0;
	unsigned char b;

	for (;;) {
		if (c->pos >= c->len)
			return bad(c, "truncated");
		b = c->p[c->pos];
		if (shift == 63 && b > 1)
			return bad(c, "varint too large");
		r |= (uint64_t)(b & 0x7f) << shift;
		c->pos++;
		if (!(b & 0x80))
			break;
		shift += 7;
	}
	if (b == 0 && shift != 0)
		return bad(c, "varint not in shortest form");
	*v = r;
	return RTA_OK;
}

static int
get_double(struct cursor *c, double *d)
{
	uint64_t u;

	if (c->len - c->pos < 8)
		return bad(c, "truncated");
	u = rta_get_u64(c->p + c->pos);
	memcpy(d, &u, sizeof(*d));
	c->pos += 8;
	return RTA_OK;
}

/*
 * Read a store: check it (st NULL: find its range, *lo and *hi, and
 * count its non-empty bins into *used and its values into *total), or
 * fill st, whose array covers the range.
 */
static int
get_store(struct cursor *c, const struct rta_dds *s,
    struct rta_dds_store *st, int64_t *lo, int64_t *hi, uint64_t *used,
    uint64_t *total)
{
	uint64_t runs, r, u, len, cnt, zeros;
	int64_t start, end = 0, k, room;
	int rc;

	if ((rc = get_varint(c, &runs)) != RTA_OK)
		return rc;
	/* a run takes 3 bytes at least */
	if (runs > (c->len - c->pos) / 3)
		return bad(c, "more runs than bytes");
	for (r = 0; r < runs; r++) {
		if ((rc = get_varint(c, &u)) != RTA_OK)
			return rc;
		if (r == 0) {
			start = unzigzag(u);
			if (start < s->imin || start > s->imax)
				return bad(c, "bin out of range");
			*lo = start;
		} else {
			room = (int64_t)s->imax - end - 1 - SPLIT_ZEROS;
			if (room < 0 || u > (uint64_t)room)
				return bad(c, "bin out of range");
			start = end + 1 + SPLIT_ZEROS + (int64_t)u;
		}
		if ((rc = get_varint(c, &len)) != RTA_OK)
			return rc;
		if (len > (uint64_t)(s->imax - start))
			return bad(c, "bin out of range");
		end = start + (int64_t)len;
		if (end - *lo >= (int64_t)s->max_bins)
			return bad(c, "bins span more than max_bins");
		if (len >= c->len - c->pos)
			return bad(c, "truncated");
		zeros = 0;
		for (k = start; k <= end; k++) {
			if ((rc = get_varint(c, &cnt)) != RTA_OK)
				return rc;
			if (cnt == 0) {
				if (k == start || k == end)
					return bad(c, "run ends with an empty "
					    "bin");
				if (++zeros == SPLIT_ZEROS)
					return bad(c, "empty bins inside a "
					    "run");
				continue;
			}
			zeros = 0;
			if (st != NULL) {
				*bin_at(st, k) = cnt;
				continue;
			}
			if (cnt > UINT64_MAX - *total)
				return bad(c, "count overflow");
			*total += cnt;
			(*used)++;
		}
	}
	*hi = end;
	return RTA_OK;
}

/* -1, 0 or 1: the sign class of a value. */
static int
class_of(double v)
{
	if (v <= -RTA_DDS_MIN_VALUE)
		return -1;
	return v >= RTA_DDS_MIN_VALUE;
}

/* min, max and sum, which must agree with the stores (already read). */
static int
get_summary(struct cursor *c, struct rta_dds *s, uint64_t used)
{
	uint64_t u;
	size_t at = c->pos;
	int first, last, rc;

	if (s->count == 0)
		return RTA_OK;
	if ((rc = get_double(c, &s->min)) != RTA_OK ||
	    (rc = get_double(c, &s->max)) != RTA_OK ||
	    (rc = get_double(c, &s->sum)) != RTA_OK)
		return rc;
	c->pos = at;
	if (!isfinite(s->min) || !isfinite(s->max) || !(s->min <= s->max))
		return bad(c, "min and max not finite and ordered");
	if ((s->min == 0 && signbit(s->min)) ||
	    (s->max == 0 && signbit(s->max)))
		return bad(c, "negative zero");
	first = s->neg.total != 0 ? -1 : s->zero != 0 ? 0 : 1;
	last = s->pos.total != 0 ? 1 : s->zero != 0 ? 0 : -1;
	if (class_of(s->min) != first || class_of(s->max) != last)
		return bad(c, "min or max does not match the bins");
	if ((s->min == s->max && used != 1) ||
	    (s->count == 1 && s->min != s->max))
		return bad(c, "min and max do not match the count");
	c->pos = at + 16;
	memcpy(&u, &s->sum, sizeof(u));
	if (isnan(s->sum) && u != 0x7ff8000000000000ULL)
		return bad(c, "non-canonical NaN sum");
	/* sums start at +0, and x + -x is +0 */
	if (s->sum == 0 && signbit(s->sum))
		return bad(c, "negative zero sum");
	c->pos = at + 24;
	return RTA_OK;
}

static int
alloc_store(struct rta_dds_store *st, int64_t lo, int64_t hi,
    uint64_t total)
{
	size_t n;

	if (total == 0)
		return 0;
	n = (size_t)(hi - lo + 1);
	if ((st->b = rta_calloc(n, sizeof(uint64_t))) == NULL)
		return -1;
	st->cap = (uint32_t)n;
	st->ns = RTA_DDS_DENSE;
	st->off = lo;
	st->lo = (int32_t)lo;
	st->hi = (int32_t)hi;
	st->total = total;
	return 0;
}

static int
decode(struct rta_dds *s, struct cursor *c)
{
	double gamma;
	uint64_t bins, used = 0, tn = 0, tp = 0;
	int64_t lon = 0, hin = 0, lop = 0, hip = 0;
	size_t stores;
	int rc;

	if (c->len < 2 || c->p[0] != RTA_DDS_TYPE)
		return bad(c, "not a DDSketch");
	if (c->p[1] != RTA_DDS_VERSION)
		return bad(c, "unknown version");
	c->pos = 2;
	if ((rc = get_double(c, &gamma)) != RTA_OK)
		return rc;
	if (!(gamma >= gamma_of(RTA_DDS_ALPHA_MIN) &&
	    gamma <= gamma_of(RTA_DDS_ALPHA_MAX))) {
		c->pos = 2;
		return bad(c, "gamma out of range");
	}
	if ((rc = get_varint(c, &bins)) != RTA_OK)
		return rc;
	if (bins < RTA_DDS_BINS_MIN || bins > RTA_DDS_BINS_MAX)
		return bad(c, "max_bins out of range");
	set_params(s, gamma, (unsigned)bins);
	if ((rc = get_varint(c, &s->zero)) != RTA_OK)
		return rc;
	used = s->zero != 0;
	tn = s->zero;
	stores = c->pos;
	if ((rc = get_store(c, s, NULL, &lon, &hin, &used, &tn)) != RTA_OK)
		return rc;
	tp = tn;
	if ((rc = get_store(c, s, NULL, &lop, &hip, &used, &tp)) != RTA_OK)
		return rc;
	s->count = tp;
	if (alloc_store(&s->neg, lon, hin, tn - s->zero) != 0 ||
	    alloc_store(&s->pos, lop, hip, tp - tn) != 0)
		return rta_error_set(c->err, RTA_ENOMEM, "no-memory",
		    "out of memory decoding a sketch");
	if ((rc = get_summary(c, s, used)) != RTA_OK)
		return rc;
	if (c->pos != c->len)
		return bad(c, "trailing bytes");
	c->pos = stores;
	(void)get_store(c, s, &s->neg, &lon, &hin, &used, &tn);
	(void)get_store(c, s, &s->pos, &lop, &hip, &used, &tp);
	return RTA_OK;
}

int
rta_dds_decode(struct rta_dds *s, const void *p, size_t len,
    struct rta_error *err)
{
	struct cursor c;
	int rc;

	memset(s, 0, sizeof(*s));
	c.p = p;
	c.len = len;
	c.pos = 0;
	c.err = err;
	if ((rc = decode(s, &c)) != RTA_OK)
		rta_dds_release(s);
	return rc;
}
