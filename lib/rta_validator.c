/*
 * rta_validator.c: one walk of a schema's nodes over a value.
 *
 * Each node records which groups of keywords it has (kw), so that the
 * walk looks only at those that apply to the instance's type: a string
 * costs its type test, its length (counted only when a bound could be
 * crossed) and its pattern's DFA.  Objects are walked member by member,
 * each name looked up once in the node's hash of the names it mentions;
 * a bitmap of the names seen then answers required and dependent*.
 *
 * Two modes share the code: collecting (every violation is recorded and
 * the walk goes on) and quick (the first failure ends it), used for the
 * branches of anyOf, oneOf, not, if and contains, whose failures are not
 * errors by themselves.  Messages are formatted only on failure.
 *
 * multipleOf is exact for decimal numbers as written (19.99 is a multiple
 * of 0.01), by integer arithmetic on their digits: an instance may have
 * any number of them, a multipleOf up to 19 (past that, doubles decide).
 * Bounds are compared as doubles and, when those are equal, by their
 * digits (up to 19), so 9007199254740993.0 is above a maximum of 2^53.
 * The schema walk nests at most EVAL_MAX_NEST deep, so no schema and
 * instance can overflow the stack.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_strfmt.h"
#include "rta_validator.h"
#include "rta_value.h"

#define BITWORDS	(1024 / 64)	/* SCHEMA_MAX_KEYS bits */

/*
 * Schemas under evaluation at once.  In-place chains are bounded at load
 * and the instance path by RTA_VALIDATE_DEPTH, but a recursive $ref may
 * chain one to the other (160 levels of 256 schemas each would be far
 * past any stack), so the $ref that would go past this fails instead.
 * Between two $refs the nesting is bounded by the schema document's.
 */
#define EVAL_MAX_NEST	1024
#define KEY_SMALL	256

struct ctx {
	struct rta_validator	*v;
	int			 formats;
	unsigned		 nest;		/* evals on the stack */
	/* a key as a value, for propertyNames (whose walk meets no key) */
	unsigned char		 key[KEY_SMALL];
};

static int eval(struct ctx *, const struct rta_snode *, const unsigned char *);

void
rta_validator_init(struct rta_validator *v)
{
	memset(v, 0, sizeof(*v));
	rta_buf_init(&v->text);
	rta_buf_init(&v->scratch);
}

void
rta_validator_release(struct rta_validator *v)
{
	if (v == NULL)
		return;
	rta_buf_release(&v->text);
	rta_buf_release(&v->scratch);
	v->n = 0;
}

/* ------------------------------------------------------------ violations */

static void
path_text(struct rta_validator *v, struct rta_buf *b)
{
	unsigned i;

	rta_buf_adds(b, v->prefix);
	for (i = 0; i < v->depth; i++) {
		rta_buf_addc(b, '/');
		if (v->path[i].key != NULL)
			rta_pointer_escape(b, v->path[i].key, v->path[i].len);
		else
			rta_buf_printf(b, "%zu", v->path[i].len);
	}
}

static int fail_(struct ctx *, const struct rta_snode *, const char *,
    const char *, const char *, ...) RTA_PRINTFLIKE(5, 6);

/* Arguments (messages) are only worked out when collecting. */
#define fail(x, ...)	((x)->v->collect ? fail_((x), __VA_ARGS__) : 0)

/* Record a violation (when collecting); always 0, "invalid". */
static int
fail_(struct ctx *x, const struct rta_snode *n, const char *keyword,
    const char *reason, const char *fmt, ...)
{
	struct rta_validator *v = x->v;
	struct rta_violation *vi;
	va_list ap;
	char msg[256];

	if (v->n == RTA_VIOLATIONS_MAX) {
		v->more++;
		return 0;
	}
	vi = &v->v[v->n];
	vi->keyword = keyword;
	vi->reason = reason;
	vi->node = n;
	vi->path_off = v->text.len;
	path_text(v, &v->text);
	vi->path_len = v->text.len - vi->path_off;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vi->msg_off = v->text.len;
	if (rta_buf_adds(&v->text, msg) != 0) {
		v->more++;
		return 0;
	}
	vi->msg_len = v->text.len - vi->msg_off;
	v->n++;
	return 0;
}

/* A short rendering of a value for messages. */
static const char *
show(struct rta_validator *v, const unsigned char *val, char *out, size_t sz)
{
	size_t mark = v->scratch.len;

	if (rta_value_to_json(&v->scratch, val) != 0) {
		snprintf(out, sz, "?");
		return out;
	}
	rta_quote(out, sz, v->scratch.data + mark, v->scratch.len - mark, 60);
	v->scratch.len = mark;
	return out;
}

static void
show_key(const char *k, size_t kl, char *out, size_t sz)
{
	rta_quote(out, sz, k, kl, 60);
}

/* Evaluate without recording: the branch of an anyOf and the like. */
static int
quiet(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	int saved = x->v->collect, ok;

	x->v->collect = 0;
	ok = eval(x, n, val);
	x->v->collect = saved;
	return ok;
}

static inline int
push(struct rta_validator *v, const char *key, size_t len)
{
	if (v->depth == RTA_VALIDATE_DEPTH)
		return -1;
	v->path[v->depth].key = key;
	v->path[v->depth].len = len;
	v->depth++;
	return 0;
}

/* ---------------------------------------------------------------- types */

static const char *
type_of(const unsigned char *val)
{
	return rta_stype_name(rta_value_stype(val) == RTA_ST_INTEGER &&
	    val[0] != RTA_V_INT ? RTA_ST_NUMBER : rta_value_stype(val));
}

