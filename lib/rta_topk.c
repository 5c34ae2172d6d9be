/*
 * rta_topk.c: Space-Saving top-k with a binary heap and a hash index.
 *
 * The counters live in slot[0..n); heap[0..n) holds their numbers as a
 * binary heap whose root is the counter replaced next: the smallest
 * count, and among equal counts the largest item bytes, a strict total
 * order because items are distinct.  tab is a linear-probing index from
 * an item's hash to its slot (slot number + 1; 0 is empty), kept at most
 * half full; removals shift later entries of a run back, so there are no
 * tombstones.  Weights may be large, so a count can jump over many
 * others: the heap's O(log n) sift handles that where the stream-summary
 * lists would walk.
 *
 * Slots [n, nalloc) keep their item buffers across a reset, and a slot
 * whose item is replaced reuses its buffer when the new item fits, so a
 * stream of distinct items does not allocate once every counter has
 * held an item as long as the new one.  Every allocation an operation
 * needs is made before the state changes, so a failure leaves the
 * sketch as it was.
 *
 * Merges and decodes build a new sketch with put(), which only appends
 * (the caller has checked the item is new and made room), and order the
 * heap once at the end.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_hash.h"
#include "rta_topk.h"
#include "rta_utf8.h"

#define MIN_TAB		4U

/* A slot, its heap entry and its share of a table at most 4 words per
 * slot (tab is the smallest power of two >= 2 * slots) fit the bound. */
_Static_assert(sizeof(struct rta_topk_slot) + 4 + 4 * 4 <= RTA_TOPK_OVERHEAD,
    "per-counter overhead above RTA_TOPK_OVERHEAD");

/* Lexicographic byte order, a proper prefix first. */
static int
itemcmp(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	size_t m = alen < blen ? alen : blen;
	int c = m > 0 ? memcmp(a, b, m) : 0;

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static uint32_t
hash_of(const void *item, size_t len)
{
	return (uint32_t)rta_hash64(item, len, rta_hash_seed());
}

/* Slot a comes after slot b in the top order (a is replaced first). */
static int
after(const struct rta_topk *t, uint32_t a, uint32_t b)
{
	const struct rta_topk_slot *x = &t->slot[a], *y = &t->slot[b];

	if (x->count != y->count)
		return x->count < y->count;
	return itemcmp(x->item, x->len, y->item, y->len) > 0;
}

/* ---- heap --------------------------------------------------------------- */

static void
sift_down(struct rta_topk *t, uint32_t i)
{
	uint32_t x = t->heap[i], c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= t->n)
			break;
		if (c + 1 < t->n && after(t, t->heap[c + 1], t->heap[c]))
			c++;
		if (!after(t, t->heap[c], x))
			break;
		t->heap[i] = t->heap[c];
		t->slot[t->heap[i]].hpos = i;
		i = c;
	}
	t->heap[i] = x;
	t->slot[x].hpos = i;
}

static void
sift_up(struct rta_topk *t, uint32_t i)
{
	uint32_t x = t->heap[i], p;

	while (i > 0) {
		p = (i - 1) / 2;
		if (!after(t, x, t->heap[p]))
			break;
		t->heap[i] = t->heap[p];
		t->slot[t->heap[i]].hpos = i;
		i = p;
	}
	t->heap[i] = x;
	t->slot[x].hpos = i;
}

static void
heapify(struct rta_topk *t)
{
	uint32_t i;

	for (i = t->n / 2; i-- > 0; )
		sift_down(t, i);
}

/* ---- index -------------------------------------------------------------- */

/* The index position holding item, or the empty one where it would go. */
static uint32_t
probe(const struct rta_topk *t, const void *item, size_t len, uint32_t h)
{
	uint32_t i, s;

	for (i = h & t->tmask;; i = (i + 1) & t->tmask) {
		if ((s = t->tab[i]) == 0)
			return i;
		s--;
		if (t->slot[s].hash == h && t->slot[s].len == len &&
		    (len == 0 || memcmp(t->slot[s].item, item, len) == 0))
			return i;
	}
}

