/*
 * fuzz_frame.c: the frame decoder on hostile binary streams (reliability
 * plan D1, D5, H2).
 *
 * The input is read as a stream the way lib/rta_reader.c reads one: probe
 * each unit, skip stream headers, stop at a stream of another version,
 * decode frames, and resynchronise after a damaged header, a bad CRC or a
 * frame that runs past the end.  Then the same again on a copy whose
 * header checks and CRCs are recomputed, so that mutations reach the body
 * decoder instead of dying on a checksum.  For every record decoded:
 *   - it re-encodes to the same bytes, copied or encoded anew, and those
 *     decode again;
 *   - its NDJSON form parses and puts the same text again (every record a
 *     frame can carry, NDJSON can carry);
 *   - when its values are canonical (no computed doubles, number texts
 *     whose double is the nearest one, no empty extra object) that NDJSON
 *     frames to the very same bytes.
 * Each frame is also decoded as a store segment's block has it decoded
 * (RTA_DECODE_SUMMED: the checksum taken as verified, only the values'
 * shape checked), from an exact-size copy: whatever it takes must be
 * walked and put as NDJSON without a read outside it, and what the full
 * decode takes it takes alike.
 * Any difference aborts.  Input starting "RTA-CANARY" is a planted heap
 * over-read (test D4): a sanitizer build must stop on it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_frame.h"
#include "rta_json.h"
#include "rta_value.h"

#include "canary.h"
#include "frames.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const unsigned char *frame, size_t size)
{
	size_t i;

	fprintf(stderr, "fuzz_frame: %s\nframe:", what);
	for (i = 0; i < size && i < 256; i++)
		fprintf(stderr, " %02x", frame[i]);
	fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
	abort();
}

static int
same_bytes(const struct rta_buf *b, const unsigned char *p, size_t n)
{
	return b->len == n && memcmp(b->data, p, n) == 0;
}

static struct rta_json nj;
static struct rta_buf scratch;

/* 1 if NDJSON would carry v back to exactly these bytes. */
static int
canonical(const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *k;
	size_t kl;
	struct rta_error err;

	switch (rta_value_tag(v)) {
	case RTA_V_DOUBLE:
		return 0;	/* it comes back as a number with text */
	case RTA_V_NUMBER:
		/* the text must read back as a number with this double */
		rta_buf_reset(&scratch);
		if (rta_json_document(&nj, v + 13, rta_get_u32(v + 9),
		    &scratch, &err) != RTA_OK ||
		    rta_value_tag(scratch.data) != RTA_V_NUMBER)
			return 0;
		return memcmp(scratch.data + 1, v + 1, 8) == 0;
	case RTA_V_ARRAY:
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &item))
			if (!canonical(item))
				return 0;
		return 1;
	case RTA_V_OBJECT:
		rta_viter_init(&it, v);
		while (rta_viter_member(&it, &k, &kl, &item))
			if (!canonical(item))
				return 0;
		return 1;
	default:
		return 1;
	}
}

static struct rta_ndjson_parser np;
static struct rta_buf enc, nd, nd2, enc2;

static void
check_record(const unsigned char *frame, size_t size,
    struct rta_record *rec)
{
	struct rta_record again, back;
	struct rta_error err;
	int canon = 1;

	/* the same bytes, copied... */
	rta_buf_reset(&enc);
	if (rta_frame_put(&enc, rec) != 0 || !same_bytes(&enc, frame, size))
		fail("re-encoding gives other bytes", frame, size);
	/* ...or encoded anew */
	if (rec->kind == RTA_REC_EVENT) {
		rec->ev.frame = NULL;
		rec->ev.frame_len = 0;
		rta_buf_reset(&enc);
		if (rta_frame_put(&enc, rec) != 0 ||
		    !same_bytes(&enc, frame, size))
			fail("encoding anew gives other bytes", frame, size);
	}
	if (rta_frame_decode(enc.data, enc.len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &again, &err) != RTA_OK ||
	    again.kind != rec->kind)
		fail("re-encoded frame does not decode", frame, size);