static int
type_ok(unsigned types, const unsigned char *val)
{
	double d;

	switch (val[0]) {
	case RTA_V_NULL:
		return types & RTA_ST_NULL;
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		return types & RTA_ST_BOOLEAN;
	case RTA_V_INT:
		return types & (RTA_ST_INTEGER | RTA_ST_NUMBER);
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		if (types & RTA_ST_NUMBER)
			return 1;
		if (!(types & RTA_ST_INTEGER))
			return 0;
		rta_value_num(val, &d);
		return d == floor(d);
	case RTA_V_STRING:
		return types & RTA_ST_STRING;
	case RTA_V_ARRAY:
		return types & RTA_ST_ARRAY;
	default:
		return types & RTA_ST_OBJECT;
	}
}

/* --------------------------------------------------------------- numbers */

/* A decimal: value = sign * m * 10^e, m < 10^19. */
struct decimal {
	int		 neg;
	uint64_t	 m;
	int		 e;
};

/* Parse JSON number text into a decimal; -1 if it has too many digits. */
static int
decimal_parse(const char *s, size_t len, struct decimal *d)
{
	size_t i = 0;
	int digits = 0, frac = 0, exp = 0, eneg = 0, seen_point = 0;
	uint64_t m = 0;

	d->neg = 0;
	if (i < len && s[i] == '-') {
		d->neg = 1;
		i++;
	}
	for (; i < len; i++) {
		if (s[i] == '.') {
			seen_point = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			break;
		if (frac > 100000)
			return -1;
		if (m == 0 && s[i] == '0') {
			if (seen_point)
				frac++;
			continue;
		}
		if (++digits > 19)
			return -1;
		m = m * 10 + (uint64_t)(s[i] - '0');
		if (seen_point)
			frac++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len; i++) {
			if (exp > 100000)
				return -1;
			exp = exp * 10 + (s[i] - '0');
		}
	}
	d->m = m;
	d->e = (eneg ? -exp : exp) - frac;
	while (d->m != 0 && d->m % 10 == 0) {
		d->m /= 10;
		d->e++;
	}
	return 0;
}

/* The decimal of an instance number: from its text, int or double. */
static int
decimal_of(const unsigned char *val, struct decimal *d)
{
	char buf[32];
	size_t n;

	switch (val[0]) {
	case RTA_V_INT:
		n = rta_fmt_i64(buf, (int64_t)rta_get_u64(val + 1));
		return decimal_parse(buf, n, d);
	case RTA_V_NUMBER:
		return decimal_parse((const char *)val + 13,
		    rta_get_u32(val + 9), d);
	default: {
		double x;

		rta_value_num(val, &x);
		n = rta_fmt_double(buf, x);
		return decimal_parse(buf, n, d);
	}
	}
}

/* The decimal of a bound from the schema, as written if it can be. */
static int
decimal_of_bound(const struct rta_snum *b, struct decimal *d)
{
	char buf[32];
	size_t n;

	if (b->text != NULL)
		return decimal_parse(b->text, b->len, d);
	n = b->is_int ? rta_fmt_i64(buf, b->i) : rta_fmt_double(buf, b->d);
	return decimal_parse(buf, n, d);
}

__extension__ typedef unsigned __int128 u128;

/* 10^k mod m. */
static uint64_t
pow10_mod(uint64_t k, uint64_t m)
{
	uint64_t r = 1 % m, b = 10 % m;

	while (k > 0) {
		if (k & 1)
			r = (uint64_t)((u128)r * b % m);
		b = (uint64_t)((u128)b * b % m);
		k >>= 1;
	}
	return r;
}

/*
 * Is the number written s[0..len) a multiple of m = M 10^b?  Its digits,
 * as many as there are, make x = X 10^a with X free of trailing zeros.
 * When a >= b, M must divide X 10^(a-b), and X mod M is taken digit by
 * digit; when a < b, X would need a trailing zero.  1 yes, 0 no, -1
 * cannot tell (an exponent past any double).
 */
static int
text_multiple(const char *s, size_t len, const struct decimal *m)
{
	uint64_t r = 0, mm = m->m, zeros = 0;
	int64_t frac = 0, exp = 0, a;
	int point = 0, nonzero = 0, eneg = 0;
	size_t i = 0;

	if (mm == 0)
		return -1;
	if (i < len && s[i] == '-')
		i++;
	for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.') {
			point = 1;
			continue;
		}
		frac += point;
		if (s[i] == '0') {
			zeros++;
			continue;
		}
		/* the zeros before this digit were not trailing after all */
		r = (uint64_t)(((u128)r * pow10_mod(zeros + 1, mm) +
		    (unsigned)(s[i] - '0')) % mm);
		zeros = 0;
		nonzero = 1;
	}
	if (i < len) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len; i++) {
			if (exp > 100000)
				return -1;
			exp = exp * 10 + (s[i] - '0');
		}
	}
	if (!nonzero)
		return 1;
	a = (eneg ? -exp : exp) - frac + (int64_t)zeros;
	if (a < m->e)
		return 0;
	return (uint64_t)((u128)r * pow10_mod((uint64_t)(a - m->e), mm) %
	    mm) == 0;
}

static int
multiple_of(const struct rta_snum *mo, const unsigned char *val)
{
	struct decimal dm;
	char buf[32];
	size_t n;
	double x, q;
	int r = -1;

	if (val[0] == RTA_V_INT && mo->is_int && mo->i > 0)
		return (int64_t)rta_get_u64(val + 1) % mo->i == 0;
	if (decimal_of_bound(mo, &dm) == 0) {
		if (val[0] == RTA_V_NUMBER)
			r = text_multiple((const char *)val + 13,
			    rta_get_u32(val + 9), &dm);
		else {
			if (val[0] == RTA_V_INT)
				n = rta_fmt_i64(buf,
				    (int64_t)rta_get_u64(val + 1));
			else {
				rta_value_num(val, &x);
				n = rta_fmt_double(buf, x);
			}
			r = text_multiple(buf, n, &dm);
		}
		if (r >= 0)
			return r;
	}
	/* a multipleOf of more than 19 digits: doubles, not exact */
	rta_value_num(val, &x);
	q = x / mo->d;
	return isfinite(q) && q == floor(q);
}

