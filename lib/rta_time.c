/*
 * rta_time.c: RFC 3339 in and out, epoch numbers, durations.
 *
 * Conversions use Howard Hinnant's days-from-civil algorithms, which are
 * exact over the whole proleptic Gregorian calendar and need no time zone
 * database, no locale and no libc calls (timegm is neither standard nor
 * fast).  Formatting caches the date of the last call: consecutive events
 * mostly share it, so a timestamp costs a few stores.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rta_time.h"

int64_t
rta_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
rta_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dm[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Read exactly n digits at s[*i]; -1 if any is not a digit. */
static int
digits(const char *s, size_t len, size_t *i, unsigned n)
{
	int v = 0;

	if (len - *i < n)
		return -1;
	while (n-- > 0) {
		char c = s[(*i)++];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	return v;
}

static int
bad(struct rta_error *err, const char *what)
{
	return rta_error_set(err, RTA_EDATA, "bad-timestamp", "%s", what);
}

/*
 * The canonical form ("2026-11-26T10:00:00.123456Z", what rta writes) is
 * most of what rta reads.  Its date changes once a day in a time-ordered
 * stream, so the date part is looked up in a one-entry cache, and only the
 * time of day is parsed.
 */
static _Thread_local char	 date_key[10];
static _Thread_local int64_t	 date_days;
static _Thread_local int	 date_ok;

static int
fast_canonical(const char *s, int64_t *us)
{
	static const unsigned char pos[12] = { 11, 12, 14, 15, 17, 18, 20, 21,
	    22, 23, 24, 25 };
	unsigned v[12], i;
	int64_t sod;

	if (!date_ok || memcmp(s, date_key, 10) != 0)
		return 0;
	for (i = 0; i < 12; i++) {
		v[i] = (unsigned)(unsigned char)s[pos[i]] - '0';
		if (v[i] > 9)
			return 0;
	}
	sod = (v[0] * 10 + v[1]) * 3600 + (v[2] * 10 + v[3]) * 60 +
	    v[4] * 10 + v[5];
	if (v[0] * 10 + v[1] > 23 || v[2] > 5 || v[4] > 5)
		return 0;
	*us = (date_days * 86400 + sod) * RTA_US_PER_SEC +
	    ((((v[6] * 10 + v[7]) * 10 + v[8]) * 10 + v[9]) * 10 + v[10]) *
	    10 + v[11];
	return 1;
}

int
rta_time_parse(const char *s, size_t len, int64_t *us, struct rta_error *err)
{
	int canonical = len == RTA_TIME_LEN && s[4] == '-' && s[7] == '-' &&
	    s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' &&
	    s[26] == 'Z';
	size_t i = 0;
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, t;
	unsigned fd = 0;

	if (canonical && fast_canonical(s, us))
		return RTA_OK;

	if ((y = digits(s, len, &i, 4)) < 0 || i >= len || s[i++] != '-')
		return bad(err, "expected YYYY-MM-DD");
	if ((mo = digits(s, len, &i, 2)) < 0 || i >= len || s[i++] != '-')
		return bad(err, "expected YYYY-MM-DD");
	if ((d = digits(s, len, &i, 2)) < 0)
		return bad(err, "expected YYYY-MM-DD");
	if (y == 0)
		return bad(err, "year out of range");
	if (mo < 1 || mo > 12)
		return bad(err, "month out of range");
	if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo))
		return bad(err, "day out of range");
	if (i >= len || (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
		return bad(err, "expected 'T' and a time of day");
	i++;
	if ((h = digits(s, len, &i, 2)) < 0 || i >= len || s[i++] != ':' ||
	    (mi = digits(s, len, &i, 2)) < 0 || i >= len || s[i++] != ':' ||
	    (se = digits(s, len, &i, 2)) < 0)
		return bad(err, "expected hh:mm:ss");
	if (h > 23)
		return bad(err, "hour out of range");
	if (mi > 59)
		return bad(err, "minute out of range");
	if (se > 60)
		return bad(err, "second out of range");
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || !isdigit((unsigned char)s[i]))
			return bad(err, "expected digits after '.'");
		while (i < len && isdigit((unsigned char)s[i])) {
			if (fd < 6) {
				frac = frac * 10 + (s[i] - '0');
				fd++;
			}
			i++;
		}
		while (fd < 6) {
			frac *= 10;
			fd++;
		}
	}
	if (i >= len)
		return bad(err, "missing time zone offset ('Z' or +hh:mm)");
	if (s[i] == 'Z' || s[i] == 'z')
		i++;
	else if (s[i] == '+' || s[i] == '-') {
		sign = s[i++] == '-' ? -1 : 1;
		if ((oh = digits(s, len, &i, 2)) < 0 || i >= len ||
		    s[i++] != ':' || (om = digits(s, len, &i, 2)) < 0)
			return bad(err, "bad time zone offset");
		if (oh > 23 || om > 59)
			return bad(err, "time zone offset out of range");
	} else
		return bad(err, "bad time zone offset");
	if (i != len)
		return bad(err, "trailing characters");
	if (se == 60) {
		/* A leap second: stay inside the minute it ends. */
		se = 59;
		frac = 999999;
	}
	t = rta_days_from_civil(y, (unsigned)mo, (unsigned)d);
	if (canonical) {
		memcpy(date_key, s, 10);
		date_days = t;
		date_ok = 1;
	}
	t = t * 86400 + h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
	t = t * RTA_US_PER_SEC + frac;
	if (t < RTA_TIME_MIN || t > RTA_TIME_MAX)
		return bad(err, "out of range after applying the offset");
	*us = t;
	return RTA_OK;
}

