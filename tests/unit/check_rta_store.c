/*
 * check_rta_store.c: the hot store (rta_store.h).  Commit records byte
 * for byte as the header gives them, decoded back, and the search for
 * the last valid one in commit files cut at every length, garbled, or
 * followed by junk; log and dataset names; then a store in a temporary
 * directory through the API: init and open, the writer and its commits,
 * exactly-once for raw events (across a reopen too), the latest version
 * of an aggregate, scans by tenant and time, what readers see of what
 * is not committed, the recovery of a crash's leftovers, the bucket
 * limit, the lock, and I/O faults (RTA_FAULT=io:N) at every call.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_crc32c.h"
#include "rta_io.h"
#include "rta_store.h"
#include "rta_store_int.h"
#include "rta_value.h"
#include "unit.h"

#define HOUR	(3600LL * 1000000)
#define DAY	(24 * HOUR)
#define T0	(1767225600LL * 1000000)	/* 2026-01-01T00:00:00Z */

/* ---- helpers ------------------------------------------------------------ */

/* Little-endian, written here from the header's description. */
static void
le(struct rta_buf *b, uint64_t v, int bytes)
{
	unsigned char p[8];
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i) & 0xff);
	ck_assert_int_eq(rta_buf_add(b, p, (size_t)bytes), 0);
}

static void
add_log(struct rta_commit *c, int64_t bucket, uint32_t gen, uint64_t len)
{
	struct rta_store_log *n;

	n = rta_reallocarray(c->logs, c->nlogs + 1, sizeof(*n));
	ck_assert_ptr_nonnull(n);
	c->logs = n;
	c->logcap = c->nlogs + 1;
	memset(&c->logs[c->nlogs], 0, sizeof(*n));
	c->logs[c->nlogs].bucket = bucket;
	c->logs[c->nlogs].gen = gen;
	c->logs[c->nlogs].len = len;
	c->nlogs++;
}

/*
 * A commit with every field set: seq, two logs (the second with two
 * generations when gens), a file input and a Kafka partition.  The logs
 * array is the library's to free (rta_commit_release).
 */
static void
fill(struct rta_commit *c, uint64_t seq, int gens)
{
	size_t i;

	rta_commit_init(c);
	c->kind = RTA_DS_EVENTS;
	c->width = HOUR;
	c->seq = seq;
	c->time = T0 + 330 * DAY + (int64_t)seq;
	c->records = 1000 + seq;
	c->min_ts = T0 - 5;
	c->max_ts = T0 + 2 * HOUR + 7;
	c->watermark = T0 + HOUR;
	add_log(c, T0, 1, 4096 + seq);
	c->logs[0].flags = RTA_STORE_LOG_CLOSED;
	add_log(c, T0 + 2 * HOUR, 1, 12);
	if (gens)
		add_log(c, T0 + 2 * HOUR, 2, 100);
	i = rta_sources_get(&c->src, RTA_SRC_LINES, 0, "in.ndjson", 9);
	ck_assert_uint_ne(i, RTA_SOURCE_NONE);
	rta_sources_done(&c->src, i, 40 + seq);
	i = rta_sources_get(&c->src, RTA_SRC_KAFKA, 3, "events", 6);
	ck_assert_uint_ne(i, RTA_SOURCE_NONE);
	rta_sources_done(&c->src, i, 1234);
}

/* The record of c as the header describes it, appended to b. */
static void
expect(const struct rta_commit *c, struct rta_buf *b)
{
	struct rta_buf body = RTA_BUF_INIT;
	size_t i;

	le(&body, 1, 1);
	le(&body, (uint64_t)c->kind, 1);
	le(&body, 0, 2);
	le(&body, (uint64_t)(c->width / 1000000), 4);
	le(&body, c->seq, 8);
	le(&body, (uint64_t)c->time, 8);
	le(&body, c->records, 8);
	le(&body, (uint64_t)c->min_ts, 8);
	le(&body, (uint64_t)c->max_ts, 8);
	le(&body, (uint64_t)c->watermark, 8);
	le(&body, c->nlogs, 4);
	for (i = 0; i < c->nlogs; i++) {
		le(&body, (uint64_t)c->logs[i].bucket, 8);
		le(&body, c->logs[i].gen, 4);
		le(&body, c->logs[i].len, 8);
		le(&body, c->logs[i].flags, 4);
	}
	/* rta_state.h: u32 count, then kind, partition, has_done, done,
	 * name length, name */
	le(&body, c->src.n, 4);
	for (i = 0; i < c->src.n; i++) {
		le(&body, (uint64_t)c->src.v[i].kind, 1);
		le(&body, (uint32_t)c->src.v[i].partition, 4);
		le(&body, (uint64_t)c->src.v[i].has_done, 1);
		le(&body, c->src.v[i].done, 8);
		le(&body, c->src.v[i].len, 4);
		ck_assert_int_eq(rta_buf_add(&body, c->src.v[i].name,
		    c->src.v[i].len), 0);
	}
	ck_assert_int_eq(rta_buf_add(b, "RTAC", 4), 0);
	le(b, body.len, 4);
	le(b, rta_crc32c(0, body.data, body.len), 4);
	ck_assert_int_eq(rta_buf_add(b, body.data, body.len), 0);
	rta_buf_release(&body);
}

static void
assert_same(const struct rta_commit *a, const struct rta_commit *b)
{
	size_t i;

	ck_assert_int_eq(a->kind, b->kind);
	ck_assert_int_eq(a->width, b->width);
	ck_assert_uint_eq(a->seq, b->seq);
	ck_assert_int_eq(a->time, b->time);
	ck_assert_uint_eq(a->records, b->records);
	ck_assert_int_eq(a->min_ts, b->min_ts);
	ck_assert_int_eq(a->max_ts, b->max_ts);
	ck_assert_int_eq(a->watermark, b->watermark);
	ck_assert_uint_eq(a->nlogs, b->nlogs);
	for (i = 0; i < a->nlogs; i++) {
		ck_assert_int_eq(a->logs[i].bucket, b->logs[i].bucket);
		ck_assert_uint_eq(a->logs[i].gen, b->logs[i].gen);
		ck_assert_uint_eq(a->logs[i].len, b->logs[i].len);
		ck_assert_uint_eq(a->logs[i].flags, b->logs[i].flags);
	}
	ck_assert_uint_eq(a->src.n, b->src.n);
	for (i = 0; i < a->src.n; i++) {
		ck_assert_int_eq(a->src.v[i].kind, b->src.v[i].kind);
		ck_assert_int_eq(a->src.v[i].partition, b->src.v[i].partition);
		ck_assert_uint_eq(a->src.v[i].len, b->src.v[i].len);
		ck_assert_mem_eq(a->src.v[i].name, b->src.v[i].name,
		    a->src.v[i].len);
		ck_assert_int_eq(a->src.v[i].has_done, b->src.v[i].has_done);
		ck_assert_uint_eq(a->src.v[i].done, b->src.v[i].done);
	}
}

/*
 * rta_commit_last on a copy of p[0..len) in a block of exactly that
 * size, so that a read past it is a sanitizer report.
 */
static size_t last_damaged;	/* what the last call of last() found */

static void
last(const unsigned char *p, size_t len, struct rta_commit *c,
    size_t *valid, uint64_t *records)
{
	unsigned char *q = malloc(len > 0 ? len : 1);

	ck_assert_ptr_nonnull(q);
	if (len > 0)
		memcpy(q, p, len);
	ck_assert_int_eq(rta_commit_last(q, len, c, valid, records,
	    &last_damaged), RTA_OK);
	free(q);
}

/* Two records, seq 1 then 2; *end1 is where the first one ends. */
static void
two_records(struct rta_buf *b, size_t *end1, struct rta_commit *c1,
    struct rta_commit *c2)
{
	fill(c1, 1, 0);
	fill(c2, 2, 1);
	c2->records = 77;
	c2->watermark = INT64_MIN;
	ck_assert_int_eq(rta_commit_encode(c1, b), 0);
	*end1 = b->len;
	ck_assert_int_eq(rta_commit_encode(c2, b), 0);
}

/* ---- commit records ----------------------------------------------------- */

START_TEST(commit_layout)
{
	struct rta_buf got = RTA_BUF_INIT, want = RTA_BUF_INIT;
	struct rta_commit c;

	fill(&c, 5, 1);
	/* appended after what b holds */
	ck_assert_int_eq(rta_buf_add(&got, "xy", 2), 0);
	ck_assert_int_eq(rta_buf_add(&want, "xy", 2), 0);
	ck_assert_int_eq(rta_commit_encode(&c, &got), 0);
	expect(&c, &want);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.data, want.data, want.len);
	/* no logs, no sources, no watermark */
	rta_commit_release(&c);
	rta_commit_init(&c);
	c.kind = RTA_DS_AGGREGATES;
	c.width = DAY;
	c.seq = 1;
	rta_buf_reset(&got);
	rta_buf_reset(&want);
	ck_assert_int_eq(rta_commit_encode(&c, &got), 0);
	expect(&c, &want);
	ck_assert_uint_eq(got.len, 12 + 60 + 4);
	ck_assert_mem_eq(got.data, want.data, want.len);
	rta_commit_release(&c);
	rta_buf_release(&got);
	rta_buf_release(&want);
}
END_TEST

