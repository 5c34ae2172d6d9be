/*
 * check_rta_json.c: the JSON parser, with jansson as the oracle.
 *
 * Every input here goes through rta_json_document() and through jansson's
 * json_loadb() with JSON_DECODE_ANY | JSON_REJECT_DUPLICATES.  The two must
 * agree on accept or reject and, for accepted inputs, on the value.  The
 * inputs are the hand-written files in data/json/{valid,invalid}/, about
 * 20,000 documents from a seeded generator and three mutations of each.
 *
 * Known, intentional differences, excluded by oracle_run() and nowhere
 * else:
 *   - rta limits nesting to RTA_VALUE_MAX_DEPTH (64) containers and objects
 *     to RTA_VALUE_MAX_MEMBERS (1024) members; jansson allows 2048 levels
 *     and any number of members.  A document jansson accepts beyond either
 *     limit must be refused by rta with RTA_ELIMIT.
 *   - Numbers compare by value: rta keeps "-0" as a real with its text,
 *     jansson reads it as the integer 0.  Otherwise integers must be
 *     integers on both sides and reals must have the same bits.
 *   - jansson 2.14 loses a NUL byte that directly follows a number or a
 *     literal (its lexer's unget of '\0' drops the byte), so it accepts
 *     "1\0" and "[true\0]".  NUL is allowed nowhere in JSON text, so for
 *     inputs holding one the oracle is simply "rta rejects".
 *
 * The number fast path (Clinger) is checked separately against strtod(3)
 * bit for bit over many random decimal strings.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_json.h"
#include "rta_value.h"
#include "unit.h"

#define JFLAGS		(JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)
#define NDOCS_MIN	20000	/* accepted random documents required */
#define NDOCS_MAX	30000	/* generated at most */

/* ------------------------------------------------------------ helpers */

/* splitmix64: small, seedable, good enough to drive a generator. */
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

static const char *
data_dir(void)
{
	const char *d = getenv("RTA_TEST_DATA");

	return d != NULL && *d != '\0' ? d : "tests/unit/data";
}

/* A printable excerpt of input for failure messages. */
static const char *
show(const void *s, size_t len)
{
	static char out[400];

	rta_quote(out, sizeof(out), s, len, 120);
	return out;
}

/* --------------------------------------------------------- the oracle */

/* An rta value as a jansson value (new reference). */
static json_t *
to_jansson(const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *s;
	size_t n;
	int64_t i;
	double d;
	json_t *c;

	switch (rta_value_tag(v)) {
	case RTA_V_NULL:
		return json_null();
	case RTA_V_FALSE:
		return json_false();
	case RTA_V_TRUE:
		return json_true();
	case RTA_V_INT:
		ck_assert(rta_value_i64(v, &i));
		return json_integer(i);
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		ck_assert(rta_value_num(v, &d));
		return json_real(d);
	case RTA_V_STRING:
		ck_assert(rta_value_str(v, &s, &n));
		return json_stringn(s, n);
	case RTA_V_ARRAY:
		c = json_array();
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &item))
			json_array_append_new(c, to_jansson(item));
		ck_assert_uint_eq(json_array_size(c), rta_value_count(v));
		return c;
	case RTA_V_OBJECT:
		c = json_object();
		rta_viter_init(&it, v);
		while (rta_viter_member(&it, &s, &n, &item))
			json_object_setn_new(c, s, n, to_jansson(item));
		/* fewer members than count would mean duplicate keys */
		ck_assert_uint_eq(json_object_size(c), rta_value_count(v));
		return c;
	}
	ck_abort_msg("unknown tag %d", v[0]);
	return NULL;
}

static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/*
 * Compare a (converted from rta) with b (from jansson), object members in
 * order.  On a difference, describe it in why.
 */
static int
same(json_t *a, json_t *b, char *why, size_t whysz)
{
	size_t i;

	if (json_is_number(a) && json_is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b)) {
			if (json_integer_value(a) == json_integer_value(b))
				return 1;
		} else if (json_is_real(a) && json_is_real(b)) {
			if (same_bits(json_real_value(a), json_real_value(b)))
				return 1;
		} else if (json_number_value(a) == 0 &&
		    json_number_value(b) == 0) {
			return 1;	/* "-0": a real in rta, 0 in jansson */
		}
		snprintf(why, whysz, "numbers differ: rta %.17g (%s), "
		    "jansson %.17g (%s)", json_number_value(a),
		    json_is_integer(a) ? "int" : "real", json_number_value(b),
		    json_is_integer(b) ? "int" : "real");
		return 0;
	}
	if (json_typeof(a) != json_typeof(b)) {
		snprintf(why, whysz, "types differ: rta %d, jansson %d",
		    json_typeof(a), json_typeof(b));
		return 0;
	}
	switch (json_typeof(a)) {
	case JSON_STRING:
		if (json_string_length(a) != json_string_length(b) ||
		    memcmp(json_string_value(a), json_string_value(b),
		    json_string_length(a)) != 0) {
			snprintf(why, whysz, "strings differ: '%s' vs '%s'",
			    json_string_value(a), json_string_value(b));
			return 0;
		}
		return 1;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b)) {
			snprintf(why, whysz, "array sizes differ: %zu vs %zu",
			    json_array_size(a), json_array_size(b));
			return 0;
		}
		for (i = 0; i < json_array_size(a); i++)
			if (!same(json_array_get(a, i), json_array_get(b, i),
			    why, whysz))
				return 0;
		return 1;
	case JSON_OBJECT: {
		void *ia = json_object_iter(a), *ib = json_object_iter(b);

		if (json_object_size(a) != json_object_size(b)) {
			snprintf(why, whysz, "object sizes differ: %zu vs %zu",
			    json_object_size(a), json_object_size(b));
			return 0;
		}
		for (; ia != NULL && ib != NULL; ia = json_object_iter_next(a,
		    ia), ib = json_object_iter_next(b, ib)) {
			size_t la = json_object_iter_key_len(ia);

			if (la != json_object_iter_key_len(ib) ||
			    memcmp(json_object_iter_key(ia),
			    json_object_iter_key(ib), la) != 0) {
				snprintf(why, whysz, "member order or keys "
				    "differ: '%s' vs '%s'",
				    json_object_iter_key(ia),
				    json_object_iter_key(ib));
				return 0;
			}
			if (!same(json_object_iter_value(ia),
			    json_object_iter_value(ib), why, whysz))
				return 0;
		}
		return 1;
	}
	default:
		return 1;	/* true, false, null: the type says it all */
	}
}

