/*
 * check_rta_ddsketch.c: the DDSketch quantile sketch.  The mapping
 * against long-double logarithms, and bit for bit against the logarithm
 * that defines it; accuracy against the exact sorted answer over many
 * seeded streams (several distributions, sizes 1 to 1,000,000, several
 * alphas) and every rank of small sketches; collapsing and the memory
 * bound; merges equal to the sketch of the concatenated stream, in any
 * order and grouping; the encoding against a reference encoder, its
 * round trip, canonical form and every class of malformed input;
 * allocation failures.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF	/* ref_ln rounds as the library does */
#endif

#include <check.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_ddsketch.h"
#include "unit.h"

#ifndef M_PI
#define M_PI	3.14159265358979323846
#endif

/*
 * check records the place of every ck_assert that passes (a write to
 * its result channel each), which loops over many values cannot afford:
 * these fail the same way and cost nothing when they pass.
 */
#define CHECK(e)	do { if (!(e)) ck_abort_msg("assertion '%s' failed", \
			    #e); } while (0)
#define CHECK_MSG(e, ...) do { if (!(e)) ck_abort_msg(__VA_ARGS__); } \
			    while (0)
#define ADD(s, v)	CHECK(rta_dds_add((s), (v)) == RTA_OK)

/* Rounding the guarantee allows beyond alpha, relative to |x|. */
#define SLACK	1e-12

static const double qs[] = {
	0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1
};
#define NQ	(sizeof(qs) / sizeof(qs[0]))

/* ---- random streams ------------------------------------------------------ */

static uint64_t rng;

static uint64_t
rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* [0, 1) */
static double
rnd01(void)
{
	return (double)(rnd64() >> 11) * 0x1p-53;
}

