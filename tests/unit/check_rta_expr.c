/*
 * check_rta_expr.c: --where expressions.  Every operator on every kind
 * of field (envelope strings, timestamp, schema_version, payload
 * integers, doubles, numbers, strings, booleans, null, objects, missing),
 * precedence, in lists, regexes and prefixes, keywords in any case,
 * escapes, aggregate records, the exact text of each kind of syntax
 * error, the limits, and every allocation failure while compiling.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_event.h"
#include "rta_expr.h"
#include "rta_value.h"
#include "unit.h"

static struct rta_ndjson_parser np;

static void
setup(void)
{
	rta_ndjson_parser_init(&np);
}

static void
teardown(void)
{
	rta_ndjson_parser_release(&np);
}

#define PAYLOAD "{\"i\":5,\"neg\":-3,\"n\":2.5,\"big\":9007199254740993," \
	"\"tenth\":0.10000000000000001,\"s\":\"h\\u00e9llo\",\"e\":\"\"," \
	"\"t\":true,\"f\":false,\"z\":null,\"o\":{\"a\":1,\"b\":{\"c\":\"x\"}}," \
	"\"arr\":[1,2],\"a.b\":1,\"c\\\\d\":2,\"e,f\":3,\"q\":\"it's \\\"q\\\"\"," \
	"\"nl\":\"a\\nb\\tc\",\"emoji\":\"\\ud83d\\ude00\"," \
	"\"milli\":0.0010000000000000000001,\"tiny\":1e-400," \
	"\"ntiny\":-1e-400,\"bigf\":9007199254740993.0}"

/* Parse one NDJSON record; the event it holds. */
static struct rta_event
record(const char *line)
{
	struct rta_record rec;
	struct rta_error err;

	ck_assert_msg(rta_ndjson_parse(&np, line, strlen(line), &rec, &err) ==
	    RTA_OK, "%s: %s", line, err.text);
	ck_assert(rec.kind == RTA_REC_EVENT || rec.kind == RTA_REC_AGGREGATE);
	return rec.ev;
}

static struct rta_event
event_with(const char *payload)
{
	static char line[4096];
	int n;

	n = snprintf(line, sizeof(line), "{\"event_id\":\"e1\","
	    "\"timestamp\":\"2026-11-26T10:00:00.5Z\",\"event_type\":\"pv\","
	    "\"tenant_id\":\"acme\",\"schema_version\":3,\"payload\":%s}",
	    payload);
	ck_assert_int_lt(n, (int)sizeof(line));
	return record(line);
}

/* Does expr hold for ev?  It must compile. */
static int
holds(const char *expr, const struct rta_event *ev)
{
	struct rta_expr *e;
	struct rta_error err;
	int m;

	ck_assert_msg(rta_expr_parse(expr, &e, &err) == RTA_OK, "%s: %s",
	    expr, err.text);
	m = rta_expr_match(e, ev);
	ck_assert(m == 0 || m == 1);
	/* a second time, with whatever the first left in the regexes */
	ck_assert_int_eq(rta_expr_match(e, ev), m);
	rta_expr_free(e);
	return m;
}

/* Each expression, on the standard event, must give want. */
struct want {
	const char	*expr;
	int		 want;
};

static void
check_table(const struct want *t, size_t n, const struct rta_event *ev)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(holds(t[i].expr, ev) == t[i].want, "%s: not %d",
		    t[i].expr, t[i].want);
}

#define CHECK_TABLE(t, ev) check_table(t, sizeof(t) / sizeof(t[0]), ev)

/* ---------------------------------------------------------------- tests */

START_TEST(envelope_strings)
{
	static const struct want t[] = {
		{ "event_type = 'pv'", 1 }, { "event_type == \"pv\"", 1 },
		{ "event_type = 'PV'", 0 }, { "event_type = 'p'", 0 },
		{ "event_type != 'pv'", 0 }, { "event_type <> 'x'", 1 },
		{ "event_type < 'pw'", 1 }, { "event_type < 'pv'", 0 },
		{ "event_type <= 'pv'", 1 }, { "event_type > 'p'", 1 },
		{ "event_type > 'pva'", 0 }, { "event_type >= 'pv'", 1 },
		{ "event_id = 'e1'", 1 }, { "tenant_id = 'acme'", 1 },
		{ "tenant_id ^= 'ac'", 1 }, { "tenant_id ^= 'acme'", 1 },
		{ "tenant_id ^= 'acmex'", 0 }, { "tenant_id ^= ''", 1 },
		{ "tenant_id ~ 'cm'", 1 }, { "tenant_id ~ '^cm'", 0 },
		{ "tenant_id ~ '^a.+e$'", 1 },
		{ "event_type = 1", 0 }, { "event_type = null", 0 },
		{ "event_type != null", 1 }, { "event_type = true", 0 },
		{ "event_type < 1", 0 }, { "event_type exists", 1 },
		{ "event_type in ('a', 'pv')", 1 },
		{ "event_type in ('a', 'b')", 0 },
		{ "event_type not in ('a', 'pv')", 0 },
		{ "event_type not in ('a')", 1 },
	};
	struct rta_event ev = event_with("{}");

	CHECK_TABLE(t, &ev);
}
END_TEST

