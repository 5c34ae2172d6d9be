/*
 * check_rta_buf.c: growth, reset, printf, overflow and failed growth of
 * struct rta_buf, and its little-endian helpers.
 *
 * The allocation-failure cases set RTA_FAULT, which is read once per
 * process, so they run only in check's fork mode.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"

/* Let the sanitizer's malloc fail as the real one does. */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static struct rta_buf fb;

static void
setup(void)
{
	rta_buf_init(&fb);
	ck_assert_ptr_null(fb.data);
	ck_assert_uint_eq(fb.len, 0);
	ck_assert_uint_eq(fb.cap, 0);
}

static void
teardown(void)
{
	rta_buf_release(&fb);
	ck_assert_ptr_null(fb.data);
	ck_assert_uint_eq(fb.len, 0);
	ck_assert_uint_eq(fb.cap, 0);
}

START_TEST(init_forms)
{
	struct rta_buf a = RTA_BUF_INIT;

	ck_assert_ptr_null(a.data);
	ck_assert_uint_eq(a.len + a.cap, 0);
	/* releasing an empty buffer, and NULL, is fine */
	rta_buf_release(&a);
	rta_buf_release(NULL);
	ck_assert_ptr_null(a.data);
}
END_TEST

START_TEST(growth)
{
	size_t i, lastcap = 0, grows = 0;

	for (i = 0; i < 100000; i++) {
		ck_assert_int_eq(rta_buf_addc(&fb, (int)(i * 7)), 0);
		if (fb.cap != lastcap) {
			/* at least 256, then doubling */
			if (lastcap == 0)
				ck_assert_uint_ge(fb.cap, 256);
			else
				ck_assert_uint_ge(fb.cap, 2 * lastcap);
			lastcap = fb.cap;
			grows++;
		}
		ck_assert_uint_le(fb.len, fb.cap);
	}
	ck_assert_uint_eq(fb.len, 100000);
	ck_assert_uint_le(grows, 12);		/* amortised O(1) */
	for (i = 0; i < 100000; i++)
		if (fb.data[i] != (unsigned char)(i * 7))
			ck_abort_msg("byte %zu lost in growth", i);
}
END_TEST

START_TEST(add_and_reserve)
{
	static const char big[1000] = "x";
	size_t cap;

	ck_assert_int_eq(rta_buf_add(&fb, "abc", 3), 0);
	ck_assert_int_eq(rta_buf_adds(&fb, "def"), 0);
	ck_assert_int_eq(rta_buf_add(&fb, NULL, 0), 0);
	ck_assert_uint_eq(fb.len, 6);
	ck_assert_int_eq(memcmp(fb.data, "abcdef", 6), 0);
	/* reserve makes room without changing the contents */
	ck_assert_int_eq(rta_buf_reserve(&fb, 5000), 0);
	ck_assert_uint_ge(fb.cap - fb.len, 5000);
	ck_assert_uint_eq(fb.len, 6);
	ck_assert_int_eq(memcmp(fb.data, "abcdef", 6), 0);
	cap = fb.cap;
	ck_assert_int_eq(rta_buf_reserve(&fb, 10), 0);
	ck_assert_uint_eq(fb.cap, cap);	/* no growth when there is room */
	ck_assert_int_eq(rta_buf_add(&fb, big, sizeof(big)), 0);
	ck_assert_uint_eq(fb.len, 1006);
	ck_assert_int_eq(fb.data[6], 'x');
	ck_assert_int_eq(fb.data[7], 0);
}
END_TEST

START_TEST(reset)
{
	size_t cap;
	unsigned char *data;

	ck_assert_int_eq(rta_buf_adds(&fb, "some text"), 0);
	cap = fb.cap;
	data = fb.data;
	rta_buf_reset(&fb);
	ck_assert_uint_eq(fb.len, 0);
	ck_assert_uint_eq(fb.cap, cap);		/* storage kept */
	ck_assert_ptr_eq(fb.data, data);
	ck_assert_int_eq(rta_buf_adds(&fb, "new"), 0);
	ck_assert_uint_eq(fb.len, 3);
	ck_assert_int_eq(memcmp(fb.data, "new", 3), 0);
	/* a released buffer is reusable */
	rta_buf_release(&fb);
	ck_assert_int_eq(rta_buf_adds(&fb, "again"), 0);
	ck_assert_int_eq(memcmp(fb.data, "again", 5), 0);
}
END_TEST

