/*
 * check_rta_query.c: grouping by bucket and field values, rolling up
 * aggregate records, ordering and limits.
 *
 * Events are grouped into buckets aligned to the epoch (times before
 * 1970 included) and by payload values of every kind; aggregate records
 * made here from 1-minute windows of the same events roll up to the
 * results of the events themselves; aggregates are read from states of
 * other names that hold them (avg from sum, p99 from p95, top2 from
 * top3), and not from those that cannot; windows of another kind, longer
 * than a bucket or past the range, and raw events mixed with aggregates
 * are refused; ordering keys parse and sort as documented; max_groups
 * holds; no allocation failure crashes or leaks.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_agg.h"
#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_query.h"
#include "rta_time.h"
#include "rta_value.h"
#include "unit.h"

#define MIN	(60 * RTA_US_PER_SEC)
#define HOUR	(60 * MIN)

/* An event at ts with payload {"x": x, "s": s} (s NULL: missing). */
struct ev {
	struct rta_record	 r;
	struct rta_buf		 p;
};

static void
ev_make(struct ev *v, int64_t ts, int64_t x, const char *s)
{
	size_t off;
	uint32_t n = 1;

	rta_buf_init(&v->p);
	off = rta_venc_begin(&v->p, RTA_V_OBJECT);
	rta_venc_key(&v->p, "x", 1);
	rta_venc_int(&v->p, x);
	if (s != NULL) {
		rta_venc_key(&v->p, "s", 1);
		rta_venc_string(&v->p, s, strlen(s));
		n++;
	}
	rta_venc_end(&v->p, off, n);
	memset(&v->r, 0, sizeof(v->r));
	v->r.kind = RTA_REC_EVENT;
	v->r.ev.ts = ts;
	v->r.ev.id = "e";
	v->r.ev.id_len = 1;
	v->r.ev.type = "t";
	v->r.ev.type_len = 1;
	v->r.ev.tenant = "acme";
	v->r.ev.tenant_len = 4;
	v->r.ev.payload = v->p.data;
	v->r.ev.payload_len = v->p.len;
}

/* An aggregate record of a window [ts, end) of kind kind, group
 * {"payload.s": s}, states for specs from the events in acc. */
static void
agg_make(struct ev *v, const char *kind, int64_t ts, int64_t end,
    const char *s, const struct rta_agg_spec *specs, size_t n,
    const struct rta_agg_acc *acc)
{
	char t[RTA_TIME_LEN];
	size_t off, g;

	rta_buf_init(&v->p);
	off = rta_venc_begin(&v->p, RTA_V_OBJECT);
	rta_venc_key(&v->p, "end", 3);
	rta_time_format(t, end);
	rta_venc_string(&v->p, t, RTA_TIME_LEN);
	rta_venc_key(&v->p, "group", 5);
	g = rta_venc_begin(&v->p, RTA_V_OBJECT);
	rta_venc_key(&v->p, "payload.s", 9);
	rta_venc_string(&v->p, s, strlen(s));
	rta_venc_end(&v->p, g, 1);
	rta_venc_key(&v->p, "states", 6);
	ck_assert_int_eq(rta_agg_states(specs, n, acc, &v->p), 0);
	rta_venc_end(&v->p, off, 3);
	memset(&v->r, 0, sizeof(v->r));
	v->r.kind = RTA_REC_AGGREGATE;
	v->r.ev.ts = ts;
	v->r.ev.id = "w";
	v->r.ev.id_len = 1;
	v->r.ev.type = kind;
	v->r.ev.type_len = (uint8_t)strlen(kind);
	v->r.ev.tenant = "acme";
	v->r.ev.tenant_len = 4;
	v->r.ev.payload = v->p.data;
	v->r.ev.payload_len = v->p.len;
}