/* 1 if v nests deeper or has larger objects than rta's default limits. */
static int
beyond_limits(json_t *v, unsigned depth)
{
	size_t i;
	const char *k;
	json_t *m;

	if (!json_is_array(v) && !json_is_object(v))
		return 0;
	if (depth >= RTA_VALUE_MAX_DEPTH)
		return 1;
	if (json_is_object(v)) {
		if (json_object_size(v) > RTA_VALUE_MAX_MEMBERS)
			return 1;
		json_object_foreach(v, k, m)
			if (beyond_limits(m, depth + 1))
				return 1;
		return 0;
	}
	json_array_foreach(v, i, m)
		if (beyond_limits(m, depth + 1))
			return 1;
	return 0;
}

struct oracle {
	struct rta_json	 j;
	struct rta_buf	 out;	/* rta's value */
	struct rta_buf	 text;	/* rta's JSON text of it */
	struct rta_buf	 out2;	/* that text parsed again */
	char		 why[1024];
	unsigned long	 accepted, rejected, limited;
};

static void
oracle_init(struct oracle *o)
{
	memset(o, 0, sizeof(*o));
	rta_json_init(&o->j);
}

static void
oracle_release(struct oracle *o)
{
	rta_json_release(&o->j);
	rta_buf_release(&o->out);
	rta_buf_release(&o->text);
	rta_buf_release(&o->out2);
}

