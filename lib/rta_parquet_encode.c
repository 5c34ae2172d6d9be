/*
 * rta_parquet_encode.c: a full row group of rta_parquet's writer made
 * into a job: its page bodies (dictionary pages, then data pages of
 * definition levels and values) encoded back to back into the job's
 * arena, and each chunk's statistics gathered, for
 * rta_parquet_output.c to compress and write.
 *
 * When the row group is full the final test picks a string chunk's
 * encoding: distinct values at most half the chunk's values (its
 * non-null rows: a half-null column of distinct values gains nothing
 * from a dictionary).  A chunk of integers or doubles gets the same test
 * (num_dict); without a dictionary integers are DELTA_BINARY_PACKED, as
 * timestamps always are, and doubles BYTE_STREAM_SPLIT: zstd
 * decompresses a few bits of delta, or byte streams of which the sign
 * and exponent ones repeat, much faster than 8 PLAIN bytes a value, and
 * they are smaller.  The encodings themselves are rta_pqenc's.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_parquet.h"
#include "rta_parquet_write_int.h"
#include "rta_pqenc.h"

/* ---- encoding a row group ----------------------------------------------- */

/* Byte-array bounds while a chunk is encoded: into its buffers. */
struct sstat {
	int			 has;
	const unsigned char	*min, *max;
	size_t			 minlen, maxlen;
};

static int
scratch_reserve(struct rta_pq_writer *w, size_t n)
{
	uint32_t *s;

	if (n <= w->scratchcap)
		return 0;
	if ((s = rta_reallocarray(w->scratch, n, sizeof(*s))) == NULL)
		return -1;
	w->scratch = s;
	w->scratchcap = n;
	return 0;
}

/*
 * The body from off to the arena's end is a page of column col: record
 * it.  nvalues is its num_values (nulls included) or, for a dictionary
 * page, the entries.
 */
static int
add_page(struct rta_pq_writer *w, struct job *j, size_t col, int type,
    size_t nvalues, int enc, size_t off, struct rta_error *err)
{
	struct page *p;
	size_t len = j->arena.len - off, bound;

	if (len > RTA_PQ_PAGE_MAX || nvalues > INT32_MAX)
		return rta_pqw_die(w, err, RTA_ELIMIT, "too-big",
		    "a page beyond what Parquet can hold");
	if (j->npages == j->pagecap) {
		size_t nc = j->pagecap ? j->pagecap * 2 : 64;

		if ((p = rta_reallocarray(j->pages, nc, sizeof(*p))) == NULL)
			return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		j->pages = p;
		j->pagecap = nc;
	}
	bound = w->level != 0 ? ZSTD_compressBound(len) : 0;
	p = &j->pages[j->npages++];
	p->off = off;
	p->len = len;
	p->zoff = j->zneed;
	p->zlen = len;
	p->col = col;
	p->nvalues = (uint32_t)nvalues;
	p->type = type;
	p->enc = enc;
	j->zneed += bound;
	return RTA_OK;
}

/* Append the definition levels of rows [r0, r1) with their length. */
static int
put_levels(struct rta_pq_writer *w, struct rta_buf *a, const struct col *c,
    size_t r0, size_t r1, size_t nn)
{
	const unsigned char *v = c->valid + r0;
	size_t n = r1 - r0, i;
	unsigned char *p, *q;

	if (rta_buf_reserve(a, 4 + rta_enc_rle_bound(n, 1)) != 0)
		return -1;
	p = a->data + a->len;
	if (nn == n || nn == 0)
		q = rta_enc_rle_run(p + 4, nn == n, n, 1);
	else {
		if (scratch_reserve(w, n) != 0)
			return -1;
		for (i = 0; i < n; i++)
			w->scratch[i] = v[i];
		q = rta_enc_rle(p + 4, w->scratch, n, 1);
	}
	rta_put_u32(p, (uint32_t)(q - p - 4));
	a->len += (size_t)(q - p);
	return 0;
}

