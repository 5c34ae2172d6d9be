/*
 * rta_schema.c: compiling JSON Schema documents into node graphs.
 *
 * The document is parsed once into the value encoding and kept: nodes
 * point into it for keys, constants and defaults, so nothing is copied
 * per keyword.  Each schema object becomes one node, found again by the
 * address of its value, so that a $ref to a place already compiled (or
 * being compiled: recursion) shares the node.  $refs are resolved after
 * the tree is built, compiling any place they name that is not yet a
 * node; then the in-place edges (allOf ... $ref) are searched for cycles,
 * which would make evaluation recurse forever on one instance.
 *
 * Every problem is collected rather than returned at the first, so that
 * `rta-validate check` can list all of a file's mistakes in one run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_json.h"
#include "rta_schema.h"
#include "rta_strfmt.h"
#include "rta_utf8.h"
#include "rta_value.h"

#define SCHEMA_MAX_DEPTH	128	/* JSON nesting of a schema document */
#define SCHEMA_MAX_CHAIN	256	/* in-place applicators in a row */
#define SCHEMA_MAX_KEYS		1024	/* names one object node tracks */

/* ------------------------------------------------------------- problems */

void
rta_schema_problems_init(struct rta_schema_problems *ps)
{
	ps->n = 0;
	ps->more = 0;
	ps->file = NULL;
}

void
rta_schema_problems_release(struct rta_schema_problems *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++) {
		rta_free(ps->p[i].pointer);
		rta_free(ps->p[i].file);
	}
	ps->n = 0;
	ps->more = 0;
}

void
rta_schema_problems_add(struct rta_schema_problems *ps, const char *pointer,
    const char *fmt, ...)
{
	struct rta_schema_problem *p;
	va_list ap;

	if (ps->n == RTA_SCHEMA_MAX_PROBLEMS) {
		ps->more++;
		return;
	}
	p = &ps->p[ps->n];
	p->pointer = rta_memdup(pointer, strlen(pointer));
	p->file = ps->file != NULL ? rta_memdup(ps->file, strlen(ps->file)) :
	    NULL;
	p->line = 0;
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof(p->text), fmt, ap);
	va_end(ap);
	if (p->pointer == NULL || (ps->file != NULL && p->file == NULL)) {
		rta_free(p->pointer);
		rta_free(p->file);
		ps->more++;
		return;
	}
	ps->n++;
}

/* --------------------------------------------------------------- helpers */

static const char *const stype_names[] = {
	"null", "boolean", "object", "array", "number", "string", "integer"
};

const char *
rta_stype_name(unsigned bit)
{
	unsigned i;

	for (i = 0; i < 7; i++)
		if (bit == 1u << i)
			return stype_names[i];
	return "?";
}

void
rta_stype_list(unsigned types, const char *sep, char *buf, size_t size)
{
	unsigned bit;
	size_t len = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (types & RTA_ST_NUMBER)
		types &= ~(unsigned)RTA_ST_INTEGER;
	for (bit = 1; bit < RTA_ST_ALL; bit <<= 1) {
		int r;

		if (!(types & bit))
			continue;
		r = snprintf(buf + len, size - len, "%s%s", len ? sep : "",
		    rta_stype_name(bit));
		if (r < 0 || (size_t)r >= size - len)
			return;		/* cut short */
		len += (size_t)r;
	}
	if (len == 0)
		snprintf(buf, size, "nothing");
}

unsigned
rta_value_stype(const unsigned char *v)
{
	double d;

	switch (v[0]) {
	case RTA_V_NULL:
		return RTA_ST_NULL;
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		return RTA_ST_BOOLEAN;
	case RTA_V_INT:
		return RTA_ST_INTEGER;
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		rta_value_num(v, &d);
		return d == floor(d) ? RTA_ST_INTEGER : RTA_ST_NUMBER;
	case RTA_V_STRING:
		return RTA_ST_STRING;
	case RTA_V_ARRAY:
		return RTA_ST_ARRAY;
	default:
		return RTA_ST_OBJECT;
	}
}

int
rta_pointer_escape(struct rta_buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '~') {
			if (rta_buf_add(out, "~0", 2) != 0)
				return -1;
		} else if (s[i] == '/') {
			if (rta_buf_add(out, "~1", 2) != 0)
				return -1;
		} else if (rta_buf_addc(out, s[i]) != 0)
			return -1;
	}
	return 0;
}

