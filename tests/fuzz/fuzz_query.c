/*
 * fuzz_query.c: records from hostile bytes through a query, as
 * `rta-query --merge` takes them from curl.
 *
 * The input's first byte picks the query (bucket, group-by, which
 * aggregates: some named as states commonly are, some that must be read
 * from a state of another name); the rest is NDJSON, each line parsed as
 * a record and added.  An aggregate record's states are checked by
 * rta_agg_load and its window by the query: a refusal must be RTA_EDATA
 * "bad-aggregate" (or RTA_ENOMEM, RTA_ELIMIT), never a crash.  At the
 * end the rows are sorted and each one's results and states encoded,
 * and the states must load back.  Input starting "RTA-CANARY" is the
 * planted heap over-read every target carries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_agg.h"
#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_field.h"
#include "rta_query.h"
#include "rta_value.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const aggs[] = {
	"count",
	"count,sum:payload.x,avg:payload.x",
	"p50:payload.x,p99:payload.x,distinct:payload.s",
	"top2:payload.s,min:payload.x,max:payload.x,first:payload.x",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_ndjson_parser np;
	struct rta_agg_spec *specs;
	struct rta_agg_acc *acc;
	struct rta_field *by = NULL;
	struct rta_query_spec sp;
	struct rta_query_key key = { RTA_QK_AGG, 0, 1 };
	struct rta_query *q;
	struct rta_record rec;
	struct rta_error err;
	struct rta_buf line = RTA_BUF_INIT, b = RTA_BUF_INIT;
	size_t n, nby = 0, i, len;
	const uint8_t *p, *e, *end;
	int rc;

	if (canary(data, size) || size < 1)
		return 0;
	if (rta_agg_parse(aggs[data[0] % 4], &specs, &n, &err) != RTA_OK)
		abort();
	if ((data[0] & 4) && rta_field_list_parse("tenant_id,payload.s", &by,
	    &nby, &err) != RTA_OK)
		abort();
	memset(&sp, 0, sizeof(sp));
	sp.from = 0;
	sp.to = INT64_C(4102444800000000);	/* 2100 */
	sp.bucket = data[0] & 8 ? INT64_C(300000000) : 0;
	sp.by = by;
	sp.nby = nby;
	sp.aggs = specs;
	sp.naggs = n;
	sp.max_groups = 1000;
	if (rta_query_new(&sp, &q, &err) != RTA_OK)
		abort();
	rta_ndjson_parser_init(&np);
	for (p = data + 1, end = data + size; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		len = (size_t)(e - p);
		rta_buf_reset(&line);
		/* the reader gives the parser 16 readable bytes after a line */
		if (rta_buf_reserve(&line, len + 16) != 0)
			break;
		memcpy(line.data, p, len);
		memset(line.data + len, 0, 16);
		if (rta_ndjson_parse(&np, line.data, len, &rec, &err) != RTA_OK)
			continue;
		rc = rta_query_add(q, &rec, &err);
		if (rc != RTA_OK && rc != RTA_ENOMEM && rc != RTA_ELIMIT &&
		    (rc != RTA_EDATA || err.reason == NULL ||
		    strcmp(err.reason, "bad-aggregate") != 0))
			abort();
	}
	if (rta_query_sort(q, &key, 1, &err) != RTA_OK)
		abort();
	if ((acc = calloc(n, sizeof(*acc))) == NULL)
		abort();
	for (i = 0; i < rta_query_nrows(q); i++) {
		rta_buf_reset(&b);
		if (rta_query_results(q, i, &b) != 0 ||
		    rta_value_check(b.data, b.len, 64, 1024, &err) != RTA_OK)
			abort();
		rta_buf_reset(&b);
		if (rta_query_states(q, i, &b) != 0 ||
		    rta_agg_init(specs, n, acc, &err) != RTA_OK)
			abort();
		/* what a query writes, a query reads */
		if (rta_agg_load(specs, n, acc, b.data, &err) != RTA_OK)
			abort();
		rta_agg_release(specs, n, acc);
	}
	free(acc);
	rta_query_free(q);
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
	rta_buf_release(&b);
	rta_agg_specs_free(specs, n);
	rta_field_list_free(by, nby);
	return 0;
}
