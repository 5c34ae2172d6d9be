/*
 * rta_cols.c: a sealed block's aggregate records as columns (rta_cols.h).
 */
#include <string.h>

#include "rta_alloc.h"
#include "rta_frame.h"
#include "rta_hash.h"
#include "rta_query.h"
#include "rta_time.h"
#include "rta_value.h"
#include "rta_cols.h"

/* Most members a template's group or states object may have. */
#define MEMBERS_MAX	RTA_VALUE_MAX_MEMBERS

void
rta_cols_init(struct rta_cols *c)
{
	memset(c, 0, sizeof(*c));
}

void
rta_cols_release(struct rta_cols *c)
{
	rta_free(c->g);
	rta_free(c->s);
	rta_free(c->dict);
	rta_cols_init(c);
}

/* ---- building ------------------------------------------------------------ */

/* One record's parts, as the query reads them (rta_aggregate_parts). */
struct rec {
	int64_t			 ts, end;
	const char		*wtype;
	size_t			 wtlen;
	const unsigned char	*payload;
	size_t			 payload_len;
	const unsigned char	*group, *states;
};

/* Whether objects a and b have the same keys in the same order. */
static int
same_keys(const unsigned char *a, const unsigned char *b)
{
	struct rta_viter ia, ib;
	const unsigned char *va, *vb;
	const char *ka, *kb;
	size_t la, lb;

	if (rta_value_count(a) != rta_value_count(b))
		return 0;
	rta_viter_init(&ia, a);
	rta_viter_init(&ib, b);
	while (rta_viter_member(&ia, &ka, &la, &va)) {
		if (!rta_viter_member(&ib, &kb, &lb, &vb) || la != lb ||
		    memcmp(ka, kb, la) != 0)
			return 0;
	}
	return 1;
}

/* Decode the record of size bytes at p and find its parts: 0, or -1
 * when it is not an aggregate record with a parsable end, a group and
 * states. */
static int
parts(const unsigned char *p, size_t size, struct rec *r)
{
	struct rta_record rec;
	struct rta_agg_parts pp;
	struct rta_error err;
	const char *s;
	size_t sl;

	if (rta_frame_decode_padded(p, size, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, RTA_DECODE_STORED, &rec, &err) != RTA_OK ||
	    rec.kind != RTA_REC_AGGREGATE)
		return -1;
	rta_aggregate_parts(rec.ev.payload, &pp);
	if (pp.end == NULL || !rta_value_str(pp.end, &s, &sl) ||
	    rta_time_parse(s, sl, &r->end, NULL) != RTA_OK ||
	    pp.group == NULL || rta_value_tag(pp.group) != RTA_V_OBJECT ||
	    pp.states == NULL || rta_value_tag(pp.states) != RTA_V_OBJECT ||
	    rta_value_count(pp.group) > MEMBERS_MAX ||
	    rta_value_count(pp.states) > MEMBERS_MAX)
		return -1;
	r->ts = rec.ev.ts;
	r->wtype = rec.ev.type;
	r->wtlen = rec.ev.type_len;
	r->payload = rec.ev.payload;
	r->payload_len = rec.ev.payload_len;
	r->group = pp.group;
	r->states = pp.states;
	return 0;
}

/* A group member's distinct values, by hash. */
struct dict {
	uint32_t		*slot;		/* index + 1, or 0 */
	size_t			 nslot;
	const unsigned char	**val;
	size_t			 nval;
};

static int
dict_index(struct dict *d, const unsigned char *v, uint32_t *index)
{
	size_t len = rta_value_size(v), h;
	uint32_t k;

	h = (size_t)rta_hash64(v, len, 0) & (d->nslot - 1);
	while ((k = d->slot[h]) != 0) {
		if (rta_value_size(d->val[k - 1]) == len &&
		    memcmp(d->val[k - 1], v, len) == 0) {
			*index = k - 1;
			return 0;
		}
		h = (h + 1) & (d->nslot - 1);
	}
	d->val[d->nval] = v;
	d->slot[h] = (uint32_t)++d->nval;
	*index = (uint32_t)(d->nval - 1);
	return 0;
}

