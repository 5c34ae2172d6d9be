/*
 * check_rta_cohort.c: cohort matrices from events and from users' state
 * records.
 *
 * Buckets of whole weeks start on Mondays, before 1970 too, and others
 * on the epoch; random event streams in random order give the matrix a
 * plain count over every (user, period) gives, for several ranges,
 * widths, period counts and activity sets; users' state records, written
 * and read back, give the same matrix, also when loaded first and merged
 * with more events (as a refresh does), which then marks just the users
 * that changed, and those that moved to an earlier cohort; moved records
 * are skipped; damaged or foreign records are refused; activity past the
 * last period kept is dropped; max_users holds.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_cohort.h"
#include "rta_field.h"
#include "rta_time.h"
#include "rta_value.h"
#include "unit.h"

#define DAY	(INT64_C(86400) * RTA_US_PER_SEC)
#define WEEK	(7 * DAY)
#define T0	INT64_C(1789344000000000)	/* 2026-09-14, a Monday */

static int64_t
at(const char *s)
{
	struct rta_error err;
	int64_t t;

	ck_assert_int_eq(rta_time_parse(s, strlen(s), &t, &err), RTA_OK);
	return t;
}

START_TEST(buckets)
{
	ck_assert_int_eq(at("2026-09-14T00:00:00Z"), T0);
	ck_assert_int_eq(rta_cohort_bucket(at("2026-11-26T10:00:00Z"), WEEK),
	    at("2026-11-23T00:00:00Z"));
	ck_assert_int_eq(rta_cohort_bucket(at("2026-11-23T00:00:00Z"), WEEK),
	    at("2026-11-23T00:00:00Z"));
	ck_assert_int_eq(rta_cohort_bucket(at("2026-11-22T23:59:59.999999Z"),
	    WEEK), at("2026-11-16T00:00:00Z"));
	ck_assert_int_eq(rta_cohort_bucket(at("1969-12-31T12:00:00Z"), WEEK),
	    at("1969-12-29T00:00:00Z"));
	ck_assert_int_eq(rta_cohort_bucket(at("2026-11-26T10:00:00Z"),
	    2 * WEEK) % WEEK, at("2026-11-23T00:00:00Z") % WEEK);
	ck_assert_int_eq(rta_cohort_bucket(at("2026-11-26T10:00:00Z"), DAY),
	    at("2026-11-26T00:00:00Z"));
	ck_assert_int_eq(rta_cohort_bucket(at("1969-12-31T12:00:00Z"), DAY),
	    at("1969-12-31T00:00:00Z"));
}
END_TEST

/* ---- random streams against a plain count --------------------------------- */

#define NT	3
#define NU	40
#define NEV	3000
#define SPAN	20		/* buckets */

struct tev {
	int64_t		 ts;
	int		 tenant, user, type;	/* user -1: none */
	int		 numeric;		/* user as the number */
};

static const char *const types[] = { "page_view", "purchase", "error" };
static const char *const tenants[NT] = { "a", "bb", "c" };

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Feed e to c as an event with payload {"user_id": ...}. */
static void
feed(struct rta_cohort *c, const struct tev *e)
{
	struct rta_record r;
	struct rta_buf p;
	struct rta_error err;
	char s[32];
	size_t off;

	rta_buf_init(&p);
	off = rta_venc_begin(&p, RTA_V_OBJECT);
	if (e->user >= 0) {
		rta_venc_key(&p, "user_id", 7);
		if (e->numeric)
			rta_venc_int(&p, e->user);
		else {
			snprintf(s, sizeof(s), "%d", e->user);
			rta_venc_string(&p, s, strlen(s));
		}
	} else {
		rta_venc_key(&p, "user_id", 7);
		rta_venc_null(&p);
	}
	rta_venc_end(&p, off, 1);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_EVENT;
	r.ev.ts = e->ts;
	r.ev.id = "e";
	r.ev.id_len = 1;
	r.ev.type = types[e->type];
	r.ev.type_len = (uint8_t)strlen(types[e->type]);
	r.ev.tenant = tenants[e->tenant];
	r.ev.tenant_len = (uint8_t)strlen(tenants[e->tenant]);
	r.ev.payload = p.data;
	r.ev.payload_len = p.len;
	ck_assert_int_eq(rta_cohort_add(c, &r, &err), RTA_OK);
	rta_buf_release(&p);
}