/* The slot holding item, or -1. */
static int64_t
lookup(const struct rta_topk *t, const void *item, size_t len, uint32_t h)
{
	uint32_t i;

	if (t->tab == NULL)
		return -1;
	i = probe(t, item, len, h);
	return t->tab[i] == 0 ? -1 : (int64_t)t->tab[i] - 1;
}

static void
tab_insert(struct rta_topk *t, uint32_t s)
{
	uint32_t i;

	for (i = t->slot[s].hash & t->tmask; t->tab[i] != 0;
	    i = (i + 1) & t->tmask)
		;
	t->tab[i] = s + 1;
}

/* Take slot s out of the index, moving later entries of its run back. */
static void
tab_remove(struct rta_topk *t, uint32_t s)
{
	uint32_t i, j, home;

	for (i = t->slot[s].hash & t->tmask; t->tab[i] != s + 1;
	    i = (i + 1) & t->tmask)
		;
	for (j = (i + 1) & t->tmask; t->tab[j] != 0; j = (j + 1) & t->tmask) {
		home = t->slot[t->tab[j] - 1].hash & t->tmask;
		if (((j - home) & t->tmask) >= ((j - i) & t->tmask)) {
			t->tab[i] = t->tab[j];
			i = j;
		}
	}
	t->tab[i] = 0;
}

/* ---- room --------------------------------------------------------------- */

/* Room for want slots (at most the capacity), and an index for them. */
static int
reserve(struct rta_topk *t, uint32_t want)
{
	struct rta_topk_slot *ns;
	uint32_t *nh, *nt, size, i, old;

	if (want > t->nalloc) {
		if ((ns = rta_reallocarray(t->slot, want, sizeof(*ns))) ==
		    NULL)
			return -1;
		t->slot = ns;
		if ((nh = rta_reallocarray(t->heap, want, sizeof(*nh))) ==
		    NULL)
			return -1;
		t->heap = nh;
		for (i = t->nalloc; i < want; i++) {
			t->slot[i].item = NULL;
			t->slot[i].cap = 0;
		}
		t->nalloc = want;
	}
	old = t->tab != NULL ? t->tmask + 1 : 0;
	if ((uint64_t)want * 2 <= old)
		return 0;
	for (size = MIN_TAB; size < want * 2; size *= 2)
		;
	if ((nt = rta_calloc(size, sizeof(*nt))) == NULL)
		return -1;
	rta_free(t->tab);
	t->tab = nt;
	t->tmask = size - 1;
	for (i = 0; i < t->n; i++)
		tab_insert(t, i);
	return 0;
}

/* Room for one more slot, growing by doubling up to the capacity. */
static int
reserve_one(struct rta_topk *t)
{
	uint32_t want = t->nalloc;

	if (t->n == t->nalloc) {
		want = t->nalloc < MIN_TAB ? MIN_TAB : t->nalloc * 2;
		if (want > t->capacity)
			want = t->capacity;
	}
	return reserve(t, want > t->n + 1 ? want : t->n + 1);
}

/* Slot s can hold len bytes (its item is kept if it must grow). */
static int
fit(struct rta_topk_slot *s, size_t len)
{
	unsigned char *p;

	if (len <= s->cap)
		return 0;
	if ((p = rta_realloc(s->item, len)) == NULL)
		return -1;
	s->item = p;
	s->cap = (uint32_t)len;
	return 0;
}

/* Append a counter for an item not held; the caller made room. */
static int
put(struct rta_topk *t, const void *item, size_t len, uint32_t h,
    uint64_t count, uint64_t error)
{
	struct rta_topk_slot *s = &t->slot[t->n];

	assert(t->n < t->nalloc && (uint64_t)(t->n + 1) * 2 <= t->tmask + 1);
	if (fit(s, len) != 0)
		return -1;
	if (len > 0)
		memcpy(s->item, item, len);
	s->len = (uint32_t)len;
	s->hash = h;
	s->count = count;
	s->error = error;
	s->hpos = t->n;
	t->heap[t->n] = t->n;
	tab_insert(t, t->n);
	t->n++;
	return 0;
}