START_TEST(commit_round_trip)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_commit c, back;
	uint64_t records;
	size_t valid;

	fill(&c, 9, 1);
	ck_assert_int_eq(rta_commit_encode(&c, &b), 0);
	rta_commit_init(&back);
	last(b.data, b.len, &back, &valid, &records);
	ck_assert_uint_eq(valid, b.len);
	ck_assert_uint_eq(records, 1);
	assert_same(&c, &back);
	/* released: empty again */
	rta_commit_release(&back);
	ck_assert_uint_eq(back.seq, 0);
	ck_assert_uint_eq(back.nlogs, 0);
	ck_assert_ptr_null(back.logs);
	ck_assert_uint_eq(back.src.n, 0);
	ck_assert_int_eq(back.watermark, INT64_MIN);
	/* a watermark of none, and the extremes of the signed fields */
	c.watermark = INT64_MIN;
	c.min_ts = -1;
	c.time = INT64_MAX;
	rta_buf_reset(&b);
	ck_assert_int_eq(rta_commit_encode(&c, &b), 0);
	last(b.data, b.len, &back, &valid, &records);
	assert_same(&c, &back);
	/* every width the store allows */
	for (c.width = HOUR; c.width <= DAY; c.width += HOUR) {
		if (DAY % c.width != 0)
			continue;
		c.logs[0].bucket = T0 - c.width;
		c.logs[1].bucket = c.logs[2].bucket = T0 + c.width;
		rta_buf_reset(&b);
		ck_assert_int_eq(rta_commit_encode(&c, &b), 0);
		last(b.data, b.len, &back, &valid, &records);
		ck_assert_uint_eq(records, 1);
		assert_same(&c, &back);
	}
	rta_commit_release(&c);
	rta_commit_release(&back);
	rta_buf_release(&b);
}
END_TEST

/* Every length of a two-record file: none, the first, or the second. */
START_TEST(commit_last_truncated)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_commit c1, c2, got;
	uint64_t records;
	size_t end1, len, valid;

	two_records(&b, &end1, &c1, &c2);
	rta_commit_init(&got);
	for (len = 0; len <= b.len; len++) {
		last(b.data, len, &got, &valid, &records);
		if (len < end1) {
			ck_assert_msg(got.seq == 0 && valid == 0 &&
			    records == 0, "length %zu: seq %llu, valid %zu, "
			    "%llu records", len, (unsigned long long)got.seq,
			    valid, (unsigned long long)records);
		} else if (len < b.len) {
			ck_assert_msg(got.seq == 1 && valid == end1 &&
			    records == 1, "length %zu: seq %llu, valid %zu",
			    len, (unsigned long long)got.seq, valid);
			assert_same(&c1, &got);
		} else {
			ck_assert_uint_eq(valid, b.len);
			ck_assert_uint_eq(records, 2);
			assert_same(&c2, &got);
		}
	}
	rta_commit_release(&got);
	rta_commit_release(&c1);
	rta_commit_release(&c2);
	rta_buf_release(&b);
}
END_TEST

/*
 * Any byte of the second record changed: the first is the last valid
 * one (the second's bytes are a torn tail).  Any byte of the first
 * changed: the second is still found after the damage, which is
 * reported where it starts.
 */
START_TEST(commit_last_garbled)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_commit c1, c2, got;
	uint64_t records;
	size_t end1, i, valid;

	two_records(&b, &end1, &c1, &c2);
	rta_commit_init(&got);
	for (i = 0; i < b.len; i++) {
		b.data[i] ^= 0x5a;
		last(b.data, b.len, &got, &valid, &records);
		if (i >= end1) {
			ck_assert_msg(valid == end1 && records == 1,
			    "byte %zu: valid %zu, %llu records", i, valid,
			    (unsigned long long)records);
			ck_assert_uint_eq(last_damaged, SIZE_MAX);
			assert_same(&c1, &got);
		} else {
			ck_assert_msg(valid == b.len && records == 1 &&
			    last_damaged == 0, "byte %zu: valid %zu, %llu "
			    "records, damage at %zu", i, valid,
			    (unsigned long long)records, last_damaged);
			assert_same(&c2, &got);
		}
		b.data[i] ^= 0x5a;
	}
	rta_commit_release(&got);
	rta_commit_release(&c1);
	rta_commit_release(&c2);
	rta_buf_release(&b);
}
END_TEST

/*
 * A reader (rta_dataset_open) takes the last commit its own way, decoding
 * only the last record of a clean file: on every truncation and every
 * garbled byte of three records, and with sequence numbers out of order,
 * it must find what rta_commit_last finds.
 */
static void
reader_agrees(const unsigned char *p, size_t len)
{
	struct rta_store s;
	struct rta_dataset ds;
	struct rta_commit want;
	struct rta_error err;
	uint64_t records;
	size_t valid;

	rta_commit_init(&want);
	last(p, len, &want, &valid, &records);
	unit_write("st/ev/commits", p, len);
	ck_assert_int_eq(rta_store_open(&s, unit_path("st"), &err), RTA_OK);
	ck_assert_int_eq(rta_dataset_open(&s, "ev", &ds, &err), RTA_OK);
	ck_assert_uint_eq(ds.c.seq, want.seq);
	if (want.seq != 0)
		assert_same(&want, &ds.c);
	rta_dataset_close(&ds);
	rta_store_close(&s);
	rta_commit_release(&want);
}

START_TEST(commit_last_reader)
{
	struct rta_buf b = RTA_BUF_INIT, o = RTA_BUF_INIT;
	struct rta_commit c1, c2, c3;
	struct rta_error err;
	size_t end1, i;

	ck_assert_int_eq(rta_store_init(unit_path("st"), &err), RTA_OK);
	ck_assert_int_eq(mkdir(unit_path("st/ev"), 0700), 0);
	two_records(&b, &end1, &c1, &c2);
	fill(&c3, 3, 1);
	ck_assert_int_eq(rta_commit_encode(&c3, &b), 0);
	for (i = 0; i <= b.len; i++)
		reader_agrees(b.data, i);
	for (i = 0; i < b.len; i++) {
		b.data[i] ^= 0x5a;
		reader_agrees(b.data, b.len);
		b.data[i] ^= 0x5a;
	}
	/* many records, past the reader's 64 KiB reads, whose headers fall
	 * across its chunk boundaries; then a last record bigger than a
	 * chunk (a log per hour for 200 days) */
	rta_buf_reset(&o);
	for (i = 1; i <= 1600; i++) {
		struct rta_commit c;

		fill(&c, i, (int)(i & 1));
		ck_assert_int_eq(rta_commit_encode(&c, &o), 0);
		rta_commit_release(&c);
	}
	ck_assert_uint_gt(o.len, 3 * 65536);
	reader_agrees(o.data, o.len);
	{
		struct rta_commit big;

		fill(&big, 1601, 1);
		for (i = 0; i < 4800; i++)
			add_log(&big, T0 + (int64_t)(i + 3) * HOUR, 1, 7);
		ck_assert_int_eq(rta_commit_encode(&big, &o), 0);
		rta_commit_release(&big);
	}
	reader_agrees(o.data, o.len);
	o.data[o.len - 5] ^= 1;		/* its checksum fails: the 1600th */
	reader_agrees(o.data, o.len);
	rta_buf_reset(&o);
	/* seq 1, 3, 2: the 2 does not go up, so the 3 stays the last */
	ck_assert_int_eq(rta_commit_encode(&c1, &o), 0);
	ck_assert_int_eq(rta_commit_encode(&c3, &o), 0);
	ck_assert_int_eq(rta_commit_encode(&c2, &o), 0);
	reader_agrees(o.data, o.len);
	rta_commit_release(&c1);
	rta_commit_release(&c2);
	rta_commit_release(&c3);
	rta_buf_release(&b);
	rta_buf_release(&o);
}
END_TEST

