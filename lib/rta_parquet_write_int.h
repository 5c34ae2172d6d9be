/*
 * rta_parquet_write_int.h: internal to rta_parquet's writer, not an API.
 * What rta_parquet_write.c (options, buffered rows, the file's life),
 * rta_parquet_encode.c (a row group into page bodies) and
 * rta_parquet_output.c (compression, output, footer) share: the
 * writer, its columns, and the jobs that carry a row group's pages to
 * the file.
 */
#ifndef RTA_PARQUET_WRITE_INT_H
#define RTA_PARQUET_WRITE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <zstd.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_parquet.h"

struct rta_tw;

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

/* rta_parquet_write.c */

/* Kill the writer with code (errno's message for RTA_EIO); code. */
int	rta_pqw_die(struct rta_pq_writer *w, struct rta_error *err, int code,
	    const char *reason, const char *what);
/* Expand a byte-array chunk's dictionary indices into PLAIN; 0 or -1. */
int	rta_pqw_dict_expand(struct col *c);

/* rta_parquet_encode.c */

/* Encode column ci's chunk of the row group into job j; RTA_OK or death. */
int	rta_pqw_encode_chunk(struct rta_pq_writer *w, struct job *j,
	    size_t ci, struct rta_error *err);

/* rta_parquet_output.c */

/*
 * Append n bytes to the file through the output buffer; flush the
 * buffer.  0, or -1 when a write failed (errno says why).
 */
int	rta_pqw_out_add(struct rta_pq_writer *w, const void *p, size_t n);
int	rta_pqw_out_flush(struct rta_pq_writer *w);
/*
 * Encode the row group being buffered into the next job, write the one
 * in flight before it, and hand this one to the compressor.  RTA_OK, or
 * the code the writer died with.
 */
int	rta_pqw_flush_rowgroup(struct rta_pq_writer *w,
	    struct rta_error *err);
/* Finish the job in flight, if any: its pages, then its RowGroup entry. */
int	rta_pqw_land(struct rta_pq_writer *w, struct rta_error *err);
/* Stop the helper thread, if it runs. */
void	rta_pqw_helper_stop(struct rta_pq_writer *w);
/* Serialize the FileMetaData into t. */
void	rta_pqw_put_footer(struct rta_pq_writer *w, struct rta_tw *t);

#endif /* RTA_PARQUET_WRITE_INT_H */