static double
rnd_normal(void)
{
	double u = 1 - rnd01(), v = rnd01();

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

enum {
	D_UNIFORM, D_EXP, D_LATENCY, D_PARETO, D_NEGATIVE, D_MIXED,
	D_ZEROS, D_CONST, D_WIDE, D_INTS, NDIST
};

static const char *const dist_name[NDIST] = {
	"uniform", "exponential", "latency", "pareto", "negative", "mixed",
	"zeros", "constant", "wide", "integers"
};

static double
draw(int dist)
{
	double u, v;

	switch (dist) {
	case D_UNIFORM:
		return 1000 * rnd01();
	case D_EXP:
		return -log(1 - rnd01()) * 10;
	case D_LATENCY:
		/* lognormal around 50 ms with a heavy tail of stalls */
		v = exp(3.9 + 1.2 * rnd_normal());
		return rnd01() < 0.002 ? v * 1000 : v;
	case D_PARETO:
		return 1 / pow(1 - rnd01(), 1 / 1.1);
	case D_NEGATIVE:
		return -exp(2 + 2 * rnd_normal());
	case D_MIXED:
		return 100 * rnd_normal();
	case D_ZEROS:
		u = rnd01();
		if (u < 0.3)
			return 0.0;
		if (u < 0.6)
			return -0.0;
		if (u < 0.62)
			return 0x1p-1070 * (double)(rnd64() % 1000);
		return (u < 0.8 ? -1 : 1) * exp(rnd_normal());
	case D_CONST:
		return 42.5;
	case D_WIDE:
		/* +-10^-300 .. 10^300, a few subnormals and zeros */
		u = rnd01();
		if (u < 0.01)
			return 0x1p-1074 * (double)(rnd64() % 100000);
		v = pow(10, -300 + 600 * rnd01());
		return u < 0.5 ? -v : v;
	default:
		return (double)(1 + rnd64() % 1000000);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The exact answer the sketch stands for: rank floor(q (n - 1)). */
static double
exact(const double *sorted, size_t n, double q)
{
	return sorted[(size_t)floor(q * (double)(n - 1))];
}

/* |got - x| within the guarantee. */
static int
within(double got, double x, double alpha)
{
	if (fabs(x) < RTA_DDS_MIN_VALUE)
		return fabs(got - x) < RTA_DDS_MIN_VALUE;
	return fabs(got - x) <= (alpha + SLACK) * fabs(x);
}

/* ---- helpers ------------------------------------------------------------- */

static void
encode(const struct rta_dds *s, struct rta_buf *b)
{
	rta_buf_reset(b);
	ck_assert_int_eq(rta_dds_encode(s, b), 0);
}

/* The encoding of a and b are the same bytes. */
static void
assert_same(const struct rta_dds *a, const struct rta_dds *b)
{
	struct rta_buf x = RTA_BUF_INIT, y = RTA_BUF_INIT;

	encode(a, &x);
	encode(b, &y);
	ck_assert_uint_eq(x.len, y.len);
	ck_assert_msg(memcmp(x.data, y.data, x.len) == 0,
	    "encodings differ");
	rta_buf_release(&x);
	rta_buf_release(&y);
}

/* The count of bin k of st, whichever form the store has. */
static uint64_t
bin_n(const struct rta_dds_store *st, int64_t k)
{
	uint32_t j;

	if (st->total == 0 || k < st->lo || k > st->hi)
		return 0;
	if (st->ns == RTA_DDS_DENSE)
		return st->b[k - st->off];
	for (j = 0; j < st->ns; j++)
		if (st->sp[j].bin == k)
			return st->sp[j].n;
	return 0;
}

/* A store's bins span no more than max_bins (nothing collapsed when
 * strictly fewer). */
static int64_t
span(const struct rta_dds_store *st)
{
	return st->total == 0 ? 0 : (int64_t)st->hi - st->lo + 1;
}

static void
feed(struct rta_dds *s, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ADD(s, v[i]);
}

/* ---- parameters and empty sketches --------------------------------------- */

START_TEST(params)
{
	struct rta_dds s;
	static const double bad_alpha[] = {
		0, -0.01, 0.5000001, 1, 9e-7, -1e300
	};
	size_t i;

	for (i = 0; i < sizeof(bad_alpha) / sizeof(bad_alpha[0]); i++)
		ck_assert_int_eq(rta_dds_init(&s, bad_alpha[i], 2048),
		    RTA_EINVAL);
	ck_assert_int_eq(rta_dds_init(&s, NAN, 2048), RTA_EINVAL);
	ck_assert_int_eq(rta_dds_init(&s, INFINITY, 2048), RTA_EINVAL);
	ck_assert_int_eq(rta_dds_init(&s, 0.01, 15), RTA_EINVAL);
	ck_assert_int_eq(rta_dds_init(&s, 0.01, 65537), RTA_EINVAL);
	ck_assert_uint_eq(rta_dds_count(&s), 0);
	ck_assert_int_eq(rta_dds_init(&s, RTA_DDS_ALPHA_MIN, 16), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&s, 0.5, 65536), RTA_OK);
	ck_assert_double_eq_tol(rta_dds_alpha(&s), 0.5, 1e-15);
	ck_assert_int_eq(rta_dds_init(&s, RTA_DDS_ALPHA_DEFAULT,
	    RTA_DDS_BINS_DEFAULT), RTA_OK);
	ck_assert_double_eq_tol(rta_dds_alpha(&s), 0.01, 1e-15);
	ck_assert_double_eq(s.gamma, 1.01 / 0.99);
	/* empty: no answers, nothing held */
	ck_assert_uint_eq(rta_dds_count(&s), 0);
	ck_assert(isnan(rta_dds_quantile(&s, 0.5)));
	ck_assert(isnan(rta_dds_min(&s)));
	ck_assert(isnan(rta_dds_max(&s)));
	ck_assert(rta_dds_sum(&s) == 0);
	ck_assert_uint_eq(rta_dds_memory(&s), 0);
	/* bad values change nothing */
	ck_assert_int_eq(rta_dds_add(&s, NAN), RTA_EINVAL);
	ck_assert_int_eq(rta_dds_add(&s, INFINITY), RTA_EINVAL);
	ck_assert_int_eq(rta_dds_add(&s, -INFINITY), RTA_EINVAL);
	ck_assert_uint_eq(rta_dds_count(&s), 0);
	ck_assert_int_eq(rta_dds_add_n(&s, 3, 0), RTA_OK);
	ck_assert_uint_eq(rta_dds_count(&s), 0);
	ck_assert(isnan(rta_dds_min(&s)));
	/* q outside [0, 1] */
	ADD(&s, 7);
	ck_assert(isnan(rta_dds_quantile(&s, -0.001)));
	ck_assert(isnan(rta_dds_quantile(&s, 1.001)));
	ck_assert(isnan(rta_dds_quantile(&s, NAN)));
	ck_assert(rta_dds_quantile(&s, 0) == 7);
	ck_assert(rta_dds_quantile(&s, 1) == 7);
	rta_dds_release(&s);
	ck_assert_uint_eq(rta_dds_count(&s), 0);
	ck_assert_ptr_null(s.pos.b);
	ck_assert_uint_eq(rta_dds_memory(&s), 0);
	rta_dds_release(&s);		/* twice is fine */
}
END_TEST

/* ---- the mapping --------------------------------------------------------- */

/*
 * Each value's bin i satisfies gamma^(i-1) < |v| <= gamma^i (by long
 * double logarithms, up to rounding), and bin i answers
 * 2 gamma^i / (gamma + 1).
 */
START_TEST(mapping)
{
	static const double alphas[] = { 0.01, 0.001, 0.5, 0.0371, 1e-6 };
	struct rta_dds s;
	long double lg, t, rep;
	double v, alpha = alphas[_i], got;
	int32_t i;
	int k;

	rng = 1000 + (uint64_t)_i;
	for (k = 0; k < 30000; k++) {
		CHECK(rta_dds_init(&s, alpha, 65536) == RTA_OK);
		lg = logl((long double)s.gamma);
		if (k == 0)
			v = RTA_DDS_MIN_VALUE;
		else if (k == 1)
			v = DBL_MAX;
		else if (k < 100)
			v = (double)expl(lg * (k - 50));  /* near boundaries */
		else
			v = pow(2, -1022 + 2045 * rnd01());
		ADD(&s, v);
		i = s.pos.lo;
		/* the mapping's rounding: 1e-12 of ln |v| at most */
		t = logl((long double)v) / lg;
		CHECK_MSG(t > i - 1 - 1e-12L / lg && t <= i + 1e-12L / lg,
		    "%.17g: bin %d, log_gamma %.12Lf", v, i, t);
		CHECK(i >= s.imin);
		CHECK(i <= s.imax);
		ADD(&s, -v);
		CHECK(s.neg.lo == i);
		/* the representatives (below (1 + alpha) |v|), between
		 * -(1 + 2 alpha) v and (1 + 2 alpha) v, a bin or two away,
		 * so that the clamp to [min, max] leaves them alone */
		if (v > DBL_MAX / 2) {
			rta_dds_release(&s);
			continue;
		}
		ADD(&s, v * (1 + 2 * alpha));
		ADD(&s, -v * (1 + 2 * alpha));
		rep = 2 * expl(lg * i) / ((long double)s.gamma + 1);
		got = rta_dds_quantile(&s, 0.7);	/* rank 2: v */
		CHECK_MSG(fabsl(got - rep) <= 1e-12L * rep,
		    "bin %d answers %.17g, not %.17Lg", i, got, rep);
		got = rta_dds_quantile(&s, 0.4);	/* rank 1: -v */
		CHECK_MSG(fabsl(-got - rep) <= 1e-12L * rep,
		    "negative bin %d answers %.17g", i, got);
		rta_dds_release(&s);
	}
}
END_TEST

/* ---- the mapping, bit for bit ------------------------------------------- */

/*
 * A value's bin is defined by the logarithm the library was first
 * written with, ref_ln below (a series in atanh, basic operations only).
 * The library finds most bins with a quicker logarithm and must still
 * give these bins exactly, for every double; the tests look where a
 * difference could hide: around the edges of the bins, at the cells of
 * the quick logarithm's table in every binade, and at random doubles.
 */
#define REF_SQRT2	1.41421356237309504880
#define REF_LN2_HI	6.93147180369123816490e-01
#define REF_LN2_LO	1.90821492927058770002e-10

static double
ref_ln(double x)
{
	uint64_t u;
	double m, s, s2, p;
	int e;

	memcpy(&u, &x, sizeof(u));
	e = (int)(u >> 52 & 0x7ff) - 1023;
	u = (u & 0xfffffffffffffULL) | 0x3ff0000000000000ULL;
	memcpy(&m, &u, sizeof(m));
	if (m > REF_SQRT2) {
		m *= 0.5;
		e++;
	}
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
	return (double)e * REF_LN2_HI + ((double)e * REF_LN2_LO +
	    (2 * s + 2 * s * p));
}

static int32_t
ref_bin(const struct rta_dds *s, double a)
{
	double t = ceil(ref_ln(a) * s->inv_lng);

	if (t < s->imin)
		return s->imin;
	if (t > s->imax)
		return s->imax;
	return (int32_t)t;
}

/* a moved by k units in the last place; NaN outside the normal range. */
static double
near_ulps(double a, int64_t k)
{
	uint64_t u, lo, hi;
	double min = RTA_DDS_MIN_VALUE, max = DBL_MAX;

	memcpy(&u, &a, sizeof(u));
	memcpy(&lo, &min, sizeof(lo));
	memcpy(&hi, &max, sizeof(hi));
	if (!(a >= 0) || (k < 0 && u < lo + (uint64_t)-k) ||
	    (k > 0 && u > hi - (uint64_t)k) || u < lo || u > hi)
		return NAN;
	u += (uint64_t)k;
	memcpy(&a, &u, sizeof(a));
	return a;
}

/* rta_dds_add puts a in ref_bin(a), and -a in the same negative bin. */
static void
same_bin(struct rta_dds *s, double a)
{
	int32_t want;

	if (!(a >= RTA_DDS_MIN_VALUE && a <= DBL_MAX))
		return;
	want = ref_bin(s, a);
	rta_dds_reset(s);
	ADD(s, a);
	CHECK_MSG(s->pos.lo == want, "alpha %.17g: %a in bin %d, not %d",
	    rta_dds_alpha(s), a, s->pos.lo, want);
	ADD(s, -a);
	CHECK_MSG(s->neg.lo == want, "alpha %.17g: -%a in bin %d, not %d",
	    rta_dds_alpha(s), a, s->neg.lo, want);
}

static const double quick_alphas[] = {
	0.01, 0.001, 0.5, 0.0371, 1e-6, 0.02, 0.1
};
#define NQUICK	(sizeof(quick_alphas) / sizeof(quick_alphas[0]))

/*
 * Around the edges between bins, where the two logarithms could round
 * to different sides: every edge at the default alpha, 20,000 spread
 * over the range at the others; at each, every double within 16 units
 * in the last place, then two at each power of two of distance up to
 * 2^40 units (which passes the quick path's margin of about
 * 2^16 (1 + |ln a|) units).
 */
START_TEST(quick_edges)
{
	struct rta_dds s;
	long double inv;
	double edge;
	int64_t i, step, k;
	int j;

	rng = 9100 + (uint64_t)_i;
	ck_assert_int_eq(rta_dds_init(&s, quick_alphas[_i], 65536), RTA_OK);
	inv = (long double)s.inv_lng;
	step = _i == 0 ? 1 : ((int64_t)s.imax - s.imin) / 20000 + 1;
	for (i = s.imin - 1; i <= (int64_t)s.imax + 1; i += step) {
		/* ln a = i / inv_lng: the product crosses i there */
		edge = (double)expl((long double)i / inv);
		if (isinf(edge))
			edge = DBL_MAX;
		for (k = -16; k <= 16; k++)
			same_bin(&s, near_ulps(edge, k));
		for (j = 5; j <= 40; j++) {
			k = ((int64_t)1 << j) +
			    (int64_t)(rnd64() % ((uint64_t)1 << j));
			same_bin(&s, near_ulps(edge, k));
			same_bin(&s, near_ulps(edge, -k));
		}
	}
	rta_dds_release(&s);
}
END_TEST

/*
 * Small integers at the default alpha take their bins from a table
 * filled as they are met: the first pass fills it, the second reads it,
 * both against the reference; past the table, and at another alpha, the
 * logarithm as before.
 */
START_TEST(small_integers)
{
	struct rta_dds s;
	int pass, a;

	ck_assert_int_eq(rta_dds_init(&s, RTA_DDS_ALPHA_DEFAULT, 65536),
	    RTA_OK);
	for (pass = 0; pass < 2; pass++)
		for (a = 1; a <= 5000; a++) {
			same_bin(&s, a);
			same_bin(&s, a + 0.5);
		}
	rta_dds_release(&s);
	ck_assert_int_eq(rta_dds_init(&s, 0.02, 65536), RTA_OK);
	for (a = 1; a <= 5000; a++)
		same_bin(&s, a);
	rta_dds_release(&s);
}
END_TEST

/*
 * The quick logarithm reads a table by the top 5 bits of the mantissa:
 * in every binade, each cell's first doubles and the last ones before
 * it, and the extremes of the range.
 */
START_TEST(quick_cells)
{
	static const double alphas[] = { 0.01, 1e-6, 0.5 };
	struct rta_dds s;
	double a;
	int e, j, k;

	ck_assert_int_eq(rta_dds_init(&s, alphas[_i], 65536), RTA_OK);
	for (e = -1022; e <= 1023; e++)
		for (j = 0; j < 32; j++) {
			a = ldexp(1 + j / 32.0, e);
			for (k = -3; k <= 3; k++)
				same_bin(&s, near_ulps(a, k));
		}
	same_bin(&s, RTA_DDS_MIN_VALUE);
	same_bin(&s, DBL_MAX);
	same_bin(&s, 1);
	same_bin(&s, s.gamma);
	rta_dds_release(&s);
}
END_TEST

/* Millions of random doubles: any bit pattern of the normal range (all
 * binades alike), and values of everyday magnitudes. */
START_TEST(quick_random)
{
	struct rta_dds s;
	uint64_t u;
	double a;
	int k;

	rng = 9200 + (uint64_t)_i;
	ck_assert_int_eq(rta_dds_init(&s, quick_alphas[_i], 65536), RTA_OK);
	for (k = 0; k < 400000; k++) {
		u = rnd64() & 0x7fffffffffffffffULL;
		memcpy(&a, &u, sizeof(a));
		same_bin(&s, a);
		same_bin(&s, pow(10, -3 + 9 * rnd01()));
		same_bin(&s, (double)(1 + rnd64() % 100000));
	}
	rta_dds_release(&s);
}
END_TEST

/* ---- accuracy ------------------------------------------------------------ */

/* Add the stream, check count, min, max, sum and every quantile. */
static void
check_stream(int dist, size_t n, double alpha, unsigned bins)
{
	struct rta_dds s;
	double *v, *sorted, x, got;
	long double sum = 0;
	size_t i, q;

	v = malloc(n * sizeof(double));
	sorted = malloc(n * sizeof(double));
	ck_assert(v != NULL && sorted != NULL);
	for (i = 0; i < n; i++) {
		v[i] = draw(dist);
		sorted[i] = v[i] == 0 ? 0 : v[i];
		sum += v[i];
	}
	qsort(sorted, n, sizeof(double), cmp_double);
	ck_assert_int_eq(rta_dds_init(&s, alpha, bins), RTA_OK);
	feed(&s, v, n);
	ck_assert_uint_eq(rta_dds_count(&s), n);
	ck_assert(rta_dds_min(&s) == sorted[0]);
	ck_assert(rta_dds_max(&s) == sorted[n - 1]);
	ck_assert(!signbit(rta_dds_min(&s)) || rta_dds_min(&s) != 0);
	if (dist != D_WIDE)
		ck_assert_msg(fabsl(rta_dds_sum(&s) - sum) <= 1e-9L *
		    fabsl(sum) + 1e-9L, "%s: sum %.17g, not %.17Lg",
		    dist_name[dist], rta_dds_sum(&s), sum);
	/* nothing collapsed, so every quantile is within alpha */
	ck_assert_int_lt(span(&s.pos), bins);
	ck_assert_int_lt(span(&s.neg), bins);
	for (q = 0; q < NQ; q++) {
		x = exact(sorted, n, qs[q]);
		got = rta_dds_quantile(&s, qs[q]);
		ck_assert_msg(within(got, x, rta_dds_alpha(&s)),
		    "%s, n %zu, alpha %g: q %g is %.17g, exact %.17g",
		    dist_name[dist], n, alpha, qs[q], got, x);
	}
	/* a few random q too */
	for (q = 0; q < 20; q++) {
		double r = rnd01();

		x = exact(sorted, n, r);
		got = rta_dds_quantile(&s, r);
		ck_assert_msg(within(got, x, rta_dds_alpha(&s)),
		    "%s, n %zu: q %.17g is %.17g, exact %.17g",
		    dist_name[dist], n, r, got, x);
	}
	rta_dds_release(&s);
	free(v);
	free(sorted);
}

START_TEST(accuracy)
{
	static const size_t sizes[] = {
		1, 2, 3, 5, 10, 100, 1000, 10000, 100000
	};
	static const double alphas[] = { 0.01, 0.001, 0.05, 0.2 };
	size_t i, j;
	int seed;

	for (seed = 0; seed < 5; seed++) {
		rng = 77 + (uint64_t)seed * 1000 + (uint64_t)_i;
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			j = (i + (size_t)seed) % 4;
			/* the wide stream needs the coarse alphas */
			if (_i == D_WIDE && alphas[j] < 0.02)
				j = 2;
			check_stream(_i, sizes[i], alphas[j], 65536);
		}
	}
}
END_TEST

/* A million values with the default parameters: latencies, and
 * values of both signs around 0. */
START_TEST(accuracy_million)
{
	rng = 4242 + (uint64_t)_i;
	check_stream(_i == 0 ? D_LATENCY : D_MIXED, 1000000,
	    RTA_DDS_ALPHA_DEFAULT, RTA_DDS_BINS_DEFAULT);
}
END_TEST

/* The definition on a small example: ranks, no interpolation. */
START_TEST(quantile_definition)
{
	struct rta_dds s;
	double got;
	int i;

	ck_assert_int_eq(rta_dds_init(&s, 0.01, 2048), RTA_OK);
	for (i = 100; i >= 1; i--)
		ADD(&s, i);
	/* rank floor(0.5 * 99) = 49: the 50th value, 50 */
	got = rta_dds_quantile(&s, 0.5);
	ck_assert_msg(fabs(got - 50) <= 0.5, "median %g", got);
	ck_assert(rta_dds_quantile(&s, 0) == 1);
	ck_assert(rta_dds_quantile(&s, 1) == 100);
	/* rank floor(0.999 * 99) = 98: 99, not 100 */
	got = rta_dds_quantile(&s, 0.999);
	ck_assert_msg(fabs(got - 99) <= 0.99, "p99.9 %g", got);
	rta_dds_release(&s);
	/* two values: every q < 1 is the lower one */
	ck_assert_int_eq(rta_dds_init(&s, 0.01, 2048), RTA_OK);
	ADD(&s, 10);
	ADD(&s, 1000);
	got = rta_dds_quantile(&s, 0.999);
	ck_assert_msg(fabs(got - 10) <= 0.1, "p99.9 of two: %g", got);
	ck_assert(rta_dds_quantile(&s, 1) == 1000);
	/* add_n is n adds */
	ck_assert_int_eq(rta_dds_add_n(&s, -5, 3), RTA_OK);
	ck_assert_uint_eq(rta_dds_count(&s), 5);
	ck_assert(rta_dds_quantile(&s, 0.5) == -5);
	ck_assert(rta_dds_sum(&s) == 995);
	rta_dds_release(&s);
}
END_TEST

/*
 * The value a sketch answers for its bin k: the representative, read
 * from a sketch of three values where the one in bin k is the median,
 * so that no clamp to [min, max] applies.
 */
static double
rep_of(const struct rta_dds *like, int32_t k, int neg)
{
	struct rta_dds t;
	double x = exp(((double)k - 0.5) * like->lng), got;

	rta_dds_init_like(&t, like);
	ADD(&t, neg ? -x : x);
	CHECK(neg ? t.neg.lo == k : t.pos.lo == k);
	ADD(&t, neg ? -x * 1e6 : x * 1e-6);
	ADD(&t, neg ? -x * 1e-6 : x * 1e6);
	got = rta_dds_quantile(&t, 0.5);
	rta_dds_release(&t);
	return got;
}

/* The bin of rank r counted from st's lowest bin up, the definition. */
static int32_t
bin_from_below(const struct rta_dds_store *st, uint64_t r)
{
	uint64_t seen = 0;
	int64_t k;

	for (k = st->lo; k <= st->hi; k++) {
		seen += bin_n(st, k);
		if (seen > r)
			return (int32_t)k;
	}
	ck_abort_msg("rank %" PRIu64 " beyond the store", r);
	return 0;
}

/*
 * Every rank of small sketches of both signs, with runs of equal values:
 * the answer is the representative of the bin the definition walks to
 * (from the lowest bin up), clamped to [min, max], although the library
 * walks from the nearer end.
 */
START_TEST(quantile_ranks)
{
	struct rta_dds s;
	uint64_t r, n, i;
	double want, got, x;
	int round;
	int32_t k;

	rng = 31;
	for (round = 0; round < 60; round++) {
		ck_assert_int_eq(rta_dds_init(&s, round % 3 ? 0.01 : 0.05,
		    2048), RTA_OK);
		n = 1 + rnd64() % 120;
		for (i = 0; i < n; i++) {
			x = round % 4 == 0 ? draw(D_MIXED) : draw(D_LATENCY);
			if (rnd01() < 0.05)
				x = 0;
			ck_assert_int_eq(rta_dds_add_n(&s, x, 1 + rnd64() % 3),
			    RTA_OK);
		}
		n = rta_dds_count(&s);
		for (r = 0; r < n; r++) {
			/* q (n - 1) lands inside [r, r + 1) */
			got = rta_dds_quantile(&s, r + 1 == n ? 1 :
			    ((double)r + 0.5) / (double)(n - 1));
			if (r < s.neg.total) {
				k = bin_from_below(&s.neg, s.neg.total - 1 - r);
				want = rep_of(&s, k, 1);
			} else if (r - s.neg.total < s.zero) {
				want = 0;
			} else {
				k = bin_from_below(&s.pos,
				    r - s.neg.total - s.zero);
				want = rep_of(&s, k, 0);
			}
			want = want < s.min ? s.min : want > s.max ? s.max :
			    want;
			CHECK_MSG(got == want, "round %d, rank %" PRIu64
			    " of %" PRIu64 ": %.17g, not %.17g", round, r, n,
			    got, want);
		}
		rta_dds_release(&s);
	}
}
END_TEST

/* -0 and +0 are the same value: the state does not see the order. */
START_TEST(signed_zero)
{
	struct rta_dds a, b;

	ck_assert_int_eq(rta_dds_init(&a, 0.01, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&b, 0.01, 2048), RTA_OK);
	ADD(&a, -0.0);
	ADD(&a, 0.0);
	ADD(&b, 0.0);
	ADD(&b, -0.0);
	assert_same(&a, &b);
	ck_assert(!signbit(rta_dds_min(&a)));
	ck_assert(rta_dds_quantile(&a, 0.5) == 0);
	/* subnormals count as zero but stay exact in min and max */
	ADD(&a, -0x1p-1074);
	ck_assert_uint_eq(a.zero, 3);
	ck_assert(rta_dds_min(&a) == -0x1p-1074);
	ck_assert(rta_dds_quantile(&a, 0) == 0);
	rta_dds_release(&a);
	rta_dds_release(&b);
}
END_TEST

/* Sums that overflow, and a NaN sum, which has one encoding. */
START_TEST(sum_limits)
{
	struct rta_dds a, b;
	struct rta_buf x = RTA_BUF_INIT;
	uint64_t bits;
	double sum;

	ck_assert_int_eq(rta_dds_init(&a, 0.01, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&b, 0.01, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_add_n(&a, DBL_MAX, 2), RTA_OK);
	ck_assert_int_eq(rta_dds_add_n(&b, -DBL_MAX, 2), RTA_OK);
	ck_assert(isinf(rta_dds_sum(&a)) && rta_dds_sum(&a) > 0);
	ck_assert(rta_dds_quantile(&a, 0.5) == DBL_MAX);
	ck_assert(rta_dds_quantile(&b, 0.5) == -DBL_MAX);
	ck_assert_int_eq(rta_dds_merge(&a, &b, NULL), RTA_OK);
	sum = rta_dds_sum(&a);
	ck_assert(isnan(sum));
	memcpy(&bits, &sum, sizeof(bits));
	ck_assert_uint_eq(bits, 0x7ff8000000000000ULL);
	encode(&a, &x);
	rta_dds_release(&b);
	ck_assert_int_eq(rta_dds_decode(&b, x.data, x.len, NULL), RTA_OK);
	assert_same(&a, &b);
	ck_assert(rta_dds_quantile(&b, 0) == -DBL_MAX);
	ck_assert(rta_dds_quantile(&b, 1) == DBL_MAX);
	rta_dds_release(&a);
	rta_dds_release(&b);
	rta_buf_release(&x);
}
END_TEST

START_TEST(count_overflow)
{
	struct rta_dds a, b;
	struct rta_error err;

	ck_assert_int_eq(rta_dds_init(&a, 0.01, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&b, 0.01, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_add_n(&a, 1, UINT64_MAX - 1), RTA_OK);
	ADD(&a, 2);
	ck_assert_int_eq(rta_dds_add(&a, 3), RTA_EINVAL);
	ck_assert_uint_eq(rta_dds_count(&a), UINT64_MAX);
	ck_assert(rta_dds_max(&a) == 2);
	ck_assert(fabs(rta_dds_quantile(&a, 1) - 2) <= 0.02);
	ck_assert(fabs(rta_dds_quantile(&a, 0.5) - 1) <= 0.01);
	ADD(&b, 5);
	ck_assert_int_eq(rta_dds_merge(&a, &b, &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "count-overflow");
	ck_assert_uint_eq(rta_dds_count(&a), UINT64_MAX);
	rta_dds_release(&a);
	rta_dds_release(&b);
}
END_TEST

/* ---- collapsing and the memory bound ------------------------------------- */

/*
 * Far more bins than max_bins: the span and memory stay bounded, and
 * the quantiles whose exact value lies above the collapsed range (or
 * below it, for negative values) are still within alpha.
 */
START_TEST(collapse)
{
	static const unsigned binss[] = { 16, 64, 300, 2048 };
	unsigned bins = binss[_i % 4];
	struct rta_dds s;
	double *v, *sorted, x, got, alpha;
	long double lg, floor_pos, floor_neg;
	size_t n = 200000, i, q, checked = 0;

	rng = 555 + (uint64_t)_i;
	v = malloc(n * sizeof(double));
	sorted = malloc(n * sizeof(double));
	ck_assert(v != NULL && sorted != NULL);
	ck_assert_int_eq(rta_dds_init(&s, 0.01, bins), RTA_OK);
	for (i = 0; i < n; i++) {
		/* 1e-50 .. 1e50 of both signs: about 11,500 bins each */
		v[i] = pow(10, -50 + 100 * rnd01());
		if (_i >= 4 && rnd01() < 0.3)
			v[i] = -v[i];
		sorted[i] = v[i];
		ADD(&s, v[i]);
		if (i % 1000 == 0) {
			ck_assert_int_le(span(&s.pos), bins);
			ck_assert_int_le(span(&s.neg), bins);
			ck_assert_uint_le(rta_dds_memory(&s), 16 * bins);
		}
	}
	ck_assert_int_eq(span(&s.pos), bins);
	ck_assert_uint_le(rta_dds_memory(&s), 16 * bins);
	qsort(sorted, n, sizeof(double), cmp_double);
	lg = logl((long double)s.gamma);
	floor_pos = expl(lg * (s.pos.hi - (long double)bins + 1));
	floor_neg = expl(lg * (s.neg.hi - (long double)bins + 1));
	alpha = rta_dds_alpha(&s);
	for (q = 0; q <= 1000; q++) {
		x = exact(sorted, n, q / 1000.0);
		if ((x > 0 && x <= floor_pos * (1 + 1e-12L)) ||
		    (x < 0 && -x <= floor_neg * (1 + 1e-12L)))
			continue;
		got = rta_dds_quantile(&s, q / 1000.0);
		ck_assert_msg(within(got, x, alpha), "bins %u: q %g is %.17g, "
		    "exact %.17g", bins, q / 1000.0, got, x);
		checked++;
	}
	/* the high quantiles are among those checked: the kept bins hold
	 * about bins / 11,500 of the positive values */
	ck_assert_int_ge(checked, 1 + 1000 * 0.7 * (bins - 1) / 11600);
	ck_assert(rta_dds_min(&s) == sorted[0]);
	ck_assert(rta_dds_max(&s) == sorted[n - 1]);
	rta_dds_release(&s);
	free(v);
	free(sorted);
}
END_TEST

/* Hostile streams for memory: alternating extremes, every magnitude. */
START_TEST(memory_bound)
{
	static const unsigned binss[] = { 16, 2048, 65536 };
	struct rta_dds s;
	size_t i, j;
	double v;

	rng = 99;
	for (j = 0; j < 3; j++) {
		ck_assert_int_eq(rta_dds_init(&s, 0.01, binss[j]), RTA_OK);
		for (i = 0; i < 300000; i++) {
			switch (i % 4) {
			case 0:
				v = DBL_MAX;
				break;
			case 1:
				v = RTA_DDS_MIN_VALUE;
				break;
			default:
				v = pow(2, -1022 + 2046 * rnd01());
				break;
			}
			ADD(&s, (i & 8) ? -v : v);
		}
		ck_assert_uint_le(rta_dds_memory(&s), 16 * (size_t)binss[j]);
		ck_assert_int_le(span(&s.pos), binss[j]);
		ck_assert_int_le(span(&s.neg), binss[j]);
		ck_assert(rta_dds_quantile(&s, 1) == DBL_MAX);
		ck_assert(rta_dds_quantile(&s, 0) == -DBL_MAX);
		rta_dds_release(&s);
	}
}
END_TEST

/* ---- merging ------------------------------------------------------------- */

/*
 * Integer values keep the sums exact in any order, so whole encodings
 * can be compared: the sketch of a stream equals the merge of the
 * sketches of its parts, in order, in reverse, as a tree, in a random
 * order, with collapsing (small max_bins) or not, and with a sketch fed
 * the same values in another order.
 */
START_TEST(merge_union)
{
	enum { PARTS = 13 };
	unsigned bins = (_i & 1) ? 40 : 2048;
	struct rta_dds whole, other, part[PARTS], acc, tree[PARTS];
	struct rta_error err;
	size_t n = 30000, i, k, m;
	double *v, x;
	int order[PARTS], t;

	rng = 31337 + (uint64_t)_i;
	v = malloc(n * sizeof(double));
	ck_assert(v != NULL);
	for (i = 0; i < n; i++) {
		/* 1 .. 7e10, 1,250 bins; sums stay below 2^53 */
		x = floor(exp(25 * rnd01()));
		switch (_i / 2) {
		case 0:
			break;
		case 1:
			x = rnd01() < 0.4 ? -x : x;
			break;
		default:
			x = rnd01() < 0.3 ? 0 : rnd01() < 0.5 ? -x : x;
			break;
		}
		v[i] = x;
	}
	ck_assert_int_eq(rta_dds_init(&whole, 0.01, bins), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&other, 0.01, bins), RTA_OK);
	feed(&whole, v, n);
	for (i = n; i-- > 0;)
		ADD(&other, v[(i * 7919) % n]);
	assert_same(&whole, &other);
	/* uneven parts, one of them empty */
	for (k = 0, i = 0; k < PARTS; k++) {
		m = k == 3 ? 0 : k == PARTS - 1 ? n - i :
		    (size_t)(rnd01() * (double)(n - i) / 3);
		ck_assert_int_eq(rta_dds_init(&part[k], 0.01, bins), RTA_OK);
		feed(&part[k], v + i, m);
		i += m;
	}
	/* in order */
	ck_assert_int_eq(rta_dds_init(&acc, 0.01, bins), RTA_OK);
	for (k = 0; k < PARTS; k++)
		ck_assert_int_eq(rta_dds_merge(&acc, &part[k], &err), RTA_OK);
	assert_same(&whole, &acc);
	rta_dds_release(&acc);
	/* in reverse, into the last part */
	ck_assert_int_eq(rta_dds_copy(&acc, &part[PARTS - 1]), RTA_OK);
	for (k = PARTS - 1; k-- > 0;)
		ck_assert_int_eq(rta_dds_merge(&acc, &part[k], &err), RTA_OK);
	assert_same(&whole, &acc);
	rta_dds_release(&acc);
	/* a random order */
	for (k = 0; k < PARTS; k++)
		order[k] = (int)k;
	for (k = PARTS - 1; k > 0; k--) {
		m = rnd64() % (k + 1);
		t = order[k];
		order[k] = order[m];
		order[m] = t;
	}
	ck_assert_int_eq(rta_dds_copy(&acc, &part[order[0]]), RTA_OK);
	for (k = 1; k < PARTS; k++)
		ck_assert_int_eq(rta_dds_merge(&acc, &part[order[k]], &err),
		    RTA_OK);
	assert_same(&whole, &acc);
	rta_dds_release(&acc);
	/* a tree of pairs */
	for (k = 0; k < PARTS; k++)
		ck_assert_int_eq(rta_dds_copy(&tree[k], &part[k]), RTA_OK);
	for (m = 1; m < PARTS; m *= 2)
		for (k = 0; k + m < PARTS; k += 2 * m)
			ck_assert_int_eq(rta_dds_merge(&tree[k], &tree[k + m],
			    &err), RTA_OK);
	assert_same(&whole, &tree[0]);
	for (k = 0; k < PARTS; k++) {
		rta_dds_release(&tree[k]);
		rta_dds_release(&part[k]);
	}
	rta_dds_release(&whole);
	rta_dds_release(&other);
	free(v);
}
END_TEST

/* Floating-point values: bins, count, min and max exact, sum close. */
START_TEST(merge_floats)
{
	struct rta_dds whole, a, b;
	double v;
	size_t i;
	int64_t k;
	int q;

	rng = 8080;
	ck_assert_int_eq(rta_dds_init(&whole, 0.02, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&a, 0.02, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&b, 0.02, 2048), RTA_OK);
	for (i = 0; i < 50000; i++) {
		v = draw(i % 3 == 0 ? D_MIXED : D_LATENCY);
		ADD(&whole, v);
		ADD(rnd01() < 0.5 ? &a : &b, v);
	}
	ck_assert_int_eq(rta_dds_merge(&b, &a, NULL), RTA_OK);
	ck_assert_uint_eq(rta_dds_count(&b), rta_dds_count(&whole));
	ck_assert(rta_dds_min(&b) == rta_dds_min(&whole));
	ck_assert(rta_dds_max(&b) == rta_dds_max(&whole));
	ck_assert_uint_eq(b.zero, whole.zero);
	ck_assert_int_eq(b.pos.lo, whole.pos.lo);
	ck_assert_int_eq(b.pos.hi, whole.pos.hi);
	ck_assert_int_eq(b.neg.lo, whole.neg.lo);
	ck_assert_int_eq(b.neg.hi, whole.neg.hi);
	for (k = whole.pos.lo; k <= whole.pos.hi; k++)
		ck_assert_uint_eq(bin_n(&b.pos, k), bin_n(&whole.pos, k));
	for (k = whole.neg.lo; k <= whole.neg.hi; k++)
		ck_assert_uint_eq(bin_n(&b.neg, k), bin_n(&whole.neg, k));
	for (q = 0; q <= 100; q++)
		ck_assert(rta_dds_quantile(&b, q / 100.0) ==
		    rta_dds_quantile(&whole, q / 100.0));
	ck_assert_double_eq_tol(rta_dds_sum(&b), rta_dds_sum(&whole),
	    1e-9 * fabs(rta_dds_sum(&whole)));
	rta_dds_release(&whole);
	rta_dds_release(&a);
	rta_dds_release(&b);
}
END_TEST

/* ---- the sparse and the dense form ------------------------------------- */

/* st in the dense form, built here bin by bin (an exact array, as a
 * decoded store has). */
static void
make_dense(struct rta_dds_store *st)
{
	struct rta_dds_store d;
	int64_t k;

	if (st->ns == RTA_DDS_DENSE)
		return;
	memset(&d, 0, sizeof(d));
	d.ns = RTA_DDS_DENSE;
	if (st->total != 0) {
		d.cap = (uint32_t)(st->hi - st->lo + 1);
		d.off = st->lo;
		d.lo = st->lo;
		d.hi = st->hi;
		d.total = st->total;
		d.b = rta_calloc(d.cap, sizeof(uint64_t));
		ck_assert_ptr_nonnull(d.b);
		for (k = st->lo; k <= st->hi; k++)
			d.b[k - d.off] = bin_n(st, k);
	}
	rta_free(st->b);
	*st = d;
}

/* Every answer and the encoding of a and b are the same. */
static void
assert_twins(const struct rta_dds *a, const struct rta_dds *b)
{
	uint64_t r, n = rta_dds_count(a);
	double x, y, q;
	int k;

	assert_same(a, b);
	ck_assert_uint_eq(rta_dds_count(b), n);
	for (k = 0; k <= 200 + 400; k++) {
		/* a grid, then (in small sketches) every rank */
		r = (uint64_t)(k - 201);
		if (k > 200 && (n < 2 || r >= n))
			break;
		q = k <= 200 ? k / 200.0 : r + 1 == n ? 1 :
		    ((double)r + 0.5) / (double)(n - 1);
		x = rta_dds_quantile(a, q);
		y = rta_dds_quantile(b, q);
		CHECK_MSG(x == y || (n == 0 && isnan(x) && isnan(y)),
		    "q %.17g of %" PRIu64 ": %.17g and %.17g", q, n, x, y);
	}
}

/* A random small sketch: tens of values of both signs and zeros, now and
 * then a count past 32 bits; sizes across RTA_DDS_SPARSE bins. */
static void
fill_small(struct rta_dds *s, int round)
{
	static const int dists[] = {
		D_LATENCY, D_MIXED, D_WIDE, D_ZEROS, D_LATENCY, D_INTS
	};
	uint64_t n, i, times;
	double x;

	n = rnd64() % (round % 7 == 0 ? 300 : 70);
	for (i = 0; i < n; i++) {
		x = draw(dists[round % 6]);
		if (rnd01() < 0.03)
			x = 0;
		times = rnd01() < 0.002 ? (1ULL << 32) + rnd64() % 5 :
		    1 + rnd64() % 3;
		CHECK(rta_dds_add_n(s, x, times) == RTA_OK);
	}
}

/*
 * The sparse form against the dense one over many random small
 * sketches: the same quantiles at every rank, the same encoding, and
 * merges of sparse into sparse, sparse into dense, dense into sparse and
 * dense into dense that all agree; then more values, and a reset.
 */
START_TEST(sparse_dense)
{
	static const unsigned binss[] = { 16, 40, 2048 };
	struct rta_dds a, b, ad, bd, m[4];
	struct rta_buf enc = RTA_BUF_INIT;
	double x;
	int round, i, j, sparse_seen = 0, dense_seen = 0;

	rng = 6464;
	for (round = 0; round < 1500; round++) {
		unsigned bins = binss[(round / 6) % 3];
		double alpha = round % 4 == 0 ? 0.05 : 0.01;

		ck_assert_int_eq(rta_dds_init(&a, alpha, bins), RTA_OK);
		rta_dds_init_like(&b, &a);
		fill_small(&a, round);
		fill_small(&b, round + 1);
		sparse_seen += a.pos.ns != RTA_DDS_DENSE && a.pos.ns > 1;
		dense_seen += a.pos.ns == RTA_DDS_DENSE;
		ck_assert_int_eq(rta_dds_copy(&ad, &a), RTA_OK);
		ck_assert_int_eq(rta_dds_copy(&bd, &b), RTA_OK);
		make_dense(&ad.pos);
		make_dense(&ad.neg);
		make_dense(&bd.pos);
		make_dense(&bd.neg);
		assert_twins(&a, &ad);
		assert_twins(&b, &bd);
		/* the decoder's (dense) sketch encodes alike too */
		encode(&a, &enc);
		ck_assert_int_eq(rta_dds_decode(&m[0], enc.data, enc.len, NULL),
		    RTA_OK);
		assert_twins(&m[0], &a);
		rta_dds_release(&m[0]);
		/* every pairing of forms merges alike */
		for (i = 0; i < 4; i++) {
			ck_assert_int_eq(rta_dds_copy(&m[i], i < 2 ? &a : &ad),
			    RTA_OK);
			ck_assert_int_eq(rta_dds_merge(&m[i], i % 2 ? &bd : &b,
			    NULL), RTA_OK);
		}
		for (i = 1; i < 4; i++)
			assert_twins(&m[0], &m[i]);
		/* into itself */
		ck_assert_int_eq(rta_dds_merge(&m[0], &m[0], NULL), RTA_OK);
		ck_assert_int_eq(rta_dds_merge(&m[3], &m[3], NULL), RTA_OK);
		assert_twins(&m[0], &m[3]);
		/* more values, the same to both forms */
		for (j = 0; j < 30; j++) {
			x = draw(D_LATENCY) * (j % 7 == 0 ? -1 : 1);
			ADD(&m[1], x);
			ADD(&m[2], x);
			ADD(&a, x);
			ADD(&ad, x);
		}
		assert_twins(&m[1], &m[2]);
		assert_twins(&a, &ad);
		/* emptied, either form works as new */
		rta_dds_reset(&ad);
		rta_dds_reset(&m[3]);
		rta_dds_release(&m[0]);
		ck_assert_int_eq(rta_dds_copy(&m[0], &b), RTA_OK);
		ck_assert_int_eq(rta_dds_merge(&ad, &b, NULL), RTA_OK);
		ck_assert_int_eq(rta_dds_merge(&m[3], &bd, NULL), RTA_OK);
		assert_twins(&ad, &m[0]);
		assert_twins(&m[3], &m[0]);
		for (i = 0; i < 4; i++)
			rta_dds_release(&m[i]);
		rta_dds_release(&a);
		rta_dds_release(&b);
		rta_dds_release(&ad);
		rta_dds_release(&bd);
	}
	/* both forms were met, so that the comparison meant something */
	ck_assert_int_gt(sparse_seen, 300);
	ck_assert_int_gt(dense_seen, 300);
	rta_buf_release(&enc);
}
END_TEST

START_TEST(merge_special)
{
	struct rta_dds a, b, c, big, small, direct;
	struct rta_error err;
	struct rta_buf before = RTA_BUF_INIT, after = RTA_BUF_INIT;
	size_t i;
	double v;

	/* empty into empty, empty into full, full into empty */
	ck_assert_int_eq(rta_dds_init(&a, 0.01, 2048), RTA_OK);
	rta_dds_init_like(&b, &a);
	ck_assert_int_eq(rta_dds_merge(&a, &b, &err), RTA_OK);
	ck_assert_uint_eq(rta_dds_count(&a), 0);
	for (i = 0; i < 100; i++)
		ADD(&a, (double)i - 20);
	ck_assert_int_eq(rta_dds_merge(&a, &b, &err), RTA_OK);
	ck_assert_int_eq(rta_dds_merge(&b, &a, &err), RTA_OK);
	assert_same(&a, &b);
	/* into itself: every count doubles */
	ck_assert_int_eq(rta_dds_copy(&c, &a), RTA_OK);
	ck_assert_int_eq(rta_dds_merge(&c, &a, &err), RTA_OK);
	ck_assert_int_eq(rta_dds_merge(&a, &a, &err), RTA_OK);
	assert_same(&a, &c);
	ck_assert_uint_eq(rta_dds_count(&a), 200);
	/* another alpha: refused, nothing changed */
	rta_dds_release(&c);
	ck_assert_int_eq(rta_dds_init(&c, 0.02, 2048), RTA_OK);
	ADD(&c, 5);
	encode(&a, &before);
	ck_assert_int_eq(rta_dds_merge(&a, &c, &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "sketch-mismatch");
	encode(&a, &after);
	ck_assert(before.len == after.len &&
	    memcmp(before.data, after.data, before.len) == 0);
	/* even when the other is empty */
	rta_dds_reset(&c);
	ck_assert_int_eq(rta_dds_merge(&a, &c, &err), RTA_EINVAL);
	rta_dds_release(&a);
	rta_dds_release(&b);
	rta_dds_release(&c);
	/* a wider sketch into a narrower: as if the narrower saw it all */
	rng = 6;
	ck_assert_int_eq(rta_dds_init(&big, 0.01, 65536), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&small, 0.01, 16), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&direct, 0.01, 16), RTA_OK);
	for (i = 0; i < 5000; i++) {
		v = floor(exp(25 * rnd01()));
		ADD(i % 2 ? &big : &small, v);
		ADD(&direct, v);
	}
	ck_assert_int_eq(rta_dds_merge(&small, &big, &err), RTA_OK);
	ck_assert_int_eq(span(&small.pos), 16);
	/* sums differ in order only: compare the bins */
	ck_assert_int_eq(small.pos.lo, direct.pos.lo);
	ck_assert_int_eq(small.pos.hi, direct.pos.hi);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(bin_n(&small.pos, small.pos.lo + (int64_t)i),
		    bin_n(&direct.pos, direct.pos.lo + (int64_t)i));
	ck_assert(rta_dds_min(&small) == rta_dds_min(&direct));
	ck_assert(rta_dds_max(&small) == rta_dds_max(&direct));
	/* and the narrow into the wide keeps the wide one's bins */
	ck_assert_int_eq(rta_dds_merge(&big, &direct, &err), RTA_OK);
	ck_assert_int_le(span(&big.pos), 65536);
	ck_assert_uint_eq(rta_dds_count(&big), 5000 + 2500);
	rta_dds_release(&big);
	rta_dds_release(&small);
	rta_dds_release(&direct);
	rta_buf_release(&before);
	rta_buf_release(&after);
}
END_TEST

/* Reset keeps storage and parameters; the sketch works as new. */
START_TEST(reset_copy)
{
	struct rta_dds a, b, c;
	size_t mem, i;

	ck_assert_int_eq(rta_dds_init(&a, 0.01, 2048), RTA_OK);
	ck_assert_int_eq(rta_dds_init(&b, 0.01, 2048), RTA_OK);
	for (i = 0; i < 1000; i++)
		ADD(&a, (double)i * 1.5 - 300);
	mem = rta_dds_memory(&a);
	ck_assert_uint_gt(mem, 0);
	ck_assert_int_eq(rta_dds_copy(&c, &a), RTA_OK);
	assert_same(&a, &c);
	ck_assert(a.pos.b != c.pos.b);
	rta_dds_reset(&a);
	ck_assert_uint_eq(rta_dds_memory(&a), mem);
	ck_assert_uint_eq(rta_dds_count(&a), 0);
	ck_assert(isnan(rta_dds_quantile(&a, 0.5)));
	assert_same(&a, &b);
	for (i = 0; i < 50; i++) {
		ADD(&a, 1e6 + (double)i);
		ADD(&b, 1e6 + (double)i);
	}
	assert_same(&a, &b);
	/* the copy is untouched by all that */
	ck_assert_uint_eq(rta_dds_count(&c), 1000);
	ck_assert(rta_dds_min(&c) == -300);
	rta_dds_release(&a);
	rta_dds_release(&b);
	rta_dds_release(&c);
}
END_TEST

/* ---- encoding ------------------------------------------------------------ */

/* Bytes built by hand for the format checks. */
struct w {
	unsigned char	 b[256];
	size_t		 n;
};

static void
w_byte(struct w *w, unsigned c)
{
	w->b[w->n++] = (unsigned char)c;
}

static void
w_var(struct w *w, uint64_t v)
{
	while (v >= 0x80) {
		w_byte(w, (unsigned)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	w_byte(w, (unsigned)v);
}

static void
w_double(struct w *w, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	rta_put_u64(w->b + w->n, u);
	w->n += 8;
}

static void
w_head(struct w *w, double gamma, unsigned bins, uint64_t zero)
{
	w->n = 0;
	w_byte(w, 'D');
	w_byte(w, 1);
	w_double(w, gamma);
	w_var(w, bins);
	w_var(w, zero);
}

/* The format by hand: one value 1.0 is bin 0 of the positive store. */
START_TEST(format)
{
	struct rta_dds s;
	struct rta_buf b = RTA_BUF_INIT;
	struct w w;
	int32_t i2;

	ck_assert_int_eq(rta_dds_init(&s, 0.01, 2048), RTA_OK);
	w_head(&w, 1.01 / 0.99, 2048, 0);
	w_var(&w, 0);
	w_var(&w, 0);
	encode(&s, &b);
	ck_assert_uint_eq(b.len, w.n);
	ck_assert(memcmp(b.data, w.b, w.n) == 0);
	ADD(&s, 1.0);
	w_head(&w, 1.01 / 0.99, 2048, 0);
	w_var(&w, 0);			/* no negative runs */
	w_var(&w, 1);			/* one positive run */
	w_var(&w, 0);			/* zigzag(0) */
	w_var(&w, 0);			/* length 1 */
	w_var(&w, 1);			/* count 1 */
	w_double(&w, 1.0);
	w_double(&w, 1.0);
	w_double(&w, 1.0);
	encode(&s, &b);
	ck_assert_uint_eq(b.len, w.n);
	ck_assert(memcmp(b.data, w.b, w.n) == 0);
	/*
	 * 2 is bin ceil(ln 2 / ln gamma) = 35, -1 bin 0 of the negative
	 * store; with 2 twice and a 3 zeros away from bin 39 (3 -> 56),
	 * the positive store is runs 0 and 35 (two zero bins apart
	 * would be one run) ...
	 */
	i2 = (int32_t)ceil(log(2.0) / log(s.gamma));
	ck_assert_int_eq(i2, 35);
	ck_assert_int_eq(rta_dds_add_n(&s, 2.0, 2), RTA_OK);
	ADD(&s, -1.0);
	ADD(&s, 0);
	w_head(&w, 1.01 / 0.99, 2048, 1);
	w_var(&w, 1);			/* negative: one run at 0 */
	w_var(&w, 0);
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 2);			/* positive: 2 runs */
	w_var(&w, 0);			/* at 0 */
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 35 - 0 - 1 - 3);	/* 34 empty bins, minus 3 */
	w_var(&w, 0);
	w_var(&w, 2);
	w_double(&w, -1.0);
	w_double(&w, 2.0);
	w_double(&w, 1.0 + 4.0 - 1.0);
	encode(&s, &b);
	ck_assert_uint_eq(b.len, w.n);
	ck_assert(memcmp(b.data, w.b, w.n) == 0);
	rta_dds_release(&s);
	/* runs: 2 empty bins stay inside a run, 3 split it */
	ck_assert_int_eq(rta_dds_init(&s, 0.01, 2048), RTA_OK);
	ADD(&s, 1.0);		/* bin 0 */
	ADD(&s, pow(s.gamma, 2.5));
	ADD(&s, pow(s.gamma, 6.5));
	ck_assert_int_eq(s.pos.hi, 7);
	w_head(&w, 1.01 / 0.99, 2048, 0);
	w_var(&w, 0);
	w_var(&w, 2);
	w_var(&w, 0);			/* bins 0..3: 1 0 0 1 */
	w_var(&w, 3);
	w_var(&w, 1);
	w_var(&w, 0);
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 0);			/* bins 4, 5, 6 empty: bin 7 */
	w_var(&w, 0);
	w_var(&w, 1);
	w_double(&w, 1.0);
	w_double(&w, pow(s.gamma, 6.5));
	w_double(&w, 1.0 + pow(s.gamma, 2.5) + pow(s.gamma, 6.5));
	encode(&s, &b);
	ck_assert_uint_eq(b.len, w.n);
	ck_assert(memcmp(b.data, w.b, w.n) == 0);
	/* encode appends */
	rta_buf_reset(&b);
	ck_assert_int_eq(rta_buf_adds(&b, "xyz"), 0);
	ck_assert_int_eq(rta_dds_encode(&s, &b), 0);
	ck_assert_uint_eq(b.len, 3 + w.n);
	ck_assert(memcmp(b.data, "xyz", 3) == 0 &&
	    memcmp(b.data + 3, w.b, w.n) == 0);
	rta_dds_release(&s);
	rta_buf_release(&b);
}
END_TEST

static void round_trip(const struct rta_dds *);

/*
 * The encoding by its description in rta_ddsketch.h, bin by bin: the
 * runs counted first, each written from its first to its last bin.
 */
static void
ref_var(struct rta_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		ck_assert_int_eq(rta_buf_addc(b, (int)(v & 0x7f) | 0x80), 0);
		v >>= 7;
	}
	ck_assert_int_eq(rta_buf_addc(b, (int)v), 0);
}

