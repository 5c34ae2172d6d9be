/*
 * check_rta_event.c: the record envelope in NDJSON, read and written.
 *
 * The rules come from rta-format(5) ("Events in NDJSON", "Timestamps",
 * "Control records", "Writing NDJSON"): required fields, defaults, id
 * lengths, duplicate keys, extra keys kept in order, every timestamp form,
 * control records and the canonical output.  The identity tests build
 * random events as text, with the expected canonical fields computed
 * independently (timestamps through gmtime_r(3), values through jansson),
 * and check that parse(put(x)) puts the same bytes again.  Also: plain
 * JSON values put as compact lines, and the tenant id checker, byte by
 * byte against its charset written out here.
 */
#define _DEFAULT_SOURCE
#include <check.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_frame.h"
#include "rta_gen.h"
#include "rta_json.h"
#include "rta_reader.h"
#include "rta_time.h"
#include "rta_value.h"

#define HEAD	"\"event_id\":\"e1\",\"event_type\":\"t\"," \
	"\"tenant_id\":\"acme\""
#define TS	"\"timestamp\":\"2026-01-01T00:00:00Z\""
#define EV(rest)	"{" HEAD "," TS rest "}"
#define CANON(rest)	"{\"event_id\":\"e1\",\"timestamp\":" \
	"\"2026-01-01T00:00:00.000000Z\",\"event_type\":\"t\"," \
	"\"tenant_id\":\"acme\"" rest "}\n"

struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

static struct rta_ndjson_parser np;
static struct rta_record rec;
static struct rta_error err;
static struct rta_buf out;

static void
setup(void)
{
	rta_ndjson_parser_init(&np);
	rta_buf_init(&out);
	memset(&rec, 0, sizeof(rec));
}

static void
teardown(void)
{
	rta_ndjson_parser_release(&np);
	rta_buf_release(&out);
	/* release leaves the parser's buffers empty */
	ck_assert_ptr_null(np.payload.data);
	ck_assert_uint_eq(np.payload.len, 0);
	ck_assert_ptr_null(np.strings.data);
	ck_assert_ptr_null(np.extra.data);
}

/*
 * Parse a line from a heap copy of exactly its length (so that ASan sees
 * any read past it); returns the code.
 */
static int
parse_n(const char *line, size_t len)
{
	static char *copy;

	/* the record may borrow from the line: keep it until the next call */
	free(copy);
	copy = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, line, len);
	rta_error_clear(&err);
	return rta_ndjson_parse(&np, copy, len, &rec, &err);
}

static int
parse(const char *line)
{
	return parse_n(line, strlen(line));
}

/* The NDJSON of rec, NUL-terminated. */
static const char *
put(void)
{
	rta_buf_reset(&out);
	ck_assert_int_eq(rta_ndjson_put(&out, &rec), 0);
	rta_buf_addc(&out, '\0');
	return (const char *)out.data;
}

/* line must parse and put as want. */
static void
ok(const char *line, const char *want)
{
	int rc = parse(line);

	ck_assert_msg(rc == RTA_OK, "'%s' rejected: %s (%s)", line, err.text,
	    err.reason);
	ck_assert_msg(strcmp(put(), want) == 0, "'%s'\n put '%s'\n want '%s'",
	    line, out.data, want);
}

/* line must be refused with code and reason; text contains what. */
static void
bad(const char *line, int code, const char *reason, const char *what)
{
	int rc = parse(line);

	ck_assert_msg(rc == code, "'%s': rc %d (%s), want %d", line, rc,
	    err.text, code);
	ck_assert_msg(err.reason != NULL && strcmp(err.reason, reason) == 0,
	    "'%s': reason %s, want %s", line, err.reason, reason);
	ck_assert_msg(what == NULL || strstr(err.text, what) != NULL,
	    "'%s': text '%s' lacks '%s'", line, err.text, what);
}

/* ---------------------------------------------------------- required */

START_TEST(required_fields)
{
	static const char *const name[4] = { "event_id", "timestamp",
	    "event_type", "tenant_id" };
	static const char *const field[4] = { "\"event_id\":\"e1\"",
	    "\"timestamp\":0", "\"event_type\":\"t\"", "\"tenant_id\":\"a\"" };
	char line[256], want[64];
	int skip, i;

	for (skip = 0; skip < 4; skip++) {
		size_t n = 0;

		line[n++] = '{';
		for (i = 0; i < 4; i++) {
			if (i == skip)
				continue;
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    "%s%s", n > 1 ? "," : "", field[i]);
		}
		snprintf(line + n, sizeof(line) - n, ",\"payload\":{}}");
		snprintf(want, sizeof(want), "missing %s", name[skip]);
		bad(line, RTA_EDATA, "missing-field", want);
	}
	bad("{}", RTA_EDATA, "missing-field", "missing event_id");
	bad(" { } ", RTA_EDATA, "missing-field", NULL);
	/* all four, in any order, give the same record */
	ok("{\"tenant_id\":\"acme\",\"timestamp\":\"2026-01-01T00:00:00Z\","
	    "\"event_type\":\"t\",\"event_id\":\"e1\"}",
	    CANON(",\"schema_version\":1,\"payload\":{}"));
}
END_TEST

START_TEST(defaults)
{
	ok(EV(""), CANON(",\"schema_version\":1,\"payload\":{}"));
	ck_assert_uint_eq(rec.ev.schema_version, 1);
	ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
	ck_assert_ptr_nonnull(rec.ev.payload);
	ck_assert_int_eq(rta_value_tag(rec.ev.payload), RTA_V_OBJECT);
	ck_assert_uint_eq(rta_value_count(rec.ev.payload), 0);
	ck_assert_uint_eq(rec.ev.payload_len, 9);
	ck_assert_ptr_null(rec.ev.extra);
	ck_assert_int_eq(rta_value_check(rec.ev.payload, rec.ev.payload_len,
	    64, 1024, &err), RTA_OK);
	ok(EV(",\"payload\":null"), CANON(",\"schema_version\":1,"
	    "\"payload\":{}"));
	ok(EV(",\"payload\": null ,\"schema_version\":7"),
	    CANON(",\"schema_version\":7,\"payload\":{}"));
	ok(EV(",\"payload\":{}"), CANON(",\"schema_version\":1,"
	    "\"payload\":{}"));
	ok(EV(",\"schema_version\":0"), CANON(",\"schema_version\":0,"
	    "\"payload\":{}"));
	ok(EV(",\"schema_version\":4294967295"),
	    CANON(",\"schema_version\":4294967295,\"payload\":{}"));
	ck_assert_uint_eq(rec.ev.schema_version, 4294967295U);
	/* the values the previous line had do not leak into the next */
	ok(EV(""), CANON(",\"schema_version\":1,\"payload\":{}"));
}
END_TEST

START_TEST(bad_fields)
{
	static const char *const sv[] = { "4294967296", "-1", "1.0", "1e0",
	    "\"1\"", "null", "true", "[1]", "-0", "99999999999999999999" };
	static const char *const pl[] = { "[]", "\"x\"", "1", "true", "false",
	    "[{}]" };
	char line[256];
	size_t k;

	for (k = 0; k < sizeof(sv) / sizeof(sv[0]); k++) {
		snprintf(line, sizeof(line), EV(",\"schema_version\":%s"),
		    sv[k]);
		ck_assert_msg(parse(line) != RTA_OK, "%s accepted", line);
		ck_assert_msg(strcmp(err.reason, "bad-field") == 0 ||
		    strcmp(err.reason, "bad-json") == 0, "%s: %s", line,
		    err.reason);
	}
	bad(EV(",\"schema_version\":-1"), RTA_EDATA, "bad-field",
	    "schema_version");
	for (k = 0; k < sizeof(pl) / sizeof(pl[0]); k++) {
		snprintf(line, sizeof(line), EV(",\"payload\":%s"), pl[k]);
		bad(line, RTA_EDATA, "bad-field", "payload must be an object");
	}
	bad(EV(",\"payload\":nullx"), RTA_EDATA, "bad-json", NULL);
	bad(EV(",\"payload\":nul"), RTA_EDATA, "bad-field", NULL);
}
END_TEST

/* -------------------------------------------------------------- ids */

/* An event line with the given raw JSON for one id field. */
static const char *
with_id(const char *field, const char *json)
{
	static char line[4096];

	snprintf(line, sizeof(line), "{\"event_id\":%s,\"event_type\":%s,"
	    "\"tenant_id\":%s,\"timestamp\":0}",
	    strcmp(field, "event_id") == 0 ? json : "\"e\"",
	    strcmp(field, "event_type") == 0 ? json : "\"t\"",
	    strcmp(field, "tenant_id") == 0 ? json : "\"a\"");
	return line;
}

