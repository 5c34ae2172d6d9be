/*
 * check_rta_frame.c: rta frames, the binary stream between stages.
 *
 * Frames are built here by hand from rta-format(5), with a bit-by-bit
 * CRC-32C copied from the man page, so the encoder is checked against the
 * specification and not against itself; the man page's 94-byte example is
 * reproduced exactly.  Then every attack of the test plan (reliability
 * §4.2): lengths 0, 1, remaining+1, cap+1, 0x7FFFFFFF, 0x80000000,
 * 0xFFFFFFFC, 0xFFFFFFFF; streams cut in a header and one byte before the
 * end; bad magic, versions, reserved flags; inner lengths that disagree;
 * a correct CRC around a bad body and a wrong CRC around a good one; a
 * bad byte at every position of the ids.
 * Damaged streams also go through rta_reader, which must report and go on.
 * Finally NDJSON -> frame -> NDJSON must be the identity.
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_frame.h"
#include "rta_gen.h"
#include "rta_json.h"
#include "rta_reader.h"
#include "rta_time.h"
#include "rta_value.h"
#include "unit.h"

struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

/* CRC-32C bit by bit, as rta-format(5) gives it. */
static uint32_t
crc32c_ref(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint32_t c = 0xFFFFFFFF;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82F63B78 : c >> 1;
	}
	return c ^ 0xFFFFFFFF;
}

/* A frame header declaring len, with a correct header check. */
static void
raw_header(unsigned char h[12], uint32_t len, int type, int flags,
    uint32_t crc)
{
	rta_put_u32(h, len);
	h[4] = (unsigned char)type;
	h[5] = (unsigned char)flags;
	rta_put_u16(h + 6, (uint16_t)crc32c_ref(h, 6));
	rta_put_u32(h + 8, crc);
}

/* Append a frame around body, checks correct unless asked otherwise. */
static void
raw_frame(struct rta_buf *b, int type, const void *body, size_t blen)
{
	unsigned char h[12];

	raw_header(h, (uint32_t)blen, type, 0, crc32c_ref(body, blen));
	rta_buf_add(b, h, 12);
	rta_buf_add(b, body, blen);
}

static void
stream_header(struct rta_buf *b, uint16_t version, uint16_t flags)
{
	unsigned char h[12];

	memcpy(h, "\x89RTA\r\n\x1a\n", 8);
	rta_put_u16(h + 8, version);
	rta_put_u16(h + 10, flags);
	rta_buf_add(b, h, 12);
}

/* An event body with the given parts; plen is what the header says. */
static void
event_body(struct rta_buf *b, int64_t ts, uint32_t ver, const char *id,
    size_t idl, const char *type, size_t tyl, const char *tenant, size_t tnl,
    unsigned flags, const void *payload, size_t plen, uint32_t declared,
    const void *extra, size_t elen)
{
	rta_buf_reset(b);
	rta_buf_add_u64(b, (uint64_t)ts);
	rta_buf_add_u32(b, ver);
	rta_buf_addc(b, (int)idl);
	rta_buf_addc(b, (int)tyl);
	rta_buf_addc(b, (int)tnl);
	rta_buf_addc(b, (int)flags);
	rta_buf_add_u32(b, declared);
	rta_buf_add(b, id, idl);
	rta_buf_add(b, type, tyl);
	rta_buf_add(b, tenant, tnl);
	rta_buf_add(b, payload, plen);
	rta_buf_add(b, extra, elen);
}

/* Parse JSON text into a value (b reset first). */
static void
value_of(struct rta_buf *b, const char *text, unsigned max_depth)
{
	struct rta_json j;
	struct rta_error err;

	rta_json_init(&j);
	j.max_depth = max_depth;
	rta_buf_reset(b);
	ck_assert_msg(rta_json_document(&j, text, strlen(text), b, &err) ==
	    RTA_OK, "'%s': %s", text, err.text);
	rta_json_release(&j);
}

static struct rta_record rec;
static struct rta_error err;

/*
 * Probe and decode the first unit of bytes held in a heap block of
 * exactly len bytes (ASan sees any read past it).  Returns the probe's
 * code if that fails, else the decoder's.  rec borrows from the copy
 * until the next call.
 */
static int
decode_n(const void *bytes, size_t len, unsigned depth, size_t members)
{
	static unsigned char *copy;
	size_t size = 0;
	int is_hdr = -1, rc;

	free(copy);
	copy = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	rta_error_clear(&err);
	memset(&rec, 0x5a, sizeof(rec));
	rc = rta_frame_probe(copy, len, RTA_FRAME_MAX, &is_hdr, &size, &err);
	if (rc != RTA_OK)
		return rc;
	ck_assert_int_eq(is_hdr, 0);
	ck_assert_uint_eq(size, len);
	return rta_frame_decode(copy, size, depth, members, &rec, &err);
}

static int
decode(const struct rta_buf *b)
{
	return decode_n(b->data, b->len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS);
}

static void
expect(int rc, int code, const char *reason, const char *what)
{
	ck_assert_msg(rc == code, "%s: rc %d (%s), want %d", what, rc,
	    err.text, code);
	if (reason != NULL)
		ck_assert_msg(err.reason != NULL &&
		    strcmp(err.reason, reason) == 0, "%s: reason %s (%s), "
		    "want %s", what, err.reason, err.text, reason);
}

/* An event record borrowing the given parts. */
static void
make_event(struct rta_record *r, int64_t ts, const char *id,
    const char *type, const char *tenant, const struct rta_buf *payload,
    const struct rta_buf *extra)
{
	memset(r, 0, sizeof(*r));
	r->kind = RTA_REC_EVENT;
	r->ev.ts = ts;
	r->ev.schema_version = 1;
	r->ev.id = id;
	r->ev.id_len = (uint8_t)strlen(id);
	r->ev.type = type;
	r->ev.type_len = (uint8_t)strlen(type);
	r->ev.tenant = tenant;
	r->ev.tenant_len = (uint8_t)strlen(tenant);
	r->ev.payload = payload != NULL ? payload->data : rta_empty_object;
	r->ev.payload_len = payload != NULL ? payload->len :
	    sizeof(rta_empty_object);
	r->ev.extra = extra != NULL ? extra->data : NULL;
	r->ev.extra_len = extra != NULL ? extra->len : 0;
}

/* ------------------------------------------------------------- encode */

START_TEST(crc_reference)
{
	/* the check values rta-format(5) gives */
	ck_assert_uint_eq(crc32c_ref("123456789", 9), 0xE3069283);
	ck_assert_uint_eq(crc32c_ref("", 0), 0);
	ck_assert_uint_eq(crc32c_ref("\x3a\0\0\0\x45\0", 6), 0x0B67DD4A);
	ck_assert_uint_eq(crc32c_ref("\0\0\0\0\x5a\0", 6), 0x2DA9B859);
}
END_TEST

START_TEST(encode_header)
{
	struct rta_buf b = RTA_BUF_INIT;

	rta_buf_adds(&b, "x");
	ck_assert_int_eq(rta_frame_put_header(&b), 0);
	ck_assert_uint_eq(b.len, 13);
	ck_assert_mem_eq(b.data + 1, "\x89RTA\r\n\x1a\n\x01\0\0\0", 12);
	ck_assert(rta_frame_is_magic(b.data + 1, 12));
	ck_assert(rta_frame_is_magic(b.data + 1, 3));	/* a prefix */
	ck_assert(rta_frame_is_magic(b.data + 1, 0));
	ck_assert(!rta_frame_is_magic((const unsigned char *)"\x89RTB", 4));
	ck_assert(!rta_frame_is_magic((const unsigned char *)"\x89RTA\r\n"
	    "\x1a\r", 8));
	/* read as a frame length, the magic is beyond any body */
	ck_assert_uint_gt(rta_get_u32(b.data + 1), RTA_FRAME_MAX);
	rta_buf_release(&b);
}
END_TEST

