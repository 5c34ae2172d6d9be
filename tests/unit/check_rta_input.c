/*
 * check_rta_input.c: operands, member names, the idle hook, and follow
 * mode (tail -F): a writer process appends to a file, rotates it (rename,
 * then a new file under the old name) and truncates it, while the test
 * reads; every line must arrive once, in order.  The writer takes each
 * step when the reader has seen the one before, so nothing depends on
 * timing; the reader's own 200 ms polls make it last about a second.
 */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rta_input.h"
#include "rta_reader.h"
#include "unit.h"

static void
msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Everything in the current member, as a string. */
static char *
slurp(struct rta_input *in)
{
	size_t cap = 1 << 16, len = 0;
	char *s = malloc(cap + 1);
	struct rta_error err;
	ssize_t n;

	ck_assert_ptr_nonnull(s);
	while ((n = rta_input_read(in, s + len, cap - len, &err)) > 0) {
		len += (size_t)n;
		ck_assert_uint_lt(len, cap);
	}
	ck_assert_int_eq(n, 0);
	s[len] = '\0';
	return s;
}

/* ---- operands ---------------------------------------------------------- */

START_TEST(plain_file)
{
	struct rta_input in;
	struct rta_error err;
	char *s;

	unit_write_str("a.ndjson", "{\"a\":1}\n{\"a\":2}\n");
	ck_assert_int_eq(rta_input_open(&in, unit_path("a.ndjson"), 0, NULL,
	    NULL, &err), RTA_OK);
	ck_assert_str_eq(rta_input_name(&in), unit_path("a.ndjson"));
	ck_assert_int_eq(rta_input_size(&in), 16);
	s = slurp(&in);
	ck_assert_str_eq(s, "{\"a\":1}\n{\"a\":2}\n");
	ck_assert_int_eq(rta_input_offset(&in), 16);
	/* a plain input is one member, current from the start */
	ck_assert_int_eq(rta_input_next_member(&in, &err), 0);
	rta_input_close(&in);
	ck_assert_int_eq(in.fd, -1);
	ck_assert_ptr_null(in.name);
	ck_assert_ptr_null(in.path);
	free(s);
}
END_TEST

/* Short files, shorter than any signature, are data too. */
START_TEST(tiny_files)
{
	static const char *const t[] = { "", "{", "x", "PK", "\x1f", "BZ",
	    "\x28\xb5\x2f", "0707" };
	struct rta_input in;
	struct rta_error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *s;

		unit_write_str("t", t[i]);
		ck_assert_int_eq(rta_input_open(&in, unit_path("t"), 0, NULL,
		    NULL, &err), RTA_OK);
		s = slurp(&in);
		ck_assert_str_eq(s, t[i]);
		free(s);
		rta_input_close(&in);
	}
}
END_TEST

START_TEST(open_errors)
{
	struct rta_input in;
	struct rta_error err;
	char want[500];

	rta_error_clear(&err);
	ck_assert_int_eq(rta_input_open(&in, unit_path("nosuch"), 0, NULL,
	    NULL, &err), RTA_EIO);
	snprintf(want, sizeof(want), "%s: No such file or directory",
	    unit_path("nosuch"));
	ck_assert_str_eq(err.text, want);
	ck_assert_int_eq(in.fd, -1);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_input_open(&in, unit_path("."), 0, NULL, NULL,
	    &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "Is a directory"));
	ck_assert_int_eq(in.fd, -1);
}
END_TEST

static int idle_calls;
static int idle_token = -1;	/* tell the writer when idle, if >= 0 */

static void
idle(void *arg)
{
	ck_assert_ptr_eq(arg, &idle_calls);
	if (idle_calls++ == 0 && idle_token >= 0)
		ck_assert_int_eq(write(idle_token, "x", 1), 1);
}

/*
 * Stdin is "-" (and NULL): a pipe that stays empty until the input has
 * called its idle hook, as it must before it blocks.
 */
