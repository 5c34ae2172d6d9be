/*
 * check_rta_time.c: RFC 3339 parsing and formatting, epoch numbers,
 * durations, command-line times and the pinned clock.
 *
 * Expected instants come from glibc's timegm(3) and gmtime_r(3), which
 * share no code with rta_time.c, so the calendar arithmetic is checked
 * against an independent implementation over the whole year range.
 * RTA_NOW is read once per process: the clock tests rely on check's fork
 * mode and are left out under CK_FORK=no.
 */
#define _DEFAULT_SOURCE
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rta_time.h"

#define US	RTA_US_PER_SEC

/* An assertion for hot loops: check's own record every passing one. */
#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

/* The oracle: microseconds of a UTC civil time, through timegm(3). */
static int64_t
civil_us(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * US;
}

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Parse a NUL-terminated string; the result code, *us on success. */
static int
tp(const char *s, int64_t *us, struct rta_error *err)
{
	return rta_time_parse(s, strlen(s), us, err);
}

static void
ok_parse(const char *s, int64_t want)
{
	struct rta_error err;
	int64_t us = 0;
	int rc;

	rta_error_clear(&err);
	rc = tp(s, &us, &err);
	ck_assert_msg(rc == RTA_OK, "'%s' rejected: %s", s, err.text);
	ck_assert_msg(us == want, "'%s' gave %" PRId64 ", want %" PRId64,
	    s, us, want);
}

/* s must be rejected as bad-timestamp, with what in the text. */
static void
bad_parse(const char *s, const char *what)
{
	struct rta_error err;
	int64_t us = 12345;
	int rc;

	rta_error_clear(&err);
	rc = tp(s, &us, &err);
	ck_assert_msg(rc == RTA_EDATA, "'%s' accepted (rc %d, %" PRId64 ")",
	    s, rc, us);
	ck_assert_str_eq(err.reason, "bad-timestamp");
	ck_assert_msg(us == 12345, "'%s': output written on failure", s);
	if (what != NULL)
		ck_assert_msg(strstr(err.text, what) != NULL,
		    "'%s': text '%s' lacks '%s'", s, err.text, what);
}

/* ---- rta_time_parse ---------------------------------------------------- */

START_TEST(parse_basic)
{
	ok_parse("1970-01-01T00:00:00Z", 0);
	ok_parse("2026-11-26T10:00:00.123456Z",
	    civil_us(2026, 11, 26, 10, 0, 0) + 123456);
	ok_parse("1969-12-31T23:59:59.999999Z", -1);
	ok_parse("2000-02-29T12:34:56Z", civil_us(2000, 2, 29, 12, 34, 56));
}
END_TEST

START_TEST(parse_field_ranges)
{
	char s[64];
	int v;

	/* every month, its last day accepted and the day after rejected */
	for (v = 1; v <= 12; v++) {
		static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		    31, 30, 31 };

		snprintf(s, sizeof(s), "2023-%02d-%02dT00:00:00Z", v,
		    dm[v - 1]);
		ok_parse(s, civil_us(2023, v, dm[v - 1], 0, 0, 0));
		snprintf(s, sizeof(s), "2023-%02d-%02dT00:00:00Z", v,
		    dm[v - 1] + 1);
		bad_parse(s, "day out of range");
		snprintf(s, sizeof(s), "2023-%02d-01T00:00:00Z", v);
		ok_parse(s, civil_us(2023, v, 1, 0, 0, 0));
	}
	bad_parse("2023-00-10T00:00:00Z", "month out of range");
	bad_parse("2023-13-10T00:00:00Z", "month out of range");
	bad_parse("2023-99-10T00:00:00Z", "month out of range");
	bad_parse("2023-01-00T00:00:00Z", "day out of range");
	bad_parse("2023-01-99T00:00:00Z", "day out of range");
	bad_parse("0000-01-01T00:00:00Z", "year out of range");
	for (v = 0; v <= 23; v++) {
		snprintf(s, sizeof(s), "2023-05-05T%02d:00:00Z", v);
		ok_parse(s, civil_us(2023, 5, 5, v, 0, 0));
	}
	bad_parse("2023-05-05T24:00:00Z", "hour out of range");
	bad_parse("2023-05-05T99:00:00Z", "hour out of range");
	for (v = 0; v <= 59; v++) {
		snprintf(s, sizeof(s), "2023-05-05T01:%02d:%02dZ", v, v);
		ok_parse(s, civil_us(2023, 5, 5, 1, v, v));
	}
	bad_parse("2023-05-05T00:60:00Z", "minute out of range");
	bad_parse("2023-05-05T00:00:61Z", "second out of range");
	bad_parse("2023-05-05T00:00:99Z", "second out of range");
	ok_parse("2023-05-05T00:00:00+23:59",
	    civil_us(2023, 5, 4, 0, 1, 0));
	bad_parse("2023-05-05T00:00:00+24:00", "offset out of range");
	bad_parse("2023-05-05T00:00:00-00:60", "offset out of range");
}
END_TEST

START_TEST(parse_leap_years)
{
	static const struct { int y, leap; } t[] = {
		{ 1900, 0 }, { 2000, 1 }, { 2400, 1 }, { 2100, 0 },
		{ 2024, 1 }, { 2023, 0 }, { 1600, 1 }, { 1700, 0 },
		{ 4, 1 }, { 1, 0 }, { 9996, 1 }, { 9999, 0 },
	};
	char s[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(s, sizeof(s), "%04d-02-29T00:00:00Z", t[i].y);
		if (t[i].leap)
			ok_parse(s, civil_us(t[i].y, 2, 29, 0, 0, 0));
		else
			bad_parse(s, "day out of range");
		snprintf(s, sizeof(s), "%04d-02-28T23:59:59Z", t[i].y);
		ok_parse(s, civil_us(t[i].y, 2, 28, 23, 59, 59));
		snprintf(s, sizeof(s), "%04d-02-30T00:00:00Z", t[i].y);
		bad_parse(s, "day out of range");
		/* the day after Feb 28 is Mar 1 exactly when not leap */
		snprintf(s, sizeof(s), "%04d-03-01T00:00:00Z", t[i].y);
		ok_parse(s, civil_us(t[i].y, 2, 28, 0, 0, 0) +
		    (t[i].leap ? 2 : 1) * 86400 * US);
	}
}
END_TEST