static void
stream(struct tev *v, size_t n, int64_t width)
{
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].ts = T0 + (int64_t)(next() % (uint64_t)(SPAN * width));
		v[i].tenant = (int)(next() % NT);
		/* users arrive over time: the pool grows with the bucket */
		v[i].user = next() % 50 == 0 ? -1 : (int)(next() %
		    (uint64_t)(5 + (v[i].ts - T0) / width * (NU - 5) / SPAN));
		v[i].type = (int)(next() % 3);
		v[i].numeric = (int)(next() % 2);
	}
}

struct oracle_row {
	int		 tenant;
	int64_t		 first;
	uint64_t	 users;
	uint64_t	 active[RTA_COHORT_BITS];
};

/* The matrix by a plain count: rows sorted as rta_cohort sorts them. */
static size_t
oracle(const struct tev *v, size_t n, const struct rta_cohort_spec *sp,
    struct oracle_row *rows)
{
	static int64_t first[NT][NU];
	static unsigned char act[NT][NU][SPAN + 2];
	size_t nr = 0, i;
	int t, u, k;
	int64_t b;

	for (t = 0; t < NT; t++)
		for (u = 0; u < NU; u++)
			first[t][u] = INT64_MAX;
	memset(act, 0, sizeof(act));
	for (i = 0; i < n; i++) {
		if (v[i].user < 0 || v[i].ts >= sp->to)
			continue;
		b = rta_cohort_bucket(v[i].ts, sp->width);
		if (b < first[v[i].tenant][v[i].user])
			first[v[i].tenant][v[i].user] = b;
	}
	for (i = 0; i < n; i++) {
		int match = sp->nactivity == 0;
		size_t j;

		for (j = 0; j < sp->nactivity; j++)
			match |= strcmp(sp->activity[j], types[v[i].type]) == 0;
		if (v[i].user < 0 || v[i].ts >= sp->to || !match)
			continue;
		b = rta_cohort_bucket(v[i].ts, sp->width);
		k = (int)((b - first[v[i].tenant][v[i].user]) / sp->width);
		act[v[i].tenant][v[i].user][k] = 1;
	}
	/* tenants "a" < "bb" < "c" by their bytes */
	for (t = 0; t < NT; t++)
		for (b = rta_cohort_bucket(T0 - 8 * sp->width, sp->width);
		    b < T0 + (SPAN + 2) * sp->width; b += sp->width) {
			struct oracle_row *r = &rows[nr];

			if (b < sp->from || b >= sp->to)
				continue;
			memset(r, 0, sizeof(*r));
			r->tenant = t;
			r->first = b;
			for (u = 0; u < NU; u++) {
				if (first[t][u] != b)
					continue;
				r->users++;
				for (k = 1; k <= (int)sp->periods &&
				    k <= SPAN + 1; k++)
					if (b + k * sp->width < sp->to)
						r->active[k] += act[t][u][k];
			}
			if (r->users > 0)
				nr++;
		}
	return nr;
}

static void
same(struct rta_cohort *c, const struct tev *v, size_t n,
    const struct rta_cohort_spec *sp)
{
	static struct oracle_row rows[NT * (SPAN + 8)];
	struct rta_cohort_row row;
	struct rta_error err;
	size_t nr, i;
	unsigned k;

	nr = oracle(v, n, sp, rows);
	ck_assert_int_eq(rta_cohort_rows(c, &err), RTA_OK);
	ck_assert_uint_eq(rta_cohort_nrows(c), nr);
	for (i = 0; i < nr; i++) {
		rta_cohort_row(c, i, &row);
		ck_assert_uint_eq(row.tlen, strlen(tenants[rows[i].tenant]));
		ck_assert(memcmp(row.tenant, tenants[rows[i].tenant],
		    row.tlen) == 0);
		ck_assert_int_eq(row.start, rows[i].first);
		ck_assert_uint_eq(row.users, rows[i].users);
		for (k = 1; k <= sp->periods; k++) {
			int known = row.start + (int64_t)k * sp->width < sp->to;

			ck_assert_int_eq(k <= row.known, known);
			if (known)
				ck_assert_uint_eq(row.active[k],
				    rows[i].active[k]);
		}
	}
}

