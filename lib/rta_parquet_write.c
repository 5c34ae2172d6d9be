/*
 * rta_parquet_write.c: the Parquet writer of rta_parquet.h.
 *
 * A row group is buffered whole, one growable array per column: 8-byte
 * values for INT64, TIMESTAMP and DOUBLE, one byte per BOOL, and for
 * byte arrays either their PLAIN encoding (uint32 length, bytes) or, while
 * the chunk still looks dictionary-worthy, a uint32 dictionary index per
 * value.  OPTIONAL columns add one validity byte per row.  Nothing is
 * allocated per value: the arrays double when full and keep their room
 * from one row group to the next.  A value call marks its column with
 * the row's stamp, so ending a row is a count check, not a loop.
 *
 * A string chunk starts as a dictionary (an open-addressing table over
 * the entries' PLAIN bytes) and falls back to PLAIN for good the moment
 * its distinct values could no longer pass the final test (more than half
 * of row_group_rows, or a dictionary body past dict_max): the indices so
 * far are expanded into PLAIN bytes then.  When the row group is full the
 * final test picks the encoding: distinct values at most half the chunk's
 * values (its non-null rows: a half-null column of distinct values gains
 * nothing from a dictionary).  A chunk of integers or doubles gets the
 * same test when the row group is full (num_dict); without a dictionary
 * integers are DELTA_BINARY_PACKED, as timestamps always are, and
 * doubles BYTE_STREAM_SPLIT: zstd decompresses a few bits of delta, or
 * byte streams of which the sign and exponent ones repeat, much faster
 * than 8 PLAIN bytes a value, and they are smaller.
 *
 * A full row group becomes a job: its page bodies (statistics, definition
 * levels, values) encoded back to back into the job's arena.  Compressing
 * them is most of the cost, so one helper thread compresses the pages of
 * a job, each into its own slot, while the caller fills the next row
 * group; the caller's thread joins in when it must wait.  Frames do not
 * depend on which thread or ZSTD_CCtx made them, so the file is the same
 * byte for byte.  The caller's thread alone writes: page headers, frames
 * in order, the RowGroup footer entry, through a 1 MiB buffer and
 * rta_io_write (so RTA_FAULT=io:N reaches it), flushed after every row
 * group.  Two arenas alternate; the helper never allocates through
 * rta_alloc, so RTA_FAULT=alloc:N stays deterministic.  A row group is
 * therefore written, and counted by rta_pq_writer_bytes, when the next
 * one is full or at rta_pq_writer_finish.
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
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_hash.h"
#include "rta_io.h"
#include "rta_crc32c.h"
#include "rta_parquet.h"
#include "rta_pqenc.h"
#include "rta_thrift.h"
#include "rta_version.h"

#define OUT_CAP		(1U << 20)		/* output buffer */
#define VALUE_MAX	(RTA_PQ_PAGE_MAX / 4)	/* longest byte array */
#define PAGE_BYTES_MAX	(RTA_PQ_PAGE_MAX / 8)

/* Parquet enums (parquet.thrift). */
enum {
	PT_BOOLEAN = 0, PT_INT64 = 2, PT_DOUBLE = 5, PT_BYTE_ARRAY = 6
};
enum {
	ENC_PLAIN = 0, ENC_RLE = 3, ENC_DELTA_BINARY_PACKED = 5,
	ENC_RLE_DICTIONARY = 8, ENC_BYTE_STREAM_SPLIT = 9
};

enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { CODEC_UNCOMPRESSED = 0, CODEC_ZSTD = 6 };
enum {
	CT_UTF8 = 0, CT_TIMESTAMP_MICROS = 10, CT_INT_64 = 18, CT_JSON = 19
};

/* What a value call must match. */
enum { K_BOOL, K_INT, K_DOUBLE, K_BYTES };

/* What the footer needs of a chunk. */
struct chunk {
	uint64_t		 unc, comp;	/* totals, headers included */
	uint64_t		 data_off, dict_off;
	int			 dict;		/* a dictionary page exists */
	unsigned		 encs;		/* 1 << each encoding used */
	uint64_t		 nulls, nans;
	int			 has_minmax;
	int64_t			 imin, imax;
	double			 dmin, dmax;
	unsigned char		 smin[RTA_PQ_STAT_MAX];
	unsigned char		 smax[RTA_PQ_STAT_MAX];
	size_t			 sminlen, smaxlen;
};

