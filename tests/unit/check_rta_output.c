/*
 * check_rta_output.c: buffered record output in both encodings, plain
 * and zstd, its flush rules and its write errors, and plain JSON values
 * (NDJSON only: a frame has no form for them).  What is written is read
 * back with the codecs, the reader and libzstd.
 */
#define _GNU_SOURCE		/* F_GETPIPE_SZ */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "rta_event.h"
#include "rta_frame.h"
#include "rta_json.h"
#include "rta_output.h"
#include "rta_reader.h"
#include "rta_value.h"
#include "unit.h"

static char file[UNIT_PATH_MAX];
static struct rta_output fo;
static int fo_fd = -1;
static struct rta_ndjson_parser np;

static void
setup(void)
{
	unit_tmp_setup();
	snprintf(file, sizeof(file), "%s", unit_path("out"));
	fo_fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fo_fd, 0);
	rta_ndjson_parser_init(&np);
}

static void
teardown(void)
{
	rta_output_release(&fo);
	/* released: nothing left to free */
	ck_assert_ptr_null(fo.buf.data);
	ck_assert_ptr_null(fo.zbuf.data);
	ck_assert_ptr_null(fo.zc);
	ck_assert_uint_eq(fo.buf.len, 0);
	if (fo_fd >= 0)
		close(fo_fd);
	fo_fd = -1;
	rta_ndjson_parser_release(&np);
	unit_tmp_teardown();
}

/* Event n as an NDJSON line (without the newline). */
static size_t
line_of(char *s, size_t cap, int n, int pad)
{
	int k = snprintf(s, cap, "{\"event_id\":\"e%d\",\"timestamp\":"
	    "\"2026-01-01T00:00:00.%06dZ\",\"event_type\":\"t\",\"tenant_id\":"
	    "\"acme\",\"schema_version\":1,\"payload\":{\"n\":%d,"
	    "\"pad\":\"%*s\"}}",
	    n, n % 1000000, n, pad, "");

	ck_assert(k > 0 && (size_t)k < cap);
	return (size_t)k;
}

static void
record_of(struct rta_record *rec, const char *s, size_t len)
{
	struct rta_error err;

	memset(rec, 0, sizeof(*rec));
	ck_assert_msg(rta_ndjson_parse(&np, s, len, rec, &err) == RTA_OK,
	    "%s", err.text);
}

static void
put(struct rta_output *o, int n, int pad, struct rta_buf *expect)
{
	struct rta_record rec;
	struct rta_error err;
	char s[4096];
	size_t len = line_of(s, sizeof(s), n, pad);

	record_of(&rec, s, len);
	ck_assert_int_eq(rta_output_record(o, &rec, &err), RTA_OK);
	if (expect != NULL) {
		ck_assert_int_eq(rta_buf_add(expect, s, len), 0);
		ck_assert_int_eq(rta_buf_addc(expect, '\n'), 0);
	}
}

static off_t
file_size(void)
{
	struct stat st;

	ck_assert_int_eq(stat(file, &st), 0);
	return st.st_size;
}

/* Read file back with the reader: the summary of what it holds. */
static void
read_back(const char *name, char *sum, size_t cap)
{
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	size_t sl = 0;
	int rc;

	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rta_reader_open(r, name, &err), RTA_OK);
	sum[0] = '\0';
	while ((rc = rta_reader_next(r, &rec, &err)) != RTA_EOF) {
		const char *w = "?";
		char id[64];

		ck_assert_msg(rc == RTA_OK, "read back: %s", err.text);
		if (rec.kind == RTA_REC_EVENT) {
			snprintf(id, sizeof(id), "%.*s", (int)rec.ev.id_len,
			    rec.ev.id);
			w = id;
		} else if (rec.kind == RTA_REC_END)
			w = "end";
		else if (rec.kind == RTA_REC_WATERMARK)
			w = "wm";
		else if (rec.kind == RTA_REC_POSITION)
			w = "pos";
		snprintf(sum + sl, cap - sl, "%s%s", sl ? " " : "", w);
		sl = strlen(sum);
	}
	rta_reader_free(r);
}

