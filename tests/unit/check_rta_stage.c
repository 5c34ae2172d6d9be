/*
 * check_rta_stage.c: the record loop every filter shares.  Each test runs
 * a small stage in a child process (the stage writes to stdout and
 * stderr and returns an exit status) over files written here, then checks
 * what a user would: the records out, the messages on stderr (byte for
 * byte, in each message format), the dead letters, the counters in the
 * metrics file, and that in = out + rejected + dropped holds.  RTA_NOW
 * pins the time in dead letters (set in main).
 */
#include <check.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rta_cli.h"
#include "rta_frame.h"
#include "rta_stage.h"
#include "rta_value.h"
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

/* The members rta_stage_reject_detail adds, as a program would. */
#define DETAIL \
	"\"violations\":[{\"path\":\"/payload\",\"keyword\":\"type\"}]"

/* Options of the test program itself, beside the stage's. */
enum {
	OPT_MSG_FORMAT = RTA_OPT_STAGE_LAST + 100,
	OPT_FROM,
	OPT_WHY
};

/* 1 if rec is an event of type t. */
static int
is_type(const struct rta_record *rec, const char *t)
{
	return rec->kind == RTA_REC_EVENT && rec->ev.type_len == strlen(t) &&
	    memcmp(rec->ev.type, t, rec->ev.type_len) == 0;
}

/*
 * The stage under test: a pass-through like rta-cat's loop, with
 * program-level rejections of events of type "reject" (plain) and
 * "detail" (with DETAIL), and of plain values that are strings (with
 * DETAIL); and a drop of events of type "drop".  --msg-format picks the
 * message format, --from the input format ("values" for plain JSON
 * values), --why the text of the rejections.  argv holds options then
 * operands.
 */