START_TEST(id_limits)
{
	static const char *const fields[] = { "event_id", "event_type",
	    "tenant_id" };
	static const char *const not_string[] = { "1", "null", "true", "{}",
	    "[\"e\"]", "-0" };
	char s[1200];
	size_t f, k;
	const uint8_t *len[3];

	for (f = 0; f < 3; f++) {
		char what[64];

		/* 1 and 255 bytes pass */
		ck_assert_int_eq(parse(with_id(fields[f], "\"x\"")), RTA_OK);
		memset(s, 0, sizeof(s));
		s[0] = '"';
		memset(s + 1, 'x', 255);
		s[256] = '"';
		ck_assert_int_eq(parse(with_id(fields[f], s)), RTA_OK);
		len[0] = &rec.ev.id_len;
		len[1] = &rec.ev.type_len;
		len[2] = &rec.ev.tenant_len;
		ck_assert_uint_eq(*len[f], 255);
		/* 0 and 256 do not */
		snprintf(what, sizeof(what), "%s is empty", fields[f]);
		bad(with_id(fields[f], "\"\""), RTA_EDATA, "bad-field", what);
		s[256] = 'x';
		s[257] = '"';
		snprintf(what, sizeof(what), "%s is longer than 255 bytes",
		    fields[f]);
		bad(with_id(fields[f], s), RTA_EDATA, "bad-field", what);
		/* lengths count decoded bytes: 127 x "é" + "a" is 255 */
		strcpy(s, "\"");
		for (k = 0; k < 127; k++)
			strcat(s, "\\u00e9");
		strcat(s, "a\"");
		ck_assert_int_eq(parse(with_id(fields[f], s)), RTA_OK);
		ck_assert_uint_eq(*len[f], 255);
		s[strlen(s) - 1] = '\0';
		strcat(s, "b\"");
		bad(with_id(fields[f], s), RTA_EDATA, "bad-field", NULL);
		/* and 255 bytes of raw UTF-8 */
		strcpy(s, "\"");
		for (k = 0; k < 85; k++)
			strcat(s, "\xe2\x82\xac");
		strcat(s, "\"");
		ck_assert_int_eq(parse(with_id(fields[f], s)), RTA_OK);
		ck_assert_uint_eq(*len[f], 255);
		for (k = 0; k < sizeof(not_string) / sizeof(not_string[0]);
		    k++) {
			snprintf(what, sizeof(what), "%s must be a string",
			    fields[f]);
			bad(with_id(fields[f], not_string[k]), RTA_EDATA,
			    "bad-field", what);
		}
		bad(with_id(fields[f], "\"a\xff\""), RTA_EDATA, "bad-utf8",
		    NULL);
		bad(with_id(fields[f], "\"a\\ud800\""), RTA_EDATA, "bad-json",
		    NULL);
		bad(with_id(fields[f], "\"\\u0000\""), RTA_EDATA, "bad-json",
		    NULL);
		bad(with_id(fields[f], "\"a"), RTA_EDATA, "bad-json", NULL);
	}
}
END_TEST

START_TEST(id_escapes)
{
	/* escapes decoded; controls, quote and backslash escaped again */
	ok("{\"event_id\":\"\\u0041\\/\\u00e9\",\"timestamp\":0,"
	    "\"event_type\":\"a\\tb\",\"tenant_id\":\"q\\\"\\\\\\u001f\"}",
	    "{\"event_id\":\"A/\xc3\xa9\",\"timestamp\":"
	    "\"1970-01-01T00:00:00.000000Z\",\"event_type\":\"a\\tb\","
	    "\"tenant_id\":\"q\\\"\\\\\\u001f\",\"schema_version\":1,"
	    "\"payload\":{}}\n");
	ck_assert_uint_eq(rec.ev.id_len, 4);
	ck_assert(memcmp(rec.ev.id, "A/\xc3\xa9", 4) == 0);
	ck_assert_uint_eq(rec.ev.tenant_len, 4);
	ck_assert(memcmp(rec.ev.tenant, "q\"\\\x1f", 4) == 0);
	/* several escaped strings share the scratch: each stays intact */
	ok("{\"event_id\":\"\\u0031\",\"event_type\":\"\\u0032\","
	    "\"tenant_id\":\"\\u0033\",\"timestamp\":\"2026-01-01T00:00:00"
	    "\\u005a\",\"k\\u0034\":\"\\u0035\"}",
	    "{\"event_id\":\"1\",\"timestamp\":\"2026-01-01T00:00:00.000000Z\""
	    ",\"event_type\":\"2\",\"tenant_id\":\"3\",\"schema_version\":1,"
	    "\"payload\":{},\"k4\":\"5\"}\n");
	/* envelope keys may be escaped too */
	ok("{\"event\\u005fid\":\"e1\",\"\\u0074imestamp\":\"2026-01-01T00:00:"
	    "00Z\",\"event_type\":\"t\",\"tenant_id\":\"acme\"}",
	    CANON(",\"schema_version\":1,\"payload\":{}"));
}
END_TEST

/* -------------------------------------------------------- duplicates */

START_TEST(duplicate_keys)
{
	static const char *const dup[] = {
		"\"event_id\":\"e2\"", "\"timestamp\":0",
		"\"event_type\":\"t\"", "\"tenant_id\":\"b\"",
		"\"schema_version\":1", "\"payload\":{}",
		"\"event\\u005fid\":\"e2\"",
	};
	static const char *const names[] = { "event_id", "timestamp",
	    "event_type", "tenant_id", "schema_version", "payload",
	    "event_id" };
	char line[512], what[64];
	size_t k;

	for (k = 0; k < sizeof(dup) / sizeof(dup[0]); k++) {
		snprintf(line, sizeof(line), EV(",\"schema_version\":1,"
		    "\"payload\":{},%s"), dup[k]);
		snprintf(what, sizeof(what), "duplicate key \"%s\"", names[k]);
		bad(line, RTA_EDATA, "duplicate-key", what);
	}
	/* payload null twice, or null then an object */
	bad(EV(",\"payload\":null,\"payload\":null"), RTA_EDATA,
	    "duplicate-key", NULL);
	bad(EV(",\"payload\":null,\"payload\":{\"a\":1}"), RTA_EDATA,
	    "duplicate-key", NULL);
	/* extra keys, near and far apart */
	bad(EV(",\"x\":1,\"x\":2"), RTA_EDATA, "duplicate-key", NULL);
	bad("{\"x\":1," HEAD "," TS ",\"x\":2}", RTA_EDATA, "duplicate-key",
	    NULL);
	bad(EV(",\"x\":1,\"\\u0078\":2"), RTA_EDATA, "duplicate-key", NULL);
	{
		size_t n;
		int i;

		n = (size_t)snprintf(line, sizeof(line), "{" HEAD "," TS);
		for (i = 0; i < 30; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    ",\"x%d\":%d", i, i);
		snprintf(line + n, sizeof(line) - n, ",\"x3\":0}");
		bad(line, RTA_EDATA, "duplicate-key", NULL);
		line[n] = '}';
		line[n + 1] = '\0';
		ck_assert_int_eq(parse(line), RTA_OK);
		ck_assert_uint_eq(rta_value_count(rec.ev.extra), 30);
	}
	/* inside the payload, at any depth */
	bad(EV(",\"payload\":{\"a\":1,\"a\":2}"), RTA_EDATA, "duplicate-key",
	    NULL);
	bad(EV(",\"payload\":{\"a\":[{\"b\":{\"c\":1,\"c\":1}}]}"), RTA_EDATA,
	    "duplicate-key", NULL);
	bad(EV(",\"x\":{\"a\":1,\"a\":2}"), RTA_EDATA, "duplicate-key", NULL);
	/* the same key in the payload and at the top level is fine */
	ok(EV(",\"payload\":{\"event_id\":1,\"x\":2},\"x\":3"),
	    CANON(",\"schema_version\":1,\"payload\":{\"event_id\":1,\"x\":2},"
	    "\"x\":3"));
}
END_TEST

/* ------------------------------------------------------------ extras */

START_TEST(extra_keys)
{
	/* kept in input order, wherever they were, after the payload */
	ok("{\"z\":1,\"event_id\":\"e1\",\"a\":[true,null],\"timestamp\":"
	    "\"2026-01-01T00:00:00Z\",\"event_type\":\"t\",\"m\":{\"n\":"
	    "\"\\u00e9\"},\"tenant_id\":\"acme\",\"payload\":{\"p\":1.50},"
	    "\"Event_id\":\"no\",\"\":-0}",
	    CANON(",\"schema_version\":1,\"payload\":{\"p\":1.50},\"z\":1,"
	    "\"a\":[true,null],\"m\":{\"n\":\"\xc3\xa9\"},\"Event_id\":\"no\","
	    "\"\":-0"));
	ck_assert_ptr_nonnull(rec.ev.extra);
	ck_assert_uint_eq(rta_value_count(rec.ev.extra), 5);
	ck_assert_int_eq(rta_value_check(rec.ev.extra, rec.ev.extra_len, 64,
	    1024, &err), RTA_OK);
	ck_assert_ptr_nonnull(rta_value_member(rec.ev.extra, "m", 1));
	/* an extra null is kept, unlike payload null */
	ok(EV(",\"x\":null"), CANON(",\"schema_version\":1,\"payload\":{},"
	    "\"x\":null"));
}
END_TEST