/* The example of rta-format(5), byte for byte. */
START_TEST(encode_man_page_example)
{
	static const unsigned char want[94] = {
		0x89, 0x52, 0x54, 0x41, 0x0d, 0x0a, 0x1a, 0x0a, 0x01, 0x00,
		0x00, 0x00, 0x3a, 0x00, 0x00, 0x00, 0x45, 0x00, 0x4a, 0xdd,
		0x56, 0xa4, 0x5f, 0x27, 0x40, 0xea, 0xb0, 0x01, 0x2b, 0x61,
		0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x09, 0x04, 0x00,
		0x17, 0x00, 0x00, 0x00, 0x65, 0x31, 0x70, 0x61, 0x67, 0x65,
		0x5f, 0x76, 0x69, 0x65, 0x77, 0x61, 0x63, 0x6d, 0x65, 0x08,
		0x01, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x00, 0x00, 0x6e, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5a, 0x00, 0x59, 0xb8,
		0x00, 0x00, 0x00, 0x00,
	};
	static const char line[] = "{\"event_id\":\"e1\",\"timestamp\":"
	    "\"2026-11-26T10:00:00.123456Z\",\"event_type\":\"page_view\","
	    "\"tenant_id\":\"acme\",\"schema_version\":1,\"payload\":{\"n\":1}}";
	struct rta_ndjson_parser np;
	struct rta_record r, end;
	struct rta_buf b = RTA_BUF_INIT, n = RTA_BUF_INIT;

	rta_ndjson_parser_init(&np);
	ck_assert_int_eq(rta_ndjson_parse(&np, line, strlen(line), &r, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_frame_put_header(&b), 0);
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	memset(&end, 0, sizeof(end));
	end.kind = RTA_REC_END;
	ck_assert_int_eq(rta_frame_put(&b, &end), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(b.data, want, sizeof(want));
	/* and back */
	ck_assert_int_eq(decode_n(want + 12, 70, 64, 1024), RTA_OK);
	ck_assert_int_eq(rta_ndjson_put(&n, &rec), 0);
	ck_assert_uint_eq(n.len, strlen(line) + 1);
	ck_assert_mem_eq(n.data, line, strlen(line));
	ck_assert_int_eq(decode_n(want + 82, 12, 64, 1024), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_END);
	rta_ndjson_parser_release(&np);
	rta_buf_release(&b);
	rta_buf_release(&n);
}
END_TEST

START_TEST(encode_every_kind)
{
	struct rta_buf b = RTA_BUF_INIT, pl = RTA_BUF_INIT, ex = RTA_BUF_INIT,
	    want = RTA_BUF_INIT, body = RTA_BUF_INIT;
	struct rta_record r;

	/* event with an extra object */
	value_of(&pl, "{\"a\":[1,\"x\"]}", 64);
	value_of(&ex, "{\"z\":null}", 64);
	make_event(&r, -5, "id\xc3\xa9", "type", "ten", &pl, &ex);
	r.ev.schema_version = 0xdeadbeef;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	event_body(&body, -5, 0xdeadbeef, "id\xc3\xa9", 4, "type", 4, "ten",
	    3, 1, pl.data, pl.len, (uint32_t)pl.len, ex.data, ex.len);
	raw_frame(&want, 'E', body.data, body.len);
	ck_assert_uint_eq(b.len, want.len);
	ck_assert_mem_eq(b.data, want.data, want.len);
	ck_assert_int_eq(decode(&b), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
	ck_assert_int_eq(rec.ev.ts, -5);
	ck_assert_uint_eq(rec.ev.schema_version, 0xdeadbeef);
	ck_assert_uint_eq(rec.ev.id_len, 4);
	ck_assert_mem_eq(rec.ev.id, "id\xc3\xa9", 4);
	ck_assert_mem_eq(rec.ev.type, "type", 4);
	ck_assert_mem_eq(rec.ev.tenant, "ten", 3);
	ck_assert_uint_eq(rec.ev.payload_len, pl.len);
	ck_assert_mem_eq(rec.ev.payload, pl.data, pl.len);
	ck_assert_uint_eq(rec.ev.extra_len, ex.len);
	ck_assert_mem_eq(rec.ev.extra, ex.data, ex.len);

	/* without: flag 0, nothing after the payload */
	rta_buf_reset(&b);
	rta_buf_reset(&want);
	make_event(&r, 1795687200123456LL, "e", "t", "a", NULL, NULL);
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	event_body(&body, 1795687200123456LL, 1, "e", 1, "t", 1, "a", 1, 0,
	    rta_empty_object, 9, 9, NULL, 0);
	raw_frame(&want, 'E', body.data, body.len);
	ck_assert_uint_eq(b.len, want.len);
	ck_assert_mem_eq(b.data, want.data, want.len);
	ck_assert_int_eq(decode(&b), RTA_OK);
	ck_assert_ptr_null(rec.ev.extra);

	/* watermark */
	rta_buf_reset(&b);
	rta_buf_reset(&want);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_WATERMARK;
	r.watermark = RTA_TIME_MIN;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	rta_buf_reset(&body);
	rta_buf_add_u64(&body, (uint64_t)RTA_TIME_MIN);
	raw_frame(&want, 'W', body.data, body.len);
	ck_assert_mem_eq(b.data, want.data, want.len);
	ck_assert_int_eq(decode(&b), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_WATERMARK);
	ck_assert_int_eq(rec.watermark, RTA_TIME_MIN);

	/* position */
	rta_buf_reset(&b);
	rta_buf_reset(&want);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_POSITION;
	r.pos.topic = "events";
	r.pos.topic_len = 6;
	r.pos.partition = INT32_MAX;
	r.pos.offset = INT64_MAX;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	rta_buf_reset(&body);
	rta_buf_add_u32(&body, INT32_MAX);
	rta_buf_add_u64(&body, INT64_MAX);
	rta_buf_adds(&body, "events");
	raw_frame(&want, 'P', body.data, body.len);
	ck_assert_uint_eq(b.len, want.len);
	ck_assert_mem_eq(b.data, want.data, want.len);
	ck_assert_int_eq(decode(&b), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_POSITION);
	ck_assert_int_eq(rec.pos.partition, INT32_MAX);
	ck_assert_int_eq(rec.pos.offset, INT64_MAX);
	ck_assert_uint_eq(rec.pos.topic_len, 6);
	ck_assert_mem_eq(rec.pos.topic, "events", 6);

	/* end */
	rta_buf_reset(&b);
	rta_buf_reset(&want);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_END;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	raw_frame(&want, 'Z', "", 0);
	ck_assert_uint_eq(b.len, 12);
	ck_assert_mem_eq(b.data, want.data, 12);
	ck_assert_int_eq(decode(&b), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_END);
	rta_buf_release(&b);
	rta_buf_release(&pl);
	rta_buf_release(&ex);
	rta_buf_release(&want);
	rta_buf_release(&body);
}
END_TEST

START_TEST(encode_refusals)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_record r;
	char topic[300];

	rta_buf_adds(&b, "keep");
	memset(&r, 0, sizeof(r));
	memset(topic, 't', sizeof(topic));
	r.kind = RTA_REC_POSITION;
	r.pos.topic = topic;
	r.pos.topic_len = 249;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	ck_assert_uint_eq(b.len, 4 + 12 + 12 + 249);
	b.len = 4;
	r.pos.topic_len = 250;
	ck_assert_int_eq(rta_frame_put(&b, &r), -1);
	ck_assert_uint_eq(b.len, 4);
	/* a body over the limit is refused before anything is read */
	make_event(&r, 0, "e", "t", "a", NULL, NULL);
	r.ev.payload_len = RTA_FRAME_MAX;
	ck_assert_int_eq(rta_frame_put(&b, &r), -1);
	ck_assert_uint_eq(b.len, 4);
	r.ev.payload_len = (size_t)UINT32_MAX + 10;
	ck_assert_int_eq(rta_frame_put(&b, &r), -1);
	ck_assert_uint_eq(b.len, 4);
	memset(&r, 0, sizeof(r));
	r.kind = (enum rta_kind)99;
	ck_assert_int_eq(rta_frame_put(&b, &r), -1);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(b.data, "keep", 4);
	rta_buf_release(&b);
}
END_TEST

/* -------------------------------------------------------------- probe */

static int
probe(const void *p, size_t avail, size_t max, int *hdr, size_t *size)
{
	unsigned char *copy = malloc(avail > 0 ? avail : 1);
	int rc;

	memcpy(copy, p, avail);
	rta_error_clear(&err);
	*hdr = -1;
	*size = 12345;
	rc = rta_frame_probe(copy, avail, max, hdr, size, &err);
	free(copy);
	return rc;
}

START_TEST(probe_lengths)
{
	static const uint32_t huge[] = { RTA_FRAME_MAX + 1, 0x7FFFFFFF,
	    0x80000000, 0xFFFFFFFC, 0xFFFFFFFF };
	unsigned char h[12];
	int hdr;
	size_t size, k;

	/* fewer than 12 bytes: call again with more */
	raw_header(h, 0, 'Z', 0, 0);
	for (k = 0; k < 12; k++)
		ck_assert_int_eq(probe(h, k, RTA_FRAME_MAX, &hdr, &size),
		    RTA_EOF);
	/* length 0 and 1 */
	ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size), RTA_OK);
	ck_assert_int_eq(hdr, 0);
	ck_assert_uint_eq(size, 12);
	raw_header(h, 1, 'E', 0, 0);
	ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size), RTA_OK);
	ck_assert_uint_eq(size, 13);
	/* the cap itself is allowed, one more is not */
	raw_header(h, RTA_FRAME_MAX, 'E', 0, 0);
	ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size), RTA_OK);
	ck_assert_uint_eq(size, 12 + (size_t)RTA_FRAME_MAX);
	for (k = 0; k < sizeof(huge) / sizeof(huge[0]); k++) {
		raw_header(h, huge[k], 'E', 0, 0);
		ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size),
		    RTA_EDATA);
		ck_assert_str_eq(err.reason, "bad-frame");
		ck_assert(strstr(err.text, "exceeds the limit") != NULL);
		/* no wrap-around in the size, whatever the limit */
		ck_assert_int_eq(probe(h, 12, SIZE_MAX, &hdr, &size), RTA_OK);
		ck_assert_uint_eq(size, 12 + (size_t)huge[k]);
		ck_assert_uint_gt(size, huge[k]);
	}
	/* a caller's own limit */
	raw_header(h, 100, 'E', 0, 0);
	ck_assert_int_eq(probe(h, 12, 99, &hdr, &size), RTA_EDATA);
	ck_assert_int_eq(probe(h, 12, 100, &hdr, &size), RTA_OK);
	ck_assert_int_eq(probe(h, 12, 0, &hdr, &size), RTA_EDATA);
}
END_TEST

