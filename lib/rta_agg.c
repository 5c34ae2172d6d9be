/*
 * rta_agg.c: aggregate specs, accumulators, results and states.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>

#include "rta_agg.h"
#include "rta_alloc.h"
#include "rta_deadletter.h"
#include "rta_value.h"

#define DISTINCT_P	RTA_HLL_P_DEFAULT
#define TOPK_CAP(k)	((k) * 10 > 64 ? (k) * 10 : 64)

/* ---- specs --------------------------------------------------------------- */

static const struct {
	const char		*name;
	enum rta_agg_kind	 kind;
} kinds[] = {
	{ "count", RTA_AGG_COUNT },
	{ "sum", RTA_AGG_SUM },
	{ "avg", RTA_AGG_AVG },
	{ "min", RTA_AGG_MIN },
	{ "max", RTA_AGG_MAX },
	{ "stddev", RTA_AGG_STDDEV },
	{ "first", RTA_AGG_FIRST },
	{ "last", RTA_AGG_LAST },
	{ "distinct", RTA_AGG_DISTINCT },
};

static int
bad(struct rta_error *err, const char *item, size_t len, const char *why)
{
	return rta_error_set(err, RTA_EINVAL, "bad-agg", "--agg '%.*s': %s",
	    (int)(len > 80 ? 80 : len), item, why);
}

/* "95", "99.9", "0", "100": the quantile in [0, 1]; -1 if not one. */
static double
percentile(const char *s, size_t len)
{
	char buf[16], *end;
	double v;
	size_t i, dots = 0;

	if (len == 0 || len >= sizeof(buf) || s[0] == '.' || s[len - 1] == '.')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			dots++;
		else if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	if (dots > 1)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	v = strtod(buf, &end);
	if (*end != '\0' || !(v >= 0 && v <= 100))
		return -1;
	return v / 100;
}

/* One item of the list, s[0..len). */
static int
parse_one(struct rta_agg_spec *sp, const char *s, size_t len,
    struct rta_error *err)
{
	const char *colon = memchr(s, ':', len);
	size_t fn = colon != NULL ? (size_t)(colon - s) : len, i;
	int rc;

	memset(sp, 0, sizeof(*sp));
	if (len > RTA_AGG_NAME_MAX)
		return bad(err, s, len, "name too long");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == fn &&
		    memcmp(kinds[i].name, s, fn) == 0)
			break;
	if (i < sizeof(kinds) / sizeof(kinds[0]))
		sp->kind = kinds[i].kind;
	else if (fn > 1 && s[0] == 'p' && (sp->q = percentile(s + 1,
	    fn - 1)) >= 0)
		sp->kind = RTA_AGG_QUANTILE;
	else if (fn > 3 && memcmp(s, "top", 3) == 0) {
		unsigned long k = 0;

		for (i = 3; i < fn; i++) {
			if (s[i] < '0' || s[i] > '9' || k > RTA_AGG_TOPK_MAX)
				return bad(err, s, len, "topN needs N from 1 "
				    "to 100");
			k = k * 10 + (unsigned long)(s[i] - '0');
		}
		if (k < 1 || k > RTA_AGG_TOPK_MAX || s[3] == '0')
			return bad(err, s, len, "topN needs N from 1 to 100");
		sp->kind = RTA_AGG_TOPK;
		sp->k = (unsigned)k;
	} else
		return bad(err, s, len, "unknown aggregate (count, sum, avg, "
		    "min, max, stddev, first, last, distinct, pNN, topN)");
	if (sp->kind == RTA_AGG_COUNT) {
		if (colon != NULL)
			return bad(err, s, len, "count takes no field");
	} else {
		if (colon == NULL || colon + 1 == s + len)
			return bad(err, s, len, "needs a field (name:field)");
		if ((rc = rta_field_parse_n(&sp->field, colon + 1,
		    len - fn - 1, err)) != RTA_OK)
			return rc;
	}
	if ((sp->name = rta_memdup(s, len)) == NULL) {
		rta_field_release(&sp->field);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	sp->name_len = len;
	return RTA_OK;
}

int
rta_agg_parse(const char *list, struct rta_agg_spec **specs, size_t *n,
    struct rta_error *err)
{
	struct rta_agg_spec *sp = NULL, *t;
	size_t cnt = 0, cap = 0, len, i;
	const char *p = list, *e;
	int rc;

	for (;;) {
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		if (len == 0) {
			rc = rta_error_set(err, RTA_EINVAL, "bad-agg",
			    "--agg: empty item in '%s'", list);
			goto fail;
		}
		if (cnt == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			if ((t = rta_reallocarray(sp, cap, sizeof(*sp))) ==
			    NULL) {
				rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
				    "out of memory");
				goto fail;
			}
			sp = t;
		}
		if ((rc = parse_one(&sp[cnt], p, len, err)) != RTA_OK)
			goto fail;
		cnt++;
		for (i = 0; i + 1 < cnt; i++)
			if (sp[i].name_len == len &&
			    memcmp(sp[i].name, p, len) == 0) {
				rc = bad(err, p, len, "named twice");
				goto fail;
			}
		if (e == NULL)
			break;
		p = e + 1;
	}
	*specs = sp;
	*n = cnt;
	return RTA_OK;
fail:
	rta_agg_specs_free(sp, cnt);
	return rc;
}

