/*
 * rta_query.c: groups of records by bucket and field values, each with
 * its accumulators (rta_query.h).
 *
 * Groups live in one array of entries, found by an open-addressing
 * table of their indices keyed by a hash of the bucket start and the
 * rta_fval_key encoding of each group-by value.  The keys and the group
 * objects are kept in one arena (offsets, as it grows), and each
 * group's accumulators in an array of their own.  An aggregate record's
 * states are loaded into a scratch set of accumulators, then merged into
 * the group's: the first record of a group is loaded straight into it.
 */
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_cols.h"
#include "rta_hash.h"
#include "rta_query.h"
#include "rta_time.h"
#include "rta_value.h"

struct entry {
	uint64_t		 hash;
	int64_t			 start, end;
	size_t			 koff, klen;	/* key in arena */
	size_t			 goff;		/* group object in arena */
	struct rta_agg_acc	*acc;
};

enum { MODE_NONE, MODE_EVENTS, MODE_AGGREGATES };

struct rta_query {
	const struct rta_query_spec *spec;
	uint64_t		 max_groups;
	uint64_t		 seed;
	int			 mode;

	struct entry		*e;
	size_t			 n, cap;
	uint32_t		*slots;		/* index + 1, 0: empty */
	size_t			 nslots;	/* a power of two */
	struct rta_buf		 arena;
	struct rta_buf		 key, group;	/* the record's, scratch */
	struct rta_fval		*vals;		/* its group-by values */
	size_t			*bylen;		/* strlen of each field */
	/* the last window end read, and its text */
	char			 end_text[RTA_TIME_LEN];
	size_t			 end_len;
	int64_t			 end;

	/* aggregate records: the state each aggregate is read from */
	struct rta_agg_spec	*load;
	struct rta_agg_acc	*tmp;
	int			 tmp_init;
	/* records whose members come found (rta_agg_parts' gvals, svals):
	 * the index of each group-by field's and each load's member, from
	 * the first of them (SIZE_MAX: none), and the states found */
	size_t			*gpos, *spos;
	const unsigned char	**st;
	int			 simple;	/* rta_agg_simple(load) */
	/* rta_query_add_cols: each group-by field's and load's place in
	 * the block's group and states, and a record's group-by values */
	size_t			*cgpos, *cspos;
	const unsigned char	**cbyv;
	uint64_t		*cnum;		/* COLS_CHUNK records' numbers,
						 * three columns a load */
	unsigned char		*cfast;		/* cols_fast of each load */
	uint64_t		*cts;		/* the block's times (cols_fit) */
	size_t			 ctscap;

	size_t			*order;		/* rows, sorted */
	int			 sorted;
	struct rta_query_counts	 counts;
};

/* Records of a block's columns decoded at a time (rta_query_add_cols). */
#define COLS_CHUNK	256

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

int
rta_query_new(const struct rta_query_spec *spec, struct rta_query **qp,
    struct rta_error *err)
{
	struct rta_query *q;

	*qp = NULL;
	if (spec->bucket < 0 || spec->from >= spec->to)
		return rta_error_set(err, RTA_EINVAL, "bad-query",
		    spec->bucket < 0 ? "a negative bucket" :
		    "an empty time range");
	if ((q = rta_calloc(1, sizeof(*q))) == NULL)
		return nomem(err);
	q->spec = spec;
	q->max_groups = spec->max_groups ? spec->max_groups :
	    RTA_QUERY_GROUPS_DEFAULT;
	q->seed = rta_hash_seed();
	q->end_len = (size_t)-1;	/* no end read yet */
	*qp = q;
	return RTA_OK;
}

void
rta_query_free(struct rta_query *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++) {
		rta_agg_release(q->mode == MODE_AGGREGATES ? q->load :
		    q->spec->aggs, q->spec->naggs, q->e[i].acc);
		rta_free(q->e[i].acc);
	}
	if (q->tmp_init)
		rta_agg_release(q->load, q->spec->naggs, q->tmp);
	rta_free(q->tmp);
	if (q->load != NULL)
		rta_agg_specs_free(q->load, q->spec->naggs);
	rta_free(q->e);
	rta_free(q->slots);
	rta_free(q->order);
	rta_buf_release(&q->arena);
	rta_buf_release(&q->key);
	rta_buf_release(&q->group);
	rta_free(q->vals);
	rta_free(q->bylen);
	rta_free(q->gpos);
	rta_free(q->spos);
	rta_free(q->st);
	rta_free(q->cgpos);
	rta_free(q->cspos);
	rta_free(q->cbyv);
	rta_free(q->cnum);
	rta_free(q->cts);
	rta_free(q->cfast);
	rta_free(q);
}

const struct rta_query_counts *
rta_query_counts(const struct rta_query *q)
{
	return &q->counts;
}


/* The start of the bucket holding t. */
static int64_t
bucket_of(const struct rta_query_spec *s, int64_t t)
{
	int64_t b = s->bucket, r;

	if (b == 0)
		return s->from;
	r = t % b;
	return t - (r < 0 ? r + b : r);
}

static int64_t
bucket_end(const struct rta_query_spec *s, int64_t start)
{
	if (s->bucket == 0)
		return s->to;
	return start > INT64_MAX - s->bucket ? INT64_MAX : start + s->bucket;
}

