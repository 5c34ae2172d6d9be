/*
 * check_rta_pqenc.c: each Parquet page encoding written by the encoder
 * and read back by the decoder, in batches of awkward sizes: the
 * RLE/bit-packed hybrid at every bit width (values, definition levels
 * and their count), DELTA_BINARY_PACKED with deltas that wrap, and
 * BYTE_STREAM_SPLIT of 8- and 4-byte values.  And the decoders'
 * refusals: runs cut short, a delta header past its data, more values
 * asked than expected.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_pqenc.h"

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

/* n values of width w, with runs (so that both kinds of run occur). */
static void
fill(uint32_t *v, size_t n, unsigned w)
{
	uint32_t mask = w == 32 ? ~(uint32_t)0 : ((uint32_t)1 << w) - 1;
	size_t i = 0, k;

	while (i < n) {
		uint32_t x = (uint32_t)rng() & mask;

		k = rng() % 3 == 0 ? 1 + (size_t)(rng() % 40) : 1;
		while (k-- > 0 && i < n)
			v[i++] = x;
	}
}

START_TEST(bit_width)
{
	ck_assert_uint_eq(rta_bit_width(0), 0);
	ck_assert_uint_eq(rta_bit_width(1), 1);
	ck_assert_uint_eq(rta_bit_width(2), 2);
	ck_assert_uint_eq(rta_bit_width(255), 8);
	ck_assert_uint_eq(rta_bit_width(256), 9);
	ck_assert_uint_eq(rta_bit_width(UINT32_MAX), 32);
}
END_TEST

START_TEST(rle_round_trip)
{
	static const size_t sizes[] = { 0, 1, 7, 8, 9, 63, 300, 1025 };
	uint32_t v[1025], out[1025];
	unsigned char *p, *end;
	struct rta_rle r;
	size_t si, n, i, k;
	unsigned w;

	p = malloc(rta_enc_rle_bound(1025, 32));
	ck_assert_ptr_nonnull(p);
	for (w = 0; w <= 32; w++)
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			n = sizes[si];
			fill(v, n, w);
			end = rta_enc_rle(p, v, n, w);
			ck_assert(end <= p + rta_enc_rle_bound(n, w));
			rta_rle_init(&r, p, end, w, n);
			for (i = 0; i < n; i += k) {
				k = 1 + (size_t)(rng() % 70);
				if (k > n - i)
					k = n - i;
				ck_assert_ptr_null(rta_rle_get(&r, out + i, k));
			}
			ck_assert(memcmp(v, out, n * sizeof(*v)) == 0);
			ck_assert_ptr_nonnull(rta_rle_get(&r, out, 1));
		}
	free(p);
}
END_TEST

START_TEST(levels_round_trip)
{
	uint32_t v[2000];
	uint8_t out[2000];
	unsigned char p[4096];
	unsigned char *end;
	struct rta_rle r;
	uint64_t ones, want;
	size_t n, i, k;
	int round;

	ck_assert_uint_ge(sizeof(p), rta_enc_rle_bound(1000, 1));
	for (round = 0; round < 200; round++) {
		n = (size_t)(rng() % 1000);
		fill(v, n, 1);
		end = rta_enc_rle(p, v, n, 1);
		for (want = 0, i = 0; i < n; i++)
			want += v[i];
		rta_rle_init(&r, p, end, 1, n);
		ck_assert_ptr_null(rta_rle_count(r, &ones));
		ck_assert_uint_eq(ones, want);
		for (i = 0; i < n; i += k) {
			k = 1 + (size_t)(rng() % 20);
			if (k > n - i)
				k = n - i;
			ck_assert_ptr_null(rta_rle_levels(&r, out + i, k));
		}
		for (i = 0; i < n; i++)
			ck_assert_uint_eq(out[i], v[i]);
	}
}
END_TEST

START_TEST(rle_run_of_one_value)
{
	unsigned char p[16], *end;
	uint32_t out[100];
	struct rta_rle r;
	size_t i;

	end = rta_enc_rle_run(p, 5, 100, 3);
	rta_rle_init(&r, p, end, 3, 100);
	ck_assert_ptr_null(rta_rle_get(&r, out, 100));
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(out[i], 5);
}
END_TEST

START_TEST(rle_refusals)
{
	uint32_t v[64], out[64];
	unsigned char p[256], *end;
	struct rta_rle r;
	size_t i;

	for (i = 0; i < 64; i++)
		v[i] = (uint32_t)i;
	end = rta_enc_rle(p, v, 64, 6);
	/* every cut of the runs fails, and reads nothing past the cut */
	for (i = 0; i < (size_t)(end - p); i++) {
		unsigned char *cut = malloc(i + 1);

		ck_assert_ptr_nonnull(cut);
		memcpy(cut, p, i);
		rta_rle_init(&r, cut, cut + i, 6, 64);
		ck_assert_ptr_nonnull(rta_rle_get(&r, out, 64));
		free(cut);
	}
	/* a run value wider than its bit width */
	end = rta_enc_rle_run(p, 9, 10, 8);
	rta_rle_init(&r, p, end, 3, 10);
	ck_assert_str_eq(rta_rle_get(&r, out, 10),
	    "run value wider than its bit width");
}
END_TEST

