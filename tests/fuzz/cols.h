/*
 * cols.h: every accessor of every record of parsed columns (rta_cols.h),
 * for the fuzz targets that read them: a read outside the body is
 * ASan's to catch.
 */
#ifndef FUZZ_COLS_H
#define FUZZ_COLS_H

#include <stdint.h>
#include <string.h>

#include "rta_cols.h"

static void
read_cols(const struct rta_cols *c)
{
	struct rta_agg_acc a;
	uint64_t sum = 0;
	uint32_t i, j;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < c->n; i++) {
		sum += (uint64_t)rta_cols_ts(c, i) + (uint64_t)rta_cols_end(c, i);
		for (j = 0; j < c->ngroup; j++)
			sum += rta_cols_gval(c, j, i)[0];
		for (j = 0; j < c->nstates; j++) {
			rta_cols_acc(c, j, i, &a);
			sum += a.n;
		}
	}
	/* keep the reads */
	if (sum == 1)
		a.n = 0;
}

#endif