/* Top-level members: 1024 at most, schema_version and payload counted. */
START_TEST(extra_limit)
{
	struct rta_buf line = RTA_BUF_INIT;
	unsigned n, i;

	for (n = 1017; n <= 1020; n++) {
		rta_buf_reset(&line);
		rta_buf_adds(&line, "{" HEAD "," TS);
		for (i = 0; i < n; i++)
			rta_buf_printf(&line, ",\"x%u\":%u", i, i);
		rta_buf_adds(&line, "}");
		rta_buf_addc(&line, '\0');
		if (n <= 1018) {
			ck_assert_int_eq(parse((char *)line.data), RTA_OK);
			ck_assert_uint_eq(rta_value_count(rec.ev.extra), n);
		} else
			bad((char *)line.data, RTA_ELIMIT, "too-many-members",
			    NULL);
	}
	rta_buf_release(&line);
}
END_TEST

/* Nesting: the top-level object is the first of 64 levels. */
START_TEST(depth_limit)
{
	struct rta_buf line = RTA_BUF_INIT;
	unsigned n, i, in_extra;

	for (in_extra = 0; in_extra < 2; in_extra++)
		for (n = 62; n <= 64; n++) {
			/* a payload or extra value with n more levels */
			rta_buf_reset(&line);
			rta_buf_adds(&line, "{" HEAD "," TS);
			rta_buf_adds(&line, in_extra ? ",\"x\":[" :
			    ",\"payload\":{\"a\":");
			for (i = 0; i < n; i++)
				rta_buf_adds(&line, "[");
			for (i = 0; i < n; i++)
				rta_buf_adds(&line, "]");
			rta_buf_adds(&line, in_extra ? "]}" : "}}");
			rta_buf_addc(&line, '\0');
			if (n <= 62)
				ck_assert_msg(parse((char *)line.data) ==
				    RTA_OK, "%u levels in %s: %s", n,
				    in_extra ? "extra" : "payload", err.text);
			else
				bad((char *)line.data, RTA_ELIMIT, "too-deep",
				    NULL);
		}
	rta_buf_release(&line);
}
END_TEST

/* --------------------------------------------------------- timestamps */

static void
ts_ok(const char *json, const char *want)
{
	char line[512], canon[512];

	snprintf(line, sizeof(line), "{" HEAD ",\"timestamp\":%s}", json);
	snprintf(canon, sizeof(canon), "{\"event_id\":\"e1\",\"timestamp\":"
	    "\"%s\",\"event_type\":\"t\",\"tenant_id\":\"acme\","
	    "\"schema_version\":1,\"payload\":{}}\n", want);
	ok(line, canon);
}

static void
ts_bad(const char *json, const char *what)
{
	char line[512];

	snprintf(line, sizeof(line), "{" HEAD ",\"timestamp\":%s}", json);
	bad(line, RTA_EDATA, "bad-timestamp", what);
}

START_TEST(timestamps_rfc3339)
{
	ts_ok("\"2026-11-26T10:00:00.123456Z\"", "2026-11-26T10:00:00.123456Z");
	ts_ok("\"2026-11-26t10:00:00z\"", "2026-11-26T10:00:00.000000Z");
	ts_ok("\"2026-11-26 10:00:00Z\"", "2026-11-26T10:00:00.000000Z");
	ts_ok("\"2026-11-26T10:00:00.1Z\"", "2026-11-26T10:00:00.100000Z");
	ts_ok("\"2026-11-26T10:00:00.123456789Z\"",
	    "2026-11-26T10:00:00.123456Z");
	ts_ok("\"2026-11-26T10:00:00.999999999Z\"",
	    "2026-11-26T10:00:00.999999Z");
	ts_ok("\"2026-11-26T10:00:00+05:30\"", "2026-11-26T04:30:00.000000Z");
	ts_ok("\"2026-11-26T10:00:00.5-08:00\"",
	    "2026-11-26T18:00:00.500000Z");
	ts_ok("\"2026-01-01T00:30:00+01:00\"", "2025-12-31T23:30:00.000000Z");
	ts_ok("\"2024-02-29T23:59:60Z\"", "2024-02-29T23:59:59.999999Z");
	ts_ok("\"0001-01-01T00:00:00Z\"", "0001-01-01T00:00:00.000000Z");
	ts_ok("\"9999-12-31T23:59:59.999999Z\"",
	    "9999-12-31T23:59:59.999999Z");
	ts_ok("\"1969-12-31T23:59:59.999999Z\"",
	    "1969-12-31T23:59:59.999999Z");
	ts_ok("\"2026-11-26T10:00:00\\u005a\"",
	    "2026-11-26T10:00:00.000000Z");
	ts_bad("\"2026-13-01T00:00:00Z\"", "month out of range");
	ts_bad("\"2026-02-29T00:00:00Z\"", "day out of range");
	ts_bad("\"2026-01-01T24:00:00Z\"", "hour out of range");
	ts_bad("\"2026-01-01T00:00:00\"", NULL);
	ts_bad("\"2026-01-01\"", NULL);
	ts_bad("\"9999-12-31T23:59:59-00:01\"", "out of range");
	ts_bad("\"0001-01-01T00:00:00+00:01\"", "out of range");
	ts_bad("\"\"", NULL);
	ts_bad("\"1767225600\"", NULL);		/* digits are not epochs */
	ts_bad("\"2026-01-01T00:00:00Z \"", "trailing");
	bad("{" HEAD ",\"timestamp\":\"2026-01-01T00:00:00Z}", RTA_EDATA,
	    "bad-json", NULL);
	/* the message quotes the bad value */
	ts_bad("\"2026-13-01T00:00:00Z\"", "'2026-13-01T00:00:00Z'");
}
END_TEST

START_TEST(timestamps_epoch)
{
	ts_ok("0", "1970-01-01T00:00:00.000000Z");
	ts_ok("-0", "1970-01-01T00:00:00.000000Z");
	ts_ok("-1", "1969-12-31T23:59:59.000000Z");
	ts_ok("1767225600", "2026-01-01T00:00:00.000000Z");
	ts_ok("1767225600.5", "2026-01-01T00:00:00.500000Z");
	ts_ok("1767225600123", "2026-01-01T00:00:00.123000Z");
	ts_ok("1767225600123.5", "2026-01-01T00:00:00.123500Z");
	ts_ok("1767225600123456", "2026-01-01T00:00:00.123456Z");
	ts_ok("1.7672256e9", "2026-01-01T00:00:00.000000Z");
	ts_ok("99999999999", "5138-11-16T09:46:39.000000Z");	/* s */
	ts_ok("100000000000", "1973-03-03T09:46:40.000000Z");	/* ms */
	ts_ok("99999999999999", "5138-11-16T09:46:39.999000Z");	/* ms */
	ts_ok("100000000000000", "1973-03-03T09:46:40.000000Z");	/* us */
	ts_ok("-62135596800", "0001-01-01T00:00:00.000000Z");
	ts_ok("253402300799999999", "9999-12-31T23:59:59.999999Z");
	ts_bad("253402300800000000", "out of range");
	ts_bad("-62135596801", "out of range");
	ts_bad("1e300", "out of range");
	ts_bad("true", "RFC 3339 string or an epoch number");
	ts_bad("null", NULL);
	ts_bad("[0]", NULL);
	ts_bad("{}", NULL);
	bad("{" HEAD ",\"timestamp\":1e400}", RTA_EDATA, "bad-json", NULL);
	bad("{" HEAD ",\"timestamp\":01}", RTA_EDATA, "bad-json", NULL);

	/* a fixed unit instead of the magnitude */
	np.opts.epoch_unit = RTA_EPOCH_MS;
	ts_ok("1767225600", "1970-01-21T10:53:45.600000Z");
	ts_ok("1767225600123", "2026-01-01T00:00:00.123000Z");
	np.opts.epoch_unit = RTA_EPOCH_US;
	ts_ok("1767225600", "1970-01-01T00:29:27.225600Z");
	np.opts.epoch_unit = RTA_EPOCH_S;
	ts_ok("1767225600", "2026-01-01T00:00:00.000000Z");
	ts_bad("1767225600123", "out of range");
}
END_TEST

/* --------------------------------------------------------- control */

