/*
 * rta_drift.c: counting payloads against the fields a schema declares.
 *
 * The profile is a tree of fields built once from the schema.  Each field
 * keeps the schema nodes that declare it (its declaration set: the
 * schemas of properties[key] wherever the key is declared, or of the
 * items), and its children are what those nodes declare in turn.  The
 * nodes that apply at a place fall into groups: the parts of one
 * declaration (itself, its $ref, its allOf members) apply together, so
 * the types a group allows a member are the intersection of what its
 * parts say; a branch (anyOf, oneOf, then, else, dependentSchemas) is a
 * group of its own, and the types of the groups add up.
 *
 * Counting walks a payload down the tree and allocates only for an
 * undeclared path met for the first time, at most
 * RTA_DRIFT_MAX_UNDECLARED of them: after the first distinct paths the
 * profile does not grow, however long the stream.
 */
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_compat.h"
#include "rta_drift.h"
#include "rta_regex.h"
#include "rta_value.h"

#define NONE		UINT32_MAX
#define MAX_GROUPS	64	/* groups of nodes at one place */
#define MAX_DECL	RTA_SPARTS_MAX	/* nodes in a declaration set */

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

/*
 * The types an instance of the parts p may have; an integer is a number
 * wherever a number is.
 */
static unsigned
types_at(const struct rta_sparts *p)
{
	unsigned t = rta_sparts_types(p);

	return t & RTA_ST_NUMBER ? t | RTA_ST_INTEGER : t;
}

static unsigned
types_of_node(const struct rta_snode *n)
{
	struct rta_sparts p;

	rta_sparts_of(&p, n);
	return types_at(&p);
}

/*
 * The groups of nodes that apply where the declaration set decl does:
 * the parts of each declaration (its main group), then the parts of
 * every branch met, each owned by the main group it hangs from.
 */
struct groups {
	struct rta_sparts	 g[MAX_GROUPS];
	size_t			 owner[MAX_GROUPS];
	size_t			 n;
};

static void
group_add(struct groups *gs, const struct rta_snode *n, size_t owner)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < gs->n; i++)
		if (gs->g[i].len > 0 && gs->g[i].n[0] == n)
			return;
	if (gs->n == MAX_GROUPS)
		return;
	rta_sparts_of(&gs->g[gs->n], n);
	gs->owner[gs->n] = owner == SIZE_MAX ? gs->n : owner;
	gs->n++;
}

static void
groups_of(struct groups *gs, const struct rta_snode *const *decl,
    size_t ndecl)
{
	size_t i, j, k, o;

	/* the declarations between NULLs apply together */
	gs->n = 0;
	for (i = 0; i < ndecl && gs->n < MAX_GROUPS; ) {
		if (decl[i] == NULL) {
			i++;
			continue;
		}
		gs->g[gs->n].len = 0;
		gs->g[gs->n].none = 0;
		for (; i < ndecl && decl[i] != NULL; i++)
			rta_sparts_add(&gs->g[gs->n], decl[i]);
		gs->owner[gs->n] = gs->n;
		gs->n++;
	}
	for (i = 0; i < gs->n; i++)
		for (j = 0, o = gs->owner[i]; j < gs->g[i].len; j++) {
			const struct rta_snode *x = gs->g[i].n[j];

			for (k = 0; k < x->nany_of; k++)
				group_add(gs, x->any_of[k], o);
			for (k = 0; k < x->none_of; k++)
				group_add(gs, x->one_of[k], o);
			group_add(gs, x->then_, o);
			group_add(gs, x->else_, o);
			for (k = 0; k < x->nprops; k++)
				group_add(gs, x->props[k].dep_schema, o);
		}
}

/*
 * A field's declarations come in groups that apply together (the parts
 * of one allOf), NULL between groups; at most MAX_DECL entries are kept.
 */
static int
decl_push(struct rta_drift_field *f, const struct rta_snode *n)
{
	const struct rta_snode **p;

	if (f->ndecl == MAX_DECL)
		return 0;
	if ((p = rta_reallocarray(f->decl, f->ndecl + 1,
	    sizeof(*p))) == NULL)
		return -1;
	f->decl = p;
	f->decl[f->ndecl++] = n;
	return 0;
}