/* Whatever follows the last record that is not a record is ignored. */
START_TEST(commit_last_extended)
{
	struct rta_buf b = RTA_BUF_INIT, x = RTA_BUF_INIT;
	struct rta_commit c1, c2, got;
	unsigned char junk[200];
	uint64_t records, r = 12345;
	size_t end1, end2, i, k, valid;

	two_records(&b, &end1, &c1, &c2);
	end2 = b.len;
	rta_commit_init(&got);
	for (i = 0; i < sizeof(junk); i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		junk[i] = (unsigned char)(r >> 56);
	}
	for (k = 0; k < 6; k++) {
		rta_buf_reset(&x);
		ck_assert_int_eq(rta_buf_add(&x, b.data, end2), 0);
		switch (k) {
		case 0:		/* random bytes */
			ck_assert_int_eq(rta_buf_add(&x, junk, sizeof(junk)),
			    0);
			break;
		case 1:		/* the magic, then junk */
			ck_assert_int_eq(rta_buf_add(&x, "RTAC", 4), 0);
			ck_assert_int_eq(rta_buf_add(&x, junk, 100), 0);
			break;
		case 2:		/* an older record again: seq goes down */
			ck_assert_int_eq(rta_buf_add(&x, b.data, end1), 0);
			break;
		case 3:		/* the same record again: seq stays */
			ck_assert_int_eq(rta_buf_add(&x, b.data + end1,
			    end2 - end1), 0);
			break;
		case 4:		/* a header claiming a body over the limit */
			ck_assert_int_eq(rta_buf_add(&x, "RTAC", 4), 0);
			le(&x, RTA_STORE_COMMIT_MAX + 1ULL, 4);
			le(&x, 0, 4);
			break;
		default:	/* a record cut short */
			ck_assert_int_eq(rta_buf_add(&x, b.data + end1,
			    (end2 - end1) / 2), 0);
			break;
		}
		last(x.data, x.len, &got, &valid, &records);
		ck_assert_msg(valid == end2 && records == 2, "case %zu: "
		    "valid %zu, %llu records", k, valid,
		    (unsigned long long)records);
		assert_same(&c2, &got);
	}
	rta_commit_release(&got);
	rta_commit_release(&c1);
	rta_commit_release(&c2);
	rta_buf_release(&b);
	rta_buf_release(&x);
}
END_TEST

/*
 * A second record with a correct checksum around a body the format
 * forbids is not valid: the first one stays the last.
 */
START_TEST(commit_last_bad_fields)
{
	struct rta_buf b = RTA_BUF_INIT, x = RTA_BUF_INIT;
	struct rta_commit c1, c2, got;
	uint64_t records;
	size_t end1, valid, off;
	unsigned char *p;
	int k;

	two_records(&b, &end1, &c1, &c2);
	rta_commit_init(&got);
	for (k = 0; k < 14; k++) {
		rta_buf_reset(&x);
		ck_assert_int_eq(rta_buf_add(&x, b.data, b.len), 0);
		p = x.data + end1 + 12;		/* the second body */
		off = 60;			/* its first log */
		switch (k) {
		case 0: p[0] = 2; break;			/* version */
		case 1: p[1] = 0; break;			/* kind */
		case 2: p[1] = 3; break;
		case 3: p[2] = 1; break;			/* u16 0 */
		case 4: rta_put_u32(p + 4, 5 * 3600); break;	/* width */
		case 5: rta_put_u32(p + 4, 1800); break;
		case 6: rta_put_u32(p + 4, 2 * 86400); break;
		case 7: rta_put_u64(p + 8, 0); break;		/* seq 0 */
		case 8: rta_put_u32(p + 56, 1000); break;	/* nlogs */
		case 9: rta_put_u64(p + off, (uint64_t)(T0 + 1)); break;
		case 10: rta_put_u32(p + off + 8, 0); break;	/* gen 0 */
		case 11: rta_put_u64(p + off + 12, 11); break;	/* < header */
		case 12: rta_put_u32(p + off + 20, 2); break;	/* flags */
		default:	/* logs out of order: swap the first two */
			rta_put_u64(p + off, (uint64_t)(T0 + 2 * HOUR));
			rta_put_u64(p + off + 24, (uint64_t)T0);
			break;
		}
		rta_put_u32(x.data + end1 + 8, rta_crc32c(0, p,
		    x.len - end1 - 12));
		last(x.data, x.len, &got, &valid, &records);
		ck_assert_msg(valid == end1 && records == 1 && got.seq == 1,
		    "case %d: valid %zu, %llu records, seq %llu", k, valid,
		    (unsigned long long)records,
		    (unsigned long long)got.seq);
	}
	/* a byte left over after the sources */
	rta_buf_reset(&x);
	ck_assert_int_eq(rta_buf_add(&x, b.data, b.len), 0);
	ck_assert_int_eq(rta_buf_addc(&x, 0), 0);
	p = x.data + end1;
	rta_put_u32(p + 4, rta_get_u32(p + 4) + 1);
	rta_put_u32(p + 8, rta_crc32c(0, p + 12, x.len - end1 - 12));
	last(x.data, x.len, &got, &valid, &records);
	ck_assert_uint_eq(valid, end1);
	ck_assert_uint_eq(records, 1);
	rta_commit_release(&got);
	rta_commit_release(&c1);
	rta_commit_release(&c2);
	rta_buf_release(&b);
	rta_buf_release(&x);
}
END_TEST

START_TEST(commit_too_large)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_commit c;
	char name[RTA_SOURCE_NAME_MAX];
	size_t i;

	/* sources enough to pass RTA_STORE_COMMIT_MAX */
	rta_commit_init(&c);
	c.kind = RTA_DS_EVENTS;
	c.width = DAY;
	c.seq = 1;
	memset(name, 'n', sizeof(name));
	for (i = 0; i < RTA_STORE_COMMIT_MAX / sizeof(name) + 2; i++) {
		snprintf(name, 12, "%011zu", i);
		name[11] = 'n';
		ck_assert_uint_ne(rta_sources_get(&c.src, RTA_SRC_LINES, 0,
		    name, sizeof(name)), RTA_SOURCE_NONE);
	}
	ck_assert_int_eq(rta_buf_add(&b, "keep", 4), 0);
	errno = 0;
	ck_assert_int_eq(rta_commit_encode(&c, &b), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(b.data, "keep", 4);
	rta_commit_release(&c);
	rta_buf_release(&b);
}
END_TEST

/* ---- names -------------------------------------------------------------- */

START_TEST(log_names)
{
	static const struct {
		int64_t		 bucket;
		uint32_t	 gen;
		const char	*name;
	} c[] = {
		{ 0, 1, "19700101T0000.1.log" },
		{ T0, 1, "20260101T0000.1.log" },
		{ T0 + 329 * DAY + 10 * HOUR, 7, "20261126T1000.7.log" },
		{ T0 + 23 * HOUR, 12, "20260101T2300.12.log" },
		{ -HOUR, 1, "19691231T2300.1.log" },
		{ T0, 4294967295U, "20260101T0000.4294967295.log" },
		{ 253402300800LL * 1000000 - HOUR, 2, "99991231T2300.2.log" },
	};
	char buf[48];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		rta_store_log_name(buf, sizeof(buf), c[i].bucket, c[i].gen);
		ck_assert_str_eq(buf, c[i].name);
	}
	/* cut to the buffer, still a string */
	rta_store_log_name(buf, 8, T0, 1);
	ck_assert_str_eq(buf, "2026010");
}
END_TEST

START_TEST(dataset_names)
{
	static const char *const good[] = {
		"a", "0", "ev", "metrics_1m", "a-b_c", "9lives", "x-",
		"events2026", "123456789012345678901234567890123456789012345"
		    "678901234567890123",
	};
	static const char *const bad[] = {
		"", "-a", "_a", "A", "Ev", "a.b", "a/b", "/a", "..", ".",
		"a b", "a\tb", "a\nb", "caf\xc3\xa9", "lock", "tmp", "commits",
		"rta-store",	/* the marker */
		"1234567890123456789012345678901234567890123456789012345678"
		    "901234",	/* 64 */
	};
	size_t i;

	ck_assert_uint_eq(strlen(good[8]), RTA_STORE_NAME_MAX);
	ck_assert_uint_eq(strlen(bad[18]), RTA_STORE_NAME_MAX + 1);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(rta_store_name_valid(good[i]), "'%s' refused",
		    good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!rta_store_name_valid(bad[i]), "'%s' taken",
		    bad[i]);
	ck_assert_str_eq(rta_ds_kind_name(RTA_DS_EVENTS), "events");
	ck_assert_str_eq(rta_ds_kind_name(RTA_DS_AGGREGATES), "aggregates");
	ck_assert_str_eq(rta_ds_kind_name(RTA_DS_EMPTY), "empty");
}
END_TEST

/* ---- a store on disk ---------------------------------------------------- */

struct ev {
	const char	*tenant;
	const char	*id;
	int64_t		 ts;
	uint32_t	 version;	/* aggregates */
	int64_t		 n;		/* payload {"n": n} */
};

static unsigned char payload[64];

