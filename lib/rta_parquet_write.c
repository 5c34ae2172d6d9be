/*
 * rta_parquet_write.c: the Parquet writer of rta_parquet.h.
 *
 * A row group is buffered whole, one growable array per column: 8-byte
 * values for INT64, TIMESTAMP and DOUBLE, one byte per BOOL, and for
 * byte arrays either their PLAIN encoding (uint32 length, bytes) or, while
 * the chunk still looks dictionary-worthy, a uint32 dictionary index per
 * value.  OPTIONAL columns add one validity byte per row.  Nothing is
 * allocated per value: the arrays double when full and keep their room
 * from one row group to the next.
 *
 * A string chunk starts as a dictionary (an open-addressing table over
 * the entries' PLAIN bytes) and falls back to PLAIN for good the moment
 * its distinct values could no longer pass the final test (more than half
 * of row_group_rows, or a dictionary body past dict_max): the indices so
 * far are expanded into PLAIN bytes then.  When the row group is full the
 * final test picks the encoding: distinct values at most half the chunk's
 * values (its non-null rows: a half-null column of distinct values gains
 * nothing from a dictionary).
 *
 * Encoding a chunk is one pass per page over the buffered values: the
 * page's statistics, its definition levels, its values, one zstd frame
 * (one ZSTD_CCtx for the whole file), the Thrift page header.  Pages go
 * out through a 1 MiB buffer and rta_io_write (so RTA_FAULT=io:N reaches
 * them), flushed at the end of every row group: rta_pq_writer_bytes is
 * then the file's length.  The RowGroup footer entry is serialized right
 * after its chunks, so the statistics may point into the column buffers.
 *
 * Invariants of the written file (reference/parquet.md §6.4): a chunk is
 * [dictionary_page_offset or data_page_offset, + total_compressed_size),
 * the next chunk starts where it ends, totals count page headers and the
 * dictionary page, every page's num_values counts its nulls.  Once a write
 * or an encoding step fails the writer is dead and every later call fails.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_hash.h"
#include "rta_io.h"
#include "rta_parquet.h"
#include "rta_version.h"

#define OUT_CAP		(1U << 20)		/* output buffer */
#define VALUE_MAX	(RTA_PQ_PAGE_MAX / 4)	/* longest byte array */
#define PAGE_BYTES_MAX	(RTA_PQ_PAGE_MAX / 8)

/* Thrift compact type nibbles. */
enum {
	T_TRUE = 1, T_FALSE = 2, T_I8 = 3, T_I16 = 4, T_I32 = 5, T_I64 = 6,
	T_BINARY = 8, T_LIST = 9, T_STRUCT = 12
};

/* Parquet enums (parquet.thrift). */
enum {
	PT_BOOLEAN = 0, PT_INT64 = 2, PT_DOUBLE = 5, PT_BYTE_ARRAY = 6
};
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };
enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { CODEC_UNCOMPRESSED = 0, CODEC_ZSTD = 6 };
enum {
	CT_UTF8 = 0, CT_TIMESTAMP_MICROS = 10, CT_INT_64 = 18, CT_JSON = 19
};

/* What the footer needs of a written chunk. */
struct chunk {
	uint64_t		 unc, comp;	/* totals, headers included */
	uint64_t		 data_off, dict_off;
	int			 dict;		/* a dictionary page exists */
	uint64_t		 nulls, nans;
	int			 has_minmax;
	int64_t			 imin, imax;
	double			 dmin, dmax;
	const unsigned char	*smin, *smax;	/* into the column's buffers */
	size_t			 sminlen, smaxlen;
};

struct col {
	char			*name;
	size_t			 namelen;
	enum rta_pq_type	 type;
	int			 optional;
	int			 bytes;		/* STRING, JSON or BINARY */

	/* The row being added. */
	int			 set;		/* a value was given */
	size_t			 mark;		/* vals.len before it */
	int			 too_big;	/* a value past VALUE_MAX */

	/* The row group being buffered. */
	struct rta_buf		 valid;		/* OPTIONAL: a byte per row */
	struct rta_buf		 vals;		/* see the file comment */
	size_t			 nvals;		/* non-null values */

	/* The dictionary of a byte-array chunk. */
	int			 dict;		/* vals holds indices */
	struct rta_buf		 dbody;		/* PLAIN entries */
	uint32_t		*doff;		/* entry i at dbody + doff[i] */
	size_t			 ndict, doffcap;
	uint64_t		*slots;		/* hash high 32 | index + 1 */
	size_t			 nslots;	/* a power of two, or 0 */
	struct rta_buf		 alt;		/* scratch for the fallback */

	struct chunk		 ck;
};

struct tw {
	struct rta_buf	*b;
	int		 fail;
	int		 depth;
	int		 last[16];
};

struct rta_pq_writer {
	int			 fd;
	struct col		*cols;
	size_t			 ncols;
	uint64_t		 rg_rows_max;
	size_t			 page_bytes;
	int			 level;
	size_t			 dict_max;
	char			*created_by;
	struct rta_pq_kv	*kv;
	size_t			 nkv;
	uint64_t		 seed;

	uint64_t		 rows;		/* in the file */
	uint64_t		 rg_rows;	/* in the group being buffered */
	uint64_t		 nrg;
	uint64_t		 pos;		/* file offset of the next byte */
	uint64_t		 written;	/* bytes handed to fd */
	int			 misuse;	/* a call broke the API */
	int			 dead;		/* RTA_* code, once failed */
	int			 finished;

	ZSTD_CCtx		*cc;
	unsigned char		*out;
	size_t			 outlen;
	struct rta_buf		 page;		/* a page body */
	struct rta_buf		 z;		/* its zstd frame */
	struct rta_buf		 hdr;		/* its header */
	uint32_t		*scratch;	/* def levels as uint32 */
	size_t			 scratchcap;
	struct rta_buf		 rgs;		/* serialized RowGroups */
};

