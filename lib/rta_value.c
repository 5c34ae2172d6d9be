/*
 * rta_value.c: building, checking, walking and printing typed values.
 *
 * The checker is the gate for untrusted binary input: after it, every
 * length is known to lie inside its parent, so the walkers and the JSON
 * printer can run without bounds checks.  Its cost is one pass over the
 * bytes (UTF-8 has an ASCII fast path), cheap next to the pipe.
 *
 * Printing is the hot half of binary -> NDJSON: strings are copied in runs
 * found sixteen bytes at a time (SSE2, which every x86-64 has), and numbers
 * written as text keep the text they came with, so 175.55 stays 175.55.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_dtoa.h"
#include "rta_hash.h"
#include "rta_utf8.h"
#include "rta_value.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---------------------------------------------------------------- encode */

int
rta_venc_null(struct rta_buf *b)
{
	return rta_buf_addc(b, RTA_V_NULL);
}

int
rta_venc_bool(struct rta_buf *b, int v)
{
	return rta_buf_addc(b, v ? RTA_V_TRUE : RTA_V_FALSE);
}

int
rta_venc_int(struct rta_buf *b, int64_t v)
{
	if (rta_buf_reserve(b, 9) != 0)
		return -1;
	b->data[b->len] = RTA_V_INT;
	rta_put_u64(b->data + b->len + 1, (uint64_t)v);
	b->len += 9;
	return 0;
}

int
rta_venc_double(struct rta_buf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	if (rta_buf_reserve(b, 9) != 0)
		return -1;
	b->data[b->len] = RTA_V_DOUBLE;
	rta_put_u64(b->data + b->len + 1, u);
	b->len += 9;
	return 0;
}

int
rta_venc_number(struct rta_buf *b, double d, const char *text, size_t len)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	if (len > UINT32_MAX || rta_buf_reserve(b, 13 + len) != 0)
		return -1;
	b->data[b->len] = RTA_V_NUMBER;
	rta_put_u64(b->data + b->len + 1, u);
	rta_put_u32(b->data + b->len + 9, (uint32_t)len);
	memcpy(b->data + b->len + 13, text, len);
	b->len += 13 + len;
	return 0;
}

int
rta_venc_string(struct rta_buf *b, const char *s, size_t len)
{
	if (len > UINT32_MAX || rta_buf_reserve(b, 5 + len) != 0)
		return -1;
	b->data[b->len] = RTA_V_STRING;
	rta_put_u32(b->data + b->len + 1, (uint32_t)len);
	if (len > 0)
		memcpy(b->data + b->len + 5, s, len);
	b->len += 5 + len;
	return 0;
}

size_t
rta_venc_begin(struct rta_buf *b, enum rta_vtag tag)
{
	size_t off = b->len;

	if (rta_buf_reserve(b, 9) != 0)
		return (size_t)-1;
	b->data[off] = (unsigned char)tag;
	memset(b->data + off + 1, 0, 8);
	b->len += 9;
	return off;
}

void
rta_venc_end(struct rta_buf *b, size_t off, uint32_t count)
{
	rta_put_u32(b->data + off + 1, count);
	rta_put_u32(b->data + off + 5, (uint32_t)(b->len - off - 9));
}

int
rta_venc_key(struct rta_buf *b, const char *k, size_t len)
{
	if (len > UINT32_MAX || rta_buf_reserve(b, 4 + len) != 0)
		return -1;
	rta_put_u32(b->data + b->len, (uint32_t)len);
	if (len > 0)
		memcpy(b->data + b->len + 4, k, len);
	b->len += 4 + len;
	return 0;
}

/* ----------------------------------------------------------------- check */

/*
 * The text of a number value must read back, from NDJSON, as the same
 * kind of value: JSON number grammar
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, not an integer (those
 * are ints; "-0" is the one integer kept as text), and finite.  Finiteness
 * is decided from the digits when the decimal exponent is clearly in range,
 * with strtod only for the rare text near the edges.
 */
static int
number_text_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	long mag = 0, ex = 0;
	int lead = 1, real = 0, eneg = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return 0;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9') {
		lead = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (mag < 100000)
				mag++;
			i++;
		}
	} else
		return 0;
	if (i < n && s[i] == '.') {
		real = 1;
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (lead && s[i] == '0' && mag > -100000)
				mag--;
			else
				lead = 0;
			i++;
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		real = 1;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (ex < 100000)
				ex = ex * 10 + (s[i] - '0');
			i++;
		}
	}
	if (i != n)
		return 0;
	if (!real && !(n == 2 && s[0] == '-' && s[1] == '0'))
		return 0;
	if (mag + (eneg ? -ex : ex) < 300)
		return 1;	/* at most about 1e300: finite */
	{
		char small[64], *buf = small;
		double d;

		if (n >= sizeof(small) && (buf = rta_malloc(n + 1)) == NULL)
			return 0;
		memcpy(buf, s, n);
		buf[n] = '\0';
		d = strtod(buf, NULL);
		if (buf != small)
			rta_free(buf);
		return isfinite(d);
	}
}

/*
 * The usual number text, a plain decimal such as 12.34 or -0.5: sign,
 * integer digits without a leading zero (or one zero), a point, digits, at
 * most 24 bytes (so finite).  1 if s is exactly that; 0 means "let
 * number_text_ok decide", not "bad".
 */
static inline int
plain_decimal(const unsigned char *s, size_t n)
{
	size_t i = s[0] == '-', dot;

	if (n > 24 || n < i + 3)
		return 0;
	if (s[i] == '0' ? s[i + 1] != '.' : s[i] < '1' || s[i] > '9')
		return 0;
	for (dot = i + 1; dot < n && s[dot] != '.'; dot++)
		if ((unsigned)(s[dot] - '0') > 9)
			return 0;
	if (dot + 1 >= n)
		return 0;
	for (i = dot + 1; i < n; i++)
		if ((unsigned)(s[i] - '0') > 9)
			return 0;
	return 1;
}

