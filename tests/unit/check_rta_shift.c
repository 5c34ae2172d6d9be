/*
 * check_rta_shift.c: drift scores on synthetic distributions with known
 * shifts.
 *
 * A window drawn from its baseline's distribution scores below the
 * significant PSI (0.25, and PSI's critical value for the samples' sizes)
 * in at least 99%
 * of 1,000 trials, numeric (normal, and lognormal latencies; windows of
 * 1,000 values and of 60) and categorical; a shift of the mean
 * by one standard deviation, a doubled spread, and reversed or new
 * categories score above it in at least 99%; the quantile distance and
 * the most shifted quantiles and categories say what moved; the
 * distribution function read from a sketch is within its resolution.
 * A watch with a stored baseline scores every window against it, the
 * union when a group's is given in parts, and leaves other groups
 * unscored.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_ddsketch.h"
#include "rta_shift.h"
#include "rta_topk.h"

#define TRIALS		1000
#define NBASE		10000
#define NWIN		1000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(double mean, double sd)
{
	return mean + sd * sqrt(-2 * log(uniform())) * cos(6.283185307179586 *
	    uniform());
}

enum dist { NORMAL, SHIFTED, WIDER, LOGNORMAL, LOG_SLOWER };

static double
draw(enum dist d)
{
	switch (d) {
	case NORMAL:
		return normal(100, 15);
	case SHIFTED:
		return normal(115, 15);
	case WIDER:
		return normal(100, 30);
	case LOGNORMAL:
		return exp(normal(log(50), 0.6));
	default:
		return exp(normal(log(50) + 0.6, 0.6));
	}
}

/* The share of trials whose window of nw values of d scores PSI less
 * its noise >= 0.25 against a baseline of nb of b. */
static double
detected_n(enum dist b, enum dist d, int nb, int nw, double *qdist)
{
	struct rta_dds base, cur;
	struct rta_shift s;
	int t, i, hits = 0;

	*qdist = 0;
	for (t = 0; t < TRIALS; t++) {
		ck_assert_int_eq(rta_dds_init(&base, RTA_DDS_ALPHA_DEFAULT,
		    RTA_DDS_BINS_DEFAULT), 0);
		ck_assert_int_eq(rta_dds_init(&cur, RTA_DDS_ALPHA_DEFAULT,
		    RTA_DDS_BINS_DEFAULT), 0);
		for (i = 0; i < nb; i++)
			rta_dds_add(&base, draw(b));
		for (i = 0; i < nw; i++)
			rta_dds_add(&cur, draw(d));
		rta_shift_numeric(&base, &cur, &s);
		ck_assert(s.psi >= 0 && isfinite(s.psi));
		hits += s.psi >= RTA_SHIFT_PSI_DEFAULT &&
		    s.psi >= s.psi_critical;
		*qdist += s.qdist / TRIALS;
		ck_assert_uint_eq(s.n, RTA_SHIFT_TOP);
		rta_dds_release(&base);
		rta_dds_release(&cur);
	}
	return (double)hits / TRIALS;
}

static double
detected(enum dist b, enum dist d, double *qdist)
{
	return detected_n(b, d, NBASE, NWIN, qdist);
}

START_TEST(numeric)
{
	double q;

	ck_assert(detected(NORMAL, NORMAL, &q) <= 0.01);
	ck_assert(q < 0.25);
	ck_assert(detected(LOGNORMAL, LOGNORMAL, &q) <= 0.01);
	ck_assert(detected(NORMAL, SHIFTED, &q) >= 0.99);
	/* one standard deviation is 0.74 interquartile ranges */
	ck_assert(q > 0.6 && q < 0.9);
	ck_assert(detected(NORMAL, WIDER, &q) >= 0.99);
	ck_assert(detected(LOGNORMAL, LOG_SLOWER, &q) >= 0.99);
	/* small windows (60 values, against 600): PSI alone passes 0.25
	 * in about one trial in ten; past its critical value too, in at
	 * most 1% */
	ck_assert(detected_n(NORMAL, NORMAL, 600, 60, &q) <= 0.01);
	/* and with so few values a shift of one sd is still caught in
	 * at least 95% */
	ck_assert(detected_n(NORMAL, SHIFTED, 600, 60, &q) >= 0.95);
}
END_TEST