static enum rta_epoch_unit
auto_unit(double a)
{
	if (a < 1e11)
		return RTA_EPOCH_S;
	if (a < 1e14)
		return RTA_EPOCH_MS;
	return RTA_EPOCH_US;
}

int
rta_time_from_epoch(double v, enum rta_epoch_unit unit, int64_t *us,
    struct rta_error *err)
{
	double x;

	if (!isfinite(v))
		return bad(err, "epoch value is not finite");
	if (unit == RTA_EPOCH_AUTO)
		unit = auto_unit(fabs(v));
	switch (unit) {
	case RTA_EPOCH_S:
		x = v * 1e6;
		break;
	case RTA_EPOCH_MS:
		x = v * 1e3;
		break;
	default:
		x = v;
		break;
	}
	x = nearbyint(x);
	/* (double)RTA_TIME_MAX rounds up past it: compare with the bound
	 * one microsecond above, which is exact */
	if (!(x >= (double)RTA_TIME_MIN && x < 253402300800000000.0))
		return bad(err, "epoch value out of range");
	*us = (int64_t)x;
	return RTA_OK;
}

int
rta_time_from_epoch_i64(int64_t v, enum rta_epoch_unit unit, int64_t *us,
    struct rta_error *err)
{
	int64_t m;

	if (unit == RTA_EPOCH_AUTO) {
		uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

		unit = auto_unit((double)a);
	}
	m = unit == RTA_EPOCH_S ? 1000000 : unit == RTA_EPOCH_MS ? 1000 : 1;
	if (v > RTA_TIME_MAX / m || v < RTA_TIME_MIN / m)
		return bad(err, "epoch value out of range");
	*us = v * m;
	return RTA_OK;
}

int
rta_time_parse_any(const char *s, size_t len, enum rta_epoch_unit unit,
    int64_t *us, struct rta_error *err)
{
	char tmp[40], *end;
	size_t i = 0;
	int isnum = len > 0 && len < sizeof(tmp);

	for (i = 0; isnum && i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != 'e' && s[i] != 'E' && !((s[i] == '-' || s[i] == '+') &&
		    (i == 0 || s[i - 1] == 'e' || s[i - 1] == 'E')))
			isnum = 0;
	if (!isnum || (len >= 5 && s[4] == '-' && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    isdigit((unsigned char)s[3])))
		return rta_time_parse(s, len, us, err);
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (strchr(tmp, '.') == NULL && strpbrk(tmp, "eE") == NULL) {
		long long v;

		errno = 0;
		v = strtoll(tmp, &end, 10);
		if (*end == '\0' && errno == 0)
			return rta_time_from_epoch_i64(v, unit, us, err);
	} else {
		double d = strtod(tmp, &end);

		if (*end == '\0')
			return rta_time_from_epoch(d, unit, us, err);
	}
	return rta_error_set(err, RTA_EDATA, "bad-timestamp",
	    "not an epoch number or RFC 3339 time");
}

static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void
rta_time_format(char *out, int64_t us)
{
	static _Thread_local int64_t cached_day = INT64_MIN;
	static _Thread_local char cached_date[10];
	int64_t secs, day, sod;
	unsigned frac;

	secs = us / RTA_US_PER_SEC;
	if (us % RTA_US_PER_SEC < 0)
		secs--;
	frac = (unsigned)(us - secs * RTA_US_PER_SEC);
	day = secs / 86400;
	if (secs % 86400 < 0)
		day--;
	sod = secs - day * 86400;
	if (day != cached_day) {
		int64_t y;
		unsigned m, d;

		rta_civil_from_days(day, &y, &m, &d);
		put2(cached_date, (unsigned)(y / 100));
		put2(cached_date + 2, (unsigned)(y % 100));
		cached_date[4] = '-';
		put2(cached_date + 5, m);
		cached_date[7] = '-';
		put2(cached_date + 8, d);
		cached_day = day;
	}
	memcpy(out, cached_date, 10);
	out[10] = 'T';
	put2(out + 11, (unsigned)(sod / 3600));
	out[13] = ':';
	put2(out + 14, (unsigned)(sod / 60 % 60));
	out[16] = ':';
	put2(out + 17, (unsigned)(sod % 60));
	out[19] = '.';
	put2(out + 20, frac / 10000);
	put2(out + 22, frac / 100 % 100);
	put2(out + 24, frac % 100);
	out[26] = 'Z';
}