/* ---- life --------------------------------------------------------------- */

int
rta_topk_init(struct rta_topk *t, unsigned capacity)
{
	memset(t, 0, sizeof(*t));
	if (capacity < 1 || capacity > RTA_TOPK_CAP_MAX)
		return RTA_EINVAL;
	t->capacity = capacity;
	return RTA_OK;
}

void
rta_topk_release(struct rta_topk *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nalloc; i++)
		rta_free(t->slot[i].item);
	rta_free(t->slot);
	rta_free(t->heap);
	rta_free(t->tab);
	memset(t, 0, sizeof(*t));
}

void
rta_topk_reset(struct rta_topk *t)
{
	t->n = 0;
	t->total = 0;
	if (t->tab != NULL)
		memset(t->tab, 0, ((size_t)t->tmask + 1) * sizeof(*t->tab));
}

int
rta_topk_copy(struct rta_topk *dst, const struct rta_topk *src)
{
	const struct rta_topk_slot *s;
	uint32_t i;

	if (rta_topk_init(dst, src->capacity) != RTA_OK)
		return RTA_EINVAL;
	if (src->n > 0 && reserve(dst, src->n) != 0)
		goto nomem;
	/* in heap order, so that the copy's heap needs no sifting */
	for (i = 0; i < src->n; i++) {
		s = &src->slot[src->heap[i]];
		if (put(dst, s->item, s->len, s->hash, s->count,
		    s->error) != 0)
			goto nomem;
	}
	dst->total = src->total;
	return RTA_OK;
nomem:
	rta_topk_release(dst);
	return RTA_ENOMEM;
}

/* ---- adding and asking -------------------------------------------------- */

int
rta_topk_add(struct rta_topk *t, const void *item, size_t len,
    uint64_t weight)
{
	struct rta_topk_slot *s;
	uint32_t h, r;
	int64_t at;

	if (len > RTA_TOPK_ITEM_MAX || weight == 0 || t->capacity == 0)
		return RTA_EINVAL;
	if (weight > UINT64_MAX - t->total)
		return RTA_ELIMIT;
	h = hash_of(item, len);
	if ((at = lookup(t, item, len, h)) >= 0) {
		s = &t->slot[at];
		s->count += weight;
		sift_down(t, s->hpos);
	} else if (t->n < t->capacity) {
		if (reserve_one(t) != 0 ||
		    put(t, item, len, h, weight, 0) != 0)
			return RTA_ENOMEM;
		sift_up(t, t->n - 1);
	} else {
		/* replace the counter that comes last */
		r = t->heap[0];
		s = &t->slot[r];
		if (fit(s, len) != 0)
			return RTA_ENOMEM;
		tab_remove(t, r);
		if (len > 0)
			memcpy(s->item, item, len);
		s->len = (uint32_t)len;
		s->hash = h;
		s->error = s->count;
		s->count += weight;
		tab_insert(t, r);
		sift_down(t, 0);
	}
	t->total += weight;
	return RTA_OK;
}

uint64_t
rta_topk_total(const struct rta_topk *t)
{
	return t->total;
}

unsigned
rta_topk_capacity(const struct rta_topk *t)
{
	return t->capacity;
}

size_t
rta_topk_size(const struct rta_topk *t)
{
	return t->n;
}

int
rta_topk_text(const struct rta_topk *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		if (!rta_utf8_valid(t->slot[i].item, t->slot[i].len, NULL) ||
		    memchr(t->slot[i].item, 0, t->slot[i].len) != NULL)
			return 0;
	return 1;
}

uint64_t
rta_topk_min(const struct rta_topk *t)
{
	if (t->n < t->capacity || t->n == 0)
		return 0;
	return t->slot[t->heap[0]].count;
}

