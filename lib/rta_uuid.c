/*
 * rta_uuid.c: UUID v7 and v8 text.
 */
#define _DEFAULT_SOURCE
#include <string.h>
#include <sys/random.h>

#include "rta_hash.h"
#include "rta_uuid.h"

void
rta_uuid_format(char *out, const unsigned char b[16])
{
	static const char hex[] = "0123456789abcdef";
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
}

void
rta_uuid_v7_from(char *out, int64_t ms, uint64_t r1, uint64_t r2)
{
	unsigned char b[16];
	int i;

	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((r1 >> 8) & 0x0f));
	b[7] = (unsigned char)r1;
	b[8] = (unsigned char)(0x80 | ((r2 >> 56) & 0x3f));
	for (i = 9; i < 16; i++)
		b[i] = (unsigned char)(r2 >> (8 * (15 - i)));
	rta_uuid_format(out, b);
}

static uint64_t
random64(void)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = rta_hash64(&v, sizeof(v), rta_hash_seed()) ^ (uint64_t)(uintptr_t)&v;
	return v;
}

void
rta_uuid_v7(char *out, int64_t ms)
{
	static int64_t last_ms = -1;
	static uint64_t counter;

	if (ms > last_ms) {
		last_ms = ms;
		counter = random64() & 0x7ff;	/* room to count upwards */
	} else {
		ms = last_ms;			/* clock went back: stay put */
		if (++counter > 0xfff) {
			last_ms = ++ms;
			counter = random64() & 0x7ff;
		}
	}
	rta_uuid_v7_from(out, ms, counter, random64());
}

void
rta_uuid_v8_hash(char *out, const void *p, size_t len)
{
	unsigned char b[16];
	uint64_t h1 = rta_hash64(p, len, 0x7274612d75756964ULL),
	    h2 = rta_hash64(p, len, h1 ^ 0x9e3779b97f4a7c15ULL);
	int i;

	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h1 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
	}
	b[6] = (unsigned char)(0x80 | (b[6] & 0x0f));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	rta_uuid_format(out, b);
}