/* Append value v of a group-by field to the group object. */
static int
put_value(struct rta_query *q, const struct rta_fval *v)
{
	char t[RTA_TIME_LEN];

	switch (v->kind) {
	case RTA_FV_STRING:
		return rta_venc_string(&q->group, v->s, v->len);
	case RTA_FV_TIME:
		rta_time_format(t, v->i);
		return rta_venc_string(&q->group, t, RTA_TIME_LEN);
	case RTA_FV_UINT:
		return rta_venc_int(&q->group, v->i);
	case RTA_FV_VALUE:
		return rta_buf_add(&q->group, v->v, rta_value_size(v->v));
	default:
		return rta_venc_null(&q->group);
	}
}

/*
 * The record's key (bucket start, then its group-by values) into q->key,
 * and the values into q->vals for group_object.  agg: an aggregate
 * record, whose values come from its group object.
 */
static int
make_key(struct rta_query *q, const struct rta_event *ev, int64_t start,
    const unsigned char *gobj, const struct rta_agg_parts *pp,
    const unsigned char *const *byv)
{
	const struct rta_query_spec *s = q->spec;
	struct rta_fval *v;
	size_t i;
	unsigned char b[8];
	const unsigned char *m;

	if (q->bylen == NULL && s->nby > 0) {
		if (q->vals == NULL && (q->vals = rta_calloc(s->nby,
		    sizeof(*q->vals))) == NULL)
			return -1;
		if ((q->bylen = rta_calloc(s->nby, sizeof(*q->bylen))) == NULL)
			return -1;
		for (i = 0; i < s->nby; i++)
			q->bylen[i] = strlen(s->by[i].text);
	}
	rta_buf_reset(&q->key);
	rta_put_u64(b, (uint64_t)start);
	if (rta_buf_add(&q->key, b, 8) != 0)
		return -1;
	for (i = 0; i < s->nby; i++) {
		const struct rta_field *f = &s->by[i];

		v = &q->vals[i];
		if (byv != NULL)
			m = byv[i];
		else if (pp != NULL && pp->gvals != NULL)
			m = q->gpos[i] < pp->ngvals ? pp->gvals[q->gpos[i]] :
			    NULL;
		else
			m = gobj != NULL ? rta_value_member(gobj, f->text,
			    q->bylen[i]) : NULL;
		memset(v, 0, sizeof(*v));
		if (m != NULL) {
			v->kind = RTA_FV_VALUE;
			v->v = m;
		} else if (gobj == NULL || f->root == RTA_F_TENANT_ID)
			rta_field_get(f, ev, v);
		if (rta_fval_key(&q->key, v) != 0)
			return -1;
	}
	return 0;
}

/* The group object of the values make_key kept, into q->group: made
 * only for a new group. */
static int
group_object(struct rta_query *q)
{
	const struct rta_query_spec *s = q->spec;
	size_t off, i;

	rta_buf_reset(&q->group);
	if ((off = rta_venc_begin(&q->group, RTA_V_OBJECT)) == (size_t)-1)
		return -1;
	for (i = 0; i < s->nby; i++)
		if (rta_venc_key(&q->group, s->by[i].text, q->bylen[i]) != 0 ||
		    put_value(q, &q->vals[i]) != 0)
			return -1;
	rta_venc_end(&q->group, off, (uint32_t)s->nby);
	return 0;
}

static int
grow_slots(struct rta_query *q)
{
	size_t n = q->nslots ? q->nslots * 2 : 1024, i, h;
	uint32_t *s;

	if ((s = rta_calloc(n, sizeof(*s))) == NULL)
		return -1;
	for (i = 0; i < q->n; i++) {
		h = (size_t)q->e[i].hash & (n - 1);
		while (s[h] != 0)
			h = (h + 1) & (n - 1);
		s[h] = (uint32_t)(i + 1);
	}
	rta_free(q->slots);
	q->slots = s;
	q->nslots = n;
	return 0;
}

/*
 * The group of q->key, made (with fresh accumulators for specs, or none
 * when load is set: the caller loads them) if new.  NULL with err set.
 */
static struct entry *
find_group(struct rta_query *q, int64_t start,
    const struct rta_agg_spec *specs, int *fresh, struct rta_error *err)
{
	uint64_t hv = rta_hash64(q->key.data, q->key.len, q->seed);
	struct entry *e;
	size_t h;
	uint32_t k;

	*fresh = 0;
	if (q->nslots == 0 && grow_slots(q) != 0)
		goto nomem;
	h = (size_t)hv & (q->nslots - 1);
	while ((k = q->slots[h]) != 0) {
		e = &q->e[k - 1];
		if (e->hash == hv && e->klen == q->key.len &&
		    rta_key_eq(q->arena.data + e->koff,
		    (const char *)q->key.data, q->key.len))
			return e;
		h = (h + 1) & (q->nslots - 1);
	}
	if (q->n >= q->max_groups || q->n >= UINT32_MAX - 1) {
		rta_error_set(err, RTA_ELIMIT, "too-many-groups", "more than "
		    "%llu groups (buckets times group-by values)",
		    (unsigned long long)q->max_groups);
		return NULL;
	}
	if (q->n == q->cap) {
		size_t nc = q->cap ? q->cap * 2 : 256;

		if ((e = rta_reallocarray(q->e, nc, sizeof(*e))) == NULL)
			goto nomem;
		q->e = e;
		q->cap = nc;
	}
	e = &q->e[q->n];
	memset(e, 0, sizeof(*e));
	e->hash = hv;
	e->start = start;
	e->koff = q->arena.len;
	e->klen = q->key.len;
	if (rta_buf_add(&q->arena, q->key.data, q->key.len) != 0)
		goto nomem;
	e->goff = q->arena.len;
	if (group_object(q) != 0 ||
	    rta_buf_add(&q->arena, q->group.data, q->group.len) != 0)
		goto nomem;
	if (q->spec->naggs > 0 && (e->acc = rta_calloc(q->spec->naggs,
	    sizeof(*e->acc))) == NULL)
		goto nomem;
	if (rta_agg_init(specs, q->spec->naggs, e->acc, err) != RTA_OK) {
		rta_free(e->acc);
		return NULL;
	}
	q->slots[h] = (uint32_t)(q->n + 1);
	q->n++;
	q->sorted = 0;
	*fresh = 1;
	if (q->n * 2 > q->nslots && grow_slots(q) != 0)
		goto nomem;
	return e;
nomem:
	nomem(err);
	return NULL;
}

