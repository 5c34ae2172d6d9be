/*
 * check_rta_stage.c: the record loop every filter shares.  Each test runs
 * a small stage in a child process (the stage writes to stdout and
 * stderr and returns an exit status) over files written here, then checks
 * what a user would: the records out, the dead letters, the counters in
 * the metrics file, and that in = out + rejected + dropped holds.
 */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rta_cli.h"
#include "rta_stage.h"
#include "unit.h"

/* Lines of a file, or -1 if it cannot be read. */
static int
lines(const char *name)
{
	FILE *f;
	int c, n = 0;

	if ((f = fopen(unit_path(name), "r")) == NULL)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* The value of the metric line that starts with prefix, or -1. */
static long
metric(const char *name, const char *prefix)
{
	char line[512];
	FILE *f;
	long v = -1;

	if ((f = fopen(unit_path(name), "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			v = atol(strrchr(line, ' ') + 1);
			break;
		}
	fclose(f);
	return v;
}

static const char good[] =
    "{\"event_id\":\"a\",\"timestamp\":\"2026-01-01T00:00:00Z\","
    "\"event_type\":\"t\",\"tenant_id\":\"acme\",\"payload\":{\"n\":1}}\n";

/*
 * The stage under test: a pass-through like rta-cat's loop, with an
 * optional program-level rejection of events of type "reject", and an
 * optional drop of type "drop".  argv holds options then operands.
 */
static int
run_stage(int argc, char **argv)
{
	static const struct option longopts[] = {
		RTA_STAGE_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct rta_stage st;
	struct rta_record rec;
	struct rta_error e;
	int c, status;

	optind = 1;
	rta_stage_init(&st, "rta-test", "usage: rta-test [file ...]");
	while ((c = getopt_long(argc, argv, ":" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1)
		if (!rta_stage_getopt(&st, c, optarg))
			return 2;
	if ((status = rta_stage_start(&st, argc - optind, argv + optind)))
		return status;
	while (rta_stage_next(&st, &rec) == RTA_OK) {
		if (rec.kind == RTA_REC_EVENT && rec.ev.type_len == 6 &&
		    memcmp(rec.ev.type, "reject", 6) == 0) {
			rta_error_set(&e, RTA_EDATA, "test-reject",
			    "rejected by the stage");
			rta_stage_reject(&st, &rec.ev, &e, "x", 1);
			continue;
		}
		if (rec.kind == RTA_REC_EVENT && rec.ev.type_len == 4 &&
		    memcmp(rec.ev.type, "drop", 4) == 0) {
			rta_stage_drop(&st);
			continue;
		}
		if (rta_stage_emit(&st, &rec) != RTA_OK)
			break;
	}
	return rta_stage_finish(&st);
}

/* Run the stage in a child, stdout to dir/out, stderr to dir/err. */
static int
stage(const char *a0, ...)
{
	char *argv[32];
	const char *outp = unit_path("out"), *errp = unit_path("err");
	va_list ap;
	int argc = 0, status, o, e;
	const char *a;
	pid_t pid;

	argv[argc++] = (char *)"rta-test";
	va_start(ap, a0);
	for (a = a0; a != NULL && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	if ((pid = fork()) == 0) {
		o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(o, 1);
		dup2(e, 2);
		if (chdir(unit_path(".")) != 0)
			_exit(98);
		_exit(run_stage(argc, argv));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(counts_balance)
{
	char text[4096];

	snprintf(text, sizeof(text), "%s%s{bad\n%s\n%s", good,
	    "{\"event_id\":\"b\",\"timestamp\":1,\"event_type\":\"reject\","
	    "\"tenant_id\":\"globex\"}\n", good,
	    "{\"event_id\":\"c\",\"timestamp\":1,\"event_type\":\"drop\","
	    "\"tenant_id\":\"acme\"}\n");
	unit_write_str("in.ndjson", text);
	ck_assert_int_eq(stage("--dead-letter", "dl", "--metrics", "m",
	    "in.ndjson", NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(lines("out"), 2);
	ck_assert_int_eq(lines("dl"), 2);	/* the bad line and the reject */
	ck_assert_int_eq(metric("m", "rta_records_in_total{"), 5);
	ck_assert_int_eq(metric("m", "rta_records_out_total{"), 2);
	ck_assert_int_eq(metric("m", "rta_records_rejected_total{stage="
	    "\"rta-test\"}"), 2);
	ck_assert_int_eq(metric("m", "rta_records_dropped_total{"), 1);
	ck_assert_int_eq(metric("m", "rta_records_rejected_total{stage="
	    "\"rta-test\",reason=\"test-reject\"}"), 1);
	/* rejected by the stage: counted for its tenant */
	ck_assert_int_eq(metric("m", "rta_tenant_records_rejected_total{"
	    "stage=\"rta-test\",tenant=\"globex\"}"), 1);
	ck_assert_int_eq(metric("m", "rta_tenant_records_out_total{"
	    "stage=\"rta-test\",tenant=\"acme\"}"), 2);
}
END_TEST

START_TEST(max_errors_stops)
{
	unit_write_str("in.ndjson", "{1\n{2\n{3\n{4\n");
	ck_assert_int_eq(stage("--max-errors", "2", "--metrics", "m",
	    "in.ndjson", NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(metric("m", "rta_records_in_total{"), 2);
	ck_assert_int_eq(stage("--strict", "--metrics", "m", "in.ndjson",
	    NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(metric("m", "rta_records_in_total{"), 1);
}
END_TEST

START_TEST(missing_operand_goes_on)
{
	unit_write_str("a.ndjson", good);
	ck_assert_int_eq(stage("a.ndjson", "nosuch.ndjson", "a.ndjson", NULL),
	    RTA_EXIT_IO);
	ck_assert_int_eq(lines("out"), 2);
	ck_assert_int_eq(lines("err"), 1);
}
END_TEST

START_TEST(quiet_and_summary)
{
	char text[64 * 13];
	size_t i;

	text[0] = '\0';
	for (i = 0; i < 13; i++)
		strcat(text, "{bad\n");
	unit_write_str("in.ndjson", text);
	ck_assert_int_eq(stage("in.ndjson", NULL), RTA_EXIT_DATA);
	/* ten messages, then one line for the rest */
	ck_assert_int_eq(lines("err"), 11);
	ck_assert_int_eq(stage("-q", "in.ndjson", NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(lines("err"), 0);
}
END_TEST

START_TEST(output_follows_input)
{
	FILE *f;
	int c;

	unit_write_str("in.ndjson", good);
	/* NDJSON in, NDJSON out; -o rta gives a binary stream */
	ck_assert_int_eq(stage("in.ndjson", NULL), 0);
	ck_assert_ptr_nonnull(f = fopen(unit_path("out"), "r"));
	c = getc(f);
	fclose(f);
	ck_assert_int_eq(c, '{');
	ck_assert_int_eq(stage("-o", "rta", "in.ndjson", NULL), 0);
	ck_assert_ptr_nonnull(f = fopen(unit_path("out"), "r"));
	c = getc(f);
	fclose(f);
	ck_assert_int_eq(c, 0x89);
}
END_TEST

START_TEST(bad_start_frees_and_fails)
{
	unit_write_str("in.ndjson", good);
	ck_assert_int_eq(stage("--dead-letter", "/nonexistent/dir/dl",
	    "in.ndjson", NULL), RTA_EXIT_IO);
	ck_assert_int_eq(lines("out"), 0);
}
END_TEST

static Suite *
stage_suite(int forking)
{
	Suite *s = suite_create("rta_stage");
	TCase *tc = tcase_create("loop");

	/* every test forks its own stage; without fork mode there is none */
	if (forking) {
		tcase_add_unchecked_fixture(tc, unit_base_setup,
		    unit_base_teardown);
		tcase_add_checked_fixture(tc, unit_tmp_setup,
		    unit_tmp_teardown);
		tcase_add_test(tc, counts_balance);
		tcase_add_test(tc, max_errors_stops);
		tcase_add_test(tc, missing_operand_goes_on);
		tcase_add_test(tc, quiet_and_summary);
		tcase_add_test(tc, output_follows_input);
		tcase_add_test(tc, bad_start_frees_and_fails);
	}
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	srunner_add_suite(sr, stage_suite(srunner_fork_status(sr) !=
	    CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