static uint64_t
ref_count(const struct rta_dds_store *st, int64_t k)
{
	return bin_n(st, k);
}

/* The last bin of the run from start: 3 empty bins end it. */
static int64_t
ref_run_end(const struct rta_dds_store *st, int64_t start)
{
	int64_t k = start, end = start;

	while (++k <= st->hi && k - end <= 3)
		if (ref_count(st, k) != 0)
			end = k;
	return end;
}

static uint64_t
ref_store(struct rta_buf *b, const struct rta_dds_store *st)
{
	int64_t start, end, k, prev = 0;
	uint64_t runs = 0;

	if (st->total == 0) {
		ref_var(b, 0);
		return 0;
	}
	for (start = st->lo; start <= st->hi; start = k) {
		end = ref_run_end(st, start);
		for (k = end + 1; k <= st->hi && ref_count(st, k) == 0; k++)
			continue;
		runs++;
	}
	ref_var(b, runs);
	for (start = st->lo; start <= st->hi; start = k) {
		end = ref_run_end(st, start);
		if (start == st->lo)
			ref_var(b, ((uint64_t)start << 1) ^
			    (uint64_t)(start >> 63));
		else
			ref_var(b, (uint64_t)(start - prev - 1 - 3));
		ref_var(b, (uint64_t)(end - start));
		for (k = start; k <= end; k++)
			ref_var(b, ref_count(st, k));
		prev = end;
		for (k = end + 1; k <= st->hi && ref_count(st, k) == 0; k++)
			continue;
	}
	return runs;
}