START_TEST(parse_leap_second)
{
	ok_parse("2016-12-31T23:59:60Z",
	    civil_us(2016, 12, 31, 23, 59, 59) + 999999);
	ok_parse("2016-12-31T23:59:60.5Z",
	    civil_us(2016, 12, 31, 23, 59, 59) + 999999);
	/* a leap second at the end of a local minute, with an offset */
	ok_parse("2017-01-01T00:59:60+01:00",
	    civil_us(2016, 12, 31, 23, 59, 59) + 999999);
	/* the leap second stays before the next minute */
	ok_parse("2017-01-01T00:00:00Z", civil_us(2017, 1, 1, 0, 0, 0));
}
END_TEST

START_TEST(parse_offsets)
{
	int64_t base = civil_us(2024, 3, 10, 12, 0, 0);

	ok_parse("2024-03-10T12:00:00Z", base);
	ok_parse("2024-03-10T12:00:00z", base);
	ok_parse("2024-03-10T12:00:00+00:00", base);
	ok_parse("2024-03-10T12:00:00-00:00", base);
	ok_parse("2024-03-10T12:00:00+05:30", base - (5 * 3600 + 1800) * US);
	ok_parse("2024-03-10T12:00:00-08:00", base + 8 * 3600 * US);
	ok_parse("2024-03-10T12:00:00.25-03:45",
	    base + (3 * 3600 + 45 * 60) * US + 250000);
	/* an offset that moves the date across a month and a year */
	ok_parse("2024-01-01T01:00:00+02:00",
	    civil_us(2023, 12, 31, 23, 0, 0));
	ok_parse("2023-12-31T22:00:00-02:00", civil_us(2024, 1, 1, 0, 0, 0));
	bad_parse("2024-03-10T12:00:00+0530", "offset");
	bad_parse("2024-03-10T12:00:00+05", "offset");
	bad_parse("2024-03-10T12:00:00+5:30", "offset");
	bad_parse("2024-03-10T12:00:00 +05:30", "offset");
	bad_parse("2024-03-10T12:00:00UTC", "offset");
	bad_parse("2024-03-10T12:00:00", "offset");
	bad_parse("2024-03-10T12:00:00.5", "offset");
	bad_parse("2024-03-10T12:00:00ZZ", "trailing");
	bad_parse("2024-03-10T12:00:00+05:30 ", "trailing");
}
END_TEST

START_TEST(parse_separators)
{
	int64_t base = civil_us(2024, 3, 10, 12, 1, 2);

	ok_parse("2024-03-10T12:01:02Z", base);
	ok_parse("2024-03-10t12:01:02Z", base);
	ok_parse("2024-03-10 12:01:02Z", base);
	bad_parse("2024-03-10_12:01:02Z", "expected 'T'");
	bad_parse("2024-03-10  12:01:02Z", NULL);
	bad_parse("2024-03-1012:01:02Z", NULL);
	bad_parse("2024/03/10T12:01:02Z", "YYYY-MM-DD");
	bad_parse("2024-03-10T12.01.02Z", "hh:mm:ss");
	bad_parse("24-03-10T12:01:02Z", "YYYY-MM-DD");
	bad_parse("+2024-03-10T12:01:02Z", "YYYY-MM-DD");
	bad_parse("2024-3-10T12:01:02Z", "YYYY-MM-DD");
	bad_parse("2024-03-10T2:01:02Z", "hh:mm:ss");
	bad_parse("", NULL);
}
END_TEST

START_TEST(parse_fractions)
{
	static const char digits[] = "123456789012";
	int64_t base = civil_us(2024, 3, 10, 12, 0, 0);
	char s[80];
	int n;

	for (n = 1; n <= 12; n++) {
		int64_t want = 0;
		int k;

		/* the first six digits, scaled to microseconds; the rest
		 * are truncated, never rounded */
		for (k = 0; k < 6; k++)
			want = want * 10 + (k < n ? digits[k] - '0' : 0);
		snprintf(s, sizeof(s), "2024-03-10T12:00:00.%.*sZ", n, digits);
		ok_parse(s, base + want);
	}
	ok_parse("2024-03-10T12:00:00.9999999999Z", base + 999999);
	ok_parse("2024-03-10T12:00:00.000000999Z", base);
	ok_parse("2024-03-10T12:00:00.000001Z", base + 1);
	ok_parse("2024-03-10T12:00:00.5+01:00", base - 3600 * US + 500000);
	/* a fraction of many digits is fine: it is truncated */
	ok_parse("2024-03-10T12:00:00.1234560000000000000000000000000000000"
	    "00000000000000000000000000000000000000000000000000009Z",
	    base + 123456);
	bad_parse("2024-03-10T12:00:00.Z", "digits after '.'");
	bad_parse("2024-03-10T12:00:00.", "digits after '.'");
	bad_parse("2024-03-10T12:00:00,5Z", NULL);
	bad_parse("2024-03-10T12:00:00.5a", NULL);
	/* before the epoch a fraction still adds to the second */
	ok_parse("1969-12-31T23:59:58.25Z", -2 * US + 250000);
}
END_TEST

START_TEST(parse_year_edges)
{
	ok_parse("0001-01-01T00:00:00Z", RTA_TIME_MIN);
	ok_parse("0001-01-01T00:00:00.000000Z", RTA_TIME_MIN);
	ok_parse("9999-12-31T23:59:59.999999Z", RTA_TIME_MAX);
	ok_parse("9999-12-31T23:59:60Z", RTA_TIME_MAX);
	ck_assert_int_eq(RTA_TIME_MIN, civil_us(1, 1, 1, 0, 0, 0));
	ck_assert_int_eq(RTA_TIME_MAX,
	    civil_us(9999, 12, 31, 23, 59, 59) + 999999);
	/* offsets that keep the instant in range */
	ok_parse("0001-01-01T00:30:00+00:30", RTA_TIME_MIN);
	ok_parse("9999-12-31T23:29:59.999999-00:30", RTA_TIME_MAX);
	ok_parse("0001-01-01T23:59:59-00:00",
	    RTA_TIME_MIN + (86400 - 1) * US);
	/* and offsets that push it out */
	bad_parse("0001-01-01T00:00:00+00:01", "out of range");
	bad_parse("0001-01-01T00:00:00.999999+00:01", "out of range");
	bad_parse("0001-01-01T10:00:00+23:59", "out of range");
	bad_parse("9999-12-31T23:59:59-00:01", "out of range");
	bad_parse("9999-12-31T23:30:00-23:59", "out of range");
	bad_parse("9999-12-31T23:59:60-00:01", "out of range");
}
END_TEST