struct keyref {
	uint64_t		 h;
	const unsigned char	*k;
	uint32_t		 n;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->k, y->k, x->n);
}

/*
 * Duplicates among n keys, compared pairwise when there are few (the
 * caller's filter already said two may be equal) and sorted by a hash when
 * there are many, so a hostile 1,024-key object costs n log n, not n
 * squared.
 */
static int
has_duplicate_keys(struct keyref *refs, uint32_t n)
{
	uint32_t i, j;

	if (n <= 16) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++)
				if (refs[i].n == refs[j].n &&
				    memcmp(refs[i].k, refs[j].k, refs[i].n) == 0)
					return 1;
		return 0;
	}
	for (i = 0; i < n; i++)
		refs[i].h = rta_hash64(refs[i].k, refs[i].n, 0);
	qsort(refs, n, sizeof(*refs), keyref_cmp);
	for (i = 1; i < n; i++)
		if (keyref_cmp(&refs[i - 1], &refs[i]) == 0)
			return 1;
	return 0;
}

/*
 * The checker makes one pass.  Strings and keys are not UTF-8-validated
 * on the way: their bytes are ORed into `high`, and only if some byte had
 * its top bit set (rare in event data) does a second pass validate them.
 */
struct checker {
	const unsigned char	*base;
	unsigned		 max_depth;
	size_t			 max_members;
	int			 utf8;		/* second pass: validate */
	int			 padded;	/* 16 readable bytes after len */
	uint64_t		 high;
	struct rta_error	*err;
};

static int
check_fail(struct checker *c, const unsigned char *at, int code,
    const char *reason, const char *what)
{
	rta_error_set(c->err, code, reason, "%s", what);
	if (c->err != NULL)
		c->err->offset = (size_t)(at - c->base);
	return -1;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * A high bit somewhere when some byte of w is 0x00 or 0x80 and above: a
 * byte b is one of those exactly when b or 0x80 - b has its top bit.
 * Borrows between bytes can flag a byte wrongly, but only next to a byte
 * that is flagged rightly, so as a test of the whole word it never misses.
 */
static inline uint64_t
special(uint64_t w)
{
	return w | (HIGHS - w);
}

/*
 * Account for n text bytes at p; 0, or -1 if they are not valid UTF-8 or
 * hold U+0000 (which NDJSON cannot carry: jansson and rta reject \u0000).
 */
__attribute__((always_inline)) static inline int
text(struct checker *c, uint64_t *high, const unsigned char *p, size_t n)
{
	uint64_t acc = 0, w;

	if (c->utf8)
		return rta_utf8_valid(p, n, NULL) && memchr(p, 0, n) == NULL ?
		    0 : -1;
#if defined(__SSE2__)
	if (c->padded) {
		/* per byte, so no borrows: b | (0x80 - b) is exact here */
		const __m128i h = _mm_set1_epi8((char)0x80);
		__m128i v;
		unsigned m = 0;

		while (n > 16) {
			v = _mm_loadu_si128((const __m128i *)p);
			m |= (unsigned)_mm_movemask_epi8(_mm_or_si128(v,
			    _mm_sub_epi8(h, v)));
			p += 16;
			n -= 16;
		}
		v = _mm_loadu_si128((const __m128i *)p);
		m |= (unsigned)_mm_movemask_epi8(_mm_or_si128(v,
		    _mm_sub_epi8(h, v))) & ((1U << n) - 1);
		*high |= m != 0 ? HIGHS : 0;
		return 0;
	}
#endif
	if (n >= 8) {
		/* whole words, then one last word overlapping the end */
		while (n > 8) {
			memcpy(&w, p, 8);
			acc |= special(w);
			p += 8;
			n -= 8;
		}
		memcpy(&w, p + n - 8, 8);
		acc |= special(w);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		acc = special(x | (uint64_t)y << 32);
	} else if (n > 0)
		acc = special(p[0] | (uint64_t)p[n / 2] << 8 |
		    (uint64_t)p[n - 1] << 16 | 0x4141414141000000ULL);
	*high |= acc;
	return 0;
}

static size_t check_value(struct checker *, const unsigned char *, size_t,
    unsigned);

/* The filter bit of a key of kl bytes at k (see check_container). */
static inline uint64_t
key_bit(const unsigned char *k, uint32_t kl)
{
	return kl > 0 ? 1ULL << ((kl * 7 + k[0] * 3 + k[kl - 1]) & 63) : 1;
}

#if defined(__SSE2__)
/* Bit i set when byte i of the 16 at p is 0x00 or 0x80 and above. */
static inline unsigned
special16(const unsigned char *p)
{
	const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(v,
	    _mm_sub_epi8(_mm_set1_epi8((char)0x80), v)));
}

/*
 * The first pass over an object's members in the usual case: padded
 * text (16 readable bytes past the value), keys of at most 16 bytes,
 * values that are strings, ints or plain decimals.  It does for each
 * member exactly what check_container's loop does (it can fail on
 * none of them) and stops before the first member that is anything
 * else, or does not fit, leaving it and the rest to that loop: it
 * returns how many members it took, *q after them.
 */