static void
ref_double(struct rta_buf *b, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	ck_assert_int_eq(rta_buf_add_u64(b, u), 0);
}

/* The reference encoding into b; the positive store's runs. */
static uint64_t
ref_encode(const struct rta_dds *s, struct rta_buf *b)
{
	uint64_t runs;

	rta_buf_reset(b);
	ck_assert_int_eq(rta_buf_addc(b, 'D'), 0);
	ck_assert_int_eq(rta_buf_addc(b, 1), 0);
	ref_double(b, s->gamma);
	ref_var(b, s->max_bins);
	ref_var(b, s->zero);
	ref_store(b, &s->neg);
	runs = ref_store(b, &s->pos);
	if (s->count != 0) {
		ref_double(b, s->min);
		ref_double(b, s->max);
		ref_double(b, s->sum);
	}
	return runs;
}

/* rta_dds_encode writes the reference's bytes. */
static void
assert_ref_encoding(const struct rta_dds *s)
{
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;

	encode(s, &a);
	(void)ref_encode(s, &b);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_msg(memcmp(a.data, b.data, a.len) == 0,
	    "encoding differs from the reference");
	rta_buf_release(&a);
	rta_buf_release(&b);
}

/* A value in bin k of the positive store. */
static double
in_bin(const struct rta_dds *s, int64_t k)
{
	return exp(((double)k - 0.5) * s->lng);
}