/* ---- aggregate records -------------------------------------------------- */

/*
 * Whether a state named name (parsed: st) can give aggregate a: the
 * same name, or the same field and a state type that holds a.
 */
static int
serves(const struct rta_agg_spec *a, const struct rta_agg_spec *st)
{
	if (a->name_len == st->name_len &&
	    memcmp(a->name, st->name, a->name_len) == 0)
		return 1;
	if (a->kind == RTA_AGG_COUNT || st->kind == RTA_AGG_COUNT ||
	    strcmp(a->field.text, st->field.text) != 0)
		return 0;
	switch (a->kind) {
	case RTA_AGG_SUM:
	case RTA_AGG_AVG:
		return st->kind == RTA_AGG_SUM || st->kind == RTA_AGG_AVG;
	case RTA_AGG_QUANTILE:
		return st->kind == RTA_AGG_QUANTILE;
	case RTA_AGG_TOPK:
		return st->kind == RTA_AGG_TOPK && st->k >= a->k;
	default:
		return 0;
	}
}

/*
 * The states to read each aggregate from, chosen from the first
 * aggregate record's states object: its own name first, else the first
 * state that serves it.
 */
static int
choose_states(struct rta_query *q, const unsigned char *states,
    const char *rid, size_t rlen, struct rta_error *err)
{
	const struct rta_query_spec *s = q->spec;
	struct rta_agg_spec *one, *best;
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t klen, n1, i;
	char name[RTA_AGG_NAME_MAX + 1];
	int rc;

	if ((q->load = rta_calloc(s->naggs ? s->naggs : 1,
	    sizeof(*q->load))) == NULL)
		return nomem(err);
	for (i = 0; i < s->naggs; i++) {
		best = NULL;
		rta_viter_init(&it, states);
		while (rta_viter_member(&it, &k, &klen, &v)) {
			if (klen > RTA_AGG_NAME_MAX)
				continue;
			memcpy(name, k, klen);
			name[klen] = '\0';
			if ((rc = rta_agg_parse(name, &one, &n1, NULL)) ==
			    RTA_ENOMEM) {
				if (best != NULL)
					rta_agg_specs_free(best, 1);
				rc = nomem(err);
				goto fail;
			}
			if (rc != RTA_OK)
				continue;
			if (serves(&s->aggs[i], one) && (best == NULL ||
			    (one->name_len == s->aggs[i].name_len &&
			    memcmp(one->name, s->aggs[i].name,
			    one->name_len) == 0))) {
				if (best != NULL)
					rta_agg_specs_free(best, 1);
				best = one;
			} else
				rta_agg_specs_free(one, n1);
		}
		if (best == NULL) {
			rc = rta_error_set(err, RTA_EDATA, "bad-aggregate",
			    "aggregate record %.*s: no state gives %s",
			    (int)rlen, rid, s->aggs[i].name);
			goto fail;
		}
		q->load[i] = *best;
		rta_free(best);
	}
	if (s->naggs > 0 && (q->tmp = rta_calloc(s->naggs,
	    sizeof(*q->tmp))) == NULL) {
		rc = nomem(err);
		goto fail;
	}
	return RTA_OK;
fail:
	rta_agg_specs_free(q->load, i);
	q->load = NULL;
	return rc;
}

void
rta_aggregate_parts(const unsigned char *payload, struct rta_agg_parts *pp)
{
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t kl;

	memset(pp, 0, sizeof(*pp));
	rta_viter_init(&it, payload);
	while (rta_viter_member(&it, &k, &kl, &v)) {
		if (kl == 3 && pp->end == NULL &&
		    rta_key_eq((const unsigned char *)k, "end", 3))
			pp->end = v;
		else if (kl == 5 && pp->group == NULL &&
		    rta_key_eq((const unsigned char *)k, "group", 5))
			pp->group = v;
		else if (kl == 6 && pp->states == NULL &&
		    rta_key_eq((const unsigned char *)k, "states", 6))
			pp->states = v;
	}
}

/* A window end's text parsed; the records of a bucket share few ends,
 * so the last one's text and time are kept. */
static int
window_end(struct rta_query *q, const char *s, size_t len, int64_t *end)
{
	int rc;

	if (len == q->end_len && rta_key_eq((const unsigned char *)s,
	    q->end_text, len)) {
		*end = q->end;
		return RTA_OK;
	}
	if ((rc = rta_time_parse(s, len, end, NULL)) != RTA_OK)
		return rc;
	if (len <= sizeof(q->end_text)) {
		memcpy(q->end_text, s, len);
		q->end_len = len;
		q->end = *end;
	}
	return RTA_OK;
}

/* The index of the member named key in obj, or SIZE_MAX. */
static size_t
member_index(const unsigned char *obj, const char *key, size_t klen)
{
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t kl, i;

	rta_viter_init(&it, obj);
	for (i = 0; rta_viter_member(&it, &k, &kl, &v); i++)
		if (kl == klen && memcmp(k, key, kl) == 0)
			return i;
	return SIZE_MAX;
}

