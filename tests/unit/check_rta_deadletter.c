/*
 * check_rta_deadletter.c: the dead-letter line, byte for byte as the
 * header documents it, and read back with jansson; the extra members a
 * caller adds (rta_deadletter_put_detail); base64; appending.
 * RTA_NOW pins the "time" field (set in main, before any clock read).
 */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rta_deadletter.h"
#include "unit.h"

#define NOW_TEXT	"2026-01-01T00:00:00.000000Z"

static char dlpath[UNIT_PATH_MAX];
static struct rta_deadletter fd_dl;

static void
setup(void)
{
	struct rta_error err;

	unit_tmp_setup();
	snprintf(dlpath, sizeof(dlpath), "%s", unit_path("dead.ndjson"));
	ck_assert_int_eq(rta_deadletter_open(&fd_dl, dlpath, "rta-cat", &err),
	    RTA_OK);
	ck_assert_uint_eq(fd_dl.count, 0);
}

static void
teardown(void)
{
	struct rta_error err;

	ck_assert_int_eq(rta_deadletter_close(&fd_dl, &err), RTA_OK);
	/* closed: nothing held */
	ck_assert_ptr_null(fd_dl.path);
	ck_assert_ptr_null(fd_dl.line.data);
	ck_assert_int_eq(fd_dl.fd, -1);
	unit_tmp_teardown();
}

/* The file holds exactly want. */
static void
assert_file(const char *want)
{
	struct rta_buf b = RTA_BUF_INIT;

	unit_read(dlpath, &b);
	ck_assert_msg(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
	    "dead letters:\n%.*s\nwant:\n%s", (int)b.len, b.data, want);
	rta_buf_release(&b);
}

