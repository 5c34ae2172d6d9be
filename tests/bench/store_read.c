/*
 * store_read: the store section's reads, through librta's read API as a
 * dashboard would make them.  Opens dataset DATASET of store DIR once,
 * then either
 *
 *	store_read -s dir -d dataset -t tenants [-n scans] [-r seed]
 *
 * scans one tenant's day (rta_scan_open(tenant, day, day + 24h), then
 * rta_scan_next to the end) for SCANS pairs of a tenant ("t0000" to
 * tenants - 1, as tests/bench/store_fill.c names them) and a day of the
 * dataset, drawn at random, and prints each scan's time; or
 *
 *	store_read -a -s dir -d dataset [-n days]
 *
 * scans the first DAYS whole days of the dataset, all tenants
 * (rta_scan_open(NULL, day, day + 24h)), and prints each one's time.
 * With -c either scan reads the blocks that carry columns as columns
 * (rta_scan_cols: each record's event time and its block's tenant) and
 * the others as records.
 *
 * Output, one line a scan: "tenant|all DAY RECORDS SECONDS".  Every
 * record read is checked to be of the tenant asked for, inside the day,
 * and in order (tenant, then time); any failure exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rta_cols.h"
#include "rta_store.h"

#define DAY_US	(86400LL * 1000000)

static int	use_cols;		/* -c */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The records of a block's columns checked as scan() checks records
 * (those outside the day left out, as the scan leaves them): 0 or -1. */
static int
cols_in_place(const struct rta_cols *cols, const char *tenant, int64_t from,
    char *last, size_t *lastlen, int64_t *lastts, long *n)
{
	uint32_t i;
	int64_t ts;
	int c;

	c = memcmp(cols->tenant, last, cols->tlen < *lastlen ? cols->tlen :
	    *lastlen);
	if (c == 0)
		c = cols->tlen < *lastlen ? -1 : cols->tlen > *lastlen;
	if (c < 0 || (tenant != NULL && (cols->tlen != strlen(tenant) ||
	    memcmp(cols->tenant, tenant, cols->tlen) != 0))) {
		fprintf(stderr, "store_read: block of record %ld of the scan "
		    "is out of place\n", *n);
		return -1;
	}
	if (c > 0) {
		memcpy(last, cols->tenant, cols->tlen);
		*lastlen = cols->tlen;
		*lastts = INT64_MIN;
	}
	for (i = 0; i < cols->n; i++) {
		ts = rta_cols_ts(cols, i);
		if (ts < from || ts >= from + DAY_US)
			continue;
		if (ts < *lastts) {
			fprintf(stderr, "store_read: record %ld of the scan "
			    "is out of place\n", *n);
			return -1;
		}
		*lastts = ts;
		(*n)++;
	}
	return 0;
}

