/*
 * check_rta_value.c: typed values: the encoders, the checker that guards
 * untrusted binary input, the walkers, and JSON text out.
 *
 * Layouts are checked byte by byte against rta-format(5).  The checker is
 * fed one hand-made value per corruption class, every prefix of a valid
 * value, and random byte damage; every input sits in a heap block of
 * exactly its size, so that a read past it is an ASan report, not luck.
 * The printer is compared with a small reference escaper written from the
 * man page and read back through jansson; rta_fmt_double with strtod(3)
 * and a shortest-digits search.
 */
#include <check.h>
#include <float.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_json.h"
#include "rta_value.h"

struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

/* rta_value_check on a private copy of exactly len bytes. */
static int
check(const void *v, size_t len, unsigned depth, size_t members,
    struct rta_error *err)
{
	unsigned char *copy = malloc(len > 0 ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	if (len > 0)
		memcpy(copy, v, len);
	rta_error_clear(err);
	rc = rta_value_check(copy, len, depth, members, err);
	free(copy);
	return rc;
}

static int
check_default(const struct rta_buf *b, struct rta_error *err)
{
	return check(b->data, b->len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, err);
}

/* Expect code and reason from checking b. */
static void
expect_bad(const struct rta_buf *b, int code, const char *reason,
    const char *what)
{
	struct rta_error err;
	int rc = check_default(b, &err);

	ck_assert_msg(rc == code, "%s: rc %d (%s), want %d", what, rc,
	    err.text, code);
	ck_assert_msg(err.reason != NULL && strcmp(err.reason, reason) == 0,
	    "%s: reason %s, want %s", what, err.reason, reason);
	ck_assert_msg(err.offset <= b->len, "%s: offset %zu of %zu", what,
	    err.offset, b->len);
}

static void
expect_ok(const struct rta_buf *b, const char *what)
{
	struct rta_error err;
	int rc = check_default(b, &err);

	ck_assert_msg(rc == RTA_OK, "%s: rejected: %s", what, err.text);
	ck_assert_uint_eq(rta_value_size(b->data), b->len);
}

/* Parse JSON text into b (reset first); the text must be valid. */
static void
from_json(struct rta_buf *b, const char *text)
{
	struct rta_json j;
	struct rta_error err;

	rta_json_init(&j);
	rta_buf_reset(b);
	ck_assert_msg(rta_json_document(&j, text, strlen(text), b, &err) ==
	    RTA_OK, "'%s': %s", text, err.text);
	rta_json_release(&j);
}

/* The value as JSON text, NUL-terminated, in a static buffer. */
static const char *
to_json(const unsigned char *v)
{
	static struct rta_buf t;

	rta_buf_reset(&t);
	ck_assert_int_eq(rta_value_to_json(&t, v), 0);
	rta_buf_addc(&t, '\0');
	return (const char *)t.data;
}

/* ------------------------------------------------------------- encode */

START_TEST(encode_scalars)
{
	struct rta_buf b = RTA_BUF_INIT;
	static const unsigned char want[] = {
		0x00, 0x01, 0x02,
		0x03, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
		0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
		0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
		    0x03, 0x00, 0x00, 0x00, '1', '.', '5',
		0x06, 0x03, 0x00, 0x00, 0x00, 'a', 0xc3, 0xa9,
		0x06, 0x00, 0x00, 0x00, 0x00,
	};
	struct rta_error err;
	size_t off, k;

	ck_assert_int_eq(rta_venc_null(&b), 0);
	ck_assert_int_eq(rta_venc_bool(&b, 0), 0);
	ck_assert_int_eq(rta_venc_bool(&b, 42), 0);
	ck_assert_int_eq(rta_venc_int(&b, -2), 0);
	ck_assert_int_eq(rta_venc_int(&b, INT64_MIN), 0);
	ck_assert_int_eq(rta_venc_double(&b, 1.5), 0);
	ck_assert_int_eq(rta_venc_number(&b, 1.5, "1.5", 3), 0);
	ck_assert_int_eq(rta_venc_string(&b, "a\xc3\xa9", 3), 0);
	ck_assert_int_eq(rta_venc_string(&b, NULL, 0), 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(b.data, want, sizeof(want));

	/* each one alone is a checked value of the size it says */
	for (off = 0, k = 0; off < b.len; off += rta_value_size(b.data + off),
	    k++) {
		size_t sz = rta_value_size(b.data + off);

		ck_assert_int_eq(check(b.data + off, sz, 64, 1024, &err),
		    RTA_OK);
		ck_assert_int_eq(rta_value_count(b.data + off), 0);
	}
	ck_assert_uint_eq(k, 9);
	ck_assert_int_eq(rta_value_tag(b.data), RTA_V_NULL);
	ck_assert_int_eq(rta_value_tag(b.data + 3), RTA_V_INT);
	rta_buf_release(&b);
}
END_TEST

START_TEST(encode_containers)
{
	struct rta_buf b = RTA_BUF_INIT;
	static const unsigned char want[] = {
		0x08, 0x02, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
		    0x01, 0x00, 0x00, 0x00, 'a',
		    0x07, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
			0x02,
		    0x00, 0x00, 0x00, 0x00,
		    0x00,
	};
	size_t o, a;

	o = rta_venc_begin(&b, RTA_V_OBJECT);
	ck_assert_uint_eq(o, 0);
	ck_assert_int_eq(rta_venc_key(&b, "a", 1), 0);
	a = rta_venc_begin(&b, RTA_V_ARRAY);
	ck_assert_uint_eq(a, 14);
	ck_assert_int_eq(rta_venc_bool(&b, 1), 0);
	rta_venc_end(&b, a, 1);
	ck_assert_int_eq(rta_venc_key(&b, "", 0), 0);
	ck_assert_int_eq(rta_venc_null(&b), 0);
	rta_venc_end(&b, o, 2);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_mem_eq(b.data, want, sizeof(want));
	expect_ok(&b, "object");
	ck_assert_uint_eq(rta_value_count(b.data), 2);
	ck_assert_uint_eq(rta_value_count(b.data + 14), 1);
	ck_assert_uint_eq(rta_value_size(b.data + 14), 10);
	ck_assert_str_eq(to_json(b.data), "{\"a\":[true],\"\":null}");

	/* begin after other bytes returns their offset */
	rta_buf_reset(&b);
	rta_venc_int(&b, 7);
	o = rta_venc_begin(&b, RTA_V_ARRAY);
	ck_assert_uint_eq(o, 9);
	rta_venc_end(&b, o, 0);
	ck_assert_uint_eq(b.len, 18);
	ck_assert_str_eq(to_json(b.data + 9), "[]");
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------- check */

/* A value with one of everything, nested. */
static void
sample(struct rta_buf *b)
{
	from_json(b, "{\"s\":\"h\\u00e9llo\",\"n\":[1,-2.5e3,null,true,false,"
	    "{\"deep\":[[{}]]}],\"i\":-9223372036854775808,\"f\":0.1,"
	    "\"\":\"\",\"u\":\"\\ud83d\\ude00\"}");
}

START_TEST(check_every_prefix)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	size_t n;

	sample(&b);
	expect_ok(&b, "sample");
	for (n = 0; n < b.len; n++) {
		int rc = check(b.data, n, 64, 1024, &err);

		ck_assert_msg(rc == RTA_EDATA, "prefix of %zu bytes: rc %d",
		    n, rc);
		ck_assert_msg(err.offset <= n, "prefix %zu: offset %zu", n,
		    err.offset);
	}
	/* and one byte more is "bytes after value" */
	rta_buf_addc(&b, 0);
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_EDATA);
	ck_assert_uint_eq(err.offset, b.len - 1);
	ck_assert_str_eq(err.reason, "bad-value");
	rta_buf_release(&b);
}
END_TEST

START_TEST(check_bad_tags)
{
	struct rta_buf b = RTA_BUF_INIT;
	unsigned t;

	for (t = 9; t < 256; t++) {
		rta_buf_reset(&b);
		rta_buf_addc(&b, (int)t);
		expect_bad(&b, RTA_EDATA, "bad-value", "top-level tag");
		/* nested: [<tag>] */
		from_json(&b, "[null]");
		b.data[9] = (unsigned char)t;
		expect_bad(&b, RTA_EDATA, "bad-value", "nested tag");
	}
	rta_buf_release(&b);
}
END_TEST

START_TEST(check_lengths)
{
	struct rta_buf b = RTA_BUF_INIT;

	/* a string longer than what is left */
	from_json(&b, "\"abc\"");
	rta_put_u32(b.data + 1, 4);
	expect_bad(&b, RTA_EDATA, "bad-value", "string past the end");
	rta_put_u32(b.data + 1, 0xffffffff);
	expect_bad(&b, RTA_EDATA, "bad-value", "string length 2^32-1");
	rta_put_u32(b.data + 1, 2);
	expect_bad(&b, RTA_EDATA, "bad-value", "string shorter");

	/* a string past its parent, though inside the buffer */
	from_json(&b, "[[\"ab\"],1]");
	rta_put_u32(b.data + 9 + 9 + 1, 3);
	expect_bad(&b, RTA_EDATA, "bad-value", "string past parent");

	/* a container size past its parent */
	from_json(&b, "[[1],2]");
	rta_put_u32(b.data + 9 + 5, rta_get_u32(b.data + 9 + 5) + 9);
	expect_bad(&b, RTA_EDATA, "bad-value", "array past parent");
	rta_put_u32(b.data + 9 + 5, 0xfffffff7);
	expect_bad(&b, RTA_EDATA, "bad-value", "array size wraps");

	/* a key length past the object */
	from_json(&b, "{\"key\":1}");
	rta_put_u32(b.data + 9, 100);
	expect_bad(&b, RTA_EDATA, "bad-value", "key past object");
	rta_put_u32(b.data + 9, 0xffffffff);
	expect_bad(&b, RTA_EDATA, "bad-value", "key length 2^32-1");

	/* number text past the end */
	from_json(&b, "1.5");
	rta_put_u32(b.data + 9, 4);
	expect_bad(&b, RTA_EDATA, "bad-value", "number text past end");

	/* truncated fixed parts */
	from_json(&b, "12");
	b.len = 5;
	expect_bad(&b, RTA_EDATA, "bad-value", "int cut");
	from_json(&b, "[]");
	b.len = 8;
	expect_bad(&b, RTA_EDATA, "bad-value", "array header cut");
	rta_buf_reset(&b);
	ck_assert_int_eq(check("", 0, 64, 1024, NULL), RTA_EDATA);
	rta_buf_release(&b);
}
END_TEST

START_TEST(check_counts)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;