START_TEST(stdin_pipe_idle)
{
	struct rta_input in;
	struct rta_error err;
	int fd[2], token[2];
	pid_t pid;
	char *s;

	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(pipe(token), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		close(fd[0]);
		close(token[1]);
		if (read(token[0], &c, 1) != 1 ||
		    write(fd[1], "{\"late\":1}\n", 11) != 11)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	close(token[0]);
	ck_assert_int_eq(dup2(fd[0], STDIN_FILENO), STDIN_FILENO);
	close(fd[0]);
	idle_calls = 0;
	idle_token = token[1];
	ck_assert_int_eq(rta_input_open(&in, _i ? "-" : NULL, 0, idle,
	    &idle_calls, &err), RTA_OK);
	ck_assert_str_eq(rta_input_name(&in), "<stdin>");
	ck_assert_int_eq(rta_input_size(&in), -1);
	s = slurp(&in);
	ck_assert_str_eq(s, "{\"late\":1}\n");
	ck_assert_int_ge(idle_calls, 1);
	free(s);
	rta_input_close(&in);
	idle_token = -1;
	close(token[1]);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}
END_TEST

START_TEST(archive_member_names)
{
	static const char *const names[] = { "one.ndjson", "sub/two.ndjson" };
	static const char *const data[] = { "{\"m\":1}\n", "{\"m\":2}\n" };
	struct archive *a = archive_write_new();
	struct rta_input in;
	struct rta_error err;
	char want[500];
	int i;

	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	ck_assert_int_eq(archive_write_open_filename(a, unit_path("x.tgz")),
	    ARCHIVE_OK);
	for (i = 0; i < 2; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(data[i]));
		ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
		archive_write_data(a, data[i], strlen(data[i]));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);

	ck_assert_int_eq(rta_input_open(&in, unit_path("x.tgz"), 0, NULL, NULL,
	    &err), RTA_OK);
	for (i = 0; i < 2; i++) {
		char *s;

		if (i > 0)
			ck_assert_int_eq(rta_input_next_member(&in, &err), 1);
		snprintf(want, sizeof(want), "%s(%s)", unit_path("x.tgz"),
		    names[i]);
		ck_assert_str_eq(rta_input_name(&in), want);
		s = slurp(&in);
		ck_assert_str_eq(s, data[i]);
		free(s);
	}
	ck_assert_int_eq(rta_input_next_member(&in, &err), 0);
	/* the compressed size is what was read from the file */
	{
		struct stat st;

		ck_assert_int_eq(stat(unit_path("x.tgz"), &st), 0);
		ck_assert_int_eq(rta_input_offset(&in), st.st_size);
	}
	rta_input_close(&in);
}
END_TEST

/* A damaged compressed stream is an I/O error, not a crash. */
START_TEST(damaged_gzip)
{
	static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0,
	    0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct rta_input in;
	struct rta_error err;
	char buf[256];
	ssize_t n = 0;
	int rc;

	unit_write("bad.gz", gz, sizeof(gz));
	rta_error_clear(&err);
	rc = rta_input_open(&in, unit_path("bad.gz"), 0, NULL, NULL, &err);
	if (rc == RTA_OK) {
		while ((n = rta_input_read(&in, buf, sizeof(buf), &err)) > 0)
			;
		rta_input_close(&in);
	}
	ck_assert(rc == RTA_EIO || n < 0);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "bad.gz"));
}
END_TEST

/* ---- follow mode ------------------------------------------------------- */

static void
append_line(const char *name, const char *line)
{
	FILE *f = fopen(unit_path(name), "a");

	if (f == NULL || fputs(line, f) < 0 || fclose(f) != 0)
		_exit(2);
}

/* Wait for the reader's go-ahead on fd (the reader got what came
 * before), so that no step depends on timing. */
static void
await_token(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(5);
}

static const char *
event_line(const char *id)
{
	static char s[128];

	snprintf(s, sizeof(s), "{\"event_id\":\"%s\",\"timestamp\":0,"
	    "\"event_type\":\"t\",\"tenant_id\":\"x\"}\n", id);
	return s;
}

/*
 * The writer: append, rotate (rename away, a new file under the name),
 * append to the new file, truncate it and write a shorter file in its
 * place.
 */
