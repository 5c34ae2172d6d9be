/*
 * rta_cols.h: a sealed block's aggregate records as columns.
 *
 * A dashboard's query rolls one tenant's one-minute aggregates up into
 * buckets: of each record it needs the window's start and end, the
 * group's values and the states' numbers, a few dozen bytes of the
 * record's four hundred.  `rta-store compact` therefore writes after
 * each block of an aggregate dataset's segment whose records are all of
 * one shape (the same window type, the same group members and states in
 * the same order, every state of a kind that holds only numbers: count,
 * sum, min, max, moments) those parts again as columns, and a query
 * that asks for no more reads them instead of the records
 * (rta_scan_cols).  The records stay what the store holds: the columns
 * are made from them, `rta-store fsck` makes them again and compares,
 * and a block whose records do not fit gets none.
 *
 * A column body, little-endian, stored as it is (its integers are
 * already small; reading it costs a checksum, not a decompression):
 *
 *	u32 records n
 *	u32 length, the window type (the records' event_type)
 *	u32 length, the first record's payload (the template: its group and
 *	    states objects name the members below, in their order)
 *	u32 group members g, u32 states s
 *	s bytes: each state's kind (enum rta_agg_kind: count, sum, min,
 *	    max or stddev; sum serves avg too)
 *	column: each record's event time (its window's start)
 *	column: each record's window end
 *	per group member: u32 distinct values d, d times (u32 length, the
 *	    encoded value), then a column: each record's value, by index
 *	per state: a column of counts; for sum, min and max a column of
 *	    is_int and one of values (the integer, or the binary64's bits);
 *	    for stddev columns of mean and m2 (binary64 bits)
 *
 * A column holds n 64-bit integers as a frame of reference: u8 width
 * (0, 1, 2, 4 or 8), i64 base, u64 step, then n unsigned numbers of
 * width bytes each; record i's integer is base + number i x step (in
 * 64-bit two's complement), so that times a minute apart and small
 * counts take a byte, and a column of one value none.
 */
#ifndef RTA_COLS_H
#define RTA_COLS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rta_agg.h"
#include "rta_buf.h"
#include "rta_err.h"

/* Most records a column body may hold: a block's, of RTA_SEG_BLOCK_MAX
 * bytes of the least frames (a header and an event's fixed fields). */
#define RTA_COLS_MAX_RECORDS	((32U << 20) / 32)

struct rta_cols_int {
	const unsigned char	*p;
	unsigned		 width;
	uint64_t		 base, step;
};

struct rta_cols_group {
	uint32_t		 nd;
	const unsigned char	**dict;		/* nd encoded values */
	size_t			 first;		/* dict's place in c->dict */
	struct rta_cols_int	 codes;
};

struct rta_cols_state {
	enum rta_agg_kind	 kind;
	struct rta_cols_int	 n, is_int, x, mean, m2;
};

struct rta_cols {
	uint32_t		 n;
	const char		*tenant;	/* set by rta_scan_cols */
	size_t			 tlen;
	const char		*wtype;
	size_t			 wtlen;
	const unsigned char	*tmpl;		/* the first record's payload */
	size_t			 tmpl_len;
	const unsigned char	*group, *states; /* in tmpl */
	uint32_t		 ngroup, nstates;
	struct rta_cols_int	 ts, end;
	struct rta_cols_group	*g;
	struct rta_cols_state	*s;
	/* held between blocks */
	size_t			 gcap, scap, dcap;
	const unsigned char	**dict;
};

void	rta_cols_init(struct rta_cols *c);
void	rta_cols_release(struct rta_cols *c);

/*
 * The column body of the count frames (a block's records, one after
 * another, checked when stored) into out (replaced): 1, or 0 when they
 * are not all aggregate records of one shape whose states load (out is
 * then empty), or -1 (ENOMEM).
 */
int	rta_cols_build(const unsigned char *frames, size_t len, uint32_t count,
	    struct rta_buf *out);

/*
 * Read the column body of len bytes at p (bytes under a checksum the
 * caller verified) into c, which then points into them: every length,
 * value and index checked to lie inside them and the values' shape
 * checked (rta_value_check_shape), so that the accessors below read
 * nothing else.  RTA_OK, RTA_EDATA (err says what), RTA_ENOMEM.
 */
int	rta_cols_parse(struct rta_cols *c, const unsigned char *p, size_t len,
	    struct rta_error *err);