	/* more items declared than the bytes hold */
	from_json(&b, "[1,2]");
	rta_put_u32(b.data + 1, 3);
	expect_bad(&b, RTA_EDATA, "bad-value", "count too high");
	rta_put_u32(b.data + 1, 0xffffffff);
	expect_bad(&b, RTA_EDATA, "bad-value", "count 2^32-1");
	/* fewer: the bytes are not all used */
	rta_put_u32(b.data + 1, 1);
	expect_bad(&b, RTA_EDATA, "bad-value", "count too low");
	rta_put_u32(b.data + 1, 0);
	expect_bad(&b, RTA_EDATA, "bad-value", "count zero");
	from_json(&b, "{\"a\":1,\"b\":2}");
	rta_put_u32(b.data + 1, 1);
	expect_bad(&b, RTA_EDATA, "bad-value", "object count low");
	rta_put_u32(b.data + 1, 3);
	expect_bad(&b, RTA_EDATA, "bad-value", "object count high");
	/* an empty container with bytes */
	from_json(&b, "[[],[]]");
	rta_put_u32(b.data + 1, 0);
	ck_assert_int_eq(check_default(&b, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "container size does not match its items");
	rta_buf_release(&b);
}
END_TEST

START_TEST(check_utf8)
{
	static const char *const bad[] = { "\x80", "\xc0\xaf", "\xc1\xbf",
	    "\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\xaf",
	    "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe", "\xe4\xb8",
	    "ok\xc3", "0123456789abcdef\x80" };
	struct rta_buf b = RTA_BUF_INIT;
	size_t k, o;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		size_t n = strlen(bad[k]);

		rta_buf_reset(&b);
		rta_venc_string(&b, bad[k], n);
		expect_bad(&b, RTA_EDATA, "bad-utf8", "string");
		rta_buf_reset(&b);
		o = rta_venc_begin(&b, RTA_V_OBJECT);
		rta_venc_key(&b, bad[k], n);
		rta_venc_null(&b);
		rta_venc_end(&b, o, 1);
		expect_bad(&b, RTA_EDATA, "bad-utf8", "key");
	}
	/* valid edges pass */
	rta_buf_reset(&b);
	rta_venc_string(&b, "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"
	    "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\x7f", 19);
	expect_ok(&b, "utf-8 edges");
	rta_buf_release(&b);
}
END_TEST

/*
 * rta-format(5): "Since the NDJSON form cannot carry it, U+0000 must not
 * occur in them either" (strings and keys), and readers check every
 * "must".  A value holding one prints as "\u0000", which no rta parser
 * reads back.
 */
START_TEST(check_nul)
{
	struct rta_buf b = RTA_BUF_INIT;
	size_t o;

	rta_venc_string(&b, "a\0b", 3);
	expect_bad(&b, RTA_EDATA, "bad-utf8", "U+0000 in a string");
	rta_buf_reset(&b);
	o = rta_venc_begin(&b, RTA_V_OBJECT);
	rta_venc_key(&b, "\0", 1);
	rta_venc_null(&b);
	rta_venc_end(&b, o, 1);
	expect_bad(&b, RTA_EDATA, "bad-utf8", "U+0000 in a key");
	rta_buf_release(&b);
}
END_TEST

static void
number_value(struct rta_buf *b, double d, const char *text)
{
	rta_buf_reset(b);
	rta_venc_number(b, d, text, strlen(text));
}

START_TEST(check_numbers)
{
	static const char *const bad[] = { "", "-", "+1", "01", "-01", "1.",
	    ".5", "1e", "1e+", "1.e5", "NaN", "Infinity", "0x1", "1 ", " 1",
	    "1,", "--1", "1e5.0", "\xd9\xa1", "1E+-1",
	    /* integer syntax is the int tag's: "not an int" */
	    "0", "12", "-5", "9223372036854775808", "47777777777777777777777",
	    /* the text's value must be finite too */
	    "1e380", "-2e308", "1" "0000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    ".0" };
	static const char *const good[] = { "-0", "1.5", "-0.0", "1e5",
	    "1E+5", "1e-5", "123.456e-789", "0.0", "1e308",
	    "9223372036854775808.0",
	    "47777777777777777777777.9406564584124654e-324" };
	struct rta_buf b = RTA_BUF_INIT;
	size_t k;
	double inf = HUGE_VAL;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		number_value(&b, 1.0, bad[k]);
		expect_bad(&b, RTA_EDATA, "bad-value", bad[k]);
	}
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		number_value(&b, 1.0, good[k]);
		expect_ok(&b, good[k]);
	}
	number_value(&b, inf, "1e999");
	expect_bad(&b, RTA_EDATA, "bad-value", "number: infinite double");
	number_value(&b, nan(""), "1");
	expect_bad(&b, RTA_EDATA, "bad-value", "number: NaN");

	/* doubles must be finite */
	rta_buf_reset(&b);
	rta_venc_double(&b, inf);
	expect_bad(&b, RTA_EDATA, "bad-value", "double +inf");
	rta_buf_reset(&b);
	rta_venc_double(&b, -inf);
	expect_bad(&b, RTA_EDATA, "bad-value", "double -inf");
	rta_buf_reset(&b);
	rta_venc_double(&b, nan(""));
	expect_bad(&b, RTA_EDATA, "bad-value", "double NaN");
	rta_buf_reset(&b);
	rta_venc_double(&b, DBL_MAX);
	expect_ok(&b, "double max");
	rta_buf_reset(&b);
	rta_venc_double(&b, -0.0);
	expect_ok(&b, "double -0");
	rta_buf_release(&b);
}
END_TEST

