/*
 * check_rta_thrift.c: the Thrift compact writer read back by the reader
 * (field id deltas and long jumps, negative and extreme integers, bools,
 * binaries, nested structs, lists of structs), unknown fields skipped
 * whatever their type, and the reader's refusals: every truncation of a
 * valid struct, nesting past RTA_TR_DEPTH_MAX, lists longer than the
 * bytes left.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_thrift.h"

/* What the reader found. */
struct got {
	int32_t			 i32;
	int64_t			 i64, big;
	int			 flag, inner, nelems, unknown;
	const unsigned char	*s;
	size_t			 slen;
	int64_t			 elems[8];
};

static int
f_inner(struct rta_tr *t, void *arg, int id, int type)
{
	struct got *g = arg;
	int32_t v;

	if (id == 1 && type == RTA_TT_I32) {
		if (rta_tr_i32(t, &v) != 0)
			return -1;
		g->inner = v;
		return 0;
	}
	return 1;
}

static int
each_elem(struct rta_tr *t, void *arg)
{
	struct got *g = arg;
	int32_t v = -1;
	struct got tmp;

	memset(&tmp, 0, sizeof(tmp));
	if (rta_tr_struct(t, f_inner, &tmp) != 0)
		return -1;
	v = tmp.inner;
	if (g->nelems < 8)
		g->elems[g->nelems] = v;
	g->nelems++;
	return 0;
}

static int
f_outer(struct rta_tr *t, void *arg, int id, int type)
{
	struct got *g = arg;

	switch (id) {
	case 1:
		return type == RTA_TT_I32 ? rta_tr_i32(t, &g->i32) : 1;
	case 2:
		return type == RTA_TT_I64 ? rta_tr_int(t, INT64_MIN,
		    INT64_MAX, &g->i64) : 1;
	case 3:
		if (type != RTA_TT_TRUE && type != RTA_TT_FALSE)
			return 1;
		g->flag = type == RTA_TT_TRUE;
		return 1;
	case 4:
		return type == RTA_TT_BINARY ? rta_tr_bin(t, &g->s,
		    &g->slen) : 1;
	case 5:
		return type == RTA_TT_STRUCT ? rta_tr_struct(t, f_inner, g) :
		    1;
	case 6:
		return type == RTA_TT_LIST ? rta_tr_structs(t, each_elem, g) :
		    1;
	case 300:
		return type == RTA_TT_I64 ? rta_tr_int(t, INT64_MIN,
		    INT64_MAX, &g->big) : 1;
	}
	g->unknown++;
	return 1;
}

/* The struct every test reads, with unknown fields if extra is set. */
static void
write_outer(struct rta_buf *b, int extra)
{
	struct rta_tw t;
	int k;

	rta_tw_init(&t, b);
	rta_tw_begin(&t, 0);
	rta_tw_i32(&t, 1, -7);
	rta_tw_i64(&t, 2, INT64_MIN);
	rta_tw_bool(&t, 3, 1);
	if (extra) {
		rta_tw_list(&t, 9, RTA_TT_I32, 20);
		for (k = 0; k < 20; k++)
			rta_tw_zigzag(&t, k * 1000);
		rta_tw_begin(&t, 10);
		rta_tw_bin(&t, 1, "skip me", 7);
		rta_tw_empty(&t, 2);
		rta_tw_end(&t);
		rta_tw_bin(&t, 11, "", 0);
	}
	/* after field 11, back to 4: a long field header */
	rta_tw_bin(&t, 4, "hello", 5);
	rta_tw_begin(&t, 5);
	rta_tw_i32(&t, 1, INT32_MAX);
	rta_tw_end(&t);
	rta_tw_list(&t, 6, RTA_TT_STRUCT, 3);
	for (k = 0; k < 3; k++) {
		rta_tw_begin(&t, 0);
		rta_tw_i32(&t, 1, k - 1);
		rta_tw_end(&t);
	}
	rta_tw_i64(&t, 300, INT64_MAX);
	rta_tw_end(&t);
	ck_assert_int_eq(t.fail, 0);
	ck_assert_int_eq(t.depth, 0);
}

static int
read_outer(const struct rta_buf *b, size_t len, struct got *g,
    const char **why)
{
	struct rta_tr t;
	int rc;

	memset(g, 0, sizeof(*g));
	t.p = b->data;
	t.end = b->data + len;
	t.why = NULL;
	t.depth = 0;
	rc = rta_tr_struct(&t, f_outer, g);
	*why = t.why;
	if (rc == 0) {
		ck_assert_ptr_eq(t.p, t.end);
		ck_assert_int_eq(t.depth, 0);
	}
	return rc;
}

