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

struct seen {
	const struct rta_snode	*w, *n;
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

/* The types an instance of W may have, integer implied by number. */
static unsigned
types_of(const struct rta_sparts *w)
{
	unsigned t = RTA_ST_ALL;
	size_t i;

	for (i = 0; i < w->len; i++) {
		const struct rta_snode *x = w->n[i];
		unsigned u = x->types;
		size_t j;

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
	return t;
}

static void
type_list(unsigned t, char *buf, size_t size)
{
	static const unsigned order[] = { RTA_ST_NULL, RTA_ST_BOOLEAN,
	    RTA_ST_OBJECT, RTA_ST_ARRAY, RTA_ST_NUMBER, RTA_ST_INTEGER,
	    RTA_ST_STRING };
	size_t i, len = 0;

	buf[0] = '\0';
	if ((t & RTA_ST_NUMBER) && (t & RTA_ST_INTEGER))
		t &= ~(unsigned)RTA_ST_INTEGER;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((t & order[i]) && len + 12 < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    len ? ", " : "", rta_stype_name(order[i]));
	if (len == 0)
		snprintf(buf, size, "nothing");
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
 * Whether W bounds numbers at least as tightly as the bound b (inclusive
 * unless excl) from below (lower) or above.
 */
static int
bound_held(const struct rta_sparts *w, const struct rta_snum *b, int excl,
    int lower)
{
	size_t i;
	int r;

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
		}
		if (exc->set) {
			r = snum_cmp(exc, b);
			if (lower ? r >= 0 : r <= 0)
				return 1;
		}
	}
	return 0;
}

static void
check_bound(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, const struct rta_snum *b, int excl, int lower,
    const char *keyword)
{
	char t[48];

	if (!b->set || bound_held(w, b, excl, lower))
		return;
	change(c, n, keyword, "bound-tightened", "%s in %s sets %s %s, "
	    "which %s does not hold to", keyword, c->narrow_name,
	    lower ? "a lower bound of" : "an upper bound of",
	    snum_text(b, t, sizeof(t)), c->wide_name);
}

static void
check_numbers(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	char t[48];
	size_t i;

	check_bound(c, w, n, &n->minimum, 0, 1, "minimum");
	check_bound(c, w, n, &n->xminimum, 1, 1, "exclusiveMinimum");
	check_bound(c, w, n, &n->maximum, 0, 0, "maximum");
	check_bound(c, w, n, &n->xmaximum, 1, 0, "exclusiveMaximum");
	if (!n->multiple_of.set)
		return;
	for (i = 0; i < w->len; i++) {
		const struct rta_snum *m = &w->n[i]->multiple_of;
		double q;

		if (!m->set)
			continue;
		if (m->is_int && n->multiple_of.is_int &&
		    n->multiple_of.i > 0 && m->i % n->multiple_of.i == 0)
			return;
		q = snum_d(m) / snum_d(&n->multiple_of);
		if (isfinite(q) && q >= 1 && fabs(q - nearbyint(q)) < 1e-9)
			return;
	}
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
    const struct rta_snode *n)
{
	const struct rta_snode *src = NULL;
	const unsigned char *v;
	char t[96];
	size_t i, k;

	if (n->const_value == NULL && !n->has_enum)
		return;
	/* the wide side's own list of values: the first part with one */
	for (i = 0; i < w->len && src == NULL; i++)
		if (w->n[i]->const_value != NULL || w->n[i]->has_enum)
			src = w->n[i];
	if (src == NULL) {
		change(c, n, n->const_value ? "const" : "enum", n->const_value ?
		    "const-added" : "enum-added", "%s allows only %s values, "
		    "%s any", c->narrow_name, n->const_value ? "one of its" :
		    "listed", c->wide_name);
		return;
	}
	k = src->const_value != NULL ? 1 : src->nenums;
	for (i = 0; i < k; i++) {
		v = src->const_value != NULL ? src->const_value : src->enums[i];
		/* a value the other wide parts reject cannot occur */
		size_t j;
		int possible = 1;

		for (j = 0; j < w->len && possible; j++)
			possible = value_in(v, w->n[j]);
		if (!possible || value_in(v, n))
			continue;
		value_text(v, t, sizeof(t));
		change(c, n, n->const_value ? "const" : "enum", n->const_value ?
		    "const-changed" : "enum-narrowed", "value %s is allowed "
		    "in %s, not in %s", t, c->wide_name, c->narrow_name);
	}
}

/* -------------------------------------------------------------- objects */

static const struct rta_sprop *
prop_of(const struct rta_snode *x, const char *k, size_t kl)
{
	return x->nprops ? rta_snode_prop(x, k, kl) : NULL;
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

/* Every part of W that says something of property k, as a conjunction. */
static void
prop_parts(const struct rta_sparts *w, const char *k, size_t kl, struct rta_sparts *out)
{
	const struct rta_sprop *p;
	size_t i;

	out->len = 0;
	out->none = 0;
	for (i = 0; i < w->len; i++)
		if ((p = prop_of(w->n[i], k, kl)) != NULL &&
		    p->schema != NULL)
			rta_sparts_add(out, p->schema);
}

static void
check_objects(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	const struct rta_sprop *p, *q;
	struct rta_sparts sub;
	size_t i, j, k, old;
	int w_closed = 0;

	for (i = 0; i < w->len; i++)
		if (closed(w->n[i]))
			w_closed = 1;
	for (i = 0; i < n->nprops; i++) {
		p = &n->props[i];
		old = path_push(c, p->key, p->klen);
		if (p->flags & RTA_SP_REQUIRED) {
			for (j = 0; j < w->len; j++)
				if ((q = prop_of(w->n[j], p->key, p->klen)) &&
				    (q->flags & RTA_SP_REQUIRED))
					break;
			if (j == w->len)
				change(c, n, "required", "required-added",
				    "'%.*s' is required in %s but not in %s",
				    (int)p->klen, p->key, c->narrow_name,
				    c->wide_name);
		}
		if (p->schema != NULL) {
			prop_parts(w, p->key, p->klen, &sub);
			if (sub.len > 0)
				check(c, &sub, p->schema);
		}
		for (k = 0; k < p->ndep_required; k++) {
			const struct rta_sprop *d = &n->props[
			    p->dep_required[k]];
			int held = 0;

			for (j = 0; j < w->len && !held; j++) {
				const struct rta_sprop *wq;
				uint32_t m;

				if ((q = prop_of(w->n[j], p->key, p->klen)) ==
				    NULL)
					continue;
				if ((wq = prop_of(w->n[j], d->key, d->klen)) &&
				    (wq->flags & RTA_SP_REQUIRED))
					held = 1;
				for (m = 0; m < q->ndep_required && !held; m++)
					if (&w->n[j]->props[q->dep_required[m]]
					    == wq)
						held = 1;
			}
			if (!held)
				change(c, n, "dependentRequired",
				    "dependency-added", "in %s, '%.*s' "
				    "requires '%.*s'; not in %s",
				    c->narrow_name, (int)p->klen, p->key,
				    (int)d->klen, d->key, c->wide_name);
		}
		if (p->dep_schema != NULL && !trivial(p->dep_schema)) {
			sub = *w;
			for (j = 0; j < w->len; j++)
				if ((q = prop_of(w->n[j], p->key, p->klen)) &&
				    q->dep_schema != NULL)
					rta_sparts_add(&sub, q->dep_schema);
			if (sub.len == w->len)
				change(c, n, "dependentSchemas",
				    "dependency-added", "%s applies a schema "
				    "when '%.*s' is present, %s does not",
				    c->narrow_name, (int)p->klen, p->key,
				    c->wide_name);
			else
				check(c, &sub, p->dep_schema);
		}
		c->path.len = old;
	}
	/* properties of W that n says nothing of by name */
	if (n->additional != NULL || n->npatterns > 0) {
		for (j = 0; j < w->len; j++) {
			const struct rta_snode *x = w->n[j];

			for (k = 0; k < x->nprops; k++) {
				q = &x->props[k];
				if (!(q->flags & (RTA_SP_DECLARED |
				    RTA_SP_REQUIRED)) ||
				    prop_of(n, q->key, q->klen) != NULL)
					continue;
				/* first part declaring it speaks for all */
				for (i = 0; i < j; i++)
					if (prop_of(w->n[i], q->key, q->klen))
						break;
				if (i < j)
					continue;
				old = path_push(c, q->key, q->klen);
				for (i = 0; i < n->npatterns; i++)
					if (rta_regex_search(n->patterns[i].re,
					    q->key, q->klen)) {
						prop_parts(w, q->key, q->klen,
						    &sub);
						if (sub.len > 0)
							check(c, &sub,
							    n->patterns[i].schema);
					}
				if (!key_matched(n, q->key, q->klen) &&
				    n->additional != NULL) {
					prop_parts(w, q->key, q->klen, &sub);
					if (closed(n))
						change(c, n,
						    "additionalProperties",
						    "property-removed", "'%.*s' "
						    "is declared in %s; %s "
						    "does not declare it and "
						    "allows no other "
						    "properties", (int)q->klen,
						    q->key, c->wide_name,
						    c->narrow_name);
					else if (sub.len > 0)
						check(c, &sub, n->additional);
				}
				c->path.len = old;
			}
		}
	}
	if (closed(n) && !w_closed)
		change(c, n, "additionalProperties", "additional-closed",
		    "%s allows no undeclared properties, %s does",
		    c->narrow_name, c->wide_name);
	else if (n->additional != NULL && !closed(n) &&
	    !trivial(n->additional)) {
		sub.len = 0;
		sub.none = 0;
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
			check(c, &sub, n->additional);
			c->path.len = old;
		}
	}
	for (i = 0; i < n->npatterns; i++) {
		const struct rta_spattern *np = &n->patterns[i];

		sub.len = 0;
		sub.none = 0;
		for (j = 0; j < w->len; j++)
			for (k = 0; k < w->n[j]->npatterns; k++)
				if (strcmp(w->n[j]->patterns[k].src,
				    np->src) == 0)
					rta_sparts_add(&sub, w->n[j]->patterns[k].schema);
		if (sub.len > 0)
			check(c, &sub, np->schema);
		else if (!trivial(np->schema))
			change(c, n, "patternProperties", "pattern-added",
			    "%s constrains properties matching '%.200s', %s "
			    "does not", c->narrow_name, np->src, c->wide_name);
	}
	if (n->property_names != NULL && !trivial(n->property_names)) {
		sub.len = 0;
		sub.none = 0;
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
		uint64_t lo = 0, hi = UINT64_MAX;

		for (j = 0; j < w->len; j++) {
			if (w->n[j]->min_props > lo)
				lo = w->n[j]->min_props;
			if (w->n[j]->max_props < hi)
				hi = w->n[j]->max_props;
		}
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

	out->len = 0;
	out->none = 0;
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
    const struct rta_snode *ns, const struct rta_snode *n)
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
		check(c, &sub, ns);
	c->path.len = old;
}

static void
check_arrays(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts sub;
	uint64_t lo = 0, hi = UINT64_MAX;
	size_t i, j, wmax = 0;
	int unique = 0;

	for (j = 0; j < w->len; j++) {
		const struct rta_snode *x = w->n[j];

		if (x->min_items > lo)
			lo = x->min_items;
		if (x->max_items < hi)
			hi = x->max_items;
		if (x->unique)
			unique = 1;
		if (x->nprefix > wmax)
			wmax = x->nprefix;
	}
	for (i = 0; i < n->nprefix; i++)
		check_item(c, w, i, n->prefix[i], n);
	if (n->items != NULL) {
		/* items past n's prefix: those of W's longer prefix first */
		for (i = n->nprefix; i < wmax; i++)
			check_item(c, w, i, n->items, n);
		check_item(c, w, SIZE_MAX, n->items, n);
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
	if (n->unique && !unique)
		change(c, n, "uniqueItems", "unique-added", "%s requires "
		    "unique items, %s does not", c->narrow_name, c->wide_name);
	if (n->contains != NULL) {
		uint64_t wmin = 0, wmaxc = UINT64_MAX;

		sub.len = 0;
		sub.none = 0;
		for (j = 0; j < w->len; j++)
			if (w->n[j]->contains != NULL) {
				rta_sparts_add(&sub, w->n[j]->contains);
				if (w->n[j]->min_contains > wmin)
					wmin = w->n[j]->min_contains;
				if (w->n[j]->max_contains < wmaxc)
					wmaxc = w->n[j]->max_contains;
			}
		if (sub.len == 0) {
			if (n->min_contains > 0)
				change(c, n, "contains", "contains-added",
				    "%s requires matching items, %s does not",
				    c->narrow_name, c->wide_name);
		} else {
			size_t old = path_push(c, "*", 1);

			check(c, &sub, n->contains);
			c->path.len = old;
			if (n->min_contains > wmin)
				change(c, n, "minContains", "count-tightened",
				    "minContains is %llu in %s, %llu in %s",
				    (unsigned long long)n->min_contains,
				    c->narrow_name, (unsigned long long)wmin,
				    c->wide_name);
			if (n->max_contains < wmaxc)
				change(c, n, "maxContains", "count-tightened",
				    "maxContains is %llu in %s, %s in %s",
				    (unsigned long long)n->max_contains,
				    c->narrow_name, wmaxc == UINT64_MAX ?
				    "none" : "a larger one", c->wide_name);
		}
	}
}

/* ---------------------------------------------------------- applicators */

/* Run check(w, n) and tell whether it found nothing, then forget it. */
static int
fits(struct rta_compat *c, const struct rta_sparts *w, const struct rta_snode *n)
{
	size_t nc = c->n, tl = c->text.len, pl = c->path.len, ns = c->nseen;
	uint64_t more = c->more;
	int ok;

	check(c, w, n);
	ok = c->n == nc && c->more == more && !c->nomem;
	c->n = nc;
	c->text.len = tl;
	c->path.len = pl;
	c->more = more;
	c->nseen = ns;
	return ok;
}

/* Branches of W's first anyOf/oneOf part, or W itself as one. */
static void
check_branches(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n, struct rta_snode *const *nb, size_t nn,
    int one)
{
	const char *kw = one ? "oneOf" : "anyOf";
	const struct rta_snode *src = NULL;
	struct rta_snode *const *wb = NULL;
	struct rta_sparts sub;
	size_t i, j, k, wn = 1;

	for (i = 0; i < w->len && src == NULL; i++)
		if (w->n[i]->nany_of > 0 || w->n[i]->none_of > 0)
			src = w->n[i];
	if (src != NULL) {
		wb = src->none_of ? src->one_of : src->any_of;
		wn = src->none_of ? src->none_of : src->nany_of;
	}
	for (k = 0; k < wn; k++) {
		sub = *w;
		if (wb != NULL)
			rta_sparts_add(&sub, wb[k]);
		for (j = 0; j < nn; j++)
			if ((!one || wb == NULL || j == k) &&
			    fits(c, &sub, nb[j]))
				break;
		if (j < nn)
			continue;
		if (wb == NULL)
			change(c, n, kw, "branches-narrowed", "no branch of "
			    "%s's %s accepts everything %s accepts", c->narrow_name,
			    kw, c->wide_name);
		else
			change(c, n, kw, "branches-narrowed", "branch %zu of "
			    "%s in %s is not accepted by %s %s", k,
			    src->none_of ? "oneOf" : "anyOf", c->wide_name,
			    one ? "the same branch of" : "any branch of", kw);
	}
	/*
	 * oneOf also fails when an instance matches two branches: only the
	 * same branches, in the same order, are known to keep it at one.
	 */
	if (one && (src == NULL || src->none_of == 0 || src->none_of != nn))
		change(c, n, kw, "branches-changed", "%s's oneOf has %zu "
		    "branches, %s's %s; an instance may now match several",
		    c->narrow_name, nn, c->wide_name, src == NULL ? "none" :
		    src->none_of ? "a different number" : "an anyOf");
}

static void
check_apply(struct rta_compat *c, const struct rta_sparts *w,
    const struct rta_snode *n)
{
	struct rta_sparts sub;
	size_t j;

	if (n->nany_of > 0)
		check_branches(c, w, n, n->any_of, n->nany_of, 0);
	if (n->none_of > 0)
		check_branches(c, w, n, n->one_of, n->none_of, 1);
	if (n->not_ != NULL) {
		/* not X holds on W when X lies inside one of W's nots */
		for (j = 0; j < w->len; j++)
			if (w->n[j]->not_ != NULL) {
				rta_sparts_of(&sub, n->not_);
				if (fits(c, &sub, w->n[j]->not_))
					break;
			}
		if (j == w->len)
			change(c, n, "not", "not-changed", "%s excludes values "
			    "with not that %s does not exclude",
			    c->narrow_name, c->wide_name);
	}
	if (n->if_ != NULL && (n->then_ != NULL || n->else_ != NULL)) {
		const struct rta_snode *x = NULL;
		struct rta_sparts a, b;

		for (j = 0; j < w->len && x == NULL; j++) {
			if (w->n[j]->if_ == NULL)
				continue;
			rta_sparts_of(&a, w->n[j]->if_);
			rta_sparts_of(&b, n->if_);
			if (fits(c, &a, n->if_) && fits(c, &b, w->n[j]->if_))
				x = w->n[j];
		}
		if (x == NULL) {
			change(c, n, "if", "conditional-changed", "%s has an "
			    "if/then/else that %s does not have (not proven "
			    "to accept the same values)", c->narrow_name,
			    c->wide_name);
			return;
		}
		if (n->then_ != NULL) {
			sub = *w;
			rta_sparts_add(&sub, n->if_);
			if (x->then_ != NULL)
				rta_sparts_add(&sub, x->then_);
			check(c, &sub, n->then_);
		}
		if (n->else_ != NULL) {
			sub = *w;
			if (x->else_ != NULL)
				rta_sparts_add(&sub, x->else_);
			check(c, &sub, n->else_);
		}
	}
}

/* ----------------------------------------------------------------- walk */

static int
seen_add(struct rta_compat *c, const struct rta_snode *w,
    const struct rta_snode *n)
{
	struct seen *s = c->seen;
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (s[i].w == w && s[i].n == n)
			return 0;
	if (c->nseen == c->seen_cap) {
		size_t cap = c->seen_cap ? 2 * c->seen_cap : 32;

		if ((s = rta_reallocarray(c->seen, cap, sizeof(*s))) == NULL) {
			c->nomem = 1;
			return 0;
		}
		c->seen = s;
		c->seen_cap = cap;
	}
	s[c->nseen].w = w;
	s[c->nseen].n = n;
	c->nseen++;
	return 1;
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
	tw = types_of(w);
	tn = n->types;
	if (tn & RTA_ST_NUMBER)
		tn |= RTA_ST_INTEGER;
	leak = tw & ~tn;
	if (leak) {
		type_list(tw, a, sizeof(a));
		type_list(n->types, b, sizeof(b));
		change(c, n, "type", "type-narrowed", "type narrowed: %s allows "
		    "%s, %s allows %s", c->wide_name, a, c->narrow_name, b);
	}
	if (tw == 0)
		return;
	check_enum(c, w, n);
	if (tw & (RTA_ST_NUMBER | RTA_ST_INTEGER))
		check_numbers(c, w, n);
	if (tw & RTA_ST_STRING)
		check_strings(c, w, n);
	if (tw & RTA_ST_OBJECT)
		check_objects(c, w, n);
	if (tw & RTA_ST_ARRAY)
		check_arrays(c, w, n);
	check_apply(c, w, n);
}

static void
check(struct rta_compat *c, const struct rta_sparts *w, const struct rta_snode *n)
{
	struct rta_sparts np;
	size_t i;

	if (w->none || w->len == 0 || c->nomem)
		return;
	if (c->depth >= DEPTH_MAX || c->work >= WORK_MAX ||
	    !seen_add(c, w->n[0], n))
		return;	/* the same pair inside itself: a recursive schema */
	c->depth++;
	c->work++;
	rta_sparts_of(&np, n);
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

	c->direction = direction;
	c->wide = wide;
	c->narrow = narrow;
	c->wide_name = wname;
	c->narrow_name = nname;
	c->path.len = 0;
	c->nseen = 0;
	c->depth = 0;
	c->work = 0;
	rta_sparts_of(&w, wide->root);
	check(c, &w, narrow->root);
	return (long)(c->n - before);
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
