/*
 * check_rta_hll.c: the HyperLogLog distinct-count sketch.  Its encoding
 * against a reference built here from the format's description (entries
 * and registers computed straight from the hashes), accuracy over many
 * seeded streams of several shapes from 1 to a million distinct values,
 * the near-exact sparse range, merges in every grouping and across
 * precisions (byte-identical to the sketch of the whole stream), round
 * trips, every class of malformed input, allocation failures and the
 * memory bound.
 */
#include <check.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_hll.h"
#include "unit.h"

#if defined(__SANITIZE_ADDRESS__)
size_t	__sanitizer_get_current_allocated_bytes(void);
#endif

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * For loops of many steps: check's assertions note each passing one in
 * a file, which would cost more than the sketch itself.
 */
#define CHECK(c)	do {						\
	if (!(c))							\
		ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__,	\
		    #c);						\
} while (0)

/* ---- helpers ------------------------------------------------------------- */

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
uniform(uint64_t *s)
{
	return (double)(splitmix(s) >> 11) * 0x1p-53;
}

static void
enc(const struct rta_hll *h, struct rta_buf *b)
{
	b->len = 0;
	ck_assert_int_eq(rta_hll_encode(h, b), 0);
}

static void
assert_same_bytes(const struct rta_buf *a, const struct rta_buf *b,
    const char *what)
{
	size_t i;

	for (i = 0; i < a->len && i < b->len; i++)
		if (a->data[i] != b->data[i])
			break;
	ck_assert_msg(a->len == b->len && i == a->len, "%s: encodings "
	    "differ at byte %zu (lengths %zu, %zu)", what, i, a->len,
	    b->len);
}

static void
assert_same(const struct rta_hll *a, const struct rta_hll *b,
    const char *what)
{
	struct rta_buf x = RTA_BUF_INIT, y = RTA_BUF_INIT;

	enc(a, &x);
	enc(b, &y);
	assert_same_bytes(&x, &y, what);
	ck_assert_uint_eq(rta_hll_count(a), rta_hll_count(b));
	ck_assert(rta_hll_estimate(a) == rta_hll_estimate(b));
	ck_assert_int_eq(rta_hll_is_sparse(a), rta_hll_is_sparse(b));
	rta_buf_release(&x);
	rta_buf_release(&y);
}

/* ---- a reference encoder, from the format's description ----------- */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned
rank_after(uint64_t x, unsigned bits)
{
	unsigned r = 1;

	/* leading zeros of the 64-bits bits after the top ones, plus 1 */
	while (r <= 64 - bits && !(x >> (63 - bits - (r - 1)) & 1))
		r++;
	return r;
}

static void
ref_varint(struct rta_buf *b, uint64_t v)
{
	do {
		CHECK(rta_buf_addc(b, (int)((v & 0x7f) |
		    (v > 0x7f ? 0x80 : 0))) == 0);
		v >>= 7;
	} while (v != 0);
}

/* The encoding of a sketch of precision p fed the n hashes x (count
 * values added), written without the library. */
static void
ref_encode(const uint64_t *x, size_t n, unsigned p, uint64_t count,
    struct rta_buf *b)
{
	uint64_t *e = malloc((n + 1) * sizeof(*e));
	size_t i, k = 0;

	ck_assert_ptr_nonnull(e);
	/* entries: index << 8 | rank; keep the largest rank per index */
	for (i = 0; i < n; i++)
		e[i] = (x[i] >> 39) << 8 | rank_after(x[i], 25);
	qsort(e, n, sizeof(*e), cmp_u64);
	for (i = 0; i < n; i++) {
		if (k > 0 && e[k - 1] >> 8 == e[i] >> 8)
			e[k - 1] = e[i];
		else
			e[k++] = e[i];
	}
	b->len = 0;
	CHECK(rta_buf_addc(b, 'H') == 0);
	CHECK(rta_buf_addc(b, 1) == 0);
	CHECK(rta_buf_addc(b, (int)p) == 0);
	CHECK(rta_buf_addc(b, k <= (3U << (p - 4)) ? 0 : 1) == 0);
	ref_varint(b, count);
	if (k <= (3U << (p - 4))) {
		int64_t prev = -1;

		ref_varint(b, k);
		for (i = 0; i < k; i++) {
			int64_t idx = (int64_t)(e[i] >> 8);

			ref_varint(b, (uint64_t)(idx - prev - 1) << 6 |
			    (e[i] & 0xff));
			prev = idx;
		}
	} else {
		size_t m = (size_t)1 << p;
		unsigned char *reg = calloc(m, 1), *out;
		unsigned r;

		ck_assert_ptr_nonnull(reg);
		for (i = 0; i < n; i++) {
			r = rank_after(x[i], p);
			if (r > reg[x[i] >> (64 - p)])
				reg[x[i] >> (64 - p)] = (unsigned char)r;
		}
		ck_assert_int_eq(rta_buf_reserve(b, m * 6 / 8), 0);
		out = b->data + b->len;
		memset(out, 0, m * 6 / 8);
		for (i = 0; i < 6 * m; i++)
			if (reg[i / 6] >> (i % 6) & 1)
				out[i / 8] |= (unsigned char)(1U << (i % 8));
		b->len += m * 6 / 8;
		free(reg);
	}
	free(e);
}

static void
assert_ref(const struct rta_hll *h, const uint64_t *x, size_t n,
    const char *what)
{
	struct rta_buf got = RTA_BUF_INIT, want = RTA_BUF_INIT;

	enc(h, &got);
	ref_encode(x, n, rta_hll_precision(h), rta_hll_count(h), &want);
	assert_same_bytes(&got, &want, what);
	rta_buf_release(&got);
	rta_buf_release(&want);
}

/* ---- basics -------------------------------------------------------------- */