/* An object of n members "k<i>", with member dup's key equal to 0's. */
static void
object_keys(struct rta_buf *b, unsigned n, unsigned dup, int samelen)
{
	size_t o;
	unsigned i;
	char k[32];

	rta_buf_reset(b);
	o = rta_venc_begin(b, RTA_V_OBJECT);
	for (i = 0; i < n; i++) {
		int kl = samelen ? snprintf(k, sizeof(k), "k%06u", i == dup ?
		    0 : i) : snprintf(k, sizeof(k), "k%u", i == dup ? 0 : i);

		rta_venc_key(b, k, (size_t)kl);
		rta_venc_int(b, i);
	}
	rta_venc_end(b, o, n);
}

START_TEST(check_duplicates)
{
	static const unsigned sizes[] = { 2, 3, 15, 16, 17, 31, 100, 1023,
	    1024 };
	struct rta_buf b = RTA_BUF_INIT;
	size_t k;
	unsigned samelen;

	for (samelen = 0; samelen < 2; samelen++)
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			unsigned n = sizes[k];

			object_keys(&b, n, n, (int)samelen);
			expect_ok(&b, "distinct keys");
			/* the duplicate as second, middle and last member */
			object_keys(&b, n, 1, (int)samelen);
			expect_bad(&b, RTA_EDATA, "duplicate-key", "second");
			object_keys(&b, n, n / 2 > 0 ? n / 2 : 1,
			    (int)samelen);
			expect_bad(&b, RTA_EDATA, "duplicate-key", "middle");
			object_keys(&b, n, n - 1, (int)samelen);
			expect_bad(&b, RTA_EDATA, "duplicate-key", "last");
		}
	/*
	 * Same length, same first and last byte: the small-object filter
	 * sees them as possible duplicates and must compare the whole key.
	 */
	from_json(&b, "{\"axz\":1,\"ayz\":2,\"a\":3,\"\":4}");
	expect_ok(&b, "keys alike but distinct");
	from_json(&b, "{\"\":1}");
	expect_ok(&b, "one empty key");
	/* duplicates inside a nested object, objects deep in arrays */
	from_json(&b, "[{\"a\":{\"x\":1,\"y\":2}}]");
	ck_assert_int_eq(b.data[b.len - 10], 'y');
	b.data[b.len - 10] = 'x';
	expect_bad(&b, RTA_EDATA, "duplicate-key", "nested");
	/* the same key in sibling objects is fine */
	from_json(&b, "[{\"a\":1},{\"a\":1}]");
	expect_ok(&b, "siblings");
	rta_buf_release(&b);
}
END_TEST

/* n containers, objects and arrays in turn, each holding the next. */
static void
nest(struct rta_buf *b, unsigned n)
{
	struct rta_buf t = RTA_BUF_INIT;
	struct rta_json j;
	struct rta_error err;
	unsigned i;

	for (i = 0; i < n; i++)
		rta_buf_adds(&t, i % 2 ? "[" : "{\"key!\":");
	rta_buf_adds(&t, "0");
	for (i = n; i-- > 0;)
		rta_buf_adds(&t, i % 2 ? "]" : "}");
	rta_json_init(&j);
	j.max_depth = 1000;	/* the parser has the same limit: lift it */
	rta_buf_reset(b);
	ck_assert_int_eq(rta_json_document(&j, t.data, t.len, b, &err),
	    RTA_OK);
	rta_json_release(&j);
	rta_buf_release(&t);
}

START_TEST(check_limits)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	unsigned n;

	for (n = 63; n <= 66; n++) {
		nest(&b, n);
		ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err),
		    n <= 64 ? RTA_OK : RTA_ELIMIT);
		if (n > 64) {
			ck_assert_str_eq(err.reason, "too-deep");
			ck_assert_int_eq(err.code, RTA_ELIMIT);
		}
		ck_assert_int_eq(check(b.data, b.len, n, 1024, &err), RTA_OK);
		ck_assert_int_eq(check(b.data, b.len, n - 1, 1024, &err),
		    RTA_ELIMIT);
	}
	nest(&b, 500);
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_ELIMIT);
	/* depth 0 allows scalars only */
	from_json(&b, "7");
	ck_assert_int_eq(check(b.data, b.len, 0, 1024, &err), RTA_OK);
	from_json(&b, "[]");
	ck_assert_int_eq(check(b.data, b.len, 0, 1024, &err), RTA_ELIMIT);

	/* members */
	object_keys(&b, 1024, 1024, 0);
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_OK);
	object_keys(&b, 1025, 1025, 0);
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "too-many-members");
	ck_assert_uint_eq(err.offset, 0);
	ck_assert_int_eq(check(b.data, b.len, 64, 1025, &err), RTA_OK);
	object_keys(&b, 3, 3, 0);
	ck_assert_int_eq(check(b.data, b.len, 64, 2, &err), RTA_ELIMIT);
	/* arrays are not limited by members */
	from_json(&b, "[1,2,3]");
	ck_assert_int_eq(check(b.data, b.len, 64, 2, &err), RTA_OK);
	/* a huge declared count with few bytes is refused, not looped on */
	object_keys(&b, 2, 2, 0);
	rta_put_u32(b.data + 1, 0xffffffff);
	ck_assert_int_eq(check(b.data, b.len, 64, SIZE_MAX, &err),
	    RTA_EDATA);
	rta_buf_release(&b);
}
END_TEST

/* Random damage: the checker never crashes, and what it passes is sound. */
/* m: the value b with one to three bytes flipped or replaced, and a
 * quarter of the time cut short. */
static void
damage(struct rng *r, const struct rta_buf *b, struct rta_buf *m)
{
	unsigned flips = 1 + rng_below(r, 3), i;

	rta_buf_reset(m);
	rta_buf_add(m, b->data, b->len);
	for (i = 0; i < flips; i++) {
		size_t at = rng_below(r, (uint32_t)m->len);

		if (rng_below(r, 2))
			m->data[at] ^= (unsigned char)(1 << rng_below(r, 8));
		else
			m->data[at] = (unsigned char)rng_below(r, 10);
	}
	if (rng_below(r, 4) == 0)
		m->len -= rng_below(r, (uint32_t)m->len);
}

START_TEST(check_random_damage)
{
	static const char *const docs[] = {
		"{\"a\":[1,2.5,\"x\",{\"b\":null}],\"c\":{\"d\":[true,false]}}",
		"[\"h\\u00e9\",-0,1e300,[[],{}],{\"k\":\"v\",\"l\":[0]}]",
		"{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,"
		"\"k7\":7,\"k8\":8,\"k9\":9,\"ka\":10,\"kb\":11,\"kc\":12,"
		"\"kd\":13,\"ke\":14,\"kf\":15,\"kg\":16,\"kh\":17}",
	};
	struct rng r = { 5 };
	struct rta_buf b = RTA_BUF_INIT, m = RTA_BUF_INIT, t = RTA_BUF_INIT;
	struct rta_error err;
	unsigned long n, passed = 0;

	for (n = 0; n < 60000; n++) {
		from_json(&b, docs[n % 3]);
		damage(&r, &b, &m);
		if (check(m.data, m.len, 64, 1024, &err) != RTA_OK)
			continue;
		passed++;
		/*
		 * Sound: it walks and prints, and the text reads back and
		 * prints the same.  (Values are not compared: a number's
		 * double may disagree with its text, which readers do not
		 * check, by rta-format(5).)
		 */
		ck_assert_uint_eq(rta_value_size(m.data), m.len);
		rta_buf_reset(&t);
		ck_assert_int_eq(rta_value_to_json(&t, m.data), 0);
		rta_buf_addc(&t, '\0');
		from_json(&b, (const char *)t.data);
		ck_assert_msg(strcmp(to_json(b.data), (char *)t.data) == 0,
		    "'%s' reads back as something else", t.data);
	}
	ck_assert_uint_gt(passed, 1000);
	rta_buf_release(&b);
	rta_buf_release(&m);
	rta_buf_release(&t);
}
END_TEST