/* FNV-1a: keys are short and the table is the schema's, not the input's. */
static inline uint32_t
key_hash(const char *k, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

const struct rta_sprop *
rta_snode_prop(const struct rta_snode *n, const char *key, size_t klen)
{
	uint32_t i, h;

	if (n->ptable == NULL)
		return NULL;
	h = key_hash(key, klen);
	for (i = h & n->pmask;; i = (i + 1) & n->pmask) {
		uint32_t k = n->ptable[i];

		if (k == UINT32_MAX)
			return NULL;
		if (n->props[k].klen == klen &&
		    memcmp(n->props[k].key, key, klen) == 0)
			return &n->props[k];
	}
}

/* ------------------------------------------------------------- compiler */

struct pending_ref {
	struct rta_snode	*node;
	char			*loc;		/* of the $ref keyword */
};

struct anchor {
	const char		*name;
	size_t			 len;
	struct rta_snode	*node;
	char			*loc;
};

struct comp {
	struct rta_schema		*s;
	struct rta_schema_problems	*ps;
	int				 failed;
	/* node by address of its value: open addressing */
	struct rta_snode		**map;
	size_t				 mapcap, mapused;
	struct pending_ref		*refs;
	size_t				 nrefs, refcap;
	struct anchor			*anchors;
	size_t				 nanchors, anchorcap;
	struct rta_buf			 loc;		/* current pointer */
};

static void problem(struct comp *, const char *, ...) RTA_PRINTFLIKE(2, 3);

static void
problem(struct comp *c, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* out of memory for the NUL: the problem is reported without place */
	if (rta_buf_addc(&c->loc, '\0') == 0) {
		c->loc.len--;
		rta_schema_problems_add(c->ps, (const char *)c->loc.data, "%s",
		    text);
	} else
		rta_schema_problems_add(c->ps, "", "%s", text);
	c->failed = 1;
}

static void
oom(struct comp *c)
{
	problem(c, "out of memory");
}

/* Push "/token" on the current location; returns the old length. */
static size_t
loc_push(struct comp *c, const char *tok, size_t len)
{
	size_t old = c->loc.len;

	if (rta_buf_addc(&c->loc, '/') != 0 ||
	    rta_pointer_escape(&c->loc, tok, len) != 0)
		oom(c);
	return old;
}

static size_t
loc_push_index(struct comp *c, size_t i)
{
	char num[24];

	snprintf(num, sizeof(num), "%zu", i);
	return loc_push(c, num, strlen(num));
}

static void
loc_pop(struct comp *c, size_t old)
{
	c->loc.len = old;
}

static char *
loc_dup(struct comp *c)
{
	char *p = rta_malloc(c->loc.len + 1);

	if (p == NULL) {
		oom(c);
		return NULL;
	}
	if (c->loc.len > 0)	/* the root's: data may still be NULL */
		memcpy(p, c->loc.data, c->loc.len);
	p[c->loc.len] = '\0';
	return p;
}

static struct rta_snode *
map_get(struct comp *c, const unsigned char *v)
{
	size_t i;

	if (c->mapcap == 0)
		return NULL;
	for (i = ((uintptr_t)v * 11400714819323198485ull >> 20) &
	    (c->mapcap - 1); c->map[i] != NULL; i = (i + 1) & (c->mapcap - 1))
		if (c->map[i]->value == v)
			return c->map[i];
	return NULL;
}

static int
map_put(struct comp *c, struct rta_snode *n)
{
	size_t i;

	if (2 * (c->mapused + 1) > c->mapcap) {
		struct rta_snode **old = c->map;
		size_t oldcap = c->mapcap, k;

		c->mapcap = oldcap ? 2 * oldcap : 64;
		if ((c->map = rta_calloc(c->mapcap, sizeof(*c->map))) == NULL) {
			c->map = old;
			c->mapcap = oldcap;
			return -1;
		}
		c->mapused = 0;
		for (k = 0; k < oldcap; k++)
			if (old[k] != NULL)
				map_put(c, old[k]);
		rta_free(old);
	}
	for (i = ((uintptr_t)n->value * 11400714819323198485ull >> 20) &
	    (c->mapcap - 1); c->map[i] != NULL; i = (i + 1) & (c->mapcap - 1))
		;
	c->map[i] = n;
	c->mapused++;
	return 0;
}

/* A non-negative integer keyword value (1.0 counts as 1). */
static int
get_count(struct comp *c, const char *kw, const unsigned char *v,
    uint64_t *out)
{
	double d;
	int64_t i;

	if (rta_value_i64(v, &i) && i >= 0) {
		*out = (uint64_t)i;
		return 0;
	}
	if (rta_value_num(v, &d) && d >= 0 && d == floor(d)) {
		*out = d >= 1.8e19 ? UINT64_MAX : (uint64_t)d;
		return 0;
	}
	problem(c, "%s must be a non-negative integer", kw);
	return -1;
}

/*
 * The int64 that JSON number text s[0..len) is exactly (2.0, 25e2,
 * -4.50e1): 1 and *out set, or 0 if it has a fraction or is out of range.
 * Its double cannot tell: 9007199254740993.0 reads as 2^53.
 */
static int
text_int64(const char *s, size_t len, int64_t *out)
{
	uint64_t m = 0, lim;
	size_t i = 0;
	long e = 0, frac = 0, x = 0;
	int neg = 0, xneg = 0, point = 0;

	if (i < len && s[i] == '-')
		neg = 1, i++;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.') {
			point = 1;
			continue;
		}
		if (m > lim / 10 || m * 10 + (uint64_t)(s[i] - '0') > lim) {
			/* a trailing zero of the fraction changes nothing */
			if (point && s[i] == '0')
				continue;
			return 0;
		}
		m = m * 10 + (uint64_t)(s[i] - '0');
		frac += point;
	}
	if (i < len) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			xneg = s[i++] == '-';
		for (; i < len; i++)
			if ((x = x * 10 + (s[i] - '0')) > 40)
				break;
		if (i < len && m != 0)
			return 0;	/* beyond any int64, or below 1 */
	}
	e = (xneg ? -x : x) - frac;
	for (; e < 0; e++) {
		if (m % 10 != 0)
			return 0;
		m /= 10;
	}
	for (; e > 0 && m != 0; e--) {
		if (m > lim / 10)
			return 0;
		m *= 10;
	}
	*out = neg ? (int64_t)(0 - m) : (int64_t)m;
	return 1;
}

static int
get_num(struct comp *c, const char *kw, const unsigned char *v,
    struct rta_snum *n)
{
	memset(n, 0, sizeof(*n));
	if (!rta_value_num(v, &n->d)) {
		problem(c, "%s must be a number", kw);
		return -1;
	}
	n->set = 1;
	if (v[0] == RTA_V_INT) {
		n->is_int = 1;
		n->i = (int64_t)rta_get_u64(v + 1);
	} else if (v[0] == RTA_V_NUMBER) {
		n->len = rta_get_u32(v + 9);
		n->text = (const char *)v + 13;
		n->is_int = text_int64(n->text, n->len, &n->i);
	}
	return 0;
}

static int
kweq(const char *k, size_t kl, const char *s)
{
	return strlen(s) == kl && memcmp(k, s, kl) == 0;
}

static char *
strdup_value(struct comp *c, const unsigned char *v)
{
	const char *s;
	size_t len;
	char *p;

	if (!rta_value_str(v, &s, &len))
		return NULL;
	if ((p = rta_malloc(len + 1)) == NULL) {
		oom(c);
		return NULL;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static struct rta_snode *compile(struct comp *, const unsigned char *);

/* A keyword whose value is a non-empty array of schemas. */
static struct rta_snode **
sub_array(struct comp *c, const char *kw, const unsigned char *v,
    size_t *count)
{
	struct rta_snode **a;
	struct rta_viter it;
	const unsigned char *item;
	size_t n, i = 0, old;

	old = loc_push(c, kw, strlen(kw));
	if (v[0] != RTA_V_ARRAY || (n = rta_value_count(v)) == 0) {
		problem(c, "%s must be a non-empty array of schemas", kw);
		loc_pop(c, old);
		return NULL;
	}
	if ((a = rta_calloc(n, sizeof(*a))) == NULL) {
		oom(c);
		loc_pop(c, old);
		return NULL;
	}
	rta_viter_init(&it, v);
	while (rta_viter_item(&it, &item)) {
		size_t o2 = loc_push_index(c, i);

		a[i++] = compile(c, item);
		loc_pop(c, o2);
	}
	loc_pop(c, old);
	*count = n;
	return a;
}

/* Compile a pattern; problems name the keyword's location. */
static struct rta_regex *
regex(struct comp *c, const char *src, size_t len)
{
	struct rta_regex *re = NULL;
	struct rta_error e;
	char q[80];

	rta_error_clear(&e);
	if (rta_regex_compile(&re, src, len, &e) != RTA_OK) {
		rta_quote(q, sizeof(q), src, len, 60);
		problem(c, "pattern '%s': %s", q, e.text);
		return NULL;
	}
	return re;
}

/* The index of key in n->props, adding it if new; -1 on failure. */
static long
prop_index(struct comp *c, struct rta_snode *n, const char *key, size_t klen)
{
	struct rta_sprop *p;
	uint32_t i;

	for (i = 0; i < n->nprops; i++)
		if (n->props[i].klen == klen &&
		    memcmp(n->props[i].key, key, klen) == 0)
			return i;
	if (n->nprops == SCHEMA_MAX_KEYS) {
		problem(c, "more than %d property names in one schema",
		    SCHEMA_MAX_KEYS);
		return -1;
	}
	if ((n->nprops & (n->nprops + 1)) == 0 || n->nprops == 0) {
		p = rta_reallocarray(n->props, 2 * (size_t)n->nprops + 2,
		    sizeof(*p));
		if (p == NULL) {
			oom(c);
			return -1;
		}
		n->props = p;
	}
	p = &n->props[n->nprops];
	memset(p, 0, sizeof(*p));
	p->key = key;
	p->klen = (uint32_t)klen;
	return n->nprops++;
}

/* The RTA_ST_ bit a type name stands for, or 0. */
static unsigned
type_bit(const unsigned char *v)
{
	const char *s;
	size_t len, i;

	if (!rta_value_str(v, &s, &len))
		return 0;
	for (i = 0; i < 7; i++)
		if (kweq(s, len, stype_names[i]))
			return 1u << i;
	return 0;
}

static void
kw_type(struct comp *c, struct rta_snode *n, const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	unsigned set = 0, bit;

	if (v[0] == RTA_V_STRING) {
		if ((set = type_bit(v)) == 0)
			goto bad;
	} else if (v[0] == RTA_V_ARRAY && rta_value_count(v) > 0) {
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &item)) {
			if ((bit = type_bit(item)) == 0) {
				v = item;
				goto bad;
			}
			if (set & bit) {
				problem(c, "type names '%s' twice",
				    rta_stype_name(bit));
				return;
			}
			set |= bit;
		}
	} else {
		problem(c, "type must be a type name or a non-empty array of "
		    "them");
		return;
	}
	n->types = set;
	n->kw |= RTA_SK_TYPE;
	return;
bad:
	if (v[0] == RTA_V_STRING) {
		const char *s;
		size_t len;
		char q[64];

		rta_value_str(v, &s, &len);
		rta_quote(q, sizeof(q), s, len, 40);
		problem(c, "unknown type '%s'", q);
	} else
		problem(c, "type names must be strings");
}

