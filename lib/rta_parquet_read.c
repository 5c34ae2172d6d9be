/*
 * rta_parquet_read.c: the reading half of rta_parquet.h.
 *
 * A file is borrowed whole.  rta_pq_open parses the footer (Thrift
 * compact) into columns, row groups and chunk ranges, checks every
 * offset against the file and every type against what the reader can
 * decode, and refuses the rest (nested schemas, repeated fields, codecs
 * other than UNCOMPRESSED and ZSTD) naming the column.  A cursor walks
 * one chunk's pages in order: each header is parsed inside the chunk,
 * its body checked against what remains of the chunk and decompressed
 * into a buffer that grows with the bytes zstd produces, up to the size
 * the header states, which the result must meet exactly.  Values are
 * decoded a batch at a time straight from the page: PLAIN fixed-width
 * values by memcpy, RLE/bit-packed runs eight values at a time,
 * dictionary indices gathered from a dictionary decoded once per chunk,
 * DELTA_BINARY_PACKED miniblocks unpacked and summed, BYTE_STREAM_SPLIT
 * streams transposed eight values at a time.  Page CRCs are checked by
 * carry-less multiplication where the CPU has it (rta_crc32).
 *
 * Nothing read from a file sizes an allocation by itself: footer arrays
 * grow with the elements parsed, dictionaries with the entries decoded,
 * page buffers with the bytes zstd writes (its frame header is only a
 * hint, bounded by RTA_PQ_PAGE_MAX), and batch arrays are bounded by the
 * caller's max and BATCH_MAX.  Thrift list sizes are bounded by the
 * bytes left and nesting by RTA_TR_DEPTH_MAX; RLE runs by the end of their
 * data, and the values taken from them by the values the page still
 * expects; a page's values by the chunk's, and the chunk's by its row
 * group's.  A few bytes of RLE may still stand for 2^31 nulls, which
 * are returned in time linear in their number, as a real file's would.
 * STRING and JSON values and dictionary entries must be UTF-8, and
 * column names too.  A cursor that failed gives the same error to every
 * later call.
 *
 * TIMESTAMP(NANOS) becomes microseconds by C division (toward zero), as
 * DuckDB casts it; MILLIS beyond the range of int64 microseconds is
 * damage.  DECIMAL is (double)unscaled / 10^scale: the nearest double
 * for up to 15 digits.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_parquet.h"
#include "rta_pqenc.h"
#include "rta_thrift.h"
#include "rta_utf8.h"

#define BATCH_MAX	65536	/* rows in one batch at most */
#define ZBUF_MIN	65536	/* first page buffer when zstd gives no hint */

/* Parquet enums. */
enum { P_BOOLEAN, P_INT32, P_INT64, P_INT96, P_FLOAT, P_DOUBLE,
	P_BYTE_ARRAY, P_FLBA };
enum { PG_DATA, PG_INDEX, PG_DICT, PG_DATA_V2 };
enum {
	E_PLAIN = 0, E_PLAIN_DICT = 2, E_RLE = 3, E_DELTA = 5, E_RLE_DICT = 8,
	E_SPLIT = 9
};
enum { C_UNCOMPRESSED = 0, C_SNAPPY = 1, C_ZSTD = 6 };

/* How a column's physical values become the batch's. */
enum conv {
	CV_BOOL, CV_I32, CV_U32, CV_I64, CV_MS, CV_NS, CV_DEC32, CV_DEC64,
	CV_F32, CV_F64, CV_BYTES
};

struct pq_col {
	struct rta_pq_column	 pub;
	int			 phys;
	enum conv		 conv;
	int			 utf8;		/* check values are UTF-8 */
	double			 pow10;		/* DECIMAL: 10^scale */
	char			 qname[64];	/* quoted for messages */
};

/* Which of a chunk's statistics fields are present: st[] index. */
enum { ST_MAX, ST_MIN, ST_MAX_VALUE, ST_MIN_VALUE };

struct pq_chunk {
	size_t			 rg;
	unsigned		 has;		/* H_* */
	int32_t			 type, codec;
	int64_t			 nvals, tcs, data_off, dict_off;
	uint64_t		 start, len;	/* range in the file */
	int64_t			 nulls;
	const unsigned char	*st[4];
	size_t			 stlen[4];
};