static uint32_t
fast_members(const unsigned char **qp, const unsigned char *end,
    uint32_t count, struct keyref *refs, uint64_t *seen, int *maybe,
    uint64_t *high)
{
	const unsigned char *q = *qp, *v;
	uint64_t sn = *seen;
	unsigned m = 0;
	uint32_t i, kl, sl, t;
	size_t left, vs;
	int mb = 0;
	double d;

	for (i = 0; i < count; i++) {
		left = (size_t)(end - q);
		if (left < 4)
			break;
		kl = rta_get_u32(q);
		if (kl > 16 || kl > left - 4)
			break;
		v = q + 4 + kl;
		left -= 4 + (size_t)kl;
		if (left >= 5 && v[0] == RTA_V_STRING &&
		    (sl = rta_get_u32(v + 1)) <= left - 5) {
			vs = 5 + (size_t)sl;
			for (t = 0; sl - t > 16; t += 16)
				m |= special16(v + 5 + t);
			m |= special16(v + 5 + t) & ((1U << (sl - t)) - 1);
		} else if (left >= 9 && v[0] == RTA_V_INT)
			vs = 9;
		else if (left >= 13 && v[0] == RTA_V_NUMBER &&
		    (sl = rta_get_u32(v + 9)) <= left - 13 &&
		    plain_decimal(v + 13, sl) &&
		    (memcpy(&d, v + 1, 8), isfinite(d)))
			vs = 13 + (size_t)sl;
		else
			break;
		m |= special16(q + 4) & ((1U << kl) - 1);
		refs[i].k = q + 4;
		refs[i].n = kl;
		t = (sn & key_bit(q + 4, kl)) != 0;
		mb |= (int)t;
		sn |= key_bit(q + 4, kl);
		q = v + vs;
	}
	*qp = q;
	*seen = sn;
	*maybe |= mb;
	*high |= m != 0 ? HIGHS : 0;
	return i;
}
#endif

/* Members or items of a container whose header is at p. */
static size_t
check_container(struct checker *c, const unsigned char *p, size_t avail,
    unsigned depth)
{
	struct keyref small[16], *refs = small;
	const unsigned char *q, *end;
	uint32_t count, n, i;
	uint64_t seen = 0, high = 0;	/* high: folded into c->high */
	int obj = p[0] == RTA_V_OBJECT, dup, maybe = 0;

	if (avail < 9)
		goto truncated;
	if (depth >= c->max_depth) {
		check_fail(c, p, RTA_ELIMIT, "too-deep", "nesting too deep");
		return (size_t)-1;
	}
	count = rta_get_u32(p + 1);
	n = rta_get_u32(p + 5);
	if (n > avail - 9)
		goto truncated;
	if (obj && count > c->max_members) {
		check_fail(c, p, RTA_ELIMIT, "too-many-members",
		    "too many object members");
		return (size_t)-1;
	}
	if (count > n)		/* every item takes at least one byte */
		goto truncated;
	if (obj && count > 16 && (refs = rta_reallocarray(NULL, count,
	    sizeof(*refs))) == NULL) {
		check_fail(c, p, RTA_ENOMEM, "no-memory", "out of memory");
		return (size_t)-1;
	}
	q = p + 9;
	end = q + n;
	i = 0;
#if defined(__SSE2__)
	if (obj && c->padded && !c->utf8)
		i = fast_members(&q, end, count, refs, &seen, &maybe, &high);
#endif
	for (; i < count; i++) {
		size_t sz, left;
		uint32_t sl;

		if (obj) {
			uint32_t kl;

			if (end - q < 4)
				goto truncated_free;
			kl = rta_get_u32(q);
			if (kl > (size_t)(end - q) - 4)
				goto truncated_free;
			if (text(c, &high, q + 4, kl) != 0) {
				check_fail(c, q, RTA_EDATA, "bad-utf8",
				    "key is not valid UTF-8 or holds U+0000");
				goto fail;
			}
			refs[i].k = q + 4;
			refs[i].n = kl;
			if (kl > 0) {
				/*
				 * A 64-bit filter on (length, first and last
				 * byte): a key with a new bit cannot equal
				 * an earlier one, so distinct keys, the
				 * normal case, need no comparison at all.
				 */
				uint64_t bit = 1ULL << ((kl * 7 + q[4] * 3 +
				    q[3 + kl]) & 63);

				maybe |= (seen & bit) != 0;
				seen |= bit;
			} else {
				maybe |= (seen & 1) != 0;
				seen |= 1;
			}
			q += 4 + kl;
		}
		/* the common leaves inline; the rest through check_value */
		left = (size_t)(end - q);
		if (left >= 5 && q[0] == RTA_V_STRING &&
		    (sl = rta_get_u32(q + 1)) <= left - 5) {
			if (text(c, &high, q + 5, sl) != 0) {
				check_fail(c, q, RTA_EDATA, "bad-utf8",
				    "string is not valid UTF-8 or holds U+0000");
				goto fail;
			}
			q += 5 + (size_t)sl;
			continue;
		}
		if (left >= 9 && q[0] == RTA_V_INT) {
			q += 9;
			continue;
		}
		if (left >= 13 && q[0] == RTA_V_NUMBER &&
		    (sl = rta_get_u32(q + 9)) <= left - 13 &&
		    plain_decimal(q + 13, sl)) {
			double d;

			memcpy(&d, q + 1, 8);
			if (isfinite(d)) {
				q += 13 + (size_t)sl;
				continue;
			}
		}
		if ((sz = check_value(c, q, left, depth + 1)) == (size_t)-1)
			goto fail;
		q += sz;
	}
	if (q != end) {
		check_fail(c, p, RTA_EDATA, "bad-value",
		    "container size does not match its items");
		goto fail;
	}
	c->high |= high;
	dup = obj && (maybe || count > 16) && has_duplicate_keys(refs, count);
	if (refs != small)
		rta_free(refs);
	if (dup) {
		check_fail(c, p, RTA_EDATA, "duplicate-key",
		    "duplicate object key");
		return (size_t)-1;
	}
	return 9 + (size_t)n;
truncated_free:
	check_fail(c, p, RTA_EDATA, "bad-value", "value length out of bounds");
fail:
	if (refs != small)
		rta_free(refs);
	return (size_t)-1;
truncated:
	check_fail(c, p, RTA_EDATA, "bad-value", "value length out of bounds");
	return (size_t)-1;
}