/* The members' indexes for records that come with them found, from the
 * first such record (gobj, states): -1 (ENOMEM) or 0. */
static int
positions(struct rta_query *q, const unsigned char *gobj,
    const unsigned char *states)
{
	const struct rta_query_spec *s = q->spec;
	size_t i;

	q->gpos = rta_calloc(s->nby ? s->nby : 1, sizeof(*q->gpos));
	q->spos = rta_calloc(s->naggs ? s->naggs : 1, sizeof(*q->spos));
	q->st = rta_calloc(s->naggs ? s->naggs : 1, sizeof(*q->st));
	if (q->gpos == NULL || q->spos == NULL || q->st == NULL) {
		/* none or all: the next record tries again */
		rta_free(q->gpos);
		rta_free(q->spos);
		rta_free(q->st);
		q->gpos = q->spos = NULL;
		q->st = NULL;
		return -1;
	}
	for (i = 0; i < s->nby; i++)
		q->gpos[i] = member_index(gobj, s->by[i].text,
		    strlen(s->by[i].text));
	for (i = 0; i < s->naggs; i++)
		q->spos[i] = member_index(states, q->load[i].name,
		    q->load[i].name_len);
	q->simple = rta_agg_simple(q->load, s->naggs);
	return 0;
}

/* The states found (pp->svals) that the loads read, into q->st. */
static void
found_states(struct rta_query *q, const struct rta_agg_parts *pp)
{
	size_t i;

	for (i = 0; i < q->spec->naggs; i++)
		q->st[i] = q->spos[i] < pp->nsvals ? pp->svals[q->spos[i]] :
		    NULL;
}

/* Read the record's states into acc: from the states found (pp), or by
 * name. */
static int
load_states(struct rta_query *q, const struct rta_agg_parts *pp,
    struct rta_agg_acc *acc, struct rta_error *err)
{
	if (pp->svals == NULL)
		return rta_agg_load(q->load, q->spec->naggs, acc, pp->states,
		    err);
	found_states(q, pp);
	return rta_agg_load_each(q->load, q->spec->naggs, acc, q->st, err);
}

static int
add_aggregate(struct rta_query *q, const struct rta_event *ev,
    const struct rta_agg_parts *pp, struct rta_error *err)
{
	const struct rta_query_spec *s = q->spec;
	const unsigned char *endv = pp->end, *gobj = pp->group,
	    *states = pp->states;
	const char *es;
	size_t elen;
	int64_t end, start;
	struct entry *e;
	int fresh, rc;

	if (q->mode == MODE_EVENTS)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s among raw events", (int)ev->id_len,
		    ev->id);
	if (ev->type_len != 8 ||
	    !rta_key_eq((const unsigned char *)ev->type, "tumbling", 8))
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: a %.*s window: only tumbling "
		    "windows roll up", (int)ev->id_len, ev->id,
		    (int)ev->type_len, ev->type);
	if (endv == NULL || !rta_value_str(endv, &es, &elen) ||
	    window_end(q, es, elen, &end) != RTA_OK || end <= ev->ts ||
	    gobj == NULL || rta_value_tag(gobj) != RTA_V_OBJECT ||
	    states == NULL || rta_value_tag(states) != RTA_V_OBJECT)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: no end, group or states",
		    (int)ev->id_len, ev->id);
	start = bucket_of(s, ev->ts);
	if (s->bucket != 0 && bucket_of(s, end - 1) != start)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: its window is longer than a "
		    "bucket, or crosses one", (int)ev->id_len, ev->id);
	if (s->bucket == 0 && end > s->to)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: its window ends after the range",
		    (int)ev->id_len, ev->id);
	if (q->load == NULL && (rc = choose_states(q, states, ev->id,
	    ev->id_len, err)) != RTA_OK)
		return rc;
	q->mode = MODE_AGGREGATES;
	if ((pp->gvals != NULL || pp->svals != NULL) && q->gpos == NULL &&
	    positions(q, gobj, states) != 0)
		return nomem(err);
	if (make_key(q, ev, start, gobj, pp, NULL) != 0)
		return nomem(err);
	if ((e = find_group(q, start, q->load, &fresh, err)) == NULL)
		return err->code;
	e->end = bucket_end(s, start);
	if (fresh) {
		if ((rc = load_states(q, pp, e->acc, err)) != RTA_OK)
			goto bad;
	} else if (pp->svals != NULL && q->simple) {
		found_states(q, pp);
		if ((rc = rta_agg_merge_each(q->load, s->naggs, e->acc, q->st,
		    err)) != RTA_OK)
			goto bad;
	} else {
		if (!q->tmp_init) {
			if ((rc = rta_agg_init(q->load, s->naggs, q->tmp,
			    err)) != RTA_OK)
				return rc;
			q->tmp_init = 1;
		} else if ((rc = rta_agg_reset(q->load, s->naggs, q->tmp,
		    err)) != RTA_OK) {
			q->tmp_init = 0;
			return rc;
		}
		if ((rc = load_states(q, pp, q->tmp, err)) != RTA_OK)
			goto bad;
		if ((rc = rta_agg_merge(q->load, s->naggs, e->acc, q->tmp,
		    err)) != RTA_OK)
			goto bad;
	}
	q->counts.aggregates++;
	return RTA_OK;
