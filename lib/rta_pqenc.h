/*
 * rta_pqenc.h: Parquet's page encodings, decoded and encoded: the
 * RLE/bit-packed hybrid (definition levels, dictionary indices),
 * DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT and the PLAIN layouts the
 * writer uses.  rta_parquet's reader and writer share them.
 *
 * Decoders return NULL, or what is wrong with the data (a static string
 * for a message); they read nothing outside the range they were given.
 */
#ifndef RTA_PQENC_H
#define RTA_PQENC_H

#include <stddef.h>
#include <stdint.h>

struct rta_buf;

/* ---- decoding ----------------------------------------------------------- */

/* A decoder of RLE/bit-packed hybrid runs. */
struct rta_rle {
	const unsigned char	*p, *end;	/* run headers and data */
	uint64_t		 left;		/* values still expected */
	uint32_t		 run;		/* values left in the run */
	uint32_t		 val;		/* the RLE run's value */
	unsigned		 w;		/* bit width, 0..32 */
	int			 packed;
	const unsigned char	*bp;		/* packed: the next group */
	unsigned		 gi;		/* next of grp[], 8: none */
	uint32_t		 grp[8];
};

/*
 * Runs from [p, end) of width w (0..32), of which left values are
 * expected: values beyond them (a writer's padding) are never read.
 */
void	rta_rle_init(struct rta_rle *r, const unsigned char *p,
	    const unsigned char *end, unsigned w, uint64_t left);
/* The next n (≤ r->left) values. */
const char *rta_rle_get(struct rta_rle *r, uint32_t *out, size_t n);
/* Definition levels (bit width 1) as 0/1 bytes: the next n values. */
const char *rta_rle_levels(struct rta_rle *r, uint8_t *out, size_t n);
/*
 * The number of 1s among all of a page's levels (bit width 1), read
 * from a copy of a fresh decoder: this checks every run of the page
 * before any value is returned, and tells how many values follow.
 */
const char *rta_rle_count(struct rta_rle r, uint64_t *ones);

/*
 * A page's DELTA_BINARY_PACKED values: a header (block size, miniblocks
 * a block, total values, first value), then blocks of a minimum delta,
 * one bit width a miniblock, and the miniblocks' bit-packed deltas less
 * that minimum.  Offsets are from p, so that a miniblock whose bytes the
 * writer left out (those after the last value) is never pointed at.  The
 * sums wrap in 64 bits; an INT32 column's values are the low 32 bits.
 */
struct rta_delta {
	const unsigned char	*p;
	size_t			 len, off;	/* the next block or miniblock */
	uint64_t		 left;		/* values still to return */
	uint64_t		 nmini, per;	/* miniblocks a block, values each */
	uint64_t		 last;		/* the value returned last */
	int			 first;		/* the first not returned yet */
	uint64_t		 min;		/* the block's minimum delta */
	size_t			 woff;		/* its bit widths */
	uint64_t		 mini;		/* next miniblock; nmini: none */
	uint64_t		 mleft;		/* values left in the current one */
	size_t			 moff;		/* its bytes */
	uint64_t		 mbit;		/* its next value's bit */
	unsigned		 w;		/* its bit width */
};

/* The header of the values p[0..len) (borrowed), which hold n values. */
const char *rta_delta_init(struct rta_delta *d, const unsigned char *p,
	    size_t len, uint64_t n);
/* The next n (≤ d->left) values into out. */
const char *rta_delta_get(struct rta_delta *d, uint64_t *out, size_t n);

/*
 * nn values of w (4 or 8) bytes from BYTE_STREAM_SPLIT streams of sn
 * values each at s (byte k of value i at s[k × sn + i]) into dst, in
 * little-endian PLAIN layout.
 */
void	rta_unsplit(unsigned char *dst, const unsigned char *s, size_t sn,
	    size_t nn, size_t w);

/* ---- encoding ----------------------------------------------------------- */

/* The bits max needs (0 for 0). */
unsigned rta_bit_width(uint32_t max);
/* The most bytes rta_enc_rle writes for n values of width w. */
size_t	rta_enc_rle_bound(size_t n, unsigned w);
/*
 * Encode v[0 .. n) in width w at p, which has room for
 * rta_enc_rle_bound(n, w) bytes: runs of 8 or more equal values as RLE
 * runs, the rest bit-packed.  Returns the end of the output.
 */
unsigned char *rta_enc_rle(unsigned char *p, const uint32_t *v, size_t n,
	    unsigned w);
/* One RLE run of n values v of width w at p; returns its end. */
unsigned char *rta_enc_rle_run(unsigned char *p, uint32_t v, size_t n,
	    unsigned w);

/*
 * Append to a: bit-packed booleans v[0 .. n) (bytes 0/1); 8-byte values
 * v[0 .. n) PLAIN (little-endian), BYTE_STREAM_SPLIT, or, as int64,
 * DELTA_BINARY_PACKED; uint32 dictionary indices v[0 .. n) of width bw,
 * after a byte holding bw.  0, or -1 when out of memory (a unchanged).
 */
int	rta_enc_bools(struct rta_buf *a, const unsigned char *v, size_t n);
int	rta_enc_words(struct rta_buf *a, const unsigned char *v, size_t n);
int	rta_enc_split(struct rta_buf *a, const unsigned char *v, size_t n);
int	rta_enc_delta(struct rta_buf *a, const unsigned char *v, size_t n);
int	rta_enc_indices(struct rta_buf *a, const unsigned char *v, size_t n,
	    unsigned bw);

#endif /* RTA_PQENC_H */