START_TEST(parse_length_bounded)
{
	static const char full[] = "2024-03-10T12:00:00.123456+01:00";
	char buf[64];
	int64_t us;
	size_t n;

	/* every proper prefix is incomplete, hence rejected */
	for (n = 0; n < sizeof(full) - 1; n++) {
		memcpy(buf, full, sizeof(full));
		ck_assert_msg(rta_time_parse(buf, n, &us, NULL) == RTA_EDATA,
		    "prefix of %zu bytes accepted", n);
	}
	/* len is honoured: bytes after it are not read */
	memcpy(buf, "2024-03-10T12:00:00Z999", 24);
	ck_assert_int_eq(rta_time_parse(buf, 20, &us, NULL), RTA_OK);
	ck_assert_int_eq(us, civil_us(2024, 3, 10, 12, 0, 0));
	/* an embedded NUL is not a terminator */
	memcpy(buf, "2024-03-10T12:00:00Z\0", 21);
	ck_assert_int_eq(rta_time_parse(buf, 21, &us, NULL), RTA_EDATA);
	/* a NULL err is allowed */
	ck_assert_int_eq(rta_time_parse("x", 1, &us, NULL), RTA_EDATA);
}
END_TEST

/* Every digit position replaced by a non-digit is rejected. */
START_TEST(parse_non_digits)
{
	static const char full[] = "2024-03-10T12:34:56.789+01:30";
	static const int pos[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15,
	    17, 18, 20, 24, 25, 27, 28 };
	static const char junk[] = "a /:-+\x80";
	char buf[64];
	size_t i, j;
	int64_t us;

	for (i = 0; i < sizeof(pos) / sizeof(pos[0]); i++)
		for (j = 0; j < sizeof(junk) - 1; j++) {
			memcpy(buf, full, sizeof(full));
			buf[pos[i]] = junk[j];
			ck_assert_msg(rta_time_parse(buf, sizeof(full) - 1,
			    &us, NULL) == RTA_EDATA, "'%s' accepted", buf);
		}
}
END_TEST

/*
 * The canonical form written by rta_time_format, many times on one date
 * (the common case of a time-ordered stream), with bad times of day on a
 * date seen just before, and dates that change back and forth.
 */
START_TEST(parse_canonical_runs)
{
	static const char *const bad_tod[] = {
		"2024-03-10T24:00:00.000000Z", "2024-03-10T12:60:00.000000Z",
		"2024-03-10T12:00:61.000000Z", "2024-03-10T1a:00:00.000000Z",
		"2024-03-10T12:00:00.00000aZ", "2024-03-10T12:00:00.000000+",
		"2024-03-10T12:0:000.000000Z", "2024-03-10T99:99:99.999999Z",
	};
	int64_t day = civil_us(2024, 3, 10, 0, 0, 0), us;
	char s[48];
	size_t i;
	int k;

	for (k = 0; k < 86400; k += 7) {
		int frac = (k * 7919) % 1000000;
		int64_t want = day + (int64_t)k * US + frac;

		snprintf(s, sizeof(s), "2024-03-10T%02d:%02d:%02d.%06dZ",
		    k / 3600, k / 60 % 60, k % 60, frac);
		CHECK(rta_time_parse(s, RTA_TIME_LEN, &us, NULL) == RTA_OK &&
		    us == want, "'%s'", s);
	}
	for (i = 0; i < sizeof(bad_tod) / sizeof(bad_tod[0]); i++) {
		ok_parse("2024-03-10T00:00:00.000000Z", day);
		bad_parse(bad_tod[i], NULL);
	}
	ok_parse("2024-03-10T23:59:60.000000Z", day + 86400 * US - 1);
	for (k = 0; k < 20; k++) {
		ok_parse("2024-03-10T01:00:00.000001Z", day + 3600 * US + 1);
		ok_parse("2024-03-11T01:00:00.000001Z",
		    day + 25 * 3600 * US + 1);
		ok_parse("2024-03-11t01:00:00.000001Z",
		    day + 25 * 3600 * US + 1);
		bad_parse("2024-02-30T01:00:00.000001Z", "day out of range");
	}
}
END_TEST

/* ---- rta_time_format --------------------------------------------------- */

static void
fmt(char *s, int64_t us)
{
	rta_time_format(s, us);
	s[RTA_TIME_LEN] = '\0';
}

START_TEST(format_known)
{
	char s[RTA_TIME_LEN + 1];

	memset(s, 'x', sizeof(s));
	rta_time_format(s, 0);
	ck_assert_int_eq(s[RTA_TIME_LEN], 'x');	/* exactly 27 bytes */
	s[RTA_TIME_LEN] = '\0';
	ck_assert_str_eq(s, "1970-01-01T00:00:00.000000Z");
	fmt(s, -1);
	ck_assert_str_eq(s, "1969-12-31T23:59:59.999999Z");
	fmt(s, RTA_TIME_MIN);
	ck_assert_str_eq(s, "0001-01-01T00:00:00.000000Z");
	fmt(s, RTA_TIME_MAX);
	ck_assert_str_eq(s, "9999-12-31T23:59:59.999999Z");
	fmt(s, civil_us(2000, 2, 29, 1, 2, 3) + 4);
	ck_assert_str_eq(s, "2000-02-29T01:02:03.000004Z");
	/* the date cache must not leak into the next day or back */
	fmt(s, civil_us(2000, 2, 29, 23, 59, 59) + 999999);
	ck_assert_str_eq(s, "2000-02-29T23:59:59.999999Z");
	fmt(s, civil_us(2000, 3, 1, 0, 0, 0));
	ck_assert_str_eq(s, "2000-03-01T00:00:00.000000Z");
	fmt(s, civil_us(2000, 2, 29, 0, 0, 0));
	ck_assert_str_eq(s, "2000-02-29T00:00:00.000000Z");
	fmt(s, -US);
	ck_assert_str_eq(s, "1969-12-31T23:59:59.000000Z");
	fmt(s, -US - 1);
	ck_assert_str_eq(s, "1969-12-31T23:59:58.999999Z");
}
END_TEST