START_TEST(what_moved)
{
	struct rta_dds base, cur;
	struct rta_shift s;
	int i;

	rta_dds_init(&base, RTA_DDS_ALPHA_DEFAULT, RTA_DDS_BINS_DEFAULT);
	rta_dds_init(&cur, RTA_DDS_ALPHA_DEFAULT, RTA_DDS_BINS_DEFAULT);
	/* the same body, a heavier upper tail */
	for (i = 0; i < NBASE; i++)
		rta_dds_add(&base, normal(100, 10));
	for (i = 0; i < NWIN; i++)
		rta_dds_add(&cur, i % 10 == 0 ? normal(300, 10) :
		    normal(100, 10));
	rta_shift_numeric(&base, &cur, &s);
	ck_assert(s.q[0].q == 0.95);
	ck_assert(s.q[0].cur > 250 && s.q[0].base < 130);
	/* PSI hardly sees a tail (10% of the values moved past the top
	 * decile); the quantile distance does */
	ck_assert(s.psi < RTA_SHIFT_PSI_DEFAULT);
	ck_assert(s.qdist >= RTA_SHIFT_QDIST_DEFAULT);
	/* the distribution function, to its resolution and the sketch's */
	ck_assert(fabs(rta_shift_cdf(&base, 100) - 0.5) < 0.02);
	ck_assert(rta_shift_cdf(&base, -1e9) == 0);
	ck_assert(rta_shift_cdf(&base, 1e9) == 1);
	ck_assert(fabs(rta_shift_cdf(&cur, 200) - 0.9) < 0.02);
	rta_dds_release(&base);
	rta_dds_release(&cur);
}
END_TEST

static const char *
pick(const double *p, const char *const *names, size_t n)
{
	double u = uniform();
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (u < p[i])
			return names[i];
		u -= p[i];
	}
	return names[n - 1];
}

static double
cat_detected(const double *pb, const double *pw, double *new_share)
{
	static const char *const names[] = { "PL", "DE", "FR", "US", "JP" };
	struct rta_topk base, cur;
	struct rta_shift s;
	struct rta_error err;
	const char *c;
	int t, i, hits = 0;

	*new_share = 0;
	for (t = 0; t < TRIALS; t++) {
		ck_assert_int_eq(rta_topk_init(&base, 64), RTA_OK);
		ck_assert_int_eq(rta_topk_init(&cur, 64), RTA_OK);
		for (i = 0; i < NBASE; i++) {
			c = pick(pb, names, 5);
			rta_topk_add(&base, c, strlen(c), 1);
		}
		for (i = 0; i < NWIN; i++) {
			c = pick(pw, names, 5);
			rta_topk_add(&cur, c, strlen(c), 1);
		}
		ck_assert_int_eq(rta_shift_categorical(&base, &cur, &s, &err),
		    RTA_OK);
		hits += s.psi >= RTA_SHIFT_PSI_DEFAULT &&
		    s.psi >= s.psi_critical;
		*new_share += s.new_share / TRIALS;
		rta_topk_release(&base);
		rta_topk_release(&cur);
	}
	return (double)hits / TRIALS;
}

START_TEST(categorical)
{
	static const double same[] = { 0.5, 0.3, 0.2, 0, 0 };
	static const double flipped[] = { 0.2, 0.3, 0.5, 0, 0 };
	static const double fresh[] = { 0.35, 0.2, 0.15, 0.3, 0 };
	double ns;

	ck_assert(cat_detected(same, same, &ns) <= 0.01);
	ck_assert(ns == 0);
	ck_assert(cat_detected(same, flipped, &ns) >= 0.99);
	ck_assert(cat_detected(same, fresh, &ns) >= 0.99);
	ck_assert(fabs(ns - 0.3) < 0.02);
}
END_TEST