/* rec as an event (or an aggregate) of e; borrows e and a static buffer. */
static void
record_of(struct rta_record *rec, enum rta_kind kind, const struct ev *e)
{
	struct rta_buf pl = RTA_BUF_INIT;
	size_t off;

	off = rta_venc_begin(&pl, RTA_V_OBJECT);
	ck_assert_int_eq(rta_venc_key(&pl, "n", 1), 0);
	ck_assert_int_eq(rta_venc_int(&pl, e->n), 0);
	rta_venc_end(&pl, off, 1);
	ck_assert_uint_le(pl.len, sizeof(payload));
	memcpy(payload, pl.data, pl.len);
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->ev.ts = e->ts;
	rec->ev.schema_version = kind == RTA_REC_AGGREGATE ? e->version : 1;
	rec->ev.id = e->id;
	rec->ev.id_len = (uint8_t)strlen(e->id);
	rec->ev.type = kind == RTA_REC_AGGREGATE ? "tumbling" : "v";
	rec->ev.type_len = (uint8_t)strlen(rec->ev.type);
	rec->ev.tenant = e->tenant;
	rec->ev.tenant_len = (uint8_t)strlen(e->tenant);
	rec->ev.payload = payload;
	rec->ev.payload_len = pl.len;
	rta_buf_release(&pl);
}

static int
add(struct rta_writer *w, enum rta_kind kind, const struct ev *e,
    struct rta_error *err)
{
	struct rta_record rec;

	record_of(&rec, kind, e);
	return rta_writer_add(w, &rec, err);
}

/* payload {"n": N}: N */
static int64_t
n_of(const struct rta_record *rec)
{
	struct rta_record want;
	struct ev e = { "", "", 0, 0, 0 };
	int64_t n;

	/* find N by encoding candidates: the payload is tiny */
	for (n = 0; n < 100; n++) {
		e.n = n;
		record_of(&want, RTA_REC_EVENT, &e);
		if (want.ev.payload_len == rec->ev.payload_len &&
		    memcmp(want.ev.payload, rec->ev.payload,
		    rec->ev.payload_len) == 0)
			return n;
	}
	return -1;
}

/* A new store "st" in the test's directory, open in *s. */
static void
new_store(struct rta_store *s)
{
	struct rta_error err;

	ck_assert_int_eq(rta_store_init(unit_path("st"), &err), RTA_OK);
	ck_assert_int_eq(rta_store_open(s, unit_path("st"), &err), RTA_OK);
}

static struct rta_writer *
writer(struct rta_store *s, const char *name, int64_t width,
    struct rta_recovery *rec)
{
	struct rta_writer_opts o;
	struct rta_recovery r;
	struct rta_writer *w;
	struct rta_error err;

	rta_writer_opts_init(&o);
	o.width = width;
	ck_assert_msg(rta_writer_open(s, name, &o, &w, rec != NULL ? rec : &r,
	    &err) == RTA_OK, "writer %s: %s", name, err.text);
	ck_assert_ptr_nonnull(w);
	return w;
}

static const struct rta_commit *
commit(struct rta_writer *w)
{
	const struct rta_commit *c;
	struct rta_error err;

	ck_assert_msg(rta_writer_commit(w, &c, &err) == RTA_OK, "commit: %s",
	    err.text);
	ck_assert_uint_eq(rta_writer_pending(w), 0);
	return c;
}

/* As scan below, of a dataset open already. */
static void
scan_ds(struct rta_dataset *ds, const char *tenant, int64_t from,
    int64_t to, struct rta_buf *out)
{
	struct rta_record rec;
	struct rta_scan *sc;
	struct rta_error err;
	int rc;

	rta_buf_reset(out);
	ck_assert_int_eq(rta_scan_open(ds, tenant, tenant != NULL ?
	    strlen(tenant) : 0, from, to, &sc, &err), RTA_OK);
	while ((rc = rta_scan_next(sc, &rec, &err)) == RTA_OK)
		ck_assert_int_eq(rta_buf_printf(out, "%.*s %.*s %lld %u "
		    "%lld\n", (int)rec.ev.tenant_len, rec.ev.tenant,
		    (int)rec.ev.id_len, rec.ev.id,
		    (long long)((rec.ev.ts - T0) / 1000000),
		    (unsigned)rec.ev.schema_version,
		    (long long)n_of(&rec)), 0);
	ck_assert_msg(rc == RTA_EOF, "scan: %s", err.text);
	rta_scan_close(sc);
	ck_assert_int_eq(rta_buf_addc(out, '\0'), 0);
	out->len--;
}

/*
 * Scan dataset name (tenant or all, [from, to)) into a line per record,
 * "tenant id ts version n", in the order the scan gives them.
 */
static void
scan(struct rta_store *s, const char *name, const char *tenant,
    int64_t from, int64_t to, struct rta_buf *out)
{
	struct rta_dataset ds;
	struct rta_error err;

	ck_assert_int_eq(rta_dataset_open(s, name, &ds, &err), RTA_OK);
	scan_ds(&ds, tenant, from, to, out);
	rta_dataset_close(&ds);
}

static void
assert_scan(struct rta_store *s, const char *name, const char *tenant,
    int64_t from, int64_t to, const char *want)
{
	struct rta_buf b = RTA_BUF_INIT;

	scan(s, name, tenant, from, to, &b);
	ck_assert_str_eq((const char *)b.data, want);
	rta_buf_release(&b);
}

static off_t
size_of(const char *path)
{
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	return sb.st_size;
}

static const struct ev events[] = {
	{ "b", "e1", T0 + 10 * 1000000, 0, 1 },
	{ "a", "e2", T0 + 20 * 1000000, 0, 2 },
	{ "b", "e3", T0 + HOUR + 5 * 1000000, 0, 3 },
	{ "a", "e4", T0 + 5 * 1000000, 0, 4 },
	{ "a", "e5", T0 + HOUR, 0, 5 },
	{ "b", "e0", T0 + 10 * 1000000, 0, 6 },
};

/* in each bucket, by tenant, then time, then id */
static const char all_events[] =
    "a e4 5 1 4\na e2 20 1 2\nb e0 10 1 6\nb e1 10 1 1\n"
    "a e5 3600 1 5\nb e3 3605 1 3\n";