/* format, then parse, gives the value back, everywhere in the range */
START_TEST(format_round_trip)
{
	const uint64_t span = (uint64_t)(RTA_TIME_MAX - RTA_TIME_MIN) + 1;
	char s[RTA_TIME_LEN + 1];
	int64_t us, back;
	int i;

	rng_state = 0x243f6a8885a308d3ULL;
	for (i = 0; i < 1000000; i++) {
		us = RTA_TIME_MIN + (int64_t)(rng() % span);
		fmt(s, us);
		CHECK(rta_time_parse(s, RTA_TIME_LEN, &back, NULL) ==
		    RTA_OK, "%" PRId64 " formatted as unparsable '%s'", us, s);
		CHECK(back == us, "%" PRId64 " -> '%s' -> %" PRId64,
		    us, s, back);
	}
	/* the edges and the microseconds around each day boundary */
	for (i = -3; i <= 3; i++) {
		us = RTA_TIME_MIN + i + 3;
		fmt(s, us);
		ck_assert_int_eq(rta_time_parse(s, RTA_TIME_LEN, &back, NULL),
		    RTA_OK);
		ck_assert_int_eq(back, us);
		us = RTA_TIME_MAX - i - 3;
		fmt(s, us);
		ck_assert_int_eq(rta_time_parse(s, RTA_TIME_LEN, &back, NULL),
		    RTA_OK);
		ck_assert_int_eq(back, us);
	}
}
END_TEST

static void
gm_text(char *s, size_t n, int64_t secs)
{
	time_t t = (time_t)secs;
	struct tm tm;

	CHECK(gmtime_r(&t, &tm) != NULL, "gmtime_r");
	CHECK(strftime(s, n, "%Y-%m-%dT%H:%M:%S", &tm) == 19, "strftime");
}

/* 1970..2100 against gmtime_r: random instants and every single day */
START_TEST(format_vs_gmtime)
{
	const int64_t lo = 0, hi = civil_us(2101, 1, 1, 0, 0, 0);
	char s[RTA_TIME_LEN + 1], want[32], frac[16];
	int64_t us, day;
	int i;

	rng_state = 0x13198a2e03707344ULL;
	for (i = 0; i < 200000; i++) {
		us = lo + (int64_t)(rng() % (uint64_t)(hi - lo));
		fmt(s, us);
		gm_text(want, sizeof(want), us / US);
		CHECK(memcmp(s, want, 19) == 0, "%" PRId64
		    ": '%s', gmtime says '%s'", us, s, want);
		snprintf(frac, sizeof(frac), ".%06d", (int)(us % US));
		CHECK(memcmp(s + 19, frac, 7) == 0 && s[26] == 'Z',
		    "%" PRId64 ": '%s'", us, s);
	}
	for (day = 0; day * 86400 * US < hi; day++) {
		us = day * 86400 * US + 86399 * US + 999999;
		fmt(s, us);
		gm_text(want, sizeof(want), us / US);
		CHECK(memcmp(s, want, 19) == 0, "day %" PRId64
		    ": '%s', gmtime says '%s'", day, s, want);
		CHECK(rta_days_from_civil(atoi(want), (unsigned)atoi(want + 5),
		    (unsigned)atoi(want + 8)) == day, "day %" PRId64, day);
	}
}
END_TEST

/* rta_days_from_civil on the first of every month of the whole range */
START_TEST(days_from_civil)
{
	int y, m;

	for (y = 1; y <= 9999; y++)
		for (m = 1; m <= 12; m++)
			CHECK(rta_days_from_civil(y, (unsigned)m, 1) *
			    86400 * US == civil_us(y, m, 1, 0, 0, 0),
			    "%04d-%02d-01", y, m);
}
END_TEST

/* ---- epoch numbers ----------------------------------------------------- */

static int64_t
from_d(double v, enum rta_epoch_unit u, int want_rc)
{
	struct rta_error err;
	int64_t us = INT64_MIN;
	int rc;

	rta_error_clear(&err);
	rc = rta_time_from_epoch(v, u, &us, &err);
	ck_assert_msg(rc == want_rc, "%.17g unit %d: rc %d (%s)", v, u, rc,
	    err.text);
	if (rc == RTA_OK)
		ck_assert_msg(us >= RTA_TIME_MIN && us <= RTA_TIME_MAX,
		    "%.17g unit %d gave %" PRId64 ", outside the time range",
		    v, u, us);
	else
		ck_assert_str_eq(err.reason, "bad-timestamp");
	return us;
}

static int64_t
from_i(int64_t v, enum rta_epoch_unit u, int want_rc)
{
	struct rta_error err;
	int64_t us = INT64_MIN;
	int rc;

	rta_error_clear(&err);
	rc = rta_time_from_epoch_i64(v, u, &us, &err);
	ck_assert_msg(rc == want_rc, "%" PRId64 " unit %d: rc %d (%s)", v, u,
	    rc, err.text);
	if (rc != RTA_OK)
		ck_assert_str_eq(err.reason, "bad-timestamp");
	return us;
}

