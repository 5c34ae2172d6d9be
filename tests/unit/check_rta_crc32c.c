/*
 * check_rta_crc32c.c: CRC-32C against its published check values and a
 * bit-at-a-time reference, the hardware path against the table path on
 * every length and alignment, and incremental use against one shot.
 * The gzip CRC-32 (its carry-less multiplication path from 64 bytes)
 * against its own bit-at-a-time reference the same ways.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_crc32c.h"

#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

/* The definition, one bit at a time (reflected polynomial 0x82F63B78). */
static uint32_t
ref_crc32c(uint32_t crc, const unsigned char *p, size_t len)
{
	int k;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78U : crc >> 1;
	}
	return ~crc;
}

/* CRC-32 by the definition (reflected polynomial 0xEDB88320). */
static uint32_t
ref_crc32(uint32_t crc, const unsigned char *p, size_t len)
{
	int k;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320U : crc >> 1;
	}
	return ~crc;
}

static uint64_t rng_state = 0x0123456789abcdefULL;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

START_TEST(catalogue_check_value)
{
	ck_assert_uint_eq(rta_crc32c(0, "123456789", 9), 0xE3069283U);
	ck_assert_uint_eq(rta_crc32c_sw(0, "123456789", 9), 0xE3069283U);
	ck_assert_uint_eq(ref_crc32c(0, (const unsigned char *)"123456789",
	    9), 0xE3069283U);
}
END_TEST

/* The gzip CRC-32 of Parquet page headers: the catalogue's check value,
 * and any split of the input gives the same CRC. */
START_TEST(ieee_check_value)
{
	unsigned char buf[1000];
	uint32_t whole;
	size_t i, k;

	ck_assert_uint_eq(rta_crc32(0, "123456789", 9), 0xCBF43926U);
	ck_assert_uint_eq(rta_crc32(0, "", 0), 0);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	whole = rta_crc32(0, buf, sizeof(buf));
	for (k = 0; k < sizeof(buf); k += 37)
		ck_assert_uint_eq(rta_crc32(rta_crc32(0, buf, k), buf + k,
		    sizeof(buf) - k), whole);
}
END_TEST

/*
 * CRC-32 of every length to 600 at every alignment to 16 from random
 * seeds, and random lengths to 64 KiB: the reference's answer.
 */
START_TEST(ieee_vs_reference)
{
	static unsigned char buf[65536 + 16];
	size_t i, len, off;
	uint32_t seed;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng();
	for (len = 0; len <= 600; len++)
		for (off = 0; off < 16; off++) {
			seed = (uint32_t)rng();
			CHECK(rta_crc32(seed, buf + off, len) ==
			    ref_crc32(seed, buf + off, len),
			    "length %zu, offset %zu", len, off);
		}
	for (i = 0; i < 200; i++) {
		len = (size_t)(rng() % 65536);
		off = (size_t)(rng() % 16);
		seed = i % 2 ? 0 : (uint32_t)rng();
		CHECK(rta_crc32(seed, buf + off, len) ==
		    ref_crc32(seed, buf + off, len), "length %zu, offset %zu",
		    len, off);
	}
}
END_TEST

/* The iSCSI test vectors of RFC 3720, appendix B.4. */
START_TEST(rfc3720_vectors)
{
	unsigned char b[32];
	int i;

	memset(b, 0, sizeof(b));
	ck_assert_uint_eq(rta_crc32c(0, b, 32), 0x8A9136AAU);
	ck_assert_uint_eq(rta_crc32c_sw(0, b, 32), 0x8A9136AAU);
	memset(b, 0xff, sizeof(b));
	ck_assert_uint_eq(rta_crc32c(0, b, 32), 0x62A8AB43U);
	ck_assert_uint_eq(rta_crc32c_sw(0, b, 32), 0x62A8AB43U);
	for (i = 0; i < 32; i++)
		b[i] = (unsigned char)i;
	ck_assert_uint_eq(rta_crc32c(0, b, 32), 0x46DD794EU);
	ck_assert_uint_eq(rta_crc32c_sw(0, b, 32), 0x46DD794EU);
	for (i = 0; i < 32; i++)
		b[i] = (unsigned char)(31 - i);
	ck_assert_uint_eq(rta_crc32c(0, b, 32), 0x113FDB5CU);
	ck_assert_uint_eq(rta_crc32c_sw(0, b, 32), 0x113FDB5CU);
}
END_TEST

START_TEST(empty)
{
	ck_assert_uint_eq(rta_crc32c(0, "", 0), 0);
	ck_assert_uint_eq(rta_crc32c_sw(0, "", 0), 0);
	ck_assert_uint_eq(rta_crc32c(0, NULL, 0), 0);
	/* no bytes leave a running CRC as it was */
	ck_assert_uint_eq(rta_crc32c(0xE3069283U, "", 0), 0xE3069283U);
	ck_assert_uint_eq(rta_crc32c_sw(0xdeadbeefU, "", 0), 0xdeadbeefU);
}
END_TEST

/* Every length 0..1024 at every misalignment 0..15, both paths. */
START_TEST(hw_vs_sw_all_lengths)
{
	static unsigned char buf[1024 + 16];
	size_t len, off, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng();
	for (len = 0; len <= 1024; len++)
		for (off = 0; off < 16; off++) {
			uint32_t hw = rta_crc32c(0, buf + off, len);
			uint32_t sw = rta_crc32c_sw(0, buf + off, len);

			CHECK(hw == sw, "len %zu off %zu: %08x vs sw %08x",
			    len, off, hw, sw);
			if (off == 0 || off == 5)
				CHECK(sw == ref_crc32c(0, buf + off, len),
				    "len %zu off %zu: sw %08x vs reference",
				    len, off, sw);
		}
}
END_TEST