/* The number result of aggregate k of row i, or -1e300 for none. */
static double
num(const struct rta_query *q, const struct rta_agg_spec *specs, size_t i,
    size_t k)
{
	struct rta_query_row row;
	double d;

	ck_assert(rta_query_row(q, i, &row));
	return rta_agg_number(&specs[k], &row.acc[k], &d) ? d : -1e300;
}

/* Row i's value of group member k as text (strings bare). */
static const char *
gtext(const struct rta_query *q, size_t i, size_t k)
{
	static struct rta_buf b;
	struct rta_query_row row;
	struct rta_viter it;
	const unsigned char *v = NULL;
	const char *key, *s;
	size_t klen, len, j;

	ck_assert(rta_query_row(q, i, &row));
	rta_viter_init(&it, row.group);
	for (j = 0; j <= k; j++)
		ck_assert(rta_viter_member(&it, &key, &klen, &v));
	rta_buf_reset(&b);
	if (rta_value_str(v, &s, &len))
		rta_buf_add(&b, s, len);
	else
		rta_value_to_json(&b, v);
	rta_buf_add(&b, "", 1);
	return (const char *)b.data;
}

START_TEST(buckets_and_groups)
{
	struct rta_agg_spec *specs;
	struct rta_field *by;
	struct rta_query_spec sp;
	struct rta_query *q;
	struct rta_query_row row;
	struct rta_error err;
	struct ev v;
	size_t n, nby;
	static const struct {
		int64_t ts, x;
		const char *s;
	} in[] = {
		{ -HOUR - 1, 1, "a" },		/* 1969-12-31T22 */
		{ -1, 2, "a" },			/* 1969-12-31T23 */
		{ 0, 4, "a" },
		{ HOUR - 1, 8, "b" },
		{ HOUR, 16, NULL },
		{ 3 * HOUR, 32, "a" },		/* outside */
	};

	ck_assert_int_eq(rta_agg_parse("count,sum:payload.x", &specs, &n,
	    &err), RTA_OK);
	ck_assert_int_eq(rta_field_list_parse("payload.s", &by, &nby, &err),
	    RTA_OK);
	memset(&sp, 0, sizeof(sp));
	sp.from = -2 * HOUR;
	sp.to = 2 * HOUR;
	sp.bucket = HOUR;
	sp.by = by;
	sp.nby = nby;
	sp.aggs = specs;
	sp.naggs = n;
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_OK);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ev_make(&v, in[i].ts, in[i].x, in[i].s);
		ck_assert_int_eq(rta_query_add(q, &v.r, &err), RTA_OK);
		rta_buf_release(&v.p);
	}
	ck_assert_uint_eq(rta_query_counts(q)->events, 5);
	ck_assert_uint_eq(rta_query_counts(q)->outside, 1);
	ck_assert_int_eq(rta_query_sort(q, NULL, 0, &err), RTA_OK);
	ck_assert_uint_eq(rta_query_nrows(q), 5);
	/* bucket order, then the group value (null first) */
	ck_assert(rta_query_row(q, 0, &row));
	ck_assert_int_eq(row.start, -2 * HOUR);
	ck_assert_int_eq(row.end, -HOUR);
	ck_assert_str_eq(gtext(q, 0, 0), "a");
	ck_assert(num(q, specs, 0, 1) == 1);
	ck_assert(rta_query_row(q, 1, &row));
	ck_assert_int_eq(row.start, -HOUR);
	ck_assert(num(q, specs, 1, 1) == 2);
	ck_assert(rta_query_row(q, 2, &row));
	ck_assert_int_eq(row.start, 0);
	ck_assert_str_eq(gtext(q, 2, 0), "a");
	ck_assert_str_eq(gtext(q, 3, 0), "b");
	ck_assert(rta_query_row(q, 4, &row));
	ck_assert_int_eq(row.start, HOUR);
	ck_assert_str_eq(gtext(q, 4, 0), "null");
	ck_assert(num(q, specs, 4, 0) == 1);
	ck_assert(!rta_query_row(q, 5, &row));
	rta_query_free(q);

	/* one bucket for the whole range */
	sp.bucket = 0;
	sp.nby = 0;
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_OK);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ev_make(&v, in[i].ts, in[i].x, in[i].s);
		ck_assert_int_eq(rta_query_add(q, &v.r, &err), RTA_OK);
		rta_buf_release(&v.p);
	}
	ck_assert_uint_eq(rta_query_nrows(q), 1);
	ck_assert(rta_query_row(q, 0, &row));
	ck_assert_int_eq(row.start, -2 * HOUR);
	ck_assert_int_eq(row.end, 2 * HOUR);
	ck_assert(num(q, specs, 0, 1) == 31);
	rta_query_free(q);

	/* an empty range and a negative bucket are refused */
	sp.from = sp.to;
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_EINVAL);
	sp.from = 0;
	sp.bucket = -1;
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_EINVAL);
	rta_agg_specs_free(specs, n);
	rta_field_list_free(by, nby);
}
END_TEST