void
rta_agg_specs_free(struct rta_agg_spec *specs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		rta_free(specs[i].name);
		rta_field_release(&specs[i].field);
	}
	rta_free(specs);
}

/* ---- accumulators -------------------------------------------------------- */

static void
acc_free(const struct rta_agg_spec *sp, struct rta_agg_acc *a)
{
	switch (sp->kind) {
	case RTA_AGG_DISTINCT:
		if (a->sketch != NULL)
			rta_hll_release(a->sketch);
		break;
	case RTA_AGG_QUANTILE:
		if (a->sketch != NULL)
			rta_dds_release(a->sketch);
		break;
	case RTA_AGG_TOPK:
		if (a->sketch != NULL)
			rta_topk_release(a->sketch);
		break;
	default:
		break;
	}
	rta_free(a->sketch);
	rta_buf_release(&a->value);
	memset(a, 0, sizeof(*a));
}

/* An empty accumulator; RTA_OK or RTA_ENOMEM. */
static int
acc_init(const struct rta_agg_spec *sp, struct rta_agg_acc *a)
{
	size_t size = 0;
	int rc = RTA_OK;

	memset(a, 0, sizeof(*a));
	rta_buf_init(&a->value);
	a->is_int = 1;
	switch (sp->kind) {
	case RTA_AGG_DISTINCT:
		size = sizeof(struct rta_hll);
		break;
	case RTA_AGG_QUANTILE:
		size = sizeof(struct rta_dds);
		break;
	case RTA_AGG_TOPK:
		size = sizeof(struct rta_topk);
		break;
	default:
		return RTA_OK;
	}
	if ((a->sketch = rta_calloc(1, size)) == NULL)
		return RTA_ENOMEM;
	if (sp->kind == RTA_AGG_DISTINCT)
		rc = rta_hll_init(a->sketch, DISTINCT_P);
	else if (sp->kind == RTA_AGG_QUANTILE)
		rc = rta_dds_init(a->sketch, RTA_DDS_ALPHA_DEFAULT,
		    RTA_DDS_BINS_DEFAULT);
	else
		rc = rta_topk_init(a->sketch, TOPK_CAP(sp->k));
	if (rc != RTA_OK) {
		rta_free(a->sketch);
		a->sketch = NULL;
		return RTA_ENOMEM;
	}
	return RTA_OK;
}

int
rta_agg_init(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc, struct rta_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (acc_init(&specs[i], &acc[i]) != RTA_OK) {
			rta_agg_release(specs, i, acc);
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		}
	return RTA_OK;
}

void
rta_agg_release(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc)
{
	size_t i;

	for (i = 0; i < n; i++)
		acc_free(&specs[i], &acc[i]);
}

int
rta_agg_reset(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc, struct rta_error *err)
{
	struct rta_agg_acc *a;
	void *sk;
	size_t i;

	for (i = 0; i < n; i++) {
		a = &acc[i];
		if (specs[i].kind != RTA_AGG_QUANTILE || a->sketch == NULL) {
			acc_free(&specs[i], a);
			if (acc_init(&specs[i], a) != RTA_OK)
				goto fail;
			continue;
		}
		/* as acc_init leaves it, with the sketch's storage kept */
		sk = a->sketch;
		rta_dds_reset(sk);
		rta_buf_release(&a->value);
		memset(a, 0, sizeof(*a));
		rta_buf_init(&a->value);
		a->is_int = 1;
		a->sketch = sk;
	}
	return RTA_OK;
fail:
	rta_agg_release(specs, n, acc);
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

size_t
rta_agg_memory(const struct rta_agg_spec *specs, size_t n,
    const struct rta_agg_acc *acc)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		m += acc[i].value.cap;
		if (acc[i].sketch == NULL)
			continue;
		/* the sketches say their size through their encoding's
		 * bound: a fixed estimate per kind keeps this cheap */
		switch (specs[i].kind) {
		case RTA_AGG_DISTINCT:
			m += sizeof(struct rta_hll) + (1U << DISTINCT_P) / 8;
			break;
		case RTA_AGG_QUANTILE:
			m += sizeof(struct rta_dds) + 256;
			break;
		default:
			m += sizeof(struct rta_topk) +
			    (size_t)TOPK_CAP(specs[i].k) * 64;
			break;
		}
	}
	return m;
}

/* The number in v, if it is one. */
static int
fval_num(const struct rta_fval *v, double *d, int64_t *i, int *is_int)
{
	if (v->kind == RTA_FV_UINT || v->kind == RTA_FV_TIME) {
		*i = v->i;
		*d = (double)v->i;
		*is_int = 1;
		return 1;
	}
	if (v->kind != RTA_FV_VALUE)
		return 0;
	switch (rta_value_tag(v->v)) {
	case RTA_V_INT:
		*is_int = rta_value_i64(v->v, i);
		*d = (double)*i;
		return 1;
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		*is_int = 0;
		return rta_value_num(v->v, d);
	default:
		return 0;
	}
}

/*
 * Is the number (d, i, is_int) below (or, for max, above) the extreme a
 * holds?  Integers compare as integers, so that values past 2^53 keep
 * their order; an integer against a double compares exactly too.
 */