START_TEST(timestamps)
{
	static const struct want t[] = {
		{ "timestamp = '2026-11-26T10:00:00.5Z'", 1 },
		{ "timestamp = '2026-11-26T11:00:00.500+01:00'", 1 },
		{ "timestamp = '2026-11-26T10:00:00Z'", 0 },
		{ "timestamp != '2026-11-26T10:00:00Z'", 1 },
		{ "timestamp > '2026-11-26T10:00:00Z'", 1 },
		{ "timestamp >= '2026-11-26T10:00:00.500000Z'", 1 },
		{ "timestamp < '2026-11-26T10:00:00.500001Z'", 1 },
		{ "timestamp <= '2026-11-26T10:00:00.499999Z'", 0 },
		{ "timestamp in ('2026-01-01T00:00:00Z', "
		    "'2026-11-26 10:00:00.5z')", 1 },
		/* not a number, not a string */
		{ "timestamp = 1795687200500000", 0 },
		{ "timestamp > 0", 0 },
		{ "timestamp ^= '2026'", 0 },
		{ "timestamp ~ '2026'", 0 },
		{ "timestamp = null", 0 },
		{ "timestamp exists", 1 },
	};
	struct rta_event ev = event_with("{}");

	CHECK_TABLE(t, &ev);
}
END_TEST

START_TEST(schema_versions)
{
	static const struct want t[] = {
		{ "schema_version = 3", 1 }, { "schema_version = 3.0", 1 },
		{ "schema_version = 30e-1", 1 }, { "schema_version = 3.5", 0 },
		{ "schema_version < 4", 1 }, { "schema_version < 3.01", 1 },
		{ "schema_version <= 3", 1 }, { "schema_version > 3", 0 },
		{ "schema_version > 2.99", 1 }, { "schema_version >= -1", 1 },
		{ "schema_version = '3'", 0 }, { "schema_version < '4'", 0 },
		{ "schema_version in (1, 2, 3)", 1 },
		{ "schema_version not in (1, 2)", 1 },
		{ "schema_version ^= '3'", 0 },
	};
	struct rta_event ev = event_with("{}");

	CHECK_TABLE(t, &ev);
}
END_TEST

START_TEST(payload_numbers)
{
	static const struct want t[] = {
		{ "payload.i = 5", 1 }, { "payload.i = 5.0", 1 },
		{ "payload.i = 0.5e1", 1 }, { "payload.i = 5.000001", 0 },
		{ "payload.i != 5", 0 }, { "payload.i < 5.5", 1 },
		{ "payload.i > 4.99", 1 }, { "payload.i >= 5", 1 },
		{ "payload.i <= 4", 0 }, { "payload.i = '5'", 0 },
		{ "payload.i = true", 0 }, { "payload.i ~ '5'", 0 },
		{ "payload.neg = -3", 1 }, { "payload.neg < -2.5", 1 },
		{ "payload.neg > -3", 0 }, { "payload.neg >= -3.0", 1 },
		{ "payload.n = 2.5", 1 }, { "payload.n = 2.50", 1 },
		{ "payload.n = 25e-1", 1 }, { "payload.n = 2", 0 },
		{ "payload.n < 3", 1 }, { "payload.n > 2", 1 },
		{ "payload.n >= 2.5", 1 }, { "payload.n > 2.5", 0 },
		{ "payload.n in (1, 2.5)", 1 }, { "payload.n in (2, 3)", 0 },
		/* beyond 2^53: integers compare as integers */
		{ "payload.big = 9007199254740993", 1 },
		{ "payload.big = 9007199254740992", 0 },
		{ "payload.big > 9007199254740992", 1 },
		{ "payload.big < 9007199254740994", 1 },
		{ "payload.big = 9007199254740993.0", 1 },
		{ "payload.big < 9007199254740993.5", 1 },
		/* equal doubles, different decimals */
		{ "payload.tenth = 0.1", 0 },
		{ "payload.tenth > 0.1", 1 },
		{ "payload.tenth = 0.10000000000000001", 1 },
		{ "payload.tenth = 1.0000000000000001e-1", 1 },
		{ "payload.tenth < 0.100000000000000011", 1 },
		{ "payload.milli = 0.001", 0 }, { "payload.milli > 0.001", 1 },
		{ "payload.milli < 0.0010000000000000000002", 1 },
		{ "payload.milli = 1.0000000000000000001e-3", 1 },
		{ "payload.milli in (0.001, 1.0000000000000000001e-3)", 1 },
		/* below the doubles: 0 as a double, yet not 0 */
		{ "payload.tiny = 0", 0 }, { "payload.tiny > 0", 1 },
		{ "payload.tiny > -0", 1 }, { "payload.tiny > 1e-401", 1 },
		{ "payload.tiny < 1e-399", 1 }, { "payload.tiny = 10e-401", 1 },
		{ "payload.ntiny < 0", 1 }, { "payload.ntiny = -0", 0 },
		{ "payload.ntiny < 1e-400", 1 }, { "payload.ntiny < -1e-401", 1 },
		{ "payload.bigf = 9007199254740993", 1 },
		{ "payload.bigf > 9007199254740992", 1 },
		{ "payload.bigf < 9007199254740994", 1 },
	};
	struct rta_event ev = event_with(PAYLOAD);

	CHECK_TABLE(t, &ev);
}
END_TEST