START_TEST(probe_headers)
{
	struct rta_buf b = RTA_BUF_INIT;
	unsigned char h[12];
	int hdr;
	size_t size;
	unsigned bit;

	stream_header(&b, 1, 0);
	ck_assert_int_eq(probe(b.data, 12, RTA_FRAME_MAX, &hdr, &size),
	    RTA_OK);
	ck_assert_int_eq(hdr, 1);
	ck_assert_uint_eq(size, 12);
	/* the magic needs the whole 12 bytes too */
	ck_assert_int_eq(probe(b.data, 11, RTA_FRAME_MAX, &hdr, &size),
	    RTA_EOF);
	/* unknown versions and flags */
	rta_buf_reset(&b);
	stream_header(&b, 2, 0);
	ck_assert_int_eq(probe(b.data, 12, RTA_FRAME_MAX, &hdr, &size),
	    RTA_EDATA);
	ck_assert(strstr(err.text, "version 2") != NULL);
	ck_assert_str_eq(err.reason, "bad-version");
	rta_buf_reset(&b);
	stream_header(&b, 0, 0);
	ck_assert_int_eq(probe(b.data, 12, RTA_FRAME_MAX, &hdr, &size),
	    RTA_EDATA);
	for (bit = 0; bit < 16; bit++) {
		rta_buf_reset(&b);
		stream_header(&b, 1, (uint16_t)(1U << bit));
		ck_assert_int_eq(probe(b.data, 12, RTA_FRAME_MAX, &hdr,
		    &size), RTA_EDATA);
		ck_assert_str_eq(err.reason, "bad-frame");
	}
	/* bad magic is read as a frame header, whose check fails */
	rta_buf_reset(&b);
	stream_header(&b, 1, 0);
	b.data[3] = 'B';
	ck_assert_int_eq(probe(b.data, 12, RTA_FRAME_MAX, &hdr, &size),
	    RTA_EDATA);
	ck_assert(strstr(err.text, "check mismatch") != NULL);
	/* frame flags: every reserved bit, with a correct check */
	for (bit = 0; bit < 8; bit++) {
		raw_header(h, 0, 'Z', 1 << bit, 0);
		ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size),
		    RTA_EDATA);
		ck_assert(strstr(err.text, "flags") != NULL);
	}
	/* any change to the first six bytes breaks the check */
	raw_header(h, 20, 'W', 0, 0);
	for (bit = 0; bit < 48; bit++) {
		unsigned char d[12];

		memcpy(d, h, 12);
		d[bit / 8] ^= (unsigned char)(1 << bit % 8);
		ck_assert_int_eq(probe(d, 12, SIZE_MAX, &hdr, &size),
		    RTA_EDATA);
	}
	/* ... and to the check itself */
	h[6] ^= 1;
	ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size), RTA_EDATA);
	/* the body CRC is not the probe's business */
	raw_header(h, 20, 'W', 0, 0xdeadbeef);
	ck_assert_int_eq(probe(h, 12, RTA_FRAME_MAX, &hdr, &size), RTA_OK);
	rta_buf_release(&b);
}
END_TEST

/*
 * A header wrong in several ways is reported for the first check that
 * fails, in the order magic, header check, length, flags; whatever the
 * caller's limit, a stream header is never read as a length.
 */
START_TEST(probe_order)
{
	unsigned char h[12];
	int hdr, bad_check, too_long, flags;
	size_t size;
	const char *want;

	for (bad_check = 0; bad_check < 2; bad_check++)
		for (too_long = 0; too_long < 2; too_long++)
			for (flags = 0; flags < 2; flags++) {
				raw_header(h, too_long ? 101 : 100, 'E',
				    flags, 0);
				if (bad_check)
					h[6] ^= 0x40;
				want = bad_check ? "check mismatch" :
				    too_long ? "exceeds the limit of 100" :
				    flags ? "unknown frame flags" : NULL;
				ck_assert_int_eq(probe(h, 12, 100, &hdr, &size),
				    want == NULL ? RTA_OK : RTA_EDATA);
				if (want == NULL) {
					ck_assert_int_eq(hdr, 0);
					ck_assert_uint_eq(size, 112);
					continue;
				}
				ck_assert_str_eq(err.reason, "bad-frame");
				ck_assert_msg(strstr(err.text, want) != NULL,
				    "'%s', want '%s'", err.text, want);
				ck_assert_uint_eq(size, 12345);
			}
	memcpy(h, "\x89RTA\r\n\x1a\n\1\0\0\0", 12);
	ck_assert_int_eq(probe(h, 12, SIZE_MAX, &hdr, &size), RTA_OK);
	ck_assert_int_eq(hdr, 1);
	ck_assert_uint_eq(size, 12);
	ck_assert_int_eq(probe(h, 12, 0, &hdr, &size), RTA_OK);
	ck_assert_int_eq(hdr, 1);
}
END_TEST

/* ------------------------------------------------------------- decode */

START_TEST(decode_crc)
{
	struct rta_buf b = RTA_BUF_INIT, pl = RTA_BUF_INIT;
	struct rta_record r;
	size_t i;
	unsigned bit;

	value_of(&pl, "{\"k\":\"v\",\"n\":[1,2]}", 64);
	make_event(&r, 0, "e", "t", "a", &pl, NULL);
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	ck_assert_int_eq(decode(&b), RTA_OK);
	/* a wrong CRC around a valid body: every single-bit error */
	for (i = 12; i < b.len; i++)
		for (bit = 0; bit < 8; bit++) {
			b.data[i] ^= (unsigned char)(1 << bit);
			expect(decode(&b), RTA_EDATA, "bad-crc", "flipped body");
			b.data[i] ^= (unsigned char)(1 << bit);
		}
	for (i = 8; i < 12; i++) {
		b.data[i] ^= 0x10;
		expect(decode(&b), RTA_EDATA, "bad-crc", "flipped CRC");
		b.data[i] ^= 0x10;
	}
	ck_assert_int_eq(decode(&b), RTA_OK);
	rta_buf_release(&b);
	rta_buf_release(&pl);
}
END_TEST

/* An event frame around the body in bb; decode and expect. */
static void
event_expect(const struct rta_buf *body, int code, const char *reason,
    const char *what)
{
	struct rta_buf b = RTA_BUF_INIT;

	raw_frame(&b, 'E', body->data, body->len);
	expect(decode(&b), code, reason, what);
	rta_buf_release(&b);
}

START_TEST(decode_event_lengths)
{
	struct rta_buf body = RTA_BUF_INIT, pl = RTA_BUF_INIT,
	    ex = RTA_BUF_INIT;
	unsigned char zero[20] = { 0 };
	size_t n;

	value_of(&pl, "{\"a\":1}", 64);
	value_of(&ex, "{\"b\":2}", 64);
	/* shorter than the fixed part */
	for (n = 0; n < 20; n++) {
		rta_buf_reset(&body);
		rta_buf_add(&body, zero, n);
		event_expect(&body, RTA_EDATA, "bad-frame", "short body");
	}
	/* the baseline is sound */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_OK, NULL, "baseline");
	/* id lengths past the body */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	body.data[12] = 255;
	body.data[13] = 255;
	body.data[14] = 255;
	event_expect(&body, RTA_EDATA, "bad-frame", "ids past the body");
	/* payload length: one more than there is, and the largest */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len + 1, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-frame", "payload + 1");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    0xFFFFFFFF, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-frame", "payload 2^32-1");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    0xFFFFFFF0, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-frame", "payload wraps");
	/* one less: a byte is left over without the extra flag */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len - 1, NULL, 0);
	event_expect(&body, RTA_EDATA, NULL, "payload - 1");
	/* trailing bytes without the flag */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, ex.data, ex.len);
	event_expect(&body, RTA_EDATA, "bad-frame", "bytes after payload");
	/* an empty payload, and one that is not an object */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, NULL, 0, 0, NULL,
	    0);
	event_expect(&body, RTA_EDATA, NULL, "empty payload");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, "\x00", 1, 1,
	    NULL, 0);
	event_expect(&body, RTA_EDATA, NULL, "null payload");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0,
	    "\x07\0\0\0\0\0\0\0\0", 9, 9, NULL, 0);
	event_expect(&body, RTA_EDATA, NULL, "array payload");
	/* the payload's own length lies */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	rta_put_u32(body.data + 20 + 3 + 5, 0x7fffffff);
	event_expect(&body, RTA_EDATA, "bad-value", "payload size lies");
	/* the extra flag with no extra, or not an object */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, NULL, "flag, no extra");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1, pl.data, pl.len,
	    (uint32_t)pl.len, "\x02", 1);
	event_expect(&body, RTA_EDATA, NULL, "extra true");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1, pl.data, pl.len,
	    (uint32_t)pl.len, ex.data, ex.len - 1);
	event_expect(&body, RTA_EDATA, "bad-value", "extra cut");
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1, pl.data, pl.len,
	    (uint32_t)pl.len, ex.data, ex.len);
	event_expect(&body, RTA_OK, NULL, "extra");
	/* an empty extra object is allowed */
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1, pl.data, pl.len,
	    (uint32_t)pl.len, rta_empty_object, 9);
	event_expect(&body, RTA_OK, NULL, "empty extra");
	/* reserved event flags */
	for (n = 1; n < 8; n++) {
		event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1U << n,
		    pl.data, pl.len, (uint32_t)pl.len, NULL, 0);
		event_expect(&body, RTA_EDATA, "bad-frame", "event flags");
	}
	rta_buf_release(&body);
	rta_buf_release(&pl);
	rta_buf_release(&ex);
}
END_TEST