static int
beats(int max, const struct rta_agg_acc *a, double d, int64_t i, int is_int)
{
	int c;

	if (is_int && a->is_int)
		c = i < a->isum ? -1 : i > a->isum;
	else if (is_int)
		c = (long double)i < (long double)a->sum ? -1 :
		    (long double)i > (long double)a->sum;
	else if (a->is_int)
		c = (long double)d < (long double)a->isum ? -1 :
		    (long double)d > (long double)a->isum;
	else
		c = d < a->sum ? -1 : d > a->sum;
	return max ? c > 0 : c < 0;
}

static double
sum_of(const struct rta_agg_acc *a)
{
	return a->is_int ? (double)a->isum : a->sum;
}

/* An envelope field's value encoded (first, last) fits here: a string
 * of up to 255 bytes, a timestamp as its 27, or an integer. */
#define SMALL_VALUE	(5 + RTA_ID_MAX)

/*
 * The encoding of v for first and last: a payload value as it is (*p
 * points into the event), an envelope field as a string or an integer,
 * written into small.  Its length.
 */
static size_t
fval_encoding(const struct rta_fval *v, unsigned char small[SMALL_VALUE],
    const unsigned char **p)
{
	size_t n;

	*p = small;
	switch (v->kind) {
	case RTA_FV_VALUE:
		*p = v->v;
		return rta_value_size(v->v);
	case RTA_FV_UINT:
		small[0] = RTA_V_INT;
		rta_put_u64(small + 1, (uint64_t)v->i);
		return 9;
	case RTA_FV_TIME:
		n = RTA_TIME_LEN;
		rta_time_format((char *)small + 5, v->i);
		break;
	default:
		n = v->len > RTA_ID_MAX ? RTA_ID_MAX : v->len;
		memcpy(small + 5, v->s, n);
		break;
	}
	small[0] = RTA_V_STRING;
	rta_put_u32(small + 1, (uint32_t)n);
	return 5 + n;
}

/* Compare two encoded values byte-wise, shorter first on a tie. */
static int
enc_cmp(const unsigned char *a, size_t al, const unsigned char *b,
    size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c;
	return al < bl ? -1 : al > bl;
}

/* first/last: does (ts, v) replace what a holds? */
static int
replaces(enum rta_agg_kind kind, const struct rta_agg_acc *a, int64_t ts,
    const unsigned char *v, size_t vl)
{
	int c;

	if (a->n == 0)
		return 1;
	if (ts != a->ts)
		return kind == RTA_AGG_FIRST ? ts < a->ts : ts > a->ts;
	c = enc_cmp(v, vl, a->value.data, a->value.len);
	return kind == RTA_AGG_FIRST ? c < 0 : c > 0;
}

static int
keep_value(struct rta_agg_acc *a, int64_t ts, const unsigned char *v,
    size_t vl)
{
	a->value.len = 0;
	if (rta_buf_add(&a->value, v, vl) != 0)
		return -1;
	a->ts = ts;
	return 0;
}

static int
acc_add(const struct rta_agg_spec *sp, struct rta_agg_acc *a,
    const struct rta_event *ev)
{
	unsigned char small[SMALL_VALUE];
	const unsigned char *vp;
	size_t vl;
	struct rta_fval v;
	double d, delta;
	int64_t i = 0;
	int is_int = 0;
	char t[RTA_FVAL_TMP];
	const char *s;
	size_t sl;

	if (sp->kind == RTA_AGG_COUNT) {
		a->n++;
		return 0;
	}
	if (sp->field.root == RTA_F_PAYLOAD && sp->field.nparts == 1) {
		/* rta_field_get's answer for a payload member, directly */
		if (ev->payload == NULL || (v.v = rta_value_member(ev->payload,
		    sp->field.parts[0].name, sp->field.parts[0].len)) == NULL)
			return 0;
		v.kind = RTA_FV_VALUE;
		v.s = NULL;
		v.len = 0;
		v.i = 0;
	} else if (!rta_field_get(&sp->field, ev, &v))
		return 0;
	switch (sp->kind) {
	case RTA_AGG_SUM:
	case RTA_AGG_AVG:
		if (!fval_num(&v, &d, &i, &is_int))
			return 0;
		rta_agg_sum_add(a, d, i, is_int);
		a->n++;
		return 0;
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		if (!fval_num(&v, &d, &i, &is_int))
			return 0;
		if (a->n == 0 || beats(sp->kind == RTA_AGG_MAX, a, d, i,
		    is_int)) {
			/* an integer stays one */
			a->sum = d;
			a->is_int = is_int;
			a->isum = i;
		}
		a->n++;
		return 0;
	case RTA_AGG_STDDEV:
		if (!fval_num(&v, &d, &i, &is_int))
			return 0;
		/* Welford */
		a->n++;
		delta = d - a->mean;
		a->mean += delta / (double)a->n;
		a->m2 += delta * (d - a->mean);
		return 0;
	case RTA_AGG_FIRST:
	case RTA_AGG_LAST:
		vl = fval_encoding(&v, small, &vp);
		if (replaces(sp->kind, a, ev->ts, vp, vl) &&
		    keep_value(a, ev->ts, vp, vl) != 0)
			return -1;
		a->n++;
		return 0;
	case RTA_AGG_QUANTILE:
		if (!fval_num(&v, &d, &i, &is_int))
			return 0;
		if (rta_dds_add(a->sketch, d) == RTA_ENOMEM)
			return -1;
		a->n++;
		return 0;
	case RTA_AGG_DISTINCT:
	case RTA_AGG_TOPK:
		if (!rta_fval_text(&v, t, &s, &sl))
			return 0;
		if (sp->kind == RTA_AGG_DISTINCT) {
			if (rta_hll_add(a->sketch, s, sl) != 0)
				return -1;
		} else {
			if (sl > RTA_AGG_ITEM_MAX) {
				/* cut at a character boundary */
				sl = RTA_AGG_ITEM_MAX;
				while (sl > 0 && ((unsigned char)s[sl] &
				    0xc0) == 0x80)
					sl--;
			}
			if (rta_topk_add(a->sketch, s, sl, 1) == RTA_ENOMEM)
				return -1;
		}
		a->n++;
		return 0;
	default:
		return 0;
	}
}

