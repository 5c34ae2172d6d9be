/*
 * rta_pqenc.c: Parquet's page encodings, decoded for rta_parquet's reader
 * and encoded for its writer.
 *
 * Decoding works straight from a page's bytes and trusts nothing in them:
 * RLE/bit-packed runs are bounded by the end of their data, and the
 * values taken from them by the values the page still expects (writers
 * pad the last bit-packed run, DuckDB to 32 groups); groups of eight are
 * unpacked with one 8-byte load a value wherever 8 bytes can be loaded.
 * DELTA_BINARY_PACKED miniblocks are unpacked and summed, wrapping in 64
 * bits.  BYTE_STREAM_SPLIT streams are transposed eight values at a time
 * (SSE2 where there is one).
 *
 * Encoding appends to a struct rta_buf, reserving the most a call can
 * write first: runs of 8 or more equal values as RLE runs and the rest
 * bit-packed, DELTA_BINARY_PACKED in blocks of 128 values in 4
 * miniblocks of 32, BYTE_STREAM_SPLIT of 8-byte values.
 */
#include <limits.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_pqenc.h"

#define DELTA_BLOCK_MAX	(1U << 24)	/* DELTA_BINARY_PACKED block values */

/* DELTA_BINARY_PACKED written: blocks of 128 values in 4 miniblocks of 32. */
#define DELTA_BLOCK	128
#define DELTA_MINI	32

/* ---- decoding: RLE / bit-packed hybrid ------------------------------ */

void
rta_rle_init(struct rta_rle *r, const unsigned char *p,
    const unsigned char *end, unsigned w, uint64_t left)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	r->end = end;
	r->w = w;
	r->left = left;
	r->gi = 8;
}

/*
 * The next run.  Its bytes are bounded by the end of the data, and the
 * values taken from it by the values still expected: writers pad the
 * last bit-packed run (DuckDB to 32 groups), and what lies beyond is
 * never read as a value.
 */
static const char *
rle_next(struct rta_rle *r)
{
	uint64_t h = 0, n;
	unsigned s, nb, i;
	uint32_t v;

	for (s = 0;; s += 7) {
		if (r->p == r->end)
			return "runs end before the values";
		if (s > 63)
			return "bad run header";
		h |= (uint64_t)(*r->p & 0x7f) << s;
		if ((*r->p++ & 0x80) == 0)
			break;
	}
	n = h >> 1;
	if (h & 1) {
		if (r->w > 0 && n > (uint64_t)(r->end - r->p) / r->w)
			return "bit-packed run past the end";
		r->bp = r->p;
		r->p += n * r->w;
		r->packed = 1;
		r->gi = 8;
		if (n > r->left)
			n = r->left;
		r->run = (uint32_t)(n * 8 < r->left ? n * 8 : r->left);
		return NULL;
	}
	nb = (r->w + 7) / 8;
	if (nb > (size_t)(r->end - r->p))
		return "run past the end";
	for (v = 0, i = 0; i < nb; i++)
		v |= (uint32_t)r->p[i] << (8 * i);
	r->p += nb;
	if (r->w < 32 && v >> r->w)
		return "run value wider than its bit width";
	r->val = v;
	r->packed = 0;
	r->run = (uint32_t)(n < r->left ? n : r->left);
	return NULL;
}

/* Eight values of w bits from the group at p (w bytes, end beyond). */
static void
unpack8(const unsigned char *p, const unsigned char *end, unsigned w,
    uint32_t *out)
{
	unsigned char tmp[48];
	uint64_t mask = ((uint64_t)1 << w) - 1;
	unsigned i, bit;

	if (w == 0) {
		memset(out, 0, 8 * sizeof(*out));
		return;
	}
	/* the last loads read up to 8 bytes from byte w - 1 */
	if ((size_t)(end - p) < w + 8) {
		memset(tmp, 0, sizeof(tmp));
		memcpy(tmp, p, w);
		p = tmp;
	}
	for (i = 0, bit = 0; i < 8; i++, bit += w)
		out[i] = (uint32_t)((rta_get_u64(p + (bit >> 3)) >>
		    (bit & 7)) & mask);
}

/*
 * g groups of eight w-bit values from p: while 8 bytes can be loaded past
 * a value's first byte, one load, shift and mask a value; unpack8 for the
 * groups near the end.
 */