/* Start a new group of declarations. */
static int
decl_begin(struct rta_drift_field *f)
{
	if (f->ndecl == 0 || f->decl[f->ndecl - 1] == NULL)
		return 0;
	return decl_push(f, NULL);
}

/* Add n to the current group. */
static int
decl_add(struct rta_drift_field *f, const struct rta_snode *n)
{
	uint32_t i;

	for (i = f->ndecl; i > 0 && f->decl[i - 1] != NULL; i--)
		if (f->decl[i - 1] == n)
			return 0;
	if (f->node == NULL)
		f->node = n;
	return decl_push(f, n);
}

/* A new field: its index, NONE at the bound, NONE - 1 on ENOMEM. */
static uint32_t
field_new(struct rta_drift *d, uint32_t parent, const char *key, size_t klen)
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

static int
same_decl(const struct rta_drift_field *a, const struct rta_drift_field *b)
{
	return a->ndecl == b->ndecl && memcmp(a->decl, b->decl,
	    a->ndecl * sizeof(*a->decl)) == 0;
}

/* Whether an ancestor of fi has the same declarations (recursion). */
static int
recursive(const struct rta_drift *d, uint32_t fi)
{
	uint32_t a;

	for (a = d->f[fi].parent; a != NONE; a = d->f[a].parent)
		if (same_decl(&d->f[a], &d->f[fi]))
			return 1;
	return 0;
}

static int	build(struct rta_drift *, uint32_t, unsigned);

/*
 * What group g says of member k: whether it names it, the types its
 * parts allow (an intersection), whether it requires it; adds the
 * declaring schemas to f.  0, or -1 on ENOMEM.
 */
static int
group_member(struct rta_drift_field *f, const struct rta_sparts *g,
    const char *k, size_t kl, int *named, unsigned *types, int *required)
{
	const struct rta_sprop *sp;
	size_t i;
	int started = 0;

	*named = *required = 0;
	*types = RTA_ST_ALL;
	for (i = 0; i < g->len; i++) {
		if (g->n[i]->nprops == 0 ||
		    (sp = rta_snode_prop(g->n[i], k, kl)) == NULL ||
		    !(sp->flags & (RTA_SP_DECLARED | RTA_SP_REQUIRED)))
			continue;
		*named = 1;
		if (sp->flags & RTA_SP_REQUIRED)
			*required = 1;
		if ((sp->flags & RTA_SP_DECLARED) && sp->schema != NULL) {
			*types &= types_of_node(sp->schema);
			if ((!started && decl_begin(f) != 0) ||
			    decl_add(f, sp->schema) != 0)
				return -1;
			started = 1;
		}
	}
	return 0;
}

/*
 * The types, declarations and requiredness of fi's member c.  For each
 * declaration of fi, the types its main group allows c meet those of its
 * branches that name c (a branch that does not name it adds nothing: a
 * field declared only in branches has their types); the declarations
 * add up.
 */
static int
member_types(struct rta_drift *d, uint32_t c, const struct groups *gs)
{
	struct rta_drift_field *f = &d->f[c];
	unsigned t, tm, tb, u;
	size_t m, g;
	int named, any, branch, req;

	for (m = 0; m < gs->n; m++) {
		if (gs->owner[m] != m)
			continue;
		if (group_member(f, &gs->g[m], f->key, f->klen, &named, &tm,
		    &req) != 0)
			return -1;
		any = named;
		if (req)
			f->required = 1;
		tb = 0;
		branch = 0;
		for (g = 0; g < gs->n; g++) {
			if (g == m || gs->owner[g] != m)
				continue;
			if (group_member(f, &gs->g[g], f->key, f->klen,
			    &named, &u, &req) != 0)
				return -1;
			if (named) {
				tb |= u;
				branch = any = 1;
			}
		}
		if (!any)
			continue;
		t = tm & (branch ? tb : RTA_ST_ALL);
		f->types |= t;
	}
	if (f->types & RTA_ST_NUMBER)
		f->types |= RTA_ST_INTEGER;
	return 0;
}

