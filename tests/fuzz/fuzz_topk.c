/*
 * fuzz_topk.c: the top-k sketch decoder on hostile bytes.
 *
 * rta-store and rta-query decode sketches written by other machines, so
 * any bytes must either be refused with RTA_EDATA (leaving nothing
 * behind) or give a sketch that meets the header's guarantees and
 * encodes back to exactly the input.  A decoded sketch is then asked
 * for its top counters and estimates, copied, merged with itself (the
 * bounds must still hold), merged with an empty sketch both ways (which
 * must change nothing), given a few adds, and encoded and decoded again.
 * Input starting "RTA-CANARY" is the planted over-read every target
 * carries (canary.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_topk.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const uint8_t *p, size_t size)
{
	size_t i;

	fprintf(stderr, "fuzz_topk: %s\nbytes:", what);
	for (i = 0; i < size && i < 256; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
	abort();
}

static int
before(const struct rta_topk_entry *a, const struct rta_topk_entry *b)
{
	size_t m = a->len < b->len ? a->len : b->len;
	int c;

	if (a->count != b->count)
		return a->count > b->count;
	c = m > 0 ? memcmp(a->item, b->item, m) : 0;
	return c < 0 || (c == 0 && a->len < b->len);
}

/* The guarantees a sketch must meet on its own; 0 or what is wrong. */
static const char *
shape(const struct rta_topk *t)
{
	struct rta_topk_entry *e, g;
	size_t n = rta_topk_size(t), i;
	unsigned cap = rta_topk_capacity(t);
	uint64_t total = rta_topk_total(t), m = rta_topk_min(t), sum = 0;
	const char *why = NULL;

	if (n > cap)
		return "more counters than the capacity";
	if ((e = malloc((n + 1) * sizeof(*e))) == NULL)
		abort();
	if (rta_topk_top(t, e, n + 1) != n)
		why = "top gives another size";
	for (i = 0; why == NULL && i < n; i++) {
		if (i > 0 && !before(&e[i - 1], &e[i]))
			why = "top out of order";
		else if (e[i].error >= e[i].count)
			why = "error not below count";
		else if (e[i].count > total - sum)
			why = "counts above the total";
		else if (n < cap && e[i].error != 0)
			why = "inexact while not full";
		else if (n == cap && e[i].error > m)
			why = "error above the smallest count";
		else if (rta_topk_get(t, e[i].item, e[i].len, &g) != 1 ||
		    g.count != e[i].count || g.error != e[i].error)
			why = "get disagrees with top";
		else
			sum += e[i].count;
	}
	if (why == NULL && n < cap && (m != 0 || sum != total))
		why = "not full but not exact";
	if (why == NULL && n == cap && n > 0 && m != e[n - 1].count)
		why = "min is not the last count";
	free(e);
	return why;
}

static void
encode(const struct rta_topk *t, struct rta_buf *b)
{
	b->len = 0;
	if (rta_topk_encode(t, b) != 0)
		abort();
}

static int
same(const struct rta_topk *a, const struct rta_topk *b)
{
	struct rta_buf x = RTA_BUF_INIT, y = RTA_BUF_INIT;
	int r;

	encode(a, &x);
	encode(b, &y);
	r = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
	rta_buf_release(&x);
	rta_buf_release(&y);
	return r;
}

/* Encode, decode, encode: the same bytes. */
static void
round_trip(const struct rta_topk *t, const uint8_t *data, size_t size)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_topk d;

	encode(t, &b);
	if (rta_topk_decode(&d, b.data, b.len, NULL) != RTA_OK)
		fail("a sketch's own encoding is refused", data, size);
	if (!same(t, &d))
		fail("a round trip changes the sketch", data, size);
	rta_topk_release(&d);
	rta_buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_topk t, c, e;
	struct rta_topk_entry top[4], g;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	const char *why;
	size_t i;
	int rc;

	if (canary(data, size))
		return 0;
	if ((rc = rta_topk_decode(&t, data, size, &err)) != RTA_OK) {
		if (rc != RTA_EDATA || err.code != RTA_EDATA ||
		    strcmp(err.reason, "bad-sketch") != 0)
			fail("refused without RTA_EDATA bad-sketch", data,
			    size);
		if (t.slot != NULL || rta_topk_size(&t) != 0)
			fail("a refused sketch holds something", data, size);
		rta_topk_release(&t);
		return 0;
	}
	encode(&t, &b);
	if (b.len != size || memcmp(b.data, data, size) != 0)
		fail("decodes but is not canonical", data, size);
	if ((why = shape(&t)) != NULL)
		fail(why, data, size);
	(void)rta_topk_top(&t, top, 4);
	(void)rta_topk_get(&t, data, size < 16 ? size : 16, &g);

	/* merged with itself: counts and totals double */
	if (rta_topk_copy(&c, &t) != RTA_OK)
		abort();
	rc = rta_topk_merge(&c, &c, &err);
	if (rc != RTA_OK && rc != RTA_ELIMIT)
		fail("self-merge failed", data, size);
	if (rc == RTA_ELIMIT && !same(&c, &t))
		fail("a refused merge changed the sketch", data, size);
	if (rc == RTA_OK && (rta_topk_size(&c) != rta_topk_size(&t) ||
	    rta_topk_total(&c) != 2 * rta_topk_total(&t) ||
	    rta_topk_min(&c) != 2 * rta_topk_min(&t)))
		fail("self-merge does not double", data, size);
	if ((why = shape(&c)) != NULL)
		fail(why, data, size);
	round_trip(&c, data, size);

	/* an empty sketch changes nothing, either way round */
	if (rta_topk_init(&e, rta_topk_capacity(&t)) != RTA_OK)
		abort();
	if (rta_topk_merge(&e, &t, NULL) != RTA_OK || !same(&e, &t))
		fail("merging into an empty sketch changes it", data, size);
	rta_topk_reset(&e);
	rta_topk_release(&c);
	if (rta_topk_copy(&c, &t) != RTA_OK)
		abort();
	if (rta_topk_merge(&c, &e, NULL) != RTA_OK || !same(&c, &t))
		fail("merging an empty sketch changes it", data, size);

	/* a few adds go on from the decoded state */
	for (i = 0; i + 4 <= size && i < 64; i += 4) {
		rc = rta_topk_add(&c, data + i, 1 + data[i] % 4, 1 + data[i +
		    1]);
		if (rc != RTA_OK && rc != RTA_ELIMIT)
			fail("add failed", data, size);
	}
	if ((why = shape(&c)) != NULL)
		fail(why, data, size);
	round_trip(&c, data, size);

	rta_topk_release(&c);
	rta_topk_release(&e);
	rta_topk_release(&t);
	rta_buf_release(&b);
	return 0;
}
