/*
 * check_rta_agg.c: aggregate specs, accumulators, results and states.
 *
 * The list grammar, accepted and refused; each aggregate's result on
 * streams whose answers are computed here directly; merging: a stream
 * cut at random points into parts, each part accumulated, the states
 * written, loaded back and merged in a random order, gives the results
 * of the whole stream (exactly for the exact aggregates, within the
 * sketches' bounds for the others); states that are damaged or of
 * another type are refused.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_agg.h"
#include "rta_buf.h"
#include "rta_value.h"
#include "unit.h"

struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* An event with payload {"x": <x>, "s": "<s>"} (x an int or a double,
 * or absent when x_kind is 0) at time ts. */
struct ev {
	struct rta_event	 e;
	struct rta_buf		 p;
};

static void
ev_make(struct ev *v, int64_t ts, int x_kind, int64_t xi, double xd,
    const char *s)
{
	size_t off;
	uint32_t n = 0;

	rta_buf_init(&v->p);
	off = rta_venc_begin(&v->p, RTA_V_OBJECT);
	if (x_kind != 0) {
		rta_venc_key(&v->p, "x", 1);
		if (x_kind == 1)
			rta_venc_int(&v->p, xi);
		else
			rta_venc_double(&v->p, xd);
		n++;
	}
	if (s != NULL) {
		rta_venc_key(&v->p, "s", 1);
		rta_venc_string(&v->p, s, strlen(s));
		n++;
	}
	rta_venc_end(&v->p, off, n);
	memset(&v->e, 0, sizeof(v->e));
	v->e.ts = ts;
	v->e.id = "e";
	v->e.id_len = 1;
	v->e.type = "t";
	v->e.type_len = 1;
	v->e.tenant = "acme";
	v->e.tenant_len = 4;
	v->e.payload = v->p.data;
	v->e.payload_len = v->p.len;
}

static void
specs_of(const char *list, struct rta_agg_spec **sp, size_t *n)
{
	struct rta_error err;

	ck_assert_msg(rta_agg_parse(list, sp, n, &err) == RTA_OK, "%s: %s",
	    list, err.text);
}

/* The results object as JSON text. */
static char *
results_json(const struct rta_agg_spec *sp, size_t n,
    const struct rta_agg_acc *acc)
{
	struct rta_buf v = RTA_BUF_INIT, j = RTA_BUF_INIT;

	ck_assert_int_eq(rta_agg_results(sp, n, acc, &v), 0);
	ck_assert_int_eq(rta_value_to_json(&j, v.data), 0);
	rta_buf_addc(&j, '\0');
	rta_buf_release(&v);
	return (char *)j.data;
}

START_TEST(parse_lists)
{
	static const char *const good[] = {
		"count", "sum:payload.x", "count,avg:payload.x,p99.9:payload.x",
		"p0:payload.x,p100:payload.x,p50:payload.x",
		"top1:payload.s,top100:payload.s", "distinct:tenant_id",
		"first:payload.a\\.b,last:timestamp,stddev:payload.x",
		"min:payload.x,max:payload.x",
	};
	static const char *const bad[] = {
		"", ",", "count,", "count,count", "count:payload.x", "sum",
		"sum:", "median:payload.x", "p:payload.x", "p101:payload.x",
		"p9.:payload.x", "p.5:payload.x", "p1.2.3:payload.x",
		"top0:payload.s", "top101:payload.s", "top:payload.s",
		"topx:payload.s", "top05:payload.s", "sum:payload.", "sum:foo",
		"Count",
	};
	struct rta_agg_spec *sp;
	struct rta_error err;
	size_t n, i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		specs_of(good[i], &sp, &n);
		rta_agg_specs_free(sp, n);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(rta_agg_parse(bad[i], &sp, &n, &err) ==
		    RTA_EINVAL, "'%s' accepted", bad[i]);
		ck_assert_msg(strcmp(err.reason, strcmp(bad[i], "sum:foo") ==
		    0 || strcmp(bad[i], "sum:payload.") == 0 ? "bad-field" :
		    "bad-agg") == 0, "'%s': %s", bad[i], err.reason);
	}
	specs_of("p99.9:payload.x,top7:payload.s", &sp, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(sp[0].kind, RTA_AGG_QUANTILE);
	ck_assert(fabs(sp[0].q - 0.999) < 1e-12);
	ck_assert_int_eq(sp[1].kind, RTA_AGG_TOPK);
	ck_assert_uint_eq(sp[1].k, 7);
	ck_assert_str_eq(sp[1].name, "top7:payload.s");
	rta_agg_specs_free(sp, n);
}
END_TEST

