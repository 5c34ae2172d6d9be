/*
 * rta_thrift.c: the Thrift compact protocol, as Parquet's footer and page
 * headers use it.
 *
 * Reading: every length and count is checked against the bytes left
 * before use, list sizes are bounded by those bytes (each element takes
 * at least one), and nesting by RTA_TR_DEPTH_MAX.  Fields a caller does
 * not know are skipped whatever their type, so files from newer writers
 * still read.  The first problem is kept in t->why and every later call
 * fails too.
 *
 * Writing: values are appended to a struct rta_buf; field ids are sent
 * as deltas from the previous field of the same struct when they fit a
 * nibble.  A failed append sets t->fail, which the caller checks once at
 * the end.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_thrift.h"

/* ---- reading -------------------------------------------------------- */

int
rta_tr_fail(struct rta_tr *t, const char *why)
{
	if (t->why == NULL)
		t->why = why;
	return -1;
}

int
rta_tr_need(struct rta_tr *t, size_t n)
{
	if ((size_t)(t->end - t->p) < n)
		return rta_tr_fail(t, "truncated");
	return 0;
}

static int
tr_uvar(struct rta_tr *t, uint64_t *v)
{
	uint64_t x = 0;
	unsigned s;

	for (s = 0; s < 64; s += 7) {
		unsigned b;

		if (t->p == t->end)
			return rta_tr_fail(t, "truncated");
		b = *t->p++;
		x |= (uint64_t)(b & 0x7f) << s;
		if ((b & 0x80) == 0) {
			if (s == 63 && b > 1)
				break;
			*v = x;
			return 0;
		}
	}
	return rta_tr_fail(t, "bad varint");
}

int
rta_tr_int(struct rta_tr *t, int64_t lo, int64_t hi, int64_t *v)
{
	uint64_t u;
	int64_t x;

	if (tr_uvar(t, &u) != 0)
		return -1;
	x = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	if (x < lo || x > hi)
		return rta_tr_fail(t, "integer out of range");
	*v = x;
	return 0;
}

int
rta_tr_i32(struct rta_tr *t, int32_t *v)
{
	int64_t x;

	if (rta_tr_int(t, INT32_MIN, INT32_MAX, &x) != 0)
		return -1;
	*v = (int32_t)x;
	return 0;
}

int
rta_tr_bin(struct rta_tr *t, const unsigned char **s, size_t *n)
{
	uint64_t len;

	if (tr_uvar(t, &len) != 0)
		return -1;
	if (len > (uint64_t)(t->end - t->p))
		return rta_tr_fail(t, "string past the end");
	*s = t->p;
	*n = (size_t)len;
	t->p += len;
	return 0;
}

static int
tr_enter(struct rta_tr *t)
{
	if (++t->depth > RTA_TR_DEPTH_MAX)
		return rta_tr_fail(t, "nested too deeply");
	return 0;
}

/* The next field of a struct: 1 (id, type), 0 at its stop, or -1. */
static int
tr_field(struct rta_tr *t, int *last, int *id, int *type)
{
	int64_t v;
	unsigned b;

	if (rta_tr_need(t, 1) != 0)
		return -1;
	if ((b = *t->p++) == 0)
		return 0;
	*type = (int)(b & 15);
	if (*type == RTA_TT_STOP || *type > RTA_TT_STRUCT)
		return rta_tr_fail(t, "bad field type");
	if (b >> 4)
		*id = *last + (int)(b >> 4);
	else {
		if (rta_tr_int(t, INT16_MIN, INT16_MAX, &v) != 0)
			return -1;
		*id = (int)v;
	}
	*last = *id;
	return 1;
}

/*
 * A list header: element type and count.  Every element takes at least
 * one byte, which bounds the count by the bytes left.
 */
