/*
 * rta_compat.c: breaking changes between two versions of a schema.
 *
 * check(W, n) asks whether the schema node n accepts every instance that
 * the conjunction W of wide-side nodes accepts, and records a change for
 * each keyword of n that may reject one.  Both sides are first expanded
 * into their parts: a node, what its $ref points to and its allOf
 * members, recursively, since all of them apply at once.  A keyword of
 * the narrow side is harmless when some part of the wide side is at least
 * as strict (a larger minimum, the same pattern, a subset enum).
 *
 * Soundness is the invariant: when nothing is recorded, every instance
 * of W (that has only the members W mentions, see rta_compat.h) is an
 * instance of n.  Where a proof is out of reach the change is recorded,
 * so every shortcut below must only ever make W look wider or n look
 * narrower.  Three places need care:
 *
 *  - Members.  The rule that a member W does not mention is absent holds
 *    for the instances W describes, so it is used only where the wide
 *    side contains W.  Where it does not (contains, whose items may carry
 *    members declared elsewhere) or where a member is declared only in a
 *    branch W does not split on, the walk below goes on in strict mode:
 *    every member that W does not exclude may be there, with any value
 *    W allows.
 *  - oneOf.  An instance must match exactly one branch, so a branch that
 *    got wider may now overlap another; each other branch must be shown
 *    disjoint from the instance's, or inside another branch of W's oneOf.
 *  - Limits.  A comparison cut short by depth or work is reported, never
 *    taken as compatible.
 *
 * The seen stack holds the pairs (W, n, mode) being compared: meeting one
 * again inside itself (a recursive schema) assumes it holds, which is
 * sound because every instance is finite, provided the walk went down
 * into a member or an item in between (the path is longer).  A pair met
 * again at the same place (not inside not inside not ...) proves
 * nothing and is reported as too complex.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_compat.h"
#include "rta_regex.h"
#include "rta_value.h"

#define DEPTH_MAX	64	/* nested comparisons */
#define WORK_MAX	200000	/* comparisons in one rta_compat_compare */
#define DISJOINT_DEPTH	4	/* members followed to prove disjointness */

struct seen {
	const struct rta_snode	*n;
	int			 strict;
	size_t			 plen;		/* path length then */
	size_t			 len;
	const struct rta_snode	*w[RTA_SPARTS_MAX];
};

/* The schema true, and one schema per type, for W's side only. */
#define NODE_INIT(t)	{ .kw = (t) == RTA_ST_ALL ? 0 : RTA_SK_TYPE,	\
	.types = (t), .format = -1, .max_length = UINT64_MAX,		\
	.max_props = UINT64_MAX, .max_items = UINT64_MAX,		\
	.min_contains = 1, .max_contains = UINT64_MAX }

static const struct rta_snode any_node = NODE_INIT(RTA_ST_ALL);
static const struct rta_snode type_nodes[] = {
	NODE_INIT(RTA_ST_NULL), NODE_INIT(RTA_ST_BOOLEAN),
	NODE_INIT(RTA_ST_OBJECT), NODE_INIT(RTA_ST_ARRAY),
	NODE_INIT(RTA_ST_NUMBER | RTA_ST_INTEGER), NODE_INIT(RTA_ST_STRING),
	NODE_INIT(RTA_ST_INTEGER)
};

static void	check(struct rta_compat *, const struct rta_sparts *,
		    const struct rta_snode *);

void
rta_compat_init(struct rta_compat *c)
{
	memset(c, 0, sizeof(*c));
	rta_buf_init(&c->text);
	rta_buf_init(&c->path);
}

void
rta_compat_release(struct rta_compat *c)
{
	rta_free(c->c);
	rta_free(c->seen);
	rta_buf_release(&c->text);
	rta_buf_release(&c->path);
	memset(c, 0, sizeof(*c));
}

const char *
rta_compat_direction_name(unsigned direction)
{
	switch (direction) {
	case RTA_COMPAT_BACKWARD:
		return "backward";
	case RTA_COMPAT_FORWARD:
		return "forward";
	case RTA_COMPAT_FULL:
		return "full";
	default:
		return NULL;
	}
}

unsigned
rta_compat_mode_parse(const char *s)
{
	if (strcmp(s, "backward") == 0)
		return RTA_COMPAT_BACKWARD;
	if (strcmp(s, "forward") == 0)
		return RTA_COMPAT_FORWARD;
	if (strcmp(s, "full") == 0)
		return RTA_COMPAT_FULL;
	return 0;
}

/* ------------------------------------------------------------ recording */

static void
change(struct rta_compat *c, const struct rta_snode *n, const char *keyword,
    const char *reason, const char *fmt, ...) RTA_PRINTFLIKE(5, 6);

static void
change(struct rta_compat *c, const struct rta_snode *n, const char *keyword,
    const char *reason, const char *fmt, ...)
{
	struct rta_compat_change *ch;
	va_list ap;
	size_t off;
	char msg[512];

	if (c->n == RTA_COMPAT_MAX_CHANGES) {
		c->more++;
		return;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap == 0 ? 16 : 2 * c->cap;
		void *p = rta_reallocarray(c->c, cap, sizeof(*c->c));

		if (p == NULL) {
			c->nomem = 1;
			return;
		}
		c->c = p;
		c->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ch = &c->c[c->n];
	ch->direction = c->direction;
	ch->keyword = keyword;
	ch->reason = reason;
	ch->node = n;
	ch->schema = c->narrow;
	off = c->text.len;
	if (rta_buf_add(&c->text, c->path.data, c->path.len) != 0 ||
	    rta_buf_adds(&c->text, msg) != 0) {
		c->text.len = off;
		c->nomem = 1;
		return;
	}
	ch->path_off = off;
	ch->path_len = c->path.len;
	ch->msg_off = off + c->path.len;
	ch->msg_len = c->text.len - ch->msg_off;
	c->n++;
}

/* Append a JSON pointer token to the path; returns the old length. */
static size_t
path_push(struct rta_compat *c, const char *tok, size_t len)
{
	size_t old = c->path.len;

	if (rta_buf_addc(&c->path, '/') != 0 ||
	    rta_pointer_escape(&c->path, tok, len) != 0)
		c->nomem = 1;
	return old;
}

static size_t
path_index(struct rta_compat *c, size_t i)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%zu", i);
	return path_push(c, buf, strlen(buf));
}

/* ---------------------------------------------------------------- parts */

void
rta_sparts_add(struct rta_sparts *p, const struct rta_snode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < p->len; i++)
		if (p->n[i] == n)
			return;
	if (p->len == RTA_SPARTS_MAX)
		return;
	p->n[p->len++] = n;
	if (n->kw & RTA_SK_FALSE)
		p->none = 1;
	rta_sparts_add(p, n->ref);
	for (i = 0; i < n->nall_of; i++)
		rta_sparts_add(p, n->all_of[i]);
}

void
rta_sparts_of(struct rta_sparts *p, const struct rta_snode *n)
{
	p->len = 0;
	p->none = 0;
	rta_sparts_add(p, n);
}

static void
parts_clear(struct rta_sparts *p)
{
	p->len = 0;
	p->none = 0;
}

/* W and one more node (and its parts). */
static void
parts_with(struct rta_sparts *p, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	*p = *w;
	rta_sparts_add(p, n);
}