size_t
rta_topk_memory(const struct rta_topk *t)
{
	size_t m = 0;
	uint32_t i;

	for (i = 0; i < t->nalloc; i++)
		m += t->slot[i].cap;
	m += (size_t)t->nalloc * (sizeof(*t->slot) + sizeof(*t->heap));
	if (t->tab != NULL)
		m += ((size_t)t->tmask + 1) * sizeof(*t->tab);
	return m;
}

static const char empty[1];

static void
entry_of(const struct rta_topk_slot *s, struct rta_topk_entry *e)
{
	e->item = s->len > 0 ? (const char *)s->item : empty;
	e->len = s->len;
	e->count = s->count;
	e->error = s->error;
}

/* a comes before b in the top order */
static int
before(const struct rta_topk_entry *a, const struct rta_topk_entry *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return itemcmp((const unsigned char *)a->item, a->len,
	    (const unsigned char *)b->item, b->len) < 0;
}

/* Sift down in out[0..n), a heap whose root comes last in the order. */
static void
out_sift(struct rta_topk_entry *out, size_t i, size_t n)
{
	struct rta_topk_entry x = out[i];
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && before(&out[c], &out[c + 1]))
			c++;
		if (!before(&x, &out[c]))
			break;
		out[i] = out[c];
		i = c;
	}
	out[i] = x;
}

size_t
rta_topk_top(const struct rta_topk *t, struct rta_topk_entry *out,
    size_t k)
{
	struct rta_topk_entry e, tmp;
	size_t m = 0, i, c;
	uint32_t s;

	if (k == 0)
		return 0;
	/* keep the k first in out, a heap with the last of them on top */
	for (s = 0; s < t->n; s++) {
		entry_of(&t->slot[s], &e);
		if (m < k) {
			for (i = m++; i > 0; i = c) {
				c = (i - 1) / 2;
				if (!before(&out[c], &e))
					break;
				out[i] = out[c];
			}
			out[i] = e;
		} else if (before(&e, &out[0])) {
			out[0] = e;
			out_sift(out, 0, m);
		}
	}
	/* then move the last to the end, one at a time */
	for (i = m; i > 1; i--) {
		tmp = out[0];
		out[0] = out[i - 1];
		out[i - 1] = tmp;
		out_sift(out, 0, i - 1);
	}
	return m;
}

int
rta_topk_get(const struct rta_topk *t, const void *item, size_t len,
    struct rta_topk_entry *e)
{
	int64_t at = -1;

	if (len <= RTA_TOPK_ITEM_MAX)
		at = lookup(t, item, len, hash_of(item, len));
	if (at >= 0) {
		entry_of(&t->slot[at], e);
		return 1;
	}
	e->item = NULL;
	e->len = 0;
	e->count = e->error = rta_topk_min(t);
	return 0;
}

/* ---- merge -------------------------------------------------------------- */

struct cand {
	const struct rta_topk_slot	*s;
	uint64_t			 count;
	uint64_t			 error;
};

static int
cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return itemcmp(a->s->item, a->s->len, b->s->item, b->s->len);
}

int
rta_topk_merge(struct rta_topk *into, const struct rta_topk *from,
    struct rta_error *err)
{
	struct rta_topk res;
	struct cand *c;
	const struct rta_topk_slot *s;
	uint64_t mi = rta_topk_min(into), mf = rta_topk_min(from);
	size_t m = 0, i, keep;
	int64_t at;