bad:
	if (rc == RTA_ENOMEM)
		return rc;
	{
		char why[sizeof(err->text)];

		memcpy(why, err->text, sizeof(why));
		why[sizeof(why) - 1] = '\0';
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: %s", (int)ev->id_len, ev->id,
		    why);
	}
}

int
rta_query_add(struct rta_query *q, const struct rta_record *r,
    struct rta_error *err)
{
	const struct rta_query_spec *s = q->spec;
	const struct rta_event *ev = &r->ev;
	struct rta_agg_parts pp;
	struct entry *e;
	int64_t start;
	int fresh;

	if (r->kind != RTA_REC_EVENT && r->kind != RTA_REC_AGGREGATE)
		return RTA_OK;
	if (ev->ts < s->from || ev->ts >= s->to) {
		q->counts.outside++;
		return RTA_OK;
	}
	if (r->kind == RTA_REC_AGGREGATE) {
		rta_aggregate_parts(ev->payload, &pp);
		return add_aggregate(q, ev, &pp, err);
	}
	if (q->mode == MODE_AGGREGATES)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "raw event %.*s among aggregate records", (int)ev->id_len,
		    ev->id);
	q->mode = MODE_EVENTS;
	start = bucket_of(s, ev->ts);
	if (make_key(q, ev, start, NULL, NULL, NULL) != 0)
		return nomem(err);
	if ((e = find_group(q, start, s->aggs, &fresh, err)) == NULL)
		return err->code;
	e->end = bucket_end(s, start);
	q->counts.events++;
	return rta_agg_add(s->aggs, s->naggs, e->acc, ev, err);
}

int
rta_query_add_parts(struct rta_query *q, const struct rta_record *r,
    const struct rta_agg_parts *pp, struct rta_error *err)
{
	const struct rta_query_spec *s = q->spec;

	if (r->kind != RTA_REC_AGGREGATE)
		return rta_query_add(q, r, err);
	if (r->ev.ts < s->from || r->ev.ts >= s->to) {
		q->counts.outside++;
		return RTA_OK;
	}
	return add_aggregate(q, &r->ev, pp, err);
}

/*
 * How rta_query_add_cols adds load i's numbers from the columns of state
 * j: CF_COUNT (its count), CF_SUM (a sum's count and number: the load a
 * sum or an avg, the state a sum), or CF_ANY (loaded whole, then merged).
 * Each does what loading the state and rta_agg_merge would.
 */
enum { CF_ANY, CF_COUNT, CF_SUM };

static int
cols_fast(const struct rta_agg_spec *load, const struct rta_cols_state *st)
{
	if (load->kind == RTA_AGG_COUNT)
		return CF_COUNT;
	if ((load->kind == RTA_AGG_SUM || load->kind == RTA_AGG_AVG) &&
	    st->kind == RTA_AGG_SUM)
		return CF_SUM;
	return CF_ANY;
}

/*
 * Whether the block c can be added from its columns exactly as its
 * records would be added one by one: its window type, its states (each
 * load's found by name, of a kind it reads) and every record in range
 * (a window inside one bucket).  Sets q->cgpos, q->cspos.  1, 0, 2 (no
 * record in range: nothing to add), or -1 (ENOMEM, err set).
 */
static int
cols_fit(struct rta_query *q, const struct rta_cols *c, struct rta_error *err)
{
	const struct rta_query_spec *s = q->spec;
	uint64_t endv[COLS_CHUNK], *tsv;
	size_t i, n;
	uint32_t r, r0, k;
	int64_t ts, end, start, bend, from, to;
	int rc;

	/* a block with no record in range adds nothing, and must not
	 * choose the states the query reads (its first record in range
	 * does that) */
	for (r = 0; r < c->n; r++) {
		ts = rta_cols_ts(c, r);
		if (ts >= s->from && ts < s->to)
			break;
	}
	if (r == c->n)
		return 2;
	if (q->mode == MODE_EVENTS || c->wtlen != 8 ||
	    memcmp(c->wtype, "tumbling", 8) != 0)
		return 0;
	if (q->load == NULL) {
		rc = choose_states(q, c->states, "", 0, err);
		if (rc == RTA_ENOMEM)
			return -1;
		if (rc != RTA_OK)
			return 0;	/* the records say why */
	}
	if (q->cspos == NULL) {
		n = s->nby ? s->nby : 1;
		if ((q->cgpos = rta_calloc(n, sizeof(*q->cgpos))) == NULL ||
		    (q->cbyv = rta_calloc(n, sizeof(*q->cbyv))) == NULL ||
		    (q->cspos = rta_calloc(s->naggs ? s->naggs : 1,
		    sizeof(*q->cspos))) == NULL ||
		    (q->cnum = rta_calloc((s->naggs ? s->naggs : 1) * 3,
		    COLS_CHUNK * sizeof(*q->cnum))) == NULL ||
		    (q->cfast = rta_calloc(s->naggs ? s->naggs : 1,
		    sizeof(*q->cfast))) == NULL) {
			rta_free(q->cgpos);
			rta_free(q->cbyv);
			rta_free(q->cspos);
			rta_free(q->cnum);
			q->cgpos = q->cspos = NULL;
			q->cbyv = NULL;
			q->cnum = NULL;
			nomem(err);
			return -1;
		}
	}
	for (i = 0; i < s->nby; i++)
		q->cgpos[i] = member_index(c->group, s->by[i].text,
		    strlen(s->by[i].text));
	for (i = 0; i < s->naggs; i++) {
		q->cspos[i] = member_index(c->states, q->load[i].name,
		    q->load[i].name_len);
		if (q->cspos[i] >= c->nstates ||
		    !rta_agg_num_fits(&q->load[i], c->s[q->cspos[i]].kind))
			return 0;
	}
	/* the block's times, kept for rta_query_add_cols (c->n is at
	 * most RTA_COLS_MAX_RECORDS) */
	if (c->n > q->ctscap) {
		n = c->n > 2 * q->ctscap ? c->n : 2 * q->ctscap;
		if ((tsv = rta_reallocarray(q->cts, n, sizeof(*tsv))) ==
		    NULL) {
			nomem(err);
			return -1;
		}
		q->cts = tsv;
		q->ctscap = n;
	}
	start = bend = 0;
	from = s->from;
	to = s->to;
	for (r0 = 0; r0 < c->n; r0 += k) {
		k = c->n - r0 < COLS_CHUNK ? c->n - r0 : COLS_CHUNK;
		tsv = q->cts + r0;
		rta_cols_u64s(&c->ts, r0, k, tsv);
		rta_cols_u64s(&c->end, r0, k, endv);
		for (r = 0; r < k; r++) {
			ts = (int64_t)tsv[r];
			if (ts < from || ts >= to)
				continue;
			end = (int64_t)endv[r];
			if (r0 + r == 0 || ts < start || ts >= bend) {
				start = bucket_of(s, ts);
				bend = bucket_end(s, start);
			}
			/* the window ends after its start, in its bucket
			 * (for buckets, bucket_of(end - 1) == start) */
			if (end <= ts || (s->bucket != 0 && end - 1 >= bend) ||
			    (s->bucket == 0 && end > to))
				return 0;
		}
	}
	for (i = 0; i < s->naggs; i++)
		q->cfast[i] = (unsigned char)cols_fast(&q->load[i],
		    &c->s[q->cspos[i]]);
	return 1;
}

