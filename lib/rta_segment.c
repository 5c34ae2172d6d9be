/*
 * rta_segment.c: sealed, indexed, compressed segments (rta_segment.h).
 */
#include <errno.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_cols.h"
#include "rta_crc32c.h"
#include "rta_event.h"
#include "rta_io.h"
#include "rta_segment.h"

/* An entry's bytes under its checksum, which follows them (version 2). */
#define ENTRY_SUMMED	(RTA_SEG_ENTRY - 4)

struct rta_segw {
	int		 fd;
	ZSTD_CCtx	*cc;
	uint64_t	 off;		/* bytes written */
	uint64_t	 records;
	uint64_t	 raw;
	struct rta_buf	 block;		/* the block being filled */
	uint32_t	 count;
	int64_t		 min_ts, max_ts;
	char		 tenant[RTA_TENANT_MAX];
	size_t		 tlen;
	struct rta_buf	 z;		/* compressed */
	struct rta_buf	 index;
	int		 columns;	/* rta_segw_columns */
	struct rta_buf	 cols;		/* a block's column body */
};

/* A column region's head: u32 CRC-32C of the body that follows. */
#define COLS_HEAD	4

int
rta_segw_new(int fd, int level, struct rta_segw **wp, struct rta_error *err)
{
	struct rta_segw *w;

	*wp = NULL;
	if ((w = rta_calloc(1, sizeof(*w))) == NULL ||
	    (w->cc = ZSTD_createCCtx()) == NULL) {
		rta_free(w);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	ZSTD_CCtx_setParameter(w->cc, ZSTD_c_compressionLevel, level);
	w->fd = fd;
	if (rta_io_write(fd, RTA_SEG_MAGIC, RTA_SEG_HEADER) != 0) {
		rta_segw_free(w);
		return rta_error_errno(err, "writing a segment");
	}
	w->off = RTA_SEG_HEADER;
	*wp = w;
	return RTA_OK;
}

void
rta_segw_columns(struct rta_segw *w)
{
	w->columns = 1;
}

/* Write the block's columns after it, if its records have them: the
 * bytes written (0 for none), or (size_t)-1 with err set. */
static size_t
write_cols(struct rta_segw *w, struct rta_error *err)
{
	unsigned char h[COLS_HEAD];
	int rc;

	if (!w->columns)
		return 0;
	if ((rc = rta_cols_build(w->block.data, w->block.len, w->count,
	    &w->cols)) < 0) {
		rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
		return (size_t)-1;
	}
	if (rc == 0 || w->cols.len > RTA_SEG_COLS_MAX - COLS_HEAD)
		return 0;
	rta_put_u32(h, rta_crc32c(0, w->cols.data, w->cols.len));
	if (rta_io_write(w->fd, h, COLS_HEAD) != 0 ||
	    rta_io_write(w->fd, w->cols.data, w->cols.len) != 0) {
		rta_error_errno(err, "writing a segment");
		return (size_t)-1;
	}
	return COLS_HEAD + w->cols.len;
}

/* Compress and write the block being filled, and index it. */
static int
flush_block(struct rta_segw *w, struct rta_error *err)
{
	unsigned char *e;
	size_t bound, n, cn;
	uint32_t crc;

	if (w->count == 0)
		return RTA_OK;
	bound = ZSTD_compressBound(w->block.len);
	w->z.len = 0;
	if (rta_buf_reserve(&w->z, bound) != 0 ||
	    rta_buf_reserve(&w->index, RTA_SEG_ENTRY) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	n = ZSTD_compress2(w->cc, w->z.data, bound, w->block.data,
	    w->block.len);
	if (ZSTD_isError(n))
		return rta_error_set(err, RTA_ENOMEM, "zstd", "zstd: %s",
		    ZSTD_getErrorName(n));
	if (rta_io_write(w->fd, w->z.data, n) != 0)
		return rta_error_errno(err, "writing a segment");
	crc = rta_crc32c(0, w->z.data, n);
	if ((cn = write_cols(w, err)) == (size_t)-1)
		return err->code;
	e = w->index.data + w->index.len;
	memset(e, 0, RTA_SEG_ENTRY);
	rta_put_u64(e, w->off);
	rta_put_u32(e + 8, (uint32_t)n);
	rta_put_u32(e + 12, (uint32_t)w->block.len);
	rta_put_u32(e + 16, w->count);
	rta_put_u32(e + 20, crc);
	rta_put_u64(e + 24, (uint64_t)w->min_ts);
	rta_put_u64(e + 32, (uint64_t)w->max_ts);
	e[40] = (unsigned char)w->tlen;
	memcpy(e + 41, w->tenant, w->tlen);
	e[105] = (unsigned char)cn;
	e[106] = (unsigned char)(cn >> 8);
	e[107] = (unsigned char)(cn >> 16);
	rta_put_u32(e + ENTRY_SUMMED, rta_crc32c(0, e, ENTRY_SUMMED));
	w->index.len += RTA_SEG_ENTRY;
	w->off += n + cn;
	w->raw += w->block.len;
	w->block.len = 0;
	w->count = 0;
	return RTA_OK;
}

int
rta_segw_add(struct rta_segw *w, const char *tenant, size_t tlen, int64_t ts,
    const unsigned char *frame, size_t len, struct rta_error *err)
{
	int rc;

	if (tlen == 0 || tlen > RTA_TENANT_MAX)
		return rta_error_set(err, RTA_EINVAL, "bad-tenant", "tenant id "
		    "of %zu bytes in a segment", tlen);
	if (w->count > 0 && (tlen != w->tlen ||
	    memcmp(tenant, w->tenant, tlen) != 0 ||
	    w->block.len + len > (w->columns ? RTA_SEG_BLOCK_COLS :
	    RTA_SEG_BLOCK))) {
		if ((rc = flush_block(w, err)) != RTA_OK)
			return rc;
	}
	if (w->count == 0) {
		memcpy(w->tenant, tenant, tlen);
		w->tlen = tlen;
		w->min_ts = w->max_ts = ts;
	}
	if (rta_buf_add(&w->block, frame, len) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	if (ts < w->min_ts)
		w->min_ts = ts;
	if (ts > w->max_ts)
		w->max_ts = ts;
	w->count++;
	w->records++;
	return RTA_OK;
}

int
rta_segw_finish(struct rta_segw *w, uint64_t *size, uint64_t *raw,
    uint64_t *records, struct rta_error *err)
{
	unsigned char f[RTA_SEG_FOOTER];
	int rc;

	if ((rc = flush_block(w, err)) != RTA_OK)
		return rc;
	if (w->index.len > 0 &&
	    rta_io_write(w->fd, w->index.data, w->index.len) != 0)
		return rta_error_errno(err, "writing a segment");
	rta_put_u64(f, w->off);
	rta_put_u32(f + 8, (uint32_t)(w->index.len / RTA_SEG_ENTRY));
	rta_put_u32(f + 12, rta_crc32c(0, w->index.data, w->index.len));
	rta_put_u64(f + 16, w->records);
	memcpy(f + 24, RTA_SEG_FOOTER_MAGIC, 8);
	if (rta_io_write(w->fd, f, sizeof(f)) != 0 ||
	    rta_io_datasync(w->fd) != 0)
		return rta_error_errno(err, "writing a segment");
	*size = w->off + w->index.len + RTA_SEG_FOOTER;
	*records = w->records;
	*raw = w->raw;
	return RTA_OK;
}

void
rta_segw_free(struct rta_segw *w)
{
	if (w == NULL)
		return;
	ZSTD_freeCCtx(w->cc);
	rta_buf_release(&w->block);
	rta_buf_release(&w->z);
	rta_buf_release(&w->index);
	rta_buf_release(&w->cols);
	rta_free(w);
}

/* ---- reading ------------------------------------------------------------ */

int
rta_seg_open(const unsigned char *p, size_t len, struct rta_seg *s,
    struct rta_error *err)
{
	const unsigned char *f;
	uint64_t ioff;
	uint32_t n;

	memset(s, 0, sizeof(*s));
	if (len < RTA_SEG_HEADER + RTA_SEG_FOOTER)
		return rta_error_set(err, RTA_EDATA, "damaged", "not a "
		    "segment (bad magic)");
	if (memcmp(p, RTA_SEG_MAGIC, RTA_SEG_HEADER) == 0)
		s->version = 3;
	else if (memcmp(p, RTA_SEG_MAGIC_V2, RTA_SEG_HEADER) == 0)
		s->version = 2;
	else if (memcmp(p, RTA_SEG_MAGIC_V1, RTA_SEG_HEADER) == 0)
		s->version = 1;
	else
		return rta_error_set(err, RTA_EDATA, "damaged", "not a "
		    "segment (bad magic)");
	f = p + len - RTA_SEG_FOOTER;
	if (memcmp(f + 24, RTA_SEG_FOOTER_MAGIC, 8) != 0)
		return rta_error_set(err, RTA_EDATA, "damaged", "segment "
		    "footer missing");
	ioff = rta_get_u64(f);
	n = rta_get_u32(f + 8);
	if (ioff < RTA_SEG_HEADER || ioff > len - RTA_SEG_FOOTER ||
	    (len - RTA_SEG_FOOTER - ioff) / RTA_SEG_ENTRY != n ||
	    (len - RTA_SEG_FOOTER - ioff) % RTA_SEG_ENTRY != 0)
		return rta_error_set(err, RTA_EDATA, "damaged", "segment "
		    "index out of bounds");
	/* Version 2 entries carry their own checksums: reading the whole
	 * index here would cost a query on a large segment more than the
	 * query (megabytes of index pages brought in and summed). */
	if (s->version == 1 && rta_crc32c(0, p + ioff,
	    (size_t)n * RTA_SEG_ENTRY) != rta_get_u32(f + 12))
		return rta_error_set(err, RTA_EDATA, "damaged", "segment "
		    "index checksum mismatch");
	s->p = p;
	s->len = len;
	s->index = p + ioff;
	s->nblocks = n;
	s->records = rta_get_u64(f + 16);
	return RTA_OK;
}

int
rta_seg_entry(const struct rta_seg *s, uint32_t i, struct rta_seg_entry *e)
{
	const unsigned char *q = s->index + (size_t)i * RTA_SEG_ENTRY;
	uint64_t ioff = (uint64_t)(s->index - s->p);

	memset(e, 0, sizeof(*e));
	if (i >= s->nblocks)
		return -1;
	if (s->version != 1 && rta_crc32c(0, q, ENTRY_SUMMED) !=
	    rta_get_u32(q + ENTRY_SUMMED))
		return -1;
	e->off = rta_get_u64(q);
	e->clen = rta_get_u32(q + 8);
	e->ulen = rta_get_u32(q + 12);
	e->count = rta_get_u32(q + 16);
	e->crc = rta_get_u32(q + 20);
	e->min_ts = (int64_t)rta_get_u64(q + 24);
	e->max_ts = (int64_t)rta_get_u64(q + 32);
	e->tlen = q[40];
	e->tenant = (const char *)q + 41;
	if (s->version >= 3)
		e->cols = (uint32_t)q[105] | (uint32_t)q[106] << 8 |
		    (uint32_t)q[107] << 16;
	if (e->off < RTA_SEG_HEADER || e->off > ioff ||
	    e->clen > ioff - e->off || e->cols > ioff - e->off - e->clen ||
	    (e->cols != 0 && e->cols <= COLS_HEAD) || e->tlen == 0 ||
	    e->tlen > RTA_TENANT_MAX || e->ulen > RTA_SEG_BLOCK_MAX ||
	    e->count == 0 || e->min_ts > e->max_ts)
		return -1;
	return 0;
}

int
rta_seg_check(const struct rta_seg *s, struct rta_error *err)
{
	struct rta_seg_entry e, prev;
	uint64_t records = 0, end = RTA_SEG_HEADER;
	uint32_t i;
	int c;

	if (rta_crc32c(0, s->index, (size_t)s->nblocks * RTA_SEG_ENTRY) !=
	    rta_get_u32(s->p + s->len - RTA_SEG_FOOTER + 12))
		return rta_error_set(err, RTA_EDATA, "damaged", "segment "
		    "index checksum mismatch");
	for (i = 0; i < s->nblocks; i++) {
		if (rta_seg_entry(s, i, &e) != 0 || e.off != end)
			return rta_error_set(err, RTA_EDATA, "damaged",
			    "segment index entry %u out of bounds", i);
		if (i > 0) {
			c = memcmp(prev.tenant, e.tenant, prev.tlen < e.tlen ?
			    prev.tlen : e.tlen);
			if (c > 0 || (c == 0 && prev.tlen > e.tlen))
				return rta_error_set(err, RTA_EDATA,
				    "damaged", "segment index entry %u out "
				    "of order", i);
		}
		end = e.off + e.clen + e.cols;
		records += e.count;
		prev = e;
	}
	if (end != (uint64_t)(s->index - s->p) || records != s->records)
		return rta_error_set(err, RTA_EDATA, "damaged", "segment "
		    "index does not cover its blocks");
	return RTA_OK;
}

int
rta_seg_find(const struct rta_seg *s, const char *tenant, size_t tlen,
    uint32_t *at)
{
	uint32_t lo = 0, hi = s->nblocks, mid;

	while (lo < hi) {
		const unsigned char *q;
		size_t el;
		int c;

		mid = lo + (hi - lo) / 2;
		q = s->index + (size_t)mid * RTA_SEG_ENTRY;
		/* a damaged entry would send the search astray */
		if (s->version != 1 && rta_crc32c(0, q, ENTRY_SUMMED) !=
		    rta_get_u32(q + ENTRY_SUMMED)) {
			*at = mid;
			return -1;
		}
		el = q[40] <= RTA_TENANT_MAX ? q[40] : RTA_TENANT_MAX;
		c = memcmp(q + 41, tenant, el < tlen ? el : tlen);
		if (c < 0 || (c == 0 && el < tlen))
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

int
rta_seg_block(const struct rta_seg *s, uint32_t i, struct rta_buf *out,
    struct rta_error *err)
{
	struct rta_seg_entry e;
	unsigned long long fs;
	size_t n;

	if (rta_seg_entry(s, i, &e) != 0)
		return rta_error_set(err, RTA_EDATA, "damaged", "block %u: "
		    "index entry out of bounds", i);
	if (rta_crc32c(0, s->p + e.off, e.clen) != e.crc)
		return rta_error_set(err, RTA_EDATA, "damaged", "offset %llu: "
		    "block checksum mismatch", (unsigned long long)e.off);
	fs = ZSTD_getFrameContentSize(s->p + e.off, e.clen);
	if (fs != e.ulen)
		return rta_error_set(err, RTA_EDATA, "damaged", "offset %llu: "
		    "block size does not match its index entry",
		    (unsigned long long)e.off);
	out->len = 0;
	if (rta_buf_reserve(out, e.ulen + 16) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	if (s->dctx != NULL)
		n = ZSTD_decompressDCtx(s->dctx, out->data, e.ulen,
		    s->p + e.off, e.clen);
	else
		n = ZSTD_decompress(out->data, e.ulen, s->p + e.off, e.clen);
	if (ZSTD_isError(n) || n != e.ulen)
		return rta_error_set(err, RTA_EDATA, "damaged", "offset %llu: "
		    "block does not decompress", (unsigned long long)e.off);
	/* readable, defined bytes after the records (RTA_DECODE_PADDED) */
	memset(out->data + n, 0, 16);
	out->len = n;
	return RTA_OK;
}

int
rta_seg_cols(const struct rta_seg *s, uint32_t i, const unsigned char **body,
    size_t *len, struct rta_error *err)
{
	struct rta_seg_entry e;
	const unsigned char *p;

	if (rta_seg_entry(s, i, &e) != 0)
		return rta_error_set(err, RTA_EDATA, "damaged", "block %u: "
		    "index entry out of bounds", i);
	if (e.cols == 0)
		return RTA_EOF;
	p = s->p + e.off + e.clen;
	if (rta_crc32c(0, p + COLS_HEAD, e.cols - COLS_HEAD) !=
	    rta_get_u32(p))
		return rta_error_set(err, RTA_EDATA, "damaged", "offset %llu: "
		    "columns checksum mismatch", (unsigned long long)(e.off +
		    e.clen));
	*body = p + COLS_HEAD;
	*len = e.cols - COLS_HEAD;
	return RTA_OK;
}

void *
rta_seg_dctx_new(void)
{
	return ZSTD_createDCtx();
}

void
rta_seg_dctx_free(void *dctx)
{
	ZSTD_freeDCtx(dctx);
}