static void
stats_num(struct chunk *ck, enum rta_pq_type type, const unsigned char *v,
    size_t n)
{
	size_t i;

	if (n == 0)
		return;
	if (type == RTA_PQ_DOUBLE) {
		double d, lo = ck->dmin, hi = ck->dmax;
		int has = ck->has_minmax;

		for (i = 0; i < n; i++) {
			memcpy(&d, v + 8 * i, 8);
			if (isnan(d)) {
				ck->nans++;
				continue;
			}
			if (!has) {
				lo = hi = d;
				has = 1;
			}
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		ck->dmin = lo;
		ck->dmax = hi;
		ck->has_minmax = has;
	} else if (type == RTA_PQ_BOOL) {
		int64_t lo = 1, hi = 0;

		if (ck->has_minmax) {
			lo = ck->imin;
			hi = ck->imax;
		}
		for (i = 0; i < n; i++) {
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
		ck->imin = lo;
		ck->imax = hi;
		ck->has_minmax = 1;
	} else {
		int64_t x, lo, hi;

		memcpy(&x, v, 8);
		lo = hi = x;
		if (ck->has_minmax) {
			lo = ck->imin;
			hi = ck->imax;
		}
		for (i = 0; i < n; i++) {
			memcpy(&x, v + 8 * i, 8);
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
		}
		ck->imin = lo;
		ck->imax = hi;
		ck->has_minmax = 1;
	}
}

/* Fold one byte-array value into the chunk's min and max. */
static void
stats_bytes(struct sstat *s, const unsigned char *p, size_t len)
{
	int cmp;

	if (!s->has) {
		s->min = s->max = p;
		s->minlen = s->maxlen = len;
		s->has = 1;
		return;
	}
	cmp = memcmp(p, s->min, len < s->minlen ? len : s->minlen);
	if (cmp < 0 || (cmp == 0 && len < s->minlen)) {
		s->min = p;
		s->minlen = len;
	}
	cmp = memcmp(p, s->max, len < s->maxlen ? len : s->maxlen);
	if (cmp > 0 || (cmp == 0 && len > s->maxlen)) {
		s->max = p;
		s->maxlen = len;
	}
}

/*
 * The end of the page that starts at row r and value v: rows [r, *r1),
 * values [v, *v1), and for PLAIN byte arrays the end *o1 of its bytes
 * from o.  A page ends once its values reach page_bytes (vsize bytes
 * each, or their PLAIN size for byte arrays), or at page_bytes × 8 rows,
 * which bounds its definition levels.
 */
static void
page_end(const struct rta_pq_writer *w, const struct col *c, double vsize,
    size_t rows, size_t r, size_t v, size_t o, size_t *r1, size_t *v1,
    size_t *o1)
{
	size_t maxrows = w->page_bytes * 8, limit, n, len, k;
	const unsigned char *valid = c->optional ? c->valid : NULL;
	uint32_t l;

	if (rows - r < maxrows)
		maxrows = rows - r;
	if (c->bytes && !c->dict) {
		for (n = 0, len = 0; n < maxrows && len < w->page_bytes; n++) {
			if (valid != NULL && !valid[r + n])
				continue;
			memcpy(&l, c->vals.data + o + len, 4);
			len += 4 + (size_t)l;
			v++;
		}
		*r1 = r + n;
		*v1 = v;
		*o1 = o + len;
		return;
	}
	limit = (size_t)((double)w->page_bytes / vsize);
	if ((double)limit * vsize < (double)w->page_bytes)
		limit++;
	if (valid == NULL) {
		n = limit < maxrows ? limit : maxrows;
		*r1 = r + n;
		*v1 = v + n;
	} else {
		for (n = 0, k = 0; n < maxrows && k < limit; n++)
			k += valid[r + n];
		*r1 = r + n;
		*v1 = v + k;
	}
	*o1 = o;
}

/* Append PLAIN byte arrays [o, o1) of n values, folding their bounds. */
static int
put_plain(struct rta_buf *a, struct sstat *s, const unsigned char *p,
    size_t len, size_t n)
{
	const unsigned char *q = p;
	uint32_t l;
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(&l, q, 4);
		stats_bytes(s, q + 4, l);
		q += 4 + (size_t)l;
	}
	return rta_buf_add(a, p, len);
}

static int
encode_dict(struct rta_pq_writer *w, struct job *j, size_t ci,
    struct sstat *s, struct rta_error *err)
{
	struct col *c = &w->cols[ci];
	size_t i, off = j->arena.len;
	uint32_t l;

	for (i = 0; i < c->ndict; i++) {
		memcpy(&l, c->dbody.data + c->doff[i], 4);
		stats_bytes(s, c->dbody.data + c->doff[i] + 4, l);
	}
	if (rta_buf_add(&j->arena, c->dbody.data, c->dbody.len) != 0)
		return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
		    "out of memory");
	j->chunks[ci].dict = 1;
	return add_page(w, j, ci, PAGE_DICTIONARY, c->ndict, ENC_PLAIN, off,
	    err);
}