/* Computed doubles (aggregate results) against integers and decimals. */
START_TEST(payload_doubles)
{
	static const struct want t[] = {
		{ "payload.h = 0.5", 1 }, { "payload.h = 5e-1", 1 },
		{ "payload.h < 1", 1 }, { "payload.h > 0", 1 },
		{ "payload.h = 0", 0 }, { "payload.w = 3", 1 },
		{ "payload.w = 3.0", 1 }, { "payload.w >= 3", 1 },
		{ "payload.w > 3", 0 }, { "payload.w < 4", 1 },
		{ "payload.x = 9007199254740992", 1 },
		{ "payload.x < 9007199254740993", 1 },
		{ "payload.x > 9007199254740991", 1 },
		{ "payload.x = 9007199254740993", 0 },
	};
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_event ev;
	size_t off;

	off = rta_venc_begin(&b, RTA_V_OBJECT);
	ck_assert(off != (size_t)-1);
	ck_assert_int_eq(rta_venc_key(&b, "h", 1), 0);
	ck_assert_int_eq(rta_venc_double(&b, 0.5), 0);
	ck_assert_int_eq(rta_venc_key(&b, "w", 1), 0);
	ck_assert_int_eq(rta_venc_double(&b, 3.0), 0);
	ck_assert_int_eq(rta_venc_key(&b, "x", 1), 0);
	ck_assert_int_eq(rta_venc_double(&b, 9007199254740992.0), 0);
	rta_venc_end(&b, off, 3);
	ev = event_with("{}");
	ev.payload = b.data;
	ev.payload_len = b.len;
	ev.frame = NULL;
	CHECK_TABLE(t, &ev);
	rta_buf_release(&b);
}
END_TEST

START_TEST(payload_strings)
{
	static const struct want t[] = {
		{ "payload.s = 'h\xc3\xa9llo'", 1 },
		{ "payload.s = 'h\\u00e9llo'", 1 },
		{ "payload.s = 'h\\u00E9llo'", 1 },
		{ "payload.s = 'hello'", 0 }, { "payload.s > 'h'", 1 },
		{ "payload.s < 'i'", 1 }, { "payload.s < 'hello'", 0 },
		{ "payload.s ^= 'h\xc3\xa9'", 1 }, { "payload.s ^= 'he'", 0 },
		{ "payload.s ~ 'l+o$'", 1 }, { "payload.s ~ '^h.l'", 1 },
		{ "payload.s ~ '^h...l'", 0 }, { "payload.s = 5", 0 },
		{ "payload.s in ('a', 'h\xc3\xa9llo')", 1 },
		{ "payload.e = ''", 1 }, { "payload.e ^= ''", 1 },
		{ "payload.e ~ '^$'", 1 }, { "payload.e = null", 0 },
		{ "payload.q = 'it\\'s \"q\"'", 1 },
		{ "payload.q = \"it's \\\"q\\\"\"", 1 },
		{ "payload.nl = 'a\\nb\\tc'", 1 },
		{ "payload.emoji = '\\ud83d\\ude00'", 1 },
		{ "payload.emoji = '\xf0\x9f\x98\x80'", 1 },
		{ "payload.emoji ~ '^.$'", 1 },
		{ "payload.nl ~ 'a\\\\nb'", 1 },
		{ "payload.q ~ '\\'s'", 1 },
	};
	struct rta_event ev = event_with(PAYLOAD);

	CHECK_TABLE(t, &ev);
}
END_TEST