/* One scan, timed and checked: its records, or -1. */
static long
scan(struct rta_dataset *ds, const char *tenant, int64_t from,
    double *sec)
{
	struct rta_error err;
	struct rta_record rec;
	struct rta_scan *sc;
	struct rta_cols cols;
	char last[RTA_ID_MAX + 1] = "";
	size_t lastlen = 0;
	int64_t lastts = INT64_MIN;
	long n = 0;
	double t0;
	int rc, c, got;

	t0 = now();
	if (rta_scan_open(ds, tenant, tenant ? strlen(tenant) : 0, from,
	    from + DAY_US, &sc, &err) != RTA_OK) {
		fprintf(stderr, "store_read: %s\n", err.text);
		return -1;
	}
	rta_cols_init(&cols);
	for (;;) {
		const struct rta_event *ev = &rec.ev;

		if (use_cols) {
			if ((rc = rta_scan_cols(sc, &cols, &got, &err)) !=
			    RTA_OK)
				break;
			if (got) {
				if (cols_in_place(&cols, tenant, from, last,
				    &lastlen, &lastts, &n) != 0) {
					rta_cols_release(&cols);
					rta_scan_close(sc);
					return -1;
				}
				continue;
			}
		}
		if ((rc = rta_scan_next(sc, &rec, &err)) != RTA_OK)
			break;

		c = memcmp(ev->tenant, last, ev->tenant_len < lastlen ?
		    ev->tenant_len : lastlen);
		if (c == 0)
			c = ev->tenant_len < lastlen ? -1 :
			    ev->tenant_len > lastlen;
		if (rec.kind != RTA_REC_AGGREGATE || ev->ts < from ||
		    ev->ts >= from + DAY_US || c < 0 ||
		    (c == 0 && ev->ts < lastts) || (tenant != NULL &&
		    (ev->tenant_len != strlen(tenant) ||
		    memcmp(ev->tenant, tenant, ev->tenant_len) != 0))) {
			fprintf(stderr, "store_read: record %ld of the "
			    "scan is out of place\n", n);
			rta_scan_close(sc);
			return -1;
		}
		if (c > 0) {
			memcpy(last, ev->tenant, ev->tenant_len);
			lastlen = ev->tenant_len;
		}
		lastts = ev->ts;
		n++;
	}
	rta_cols_release(&cols);
	rta_scan_close(sc);
	*sec = now() - t0;
	if (rc != RTA_EOF) {
		fprintf(stderr, "store_read: %s\n", err.text);
		return -1;
	}
	return n;
}

static void
usage(void)
{
	fprintf(stderr, "usage: store_read [-ac] [-n count] [-r seed] "
	    "[-t tenants] -d dataset -s dir\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct rta_error err;
	struct rta_store st;
	struct rta_dataset ds;
	const char *dir = NULL, *name = NULL;
	char day[32], tenant[32];
	uint64_t seed = 1;
	long count = 0, tenants = 0, ndays, i, n;
	int64_t first, from;
	double sec;
	int all = 0, c, status = 0;

	while ((c = getopt(argc, argv, "acd:n:r:s:t:")) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'c':
			use_cols = 1;
			break;
		case 'd':
			name = optarg;
			break;
		case 'n':
			count = atol(optarg);
			break;
		case 'r':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 's':
			dir = optarg;
			break;
		case 't':
			tenants = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || dir == NULL || name == NULL || count < 0 ||
	    (!all && tenants <= 0) || seed == 0)
		usage();
	if (rta_store_open(&st, dir, &err) != RTA_OK) {
		fprintf(stderr, "store_read: %s: %s\n", dir, err.text);
		return 3;
	}
	if (rta_dataset_open(&st, name, &ds, &err) != RTA_OK) {
		fprintf(stderr, "store_read: %s: %s\n", name, err.text);
		rta_store_close(&st);
		return 3;
	}
	if (ds.c.records == 0) {
		fprintf(stderr, "store_read: %s is empty\n", name);
		status = 1;
		goto out;
	}
	first = ds.c.min_ts / DAY_US * DAY_US;
	ndays = (long)((ds.c.max_ts - first) / DAY_US + 1);
	if (count == 0)
		count = all ? ndays : 200;
	for (i = 0; i < count; i++) {
		if (all) {
			if (i >= ndays)
				break;
			from = first + i * DAY_US;
		} else {
			from = first + (int64_t)(next_rand(&seed) %
			    (uint64_t)ndays) * DAY_US;
			snprintf(tenant, sizeof(tenant), "t%04ld",
			    (long)(next_rand(&seed) % (uint64_t)tenants));
		}
		if ((n = scan(&ds, all ? NULL : tenant, from, &sec)) < 0) {
			status = 1;
			break;
		}
		rta_time_format(day, from);
		day[10] = '\0';
		printf("%s %s %ld %.6f\n", all ? "all" : tenant, day, n, sec);
	}
out:
	rta_dataset_close(&ds);
	rta_store_close(&st);
	if (fflush(stdout) != 0 || ferror(stdout))
		status = 3;
	return status;
}
