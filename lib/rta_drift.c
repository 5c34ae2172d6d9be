/*
 * rta_drift.c: counting payloads against the fields a schema declares.
 */
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_compat.h"
#include "rta_drift.h"
#include "rta_regex.h"
#include "rta_value.h"

#define NONE	UINT32_MAX

const char *
rta_drift_kind_name(enum rta_drift_kind k)
{
	switch (k) {
	case RTA_DRIFT_UNDECLARED:
		return "undeclared";
	case RTA_DRIFT_NEVER_SEEN:
		return "never-seen";
	case RTA_DRIFT_MISMATCH:
		return "type-mismatch";
	case RTA_DRIFT_MISSING:
		return "missing";
	}
	return "?";
}

/* ------------------------------------------------------------ the tree */

static unsigned
types_of(const struct rta_sparts *p)
{
	unsigned t = RTA_ST_ALL;
	size_t i;

	for (i = 0; i < p->len; i++)
		t &= p->n[i]->types;
	return t;
}

/*
 * The parts of n and of the branches of its anyOf, oneOf and then/else:
 * a field declared in any branch is a declared field.
 */
static void
all_parts(struct rta_sparts *p, const struct rta_snode *n)
{
	size_t i, j;

	rta_sparts_of(p, n);
	for (i = 0; i < p->len; i++) {
		const struct rta_snode *x = p->n[i];

		for (j = 0; j < x->nany_of; j++)
			rta_sparts_add(p, x->any_of[j]);
		for (j = 0; j < x->none_of; j++)
			rta_sparts_add(p, x->one_of[j]);
		rta_sparts_add(p, x->then_);
		rta_sparts_add(p, x->else_);
	}
}

static uint32_t
field_new(struct rta_drift *d, uint32_t parent, const char *key, size_t klen,
    const struct rta_snode *node)
{
	struct rta_drift_field *f;
	size_t plen = parent == NONE ? 0 : strlen(d->f[parent].path);
	uint32_t i, *link;
	char *path;

	if (d->nf == RTA_DRIFT_MAX_FIELDS) {
		d->truncated = 1;
		return NONE;
	}
	d->path.len = 0;
	if (parent != NONE && (rta_buf_add(&d->path, d->f[parent].path,
	    plen) != 0 || rta_buf_addc(&d->path, '/') != 0 ||
	    (klen == 1 && key[0] == '*' ? rta_buf_addc(&d->path, '*') :
	    rta_pointer_escape(&d->path, key, klen)) != 0))
		return NONE - 1;
	if (rta_buf_addc(&d->path, '\0') != 0 ||
	    (path = rta_malloc(d->path.len)) == NULL)
		return NONE - 1;
	memcpy(path, d->path.data, d->path.len);
	i = (uint32_t)d->nf++;
	f = &d->f[i];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->node = node;
	f->parent = parent;
	f->first_child = f->next_sibling = NONE;
	f->key = key;
	f->klen = klen;
	if (parent != NONE) {
		link = &d->f[parent].first_child;
		while (*link != NONE)
			link = &d->f[*link].next_sibling;
		*link = i;
	}
	return i;
}

static uint32_t
child(const struct rta_drift *d, uint32_t fi, const char *k, size_t kl)
{
	uint32_t c;

	for (c = d->f[fi].first_child; c != NONE; c = d->f[c].next_sibling)
		if (d->f[c].klen == kl && memcmp(d->f[c].key, k, kl) == 0)
			return c;
	return NONE;
}

/* Whether node n already stands for an ancestor of fi (recursion). */
static int
recursive(const struct rta_drift *d, uint32_t fi, const struct rta_snode *n)
{
	uint32_t a;

	for (a = d->f[fi].parent; a != NONE; a = d->f[a].parent)
		if (d->f[a].node == n)
			return 1;
	return 0;
}

static int	build(struct rta_drift *, uint32_t, unsigned);