/*
 * Add the sums of records [w, u1) of a chunk to a, as rta_agg_sum_add
 * one by one: is_int[w] and x[w] (an integer or a binary64's bits), or
 * with is_int NULL, all_int for every record.  a's numbers are held in
 * a local the while, which the columns cannot alias.
 */
static void
sum_run(struct rta_agg_acc *a, const uint64_t *is_int, int all_int,
    const uint64_t *x, uint32_t w, uint32_t u1)
{
	struct rta_agg_acc l;
	double d;

	l.is_int = a->is_int;
	l.isum = a->isum;
	l.sum = a->sum;
	for (; w < u1; w++)
		if (is_int != NULL ? is_int[w] != 0 : all_int)
			rta_agg_sum_add(&l, (double)(int64_t)x[w],
			    (int64_t)x[w], 1);
		else {
			memcpy(&d, &x[w], 8);
			rta_agg_sum_add(&l, d, 0, 0);
		}
	a->is_int = l.is_int;
	a->isum = l.isum;
	a->sum = l.sum;
}

int
rta_query_add_cols(struct rta_query *q, const struct rta_cols *c, int *took,
    struct rta_error *err)
{
	const struct rta_query_spec *s = q->spec;
	struct rta_event ev;
	struct rta_agg_acc b;
	struct entry *e = NULL;
	const uint64_t *tsv;
	uint64_t *cnum;
	const unsigned char *fast;
	int64_t ts, start = 0, last = 0, end = 0, from, to;
	uint32_t r, r0, k, u, u1;
	size_t i, naggs;
	int fresh, fit, rc;