/*
 * Runs by number (the count takes 1, 2 or 3 bytes: 127, 128, 16383 and
 * 16384 runs) and by shape: single bins 3 or 4 empty bins apart, runs
 * of two bins, and runs with 2 empty bins inside; then random sketches
 * of every kind, collapsed or not.  All as the reference encodes them.
 */
START_TEST(encode_reference)
{
	static const uint64_t nruns[] = {
		1, 2, 127, 128, 129, 16383, 16384
	};
	/* bins of each run (1: a value, 0: empty), then the gap */
	static const struct {
		const char	*run;
		int		 gap;
	} shapes[] = {
		{ "1", 3 }, { "1", 4 }, { "11", 3 }, { "1001", 3 }
	};
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_dds s;
	uint64_t r;
	size_t i, j, c, width;
	int64_t k;
	int d, round;

	for (i = 0; i < sizeof(nruns) / sizeof(nruns[0]); i++)
		for (j = 0; j < sizeof(shapes) / sizeof(shapes[0]); j++) {
			width = strlen(shapes[j].run) + (size_t)shapes[j].gap;
			if (nruns[i] * width - (size_t)shapes[j].gap > 65536)
				continue;
			ck_assert_int_eq(rta_dds_init(&s, 0.01, 65536),
			    RTA_OK);
			for (r = 0, k = -32000; r < nruns[i]; r++) {
				for (c = 0; shapes[j].run[c] != '\0'; c++, k++)
					if (shapes[j].run[c] == '1')
						ADD(&s, in_bin(&s, k));
				k += shapes[j].gap;
			}
			ck_assert_uint_eq(ref_encode(&s, &b), nruns[i]);
			assert_ref_encoding(&s);
			round_trip(&s);
			rta_dds_release(&s);
		}
	rng = 5150;
	for (round = 0; round < 400; round++) {
		d = round % NDIST;
		ck_assert_int_eq(rta_dds_init(&s, d == D_WIDE ? 0.1 : 0.01,
		    round % 5 == 0 ? 64 : 2048), RTA_OK);
		for (i = rnd64() % 300; i > 0; i--)
			ADD(&s, draw(d));
		assert_ref_encoding(&s);
		rta_dds_release(&s);
	}
	rta_buf_release(&b);
}
END_TEST