int
rta_agg_add(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc, const struct rta_event *ev,
    struct rta_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (acc_add(&specs[i], &acc[i], ev) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
	return RTA_OK;
}

static int
acc_merge(const struct rta_agg_spec *sp, struct rta_agg_acc *a,
    const struct rta_agg_acc *b, struct rta_error *err)
{
	double delta;
	uint64_t n;

	switch (sp->kind) {
	case RTA_AGG_COUNT:
		a->n += b->n;
		return RTA_OK;
	case RTA_AGG_SUM:
	case RTA_AGG_AVG:
		if (b->is_int)
			rta_agg_sum_add(a, (double)b->isum, b->isum, 1);
		else
			rta_agg_sum_add(a, b->sum, 0, 0);
		a->n += b->n;
		return RTA_OK;
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		if (b->n > 0 && (a->n == 0 || beats(sp->kind == RTA_AGG_MAX,
		    a, b->sum, b->isum, b->is_int))) {
			a->sum = b->sum;
			a->is_int = b->is_int;
			a->isum = b->isum;
		}
		a->n += b->n;
		return RTA_OK;
	case RTA_AGG_STDDEV:
		/* Chan et al.'s pairwise update */
		if (b->n == 0)
			return RTA_OK;
		n = a->n + b->n;
		delta = b->mean - a->mean;
		a->m2 += b->m2 + delta * delta * ((double)a->n *
		    (double)b->n / (double)n);
		a->mean += delta * ((double)b->n / (double)n);
		a->n = n;
		return RTA_OK;
	case RTA_AGG_FIRST:
	case RTA_AGG_LAST:
		if (b->n > 0 && replaces(sp->kind, a, b->ts, b->value.data,
		    b->value.len) && keep_value(a, b->ts, b->value.data,
		    b->value.len) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		a->n += b->n;
		return RTA_OK;
	case RTA_AGG_DISTINCT:
		a->n += b->n;
		return rta_hll_merge(a->sketch, b->sketch, err);
	case RTA_AGG_QUANTILE:
		a->n += b->n;
		return rta_dds_merge(a->sketch, b->sketch, err);
	case RTA_AGG_TOPK:
		a->n += b->n;
		return rta_topk_merge(a->sketch, b->sketch, err);
	}
	return RTA_OK;
}

int
rta_agg_merge(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *into, const struct rta_agg_acc *from,
    struct rta_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = acc_merge(&specs[i], &into[i], &from[i], err)) !=
		    RTA_OK)
			return rc;
	return RTA_OK;
}

/* ---- results and states -------------------------------------------------- */

static int
put_num(struct rta_buf *b, double d)
{
	if (!isfinite(d))
		return rta_venc_null(b);
	if (d == 0)
		d = 0;		/* no negative zero */
	return rta_venc_double(b, d);
}

static int
put_key(struct rta_buf *b, const char *k)
{
	return rta_venc_key(b, k, strlen(k));
}

static int
put_result(const struct rta_agg_spec *sp, const struct rta_agg_acc *a,
    struct rta_buf *b)
{
	struct rta_topk_entry *e;
	size_t off, i, got;
	int rc = 0;

	switch (sp->kind) {
	case RTA_AGG_COUNT:
		return rta_venc_int(b, (int64_t)a->n);
	case RTA_AGG_SUM:
		if (a->is_int)
			return rta_venc_int(b, a->isum);
		return put_num(b, a->sum);
	case RTA_AGG_AVG:
		if (a->n == 0)
			return rta_venc_null(b);
		return put_num(b, sum_of(a) / (double)a->n);
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		if (a->n == 0)
			return rta_venc_null(b);
		if (a->is_int)
			return rta_venc_int(b, a->isum);
		return put_num(b, a->sum);
	case RTA_AGG_STDDEV:
		if (a->n < 2)
			return rta_venc_null(b);
		return put_num(b, sqrt(a->m2 / (double)(a->n - 1)));
	case RTA_AGG_FIRST:
	case RTA_AGG_LAST:
		if (a->n == 0)
			return rta_venc_null(b);
		return rta_buf_add(b, a->value.data, a->value.len);
	case RTA_AGG_DISTINCT:
		return rta_venc_int(b, (int64_t)llround(rta_hll_estimate(
		    a->sketch)));
	case RTA_AGG_QUANTILE:
		if (rta_dds_count(a->sketch) == 0)
			return rta_venc_null(b);
		return put_num(b, rta_dds_quantile(a->sketch, sp->q));
	case RTA_AGG_TOPK:
		if ((e = rta_reallocarray(NULL, sp->k, sizeof(*e))) == NULL)
			return -1;
		got = rta_topk_top(a->sketch, e, sp->k);
		off = rta_venc_begin(b, RTA_V_ARRAY);
		for (i = 0; i < got && rc == 0; i++) {
			size_t o = rta_venc_begin(b, RTA_V_OBJECT);

			rc = put_key(b, "value") ||
			    rta_venc_string(b, e[i].item, e[i].len) ||
			    put_key(b, "count") ||
			    rta_venc_int(b, (int64_t)e[i].count) ||
			    put_key(b, "error") ||
			    rta_venc_int(b, (int64_t)e[i].error);
			if (o == (size_t)-1)
				rc = -1;
			else
				rta_venc_end(b, o, 3);
		}
		rta_free(e);
		if (off == (size_t)-1 || rc != 0)
			return -1;
		rta_venc_end(b, off, (uint32_t)got);
		return 0;
	}
	return 0;
}

