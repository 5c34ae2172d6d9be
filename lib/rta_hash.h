/*
 * rta_hash.h: a seeded 64-bit hash for hash tables keyed by input data.
 *
 * Keys come from untrusted input (object keys, event ids, tenants), so the
 * tables are seeded per process: an attacker who does not know the seed
 * cannot choose keys that collide.  Tests may fix the seed with
 * RTA_HASH_SEED=N for reproducible layouts; results never depend on it.
 */
#ifndef RTA_HASH_H
#define RTA_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The process seed, chosen on first use from getrandom(2). */
uint64_t	rta_hash_seed(void);

/* Hash len bytes at p with the given seed. */
uint64_t	rta_hash64(const void *p, size_t len, uint64_t seed);

/* out[0] = rta_hash64(p, len, seed0), out[1] = rta_hash64(p, len, seed1),
 * in one pass over the bytes. */
void	rta_hash64_pair(const void *p, size_t len, uint64_t seed0,
	    uint64_t seed1, uint64_t out[2]);

#endif
