/*
 * check_rta_segment.c: sealed segments.  A segment written record by
 * record reads back block by block with the same bytes, tenants and
 * times; its layout is the one rta_segment.h gives (header, blocks of
 * one tenant each, cut at the block size, a fixed-size index entry per
 * block, the footer); a tenant's first block is found by binary search;
 * and every kind of damage to the footer, the index or a block is
 * refused before any byte of it is trusted.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_segment.h"
#include "unit.h"

/* A record of the test: its tenant, time and bytes (any bytes: the
 * segment stores frames without looking inside). */
struct rec {
	char		 tenant[16];
	int64_t		 ts;
	unsigned char	 body[300];
	size_t		 len;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* n records over ntenants tenants, sorted by tenant then time. */
static struct rec *
make_recs(size_t n, unsigned ntenants)
{
	struct rec *v = calloc(n, sizeof(*v));
	size_t i, j;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < n; i++) {
		unsigned t = (unsigned)(i * ntenants / n);

		snprintf(v[i].tenant, sizeof(v[i].tenant), "t%04u", t);
		v[i].ts = 1000000LL * (int64_t)i;
		v[i].len = 20 + next() % 280;
		for (j = 0; j < v[i].len; j++)
			v[i].body[j] = (unsigned char)(j % 7 == 0 ? next() :
			    'a' + (i + j) % 3);
	}
	return v;
}

/* Whether write_seg asks for columns (rta_segw_columns). */
static int seg_columns;

/* Write recs into file name; return its bytes in *out. */
static void
write_seg(const char *name, const struct rec *v, size_t n,
    struct rta_buf *out, uint64_t *records)
{
	struct rta_segw *w;
	struct rta_error err;
	uint64_t size, raw, total = 0;
	size_t i;
	int fd;

	fd = open(unit_path(name), O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rta_segw_new(fd, 3, &w, &err), RTA_OK);
	if (seg_columns)
		rta_segw_columns(w);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(rta_segw_add(w, v[i].tenant,
		    strlen(v[i].tenant), v[i].ts, v[i].body, v[i].len, &err),
		    RTA_OK);
		total += v[i].len;
	}
	ck_assert_int_eq(rta_segw_finish(w, &size, &raw, records, &err),
	    RTA_OK);
	rta_segw_free(w);
	ck_assert_uint_eq(raw, total);
	ck_assert_uint_eq(*records, n);
	close(fd);
	unit_read(unit_path(name), out);
	ck_assert_uint_eq(out->len, size);
}

/*
 * Read every block of s back against the n records of v: one tenant a
 * block, each record in its entry's time range, the bytes the same, and
 * no block past cut bytes unless one record alone makes it so.  The
 * number of blocks past RTA_SEG_BLOCK.
 */
static uint32_t
read_back(const struct rta_seg *s, const struct rec *v, size_t n,
    uint32_t cut)
{
	struct rta_buf blk = RTA_BUF_INIT;
	struct rta_seg_entry e;
	struct rta_error err;
	size_t k = 0, off;
	uint32_t i, big = 0;

	for (i = 0; i < s->nblocks; i++) {
		ck_assert_int_eq(rta_seg_entry(s, i, &e), 0);
		ck_assert_int_eq(rta_seg_block(s, i, &blk, &err), RTA_OK);
		ck_assert_uint_eq(blk.len, e.ulen);
		ck_assert(e.ulen <= cut || e.count == 1);
		big += e.ulen > RTA_SEG_BLOCK;
		for (off = 0; off < blk.len; k++) {
			ck_assert_uint_lt(k, n);
			ck_assert_uint_eq(strlen(v[k].tenant), e.tlen);
			ck_assert_mem_eq(v[k].tenant, e.tenant, e.tlen);
			ck_assert(v[k].ts >= e.min_ts && v[k].ts <= e.max_ts);
			ck_assert_mem_eq(blk.data + off, v[k].body, v[k].len);
			off += v[k].len;
		}
		ck_assert_uint_eq(off, blk.len);
	}
	ck_assert_uint_eq(k, n);
	rta_buf_release(&blk);
	return big;
}