START_TEST(payload_others)
{
	static const struct want t[] = {
		{ "payload.t = true", 1 }, { "payload.t = TRUE", 1 },
		{ "payload.t != false", 1 }, { "payload.t = 1", 0 },
		{ "payload.t = 'true'", 0 }, { "payload.t < true", 0 },
		{ "payload.t >= true", 0 }, { "payload.f = false", 1 },
		{ "payload.f in (true, false)", 1 },
		{ "payload.z = null", 1 }, { "payload.z == NULL", 1 },
		{ "payload.z exists", 1 }, { "payload.z != null", 0 },
		{ "payload.z = false", 0 }, { "payload.z = 0", 0 },
		{ "payload.z < 1", 0 }, { "payload.z in (null)", 1 },
		{ "payload.o = null", 0 }, { "payload.o exists", 1 },
		{ "payload.o = 1", 0 }, { "payload.o.a = 1", 1 },
		{ "payload.o.b.c = 'x'", 1 }, { "payload.o.b.c exists", 1 },
		{ "payload.o.b.d = null", 1 }, { "payload.arr = 1", 0 },
		{ "payload.arr = null", 0 }, { "payload.arr exists", 1 },
		{ "payload.arr ~ '1'", 0 }, { "payload exists", 1 },
		{ "payload = null", 0 },
		/* missing: reads as null */
		{ "payload.m = null", 1 }, { "payload.m exists", 0 },
		{ "not payload.m exists", 1 }, { "payload.m != 1", 1 },
		{ "payload.m = 1", 0 }, { "payload.m < 1", 0 },
		{ "payload.m >= 1", 0 }, { "payload.m = ''", 0 },
		{ "payload.m ^= ''", 0 }, { "payload.m ~ ''", 0 },
		{ "payload.m in (1, 'a')", 0 }, { "payload.m in (1, null)", 1 },
		{ "payload.m not in (1, 'a')", 1 },
		/* a path through a non-object is missing too */
		{ "payload.i.x = null", 1 }, { "payload.i.x exists", 0 },
		{ "payload.s.x exists", 0 },
		/* escaped member names */
		{ "payload.a\\.b = 1", 1 }, { "payload.c\\\\d = 2", 1 },
		{ "payload.e\\,f = 3", 1 }, { "payload.a = null", 1 },
	};
	struct rta_event ev = event_with(PAYLOAD);

	CHECK_TABLE(t, &ev);
}
END_TEST

/* in is the or of its equalities, whatever the types and the order. */
START_TEST(in_lists)
{
	static const char *const items[] = {
		"1", "'1'", "null", "5.0", "true", "2.50", "-0", "'pv'",
		"9007199254740993", "0.5e1", "''", "'h\\u00e9llo'", "false",
		"0.10000000000000001", "-3", "3", "'acme'", "1e2", "0.1",
	};
	static const char *const fields[] = {
		"payload.i", "payload.neg", "payload.n", "payload.big",
		"payload.tenth", "payload.s", "payload.e", "payload.t",
		"payload.f", "payload.z", "payload.o", "payload.arr",
		"payload.m", "event_type", "tenant_id", "schema_version",
	};
	const size_t ni = sizeof(items) / sizeof(items[0]);
	struct rta_event ev = event_with(PAYLOAD);
	char in[1024], ors[2048];
	size_t f, a, k, n, m;

	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (a = 0; a < ni; a++) {
			/* items a, a+1, ... wrapping, 1 to all of them */
			for (k = 1; k <= ni; k += 3) {
				n = (size_t)snprintf(in, sizeof(in), "%s in (",
				    fields[f]);
				m = 0;
				ors[0] = '\0';
				while (m < k) {
					const char *it = items[(a + m) % ni];

					n += (size_t)snprintf(in + n,
					    sizeof(in) - n, "%s%s",
					    m > 0 ? ", " : "", it);
					snprintf(ors + strlen(ors), sizeof(ors) -
					    strlen(ors), "%s%s = %s",
					    m > 0 ? " or " : "", fields[f], it);
					m++;
				}
				snprintf(in + n, sizeof(in) - n, ")");
				ck_assert_msg(holds(in, &ev) == holds(ors, &ev),
				    "%s differs from %s", in, ors);
			}
		}
}
END_TEST

/* Long lists: every member found, nothing else. */
START_TEST(in_long_lists)
{
	struct rta_expr *es, *en;
	struct rta_error err;
	struct rta_event ev;
	char *s, *t, payload[64];
	size_t n = 0, m = 0;
	int i;

	s = malloc(16384);
	t = malloc(16384);
	ck_assert(s != NULL && t != NULL);
	n += (size_t)sprintf(s, "payload.k in (");
	m += (size_t)sprintf(t, "payload.x not in (");
	/* in descending order, so that the list is sorted when compiled */
	for (i = 1000; i >= 0; i -= 2) {
		n += (size_t)sprintf(s + n, "%s'k%d'", i < 1000 ? "," : "", i);
		m += (size_t)sprintf(t + m, "%s%d%s", i < 1000 ? "," : "",
		    i, i % 4 ? ".0" : "");
	}
	strcpy(s + n, ")");
	strcpy(t + m, ")");
	ck_assert_msg(rta_expr_parse(s, &es, &err) == RTA_OK, "%s", err.text);
	ck_assert_msg(rta_expr_parse(t, &en, &err) == RTA_OK, "%s", err.text);
	for (i = -3; i <= 1003; i++) {
		snprintf(payload, sizeof(payload), "{\"k\":\"k%d\",\"x\":%d}", i,
		    i);
		ev = event_with(payload);
		ck_assert_int_eq(rta_expr_match(es, &ev),
		    i >= 0 && i <= 1000 && i % 2 == 0);
		ck_assert_int_eq(rta_expr_match(en, &ev),
		    !(i >= 0 && i <= 1000 && i % 2 == 0));
	}
	rta_expr_free(es);
	rta_expr_free(en);
	free(s);
	free(t);
}
END_TEST