const char *
rta_pq_type_name(enum rta_pq_type t)
{
	switch (t) {
	case RTA_PQ_BOOL:
		return "bool";
	case RTA_PQ_INT64:
		return "int64";
	case RTA_PQ_DOUBLE:
		return "double";
	case RTA_PQ_TIMESTAMP:
		return "timestamp";
	case RTA_PQ_STRING:
		return "string";
	case RTA_PQ_JSON:
		return "json";
	case RTA_PQ_BINARY:
		return "binary";
	}
	return "unknown";
}

void
rta_pq_writer_opts_init(struct rta_pq_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->row_group_rows = 1048576;
	o->page_bytes = 1U << 20;
	o->level = 3;
	o->dict_max = 1U << 20;
}

/* ---- Thrift compact ----------------------------------------------------- */

static void
tw_init(struct tw *t, struct rta_buf *b)
{
	t->b = b;
	t->fail = 0;
	t->depth = 0;
	t->last[0] = 0;
}

static void
tw_raw(struct tw *t, const void *p, size_t n)
{
	if (rta_buf_add(t->b, p, n) != 0)
		t->fail = 1;
}

static void
tw_byte(struct tw *t, unsigned c)
{
	if (rta_buf_addc(t->b, (int)(c & 0xff)) != 0)
		t->fail = 1;
}

static void
tw_uleb(struct tw *t, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	tw_raw(t, b, n);
}