/* The i-th member value of object obj. */
static const unsigned char *
member_at(const unsigned char *obj, uint32_t i)
{
	struct rta_viter it;
	const unsigned char *v = NULL;
	const char *k;
	size_t kl;

	rta_viter_init(&it, obj);
	while (rta_viter_member(&it, &k, &kl, &v) && i-- > 0)
		;
	return v;
}

static int
put(struct rta_buf *b, const void *p, size_t n)
{
	return rta_buf_add(b, p, n);
}

static int
put_u32(struct rta_buf *b, uint32_t v)
{
	return rta_buf_add_u32(b, v);
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* A column of the n integers v (rta_cols.h): a frame of reference, the
 * deltas' common step and the least width that holds them. */
static int
put_col(struct rta_buf *out, const uint64_t *v, uint32_t n)
{
	uint64_t base, step = 0, max = 0, d;
	unsigned char b[17], *q;
	unsigned width;
	uint32_t i;

	base = v[0];
	for (i = 1; i < n; i++)
		if ((int64_t)v[i] < (int64_t)base)
			base = v[i];
	for (i = 0; i < n; i++)
		step = gcd(step, v[i] - base);
	if (step == 0)
		step = 1;
	for (i = 0; i < n; i++)
		if ((d = (v[i] - base) / step) > max)
			max = d;
	width = max == 0 ? 0 : max <= 0xff ? 1 : max <= 0xffff ? 2 :
	    max <= 0xffffffffU ? 4 : 8;
	b[0] = (unsigned char)width;
	rta_put_u64(b + 1, base);
	rta_put_u64(b + 9, step);
	if (rta_buf_add(out, b, sizeof(b)) != 0 ||
	    rta_buf_reserve(out, (size_t)n * width) != 0)
		return -1;
	q = out->data + out->len;
	for (i = 0; i < n; i++) {
		d = (v[i] - base) / step;
		switch (width) {
		case 1:
			q[i] = (unsigned char)d;
			break;
		case 2:
			rta_put_u16(q + (size_t)i * 2, (uint16_t)d);
			break;
		case 4:
			rta_put_u32(q + (size_t)i * 4, (uint32_t)d);
			break;
		case 8:
			rta_put_u64(q + (size_t)i * 8, d);
			break;
		default:
			break;
		}
	}
	out->len += (size_t)n * width;
	return 0;
}

/* The records' group member j's column. */
static int
put_group(struct rta_buf *out, const struct rec *r, uint32_t n, uint32_t j,
    uint32_t *codes, uint64_t *col)
{
	struct dict d;
	size_t i;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	for (d.nslot = 16; d.nslot < 2 * (size_t)n; d.nslot *= 2)
		;
	if ((d.slot = rta_calloc(d.nslot, sizeof(*d.slot))) == NULL ||
	    (d.val = rta_calloc(n, sizeof(*d.val))) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		dict_index(&d, member_at(r[i].group, j), &codes[i]);
	if (put_u32(out, (uint32_t)d.nval) != 0)
		goto out;
	for (i = 0; i < d.nval; i++) {
		size_t len = rta_value_size(d.val[i]);

		if (put_u32(out, (uint32_t)len) != 0 ||
		    put(out, d.val[i], len) != 0)
			goto out;
	}
	for (i = 0; i < n; i++)
		col[i] = codes[i];
	if (put_col(out, col, n) != 0)
		goto out;
	rc = 0;
out:
	rta_free(d.slot);
	rta_free(d.val);
	return rc;
}

/* The records' state j's columns, of kind: 1, 0 (a state that does not
 * load as its kind), -1 (ENOMEM). */
static int
put_state(struct rta_buf *out, const struct rec *r, uint32_t n, uint32_t j,
    enum rta_agg_kind kind, struct rta_agg_num *x, uint64_t *col)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		enum rta_agg_kind k;
		const unsigned char *st = member_at(r[i].states, j);

		if (rta_agg_state_kind(st, &k) != 0 || k != kind ||
		    rta_agg_num_read(kind, st, &x[i]) != 0)
			return 0;
	}
	for (i = 0; i < n; i++)
		col[i] = x[i].n;
	if (put_col(out, col, n) != 0)
		return -1;
	switch (kind) {
	case RTA_AGG_SUM:
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		for (i = 0; i < n; i++)
			col[i] = x[i].is_int ? 1 : 0;
		if (put_col(out, col, n) != 0)
			return -1;
		for (i = 0; i < n; i++) {
			if (x[i].is_int)
				col[i] = (uint64_t)x[i].isum;
			else
				memcpy(&col[i], &x[i].sum, 8);
		}
		return put_col(out, col, n) != 0 ? -1 : 1;
	case RTA_AGG_STDDEV:
		for (i = 0; i < n; i++)
			memcpy(&col[i], &x[i].mean, 8);
		if (put_col(out, col, n) != 0)
			return -1;
		for (i = 0; i < n; i++)
			memcpy(&col[i], &x[i].m2, 8);
		return put_col(out, col, n) != 0 ? -1 : 1;
	default:
		return 1;
	}
}