/* ---- NDJSON and rta ---------------------------------------------------- */

START_TEST(ndjson_out)
{
	struct rta_buf want = RTA_BUF_INIT, got = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	int i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	ck_assert_int_eq(fo.format, RTA_FMT_NDJSON);
	for (i = 0; i < 3; i++)
		put(&fo, i, 3, &want);
	/* control records have an NDJSON form too */
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_WATERMARK;
	rec.watermark = 1767225600000000LL;
	ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_OK);
	rta_buf_adds(&want, "{\"$rta\":\"watermark\",\"watermark\":"
	    "\"2026-01-01T00:00:00.000000Z\"}\n");
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_POSITION;
	rec.pos.topic = "events";
	rec.pos.topic_len = 6;
	rec.pos.partition = 2;
	rec.pos.offset = 99;
	ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_OK);
	rta_buf_adds(&want, "{\"$rta\":\"position\",\"topic\":\"events\","
	    "\"partition\":2,\"offset\":99}\n");
	ck_assert_int_eq(rta_output_bytes(&fo, "raw bytes\n", 10, &err),
	    RTA_OK);
	rta_buf_adds(&want, "raw bytes\n");
	ck_assert_uint_eq(fo.records, 5);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	ck_assert_uint_eq(fo.bytes, want.len);
	unit_read(file, &got);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_int_eq(memcmp(got.data, want.data, want.len), 0);
	rta_buf_release(&want);
	rta_buf_release(&got);
}
END_TEST

/* Any other format asked for means NDJSON. */
START_TEST(format_fallback)
{
	rta_output_init(&fo, fo_fd, "out", RTA_FMT_CSV);
	ck_assert_int_eq(fo.format, RTA_FMT_NDJSON);
	rta_output_release(&fo);
	rta_output_init(&fo, fo_fd, "out", RTA_FMT_AUTO);
	ck_assert_int_eq(fo.format, RTA_FMT_NDJSON);
}
END_TEST

START_TEST(rta_out)
{
	struct rta_buf got = RTA_BUF_INIT;
	struct rta_error err;
	char sum[256];
	int i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	for (i = 0; i < 3; i++)
		put(&fo, i, 0, NULL);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	unit_read(file, &got);
	ck_assert_int_eq(memcmp(got.data, RTA_FRAME_MAGIC, 8), 0);
	/* it ends with an end frame: a 12-byte header, type 'Z', no body */
	ck_assert_uint_gt(got.len, 24);
	ck_assert_uint_eq(rta_get_u32(got.data + got.len - 12), 0);
	ck_assert_int_eq(got.data[got.len - 8], 'Z');
	ck_assert_uint_eq(fo.bytes, got.len);
	read_back(file, sum, sizeof(sum));
	ck_assert_str_eq(sum, "e0 e1 e2 end");
	rta_buf_release(&got);
}
END_TEST

/* A binary stream with no records still has its header and end. */
START_TEST(rta_empty)
{
	struct rta_buf got = RTA_BUF_INIT;
	struct rta_error err;
	char sum[64];

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	unit_read(file, &got);
	ck_assert_uint_eq(got.len, RTA_STREAM_HEADER_LEN +
	    RTA_FRAME_HEADER_LEN);
	ck_assert_int_eq(memcmp(got.data, RTA_FRAME_MAGIC, 8), 0);
	read_back(file, sum, sizeof(sum));
	ck_assert_str_eq(sum, "end");
	rta_buf_release(&got);
	/* an empty NDJSON stream is no bytes at all */
	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	ck_assert_int_eq(file_size(), RTA_STREAM_HEADER_LEN +
	    RTA_FRAME_HEADER_LEN);
}
END_TEST

/* ---- plain JSON values ------------------------------------------------- */

/* A value record holding the JSON text s, encoded into b. */
static void
value_of(struct rta_record *rec, struct rta_buf *b, const char *s)
{
	struct rta_json j;
	struct rta_error err;

	rta_json_init(&j);
	rta_buf_reset(b);
	ck_assert_msg(rta_json_document(&j, s, strlen(s), b, &err) == RTA_OK,
	    "%s: %s", s, err.text);
	rta_json_release(&j);
	memset(rec, 0, sizeof(*rec));
	rec->kind = RTA_REC_VALUE;
	rec->value = b->data;
	rec->value_len = b->len;
}

