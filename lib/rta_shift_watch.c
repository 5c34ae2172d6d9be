/*
 * rta_shift_watch.c: baselines of past windows, per group, for drift
 * scores (rta_shift.h).
 *
 * A group's ring holds its windows' sketches encoded (a few hundred
 * bytes each, where live sketches would take kilobytes), in the order
 * they closed, and grows as they come, up to the baseline's windows.  A
 * closing window's baseline is decoded and merged from those that
 * started within the baseline before it (whatever their place: a late
 * first firing may come after a later window), then the window is
 * encoded into the ring, replacing the one kept longest when it is
 * full.
 */
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_hash.h"
#include "rta_shift.h"

struct slot {
	int64_t			 start;
	struct rta_buf		 enc;
};

struct ring {
	struct ring		*next;
	uint64_t		 h;
	unsigned char		*key;
	uint32_t		 klen;
	size_t			 n, head;	/* head: kept longest */
	size_t			 vcap;		/* slots of v, up to cap */
	int64_t			 last;		/* latest start kept */
	struct slot		*v;
};

struct rta_shift_watch {
	int			 cat;
	int64_t			 baseline, size;
	unsigned		 min_windows;
	uint64_t		 max_groups;
	size_t			 cap;		/* windows a ring keeps */
	uint64_t		 seed;
	struct ring		**tab;
	size_t			 tmask;
	uint64_t		 n;
	struct rta_dds		 bd, tmp_d;	/* scratch: baseline, decoded */
	struct rta_topk		 bt, tmp_t;
};

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

int
rta_shift_watch_new(int categorical, int64_t baseline, int64_t size,
    unsigned min_windows, uint64_t max_groups, struct rta_shift_watch **wp,
    struct rta_error *err)
{
	struct rta_shift_watch *w;
	int64_t k;

	*wp = NULL;
	if ((w = rta_calloc(1, sizeof(*w))) == NULL)
		return nomem(err);
	w->cat = categorical;
	w->baseline = baseline;
	w->size = size;
	w->min_windows = min_windows ? min_windows : 1;
	w->max_groups = max_groups;
	k = size > 0 ? (baseline + size - 1) / size : 1;
	w->cap = k < 1 ? 1 : k > RTA_SHIFT_RING_MAX ? RTA_SHIFT_RING_MAX :
	    (size_t)k;
	w->seed = rta_hash_seed();
	w->tmask = 1023;
	if ((w->tab = rta_calloc(w->tmask + 1, sizeof(*w->tab))) == NULL) {
		rta_free(w);
		return nomem(err);
	}
	*wp = w;
	return RTA_OK;
}

static void
ring_free(struct ring *r)
{
	size_t i;

	for (i = 0; i < r->vcap && r->v != NULL; i++)
		rta_buf_release(&r->v[i].enc);
	rta_free(r->v);
	rta_free(r->key);
	rta_free(r);
}

void
rta_shift_watch_free(struct rta_shift_watch *w)
{
	struct ring *r, *nx;
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i <= w->tmask; i++)
		for (r = w->tab[i]; r != NULL; r = nx) {
			nx = r->next;
			ring_free(r);
		}
	rta_free(w->tab);
	rta_dds_release(&w->bd);
	rta_dds_release(&w->tmp_d);
	rta_topk_release(&w->bt);
	rta_topk_release(&w->tmp_t);
	rta_free(w);
}