START_TEST(epoch_auto_units)
{
	/* |v| < 1e11: seconds; < 1e14: milliseconds; else microseconds */
	ck_assert_int_eq(from_i(0, RTA_EPOCH_AUTO, RTA_OK), 0);
	ck_assert_int_eq(from_i(1700000000, RTA_EPOCH_AUTO, RTA_OK),
	    1700000000 * US);
	ck_assert_int_eq(from_i(99999999999LL, RTA_EPOCH_AUTO, RTA_OK),
	    99999999999LL * US);
	ck_assert_int_eq(from_i(100000000000LL, RTA_EPOCH_AUTO, RTA_OK),
	    100000000000LL * 1000);
	ck_assert_int_eq(from_i(1700000000123LL, RTA_EPOCH_AUTO, RTA_OK),
	    1700000000123LL * 1000);
	ck_assert_int_eq(from_i(99999999999999LL, RTA_EPOCH_AUTO, RTA_OK),
	    99999999999999LL * 1000);
	ck_assert_int_eq(from_i(100000000000000LL, RTA_EPOCH_AUTO, RTA_OK),
	    100000000000000LL);
	ck_assert_int_eq(from_i(1700000000123456LL, RTA_EPOCH_AUTO, RTA_OK),
	    1700000000123456LL);
	/* the same rules by magnitude for negative numbers */
	ck_assert_int_eq(from_i(-60000000000LL, RTA_EPOCH_AUTO, RTA_OK),
	    -60000000000LL * US);
	ck_assert_int_eq(from_i(-100000000000LL, RTA_EPOCH_AUTO, RTA_OK),
	    -100000000000LL * 1000);
	ck_assert_int_eq(from_i(-100000000000000LL, RTA_EPOCH_AUTO, RTA_OK),
	    -100000000000000LL);
	/* and for doubles */
	ck_assert_int_eq(from_d(99999999999.0, RTA_EPOCH_AUTO, RTA_OK),
	    99999999999LL * US);
	ck_assert_int_eq(from_d(1e11, RTA_EPOCH_AUTO, RTA_OK),
	    100000000000LL * 1000);
	ck_assert_int_eq(from_d(99999999999992.0, RTA_EPOCH_AUTO, RTA_OK),
	    99999999999992LL * 1000);
	ck_assert_int_eq(from_d(1e14, RTA_EPOCH_AUTO, RTA_OK),
	    100000000000000LL);
	ck_assert_int_eq(from_d(-1e11, RTA_EPOCH_AUTO, RTA_OK),
	    -100000000000LL * 1000);
	/* "ms and µs stamps after 1973-03-03 are read right" */
	ck_assert_int_eq(from_i(civil_us(1973, 3, 4, 0, 0, 0) / 1000,
	    RTA_EPOCH_AUTO, RTA_OK), civil_us(1973, 3, 4, 0, 0, 0));
	ck_assert_int_eq(from_i(civil_us(1973, 3, 4, 0, 0, 0),
	    RTA_EPOCH_AUTO, RTA_OK), civil_us(1973, 3, 4, 0, 0, 0));
}
END_TEST

START_TEST(epoch_explicit_units)
{
	ck_assert_int_eq(from_i(5, RTA_EPOCH_S, RTA_OK), 5 * US);
	ck_assert_int_eq(from_i(5, RTA_EPOCH_MS, RTA_OK), 5000);
	ck_assert_int_eq(from_i(5, RTA_EPOCH_US, RTA_OK), 5);
	/* an explicit unit overrides the magnitude rule */
	ck_assert_int_eq(from_i(1700000000123LL, RTA_EPOCH_US, RTA_OK),
	    1700000000123LL);
	ck_assert_int_eq(from_i(200000000000LL, RTA_EPOCH_S, RTA_OK),
	    200000000000LL * US);
	ck_assert_int_eq(from_i(-5, RTA_EPOCH_MS, RTA_OK), -5000);
	ck_assert_int_eq(from_d(5.0, RTA_EPOCH_S, RTA_OK), 5 * US);
	ck_assert_int_eq(from_d(5.0, RTA_EPOCH_MS, RTA_OK), 5000);
	ck_assert_int_eq(from_d(5.0, RTA_EPOCH_US, RTA_OK), 5);
	ck_assert_int_eq(from_d(1e14, RTA_EPOCH_MS, RTA_OK),
	    100000000000000000LL);
}
END_TEST

START_TEST(epoch_fractions)
{
	ck_assert_int_eq(from_d(1.5, RTA_EPOCH_S, RTA_OK), 1500000);
	ck_assert_int_eq(from_d(1.25, RTA_EPOCH_AUTO, RTA_OK), 1250000);
	ck_assert_int_eq(from_d(-1.5, RTA_EPOCH_S, RTA_OK), -1500000);
	ck_assert_int_eq(from_d(1700000000.123456, RTA_EPOCH_S, RTA_OK),
	    1700000000123456LL);
	ck_assert_int_eq(from_d(1.5, RTA_EPOCH_MS, RTA_OK), 1500);
	ck_assert_int_eq(from_d(1700000000123.5, RTA_EPOCH_AUTO, RTA_OK),
	    1700000000123500LL);
	/* below a microsecond: the nearest */
	ck_assert_int_eq(from_d(1.0000006, RTA_EPOCH_S, RTA_OK), 1000001);
	ck_assert_int_eq(from_d(1.0000004, RTA_EPOCH_S, RTA_OK), 1000000);
	ck_assert_int_eq(from_d(-1.0000006, RTA_EPOCH_S, RTA_OK), -1000001);
	ck_assert_int_eq(from_d(-1.0000004, RTA_EPOCH_S, RTA_OK), -1000000);
	ck_assert_int_eq(from_d(0.0006, RTA_EPOCH_MS, RTA_OK), 1);
	ck_assert_int_eq(from_d(0.0004, RTA_EPOCH_MS, RTA_OK), 0);
	ck_assert_int_eq(from_d(2.7, RTA_EPOCH_US, RTA_OK), 3);
	ck_assert_int_eq(from_d(2.3, RTA_EPOCH_US, RTA_OK), 2);
	ck_assert_int_eq(from_d(1e14 + 0.7, RTA_EPOCH_AUTO, RTA_OK),
	    100000000000001LL);
}
END_TEST

START_TEST(epoch_overflow)
{
	const int64_t smax = RTA_TIME_MAX / US, smin = RTA_TIME_MIN / US;

	/* integers: exact limits in every unit */
	ck_assert_int_eq(from_i(smax, RTA_EPOCH_S, RTA_OK), smax * US);
	from_i(smax + 1, RTA_EPOCH_S, RTA_EDATA);
	ck_assert_int_eq(from_i(smin, RTA_EPOCH_S, RTA_OK), RTA_TIME_MIN);
	from_i(smin - 1, RTA_EPOCH_S, RTA_EDATA);
	ck_assert_int_eq(from_i(RTA_TIME_MAX / 1000, RTA_EPOCH_MS, RTA_OK),
	    RTA_TIME_MAX / 1000 * 1000);
	from_i(RTA_TIME_MAX / 1000 + 1, RTA_EPOCH_MS, RTA_EDATA);
	from_i(RTA_TIME_MIN / 1000 - 1, RTA_EPOCH_MS, RTA_EDATA);
	ck_assert_int_eq(from_i(RTA_TIME_MAX, RTA_EPOCH_US, RTA_OK),
	    RTA_TIME_MAX);
	from_i(RTA_TIME_MAX + 1, RTA_EPOCH_US, RTA_EDATA);
	ck_assert_int_eq(from_i(RTA_TIME_MIN, RTA_EPOCH_AUTO, RTA_OK),
	    RTA_TIME_MIN);
	from_i(RTA_TIME_MIN - 1, RTA_EPOCH_US, RTA_EDATA);
	/* no signed overflow on the extremes (UBSan watches) */
	from_i(INT64_MAX, RTA_EPOCH_AUTO, RTA_EDATA);
	from_i(INT64_MIN, RTA_EPOCH_AUTO, RTA_EDATA);
	from_i(INT64_MAX, RTA_EPOCH_S, RTA_EDATA);
	from_i(INT64_MIN, RTA_EPOCH_S, RTA_EDATA);
	from_i(INT64_MAX / 1000 + 1, RTA_EPOCH_MS, RTA_EDATA);
	/* doubles */
	ck_assert_int_eq(from_d((double)smax, RTA_EPOCH_S, RTA_OK),
	    smax * US);
	ck_assert_int_eq(from_d((double)smin, RTA_EPOCH_S, RTA_OK),
	    RTA_TIME_MIN);
	from_d((double)(smin - 1), RTA_EPOCH_S, RTA_EDATA);
	from_d(1e300, RTA_EPOCH_AUTO, RTA_EDATA);
	from_d(-1e300, RTA_EPOCH_AUTO, RTA_EDATA);
	from_d(9.3e18, RTA_EPOCH_US, RTA_EDATA);
	from_d(INFINITY, RTA_EPOCH_AUTO, RTA_EDATA);
	from_d(-INFINITY, RTA_EPOCH_S, RTA_EDATA);
	from_d(NAN, RTA_EPOCH_AUTO, RTA_EDATA);
}
END_TEST

