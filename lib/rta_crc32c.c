/*
 * rta_crc32c.c: CRC-32C with the SSE 4.2 instruction when the CPU has it,
 * and a slicing-by-8 table otherwise.
 *
 * Checksums run over every frame twice in a pass-through stage (verify on
 * read, compute on write), so the hardware path matters.  The crc32
 * instruction has a latency of three cycles but a throughput of one, so a
 * single dependent chain wastes two thirds of it: blocks of 3 x 64 bytes
 * (and 3 x 1024 for long buffers) are summed as three independent chains
 * and combined by "shifting" the first CRCs over the bytes that follow
 * them, which is multiplying by x^(8n) modulo the polynomial, done with
 * four table lookups (Mark Adler's method).  A 200-byte frame costs about
 * a third of the cycles of the plain loop.  Tables are built once, before
 * main, by a constructor; the unit test compares every path.
 */
#include <stdint.h>
#include <string.h>

#include "rta_crc32c.h"

#define POLY	0x82F63B78U
#define SHORT	64
#define LONG	1024

static uint32_t	table[8][256];
static uint32_t	ieee[8][256];	/* CRC-32, for Parquet pages */
static uint32_t	zeros_short[4][256];
static uint32_t	zeros_long[4][256];

static uint32_t
gf2_times(const uint32_t *mat, uint32_t vec)
{
	uint32_t sum = 0;

	while (vec) {
		if (vec & 1)
			sum ^= *mat;
		vec >>= 1;
		mat++;
	}
	return sum;
}

static void
gf2_square(uint32_t *square, const uint32_t *mat)
{
	int n;

	for (n = 0; n < 32; n++)
		square[n] = gf2_times(mat, mat[n]);
}

/* The operator that appends len zero bytes (len a power of two). */
static void
zeros_op(uint32_t *even, size_t len)
{
	uint32_t odd[32], row = 1;
	int n;

	odd[0] = POLY;
	for (n = 1; n < 32; n++) {
		odd[n] = row;
		row <<= 1;
	}
	gf2_square(even, odd);		/* two zero bits */
	gf2_square(odd, even);		/* four zero bits */
	do {
		gf2_square(even, odd);
		len >>= 1;
		if (len == 0)
			return;
		gf2_square(odd, even);
		len >>= 1;
	} while (len);
	memcpy(even, odd, sizeof(odd));
}

/*
 * zeros[k][n] is op times n << 8k.  The product is linear in n, so each
 * entry is an earlier one (n without its lowest set bit) and the column
 * of that bit: one XOR each, where a product would take a loop (every
 * program builds these tables as it starts).
 */
static void
zeros_table(uint32_t zeros[4][256], size_t len)
{
	uint32_t op[32], n;
	int k;

	zeros_op(op, len);
	for (k = 0; k < 4; k++) {
		zeros[k][0] = 0;
		for (n = 1; n < 256; n++)
			zeros[k][n] = zeros[k][n & (n - 1)] ^
			    op[8 * k + __builtin_ctz(n)];
	}
}

static uint32_t
shift(uint32_t zeros[4][256], uint32_t crc)
{
	return zeros[0][crc & 0xff] ^ zeros[1][(crc >> 8) & 0xff] ^
	    zeros[2][(crc >> 16) & 0xff] ^ zeros[3][crc >> 24];
}

#if defined(__x86_64__) && defined(__GNUC__)
static int have_hw;
static int have_clmul;
#endif

__attribute__((constructor)) static void
tables_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (POLY & (0U - (c & 1)));
		table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			table[j][i] = (table[j - 1][i] >> 8) ^
			    table[0][table[j - 1][i] & 0xff];
	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (0xEDB88320U & (0U - (c & 1)));
		ieee[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			ieee[j][i] = (ieee[j - 1][i] >> 8) ^
			    ieee[0][ieee[j - 1][i] & 0xff];
	zeros_table(zeros_short, SHORT);
	zeros_table(zeros_long, LONG);
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	have_hw = __builtin_cpu_supports("sse4.2");
	have_clmul = __builtin_cpu_supports("pclmul") &&
	    __builtin_cpu_supports("sse4.1");
#endif
}

/* Slicing by eight with the tables t of a reflected CRC-32. */
static uint32_t
slice8(uint32_t t[8][256], uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	crc = ~crc;
	while (len >= 8) {
		uint32_t lo = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;

		lo ^= crc;
		crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
		    t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
		    t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
		    t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

uint32_t
rta_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	return slice8(table, crc, buf, len);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>
#include <wmmintrin.h>

/* a × k, the low halves and the high halves, summed: 128 bits folded */
__attribute__((target("pclmul,sse4.1"))) static inline __m128i
fold(__m128i a, __m128i k)
{
	return _mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x00),
	    _mm_clmulepi64_si128(a, k, 0x11));
}

/*
 * CRC-32 of len >= 64 bytes by carry-less multiplication (Intel's
 * "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ"): four
 * 128-bit lanes folded forward 512 bits at a time, then into one lane,
 * which with the last bytes has the CRC of the whole: the table gives
 * it from the lane's 16 bytes, which is the paper's final reduction.
 * The constants are x^(512±32) and x^(128±32) mod P, bit-reflected.
 */