#define H_META		0x001
#define H_PATH		0x002
#define H_TYPE		0x004
#define H_CODEC		0x008
#define H_NVALS		0x010
#define H_TCS		0x020
#define H_DATA		0x040
#define H_DICT		0x080
#define H_NULLS		0x100
#define H_ST(i)		(0x200u << (i))

struct pq_rg {
	int64_t			 rows;
	int			 has_rows;
	size_t			 first, n;	/* its chunks */
};

/* A SchemaElement as parsed. */
struct pq_se {
	const unsigned char	*name;
	size_t			 namelen;
	unsigned		 has;		/* S_* */
	int32_t			 type, rep, nch, conv, scale, prec;
	int			 lt;		/* LogicalType member, 0: none */
	int			 lt_unit;	/* TIMESTAMP: 1 ms, 2 µs, 3 ns */
	int			 lt_bits, lt_signed;	/* INTEGER */
	int32_t			 lt_scale, lt_prec;	/* DECIMAL */
};

#define S_TYPE		0x01
#define S_REP		0x02
#define S_NAME		0x04
#define S_NCH		0x08
#define S_CONV		0x10
#define S_SCALE		0x20

struct rta_pq_file {
	const unsigned char	*p;
	size_t			 len;
	size_t			 foot;		/* footer start */
	char			*name;
	struct pq_se		*se;
	size_t			 nse, capse;
	struct pq_col		*cols;
	size_t			 ncols;
	struct pq_rg		*rgs;
	size_t			 nrgs, caprgs;
	struct pq_chunk		*chunks;
	size_t			 nchunks, capchunks;
	int64_t			 nrows;
	int			 has_nrows;
	char			*created_by;
	struct rta_pq_kv	*kv;
	size_t			 nkv, capkv;
};

/*
 * Room for element n of the array v of *cap elements of size sz: v or
 * its new place, doubled; v with *oom set when memory ran out.
 */
static void *
grow(void *v, size_t *cap, size_t n, size_t sz, int *oom)
{
	void *nv;
	size_t nc;

	if (n < *cap)
		return v;
	nc = *cap ? *cap * 2 : 8;
	if ((nv = rta_reallocarray(v, nc, sz)) == NULL) {
		*oom = 1;
		return v;
	}
	*cap = nc;
	return nv;
}

/* ---- the footer ----------------------------------------------------- */

/* The footer being parsed; oom is set when memory ran out. */
struct fctx {
	struct rta_pq_file	*f;
	const unsigned char	*k, *v;		/* the KeyValue being read */
	size_t			 kl, vl;
	int			 has_k;
	int			 oom;
};

static int
f_stats(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_chunk *c = arg;
	int64_t v;
	int i;

	if (type == RTA_TT_I64 && id == 3) {
		if (rta_tr_int(t, 0, INT64_MAX, &v) != 0)
			return -1;
		c->nulls = v;
		c->has |= H_NULLS;
		return 0;
	}
	if (type != RTA_TT_BINARY || id < 1 || id > 6 || id == 3 || id == 4)
		return 1;
	i = id == 1 ? ST_MAX : id == 2 ? ST_MIN : id == 5 ? ST_MAX_VALUE :
	    ST_MIN_VALUE;
	if (rta_tr_bin(t, &c->st[i], &c->stlen[i]) != 0)
		return -1;
	c->has |= H_ST(i);
	return 0;
}

static int
f_i64(struct rta_tr *t, int64_t *v, unsigned *has, unsigned bit)
{
	if (rta_tr_int(t, INT64_MIN, INT64_MAX, v) != 0)
		return -1;
	*has |= bit;
	return 0;
}

static int
f_meta(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_chunk *c = arg;

	if (type == RTA_TT_I32 && (id == 1 || id == 4)) {
		if (rta_tr_i32(t, id == 1 ? &c->type : &c->codec) != 0)
			return -1;
		c->has |= id == 1 ? H_TYPE : H_CODEC;
		return 0;
	}
	if (type == RTA_TT_I64) {
		switch (id) {
		case 5:
			return f_i64(t, &c->nvals, &c->has, H_NVALS);
		case 7:
			return f_i64(t, &c->tcs, &c->has, H_TCS);
		case 9:
			return f_i64(t, &c->data_off, &c->has, H_DATA);
		case 11:
			return f_i64(t, &c->dict_off, &c->has, H_DICT);
		}
	}
	if (type == RTA_TT_STRUCT && id == 12)
		return rta_tr_struct(t, f_stats, c);
	return 1;
}