static int
decimal_digits(uint64_t m)
{
	int k = 0;

	for (; m != 0; m /= 10)
		k++;
	return k;
}

/* Compare two decimals by value: <0, 0, >0. */
static int
decimal_cmp(const struct decimal *a, const struct decimal *b)
{
	int sa = a->m == 0 ? 0 : a->neg ? -1 : 1;
	int sb = b->m == 0 ? 0 : b->neg ? -1 : 1;
	int da, db, c;
	uint64_t ma, mb;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	da = decimal_digits(a->m);
	db = decimal_digits(b->m);
	/* the place of the leading digit first, then the digits */
	if (a->e + da != b->e + db)
		c = a->e + da < b->e + db ? -1 : 1;
	else {
		for (ma = a->m; da < 19; da++)
			ma *= 10;
		for (mb = b->m; db < 19; db++)
			mb *= 10;
		c = ma < mb ? -1 : ma > mb;
	}
	return sa * c;
}

/*
 * Compare an instance number with a bound: <0, 0, >0.  Doubles decide
 * unless they are equal: two numbers as written can round to one double
 * (9007199254740993.0 and 9007199254740992), and then their decimal
 * digits decide, when there are at most 19 of them.
 */
static int
num_cmp(const unsigned char *val, const struct rta_snum *b)
{
	struct decimal dx, db;
	double x;

	if (val[0] == RTA_V_INT && b->is_int) {
		int64_t i = (int64_t)rta_get_u64(val + 1);

		return i < b->i ? -1 : i > b->i;
	}
	rta_value_num(val, &x);
	if (x != b->d)
		return x < b->d ? -1 : 1;
	if (decimal_of(val, &dx) != 0 || decimal_of_bound(b, &db) != 0)
		return 0;
	return decimal_cmp(&dx, &db);
}

static const char *
bound_text(const struct rta_snum *b, char *buf)
{
	size_t n;

	if (b->text != NULL) {
		n = b->len < 31 ? b->len : 31;
		memcpy(buf, b->text, n);
	} else if (b->is_int)
		n = rta_fmt_i64(buf, b->i);
	else
		n = rta_fmt_double(buf, b->d);
	buf[n] = '\0';
	return buf;
}

static int
eval_number(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	char b[32], s[80];
	int ok = 1;

	if (n->minimum.set && num_cmp(val, &n->minimum) < 0)
		ok = fail(x, n, "minimum", "too-small",
		    "%s is less than the minimum %s",
		    show(x->v, val, s, sizeof(s)), bound_text(&n->minimum, b));
	if (n->xminimum.set && num_cmp(val, &n->xminimum) <= 0)
		ok = fail(x, n, "exclusiveMinimum", "too-small",
		    "%s is not greater than %s", show(x->v, val, s, sizeof(s)),
		    bound_text(&n->xminimum, b));
	if (n->maximum.set && num_cmp(val, &n->maximum) > 0)
		ok = fail(x, n, "maximum", "too-large",
		    "%s is greater than the maximum %s",
		    show(x->v, val, s, sizeof(s)), bound_text(&n->maximum, b));
	if (n->xmaximum.set && num_cmp(val, &n->xmaximum) >= 0)
		ok = fail(x, n, "exclusiveMaximum", "too-large",
		    "%s is not less than %s", show(x->v, val, s, sizeof(s)),
		    bound_text(&n->xmaximum, b));
	if (!ok && !x->v->collect)
		return 0;
	if (n->multiple_of.set && !multiple_of(&n->multiple_of, val))
		ok = fail(x, n, "multipleOf", "not-multiple",
		    "%s is not a multiple of %s",
		    show(x->v, val, s, sizeof(s)),
		    bound_text(&n->multiple_of, b));
	return ok;
}

/* --------------------------------------------------------------- strings */

static uint64_t
code_points(const char *s, size_t len)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static int
eval_string(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	const char *s = (const char *)val + 5;
	size_t len = rta_get_u32(val + 1);
	uint64_t cp;
	char q[80];
	int ok = 1;

	/*
	 * bytes / 4 <= code points <= bytes: count only when a bound could
	 * be crossed (an emoji is 4 bytes but 1 character, too short for
	 * minLength 2).
	 */
	if ((len + 3) / 4 < n->min_length || len > n->max_length) {
		cp = code_points(s, len);
		if (cp < n->min_length)
			ok = fail(x, n, "minLength", "too-short",
			    "'%s' is shorter than %llu characters",
			    (rta_quote(q, sizeof(q), s, len, 60), q),
			    (unsigned long long)n->min_length);
		else if (cp > n->max_length)
			ok = fail(x, n, "maxLength", "too-long",
			    "'%s' is longer than %llu characters",
			    (rta_quote(q, sizeof(q), s, len, 60), q),
			    (unsigned long long)n->max_length);
		if (!ok && !x->v->collect)
			return 0;
	}
	if (n->pattern != NULL && !rta_regex_search(n->pattern, s, len)) {
		if (!x->v->collect)
			return 0;
		rta_quote(q, sizeof(q), s, len, 60);
		ok = fail(x, n, "pattern", "pattern-mismatch",
		    "'%s' does not match '%s'", q, n->pattern_src);
	}
	if (n->format >= 0 && x->formats &&
	    !rta_strfmt_check(n->format, s, len)) {
		if (!x->v->collect)
			return 0;
		rta_quote(q, sizeof(q), s, len, 60);
		ok = fail(x, n, "format", "bad-format", "'%s' is not a valid %s",
		    q, rta_strfmt_name(n->format));
	}
	return ok;
}

/* --------------------------------------------------------------- objects */

/*
 * A key as a string value, for propertyNames: in small (of size
 * KEY_SMALL) when it fits, else in scratch; NULL only when out of memory.
 */