/*
 * A dictionary for the chunk of a numeric column, as DuckDB makes one:
 * when its distinct values (by their bits: -0.0 and each NaN are their
 * own) are at most half of its values and their PLAIN bytes fit
 * dict_max.  The entries go to c->dbody and c->ndict, an index a value
 * to c->alt.  0 when made, 1 when not worth it, -1 out of memory.  The
 * table is sized once for the most entries allowed, at most half full;
 * its hash is seeded, as the values come from the input.
 */
static int
num_dict(struct rta_pq_writer *w, struct col *c)
{
	size_t n = c->nvals, limit = n / 2, ns = 64, i, h;
	const unsigned char *v = c->vals.data;
	uint64_t x, z, e, *s;
	uint32_t *idx, k;

	if (limit > w->dict_max / 8)
		limit = w->dict_max / 8;
	if (limit == 0)
		return 1;
	while (ns < 2 * limit)
		ns *= 2;
	if (ns > c->nslots) {
		rta_free(c->slots);
		c->nslots = 0;
		if ((c->slots = rta_calloc(ns, sizeof(*c->slots))) == NULL)
			return -1;
		c->nslots = ns;
	} else
		memset(c->slots, 0, ns * sizeof(*c->slots));
	rta_buf_reset(&c->dbody);
	rta_buf_reset(&c->alt);
	if (rta_buf_reserve(&c->alt, 4 * n) != 0 ||
	    rta_buf_reserve(&c->dbody, 8 * limit) != 0)
		return -1;
	s = c->slots;
	idx = (uint32_t *)(void *)c->alt.data;
	c->ndict = 0;
	for (i = 0; i < n; i++) {
		memcpy(&x, v + 8 * i, 8);
		z = x ^ w->seed;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		h = (size_t)(z ^ (z >> 31)) & (ns - 1);
		for (;;) {
			if (s[h] == 0) {
				if (c->ndict == limit)
					return 1;
				k = (uint32_t)c->ndict++;
				memcpy(c->dbody.data + 8 * (size_t)k, &x, 8);
				s[h] = (uint64_t)k + 1;
				break;
			}
			k = (uint32_t)(s[h] - 1);
			memcpy(&e, c->dbody.data + 8 * (size_t)k, 8);
			if (e == x)
				break;
			h = (h + 1) & (ns - 1);
		}
		idx[i] = k;
	}
	c->dbody.len = 8 * c->ndict;
	c->alt.len = 4 * n;
	return 0;
}

/* Encode column ci's chunk of the row group into job j. */
int
rta_pqw_encode_chunk(struct rta_pq_writer *w, struct job *j, size_t ci,
    struct rta_error *err)
{
	struct col *c = &w->cols[ci];
	struct chunk *ck = &j->chunks[ci];
	struct sstat s = { 0, NULL, NULL, 0, 0 };
	size_t rows = j->rows, r = 0, v = 0, o = 0, r1, v1, o1, off, nn;
	unsigned bw = 0;
	double vsize = 8;
	int rc, enc = ENC_PLAIN, numdict = 0;
	struct rta_buf *a = &j->arena;