/* A frame cannot hold a value, nor a kind that does not exist. */
START_TEST(frame_refuses_value)
{
	struct rta_buf v = RTA_BUF_INIT, out = RTA_BUF_INIT;
	struct rta_record rec;
	static const int kinds[] = { 0, RTA_REC_AGGREGATE + 1, 8 };
	size_t i;

	value_of(&rec, &v, "{\"a\":[1,2]}");
	ck_assert_int_eq(rta_buf_adds(&out, "before"), 0);
	errno = 0;
	ck_assert_int_eq(rta_frame_put(&out, &rec), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* nothing appended */
	ck_assert_uint_eq(out.len, 6);
	ck_assert_int_eq(memcmp(out.data, "before", 6), 0);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = (enum rta_kind)kinds[i];
		errno = 0;
		ck_assert_int_eq(rta_frame_put(&out, &rec), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_uint_eq(out.len, 6);
	}
	rta_buf_release(&v);
	rta_buf_release(&out);
}
END_TEST

/*
 * rta output refuses a value with RTA_EINVAL "no-frame"; the stream is
 * not harmed: records before and after it read back, and nothing else.
 */
START_TEST(rta_out_refuses_value)
{
	struct rta_buf v = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	char sum[64];

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	put(&fo, 0, 0, NULL);
	value_of(&rec, &v, "[true,null]");
	rta_error_clear(&err);
	ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_EINVAL);
	ck_assert_int_eq(err.code, RTA_EINVAL);
	ck_assert_str_eq(err.reason, "no-frame");
	ck_assert_str_eq(err.text,
	    "a plain JSON value has no rta frame form (use -o ndjson)");
	ck_assert_uint_eq(fo.records, 1);
	ck_assert(!fo.failed);
	/* the next record goes out as usual */
	put(&fo, 1, 0, NULL);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	read_back(file, sum, sizeof(sum));
	ck_assert_str_eq(sum, "e0 e1 end");
	rta_buf_release(&v);
}
END_TEST

START_TEST(rta_out_refuses_first_value)
{
	struct rta_buf v = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	char sum[64];

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	value_of(&rec, &v, "1");
	ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "no-frame");
	ck_assert_uint_eq(fo.records, 0);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	read_back(file, sum, sizeof(sum));
	ck_assert_str_eq(sum, "end");
	rta_buf_release(&v);
}
END_TEST

/* A stale errno is not taken for the refusal. */
START_TEST(stale_errno_ignored)
{
	struct rta_error err;

	rta_output_init(&fo, fo_fd, "out", _i ? RTA_FMT_RTA : RTA_FMT_NDJSON);
	errno = EINVAL;
	put(&fo, 0, 0, NULL);
	errno = EINVAL;
	put(&fo, 1, 0, NULL);
	ck_assert_uint_eq(fo.records, 2);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
}
END_TEST

/* NDJSON output writes a value as one line of compact JSON. */
START_TEST(ndjson_out_value)
{
	static const char *const in[] = { " {\"a\" : [1, 2.50, \"x\\/y\"] } ",
	    "null", "\"caf\\u00e9\"", "[ ]", "-0" };
	static const char want[] = "{\"a\":[1,2.50,\"x/y\"]}\nnull\n"
	    "\"caf\xc3\xa9\"\n[]\n-0\n";
	struct rta_buf v = RTA_BUF_INIT, got = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	size_t i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		value_of(&rec, &v, in[i]);
		ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_OK);
	}
	ck_assert_uint_eq(fo.records, sizeof(in) / sizeof(in[0]));
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	unit_read(file, &got);
	ck_assert_str_eq((const char *)got.data, want);
	rta_buf_release(&v);
	rta_buf_release(&got);
}
END_TEST

/* ---- flushing ---------------------------------------------------------- */