START_TEST(init_params)
{
	struct rta_hll h;
	unsigned p;

	ck_assert_int_eq(rta_hll_init(&h, RTA_HLL_P_MIN - 1), RTA_EINVAL);
	rta_hll_release(&h);
	ck_assert_int_eq(rta_hll_init(&h, RTA_HLL_P_MAX + 1), RTA_EINVAL);
	rta_hll_release(&h);
	rta_hll_release(NULL);
	for (p = RTA_HLL_P_MIN; p <= RTA_HLL_P_MAX; p++) {
		ck_assert_int_eq(rta_hll_init(&h, p), RTA_OK);
		ck_assert_uint_eq(rta_hll_precision(&h), p);
		ck_assert_uint_eq(rta_hll_count(&h), 0);
		ck_assert(rta_hll_estimate(&h) == 0);
		ck_assert_int_eq(rta_hll_is_sparse(&h), 1);
		ck_assert_uint_eq(rta_hll_memory(&h), 0);
		ck_assert_double_eq_tol(rta_hll_rse(p),
		    1.04 / sqrt((double)(1UL << p)), 1e-15);
		rta_hll_release(&h);
	}
	ck_assert_double_eq_tol(rta_hll_rse(14), 1.04 / 128, 1e-15);
}
END_TEST

/*
 * The hash is part of the format: values of rta_hll_hash for a few
 * inputs are pinned, so that a change to rta_hash64 or to the seed, which
 * would make old and new sketches unmergeable, cannot pass unnoticed.
 * They hold whatever the process's hash seed (make check-unit runs with
 * a random one).
 */
START_TEST(hash_pinned)
{
	static const struct {
		const char	*v;
		uint64_t	 h;
	} pin[] = {
		{ "", 0x2e59abdc73f9927cULL },
		{ "a", 0x8e5f91b6c6b0c8d7ULL },
		{ "user-42", 0xdd9f4dfc79962238ULL },
		{ "0123456789abcdef0123456789", 0x34952dc8c19b6362ULL },
	};
	size_t i;

	for (i = 0; i < NELEM(pin); i++)
		ck_assert_msg(rta_hll_hash(pin[i].v, strlen(pin[i].v)) ==
		    pin[i].h, "rta_hll_hash(\"%s\") = 0x%016llx", pin[i].v,
		    (unsigned long long)rta_hll_hash(pin[i].v,
		    strlen(pin[i].v)));
}
END_TEST

/*
 * Hand-picked hashes reach every corner of the index and rank rules:
 * a zero remainder (the largest rank), an index whose low bits are 0,
 * the top index; the encoding equals the reference's in both forms and
 * at every precision, and every add keeps it so.
 */
START_TEST(encoding_reference)
{
	uint64_t x[64], s = 7;
	struct rta_hll h;
	unsigned p;
	size_t n = 0, i, k;

	x[n++] = 0;
	x[n++] = 1;
	x[n++] = UINT64_MAX;
	x[n++] = 1ULL << 39;			/* index 1, remainder 0 */
	x[n++] = 0x8000000000000000ULL;
	x[n++] = (1ULL << 39) - 1;		/* index 0, rank 1 */
	x[n++] = 1ULL << 38;			/* index 0, rank 1 */
	x[n++] = 0xfffffe0000000001ULL;
	while (n < NELEM(x))
		x[n++] = splitmix(&s) >> (splitmix(&s) & 63);
	for (p = RTA_HLL_P_MIN; p <= RTA_HLL_P_MAX; p++) {
		ck_assert_int_eq(rta_hll_init(&h, p), RTA_OK);
		assert_ref(&h, x, 0, "empty");
		for (i = 0; i < n; i++) {
			CHECK(rta_hll_add_hash(&h, x[i]) == 0);
			/* and again: a repeat changes only the count */
			CHECK(rta_hll_add_hash(&h, x[i]) == 0);
			assert_ref(&h, x, i + 1, "hand-picked hashes");
		}
		rta_hll_release(&h);
	}
	/* a dense sketch of precision 4 fed many: ranks up to 61 */
	ck_assert_int_eq(rta_hll_init(&h, 4), RTA_OK);
	for (k = 0; k < 16; k++) {
		x[k] = (uint64_t)k << 60;
		CHECK(rta_hll_add_hash(&h, x[k]) == 0);
	}
	assert_ref(&h, x, 16, "largest ranks");
	rta_hll_release(&h);
}
END_TEST

/* Random streams of every size around the sparse limit, at several
 * precisions, through rta_hll_add: the reference's encoding. */
START_TEST(encoding_random)
{
	static const unsigned ps[] = { 4, 5, 9, 12, 14, 18 };
	uint64_t *x, s = 99, v;
	struct rta_hll h;
	size_t i, n, t, j;

	x = malloc((2 * RTA_HLL_SPARSE_MAX(18) + 40) * sizeof(*x));
	ck_assert_ptr_nonnull(x);
	for (i = 0; i < NELEM(ps); i++) {
		t = RTA_HLL_SPARSE_MAX(ps[i]);
		ck_assert_int_eq(rta_hll_init(&h, ps[i]), RTA_OK);
		n = 0;
		for (j = 0; j < 2 * t + 40; j++) {
			/* a third of the values repeat an earlier one */
			v = j % 3 == 2 ? splitmix(&s) % (j + 1) : j;
			x[n++] = rta_hll_hash(&v, sizeof(v));
			CHECK(rta_hll_add(&h, &v, sizeof(v)) == 0);
			if (j < 40 || (j + 2 > t && j < t + 20) ||
			    j % (t / 8 + 1) == 0 ||
			    j + 1 == 2 * t + 40)
				assert_ref(&h, x, n, "random stream");
		}
		ck_assert_int_eq(rta_hll_is_sparse(&h), 0);
		rta_hll_release(&h);
	}
	free(x);
}
END_TEST

/* The form is sparse up to RTA_HLL_SPARSE_MAX(p) distinct indexes, then
 * dense; repeats never change it. */