/* Integer i of column c. */
static inline uint64_t
rta_cols_u64(const struct rta_cols_int *c, uint32_t i)
{
	uint64_t d;

	switch (c->width) {
	case 0:
		d = 0;
		break;
	case 1:
		d = c->p[i];
		break;
	case 2:
		d = rta_get_u16(c->p + (size_t)i * 2);
		break;
	case 4:
		d = rta_get_u32(c->p + (size_t)i * 4);
		break;
	default:
		d = rta_get_u64(c->p + (size_t)i * 8);
		break;
	}
	return c->base + d * c->step;
}

/* Integers [i, i + n) of column c into out, a width's loop each. */
static inline void
rta_cols_u64s(const struct rta_cols_int *c, uint32_t i, uint32_t n,
    uint64_t *out)
{
	const unsigned char *p = c->p;
	uint64_t base = c->base, step = c->step;
	uint32_t k;

	switch (c->width) {
	case 0:
		for (k = 0; k < n; k++)
			out[k] = base;
		break;
	case 1:
		p += i;
		for (k = 0; k < n; k++)
			out[k] = base + p[k] * step;
		break;
	case 2:
		for (k = 0; k < n; k++)
			out[k] = base + rta_get_u16(p + ((size_t)i + k) * 2) *
			    step;
		break;
	case 4:
		for (k = 0; k < n; k++)
			out[k] = base + rta_get_u32(p + ((size_t)i + k) * 4) *
			    step;
		break;
	default:
		for (k = 0; k < n; k++)
			out[k] = base + rta_get_u64(p + ((size_t)i + k) * 8) *
			    step;
		break;
	}
}

/* The sum of integers [i, i + n) of column c in 64-bit two's complement,
 * as adding them one by one gives: n x base + step x the numbers' sum. */
static inline uint64_t
rta_cols_sum(const struct rta_cols_int *c, uint32_t i, uint32_t n)
{
	const unsigned char *p = c->p;
	uint64_t t = 0;
	uint32_t k;

	switch (c->width) {
	case 0:
		break;
	case 1:
		p += i;
		for (k = 0; k < n; k++)
			t += p[k];
		break;
	case 2:
		p += (size_t)i * 2;
		for (k = 0; k < n; k++)
			t += rta_get_u16(p + (size_t)k * 2);
		break;
	case 4:
		p += (size_t)i * 4;
		for (k = 0; k < n; k++)
			t += rta_get_u32(p + (size_t)k * 4);
		break;
	default:
		p += (size_t)i * 8;
		for (k = 0; k < n; k++)
			t += rta_get_u64(p + (size_t)k * 8);
		break;
	}
	return c->base * n + c->step * t;
}

static inline int64_t
rta_cols_ts(const struct rta_cols *c, uint32_t i)
{
	return (int64_t)rta_cols_u64(&c->ts, i);
}

static inline int64_t
rta_cols_end(const struct rta_cols *c, uint32_t i)
{
	return (int64_t)rta_cols_u64(&c->end, i);
}

/* Record i's value of group member j (an encoded value). */
static inline const unsigned char *
rta_cols_gval(const struct rta_cols *c, uint32_t j, uint32_t i)
{
	const struct rta_cols_group *g = &c->g[j];

	return g->dict[rta_cols_u64(&g->codes, i)];
}

/*
 * Record i's numbers of state j into accumulator a, as loading the state
 * into it sets them (rta_agg_num_read): a is then what loading it into
 * an empty accumulator gives (a's other members are left as they are).
 */
static inline void
rta_cols_acc(const struct rta_cols *c, uint32_t j, uint32_t i,
    struct rta_agg_acc *a)
{
	const struct rta_cols_state *s = &c->s[j];
	uint64_t v;
	double d;

	a->n = rta_cols_u64(&s->n, i);
	a->is_int = 1;
	a->isum = 0;
	a->sum = a->mean = a->m2 = 0;
	switch (s->kind) {
	case RTA_AGG_SUM:
	case RTA_AGG_MIN:
	case RTA_AGG_MAX:
		a->is_int = rta_cols_u64(&s->is_int, i) != 0;
		v = rta_cols_u64(&s->x, i);
		if (a->is_int) {
			a->isum = (int64_t)v;
			if (s->kind != RTA_AGG_SUM && a->n > 0)
				a->sum = (double)a->isum;
		} else {
			memcpy(&d, &v, 8);
			a->sum = d;
		}
		break;
	case RTA_AGG_STDDEV:
		v = rta_cols_u64(&s->mean, i);
		memcpy(&d, &v, 8);
		a->mean = d;
		v = rta_cols_u64(&s->m2, i);
		memcpy(&d, &v, 8);
		a->m2 = d;
		break;
	default:
		break;
	}
}

#endif