static int
run_stage(int argc, char **argv)
{
	static const struct option longopts[] = {
		RTA_STAGE_LONGOPTS,
		{ "from", required_argument, NULL, OPT_FROM },
		{ "msg-format", required_argument, NULL, OPT_MSG_FORMAT },
		{ "why", required_argument, NULL, OPT_WHY },
		{ NULL, 0, NULL, 0 }
	};
	struct rta_stage st;
	struct rta_record rec;
	struct rta_error e;
	const unsigned char *raw;
	const char *why = "rejected by the stage";
	size_t len;
	uint64_t total;
	int c, status;

	optind = 1;
	rta_stage_init(&st, "rta-test", "usage: rta-test [file ...]");
	while ((c = getopt_long(argc, argv, ":" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1)
		switch (c) {
		case OPT_MSG_FORMAT:
			if (strcmp(optarg, "github") == 0)
				st.msg_format = RTA_MSG_GITHUB;
			else if (strcmp(optarg, "json") == 0)
				st.msg_format = RTA_MSG_JSON;
			else
				st.msg_format = RTA_MSG_TEXT;
			break;
		case OPT_FROM:
			if (strcmp(optarg, "values") == 0)
				st.ropts.format = RTA_FMT_VALUES;
			else if (rta_format_parse(optarg, &st.ropts.format))
				return 2;
			break;
		case OPT_WHY:
			why = optarg;
			break;
		default:
			if (!rta_stage_getopt(&st, c, optarg))
				return 2;
			break;
		}
	if ((status = rta_stage_start(&st, argc - optind, argv + optind)))
		return status;
	while (rta_stage_next(&st, &rec) == RTA_OK) {
		if (is_type(&rec, "reject")) {
			rta_error_set(&e, RTA_EDATA, "test-reject", "%s", why);
			rta_stage_reject(&st, &rec.ev, &e, "x", 1);
			continue;
		}
		if (is_type(&rec, "detail") || (rec.kind == RTA_REC_VALUE &&
		    rta_value_tag(rec.value) == RTA_V_STRING)) {
			rta_error_set(&e, RTA_EDATA, "test-schema", "%s", why);
			rta_reader_raw(st.rd, &raw, &len, &total);
			rta_stage_reject_detail(&st, rec.kind == RTA_REC_EVENT ?
			    &rec.ev : NULL, &e, raw, len, DETAIL,
			    sizeof(DETAIL) - 1);
			continue;
		}
		if (is_type(&rec, "drop")) {
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

/* An event line (with its newline) of the given id, type and tenant. */
static void
ev_line(struct rta_buf *b, const char *id, const char *type,
    const char *tenant)
{
	ck_assert_int_eq(rta_buf_printf(b, "{\"event_id\":\"%s\",\"timestamp\":"
	    "\"2026-01-01T00:00:00Z\",\"event_type\":\"%s\",\"tenant_id\":"
	    "\"%s\"}\n", id, type, tenant), 0);
}

/* The whole of file name is want, byte for byte. */
static void
file_is(const char *name, const char *want)
{
	struct rta_buf b = RTA_BUF_INIT;

	unit_read(unit_path(name), &b);
	ck_assert_msg(b.len == strlen(want) && memcmp(b.data, want,
	    b.len) == 0, "%s:\n%s\nwant:\n%s", name, b.data, want);
	rta_buf_release(&b);
}

/* Line n (from 0) of file name is want (without its newline). */
static void
line_is(const char *name, int n, const char *want)
{
	struct rta_buf b = RTA_BUF_INIT;
	const char *p, *nl;

	unit_read(unit_path(name), &b);
	p = (const char *)b.data;
	while (n-- > 0) {
		ck_assert_ptr_nonnull(nl = strchr(p, '\n'));
		p = nl + 1;
	}
	ck_assert_ptr_nonnull(nl = strchr(p, '\n'));
	ck_assert_msg((size_t)(nl - p) == strlen(want) &&
	    memcmp(p, want, strlen(want)) == 0, "%s: line '%.*s', want '%s'",
	    name, (int)(nl - p), p, want);
	rta_buf_release(&b);
}

/* Line n (from 0) of file name, parsed with jansson. */
static json_t *
line_json(const char *name, int n)
{
	struct rta_buf b = RTA_BUF_INIT;
	const unsigned char *p, *nl;
	json_error_t je;
	json_t *j;

	unit_read(unit_path(name), &b);
	p = b.data;
	while (n-- > 0) {
		nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
		ck_assert_ptr_nonnull(nl);
		p = nl + 1;
	}
	nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
	ck_assert_ptr_nonnull(nl);
	j = json_loadb((const char *)p, (size_t)(nl - p),
	    JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(j != NULL, "%s: not a JSON object: %s: %.*s", name,
	    je.text, (int)(nl - p), p);
	ck_assert(json_is_object(j));
	rta_buf_release(&b);
	return j;
}

/*
 * Write name as an rta stream of the NDJSON lines in text, with an end
 * frame; *second is the byte offset of the second frame.
 */
static void
write_frames(const char *name, const char *text, size_t *second)
{
	struct rta_ndjson_parser np;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	const char *p = text, *nl;
	int k = 0;

	rta_ndjson_parser_init(&np);
	ck_assert_int_eq(rta_frame_put_header(&b), 0);
	while ((nl = strchr(p, '\n')) != NULL) {
		if (k++ == 1)
			*second = b.len;
		memset(&rec, 0, sizeof(rec));
		ck_assert_int_eq(rta_ndjson_parse(&np, p, (size_t)(nl - p),
		    &rec, &err), RTA_OK);
		ck_assert_int_eq(rta_frame_put(&b, &rec), 0);
		p = nl + 1;
	}
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_END;
	ck_assert_int_eq(rta_frame_put(&b, &rec), 0);
	unit_write(name, b.data, b.len);
	rta_ndjson_parser_release(&np);
	rta_buf_release(&b);
}

/* A kcat -J file: a good message, then a tombstone (line 2). */
static const char kcat_text[] =
    "{\"topic\":\"events\",\"partition\":3,\"offset\":42,\"payload\":"
    "\"{\\\"event_id\\\":\\\"k1\\\",\\\"timestamp\\\":0,"
    "\\\"event_type\\\":\\\"t\\\",\\\"tenant_id\\\":\\\"a\\\"}\"}\n"
    "{\"topic\":\"events\",\"partition\":3,\"offset\":43,\"payload\":null}\n";

/* A good line, 13 rejected ones (lines 2 to 14), a good line. */
static void
thirteen_rejects(const char *name)
{
	struct rta_buf b = RTA_BUF_INIT;
	char id[16];
	int i;

	ev_line(&b, "g1", "t", "acme");
	for (i = 0; i < 13; i++) {
		snprintf(id, sizeof(id), "r%d", i);
		ev_line(&b, id, "reject", "acme");
	}
	ev_line(&b, "g2", "t", "acme");
	unit_write(name, b.data, b.len);
	rta_buf_release(&b);
}

/* ---- message formats --------------------------------------------------- */

/* Text: the first ten as prog: file:line: what, then a summary. */
START_TEST(msg_text)
{
	struct rta_buf want = RTA_BUF_INIT;
	int i;

	thirteen_rejects("in.ndjson");
	ck_assert_int_eq(stage("--why", "bad: a,b 100%", "in.ndjson", NULL),
	    RTA_EXIT_DATA);
	for (i = 2; i <= 11; i++)
		rta_buf_printf(&want,
		    "rta-test: in.ndjson:%d: bad: a,b 100%%\n", i);
	rta_buf_adds(&want, "rta-test: 3 more bad records not shown\n");
	rta_buf_addc(&want, '\0');
	file_is("err", (const char *)want.data);
	ck_assert_int_eq(lines("out"), 2);
	/* the same with --msg-format text, the default */
	ck_assert_int_eq(stage("--msg-format", "text", "--why",
	    "bad: a,b 100%", "in.ndjson", NULL), RTA_EXIT_DATA);
	file_is("err", (const char *)want.data);
	rta_buf_release(&want);
}
END_TEST

/* Text: a file name is quoted; kafka and frame positions. */
START_TEST(msg_text_where)
{
	static const char odd[] = "we\"ird\n\xff.ndjson";
	struct rta_buf b = RTA_BUF_INIT;
	char want[256];
	size_t second;

	ev_line(&b, "r", "reject", "acme");
	unit_write(odd, b.data, b.len);
	ck_assert_int_eq(stage("--why", "x", odd, NULL), RTA_EXIT_DATA);
	file_is("err", "rta-test: we\"ird\\x0a\\xff.ndjson:1: x\n");
	unit_write_str("k.json", kcat_text);
	ck_assert_int_eq(stage("--from", "kcat-json", "k.json", NULL),
	    RTA_EXIT_DATA);
	file_is("err", "rta-test: k.json:2: topic events partition 3 offset "
	    "43: message has no payload\n");
	rta_buf_reset(&b);
	ev_line(&b, "g", "t", "acme");
	ev_line(&b, "r", "reject", "acme");
	rta_buf_addc(&b, '\0');
	write_frames("in.rta", (const char *)b.data, &second);
	ck_assert_int_eq(stage("--why", "x", "in.rta", NULL), RTA_EXIT_DATA);
	snprintf(want, sizeof(want), "rta-test: in.rta: byte %zu: x\n", second);
	file_is("err", want);
	rta_buf_release(&b);
}
END_TEST

/*
 * GitHub annotations: every bad record, no summary; %, CR and LF escaped
 * everywhere, ':' and ',' too in the file property.
 */
START_TEST(msg_github)
{
	static const char odd[] = "we:ird,%name.ndjson";
	struct rta_buf want = RTA_BUF_INIT, b = RTA_BUF_INIT;
	char w[256];
	size_t second;
	int i;

	thirteen_rejects(odd);
	ck_assert_int_eq(stage("--msg-format", "github", "--why",
	    "bad: a,b 100%\r\nnext%0A", odd, NULL), RTA_EXIT_DATA);
	for (i = 2; i <= 14; i++)
		rta_buf_printf(&want, "::error file=we%%3Aird%%2C%%25name"
		    ".ndjson,line=%d::bad: a,b 100%%25%%0D%%0Anext%%250A\n", i);
	rta_buf_addc(&want, '\0');
	file_is("err", (const char *)want.data);
	ck_assert_int_eq(lines("out"), 2);
	/* kafka input: the file and line */
	unit_write_str("k.json", kcat_text);
	ck_assert_int_eq(stage("--msg-format", "github", "--from",
	    "kcat-json", "k.json", NULL), RTA_EXIT_DATA);
	file_is("err", "::error file=k.json,line=2::message has no payload\n");
	/* frames: no line, the byte offset in the message */
	ev_line(&b, "g", "t", "acme");
	ev_line(&b, "r", "reject", "acme");
	rta_buf_addc(&b, '\0');
	write_frames("in.rta", (const char *)b.data, &second);
	ck_assert_int_eq(stage("--msg-format", "github", "--why", "x",
	    "in.rta", NULL), RTA_EXIT_DATA);
	snprintf(w, sizeof(w), "::error file=in.rta::byte %zu: x\n", second);
	file_is("err", w);
	/* CR and LF in the file name */
	rta_buf_reset(&b);
	ev_line(&b, "r", "reject", "acme");
	unit_write("a\r\nb", b.data, b.len);
	ck_assert_int_eq(stage("--msg-format", "github", "--why", "x",
	    "a\r\nb", NULL), RTA_EXIT_DATA);
	file_is("err", "::error file=a%0D%0Ab,line=1::x\n");
	rta_buf_release(&want);
	rta_buf_release(&b);
}
END_TEST

/* JSON: one object per line for every bad record, no summary. */
START_TEST(msg_json)
{
	static const char odd[] = "we\"ird\n\xff.ndjson";
	struct rta_buf want = RTA_BUF_INIT, b = RTA_BUF_INIT;
	char w[512];
	size_t second;
	json_t *j;
	int i;

	thirteen_rejects("in.ndjson");
	ck_assert_int_eq(stage("--msg-format", "json", "--why",
	    "q\"b\\s\x1b[1m\ttab\r\nnl %", "in.ndjson", NULL), RTA_EXIT_DATA);
	for (i = 2; i <= 14; i++)
		rta_buf_printf(&want, "{\"stage\":\"rta-test\",\"source\":"
		    "\"in.ndjson\",\"line\":%d,\"reason\":\"test-reject\","
		    "\"message\":\"q\\\"b\\\\s\\u001b[1m\\ttab\\r\\nnl %%\"}\n",
		    i);
	rta_buf_addc(&want, '\0');
	file_is("err", (const char *)want.data);
	for (i = 0; i < 13; i++) {
		j = line_json("err", i);
		ck_assert_int_eq(json_object_size(j), 5);
		ck_assert_int_eq(json_integer_value(json_object_get(j,
		    "line")), i + 2);
		ck_assert_str_eq(json_string_value(json_object_get(j,
		    "message")), "q\"b\\s\x1b[1m\ttab\r\nnl %");
		json_decref(j);
	}
	/* an odd file name: escaped, bad UTF-8 replaced */
	ev_line(&b, "r", "reject", "acme");
	unit_write(odd, b.data, b.len);
	ck_assert_int_eq(stage("--msg-format", "json", "--why", "x", odd,
	    NULL), RTA_EXIT_DATA);
	file_is("err", "{\"stage\":\"rta-test\",\"source\":\"we\\\"ird\\n"
	    "\xef\xbf\xbd.ndjson\",\"line\":1,\"reason\":\"test-reject\","
	    "\"message\":\"x\"}\n");
	/* kafka coordinates */
	unit_write_str("k.json", kcat_text);
	ck_assert_int_eq(stage("--msg-format", "json", "--from", "kcat-json",
	    "k.json", NULL), RTA_EXIT_DATA);
	file_is("err", "{\"stage\":\"rta-test\",\"source\":\"k.json\","
	    "\"topic\":\"events\",\"partition\":3,\"offset\":43,\"line\":2,"
	    "\"reason\":\"no-payload\",\"message\":\"message has no payload\"}"
	    "\n");
	/* frames: the byte offset */
	rta_buf_reset(&b);
	ev_line(&b, "g", "t", "acme");
	ev_line(&b, "r", "reject", "acme");
	rta_buf_addc(&b, '\0');
	write_frames("in.rta", (const char *)b.data, &second);
	ck_assert_int_eq(stage("--msg-format", "json", "--why", "x", "in.rta",
	    NULL), RTA_EXIT_DATA);
	snprintf(w, sizeof(w), "{\"stage\":\"rta-test\",\"source\":\"in.rta\","
	    "\"byte_offset\":%zu,\"reason\":\"test-reject\",\"message\":\"x\"}"
	    "\n", second);
	file_is("err", w);
	/* the reader's own rejections, and the detail members */
	rta_buf_reset(&b);
	rta_buf_adds(&b, "{bad\n");
	ev_line(&b, "d", "detail", "acme");
	unit_write("m.ndjson", b.data, b.len);
	ck_assert_int_eq(stage("--msg-format", "json", "--why", "schema says "
	    "no", "m.ndjson", NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(lines("err"), 2);
	j = line_json("err", 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")),
	    "bad-json");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "source")),
	    "m.ndjson");
	ck_assert_uint_gt(json_string_length(json_object_get(j, "message")),
	    0);
	json_decref(j);
	line_is("err", 1, "{\"stage\":\"rta-test\",\"source\":\"m.ndjson\","
	    "\"line\":2,\"reason\":\"test-schema\",\"message\":\"schema says "
	    "no\"," DETAIL "}");
	rta_buf_release(&want);
	rta_buf_release(&b);
}
END_TEST

/* ---- the loop --------------------------------------------------------- */

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

/* -q mutes every format, not the status nor the dead letters. */
START_TEST(msg_quiet)
{
	static const char *const fmt[] = { "text", "github", "json" };
	size_t i;

	thirteen_rejects("in.ndjson");
	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		ck_assert_int_eq(stage("-q", "--msg-format", fmt[i],
		    "--dead-letter", "dl", "in.ndjson", NULL), RTA_EXIT_DATA);
		ck_assert_int_eq(lines("err"), 0);
		ck_assert_int_eq(lines("out"), 2);
		ck_assert_int_eq(lines("dl"), 13 * ((int)i + 1));
	}
}
END_TEST

/* ---- rejections with details ------------------------------------------ */

/*
 * The dead letter of rta_stage_reject_detail carries the members; the
 * record is counted once, as rejected, for its tenant; counts balance.
 */
START_TEST(reject_detail)
{
	struct rta_buf b = RTA_BUF_INIT;
	const char *raw2;
	size_t off2;
	json_t *j;
	long in, out, rejected, dropped;

	ev_line(&b, "g1", "t", "acme");			/* 1 */
	off2 = b.len;
	ev_line(&b, "d1", "detail", "globex");		/* 2 */
	ev_line(&b, "r1", "reject", "globex");		/* 3 */
	rta_buf_adds(&b, "{bad\n");			/* 4 */
	ev_line(&b, "x1", "drop", "acme");		/* 5 */
	ev_line(&b, "g2", "t", "acme");			/* 6 */
	ev_line(&b, "d2", "detail", "acme");		/* 7 */
	unit_write("in.ndjson", b.data, b.len);
	raw2 = (const char *)b.data + off2;
	ck_assert_int_eq(stage("--dead-letter", "dl", "--metrics", "m", "--why",
	    "2 violations", "in.ndjson", NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(lines("out"), 2);
	ck_assert_int_eq(lines("dl"), 4);
	/* the detail reject: every member, the detail ones last */
	j = line_json("dl", 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "time")),
	    "2026-01-01T00:00:00.000000Z");
	ck_assert_str_eq(json_string_value(json_object_get(j, "stage")),
	    "rta-test");
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")),
	    "test-schema");
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
	    "2 violations");
	ck_assert_str_eq(json_string_value(json_object_get(j, "source")),
	    "in.ndjson");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 2);
	ck_assert_int_eq(strncmp(json_string_value(json_object_get(j,
	    "original")), raw2, json_string_length(json_object_get(j,
	    "original"))), 0);
	ck_assert_int_eq(raw2[json_string_length(json_object_get(j,
	    "original"))], '\n');
	unit_json_member_is(j, "violations",
	    "[{\"path\":\"/payload\",\"keyword\":"
	    "\"type\"}]");
	ck_assert_int_eq(json_object_size(j), 8);
	json_decref(j);
	/* the plain reject and the bad line have no such member */
	j = line_json("dl", 1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")),
	    "test-reject");
	ck_assert_ptr_null(json_object_get(j, "violations"));
	json_decref(j);
	j = line_json("dl", 2);
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")),
	    "bad-json");
	ck_assert_ptr_null(json_object_get(j, "violations"));
	json_decref(j);
	j = line_json("dl", 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 7);
	unit_json_member_is(j, "violations",
	    "[{\"path\":\"/payload\",\"keyword\":"
	    "\"type\"}]");
	json_decref(j);
	/* the books */
	in = metric("m", "rta_records_in_total{");
	out = metric("m", "rta_records_out_total{");
	rejected = metric("m", "rta_records_rejected_total{stage="
	    "\"rta-test\"}");
	dropped = metric("m", "rta_records_dropped_total{");
	ck_assert_int_eq(in, 7);
	ck_assert_int_eq(out, 2);
	ck_assert_int_eq(rejected, 4);
	ck_assert_int_eq(dropped, 1);
	ck_assert_int_eq(in, out + rejected + dropped);
	ck_assert_int_eq(metric("m", "rta_records_rejected_total{stage="
	    "\"rta-test\",reason=\"test-schema\"}"), 2);
	ck_assert_int_eq(metric("m", "rta_tenant_records_rejected_total{"
	    "stage=\"rta-test\",tenant=\"globex\"}"), 2);
	ck_assert_int_eq(metric("m", "rta_tenant_records_rejected_total{"
	    "stage=\"rta-test\",tenant=\"acme\"}"), 1);
	/* text messages do not carry the detail */
	ck_assert_int_eq(lines("err"), 4);
	line_is("err", 0, "rta-test: in.ndjson:2: 2 violations");
	/* --max-errors counts detail rejections like any other */
	ck_assert_int_eq(stage("--max-errors", "1", "--metrics", "m",
	    "in.ndjson", NULL), RTA_EXIT_DATA);
	ck_assert_int_eq(lines("out"), 1);
	ck_assert_int_eq(metric("m", "rta_records_in_total{"), 2);
	ck_assert_int_eq(metric("m", "rta_records_rejected_total{stage="
	    "\"rta-test\"}"), 1);
	rta_buf_release(&b);
}
END_TEST