/* A page of a job: its body in the arena, its frame in the slots. */
struct page {
	size_t			 off, len;
	size_t			 zoff, zlen;	/* zlen: or a zstd error */
	uint32_t		 crc;		/* CRC-32 of the frame */
	size_t			 col;
	uint32_t		 nvalues;
	int			 type, enc;
};

/* A row group on its way to the file. */
struct job {
	struct rta_buf		 arena;		/* page bodies */
	struct page		*pages;
	size_t			 npages, pagecap;
	struct chunk		*chunks;	/* one per column */
	size_t			 rows;
	size_t			 zneed;		/* Σ compress bounds */
	size_t			 next, ndone;	/* pages claimed, compressed */
};

struct col {
	char			*name;
	size_t			 namelen;
	enum rta_pq_type	 type;
	int			 kind;
	int			 optional;
	int			 bytes;		/* STRING, JSON or BINARY */

	/* The row being added. */
	uint64_t		 stamp;		/* == w->stamp: a value */
	size_t			 mark;		/* vals.len before it */
	int			 too_big;	/* a value past VALUE_MAX */

	/* The row group being buffered. */
	unsigned char		*valid;		/* OPTIONAL: w->vcap bytes */
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
};

struct rta_pq_writer {
	int			 fd;
	struct col		*cols;
	size_t			 ncols;
	size_t			 nreq;		/* REQUIRED columns */
	uint64_t		 rg_rows_max;
	size_t			 page_bytes;
	int			 level;
	size_t			 dict_max;
	char			*created_by;
	struct rta_pq_kv	*kv;
	size_t			 nkv;
	uint64_t		 seed;

	uint64_t		 stamp;		/* of the row being added */
	size_t			 nreq_set;	/* its REQUIRED values */
	int			 bad;		/* ending it needs a look */
	int			 misuse;	/* a call broke the API */
	size_t			 vcap;		/* room of every valid[] */
	uint64_t		 rows;		/* in the file */
	size_t			 rg_rows;	/* in the group being buffered */
	uint64_t		 nrg;		/* row groups written */
	uint64_t		 pos;		/* file offset of the next byte */
	uint64_t		 written;	/* bytes handed to fd */
	int			 dead;		/* RTA_* code, once failed */
	int			 finished;

	struct job		 jobs[2];
	struct job		*inflight;	/* being compressed, or NULL */
	int			 nextjob;	/* jobs[] index to fill next */
	struct rta_buf		 zslots;	/* frames of the job in flight */
	uint32_t		*scratch;	/* def levels as uint32 */
	size_t			 scratchcap;

	ZSTD_CCtx		*cc;
	unsigned char		*out;
	size_t			 outlen;
	struct rta_buf		 hdr;		/* a page header */
	struct rta_buf		 rgs;		/* serialized RowGroups */