START_TEST(flush_threshold)
{
	struct rta_error err;
	int i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	ck_assert_uint_eq(fo.flush_at, 256 * 1024);
	/* below the threshold, nothing reaches the file */
	for (i = 0; i < 100; i++)
		put(&fo, i, 100, NULL);
	ck_assert_int_eq(file_size(), 0);
	ck_assert_uint_eq(fo.bytes, 0);
	/* past it, everything buffered goes out in one go */
	while (fo.bytes == 0) {
		size_t before = fo.buf.len;

		put(&fo, i++, 1000, NULL);
		if (fo.bytes > 0)
			ck_assert_uint_ge(fo.bytes, 256 * 1024);
		else
			ck_assert_uint_gt(fo.buf.len, before);
		ck_assert_int_lt(i, 1000);
	}
	ck_assert_uint_eq(fo.buf.len, 0);
	ck_assert_int_eq(file_size(), (off_t)fo.bytes);
	/* an explicit flush writes the rest */
	put(&fo, i, 10, NULL);
	ck_assert_uint_gt(fo.buf.len, 0);
	ck_assert_int_eq(rta_output_flush(&fo, &err), RTA_OK);
	ck_assert_uint_eq(fo.buf.len, 0);
	ck_assert_int_eq(file_size(), (off_t)fo.bytes);
	/* flushing nothing is fine */
	ck_assert_int_eq(rta_output_flush(&fo, &err), RTA_OK);
}
END_TEST

START_TEST(flush_at_custom)
{
	struct rta_error err;
	off_t last = 0;
	int i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	fo.flush_at = 1000;
	for (i = 0; i < 50; i++) {
		put(&fo, i, 100, NULL);
		ck_assert_uint_lt(fo.buf.len, 1000);
		ck_assert_int_ge(file_size(), last);
		last = file_size();
	}
	ck_assert_int_gt(last, 0);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	ck_assert_int_eq(file_size(), (off_t)fo.bytes);
}
END_TEST

START_TEST(unbuffered)
{
	struct rta_buf want = RTA_BUF_INIT;
	struct rta_error err;
	int i;

	rta_output_init(&fo, fo_fd, "out", _i ? RTA_FMT_RTA : RTA_FMT_NDJSON);
	fo.unbuffered = 1;
	for (i = 0; i < 5; i++) {
		put(&fo, i, 5, &want);
		/* each record is out at once */
		ck_assert_uint_eq(fo.buf.len, 0);
		ck_assert_int_eq(file_size(), (off_t)fo.bytes);
		if (!_i)
			ck_assert_uint_eq(fo.bytes, want.len);
	}
	ck_assert_int_eq(rta_output_bytes(&fo, "x", 1, &err), RTA_OK);
	ck_assert_int_eq(file_size(), (off_t)fo.bytes);
	rta_buf_release(&want);
}
END_TEST

/* ---- frames written where they lie -------------------------------------- */

/*
 * A lender's frames are written from its bytes, in order with records
 * that are copied: the file is byte for byte what copying every record
 * gives, whether the kept frames run on or are broken up (more runs
 * than the output holds at once), and once settled the lent bytes may
 * change.
 */
static const unsigned char *lent_lo, *lent_hi;
static int lent_asked, written_calls;
static uint64_t handed;		/* records given to the output */

static int
lend_range(void *arg, const void *p, size_t n)
{
	const unsigned char *q = p;

	(void)arg;
	lent_asked++;
	return q >= lent_lo && q <= lent_hi && n <= (size_t)(lent_hi - q);
}

static void
count_written(void *arg)
{
	struct rta_output *o = arg;
	struct stat st;

	/* called when everything handed over so far has been written,
	 * the record being handed over included (rta-dedup journals its
	 * key from here) */
	ck_assert_int_eq(fstat(o->fd, &st), 0);
	ck_assert_int_eq(st.st_size, (off_t)o->bytes);
	ck_assert_uint_eq(o->records, handed);
	ck_assert_uint_eq(o->buf.len, 0);
	written_calls++;
}