	*took = 0;
	if ((fit = cols_fit(q, c, err)) <= 0)
		return fit < 0 ? err->code : RTA_OK;
	*took = 1;
	if (fit == 2)
		return RTA_OK;
	q->mode = MODE_AGGREGATES;
	memset(&ev, 0, sizeof(ev));
	ev.tenant = c->tenant;
	ev.tenant_len = (uint8_t)c->tlen;
	ev.type = c->wtype;
	ev.type_len = (uint8_t)c->wtlen;
	/* a merged state's accumulator: its numbers only (simple kinds) */
	memset(&b, 0, sizeof(b));
	rta_buf_init(&b.value);
	/* in locals: the accumulators' stores may alias the spec's */
	from = s->from;
	to = s->to;
	naggs = s->naggs;
	cnum = q->cnum;
	fast = q->cfast;
	/* a chunk of records at a time: its times, and the numbers of
	 * the loads added without an accumulator, decoded column by column
	 * (a width's loop each) */
	for (r0 = 0; r0 < c->n; r0 += k) {
		k = c->n - r0 < COLS_CHUNK ? c->n - r0 : COLS_CHUNK;
		tsv = q->cts + r0;	/* decoded by cols_fit */
		for (i = 0; i < naggs; i++) {
			const struct rta_cols_state *st =
			    &c->s[q->cspos[i]];
			uint64_t *v = cnum + i * 3 * COLS_CHUNK;

			/* counts are summed straight from their column,
			 * and a column of one is_int needs no decoding */
			if (fast[i] == CF_SUM) {
				if (st->is_int.width != 0)
					rta_cols_u64s(&st->is_int, r0, k,
					    v + COLS_CHUNK);
				rta_cols_u64s(&st->x, r0, k,
				    v + 2 * COLS_CHUNK);
			}
		}
		for (u = 0; u < k; u = u1) {
			u1 = u + 1;
			ts = (int64_t)tsv[u];
			if (ts < from || ts >= to)
				continue;
			r = r0 + u;
			ev.ts = ts;
			/* records come in time order: the last one's bucket
			 * serves again, and so does its group when the key
			 * is the same (no group-by: the same bucket) */
			if (e == NULL || ts < start || ts >= end) {
				start = bucket_of(s, ts);
				end = bucket_end(s, start);
			}
			/* with no group-by, the records after it in the
			 * same bucket (and range) go to the same group: a
			 * run [u, u1) added load by load */
			if (s->nby == 0)
				while (u1 < k && (int64_t)tsv[u1] >= start &&
				    (int64_t)tsv[u1] < end &&
				    (int64_t)tsv[u1] >= from &&
				    (int64_t)tsv[u1] < to)
					u1++;
			if (e == NULL || s->nby > 0 || start != last) {
				for (i = 0; i < s->nby; i++)
					q->cbyv[i] = q->cgpos[i] < c->ngroup ?
					    rta_cols_gval(c,
					    (uint32_t)q->cgpos[i], r) : NULL;
				if (make_key(q, &ev, start, c->group, NULL,
				    q->cbyv) != 0)
					return nomem(err);
				if ((e = find_group(q, start, q->load, &fresh,
				    err)) == NULL)
					return err->code;
				e->end = end;
				last = start;
			} else
				fresh = 0;
			for (i = 0; i < naggs; i++) {
				const struct rta_cols_state *st =
				    &c->s[q->cspos[i]];
				struct rta_agg_acc *a = &e->acc[i];
				const uint64_t *v = cnum + i * 3 * COLS_CHUNK;
				uint32_t w = u;

				if (fresh)
					rta_cols_acc(c, (uint32_t)q->cspos[i],
					    r0 + w++, a);
				switch (fast[i]) {
				case CF_COUNT:
					a->n += rta_cols_sum(&st->n, r0 + w,
					    u1 - w);
					continue;
				case CF_SUM:
					a->n += rta_cols_sum(&st->n, r0 + w,
					    u1 - w);
					sum_run(a, st->is_int.width != 0 ?
					    v + COLS_CHUNK : NULL,
					    st->is_int.base != 0,
					    v + 2 * COLS_CHUNK, w, u1);
					continue;
				}
				for (; w < u1; w++) {
					rta_cols_acc(c, (uint32_t)q->cspos[i],
					    r0 + w, &b);
					if ((rc = rta_agg_merge(&q->load[i], 1,
					    a, &b, err)) != RTA_OK)
						return rc;
				}
			}
			q->counts.aggregates += u1 - u;
		}
	}
	return RTA_OK;
}

/* ---- rows --------------------------------------------------------------- */

size_t
rta_query_nrows(const struct rta_query *q)
{
	return q->n;
}

int
rta_query_row(const struct rta_query *q, size_t i, struct rta_query_row *row)
{
	const struct entry *e;

	if (i >= q->n)
		return 0;
	e = &q->e[q->sorted ? q->order[i] : i];
	row->start = e->start;
	row->end = e->end;
	row->group = q->arena.data + e->goff;
	row->acc = e->acc;
	return 1;
}

static const struct entry *
entry_at(const struct rta_query *q, size_t i)
{
	return &q->e[q->sorted ? q->order[i] : i];
}

int
rta_query_results(const struct rta_query *q, size_t i, struct rta_buf *b)
{
	return rta_agg_results(q->spec->aggs, q->spec->naggs,
	    entry_at(q, i)->acc, b);
}

int
rta_query_states(const struct rta_query *q, size_t i, struct rta_buf *b)
{
	return rta_agg_states(q->spec->aggs, q->spec->naggs,
	    entry_at(q, i)->acc, b);
}

/* ---- ordering ----------------------------------------------------------- */

int
rta_query_keys_parse(const struct rta_query_spec *spec, const char *list,
    struct rta_query_key **keys, size_t *n, struct rta_error *err)
{
	struct rta_query_key *k = NULL;
	const char *p = list, *e, *w;
	size_t cap = 0, nk = 0, len, i;

	*keys = NULL;
	*n = 0;
	for (;;) {
		struct rta_query_key key = { RTA_QK_START, 0, 0 };
		int found = 0;

		while (*p == ' ')
			p++;
		for (e = p; *e != '\0' && *e != ',' && *e != ' '; e++)
			;
		len = (size_t)(e - p);
		w = e;
		while (*w == ' ')
			w++;
		if (strncmp(w, "desc", 4) == 0 && (w[4] == ',' ||
		    w[4] == ' ' || w[4] == '\0')) {
			key.desc = 1;
			w += 4;
		} else if (strncmp(w, "asc", 3) == 0 && (w[3] == ',' ||
		    w[3] == ' ' || w[3] == '\0'))
			w += 3;
		while (*w == ' ')
			w++;
		if (len == 5 && memcmp(p, "start", 5) == 0)
			found = 1;
		for (i = 0; !found && i < spec->nby; i++)
			if (strlen(spec->by[i].text) == len &&
			    memcmp(spec->by[i].text, p, len) == 0) {
				key.what = RTA_QK_GROUP;
				key.index = i;
				found = 1;
			}
		for (i = 0; !found && i < spec->naggs; i++)
			if (spec->aggs[i].name_len == len &&
			    memcmp(spec->aggs[i].name, p, len) == 0) {
				key.what = RTA_QK_AGG;
				key.index = i;
				found = 1;
			}
		if (!found || (*w != ',' && *w != '\0')) {
			rta_free(k);
			return rta_error_set(err, RTA_EINVAL, "bad-order",
			    len == 0 ? "an empty name" : !found ? "'%.*s' is "
			    "not start, a --group-by field or an --agg name" :
			    "'%.*s' is followed by neither asc nor desc",
			    (int)len, p);
		}
		if (nk == cap) {
			struct rta_query_key *nkp;

			cap = cap ? cap * 2 : 4;
			if ((nkp = rta_reallocarray(k, cap, sizeof(*k))) ==
			    NULL) {
				rta_free(k);
				return nomem(err);
			}
			k = nkp;
		}
		k[nk++] = key;
		if (*w == '\0')
			break;
		p = w + 1;
	}
	*keys = k;
	*n = nk;
	return RTA_OK;
}