/* Whether n constrains nothing: true, {} or only annotations. */
static int
trivial(const struct rta_snode *n)
{
	struct rta_sparts p;
	size_t i;

	if (n == NULL)
		return 1;
	rta_sparts_of(&p, n);
	for (i = 0; i < p.len; i++)
		if (p.n[i]->kw != 0 && p.n[i]->kw != RTA_SK_APPLY)
			return 0;
		else if (p.n[i]->kw == RTA_SK_APPLY &&
		    (p.n[i]->nany_of || p.n[i]->none_of || p.n[i]->not_ ||
		    p.n[i]->then_ || p.n[i]->else_))
			return 0;
	return 1;
}

/*
 * W and every node that may apply in place of a part of it: the branches
 * of anyOf and oneOf, then and else, dependentSchemas.  What these
 * declare is declared too (an instance may carry it), though W's parts
 * alone do not say so.
 */
static void
ext_of(struct rta_sparts *e, const struct rta_sparts *w)
{
	size_t i, j;

	*e = *w;
	for (i = 0; i < e->len; i++) {
		const struct rta_snode *x = e->n[i];

		for (j = 0; j < x->nany_of; j++)
			rta_sparts_add(e, x->any_of[j]);
		for (j = 0; j < x->none_of; j++)
			rta_sparts_add(e, x->one_of[j]);
		rta_sparts_add(e, x->then_);
		rta_sparts_add(e, x->else_);
		for (j = 0; j < x->nprops; j++)
			rta_sparts_add(e, x->props[j].dep_schema);
	}
}

static unsigned	types_at(const struct rta_sparts *, unsigned);

/* The types an instance of one of the branches b may have. */
static unsigned
branch_types(struct rta_snode *const *b, size_t nb, unsigned depth)
{
	struct rta_sparts p;
	unsigned u = 0;
	size_t i;

	for (i = 0; i < nb; i++) {
		rta_sparts_of(&p, b[i]);
		u |= types_at(&p, depth + 1);
	}
	return u;
}

unsigned
rta_sparts_types(const struct rta_sparts *w)
{
	return types_at(w, 0);
}

static unsigned
types_at(const struct rta_sparts *w, unsigned depth)
{
	unsigned t = RTA_ST_ALL;
	size_t i;

	for (i = 0; i < w->len; i++) {
		const struct rta_snode *x = w->n[i];
		unsigned u = x->types;
		size_t j;

		if (depth < 4 && x->nany_of > 0)
			t &= branch_types(x->any_of, x->nany_of, depth);
		if (depth < 4 && x->none_of > 0)
			t &= branch_types(x->one_of, x->none_of, depth);

		if (u & RTA_ST_NUMBER)
			u |= RTA_ST_INTEGER;
		t &= u;
		/* a list of values has the types of its values */
		if (x->const_value != NULL)
			t &= rta_value_stype(x->const_value);
		else if (x->has_enum) {
			u = 0;
			for (j = 0; j < x->nenums; j++)
				u |= rta_value_stype(x->enums[j]);
			t &= u;
		}
	}
	if (w->none)
		t = 0;
	return t;
}

/* ---------------------------------------------------------- enum, const */

static int
value_in(const unsigned char *v, const struct rta_snode *n)
{
	size_t i;

	if (n->const_value != NULL && !rta_value_equal(n->const_value, v))
		return 0;
	if (n->has_enum) {
		for (i = 0; i < n->nenums; i++)
			if (rta_value_equal(n->enums[i], v))
				return 1;
		return 0;
	}
	return 1;
}

/* Whether value v may be an instance of W, as far as types and lists go. */
static int
value_possible(const unsigned char *v, const struct rta_sparts *w,
    unsigned tw)
{
	size_t j;

	if (!(rta_value_stype(v) & tw))
		return 0;
	for (j = 0; j < w->len; j++)
		if (!value_in(v, w->n[j]))
			return 0;
	return 1;
}

/* W's first part with a list of values (const or enum), or NULL. */
static const struct rta_snode *
values_of(const struct rta_sparts *w)
{
	size_t i;

	for (i = 0; i < w->len; i++)
		if (w->n[i]->const_value != NULL || w->n[i]->has_enum)
			return w->n[i];
	return NULL;
}

static const unsigned char *
value_at(const struct rta_snode *src, size_t i)
{
	return src->const_value != NULL ? src->const_value : src->enums[i];
}

static size_t
value_count(const struct rta_snode *src)
{
	return src->const_value != NULL ? 1 : src->nenums;
}

static void
value_text(const unsigned char *v, char *buf, size_t size)
{
	struct rta_buf b;

	rta_buf_init(&b);
	if (rta_value_to_json(&b, v) == 0)
		snprintf(buf, size, "%.*s", (int)(b.len < 80 ? b.len : 80),
		    (const char *)b.data);
	else
		snprintf(buf, size, "?");
	rta_buf_release(&b);
}

static void
check_enum(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, unsigned tw)
{
	const struct rta_snode *src;
	struct rta_buf few;
	const unsigned char *v;
	size_t offs[3], i, k;
	char t[96];

	if (n->const_value == NULL && !n->has_enum)
		return;
	if ((src = values_of(w)) == NULL) {
		/* null and booleans are few enough to list */
		if ((tw & ~(unsigned)(RTA_ST_NULL | RTA_ST_BOOLEAN)) == 0) {
			rta_buf_init(&few);
			k = 0;
			if (tw & RTA_ST_NULL) {
				offs[k++] = few.len;
				if (rta_venc_null(&few) != 0)
					c->nomem = 1;
			}
			if (tw & RTA_ST_BOOLEAN) {
				offs[k++] = few.len;
				if (rta_venc_bool(&few, 0) != 0)
					c->nomem = 1;
				offs[k++] = few.len;
				if (rta_venc_bool(&few, 1) != 0)
					c->nomem = 1;
			}
			for (i = 0; i < k && !c->nomem; i++) {
				v = few.data + offs[i];
				if (!value_possible(v, w, tw) || value_in(v, n))
					continue;
				value_text(v, t, sizeof(t));
				change(c, n, n->const_value ? "const" : "enum",
				    n->const_value ? "const-changed" :
				    "enum-narrowed", "value %s is allowed in "
				    "%s, not in %s", t, c->wide_name,
				    c->narrow_name);
			}
			rta_buf_release(&few);
			return;
		}
		change(c, n, n->const_value ? "const" : "enum", n->const_value ?
		    "const-added" : "enum-added", "%s allows only %s values, "
		    "%s any", c->narrow_name, n->const_value ? "one of its" :
		    "listed", c->wide_name);
		return;
	}
	k = value_count(src);
	for (i = 0; i < k; i++) {
		v = value_at(src, i);
		/* a value the other wide parts reject cannot occur */
		if (!value_possible(v, w, tw) || value_in(v, n))
			continue;
		value_text(v, t, sizeof(t));
		change(c, n, n->const_value ? "const" : "enum", n->const_value ?
		    "const-changed" : "enum-narrowed", "value %s is allowed "
		    "in %s, not in %s", t, c->wide_name, c->narrow_name);
	}
}

/* -------------------------------------------------------------- numbers */