START_TEST(printf_appends)
{
	char want[3000];
	int i;

	ck_assert_int_eq(rta_buf_adds(&fb, "x="), 0);
	ck_assert_int_eq(rta_buf_printf(&fb, "%d,%s,%05.1f", 42, "str", 2.5),
	    0);
	ck_assert_uint_eq(fb.len, 2 + strlen("42,str,002.5"));
	ck_assert_int_eq(memcmp(fb.data, "x=42,str,002.5", fb.len), 0);
	/* the NUL printf writes is not counted */
	ck_assert_int_eq(fb.data[fb.len], '\0');
	ck_assert_int_eq(rta_buf_printf(&fb, "%s", ""), 0);
	ck_assert_uint_eq(fb.len, 14);
	/* output longer than the room left, several times over */
	rta_buf_reset(&fb);
	want[0] = '\0';
	for (i = 0; i < 300; i++) {
		char piece[16];

		snprintf(piece, sizeof(piece), "[%04d]", i);
		strcat(want, piece);
		ck_assert_int_eq(rta_buf_printf(&fb, "[%04d]", i), 0);
	}
	ck_assert_uint_eq(fb.len, strlen(want));
	ck_assert_int_eq(memcmp(fb.data, want, fb.len), 0);
	rta_buf_reset(&fb);
	memset(want, 'y', 2999);
	want[2999] = '\0';
	ck_assert_int_eq(rta_buf_printf(&fb, "%s", want), 0);
	ck_assert_uint_eq(fb.len, 2999);
	ck_assert_int_eq(memcmp(fb.data, want, 2999), 0);
}
END_TEST

