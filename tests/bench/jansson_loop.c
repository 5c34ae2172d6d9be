/*
 * jansson_loop: the "parse and dump with a general JSON library" anchor of
 * the benchmark.  Reads NDJSON on stdin, parses each line with
 * json_loadb, writes it back compact with json_dumpb, one line per event;
 * what an rta stage would cost if it handled events with jansson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

int
main(void)
{
	static char obuf[1 << 16];
	char *line = NULL, *out = NULL;
	size_t cap = 0, ocap = 0, n;
	ssize_t len;
	unsigned long lineno = 0, bad = 0;
	json_error_t err;
	json_t *v;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	while ((len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if ((v = json_loadb(line, (size_t)len, 0, &err)) == NULL) {
			if (bad++ < 10)
				fprintf(stderr, "jansson_loop: <stdin>:%lu: "
				    "%s\n", lineno, err.text);
			continue;
		}
		/* json_dumpb returns the size it needs when the buffer is too
		 * small; keep one byte spare for the newline. */
		n = json_dumpb(v, out, ocap, JSON_COMPACT);
		if (n >= ocap) {
			free(out);
			ocap = n * 2;
			if ((out = malloc(ocap)) == NULL) {
				perror("jansson_loop");
				return 4;
			}
			n = json_dumpb(v, out, ocap, JSON_COMPACT);
		}
		json_decref(v);
		if (n == 0)
			continue;
		out[n] = '\n';
		fwrite(out, 1, n + 1, stdout);
	}
	free(line);
	free(out);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout)) {
		perror("jansson_loop");
		return 3;
	}
	return bad > 0;
}