static double
snum_d(const struct rta_snum *s)
{
	return s->is_int ? (double)s->i : s->d;
}

static int
snum_cmp(const struct rta_snum *a, const struct rta_snum *b)
{
	double x, y;

	if (a->is_int && b->is_int)
		return a->i < b->i ? -1 : a->i > b->i;
	x = snum_d(a);
	y = snum_d(b);
	return x < y ? -1 : x > y;
}

static const char *
snum_text(const struct rta_snum *s, char *buf, size_t size)
{
	if (s->text != NULL)
		snprintf(buf, size, "%.*s", (int)(s->len < 40 ? s->len : 40),
		    s->text);
	else if (s->is_int)
		snprintf(buf, size, "%lld", (long long)s->i);
	else
		snprintf(buf, size, "%.17g", s->d);
	return buf;
}

/*
 * A bound as an integer bound: the least integer it admits from below
 * (lower) or the greatest from above.  0 if that is not exact in a
 * double (beyond 2^53), where the caller keeps the plain comparison.
 */
static int
int_bound(const struct rta_snum *b, int excl, int lower, double *out)
{
	double d = snum_d(b);

	if (!(fabs(d) < 9007199254740992.0))
		return 0;
	if (lower)
		*out = excl ? floor(d) + 1 : ceil(d);
	else
		*out = excl ? ceil(d) - 1 : floor(d);
	return 1;
}

/*
 * Whether W bounds numbers at least as tightly as the bound b (inclusive
 * unless excl) from below (lower) or above.  With only integers in W,
 * exclusiveMinimum 0 and minimum 1 are the same bound.
 */
static int
bound_held(const struct rta_sparts *w, unsigned tw, const struct rta_snum *b,
    int excl, int lower)
{
	size_t i;
	double nb = 0, wb;
	int r, ints = !(tw & RTA_ST_NUMBER);

	if (ints && !int_bound(b, excl, lower, &nb))
		ints = 0;
	for (i = 0; i < w->len; i++) {
		const struct rta_snode *x = w->n[i];
		const struct rta_snum *inc = lower ? &x->minimum : &x->maximum;
		const struct rta_snum *exc = lower ? &x->xminimum :
		    &x->xmaximum;

		if (inc->set) {
			r = snum_cmp(inc, b);
			if (lower ? (r > 0 || (r == 0 && !excl)) :
			    (r < 0 || (r == 0 && !excl)))
				return 1;
			if (ints && int_bound(inc, 0, lower, &wb) &&
			    (lower ? wb >= nb : wb <= nb))
				return 1;
		}
		if (exc->set) {
			r = snum_cmp(exc, b);
			if (lower ? r >= 0 : r <= 0)
				return 1;
			if (ints && int_bound(exc, 1, lower, &wb) &&
			    (lower ? wb >= nb : wb <= nb))
				return 1;
		}
	}
	return 0;
}

static void
check_bound(struct rta_compat *c, const struct rta_sparts *w, unsigned tw,
    const struct rta_snode *n, const struct rta_snum *b, int excl, int lower,
    const char *keyword)
{
	char t[48];

	if (!b->set || bound_held(w, tw, b, excl, lower))
		return;
	change(c, n, keyword, "bound-tightened", "%s in %s sets %s %s, "
	    "which %s does not hold to", keyword, c->narrow_name,
	    lower ? "a lower bound of" : "an upper bound of",
	    snum_text(b, t, sizeof(t)), c->wide_name);
}

/* A number as m * 10^e, exactly, from its text: 0, or -1 if it is not. */
struct dec {
	uint64_t	m;
	long		e;
};

static int
dec_of(const struct rta_snum *s, struct dec *d)
{
	const char *p = s->text, *end = s->text + s->len;
	long e = 0, x = 0;
	int xs = 1, digits = 0;

	d->m = 0;
	if (p == NULL) {
		if (!s->is_int)
			return -1;
		d->m = s->i < 0 ? (uint64_t)0 - (uint64_t)s->i : (uint64_t)s->i;
		d->e = 0;
		goto norm;
	}
	if (p < end && *p == '-')
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (d->m > (UINT64_MAX - 9) / 10)
			return -1;
		d->m = 10 * d->m + (uint64_t)(*p - '0');
	}
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
			if (d->m > (UINT64_MAX - 9) / 10)
				return -1;
			d->m = 10 * d->m + (uint64_t)(*p - '0');
			e--;
		}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			xs = *p++ == '-' ? -1 : 1;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if ((x = 10 * x + (*p - '0')) > 100000)
				return -1;
	}
	if (p != end || digits == 0)
		return -1;
	d->e = e + xs * x;
norm:
	while (d->m != 0 && d->m % 10 == 0) {
		d->m /= 10;
		d->e++;
	}
	return 0;
}

/* Whether a is a multiple of b (b > 0): 1, 0, or -1 when unknown. */
static int
dec_multiple(const struct dec *a, const struct dec *b)
{
	uint64_t r, p;
	long k;

	if (a->m == 0)
		return 1;
	if (b->m == 0)
		return -1;
	if (a->e >= b->e) {
		/* b.m | a.m 10^k; past 64 more tens change nothing */
		if (b->m > UINT64_MAX / 10)
			return -1;
		r = a->m % b->m;
		for (k = 0; k < a->e - b->e && k < 64 && r != 0; k++)
			r = (r * 10) % b->m;
		return r == 0;
	}
	/* b.m 10^k | a.m */
	if (b->e - a->e > 19)
		return 0;
	for (p = 1, k = 0; k < b->e - a->e; k++)
		p *= 10;
	if (a->m % p != 0)
		return 0;
	return (a->m / p) % b->m == 0;
}

static int
multiple_held(const struct rta_sparts *w, unsigned tw,
    const struct rta_snum *m)
{
	static const struct dec one = { 1, 0 };
	struct dec dm, dw;
	size_t i;

	if (dec_of(m, &dm) != 0)
		return 0;
	/* every integer is a multiple of 1, 0.5, 0.25 ... */
	if (!(tw & RTA_ST_NUMBER) && dec_multiple(&one, &dm) == 1)
		return 1;
	for (i = 0; i < w->len; i++)
		if (w->n[i]->multiple_of.set &&
		    dec_of(&w->n[i]->multiple_of, &dw) == 0 &&
		    dec_multiple(&dw, &dm) == 1)
			return 1;
	return 0;
}

static void
check_numbers(struct rta_compat *c, const struct rta_sparts *w, unsigned tw,
    const struct rta_snode *n)
{
	char t[48];

	check_bound(c, w, tw, n, &n->minimum, 0, 1, "minimum");
	check_bound(c, w, tw, n, &n->xminimum, 1, 1, "exclusiveMinimum");
	check_bound(c, w, tw, n, &n->maximum, 0, 0, "maximum");
	check_bound(c, w, tw, n, &n->xmaximum, 1, 0, "exclusiveMaximum");
	if (n->multiple_of.set && !multiple_held(w, tw, &n->multiple_of))
		change(c, n, "multipleOf", "multiple-tightened", "%s requires "
		    "multiples of %s, which %s does not", c->narrow_name,
		    snum_text(&n->multiple_of, t, sizeof(t)), c->wide_name);
}

/* -------------------------------------------------------------- strings */