static void
kw_enum(struct comp *c, struct rta_snode *n, const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	size_t i = 0;

	if (v[0] != RTA_V_ARRAY) {
		problem(c, "enum must be an array");
		return;
	}
	n->nenums = rta_value_count(v);
	if ((n->enums = rta_calloc(n->nenums + 1, sizeof(*n->enums))) ==
	    NULL) {
		n->nenums = 0;
		oom(c);
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_item(&it, &item))
		n->enums[i++] = item;
	n->has_enum = 1;
	n->kw |= RTA_SK_ENUM;
}

static void
kw_required(struct comp *c, struct rta_snode *n, const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *s;
	size_t len;
	long k;

	if (v[0] != RTA_V_ARRAY) {
		problem(c, "required must be an array of property names");
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_item(&it, &item)) {
		if (!rta_value_str(item, &s, &len)) {
			problem(c, "required must be an array of property "
			    "names");
			return;
		}
		if ((k = prop_index(c, n, s, len)) < 0)
			return;
		if (n->props[k].flags & RTA_SP_REQUIRED) {
			char q[64];

			rta_quote(q, sizeof(q), s, len, 40);
			problem(c, "required names '%s' twice", q);
			return;
		}
		n->props[k].flags |= RTA_SP_REQUIRED;
		n->nrequired++;
	}
	n->kw |= RTA_SK_OBJECT;
}

static void
kw_properties(struct comp *c, struct rta_snode *n, const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *val;
	const char *k;
	size_t kl, o2;
	long i;

	if (v[0] != RTA_V_OBJECT) {
		problem(c, "properties must be an object of schemas");
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &val)) {
		if ((i = prop_index(c, n, k, kl)) < 0)
			break;
		o2 = loc_push(c, k, kl);
		n->props[i].flags |= RTA_SP_DECLARED;
		n->props[i].schema = compile(c, val);
		if (val[0] == RTA_V_OBJECT)
			n->props[i].dflt = rta_value_member(val, "default", 7);
		loc_pop(c, o2);
	}
	n->kw |= RTA_SK_OBJECT;
}

static void
kw_pattern_properties(struct comp *c, struct rta_snode *n,
    const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *val;
	const char *k;
	size_t kl, o2, i = 0;

	if (v[0] != RTA_V_OBJECT) {
		problem(c, "patternProperties must be an object of schemas");
		return;
	}
	n->npatterns = rta_value_count(v);
	if ((n->patterns = rta_calloc(n->npatterns + 1,
	    sizeof(*n->patterns))) == NULL) {
		n->npatterns = 0;
		oom(c);
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &val)) {
		struct rta_spattern *p = &n->patterns[i++];

		o2 = loc_push(c, k, kl);
		p->re = regex(c, k, kl);
		if ((p->src = rta_malloc(kl + 1)) != NULL) {
			memcpy((char *)p->src, k, kl);
			((char *)p->src)[kl] = '\0';
		} else
			oom(c);
		p->schema = compile(c, val);
		loc_pop(c, o2);
	}
	n->kw |= RTA_SK_OBJECT;
}

static void
kw_dependent_required(struct comp *c, struct rta_snode *n,
    const unsigned char *v)
{
	struct rta_viter it, it2;
	const unsigned char *val, *item;
	const char *k, *s;
	size_t kl, len, j;
	long i, d;
	uint32_t *deps;

	if (v[0] != RTA_V_OBJECT) {
		problem(c, "dependentRequired must be an object of arrays");
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &val)) {
		if (val[0] != RTA_V_ARRAY) {
			problem(c, "dependentRequired must be an object of "
			    "arrays of property names");
			return;
		}
		if ((i = prop_index(c, n, k, kl)) < 0)
			return;
		if ((deps = rta_calloc(rta_value_count(val) + 1,
		    sizeof(*deps))) == NULL) {
			oom(c);
			return;
		}
		j = 0;
		rta_viter_init(&it2, val);
		while (rta_viter_item(&it2, &item)) {
			if (!rta_value_str(item, &s, &len) ||
			    (d = prop_index(c, n, s, len)) < 0) {
				if (!c->failed)
					problem(c, "dependentRequired must "
					    "list property names");
				rta_free(deps);
				return;
			}
			deps[j++] = (uint32_t)d;
		}
		n->props[i].dep_required = deps;
		n->props[i].ndep_required = (uint32_t)j;
	}
	n->has_deps = 1;
	n->kw |= RTA_SK_OBJECT;
}

static void
kw_dependent_schemas(struct comp *c, struct rta_snode *n,
    const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *val;
	const char *k;
	size_t kl, o2;
	long i;

	if (v[0] != RTA_V_OBJECT) {
		problem(c, "dependentSchemas must be an object of schemas");
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &val)) {
		if ((i = prop_index(c, n, k, kl)) < 0)
			break;
		o2 = loc_push(c, k, kl);
		n->props[i].dep_schema = compile(c, val);
		loc_pop(c, o2);
	}
	n->has_deps = 1;
	n->kw |= RTA_SK_OBJECT | RTA_SK_APPLY;
}

/* $defs and definitions: schemas that are there to be referred to. */
static void
kw_defs(struct comp *c, const char *kw, const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *val;
	const char *k;
	size_t kl, old, o2;

	old = loc_push(c, kw, strlen(kw));
	if (v[0] != RTA_V_OBJECT) {
		problem(c, "%s must be an object of schemas", kw);
		loc_pop(c, old);
		return;
	}
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &val)) {
		o2 = loc_push(c, k, kl);
		compile(c, val);
		loc_pop(c, o2);
	}
	loc_pop(c, old);
}

static void
kw_ref(struct comp *c, struct rta_snode *n, const unsigned char *v)
{
	struct pending_ref *r;

	if ((n->ref_src = strdup_value(c, v)) == NULL) {
		if (v[0] != RTA_V_STRING)
			problem(c, "$ref must be a string");
		return;
	}
	if (c->nrefs == c->refcap) {
		size_t cap = c->refcap ? 2 * c->refcap : 16;

		if ((r = rta_reallocarray(c->refs, cap, sizeof(*r))) == NULL) {
			oom(c);
			return;
		}
		c->refs = r;
		c->refcap = cap;
	}
	r = &c->refs[c->nrefs];
	r->node = n;
	if ((r->loc = loc_dup(c)) == NULL)
		return;
	c->nrefs++;
	n->kw |= RTA_SK_APPLY;
}