START_TEST(form_threshold)
{
	struct rta_hll h;
	unsigned p;
	uint64_t i, t;

	for (p = RTA_HLL_P_MIN; p <= 16; p++) {
		t = RTA_HLL_SPARSE_MAX(p);
		ck_assert_int_eq(rta_hll_init(&h, p), RTA_OK);
		/* distinct 25-bit indexes, all rank 1 */
		for (i = 0; i < t; i++) {
			CHECK(rta_hll_add_hash(&h,
			    i << 39 | 1ULL << 38) == 0);
			CHECK(rta_hll_add_hash(&h, i << 39 | 1) == 0);
			CHECK(rta_hll_is_sparse(&h));
		}
		ck_assert_uint_eq(rta_hll_count(&h), 2 * t);
		CHECK(rta_hll_add_hash(&h, t << 39 | 1) == 0);
		ck_assert_int_eq(rta_hll_is_sparse(&h), 0);
		rta_hll_release(&h);
		ck_assert_int_eq(rta_hll_is_sparse(&h), 1);
		ck_assert_uint_eq(rta_hll_memory(&h), 0);
	}
}
END_TEST

START_TEST(copy_reset)
{
	struct rta_hll a, b, c;
	uint64_t s = 3, i, n;

	for (n = 5; n <= 50000; n *= 10) {
		ck_assert_int_eq(rta_hll_init(&a, 12), RTA_OK);
		for (i = 0; i < n; i++)
			CHECK(rta_hll_add_hash(&a, splitmix(&s)) == 0);
		ck_assert_int_eq(rta_hll_copy(&b, &a), 0);
		assert_same(&a, &b, "copy");
		/* independent: an add to the copy leaves the source */
		ck_assert_int_eq(rta_hll_init(&c, 12), RTA_OK);
		ck_assert_int_eq(rta_hll_merge(&c, &a, NULL), RTA_OK);
		CHECK(rta_hll_add_hash(&b, 1ULL << 63 | 12345) == 0);
		assert_same(&a, &c, "source after an add to its copy");
		/* reset: as fresh, and as fresh afterwards */
		rta_hll_reset(&b);
		rta_hll_release(&c);
		ck_assert_int_eq(rta_hll_init(&c, 12), RTA_OK);
		assert_same(&b, &c, "reset");
		for (i = 0; i < 40; i++) {
			CHECK(rta_hll_add_hash(&b, i * 77777) == 0);
			CHECK(rta_hll_add_hash(&c, i * 77777) == 0);
		}
		assert_same(&b, &c, "adds after a reset");
		rta_hll_release(&a);
		rta_hll_release(&b);
		rta_hll_release(&c);
		ck_assert_uint_eq(rta_hll_memory(&b), 0);
	}
}
END_TEST

/* ---- accuracy ------------------------------------------------------------ */

#define MAX_CHECKS	64

/* Draw counts at which a stream is checked: 1, 2, ... about 8 a decade. */
static size_t
checkpoints(uint64_t *at, uint64_t max)
{
	size_t k = 0;
	double d = 1;
	uint64_t v, last = 0;

	while ((v = (uint64_t)llround(d)) <= max && k < MAX_CHECKS) {
		if (v != last)
			at[k++] = last = v;
		d *= 1.33;
	}
	return k;
}

struct tally {
	unsigned long	 n, within3, sparse_n, sparse_close, small_n, small_1;
	double		 sum_rel, sum_signed, worst_sparse;
};

/* How far a sparse estimate may be from n: about 3 standard errors of
 * the collisions of 25-bit indexes (n^2 / 2^26 of them), plus 1. */
static double
sparse_bound(uint64_t n)
{
	return 1 + 3 * (double)n / 8192;
}

static void
tally_add(struct tally *t, const struct rta_hll *h, uint64_t n)
{
	double est = rta_hll_estimate(h), err = fabs(est - (double)n);
	double rse = rta_hll_rse(rta_hll_precision(h));

	CHECK(isfinite(est) && est >= 0);
	t->n++;
	t->sum_rel += err / (double)n;
	t->sum_signed += (est - (double)n) / (double)n;
	if (err <= 3 * rse * (double)n)
		t->within3++;
	if (rta_hll_is_sparse(h)) {
		t->sparse_n++;
		if (err <= sparse_bound(n))
			t->sparse_close++;
		if (err / sparse_bound(n) > t->worst_sparse)
			t->worst_sparse = err / sparse_bound(n);
		if (n <= RTA_HLL_SPARSE_MAX(14)) {
			t->small_n++;
			t->small_1 += err < 1;
		}
	}
}

/*
 * At least 99% of the estimates within 3 rse (97% at p 4 and 5, where 16
 * or 32 registers are too few for the asymptotic rse: their standard
 * errors are nearer 0.30 and 0.20), the mean relative error within the
 * rse and the mean signed one (the bias) within a quarter of it; 99% of
 * the sparse ones within sparse_bound, and none past twice it; up to
 * 3072 distinct values (the sparse limit at p 14), 99% within 1.
 */
static void
tally_check(const struct tally *t, unsigned p, const char *what)
{
	double mean = t->sum_rel / (double)t->n;
	double bias = t->sum_signed / (double)t->n;

	ck_assert_msg((double)t->within3 >= (p < 6 ? 0.97 : 0.99) *
	    (double)t->n, "%s, p %u: %lu of %lu estimates within 3 rse",
	    what, p, t->within3, t->n);
	ck_assert_msg(mean <= rta_hll_rse(p), "%s, p %u: mean relative error "
	    "%g above the rse %g", what, p, mean, rta_hll_rse(p));
	ck_assert_msg(fabs(bias) <= rta_hll_rse(p) / 4, "%s, p %u: mean "
	    "signed relative error %g", what, p, bias);
	ck_assert_msg((double)t->sparse_close >= 0.99 * (double)t->sparse_n,
	    "%s, p %u: %lu of %lu sparse estimates within 1 + 3n/8192",
	    what, p, t->sparse_close, t->sparse_n);
	ck_assert_msg((double)t->small_1 >= 0.99 * (double)t->small_n,
	    "%s, p %u: %lu of %lu sparse estimates of n <= 3072 within 1",
	    what, p, t->small_1, t->small_n);
	ck_assert_msg(t->worst_sparse <= 2, "%s, p %u: a sparse estimate off "
	    "by %g times 1 + 3n/8192", what, p, t->worst_sparse);
}