static void
unpack_groups(const unsigned char *p, const unsigned char *end, unsigned w,
    uint32_t *out, size_t g)
{
	uint64_t mask = ((uint64_t)1 << w) - 1, bit;
	size_t fast = 0, i, n;

	if (w == 0) {
		memset(out, 0, 8 * g * sizeof(*out));
		return;
	}
	/* group k's last load reads bytes up to (k + 1) × w + 7 */
	if ((size_t)(end - p) >= w + 8)
		fast = ((size_t)(end - p) - 8) / w;
	if (fast > g)
		fast = g;
	for (i = 0, bit = 0, n = 8 * fast; i < n; i++, bit += w)
		out[i] = (uint32_t)((rta_get_u64(p + (bit >> 3)) >>
		    (bit & 7)) & mask);
	for (i = fast; i < g; i++)
		unpack8(p + i * w, end, w, out + 8 * i);
}

/* The next n (≤ r->left) values. */
const char *
rta_rle_get(struct rta_rle *r, uint32_t *out, size_t n)
{
	const char *why;
	size_t k, i;

	if (n > r->left)
		return "more values asked than expected";
	while (n > 0) {
		if (r->run == 0) {
			if ((why = rle_next(r)) != NULL)
				return why;
			continue;
		}
		k = n < r->run ? n : r->run;
		if (!r->packed)
			for (i = 0; i < k; i++)
				out[i] = r->val;
		else {
			i = 0;
			while (i < k && r->gi < 8)
				out[i++] = r->grp[r->gi++];
			if (k - i >= 8) {
				unpack_groups(r->bp, r->end, r->w, out + i,
				    (k - i) / 8);
				r->bp += (k - i) / 8 * r->w;
				i += (k - i) / 8 * 8;
			}
			if (i < k) {
				unpack8(r->bp, r->end, r->w, r->grp);
				r->bp += r->w;
				r->gi = 0;
				while (i < k)
					out[i++] = r->grp[r->gi++];
			}
		}
		out += k;
		n -= k;
		r->run -= (uint32_t)k;
		r->left -= k;
	}
	return NULL;
}

/* Definition levels (bit width 1) as 0/1 bytes: the next n values. */
const char *
rta_rle_levels(struct rta_rle *r, uint8_t *out, size_t n)
{
	const char *why;
	size_t k, i;
	unsigned b;

	if (n > r->left)
		return "more levels asked than expected";
	while (n > 0) {
		if (r->run == 0) {
			if ((why = rle_next(r)) != NULL)
				return why;
			continue;
		}
		k = n < r->run ? n : r->run;
		if (!r->packed)
			memset(out, (int)r->val, k);
		else {
			i = 0;
			while (i < k && r->gi < 8)
				out[i++] = (uint8_t)r->grp[r->gi++];
			for (; k - i >= 8; i += 8) {
				b = *r->bp++;
				out[i] = b & 1;
				out[i + 1] = b >> 1 & 1;
				out[i + 2] = b >> 2 & 1;
				out[i + 3] = b >> 3 & 1;
				out[i + 4] = b >> 4 & 1;
				out[i + 5] = b >> 5 & 1;
				out[i + 6] = b >> 6 & 1;
				out[i + 7] = b >> 7;
			}
			if (i < k) {
				b = *r->bp++;
				for (r->gi = 0; r->gi < 8; r->gi++)
					r->grp[r->gi] = b >> r->gi & 1;
				r->gi = 0;
				while (i < k)
					out[i++] = (uint8_t)r->grp[r->gi++];
			}
		}
		out += k;
		n -= k;
		r->run -= (uint32_t)k;
		r->left -= k;
	}
	return NULL;
}

/*
 * The number of 1s among all of a page's levels (bit width 1), read
 * from a copy of a fresh decoder: this checks every run of the page
 * before any value is returned, and tells how many values follow.
 */
const char *
rta_rle_count(struct rta_rle r, uint64_t *ones)
{
	const char *why;
	uint64_t k, i, c = 0;

	while (r.left > 0) {
		if ((why = rle_next(&r)) != NULL)
			return why;
		k = r.run;
		if (!r.packed)
			c += r.val ? k : 0;
		else {
			for (i = 0; i < k / 8; i++)
				c += (uint64_t)__builtin_popcount(r.bp[i]);
			if (k % 8)
				c += (uint64_t)__builtin_popcount(r.bp[i] &
				    ((1u << (k % 8)) - 1));
		}
		r.left -= k;
	}
	*ones = c;
	return NULL;
}

