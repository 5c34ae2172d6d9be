/*
 * rta_store_sort.c: the order of a scanned bucket's records
 * (rta_store_int.h).
 *
 * A log holds its bucket's records in the order they came; a scan
 * returns them by tenant, then time.  Comparison sorts of millions of
 * 64-byte entries spent most of a rollup's time comparing bytes and
 * moving entries, and a radix sort of (tenant rank, time) keys most of
 * it in passes over keys larger than the cache.  Instead: the bucket's
 * distinct tenants are ranked (a hash table that grows with the tenants
 * found, not with the entries, so that it stays in the cache; then a
 * sort of the few names), the entries are moved once into their
 * tenant's run (a counting sort, which keeps the log's order inside a
 * run), and each run, which a log holds nearly in time order already,
 * is finished by insertion; a run that is far from ordered (more moves
 * than MOVES an entry) is sorted by qsort instead, so that no input
 * costs quadratic time.
 *
 * With two threads each pass is divided: each finds the tenants of half
 * the entries, then counts and moves them (the first half's entries of
 * a tenant before the second's, so that a run keeps the log's order),
 * and finishes the runs of half the tenants.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_hash.h"
#include "rta_store_int.h"

#define SMALL		512	/* fewer entries: qsort */
#define MOVES		8	/* insertion moves an entry, then qsort */

uint64_t
rta_scan_prefix_key(const char *s, size_t len)
{
	uint64_t k = 0;
	size_t i;

	if (len >= 8) {
		memcpy(&k, s, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		k = __builtin_bswap64(k);
#endif
		return k;
	}
	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		k = k << 8 | (unsigned char)s[i];
	return k << (8 * (8 - len));
}

/* (rta_store_int.h) */
int
rta_bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c;
	return al < bl ? -1 : al > bl;
}

/*
 * Where two prefix keys differ, the first byte that differs is a byte of
 * both, or a byte of one (never 0 there: it differs from the padding)
 * against the other's end, which orders the shorter first, as
 * rta_bytes_cmp does; equal keys fall back to it.
 */