static void
kw_anchor(struct comp *c, struct rta_snode *n, const unsigned char *v)
{
	const char *s;
	size_t len, i;
	struct anchor *a;

	if (!rta_value_str(v, &s, &len) || len == 0 ||
	    !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
	    s[0] == '_')) {
		problem(c, "$anchor must be a name (a letter or '_', then "
		    "letters, digits, '-', '_', '.')");
		return;
	}
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.')) {
			problem(c, "$anchor must be a name (a letter or '_', "
			    "then letters, digits, '-', '_', '.')");
			return;
		}
	for (i = 0; i < c->nanchors; i++)
		if (c->anchors[i].len == len &&
		    memcmp(c->anchors[i].name, s, len) == 0) {
			problem(c, "$anchor '%.*s' is also defined at '%s'",
			    (int)len, s, c->anchors[i].loc);
			return;
		}
	if (c->nanchors == c->anchorcap) {
		size_t cap = c->anchorcap ? 2 * c->anchorcap : 8;

		if ((a = rta_reallocarray(c->anchors, cap,
		    sizeof(*a))) == NULL) {
			oom(c);
			return;
		}
		c->anchors = a;
		c->anchorcap = cap;
	}
	a = &c->anchors[c->nanchors];
	a->name = s;
	a->len = len;
	a->node = n;
	if ((a->loc = loc_dup(c)) != NULL)
		c->nanchors++;
}

/* Keywords that are only annotations: their value's type is checked. */
static int
annotation(struct comp *c, const char *k, size_t kl, const unsigned char *v)
{
	static const char *const strs[] = {
		"title", "description", "$comment", "contentEncoding",
		"contentMediaType", NULL
	};
	static const char *const bools[] = {
		"deprecated", "readOnly", "writeOnly", NULL
	};
	size_t i;

	for (i = 0; strs[i] != NULL; i++)
		if (kweq(k, kl, strs[i])) {
			if (v[0] != RTA_V_STRING)
				problem(c, "%s must be a string", strs[i]);
			return 1;
		}
	for (i = 0; bools[i] != NULL; i++)
		if (kweq(k, kl, bools[i])) {
			if (v[0] != RTA_V_TRUE && v[0] != RTA_V_FALSE)
				problem(c, "%s must be a boolean", bools[i]);
			return 1;
		}
	if (kweq(k, kl, "examples")) {
		if (v[0] != RTA_V_ARRAY)
			problem(c, "examples must be an array");
		return 1;
	}
	if (kweq(k, kl, "contentSchema")) {
		if (v[0] != RTA_V_OBJECT && v[0] != RTA_V_TRUE &&
		    v[0] != RTA_V_FALSE)
			problem(c, "contentSchema must be a schema");
		return 1;
	}
	if (kweq(k, kl, "default"))
		return 1;
	return kl >= 2 && k[0] == 'x' && k[1] == '-';
}

/* Keywords of other drafts and vocabularies, with what to use instead. */
static const char *
unsupported(const char *k, size_t kl)
{
	static const struct {
		const char *kw, *why;
	} tab[] = {
		{ "unevaluatedProperties", "is not supported; list the "
		    "properties or use additionalProperties" },
		{ "unevaluatedItems", "is not supported; use items" },
		{ "$dynamicRef", "is not supported" },
		{ "$dynamicAnchor", "is not supported" },
		{ "$recursiveRef", "is not part of draft 2020-12" },
		{ "$recursiveAnchor", "is not part of draft 2020-12" },
		{ "$vocabulary", "is not supported (meta-schemas only)" },
		{ "dependencies", "is not part of draft 2020-12; use "
		    "dependentRequired or dependentSchemas" },
		{ "additionalItems", "is not part of draft 2020-12; use "
		    "prefixItems and items" },
		{ NULL, NULL }
	};
	size_t i;

	for (i = 0; tab[i].kw != NULL; i++)
		if (kweq(k, kl, tab[i].kw))
			return tab[i].why;
	return NULL;
}

static int
is_schema_uri(const char *s, size_t len)
{
	static const char uri[] = "https://json-schema.org/draft/2020-12/schema";
	size_t n = sizeof(uri) - 1;

	return (len == n || (len == n + 1 && s[n] == '#')) &&
	    memcmp(s, uri, n) == 0;
}

