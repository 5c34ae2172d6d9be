/*
 * pq_scan: the export section's reader case, through librta's Parquet
 * reader as a query over the cold store would use it.
 *
 *	pq_scan [-r runs] dir column ...
 *
 * finds every *.parquet file under DIR (untimed), then for each COLUMN
 * RUNS times: maps each file, opens it (rta_pq_open: the footer), and
 * reads the column's chunks in every row group in batches of 4,096
 * (rta_pq_cursor_next), summing the values (an INT64 or TIMESTAMP
 * column as integers, a DOUBLE one as doubles) so that none is left
 * unread.  Output, one line a column: "COLUMN VALUES NULLS SECONDS
 * CPU SUM", the best of the runs' wall and CPU seconds; VALUES counts
 * every row read, nulls among them.  A file without the column, or of another type, or
 * that does not read, exits 1.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rta_parquet.h"

#define BATCH	4096

struct files {
	char	**v;
	size_t	  n, cap;
};

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "pq_scan: %s: %s\n", what, why);
	exit(1);
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the *.parquet files under dir to fs. */
static void
walk(const char *dir, struct files *fs)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	char *p;
	size_t len;

	if ((d = opendir(dir)) == NULL)
		die(dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(dir) + strlen(de->d_name) + 2;
		if ((p = malloc(len)) == NULL)
			die(dir, "out of memory");
		snprintf(p, len, "%s/%s", dir, de->d_name);
		if (stat(p, &sb) != 0)
			die(p, strerror(errno));
		if (S_ISDIR(sb.st_mode)) {
			walk(p, fs);
			free(p);
			continue;
		}
		len = strlen(p);
		if (!S_ISREG(sb.st_mode) || len < 8 ||
		    strcmp(p + len - 8, ".parquet") != 0) {
			free(p);
			continue;
		}
		if (fs->n == fs->cap) {
			fs->cap = fs->cap ? 2 * fs->cap : 64;
			fs->v = realloc(fs->v, fs->cap * sizeof(*fs->v));
			if (fs->v == NULL)
				die(dir, "out of memory");
		}
		fs->v[fs->n++] = p;
	}
	closedir(d);
}

/*
 * One pass over the column in every file: its rows, nulls and sum; 1 if
 * it is a DOUBLE column (the sum in dsum), else 0 (in isum).
 */
static int
scan(const struct files *fs, const char *col, uint64_t *rows,
    uint64_t *nulls, uint64_t *isum, double *dsum)
{
	struct rta_error err;
	struct rta_pq_file *f;
	struct rta_pq_cursor *c;
	struct rta_pq_batch b;
	struct stat sb;
	size_t i, k, rg, ci;
	void *map;
	int fd, rc, dbl = 0;
	/* locals, which the batch's arrays cannot alias */
	uint64_t nrows = 0, nnull = 0, is = 0;
	double ds = 0;

	for (i = 0; i < fs->n; i++) {
		if ((fd = open(fs->v[i], O_RDONLY)) < 0 ||
		    fstat(fd, &sb) != 0)
			die(fs->v[i], strerror(errno));
		map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (map == MAP_FAILED)
			die(fs->v[i], strerror(errno));
		close(fd);
		if (rta_pq_open(map, (size_t)sb.st_size, fs->v[i], &f,
		    &err) != RTA_OK)
			die(fs->v[i], err.text);
		if ((ci = rta_pq_column_find(f, col)) == (size_t)-1)
			die(fs->v[i], "no such column");
		switch (rta_pq_column(f, ci)->type) {
		case RTA_PQ_INT64:
		case RTA_PQ_TIMESTAMP:
			dbl = 0;
			break;
		case RTA_PQ_DOUBLE:
			dbl = 1;
			break;
		default:
			die(fs->v[i], "the column is not int64 or double");
		}
		for (rg = 0; rg < rta_pq_nrowgroups(f); rg++) {
			if (rta_pq_cursor_open(f, rg, ci, &c, &err) != RTA_OK)
				die(fs->v[i], err.text);
			while ((rc = rta_pq_cursor_next(c, BATCH, &b,
			    &err)) == RTA_OK) {
				nrows += b.n;
				if (b.valid != NULL)
					for (k = 0; k < b.n; k++)
						nnull += !b.valid[k];
				/* a null's slot holds zero */
				if (dbl)
					for (k = 0; k < b.n; k++)
						ds += b.f64[k];
				else
					for (k = 0; k < b.n; k++)
						is += (uint64_t)b.i64[k];
			}
			if (rc != RTA_EOF)
				die(fs->v[i], err.text);
			rta_pq_cursor_close(c);
		}
		rta_pq_close(f);
		munmap(map, (size_t)sb.st_size);
	}
	*rows = nrows;
	*nulls = nnull;
	*isum = is;
	*dsum = ds;
	return dbl;
}

int
main(int argc, char **argv)
{
	struct files fs = { NULL, 0, 0 };
	uint64_t rows, nulls, isum;
	double dsum, t0, c0, t, c, best, cbest;
	long runs = 3, r;
	int ch, i, dbl = 0;
	char *end;
	char sum[64];

	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			runs = strtol(optarg, &end, 10);
			if (*end != '\0' || runs < 1 || runs > 1000)
				die("-r", "not a count of runs");
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		goto usage;
	walk(argv[0], &fs);
	if (fs.n == 0)
		die(argv[0], "no Parquet files");
	qsort(fs.v, fs.n, sizeof(*fs.v), cmp_path);
	for (i = 1; i < argc; i++) {
		best = cbest = 0;
		for (r = 0; r < runs; r++) {
			t0 = now(CLOCK_MONOTONIC);
			c0 = now(CLOCK_PROCESS_CPUTIME_ID);
			dbl = scan(&fs, argv[i], &rows, &nulls, &isum,
			    &dsum);
			t = now(CLOCK_MONOTONIC) - t0;
			c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
			if (r == 0 || t < best)
				best = t;
			if (r == 0 || c < cbest)
				cbest = c;
		}
		if (dbl)
			snprintf(sum, sizeof(sum), "%.17g", dsum);
		else
			snprintf(sum, sizeof(sum), "%lld",
			    (long long)(int64_t)isum);
		printf("%s %llu %llu %.6f %.6f %s\n", argv[i],
		    (unsigned long long)rows, (unsigned long long)nulls, best,
		    cbest, sum);
	}
	return 0;
usage:
	fprintf(stderr, "usage: pq_scan [-r runs] dir column ...\n");
	return 2;
}
