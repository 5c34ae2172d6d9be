/*
 * check_rta_qcache.c: the near-cache of rta-query --http: a hit only
 * under the same key and stamp, a stale entry dropped, the bounds on
 * entries and bytes with the least recently used going first, and the
 * stamp following the dataset's commit and manifest files.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_qcache.h"

#include "unit.h"

static struct rta_qcache *c;

static void
setup(void)
{
	c = malloc(sizeof(*c));
	ck_assert_ptr_nonnull(c);
	rta_qcache_init(c);
}

static void
teardown(void)
{
	size_t i;

	rta_qcache_release(c);
	ck_assert_uint_eq(c->n, 0);
	for (i = 0; i < RTA_QCACHE_ENTRIES; i++)
		ck_assert_ptr_null(c->e[i].body.data);
	free(c);
}

static struct rta_qcache_stamp
stamp_of(uint64_t n)
{
	struct rta_qcache_stamp s;

	memset(&s, 0, sizeof(s));
	s.v[2] = n;
	return s;
}

START_TEST(hit_only_under_key_and_stamp)
{
	struct rta_qcache_stamp s1 = stamp_of(1), s2 = stamp_of(2);
	const struct rta_buf *b;

	ck_assert_ptr_null(rta_qcache_get(c, "k", 1, &s1));
	ck_assert_int_eq(rta_qcache_put(c, "k", 1, &s1, "answer", 6), 0);
	b = rta_qcache_get(c, "k", 1, &s1);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->len, 6);
	ck_assert_mem_eq(b->data, "answer", 6);
	/* another key, a prefix of it, or a longer one: no hit */
	ck_assert_ptr_null(rta_qcache_get(c, "kk", 2, &s1));
	ck_assert_ptr_null(rta_qcache_get(c, "", 0, &s1));
	/* a new stamp: stale, and dropped */
	ck_assert_ptr_null(rta_qcache_get(c, "k", 1, &s2));
	ck_assert_uint_eq(c->n, 0);
	ck_assert_uint_eq(c->bytes, 0);
	ck_assert_ptr_null(rta_qcache_get(c, "k", 1, &s1));
	ck_assert_uint_eq(c->hits, 1);
	ck_assert_uint_eq(c->stale, 1);
}
END_TEST

START_TEST(replace_same_key)
{
	struct rta_qcache_stamp s1 = stamp_of(1), s2 = stamp_of(2);
	const struct rta_buf *b;

	ck_assert_int_eq(rta_qcache_put(c, "k", 1, &s1, "old", 3), 0);
	ck_assert_int_eq(rta_qcache_put(c, "k", 1, &s2, "newer", 5), 0);
	ck_assert_uint_eq(c->n, 1);
	ck_assert_uint_eq(c->bytes, 2 * 256);	/* as allocated */
	b = rta_qcache_get(c, "k", 1, &s2);
	ck_assert_ptr_nonnull(b);
	ck_assert_mem_eq(b->data, "newer", 5);
}
END_TEST

START_TEST(entries_bounded_lru)
{
	struct rta_qcache_stamp s = stamp_of(7);
	char key[32];
	int i;

	for (i = 0; i < RTA_QCACHE_ENTRIES; i++) {
		snprintf(key, sizeof(key), "q%d", i);
		ck_assert_int_eq(rta_qcache_put(c, key, strlen(key), &s, key,
		    strlen(key)), 0);
	}
	ck_assert_uint_eq(c->n, RTA_QCACHE_ENTRIES);
	/* q0 used again: q1 is now the least recently used */
	ck_assert_ptr_nonnull(rta_qcache_get(c, "q0", 2, &s));
	ck_assert_int_eq(rta_qcache_put(c, "new", 3, &s, "x", 1), 0);
	ck_assert_uint_eq(c->n, RTA_QCACHE_ENTRIES);
	ck_assert_ptr_null(rta_qcache_get(c, "q1", 2, &s));
	ck_assert_ptr_nonnull(rta_qcache_get(c, "q0", 2, &s));
	ck_assert_ptr_nonnull(rta_qcache_get(c, "q2", 2, &s));
	ck_assert_ptr_nonnull(rta_qcache_get(c, "new", 3, &s));
}
END_TEST