int
rta_scan_ent_cmp(const void *pa, const void *pb)
{
	const struct scan_ent *a = pa, *b = pb;
	int c;

	if (a->tkey != b->tkey)
		return a->tkey < b->tkey ? -1 : 1;
	if ((a->tlen > 8 || b->tlen > 8 || a->tlen != b->tlen) &&
	    (c = rta_bytes_cmp(scan_ent_tenant(a), a->tlen,
	    scan_ent_tenant(b), b->tlen)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->ikey != b->ikey)
		return a->ikey < b->ikey ? -1 : 1;
	if ((a->idlen > 8 || b->idlen > 8 || a->idlen != b->idlen) &&
	    (c = rta_bytes_cmp(scan_ent_id(a), a->idlen, scan_ent_id(b),
	    b->idlen)) != 0)
		return c;
	/* versions of one record: the one to keep last */
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	if (a->map != b->map)
		return a->map < b->map ? -1 : 1;
	/* frames of one map: by where they lie */
	return a->frame < b->frame ? -1 : a->frame > b->frame;
}

/* A distinct tenant in a hash table. */
struct tslot {
	uint64_t	 tkey;		/* rta_scan_prefix_key of the name */
	uint32_t	 d;		/* distinct index + 1; 0: empty */
	uint8_t		 tlen;
};

struct tname {
	const char	*s;
	uint32_t	 d;
	uint8_t		 len;
};

/* The distinct tenants of some entries. */
struct tenants {
	struct tslot	*slot;
	size_t		 nslot;
	struct tname	*names;
	size_t		 n, cap;
	uint64_t	 seed;
};

static int
cmp_name(const void *a, const void *b)
{
	const struct tname *x = a, *y = b;

	return rta_bytes_cmp(x->s, x->len, y->s, y->len);
}

static void
tenants_release(struct tenants *t)
{
	rta_free(t->slot);
	rta_free(t->names);
	memset(t, 0, sizeof(*t));
}

/*
 * A tenant's hash.  A name of 8 bytes or fewer is all in its prefix key,
 * which is hashed instead of the name: the name lies in the frame, which
 * the sort would otherwise read again (a cache miss each entry).
 */
static inline uint64_t
tenant_hash(const char *s, uint8_t len, uint64_t tkey, uint64_t seed)
{
	unsigned char b[8];

	if (len > 8)
		return rta_hash64(s, len, seed);
	memcpy(b, &tkey, 8);
	return rta_hash64(b, 8, seed + len);
}

/* The distinct index of tenant s[0..len) (prefix key tkey), added if
 * new: 0 and *d, or -1 (ENOMEM).  s is read only when longer than 8. */
static int
tenants_get(struct tenants *t, const char *s, uint8_t len, uint64_t tkey,
    uint32_t *d)
{
	struct tslot *ns;
	struct tname *nn;
	size_t j, k, mask;
	uint64_t h;

	if (t->slot == NULL) {
		t->nslot = 1024;
		if ((t->slot = rta_calloc(t->nslot, sizeof(*t->slot))) ==
		    NULL)
			return -1;
	}
	mask = t->nslot - 1;
	h = tenant_hash(s, len, tkey, t->seed);
	for (j = h & mask; t->slot[j].d != 0; j = (j + 1) & mask)
		if (t->slot[j].tkey == tkey && t->slot[j].tlen == len &&
		    (len <= 8 || memcmp(t->names[t->slot[j].d - 1].s, s,
		    len) == 0)) {
			*d = t->slot[j].d - 1;
			return 0;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		if ((nn = rta_reallocarray(t->names, t->cap, sizeof(*nn))) ==
		    NULL)
			return -1;
		t->names = nn;
	}
	t->names[t->n].s = s;
	t->names[t->n].len = len;
	t->names[t->n].d = (uint32_t)t->n;
	t->slot[j].tkey = tkey;
	t->slot[j].tlen = len;
	t->slot[j].d = (uint32_t)++t->n;
	*d = (uint32_t)(t->n - 1);
	if (t->n * 2 <= t->nslot)
		return 0;
	/* half full: double it */
	if ((ns = rta_calloc(t->nslot * 2, sizeof(*ns))) == NULL)
		return -1;
	mask = t->nslot * 2 - 1;
	for (k = 0; k < t->nslot; k++) {
		if (t->slot[k].d == 0)
			continue;
		h = tenant_hash(t->names[t->slot[k].d - 1].s,
		    t->slot[k].tlen, t->slot[k].tkey, t->seed);
		for (j = h & mask; ns[j].d != 0; j = (j + 1) & mask)
			;
		ns[j] = t->slot[k];
	}
	rta_free(t->slot);
	t->slot = ns;
	t->nslot *= 2;
	return 0;
}

/* a against b, entries of one tenant */
static inline int
within_cmp(const struct scan_ent *a, const struct scan_ent *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->ikey != b->ikey)
		return a->ikey < b->ikey ? -1 : 1;
	return rta_scan_ent_cmp(a, b);
}

/* Order one tenant's run o[0..n), which is usually nearly in order. */
static void
run_sort(struct scan_ent *o, size_t n)
{
	struct scan_ent t;
	size_t i, j, moves = 0, budget = n * MOVES + 64;

	for (i = 1; i < n; i++) {
		if (within_cmp(&o[i - 1], &o[i]) < 0)
			continue;
		t = o[i];
		for (j = i; j > 0 && within_cmp(&o[j - 1], &t) > 0; j--)
			o[j] = o[j - 1];
		o[j] = t;
		if ((moves += i - j) > budget) {
			qsort(o, n, sizeof(*o), rta_scan_ent_cmp);
			return;
		}
	}
}

#define PARTS_MAX	2

/* One thread's share of the sort. */
struct part {
	const struct scan_ent	*v;
	size_t			 lo, hi;	/* its entries */
	uint32_t		*r;		/* per entry (r[lo] to
						 * r[hi - 1]), its tenant
						 * (distinct, then rank) */
	struct tenants		 t;
	uint32_t		*rank;		/* distinct index: rank */
	size_t			*pos;		/* rank: count, then where
						 * the next entry goes */
	size_t			 nt;
	struct scan_ent		*o;
	const size_t		*end;		/* shared: rank: end of run */
	size_t			 tlo, thi;	/* its runs */
	int			 rc;
};