START_TEST(store_init_open)
{
	struct rta_store s;
	struct rta_error err;
	struct stat sb;
	char **names;
	size_t n;

	ck_assert_int_eq(rta_store_init(unit_path("st"), &err), RTA_OK);
	ck_assert_int_eq(stat(unit_path("st"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0700);
	ck_assert_int_eq(stat(unit_path("st/rta-store"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
	/* again: nothing changes */
	ck_assert_int_eq(rta_store_init(unit_path("st"), &err), RTA_OK);
	ck_assert_int_eq(rta_store_open(&s, unit_path("st"), &err), RTA_OK);
	ck_assert_int_ge(s.fd, 0);
	ck_assert_str_eq(s.path, unit_path("st"));
	/* datasets, sorted; files and bad names are not datasets */
	rta_writer_close(writer(&s, "zeta", DAY, NULL));
	rta_writer_close(writer(&s, "alpha", DAY, NULL));
	rta_writer_close(writer(&s, "mid-1", DAY, NULL));
	unit_write_str("st/file", "x");
	ck_assert_int_eq(mkdir(unit_path("st/Upper"), 0700), 0);
	ck_assert_int_eq(rta_store_datasets(&s, &names, &n, &err), RTA_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "alpha");
	ck_assert_str_eq(names[1], "mid-1");
	ck_assert_str_eq(names[2], "zeta");
	rta_store_names_free(names, n);
	rta_store_close(&s);
	ck_assert_int_eq(s.fd, -1);
	ck_assert_ptr_null(s.path);
	rta_store_close(&s);	/* twice is fine */
	/* refused */
	ck_assert_int_eq(mkdir(unit_path("full"), 0700), 0);
	unit_write_str("full/x", "x");
	ck_assert_int_eq(rta_store_init(unit_path("full"), &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "not-a-store");
	ck_assert_int_eq(rta_store_open(&s, unit_path("full"), &err),
	    RTA_EINVAL);
	ck_assert_str_eq(err.reason, "not-a-store");
	ck_assert_int_eq(chmod(unit_path("st"), 0777), 0);
	ck_assert_int_eq(rta_store_open(&s, unit_path("st"), &err),
	    RTA_EINVAL);
	ck_assert_str_eq(err.reason, "unsafe-store");
	ck_assert_int_eq(rta_store_init(unit_path("st"), &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "unsafe-store");
	ck_assert_int_eq(chmod(unit_path("st"), 0700), 0);
	ck_assert_int_eq(symlink("st", unit_path("link")), 0);
	ck_assert_int_eq(rta_store_open(&s, unit_path("link"), &err),
	    RTA_EINVAL);
	ck_assert_str_eq(err.reason, "unsafe-store");
	ck_assert_int_eq(rta_store_open(&s, unit_path("nowhere"), &err),
	    RTA_EIO);
}
END_TEST

START_TEST(writer_events)
{
	struct rta_recovery rec;
	struct rta_writer *w;
	struct rta_store s;
	struct rta_dataset ds;
	struct rta_error err;
	const struct rta_commit *c;
	struct ev e;
	size_t i;

	new_store(&s);
	w = writer(&s, "ev", HOUR, &rec);
	ck_assert_uint_eq(rec.commit_bytes + rec.log_bytes + rec.logs_removed,
	    0);
	/* nothing committed: reads as empty */
	assert_scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, "");
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[i], &err),
		    RTA_OK);
	/* a duplicate is absorbed, and counted as pending */
	e = events[1];
	e.n = 99;
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), 1);
	/* the same id under another tenant is another event */
	e.tenant = "c";
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	ck_assert_uint_eq(rta_writer_pending(w), 8);
	/* refused: another kind, a tenant unfit for the store */
	ck_assert_int_eq(add(w, RTA_REC_AGGREGATE, &events[0], &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.reason, "wrong-kind");
	e.tenant = "../x";
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-tenant");
	e.tenant = ".hidden";
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-tenant");
	c = commit(w);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->kind, RTA_DS_EVENTS);
	ck_assert_int_eq(c->width, HOUR);
	ck_assert_uint_eq(c->seq, 1);
	ck_assert_uint_eq(c->records, 7);
	ck_assert_int_eq(c->min_ts, T0 + 5 * 1000000);
	ck_assert_int_eq(c->max_ts, T0 + HOUR + 5 * 1000000);
	ck_assert_uint_eq(c->nlogs, 2);
	ck_assert_int_eq(c->logs[0].bucket, T0);
	ck_assert_int_eq(c->logs[1].bucket, T0 + HOUR);
	ck_assert_uint_eq(c->logs[0].len,
	    (uint64_t)size_of(unit_path("st/ev/20260101T0000.1.log")));
	ck_assert_uint_eq(c->logs[1].len,
	    (uint64_t)size_of(unit_path("st/ev/20260101T0100.1.log")));
	/* readers */
	assert_scan(&s, "ev", NULL, INT64_MIN, INT64_MAX,
	    "a e4 5 1 4\na e2 20 1 2\nb e0 10 1 6\nb e1 10 1 1\n"
	    "c e2 20 1 99\na e5 3600 1 5\nb e3 3605 1 3\n");
	assert_scan(&s, "ev", "b", INT64_MIN, INT64_MAX,
	    "b e0 10 1 6\nb e1 10 1 1\nb e3 3605 1 3\n");
	assert_scan(&s, "ev", "a", T0 + 20 * 1000000, T0 + HOUR,
	    "a e2 20 1 2\n");
	assert_scan(&s, "ev", NULL, T0 + 10 * 1000000, T0 + HOUR + 1,
	    "a e2 20 1 2\nb e0 10 1 6\nb e1 10 1 1\nc e2 20 1 99\n"
	    "a e5 3600 1 5\n");
	assert_scan(&s, "ev", "nobody", INT64_MIN, INT64_MAX, "");
	assert_scan(&s, "ev", NULL, T0 + DAY, INT64_MAX, "");
	ck_assert_int_eq(rta_dataset_open(&s, "ev", &ds, &err), RTA_OK);
	ck_assert_uint_eq(ds.c.seq, 1);
	ck_assert_str_eq(ds.name, "ev");
	rta_dataset_close(&ds);
	rta_writer_close(w);
	/* reopened: nothing to recover, the keys rebuilt, width kept */
	w = writer(&s, "ev", DAY, &rec);
	ck_assert_uint_eq(rec.commit_bytes + rec.log_bytes + rec.logs_removed,
	    0);
	ck_assert_uint_eq(rec.keys, 7);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[i], &err), 1);
	e = events[2];
	e.id = "e9";
	e.n = 9;
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	c = commit(w);
	ck_assert_uint_eq(c->seq, 2);
	ck_assert_uint_eq(c->records, 8);
	ck_assert_int_eq(c->width, HOUR);
	ck_assert_uint_eq(c->nlogs, 2);
	rta_writer_close(w);
	assert_scan(&s, "ev", "b", T0 + HOUR, T0 + 2 * HOUR,
	    "b e3 3605 1 3\nb e9 3605 1 9\n");
	/* missing, badly named */
	ck_assert_int_eq(rta_dataset_open(&s, "nosuch", &ds, &err), RTA_EOF);
	ck_assert_int_eq(rta_dataset_open(&s, "../st", &ds, &err),
	    RTA_EINVAL);
	rta_store_close(&s);
}
END_TEST

/* Versions 1, 3, 2 of one record: the scan gives version 3; on a tie,
 * the later one. */
START_TEST(writer_aggregates)
{
	static const struct ev agg[] = {
		{ "t", "r1", T0, 1, 10 },
		{ "t", "r1", T0, 3, 30 },
		{ "t", "r2", T0 + 60 * 1000000, 1, 11 },
		{ "t", "r1", T0, 2, 20 },
		{ "u", "r1", T0, 1, 40 },
	};
	struct rta_dataset ds;
	struct rta_writer *w;
	struct rta_store s;
	struct rta_scan *sc;
	struct rta_record rec;
	struct rta_error err;
	struct ev e;
	size_t i;

	new_store(&s);
	w = writer(&s, "agg", DAY, NULL);
	for (i = 0; i < sizeof(agg) / sizeof(agg[0]); i++)
		ck_assert_int_eq(add(w, RTA_REC_AGGREGATE, &agg[i], &err),
		    RTA_OK);
	/* the same again: every version is kept, none absorbed */
	ck_assert_int_eq(add(w, RTA_REC_AGGREGATE, &agg[0], &err), RTA_OK);
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[0], &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "wrong-kind");
	ck_assert_int_eq(commit(w)->kind, RTA_DS_AGGREGATES);
	assert_scan(&s, "agg", NULL, INT64_MIN, INT64_MAX,
	    "t r1 0 3 30\nt r2 60 1 11\nu r1 0 1 40\n");
	ck_assert_int_eq(rta_dataset_open(&s, "agg", &ds, &err), RTA_OK);
	ck_assert_int_eq(rta_scan_open(&ds, "t", 1, INT64_MIN, INT64_MAX,
	    &sc, &err), RTA_OK);
	while (rta_scan_next(sc, &rec, &err) == RTA_OK)
		ck_assert_int_eq(rec.kind, RTA_REC_AGGREGATE);
	ck_assert_uint_eq(rta_scan_superseded(sc), 3);
	rta_scan_close(sc);
	rta_dataset_close(&ds);
	/* a tie, in another run: the later one */
	rta_writer_close(w);
	w = writer(&s, "agg", DAY, NULL);
	e = agg[1];
	e.n = 31;
	ck_assert_int_eq(add(w, RTA_REC_AGGREGATE, &e, &err), RTA_OK);
	commit(w);
	assert_scan(&s, "agg", "t", INT64_MIN, INT64_MAX,
	    "t r1 0 3 31\nt r2 60 1 11\n");
	e.n = 32;
	ck_assert_int_eq(add(w, RTA_REC_AGGREGATE, &e, &err), RTA_OK);
	commit(w);
	assert_scan(&s, "agg", "t", INT64_MIN, T0 + 1, "t r1 0 3 32\n");
	/* an older version after them changes nothing */
	ck_assert_int_eq(add(w, RTA_REC_AGGREGATE, &agg[3], &err), RTA_OK);
	commit(w);
	assert_scan(&s, "agg", "t", INT64_MIN, T0 + 1, "t r1 0 3 32\n");
	rta_writer_close(w);
	rta_store_close(&s);
}
END_TEST

/* What is not committed is not read, and is cut at the next open. */
START_TEST(writer_uncommitted)
{
	struct rta_recovery rec;
	struct rta_writer *w;
	struct rta_store s;
	struct rta_error err;
	struct ev e = { "t", "x", T0 + 2 * DAY, 0, 7 };
	size_t i;

	new_store(&s);
	w = writer(&s, "ev", DAY, NULL);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[i], &err),
		    RTA_OK);
	commit(w);
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[3], &err), RTA_OK);
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	assert_scan(&s, "ev", NULL, INT64_MIN, INT64_MAX,
	    "a e2 20 1 2\nb e1 10 1 1\nb e3 3605 1 3\n");
	rta_writer_close(w);
	assert_scan(&s, "ev", NULL, INT64_MIN, INT64_MAX,
	    "a e2 20 1 2\nb e1 10 1 1\nb e3 3605 1 3\n");
	/* the new bucket's log, named by no commit, goes */
	w = writer(&s, "ev", DAY, &rec);
	ck_assert_uint_eq(rec.logs_removed, 1);
	ck_assert_uint_eq(rec.commit_bytes, 0);
	ck_assert_int_eq(access(unit_path("st/ev/20260103T0000.1.log"),
	    F_OK), -1);
	/* what was not committed was not kept as a key either */
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[3], &err), RTA_OK);
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[0], &err), 1);
	commit(w);
	rta_writer_close(w);
	rta_store_close(&s);
}
END_TEST

/* Write and commit events[] to dataset "ev" of s. */
static void
store_events(struct rta_store *s)
{
	struct rta_writer *w;
	struct rta_error err;
	size_t i;

	w = writer(s, "ev", HOUR, NULL);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[i], &err),
		    RTA_OK);
	commit(w);
	rta_writer_close(w);
}

/* A crash's leftovers: bytes after the last commit record and after a
 * log's committed length, a log no commit names, a temporary commit
 * file.  Counted, cut, and the reads unchanged. */