/* Decode and re-encode: same answers, same bytes. */
static void
round_trip(const struct rta_dds *s)
{
	struct rta_dds d;
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	double q1, q2;
	int q;

	encode(s, &a);
	ck_assert_msg(rta_dds_decode(&d, a.data, a.len, &err) == RTA_OK,
	    "decode: %s", err.text);
	encode(&d, &b);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert(memcmp(a.data, b.data, a.len) == 0);
	ck_assert_uint_eq(rta_dds_count(&d), rta_dds_count(s));
	ck_assert_uint_le(rta_dds_memory(&d), 16 * (size_t)d.max_bins);
	for (q = 0; q <= 200; q++) {
		q1 = rta_dds_quantile(s, q / 200.0);
		q2 = rta_dds_quantile(&d, q / 200.0);
		ck_assert(q1 == q2 || (isnan(q1) && isnan(q2)));
	}
	ck_assert(rta_dds_alpha(&d) == rta_dds_alpha(s));
	rta_dds_release(&d);
	rta_buf_release(&a);
	rta_buf_release(&b);
}

START_TEST(round_trips)
{
	static const size_t sizes[] = { 0, 1, 2, 7, 300, 10000 };
	static const unsigned binss[] = { 16, 2048, 65536 };
	struct rta_dds s;
	size_t i, j, k;

	rng = 2024 + (uint64_t)_i;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < 3; j++) {
			ck_assert_int_eq(rta_dds_init(&s, _i == D_WIDE ? 0.1 :
			    0.01, binss[j]), RTA_OK);
			for (k = 0; k < sizes[i]; k++)
				ADD(&s, draw(_i));
			round_trip(&s);
			rta_dds_release(&s);
		}
}
END_TEST

