/*
 * fuzz_segment.c: a sealed segment of the hot store, on hostile bytes.
 *
 * Segments are read back from disk, where anyone who can write the
 * store's directory could have changed them, so rta_seg_open must check
 * the footer and every index entry against the bytes before trusting
 * them (rta_seg_open the footer, rta_seg_entry each entry and its
 * checksum as it is read, rta_seg_find each entry it passes), and rta_seg_block must check a block's
 * checksum and sizes before decompressing it into at most
 * RTA_SEG_BLOCK_MAX bytes.  An entry that reads is inside the bytes; an
 * unsound one is never decompressed.  An index that rta_seg_check finds
 * whole holds what it says: blocks in order covering the bytes between
 * header and index, tenants sorted, its record count the sum of the
 * entries'; a tenant's first block is where rta_seg_find says.  Every
 * block that reads has the size its entry gives.  A block's columns
 * (version 3) are read only under their checksum, and columns that
 * rta_cols_parse accepts answer every accessor, for every record, from
 * inside their bytes.  Input
 * starting "RTA-CANARY" is the planted heap over-read every target
 * carries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_cols.h"
#include "rta_err.h"
#include "rta_segment.h"

#include "canary.h"
#include "cols.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_buf blk = RTA_BUF_INIT;
	struct rta_cols cols;
	struct rta_seg_entry e, prev;
	const unsigned char *body;
	size_t blen;
	struct rta_error err;
	struct rta_seg s;
	unsigned char *copy;
	uint64_t records = 0;
	uint32_t i, j;
	int whole;

	if (canary(data, size))
		return 0;
	/* an exact-size copy, so that a read past the end is caught */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	rta_cols_init(&cols);
	if (rta_seg_open(copy, size, &s, &err) != RTA_OK) {
		free(copy);
		return 0;
	}
	whole = rta_seg_check(&s, &err) == RTA_OK;
	for (i = 0; i < s.nblocks; i++) {
		if (rta_seg_entry(&s, i, &e) != 0) {
			/* an unsound entry: the index is not whole, and its
			 * block is never read */
			if (whole ||
			    rta_seg_block(&s, i, &blk, &err) != RTA_EDATA)
				abort();
			continue;
		}
		if (e.off < RTA_SEG_HEADER || e.off + e.clen + e.cols > size ||
		    e.tlen == 0 || e.tlen > 64 || e.count == 0 ||
		    e.min_ts > e.max_ts)
			abort();
		if (whole && i > 0) {
			size_t a = prev.tlen, b = e.tlen;
			int c = memcmp(prev.tenant, e.tenant, a < b ? a : b);

			if (prev.off + prev.clen + prev.cols != e.off ||
			    c > 0 ||
			    (c == 0 && a > b))
				abort();
		}
		/* a tenant's first block, in a whole index */
		if (rta_seg_find(&s, e.tenant, e.tlen, &j) != 0) {
			if (whole || j >= s.nblocks)
				abort();
		} else if (whole && j > i)
			abort();
		records += e.count;
		if (rta_seg_block(&s, i, &blk, &err) == RTA_OK &&
		    blk.len != e.ulen)
			abort();
		if (rta_seg_cols(&s, i, &body, &blen, &err) == RTA_OK) {
			if (body < copy || body + blen > copy + size ||
			    e.cols == 0)
				abort();
			if (rta_cols_parse(&cols, body, blen, &err) == RTA_OK)
				read_cols(&cols);
		}
		prev = e;
	}
	if (whole && records != s.records)
		abort();
	rta_buf_release(&blk);
	rta_cols_release(&cols);
	free(copy);
	return 0;
}