/* Line n (from 0) of the file, parsed. */
static json_t *
line_json(int n)
{
	struct rta_buf b = RTA_BUF_INIT;
	const unsigned char *p, *nl;
	json_error_t je;
	json_t *j;

	unit_read(dlpath, &b);
	p = b.data;
	while (n-- > 0) {
		nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
		ck_assert_ptr_nonnull(nl);
		p = nl + 1;
	}
	nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
	ck_assert_ptr_nonnull(nl);
	j = json_loadb((const char *)p, (size_t)(nl - p), JSON_ALLOW_NUL |
	    JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(j != NULL, "line is not JSON: %s: %.*s", je.text,
	    (int)(nl - p), p);
	rta_buf_release(&b);
	return j;
}

static struct rta_error
mkerr(const char *reason, const char *text)
{
	struct rta_error e;

	rta_error_clear(&e);
	e.code = RTA_EDATA;
	e.reason = reason;
	snprintf(e.text, sizeof(e.text), "%s", text);
	return e;
}

static void
put(const struct rta_where *w, const struct rta_error *e, const void *raw,
    size_t len, uint64_t total)
{
	struct rta_error err;

	rta_error_clear(&err);
	ck_assert_msg(rta_deadletter_put(&fd_dl, w, e, raw, len, total, &err) ==
	    RTA_OK, "%s", err.text);
}

static void
put_detail(const struct rta_where *w, const struct rta_error *e,
    const void *raw, size_t len, uint64_t total, const char *detail,
    size_t dlen)
{
	struct rta_error err;

	rta_error_clear(&err);
	ck_assert_msg(rta_deadletter_put_detail(&fd_dl, w, e, raw, len, total,
	    detail, dlen, &err) == RTA_OK, "%s", err.text);
}

/* Line n (from 0) of the file, as it is, without its newline (a NUL
 * follows it, not counted in out->len). */
static void
line_text(int n, struct rta_buf *out)
{
	struct rta_buf b = RTA_BUF_INIT;
	const unsigned char *p, *nl;

	unit_read(dlpath, &b);
	p = b.data;
	while (n-- > 0) {
		nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
		ck_assert_ptr_nonnull(nl);
		p = nl + 1;
	}
	nl = memchr(p, '\n', b.len - (size_t)(p - b.data));
	ck_assert_ptr_nonnull(nl);
	rta_buf_reset(out);
	ck_assert_int_eq(rta_buf_add(out, p, (size_t)(nl - p)), 0);
	ck_assert_int_eq(rta_buf_addc(out, '\0'), 0);
	out->len--;
	rta_buf_release(&b);
}

/* The members of object j are exactly names[], in that order. */
static void
assert_members(json_t *j, const char *const *names, size_t n)
{
	void *it = json_object_iter(j);
	size_t i = 0;

	ck_assert(json_is_object(j));
	for (; it != NULL; it = json_object_iter_next(j, it), i++) {
		ck_assert_msg(i < n, "extra member '%s'",
		    json_object_iter_key(it));
		ck_assert_msg(strcmp(json_object_iter_key(it), names[i]) == 0,
		    "member %zu is '%s', want '%s'", i,
		    json_object_iter_key(it), names[i]);
	}
	ck_assert_msg(i == n, "%zu members, want %zu", i, n);
}

/* ---- the line ---------------------------------------------------------- */

START_TEST(ndjson_position)
{
	struct rta_where w = { "events.ndjson", 42, 1000, 0, { 0 }, 0 };
	struct rta_error e = mkerr("bad-json",
	    "expected ':' after key at byte 17");
	static const char raw[] = "{\"event_id\" \"x\"}";

	put(&w, &e, raw, sizeof(raw) - 1, sizeof(raw) - 1);
	assert_file("{\"time\":\"" NOW_TEXT "\",\"stage\":\"rta-cat\","
	    "\"reason\":\"bad-json\",\"error\":\"expected ':' after key at byte "
	    "17\",\"source\":\"events.ndjson\",\"line\":42,\"original\":"
	    "\"{\\\"event_id\\\" \\\"x\\\"}\"}\n");
	ck_assert_uint_eq(fd_dl.count, 1);
}
END_TEST

START_TEST(frame_position_base64)
{
	struct rta_where w = { "in.rta", 0, 4096, 0, { 0 }, 0 };
	struct rta_error e = mkerr("bad-crc", "checksum mismatch");
	static const unsigned char raw[] = { 0x89, 'R', 'T', 'A', '\r', '\n',
	    0x1a, '\n', 1, 0, 0, 0, 0xff };

	put(&w, &e, raw, sizeof(raw), sizeof(raw));
	assert_file("{\"time\":\"" NOW_TEXT "\",\"stage\":\"rta-cat\","
	    "\"reason\":\"bad-crc\",\"error\":\"checksum mismatch\","
	    "\"source\":\"in.rta\",\"byte_offset\":4096,"
	    "\"original_base64\":\"iVJUQQ0KGgoBAAAA/w==\"}\n");
}
END_TEST

START_TEST(kafka_position)
{
	struct rta_where w = { "<stdin>", 7, 300, 1, { "events", 6, 3, 42 }, 0 };
	struct rta_error e = mkerr("no-payload", "message has no payload");

	put(&w, &e, "", 0, 0);
	assert_file("{\"time\":\"" NOW_TEXT "\",\"stage\":\"rta-cat\","
	    "\"reason\":\"no-payload\",\"error\":\"message has no payload\","
	    "\"source\":\"<stdin>\",\"topic\":\"events\",\"partition\":3,"
	    "\"offset\":42,\"line\":7,\"original\":\"\"}\n");
}
END_TEST

START_TEST(cut_original)
{
	struct rta_where w = { "big.ndjson", 3, 0, 0, { 0 }, 0 };
	struct rta_error e = mkerr("too-long", "line longer than 10 bytes");
	json_t *j;

	put(&w, &e, "0123456789", 10, 5000);
	assert_file("{\"time\":\"" NOW_TEXT "\",\"stage\":\"rta-cat\","
	    "\"reason\":\"too-long\",\"error\":\"line longer than 10 bytes\","
	    "\"source\":\"big.ndjson\",\"line\":3,\"original\":\"0123456789\","
	    "\"original_length\":5000}\n");
	/* binary and cut */
	put(&w, &e, "\xff\xfe", 2, 1 << 20);
	j = line_json(1);
	ck_assert_str_eq(json_string_value(json_object_get(j,
	    "original_base64")), "//4=");
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "original_length")), 1 << 20);
	ck_assert_ptr_null(json_object_get(j, "original"));
	json_decref(j);
}
END_TEST

/* More than 1 MiB of original is cut there, and says so. */
START_TEST(huge_original)
{
	struct rta_where w = { "big.ndjson", 1, 0, 0, { 0 }, 0 };
	struct rta_error e = mkerr("too-long", "long");
	size_t n = 3u << 20;
	char *raw = malloc(n);
	json_t *j;

	ck_assert_ptr_nonnull(raw);
	memset(raw, 'a', n);
	put(&w, &e, raw, n, n);
	j = line_json(0);
	ck_assert_uint_eq(json_string_length(json_object_get(j, "original")),
	    1u << 20);
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "original_length")), (json_int_t)n);
	json_decref(j);
	free(raw);
}
END_TEST