static int oracle_fail(struct oracle *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
oracle_fail(struct oracle *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Run one input through both parsers.  0 when they agree (the counters
 * say how), -1 with o->why set when they do not.
 */
static int
oracle_run(struct oracle *o, const void *s, size_t len)
{
	struct rta_error err;
	json_error_t jerr;
	json_t *jv, *rv, *pv;
	char why[300];
	int rc, same_value;

	rta_buf_reset(&o->out);
	rta_error_clear(&err);
	rc = rta_json_document(&o->j, s, len, &o->out, &err);
	if (rc != RTA_OK && err.offset > len)
		return oracle_fail(o, "error offset beyond the input");
	if (len > 0 && memchr(s, '\0', len) != NULL) {
		/* jansson is no judge of these (see the top of the file) */
		if (rc != RTA_EDATA)
			return oracle_fail(o, "a NUL byte, but rc %d", rc);
		o->rejected++;
		return 0;
	}
	jv = json_loadb(s, len, JFLAGS, &jerr);
	if (jv != NULL && beyond_limits(jv, 0)) {
		/* the documented difference: rta's limits are lower */
		json_decref(jv);
		o->limited++;
		if (rc != RTA_ELIMIT)
			return oracle_fail(o, "beyond rta's limits, but not "
			    "refused with RTA_ELIMIT");
		return 0;
	}
	if (jv == NULL) {
		if (rc == RTA_OK)
			return oracle_fail(o, "rta accepts, jansson rejects "
			    "(%s)", jerr.text);
		if (rc != RTA_EDATA && rc != RTA_ELIMIT)
			return oracle_fail(o, "rejected with an unexpected "
			    "code %d", rc);
		o->rejected++;
		return 0;
	}
	if (rc != RTA_OK) {
		json_decref(jv);
		return oracle_fail(o, "jansson accepts, rta rejects (%s)",
		    err.text);
	}
	if (rta_value_check(o->out.data, o->out.len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &err) != RTA_OK) {
		json_decref(jv);
		return oracle_fail(o, "the parser wrote a value that "
		    "rta_value_check refuses (%s)", err.text);
	}
	rv = to_jansson(o->out.data);
	same_value = same(rv, jv, why, sizeof(why));
	json_decref(rv);
	if (!same_value) {
		json_decref(jv);
		return oracle_fail(o, "values differ: %s", why);
	}

	/* rta's JSON text of the value means the same to jansson... */
	rta_buf_reset(&o->text);
	ck_assert_int_eq(rta_value_to_json(&o->text, o->out.data), 0);
	pv = json_loadb((const char *)o->text.data, o->text.len, JFLAGS,
	    &jerr);
	same_value = pv != NULL && same(pv, jv, why, sizeof(why));
	json_decref(pv);
	json_decref(jv);
	if (!same_value)
		return oracle_fail(o, "rta's output '%s' differs: %s",
		    show(o->text.data, o->text.len), pv == NULL ? jerr.text :
		    why);

	/* ...and reads back into exactly the same encoding. */
	rta_buf_reset(&o->out2);
	rc = rta_json_document(&o->j, o->text.data, o->text.len, &o->out2,
	    &err);
	if (rc != RTA_OK || o->out2.len != o->out.len ||
	    memcmp(o->out2.data, o->out.data, o->out.len) != 0)
		return oracle_fail(o, "rta's output '%s' does not read back "
		    "the same%s", show(o->text.data, o->text.len), "");
	o->accepted++;
	return 0;
}

/* ------------------------------------------------------------ corpus */

struct names {
	char	**v;
	size_t	  n;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list_dir(const char *dir, struct names *nm)
{
	DIR *d;
	struct dirent *e;

	nm->v = NULL;
	nm->n = 0;
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		nm->v = realloc(nm->v, (nm->n + 1) * sizeof(*nm->v));
		ck_assert_ptr_nonnull(nm->v);
		nm->v[nm->n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(nm->v, nm->n, sizeof(*nm->v), name_cmp);
}

static void
names_free(struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/*
 * Every file of data/json/<kind>/ through the oracle; expect says what
 * jansson must answer (1 accept, 0 reject), so that the corpus itself is
 * checked too.  Returns the number of files.
 */
static size_t
run_corpus(const char *kind, int expect, unsigned long *limited)
{
	char dir[1024], path[2048], fails[2048] = "";
	struct names nm;
	struct oracle o;
	struct rta_buf b = RTA_BUF_INIT;
	json_error_t jerr;
	size_t i, nfail = 0;

	snprintf(dir, sizeof(dir), "%s/json/%s", data_dir(), kind);
	list_dir(dir, &nm);
	oracle_init(&o);
	for (i = 0; i < nm.n; i++) {
		json_t *jv;
		int bad;

		snprintf(path, sizeof(path), "%s/%s", dir, nm.v[i]);
		unit_read(path, &b);
		jv = json_loadb((const char *)b.data, b.len, JFLAGS, &jerr);
		/* the corpus itself is checked, except where jansson errs */
		bad = (jv != NULL) != expect && (b.len == 0 ||
		    memchr(b.data, '\0', b.len) == NULL);
		json_decref(jv);
		if (bad)
			snprintf(o.why, sizeof(o.why), "jansson %s it",
			    expect ? "rejects" : "accepts");
		if (bad || oracle_run(&o, b.data, b.len) != 0) {
			size_t fl = strlen(fails);

			nfail++;
			snprintf(fails + fl, sizeof(fails) - fl, "\n  %s: %s",
			    nm.v[i], o.why);
		}
	}
	*limited = o.limited;
	if (expect)
		ck_assert_uint_eq(o.rejected, 0);
	else if (nfail == 0)
		ck_assert_uint_eq(o.accepted + o.limited, 0);
	oracle_release(&o);
	rta_buf_release(&b);
	names_free(&nm);
	ck_assert_msg(nfail == 0, "%zu of %zu %s files disagree:%s", nfail,
	    i, kind, fails);
	return i;
}

START_TEST(corpus_valid)
{
	unsigned long limited;
	size_t n = run_corpus("valid", 1, &limited);

	ck_assert_uint_ge(n, 40);
	/* limit-depth-65 and limit-members-1025 */
	ck_assert_uint_eq(limited, 2);
}
END_TEST

START_TEST(corpus_invalid)
{
	unsigned long limited;
	size_t n = run_corpus("invalid", 0, &limited);

	ck_assert_uint_ge(n, 60);
	ck_assert_uint_eq(limited, 0);
}
END_TEST

/* --------------------------------------------------- random documents */

static void
gen_ws(struct rng *r, struct rta_buf *b)
{
	static const char ws[] = " \t\n\r";

	while (rng_below(r, 6) == 0)
		rta_buf_addc(b, ws[rng_below(r, 4)]);
}

static void
add_hex4(struct rng *r, struct rta_buf *b, uint32_t cp)
{
	static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
	const char *h = rng_below(r, 2) ? lo : up;
	char e[6] = { '\\', 'u', h[cp >> 12 & 15], h[cp >> 8 & 15],
	    h[cp >> 4 & 15], h[cp & 15] };

	rta_buf_add(b, e, 6);
}

/* A random code point that UTF-8 may hold (no surrogates, no NUL). */
static uint32_t
gen_cp(struct rng *r)
{
	uint32_t cp;

	switch (rng_below(r, 4)) {
	case 0:
		cp = 0x80 + rng_below(r, 0x800 - 0x80);
		break;
	case 1:
		cp = 0x800 + rng_below(r, 0x10000 - 0x800);
		break;
	case 2:
		cp = 0x10000 + rng_below(r, 0x110000 - 0x10000);
		break;
	default:
		cp = 1 + rng_below(r, 0x7f);
		break;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xe000;
	return cp;
}

static void
add_utf8(struct rta_buf *b, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	rta_buf_add(b, u, n);
}

/* The inside of a JSON string: plain runs, every escape, raw non-ASCII. */
static void
gen_string_body(struct rng *r, struct rta_buf *b, unsigned maxparts)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/#{}[],'~\x7f";
	static const char *const esc[] = { "\\\"", "\\\\", "\\/", "\\b",
	    "\\f", "\\n", "\\r", "\\t" };
	unsigned parts = rng_below(r, maxparts + 1), i, k, n;

	for (i = 0; i < parts; i++) {
		uint32_t cp;

		switch (rng_below(r, 8)) {
		case 0:
		case 1:
		case 2:	/* runs long enough for the 16-byte scanner */
			n = 1 + rng_below(r, rng_below(r, 4) == 0 ? 40 : 6);
			for (k = 0; k < n; k++)
				rta_buf_addc(b, plain[rng_below(r,
				    sizeof(plain) - 1)]);
			break;
		case 3:
			rta_buf_adds(b, esc[rng_below(r, 8)]);
			break;
		case 4:
			cp = gen_cp(r);
			add_hex4(r, b, cp < 0x10000 ? cp : 0x2603);
			break;
		case 5:
			cp = 0x10000 + rng_below(r, 0x100000);
			add_hex4(r, b, 0xd800 + ((cp - 0x10000) >> 10));
			add_hex4(r, b, 0xdc00 + ((cp - 0x10000) & 0x3ff));
			break;
		case 6:
			add_hex4(r, b, 1 + rng_below(r, 0x1f));
			break;
		default:
			add_utf8(b, gen_cp(r));
			break;
		}
	}
}

static void
gen_string(struct rng *r, struct rta_buf *b, unsigned maxparts)
{
	rta_buf_addc(b, '"');
	gen_string_body(r, b, maxparts);
	rta_buf_addc(b, '"');
}

static void
add_digits(struct rng *r, struct rta_buf *b, unsigned n, int first_nonzero)
{
	unsigned i;

	for (i = 0; i < n; i++)
		rta_buf_addc(b, (i == 0 && first_nonzero ? '1' +
		    (int)rng_below(r, 9) : '0' + (int)rng_below(r, 10)));
}

/* A number in one of the forms JSON allows (and a few out of range). */
static void
gen_number(struct rng *r, struct rta_buf *b)
{
	static const char *const fixed[] = { "0", "-0", "-0.0", "0.0",
	    "9223372036854775807", "-9223372036854775808",
	    "9223372036854775806", "-9223372036854775807", "1e308",
	    "-1.7976931348623157e308", "4.9406564584124654e-324", "1e-400",
	    "9007199254740993", "9007199254740993.0", "1E22", "1e23",
	    "0.1", "100", "-1", "1e400", "9223372036854775808",
	    "123456789012345678901234567890" };
	unsigned intdig;

	switch (rng_below(r, 10)) {
	case 0:
		rta_buf_adds(b, fixed[rng_below(r, rng_below(r, 4) == 0 ?
		    sizeof(fixed) / sizeof(fixed[0]) : 19)]);
		return;
	case 1:
	case 2:	/* an integer that fits */
		if (rng_below(r, 2))
			rta_buf_addc(b, '-');
		intdig = 1 + rng_below(r, 18);
		if (intdig == 1)
			rta_buf_addc(b, '0' + (int)rng_below(r, 10));
		else
			add_digits(r, b, intdig, 1);
		return;
	default:
		break;
	}
	if (rng_below(r, 3) == 0)
		rta_buf_addc(b, '-');
	intdig = rng_below(r, 4) == 0 ? 1 + rng_below(r, 25) :
	    1 + rng_below(r, 4);
	if (intdig == 1 || rng_below(r, 4) == 0)
		rta_buf_addc(b, '0' + (int)rng_below(r, 10));
	else
		add_digits(r, b, intdig, 1);
	if (rng_below(r, 3) != 0) {
		rta_buf_addc(b, '.');
		if (rng_below(r, 4) == 0)
			add_digits(r, b, rng_below(r, 8), 0);	/* zeros? */
		add_digits(r, b, 1 + rng_below(r, 20), 0);
	}
	if (rng_below(r, 2)) {
		static const char *const e[] = { "e", "E", "e+", "E-", "e-",
		    "E+" };

		rta_buf_adds(b, e[rng_below(r, 6)]);
		if (rng_below(r, 8) == 0)
			rta_buf_addc(b, '0');
		rta_buf_printf(b, "%u", rng_below(r, rng_below(r, 3) == 0 ?
		    330 : 30));
	}
}

static void gen_value(struct rng *, struct rta_buf *, unsigned);

static void
gen_object(struct rng *r, struct rta_buf *b, unsigned depth)
{
	unsigned n = rng_below(r, 8) == 0 ? 14 + rng_below(r, 30) :
	    rng_below(r, 6), i, dupat = n;
	struct rta_buf key = RTA_BUF_INIT;

	/* now and then a duplicate key, at the start or past the 16th */
	if (n > 1 && rng_below(r, 60) == 0)
		dupat = 1 + rng_below(r, n - 1);
	rta_buf_addc(b, '{');
	gen_ws(r, b);
	for (i = 0; i < n; i++) {
		if (i > 0) {
			rta_buf_addc(b, ',');
			gen_ws(r, b);
		}
		if (i == dupat) {
			rta_buf_add(b, key.data, key.len);
		} else {
			/* unique: an index, then random text */
			size_t at = b->len;

			rta_buf_printf(b, "\"k%u_", i);
			gen_string_body(r, b, 3);
			rta_buf_addc(b, '"');
			if (i == 0) {
				rta_buf_reset(&key);
				rta_buf_add(&key, b->data + at, b->len - at);
			}
		}
		gen_ws(r, b);
		rta_buf_addc(b, ':');
		gen_ws(r, b);
		gen_value(r, b, depth + 1);
		gen_ws(r, b);
	}
	rta_buf_addc(b, '}');
	rta_buf_release(&key);
}

static void
gen_value(struct rng *r, struct rta_buf *b, unsigned depth)
{
	unsigned n, i, pick = rng_below(r, depth < 6 ? 10 : 7);

	switch (pick) {
	case 0:
		rta_buf_adds(b, "null");
		break;
	case 1:
		rta_buf_adds(b, rng_below(r, 2) ? "true" : "false");
		break;
	case 2:
	case 3:
		gen_number(r, b);
		break;
	case 4:
	case 5:
	case 6:
		gen_string(r, b, 6);
		break;
	case 7:
	case 8:
		gen_object(r, b, depth);
		break;
	default:
		n = rng_below(r, 6);
		rta_buf_addc(b, '[');
		gen_ws(r, b);
		for (i = 0; i < n; i++) {
			if (i > 0) {
				rta_buf_addc(b, ',');
				gen_ws(r, b);
			}
			gen_value(r, b, depth + 1);
			gen_ws(r, b);
		}
		rta_buf_addc(b, ']');
		break;
	}
}

/* A document: mostly a container, sometimes a bare scalar. */
static void
gen_document(struct rng *r, struct rta_buf *b)
{
	rta_buf_reset(b);
	gen_ws(r, b);
	if (rng_below(r, 10) == 0)
		gen_value(r, b, 6);
	else if (rng_below(r, 2))
		gen_object(r, b, 0);
	else {
		rta_buf_addc(b, '[');
		gen_value(r, b, 1);
		rta_buf_addc(b, ',');
		gen_value(r, b, 1);
		rta_buf_addc(b, ']');
	}
	gen_ws(r, b);
}

/* Mutation k of doc into m: a byte flip, a cut or an insertion. */
static void
mutate(struct rng *r, const struct rta_buf *doc, struct rta_buf *m, int k)
{
	static const char *const ins[] = { "\"", "\\", ",", "]", "}", "{",
	    "[", "0", "-", "e", ".", ":", " ", "\x80", "\xc0", "\xff",
	    "\xed\xa0\x80", "\x01", "\\u", "\\ud800", "\\u0000", "1e999",
	    "null", "\"a\":1,", "\"\":", "\xef\xbb\xbf" };
	size_t at = doc->len > 0 ? rng_below(r, (uint32_t)doc->len) : 0;
	const char *s;

	rta_buf_reset(m);
	switch (k) {
	case 0:
		rta_buf_add(m, doc->data, doc->len);
		if (m->len > 0) {
			if (rng_below(r, 2))
				m->data[at] ^= (unsigned char)(1 <<
				    rng_below(r, 8));
			else
				m->data[at] = (unsigned char)rng_below(r, 256);
		}
		break;
	case 1:
		rta_buf_add(m, doc->data, at);
		break;
	default:
		s = ins[rng_below(r, sizeof(ins) / sizeof(ins[0]))];
		rta_buf_add(m, doc->data, at);
		rta_buf_adds(m, s);
		rta_buf_add(m, doc->data + at, doc->len - at);
		break;
	}
}

START_TEST(random_documents)
{
	struct rng r = { 20261126 };
	struct rta_buf doc = RTA_BUF_INIT, m = RTA_BUF_INIT;
	struct oracle o;
	unsigned long ndocs = 0, nmut = 0, valid = 0;
	int k;

	oracle_init(&o);
	while (valid < NDOCS_MIN && ndocs < NDOCS_MAX) {
		unsigned long before = o.accepted;

		gen_document(&r, &doc);
		ndocs++;
		ck_assert_msg(oracle_run(&o, doc.data, doc.len) == 0,
		    "document %lu '%s': %s", ndocs, show(doc.data, doc.len),
		    o.why);
		valid += o.accepted > before;
		for (k = 0; k < 3; k++) {
			mutate(&r, &doc, &m, k);
			nmut++;
			ck_assert_msg(oracle_run(&o, m.data, m.len) == 0,
			    "mutation %d of document %lu '%s': %s", k, ndocs,
			    show(m.data, m.len), o.why);
		}
	}
	ck_assert_uint_ge(valid, NDOCS_MIN);
	ck_assert_uint_eq(nmut, 3 * ndocs);
	/* the mutations must reach both answers often */
	ck_assert_uint_ge(o.rejected, nmut / 4);
	ck_assert_uint_ge(o.accepted - valid, nmut / 20);
	oracle_release(&o);
	rta_buf_release(&doc);
	rta_buf_release(&m);
}
END_TEST

/* Large objects use a hash table for duplicates: hit it at every size. */
START_TEST(random_large_objects)
{
	struct rng r = { 7 };
	struct rta_buf doc = RTA_BUF_INIT;
	struct oracle o;
	unsigned n, i, dup, round;

	oracle_init(&o);
	for (round = 0; round < 300; round++) {
		n = 2 + rng_below(&r, 1023);
		dup = round % 3 == 0 ? rng_below(&r, n) : n;
		rta_buf_reset(&doc);
		rta_buf_addc(&doc, '{');
		for (i = 0; i < n; i++)
			rta_buf_printf(&doc, "%s\"%x\":%u", i > 0 ? "," : "",
			    i == dup ? (i + 1) % n : i, i);
		rta_buf_addc(&doc, '}');
		ck_assert_msg(oracle_run(&o, doc.data, doc.len) == 0,
		    "object of %u members, duplicate at %u: %s", n, dup,
		    o.why);
	}
	ck_assert_uint_eq(o.accepted + o.rejected, 300);
	ck_assert_uint_eq(o.rejected, 100);
	oracle_release(&o);
	rta_buf_release(&doc);
}
END_TEST

/* ------------------------------------------------------------ numbers */

/* rta's value of a number text: 1 and *d (or *i), 0 if rejected. */
static int
parse_num(struct rta_json *j, const char *s, size_t len, double *d,
    int64_t *i, int *is_int)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	int ok;

	ok = rta_json_document(j, s, len, &b, &err) == RTA_OK;
	if (ok) {
		ck_assert_uint_eq(rta_value_size(b.data), b.len);
		*is_int = rta_value_tag(b.data) == RTA_V_INT;
		ck_assert(*is_int || rta_value_tag(b.data) == RTA_V_NUMBER);
		ck_assert(rta_value_num(b.data, d));
		if (*is_int)
			ck_assert(rta_value_i64(b.data, i));
		else {
			/* the text is kept as written */
			ck_assert_uint_eq(rta_get_u32(b.data + 9), len);
			ck_assert(memcmp(b.data + 13, s, len) == 0);
		}
	} else
		ck_assert_int_eq(err.code, RTA_EDATA);
	rta_buf_release(&b);
	return ok;
}

/* A random decimal: biased towards the fast path and its edges. */
static void
gen_decimal(struct rng *r, char *out, size_t outsz)
{
	struct rta_buf b = RTA_BUF_INIT;
	unsigned sig, point, zeros, i;
	int e;

	if (rng_below(r, 2))
		rta_buf_addc(&b, '-');
	switch (rng_below(r, 4)) {
	case 0:
		sig = 1 + rng_below(r, 15);	/* exact mantissas */
		break;
	case 1:
		sig = 15 + rng_below(r, 5);	/* around 2^53 and 19 */
		break;
	case 2:
		sig = 19 + rng_below(r, 25);	/* truncated */
		break;
	default:
		sig = 1 + rng_below(r, 40);
		break;
	}
	zeros = rng_below(r, 3) == 0 ? rng_below(r, 30) : 0;
	point = rng_below(r, sig + 1);
	if (zeros > 0 || point == 0) {
		rta_buf_adds(&b, "0.");
		for (i = 0; i < zeros; i++)
			rta_buf_addc(&b, '0');
		add_digits(r, &b, sig, 1);
	} else {
		add_digits(r, &b, point, 1);
		if (point < sig) {
			rta_buf_addc(&b, '.');
			add_digits(r, &b, sig - point, 0);
		}
	}
	if (rng_below(r, 3) != 0) {
		switch (rng_below(r, 3)) {
		case 0:
			e = (int)rng_below(r, 47) - 23;	/* fast path */
			break;
		case 1:
			e = (int)rng_below(r, 700) - 350;
			break;
		default:
			e = (int)rng_below(r, 40) + (rng_below(r, 2) ? 290 :
			    -345);
			break;
		}
		rta_buf_printf(&b, "%s%d", rng_below(r, 2) ? "e" : "E", e);
	} else if (point == sig && zeros == 0 && rng_below(r, 2))
		rta_buf_adds(&b, ".0");		/* an integer as a real */
	ck_assert_uint_lt(b.len, outsz);
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	rta_buf_release(&b);
}

START_TEST(numbers_match_strtod)
{
	struct rng r = { 42 };
	struct rta_json j;
	char text[128];
	unsigned long n, ints = 0, reals = 0, overflow = 0;

	rta_json_init(&j);
	for (n = 0; n < 300000; n++) {
		double d = 0, want;
		int64_t i = 0;
		int is_int = 0, ok;

		gen_decimal(&r, text, sizeof(text));
		ok = parse_num(&j, text, strlen(text), &d, &i, &is_int);
		if (strpbrk(text, ".eE") == NULL) {
			/* integer syntax: int64 or nothing, as in jansson */
			errno = 0;
			i = strtoll(text, NULL, 10);
			ck_assert_msg(ok == (errno == 0), "'%s': ok %d",
			    text, ok);
			if (ok) {
				ck_assert_msg(is_int, "'%s' is not an int",
				    text);
				ints++;
			} else
				overflow++;
			continue;
		}
		want = strtod(text, NULL);
		if (!isfinite(want)) {
			ck_assert_msg(!ok, "'%s' is out of range but was "
			    "accepted as %.17g", text, d);
			overflow++;
			continue;
		}
		ck_assert_msg(ok, "'%s' rejected", text);
		ck_assert_msg(!is_int, "'%s' became an integer", text);
		ck_assert_msg(same_bits(d, want), "'%s' gave %a, strtod %a",
		    text, d, want);
		reals++;
	}
	/* every kind was met */
	ck_assert_uint_gt(ints, 1000);
	ck_assert_uint_gt(reals, 200000);
	ck_assert_uint_gt(overflow, 1000);
	rta_json_release(&j);
}
END_TEST

/* Random doubles printed at 17 digits read back exactly. */
START_TEST(numbers_random_doubles)
{
	struct rng r = { 99 };
	struct rta_json j;
	char text[64];
	unsigned long n;

	rta_json_init(&j);
	for (n = 0; n < 100000; n++) {
		uint64_t u = rng_next(&r);
		double v, d = 0;
		int64_t i;
		int is_int;

		memcpy(&v, &u, sizeof(v));
		if (!isfinite(v))
			continue;
		snprintf(text, sizeof(text), "%.*e", (int)(n % 17) + 1, v);
		if (!isfinite(strtod(text, NULL))) {
			/* rounded up past the largest double */
			ck_assert(!parse_num(&j, text, strlen(text), &d, &i,
			    &is_int));
			continue;
		}
		ck_assert_msg(parse_num(&j, text, strlen(text), &d, &i,
		    &is_int), "'%s' rejected", text);
		ck_assert(!is_int);
		ck_assert_msg(same_bits(d, strtod(text, NULL)),
		    "'%s' gave %a", text, d);
	}
	rta_json_release(&j);
}
END_TEST

struct numcase {
	const char	*text;
	int		 ok;
	int		 is_int;
	double		 d;	/* for reals */
	int64_t		 i;	/* for integers */
};

START_TEST(numbers_edges)
{
	static const struct numcase c[] = {
		{ "0", 1, 1, 0, 0 },
		{ "-0", 1, 0, -0.0, 0 },
		{ "-0.0", 1, 0, -0.0, 0 },
		{ "0e-400", 1, 0, 0.0, 0 },
		{ "-0e400", 1, 0, -0.0, 0 },
		{ "9223372036854775807", 1, 1, 0, INT64_MAX },
		{ "-9223372036854775808", 1, 1, 0, INT64_MIN },
		{ "9223372036854775808", 0, 0, 0, 0 },
		{ "-9223372036854775809", 0, 0, 0, 0 },
		{ "18446744073709551615", 0, 0, 0, 0 },
		{ "18446744073709551616", 0, 0, 0, 0 },
		{ "99999999999999999999", 0, 0, 0, 0 },
		{ "9223372036854775808.0", 1, 0, 9223372036854775808.0, 0 },
		{ "1e400", 0, 0, 0, 0 },
		{ "-1e400", 0, 0, 0, 0 },
		{ "1e-400", 1, 0, 0.0, 0 },
		{ "-1e-400", 1, 0, -0.0, 0 },
		{ "1.7976931348623157e308", 1, 0, 1.7976931348623157e308, 0 },
		{ "1.7976931348623159e308", 0, 0, 0, 0 },
		{ "4.9406564584124654e-324", 1, 0, 4.9406564584124654e-324,
		    0 },
		{ "2.4703282292062328e-324", 1, 0, 4.9406564584124654e-324,
		    0 },
		{ "9007199254740993.0", 1, 0, 9007199254740992.0, 0 },
		{ "9007199254740995.0", 1, 0, 9007199254740996.0, 0 },
		{ "1e22", 1, 0, 1e22, 0 },
		{ "1e23", 1, 0, 1e23, 0 },
		{ "0.1", 1, 0, 0.1, 0 },
		{ "1.0", 1, 0, 1.0, 0 },
		{ "1E+2", 1, 0, 100.0, 0 },
		{ "1e0000000000000000000000000000002", 1, 0, 100.0, 0 },
		{ "1e99999999999999999999", 0, 0, 0, 0 },
		{ "1e-99999999999999999999", 1, 0, 0.0, 0 },
		{ "0.0000000000000000000000000000001", 1, 0, 1e-31, 0 },
		{ "123456789012345678901234567890e-29", 1, 0,
		    1.2345678901234568, 0 },
	};
	struct rta_json j;
	size_t k;

	rta_json_init(&j);
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		double d = 0;
		int64_t i = 0;
		int is_int = -1, ok;

		ok = parse_num(&j, c[k].text, strlen(c[k].text), &d, &i,
		    &is_int);
		ck_assert_msg(ok == c[k].ok, "'%s': ok %d", c[k].text, ok);
		if (!ok)
			continue;
		ck_assert_msg(is_int == c[k].is_int, "'%s': is_int %d",
		    c[k].text, is_int);
		if (is_int)
			ck_assert_msg(i == c[k].i, "'%s': %" PRId64,
			    c[k].text, i);
		else
			ck_assert_msg(same_bits(d, c[k].d), "'%s': %a, want "
			    "%a", c[k].text, d, c[k].d);
	}
	rta_json_release(&j);
}
END_TEST

/*
 * The exponent accumulator stops at six digits; leading zeros of a
 * fraction count down the other way, so a long run of them can bring a
 * clipped exponent back into the fast path's range.  The value must still
 * be strtod's: here the true exponent is 900014, so the number overflows.
 */
START_TEST(numbers_long_zero_run)
{
	static const struct {
		unsigned	 zeros;
		const char	*exp;
	} c[] = {
		{ 99990, "1e1000005" },	/* 1e900014: out of range */
		{ 99990, "1e100005" },	/* 1e14 */
		{ 99995, "5e1000000" },	/* 5e900004: out of range */
		{ 100010, "1e100000" },		/* 1e-11 */
	};
	struct rta_json j;
	struct rta_buf b = RTA_BUF_INIT;
	size_t k;

	rta_json_init(&j);
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		double d = 0, want;
		int64_t i;
		int is_int, ok;

		rta_buf_reset(&b);
		rta_buf_adds(&b, "0.");
		while (b.len < 2 + c[k].zeros)
			rta_buf_addc(&b, '0');
		rta_buf_adds(&b, c[k].exp);
		rta_buf_addc(&b, '\0');
		want = strtod((const char *)b.data, NULL);
		ok = parse_num(&j, (const char *)b.data, b.len - 1, &d, &i,
		    &is_int);
		if (!isfinite(want))
			ck_assert_msg(!ok, "0.<%u zeros>%s is out of range "
			    "but was read as %.17g", c[k].zeros, c[k].exp, d);
		else {
			ck_assert_msg(ok, "0.<%u zeros>%s rejected",
			    c[k].zeros, c[k].exp);
			ck_assert_msg(same_bits(d, want), "0.<%u zeros>%s: "
			    "%.17g, strtod %.17g", c[k].zeros, c[k].exp, d,
			    want);
		}
	}
	rta_buf_release(&b);
	rta_json_release(&j);
}
END_TEST

/* ------------------------------------------------------ errors, limits */

/* Parse s with j; the code, and reason/offset through err. */
static int
doc(struct rta_json *j, const char *s, struct rta_buf *b,
    struct rta_error *err)
{
	rta_buf_reset(b);
	rta_error_clear(err);
	return rta_json_document(j, s, strlen(s), b, err);
}

START_TEST(errors_reasons)
{
	static const struct {
		const char	*text;
		int		 code;
		const char	*reason;
		size_t		 offset;
	} c[] = {
		{ "", RTA_EDATA, "bad-json", 0 },
		{ "[1,]", RTA_EDATA, "bad-json", 3 },
		{ "{\"a\":1}x", RTA_EDATA, "bad-json", 7 },
		{ "  nul", RTA_EDATA, "bad-json", 2 },
		{ "\"a\x01\"", RTA_EDATA, "bad-json", 2 },
		{ "\"ab\xc0\xaf\"", RTA_EDATA, "bad-utf8", 3 },
		{ "[\"\\ud800\"]", RTA_EDATA, "bad-json", 2 },
		{ "\"\\u0000\"", RTA_EDATA, "bad-json", 1 },
		{ "{\"a\":1,\"b\":2,\"a\":3}", RTA_EDATA, "duplicate-key",
		    15 },
		{ "9223372036854775808", RTA_EDATA, "bad-json", 0 },
		{ "[1e400]", RTA_EDATA, "bad-json", 1 },
	};
	struct rta_json j;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	size_t k;

	rta_json_init(&j);
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		int rc = doc(&j, c[k].text, &b, &err);

		ck_assert_msg(rc == c[k].code, "'%s': rc %d", c[k].text, rc);
		ck_assert_int_eq(err.code, c[k].code);
		ck_assert_msg(err.reason != NULL &&
		    strcmp(err.reason, c[k].reason) == 0, "'%s': reason %s",
		    c[k].text, err.reason);
		ck_assert_msg(err.offset == c[k].offset, "'%s': offset %zu",
		    c[k].text, err.offset);
		ck_assert(err.text[0] != '\0');
	}
	/* "at byte N" counts from 1; "at end of input" past the end */
	ck_assert_int_eq(doc(&j, "[1,]", &b, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "unexpected character at byte 4");
	ck_assert_int_eq(doc(&j, "[1,", &b, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "expected a value at end of input");
	/* a NULL error is allowed */
	ck_assert_int_eq(rta_json_document(&j, "[", 1, &b, NULL), RTA_EDATA);
	rta_buf_release(&b);
	rta_json_release(&j);
}
END_TEST

static void
nested(struct rta_buf *b, unsigned n, int objects)
{
	unsigned i;

	rta_buf_reset(b);
	for (i = 0; i < n; i++)
		rta_buf_adds(b, objects ? "{\"a\":" : "[");
	rta_buf_adds(b, "0");
	for (i = 0; i < n; i++)
		rta_buf_addc(b, objects ? '}' : ']');
	rta_buf_addc(b, '\0');
}

START_TEST(limits_depth)
{
	struct rta_json j;
	struct rta_buf t = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	int objects;

	rta_json_init(&j);
	ck_assert_uint_eq(j.max_depth, RTA_VALUE_MAX_DEPTH);
	for (objects = 0; objects < 2; objects++) {
		nested(&t, 64, objects);
		ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err), RTA_OK);
		ck_assert_int_eq(rta_value_check(b.data, b.len, 64, 1024,
		    &err), RTA_OK);
		nested(&t, 65, objects);
		ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err),
		    RTA_ELIMIT);
		ck_assert_str_eq(err.reason, "too-deep");
		/* the 65th opening bracket is where it stops */
		ck_assert_uint_eq(err.offset, objects ? 64 * 5 : 64);
		nested(&t, 100000, objects);
		ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err),
		    RTA_ELIMIT);
	}
	/* the limit is the caller's to set */
	j.max_depth = 3;
	ck_assert_int_eq(doc(&j, "[[[1]]]", &b, &err), RTA_OK);
	ck_assert_int_eq(doc(&j, "[[[[1]]]]", &b, &err), RTA_ELIMIT);
	ck_assert_int_eq(doc(&j, "[[{\"a\":{}}]]", &b, &err), RTA_ELIMIT);
	j.max_depth = 0;
	ck_assert_int_eq(doc(&j, "1", &b, &err), RTA_OK);
	ck_assert_int_eq(doc(&j, "[]", &b, &err), RTA_ELIMIT);
	rta_buf_release(&t);
	rta_buf_release(&b);
	rta_json_release(&j);
}
END_TEST

