/*
 * fuzz_cols.c: a sealed block's columns (rta_cols.h), on hostile bytes.
 *
 * A segment's columns are read under their checksum, but the checksum
 * only says the bytes are those written: rta_cols_parse must still
 * check every count, width, length, dictionary value and index against
 * the bytes, so that a body it accepts answers every accessor, for every
 * record, from inside them (the exact-size copy makes ASan catch a read
 * past the end), and a body it refuses is refused with RTA_EDATA.  The
 * same columns object is reused, as a scan reuses it, for a second
 * parse of the input's second half.  Input starting "RTA-CANARY" is the
 * planted heap over-read every target carries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_cols.h"
#include "rta_err.h"

#include "canary.h"
#include "cols.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
parse_and_read(struct rta_cols *c, const unsigned char *p, size_t len)
{
	struct rta_error err;
	int rc;

	rc = rta_cols_parse(c, p, len, &err);
	if (rc != RTA_OK) {
		if (rc != RTA_EDATA && rc != RTA_ENOMEM)
			abort();
		return;
	}
	if (c->n == 0 || c->group == NULL || c->states == NULL)
		abort();
	read_cols(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_cols c;
	unsigned char *copy;

	if (canary(data, size))
		return 0;
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	rta_cols_init(&c);
	parse_and_read(&c, copy, size);
	parse_and_read(&c, copy + size / 2, size - size / 2);
	rta_cols_release(&c);
	free(copy);
	return 0;
}