static const unsigned char *
key_value(struct rta_validator *v, const char *k, size_t kl,
    unsigned char *small)
{
	size_t mark = v->scratch.len;

	if (kl <= KEY_SMALL - 5) {
		small[0] = RTA_V_STRING;
		rta_put_u32(small + 1, (uint32_t)kl);
		memcpy(small + 5, k, kl);
		return small;
	}
	if (rta_venc_string(&v->scratch, k, kl) != 0)
		return NULL;
	return v->scratch.data + mark;
}

/* Equal keys; short ones without a call (overlapping word loads). */
static inline int
key_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y, x2, y2;
	uint32_t u, w, u2, w2;

	if (n >= 8 && n <= 16) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&x2, a + n - 8, 8);
		memcpy(&y2, b + n - 8, 8);
		return ((x ^ y) | (x2 ^ y2)) == 0;
	}
	if (n >= 4 && n < 8) {
		memcpy(&u, a, 4);
		memcpy(&w, b, 4);
		memcpy(&u2, a + n - 4, 4);
		memcpy(&w2, b + n - 4, 4);
		return ((u ^ w) | (u2 ^ w2)) == 0;
	}
	if (n > 16)
		return memcmp(a, b, n) == 0;
	if (n >= 2) {
		uint16_t h, k, h2, k2;

		memcpy(&h, a, 2);
		memcpy(&k, b, 2);
		memcpy(&h2, a + n - 2, 2);
		memcpy(&k2, b + n - 2, 2);
		return ((h ^ k) | (h2 ^ k2)) == 0;
	}
	return n == 0 || *a == *b;
}

/*
 * The property entry of member number pos, named k: first the entry that
 * member pos had in the last object of this node, then the hash.
 */
static inline const struct rta_sprop *
find_prop(struct rta_vorder *o, const struct rta_snode *n, size_t pos,
    const char *k, size_t kl)
{
	const struct rta_sprop *p;
	uint16_t j;

	/* (a node freed and another at its address: j may be stale) */
	if (pos < RTA_VORDER_KEYS && (j = o->prop[pos]) != 0 &&
	    j <= n->nprops) {
		p = &n->props[j - 1];
		if (p->klen == kl && key_eq(p->key, k, kl))
			return p;
	}
	p = rta_snode_prop(n, k, kl);
	if (pos < RTA_VORDER_KEYS)
		o->prop[pos] = p != NULL && p - n->props < UINT16_MAX ?
		    (uint16_t)(p - n->props + 1) : 0;
	return p;
}

static struct rta_vorder *
order_of(struct rta_validator *v, const struct rta_snode *n)
{
	struct rta_vorder *o;

	o = &v->order[((uintptr_t)n >> 4) % RTA_VORDER_NODES];
	if (o->node != n) {
		o->node = n;
		memset(o->prop, 0, sizeof(o->prop));
	}
	return o;
}

/* 1 if s[0..len) is a string member of n's enum. */
static inline int
quick_enum(const struct rta_snode *n, const char *s, size_t len)
{
	uint64_t h = rta_sqenum_head(s, len);
	uint32_t i, k;

	for (i = rta_sqenum_slot(h, len, n->qmask);; i = (i + 1) & n->qmask) {
		const struct rta_sqenum *q;

		if ((k = n->qtable[i]) == 0)
			return 0;
		q = &n->qenums[k - 1];
		if (q->head == h && q->len == len &&
		    (len <= 8 || memcmp(q->s + 8, s + 8, len - 8) == 0))
			return 1;
	}
}

/*
 * Without collecting: settle val at n by the checks of the quick pass
 * (rta_snode.quick_tags) when they suffice, else by the full walk.
 */
static inline int
quick(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	unsigned t = val[0];
	const char *s;
	size_t len;
	double d;

	if (!(n->quick_tags & 1u << t))
		return eval(x, n, val);
	if (t == RTA_V_STRING) {
		len = rta_get_u32(val + 1);
		s = (const char *)val + 5;
		if ((len + 3) / 4 < n->min_length || len > n->max_length ||
		    (n->pattern != NULL &&
		    !rta_regex_search(n->pattern, s, len)) ||
		    (n->has_enum && !quick_enum(n, s, len)))
			return eval(x, n, val);
		return 1;
	}
	if (t >= RTA_V_INT && t <= RTA_V_NUMBER) {
		if (t == RTA_V_INT)
			d = (double)(int64_t)rta_get_u64(val + 1);
		else
			rta_value_num(val, &d);
		if (!(d > n->qlo && d < n->qhi))
			return eval(x, n, val);
	}
	return 1;
}

/*
 * The index of member number pos, named k, among n's properties, or -1:
 * find_prop without the pointer.
 */
static inline long
find_index(struct rta_vorder *o, const struct rta_snode *n, size_t pos,
    const char *k, size_t kl)
{
	const struct rta_sprop *p;
	uint16_t j;

	if (pos < RTA_VORDER_KEYS && (j = o->prop[pos]) != 0 &&
	    j <= n->nprops) {
		p = &n->props[j - 1];
		if (p->klen == kl && key_eq(p->key, k, kl))
			return j - 1;
	}
	if ((p = find_prop(o, n, pos, k, kl)) == NULL)
		return -1;
	return p - n->props;
}

/*
 * eval_object without collecting, for the common object node (no
 * patternProperties, propertyNames or dependent keywords): the members'
 * schemas through quick().  The instance path is not kept (nothing is
 * reported), only its depth, which fails here where push() would.
 */
static int
quick_object(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	struct rta_validator *v = x->v;
	struct rta_viter it;
	const unsigned char *mv;
	const struct rta_snode *sub;
	const char *k;
	size_t kl, count = 0, nreq = 0;
	struct rta_vorder *order = order_of(v, n);
	long i;
	int ok = 1;

	rta_viter_init(&it, val);
	if (it.left > 0 && v->depth == RTA_VALIDATE_DEPTH)
		return 0;
	v->depth++;
	while (rta_viter_member(&it, &k, &kl, &mv)) {
		count++;
		sub = n->additional;
		/* a checked object has no key twice: each required one
		 * found counts once */
		if (n->nprops > 0 &&
		    (i = find_index(order, n, count - 1, k, kl)) >= 0) {
			nreq += (n->props[i].flags & RTA_SP_REQUIRED) != 0;
			if (n->props[i].schema != NULL)
				sub = n->props[i].schema;
		}
		if (sub == NULL || sub->kw == 0)
			continue;
		if ((sub->kw & RTA_SK_FALSE) || !quick(x, sub, mv)) {
			ok = 0;
			break;
		}
	}
	v->depth--;
	return ok && nreq == n->nrequired && count >= n->min_props &&
	    count <= n->max_props;
}