START_TEST(round_trip)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_seg s;
	struct rec *v;
	uint64_t records;
	size_t n = 3000;

	v = make_recs(n, 7);
	write_seg("a.seg", v, n, &b, &records);
	ck_assert_mem_eq(b.data, RTA_SEG_MAGIC, RTA_SEG_HEADER);
	ck_assert_mem_eq(b.data + b.len - 8, RTA_SEG_FOOTER_MAGIC, 8);
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_OK);
	ck_assert_uint_eq(s.records, n);
	ck_assert_uint_ge(s.nblocks, 7);
	ck_assert_int_eq(rta_seg_check(&s, &err), RTA_OK);
	(void)read_back(&s, v, n, RTA_SEG_BLOCK);
	free(v);
	rta_buf_release(&b);
}
END_TEST

/*
 * A segment that carries columns is cut into blocks of up to
 * RTA_SEG_BLOCK_COLS (fewer blocks for a query of columns to check and
 * parse), one tenant each; its records read back the same.  (These
 * records are not aggregate records, so no block gets columns.)
 */
START_TEST(cut_columns)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_seg_entry e;
	struct rta_error err;
	struct rta_seg s;
	struct rec *v;
	uint64_t records;
	size_t n = 6000;
	uint32_t i, big;

	v = make_recs(n, 2);
	seg_columns = 1;
	write_seg("c.seg", v, n, &b, &records);
	seg_columns = 0;
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_OK);
	ck_assert_int_eq(rta_seg_check(&s, &err), RTA_OK);
	for (i = 0; i < s.nblocks; i++) {
		ck_assert_int_eq(rta_seg_entry(&s, i, &e), 0);
		ck_assert_uint_eq(e.cols, 0);
	}
	big = read_back(&s, v, n, RTA_SEG_BLOCK_COLS);
	/* 6000 records of some 160 bytes, two tenants: blocks past the
	 * plain cut, and fewer of them */
	ck_assert_uint_ge(big, 2);
	ck_assert_uint_le(s.nblocks, 8);
	free(v);
	rta_buf_release(&b);
}
END_TEST

START_TEST(find_tenant)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_seg_entry e;
	struct rta_error err;
	struct rta_seg s;
	struct rec *v;
	uint64_t records;
	uint32_t i, j;
	char t[16];

	v = make_recs(5000, 50);
	write_seg("b.seg", v, 5000, &b, &records);
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_OK);
	for (i = 0; i < 50; i++) {
		snprintf(t, sizeof(t), "t%04u", i);
		ck_assert_int_eq(rta_seg_find(&s, t, strlen(t), &j), 0);
		ck_assert_uint_lt(j, s.nblocks);
		ck_assert_int_eq(rta_seg_entry(&s, j, &e), 0);
		ck_assert_uint_eq(e.tlen, strlen(t));
		ck_assert_mem_eq(e.tenant, t, e.tlen);
		/* the first: the block before is another tenant's */
		if (j > 0) {
			ck_assert_int_eq(rta_seg_entry(&s, j - 1, &e), 0);
			ck_assert(e.tlen != strlen(t) ||
			    memcmp(e.tenant, t, e.tlen) != 0);
		}
	}
	/* before every tenant, between two, after every one */
	ck_assert_int_eq(rta_seg_find(&s, "a", 1, &j), 0);
	ck_assert_uint_eq(j, 0);
	ck_assert_int_eq(rta_seg_find(&s, "t0003x", 6, &j), 0);
	ck_assert_int_eq(rta_seg_entry(&s, j, &e), 0);
	ck_assert_mem_eq(e.tenant, "t0004", 5);
	ck_assert_int_eq(rta_seg_find(&s, "z", 1, &j), 0);
	ck_assert_uint_eq(j, s.nblocks);
	free(v);
	rta_buf_release(&b);
}
END_TEST

START_TEST(empty)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_seg s;
	uint64_t records;
	uint32_t j;

	write_seg("c.seg", NULL, 0, &b, &records);
	ck_assert_uint_eq(b.len, RTA_SEG_HEADER + RTA_SEG_FOOTER);
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_OK);
	ck_assert_uint_eq(s.nblocks, 0);
	ck_assert_int_eq(rta_seg_find(&s, "t", 1, &j), 0);
	ck_assert_uint_eq(j, 0);
	rta_buf_release(&b);
}
END_TEST