/* ---- plain JSON values ------------------------------------------------- */

/* Values in, compact values out, bad ones dead-lettered, counts balance. */
START_TEST(values_through_stage)
{
	json_t *j;

	unit_write_str("v.json", "1\n\n{\"a\" : [1, 2.50]}\n\"no\"\n{bad\n"
	    "[ true ,null ]\n");
	ck_assert_int_eq(stage("--from", "values", "--dead-letter", "dl",
	    "--metrics", "m", "--msg-format", "json", "--why", "a string",
	    "v.json", NULL), RTA_EXIT_DATA);
	file_is("out", "1\n{\"a\":[1,2.50]}\n[true,null]\n");
	ck_assert_int_eq(metric("m", "rta_records_in_total{"), 5);
	ck_assert_int_eq(metric("m", "rta_records_out_total{"), 3);
	ck_assert_int_eq(metric("m", "rta_records_rejected_total{stage="
	    "\"rta-test\"}"), 2);
	ck_assert_int_eq(metric("m", "rta_records_dropped_total{"), 0);
	/* the string, with its detail, at line 4; the bad line at 5 */
	ck_assert_int_eq(lines("dl"), 2);
	j = line_json("dl", 0);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 4);
	ck_assert_str_eq(json_string_value(json_object_get(j, "original")),
	    "\"no\"");
	unit_json_member_is(j, "violations",
	    "[{\"path\":\"/payload\",\"keyword\":"
	    "\"type\"}]");
	json_decref(j);
	j = line_json("dl", 1);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 5);
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")),
	    "bad-json");
	ck_assert_str_eq(json_string_value(json_object_get(j, "original")),
	    "{bad");
	json_decref(j);
	line_is("err", 0, "{\"stage\":\"rta-test\",\"source\":\"v.json\","
	    "\"line\":4,\"reason\":\"test-schema\",\"message\":\"a string\","
	    DETAIL "}");
	ck_assert_int_eq(lines("err"), 2);
}
END_TEST