/* Add to fi the members that the groups declare. */
static int
build_members(struct rta_drift *d, uint32_t fi, const struct groups *gs)
{
	const struct rta_sprop *sp;
	size_t g, i, k;
	uint32_t c;
	int declares = 0;

	for (g = 0; g < gs->n; g++)
		for (i = 0; i < gs->g[g].len; i++) {
			const struct rta_snode *x = gs->g[g].n[i];

			if (x->additional != NULL &&
			    (x->additional->kw & RTA_SK_FALSE))
				declares = 1;
			else if (x->additional != NULL)
				d->f[fi].free = 1;	/* all have a schema */
			for (k = 0; k < x->nprops; k++) {
				sp = &x->props[k];
				if (!(sp->flags & (RTA_SP_DECLARED |
				    RTA_SP_REQUIRED)))
					continue;
				declares = 1;
				if (child(d, fi, sp->key, sp->klen) != NONE)
					continue;
				if ((c = field_new(d, fi, sp->key,
				    sp->klen)) == NONE - 1)
					return -1;
			}
		}
	if (!declares)
		d->f[fi].free = 1;
	for (c = d->f[fi].first_child; c != NONE; c = d->f[c].next_sibling)
		if (member_types(d, c, gs) != 0)
			return -1;
	return 0;
}

/*
 * The "*" child of fi, with a group of declarations for each place in a
 * group of nodes: each index of prefixItems, and items past them.
 */
static int
build_items(struct rta_drift *d, uint32_t fi, const struct groups *gs)
{
	const struct rta_snode *it;
	size_t g, i, j, maxp;
	uint32_t c = NONE;
	unsigned t;
	int started;

	for (g = 0; g < gs->n; g++) {
		for (maxp = 0, i = 0; i < gs->g[g].len; i++)
			if (gs->g[g].n[i]->nprefix > maxp)
				maxp = gs->g[g].n[i]->nprefix;
		for (j = 0; j <= maxp; j++) {
			started = 0;
			t = RTA_ST_ALL;
			for (i = 0; i < gs->g[g].len; i++) {
				const struct rta_snode *x = gs->g[g].n[i];

				it = j < x->nprefix ? x->prefix[j] : x->items;
				if (it == NULL)
					continue;
				if (c == NONE &&
				    (c = field_new(d, fi, "*", 1)) == NONE)
					return 0;
				if (c == NONE - 1 || (!started &&
				    decl_begin(&d->f[c]) != 0) ||
				    decl_add(&d->f[c], it) != 0)
					return -1;
				started = 1;
				t &= types_of_node(it);
			}
			if (started)
				d->f[c].types |= t;
		}
	}
	return 0;
}

static int
build(struct rta_drift *d, uint32_t fi, unsigned depth)
{
	struct groups *gs;
	uint32_t c;
	int rc = -1;

	if (depth >= RTA_DRIFT_MAX_DEPTH || (fi != 0 && recursive(d, fi))) {
		d->f[fi].free = 1;
		return 0;
	}
	if ((gs = rta_malloc(sizeof(*gs))) == NULL)
		return -1;
	groups_of(gs, d->f[fi].decl, d->f[fi].ndecl);
	if (d->f[fi].types & RTA_ST_OBJECT) {
		if (build_members(d, fi, gs) != 0)
			goto out;
	} else
		d->f[fi].free = 1;
	if ((d->f[fi].types & RTA_ST_ARRAY) &&
	    build_items(d, fi, gs) != 0)
		goto out;
	rta_free(gs);
	gs = NULL;
	for (c = d->f[fi].first_child; c != NONE; c = d->f[c].next_sibling)
		if (d->f[c].ndecl > 0 && build(d, c, depth + 1) != 0)
			goto out;
		else if (d->f[c].ndecl == 0)
			d->f[c].free = 1;
	rc = 0;
out:
	rta_free(gs);
	return rc;
}

struct byname {
	const char	*path;
	uint32_t	 i;
};