START_TEST(writer_recovery)
{
	static const char junk[] = "RTAC\x10\x00\x00\x00 torn tail of junk";
	struct rta_buf before = RTA_BUF_INIT, after = RTA_BUF_INIT;
	struct rta_writer_opts o;
	struct rta_recovery rec;
	struct rta_writer *w;
	struct rta_store s;
	struct rta_error err;
	off_t csize, lsize;

	new_store(&s);
	store_events(&s);
	csize = size_of(unit_path("st/ev/commits"));
	lsize = size_of(unit_path("st/ev/20260101T0100.1.log"));
	scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, &before);
	unit_append("st/ev/commits", junk, sizeof(junk) - 1);
	unit_append("st/ev/20260101T0100.1.log", "0123456789", 10);
	unit_write_str("st/ev/20260101T0500.1.log", "abcde");
	unit_write_str("st/ev/commits.tmp", "partial");
	scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, &after);
	ck_assert_str_eq((const char *)after.data, (const char *)before.data);
	w = writer(&s, "ev", HOUR, &rec);
	ck_assert_uint_eq(rec.commit_bytes, sizeof(junk) - 1);
	ck_assert_uint_eq(rec.log_bytes, 10 + 5);
	ck_assert_uint_eq(rec.logs_removed, 1);
	ck_assert_uint_eq(rec.keys, 6);
	ck_assert_int_eq(size_of(unit_path("st/ev/commits")), csize);
	ck_assert_int_eq(size_of(unit_path("st/ev/20260101T0100.1.log")),
	    lsize);
	ck_assert_int_eq(access(unit_path("st/ev/20260101T0500.1.log"),
	    F_OK), -1);
	ck_assert_int_eq(access(unit_path("st/ev/commits.tmp"), F_OK), -1);
	rta_writer_close(w);
	scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, &after);
	ck_assert_str_eq((const char *)after.data, all_events);
	/* a committed log cut short is damage, not something to repair */
	ck_assert_int_eq(truncate(unit_path("st/ev/20260101T0100.1.log"),
	    lsize - 1), 0);
	rta_writer_opts_init(&o);
	ck_assert_int_eq(rta_writer_open(&s, "ev", &o, &w, &rec, &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.reason, "damaged");
	ck_assert_ptr_null(w);
	ck_assert_int_eq(size_of(unit_path("st/ev/20260101T0100.1.log")),
	    lsize - 1);
	rta_buf_release(&before);
	rta_buf_release(&after);
	rta_store_close(&s);
}
END_TEST

/* The error of a scan that stops: its code, and its text into text. */
static int
scan_fails(struct rta_store *s, const char *name, const char *tenant,
    int64_t from, int64_t to, char *text, size_t size)
{
	struct rta_dataset ds;
	struct rta_record rec;
	struct rta_scan *sc;
	struct rta_error err;
	int rc;

	ck_assert_int_eq(rta_dataset_open(s, name, &ds, &err), RTA_OK);
	ck_assert_int_eq(rta_scan_open(&ds, tenant, tenant != NULL ?
	    strlen(tenant) : 0, from, to, &sc, &err), RTA_OK);
	while ((rc = rta_scan_next(sc, &rec, &err)) == RTA_OK)
		;
	snprintf(text, size, "%s", rc == RTA_EOF ? "" : err.text);
	rta_scan_close(sc);
	rta_dataset_close(&ds);
	return rc;
}

/* A byte of a committed record's body changed: a scan of every tenant
 * (which checks checksums as it collects) and a scan of that record's
 * tenant (as it decodes) refuse it and say where; scans that do not
 * reach it read on. */
START_TEST(scan_damaged_body)
{
	struct rta_store s;
	char text[512], path[64];
	unsigned char c;
	off_t lsize;
	FILE *f;

	new_store(&s);
	store_events(&s);
	/* the hour-1 log holds b e3, then a e5: change e5's last byte */
	snprintf(path, sizeof(path), "%s", unit_path(
	    "st/ev/20260101T0100.1.log"));
	lsize = size_of(path);
	ck_assert_ptr_nonnull(f = fopen(path, "r+b"));
	ck_assert_int_eq(fseeko(f, lsize - 1, SEEK_SET), 0);
	c = (unsigned char)fgetc(f);
	ck_assert_int_eq(fseeko(f, lsize - 1, SEEK_SET), 0);
	ck_assert_int_ne(fputc(c ^ 0x01, f), EOF);
	ck_assert_int_eq(fclose(f), 0);

	ck_assert_int_eq(scan_fails(&s, "ev", NULL, INT64_MIN, INT64_MAX,
	    text, sizeof(text)), RTA_EDATA);
	ck_assert_msg(strstr(text, "20260101T0100.1.log: offset ") != NULL &&
	    strstr(text, "damaged frame") != NULL, "%s", text);
	ck_assert_int_eq(scan_fails(&s, "ev", "a", T0 + HOUR, T0 + 2 * HOUR,
	    text, sizeof(text)), RTA_EDATA);
	ck_assert_msg(strstr(text, "20260101T0100.1.log: offset ") != NULL,
	    "%s", text);
	assert_scan(&s, "ev", "b", INT64_MIN, INT64_MAX,
	    "b e0 10 1 6\nb e1 10 1 1\nb e3 3605 1 3\n");
	assert_scan(&s, "ev", NULL, INT64_MIN, T0 + HOUR,
	    "a e4 5 1 4\na e2 20 1 2\nb e0 10 1 6\nb e1 10 1 1\n");
	rta_store_close(&s);
}
END_TEST

START_TEST(writer_bucket_limit)
{
	struct rta_writer_opts o;
	struct rta_recovery rec;
	struct rta_writer *w;
	struct rta_store s;
	struct rta_error err;
	struct ev e = { "t", "", 0, 0, 0 };
	char id[16];
	int i;

	new_store(&s);
	rta_writer_opts_init(&o);
	ck_assert_uint_eq(o.max_new_buckets, 1000);
	o.width = HOUR;
	o.max_new_buckets = 2;
	ck_assert_int_eq(rta_writer_open(&s, "ev", &o, &w, &rec, &err),
	    RTA_OK);
	e.id = id;
	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "h%d", i);
		e.ts = T0 + i * HOUR;
		ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err),
		    i < 2 ? RTA_OK : RTA_EDATA);
	}
	ck_assert_str_eq(err.reason, "bucket-limit");
	/* the buckets it has still take records */
	snprintf(id, sizeof(id), "again");
	e.ts = T0 + 30 * 1000000;
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	ck_assert_uint_eq(commit(w)->nlogs, 2);
	rta_writer_close(w);
	/* the next run counts afresh */
	ck_assert_int_eq(rta_writer_open(&s, "ev", &o, &w, &rec, &err),
	    RTA_OK);
	snprintf(id, sizeof(id), "h2");
	e.ts = T0 + 2 * HOUR;
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	ck_assert_uint_eq(commit(w)->nlogs, 3);
	rta_writer_close(w);
	rta_store_close(&s);
}
END_TEST

START_TEST(writer_lock)
{
	struct rta_writer_opts o;
	struct rta_recovery rec;
	struct rta_writer *w, *w2;
	struct rta_store s;
	struct rta_error err;

	new_store(&s);
	rta_writer_opts_init(&o);
	w = writer(&s, "ev", DAY, NULL);
	ck_assert_int_eq(rta_writer_open(&s, "ev", &o, &w2, &rec, &err),
	    RTA_EIO);
	ck_assert_str_eq(err.reason, "store-busy");
	ck_assert_ptr_null(w2);
	/* another dataset is free */
	rta_writer_close(writer(&s, "other", DAY, NULL));
	rta_writer_close(w);
	w2 = writer(&s, "ev", DAY, NULL);
	rta_writer_close(w2);
	rta_writer_close(NULL);
	rta_store_close(&s);
}
END_TEST

START_TEST(writer_sources)
{
	struct rta_dataset ds;
	struct rta_writer *w;
	struct rta_store s;
	struct rta_error err;
	struct rta_sources *src;
	size_t i;

	new_store(&s);
	w = writer(&s, "ev", DAY, NULL);
	src = rta_writer_sources(w);
	i = rta_sources_get(src, RTA_SRC_KAFKA, 2, "topic", 5);
	ck_assert_uint_ne(i, RTA_SOURCE_NONE);
	rta_sources_done(src, i, 41);
	rta_writer_watermark(w, T0 + 5);
	rta_writer_watermark(w, T0 + 3);	/* only forward */
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[0], &err), RTA_OK);
	commit(w);
	rta_writer_close(w);
	ck_assert_int_eq(rta_dataset_open(&s, "ev", &ds, &err), RTA_OK);
	ck_assert_int_eq(ds.c.watermark, T0 + 5);
	ck_assert_uint_eq(ds.c.src.n, 1);
	ck_assert_int_eq(ds.c.src.v[0].partition, 2);
	ck_assert_uint_eq(ds.c.src.v[0].done, 41);
	rta_dataset_close(&ds);
	rta_store_close(&s);
}
END_TEST