int
rta_cols_build(const unsigned char *frames, size_t len, uint32_t count,
    struct rta_buf *out)
{
	struct rec *r = NULL;
	struct rta_agg_num *x = NULL;
	uint64_t *col = NULL;
	uint32_t *codes = NULL, ng, ns, i, j;
	unsigned char *kinds = NULL;
	struct rta_error err;
	size_t off = 0, size;
	int is_header, rc = 0;

	rta_buf_reset(out);
	if (count == 0 || count > RTA_COLS_MAX_RECORDS)
		return 0;
	if ((r = rta_calloc(count, sizeof(*r))) == NULL ||
	    (x = rta_calloc(count, sizeof(*x))) == NULL ||
	    (codes = rta_calloc(count, sizeof(*codes))) == NULL ||
	    (col = rta_calloc(count, sizeof(*col))) == NULL)
		goto nomem;
	for (i = 0; i < count; i++) {
		if (rta_frame_probe(frames + off, len - off, RTA_FRAME_MAX,
		    &is_header, &size, &err) != RTA_OK || is_header ||
		    size > len - off || parts(frames + off, size, &r[i]) != 0)
			goto out;
		off += size;
		if (i > 0 && (r[i].wtlen != r[0].wtlen ||
		    memcmp(r[i].wtype, r[0].wtype, r[0].wtlen) != 0 ||
		    !same_keys(r[i].group, r[0].group) ||
		    !same_keys(r[i].states, r[0].states)))
			goto out;
	}
	if (off != len)
		goto out;
	ng = rta_value_count(r[0].group);
	ns = rta_value_count(r[0].states);
	if ((kinds = rta_calloc(ns ? ns : 1, 1)) == NULL)
		goto nomem;
	for (j = 0; j < ns; j++) {
		enum rta_agg_kind k;

		if (rta_agg_state_kind(member_at(r[0].states, j), &k) != 0)
			goto out;
		kinds[j] = (unsigned char)k;
	}
	if (put_u32(out, count) != 0 ||
	    put_u32(out, (uint32_t)r[0].wtlen) != 0 ||
	    put(out, r[0].wtype, r[0].wtlen) != 0 ||
	    put_u32(out, (uint32_t)r[0].payload_len) != 0 ||
	    put(out, r[0].payload, r[0].payload_len) != 0 ||
	    put_u32(out, ng) != 0 || put_u32(out, ns) != 0 ||
	    put(out, kinds, ns) != 0)
		goto nomem;
	for (i = 0; i < count; i++)
		col[i] = (uint64_t)r[i].ts;
	if (put_col(out, col, count) != 0)
		goto nomem;
	for (i = 0; i < count; i++)
		col[i] = (uint64_t)r[i].end;
	if (put_col(out, col, count) != 0)
		goto nomem;
	for (j = 0; j < ng; j++)
		if (put_group(out, r, count, j, codes, col) != 0)
			goto nomem;
	for (j = 0; j < ns; j++) {
		int k = put_state(out, r, count, j,
		    (enum rta_agg_kind)kinds[j], x, col);

		if (k < 0)
			goto nomem;
		if (k == 0)
			goto out;
	}
	rc = 1;
	goto done;
nomem:
	rc = -1;
out:
	rta_buf_reset(out);
done:
	rta_free(r);
	rta_free(x);
	rta_free(codes);
	rta_free(col);
	rta_free(kinds);
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

struct rd {
	const unsigned char	*p;
	size_t			 len, off;
};

/* n bytes at the reading place, or NULL when fewer are left. */
static const unsigned char *
take(struct rd *d, size_t n)
{
	const unsigned char *q;

	if (n > d->len - d->off)
		return NULL;
	q = d->p + d->off;
	d->off += n;
	return q;
}

static int
take_u32(struct rd *d, uint32_t *v)
{
	const unsigned char *q = take(d, 4);

	if (q == NULL)
		return -1;
	*v = rta_get_u32(q);
	return 0;
}

/* A column of n integers. */
static int
take_col(struct rd *d, uint32_t n, struct rta_cols_int *c)
{
	const unsigned char *q = take(d, 17);

	if (q == NULL)
		return -1;
	c->width = q[0];
	c->base = rta_get_u64(q + 1);
	c->step = rta_get_u64(q + 9);
	if (c->width != 0 && c->width != 1 && c->width != 2 &&
	    c->width != 4 && c->width != 8)
		return -1;
	if (c->width != 0 && (size_t)n > (d->len - d->off) / c->width)
		return -1;
	c->p = d->p + d->off;
	d->off += (size_t)n * c->width;
	return 0;
}

static int
grow(void *pp, size_t *cap, size_t want, size_t size)
{
	void **p = pp, *q;

	if (want <= *cap)
		return 0;
	if ((q = rta_reallocarray(*p, want, size)) == NULL)
		return -1;
	*p = q;
	*cap = want;
	return 0;
}

static int
bad(struct rta_error *err, const char *what)
{
	return rta_error_set(err, RTA_EDATA, "damaged", "columns: %s", what);
}

/* Whether a code of column c (n records) is nd or more: a chunk of codes
 * decoded at a time, a width's loop each. */
static int
codes_over(const struct rta_cols_int *c, uint32_t n, uint32_t nd)
{
	uint64_t v[256], over;
	uint32_t i, k, j;

	for (i = 0; i < n; i += k) {
		k = n - i < 256 ? n - i : 256;
		rta_cols_u64s(c, i, k, v);
		for (over = 0, j = 0; j < k; j++)
			over |= v[j] >= nd;
		if (over)
			return 1;
	}
	return 0;
}

int
rta_cols_parse(struct rta_cols *c, const unsigned char *p, size_t len,
    struct rta_error *err)
{
	struct rd d = { p, len, 0 };
	struct rta_agg_parts pp;
	struct rta_error e2;
	const unsigned char *q;
	uint32_t wl, tl, j, k, nd;
	size_t ndict = 0;