/* Check one value at p, which may use at most avail bytes; return its size
 * or (size_t)-1. */
static size_t
check_value(struct checker *c, const unsigned char *p, size_t avail,
    unsigned depth)
{
	uint32_t n;
	double d;

	if (avail < 1)
		goto truncated;
	switch (p[0]) {
	case RTA_V_NULL:
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		return 1;
	case RTA_V_INT:
		if (avail < 9)
			goto truncated;
		return 9;
	case RTA_V_DOUBLE:
		if (avail < 9)
			goto truncated;
		memcpy(&d, p + 1, 8);
		if (!isfinite(d)) {
			check_fail(c, p, RTA_EDATA, "bad-value",
			    "double is not finite");
			return (size_t)-1;
		}
		return 9;
	case RTA_V_NUMBER:
		if (avail < 13)
			goto truncated;
		n = rta_get_u32(p + 9);
		if (n > avail - 13)
			goto truncated;
		memcpy(&d, p + 1, 8);
		if (!isfinite(d) || !number_text_ok(p + 13, n)) {
			check_fail(c, p, RTA_EDATA, "bad-value",
			    "bad number text");
			return (size_t)-1;
		}
		return 13 + (size_t)n;
	case RTA_V_STRING:
		if (avail < 5)
			goto truncated;
		n = rta_get_u32(p + 1);
		if (n > avail - 5)
			goto truncated;
		if (text(c, &c->high, p + 5, n) != 0) {
			check_fail(c, p, RTA_EDATA, "bad-utf8",
			    "string is not valid UTF-8 or holds U+0000");
			return (size_t)-1;
		}
		return 5 + (size_t)n;
	case RTA_V_ARRAY:
	case RTA_V_OBJECT:
		return check_container(c, p, avail, depth);
	default:
		check_fail(c, p, RTA_EDATA, "bad-value", "unknown value tag");
		return (size_t)-1;
	}
truncated:
	check_fail(c, p, RTA_EDATA, "bad-value", "value length out of bounds");
	return (size_t)-1;
}

int
rta_value_check(const unsigned char *v, size_t len, unsigned max_depth,
    size_t max_members, struct rta_error *err)
{
	return rta_value_check_padded(v, len, max_depth, max_members, 0, err);
}

int
rta_value_check_padded(const unsigned char *v, size_t len,
    unsigned max_depth, size_t max_members, int padded,
    struct rta_error *err)
{
	struct checker c = { v, max_depth, max_members, 0, padded, 0, err };
	size_t n;

	if ((n = check_value(&c, v, len, 0)) == (size_t)-1)
		return err != NULL ? err->code : RTA_EDATA;
	if (n != len) {
		check_fail(&c, v + n, RTA_EDATA, "bad-value",
		    "bytes after value");
		return RTA_EDATA;
	}
	if (c.high & HIGHS) {
		/* some text is not plain ASCII: now check it properly */
		c.utf8 = 1;
		if (check_value(&c, v, len, 0) == (size_t)-1)
			return err != NULL ? err->code : RTA_EDATA;
	}
	return RTA_OK;
}

/*
 * rta_value_check_shape's walk, a loop over the values with the
 * containers it is inside kept on a stack (a call a container, and the
 * leaves tried one test after another, cost a stored record's decoding
 * four times what the loop does): the size of the value at v, within
 * len bytes, or (size_t)-1 with err set.
 */
#define SHAPE_STACK	64

struct shape_lvl {
	const unsigned char	*start, *end;
	uint32_t		 left;
	int			 obj;
};

static size_t
shape_fail(struct rta_error *err, const unsigned char *at,
    const unsigned char *base, int code, const char *reason,
    const char *what)
{
	rta_error_set(err, code, reason, "%s", what);
	if (err != NULL)
		err->offset = (size_t)(at - base);
	return (size_t)-1;
}

#define SHAPE_TRUNCATED(at)	shape_fail(err, (at), v, RTA_EDATA, \
				    "bad-value", "value length out of bounds")

static size_t
shape_walk(const unsigned char *v, size_t len, unsigned max_depth,
    size_t max_members, struct shape_lvl *stk, struct rta_error *err)
{
	const unsigned char *q = v, *start = v, *end = v + len;
	uint32_t left = 1, n, count, kl;
	unsigned depth = 0;
	size_t avail;
	double d;
	int obj = 0;

	for (;;) {
		if (left == 0) {
			if (depth == 0)
				return (size_t)(q - v);
			if (q != end)
				return SHAPE_TRUNCATED(start);
			depth--;
			start = stk[depth].start;
			end = stk[depth].end;
			left = stk[depth].left;
			obj = stk[depth].obj;
			continue;
		}
		left--;
		if (obj) {
			if (end - q < 4 || (kl = rta_get_u32(q)) >
			    (size_t)(end - q) - 4)
				return SHAPE_TRUNCATED(start);
			q += 4 + (size_t)kl;
		}
		avail = (size_t)(end - q);
		if (avail < 1)
			return SHAPE_TRUNCATED(q);
		switch (q[0]) {
		case RTA_V_NULL:
		case RTA_V_FALSE:
		case RTA_V_TRUE:
			q++;
			continue;
		case RTA_V_INT:
			if (avail < 9)
				return SHAPE_TRUNCATED(q);
			q += 9;
			continue;
		case RTA_V_DOUBLE:
			if (avail < 9)
				return SHAPE_TRUNCATED(q);
			memcpy(&d, q + 1, 8);
			if (!isfinite(d))
				break;
			q += 9;
			continue;
		case RTA_V_NUMBER:
			if (avail < 13 || (n = rta_get_u32(q + 9)) >
			    avail - 13)
				return SHAPE_TRUNCATED(q);
			memcpy(&d, q + 1, 8);
			if (!isfinite(d))
				break;
			q += 13 + (size_t)n;
			continue;
		case RTA_V_STRING:
			if (avail < 5 || (n = rta_get_u32(q + 1)) > avail - 5)
				return SHAPE_TRUNCATED(q);
			q += 5 + (size_t)n;
			continue;
		case RTA_V_ARRAY:
		case RTA_V_OBJECT:
			if (avail < 9)
				return SHAPE_TRUNCATED(q);
			if (depth >= max_depth)
				return shape_fail(err, q, v, RTA_ELIMIT,
				    "too-deep", "nesting too deep");
			count = rta_get_u32(q + 1);
			n = rta_get_u32(q + 5);
			if (n > avail - 9 || count > n)
				return SHAPE_TRUNCATED(q);
			if (q[0] == RTA_V_OBJECT && count > max_members)
				return shape_fail(err, q, v, RTA_ELIMIT,
				    "too-many-members",
				    "too many object members");
			stk[depth].start = start;
			stk[depth].end = end;
			stk[depth].left = left;
			stk[depth].obj = obj;
			depth++;
			start = q;
			end = q + 9 + (size_t)n;
			left = count;
			obj = q[0] == RTA_V_OBJECT;
			q += 9;
			continue;
		default:
			return shape_fail(err, q, v, RTA_EDATA, "bad-value",
			    "unknown value tag");
		}
		return shape_fail(err, q, v, RTA_EDATA, "bad-value",
		    "double is not finite");
	}
}