/*
 * Events in 1-minute windows of two groups, each window made an
 * aggregate record with the window's states: rolled up to 10 minutes
 * they give the events' own results, for aggregates asked under the
 * states' names and others they hold.
 */
START_TEST(roll_up)
{
	static const char *stored = "count,sum:payload.x,p95:payload.x,"
	    "top3:payload.x,distinct:payload.x,max:payload.x";
	static const char *asked = "count,avg:payload.x,p99:payload.x,"
	    "top2:payload.x,distinct:payload.x,max:payload.x";
	struct rta_agg_spec *st, *as;
	struct rta_agg_acc acc[6], direct[2][6];
	struct rta_field *by;
	struct rta_query_spec sp;
	struct rta_query *q;
	struct rta_error err;
	struct rta_buf r1 = RTA_BUF_INIT, r2 = RTA_BUF_INIT;
	struct ev v, w;
	size_t nst, nas, nby, m, g, i;
	const char *grp[2] = { "a", "b" };

	ck_assert_int_eq(rta_agg_parse(stored, &st, &nst, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_parse(asked, &as, &nas, &err), RTA_OK);
	ck_assert_int_eq(rta_field_list_parse("payload.s", &by, &nby, &err),
	    RTA_OK);
	memset(&sp, 0, sizeof(sp));
	sp.from = 0;
	sp.to = HOUR;
	sp.bucket = 10 * MIN;
	sp.by = by;
	sp.nby = nby;
	sp.aggs = as;
	sp.naggs = nas;
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_OK);
	for (g = 0; g < 2; g++)
		ck_assert_int_eq(rta_agg_init(as, nas, direct[g], &err),
		    RTA_OK);
	for (m = 0; m < 10; m++)
		for (g = 0; g < 2; g++) {
			ck_assert_int_eq(rta_agg_init(st, nst, acc, &err),
			    RTA_OK);
			for (i = 0; i < 7 + m * g; i++) {
				ev_make(&v, (int64_t)m * MIN + (int64_t)i,
				    (int64_t)((m * 31 + i * 7 + g) % 23),
				    grp[g]);
				ck_assert_int_eq(rta_agg_add(st, nst, acc,
				    &v.r.ev, &err), RTA_OK);
				ck_assert_int_eq(rta_agg_add(as, nas,
				    direct[g], &v.r.ev, &err), RTA_OK);
				rta_buf_release(&v.p);
			}
			agg_make(&w, "tumbling", (int64_t)m * MIN,
			    (int64_t)(m + 1) * MIN, grp[g], st, nst, acc);
			ck_assert_msg(rta_query_add(q, &w.r, &err) == RTA_OK,
			    "%s", err.text);
			rta_buf_release(&w.p);
			rta_agg_release(st, nst, acc);
		}
	ck_assert_uint_eq(rta_query_counts(q)->aggregates, 20);
	ck_assert_int_eq(rta_query_sort(q, NULL, 0, &err), RTA_OK);
	ck_assert_uint_eq(rta_query_nrows(q), 2);
	for (g = 0; g < 2; g++) {
		rta_buf_reset(&r1);
		rta_buf_reset(&r2);
		ck_assert_int_eq(rta_query_results(q, g, &r1), 0);
		ck_assert_int_eq(rta_agg_results(as, nas, direct[g], &r2), 0);
		ck_assert_msg(r1.len == r2.len &&
		    memcmp(r1.data, r2.data, r1.len) == 0,
		    "group %s: rolled up results differ", grp[g]);
		ck_assert_str_eq(gtext(q, g, 0), grp[g]);
		rta_agg_release(as, nas, direct[g]);
	}
	/* a partial result is a states object another query loads */
	rta_buf_reset(&r1);
	ck_assert_int_eq(rta_query_states(q, 0, &r1), 0);
	ck_assert_ptr_nonnull(rta_value_member(r1.data, "p99:payload.x", 13));
	rta_query_free(q);
	rta_buf_release(&r1);
	rta_buf_release(&r2);
	rta_agg_specs_free(st, nst);
	rta_agg_specs_free(as, nas);
	rta_field_list_free(by, nby);
}
END_TEST

