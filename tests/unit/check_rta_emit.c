/*
 * check_rta_emit.c: the producer API, to a pipe, a file descriptor and a
 * FILE, in NDJSON (read back with jansson) and rta frames (read back with
 * the reader).  RTA_NOW pins the clock, so timestamps and the millisecond
 * prefix of the UUID v7 ids are known; it is set in main.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_emit.h"
#include "rta_frame.h"
#include "rta_reader.h"
#include "rta_uuid.h"
#include "unit.h"

#define NOW_TEXT	"2026-11-26T10:00:00.123456Z"
#define NOW_MS		1795687200123LL		/* of NOW_TEXT */

/* Everything that can be read from fd now (it must not block). */
static size_t
drain(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return len;
}

static uint64_t
hex(const char *s, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '-')
			continue;
		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return v;
}

static void
check_v7(const char *id)
{
	ck_assert_uint_eq(strlen(id), RTA_UUID_LEN);
	ck_assert_int_eq(id[8], '-');
	ck_assert_int_eq(id[14], '7');
	ck_assert(strchr("89ab", id[19]) != NULL);
	/* 48 bits of Unix milliseconds: the pinned clock's */
	ck_assert(hex(id, 13) == (uint64_t)NOW_MS);
}

START_TEST(ndjson_to_pipe)
{
	struct rta_emitter *em;
	char buf[8192], *line;
	json_error_t je;
	json_t *j;
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	em = rta_emitter_fd(fd[1], RTA_EMIT_NDJSON);
	ck_assert_ptr_nonnull(em);
	ck_assert_int_eq(rta_emit(em, "page_view", "acme",
	    "{\"url\":\"/\",\"latency_ms\":12,\"ok\":true}"), 0);
	ck_assert_str_eq(rta_emitter_error(em), "");
	drain(fd[0], buf, sizeof(buf));
	/* one whole line per event */
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + strlen(buf) - 1);
	line = buf;
	j = json_loads(line, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", je.text, line);
	check_v7(json_string_value(json_object_get(j, "event_id")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "timestamp")),
	    NOW_TEXT);
	ck_assert_str_eq(json_string_value(json_object_get(j, "event_type")),
	    "page_view");
	ck_assert_str_eq(json_string_value(json_object_get(j, "tenant_id")),
	    "acme");
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "schema_version")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j,
	    "payload"), "latency_ms")), 12);
	ck_assert(json_is_true(json_object_get(json_object_get(j, "payload"),
	    "ok")));
	json_decref(j);
	/* freeing an NDJSON emitter writes nothing more */
	ck_assert_int_eq(rta_emitter_free(em), 0);
	ck_assert_uint_eq(drain(fd[0], buf, sizeof(buf)), 0);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

START_TEST(ids_and_versions)
{
	struct rta_emitter *em;
	char buf[65536], prev[64] = "";
	json_error_t je;
	int fd[2], i;
	char *p;

	ck_assert_int_eq(pipe(fd), 0);
	em = rta_emitter_fd(fd[1], RTA_EMIT_NDJSON);
	ck_assert_ptr_nonnull(em);
	for (i = 0; i < 50; i++) {
		if (i == 25)
			rta_emitter_set_version(em, 7);
		ck_assert_int_eq(rta_emit(em, "t", "a", i % 2 ? NULL : "{}"),
		    0);
	}
	drain(fd[0], buf, sizeof(buf));
	p = buf;
	for (i = 0; i < 50; i++) {
		char *nl = strchr(p, '\n');
		json_t *j;
		const char *id;

		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		j = json_loads(p, 0, &je);
		ck_assert_ptr_nonnull(j);
		id = json_string_value(json_object_get(j, "event_id"));
		check_v7(id);
		/* the clock stands still: ids still increase */
		ck_assert_msg(strcmp(id, prev) > 0, "ids out of order");
		snprintf(prev, sizeof(prev), "%s", id);
		ck_assert_int_eq(json_integer_value(json_object_get(j,
		    "schema_version")), i < 25 ? 1 : 7);
		ck_assert_uint_eq(json_object_size(json_object_get(j,
		    "payload")), 0);
		json_decref(j);
		p = nl + 1;
	}
	ck_assert_int_eq(*p, '\0');
	rta_emitter_free(em);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

/* Read the file "out" with the reader. */
static void
read_back(char *sum, size_t cap)
{
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	size_t sl = 0;
	int rc;

	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rta_reader_open(r, unit_path("out"), &err), RTA_OK);
	sum[0] = '\0';
	while ((rc = rta_reader_next(r, &rec, &err)) != RTA_EOF) {
		ck_assert_msg(rc == RTA_OK, "%s", err.text);
		if (rec.kind == RTA_REC_EVENT) {
			ck_assert_int_eq(rec.ev.ts, NOW_MS * 1000 + 456);
			snprintf(sum + sl, cap - sl, "%s%.*s", sl ? " " : "",
			    (int)rec.ev.type_len, rec.ev.type);
		} else
			snprintf(sum + sl, cap - sl, "%s%s", sl ? " " : "",
			    rec.kind == RTA_REC_END ? "end" : "?");
		sl = strlen(sum);
	}
	rta_reader_free(r);
}