/* rta_key_eq agrees with memcmp at every length it treats apart (bytes,
 * words of 4, of 8, memcmp past 32), wherever the one differing byte is. */
START_TEST(key_eq_agrees)
{
	unsigned char a[48], b[48];
	size_t n, i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)('a' + i % 26);
	for (n = 0; n <= 40; n++) {
		memcpy(b, a, sizeof(b));
		ck_assert_msg(rta_key_eq(a, (const char *)b, n), "n %zu", n);
		for (i = 0; i < n; i++) {
			b[i] ^= 0x20;
			ck_assert_msg(!rta_key_eq(a, (const char *)b, n),
			    "n %zu, byte %zu differs", n, i);
			b[i] ^= 0x20;
		}
		/* bytes past n do not count */
		b[n] ^= 0x20;
		ck_assert_msg(rta_key_eq(a, (const char *)b, n), "n %zu", n);
	}
}
END_TEST

/*
 * rta_value_check_shape, on the same kind of damage: whatever passes the
 * whole check passes it; whatever passes it has its size and walks and
 * prints from an exact-size copy (so a sanitizer build sees any read
 * outside); and text the whole check refuses (bad UTF-8, duplicate keys)
 * is still a sound shape.
 */
START_TEST(check_shape)
{
	static const char *const docs[] = {
		"{\"a\":[1,2.5,\"x\",{\"b\":null}],\"c\":{\"d\":[true,false]}}",
		"[\"h\\u00e9\",-0,1e300,[[],{}],{\"k\":\"v\",\"l\":[0]}]",
		"{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5}",
	};
	struct rng r = { 11 };
	struct rta_buf b = RTA_BUF_INIT, m = RTA_BUF_INIT, t = RTA_BUF_INIT;
	struct rta_error err;
	unsigned long n, shaped = 0;
	unsigned char *copy;

	for (n = 0; n < 60000; n++) {
		int full, shape;

		from_json(&b, docs[n % 3]);
		damage(&r, &b, &m);
		copy = malloc(m.len ? m.len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, m.data, m.len);
		full = check(copy, m.len, 64, 1024, &err);
		shape = rta_value_check_shape(copy, m.len, 64, 1024, &err);
		ck_assert_msg(full != RTA_OK || shape == RTA_OK,
		    "case %lu: checked whole but not shaped", n);
		if (shape == RTA_OK) {
			shaped++;
			ck_assert_uint_eq(rta_value_size(copy), m.len);
			rta_buf_reset(&t);
			ck_assert_int_eq(rta_value_to_json(&t, copy), 0);
		} else
			ck_assert_uint_le(err.offset, m.len);
		free(copy);
	}
	ck_assert_uint_gt(shaped, 1000);
	/* text and keys are not its business */
	from_json(&b, "{\"a\":\"xy\",\"b\":1}");
	b.data[b.len - 1 - 9 - 4 - 1 - 1] = 0xff;	/* the x */
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_EDATA);
	ck_assert_int_eq(rta_value_check_shape(b.data, b.len, 64, 1024, &err),
	    RTA_OK);
	from_json(&b, "{\"a\":1,\"b\":2}");
	b.data[9 + 4 + 1 + 9 + 4] = 'a';		/* the second key */
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "duplicate-key");
	ck_assert_int_eq(rta_value_check_shape(b.data, b.len, 64, 1024, &err),
	    RTA_OK);
	/* but depth and member limits are */
	from_json(&b, "[[[[1]]]]");
	ck_assert_int_eq(rta_value_check_shape(b.data, b.len, 3, 1024, &err),
	    RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "too-deep");
	from_json(&b, "{\"a\":1,\"b\":2,\"c\":3}");
	ck_assert_int_eq(rta_value_check_shape(b.data, b.len, 64, 2, &err),
	    RTA_ELIMIT);
	/* deeper than the walk's own stack: a limit above it still holds */
	{
		unsigned char deep[9 * 100 + 9];
		size_t len = 9, d;

		memset(deep, 0, sizeof(deep));
		deep[sizeof(deep) - 9] = RTA_V_INT;	/* 0, innermost */
		for (d = 0; d < 100; d++) {
			unsigned char *p = deep + sizeof(deep) - len - 9;

			p[0] = RTA_V_ARRAY;
			rta_put_u32(p + 1, 1);
			rta_put_u32(p + 5, (uint32_t)len);
			len += 9;
		}
		ck_assert_int_eq(rta_value_check_shape(deep, len, 100, 1024,
		    &err), RTA_OK);
		ck_assert_int_eq(rta_value_check_shape(deep, len, 99, 1024,
		    &err), RTA_ELIMIT);
		ck_assert_str_eq(err.reason, "too-deep");
		ck_assert_uint_eq(err.offset, 9 * 99);
	}
	rta_buf_release(&b);
	rta_buf_release(&m);
	rta_buf_release(&t);
}
END_TEST

START_TEST(check_error_null_and_offset)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;

	from_json(&b, "[1,[2,\"x\"]]");
	/* the string tag at offset 9 + 9 + 9 + 9 */
	b.data[36] = 0x0c;
	ck_assert_int_eq(rta_value_check(b.data, b.len, 64, 1024, NULL),
	    RTA_EDATA);
	ck_assert_int_eq(check(b.data, b.len, 64, 1024, &err), RTA_EDATA);
	ck_assert_uint_eq(err.offset, 36);
	ck_assert_str_eq(err.text, "unknown value tag");
	rta_buf_release(&b);
}
END_TEST

/* -------------------------------------------------------------- walk */

START_TEST(walk_iterators)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_viter it;
	const unsigned char *v;
	const char *k, *s;
	size_t kl, sl;
	int64_t i;
	unsigned n = 0;

	from_json(&b, "[1,\"two\",[3],{\"four\":4}]");
	ck_assert_uint_eq(rta_value_count(b.data), 4);
	rta_viter_init(&it, b.data);
	while (rta_viter_item(&it, &v)) {
		switch (n++) {
		case 0:
			ck_assert(rta_value_i64(v, &i) && i == 1);
			break;
		case 1:
			ck_assert(rta_value_str(v, &s, &sl));
			ck_assert(sl == 3 && memcmp(s, "two", 3) == 0);
			break;
		case 2:
			ck_assert_int_eq(rta_value_tag(v), RTA_V_ARRAY);
			ck_assert_uint_eq(rta_value_count(v), 1);
			break;
		default:
			ck_assert_int_eq(rta_value_tag(v), RTA_V_OBJECT);
			break;
		}
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(rta_viter_item(&it, &v), 0);	/* stays at end */

	from_json(&b, "{\"a\":1,\"\":[],\"a\\u00e9\":\"x\"}");
	rta_viter_init(&it, b.data);
	n = 0;
	while (rta_viter_member(&it, &k, &kl, &v)) {
		static const char *const keys[] = { "a", "", "a\xc3\xa9" };

		ck_assert_uint_eq(kl, strlen(keys[n]));
		ck_assert(memcmp(k, keys[n], kl) == 0);
		n++;
	}
	ck_assert_uint_eq(n, 3);

	/* empty containers and scalars iterate nothing */
	from_json(&b, "{}");
	rta_viter_init(&it, b.data);
	ck_assert_int_eq(rta_viter_member(&it, &k, &kl, &v), 0);
	from_json(&b, "5");
	ck_assert_uint_eq(rta_value_count(b.data), 0);
	rta_buf_release(&b);
}
END_TEST