/* One keyword of node n; loc is the node's. */
static void
keyword(struct comp *c, struct rta_snode *n, const char *k, size_t kl,
    const unsigned char *v, int root)
{
	size_t old = loc_push(c, k, kl);
	const char *s, *why;
	size_t len;
	uint64_t u;

#define KW(name)	kweq(k, kl, name)
	if (KW("type"))
		kw_type(c, n, v);
	else if (KW("enum"))
		kw_enum(c, n, v);
	else if (KW("const")) {
		n->const_value = v;
		n->kw |= RTA_SK_ENUM;
	}
	else if (KW("multipleOf")) {
		if (get_num(c, "multipleOf", v, &n->multiple_of) == 0 &&
		    !(n->multiple_of.d > 0)) {
			problem(c, "multipleOf must be greater than 0");
			n->multiple_of.set = 0;
		}
		n->kw |= RTA_SK_NUMBER;
	} else if (KW("minimum")) {
		get_num(c, "minimum", v, &n->minimum);
		n->kw |= RTA_SK_NUMBER;
	} else if (KW("maximum")) {
		get_num(c, "maximum", v, &n->maximum);
		n->kw |= RTA_SK_NUMBER;
	} else if (KW("exclusiveMinimum")) {
		get_num(c, "exclusiveMinimum", v, &n->xminimum);
		n->kw |= RTA_SK_NUMBER;
	} else if (KW("exclusiveMaximum")) {
		get_num(c, "exclusiveMaximum", v, &n->xmaximum);
		n->kw |= RTA_SK_NUMBER;
	} else if (KW("minLength")) {
		if (get_count(c, "minLength", v, &u) == 0)
			n->min_length = u;
		n->kw |= RTA_SK_STRING;
	} else if (KW("maxLength")) {
		if (get_count(c, "maxLength", v, &u) == 0)
			n->max_length = u;
		n->kw |= RTA_SK_STRING;
	} else if (KW("pattern")) {
		if (!rta_value_str(v, &s, &len))
			problem(c, "pattern must be a string");
		else {
			n->pattern = regex(c, s, len);
			n->pattern_src = strdup_value(c, v);
		}
		n->kw |= RTA_SK_STRING;
	} else if (KW("format")) {
		if (!rta_value_str(v, &s, &len))
			problem(c, "format must be a string");
		else {
			n->format_name = s;
			n->format_len = len;
			if (c->s->flags & RTA_SCHEMA_FORMATS) {
				n->format = rta_strfmt_lookup(s, len);
				if (n->format < 0) {
					char q[64];

					rta_quote(q, sizeof(q), s, len, 40);
					problem(c, "unknown format '%s' (with "
					    "--formats, formats are checked)",
					    q);
				} else
					n->kw |= RTA_SK_STRING;
			}
		}
	} else if (KW("minItems")) {
		if (get_count(c, "minItems", v, &u) == 0)
			n->min_items = u;
		n->kw |= RTA_SK_ARRAY;
	} else if (KW("maxItems")) {
		if (get_count(c, "maxItems", v, &u) == 0)
			n->max_items = u;
		n->kw |= RTA_SK_ARRAY;
	} else if (KW("uniqueItems")) {
		if (v[0] != RTA_V_TRUE && v[0] != RTA_V_FALSE)
			problem(c, "uniqueItems must be a boolean");
		n->unique = v[0] == RTA_V_TRUE;
		if (n->unique)
			n->kw |= RTA_SK_ARRAY;
	} else if (KW("minContains")) {
		if (get_count(c, "minContains", v, &u) == 0)
			n->min_contains = u;
	} else if (KW("maxContains")) {
		if (get_count(c, "maxContains", v, &u) == 0)
			n->max_contains = u;
	} else if (KW("minProperties")) {
		if (get_count(c, "minProperties", v, &u) == 0)
			n->min_props = u;
		n->kw |= RTA_SK_OBJECT;
	} else if (KW("maxProperties")) {
		if (get_count(c, "maxProperties", v, &u) == 0)
			n->max_props = u;
		n->kw |= RTA_SK_OBJECT;
	} else if (KW("required"))
		kw_required(c, n, v);
	else if (KW("properties"))
		kw_properties(c, n, v);
	else if (KW("patternProperties"))
		kw_pattern_properties(c, n, v);
	else if (KW("additionalProperties")) {
		n->additional = compile(c, v);
		n->kw |= RTA_SK_OBJECT;
	} else if (KW("propertyNames")) {
		n->property_names = compile(c, v);
		n->kw |= RTA_SK_OBJECT;
	} else if (KW("dependentRequired"))
		kw_dependent_required(c, n, v);
	else if (KW("dependentSchemas"))
		kw_dependent_schemas(c, n, v);
	else if (KW("prefixItems")) {
		loc_pop(c, old);
		n->prefix = sub_array(c, "prefixItems", v, &n->nprefix);
		n->kw |= RTA_SK_ARRAY;
		return;
	} else if (KW("items")) {
		if (v[0] == RTA_V_ARRAY)
			problem(c, "items must be a schema (an array of schemas "
			    "is prefixItems in draft 2020-12)");
		else
			n->items = compile(c, v);
		n->kw |= RTA_SK_ARRAY;
	} else if (KW("contains")) {
		n->contains = compile(c, v);
		n->kw |= RTA_SK_ARRAY;
	} else if (KW("allOf") || KW("anyOf") || KW("oneOf")) {
		struct rta_snode ***a;
		size_t *cnt;
		char name[8];

		memcpy(name, k, 5);
		name[5] = '\0';
		if (k[0] == 'a' && k[1] == 'l') {
			a = &n->all_of;
			cnt = &n->nall_of;
		} else if (k[0] == 'a') {
			a = &n->any_of;
			cnt = &n->nany_of;
		} else {
			a = &n->one_of;
			cnt = &n->none_of;
		}
		loc_pop(c, old);
		*a = sub_array(c, name, v, cnt);
		n->kw |= RTA_SK_APPLY;
		return;
	} else if (KW("not")) {
		n->not_ = compile(c, v);
		n->kw |= RTA_SK_APPLY;
	} else if (KW("if")) {
		n->if_ = compile(c, v);
		n->kw |= RTA_SK_APPLY;
	} else if (KW("then")) {
		n->then_ = compile(c, v);
		n->kw |= RTA_SK_APPLY;
	} else if (KW("else")) {
		n->else_ = compile(c, v);
		n->kw |= RTA_SK_APPLY;
	} else if (KW("$ref"))
		kw_ref(c, n, v);
	else if (KW("$anchor"))
		kw_anchor(c, n, v);
	else if (KW("$defs") || KW("definitions")) {
		loc_pop(c, old);
		kw_defs(c, k[0] == '$' ? "$defs" : "definitions", v);
		return;
	} else if (KW("$schema")) {
		if (!rta_value_str(v, &s, &len))
			problem(c, "$schema must be a string");
		else if (!root)
			problem(c, "$schema is only allowed at the root");
		else if (!is_schema_uri(s, len)) {
			char q[80];

			rta_quote(q, sizeof(q), s, len, 60);
			problem(c, "$schema '%s' is not draft 2020-12 "
			    "(https://json-schema.org/draft/2020-12/schema)",
			    q);
		}
	} else if (KW("$id")) {
		if (v[0] != RTA_V_STRING)
			problem(c, "$id must be a string");
		else if (!root)
			problem(c, "$id is only supported at the root (one "
			    "schema resource per file)");
		else
			c->s->id = strdup_value(c, v);
	} else if (root && KW("x-rta-event-type")) {
		if (!rta_value_str(v, &s, &len) || len == 0)
			problem(c, "x-rta-event-type must be a non-empty "
			    "string");
		else
			c->s->x_type = strdup_value(c, v);
	} else if (root && KW("x-rta-version")) {
		int64_t i;

		if (!rta_value_i64(v, &i) || i < 1 || i > UINT32_MAX)
			problem(c, "x-rta-version must be an integer from 1 to "
			    "4294967295");
		else
			c->s->x_version = i;
	} else if (annotation(c, k, kl, v)) {
		if (KW("default"))
			n->dflt = v;
	} else if ((why = unsupported(k, kl)) != NULL) {
		problem(c, "%.*s %s", (int)kl, k, why);
	} else {
		char q[64];

		rta_quote(q, sizeof(q), k, kl, 40);
		problem(c, "unknown keyword '%s' (extensions must start with "
		    "'x-')", q);
	}
#undef KW
	loc_pop(c, old);
}

static struct rta_snode *
node_new(struct comp *c, const unsigned char *v)
{
	struct rta_snode *n;

	if ((n = rta_calloc(1, sizeof(*n))) == NULL) {
		oom(c);
		return NULL;
	}
	n->value = v;
	n->types = RTA_ST_ALL;
	n->format = -1;
	n->max_length = n->max_items = n->max_props = UINT64_MAX;
	n->max_contains = UINT64_MAX;
	n->min_contains = 1;
	n->next = c->s->nodes;
	c->s->nodes = n;
	if ((n->loc = loc_dup(c)) == NULL || map_put(c, n) != 0) {
		oom(c);
		return NULL;
	}
	return n;
}

/* Build the hash table of an object node's property names. */
static void
index_props(struct comp *c, struct rta_snode *n)
{
	uint32_t cap = 4, i, j;

	if (n->nprops == 0)
		return;
	while (cap < 2 * n->nprops)
		cap *= 2;
	if ((n->ptable = rta_malloc(cap * sizeof(*n->ptable))) == NULL) {
		oom(c);
		return;
	}
	memset(n->ptable, 0xff, cap * sizeof(*n->ptable));
	n->pmask = cap - 1;
	for (i = 0; i < n->nprops; i++) {
		j = key_hash(n->props[i].key, n->props[i].klen) & n->pmask;
		while (n->ptable[j] != UINT32_MAX)
			j = (j + 1) & n->pmask;
		n->ptable[j] = i;
	}
}

