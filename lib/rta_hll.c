/*
 * rta_hll.c: HyperLogLog with a sparse form, exact merges and a
 * canonical encoding.
 *
 * A sparse entry is a hash's 25-bit index and the rank of its other 39
 * bits, packed as index << 6 | rank (never 0, since a rank is at least
 * 1; ordering entries orders their indexes).  For any p <= 25 the dense
 * register of an entry follows from it alone: the index's top p bits
 * are the register, and the rank is counted from the index's low 25-p
 * bits when they are not all 0, else it is 25-p plus the entry's rank.
 * A register of precision p folds to a smaller p2 the same way.  So
 * the registers a stream gives at p are a function of its entries, the
 * entries of a union are the per-index maxima, and every merge is
 * exact.
 *
 * New sparse entries first go to a small unsorted buffer (pend) inside
 * the struct, which is sorted into the array when it fills: an add costs
 * a binary search and a scan of the buffer, not a move of the array.
 * Nothing depends on the buffer: the encoding, the estimate and the
 * form see the union of the array and the buffer.
 *
 * Every mutator does its allocation before it changes anything, so a
 * failure leaves the sketch as it was.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_hash.h"
#include "rta_hll.h"

#define SP_BITS		RTA_HLL_SP
#define SP_RANK_MAX	(64 - SP_BITS + 1)	/* 40 */
#define SP_MIN_CAP	16U
#define FORM_SPARSE	0
#define FORM_DENSE	1
#define LN2		0.693147180559945309417

static inline unsigned
clz64(uint64_t w)
{
	return (unsigned)__builtin_clzll(w);
}

static inline unsigned
bitlen32(uint32_t v)
{
	return v == 0 ? 0 : 32 - (unsigned)__builtin_clz(v);
}

static inline uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint32_t
entry_of(uint64_t x)
{
	uint64_t w = x << SP_BITS;
	unsigned r = w == 0 ? SP_RANK_MAX : clz64(w) + 1;

	return (uint32_t)(x >> (64 - SP_BITS)) << 6 | r;
}

/* The register and rank at p of the hash(es) behind entry e. */
static inline void
entry_reg(uint32_t e, unsigned p, uint32_t *i, uint8_t *r)
{
	uint32_t idx = e >> 6, d = SP_BITS - p;
	uint32_t low = idx & ((1U << d) - 1);

	*i = idx >> d;
	if (low != 0)
		*r = (uint8_t)(d - bitlen32(low) + 1);
	else
		*r = (uint8_t)(d + (e & 63));
}

static inline void
dense_put(uint8_t *reg, uint32_t i, uint8_t r)
{
	if (r > reg[i])
		reg[i] = r;
}

/* Fold the registers of precision fp into reg of precision p <= fp. */
static void
dense_fold(uint8_t *reg, unsigned p, const uint8_t *from, unsigned fp)
{
	uint32_t j, m = 1U << fp, d = fp - p, mask = (1U << d) - 1;

	for (j = 0; j < m; j++) {
		if (from[j] == 0)
			continue;
		if ((j & mask) != 0)
			dense_put(reg, j >> d,
			    (uint8_t)(d - bitlen32(j & mask) + 1));
		else
			dense_put(reg, j >> d, (uint8_t)(d + from[j]));
	}
}

/* ---- sparse entries in order --------------------------------------------- */

/* The entries of a sparse sketch, array and buffer, by index. */
struct sp_iter {
	const uint32_t	*a;
	uint32_t	 na, ia, np, ip;
	uint32_t	 pend[RTA_HLL_PEND];
};