static void
tw_zigzag(struct tw *t, int64_t v)
{
	tw_uleb(t, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void
tw_field(struct tw *t, int type, int id)
{
	int delta = id - t->last[t->depth];

	if (delta > 0 && delta <= 15)
		tw_byte(t, (unsigned)(delta << 4 | type));
	else {
		tw_byte(t, (unsigned)type);
		tw_zigzag(t, id);
	}
	t->last[t->depth] = id;
}

static void
tw_i32(struct tw *t, int id, int32_t v)
{
	tw_field(t, T_I32, id);
	tw_zigzag(t, v);
}

static void
tw_i64(struct tw *t, int id, int64_t v)
{
	tw_field(t, T_I64, id);
	tw_zigzag(t, v);
}

static void
tw_bool(struct tw *t, int id, int v)
{
	tw_field(t, v ? T_TRUE : T_FALSE, id);
}

static void
tw_bin(struct tw *t, int id, const void *p, size_t n)
{
	tw_field(t, T_BINARY, id);
	tw_uleb(t, n);
	tw_raw(t, p, n);
}

/* Enter a struct: as field id, or (id 0) as a list element. */
static void
tw_begin(struct tw *t, int id)
{
	if (id > 0)
		tw_field(t, T_STRUCT, id);
	assert(t->depth + 1 < (int)(sizeof(t->last) / sizeof(t->last[0])));
	t->last[++t->depth] = 0;
}

static void
tw_end(struct tw *t)
{
	tw_byte(t, 0);
	assert(t->depth > 0);
	t->depth--;
}

/* A struct with no fields, as field id. */
static void
tw_empty(struct tw *t, int id)
{
	tw_begin(t, id);
	tw_end(t);
}

static void
tw_list(struct tw *t, int id, int elem, size_t n)
{
	tw_field(t, T_LIST, id);
	if (n < 15)
		tw_byte(t, (unsigned)(n << 4 | (size_t)elem));
	else {
		tw_byte(t, 0xf0U | (unsigned)elem);
		tw_uleb(t, n);
	}
}

/* ---- RLE / bit-packed hybrid -------------------------------------------- */

static unsigned
bit_width(uint32_t max)
{
	unsigned w = 0;

	while (max != 0) {
		w++;
		max >>= 1;
	}
	return w;
}

static unsigned char *
put_uleb(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* Bit-pack v[0 .. n) (n ≤ 8 × groups, zero-padded) in width w. */
static unsigned char *
pack_run(unsigned char *p, const uint32_t *v, size_t n, unsigned w)
{
	size_t i, groups = (n + 7) / 8;
	uint64_t acc;
	unsigned nb, k;

	p = put_uleb(p, (uint64_t)groups << 1 | 1);
	for (i = 0; i < groups * 8; i += 8) {
		acc = 0;
		nb = 0;
		for (k = 0; k < 8; k++) {
			if (i + k < n)
				acc |= (uint64_t)v[i + k] << nb;
			nb += w;
			while (nb >= 8) {
				*p++ = (unsigned char)acc;
				acc >>= 8;
				nb -= 8;
			}
		}
	}
	return p;
}

static unsigned char *
rle_run(unsigned char *p, uint32_t v, size_t n, unsigned w)
{
	unsigned k;

	p = put_uleb(p, (uint64_t)n << 1);
	for (k = 0; k < w; k += 8)
		*p++ = (unsigned char)(v >> k);
	return p;
}

/* The most bytes rle_encode writes for n values of width w. */
static size_t
rle_bound(size_t n, unsigned w)
{
	return (n / 8 + 2) * (w + 2 * 10) + 16;
}

/*
 * Encode v[0 .. n) in width w: runs of 8 or more equal values as RLE
 * runs, the rest bit-packed.  A bit-packed run must hold whole groups of
 * 8 except at the very end, so a pending run takes the first values of
 * an equal run to fill its last group; what is left of the equal run is
 * RLE if still 8 or more.  Returns the end of the output.
 */
static unsigned char *
rle_encode(unsigned char *p, const uint32_t *v, size_t n, unsigned w)
{
	size_t i = 0, ps = 0, j, run, fill;

	while (i < n) {
		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		run = j - i;
		if (run >= 8) {
			fill = (8 - (i - ps) % 8) % 8;
			if (run - fill >= 8) {
				if (i + fill > ps)
					p = pack_run(p, v + ps, i + fill - ps,
					    w);
				p = rle_run(p, v[i], run - fill, w);
				ps = j;
			}
		}
		i = j;
	}
	if (n > ps)
		p = pack_run(p, v + ps, n - ps, w);
	return p;
}

/* ---- output ------------------------------------------------------------- */

static int
out_flush(struct rta_pq_writer *w)
{
	if (w->outlen == 0)
		return 0;
	if (rta_io_write(w->fd, w->out, w->outlen) != 0)
		return -1;
	w->written += w->outlen;
	w->outlen = 0;
	return 0;
}

static int
out_add(struct rta_pq_writer *w, const void *p, size_t n)
{
	if (n > OUT_CAP - w->outlen) {
		if (out_flush(w) != 0)
			return -1;
		if (n >= OUT_CAP) {
			if (rta_io_write(w->fd, p, n) != 0)
				return -1;
			w->written += n;
			w->pos += n;
			return 0;
		}
	}
	memcpy(w->out + w->outlen, p, n);
	w->outlen += n;
	w->pos += n;
	return 0;
}

/* Kill the writer with code, and return it. */
static int
die(struct rta_pq_writer *w, struct rta_error *err, int code,
    const char *reason, const char *what)
{
	int e = errno;

	w->dead = code;
	if (code == RTA_EIO) {
		errno = e;
		return rta_error_errno(err, what);
	}
	return rta_error_set(err, code, reason, "%s", what);
}

/* ---- buffering values --------------------------------------------------- */

static struct col *
col_get(struct rta_pq_writer *w, size_t col, int kind)
{
	struct col *c;
	int ok;

	if (w->dead || w->finished || col >= w->ncols) {
		w->misuse = 1;
		return NULL;
	}
	c = &w->cols[col];
	switch (c->type) {
	case RTA_PQ_BOOL:
	case RTA_PQ_DOUBLE:
		ok = kind == (int)c->type;
		break;
	case RTA_PQ_INT64:
	case RTA_PQ_TIMESTAMP:
		ok = kind == RTA_PQ_INT64;
		break;
	default:
		ok = kind == RTA_PQ_BINARY;
		break;
	}
	if (!ok) {
		w->misuse = 1;
		return NULL;
	}
	return c;
}

/* Take back the value given in this row. */
static void
unset(struct col *c)
{
	if (!c->set)
		return;
	c->vals.len = c->mark;
	c->nvals--;
	c->set = 0;
}

static int
put_fixed(struct rta_pq_writer *w, size_t col, int kind, const void *v,
    size_t n)
{
	struct col *c;

	if ((c = col_get(w, col, kind)) == NULL)
		return -1;
	unset(c);
	if (rta_buf_reserve(&c->vals, n) != 0)
		return -1;
	c->mark = c->vals.len;
	memcpy(c->vals.data + c->vals.len, v, n);
	c->vals.len += n;
	c->nvals++;
	c->set = 1;
	return 0;
}

int
rta_pq_bool(struct rta_pq_writer *w, size_t col, int v)
{
	unsigned char b = v != 0;

	return put_fixed(w, col, RTA_PQ_BOOL, &b, 1);
}

int
rta_pq_int64(struct rta_pq_writer *w, size_t col, int64_t v)
{
	return put_fixed(w, col, RTA_PQ_INT64, &v, 8);
}

int
rta_pq_double(struct rta_pq_writer *w, size_t col, double v)
{
	return put_fixed(w, col, RTA_PQ_DOUBLE, &v, 8);
}

int
rta_pq_null(struct rta_pq_writer *w, size_t col)
{
	if (w->dead || w->finished || col >= w->ncols) {
		w->misuse = 1;
		return -1;
	}
	unset(&w->cols[col]);
	w->cols[col].too_big = 0;
	return 0;
}

/* Replace the indices in c->vals with the PLAIN bytes of their entries. */
static int
dict_expand(struct col *c)
{
	const unsigned char *idx = c->vals.data;
	size_t i, n = c->vals.len / 4, need;
	uint32_t k, len;
	struct rta_buf t;

	need = c->dbody.len;	/* a rough first size */
	rta_buf_reset(&c->alt);
	if (rta_buf_reserve(&c->alt, need) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&k, idx + 4 * i, 4);
		memcpy(&len, c->dbody.data + c->doff[k], 4);
		if (rta_buf_add(&c->alt, c->dbody.data + c->doff[k],
		    4 + (size_t)len) != 0)
			return -1;
	}
	t = c->vals;
	c->vals = c->alt;
	c->alt = t;
	c->dict = 0;
	return 0;
}

static int
dict_grow(struct col *c, uint64_t seed)
{
	size_t n = c->nslots ? c->nslots * 2 : 64, i, h;
	uint64_t *s, hv;
	uint32_t len;

	if ((s = rta_calloc(n, sizeof(*s))) == NULL)
		return -1;
	for (i = 0; i < c->ndict; i++) {
		memcpy(&len, c->dbody.data + c->doff[i], 4);
		hv = rta_hash64(c->dbody.data + c->doff[i] + 4, len, seed);
		h = (size_t)hv & (n - 1);
		while (s[h] != 0)
			h = (h + 1) & (n - 1);
		s[h] = (hv >> 32) << 32 | (uint64_t)(i + 1);
	}
	rta_free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

/*
 * The index of p in c's dictionary, adding it if new: 0 with *k set, 1
 * when the dictionary must be given up (the entry would break a limit),
 * -1 when out of memory.
 */
static int
dict_find(struct rta_pq_writer *w, struct col *c, const void *p,
    uint32_t len, uint32_t *k)
{
	uint64_t hv = rta_hash64(p, len, w->seed), tag = hv >> 32 << 32, s;
	size_t h, i;
	uint32_t l, u32;

	if (c->nslots == 0 && dict_grow(c, w->seed) != 0)
		return -1;
	h = (size_t)hv & (c->nslots - 1);
	while ((s = c->slots[h]) != 0) {
		if ((s & 0xffffffff00000000ULL) == tag) {
			i = (size_t)(s & 0xffffffffU) - 1;
			memcpy(&l, c->dbody.data + c->doff[i], 4);
			if (l == len && memcmp(c->dbody.data + c->doff[i] + 4,
			    p, len) == 0) {
				*k = (uint32_t)i;
				return 0;
			}
		}
		h = (h + 1) & (c->nslots - 1);
	}
	if (c->ndict + 1 > w->rg_rows_max / 2 ||
	    4 + (size_t)len > w->dict_max - c->dbody.len)
		return 1;
	if (c->ndict == c->doffcap) {
		size_t nc = c->doffcap ? c->doffcap * 2 : 64;
		uint32_t *d = rta_reallocarray(c->doff, nc, sizeof(*d));

		if (d == NULL)
			return -1;
		c->doff = d;
		c->doffcap = nc;
	}
	if (rta_buf_reserve(&c->dbody, 4 + (size_t)len) != 0)
		return -1;
	c->doff[c->ndict] = (uint32_t)c->dbody.len;
	u32 = len;
	memcpy(c->dbody.data + c->dbody.len, &u32, 4);
	memcpy(c->dbody.data + c->dbody.len + 4, p, len);
	c->dbody.len += 4 + (size_t)len;
	c->slots[h] = tag | (uint64_t)(c->ndict + 1);
	*k = (uint32_t)c->ndict++;
	if (c->ndict * 2 > c->nslots && dict_grow(c, w->seed) != 0) {
		/* The entry stays, unused: harmless. */
		return -1;
	}
	return 0;
}

int
rta_pq_bytes(struct rta_pq_writer *w, size_t col, const void *p, size_t len)
{
	struct col *c;
	uint32_t k, l32;
	int r;

	if ((c = col_get(w, col, RTA_PQ_BINARY)) == NULL)
		return -1;
	unset(c);
	c->too_big = 0;
	if (len > VALUE_MAX) {
		c->too_big = 1;
		return 0;
	}
	l32 = (uint32_t)len;
	if (c->dict) {
		if ((r = dict_find(w, c, p, l32, &k)) < 0)
			return -1;
		if (r == 0) {
			if (rta_buf_reserve(&c->vals, 4) != 0)
				return -1;
			c->mark = c->vals.len;
			memcpy(c->vals.data + c->vals.len, &k, 4);
			c->vals.len += 4;
			c->nvals++;
			c->set = 1;
			return 0;
		}
		if (dict_expand(c) != 0)
			return -1;
	}
	if (rta_buf_reserve(&c->vals, 4 + len) != 0)
		return -1;
	c->mark = c->vals.len;
	memcpy(c->vals.data + c->vals.len, &l32, 4);
	if (len > 0)
		memcpy(c->vals.data + c->vals.len + 4, p, len);
	c->vals.len += 4 + len;
	c->nvals++;
	c->set = 1;
	return 0;
}

/* ---- encoding a row group ----------------------------------------------- */

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
 * Compress the body in w->page and write it with its header.  nvalues is
 * the page's num_values (nulls included) or the dictionary's entries.
 */
static int
emit_page(struct rta_pq_writer *w, struct col *c, int type, size_t nvalues,
    int enc, struct rta_error *err)
{
	const unsigned char *body = w->page.data;
	size_t blen = w->page.len, zlen = blen, bound;
	struct tw t;

	if (blen > RTA_PQ_PAGE_MAX || nvalues > INT32_MAX)
		return die(w, err, RTA_ELIMIT, "too-big",
		    "a page beyond what Parquet can hold");
	if (w->level != 0) {
		bound = ZSTD_compressBound(blen);
		rta_buf_reset(&w->z);
		if (rta_buf_reserve(&w->z, bound) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		zlen = ZSTD_compress2(w->cc, w->z.data, bound, body, blen);
		if (ZSTD_isError(zlen))
			return die(w, err, RTA_ENOMEM, "zstd",
			    ZSTD_getErrorName(zlen));
		body = w->z.data;
	}
	rta_buf_reset(&w->hdr);
	tw_init(&t, &w->hdr);
	tw_i32(&t, 1, type);
	tw_i32(&t, 2, (int32_t)blen);
	tw_i32(&t, 3, (int32_t)zlen);
	if (type == PAGE_DATA) {
		tw_begin(&t, 5);
		tw_i32(&t, 1, (int32_t)nvalues);
		tw_i32(&t, 2, enc);
		tw_i32(&t, 3, ENC_RLE);
		tw_i32(&t, 4, ENC_RLE);
		tw_end(&t);
	} else {
		tw_begin(&t, 7);
		tw_i32(&t, 1, (int32_t)nvalues);
		tw_i32(&t, 2, ENC_PLAIN);
		tw_end(&t);
	}
	tw_byte(&t, 0);
	if (t.fail)
		return die(w, err, RTA_ENOMEM, "nomem", "out of memory");
	if (type == PAGE_DATA && c->ck.data_off == 0)
		c->ck.data_off = w->pos;
	if (out_add(w, w->hdr.data, w->hdr.len) != 0 ||
	    out_add(w, body, zlen) != 0)
		return die(w, err, RTA_EIO, "io", "writing a Parquet file");
	c->ck.unc += w->hdr.len + blen;
	c->ck.comp += w->hdr.len + zlen;
	return RTA_OK;
}

/* Append the definition levels of rows [r0, r1) with their length. */
static int
put_levels(struct rta_pq_writer *w, const struct col *c, size_t r0,
    size_t r1, size_t nn)
{
	const unsigned char *v = c->valid.data + r0;
	size_t n = r1 - r0, i;
	unsigned char *p, *q;

	if (rta_buf_reserve(&w->page, 4 + rle_bound(n, 1)) != 0)
		return -1;
	p = w->page.data + w->page.len;
	if (nn == n || nn == 0)
		q = rle_run(p + 4, nn == n, n, 1);
	else {
		if (scratch_reserve(w, n) != 0)
			return -1;
		for (i = 0; i < n; i++)
			w->scratch[i] = v[i];
		q = rle_encode(p + 4, w->scratch, n, 1);
	}
	rta_put_u32(p, (uint32_t)(q - p - 4));
	w->page.len += (size_t)(q - p);
	return 0;
}

static void
stats_num(struct col *c, const unsigned char *v, size_t n)
{
	struct chunk *ck = &c->ck;
	size_t i;

	if (c->type == RTA_PQ_DOUBLE) {
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
			} else if (d < lo)
				lo = d;
			else if (d > hi)
				hi = d;
		}
		ck->dmin = lo;
		ck->dmax = hi;
		ck->has_minmax = has;
	} else if (c->type == RTA_PQ_BOOL) {
		for (i = 0; i < n; i++) {
			int64_t b = v[i];

			if (!ck->has_minmax) {
				ck->imin = ck->imax = b;
				ck->has_minmax = 1;
			} else if (b < ck->imin)
				ck->imin = b;
			else if (b > ck->imax)
				ck->imax = b;
		}
	} else if (n > 0) {
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
stats_bytes(struct chunk *ck, const unsigned char *p, size_t len)
{
	int cmp;

	if (!ck->has_minmax) {
		ck->smin = ck->smax = p;
		ck->sminlen = ck->smaxlen = len;
		ck->has_minmax = 1;
		return;
	}
	cmp = memcmp(p, ck->smin, len < ck->sminlen ? len : ck->sminlen);
	if (cmp < 0 || (cmp == 0 && len < ck->sminlen)) {
		ck->smin = p;
		ck->sminlen = len;
	}
	cmp = memcmp(p, ck->smax, len < ck->smaxlen ? len : ck->smaxlen);
	if (cmp > 0 || (cmp == 0 && len > ck->smaxlen)) {
		ck->smax = p;
		ck->smaxlen = len;
	}
}

/*
 * The end of the page that starts at row r and value v: rows [r, *r1),
 * values [v, *v1), and for byte arrays the end *o1 of its PLAIN bytes
 * starting at o.  A page ends once its values reach page_bytes (counted
 * as vsize bytes each, or their PLAIN size for byte arrays), or at
 * page_bytes × 8 rows, which bounds the definition levels.
 */
static void
page_end(const struct rta_pq_writer *w, const struct col *c, double vsize,
    size_t rows, size_t r, size_t v, size_t o, size_t *r1, size_t *v1,
    size_t *o1)
{
	size_t maxrows = w->page_bytes * 8, limit, n, len;
	const unsigned char *valid = c->optional ? c->valid.data : NULL;
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
	if (limit == 0)
		limit = 1;
	if (valid == NULL) {
		n = limit < maxrows ? limit : maxrows;
		*r1 = r + n;
		*v1 = v + n;
	} else {
		size_t k = 0;

		for (n = 0; n < maxrows && k < limit; n++)
			k += valid[r + n];
		*r1 = r + n;
		*v1 = v + k;
	}
	*o1 = o;
}

/* Append bit-packed booleans v[0 .. n). */
static int
put_bools(struct rta_pq_writer *w, const unsigned char *v, size_t n)
{
	unsigned char *p;
	size_t i;

	if (rta_buf_reserve(&w->page, (n + 7) / 8) != 0)
		return -1;
	p = w->page.data + w->page.len;
	memset(p, 0, (n + 7) / 8);
	for (i = 0; i < n; i++)
		p[i / 8] |= (unsigned char)(v[i] << (i % 8));
	w->page.len += (n + 7) / 8;
	return 0;
}

/* Append 8-byte values v[0 .. n) in little-endian order. */
static int
put_words(struct rta_pq_writer *w, const unsigned char *v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return rta_buf_add(&w->page, v, 8 * n);
#else
	uint64_t x;
	size_t i;

	if (rta_buf_reserve(&w->page, 8 * n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&x, v + 8 * i, 8);
		rta_put_u64(w->page.data + w->page.len, x);
		w->page.len += 8;
	}
	return 0;
#endif
}

/* Append dictionary indices v[0 .. n) of width bw after their width. */
static int
put_indices(struct rta_pq_writer *w, const unsigned char *v, size_t n,
    unsigned bw)
{
	unsigned char *p, *q;

	if (rta_buf_reserve(&w->page, 1 + rle_bound(n, bw)) != 0)
		return -1;
	p = w->page.data + w->page.len;
	*p = (unsigned char)bw;
	q = rle_encode(p + 1, (const uint32_t *)(const void *)v, n, bw);
	w->page.len += (size_t)(q - p);
	return 0;
}

/* Write column c's chunk of rows rows. */
static int
write_chunk(struct rta_pq_writer *w, struct col *c, size_t rows,
    struct rta_error *err)
{
	struct chunk *ck = &c->ck;
	size_t r = 0, v = 0, o = 0, r1, v1, o1, i, nn;
	unsigned bw = 0;
	double vsize;
	int rc, enc = ENC_PLAIN;

	memset(ck, 0, sizeof(*ck));
	ck->nulls = rows - c->nvals;
	if (c->bytes && c->dict && (c->nvals == 0 || c->ndict > c->nvals / 2)) {
		if (dict_expand(c) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
	}
	if (c->bytes && c->dict) {
		ck->dict = 1;
		ck->dict_off = w->pos;
		for (i = 0; i < c->ndict; i++) {
			uint32_t l;

			memcpy(&l, c->dbody.data + c->doff[i], 4);
			stats_bytes(ck, c->dbody.data + c->doff[i] + 4, l);
		}
		rta_buf_reset(&w->page);
		if (rta_buf_add(&w->page, c->dbody.data, c->dbody.len) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if ((rc = emit_page(w, c, PAGE_DICTIONARY, c->ndict, 0,
		    err)) != RTA_OK)
			return rc;
		bw = bit_width((uint32_t)(c->ndict - 1));
		enc = ENC_RLE_DICTIONARY;
	}
	if (c->type == RTA_PQ_BOOL)
		vsize = 1.0 / 8;
	else if (c->bytes && c->dict)
		vsize = (bw == 0 ? 1.0 : bw) / 8;
	else
		vsize = 8;
	do {
		page_end(w, c, vsize, rows, r, v, o, &r1, &v1, &o1);
		nn = v1 - v;
		rta_buf_reset(&w->page);
		if (c->optional && put_levels(w, c, r, r1, nn) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if (c->bytes && c->dict)
			rc = put_indices(w, c->vals.data + 4 * v, nn, bw);
		else if (c->bytes) {
			const unsigned char *p = c->vals.data + o;
			uint32_t l;

			for (i = 0; i < nn; i++) {
				memcpy(&l, p, 4);
				stats_bytes(ck, p + 4, l);
				p += 4 + (size_t)l;
			}
			rc = rta_buf_add(&w->page, c->vals.data + o, o1 - o);
		} else if (c->type == RTA_PQ_BOOL) {
			stats_num(c, c->vals.data + v, nn);
			rc = put_bools(w, c->vals.data + v, nn);
		} else {
			stats_num(c, c->vals.data + 8 * v, nn);
			rc = put_words(w, c->vals.data + 8 * v, nn);
		}
		if (rc != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if ((rc = emit_page(w, c, PAGE_DATA, r1 - r, enc, err)) !=
		    RTA_OK)
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
	if (c->bytes && ck->has_minmax && (ck->sminlen > RTA_PQ_STAT_MAX ||
	    ck->smaxlen > RTA_PQ_STAT_MAX))
		ck->has_minmax = 0;
	return RTA_OK;
}

static void
put_stats(struct tw *t, const struct col *c)
{
	const struct chunk *ck = &c->ck;
	unsigned char lo[8], hi[8];
	size_t n = 8;

	tw_begin(t, 12);
	if (ck->has_minmax && !c->bytes) {
		if (c->type == RTA_PQ_DOUBLE) {
			uint64_t a, b;

			memcpy(&a, &ck->dmin, 8);
			memcpy(&b, &ck->dmax, 8);
			rta_put_u64(lo, a);
			rta_put_u64(hi, b);
		} else if (c->type == RTA_PQ_BOOL) {
			lo[0] = (unsigned char)ck->imin;
			hi[0] = (unsigned char)ck->imax;
			n = 1;
		} else {
			rta_put_u64(lo, (uint64_t)ck->imin);
			rta_put_u64(hi, (uint64_t)ck->imax);
		}
		/* The deprecated pair, same bytes: numbers only. */
		tw_bin(t, 1, hi, n);
		tw_bin(t, 2, lo, n);
	}
	tw_i64(t, 3, (int64_t)ck->nulls);
	if (ck->has_minmax) {
		if (c->bytes) {
			tw_bin(t, 5, ck->smax, ck->smaxlen);
			tw_bin(t, 6, ck->smin, ck->sminlen);
		} else {
			tw_bin(t, 5, hi, n);
			tw_bin(t, 6, lo, n);
		}
	}
	if (c->type == RTA_PQ_DOUBLE)
		tw_i64(t, 9, (int64_t)ck->nans);
	tw_end(t);
}

static int
phys_type(enum rta_pq_type t)
{
	switch (t) {
	case RTA_PQ_BOOL:
		return PT_BOOLEAN;
	case RTA_PQ_INT64:
	case RTA_PQ_TIMESTAMP:
		return PT_INT64;
	case RTA_PQ_DOUBLE:
		return PT_DOUBLE;
	default:
		return PT_BYTE_ARRAY;
	}
}

/* Serialize the RowGroup of the chunks just written. */
static void
put_rowgroup(struct rta_pq_writer *w, struct tw *t, size_t rows,
    uint64_t start)
{
	uint64_t unc = 0, comp = 0;
	size_t i;

	tw_begin(t, 0);
	tw_list(t, 1, T_STRUCT, w->ncols);
	for (i = 0; i < w->ncols; i++) {
		const struct col *c = &w->cols[i];
		const struct chunk *ck = &c->ck;
		int ne = 0, encs[3];
		size_t k;

		unc += ck->unc;
		comp += ck->comp;
		encs[ne++] = ENC_PLAIN;
		if (c->optional)
			encs[ne++] = ENC_RLE;
		if (ck->dict)
			encs[ne++] = ENC_RLE_DICTIONARY;
		tw_begin(t, 0);				/* ColumnChunk */
		tw_i64(t, 2, 0);
		tw_begin(t, 3);				/* ColumnMetaData */
		tw_i32(t, 1, phys_type(c->type));
		tw_list(t, 2, T_I32, (size_t)ne);
		for (k = 0; k < (size_t)ne; k++)
			tw_zigzag(t, encs[k]);
		tw_list(t, 3, T_BINARY, 1);
		tw_uleb(t, c->namelen);
		tw_raw(t, c->name, c->namelen);
		tw_i32(t, 4, w->level != 0 ? CODEC_ZSTD : CODEC_UNCOMPRESSED);
		tw_i64(t, 5, (int64_t)rows);
		tw_i64(t, 6, (int64_t)ck->unc);
		tw_i64(t, 7, (int64_t)ck->comp);
		tw_i64(t, 9, (int64_t)ck->data_off);
		if (ck->dict)
			tw_i64(t, 11, (int64_t)ck->dict_off);
		put_stats(t, c);
		tw_end(t);
		tw_end(t);
	}
	tw_i64(t, 2, (int64_t)unc);
	tw_i64(t, 3, (int64_t)rows);
	tw_i64(t, 5, (int64_t)start);
	tw_i64(t, 6, (int64_t)comp);
	if (w->nrg <= INT16_MAX) {
		tw_field(t, T_I16, 7);
		tw_zigzag(t, (int64_t)w->nrg);
	}
	tw_end(t);
}

/* Reset c for the next row group, keeping its room. */
static void
col_reset(struct col *c)
{
	rta_buf_reset(&c->valid);
	rta_buf_reset(&c->vals);
	c->nvals = 0;
	c->set = 0;
	c->dict = c->bytes;
	rta_buf_reset(&c->dbody);
	c->ndict = 0;
	if (c->nslots > 0)
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
}

static int
flush_rowgroup(struct rta_pq_writer *w, struct rta_error *err)
{
	size_t rows = (size_t)w->rg_rows, i;
	uint64_t start = w->pos;
	struct tw t;
	int rc;

	if (rows == 0)
		return RTA_OK;
	for (i = 0; i < w->ncols; i++)
		if ((rc = write_chunk(w, &w->cols[i], rows, err)) != RTA_OK)
			return rc;
	tw_init(&t, &w->rgs);
	put_rowgroup(w, &t, rows, start);
	if (t.fail)
		return die(w, err, RTA_ENOMEM, "nomem", "out of memory");
	if (out_flush(w) != 0)
		return die(w, err, RTA_EIO, "io", "writing a Parquet file");
	w->nrg++;
	w->rg_rows = 0;
	for (i = 0; i < w->ncols; i++)
		col_reset(&w->cols[i]);
	return RTA_OK;
}

/* ---- rows --------------------------------------------------------------- */

static int
refuse(struct rta_pq_writer *w, struct rta_error *err)
{
	if (w->dead)
		return rta_error_set(err, w->dead, "dead",
		    "the Parquet writer failed earlier");
	return rta_error_set(err, RTA_EINVAL, "misuse",
	    "a value call that does not match the column, or after finish");
}

int
rta_pq_row(struct rta_pq_writer *w, struct rta_error *err)
{
	struct col *c;
	size_t i;
	int rc = RTA_OK;

	if (w->dead || w->finished || w->misuse) {
		rc = refuse(w, err);
		w->misuse = 0;
		goto undo;
	}
	for (i = 0; i < w->ncols; i++) {
		c = &w->cols[i];
		if (c->too_big) {
			rc = rta_error_set(err, RTA_ELIMIT, "too-big",
			    "column %s: a value longer than %u bytes",
			    c->name, (unsigned)VALUE_MAX);
			goto undo;
		}
		if (!c->set && !c->optional) {
			rc = rta_error_set(err, RTA_EINVAL, "null",
			    "column %s: no value for a required column",
			    c->name);
			goto undo;
		}
		if (c->optional && rta_buf_reserve(&c->valid, 1) != 0) {
			rc = rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
			goto undo;
		}
	}
	for (i = 0; i < w->ncols; i++) {
		c = &w->cols[i];
		if (c->optional)
			c->valid.data[c->valid.len++] = (unsigned char)c->set;
		c->set = 0;
	}
	w->rows++;
	if (++w->rg_rows >= w->rg_rows_max)
		return flush_rowgroup(w, err);
	return RTA_OK;
undo:
	for (i = 0; i < w->ncols; i++) {
		unset(&w->cols[i]);
		w->cols[i].too_big = 0;
	}
	return rc;
}

/* ---- the file ----------------------------------------------------------- */

static void
put_leaf(struct tw *t, const struct col *c)
{
	tw_begin(t, 0);
	tw_i32(t, 1, phys_type(c->type));
	tw_i32(t, 3, c->optional ? 1 : 0);
	tw_bin(t, 4, c->name, c->namelen);
	switch (c->type) {
	case RTA_PQ_INT64:
		tw_i32(t, 6, CT_INT_64);
		tw_begin(t, 10);
		tw_begin(t, 10);			/* INTEGER */
		tw_field(t, T_I8, 1);
		tw_byte(t, 64);
		tw_bool(t, 2, 1);
		tw_end(t);
		tw_end(t);
		break;
	case RTA_PQ_TIMESTAMP:
		tw_i32(t, 6, CT_TIMESTAMP_MICROS);
		tw_begin(t, 10);
		tw_begin(t, 8);				/* TIMESTAMP */
		tw_bool(t, 1, 1);
		tw_begin(t, 2);				/* TimeUnit */
		tw_empty(t, 2);				/* MICROS */
		tw_end(t);
		tw_end(t);
		tw_end(t);
		break;
	case RTA_PQ_STRING:
		tw_i32(t, 6, CT_UTF8);
		tw_begin(t, 10);
		tw_empty(t, 1);				/* STRING */
		tw_end(t);
		break;
	case RTA_PQ_JSON:
		tw_i32(t, 6, CT_JSON);
		tw_begin(t, 10);
		tw_empty(t, 12);			/* JSON */
		tw_end(t);
		break;
	default:
		break;
	}
	tw_end(t);
}

static void
put_footer(struct rta_pq_writer *w, struct tw *t)
{
	const char *cb = w->created_by != NULL ? w->created_by :
	    "rta version " RTA_VERSION;
	size_t i;

	tw_i32(t, 1, 1);
	tw_list(t, 2, T_STRUCT, w->ncols + 1);
	tw_begin(t, 0);
	tw_bin(t, 4, "schema", 6);
	tw_i32(t, 5, (int32_t)w->ncols);
	tw_end(t);
	for (i = 0; i < w->ncols; i++)
		put_leaf(t, &w->cols[i]);
	tw_i64(t, 3, (int64_t)w->rows);
	tw_list(t, 4, T_STRUCT, (size_t)w->nrg);
	tw_raw(t, w->rgs.data, w->rgs.len);
	if (w->nkv > 0) {
		tw_list(t, 5, T_STRUCT, w->nkv);
		for (i = 0; i < w->nkv; i++) {
			tw_begin(t, 0);
			tw_bin(t, 1, w->kv[i].key, strlen(w->kv[i].key));
			if (w->kv[i].value != NULL)
				tw_bin(t, 2, w->kv[i].value,
				    strlen(w->kv[i].value));
			tw_end(t);
		}
	}
	tw_bin(t, 6, cb, strlen(cb));
	tw_list(t, 7, T_STRUCT, w->ncols);
	for (i = 0; i < w->ncols; i++) {
		tw_begin(t, 0);
		tw_empty(t, 1);				/* TYPE_ORDER */
		tw_end(t);
	}
	tw_byte(t, 0);
}

int
rta_pq_writer_finish(struct rta_pq_writer *w, struct rta_error *err)
{
	struct rta_buf f = RTA_BUF_INIT;
	unsigned char tail[8];
	struct tw t;
	size_t i;
	int rc;

	/* Values given without their rta_pq_row are not a row. */
	for (i = 0; i < w->ncols; i++) {
		unset(&w->cols[i]);
		w->cols[i].too_big = 0;
	}
	if (w->dead || w->finished || w->misuse) {
		w->misuse = 0;
		return refuse(w, err);
	}
	if ((rc = flush_rowgroup(w, err)) != RTA_OK)
		return rc;
	tw_init(&t, &f);
	put_footer(w, &t);
	if (t.fail || f.len > UINT32_MAX) {
		rta_buf_release(&f);
		return die(w, err, RTA_ENOMEM, "nomem", "out of memory");
	}
	rta_put_u32(tail, (uint32_t)f.len);
	memcpy(tail + 4, "PAR1", 4);
	if (out_add(w, f.data, f.len) != 0 || out_add(w, tail, 8) != 0 ||
	    out_flush(w) != 0) {
		rta_buf_release(&f);
		return die(w, err, RTA_EIO, "io", "writing a Parquet file");
	}
	rta_buf_release(&f);
	w->finished = 1;
	return RTA_OK;
}

static int
bad_opts(const struct rta_pq_column *cols, size_t ncols,
    const struct rta_pq_writer_opts *o)
{
	size_t i, k;

	if (cols == NULL || ncols == 0 || ncols > INT32_MAX - 1)
		return 1;
	for (i = 0; i < ncols; i++) {
		if (cols[i].name == NULL || cols[i].name[0] == '\0' ||
		    (unsigned)cols[i].type > RTA_PQ_BINARY)
			return 1;
		for (k = 0; k < i; k++)
			if (strcmp(cols[k].name, cols[i].name) == 0)
				return 1;
	}
	if (o->row_group_rows == 0 || o->row_group_rows > INT32_MAX ||
	    o->page_bytes == 0 || o->page_bytes > PAGE_BYTES_MAX ||
	    o->dict_max > RTA_PQ_PAGE_MAX ||
	    o->level < ZSTD_minCLevel() || o->level > ZSTD_maxCLevel() ||
	    (o->nkv > 0 && o->kv == NULL))
		return 1;
	for (i = 0; i < o->nkv; i++)
		if (o->kv[i].key == NULL)
			return 1;
	return 0;
}

static int
copy_opts(struct rta_pq_writer *w, const struct rta_pq_column *cols,
    const struct rta_pq_writer_opts *o)
{
	size_t i;

	for (i = 0; i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		c->namelen = strlen(cols[i].name);
		if ((c->name = rta_memdup(cols[i].name, c->namelen)) == NULL)
			return -1;
		c->type = cols[i].type;
		c->optional = cols[i].optional != 0;
		c->bytes = c->type == RTA_PQ_STRING ||
		    c->type == RTA_PQ_JSON || c->type == RTA_PQ_BINARY;
		c->dict = c->bytes;
	}
	if (o->created_by != NULL && (w->created_by =
	    rta_memdup(o->created_by, strlen(o->created_by))) == NULL)
		return -1;
	if (o->nkv > 0 &&
	    (w->kv = rta_calloc(o->nkv, sizeof(*w->kv))) == NULL)
		return -1;
	for (i = 0; i < o->nkv; i++) {
		w->nkv++;
		if ((w->kv[i].key = rta_memdup(o->kv[i].key,
		    strlen(o->kv[i].key))) == NULL)
			return -1;
		if (o->kv[i].value != NULL && (w->kv[i].value =
		    rta_memdup(o->kv[i].value, strlen(o->kv[i].value))) ==
		    NULL)
			return -1;
	}
	return 0;
}

int
rta_pq_writer_open(int fd, const struct rta_pq_column *cols, size_t ncols,
    const struct rta_pq_writer_opts *o, struct rta_pq_writer **wp,
    struct rta_error *err)
{
	struct rta_pq_writer_opts def;
	struct rta_pq_writer *w;

	*wp = NULL;
	if (o == NULL) {
		rta_pq_writer_opts_init(&def);
		o = &def;
	}
	if (fd < 0 || bad_opts(cols, ncols, o))
		return rta_error_set(err, RTA_EINVAL, "usage",
		    "bad Parquet writer columns or options");
	if ((w = rta_calloc(1, sizeof(*w))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	w->fd = fd;
	w->ncols = ncols;
	w->rg_rows_max = o->row_group_rows;
	w->page_bytes = o->page_bytes;
	w->level = o->level;
	w->dict_max = o->dict_max;
	w->seed = rta_hash_seed();
	if ((w->cols = rta_calloc(ncols, sizeof(*w->cols))) == NULL ||
	    copy_opts(w, cols, o) != 0 ||
	    (w->out = rta_malloc(OUT_CAP)) == NULL)
		goto nomem;
	if (w->level != 0) {
		if ((w->cc = ZSTD_createCCtx()) == NULL ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(w->cc,
		    ZSTD_c_compressionLevel, w->level)))
			goto nomem;
	}
	memcpy(w->out, "PAR1", 4);
	w->outlen = 4;
	w->pos = 4;
	*wp = w;
	return RTA_OK;
nomem:
	rta_pq_writer_free(w);
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

uint64_t
rta_pq_writer_bytes(const struct rta_pq_writer *w)
{
	return w->written;
}

uint64_t
rta_pq_writer_rows(const struct rta_pq_writer *w)
{
	return w->rows;
}

void
rta_pq_writer_free(struct rta_pq_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; w->cols != NULL && i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		rta_free(c->name);
		rta_buf_release(&c->valid);
		rta_buf_release(&c->vals);
		rta_buf_release(&c->dbody);
		rta_buf_release(&c->alt);
		rta_free(c->doff);
		rta_free(c->slots);
	}
	rta_free(w->cols);
	for (i = 0; i < w->nkv; i++) {
		rta_free((char *)(uintptr_t)w->kv[i].key);
		rta_free((char *)(uintptr_t)w->kv[i].value);
	}
	rta_free(w->kv);
	rta_free(w->created_by);
	ZSTD_freeCCtx(w->cc);
	rta_free(w->out);
	rta_buf_release(&w->page);
	rta_buf_release(&w->z);
	rta_buf_release(&w->hdr);
	rta_free(w->scratch);
	rta_buf_release(&w->rgs);
	rta_free(w);
}