START_TEST(rta_to_fd)
{
	struct rta_emitter *em;
	char sum[256];
	int fd = open(unit_path("out"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off_t before_free;

	ck_assert_int_ge(fd, 0);
	em = rta_emitter_fd(fd, RTA_EMIT_RTA);
	ck_assert_ptr_nonnull(em);
	ck_assert_int_eq(rta_emit(em, "one", "acme", "{\"n\":1}"), 0);
	ck_assert_int_eq(rta_emit(em, "two", "acme", NULL), 0);
	before_free = lseek(fd, 0, SEEK_CUR);
	/* the end frame comes with the free */
	ck_assert_int_eq(rta_emitter_free(em), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), before_free +
	    RTA_FRAME_HEADER_LEN);
	close(fd);
	read_back(sum, sizeof(sum));
	ck_assert_str_eq(sum, "one two end");
}
END_TEST

START_TEST(to_file_pointer)
{
	struct rta_emitter *em;
	struct rta_buf b = RTA_BUF_INIT;
	char sum[256];
	FILE *f = fopen(unit_path("out"), "w");

	ck_assert_ptr_nonnull(f);
	em = rta_emitter_fp(f, _i ? RTA_EMIT_RTA : RTA_EMIT_NDJSON);
	ck_assert_ptr_nonnull(em);
	ck_assert_int_eq(rta_emit(em, "a", "acme", "{\"x\":[1,2]}"), 0);
	ck_assert_int_eq(rta_emit(em, "b", "acme", "{}"), 0);
	ck_assert_int_eq(rta_emitter_free(em), 0);
	/* the FILE is the caller's: still open */
	ck_assert_int_eq(fflush(f), 0);
	ck_assert_int_eq(fclose(f), 0);
	read_back(sum, sizeof(sum));
	ck_assert_str_eq(sum, _i ? "a b end" : "a b");
	if (!_i) {
		unit_read(unit_path("out"), &b);
		ck_assert_ptr_nonnull(strstr((const char *)b.data,
		    "\"payload\":{\"x\":[1,2]}"));
		rta_buf_release(&b);
	}
}
END_TEST

/* An emitter that never emitted writes nothing, not even an end frame. */
START_TEST(rta_nothing_emitted)
{
	struct rta_emitter *em;
	char buf[64];
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	em = rta_emitter_fd(fd[1], RTA_EMIT_RTA);
	ck_assert_int_eq(rta_emitter_free(em), 0);
	ck_assert_uint_eq(drain(fd[0], buf, sizeof(buf)), 0);
	ck_assert_int_eq(rta_emitter_free(NULL), 0);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

/* Bad arguments: -1, a reason, and nothing written. */
START_TEST(bad_arguments)
{
	static const struct {
		const char *type, *tenant, *payload, *why;
	} t[] = {
		{ "t", "a", "{\"a\":", "expected a value" },
		{ "t", "a", "{\"a\":1} x", "at byte" },
		{ "t", "a", "{\"a\":1,\"a\":2}", "duplicate" },
		{ "t", "a", "[1,2]", "payload must be a JSON object" },
		{ "t", "a", "42", "payload must be a JSON object" },
		{ "t", "a", "", "" },
		{ NULL, "a", "{}", "event_type and tenant_id" },
		{ "t", NULL, "{}", "event_type and tenant_id" },
		{ "", "a", "{}", "event_type is empty" },
		{ "t", "", "{}", "tenant_id is empty" },
		{ "t", "\xff", "{}", "not valid UTF-8" },
		{ "t", "a", "{\"s\":\"\xff\"}", "UTF-8" },
	};
	struct rta_emitter *em;
	char buf[1024], longname[300];
	int fd[2];
	size_t i;

	ck_assert_int_eq(pipe(fd), 0);
	em = rta_emitter_fd(fd[1], RTA_EMIT_NDJSON);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(rta_emit(em, t[i].type, t[i].tenant,
		    t[i].payload) == -1, "case %zu accepted", i);
		ck_assert_msg(rta_emitter_error(em)[0] != '\0', "case %zu: "
		    "no reason", i);
		ck_assert_msg(strstr(rta_emitter_error(em), t[i].why) != NULL,
		    "case %zu: '%s' lacks '%s'", i, rta_emitter_error(em),
		    t[i].why);
	}
	memset(longname, 'x', 256);
	longname[256] = '\0';
	ck_assert_int_eq(rta_emit(em, longname, "a", NULL), -1);
	ck_assert_ptr_nonnull(strstr(rta_emitter_error(em), "255"));
	ck_assert_int_eq(rta_emit(em, "t", longname, NULL), -1);
	longname[255] = '\0';
	ck_assert_int_eq(rta_emit(em, longname, longname, NULL), 0);
	/* a success clears the last error */
	ck_assert_str_eq(rta_emitter_error(em), "");
	/* only the good event reached the pipe */
	drain(fd[0], buf, sizeof(buf));
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + strlen(buf) - 1);
	ck_assert_ptr_nonnull(strstr(buf, longname));
	rta_emitter_free(em);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

/* rta_emit_event: the caller's event, whatever its frame field says. */
START_TEST(emit_event)
{
	static const unsigned char bogus[32] = { 1, 2, 3 };
	struct rta_emitter *em;
	struct rta_event ev;
	char sum[256];
	int fd = open(unit_path("out"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	em = rta_emitter_fd(fd, RTA_EMIT_RTA);
	memset(&ev, 0, sizeof(ev));
	ev.ts = NOW_MS * 1000 + 456;
	ev.schema_version = 3;
	ev.id = "my-id";
	ev.id_len = 5;
	ev.type = "built";
	ev.type_len = 5;
	ev.tenant = "acme";
	ev.tenant_len = 4;
	ev.payload = rta_empty_object;
	ev.payload_len = sizeof(rta_empty_object);
	ev.frame = bogus;
	ev.frame_len = sizeof(bogus);
	ck_assert_int_eq(rta_emit_event(em, &ev), 0);
	/* a bad one is refused */
	ev.ts = RTA_TIME_MAX + 1;
	ck_assert_int_eq(rta_emit_event(em, &ev), -1);
	ck_assert_ptr_nonnull(strstr(rta_emitter_error(em), "timestamp"));
	ck_assert_int_eq(rta_emitter_free(em), 0);
	close(fd);
	read_back(sum, sizeof(sum));
	ck_assert_str_eq(sum, "built end");
}
END_TEST

START_TEST(write_errors)
{
	struct rta_emitter *em;
	int fd[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(fd), 0);
	close(fd[0]);
	em = rta_emitter_fd(fd[1], _i ? RTA_EMIT_RTA : RTA_EMIT_NDJSON);
	ck_assert_int_eq(rta_emit(em, "t", "a", NULL), -1);
	ck_assert_ptr_nonnull(strstr(rta_emitter_error(em), "Broken pipe"));
	/* and the end frame cannot be written either */
	ck_assert_int_eq(rta_emitter_free(em), _i ? -1 : 0);
	close(fd[1]);
	fd[1] = open("/dev/full", O_WRONLY);
	ck_assert_int_ge(fd[1], 0);
	em = rta_emitter_fd(fd[1], RTA_EMIT_NDJSON);
	ck_assert_int_eq(rta_emit(em, "t", "a", NULL), -1);
	ck_assert_ptr_nonnull(strstr(rta_emitter_error(em),
	    "No space left on device"));
	rta_emitter_free(em);
	close(fd[1]);
}
END_TEST

static Suite *
emit_suite(void)
{
	Suite *s = suite_create("rta_emit");
	TCase *tc;

	tc = tcase_create("ndjson");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, ndjson_to_pipe);
	tcase_add_test(tc, ids_and_versions);
	suite_add_tcase(s, tc);

	tc = tcase_create("rta");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, rta_to_fd);
	tcase_add_test(tc, rta_nothing_emitted);
	tcase_add_test(tc, emit_event);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_loop_test(tc, to_file_pointer, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, bad_arguments);
	tcase_add_loop_test(tc, write_errors, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("RTA_NOW", NOW_TEXT, 1);
	sr = srunner_create(emit_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
