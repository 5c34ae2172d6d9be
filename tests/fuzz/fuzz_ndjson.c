/*
 * fuzz_ndjson.c: the NDJSON record parser and the round trips through
 * both encodings (reliability plan D1, D5).
 *
 * The input is split into lines; each goes through rta_ndjson_parse().
 * For a record it accepts:
 *   - the line is JSON that jansson (JSON_REJECT_DUPLICATES) accepts too:
 *     the record parser is never laxer than the grammar;
 *   - put as NDJSON (A) and as a frame (F); F decodes, and the decoded
 *     record puts as A again and re-encodes to F, copied or anew;
 *   - A parses, puts as A and frames as F: canonical output is a fixed
 *     point in both encodings;
 *   - the reader's padded mode (16 readable bytes after the line) gives
 *     the same answer as an exact copy.
 * Any difference aborts.  Input starting "RTA-CANARY" is a planted heap
 * over-read (test D4): a sanitizer build must stop on it.
 */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_frame.h"
#include "rta_value.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const void *line, size_t len)
{
	char q[300];

	rta_quote(q, sizeof(q), line, len, 200);
	fprintf(stderr, "fuzz_ndjson: %s\nline: '%s'\n", what, q);
	abort();
}

static int
same_bytes(const struct rta_buf *a, const struct rta_buf *b)
{
	return a->len == b->len && (a->len == 0 ||
	    memcmp(a->data, b->data, a->len) == 0);
}

static struct rta_ndjson_parser np, np2, npp;
static struct rta_buf a, a2, f, f2;

static void
check_line(const unsigned char *line, size_t len)
{
	struct rta_record rec, rec2, rec3;
	struct rta_error err;
	unsigned char *padded;
	int rc, rc2, is_hdr;
	size_t size;

	rc = rta_ndjson_parse(&np, line, len, &rec, &err);
	if (rc != RTA_OK && (err.reason == NULL || (rc != RTA_EDATA &&
	    rc != RTA_ELIMIT)))
		fail("bad error report", line, len);

	/* the padded mode of the reader */
	if ((padded = malloc(len + 16)) == NULL)
		return;
	memcpy(padded, line, len);
	memset(padded + len, len % 2 ? '"' : '}', 16);
	rc2 = rta_ndjson_parse(&npp, padded, len, &rec2, &err);
	if (rc2 != rc) {
		free(padded);
		fail("padded input gives another answer", line, len);
	}
	if (rc2 == RTA_OK) {
		rta_buf_reset(&a2);
		if (rta_ndjson_put(&a2, &rec2) != 0)
			fail("put failed", line, len);
	}
	free(padded);
	if (rc != RTA_OK)
		return;

	if (memchr(line, 0, len) == NULL) {
		json_error_t jerr;
		json_t *jv = json_loadb((const char *)line, len,
		    JSON_REJECT_DUPLICATES, &jerr);

		if (jv == NULL)
			fail("a record that is not valid JSON", line, len);
		json_decref(jv);
	} else
		fail("a record with a NUL byte", line, len);

	rta_buf_reset(&a);
	if (rta_ndjson_put(&a, &rec) != 0)
		fail("put failed", line, len);
	if (!same_bytes(&a, &a2))
		fail("padded input puts other bytes", line, len);
	rta_buf_reset(&f);
	if (rta_frame_put(&f, &rec) != 0) {
		if (errno == EMSGSIZE)
			return;	/* too large for a frame: allowed */
		fail("frame put failed", line, len);
	}
	if (rta_frame_probe(f.data, f.len, RTA_FRAME_MAX, &is_hdr, &size,
	    &err) != RTA_OK || is_hdr || size != f.len)
		fail("own frame does not probe", line, len);
	if (rta_frame_decode(f.data, f.len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &rec2, &err) != RTA_OK) {
		char why[300];

		snprintf(why, sizeof(why), "own frame does not decode: %s",
		    err.text);
		fail(why, line, len);
	}
	if (rec2.kind != rec.kind)
		fail("frame changes the kind", line, len);
	rta_buf_reset(&a2);
	if (rta_ndjson_put(&a2, &rec2) != 0 || !same_bytes(&a, &a2))
		fail("NDJSON -> frame -> NDJSON differs", line, len);
	rta_buf_reset(&f2);
	if (rta_frame_put(&f2, &rec2) != 0 || !same_bytes(&f, &f2))
		fail("decoded frame re-encodes differently", line, len);
	if (rec2.kind == RTA_REC_EVENT) {
		rec2.ev.frame = NULL;
		rec2.ev.frame_len = 0;
		rta_buf_reset(&f2);
		if (rta_frame_put(&f2, &rec2) != 0 || !same_bytes(&f, &f2))
			fail("decoded frame encodes anew differently", line,
			    len);
	}
	if (rec.kind == RTA_REC_END)
		return;		/* NDJSON writes nothing for it */

	/* the canonical line is a fixed point */
	if (a.len == 0 || a.data[a.len - 1] != '\n')
		fail("put without a newline", line, len);
	if (rta_ndjson_parse(&np2, a.data, a.len - 1, &rec3, &err) != RTA_OK)
		fail("canonical output does not parse", line, len);
	rta_buf_reset(&a2);
	if (rta_ndjson_put(&a2, &rec3) != 0 || !same_bytes(&a, &a2))
		fail("canonical output is not a fixed point", line, len);
	rta_buf_reset(&f2);
	if (rta_frame_put(&f2, &rec3) != 0 || !same_bytes(&f, &f2))
		fail("canonical output frames differently", line, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const uint8_t *p = data, *end = data + size, *nl;

	if (canary(data, size))
		return 0;
	if (!ready) {
		rta_ndjson_parser_init(&np);
		rta_ndjson_parser_init(&np2);
		rta_ndjson_parser_init(&npp);
		npp.json.padded = 1;
		ready = 1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		check_line(p, (size_t)(nl - p));
		p = nl + (nl < end);
	}
	return 0;
}