static int
f_chunk(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_chunk *c = arg;

	if (type == RTA_TT_BINARY && id == 1) {
		c->has |= H_PATH;
		return 1;
	}
	if (type == RTA_TT_STRUCT && id == 3) {
		c->has |= H_META;
		return rta_tr_struct(t, f_meta, c);
	}
	return 1;
}

static int
each_chunk(struct rta_tr *t, void *arg)
{
	struct fctx *x = arg;
	struct rta_pq_file *f = x->f;
	struct pq_chunk *c;

	f->chunks = grow(f->chunks, &f->capchunks, f->nchunks, sizeof(*c),
	    &x->oom);
	if (x->oom)
		return -1;
	c = &f->chunks[f->nchunks++];
	memset(c, 0, sizeof(*c));
	c->rg = f->nrgs - 1;
	f->rgs[f->nrgs - 1].n++;
	return rta_tr_struct(t, f_chunk, c);
}

static int
f_rowgroup(struct rta_tr *t, void *arg, int id, int type)
{
	struct fctx *x = arg;
	struct pq_rg *g = &x->f->rgs[x->f->nrgs - 1];

	if (type == RTA_TT_LIST && id == 1) {
		/* a second list of columns would interleave its chunks */
		if (g->n > 0)
			return rta_tr_fail(t,
			    "row group lists its columns twice");
		g->first = x->f->nchunks;
		return rta_tr_structs(t, each_chunk, x);
	}
	if (type == RTA_TT_I64 && id == 3) {
		if (rta_tr_int(t, 0, INT64_MAX, &g->rows) != 0)
			return -1;
		g->has_rows = 1;
		return 0;
	}
	return 1;
}

static int
each_rowgroup(struct rta_tr *t, void *arg)
{
	struct fctx *x = arg;
	struct rta_pq_file *f = x->f;

	f->rgs = grow(f->rgs, &f->caprgs, f->nrgs, sizeof(*f->rgs), &x->oom);
	if (x->oom)
		return -1;
	memset(&f->rgs[f->nrgs++], 0, sizeof(*f->rgs));
	f->rgs[f->nrgs - 1].first = f->nchunks;
	return rta_tr_struct(t, f_rowgroup, x);
}

static int
f_decimal(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_se *se = arg;

	if (type == RTA_TT_I32 && (id == 1 || id == 2))
		return rta_tr_i32(t, id == 1 ? &se->lt_scale : &se->lt_prec);
	return 1;
}

static int
f_timeunit(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_se *se = arg;

	(void)t;
	if (type == RTA_TT_STRUCT && id >= 1 && id <= 3)
		se->lt_unit = id;
	return 1;
}

static int
f_timestamp(struct rta_tr *t, void *arg, int id, int type)
{
	if (type == RTA_TT_STRUCT && id == 2)
		return rta_tr_struct(t, f_timeunit, arg);
	return 1;
}

static int
f_integer(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_se *se = arg;

	if (type == RTA_TT_I8 && id == 1) {
		if (rta_tr_need(t, 1) != 0)
			return -1;
		se->lt_bits = (signed char)*t->p++;
		return 0;
	}
	if ((type == RTA_TT_TRUE || type == RTA_TT_FALSE) && id == 2)
		se->lt_signed = type == RTA_TT_TRUE;
	return 1;
}

static int
f_logical(struct rta_tr *t, void *arg, int id, int type)
{
	struct pq_se *se = arg;

	if (type != RTA_TT_STRUCT)
		return 1;
	se->lt = id;
	switch (id) {
	case 5:
		return rta_tr_struct(t, f_decimal, se);
	case 8:
		return rta_tr_struct(t, f_timestamp, se);
	case 10:
		return rta_tr_struct(t, f_integer, se);
	}
	return 1;
}

static int
f_schema(struct rta_tr *t, void *arg, int id, int type)
{
	static const unsigned bits[] = { 0, S_TYPE, 0, S_REP, 0, S_NCH,
	    S_CONV, S_SCALE, 0 };
	struct pq_se *se = arg;
	int32_t *dst[] = { NULL, &se->type, NULL, &se->rep, NULL, &se->nch,
	    &se->conv, &se->scale, &se->prec };

	if (type == RTA_TT_I32 && id >= 1 && id <= 8 && dst[id] != NULL) {
		if (rta_tr_i32(t, dst[id]) != 0)
			return -1;
		se->has |= bits[id];
		return 0;
	}
	if (type == RTA_TT_BINARY && id == 4) {
		if (rta_tr_bin(t, &se->name, &se->namelen) != 0)
			return -1;
		se->has |= S_NAME;
		return 0;
	}
	if (type == RTA_TT_STRUCT && id == 10)
		return rta_tr_struct(t, f_logical, se);
	return 1;
}

