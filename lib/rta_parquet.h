/*
 * rta_parquet.h: Apache Parquet files, written and read by the project on
 * top of libzstd.
 *
 * The subset written: a flat schema (a root and its leaf columns, each
 * REQUIRED or OPTIONAL), one or more row groups, per column chunk at most
 * one PLAIN dictionary page and then v1 data pages; RLE_DICTIONARY
 * indices for strings, integers and doubles whose chunk has few distinct
 * values, otherwise strings and booleans PLAIN, timestamps and integers
 * DELTA_BINARY_PACKED and doubles BYTE_STREAM_SPLIT; definition levels
 * in the RLE/bit-packed hybrid (bit width 1,
 * 4-byte length prefix); each page body one zstd frame (codec ZSTD) or,
 * at level 0, uncompressed; chunk statistics (min_value, max_value,
 * null_count, and nan_count for doubles) under TYPE_ORDER column orders;
 * key-value metadata and created_by.  All metadata is Thrift compact.
 *
 * The reader takes that subset from any writer (DuckDB's, say): page
 * types DICTIONARY_PAGE and DATA_PAGE (v1), encodings PLAIN,
 * PLAIN_DICTIONARY, RLE_DICTIONARY, DELTA_BINARY_PACKED (INT32, INT64)
 * and BYTE_STREAM_SPLIT (INT32, INT64, FLOAT, DOUBLE), codecs
 * UNCOMPRESSED and ZSTD,
 * physical types BOOLEAN, INT32, INT64, FLOAT, DOUBLE and BYTE_ARRAY
 * (INT32 widened to int64, FLOAT to double; TIMESTAMP in MILLIS or NANOS
 * scaled to microseconds; DATE as days; DECIMAL on INT32/INT64 as a
 * double), flat schemas only.  Anything else is RTA_EDATA with a message
 * naming the column.  Every length and offset in a file is checked
 * against the file before use; no count read from a file sizes an
 * allocation by itself: pages decompress into at most RTA_PQ_PAGE_MAX
 * bytes and values are decoded a batch at a time.
 */
#ifndef RTA_PARQUET_H
#define RTA_PARQUET_H

#include <stddef.h>
#include <stdint.h>

#include "rta_err.h"

#define RTA_PQ_PAGE_MAX		(256U << 20)	/* largest page body */
#define RTA_PQ_STAT_MAX		64		/* longest string min/max
						 * written */

enum rta_pq_type {
	RTA_PQ_BOOL,		/* BOOLEAN */
	RTA_PQ_INT64,		/* INT64, INTEGER(64, signed) */
	RTA_PQ_DOUBLE,		/* DOUBLE */
	RTA_PQ_TIMESTAMP,	/* INT64 TIMESTAMP(MICROS, UTC): µs */
	RTA_PQ_STRING,		/* BYTE_ARRAY STRING: UTF-8 */
	RTA_PQ_JSON,		/* BYTE_ARRAY JSON: UTF-8 JSON text */
	RTA_PQ_BINARY		/* BYTE_ARRAY, no logical type */
};

/* "bool", "int64", "double", "timestamp", "string", "json", "binary". */
const char *rta_pq_type_name(enum rta_pq_type t);

struct rta_pq_column {
	const char		*name;		/* UTF-8 */
	enum rta_pq_type	 type;
	int			 optional;	/* may hold nulls */
};

struct rta_pq_kv {
	const char	*key;
	const char	*value;
};

/* ---- writing ------------------------------------------------------------ */

struct rta_pq_writer_opts {
	uint64_t		 row_group_rows;  /* rows per row group
						  * (default 1,048,576) */
	size_t			 page_bytes;	  /* cut a data page past
						  * this many bytes of values
						  * (default 1 MiB) */
	int			 level;		  /* zstd level, 0: no
						  * compression (default 3) */
	size_t			 dict_max;	  /* largest dictionary page
						  * body (default 1 MiB); a
						  * chunk whose distinct
						  * values need more, or
						  * has more of them than
						  * half its values, is
						  * written without one */
	const char		*created_by;	  /* e.g. "rta version 1.0
						  * (build x)" */
	const struct rta_pq_kv	*kv;		  /* key-value metadata */
	size_t			 nkv;
};

void	rta_pq_writer_opts_init(struct rta_pq_writer_opts *o);

struct rta_pq_writer;

/*
 * Start a file on fd (empty, opened for writing; the caller syncs,
 * names and renames it) with ncols columns (names unique).  The writer
 * copies what it keeps of cols and o.  RTA_OK, RTA_EINVAL (no columns,
 * a bad option) or RTA_ENOMEM.
 */
int	rta_pq_writer_open(int fd, const struct rta_pq_column *cols,
	    size_t ncols, const struct rta_pq_writer_opts *o,
	    struct rta_pq_writer **w, struct rta_error *err);

/*
 * A row is one call per column, in any order, then rta_pq_row.  A column
 * left without a value in a row is null (an error for a REQUIRED
 * column).  The call must match the column's type: rta_pq_int64 for
 * INT64 and TIMESTAMP, rta_pq_bytes for STRING, JSON and BINARY (the
 * caller promises valid UTF-8 for STRING and JSON).  Doubles may be NaN
 * or infinite.  0, or -1 when out of memory.
 */
