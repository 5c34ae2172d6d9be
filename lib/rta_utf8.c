/*
 * rta_utf8.c: a branchy but exact UTF-8 validator with an ASCII fast path.
 *
 * Event payloads are overwhelmingly ASCII, so eight bytes are tested at a
 * time for a high bit and skipped whole; only multi-byte sequences take the
 * careful path that rejects overlong forms, surrogates and values beyond
 * U+10FFFF, as RFC 3629 and the JSON RFC require.
 */
#include <string.h>

#include "rta_utf8.h"

size_t
rta_utf8_seqlen(const unsigned char *p, size_t len)
{
	unsigned char c;

	if (len == 0)
		return 0;
	c = p[0];
	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;		/* continuation byte or overlong 2-byte */
	if (c < 0xe0) {
		if (len < 2 || (p[1] & 0xc0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xf0) {
		if (len < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0;	/* UTF-16 surrogate */
		return 3;
	}
	if (c < 0xf5) {
		if (len < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;	/* beyond U+10FFFF */
		return 4;
	}
	return 0;
}

int
rta_utf8_valid(const void *s, size_t len, size_t *bad)
{
	const unsigned char *p = s;
	size_t i = 0;

	while (i < len) {
		size_t n;

		if (len - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = rta_utf8_seqlen(p + i, len - i)) == 0) {
			if (bad != NULL)
				*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

size_t
rta_utf8_encode(unsigned char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}