static int
eval_object(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	struct rta_validator *v = x->v;
	uint64_t seen[BITWORDS];
	struct rta_viter it;
	const unsigned char *mv;
	const struct rta_sprop *p;
	const char *k;
	size_t kl, i, count = 0, nreq = 0, nw = (n->nprops + 63) / 64;
	struct rta_vorder *order;
	char q[80];
	int ok = 1, matched;

	if (!v->collect && n->npatterns == 0 && n->property_names == NULL &&
	    !n->has_deps)
		return quick_object(x, n, val);
	order = order_of(v, n);
	memset(seen, 0, nw * sizeof(seen[0]));
	rta_viter_init(&it, val);
	while (rta_viter_member(&it, &k, &kl, &mv)) {
		count++;
		matched = 0;
		if (push(v, k, kl) != 0)
			return fail(x, n, "properties", "too-deep",
			    "nested too deeply");
		if (n->nprops > 0 &&
		    (p = find_prop(order, n, count - 1, k, kl)) != NULL) {
			i = (size_t)(p - n->props);
			if ((p->flags & RTA_SP_REQUIRED) &&
			    !(seen[i / 64] & (1ull << (i % 64))))
				nreq++;
			seen[i / 64] |= 1ull << (i % 64);
			if (p->schema != NULL) {
				matched = 1;
				if (p->schema->kw & RTA_SK_FALSE)
					ok = fail(x, n, "properties",
					    "not-allowed",
					    "property '%s' is not allowed",
					    (show_key(k, kl, q, sizeof(q)), q));
				else if (p->schema->kw != 0 &&
				    !eval(x, p->schema, mv))
					ok = 0;
			}
		}
		for (i = 0; i < n->npatterns; i++) {
			const struct rta_spattern *pp = &n->patterns[i];

			if (!rta_regex_search(pp->re, k, kl))
				continue;
			matched = 1;
			if (pp->schema->kw & RTA_SK_FALSE)
				ok = fail(x, n, "patternProperties",
				    "not-allowed", "property '%s' is not "
				    "allowed", (show_key(k, kl, q, sizeof(q)),
				    q));
			else if (!eval(x, pp->schema, mv))
				ok = 0;
		}
		if (!matched && n->additional != NULL) {
			if (n->additional->kw & RTA_SK_FALSE)
				ok = fail(x, n, "additionalProperties",
				    "not-allowed", "property '%s' is not "
				    "allowed", (show_key(k, kl, q, sizeof(q)),
				    q));
			else if (!eval(x, n->additional, mv))
				ok = 0;
		}
		if (n->property_names != NULL) {
			size_t mark = v->scratch.len;
			const unsigned char *kv = key_value(v, k, kl, x->key);

			/*
			 * Out of memory: not known to match, so it does not.
			 * A name is not a place in the instance: the object
			 * is where it fails.
			 */
			if (kv == NULL || !quiet(x, n->property_names, kv)) {
				v->depth--;
				ok = fail(x, n, "propertyNames",
				    "bad-property-name", "property name '%s' "
				    "does not match propertyNames",
				    (show_key(k, kl, q, sizeof(q)), q));
				v->depth++;
			}
			v->scratch.len = mark;
		}
		v->depth--;
		if (!ok && !v->collect)
			return 0;
	}
	if (nreq < n->nrequired) {
		for (i = 0; i < n->nprops; i++)
			if ((n->props[i].flags & RTA_SP_REQUIRED) &&
			    !(seen[i / 64] & (1ull << (i % 64)))) {
				show_key(n->props[i].key, n->props[i].klen, q,
				    sizeof(q));
				ok = fail(x, n, "required", "missing-required",
				    "missing required property '%s'", q);
				if (!v->collect)
					return 0;
			}
	}
	if (count < n->min_props)
		ok = fail(x, n, "minProperties", "too-few-properties",
		    "%zu properties, fewer than %llu", count,
		    (unsigned long long)n->min_props);
	if (count > n->max_props)
		ok = fail(x, n, "maxProperties", "too-many-properties",
		    "%zu properties, more than %llu", count,
		    (unsigned long long)n->max_props);
	if (!ok && !v->collect)
		return 0;
	if (n->has_deps) {
		for (i = 0; i < n->nprops; i++) {
			const struct rta_sprop *dp = &n->props[i];
			uint32_t j;

			if (!(seen[i / 64] & (1ull << (i % 64))))
				continue;
			for (j = 0; j < dp->ndep_required; j++) {
				uint32_t d = dp->dep_required[j];

				if (seen[d / 64] & (1ull << (d % 64)))
					continue;
				show_key(n->props[d].key, n->props[d].klen, q,
				    sizeof(q));
				ok = fail(x, n, "dependentRequired",
				    "missing-dependent", "property '%s' is "
				    "required when '%.*s' is present", q,
				    (int)(dp->klen < 60 ? dp->klen : 60),
				    dp->key);
				if (!v->collect)
					return 0;
			}
			if (dp->dep_schema != NULL &&
			    !eval(x, dp->dep_schema, val)) {
				ok = 0;
				if (!v->collect)
					return 0;
			}
		}
	}
	return ok;
}

/* ---------------------------------------------------------------- arrays */