int
rta_agg_number(const struct rta_agg_spec *sp, const struct rta_agg_acc *a,
    double *v)
{
	switch (sp->kind) {
	case RTA_AGG_COUNT:
		*v = (double)a->n;
		return 1;
	case RTA_AGG_SUM:
		*v = sum_of(a);
		return 1;
	case RTA_AGG_AVG:
		if (a->n == 0)
			return 0;
		*v = sum_of(a) / (double)a->n;
		return 1;
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		if (a->n == 0)
			return 0;
		*v = a->is_int ? (double)a->isum : a->sum;
		return 1;
	case RTA_AGG_STDDEV:
		if (a->n < 2)
			return 0;
		*v = sqrt(a->m2 / (double)(a->n - 1));
		return 1;
	case RTA_AGG_DISTINCT:
		*v = round(rta_hll_estimate(a->sketch));
		return 1;
	case RTA_AGG_QUANTILE:
		if (rta_dds_count(a->sketch) == 0)
			return 0;
		*v = rta_dds_quantile(a->sketch, sp->q);
		return 1;
	default:
		return 0;
	}
}

/* An object of each aggregate's name and what put writes for it. */
static int
put_object(const struct rta_agg_spec *specs, size_t n,
    const struct rta_agg_acc *acc, struct rta_buf *b,
    int (*put)(const struct rta_agg_spec *, const struct rta_agg_acc *,
    struct rta_buf *))
{
	size_t off = rta_venc_begin(b, RTA_V_OBJECT), i;

	if (off == (size_t)-1)
		return -1;
	for (i = 0; i < n; i++)
		if (rta_venc_key(b, specs[i].name, specs[i].name_len) != 0 ||
		    put(&specs[i], &acc[i], b) != 0)
			return -1;
	rta_venc_end(b, off, (uint32_t)n);
	return 0;
}

int
rta_agg_results(const struct rta_agg_spec *specs, size_t n,
    const struct rta_agg_acc *acc, struct rta_buf *b)
{
	return put_object(specs, n, acc, b, put_result);
}

/*
 * A sketch's bytes as base64 in a string value.  The bytes are encoded
 * at the end of b and their base64 after them, which then moves down
 * behind the string's header: no buffers of its own per record.
 */
static int
put_sketch(struct rta_buf *b, const struct rta_agg_spec *sp,
    const struct rta_agg_acc *a)
{
	size_t off = b->len, raw, text;
	int rc;

	if (sp->kind == RTA_AGG_DISTINCT)
		rc = rta_hll_encode(a->sketch, b);
	else if (sp->kind == RTA_AGG_QUANTILE)
		rc = rta_dds_encode(a->sketch, b);
	else
		rc = rta_topk_encode(a->sketch, b);
	raw = b->len - off;
	text = (raw + 2) / 3 * 4;
	/* rta_base64 finds its room reserved (with the header's, for
	 * short bytes), so the bytes stay put */
	if (rc != 0 || text > UINT32_MAX || rta_buf_reserve(b, 5 + text) != 0 ||
	    rta_base64(b, b->data + off, raw) != 0) {
		b->len = off;
		return -1;
	}
	memmove(b->data + off + 5, b->data + off + raw, text);
	b->data[off] = RTA_V_STRING;
	rta_put_u32(b->data + off + 1, (uint32_t)text);
	b->len = off + 5 + text;
	return 0;
}

static int
put_state(const struct rta_agg_spec *sp, const struct rta_agg_acc *a,
    struct rta_buf *b)
{
	size_t off = rta_venc_begin(b, RTA_V_OBJECT);
	uint32_t m = 2;
	int rc = off == (size_t)-1;