/*
 * Streams of distinct random hashes, checked from 1 to max: at each
 * precision (the loop index picks it), at least 99% of the estimates
 * within 3 rse of the truth and the other bounds tally_check names.  The
 * hashes come from splitmix64, a bijection of its counter, so they are
 * distinct and the truth is the number added.
 */
static const struct {
	unsigned	p, streams;
	uint64_t	max;
} sweep[] = {
	{ 14, 120, 1000000 },
	{ 4, 300, 100000 },
	{ 5, 200, 100000 },
	{ 6, 200, 100000 },
	{ 8, 120, 300000 },
	{ 10, 80, 1000000 },
	{ 12, 40, 1000000 },
	{ 16, 24, 1000000 },
	{ 18, 16, 1000000 },
};

START_TEST(accuracy_sweep)
{
	unsigned p = sweep[_i].p, k;
	uint64_t at[MAX_CHECKS], s, i;
	struct tally t;
	struct rta_hll h;
	size_t na = checkpoints(at, sweep[_i].max), c;

	memset(&t, 0, sizeof(t));
	for (k = 0; k < sweep[_i].streams; k++) {
		s = 1000 + k + 7919ULL * p;
		ck_assert_int_eq(rta_hll_init(&h, p), RTA_OK);
		for (i = 1, c = 0; c < na; i++) {
			CHECK(rta_hll_add_hash(&h, splitmix(&s)) == 0);
			if (i == at[c]) {
				tally_add(&t, &h, i);
				c++;
			}
		}
		rta_hll_release(&h);
	}
	tally_check(&t, p, "random hashes");
}
END_TEST

/*
 * Values through rta_hll_add: sequential integers as 8 bytes (the
 * hash must spread them), and draws with repeats from a universe, both
 * uniform and heavily skewed (log-uniform: small values very often),
 * whose exact distinct count a bitmap keeps.
 */
#define UNIVERSE	(1U << 21)

START_TEST(accuracy_values)
{
	uint64_t at[MAX_CHECKS], s, i, v, n;
	unsigned char *seen;
	struct tally t;
	struct rta_hll h;
	size_t na, c;
	unsigned k, streams = _i == 0 ? 24 : 12, p = 14;
	const char *what[] = { "sequential integers", "uniform draws",
	    "log-uniform draws" };

	seen = malloc(UNIVERSE / 8);
	ck_assert_ptr_nonnull(seen);
	na = checkpoints(at, _i == 0 ? 1000000 : 2000000);
	memset(&t, 0, sizeof(t));
	for (k = 0; k < streams; k++) {
		s = 5000 + k + 100 * (uint64_t)_i;
		memset(seen, 0, UNIVERSE / 8);
		ck_assert_int_eq(rta_hll_init(&h, p), RTA_OK);
		n = 0;
		for (i = 1, c = 0; c < na; i++) {
			if (_i == 0)
				v = (uint64_t)k << 32 | i;
			else if (_i == 1)
				v = splitmix(&s) % UNIVERSE;
			else
				v = (uint64_t)exp(uniform(&s) *
				    log((double)UNIVERSE)) - 1;
			if (_i == 0 || !(seen[v / 8] >> (v % 8) & 1)) {
				n++;
				if (_i != 0)
					seen[v / 8] |= (unsigned char)
					    (1U << (v % 8));
			}
			CHECK(rta_hll_add(&h, &v, sizeof(v)) == 0);
			if (i == at[c]) {
				tally_add(&t, &h, n);
				c++;
			}
		}
		ck_assert_uint_eq(rta_hll_count(&h), at[na - 1]);
		rta_hll_release(&h);
	}
	tally_check(&t, p, what[_i]);
	free(seen);
}
END_TEST

/* ---- merges -------------------------------------------------------------- */

/*
 * A stream of n draws (with repeats) split at random into parts of the
 * given precisions.  whole holds the sketch of it all at the smallest.
 */
#define MAX_PARTS	6

struct split {
	struct rta_hll	 whole, part[MAX_PARTS];
	unsigned	 nparts;
	uint64_t	*x;
	size_t		 n;
};

static void
split_make(struct split *sp, size_t n, unsigned nparts, const unsigned *ps,
    uint64_t seed)
{
	unsigned k, pmin = RTA_HLL_P_MAX;
	uint64_t s = seed, v;
	size_t i;

	sp->nparts = nparts;
	sp->n = n;
	sp->x = malloc((n + 1) * sizeof(*sp->x));
	ck_assert_ptr_nonnull(sp->x);
	for (k = 0; k < nparts; k++) {
		ck_assert_int_eq(rta_hll_init(&sp->part[k], ps[k]), RTA_OK);
		if (ps[k] < pmin)
			pmin = ps[k];
	}
	ck_assert_int_eq(rta_hll_init(&sp->whole, pmin), RTA_OK);
	for (i = 0; i < n; i++) {
		v = splitmix(&s) % (n + n / 2 + 1);
		sp->x[i] = rta_hll_hash(&v, sizeof(v));
		/* parts of very different sizes: the first gets the most */
		k = (unsigned)(splitmix(&s) % ((uint64_t)nparts * nparts));
		k = k < nparts ? 0 : k % nparts;
		CHECK(rta_hll_add(&sp->part[k], &v, sizeof(v)) == 0);
		CHECK(rta_hll_add(&sp->whole, &v, sizeof(v)) == 0);
	}
}

static void
split_free(struct split *sp)
{
	unsigned k;

	for (k = 0; k < sp->nparts; k++)
		rta_hll_release(&sp->part[k]);
	rta_hll_release(&sp->whole);
	free(sp->x);
}

/* Merge the parts in the order ord (a permutation), into a copy of the
 * first of them. */
