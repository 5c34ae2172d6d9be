/*
 * widen: give rta-gen's page_view events the payload of issue 3's
 * benchmark schema, ten members with one nested object.  Reads rta-gen's
 * NDJSON on stdin and writes each event with four more payload members,
 * inserted before the payload's closing brace:
 *
 *	"session": {"id": "s" and 8 digits, "seq": 1 to 41,
 *	    "landing": true when seq is 1},
 *	"referrer": "" or an https URL (external on landing pages, the
 *	    site's own otherwise),
 *	"ab_group": "A", "B" or "C",
 *	"client_ts": the event's timestamp in epoch milliseconds plus a
 *	    client clock skew of -2500 to +499 ms.
 *
 * The values come from a fixed generator seeded from the event_id, so the
 * output depends only on the input.  One event in 4096 gets a member that
 * breaks tests/bench/data/validate/page_view.v1.json (a seq of 0, a fourth
 * A/B group, a session without "landing" or with an extra member, an ftp
 * referrer, a client_ts written as a string), so that the checks of the
 * new members take part in the verdicts too; rta-gen's own rare
 * violations are kept.
 *
 * The input must be what rta-gen writes: one event per line, its payload
 * the last member, "event_id" and "timestamp" plain strings.  Any other
 * line is an error (exit 1), so that the benchmark never runs on data it
 * did not mean to make.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint64_t	state;

/* splitmix64 */
static uint64_t
next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 to n - 1 */
static unsigned
pick(unsigned n)
{
	return (unsigned)(next() % n);
}

/* FNV-1a of s[0..len) */
static uint64_t
fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* The value of the string member key ("key":"...") in line, or NULL. */
static const char *
member(const char *line, const char *key, size_t *len)
{
	const char *p, *q;

	if ((p = strstr(line, key)) == NULL)
		return NULL;
	p += strlen(key);
	if ((q = strchr(p, '"')) == NULL || memchr(p, '\\', (size_t)(q - p)))
		return NULL;
	*len = (size_t)(q - p);
	return p;
}

