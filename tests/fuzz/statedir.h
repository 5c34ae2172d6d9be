/*
 * statedir.h: a private directory for the fuzz targets that read state
 * files (fuzz_keyset, fuzz_journal): made once, its files written and
 * read back whole, removed at exit.  Define FUZZ_NAME (the target's
 * name) and names[] (the files to remove) before including it.
 */
#ifndef STATEDIR_H
#define STATEDIR_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_buf.h"

static char	*dir;

static void
fail(const char *what, const uint8_t *p, size_t size)
{
	size_t i;

	fprintf(stderr, FUZZ_NAME ": %s\nbytes:", what);
	for (i = 0; i < size && i < 256; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
	abort();
}

static void
cleanup(void)
{
	char path[4096];
	size_t i;

	if (dir == NULL)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
	free(dir);
	dir = NULL;
}

/* The private directory, made once. */
static int
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	size_t len;

	if (dir != NULL)
		return 0;
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	len = strlen(tmp) + sizeof("/" FUZZ_NAME ".XXXXXX");
	if ((dir = malloc(len)) == NULL)
		return -1;
	snprintf(dir, len, "%s/" FUZZ_NAME ".XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, FUZZ_NAME ": %s: %s\n", dir, strerror(errno));
		abort();
	}
	atexit(cleanup);
	return 0;
}

static void
put_file(const char *name, const void *p, size_t len)
{
	char path[4096];
	const unsigned char *q = p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		fprintf(stderr, FUZZ_NAME ": %s: %s\n", path,
		    strerror(errno));
		abort();
	}
	while (len > 0) {
		if ((n = write(fd, q, len)) <= 0) {
			fprintf(stderr, FUZZ_NAME ": %s: %s\n", path,
			    strerror(errno));
			abort();
		}
		q += n;
		len -= (size_t)n;
	}
	close(fd);
}

/* The bytes of a file (free them); its length in *len. */
static unsigned char *
get_file(const char *name, size_t *len)
{
	char path[4096];
	struct rta_buf b = RTA_BUF_INIT;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	for (;;) {
		if (rta_buf_reserve(&b, 65536) != 0)
			abort();
		if ((n = read(fd, b.data + b.len, 65536)) <= 0)
			break;
		b.len += (size_t)n;
	}
	close(fd);
	*len = b.len;
	if (b.data == NULL && (b.data = malloc(1)) == NULL)
		abort();
	return b.data;
}

#endif