	if (take_u32(&d, &c->n) != 0 || c->n == 0 ||
	    c->n > RTA_COLS_MAX_RECORDS || take_u32(&d, &wl) != 0 ||
	    (c->wtype = (const char *)take(&d, wl)) == NULL ||
	    take_u32(&d, &tl) != 0 || (c->tmpl = take(&d, tl)) == NULL)
		return bad(err, "truncated header");
	c->wtlen = wl;
	c->tmpl_len = tl;
	if (tl == 0 || rta_value_check_shape(c->tmpl, tl, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &e2) != RTA_OK ||
	    rta_value_tag(c->tmpl) != RTA_V_OBJECT)
		return bad(err, "template is not an object");
	rta_aggregate_parts(c->tmpl, &pp);
	c->group = pp.group;
	c->states = pp.states;
	if (c->group == NULL || rta_value_tag(c->group) != RTA_V_OBJECT ||
	    c->states == NULL || rta_value_tag(c->states) != RTA_V_OBJECT)
		return bad(err, "template has no group or states");
	if (take_u32(&d, &c->ngroup) != 0 || take_u32(&d, &c->nstates) != 0 ||
	    c->ngroup != rta_value_count(c->group) ||
	    c->nstates != rta_value_count(c->states) ||
	    (q = take(&d, c->nstates)) == NULL)
		return bad(err, "member counts do not match the template");
	if (grow(&c->g, &c->gcap, c->ngroup ? c->ngroup : 1,
	    sizeof(*c->g)) != 0 || grow(&c->s, &c->scap, c->nstates ?
	    c->nstates : 1, sizeof(*c->s)) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	for (j = 0; j < c->nstates; j++) {
		switch (q[j]) {
		case RTA_AGG_COUNT:
		case RTA_AGG_SUM:
		case RTA_AGG_MIN:
		case RTA_AGG_MAX:
		case RTA_AGG_STDDEV:
			break;
		default:
			return bad(err, "unknown state kind");
		}
		c->s[j].kind = (enum rta_agg_kind)q[j];
	}
	if (take_col(&d, c->n, &c->ts) != 0 ||
	    take_col(&d, c->n, &c->end) != 0)
		return bad(err, "bad times");
	/* the dictionaries' values, then pointers to them */
	for (j = 0; j < c->ngroup; j++) {
		struct rta_cols_group *g = &c->g[j];

		if (take_u32(&d, &nd) != 0 || nd == 0 || nd > c->n)
			return bad(err, "bad dictionary size");
		if (grow(&c->dict, &c->dcap, ndict + nd, sizeof(*c->dict)) != 0)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		g->nd = nd;
		for (k = 0; k < nd; k++) {
			uint32_t vl;

			if (take_u32(&d, &vl) != 0 || vl == 0 ||
			    (q = take(&d, vl)) == NULL ||
			    rta_value_check_shape(q, vl, RTA_VALUE_MAX_DEPTH,
			    RTA_VALUE_MAX_MEMBERS, &e2) != RTA_OK)
				return bad(err, "bad dictionary value");
			c->dict[ndict + k] = q;
		}
		/* its place now, the pointer once the array stops moving */
		g->first = ndict;
		ndict += nd;
		if (take_col(&d, c->n, &g->codes) != 0)
			return bad(err, "bad codes");
		if (codes_over(&g->codes, c->n, nd))
			return bad(err, "code out of range");
	}
	for (j = 0; j < c->ngroup; j++)
		c->g[j].dict = c->dict + c->g[j].first;
	for (j = 0; j < c->nstates; j++) {
		struct rta_cols_state *s = &c->s[j];

		memset(&s->is_int, 0, sizeof(s->is_int));
		s->x = s->mean = s->m2 = s->is_int;
		if (take_col(&d, c->n, &s->n) != 0)
			return bad(err, "bad counts");
		switch (s->kind) {
		case RTA_AGG_SUM:
		case RTA_AGG_MIN:
		case RTA_AGG_MAX:
			if (take_col(&d, c->n, &s->is_int) != 0 ||
			    take_col(&d, c->n, &s->x) != 0)
				return bad(err, "bad values");
			break;
		case RTA_AGG_STDDEV:
			if (take_col(&d, c->n, &s->mean) != 0 ||
			    take_col(&d, c->n, &s->m2) != 0)
				return bad(err, "bad moments");
			break;
		default:
			break;
		}
	}
	if (d.off != d.len)
		return bad(err, "trailing bytes");
	return RTA_OK;
}