static int
each_schema(struct rta_tr *t, void *arg)
{
	struct fctx *x = arg;
	struct rta_pq_file *f = x->f;

	f->se = grow(f->se, &f->capse, f->nse, sizeof(*f->se), &x->oom);
	if (x->oom)
		return -1;
	memset(&f->se[f->nse], 0, sizeof(*f->se));
	return rta_tr_struct(t, f_schema, &f->se[f->nse++]);
}

static int
f_keyvalue(struct rta_tr *t, void *arg, int id, int type)
{
	struct fctx *x = arg;

	if (type == RTA_TT_BINARY && id == 1) {
		x->has_k = 1;
		return rta_tr_bin(t, &x->k, &x->kl);
	}
	if (type == RTA_TT_BINARY && id == 2)
		return rta_tr_bin(t, &x->v, &x->vl);
	return 1;
}

static int
each_kv(struct rta_tr *t, void *arg)
{
	struct fctx *x = arg;
	struct rta_pq_file *f = x->f;
	struct rta_pq_kv *e;

	x->has_k = 0;
	x->v = NULL;
	x->vl = 0;
	if (rta_tr_struct(t, f_keyvalue, x) != 0)
		return -1;
	if (!x->has_k)
		return rta_tr_fail(t, "key-value entry without a key");
	f->kv = grow(f->kv, &f->capkv, f->nkv, sizeof(*f->kv), &x->oom);
	if (x->oom)
		return -1;
	e = &f->kv[f->nkv];
	/* an entry without a value reads as an empty one */
	if ((e->key = rta_memdup(x->k, x->kl)) == NULL ||
	    (e->value = rta_memdup(x->v != NULL ? x->v :
	    (const unsigned char *)"", x->vl)) == NULL) {
		rta_free((char *)e->key);
		x->oom = 1;
		return -1;
	}
	f->nkv++;
	return 0;
}

static int
f_file(struct rta_tr *t, void *arg, int id, int type)
{
	struct fctx *x = arg;
	struct rta_pq_file *f = x->f;
	const unsigned char *s;
	size_t n;

	if (type == RTA_TT_LIST && id == 2) {
		if (f->nse > 0)
			return rta_tr_fail(t, "two schemas");
		return rta_tr_structs(t, each_schema, x);
	}
	if (type == RTA_TT_I64 && id == 3) {
		f->has_nrows = 1;
		return rta_tr_int(t, 0, INT64_MAX, &f->nrows);
	}
	if (type == RTA_TT_LIST && id == 4) {
		if (f->nrgs > 0)
			return rta_tr_fail(t, "two lists of row groups");
		return rta_tr_structs(t, each_rowgroup, x);
	}
	if (type == RTA_TT_LIST && id == 5)
		return rta_tr_structs(t, each_kv, x);
	if (type == RTA_TT_BINARY && id == 6) {
		if (rta_tr_bin(t, &s, &n) != 0)
			return -1;
		rta_free(f->created_by);
		if ((f->created_by = rta_memdup(s, n)) == NULL) {
			x->oom = 1;
			return -1;
		}
		return 0;
	}
	return 1;
}

/* ---- types and validation ------------------------------------------- */

static const char *
phys_name(int32_t t)
{
	static const char *const n[] = { "BOOLEAN", "INT32", "INT64",
	    "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY",
	    "FIXED_LEN_BYTE_ARRAY" };

	return t >= 0 && t <= P_FLBA ? n[t] : "unknown";
}

static const char *
codec_name(int32_t c)
{
	static const char *const n[] = { "UNCOMPRESSED", "SNAPPY", "GZIP",
	    "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW" };

	return c >= 0 && c <= 7 ? n[c] : "unknown";
}

static const char *
encoding_name(int32_t e)
{
	static const char *const n[] = { "PLAIN", "GROUP_VAR_INT",
	    "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
	    "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY",
	    "BYTE_STREAM_SPLIT" };

	return e >= 0 && e <= 9 ? n[e] : "unknown";
}

/*
 * The column of schema element se: its rta type and conversion, or a
 * reason it is not supported (written to why).
 */