int
rta_duration_parse(const char *s, int64_t *us, struct rta_error *err)
{
	double total = 0;
	const char *p = s;
	int parts = 0;

	if (*p == '\0')
		return rta_error_set(err, RTA_EINVAL, "bad-duration",
		    "empty duration");
	while (*p != '\0') {
		char *end;
		double v, mul;

		/* digits with an optional fraction: no signs, exponents or
		 * hex, which strtod would take */
		end = (char *)p;
		while (isdigit((unsigned char)*end))
			end++;
		if (*end == '.') {
			end++;
			while (isdigit((unsigned char)*end))
				end++;
		}
		if (end == p || (end == p + 1 && *p == '.'))
			goto bad;
		v = strtod(p, NULL);
		if (!isfinite(v))
			goto bad;
		p = end;
		if (strncmp(p, "us", 2) == 0) {
			mul = 1;
			p += 2;
		} else if (strncmp(p, "ms", 2) == 0) {
			mul = 1e3;
			p += 2;
		} else if (*p == 's') {
			mul = 1e6;
			p++;
		} else if (*p == 'm') {
			mul = 60e6;
			p++;
		} else if (*p == 'h') {
			mul = 3600e6;
			p++;
		} else if (*p == 'd') {
			mul = 86400e6;
			p++;
		} else if (*p == 'w') {
			mul = 7 * 86400e6;
			p++;
		} else if (*p == '\0' && parts == 0) {
			mul = 1e6;
		} else
			goto bad;
		total += v * mul;
		parts++;
	}
	if (total > 9.2e18)
		goto bad;
	*us = (int64_t)nearbyint(total);
	return RTA_OK;
bad:
	return rta_error_set(err, RTA_EINVAL, "bad-duration",
	    "bad duration '%s' (use e.g. 500ms, 10s, 5m, 1h30m, 14d)", s);
}

static int parse_arg(const char *, int64_t, int64_t *, struct rta_error *);

int
rta_time_parse_arg(const char *s, int64_t now, int64_t *us,
    struct rta_error *err)
{
	int64_t t = 0;
	int rc;

	if ((rc = parse_arg(s, now, &t, err)) != RTA_OK)
		return rc;
	if (t < RTA_TIME_MIN || t > RTA_TIME_MAX)
		return rta_error_set(err, RTA_EINVAL, "bad-timestamp",
		    "time '%s' is outside the years 0001 to 9999", s);
	*us = t;
	return RTA_OK;
}

static int
parse_arg(const char *s, int64_t now, int64_t *us, struct rta_error *err)
{
	size_t len = strlen(s);
	int64_t d;
	char *end;
	double v;

	if (strcmp(s, "now") == 0) {
		*us = now;
		return RTA_OK;
	}
	if (s[0] == '-' && !isdigit((unsigned char)s[1]) && s[1] != '.')
		goto relative_bad;
	if (s[0] == '-' && rta_duration_parse(s + 1, &d, NULL) == RTA_OK &&
	    strpbrk(s + 1, "usmhdw") != NULL) {
		*us = now - d;
		return RTA_OK;
	}
	if (len > 4 && strcmp(s + len - 4, " ago") == 0) {
		char tmp[64];

		if (len - 4 >= sizeof(tmp))
			goto relative_bad;
		memcpy(tmp, s, len - 4);
		tmp[len - 4] = '\0';
		if (rta_duration_parse(tmp, &d, NULL) != RTA_OK)
			goto relative_bad;
		*us = now - d;
		return RTA_OK;
	}
	if (len == 10 && s[4] == '-' && s[7] == '-') {
		char tmp[32];

		memcpy(tmp, s, 10);
		memcpy(tmp + 10, "T00:00:00Z", 11);
		return rta_time_parse(tmp, 20, us, err);
	}
	if (len >= 19 && s[4] == '-')
		return rta_time_parse(s, len, us, err);
	v = strtod(s, &end);
	if (end != s && *end == '\0')
		return rta_time_from_epoch(v, RTA_EPOCH_AUTO, us, err);
	return rta_error_set(err, RTA_EINVAL, "bad-timestamp",
	    "bad time '%s' (use RFC 3339, YYYY-MM-DD, epoch, now, -24h)", s);
relative_bad:
	return rta_error_set(err, RTA_EINVAL, "bad-timestamp",
	    "bad relative time '%s' (use e.g. -24h or '2h ago')", s);
}

int64_t
rta_now(void)
{
	static int pinned = -1;
	static int64_t pinned_us;
	struct timespec ts;

	if (pinned < 0) {
		const char *s = getenv("RTA_NOW");

		pinned = 0;
		if (s != NULL && *s != '\0') {
			clock_gettime(CLOCK_REALTIME, &ts);
			if (rta_time_parse_arg(s, (int64_t)ts.tv_sec *
			    RTA_US_PER_SEC + ts.tv_nsec / 1000, &pinned_us,
			    NULL) == RTA_OK)
				pinned = 1;
		}
	}
	if (pinned)
		return pinned_us;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * RTA_US_PER_SEC + ts.tv_nsec / 1000;
}
