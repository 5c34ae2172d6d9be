/*
 * baseline: the I/O floor of the benchmark.  Reads stdin in 1 MiB blocks
 * with read(2) and counts newlines with memchr, as any NDJSON tool must
 * at least do, then prints the count.  Nothing is parsed or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK	(1 << 20)

int
main(void)
{
	char *buf, *p, *end;
	unsigned long long lines = 0;
	ssize_t n;

	if ((buf = malloc(BLOCK)) == NULL) {
		perror("baseline");
		return 4;
	}
	for (;;) {
		n = read(STDIN_FILENO, buf, BLOCK);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("baseline: read");
			free(buf);
			return 3;
		}
		p = buf;
		end = buf + n;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
	}
	free(buf);
	printf("%llu\n", lines);
	return fflush(stdout) != 0 || ferror(stdout) ? 3 : 0;
}