START_TEST(decode_event_fields)
{
	struct rta_buf body = RTA_BUF_INIT, pl = RTA_BUF_INIT;
	char id[255];

	value_of(&pl, "{}", 64);
	memset(id, 'i', sizeof(id));
	event_body(&body, 0, 0, id, 255, id, 255, id, 255, 0, pl.data,
	    pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_OK, NULL, "255-byte ids");
	event_body(&body, 0, 1, "", 0, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-field", "empty event_id");
	event_body(&body, 0, 1, "e", 1, "", 0, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-field", "empty event_type");
	event_body(&body, 0, 1, "e", 1, "t", 1, "", 0, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-field", "empty tenant_id");
	event_body(&body, 0, 1, "\xc0\xaf", 2, "t", 1, "a", 1, 0, pl.data,
	    pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-utf8", "overlong in event_id");
	event_body(&body, 0, 1, "e", 1, "t\xed\xa0\x80", 4, "a", 1, 0,
	    pl.data, pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-utf8", "surrogate in type");
	/* an invalid sequence split across two ids */
	event_body(&body, 0, 1, "e\xc3", 2, "\xa9", 1, "a", 1, 0, pl.data,
	    pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-utf8", "split sequence");
	event_body(&body, RTA_TIME_MAX + 1, 1, "e", 1, "t", 1, "a", 1, 0,
	    pl.data, pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-timestamp", "ts too late");
	event_body(&body, RTA_TIME_MIN - 1, 1, "e", 1, "t", 1, "a", 1, 0,
	    pl.data, pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-timestamp", "ts too early");
	event_body(&body, INT64_MIN, 1, "e", 1, "t", 1, "a", 1, 0, pl.data,
	    pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_EDATA, "bad-timestamp", "ts INT64_MIN");
	event_body(&body, RTA_TIME_MAX, 0xffffffff, "e", 1, "t", 1, "a", 1,
	    0, pl.data, pl.len, (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_OK, NULL, "ts max");
	rta_buf_release(&body);
	rta_buf_release(&pl);
}
END_TEST

/*
 * Decode an event with these ids (lengths len) and a valid payload, and
 * compare the verdict with rta_event_check's on the same ids: the same
 * code and message, or a decoded event.  The fixed part is full of high
 * bytes (ts -1, schema version 0xfffefdfc).
 */
static void
ids_verdict(const char *ids, const uint8_t len[3], const struct rta_buf *pl)
{
	struct rta_buf body = RTA_BUF_INIT, fr = RTA_BUF_INIT;
	struct rta_error want;
	struct rta_event ev;
	int rc, wrc;

	memset(&ev, 0, sizeof(ev));
	ev.ts = -1;
	ev.id = ids;
	ev.id_len = len[0];
	ev.type = ids + len[0];
	ev.type_len = len[1];
	ev.tenant = ev.type + len[1];
	ev.tenant_len = len[2];
	rta_error_clear(&want);
	wrc = rta_event_check(&ev, &want);
	event_body(&body, -1, 0xfffefdfc, ev.id, len[0], ev.type, len[1],
	    ev.tenant, len[2], 0, pl->data, pl->len, (uint32_t)pl->len,
	    NULL, 0);
	raw_frame(&fr, 'E', body.data, body.len);
	rc = decode_n(fr.data, fr.len, 64, 1000);
	ck_assert_msg(rc == wrc, "lengths %u %u %u: rc %d, want %d (%s)",
	    len[0], len[1], len[2], rc, wrc, want.text);
	if (wrc == RTA_OK) {
		ck_assert(rec.kind == RTA_REC_EVENT);
		ck_assert(rec.ev.ts == -1);
	} else {
		ck_assert_str_eq(err.reason, want.reason);
		ck_assert_str_eq(err.text, want.text);
	}
	rta_buf_release(&body);
	rta_buf_release(&fr);
}

/*
 * The ids are tested for bytes other than plain ASCII a vector at a
 * time, the last vector ending where they do (and starting before them
 * when they are short: those bytes of the fixed part must not count).
 * For ids of every length class, with a NUL, a stray continuation byte,
 * a lead byte with nothing after it, 0xff, or a whole two-byte character
 * at each position in turn, the verdict must be rta_event_check's;
 * decode_n puts each frame at the end of its heap block.
 */
START_TEST(decode_ids_every_byte)
{
	static const uint8_t lens[] = {
		1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 36, 47, 48, 49, 255
	};
	static const char subs[] = { '\0', '\x80', '\xc3', '\xff', 'x' };
	struct rta_buf pl = RTA_BUF_INIT;
	char ids[3 * 255];
	uint8_t len[3];
	size_t li, slot, at, k, total;

	value_of(&pl, "{\"a\":1}", 64);
	for (li = 0; li < sizeof(lens); li++)
		for (slot = 0; slot < 3; slot++) {
			len[0] = len[1] = len[2] = (uint8_t)(1 + li % 3);
			len[slot] = lens[li];
			total = (size_t)len[0] + len[1] + len[2];
			memset(ids, 'i', total);
			ids_verdict(ids, len, &pl);
			for (at = 0; at < total; at++) {
				for (k = 0; k < sizeof(subs); k++) {
					ids[at] = subs[k];
					ids_verdict(ids, len, &pl);
				}
				ids[at] = 'i';
				if (at + 1 < total) {
					ids[at] = '\xc3';
					ids[at + 1] = '\xa9';
					ids_verdict(ids, len, &pl);
					ids[at + 1] = 'i';
				}
				ids[at] = 'i';
			}
		}
	rta_buf_release(&pl);
}
END_TEST

/* Values inside a frame get the whole checker: a few of its classes. */
/* An event body whose payload is json with byte at set to to. */
static void
damaged_body(struct rta_buf *body, const char *json, size_t at,
    unsigned char to)
{
	struct rta_buf pl = RTA_BUF_INIT;

	value_of(&pl, json, 64);
	ck_assert_uint_lt(at, pl.len);
	pl.data[at] = to;
	event_body(body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	rta_buf_release(&pl);
}

START_TEST(decode_event_values)
{
	static const struct {
		const char	*json;
		int		 code;
		const char	*reason;
		size_t		 at;	/* byte to damage, 0: none */
		unsigned char	 to;
	} c[] = {
		{ "{\"s\":\"ab\"}", RTA_EDATA, "bad-utf8", 19, 0xff },
		{ "{\"ab\":1}", RTA_EDATA, "bad-utf8", 13, 0xc0 },
		{ "{\"a\":1,\"b\":2}", RTA_EDATA, "duplicate-key", 27, 'a' },
		{ "{\"a\":[null]}", RTA_EDATA, "bad-value", 23, 0x0a },
		{ "{\"a\":1.5}", RTA_EDATA, "bad-value", 27, 'x' },
	};
	struct rta_buf body = RTA_BUF_INIT;
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		damaged_body(&body, c[k].json, c[k].at, c[k].to);
		event_expect(&body, c[k].code, c[k].reason, c[k].json);
	}
	rta_buf_release(&body);
}
END_TEST

/*
 * RTA_DECODE_STORED, for a store's own frames: the checksum is checked
 * (a changed byte is refused), the values' shape too (nothing read past
 * them), their text and keys not (they were checked when stored).
 */
START_TEST(decode_stored)
{
	static const struct {
		const char	*json;
		int		 code;	/* stored; full: RTA_EDATA */
		size_t		 at;
		unsigned char	 to;
	} c[] = {
		{ "{\"s\":\"ab\"}", RTA_OK, 19, 0xff },
		{ "{\"a\":1,\"b\":2}", RTA_OK, 27, 'a' },
		{ "{\"a\":[null]}", RTA_EDATA, 23, 0x0a },
		{ "{\"a\":[null]}", RTA_EDATA, 18, 0x7f },
	};
	struct rta_buf body = RTA_BUF_INIT, b = RTA_BUF_INIT;
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		damaged_body(&body, c[k].json, c[k].at, c[k].to);
		rta_buf_reset(&b);
		raw_frame(&b, 'E', body.data, body.len);
		ck_assert_int_eq(rta_frame_decode(b.data, b.len,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &rec, &err),
		    RTA_EDATA);
		ck_assert_msg(rta_frame_decode_padded(b.data, b.len,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS,
		    RTA_DECODE_STORED, &rec, &err) == c[k].code, "%s: %s",
		    c[k].json, err.text);
		/* and any byte changed since: the checksum */
		b.data[b.len - 1] ^= 1;
		expect(rta_frame_decode_padded(b.data, b.len,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS,
		    RTA_DECODE_STORED, &rec, &err), RTA_EDATA, "bad-crc",
		    c[k].json);
	}
	rta_buf_release(&b);
	rta_buf_release(&body);
}
END_TEST

/* A JSON text of n containers, arrays inside an object when obj. */
static void
nest_text(struct rta_buf *t, unsigned n)
{
	unsigned i;

	rta_buf_reset(t);
	rta_buf_adds(t, "{\"a\":");
	for (i = 1; i < n; i++)
		rta_buf_adds(t, "[");
	rta_buf_adds(t, "0");
	for (i = 1; i < n; i++)
		rta_buf_adds(t, "]");
	rta_buf_adds(t, "}");
	rta_buf_addc(t, '\0');
}

START_TEST(decode_limits)
{
	struct rta_buf body = RTA_BUF_INIT, pl = RTA_BUF_INIT,
	    t = RTA_BUF_INIT;
	unsigned n, i;

	/* payload: at most 63 levels of its own (64 with the record) */
	for (n = 62; n <= 64; n++) {
		nest_text(&t, n);
		value_of(&pl, (char *)t.data, 1000);
		event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data,
		    pl.len, (uint32_t)pl.len, NULL, 0);
		event_expect(&body, n <= 63 ? RTA_OK : RTA_ELIMIT,
		    n <= 63 ? NULL : "too-deep", "payload depth");
	}
	/* the limits are the caller's */
	nest_text(&t, 3);
	value_of(&pl, (char *)t.data, 64);
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	rta_buf_reset(&t);
	raw_frame(&t, 'E', body.data, body.len);
	expect(decode_n(t.data, t.len, 4, 1024), RTA_OK, NULL, "depth 4");
	expect(decode_n(t.data, t.len, 3, 1024), RTA_ELIMIT, "too-deep",
	    "depth 3");
	expect(decode_n(t.data, t.len, 0, 1024), RTA_ELIMIT, "too-deep",
	    "depth 0");
	/* members */
	rta_buf_reset(&t);
	rta_buf_addc(&t, '{');
	for (i = 0; i < 1025; i++)
		rta_buf_printf(&t, "%s\"m%u\":%u", i > 0 ? "," : "", i, i);
	rta_buf_adds(&t, "}");
	rta_buf_addc(&t, '\0');
	{
		struct rta_json j;
		struct rta_error e;

		rta_json_init(&j);
		j.max_members = 2000;
		rta_buf_reset(&pl);
		ck_assert_int_eq(rta_json_document(&j, t.data, t.len - 1, &pl,
		    &e), RTA_OK);
		rta_json_release(&j);
	}
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	event_expect(&body, RTA_ELIMIT, "too-many-members", "1025 members");
	rta_buf_reset(&t);
	raw_frame(&t, 'E', body.data, body.len);
	expect(decode_n(t.data, t.len, 64, 1025), RTA_OK, NULL, "1025 ok");
	rta_buf_release(&body);
	rta_buf_release(&pl);
	rta_buf_release(&t);
}
END_TEST

START_TEST(decode_control_bodies)
{
	struct rta_buf body = RTA_BUF_INIT, b = RTA_BUF_INIT;
	static const int types[] = { 'X', 'e', 'w', 0, 0xff, 'a', 'B' };
	char topic[260];
	size_t k;

	/* watermark: exactly 8 bytes, in range */
	for (k = 0; k <= 9; k++) {
		rta_buf_reset(&body);
		while (body.len < k)
			rta_buf_addc(&body, 0);
		rta_buf_reset(&b);
		raw_frame(&b, 'W', body.data, body.len);
		expect(decode(&b), k == 8 ? RTA_OK : RTA_EDATA, k == 8 ? NULL :
		    "bad-frame", "watermark length");
	}
	rta_buf_reset(&body);
	rta_buf_add_u64(&body, (uint64_t)RTA_TIME_MAX + 1);
	rta_buf_reset(&b);
	raw_frame(&b, 'W', body.data, body.len);
	expect(decode(&b), RTA_EDATA, "bad-frame", "watermark range");
	rta_buf_reset(&body);
	rta_buf_add_u64(&body, (uint64_t)INT64_MIN);
	rta_buf_reset(&b);
	raw_frame(&b, 'W', body.data, body.len);
	expect(decode(&b), RTA_EDATA, "bad-frame", "watermark INT64_MIN");

	/* position: 13 to 261 bytes, sane numbers, UTF-8 topic */
	memset(topic, 'p', sizeof(topic));
	for (k = 0; k <= 252; k += k < 3 ? 1 : 248) {
		rta_buf_reset(&body);
		rta_buf_add_u32(&body, 1);
		rta_buf_add_u64(&body, 2);
		rta_buf_add(&body, topic, k);
		rta_buf_reset(&b);
		raw_frame(&b, 'P', body.data, body.len);
		expect(decode(&b), k >= 1 && k <= 249 ? RTA_OK : RTA_EDATA,
		    NULL, "topic length");
	}
	rta_buf_reset(&body);
	rta_buf_add_u32(&body, 0x80000000);
	rta_buf_add_u64(&body, 2);
	rta_buf_adds(&body, "t");
	rta_buf_reset(&b);
	raw_frame(&b, 'P', body.data, body.len);
	expect(decode(&b), RTA_EDATA, "bad-frame", "negative partition");
	rta_buf_reset(&body);
	rta_buf_add_u32(&body, 1);
	rta_buf_add_u64(&body, 0x8000000000000000ULL);
	rta_buf_adds(&body, "t");
	rta_buf_reset(&b);
	raw_frame(&b, 'P', body.data, body.len);
	expect(decode(&b), RTA_EDATA, "bad-frame", "negative offset");
	rta_buf_reset(&body);
	rta_buf_add_u32(&body, 1);
	rta_buf_add_u64(&body, 2);
	rta_buf_adds(&body, "t\xff");
	rta_buf_reset(&b);
	raw_frame(&b, 'P', body.data, body.len);
	expect(decode(&b), RTA_EDATA, "bad-frame", "topic not UTF-8");

	/* end: empty */
	rta_buf_reset(&b);
	raw_frame(&b, 'Z', "x", 1);
	expect(decode(&b), RTA_EDATA, "bad-frame", "end with a body");

	/* unknown types, with a sound header and CRC */
	for (k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		rta_buf_reset(&b);
		raw_frame(&b, types[k], "", 0);
		expect(decode(&b), RTA_EDATA, "bad-frame", "unknown type");
		ck_assert(strstr(err.text, "unknown frame type") != NULL);
	}
	rta_buf_release(&body);
	rta_buf_release(&b);
}
END_TEST

/*
 * rta-format(5), "Event body": the extra object's keys "must not be
 * event_id, timestamp, event_type, tenant_id, schema_version, payload or
 * $rta, since the NDJSON form could not carry them"; and "U+0000 must not
 * occur" in strings, keys, ids or the topic.  Readers check each "must".
 */
START_TEST(decode_spec_musts)
{
	static const char *const names[] = { "event_id", "timestamp",
	    "event_type", "tenant_id", "schema_version", "payload", "$rta" };
	struct rta_buf body = RTA_BUF_INIT, pl = RTA_BUF_INIT,
	    ex = RTA_BUF_INIT, b = RTA_BUF_INIT;
	size_t k, o;

	value_of(&pl, "{}", 64);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		rta_buf_reset(&ex);
		o = rta_venc_begin(&ex, RTA_V_OBJECT);
		rta_venc_key(&ex, names[k], strlen(names[k]));
		rta_venc_string(&ex, "x", 1);
		rta_venc_end(&ex, o, 1);
		event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 1, pl.data,
		    pl.len, (uint32_t)pl.len, ex.data, ex.len);
		rta_buf_reset(&b);
		raw_frame(&b, 'E', body.data, body.len);
		ck_assert_msg(decode(&b) == RTA_EDATA, "extra key \"%s\" "
		    "accepted", names[k]);
	}
	/* U+0000 in an id, a payload string, a key, the topic */
	event_body(&body, 0, 1, "e\0", 2, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	rta_buf_reset(&b);
	raw_frame(&b, 'E', body.data, body.len);
	ck_assert_msg(decode(&b) == RTA_EDATA, "NUL in event_id accepted");
	value_of(&pl, "{\"s\":\"a\"}", 64);
	pl.data[pl.len - 1] = 0;
	event_body(&body, 0, 1, "e", 1, "t", 1, "a", 1, 0, pl.data, pl.len,
	    (uint32_t)pl.len, NULL, 0);
	rta_buf_reset(&b);
	raw_frame(&b, 'E', body.data, body.len);
	ck_assert_msg(decode(&b) == RTA_EDATA, "NUL in a string accepted");
	rta_buf_reset(&body);
	rta_buf_add_u32(&body, 1);
	rta_buf_add_u64(&body, 2);
	rta_buf_add(&body, "t\0", 2);
	rta_buf_reset(&b);
	raw_frame(&b, 'P', body.data, body.len);
	ck_assert_msg(decode(&b) == RTA_EDATA, "NUL in a topic accepted");
	rta_buf_release(&body);
	rta_buf_release(&pl);
	rta_buf_release(&ex);
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------- resync */

/* The rule of rta-format(5), "Resynchronisation", written out plainly. */
static size_t
resync_ref(const unsigned char *p, size_t avail, size_t max_body)
{
	static const unsigned char magic[8] = { 0x89, 'R', 'T', 'A', '\r',
	    '\n', 0x1a, '\n' };
	size_t i;

	for (i = 1; i < avail; i++) {
		size_t left = avail - i, m = left < 8 ? left : 8;

		if (memcmp(p + i, magic, m) == 0)
			return i;
		if (left < 12)
			return i;
		if (p[i + 5] == 0 && rta_get_u32(p + i) <= max_body &&
		    rta_get_u16(p + i + 6) == (uint16_t)crc32c_ref(p + i, 6))
			return i;
	}
	return avail;
}

static size_t
resync(const struct rta_buf *b, size_t max)
{
	unsigned char *copy = malloc(b->len > 0 ? b->len : 1);
	size_t k;

	memcpy(copy, b->data, b->len);
	k = rta_frame_resync(copy, b->len, max);
	free(copy);
	return k;
}

START_TEST(resync_finds_next)
{
	struct rta_buf b = RTA_BUF_INIT, f = RTA_BUF_INIT;
	struct rta_record r;
	size_t g;

	make_event(&r, 0, "e", "t", "a", NULL, NULL);
	ck_assert_int_eq(rta_frame_put(&f, &r), 0);
	for (g = 1; g < 40; g++) {
		/* 'x' garbage cannot pass for a header: 0x78787878 > cap */
		rta_buf_reset(&b);
		while (b.len < g)
			rta_buf_addc(&b, 'x');
		rta_buf_add(&b, f.data, f.len);
		ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), g);
		/* a stream header is found the same way */
		b.len = g;
		stream_header(&b, 1, 0);
		rta_buf_adds(&b, "tail");
		ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), g);
		/* a magic with a bad version still stops the scan */
		b.data[g + 8] = 9;
		ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), g);
	}
	/* a header that fails its check, its flags or the limit is skipped */
	rta_buf_reset(&b);
	rta_buf_adds(&b, "xx");
	rta_buf_add(&b, f.data, f.len);
	b.data[2 + 6] ^= 1;
	rta_buf_adds(&b, "xxxxxxxxxxxx");
	ck_assert_uint_ne(resync(&b, RTA_FRAME_MAX), 2);
	ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), b.len - 11);
	rta_buf_reset(&b);
	rta_buf_adds(&b, "xx");
	{
		unsigned char h[12];

		raw_header(h, 5, 'E', 4, 0);
		rta_buf_add(&b, h, 12);
		raw_header(h, 500, 'E', 0, 0);
		rta_buf_add(&b, h, 12);
	}
	rta_buf_adds(&b, "xxxxxxxxxxxxxxxxxxxx");
	ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), 14);
	ck_assert_uint_eq(resync(&b, 499), b.len - 11);
	/* the tail may be a cut header: the last 11 bytes are kept */
	rta_buf_reset(&b);
	while (b.len < 30)
		rta_buf_addc(&b, 'x');
	ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), 19);
	/* a magic cut by the end is found */
	rta_buf_reset(&b);
	rta_buf_adds(&b, "xxxxxxxxxxxxxxxxxxxx\x89RT");
	ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), 12);
	/* never 0: the damaged unit is skipped at least one byte */
	rta_buf_reset(&b);
	rta_buf_add(&b, f.data, f.len);
	ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), f.len - 11);
	rta_buf_reset(&b);
	rta_buf_addc(&b, 'x');
	ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX), 1);
	rta_buf_reset(&b);
	ck_assert_uint_eq(rta_frame_resync((const unsigned char *)"", 0,
	    RTA_FRAME_MAX), 0);
	rta_buf_release(&b);
	rta_buf_release(&f);
}
END_TEST