	if (into->capacity != from->capacity || into->capacity == 0)
		return rta_error_set(err, RTA_EINVAL, "sketch-mismatch",
		    "top-k sketches of %u and %u counters", into->capacity,
		    from->capacity);
	/* every count and error below is at most the sum of the totals */
	if (from->total > UINT64_MAX - into->total)
		return rta_error_set(err, RTA_ELIMIT, "sketch-overflow",
		    "top-k total above 2^64 - 1");
	c = rta_calloc((size_t)into->n + from->n + 1, sizeof(*c));
	if (c == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	for (i = 0; i < into->n; i++) {
		s = &into->slot[i];
		at = lookup(from, s->item, s->len, s->hash);
		c[m].s = s;
		c[m].count = s->count + (at >= 0 ? from->slot[at].count : mf);
		c[m].error = s->error + (at >= 0 ? from->slot[at].error : mf);
		m++;
	}
	for (i = 0; i < from->n; i++) {
		s = &from->slot[i];
		if (lookup(into, s->item, s->len, s->hash) >= 0)
			continue;
		c[m].s = s;
		c[m].count = s->count + mi;
		c[m].error = s->error + mi;
		m++;
	}
	qsort(c, m, sizeof(*c), cand_cmp);
	keep = m < into->capacity ? m : into->capacity;
	(void)rta_topk_init(&res, into->capacity);
	if (keep > 0 && reserve(&res, (uint32_t)keep) != 0)
		goto nomem;
	for (i = 0; i < keep; i++)
		if (put(&res, c[i].s->item, c[i].s->len, c[i].s->hash,
		    c[i].count, c[i].error) != 0)
			goto nomem;
	heapify(&res);
	res.total = into->total + from->total;
	rta_free(c);
	rta_topk_release(into);
	*into = res;
	return RTA_OK;
nomem:
	rta_free(c);
	rta_topk_release(&res);
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

/* ---- encoding ----------------------------------------------------------- */

int
rta_topk_encode(const struct rta_topk *t, struct rta_buf *out)
{
	struct rta_topk_entry *e = NULL;
	unsigned char *p;
	size_t size, i, n = t->n;
	uint64_t prev = 0;

	if (n > 0 && (e = rta_reallocarray(NULL, n, sizeof(*e))) == NULL)
		return -1;
	(void)rta_topk_top(t, e, n);
	size = 2 + rta_varint_len(t->capacity) + rta_varint_len(t->total) +
	    rta_varint_len(n);
	for (i = 0; i < n; i++) {
		size += rta_varint_len(e[i].len) + e[i].len +
		    rta_varint_len(i == 0 ? e[i].count : prev - e[i].count) +
		    rta_varint_len(e[i].error);
		prev = e[i].count;
	}
	if (rta_buf_reserve(out, size) != 0) {
		rta_free(e);
		return -1;
	}
	p = out->data + out->len;
	*p++ = 'K';
	*p++ = 1;
	p += rta_put_varint(p, t->capacity);
	p += rta_put_varint(p, t->total);
	p += rta_put_varint(p, n);
	for (i = 0; i < n; i++) {
		p += rta_put_varint(p, e[i].len);
		if (e[i].len > 0)
			memcpy(p, e[i].item, e[i].len);
		p += e[i].len;
		p += rta_put_varint(p, i == 0 ? e[i].count : prev - e[i].count);
		p += rta_put_varint(p, e[i].error);
		prev = e[i].count;
	}
	assert((size_t)(p - (out->data + out->len)) == size);
	out->len += size;
	rta_free(e);
	return 0;
}

struct rd {
	const unsigned char	*base;
	const unsigned char	*p;
	const unsigned char	*end;
	struct rta_error	*err;
};

static int
bad(struct rd *r, const unsigned char *at, const char *what)
{
	size_t off = (size_t)(at - r->base);

	rta_error_set(r->err, RTA_EDATA, "bad-sketch",
	    "top-k sketch: %s at byte %zu", what, off);
	if (r->err != NULL)
		r->err->offset = off;
	return RTA_EDATA;
}

/* A minimal LEB128 varint of at most 64 bits. */
static int
get_varint(struct rd *r, uint64_t *v)
{
	const unsigned char *start = r->p;
	unsigned i;
	uint64_t b;

	*v = 0;
	for (i = 0; i < RTA_VARINT_MAX; i++) {
		if (r->p == r->end)
			return bad(r, r->p, "truncated");
		b = *r->p++;
		if (i == RTA_VARINT_MAX - 1 && b > 1)
			return bad(r, start, "varint above 64 bits");
		*v |= (b & 0x7f) << (7 * i);
		if ((b & 0x80) == 0) {
			if (b == 0 && i > 0)
				return bad(r, start, "non-minimal varint");
			return RTA_OK;
		}
	}
	return bad(r, start, "varint above 64 bits");	/* not reached */
}

/* The counters, checked one by one and put into t. */
static int
decode_counters(struct rd *r, struct rta_topk *t, uint64_t n)
{
	const unsigned char *at, *item, *prev_item = NULL;
	uint64_t i, len, dc, count = 0, error, prev_len = 0;
	uint64_t sum = 0, max_error = 0;
	uint32_t h;
	int rc;

	for (i = 0; i < n; i++) {
		at = r->p;
		if ((rc = get_varint(r, &len)) != RTA_OK)
			return rc;
		if (len > RTA_TOPK_ITEM_MAX)
			return bad(r, at, "item too long");
		if (len > (size_t)(r->end - r->p))
			return bad(r, r->end, "truncated");
		item = r->p;
		r->p += len;
		if ((rc = get_varint(r, &dc)) != RTA_OK)
			return rc;
		if (i > 0 && dc >= count)
			return bad(r, at, "count of 0");
		if (i == 0 && dc == 0)
			return bad(r, at, "count of 0");
		if (i > 0 && dc == 0 && itemcmp(prev_item, prev_len, item,
		    len) >= 0)
			return bad(r, at, "counters out of order");
		count = i == 0 ? dc : count - dc;
		if ((rc = get_varint(r, &error)) != RTA_OK)
			return rc;
		if (error >= count)
			return bad(r, at, "error not below its count");
		if (count > t->total - sum)
			return bad(r, at, "counts above the total");
		sum += count;
		h = hash_of(item, len);
		if (lookup(t, item, len, h) >= 0)
			return bad(r, at, "item repeated");
		if (put(t, item, len, h, count, error) != 0)
			return RTA_ENOMEM;
		if (error > max_error)
			max_error = error;
		prev_item = item;
		prev_len = len;
	}
	if (r->p != r->end)
		return bad(r, r->p, "trailing bytes");
	if (n < t->capacity && (max_error != 0 || sum != t->total))
		return bad(r, r->base, "inexact counters in a sketch not full");
	if (n == t->capacity && max_error > count)
		return bad(r, r->base, "error above the smallest count");
	return RTA_OK;
}

int
rta_topk_decode(struct rta_topk *t, const void *p, size_t len,
    struct rta_error *err)
{
	struct rd r;
	uint64_t cap, total, n;
	int rc;

	memset(t, 0, sizeof(*t));
	r.base = r.p = p;
	r.end = r.base + len;
	r.err = err;
	if (len < 2)
		return bad(&r, r.end, "truncated");
	if (r.p[0] != 'K')
		return bad(&r, r.p, "not a top-k sketch");
	if (r.p[1] != 1)
		return bad(&r, r.p + 1, "unknown version");
	r.p += 2;
	if ((rc = get_varint(&r, &cap)) != RTA_OK)
		return rc;
	if (cap < 1 || cap > RTA_TOPK_CAP_MAX)
		return bad(&r, r.base + 2, "capacity out of range");
	if ((rc = get_varint(&r, &total)) != RTA_OK ||
	    (rc = get_varint(&r, &n)) != RTA_OK)
		return rc;
	if (n > cap)
		return bad(&r, r.p, "more counters than the capacity");
	/* a counter takes 3 bytes at least */
	if (n > (uint64_t)(r.end - r.p) / 3)
		return bad(&r, r.end, "truncated");
	(void)rta_topk_init(t, (unsigned)cap);
	t->total = total;
	if (n > 0 && reserve(t, (uint32_t)n) != 0) {
		rta_topk_release(t);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	if ((rc = decode_counters(&r, t, n)) != RTA_OK) {
		rta_topk_release(t);
		if (rc == RTA_ENOMEM)
			rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		return rc;
	}
	heapify(t);
	return RTA_OK;
}
