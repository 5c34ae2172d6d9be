/*
 * check_rta_field.c: field paths.  Parsing (envelope names, payload
 * members, escapes, lists, every malformed form), lookups on parsed
 * events (nested members, paths through non-objects), the text a join
 * compares, and key encodings: equal exactly for equal values, whatever
 * the type or spelling of a number.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_event.h"
#include "rta_field.h"

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

/* Parse one NDJSON event whose payload is payload (JSON text). */
static struct rta_event
event_with(const char *payload)
{
	static char line[4096];
	struct rta_record rec;
	struct rta_error err;
	int n;

	n = snprintf(line, sizeof(line), "{\"event_id\":\"e1\","
	    "\"timestamp\":\"2026-11-26T10:00:00.5Z\",\"event_type\":\"pv\","
	    "\"tenant_id\":\"acme\",\"schema_version\":3,\"payload\":%s}",
	    payload);
	ck_assert_int_lt(n, (int)sizeof(line));
	ck_assert_msg(rta_ndjson_parse(&np, line, (size_t)n, &rec, &err) ==
	    RTA_OK, "%s: %s", line, err.text);
	ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
	return rec.ev;
}

/* The text of field path in an event with this payload, or NULL. */
static const char *
text_of(const char *path, const char *payload)
{
	static char out[256];
	char tmp[RTA_FVAL_TMP];
	struct rta_field f;
	struct rta_fval v;
	struct rta_event ev = event_with(payload);
	struct rta_error err;
	const char *s;
	size_t len;
	int ok;

	ck_assert_msg(rta_field_parse(&f, path, &err) == RTA_OK, "%s",
	    err.text);
	rta_field_get(&f, &ev, &v);
	ok = rta_fval_text(&v, tmp, &s, &len);
	rta_field_release(&f);
	if (!ok)
		return NULL;
	ck_assert_uint_lt(len, sizeof(out));
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

START_TEST(parse_forms)
{
	struct rta_field f;
	struct rta_error err;

	ck_assert_int_eq(rta_field_parse(&f, "tenant_id", &err), RTA_OK);
	ck_assert_int_eq(f.root, RTA_F_TENANT_ID);
	ck_assert_uint_eq(f.nparts, 0);
	ck_assert_str_eq(f.text, "tenant_id");
	rta_field_release(&f);

	ck_assert_int_eq(rta_field_parse(&f, "payload", &err), RTA_OK);
	ck_assert_int_eq(f.root, RTA_F_PAYLOAD);
	ck_assert_uint_eq(f.nparts, 0);
	rta_field_release(&f);

	ck_assert_int_eq(rta_field_parse(&f, "payload.user.id", &err), RTA_OK);
	ck_assert_uint_eq(f.nparts, 2);
	ck_assert_str_eq(f.parts[0].name, "user");
	ck_assert_str_eq(f.parts[1].name, "id");
	rta_field_release(&f);

	ck_assert_int_eq(rta_field_parse(&f, "payload.a\\.b\\\\c\\,d", &err),
	    RTA_OK);
	ck_assert_uint_eq(f.nparts, 1);
	ck_assert_uint_eq(f.parts[0].len, 7);
	ck_assert_mem_eq(f.parts[0].name, "a.b\\c,d", 7);
	rta_field_release(&f);
}
END_TEST

START_TEST(parse_errors)
{
	static const char *bad[] = {
		"", "payload.", ".payload", "payload..x", "user_id",
		"tenant_id.x", "payload.x\\", "payload.\\q", "Payload.x",
		"timestamp.year"
	};
	struct rta_field f;
	struct rta_error err;
	char deep[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(rta_field_parse(&f, bad[i], &err) == RTA_EINVAL,
		    "'%s' accepted", bad[i]);
		ck_assert_str_eq(err.reason, "bad-field");
		ck_assert_ptr_null(f.text);
	}
	ck_assert_int_eq(rta_field_parse(&f, "user_id", &err), RTA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "payload.NAME"));

	/* RTA_FIELD_MAX_PARTS members is the limit */
	strcpy(deep, "payload");
	for (i = 0; i < RTA_FIELD_MAX_PARTS; i++)
		strcat(deep, ".a");
	ck_assert_int_eq(rta_field_parse(&f, deep, &err), RTA_OK);
	rta_field_release(&f);
	strcat(deep, ".a");
	ck_assert_int_eq(rta_field_parse(&f, deep, &err), RTA_EINVAL);
}
END_TEST