static void
check_strings(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	uint64_t lo = 0, hi = UINT64_MAX;
	size_t i;

	for (i = 0; i < w->len; i++) {
		if (w->n[i]->min_length > lo)
			lo = w->n[i]->min_length;
		if (w->n[i]->max_length < hi)
			hi = w->n[i]->max_length;
	}
	if (n->min_length > lo)
		change(c, n, "minLength", "length-tightened", "minLength is "
		    "%llu in %s, %llu in %s", (unsigned long long)n->min_length,
		    c->narrow_name, (unsigned long long)lo, c->wide_name);
	if (n->max_length < hi) {
		if (hi == UINT64_MAX)
			change(c, n, "maxLength", "length-tightened",
			    "maxLength %llu in %s, none in %s",
			    (unsigned long long)n->max_length, c->narrow_name,
			    c->wide_name);
		else
			change(c, n, "maxLength", "length-tightened",
			    "maxLength is %llu in %s, %llu in %s",
			    (unsigned long long)n->max_length, c->narrow_name,
			    (unsigned long long)hi, c->wide_name);
	}
	if (n->pattern_src != NULL) {
		const char *other = NULL;

		for (i = 0; i < w->len; i++)
			if (w->n[i]->pattern_src != NULL) {
				if (strcmp(w->n[i]->pattern_src,
				    n->pattern_src) == 0)
					break;
				other = w->n[i]->pattern_src;
			}
		if (i == w->len && other == NULL)
			change(c, n, "pattern", "pattern-added", "%s adds the "
			    "pattern '%.200s'", c->narrow_name, n->pattern_src);
		else if (i == w->len)
			change(c, n, "pattern", "pattern-changed", "pattern "
			    "'%.150s' in %s, '%.150s' in %s (not proven to "
			    "accept the same strings)", n->pattern_src,
			    c->narrow_name, other, c->wide_name);
	}
	if (n->format >= 0) {
		for (i = 0; i < w->len; i++)
			if (w->n[i]->format == n->format)
				break;
		if (i == w->len)
			change(c, n, "format", "format-added", "%s asserts "
			    "format %.*s, %s does not", c->narrow_name,
			    (int)n->format_len, n->format_name, c->wide_name);
	}
}

/* ------------------------------------------------------------ a sub-walk */

/* Run check(w, n) in the given mode. */
static void
check_in(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, int strict)
{
	int s = c->strict;

	c->strict = strict;
	check(c, w, n);
	c->strict = s;
}

/* Run check(w, n) and tell whether it found nothing, then forget it. */
static int
fits_in(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, int strict)
{
	size_t nc = c->n, tl = c->text.len, pl = c->path.len, ns = c->nseen;
	uint64_t more = c->more;
	int ok;

	c->probe++;
	check_in(c, w, n, strict);
	c->probe--;
	ok = c->n == nc && c->more == more && !c->nomem;
	c->n = nc;
	c->text.len = tl;
	c->path.len = pl;
	c->more = more;
	c->nseen = ns;
	return ok;
}

static int
fits(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	return fits_in(c, w, n, c->strict);
}

/* -------------------------------------------------------------- objects */

static const struct rta_sprop *
prop_of(const struct rta_snode *x, const char *k, size_t kl)
{
	return x->nprops ? rta_snode_prop(x, k, kl) : NULL;
}

static int
declares(const struct rta_snode *x, const char *k, size_t kl)
{
	const struct rta_sprop *p = prop_of(x, k, kl);

	return p != NULL && (p->flags & RTA_SP_DECLARED) && p->schema != NULL;
}

static int
key_matched(const struct rta_snode *x, const char *k, size_t kl)
{
	size_t i;

	for (i = 0; i < x->npatterns; i++)
		if (rta_regex_search(x->patterns[i].re, k, kl))
			return 1;
	return 0;
}

static int
closed(const struct rta_snode *x)
{
	return x->additional != NULL && (x->additional->kw & RTA_SK_FALSE);
}

/* Whether x gives the members it does not name a schema of substance. */
static int
open_schema(const struct rta_snode *x)
{
	return x->additional != NULL && !closed(x) && !trivial(x->additional);
}

/* Whether x says anything of member k. */
static int
mentions(const struct rta_snode *x, const char *k, size_t kl)
{
	return prop_of(x, k, kl) != NULL || key_matched(x, k, kl) ||
	    open_schema(x);
}

/*
 * What the parts of W say of member k, as a conjunction in out: the
 * schemas of properties, of the patterns matching it and, in a part that
 * does neither, additionalProperties.  out->none when W excludes k.
 */
static void
member_parts(const struct rta_sparts *w, const char *k, size_t kl,
    struct rta_sparts *out)
{
	size_t i, j;

	parts_clear(out);
	for (i = 0; i < w->len; i++) {
		const struct rta_snode *x = w->n[i];
		int named = declares(x, k, kl), matched = 0;

		if (named)
			rta_sparts_add(out, prop_of(x, k, kl)->schema);
		for (j = 0; j < x->npatterns; j++)
			if (rta_regex_search(x->patterns[j].re, k, kl)) {
				rta_sparts_add(out, x->patterns[j].schema);
				matched = 1;
			}
		if (!named && !matched)
			rta_sparts_add(out, x->additional);
	}
}

/*
 * Whether member k may be in an instance of W, and if so what W says of
 * its value (out; the schema true when nothing).  Outside strict mode a
 * member nothing in W mentions is absent.  *strict_below tells whether
 * the value's own members must be walked in strict mode: when k is also
 * mentioned by a branch, what the branch declares inside it may be there.
 */
static int
member(const struct rta_compat *c, const struct rta_sparts *w, const char *k,
    size_t kl, struct rta_sparts *out, int *strict_below)
{
	struct rta_sparts e;
	size_t i;
	int said = 0;

	*strict_below = c->strict;
	member_parts(w, k, kl, out);
	if (out->none)
		return 0;
	if (!c->strict) {
		for (i = 0; i < w->len && !said; i++)
			said = mentions(w->n[i], k, kl);
		ext_of(&e, w);
		for (i = w->len; i < e.len; i++)
			if (mentions(e.n[i], k, kl)) {
				said = *strict_below = 1;
				break;
			}
		if (e.len == RTA_SPARTS_MAX)
			said = *strict_below = 1;	/* may be cut short */
		if (!said)
			return 0;
	}
	if (out->len == 0)
		rta_sparts_add(out, &any_node);
	return 1;
}

static void
check_member(struct rta_compat *c, const struct rta_sparts *sub,
    const struct rta_snode *n, int strict)
{
	check_in(c, sub, n, strict);
}

/* Whether some part of W requires k, or makes it required with d. */
static int
required_in(const struct rta_sparts *w, const char *k, size_t kl)
{
	const struct rta_sprop *q;
	size_t i;

	for (i = 0; i < w->len; i++)
		if ((q = prop_of(w->n[i], k, kl)) != NULL &&
		    (q->flags & RTA_SP_REQUIRED))
			return 1;
	return 0;
}