/* Values cannot go out as rta frames: the run stops, as for usage. */
START_TEST(values_to_rta_refused)
{
	unit_write_str("v.json", "1\n2\n");
	ck_assert_int_eq(stage("--from", "values", "-o", "rta", "v.json",
	    NULL), RTA_EXIT_USAGE);
	file_is("err", "rta-test: a plain JSON value has no rta frame form "
	    "(use -o ndjson)\n");
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

	tc = tcase_create("messages");
	if (forking) {
		tcase_add_unchecked_fixture(tc, unit_base_setup,
		    unit_base_teardown);
		tcase_add_checked_fixture(tc, unit_tmp_setup,
		    unit_tmp_teardown);
		tcase_add_test(tc, msg_text);
		tcase_add_test(tc, msg_text_where);
		tcase_add_test(tc, msg_github);
		tcase_add_test(tc, msg_json);
		tcase_add_test(tc, msg_quiet);
	}
	suite_add_tcase(s, tc);

	tc = tcase_create("detail");
	if (forking) {
		tcase_add_unchecked_fixture(tc, unit_base_setup,
		    unit_base_teardown);
		tcase_add_checked_fixture(tc, unit_tmp_setup,
		    unit_tmp_teardown);
		tcase_add_test(tc, reject_detail);
		tcase_add_test(tc, values_through_stage);
		tcase_add_test(tc, values_to_rta_refused);
	}
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	/* pins the "time" of dead letters; read at the first clock read */
	setenv("RTA_NOW", "2026-01-01T00:00:00Z", 1);

	srunner_add_suite(sr, stage_suite(srunner_fork_status(sr) !=
	    CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