/* A hash of a value that equal values (rta_value_equal) share. */
static uint64_t
value_hash(const unsigned char *val)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *s;
	size_t len, i;
	uint64_t h = 1469598103934665603ull ^ val[0];
	double d;

	switch (val[0]) {
	case RTA_V_INT:
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		rta_value_num(val, &d);
		if (d == 0)
			d = 0;	/* -0 */
		memcpy(&h, &d, 8);
		return h * 0x9e3779b97f4a7c15ull;
	case RTA_V_STRING:
		rta_value_str(val, &s, &len);
		for (i = 0; i < len; i++)
			h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
		return h;
	case RTA_V_ARRAY:
		rta_viter_init(&it, val);
		while (rta_viter_item(&it, &item))
			h = (h ^ value_hash(item)) * 1099511628211ull;
		return h;
	case RTA_V_OBJECT: {
		uint64_t sum = 0;

		rta_viter_init(&it, val);
		while (rta_viter_member(&it, &s, &len, &item)) {
			uint64_t kh = 1469598103934665603ull;

			for (i = 0; i < len; i++)
				kh = (kh ^ (unsigned char)s[i]) *
				    1099511628211ull;
			sum += kh * 31 + value_hash(item);
		}
		return h ^ sum;
	}
	default:
		return h;
	}
}

struct hitem {
	uint64_t		 h;
	const unsigned char	*v;
	size_t			 i;
};