/* Random damage around real frames: the same answer as the rule. */
START_TEST(resync_random)
{
	struct rng r = { 31 };
	struct rta_buf b = RTA_BUF_INIT, f = RTA_BUF_INIT;
	struct rta_record rr;
	unsigned long n;

	memset(&rr, 0, sizeof(rr));
	rr.kind = RTA_REC_WATERMARK;
	for (n = 0; n < 20000; n++) {
		unsigned k, parts = 1 + rng_below(&r, 6);

		rta_buf_reset(&b);
		for (k = 0; k < parts; k++) {
			switch (rng_below(&r, 4)) {
			case 0:
				rr.watermark = (int64_t)rng_below(&r, 1000);
				rta_buf_reset(&f);
				rta_frame_put(&f, &rr);
				rta_buf_add(&b, f.data, f.len);
				break;
			case 1:
				stream_header(&b, 1, 0);
				break;
			default: {
				unsigned len = rng_below(&r, 30), i;

				for (i = 0; i < len; i++)
					rta_buf_addc(&b, rng_below(&r, 4) ?
					    (int)rng_below(&r, 256) : 0);
				break;
			}
			}
		}
		if (b.len > 0 && rng_below(&r, 2))
			b.data[rng_below(&r, (uint32_t)b.len)] ^= 0x20;
		ck_assert_uint_eq(resync(&b, RTA_FRAME_MAX),
		    resync_ref(b.data, b.len, RTA_FRAME_MAX));
		ck_assert_uint_eq(resync(&b, 100), resync_ref(b.data, b.len,
		    100));
	}
	rta_buf_release(&b);
	rta_buf_release(&f);
}
END_TEST