static int
dependency_held(const struct rta_sparts *w, const struct rta_sprop *p,
    const struct rta_sprop *d)
{
	const struct rta_sprop *q, *wq;
	size_t j;
	uint32_t m;

	if (required_in(w, d->key, d->klen))
		return 1;
	for (j = 0; j < w->len; j++) {
		const struct rta_snode *x = w->n[j];

		if ((q = prop_of(x, p->key, p->klen)) == NULL ||
		    (wq = prop_of(x, d->key, d->klen)) == NULL)
			continue;
		for (m = 0; m < q->ndep_required; m++)
			if (&x->props[q->dep_required[m]] == wq)
				return 1;
	}
	return 0;
}

/* The members n names: required, their schemas, their dependencies. */
static void
check_named(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	const struct rta_sprop *p, *q;
	struct rta_sparts sub;
	size_t i, j, k, old;
	int sb;

	for (i = 0; i < n->nprops; i++) {
		p = &n->props[i];
		old = path_push(c, p->key, p->klen);
		if ((p->flags & RTA_SP_REQUIRED) &&
		    !required_in(w, p->key, p->klen))
			change(c, n, "required", "required-added", "'%.*s' is "
			    "required in %s but not in %s", (int)p->klen,
			    p->key, c->narrow_name, c->wide_name);
		if ((p->flags & RTA_SP_DECLARED) && p->schema != NULL &&
		    member(c, w, p->key, p->klen, &sub, &sb))
			check_member(c, &sub, p->schema, sb);
		if (p->ndep_required > 0 &&
		    member(c, w, p->key, p->klen, &sub, &sb))
			for (k = 0; k < p->ndep_required; k++) {
				const struct rta_sprop *d = &n->props[
				    p->dep_required[k]];

				if (!dependency_held(w, p, d))
					change(c, n, "dependentRequired",
					    "dependency-added", "in %s, '%.*s' "
					    "requires '%.*s'; not in %s",
					    c->narrow_name, (int)p->klen,
					    p->key, (int)d->klen, d->key,
					    c->wide_name);
			}
		c->path.len = old;
		/* a dependent schema applies to the object, not to k */
		if (p->dep_schema == NULL || trivial(p->dep_schema) ||
		    !member(c, w, p->key, p->klen, &sub, &sb))
			continue;
		sub = *w;
		for (j = 0; j < w->len; j++)
			if ((q = prop_of(w->n[j], p->key, p->klen)) != NULL &&
			    q->dep_schema != NULL)
				rta_sparts_add(&sub, q->dep_schema);
		if (fits(c, &sub, p->dep_schema))
			continue;
		if (sub.len == w->len)
			change(c, n, "dependentSchemas", "dependency-added",
			    "%s applies a schema when '%.*s' is present, %s "
			    "does not", c->narrow_name, (int)p->klen, p->key,
			    c->wide_name);
		else
			check(c, &sub, p->dep_schema);
	}
}

/* The members W names that n does not declare by name. */
static void
check_unnamed(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	const struct rta_sprop *q;
	struct rta_sparts sub;
	size_t i, j, k, old;
	int sb, matched;

	for (j = 0; j < w->len; j++) {
		const struct rta_snode *x = w->n[j];

		for (k = 0; k < x->nprops; k++) {
			q = &x->props[k];
			if (declares(n, q->key, q->klen))
				continue;
			/* the first part naming it speaks for all */
			for (i = 0; i < j; i++)
				if (prop_of(w->n[i], q->key, q->klen))
					break;
			if (i < j || !member(c, w, q->key, q->klen, &sub, &sb))
				continue;
			old = path_push(c, q->key, q->klen);
			matched = 0;
			for (i = 0; i < n->npatterns; i++)
				if (rta_regex_search(n->patterns[i].re,
				    q->key, q->klen)) {
					check_member(c, &sub,
					    n->patterns[i].schema, sb);
					matched = 1;
				}
			if (!matched && closed(n))
				change(c, n, "additionalProperties",
				    "property-removed", "'%.*s' is declared "
				    "in %s; %s does not declare it and allows "
				    "no other properties", (int)q->klen,
				    q->key, c->wide_name, c->narrow_name);
			else if (!matched && n->additional != NULL)
				check_member(c, &sub, n->additional, sb);
			c->path.len = old;
		}
	}
}

static int
has_pattern(const struct rta_snode *x, const char *src)
{
	size_t i;

	for (i = 0; i < x->npatterns; i++)
		if (strcmp(x->patterns[i].src, src) == 0)
			return 1;
	return 0;
}

/*
 * The members W admits by a pattern that n does not have: n gives those
 * it does not name its additionalProperties.
 */
static void
check_unmatched(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts sub;
	size_t i, j, k, m, old;

	if (n->additional == NULL || (!closed(n) && trivial(n->additional)))
		return;
	for (j = 0; j < w->len; j++)
		for (k = 0; k < w->n[j]->npatterns; k++) {
			const char *src = w->n[j]->patterns[k].src;

			if (has_pattern(n, src))
				continue;
			for (i = 0; i < j; i++)
				if (has_pattern(w->n[i], src))
					break;
			if (i < j)
				continue;
			parts_clear(&sub);
			for (i = j; i < w->len; i++)
				for (m = 0; m < w->n[i]->npatterns; m++) {
					const struct rta_spattern *wp =
					    &w->n[i]->patterns[m];

					if (strcmp(wp->src, src) == 0)
						rta_sparts_add(&sub,
						    wp->schema);
				}
			if (sub.none)
				continue;
			if (closed(n)) {
				change(c, n, "additionalProperties",
				    "property-removed", "properties matching "
				    "'%.150s' are allowed in %s; %s allows no "
				    "properties it does not declare", src,
				    c->wide_name, c->narrow_name);
				continue;
			}
			old = path_push(c, "*", 1);
			check_in(c, &sub, n->additional, 1);
			c->path.len = old;
		}
}

