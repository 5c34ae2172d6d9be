/*
 * rta_parquet_cursor.c: the cursors of rta_parquet.h, which decode one
 * column chunk's pages a batch at a time (the footer is parsed in
 * rta_parquet_read.c).
 *
 * A cursor walks one chunk's pages in order: each header (Thrift
 * compact) is parsed inside the chunk, its body checked against what
 * remains of the chunk and decompressed into a buffer that grows with
 * the bytes zstd produces, up to the size the header states, which the
 * result must meet exactly.  Values are decoded a batch at a time
 * straight from the page (rta_pqenc): PLAIN fixed-width values by
 * memcpy, RLE/bit-packed runs eight values at a time, dictionary
 * indices gathered from a dictionary decoded once per chunk,
 * DELTA_BINARY_PACKED miniblocks unpacked and summed, BYTE_STREAM_SPLIT
 * streams transposed eight values at a time.  Page CRCs are checked by
 * carry-less multiplication where the CPU has it (rta_crc32).
 *
 * Nothing read from a file sizes an allocation by itself: dictionaries
 * grow with the entries decoded, page buffers with the bytes zstd
 * writes (its frame header is only a hint, bounded by RTA_PQ_PAGE_MAX),
 * and batch arrays are bounded by the caller's max and BATCH_MAX.  RLE
 * runs are bounded by the end of their data, and the values taken from
 * them by the values the page still expects; a page's values by the
 * chunk's.  A few bytes of RLE may still stand for 2^31 nulls, which
 * are returned in time linear in their number, as a real file's would.
 * STRING and JSON values and dictionary entries must be UTF-8.  A
 * cursor that failed gives the same error to every later call.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_parquet.h"
#include "rta_parquet_read_int.h"
#include "rta_pqenc.h"
#include "rta_thrift.h"
#include "rta_utf8.h"

#define BATCH_MAX	65536	/* rows in one batch at most */
#define ZBUF_MIN	65536	/* first page buffer when zstd gives no hint */

/* ---- cursors -------------------------------------------------------- */

static const char *
encoding_name(int32_t e)
{
	static const char *const n[] = { "PLAIN", "GROUP_VAR_INT",
	    "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
	    "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY",
	    "BYTE_STREAM_SPLIT" };

	return e >= 0 && e <= 9 ? n[e] : "unknown";
}

struct rta_pq_cursor {
	const struct rta_pq_file *f;
	const struct pq_col	*col;
	const struct pq_chunk	*ch;
	size_t			 rg;
	uint64_t		 pos, end;	/* next page header, chunk end */
	uint64_t		 left;		/* chunk rows not returned */
	uint64_t		 page_off;	/* current page's header */
	int			 data_seen;	/* a data page was read */
	int			 failed;	/* an error was returned */
	struct rta_error	 fail;		/* ... this one */

	/* the current data page */
	uint64_t		 page_left;	/* rows not returned */
	int			 enc;		/* E_PLAIN, E_RLE_DICT (for both
						 * dictionary encodings),
						 * E_DELTA or E_SPLIT */
	struct rta_rle		 lv;		/* definition levels */
	struct rta_rle		 ix;		/* dictionary indices */
	const unsigned char	*vp, *vend;	/* PLAIN values; E_SPLIT: the
						 * streams */
	uint64_t		 vbit;		/* PLAIN BOOLEAN: next bit */
	struct rta_delta		 dv;		/* E_DELTA */
	size_t			 sn, si;	/* E_SPLIT: values a stream,
						 * the next one */

	/* the chunk's dictionary */
	int			 has_dict;
	size_t			 ndict, capdict, capdl;
	int64_t			*di;
	double			*df;
	const unsigned char	**ds;
	uint32_t		*dl;
	unsigned char		*dbuf;		/* its decompressed page */
	size_t			 dcap;

	unsigned char		*buf;		/* decompressed data page */
	size_t			 cap;
	ZSTD_DCtx		*zd;