static void
sort_small(uint32_t *v, uint32_t n)
{
	uint32_t i, j, t;

	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && v[j - 1] > t; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

static void
sp_iter_init(struct sp_iter *it, const struct rta_hll *h)
{
	it->a = h->sp;
	it->na = h->nsp;
	it->ia = 0;
	it->np = h->npend;
	it->ip = 0;
	memcpy(it->pend, h->pend, h->npend * sizeof(h->pend[0]));
	sort_small(it->pend, it->np);
}

/* The next entry, or 0 at the end. */
static uint32_t
sp_next(struct sp_iter *it)
{
	if (it->ia < it->na && (it->ip == it->np ||
	    it->a[it->ia] < it->pend[it->ip]))
		return it->a[it->ia++];
	if (it->ip < it->np)
		return it->pend[it->ip++];
	return 0;
}

/* Entries of the union of two entry streams: per index, the larger. */
struct sp_union {
	struct sp_iter	 x, y;
	uint32_t	 ex, ey;
};

static void
sp_union_init(struct sp_union *u, const struct rta_hll *a,
    const struct rta_hll *b)
{
	sp_iter_init(&u->x, a);
	u->ex = sp_next(&u->x);
	if (b != NULL) {
		sp_iter_init(&u->y, b);
		u->ey = sp_next(&u->y);
	} else
		u->ey = 0;
}

static uint32_t
sp_union_next(struct sp_union *u)
{
	uint32_t e;

	if (u->ex == 0 && u->ey == 0)
		return 0;
	if (u->ey == 0 || (u->ex != 0 && u->ex >> 6 < u->ey >> 6)) {
		e = u->ex;
		u->ex = sp_next(&u->x);
	} else if (u->ex == 0 || u->ey >> 6 < u->ex >> 6) {
		e = u->ey;
		u->ey = sp_next(&u->y);
	} else {
		e = u->ex > u->ey ? u->ex : u->ey;
		u->ex = sp_next(&u->x);
		u->ey = sp_next(&u->y);
	}
	return e;
}

static uint32_t
sp_union_count(const struct rta_hll *a, const struct rta_hll *b)
{
	struct sp_union u;
	uint32_t n = 0;

	sp_union_init(&u, a, b);
	while (sp_union_next(&u) != 0)
		n++;
	return n;
}

/* New dense registers of precision p holding the entries of a and b
 * (sparse; b may be NULL), or NULL. */
static uint8_t *
sp_to_dense(unsigned p, const struct rta_hll *a, const struct rta_hll *b)
{
	struct sp_union u;
	uint8_t *reg, r;
	uint32_t e, i;

	if ((reg = rta_calloc((size_t)1 << p, 1)) == NULL)
		return NULL;
	sp_union_init(&u, a, b);
	while ((e = sp_union_next(&u)) != 0) {
		entry_reg(e, p, &i, &r);
		dense_put(reg, i, r);
	}
	return reg;
}

/* A new array of the n entries of the union of a and b, or NULL. */
static uint32_t *
sp_to_array(uint32_t n, const struct rta_hll *a, const struct rta_hll *b)
{
	struct sp_union u;
	uint32_t *v, e, k = 0;

	if ((v = rta_reallocarray(NULL, n, sizeof(*v))) == NULL)
		return NULL;
	sp_union_init(&u, a, b);
	while ((e = sp_union_next(&u)) != 0)
		v[k++] = e;
	return v;
}

static void
set_dense(struct rta_hll *h, uint8_t *reg)
{
	rta_free(h->sp);
	h->sp = NULL;
	h->nsp = h->spcap = h->npend = 0;
	h->reg = reg;
}

static void
set_sparse(struct rta_hll *h, uint32_t *v, uint32_t n)
{
	rta_free(h->sp);
	h->sp = v;
	h->nsp = h->spcap = n;
	h->npend = 0;
}

/*
 * The first of the array's first n positions whose index is not below
 * idx (n if none).  Without branches on the data: the entries are
 * random, so a branch would be mispredicted half the time.
 */
static uint32_t
sp_lower(const struct rta_hll *h, uint32_t n, uint32_t idx)
{
	const uint32_t *base = h->sp;
	uint32_t half;

	if (n == 0)
		return 0;
	while (n > 1) {
		half = n / 2;
		base = base[half] >> 6 < idx ? base + half : base;
		n -= half;
	}
	return (uint32_t)(base - h->sp) + (*base >> 6 < idx);
}

/* The position of idx in the array, or -1. */
static long
sp_find(const struct rta_hll *h, uint32_t idx)
{
	uint32_t at = sp_lower(h, h->nsp, idx);

	return at < h->nsp && h->sp[at] >> 6 == idx ? (long)at : -1;
}

/* Sort the buffer into the array.  0 or -1 (ENOMEM, h unchanged). */
static int
sp_flush(struct rta_hll *h)
{
	uint32_t need = h->nsp + h->npend, cap, *v;
	uint32_t i, j, at;

	if (need > h->spcap) {
		cap = h->spcap < SP_MIN_CAP ? SP_MIN_CAP : h->spcap * 2;
		if (cap > RTA_HLL_SPARSE_MAX(h->p))
			cap = RTA_HLL_SPARSE_MAX(h->p);
		if (cap < need)
			cap = need;
		if ((v = rta_reallocarray(h->sp, cap, sizeof(*v))) == NULL)
			return -1;
		h->sp = v;
		h->spcap = cap;
	}
	sort_small(h->pend, h->npend);
	/*
	 * From the largest buffered entry down: the array's entries above
	 * it move up by the number of buffered entries not above it, in
	 * one memmove per entry rather than one step per array entry.
	 */
	i = h->nsp;
	for (j = h->npend; j > 0; j--) {
		at = sp_lower(h, i, h->pend[j - 1] >> 6);
		memmove(h->sp + at + j, h->sp + at,
		    (i - at) * sizeof(*h->sp));
		h->sp[at + j - 1] = h->pend[j - 1];
		i = at;
	}
	h->nsp = need;
	h->npend = 0;
	return 0;
}

static int
sp_add(struct rta_hll *h, uint32_t e)
{
	uint32_t idx = e >> 6, k;
	uint8_t *reg;
	long at;

	if ((at = sp_find(h, idx)) >= 0) {
		if (e > h->sp[at])
			h->sp[at] = e;
		return 0;
	}
	for (k = 0; k < h->npend; k++)
		if (h->pend[k] >> 6 == idx) {
			if (e > h->pend[k])
				h->pend[k] = e;
			return 0;
		}
	if (h->nsp + h->npend + 1 > RTA_HLL_SPARSE_MAX(h->p)) {
		uint32_t i;
		uint8_t r;

		if ((reg = sp_to_dense(h->p, h, NULL)) == NULL)
			return -1;
		entry_reg(e, h->p, &i, &r);
		dense_put(reg, i, r);
		set_dense(h, reg);
		return 0;
	}
	if (h->npend == RTA_HLL_PEND && sp_flush(h) != 0)
		return -1;
	h->pend[h->npend++] = e;
	return 0;
}

/* ---- the sketch ---------------------------------------------------------- */

int
rta_hll_init(struct rta_hll *h, unsigned p)
{
	memset(h, 0, sizeof(*h));
	h->p = RTA_HLL_P_DEFAULT;
	if (p < RTA_HLL_P_MIN || p > RTA_HLL_P_MAX)
		return RTA_EINVAL;
	h->p = p;
	return RTA_OK;
}

void
rta_hll_release(struct rta_hll *h)
{
	if (h == NULL)
		return;
	rta_free(h->reg);
	rta_free(h->sp);
	(void)rta_hll_init(h, h->p);
}

void
rta_hll_reset(struct rta_hll *h)
{
	rta_free(h->reg);
	h->reg = NULL;
	h->nsp = h->npend = 0;
	h->count = 0;
}

int
rta_hll_copy(struct rta_hll *dst, const struct rta_hll *src)
{
	size_t m = (size_t)1 << src->p;

	(void)rta_hll_init(dst, src->p);
	if (src->reg != NULL) {
		if ((dst->reg = rta_malloc(m)) == NULL)
			return -1;
		memcpy(dst->reg, src->reg, m);
	} else if (src->nsp > 0) {
		dst->sp = rta_reallocarray(NULL, src->nsp, sizeof(*dst->sp));
		if (dst->sp == NULL)
			return -1;
		memcpy(dst->sp, src->sp, src->nsp * sizeof(*dst->sp));
		dst->nsp = dst->spcap = src->nsp;
	}
	dst->npend = src->npend;
	memcpy(dst->pend, src->pend, sizeof(dst->pend));
	dst->count = src->count;
	return 0;
}

uint64_t
rta_hll_hash(const void *v, size_t len)
{
	return rta_hash64(v, len, RTA_HLL_SEED);
}

int
rta_hll_add_hash(struct rta_hll *h, uint64_t x)
{
	if (h->reg != NULL) {
		uint64_t w = x << h->p;
		unsigned r = w == 0 ? 65 - h->p : clz64(w) + 1;

		dense_put(h->reg, (uint32_t)(x >> (64 - h->p)), (uint8_t)r);
	} else if (sp_add(h, entry_of(x)) != 0)
		return -1;
	h->count = sat_add(h->count, 1);
	return 0;
}

int
rta_hll_add(struct rta_hll *h, const void *v, size_t len)
{
	return rta_hll_add_hash(h, rta_hll_hash(v, len));
}

/* ---- estimates ----------------------------------------------------------- */

/* Ertl's sigma and tau (2017, algorithm 6). */
static double
sigma(double x)
{
	double y = 1, z = x, zp;

	if (x == 1)
		return INFINITY;
	do {
		x *= x;
		zp = z;
		z += x * y;
		y += y;
	} while (z != zp);
	return z;
}

static double
tau(double x)
{
	double y = 1, z, zp;

	if (x == 0 || x == 1)
		return 0;
	z = 1 - x;
	do {
		x = sqrt(x);
		zp = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != zp);
	return z / 3;
}

double
rta_hll_estimate(const struct rta_hll *h)
{
	uint32_t c[66] = { 0 }, i, m;
	unsigned q, k;
	double z;

	if (h->reg == NULL) {
		/* linear counting over the 2^25 sparse registers */
		double n = (double)(h->nsp + h->npend), ms = 0x1p25;

		return n == 0 ? 0 : -ms * log1p(-n / ms);
	}
	m = 1U << h->p;
	q = 64 - h->p;
	for (i = 0; i < m; i++)
		c[h->reg[i]]++;
	if (c[0] == m)
		return 0;
	z = m * tau(1 - (double)c[q + 1] / m);
	for (k = q; k >= 1; k--)
		z = 0.5 * (z + c[k]);
	z += m * sigma((double)c[0] / m);
	return (double)m * m / (2 * LN2 * z);
}

double
rta_hll_rse(unsigned p)
{
	return 1.04 / sqrt(ldexp(1, (int)p));
}

unsigned
rta_hll_precision(const struct rta_hll *h)
{
	return h->p;
}

uint64_t
rta_hll_count(const struct rta_hll *h)
{
	return h->count;
}

int
rta_hll_is_sparse(const struct rta_hll *h)
{
	return h->reg == NULL;
}

size_t
rta_hll_memory(const struct rta_hll *h)
{
	if (h->reg != NULL)
		return (size_t)1 << h->p;
	return (size_t)h->spcap * sizeof(*h->sp);
}

/* ---- merging ------------------------------------------------------------- */

/*
 * Merge from (of precision at least h's) into h.  0 or -1 (ENOMEM, h
 * unchanged).  The result's form follows from the union of the
 * entries: a dense from had more entries than even h's sparse limit.
 */
static int
merge_in(struct rta_hll *h, const struct rta_hll *from)
{
	uint8_t *reg, r;
	uint32_t *v, n, i, e;
	struct sp_union u;

	if (h->reg == NULL && from->reg != NULL) {
		if ((reg = sp_to_dense(h->p, h, NULL)) == NULL)
			return -1;
		dense_fold(reg, h->p, from->reg, from->p);
		set_dense(h, reg);
	} else if (h->reg == NULL) {
		n = sp_union_count(h, from);
		if (n > RTA_HLL_SPARSE_MAX(h->p)) {
			if ((reg = sp_to_dense(h->p, h, from)) == NULL)
				return -1;
			set_dense(h, reg);
		} else if (n > 0) {
			if ((v = sp_to_array(n, h, from)) == NULL)
				return -1;
			set_sparse(h, v, n);
		}
	} else if (from->reg != NULL)
		dense_fold(h->reg, h->p, from->reg, from->p);
	else {
		sp_union_init(&u, from, NULL);
		while ((e = sp_union_next(&u)) != 0) {
			entry_reg(e, h->p, &i, &r);
			dense_put(h->reg, i, r);
		}
	}
	h->count = sat_add(h->count, from->count);
	return 0;
}

/* r becomes a new sketch of h's stream at the smaller precision p. */
static int
fold(struct rta_hll *r, const struct rta_hll *h, unsigned p)
{
	uint32_t n;

	(void)rta_hll_init(r, p);
	r->count = h->count;
	if (h->reg != NULL) {
		if ((r->reg = rta_calloc((size_t)1 << p, 1)) == NULL)
			return -1;
		dense_fold(r->reg, p, h->reg, h->p);
		return 0;
	}
	n = h->nsp + h->npend;
	if (n > RTA_HLL_SPARSE_MAX(p))
		r->reg = sp_to_dense(p, h, NULL);
	else if (n > 0) {
		r->sp = sp_to_array(n, h, NULL);
		r->nsp = r->spcap = n;
	} else
		return 0;
	return r->reg != NULL || r->sp != NULL ? 0 : -1;
}

int
rta_hll_merge(struct rta_hll *into, const struct rta_hll *from,
    struct rta_error *err)
{
	struct rta_hll r;

	if (into == from) {
		into->count = sat_add(into->count, from->count);
		return RTA_OK;
	}
	if (from->p < into->p) {
		if (fold(&r, into, from->p) != 0 || merge_in(&r, from) != 0) {
			rta_hll_release(&r);
			goto nomem;
		}
		rta_hll_release(into);
		*into = r;
		return RTA_OK;
	}
	if (merge_in(into, from) != 0)
		goto nomem;
	return RTA_OK;
nomem:
	return rta_error_set(err, RTA_ENOMEM, "no-memory",
	    "out of memory merging distinct-count sketches");
}

/* ---- encoding ------------------------------------------------------------ */

int
rta_hll_encode(const struct rta_hll *h, struct rta_buf *out)
{
	struct sp_union u;
	unsigned char *q, *q0;
	uint32_t n = h->nsp + h->npend, e, i, m = 1U << h->p;
	long prev = -1;
	size_t max;

	max = 4 + 2 * RTA_VARINT_MAX;
	max += h->reg != NULL ? (size_t)m / 4 * 3 : (size_t)n * 5;
	if (rta_buf_reserve(out, max) != 0)
		return -1;
	q = q0 = out->data + out->len;
	*q++ = 'H';
	*q++ = 1;
	*q++ = (unsigned char)h->p;
	*q++ = h->reg != NULL ? FORM_DENSE : FORM_SPARSE;
	q += rta_put_varint(q, h->count);
	if (h->reg != NULL) {
		const uint8_t *r = h->reg;

		for (i = 0; i < m; i += 4, r += 4) {
			*q++ = (unsigned char)(r[0] | r[1] << 6);
			*q++ = (unsigned char)(r[1] >> 2 | r[2] << 4);
			*q++ = (unsigned char)(r[2] >> 4 | r[3] << 2);
		}
	} else {
		q += rta_put_varint(q, n);
		sp_union_init(&u, h, NULL);
		while ((e = sp_union_next(&u)) != 0) {
			q += rta_put_varint(q, (uint64_t)((long)(e >> 6) -
			    prev - 1) << 6 | (e & 63));
			prev = (long)(e >> 6);
		}
	}
	out->len += (size_t)(q - q0);
	return 0;
}

struct reader {
	const unsigned char	*start, *p, *end;
	struct rta_error	*err;
};

/* EDATA, with the offset of the byte after the last one read. */
static int
bad(struct reader *rd, const char *what)
{
	rta_error_set(rd->err, RTA_EDATA, "bad-sketch",
	    "distinct-count sketch: %s", what);
	if (rd->err != NULL)
		rd->err->offset = (size_t)(rd->p - rd->start);
	return RTA_EDATA;
}

static int
get_varint(struct reader *rd, uint64_t *v, const char *what)
{
	uint64_t x = 0;
	unsigned shift = 0, c;

	for (;;) {
		if (rd->p == rd->end)
			return bad(rd, what);
		c = *rd->p++;
		if (shift == 63 && c > 1)
			return bad(rd, "varint too large");
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
	}
	if (c == 0 && shift > 0)
		return bad(rd, "varint with a redundant zero byte");
	*v = x;
	return RTA_OK;
}

static int
decode_sparse(struct rta_hll *h, struct reader *rd)
{
	uint64_t n, v, idx, prev = 0;
	uint32_t k;
	int rc;

	if ((rc = get_varint(rd, &n, "truncated entry count")) != RTA_OK)
		return rc;
	if (n > RTA_HLL_SPARSE_MAX(h->p))
		return bad(rd, "more sparse entries than the precision "
		    "allows");
	if (n > (uint64_t)(rd->end - rd->p))
		return bad(rd, "truncated sparse entries");
	if (h->count < n)
		return bad(rd, "fewer values added than entries");
	if (n == 0)
		return RTA_OK;
	if ((h->sp = rta_reallocarray(NULL, (size_t)n, sizeof(*h->sp))) ==
	    NULL)
		return rta_error_set(rd->err, RTA_ENOMEM, "no-memory",
		    "out of memory decoding a distinct-count sketch");
	h->spcap = (uint32_t)n;
	for (k = 0; k < n; k++) {
		if ((rc = get_varint(rd, &v, "truncated sparse entry")) !=
		    RTA_OK)
			return rc;
		if ((v & 63) == 0 || (v & 63) > SP_RANK_MAX)
			return bad(rd, "sparse rank out of range");
		idx = (k == 0 ? 0 : prev + 1) + (v >> 6);
		if (v >> 6 >= 1U << SP_BITS || idx >= 1U << SP_BITS)
			return bad(rd, "sparse index out of range");
		h->sp[k] = (uint32_t)(idx << 6 | (v & 63));
		prev = idx;
	}
	h->nsp = (uint32_t)n;
	return RTA_OK;
}

static int
decode_dense(struct rta_hll *h, struct reader *rd)
{
	uint32_t m = 1U << h->p, i, k, nz = 0;
	unsigned max = 65 - h->p;
	const unsigned char *b;
	uint8_t *r;

	if ((size_t)(rd->end - rd->p) < (size_t)m / 4 * 3)
		return bad(rd, "truncated registers");
	if (h->count <= RTA_HLL_SPARSE_MAX(h->p))
		return bad(rd, "dense with too few values added");
	if ((h->reg = rta_malloc(m)) == NULL)
		return rta_error_set(rd->err, RTA_ENOMEM, "no-memory",
		    "out of memory decoding a distinct-count sketch");
	for (i = 0, b = rd->p, r = h->reg; i < m; i += 4, b += 3, r += 4) {
		r[0] = b[0] & 63;
		r[1] = (uint8_t)((b[0] >> 6 | b[1] << 2) & 63);
		r[2] = (uint8_t)((b[1] >> 4 | b[2] << 4) & 63);
		r[3] = b[2] >> 2;
		for (k = 0; k < 4; k++) {
			if (r[k] > max)
				return bad(rd, "register out of range");
			nz |= r[k];
		}
	}
	rd->p = b;
	if (nz == 0)
		return bad(rd, "dense with every register empty");
	return RTA_OK;
}

int
rta_hll_decode(struct rta_hll *h, const void *p, size_t len,
    struct rta_error *err)
{
	struct reader rd;
	const unsigned char *b = p;
	int rc;

	(void)rta_hll_init(h, RTA_HLL_P_DEFAULT);
	rd.start = rd.p = b;
	rd.end = b + len;
	rd.err = err;
	if (len < 4)
		return bad(&rd, "truncated header");
	if (b[0] != 'H')
		return bad(&rd, "not a distinct-count sketch");
	if (b[1] != 1)
		return bad(&rd, "unknown version");
	if (b[2] < RTA_HLL_P_MIN || b[2] > RTA_HLL_P_MAX)
		return bad(&rd, "precision out of range");
	if (b[3] != FORM_SPARSE && b[3] != FORM_DENSE)
		return bad(&rd, "unknown form");
	h->p = b[2];
	rd.p += 4;
	if ((rc = get_varint(&rd, &h->count, "truncated count")) != RTA_OK)
		goto fail;
	if (b[3] == FORM_SPARSE)
		rc = decode_sparse(h, &rd);
	else
		rc = decode_dense(h, &rd);
	if (rc == RTA_OK && rd.p != rd.end)
		rc = bad(&rd, "trailing bytes");
	if (rc == RTA_OK)
		return RTA_OK;
fail:
	rta_hll_release(h);
	return rc;
}