START_TEST(bytes_bounded)
{
	struct rta_qcache_stamp s = stamp_of(7);
	size_t big = RTA_QCACHE_ONE, total = 0;
	char *body = calloc(1, big + 1), key[32];
	int i;

	ck_assert_ptr_nonnull(body);
	/* one over the limit for a single answer is not kept */
	ck_assert_int_eq(rta_qcache_put(c, "huge", 4, &s, body, big + 1), 0);
	ck_assert_uint_eq(c->n, 0);
	for (i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "b%d", i);
		ck_assert_int_eq(rta_qcache_put(c, key, strlen(key), &s, body,
		    big), 0);
		ck_assert_uint_le(c->bytes, RTA_QCACHE_BYTES);
	}
	/* what is held, allocations and all, within the bound */
	for (i = 0; i < RTA_QCACHE_ENTRIES; i++)
		total += c->e[i].key.cap + c->e[i].body.cap;
	ck_assert_uint_eq(total, c->bytes);
	ck_assert_uint_le(total, RTA_QCACHE_BYTES);
	/* the newest stayed, the oldest went */
	ck_assert_ptr_nonnull(rta_qcache_get(c, "b39", 3, &s));
	ck_assert_ptr_null(rta_qcache_get(c, "b0", 2, &s));
	free(body);
}
END_TEST

/* Slots reused for small answers do not keep a big answer's memory. */
START_TEST(memory_freed_with_entries)
{
	struct rta_qcache_stamp s = stamp_of(7);
	size_t big = RTA_QCACHE_ONE, total;
	char *body = calloc(1, big), key[32];
	int i, round;

	ck_assert_ptr_nonnull(body);
	for (round = 0; round < 4; round++)
		for (i = 0; i < RTA_QCACHE_ENTRIES; i++) {
			snprintf(key, sizeof(key), "r%dk%d", round, i);
			ck_assert_int_eq(rta_qcache_put(c, key, strlen(key),
			    &s, body, round % 2 == 0 ? big : 10), 0);
		}
	/* the last round's small answers fill every slot */
	ck_assert_uint_eq(c->n, RTA_QCACHE_ENTRIES);
	for (total = 0, i = 0; i < RTA_QCACHE_ENTRIES; i++)
		total += c->e[i].key.cap + c->e[i].body.cap;
	ck_assert_uint_eq(total, c->bytes);
	ck_assert_uint_le(total, (size_t)RTA_QCACHE_ENTRIES * 512);
	free(body);
}
END_TEST

START_TEST(stamp_follows_files)
{
	struct rta_qcache_stamp a, b;
	char ds[UNIT_PATH_MAX];

	/* no dataset: no stamp, nothing to cache under */
	ck_assert_int_eq(rta_qcache_stamp(unit_path("."), "ev", &a), -1);
	snprintf(ds, sizeof(ds), "%s", unit_path("ev"));
	ck_assert_int_eq(mkdir(ds, 0700), 0);
	unit_write_str("ev/commits", "c1");
	ck_assert_int_eq(rta_qcache_stamp(unit_path("."), "ev", &a), 0);
	ck_assert_int_eq(rta_qcache_stamp(unit_path("."), "ev", &b), 0);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	/* a commit appends */
	unit_append("ev/commits", "c2", 2);
	ck_assert_int_eq(rta_qcache_stamp(unit_path("."), "ev", &b), 0);
	ck_assert(memcmp(&a, &b, sizeof(a)) != 0);
	/* a manifest appears (compaction), then is replaced (retention) */
	a = b;
	unit_write_str("ev/segments.tmp", "m1");
	ck_assert_int_eq(rename(unit_path("ev/segments.tmp"),
	    unit_path("ev/segments")), 0);
	ck_assert_int_eq(rta_qcache_stamp(unit_path("."), "ev", &b), 0);
	ck_assert(memcmp(&a, &b, sizeof(a)) != 0);
	a = b;
	unit_write_str("ev/segments.tmp", "m2");
	ck_assert_int_eq(rename(unit_path("ev/segments.tmp"),
	    unit_path("ev/segments")), 0);
	ck_assert_int_eq(rta_qcache_stamp(unit_path("."), "ev", &b), 0);
	ck_assert(memcmp(&a, &b, sizeof(a)) != 0);
}
END_TEST

static Suite *
qcache_suite(void)
{
	Suite *s = suite_create("rta_qcache");
	TCase *tc;

	tc = tcase_create("cache");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hit_only_under_key_and_stamp);
	tcase_add_test(tc, replace_same_key);
	tcase_add_test(tc, entries_bounded_lru);
	tcase_add_test(tc, bytes_bounded);
	tcase_add_test(tc, memory_freed_with_entries);
	suite_add_tcase(s, tc);

	tc = tcase_create("stamp");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, stamp_follows_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(qcache_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