START_TEST(control_records)
{
	static const char *const wm =
	    "{\"$rta\":\"watermark\",\"watermark\":"
	    "\"2026-11-26T10:00:00.000000Z\"}\n";

	ok("{\"$rta\":\"watermark\",\"watermark\":\"2026-11-26T10:00:00Z\"}",
	    wm);
	ck_assert_int_eq(rec.kind, RTA_REC_WATERMARK);
	ck_assert_int_eq(rec.watermark, 1795687200000000LL);
	ok("{ \"watermark\" : 1795687200000000 , \"$rta\" : \"watermark\" }",
	    wm);
	/* integers are microseconds whatever their size */
	ok("{\"$rta\":\"watermark\",\"watermark\":1}",
	    "{\"$rta\":\"watermark\",\"watermark\":"
	    "\"1970-01-01T00:00:00.000001Z\"}\n");
	ok("{\"$rta\":\"watermark\",\"watermark\":\"2026-11-26T11:00:00"
	    "+01:00\"}", wm);

	ok("{\"$rta\":\"position\",\"topic\":\"events\",\"partition\":3,"
	    "\"offset\":1234}", "{\"$rta\":\"position\",\"topic\":\"events\","
	    "\"partition\":3,\"offset\":1234}\n");
	ck_assert_int_eq(rec.kind, RTA_REC_POSITION);
	ck_assert_int_eq(rec.pos.partition, 3);
	ck_assert_int_eq(rec.pos.offset, 1234);
	ck_assert_uint_eq(rec.pos.topic_len, 6);
	ok("{\"offset\":9223372036854775807,\"partition\":2147483647,"
	    "\"topic\":\"t\\u00e9\\\"\",\"$rta\":\"position\"}",
	    "{\"$rta\":\"position\",\"topic\":\"t\xc3\xa9\\\"\","
	    "\"partition\":2147483647,\"offset\":9223372036854775807}\n");
	ok("{\"$rta\":\"position\",\"topic\":\"x\",\"partition\":0,"
	    "\"offset\":0}", "{\"$rta\":\"position\",\"topic\":\"x\","
	    "\"partition\":0,\"offset\":0}\n");

	/* the end record writes nothing in NDJSON */
	ck_assert_int_eq(parse("{\"$rta\":\"end\"}"), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_END);
	ck_assert_str_eq(put(), "");
	ck_assert_uint_eq(out.len, 1);
	/* "$rta" anywhere makes a control record, escaped or not */
	ck_assert_int_eq(parse("{ \"\\u0024rta\" : \"end\" }"), RTA_OK);
	ck_assert_int_eq(rec.kind, RTA_REC_END);
}
END_TEST

#define AGG_HEAD "{\"$rta\":\"aggregate\",\"record_id\":\"r1\"," \
	"\"window\":\"tumbling\",\"start\":\"2026-11-26T10:00:00.000000Z\"," \
	"\"tenant_id\":\"acme\",\"version\":2"

/*
 * Aggregate records: the named fields map to the envelope, the other
 * members to the payload in their order; the canonical form puts them
 * back; frames carry them as type A and read back the same.
 */
START_TEST(aggregate_records)
{
	static const char *const canon = AGG_HEAD ",\"end\":"
	    "\"2026-11-26T10:01:00.000000Z\",\"group\":{\"tenant_id\":"
	    "\"acme\"},\"results\":{\"count\":3},\"states\":{\"count\":"
	    "{\"count\":3}}}\n";
	struct rta_buf fr = RTA_BUF_INIT;
	struct rta_record back;
	const char *s;
	size_t sl;

	/* any key order in; the canonical order out */
	ok("{\"end\":\"2026-11-26T10:01:00.000000Z\",\"version\":2,"
	    "\"group\":{\"tenant_id\":\"acme\"},\"start\":"
	    "\"2026-11-26T11:00:00+01:00\",\"record_id\":\"r1\","
	    "\"results\":{\"count\":3},\"tenant_id\":\"acme\","
	    "\"states\":{\"count\":{\"count\":3}},\"window\":\"tumbling\","
	    "\"$rta\":\"aggregate\"}", canon);
	ck_assert_int_eq(rec.kind, RTA_REC_AGGREGATE);
	ck_assert_int_eq(rec.ev.ts, 1795687200000000LL);
	ck_assert_uint_eq(rec.ev.schema_version, 2);
	ck_assert_mem_eq(rec.ev.id, "r1", 2);
	ck_assert_mem_eq(rec.ev.type, "tumbling", 8);
	ck_assert_mem_eq(rec.ev.tenant, "acme", 4);
	ck_assert_ptr_null(rec.ev.extra);
	ck_assert_int_eq(rta_value_count(rec.ev.payload), 4);
	ck_assert(rta_value_str(rta_value_member(rec.ev.payload, "end", 3),
	    &s, &sl) && sl == 27);
	ok(canon, canon);
	/* integer microseconds for the start; an empty payload */
	ok("{\"$rta\":\"aggregate\",\"record_id\":\"r1\",\"window\":"
	    "\"tumbling\",\"start\":1795687200000000,\"tenant_id\":\"acme\","
	    "\"version\":2}", AGG_HEAD "}\n");
	ck_assert_uint_eq(rec.ev.payload_len, 9);

	/* frames: type A, the same record back, the same line */
	ck_assert_int_eq(parse(canon), RTA_OK);
	ck_assert_int_eq(rta_frame_put(&fr, &rec), 0);
	ck_assert_int_eq(fr.data[4], 'A');
	memset(&back, 0, sizeof(back));
	ck_assert_int_eq(rta_frame_decode(fr.data, fr.len, 64, 10000, &back,
	    &err), RTA_OK);
	ck_assert_int_eq(back.kind, RTA_REC_AGGREGATE);
	ck_assert_int_eq(back.ev.ts, rec.ev.ts);
	ck_assert_uint_eq(back.ev.schema_version, 2);
	rec = back;
	ck_assert_str_eq(put(), canon);
	/* an unchanged aggregate is copied; it stays an aggregate */
	rta_buf_reset(&out);
	ck_assert_int_eq(rta_frame_put(&out, &back), 0);
	ck_assert_uint_eq(out.len, fr.len);
	ck_assert_mem_eq(out.data, fr.data, fr.len);
	rta_buf_release(&fr);
}
END_TEST

