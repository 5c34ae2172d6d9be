/*
 * check_rta_alloc.c: the allocator wrappers and RTA_FAULT injection.
 *
 * RTA_FAULT is read once per process, on the first allocation, so every
 * injection test sets it at its start and relies on check's fork mode (a
 * fresh process per test); they are left out under CK_FORK=no.  Nothing in
 * main allocates through rta_alloc before the tests fork.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"

/* Let the sanitizer's malloc fail as the real one does. */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

START_TEST(plain_allocations)
{
	unsigned char *p, *q;
	unsigned *a;
	char *s;
	size_t i;

	p = rta_malloc(100);
	ck_assert_ptr_nonnull(p);
	memset(p, 0xab, 100);
	q = rta_realloc(p, 10000);
	ck_assert_ptr_nonnull(q);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(q[i], 0xab);
	rta_free(q);
	a = rta_calloc(50, sizeof(*a));
	ck_assert_ptr_nonnull(a);
	for (i = 0; i < 50; i++)
		ck_assert_uint_eq(a[i], 0);
	a = rta_reallocarray(a, 1000, sizeof(*a));
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a[49], 0);
	rta_free(a);
	s = rta_memdup("hello\0world", 11);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(memcmp(s, "hello\0world", 11), 0);
	ck_assert_int_eq(s[11], '\0');
	rta_free(s);
	s = rta_memdup(NULL, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s[0], '\0');
	rta_free(s);
	rta_free(NULL);
}
END_TEST

START_TEST(zero_sizes)
{
	void *p;

	/* a zero-size request is a valid, freeable pointer, not NULL */
	p = rta_malloc(0);
	ck_assert_ptr_nonnull(p);
	rta_free(p);
	p = rta_calloc(0, 8);
	ck_assert_ptr_nonnull(p);
	rta_free(p);
	p = rta_calloc(8, 0);
	ck_assert_ptr_nonnull(p);
	rta_free(p);
	p = rta_realloc(NULL, 0);
	ck_assert_ptr_nonnull(p);
	p = rta_realloc(p, 0);
	ck_assert_ptr_nonnull(p);
	rta_free(p);
}
END_TEST

