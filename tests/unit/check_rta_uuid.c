/*
 * check_rta_uuid.c: UUID text layout (RFC 9562), v7 timestamps and
 * monotonic order, v8 determinism.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_uuid.h"

#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

/* Parse the text form back into 16 bytes; 0 if it is not canonical. */
static int
parse(const char *s, unsigned char b[16])
{
	int i, o = 0;

	for (i = 0; i < RTA_UUID_LEN; i++) {
		int v;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
			continue;
		}
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = s[i] - 'a' + 10;
		else
			return 0;		/* lower case only */
		if (o % 2 == 0)
			b[o / 2] = (unsigned char)(v << 4);
		else
			b[o / 2] |= (unsigned char)v;
		o++;
	}
	return o == 32;
}

static int
version(const unsigned char b[16])
{
	return b[6] >> 4;
}

static int
variant_ok(const unsigned char b[16])
{
	return (b[8] & 0xc0) == 0x80;		/* 10xx: RFC 9562 */
}

static uint64_t
ms_of(const unsigned char b[16])
{
	uint64_t ms = 0;
	int i;

	for (i = 0; i < 6; i++)
		ms = ms << 8 | b[i];
	return ms;
}

START_TEST(format_bytes)
{
	unsigned char b[16], back[16];
	char s[RTA_UUID_LEN + 1];
	int i;

	for (i = 0; i < 16; i++)
		b[i] = (unsigned char)(i * 17);
	memset(s, 'x', sizeof(s));
	rta_uuid_format(s, b);
	ck_assert_int_eq(s[RTA_UUID_LEN], 'x');	/* 36 bytes, no NUL */
	s[RTA_UUID_LEN] = '\0';
	ck_assert_str_eq(s, "00112233-4455-6677-8899-aabbccddeeff");
	ck_assert(parse(s, back));
	ck_assert_int_eq(memcmp(b, back, 16), 0);
}
END_TEST

START_TEST(v7_layout)
{
	static const int64_t ms[] = { 0, 1, 1767225600123LL,
	    0xffffffffffffLL, 0x0123456789abLL };
	unsigned char b[16];
	char s[RTA_UUID_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		s[RTA_UUID_LEN] = '\0';
		rta_uuid_v7_from(s, ms[i], 0xffffffffffffffffULL,
		    0xffffffffffffffffULL);
		ck_assert_msg(parse(s, b), "'%s' is not canonical", s);
		ck_assert_int_eq(s[14], '7');
		ck_assert_int_eq(version(b), 7);
		ck_assert(variant_ok(b));
		ck_assert(ms_of(b) == (uint64_t)ms[i]);
		rta_uuid_v7_from(s, ms[i], 0, 0);
		ck_assert(parse(s, b));
		ck_assert_int_eq(version(b), 7);
		ck_assert(variant_ok(b));
		ck_assert(ms_of(b) == (uint64_t)ms[i]);
	}
}
END_TEST

/* r1 fills rand_a (12 bits), r2 rand_b (62 bits); nothing else moves. */
START_TEST(v7_from_bits)
{
	unsigned char b[16];
	char s[RTA_UUID_LEN], s2[RTA_UUID_LEN];
	uint64_t rb;
	int i;

	rta_uuid_v7_from(s, 1767225600123LL, 0xabc, 0x3123456789abcdefULL);
	ck_assert(parse(s, b));
	ck_assert_uint_eq(((unsigned)b[6] & 0x0f) << 8 | b[7], 0xabc);
	rb = (uint64_t)(b[8] & 0x3f);
	for (i = 9; i < 16; i++)
		rb = rb << 8 | b[i];
	ck_assert(rb == 0x3123456789abcdefULL);
	/* the same inputs give the same id */
	rta_uuid_v7_from(s2, 1767225600123LL, 0xabc, 0x3123456789abcdefULL);
	ck_assert_int_eq(memcmp(s, s2, RTA_UUID_LEN), 0);
	/* each input shows in the id */
	rta_uuid_v7_from(s2, 1767225600124LL, 0xabc, 0x3123456789abcdefULL);
	ck_assert_int_ne(memcmp(s, s2, RTA_UUID_LEN), 0);
	rta_uuid_v7_from(s2, 1767225600123LL, 0xabd, 0x3123456789abcdefULL);
	ck_assert_int_ne(memcmp(s, s2, RTA_UUID_LEN), 0);
	rta_uuid_v7_from(s2, 1767225600123LL, 0xabc, 0x3123456789abcdeeULL);
	ck_assert_int_ne(memcmp(s, s2, RTA_UUID_LEN), 0);
}
END_TEST

START_TEST(v7_fresh)
{
	unsigned char b[16];
	char s[RTA_UUID_LEN];
	int64_t ms = 1767225600000LL;
	int i;

	for (i = 0; i < 1000; i++) {
		rta_uuid_v7(s, ms + i / 10);
		CHECK(parse(s, b), "id %d not canonical", i);
		CHECK(version(b) == 7 && variant_ok(b), "id %d: version or "
		    "variant wrong", i);
		CHECK(ms_of(b) == (uint64_t)(ms + i / 10), "id %d: wrong ms",
		    i);
	}
}
END_TEST