	/* the batch */
	size_t			 bcap;
	uint8_t			*valid;
	int64_t			*i64;
	double			*f64;
	const unsigned char	**s;
	uint32_t		*slen;
	uint32_t		*idx;
};

/*
 * An error about the current page (what, or NULL when memory ran out),
 * kept as the answer to every later call.
 */
static int
cur_bad(struct rta_pq_cursor *c, struct rta_error *err, const char *what)
{
	c->failed = 1;
	if (what == NULL)
		rta_error_set(&c->fail, RTA_ENOMEM, "no-memory",
		    "out of memory");
	else
		rta_error_set(&c->fail, RTA_EDATA, "bad-parquet",
		    "%s: column %s, row group %zu: page at offset %llu: %s",
		    c->f->name, c->col->qname, c->rg,
		    (unsigned long long)c->page_off, what);
	c->fail.offset = (size_t)c->page_off;
	if (err != NULL)
		*err = c->fail;
	return c->fail.code;
}

static int
cur_nomem(struct rta_pq_cursor *c, struct rta_error *err)
{
	return cur_bad(c, err, NULL);
}

int
rta_pq_cursor_open(const struct rta_pq_file *f, size_t rg, size_t col,
    struct rta_pq_cursor **cp, struct rta_error *err)
{
	struct rta_pq_cursor *c;