/* Add to fi the children that the parts in p declare. */
static int
build_members(struct rta_drift *d, uint32_t fi, const struct rta_sparts *p,
    unsigned depth)
{
	struct rta_sparts sub;
	size_t i, k;
	uint32_t c;
	int declares = 0;

	for (i = 0; i < p->len; i++) {
		const struct rta_snode *x = p->n[i];

		if (x->nprops > 0 || (x->additional != NULL &&
		    (x->additional->kw & RTA_SK_FALSE)))
			declares = 1;
		if (x->additional != NULL &&
		    !(x->additional->kw & RTA_SK_FALSE))
			d->f[fi].free = 1;	/* extra members have a schema */
		for (k = 0; k < x->nprops; k++) {
			const struct rta_sprop *sp = &x->props[k];

			if (!(sp->flags & (RTA_SP_DECLARED | RTA_SP_REQUIRED)))
				continue;
			c = child(d, fi, sp->key, sp->klen);
			if (c == NONE) {
				c = field_new(d, fi, sp->key, sp->klen,
				    sp->schema);
				if (c == NONE)
					continue;
				if (c == NONE - 1)
					return -1;
				d->f[c].types = sp->schema != NULL ? 0 :
				    RTA_ST_ALL;
			}
			if (sp->flags & RTA_SP_REQUIRED)
				d->f[c].required = 1;
			if (sp->schema != NULL) {
				rta_sparts_of(&sub, sp->schema);
				d->f[c].types |= types_of(&sub);
				if (d->f[c].node == NULL)
					d->f[c].node = sp->schema;
			}
		}
	}
	if (!declares)
		d->f[fi].free = 1;
	for (c = d->f[fi].first_child; c != NONE; c = d->f[c].next_sibling)
		if (d->f[c].node != NULL && build(d, c, depth + 1) != 0)
			return -1;
	return 0;
}

static int
build(struct rta_drift *d, uint32_t fi, unsigned depth)
{
	struct rta_sparts p, ip;
	const struct rta_snode *n = d->f[fi].node;
	size_t i;
	uint32_t c;

	if (d->f[fi].types & RTA_ST_NUMBER)
		d->f[fi].types |= RTA_ST_INTEGER;
	if (depth >= RTA_DRIFT_MAX_DEPTH || (fi != 0 && recursive(d, fi, n))) {
		d->f[fi].free = 1;
		return 0;
	}
	all_parts(&p, n);
	if (d->f[fi].types & RTA_ST_OBJECT) {
		if (build_members(d, fi, &p, depth) != 0)
			return -1;
	} else
		d->f[fi].free = 1;
	if (!(d->f[fi].types & RTA_ST_ARRAY))
		return 0;
	ip.len = 0;
	ip.none = 0;
	for (i = 0; i < p.len; i++) {
		size_t j;

		for (j = 0; j < p.n[i]->nprefix; j++)
			rta_sparts_add(&ip, p.n[i]->prefix[j]);
		rta_sparts_add(&ip, p.n[i]->items);
	}
	if (ip.len == 0)
		return 0;
	c = field_new(d, fi, "*", 1, ip.n[0]);
	if (c == NONE)
		return 0;
	if (c == NONE - 1)
		return -1;
	d->f[c].types = 0;
	for (i = 0; i < ip.len; i++)
		d->f[c].types |= ip.n[i]->types;
	return build(d, c, depth + 1);
}

int
rta_drift_init(struct rta_drift *d, const struct rta_schema *s)
{
	struct rta_sparts p;

	memset(d, 0, sizeof(*d));
	rta_buf_init(&d->path);
	d->schema = s;
	d->f = rta_calloc(RTA_DRIFT_MAX_FIELDS, sizeof(*d->f));
	d->u = rta_calloc(RTA_DRIFT_MAX_UNDECLARED, sizeof(*d->u));
	if (d->f == NULL || d->u == NULL)
		goto fail;
	if (field_new(d, NONE, "", 0, s->root) != 0)
		goto fail;
	rta_sparts_of(&p, s->root);
	d->f[0].types = types_of(&p);
	if (build(d, 0, 0) != 0)
		goto fail;
	return 0;
fail:
	rta_drift_release(d);
	return -1;
}

void
rta_drift_release(struct rta_drift *d)
{
	size_t i;

	if (d->f != NULL)
		for (i = 0; i < d->nf; i++)
			rta_free(d->f[i].path);
	if (d->u != NULL)
		for (i = 0; i < d->nu; i++)
			rta_free(d->u[i].path);
	rta_free(d->f);
	rta_free(d->u);
	rta_buf_release(&d->path);
	memset(d, 0, sizeof(*d));
}

/* ------------------------------------------------------------ counting */

static int
matches_pattern(const struct rta_drift *d, uint32_t fi, const char *k,
    size_t kl)
{
	struct rta_sparts p;
	size_t i, j;

	if (d->f[fi].node == NULL)
		return 0;
	rta_sparts_of(&p, d->f[fi].node);
	for (i = 0; i < p.len; i++)
		for (j = 0; j < p.n[i]->npatterns; j++)
			if (rta_regex_search(p.n[i]->patterns[j].re, k, kl))
				return 1;
	return 0;
}