/* Exact aggregates on a small stream, against answers worked out here. */
START_TEST(exact_results)
{
	struct rta_agg_spec *sp;
	struct rta_agg_acc acc[9];
	struct rta_error err;
	struct ev v;
	size_t n;
	char *j;

	specs_of("count,sum:payload.x,avg:payload.x,min:payload.x,"
	    "max:payload.x,stddev:payload.x,first:payload.s,last:payload.s,"
	    "sum:payload.s", &sp, &n);
	ck_assert_int_eq(rta_agg_init(sp, n, acc, &err), RTA_OK);
	j = results_json(sp, n, acc);
	ck_assert_str_eq(j, "{\"count\":0,\"sum:payload.x\":0,"
	    "\"avg:payload.x\":null,\"min:payload.x\":null,"
	    "\"max:payload.x\":null,\"stddev:payload.x\":null,"
	    "\"first:payload.s\":null,\"last:payload.s\":null,"
	    "\"sum:payload.s\":0}");
	free(j);
	/* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7 */
	ev_make(&v, 30, 1, 2, 0, "c");
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 10, 1, 4, 0, "b");
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 10, 1, 4, 0, "a");		/* same time: "a" first */
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 50, 0, 0, 0, "z");		/* no x */
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 20, 1, 4, 0, NULL);
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 20, 1, 5, 0, NULL);
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 20, 2, 0, 5.0, NULL);
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 20, 1, 7, 0, NULL);
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	ev_make(&v, 20, 1, 9, 0, "y");
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	j = results_json(sp, n, acc);
	ck_assert_str_eq(j, "{\"count\":9,\"sum:payload.x\":40.0,"
	    "\"avg:payload.x\":5.0,\"min:payload.x\":2,\"max:payload.x\":9,"
	    "\"stddev:payload.x\":2.138089935299395,"
	    "\"first:payload.s\":\"a\",\"last:payload.s\":\"z\","
	    "\"sum:payload.s\":0}");
	free(j);
	rta_agg_release(sp, n, acc);
	rta_agg_specs_free(sp, n);
}
END_TEST

/* An integer sum leaves the i64 range: it becomes a double. */
START_TEST(sum_overflow)
{
	struct rta_agg_spec *sp;
	struct rta_agg_acc acc[1];
	struct rta_error err;
	struct ev v;
	size_t n;
	char *j;

	specs_of("sum:payload.x", &sp, &n);
	rta_agg_init(sp, n, acc, &err);
	ev_make(&v, 1, 1, INT64_MAX, 0, NULL);
	rta_agg_add(sp, n, acc, &v.e, &err);
	j = results_json(sp, n, acc);
	ck_assert_str_eq(j, "{\"sum:payload.x\":9223372036854775807}");
	free(j);
	rta_agg_add(sp, n, acc, &v.e, &err);
	rta_buf_release(&v.p);
	j = results_json(sp, n, acc);
	ck_assert_str_eq(j, "{\"sum:payload.x\":1.8446744073709552e+19}");
	free(j);
	rta_agg_release(sp, n, acc);
	rta_agg_specs_free(sp, n);
}
END_TEST

#define LIST	"count,sum:payload.x,avg:payload.x,min:payload.x," \
	"max:payload.x,stddev:payload.x,first:payload.s,last:payload.x," \
	"distinct:payload.s,p50:payload.x,p99:payload.x,top3:payload.s"
#define NAGG	12

/*
 * Accumulate part of a stream, write its states, and load them into a
 * fresh set (the way a store reads them back).
 */
static void
through_states(const struct rta_agg_spec *sp, size_t n,
    struct rta_agg_acc *acc, struct rta_agg_acc *back)
{
	struct rta_buf st = RTA_BUF_INIT, again = RTA_BUF_INIT;
	struct rta_error err;