/* ---- decoding: DELTA_BINARY_PACKED ---------------------------------- */

static int
uleb(const unsigned char *p, size_t len, size_t *off, uint64_t *v)
{
	uint64_t x = 0;
	unsigned s;

	for (s = 0;; s += 7) {
		if (*off >= len || s > 63)
			return -1;
		x |= (uint64_t)(p[*off] & 0x7f) << s;
		if ((p[(*off)++] & 0x80) == 0)
			break;
	}
	*v = x;
	return 0;
}

static uint64_t
unzigzag(uint64_t v)
{
	return (v >> 1) ^ (0 - (v & 1));
}

/* The header of values p[0..len) holding n values. */
const char *
rta_delta_init(struct rta_delta *d, const unsigned char *p, size_t len,
    uint64_t n)
{
	uint64_t bsize, total, first;

	memset(d, 0, sizeof(*d));
	d->p = p;
	d->len = len;
	if (uleb(p, len, &d->off, &bsize) != 0 ||
	    uleb(p, len, &d->off, &d->nmini) != 0 ||
	    uleb(p, len, &d->off, &total) != 0 ||
	    uleb(p, len, &d->off, &first) != 0)
		return "delta header past the page end";
	if (bsize == 0 || bsize % 128 != 0 || bsize > DELTA_BLOCK_MAX)
		return "bad delta block size";
	if (d->nmini == 0 || bsize % d->nmini != 0 ||
	    (bsize / d->nmini) % 32 != 0)
		return "bad delta miniblock count";
	if (total != n)
		return "delta value count differs from the page's";
	d->per = bsize / d->nmini;
	d->left = n;
	d->last = unzigzag(first);
	d->first = 1;
	d->mini = d->nmini;
	return NULL;
}

/* The next block's header, and its first miniblock. */
static const char *
delta_block(struct rta_delta *d)
{
	uint64_t z;

	if (uleb(d->p, d->len, &d->off, &z) != 0)
		return "delta block past the page end";
	if (d->nmini > d->len - d->off)
		return "delta bit widths past the page end";
	d->min = unzigzag(z);
	d->woff = d->off;
	d->off += (size_t)d->nmini;
	d->mini = 0;
	return NULL;
}

/*
 * k values of width w from bit `bit` of p[0..len), as unsigned: 8-byte
 * loads while 9 bytes remain, byte by byte after that.  The caller has
 * checked that the values' bits lie inside.
 */
static void
unpack64(const unsigned char *p, size_t len, uint64_t bit, unsigned w,
    uint64_t *out, size_t k)
{
	uint64_t mask = w == 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1, v;
	size_t i, b;
	unsigned s, j;

	if (w == 0) {
		memset(out, 0, k * sizeof(*out));
		return;
	}
	for (i = 0; i < k; i++, bit += w) {
		b = (size_t)(bit >> 3);
		s = (unsigned)(bit & 7);
		if (b + 9 <= len) {
			v = rta_get_u64(p + b) >> s;
			if (s + w > 64)
				v |= (uint64_t)p[b + 8] << (64 - s);
		} else {
			v = 0;
			for (j = 0; j * 8 < s + w && b + j < len; j++)
				v |= j == 0 ? (uint64_t)p[b] >> s :
				    (uint64_t)p[b + j] << (8 * j - s);
		}
		out[i] = v & mask;
	}
}