START_TEST(overflow_checks)
{
	unsigned char *p;

	errno = 0;
	ck_assert_ptr_null(rta_calloc(SIZE_MAX / 2 + 1, 2));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(rta_calloc(2, SIZE_MAX / 2 + 1));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(rta_memdup("x", SIZE_MAX));
	ck_assert_int_eq(errno, ENOMEM);
	/* a failed reallocarray leaves the old block alone */
	p = rta_malloc(16);
	ck_assert_ptr_nonnull(p);
	memcpy(p, "0123456789abcdef", 16);
	errno = 0;
	ck_assert_ptr_null(rta_reallocarray(p, SIZE_MAX / 8 + 1, 16));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_int_eq(memcmp(p, "0123456789abcdef", 16), 0);
	/* and so does a failed realloc */
	errno = 0;
	ck_assert_ptr_null(rta_realloc(p, SIZE_MAX - 64));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_int_eq(memcmp(p, "0123456789abcdef", 16), 0);
	rta_free(p);
	/* too big for the system: NULL, not a crash */
	errno = 0;
	ck_assert_ptr_null(rta_malloc(SIZE_MAX - 64));
	ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

/* ---- RTA_FAULT --------------------------------------------------------- */

/* One allocation through each entry point, in turn; 1 if it failed. */
static int
alloc_fails(int kind)
{
	void *p = NULL;
	int failed;

	errno = 0;
	switch (kind % 5) {
	case 0:
		p = rta_malloc(32);
		break;
	case 1:
		p = rta_calloc(4, 8);
		break;
	case 2:
		p = rta_realloc(NULL, 32);
		break;
	case 3:
		p = rta_reallocarray(NULL, 4, 8);
		break;
	default:
		p = rta_memdup("abc", 3);
		break;
	}
	failed = p == NULL;
	if (failed)
		ck_assert_int_eq(errno, ENOMEM);
	rta_free(p);
	return failed;
}

/* _i is N: alloc:N fails the Nth allocation once, whatever its kind. */
START_TEST(fault_once)
{
	char spec[32];
	int n = _i, k;

	snprintf(spec, sizeof(spec), "alloc:%d", n);
	setenv("RTA_FAULT", spec, 1);
	for (k = 1; k <= 12; k++)
		ck_assert_msg(alloc_fails(k) == (k == n),
		    "RTA_FAULT=%s: allocation %d %s", spec, k,
		    k == n ? "succeeded" : "failed");
}
END_TEST

START_TEST(fault_persistent)
{
	char spec[40];
	int n = _i, k;

	snprintf(spec, sizeof(spec), "alloc:%d:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	for (k = 1; k <= 12; k++)
		ck_assert_msg(alloc_fails(k) == (k >= n),
		    "RTA_FAULT=%s: allocation %d %s", spec, k,
		    k >= n ? "succeeded" : "failed");
}
END_TEST

/* A failing realloc keeps the block, in injection as in real life. */
START_TEST(fault_realloc_keeps_block)
{
	char *p, *q;

	setenv("RTA_FAULT", "alloc:2", 1);
	p = rta_memdup("precious", 8);
	ck_assert_ptr_nonnull(p);
	q = rta_realloc(p, 4096);
	ck_assert_ptr_null(q);
	ck_assert_str_eq(p, "precious");
	q = rta_realloc(p, 4096);
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q, "precious");
	rta_free(q);
}
END_TEST

/* Values that do not ask for a fault ask for none. */
START_TEST(fault_off)
{
	static const char *const spec[] = { "alloc:0", "alloc:", "alloc:x",
	    "", "malloc:1", "alloc", "ALLOC:1", "write:1" };
	int k;

	setenv("RTA_FAULT", spec[_i], 1);
	for (k = 1; k <= 20; k++)
		ck_assert_msg(!alloc_fails(k), "RTA_FAULT='%s': allocation "
		    "%d failed", spec[_i], k);
}
END_TEST

/* The variable is read once: changing it later changes nothing. */
START_TEST(fault_read_once)
{
	setenv("RTA_FAULT", "alloc:3", 1);
	ck_assert(!alloc_fails(0));
	setenv("RTA_FAULT", "alloc:1:persistent", 1);
	ck_assert(!alloc_fails(1));
	ck_assert(alloc_fails(2));
	ck_assert(!alloc_fails(3));
	unsetenv("RTA_FAULT");
	ck_assert(!alloc_fails(4));
}
END_TEST

/* The faults reach the users of the allocator, e.g. rta_buf. */
START_TEST(fault_reaches_buf)
{
	struct rta_buf b = RTA_BUF_INIT;

	setenv("RTA_FAULT", "alloc:1", 1);
	errno = 0;
	ck_assert_int_eq(rta_buf_adds(&b, "x"), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_int_eq(rta_buf_adds(&b, "x"), 0);
	rta_buf_release(&b);
}
END_TEST

static Suite *
alloc_suite(int forking)
{
	Suite *s = suite_create("rta_alloc");
	TCase *tc;

	tc = tcase_create("wrappers");
	tcase_add_test(tc, plain_allocations);
	tcase_add_test(tc, zero_sizes);
	tcase_add_test(tc, overflow_checks);
	suite_add_tcase(s, tc);

	if (forking) {
		tc = tcase_create("fault");
		tcase_add_loop_test(tc, fault_once, 1, 8);
		tcase_add_loop_test(tc, fault_persistent, 1, 8);
		tcase_add_test(tc, fault_realloc_keeps_block);
		tcase_add_loop_test(tc, fault_off, 0, 8);
		tcase_add_test(tc, fault_read_once);
		tcase_add_test(tc, fault_reaches_buf);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	unsetenv("RTA_FAULT");
	sr = srunner_create(NULL);
	srunner_add_suite(sr, alloc_suite(srunner_fork_status(sr) !=
	    CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