START_TEST(aggregate_malformed)
{
	static const struct {
		const char	*line, *reason;
	} c[] = {
		{ "{\"$rta\":\"aggregate\"}", "missing-field" },
		{ AGG_HEAD ",\"record_id\":\"r2\"}", "duplicate-key" },
		{ "{\"$rta\":\"aggregate\",\"record_id\":\"r1\","
		    "\"window\":\"tumbling\",\"start\":\"x\","
		    "\"tenant_id\":\"acme\",\"version\":2}", "bad-timestamp" },
		{ "{\"$rta\":\"aggregate\",\"record_id\":\"\","
		    "\"window\":\"tumbling\",\"start\":1,"
		    "\"tenant_id\":\"acme\",\"version\":2}", "bad-field" },
		{ "{\"$rta\":\"aggregate\",\"record_id\":\"r1\","
		    "\"window\":5,\"start\":1,"
		    "\"tenant_id\":\"acme\",\"version\":2}", "bad-field" },
		{ "{\"$rta\":\"aggregate\",\"record_id\":\"r1\","
		    "\"window\":\"w\",\"start\":1,"
		    "\"tenant_id\":\"acme\",\"version\":-1}", "bad-field" },
		{ "{\"$rta\":\"aggregate\",\"record_id\":\"r1\","
		    "\"window\":\"w\",\"start\":1,"
		    "\"tenant_id\":\"acme\",\"version\":4294967296}",
		    "bad-field" },
		{ "{\"$rta\":\"aggregate\",\"record_id\":\"r1\","
		    "\"window\":\"w\",\"start\":1,"
		    "\"tenant_id\":\"acme\",\"version\":1.5}", "bad-field" },
	};
	struct rta_buf fr = RTA_BUF_INIT, pl = RTA_BUF_INIT;
	struct rta_record r;
	size_t i, off;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		bad(c[i].line, RTA_EDATA, c[i].reason, NULL);
	/* a frame whose payload names one of the record's own fields */
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_AGGREGATE;
	r.ev.id = "r1";
	r.ev.id_len = 2;
	r.ev.type = "w";
	r.ev.type_len = 1;
	r.ev.tenant = "acme";
	r.ev.tenant_len = 4;
	off = rta_venc_begin(&pl, RTA_V_OBJECT);
	rta_venc_key(&pl, "start", 5);
	rta_venc_int(&pl, 1);
	rta_venc_end(&pl, off, 1);
	r.ev.payload = pl.data;
	r.ev.payload_len = pl.len;
	ck_assert_int_eq(rta_frame_put(&fr, &r), 0);
	ck_assert_int_eq(rta_frame_decode(fr.data, fr.len, 64, 10000, &r,
	    &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-field");
	/* an aggregate frame with the extra flag */
	rta_buf_reset(&fr);
	memset(&r, 0, sizeof(r));
	r.kind = RTA_REC_EVENT;
	r.ev.id = "r1";
	r.ev.id_len = 2;
	r.ev.type = "w";
	r.ev.type_len = 1;
	r.ev.tenant = "acme";
	r.ev.tenant_len = 4;
	r.ev.payload = rta_empty_object;
	r.ev.payload_len = sizeof(rta_empty_object);
	r.ev.extra = rta_empty_object;
	r.ev.extra_len = sizeof(rta_empty_object);
	ck_assert_int_eq(rta_frame_put(&fr, &r), 0);
	fr.data[4] = 'A';
	/* the header check covers the type: make it right again */
	rta_put_u16(fr.data + 6, (uint16_t)rta_crc32c(0, fr.data, 6));
	ck_assert_int_eq(rta_frame_decode(fr.data, fr.len, 64, 10000, &r,
	    &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-frame");
	/* and none can be written */
	r.kind = RTA_REC_AGGREGATE;
	rta_buf_reset(&fr);
	ck_assert_int_eq(rta_frame_put(&fr, &r), -1);
	ck_assert_int_eq(rta_ndjson_put(&fr, &r), -1);
	rta_buf_release(&fr);
	rta_buf_release(&pl);
}
END_TEST

START_TEST(control_malformed)
{
	static const char *const c[] = {
		"{\"$rta\":\"end\",\"x\":1}",
		"{\"$rta\":\"End\"}",
		"{\"$rta\":\"\"}",
		"{\"$rta\":1}",
		"{\"$rta\":null}",
		"{\"$rta\":[\"end\"]}",
		"{\"$rta\":\"watermark\"}",
		"{\"$rta\":\"watermark\",\"watermark\":1.5}",
		"{\"$rta\":\"watermark\",\"watermark\":true}",
		"{\"$rta\":\"watermark\",\"watermark\":0,\"y\":1}",
		"{\"$rta\":\"watermark\",\"watermark\":\"2026-01-01T00:00:00Z\","
		    "\"y\":1}",
		"{\"$rta\":\"watermark\",\"Watermark\":1}",
		"{\"$rta\":\"watermark\",\"watermark\":253402300800000000}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":1}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"offset\":1,"
		    "\"partitio\":1}",
		"{\"$rta\":\"position\",\"topic\":\"\",\"partition\":1,"
		    "\"offset\":1}",
		"{\"$rta\":\"position\",\"topic\":1,\"partition\":1,"
		    "\"offset\":1}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":-1,"
		    "\"offset\":1}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":"
		    "2147483648,\"offset\":1}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":1.0,"
		    "\"offset\":1}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":1,"
		    "\"offset\":-1}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":1,"
		    "\"offset\":1e3}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":1,"
		    "\"offset\":\"1\"}",
		"{\"$rta\":\"position\",\"topic\":\"t\",\"partition\":1,"
		    "\"offset\":1,\"x\":0}",
		"{\"event_id\":\"e\",\"$rta\":\"end\"}",
	};
	char line[512];
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++)
		bad(c[k], RTA_EDATA, "bad-control", NULL);
	bad("{\"$rta\":\"watermark\",\"watermark\":\"2026-13-01T00:00:00Z\"}",
	    RTA_EDATA, "bad-timestamp", NULL);
	/* topic: 249 bytes, not 250 */
	for (k = 249; k <= 250; k++) {
		int n = snprintf(line, sizeof(line), "{\"$rta\":\"position\","
		    "\"partition\":1,\"offset\":2,\"topic\":\"");

		memset(line + n, 'x', k);
		snprintf(line + n + k, sizeof(line) - n - k, "\"}");
		if (k == 249) {
			ck_assert_int_eq(parse(line), RTA_OK);
			ck_assert_uint_eq(rec.pos.topic_len, 249);
		} else
			bad(line, RTA_EDATA, "bad-control", NULL);
	}
	/* the JSON rules hold in control records too */
	bad("{\"$rta\":\"end\",\"$rta\":\"end\"}", RTA_EDATA, "duplicate-key",
	    NULL);
	bad("{\"$rta\":\"end\"", RTA_EDATA, "bad-json", NULL);
	bad("{\"$rta\":\"end\"} x", RTA_EDATA, "bad-json", NULL);
	bad("{\"$rta\":\"end\",\"x\":\"\xff\"}", RTA_EDATA, "bad-utf8", NULL);
}
END_TEST

/* ---------------------------------------------------------- syntax */

START_TEST(line_syntax)
{
	bad("", RTA_EDATA, "bad-json", "expected '{'");
	bad("   ", RTA_EDATA, "bad-json", NULL);
	bad("x", RTA_EDATA, "bad-json", "expected '{'");
	bad("[1]", RTA_EDATA, "bad-json", "record is not a JSON object");
	bad("\"e\"", RTA_EDATA, "bad-json", "record is not a JSON object");
	bad("12", RTA_EDATA, "bad-json", "record is not a JSON object");
	bad("null", RTA_EDATA, "bad-json", "record is not a JSON object");
	bad("\xef\xbb\xbf{}", RTA_EDATA, "bad-json", NULL);
	bad(EV("") " {}", RTA_EDATA, "bad-json",
	    "unexpected text after the JSON value");
	bad(EV(","), RTA_EDATA, "bad-json", NULL);
	bad("{" HEAD "," TS, RTA_EDATA, "bad-json", NULL);
	bad("{" HEAD " " TS "}", RTA_EDATA, "bad-json", NULL);
	bad("{\"event_id\" \"e\"}", RTA_EDATA, "bad-json",
	    "expected ':' after key");
	bad("{event_id:1}", RTA_EDATA, "bad-json", "expected a string key");
	bad(EV(",\"payload\":{\"a\":[1,]}"), RTA_EDATA, "bad-json", NULL);
	bad(EV(",\"x\":\"\\x\""), RTA_EDATA, "bad-json", NULL);
	bad(EV(",\"x\":\"\xc0\xaf\""), RTA_EDATA, "bad-utf8", NULL);
	bad(EV(",\"payload\":{\"\xed\xa0\x80\":1}"), RTA_EDATA, "bad-utf8",
	    NULL);
	/* whitespace of every kind around tokens, CR at the end */
	ok(" \t{ \"event_id\" :\"e1\" ,\r\n\"event_type\":\"t\",\"tenant_id\""
	    ":\"acme\"\t,\"timestamp\":\"2026-01-01T00:00:00Z\" }\r",
	    CANON(",\"schema_version\":1,\"payload\":{}"));
	/* a NUL byte after the object is not whitespace */
	ck_assert_int_eq(parse_n(EV("") "\0", strlen(EV("")) + 1), RTA_EDATA);
	ck_assert_int_eq(parse_n(EV(",\"x\":1\0"), strlen(EV(",\"x\":1")) + 2),
	    RTA_EDATA);
	/* a NULL error struct is allowed */
	ck_assert_int_eq(rta_ndjson_parse(&np, "{", 1, &rec, NULL),
	    RTA_EDATA);
}
END_TEST

START_TEST(canonical_values)
{
	/* numbers keep their text, strings are re-escaped minimally */
	ok(EV(",\"payload\":{ \"n\" : [ 175.55 , 1E+2 , -0 , 0.10 , "
	    "1e-400 , 9223372036854775807 ] , \"s\" : \"\\/\\u00e9\\ud83d"
	    "\\ude00\\u007f\\u0001\" }"),
	    CANON(",\"schema_version\":1,\"payload\":{\"n\":[175.55,1E+2,-0,"
	    "0.10,1e-400,9223372036854775807],\"s\":\"/\xc3\xa9\xf0\x9f\x98"
	    "\x80\x7f\\u0001\"}"));
	/* the output is appended, one line per record */
	ck_assert_int_eq(parse(EV("")), RTA_OK);
	rta_buf_reset(&out);
	ck_assert_int_eq(rta_ndjson_put(&out, &rec), 0);
	ck_assert_int_eq(rta_ndjson_put(&out, &rec), 0);
	ck_assert_uint_eq(out.len, 2 * strlen(CANON(",\"schema_version\":1,"
	    "\"payload\":{}")));
	ck_assert(memchr(out.data, '\n', out.len) == out.data + out.len / 2 -
	    1);
}
END_TEST

/* Envelopes made by hand go through rta_event_check. */
START_TEST(event_check)
{
	struct rta_event ev;
	char id[256];

	memset(&ev, 0, sizeof(ev));
	ev.id = "e";
	ev.id_len = 1;
	ev.type = "t";
	ev.type_len = 1;
	ev.tenant = "a";
	ev.tenant_len = 1;
	ev.payload = rta_empty_object;
	ev.payload_len = sizeof(rta_empty_object);
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_OK);
	ev.ts = RTA_TIME_MIN;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_OK);
	ev.ts = RTA_TIME_MAX;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_OK);
	ev.ts = RTA_TIME_MAX + 1;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-timestamp");
	ev.ts = RTA_TIME_MIN - 1;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ev.ts = INT64_MIN;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ev.ts = 0;
	memset(id, 'i', sizeof(id));
	ev.id = id;
	ev.id_len = 255;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_OK);
	ev.id_len = 0;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "event_id is empty");
	ev.id_len = 1;
	ev.type_len = 0;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "event_type is empty");
	ev.type_len = 1;
	ev.tenant = "\xc3";
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-utf8");
	ck_assert_str_eq(err.text, "tenant_id is not valid UTF-8");
	ev.tenant = "\xed\xa0\x80";
	ev.tenant_len = 3;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_EDATA);
	ev.tenant = "\xc3\xa9\xe2\x82\xac";
	ev.tenant_len = 5;
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_OK);
	ck_assert_int_eq(rta_event_check(&ev, NULL), RTA_OK);
}
END_TEST

/*
 * The reader parses lines in place with 16 readable bytes after each
 * (j->padded): whatever those bytes are, the result must be the same as
 * for an exact copy.
 */
