/*
 * rta_crc32c.c: CRC-32C with the SSE 4.2 instruction when the CPU has it,
 * and a slicing-by-8 table otherwise.
 *
 * Checksums run over every frame twice in a pass-through stage (verify on
 * read, compute on write), so the hardware path matters: about 8 bytes per
 * cycle against about 1 for the table.  The choice is made once, on first
 * use, with the compiler's cpu probe; both paths give the same answers and
 * the unit test compares them.
 */
#include <stdint.h>
#include <string.h>

#include "rta_crc32c.h"

static uint32_t	table[8][256];
static int	table_ready;

static void
table_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (0x82F63B78U & (0U - (c & 1)));
		table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			table[j][i] = (table[j - 1][i] >> 8) ^
			    table[0][table[j - 1][i] & 0xff];
	table_ready = 1;
}

uint32_t
rta_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (!table_ready)
		table_init();
	crc = ~crc;
	while (len >= 8) {
		uint32_t lo = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;

		lo ^= crc;
		crc = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^
		    table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
		    table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^
		    table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>

__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t c = ~crc & 0xffffffffU;

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		c = _mm_crc32_u64(c, w);
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		c = _mm_crc32_u8((uint32_t)c, *p++);
	return ~(uint32_t)c;
}

static int have_hw = -1;

uint32_t
rta_crc32c(uint32_t crc, const void *buf, size_t len)
{
	if (have_hw < 0) {
		__builtin_cpu_init();
		have_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	}
	if (have_hw)
		return crc32c_hw(crc, buf, len);
	return rta_crc32c_sw(crc, buf, len);
}
#else
uint32_t
rta_crc32c(uint32_t crc, const void *buf, size_t len)
{
	return rta_crc32c_sw(crc, buf, len);
}
#endif