static void
merge_order(struct split *sp, const unsigned *ord, struct rta_hll *out)
{
	unsigned k;
	struct rta_error err;

	ck_assert_int_eq(rta_hll_copy(out, &sp->part[ord[0]]), 0);
	for (k = 1; k < sp->nparts; k++)
		ck_assert_int_eq(rta_hll_merge(out, &sp->part[ord[k]], &err),
		    RTA_OK);
}

/* Merge as a balanced tree of copies: (0 1) (2 3) ... then pairs. */
static void
merge_tree(struct split *sp, struct rta_hll *out)
{
	struct rta_hll t[MAX_PARTS];
	unsigned k, n = sp->nparts, w;

	for (k = 0; k < n; k++)
		ck_assert_int_eq(rta_hll_copy(&t[k], &sp->part[k]), 0);
	for (w = 1; w < n; w *= 2)
		for (k = 0; k + w < n; k += 2 * w)
			ck_assert_int_eq(rta_hll_merge(&t[k], &t[k + w], NULL),
			    RTA_OK);
	*out = t[0];
	for (k = 1; k < n; k++)
		rta_hll_release(&t[k]);
}

static void
check_split(struct split *sp, uint64_t seed)
{
	unsigned ord[MAX_PARTS], k, j, tmp, r;
	struct rta_hll m;
	uint64_t s = seed;

	for (k = 0; k < sp->nparts; k++)
		ord[k] = k;
	for (r = 0; r < 4; r++) {
		merge_order(sp, ord, &m);
		assert_same(&m, &sp->whole, "merged in order");
		rta_hll_release(&m);
		/* shuffle for the next round */
		for (k = sp->nparts - 1; k > 0; k--) {
			j = (unsigned)(splitmix(&s) % (k + 1));
			tmp = ord[k];
			ord[k] = ord[j];
			ord[j] = tmp;
		}
	}
	merge_tree(sp, &m);
	assert_same(&m, &sp->whole, "merged as a tree");
	rta_hll_release(&m);
}

/*
 * Same precision: every grouping and order of the parts gives the
 * sketch of the whole stream byte for byte, whether the parts are
 * sparse, dense or mixed, and whether the result is.
 */
START_TEST(merge_same_precision)
{
	static const size_t sizes[] = { 0, 1, 2, 17, 40, 150, 191, 192, 193,
	    250, 400, 1000, 3000, 3100, 6000, 20000, 200000 };
	static const unsigned nparts[] = { 2, 3, 6 };
	unsigned ps[MAX_PARTS], k, j;
	struct split sp;
	size_t i;

	for (i = 0; i < NELEM(sizes); i++)
		for (j = 0; j < NELEM(nparts); j++) {
			unsigned p = i % 2 == 0 ? 10 : 14;

			for (k = 0; k < MAX_PARTS; k++)
				ps[k] = p;
			split_make(&sp, sizes[i], nparts[j], ps, 11 * i + j);
			check_split(&sp, i + 100 * j);
			if (sp.n <= 200000)
				assert_ref(&sp.whole, sp.x, sp.n, "whole");
			split_free(&sp);
		}
}
END_TEST

/*
 * Different precisions: the result is the sketch of the whole stream at
 * the smallest, in any order (so sometimes into the larger precision,
 * sometimes into the smaller).
 */
START_TEST(merge_precisions)
{
	static const size_t sizes[] = { 3, 30, 100, 300, 2000, 10000, 100000 };
	static const unsigned pset[][MAX_PARTS] = {
		{ 14, 10, 0 }, { 10, 14, 0 }, { 18, 4, 0 },
		{ 16, 12, 8, 0 }, { 5, 17, 9, 13, 11, 0 }, { 4, 18, 14, 6, 0 },
	};
	unsigned k, j;
	struct split sp;
	size_t i;

	for (i = 0; i < NELEM(sizes); i++)
		for (j = 0; j < NELEM(pset); j++) {
			for (k = 0; pset[j][k] != 0; k++)
				;
			split_make(&sp, sizes[i], k, pset[j], 31 * i + j);
			check_split(&sp, 7 * i + j);
			assert_ref(&sp.whole, sp.x, sp.n, "whole, smallest p");
			split_free(&sp);
		}
}
END_TEST

/* Merging with itself doubles the count and nothing else; merging an
 * empty sketch only folds the precision. */
START_TEST(merge_self_empty)
{
	struct rta_hll a, b, e;
	uint64_t s = 1, i, n;

	for (n = 1; n <= 100000; n *= 7) {
		ck_assert_int_eq(rta_hll_init(&a, 11), RTA_OK);
		for (i = 0; i < n; i++)
			CHECK(rta_hll_add_hash(&a, splitmix(&s)) == 0);
		ck_assert_int_eq(rta_hll_copy(&b, &a), 0);
		ck_assert_int_eq(rta_hll_merge(&a, &a, NULL), RTA_OK);
		ck_assert_uint_eq(rta_hll_count(&a), 2 * n);
		ck_assert_int_eq(rta_hll_merge(&b, &b, NULL), RTA_OK);
		assert_same(&a, &b, "self merge");
		ck_assert_int_eq(rta_hll_init(&e, 11), RTA_OK);
		ck_assert_int_eq(rta_hll_merge(&a, &e, NULL), RTA_OK);
		assert_same(&a, &b, "merge of an empty sketch");
		ck_assert_int_eq(rta_hll_merge(&e, &a, NULL), RTA_OK);
		assert_same(&e, &b, "merge into an empty sketch");
		rta_hll_release(&e);
		ck_assert_int_eq(rta_hll_init(&e, 18), RTA_OK);
		ck_assert_int_eq(rta_hll_merge(&e, &a, NULL), RTA_OK);
		assert_same(&e, &b, "merge into an empty sketch of higher p");
		rta_hll_release(&a);
		rta_hll_release(&b);
		rta_hll_release(&e);
	}
}
END_TEST

/* ---- encoding ------------------------------------------------------------ */

