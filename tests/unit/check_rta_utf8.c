/*
 * check_rta_utf8.c: the validator against a reference written here.
 *
 * The reference decodes each sequence to its code point and applies the
 * rules of RFC 3629 to the number (shortest form, no surrogates, at most
 * U+10FFFF), where rta_utf8.c compares byte ranges; the two must agree on
 * every 1, 2 and 3 byte sequence, on 4 byte sequences built from every
 * lead and second byte with representative tails, and on random buffers.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_utf8.h"

#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

/* Length of the valid sequence at p, or 0; *cp gets its code point. */
static size_t
ref_seqlen(const unsigned char *p, size_t len, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n, i;
	uint32_t v;

	if (len == 0)
		return 0;
	if ((p[0] & 0x80) == 0) {
		n = 1;
		v = p[0];
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		v = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		v = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		v = p[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = v;
	return n;
}

static int
ref_valid(const unsigned char *p, size_t len, size_t *bad)
{
	size_t i = 0, n;

	while (i < len) {
		if ((n = ref_seqlen(p + i, len - i, NULL)) == 0) {
			*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Compare both functions on the n bytes at p (and every shorter len). */
static void
compare(const unsigned char *p, size_t n)
{
	size_t k, a, b, bad = (size_t)-1, rbad = (size_t)-1;
	int v, rv;

	for (k = 0; k <= n; k++) {
		a = rta_utf8_seqlen(p, k);
		b = ref_seqlen(p, k, NULL);
		CHECK(a == b, "seqlen %02x %02x %02x %02x (len %zu): %zu, "
		    "reference %zu", p[0], n > 1 ? p[1] : 0, n > 2 ? p[2] : 0,
		    n > 3 ? p[3] : 0, k, a, b);
	}
	v = rta_utf8_valid(p, n, &bad);
	rv = ref_valid(p, n, &rbad);
	CHECK(v == rv, "valid %02x %02x %02x %02x (len %zu): %d, "
	    "reference %d", p[0], n > 1 ? p[1] : 0, n > 2 ? p[2] : 0,
	    n > 3 ? p[3] : 0, n, v, rv);
	CHECK(v || bad == rbad, "bad offset %zu, reference %zu", bad, rbad);
}

START_TEST(all_one_and_two_byte)
{
	unsigned char b[2];
	unsigned i, j;

	for (i = 0; i < 256; i++) {
		b[0] = (unsigned char)i;
		compare(b, 1);
		for (j = 0; j < 256; j++) {
			b[1] = (unsigned char)j;
			compare(b, 2);
		}
	}
}
END_TEST

START_TEST(all_three_byte)
{
	unsigned char b[3];
	unsigned i;

	for (i = 0; i < (1U << 24); i++) {
		b[0] = (unsigned char)(i >> 16);
		b[1] = (unsigned char)(i >> 8);
		b[2] = (unsigned char)i;
		/* the cheap comparison for the bulk, full on leads >= 0xe0 */
		if (b[0] < 0xe0) {
			size_t bad = 0, rbad = 0;

			CHECK(rta_utf8_seqlen(b, 3) == ref_seqlen(b, 3, NULL),
			    "seqlen %02x %02x %02x", b[0], b[1], b[2]);
			CHECK(rta_utf8_valid(b, 3, &bad) ==
			    ref_valid(b, 3, &rbad), "valid %02x %02x %02x",
			    b[0], b[1], b[2]);
		} else
			compare(b, 3);
	}
}
END_TEST

/* Every lead and second byte; tails from each class of byte. */
START_TEST(four_byte)
{
	static const unsigned char tail[] = { 0x00, 0x41, 0x7f, 0x80, 0x81,
	    0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xf4, 0xf5,
	    0xff };
	const size_t nt = sizeof(tail);
	unsigned char b[4];
	unsigned i, j;
	size_t k, l;

	for (i = 0; i < 256; i++)
		for (j = 0; j < 256; j++)
			for (k = 0; k < nt; k++)
				for (l = 0; l < nt; l++) {
					b[0] = (unsigned char)i;
					b[1] = (unsigned char)j;
					b[2] = tail[k];
					b[3] = tail[l];
					compare(b, 4);
				}
}
END_TEST

/* Every code point: encode, then both decoders agree on it. */
START_TEST(encode_all)
{
	unsigned char b[4];
	uint32_t cp, back;
	size_t n, want;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		n = rta_utf8_encode(b, cp);
		CHECK(n == want, "U+%04X: %zu bytes, want %zu", cp, n, want);
		CHECK(ref_seqlen(b, n, &back) == n && back == cp,
		    "U+%04X encodes to something else", cp);
		CHECK(rta_utf8_seqlen(b, n) == n, "U+%04X: seqlen", cp);
		CHECK(rta_utf8_valid(b, n, NULL), "U+%04X: not valid", cp);
	}
}
END_TEST

START_TEST(known_sequences)
{
	size_t bad = 99;

	ck_assert(rta_utf8_valid("", 0, NULL));
	ck_assert(rta_utf8_valid("plain ascii text", 16, NULL));
	ck_assert(rta_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    14, NULL));
	ck_assert(rta_utf8_valid("\0\0\0", 3, NULL));	/* NUL is valid */
	ck_assert(!rta_utf8_valid("abc\xc0\xaf", 5, &bad));	/* overlong */
	ck_assert_uint_eq(bad, 3);
	/* a surrogate */
	ck_assert(!rta_utf8_valid("\xed\xa0\x80", 3, &bad));
	ck_assert_uint_eq(bad, 0);
	ck_assert(!rta_utf8_valid("ab\xf4\x90\x80\x80", 6, &bad));
	ck_assert_uint_eq(bad, 2);
	ck_assert(!rta_utf8_valid("abcdefghij\xe2\x82", 12, &bad));
	ck_assert_uint_eq(bad, 10);			/* cut at the end */
	ck_assert(!rta_utf8_valid("\x80", 1, &bad));
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(rta_utf8_seqlen((const unsigned char *)"a", 0), 0);
	ck_assert(rta_utf8_valid("\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7, NULL));
}
END_TEST

/* Build a buffer of mostly valid text with occasional damage. */
static size_t
make_buffer(unsigned char *b, size_t cap)
{
	size_t n = 0;

	while (n + 4 <= cap) {
		uint64_t r = rng();
		uint32_t cp;

		switch (r % 8) {
		case 0: case 1: case 2:	/* ASCII runs: the fast path */
			{
				size_t k = (size_t)(r >> 8) % 24;

				while (k-- > 0 && n < cap)
					b[n++] = (unsigned char)(0x20 +
					    (rng() % 95));
			}
			break;
		case 3:
			cp = 0x80 + (uint32_t)((r >> 8) % (0x800 - 0x80));
			n += rta_utf8_encode(b + n, cp);
			break;
		case 4:
			cp = 0x800 + (uint32_t)((r >> 8) % (0x10000 - 0x800));
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			n += rta_utf8_encode(b + n, cp);
			break;
		case 5:
			cp = 0x10000 + (uint32_t)((r >> 8) % 0x100000);
			n += rta_utf8_encode(b + n, cp);
			break;
		case 6:
			if ((r >> 8) % 16 == 0)	/* one random byte */
				b[n++] = (unsigned char)(r >> 16);
			break;
		default:
			if ((r >> 8) % 32 == 0 && n > 0)	/* cut a char */
				n--;
			break;
		}
	}
	return n;
}

START_TEST(random_buffers)
{
	unsigned char b[600];
	size_t bad, rbad, n, off;
	int i, v, rv, invalid = 0;

	for (i = 0; i < 20000; i++) {
		n = make_buffer(b, sizeof(b));
		for (off = 0; off < 8 && off < n; off += 3) {
			bad = rbad = (size_t)-1;
			v = rta_utf8_valid(b + off, n - off, &bad);
			rv = ref_valid(b + off, n - off, &rbad);
			CHECK(v == rv, "buffer %d at %zu: %d, reference %d", i,
			    off, v, rv);
			CHECK(v || bad == rbad, "buffer %d: bad at %zu, "
			    "reference %zu", i, bad, rbad);
			invalid += !v;
		}
	}
	/* both outcomes were exercised */
	ck_assert_int_gt(invalid, 1000);
	ck_assert_int_lt(invalid, 59000);
}
END_TEST

/* Pure random bytes, and ASCII with one high byte at every position. */
START_TEST(random_bytes)
{
	unsigned char b[64];
	size_t bad, rbad, i, pos;
	int k;

	for (k = 0; k < 200000; k++) {
		size_t n = rng() % sizeof(b);

		for (i = 0; i < n; i++)
			b[i] = (unsigned char)rng();
		bad = rbad = 0;
		CHECK(rta_utf8_valid(b, n, &bad) == ref_valid(b, n, &rbad) &&
		    bad == rbad, "random buffer %d", k);
	}
	for (pos = 0; pos < sizeof(b); pos++) {
		memset(b, 'a', sizeof(b));
		b[pos] = 0xff;
		bad = 0;
		ck_assert(!rta_utf8_valid(b, sizeof(b), &bad));
		ck_assert_uint_eq(bad, pos);
		ck_assert(rta_utf8_valid(b, pos, NULL));
	}
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite *s = suite_create("rta_utf8");
	TCase *tc;

	tc = tcase_create("seqlen");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, all_one_and_two_byte);
	tcase_add_test(tc, all_three_byte);
	tcase_add_test(tc, four_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, encode_all);
	suite_add_tcase(s, tc);

	tc = tcase_create("valid");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, known_sequences);
	tcase_add_test(tc, random_buffers);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(utf8_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