static int
undeclared(struct rta_drift *d, uint32_t fi, const char *k, size_t kl)
{
	const char *pp = d->f[fi].path;
	size_t i, plen = strlen(pp);
	char *path;

	d->path.len = 0;
	if (rta_buf_add(&d->path, pp, plen) != 0 ||
	    rta_buf_addc(&d->path, '/') != 0 ||
	    rta_pointer_escape(&d->path, k, kl) != 0 ||
	    rta_buf_addc(&d->path, '\0') != 0)
		return -1;
	for (i = 0; i < d->nu; i++)
		if (strcmp(d->u[i].path, (const char *)d->path.data) == 0) {
			d->u[i].count++;
			return 0;
		}
	if (d->nu == RTA_DRIFT_MAX_UNDECLARED) {
		d->more_undeclared++;
		return 0;
	}
	if ((path = rta_malloc(d->path.len)) == NULL)
		return -1;
	memcpy(path, d->path.data, d->path.len);
	d->u[d->nu].path = path;
	d->u[d->nu].count = 1;
	d->nu++;
	return 0;
}

static int
walk(struct rta_drift *d, uint32_t fi, const unsigned char *v, unsigned depth)
{
	struct rta_drift_field *f = &d->f[fi];
	struct rta_viter it;
	const unsigned char *m;
	const char *k;
	size_t kl;
	unsigned t = rta_value_stype(v);
	uint32_t c;

	f->present++;
	if (!(f->types & t)) {
		f->mismatched++;
		f->seen_types |= t;
		return 0;
	}
	if (depth >= RTA_DRIFT_MAX_DEPTH)
		return 0;
	if (v[0] == RTA_V_OBJECT) {
		f->as_container++;
		rta_viter_init(&it, v);
		while (rta_viter_member(&it, &k, &kl, &m)) {
			if ((c = child(d, fi, k, kl)) != NONE) {
				if (walk(d, c, m, depth + 1) != 0)
					return -1;
			} else if (!d->f[fi].free &&
			    !matches_pattern(d, fi, k, kl)) {
				if (undeclared(d, fi, k, kl) != 0)
					return -1;
			}
		}
	} else if (v[0] == RTA_V_ARRAY &&
	    (c = child(d, fi, "*", 1)) != NONE) {
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &m))
			if (walk(d, c, m, depth + 1) != 0)
				return -1;
	}
	return 0;
}

int
rta_drift_add(struct rta_drift *d, const unsigned char *payload)
{
	d->events++;
	return walk(d, 0, payload, 0);
}

/* ----------------------------------------------------------- reporting */

static int
cmp_undeclared(const void *a, const void *b)
{
	return strcmp(((const struct rta_drift_undeclared *)a)->path,
	    ((const struct rta_drift_undeclared *)b)->path);
}

int
rta_drift_report(const struct rta_drift *d,
    int (*fn)(void *, const struct rta_drift_finding *), void *arg)
{
	struct rta_drift_finding x;
	const struct rta_drift_field *f, *p;
	size_t i;
	int r;

	/* sorting the kept copy is fine: the table is append-only */
	qsort(d->u, d->nu, sizeof(*d->u), cmp_undeclared);
	for (i = 0; i < d->nu; i++) {
		memset(&x, 0, sizeof(x));
		x.kind = RTA_DRIFT_UNDECLARED;
		x.path = d->u[i].path;
		x.count = d->u[i].count;
		x.of = d->events;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	for (i = 1; i < d->nf; i++) {
		f = &d->f[i];
		p = &d->f[f->parent];
		if (f->present != 0 || p->as_container == 0)
			continue;
		memset(&x, 0, sizeof(x));
		x.kind = RTA_DRIFT_NEVER_SEEN;
		x.path = f->path;
		x.node = f->node;
		x.of = p->as_container;
		x.required = f->required;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	for (i = 0; i < d->nf; i++) {
		f = &d->f[i];
		if (f->mismatched == 0)
			continue;
		memset(&x, 0, sizeof(x));
		x.kind = RTA_DRIFT_MISMATCH;
		x.path = f->path;
		x.node = f->node;
		x.count = f->mismatched;
		x.of = f->present;
		x.types = f->types;
		x.seen_types = f->seen_types;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	for (i = 1; i < d->nf; i++) {
		f = &d->f[i];
		p = &d->f[f->parent];
		if (f->present == 0 || (f->klen == 1 && f->key[0] == '*') ||
		    p->as_container <= f->present)
			continue;
		memset(&x, 0, sizeof(x));
		x.kind = RTA_DRIFT_MISSING;
		x.path = f->path;
		x.node = f->node;
		x.count = p->as_container - f->present;
		x.of = p->as_container;
		x.required = f->required;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	return 0;
}