/* One aggregate record with states for stored, added to a query of
 * asked over [0, 1 h) in buckets of bucket: the return code and err. */
static int
try_one(const char *stored, const char *asked, const char *kind,
    int64_t ts, int64_t end, int64_t bucket, struct rta_error *err)
{
	struct rta_agg_spec *st, *as;
	struct rta_agg_acc acc[8];
	struct rta_query_spec sp;
	struct rta_query *q;
	struct ev v, w;
	size_t nst, nas;
	int rc;

	ck_assert_int_eq(rta_agg_parse(stored, &st, &nst, err), RTA_OK);
	ck_assert_int_eq(rta_agg_parse(asked, &as, &nas, err), RTA_OK);
	ck_assert_int_eq(rta_agg_init(st, nst, acc, err), RTA_OK);
	ev_make(&v, ts, 5, "a");
	ck_assert_int_eq(rta_agg_add(st, nst, acc, &v.r.ev, err), RTA_OK);
	agg_make(&w, kind, ts, end, "a", st, nst, acc);
	memset(&sp, 0, sizeof(sp));
	sp.from = 0;
	sp.to = HOUR;
	sp.bucket = bucket;
	sp.aggs = as;
	sp.naggs = nas;
	ck_assert_int_eq(rta_query_new(&sp, &q, err), RTA_OK);
	rc = rta_query_add(q, &w.r, err);
	if (rc == RTA_OK)
		/* and a raw event after an aggregate is refused */
		ck_assert_int_eq(rta_query_add(q, &v.r, err), RTA_EDATA);
	rta_query_free(q);
	rta_buf_release(&v.p);
	rta_buf_release(&w.p);
	rta_agg_release(st, nst, acc);
	rta_agg_specs_free(st, nst);
	rta_agg_specs_free(as, nas);
	return rc;
}

