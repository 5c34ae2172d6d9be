/*
 * check_rta_cli.c: the front-end helpers every program shares: option
 * value parsers (range and trailing junk, as strtonum), the one mapping
 * from library codes to exit statuses, usage errors (message, usage line,
 * hint, exit 2, all on stderr), and the closed-descriptor guard.  Tests
 * that exit or touch the standard descriptors run in a child process.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rta_cli.h"

START_TEST(parse_u64)
{
	uint64_t v;

	ck_assert_int_eq(rta_parse_u64("42", 0, 100, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(rta_parse_u64("18446744073709551615", 0, UINT64_MAX,
	    &v), 0);
	ck_assert(v == UINT64_MAX);
	ck_assert_int_eq(rta_parse_u64("18446744073709551616", 0, UINT64_MAX,
	    &v), -1);
	ck_assert_int_eq(rta_parse_u64("101", 0, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64("0", 1, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64("", 0, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64("-1", 0, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64("+1", 0, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64(" 1", 0, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64("1x", 0, 100, &v), -1);
	ck_assert_int_eq(rta_parse_u64("0x10", 0, 100, &v), -1);
}
END_TEST

START_TEST(parse_double)
{
	double v;

	ck_assert_int_eq(rta_parse_double("0.25", 0, 1, &v), 0);
	ck_assert(v == 0.25);
	ck_assert_int_eq(rta_parse_double("1.5", 0, 1, &v), -1);
	ck_assert_int_eq(rta_parse_double("nan", 0, 1, &v), -1);
	ck_assert_int_eq(rta_parse_double("inf", 0, 1e300, &v), -1);
	ck_assert_int_eq(rta_parse_double("", 0, 1, &v), -1);
	ck_assert_int_eq(rta_parse_double("0.5%", 0, 1, &v), -1);
}
END_TEST

START_TEST(parse_size)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "512", 512 }, { "64K", 65536 }, { "64k", 65536 },
		{ "16M", 16 << 20 }, { "1G", 1ULL << 30 }, { "2KiB", 2048 },
		{ "3MB", 3 << 20 },
	};
	static const char *const bad[] = { "", "M", "-1", "1T", "1Mx",
	    "18446744073709551615K", "1 M" };
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_msg(rta_parse_size(ok[i].s, &v) == 0, "%s", ok[i].s);
		ck_assert_msg(v == ok[i].v, "%s: %llu", ok[i].s,
		    (unsigned long long)v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rta_parse_size(bad[i], &v) == -1, "'%s' taken",
		    bad[i]);
}
END_TEST

START_TEST(exit_codes)
{
	ck_assert_int_eq(rta_exit_code(RTA_OK), RTA_EXIT_OK);
	ck_assert_int_eq(rta_exit_code(RTA_EOF), RTA_EXIT_OK);
	ck_assert_int_eq(rta_exit_code(RTA_EDATA), RTA_EXIT_DATA);
	ck_assert_int_eq(rta_exit_code(RTA_EINVAL), RTA_EXIT_USAGE);
	ck_assert_int_eq(rta_exit_code(RTA_EIO), RTA_EXIT_IO);
	ck_assert_int_eq(rta_exit_code(RTA_ENOMEM), RTA_EXIT_LIMIT);
	ck_assert_int_eq(rta_exit_code(RTA_ELIMIT), RTA_EXIT_LIMIT);
}
END_TEST

START_TEST(status_highest_wins)
{
	int status = RTA_EXIT_OK;

	rta_cli_status(&status, RTA_EXIT_DATA);
	ck_assert_int_eq(status, RTA_EXIT_DATA);
	rta_cli_status(&status, RTA_EXIT_IO);
	rta_cli_status(&status, RTA_EXIT_DATA);
	ck_assert_int_eq(status, RTA_EXIT_IO);
}
END_TEST

/* Run fn in a child with stderr to a file; return its exit status and
 * what it wrote there. */
static int
child(void (*fn)(void), char *out, size_t outsz)
{
	char path[] = "/tmp/check_rta_cli.XXXXXX";
	int fd = mkstemp(path), status;
	pid_t pid;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	if ((pid = fork()) == 0) {
		dup2(fd, 2);
		fn();
		_exit(99);
	}
	waitpid(pid, &status, 0);
	n = pread(fd, out, outsz - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
usage_fn(void)
{
	rta_cli_init("rta-test");
	rta_usage_error("usage: rta-test [-q] [file ...]", "bad --x '%s'",
	    "y");
}

START_TEST(usage_error_shape)
{
	char out[512];

	ck_assert_int_eq(child(usage_fn, out, sizeof(out)), RTA_EXIT_USAGE);
	ck_assert_str_eq(out, "rta-test: bad --x 'y'\n"
	    "usage: rta-test [-q] [file ...]\n"
	    "Try 'rta-test --help' for more information.\n");
}
END_TEST

static void
warn_fn(void)
{
	rta_cli_init("rta-test");
	rta_warnx("%s: %d", "x.ndjson", 3);
	exit(0);
}

START_TEST(warnx_shape)
{
	char out[256];

	ck_assert_int_eq(child(warn_fn, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "rta-test: x.ndjson: 3\n");
}
END_TEST

/*
 * Started with stdout closed, a program must not give fd 1 to the next
 * file it opens, and writing to stdout must fail with EBADF.
 */
static void
closed_fn(void)
{
	int fd;

	close(1);
	rta_cli_init("rta-test");
	fd = open("/dev/null", O_RDONLY);
	if (fd == 1)
		exit(10);
	if (write(1, "x", 1) != -1)
		exit(11);
	exit(0);
}

START_TEST(closed_stdout_reserved)
{
	char out[64];

	ck_assert_int_eq(child(closed_fn, out, sizeof(out)), 0);
}
END_TEST

static Suite *
cli_suite(int forking)
{
	Suite *s = suite_create("rta_cli");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, parse_u64);
	tcase_add_test(tc, parse_double);
	tcase_add_test(tc, parse_size);
	suite_add_tcase(s, tc);
	tc = tcase_create("status");
	tcase_add_test(tc, exit_codes);
	tcase_add_test(tc, status_highest_wins);
	suite_add_tcase(s, tc);
	if (forking) {
		tc = tcase_create("messages");
		tcase_add_test(tc, usage_error_shape);
		tcase_add_test(tc, warnx_shape);
		tcase_add_test(tc, closed_stdout_reserved);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	srunner_add_suite(sr, cli_suite(srunner_fork_status(sr) != CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