START_TEST(padded_input)
{
	static const char *const lines[] = {
		EV(",\"payload\":{\"s\":\"abc\"}"),
		EV(",\"payload\":{\"s\":\"a\\\"b\"}"),
		"{\"event_id\":\"e",
		EV(",\"x\":\"0123456789abcdef0123\""),
		EV(",\"x\":\"\xc3\xa9\""),
		EV(",\"x\":\"\xc3"),
		"{\"$rta\":\"end\"}",
		EV(",\"x\":\"unterminated"),
		EV(",\"x\":\"ends with a backslash\\"),
	};
	static const char tails[][17] = { "\"}\"}\"}\"}\"}\"}\"}\"}",
	    "\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\", "aaaaaaaaaaaaaaaa",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	    "\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9" };
	struct rta_ndjson_parser pp;
	struct rta_record prec;
	struct rta_error perr;
	struct rta_buf pout = RTA_BUF_INIT;
	size_t k, t, cut;

	rta_ndjson_parser_init(&pp);
	pp.json.padded = 1;
	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
		for (cut = 0; cut <= strlen(lines[k]); cut++)
			for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
				char *buf = malloc(cut + 16);
				int want, got;
				const char *wtext;

				memcpy(buf, lines[k], cut);
				memcpy(buf + cut, tails[t], 16);
				want = parse_n(lines[k], cut);
				wtext = want == RTA_OK ? put() : "";
				got = rta_ndjson_parse(&pp, buf, cut, &prec,
				    &perr);
				ck_assert_msg(got == want, "'%.*s' + tail %zu: "
				    "rc %d, unpadded %d", (int)cut, lines[k],
				    t, got, want);
				if (got == RTA_OK) {
					rta_buf_reset(&pout);
					rta_ndjson_put(&pout, &prec);
					rta_buf_addc(&pout, '\0');
					ck_assert_str_eq((char *)pout.data,
					    wtext);
				}
				free(buf);
			}
	rta_buf_release(&pout);
	rta_ndjson_parser_release(&pp);
}
END_TEST

/* ----------------------------------------------------------- identity */