typedef void (*pass_fn)(struct part *);

struct job {
	pass_fn		 fn;
	struct part	*p;
};

static void *
pass_main(void *arg)
{
	struct job *j = arg;

	j->fn(j->p);
	return NULL;
}

/* Run fn on each of the np parts, the first in this thread, the others
 * on threads of their own when threads allows. */
static void
pass(pass_fn fn, struct part *pv, size_t np, unsigned threads)
{
	pthread_t tid[PARTS_MAX];
	struct job job[PARTS_MAX];
	int started[PARTS_MAX] = { 0 };
	size_t i;

	for (i = 1; i < np; i++) {
		job[i].fn = fn;
		job[i].p = &pv[i];
		started[i] = threads > 1 && pthread_create(&tid[i], NULL,
		    pass_main, &job[i]) == 0;
		if (!started[i])
			fn(&pv[i]);
	}
	fn(&pv[0]);
	for (i = 1; i < np; i++)
		if (started[i])
			(void)pthread_join(tid[i], NULL);
}

static void
pass_tenants(struct part *p)
{
	size_t i;

	for (i = p->lo; i < p->hi; i++)
		if (tenants_get(&p->t, scan_ent_tenant(&p->v[i]), p->v[i].tlen,
		    p->v[i].tkey, &p->r[i]) != 0) {
			p->rc = -1;
			return;
		}
}

static void
pass_count(struct part *p)
{
	size_t i;

	for (i = p->lo; i < p->hi; i++)
		p->pos[p->r[i] = p->rank[p->r[i]]]++;
}

static void
pass_move(struct part *p)
{
	size_t i;

	for (i = p->lo; i < p->hi; i++)
		p->o[p->pos[p->r[i]]++] = p->v[i];
}

static void
pass_runs(struct part *p)
{
	size_t t, s = p->tlo > 0 ? p->end[p->tlo - 1] : 0;

	for (t = p->tlo; t < p->thi; t++) {
		run_sort(p->o + s, p->end[t] - s);
		s = p->end[t];
	}
}

/*
 * The tenants of every part as one list, ranked by name: each part's
 * rank[d] for its distinct tenant d.  *nt: how many.  -1: ENOMEM.
 */
static int
rank_all(struct part *pv, size_t np, size_t *nt)
{
	struct tenants *all = &pv[0].t;
	uint32_t *g[PARTS_MAX] = { NULL }, *rank = NULL;
	size_t i, k, n;
	int rc = -1;

	/* g[i][d]: part i's distinct d in part 0's list, which takes in
	 * the others' names */
	for (i = 0; i < np; i++) {
		n = pv[i].t.n;
		if ((g[i] = rta_reallocarray(NULL, n ? n : 1,
		    sizeof(*g[i]))) == NULL)
			goto out;
		for (k = 0; k < n; k++)
			if (i == 0)
				g[0][k] = (uint32_t)k;
			else if (tenants_get(all, pv[i].t.names[k].s,
			    pv[i].t.names[k].len, rta_scan_prefix_key(
			    pv[i].t.names[k].s, pv[i].t.names[k].len),
			    &g[i][k]) != 0)
				goto out;
	}
	n = all->n;
	if ((rank = rta_reallocarray(NULL, n ? n : 1, sizeof(*rank))) ==
	    NULL)
		goto out;
	qsort(all->names, n, sizeof(*all->names), cmp_name);
	for (k = 0; k < n; k++)
		rank[all->names[k].d] = (uint32_t)k;
	for (i = 0; i < np; i++) {
		if ((pv[i].rank = rta_reallocarray(NULL, pv[i].t.n ?
		    pv[i].t.n : 1, sizeof(*pv[i].rank))) == NULL)
			goto out;
		for (k = 0; k < pv[i].t.n; k++)
			pv[i].rank[k] = rank[g[i][k]];
	}
	*nt = n;
	rc = 0;
out:
	for (i = 0; i < np; i++)
		rta_free(g[i]);
	rta_free(rank);
	return rc;
}