START_TEST(lists)
{
	struct rta_field *fs;
	struct rta_error err;
	size_t n;

	ck_assert_int_eq(rta_field_list_parse("tenant_id,payload.order_id",
	    &fs, &n, &err), RTA_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(fs[0].root, RTA_F_TENANT_ID);
	ck_assert_str_eq(fs[1].parts[0].name, "order_id");
	rta_field_list_free(fs, n);

	ck_assert_int_eq(rta_field_list_parse("payload.a\\,b", &fs, &n, &err),
	    RTA_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(fs[0].parts[0].name, "a,b");
	rta_field_list_free(fs, n);

	ck_assert_int_eq(rta_field_list_parse("event_id,", &fs, &n, &err),
	    RTA_EINVAL);
	ck_assert_int_eq(rta_field_list_parse(",event_id", &fs, &n, &err),
	    RTA_EINVAL);
	ck_assert_int_eq(rta_field_list_parse("event_id,,tenant_id", &fs, &n,
	    &err), RTA_EINVAL);
	ck_assert_int_eq(rta_field_list_parse("event_id,nope", &fs, &n, &err),
	    RTA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "'nope'"));
}
END_TEST

START_TEST(lookups)
{
	static const char *p = "{\"user\":{\"id\":\"u7\",\"n\":12,"
	    "\"d\":1.50,\"ok\":true,\"no\":false,\"z\":null,\"arr\":[1]},"
	    "\"s\":\"x\",\"big\":1234567890.12345678901234567890}";

	ck_assert_str_eq(text_of("event_id", p), "e1");
	ck_assert_str_eq(text_of("event_type", p), "pv");
	ck_assert_str_eq(text_of("tenant_id", p), "acme");
	ck_assert_str_eq(text_of("schema_version", p), "3");
	ck_assert_str_eq(text_of("timestamp", p),
	    "2026-11-26T10:00:00.500000Z");
	ck_assert_str_eq(text_of("payload.user.id", p), "u7");
	ck_assert_str_eq(text_of("payload.user.n", p), "12");
	ck_assert_str_eq(text_of("payload.user.d", p), "1.50");
	ck_assert_str_eq(text_of("payload.user.ok", p), "true");
	ck_assert_str_eq(text_of("payload.user.no", p), "false");
	ck_assert_str_eq(text_of("payload.big", p),
	    "1234567890.12345678901234567890");
	ck_assert_ptr_null(text_of("payload.user.z", p));
	ck_assert_ptr_null(text_of("payload.user.arr", p));
	ck_assert_ptr_null(text_of("payload.user", p));
	ck_assert_ptr_null(text_of("payload.nope", p));
	ck_assert_ptr_null(text_of("payload.s.x", p));	/* through a string */
	ck_assert_ptr_null(text_of("payload.user.id.x", p));
}
END_TEST

START_TEST(lookup_kinds)
{
	struct rta_event ev = event_with("{\"a\":{\"b\":[]}}");
	struct rta_field f;
	struct rta_fval v;
	struct rta_error err;

	ck_assert_int_eq(rta_field_parse(&f, "payload.a.b", &err), RTA_OK);
	ck_assert_int_eq(rta_field_get(&f, &ev, &v), 1);
	ck_assert_int_eq(v.kind, RTA_FV_VALUE);
	rta_field_release(&f);
	ck_assert_int_eq(rta_field_parse(&f, "payload.a.c", &err), RTA_OK);
	ck_assert_int_eq(rta_field_get(&f, &ev, &v), 0);
	ck_assert_int_eq(v.kind, RTA_FV_MISSING);
	rta_field_release(&f);
	ck_assert_int_eq(rta_field_parse(&f, "timestamp", &err), RTA_OK);
	ck_assert_int_eq(rta_field_get(&f, &ev, &v), 1);
	ck_assert_int_eq(v.kind, RTA_FV_TIME);
	ck_assert(v.i == ev.ts);
	rta_field_release(&f);
}
END_TEST

/* The key of field path in an event with this payload, as a string. */
static size_t
key_of(const char *path, const char *payload, unsigned char *out)
{
	struct rta_field f;
	struct rta_fval v;
	struct rta_event ev = event_with(payload);
	struct rta_error err;
	struct rta_buf b;
	size_t n;

	rta_buf_init(&b);
	ck_assert_int_eq(rta_field_parse(&f, path, &err), RTA_OK);
	rta_field_get(&f, &ev, &v);
	ck_assert_int_eq(rta_fval_key(&b, &v), 0);
	rta_field_release(&f);
	n = b.len;
	ck_assert_uint_le(n, 256);
	memcpy(out, b.data, n);
	rta_buf_release(&b);
	return n;
}

static int
same_key(const char *pa, const char *pb)
{
	unsigned char a[256], b[256];
	size_t na, nb;

	na = key_of("payload.k", pa, a);
	nb = key_of("payload.k", pb, b);
	return na == nb && memcmp(a, b, na) == 0;
}

START_TEST(keys_equal_values)
{
	static const char *eq[][2] = {
		{ "{\"k\":1}", "{\"k\":1.0}" },
		{ "{\"k\":1}", "{\"k\":10e-1}" },
		{ "{\"k\":100}", "{\"k\":1e2}" },
		{ "{\"k\":-0}", "{\"k\":0}" },
		{ "{\"k\":0.1}", "{\"k\":1e-1}" },
		{ "{\"k\":1.50}", "{\"k\":1.5}" },
		{ "{\"k\":\"a\\u0062\"}", "{\"k\":\"ab\"}" },
		{ "{\"k\":[1,\"x\"]}", "{\"k\":[1,\"x\"]}" },
		{ "{}", "{\"j\":1}" }		/* both missing */
	};
	static const char *ne[][2] = {
		{ "{\"k\":1}", "{\"k\":\"1\"}" },
		{ "{\"k\":1}", "{\"k\":true}" },
		{ "{\"k\":null}", "{}" },
		{ "{\"k\":\"\"}", "{}" },
		{ "{\"k\":\"\"}", "{\"k\":null}" },
		{ "{\"k\":9007199254740993}", "{\"k\":9007199254740992}" },
		{ "{\"k\":0.1}", "{\"k\":0.10000000000000001}" },
		{ "{\"k\":-1}", "{\"k\":1}" },
		{ "{\"k\":[1]}", "{\"k\":\"[1]\"}" },
		{ "{\"k\":false}", "{\"k\":\"false\"}" }
	};
	size_t i;

	for (i = 0; i < sizeof(eq) / sizeof(eq[0]); i++)
		ck_assert_msg(same_key(eq[i][0], eq[i][1]), "%s vs %s differ",
		    eq[i][0], eq[i][1]);
	for (i = 0; i < sizeof(ne) / sizeof(ne[0]); i++)
		ck_assert_msg(!same_key(ne[i][0], ne[i][1]), "%s vs %s equal",
		    ne[i][0], ne[i][1]);
}
END_TEST

/* Two fields one after the other never run together: ("ab","c") and
 * ("a","bc") are different keys. */
START_TEST(keys_composite)
{
	struct rta_field *fs;
	struct rta_fval v;
	struct rta_error err;
	struct rta_buf a, b;
	struct rta_event ev;
	size_t n, i;

	rta_buf_init(&a);
	rta_buf_init(&b);
	ck_assert_int_eq(rta_field_list_parse("payload.x,payload.y", &fs, &n,
	    &err), RTA_OK);
	ev = event_with("{\"x\":\"ab\",\"y\":\"c\"}");
	for (i = 0; i < n; i++) {
		rta_field_get(&fs[i], &ev, &v);
		ck_assert_int_eq(rta_fval_key(&a, &v), 0);
	}
	ev = event_with("{\"x\":\"a\",\"y\":\"bc\"}");
	for (i = 0; i < n; i++) {
		rta_field_get(&fs[i], &ev, &v);
		ck_assert_int_eq(rta_fval_key(&b, &v), 0);
	}
	ck_assert(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
	rta_field_list_free(fs, n);
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

/* The time of a key: rta_key_time of one string part, or of s then a
 * second part "x". */
static int64_t
key_time_of(const char *s, int second)
{
	struct rta_fval v;
	struct rta_buf b;
	int64_t t;

	rta_buf_init(&b);
	memset(&v, 0, sizeof(v));
	v.kind = RTA_FV_STRING;
	v.s = s;
	v.len = strlen(s);
	ck_assert_int_eq(rta_fval_key(&b, &v), 0);
	if (second) {
		v.s = "x";
		v.len = 1;
		ck_assert_int_eq(rta_fval_key(&b, &v), 0);
	}
	t = rta_key_time(b.data, b.len);
	rta_buf_release(&b);
	return t;
}

/* UUIDv7s and ULIDs carry their milliseconds; nothing else does. */
START_TEST(key_times)
{
	struct rta_fval v;
	struct rta_buf b;

	/* 0x019b76daa800 ms: 2026-01-01T00:00:00Z */
	ck_assert_int_eq(key_time_of("019b76da-a800-7dd7-ab49-ed3db4c66435",
	    0), 1767225600000LL);
	ck_assert_int_eq(key_time_of("019B76DA-A800-7DD7-AB49-ED3DB4C66435",
	    1), 1767225600000LL);
	ck_assert_int_eq(key_time_of("ffffffff-ffff-7fff-bfff-ffffffffffff",
	    0), (1LL << 48) - 1);
	/* the ULID specification's example */
	ck_assert_int_eq(key_time_of("01ARZ3NDEKTSV4RRFFQ69G5FAV", 0),
	    1469922850259LL);
	ck_assert_int_eq(key_time_of("01arz3ndektsv4rrffq69g5fav", 0),
	    1469922850259LL);
	ck_assert_int_eq(key_time_of("7ZZZZZZZZZ0000000000000000", 0),
	    (1LL << 48) - 1);
	/* other versions, shapes and characters */
	ck_assert_int_eq(key_time_of("019b76da-a800-4dd7-ab49-ed3db4c66435",
	    0), -1);
	ck_assert_int_eq(key_time_of("019b76da_a800-7dd7-ab49-ed3db4c66435",
	    0), -1);
	ck_assert_int_eq(key_time_of("019b76da-a800-7dd7-ab49-ed3db4c6643",
	    0), -1);
	ck_assert_int_eq(key_time_of("81ARZ3NDEKTSV4RRFFQ69G5FAV", 0), -1);
	ck_assert_int_eq(key_time_of("01ARZ3NDEKTSV4RRFFQ69G5FAU", 0), -1);
	ck_assert_int_eq(key_time_of("", 0), -1);
	/* a key whose first part is not a string */
	rta_buf_init(&b);
	memset(&v, 0, sizeof(v));
	v.kind = RTA_FV_UINT;
	v.i = 1767225600000LL;
	ck_assert_int_eq(rta_fval_key(&b, &v), 0);
	ck_assert_int_eq(rta_key_time(b.data, b.len), -1);
	/* a length beyond the bytes */
	ck_assert_int_eq(rta_key_time(b.data, 3), -1);
	rta_buf_release(&b);
}
END_TEST

static Suite *
field_suite(void)
{
	Suite *s = suite_create("rta_field");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parse_forms);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, lookups);
	tcase_add_test(tc, lookup_kinds);
	tcase_add_test(tc, keys_equal_values);
	tcase_add_test(tc, keys_composite);
	tcase_add_test(tc, key_times);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(field_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