START_TEST(lent_frames)
{
	struct rta_buf src = RTA_BUF_INIT, got = RTA_BUF_INIT;
	struct rta_buf want = RTA_BUF_INIT;
	struct rta_record rec, wm;
	struct rta_output plain;
	struct rta_error err;
	size_t off, n;
	char s[4096];
	int i, fd2, kept = 0;

	/* the source: 2,000 event frames, as a reader would hold them */
	for (i = 0; i < 2000; i++) {
		n = line_of(s, sizeof(s), i, i % 40);
		record_of(&rec, s, n);
		ck_assert_int_eq(rta_frame_put(&src, &rec), 0);
	}
	lent_lo = src.data;
	lent_hi = src.data + src.len;
	lent_asked = written_calls = 0;
	handed = 0;
	fd2 = open(unit_path("copied"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd2, 0);
	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	rta_output_lender(&fo, lend_range, NULL);
	fo.written = count_written;
	fo.written_arg = &fo;
	fo.flush_at = 16 * 1024;
	rta_output_init(&plain, fd2, "copied", RTA_FMT_RTA);
	memset(&wm, 0, sizeof(wm));
	wm.kind = RTA_REC_WATERMARK;
	for (off = 0, i = 0; off < src.len; off += rec.ev.frame_len, i++) {
		ck_assert_int_eq(rta_frame_decode(src.data + off,
		    RTA_FRAME_HEADER_LEN + rta_get_u32(src.data + off),
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &rec, &err),
		    RTA_OK);
		/* the first thousand run on but for one in seven; the rest
		 * are every other one: more runs than fit at once */
		if (i < 1000 ? i % 7 == 3 : i % 2 == 1)
			continue;
		handed++;
		ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_OK);
		ck_assert_int_eq(rta_output_record(&plain, &rec, &err),
		    RTA_OK);
		kept++;
		if (i % 97 == 5) {
			/* a record of the output's own, between lent ones */
			wm.watermark = 1000 + i;
			handed++;
			ck_assert_int_eq(rta_output_record(&fo, &wm, &err),
			    RTA_OK);
			ck_assert_int_eq(rta_output_record(&plain, &wm, &err),
			    RTA_OK);
		}
	}
	ck_assert_int_eq(kept, 1000 - 143 + 500);
	ck_assert_int_gt(lent_asked, 0);
	/* settled, the lent bytes are the output's no longer */
	ck_assert_int_eq(rta_output_settle(&fo, &err), RTA_OK);
	ck_assert_int_eq(file_size(), (off_t)fo.bytes);
	memset(src.data, 0xEE, src.len);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	ck_assert_int_eq(rta_output_close(&plain, &err), RTA_OK);
	close(fd2);
	ck_assert_int_gt(written_calls, 4);
	unit_read(file, &got);
	unit_read(unit_path("copied"), &want);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_int_eq(memcmp(got.data, want.data, got.len), 0);
	rta_buf_release(&src);
	rta_buf_release(&got);
	rta_buf_release(&want);
}
END_TEST

/* Compressed and unbuffered outputs copy: nothing is kept. */
START_TEST(lent_frames_copied)
{
	struct rta_buf src = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	char s[4096];
	size_t n;

	n = line_of(s, sizeof(s), 1, 3);
	record_of(&rec, s, n);
	ck_assert_int_eq(rta_frame_put(&src, &rec), 0);
	ck_assert_int_eq(rta_frame_decode(src.data, src.len,
	    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &rec, &err), RTA_OK);
	lent_lo = src.data;
	lent_hi = src.data + src.len;
	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	rta_output_lender(&fo, lend_range, NULL);
	if (_i == 0)
		ck_assert_int_eq(rta_output_compress(&fo, 3, &err), RTA_OK);
	else
		fo.unbuffered = 1;
	ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_OK);
	ck_assert_uint_eq(fo.nspan, 0);
	memset(src.data, 0xEE, src.len);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	if (_i == 1) {
		char sum[64];

		read_back(file, sum, sizeof(sum));
		ck_assert_str_eq(sum, "e1 end");
	}
	rta_buf_release(&src);
}
END_TEST