/*
 * RTA_FAULT=io:N for N = 1, 2, ... until a run meets no fault: a child
 * makes a store, writes two commits of three events, and says how many
 * commits succeeded (exit 10 + k after a failure: 0 when it met none).
 * After a failure every later add and commit must fail.  Then, with no
 * fault, what the store holds is read: every commit that succeeded is
 * there (one that failed may be there too: its record was written),
 * never a part of one.  RTA_FAULT is read at the first call, so the
 * parent makes none before forking.
 */
static int
fault_child(unsigned long n, const char *dir)
{
	struct rta_writer_opts o;
	struct rta_recovery rec;
	struct rta_writer *w = NULL;
	struct rta_store s;
	struct rta_error err;
	char spec[32];
	int k = 0, i, rc;

	/* RTA_FAULT is read at the first call: none may have been made */
	if (rta_io_calls() != 0)
		return 12;
	snprintf(spec, sizeof(spec), "io:%lu", n);
	setenv("RTA_FAULT", spec, 1);
	if (rta_store_init(dir, &err) != RTA_OK)
		return 10;
	if (rta_store_open(&s, dir, &err) != RTA_OK)
		return 2;
	rta_writer_opts_init(&o);
	o.width = HOUR;
	if (rta_writer_open(&s, "ev", &o, &w, &rec, &err) != RTA_OK)
		return err.code == RTA_EIO ? 10 : 3;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 3; i++)
			if ((rc = add(w, RTA_REC_EVENT, &events[3 * k + i],
			    &err)) != RTA_OK)
				goto failed;
		if ((rc = rta_writer_commit(w, NULL, &err)) != RTA_OK)
			goto failed;
	}
	rta_writer_close(w);
	rta_store_close(&s);
	return 0;
failed:
	if (rc != RTA_EIO)
		return 4;
	/* unusable from now on */
	if (add(w, RTA_REC_EVENT, &events[0], &err) != RTA_EIO ||
	    rta_writer_commit(w, NULL, &err) != RTA_EIO)
		return 5;
	rta_writer_close(w);
	rta_store_close(&s);
	return 10 + k;
}

START_TEST(writer_io_faults)
{
	static const char first[] =
	    "a e2 20 1 2\nb e1 10 1 1\nb e3 3605 1 3\n";
	char dir[UNIT_PATH_MAX], name[32];
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_dataset ds;
	struct rta_store s;
	struct rta_error err;
	unsigned long n;
	int status, code = 1, ok, rc;
	pid_t pid;

	for (n = 1; code != 0; n++) {
		ck_assert_msg(n < 200, "no end to the I/O calls");
		snprintf(name, sizeof(name), "st%lu", n);
		snprintf(dir, sizeof(dir), "%s", unit_path(name));
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(fault_child(n, dir));
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFEXITED(status), "io:%lu: died (signal %d)",
		    n, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		code = WEXITSTATUS(status);
		ck_assert_msg(code != 12, "RTA_FAULT is not in effect: it is "
		    "read once per process, so run this test forked");
		ck_assert_msg(code == 0 || code == 10 || code == 11,
		    "io:%lu: exit %d", n, code);
		if (rta_store_open(&s, dir, &err) != RTA_OK) {
			ck_assert_int_eq(code, 10);	/* init failed */
			continue;
		}
		rc = rta_dataset_open(&s, "ev", &ds, &err);
		if (rc == RTA_EOF) {
			ck_assert_int_eq(code, 10);	/* no dataset yet */
			rta_store_close(&s);
			continue;
		}
		ck_assert_msg(rc == RTA_OK, "io:%lu: %s", n, err.text);
		rta_dataset_close(&ds);
		scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, &b);
		if (strcmp((const char *)b.data, "") == 0)
			ok = code == 10;
		else if (strcmp((const char *)b.data, first) == 0)
			ok = code == 10 || code == 11;
		else
			ok = strcmp((const char *)b.data, all_events) == 0 &&
			    (code == 0 || code == 11);
		ck_assert_msg(ok, "io:%lu: exit %d, holds:\n%s", n, code,
		    (const char *)b.data);
		rta_store_close(&s);
	}
	ck_assert_uint_gt(n, 10);
	rta_buf_release(&b);
}
END_TEST

/* ---- the scan's sort ---------------------------------------------------- */

static uint64_t
sort_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

#define SORT_SLOT	64

/* Which entry's frame, of those made at fr. */
static size_t
sort_at(const struct scan_ent *e, const unsigned char *fr)
{
	return (size_t)(e->frame - fr) / SORT_SLOT;
}

/*
 * rta_scan_sort against qsort with rta_scan_ent_cmp, on entries whose
 * tenants and ids share 8-byte prefixes and differ in length, several
 * versions of one record, in four orders: random, a log's (time order
 * with each instant's records shuffled), reversed (past the insertion
 * budget) and one tenant only; on one thread and on two.
 */
/* The prefix key: the first 8 bytes, big-endian, zero-padded, at every
 * length (its short and its word paths). */
/* Compact dataset name of s, every bucket (no writer open). */
static void
compact_all(struct rta_store *s, const char *name)
{
	struct rta_maint m;
	struct rta_error err;

	memset(&m, 0, sizeof(m));
	ck_assert_msg(rta_dataset_compact(s, name, 3, NULL, NULL, &m, &err) ==
	    RTA_OK, "compact: %s", err.text);
	ck_assert_uint_eq(m.open_skipped, 0);
}

/* Commit what w holds, closing its buckets for compaction. */
static void
commit_closed(struct rta_writer *w)
{
	rta_writer_watermark(w, T0 + 30 * DAY);
	rta_writer_ending(w);
	commit(w);
	rta_writer_close(w);
}

/* Lines of /proc/self/maps naming a file of the store that is gone. */
static int
deleted_maps(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "/st/") != NULL &&
		    strstr(line, "(deleted)") != NULL)
			n++;
	fclose(f);
	return n;
}

/*
 * A reader that answers query after query: rta_dataset_refresh reads
 * the dataset again only when it changed, and follows compaction, a new
 * directory in its place and its removal; the segments kept mapped
 * (fewer slots than buckets) give what a fresh open gives, and none is
 * kept once its file is gone.
 */
START_TEST(dataset_refresh_keep)
{
	static const struct ev later = { "a", "e7", T0 + 2 * HOUR, 0, 7 };
	struct rta_store s;
	struct rta_dataset ds;
	struct rta_writer *w;
	struct rta_error err;
	struct rta_buf got = RTA_BUF_INIT, want = RTA_BUF_INIT;
	struct ev e;
	size_t i;
	int changed, round;

	new_store(&s);
	w = writer(&s, "ev", HOUR, NULL);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[i], &err),
		    RTA_OK);
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &later, &err), RTA_OK);
	commit_closed(w);
	compact_all(&s, "ev");
	scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, &want);
	ck_assert_str_eq((const char *)want.data + strlen(all_events),
	    "a e7 7200 1 7\n");

	/* three buckets through two slots */
	ck_assert_int_eq(rta_dataset_open(&s, "ev", &ds, &err), RTA_OK);
	ck_assert_int_eq(rta_dataset_keep(&ds, 2), 0);
	for (round = 0; round < 3; round++) {
		scan_ds(&ds, NULL, INT64_MIN, INT64_MAX, &got);
		ck_assert_str_eq((const char *)got.data,
		    (const char *)want.data);
		scan_ds(&ds, "b", T0 + HOUR, INT64_MAX, &got);
		ck_assert_str_eq((const char *)got.data, "b e3 3605 1 3\n");
		ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err),
		    RTA_OK);
		ck_assert_int_eq(changed, 0);
	}
	/* kept now: the second and third buckets' segments */

	/* a commit: read again, the log's record with the segment's */
	w = writer(&s, "ev", HOUR, NULL);
	e = events[2];
	e.id = "e9";
	e.n = 9;
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	commit_closed(w);
	ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err), RTA_OK);
	ck_assert_int_eq(changed, 1);
	scan_ds(&ds, "b", T0 + HOUR, T0 + 2 * HOUR, &got);
	ck_assert_str_eq((const char *)got.data,
	    "b e3 3605 1 3\nb e9 3605 1 9\n");

	/* compacted again: the second bucket's new segment; the old one's
	 * file is removed, and its mapping is not kept */
	compact_all(&s, "ev");
	ck_assert_int_eq(deleted_maps(), 1);
	ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err), RTA_OK);
	ck_assert_int_eq(changed, 1);
	ck_assert_int_eq(deleted_maps(), 0);
	scan(&s, "ev", NULL, INT64_MIN, INT64_MAX, &want);
	ck_assert_ptr_nonnull(strstr((const char *)want.data, "b e9 3605"));
	scan_ds(&ds, NULL, INT64_MIN, INT64_MAX, &got);
	ck_assert_str_eq((const char *)got.data, (const char *)want.data);
	ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err), RTA_OK);
	ck_assert_int_eq(changed, 0);

	/* another directory in its place, with other records under the
	 * same file name as the first bucket's segment, kept here */
	scan_ds(&ds, "b", T0, T0 + HOUR, &got);
	ck_assert_str_eq((const char *)got.data,
	    "b e0 10 1 6\nb e1 10 1 1\n");
	ck_assert_int_eq(rename(unit_path("st/ev"), unit_path("st/old")), 0);
	w = writer(&s, "ev", HOUR, NULL);
	e = events[0];
	e.n = 42;
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &e, &err), RTA_OK);
	commit_closed(w);
	compact_all(&s, "ev");
	ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err), RTA_OK);
	ck_assert_int_eq(changed, 1);
	/* nothing of the old directory is kept */
	ck_assert_int_eq(unlink(unit_path("st/old/20260101T0000.1.seg")), 0);
	ck_assert_int_eq(deleted_maps(), 0);
	scan_ds(&ds, NULL, INT64_MIN, INT64_MAX, &got);
	ck_assert_str_eq((const char *)got.data, "b e1 10 1 42\n");

	/* the kept segment's file replaced under the same name, the
	 * dataset's two files unchanged: the new file is read */
	w = writer(&s, "ev2", HOUR, NULL);
	ck_assert_int_eq(add(w, RTA_REC_EVENT, &events[3], &err), RTA_OK);
	commit_closed(w);
	compact_all(&s, "ev2");
	ck_assert_int_eq(rename(unit_path("st/ev2/20260101T0000.1.seg"),
	    unit_path("st/ev/20260101T0000.1.seg")), 0);
	ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err), RTA_OK);
	ck_assert_int_eq(changed, 0);
	scan_ds(&ds, NULL, INT64_MIN, INT64_MAX, &got);
	ck_assert_str_eq((const char *)got.data, "a e4 5 1 4\n");
	ck_assert_int_eq(deleted_maps(), 0);

	/* removed: the dataset is gone, and ds closed */
	ck_assert_int_eq(rename(unit_path("st/ev"), unit_path("st/gone")), 0);
	ck_assert_int_eq(rta_dataset_refresh(&ds, &changed, &err), RTA_EOF);
	ck_assert_int_eq(ds.fd, -1);
	ck_assert_ptr_null(ds.kept);
	ck_assert_int_eq(deleted_maps(), 0);
	rta_buf_release(&got);
	rta_buf_release(&want);
	rta_store_close(&s);
}
END_TEST