static int
col_type(const struct pq_se *se, struct pq_col *c, char *why, size_t sz)
{
	int32_t conv = se->has & S_CONV ? se->conv : -1;
	int32_t scale;
	int lt = se->lt, i;

	c->phys = se->type;
	c->utf8 = 0;
	c->pow10 = 1;
	/* DECIMAL: the logical type's scale, else the element's */
	if (lt == 5 || (lt == 0 && conv == 5)) {
		scale = lt == 5 ? se->lt_scale : se->has & S_SCALE ?
		    se->scale : 0;
		if ((se->type != P_INT32 && se->type != P_INT64) ||
		    scale < 0 || scale > 18) {
			snprintf(why, sz, "unsupported type DECIMAL(scale %d) "
			    "on %s", (int)scale, phys_name(se->type));
			return -1;
		}
		for (i = 0; i < scale; i++)
			c->pow10 *= 10;
		c->pub.type = RTA_PQ_DOUBLE;
		c->conv = se->type == P_INT32 ? CV_DEC32 : CV_DEC64;
		return 0;
	}
	switch (se->type) {
	case P_BOOLEAN:
		if (lt != 0 || conv != -1)
			break;
		c->pub.type = RTA_PQ_BOOL;
		c->conv = CV_BOOL;
		return 0;
	case P_INT32:
		/* INTEGER(8/16/32), INT_*, UINT_*, DATE (days) */
		c->pub.type = RTA_PQ_INT64;
		if (lt == 10 && se->lt_bits > 0 && se->lt_bits <= 32) {
			c->conv = se->lt_signed ? CV_I32 : CV_U32;
			return 0;
		}
		if (lt == 6 || (lt == 0 && (conv == -1 || conv == 6 ||
		    (conv >= 15 && conv <= 17)))) {
			c->conv = CV_I32;
			return 0;
		}
		if (lt == 0 && conv >= 11 && conv <= 13) {
			c->conv = CV_U32;
			return 0;
		}
		break;
	case P_INT64:
		if ((lt == 10 && se->lt_bits == 64 && se->lt_signed) ||
		    (lt == 0 && (conv == -1 || conv == 18))) {
			c->pub.type = RTA_PQ_INT64;
			c->conv = CV_I64;
			return 0;
		}
		c->pub.type = RTA_PQ_TIMESTAMP;
		if (lt == 8 && se->lt_unit != 0) {
			c->conv = se->lt_unit == 1 ? CV_MS : se->lt_unit == 2 ?
			    CV_I64 : CV_NS;
			return 0;
		}
		if (lt == 0 && (conv == 9 || conv == 10)) {
			c->conv = conv == 9 ? CV_MS : CV_I64;
			return 0;
		}
		break;
	case P_FLOAT:
	case P_DOUBLE:
		if (lt != 0 || conv != -1)
			break;
		c->pub.type = RTA_PQ_DOUBLE;
		c->conv = se->type == P_FLOAT ? CV_F32 : CV_F64;
		return 0;
	case P_BYTE_ARRAY:
		c->conv = CV_BYTES;
		/* STRING, ENUM; JSON; BSON and none are bytes */
		if (lt == 1 || lt == 4 || (lt == 0 && (conv == 0 ||
		    conv == 4))) {
			c->pub.type = RTA_PQ_STRING;
			c->utf8 = 1;
			return 0;
		}
		if (lt == 12 || (lt == 0 && conv == 19)) {
			c->pub.type = RTA_PQ_JSON;
			c->utf8 = 1;
			return 0;
		}
		if (lt == 13 || (lt == 0 && (conv == -1 || conv == 20))) {
			c->pub.type = RTA_PQ_BINARY;
			return 0;
		}
		break;
	}
	if (lt != 0)
		snprintf(why, sz, "unsupported type %s with logical type %d",
		    phys_name(se->type), lt);
	else if (conv != -1)
		snprintf(why, sz, "unsupported type %s with converted type %d",
		    phys_name(se->type), (int)conv);
	else
		snprintf(why, sz, "unsupported type %s", phys_name(se->type));
	return -1;
}

static int	bad(struct rta_error *, const struct rta_pq_file *,
		    const char *, ...) RTA_PRINTFLIKE(3, 4);