	memset(ck, 0, sizeof(*ck));
	ck->nulls = rows - c->nvals;
	if (c->bytes && c->dict && (c->nvals == 0 || c->ndict > c->nvals / 2))
		if (rta_pqw_dict_expand(c) != 0)
			return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
	if (c->bytes && c->dict) {
		if ((rc = encode_dict(w, j, ci, &s, err)) != RTA_OK)
			return rc;
		bw = rta_bit_width((uint32_t)(c->ndict - 1));
		enc = ENC_RLE_DICTIONARY;
		vsize = (bw == 0 ? 1.0 : bw) / 8;
	} else if (c->type == RTA_PQ_BOOL)
		vsize = 1.0 / 8;
	else if (!c->bytes && c->type != RTA_PQ_TIMESTAMP &&
	    (rc = num_dict(w, c)) <= 0) {
		/* few distinct numbers: a dictionary page of them */
		if (rc < 0)
			return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		off = a->len;
		if (rta_enc_words(a, c->dbody.data, c->ndict) != 0)
			return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		ck->dict = 1;
		if ((rc = add_page(w, j, ci, PAGE_DICTIONARY, c->ndict,
		    ENC_PLAIN, off, err)) != RTA_OK)
			return rc;
		numdict = 1;
		bw = rta_bit_width((uint32_t)(c->ndict - 1));
		enc = ENC_RLE_DICTIONARY;
		vsize = (bw == 0 ? 1.0 : bw) / 8;
	} else if (c->type == RTA_PQ_DOUBLE)
		enc = ENC_BYTE_STREAM_SPLIT;
	else if (!c->bytes)
		enc = ENC_DELTA_BINARY_PACKED;
	ck->encs = 1U << enc;
	if (c->optional)
		ck->encs |= 1U << ENC_RLE;
	if (enc == ENC_RLE_DICTIONARY)
		ck->encs |= 1U << ENC_PLAIN;
	do {
		page_end(w, c, vsize, rows, r, v, o, &r1, &v1, &o1);
		nn = v1 - v;
		off = a->len;
		rc = 0;
		if (c->optional)
			rc = put_levels(w, a, c, r, r1, nn);
		if (rc != 0)
			;
		else if (c->bytes && c->dict)
			rc = rta_enc_indices(a, c->vals.data + 4 * v, nn, bw);
		else if (c->bytes)
			rc = put_plain(a, &s, c->vals.data + o, o1 - o, nn);
		else if (c->type == RTA_PQ_BOOL) {
			stats_num(ck, c->type, c->vals.data + v, nn);
			rc = rta_enc_bools(a, c->vals.data + v, nn);
		} else if (numdict) {
			stats_num(ck, c->type, c->vals.data + 8 * v, nn);
			rc = rta_enc_indices(a, c->alt.data + 4 * v, nn, bw);
		} else {
			stats_num(ck, c->type, c->vals.data + 8 * v, nn);
			rc = enc == ENC_BYTE_STREAM_SPLIT ?
			    rta_enc_split(a, c->vals.data + 8 * v, nn) :
			    rta_enc_delta(a, c->vals.data + 8 * v, nn);
		}
		if (rc != 0)
			return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if ((rc = add_page(w, j, ci, PAGE_DATA, r1 - r, enc, off,
		    err)) != RTA_OK)
			return rc;
		r = r1;
		v = v1;
		o = o1;
	} while (r < rows);
	if (c->type == RTA_PQ_DOUBLE && ck->has_minmax) {
		/* -0.0 and +0.0 compare equal: widen a zero bound. */
		if (ck->dmin == 0)
			ck->dmin = -0.0;
		if (ck->dmax == 0)
			ck->dmax = 0.0;
	}
	if (s.has && s.minlen <= RTA_PQ_STAT_MAX &&
	    s.maxlen <= RTA_PQ_STAT_MAX) {
		ck->has_minmax = 1;
		memcpy(ck->smin, s.min, s.minlen);
		memcpy(ck->smax, s.max, s.maxlen);
		ck->sminlen = s.minlen;
		ck->smaxlen = s.maxlen;
	}
	return RTA_OK;
}

