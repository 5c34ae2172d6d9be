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
 */
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

	for (i = 0; i < 8; i++)
		k = k << 8 | (i < len ? (unsigned char)s[i] : 0);
	return k;
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
	    (c = rta_bytes_cmp(a->tenant, a->tlen, b->tenant, b->tlen)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->ikey != b->ikey)
		return a->ikey < b->ikey ? -1 : 1;
	if ((a->idlen > 8 || b->idlen > 8 || a->idlen != b->idlen) &&
	    (c = rta_bytes_cmp(a->id, a->idlen, b->id, b->idlen)) != 0)
		return c;
	/* versions of one record: the one to keep last */
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	if (a->map != b->map)
		return a->map < b->map ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

/* A distinct tenant in the hash table. */
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

static int
cmp_name(const void *a, const void *b)
{
	const struct tname *x = a, *y = b;

	return rta_bytes_cmp(x->s, x->len, y->s, y->len);
}

static uint64_t
tenant_hash(const struct scan_ent *e, uint64_t seed)
{
	return rta_hash64(e->tenant, e->tlen, seed);
}

/*
 * r[i]: the rank, by name, of entry i's tenant among the bucket's; *nt:
 * how many there are.  -1: ENOMEM.
 */
static int
ranks(const struct scan_ent *v, size_t n, uint32_t *r, size_t *nt)
{
	struct tslot *slot = NULL, *ns;
	struct tname *names = NULL, *nn;
	uint32_t *rank;
	uint64_t seed = rta_hash_seed(), h;
	size_t nslot = 1024, ndist = 0, namecap = 0, i, j, k;

	if ((slot = rta_calloc(nslot, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const struct scan_ent *e = &v[i];

		h = tenant_hash(e, seed);
		for (j = h & (nslot - 1); slot[j].d != 0; j = (j + 1) &
		    (nslot - 1)) {
			const struct tname *t = &names[slot[j].d - 1];

			if (slot[j].tkey == e->tkey && slot[j].tlen ==
			    e->tlen && (e->tlen <= 8 || memcmp(t->s,
			    e->tenant, e->tlen) == 0))
				break;
		}
		if (slot[j].d != 0) {
			r[i] = slot[j].d - 1;
			continue;
		}
		if (ndist == namecap) {
			namecap = namecap ? namecap * 2 : 256;
			if ((nn = rta_reallocarray(names, namecap,
			    sizeof(*nn))) == NULL)
				goto nomem;
			names = nn;
		}
		names[ndist].s = e->tenant;
		names[ndist].len = e->tlen;
		names[ndist].d = (uint32_t)ndist;
		slot[j].tkey = e->tkey;
		slot[j].tlen = e->tlen;
		slot[j].d = (uint32_t)++ndist;
		r[i] = (uint32_t)(ndist - 1);
		if (ndist * 2 <= nslot)
			continue;
		/* half full: double it */
		if ((ns = rta_calloc(nslot * 2, sizeof(*ns))) == NULL)
			goto nomem;
		for (k = 0; k < nslot; k++) {
			if (slot[k].d == 0)
				continue;
			h = rta_hash64(names[slot[k].d - 1].s, slot[k].tlen,
			    seed);
			for (j = h & (nslot * 2 - 1); ns[j].d != 0;
			    j = (j + 1) & (nslot * 2 - 1))
				;
			ns[j] = slot[k];
		}
		rta_free(slot);
		slot = ns;
		nslot *= 2;
	}
	rta_free(slot);
	slot = NULL;
	/* order the distinct names; rank[d]: the rank of distinct d */
	if ((rank = rta_reallocarray(NULL, ndist, sizeof(*rank))) == NULL)
		goto nomem;
	qsort(names, ndist, sizeof(*names), cmp_name);
	for (k = 0; k < ndist; k++)
		rank[names[k].d] = (uint32_t)k;
	for (i = 0; i < n; i++)
		r[i] = rank[r[i]];
	rta_free(rank);
	rta_free(names);
	*nt = ndist;
	return 0;
nomem:
	rta_free(slot);
	rta_free(names);
	return -1;
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

int
rta_scan_sort(struct scan_ent *v, size_t n, struct scan_ent **out)
{
	struct scan_ent *o;
	uint32_t *r;
	size_t *pos, nt, i, s, c;

	*out = NULL;
	if (n < SMALL || n > UINT32_MAX) {
		qsort(v, n, sizeof(*v), rta_scan_ent_cmp);
		return 0;
	}
	if ((r = rta_reallocarray(NULL, n, sizeof(*r))) == NULL)
		return -1;
	if (ranks(v, n, r, &nt) != 0) {
		rta_free(r);
		return -1;
	}
	pos = rta_calloc(nt, sizeof(*pos));
	o = rta_reallocarray(NULL, n, sizeof(*o));
	if (pos == NULL || o == NULL) {
		rta_free(r);
		rta_free(pos);
		rta_free(o);
		return -1;
	}
	/* pos[t]: tenant t's entries, then where its run starts */
	for (i = 0; i < n; i++)
		pos[r[i]]++;
	for (i = 0, s = 0; i < nt; i++) {
		c = pos[i];
		pos[i] = s;
		s += c;
	}
	/* move the entries; pos[t] ends as where tenant t's run ends */
	for (i = 0; i < n; i++)
		o[pos[r[i]]++] = v[i];
	rta_free(r);
	for (i = 0, s = 0; i < nt; i++) {
		run_sort(o + s, pos[i] - s);
		s = pos[i];
	}
	rta_free(pos);
	*out = o;
	return 0;
}