static struct rta_snode *
compile(struct comp *c, const unsigned char *v)
{
	struct rta_snode *n;
	struct rta_viter it;
	const unsigned char *val;
	const char *k;
	size_t kl;
	int root = c->s->root == NULL && c->s->nodes == NULL;

	if ((n = map_get(c, v)) != NULL)
		return n;
	if (v[0] != RTA_V_OBJECT && v[0] != RTA_V_TRUE &&
	    v[0] != RTA_V_FALSE) {
		problem(c, "a schema must be an object or a boolean");
		return NULL;
	}
	if ((n = node_new(c, v)) == NULL)
		return NULL;
	if (v[0] == RTA_V_FALSE) {
		n->kw = RTA_SK_FALSE;
		return n;
	}
	if (v[0] == RTA_V_TRUE)
		return n;
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &val))
		keyword(c, n, k, kl, val, root);
	if (n->contains != NULL)
		n->kw |= RTA_SK_ARRAY;
	if (n->contains == NULL) {
		/* minContains and maxContains mean nothing without it */
		n->min_contains = 1;
		n->max_contains = UINT64_MAX;
	}
	index_props(c, n);
	return n;
}

/* ------------------------------------------------------------ references */

/*
 * Decode a URI fragment's %XX escapes into out (NUL-terminated): 0, -1
 * for a bad escape, -2 when out of memory.
 */
static int
percent_decode(const char *s, size_t len, struct rta_buf *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] != '%') {
			if (rta_buf_addc(out, s[i]) != 0)
				return -2;
			continue;
		}
		if (len - i < 3)
			return -1;
#define HEX(ch) ((ch) >= '0' && (ch) <= '9' ? (ch) - '0' : \
	(ch) >= 'a' && (ch) <= 'f' ? (ch) - 'a' + 10 : \
	(ch) >= 'A' && (ch) <= 'F' ? (ch) - 'A' + 10 : -1)
		hi = HEX(s[i + 1]);
		lo = HEX(s[i + 2]);
#undef HEX
		if (hi < 0 || lo < 0)
			return -1;
		if (rta_buf_addc(out, (char)(hi * 16 + lo)) != 0)
			return -2;
		i += 2;
	}
	return rta_buf_addc(out, '\0') != 0 ? -2 : 0;
}

/*
 * The value a JSON pointer (already percent-decoded) names inside root,
 * or NULL.
 */
static const unsigned char *
pointer_get(const unsigned char *root, const char *ptr, struct rta_buf *tok)
{
	const unsigned char *v = root;
	const char *p = ptr, *e;

	if (*p == '\0')
		return v;
	if (*p != '/')
		return NULL;
	while (*p == '/') {
		p++;
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		tok->len = 0;
		for (; p < e; p++) {
			if (*p == '~') {
				if (p + 1 < e && (p[1] == '0' || p[1] == '1')) {
					if (rta_buf_addc(tok, p[1] == '0' ?
					    '~' : '/') != 0)
						return NULL;
					p++;
					continue;
				}
				return NULL;
			}
			if (rta_buf_addc(tok, *p) != 0)
				return NULL;
		}
		if (v[0] == RTA_V_OBJECT) {
			v = rta_value_member(v, tok->len ?
			    (const char *)tok->data : "", tok->len);
		} else if (v[0] == RTA_V_ARRAY) {
			struct rta_viter it;
			const unsigned char *item;
			uint64_t idx = 0;
			size_t i;

			if (tok->len == 0 || tok->len > 9 ||
			    (tok->len > 1 && tok->data[0] == '0'))
				return NULL;
			for (i = 0; i < tok->len; i++) {
				if (tok->data[i] < '0' || tok->data[i] > '9')
					return NULL;
				idx = idx * 10 + (tok->data[i] - '0');
			}
			rta_viter_init(&it, v);
			v = NULL;
			while (rta_viter_item(&it, &item))
				if (idx-- == 0) {
					v = item;
					break;
				}
		} else
			return NULL;
		if (v == NULL)
			return NULL;
	}
	return v;
}

static void
resolve(struct comp *c, struct pending_ref *r)
{
	const char *ref = r->node->ref_src, *frag;
	const unsigned char *target;
	struct rta_buf ptr, tok;
	size_t idlen, i;
	struct rta_snode *t = NULL;
	int rc;

	rta_buf_init(&ptr);
	rta_buf_init(&tok);
	c->loc.len = 0;
	rta_buf_adds(&c->loc, r->loc);
	/* "#…", or the document's own $id followed by "#…" or nothing */
	frag = strchr(ref, '#');
	idlen = frag != NULL ? (size_t)(frag - ref) : strlen(ref);
	if (idlen != 0 && (c->s->id == NULL ||
	    strncmp(ref, c->s->id, idlen) != 0 || (c->s->id[idlen] != '\0' &&
	    !(c->s->id[idlen] == '#' && c->s->id[idlen + 1] == '\0')))) {
		problem(c, "$ref '%s' points outside this document (only "
		    "references inside it are supported)", ref);
		goto out;
	}
	if (frag == NULL)
		frag = "#";
	frag++;
	if ((rc = percent_decode(frag, strlen(frag), &ptr)) != 0) {
		if (rc == -2)
			oom(c);
		else
			problem(c, "$ref '%s' has a bad %%-escape", ref);
		goto out;
	}
	if (ptr.data[0] == '/' || ptr.data[0] == '\0') {
		target = pointer_get(c->s->doc.data,
		    (const char *)ptr.data, &tok);
		if (target == NULL) {
			problem(c, "$ref '%s' does not resolve", ref);
			goto out;
		}
		if ((t = map_get(c, target)) == NULL) {
			/* a place not compiled yet: compile it there */
			c->loc.len = 0;
			rta_buf_adds(&c->loc, (const char *)ptr.data);
			t = compile(c, target);
		}
	} else {
		for (i = 0; i < c->nanchors; i++)
			if (c->anchors[i].len == ptr.len - 1 &&
			    memcmp(c->anchors[i].name, ptr.data,
			    ptr.len - 1) == 0)
				t = c->anchors[i].node;
		if (t == NULL)
			problem(c, "$ref '%s': no $anchor '%s' in this "
			    "document", ref, (const char *)ptr.data);
	}
	r->node->ref = t;
out:
	rta_buf_release(&ptr);
	rta_buf_release(&tok);
}

/* ------------------------------------------------------------- cycles */

/*
 * Depth-first over the edges that apply a schema to the same instance.
 * mark: 0 unseen, 1 on the current path, 2 + h done, where h is the
 * number of nodes on the longest chain of such edges from the node.  A
 * cycle among them would never reach a value; a long acyclic chain is
 * bounded too, since evaluation recurses along it.  The height is kept,
 * not only "done": a chain first entered near its end must still be
 * measured in full when it is entered again from its start.  Returns the
 * height, or -1 after a problem.
 */
