/*
 * driver.c: replay saved inputs through a fuzz target without libFuzzer.
 *
 * Linked with one fuzz_<name>.c, it calls LLVMFuzzerTestOneInput() once
 * per file: each operand is a file or a directory, whose files (and those
 * of its subdirectories) are run in name order.  Every input sits in a
 * heap block of exactly its size, as libFuzzer gives it, so a read past
 * the end is a sanitizer report here too.  Prints "N inputs ok" and exits
 * 0; a target that finds a problem aborts, and an unreadable operand is
 * exit 1.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int	run_path(const char *, unsigned long *);

static int
run_file(const char *path, unsigned long *n)
{
	FILE *f;
	uint8_t *data = NULL, *nd;
	size_t len = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			if ((nd = realloc(data, cap)) == NULL) {
				fprintf(stderr, "driver: out of memory\n");
				free(data);
				fclose(f);
				return -1;
			}
			data = nd;
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "driver: %s: read error\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* exactly len bytes, so that over-reads are caught */
	if ((nd = malloc(len > 0 ? len : 1)) == NULL) {
		free(data);
		return -1;
	}
	memcpy(nd, data, len);
	free(data);
	LLVMFuzzerTestOneInput(nd, len);
	free(nd);
	(*n)++;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_dir(const char *dir, unsigned long *n)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL, **nn, *path;
	size_t count = 0, i;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "driver: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((nn = realloc(names, (count + 1) * sizeof(*names))) ==
		    NULL || (nn[count] = strdup(e->d_name)) == NULL) {
			names = nn != NULL ? nn : names;
			rc = -1;
			break;
		}
		names = nn;
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), name_cmp);
	for (i = 0; i < count; i++) {
		if (rc == 0) {
			size_t len = strlen(dir) + strlen(names[i]) + 2;

			if ((path = malloc(len)) == NULL)
				rc = -1;
			else {
				snprintf(path, len, "%s/%s", dir, names[i]);
				rc = run_path(path, n);
				free(path);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int
run_path(const char *path, unsigned long *n)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return run_dir(path, n);
	return run_file(path, n);
}

int
main(int argc, char *argv[])
{
	unsigned long n = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file-or-directory ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &n) != 0)
			return 1;
	printf("%lu inputs ok\n", n);
	return 0;
}