/* Make an index entry's own checksum right again after a change. */
static void
entry_sum(unsigned char *q)
{
	rta_put_u32(q + RTA_SEG_ENTRY - 4, rta_crc32c(0, q, RTA_SEG_ENTRY - 4));
}

/* Every single-byte change of the footer and index is refused (an
 * entry's by the entry's own checksum, when it is read); every one in a
 * block is refused when that block is read. */
START_TEST(damage)
{
	struct rta_buf b = RTA_BUF_INIT, x = RTA_BUF_INIT,
	    blk = RTA_BUF_INIT;
	struct rta_seg_entry e;
	struct rta_error err;
	struct rta_seg s;
	struct rec *v;
	uint64_t records, ioff;
	size_t pos, nbad = 0;
	uint32_t i;
	int rc, ok;

	v = make_recs(400, 3);
	write_seg("d.seg", v, 400, &b, &records);
	ioff = rta_get_u64(b.data + b.len - RTA_SEG_FOOTER);
	for (pos = 0; pos < b.len; pos++) {
		rta_buf_reset(&x);
		ck_assert_int_eq(rta_buf_add(&x, b.data, b.len), 0);
		x.data[pos] ^= 0x5a;
		rc = rta_seg_open(x.data, x.len, &s, &err);
		if (pos < RTA_SEG_HEADER || pos >= ioff) {
			/* header, index, footer: refused at open, or (the
			 * footer's record count) by the whole-index check */
			ck_assert_msg(rc == RTA_EDATA ||
			    rta_seg_check(&s, &err) == RTA_EDATA,
			    "byte %zu taken", pos);
			if (pos >= ioff && rc == RTA_OK &&
			    pos < ioff + (uint64_t)s.nblocks * RTA_SEG_ENTRY)
				ck_assert_msg(rta_seg_entry(&s, (uint32_t)
				    ((pos - ioff) / RTA_SEG_ENTRY), &e) == -1,
				    "entry byte %zu taken", pos);
			continue;
		}
		ck_assert_int_eq(rc, RTA_OK);
		ok = 1;
		for (i = 0; i < s.nblocks && ok; i++)
			if (rta_seg_block(&s, i, &blk, &err) != RTA_OK)
				ok = 0;
		ck_assert_msg(!ok, "block byte %zu not noticed", pos);
		nbad++;
	}
	ck_assert_uint_eq(nbad, ioff - RTA_SEG_HEADER);
	/* cut short anywhere: refused */
	for (pos = 0; pos < b.len; pos += 7)
		ck_assert_int_eq(rta_seg_open(b.data, pos, &s, &err),
		    RTA_EDATA);
	/* an index whose checksum is made right again, but whose entry
	 * points outside the blocks: the entry is refused when read, its
	 * block never decompressed, and the index is not whole */
	rta_buf_reset(&x);
	ck_assert_int_eq(rta_buf_add(&x, b.data, b.len), 0);
	rta_put_u32(x.data + ioff + 8, (uint32_t)ioff);	/* clen */
	entry_sum(x.data + ioff);
	rta_put_u32(x.data + x.len - RTA_SEG_FOOTER + 12, rta_crc32c(0,
	    x.data + ioff, x.len - RTA_SEG_FOOTER - ioff));
	ck_assert_int_eq(rta_seg_open(x.data, x.len, &s, &err), RTA_OK);
	ck_assert_int_eq(rta_seg_entry(&s, 0, &e), -1);
	ck_assert_int_eq(rta_seg_block(&s, 0, &blk, &err), RTA_EDATA);
	ck_assert_int_eq(rta_seg_check(&s, &err), RTA_EDATA);
	/* and a block's declared size must be what it decompresses to */
	rta_buf_reset(&x);
	ck_assert_int_eq(rta_buf_add(&x, b.data, b.len), 0);
	rta_put_u32(x.data + ioff + 12, rta_get_u32(x.data + ioff + 12) + 1);
	entry_sum(x.data + ioff);
	rta_put_u32(x.data + x.len - RTA_SEG_FOOTER + 12, rta_crc32c(0,
	    x.data + ioff, x.len - RTA_SEG_FOOTER - ioff));
	ck_assert_int_eq(rta_seg_open(x.data, x.len, &s, &err), RTA_OK);
	ck_assert_int_eq(rta_seg_block(&s, 0, &blk, &err), RTA_EDATA);
	free(v);
	rta_buf_release(&b);
	rta_buf_release(&x);
	rta_buf_release(&blk);
}
END_TEST

