/*
 * check_rta_gen.c: the deterministic generator.  Same options, same
 * bytes; the stats add up; what it writes parses back (valid events,
 * watermarks) or fails (exactly the malformed ones); and the dials for
 * late, future, duplicate and malformed records are honoured over 100k
 * records.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_event.h"
#include "rta_frame.h"
#include "rta_gen.h"
#include "rta_reader.h"
#include "unit.h"

#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

/* n records of g in format f, appended to out. */
static void
generate(struct rta_gen *g, enum rta_format f, struct rta_buf *out, int n)
{
	int64_t ts;
	int i;

	for (i = 0; i < n; i++)
		CHECK(rta_gen_next(g, f, out, &ts) == 0, "record %d", i);
}

static void
gen_bytes(const struct rta_gen_opts *o, enum rta_format f, int n,
    struct rta_buf *out)
{
	struct rta_gen *g = rta_gen_new(o);

	ck_assert_ptr_nonnull(g);
	generate(g, f, out, n);
	rta_gen_free(g);
}

static void
trouble(struct rta_gen_opts *o)
{
	rta_gen_opts_init(o);
	o->seed = 42;
	o->eps = 100;
	o->disorder = 2 * RTA_US_PER_SEC;
	o->late = 0.05;
	o->future = 0.02;
	o->duplicates = 0.03;
	o->malformed = 0.01;
	o->watermark_every = 10 * RTA_US_PER_SEC;
}

START_TEST(defaults)
{
	struct rta_gen_opts o;

	rta_gen_opts_init(&o);
	ck_assert(o.seed == 1);
	ck_assert_int_eq(o.start, 1767225600LL * RTA_US_PER_SEC);
	ck_assert_uint_eq(o.tenants, 10);
	ck_assert_uint_eq(o.users, 1000);
	/* 1 event/s per tenant */
	ck_assert(o.eps == o.tenants);
	ck_assert_uint_eq(o.ntypes, 0);
	rta_gen_opts_release(&o);
}
END_TEST