static int
cmp_byname(const void *a, const void *b)
{
	return strcmp(((const struct byname *)a)->path,
	    ((const struct byname *)b)->path);
}

/* The fields in path order, for reporting. */
static int
order_fields(struct rta_drift *d)
{
	struct byname *t;
	uint32_t i;

	if ((d->order = rta_calloc(d->nf, sizeof(*d->order))) == NULL ||
	    (t = rta_calloc(d->nf, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i < d->nf; i++) {
		t[i].path = d->f[i].path;
		t[i].i = i;
	}
	qsort(t, d->nf, sizeof(*t), cmp_byname);
	for (i = 0; i < d->nf; i++)
		d->order[i] = t[i].i;
	rta_free(t);
	return 0;
}

int
rta_drift_init(struct rta_drift *d, const struct rta_schema *s)
{
	memset(d, 0, sizeof(*d));
	rta_buf_init(&d->path);
	d->schema = s;
	d->f = rta_calloc(RTA_DRIFT_MAX_FIELDS, sizeof(*d->f));
	d->u = rta_calloc(RTA_DRIFT_MAX_UNDECLARED, sizeof(*d->u));
	if (d->f == NULL || d->u == NULL)
		goto fail;
	if (field_new(d, NONE, "", 0) != 0 ||
	    decl_add(&d->f[0], s->root) != 0)
		goto fail;
	d->f[0].types = types_of_node(s->root);
	if (build(d, 0, 0) != 0 || order_fields(d) != 0)
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
		for (i = 0; i < d->nf; i++) {
			rta_free(d->f[i].path);
			rta_free(d->f[i].decl);
		}
	if (d->u != NULL)
		for (i = 0; i < d->nu; i++)
			rta_free(d->u[i].path);
	rta_free(d->f);
	rta_free(d->u);
	rta_free(d->order);
	rta_buf_release(&d->path);
	memset(d, 0, sizeof(*d));
}

/* ------------------------------------------------------------ counting */

/* Whether a patternProperties of a node that applies at fi matches k. */
static int
matches_pattern(const struct rta_drift *d, uint32_t fi, const char *k,
    size_t kl)
{
	const struct rta_drift_field *f = &d->f[fi];
	struct rta_sparts p;
	size_t i, j, m;

	for (m = 0; m < f->ndecl; m++) {
		rta_sparts_of(&p, f->decl[m]);
		/* and the branches, as for the members declared */
		for (i = 0; i < p.len; i++) {
			const struct rta_snode *x = p.n[i];

			for (j = 0; j < x->nany_of; j++)
				rta_sparts_add(&p, x->any_of[j]);
			for (j = 0; j < x->none_of; j++)
				rta_sparts_add(&p, x->one_of[j]);
			rta_sparts_add(&p, x->then_);
			rta_sparts_add(&p, x->else_);
			for (j = 0; j < x->nprops; j++)
				rta_sparts_add(&p, x->props[j].dep_schema);
		}
		for (i = 0; i < p.len; i++)
			for (j = 0; j < p.n[i]->npatterns; j++)
				if (rta_regex_search(p.n[i]->patterns[j].re,
				    k, kl))
					return 1;
	}
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
	d->u[d->nu].parent = fi;
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
		x.of = d->f[d->u[i].parent].as_container;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	for (i = 0; i < d->nf; i++) {
		if ((f = &d->f[d->order[i]]) == d->f)
			continue;
		p = &d->f[f->parent];
		if (f->present != 0 || p->as_container == 0)
			continue;
		memset(&x, 0, sizeof(x));
		x.kind = RTA_DRIFT_NEVER_SEEN;
		x.path = f->path;
		x.node = f->node;
		x.of = p->as_container;
		x.types = f->types;
		x.required = f->required;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	for (i = 0; i < d->nf; i++) {
		f = &d->f[d->order[i]];
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
		x.required = f->required;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	for (i = 0; i < d->nf; i++) {
		if ((f = &d->f[d->order[i]]) == d->f)
			continue;
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
		x.types = f->types;
		x.required = f->required;
		if ((r = fn(arg, &x)) != 0)
			return r;
	}
	return 0;
}