START_TEST(precedence)
{
	/* T: true, F: false tests */
#define T "payload.t = true"
#define F "payload.f = true"
	static const struct want t[] = {
		{ T " or " F " and " F, 1 }, { "(" T " or " F ") and " F, 0 },
		{ F " and " F " or " T, 1 }, { F " and (" F " or " T ")", 0 },
		{ "not " T " and " F, 0 }, { "not " F " and " T, 1 },
		{ "not (" F " and " T ")", 1 }, { "not " F " or " F, 1 },
		{ "not (" F " or " T ")", 0 }, { "not not " T, 1 },
		{ "not not not " T, 0 }, { "((" T "))", 1 },
		{ T " and " T " and " T " and " F, 0 },
		{ F " or " F " or " F " or " T, 1 },
		{ "(" F " or " T ") and (" T " or " F ") and not (" F ")", 1 },
		{ "not(" F ")", 1 }, { "(" T ")and(" T ")", 1 },
		/* != and not in are negations of = and in */
		{ "not payload.m = 1", 1 }, { "not payload.m in (1)", 1 },
	};
#undef T
#undef F
	struct rta_event ev = event_with(PAYLOAD);

	CHECK_TABLE(t, &ev);
}
END_TEST

START_TEST(keywords_any_case)
{
	static const struct want t[] = {
		{ "event_type IN ('pv') AND payload.t = TRUE", 1 },
		{ "NOT payload.z EXISTS Or payload.f = False", 1 },
		{ "payload.m NOT IN (1) aNd payload.z = nULL", 1 },
		{ "payload.m nOt In (1)", 1 },
		{ "  \tevent_type\n=\r'pv'  ", 1 },
		{ "event_type='pv'and(payload.i>=5)", 1 },
		{ "payload.i>4 and(payload.i<6)or payload.i=1", 1 },
	};
	struct rta_event ev = event_with(PAYLOAD);

	CHECK_TABLE(t, &ev);
}
END_TEST

/* The same expressions filter aggregate records (rta_event.h). */
START_TEST(aggregates)
{
	static const struct want t[] = {
		{ "payload.group.country = 'DE'", 1 },
		{ "payload.results.count >= 100", 1 },
		{ "payload.results.count > 120", 0 },
		{ "payload.results.avg < 2", 1 },
		{ "payload.results.missing = null", 1 },
		{ "event_type = 'tumbling'", 1 },
		{ "timestamp = '2026-11-26T10:00:00Z'", 1 },
		{ "schema_version = 2", 1 },
		{ "payload.end > '2026-11-26T10:00:00.000000Z'", 1 },
	};
	struct rta_event ev = record("{\"$rta\":\"aggregate\","
	    "\"record_id\":\"r1\",\"window\":\"tumbling\",\"start\":"
	    "\"2026-11-26T10:00:00.000000Z\",\"tenant_id\":\"acme\","
	    "\"version\":2,\"end\":\"2026-11-26T10:01:00.000000Z\","
	    "\"group\":{\"country\":\"DE\"},\"results\":{\"count\":120,"
	    "\"avg\":1.5}}");

	CHECK_TABLE(t, &ev);
}
END_TEST

START_TEST(fields_read)
{
	struct rta_expr *e;
	struct rta_error err;

	ck_assert_int_eq(rta_expr_parse("payload.a = 1 or (tenant_id = 'x' "
	    "and payload.a > 2) or payload.a\\.b exists or payload.a != 3",
	    &e, &err), RTA_OK);
	ck_assert_uint_eq(rta_expr_nfields(e), 3);
	ck_assert_str_eq(rta_expr_field(e, 0)->text, "payload.a");
	ck_assert_int_eq(rta_expr_field(e, 1)->root, RTA_F_TENANT_ID);
	ck_assert_str_eq(rta_expr_field(e, 2)->text, "payload.a\\.b");
	ck_assert_uint_eq(rta_expr_field(e, 2)->nparts, 1);
	ck_assert_str_eq(rta_expr_field(e, 2)->parts[0].name, "a.b");
	ck_assert_ptr_null(rta_expr_field(e, 3));
	rta_expr_free(e);
	rta_expr_free(NULL);
}
END_TEST

