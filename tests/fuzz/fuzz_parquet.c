/*
 * fuzz_parquet.c: a Parquet file from hostile bytes.
 *
 * rta_pq_open must check the footer against the bytes and a cursor
 * every page header, body, run and index against its page before use,
 * so the input is taken whole as a file: its columns, key-value
 * metadata and statistics are read, then every column of every row
 * group in batches of 1 to 8 rows.  A batch holds between 1 and max
 * rows, validity bytes 0 or 1, string bytes that can be read (ASan
 * watches); a chunk that ends has exactly its row group's rows; a
 * failure is RTA_EDATA with a message naming the file, column, row
 * group and page, and stays the cursor's answer.  Chunks stop after
 * ROWS_MAX rows: a few bytes of RLE can claim 2^31 nulls, which are
 * read in time linear in the claim, not a bug but a slow input.  Input
 * starting "RTA-CANARY" is the planted heap over-read every target
 * carries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_err.h"
#include "rta_parquet.h"

#include "canary.h"

#define ROWS_MAX	(1u << 16)

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

static void
read_chunk(const struct rta_pq_file *f, size_t rg, size_t col, size_t max)
{
	struct rta_pq_cursor *c;
	struct rta_pq_batch b;
	struct rta_error err, again;
	uint64_t rows = 0;
	size_t k;
	int rc;

	if (rta_pq_cursor_open(f, rg, col, &c, &err) != RTA_OK)
		abort();
	while (rows < ROWS_MAX &&
	    (rc = rta_pq_cursor_next(c, max, &b, &err)) == RTA_OK) {
		if (b.n < 1 || b.n > max)
			abort();
		if ((b.i64 != NULL) + (b.f64 != NULL) + (b.s != NULL) != 1 ||
		    (b.s != NULL) != (b.slen != NULL))
			abort();
		for (k = 0; k < b.n; k++) {
			if (b.valid != NULL && b.valid[k] > 1)
				abort();
			if (b.s != NULL && b.slen[k] > 0)
				sink ^= b.s[k][0] ^ b.s[k][b.slen[k] - 1];
			else if (b.i64 != NULL)
				sink ^= (unsigned char)b.i64[k];
			else if (b.f64 != NULL)
				sink ^= (unsigned char)(b.f64[k] == 0);
		}
		rows += b.n;
	}
	if (rows < ROWS_MAX) {
		if (rc == RTA_EOF && rows != rta_pq_rowgroup_rows(f, rg))
			abort();
		if (rc != RTA_EOF) {
			if (rc != RTA_EDATA && rc != RTA_ENOMEM)
				abort();
			if (rc == RTA_EDATA &&
			    (strncmp(err.text, "fuzz: column ", 13) != 0 ||
			    strstr(err.text, ", row group ") == NULL ||
			    strstr(err.text, ": page at offset ") == NULL))
				abort();
			/* a failure is for good */
			if (rta_pq_cursor_next(c, max, &b, &again) != rc ||
			    strcmp(again.text, err.text) != 0)
				abort();
		}
	}
	rta_pq_cursor_close(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct rta_pq_column *col;
	const struct rta_pq_kv *kv;
	struct rta_pq_stats st;
	struct rta_pq_file *f;
	struct rta_error err;
	unsigned char *copy;
	uint64_t rows = 0;
	size_t rg, i, max;

	if (canary(data, size))
		return 0;
	/* an exact-size copy, so that a read past the end is caught */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (rta_pq_open(copy, size, "fuzz", &f, &err) != RTA_OK) {
		if (strncmp(err.text, "fuzz: ", 6) != 0)
			abort();
		free(copy);
		return 0;
	}
	for (i = 0; i < rta_pq_ncolumns(f); i++) {
		col = rta_pq_column(f, i);
		if (col == NULL || col->name[0] == '\0' ||
		    rta_pq_column_find(f, col->name) > i)
			abort();
	}
	if (rta_pq_created_by(f) != NULL)
		sink ^= (unsigned char)rta_pq_created_by(f)[0];
	for (i = 0; i < rta_pq_nkv(f); i++) {
		kv = rta_pq_kv(f, i);
		if (rta_pq_kv_get(f, kv->key) == NULL)
			abort();
		sink ^= (unsigned char)kv->value[0];
	}
	max = 1 + size % 8;
	for (rg = 0; rg < rta_pq_nrowgroups(f); rg++) {
		rows += rta_pq_rowgroup_rows(f, rg);
		for (i = 0; i < rta_pq_ncolumns(f); i++) {
			rta_pq_stats(f, rg, i, &st);
			if (st.has_minmax && st.min.slen > 0)
				sink ^= st.min.s[st.min.slen - 1];
			if (st.has_minmax && st.max.slen > 0)
				sink ^= st.max.s[st.max.slen - 1];
			read_chunk(f, rg, i, max);
		}
	}
	if (rows != rta_pq_nrows(f))
		abort();
	rta_pq_close(f);
	free(copy);
	return 0;
}