START_TEST(walk_member)
{
	struct rta_buf b = RTA_BUF_INIT;
	const unsigned char *v;
	int64_t i;

	from_json(&b, "{\"a\":1,\"ab\":2,\"\":3,\"b\":{\"a\":4}}");
	ck_assert((v = rta_value_member(b.data, "a", 1)) != NULL &&
	    rta_value_i64(v, &i) && i == 1);
	ck_assert((v = rta_value_member(b.data, "ab", 2)) != NULL &&
	    rta_value_i64(v, &i) && i == 2);
	ck_assert((v = rta_value_member(b.data, "", 0)) != NULL &&
	    rta_value_i64(v, &i) && i == 3);
	ck_assert_ptr_null(rta_value_member(b.data, "abc", 3));
	ck_assert_ptr_null(rta_value_member(b.data, "A", 1));
	/* the key is compared with its length, not up to a NUL */
	ck_assert((v = rta_value_member(b.data, "abX", 2)) != NULL &&
	    rta_value_i64(v, &i) && i == 2);
	/* only members of this object, not of nested ones */
	v = rta_value_member(b.data, "b", 1);
	ck_assert_ptr_nonnull(v);
	ck_assert((v = rta_value_member(v, "a", 1)) != NULL &&
	    rta_value_i64(v, &i) && i == 4);
	from_json(&b, "[\"a\"]");
	ck_assert_ptr_null(rta_value_member(b.data, "a", 1));
	from_json(&b, "\"a\"");
	ck_assert_ptr_null(rta_value_member(b.data, "a", 1));
	rta_buf_release(&b);
}
END_TEST

START_TEST(walk_scalars)
{
	struct rta_buf b = RTA_BUF_INIT;
	const char *s;
	size_t sl;
	double d;
	int64_t i;

	from_json(&b, "-9223372036854775808");
	ck_assert(rta_value_i64(b.data, &i) && i == INT64_MIN);
	ck_assert(rta_value_num(b.data, &d) && d == -9223372036854775808.0);
	from_json(&b, "1e3");
	ck_assert(rta_value_num(b.data, &d) && d == 1000.0);
	ck_assert(rta_value_i64(b.data, &i) && i == 1000);
	from_json(&b, "1.5");
	ck_assert(!rta_value_i64(b.data, &i));
	from_json(&b, "-0");
	ck_assert(rta_value_i64(b.data, &i) && i == 0);
	from_json(&b, "9007199254740992.0");		/* 2^53 */
	ck_assert(rta_value_i64(b.data, &i) && i == 9007199254740992LL);
	from_json(&b, "-9007199254740992.0");
	ck_assert(rta_value_i64(b.data, &i) && i == -9007199254740992LL);
	from_json(&b, "9007199254740994.0");		/* past 2^53 */
	ck_assert(!rta_value_i64(b.data, &i));
	from_json(&b, "1e300");
	ck_assert(!rta_value_i64(b.data, &i));
	rta_buf_reset(&b);
	rta_venc_double(&b, 3.0);
	ck_assert(rta_value_i64(b.data, &i) && i == 3);
	ck_assert(rta_value_num(b.data, &d) && d == 3.0);
	rta_buf_reset(&b);
	rta_venc_double(&b, 2.5);
	ck_assert(!rta_value_i64(b.data, &i));
	from_json(&b, "\"12\"");
	ck_assert(!rta_value_num(b.data, &d));
	ck_assert(!rta_value_i64(b.data, &i));
	ck_assert(rta_value_str(b.data, &s, &sl) && sl == 2);
	from_json(&b, "true");
	ck_assert(!rta_value_num(b.data, &d));
	ck_assert(!rta_value_str(b.data, &s, &sl));
	from_json(&b, "null");
	ck_assert(!rta_value_num(b.data, &d));
	from_json(&b, "[1]");
	ck_assert(!rta_value_num(b.data, &d));
	ck_assert(!rta_value_str(b.data, &s, &sl));
	rta_buf_release(&b);
}
END_TEST

static int
equal_json(const char *x, const char *y)
{
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	int eq;

	from_json(&a, x);
	from_json(&b, y);
	eq = rta_value_equal(a.data, b.data);
	ck_assert_int_eq(eq, rta_value_equal(b.data, a.data));
	rta_buf_release(&a);
	rta_buf_release(&b);
	return eq;
}

START_TEST(walk_equal)
{
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;

	ck_assert(equal_json("1", "1.0"));
	ck_assert(equal_json("100", "1e2"));
	ck_assert(equal_json("0", "-0"));
	ck_assert(!equal_json("1", "2"));
	ck_assert(!equal_json("1", "\"1\""));
	ck_assert(equal_json("\"a\\u00e9\"", "\"a\xc3\xa9\""));
	ck_assert(!equal_json("\"a\"", "\"ab\""));
	ck_assert(equal_json("[1,[2]]", "[1,[2.0]]"));
	ck_assert(!equal_json("[1,2]", "[2,1]"));
	ck_assert(!equal_json("[1]", "[1,1]"));
	ck_assert(equal_json("{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}"));
	ck_assert(!equal_json("{\"a\":1}", "{\"a\":1,\"b\":2}"));
	ck_assert(!equal_json("{\"a\":1,\"c\":2}", "{\"a\":1,\"b\":2}"));
	ck_assert(!equal_json("{\"a\":{}}", "{\"a\":[]}"));
	ck_assert(equal_json("null", "null"));
	ck_assert(!equal_json("true", "false"));
	ck_assert(!equal_json("null", "false"));
	/* a computed double equals the number it prints as */
	from_json(&a, "2.5");
	rta_venc_double(&b, 2.5);
	ck_assert(rta_value_equal(a.data, b.data));
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------- print */

/* The escaping rules of rta-format(5), "Writing NDJSON". */
static void
ref_escape(struct rta_buf *out, const unsigned char *s, size_t n)
{
	size_t i;

	rta_buf_addc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			rta_buf_adds(out, "\\\"");
			break;
		case '\\':
			rta_buf_adds(out, "\\\\");
			break;
		case '\b':
			rta_buf_adds(out, "\\b");
			break;
		case '\f':
			rta_buf_adds(out, "\\f");
			break;
		case '\n':
			rta_buf_adds(out, "\\n");
			break;
		case '\r':
			rta_buf_adds(out, "\\r");
			break;
		case '\t':
			rta_buf_adds(out, "\\t");
			break;
		default:
			if (c < 0x20)
				rta_buf_printf(out, "\\u%04x", c);
			else
				rta_buf_addc(out, c);
			break;
		}
	}
	rta_buf_addc(out, '"');
}