	switch (sp->kind) {
	case RTA_AGG_COUNT:
		rc = rc || put_key(b, "type") || rta_venc_string(b, "count",
		    5) || put_key(b, "count") || rta_venc_int(b,
		    (int64_t)a->n);
		break;
	case RTA_AGG_SUM:
	case RTA_AGG_AVG:
		rc = rc || put_key(b, "type") || rta_venc_string(b, "sum", 3) ||
		    put_key(b, "count") || rta_venc_int(b, (int64_t)a->n) ||
		    put_key(b, "sum") || (a->is_int ? rta_venc_int(b,
		    a->isum) : put_num(b, a->sum));
		m = 3;
		break;
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		rc = rc || put_key(b, "type") || rta_venc_string(b,
		    sp->kind == RTA_AGG_MIN ? "min" : "max", 3) ||
		    put_key(b, "count") || rta_venc_int(b, (int64_t)a->n);
		if (a->n > 0) {
			rc = rc || put_key(b, sp->kind == RTA_AGG_MIN ? "min" :
			    "max") || (a->is_int ? rta_venc_int(b, a->isum) :
			    rta_venc_double(b, a->sum));
			m = 3;
		}
		break;
	case RTA_AGG_STDDEV:
		rc = rc || put_key(b, "type") || rta_venc_string(b, "moments",
		    7) || put_key(b, "count") || rta_venc_int(b,
		    (int64_t)a->n) || put_key(b, "mean") || put_num(b,
		    a->mean) || put_key(b, "m2") || put_num(b, a->m2);
		m = 4;
		break;
	case RTA_AGG_FIRST:
	case RTA_AGG_LAST:
		rc = rc || put_key(b, "type") || rta_venc_string(b,
		    sp->kind == RTA_AGG_FIRST ? "first" : "last",
		    sp->kind == RTA_AGG_FIRST ? 5 : 4) ||
		    put_key(b, "count") || rta_venc_int(b, (int64_t)a->n);
		if (a->n > 0) {
			rc = rc || put_key(b, "ts") || rta_venc_int(b, a->ts) ||
			    put_key(b, "value") || rta_buf_add(b, a->value.data,
			    a->value.len);
			m = 4;
		}
		break;
	case RTA_AGG_DISTINCT:
	case RTA_AGG_QUANTILE:
	case RTA_AGG_TOPK:
		rc = rc || put_key(b, "type") || rta_venc_string(b,
		    sp->kind == RTA_AGG_DISTINCT ? "hll" : sp->kind ==
		    RTA_AGG_QUANTILE ? "ddsketch" : "topk",
		    sp->kind == RTA_AGG_DISTINCT ? 3 : sp->kind ==
		    RTA_AGG_QUANTILE ? 8 : 4) || put_key(b, "count") ||
		    rta_venc_int(b, (int64_t)a->n) || put_key(b, "sketch") ||
		    put_sketch(b, sp, a);
		m = 3;
		break;
	}
	if (rc)
		return -1;
	rta_venc_end(b, off, m);
	return 0;
}

int
rta_agg_states(const struct rta_agg_spec *specs, size_t n,
    const struct rta_agg_acc *acc, struct rta_buf *b)
{
	return put_object(specs, n, acc, b, put_state);
}

/* ---- loading states ------------------------------------------------------ */

static int
bad_state(struct rta_error *err, const struct rta_agg_spec *sp,
    const char *why)
{
	return rta_error_set(err, RTA_EDATA, "bad-state", "state of '%s': %s",
	    sp->name, why);
}

/* The non-negative integer member k of obj. */
static int
count_of(const unsigned char *m, uint64_t *n)
{
	int64_t i;

	if (m == NULL || !rta_value_i64(m, &i) || i < 0)
		return -1;
	*n = (uint64_t)i;
	return 0;
}

/* The members of a state object that load_one reads (the first of each
 * name), found in one walk of it. */
struct state_members {
	const unsigned char	*type, *count, *sum, *min, *max, *mean, *m2,
				*ts, *value;
};

static void
state_members(const unsigned char *st, struct state_members *sm)
{
	struct rta_viter it;
	const unsigned char *v, **to;
	const char *k;
	size_t kl;

	memset(sm, 0, sizeof(*sm));
	rta_viter_init(&it, st);
	while (rta_viter_member(&it, &k, &kl, &v)) {
		to = NULL;
		switch (kl) {
		case 2:
			to = k[0] == 't' && k[1] == 's' ? &sm->ts :
			    k[0] == 'm' && k[1] == '2' ? &sm->m2 : NULL;
			break;
		case 3:
			to = rta_key_eq((const unsigned char *)k, "sum", 3) ?
			    &sm->sum : rta_key_eq((const unsigned char *)k,
			    "min", 3) ? &sm->min : rta_key_eq((const unsigned
			    char *)k, "max", 3) ? &sm->max : NULL;
			break;
		case 4:
			to = rta_key_eq((const unsigned char *)k, "type", 4) ?
			    &sm->type : rta_key_eq((const unsigned char *)k,
			    "mean", 4) ? &sm->mean : NULL;
			break;
		case 5:
			to = rta_key_eq((const unsigned char *)k, "count", 5) ?
			    &sm->count : rta_key_eq((const unsigned char *)k,
			    "value", 5) ? &sm->value : NULL;
			break;
		}
		if (to != NULL && *to == NULL)
			*to = v;
	}
}

/* A double member of a state (m, or obj's member k); null stands for
 * one past the double range (a sum that overflowed), read back as NaN:
 * no number. */
static int
double_of(const unsigned char *m, double *d)
{
	if (m != NULL && rta_value_tag(m) == RTA_V_NULL) {
		*d = NAN;
		return 0;
	}
	if (m == NULL || !rta_value_num(m, d) || !isfinite(*d))
		return -1;
	return 0;
}

