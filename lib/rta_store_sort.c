/*
 * rta_store_sort.c: the order of a scanned bucket's records
 * (rta_store_int.h).
 *
 * A log holds its bucket's records in the order they came; a scan
 * returns them by tenant, then time.  Comparison sorts of millions of
 * 64-byte entries spent most of a rollup's time comparing bytes and
 * moving entries.  Instead: the bucket's distinct tenants are ranked
 * (a hash table, then a sort of the few names), each entry gets one
 * 64-bit key, its tenant's rank above its time's offset in the bucket,
 * and an LSD radix sort orders the keys with their entries' indices;
 * entries with equal keys (a tenant's records of one instant) are then
 * put in order by the full comparison, and the entries moved once.
 */
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_hash.h"
#include "rta_store_int.h"

#define OFF_BITS	37	/* µs offsets in a bucket: up to 38 hours */
#define SMALL		512	/* fewer entries: qsort */

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

struct kv {
	uint64_t	 k;
	uint32_t	 i;
};

/* The distinct tenants, for ranking. */
struct tenants {
	uint32_t	*slot;		/* first entry of the tenant + 1 */
	size_t		 nslot;
	uint32_t	*first;		/* distinct: an entry of each */
	size_t		 n;
};

static const struct scan_ent *rank_v;

static int
cmp_first(const void *a, const void *b)
{
	const struct scan_ent *x = &rank_v[*(const uint32_t *)a];
	const struct scan_ent *y = &rank_v[*(const uint32_t *)b];

	return rta_bytes_cmp(x->tenant, x->tlen, y->tenant, y->tlen);
}

/* rank[i]: the rank of entry i's tenant among the bucket's.  -1: ENOMEM. */
static int
ranks(const struct scan_ent *v, size_t n, uint32_t *rank, unsigned *bits)
{
	struct tenants t;
	uint32_t *which, *r;
	uint64_t h, seed = rta_hash_seed();
	size_t i, j;

	t.nslot = 64;
	while (t.nslot < n * 2 && t.nslot < ((size_t)1 << 30))
		t.nslot *= 2;
	t.n = 0;
	t.slot = rta_calloc(t.nslot, sizeof(*t.slot));
	t.first = rta_reallocarray(NULL, n, sizeof(*t.first));
	which = rta_reallocarray(NULL, n, sizeof(*which));
	if (t.slot == NULL || t.first == NULL || which == NULL) {
		rta_free(t.slot);
		rta_free(t.first);
		rta_free(which);
		return -1;
	}
	for (i = 0; i < n; i++) {
		h = rta_hash64(v[i].tenant, v[i].tlen, seed);
		for (j = h & (t.nslot - 1); t.slot[j] != 0;
		    j = (j + 1) & (t.nslot - 1)) {
			const struct scan_ent *e = &v[t.first[t.slot[j] - 1]];

			if (e->tkey == v[i].tkey && e->tlen == v[i].tlen &&
			    (e->tlen <= 8 || memcmp(e->tenant, v[i].tenant,
			    e->tlen) == 0))
				break;
		}
		if (t.slot[j] == 0) {
			t.first[t.n] = (uint32_t)i;
			t.slot[j] = (uint32_t)++t.n;
		}
		which[i] = t.slot[j] - 1;
	}
	rta_free(t.slot);
	/* order the distinct tenants; r[d]: the rank of distinct d */
	if ((r = rta_reallocarray(NULL, t.n, sizeof(*r))) == NULL) {
		rta_free(t.first);
		rta_free(which);
		return -1;
	}
	{
		uint32_t *ord;

		if ((ord = rta_reallocarray(NULL, t.n, sizeof(*ord))) == NULL) {
			rta_free(r);
			rta_free(t.first);
			rta_free(which);
			return -1;
		}
		for (i = 0; i < t.n; i++)
			ord[i] = t.first[i];
		/* qsort has no context argument in C11 */
		rank_v = v;
		qsort(ord, t.n, sizeof(*ord), cmp_first);
		rank_v = NULL;
		/* ord[k] is an entry; map its distinct index to k */
		for (i = 0; i < t.n; i++)
			r[which[ord[i]]] = (uint32_t)i;
		rta_free(ord);
	}
	for (i = 0; i < n; i++)
		rank[i] = r[which[i]];
	for (*bits = 0; ((uint64_t)1 << *bits) < t.n; (*bits)++)
		;
	rta_free(r);
	rta_free(t.first);
	rta_free(which);
	return 0;
}

/* LSD radix sort of a[0..n) by the low bits of k, 8 at a time, with b
 * as scratch: the array that holds the result. */
static struct kv *
radix_sort(struct kv *a, struct kv *b, size_t n, unsigned bits)
{
	size_t count[256], i, sum, c;
	unsigned shift;
	struct kv *t;

	for (shift = 0; shift < bits; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[a[i].k >> shift & 0xff]++;
		if (count[a[0].k >> shift & 0xff] == n)
			continue;	/* one digit: nothing moves */
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[count[a[i].k >> shift & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	return a;
}

int
rta_scan_sort(struct scan_ent *v, size_t n, int64_t bucket, int64_t width,
    struct scan_ent **out)
{
	struct kv *a, *b, *res;
	struct scan_ent *o;
	uint32_t *rank;
	unsigned bits;
	size_t i, j, k;

	*out = NULL;
	/* past 2^29 entries the tenant table would not fit its cap */
	if (n < SMALL || n > ((size_t)1 << 29) || width <= 0 ||
	    width > ((int64_t)1 << OFF_BITS)) {
		qsort(v, n, sizeof(*v), rta_scan_ent_cmp);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (v[i].ts < bucket || v[i].ts - bucket >= width) {
			qsort(v, n, sizeof(*v), rta_scan_ent_cmp);
			return 0;
		}
	if ((rank = rta_reallocarray(NULL, n, sizeof(*rank))) == NULL)
		return -1;
	if (ranks(v, n, rank, &bits) != 0) {
		rta_free(rank);
		return -1;
	}
	if (OFF_BITS + bits > 64) {
		/* more tenants than the key's high bits can rank */
		rta_free(rank);
		qsort(v, n, sizeof(*v), rta_scan_ent_cmp);
		return 0;
	}
	a = rta_reallocarray(NULL, n, sizeof(*a));
	b = rta_reallocarray(NULL, n, sizeof(*b));
	o = rta_reallocarray(NULL, n, sizeof(*o));
	if (a == NULL || b == NULL || o == NULL) {
		rta_free(rank);
		rta_free(a);
		rta_free(b);
		rta_free(o);
		return -1;
	}
	for (i = 0; i < n; i++) {
		a[i].k = (uint64_t)rank[i] << OFF_BITS |
		    (uint64_t)(v[i].ts - bucket);
		a[i].i = (uint32_t)i;
	}
	rta_free(rank);
	res = radix_sort(a, b, n, OFF_BITS + bits);
	/* the entries in key order; equal keys by the full comparison */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && res[j].k == res[i].k; j++)
			;
		for (k = i; k < j; k++)
			o[k] = v[res[k].i];
		if (j - i > 1)
			qsort(o + i, j - i, sizeof(*o), rta_scan_ent_cmp);
	}
	rta_free(a);
	rta_free(b);
	*out = o;
	return 0;
}