int
rta_value_check_shape(const unsigned char *v, size_t len,
    unsigned max_depth, size_t max_members, struct rta_error *err)
{
	struct shape_lvl fixed[SHAPE_STACK], *stk = fixed;
	size_t n;

	/* max_depth is the caller's setting, never the input's */
	if (max_depth > SHAPE_STACK && (stk = rta_calloc(max_depth,
	    sizeof(*stk))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	n = shape_walk(v, len, max_depth, max_members, stk, err);
	if (stk != fixed)
		rta_free(stk);
	if (n == (size_t)-1)
		return err != NULL ? err->code : RTA_EDATA;
	if (n != len) {
		rta_error_set(err, RTA_EDATA, "bad-value", "bytes after value");
		if (err != NULL)
			err->offset = n;
		return RTA_EDATA;
	}
	return RTA_OK;
}

/* ------------------------------------------------------------------ walk */

const unsigned char *
rta_value_member(const unsigned char *obj, const char *key, size_t klen)
{
	const unsigned char *p, *v;
	uint32_t left, kl;

	if (obj[0] != RTA_V_OBJECT)
		return NULL;
	p = obj + 9;
	for (left = rta_get_u32(obj + 1); left > 0; left--) {
		kl = rta_get_u32(p);
		v = p + 4 + kl;
		if (kl == klen && rta_key_eq(p + 4, key, klen))
			return v;
		p = v + rta_value_size(v);
	}
	return NULL;
}

/* The size of the value at v if its header lies inside n bytes and its
 * tag is known, else 0; the size may exceed n. */
static size_t
size_hint(const unsigned char *v, size_t n)
{
	if (n == 0)
		return 0;
	switch (v[0]) {
	case RTA_V_NULL:
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		return 1;
	case RTA_V_INT:
	case RTA_V_DOUBLE:
		return 9;
	case RTA_V_NUMBER:
		return n < 13 ? 0 : 13 + (size_t)rta_get_u32(v + 9);
	case RTA_V_STRING:
		return n < 5 ? 0 : 5 + (size_t)rta_get_u32(v + 1);
	case RTA_V_ARRAY:
	case RTA_V_OBJECT:
		return n < 9 ? 0 : 9 + (size_t)rta_get_u32(v + 5);
	default:
		return 0;
	}
}

const unsigned char *
rta_value_member_hint(const unsigned char *obj, const unsigned char *end,
    const char *key, size_t klen)
{
	const unsigned char *p, *lim, *v;
	size_t n, kl, vs;
	uint32_t left;

	if (obj == NULL || end <= obj || (size_t)(end - obj) < 9 ||
	    obj[0] != RTA_V_OBJECT)
		return NULL;
	left = rta_get_u32(obj + 1);
	n = rta_get_u32(obj + 5);
	p = obj + 9;
	lim = n < (size_t)(end - p) ? p + n : end;
	for (; left > 0; left--) {
		if ((size_t)(lim - p) < 4)
			return NULL;
		kl = rta_get_u32(p);
		if (kl >= (size_t)(lim - p) - 4)
			return NULL;	/* no room for the value */
		v = p + 4 + kl;
		if (kl == klen && memcmp(p + 4, key, klen) == 0)
			return v;
		if ((vs = size_hint(v, (size_t)(lim - v))) == 0 ||
		    vs > (size_t)(lim - v))
			return NULL;
		p = v + vs;
	}
	return NULL;
}

int
rta_value_str_hint(const unsigned char *v, const unsigned char *end,
    const char **s, size_t *len)
{
	size_t n;

	if (v == NULL || end <= v || (size_t)(end - v) < 5 ||
	    v[0] != RTA_V_STRING)
		return 0;
	n = rta_get_u32(v + 1);
	if (n > (size_t)(end - v) - 5)
		return 0;
	*s = (const char *)v + 5;
	*len = n;
	return 1;
}

int
rta_value_str(const unsigned char *v, const char **s, size_t *len)
{
	if (v[0] != RTA_V_STRING)
		return 0;
	*s = (const char *)v + 5;
	*len = rta_get_u32(v + 1);
	return 1;
}

int
rta_value_num(const unsigned char *v, double *d)
{
	uint64_t u;

	switch (v[0]) {
	case RTA_V_INT:
		*d = (double)(int64_t)rta_get_u64(v + 1);
		return 1;
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		u = rta_get_u64(v + 1);
		memcpy(d, &u, 8);
		return 1;
	default:
		return 0;
	}
}

int
rta_value_i64(const unsigned char *v, int64_t *i)
{
	double d;

	if (v[0] == RTA_V_INT) {
		*i = (int64_t)rta_get_u64(v + 1);
		return 1;
	}
	if ((v[0] == RTA_V_NUMBER || v[0] == RTA_V_DOUBLE) &&
	    rta_value_num(v, &d) && d >= -9007199254740992.0 &&
	    d <= 9007199254740992.0 && d == floor(d)) {
		*i = (int64_t)d;
		return 1;
	}
	return 0;
}

static int
is_num(const unsigned char *v)
{
	return v[0] == RTA_V_INT || v[0] == RTA_V_DOUBLE ||
	    v[0] == RTA_V_NUMBER;
}

/*
 * A number's exact decimal value, canonical: its significant digits
 * (no leading or trailing zeros) in d[0..*n), the decimal exponent of
 * the last one in *e, and the sign.  Digits past cap are left out: they
 * are compared as absent, so such numbers compare by their first cap
 * digits and exponent (and by their doubles, which the caller checked).
 */
struct exact {
	char		 d[40];
	size_t		 n;
	long		 e;
	int		 neg;
};

static void
exact_of(const unsigned char *v, struct exact *x)
{
	char buf[32];
	const char *s, *end;
	size_t len, i;
	long e = 0, frac = 0, ex = 0;
	int in_frac = 0, eneg = 0;

	if (v[0] == RTA_V_INT)
		len = rta_fmt_i64(buf, (int64_t)rta_get_u64(v + 1)), s = buf;
	else if (v[0] == RTA_V_NUMBER)
		len = rta_get_u32(v + 9), s = (const char *)v + 13;
	else {
		double d;

		rta_value_num(v, &d);
		len = rta_fmt_double(buf, d), s = buf;
	}
	end = s + len;
	memset(x, 0, sizeof(*x));
	if (s < end && (*s == '-' || *s == '+'))
		x->neg = *s++ == '-';
	for (; s < end && *s != 'e' && *s != 'E'; s++) {
		if (*s == '.') {
			in_frac = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		if (in_frac)
			frac++;
		if (x->n == 0 && *s == '0')
			continue;		/* leading zero */
		if (x->n < sizeof(x->d))
			x->d[x->n++] = *s;
		else
			e++;			/* a digit left out */
	}
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < end && (*s == '-' || *s == '+'))
			eneg = *s++ == '-';
		for (; s < end && *s >= '0' && *s <= '9'; s++)
			if (ex < 100000000)
				ex = ex * 10 + (*s - '0');
	}
	e += (eneg ? -ex : ex) - frac;
	for (i = x->n; i > 0 && x->d[i - 1] == '0'; i--)
		e++;
	x->n = i;
	x->e = x->n == 0 ? 0 : e;
	if (x->n == 0)
		x->neg = 0;			/* -0 is 0 */
}

size_t
rta_value_num_canon(const unsigned char *v, char *out)
{
	struct exact x;
	size_t n = 0;

	exact_of(v, &x);
	if (x.neg)
		out[n++] = '-';
	if (x.n == 0)
		out[n++] = '0';
	memcpy(out + n, x.d, x.n);
	n += x.n;
	if (x.e != 0)
		n += (size_t)snprintf(out + n, 24, "e%ld", x.e);
	return n;
}

/* Numbers as JSON means them: by their decimal value, exactly. */
static int
num_equal(const unsigned char *a, const unsigned char *b)
{
	struct exact x, y;
	double p, q;

	if (a[0] == RTA_V_INT && b[0] == RTA_V_INT)
		return rta_get_u64(a + 1) == rta_get_u64(b + 1);
	rta_value_num(a, &p);
	rta_value_num(b, &q);
	if (p != q)
		return 0;
	/* equal doubles: 2^53 + 1 and 2^53, or 0.1 and 0.10000000000000001 */
	exact_of(a, &x);
	exact_of(b, &y);
	return x.neg == y.neg && x.n == y.n && x.e == y.e &&
	    memcmp(x.d, y.d, x.n) == 0;
}

int
rta_value_equal(const unsigned char *a, const unsigned char *b)
{
	struct rta_viter ia, ib;
	const unsigned char *va, *vb;
	const char *k;
	size_t kl;
	const char *sa = NULL, *sb = NULL;
	size_t la = 0, lb = 0;

	if (is_num(a) && is_num(b))
		return num_equal(a, b);
	if (a[0] != b[0])
		return 0;
	switch (a[0]) {
	case RTA_V_STRING:
		rta_value_str(a, &sa, &la);
		rta_value_str(b, &sb, &lb);
		return la == lb && memcmp(sa, sb, la) == 0;
	case RTA_V_ARRAY:
		if (rta_value_count(a) != rta_value_count(b))
			return 0;
		rta_viter_init(&ia, a);
		rta_viter_init(&ib, b);
		while (rta_viter_item(&ia, &va) && rta_viter_item(&ib, &vb))
			if (!rta_value_equal(va, vb))
				return 0;
		return 1;
	case RTA_V_OBJECT:
		if (rta_value_count(a) != rta_value_count(b))
			return 0;
		rta_viter_init(&ia, a);
		while (rta_viter_member(&ia, &k, &kl, &va)) {
			if ((vb = rta_value_member(b, k, kl)) == NULL ||
			    !rta_value_equal(va, vb))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* ----------------------------------------------------------------- print */

static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t
rta_fmt_i64(char *out, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u;
	size_t n;

	u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);

		u /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * u, 2);
	} else
		*--p = (char)('0' + u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(out, p, n);
	return n;
}

/*
 * The fewest significant digits that read back as v, tried at 15, 16 and
 * 17.  Fewer than 15 never need a try of their own: a double is within
 * 2^-53 of itself relatively, far inside half a unit of the 15th digit,
 * so when some p < 15 digits read back, rounding v to 15 digits gives
 * those same digits, and %g drops the trailing zeros.  The form (point
 * or exponent) is the one %g picks at that precision, which for 15 and
 * up keeps every integer part below 10^15 positional.  Subnormals
 * have fewer bits and are the exception.
 */
/*
 * Money and most measurements have at most two decimals, and their sums
 * too while exact: v is one when v * 100 rounded, divided by 100, gives
 * v back (a division rounds correctly, as strtod does).  With at most 15
 * significant digits no other decimal of 15 or fewer reads back as v, so
 * these are %.15g's digits, written without snprintf; 0 if v is not one.
 */
static size_t
fmt_cents(char *out, double v)
{
	char d[24];
	double r;
	int64_t ip, cents;
	size_t n = 0, k = 0;

	if (!(fabs(v) >= 0.01 && fabs(v) < 1e13))
		return 0;
	r = nearbyint(v * 100);
	if (r / 100 != v)
		return 0;
	ip = (int64_t)fabs(r) / 100;
	cents = (int64_t)fabs(r) % 100;
	if (v < 0)
		out[n++] = '-';
	do
		d[k++] = (char)('0' + ip % 10);
	while ((ip /= 10) > 0);
	while (k > 0)
		out[n++] = d[--k];
	out[n++] = '.';
	out[n++] = (char)('0' + cents / 10);
	if (cents % 10 != 0)
		out[n++] = (char)('0' + cents % 10);
	out[n] = '\0';
	return n;
}

/*
 * v as %.*g writes it at precision p, plus ".0" when that has neither a
 * point nor an exponent: the fewest digits that read back, from
 * snprintf and strtod, tried from p up.
 */
static size_t
fmt_tries(char *out, double v, int p)
{
	int n = 0;

	for (; p <= 17; p++) {
		n = snprintf(out, 32, "%.*g", p, v);
		if (p == 17 || strtod(out, NULL) == v)
			break;
	}
	if (strpbrk(out, ".eE") == NULL) {
		memcpy(out + n, ".0", 3);
		n += 2;
	}
	return (size_t)n;
}

size_t
rta_fmt_double(char *out, double v)
{
	char dig[20];
	uint64_t d;
	int e, x, nd, p, i;
	size_t n = 0;

	if ((n = fmt_cents(out, v)) != 0)
		return n;
	if (v == 0) {
		strcpy(out, signbit(v) ? "-0.0" : "0.0");
		return strlen(out);
	}
	/*
	 * The shortest digits (rta_dtoa.c), written as %.*g writes them at
	 * the precision the tries would stop at: 15, or more when needed;
	 * a subnormal's own count.  Those digits are the ones %.*g rounds
	 * to (the nearest that read back, and the only ones that do at 15
	 * or fewer), so the text is the same.  At precision p, %g has an
	 * exponent when the first digit's is below -4 or at least p.
	 */
	if (!rta_dtoa_shortest(fabs(v), &d, &e))
		return fmt_tries(out, v, fpclassify(v) == FP_SUBNORMAL ? 1 :
		    15);
	nd = 0;
	do
		dig[nd++] = (char)('0' + d % 10);
	while ((d /= 10) > 0);
	x = e + nd - 1;
	p = fpclassify(v) == FP_SUBNORMAL || nd > 15 ? nd : 15;
	if (v < 0)
		out[n++] = '-';
	if (x < -4 || x >= p) {
		out[n++] = dig[nd - 1];
		if (nd > 1) {
			out[n++] = '.';
			for (i = nd - 2; i >= 0; i--)
				out[n++] = dig[i];
		}
		out[n++] = 'e';
		out[n++] = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		if (x >= 100)
			out[n++] = (char)('0' + x / 100);
		out[n++] = (char)('0' + x / 10 % 10);
		out[n++] = (char)('0' + x % 10);
	} else if (x < 0) {
		out[n++] = '0';
		out[n++] = '.';
		for (i = x + 1; i < 0; i++)
			out[n++] = '0';
		for (i = nd - 1; i >= 0; i--)
			out[n++] = dig[i];
	} else {
		for (i = nd - 1; i >= 0; i--) {
			out[n++] = dig[i];
			if (i == nd - 1 - x && i > 0)
				out[n++] = '.';
		}
		for (i = nd; i <= x; i++)
			out[n++] = '0';
		if (x >= nd - 1) {
			out[n++] = '.';
			out[n++] = '0';
		}
	}
	out[n] = '\0';
	return n;
}

#if !defined(__SSE2__)
/* Which bytes a JSON string must escape: '"', '\\' and C0 controls. */
static const unsigned char needs_escape[256] = {
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
};
#endif

/* Write the escape for byte c at d; return its length. */
static size_t
put_escape(unsigned char *d, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	d[0] = '\\';
	switch (c) {
	case '"':  d[1] = '"'; return 2;
	case '\\': d[1] = '\\'; return 2;
	case '\b': d[1] = 'b'; return 2;
	case '\f': d[1] = 'f'; return 2;
	case '\n': d[1] = 'n'; return 2;
	case '\r': d[1] = 'r'; return 2;
	case '\t': d[1] = 't'; return 2;
	default:
		memcpy(d + 1, "u00", 3);
		d[4] = (unsigned char)hex[c >> 4];
		d[5] = (unsigned char)hex[c & 15];
		return 6;
	}
}

#if defined(__SSE2__)
/* Mask of the bytes of c that JSON must escape ('"', '\\', C0). */
static inline unsigned
escape_mask(__m128i c)
{
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(c, _mm_set1_epi8('\\'))),
	    _mm_cmplt_epi8(_mm_xor_si128(c, _mm_set1_epi8((char)0x80)),
	    _mm_set1_epi8((char)(0x20 ^ 0x80)))));
}

