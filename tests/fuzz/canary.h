/*
 * canary.h: the planted bug every fuzz target carries.
 *
 * An input starting "RTA-CANARY" makes canary() read one byte past a
 * heap block, which ASan must report: `make check-fuzz` replays
 * tests/fuzz/canary.bin through each target and fails if that passes,
 * so a build without the sanitizers cannot pass for a fuzzed one.  The
 * canary is recognised by a hash of the first ten bytes, not by a
 * compare against the string, so that libFuzzer's comparison tracing
 * cannot lead the fuzzer to it.
 */
#ifndef RTA_FUZZ_CANARY_H
#define RTA_FUZZ_CANARY_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a of "RTA-CANARY" */
#define CANARY_HASH	0xc61218d40f1e618dULL

static volatile unsigned char canary_sink;

static int
canary(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned char *p;
	size_t i;

	if (size < 10)
		return 0;
	for (i = 0; i < 10; i++) {
		h ^= data[i];
		h *= 0x100000001b3ULL;
	}
	if (h != CANARY_HASH || (p = malloc(8)) == NULL)
		return 0;
	memcpy(p, data, 8);
	canary_sink = p[8];		/* one byte past the block */
	free(p);
	return 1;
}

#endif
