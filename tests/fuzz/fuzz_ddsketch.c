/*
 * fuzz_ddsketch.c: the DDSketch decoder on hostile bytes, and what a
 * decoded sketch must then allow.
 *
 * Bytes that decode must be canonical (they encode back to themselves)
 * and give a sane sketch: memory within 16 * max_bins, quantiles within
 * [min, max] and not decreasing in q, a copy, a merge into a fresh
 * sketch that re-encodes to the input, a merge with itself that doubles
 * every count and decodes again, and adds that either work or fail
 * cleanly.  Bytes that do not decode must be refused as bad data (or
 * lack of memory) and leave nothing.  Input starting "RTA-CANARY" is
 * the planted heap over-read every target carries.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_ddsketch.h"
#include "rta_err.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const uint8_t *p, size_t size)
{
	size_t i;

	fprintf(stderr, "fuzz_ddsketch: %s\nbytes:", what);
	for (i = 0; i < size && i < 256; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
	abort();
}

static int
same(const struct rta_buf *b, const uint8_t *p, size_t size)
{
	return b->len == size && memcmp(b->data, p, size) == 0;
}

/* Quantiles inside [min, max], not decreasing. */
static void
queries(const struct rta_dds *s, const uint8_t *data, size_t size)
{
	double q, v, prev = -INFINITY;
	int i;

	if (rta_dds_memory(s) > 16 * (size_t)s->max_bins)
		fail("memory above the bound", data, size);
	if (rta_dds_count(s) == 0) {
		if (!isnan(rta_dds_quantile(s, 0.5)))
			fail("an empty sketch answers", data, size);
		return;
	}
	for (i = 0; i <= 40; i++) {
		q = i / 40.0;
		v = rta_dds_quantile(s, q);
		if (!(v >= rta_dds_min(s) && v <= rta_dds_max(s)))
			fail("quantile outside [min, max]", data, size);
		if (v < prev)
			fail("quantiles decrease", data, size);
		prev = v;
	}
	if (rta_dds_quantile(s, 0) != rta_dds_min(s) &&
	    rta_dds_count(s) == 1)
		fail("a single value is not its own quantile", data, size);
	(void)rta_dds_sum(s);
	(void)rta_dds_alpha(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_dds s, t, u;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	uint64_t n;
	int rc;

	if (canary(data, size))
		return 0;
	rc = rta_dds_decode(&s, data, size, &err);
	if (rc != RTA_OK) {
		if ((rc != RTA_EDATA || strcmp(err.reason, "bad-sketch") != 0)
		    && rc != RTA_ENOMEM)
			fail("wrong error", data, size);
		if (s.pos.b != NULL || s.neg.b != NULL || s.count != 0)
			fail("a refused sketch holds something", data, size);
		rta_dds_release(&s);
		return 0;
	}
	if (rta_dds_encode(&s, &b) != 0)
		goto out;
	if (!same(&b, data, size))
		fail("decoded bytes are not canonical", data, size);
	queries(&s, data, size);
	n = rta_dds_count(&s);

	/* a fresh sketch with the same parameters, merged: the same bytes */
	rta_dds_init_like(&u, &s);
	if (rta_dds_merge(&u, &s, &err) == RTA_OK) {
		rta_buf_reset(&b);
		if (rta_dds_encode(&u, &b) == 0 && !same(&b, data, size))
			fail("fresh merge differs", data, size);
		/* and the other way round changes nothing */
		rta_dds_reset(&u);
		if (rta_dds_merge(&s, &u, &err) != RTA_OK)
			fail("merging an empty sketch failed", data, size);
	}
	rta_dds_release(&u);

	/* a copy merged with the original, and the original with itself */
	if (rta_dds_copy(&t, &s) == RTA_OK) {
		rc = rta_dds_merge(&t, &s, &err);
		if (rc == RTA_OK && rta_dds_count(&t) != 2 * n)
			fail("merge miscounts", data, size);
		if (rc == RTA_EINVAL && n <= UINT64_MAX / 2)
			fail("merge refused", data, size);
		if (rc == RTA_OK) {
			queries(&t, data, size);
			rta_buf_reset(&b);
			if (rta_dds_encode(&t, &b) == 0) {
				rta_dds_release(&u);
				if (rta_dds_decode(&u, b.data, b.len, &err) ==
				    RTA_EDATA)
					fail("a merged sketch does not decode",
					    data, size);
				rta_dds_release(&u);
			}
		}
		rta_dds_release(&t);
	}
	rc = rta_dds_merge(&s, &s, &err);
	if (rc == RTA_OK)
		queries(&s, data, size);

	/* adds at the edges */
	(void)rta_dds_add(&s, 0);
	if (rta_dds_count(&s) > 0) {
		(void)rta_dds_add(&s, rta_dds_min(&s) * 3);
		(void)rta_dds_add(&s, rta_dds_max(&s) / 7);
	}
	(void)rta_dds_add_n(&s, -1e300, 5);
	queries(&s, data, size);
out:
	rta_dds_release(&s);
	rta_buf_release(&b);
	return 0;
}