/* The canonical form of an event time, through gmtime_r(3). */
static void
iso(int64_t us, char *buf, size_t bufsz)
{
	time_t secs = (time_t)(us >= 0 ? us / 1000000 : -((-us + 999999) /
	    1000000));
	long frac = (long)(us - (int64_t)secs * 1000000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, bufsz, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
}

/* A JSON string of 1 to 40 characters, some of them escaped. */
static void
gen_string(struct rng *r, struct rta_buf *b, unsigned maxlen)
{
	static const char *const part[] = { "a", "Z", "0", "-", "_", " ",
	    "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\xc3\xa9",
	    "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\ud83d\\ude00", "\\u0001",
	    "\x7f", "'", ".", "$" };
	unsigned n = 1 + rng_below(r, maxlen), i;

	rta_buf_addc(b, '"');
	for (i = 0; i < n; i++)
		rta_buf_adds(b, part[rng_below(r, sizeof(part) /
		    sizeof(part[0]))]);
	rta_buf_addc(b, '"');
}

static void gen_value(struct rng *, struct rta_buf *, unsigned);

static void
gen_object(struct rng *r, struct rta_buf *b, unsigned depth)
{
	unsigned n = rng_below(r, 5), i;

	rta_buf_adds(b, "{ ");
	for (i = 0; i < n; i++) {
		rta_buf_printf(b, "%s\"k%u\" : ", i > 0 ? ", " : "", i);
		gen_value(r, b, depth + 1);
	}
	rta_buf_adds(b, "}");
}

static void
gen_value(struct rng *r, struct rta_buf *b, unsigned depth)
{
	static const char *const num[] = { "0", "-0", "1", "-17", "3.25",
	    "1e3", "-2.5E-3", "175.55", "9223372036854775807", "0.10",
	    "1e-400", "6.02214076e23" };
	unsigned n, i;

	switch (rng_below(r, depth < 3 ? 8 : 6)) {
	case 0:
		rta_buf_adds(b, rng_below(r, 3) == 0 ? "null" :
		    rng_below(r, 2) ? "true" : "false");
		break;
	case 1:
	case 2:
		rta_buf_adds(b, num[rng_below(r, sizeof(num) /
		    sizeof(num[0]))]);
		break;
	case 3:
		rta_buf_printf(b, "%" PRId64, (int64_t)rng_next(r));
		break;
	case 4:
	case 5:
		gen_string(r, b, 12);
		break;
	case 6:
		n = rng_below(r, 5);
		rta_buf_addc(b, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				rta_buf_addc(b, ',');
			gen_value(r, b, depth + 1);
		}
		rta_buf_addc(b, ']');
		break;
	default:
		gen_object(r, b, depth);
		break;
	}
}

/* A timestamp in one of the forms the parser takes, for us. */
static void
gen_timestamp(struct rng *r, struct rta_buf *b, int64_t us)
{
	char t[64];
	int off;

	switch (rng_below(r, 5)) {
	case 0:		/* epoch seconds, when exact and in the s range */
		if (us % 1000000 == 0 && us / 1000000 > -99999999999LL &&
		    us / 1000000 < 99999999999LL) {
			rta_buf_printf(b, "%" PRId64, us / 1000000);
			return;
		}
		break;
	case 1:		/* epoch microseconds */
		if (us >= 100000000000000LL) {
			rta_buf_printf(b, "%" PRId64, us);
			return;
		}
		break;
	case 2:		/* an offset, hours and minutes */
		off = ((int)rng_below(r, 47) - 23) * 60 + (int)rng_below(r, 60);
		if (us + (int64_t)off * 60000000 > RTA_TIME_MIN + 86400000000LL
		    && us + (int64_t)off * 60000000 < RTA_TIME_MAX -
		    86400000000LL) {
			iso(us + (int64_t)off * 60000000, t, sizeof(t));
			t[26] = '\0';
			rta_buf_printf(b, "\"%s%c%02d:%02d\"", t, off < 0 ?
			    '-' : '+', abs(off) / 60, abs(off) % 60);
			return;
		}
		break;
	case 3:		/* extra fraction digits, dropped */
		iso(us, t, sizeof(t));
		t[26] = '\0';
		rta_buf_printf(b, "\"%s%uZ\"", t, rng_below(r, 1000));
		return;
	default:
		break;
	}
	iso(us, t, sizeof(t));
	rta_buf_printf(b, "\"%s\"", t);
}

/* An event as NDJSON text, fields shuffled; what is expected of it. */
struct gen_event {
	struct rta_buf	 line;
	int64_t		 ts;
	unsigned	 version;	/* 1 when absent */
	int		 has_payload;	/* 0 absent, 1 null, 2 object */
	unsigned	 nextra;
};

static void
gen_event(struct rng *r, struct gen_event *g)
{
	struct rta_buf f[12];
	unsigned nf = 0, i, order[12];

	for (i = 0; i < 12; i++)
		rta_buf_init(&f[i]);
	/* years 1970 to 9999: gmtime_r is the oracle */
	g->ts = (int64_t)(rng_next(r) % 253402300799999999ULL);
	if (rng_below(r, 3) == 0)
		g->ts -= g->ts % 1000000;
	rta_buf_adds(&f[nf], "\"event_id\":");
	gen_string(r, &f[nf++], 20);
	rta_buf_adds(&f[nf], "\"timestamp\":");
	gen_timestamp(r, &f[nf++], g->ts);
	rta_buf_adds(&f[nf], "\"event_type\":");
	gen_string(r, &f[nf++], 8);
	rta_buf_adds(&f[nf], "\"tenant_id\":");
	gen_string(r, &f[nf++], 8);
	g->version = 1;
	if (rng_below(r, 2)) {
		g->version = (unsigned)rng_next(r);
		rta_buf_printf(&f[nf++], "\"schema_version\":%u", g->version);
	}
	g->has_payload = (int)rng_below(r, 3);
	if (g->has_payload == 1)
		rta_buf_adds(&f[nf++], "\"payload\":null");
	else if (g->has_payload == 2) {
		rta_buf_adds(&f[nf], "\"payload\":");
		gen_object(r, &f[nf++], 0);
	}
	g->nextra = rng_below(r, 4);
	for (i = 0; i < g->nextra; i++) {
		rta_buf_printf(&f[nf], "\"x%u\":", i);
		gen_value(r, &f[nf++], 0);
	}
	for (i = 0; i < nf; i++)
		order[i] = i;
	for (i = nf; i > 1; i--) {
		unsigned k = rng_below(r, i), t = order[i - 1];

		order[i - 1] = order[k];
		order[k] = t;
	}
	rta_buf_reset(&g->line);
	rta_buf_addc(&g->line, '{');
	for (i = 0; i < nf; i++) {
		if (i > 0)
			rta_buf_adds(&g->line, rng_below(r, 4) ? "," : " ,\t");
		rta_buf_add(&g->line, f[order[i]].data, f[order[i]].len);
	}
	rta_buf_addc(&g->line, '}');
	for (i = 0; i < 12; i++)
		rta_buf_release(&f[i]);
}

/*
 * The canonical line against jansson's reading of the input: key order,
 * the same ids and values (numbers keep their text, so jansson's numbers
 * are equal exactly), the timestamp as gmtime_r formats it.
 */
static void
compare_with_input(const struct gen_event *g, const char *canon)
{
	static const char *const order[] = { "event_id", "timestamp",
	    "event_type", "tenant_id", "schema_version", "payload" };
	json_error_t jerr;
	json_t *in, *c;
	const char *k;
	json_t *v;
	size_t i = 0;
	char ts[40];

	in = json_loadb((const char *)g->line.data, g->line.len, 0, &jerr);
	ck_assert_msg(in != NULL, "jansson: %s", jerr.text);
	c = json_loads(canon, 0, &jerr);
	ck_assert_msg(c != NULL, "jansson on '%s': %s", canon, jerr.text);
	json_object_foreach(c, k, v) {
		if (i < 6)
			ck_assert_str_eq(k, order[i]);
		else
			ck_assert_msg(json_equal(v, json_object_get(in, k)),
			    "extra %s differs", k);
		i++;
	}
	ck_assert_uint_eq(i, 6 + g->nextra);
	ck_assert(json_equal(json_object_get(c, "event_id"),
	    json_object_get(in, "event_id")));
	ck_assert(json_equal(json_object_get(c, "event_type"),
	    json_object_get(in, "event_type")));
	ck_assert(json_equal(json_object_get(c, "tenant_id"),
	    json_object_get(in, "tenant_id")));
	ck_assert_int_eq(json_integer_value(json_object_get(c,
	    "schema_version")), g->version);
	if (g->has_payload == 2)
		ck_assert(json_equal(json_object_get(c, "payload"),
		    json_object_get(in, "payload")));
	else
		ck_assert_uint_eq(json_object_size(json_object_get(c,
		    "payload")), 0);
	iso(g->ts, ts, sizeof(ts));
	ck_assert_str_eq(json_string_value(json_object_get(c, "timestamp")),
	    ts);
	json_decref(in);
	json_decref(c);
}

START_TEST(identity_generated)
{
	struct rng r = { 1126 };
	struct gen_event g;
	struct rta_buf x = RTA_BUF_INIT;
	unsigned long n;

	rta_buf_init(&g.line);
	for (n = 0; n < 20000; n++) {
		gen_event(&r, &g);
		ck_assert_msg(parse_n((char *)g.line.data, g.line.len) ==
		    RTA_OK, "'%.*s': %s", (int)g.line.len, g.line.data,
		    err.text);
		ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
		ck_assert_int_eq(rec.ev.ts, g.ts);
		ck_assert_uint_eq(rec.ev.schema_version, g.version);
		rta_buf_reset(&x);
		rta_buf_adds(&x, put());
		rta_buf_addc(&x, '\0');
		compare_with_input(&g, (char *)x.data);
		/* parse(put(x)) puts the same bytes */
		ck_assert_int_eq(parse_n((char *)x.data, x.len - 2), RTA_OK);
		ck_assert_str_eq(put(), (char *)x.data);
	}
	rta_buf_release(&x);
	rta_buf_release(&g.line);
}
END_TEST

START_TEST(identity_control)
{
	struct rng r = { 77 };
	struct rta_buf line = RTA_BUF_INIT, x = RTA_BUF_INIT;
	unsigned long n;
	char ts[40];

	for (n = 0; n < 5000; n++) {
		int64_t us = (int64_t)(rng_next(&r) % 253402300799999999ULL);

		rta_buf_reset(&line);
		if (n % 2) {
			iso(us, ts, sizeof(ts));
			if (rng_below(&r, 2))
				rta_buf_printf(&line, "{\"$rta\":\"watermark\","
				    "\"watermark\":%" PRId64 "}", us);
			else
				rta_buf_printf(&line, "{\"watermark\":\"%s\","
				    "\"$rta\":\"watermark\"}", ts);
		} else {
			rta_buf_adds(&line, "{\"$rta\":\"position\",\"topic\":");
			gen_string(&r, &line, 30);
			rta_buf_printf(&line, ",\"offset\":%" PRId64 ","
			    "\"partition\":%u}", us, rng_below(&r,
			    2147483647U));
		}
		ck_assert_msg(parse_n((char *)line.data, line.len) == RTA_OK,
		    "'%.*s': %s", (int)line.len, line.data, err.text);
		rta_buf_reset(&x);
		rta_buf_adds(&x, put());
		rta_buf_addc(&x, '\0');
		if (n % 2) {
			char want[128];

			snprintf(want, sizeof(want), "{\"$rta\":\"watermark\","
			    "\"watermark\":\"%s\"}\n", ts);
			ck_assert_str_eq((char *)x.data, want);
		}
		ck_assert_int_eq(parse_n((char *)x.data, x.len - 2), RTA_OK);
		ck_assert_str_eq(put(), (char *)x.data);
	}
	rta_buf_release(&line);
	rta_buf_release(&x);
}
END_TEST

/* rta-gen's NDJSON is canonical already; its malformed lines fail. */
START_TEST(identity_rta_gen)
{
	struct rta_gen_opts o;
	struct rta_gen *g;
	struct rta_buf line = RTA_BUF_INIT;
	unsigned long n, good = 0, badn = 0;
	int64_t ts;

	rta_gen_opts_init(&o);
	o.malformed = 0.05;
	o.duplicates = 0.05;
	o.disorder = 5000000;
	o.watermark_every = 10000000;
	ck_assert_ptr_nonnull(g = rta_gen_new(&o));
	for (n = 0; n < 20000; n++) {
		rta_buf_reset(&line);
		ck_assert_int_eq(rta_gen_next(g, RTA_FMT_NDJSON, &line, &ts),
		    0);
		ck_assert(line.len > 0 && line.data[line.len - 1] == '\n');
		if (parse_n((char *)line.data, line.len - 1) != RTA_OK) {
			badn++;
			continue;
		}
		good++;
		rta_buf_addc(&line, '\0');
		ck_assert_str_eq(put(), (char *)line.data);
	}
	ck_assert_uint_eq(badn, rta_gen_stats(g)->malformed);
	ck_assert_uint_eq(good + badn, rta_gen_stats(g)->records);
	ck_assert_uint_gt(rta_gen_stats(g)->watermarks, 10);
	rta_gen_free(g);
	rta_gen_opts_release(&o);
	rta_buf_release(&line);
}
END_TEST

/*
 * rta's own output takes a fast path (the canonical envelope matched
 * literally).  Mutate canonical lines byte by byte: whatever the parser
 * accepts must be JSON that jansson accepts, with the same ids.
 */
static void
mutations_of(const char *line, unsigned long *accepted)
{
	static const unsigned char subst[] = { 'x', '"', '\\', ' ', '{', '}',
	    ',', ':', '0', 0x01, 0x80, 0xff };
	size_t len = strlen(line), at, k;
	char *m = malloc(len + 1);

	for (at = 0; at < len; at++)
		for (k = 0; k < sizeof(subst); k++) {
			json_error_t jerr;
			json_t *jv;
			const char *id;

			if ((unsigned char)line[at] == subst[k])
				continue;
			memcpy(m, line, len + 1);
			m[at] = (char)subst[k];
			if (parse_n(m, len) != RTA_OK ||
			    rec.kind != RTA_REC_EVENT)
				continue;
			(*accepted)++;
			jv = json_loadb(m, len, JSON_REJECT_DUPLICATES, &jerr);
			ck_assert_msg(jv != NULL, "'%s' accepted, but it is not "
			    "JSON: %s", m, jerr.text);
			id = json_string_value(json_object_get(jv,
			    "event_id"));
			ck_assert_msg(id != NULL && strlen(id) == rec.ev.id_len &&
			    memcmp(id, rec.ev.id, rec.ev.id_len) == 0,
			    "'%s': event_id read as '%.*s'", m,
			    (int)rec.ev.id_len, rec.ev.id);
			id = json_string_value(json_object_get(jv,
			    "event_type"));
			ck_assert_msg(id != NULL &&
			    strlen(id) == rec.ev.type_len &&
			    memcmp(id, rec.ev.type, rec.ev.type_len) == 0,
			    "'%s': event_type read as '%.*s'", m,
			    (int)rec.ev.type_len, rec.ev.type);
			id = json_string_value(json_object_get(jv,
			    "tenant_id"));
			ck_assert_msg(id != NULL &&
			    strlen(id) == rec.ev.tenant_len &&
			    memcmp(id, rec.ev.tenant, rec.ev.tenant_len) == 0,
			    "'%s': tenant_id read as '%.*s'", m,
			    (int)rec.ev.tenant_len, rec.ev.tenant);
			json_decref(jv);
		}
	free(m);
}

START_TEST(canonical_mutations)
{
	static const char *const lines[] = {
		"{\"event_id\":\"e1\",\"timestamp\":"
		    "\"2026-11-26T10:00:00.123456Z\",\"event_type\":"
		    "\"page_view\",\"tenant_id\":\"acme\","
		    "\"schema_version\":1,\"payload\":{\"n\":1}}",
		"{\"event_id\":\"019b76da-a800-7dd7-ab49-ed3db4c66435\","
		    "\"timestamp\":\"2026-01-01T00:00:00.000000Z\","
		    "\"event_type\":\"purchase\",\"tenant_id\":\"t0005\","
		    "\"schema_version\":42,\"payload\":{\"value\":7.10,"
		    "\"items\":[1,2],\"ok\":true,\"s\":\"x\"}}",
	};
	unsigned long accepted = 0;
	size_t k;

	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		/* both lines take the fast path: longer than 100 bytes */
		ck_assert_uint_gt(strlen(lines[k]), 100);
		ck_assert_int_eq(parse(lines[k]), RTA_OK);
		mutations_of(lines[k], &accepted);
	}
	/* some mutations stay valid (digits, id letters) */
	ck_assert_uint_gt(accepted, 50);
}
END_TEST