	/* NDJSON carries it, and back */
	rta_buf_reset(&nd);
	if (rta_ndjson_put(&nd, rec) != 0)
		fail("NDJSON put failed", frame, size);
	if (rec->kind == RTA_REC_END) {
		if (nd.len != 0)
			fail("an end record in NDJSON", frame, size);
		return;
	}
	if (rta_ndjson_parse(&np, nd.data, nd.len - 1, &back, &err) !=
	    RTA_OK) {
		char why[300];

		snprintf(why, sizeof(why), "its NDJSON does not parse (%s): "
		    "%.*s", err.text, (int)(nd.len > 160 ? 160 : nd.len),
		    nd.data);
		fail(why, frame, size);
	}
	rta_buf_reset(&nd2);
	if (rta_ndjson_put(&nd2, &back) != 0 || nd2.len != nd.len ||
	    memcmp(nd2.data, nd.data, nd.len) != 0)
		fail("its NDJSON is not a fixed point", frame, size);
	if (rec->kind == RTA_REC_EVENT || rec->kind == RTA_REC_AGGREGATE)
		canon = canonical(rec->ev.payload) && (rec->ev.extra == NULL ||
		    (rta_value_count(rec->ev.extra) > 0 &&
		    canonical(rec->ev.extra)));
	if (canon) {
		rta_buf_reset(&enc2);
		if (rta_frame_put(&enc2, &back) != 0 ||
		    !same_bytes(&enc2, frame, size))
			fail("frame -> NDJSON -> frame differs", frame, size);
	}
}

/* The frame decoded as from a verified segment block (see the top). */
static void
check_summed(const unsigned char *p, size_t sz, int full)
{
	struct rta_record rec;
	struct rta_error err;
	unsigned char *copy;
	int rc;

	if ((copy = malloc(sz)) == NULL)
		return;
	memcpy(copy, p, sz);
	rc = rta_frame_decode_padded(copy, sz, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, RTA_DECODE_SUMMED, &rec, &err);
	if (full == RTA_OK && rc != RTA_OK)
		fail("a good frame refused as from a block", p, sz);
	if (rc == RTA_OK && rec.kind != RTA_REC_END) {
		rta_buf_reset(&nd);
		if (rta_ndjson_put(&nd, &rec) != 0)
			fail("NDJSON put failed (block)", p, sz);
	}
	free(copy);
}

/* Read the bytes as a stream, as rta_reader does. */
static void
run_stream(const unsigned char *p, size_t size)
{
	struct rta_record rec;
	struct rta_error err;
	size_t pos = 0, avail, sz, k;
	int rc, is_hdr;

	while (pos < size) {
		avail = size - pos;
		rc = rta_frame_probe(p + pos, avail, RTA_FRAME_MAX, &is_hdr,
		    &sz, &err);
		if (rc == RTA_EOF)
			break;		/* a cut header: truncated */
		if (rc != RTA_OK) {
			if (err.reason != NULL &&
			    strcmp(err.reason, "bad-version") == 0)
				break;	/* the rest is not readable */
			k = rta_frame_resync(p + pos, avail, RTA_FRAME_MAX);
			if (k == 0 || k > avail)
				fail("resync went nowhere", p + pos, avail);
			pos += k;
			continue;
		}
		if (is_hdr) {
			pos += sz;
			continue;
		}
		if (sz > avail) {
			/* truncated, or a false length: look at the rest */
			pos += rta_frame_resync(p + pos, avail, RTA_FRAME_MAX);
			continue;
		}
		rc = rta_frame_decode(p + pos, sz, RTA_VALUE_MAX_DEPTH,
		    RTA_VALUE_MAX_MEMBERS, &rec, &err);
		check_summed(p + pos, sz, rc);
		if (rc == RTA_OK)
			check_record(p + pos, sz, &rec);
		else if (err.reason == NULL || (rc != RTA_EDATA &&
		    rc != RTA_ELIMIT))
			fail("bad error report", p + pos, sz);
		else if (strcmp(err.reason, "bad-crc") == 0) {
			/* the length may be what is wrong: scan from here */
			pos += rta_frame_resync(p + pos, avail, RTA_FRAME_MAX);
			continue;
		}
		pos += sz;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	unsigned char *q;

	if (canary(data, size))
		return 0;
	if (!ready) {
		rta_json_init(&nj);
		rta_ndjson_parser_init(&np);
		ready = 1;
	}
	run_stream(data, size);
	if ((q = repaired(data, size)) != NULL) {
		run_stream(q, size);
		free(q);
	}
	return 0;
}