	*cp = NULL;
	if (rg >= f->nrgs || col >= f->ncols)
		return rta_error_set(err, RTA_EINVAL, "bad-option",
		    "%s: no column %zu in row group %zu", f->name, col, rg);
	if ((c = rta_calloc(1, sizeof(*c))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	c->f = f;
	c->rg = rg;
	c->col = &f->cols[col];
	c->ch = &f->chunks[f->rgs[rg].first + col];
	c->pos = c->ch->start;
	c->end = c->ch->start + c->ch->len;
	c->left = (uint64_t)c->ch->nvals;
	c->page_off = c->pos;
	if (c->ch->codec == C_ZSTD && (c->zd = ZSTD_createDCtx()) == NULL) {
		rta_free(c);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	*cp = c;
	return RTA_OK;
}

void
rta_pq_cursor_close(struct rta_pq_cursor *c)
{
	if (c == NULL)
		return;
	ZSTD_freeDCtx(c->zd);
	rta_free(c->di);
	rta_free(c->df);
	rta_free(c->ds);
	rta_free(c->dl);
	rta_free(c->dbuf);
	rta_free(c->buf);
	rta_free(c->valid);
	rta_free(c->i64);
	rta_free(c->f64);
	rta_free(c->s);
	rta_free(c->slen);
	rta_free(c->idx);
	rta_free(c);
}

/*
 * Decompress the zstd body src[0..n) into *buf (capacity *cap), which
 * must come to exactly want bytes.  The buffer grows with the output
 * zstd actually writes; the frame's own size is only a first guess.
 * NULL, or what is wrong (*oom set when memory ran out).
 */
static const char *
unzstd(ZSTD_DCtx *zd, const unsigned char *src, size_t n, size_t want,
    unsigned char **buf, size_t *cap, int *oom)
{
	unsigned long long hint;
	ZSTD_inBuffer in = { src, n, 0 };
	ZSTD_outBuffer out;
	size_t r, size, prev_in, prev_out;
	unsigned char *nb;

	hint = ZSTD_getFrameContentSize(src, n);
	if (hint != ZSTD_CONTENTSIZE_UNKNOWN &&
	    hint != ZSTD_CONTENTSIZE_ERROR && hint > want)
		return "page body larger than its header says";
	/* one byte more than wanted shows a body that is too large */
	size = hint == want ? want + 1 : *cap > ZBUF_MIN ? *cap : ZBUF_MIN;
	if (size > want + 1)
		size = want + 1;
	if (size < *cap)
		size = *cap;
	if (size > *cap) {
		if ((nb = rta_realloc(*buf, size)) == NULL) {
			*oom = 1;
			return NULL;
		}
		*buf = nb;
		*cap = size;
	}
	ZSTD_DCtx_reset(zd, ZSTD_reset_session_only);
	out.dst = *buf;
	out.size = *cap < want + 1 ? *cap : want + 1;
	out.pos = 0;
	for (;;) {
		prev_in = in.pos;
		prev_out = out.pos;
		r = ZSTD_decompressStream(zd, &out, &in);
		if (ZSTD_isError(r))
			return "zstd: bad frame";
		if (out.pos > want)
			return "page body larger than its header says";
		if (r == 0 && in.pos == in.size)
			break;
		if (out.pos == out.size) {
			/* grow, doubling, up to want + 1 */
			size = *cap * 2 < want + 1 ? *cap * 2 : want + 1;
			if (size > *cap) {
				if ((nb = rta_realloc(*buf, size)) == NULL) {
					*oom = 1;
					return NULL;
				}
				*buf = nb;
				*cap = size;
			}
			out.dst = *buf;
			out.size = size;
			continue;
		}
		if (in.pos == in.size)
			return "zstd: truncated frame";
		if (in.pos == prev_in && out.pos == prev_out)
			return "zstd: no progress";
	}
	if (out.pos != want)
		return "page body smaller than its header says";
	return NULL;
}

/* A page header at c->pos, inside the chunk. */
struct pghdr {
	int32_t		 type, usize, csize, crc;
	int32_t		 nvals, enc, def_enc;
	unsigned	 has;
};

#define PH_TYPE		0x01
#define PH_USIZE	0x02
#define PH_CSIZE	0x04
#define PH_DATA		0x08
#define PH_DICT		0x10
#define PH_NVALS	0x20
#define PH_ENC		0x40
#define PH_DEF		0x80
#define PH_CRC		0x100

static int
f_datahdr(struct rta_tr *t, void *arg, int id, int type)
{
	struct pghdr *h = arg;
	int32_t *dst[] = { NULL, &h->nvals, &h->enc, &h->def_enc };
	static const unsigned bits[] = { 0, PH_NVALS, PH_ENC, PH_DEF };

	if (type == RTA_TT_I32 && id >= 1 && id <= 3) {
		h->has |= bits[id];
		return rta_tr_i32(t, dst[id]);
	}
	return 1;
}

static int
f_pagehdr(struct rta_tr *t, void *arg, int id, int type)
{
	struct pghdr *h = arg;
	int32_t *dst[] = { NULL, &h->type, &h->usize, &h->csize, &h->crc };
	static const unsigned bits[] = { 0, PH_TYPE, PH_USIZE, PH_CSIZE,
	    PH_CRC };

	if (type == RTA_TT_I32 && id >= 1 && id <= 4) {
		h->has |= bits[id];
		return rta_tr_i32(t, dst[id]);
	}
	/* the v1 data page header and the dictionary page header both
	 * begin num_values, encoding */
	if (type == RTA_TT_STRUCT && (id == 5 || id == 7)) {
		h->has |= id == 5 ? PH_DATA : PH_DICT;
		return rta_tr_struct(t, f_datahdr, h);
	}
	return 1;
}


/*
 * A dictionary of n numbers: the page's bytes hold them all, so the
 * array is sized once (by what the page holds, not by n alone).
 */
static int
load_dict_fixed(struct rta_pq_cursor *c, const unsigned char *p,
    size_t len, int32_t n, struct rta_error *err)
{
	const struct pq_col *k = c->col;
	size_t w = col_width(k), i, cap;
	int dbl = k->pub.type == RTA_PQ_DOUBLE;
	int64_t iv = 0;
	double dv = 0;
	void *v;

	if ((size_t)n > len / w)
		return cur_bad(c, err, "dictionary entry past the page end");
	if ((size_t)n > c->capdict) {
		cap = (size_t)n;
		v = rta_reallocarray(dbl ? (void *)c->df : (void *)c->di, cap,
		    8);
		if (v == NULL)
			return cur_nomem(c, err);
		if (dbl)
			c->df = v;
		else
			c->di = v;
		c->capdict = cap;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (k->conv == CV_F64 || k->conv == CV_I64) {
		if (n > 0)
			memcpy(dbl ? (void *)c->df : (void *)c->di, p,
			    (size_t)n * 8);
		i = (size_t)n;
	} else
#endif
	for (i = 0; i < (size_t)n; i++, p += w) {
		if (conv_one(k, p, &iv, &dv) != 0)
			return cur_bad(c, err, "timestamp out of range");
		if (dbl)
			c->df[i] = dv;
		else
			c->di[i] = iv;
	}
	c->ndict = i;
	c->has_dict = 1;
	return RTA_OK;
}

/*
 * A dictionary page body of n entries, decoded once for the chunk:
 * byte arrays point into the page (kept in c->dbuf or the file), fixed
 * widths are converted (load_dict_fixed).  The arrays of byte arrays
 * grow with the entries decoded.
 */
static int
load_dict(struct rta_pq_cursor *c, const unsigned char *p, size_t len,
    int32_t n, struct rta_error *err)
{
	const unsigned char *end = p + len;
	const struct pq_col *k = c->col;
	size_t i, sl;
	int oom = 0;

	if (k->conv == CV_BOOL)
		return cur_bad(c, err, "dictionary for a BOOLEAN column");
	if (k->conv != CV_BYTES)
		return load_dict_fixed(c, p, len, n, err);
	for (i = 0; i < (size_t)n; i++) {
		c->ds = grow(c->ds, &c->capdict, i, sizeof(*c->ds),
		    &oom);
		c->dl = grow(c->dl, &c->capdl, i, sizeof(*c->dl), &oom);
		if (oom)
			return cur_nomem(c, err);
		if ((size_t)(end - p) < 4 ||
		    (sl = rta_get_u32(p)) > (size_t)(end - p) - 4)
			return cur_bad(c, err,
			    "dictionary entry past the page end");
		if (k->utf8 && !rta_plain_ascii(p + 4, sl) &&
		    !rta_utf8_valid(p + 4, sl, NULL))
			return cur_bad(c, err,
			    "dictionary entry not UTF-8");
		c->ds[i] = p + 4;
		c->dl[i] = (uint32_t)sl;
		p += 4 + sl;
	}
	c->ndict = i;
	c->has_dict = 1;
	return RTA_OK;
}

/* Set up the data page body p[0..len) with nvals rows. */
static int
load_data(struct rta_pq_cursor *c, const struct pghdr *h,
    const unsigned char *p, size_t len, struct rta_error *err)
{
	const unsigned char *end = p + len;
	char msg[100];
	const char *why;
	uint64_t nn = (uint64_t)h->nvals;
	uint32_t dl;

	c->enc = h->enc == E_PLAIN_DICT ? E_RLE_DICT : h->enc;
	if (c->enc != E_PLAIN && c->enc != E_RLE_DICT &&
	    !(c->enc == E_DELTA && (c->col->phys == P_INT32 ||
	    c->col->phys == P_INT64)) &&
	    !(c->enc == E_SPLIT && c->col->conv != CV_BOOL &&
	    c->col->conv != CV_BYTES)) {
		snprintf(msg, sizeof(msg), "encoding %s not supported for "
		    "%s", encoding_name(h->enc), phys_name(c->col->phys));
		return cur_bad(c, err, msg);
	}
	if (c->col->pub.optional) {
		if (!(h->has & PH_DEF) || h->def_enc != E_RLE) {
			snprintf(msg, sizeof(msg), "definition levels in "
			    "encoding %s not supported",
			    encoding_name(h->def_enc));
			return cur_bad(c, err, msg);
		}
		if (len < 4 || (dl = rta_get_u32(p)) > len - 4)
			return cur_bad(c, err,
			    "definition levels past the page end");
		rta_rle_init(&c->lv, p + 4, p + 4 + dl, 1, nn);
		if ((why = rta_rle_count(c->lv, &nn)) != NULL) {
			snprintf(msg, sizeof(msg), "definition levels: %s",
			    why);
			return cur_bad(c, err, msg);
		}
		p += 4 + dl;
	}
	if (c->enc == E_DELTA &&
	    (why = rta_delta_init(&c->dv, p, (size_t)(end - p), nn)) != NULL)
		return cur_bad(c, err, why);
	if (c->enc == E_SPLIT) {
		/* the k-th bytes of the values, stream after stream */
		if ((uint64_t)(end - p) != nn * col_width(c->col))
			return cur_bad(c, err, "byte streams of the wrong "
			    "length");
		c->sn = (size_t)nn;
		c->si = 0;
	}
	if (c->enc == E_RLE_DICT) {
		if (!c->has_dict)
			return cur_bad(c, err,
			    "dictionary indices without a dictionary");
		if (nn > 0) {
			if (p == end || *p > 32)
				return cur_bad(c, err,
				    "bad dictionary index bit width");
			rta_rle_init(&c->ix, p + 1, end, *p, nn);
		}
	}
	c->vp = p;
	c->vend = end;
	c->vbit = 0;
	c->page_left = (uint64_t)h->nvals;
	return RTA_OK;
}

/* Read pages until one with rows to return is current. */
static int
next_page(struct rta_pq_cursor *c, struct rta_error *err)
{
	const struct rta_pq_file *f = c->f;
	const unsigned char *body;
	const char *why;
	struct pghdr h;
	struct rta_tr t;
	char msg[120];
	uint64_t boff;
	int rc, oom = 0, dict;

	for (;;) {
		c->page_off = c->pos;
		if (c->pos >= c->end) {
			snprintf(msg, sizeof(msg), "chunk ends after %llu of "
			    "its %lld values", (unsigned long long)
			    ((uint64_t)c->ch->nvals - c->left),
			    (long long)c->ch->nvals);
			return cur_bad(c, err, msg);
		}
		memset(&h, 0, sizeof(h));
		t.p = f->p + c->pos;
		t.end = f->p + c->end;
		t.why = NULL;
		t.depth = 0;
		if (rta_tr_struct(&t, f_pagehdr, &h) != 0) {
			snprintf(msg, sizeof(msg), "page header: %s", t.why);
			return cur_bad(c, err, msg);
		}
		if ((h.has & (PH_TYPE | PH_USIZE | PH_CSIZE)) !=
		    (PH_TYPE | PH_USIZE | PH_CSIZE))
			return cur_bad(c, err, "page header incomplete");
		boff = (uint64_t)(t.p - f->p);
		if (h.csize < 0 || h.usize < 0)
			return cur_bad(c, err, "negative page size");
		if ((uint64_t)h.csize > c->end - boff)
			return cur_bad(c, err, "page body past the chunk end");
		c->pos = boff + (uint64_t)h.csize;
		if (h.type == PG_INDEX)
			continue;
		if (h.type == PG_DATA_V2)
			return cur_bad(c, err, "DATA_PAGE_V2 not supported");
		if (h.type != PG_DATA && h.type != PG_DICT) {
			snprintf(msg, sizeof(msg), "page type %d not supported",
			    (int)h.type);
			return cur_bad(c, err, msg);
		}
		dict = h.type == PG_DICT;
		if (!(h.has & (dict ? PH_DICT : PH_DATA)) ||
		    (h.has & (PH_NVALS | PH_ENC)) != (PH_NVALS | PH_ENC))
			return cur_bad(c, err, "page header incomplete");
		if (h.nvals < 0)
			return cur_bad(c, err, "negative value count");
		if ((uint64_t)h.usize > RTA_PQ_PAGE_MAX)
			return cur_bad(c, err, "page larger than the limit");
		if (dict && (c->data_seen || c->has_dict))
			return cur_bad(c, err, "dictionary page not first");
		if (dict && h.enc != E_PLAIN && h.enc != E_PLAIN_DICT) {
			snprintf(msg, sizeof(msg), "dictionary in encoding %s "
			    "not supported", encoding_name(h.enc));
			return cur_bad(c, err, msg);
		}
		if (!dict && (uint64_t)h.nvals > c->left)
			return cur_bad(c, err,
			    "more values than the chunk holds");
		/* the optional CRC-32 of the page's bytes as stored */
		if ((h.has & PH_CRC) && rta_crc32(0, f->p + boff,
		    (size_t)h.csize) != (uint32_t)h.crc)
			return cur_bad(c, err, "page checksum mismatch");
		if (c->ch->codec == C_UNCOMPRESSED) {
			if (h.usize != h.csize)
				return cur_bad(c, err, "uncompressed page with "
				    "two sizes");
			body = f->p + boff;
		} else {
			why = unzstd(c->zd, f->p + boff, (size_t)h.csize,
			    (size_t)h.usize, dict ? &c->dbuf : &c->buf,
			    dict ? &c->dcap : &c->cap, &oom);
			if (oom)
				return cur_nomem(c, err);
			if (why != NULL)
				return cur_bad(c, err, why);
			body = dict ? c->dbuf : c->buf;
		}
		if (dict) {
			if ((rc = load_dict(c, body, (size_t)h.usize, h.nvals,
			    err)) != RTA_OK)
				return rc;
			continue;
		}
		c->data_seen = 1;
		if ((rc = load_data(c, &h, body, (size_t)h.usize, err)) !=
		    RTA_OK)
			return rc;
		if (c->page_left > 0)
			return RTA_OK;
	}
}

static int	fixed_values(struct rta_pq_cursor *, const unsigned char *,
		    size_t, struct rta_error *);

/* nn PLAIN values into slots 0..nn-1. */
static int
plain_values(struct rta_pq_cursor *c, size_t nn, struct rta_error *err)
{
	const struct pq_col *k = c->col;
	const unsigned char *p = c->vp;
	size_t avail = (size_t)(c->vend - p), w, i, sl;
	uint64_t bit;

	switch (k->conv) {
	case CV_BOOL:
		bit = c->vbit;
		if ((bit + nn + 7) / 8 > avail)
			return cur_bad(c, err, "values past the page end");
		for (i = 0; i < nn; i++, bit++)
			c->i64[i] = p[bit >> 3] >> (bit & 7) & 1;
		c->vbit = bit;
		return RTA_OK;
	case CV_BYTES:
		for (i = 0; i < nn; i++) {
			if (avail < 4 || (sl = rta_get_u32(p)) > avail - 4)
				return cur_bad(c, err,
				    "values past the page end");
			if (k->utf8 && !rta_plain_ascii(p + 4, sl) &&
			    !rta_utf8_valid(p + 4, sl, NULL))
				return cur_bad(c, err, "value not UTF-8");
			c->s[i] = p + 4;
			c->slen[i] = (uint32_t)sl;
			p += 4 + sl;
			avail -= 4 + sl;
		}
		c->vp = p;
		return RTA_OK;
	default:
		break;
	}
	w = col_width(k);
	if (nn > avail / w)
		return cur_bad(c, err, "values past the page end");
	c->vp = p + nn * w;
	return fixed_values(c, p, nn, err);
}

/*
 * nn values of a fixed-width column, in PLAIN layout at p, into slots
 * 0..nn-1.  p may be the slots' own memory.
 */
static int
fixed_values(struct rta_pq_cursor *c, const unsigned char *p, size_t nn,
    struct rta_error *err)
{
	const struct pq_col *k = c->col;
	size_t w = col_width(k), i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* the common case: the values are the batch's bytes */
	if (k->conv == CV_I64) {
		if (p != (const unsigned char *)c->i64)
			memcpy(c->i64, p, nn * 8);
		return RTA_OK;
	}
	if (k->conv == CV_F64) {
		if (p != (const unsigned char *)c->f64)
			memcpy(c->f64, p, nn * 8);
		return RTA_OK;
	}
#endif
	switch (k->conv) {
	case CV_I32:
		for (i = 0; i < nn; i++)
			c->i64[i] = (int32_t)rta_get_u32(p + 4 * i);
		return RTA_OK;
	case CV_F32:
		for (i = 0; i < nn; i++)
			c->f64[i] = get_f32(p + 4 * i);
		return RTA_OK;
	default:
		break;
	}
	for (i = 0; i < nn; i++, p += w) {
		int64_t iv = 0;
		double dv = 0;

		if (conv_one(k, p, &iv, &dv) != 0)
			return cur_bad(c, err, "timestamp out of range");
		if (k->pub.type == RTA_PQ_DOUBLE)
			c->f64[i] = dv;
		else
			c->i64[i] = iv;
	}
	return RTA_OK;
}

/* nn BYTE_STREAM_SPLIT values into slots 0..nn-1. */
static int
split_values(struct rta_pq_cursor *c, size_t nn, struct rta_error *err)
{
	const unsigned char *s = c->vp + c->si;
	size_t sn = c->sn, w = col_width(c->col);
	unsigned char *dst;

	if (nn > sn - c->si)
		return cur_bad(c, err, "more values asked than the page holds");
	c->si += nn;
	if (w == 4)
		dst = (unsigned char *)c->idx;
	else
		dst = c->col->pub.type == RTA_PQ_DOUBLE ?
		    (unsigned char *)c->f64 : (unsigned char *)c->i64;
	rta_unsplit(dst, s, sn, nn, w);
	return fixed_values(c, dst, nn, err);
}

/* nn DELTA_BINARY_PACKED values into slots 0..nn-1. */
static int
delta_values(struct rta_pq_cursor *c, size_t nn, struct rta_error *err)
{
	const struct pq_col *k = c->col;
	const char *why;
	int64_t iv = 0;
	double dv = 0;
	size_t i;

	if ((why = rta_delta_get(&c->dv, (uint64_t *)c->i64, nn)) != NULL)
		return cur_bad(c, err, why);
	if (k->conv == CV_I64)
		return RTA_OK;
	for (i = 0; i < nn; i++) {
		if (conv_int(k, c->i64[i], &iv, &dv) != 0)
			return cur_bad(c, err, "timestamp out of range");
		if (k->pub.type == RTA_PQ_DOUBLE)
			c->f64[i] = dv;
		else
			c->i64[i] = iv;
	}
	return RTA_OK;
}

/* nn dictionary-encoded values into slots 0..nn-1. */
static int
dict_values(struct rta_pq_cursor *c, size_t nn, struct rta_error *err)
{
	const char *why;
	char msg[100];
	uint32_t *ix = c->idx, nd = (uint32_t)c->ndict, bad = 0, x;
	size_t i;

	if ((why = rta_rle_get(&c->ix, ix, nn)) != NULL) {
		snprintf(msg, sizeof(msg), "dictionary indices: %s", why);
		return cur_bad(c, err, msg);
	}
	/* an index out of range reads entry 0 and fails the batch */
	if (nn > 0 && nd == 0)
		return cur_bad(c, err, "dictionary index out of range");
	if (c->col->conv == CV_BYTES)
		for (i = 0; i < nn; i++) {
			x = ix[i] < nd ? ix[i] : 0;
			bad |= ix[i] >= nd;
			c->s[i] = c->ds[x];
			c->slen[i] = c->dl[x];
		}
	else if (c->col->pub.type == RTA_PQ_DOUBLE)
		for (i = 0; i < nn; i++) {
			x = ix[i] < nd ? ix[i] : 0;
			bad |= ix[i] >= nd;
			c->f64[i] = c->df[x];
		}
	else
		for (i = 0; i < nn; i++) {
			x = ix[i] < nd ? ix[i] : 0;
			bad |= ix[i] >= nd;
			c->i64[i] = c->di[x];
		}
	if (bad)
		return cur_bad(c, err, "dictionary index out of range");
	return RTA_OK;
}

/* Spread the nn values in slots 0..nn-1 to the valid slots of n. */
static void
scatter(struct rta_pq_cursor *c, size_t n, size_t nn)
{
	const uint8_t *v = c->valid;
	size_t k = n, j = nn;

	if (c->col->conv == CV_BYTES)
		while (k-- > 0) {
			if (v[k]) {
				c->s[k] = c->s[--j];
				c->slen[k] = c->slen[j];
			} else {
				c->s[k] = NULL;
				c->slen[k] = 0;
			}
		}
	else {
		/* without branches, which nulls make unpredictable: a
		 * null's slot reads a slot below n and keeps none of it */
		unsigned char *a = c->col->pub.type == RTA_PQ_DOUBLE ?
		    (unsigned char *)c->f64 : (unsigned char *)c->i64;
		uint64_t x;

		while (k-- > 0) {
			j -= v[k];
			memcpy(&x, a + 8 * j, 8);
			x &= 0 - (uint64_t)v[k];
			memcpy(a + 8 * k, &x, 8);
		}
	}
}

/* Batch arrays for n rows. */
static int
batch_grow(struct rta_pq_cursor *c, size_t n)
{
	const struct pq_col *k = c->col;
	void *p;

#define GROW(a) do {							\
	if ((p = rta_reallocarray(c->a, n, sizeof(*c->a))) == NULL)	\
		return -1;						\
	c->a = p;							\
} while (0)
	if (k->pub.optional)
		GROW(valid);
	if (k->conv == CV_BYTES) {
		GROW(s);
		GROW(slen);
	} else if (k->pub.type == RTA_PQ_DOUBLE)
		GROW(f64);
	/* DECIMAL's DELTA_BINARY_PACKED integers land in i64 first */
	if (k->conv != CV_BYTES && (k->pub.type != RTA_PQ_DOUBLE ||
	    k->conv == CV_DEC32 || k->conv == CV_DEC64))
		GROW(i64);
	GROW(idx);
#undef GROW
	c->bcap = n;
	return 0;
}

int
rta_pq_cursor_next(struct rta_pq_cursor *c, size_t max,
    struct rta_pq_batch *b, struct rta_error *err)
{
	const struct pq_col *k = c->col;
	const char *why;
	char msg[100];
	size_t n, nn, i;
	int rc;

	memset(b, 0, sizeof(*b));
	if (c->failed) {
		if (err != NULL)
			*err = c->fail;
		return c->fail.code;
	}
	if (max == 0)
		return rta_error_set(err, RTA_EINVAL, "bad-option",
		    "a batch of no rows");
	while (c->page_left == 0) {
		if (c->left == 0)
			return RTA_EOF;
		if ((rc = next_page(c, err)) != RTA_OK)
			return rc;
	}
	n = max < BATCH_MAX ? max : BATCH_MAX;
	if (n > c->page_left)
		n = (size_t)c->page_left;
	if (n > c->bcap && batch_grow(c, n) != 0)
		return cur_nomem(c, err);
	nn = n;
	if (k->pub.optional) {
		if ((why = rta_rle_levels(&c->lv, c->valid, n)) != NULL) {
			snprintf(msg, sizeof(msg), "definition levels: %s",
			    why);
			return cur_bad(c, err, msg);
		}
		for (nn = 0, i = 0; i < n; i++)
			nn += c->valid[i];
	}
	switch (c->enc) {
	case E_RLE_DICT:
		rc = dict_values(c, nn, err);
		break;
	case E_DELTA:
		rc = delta_values(c, nn, err);
		break;
	case E_SPLIT:
		rc = split_values(c, nn, err);
		break;
	default:
		rc = plain_values(c, nn, err);
		break;
	}
	if (rc != RTA_OK)
		return rc;
	if (nn < n)
		scatter(c, n, nn);
	c->page_left -= n;
	c->left -= n;
	b->n = n;
	b->valid = nn < n ? c->valid : NULL;
	if (k->conv == CV_BYTES) {
		b->s = c->s;
		b->slen = c->slen;
	} else if (k->pub.type == RTA_PQ_DOUBLE)
		b->f64 = c->f64;
	else
		b->i64 = c->i64;
	return RTA_OK;
}