static int
tr_list(struct rta_tr *t, int *et, uint64_t *n)
{
	unsigned b;

	if (rta_tr_need(t, 1) != 0)
		return -1;
	b = *t->p++;
	*et = (int)(b & 15);
	*n = b >> 4;
	if (*n == 15 && tr_uvar(t, n) != 0)
		return -1;
	if (*et == RTA_TT_STOP || *et > RTA_TT_STRUCT)
		return rta_tr_fail(t, "bad list element type");
	if (*n > (uint64_t)(t->end - t->p))
		return rta_tr_fail(t, "list longer than the bytes left");
	return 0;
}

static int	tr_skip(struct rta_tr *, int);

/* An element of a list or map: a bool there is one byte. */
static int
tr_skip_elem(struct rta_tr *t, int type)
{
	if (type == RTA_TT_TRUE || type == RTA_TT_FALSE) {
		if (rta_tr_need(t, 1) != 0)
			return -1;
		t->p++;
		return 0;
	}
	return tr_skip(t, type);
}

/* Skip a value of any type, recursively, within the depth limit. */
static int
tr_skip(struct rta_tr *t, int type)
{
	const unsigned char *s;
	uint64_t n, i;
	size_t len;
	int et, kt, last, id, r;

	switch (type) {
	case RTA_TT_TRUE:
	case RTA_TT_FALSE:
		return 0;
	case RTA_TT_I8:
		if (rta_tr_need(t, 1) != 0)
			return -1;
		t->p++;
		return 0;
	case RTA_TT_I16:
	case RTA_TT_I32:
	case RTA_TT_I64:
		return tr_uvar(t, &n);
	case RTA_TT_DOUBLE:
		if (rta_tr_need(t, 8) != 0)
			return -1;
		t->p += 8;
		return 0;
	case RTA_TT_BINARY:
		return rta_tr_bin(t, &s, &len);
	case RTA_TT_LIST:
	case RTA_TT_SET:
		if (tr_list(t, &et, &n) != 0 || tr_enter(t) != 0)
			return -1;
		for (i = 0; i < n; i++)
			if (tr_skip_elem(t, et) != 0)
				return -1;
		t->depth--;
		return 0;
	case RTA_TT_MAP:
		if (tr_uvar(t, &n) != 0 || tr_enter(t) != 0)
			return -1;
		if (n == 0) {
			t->depth--;
			return 0;
		}
		if (rta_tr_need(t, 1) != 0)
			return -1;
		kt = *t->p >> 4;
		et = *t->p++ & 15;
		if (kt == RTA_TT_STOP || kt > RTA_TT_STRUCT ||
		    et == RTA_TT_STOP || et > RTA_TT_STRUCT)
			return rta_tr_fail(t, "bad map element type");
		if (n > (uint64_t)(t->end - t->p) / 2)
			return rta_tr_fail(t, "map longer than the bytes left");
		for (i = 0; i < n; i++)
			if (tr_skip_elem(t, kt) != 0 ||
			    tr_skip_elem(t, et) != 0)
				return -1;
		t->depth--;
		return 0;
	case RTA_TT_STRUCT:
		if (tr_enter(t) != 0)
			return -1;
		last = 0;
		while ((r = tr_field(t, &last, &id, &et)) > 0)
			if (tr_skip(t, et) != 0)
				return -1;
		if (r < 0)
			return -1;
		t->depth--;
		return 0;
	}
	return rta_tr_fail(t, "bad type");
}

/*
 * The fields of a struct, one call of fn per field; fn reads the value
 * of the fields it knows and returns 1 for the others, which are
 * skipped (newer writers add fields, and a known id with an unexpected
 * type is a field this reader does not know).
 */
int
rta_tr_struct(struct rta_tr *t, int (*fn)(struct rta_tr *, void *, int, int),
    void *arg)
{
	int last = 0, id, type, r;

	if (tr_enter(t) != 0)
		return -1;
	while ((r = tr_field(t, &last, &id, &type)) > 0) {
		if ((r = fn(t, arg, id, type)) < 0)
			return -1;
		if (r > 0 && tr_skip(t, type) != 0)
			return -1;
	}
	if (r < 0)
		return -1;
	t->depth--;
	return 0;
}