__attribute__((target("pclmul,sse4.1"))) static uint32_t
crc32_clmul(uint32_t crc, const unsigned char *p, size_t len)
{
	const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
	__m128i x0, x1, x2, x3;
	unsigned char lane[16];

	x0 = _mm_loadu_si128((const __m128i *)(const void *)p);
	x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
	x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
	x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
	x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)~crc));
	p += 64;
	len -= 64;
	while (len >= 64) {
		x0 = _mm_xor_si128(fold(x0, k1k2),
		    _mm_loadu_si128((const __m128i *)(const void *)p));
		x1 = _mm_xor_si128(fold(x1, k1k2),
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 16)));
		x2 = _mm_xor_si128(fold(x2, k1k2),
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 32)));
		x3 = _mm_xor_si128(fold(x3, k1k2),
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 48)));
		p += 64;
		len -= 64;
	}
	x1 = _mm_xor_si128(fold(x0, k3k4), x1);
	x2 = _mm_xor_si128(fold(x1, k3k4), x2);
	x3 = _mm_xor_si128(fold(x2, k3k4), x3);
	while (len >= 16) {
		x3 = _mm_xor_si128(fold(x3, k3k4),
		    _mm_loadu_si128((const __m128i *)(const void *)p));
		p += 16;
		len -= 16;
	}
	_mm_storeu_si128((__m128i *)(void *)lane, x3);
	/* the lane from a zero register (~0 undone), then the rest */
	return slice8(ieee, slice8(ieee, 0xffffffffU, lane, 16), p, len);
}

uint32_t
rta_crc32(uint32_t crc, const void *buf, size_t len)
{
	if (have_clmul && len >= 64)
		return crc32_clmul(crc, buf, len);
	return slice8(ieee, crc, buf, len);
}

static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *next = buf, *end;
	uint64_t crc0 = ~crc & 0xffffffffU, crc1, crc2;

	while (len >= LONG * 3) {
		crc1 = crc2 = 0;
		end = next + LONG;
		do {
			crc0 = _mm_crc32_u64(crc0, load64(next));
			crc1 = _mm_crc32_u64(crc1, load64(next + LONG));
			crc2 = _mm_crc32_u64(crc2, load64(next + 2 * LONG));
			next += 8;
		} while (next < end);
		crc0 = shift(zeros_long, (uint32_t)crc0) ^ crc1;
		crc0 = shift(zeros_long, (uint32_t)crc0) ^ crc2;
		next += LONG * 2;
		len -= LONG * 3;
	}
	while (len >= SHORT * 3) {
		crc1 = crc2 = 0;
		end = next + SHORT;
		do {
			crc0 = _mm_crc32_u64(crc0, load64(next));
			crc1 = _mm_crc32_u64(crc1, load64(next + SHORT));
			crc2 = _mm_crc32_u64(crc2, load64(next + 2 * SHORT));
			next += 8;
		} while (next < end);
		crc0 = shift(zeros_short, (uint32_t)crc0) ^ crc1;
		crc0 = shift(zeros_short, (uint32_t)crc0) ^ crc2;
		next += SHORT * 2;
		len -= SHORT * 3;
	}
	while (len >= 8) {
		crc0 = _mm_crc32_u64(crc0, load64(next));
		next += 8;
		len -= 8;
	}
	/* the last 0-7 bytes in at most three steps, not seven */
	if (len >= 4) {
		uint32_t w;

		memcpy(&w, next, 4);
		crc0 = _mm_crc32_u32((uint32_t)crc0, w);
		next += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, next, 2);
		crc0 = _mm_crc32_u16((uint32_t)crc0, h);
		next += 2;
		len -= 2;
	}
	if (len > 0)
		crc0 = _mm_crc32_u8((uint32_t)crc0, *next);
	return ~(uint32_t)crc0;
}

uint32_t
rta_crc32c(uint32_t crc, const void *buf, size_t len)
{
	if (have_hw)
		return crc32c_hw(crc, buf, len);
	return rta_crc32c_sw(crc, buf, len);
}

__attribute__((target("sse4.2"))) static uint32_t
crc32c_6_hw(const unsigned char *p)
{
	uint32_t w;
	uint16_t h;

	memcpy(&w, p, 4);
	memcpy(&h, p + 4, 2);
	return ~_mm_crc32_u16(_mm_crc32_u32(0xffffffffU, w), h);
}

uint32_t
rta_crc32c_6(const void *p)
{
	if (have_hw)
		return crc32c_6_hw(p);
	return rta_crc32c_sw(0, p, 6);
}
#else
uint32_t
rta_crc32(uint32_t crc, const void *buf, size_t len)
{
	return slice8(ieee, crc, buf, len);
}

uint32_t
rta_crc32c_6(const void *p)
{
	return rta_crc32c_sw(0, p, 6);
}

uint32_t
rta_crc32c(uint32_t crc, const void *buf, size_t len)
{
	return rta_crc32c_sw(crc, buf, len);
}
#endif