START_TEST(print_escapes)
{
	struct rta_buf out = RTA_BUF_INIT, want = RTA_BUF_INIT;
	unsigned char all[0x80];
	unsigned c;

	/* every control character, alone */
	for (c = 0; c < 0x20; c++) {
		unsigned char ch = (unsigned char)c;

		rta_buf_reset(&out);
		rta_buf_reset(&want);
		ck_assert_int_eq(rta_json_put_string(&out, (char *)&ch, 1), 0);
		ref_escape(&want, &ch, 1);
		ck_assert_uint_eq(out.len, want.len);
		ck_assert_mem_eq(out.data, want.data, want.len);
	}
	rta_buf_reset(&out);
	rta_json_put_string(&out, "\x01\x1f\b\f\n\r\t\"\\/\x7f", 11);
	ck_assert_uint_eq(out.len, 30);
	ck_assert_mem_eq(out.data,
	    "\"\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\x7f\"", 30);

	/* all of ASCII in one string, and as a key */
	for (c = 0; c < 0x80; c++)
		all[c] = (unsigned char)c;
	rta_buf_reset(&out);
	rta_buf_reset(&want);
	rta_json_put_string(&out, (char *)all, sizeof(all));
	ref_escape(&want, all, sizeof(all));
	ck_assert_uint_eq(out.len, want.len);
	ck_assert_mem_eq(out.data, want.data, want.len);

	/* non-ASCII passes through; an empty string is "" */
	rta_buf_reset(&out);
	rta_json_put_string(&out, "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 9);
	ck_assert_uint_eq(out.len, 11);
	ck_assert_mem_eq(out.data, "\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"",
	    11);
	rta_buf_reset(&out);
	rta_json_put_string(&out, NULL, 0);
	ck_assert_uint_eq(out.len, 2);
	ck_assert_mem_eq(out.data, "\"\"", 2);
	/* output is appended */
	rta_buf_reset(&out);
	rta_buf_adds(&out, "x=");
	rta_json_put_string(&out, "y", 1);
	ck_assert_mem_eq(out.data, "x=\"y\"", 5);
	rta_buf_release(&out);
	rta_buf_release(&want);
}
END_TEST

/*
 * Strings long enough for the sixteen-byte scanner, with one special byte
 * at every position and every run length: the vector and scalar paths
 * must agree with the reference at every boundary.
 */
START_TEST(print_escape_positions)
{
	static const char *const special[] = { "\"", "\\", "\x01", "\x1f",
	    "\n", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", " ",
	    "/", "" };
	struct rta_buf out = RTA_BUF_INIT, want = RTA_BUF_INIT;
	unsigned char s[80];
	size_t len, at, k;

	for (len = 1; len <= sizeof(s); len++)
		for (at = 0; at < len; at++)
			for (k = 0; k < sizeof(special) / sizeof(special[0]);
			    k++) {
				/* "" stands for a NUL byte */
				size_t sl = special[k][0] ? strlen(special[k]) :
				    1;

				if (at + sl > len)
					continue;
				memset(s, 'a', len);
				memcpy(s + at, special[k], sl);
				rta_buf_reset(&out);
				rta_buf_reset(&want);
				rta_json_put_string(&out, (char *)s, len);
				ref_escape(&want, s, len);
				ck_assert_msg(out.len == want.len &&
				    memcmp(out.data, want.data, out.len) == 0,
				    "len %zu, special %zu at %zu", len, k, at);
			}
	rta_buf_release(&out);
	rta_buf_release(&want);
}
END_TEST

START_TEST(print_lossy)
{
	struct rta_buf out = RTA_BUF_INIT;

	rta_json_put_bytes_lossy(&out, "ok\n", 3);
	ck_assert_uint_eq(out.len, 6);
	ck_assert_mem_eq(out.data, "\"ok\\n\"", 6);
	rta_buf_reset(&out);
	rta_json_put_bytes_lossy(&out, "a\xff\"b\xc0\xaf\xc3\xa9", 8);
	ck_assert_uint_eq(out.len, 17);
	ck_assert_mem_eq(out.data,
	    "\"a\xef\xbf\xbd\\\"b\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\"", 17);
	rta_buf_reset(&out);
	rta_json_put_bytes_lossy(&out, "\xe4\xb8", 2);	/* cut sequence */
	ck_assert_uint_eq(out.len, 8);
	ck_assert_mem_eq(out.data, "\"\xef\xbf\xbd\xef\xbf\xbd\"", 8);
	rta_buf_release(&out);
}
END_TEST

START_TEST(print_values)
{
	static const struct {
		const char	*in;
		const char	*out;
	} c[] = {
		{ " { \"a\" : [ 1 , -2 ] , \"b\" : { } } ",
		    "{\"a\":[1,-2],\"b\":{}}" },
		{ "[175.55,1E+2,-0,0.10,1e-400]",
		    "[175.55,1E+2,-0,0.10,1e-400]" },
		{ "[true,false,null,\"\\u00e9\\/\"]",
		    "[true,false,null,\"\xc3\xa9/\"]" },
		{ "-9223372036854775808", "-9223372036854775808" },
		{ "{\"\\u0001\":\"\\ud83d\\ude00\"}",
		    "{\"\\u0001\":\"\xf0\x9f\x98\x80\"}" },
		{ "[[[]],{}]", "[[[]],{}]" },
	};
	struct rta_buf b = RTA_BUF_INIT;
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		from_json(&b, c[k].in);
		ck_assert_str_eq(to_json(b.data), c[k].out);
	}
	/* computed doubles: shortest text, always a real */
	rta_buf_reset(&b);
	rta_venc_double(&b, 3.0);
	ck_assert_str_eq(to_json(b.data), "3.0");
	rta_buf_reset(&b);
	rta_venc_double(&b, 0.1);
	ck_assert_str_eq(to_json(b.data), "0.1");
	rta_buf_reset(&b);
	rta_venc_double(&b, -0.0);
	ck_assert_str_eq(to_json(b.data), "-0.0");
	/* a computed double inside a container */
	rta_buf_reset(&b);
	{
		size_t o = rta_venc_begin(&b, RTA_V_ARRAY);

		rta_venc_double(&b, 1e300);
		rta_venc_int(&b, 0);
		rta_venc_end(&b, o, 2);
	}
	ck_assert_str_eq(to_json(b.data), "[1e+300,0]");
	rta_buf_release(&b);
}
END_TEST

/* JSON text of random strings reads back through jansson unchanged. */
START_TEST(print_jansson_roundtrip)
{
	struct rng r = { 11 };
	struct rta_buf s = RTA_BUF_INIT, out = RTA_BUF_INIT;
	unsigned n, i;

	for (n = 0; n < 20000; n++) {
		json_t *v;
		json_error_t jerr;
		unsigned len = rng_below(&r, 60);

		rta_buf_reset(&s);
		for (i = 0; i < len; i++) {
			uint32_t c = rng_below(&r, 5) == 0 ?
			    1 + rng_below(&r, 0x2f) : 0x20 + rng_below(&r, 0x5f);

			if (rng_below(&r, 8) == 0)
				rta_buf_adds(&s, "\xe2\x82\xac");	/* € */
			else
				rta_buf_addc(&s, (int)c);
		}
		rta_buf_reset(&out);
		rta_json_put_string(&out, (char *)s.data, s.len);
		v = json_loadb((char *)out.data, out.len, JSON_DECODE_ANY,
		    &jerr);
		ck_assert_msg(v != NULL, "'%.*s': %s", (int)out.len, out.data,
		    jerr.text);
		ck_assert_uint_eq(json_string_length(v), s.len);
		ck_assert(memcmp(json_string_value(v), s.data, s.len) == 0);
		json_decref(v);
	}
	rta_buf_release(&s);
	rta_buf_release(&out);
}
END_TEST

/* ------------------------------------------------------------ format */

/* Significant digits in the mantissa of a number text. */
static int
sig_digits(const char *s)
{
	int n = 0, zeros = 0, started = 0;

	for (; *s != '\0' && *s != 'e' && *s != 'E'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s == '0') {
			zeros += started;	/* count if a digit follows */
			continue;
		}
		started = 1;
		n += zeros + 1;
		zeros = 0;
	}
	return n > 0 ? n : 1;
}

/* The fewest %g digits that read back as v. */
static int
shortest_digits(double v)
{
	char t[40];
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(t, sizeof(t), "%.*g", p, v);
		if (strtod(t, NULL) == v)
			return sig_digits(t);
	}
	return 17;
}