/* ---- zstd -------------------------------------------------------------- */

START_TEST(zstd_ndjson)
{
	struct rta_buf want = RTA_BUF_INIT, got = RTA_BUF_INIT;
	struct rta_buf dec = RTA_BUF_INIT;
	struct rta_error err;
	size_t n;
	int i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	ck_assert_int_eq(rta_output_compress(&fo, 3, &err), RTA_OK);
	for (i = 0; i < 2000; i++)
		put(&fo, i, i % 50, &want);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	unit_read(file, &got);
	ck_assert_uint_lt(got.len, want.len / 3);	/* it did compress */
	ck_assert_uint_eq(ZSTD_findFrameCompressedSize(got.data, got.len),
	    got.len);				/* one whole frame */
	ck_assert_int_eq(rta_buf_reserve(&dec, want.len + 1), 0);
	n = ZSTD_decompress(dec.data, dec.cap, got.data, got.len);
	ck_assert_msg(!ZSTD_isError(n), "%s", ZSTD_getErrorName(n));
	ck_assert_uint_eq(n, want.len);
	ck_assert_int_eq(memcmp(dec.data, want.data, n), 0);
	rta_buf_release(&want);
	rta_buf_release(&got);
	rta_buf_release(&dec);
}
END_TEST

START_TEST(zstd_rta_via_reader)
{
	struct rta_error err;
	char sum[256];
	int i;

	rta_output_init(&fo, fo_fd, "out", RTA_FMT_RTA);
	ck_assert_int_eq(rta_output_compress(&fo, 1, &err), RTA_OK);
	for (i = 0; i < 4; i++)
		put(&fo, i, 10, NULL);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	read_back(file, sum, sizeof(sum));
	ck_assert_str_eq(sum, "e0 e1 e2 e3 end");
}
END_TEST

/* After a flush, a reader can decode everything written so far. */
START_TEST(zstd_flush_decodable)
{
	struct rta_buf want = RTA_BUF_INIT, got = RTA_BUF_INIT;
	struct rta_buf dec = RTA_BUF_INIT;
	struct rta_error err;
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	int i, round;

	ck_assert_ptr_nonnull(ds);
	rta_output_init(&fo, fo_fd, "out", RTA_FMT_NDJSON);
	ck_assert_int_eq(rta_output_compress(&fo, 3, &err), RTA_OK);
	ck_assert_int_eq(rta_buf_reserve(&dec, 1 << 20), 0);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 10; i++)
			put(&fo, round * 10 + i, 20, &want);
		ck_assert_int_eq(rta_output_flush(&fo, &err), RTA_OK);
		unit_read(file, &got);
		ZSTD_initDStream(ds);
		in.src = got.data;
		in.size = got.len;
		in.pos = 0;
		out.dst = dec.data;
		out.size = dec.cap;
		out.pos = 0;
		while (in.pos < in.size) {
			size_t r = ZSTD_decompressStream(ds, &out, &in);

			ck_assert_msg(!ZSTD_isError(r), "%s",
			    ZSTD_getErrorName(r));
		}
		ck_assert_uint_eq(out.pos, want.len);
		ck_assert_int_eq(memcmp(dec.data, want.data, want.len), 0);
	}
	ZSTD_freeDStream(ds);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_OK);
	rta_buf_release(&want);
	rta_buf_release(&got);
	rta_buf_release(&dec);
}
END_TEST

/* ---- write errors ------------------------------------------------------ */