/* --------------------------------------------------------------- main */

/* ------------------------------------------------------------- tenants */

/*
 * rta_tenant_valid on a heap copy of exactly len bytes, so that ASan sees
 * a read past them.
 */
static int
tenant_ok(const void *s, size_t len)
{
	char *copy = malloc(len > 0 ? len : 1);
	int v;

	ck_assert_ptr_nonnull(copy);
	if (len > 0)
		memcpy(copy, s, len);
	v = rta_tenant_valid(copy, len);
	ck_assert(v == 0 || v == 1);
	free(copy);
	return v;
}

#define TENANT(s)	tenant_ok(s, sizeof(s) - 1)

/* The charset, written out: letters, digits, '_', '-' and '.'. */
static int
tenant_byte(int c)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_-.";

	return c != 0 && strchr(set, c) != NULL;
}

START_TEST(tenant_names)
{
	static const char *const good[] = { "a", "Z", "0", "_", "acme",
	    "Acme_Corp", "eu-west-1", "t.1", "a..b", "a.", "a-", "_.", "_-",
	    "0-", "9.9", "x_y-z.w" };
	static const char *const bad[] = { ".", "..", "...", ".hidden",
	    "-x", "-", ".a", "a/b", "/a", "a\\b", "a b", " a", "a\t",
	    "a\n", "a:b", "a,b", "a%2F", "a=b", "a\"b", "caf\xc3\xa9",
	    "\xc3\xa9", "a\x7f", "a\x80", "\xff", "a*", "a?", "{a}" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(tenant_ok(good[i], strlen(good[i])) == 1,
		    "'%s' refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tenant_ok(bad[i], strlen(bad[i])) == 0,
		    "'%s' accepted", bad[i]);
	/* empty, and a NUL anywhere */
	ck_assert_int_eq(rta_tenant_valid(NULL, 0), 0);
	ck_assert_int_eq(tenant_ok("", 0), 0);
	ck_assert_int_eq(TENANT("\0"), 0);
	ck_assert_int_eq(TENANT("a\0b"), 0);
	ck_assert_int_eq(TENANT("ab\0"), 0);
	ck_assert_int_eq(TENANT("\0ab"), 0);
	/* only the len bytes count */
	ck_assert_int_eq(rta_tenant_valid("ab/c", 2), 1);
	ck_assert_int_eq(rta_tenant_valid("ab/c", 3), 0);
	ck_assert_int_eq(rta_tenant_valid("acme\0junk", 4), 1);
}
END_TEST

/* 1 to RTA_TENANT_MAX (64) bytes. */
START_TEST(tenant_length)
{
	char s[RTA_TENANT_MAX + 2];
	size_t n;

	ck_assert_int_eq(RTA_TENANT_MAX, 64);
	memset(s, 'a', sizeof(s));
	for (n = 0; n <= sizeof(s); n++)
		ck_assert_msg(tenant_ok(s, n) == (n >= 1 && n <= 64),
		    "length %zu", n);
	/* the last byte is checked as well as the first */
	s[63] = '/';
	ck_assert_int_eq(tenant_ok(s, 64), 0);
	s[63] = '.';
	ck_assert_int_eq(tenant_ok(s, 64), 1);
	s[0] = '.';
	ck_assert_int_eq(tenant_ok(s, 64), 0);
}
END_TEST

/* Every byte, first and later, against the charset written out. */
START_TEST(tenant_every_byte)
{
	unsigned char s[3];
	int c;

	for (c = 0; c < 256; c++) {
		s[0] = (unsigned char)c;
		ck_assert_msg(tenant_ok(s, 1) == (tenant_byte(c) && c != '.' &&
		    c != '-'), "first byte 0x%02x", c);
		s[0] = 'x';
		s[1] = (unsigned char)c;
		s[2] = 'y';
		ck_assert_msg(tenant_ok(s, 3) == tenant_byte(c),
		    "middle byte 0x%02x", c);
		ck_assert_msg(tenant_ok(s, 2) == tenant_byte(c),
		    "last byte 0x%02x", c);
	}
}
END_TEST

/* ------------------------------------------------------ plain values */

/* The value of the JSON text s, as a record, put as NDJSON. */
static const char *
put_value(const char *s, size_t len, struct rta_buf *v)
{
	struct rta_json j;

	rta_json_init(&j);
	rta_buf_reset(v);
	rta_error_clear(&err);
	ck_assert_msg(rta_json_document(&j, s, len, v, &err) == RTA_OK,
	    "'%.*s': %s", (int)len, s, err.text);
	rta_json_release(&j);
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_VALUE;
	rec.value = v->data;
	rec.value_len = v->len;
	return put();
}

/* A value is one line of compact JSON, numbers as written. */
START_TEST(value_put)
{
	static const struct { const char *in, *want; } t[] = {
		{ "0", "0\n" },
		{ " -0 ", "-0\n" },
		{ "1E+2", "1E+2\n" },
		{ "175.55", "175.55\n" },
		{ "-9223372036854775808", "-9223372036854775808\n" },
		{ "true", "true\n" },
		{ "\tnull\r", "null\n" },
		{ "\"\"", "\"\"\n" },
		{ "\"a\\u0041\\/\\t\\n\\\"\\\\\\u001f\"",
		    "\"aA/\\t\\n\\\"\\\\\\u001f\"\n" },
		{ "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"\n" },
		{ "[ ]", "[]\n" },
		{ "{ }", "{}\n" },
		{ "[ 1 , [ 2 , [ ] ] , { \"a\" : { } } ]",
		    "[1,[2,[]],{\"a\":{}}]\n" },
		{ "{ \"z\" : 1 , \"a\" : 2 , \"m\" : [ null ] }",
		    "{\"z\":1,\"a\":2,\"m\":[null]}\n" },
		{ "{\"event_id\":\"e\",\"timestamp\":1}",
		    "{\"event_id\":\"e\",\"timestamp\":1}\n" },
	};
	struct rta_buf v = RTA_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(put_value(t[i].in, strlen(t[i].in), &v),
		    t[i].want);
	/* appended to what is there */
	rta_buf_reset(&out);
	rta_buf_adds(&out, "x\n");
	ck_assert_int_eq(rta_ndjson_put(&out, &rec), 0);
	ck_assert_uint_eq(out.len, 2 + strlen(t[i - 1].want));
	ck_assert_int_eq(memcmp(out.data + 2, t[i - 1].want, out.len - 2), 0);
	rta_buf_release(&v);
}
END_TEST

/* For generated values, put is a fixed point: put(parse(put(x))). */
START_TEST(value_put_fixed_point)
{
	struct rng r = { 4242 };
	struct rta_buf text = RTA_BUF_INIT, v = RTA_BUF_INIT;
	struct rta_buf once = RTA_BUF_INIT;
	unsigned long n;

	for (n = 0; n < 2000; n++) {
		rta_buf_reset(&text);
		gen_value(&r, &text, 0);
		rta_buf_reset(&once);
		rta_buf_adds(&once, put_value((const char *)text.data,
		    text.len, &v));
		ck_assert_uint_gt(once.len, 0);
		ck_assert_ptr_eq(memchr(once.data, '\n', once.len),
		    once.data + once.len - 1);
		rta_buf_addc(&once, '\0');
		ck_assert_str_eq(put_value((const char *)once.data,
		    once.len - 2, &v), (const char *)once.data);
	}
	rta_buf_release(&text);
	rta_buf_release(&v);
	rta_buf_release(&once);
}
END_TEST

static Suite *
event_suite(void)
{
	Suite *s = suite_create("rta_event");
	TCase *tc;

	tc = tcase_create("envelope");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, required_fields);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, bad_fields);
	tcase_add_test(tc, id_limits);
	tcase_add_test(tc, id_escapes);
	tcase_add_test(tc, duplicate_keys);
	tcase_add_test(tc, extra_keys);
	tcase_add_test(tc, extra_limit);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, line_syntax);
	tcase_add_test(tc, canonical_values);
	tcase_add_test(tc, canonical_mutations);
	tcase_add_test(tc, event_check);
	tcase_add_test(tc, padded_input);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("timestamps");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, timestamps_rfc3339);
	tcase_add_test(tc, timestamps_epoch);
	suite_add_tcase(s, tc);

	tc = tcase_create("control");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, control_records);
	tcase_add_test(tc, control_malformed);
	tcase_add_test(tc, aggregate_records);
	tcase_add_test(tc, aggregate_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("tenant");
	tcase_add_test(tc, tenant_names);
	tcase_add_test(tc, tenant_length);
	tcase_add_test(tc, tenant_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("value");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, value_put);
	tcase_add_test(tc, value_put_fixed_point);
	suite_add_tcase(s, tc);

	tc = tcase_create("identity");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, identity_generated);
	tcase_add_test(tc, identity_control);
	tcase_add_test(tc, identity_rta_gen);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(event_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