/* Malformed expressions: code, reason and the exact text. */
START_TEST(errors)
{
	static const struct {
		const char	*expr;
		int		 code;
		const char	*text;
	} t[] = {
		{ "", RTA_EINVAL, "column 1: expected a field, 'not' or '(', "
		    "found end of expression" },
		{ "event_type = 'pv", RTA_EINVAL,
		    "column 14: unterminated string" },
		{ "event_type = \"pv\\\"", RTA_EINVAL,
		    "column 14: unterminated string" },
		{ "payload.x =", RTA_EINVAL, "column 12: expected a value, "
		    "found end of expression" },
		{ "payload.x = and payload.y = 1", RTA_EINVAL, "column 13: "
		    "expected a value, found 'and' (strings need quotes)" },
		{ "payload.x => 1", RTA_EINVAL,
		    "column 11: unknown operator '=>'" },
		{ "payload.x 5", RTA_EINVAL,
		    "column 11: expected an operator, found '5'" },
		{ "payload.x like 'a%'", RTA_EINVAL,
		    "column 11: expected an operator, found 'like'" },
		{ "payload.x = 1 b", RTA_EINVAL, "column 15: expected 'and', "
		    "'or' or end of expression, found 'b'" },
		{ "payload.x = 1)", RTA_EINVAL, "column 14: unmatched ')'" },
		{ "(payload.x = 1", RTA_EINVAL, "column 15: expected 'and', "
		    "'or' or ')', found end of expression" },
		{ "payload.x ~ 'a(b'", RTA_EINVAL,
		    "column 15: bad regex: unterminated group" },
		{ "payload.x ~ '\\u00e9(?=x)'", RTA_EINVAL,
		    "column 20: bad regex: lookahead (?= is not supported" },
		{ "payload.x ~ 'a\\\\.\\'(?=x)'", RTA_EINVAL,
		    "column 20: bad regex: lookahead (?= is not supported" },
		{ "payload.x = 1 <<", RTA_EINVAL, "column 15: expected 'and', "
		    "'or' or end of expression, found '<<'" },
		{ "payload.x ~ 5", RTA_EINVAL,
		    "column 13: '~' needs a string, found '5'" },
		{ "payload.x ^= null", RTA_EINVAL,
		    "column 14: '^=' needs a string, found 'null'" },
		{ "timestamp < 'yesterday'", RTA_EINVAL, "column 13: "
		    "timestamp needs an RFC 3339 time, not 'yesterday': "
		    "expected YYYY-MM-DD" },
		{ "timestamp in ('2026-11-26T10:00:00Z', '2026-13-01')",
		    RTA_EINVAL, "column 39: timestamp needs an RFC 3339 "
		    "time, not '2026-13-01': month out of range" },
		{ "user = 1", RTA_EINVAL, "column 1: unknown field 'user': "
		    "fields are event_id, timestamp, event_type, tenant_id, "
		    "schema_version and payload.NAME" },
		{ "payload.x = 1 and payload..y = 1", RTA_EINVAL, "column 19: "
		    "bad field 'payload..y': empty member name" },
		{ "payload.x = pv", RTA_EINVAL, "column 13: expected a value, "
		    "found 'pv' (strings need quotes)" },
		{ "payload.x in (1,)", RTA_EINVAL,
		    "column 17: expected a value, found ')'" },
		{ "payload.x in ()", RTA_EINVAL,
		    "column 15: expected a value, found ')'" },
		{ "payload.x in (1 2)", RTA_EINVAL,
		    "column 17: expected ',' or ')', found '2'" },
		{ "payload.x in 1", RTA_EINVAL,
		    "column 14: expected '(' after 'in', found '1'" },
		{ "payload.x not = 1", RTA_EINVAL,
		    "column 15: expected 'in' after 'not', found '='" },
		{ "payload.x = 1x", RTA_EINVAL, "column 13: bad number" },
		{ "payload.x = 01", RTA_EINVAL, "column 13: bad number" },
		{ "payload.x = 1.", RTA_EINVAL, "column 13: bad number" },
		{ "payload.x = -", RTA_EINVAL, "column 13: bad number" },
		{ "payload.x = 1e999", RTA_EINVAL,
		    "column 13: number out of range" },
		{ "payload.x = 99999999999999999999", RTA_EINVAL,
		    "column 13: number out of range" },
		{ "payload.x = 'a\\qb'", RTA_EINVAL, "column 15: unknown "
		    "escape '\\q' (strings take \\\\ \\' \\\" \\n \\t "
		    "\\uXXXX)" },
		{ "payload.x = '\\u12'", RTA_EINVAL,
		    "column 14: '\\u' needs four hex digits" },
		{ "payload.x = '\\udc00'", RTA_EINVAL,
		    "column 14: lone surrogate in a '\\u' escape" },
		{ "payload.x = '\\ud800\\u0041'", RTA_EINVAL,
		    "column 14: lone surrogate in a '\\u' escape" },
		{ "payload.x = 'a\xff'", RTA_EINVAL,
		    "column 15: invalid UTF-8 in a string" },
		{ "payload.x = 'a\xed\xa0\x80'", RTA_EINVAL,
		    "column 15: invalid UTF-8 in a string" },
		{ "not", RTA_EINVAL, "column 4: expected a field, 'not' or "
		    "'(', found end of expression" },
		{ "payload.x = 1 and", RTA_EINVAL, "column 18: expected a "
		    "field, 'not' or '(', found end of expression" },
		{ "payload.x = 1 or or", RTA_EINVAL, "column 18: unknown "
		    "field 'or': fields are event_id, timestamp, event_type, "
		    "tenant_id, schema_version and payload.NAME" },
		{ "= 1", RTA_EINVAL, "column 1: expected a field, 'not' or "
		    "'(', found '='" },
		{ "payload.x ~ 'a{99999}'", RTA_ELIMIT, "column 14: bad regex: "
		    "the pattern needs more than 32768 instructions" },
	};
	struct rta_expr *e, *sentinel = (struct rta_expr *)&e;
	struct rta_error err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		e = sentinel;
		memset(&err, 0, sizeof(err));
		rc = rta_expr_parse(t[i].expr, &e, &err);
		ck_assert_msg(rc == t[i].code, "%s: code %d, not %d (%s)",
		    t[i].expr, rc, t[i].code, err.text);
		ck_assert_ptr_eq(e, sentinel);
		ck_assert_int_eq(err.code, rc);
		ck_assert_str_eq(err.reason, "bad-where");
		ck_assert_msg(strcmp(err.text, t[i].text) == 0,
		    "%s:\n got  %s\n want %s", t[i].expr, err.text, t[i].text);
		ck_assert_uint_eq(err.offset + 1, strtoul(err.text + 7, NULL,
		    10));
	}
	/* no err: the codes alone */
	ck_assert_int_eq(rta_expr_parse("x", &e, NULL), RTA_EINVAL);
}
END_TEST