static void
check_objects(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts sub;
	size_t i, j, k, old;
	int w_closed = 0;

	for (i = 0; i < w->len; i++)
		if (closed(w->n[i]))
			w_closed = 1;
	check_named(c, w, n);
	if (n->additional != NULL || n->npatterns > 0)
		check_unnamed(c, w, n);
	check_unmatched(c, w, n);
	if (closed(n) && !w_closed)
		change(c, n, "additionalProperties", "additional-closed",
		    "%s allows no undeclared properties, %s does",
		    c->narrow_name, c->wide_name);
	else if (open_schema(n)) {
		parts_clear(&sub);
		for (j = 0; j < w->len; j++)
			if (w->n[j]->additional != NULL)
				rta_sparts_add(&sub, w->n[j]->additional);
		if (sub.len == 0)
			change(c, n, "additionalProperties",
			    "additional-narrowed", "%s constrains undeclared "
			    "properties, %s does not", c->narrow_name,
			    c->wide_name);
		else if (!sub.none) {
			old = path_push(c, "*", 1);
			check_in(c, &sub, n->additional, 1);
			c->path.len = old;
		}
	}
	for (i = 0; i < n->npatterns; i++) {
		const struct rta_spattern *np = &n->patterns[i];

		parts_clear(&sub);
		for (j = 0; j < w->len; j++)
			for (k = 0; k < w->n[j]->npatterns; k++)
				if (strcmp(w->n[j]->patterns[k].src,
				    np->src) == 0)
					rta_sparts_add(&sub,
					    w->n[j]->patterns[k].schema);
		if (sub.len > 0)
			check_in(c, &sub, np->schema, 1);
		else if (!trivial(np->schema))
			change(c, n, "patternProperties", "pattern-added",
			    "%s constrains properties matching '%.200s', %s "
			    "does not", c->narrow_name, np->src, c->wide_name);
	}
	if (n->property_names != NULL && !trivial(n->property_names)) {
		parts_clear(&sub);
		for (j = 0; j < w->len; j++)
			if (w->n[j]->property_names != NULL)
				rta_sparts_add(&sub, w->n[j]->property_names);
		if (sub.len == 0)
			change(c, n, "propertyNames", "names-narrowed", "%s "
			    "constrains property names, %s does not",
			    c->narrow_name, c->wide_name);
		else
			check(c, &sub, n->property_names);
	}
	{
		uint64_t lo = 0, hi = UINT64_MAX, req = 0;

		for (j = 0; j < w->len; j++) {
			const struct rta_snode *x = w->n[j];

			if (x->min_props > lo)
				lo = x->min_props;
			if (x->max_props < hi)
				hi = x->max_props;
			/* required names are distinct members */
			for (k = 0; k < x->nprops; k++) {
				if (!(x->props[k].flags & RTA_SP_REQUIRED))
					continue;
				for (i = 0; i < j; i++) {
					const struct rta_sprop *q = prop_of(
					    w->n[i], x->props[k].key,
					    x->props[k].klen);

					if (q != NULL &&
					    (q->flags & RTA_SP_REQUIRED))
						break;
				}
				if (i == j)
					req++;
			}
		}
		if (req > lo)
			lo = req;
		if (n->min_props > lo)
			change(c, n, "minProperties", "count-tightened",
			    "minProperties is %llu in %s, %llu in %s",
			    (unsigned long long)n->min_props, c->narrow_name,
			    (unsigned long long)lo, c->wide_name);
		if (n->max_props < hi)
			change(c, n, "maxProperties", "count-tightened",
			    "maxProperties is %llu in %s, %s in %s",
			    (unsigned long long)n->max_props, c->narrow_name,
			    hi == UINT64_MAX ? "none" : "a larger one",
			    c->wide_name);
	}
}

/* --------------------------------------------------------------- arrays */

/* The parts of W that apply to item i (SIZE_MAX: items past any prefix). */
static void
item_parts(const struct rta_sparts *w, size_t i, struct rta_sparts *out)
{
	size_t j;

	parts_clear(out);
	for (j = 0; j < w->len; j++) {
		const struct rta_snode *x = w->n[j];

		if (i < x->nprefix)
			rta_sparts_add(out, x->prefix[i]);
		else if (x->items != NULL)
			rta_sparts_add(out, x->items);
	}
}

static void
check_item(struct rta_compat *c, const struct rta_sparts *w, size_t i,
    const struct rta_snode *ns, const struct rta_snode *n, int strict)
{
	struct rta_sparts sub;
	size_t old;

	if (ns == NULL || trivial(ns))
		return;
	item_parts(w, i, &sub);
	old = i == SIZE_MAX ? path_push(c, "*", 1) : path_index(c, i);
	if (sub.len == 0) {
		if (ns->kw & RTA_SK_FALSE)
			change(c, n, i == SIZE_MAX ? "items" : "prefixItems",
			    "items-closed", "%s allows no items here, %s "
			    "allows any", c->narrow_name, c->wide_name);
		else
			change(c, n, i == SIZE_MAX ? "items" : "prefixItems",
			    "items-narrowed", "%s constrains these items, "
			    "%s does not", c->narrow_name, c->wide_name);
	} else if (!sub.none)
		check_in(c, &sub, ns, strict);
	c->path.len = old;
}

/* contains, minContains, maxContains. */
static void
check_contains(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, uint64_t hi)
{
	const struct rta_snode *first = NULL;
	struct rta_sparts sub;
	uint64_t wmin = 0, wmaxc = UINT64_MAX;
	size_t j, old;
	int held;

	if (n->min_contains > 0) {
		/* one part of W must promise enough items that match n's */
		held = 0;
		for (j = 0; j < w->len; j++) {
			const struct rta_snode *x = w->n[j];

			if (x->contains == NULL || x->min_contains == 0)
				continue;
			if (first == NULL)
				first = x;
			rta_sparts_of(&sub, x->contains);
			if (!fits_in(c, &sub, n->contains, 1))
				continue;
			held = 1;
			if (x->min_contains > wmin)
				wmin = x->min_contains;
		}
		if (!held && first == NULL)
			change(c, n, "contains", "contains-added", "%s "
			    "requires matching items, %s does not",
			    c->narrow_name, c->wide_name);
		else if (!held) {
			old = path_push(c, "*", 1);
			rta_sparts_of(&sub, first->contains);
			check_in(c, &sub, n->contains, 1);
			c->path.len = old;
		} else if (n->min_contains > wmin)
			change(c, n, "minContains", "count-tightened",
			    "minContains is %llu in %s, %llu in %s",
			    (unsigned long long)n->min_contains,
			    c->narrow_name, (unsigned long long)wmin,
			    c->wide_name);
	}
	if (n->max_contains == UINT64_MAX || hi <= n->max_contains)
		return;
	/*
	 * At most k items may match n's: a part of W must bound the items
	 * matching its own contains, and every item matching n's must
	 * match that one.
	 */
	for (j = 0; j < w->len; j++) {
		const struct rta_snode *x = w->n[j];

		if (x->contains == NULL || x->max_contains > n->max_contains)
			continue;
		if (x->max_contains < wmaxc)
			wmaxc = x->max_contains;
		rta_sparts_of(&sub, n->contains);
		if (fits_in(c, &sub, x->contains, 1))
			return;
	}
	change(c, n, "maxContains", "count-tightened", "maxContains is %llu "
	    "in %s, %s in %s", (unsigned long long)n->max_contains,
	    c->narrow_name, wmaxc == UINT64_MAX ? "none for the same items" :
	    "not proven for the same items", c->wide_name);
}

static void
check_arrays(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts e;
	uint64_t lo = 0, hi = UINT64_MAX;
	size_t i, j, wmax = 0;
	int unique = 0, strict = c->strict;

	for (j = 0; j < w->len; j++) {
		const struct rta_snode *x = w->n[j];

		if (x->min_items > lo)
			lo = x->min_items;
		if (x->max_items < hi)
			hi = x->max_items;
		if (x->items != NULL && (x->items->kw & RTA_SK_FALSE) &&
		    x->nprefix < hi)
			hi = x->nprefix;
		if (x->unique)
			unique = 1;
		if (x->nprefix > wmax)
			wmax = x->nprefix;
	}
	/* items that a branch describes may carry what it declares */
	if (!strict) {
		ext_of(&e, w);
		for (j = w->len; j < e.len && !strict; j++)
			strict = e.n[j]->nprefix > 0 ||
			    !trivial(e.n[j]->items);
		if (e.len == RTA_SPARTS_MAX)
			strict = 1;
	}
	for (i = 0; i < n->nprefix; i++)
		check_item(c, w, i, n->prefix[i], n, strict);
	if (n->items != NULL) {
		/* items past n's prefix: those of W's longer prefix first */
		for (i = n->nprefix; i < wmax; i++)
			check_item(c, w, i, n->items, n, strict);
		check_item(c, w, SIZE_MAX, n->items, n, strict);
	}
	if (n->min_items > lo)
		change(c, n, "minItems", "count-tightened", "minItems is %llu "
		    "in %s, %llu in %s", (unsigned long long)n->min_items,
		    c->narrow_name, (unsigned long long)lo, c->wide_name);
	if (n->max_items < hi)
		change(c, n, "maxItems", "count-tightened", "maxItems is %llu "
		    "in %s, %s in %s", (unsigned long long)n->max_items,
		    c->narrow_name, hi == UINT64_MAX ? "none" : "a larger one",
		    c->wide_name);
	if (n->unique && !unique && hi > 1)
		change(c, n, "uniqueItems", "unique-added", "%s requires "
		    "unique items, %s does not", c->narrow_name, c->wide_name);
	if (n->contains != NULL)
		check_contains(c, w, n, hi);
}