START_TEST(epipe)
{
	struct rta_error err;
	int fd[2], rc = RTA_OK, i;

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(fd), 0);
	close(fd[0]);
	rta_output_init(&fo, fd[1], "<stdout>", _i ? RTA_FMT_RTA :
	    RTA_FMT_NDJSON);
	for (i = 0; i < 10 && rc == RTA_OK; i++) {
		put(&fo, i, 10, NULL);
		rc = rta_output_flush(&fo, &err);
	}
	ck_assert_int_eq(rc, RTA_EIO);
	ck_assert_int_eq(i, 1);
	ck_assert(fo.failed);
	ck_assert_int_eq(fo.fail_errno, EPIPE);
	ck_assert_str_eq(err.reason, "io");
	ck_assert_ptr_nonnull(strstr(err.text, "Broken pipe"));
	/* sticky: the next record fails at once, and so does close */
	rta_error_clear(&err);
	{
		struct rta_record rec;
		char s[512];
		size_t len = line_of(s, sizeof(s), 99, 0);

		record_of(&rec, s, len);
		ck_assert_int_eq(rta_output_record(&fo, &rec, &err), RTA_EIO);
	}
	ck_assert_int_eq(rta_output_flush(&fo, &err), RTA_EIO);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_EIO);
	close(fd[1]);
}
END_TEST

/* The failure is sticky for bytes the caller encodes, too. */
START_TEST(bytes_after_failure)
{
	struct rta_error err;
	int fd[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(fd), 0);
	close(fd[0]);
	rta_output_init(&fo, fd[1], "<stdout>", RTA_FMT_NDJSON);
	ck_assert_int_eq(rta_output_bytes(&fo, "one\n", 4, &err), RTA_OK);
	ck_assert_int_eq(rta_output_flush(&fo, &err), RTA_EIO);
	ck_assert(fo.failed);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_output_bytes(&fo, "two\n", 4, &err), RTA_EIO);
	ck_assert_int_eq(err.code, RTA_EIO);
	close(fd[1]);
}
END_TEST

START_TEST(dev_full)
{
	struct rta_error err;
	int fd = open("/dev/full", O_WRONLY), i;

	ck_assert_int_ge(fd, 0);
	rta_output_init(&fo, fd, "<stdout>", RTA_FMT_NDJSON);
	if (_i)
		ck_assert_int_eq(rta_output_compress(&fo, 3, &err), RTA_OK);
	for (i = 0; i < 3; i++)
		put(&fo, i, 10, NULL);
	/* buffered: the failure shows at the write, i.e. the close */
	rta_error_clear(&err);
	ck_assert_int_eq(rta_output_close(&fo, &err), RTA_EIO);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_int_eq(fo.fail_errno, ENOSPC);
	ck_assert_str_eq(err.text, "write error: No space left on device");
	close(fd);
}
END_TEST

/* Output to a pipe asks for a 1 MiB pipe buffer. */
START_TEST(pipe_buffer)
{
	int fd[2];
	long max = 0;
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 0;
		fclose(f);
	}
	ck_assert_int_eq(pipe(fd), 0);
	rta_output_init(&fo, fd[1], "<stdout>", RTA_FMT_NDJSON);
	if (max >= (1 << 20) && geteuid() == 0)
		ck_assert_int_eq(fcntl(fd[1], F_GETPIPE_SZ), 1 << 20);
	else
		ck_assert_int_ge(fcntl(fd[1], F_GETPIPE_SZ), 4096);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

static Suite *
output_suite(void)
{
	Suite *s = suite_create("rta_output");
	TCase *tc;

	tc = tcase_create("encode");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ndjson_out);
	tcase_add_test(tc, format_fallback);
	tcase_add_test(tc, rta_out);
	tcase_add_test(tc, rta_empty);
	tcase_add_test(tc, frame_refuses_value);
	tcase_add_test(tc, rta_out_refuses_value);
	tcase_add_test(tc, rta_out_refuses_first_value);
	tcase_add_loop_test(tc, stale_errno_ignored, 0, 2);
	tcase_add_test(tc, ndjson_out_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("flush");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, flush_threshold);
	tcase_add_test(tc, flush_at_custom);
	tcase_add_loop_test(tc, unbuffered, 0, 2);
	tcase_add_test(tc, pipe_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("lent");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, lent_frames);
	tcase_add_loop_test(tc, lent_frames_copied, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("zstd");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, zstd_ndjson);
	tcase_add_test(tc, zstd_rta_via_reader);
	tcase_add_test(tc, zstd_flush_decodable);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, epipe, 0, 2);
	tcase_add_test(tc, bytes_after_failure);
	tcase_add_loop_test(tc, dev_full, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(output_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