/* A version 1 segment (no checksum in its entries; the whole index's
 * checked at open) still reads, finds and checks as it did. */
START_TEST(version1)
{
	struct rta_buf b = RTA_BUF_INIT, blk = RTA_BUF_INIT;
	struct rta_seg_entry e;
	struct rta_error err;
	struct rta_seg s;
	struct rec *v;
	uint64_t records, ioff;
	uint32_t i, j;

	v = make_recs(2000, 20);
	write_seg("v1.seg", v, 2000, &b, &records);
	ioff = rta_get_u64(b.data + b.len - RTA_SEG_FOOTER);
	memcpy(b.data, RTA_SEG_MAGIC_V1, RTA_SEG_HEADER);
	for (i = 0; (uint64_t)i * RTA_SEG_ENTRY < b.len - RTA_SEG_FOOTER -
	    ioff; i++)
		memset(b.data + ioff + (size_t)i * RTA_SEG_ENTRY + 105, 0, 7);
	rta_put_u32(b.data + b.len - RTA_SEG_FOOTER + 12, rta_crc32c(0,
	    b.data + ioff, b.len - RTA_SEG_FOOTER - ioff));
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_OK);
	ck_assert_int_eq(s.version, 1);
	ck_assert_int_eq(rta_seg_check(&s, &err), RTA_OK);
	for (i = 0; i < s.nblocks; i++) {
		ck_assert_int_eq(rta_seg_entry(&s, i, &e), 0);
		ck_assert_int_eq(rta_seg_block(&s, i, &blk, &err), RTA_OK);
		ck_assert_int_eq(rta_seg_find(&s, e.tenant, e.tlen, &j), 0);
		ck_assert_uint_le(j, i);
	}
	/* its index damaged: refused at open, as before */
	b.data[ioff + 50] ^= 1;
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_EDATA);
	free(v);
	rta_buf_release(&b);
	rta_buf_release(&blk);
}
END_TEST

/* Records out of tenant order make an index that is not whole; a tenant
 * id too long is refused by the writer. */
START_TEST(order_refused)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_segw *w;
	struct rta_error err;
	struct rta_seg s;
	uint64_t size, raw, records;
	char longt[80];
	int fd;

	fd = open(unit_path("e.seg"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rta_segw_new(fd, 1, &w, &err), RTA_OK);
	memset(longt, 'a', sizeof(longt));
	ck_assert_int_eq(rta_segw_add(w, longt, sizeof(longt), 0,
	    (const unsigned char *)"x", 1, &err), RTA_EINVAL);
	ck_assert_int_eq(rta_segw_add(w, "b", 1, 0,
	    (const unsigned char *)"x", 1, &err), RTA_OK);
	ck_assert_int_eq(rta_segw_add(w, "a", 1, 0,
	    (const unsigned char *)"y", 1, &err), RTA_OK);
	ck_assert_int_eq(rta_segw_finish(w, &size, &raw, &records, &err),
	    RTA_OK);
	rta_segw_free(w);
	close(fd);
	unit_read(unit_path("e.seg"), &b);
	ck_assert_int_eq(rta_seg_open(b.data, b.len, &s, &err), RTA_OK);
	ck_assert_int_eq(rta_seg_check(&s, &err), RTA_EDATA);
	rta_buf_release(&b);
}
END_TEST

static Suite *
segment_suite(void)
{
	Suite *s = suite_create("rta_segment");
	TCase *tc = tcase_create("segments");

	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, cut_columns);
	tcase_add_test(tc, find_tenant);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, damage);
	tcase_add_test(tc, order_refused);
	tcase_add_test(tc, version1);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(segment_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