static void
check_outer(const struct got *g)
{
	ck_assert_int_eq(g->i32, -7);
	ck_assert(g->i64 == INT64_MIN);
	ck_assert(g->big == INT64_MAX);
	ck_assert_int_eq(g->flag, 1);
	ck_assert_uint_eq(g->slen, 5);
	ck_assert(memcmp(g->s, "hello", 5) == 0);
	ck_assert_int_eq(g->inner, INT32_MAX);
	ck_assert_int_eq(g->nelems, 3);
	ck_assert(g->elems[0] == -1 && g->elems[1] == 0 && g->elems[2] == 1);
}

START_TEST(round_trip)
{
	struct rta_buf b;
	const char *why;
	struct got g;

	rta_buf_init(&b);
	write_outer(&b, 0);
	ck_assert_int_eq(read_outer(&b, b.len, &g, &why), 0);
	ck_assert_ptr_null(why);
	check_outer(&g);
	ck_assert_int_eq(g.unknown, 0);
	rta_buf_release(&b);
}
END_TEST

START_TEST(unknown_fields_skipped)
{
	struct rta_buf b;
	const char *why;
	struct got g;

	rta_buf_init(&b);
	write_outer(&b, 1);
	ck_assert_int_eq(read_outer(&b, b.len, &g, &why), 0);
	check_outer(&g);
	ck_assert_int_eq(g.unknown, 3);
	rta_buf_release(&b);
}
END_TEST

START_TEST(every_truncation_fails)
{
	struct rta_buf b;
	const char *why;
	struct got g;
	size_t n;

	rta_buf_init(&b);
	write_outer(&b, 1);
	for (n = 0; n < b.len; n++) {
		ck_assert_int_eq(read_outer(&b, n, &g, &why), -1);
		ck_assert_ptr_nonnull(why);
	}
	rta_buf_release(&b);
}
END_TEST

static int
f_any(struct rta_tr *t, void *arg, int id, int type)
{
	(void)t;
	(void)arg;
	(void)id;
	(void)type;
	return 1;
}

START_TEST(nesting_limit)
{
	unsigned char p[2 * (RTA_TR_DEPTH_MAX + 4)];
	struct rta_tr t;
	size_t i, n = 0;

	/* field 1, a struct, inside field 1, a struct, ... then stops */
	for (i = 0; i < RTA_TR_DEPTH_MAX + 2; i++)
		p[n++] = 0x10 | RTA_TT_STRUCT;
	while (n < sizeof(p))
		p[n++] = 0;
	t.p = p;
	t.end = p + n;
	t.why = NULL;
	t.depth = 0;
	ck_assert_int_eq(rta_tr_struct(&t, f_any, NULL), -1);
	ck_assert_str_eq(t.why, "nested too deeply");
}
END_TEST

START_TEST(list_longer_than_bytes)
{
	/* field 1: a list of 1,000 i32 in five bytes */
	static const unsigned char p[] = { 0x10 | RTA_TT_LIST,
	    0xf0 | RTA_TT_I32, 0xe8, 0x07, 0x00, 0x00 };
	struct rta_tr t;

	t.p = p;
	t.end = p + sizeof(p);
	t.why = NULL;
	t.depth = 0;
	ck_assert_int_eq(rta_tr_struct(&t, f_any, NULL), -1);
	ck_assert_str_eq(t.why, "list longer than the bytes left");
}
END_TEST

START_TEST(int_range)
{
	struct rta_buf b;
	struct rta_tw w;
	struct rta_tr t;
	int64_t v;
	int32_t v32;

	rta_buf_init(&b);
	rta_tw_init(&w, &b);
	rta_tw_zigzag(&w, (int64_t)INT32_MAX + 1);
	rta_tw_zigzag(&w, -5);
	ck_assert_int_eq(w.fail, 0);
	t.p = b.data;
	t.end = b.data + b.len;
	t.why = NULL;
	t.depth = 0;
	ck_assert_int_eq(rta_tr_i32(&t, &v32), -1);
	ck_assert_str_eq(t.why, "integer out of range");
	t.why = NULL;
	ck_assert_int_eq(rta_tr_int(&t, -5, 5, &v), 0);
	ck_assert(v == -5);
	ck_assert_ptr_eq(t.p, t.end);
	rta_buf_release(&b);
}
END_TEST

static Suite *
thrift_suite(void)
{
	Suite *s = suite_create("rta_thrift");
	TCase *tc;

	tc = tcase_create("round trip");
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, unknown_fields_skipped);
	tcase_add_test(tc, int_range);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_test(tc, every_truncation_fails);
	tcase_add_test(tc, nesting_limit);
	tcase_add_test(tc, list_longer_than_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(thrift_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
