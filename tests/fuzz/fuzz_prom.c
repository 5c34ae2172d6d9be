/*
 * fuzz_prom.c: merging Prometheus text from hostile files.
 *
 * The first input byte says whether the first text is the caller's own
 * (bit 0); the rest is cut at NUL bytes into up to four texts, taken in
 * order (the first as own or as "a", the others as "b", "c", "d").  The
 * merge must hold no control byte but LF and tab, end in LF, and give
 * the same text when formatted twice; no text may have more lines dropped than
 * it has lines.  Then the merged text, taken again on its own, must come
 * back byte for byte with nothing dropped: it is valid exposition by the
 * module's own rules, which rta_prom.h and check_rta_prom.c (whose
 * checker is independent) hold to the format's.
 *
 * Any disagreement aborts.  Input starting "RTA-CANARY" is the planted
 * over-read every target carries (canary.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_prom.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const struct rta_buf *b)
{
	fprintf(stderr, "fuzz_prom: %s\n%.*s\n", what,
	    b != NULL ? (int)(b->len > 4000 ? 4000 : b->len) : 0,
	    b != NULL ? (const char *)b->data : "");
	abort();
}

static size_t
count_lines(const uint8_t *p, size_t len)
{
	size_t i, n = len > 0 && p[len - 1] != '\n';

	for (i = 0; i < len; i++)
		n += p[i] == '\n';
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	struct rta_buf out = RTA_BUF_INIT, again = RTA_BUF_INIT;
	struct rta_prom *p, *q;
	uint64_t d[RTA_PROM_NDROP], sum;
	const uint8_t *t, *nul;
	size_t i, len, n = 0;
	int own, k;

	if (canary(data, size) || size == 0)
		return 0;
	own = data[0] & 1;
	if ((p = rta_prom_new()) == NULL)
		return 0;
	for (t = data + 1, len = size - 1; n < 4; n++) {
		nul = memchr(t, 0, len);
		i = nul != NULL ? (size_t)(nul - t) : len;
		if (rta_prom_add(p, own && n == 0 ? NULL : names[n], t, i,
		    d) != RTA_OK)
			goto out;
		for (sum = 0, k = 0; k < RTA_PROM_NDROP; k++)
			sum += d[k];
		if (sum > count_lines(t, i))
			fail("more lines dropped than there are", NULL);
		if (nul == NULL)
			break;
		t += i + 1;
		len -= i + 1;
	}
	if (rta_prom_format(p, &out) != RTA_OK ||
	    rta_prom_format(p, &again) != RTA_OK)
		goto out;
	if (out.len != again.len || (out.len > 0 &&
	    memcmp(out.data, again.data, out.len) != 0))
		fail("two formats differ", &out);
	if (out.len > 0 && out.data[out.len - 1] != '\n')
		fail("no LF at the end", &out);
	for (i = 0; i < out.len; i++)
		if ((out.data[i] < 0x20 && out.data[i] != '\n' &&
		    out.data[i] != '\t') ||
		    out.data[i] == 0x7f)
			fail("a control byte written", &out);
	if ((q = rta_prom_new()) == NULL)
		goto out;
	rta_buf_reset(&again);
	if (rta_prom_add(q, "again", out.data, out.len, d) == RTA_OK &&
	    rta_prom_format(q, &again) == RTA_OK) {
		for (k = 0; k < RTA_PROM_NDROP; k++)
			if (d[k] != 0)
				fail("the merged text has lines to drop", &out);
		if (out.len != again.len || (out.len > 0 &&
		    memcmp(out.data, again.data, out.len) != 0))
			fail("the merged text, merged again, changed", &out);
	}
	rta_prom_free(q);
out:
	rta_prom_free(p);
	rta_buf_release(&out);
	rta_buf_release(&again);
	return 0;
}