/* Hostile bytes everywhere still make one valid JSON line. */
START_TEST(escaping)
{
	struct rta_where w = { "we\"ird\n\xff.ndjson", 1, 0, 0, { 0 }, 0 };
	struct rta_error e = mkerr("bad-json",
	    "bad \"quote\" \\ and\ttab\x1b[31m");
	static const char raw[] = "a\0b\"c\\d\ne\x01\x7f\xc3\xa9";
	struct rta_buf b = RTA_BUF_INIT;
	json_t *j, *o;

	put(&w, &e, raw, sizeof(raw) - 1, sizeof(raw) - 1);
	unit_read(dlpath, &b);
	/* one line: the only newline is the last byte */
	ck_assert_ptr_eq(memchr(b.data, '\n', b.len), b.data + b.len - 1);
	rta_buf_release(&b);
	j = line_json(0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
	    "bad \"quote\" \\ and\ttab\x1b[31m");
	/* invalid UTF-8 in the source name becomes U+FFFD */
	ck_assert_str_eq(json_string_value(json_object_get(j, "source")),
	    "we\"ird\n\xef\xbf\xbd.ndjson");
	o = json_object_get(j, "original");
	ck_assert_uint_eq(json_string_length(o), sizeof(raw) - 1);
	ck_assert_int_eq(memcmp(json_string_value(o), raw, sizeof(raw) - 1),
	    0);
	json_decref(j);
}
END_TEST

START_TEST(optional_parts)
{
	struct rta_error e = mkerr(NULL, "no reason");
	json_t *j;

	put(NULL, &e, NULL, 0, 0);
	assert_file("{\"time\":\"" NOW_TEXT "\",\"stage\":\"rta-cat\","
	    "\"reason\":\"error\",\"error\":\"no reason\"}\n");
	/* a where without a source still has its position */
	{
		struct rta_where w = { NULL, 5, 0, 0, { 0 }, 0 };

		e = mkerr("bad-json", "x");
		put(&w, &e, "x", 1, 1);
	}
	j = line_json(1);
	ck_assert_ptr_null(json_object_get(j, "source"));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 5);
	json_decref(j);
	ck_assert_uint_eq(fd_dl.count, 2);
}
END_TEST

/* Every line parses, with the fields it was given. */
START_TEST(parse_back)
{
	static const char *const reasons[] = { "bad-json", "bad-utf8",
	    "too-long", "bad-frame" };
	int i;

	for (i = 0; i < 40; i++) {
		struct rta_where w = { "f", (uint64_t)(i % 2 ? i : 0),
		    (uint64_t)i * 100, i % 5 == 0, { "t", 1, i, i * 7 }, 0 };
		struct rta_error e = mkerr(reasons[i % 4], "why");
		unsigned char raw[64];
		int k;

		for (k = 0; k < i; k++)
			raw[k] = (unsigned char)(i * 31 + k * 7);
		put(&w, &e, raw, (size_t)i, (uint64_t)i + (uint64_t)(i % 3));
	}
	ck_assert_uint_eq(fd_dl.count, 40);
	for (i = 0; i < 40; i++) {
		json_t *j = line_json(i);
		const char *b64;

		ck_assert_str_eq(json_string_value(json_object_get(j,
		    "reason")), reasons[i % 4]);
		ck_assert_str_eq(json_string_value(json_object_get(j,
		    "stage")), "rta-cat");
		ck_assert_str_eq(json_string_value(json_object_get(j,
		    "time")), NOW_TEXT);
		if (i % 2)
			ck_assert_int_eq(json_integer_value(json_object_get(j,
			    "line")), i);
		else
			ck_assert_int_eq(json_integer_value(json_object_get(j,
			    "byte_offset")), i * 100);
		ck_assert((json_object_get(j, "topic") != NULL) == (i % 5 == 0));
		if (i % 5 == 0)
			ck_assert_int_eq(json_integer_value(json_object_get(j,
			    "offset")), i * 7);
		ck_assert((json_object_get(j, "original_length") != NULL) ==
		    (i % 3 != 0));
		b64 = json_string_value(json_object_get(j, "original_base64"));
		ck_assert(b64 != NULL ||
		    json_object_get(j, "original") != NULL);
		json_decref(j);
	}
}
END_TEST

/* ---- more members ------------------------------------------------------ */