static void
wide_object(struct rta_buf *t, unsigned n, int dup)
{
	unsigned i;

	rta_buf_reset(t);
	rta_buf_addc(t, '{');
	for (i = 0; i < n; i++)
		rta_buf_printf(t, "%s\"m%u\":[%u]", i ? "," : "",
		    dup && i == n - 1 ? 0 : i, i);
	rta_buf_adds(t, "}");
	rta_buf_addc(t, '\0');
}

START_TEST(limits_members)
{
	struct rta_json j;
	struct rta_buf t = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	unsigned i;

	rta_json_init(&j);
	ck_assert_uint_eq(j.max_members, RTA_VALUE_MAX_MEMBERS);
	wide_object(&t, 1024, 0);
	ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err), RTA_OK);
	ck_assert_uint_eq(rta_value_count(b.data), 1024);
	wide_object(&t, 1025, 0);
	ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err), RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "too-many-members");
	/* a duplicate as the last of 1,024 members is still found */
	wide_object(&t, 1024, 1);
	ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err), RTA_EDATA);
	ck_assert_str_eq(err.reason, "duplicate-key");
	/* arrays have no member limit */
	rta_buf_reset(&t);
	rta_buf_addc(&t, '[');
	for (i = 0; i < 5000; i++)
		rta_buf_adds(&t, i ? ",1" : "1");
	rta_buf_adds(&t, "]");
	rta_buf_addc(&t, '\0');
	ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err), RTA_OK);
	ck_assert_uint_eq(rta_value_count(b.data), 5000);
	j.max_members = 2;
	ck_assert_int_eq(doc(&j, "{\"a\":1,\"b\":2}", &b, &err), RTA_OK);
	ck_assert_int_eq(doc(&j, "{\"a\":1,\"b\":2,\"c\":3}", &b, &err),
	    RTA_ELIMIT);
	ck_assert_int_eq(doc(&j, "[{\"a\":1,\"b\":{\"x\":1,\"y\":2,\"z\":3}}]",
	    &b, &err), RTA_ELIMIT);
	rta_buf_release(&t);
	rta_buf_release(&b);
	rta_json_release(&j);
}
END_TEST