/* Decode the base64 sketch of st into a's sketch. */
static int
load_sketch(const struct rta_agg_spec *sp, struct rta_agg_acc *a,
    const unsigned char *st, struct rta_error *err)
{
	const unsigned char *m = rta_value_member(st, "sketch", 6);
	struct base64_decode_ctx ctx;
	struct rta_buf raw = RTA_BUF_INIT, back = RTA_BUF_INIT;
	const char *s;
	size_t sl, out = 0;
	uint64_t n;
	int rc;

	if (m == NULL || !rta_value_str(m, &s, &sl))
		return bad_state(err, sp, "no sketch");
	if (rta_buf_reserve(&raw, BASE64_DECODE_LENGTH(sl) + 1) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	base64_decode_init(&ctx);
	rc = !base64_decode_update(&ctx, &out, raw.data, sl, s) ||
	    !base64_decode_final(&ctx);
	if (!rc && rta_base64(&back, raw.data, out) != 0) {
		rta_buf_release(&raw);
		rta_buf_release(&back);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	if (rc || back.len != sl || memcmp(back.data, s, sl) != 0) {
		rta_buf_release(&raw);
		rta_buf_release(&back);
		return bad_state(err, sp, "sketch is not canonical base64");
	}
	rta_buf_release(&back);
	/* replace the empty sketch acc_init made (the count stays) */
	n = a->n;
	acc_free(sp, a);
	rc = acc_init(sp, a);
	a->n = n;
	if (rc != RTA_OK) {
		rta_buf_release(&raw);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	if (sp->kind == RTA_AGG_DISTINCT) {
		rta_hll_release(a->sketch);
		rc = rta_hll_decode(a->sketch, raw.data, out, err);
		if (rc == RTA_OK && rta_hll_precision(a->sketch) != DISTINCT_P)
			rc = bad_state(err, sp, "HyperLogLog of another "
			    "precision");
	} else if (sp->kind == RTA_AGG_QUANTILE) {
		rta_dds_release(a->sketch);
		rc = rta_dds_decode(a->sketch, raw.data, out, err);
		if (rc == RTA_OK && fabs(rta_dds_alpha(a->sketch) -
		    RTA_DDS_ALPHA_DEFAULT) > 1e-9)
			rc = bad_state(err, sp, "DDSketch of another accuracy");
	} else {
		rta_topk_release(a->sketch);
		rc = rta_topk_decode(a->sketch, raw.data, out, err);
		if (rc == RTA_OK && rta_topk_capacity(a->sketch) !=
		    TOPK_CAP(sp->k))
			rc = bad_state(err, sp, "top-k of another capacity");
		/* its items become strings of results and records */
		else if (rc == RTA_OK && !rta_topk_text(a->sketch))
			rc = bad_state(err, sp, "a top-k item that is not "
			    "UTF-8 text");
	}
	rta_buf_release(&raw);
	if (rc != RTA_OK) {
		char why[sizeof(err->text)];

		snprintf(why, sizeof(why), "%s", err != NULL ? err->text : "");
		/* a sketch decoded but of other parameters is released; a
		 * failed decode leaves nothing behind */
		acc_free(sp, a);
		rta_free(a->sketch);
		a->sketch = NULL;
		if (acc_init(sp, a) != RTA_OK || rc == RTA_ENOMEM)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		return bad_state(err, sp, why);
	}
	return RTA_OK;
}

static int
load_one(const struct rta_agg_spec *sp, struct rta_agg_acc *a,
    const unsigned char *st, struct rta_error *err)
{
#define T(s)	{ s, sizeof(s) - 1 }
	static const struct {
		const char	*s;
		size_t		 len;
	} types[] = {
		[RTA_AGG_COUNT] = T("count"), [RTA_AGG_SUM] = T("sum"),
		[RTA_AGG_AVG] = T("sum"), [RTA_AGG_MIN] = T("min"),
		[RTA_AGG_MAX] = T("max"), [RTA_AGG_STDDEV] = T("moments"),
		[RTA_AGG_FIRST] = T("first"), [RTA_AGG_LAST] = T("last"),
		[RTA_AGG_DISTINCT] = T("hll"),
		[RTA_AGG_QUANTILE] = T("ddsketch"), [RTA_AGG_TOPK] = T("topk")
	};
#undef T
	struct state_members sm;
	const unsigned char *m;
	const char *s;
	size_t sl;
	int64_t i;

	if (rta_value_tag(st) != RTA_V_OBJECT)
		return bad_state(err, sp, "not an object");
	state_members(st, &sm);
	m = sm.type;
	if (m == NULL || !rta_value_str(m, &s, &sl) ||
	    sl != types[sp->kind].len ||
	    !rta_key_eq((const unsigned char *)s, types[sp->kind].s, sl))
		return bad_state(err, sp, "missing or other type");
	if (count_of(sm.count, &a->n) != 0)
		return bad_state(err, sp, "bad count");
	switch (sp->kind) {
	case RTA_AGG_COUNT:
		return RTA_OK;
	case RTA_AGG_SUM:
	case RTA_AGG_AVG:
		m = sm.sum;
		if (m != NULL && rta_value_tag(m) == RTA_V_INT &&
		    rta_value_i64(m, &i)) {
			a->is_int = 1;
			a->isum = i;
			return RTA_OK;
		}
		a->is_int = 0;
		if (double_of(m, &a->sum) != 0)
			return bad_state(err, sp, "bad sum");
		return RTA_OK;
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		if (a->n == 0)
			return RTA_OK;
		m = sp->kind == RTA_AGG_MIN ? sm.min : sm.max;
		if (m != NULL && rta_value_tag(m) == RTA_V_INT &&
		    rta_value_i64(m, &a->isum)) {
			a->is_int = 1;
			a->sum = (double)a->isum;
			return RTA_OK;
		}
		a->is_int = 0;
		if (double_of(m, &a->sum) != 0)
			return bad_state(err, sp, "bad value");
		return RTA_OK;
	case RTA_AGG_STDDEV:
		if (double_of(sm.mean, &a->mean) != 0 ||
		    double_of(sm.m2, &a->m2) != 0 || a->m2 < 0)
			return bad_state(err, sp, "bad moments");
		return RTA_OK;
	case RTA_AGG_FIRST:
	case RTA_AGG_LAST:
		if (a->n == 0)
			return RTA_OK;
		if ((m = sm.ts) == NULL ||
		    !rta_value_i64(m, &a->ts) || a->ts < RTA_TIME_MIN ||
		    a->ts > RTA_TIME_MAX || (m = sm.value) == NULL)
			return bad_state(err, sp, "bad time or value");
		if (keep_value(a, a->ts, m, rta_value_size(m)) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		return RTA_OK;
	default:
		return load_sketch(sp, a, st, err);
	}
}

static int
no_state(const struct rta_agg_spec *sp, struct rta_error *err)
{
	return rta_error_set(err, RTA_EDATA, "bad-state", "no state for '%s'",
	    sp->name);
}

int
rta_agg_load(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc, const unsigned char *states,
    struct rta_error *err)
{
	const unsigned char *st;
	size_t i;
	int rc;

	if (states == NULL || rta_value_tag(states) != RTA_V_OBJECT)
		return rta_error_set(err, RTA_EDATA, "bad-state",
		    "states must be an object");
	for (i = 0; i < n; i++) {
		st = rta_value_member(states, specs[i].name,
		    specs[i].name_len);
		if (st == NULL)
			return no_state(&specs[i], err);
		if ((rc = load_one(&specs[i], &acc[i], st, err)) != RTA_OK)
			return rc;
	}
	return RTA_OK;
}

/* The type each kind's state has (load_one's table). */
static const char *
state_type(enum rta_agg_kind k)
{
	switch (k) {
	case RTA_AGG_COUNT:
		return "count";
	case RTA_AGG_SUM:
	case RTA_AGG_AVG:
		return "sum";
	case RTA_AGG_MIN:
		return "min";
	case RTA_AGG_MAX:
		return "max";
	case RTA_AGG_STDDEV:
		return "moments";
	default:
		return NULL;
	}
}

int
rta_agg_state_kind(const unsigned char *st, enum rta_agg_kind *kind)
{
	static const enum rta_agg_kind simple[] = {
		RTA_AGG_COUNT, RTA_AGG_SUM, RTA_AGG_MIN, RTA_AGG_MAX,
		RTA_AGG_STDDEV
	};
	const unsigned char *m;
	const char *s, *t;
	size_t sl, i;

	if (rta_value_tag(st) != RTA_V_OBJECT ||
	    (m = rta_value_member(st, "type", 4)) == NULL ||
	    !rta_value_str(m, &s, &sl))
		return -1;
	for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		t = state_type(simple[i]);
		if (sl == strlen(t) && memcmp(s, t, sl) == 0) {
			*kind = simple[i];
			return 0;
		}
	}
	return -1;
}

int
rta_agg_num_read(enum rta_agg_kind kind, const unsigned char *st,
    struct rta_agg_num *x)
{
	struct rta_agg_spec sp;
	struct rta_agg_acc a;
	struct rta_error err;

	static char noname[] = "";

	memset(&sp, 0, sizeof(sp));
	sp.kind = kind;
	sp.name = noname;
	if (state_type(kind) == NULL || acc_init(&sp, &a) != RTA_OK)
		return -1;
	if (load_one(&sp, &a, st, &err) != RTA_OK) {
		acc_free(&sp, &a);
		return -1;
	}
	x->n = a.n;
	x->isum = a.isum;
	x->sum = a.sum;
	x->mean = a.mean;
	x->m2 = a.m2;
	x->is_int = a.is_int;
	acc_free(&sp, &a);
	return 0;
}

int
rta_agg_num_fits(const struct rta_agg_spec *sp, enum rta_agg_kind kind)
{
	const char *a = state_type(sp->kind), *b = state_type(kind);

	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int
rta_agg_simple(const struct rta_agg_spec *specs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (specs[i].kind) {
		case RTA_AGG_COUNT:
		case RTA_AGG_SUM:
		case RTA_AGG_AVG:
		case RTA_AGG_MIN:
		case RTA_AGG_MAX:
		case RTA_AGG_STDDEV:
			break;
		default:
			return 0;
		}
	return 1;
}

int
rta_agg_merge_each(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc, const unsigned char *const *st,
    struct rta_error *err)
{
	struct rta_agg_acc b;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (st[i] == NULL)
			return no_state(&specs[i], err);
		if (acc_init(&specs[i], &b) != RTA_OK)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		if ((rc = load_one(&specs[i], &b, st[i], err)) == RTA_OK)
			rc = acc_merge(&specs[i], &acc[i], &b, err);
		acc_free(&specs[i], &b);
		if (rc != RTA_OK)
			return rc;
	}
	return RTA_OK;
}

int
rta_agg_load_each(const struct rta_agg_spec *specs, size_t n,
    struct rta_agg_acc *acc, const unsigned char *const *st,
    struct rta_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = st[i] == NULL ? no_state(&specs[i], err) :
		    load_one(&specs[i], &acc[i], st[i], err)) != RTA_OK)
			return rc;
	return RTA_OK;
}