/*
 * Copy a tail of n < 16 bytes from s to d if none needs an escape: the
 * bytes are read as two overlapping words (never outside s[0..n)) and
 * tested in one vector.  0 if one needs an escape.
 */
static inline int
tail_copy(unsigned char *d, const unsigned char *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;
	size_t i;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		if (escape_mask(_mm_set_epi64x((long long)b, (long long)a)))
			return 0;
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
		return 1;
	}
	if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		if (escape_mask(_mm_set_epi32(0x41414141, 0x41414141, (int)y,
		    (int)x)))
			return 0;
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\')
			return 0;
	for (i = 0; i < n; i++)
		d[i] = s[i];
	return 1;
}
#endif

/*
 * Strings are copied sixteen bytes at a time while the same compare finds
 * the bytes that need an escape ('"', '\\', C0 controls); a vector is
 * stored whole even when only part of it is used, which is why the output
 * reserve runs sixteen bytes ahead.  Input is never read past its end: the
 * last partial vector is read as two overlapping words (a small copy into
 * a stack vector would stall on store forwarding, once per string).
 */
int
rta_json_put_string(struct rta_buf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char *d;
	size_t i = 0;

	if (rta_buf_reserve(out, len + 18) != 0)
		return -1;
	d = out->data + out->len;
	*d++ = '"';
#if defined(__SSE2__)
	{
		while (i < len) {
			size_t left = len - i, k;
			unsigned char tmp[16];
			__m128i c;
			unsigned mask;

			if (left >= 16)
				c = _mm_loadu_si128((const __m128i *)(s + i));
			else if (tail_copy(d, s + i, left)) {
				d += left;
				break;
			} else {
				/* an escape in the tail: the slow, rare way */
				memset(tmp, 'a', sizeof(tmp));
				memcpy(tmp, s + i, left);
				c = _mm_loadu_si128((const __m128i *)tmp);
			}
			mask = escape_mask(c);
			_mm_storeu_si128((__m128i *)d, c);
			if (mask == 0) {
				k = left < 16 ? left : 16;
				d += k;
				i += k;
				continue;
			}
			k = (size_t)__builtin_ctz(mask);
			d += k;
			i += k;
			/* room for this escape and a vector beyond the rest */
			out->len = (size_t)(d - out->data);
			if (rta_buf_reserve(out, 6 + (len - i) + 17) != 0)
				return -1;
			d = out->data + out->len;
			d += put_escape(d, s[i++]);
		}
	}
#else
	while (i < len) {
		if (needs_escape[s[i]]) {
			out->len = (size_t)(d - out->data);
			if (rta_buf_reserve(out, 6 + (len - i) + 1) != 0)
				return -1;
			d = out->data + out->len;
			d += put_escape(d, s[i++]);
		} else
			*d++ = s[i++];
	}
#endif
	*d++ = '"';
	out->len = (size_t)(d - out->data);
	return 0;
}