/* Sizes the header states. */
START_TEST(sizes)
{
	struct rta_dds s;
	struct rta_buf b = RTA_BUF_INIT;
	size_t i;

	rng = 12;
	ck_assert_int_eq(rta_dds_init(&s, 0.01, 2048), RTA_OK);
	encode(&s, &b);
	ck_assert_uint_eq(b.len, 15);
	for (i = 0; i < 300; i++)
		ADD(&s, 20 + 60 * rnd01());
	encode(&s, &b);
	ck_assert_uint_lt(b.len, 130);
	rta_dds_reset(&s);
	for (i = 0; i < 10000; i++)
		ADD(&s, draw(D_LATENCY));
	encode(&s, &b);
	ck_assert_uint_lt(b.len, 700);
	rta_dds_reset(&s);
	for (i = 0; i < 200000; i++)
		ADD(&s, pow(10, -3 + 9 * rnd01()));
	encode(&s, &b);
	ck_assert_uint_lt(b.len, 2200);
	rta_dds_release(&s);
	rta_buf_release(&b);
}
END_TEST

/* p[0..len) is refused as a bad sketch, leaving nothing. */
static void
assert_bad(const void *p, size_t len, const char *why)
{
	struct rta_dds d;
	struct rta_error err;

	memset(&err, 0, sizeof(err));
	ck_assert_msg(rta_dds_decode(&d, p, len, &err) == RTA_EDATA,
	    "accepted: %s", why);
	ck_assert_str_eq(err.reason, "bad-sketch");
	ck_assert_msg(strstr(err.text, why) != NULL, "'%s' for '%s'",
	    err.text, why);
	ck_assert_ptr_null(d.pos.b);
	ck_assert_ptr_null(d.neg.b);
	ck_assert_uint_eq(rta_dds_count(&d), 0);
	rta_dds_release(&d);
}

/* One run of counts c[0..n) at bin start, zero 0, then the summary. */
static void
w_one_run(struct w *w, unsigned bins, int64_t start, const uint64_t *c,
    size_t n)
{
	size_t i;

	w_head(w, 1.01 / 0.99, bins, 0);
	w_var(w, 0);
	w_var(w, 1);
	w_var(w, ((uint64_t)start << 1) ^ (uint64_t)(start >> 63));
	w_var(w, n - 1);
	for (i = 0; i < n; i++)
		w_var(w, c[i]);
}

START_TEST(malformed)
{
	struct w w;
	struct rta_dds s;
	uint64_t c[8] = { 1, 0, 0, 1 };
	double g = 1.01 / 0.99, nan2;
	uint64_t u;

	assert_bad("", 0, "not a DDSketch");
	assert_bad("X\1", 2, "not a DDSketch");
	assert_bad("D", 1, "not a DDSketch");
	assert_bad("D\2", 2, "unknown version");
	assert_bad("D\1", 2, "truncated");
	/* gamma */
	w_head(&w, 1.0, 2048, 0);
	assert_bad(w.b, w.n, "gamma out of range");
	w_head(&w, 3.0000001, 2048, 0);
	assert_bad(w.b, w.n, "gamma out of range");
	w_head(&w, NAN, 2048, 0);
	assert_bad(w.b, w.n, "gamma out of range");
	w_head(&w, 1 + 1e-7, 2048, 0);
	assert_bad(w.b, w.n, "gamma out of range");
	/* max_bins */
	w_head(&w, g, 15, 0);
	assert_bad(w.b, w.n, "max_bins out of range");
	w_head(&w, g, 65537, 0);
	assert_bad(w.b, w.n, "max_bins out of range");
	/* varints: overlong, too large */
	w_head(&w, g, 2048, 0);
	w.n--;
	w_byte(&w, 0x80);
	w_byte(&w, 0x00);
	assert_bad(w.b, w.n, "shortest form");
	w_head(&w, g, 2048, 0);
	w.n--;
	for (u = 0; u < 9; u++)
		w_byte(&w, 0xff);
	w_byte(&w, 0x02);
	assert_bad(w.b, w.n, "varint too large");
	/* runs */
	w_head(&w, g, 2048, 0);
	w_var(&w, 1000);
	assert_bad(w.b, w.n, "more runs than bytes");
	c[0] = 0;
	w_one_run(&w, 2048, 5, c, 4);
	assert_bad(w.b, w.n, "run ends with an empty bin");
	c[0] = 1;
	c[3] = 0;
	w_one_run(&w, 2048, 5, c, 4);
	assert_bad(w.b, w.n, "run ends with an empty bin");
	c[1] = c[2] = c[3] = 0;
	c[4] = 1;
	w_one_run(&w, 2048, 5, c, 5);
	assert_bad(w.b, w.n, "empty bins inside a run");
	c[0] = 1;
	w_one_run(&w, 2048, 40000, c, 1);
	assert_bad(w.b, w.n, "bin out of range");
	w_one_run(&w, 2048, -40000, c, 1);
	assert_bad(w.b, w.n, "bin out of range");
	w_head(&w, g, 2048, 0);		/* a run past imax (35488) */
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 35480 * 2);
	w_var(&w, 10);
	assert_bad(w.b, w.n, "bin out of range");
	w_head(&w, g, 2048, 0);		/* a gap past imax */
	w_var(&w, 0);
	w_var(&w, 2);
	w_var(&w, 0);
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 35500);
	assert_bad(w.b, w.n, "bin out of range");
	w_head(&w, g, 2048, 0);		/* a gap wider than int64 */
	w_var(&w, 0);
	w_var(&w, 2);
	w_var(&w, 0);
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, UINT64_MAX);
	assert_bad(w.b, w.n, "bin out of range");
	w_head(&w, g, 16, 0);		/* 17 bins apart */
	w_var(&w, 0);
	w_var(&w, 2);
	w_var(&w, 0);
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 16 - 1 - 3);
	w_var(&w, 0);
	w_var(&w, 1);
	assert_bad(w.b, w.n, "bins span more than max_bins");
	w_one_run(&w, 2048, 0, c, 1);	/* length beyond the bytes */
	w.n -= 2;
	w_var(&w, 200);
	assert_bad(w.b, w.n, "truncated");
	/* counts */
	w_head(&w, g, 2048, UINT64_MAX);
	w_var(&w, 0);
	w_var(&w, 1);
	w_var(&w, 0);
	w_var(&w, 0);
	w_var(&w, 1);
	assert_bad(w.b, w.n, "count overflow");
	/* summary */
	c[0] = 1;
	c[1] = 1;
	w_one_run(&w, 2048, 0, c, 2);
	assert_bad(w.b, w.n, "truncated");
	w_double(&w, 1.0);
	w_double(&w, 1.0);
	assert_bad(w.b, w.n, "truncated");
	w.n -= 16;
	w_double(&w, 1.01);
	w_double(&w, 1.0);
	w_double(&w, 2.0);
	assert_bad(w.b, w.n, "not finite and ordered");
	w.n -= 24;
	w_double(&w, NAN);
	w_double(&w, 1.0);
	w_double(&w, 2.0);
	assert_bad(w.b, w.n, "not finite and ordered");
	w.n -= 24;
	w_double(&w, 1.0);
	w_double(&w, INFINITY);
	w_double(&w, 2.0);
	assert_bad(w.b, w.n, "not finite and ordered");
	w.n -= 24;
	w_double(&w, -1.0);		/* negative, no negative bins */
	w_double(&w, 1.01);
	w_double(&w, 2.0);
	assert_bad(w.b, w.n, "does not match the bins");
	w.n -= 24;
	w_double(&w, 1.0);		/* equal with two bins used */
	w_double(&w, 1.0);
	w_double(&w, 2.0);
	assert_bad(w.b, w.n, "do not match the count");
	w.n -= 24;
	w_double(&w, 1.0);
	w_double(&w, 1.01);
	w_double(&w, 2.01);
	ck_assert_int_eq(rta_dds_decode(&s, w.b, w.n, NULL), RTA_OK);
	rta_dds_release(&s);
	w_byte(&w, 0);
	assert_bad(w.b, w.n, "trailing bytes");
	w.n -= 25;
	w_double(&w, 1.0);
	w_double(&w, 1.01);
	u = 0xfff8000000000001ULL;
	memcpy(&nan2, &u, sizeof(nan2));
	w_double(&w, nan2);
	assert_bad(w.b, w.n, "non-canonical NaN sum");
	w.n -= 8;
	w_double(&w, -0.0);
	assert_bad(w.b, w.n, "negative zero sum");
	/* a single value must be min == max */
	w_one_run(&w, 2048, 0, c, 1);
	w_double(&w, 0.999);
	w_double(&w, 1.0);
	w_double(&w, 1.0);
	assert_bad(w.b, w.n, "do not match the count");
	/* zero: min -0, and min outside the zero class */
	w_head(&w, g, 2048, 2);
	w_var(&w, 0);
	w_var(&w, 0);
	w_double(&w, -0.0);
	w_double(&w, 0.0);
	w_double(&w, 0.0);
	assert_bad(w.b, w.n, "negative zero");
	w.n -= 24;
	w_double(&w, 0.0);
	w_double(&w, 1.0);
	w_double(&w, 0.0);
	assert_bad(w.b, w.n, "does not match the bins");
	w.n -= 24;
	w_double(&w, 0.0);
	w_double(&w, 0x1p-1070);
	w_double(&w, 0x1p-1070);
	ck_assert_int_eq(rta_dds_decode(&s, w.b, w.n, NULL), RTA_OK);
	ck_assert(rta_dds_quantile(&s, 1) == 0);
	ck_assert(rta_dds_max(&s) == 0x1p-1070);
	rta_dds_release(&s);
}
END_TEST