static void
writer(int token)
{
	await_token(token);
	append_line("f", event_line("a3"));
	await_token(token);
	if (rename(unit_path("f"), unit_path("f.1")) != 0)
		_exit(3);
	append_line("f", event_line("b1"));
	await_token(token);
	append_line("f", event_line("b2"));
	await_token(token);
	if (truncate(unit_path("f"), 0) != 0)
		_exit(4);
	msleep(250);		/* the reader may see it empty first */
	append_line("f", event_line("c1"));
	_exit(0);
}

START_TEST(follow_rotation_truncation)
{
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	char got[256] = "";
	const char *line;
	int st, n = 0, token[2];
	pid_t pid;

	unit_write_str("f", event_line("a1"));
	line = event_line("a2");
	unit_append("f", line, strlen(line));
	rta_reader_opts_init(&o);
	o.follow = 1;
	o.idle = idle;
	o.idle_arg = &idle_calls;
	idle_calls = 0;
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rta_reader_open(r, unit_path("f"), &err), RTA_OK);
	ck_assert_int_eq(pipe(token), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(token[1]);
		writer(token[0]);
	}
	close(token[0]);
	/* follow mode never ends by itself: stop after the last event */
	while (n < 6) {
		int rc = rta_reader_next(r, &rec, &err);

		ck_assert_msg(rc == RTA_OK, "rc %d: %s", rc, err.text);
		ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%.*s",
		    n ? " " : "", (int)rec.ev.id_len, rec.ev.id);
		n++;
		/* after a2, a3, b1 and b2: the writer's next step */
		if (n >= 2 && n <= 5)
			ck_assert_int_eq(write(token[1], "x", 1), 1);
	}
	ck_assert_str_eq(got, "a1 a2 a3 b1 b2 c1");
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the idle hook ran while the reader waited */
	ck_assert_int_ge(idle_calls, 1);
	close(token[1]);
	rta_reader_free(r);
}
END_TEST

/* Without follow, the end of the file is the end. */
START_TEST(no_follow_ends)
{
	struct rta_input in;
	struct rta_error err;
	char buf[64];

	unit_write_str("f", "{}\n");
	ck_assert_int_eq(rta_input_open(&in, unit_path("f"), 0, NULL, NULL,
	    &err), RTA_OK);
	ck_assert_int_eq(rta_input_read(&in, buf, sizeof(buf), &err), 3);
	ck_assert_int_eq(rta_input_read(&in, buf, sizeof(buf), &err), 0);
	rta_input_close(&in);
}
END_TEST

/* Follow applies to regular files only: a compressed file just ends. */
START_TEST(follow_compressed_ends)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	struct rta_input in;
	struct rta_error err;
	char *s;

	archive_write_set_format_raw(a);
	archive_write_add_filter_gzip(a);
	ck_assert_int_eq(archive_write_open_filename(a, unit_path("f.gz")),
	    ARCHIVE_OK);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_pathname(e, "f");
	ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
	archive_write_data(a, "{}\n", 3);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	ck_assert_int_eq(rta_input_open(&in, unit_path("f.gz"), 1, NULL, NULL,
	    &err), RTA_OK);
	s = slurp(&in);
	ck_assert_str_eq(s, "{}\n");
	free(s);
	rta_input_close(&in);
}
END_TEST

static Suite *
input_suite(void)
{
	Suite *s = suite_create("rta_input");
	TCase *tc;

	tc = tcase_create("operands");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, plain_file);
	tcase_add_test(tc, tiny_files);
	tcase_add_test(tc, open_errors);
	tcase_add_loop_test(tc, stdin_pipe_idle, 0, 2);
	tcase_add_test(tc, archive_member_names);
	tcase_add_test(tc, damaged_gzip);
	suite_add_tcase(s, tc);

	tc = tcase_create("follow");
	tcase_set_timeout(tc, 20);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, follow_rotation_truncation);
	tcase_add_test(tc, no_follow_ends);
	tcase_add_test(tc, follow_compressed_ends);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(input_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
