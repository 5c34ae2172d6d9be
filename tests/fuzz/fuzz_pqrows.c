/*
 * fuzz_pqrows.c: Parquet rows as records, on hostile bytes.
 *
 * rta-cat reads any file that starts with PAR1, and a cold store's files
 * carry JSON metadata (rta.columns, rta.objects) that says where each
 * column goes in the record; anyone who can write the file chooses it.
 * rta_pqrows must refuse or survive every such file: each row it gives
 * is one JSON object that the NDJSON decoder reads or rejects with a
 * message, never a crash or a read outside the bytes.  The row numbers
 * rise by one.  Input starting "RTA-CANARY" is the planted heap
 * over-read every target carries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_pqrows.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_ndjson_parser np;
	struct rta_buf line = RTA_BUF_INIT;
	struct rta_pqrows *pr;
	struct rta_record rec;
	struct rta_error err;
	unsigned char *copy;
	uint64_t row, last = 0;
	int rc, n = 0;

	if (canary(data, size))
		return 0;
	/* an exact-size copy, so that a read past the end is caught */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (rta_pqrows_open(copy, size, "fuzz.parquet",
	    "cold/ds/tenant_id=t%2F1/year=2026/month=1/day=1/f.parquet", &pr,
	    &err) != RTA_OK) {
		free(copy);
		return 0;
	}
	rta_ndjson_parser_init(&np);
	while (n++ < 100000 &&
	    (rc = rta_pqrows_next(pr, &line, &row, &err)) != RTA_EOF) {
		if (rc == RTA_EIO || rc == RTA_ENOMEM)
			break;
		if (row != last + 1)
			abort();
		last = row;
		if (rc != RTA_OK)
			continue;
		if (line.len < 2 || line.data[0] != '{' ||
		    line.data[line.len - 1] != '}')
			abort();
		(void)rta_ndjson_parse(&np, line.data, line.len, &rec, &err);
	}
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
	rta_pqrows_close(pr);
	free(copy);
	return 0;
}