#define VIOLATIONS	"\"violations\":[{\"path\":\"/payload/n\"," \
	"\"keyword\":\"type\",\"message\":\"want \\\"integer\\\"\"}," \
	"{\"path\":\"\",\"keyword\":\"required\",\"missing\":[\"a\",\"b\"]}]"

/* The members come after all the others, byte for byte as given. */
START_TEST(detail_members)
{
	static const char *const names[] = { "time", "stage", "reason",
	    "error", "source", "line", "original", "violations", "schema" };
	static const char detail[] = VIOLATIONS ",\"schema\":\"ev.json\"";
	struct rta_where w = { "events.ndjson", 7, 300, 0, { 0 }, 0 };
	struct rta_error e = mkerr("schema", "2 schema violations");
	struct rta_buf plain = RTA_BUF_INIT, more = RTA_BUF_INIT;
	json_t *j;

	put(&w, &e, "{\"n\":\"x\"}", 9, 9);
	put_detail(&w, &e, "{\"n\":\"x\"}", 9, 9, detail, sizeof(detail) - 1);
	ck_assert_uint_eq(fd_dl.count, 2);
	/* put() is what it was; the detail line is it plus the members */
	line_text(0, &plain);
	line_text(1, &more);
	ck_assert_str_eq((const char *)plain.data, "{\"time\":\"" NOW_TEXT
	    "\",\"stage\":\"rta-cat\",\"reason\":\"schema\",\"error\":"
	    "\"2 schema violations\",\"source\":\"events.ndjson\",\"line\":7,"
	    "\"original\":\"{\\\"n\\\":\\\"x\\\"}\"}");
	ck_assert_uint_eq(more.len, plain.len + 1 + sizeof(detail) - 1);
	ck_assert_int_eq(memcmp(more.data, plain.data, plain.len - 1), 0);
	ck_assert_int_eq(more.data[plain.len - 1], ',');
	ck_assert_int_eq(memcmp(more.data + plain.len, detail,
	    sizeof(detail) - 1), 0);
	ck_assert_int_eq(more.data[more.len - 1], '}');
	/* and it is one JSON object with every member in place */
	j = line_json(1);
	assert_members(j, names, sizeof(names) / sizeof(names[0]));
	ck_assert_str_eq(json_string_value(json_object_get(j, "time")),
	    NOW_TEXT);
	ck_assert_str_eq(json_string_value(json_object_get(j, "stage")),
	    "rta-cat");
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")),
	    "schema");
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
	    "2 schema violations");
	ck_assert_str_eq(json_string_value(json_object_get(j, "source")),
	    "events.ndjson");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 7);
	ck_assert_str_eq(json_string_value(json_object_get(j, "original")),
	    "{\"n\":\"x\"}");
	unit_json_member_is(j, "violations", "[{\"path\":\"/payload/n\","
	    "\"keyword\":\"type\",\"message\":\"want \\\"integer\\\"\"},"
	    "{\"path\":\"\",\"keyword\":\"required\",\"missing\":[\"a\","
	    "\"b\"]}]");
	ck_assert_str_eq(json_string_value(json_object_get(j, "schema")),
	    "ev.json");
	json_decref(j);
	rta_buf_release(&plain);
	rta_buf_release(&more);
}
END_TEST

/* After every optional member: kafka position, base64, a cut original. */
START_TEST(detail_after_optional_parts)
{
	static const char *const names[] = { "time", "stage", "reason",
	    "error", "source", "topic", "partition", "offset", "line",
	    "original_base64", "original_length", "violations" };
	static const char *const bare[] = { "time", "stage", "reason",
	    "error", "n" };
	struct rta_where w = { "<stdin>", 3, 0, 1, { "events", 6, 2, 41 }, 0 };
	struct rta_error e = mkerr("schema", "bad");
	json_t *j;

	put_detail(&w, &e, "\xff\xfe\xfd", 3, 5000, VIOLATIONS,
	    sizeof(VIOLATIONS) - 1);
	j = line_json(0);
	assert_members(j, names, sizeof(names) / sizeof(names[0]));
	ck_assert_str_eq(json_string_value(json_object_get(j, "topic")),
	    "events");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "partition")),
	    2);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "offset")), 41);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(j,
	    "original_base64")), "//79");
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "original_length")), 5000);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "violations")),
	    2);
	json_decref(j);
	/* no position and no original: the members follow the error */
	put_detail(NULL, &e, NULL, 0, 0, "\"n\":1", 5);
	j = line_json(1);
	assert_members(j, bare, sizeof(bare) / sizeof(bare[0]));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "n")), 1);
	json_decref(j);
	ck_assert_uint_eq(fd_dl.count, 2);
}
END_TEST