int	rta_pq_null(struct rta_pq_writer *w, size_t col);
int	rta_pq_bool(struct rta_pq_writer *w, size_t col, int v);
int	rta_pq_int64(struct rta_pq_writer *w, size_t col, int64_t v);
int	rta_pq_double(struct rta_pq_writer *w, size_t col, double v);
int	rta_pq_bytes(struct rta_pq_writer *w, size_t col, const void *p,
	    size_t len);

/*
 * End the row; a full row group is encoded and written.  RTA_OK,
 * RTA_EINVAL (a REQUIRED column without a value), RTA_ELIMIT (a value
 * or page beyond what Parquet can hold), RTA_EIO (a failed write:
 * the file is then unusable) or RTA_ENOMEM.
 */
int	rta_pq_row(struct rta_pq_writer *w, struct rta_error *err);

/*
 * Write the last row group and the footer.  A file with no rows is
 * valid (no row groups).  Same results as rta_pq_row.
 */
int	rta_pq_writer_finish(struct rta_pq_writer *w, struct rta_error *err);

/* Bytes written to fd so far; rows added so far. */
uint64_t rta_pq_writer_bytes(const struct rta_pq_writer *w);
uint64_t rta_pq_writer_rows(const struct rta_pq_writer *w);

void	rta_pq_writer_free(struct rta_pq_writer *w);

/* ---- reading ------------------------------------------------------------ */

struct rta_pq_file;

/*
 * Parse the footer of the len bytes at p (a whole file, borrowed until
 * rta_pq_close), named name in messages.  RTA_OK, RTA_EDATA ("name: not
 * a Parquet file", "name: column payload_x: unsupported type ...") or
 * RTA_ENOMEM.
 */
int	rta_pq_open(const unsigned char *p, size_t len, const char *name,
	    struct rta_pq_file **f, struct rta_error *err);
void	rta_pq_close(struct rta_pq_file *f);

size_t	rta_pq_ncolumns(const struct rta_pq_file *f);
/* Column i (name, type as read, optional); valid until rta_pq_close. */
const struct rta_pq_column *rta_pq_column(const struct rta_pq_file *f,
	    size_t i);
/* The index of the column named name, or (size_t)-1. */
size_t	rta_pq_column_find(const struct rta_pq_file *f, const char *name);

uint64_t rta_pq_nrows(const struct rta_pq_file *f);
size_t	rta_pq_nrowgroups(const struct rta_pq_file *f);
uint64_t rta_pq_rowgroup_rows(const struct rta_pq_file *f, size_t rg);

/* created_by, or NULL; key-value metadata: count, and entry i. */
const char *rta_pq_created_by(const struct rta_pq_file *f);
size_t	rta_pq_nkv(const struct rta_pq_file *f);
const struct rta_pq_kv *rta_pq_kv(const struct rta_pq_file *f, size_t i);
/* The value of key, or NULL. */
const char *rta_pq_kv_get(const struct rta_pq_file *f, const char *key);

/*
 * A column chunk's statistics, as the file states them (a reader may
 * skip a row group with them).  For BOOL, INT64 and TIMESTAMP columns
 * min and max are in i, for DOUBLE in d, for byte arrays in s/slen
 * (pointing into the file).
 */
struct rta_pq_stats {
	int			 has_nulls;	/* null_count present */
	uint64_t		 nulls;
	int			 has_minmax;
	struct {
		int64_t			 i;
		double			 d;
		const unsigned char	*s;
		size_t			 slen;
	}			 min, max;
};

void	rta_pq_stats(const struct rta_pq_file *f, size_t rg, size_t col,
	    struct rta_pq_stats *st);

/*
 * Values of one column chunk, a batch at a time.  A batch is n rows:
 * valid[k] is 0 for a null (valid is NULL when the batch has none);
 * slot k of the array for the column's type holds row k's value (zero
 * for a null): i64 for BOOL (0/1), INT64 and TIMESTAMP, f64 for DOUBLE,
 * s/slen for byte arrays (pointing into the cursor's buffers or the
 * file).  A batch is valid until the next call on its cursor.
 */
struct rta_pq_batch {
	size_t			  n;
	const uint8_t		 *valid;
	const int64_t		 *i64;
	const double		 *f64;
	const unsigned char	**s;
	const uint32_t		 *slen;
};

struct rta_pq_cursor;

int	rta_pq_cursor_open(const struct rta_pq_file *f, size_t rg, size_t col,
	    struct rta_pq_cursor **c, struct rta_error *err);
/*
 * At most max (≥ 1) more rows.  RTA_OK (b->n ≥ 1), RTA_EOF after the
 * chunk's last row, RTA_EDATA ("name: column c, row group g: page at
 * offset o: what") or RTA_ENOMEM.
 */
int	rta_pq_cursor_next(struct rta_pq_cursor *c, size_t max,
	    struct rta_pq_batch *b, struct rta_error *err);
void	rta_pq_cursor_close(struct rta_pq_cursor *c);

#endif /* RTA_PARQUET_H */
