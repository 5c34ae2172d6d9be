/*
 * rta_segment.h: sealed segments of the hot store.
 *
 * `rta-store compact` turns a finished time bucket's logs into one
 * segment: the bucket's records sorted by tenant, then event time, then
 * id, cut into blocks of one tenant's records each (about
 * RTA_SEG_BLOCK bytes before compression, RTA_SEG_BLOCK_COLS in a
 * segment that carries columns: a query of columns then checks and
 * parses a quarter as many blocks), each block a zstd frame of
 * rta frames, maybe followed by its columns, and an index of the blocks
 * at the end:
 *
 *	"RTASEG\0\3" (8 bytes)
 *	blocks, each: the zstd frame of its records; then, if the entry
 *	    says so, its columns (rta_cols.h): u32 CRC-32C of the column
 *	    body, the body
 *	index: one RTA_SEG_ENTRY-byte entry per block, in block order (so
 *	    by tenant, then time): u64 offset, u32 compressed length,
 *	    u32 uncompressed length, u32 records, u32 CRC-32C of the
 *	    compressed bytes, i64 least and greatest event time, u8 tenant
 *	    length, the tenant id (64 bytes, zero-padded), u24 length of
 *	    the columns (0: none), u32 CRC-32C of the entry's first 108
 *	    bytes
 *	footer (32 bytes): u64 index offset, u32 blocks, u32 CRC-32C of the
 *	    index, u64 records, "RTASEGIX"
 *
 * Little-endian.  A reader finds a tenant's blocks by binary search in
 * the mapped index, without reading the others: each entry carries its
 * own checksum, checked whenever the entry is read (by the search too),
 * so a query touches only the index pages it needs; the footer's
 * checksum of the whole index is for rta_seg_check (fsck).  Every
 * length and offset is checked against the file before use, and every
 * block's checksum before it is decompressed, into at most
 * RTA_SEG_BLOCK_MAX bytes.
 *
 * Version 2 ("RTASEG\0\2") is version 3 without columns (its entries
 * have zeros where the columns' length is); version 1 ("RTASEG\0\1")
 * had 7 zero bytes where the entry's checksum is, so its readers check
 * the whole index when they open it.  Both are still read.
 */
#ifndef RTA_SEGMENT_H
#define RTA_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

#define RTA_SEG_MAGIC		"RTASEG\0\3"
#define RTA_SEG_MAGIC_V2	"RTASEG\0\2"
#define RTA_SEG_MAGIC_V1	"RTASEG\0\1"
#define RTA_SEG_FOOTER_MAGIC	"RTASEGIX"
#define RTA_SEG_HEADER		8
#define RTA_SEG_FOOTER		32
#define RTA_SEG_ENTRY		112
#define RTA_SEG_BLOCK		(64U << 10)	/* cut blocks past this */
#define RTA_SEG_BLOCK_COLS	(256U << 10)	/* the same, with columns */
#define RTA_SEG_BLOCK_MAX	(32U << 20)	/* largest block (one frame
						 * can be 16 MiB) */
#define RTA_SEG_COLS_MAX	0xffffffU	/* largest stored columns */

struct rta_seg_entry {
	uint64_t	 off;
	uint32_t	 clen, ulen, count, crc;
	uint32_t	 cols;		/* bytes of columns after the block */
	int64_t		 min_ts, max_ts;
	uint8_t		 tlen;
	const char	*tenant;	/* in the mapped index */
};

/* ---- writing ------------------------------------------------------------ */

struct rta_segw;

/*
 * Start a segment in file fd (empty, opened for writing; the caller
 * names, syncs and renames it) with zstd at level.  RTA_OK or
 * RTA_ENOMEM.
 */
int	rta_segw_new(int fd, int level, struct rta_segw **w,
	    struct rta_error *err);
/* Write each block's columns where its records have them (an aggregate
 * dataset's segment). */
void	rta_segw_columns(struct rta_segw *w);
/*
 * Add one record: its tenant, event time and frame bytes.  Records must
 * come sorted by tenant (bytes), then time.  RTA_OK, RTA_EIO, RTA_ENOMEM.
 */
int	rta_segw_add(struct rta_segw *w, const char *tenant, size_t tlen,
	    int64_t ts, const unsigned char *frame, size_t len,
	    struct rta_error *err);
/* Write the last block, the index and the footer, and fdatasync.
 * *size, *raw (the records' bytes before compression) and *records say
 * what was written. */
int	rta_segw_finish(struct rta_segw *w, uint64_t *size, uint64_t *raw,
	    uint64_t *records, struct rta_error *err);
/* Free (after finish or instead of it); the fd is not closed. */
void	rta_segw_free(struct rta_segw *w);

/* ---- reading ------------------------------------------------------------ */

struct rta_seg {
	const unsigned char	*p;
	size_t			 len;
	const unsigned char	*index;
	uint32_t		 nblocks;
	uint64_t		 records;
	int			 version;	/* 1, 2 or 3 */
	void			*dctx;		/* a decompression context the
						 * caller owns and sets after
						 * opening (rta_seg_dctx_new),
						 * or NULL: one per block */
};

/* A decompression context to reuse across blocks (NULL on ENOMEM), and
 * its release. */
void	*rta_seg_dctx_new(void);
void	 rta_seg_dctx_free(void *dctx);

/*
 * Check the header, the footer and the index's place of the len bytes at
 * p (a mapped segment) and fill s, in time independent of the number of
 * blocks (a version 1 segment: and the index's checksum).  RTA_OK or
 * RTA_EDATA with err saying what is wrong.  Each entry is checked when
 * it is read (rta_seg_entry), the index as a whole by rta_seg_check.
 */
int	rta_seg_open(const unsigned char *p, size_t len, struct rta_seg *s,
	    struct rta_error *err);
/*
 * Entry i (< s->nblocks) into e: 0, or -1 if it is unsound (its checksum
 * wrong, its block outside the bytes between header and index, a tenant
 * id of 0 or more than 64 bytes, a block over RTA_SEG_BLOCK_MAX, no
 * records, its times reversed).
 */
int	rta_seg_entry(const struct rta_seg *s, uint32_t i,
	    struct rta_seg_entry *e);
/*
 * The whole index: its checksum, every entry sound, the blocks one after
 * another from the header to the index, tenants in order, and the
 * records the footer's count.  RTA_OK or RTA_EDATA.
 */
int	rta_seg_check(const struct rta_seg *s, struct rta_error *err);
/*
 * The first block whose tenant is not before tenant (nblocks if none),
 * by binary search (with the index in order: see rta_seg_check), into
 * *at: 0, or -1 if an entry on the way fails its checksum (*at is that
 * entry).
 */
int	rta_seg_find(const struct rta_seg *s, const char *tenant, size_t tlen,
	    uint32_t *at);
/* Check and decompress block i into out (replaced), followed by 16 zero
 * bytes past out->len.  RTA_OK, RTA_EDATA (damage: err says what),
 * RTA_ENOMEM. */
int	rta_seg_block(const struct rta_seg *s, uint32_t i, struct rta_buf *out,
	    struct rta_error *err);
/* Check block i's columns and point *body (*len bytes) at their body,
 * in the segment: RTA_OK, RTA_EOF (the block has none), RTA_EDATA. */
int	rta_seg_cols(const struct rta_seg *s, uint32_t i,
	    const unsigned char **body, size_t *len, struct rta_error *err);

#endif