static int
grow(struct rta_shift_watch *w)
{
	struct ring **t, *r, *nx;
	size_t m = w->tmask * 2 + 1, i;

	if ((t = rta_calloc(m + 1, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i <= w->tmask; i++)
		for (r = w->tab[i]; r != NULL; r = nx) {
			nx = r->next;
			r->next = t[r->h & m];
			t[r->h & m] = r;
		}
	rta_free(w->tab);
	w->tab = t;
	w->tmask = m;
	return 0;
}

/* Forget the rings of groups with no window since before. */
static void
sweep(struct rta_shift_watch *w, int64_t before)
{
	struct ring **pp, *r;
	size_t i;

	for (i = 0; i <= w->tmask; i++)
		for (pp = &w->tab[i]; (r = *pp) != NULL;)
			if (r->last < before) {
				*pp = r->next;
				ring_free(r);
				w->n--;
			} else
				pp = &r->next;
}

/*
 * The group's ring, made if new: NULL with *full (max_groups held, none
 * idle for the baseline before start; limited: 0 lifts the limit, as
 * for loading) or not (ENOMEM).
 */
static struct ring *
ring_find(const struct rta_shift_watch *w, const void *key, size_t klen,
    uint64_t h)
{
	struct ring *r;

	for (r = w->tab[h & w->tmask]; r != NULL; r = r->next)
		if (r->h == h && r->klen == klen && memcmp(r->key, key,
		    klen) == 0)
			return r;
	return NULL;
}

static struct ring *
ring_get(struct rta_shift_watch *w, const void *key, size_t klen,
    int64_t start, int limited, int *full)
{
	uint64_t h = rta_hash64(key, klen, w->seed);
	struct ring *r;

	*full = 0;
	if ((r = ring_find(w, key, klen, h)) != NULL)
		return r;
	if (limited && w->max_groups > 0 && w->n >= w->max_groups) {
		sweep(w, start - w->baseline);
		if (w->n >= w->max_groups) {
			*full = 1;
			return NULL;
		}
	}
	if (w->n + 1 > (w->tmask + 1) * 2 && grow(w) != 0)
		return NULL;
	if ((r = rta_calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->key = rta_calloc(1, klen + 1)) == NULL) {
		rta_free(r);
		return NULL;
	}
	memcpy(r->key, key, klen);
	r->last = INT64_MIN;
	r->h = h;
	r->klen = (uint32_t)klen;
	r->next = w->tab[h & w->tmask];
	w->tab[h & w->tmask] = r;
	w->n++;
	return r;
}

static int
empty_scratch(struct rta_shift_watch *w, struct rta_error *err)
{
	if (w->cat) {
		rta_topk_release(&w->bt);
		memset(&w->bt, 0, sizeof(w->bt));
		return RTA_OK;
	}
	rta_dds_release(&w->bd);
	memset(&w->bd, 0, sizeof(w->bd));
	if (rta_dds_init(&w->bd, RTA_DDS_ALPHA_DEFAULT,
	    RTA_DDS_BINS_DEFAULT) != 0)
		return nomem(err);
	return RTA_OK;
}

/* Merge the kept window s into the baseline. */
static int
merge_kept(struct rta_shift_watch *w, const struct slot *s, int first,
    struct rta_error *err)
{
	int rc;

	if (w->cat) {
		rta_topk_release(&w->tmp_t);
		memset(&w->tmp_t, 0, sizeof(w->tmp_t));
		if ((rc = rta_topk_decode(&w->tmp_t, s->enc.data, s->enc.len,
		    err)) != RTA_OK)
			return rc;
		if (first) {
			rta_topk_release(&w->bt);
			w->bt = w->tmp_t;
			memset(&w->tmp_t, 0, sizeof(w->tmp_t));
			return RTA_OK;
		}
		return rta_topk_merge(&w->bt, &w->tmp_t, err);
	}
	rta_dds_release(&w->tmp_d);
	memset(&w->tmp_d, 0, sizeof(w->tmp_d));
	if ((rc = rta_dds_decode(&w->tmp_d, s->enc.data, s->enc.len, err)) !=
	    RTA_OK)
		return rc;
	return rta_dds_merge(&w->bd, &w->tmp_d, err);
}

/* Room for one more window in r: 0, or -1 (ENOMEM).  A full ring has
 * room already: its longest kept window goes. */
static int
ring_room(const struct rta_shift_watch *w, struct ring *r)
{
	struct slot *v;
	size_t nc, i;

	if (r->n < r->vcap || r->vcap == w->cap)
		return 0;
	nc = r->vcap ? r->vcap * 2 : 4;
	if (nc > w->cap)
		nc = w->cap;
	if ((v = rta_calloc(nc, sizeof(*v))) == NULL)
		return -1;
	/* in order from the head: the ring is full, so all of them */
	for (i = 0; i < r->n; i++)
		v[i] = r->v[(r->head + i) % r->vcap];
	rta_free(r->v);
	r->v = v;
	r->vcap = nc;
	r->head = 0;
	return 0;
}

/* Keep the encoding of a window starting at start in r. */
static int
ring_keep(const struct rta_shift_watch *w, struct ring *r, int64_t start,
    const void *enc, size_t len)
{
	struct slot *s;

	if (ring_room(w, r) != 0)
		return -1;
	s = &r->v[r->n < r->vcap ? (r->head + r->n) % r->vcap : r->head];
	rta_buf_reset(&s->enc);
	if (rta_buf_add(&s->enc, enc, len) != 0)
		return -1;
	s->start = start;
	if (r->n < r->vcap)
		r->n++;
	else
		r->head = (r->head + 1) % r->vcap;
	if (start > r->last)
		r->last = start;
	return 0;
}

/* Score sketch (cnt values) against the baseline in the scratch
 * sketch, when it has enough. */
static int
score(struct rta_shift_watch *w, const void *sketch, uint64_t cnt,
    size_t nb, struct rta_shift *out, struct rta_shift_base *base,
    int *scored, struct rta_error *err)
{
	int rc;

	base->windows = nb;
	base->count = nb == 0 ? 0 : w->cat ? rta_topk_total(&w->bt) :
	    rta_dds_count(&w->bd);
	if (cnt == 0 || nb < w->min_windows || base->count == 0)
		return RTA_OK;
	if (w->cat) {
		if ((rc = rta_shift_categorical(&w->bt, sketch, out, err)) !=
		    RTA_OK)
			return rc;
	} else
		rta_shift_numeric(&w->bd, sketch, out);
	*scored = 1;
	return RTA_OK;
}

static int
encode(const struct rta_shift_watch *w, const void *sketch, struct rta_buf *b)
{
	return w->cat ? rta_topk_encode(sketch, b) : rta_dds_encode(sketch, b);
}

int
rta_shift_watch_fix(struct rta_shift_watch *w, const void *key, size_t klen,
    const void *sketch, struct rta_error *err)
{
	struct ring *r;
	struct rta_buf enc;
	int rc, full;

	if ((w->cat ? rta_topk_total(sketch) : rta_dds_count(sketch)) == 0)
		return RTA_OK;
	if ((r = ring_get(w, key, klen, 0, 0, &full)) == NULL)
		return nomem(err);
	rta_buf_init(&enc);
	if (r->n > 0) {
		/* set before: the union of both */
		if ((rc = empty_scratch(w, err)) != RTA_OK ||
		    (rc = merge_kept(w, &r->v[r->head], 1, err)) != RTA_OK ||
		    (rc = w->cat ? rta_topk_merge(&w->bt, sketch, err) :
		    rta_dds_merge(&w->bd, sketch, err)) != RTA_OK)
			return rc;
		sketch = w->cat ? (const void *)&w->bt : (const void *)&w->bd;
		r->n = 0;
	}
	rc = encode(w, sketch, &enc) != 0 || ring_keep(w, r, 0, enc.data,
	    enc.len) != 0;
	rta_buf_release(&enc);
	return rc ? nomem(err) : RTA_OK;
}

int
rta_shift_watch_close(struct rta_shift_watch *w, const void *key,
    size_t klen, int64_t start, const void *sketch, struct rta_shift *out,
    struct rta_shift_base *base, int *scored, int *full,
    struct rta_error *err)
{
	struct ring *r;
	struct slot *s;
	struct rta_buf enc;
	uint64_t cnt;
	size_t i, nb = 0;
	int rc;

	memset(base, 0, sizeof(*base));
	*scored = 0;
	*full = 0;
	cnt = w->cat ? rta_topk_total(sketch) : rta_dds_count(sketch);
	if (w->baseline == 0) {
		/* a stored baseline, if the group has one */
		r = ring_find(w, key, klen, rta_hash64(key, klen, w->seed));
		if (r == NULL || r->n == 0 || cnt == 0)
			return RTA_OK;
		if ((rc = empty_scratch(w, err)) != RTA_OK ||
		    (rc = merge_kept(w, &r->v[r->head], 1, err)) != RTA_OK)
			return rc;
		return score(w, sketch, cnt, 1, out, base, scored, err);
	}
	if ((r = ring_get(w, key, klen, start, 1, full)) == NULL)
		return *full ? RTA_OK : nomem(err);
	/* the baseline: kept windows that started in it */
	if ((rc = empty_scratch(w, err)) != RTA_OK)
		return rc;
	for (i = 0; i < r->n; i++) {
		s = &r->v[(r->head + i) % r->vcap];
		if (s->start >= start || s->start < start - w->baseline)
			continue;
		if ((rc = merge_kept(w, s, nb == 0, err)) != RTA_OK)
			return rc == RTA_EDATA ? rta_error_set(err, RTA_EDATA,
			    "bad-state", "a kept window's sketch: %s",
			    err->text) : rc;
		nb++;
	}
	if ((rc = score(w, sketch, cnt, nb, out, base, scored, err)) !=
	    RTA_OK || cnt == 0)
		return rc;
	rta_buf_init(&enc);
	rc = encode(w, sketch, &enc) != 0 ||
	    ring_keep(w, r, start, enc.data, enc.len) != 0;
	rta_buf_release(&enc);
	return rc ? nomem(err) : RTA_OK;
}

int
rta_shift_watch_save(const struct rta_shift_watch *w, struct rta_buf *b)
{
	const struct ring *r;
	const struct slot *s;
	size_t i, j;
	int rc;

	/* a stored baseline is read again on restart */
	if (w->baseline == 0)
		return rta_buf_add_u64(b, 0) ? -1 : 0;
	rc = rta_buf_add_u64(b, w->n);

	for (i = 0; i <= w->tmask && rc == 0; i++)
		for (r = w->tab[i]; r != NULL && rc == 0; r = r->next) {
			rc = rta_buf_add_u32(b, r->klen) ||
			    rta_buf_add(b, r->key, r->klen) ||
			    rta_buf_add_u64(b, r->n);
			for (j = 0; j < r->n && rc == 0; j++) {
				s = &r->v[(r->head + j) % r->vcap];
				rc = rta_buf_add_u64(b, (uint64_t)s->start) ||
				    rta_buf_add_u32(b, (uint32_t)s->enc.len) ||
				    rta_buf_add(b, s->enc.data, s->enc.len);
			}
		}
	return rc ? -1 : 0;
}

static int
bad(struct rta_error *err)
{
	return rta_error_set(err, RTA_EDATA, "bad-state", "drift baselines: "
	    "damaged or cut short");
}

int
rta_shift_watch_load(struct rta_shift_watch *w, const unsigned char *p,
    size_t len, size_t *used, struct rta_error *err)
{
	const unsigned char *q = p, *end = p + len;
	uint64_t ng, n, g, j;
	uint32_t kl, el;
	struct ring *r;
	int full;

	*used = 0;
	if (len < 8)
		return bad(err);
	ng = rta_get_u64(q);
	q += 8;
	for (g = 0; g < ng; g++) {
		if ((size_t)(end - q) < 4 || (kl = rta_get_u32(q),
		    (size_t)(end - q - 4) < (size_t)kl + 8))
			return bad(err);
		q += 4;
		if ((r = ring_get(w, q, kl, 0, 0, &full)) == NULL)
			return nomem(err);
		q += kl;
		n = rta_get_u64(q);
		q += 8;
		if (r->n != 0 || n > w->cap)
			return bad(err);
		for (j = 0; j < n; j++) {
			if ((size_t)(end - q) < 12 || (el = rta_get_u32(q + 8),
			    (size_t)(end - q - 12) < el))
				return bad(err);
			if (ring_keep(w, r, (int64_t)rta_get_u64(q), q + 12,
			    el) != 0)
				return nomem(err);
			q += 12 + el;
		}
	}
	*used = (size_t)(q - p);
	return RTA_OK;
}