/* Sketches of different shapes: precision and distinct values. */
static const struct {
	unsigned	p;
	uint64_t	n;
} shapes[] = {
	{ 14, 0 }, { 14, 1 }, { 14, 16 }, { 14, 17 }, { 14, 500 },
	{ 14, 3072 }, { 14, 3073 }, { 14, 100000 }, { 4, 2 }, { 4, 3 },
	{ 4, 4 }, { 4, 1000 }, { 9, 50 }, { 9, 5000 }, { 18, 40000 },
	{ 18, 2000000 },
};

static void
shape(struct rta_hll *h, size_t i)
{
	uint64_t s = 77 + i, k;

	ck_assert_int_eq(rta_hll_init(h, shapes[i].p), RTA_OK);
	for (k = 0; k < shapes[i].n; k++)
		CHECK(rta_hll_add_hash(h, splitmix(&s)) == 0);
	/* repeats: the count is not the distinct count */
	for (k = 0; k < shapes[i].n / 3; k++)
		CHECK(rta_hll_add_hash(h, 0x1234567890ULL) == 0);
}

/*
 * decode(encode(s)) answers as s and encodes to the same bytes, also
 * after both go on taking the same values; encode appends.
 */
START_TEST(round_trip)
{
	struct rta_hll h, d;
	struct rta_buf b = RTA_BUF_INIT, c = RTA_BUF_INIT;
	struct rta_error err;
	uint64_t k;
	size_t i;

	for (i = 0; i < NELEM(shapes); i++) {
		shape(&h, i);
		ck_assert_int_eq(rta_buf_add(&b, "xyz", 3), 0);
		ck_assert_int_eq(rta_hll_encode(&h, &b), 0);
		ck_assert_mem_eq(b.data, "xyz", 3);
		ck_assert_int_eq(rta_hll_decode(&d, b.data + 3, b.len - 3,
		    &err), RTA_OK);
		assert_same(&h, &d, "round trip");
		ck_assert_uint_eq(rta_hll_precision(&d), shapes[i].p);
		for (k = 0; k < 5000; k++) {
			CHECK(rta_hll_add_hash(&h, k * 0x9e37ULL) == 0);
			CHECK(rta_hll_add_hash(&d, k * 0x9e37ULL) == 0);
		}
		assert_same(&h, &d, "adds after a round trip");
		enc(&d, &c);
		rta_hll_release(&d);
		ck_assert_int_eq(rta_hll_decode(&d, c.data, c.len, &err),
		    RTA_OK);
		assert_same(&h, &d, "second round trip");
		rta_hll_release(&d);
		rta_hll_release(&h);
		b.len = 0;
	}
	rta_buf_release(&b);
	rta_buf_release(&c);
}
END_TEST

/* Decode bytes that must be rejected: RTA_EDATA "bad-sketch", and the
 * sketch left empty. */
static void
reject(const void *p, size_t len, const char *what)
{
	struct rta_hll h;
	struct rta_error err;

	memset(&h, 0xa5, sizeof(h));
	rta_error_clear(&err);
	if (rta_hll_decode(&h, p, len, &err) != RTA_EDATA)
		ck_abort_msg("%s: accepted", what);
	CHECK(err.code == RTA_EDATA);
	CHECK(strcmp(err.reason, "bad-sketch") == 0);
	CHECK(err.text[0] != '\0');
	CHECK(err.offset <= len);
	CHECK(rta_hll_count(&h) == 0);
	CHECK(rta_hll_memory(&h) == 0);
	rta_hll_release(&h);
}

/* Decode bytes that may or may not be valid: if they are, they re-encode
 * to themselves and the sketch works. */
static int
maybe(const unsigned char *p, size_t len)
{
	struct rta_hll h, c;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	int rc;

	rc = rta_hll_decode(&h, p, len, &err);
	if (rc != RTA_OK) {
		CHECK(rc == RTA_EDATA);
		CHECK(strcmp(err.reason, "bad-sketch") == 0);
		rta_hll_release(&h);
		return 0;
	}
	CHECK(rta_hll_encode(&h, &b) == 0);
	if (b.len != len || memcmp(b.data, p, len) != 0)
		ck_abort_msg("a decoded sketch re-encodes to other bytes");
	CHECK(isfinite(rta_hll_estimate(&h)));
	CHECK(rta_hll_memory(&h) <= (size_t)1 << rta_hll_precision(&h));
	CHECK(rta_hll_copy(&c, &h) == 0);
	CHECK(rta_hll_merge(&c, &h, NULL) == RTA_OK);
	rta_hll_release(&c);
	rta_hll_release(&h);
	rta_buf_release(&b);
	return 1;
}

/*
 * Every shape: every truncation and a trailing byte are rejected; a
 * flipped bit, or byte, at every position (a sample of positions for the
 * large ones) either decodes to a canonical sketch or is rejected.
 */
START_TEST(damaged)
{
	static const unsigned char flips[] = { 0x01, 0x02, 0x04, 0x08, 0x10,
	    0x20, 0x40, 0x80, 0xff };
	struct rta_hll h;
	struct rta_buf b = RTA_BUF_INIT;
	unsigned char *q;
	size_t i, len, pos, f, step;
	unsigned long ok = 0, tried = 0;

	for (i = 0; i < NELEM(shapes); i++) {
		shape(&h, i);
		enc(&h, &b);
		rta_hll_release(&h);
		len = b.len;
		ck_assert(maybe(b.data, len));
		for (pos = 0; pos < len; pos++) {
			q = malloc(pos > 0 ? pos : 1);
			ck_assert_ptr_nonnull(q);
			memcpy(q, b.data, pos);
			reject(q, pos, "truncated");
			free(q);
			if (len > 5000)
				pos += len / 300;
		}
		q = malloc(len + 1);
		ck_assert_ptr_nonnull(q);
		memcpy(q, b.data, len);
		q[len] = 0;
		reject(q, len + 1, "trailing byte");
		step = len <= 2000 ? 1 : len / (len > 50000 ? 16 : 100);
		for (pos = 0; pos < len; pos += pos < 40 ? 1 : step)
			for (f = 0; f < NELEM(flips); f++) {
				memcpy(q, b.data, len);
				q[pos] ^= flips[f];
				ok += (unsigned long)maybe(q, len);
				tried++;
			}
		free(q);
	}
	/* both outcomes occur: flips in registers and counts stay valid */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_lt(ok, tried);
	rta_buf_release(&b);
}
END_TEST