static void
fmt_ok(double v, int shortest)
{
	char out[32 + 8];
	size_t n;
	double back;

	memset(out, 'X', sizeof(out));
	n = rta_fmt_double(out, v);
	ck_assert_uint_lt(n, 32);
	out[n] = '\0';
	back = strtod(out, NULL);
	ck_assert_msg(memcmp(&back, &v, sizeof(v)) == 0,
	    "%a printed as '%s' reads back as %a", v, out, back);
	ck_assert_msg(strpbrk(out, ".eE") != NULL, "'%s' looks like an int",
	    out);
	ck_assert_msg(strspn(out, "-+.0123456789e") == n,
	    "'%s' is not a JSON number", out);
	if (shortest)
		ck_assert_msg(sig_digits(out) <= shortest_digits(v),
		    "%a printed as '%s': %d digits, %d would do", v, out,
		    sig_digits(out), shortest_digits(v));
}

START_TEST(fmt_double_random)
{
	struct rng r = { 3 };
	unsigned long n, normal = 0;

	for (n = 0; n < 200000; n++) {
		uint64_t u = rng_next(&r);
		double v;

		memcpy(&v, &u, sizeof(v));
		if (!isfinite(v))
			continue;
		/* shortest is checked for normal numbers here */
		fmt_ok(v, isnormal(v));
		normal += isnormal(v) != 0;
	}
	ck_assert_uint_gt(normal, 190000);
}
END_TEST

START_TEST(fmt_double_short_decimals)
{
	struct rng r = { 4 };
	char text[40];
	unsigned long n;

	/* doubles that come from short decimals print as short decimals */
	for (n = 0; n < 100000; n++) {
		int digits = 1 + (int)rng_below(&r, 15);
		double v;

		snprintf(text, sizeof(text), "%.*e", digits - 1,
		    (double)rng_next(&r) / 1e10 * pow(10,
		    (double)rng_below(&r, 60) - 30));
		v = strtod(text, NULL);
		fmt_ok(v, 1);
		{
			char out[40];
			size_t len = rta_fmt_double(out, v);

			out[len] = '\0';
			ck_assert_msg(sig_digits(out) <= digits,
			    "'%s' printed as '%s'", text, out);
		}
	}
}
END_TEST

/* Two-decimal values (money, sums of them) take a path of their own:
 * the same text as the general one, %.15g's digits. */
START_TEST(fmt_double_cents)
{
	struct rng r = { 5 };
	char text[40], out[40], want[40];
	unsigned long n;
	double v;
	size_t len;

	for (n = 0; n < 200000; n++) {
		int64_t c = (int64_t)(rng_next(&r) >> (11 + rng_below(&r, 50)));

		snprintf(text, sizeof(text), "%s%lld.%02lld", n % 3 ? "" : "-",
		    (long long)(c / 100), (long long)(c % 100));
		v = strtod(text, NULL);
		if (n % 7 == 0)
			v += v * 1e-16;		/* a neighbour: not a cent */
		fmt_ok(v, 1);
		len = rta_fmt_double(out, v);
		out[len] = '\0';
		snprintf(want, sizeof(want), "%.15g", v);
		if (strtod(want, NULL) != v)
			snprintf(want, sizeof(want), "%.16g", v);
		if (strtod(want, NULL) != v)
			snprintf(want, sizeof(want), "%.17g", v);
		if (strpbrk(want, ".eE") == NULL)
			strcat(want, ".0");
		ck_assert_msg(strcmp(out, want) == 0, "%s: '%s', %%g gives "
		    "'%s'", text, out, want);
	}
}
END_TEST

START_TEST(fmt_double_edges)
{
	static const struct {
		double		 v;
		const char	*text;
	} c[] = {
		{ 0.0, "0.0" }, { -0.0, "-0.0" }, { 1.0, "1.0" },
		{ -1.0, "-1.0" }, { 100.0, "100.0" }, { 0.1, "0.1" },
		{ 0.3, "0.3" }, { 175.55, "175.55" }, { 1.5e-7, "1.5e-07" },
		{ 123456789012345.0, "123456789012345.0" },
		{ 1e21, "1e+21" }, { 1e300, "1e+300" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ 9007199254740993.0, "9007199254740992.0" },
		{ DBL_MAX, "1.7976931348623157e+308" },
		{ DBL_MIN, "2.2250738585072014e-308" },
	};
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		char out[40];
		size_t n = rta_fmt_double(out, c[k].v);

		out[n] = '\0';
		ck_assert_msg(strcmp(out, c[k].text) == 0, "%a: '%s', want "
		    "'%s'", c[k].v, out, c[k].text);
		fmt_ok(c[k].v, 1);
	}
}
END_TEST

/*
 * At powers of two the doubles below are twice as dense as those above:
 * the shortest digits may lie on one side only.
 */
START_TEST(fmt_double_powers_of_two)
{
	int k;

	for (k = -1074; k <= 1023; k++) {
		double v = ldexp(1, k);

		fmt_ok(v, 1);
		fmt_ok(-v, 1);
		fmt_ok(nextafter(v, 0), 1);
		fmt_ok(nextafter(v, HUGE_VAL), 1);
	}
}
END_TEST

/*
 * rta_value.h promises the shortest text that reads back; rta-format(5)
 * repeats it for computed doubles.  Subnormals have fewer significant
 * bits, so fifteen digits are more than they need.
 */
START_TEST(fmt_double_subnormal_shortest)
{
	static const double c[] = { 5e-324, -5e-324, 1e-320, 2.5e-310,
	    1.2345e-315 };
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++)
		fmt_ok(c[k], 1);
	{
		char out[40];
		size_t n = rta_fmt_double(out, 5e-324);

		out[n] = '\0';
		ck_assert_str_eq(out, "5e-324");
	}
}
END_TEST

/*
 * The text of the tries at precisions 15 to 17 (1 up for subnormals)
 * that rta_fmt_double's digits must equal: printf and strtod round
 * correctly, so these are the nearest digits that read back.
 */
static void
tries_text(char *out, double v)
{
	int p = fpclassify(v) == FP_SUBNORMAL ? 1 : 15;

	for (; p <= 17; p++) {
		snprintf(out, 32, "%.*g", p, v);
		if (p == 17 || strtod(out, NULL) == v)
			break;
	}
	if (strpbrk(out, ".eE") == NULL)
		strcat(out, ".0");
}

/*
 * Every binary exponent, so every power of ten in rta_dtoa.c's table,
 * with random significands and the extreme ones: the same text as the
 * tries.
 */
START_TEST(fmt_double_every_exponent)
{
	struct rng r = { 11 };
	char out[40], want[40];
	uint64_t be, j, u;
	double v;
	size_t n;

	for (be = 0; be < 2047; be++)
		for (j = 0; j < 200; j++) {
			u = j == 0 ? 0 : j == 1 ? 1 : j == 2 ?
			    (1ULL << 52) - 1 : j == 3 ? 2 :
			    rng_next(&r) >> (12 + j % 40);
			u |= be << 52 | (j & 4 ? 1ULL << 63 : 0);
			memcpy(&v, &u, sizeof(v));
			n = rta_fmt_double(out, v);
			ck_assert_uint_eq(n, strlen(out));
			tries_text(want, v);
			ck_assert_msg(strcmp(out, want) == 0, "%a: '%s', the "
			    "tries give '%s'", v, out, want);
		}
}
END_TEST