/* ----------------------------------------------------- through a reader */

struct got {
	int	code;
	char	what[64];
};

/* Read the bytes as a file through rta_reader; what each call gave. */
static size_t
read_stream(const struct rta_buf *bytes, struct got *g, size_t max)
{
	struct rta_reader_opts o;
	struct rta_reader *rd;
	struct rta_record rr;
	struct rta_error e;
	size_t n = 0;
	int rc;

	unit_write("stream.rta", bytes->data, bytes->len);
	rta_reader_opts_init(&o);
	ck_assert_ptr_nonnull(rd = rta_reader_new(&o));
	ck_assert_int_eq(rta_reader_open(rd, unit_path("stream.rta"), &e),
	    RTA_OK);
	while ((rc = rta_reader_next(rd, &rr, &e)) != RTA_EOF) {
		ck_assert_uint_lt(n, max);
		g[n].code = rc;
		if (rc == RTA_OK)
			snprintf(g[n].what, sizeof(g[n].what), "kind %d",
			    rr.kind);
		else
			snprintf(g[n].what, sizeof(g[n].what), "%s",
			    e.reason);
		n++;
		ck_assert(rc == RTA_OK || rc == RTA_EDATA || rc == RTA_ELIMIT);
	}
	rta_reader_free(rd);
	return n;
}

/*
 * One defect, one bad record: a stream cut inside a frame is reported as
 * "truncated" once.  The other streams end with their end frame, so that
 * nothing but the damage is reported.
 */
START_TEST(reader_damage)
{
	struct rta_buf b = RTA_BUF_INIT, f = RTA_BUF_INIT, z = RTA_BUF_INIT;
	struct rta_record r;
	struct got g[16];
	unsigned char h[12];
	size_t n, flen;

	make_event(&r, 0, "e", "t", "a", NULL, NULL);
	ck_assert_int_eq(rta_frame_put(&f, &r), 0);
	flen = f.len;
	raw_frame(&z, 'Z', "", 0);

	/* a complete stream reads clean */
	stream_header(&b, 1, 0);
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, z.data, z.len);
	n = read_stream(&b, g, 16);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(g[0].code, RTA_OK);
	ck_assert_str_eq(g[1].what, "kind 4");

	/* cut in the middle of the second frame's header */
	b.len = 12;
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, f.data, 5);
	n = read_stream(&b, g, 16);
	ck_assert_uint_ge(n, 2);
	ck_assert_int_eq(g[0].code, RTA_OK);
	ck_assert_int_eq(g[1].code, RTA_EDATA);
	ck_assert_str_eq(g[1].what, "truncated");
	ck_assert_msg(n == 2, "a cut stream gives %zu records; the third is "
	    "'%s'", n, g[2].what);

	/* one byte before the end of the body */
	b.len = 12;
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, f.data, flen - 1);
	n = read_stream(&b, g, 16);
	ck_assert_uint_ge(n, 2);
	ck_assert_int_eq(g[0].code, RTA_OK);
	ck_assert_str_eq(g[1].what, "truncated");
	ck_assert_msg(n == 2, "a cut stream gives %zu records; the third is "
	    "'%s'", n, g[2].what);

	/* remaining + 1 declared: damage, not a wait for more */
	b.len = 12;
	raw_header(h, 100, 'E', 0, 0);
	rta_buf_add(&b, h, 12);
	while (b.len < 12 + 12 + 99)
		rta_buf_addc(&b, 'x');
	n = read_stream(&b, g, 16);
	ck_assert_uint_ge(n, 1);
	ck_assert_int_eq(g[0].code, RTA_EDATA);

	/* huge lengths: one bad record, then the next frame is read */
	{
		static const uint32_t huge[] = { RTA_FRAME_MAX + 1,
		    0x7FFFFFFF, 0x80000000, 0xFFFFFFFC, 0xFFFFFFFF };
		size_t k;

		for (k = 0; k < sizeof(huge) / sizeof(huge[0]); k++) {
			b.len = 12;
			raw_header(h, huge[k], 'E', 0, 0);
			rta_buf_add(&b, h, 12);
			rta_buf_add(&b, f.data, flen);
			rta_buf_add(&b, z.data, z.len);
			n = read_stream(&b, g, 16);
			ck_assert_uint_eq(n, 3);
			ck_assert_int_eq(g[0].code, RTA_EDATA);
			ck_assert_str_eq(g[0].what, "bad-frame");
			ck_assert_int_eq(g[1].code, RTA_OK);
			ck_assert_str_eq(g[2].what, "kind 4");
		}
	}

	/* a bad CRC costs that frame only */
	b.len = 12;
	rta_buf_add(&b, f.data, flen);
	b.data[b.len - 1] ^= 1;
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, z.data, z.len);
	n = read_stream(&b, g, 16);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(g[0].what, "bad-crc");
	ck_assert_int_eq(g[1].code, RTA_OK);

	/* garbage between frames is one bad record */
	b.len = 12;
	rta_buf_add(&b, f.data, flen);
	rta_buf_adds(&b, "garbage, quite a lot of it, 0123456789");
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, z.data, z.len);
	n = read_stream(&b, g, 16);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(g[0].code, RTA_OK);
	ck_assert_int_eq(g[1].code, RTA_EDATA);
	ck_assert_int_eq(g[2].code, RTA_OK);

	/* a bad magic in a stream is damage, and the frame after it read */
	b.len = 12;
	rta_buf_add(&b, f.data, flen);
	stream_header(&b, 1, 0);
	b.data[12 + flen + 1] = 'X';
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, z.data, z.len);
	n = read_stream(&b, g, 16);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(g[0].code, RTA_OK);
	ck_assert_int_eq(g[1].code, RTA_EDATA);
	ck_assert_str_eq(g[1].what, "bad-frame");
	ck_assert_int_eq(g[2].code, RTA_OK);
	/* another version: one bad record, and the rest is not read */
	b.len = 0;
	stream_header(&b, 1, 0);
	rta_buf_add(&b, f.data, flen);
	stream_header(&b, 7, 0);
	rta_buf_add(&b, f.data, flen);
	rta_buf_add(&b, z.data, z.len);
	n = read_stream(&b, g, 16);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(g[0].code, RTA_OK);
	ck_assert_int_eq(g[1].code, RTA_EDATA);
	ck_assert_str_eq(g[1].what, "bad-version");
	rta_buf_release(&b);
	rta_buf_release(&f);
	rta_buf_release(&z);
}
END_TEST

