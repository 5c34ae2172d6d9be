/*
 * rta_parquet_read.c: the reading half of rta_parquet.h, up to the
 * pages: rta_pq_open and what it finds in the footer (columns, row
 * groups, key-value metadata, chunk statistics).  The cursors that
 * decode a chunk's pages are in rta_parquet_cursor.c; what the two share
 * is in rta_parquet_read_int.h.
 *
 * A file is borrowed whole.  rta_pq_open parses the footer (Thrift
 * compact, rta_thrift) into columns, row groups and chunk ranges, checks
 * every offset against the file and every type against what the reader
 * can decode, and refuses the rest (nested schemas, repeated fields,
 * codecs other than UNCOMPRESSED and ZSTD) naming the column.
 *
 * Nothing read from a file sizes an allocation by itself: footer arrays
 * grow with the elements parsed.  Thrift list sizes are bounded by the
 * bytes left and nesting by RTA_TR_DEPTH_MAX; a chunk's values by its
 * row group's.  Column names must be UTF-8.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_parquet.h"
#include "rta_parquet_read_int.h"
#include "rta_thrift.h"
#include "rta_utf8.h"

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
codec_name(int32_t c)
{
	static const char *const n[] = { "UNCOMPRESSED", "SNAPPY", "GZIP",
	    "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW" };

	return c >= 0 && c <= 7 ? n[c] : "unknown";
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