	/* The helper thread; all of struct job's claim counts under mu. */
	int			 threaded;
	int			 quit;
	pthread_t		 thr;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work, done;
	ZSTD_CCtx		*tcc;
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

/* Take back the value given to c in this row. */
static void
unset(struct rta_pq_writer *w, struct col *c)
{
	if (c->stamp != w->stamp)
		return;
	c->vals.len = c->mark;
	c->nvals--;
	c->stamp = 0;
	if (c->optional)
		c->valid[w->rg_rows] = 0;
	else
		w->nreq_set--;
}

/* Column col for a value call of kind, its value in this row taken back. */
static inline struct col *
col_get(struct rta_pq_writer *w, size_t col, int kind)
{
	struct col *c;

	if (col >= w->ncols || w->cols[col].kind != kind || w->dead ||
	    w->finished) {
		w->misuse = w->bad = 1;
		return NULL;
	}
	c = &w->cols[col];
	unset(w, c);
	return c;
}

/* The value just appended to c's vals is this row's. */
static inline void
col_set(struct rta_pq_writer *w, struct col *c, size_t mark)
{
	c->mark = mark;
	c->nvals++;
	c->stamp = w->stamp;
	if (c->optional)
		c->valid[w->rg_rows] = 1;
	else
		w->nreq_set++;
}

static inline int
put_fixed(struct rta_pq_writer *w, size_t col, int kind, const void *v,
    size_t n)
{
	struct col *c;
	size_t mark;

	if ((c = col_get(w, col, kind)) == NULL)
		return -1;
	if (rta_buf_reserve(&c->vals, n) != 0)
		return -1;
	mark = c->vals.len;
	memcpy(c->vals.data + mark, v, n);
	c->vals.len = mark + n;
	col_set(w, c, mark);
	return 0;
}

int
rta_pq_bool(struct rta_pq_writer *w, size_t col, int v)
{
	unsigned char b = v != 0;

	return put_fixed(w, col, K_BOOL, &b, 1);
}

int
rta_pq_int64(struct rta_pq_writer *w, size_t col, int64_t v)
{
	return put_fixed(w, col, K_INT, &v, 8);
}

int
rta_pq_double(struct rta_pq_writer *w, size_t col, double v)
{
	return put_fixed(w, col, K_DOUBLE, &v, 8);
}

int
rta_pq_null(struct rta_pq_writer *w, size_t col)
{
	if (col >= w->ncols || w->dead || w->finished) {
		w->misuse = w->bad = 1;
		return -1;
	}
	unset(w, &w->cols[col]);
	w->cols[col].too_big = 0;
	return 0;
}

/* Replace the indices in c->vals with the PLAIN bytes of their entries. */
static int
dict_expand(struct col *c)
{
	const unsigned char *idx = c->vals.data;
	size_t i, n = c->vals.len / 4;
	uint32_t k, len;
	struct rta_buf t;

	rta_buf_reset(&c->alt);
	if (rta_buf_reserve(&c->alt, c->dbody.len) != 0)
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
	uint32_t l;

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
	memcpy(c->dbody.data + c->dbody.len, &len, 4);
	memcpy(c->dbody.data + c->dbody.len + 4, p, len);
	c->dbody.len += 4 + (size_t)len;
	c->slots[h] = tag | (uint64_t)(c->ndict + 1);
	*k = (uint32_t)c->ndict++;
	/* On failure the entry stays, unused: harmless. */
	if (c->ndict * 2 > c->nslots && dict_grow(c, w->seed) != 0)
		return -1;
	return 0;
}

int
rta_pq_bytes(struct rta_pq_writer *w, size_t col, const void *p, size_t len)
{
	struct col *c;
	uint32_t k, l32;
	size_t mark;
	int r;

	if ((c = col_get(w, col, K_BYTES)) == NULL)
		return -1;
	c->too_big = 0;
	if (len > VALUE_MAX) {
		c->too_big = w->bad = 1;
		return 0;
	}
	l32 = (uint32_t)len;
	if (c->dict) {
		if ((r = dict_find(w, c, p, l32, &k)) < 0)
			return -1;
		if (r == 0) {
			if (rta_buf_reserve(&c->vals, 4) != 0)
				return -1;
			mark = c->vals.len;
			memcpy(c->vals.data + mark, &k, 4);
			c->vals.len = mark + 4;
			col_set(w, c, mark);
			return 0;
		}
		if (dict_expand(c) != 0)
			return -1;
	}
	if (rta_buf_reserve(&c->vals, 4 + len) != 0)
		return -1;
	mark = c->vals.len;
	memcpy(c->vals.data + mark, &l32, 4);
	if (len > 0)
		memcpy(c->vals.data + mark + 4, p, len);
	c->vals.len = mark + 4 + len;
	col_set(w, c, mark);
	return 0;
}

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
		return die(w, err, RTA_ELIMIT, "too-big",
		    "a page beyond what Parquet can hold");
	if (j->npages == j->pagecap) {
		size_t nc = j->pagecap ? j->pagecap * 2 : 64;

		if ((p = rta_reallocarray(j->pages, nc, sizeof(*p))) == NULL)
			return die(w, err, RTA_ENOMEM, "nomem",
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
		return die(w, err, RTA_ENOMEM, "nomem", "out of memory");
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
static int
encode_chunk(struct rta_pq_writer *w, struct job *j, size_t ci,
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
		if (dict_expand(c) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
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
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		off = a->len;
		if (rta_enc_words(a, c->dbody.data, c->ndict) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
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
			return die(w, err, RTA_ENOMEM, "nomem",
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

/* ---- compressing and writing -------------------------------------------- */

static void
compress_page(struct rta_pq_writer *w, struct job *j, size_t i,
    ZSTD_CCtx *cc)
{
	struct page *p = &j->pages[i];

	p->zlen = ZSTD_compress2(cc, w->zslots.data + p->zoff,
	    ZSTD_compressBound(p->len), j->arena.data + p->off, p->len);
	if (!ZSTD_isError(p->zlen))
		p->crc = rta_crc32(0, w->zslots.data + p->zoff, p->zlen);
}

static void *
helper_main(void *arg)
{
	struct rta_pq_writer *w = arg;
	struct job *j;
	size_t i;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->quit && (w->inflight == NULL ||
		    w->inflight->next >= w->inflight->npages))
			pthread_cond_wait(&w->work, &w->mu);
		if (w->quit)
			break;
		j = w->inflight;
		i = j->next++;
		pthread_mutex_unlock(&w->mu);
		compress_page(w, j, i, w->tcc);
		pthread_mutex_lock(&w->mu);
		if (++j->ndone == j->npages)
			pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Start the helper thread; without one the caller's thread compresses. */
static void
helper_start(struct rta_pq_writer *w)
{
	if ((w->tcc = ZSTD_createCCtx()) == NULL ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->tcc,
	    ZSTD_c_compressionLevel, w->level)))
		goto fail;
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&w->work, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&w->done, NULL) != 0)
		goto fail_work;
	if (pthread_create(&w->thr, NULL, helper_main, w) != 0)
		goto fail_done;
	w->threaded = 1;
	return;
fail_done:
	pthread_cond_destroy(&w->done);
fail_work:
	pthread_cond_destroy(&w->work);
fail_mu:
	pthread_mutex_destroy(&w->mu);
fail:
	ZSTD_freeCCtx(w->tcc);
	w->tcc = NULL;
}

static void
helper_stop(struct rta_pq_writer *w)
{
	if (!w->threaded)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mu);
	w->threaded = 0;
}

/* Hand job j to the compressors. */
static int
submit(struct rta_pq_writer *w, struct job *j, struct rta_error *err)
{
	j->next = j->ndone = 0;
	if (w->level == 0) {
		w->inflight = j;
		return RTA_OK;
	}
	rta_buf_reset(&w->zslots);
	if (rta_buf_reserve(&w->zslots, j->zneed) != 0)
		return die(w, err, RTA_ENOMEM, "nomem", "out of memory");
	if (!w->threaded)
		helper_start(w);
	if (!w->threaded) {
		w->inflight = j;
		return RTA_OK;
	}
	pthread_mutex_lock(&w->mu);
	w->inflight = j;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
	return RTA_OK;
}

/* Compress what is left of the job in flight, helping the helper. */
static void
compress_rest(struct rta_pq_writer *w, struct job *j)
{
	size_t i;

	if (!w->threaded) {
		for (i = 0; i < j->npages; i++)
			compress_page(w, j, i, w->cc);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (j->next < j->npages) {
		i = j->next++;
		pthread_mutex_unlock(&w->mu);
		compress_page(w, j, i, w->cc);
		pthread_mutex_lock(&w->mu);
		j->ndone++;
	}
	while (j->ndone < j->npages)
		pthread_cond_wait(&w->done, &w->mu);
	w->inflight = NULL;
	pthread_mutex_unlock(&w->mu);
}

static int
put_header(struct rta_pq_writer *w, const struct page *p, size_t zlen,
    uint32_t crc)
{
	struct rta_tw t;

	rta_buf_reset(&w->hdr);
	rta_tw_init(&t, &w->hdr);
	rta_tw_i32(&t, 1, p->type);
	rta_tw_i32(&t, 2, (int32_t)p->len);
	rta_tw_i32(&t, 3, (int32_t)zlen);
	rta_tw_i32(&t, 4, (int32_t)crc);
	if (p->type == PAGE_DATA) {
		rta_tw_begin(&t, 5);
		rta_tw_i32(&t, 1, (int32_t)p->nvalues);
		rta_tw_i32(&t, 2, p->enc);
		rta_tw_i32(&t, 3, ENC_RLE);
		rta_tw_i32(&t, 4, ENC_RLE);
		rta_tw_end(&t);
	} else {
		rta_tw_begin(&t, 7);
		rta_tw_i32(&t, 1, (int32_t)p->nvalues);
		rta_tw_i32(&t, 2, ENC_PLAIN);
		rta_tw_end(&t);
	}
	rta_tw_byte(&t, 0);
	return t.fail ? -1 : 0;
}

static void put_rowgroup(struct rta_pq_writer *, struct rta_tw *,
    const struct job *, uint64_t);

/* Finish the job in flight: its pages, then its RowGroup entry. */
static int
land(struct rta_pq_writer *w, struct rta_error *err)
{
	struct job *j = w->inflight;
	uint64_t start = w->pos;
	const unsigned char *body;
	struct chunk *ck;
	struct page *p;
	size_t i, zlen;
	struct rta_tw t;

	if (j == NULL)
		return RTA_OK;
	if (w->level != 0)
		compress_rest(w, j);
	if (!w->threaded)
		w->inflight = NULL;
	for (i = 0; i < j->npages; i++) {
		p = &j->pages[i];
		ck = &j->chunks[p->col];
		body = j->arena.data + p->off;
		zlen = p->len;
		if (w->level != 0) {
			if (ZSTD_isError(p->zlen))
				return die(w, err, RTA_ENOMEM, "zstd",
				    ZSTD_getErrorName(p->zlen));
			body = w->zslots.data + p->zoff;
			zlen = p->zlen;
		} else
			p->crc = rta_crc32(0, body, zlen);
		if (put_header(w, p, zlen, p->crc) != 0)
			return die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if (p->type == PAGE_DICTIONARY)
			ck->dict_off = w->pos;
		else if (ck->data_off == 0)
			ck->data_off = w->pos;
		if (out_add(w, w->hdr.data, w->hdr.len) != 0 ||
		    out_add(w, body, zlen) != 0)
			return die(w, err, RTA_EIO, "io",
			    "writing a Parquet file");
		ck->unc += w->hdr.len + p->len;
		ck->comp += w->hdr.len + zlen;
	}
	if (out_flush(w) != 0)
		return die(w, err, RTA_EIO, "io", "writing a Parquet file");
	rta_tw_init(&t, &w->rgs);
	put_rowgroup(w, &t, j, start);
	if (t.fail)
		return die(w, err, RTA_ENOMEM, "nomem", "out of memory");
	w->nrg++;
	return RTA_OK;
}

/* Reset c for the next row group, keeping its room. */
static void
col_reset(struct rta_pq_writer *w, struct col *c)
{
	if (c->optional)
		memset(c->valid, 0, w->rg_rows);
	rta_buf_reset(&c->vals);
	c->nvals = 0;
	c->dict = c->bytes;
	rta_buf_reset(&c->dbody);
	c->ndict = 0;
	/* (num_dict clears its own table) */
	if (c->bytes && c->nslots > 0)
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
}

/* Encode the row group being buffered, write the one before it. */
static int
flush_rowgroup(struct rta_pq_writer *w, struct rta_error *err)
{
	struct job *j = &w->jobs[w->nextjob];
	size_t i;
	int rc;

	if (w->rg_rows == 0)
		return RTA_OK;
	rta_buf_reset(&j->arena);
	j->npages = 0;
	j->zneed = 0;
	j->rows = w->rg_rows;
	for (i = 0; i < w->ncols; i++)
		if ((rc = encode_chunk(w, j, i, err)) != RTA_OK)
			return rc;
	if ((rc = land(w, err)) != RTA_OK ||
	    (rc = submit(w, j, err)) != RTA_OK)
		return rc;
	w->nextjob ^= 1;
	for (i = 0; i < w->ncols; i++)
		col_reset(w, &w->cols[i]);
	w->rg_rows = 0;
	return RTA_OK;
}

static void
put_stats(struct rta_tw *t, const struct col *c, const struct chunk *ck)
{
	unsigned char lo[8], hi[8];
	size_t n = 8;

	rta_tw_begin(t, 12);
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
		rta_tw_bin(t, 1, hi, n);
		rta_tw_bin(t, 2, lo, n);
	}
	rta_tw_i64(t, 3, (int64_t)ck->nulls);
	if (ck->has_minmax) {
		if (c->bytes) {
			rta_tw_bin(t, 5, ck->smax, ck->smaxlen);
			rta_tw_bin(t, 6, ck->smin, ck->sminlen);
		} else {
			rta_tw_bin(t, 5, hi, n);
			rta_tw_bin(t, 6, lo, n);
		}
	}
	if (c->type == RTA_PQ_DOUBLE)
		rta_tw_i64(t, 9, (int64_t)ck->nans);
	rta_tw_end(t);
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

/* Serialize the RowGroup of job j, whose first page is at start. */
static void
put_rowgroup(struct rta_pq_writer *w, struct rta_tw *t, const struct job *j,
    uint64_t start)
{
	uint64_t unc = 0, comp = 0;
	size_t i, k;

	rta_tw_begin(t, 0);
	rta_tw_list(t, 1, RTA_TT_STRUCT, w->ncols);
	for (i = 0; i < w->ncols; i++) {
		const struct col *c = &w->cols[i];
		const struct chunk *ck = &j->chunks[i];
		int ne = 0, encs[10], e;

		unc += ck->unc;
		comp += ck->comp;
		for (e = 0; e < 10; e++)
			if (ck->encs & 1U << e)
				encs[ne++] = e;
		rta_tw_begin(t, 0);			/* ColumnChunk */
		rta_tw_i64(t, 2, 0);
		rta_tw_begin(t, 3);			/* ColumnMetaData */
		rta_tw_i32(t, 1, phys_type(c->type));
		rta_tw_list(t, 2, RTA_TT_I32, (size_t)ne);
		for (k = 0; k < (size_t)ne; k++)
			rta_tw_zigzag(t, encs[k]);
		rta_tw_list(t, 3, RTA_TT_BINARY, 1);
		rta_tw_uleb(t, c->namelen);
		rta_tw_raw(t, c->name, c->namelen);
		rta_tw_i32(t, 4, w->level != 0 ? CODEC_ZSTD :
		    CODEC_UNCOMPRESSED);
		rta_tw_i64(t, 5, (int64_t)j->rows);
		rta_tw_i64(t, 6, (int64_t)ck->unc);
		rta_tw_i64(t, 7, (int64_t)ck->comp);
		rta_tw_i64(t, 9, (int64_t)ck->data_off);
		if (ck->dict)
			rta_tw_i64(t, 11, (int64_t)ck->dict_off);
		put_stats(t, c, ck);
		rta_tw_end(t);
		rta_tw_end(t);
	}
	rta_tw_i64(t, 2, (int64_t)unc);
	rta_tw_i64(t, 3, (int64_t)j->rows);
	rta_tw_i64(t, 5, (int64_t)start);
	rta_tw_i64(t, 6, (int64_t)comp);
	if (w->nrg <= INT16_MAX) {
		rta_tw_field(t, RTA_TT_I16, 7);
		rta_tw_zigzag(t, (int64_t)w->nrg);
	}
	rta_tw_end(t);
}

/* ---- rows --------------------------------------------------------------- */

/* Take back every value of the row being added. */
static void
undo_row(struct rta_pq_writer *w)
{
	size_t i;

	for (i = 0; i < w->ncols; i++) {
		unset(w, &w->cols[i]);
		w->cols[i].too_big = 0;
	}
	w->bad = w->misuse = 0;
}

/* Make room for one more row in every valid[]. */
static int
grow_valid(struct rta_pq_writer *w)
{
	size_t n = w->vcap * 2, i;
	unsigned char *v;

	if (n > w->rg_rows_max)
		n = (size_t)w->rg_rows_max;
	for (i = 0; i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		if (!c->optional)
			continue;
		if ((v = rta_realloc(c->valid, n)) == NULL)
			return -1;
		memset(v + w->vcap, 0, n - w->vcap);
		c->valid = v;
	}
	w->vcap = n;
	return 0;
}

/* What is wrong with the row being added, if anything. */
static int
check_row(struct rta_pq_writer *w, struct rta_error *err)
{
	size_t i;

	if (w->dead)
		return rta_error_set(err, w->dead, "dead",
		    "the Parquet writer failed earlier");
	if (w->misuse || w->finished)
		return rta_error_set(err, RTA_EINVAL, "misuse",
		    "a value call that does not match its column, "
		    "or after the end");
	for (i = 0; i < w->ncols; i++) {
		const struct col *c = &w->cols[i];

		if (c->too_big)
			return rta_error_set(err, RTA_ELIMIT, "too-big",
			    "column %s: a value longer than %u bytes",
			    c->name, (unsigned)VALUE_MAX);
		if (!c->optional && c->stamp != w->stamp)
			return rta_error_set(err, RTA_EINVAL, "null",
			    "column %s: no value for a required column",
			    c->name);
	}
	return RTA_OK;
}

int
rta_pq_row(struct rta_pq_writer *w, struct rta_error *err)
{
	int rc;

	if (w->bad || w->nreq_set != w->nreq || w->dead || w->finished) {
		if ((rc = check_row(w, err)) != RTA_OK) {
			undo_row(w);
			return rc;
		}
		w->bad = 0;
	}
	if (w->rg_rows + 1 == w->vcap && w->vcap < w->rg_rows_max &&
	    grow_valid(w) != 0) {
		undo_row(w);
		return rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	}
	w->stamp++;
	w->nreq_set = 0;
	w->rows++;
	if (++w->rg_rows == w->rg_rows_max)
		return flush_rowgroup(w, err);
	return RTA_OK;
}

/* ---- the file ----------------------------------------------------------- */

static void
put_leaf(struct rta_tw *t, const struct col *c)
{
	rta_tw_begin(t, 0);
	rta_tw_i32(t, 1, phys_type(c->type));
	rta_tw_i32(t, 3, c->optional ? 1 : 0);
	rta_tw_bin(t, 4, c->name, c->namelen);
	switch (c->type) {
	case RTA_PQ_INT64:
		rta_tw_i32(t, 6, CT_INT_64);
		rta_tw_begin(t, 10);
		rta_tw_begin(t, 10);			/* INTEGER */
		rta_tw_field(t, RTA_TT_I8, 1);
		rta_tw_byte(t, 64);
		rta_tw_bool(t, 2, 1);
		rta_tw_end(t);
		rta_tw_end(t);
		break;
	case RTA_PQ_TIMESTAMP:
		rta_tw_i32(t, 6, CT_TIMESTAMP_MICROS);
		rta_tw_begin(t, 10);
		rta_tw_begin(t, 8);				/* TIMESTAMP */
		rta_tw_bool(t, 1, 1);
		rta_tw_begin(t, 2);				/* TimeUnit */
		rta_tw_empty(t, 2);				/* MICROS */
		rta_tw_end(t);
		rta_tw_end(t);
		rta_tw_end(t);
		break;
	case RTA_PQ_STRING:
		rta_tw_i32(t, 6, CT_UTF8);
		rta_tw_begin(t, 10);
		rta_tw_empty(t, 1);				/* STRING */
		rta_tw_end(t);
		break;
	case RTA_PQ_JSON:
		rta_tw_i32(t, 6, CT_JSON);
		rta_tw_begin(t, 10);
		rta_tw_empty(t, 12);			/* JSON */
		rta_tw_end(t);
		break;
	default:
		break;
	}
	rta_tw_end(t);
}

static void
put_footer(struct rta_pq_writer *w, struct rta_tw *t)
{
	const char *cb = w->created_by != NULL ? w->created_by :
	    "rta version " RTA_VERSION;
	size_t i;

	rta_tw_i32(t, 1, 1);
	rta_tw_list(t, 2, RTA_TT_STRUCT, w->ncols + 1);
	rta_tw_begin(t, 0);
	rta_tw_bin(t, 4, "schema", 6);
	rta_tw_i32(t, 5, (int32_t)w->ncols);
	rta_tw_end(t);
	for (i = 0; i < w->ncols; i++)
		put_leaf(t, &w->cols[i]);
	rta_tw_i64(t, 3, (int64_t)w->rows);
	rta_tw_list(t, 4, RTA_TT_STRUCT, (size_t)w->nrg);
	rta_tw_raw(t, w->rgs.data, w->rgs.len);
	if (w->nkv > 0) {
		rta_tw_list(t, 5, RTA_TT_STRUCT, w->nkv);
		for (i = 0; i < w->nkv; i++) {
			rta_tw_begin(t, 0);
			rta_tw_bin(t, 1, w->kv[i].key, strlen(w->kv[i].key));
			if (w->kv[i].value != NULL)
				rta_tw_bin(t, 2, w->kv[i].value,
				    strlen(w->kv[i].value));
			rta_tw_end(t);
		}
	}
	rta_tw_bin(t, 6, cb, strlen(cb));
	rta_tw_list(t, 7, RTA_TT_STRUCT, w->ncols);
	for (i = 0; i < w->ncols; i++) {
		rta_tw_begin(t, 0);
		rta_tw_empty(t, 1);				/* TYPE_ORDER */
		rta_tw_end(t);
	}
	rta_tw_byte(t, 0);
}

int
rta_pq_writer_finish(struct rta_pq_writer *w, struct rta_error *err)
{
	struct rta_buf f = RTA_BUF_INIT;
	unsigned char tail[8];
	struct rta_tw t;
	int rc;

	/* Values given without their rta_pq_row are not a row. */
	undo_row(w);
	if (w->dead)
		return rta_error_set(err, w->dead, "dead",
		    "the Parquet writer failed earlier");
	if (w->finished)
		return rta_error_set(err, RTA_EINVAL, "misuse",
		    "the Parquet file is already finished");
	if ((rc = flush_rowgroup(w, err)) != RTA_OK ||
	    (rc = land(w, err)) != RTA_OK)
		return rc;
	rta_tw_init(&t, &f);
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
	helper_stop(w);
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
kind_of(enum rta_pq_type t)
{
	switch (t) {
	case RTA_PQ_BOOL:
		return K_BOOL;
	case RTA_PQ_INT64:
	case RTA_PQ_TIMESTAMP:
		return K_INT;
	case RTA_PQ_DOUBLE:
		return K_DOUBLE;
	default:
		return K_BYTES;
	}
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
		c->kind = kind_of(c->type);
		c->optional = cols[i].optional != 0;
		c->bytes = c->kind == K_BYTES;
		c->dict = c->bytes;
		if (c->optional &&
		    (c->valid = rta_calloc(w->vcap, 1)) == NULL)
			return -1;
		if (!c->optional)
			w->nreq++;
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
	w->stamp = 1;
	w->vcap = o->row_group_rows < 1024 ? (size_t)o->row_group_rows : 1024;
	if ((w->cols = rta_calloc(ncols, sizeof(*w->cols))) == NULL ||
	    copy_opts(w, cols, o) != 0 ||
	    (w->jobs[0].chunks = rta_calloc(ncols, sizeof(struct chunk))) ==
	    NULL ||
	    (w->jobs[1].chunks = rta_calloc(ncols, sizeof(struct chunk))) ==
	    NULL ||
	    (w->out = rta_malloc(OUT_CAP)) == NULL)
		goto nomem;
	if (w->level != 0 && ((w->cc = ZSTD_createCCtx()) == NULL ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cc,
	    ZSTD_c_compressionLevel, w->level))))
		goto nomem;
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
	helper_stop(w);
	for (i = 0; w->cols != NULL && i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		rta_free(c->name);
		rta_free(c->valid);
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
	for (i = 0; i < 2; i++) {
		rta_buf_release(&w->jobs[i].arena);
		rta_free(w->jobs[i].pages);
		rta_free(w->jobs[i].chunks);
	}
	rta_buf_release(&w->zslots);
	rta_free(w->scratch);
	ZSTD_freeCCtx(w->cc);
	ZSTD_freeCCtx(w->tcc);
	rta_free(w->out);
	rta_buf_release(&w->hdr);
	rta_buf_release(&w->rgs);
	rta_free(w);
}