/* ----------------------------------------------------------- identity */

/* put frame, decode, put NDJSON: the NDJSON must read back the same. */
static void
roundtrip(const struct rta_record *r, const char *ndjson)
{
	struct rta_buf f = RTA_BUF_INIT, f2 = RTA_BUF_INIT, n = RTA_BUF_INIT;
	struct rta_ndjson_parser np;
	struct rta_record back;

	ck_assert_int_eq(rta_frame_put(&f, r), 0);
	ck_assert_msg(decode(&f) == RTA_OK, "'%s': %s", ndjson, err.text);
	ck_assert_int_eq(rta_ndjson_put(&n, &rec), 0);
	ck_assert_msg(n.len == strlen(ndjson) &&
	    memcmp(n.data, ndjson, n.len) == 0, "'%s' came back as '%.*s'",
	    ndjson, (int)n.len, n.data);
	/* re-encoding the decoded record: copied or encoded anew */
	ck_assert_int_eq(rta_frame_put(&f2, &rec), 0);
	ck_assert_uint_eq(f2.len, f.len);
	ck_assert_mem_eq(f2.data, f.data, f.len);
	if (rec.kind == RTA_REC_EVENT) {
		rec.ev.frame = NULL;
		rec.ev.frame_len = 0;
		rta_buf_reset(&f2);
		ck_assert_int_eq(rta_frame_put(&f2, &rec), 0);
		ck_assert_uint_eq(f2.len, f.len);
		ck_assert_mem_eq(f2.data, f.data, f.len);
		/* and the NDJSON gives the same frame again */
		rta_ndjson_parser_init(&np);
		ck_assert_int_eq(rta_ndjson_parse(&np, n.data, n.len - 1,
		    &back, &err), RTA_OK);
		rta_buf_reset(&f2);
		ck_assert_int_eq(rta_frame_put(&f2, &back), 0);
		ck_assert_uint_eq(f2.len, f.len);
		ck_assert_mem_eq(f2.data, f.data, f.len);
		rta_ndjson_parser_release(&np);
	}
	rta_buf_release(&f);
	rta_buf_release(&f2);
	rta_buf_release(&n);
}

/* NDJSON line -> record -> frame -> record -> NDJSON. */
static void
ndjson_roundtrip(struct rta_ndjson_parser *np, const char *line)
{
	struct rta_record r;
	struct rta_buf canon = RTA_BUF_INIT;

	ck_assert_msg(rta_ndjson_parse(np, line, strlen(line), &r, &err) ==
	    RTA_OK, "'%s': %s", line, err.text);
	ck_assert_int_eq(rta_ndjson_put(&canon, &r), 0);
	rta_buf_addc(&canon, '\0');
	if (r.kind != RTA_REC_END)
		roundtrip(&r, (char *)canon.data);
	rta_buf_release(&canon);
}

START_TEST(identity_cases)
{
	static const char *const lines[] = {
		"{\"event_id\":\"e\",\"timestamp\":0,\"event_type\":\"t\","
		    "\"tenant_id\":\"a\"}",
		"{\"x\":[1,{}],\"event_id\":\"\\u00e9\\n\",\"timestamp\":"
		    "\"2026-01-01T00:00:00.5+01:00\",\"event_type\":\"t\","
		    "\"tenant_id\":\"a\",\"payload\":{\"n\":175.55,\"m\":-0,"
		    "\"s\":\"\\\"\\\\\\u001f\",\"a\":[[],{\"b\":null}]},"
		    "\"schema_version\":4294967295,\"\":\"\"}",
		"{\"$rta\":\"watermark\",\"watermark\":\"9999-12-31T23:59:59."
		    "999999Z\"}",
		"{\"$rta\":\"position\",\"topic\":\"t\\u00e9\",\"partition\":0,"
		    "\"offset\":9223372036854775807}",
		"{\"$rta\":\"end\"}",
	};
	struct rta_ndjson_parser np;
	size_t k;

	rta_ndjson_parser_init(&np);
	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
		ndjson_roundtrip(&np, lines[k]);
	rta_ndjson_parser_release(&np);
}
END_TEST

/*
 * rta-format(5), "Limits": the value of each extra key is on the second
 * level, like the payload, "so each may hold 62 further levels"; "in a
 * frame, the extra object stands for the top-level object itself".  An
 * NDJSON event with such an extra value must survive the frame.
 */
START_TEST(identity_deep_extra)
{
	struct rta_ndjson_parser np;
	struct rta_buf line = RTA_BUF_INIT;
	unsigned i;

	rta_ndjson_parser_init(&np);
	rta_buf_adds(&line, "{\"event_id\":\"e\",\"timestamp\":0,"
	    "\"event_type\":\"t\",\"tenant_id\":\"a\",\"x\":");
	for (i = 0; i < 63; i++)
		rta_buf_adds(&line, "[");
	for (i = 0; i < 63; i++)
		rta_buf_adds(&line, "]");
	rta_buf_adds(&line, "}");
	rta_buf_addc(&line, '\0');
	ndjson_roundtrip(&np, (char *)line.data);
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
}
END_TEST

/*
 * Every frame the decoder accepts must have an NDJSON form that reads
 * back (rta-format(5) forbids envelope keys in the extra object for that
 * reason).  NDJSON allows 1024 top-level members, six of them counted for
 * the envelope, so 1018 extra keys; a frame's extra object takes 1024.
 */
START_TEST(identity_wide_extra)
{
	struct rta_buf ex = RTA_BUF_INIT, n = RTA_BUF_INIT, f = RTA_BUF_INIT;
	struct rta_ndjson_parser np;
	struct rta_record r, back;
	size_t o;
	unsigned i;

	o = rta_venc_begin(&ex, RTA_V_OBJECT);
	for (i = 0; i < 1019; i++) {
		char k[16];
		int kl = snprintf(k, sizeof(k), "k%u", i);

		rta_venc_key(&ex, k, (size_t)kl);
		rta_venc_null(&ex);
	}
	rta_venc_end(&ex, o, 1019);
	make_event(&r, 0, "e", "t", "a", NULL, &ex);
	ck_assert_int_eq(rta_frame_put(&f, &r), 0);
	if (decode(&f) == RTA_OK) {
		rta_ndjson_parser_init(&np);
		ck_assert_int_eq(rta_ndjson_put(&n, &rec), 0);
		ck_assert_msg(rta_ndjson_parse(&np, n.data, n.len - 1, &back,
		    &err) == RTA_OK, "a frame with 1019 extra keys decodes, "
		    "but its NDJSON does not read back: %s", err.text);
		rta_ndjson_parser_release(&np);
	}
	rta_buf_release(&ex);
	rta_buf_release(&n);
	rta_buf_release(&f);
}
END_TEST

/*
 * rta-gen writes the same records in both encodings: its NDJSON, read
 * and framed here, must give exactly its frames, and back.
 */
START_TEST(identity_rta_gen)
{
	struct rta_gen_opts o;
	struct rta_gen *gn, *gf;
	struct rta_buf line = RTA_BUF_INIT, fr = RTA_BUF_INIT,
	    mine = RTA_BUF_INIT, back = RTA_BUF_INIT;
	struct rta_ndjson_parser np;
	struct rta_record r;
	unsigned long k;
	int64_t ts;

	rta_gen_opts_init(&o);
	o.seed = 9;
	o.disorder = 2000000;
	o.duplicates = 0.1;
	o.watermark_every = 5000000;
	ck_assert_int_eq(rta_gen_parse_types(&o, "page_view=5,purchase=3,"
	    "error=2"), 0);
	ck_assert_ptr_nonnull(gn = rta_gen_new(&o));
	ck_assert_ptr_nonnull(gf = rta_gen_new(&o));
	rta_ndjson_parser_init(&np);
	for (k = 0; k < 10000; k++) {
		rta_buf_reset(&line);
		rta_buf_reset(&fr);
		rta_buf_reset(&mine);
		ck_assert_int_eq(rta_gen_next(gn, RTA_FMT_NDJSON, &line, &ts),
		    0);
		ck_assert_int_eq(rta_gen_next(gf, RTA_FMT_RTA, &fr, &ts), 0);
		ck_assert_int_eq(rta_ndjson_parse(&np, line.data, line.len - 1,
		    &r, &err), RTA_OK);
		ck_assert_int_eq(rta_frame_put(&mine, &r), 0);
		ck_assert_msg(mine.len == fr.len && memcmp(mine.data, fr.data,
		    fr.len) == 0, "record %lu: '%.*s' frames differently", k,
		    (int)line.len - 1, line.data);
		ck_assert_int_eq(decode(&fr), RTA_OK);
		rta_buf_reset(&back);
		ck_assert_int_eq(rta_ndjson_put(&back, &rec), 0);
		ck_assert_uint_eq(back.len, line.len);
		ck_assert_mem_eq(back.data, line.data, line.len);
	}
	rta_ndjson_parser_release(&np);
	rta_gen_free(gn);
	rta_gen_free(gf);
	rta_gen_opts_release(&o);
	rta_buf_release(&line);
	rta_buf_release(&fr);
	rta_buf_release(&mine);
	rta_buf_release(&back);
}
END_TEST