START_TEST(limits)
{
	struct rta_expr *e;
	struct rta_error err;
	struct rta_event ev = event_with(PAYLOAD);
	char *s;
	size_t i, n, k;

	s = malloc(RTA_EXPR_MAX_LEN + 2);
	ck_assert_ptr_nonnull(s);

	/* 64 KiB of text, and one byte more */
	strcpy(s, "payload.i = 5");
	n = strlen(s);
	memset(s + n, ' ', RTA_EXPR_MAX_LEN - n);
	s[RTA_EXPR_MAX_LEN] = '\0';
	ck_assert_int_eq(rta_expr_parse(s, &e, &err), RTA_OK);
	ck_assert_int_eq(rta_expr_match(e, &ev), 1);
	rta_expr_free(e);
	s[RTA_EXPR_MAX_LEN] = ' ';
	s[RTA_EXPR_MAX_LEN + 1] = '\0';
	ck_assert_int_eq(rta_expr_parse(s, &e, &err), RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "bad-where");
	ck_assert_str_eq(err.text, "expression longer than 65536 bytes");
	ck_assert_uint_eq(err.offset, RTA_EXPR_MAX_LEN);

	/* 64 levels of parentheses and nots, then one more */
	for (k = 0; k < 2; k++) {
		n = 0;
		for (i = 0; i < RTA_EXPR_MAX_DEPTH + k; i++)
			n += (size_t)sprintf(s + n, i % 2 ? "(" : "not ");
		n += (size_t)sprintf(s + n, "payload.i = 5");
		for (i = 0; i < RTA_EXPR_MAX_DEPTH + k; i += 2)
			s[n++] = ')';
		s[n] = '\0';
		if (k == 0) {
			ck_assert_msg(rta_expr_parse(s, &e, &err) == RTA_OK,
			    "%s", err.text);
			/* an even number of nots */
			ck_assert_int_eq(rta_expr_match(e, &ev), 1);
			rta_expr_free(e);
		} else {
			ck_assert_int_eq(rta_expr_parse(s, &e, &err),
			    RTA_ELIMIT);
			ck_assert_str_eq(err.text, "column 161: nested deeper "
			    "than 64 levels");
		}
	}

	/* a long chain is no nesting: 3,000 ands */
	n = (size_t)sprintf(s, "payload.i = 5");
	for (i = 0; i < 3000; i++)
		n += (size_t)sprintf(s + n, " and payload.i = 5");
	ck_assert_int_eq(rta_expr_parse(s, &e, &err), RTA_OK);
	ck_assert_int_eq(rta_expr_match(e, &ev), 1);
	rta_expr_free(e);

	/* 1,024 in items in all, in two lists; then one more */
	for (k = 0; k < 2; k++) {
		n = (size_t)sprintf(s, "payload.i in (0");
		for (i = 1; i < 500; i++)
			n += (size_t)sprintf(s + n, ",%zu", i + 10);
		n += (size_t)sprintf(s + n, ") or payload.i in (5");
		for (i = 1; i < 524 + k; i++)
			n += (size_t)sprintf(s + n, ",%zu", i + 10);
		n += (size_t)sprintf(s + n, ")");
		if (k == 0) {
			ck_assert_msg(rta_expr_parse(s, &e, &err) == RTA_OK,
			    "%s", err.text);
			ck_assert_int_eq(rta_expr_match(e, &ev), 1);
			rta_expr_free(e);
		} else {
			ck_assert_int_eq(rta_expr_parse(s, &e, &err),
			    RTA_ELIMIT);
			ck_assert_str_eq(err.reason, "bad-where");
			ck_assert_ptr_nonnull(strstr(err.text,
			    ": more than 1024 'in' items"));
		}
	}
	free(s);
}
END_TEST