/*
 * One parser for many documents, with large objects nested inside large
 * objects: the key stacks and hash tables must be reset between documents
 * and restored when an inner object closes.
 */
START_TEST(state_reuse)
{
	struct rta_json j;
	struct rta_buf t = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	unsigned i, k, round;

	rta_json_init(&j);
	for (round = 0; round < 4; round++) {
		rta_buf_reset(&t);
		rta_buf_addc(&t, '{');
		for (i = 0; i < 40; i++) {
			rta_buf_printf(&t, "%s\"o%u\":{", i ? "," : "", i);
			for (k = 0; k < 20 + i; k++)
				rta_buf_printf(&t, "%s\"o%u\":%u", k ? "," : "",
				    k, k);
			rta_buf_addc(&t, '}');
		}
		/* round 1 repeats an outer key after all the inner ones */
		rta_buf_adds(&t, round == 1 ? ",\"o7\":0}" : "}");
		rta_buf_addc(&t, '\0');
		ck_assert_int_eq(doc(&j, (char *)t.data, &b, &err),
		    round == 1 ? RTA_EDATA : RTA_OK);
		/* a failed document leaves nothing behind */
		ck_assert_int_eq(doc(&j, "{\"o1\":1,\"o2\":2}", &b, &err),
		    RTA_OK);
		ck_assert_int_eq(doc(&j, "{\"a\":{\"a\":[1,{\"a\":2", &b, &err),
		    RTA_EDATA);
	}
	rta_buf_release(&t);
	rta_buf_release(&b);
	rta_json_release(&j);
	rta_json_release(NULL);
}
END_TEST