/* RTA_EDATA: "name: " and what fmt says. */
static int
bad(struct rta_error *err, const struct rta_pq_file *f, const char *fmt,
    ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rta_error_set(err, RTA_EDATA, "bad-parquet", "%s: %s",
	    f->name, what);
}

/* The schema: a root and its leaves, each of a type the reader knows. */
static int
check_schema(struct rta_pq_file *f, struct rta_error *err)
{
	struct pq_col *c;
	struct pq_se *se;
	char why[100];
	size_t i;

	if (f->nse == 0)
		return bad(err, f, "footer: no schema");
	if ((f->se[0].has & S_TYPE) || !(f->se[0].has & S_NCH))
		return bad(err, f, "footer: schema root is not a group");
	if (f->nse == 1)
		return bad(err, f, "footer: schema has no columns");
	if ((f->cols = rta_calloc(f->nse - 1, sizeof(*f->cols))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	for (i = 1; i < f->nse; i++) {
		se = &f->se[i];
		c = &f->cols[f->ncols];
		if (!(se->has & S_NAME) || se->namelen == 0 ||
		    memchr(se->name, '\0', se->namelen) != NULL ||
		    !rta_utf8_valid(se->name, se->namelen, NULL)) {
			return bad(err, f, "footer: schema element %zu: bad name",
			    i);
		}
		rta_quote(c->qname, sizeof(c->qname), se->name, se->namelen,
		    40);
		if ((se->has & S_NCH) && se->nch > 0)
			return bad(err, f, "column %s: nested schemas not "
			    "supported", c->qname);
		if ((se->has & S_REP) && se->rep != 0 && se->rep != 1)
			return bad(err, f, "column %s: repeated fields not "
			    "supported", c->qname);
		if (!(se->has & S_TYPE))
			return bad(err, f, "column %s: no physical type",
			    c->qname);
		if (col_type(se, c, why, sizeof(why)) != 0)
			return bad(err, f, "column %s: %s", c->qname, why);
		if ((c->pub.name = rta_memdup(se->name, se->namelen)) == NULL)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		/* a leaf without a repetition is REQUIRED */
		c->pub.optional = (se->has & S_REP) && se->rep == 1;
		f->ncols++;
	}
	if (f->se[0].nch < 0 || (size_t)f->se[0].nch != f->ncols)
		return bad(err, f, "footer: schema root does not count its "
		    "columns");
	return RTA_OK;
}

/* Row groups: one chunk per column, each inside the file. */
static int
check_chunks(struct rta_pq_file *f, struct rta_error *err)
{
	struct pq_chunk *c;
	struct pq_col *col;
	uint64_t total = 0, start;
	size_t g, i;

	for (g = 0; g < f->nrgs; g++) {
		if (!f->rgs[g].has_rows)
			return bad(err, f, "footer: row group without a row "
			    "count");
		if (f->rgs[g].n != f->ncols)
			return bad(err, f, "footer: row group with a chunk count "
			    "unlike the schema's");
		total += (uint64_t)f->rgs[g].rows;
		if (total > INT64_MAX)
			return bad(err, f, "footer: too many rows");
		for (i = 0; i < f->ncols; i++) {
			c = &f->chunks[f->rgs[g].first + i];
			col = &f->cols[i];
			if (c->has & H_PATH)
				return bad(err, f, "column %s, row group %zu: "
				    "chunk in another file not supported", col->qname, g);
			if ((c->has & (H_META | H_TYPE | H_CODEC | H_NVALS |
			    H_TCS | H_DATA)) != (H_META | H_TYPE | H_CODEC |
			    H_NVALS | H_TCS | H_DATA))
				return bad(err, f, "column %s, row group %zu: "
				    "chunk metadata incomplete", col->qname, g);
			if (c->type != col->phys)
				return bad(err, f, "column %s, row group %zu: "
				    "chunk type unlike the schema's", col->qname, g);
			if (c->codec == C_SNAPPY)
				return bad(err, f, "column %s: codec SNAPPY not "
				    "supported (write with COMPRESSION zstd)",
				    col->qname);
			if (c->codec != C_UNCOMPRESSED && c->codec != C_ZSTD)
				return bad(err, f, "column %s: codec %s not "
				    "supported", col->qname,
				    codec_name(c->codec));
			if (c->nvals != f->rgs[g].rows)
				return bad(err, f, "column %s, row group %zu: "
				    "value count unlike the row group's", col->qname, g);
			/* some writers put 0 for "no dictionary page" */
			if ((c->has & H_DICT) && c->dict_off == 0)
				c->has &= ~H_DICT;
			start = (uint64_t)(c->has & H_DICT ? c->dict_off :
			    c->data_off);
			/* the pages are walked from the start, so a data
			 * page offset pointing at the dictionary is fine */
			if (c->data_off < 4 || (c->has & H_DICT &&
			    (c->dict_off < 4 || c->dict_off > c->data_off)) ||
			    c->tcs <= 0 || start >= f->foot ||
			    (uint64_t)c->tcs > f->foot - start ||
			    (uint64_t)c->data_off >= start + (uint64_t)c->tcs)
				return bad(err, f, "column %s, row group %zu: "
				    "chunk outside the file", col->qname, g);
			c->start = start;
			c->len = (uint64_t)c->tcs;
		}
	}
	if (!f->has_nrows || (uint64_t)f->nrows != total)
		return bad(err, f, "footer: row count unlike the row groups'");
	return RTA_OK;
}

int
rta_pq_open(const unsigned char *p, size_t len, const char *name,
    struct rta_pq_file **fp, struct rta_error *err)
{
	struct rta_pq_file *f;
	struct fctx x;
	struct rta_tr t;
	uint32_t flen;
	int rc;

	*fp = NULL;
	if ((f = rta_calloc(1, sizeof(*f))) == NULL ||
	    (f->name = rta_memdup(name, strlen(name))) == NULL) {
		rta_free(f);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	f->p = p;
	f->len = len;
	if (len >= 12 && memcmp(p + len - 4, "PARE", 4) == 0) {
		rc = bad(err, f, "encrypted files not supported");
		goto fail;
	}
	if (len < 12 || memcmp(p, "PAR1", 4) != 0 ||
	    memcmp(p + len - 4, "PAR1", 4) != 0 ||
	    (flen = rta_get_u32(p + len - 8)) > len - 12) {
		rc = bad(err, f, "not a Parquet file");
		goto fail;
	}
	f->foot = len - 8 - flen;
	memset(&x, 0, sizeof(x));
	x.f = f;
	t.p = p + f->foot;
	t.end = p + len - 8;
	t.why = NULL;
	t.depth = 0;
	if (rta_tr_struct(&t, f_file, &x) != 0) {
		if (x.oom)
			rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		else
			rc = bad(err, f, "footer: %s", t.why);
		goto fail;
	}
	if ((rc = check_schema(f, err)) != RTA_OK ||
	    (rc = check_chunks(f, err)) != RTA_OK)
		goto fail;
	*fp = f;
	return RTA_OK;
fail:
	rta_pq_close(f);
	return rc;
}

void
rta_pq_close(struct rta_pq_file *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->ncols; i++)
		rta_free((char *)f->cols[i].pub.name);
	for (i = 0; i < f->nkv; i++) {
		rta_free((char *)f->kv[i].key);
		rta_free((char *)f->kv[i].value);
	}
	rta_free(f->cols);
	rta_free(f->se);
	rta_free(f->rgs);
	rta_free(f->chunks);
	rta_free(f->kv);
	rta_free(f->created_by);
	rta_free(f->name);
	rta_free(f);
}

size_t
rta_pq_ncolumns(const struct rta_pq_file *f)
{
	return f->ncols;
}

const struct rta_pq_column *
rta_pq_column(const struct rta_pq_file *f, size_t i)
{
	return i < f->ncols ? &f->cols[i].pub : NULL;
}

size_t
rta_pq_column_find(const struct rta_pq_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i].pub.name, name) == 0)
			return i;
	return (size_t)-1;
}