static long
chain(struct comp *c, struct rta_snode *n, unsigned depth)
{
	struct rta_snode *next[8];
	size_t i, k = 0;
	uint32_t p;
	long h = 0, t;

	if (n == NULL)
		return 0;
	if (n->mark >= 2)
		return n->mark - 2;
	if (n->mark == 1) {
		c->loc.len = 0;
		rta_buf_adds(&c->loc, n->loc);
		problem(c, "schema refers to itself without reaching a value "
		    "(a loop of $ref, allOf, anyOf, oneOf, not, if, then, "
		    "else or dependentSchemas)");
		return -1;
	}
	if (depth >= SCHEMA_MAX_CHAIN)
		goto long_chain;
	n->mark = 1;
	next[k++] = n->ref;
	next[k++] = n->not_;
	next[k++] = n->if_;
	next[k++] = n->then_;
	next[k++] = n->else_;
	for (i = 0; i < k; i++)
		if ((t = chain(c, next[i], depth + 1)) < 0)
			return -1;
		else if (t > h)
			h = t;
	for (i = 0; i < n->nall_of; i++)
		if ((t = chain(c, n->all_of[i], depth + 1)) < 0)
			return -1;
		else if (t > h)
			h = t;
	for (i = 0; i < n->nany_of; i++)
		if ((t = chain(c, n->any_of[i], depth + 1)) < 0)
			return -1;
		else if (t > h)
			h = t;
	for (i = 0; i < n->none_of; i++)
		if ((t = chain(c, n->one_of[i], depth + 1)) < 0)
			return -1;
		else if (t > h)
			h = t;
	for (p = 0; p < n->nprops; p++)
		if ((t = chain(c, n->props[p].dep_schema, depth + 1)) < 0)
			return -1;
		else if (t > h)
			h = t;
	if (h + 1 > SCHEMA_MAX_CHAIN)
		goto long_chain;
	n->mark = 2 + (int)(h + 1);
	return h + 1;
long_chain:
	c->loc.len = 0;
	rta_buf_adds(&c->loc, n->loc);
	problem(c, "more than %d schemas applied in a row (through "
	    "$ref, allOf and the like)", SCHEMA_MAX_CHAIN);
	return -1;
}

/* ----------------------------------------------------------------- load */

static void
node_free(struct rta_snode *n)
{
	size_t i;

	rta_free(n->loc);
	rta_free(n->enums);
	rta_free(n->qenums);
	rta_free(n->qtable);
	rta_regex_free(n->pattern);
	rta_free(n->pattern_src);
	for (i = 0; i < n->nprops; i++)
		rta_free(n->props[i].dep_required);
	rta_free(n->props);
	rta_free(n->ptable);
	for (i = 0; i < n->npatterns; i++) {
		rta_regex_free(n->patterns[i].re);
		rta_free((char *)n->patterns[i].src);
	}
	rta_free(n->patterns);
	rta_free(n->prefix);
	rta_free(n->all_of);
	rta_free(n->any_of);
	rta_free(n->one_of);
	rta_free(n->ref_src);
	rta_free(n);
}

void
rta_schema_free(struct rta_schema *s)
{
	struct rta_snode *n, *next;

	if (s == NULL)
		return;
	for (n = s->nodes; n != NULL; n = next) {
		next = n->next;
		node_free(n);
	}
	rta_buf_release(&s->doc);
	rta_free(s->name);
	rta_free(s->id);
	rta_free(s->x_type);
	rta_free(s);
}

uint64_t
rta_json_pointer_line(const void *text, size_t len, const char *ptr)
{
	const char *t = text;
	uint64_t line = 1;
	size_t off, k;

	if (rta_json_pointer_offset(text, len, ptr, &off) != 0)
		return 0;
	for (k = 0; k < off; k++)
		if (t[k] == '\n')
			line++;
	return line;
}

/* Fill in the lines of the problems added since first. */
static void
set_lines(struct rta_schema_problems *ps, size_t first, const void *text,
    size_t len)
{
	size_t i;

	for (i = first; i < ps->n; i++)
		ps->p[i].line = rta_json_pointer_line(text, len,
		    ps->p[i].pointer);
}

/* The first min(len, 8) bytes of s, zero-padded, read without a call. */
uint64_t
rta_sqenum_head(const char *s, size_t len)
{
	uint64_t h;
	uint32_t a, b;
	uint16_t x, y;

	if (len >= 8) {
		memcpy(&h, s, 8);
		return h;
	}
	if (len >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		return (uint64_t)a | (uint64_t)b << (8 * (len - 4));
	}
	if (len >= 2) {
		memcpy(&x, s, 2);
		memcpy(&y, s + len - 2, 2);
		return (uint64_t)x | (uint64_t)y << (8 * (len - 2));
	}
	return len == 1 ? (unsigned char)s[0] : 0;
}

/*
 * Decide which value tags the quick pass may settle at node n: those the
 * type admits without a closer look (an integer-only type looks at a
 * double), with no keyword that only the full walk evaluates (in place
 * applicators, const, enum members other than strings, multipleOf, a
 * format that asserts, anything on objects and arrays).  Numbers pass
 * when their double is strictly between the bounds' doubles: rounding is
 * monotonic, so that proves the decimal values are within them.
 */
static int
quick_prepare(struct rta_snode *n, unsigned flags)
{
	unsigned tags = 0, types = (n->kw & RTA_SK_TYPE) ? n->types :
	    RTA_ST_ALL;
	size_t i, k = 0;

	n->qlo = -HUGE_VAL;
	n->qhi = HUGE_VAL;
	if (n->kw & (RTA_SK_FALSE | RTA_SK_APPLY) || n->const_value != NULL)
		return 0;
	if (!n->has_enum) {
		if (types & RTA_ST_NULL)
			tags |= 1u << RTA_V_NULL;
		if (types & RTA_ST_BOOLEAN)
			tags |= 1u << RTA_V_FALSE | 1u << RTA_V_TRUE;
		if (!n->multiple_of.set) {
			if (types & (RTA_ST_INTEGER | RTA_ST_NUMBER))
				tags |= 1u << RTA_V_INT;
			if (types & RTA_ST_NUMBER)
				tags |= 1u << RTA_V_DOUBLE |
				    1u << RTA_V_NUMBER;
		}
	}
	if ((types & RTA_ST_STRING) && !(n->format >= 0 &&
	    (flags & RTA_SCHEMA_FORMATS)))
		tags |= 1u << RTA_V_STRING;
	if (n->minimum.set && n->minimum.d > n->qlo)
		n->qlo = n->minimum.d;
	if (n->xminimum.set && n->xminimum.d > n->qlo)
		n->qlo = n->xminimum.d;
	if (n->maximum.set && n->maximum.d < n->qhi)
		n->qhi = n->maximum.d;
	if (n->xmaximum.set && n->xmaximum.d < n->qhi)
		n->qhi = n->xmaximum.d;
	if (n->has_enum && (tags & 1u << RTA_V_STRING)) {
		for (i = 0; i < n->nenums; i++)
			k += n->enums[i][0] == RTA_V_STRING;
		if (k > 0 && (n->qenums = rta_calloc(k,
		    sizeof(*n->qenums))) == NULL)
			return -1;
		for (i = 0; i < n->nenums && k > 0; i++) {
			struct rta_sqenum *q = &n->qenums[n->nqenums];

			if (!rta_value_str(n->enums[i], &q->s, &q->len))
				continue;
			q->head = rta_sqenum_head(q->s, q->len);
			n->nqenums++;
		}
		/* a table at most half full, so a miss ends soon */
		for (k = 4; k < 2 * n->nqenums; k *= 2)
			;
		if ((n->qtable = rta_calloc(k, sizeof(*n->qtable))) == NULL)
			return -1;
		n->qmask = (uint32_t)k - 1;
		for (i = 0; i < n->nqenums; i++) {
			const struct rta_sqenum *q = &n->qenums[i];
			uint32_t j = rta_sqenum_slot(q->head, q->len, n->qmask);

			while (n->qtable[j] != 0)
				j = (j + 1) & n->qmask;
			n->qtable[j] = (uint32_t)i + 1;
		}
	}
	n->quick_tags = tags;
	return 0;
}