/* ------------------------------------------------ cursor entry points */

START_TEST(cursor_string)
{
	struct rta_json j;
	struct rta_buf scratch = RTA_BUF_INIT;
	struct rta_error err;
	const char *s, *in;
	size_t len, off = 99;
	int copied;

	rta_json_init(&j);
	in = "\"plain\" rest";
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_string(&j, &scratch, &s, &len, &copied,
	    &off), RTA_OK);
	ck_assert_int_eq(copied, 0);
	ck_assert_ptr_eq(s, in + 1);		/* zero copy */
	ck_assert_uint_eq(len, 5);
	ck_assert_ptr_eq(j.p, (const unsigned char *)in + 7);
	ck_assert_uint_eq(scratch.len, 0);

	rta_buf_adds(&scratch, "keep");
	in = "\"a\\tb\\u00e9\\ud83d\\ude00\"";
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_string(&j, &scratch, &s, &len, &copied,
	    &off), RTA_OK);
	ck_assert_int_eq(copied, 1);
	ck_assert_uint_eq(off, 4);		/* appended after "keep" */
	ck_assert_uint_eq(len, 9);
	ck_assert(memcmp(s, "a\tb\xc3\xa9\xf0\x9f\x98\x80", 9) == 0);
	ck_assert_ptr_eq(s, (const char *)scratch.data + 4);
	ck_assert_ptr_eq(j.p, j.end);

	in = "\"unterminated";
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_string(&j, &scratch, &s, &len, &copied,
	    &off), RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-json");
	rta_buf_release(&scratch);
	rta_json_release(&j);
}
END_TEST

