/*
 * rta_utf8.h: UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF).
 */
#ifndef RTA_UTF8_H
#define RTA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the valid UTF-8 sequence starting at p (1 to 4), or 0 if the
 * bytes there are not a valid sequence (or len is 0).
 */
size_t	rta_utf8_seqlen(const unsigned char *p, size_t len);

/* 1 if all len bytes are valid UTF-8, else 0 (and *bad, if not NULL, is
 * the offset of the first bad byte). */
int	rta_utf8_valid(const void *p, size_t len, size_t *bad);

/* Encode code point cp (valid, not a surrogate) into out; returns 1..4. */
size_t	rta_utf8_encode(unsigned char *out, uint32_t cp);

#endif