struct rta_schema *
rta_schema_load(const void *text, size_t len, const char *name,
    unsigned flags, struct rta_schema_problems *ps)
{
	struct rta_schema *s;
	struct rta_json j;
	struct rta_error e;
	struct comp c;
	struct rta_snode *n;
	size_t first = ps->n, i;

	if ((s = rta_calloc(1, sizeof(*s))) == NULL ||
	    (s->name = rta_memdup(name, strlen(name))) == NULL) {
		rta_free(s);
		rta_schema_problems_add(ps, "", "out of memory");
		return NULL;
	}
	s->flags = flags;
	rta_buf_init(&s->doc);
	rta_json_init(&j);
	j.max_depth = SCHEMA_MAX_DEPTH;
	rta_error_clear(&e);
	if (rta_json_document(&j, text, len, &s->doc, &e) != RTA_OK) {
		uint64_t line = 1;
		const char *t = text;

		for (i = 0; i < e.offset && i < len; i++)
			if (t[i] == '\n')
				line++;
		rta_schema_problems_add(ps, "", "%s", e.text);
		if (ps->n > first)
			ps->p[ps->n - 1].line = line;
		rta_json_release(&j);
		rta_schema_free(s);
		return NULL;
	}
	rta_json_release(&j);

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.ps = ps;
	rta_buf_init(&c.loc);
	s->root = compile(&c, s->doc.data);
	/* resolving may compile more places, which may add more refs */
	for (i = 0; i < c.nrefs; i++) {
		struct pending_ref r = c.refs[i];	/* c.refs may move */

		resolve(&c, &r);
	}
	if (!c.failed)
		for (n = s->nodes; n != NULL; n = n->next)
			if (chain(&c, n, 0) < 0)
				break;
	for (i = 0; i < c.nrefs; i++)
		rta_free(c.refs[i].loc);
	rta_free(c.refs);
	for (i = 0; i < c.nanchors; i++)
		rta_free(c.anchors[i].loc);
	rta_free(c.anchors);
	rta_free(c.map);
	rta_buf_release(&c.loc);
	if (!c.failed)
		for (n = s->nodes; n != NULL; n = n->next)
			if (quick_prepare(n, flags) != 0) {
				oom(&c);
				break;
			}
	if (c.failed) {
		set_lines(ps, first, text, len);
		rta_schema_free(s);
		return NULL;
	}
	return s;
}

int
rta_schema_read_file(const char *path, struct rta_buf *out,
    struct rta_schema_problems *ps)
{
	struct stat st;
	char chunk[65536];
	size_t mark = out->len;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		rta_schema_problems_add(ps, "", "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		rta_schema_problems_add(ps, "", "%s", strerror(EISDIR));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rta_schema_problems_add(ps, "", "%s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (out->len - mark + (size_t)n > RTA_SCHEMA_MAX_FILE) {
			rta_schema_problems_add(ps, "", "larger than %u MiB",
			    RTA_SCHEMA_MAX_FILE >> 20);
			goto fail;
		}
		if (rta_buf_add(out, chunk, (size_t)n) != 0) {
			rta_schema_problems_add(ps, "", "out of memory");
			goto fail;
		}
	}
	close(fd);
	return 0;
fail:
	close(fd);
	out->len = mark;
	return -1;
}

struct rta_schema *
rta_schema_load_file(const char *path, unsigned flags,
    struct rta_schema_problems *ps)
{
	struct rta_schema *s = NULL;
	struct rta_buf b;

	rta_buf_init(&b);
	if (rta_schema_read_file(path, &b, ps) == 0)
		s = rta_schema_load(b.data, b.len, path, flags, ps);
	rta_buf_release(&b);
	return s;
}

/* ------------------------------------------------------- pointer offset */

static int
skip_to(struct rta_json *j, const char *ptr, struct rta_buf *scratch,
    size_t *off)
{
	const char *e, *s;
	size_t len, off0;
	int copied;
	struct rta_buf tok;
	int rc = -1;

	rta_json_ws(j);
	if (*ptr == '\0') {
		if (j->p >= j->end)
			return -1;	/* cut short before the value */
		*off = (size_t)(j->p - j->start);
		return 0;
	}
	if (*ptr != '/' || j->p >= j->end)
		return -1;
	ptr++;
	for (e = ptr; *e != '\0' && *e != '/'; e++)
		;
	rta_buf_init(&tok);
	for (s = ptr; s < e; s++) {
		if (*s == '~' && s + 1 < e && (s[1] == '0' || s[1] == '1')) {
			rta_buf_addc(&tok, s[1] == '0' ? '~' : '/');
			s++;
		} else
			rta_buf_addc(&tok, *s);
	}
	if (*j->p == '{') {
		j->p++;
		rta_json_ws(j);
		if (j->p < j->end && *j->p == '}')
			goto out;
		for (;;) {
			rta_json_ws(j);
			if (j->p >= j->end || *j->p != '"')
				goto out;
			scratch->len = 0;
			if (rta_json_string(j, scratch, &s, &len, &copied,
			    &off0) != RTA_OK)
				goto out;
			rta_json_ws(j);
			if (j->p >= j->end || *j->p != ':')
				goto out;
			j->p++;
			if (len == tok.len && (len == 0 ||
			    memcmp(s, tok.data, len) == 0)) {
				rc = skip_to(j, e, scratch, off);
				goto out;
			}
			rta_json_ws(j);
			scratch->len = 0;
			if (rta_json_value(j, scratch, 1) != RTA_OK)
				goto out;
			if (rta_json_member_end(j) != 1)
				goto out;
		}
	} else if (*j->p == '[') {
		size_t idx = 0, want = 0, i;

		for (i = 0; i < tok.len; i++) {
			if (tok.data[i] < '0' || tok.data[i] > '9' || i > 8)
				goto out;
			want = want * 10 + (tok.data[i] - '0');
		}
		if (tok.len == 0 || (tok.len > 1 && tok.data[0] == '0'))
			goto out;
		j->p++;
		for (;; idx++) {
			rta_json_ws(j);
			if (j->p >= j->end || *j->p == ']')
				goto out;
			if (idx == want) {
				rc = skip_to(j, e, scratch, off);
				goto out;
			}
			scratch->len = 0;
			if (rta_json_value(j, scratch, 1) != RTA_OK)
				goto out;
			rta_json_ws(j);
			if (j->p >= j->end || *j->p != ',')
				goto out;
			j->p++;
		}
	}
out:
	rta_buf_release(&tok);
	return rc;
}

int
rta_json_pointer_offset(const void *text, size_t len, const char *ptr,
    size_t *off)
{
	struct rta_json j;
	struct rta_buf scratch;
	int rc;

	rta_json_init(&j);
	j.max_depth = SCHEMA_MAX_DEPTH;
	rta_buf_init(&scratch);
	rta_json_begin(&j, text, len, NULL);
	rc = skip_to(&j, ptr, &scratch, off);
	rta_buf_release(&scratch);
	rta_json_release(&j);
	return rc;
}