static void
delta_trip(const int64_t *v, size_t n)
{
	struct rta_buf b;
	struct rta_delta d;
	uint64_t *out;
	size_t i, k;

	out = malloc((n + 1) * sizeof(*out));
	ck_assert_ptr_nonnull(out);
	rta_buf_init(&b);
	ck_assert_int_eq(rta_enc_delta(&b, (const unsigned char *)v, n), 0);
	ck_assert_ptr_null(rta_delta_init(&d, b.data, b.len, n));
	for (i = 0; i < n; i += k) {
		k = 1 + (size_t)(rng() % 150);
		if (k > n - i)
			k = n - i;
		ck_assert_ptr_null(rta_delta_get(&d, out + i, k));
	}
	for (i = 0; i < n; i++)
		ck_assert_msg(out[i] == (uint64_t)v[i], "value %zu of %zu", i,
		    n);
	ck_assert_ptr_nonnull(rta_delta_get(&d, out, 1));
	/*
	 * Cut short, in a buffer of just the bytes left: the decoder fails,
	 * or (when only a last miniblock's padding was cut) gives the same
	 * values, and reads nothing past the cut either way.
	 */
	for (i = 0; i < b.len && n > 0; i += 1 + i / 4) {
		unsigned char *cut = malloc(i + 1);

		ck_assert_ptr_nonnull(cut);
		memcpy(cut, b.data, i);
		if (rta_delta_init(&d, cut, i, n) == NULL &&
		    rta_delta_get(&d, out, n) == NULL)
			for (k = 0; k < n; k++)
				ck_assert(out[k] == (uint64_t)v[k]);
		free(cut);
	}
	rta_buf_release(&b);
	free(out);
}

START_TEST(delta_round_trip)
{
	static const size_t sizes[] = { 0, 1, 2, 31, 32, 33, 128, 129, 1000 };
	int64_t v[1000];
	size_t si, i, n;
	int kind;

	for (kind = 0; kind < 4; kind++)
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			n = sizes[si];
			for (i = 0; i < n; i++)
				switch (kind) {
				case 0:		/* timestamps a few µs apart */
					v[i] = i == 0 ? 1700000000000000 :
					    v[i - 1] + (int64_t)(rng() % 50);
					break;
				case 1:		/* anything: deltas wrap */
					v[i] = (int64_t)rng();
					break;
				case 2:		/* the extremes */
					v[i] = i % 2 ? INT64_MAX : INT64_MIN;
					break;
				default:	/* constant */
					v[i] = -3;
					break;
				}
			delta_trip(v, n);
		}
}
END_TEST

START_TEST(split_round_trip)
{
	static const size_t sizes[] = { 0, 1, 7, 8, 9, 17, 100 };
	uint64_t v[100], out[100];
	uint32_t v4[100], out4[100];
	unsigned char s4[400];
	struct rta_buf b;
	size_t si, i, n;
	int k;

	for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		n = sizes[si];
		for (i = 0; i < n; i++) {
			v[i] = rng();
			v4[i] = (uint32_t)rng();
		}
		rta_buf_init(&b);
		ck_assert_int_eq(rta_enc_split(&b, (const unsigned char *)v,
		    n), 0);
		ck_assert_uint_eq(b.len, 8 * n);
		rta_unsplit((unsigned char *)out, b.data, n, n, 8);
		for (i = 0; i < n; i++)
			ck_assert(out[i] == v[i]);
		rta_buf_release(&b);
		for (i = 0; i < n; i++)
			for (k = 0; k < 4; k++)
				s4[(size_t)k * n + i] =
				    (unsigned char)(v4[i] >> (8 * k));
		rta_unsplit((unsigned char *)out4, s4, n, n, 4);
		for (i = 0; i < n; i++)
			ck_assert_uint_eq(out4[i], v4[i]);
	}
}
END_TEST

START_TEST(plain_layouts)
{
	static const unsigned char bools[10] = { 1, 0, 1, 1, 0, 0, 0, 1, 0,
	    1 };
	uint64_t w[3] = { 1, 0x0102030405060708ULL, UINT64_MAX };
	uint32_t ix[20];
	struct rta_buf b;
	struct rta_rle r;
	uint32_t out[20];
	size_t i;

	rta_buf_init(&b);
	ck_assert_int_eq(rta_enc_bools(&b, bools, 10), 0);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_uint_eq(b.data[0], 0x8d);
	ck_assert_uint_eq(b.data[1], 0x02);
	rta_buf_release(&b);

	rta_buf_init(&b);
	ck_assert_int_eq(rta_enc_words(&b, (const unsigned char *)w, 3), 0);
	ck_assert_uint_eq(b.len, 24);
	ck_assert(rta_get_u64(b.data + 8) == w[1]);
	ck_assert_uint_eq(b.data[8], 0x08);
	rta_buf_release(&b);

	for (i = 0; i < 20; i++)
		ix[i] = (uint32_t)(i % 5);
	rta_buf_init(&b);
	ck_assert_int_eq(rta_enc_indices(&b, (const unsigned char *)ix, 20,
	    3), 0);
	ck_assert_uint_eq(b.data[0], 3);
	rta_rle_init(&r, b.data + 1, b.data + b.len, 3, 20);
	ck_assert_ptr_null(rta_rle_get(&r, out, 20));
	ck_assert(memcmp(out, ix, sizeof(ix)) == 0);
	rta_buf_release(&b);
}
END_TEST

static Suite *
pqenc_suite(void)
{
	Suite *s = suite_create("rta_pqenc");
	TCase *tc;

	tc = tcase_create("rle");
	tcase_add_test(tc, bit_width);
	tcase_add_test(tc, rle_round_trip);
	tcase_add_test(tc, levels_round_trip);
	tcase_add_test(tc, rle_run_of_one_value);
	tcase_add_test(tc, rle_refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, delta_round_trip);
	tcase_add_test(tc, split_round_trip);
	tcase_add_test(tc, plain_layouts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(pqenc_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