START_TEST(random_streams)
{
	static struct tev v[NEV];
	struct rta_field f;
	struct rta_error err;
	char *pv[] = { "page_view" }, *two[] = { "purchase", "error" };
	struct rta_cohort_spec sp;
	struct rta_cohort *c;
	int round;

	ck_assert_int_eq(rta_field_parse(&f, "payload.user_id", &err),
	    RTA_OK);
	for (round = 0; round < 40; round++) {
		int64_t w = round % 2 ? WEEK : DAY;

		stream(v, NEV, w);
		memset(&sp, 0, sizeof(sp));
		sp.user = &f;
		sp.width = w;
		sp.periods = (unsigned)(1 + next() % 12);
		switch (round % 4) {
		case 0:
			break;
		case 1:
			sp.activity = pv;
			sp.nactivity = 1;
			break;
		default:
			sp.activity = two;
			sp.nactivity = 2;
		}
		sp.from = round % 3 ? RTA_TIME_MIN : rta_cohort_bucket(T0 +
		    (int64_t)(next() % 6) * w, w);
		sp.to = rta_cohort_bucket(T0 + (int64_t)(6 + next() % 16) * w,
		    w);
		ck_assert_int_eq(rta_cohort_new(&sp, &c, &err), RTA_OK);
		for (size_t i = 0; i < NEV; i++)
			feed(c, &v[i]);
		same(c, v, NEV, &sp);
		rta_cohort_free(c);
	}
	rta_field_release(&f);
}
END_TEST

/* ---- state records -------------------------------------------------------- */

/* Every user of c as a state record (and, moved, the record at the old
 * start), added to d. */
static void
copy_states(struct rta_cohort *c, struct rta_cohort *d, int64_t width,
    int only_changed, size_t *written, size_t *moved)
{
	struct rta_cohort_user u;
	struct rta_record r;
	struct rta_buf b;
	struct rta_error err;
	size_t i;
	int m;

	rta_buf_init(&b);
	for (i = 0; i < rta_cohort_nusers(c); i++) {
		rta_cohort_user(c, i, &u);
		if (only_changed && !u.changed)
			continue;
		for (m = 0; m < 2; m++) {
			if (m == 1 && (u.was == INT64_MIN || u.was == u.start))
				continue;
			ck_assert_int_eq(rta_cohort_payload(&b, &u, width, m),
			    0);
			ck_assert_int_eq(rta_value_check(b.data, b.len, 8,
			    1000, &err), RTA_OK);
			memset(&r, 0, sizeof(r));
			r.kind = RTA_REC_AGGREGATE;
			r.ev.id = "id";
			r.ev.id_len = 2;
			r.ev.type = RTA_COHORT_WINDOW;
			r.ev.type_len = (uint8_t)strlen(RTA_COHORT_WINDOW);
			r.ev.tenant = u.tenant;
			r.ev.tenant_len = (uint8_t)u.tlen;
			r.ev.ts = m ? u.was : u.start;
			r.ev.payload = b.data;
			r.ev.payload_len = b.len;
			ck_assert_int_eq(rta_cohort_add(d, &r, &err), RTA_OK);
			if (m == 0 && written != NULL)
				(*written)++;
			if (m == 1 && moved != NULL)
				(*moved)++;
		}
	}
	rta_buf_release(&b);
}

START_TEST(states_round_trip)
{
	static struct tev v[NEV];
	struct rta_field f;
	struct rta_error err;
	struct rta_cohort_spec all, sp;
	struct rta_cohort *c, *d, *e;
	size_t half = NEV / 2, i, written = 0, moved = 0;

	ck_assert_int_eq(rta_field_parse(&f, "payload.user_id", &err),
	    RTA_OK);
	stream(v, NEV, WEEK);
	/* the second half goes first in time for some users: make a few of
	 * its events earlier than anything of the first half */
	for (i = half; i < half + 30; i++)
		v[i].ts = T0 - WEEK - (int64_t)(i % 5) * WEEK;
	memset(&all, 0, sizeof(all));
	all.user = &f;
	all.width = WEEK;
	all.periods = 1;
	all.from = RTA_TIME_MIN;
	all.to = RTA_TIME_MAX;
	sp = all;
	sp.periods = 10;
	sp.to = T0 + 15 * WEEK;

	/* a refresh: states of the first half, then the second half */
	ck_assert_int_eq(rta_cohort_new(&all, &c, &err), RTA_OK);
	for (i = 0; i < half; i++)
		feed(c, &v[i]);
	ck_assert_int_eq(rta_cohort_new(&all, &d, &err), RTA_OK);
	copy_states(c, d, WEEK, 0, NULL, NULL);
	ck_assert_uint_eq(rta_cohort_counts(d)->states,
	    rta_cohort_nusers(c));
	rta_cohort_mark(d);
	{
		struct rta_cohort_user u;

		for (i = 0; i < rta_cohort_nusers(d); i++) {
			rta_cohort_user(d, i, &u);
			ck_assert(!u.changed);
			ck_assert_int_eq(u.was, u.start);
		}
	}
	for (i = half; i < NEV; i++)
		feed(d, &v[i]);
	/* the changed users' records over the first states: the matrix of
	 * every event */
	ck_assert_int_eq(rta_cohort_new(&sp, &e, &err), RTA_OK);
	copy_states(c, e, WEEK, 0, NULL, NULL);
	copy_states(d, e, WEEK, 1, &written, &moved);
	ck_assert_uint_gt(written, 0);
	ck_assert_uint_lt(written, rta_cohort_nusers(d));
	ck_assert_uint_gt(moved, 0);
	same(e, v, NEV, &sp);
	rta_cohort_free(c);
	rta_cohort_free(d);
	rta_cohort_free(e);
	rta_field_release(&f);
}
END_TEST