/*
 * The first instant after year 9999, as a double in each unit.
 * RTA_TIME_MAX is not a double: a range check against its rounded value
 * (10000-01-01T00:00:00Z exactly) lets these through.
 */
START_TEST(epoch_double_past_max)
{
	from_d(253402300800.0, RTA_EPOCH_S, RTA_EDATA);
	from_d(253402300800000.0, RTA_EPOCH_MS, RTA_EDATA);
	from_d(253402300800000000.0, RTA_EPOCH_US, RTA_EDATA);
	from_d(253402300800000000.0, RTA_EPOCH_AUTO, RTA_EDATA);
}
END_TEST

/* Whatever rta_time_from_epoch accepts lies inside the time range. */
START_TEST(epoch_never_out_of_range)
{
	static const enum rta_epoch_unit units[] = { RTA_EPOCH_AUTO,
	    RTA_EPOCH_S, RTA_EPOCH_MS, RTA_EPOCH_US };
	const double edges[] = { (double)RTA_TIME_MAX, (double)RTA_TIME_MIN,
	    (double)RTA_TIME_MAX / 1e3, (double)RTA_TIME_MIN / 1e3,
	    (double)RTA_TIME_MAX / 1e6, (double)RTA_TIME_MIN / 1e6 };
	size_t u, e;
	int k;

	for (u = 0; u < 4; u++)
		for (e = 0; e < sizeof(edges) / sizeof(edges[0]); e++) {
			double v = edges[e];

			for (k = 0; k < 40; k++) {
				int64_t us = 0;

				if (rta_time_from_epoch(v, units[u], &us,
				    NULL) == RTA_OK)
					ck_assert_msg(us >= RTA_TIME_MIN &&
					    us <= RTA_TIME_MAX, "%.17g unit "
					    "%d gave %" PRId64, v, units[u],
					    us);
				v = v > 0 ? nextafter(v, INFINITY) :
				    nextafter(v, -INFINITY);
			}
		}
}
END_TEST

/* ---- rta_time_parse_any ------------------------------------------------ */

static int64_t
any(const char *s, enum rta_epoch_unit u, int want_rc)
{
	struct rta_error err;
	int64_t us = INT64_MIN;
	int rc;

	rta_error_clear(&err);
	rc = rta_time_parse_any(s, strlen(s), u, &us, &err);
	ck_assert_msg(rc == want_rc, "'%s': rc %d (%s)", s, rc, err.text);
	if (rc != RTA_OK)
		ck_assert_str_eq(err.reason, "bad-timestamp");
	return us;
}

START_TEST(parse_any)
{
	ck_assert_int_eq(any("1700000000", RTA_EPOCH_AUTO, RTA_OK),
	    1700000000 * US);
	ck_assert_int_eq(any("1700000000123", RTA_EPOCH_AUTO, RTA_OK),
	    1700000000123LL * 1000);
	ck_assert_int_eq(any("1700000000123456", RTA_EPOCH_AUTO, RTA_OK),
	    1700000000123456LL);
	ck_assert_int_eq(any("1700000000.5", RTA_EPOCH_AUTO, RTA_OK),
	    1700000000500000LL);
	ck_assert_int_eq(any("-1", RTA_EPOCH_AUTO, RTA_OK), -US);
	ck_assert_int_eq(any("0", RTA_EPOCH_AUTO, RTA_OK), 0);
	ck_assert_int_eq(any("1e9", RTA_EPOCH_AUTO, RTA_OK), 1000000000 * US);
	ck_assert_int_eq(any("1.7E9", RTA_EPOCH_AUTO, RTA_OK),
	    1700000000 * US);
	ck_assert_int_eq(any("1500", RTA_EPOCH_MS, RTA_OK), 1500000);
	ck_assert_int_eq(any("1500", RTA_EPOCH_US, RTA_OK), 1500);
	ck_assert_int_eq(any("2024-03-10T12:00:00Z", RTA_EPOCH_AUTO, RTA_OK),
	    civil_us(2024, 3, 10, 12, 0, 0));
	ck_assert_int_eq(any("2024-03-10T12:00:00.5+01:00", RTA_EPOCH_MS,
	    RTA_OK), civil_us(2024, 3, 10, 11, 0, 0) + 500000);
	any("", RTA_EPOCH_AUTO, RTA_EDATA);
	any("abc", RTA_EPOCH_AUTO, RTA_EDATA);
	any("12abc", RTA_EPOCH_AUTO, RTA_EDATA);
	any("1.2.3", RTA_EPOCH_AUTO, RTA_EDATA);
	any("2024-13-10T12:00:00Z", RTA_EPOCH_AUTO, RTA_EDATA);
	any("2024-03-10", RTA_EPOCH_AUTO, RTA_EDATA);
	any("99999999999999999999", RTA_EPOCH_AUTO, RTA_EDATA);
	any("1e300", RTA_EPOCH_AUTO, RTA_EDATA);
}
END_TEST