/* A request that cannot be met fails cleanly and changes nothing. */
START_TEST(overflow)
{
	volatile size_t huge = SIZE_MAX - 1;	/* opaque to the compiler */
	unsigned char *data;
	size_t cap;

	ck_assert_int_eq(rta_buf_adds(&fb, "keep"), 0);
	data = fb.data;
	cap = fb.cap;
	/* len + n wraps around */
	errno = 0;
	ck_assert_int_eq(rta_buf_reserve(&fb, SIZE_MAX), -1);
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_int_eq(rta_buf_reserve(&fb, SIZE_MAX - 2), -1);
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_int_eq(rta_buf_add(&fb, "z", huge), -1);
	ck_assert_int_eq(errno, ENOMEM);
	/* too big for any allocator */
	errno = 0;
	ck_assert_int_eq(rta_buf_reserve(&fb, SIZE_MAX / 2), -1);
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_int_eq(rta_buf_reserve(&fb, SIZE_MAX - 4), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_ptr_eq(fb.data, data);
	ck_assert_uint_eq(fb.cap, cap);
	ck_assert_uint_eq(fb.len, 4);
	ck_assert_int_eq(memcmp(fb.data, "keep", 4), 0);
	/* still usable */
	ck_assert_int_eq(rta_buf_adds(&fb, "!"), 0);
	ck_assert_int_eq(memcmp(fb.data, "keep!", 5), 0);
}
END_TEST

/* An empty buffer asked for everything: the doubling must not wrap. */
START_TEST(overflow_empty)
{
	struct rta_buf b = RTA_BUF_INIT;

	errno = 0;
	ck_assert_int_eq(rta_buf_reserve(&b, SIZE_MAX), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(rta_buf_reserve(&b, (SIZE_MAX >> 1) + 2), -1);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

START_TEST(little_endian)
{
	unsigned char raw[24];
	size_t off;

	for (off = 0; off < 8; off++) {
		memset(raw, 0xee, sizeof(raw));
		rta_put_u16(raw + off, 0x1234);
		ck_assert_int_eq(raw[off], 0x34);
		ck_assert_int_eq(raw[off + 1], 0x12);
		ck_assert_uint_eq(rta_get_u16(raw + off), 0x1234);
		rta_put_u32(raw + off, 0x89abcdefU);
		ck_assert_int_eq(raw[off], 0xef);
		ck_assert_int_eq(raw[off + 3], 0x89);
		ck_assert_uint_eq(rta_get_u32(raw + off), 0x89abcdefU);
		rta_put_u64(raw + off, 0x0102030405060708ULL);
		ck_assert_int_eq(raw[off], 0x08);
		ck_assert_int_eq(raw[off + 7], 0x01);
		ck_assert_int_eq(raw[off + 8], 0xee);	/* nothing beyond */
		ck_assert(rta_get_u64(raw + off) == 0x0102030405060708ULL);
		rta_put_u64(raw + off, UINT64_MAX);
		ck_assert(rta_get_u64(raw + off) == UINT64_MAX);
	}
	ck_assert_int_eq(rta_buf_add_u32(&fb, 0xa1b2c3d4U), 0);
	ck_assert_int_eq(rta_buf_add_u64(&fb, 0x1122334455667788ULL), 0);
	ck_assert_uint_eq(fb.len, 12);
	ck_assert_uint_eq(rta_get_u32(fb.data), 0xa1b2c3d4U);
	ck_assert(rta_get_u64(fb.data + 4) == 0x1122334455667788ULL);
	ck_assert_int_eq(fb.data[4], 0x88);
}
END_TEST

/* A failing allocation leaves the buffer as it was (adlist's rule). */
START_TEST(failed_growth_keeps_contents)
{
	struct rta_buf b = RTA_BUF_INIT;
	size_t cap;

	/* allocation 1 succeeds, 2 fails, 3 succeeds */
	setenv("RTA_FAULT", "alloc:2", 1);
	ck_assert_int_eq(rta_buf_adds(&b, "first"), 0);
	cap = b.cap;
	errno = 0;
	ck_assert_int_eq(rta_buf_reserve(&b, cap * 4), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(memcmp(b.data, "first", 5), 0);
	ck_assert_int_eq(rta_buf_reserve(&b, cap * 4), 0);
	ck_assert_int_eq(memcmp(b.data, "first", 5), 0);
	rta_buf_release(&b);
}
END_TEST

START_TEST(failed_printf_keeps_contents)
{
	struct rta_buf b = RTA_BUF_INIT;
	char big[1000];

	setenv("RTA_FAULT", "alloc:2:persistent", 1);
	ck_assert_int_eq(rta_buf_adds(&b, "head"), 0);
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(rta_buf_printf(&b, "%s", big), -1);
	ck_assert_int_eq(rta_buf_add(&b, big, sizeof(big)), -1);
	ck_assert_int_eq(rta_buf_add_u64(&b, 1), 0);	/* fits: no alloc */
	ck_assert_uint_eq(b.len, 12);
	ck_assert_int_eq(memcmp(b.data, "head", 4), 0);
	rta_buf_release(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

static Suite *
buf_suite(int forking)
{
	Suite *s = suite_create("rta_buf");
	TCase *tc;

	tc = tcase_create("lifecycle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, init_forms);
	tcase_add_test(tc, growth);
	tcase_add_test(tc, add_and_reserve);
	tcase_add_test(tc, reset);
	suite_add_tcase(s, tc);

	tc = tcase_create("printf");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, printf_appends);
	suite_add_tcase(s, tc);

	tc = tcase_create("overflow");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, overflow);
	tcase_add_test(tc, overflow_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("endian");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, little_endian);
	suite_add_tcase(s, tc);

	if (forking) {
		tc = tcase_create("alloc_failure");
		tcase_add_test(tc, failed_growth_keeps_contents);
		tcase_add_test(tc, failed_printf_keeps_contents);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(NULL);
	srunner_add_suite(sr, buf_suite(srunner_fork_status(sr) != CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