	ck_assert_int_eq(rta_agg_states(sp, n, acc, &st), 0);
	ck_assert_int_eq(rta_value_check(st.data, st.len, 64, 10000, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_agg_init(sp, n, back, &err), RTA_OK);
	ck_assert_msg(rta_agg_load(sp, n, back, st.data, &err) == RTA_OK,
	    "%s", err.text);
	/* loading then writing gives the same bytes */
	ck_assert_int_eq(rta_agg_states(sp, n, back, &again), 0);
	if (again.len != st.len || memcmp(again.data, st.data, st.len) != 0) {
		struct rta_buf j1 = RTA_BUF_INIT, j2 = RTA_BUF_INIT;

		rta_value_to_json(&j1, st.data);
		rta_value_to_json(&j2, again.data);
		ck_abort_msg("states\n%.*s\nloaded and written\n%.*s",
		    (int)j1.len, j1.data, (int)j2.len, j2.data);
	}
	ck_assert_mem_eq(again.data, st.data, st.len);
	rta_buf_release(&st);
	rta_buf_release(&again);
}

START_TEST(merge_equals_whole)
{
	struct rta_agg_spec *sp;
	struct rta_agg_acc whole[NAGG], part[8][NAGG], back[8][NAGG], *m;
	struct rta_error err;
	struct rng r = { (uint64_t)_i * 7919 + 3 };
	struct ev v;
	size_t n, i, k, nparts, cut[9], len = 3000 + (size_t)_i * 500;
	int order[8];
	char *a, *b, s[16];

	specs_of(LIST, &sp, &n);
	ck_assert_uint_eq(n, NAGG);
	nparts = 2 + (size_t)(rng_next(&r) % 7);
	cut[0] = 0;
	cut[nparts] = len;
	for (k = 1; k < nparts; k++)
		cut[k] = (size_t)(rng_next(&r) % len);
	/* sort the cuts */
	for (k = 1; k < nparts; k++)
		for (i = k + 1; i < nparts; i++)
			if (cut[i] < cut[k]) {
				size_t t = cut[i];

				cut[i] = cut[k];
				cut[k] = t;
			}
	rta_agg_init(sp, n, whole, &err);
	for (k = 0; k < nparts; k++)
		rta_agg_init(sp, n, part[k], &err);
	for (i = 0, k = 0; i < len; i++) {
		int64_t ts = (int64_t)(rng_next(&r) % 1000);
		int integral = _i % 2 == 0;
		double x = rng_unit(&r) * 1000 - 100;

		while (i >= cut[k + 1])
			k++;
		/* fewer values than top3's 64 counters: exact */
		snprintf(s, sizeof(s), "u%u", (unsigned)(rng_next(&r) % 20 *
		    (rng_next(&r) % 3)));
		ev_make(&v, ts, integral ? 1 : 2, (int64_t)x, x, s);
		ck_assert_int_eq(rta_agg_add(sp, n, whole, &v.e, &err),
		    RTA_OK);
		ck_assert_int_eq(rta_agg_add(sp, n, part[k], &v.e, &err),
		    RTA_OK);
		rta_buf_release(&v.p);
	}
	for (k = 0; k < nparts; k++) {
		through_states(sp, n, part[k], back[k]);
		order[k] = (int)k;
	}
	for (k = nparts - 1; k > 0; k--) {
		size_t j = (size_t)(rng_next(&r) % (k + 1));
		int t = order[k];

		order[k] = order[j];
		order[j] = t;
	}
	for (k = 1; k < nparts; k++)
		ck_assert_int_eq(rta_agg_merge(sp, n, back[order[0]],
		    back[order[k]], &err), RTA_OK);
	m = back[order[0]];
	for (i = 0; i < n; i++) {
		a = results_json(&sp[i], 1, &whole[i]);
		b = results_json(&sp[i], 1, &m[i]);
		if (sp[i].kind == RTA_AGG_STDDEV) {
			/* pairwise updates round differently */
			ck_assert(fabs(whole[i].m2 - m[i].m2) <=
			    1e-9 * whole[i].m2);
			ck_assert(fabs(whole[i].mean - m[i].mean) <=
			    1e-9 * fabs(whole[i].mean) + 1e-12);
		} else if (_i % 2 == 1 && (sp[i].kind == RTA_AGG_SUM ||
		    sp[i].kind == RTA_AGG_AVG)) {
			/* doubles: by the order of additions */
			ck_assert(fabs(whole[i].sum - m[i].sum) <=
			    1e-9 * fabs(whole[i].sum) + 1e-9);
			ck_assert_uint_eq(whole[i].n, m[i].n);
		} else
			/* the rest exactly; the sketches merge exactly at
			 * these sizes */
			ck_assert_msg(strcmp(a, b) == 0, "whole %s\nmerged %s",
			    a, b);
		free(a);
		free(b);
	}
	rta_agg_release(sp, n, whole);
	for (k = 0; k < nparts; k++) {
		rta_agg_release(sp, n, part[k]);
		rta_agg_release(sp, n, back[k]);
	}
	rta_agg_specs_free(sp, n);
}
END_TEST

/*
 * rta_agg_merge_each gives what loading states into fresh accumulators
 * and merging them gives, byte for byte, for every kind; a missing state
 * is refused.  rta_agg_simple names the kinds that hold nothing.
 */
START_TEST(merge_each_equals_load_merge)
{
	struct rta_agg_spec *sp;
	struct rta_agg_acc a[NAGG], b[NAGG], one[NAGG], two[NAGG], tmp[NAGG];
	const unsigned char *st[NAGG];
	struct rta_buf sb = RTA_BUF_INIT, s1 = RTA_BUF_INIT,
	    s2 = RTA_BUF_INIT;
	struct rta_error err;
	struct rng r = { (uint64_t)_i * 104729 + 11 };
	struct ev v;
	size_t n, i;
	char s[16];

	specs_of(LIST, &sp, &n);
	ck_assert(!rta_agg_simple(sp, n));
	ck_assert_int_eq(rta_agg_init(sp, n, a, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_init(sp, n, b, &err), RTA_OK);
	for (i = 0; i < 2000; i++) {
		double x = rng_unit(&r) * 1000 - 100;

		snprintf(s, sizeof(s), "u%u", (unsigned)(rng_next(&r) % 50));
		ev_make(&v, (int64_t)(rng_next(&r) % 1000), _i == 0 ? 1 : 2,
		    (int64_t)x, x, s);
		ck_assert_int_eq(rta_agg_add(sp, n, i % 3 ? a : b, &v.e,
		    &err), RTA_OK);
		rta_buf_release(&v.p);
	}
	ck_assert_int_eq(rta_agg_states(sp, n, b, &sb), 0);
	for (i = 0; i < n; i++)
		st[i] = rta_value_member(sb.data, sp[i].name, sp[i].name_len);
	through_states(sp, n, a, one);
	through_states(sp, n, a, two);
	ck_assert_int_eq(rta_agg_init(sp, n, tmp, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_load(sp, n, tmp, sb.data, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_merge(sp, n, one, tmp, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_merge_each(sp, n, two, st, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_states(sp, n, one, &s1), 0);
	ck_assert_int_eq(rta_agg_states(sp, n, two, &s2), 0);
	ck_assert_uint_eq(s1.len, s2.len);
	ck_assert_mem_eq(s1.data, s2.data, s1.len);
	st[3] = NULL;
	ck_assert_int_eq(rta_agg_merge_each(sp, n, two, st, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-state");
	rta_agg_release(sp, n, a);
	rta_agg_release(sp, n, b);
	rta_agg_release(sp, n, one);
	rta_agg_release(sp, n, two);
	rta_agg_release(sp, n, tmp);
	rta_agg_specs_free(sp, n);
	specs_of("count,sum:payload.x,avg:payload.x,min:payload.x,"
	    "max:payload.x,stddev:payload.x", &sp, &n);
	ck_assert(rta_agg_simple(sp, n));
	rta_agg_specs_free(sp, n);
	rta_buf_release(&sb);
	rta_buf_release(&s1);
	rta_buf_release(&s2);
}
END_TEST

/* Emptied for reuse, accumulators are as new: the same results and
 * the same states bytes after the same events. */
START_TEST(reset_is_fresh)
{
	struct rta_agg_spec *sp;
	struct rta_agg_acc used[NAGG], fresh[NAGG];
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	struct rng r = { (uint64_t)_i * 104729 + 11 };
	struct ev v;
	size_t n, i, round;
	char s[16];

	specs_of(LIST, &sp, &n);
	ck_assert_int_eq(rta_agg_init(sp, n, used, &err), RTA_OK);
	ck_assert_int_eq(rta_agg_init(sp, n, fresh, &err), RTA_OK);
	for (round = 0; round < 2; round++) {
		/* the first round far wider than the second */
		for (i = 0; i < (round == 0 ? 2000 : 300); i++) {
			double x = round == 0 ? (rng_unit(&r) - 0.5) * 1e9 :
			    rng_unit(&r) * 100;

			snprintf(s, sizeof(s), "u%u",
			    (unsigned)(rng_next(&r) % 50));
			ev_make(&v, (int64_t)(rng_next(&r) % 1000),
			    _i % 2 == 0 ? 1 : 2, (int64_t)x, x, s);
			ck_assert_int_eq(rta_agg_add(sp, n, used, &v.e, &err),
			    RTA_OK);
			if (round == 1)
				ck_assert_int_eq(rta_agg_add(sp, n, fresh,
				    &v.e, &err), RTA_OK);
			rta_buf_release(&v.p);
		}
		if (round == 0)
			ck_assert_int_eq(rta_agg_reset(sp, n, used, &err),
			    RTA_OK);
	}
	ck_assert_int_eq(rta_agg_results(sp, n, used, &a), 0);
	ck_assert_int_eq(rta_agg_results(sp, n, fresh, &b), 0);
	ck_assert(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	a.len = b.len = 0;
	ck_assert_int_eq(rta_agg_states(sp, n, used, &a), 0);
	ck_assert_int_eq(rta_agg_states(sp, n, fresh, &b), 0);
	ck_assert(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	rta_buf_release(&a);
	rta_buf_release(&b);
	rta_agg_release(sp, n, used);
	rta_agg_release(sp, n, fresh);
	rta_agg_specs_free(sp, n);
}
END_TEST

/* States that are not what the specs say are refused, whole. */
/* rta_agg_load of the states object in JSON text into fresh
 * accumulators (released after): its result. */
static int
load_text(const struct rta_agg_spec *sp, size_t n, const char *text,
    struct rta_error *err)
{
	struct rta_agg_acc acc[8];
	struct rta_json j;
	struct rta_buf v = RTA_BUF_INIT;
	int rc;

	ck_assert_uint_le(n, 8);
	rta_json_init(&j);
	ck_assert_int_eq(rta_json_document(&j, text, strlen(text), &v, err),
	    RTA_OK);
	ck_assert_int_eq(rta_agg_init(sp, n, acc, err), RTA_OK);
	rc = rta_agg_load(sp, n, acc, v.data, err);
	rta_agg_release(sp, n, acc);
	rta_json_release(&j);
	rta_buf_release(&v);
	return rc;
}

START_TEST(bad_states)
{
	static const char *const bad[] = {
		"{}",
		"{\"count\":{\"type\":\"sum\",\"count\":1,\"sum\":1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":0}}",
		"{\"count\":{\"type\":\"count\",\"count\":-1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":0}}",
		"{\"count\":{\"type\":\"count\",\"count\":1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":2}}",
		"{\"count\":{\"type\":\"count\",\"count\":1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":2,"
		    "\"min\":\"3\"}}",
		"{\"count\":{\"type\":\"count\",\"count\":1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":2,"
		    "\"min\":1},\"p50:payload.x\":{\"type\":\"ddsketch\","
		    "\"count\":1,\"sketch\":\"!!\"}}",
		"{\"count\":{\"type\":\"count\",\"count\":1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":2,"
		    "\"min\":1},\"p50:payload.x\":{\"type\":\"ddsketch\","
		    "\"count\":1,\"sketch\":\"AAAA\"}}",
		"{\"count\":{\"type\":\"count\",\"count\":1},"
		    "\"min:payload.x\":{\"type\":\"min\",\"count\":2,"
		    "\"min\":1},\"p50:payload.x\":{\"type\":\"ddsketch\","
		    "\"count\":1,\"sketch\":\"AAA=\\n\"}}",
	};
	struct rta_agg_spec *sp;
	struct rta_error err;
	size_t n, i;

	specs_of("count,min:payload.x,p50:payload.x", &sp, &n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(load_text(sp, n, bad[i], &err) == RTA_EDATA,
		    "%s accepted", bad[i]);
		ck_assert_str_eq(err.reason, "bad-state");
	}
	rta_agg_specs_free(sp, n);
}
END_TEST

/* A top-k state's items become strings: bytes that are not UTF-8 text
 * are a bad state, however well the sketch itself decodes. */
START_TEST(topk_items_text)
{
	static const struct {
		const char	*sketch;	/* one item, count 1 */
		int		 rc;
	} c[] = {
		{ "SwFAAQECb2sBAA==", RTA_OK },		/* "ok" */
		{ "SwFAAQEC//4BAA==", RTA_EDATA },	/* ff fe */
		{ "SwFAAQECbwABAA==", RTA_EDATA },	/* "o", U+0000 */
	};
	struct rta_agg_spec *sp;
	struct rta_error err;
	char doc[200];
	size_t n, i;

	specs_of("top3:payload.c", &sp, &n);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"top3:payload.c\":{\"type\":"
		    "\"topk\",\"count\":1,\"sketch\":\"%s\"}}", c[i].sketch);
		ck_assert_msg(load_text(sp, n, doc, &err) == c[i].rc,
		    "%s: %s", c[i].sketch, err.text);
		if (c[i].rc != RTA_OK)
			ck_assert_str_eq(err.reason, "bad-state");
	}
	rta_agg_specs_free(sp, n);
}
END_TEST

static Suite *
agg_suite(void)
{
	Suite *s = suite_create("rta_agg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_lists);
	tcase_add_test(tc, exact_results);
	tcase_add_test(tc, sum_overflow);
	tcase_add_loop_test(tc, merge_equals_whole, 0, 12);
	tcase_add_test(tc, bad_states);
	tcase_add_test(tc, topk_items_text);
	tcase_add_loop_test(tc, reset_is_fresh, 0, 4);
	tcase_add_loop_test(tc, merge_each_equals_load_merge, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(agg_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