START_TEST(scan_prefix_key)
{
	const char *s = "\x01\x80tenant-with-a-long-name\xff";
	size_t len, i;
	uint64_t want;

	for (len = 0; len <= strlen(s); len++) {
		want = 0;
		for (i = 0; i < 8; i++)
			want = want << 8 | (i < len ? (unsigned char)s[i] : 0);
		ck_assert_msg(rta_scan_prefix_key(s, len) == want,
		    "length %zu", len);
	}
}
END_TEST

START_TEST(scan_sort_orders)
{
	static const char *tenants[] = { "a", "ab", "abcdefgh",
	    "abcdefghi", "abcdefghij", "abcdefgz", "b", "tenant-0001",
	    "tenant-0002", "z" };
	static const char *ids[] = { "1", "12", "12345678", "123456789",
	    "12345679", "x", "xyzxyzxyzxyz" };
	struct scan_ent *v, *w, *out;
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	size_t n = 40000, i, j;
	unsigned char *fr, *f;
	unsigned threads;
	int order;

	v = malloc(n * sizeof(*v));
	w = malloc(n * sizeof(*w));
	fr = calloc(n, SORT_SLOT);	/* each entry's frame, of ids only */
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(fr);
	for (order = 0; order < 8; order++) {
		threads = order < 4 ? 1 : 2;
		for (i = 0; i < n; i++) {
			const char *t = order % 4 == 3 ? "one" :
			    tenants[sort_rand(&x) % 10];
			const char *id = ids[sort_rand(&x) % 7];

			memset(&v[i], 0, sizeof(v[i]));
			v[i].tlen = (uint8_t)strlen(t);
			v[i].idlen = (uint8_t)strlen(id);
			v[i].frame = f = fr + i * SORT_SLOT;
			memcpy(f + RTA_FRAME_HEADER_LEN + RTA_EVENT_FIXED_LEN, id,
			    v[i].idlen);
			memcpy(f + RTA_FRAME_HEADER_LEN + RTA_EVENT_FIXED_LEN +
			    v[i].idlen, t, v[i].tlen);
			v[i].tkey = rta_scan_prefix_key(t, v[i].tlen);
			v[i].ikey = rta_scan_prefix_key(id, v[i].idlen);
			v[i].ts = order % 4 == 0 ?
			    (int64_t)(sort_rand(&x) % 50) : order % 4 == 2 ?
			    (int64_t)(n - i) : (int64_t)(i / 7);
			v[i].version = (uint32_t)(sort_rand(&x) % 3);
			v[i].map = (uint32_t)(sort_rand(&x) % 2);
			v[i].size = 100;
		}
		if (order % 4 == 1 || order % 4 == 3)
			/* shuffle each instant's records */
			for (i = 0; i + 7 <= n; i += 7)
				for (j = 6; j > 0; j--) {
					size_t k = sort_rand(&x) % (j + 1);
					struct scan_ent t = v[i + j];

					v[i + j] = v[i + k];
					v[i + k] = t;
				}
		memcpy(w, v, n * sizeof(*v));
		qsort(w, n, sizeof(*w), rta_scan_ent_cmp);
		ck_assert_int_eq(rta_scan_sort(v, n, NULL, 0, threads, &out),
		    0);
		ck_assert_ptr_nonnull(out);
		for (i = 0; i < n; i++)
			ck_assert_msg(out[i].frame == w[i].frame, "order %d, %u "
			    "threads: entry %zu: the frame of %llu, not %llu", order,
			    threads, i,
			    (unsigned long long)sort_at(&out[i], fr),
			    (unsigned long long)sort_at(&w[i], fr));
		rta_free(out);
		/* the same entries as the two halves of a divided walk */
		ck_assert_int_eq(rta_scan_sort(v, n * 2 / 5, v + n * 2 / 5,
		    n - n * 2 / 5, threads, &out), 0);
		ck_assert_ptr_nonnull(out);
		for (i = 0; i < n; i++)
			ck_assert_msg(out[i].frame == w[i].frame, "order %d, %u "
			    "threads, two arrays: entry %zu: the frame of %llu, not "
			    "%llu", order, threads, i,
			    (unsigned long long)sort_at(&out[i], fr),
			    (unsigned long long)sort_at(&w[i], fr));
		rta_free(out);
	}
	/* few entries: sorted in place */
	memcpy(w, v, 100 * sizeof(*v));
	qsort(w, 100, sizeof(*w), rta_scan_ent_cmp);
	ck_assert_int_eq(rta_scan_sort(v, 100, NULL, 0, 2, &out), 0);
	ck_assert_ptr_null(out);
	for (i = 0; i < 100; i++)
		ck_assert_ptr_eq(v[i].frame, w[i].frame);
	/* few, in two arrays: joined */
	ck_assert_int_eq(rta_scan_sort(v + 50, 50, v, 50, 2, &out), 0);
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < 100; i++)
		ck_assert_ptr_eq(out[i].frame, w[i].frame);
	rta_free(out);
	free(v);
	free(w);
	free(fr);
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *
store_suite(void)
{
	Suite *s = suite_create("rta_store");
	TCase *tc;

	tc = tcase_create("commits");
	tcase_add_test(tc, commit_layout);
	tcase_add_test(tc, commit_round_trip);
	tcase_add_test(tc, commit_last_truncated);
	tcase_add_test(tc, commit_last_garbled);
	tcase_add_test(tc, commit_last_extended);
	tcase_add_test(tc, commit_last_bad_fields);
	tcase_add_test(tc, commit_too_large);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("sort");
	tcase_add_test(tc, scan_sort_orders);
	suite_add_tcase(s, tc);
	tc = tcase_create("names");
	tcase_add_test(tc, log_names);
	tcase_add_test(tc, dataset_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("store");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, store_init_open);
	tcase_add_test(tc, writer_events);
	tcase_add_test(tc, writer_aggregates);
	tcase_add_test(tc, writer_uncommitted);
	tcase_add_test(tc, writer_recovery);
	tcase_add_test(tc, scan_damaged_body);
	tcase_add_test(tc, writer_bucket_limit);
	tcase_add_test(tc, writer_lock);
	tcase_add_test(tc, writer_sources);
	tcase_add_test(tc, writer_io_faults);
	tcase_add_test(tc, commit_last_reader);
	tcase_add_test(tc, dataset_refresh_keep);
	tcase_add_test(tc, scan_prefix_key);
	tcase_set_timeout(tc, 120);	/* fsync on a loaded machine */
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