/* One hostile input of each kind, made by hand. */
START_TEST(hostile)
{
	unsigned char d[4 + 2 + 768], big[64];
	size_t i;

	reject("", 0, "empty");
	reject("H", 1, "type only");
	reject("X\1\16\0\0\0", 6, "wrong type");
	reject("H\2\16\0\0\0", 6, "version 2");
	reject("H\1\3\0\0\0", 6, "precision 3");
	reject("H\1\23\0\0\0", 6, "precision 19");
	reject("H\1\16\2\0\0", 6, "form 2");
	ck_assert(maybe((const unsigned char *)"H\1\16\0\0\0", 6));
	reject("H\1\16\0\0", 5, "no entry count");
	reject("H\1\16\0\x80\0\0", 7, "count with a redundant zero byte");
	reject("H\1\16\0\0\x80\0", 7, "entry count with a redundant byte");
	reject("H\1\16\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02\0", 15,
	    "count past 64 bits");
	ck_assert(maybe((const unsigned char *)
	    "H\1\16\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\0", 15));
	reject("H\1\16\0\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\0", 16,
	    "varint of 11 bytes");
	/* entries: one (gap 0, rank 1) is fine, rank 0 and 41 are not */
	ck_assert(maybe((const unsigned char *)"H\1\16\0\1\1\1", 7));
	reject("H\1\16\0\1\1\0", 7, "rank 0");
	reject("H\1\16\0\1\1\x29", 7, "rank 41");
	ck_assert(maybe((const unsigned char *)"H\1\16\0\1\1\x28", 7));
	reject("H\1\16\0\0\1\1", 7, "fewer values than entries");
	reject("H\1\16\0\2\2\1", 7, "an entry short");
	reject("H\1\16\0\2\1\1\1", 8, "trailing entry");
	/* the index 2^25 - 1 is the last; past it, rejected */
	ck_assert(maybe((const unsigned char *)
	    "H\1\16\0\1\1\xc1\xff\xff\xff\x07", 11));
	reject("H\1\16\0\1\1\x81\x80\x80\x80\x08", 11, "index 2^25");
	reject("H\1\16\0\2\2\xc1\xff\xff\xff\x07\x01", 12,
	    "index past the last");
	reject("H\1\16\0\1\1\x81\x80\x80\x80\x80\x80\x80\x80\x80\x01", 16,
	    "huge gap");
	/* more entries than the precision allows: 4 at precision 4 */
	reject("H\1\4\0\4\4\1\1\1\1", 10, "sparse past its limit");
	ck_assert(maybe((const unsigned char *)"H\1\4\0\3\3\1\1\1", 9));
	/* an entry count the bytes cannot hold */
	memcpy(big, "H\1\22\0\x80\x80\x01\x80\x80\x01", 10);
	reject(big, 10, "entry count past the bytes");
	/* dense at precision 10: 768 bytes of registers */
	memcpy(d, "H\1\12\1\xc1\1", 6);		/* count 193 */
	memset(d + 6, 0, 768);
	reject(d, sizeof(d), "dense with every register empty");
	d[6] = 1;
	ck_assert(maybe(d, sizeof(d)));
	d[4] = 0xc0;				/* count 192 */
	reject(d, sizeof(d), "dense with a sparse count");
	d[4] = 0xc1;
	reject(d, sizeof(d) - 1, "registers short");
	/* register 0 is 55 = 65 - 10, the largest; 56 is too large */
	d[6] = 55;
	ck_assert(maybe(d, sizeof(d)));
	d[6] = 56;
	reject(d, sizeof(d), "register past 65 - p");
	/* every one of the four positions of a 3-byte group */
	for (i = 0; i < 4; i++) {
		memset(d + 6, 0, 768);
		d[6] = 1;
		d[9 + (6 * i) / 8] |= (unsigned char)(63U << ((6 * i) % 8));
		if ((6 * i) % 8 > 2)
			d[9 + (6 * i) / 8 + 1] |= (unsigned char)(63U >>
			    (8 - (6 * i) % 8));
		reject(d, sizeof(d), "register 63");
	}
}
END_TEST

/* ---- resources ----------------------------------------------------------- */