/* JSON number syntax includes negative exponents. */
START_TEST(parse_any_negative_exponent)
{
	ck_assert_int_eq(any("15e-1", RTA_EPOCH_S, RTA_OK), 1500000);
	ck_assert_int_eq(any("1.5e-3", RTA_EPOCH_S, RTA_OK), 1500);
	ck_assert_int_eq(any("17E-1", RTA_EPOCH_AUTO, RTA_OK), 1700000);
}
END_TEST

/* ---- rta_duration_parse ------------------------------------------------ */

static int64_t
dur(const char *s)
{
	struct rta_error err;
	int64_t us = -1;

	rta_error_clear(&err);
	ck_assert_msg(rta_duration_parse(s, &us, &err) == RTA_OK,
	    "'%s' rejected: %s", s, err.text);
	return us;
}

static void
dur_bad(const char *s)
{
	struct rta_error err;
	int64_t us = -12345;

	rta_error_clear(&err);
	ck_assert_msg(rta_duration_parse(s, &us, &err) == RTA_EINVAL,
	    "'%s' accepted as %" PRId64, s, us);
	ck_assert_str_eq(err.reason, "bad-duration");
	ck_assert_int_eq(us, -12345);
}

START_TEST(duration_units)
{
	ck_assert_int_eq(dur("250us"), 250);
	ck_assert_int_eq(dur("500ms"), 500000);
	ck_assert_int_eq(dur("90s"), 90 * US);
	ck_assert_int_eq(dur("5m"), 300 * US);
	ck_assert_int_eq(dur("2h"), 7200 * US);
	ck_assert_int_eq(dur("14d"), 14 * 86400 * US);
	ck_assert_int_eq(dur("1w"), 7 * 86400 * US);
	ck_assert_int_eq(dur("0s"), 0);
	ck_assert_int_eq(dur("1.5s"), 1500000);
	ck_assert_int_eq(dur("0.5ms"), 500);
	ck_assert_int_eq(dur(".25h"), 900 * US);
	ck_assert_int_eq(dur("1.5us"), 2);	/* rounded to the nearest */
}
END_TEST

START_TEST(duration_combinations)
{
	ck_assert_int_eq(dur("1h30m"), 5400 * US);
	ck_assert_int_eq(dur("1m30s"), 90 * US);
	ck_assert_int_eq(dur("1d12h"), 36 * 3600 * US);
	ck_assert_int_eq(dur("1w1d1h1m1s1ms1us"),
	    (8 * 86400 + 3661) * US + 1001);
	ck_assert_int_eq(dur("2m500ms"), 120500000);
	ck_assert_int_eq(dur("1.5h30m"), 2 * 3600 * US);
}
END_TEST

START_TEST(duration_bare)
{
	ck_assert_int_eq(dur("5"), 5 * US);
	ck_assert_int_eq(dur("0"), 0);
	ck_assert_int_eq(dur("1.25"), 1250000);
	ck_assert_int_eq(dur("86400"), 86400 * US);
}
END_TEST

START_TEST(duration_bad)
{
	struct rta_error err;
	int64_t us;

	dur_bad("");
	dur_bad("s");
	dur_bad("ms");
	dur_bad("abc");
	dur_bad("-5s");
	dur_bad("+5s");
	dur_bad("5x");
	dur_bad("5 s");
	dur_bad(" 5s");
	dur_bad("5s ");
	dur_bad("1h 30m");
	dur_bad("1h5");		/* a bare number only on its own */
	dur_bad("5S");
	dur_bad("5sec");
	dur_bad("5mn");
	dur_bad("1.5.5s");
	dur_bad("nan");
	dur_bad("inf");
	dur_bad("1e400s");
	dur_bad("200000000000000000000us");
	dur_bad("16000000w");
	/* the message quotes the input and suggests the syntax */
	rta_error_clear(&err);
	ck_assert_int_eq(rta_duration_parse("10parsecs", &us, &err),
	    RTA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "'10parsecs'"));
	ck_assert_ptr_nonnull(strstr(err.text, "1h30m"));
	/* a NULL err is allowed */
	ck_assert_int_eq(rta_duration_parse("x", &us, NULL), RTA_EINVAL);
}
END_TEST

/* ---- rta_time_parse_arg ------------------------------------------------ */

static const int64_t NOW = 1767225600LL * US + 123456;	/* 2026-01-01 */

static int64_t
arg(const char *s)
{
	struct rta_error err;
	int64_t us = INT64_MIN;

	rta_error_clear(&err);
	ck_assert_msg(rta_time_parse_arg(s, NOW, &us, &err) == RTA_OK,
	    "'%s' rejected: %s", s, err.text);
	return us;
}

static void
arg_bad(const char *s)
{
	struct rta_error err;
	int64_t us = -12345;
	int rc;

	rta_error_clear(&err);
	rc = rta_time_parse_arg(s, NOW, &us, &err);
	ck_assert_msg(rc != RTA_OK, "'%s' accepted as %" PRId64, s, us);
	ck_assert_msg(rc == RTA_EINVAL || rc == RTA_EDATA, "'%s': rc %d",
	    s, rc);
	ck_assert_str_eq(err.reason, "bad-timestamp");
	ck_assert_msg(err.text[0] != '\0', "'%s': no message", s);
}

START_TEST(parse_arg_now_and_relative)
{
	ck_assert_int_eq(NOW, civil_us(2026, 1, 1, 0, 0, 0) + 123456);
	ck_assert_int_eq(arg("now"), NOW);
	ck_assert_int_eq(arg("-24h"), NOW - 86400 * US);
	ck_assert_int_eq(arg("-1h30m"), NOW - 5400 * US);
	ck_assert_int_eq(arg("-500ms"), NOW - 500000);
	ck_assert_int_eq(arg("-1.5d"), NOW - 36 * 3600 * US);
	ck_assert_int_eq(arg("2h ago"), NOW - 7200 * US);
	ck_assert_int_eq(arg("24h ago"), NOW - 86400 * US);
	ck_assert_int_eq(arg("1d12h ago"), NOW - 36 * 3600 * US);
	ck_assert_int_eq(arg("90 ago"), NOW - 90 * US);
	arg_bad("-");
	arg_bad("-x");
	arg_bad("-h");
	arg_bad("yesterday ago");
	arg_bad("ago");
	arg_bad(" ago");
	arg_bad("2 hours ago");
	arg_bad("-24x");
	arg_bad("NOW");
	arg_bad("now ");
}
END_TEST

