/*
 * rta_dtoa.h: the digits of the shortest decimal that reads back as a
 * double (rta_fmt_double in rta_value.h writes them as JSON does).
 */
#ifndef RTA_DTOA_H
#define RTA_DTOA_H

#include <stdint.h>

/*
 * For a finite v > 0 that is not a power of two above the least normal:
 * the fewest digits d (no trailing zero) and e with d 10^e reading back
 * as v, the one nearest v if several; returns 1.  Returns 0 otherwise,
 * for the caller to format v another way (the sign is the caller's).
 */
int	rta_dtoa_shortest(double v, uint64_t *digits, int *exp10);

#endif