/* A detail of length 0 adds nothing, whatever the pointer. */
START_TEST(detail_empty)
{
	struct rta_where w = { "a.ndjson", 2, 10, 0, { 0 }, 0 };
	struct rta_error e = mkerr("bad-json", "x");
	struct rta_buf l0 = RTA_BUF_INIT, l = RTA_BUF_INIT;

	put(&w, &e, "{", 1, 1);
	put_detail(&w, &e, "{", 1, 1, NULL, 0);
	put_detail(&w, &e, "{", 1, 1, "\"x\":1", 0);
	ck_assert_uint_eq(fd_dl.count, 3);
	line_text(0, &l0);
	line_text(1, &l);
	ck_assert_str_eq((const char *)l.data, (const char *)l0.data);
	line_text(2, &l);
	ck_assert_str_eq((const char *)l.data, (const char *)l0.data);
	rta_buf_release(&l0);
	rta_buf_release(&l);
}
END_TEST

/* A large detail goes out whole, on one line. */
START_TEST(detail_large)
{
	struct rta_where w = { "a.ndjson", 1, 0, 0, { 0 }, 0 };
	struct rta_error e = mkerr("schema", "many");
	struct rta_buf d = RTA_BUF_INIT, b = RTA_BUF_INIT;
	json_t *j, *v;
	size_t i;

	rta_buf_adds(&d, "\"violations\":[");
	for (i = 0; i < 20000; i++)
		ck_assert_int_eq(rta_buf_printf(&d, "%s{\"path\":\"/a/%zu\"}",
		    i > 0 ? "," : "", i), 0);
	rta_buf_addc(&d, ']');
	put_detail(&w, &e, "x", 1, 1, (const char *)d.data, d.len);
	unit_read(dlpath, &b);
	ck_assert_ptr_eq(memchr(b.data, '\n', b.len), b.data + b.len - 1);
	j = line_json(0);
	v = json_object_get(j, "violations");
	ck_assert_uint_eq(json_array_size(v), 20000);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(v,
	    19999), "path")), "/a/19999");
	json_decref(j);
	rta_buf_release(&d);
	rta_buf_release(&b);
}
END_TEST

START_TEST(detail_write_error)
{
	struct rta_deadletter d;
	struct rta_error err, e = mkerr("schema", "x");
	struct rta_where w = { "a", 1, 0, 0, { 0 }, 0 };

	ck_assert_int_eq(rta_deadletter_open(&d, "/dev/full", "x", &err),
	    RTA_OK);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_deadletter_put_detail(&d, &w, &e, "1", 1, 1,
	    "\"n\":1", 5, &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No space left on device"));
	ck_assert_uint_eq(d.count, 0);
	ck_assert_int_eq(rta_deadletter_close(&d, &err), RTA_OK);
}
END_TEST

/* ---- the file ---------------------------------------------------------- */

START_TEST(appends)
{
	struct rta_deadletter d2;
	struct rta_error err, e = mkerr("bad-json", "one");
	struct rta_where w = { "a", 1, 0, 0, { 0 }, 0 };
	struct stat st;
	json_t *j;

	put(&w, &e, "1", 1, 1);
	/* a second writer on the same file, as another stage would be */
	ck_assert_int_eq(rta_deadletter_open(&d2, dlpath, "rta-validate",
	    &err), RTA_OK);
	e = mkerr("bad-field", "two");
	ck_assert_int_eq(rta_deadletter_put(&d2, &w, &e, "2", 1, 1, &err),
	    RTA_OK);
	e = mkerr("bad-json", "three");
	put(&w, &e, "3", 1, 1);
	ck_assert_int_eq(rta_deadletter_close(&d2, &err), RTA_OK);
	j = line_json(1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "stage")),
	    "rta-validate");
	json_decref(j);
	j = line_json(2);
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
	    "three");
	json_decref(j);
	/* created 0644 (less the umask) */
	ck_assert_int_eq(stat(dlpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0133, 0);
	/* reopening appends, never truncates */
	ck_assert_int_eq(rta_deadletter_open(&d2, dlpath, "x", &err), RTA_OK);
	ck_assert_int_eq(rta_deadletter_close(&d2, &err), RTA_OK);
	j = line_json(2);
	json_decref(j);
}
END_TEST