/* Read the elements of a list of structs with fn. */
int
rta_tr_structs(struct rta_tr *t, int (*each)(struct rta_tr *, void *),
    void *arg)
{
	uint64_t n, i;
	int et;

	if (tr_list(t, &et, &n) != 0 || tr_enter(t) != 0)
		return -1;
	if (et != RTA_TT_STRUCT && n > 0)
		return rta_tr_fail(t, "list of the wrong type");
	for (i = 0; i < n; i++)
		if (each(t, arg) != 0)
			return -1;
	t->depth--;
	return 0;
}

/* ---- writing -------------------------------------------------------- */

void
rta_tw_init(struct rta_tw *t, struct rta_buf *b)
{
	t->b = b;
	t->fail = 0;
	t->depth = 0;
	t->last[0] = 0;
}

void
rta_tw_raw(struct rta_tw *t, const void *p, size_t n)
{
	if (rta_buf_add(t->b, p, n) != 0)
		t->fail = 1;
}

void
rta_tw_byte(struct rta_tw *t, unsigned c)
{
	if (rta_buf_addc(t->b, (int)(c & 0xff)) != 0)
		t->fail = 1;
}

void
rta_tw_uleb(struct rta_tw *t, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	rta_tw_raw(t, b, n);
}

void
rta_tw_zigzag(struct rta_tw *t, int64_t v)
{
	rta_tw_uleb(t, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void
rta_tw_field(struct rta_tw *t, int type, int id)
{
	int delta = id - t->last[t->depth];

	if (delta > 0 && delta <= 15)
		rta_tw_byte(t, (unsigned)(delta << 4 | type));
	else {
		rta_tw_byte(t, (unsigned)type);
		rta_tw_zigzag(t, id);
	}
	t->last[t->depth] = id;
}

void
rta_tw_i32(struct rta_tw *t, int id, int32_t v)
{
	rta_tw_field(t, RTA_TT_I32, id);
	rta_tw_zigzag(t, v);
}

void
rta_tw_i64(struct rta_tw *t, int id, int64_t v)
{
	rta_tw_field(t, RTA_TT_I64, id);
	rta_tw_zigzag(t, v);
}

void
rta_tw_bool(struct rta_tw *t, int id, int v)
{
	rta_tw_field(t, v ? RTA_TT_TRUE : RTA_TT_FALSE, id);
}

void
rta_tw_bin(struct rta_tw *t, int id, const void *p, size_t n)
{
	rta_tw_field(t, RTA_TT_BINARY, id);
	rta_tw_uleb(t, n);
	rta_tw_raw(t, p, n);
}

/* Enter a struct: as field id, or (id 0) as a list element. */
void
rta_tw_begin(struct rta_tw *t, int id)
{
	if (id > 0)
		rta_tw_field(t, RTA_TT_STRUCT, id);
	assert(t->depth + 1 < (int)(sizeof(t->last) / sizeof(t->last[0])));
	t->last[++t->depth] = 0;
}

void
rta_tw_end(struct rta_tw *t)
{
	rta_tw_byte(t, 0);
	assert(t->depth > 0);
	t->depth--;
}

/* A struct with no fields, as field id. */
void
rta_tw_empty(struct rta_tw *t, int id)
{
	rta_tw_begin(t, id);
	rta_tw_end(t);
}

void
rta_tw_list(struct rta_tw *t, int id, int elem, size_t n)
{
	rta_tw_field(t, RTA_TT_LIST, id);
	if (n < 15)
		rta_tw_byte(t, (unsigned)(n << 4 | (size_t)elem));
	else {
		rta_tw_byte(t, 0xf0U | (unsigned)elem);
		rta_tw_uleb(t, n);
	}
}
