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

/*
 * 1 if every one of the n bytes at p is in 0x01..0x7F: ASCII without NUL,
 * the common case for ids and keys, which then need no UTF-8 decoding.
 * Reads whole (overlapping) words and never a byte outside p[0..n).
 */
static inline int
rta_plain_ascii(const void *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t acc = 0, w;
	uint32_t x, y;

	/* b is 0x00 or >= 0x80 exactly when b | (0x80 - b) has its top
	 * bit; a borrow only flags a neighbour of a byte flagged rightly */
	if (n >= 8) {
		while (n > 8) {
			__builtin_memcpy(&w, p, 8);
			acc |= w | (highs - w);
			p += 8;
			n -= 8;
		}
		__builtin_memcpy(&w, p + n - 8, 8);
		acc |= w | (highs - w);
	} else if (n >= 4) {
		__builtin_memcpy(&x, p, 4);
		__builtin_memcpy(&y, p + n - 4, 4);
		w = x | (uint64_t)y << 32;
		acc = w | (highs - w);
	} else if (n > 0) {
		w = p[0] | (uint64_t)p[n / 2] << 8 | (uint64_t)p[n - 1] << 16 |
		    0x4141414141000000ULL;
		acc = w | (highs - w);
	}
	return (acc & highs) == 0;
}

/* Encode code point cp (valid, not a surrogate) into out; returns 1..4. */
size_t	rta_utf8_encode(unsigned char *out, uint32_t cp);

#endif