START_TEST(categories_reported)
{
	struct rta_topk base, cur;
	struct rta_shift s;
	struct rta_error err;
	int i;

	rta_topk_init(&base, 64);
	rta_topk_init(&cur, 64);
	for (i = 0; i < 1000; i++) {
		rta_topk_add(&base, i % 2 ? "PL" : "DE", 2, 1);
		rta_topk_add(&cur, i % 4 == 0 ? "US" : i % 2 ? "PL" : "DE", 2,
		    1);
	}
	ck_assert_int_eq(rta_shift_categorical(&base, &cur, &s, &err), RTA_OK);
	ck_assert(fabs(s.new_share - 0.25) < 1e-9);
	ck_assert_uint_eq(s.n, 3);
	/* US (new, 0 -> 0.25) and DE (0.5 -> 0.25) moved most; by bytes */
	ck_assert(s.cat[0].len == 2 && memcmp(s.cat[0].item, "DE", 2) == 0);
	ck_assert(fabs(s.cat[0].cur - 0.25) < 1e-9);
	ck_assert(s.cat[1].len == 2 && memcmp(s.cat[1].item, "US", 2) == 0);
	ck_assert(s.cat[1].base == 0);
	ck_assert(s.psi >= RTA_SHIFT_PSI_DEFAULT);
	rta_topk_release(&base);
	rta_topk_release(&cur);
}
END_TEST

START_TEST(stored_baseline)
{
	struct rta_shift_watch *w;
	struct rta_dds part1, part2, whole, cur;
	struct rta_shift s, ref;
	struct rta_shift_base bs;
	struct rta_error err;
	struct rta_buf b;
	int i, scored, full, hour;

	ck_assert_int_eq(rta_dds_init(&part1, RTA_DDS_ALPHA_DEFAULT,
	    RTA_DDS_BINS_DEFAULT), 0);
	ck_assert_int_eq(rta_dds_init(&part2, RTA_DDS_ALPHA_DEFAULT,
	    RTA_DDS_BINS_DEFAULT), 0);
	ck_assert_int_eq(rta_dds_init(&whole, RTA_DDS_ALPHA_DEFAULT,
	    RTA_DDS_BINS_DEFAULT), 0);
	for (i = 0; i < NBASE; i++) {
		double v = draw(NORMAL);

		rta_dds_add(i % 2 ? &part1 : &part2, v);
		rta_dds_add(&whole, v);
	}
	ck_assert_int_eq(rta_shift_watch_new(0, 0, 3600, 1, 0, &w, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_shift_watch_fix(w, "g1", 2, &part1, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_shift_watch_fix(w, "g1", 2, &part2, &err),
	    RTA_OK);
	/* a shifted hour, then many more: the baseline does not move */
	for (hour = 0; hour < 30; hour++) {
		ck_assert_int_eq(rta_dds_init(&cur, RTA_DDS_ALPHA_DEFAULT,
		    RTA_DDS_BINS_DEFAULT), 0);
		for (i = 0; i < NWIN; i++)
			rta_dds_add(&cur, draw(SHIFTED));
		ck_assert_int_eq(rta_shift_watch_close(w, "g1", 2,
		    (int64_t)hour * 3600, &cur, &s, &bs, &scored, &full,
		    &err), RTA_OK);
		ck_assert(scored && !full);
		ck_assert_uint_eq(bs.windows, 1);
		ck_assert_uint_eq(bs.count, NBASE);
		rta_shift_numeric(&whole, &cur, &ref);
		ck_assert(fabs(s.psi - ref.psi) < 1e-12);
		ck_assert(fabs(s.qdist - ref.qdist) < 1e-12);
		ck_assert(s.psi >= RTA_SHIFT_PSI_DEFAULT);
		/* a group without a baseline is not scored */
		ck_assert_int_eq(rta_shift_watch_close(w, "g2", 2,
		    (int64_t)hour * 3600, &cur, &s, &bs, &scored, &full,
		    &err), RTA_OK);
		ck_assert(!scored && !full && bs.windows == 0);
		rta_dds_release(&cur);
	}
	/* a checkpoint holds none of it: the file is read again */
	rta_buf_init(&b);
	ck_assert_int_eq(rta_shift_watch_save(w, &b), 0);
	ck_assert_uint_eq(b.len, 8);
	rta_buf_release(&b);
	rta_shift_watch_free(w);
	rta_dds_release(&part1);
	rta_dds_release(&part2);
	rta_dds_release(&whole);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rta_shift");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, numeric);
	tcase_add_test(tc, what_moved);
	tcase_add_test(tc, categorical);
	tcase_add_test(tc, categories_reported);
	tcase_add_test(tc, stored_baseline);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