/* Lengths around the three-way blocks of 3 x 64 and 3 x 1024 bytes. */
START_TEST(hw_vs_sw_block_edges)
{
	static const size_t base[] = { 191, 383, 3071, 6143, 9215, 12287,
	    65536 };
	static unsigned char buf[65536 + 64];
	size_t i, b, len, off;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng();
	for (b = 0; b < sizeof(base) / sizeof(base[0]); b++)
		for (len = base[b] > 8 ? base[b] - 8 : 0; len <= base[b] + 10 &&
		    len <= 65536; len++)
			for (off = 0; off < 8; off += 3) {
				uint32_t seed = (uint32_t)rng();

				CHECK(rta_crc32c(seed, buf + off, len) ==
				    rta_crc32c_sw(seed, buf + off, len),
				    "len %zu off %zu", len, off);
			}
	ck_assert_uint_eq(rta_crc32c_sw(0, buf, 65536),
	    ref_crc32c(0, buf, 65536));
}
END_TEST

/* The six-byte shortcut (frame header checks) equals the general one. */
START_TEST(six_bytes)
{
	unsigned char buf[16];
	int k, off;

	ck_assert_uint_eq(rta_crc32c_6("123456"), rta_crc32c(0, "123456", 6));
	ck_assert_uint_eq(rta_crc32c_6("123456"),
	    ref_crc32c(0, (const unsigned char *)"123456", 6));
	for (k = 0; k < 100000; k++) {
		for (off = 0; off < 16; off++)
			buf[off] = (unsigned char)rng();
		off = k % 10;
		CHECK(rta_crc32c_6(buf + off) == rta_crc32c_sw(0, buf + off, 6),
		    "case %d", k);
	}
}
END_TEST

/* Fresh random data for each case, with a random starting CRC. */
START_TEST(hw_vs_sw_random)
{
	static unsigned char buf[10000 + 8];
	int k;

	for (k = 0; k < 3000; k++) {
		size_t len = rng() % 10001, off = rng() % 8, i;
		uint32_t seed = (uint32_t)rng();

		for (i = 0; i < len + off; i++)
			buf[i] = (unsigned char)rng();
		CHECK(rta_crc32c(seed, buf + off, len) ==
		    rta_crc32c_sw(seed, buf + off, len), "case %d", k);
		if (k % 50 == 0)
			CHECK(rta_crc32c_sw(seed, buf + off, len) ==
			    ref_crc32c(seed, buf + off, len), "case %d", k);
	}
}
END_TEST

/* crc(a||b) == crc(crc(a), b), for every split point. */
START_TEST(incremental)
{
	static unsigned char buf[7777];
	size_t i, j;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng();
	for (i = 0; i <= sizeof(buf); i++) {
		uint32_t one = rta_crc32c(0, buf, sizeof(buf));

		CHECK(rta_crc32c(rta_crc32c(0, buf, i), buf + i,
		    sizeof(buf) - i) == one, "split at %zu", i);
		CHECK(rta_crc32c_sw(rta_crc32c_sw(0, buf, i), buf + i,
		    sizeof(buf) - i) == one, "sw split at %zu", i);
		/* and mixed: start on one path, go on with the other */
		CHECK(rta_crc32c_sw(rta_crc32c(0, buf, i), buf + i,
		    sizeof(buf) - i) == one, "mixed split at %zu", i);
	}
	/* byte by byte */
	{
		uint32_t c = 0, s = 0;

		for (j = 0; j < sizeof(buf); j++) {
			c = rta_crc32c(c, buf + j, 1);
			s = rta_crc32c_sw(s, buf + j, 1);
		}
		ck_assert_uint_eq(c, rta_crc32c(0, buf, sizeof(buf)));
		ck_assert_uint_eq(s, c);
	}
}
END_TEST

/* A single flipped bit anywhere changes the checksum. */
START_TEST(detects_bit_flips)
{
	unsigned char buf[256];
	uint32_t base;
	size_t i;
	int b;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng();
	base = rta_crc32c(0, buf, sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		for (b = 0; b < 8; b++) {
			buf[i] ^= (unsigned char)(1 << b);
			CHECK(rta_crc32c(0, buf, sizeof(buf)) != base,
			    "flip at byte %zu bit %d undetected", i, b);
			buf[i] ^= (unsigned char)(1 << b);
		}
	ck_assert_uint_eq(rta_crc32c(0, buf, sizeof(buf)), base);
}
END_TEST

static Suite *
crc32c_suite(void)
{
	Suite *s = suite_create("rta_crc32c");
	TCase *tc;

	tc = tcase_create("values");
	tcase_add_test(tc, catalogue_check_value);
	tcase_add_test(tc, ieee_check_value);
	tcase_add_test(tc, ieee_vs_reference);
	tcase_add_test(tc, rfc3720_vectors);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, detects_bit_flips);
	suite_add_tcase(s, tc);

	tc = tcase_create("paths");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hw_vs_sw_all_lengths);
	tcase_add_test(tc, hw_vs_sw_block_edges);
	tcase_add_test(tc, hw_vs_sw_random);
	tcase_add_test(tc, six_bytes);
	tcase_add_test(tc, incremental);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(crc32c_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