uint64_t
rta_pq_nrows(const struct rta_pq_file *f)
{
	return (uint64_t)f->nrows;
}

size_t
rta_pq_nrowgroups(const struct rta_pq_file *f)
{
	return f->nrgs;
}

uint64_t
rta_pq_rowgroup_rows(const struct rta_pq_file *f, size_t rg)
{
	return rg < f->nrgs ? (uint64_t)f->rgs[rg].rows : 0;
}

const char *
rta_pq_created_by(const struct rta_pq_file *f)
{
	return f->created_by;
}

size_t
rta_pq_nkv(const struct rta_pq_file *f)
{
	return f->nkv;
}

const struct rta_pq_kv *
rta_pq_kv(const struct rta_pq_file *f, size_t i)
{
	return i < f->nkv ? &f->kv[i] : NULL;
}

const char *
rta_pq_kv_get(const struct rta_pq_file *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->nkv; i++)
		if (strcmp(f->kv[i].key, key) == 0)
			return f->kv[i].value;
	return NULL;
}

/* ---- statistics ----------------------------------------------------- */

static double
get_f32(const unsigned char *p)
{
	uint32_t u = rta_get_u32(p);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static double
get_f64(const unsigned char *p)
{
	uint64_t u = rta_get_u64(p);
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* Bytes of one PLAIN value of a fixed-width column (not BOOLEAN). */
static size_t
col_width(const struct pq_col *k)
{
	return k->phys == P_INT32 || k->phys == P_FLOAT ? 4 : 8;
}

/*
 * An integer column's physical value v (an INT32's low 32 bits), as the
 * batch holds it: in *i or *d by the column's rta type.  -1 for a
 * timestamp that microseconds cannot hold.
 */
static int
conv_int(const struct pq_col *k, int64_t v, int64_t *i, double *d)
{
	switch (k->conv) {
	case CV_I32:
		*i = (int32_t)(uint32_t)v;
		return 0;
	case CV_U32:
		*i = (uint32_t)v;
		return 0;
	case CV_DEC32:
		*d = (double)(int32_t)(uint32_t)v / k->pow10;
		return 0;
	case CV_DEC64:
		*d = (double)v / k->pow10;
		return 0;
	case CV_MS:
		if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000)
			return -1;
		*i = v * 1000;
		return 0;
	case CV_NS:
		*i = v / 1000;
		return 0;
	default:
		*i = v;
		return 0;
	}
}

/* conv_int for one PLAIN value of a fixed-width column at p. */
static int
conv_one(const struct pq_col *k, const unsigned char *p, int64_t *i,
    double *d)
{
	switch (k->conv) {
	case CV_F32:
		*d = get_f32(p);
		return 0;
	case CV_F64:
		*d = get_f64(p);
		return 0;
	default:
		break;
	}
	if (col_width(k) == 4)
		return conv_int(k, (int32_t)rta_get_u32(p), i, d);
	return conv_int(k, (int64_t)rta_get_u64(p), i, d);
}

/* One bound of a column of numbers from its PLAIN bytes. */
static int
stat_value(const struct pq_col *k, const unsigned char *s, size_t n,
    int64_t *i, double *d)
{
	if (k->conv == CV_BOOL) {
		if (n != 1 || s[0] > 1)
			return -1;
		*i = s[0];
		return 0;
	}
	if (n != col_width(k))
		return -1;
	return conv_one(k, s, i, d);
}

void
rta_pq_stats(const struct rta_pq_file *f, size_t rg, size_t col,
    struct rta_pq_stats *st)
{
	const struct pq_chunk *c;
	const struct pq_col *k;
	int lo, hi;

	memset(st, 0, sizeof(*st));
	if (rg >= f->nrgs || col >= f->ncols)
		return;
	c = &f->chunks[f->rgs[rg].first + col];
	k = &f->cols[col];
	if (c->has & H_NULLS) {
		st->has_nulls = 1;
		st->nulls = (uint64_t)c->nulls;
	}
	/* min_value/max_value; the deprecated min/max (signed byte
	 * order for strings) only for numbers */
	if ((c->has & H_ST(ST_MIN_VALUE)) && (c->has & H_ST(ST_MAX_VALUE))) {
		lo = ST_MIN_VALUE;
		hi = ST_MAX_VALUE;
	} else if (k->conv != CV_BYTES && (c->has & H_ST(ST_MIN)) &&
	    (c->has & H_ST(ST_MAX))) {
		lo = ST_MIN;
		hi = ST_MAX;
	} else
		return;
	if (k->conv == CV_BYTES) {
		st->min.s = c->st[lo];
		st->min.slen = c->stlen[lo];
		st->max.s = c->st[hi];
		st->max.slen = c->stlen[hi];
		st->has_minmax = 1;
		return;
	}
	if (stat_value(k, c->st[lo], c->stlen[lo], &st->min.i,
	    &st->min.d) != 0 || stat_value(k, c->st[hi], c->stlen[hi],
	    &st->max.i, &st->max.d) != 0) {
		memset(&st->min, 0, sizeof(st->min));
		memset(&st->max, 0, sizeof(st->max));
		return;
	}
	st->has_minmax = 1;
}

/* ---- cursors -------------------------------------------------------- */

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