/* n decimal digits at s; their value, or -1. */
static long
digits(const char *s, int n)
{
	long v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long
days(long y, long m, long d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Epoch milliseconds of an RFC 3339 UTC timestamp as rta-gen writes it
 * (YYYY-MM-DDTHH:MM:SS[.frac]Z), or -1.
 */
static long long
epoch_ms(const char *s, size_t len)
{
	long f[6], ms = 0;
	static const int at[6] = { 0, 5, 8, 11, 14, 17 };
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	size_t i;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[len - 1] != 'Z')
		return -1;
	for (i = 0; i < 6; i++)
		if ((f[i] = digits(s + at[i], width[i])) < 0)
			return -1;
	if (len > 20) {
		if (s[19] != '.' || len < 24 || digits(s + 20, 3) < 0)
			return -1;
		ms = digits(s + 20, 3);
	}
	return ((days(f[0], f[1], f[2]) * 24 + f[3]) * 60 + f[4]) * 60000 +
	    f[5] * 1000 + ms;
}

/* A referrer into buf: "", another site's URL, or one of the site's own. */
static void
referrer(char *buf, size_t size, int landing)
{
	static const char *const words[] = { "shoes", "laptop", "coffee",
		"garden", "bike", "camera", "desk", "tent" };
	char path[64];

	if (landing) {
		switch (pick(4)) {
		case 0:
			buf[0] = '\0';
			break;
		case 1:
			snprintf(buf, size,
			    "https://www.google.com/search?q=%s",
			    words[pick(NELEM(words))]);
			break;
		case 2:
			snprintf(buf, size, "https://news.example.org/story/%u",
			    10000 + pick(90000));
			break;
		default:
			snprintf(buf, size, "https://t.co/%08x",
			    (unsigned)next());
			break;
		}
		return;
	}
	switch (pick(5)) {
	case 0:
		snprintf(path, sizeof(path), "/");
		break;
	case 1:
		snprintf(path, sizeof(path), "/products/%u", pick(1000));
		break;
	case 2:
		snprintf(path, sizeof(path), "/cart");
		break;
	case 3:
		snprintf(path, sizeof(path), "/search?q=%s",
		    words[pick(NELEM(words))]);
		break;
	default:
		snprintf(path, sizeof(path), "/help/article-%u", pick(1000));
		break;
	}
	snprintf(buf, size, "https://shop.example.com%s", path);
}

/* The members to insert, after a comma unless the payload is empty. */
static int
extra(char *buf, size_t size, const char *id, size_t idlen, long long ts,
    int comma)
{
	static const char *const groups[] = { "A", "B", "C" };
	char ref[128], sess[96], tsbuf[32];
	const char *group;
	unsigned sid, seq, landing;
	long long cts;
	int bad = -1;

	state = fnv1a(id, idlen);
	sid = pick(100000000);
	seq = pick(10) < 3 ? 1 : 2 + pick(40);
	landing = seq == 1;
	referrer(ref, sizeof(ref), landing);
	group = groups[pick(NELEM(groups))];
	cts = ts - 2500 + pick(3000);
	if (pick(4096) == 0)
		bad = (int)pick(6);
	switch (bad) {
	case 0:
		seq = 0;		/* below "minimum": 1 */
		break;
	case 1:
		group = "D";		/* not in the enum */
		break;
	case 4:
		snprintf(ref, sizeof(ref), "ftp://files.example.com/%u",
		    pick(1000));	/* not the pattern */
		break;
	default:
		break;
	}
	if (bad == 2)			/* "landing" is required */
		snprintf(sess, sizeof(sess), "{\"id\":\"s%08u\",\"seq\":%u}",
		    sid, seq);
	else
		snprintf(sess, sizeof(sess),
		    "{\"id\":\"s%08u\",\"seq\":%u,\"landing\":%s%s}", sid, seq,
		    landing ? "true" : "false",
		    bad == 3 ? ",\"tab\":2" : "");	/* additional */
	/* A string where an integer is due. */
	snprintf(tsbuf, sizeof(tsbuf), bad == 5 ? "\"%lld\"" : "%lld", cts);
	return snprintf(buf, size, "%s\"session\":%s,\"referrer\":\"%s\","
	    "\"ab_group\":\"%s\",\"client_ts\":%s", comma ? "," : "", sess,
	    ref, group, tsbuf);
}

int
main(void)
{
	static char obuf[1 << 16];
	char *line = NULL, add[512];
	size_t cap = 0, idlen, tslen, n;
	ssize_t len;
	unsigned long long lineno = 0;
	const char *id, *ts;
	long long ms;
	int addlen;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	while ((len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		n = (size_t)len;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		/* The payload, last, closes just before the event. */
		if (n < 2 || line[n - 1] != '}' || line[n - 2] != '}' ||
		    strstr(line, ",\"payload\":{") == NULL ||
		    (id = member(line, "{\"event_id\":\"", &idlen)) == NULL ||
		    (ts = member(line, ",\"timestamp\":\"", &tslen)) == NULL ||
		    (ms = epoch_ms(ts, tslen)) < 0) {
			fprintf(stderr, "widen: line %llu: not an rta-gen "
			    "event with its payload last\n", lineno);
			free(line);
			return 1;
		}
		addlen = extra(add, sizeof(add), id, idlen, ms,
		    line[n - 3] != '{');
		if (addlen < 0 || (size_t)addlen >= sizeof(add)) {
			fprintf(stderr, "widen: line %llu: too long\n",
			    lineno);
			free(line);
			return 1;
		}
		fwrite(line, 1, n - 2, stdout);
		fwrite(add, 1, (size_t)addlen, stdout);
		fputs("}}\n", stdout);
	}
	free(line);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout)) {
		perror("widen");
		return 3;
	}
	return 0;
}