START_TEST(cursor_number)
{
	struct rta_json j;
	struct rta_json_num n;
	struct rta_error err;
	const char *in;

	rta_json_init(&j);
	in = "-12,";
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_number(&j, &n), RTA_OK);
	ck_assert_int_eq(n.is_int, 1);
	ck_assert_int_eq(n.i, -12);
	ck_assert(n.d == -12.0);
	ck_assert_ptr_eq(n.text, in);
	ck_assert_uint_eq(n.len, 3);
	ck_assert_int_eq(*j.p, ',');

	in = "2.50e1]";
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_number(&j, &n), RTA_OK);
	ck_assert_int_eq(n.is_int, 0);
	ck_assert(n.d == 25.0);
	ck_assert_uint_eq(n.len, 6);

	in = "-x";
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_number(&j, &n), RTA_EDATA);
	ck_assert_str_eq(err.text, "bad number at byte 2");
	rta_json_release(&j);
}
END_TEST

START_TEST(cursor_value_depth)
{
	struct rta_json j;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	const char *in = "[[1]] tail";

	rta_json_init(&j);
	/* the depth argument counts containers already around the value */
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_value(&j, &b, 62), RTA_OK);
	ck_assert_ptr_eq(j.p, (const unsigned char *)in + 5);
	rta_buf_reset(&b);
	rta_json_begin(&j, in, strlen(in), &err);
	ck_assert_int_eq(rta_json_value(&j, &b, 63), RTA_ELIMIT);
	rta_json_begin(&j, "", 0, &err);
	ck_assert_int_eq(rta_json_value(&j, &b, 0), RTA_EDATA);
	/* rta_json_fail reports the cursor */
	in = "abc";
	rta_json_begin(&j, in, strlen(in), &err);
	j.p += 1;
	ck_assert_int_eq(rta_json_fail(&j, RTA_ELIMIT, "x-reason", "oops"),
	    RTA_ELIMIT);
	ck_assert_str_eq(err.text, "oops at byte 2");
	ck_assert_uint_eq(err.offset, 1);
	ck_assert_str_eq(err.reason, "x-reason");
	rta_buf_release(&b);
	rta_json_release(&j);
}
END_TEST

/* --------------------------------------------------------------- main */

static Suite *
json_suite(void)
{
	Suite *s = suite_create("rta_json");
	TCase *tc;

	tc = tcase_create("corpus");
	tcase_add_test(tc, corpus_valid);
	tcase_add_test(tc, corpus_invalid);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("oracle");
	tcase_add_test(tc, random_documents);
	tcase_add_test(tc, random_large_objects);
	tcase_set_timeout(tc, 600);
	suite_add_tcase(s, tc);

	tc = tcase_create("numbers");
	tcase_add_test(tc, numbers_match_strtod);
	tcase_add_test(tc, numbers_random_doubles);
	tcase_add_test(tc, numbers_edges);
	tcase_add_test(tc, numbers_long_zero_run);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, errors_reasons);
	tcase_add_test(tc, limits_depth);
	tcase_add_test(tc, limits_members);
	tcase_add_test(tc, state_reuse);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("cursor");
	tcase_add_test(tc, cursor_string);
	tcase_add_test(tc, cursor_number);
	tcase_add_test(tc, cursor_value_depth);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(json_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