static int
hitem_cmp(const void *a, const void *b)
{
	const struct hitem *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Index of the first item equal to an earlier one (*dup set), or 0. */
static int
find_duplicate(struct rta_validator *v, const unsigned char *arr,
    size_t count, size_t *first, size_t *second)
{
	struct rta_viter it, it2;
	const unsigned char *a, *b;
	struct hitem *hs;
	size_t i, j, mark = v->scratch.len;
	int found = 0;

	/* small arrays, or no memory for the hashes: compare every pair */
	if (count <= 16 || rta_buf_reserve(&v->scratch,
	    count * sizeof(*hs) + 16) != 0) {
		rta_viter_init(&it, arr);
		for (i = 0; rta_viter_item(&it, &a); i++) {
			it2 = it;
			for (j = i + 1; rta_viter_item(&it2, &b); j++)
				if (rta_value_equal(a, b)) {
					*first = i;
					*second = j;
					return 1;
				}
		}
		return 0;
	}
	/* sizes follow the value, which the checker bounded */
	hs = (struct hitem *)(void *)(v->scratch.data + mark +
	    ((16 - (uintptr_t)(v->scratch.data + mark) % 16) % 16));
	rta_viter_init(&it, arr);
	for (i = 0; rta_viter_item(&it, &a); i++) {
		hs[i].h = value_hash(a);
		hs[i].v = a;
		hs[i].i = i;
	}
	qsort(hs, count, sizeof(*hs), hitem_cmp);
	for (i = 0; i + 1 < count && !found; i++)
		for (j = i + 1; j < count && hs[j].h == hs[i].h; j++)
			if (rta_value_equal(hs[i].v, hs[j].v)) {
				*first = hs[i].i;
				*second = hs[j].i;
				found = 1;
				break;
			}
	return found;
}

static int
eval_array(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	struct rta_validator *v = x->v;
	struct rta_viter it;
	const unsigned char *item;
	size_t count = rta_value_count(val), i, a, b;
	uint64_t matches = 0;
	int ok = 1;

	if (count < n->min_items)
		ok = fail(x, n, "minItems", "too-few-items",
		    "%zu items, fewer than %llu", count,
		    (unsigned long long)n->min_items);
	if (count > n->max_items)
		ok = fail(x, n, "maxItems", "too-many-items",
		    "%zu items, more than %llu", count,
		    (unsigned long long)n->max_items);
	if (!ok && !v->collect)
		return 0;
	if (n->nprefix > 0 || n->items != NULL || n->contains != NULL) {
		rta_viter_init(&it, val);
		for (i = 0; rta_viter_item(&it, &item); i++) {
			const struct rta_snode *s = i < n->nprefix ?
			    n->prefix[i] : n->items;

			if (push(v, NULL, i) != 0)
				return fail(x, n, "items", "too-deep",
				    "nested too deeply");
			if (s != NULL && (s->kw & RTA_SK_FALSE))
				ok = fail(x, n, i < n->nprefix ?
				    "prefixItems" : "items", "not-allowed",
				    "item %zu is not allowed", i);
			else if (s != NULL && s->kw != 0 && !eval(x, s, item))
				ok = 0;
			if (n->contains != NULL && quiet(x, n->contains, item))
				matches++;
			v->depth--;
			if (!ok && !v->collect)
				return 0;
		}
	}
	if (n->contains != NULL) {
		if (matches < n->min_contains)
			ok = fail(x, n, n->min_contains == 1 ? "contains" :
			    "minContains", "contains-too-few", "%llu items "
			    "match contains, fewer than %llu",
			    (unsigned long long)matches,
			    (unsigned long long)n->min_contains);
		else if (matches > n->max_contains)
			ok = fail(x, n, "maxContains", "contains-too-many",
			    "%llu items match contains, more than %llu",
			    (unsigned long long)matches,
			    (unsigned long long)n->max_contains);
	}
	if (n->unique && count > 1 && find_duplicate(v, val, count, &a, &b))
		ok = fail(x, n, "uniqueItems", "duplicate-items",
		    "items %zu and %zu are equal", a, b);
	return ok;
}

/* ------------------------------------------------------------ the walk */

static int
eval_enum(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	char s[80];
	size_t i = 0;
	int ok = 1;

	if (n->const_value != NULL && !rta_value_equal(n->const_value, val))
		ok = fail(x, n, "const", "not-const", "%s is not the constant "
		    "value", show(x->v, val, s, sizeof(s)));
	if (n->has_enum && val[0] == RTA_V_STRING) {
		/* a string equals only a string of its length and bytes */
		uint32_t len = rta_get_u32(val + 1);

		for (i = 0; i < n->nenums; i++) {
			const unsigned char *e = n->enums[i];

			if (e[0] == RTA_V_STRING && rta_get_u32(e + 1) == len &&
			    key_eq((const char *)e + 5, (const char *)val + 5,
			    len))
				break;
		}
	} else if (n->has_enum) {
		for (i = 0; i < n->nenums; i++)
			if (rta_value_equal(n->enums[i], val))
				break;
	}
	if (n->has_enum) {
		if (i == n->nenums)
			ok = fail(x, n, "enum", "not-in-enum",
			    "%s is not one of the enum values",
			    show(x->v, val, s, sizeof(s)));
	}
	return ok;
}

static int
eval_apply(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	struct rta_validator *v = x->v;
	size_t i, hits, first = 0;
	int ok = 1;

	if (n->ref != NULL) {
		if (x->nest >= EVAL_MAX_NEST)
			ok = fail(x, n, "$ref", "too-deep", "schemas nested "
			    "more than %d deep through $ref", EVAL_MAX_NEST);
		else if (!eval(x, n->ref, val))
			ok = 0;
		if (!ok && !v->collect)
			return 0;
	}
	for (i = 0; i < n->nall_of; i++)
		if (!eval(x, n->all_of[i], val)) {
			ok = 0;
			if (!v->collect)
				return 0;
		}
	if (n->nany_of > 0) {
		for (i = 0; i < n->nany_of; i++)
			if (quiet(x, n->any_of[i], val))
				break;
		if (i == n->nany_of && (ok = fail(x, n, "anyOf",
		    "no-match-any-of", "matches none of the %zu anyOf schemas",
		    n->nany_of)) == 0 && !v->collect)
			return 0;
	}
	if (n->none_of > 0) {
		for (i = 0, hits = 0; i < n->none_of; i++)
			if (quiet(x, n->one_of[i], val)) {
				if (hits++ == 0)
					first = i;
				else
					break;
			}
		if (hits == 0)
			ok = fail(x, n, "oneOf", "no-match-one-of", "matches "
			    "none of the %zu oneOf schemas", n->none_of);
		else if (hits > 1)
			ok = fail(x, n, "oneOf", "many-match-one-of", "matches "
			    "oneOf schemas %zu and %zu; exactly one must",
			    first, i);
		if (!ok && !v->collect)
			return 0;
	}
	if (n->not_ != NULL && quiet(x, n->not_, val) &&
	    (ok = fail(x, n, "not", "matches-not", "matches the schema of "
	    "\"not\"")) == 0 && !v->collect)
		return 0;
	if (n->if_ != NULL && (n->then_ != NULL || n->else_ != NULL)) {
		const struct rta_snode *next = quiet(x, n->if_, val) ?
		    n->then_ : n->else_;

		if (next != NULL && !eval(x, next, val))
			ok = 0;
	}
	return ok;
}

static int
eval_node(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	char want[80];
	int ok = 1;
	unsigned kw = n->kw;

	if (kw == 0)
		return 1;
	if (kw & RTA_SK_FALSE)
		return fail(x, n, "false", "false-schema",
		    "no value is allowed here");
	if ((kw & RTA_SK_TYPE) && !type_ok(n->types, val)) {
		if (!x->v->collect)
			return 0;
		rta_stype_list(n->types, " or ", want, sizeof(want));
		ok = fail(x, n, "type", "wrong-type", "expected %s, got %s",
		    want, type_of(val));
	}
	switch (val[0]) {
	case RTA_V_STRING:
		if ((kw & RTA_SK_STRING) && !eval_string(x, n, val))
			ok = 0;
		break;
	case RTA_V_INT:
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		if ((kw & RTA_SK_NUMBER) && !eval_number(x, n, val))
			ok = 0;
		break;
	case RTA_V_OBJECT:
		if ((kw & RTA_SK_OBJECT) && !eval_object(x, n, val))
			ok = 0;
		break;
	case RTA_V_ARRAY:
		if ((kw & RTA_SK_ARRAY) && !eval_array(x, n, val))
			ok = 0;
		break;
	default:
		break;
	}
	if (!ok && !x->v->collect)
		return 0;
	if ((kw & RTA_SK_ENUM) && !eval_enum(x, n, val))
		ok = 0;
	if (!ok && !x->v->collect)
		return 0;
	if ((kw & RTA_SK_APPLY) && !eval_apply(x, n, val))
		ok = 0;
	return ok;
}

static int
eval(struct ctx *x, const struct rta_snode *n, const unsigned char *val)
{
	int ok;

	x->nest++;
	ok = eval_node(x, n, val);
	x->nest--;
	return ok;
}

static int
run(struct rta_validator *v, const struct rta_schema *s,
    const unsigned char *val, const char *prefix, int collect)
{
	struct ctx x;

	v->n = 0;
	v->more = 0;
	v->text.len = 0;
	v->scratch.len = 0;
	v->depth = 0;
	v->schema = s;
	v->prefix = prefix;
	v->collect = collect;
	x.v = v;
	x.formats = (s->flags & RTA_SCHEMA_FORMATS) != 0;
	x.nest = 0;
	return eval(&x, s->root, val);
}

int
rta_validate(struct rta_validator *v, const struct rta_schema *s,
    const unsigned char *val, const char *prefix)
{
	return run(v, s, val, prefix, 1);
}

int
rta_validate_quick(struct rta_validator *v, const struct rta_schema *s,
    const unsigned char *val)
{
	return run(v, s, val, "", 0);
}

/* ---------------------------------------------------------------- output */

/*
 * Append a JSON pointer as a URI fragment (RFC 6901 section 6): bytes
 * that RFC 3986 does not allow in a fragment are percent-encoded, so
 * "/properties/a b" is "/properties/a%20b".
 */
static int
fragment(struct rta_buf *out, const char *ptr)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int bad = 0;

	for (p = (const unsigned char *)ptr; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') ||
		    strchr("-._~!$&'()*+,;=:@/?", *p) != NULL)
			bad |= rta_buf_addc(out, *p);
		else {
			bad |= rta_buf_addc(out, '%');
			bad |= rta_buf_addc(out, hex[*p >> 4]);
			bad |= rta_buf_addc(out, hex[*p & 15]);
		}
	}
	return bad;
}