/*
 * Every truncation is refused; every byte flipped (several ways) is
 * refused or decodes to a state that encodes back to those very bytes.
 */
START_TEST(mutations)
{
	static const unsigned char flips[] = { 0x01, 0x80, 0xff, 0x10 };
	struct rta_dds s, d;
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	unsigned char *m;
	size_t i, f, n = _i == 0 ? 40 : 3000, accepted = 0;
	int rc;

	rng = 4711 + (uint64_t)_i;
	ck_assert_int_eq(rta_dds_init(&s, 0.02, _i == 2 ? 16 : 2048), RTA_OK);
	for (i = 0; i < n; i++)
		ADD(&s, draw(_i == 0 ? D_ZEROS : D_MIXED));
	encode(&s, &a);
	m = malloc(a.len);
	ck_assert_ptr_nonnull(m);
	for (i = 0; i < a.len; i++) {
		/* exactly i bytes, so a read past them is a sanitizer error */
		memcpy(m, a.data, i);
		rc = rta_dds_decode(&d, m, i, &err);
		ck_assert_int_eq(rc, RTA_EDATA);
		ck_assert_ptr_null(d.pos.b);
	}
	for (i = 0; i < a.len; i++)
		for (f = 0; f < sizeof(flips); f++) {
			memcpy(m, a.data, a.len);
			m[i] ^= flips[f];
			rc = rta_dds_decode(&d, m, a.len, &err);
			if (rc != RTA_OK) {
				ck_assert_int_eq(rc, RTA_EDATA);
				continue;
			}
			accepted++;
			encode(&d, &b);
			ck_assert_msg(b.len == a.len &&
			    memcmp(b.data, m, a.len) == 0, "byte %zu ^ %#x "
			    "decodes to a non-canonical state", i, flips[f]);
			(void)rta_dds_quantile(&d, 0.5);
			rta_dds_release(&d);
		}
	/* counts and summary bytes do change into other valid states */
	ck_assert_uint_gt(accepted, 0);
	free(m);
	rta_dds_release(&s);
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

/* Random bytes after a valid header never crash and never leak. */
START_TEST(random_bytes)
{
	struct rta_dds d;
	struct w w;
	size_t i, k, len;
	int ok = 0;

	rng = 1;
	for (i = 0; i < 200000; i++) {
		w_head(&w, 1.01 / 0.99, 16 + (unsigned)(rnd64() % 100), 0);
		w.n--;
		len = w.n + rnd64() % 40;
		for (k = w.n; k < len; k++)
			w.b[k] = (unsigned char)(rnd64() % 4 == 0 ? 0 :
			    rnd64() % 8);
		if (rta_dds_decode(&d, w.b, len, NULL) == RTA_OK) {
			struct rta_buf b = RTA_BUF_INIT;

			ok++;
			encode(&d, &b);
			ck_assert(b.len == len &&
			    memcmp(b.data, w.b, len) == 0);
			rta_buf_release(&b);
		}
		rta_dds_release(&d);
	}
	ck_assert_int_gt(ok, 0);
}
END_TEST

/* ---- allocation failures ------------------------------------------------- */

/* A digest of the whole state, taken without allocating. */
static uint64_t
digest(const struct rta_dds *s)
{
	uint64_t h = 0xcbf29ce484222325ULL, x[6];
	const struct rta_dds_store *st;
	int64_t k;
	int i, j;

	memcpy(&x[0], &s->min, 8);
	memcpy(&x[1], &s->max, 8);
	memcpy(&x[2], &s->sum, 8);
	x[3] = s->count;
	x[4] = s->zero;
	x[5] = s->max_bins;
	for (i = 0; i < 6; i++)
		h = (h ^ x[i]) * 0x100000001b3ULL;
	for (j = 0; j < 2; j++) {
		st = j == 0 ? &s->neg : &s->pos;
		h = (h ^ st->total) * 0x100000001b3ULL;
		if (st->total == 0)
			continue;
		h = (h ^ (uint64_t)(int64_t)st->lo) * 0x100000001b3ULL;
		h = (h ^ (uint64_t)(int64_t)st->hi) * 0x100000001b3ULL;
		for (k = st->lo; k <= st->hi; k++)
			h = (h ^ bin_n(st, k)) * 0x100000001b3ULL;
	}
	return h;
}

static int
alloc_child(unsigned long n)
{
	struct rta_dds a, b, c, d, *t;
	struct rta_buf buf = RTA_BUF_INIT;
	uint64_t before;
	char env[64];
	double v;
	int i, rc;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	rng = 3;
	if (rta_dds_init(&a, 0.01, 64) != RTA_OK ||
	    rta_dds_init(&b, 0.01, 64) != RTA_OK)
		return 2;
	for (i = 0; i < 3000; i++) {
		v = draw(D_WIDE);
		t = i % 3 ? &a : &b;
		before = digest(t);
		if ((rc = rta_dds_add(t, v)) != RTA_OK) {
			if (rc != RTA_ENOMEM)
				return 2;
			if (digest(t) != before)
				return 3;
			goto out;
		}
	}
	before = digest(&a);
	if (rta_dds_merge(&a, &b, NULL) != RTA_OK) {
		if (digest(&a) != before)
			return 3;
		goto out;
	}
	before = digest(&a);
	if (rta_dds_merge(&a, &a, NULL) != RTA_OK) {
		if (digest(&a) != before)
			return 3;
		goto out;
	}
	if (rta_dds_copy(&c, &a) != RTA_OK) {
		if (c.pos.b != NULL || c.count != 0)
			return 4;
		goto out;
	}
	rta_dds_release(&c);
	if (rta_dds_encode(&a, &buf) != 0) {
		if (buf.len != 0)
			return 4;
		goto out;
	}
	if ((rc = rta_dds_decode(&d, buf.data, buf.len, NULL)) != RTA_OK) {
		if (rc != RTA_ENOMEM || d.pos.b != NULL || d.neg.b != NULL)
			return 4;
		goto out;
	}
	if (digest(&d) != digest(&a))
		return 5;
	rta_dds_release(&d);
	rta_dds_release(&a);
	rta_dds_release(&b);
	rta_buf_release(&buf);
	return 0;
out:
	rta_dds_release(&a);
	rta_dds_release(&b);
	rta_buf_release(&buf);
	return 1;
}

static const char *
alloc_why(int code)
{
	switch (code) {
	case 2:
		return "wrong error code";
	case 3:
		return "a failed call changed the sketch";
	case 4:
		return "a failed copy, encode or decode left something";
	case 5:
		return "the decoded sketch differs";
	default:
		return "wrong answer";
	}
}

START_TEST(alloc_failures)
{
	ck_assert_uint_ge(unit_alloc_failures(alloc_child, alloc_why), 8);
}
END_TEST

static Suite *
ddsketch_suite(void)
{
	Suite *s = suite_create("rta_ddsketch");
	TCase *tc = tcase_create("sketch");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, params);
	tcase_add_loop_test(tc, mapping, 0, 5);
	tcase_add_loop_test(tc, accuracy, 0, NDIST);
	tcase_add_loop_test(tc, accuracy_million, 0, 2);
	tcase_add_test(tc, quantile_definition);
	tcase_add_test(tc, quantile_ranks);
	tcase_add_test(tc, signed_zero);
	tcase_add_test(tc, sum_limits);
	tcase_add_test(tc, count_overflow);
	tcase_add_loop_test(tc, collapse, 0, 8);
	tcase_add_test(tc, memory_bound);
	tcase_add_test(tc, reset_copy);
	suite_add_tcase(s, tc);
	tc = tcase_create("mapping");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, quick_edges, 0, NQUICK);
	tcase_add_test(tc, small_integers);
	tcase_add_loop_test(tc, quick_cells, 0, 3);
	tcase_add_loop_test(tc, quick_random, 0, NQUICK);
	suite_add_tcase(s, tc);
	tc = tcase_create("merge");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, merge_union, 0, 6);
	tcase_add_test(tc, merge_floats);
	tcase_add_test(tc, merge_special);
	tcase_add_test(tc, sparse_dense);
	suite_add_tcase(s, tc);
	tc = tcase_create("encoding");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, format);
	tcase_add_test(tc, encode_reference);
	tcase_add_loop_test(tc, round_trips, 0, NDIST);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, malformed);
	tcase_add_loop_test(tc, mutations, 0, 3);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, alloc_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ddsketch_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
