/*
 * fuzz_hll.c: the distinct-count sketch's decoder on hostile bytes.
 *
 * Sketches arrive from other programs and machines (aggregate records,
 * stored windows), so rta_hll_decode must stay inside the bytes, bound
 * what it allocates and always finish.  Whatever decodes must be
 * canonical (it re-encodes to the very bytes) and usable: its estimate
 * is a finite number, it merges with itself (the count doubles, the
 * rest stays), into a fresh sketch of the largest precision (the same
 * bytes come out) and of the smallest (the precision folds), takes more
 * values, and encodes again to bytes that decode.  The input is also
 * tried from every one of its first 64 offsets, so that the fixed
 * corpus seeds reach the sparse and dense parsers with shifted bytes.
 * Input starting "RTA-CANARY" is a planted heap over-read: a sanitizer
 * build must stop on it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_hll.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const unsigned char *p, size_t size)
{
	size_t i;

	fprintf(stderr, "fuzz_hll: %s\nbytes:", what);
	for (i = 0; i < size && i < 256; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
	abort();
}

static int
encodes_to(const struct rta_hll *h, struct rta_buf *b, const void *p,
    size_t len)
{
	b->len = 0;
	if (rta_hll_encode(h, b) != 0)
		return -1;
	return b->len == len && memcmp(b->data, p, len) == 0;
}

/* What a decoded sketch must do. */
static void
exercise(struct rta_hll *h, const unsigned char *p, size_t len)
{
	struct rta_hll c, f;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	double e = rta_hll_estimate(h);
	uint64_t count = rta_hll_count(h);
	unsigned prec = rta_hll_precision(h);

	if (encodes_to(h, &b, p, len) != 1)
		fail("a decoded sketch re-encodes to other bytes", p, len);
	if (!isfinite(e) || e < 0)
		fail("an estimate that is no count", p, len);
	if (rta_hll_memory(h) > (size_t)1 << prec)
		fail("more memory than the bound", p, len);
	/* a fresh sketch of the largest precision takes it unchanged */
	if (rta_hll_init(&f, RTA_HLL_P_MAX) != RTA_OK ||
	    rta_hll_merge(&f, h, &err) != RTA_OK)
		fail("merge into a fresh sketch failed", p, len);
	if (encodes_to(&f, &b, p, len) != 1)
		fail("merge into a fresh sketch changed it", p, len);
	rta_hll_release(&f);
	/* and one of the smallest folds it */
	if (rta_hll_init(&f, RTA_HLL_P_MIN) != RTA_OK ||
	    rta_hll_merge(&f, h, &err) != RTA_OK ||
	    rta_hll_precision(&f) != RTA_HLL_P_MIN ||
	    rta_hll_count(&f) != count)
		fail("merge into a sketch of the smallest precision", p, len);
	rta_hll_release(&f);
	if (rta_hll_copy(&c, h) != 0)
		fail("copy failed", p, len);
	if (rta_hll_merge(&c, &c, &err) != RTA_OK ||
	    rta_hll_merge(h, h, &err) != RTA_OK)
		fail("self merge failed", p, len);
	if (rta_hll_estimate(h) != e || rta_hll_estimate(&c) != e ||
	    (count < UINT64_MAX / 2 && rta_hll_count(h) != 2 * count))
		fail("self merge changed more than the count", p, len);
	if (rta_hll_add(&c, p, len) != 0 || rta_hll_add_hash(&c, 0) != 0)
		fail("add failed", p, len);
	b.len = 0;
	if (rta_hll_encode(&c, &b) != 0)
		fail("encode failed", p, len);
	rta_hll_release(&c);
	if (rta_hll_decode(&c, b.data, b.len, &err) != RTA_OK)
		fail("an encoding that does not decode", p, len);
	rta_hll_release(&c);
	rta_buf_release(&b);
}

static void
try(const unsigned char *p, size_t len)
{
	struct rta_hll h;
	struct rta_error err;
	int rc;

	rta_error_clear(&err);
	rc = rta_hll_decode(&h, p, len, &err);
	if (rc == RTA_OK)
		exercise(&h, p, len);
	else if (rc != RTA_EDATA || err.code != RTA_EDATA ||
	    strcmp(err.reason, "bad-sketch") != 0 || err.offset > len ||
	    rta_hll_memory(&h) != 0)
		fail("a rejection that is not RTA_EDATA bad-sketch", p, len);
	rta_hll_release(&h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	if (canary(data, size))
		return 0;
	for (i = 0; i < size && i < 64; i++)
		try(data + i, size - i);
	return 0;
}
