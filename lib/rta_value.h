/*
 * rta_value.h: typed values, the payload representation of every record.
 *
 * A value is a tag byte followed by its data, little-endian, with explicit
 * lengths so that a reader can skip any value in O(1) and work on it in
 * place (no copy per field):
 *
 *	0x00 null	0x01 false	0x02 true
 *	0x03 int	int64
 *	0x04 double	binary64, finite (a computed number)
 *	0x05 number	binary64, u32 n, n bytes of JSON number text; the text
 *			is the value as written, the binary64 its nearest double
 *	0x06 string	u32 n, n bytes of UTF-8
 *	0x07 array	u32 count, u32 n, then n bytes holding count values
 *	0x08 object	u32 count, u32 n, then n bytes holding count members,
 *			each u32 key length, key bytes (UTF-8), value
 *
 * Object members keep their order and keys are unique.  man/rta-format.5 is
 * the normative description.  Values that come from outside the process
 * are checked once with rta_value_check(); every other function here
 * assumes a checked value and does no bounds checking of its own.
 */
#ifndef RTA_VALUE_H
#define RTA_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"

enum rta_vtag {
	RTA_V_NULL = 0,
	RTA_V_FALSE,
	RTA_V_TRUE,
	RTA_V_INT,
	RTA_V_DOUBLE,
	RTA_V_NUMBER,
	RTA_V_STRING,
	RTA_V_ARRAY,
	RTA_V_OBJECT
};

#define RTA_VALUE_MAX_DEPTH	64	/* default nesting limit */
#define RTA_VALUE_MAX_MEMBERS	1024	/* default members per object */

/* ---- encoding: each appends one value to b; 0, or -1 on ENOMEM ---- */
int	rta_venc_null(struct rta_buf *b);
int	rta_venc_bool(struct rta_buf *b, int v);
int	rta_venc_int(struct rta_buf *b, int64_t v);
/* v must be finite. */
int	rta_venc_double(struct rta_buf *b, double v);
/* text must be a JSON number and d its value. */
int	rta_venc_number(struct rta_buf *b, double d, const char *text,
	    size_t len);
/* s must be valid UTF-8. */
int	rta_venc_string(struct rta_buf *b, const char *s, size_t len);
/*
 * Containers: begin writes the header and returns its offset in b (or
 * (size_t)-1 on ENOMEM); add the items (for objects, rta_venc_key before
 * each value), then end patches the count and size.
 */
size_t	rta_venc_begin(struct rta_buf *b, enum rta_vtag tag);
void	rta_venc_end(struct rta_buf *b, size_t off, uint32_t count);
int	rta_venc_key(struct rta_buf *b, const char *k, size_t len);

/*
 * Check that the len bytes at v are exactly one well-formed value: known
 * tags, lengths inside their parents, valid UTF-8, JSON number text,
 * finite doubles, unique keys, nesting within max_depth and at most
 * max_members per object.  RTA_OK, or RTA_EDATA/RTA_ELIMIT with err set.
 */
int	rta_value_check(const unsigned char *v, size_t len, unsigned max_depth,
	    size_t max_members, struct rta_error *err);

/*
 * The same, for a value followed in memory by at least 16 readable bytes
 * (padded nonzero): strings are then checked a vector at a time.
 */
int	rta_value_check_padded(const unsigned char *v, size_t len,
	    unsigned max_depth, size_t max_members, int padded,
	    struct rta_error *err);

/*
 * Only the shape of rta_value_check: known tags, lengths inside their
 * parents, finite doubles, nesting within max_depth and at most
 * max_members per object; not the text (UTF-8, number form) or unique
 * keys.  Every function here is then safe on the value (it reads nothing
 * outside it).  For values read back from bytes under a checksum the
 * caller verified, which were checked whole when first written.
 */
int	rta_value_check_shape(const unsigned char *v, size_t len,
	    unsigned max_depth, size_t max_members, struct rta_error *err);

/*
 * Total encoded size of the checked value at v.  (This and the iteration
 * below are inline: every walk over a payload runs through them.)
 */
static inline size_t
rta_value_size(const unsigned char *v)
{
	switch (v[0]) {
	case RTA_V_INT:
	case RTA_V_DOUBLE:
		return 9;
	case RTA_V_NUMBER:
		return 13 + (size_t)rta_get_u32(v + 9);
	case RTA_V_STRING:
		return 5 + (size_t)rta_get_u32(v + 1);
	case RTA_V_ARRAY:
	case RTA_V_OBJECT:
		return 9 + (size_t)rta_get_u32(v + 5);
	default:
		return 1;
	}
}

static inline enum rta_vtag
rta_value_tag(const unsigned char *v)
{
	return (enum rta_vtag)v[0];
}

