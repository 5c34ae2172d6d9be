/*
 * trickle: copy a file to stdout in pseudo-random pieces of 1 byte to
 * 64 KiB, with short pauses, so that tests can check that a filter's
 * output does not depend on how its input was split into reads.
 *
 *	trickle SEED FILE [MAXPAUSE_US]
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t state;

static uint64_t
next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int
main(int argc, char *argv[])
{
	static char buf[65536];
	unsigned pause_max;
	ssize_t n;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: trickle seed file [maxpause_us]\n");
		return 2;
	}
	state = strtoull(argv[1], NULL, 10) * 2654435761ULL + 1;
	pause_max = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 200;
	if ((fd = open(argv[2], O_RDONLY)) < 0) {
		perror(argv[2]);
		return 1;
	}
	for (;;) {
		size_t want;

		/* mostly tiny pieces, sometimes big ones */
		switch (next() % 4) {
		case 0: want = 1 + next() % 7; break;
		case 1: want = 1 + next() % 300; break;
		case 2: want = 1 + next() % 4096; break;
		default: want = 1 + next() % sizeof(buf); break;
		}
		if ((n = read(fd, buf, want)) <= 0)
			break;
		if (write(1, buf, (size_t)n) != n)
			return 1;
		if (pause_max > 0 && next() % 8 == 0)
			usleep((useconds_t)(next() % pause_max));
	}
	return n < 0;
}