START_TEST(states_and_refusals)
{
	struct rta_error err;

	ck_assert_int_eq(try_one("sum:payload.x", "avg:payload.x",
	    "tumbling", 0, MIN, MIN, &err), RTA_OK);
	ck_assert_int_eq(try_one("avg:payload.x", "sum:payload.x",
	    "tumbling", 0, MIN, MIN, &err), RTA_OK);
	ck_assert_int_eq(try_one("p50:payload.x", "p99.9:payload.x",
	    "tumbling", 0, MIN, MIN, &err), RTA_OK);
	ck_assert_int_eq(try_one("top3:payload.x", "top3:payload.x,"
	    "top1:payload.x", "tumbling", 0, MIN, MIN, &err), RTA_OK);
	ck_assert_int_eq(try_one("top3:payload.x", "top5:payload.x",
	    "tumbling", 0, MIN, MIN, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-aggregate");
	ck_assert_str_eq(err.text, "aggregate record w: no state gives "
	    "top5:payload.x");
	ck_assert_int_eq(try_one("count", "sum:payload.x", "tumbling", 0,
	    MIN, MIN, &err), RTA_EDATA);
	ck_assert_int_eq(try_one("sum:payload.y", "sum:payload.x",
	    "tumbling", 0, MIN, MIN, &err), RTA_EDATA);
	ck_assert_int_eq(try_one("min:payload.x", "max:payload.x",
	    "tumbling", 0, MIN, MIN, &err), RTA_EDATA);
	/* windows that cannot roll up */
	ck_assert_int_eq(try_one("count", "count", "sliding", 0, MIN, MIN,
	    &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "aggregate record w: a sliding window: "
	    "only tumbling windows roll up");
	ck_assert_int_eq(try_one("count", "count", "tumbling", 0, 2 * MIN,
	    MIN, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "aggregate record w: its window is longer "
	    "than a bucket, or crosses one");
	ck_assert_int_eq(try_one("count", "count", "tumbling", 30 *
	    RTA_US_PER_SEC, 90 * RTA_US_PER_SEC, MIN, &err), RTA_EDATA);
	ck_assert_int_eq(try_one("count", "count", "tumbling", 0, 2 * HOUR,
	    0, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "aggregate record w: its window ends "
	    "after the range");
	ck_assert_int_eq(try_one("count", "count", "tumbling", 0, HOUR, 0,
	    &err), RTA_OK);
}
END_TEST

START_TEST(ordering)
{
	struct rta_agg_spec *specs;
	struct rta_field *by;
	struct rta_query_key *keys;
	struct rta_query_spec sp;
	struct rta_query *q;
	struct rta_error err;
	struct ev v;
	size_t n, nby, nk, i;

	ck_assert_int_eq(rta_agg_parse("count,max:payload.x", &specs, &n,
	    &err), RTA_OK);
	ck_assert_int_eq(rta_field_list_parse("payload.s", &by, &nby, &err),
	    RTA_OK);
	memset(&sp, 0, sizeof(sp));
	sp.from = 0;
	sp.to = HOUR;
	sp.by = by;
	sp.nby = nby;
	sp.aggs = specs;
	sp.naggs = n;
	ck_assert_int_eq(rta_query_keys_parse(&sp, "count desc, payload.s",
	    &keys, &nk, &err), RTA_OK);
	ck_assert_uint_eq(nk, 2);
	ck_assert_int_eq(keys[0].what, RTA_QK_AGG);
	ck_assert_int_eq(keys[0].desc, 1);
	ck_assert_int_eq(keys[1].what, RTA_QK_GROUP);
	ck_assert_int_eq(keys[1].desc, 0);
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_OK);
	/* a: 1 event, b: 3, c: 3, missing: 2 */
	for (i = 0; i < 9; i++) {
		static const char *s[] = { "b", "c", NULL, "b", "c", "a", "b",
		    "c", NULL };

		ev_make(&v, (int64_t)i, (int64_t)i, s[i]);
		ck_assert_int_eq(rta_query_add(q, &v.r, &err), RTA_OK);
		rta_buf_release(&v.p);
	}
	ck_assert_int_eq(rta_query_sort(q, keys, nk, &err), RTA_OK);
	ck_assert_str_eq(gtext(q, 0, 0), "b");
	ck_assert_str_eq(gtext(q, 1, 0), "c");
	ck_assert_str_eq(gtext(q, 2, 0), "null");
	ck_assert_str_eq(gtext(q, 3, 0), "a");
	rta_free(keys);
	/* default order: null first, then strings */
	ck_assert_int_eq(rta_query_sort(q, NULL, 0, &err), RTA_OK);
	ck_assert_str_eq(gtext(q, 0, 0), "null");
	ck_assert_str_eq(gtext(q, 1, 0), "a");
	ck_assert_str_eq(gtext(q, 3, 0), "c");
	/* by an aggregate, descending */
	ck_assert_int_eq(rta_query_keys_parse(&sp, "max:payload.x desc",
	    &keys, &nk, &err), RTA_OK);
	ck_assert_int_eq(rta_query_sort(q, keys, nk, &err), RTA_OK);
	ck_assert(num(q, specs, 0, 1) == 8);
	ck_assert(num(q, specs, 3, 1) == 5);
	rta_free(keys);
	/* refusals */
	ck_assert_int_eq(rta_query_keys_parse(&sp, "nosuch", &keys, &nk,
	    &err), RTA_EINVAL);
	ck_assert_str_eq(err.text, "'nosuch' is not start, a --group-by "
	    "field or an --agg name");
	ck_assert_int_eq(rta_query_keys_parse(&sp, "count up", &keys, &nk,
	    &err), RTA_EINVAL);
	ck_assert_int_eq(rta_query_keys_parse(&sp, "count,", &keys, &nk,
	    &err), RTA_EINVAL);
	ck_assert_str_eq(err.text, "an empty name");
	ck_assert_int_eq(rta_query_keys_parse(&sp, "start desc,count", &keys,
	    &nk, &err), RTA_OK);
	ck_assert_int_eq(keys[0].what, RTA_QK_START);
	rta_free(keys);
	rta_query_free(q);
	rta_agg_specs_free(specs, n);
	rta_field_list_free(by, nby);
}
END_TEST

START_TEST(max_groups)
{
	struct rta_agg_spec *specs;
	struct rta_query_spec sp;
	struct rta_query *q;
	struct rta_error err;
	struct ev v;
	size_t n;
	int64_t i;

	ck_assert_int_eq(rta_agg_parse("count", &specs, &n, &err), RTA_OK);
	memset(&sp, 0, sizeof(sp));
	sp.from = 0;
	sp.to = HOUR;
	sp.bucket = RTA_US_PER_SEC;
	sp.aggs = specs;
	sp.naggs = n;
	sp.max_groups = 100;
	ck_assert_int_eq(rta_query_new(&sp, &q, &err), RTA_OK);
	for (i = 0; i < 100; i++) {
		ev_make(&v, i * RTA_US_PER_SEC, i, NULL);
		ck_assert_int_eq(rta_query_add(q, &v.r, &err), RTA_OK);
		rta_buf_release(&v.p);
	}
	ev_make(&v, 100 * RTA_US_PER_SEC, 0, NULL);
	ck_assert_int_eq(rta_query_add(q, &v.r, &err), RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "too-many-groups");
	/* an existing group still takes events */
	v.r.ev.ts = 5;
	ck_assert_int_eq(rta_query_add(q, &v.r, &err), RTA_OK);
	rta_buf_release(&v.p);
	rta_query_free(q);
	rta_agg_specs_free(specs, n);
}
END_TEST

/*
 * The payload {"x": 3, "s": "x"} into b, or the aggregate record payload
 * of a 1-minute window with states for specs from one such event: 0 or
 * -1 (ENOMEM).
 */
static int
child_payloads(struct rta_buf *ev, struct rta_buf *agg,
    const struct rta_agg_spec *specs, size_t n, struct rta_event *e)
{
	struct rta_agg_acc acc[3];
	struct rta_error err;
	char t[RTA_TIME_LEN];
	size_t off, g;
	int rc;

	if ((off = rta_venc_begin(ev, RTA_V_OBJECT)) == (size_t)-1 ||
	    rta_venc_key(ev, "x", 1) || rta_venc_int(ev, 3) ||
	    rta_venc_key(ev, "s", 1) || rta_venc_string(ev, "x", 1))
		return -1;
	rta_venc_end(ev, off, 2);
	e->payload = ev->data;
	e->payload_len = ev->len;
	if (rta_agg_init(specs, n, acc, &err) != RTA_OK)
		return -1;
	rta_time_format(t, MIN);
	rc = rta_agg_add(specs, n, acc, e, &err) != RTA_OK ||
	    (off = rta_venc_begin(agg, RTA_V_OBJECT)) == (size_t)-1 ||
	    rta_venc_key(agg, "end", 3) ||
	    rta_venc_string(agg, t, RTA_TIME_LEN) ||
	    rta_venc_key(agg, "group", 5) ||
	    (g = rta_venc_begin(agg, RTA_V_OBJECT)) == (size_t)-1;
	if (!rc) {
		rta_venc_end(agg, g, 0);
		rc = rta_venc_key(agg, "states", 6) ||
		    rta_agg_states(specs, n, acc, agg);
	}
	if (!rc)
		rta_venc_end(agg, off, 3);
	rta_agg_release(specs, n, acc);
	return rc ? -1 : 0;
}

/* Allocation failures: a query of raw events and one of aggregates. */
static int
alloc_child(unsigned long nth)
{
	struct rta_agg_spec *specs = NULL;
	struct rta_field *by = NULL;
	struct rta_query_spec sp;
	struct rta_query *q;
	struct rta_record r, a;
	struct rta_error err;
	struct rta_buf pe = RTA_BUF_INIT, pa = RTA_BUF_INIT;
	size_t n = 0, nby = 0;
	int64_t i;
	int rc = RTA_OK;
	char fault[64];
	void *p;

	snprintf(fault, sizeof(fault), "alloc:%lu:persistent", nth);
	setenv("RTA_FAULT", fault, 1);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_EVENT;
	r.ev.id = "e";
	r.ev.id_len = 1;
	r.ev.type = "t";
	r.ev.type_len = 1;
	r.ev.tenant = "acme";
	r.ev.tenant_len = 4;
	if (rta_agg_parse("count,p95:payload.x,top2:payload.s", &specs, &n,
	    &err) != RTA_OK || rta_field_list_parse("payload.s", &by, &nby,
	    &err) != RTA_OK || child_payloads(&pe, &pa, specs, n,
	    &r.ev) != 0)
		return 1;
	a = r;
	a.kind = RTA_REC_AGGREGATE;
	a.ev.type = "tumbling";
	a.ev.type_len = 8;
	a.ev.payload = pa.data;
	a.ev.payload_len = pa.len;
	memset(&sp, 0, sizeof(sp));
	sp.from = 0;
	sp.to = HOUR;
	sp.bucket = MIN;
	sp.by = by;
	sp.nby = nby;
	sp.aggs = specs;
	sp.naggs = n;
	if (rta_query_new(&sp, &q, &err) != RTA_OK)
		return 1;
	for (i = 0; i < 50 && rc == RTA_OK; i++) {
		r.ev.ts = i * RTA_US_PER_SEC * 7;
		rc = rta_query_add(q, &r, &err);
	}
	if (rc == RTA_OK)
		rc = rta_query_sort(q, NULL, 0, &err);
	rta_query_free(q);
	if (rc == RTA_OK && (rc = rta_query_new(&sp, &q, &err)) == RTA_OK) {
		for (i = 0; i < 3 && rc == RTA_OK; i++)
			rc = rta_query_add(q, &a, &err);
		rta_query_free(q);
	}
	rta_buf_release(&pe);
	rta_buf_release(&pa);
	rta_agg_specs_free(specs, n);
	rta_field_list_free(by, nby);
	if (rc != RTA_OK)
		return rc == RTA_ENOMEM ? 1 : 11;
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return nth == 1 ? 12 : 0;
}

START_TEST(allocation_failures)
{
	ck_assert_uint_gt(unit_alloc_failures(alloc_child, NULL), 5);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rta_query");
	TCase *tc = tcase_create("query");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, buckets_and_groups);
	tcase_add_test(tc, roll_up);
	tcase_add_test(tc, states_and_refusals);
	tcase_add_test(tc, ordering);
	tcase_add_test(tc, max_groups);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
