/*
 * rta_shift.c: distribution shift scores (rta_shift.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_shift.h"

#define DECILES		10
#define CDF_STEPS	12		/* 1/4096 */

static const double qs[] = { 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95 };

double
rta_shift_cdf(const struct rta_dds *s, double x)
{
	double lo = 0, hi = 1, mid;
	int i;

	if (rta_dds_count(s) == 0 || rta_dds_quantile(s, 0) > x)
		return 0;
	if (rta_dds_quantile(s, 1) <= x)
		return 1;
	/* invariant: Q(lo) <= x < Q(hi) */
	for (i = 0; i < CDF_STEPS; i++) {
		mid = (lo + hi) / 2;
		if (rta_dds_quantile(s, mid) <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The 99.9th percentile of PSI over k bins between samples of n and m
 * values of one distribution: (1/n + 1/m) chi2(k - 1, 0.999). */
static double
critical(double k, double n, double m)
{
	double d = k - 1, h;

	if (d < 1 || n <= 0 || m <= 0)
		return 0;
	h = 1 - 2 / (9 * d) + 3.090232 * sqrt(2 / (9 * d));
	return (1 / n + 1 / m) * d * h * h * h;
}

/*
 * One bin's term, its shares b of m values and c of n smoothed by half a
 * value per bin (of k): an empty bin of a small sample is not taken as
 * a share of nothing at all, which would weigh as much as a real shift.
 */
static double
term(double b, double m, double c, double n, double k)
{
	b = (b * m + 0.5) / (m + 0.5 * k);
	c = (c * n + 0.5) / (n + 0.5 * k);
	if (b < RTA_SHIFT_FLOOR)
		b = RTA_SHIFT_FLOOR;
	if (c < RTA_SHIFT_FLOOR)
		c = RTA_SHIFT_FLOOR;
	return (c - b) * log(c / b);
}

void
rta_shift_numeric(const struct rta_dds *base, const struct rta_dds *cur,
    struct rta_shift *out)
{
	double fb0 = 0, fc0 = 0, fb, fc, e, scale, d[sizeof(qs) /
	    sizeof(qs[0])];
	size_t i, j, k, nq = sizeof(qs) / sizeof(qs[0]);
	int used[sizeof(qs) / sizeof(qs[0])] = { 0 };

	memset(out, 0, sizeof(*out));
	for (i = 1; i <= DECILES; i++) {
		if (i < DECILES) {
			e = rta_dds_quantile(base, (double)i / DECILES);
			fb = rta_shift_cdf(base, e);
			fc = rta_shift_cdf(cur, e);
		} else
			fb = fc = 1;
		out->psi += term(fb - fb0, (double)rta_dds_count(base),
		    fc - fc0, (double)rta_dds_count(cur), DECILES);
		fb0 = fb;
		fc0 = fc;
	}
	out->psi_critical = critical(DECILES, (double)rta_dds_count(cur),
	    (double)rta_dds_count(base));
	scale = rta_dds_quantile(base, 0.75) - rta_dds_quantile(base, 0.25);
	if (!(scale > 0))
		scale = fabs(rta_dds_quantile(base, 0.5));
	if (!(scale > 0))
		scale = 1;
	out->qdist_critical = 5.16 * sqrt(1.0 / (double)rta_dds_count(cur) +
	    1.0 / (double)rta_dds_count(base));
	for (i = 0; i < nq; i++) {
		d[i] = fabs(rta_dds_quantile(cur, qs[i]) -
		    rta_dds_quantile(base, qs[i])) / scale;
		if (d[i] > out->qdist)
			out->qdist = d[i];
	}
	for (k = 0; k < RTA_SHIFT_TOP; k++) {
		for (i = 0, j = nq; i < nq; i++)
			if (!used[i] && (j == nq || d[i] > d[j]))
				j = i;
		used[j] = 1;
		out->q[k].q = qs[j];
		out->q[k].base = rta_dds_quantile(base, qs[j]);
		out->q[k].cur = rta_dds_quantile(cur, qs[j]);
	}
	out->n = RTA_SHIFT_TOP;
}

/* A category and its two shares. */
struct cand {
	const char	*item;
	size_t		 len;
	double		 b, c;
};

static int
cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	double x = fabs(a->c - a->b), y = fabs(b->c - b->b);
	size_t n;
	int r;

	if (x != y)
		return x > y ? -1 : 1;
	/* ties: by bytes, "other" last, so the report is stable */
	if (a->item == NULL || b->item == NULL)
		return (a->item == NULL) - (b->item == NULL);
	n = a->len < b->len ? a->len : b->len;
	if ((r = memcmp(a->item, b->item, n)) != 0)
		return r;
	return a->len < b->len ? -1 : a->len > b->len;
}

int
rta_shift_categorical(const struct rta_topk *base, const struct rta_topk *cur,
    struct rta_shift *out, struct rta_error *err)
{
	struct rta_topk_entry *be = NULL, *ce = NULL, e;
	struct cand *v = NULL;
	size_t nb, nc, n = 0, i;
	double tb = (double)rta_topk_total(base), tc = (double)rta_topk_total(cur);
	double sb = 0, sc = 0;

	memset(out, 0, sizeof(*out));
	nb = rta_topk_size(base);
	nc = rta_topk_size(cur);
	if ((nb > 0 && (be = rta_reallocarray(NULL, nb, sizeof(*be))) ==
	    NULL) || (nc > 0 && (ce = rta_reallocarray(NULL, nc,
	    sizeof(*ce))) == NULL) || (v = rta_reallocarray(NULL, nb + nc + 1,
	    sizeof(*v))) == NULL) {
		rta_free(be);
		rta_free(ce);
		return rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	}
	nb = rta_topk_top(base, be, nb);
	nc = rta_topk_top(cur, ce, nc);
	for (i = 0; i < nb; i++) {
		v[n].item = be[i].item;
		v[n].len = be[i].len;
		v[n].b = tb > 0 ? (double)be[i].count / tb : 0;
		v[n].c = rta_topk_get(cur, be[i].item, be[i].len, &e) &&
		    tc > 0 ? (double)e.count / tc : 0;
		sb += v[n].b;
		sc += v[n].c;
		n++;
	}
	/* the window's categories the baseline has no counter for */
	for (i = 0; i < nc; i++) {
		if (rta_topk_get(base, ce[i].item, ce[i].len, &e))
			continue;
		v[n].item = ce[i].item;
		v[n].len = ce[i].len;
		v[n].b = 0;
		v[n].c = tc > 0 ? (double)ce[i].count / tc : 0;
		out->new_share += v[n].c;
		n++;
	}
	/* everything else as one category: the baseline's uncounted rest
	 * and the window's new ones */
	v[n].item = NULL;
	v[n].len = 0;
	v[n].b = sb < 1 ? 1 - sb : 0;
	v[n].c = sc < 1 ? 1 - sc : 0;
	n++;
	/* the baseline's categories and the rest */
	for (i = 0; i < nb; i++)
		out->psi += term(v[i].b, tb, v[i].c, tc, (double)nb + 1);
	out->psi += term(v[n - 1].b, tb, v[n - 1].c, tc, (double)nb + 1);
	if (out->new_share > 1)
		out->new_share = 1;
	out->psi_critical = critical((double)nb + 1, tc, tb);
	qsort(v, n, sizeof(*v), cmp_cand);
	for (i = 0; i < n && i < RTA_SHIFT_TOP; i++) {
		out->cat[i].item = v[i].item;
		out->cat[i].len = v[i].len;
		out->cat[i].base = v[i].b;
		out->cat[i].cur = v[i].c;
	}
	out->n = i;
	rta_free(be);
	rta_free(ce);
	rta_free(v);
	return RTA_OK;
}