static size_t
heap_now(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/*
 * The bound: at every size, at most 2^p bytes of heap, 3/4 of it while
 * sparse; and a sparse sketch grows with its distinct values (at most
 * 8 bytes each beyond the buffer in the struct): 10,000 groups of a few
 * distinct values each, added many times over, cost little real heap.
 */
START_TEST(memory_bound)
{
	struct rta_hll h, *g;
	uint64_t s = 5, i, n;
	unsigned p;
	size_t before, used, mem;

	for (p = RTA_HLL_P_MIN; p <= RTA_HLL_P_MAX; p += 2) {
		ck_assert_int_eq(rta_hll_init(&h, p), RTA_OK);
		for (i = 0; i < 3 * (1U << p); i++) {
			CHECK(rta_hll_add_hash(&h, splitmix(&s)) == 0);
			mem = rta_hll_memory(&h);
			CHECK(mem <= (size_t)1 << p);
			if (rta_hll_is_sparse(&h)) {
				CHECK(mem <= (size_t)3 << (p - 2));
				CHECK(mem <= 8 * (i + 1));
			}
		}
		rta_hll_release(&h);
	}
	g = calloc(10000, sizeof(*g));
	ck_assert_ptr_nonnull(g);
	before = heap_now();
	for (i = 0; i < 10000; i++) {
		ck_assert_int_eq(rta_hll_init(&g[i], RTA_HLL_P_DEFAULT),
		    RTA_OK);
		for (n = 0; n < 1000; n++) {
			uint64_t v = i * 1000 + n % (i % 40 + 1);

			CHECK(rta_hll_add(&g[i], &v, sizeof(v)) == 0);
		}
	}
	used = heap_now() - before;
	/* 10,000 groups, 20 distinct values each on average: 400 bytes
	 * of 4-byte entries plus malloc's overhead would be plenty, where
	 * dense ones would take 164 MB */
	ck_assert_msg(used < 10000 * 400, "%zu bytes of heap", used);
	for (i = 0, n = 0; i < 10000; i++) {
		double err = fabs(rta_hll_estimate(&g[i]) -
		    (double)(i % 40 + 1));

		CHECK(rta_hll_is_sparse(&g[i]));
		/* off by one only where two values share a 25-bit index */
		CHECK(err < 1);
		n += err < 0.01;
		rta_hll_release(&g[i]);
	}
	ck_assert_uint_ge(n, 9990);
	free(g);
}
END_TEST

enum { ALLOC_CHANGED = 3, ALLOC_WRONG };

static const char *
alloc_why(int code)
{
	return code == ALLOC_CHANGED ? "a failed call changed the sketch" :
	    "a wrong result after allocation failures";
}

/* Encode into b, which has room: no allocation. */
static void
snap(const struct rta_hll *h, struct rta_buf *b)
{
	b->len = 0;
	if (rta_hll_encode(h, b) != 0)
		_exit(ALLOC_WRONG);
}

static int
same(const struct rta_buf *a, const struct rta_buf *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/*
 * Adds through the sparse buffer, the array's growth and the turn to
 * dense; merges sparse into sparse, across precisions and into dense;
 * copy, encode and decode.  A failing call reports ENOMEM and leaves its
 * sketch as it was; when the loop is over, the answers are right.
 */
static int
alloc_child(unsigned long n)
{
	struct rta_hll a, b, c, d;
	struct rta_buf x = RTA_BUF_INIT, y = RTA_BUF_INIT;
	struct rta_error err;
	char env[64];
	uint64_t i, s = 9;
	int rc = 1;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	if (rta_buf_reserve(&x, 1 << 16) != 0 ||
	    rta_buf_reserve(&y, 1 << 16) != 0)
		return 1;
	(void)rta_hll_init(&a, 10);
	(void)rta_hll_init(&b, 12);
	(void)rta_hll_init(&c, 10);
	(void)rta_hll_init(&d, 10);
	for (i = 0; i < 400; i++) {
		snap(&a, &x);
		if (rta_hll_add_hash(&a, splitmix(&s)) != 0) {
			snap(&a, &y);
			if (!same(&x, &y))
				return ALLOC_CHANGED;
			goto out;
		}
		if (i < 150 && rta_hll_add_hash(&b, splitmix(&s) | 1) != 0)
			goto out;
		if (i < 30 && rta_hll_add_hash(&c, i << 40) != 0)
			goto out;
	}
	/* sparse into sparse, then into a smaller precision, then dense */
	snap(&c, &x);
	if (rta_hll_merge(&c, &b, &err) != RTA_OK) {
		snap(&c, &y);
		if (err.code != RTA_ENOMEM || !same(&x, &y))
			return ALLOC_CHANGED;
		goto out;
	}
	snap(&b, &x);
	if (rta_hll_merge(&b, &c, &err) != RTA_OK) {
		snap(&b, &y);
		if (err.code != RTA_ENOMEM || !same(&x, &y))
			return ALLOC_CHANGED;
		goto out;
	}
	if (!rta_hll_is_sparse(&b) || rta_hll_precision(&b) != 10)
		return ALLOC_WRONG;
	if (rta_hll_merge(&a, &b, &err) != RTA_OK)
		return ALLOC_WRONG;	/* into dense: nothing to allocate */
	if (rta_hll_copy(&d, &a) != 0)
		goto out;
	x.len = 0;
	if (rta_hll_encode(&d, &x) != 0)
		return ALLOC_WRONG;
	rta_hll_release(&d);
	if (rta_hll_decode(&d, x.data, x.len, &err) != RTA_OK) {
		if (err.code != RTA_ENOMEM || rta_hll_memory(&d) != 0)
			return ALLOC_WRONG;
		goto out;
	}
	snap(&d, &y);
	if (!same(&x, &y) || rta_hll_count(&d) != 400 + 150 + 30 + 150)
		return ALLOC_WRONG;
	rc = 0;
out:
	rta_hll_release(&a);
	rta_hll_release(&b);
	rta_hll_release(&c);
	rta_hll_release(&d);
	rta_buf_release(&x);
	rta_buf_release(&y);
	return rc;
}

START_TEST(alloc_failures)
{
	ck_assert_uint_ge(unit_alloc_failures(alloc_child, alloc_why), 6);
}
END_TEST

static Suite *
hll_suite(void)
{
	Suite *s = suite_create("rta_hll");
	TCase *tc = tcase_create("sketch");

	tcase_add_test(tc, init_params);
	tcase_add_test(tc, hash_pinned);
	tcase_add_test(tc, encoding_reference);
	tcase_add_test(tc, encoding_random);
	tcase_add_test(tc, form_threshold);
	tcase_add_test(tc, copy_reset);
	suite_add_tcase(s, tc);
	tc = tcase_create("accuracy");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, accuracy_sweep, 0, (int)NELEM(sweep));
	tcase_add_loop_test(tc, accuracy_values, 0, 3);
	suite_add_tcase(s, tc);
	tc = tcase_create("merge");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, merge_same_precision);
	tcase_add_test(tc, merge_precisions);
	tcase_add_test(tc, merge_self_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("encoding");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, damaged);
	tcase_add_test(tc, hostile);
	suite_add_tcase(s, tc);
	tc = tcase_create("resources");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, memory_bound);
	tcase_add_test(tc, alloc_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hll_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