/* ---------------------------------------------------------- applicators */

/*
 * Whether no instance is in both a and b, as far as types, lists of
 * values and required members with disjoint values show.
 */
static int
disjoint(const struct rta_sparts *a, const struct rta_sparts *b,
    unsigned depth)
{
	const struct rta_sparts *s[2] = { a, b };
	const struct rta_snode *src;
	struct rta_sparts ka, kb;
	unsigned t;
	size_t i, j, k;
	int side;

	if (a->none || b->none)
		return 1;
	t = rta_sparts_types(a) & rta_sparts_types(b);
	if (t == 0)
		return 1;
	for (side = 0; side < 2; side++) {
		if ((src = values_of(s[side])) == NULL)
			continue;
		for (i = 0; i < value_count(src); i++)
			if (value_possible(value_at(src, i), s[side], t) &&
			    value_possible(value_at(src, i), s[!side], t))
				break;
		if (i == value_count(src))
			return 1;
	}
	if (t != RTA_ST_OBJECT || depth >= DISJOINT_DEPTH)
		return 0;
	/* a member one side requires, that the two value differently */
	for (side = 0; side < 2; side++)
		for (i = 0; i < s[side]->len; i++) {
			const struct rta_snode *x = s[side]->n[i];

			for (k = 0; k < x->nprops; k++) {
				const struct rta_sprop *p = &x->props[k];

				if (!(p->flags & RTA_SP_REQUIRED))
					continue;
				member_parts(a, p->key, p->klen, &ka);
				member_parts(b, p->key, p->klen, &kb);
				if (ka.none || kb.none)
					return 1;
				for (j = 0; j < 2; j++) {
					struct rta_sparts *q = j ? &kb : &ka;

					if (q->len == 0)
						rta_sparts_add(q, &any_node);
				}
				if (disjoint(&ka, &kb, depth + 1))
					return 1;
			}
		}
	return 0;
}

/* Whether some branch of n fits W, or W split by type fits branches. */
static int
some_branch(struct rta_compat *c, const struct rta_sparts *w,
    struct rta_snode *const *nb, size_t nn, size_t *which)
{
	struct rta_sparts sub;
	size_t i, j;
	unsigned t;

	for (j = 0; j < nn; j++)
		if (fits(c, w, nb[j])) {
			*which = j;
			return 1;
		}
	*which = SIZE_MAX;
	t = rta_sparts_types(w);
	if (t & RTA_ST_NUMBER)
		t &= ~(unsigned)RTA_ST_INTEGER;
	for (i = 0; i < sizeof(type_nodes) / sizeof(type_nodes[0]); i++) {
		if (!(type_nodes[i].types & t) ||
		    (type_nodes[i].types == RTA_ST_INTEGER &&
		    (t & RTA_ST_NUMBER)))
			continue;
		parts_with(&sub, w, &type_nodes[i]);
		for (j = 0; j < nn; j++)
			if (fits(c, &sub, nb[j]))
				break;
		if (j == nn)
			return 0;
	}
	return t != 0;
}

/*
 * Whether an instance of case k of W (sub) cannot match branch nb of a
 * oneOf: it is disjoint from it, or (W splitting on its own oneOf) what
 * it shares with W lies in another of W's branches, which the instance
 * does not match.
 */
static int
excluded(struct rta_compat *c, const struct rta_sparts *sub,
    const struct rta_snode *nb, struct rta_snode *const *wb, size_t wn,
    size_t k)
{
	struct rta_sparts b, s2;
	size_t i;

	rta_sparts_of(&b, nb);
	if (disjoint(sub, &b, 0))
		return 1;
	parts_with(&s2, sub, nb);
	for (i = 0; i < wn; i++)
		if (i != k && fits(c, &s2, wb[i]))
			return 1;
	return 0;
}

/* n's anyOf (one = 0) or oneOf, against W split on its first branches. */
static void
check_branches(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, struct rta_snode *const *nb, size_t nn,
    int one)
{
	const char *kw = one ? "oneOf" : "anyOf";
	const struct rta_snode *src = NULL;
	struct rta_snode *const *wb = NULL, *const *xb = NULL;
	struct rta_sparts sub;
	size_t i, j, k, wn = 1, xn = 0;

	for (i = 0; i < w->len && src == NULL; i++)
		if (w->n[i]->nany_of > 0 || w->n[i]->none_of > 0)
			src = w->n[i];
	if (src != NULL) {
		wb = src->none_of ? src->one_of : src->any_of;
		wn = src->none_of ? src->none_of : src->nany_of;
		if (src->none_of) {
			xb = wb;	/* exclusive: usable to exclude */
			xn = wn;
		}
	}
	for (k = 0; k < wn; k++) {
		sub = *w;
		if (wb != NULL)
			rta_sparts_add(&sub, wb[k]);
		if (sub.none)
			continue;
		if (!some_branch(c, &sub, nb, nn, &j)) {
			if (wb == NULL)
				change(c, n, kw, "branches-narrowed", "no "
				    "branch of %s's %s accepts everything %s "
				    "accepts", c->narrow_name, kw,
				    c->wide_name);
			else
				change(c, n, kw, "branches-narrowed", "branch "
				    "%zu of %s in %s is not accepted by any "
				    "branch of %s", k, src->none_of ? "oneOf" :
				    "anyOf", c->wide_name, kw);
			continue;
		}
		if (!one)
			continue;
		/* exactly one: every other branch must be ruled out */
		for (i = 0; i < nn; i++) {
			if (i == j)
				continue;
			if (j == SIZE_MAX || !excluded(c, &sub, nb[i], xb, xn,
			    k)) {
				if (wb == NULL)
					change(c, n, kw, "branches-changed",
					    "an instance of %s may match "
					    "several branches of %s's oneOf",
					    c->wide_name, c->narrow_name);
				else
					change(c, n, kw, "branches-changed",
					    "an instance of branch %zu of %s "
					    "in %s may match several branches "
					    "of %s's oneOf", k, src->none_of ?
					    "oneOf" : "anyOf", c->wide_name,
					    c->narrow_name);
				break;
			}
		}
	}
}