START_TEST(fmt_i64)
{
	static const struct {
		int64_t		 v;
		const char	*text;
	} c[] = {
		{ 0, "0" }, { 9, "9" }, { 10, "10" }, { 99, "99" },
		{ 100, "100" }, { -1, "-1" }, { -10, "-10" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
		{ INT64_MIN + 1, "-9223372036854775807" },
		{ 1000000000000000000LL, "1000000000000000000" },
	};
	struct rng r = { 8 };
	char out[32], want[32];
	size_t k, n;
	unsigned long i;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		memset(out, 'X', sizeof(out));
		n = rta_fmt_i64(out, c[k].v);
		ck_assert_uint_eq(n, strlen(c[k].text));
		ck_assert_mem_eq(out, c[k].text, n);
		ck_assert_int_eq(out[n], 'X');		/* no NUL written */
	}
	for (i = 0; i < 100000; i++) {
		int64_t v = (int64_t)(rng_next(&r) >> rng_below(&r, 64));

		if (i % 2)
			v = -v;
		n = rta_fmt_i64(out, v);
		ck_assert_uint_eq(n, (size_t)snprintf(want, sizeof(want),
		    "%" PRId64, v));
		ck_assert_mem_eq(out, want, n);
	}
}
END_TEST

/* --------------------------------------------------------------- main */

/* --------------------------------------------------------------- hints */

/* On a checked object the hints find what the checked lookups find. */
START_TEST(hint_agrees_when_checked)
{
	static const char *const keys[] = { "a", "user_id", "n", "s", "o",
	    "missing", "" };
	struct rta_buf b = RTA_BUF_INIT;
	const unsigned char *v, *o;
	const char *s1, *s2;
	size_t i, l1, l2;

	from_json(&b, "{\"n\":1.5e3,\"a\":[1,{\"x\":2}],\"o\":{\"user_id\":"
	    "\"inner\"},\"s\":\"\",\"user_id\":\"u000042\",\"\":null,"
	    "\"t\":true}");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = rta_value_member_hint(b.data, b.data + b.len, keys[i],
		    strlen(keys[i]));
		ck_assert_ptr_eq(v, rta_value_member(b.data, keys[i],
		    strlen(keys[i])));
	}
	v = rta_value_member_hint(b.data, b.data + b.len, "user_id", 7);
	ck_assert_int_eq(rta_value_str_hint(v, b.data + b.len, &s1, &l1), 1);
	ck_assert_int_eq(rta_value_str(v, &s2, &l2), 1);
	ck_assert_ptr_eq(s1, s2);
	ck_assert_uint_eq(l1, 7);
	/* one level down */
	o = rta_value_member_hint(b.data, b.data + b.len, "o", 1);
	v = rta_value_member_hint(o, b.data + b.len, "user_id", 7);
	ck_assert_ptr_eq(v, rta_value_member(rta_value_member(b.data, "o", 1),
	    "user_id", 7));
	ck_assert_int_eq(rta_value_str_hint(v, b.data + b.len, &s1, &l1), 1);
	ck_assert_mem_eq(s1, "inner", 5);
	/* not strings, not objects */
	ck_assert_int_eq(rta_value_str_hint(rta_value_member(b.data, "n", 1),
	    b.data + b.len, &s1, &l1), 0);
	ck_assert_ptr_null(rta_value_member_hint(rta_value_member(b.data, "a",
	    1), b.data + b.len, "x", 1));
	ck_assert_int_eq(rta_value_str_hint(NULL, b.data, &s1, &l1), 0);
	ck_assert_ptr_null(rta_value_member_hint(NULL, b.data, "a", 1));
	rta_buf_release(&b);
}
END_TEST

/*
 * Cut anywhere, or with sizes that lie, the hints stay inside the bytes
 * they are given (each cut sits in a block of exactly its size, so a
 * sanitizer build sees any read past it) and find only what lies whole
 * inside them.
 */
START_TEST(hint_bounded)
{
	struct rta_buf b = RTA_BUF_INIT;
	const unsigned char *v;
	unsigned char *c;
	const char *s;
	size_t cut, len, at;

	from_json(&b, "{\"n\":12,\"x\":\"abc\",\"user_id\":\"u7\"}");
	at = (size_t)(rta_value_member(b.data, "user_id", 7) - b.data);
	for (cut = 0; cut <= b.len; cut++) {
		c = malloc(cut > 0 ? cut : 1);
		ck_assert_ptr_nonnull(c);
		memcpy(c, b.data, cut);
		v = rta_value_member_hint(c, c + cut, "user_id", 7);
		if (cut > at)
			ck_assert_ptr_eq(v, c + at);
		else
			ck_assert_ptr_null(v);
		ck_assert_int_eq(rta_value_str_hint(v, c + cut, &s, &len),
		    cut == b.len);
		free(c);
	}
	/* a count and size larger than the bytes: bounded by the bytes */
	c = malloc(b.len);
	ck_assert_ptr_nonnull(c);
	memcpy(c, b.data, b.len);
	rta_put_u32(c + 1, 0xffffffffU);
	rta_put_u32(c + 5, 0xffffffffU);
	ck_assert_ptr_eq(rta_value_member_hint(c, c + b.len, "user_id", 7),
	    c + at);
	ck_assert_ptr_null(rta_value_member_hint(c, c + b.len, "zz", 2));
	/* a size smaller than the members: the rest is not looked at */
	memcpy(c, b.data, b.len);
	rta_put_u32(c + 5, (uint32_t)(at - 9 - 4));
	ck_assert_ptr_null(rta_value_member_hint(c, c + b.len, "user_id", 7));
	/* a key length past the end, an unknown tag before the key */
	memcpy(c, b.data, b.len);
	rta_put_u32(c + 9, 0x7fffffffU);
	ck_assert_ptr_null(rta_value_member_hint(c, c + b.len, "user_id", 7));
	memcpy(c, b.data, b.len);
	c[9 + 4 + 1] = 0x42;		/* the tag of member "n" */
	ck_assert_ptr_null(rta_value_member_hint(c, c + b.len, "user_id", 7));
	/* a string whose length runs past the end */
	memcpy(c, b.data, b.len);
	rta_put_u32(c + at + 1, 3);
	ck_assert_int_eq(rta_value_str_hint(c + at, c + b.len, &s, &len), 0);
	free(c);
	rta_buf_release(&b);
}
END_TEST

static Suite *
value_suite(void)
{
	Suite *s = suite_create("rta_value");
	TCase *tc;

	tc = tcase_create("encode");
	tcase_add_test(tc, encode_scalars);
	tcase_add_test(tc, encode_containers);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_test(tc, check_every_prefix);
	tcase_add_test(tc, check_bad_tags);
	tcase_add_test(tc, check_lengths);
	tcase_add_test(tc, check_counts);
	tcase_add_test(tc, check_utf8);
	tcase_add_test(tc, check_nul);
	tcase_add_test(tc, check_numbers);
	tcase_add_test(tc, check_duplicates);
	tcase_add_test(tc, check_limits);
	tcase_add_test(tc, check_random_damage);
	tcase_add_test(tc, check_shape);
	tcase_add_test(tc, check_error_null_and_offset);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("walk");
	tcase_add_test(tc, walk_iterators);
	tcase_add_test(tc, walk_member);
	tcase_add_test(tc, walk_scalars);
	tcase_add_test(tc, walk_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("print");
	tcase_add_test(tc, print_escapes);
	tcase_add_test(tc, print_escape_positions);
	tcase_add_test(tc, print_lossy);
	tcase_add_test(tc, print_values);
	tcase_add_test(tc, print_jansson_roundtrip);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, fmt_double_random);
	tcase_add_test(tc, fmt_double_short_decimals);
	tcase_add_test(tc, fmt_double_cents);
	tcase_add_test(tc, fmt_double_edges);
	tcase_add_test(tc, fmt_double_powers_of_two);
	tcase_add_test(tc, fmt_double_every_exponent);
	tcase_add_test(tc, fmt_double_subnormal_shortest);
	tcase_add_test(tc, fmt_i64);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("hints");
	tcase_add_test(tc, hint_agrees_when_checked);
	tcase_add_test(tc, hint_bounded);
	tcase_add_test(tc, key_eq_agrees);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(value_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