int
rta_violation_location(const struct rta_validator *v, size_t i,
    struct rta_buf *out)
{
	const struct rta_violation *vi = &v->v[i];
	int bad = 0;

	bad |= rta_buf_adds(out, v->schema->name);
	bad |= rta_buf_addc(out, '#');
	bad |= fragment(out, vi->node->loc);
	if (strcmp(vi->keyword, "false") != 0) {
		bad |= rta_buf_addc(out, '/');
		bad |= rta_buf_adds(out, vi->keyword);
	}
	return bad ? -1 : 0;
}

int
rta_violations_json(const struct rta_validator *v, struct rta_buf *out)
{
	struct rta_buf loc;
	const char *s;
	size_t i, len;
	int bad = 0;

	rta_buf_init(&loc);
	bad |= rta_buf_addc(out, '[');
	for (i = 0; i < v->n; i++) {
		const struct rta_violation *vi = &v->v[i];

		if (i > 0)
			bad |= rta_buf_addc(out, ',');
		bad |= rta_buf_adds(out, "{\"path\":");
		s = rta_violation_path(v, i, &len);
		bad |= rta_json_put_bytes_lossy(out, s, len);
		bad |= rta_buf_adds(out, ",\"keyword\":");
		bad |= rta_json_put_string(out, vi->keyword,
		    strlen(vi->keyword));
		loc.len = 0;
		bad |= rta_violation_location(v, i, &loc);
		bad |= rta_buf_adds(out, ",\"schema\":");
		bad |= rta_json_put_bytes_lossy(out, loc.data, loc.len);
		bad |= rta_buf_adds(out, ",\"reason\":");
		bad |= rta_json_put_string(out, vi->reason, strlen(vi->reason));
		bad |= rta_buf_adds(out, ",\"message\":");
		s = rta_violation_message(v, i, &len);
		bad |= rta_json_put_bytes_lossy(out, s, len);
		bad |= rta_buf_addc(out, '}');
	}
	bad |= rta_buf_addc(out, ']');
	rta_buf_release(&loc);
	return bad ? -1 : 0;
}

/* ------------------------------------------------------------- defaults */

#define MAX_PARTS	32

/*
 * The nodes that apply to one instance: n itself, what its $ref names and
 * its allOf branches, recursively (the chain is acyclic and bounded, as
 * loading checked).
 */
static void
parts_of(const struct rta_snode *n, const struct rta_snode **parts,
    size_t *np)
{
	size_t i;

	if (n == NULL || *np == MAX_PARTS)
		return;
	parts[(*np)++] = n;
	parts_of(n->ref, parts, np);
	for (i = 0; i < n->nall_of; i++)
		parts_of(n->all_of[i], parts, np);
}

static int
fill(const struct rta_snode **parts, size_t np, const unsigned char *val,
    struct rta_buf *out, int *changed)
{
	const struct rta_snode *sub[MAX_PARTS];
	const struct rta_sprop *p;
	struct rta_viter it;
	const unsigned char *mv;
	const char *k;
	size_t kl, i, j, nsub, off;
	uint32_t count = 0, q;

	if (np == 0 || (val[0] != RTA_V_OBJECT && val[0] != RTA_V_ARRAY))
		return rta_buf_add(out, val, rta_value_size(val));
	if ((off = rta_venc_begin(out, (enum rta_vtag)val[0])) == (size_t)-1)
		return -1;
	rta_viter_init(&it, val);
	if (val[0] == RTA_V_ARRAY) {
		for (i = 0; rta_viter_item(&it, &mv); i++, count++) {
			for (j = 0, nsub = 0; j < np; j++)
				parts_of(i < parts[j]->nprefix ?
				    parts[j]->prefix[i] : parts[j]->items, sub,
				    &nsub);
			if (fill(sub, nsub, mv, out, changed) != 0)
				return -1;
		}
		rta_venc_end(out, off, count);
		return 0;
	}
	while (rta_viter_member(&it, &k, &kl, &mv)) {
		for (j = 0, nsub = 0; j < np; j++)
			if ((p = rta_snode_prop(parts[j], k, kl)) != NULL)
				parts_of(p->schema, sub, &nsub);
		if (rta_venc_key(out, k, kl) != 0 ||
		    fill(sub, nsub, mv, out, changed) != 0)
			return -1;
		count++;
	}
	for (j = 0; j < np; j++)
		for (q = 0; q < parts[j]->nprops; q++) {
			p = &parts[j]->props[q];
			if (p->dflt == NULL || count >= RTA_VALUE_MAX_MEMBERS ||
			    rta_value_member(val, p->key, p->klen) != NULL)
				continue;
			/* an earlier part may have filled it already */
			for (i = 0; i < j; i++)
				if (rta_snode_prop(parts[i], p->key,
				    p->klen) != NULL &&
				    rta_snode_prop(parts[i], p->key,
				    p->klen)->dflt != NULL)
					break;
			if (i < j)
				continue;
			if (rta_venc_key(out, p->key, p->klen) != 0 ||
			    rta_buf_add(out, p->dflt,
			    rta_value_size(p->dflt)) != 0)
				return -1;
			count++;
			*changed = 1;
		}
	rta_venc_end(out, off, count);
	return 0;
}

int
rta_fill_defaults(const struct rta_schema *s, const unsigned char *val,
    struct rta_buf *out)
{
	const struct rta_snode *parts[MAX_PARTS];
	size_t np = 0, mark = out->len;
	int changed = 0;

	parts_of(s->root, parts, &np);
	if (fill(parts, np, val, out, &changed) != 0) {
		out->len = mark;
		return -1;
	}
	if (!changed)
		out->len = mark;
	return changed;
}