START_TEST(same_options_same_bytes)
{
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_gen_opts o;
	enum rta_format f = _i ? RTA_FMT_RTA : RTA_FMT_NDJSON;

	trouble(&o);
	gen_bytes(&o, f, 20000, &a);
	gen_bytes(&o, f, 20000, &b);
	ck_assert_uint_gt(a.len, 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
	/* another seed, other bytes */
	rta_buf_reset(&b);
	o.seed = 43;
	gen_bytes(&o, f, 20000, &b);
	ck_assert(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
	/* the wall clock plays no part */
	rta_buf_reset(&b);
	o.seed = 42;
	setenv("RTA_NOW", "2000-01-01T00:00:00Z", 1);
	setenv("RTA_HASH_SEED", "12345", 1);
	gen_bytes(&o, f, 20000, &b);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

/* Records generated in pieces equal records generated at once. */
START_TEST(buffer_independent)
{
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT, c = RTA_BUF_INIT;
	struct rta_gen_opts o;
	struct rta_gen *g;
	int i;

	trouble(&o);
	gen_bytes(&o, RTA_FMT_NDJSON, 3000, &a);
	g = rta_gen_new(&o);
	ck_assert_ptr_nonnull(g);
	for (i = 0; i < 3000; i++) {
		int64_t ts;

		rta_buf_reset(&c);
		ck_assert_int_eq(rta_gen_next(g, RTA_FMT_NDJSON, &c, &ts), 0);
		rta_buf_add(&b, c.data, c.len);
	}
	rta_gen_free(g);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
	rta_buf_release(&a);
	rta_buf_release(&b);
	rta_buf_release(&c);
}
END_TEST

struct tally {
	uint64_t	 events, watermarks, errors, late, future;
	uint64_t	 distinct;
	int64_t		 last_wm;
	int		 wm_backwards;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Parse NDJSON records back.  An event is late when it is more than
 * late_by behind its nominal time, future when ahead of it by future_by.
 */
static void
tally_ndjson(const struct rta_buf *b, const struct rta_gen_opts *o,
    struct tally *t)
{
	struct rta_ndjson_parser np;
	struct rta_record rec;
	struct rta_error err;
	char **ids = NULL;
	size_t i = 0, nids = 0, capids = 0;

	memset(t, 0, sizeof(*t));
	t->last_wm = INT64_MIN;
	rta_ndjson_parser_init(&np);
	while (i < b->len) {
		const unsigned char *l = b->data + i;
		const unsigned char *nl = memchr(l, '\n', b->len - i);
		size_t n;

		ck_assert_ptr_nonnull(nl);
		n = (size_t)(nl - l);
		i += n + 1;
		if (rta_ndjson_parse(&np, l, n, &rec, &err) != RTA_OK) {
			t->errors++;
			continue;
		}
		if (rec.kind == RTA_REC_WATERMARK) {
			t->watermarks++;
			if (rec.watermark < t->last_wm)
				t->wm_backwards++;
			t->last_wm = rec.watermark;
			continue;
		}
		CHECK(rec.kind == RTA_REC_EVENT, "kind %d", rec.kind);
		t->events++;
		if (nids == capids) {
			capids = capids ? 2 * capids : 1024;
			ids = realloc(ids, capids * sizeof(*ids));
			ck_assert_ptr_nonnull(ids);
		}
		ids[nids] = strndup(rec.ev.id, rec.ev.id_len);
		ck_assert_ptr_nonnull(ids[nids]);
		nids++;
	}
	qsort(ids, nids, sizeof(*ids), cmp_str);
	for (i = 0; i < nids; i++)
		if (i == 0 || strcmp(ids[i], ids[i - 1]) != 0)
			t->distinct++;
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	rta_ndjson_parser_release(&np);
	(void)o;
}

/* records = events + duplicates + malformed + watermarks, and parsing
 * back finds each kind where the stats say. */
START_TEST(stats_add_up)
{
	struct rta_buf b = RTA_BUF_INIT;
	const struct rta_gen_stats *st;
	struct rta_gen_opts o;
	struct rta_gen *g;
	struct tally t;

	trouble(&o);
	g = rta_gen_new(&o);
	ck_assert_ptr_nonnull(g);
	generate(g, RTA_FMT_NDJSON, &b, 30000);
	st = rta_gen_stats(g);
	ck_assert(st->records == 30000);
	ck_assert(st->records == st->events + st->duplicates + st->malformed +
	    st->watermarks);
	tally_ndjson(&b, &o, &t);
	ck_assert(t.errors == st->malformed);
	ck_assert(t.watermarks == st->watermarks);
	ck_assert(t.events == st->events + st->duplicates);
	/* duplicates repeat ids; every other event is new */
	ck_assert(t.distinct == st->events);
	ck_assert_int_eq(t.wm_backwards, 0);
	rta_gen_free(g);
	rta_buf_release(&b);
}
END_TEST

/* The same in rta frames, through the reader. */
START_TEST(stats_add_up_rta)
{
	struct rta_buf b = RTA_BUF_INIT;
	const struct rta_gen_stats *st;
	struct rta_gen_opts o;
	struct rta_gen *g;
	struct rta_reader_opts ro;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	uint64_t ev = 0, wm = 0, bad = 0;
	int rc;

	trouble(&o);
	g = rta_gen_new(&o);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(rta_frame_put_header(&b), 0);
	generate(g, RTA_FMT_RTA, &b, 20000);
	st = rta_gen_stats(g);
	{
		/* the end frame rta-gen writes last */
		struct rta_record end;

		memset(&end, 0, sizeof(end));
		end.kind = RTA_REC_END;
		ck_assert_int_eq(rta_frame_put(&b, &end), 0);
	}
	unit_write("gen.rta", b.data, b.len);
	rta_reader_opts_init(&ro);
	r = rta_reader_new(&ro);
	ck_assert_int_eq(rta_reader_open(r, unit_path("gen.rta"), &err),
	    RTA_OK);
	while ((rc = rta_reader_next(r, &rec, &err)) != RTA_EOF) {
		if (rc != RTA_OK) {
			/* a flipped bit, caught by the checksum */
			CHECK(rc == RTA_EDATA && strcmp(err.reason, "bad-crc") ==
			    0, "rc %d %s", rc, err.reason);
			bad++;
		} else if (rec.kind == RTA_REC_EVENT)
			ev++;
		else if (rec.kind == RTA_REC_WATERMARK)
			wm++;
	}
	rta_reader_free(r);
	ck_assert(bad == st->malformed);
	ck_assert(wm == st->watermarks);
	ck_assert(ev == st->events + st->duplicates);
	rta_gen_free(g);
	rta_buf_release(&b);
}
END_TEST

static void
near(const char *what, double got, double want)
{
	ck_assert_msg(fabs(got - want) <= 0.15 * want, "%s: %.4f, asked for "
	    "%.4f", what, got, want);
}

START_TEST(fractions)
{
	struct rta_buf b = RTA_BUF_INIT;
	const struct rta_gen_stats *st;
	struct rta_gen_opts o;
	struct rta_gen *g;
	double recs;

	trouble(&o);
	o.watermark_every = 0;
	g = rta_gen_new(&o);
	ck_assert_ptr_nonnull(g);
	generate(g, RTA_FMT_NDJSON, &b, 100000);
	st = rta_gen_stats(g);
	recs = (double)st->records;
	near("malformed", (double)st->malformed / recs, o.malformed);
	near("duplicates", (double)st->duplicates / recs, o.duplicates);
	near("late", (double)st->late / (double)st->events, o.late);
	near("future", (double)st->future / (double)st->events, o.future);
	ck_assert(st->watermarks == 0);
	rta_gen_free(g);
	rta_buf_release(&b);
}
END_TEST

/* Event time: start + n/eps, moved back by disorder or lateness, or
 * forward for future events. */
START_TEST(event_times)
{
	struct rta_ndjson_parser np;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_gen_opts o;
	struct rta_gen *g;
	struct rta_record rec;
	struct rta_error err;
	int64_t nominal, prev = INT64_MIN;
	int i, late = 0, future = 0;

	rta_gen_opts_init(&o);
	o.eps = 50;
	o.late = 0.1;
	o.future = 0.1;
	g = rta_gen_new(&o);
	ck_assert_ptr_nonnull(g);
	rta_ndjson_parser_init(&np);
	for (i = 0; i < 5000; i++) {
		int64_t d;

		rta_buf_reset(&b);
		ck_assert_int_eq(rta_gen_next(g, RTA_FMT_NDJSON, &b, &nominal),
		    0);
		ck_assert_int_eq(nominal, o.start + (int64_t)i * 20000);
		ck_assert(nominal > prev);
		prev = nominal;
		ck_assert_int_eq(rta_ndjson_parse(&np, b.data, b.len - 1, &rec,
		    &err), RTA_OK);
		d = rec.ev.ts - nominal;
		if (d == 0)
			continue;
		if (d < 0) {
			/* late: between late_by and twice that behind */
			ck_assert_int_le(-d, 2 * o.late_by);
			ck_assert_int_ge(-d, o.late_by);
			late++;
		} else {
			ck_assert_int_ge(d, o.future_by);
			ck_assert_int_le(d, 2 * o.future_by);
			future++;
		}
	}
	ck_assert_int_eq(late, (int)rta_gen_stats(g)->late);
	ck_assert_int_eq(future, (int)rta_gen_stats(g)->future);
	ck_assert_int_gt(late, 350);
	ck_assert_int_gt(future, 350);
	rta_ndjson_parser_release(&np);
	rta_gen_free(g);
	rta_buf_release(&b);
}
END_TEST

/* A watermark every watermark_every of event time, never ahead of the
 * events already written (less the disorder allowed). */
START_TEST(watermarks)
{
	struct rta_ndjson_parser np;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_gen_opts o;
	struct rta_gen *g;
	struct rta_record rec;
	struct rta_error err;
	int64_t nominal, max_ts = INT64_MIN, last_wm = INT64_MIN;
	int i, wms = 0;

	rta_gen_opts_init(&o);
	o.eps = 100;
	o.disorder = RTA_US_PER_SEC;
	o.future = 0.05;
	o.watermark_every = 5 * RTA_US_PER_SEC;
	g = rta_gen_new(&o);
	ck_assert_ptr_nonnull(g);
	rta_ndjson_parser_init(&np);
	for (i = 0; i < 10000; i++) {
		rta_buf_reset(&b);
		ck_assert_int_eq(rta_gen_next(g, RTA_FMT_NDJSON, &b, &nominal),
		    0);
		ck_assert_int_eq(rta_ndjson_parse(&np, b.data, b.len - 1, &rec,
		    &err), RTA_OK);
		if (rec.kind == RTA_REC_WATERMARK) {
			ck_assert_int_le(rec.watermark, max_ts - o.disorder);
			ck_assert_int_ge(rec.watermark, last_wm);
			last_wm = rec.watermark;
			wms++;
			continue;
		}
		/* future events do not move the watermark */
		if (rec.ev.ts > max_ts && rec.ev.ts - nominal <
		    o.future_by)
			max_ts = rec.ev.ts;
	}
	ck_assert_int_eq(wms, (int)rta_gen_stats(g)->watermarks);
	/* about 10000 events over 100 s of event time: one per 5 s */
	ck_assert_int_ge(wms, 18);
	ck_assert_int_le(wms, 21);
	rta_ndjson_parser_release(&np);
	rta_gen_free(g);
	rta_buf_release(&b);
}
END_TEST

START_TEST(tenants_and_types)
{
	struct rta_ndjson_parser np;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_gen_opts o;
	struct rta_gen *g;
	struct rta_record rec;
	struct rta_error err;
	int64_t nominal;
	unsigned count[5] = { 0 }, ta = 0, tb = 0;
	int i;

	rta_gen_opts_init(&o);
	o.tenants = 5;
	o.skew = 1.2;
	ck_assert_int_eq(rta_gen_parse_types(&o, "alpha=1,beta=3"), 0);
	g = rta_gen_new(&o);
	/* the generator keeps its own copy of the types */
	rta_gen_opts_release(&o);
	ck_assert_ptr_nonnull(g);
	rta_ndjson_parser_init(&np);
	for (i = 0; i < 20000; i++) {
		char name[16];
		int t;

		rta_buf_reset(&b);
		ck_assert_int_eq(rta_gen_next(g, RTA_FMT_NDJSON, &b, &nominal),
		    0);
		ck_assert_int_eq(rta_ndjson_parse(&np, b.data, b.len - 1, &rec,
		    &err), RTA_OK);
		/* tenants are t0000 .. t0004 */
		CHECK(rec.ev.tenant_len == 5 && rec.ev.tenant[0] == 't',
		    "tenant '%.*s'", (int)rec.ev.tenant_len, rec.ev.tenant);
		snprintf(name, sizeof(name), "%.*s", (int)rec.ev.tenant_len,
		    rec.ev.tenant);
		t = atoi(name + 1);
		CHECK(t >= 0 && t < 5 && strncmp(name, "t000", 4) == 0,
		    "tenant %s", name);
		count[t]++;
		if (rec.ev.type_len == 5 && memcmp(rec.ev.type, "alpha", 5) ==
		    0)
			ta++;
		else if (rec.ev.type_len == 4 &&
		    memcmp(rec.ev.type, "beta", 4) == 0)
			tb++;
		else
			ck_abort_msg("type %.*s", (int)rec.ev.type_len,
			    rec.ev.type);
	}
	/* weights 1:3 */
	near("beta share", (double)tb / (ta + tb), 0.75);
	/* Zipf: each tenant rarer than the one before */
	for (i = 1; i < 5; i++)
		ck_assert_uint_lt(count[i], count[i - 1]);
	rta_ndjson_parser_release(&np);
	rta_gen_free(g);
	rta_buf_release(&b);
}
END_TEST

START_TEST(parse_types)
{
	static const char *const bad[] = { "", "a=0", "=5", "a=x", "a=",
	    "a=1,,b=2", "a=-1", "a=1000001", "a=99999999999999999999" };
	struct rta_gen_opts o;
	char many[512], longname[300];
	size_t i;

	rta_gen_opts_init(&o);
	ck_assert_int_eq(rta_gen_parse_types(&o, "page_view=85,purchase=10,"
	    "error"), 0);
	ck_assert_uint_eq(o.ntypes, 3);
	ck_assert_str_eq(o.types[0].name, "page_view");
	ck_assert_uint_eq(o.types[0].weight, 85);
	ck_assert_str_eq(o.types[2].name, "error");
	ck_assert_uint_eq(o.types[2].weight, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rta_gen_parse_types(&o, bad[i]) == -1,
		    "'%s' accepted", bad[i]);
	/* at most 16 types */
	many[0] = '\0';
	for (i = 0; i < 17; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		    "%st%zu", i ? "," : "", i);
	ck_assert_int_eq(rta_gen_parse_types(&o, many), -1);
	*strrchr(many, ',') = '\0';
	ck_assert_int_eq(rta_gen_parse_types(&o, many), 0);
	ck_assert_uint_eq(o.ntypes, 16);
	/* names within RTA_ID_MAX */
	memset(longname, 'n', 256);
	longname[256] = '\0';
	ck_assert_int_eq(rta_gen_parse_types(&o, longname), -1);
	longname[255] = '\0';
	ck_assert_int_eq(rta_gen_parse_types(&o, longname), 0);
	rta_gen_opts_release(&o);
	ck_assert_uint_eq(o.ntypes, 0);
}
END_TEST

static Suite *
gen_suite(void)
{
	Suite *s = suite_create("rta_gen");
	TCase *tc;

	tc = tcase_create("determinism");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, defaults);
	tcase_add_loop_test(tc, same_options_same_bytes, 0, 2);
	tcase_add_test(tc, buffer_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("stats");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, stats_add_up);
	tcase_add_test(tc, stats_add_up_rta);
	tcase_add_test(tc, fractions);
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, event_times);
	tcase_add_test(tc, watermarks);
	tcase_add_test(tc, tenants_and_types);
	tcase_add_test(tc, parse_types);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(gen_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