/* Number of items or members of an array or object. */
static inline uint32_t
rta_value_count(const unsigned char *v)
{
	if (v[0] != RTA_V_ARRAY && v[0] != RTA_V_OBJECT)
		return 0;
	return rta_get_u32(v + 1);
}

/* Iteration over a checked array or object. */
struct rta_viter {
	const unsigned char	*p;
	uint32_t		 left;
};

static inline void
rta_viter_init(struct rta_viter *it, const unsigned char *container)
{
	it->p = container + 9;
	it->left = rta_value_count(container);
}

/* Next array item: 1 and *val set, or 0 at the end. */
static inline int
rta_viter_item(struct rta_viter *it, const unsigned char **val)
{
	if (it->left == 0)
		return 0;
	*val = it->p;
	it->p += rta_value_size(it->p);
	it->left--;
	return 1;
}

/* Next object member: 1 with key (not NUL-terminated), klen and val. */
static inline int
rta_viter_member(struct rta_viter *it, const char **key, size_t *klen,
    const unsigned char **val)
{
	uint32_t kl;

	if (it->left == 0)
		return 0;
	kl = rta_get_u32(it->p);
	*key = (const char *)it->p + 4;
	*klen = kl;
	*val = it->p + 4 + kl;
	it->p = *val + rta_value_size(*val);
	it->left--;
	return 1;
}

/*
 * Whether the n bytes at a and bs are the same, for keys: they are short,
 * and a call to memcmp for each was a tenth of a rollup's instructions.
 */
static inline int
rta_key_eq(const unsigned char *a, const char *bs, size_t n)
{
	const unsigned char *b = (const unsigned char *)bs;
	uint64_t x, y;
	uint32_t u, w;
	size_t i;

	if (n > 32)
		return memcmp(a, b, n) == 0;
	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&w, b, 4);
		if (u != w)
			return 0;
		memcpy(&u, a + n - 4, 4);
		memcpy(&w, b + n - 4, 4);
		return u == w;
	}
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The member named key of object obj (borrowed), or NULL. */
const unsigned char *rta_value_member(const unsigned char *obj,
	    const char *key, size_t klen);

/*
 * Lookups on unchecked bytes, for hints (fetching ahead): they read only
 * [v, end), return NULL or 0 on anything that is not well formed as far
 * as they look, and check nothing they do not need (no UTF-8, no key
 * uniqueness, no nesting).  What they find must be confirmed on the
 * checked value before it decides anything.
 */
/* The member named key of the object at obj, or NULL. */
const unsigned char *rta_value_member_hint(const unsigned char *obj,
	    const unsigned char *end, const char *key, size_t klen);
/* String contents at v when they lie inside [v, end); 0 otherwise. */
int	rta_value_str_hint(const unsigned char *v, const unsigned char *end,
	    const char **s, size_t *len);

/* String contents (borrowed); 0 if v is not a string. */
int	rta_value_str(const unsigned char *v, const char **s, size_t *len);
/* Numeric value of an int, double or number; 0 if not numeric. */
int	rta_value_num(const unsigned char *v, double *d);
/* int64 of an int (or a number holding an exact integer); 0 otherwise. */
int	rta_value_i64(const unsigned char *v, int64_t *i);

/* 1 if the two checked values are equal (numbers by value). */
int	rta_value_equal(const unsigned char *a, const unsigned char *b);

/*
 * A number's exact decimal value as text, the same for equal numbers
 * (1, 1.0 and 10e-1 all give "1"): its significant digits, then "e"
 * and the exponent of the last one when not zero.  out holds
 * RTA_NUM_CANON_MAX bytes; returns the length (no NUL).
 */
#define RTA_NUM_CANON_MAX	72
size_t	rta_value_num_canon(const unsigned char *v, char *out);

/* ---- JSON text out ---- */

/* Append the checked value v as compact JSON; 0 or -1 (ENOMEM). */
int	rta_value_to_json(struct rta_buf *out, const unsigned char *v);
/* Append s (valid UTF-8) as a JSON string with quotes. */
int	rta_json_put_string(struct rta_buf *out, const char *s, size_t len);
/* Append s, of any bytes, as a JSON string: invalid UTF-8 bytes become
 * U+FFFD.  For diagnostics that quote input. */
int	rta_json_put_bytes_lossy(struct rta_buf *out, const void *s,
	    size_t len);

/* Decimal int64; out needs 21 bytes; returns the length (no NUL). */
size_t	rta_fmt_i64(char *out, int64_t v);
/* Shortest text that reads back as v, always with a '.' or exponent so
 * that it stays a real; out needs 32 bytes.  v must be finite. */
size_t	rta_fmt_double(char *out, double v);

#endif