/* ------------------------------------------------- allocation failures */

static const char *const fault_exprs[] = {
	"event_type in ('a', 'pv') and not (payload.s ~ '^x+' or "
	"payload.a\\.b exists) and timestamp > '2026-01-01T00:00:00Z'",
	"payload.n = 2.5 or payload.m = null or payload.x = 1e99",
	"payload.s ~ '(a'",
};

static const char fault_line[] = "{\"event_id\":\"e1\",\"timestamp\":"
    "\"2026-11-26T10:00:00.5Z\",\"event_type\":\"pv\",\"tenant_id\":"
    "\"acme\",\"schema_version\":3,\"payload\":" PAYLOAD "}";

static int
fault_child(unsigned long n)
{
	static const int want[] = { 0, 1, -1 };
	struct rta_expr *e = NULL, *sentinel = (struct rta_expr *)&e;
	struct rta_record rec;
	struct rta_event ev;
	struct rta_error err;
	char spec[64];
	size_t k;
	void *p;
	int rc;

	/* the event too is parsed under the fault: nothing allocates first */
	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	if (rta_ndjson_parse(&np, fault_line, strlen(fault_line), &rec,
	    &err) != RTA_OK)
		return err.code == RTA_ENOMEM ? 1 : 14;
	ev = rec.ev;
	for (k = 0; k < sizeof(fault_exprs) / sizeof(fault_exprs[0]); k++) {
		e = sentinel;
		rc = rta_expr_parse(fault_exprs[k], &e, &err);
		if (rc == RTA_ENOMEM) {
			if (e != sentinel || err.code != RTA_ENOMEM ||
			    strcmp(err.reason, "no-memory") != 0)
				return 10;
			continue;
		}
		if (want[k] < 0) {
			if (rc != RTA_EINVAL || e != sentinel)
				return 11;
			continue;
		}
		if (rc != RTA_OK)
			return 11;
		if (rta_expr_match(e, &ev) != want[k])
			return 13;
		rta_expr_free(e);
	}
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return n == 1 ? 12 : 0;
}

static const char *
fault_why(int code)
{
	switch (code) {
	case 10:
		return "ENOMEM reported wrongly or *e changed";
	case 11:
		return "a failure other than ENOMEM";
	case 13:
		return "a wrong answer after the faults";
	case 14:
		return "the event does not parse";
	default:
		return "unknown";
	}
}

START_TEST(allocation_failures)
{
	const char *fork_env = getenv("CK_FORK");

	/* RTA_FAULT is read once per process: other tests may have read it */
	if (fork_env != NULL && strcmp(fork_env, "no") == 0) {
		fprintf(stderr, "allocation_failures: not run with "
		    "CK_FORK=no\n");
		return;
	}
	ck_assert_uint_gt(unit_alloc_failures(fault_child, fault_why), 10);
}
END_TEST

static Suite *
expr_suite(void)
{
	Suite *s = suite_create("rta_expr");
	TCase *tc = tcase_create("match");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, envelope_strings);
	tcase_add_test(tc, timestamps);
	tcase_add_test(tc, schema_versions);
	tcase_add_test(tc, payload_numbers);
	tcase_add_test(tc, payload_doubles);
	tcase_add_test(tc, payload_strings);
	tcase_add_test(tc, payload_others);
	tcase_add_test(tc, in_lists);
	tcase_add_test(tc, in_long_lists);
	tcase_add_test(tc, precedence);
	tcase_add_test(tc, keywords_any_case);
	tcase_add_test(tc, aggregates);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fields_read);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(expr_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