/* Random events: ids, payloads and extras of every kind. */
static void
gen_json(struct rng *r, struct rta_buf *b, unsigned depth)
{
	static const char *const atom[] = { "null", "true", "false", "0",
	    "-0", "1.5e-300", "175.55", "-9223372036854775808", "\"\"",
	    "\"\\u00e9\\n\\\"\"", "\"\\ud83d\\ude00\"", "\"plain text\"",
	    "1E+2", "[]", "{}" };
	unsigned n, i;

	switch (depth < 4 ? rng_below(r, 4) : 0) {
	case 0:
	case 1:
		rta_buf_adds(b, atom[rng_below(r, sizeof(atom) /
		    sizeof(atom[0]))]);
		break;
	case 2:
		n = rng_below(r, 4);
		rta_buf_addc(b, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				rta_buf_addc(b, ',');
			gen_json(r, b, depth + 1);
		}
		rta_buf_addc(b, ']');
		break;
	default:
		n = rng_below(r, rng_below(r, 8) == 0 ? 40 : 4);
		rta_buf_addc(b, '{');
		for (i = 0; i < n; i++) {
			rta_buf_printf(b, "%s\"k%u\\u00e9\":", i > 0 ? "," : "",
			    i);
			gen_json(r, b, depth + 1);
		}
		rta_buf_addc(b, '}');
		break;
	}
}

START_TEST(identity_random)
{
	struct rng r = { 2718 };
	struct rta_ndjson_parser np;
	struct rta_buf line = RTA_BUF_INIT;
	unsigned long k;
	unsigned i, nx;

	rta_ndjson_parser_init(&np);
	for (k = 0; k < 5000; k++) {
		rta_buf_reset(&line);
		rta_buf_printf(&line, "{\"event_id\":\"id-%lu\\u00e9\","
		    "\"timestamp\":%" PRId64 ",\"event_type\":\"t%u\","
		    "\"tenant_id\":\"\\u0001\\\"%u\",\"schema_version\":%u,"
		    "\"payload\":", k, (int64_t)(rng_next(&r) %
		    253402300799999999ULL), rng_below(&r, 9), rng_below(&r, 9),
		    rng_below(&r, 3));
		rta_buf_adds(&line, "{\"v\":");
		gen_json(&r, &line, 1);
		rta_buf_adds(&line, "}");
		nx = rng_below(&r, 4);
		for (i = 0; i < nx; i++) {
			rta_buf_printf(&line, ",\"x%u\":", i);
			gen_json(&r, &line, 1);
		}
		rta_buf_adds(&line, "}");
		rta_buf_addc(&line, '\0');
		ndjson_roundtrip(&np, (char *)line.data);
	}
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
}
END_TEST

/* --------------------------------------------------------------- main */

/* ---------------------------------------------------------------- peek */

/* A stream of every kind of unit: peek walks it unit by unit, finds each
 * event's payload where the decoder does, and gives up on cut or false
 * headers without reading past the bytes it is given. */
START_TEST(peek_walks_stream)
{
	struct rta_buf b = RTA_BUF_INIT, pay = RTA_BUF_INIT;
	struct rta_frame_hint h;
	struct rta_record r;
	unsigned char *copy;
	size_t pos, size, n, cut;
	int kinds = 0;

	ck_assert_int_eq(rta_frame_put_header(&b), 0);
	value_of(&pay, "{\"user_id\":\"u1\",\"n\":1}", 8);
	make_event(&r, 5, "e1", "t", "acme", &pay, NULL);
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_WATERMARK;
	r.watermark = 7;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	ck_assert_int_eq(rta_frame_put_header(&b), 0);
	make_event(&r, 6, "e2", "type", "t", NULL, NULL);
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_END;
	ck_assert_int_eq(rta_frame_put(&b, &r), 0);

	for (pos = 0; pos < b.len; pos += size) {
		ck_assert_int_eq(rta_frame_peek(b.data + pos, b.len - pos,
		    &size, &h), 1);
		ck_assert_uint_le(size, b.len - pos);
		if (h.type == 0) {
			ck_assert_uint_eq(size, RTA_STREAM_HEADER_LEN);
			kinds |= 1;
			continue;
		}
		ck_assert_int_eq(decode_n(b.data + pos, size, 8, 16), RTA_OK);
		if (h.type == RTA_FRAME_EVENT) {
			/* decode_n decoded a copy: compare places */
			ck_assert_ptr_nonnull(h.payload);
			ck_assert_uint_eq((size_t)(h.payload - (b.data + pos)),
			    (size_t)(rec.ev.payload - rec.ev.frame));
			ck_assert_uint_eq(h.payload_len, rec.ev.payload_len);
			/* and the envelope, as the decoder read it */
			ck_assert(h.ts == rec.ev.ts);
			ck_assert_uint_eq(h.schema_version,
			    rec.ev.schema_version);
			ck_assert_uint_eq(h.id_len, rec.ev.id_len);
			ck_assert_mem_eq(h.id, rec.ev.id, h.id_len);
			ck_assert_uint_eq(h.etype_len, rec.ev.type_len);
			ck_assert_mem_eq(h.etype, rec.ev.type, h.etype_len);
			ck_assert_uint_eq(h.tenant_len, rec.ev.tenant_len);
			ck_assert_mem_eq(h.tenant, rec.ev.tenant,
			    h.tenant_len);
			kinds |= 2;
		} else {
			ck_assert_ptr_null(h.payload);
			kinds |= h.type == RTA_FRAME_WATERMARK ? 4 : 8;
		}
	}
	ck_assert_uint_eq(pos, b.len);
	ck_assert_int_eq(kinds, 15);

	/* every cut of the first event, each in a block of exactly its size
	 * (so that a sanitizer build sees any read past it) */
	pos = RTA_STREAM_HEADER_LEN;
	ck_assert_int_eq(rta_frame_peek(b.data + pos, b.len - pos, &n, &h), 1);
	for (cut = 0; cut <= n; cut++) {
		copy = malloc(cut > 0 ? cut : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, b.data + pos, cut);
		if (cut < RTA_FRAME_HEADER_LEN)
			ck_assert_int_eq(rta_frame_peek(copy, cut, &size, &h),
			    0);
		else {
			ck_assert_int_eq(rta_frame_peek(copy, cut, &size, &h),
			    1);
			ck_assert_uint_eq(size, n);
			ck_assert_int_eq(h.type, RTA_FRAME_EVENT);
			if (h.payload != NULL)
				ck_assert_uint_le((size_t)(h.payload - copy) +
				    h.payload_len, cut);
			/* the payload shows once the fixed part and strings
			 * are there, cut to what there is */
			ck_assert_int_eq(h.payload != NULL,
			    cut > RTA_FRAME_HEADER_LEN + RTA_EVENT_FIXED_LEN +
			    2 + 1 + 4);
		}
		free(copy);
	}

	/* a damaged header check, flags, a length over the limit */
	copy = malloc(n);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, b.data + pos, n);
	copy[6] ^= 1;
	ck_assert_int_eq(rta_frame_peek(copy, n, &size, &h), 0);
	copy[6] ^= 1;
	raw_header(copy, (uint32_t)(n - 12), RTA_FRAME_EVENT, 1, 0);
	ck_assert_int_eq(rta_frame_peek(copy, n, &size, &h), 0);
	raw_header(copy, RTA_FRAME_MAX + 1, RTA_FRAME_EVENT, 0, 0);
	ck_assert_int_eq(rta_frame_peek(copy, n, &size, &h), 0);
	/* a length the bytes do not hold is still told (the caller waits) */
	raw_header(copy, RTA_FRAME_MAX, RTA_FRAME_EVENT, 0, 0);
	ck_assert_int_eq(rta_frame_peek(copy, n, &size, &h), 1);
	ck_assert_uint_eq(size, RTA_FRAME_HEADER_LEN + RTA_FRAME_MAX);
	/* string lengths past the body: no payload */
	raw_header(copy, (uint32_t)(n - 12), RTA_FRAME_EVENT, 0, 0);
	copy[12 + 12] = 255;
	ck_assert_int_eq(rta_frame_peek(copy, n, &size, &h), 1);
	ck_assert_ptr_null(h.payload);
	copy[12 + 12] = 2;
	rta_put_u32(copy + 12 + 16, 0xffffffffU);
	ck_assert_int_eq(rta_frame_peek(copy, n, &size, &h), 1);
	ck_assert_ptr_null(h.payload);
	free(copy);
	rta_buf_release(&b);
	rta_buf_release(&pay);
}
END_TEST

static Suite *
frame_suite(void)
{
	Suite *s = suite_create("rta_frame");
	TCase *tc;

	tc = tcase_create("encode");
	tcase_add_test(tc, crc_reference);
	tcase_add_test(tc, encode_header);
	tcase_add_test(tc, encode_man_page_example);
	tcase_add_test(tc, encode_every_kind);
	tcase_add_test(tc, encode_refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("probe");
	tcase_add_test(tc, probe_lengths);
	tcase_add_test(tc, probe_headers);
	tcase_add_test(tc, probe_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_test(tc, decode_crc);
	tcase_add_test(tc, decode_event_lengths);
	tcase_add_test(tc, decode_event_fields);
	tcase_add_test(tc, decode_ids_every_byte);
	tcase_add_test(tc, decode_event_values);
	tcase_add_test(tc, decode_stored);
	tcase_add_test(tc, decode_limits);
	tcase_add_test(tc, decode_control_bodies);
	tcase_add_test(tc, decode_spec_musts);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("resync");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, resync_finds_next);
	tcase_add_test(tc, resync_random);
	tcase_add_test(tc, reader_damage);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("identity");
	tcase_add_test(tc, identity_cases);
	tcase_add_test(tc, identity_deep_extra);
	tcase_add_test(tc, identity_wide_extra);
	tcase_add_test(tc, identity_rta_gen);
	tcase_add_test(tc, identity_random);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);

	tc = tcase_create("peek");
	tcase_add_test(tc, peek_walks_stream);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(frame_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
