/*
 * query_lat: the query section's CLI latencies.  Runs a command RUNS
 * times, each a fork and execvp with stdout to /dev/null (stderr is
 * kept, for the command's errors), and times each from the fork to the
 * end of its wait with CLOCK_MONOTONIC: what a caller of the program
 * waits, process start included.
 *
 *	query_lat [-d days] [-n runs] [-t tenants] command [arg ...]
 *
 * Run i (from 0) asks for tenant i mod TENANTS ("t0000" on, as
 * tests/bench/store_fill.c names them) and the 24 hours from 12:00 of
 * day i mod DAYS of the store (2026-01-01 on) to 12:00 the day after,
 * so that each query spans two day segments, as a "last 24 h" does.
 * In each argument %T becomes the tenant, %F the start and %U the end
 * (RFC 3339, UTC), %% a %.
 *
 * Prints "RUNS P50 P90 P99 MAX MEAN", the times in ms (percentiles by
 * nearest rank).  A run that fails (exit status other than 0, or a
 * signal) stops it with exit status 1, saying which run it was; 3 is a
 * failure of its own (fork, wait), 4 memory.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define START		1767225600	/* 2026-01-01T00:00:00Z */
#define MAXRUNS		10000000L

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "query_lat: bad number '%s' (%ld to %ld)\n",
		    s, lo, hi);
		exit(2);
	}
	return v;
}

/* tmpl with %T, %F, %U and %% replaced; NULL when memory runs out */
static char *
subst(const char *tmpl, const char *tenant, const char *from,
    const char *to)
{
	const char *p, *v;
	size_t n = 1, lv;
	char *out, *o;

	/* each %X gives at most the longest of the three */
	lv = strlen(tenant);
	if (strlen(from) > lv)
		lv = strlen(from);
	if (strlen(to) > lv)
		lv = strlen(to);
	for (p = tmpl; *p != '\0'; p++)
		n += *p == '%' ? lv : 1;
	if ((out = malloc(n)) == NULL)
		return NULL;
	for (p = tmpl, o = out; *p != '\0'; p++) {
		v = NULL;
		if (p[0] == '%' && p[1] == 'T')
			v = tenant;
		else if (p[0] == '%' && p[1] == 'F')
			v = from;
		else if (p[0] == '%' && p[1] == 'U')
			v = to;
		else if (p[0] == '%' && p[1] == '%')
			v = "%";
		if (v == NULL) {
			*o++ = *p;
			continue;
		}
		memcpy(o, v, strlen(v));
		o += strlen(v);
		p++;
	}
	*o = '\0';
	return out;
}

static void
rfc3339(char *b, size_t size, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(b, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* the nearest-rank q-quantile of the n sorted times */
static double
at(const double *t, long n, double q)
{
	long i = (long)(q * (double)n);

	if ((double)i < q * (double)n)
		i++;
	return t[i < 1 ? 0 : i - 1];
}

static void
usage(void)
{
	fprintf(stderr, "usage: query_lat [-d days] [-n runs] [-t tenants] "
	    "command [arg ...]\n");
	exit(2);
}

/*
 * One run of args with stdout to null, timed into *ms: 0, or the exit
 * status query_lat ends with (the failure said).
 */
static int
run(char **args, int null, double *ms)
{
	double t0;
	pid_t pid;
	int st;

	t0 = now();
	if ((pid = fork()) == -1) {
		perror("query_lat: fork");
		return 3;
	}
	if (pid == 0) {
		if (dup2(null, STDOUT_FILENO) == -1)
			_exit(126);
		execvp(args[0], args);
		fprintf(stderr, "query_lat: %s: %s\n", args[0],
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			perror("query_lat: waitpid");
			return 3;
		}
	*ms = (now() - t0) * 1000;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	fprintf(stderr, "query_lat: %s %d", WIFEXITED(st) ? "exit status" :
	    "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 1;
}

int
main(int argc, char *argv[])
{
	long runs = 500, tenants = 1000, days = 13, i;
	char tenant[32], from[32], to[32];
	char **args = NULL;
	double *t = NULL, sum = 0;
	int c, a, null = -1, status = 0;

	while ((c = getopt(argc, argv, "d:n:t:")) != -1) {
		switch (c) {
		case 'd':
			days = number(optarg, 1, 100000);
			break;
		case 'n':
			runs = number(optarg, 1, MAXRUNS);
			break;
		case 't':
			tenants = number(optarg, 1, 1000000);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if ((t = calloc((size_t)runs, sizeof(*t))) == NULL ||
	    (args = calloc((size_t)argc + 1, sizeof(*args))) == NULL) {
		fprintf(stderr, "query_lat: out of memory\n");
		status = 4;
		goto out;
	}
	if ((null = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1) {
		perror("query_lat: /dev/null");
		status = 3;
		goto out;
	}
	for (i = 0; i < runs && status == 0; i++) {
		snprintf(tenant, sizeof(tenant), "t%04ld", i % tenants);
		rfc3339(from, sizeof(from), START + (i % days) * 86400LL +
		    43200);
		rfc3339(to, sizeof(to), START + (i % days + 1) * 86400LL +
		    43200);
		for (a = 0; a < argc && status == 0; a++)
			if ((args[a] = subst(argv[a], tenant, from, to)) ==
			    NULL) {
				fprintf(stderr, "query_lat: out of memory\n");
				status = 4;
			}
		if (status == 0 && (status = run(args, null, &t[i])) == 1)
			fprintf(stderr, " in run %ld of %ld (tenant %s, %s to "
			    "%s)\n", i + 1, runs, tenant, from, to);
		for (a = 0; a < argc; a++) {
			free(args[a]);
			args[a] = NULL;
		}
		sum += t[i];
	}
	if (status == 0) {
		qsort(t, (size_t)runs, sizeof(*t), cmp_double);
		printf("%ld %.3f %.3f %.3f %.3f %.3f\n", runs,
		    at(t, runs, 0.5), at(t, runs, 0.9), at(t, runs, 0.99),
		    t[runs - 1], sum / (double)runs);
	}
out:
	if (null != -1)
		close(null);
	free(args);
	free(t);
	return status;
}