START_TEST(parse_arg_dates_and_epoch)
{
	ck_assert_int_eq(arg("2024-03-10"), civil_us(2024, 3, 10, 0, 0, 0));
	ck_assert_int_eq(arg("2024-02-29"), civil_us(2024, 2, 29, 0, 0, 0));
	ck_assert_int_eq(arg("0001-01-01"), RTA_TIME_MIN);
	ck_assert_int_eq(arg("2024-03-10T12:00:00Z"),
	    civil_us(2024, 3, 10, 12, 0, 0));
	ck_assert_int_eq(arg("2024-03-10 12:00:00+02:00"),
	    civil_us(2024, 3, 10, 10, 0, 0));
	ck_assert_int_eq(arg("1700000000"), 1700000000 * US);
	ck_assert_int_eq(arg("1700000000.25"), 1700000000250000LL);
	ck_assert_int_eq(arg("1700000000123"), 1700000000123LL * 1000);
	ck_assert_int_eq(arg("0"), 0);
	ck_assert_int_eq(arg("-5"), -5 * US);
	arg_bad("");
	arg_bad("yesterday");
	arg_bad("2024-02-30");
	arg_bad("2023-02-29");
	arg_bad("2024-13-01");
	arg_bad("2024-03-10T25:00:00Z");
	arg_bad("2024-03-10T12:00:00");
	arg_bad("17000000000x");
	arg_bad("1e999");
}
END_TEST

/* What parse_arg returns is a time rta can represent. */
START_TEST(parse_arg_range)
{
	static const char *const s[] = { "-3000000000000s", "-5000000d",
	    "4000000d ago", "-1000000w" };
	size_t i;

	/* 273 years back is fine */
	ck_assert_int_eq(arg("-100000d"), NOW - 100000LL * 86400 * US);

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		int64_t us = 0;
		int rc = rta_time_parse_arg(s[i], NOW, &us, NULL);

		ck_assert_msg(rc != RTA_OK || (us >= RTA_TIME_MIN &&
		    us <= RTA_TIME_MAX), "'%s' accepted as %" PRId64
		    ", outside the time range", s[i], us);
	}
}
END_TEST

/* ---- rta_now ----------------------------------------------------------- */

static int64_t
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

START_TEST(now_pinned_rfc3339)
{
	setenv("RTA_NOW", "2026-11-26T10:00:00.123456Z", 1);
	ck_assert_int_eq(rta_now(), civil_us(2026, 11, 26, 10, 0, 0) + 123456);
	/* pinned: it does not move, and the variable is read once */
	setenv("RTA_NOW", "2000-01-01T00:00:00Z", 1);
	ck_assert_int_eq(rta_now(), civil_us(2026, 11, 26, 10, 0, 0) + 123456);
}
END_TEST

START_TEST(now_pinned_forms)
{
	static const char *const forms[] = { "2026-01-01", "1767225600",
	    "1767225600000" };
	int64_t want = civil_us(2026, 1, 1, 0, 0, 0);

	/* _i picks the form: each runs in its own process */
	setenv("RTA_NOW", forms[_i], 1);
	ck_assert_int_eq(rta_now(), want);
	ck_assert_int_eq(rta_now(), want);
}
END_TEST

START_TEST(now_relative)
{
	int64_t before, got;

	setenv("RTA_NOW", "-1h", 1);
	before = wall();
	got = rta_now();
	ck_assert_int_ge(got, before - 3600 * US);
	ck_assert_int_le(got, wall() - 3600 * US);
	ck_assert_int_eq(rta_now(), got);
}
END_TEST

START_TEST(now_unpinned)
{
	int64_t a, b, c;
	struct timespec ts = { 0, 2000000 };

	if (_i == 0)
		unsetenv("RTA_NOW");
	else if (_i == 1)
		setenv("RTA_NOW", "", 1);
	else
		setenv("RTA_NOW", "not a time", 1);
	a = wall();
	b = rta_now();
	nanosleep(&ts, NULL);
	c = rta_now();
	ck_assert_int_ge(b, a);
	ck_assert_int_gt(c, b);
	ck_assert_int_le(c, wall());
}
END_TEST

static Suite *
time_suite(int forking)
{
	Suite *s = suite_create("rta_time");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, parse_basic);
	tcase_add_test(tc, parse_field_ranges);
	tcase_add_test(tc, parse_leap_years);
	tcase_add_test(tc, parse_leap_second);
	tcase_add_test(tc, parse_offsets);
	tcase_add_test(tc, parse_separators);
	tcase_add_test(tc, parse_fractions);
	tcase_add_test(tc, parse_year_edges);
	tcase_add_test(tc, parse_length_bounded);
	tcase_add_test(tc, parse_non_digits);
	tcase_add_test(tc, parse_canonical_runs);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, format_known);
	tcase_add_test(tc, format_round_trip);
	tcase_add_test(tc, format_vs_gmtime);
	tcase_add_test(tc, days_from_civil);
	suite_add_tcase(s, tc);

	tc = tcase_create("epoch");
	tcase_add_test(tc, epoch_auto_units);
	tcase_add_test(tc, epoch_explicit_units);
	tcase_add_test(tc, epoch_fractions);
	tcase_add_test(tc, epoch_overflow);
	tcase_add_test(tc, epoch_double_past_max);
	tcase_add_test(tc, epoch_never_out_of_range);
	tcase_add_test(tc, parse_any);
	tcase_add_test(tc, parse_any_negative_exponent);
	suite_add_tcase(s, tc);

	tc = tcase_create("duration");
	tcase_add_test(tc, duration_units);
	tcase_add_test(tc, duration_combinations);
	tcase_add_test(tc, duration_bare);
	tcase_add_test(tc, duration_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_arg");
	tcase_add_test(tc, parse_arg_now_and_relative);
	tcase_add_test(tc, parse_arg_dates_and_epoch);
	tcase_add_test(tc, parse_arg_range);
	suite_add_tcase(s, tc);

	/* RTA_NOW is read once per process: these need CK_FORK */
	if (forking) {
		tc = tcase_create("now");
		tcase_add_test(tc, now_pinned_rfc3339);
		tcase_add_loop_test(tc, now_pinned_forms, 0, 3);
		tcase_add_test(tc, now_relative);
		tcase_add_loop_test(tc, now_unpinned, 0, 3);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(NULL);
	srunner_add_suite(sr, time_suite(srunner_fork_status(sr) != CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