/* Within a millisecond, and past the 12-bit counter, ids increase. */
START_TEST(v7_monotonic)
{
	char prev[RTA_UUID_LEN], s[RTA_UUID_LEN];
	unsigned char b[16];
	/* later than v7_fresh's, for CK_FORK=no */
	int64_t ms = 1767225700000LL;
	int i, same_ms = 0;

	rta_uuid_v7(prev, ms);
	for (i = 1; i < 20000; i++) {
		rta_uuid_v7(s, ms);
		CHECK(memcmp(s, prev, RTA_UUID_LEN) > 0, "id %d does not sort "
		    "after the one before", i);
		CHECK(parse(s, b) && version(b) == 7 && variant_ok(b),
		    "id %d malformed", i);
		/* never behind the requested millisecond */
		CHECK(ms_of(b) >= (uint64_t)ms, "id %d went back in time", i);
		same_ms += ms_of(b) == (uint64_t)ms;
		memcpy(prev, s, RTA_UUID_LEN);
	}
	/* a counter seeded below 0x800 gives at least 2048 per ms */
	ck_assert_int_ge(same_ms, 2047);
	/* a clock that goes back does not make ids go back */
	rta_uuid_v7(s, ms - 5000);
	ck_assert_int_gt(memcmp(s, prev, RTA_UUID_LEN), 0);
	memcpy(prev, s, RTA_UUID_LEN);
	/* and a later millisecond sorts later */
	rta_uuid_v7(s, ms + 100000);
	ck_assert_int_gt(memcmp(s, prev, RTA_UUID_LEN), 0);
	ck_assert(parse(s, b));
	ck_assert(ms_of(b) == (uint64_t)(ms + 100000));
}
END_TEST

START_TEST(v8_deterministic)
{
	char a[RTA_UUID_LEN], c[RTA_UUID_LEN];
	unsigned char b[16], buf[64];

	rta_uuid_v8_hash(a, "row 1,2026-01-01,acme", 21);
	ck_assert(parse(a, b));
	ck_assert_int_eq(a[14], '8');
	ck_assert_int_eq(version(b), 8);
	ck_assert(variant_ok(b));
	rta_uuid_v8_hash(c, "row 1,2026-01-01,acme", 21);
	ck_assert_int_eq(memcmp(a, c, RTA_UUID_LEN), 0);
	/* from the bytes, not their address */
	memcpy(buf + 5, "row 1,2026-01-01,acme", 21);
	rta_uuid_v8_hash(c, buf + 5, 21);
	ck_assert_int_eq(memcmp(a, c, RTA_UUID_LEN), 0);
	/* and independent of the process hash seed */
	setenv("RTA_HASH_SEED", "99", 1);
	rta_uuid_v8_hash(c, "row 1,2026-01-01,acme", 21);
	ck_assert_int_eq(memcmp(a, c, RTA_UUID_LEN), 0);
	rta_uuid_v8_hash(c, "row 2,2026-01-01,acme", 21);
	ck_assert_int_ne(memcmp(a, c, RTA_UUID_LEN), 0);
	rta_uuid_v8_hash(c, "row 1,2026-01-01,acm", 20);
	ck_assert_int_ne(memcmp(a, c, RTA_UUID_LEN), 0);
	rta_uuid_v8_hash(c, "", 0);
	ck_assert(parse(c, b));
	ck_assert_int_eq(version(b), 8);
}
END_TEST

static int
cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, RTA_UUID_LEN);
}

/* Distinct inputs give distinct ids; the free bits look random. */
START_TEST(v8_distinct)
{
	enum { N = 50000 };
	static char ids[N][RTA_UUID_LEN];
	unsigned char b[16];
	long ones = 0;
	int i, k;

	for (i = 0; i < N; i++) {
		char in[16];
		int n = snprintf(in, sizeof(in), "%d", i);

		rta_uuid_v8_hash(ids[i], in, (size_t)n);
		CHECK(parse(ids[i], b) && version(b) == 8 && variant_ok(b),
		    "id %d malformed", i);
		for (k = 0; k < 16; k++)
			ones += __builtin_popcount(b[k]);
	}
	qsort(ids, N, RTA_UUID_LEN, cmp_id);
	for (i = 1; i < N; i++)
		CHECK(memcmp(ids[i], ids[i - 1], RTA_UUID_LEN) != 0,
		    "two inputs share an id");
	/* 122 free bits per id: about 61 ones, plus 1+1 fixed (v8, var) */
	ck_assert_int_gt(ones, (long)N * 60);
	ck_assert_int_lt(ones, (long)N * 65);
}
END_TEST

static Suite *
uuid_suite(void)
{
	Suite *s = suite_create("rta_uuid");
	TCase *tc;

	tc = tcase_create("format");
	tcase_add_test(tc, format_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("v7");
	tcase_add_test(tc, v7_layout);
	tcase_add_test(tc, v7_from_bits);
	tcase_add_test(tc, v7_fresh);
	tcase_add_test(tc, v7_monotonic);
	suite_add_tcase(s, tc);

	tc = tcase_create("v8");
	tcase_add_test(tc, v8_deterministic);
	tcase_add_test(tc, v8_distinct);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(uuid_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