int
rta_json_put_bytes_lossy(struct rta_buf *out, const void *str, size_t len)
{
	const unsigned char *s = str;
	size_t i = 0, start;

	if (rta_utf8_valid(s, len, NULL))
		return rta_json_put_string(out, str, len);
	if (rta_buf_addc(out, '"') != 0)
		return -1;
	while (i < len) {
		struct rta_buf one = RTA_BUF_INIT;
		size_t n;

		start = i;
		while (i < len && (n = rta_utf8_seqlen(s + i, len - i)) > 0)
			i += n;
		if (i > start) {
			/* reuse the escaper on the valid run, minus quotes */
			if (rta_json_put_string(&one, (const char *)s + start,
			    i - start) != 0 ||
			    rta_buf_add(out, one.data + 1, one.len - 2) != 0) {
				rta_buf_release(&one);
				return -1;
			}
			rta_buf_release(&one);
		}
		if (i < len) {
			if (rta_buf_add(out, "\xef\xbf\xbd", 3) != 0)
				return -1;
			i++;
		}
	}
	return rta_buf_addc(out, '"');
}

int
rta_value_to_json(struct rta_buf *out, const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *k;
	size_t kl, n;
	char num[40];
	double d;
	int first = 1;

	switch (v[0]) {
	case RTA_V_NULL:
		return rta_buf_add(out, "null", 4);
	case RTA_V_FALSE:
		return rta_buf_add(out, "false", 5);
	case RTA_V_TRUE:
		return rta_buf_add(out, "true", 4);
	case RTA_V_INT:
		n = rta_fmt_i64(num, (int64_t)rta_get_u64(v + 1));
		return rta_buf_add(out, num, n);
	case RTA_V_DOUBLE:
		rta_value_num(v, &d);
		n = rta_fmt_double(num, d);
		return rta_buf_add(out, num, n);
	case RTA_V_NUMBER:
		return rta_buf_add(out, v + 13, rta_get_u32(v + 9));
	case RTA_V_STRING:
		return rta_json_put_string(out, (const char *)v + 5,
		    rta_get_u32(v + 1));
	case RTA_V_ARRAY:
		if (rta_buf_addc(out, '[') != 0)
			return -1;
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &item)) {
			if ((!first && rta_buf_addc(out, ',') != 0) ||
			    rta_value_to_json(out, item) != 0)
				return -1;
			first = 0;
		}
		return rta_buf_addc(out, ']');
	case RTA_V_OBJECT:
		if (rta_buf_addc(out, '{') != 0)
			return -1;
		rta_viter_init(&it, v);
		while (rta_viter_member(&it, &k, &kl, &item)) {
			if ((!first && rta_buf_addc(out, ',') != 0) ||
			    rta_json_put_string(out, k, kl) != 0 ||
			    rta_buf_addc(out, ':') != 0 ||
			    rta_value_to_json(out, item) != 0)
				return -1;
			first = 0;
		}
		return rta_buf_addc(out, '}');
	default:
		return -1;
	}
}
