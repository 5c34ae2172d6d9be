/*
 * rta_parquet_read_int.h: internal to rta_parquet's reader, not an API.
 * What rta_parquet_read.c (the footer) and rta_parquet_cursor.c (the
 * pages) share: a parsed file, its columns and chunks, and the
 * conversion of a column's physical values to the batch's, inline for
 * the cursor's loops.
 *
 * TIMESTAMP(NANOS) becomes microseconds by C division (toward zero), as
 * DuckDB casts it; MILLIS beyond the range of int64 microseconds is
 * damage.  DECIMAL is (double)unscaled / 10^scale: the nearest double
 * for up to 15 digits.
 */
#ifndef RTA_PARQUET_READ_INT_H
#define RTA_PARQUET_READ_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_parquet.h"

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

struct pq_se;

struct rta_pq_file {
	const unsigned char	*p;
	size_t			 len;
	size_t			 foot;		/* footer start */
	char			*name;
	struct pq_se		*se;		/* the footer's own */
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

static inline const char *
phys_name(int32_t t)
{
	static const char *const n[] = { "BOOLEAN", "INT32", "INT64",
	    "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY",
	    "FIXED_LEN_BYTE_ARRAY" };

	return t >= 0 && t <= P_FLBA ? n[t] : "unknown";
}

/*
 * Room for element n of the array v of *cap elements of size sz: v or
 * its new place, doubled; v with *oom set when memory ran out.
 */
static inline void *
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

static inline double
get_f32(const unsigned char *p)
{
	uint32_t u = rta_get_u32(p);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static inline double
get_f64(const unsigned char *p)
{
	uint64_t u = rta_get_u64(p);
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* Bytes of one PLAIN value of a fixed-width column (not BOOLEAN). */
static inline size_t
col_width(const struct pq_col *k)
{
	return k->phys == P_INT32 || k->phys == P_FLOAT ? 4 : 8;
}

/*
 * An integer column's physical value v (an INT32's low 32 bits), as the
 * batch holds it: in *i or *d by the column's rta type.  -1 for a
 * timestamp that microseconds cannot hold.
 */
static inline int
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
static inline int
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

#endif /* RTA_PARQUET_READ_INT_H */