/* A state record of payload built from JSON-ish parts. */
static int
add_raw(struct rta_cohort *c, const char *type, int64_t ts, int64_t end,
    const char *user, const int64_t *periods, size_t np, int moved,
    struct rta_error *err)
{
	struct rta_record r;
	struct rta_buf b;
	char t[RTA_TIME_LEN];
	size_t off, arr, i;
	int rc;

	rta_buf_init(&b);
	off = rta_venc_begin(&b, RTA_V_OBJECT);
	rta_time_format(t, end);
	rta_venc_key(&b, "end", 3);
	rta_venc_string(&b, t, RTA_TIME_LEN);
	rta_venc_key(&b, "user", 4);
	rta_venc_string(&b, user, strlen(user));
	if (moved) {
		rta_venc_key(&b, "moved", 5);
		rta_venc_bool(&b, 1);
	} else {
		rta_venc_key(&b, "periods", 7);
		arr = rta_venc_begin(&b, RTA_V_ARRAY);
		for (i = 0; i < np; i++)
			rta_venc_int(&b, periods[i]);
		rta_venc_end(&b, arr, (uint32_t)np);
	}
	rta_venc_end(&b, off, 3);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_AGGREGATE;
	r.ev.id = "id";
	r.ev.id_len = 2;
	r.ev.type = type;
	r.ev.type_len = (uint8_t)strlen(type);
	r.ev.tenant = "t";
	r.ev.tenant_len = 1;
	r.ev.ts = ts;
	r.ev.payload = b.data;
	r.ev.payload_len = b.len;
	rc = rta_cohort_add(c, &r, err);
	rta_buf_release(&b);
	return rc;
}