/* Rank of a group value for ordering: null, booleans, numbers, strings,
 * the rest. */
static int
vrank(const unsigned char *v)
{
	switch (rta_value_tag(v)) {
	case RTA_V_NULL:
		return 0;
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		return 1;
	case RTA_V_INT:
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		return 2;
	case RTA_V_STRING:
		return 3;
	default:
		return 4;
	}
}

static int
vcmp(const unsigned char *a, const unsigned char *b)
{
	int ra = vrank(a), rb = vrank(b), c;
	double x, y;
	const char *s, *t;
	size_t sl, tl;
	struct rta_buf ja = RTA_BUF_INIT, jb = RTA_BUF_INIT;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0:
		return 0;
	case 1:
		return (rta_value_tag(a) > rta_value_tag(b)) -
		    (rta_value_tag(a) < rta_value_tag(b));
	case 2:
		rta_value_num(a, &x);
		rta_value_num(b, &y);
		return (x > y) - (x < y);
	case 3:
		rta_value_str(a, &s, &sl);
		rta_value_str(b, &t, &tl);
		c = memcmp(s, t, sl < tl ? sl : tl);
		return c != 0 ? c : (sl > tl) - (sl < tl);
	default:
		/* arrays and objects: by their JSON text (rare) */
		if (rta_value_to_json(&ja, a) != 0 ||
		    rta_value_to_json(&jb, b) != 0)
			c = 0;
		else {
			c = memcmp(ja.data, jb.data, ja.len < jb.len ?
			    ja.len : jb.len);
			if (c == 0)
				c = (ja.len > jb.len) - (ja.len < jb.len);
		}
		rta_buf_release(&ja);
		rta_buf_release(&jb);
		return c;
	}
}

/* The k-th member value of group object g. */
static const unsigned char *
gval(const unsigned char *g, size_t k)
{
	struct rta_viter it;
	const unsigned char *v = NULL;
	const char *key;
	size_t klen, i;

	rta_viter_init(&it, g);
	for (i = 0; i <= k; i++)
		if (!rta_viter_member(&it, &key, &klen, &v))
			return NULL;
	return v;
}

struct sortctx {
	const struct rta_query	*q;
	const struct rta_query_key *keys;
	size_t			 nkeys;
};

static int
cmp_key(const struct sortctx *c, const struct rta_query_key *k,
    const struct entry *a, const struct entry *b)
{
	const struct rta_query *q = c->q;
	double x = 0, y = 0;
	int hx, hy;

	switch (k->what) {
	case RTA_QK_START:
		return (a->start > b->start) - (a->start < b->start);
	case RTA_QK_GROUP:
		return vcmp(gval(q->arena.data + a->goff, k->index),
		    gval(q->arena.data + b->goff, k->index));
	default:
		hx = rta_agg_number(&q->spec->aggs[k->index],
		    &a->acc[k->index], &x);
		hy = rta_agg_number(&q->spec->aggs[k->index],
		    &b->acc[k->index], &y);
		if (hx != hy)
			return hx - hy;
		return (x > y) - (x < y);
	}
}

static int
cmp_rows(const struct sortctx *c, size_t ia, size_t ib)
{
	const struct entry *a = &c->q->e[ia], *b = &c->q->e[ib];
	struct rta_query_key dk = { RTA_QK_START, 0, 0 };
	size_t i;
	int r;

	for (i = 0; i < c->nkeys; i++)
		if ((r = cmp_key(c, &c->keys[i], a, b)) != 0)
			return c->keys[i].desc ? -r : r;
	if ((r = cmp_key(c, &dk, a, b)) != 0)
		return r;
	dk.what = RTA_QK_GROUP;
	for (i = 0; i < c->q->spec->nby; i++) {
		dk.index = i;
		if ((r = cmp_key(c, &dk, a, b)) != 0)
			return r;
	}
	return 0;
}

/* A merge sort of v[0..n) (stable), with t as room for n. */
static void
msort(const struct sortctx *c, size_t *v, size_t *t, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	msort(c, v, t, h);
	msort(c, v + h, t, n - h);
	while (i < h && j < n)
		t[k++] = cmp_rows(c, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		t[k++] = v[i++];
	while (j < n)
		t[k++] = v[j++];
	memcpy(v, t, n * sizeof(*v));
}

int
rta_query_sort(struct rta_query *q, const struct rta_query_key *keys,
    size_t nkeys, struct rta_error *err)
{
	struct sortctx c = { q, keys, nkeys };
	size_t *t, i;

	rta_free(q->order);
	q->order = NULL;
	q->sorted = 0;
	if (q->n == 0)
		return RTA_OK;
	if ((q->order = rta_reallocarray(NULL, q->n, sizeof(*q->order))) ==
	    NULL || (t = rta_reallocarray(NULL, q->n, sizeof(*t))) == NULL)
		return nomem(err);
	for (i = 0; i < q->n; i++)
		q->order[i] = i;
	msort(&c, q->order, t, q->n);
	rta_free(t);
	q->sorted = 1;
	return RTA_OK;
}
