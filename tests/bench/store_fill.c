/*
 * store_fill: the store section's aggregate records.  Writes, as NDJSON
 * in rta-window's canonical form, one-minute tumbling aggregates (count
 * and sum:payload.value, with their states) of TENANTS tenants by five
 * event types, minute by minute from 2026-01-01 + FIRST days for DAYS
 * days, and a watermark at the end of each day, so that a store fed
 * with --close-after 0 closes each day's log.
 *
 *	store_fill [-d days] [-f first] [-t tenants]
 *
 * Every record of a (window, group) gets its own record_id: the 128 bits
 * of two bijective mixes of the record's number, written as a UUID.  The
 * counts and sums are drawn from the same number, so the output depends
 * on nothing else.  The lines are put together by hand: printf per line
 * would make this the slowest stage of the pipeline it feeds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define START		1767225600	/* 2026-01-01T00:00:00Z */
#define NTYPES		5
#define OUTBUF		(1 << 20)

static const char *const types[NTYPES] = {
	"page_view", "purchase", "error", "search", "signup"
};

static char	 out[OUTBUF + 4096];
static size_t	 outlen;

static void
flush(void)
{
	if (outlen > 0 && fwrite(out, 1, outlen, stdout) != outlen) {
		perror("store_fill: write");
		exit(3);
	}
	outlen = 0;
}

static void
put(const char *s, size_t n)
{
	memcpy(out + outlen, s, n);
	outlen += n;
}

#define PUTS(s)	put(s, sizeof(s) - 1)

static void
put_u(uint64_t v)
{
	char b[24];
	size_t i = sizeof(b);

	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(b + i, sizeof(b) - i);
}

/* splitmix64's finaliser: a bijection of the 64-bit integers */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static void
put_hex(uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out + outlen;
	int i;

	for (i = digits - 1; i >= 0; i--) {
		p[i] = hex[v & 15];
		v >>= 4;
	}
	outlen += (size_t)digits;
}

static void
put_uuid(uint64_t n)
{
	uint64_t hi = mix(n + 0x632be59bd9b4e019ULL);
	uint64_t lo = mix(n ^ 0x5bd1e9955bd1e995ULL);

	put_hex(hi >> 32, 8);
	PUTS("-");
	put_hex(hi >> 16 & 0xffff, 4);
	PUTS("-");
	put_hex(hi & 0xffff, 4);
	PUTS("-");
	put_hex(lo >> 48, 4);
	PUTS("-");
	put_hex(lo & 0xffffffffffffULL, 12);
}

/* "2026-01-01T00:00:00.000000Z" into b (28 bytes) */
static void
stamp(char *b, size_t size, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(b, size, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
}

/* the sum: cents, written as a plain decimal ("12.05"), or 0 */
static void
put_sum(uint64_t cents)
{
	char b[4];

	if (cents == 0) {
		PUTS("0");
		return;
	}
	put_u(cents / 100);
	b[0] = '.';
	b[1] = (char)('0' + cents / 10 % 10);
	b[2] = (char)('0' + cents % 10);
	put(b, 3);
}

/* Record n: type k of tenant ten in the window [start, end). */
static void
put_record(uint64_t n, int k, const char *start, const char *end,
    const char *ten, size_t tl)
{
	uint64_t h = mix(n + 0x9e3779b97f4a7c15ULL);
	uint64_t cnt = 1 + (h >> 40) % 40;
	uint64_t cents = k == 2 ? 0 : (h & 0xfffff) % (cnt * 20000);

	PUTS("{\"$rta\":\"aggregate\",\"record_id\":\"");
	put_uuid(n);
	PUTS("\",\"window\":\"tumbling\",\"start\":\"");
	put(start, 27);
	PUTS("\",\"tenant_id\":\"");
	put(ten, tl);
	PUTS("\",\"version\":1,\"end\":\"");
	put(end, 27);
	PUTS("\",\"final\":true,\"group\":{\"tenant_id\":\"");
	put(ten, tl);
	PUTS("\",\"event_type\":\"");
	put(types[k], strlen(types[k]));
	PUTS("\"},\"results\":{\"count\":");
	put_u(cnt);
	PUTS(",\"sum:payload.value\":");
	put_sum(cents);
	PUTS("},\"states\":{\"count\":{\"type\":\"count\",\"count\":");
	put_u(cnt);
	PUTS("},\"sum:payload.value\":{\"type\":\"sum\",\"count\":");
	put_u(k == 2 ? 0 : cnt);
	PUTS(",\"sum\":");
	put_sum(cents);
	PUTS("}}}\n");
}

static void
usage(void)
{
	fprintf(stderr, "usage: store_fill [-d days] [-f first] "
	    "[-t tenants]\n");
	exit(2);
}

static long
number(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	char ten[16], start[32], end[32];
	long days = 1, first = 0, tenants = 1000, d, m, t;
	size_t tl;
	int c, k;

	while ((c = getopt(argc, argv, "d:f:t:")) != -1) {
		switch (c) {
		case 'd':
			days = number(optarg, 1, 3650);
			break;
		case 'f':
			first = number(optarg, 0, 3650);
			break;
		case 't':
			tenants = number(optarg, 1, 1000000);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	for (d = first; d < first + days; d++) {
		for (m = 0; m < 1440; m++) {
			long long t0 = START + (d * 1440 + m) * 60LL;

			stamp(start, sizeof(start), t0);
			stamp(end, sizeof(end), t0 + 60);
			for (t = 0; t < tenants; t++) {
				tl = (size_t)snprintf(ten, sizeof(ten),
				    "t%04ld", t);
				for (k = 0; k < NTYPES; k++) {
					put_record(((uint64_t)(d * 1440 + m) *
					    (uint64_t)tenants + (uint64_t)t) *
					    NTYPES + (uint64_t)k, k, start,
					    end, ten, tl);
					if (outlen >= OUTBUF)
						flush();
				}
			}
		}
		stamp(end, sizeof(end), START + (d + 1) * 86400LL);
		PUTS("{\"$rta\":\"watermark\",\"watermark\":\"");
		put(end, 27);
		PUTS("\"}\n");
	}
	flush();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("store_fill: write");
		return 3;
	}
	return 0;
}