START_TEST(bad_states)
{
	struct rta_field f;
	struct rta_error err;
	struct rta_cohort_spec sp;
	struct rta_cohort *c;
	struct rta_cohort_row row;
	int64_t p[] = { 0, 2 }, big[] = { 128 }, neg[] = { -1 };

	ck_assert_int_eq(rta_field_parse(&f, "payload.user_id", &err),
	    RTA_OK);
	memset(&sp, 0, sizeof(sp));
	sp.user = &f;
	sp.width = WEEK;
	sp.periods = 3;
	sp.from = RTA_TIME_MIN;
	sp.to = T0 + 10 * WEEK;
	ck_assert_int_eq(rta_cohort_new(&sp, &c, &err), RTA_OK);
	ck_assert_int_eq(add_raw(c, "cohort", T0, T0 + WEEK, "u", p, 2, 0,
	    &err), RTA_OK);
	/* a moved record is skipped, whatever it held */
	ck_assert_int_eq(add_raw(c, "cohort", T0 + WEEK, T0 + 2 * WEEK, "v",
	    NULL, 0, 1, &err), RTA_OK);
	ck_assert_int_eq(add_raw(c, "tumbling", T0, T0 + WEEK, "u", p, 2, 0,
	    &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-aggregate");
	/* a daily cohort dataset read for weekly cohorts */
	ck_assert_int_eq(add_raw(c, "cohort", T0, T0 + DAY, "u", p, 2, 0,
	    &err), RTA_EDATA);
	ck_assert_int_eq(add_raw(c, "cohort", T0 + DAY, T0 + DAY + WEEK,
	    "u", p, 2, 0, &err), RTA_EDATA);
	ck_assert_int_eq(add_raw(c, "cohort", T0, T0 + WEEK, "u", big, 1, 0,
	    &err), RTA_EDATA);
	ck_assert_int_eq(add_raw(c, "cohort", T0, T0 + WEEK, "u", neg, 1, 0,
	    &err), RTA_EDATA);
	ck_assert_int_eq(rta_cohort_rows(c, &err), RTA_OK);
	ck_assert_uint_eq(rta_cohort_nrows(c), 1);
	rta_cohort_row(c, 0, &row);
	ck_assert_uint_eq(row.users, 1);
	ck_assert_uint_eq(row.known, 3);
	ck_assert_uint_eq(row.active[1], 0);
	ck_assert_uint_eq(row.active[2], 1);
	ck_assert_uint_eq(row.active[3], 0);
	rta_cohort_free(c);
	rta_field_release(&f);
}
END_TEST

START_TEST(limits)
{
	struct rta_field f;
	struct rta_error err;
	struct rta_cohort_spec sp;
	struct rta_cohort *c;
	struct rta_cohort_user u;
	struct tev e;
	int i;

	ck_assert_int_eq(rta_field_parse(&f, "payload.user_id", &err),
	    RTA_OK);
	memset(&sp, 0, sizeof(sp));
	sp.user = &f;
	sp.width = DAY;
	sp.periods = RTA_COHORT_PERIODS_MAX;
	sp.from = RTA_TIME_MIN;
	sp.to = RTA_TIME_MAX;
	ck_assert_int_eq(rta_cohort_new(&sp, &c, &err), RTA_OK);
	memset(&e, 0, sizeof(e));
	/* activity 127 days on is kept, 128 is not; moving the first day
	 * back by 10 drops what is then past 127 */
	e.ts = T0;
	feed(c, &e);
	e.ts = T0 + 127 * DAY;
	feed(c, &e);
	e.ts = T0 + 128 * DAY;
	feed(c, &e);
	rta_cohort_user(c, 0, &u);
	ck_assert_uint_eq(u.bits[0], 1);
	ck_assert_uint_eq(u.bits[1], UINT64_C(1) << 63);
	e.ts = T0 - 10 * DAY;
	feed(c, &e);
	rta_cohort_user(c, 0, &u);
	ck_assert_int_eq(u.start, T0 - 10 * DAY);
	ck_assert_uint_eq(u.bits[0], 1 | UINT64_C(1) << 10);
	ck_assert_uint_eq(u.bits[1], 0);
	rta_cohort_free(c);

	sp.max_users = 5;
	ck_assert_int_eq(rta_cohort_new(&sp, &c, &err), RTA_OK);
	for (i = 0; i < 5; i++) {
		e.user = i;
		feed(c, &e);
	}
	{
		struct rta_record r;
		struct rta_buf p;
		size_t off;

		rta_buf_init(&p);
		off = rta_venc_begin(&p, RTA_V_OBJECT);
		rta_venc_key(&p, "user_id", 7);
		rta_venc_string(&p, "new", 3);
		rta_venc_end(&p, off, 1);
		memset(&r, 0, sizeof(r));
		r.kind = RTA_REC_EVENT;
		r.ev.ts = T0;
		r.ev.id = r.ev.type = r.ev.tenant = "x";
		r.ev.id_len = r.ev.type_len = r.ev.tenant_len = 1;
		r.ev.payload = p.data;
		r.ev.payload_len = p.len;
		ck_assert_int_eq(rta_cohort_add(c, &r, &err), RTA_ELIMIT);
		ck_assert_str_eq(err.reason, "too-many-users");
		rta_buf_release(&p);
	}
	rta_cohort_free(c);

	sp.periods = 0;
	ck_assert_int_eq(rta_cohort_new(&sp, &c, &err), RTA_EINVAL);
	sp.periods = RTA_COHORT_PERIODS_MAX + 1;
	ck_assert_int_eq(rta_cohort_new(&sp, &c, &err), RTA_EINVAL);
	rta_field_release(&f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rta_cohort");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, buckets);
	tcase_add_test(tc, random_streams);
	tcase_add_test(tc, states_round_trip);
	tcase_add_test(tc, bad_states);
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
