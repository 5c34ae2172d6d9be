/*
 * rta_hash.c: a small multiply-mix hash in the wyhash family.
 *
 * Eight bytes at a time are folded with a 64x64->128 multiply, which mixes
 * well and costs a few cycles per word; short keys (ids, tenants, field
 * names) finish in one or two rounds.  It is not a MAC: the seed only keeps
 * collisions from being chosen in advance.
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "rta_hash.h"

static uint64_t	seed_value;
static int	seed_ready;

static uint64_t
mix(uint64_t a, uint64_t b)
{
	__extension__ unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

uint64_t
rta_hash_seed(void)
{
	const char *s;

	if (seed_ready)
		return seed_value;
	if ((s = getenv("RTA_HASH_SEED")) != NULL)
		seed_value = strtoull(s, NULL, 0);
	else if (getrandom(&seed_value, sizeof(seed_value), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(seed_value))
		seed_value = (uint64_t)(uintptr_t)&seed_value ^ 0x9e3779b97f4a7c15ULL;
	seed_ready = 1;
	return seed_value;
}

/* The last 1 to 16 bytes of a key (n of them at p) as two words. */
static inline void
tail_words(const unsigned char *p, size_t n, uint64_t *a, uint64_t *b)
{
	if (n > 8) {
		*a = rd64(p);
		*b = rd64(p + n - 8);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		*a = x;
		*b = y;
	} else if (n > 0) {
		*a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 |
		    p[n - 1];
		*b = 0;
	} else
		*a = *b = 0;
}

uint64_t
rta_hash64(const void *key, size_t len, uint64_t seed)
{
	static const uint64_t k0 = 0xa0761d6478bd642fULL,
	    k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
	const unsigned char *p = key;
	uint64_t h = seed ^ k0, a, b;
	size_t n = len;

	while (n > 16) {
		h = mix(rd64(p) ^ k1, rd64(p + 8) ^ h);
		p += 16;
		n -= 16;
	}
	tail_words(p, n, &a, &b);
	return mix(k2 ^ len, mix(a ^ k1, b ^ h));
}

/*
 * rta_hash64 under two seeds in one pass: the words are read once and
 * the two chains of multiplies, being independent, overlap.
 */
void
rta_hash64_pair(const void *key, size_t len, uint64_t seed0, uint64_t seed1,
    uint64_t out[2])
{
	static const uint64_t k0 = 0xa0761d6478bd642fULL,
	    k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
	const unsigned char *p = key;
	uint64_t h0 = seed0 ^ k0, h1 = seed1 ^ k0, a, b, x;
	size_t n = len;

	while (n > 16) {
		x = rd64(p) ^ k1;
		b = rd64(p + 8);
		h0 = mix(x, b ^ h0);
		h1 = mix(x, b ^ h1);
		p += 16;
		n -= 16;
	}
	tail_words(p, n, &a, &b);
	out[0] = mix(k2 ^ len, mix(a ^ k1, b ^ h0));
	out[1] = mix(k2 ^ len, mix(a ^ k1, b ^ h1));
}