/* The next n (≤ d->left) values into out. */
const char *
rta_delta_get(struct rta_delta *d, uint64_t *out, size_t n)
{
	const char *why;
	uint64_t last = d->last, min, bits;
	size_t i, k;

	if (n > d->left)
		return "more values asked than the page holds";
	d->left -= n;
	if (n > 0 && d->first) {
		*out++ = last;
		n--;
		d->first = 0;
	}
	while (n > 0) {
		if (d->mleft == 0) {
			if (d->mini == d->nmini &&
			    (why = delta_block(d)) != NULL)
				return why;
			d->w = d->p[d->woff + d->mini];
			if (d->w > 64)
				return "delta bit width past 64";
			d->moff = d->off;
			d->mbit = 0;
			d->mleft = d->per;
			/* the next miniblock's bytes, or past the end when
			 * this one is the last the writer kept */
			bits = d->per * d->w;
			d->off = d->len - d->off < bits / 8 ? d->len :
			    d->off + (size_t)(bits / 8);
			d->mini++;
		}
		k = n < d->mleft ? n : (size_t)d->mleft;
		if (d->w > 0 && (d->mbit + (uint64_t)k * d->w + 7) / 8 >
		    d->len - d->moff)
			return "delta values past the page end";
		unpack64(d->p + d->moff, d->len - d->moff, d->mbit, d->w,
		    out, k);
		min = d->min;
		for (i = 0; i < k; i++) {
			last += min + out[i];
			out[i] = last;
		}
		d->mbit += (uint64_t)k * d->w;
		d->mleft -= k;
		out += k;
		n -= k;
	}
	d->last = last;
	return NULL;
}

/* ---- decoding: BYTE_STREAM_SPLIT ------------------------------------ */

/*
 * BYTE_STREAM_SPLIT of 8-byte values, eight at a time: the eight bytes
 * of each stream are an 8 × 8 byte matrix to transpose, three rounds of
 * interleaving.  The values done: a multiple of 8 (0 without SSE2).
 */
static size_t
split8(unsigned char *dst, const unsigned char *s, size_t sn, size_t nn)
{
#if defined(__SSE2__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	__m128i a[8], t[4], u[4];
	size_t i;
	int b;

	for (i = 0; i + 8 <= nn; i += 8) {
		for (b = 0; b < 8; b++)
			a[b] = _mm_loadl_epi64((const __m128i *)(const void *)
			    (s + (size_t)b * sn + i));
		t[0] = _mm_unpacklo_epi8(a[0], a[1]);
		t[1] = _mm_unpacklo_epi8(a[2], a[3]);
		t[2] = _mm_unpacklo_epi8(a[4], a[5]);
		t[3] = _mm_unpacklo_epi8(a[6], a[7]);
		u[0] = _mm_unpacklo_epi16(t[0], t[1]);
		u[1] = _mm_unpackhi_epi16(t[0], t[1]);
		u[2] = _mm_unpacklo_epi16(t[2], t[3]);
		u[3] = _mm_unpackhi_epi16(t[2], t[3]);
		_mm_storeu_si128((__m128i *)(void *)(dst + 8 * i),
		    _mm_unpacklo_epi32(u[0], u[2]));
		_mm_storeu_si128((__m128i *)(void *)(dst + 8 * i + 16),
		    _mm_unpackhi_epi32(u[0], u[2]));
		_mm_storeu_si128((__m128i *)(void *)(dst + 8 * i + 32),
		    _mm_unpacklo_epi32(u[1], u[3]));
		_mm_storeu_si128((__m128i *)(void *)(dst + 8 * i + 48),
		    _mm_unpackhi_epi32(u[1], u[3]));
	}
	return i;
#else
	(void)dst;
	(void)s;
	(void)sn;
	(void)nn;
	return 0;
#endif
}

void
rta_unsplit(unsigned char *dst, const unsigned char *s, size_t sn, size_t nn,
    size_t w)
{
	size_t i;

	if (w == 4) {
		for (i = 0; i < nn; i++)
			rta_put_u32(dst + 4 * i, (uint32_t)s[i] |
			    (uint32_t)s[i + sn] << 8 |
			    (uint32_t)s[i + 2 * sn] << 16 |
			    (uint32_t)s[i + 3 * sn] << 24);
		return;
	}
	i = split8(dst, s, sn, nn);
	for (; i < nn; i++)
		rta_put_u64(dst + 8 * i, (uint64_t)s[i] |
		    (uint64_t)s[i + sn] << 8 |
		    (uint64_t)s[i + 2 * sn] << 16 |
		    (uint64_t)s[i + 3 * sn] << 24 |
		    (uint64_t)s[i + 4 * sn] << 32 |
		    (uint64_t)s[i + 5 * sn] << 40 |
		    (uint64_t)s[i + 6 * sn] << 48 |
		    (uint64_t)s[i + 7 * sn] << 56);
}

/* ---- encoding: RLE / bit-packed hybrid ------------------------------ */

unsigned
rta_bit_width(uint32_t max)
{
	unsigned w = 0;

	while (max != 0) {
		w++;
		max >>= 1;
	}
	return w;
}