START_TEST(open_error)
{
	struct rta_deadletter d;
	struct rta_error err;
	const char *p = unit_path("no/such/dir/dl.ndjson");

	rta_error_clear(&err);
	ck_assert_int_eq(rta_deadletter_open(&d, p, "x", &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No such file or directory"));
	ck_assert_ptr_null(d.path);
	/* closing a failed one is harmless */
	ck_assert_int_eq(rta_deadletter_close(&d, &err), RTA_OK);
}
END_TEST

START_TEST(write_error)
{
	struct rta_deadletter d;
	struct rta_error err, e = mkerr("bad-json", "x");
	struct rta_where w = { "a", 1, 0, 0, { 0 }, 0 };

	ck_assert_int_eq(rta_deadletter_open(&d, "/dev/full", "x", &err),
	    RTA_OK);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_deadletter_put(&d, &w, &e, "1", 1, 1, &err),
	    RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No space left on device"));
	ck_assert_uint_eq(d.count, 0);
	ck_assert_int_eq(rta_deadletter_close(&d, &err), RTA_OK);
}
END_TEST

/* ---- base64 ------------------------------------------------------------ */

static int
b64val(int c)
{
	const char *t =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* A decoder written here; -1 on bad input. */
static long
b64decode(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		int a = b64val(s[i]), b = b64val(s[i + 1]);
		int c = s[i + 2] == '=' ? 0 : b64val(s[i + 2]);
		int d = s[i + 3] == '=' ? 0 : b64val(s[i + 3]);
		uint32_t v;

		if (a < 0 || b < 0 || c < 0 || d < 0)
			return -1;
		v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 |
		    (uint32_t)d;
		out[o++] = (unsigned char)(v >> 16);
		if (s[i + 2] != '=')
			out[o++] = (unsigned char)(v >> 8);
		if (s[i + 3] != '=')
			out[o++] = (unsigned char)v;
	}
	return (long)o;
}

START_TEST(base64_vectors)
{
	/* RFC 4648, section 10 */
	static const char *const in[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v",
	    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct rta_buf b = RTA_BUF_INIT;

		rta_buf_adds(&b, "pre:");
		ck_assert_int_eq(rta_base64(&b, in[i], strlen(in[i])), 0);
		ck_assert_uint_eq(b.len, 4 + strlen(out[i]));
		ck_assert_int_eq(memcmp(b.data, "pre:", 4), 0);
		ck_assert_int_eq(memcmp(b.data + 4, out[i], strlen(out[i])), 0);
		rta_buf_release(&b);
	}
}
END_TEST

START_TEST(base64_round_trip)
{
	unsigned char raw[300], dec[300];
	uint64_t x = 88172645463325252ULL;
	size_t n, i;

	for (n = 0; n < sizeof(raw); n++) {
		struct rta_buf b = RTA_BUF_INIT;

		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			raw[i] = (unsigned char)x;
		}
		ck_assert_int_eq(rta_base64(&b, raw, n), 0);
		ck_assert_uint_eq(b.len, (n + 2) / 3 * 4);
		ck_assert_int_eq(b64decode(b.data, b.len, dec), (long)n);
		ck_assert_int_eq(memcmp(dec, raw, n), 0);
		rta_buf_release(&b);
	}
}
END_TEST

static Suite *
deadletter_suite(void)
{
	Suite *s = suite_create("rta_deadletter");
	TCase *tc;

	tc = tcase_create("line");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ndjson_position);
	tcase_add_test(tc, frame_position_base64);
	tcase_add_test(tc, kafka_position);
	tcase_add_test(tc, cut_original);
	tcase_add_test(tc, huge_original);
	tcase_add_test(tc, escaping);
	tcase_add_test(tc, optional_parts);
	tcase_add_test(tc, parse_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("detail");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, detail_members);
	tcase_add_test(tc, detail_after_optional_parts);
	tcase_add_test(tc, detail_empty);
	tcase_add_test(tc, detail_large);
	tcase_add_test(tc, detail_write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, appends);
	tcase_add_test(tc, open_error);
	tcase_add_test(tc, write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("base64");
	tcase_add_test(tc, base64_vectors);
	tcase_add_test(tc, base64_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* read once per process, at the first dead letter */
	setenv("RTA_NOW", NOW_TEXT, 1);
	umask(022);
	sr = srunner_create(deadletter_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