/* v[0..n) and v2[0..n2) in one new array, sorted by qsort. */
static int
sort_joined(const struct scan_ent *v, size_t n, const struct scan_ent *v2,
    size_t n2, struct scan_ent **out)
{
	struct scan_ent *o;

	if ((o = rta_reallocarray(NULL, n + n2, sizeof(*o))) == NULL)
		return -1;
	if (n > 0)
		memcpy(o, v, n * sizeof(*o));
	if (n2 > 0)
		memcpy(o + n, v2, n2 * sizeof(*o));
	qsort(o, n + n2, sizeof(*o), rta_scan_ent_cmp);
	*out = o;
	return 0;
}

int
rta_scan_sort(struct scan_ent *v, size_t n, struct scan_ent *v2, size_t n2,
    unsigned threads, struct scan_ent **out)
{
	struct part pv[PARTS_MAX];
	struct scan_ent *o = NULL;
	uint32_t *r = NULL;
	size_t *end = NULL, np, nt = 0, i, t, s, c, half, all = n + n2;
	uint64_t seed = rta_hash_seed();
	int rc = -1;

	*out = NULL;
	if (all < SMALL || all > UINT32_MAX) {
		if (n2 > 0)
			return sort_joined(v, n, v2, n2, out);
		qsort(v, n, sizeof(*v), rta_scan_ent_cmp);
		return 0;
	}
	memset(pv, 0, sizeof(pv));
	if ((r = rta_reallocarray(NULL, all, sizeof(*r))) == NULL)
		return -1;
	if (n2 > 0) {
		/* the halves a divided walk collected */
		np = 2;
		pv[0].v = v;
		pv[0].hi = n;
		pv[0].r = r;
		pv[1].v = v2;
		pv[1].hi = n2;
		pv[1].r = r + n;
	} else {
		np = threads >= 2 && n >= SMALL * 64 ? 2 : 1;
		for (i = 0; i < np; i++) {
			pv[i].v = v;
			pv[i].lo = n / np * i;
			pv[i].hi = i + 1 == np ? n : n / np * (i + 1);
			pv[i].r = r;
		}
	}
	for (i = 0; i < np; i++)
		pv[i].t.seed = seed;
	pass(pass_tenants, pv, np, threads);
	for (i = 0; i < np; i++)
		if (pv[i].rc != 0)
			goto out;
	if (rank_all(pv, np, &nt) != 0)
		goto out;
	for (i = 0; i < np; i++)
		if ((pv[i].pos = rta_calloc(nt ? nt : 1,
		    sizeof(*pv[i].pos))) == NULL)
			goto out;
	if ((end = rta_reallocarray(NULL, nt ? nt : 1, sizeof(*end))) ==
	    NULL || (o = rta_reallocarray(NULL, all, sizeof(*o))) == NULL)
		goto out;
	pass(pass_count, pv, np, threads);
	/* a tenant's run: the first part's entries, then the next's */
	for (t = 0, s = 0; t < nt; t++) {
		for (i = 0; i < np; i++) {
			c = pv[i].pos[t];
			pv[i].pos[t] = s;
			s += c;
		}
		end[t] = s;
	}
	for (i = 0; i < np; i++)
		pv[i].o = o;
	pass(pass_move, pv, np, threads);
	/* the runs, divided where about half the entries lie before */
	for (t = 0; np > 1 && t < nt && end[t] < all / 2; t++)
		;
	half = np > 1 ? t : nt;
	for (i = 0; i < np; i++) {
		pv[i].end = end;
		pv[i].tlo = i == 0 ? 0 : half;
		pv[i].thi = i == 0 ? half : nt;
	}
	pass(pass_runs, pv, np, threads);
	*out = o;
	o = NULL;
	rc = 0;
out:
	for (i = 0; i < np; i++) {
		tenants_release(&pv[i].t);
		rta_free(pv[i].rank);
		rta_free(pv[i].pos);
	}
	rta_free(r);
	rta_free(end);
	rta_free(o);
	return rc;
}
