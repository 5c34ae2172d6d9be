/*
 * fuzz_hint.c: the look-ahead peeks on hostile bytes (reliability plan
 * D1, D5).
 *
 * rta_frame_peek, rta_value_member_hint and rta_value_str_hint read bytes
 * nobody has checked, so they must stay inside the bounds they are given
 * whatever the bytes say, and always finish.  The input is walked as a
 * stream the way rta-enrich walks its look-ahead (a unit at a time, a
 * byte on when nothing sensible starts there), and again on a copy whose
 * header checks and CRCs are made right so that mutations reach the
 * event bodies.  Every result must lie inside the input, and where the
 * checked decoder accepts a frame the hints must agree with it: the same
 * size and payload, and for each payload member the same value.  The
 * member hint also runs on the raw input as an object, at every offset of
 * its first 256 bytes.  Input starting "RTA-CANARY" is a planted heap
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
#include "rta_value.h"

#include "canary.h"
#include "frames.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const unsigned char *p, size_t size)
{
	size_t i;

	fprintf(stderr, "fuzz_hint: %s\nbytes:", what);
	for (i = 0; i < size && i < 256; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
	abort();
}

static const char *const keys[] = { "user_id", "a", "", "id", "k\xc3\xa9" };

/* Hints on [obj, end) for a few fixed keys: every answer inside. */
static void
probe_object(const unsigned char *obj, const unsigned char *end)
{
	const unsigned char *v;
	const char *s;
	size_t i, len;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = rta_value_member_hint(obj, end, keys[i], strlen(keys[i]));
		if (v == NULL)
			continue;
		if (v <= obj || v >= end)
			fail("member hint outside its object", obj,
			    (size_t)(end - obj));
		if (rta_value_str_hint(v, end, &s, &len) &&
		    ((const unsigned char *)s < v ||
		    len > (size_t)(end - (const unsigned char *)s)))
			fail("string hint outside its bounds", obj,
			    (size_t)(end - obj));
		/* and one level down */
		(void)rta_value_member_hint(v, end, "a", 1);
	}
}

/* On a checked object the hint finds what rta_value_member finds. */
static void
agree_object(const unsigned char *obj, size_t len)
{
	struct rta_viter it;
	const unsigned char *v, *h;
	const char *k, *s1, *s2;
	size_t kl, l1, l2;
	int a, b;

	rta_viter_init(&it, obj);
	while (rta_viter_member(&it, &k, &kl, &v)) {
		h = rta_value_member_hint(obj, obj + len, k, kl);
		if (h != rta_value_member(obj, k, kl))
			fail("member hint disagrees with the checked lookup",
			    obj, len);
		a = rta_value_str_hint(h, obj + len, &s1, &l1);
		b = rta_value_str(v, &s2, &l2);
		if (a != b || (a && (s1 != s2 || l1 != l2)))
			fail("string hint disagrees", obj, len);
		if (rta_value_tag(v) == RTA_V_OBJECT)
			agree_object(v, rta_value_size(v));
	}
	if (rta_value_member_hint(obj, obj + len, "\xff", 1) != NULL)
		fail("member hint finds a key no checked object has", obj,
		    len);
}

/* Walk the bytes as rta-enrich walks its look-ahead. */
static void
walk(const unsigned char *p, size_t size)
{
	struct rta_frame_hint h;
	struct rta_record rec;
	struct rta_error err;
	size_t pos = 0, avail, sz;

	while (pos < size) {
		avail = size - pos;
		if (!rta_frame_peek(p + pos, avail, &sz, &h)) {
			pos++;
			continue;
		}
		if (sz < RTA_FRAME_HEADER_LEN)
			fail("peek gives a unit shorter than a header",
			    p + pos, avail);
		if (h.payload != NULL) {
			if (h.type != RTA_FRAME_EVENT ||
			    h.payload < p + pos + RTA_FRAME_HEADER_LEN +
			    RTA_EVENT_FIXED_LEN || h.payload >= p + size ||
			    h.payload_len > (size_t)(p + size - h.payload))
				fail("peek's payload outside the bytes",
				    p + pos, avail);
			probe_object(h.payload, h.payload + h.payload_len);
		}
		if (h.id != NULL &&
		    ((const unsigned char *)h.id < p + pos ||
		    (const unsigned char *)h.tenant + h.tenant_len >
		    p + size || h.etype != h.id + h.id_len ||
		    h.tenant != h.etype + h.etype_len))
			fail("peek's ids outside the bytes", p + pos, avail);
		if (sz > avail) {
			pos++;
			continue;
		}
		if (h.type != 0 && rta_frame_decode(p + pos, sz,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &rec,
		    &err) == RTA_OK && rec.kind == RTA_REC_EVENT) {
			if (h.payload != rec.ev.payload ||
			    h.payload_len != rec.ev.payload_len ||
			    h.id != rec.ev.id || h.id_len != rec.ev.id_len ||
			    h.tenant != rec.ev.tenant ||
			    h.tenant_len != rec.ev.tenant_len ||
			    h.ts != rec.ev.ts)
				fail("peek disagrees with the decoder",
				    p + pos, sz);
			agree_object(rec.ev.payload, rec.ev.payload_len);
		}
		pos += sz;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_error err;
	unsigned char *q;
	size_t i;

	if (canary(data, size))
		return 0;
	walk(data, size);
	if ((q = repaired(data, size)) != NULL) {
		walk(q, size);
		free(q);
	}
	for (i = 0; i < size && i < 256; i++)
		probe_object(data + i, data + size);
	if (size > 0 && data[0] == RTA_V_OBJECT && rta_value_check(data, size,
	    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &err) == RTA_OK)
		agree_object(data, size);
	return 0;
}
