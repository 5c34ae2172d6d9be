/*
 * rta_uuid.h: event ids.
 *
 * New events get UUID version 7 (RFC 9562): 48 bits of Unix milliseconds,
 * then random bits, so ids sort by creation time and index well.  Ids that
 * must be the same on every run (rows of a CSV file without an id column)
 * are UUID version 8 built from a hash of the row, the only use RFC 9562
 * leaves to applications.
 */
#ifndef RTA_UUID_H
#define RTA_UUID_H

#include <stddef.h>
#include <stdint.h>

#define RTA_UUID_LEN	36	/* "xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx" */

/*
 * A new UUID v7 for the time ms (Unix milliseconds).  Within one
 * millisecond successive ids increase (RFC 9562 method 1: a 12-bit counter
 * in rand_a, seeded randomly each millisecond).  Writes 36 bytes, no NUL.
 * Not thread-safe; the random source is getrandom(2).
 */
void	rta_uuid_v7(char *out, int64_t ms);

/* UUID v7 from caller-supplied random bits (deterministic generators). */
void	rta_uuid_v7_from(char *out, int64_t ms, uint64_t r1, uint64_t r2);

/* A UUID v8 whose 122 free bits come from hashing len bytes at p. */
void	rta_uuid_v8_hash(char *out, const void *p, size_t len);

/* Format 16 bytes as the 36-character text form. */
void	rta_uuid_format(char *out, const unsigned char b[16]);

#endif