static unsigned char *
put_uleb(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* Bit-pack v[0 .. n) (n ≤ 8 × groups, zero-padded) in width w. */
static unsigned char *
pack_run(unsigned char *p, const uint32_t *v, size_t n, unsigned w)
{
	size_t i, groups = (n + 7) / 8;
	uint64_t acc;
	unsigned nb, k;

	p = put_uleb(p, (uint64_t)groups << 1 | 1);
	for (i = 0; i < groups * 8; i += 8) {
		acc = 0;
		nb = 0;
		for (k = 0; k < 8; k++) {
			if (i + k < n)
				acc |= (uint64_t)v[i + k] << nb;
			nb += w;
			while (nb >= 8) {
				*p++ = (unsigned char)acc;
				acc >>= 8;
				nb -= 8;
			}
		}
	}
	return p;
}

unsigned char *
rta_enc_rle_run(unsigned char *p, uint32_t v, size_t n, unsigned w)
{
	unsigned k;

	p = put_uleb(p, (uint64_t)n << 1);
	for (k = 0; k < w; k += 8)
		*p++ = (unsigned char)(v >> k);
	return p;
}

/* The most bytes rta_enc_rle writes for n values of width w. */
size_t
rta_enc_rle_bound(size_t n, unsigned w)
{
	return (n / 8 + 2) * (w + 2 * 10) + 16;
}

/*
 * Encode v[0 .. n) in width w: runs of 8 or more equal values as RLE
 * runs, the rest bit-packed.  A bit-packed run must hold whole groups of
 * 8 except at the very end, so a pending run takes the first values of
 * an equal run to fill its last group; what is left of the equal run is
 * RLE if still 8 or more.  Returns the end of the output.
 */
unsigned char *
rta_enc_rle(unsigned char *p, const uint32_t *v, size_t n, unsigned w)
{
	size_t i = 0, ps = 0, j, run, fill;

	while (i < n) {
		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		run = j - i;
		if (run >= 8) {
			fill = (8 - (i - ps) % 8) % 8;
			if (run - fill >= 8) {
				if (i + fill > ps)
					p = pack_run(p, v + ps, i + fill - ps,
					    w);
				p = rta_enc_rle_run(p, v[i], run - fill, w);
				ps = j;
			}
		}
		i = j;
	}
	if (n > ps)
		p = pack_run(p, v + ps, n - ps, w);
	return p;
}

/* ---- encoding: values --------------------------------------------------- */

/* Append bit-packed booleans v[0 .. n). */
int
rta_enc_bools(struct rta_buf *a, const unsigned char *v, size_t n)
{
	unsigned char *p;
	size_t i;

	if (rta_buf_reserve(a, (n + 7) / 8) != 0)
		return -1;
	p = a->data + a->len;
	memset(p, 0, (n + 7) / 8);
	for (i = 0; i < n; i++)
		p[i / 8] |= (unsigned char)(v[i] << (i % 8));
	a->len += (n + 7) / 8;
	return 0;
}

/* Append 8-byte values v[0 .. n) in little-endian order. */
int
rta_enc_words(struct rta_buf *a, const unsigned char *v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return rta_buf_add(a, v, 8 * n);
#else
	uint64_t x;
	size_t i;

	if (rta_buf_reserve(a, 8 * n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&x, v + 8 * i, 8);
		rta_put_u64(a->data + a->len, x);
		a->len += 8;
	}
	return 0;
#endif
}

/*
 * Append 8-byte values v[0 .. n) BYTE_STREAM_SPLIT: the first bytes of
 * every value (little-endian), then the second bytes, and so on.  The
 * bytes of a double that vary least (sign, exponent) end up together,
 * where zstd finds long matches.
 */
int
rta_enc_split(struct rta_buf *a, const unsigned char *v, size_t n)
{
	unsigned char *p;
	uint64_t x;
	size_t i;

	if (rta_buf_reserve(a, 8 * n) != 0)
		return -1;
	p = a->data + a->len;
	for (i = 0; i < n; i++) {
		memcpy(&x, v + 8 * i, 8);
		p[i] = (unsigned char)x;
		p[i + n] = (unsigned char)(x >> 8);
		p[i + 2 * n] = (unsigned char)(x >> 16);
		p[i + 3 * n] = (unsigned char)(x >> 24);
		p[i + 4 * n] = (unsigned char)(x >> 32);
		p[i + 5 * n] = (unsigned char)(x >> 40);
		p[i + 6 * n] = (unsigned char)(x >> 48);
		p[i + 7 * n] = (unsigned char)(x >> 56);
	}
	a->len += 8 * n;
	return 0;
}

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* 32 values u[] of w bits, packed least significant bit first. */
static unsigned char *
pack32(unsigned char *p, const uint64_t *u, unsigned w)
{
	uint64_t acc = 0;
	unsigned nb = 0, i, rest;

	if (w == 0)
		return p;
	for (i = 0; i < DELTA_MINI; i++) {
		acc |= u[i] << nb;
		if (nb + w < 64) {
			nb += w;
			continue;
		}
		rta_put_u64(p, acc);
		p += 8;
		rest = nb + w - 64;	/* bits of u[i] still to store */
		acc = rest > 0 ? u[i] >> (w - rest) : 0;
		nb = rest;
	}
	/* 32 × w bits end on a byte: nb is 0 or 32 */
	for (i = 0; i < nb / 8; i++)
		*p++ = (unsigned char)(acc >> (8 * i));
	return p;
}

/*
 * Append int64 values v[0 .. n) DELTA_BINARY_PACKED: the first value,
 * then each block's smallest delta and the deltas less it, bit-packed by
 * miniblock at the width its largest needs.  Timestamps a few
 * microseconds apart take a few bits each instead of eight bytes.  The
 * deltas wrap in 64 bits, as the format says; a last block's unused
 * miniblocks have width 0 and no bytes.
 */
int
rta_enc_delta(struct rta_buf *a, const unsigned char *v, size_t n)
{
	uint64_t d[DELTA_BLOCK], any;
	int64_t x, prev, min;
	unsigned char *p;
	size_t i, k, m, j;
	unsigned w[DELTA_BLOCK / DELTA_MINI];

	if (rta_buf_reserve(a, 4 * 10 + (n / DELTA_BLOCK + 1) *
	    (10 + DELTA_BLOCK / DELTA_MINI + 8 * DELTA_BLOCK)) != 0)
		return -1;
	p = a->data + a->len;
	prev = 0;
	if (n > 0)
		memcpy(&prev, v, 8);
	p = put_uleb(p, DELTA_BLOCK);
	p = put_uleb(p, DELTA_BLOCK / DELTA_MINI);
	p = put_uleb(p, n);
	p = put_uleb(p, zigzag(prev));
	for (i = 1; i < n; i += k) {
		k = n - i < DELTA_BLOCK ? n - i : DELTA_BLOCK;
		min = INT64_MAX;
		for (j = 0; j < k; j++) {
			memcpy(&x, v + 8 * (i + j), 8);
			d[j] = (uint64_t)x - (uint64_t)prev;
			prev = x;
			min = (int64_t)d[j] < min ? (int64_t)d[j] : min;
		}
		for (j = 0; j < k; j++)
			d[j] -= (uint64_t)min;
		for (; j < DELTA_BLOCK; j++)
			d[j] = 0;
		p = put_uleb(p, zigzag(min));
		for (m = 0; m < DELTA_BLOCK / DELTA_MINI; m++) {
			for (any = 0, j = 0; j < DELTA_MINI; j++)
				any |= d[m * DELTA_MINI + j];
			w[m] = any == 0 ? 0 :
			    64 - (unsigned)__builtin_clzll(any);
			*p++ = (unsigned char)w[m];
		}
		for (m = 0; m * DELTA_MINI < k; m++)
			p = pack32(p, d + m * DELTA_MINI, w[m]);
	}
	a->len = (size_t)(p - a->data);
	return 0;
}

/* Append dictionary indices v[0 .. n) of width bw after their width. */
int
rta_enc_indices(struct rta_buf *a, const unsigned char *v, size_t n,
    unsigned bw)
{
	unsigned char *p, *q;

	if (rta_buf_reserve(a, 1 + rta_enc_rle_bound(n, bw)) != 0)
		return -1;
	p = a->data + a->len;
	*p = (unsigned char)bw;
	q = rta_enc_rle(p + 1, (const uint32_t *)(const void *)v, n, bw);
	a->len += (size_t)(q - p);
	return 0;
}
