/*
 * rta_time.h: event time.
 *
 * Inside rta a time is an int64 count of microseconds since 1970-01-01
 * UTC, limited to the years 0001 to 9999 so that every value has an RFC
 * 3339 form.  Durations are int64 microseconds too.
 */
#ifndef RTA_TIME_H
#define RTA_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "rta_err.h"

#define RTA_TIME_MIN	(-62135596800000000LL)	/* 0001-01-01T00:00:00Z */
#define RTA_TIME_MAX	(253402300799999999LL)	/* 9999-12-31T23:59:59.999999Z */
#define RTA_TIME_LEN	27	/* strlen("2026-11-26T10:00:00.123456Z") */

#define RTA_US_PER_SEC	1000000LL

enum rta_epoch_unit {
	RTA_EPOCH_AUTO = 0,	/* by magnitude: see rta_time_from_epoch */
	RTA_EPOCH_S,
	RTA_EPOCH_MS,
	RTA_EPOCH_US
};

/*
 * Parse an RFC 3339 date-time: YYYY-MM-DD, 'T' (or 't' or one space),
 * hh:mm:ss, an optional fraction of any length (digits beyond the
 * microsecond are truncated), then 'Z'/'z' or +hh:mm/-hh:mm.  A leap
 * second (ss = 60) is read as the first microsecond of the next minute
 * minus one, i.e. hh:mm:59.999999.  RTA_OK or RTA_EDATA ("bad-timestamp",
 * with the field that is wrong in err->text).
 */
int	rta_time_parse(const char *s, size_t len, int64_t *us,
	    struct rta_error *err);

/*
 * Convert an epoch number.  With RTA_EPOCH_AUTO the unit follows the
 * magnitude: |v| < 1e11 seconds, < 1e14 milliseconds, otherwise
 * microseconds (so ms and µs stamps after 1973-03-03 are read right).
 * Fractions below a microsecond are rounded to the nearest.
 */
int	rta_time_from_epoch(double v, enum rta_epoch_unit unit, int64_t *us,
	    struct rta_error *err);
int	rta_time_from_epoch_i64(int64_t v, enum rta_epoch_unit unit,
	    int64_t *us, struct rta_error *err);

/*
 * A timestamp given as text of either kind: an epoch number (JSON number
 * syntax, unit as for rta_time_from_epoch) or RFC 3339.
 */
int	rta_time_parse_any(const char *s, size_t len, enum rta_epoch_unit unit,
	    int64_t *us, struct rta_error *err);

/* Write the canonical form "YYYY-MM-DDThh:mm:ss.ffffffZ" (27 bytes, no
 * NUL); us must be in range. */
void	rta_time_format(char *out, int64_t us);

/*
 * Parse a duration: one or more <number><unit> with units us, ms, s, m,
 * h, d, w ("90s", "1h30m", "1.5s"); a bare number is seconds.
 */
int	rta_duration_parse(const char *s, int64_t *us, struct rta_error *err);

/*
 * Parse a time argument given on a command line: RFC 3339, a date alone
 * (midnight UTC), an epoch number, "now", or now minus a duration
 * ("-24h", "24h ago").  now is the reference time.
 */
int	rta_time_parse_arg(const char *s, int64_t now, int64_t *us,
	    struct rta_error *err);

/* Wall clock in microseconds; RTA_NOW (any form rta_time_parse_arg
 * takes) pins it, for tests. */
int64_t	rta_now(void);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t	rta_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The civil date of day z (days since 1970-01-01). */
void	rta_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