static void
check_not(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts sub;
	size_t j;

	/* not X holds on W when W and X are disjoint ... */
	rta_sparts_of(&sub, n->not_);
	if (disjoint(w, &sub, 0))
		return;
	/* ... or when what W shares with X lies inside one of W's nots */
	parts_with(&sub, w, n->not_);
	for (j = 0; j < w->len; j++)
		if (w->n[j]->not_ != NULL && fits(c, &sub, w->n[j]->not_))
			return;
	change(c, n, "not", "not-changed", "%s excludes values with not that "
	    "%s does not exclude", c->narrow_name, c->wide_name);
}

static void
check_conditional(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	const struct rta_snode *x = NULL;
	struct rta_sparts a, b, sub;
	size_t j;
	int then_ok, else_ok;

	/* a part of W with the same condition (over W's instances) */
	for (j = 0; j < w->len && x == NULL; j++) {
		if (w->n[j]->if_ == NULL)
			continue;
		parts_with(&a, w, w->n[j]->if_);
		parts_with(&b, w, n->if_);
		if (fits(c, &a, n->if_) && fits(c, &b, w->n[j]->if_))
			x = w->n[j];
	}
	if (x != NULL) {
		if (n->then_ != NULL) {
			parts_with(&sub, w, n->if_);
			rta_sparts_add(&sub, x->then_);
			check(c, &sub, n->then_);
		}
		if (n->else_ != NULL) {
			parts_with(&sub, w, x->else_);
			check(c, &sub, n->else_);
		}
		return;
	}
	/* or one whose branches hold whichever way the condition goes */
	parts_with(&sub, w, n->if_);
	then_ok = n->then_ == NULL || fits(c, &sub, n->then_);
	else_ok = n->else_ == NULL || fits(c, w, n->else_);
	if (then_ok && else_ok)
		return;
	rta_sparts_of(&b, n->if_);
	if (then_ok && fits(c, w, n->if_))
		return;		/* the condition always holds */
	if (else_ok && disjoint(w, &b, 0))
		return;		/* it never does */
	change(c, n, "if", "conditional-changed", "%s has an if/then/else "
	    "that %s does not have (not proven to accept the same values)",
	    c->narrow_name, c->wide_name);
}

static void
check_apply(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	if (n->nany_of > 0)
		check_branches(c, w, n, n->any_of, n->nany_of, 0);
	if (n->none_of > 0)
		check_branches(c, w, n, n->one_of, n->none_of, 1);
	if (n->not_ != NULL)
		check_not(c, w, n);
	if (n->if_ != NULL && (n->then_ != NULL || n->else_ != NULL))
		check_conditional(c, w, n);
}

/* ----------------------------------------------------------------- walk */

static void	limit(struct rta_compat *, const struct rta_snode *);

static int
seen_push(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct seen *s = c->seen;
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (s[i].n == n && s[i].strict == c->strict &&
		    s[i].len == w->len &&
		    memcmp(s[i].w, w->n, w->len * sizeof(w->n[0])) == 0) {
			if (c->path.len <= s[i].plen)
				limit(c, n);
			return 0;
		}
	if (c->nseen == c->seen_cap) {
		size_t cap = c->seen_cap ? 2 * c->seen_cap : 16;

		if ((s = rta_reallocarray(c->seen, cap, sizeof(*s))) == NULL) {
			c->nomem = 1;
			return 0;
		}
		c->seen = s;
		c->seen_cap = cap;
	}
	s[c->nseen].n = n;
	s[c->nseen].strict = c->strict;
	s[c->nseen].plen = c->path.len;
	s[c->nseen].len = w->len;
	memcpy(s[c->nseen].w, w->n, w->len * sizeof(w->n[0]));
	c->nseen++;
	return 1;
}

/* The comparison was cut short at n: say so (once, outside probes). */
static void
limit(struct rta_compat *c, const struct rta_snode *n)
{
	if (c->probe == 0 && c->limited)
		return;
	if (c->probe == 0)
		c->limited = 1;
	change(c, n, "$ref", "too-complex", "the comparison stops here "
	    "(more than %d levels, %d steps or %d parts); the rest is not "
	    "proven compatible", DEPTH_MAX, WORK_MAX, RTA_SPARTS_MAX);
}

static void
check_one(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	unsigned tw, tn, leak;
	char a[96], b[96];

	if (n->kw & RTA_SK_FALSE) {
		change(c, n, "false", "false-schema", "%s is the schema false "
		    "here, which %s is not", c->narrow_name, c->wide_name);
		return;
	}
	tw = rta_sparts_types(w);
	tn = n->types;
	if (tn & RTA_ST_NUMBER)
		tn |= RTA_ST_INTEGER;
	leak = tw & ~tn;
	if (leak) {
		rta_stype_list(tw, ", ", a, sizeof(a));
		rta_stype_list(n->types, ", ", b, sizeof(b));
		change(c, n, "type", "type-narrowed", "type narrowed: %s allows "
		    "%s, %s allows %s", c->wide_name, a, c->narrow_name, b);
	}
	if (tw == 0)
		return;
	check_enum(c, w, n, tw);
	if (tw & (RTA_ST_NUMBER | RTA_ST_INTEGER))
		check_numbers(c, w, tw, n);
	if (tw & RTA_ST_STRING)
		check_strings(c, w, n);
	if (tw & RTA_ST_OBJECT)
		check_objects(c, w, n);
	if (tw & RTA_ST_ARRAY)
		check_arrays(c, w, n);
	check_apply(c, w, n);
}

static void
check(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts np;
	size_t i;

	if (w->none || w->len == 0 || c->nomem)
		return;
	if (c->depth >= DEPTH_MAX || c->work >= WORK_MAX) {
		limit(c, n);
		return;
	}
	if (!seen_push(c, w, n))
		return;	/* the same pair inside itself: a recursive schema */
	c->depth++;
	c->work++;
	rta_sparts_of(&np, n);
	if (np.len == RTA_SPARTS_MAX)
		limit(c, n);	/* n's parts may have been cut short */
	for (i = 0; i < np.len; i++)
		check_one(c, w, np.n[i]);
	c->depth--;
	c->nseen--;
}

static long
compare(struct rta_compat *c, const struct rta_schema *wide,
    const char *wname, const struct rta_schema *narrow, const char *nname,
    unsigned direction)
{
	struct rta_sparts w;
	size_t before = c->n;
	uint64_t more = c->more;

	c->direction = direction;
	c->wide = wide;
	c->narrow = narrow;
	c->wide_name = wname;
	c->narrow_name = nname;
	c->path.len = 0;
	c->nseen = 0;
	c->depth = 0;
	c->work = 0;
	c->strict = 0;
	c->probe = 0;
	c->limited = 0;
	rta_sparts_of(&w, wide->root);
	if (w.len == RTA_SPARTS_MAX)
		c->strict = 1;	/* W's parts may have been cut short */
	check(c, &w, narrow->root);
	return (long)(c->n - before + (c->more - more));
}

long
rta_compat_compare(struct rta_compat *c, const struct rta_schema *old,
    const struct rta_schema *new, unsigned mode)
{
	long n = 0;

	c->nomem = 0;
	if (mode & RTA_COMPAT_BACKWARD)
		n += compare(c, old, "old", new, "new", RTA_COMPAT_BACKWARD);
	if (mode & RTA_COMPAT_FORWARD)
		n += compare(c, new, "new", old, "old", RTA_COMPAT_FORWARD);
	return c->nomem ? -1 : n;
}
