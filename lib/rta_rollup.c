/*
 * rta_rollup.c: materialized rollups (rta_rollup.h).
 *
 * (Definitions, and the choice of a rollup for a query, are in
 * rta_rollup_defs.c.)
 *
 * A refresh works chunk by chunk: a chunk is a run of target buckets
 * at least one source storage bucket wide, so that its records are read
 * in one scan.  Scans return a storage bucket's records tenant by tenant,
 * but a chunk may span several storage buckets, so the tenant is made a
 * group-by field of the merge (rta_query takes a record's tenant for
 * tenant_id when its group has none) and left out of the group written.
 * A chunk that is one storage bucket (target buckets no wider than the
 * source's) is written tenant by tenant, so a refresh holds one
 * tenant's groups at a time however many tenants there are.
 * A chunk's records may come from rta-window runs of other --by or --agg
 * lists: each shape (group keys, state names) gets its own merge.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_event.h"
#include "rta_frame.h"
#include "rta_hash.h"
#include "rta_query.h"
#include "rta_rollup.h"
#include "rta_rollup_int.h"
#include "rta_state.h"
#include "rta_time.h"
#include "rta_uuid.h"
#include "rta_value.h"

#define GEN_MAX		((1U << 21) - 1)
#define LEN_MAX		((UINT64_C(1) << 40) - 1)

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

/* ---- refresh: what changed ---------------------------------------------- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
pack(uint32_t gen, int closed, uint64_t len)
{
	if (gen > GEN_MAX)
		gen = GEN_MAX;
	if (len > LEN_MAX)
		len = LEN_MAX;
	return (uint64_t)gen << 41 | (uint64_t)(closed != 0) << 40 | len;
}

struct refresh {
	const struct rta_rollup_def *d;
	struct rta_dataset	 src;
	struct rta_writer	*w;
	struct rta_sources	*pos;
	uint32_t		 version;
	int64_t			*tb;		/* target buckets to redo */
	size_t			 ntb, tbcap;
	size_t			*posix;		/* positions to set */
	uint64_t		*posv;
	size_t			 nposix;
	size_t			*drop;		/* positions of retired source
						 * buckets */
	size_t			 ndrop;
	struct rta_rollup_result *r;
	unsigned		 threads;
	pthread_t		 closer;	/* closing the last scan */
	int			 closing;
};

static int
add_tb(struct refresh *f, int64_t t, struct rta_error *err)
{
	int64_t *nv;

	if (f->ntb == f->tbcap) {
		f->tbcap = f->tbcap ? f->tbcap * 2 : 64;
		if ((nv = rta_reallocarray(f->tb, f->tbcap, sizeof(*nv))) ==
		    NULL)
			return nomem(err);
		f->tb = nv;
	}
	f->tb[f->ntb++] = t;
	return RTA_OK;
}

/* (rta_rollup_int.h) */
int
rta_rollup_changed(const struct rta_dataset *src, struct rta_sources *pos,
    const struct rta_rollup_def *d, int64_t b, size_t *ix, uint64_t *fp)
{
	const struct rta_commit *c = &src->c;
	const struct rta_man_entry *me = rta_manifest_find(&src->man, b);
	const struct rta_store_log *top = NULL;
	char name[RTA_STORE_NAME_MAX * 2 + 64], stamp[32];
	uint64_t old;
	size_t i;
	int segonly, n;

	/* late records into a retired bucket are not a part to roll up */
	if (me != NULL && me->kind == RTA_MAN_RETIRED)
		return -1;
	for (i = 0; i < c->nlogs; i++)
		if (c->logs[i].bucket == b && (me == NULL ||
		    c->logs[i].gen > me->gen) && (top == NULL ||
		    c->logs[i].gen > top->gen))
			top = &c->logs[i];
	if (top != NULL) {
		*fp = pack(top->gen, (top->flags & RTA_STORE_LOG_CLOSED) != 0,
		    top->len);
		segonly = 0;
	} else if (me != NULL && me->kind == RTA_MAN_SEGMENT) {
		*fp = pack(me->gen, 1, 0);
		segonly = 1;
	} else
		return -1;
	rta_store_log_name(stamp, sizeof(stamp), b, 0);
	stamp[13] = '\0';
	n = snprintf(name, sizeof(name), "rollup:%s:%lld:%s", d->from,
	    (long long)(d->width / SEC_US), stamp);
	*ix = rta_sources_get(pos, RTA_SRC_BYTES, 0, name, (size_t)n);
	if (*ix == RTA_SOURCE_NONE || !pos->v[*ix].has_done)
		return 1;
	old = pos->v[*ix].done;
	if (old >> 41 == GEN_MAX)
		return 1;
	/* a segment covers closed logs only: the same generation, closed
	 * when rolled up, is the same records */
	return segonly ? !(old >> 41 == *fp >> 41 && (old >> 40 & 1) != 0) :
	    old != *fp;
}

/* Source bucket b: if it changed, note the target buckets it overlaps
 * and its new position. */
static int
check_bucket(struct refresh *f, int64_t b, struct rta_error *err)
{
	uint64_t fp;
	size_t ix;
	int64_t t, T = f->d->width;

	if (rta_rollup_changed(&f->src, f->pos, f->d, b, &ix, &fp) != 1)
		return RTA_OK;
	f->r->changed++;
	if (ix != RTA_SOURCE_NONE) {
		f->posix[f->nposix] = ix;
		f->posv[f->nposix++] = fp;
	}
	for (t = floor_div(b, T) * T; t < b + f->src.c.width; t += T)
		if (add_tb(f, t, err) != RTA_OK)
			return err->code;
	return RTA_OK;
}

/* Whether target bucket t overlaps a source bucket that was retired:
 * the source no longer holds all of it, so the rollup keeps its own. */
static int
retired_in(const struct refresh *f, int64_t t)
{
	const struct rta_manifest *m = &f->src.man;
	size_t lo = 0, hi = m->n, mid;

	/* the first entry ending after t (entries are sorted by bucket) */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->v[mid].bucket + f->src.c.width <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n && m->v[lo].bucket < t + f->d->width; lo++)
		if (m->v[lo].kind == RTA_MAN_RETIRED)
			return 1;
	return 0;
}

/* The source's buckets, checked one by one. */
static int
find_changes(struct refresh *f, struct rta_error *err)
{
	const struct rta_commit *c = &f->src.c;
	int64_t *b;
	size_t n = 0, i, k;
	int rc = RTA_OK;

	k = c->nlogs + f->src.man.n;
	if (k == 0)
		return RTA_OK;
	if ((b = rta_reallocarray(NULL, k, sizeof(*b))) == NULL ||
	    (f->posix = rta_reallocarray(NULL, k, sizeof(*f->posix))) ==
	    NULL ||
	    (f->posv = rta_reallocarray(NULL, k, sizeof(*f->posv))) == NULL) {
		free(b);
		return nomem(err);
	}
	for (i = 0; i < c->nlogs; i++)
		b[n++] = c->logs[i].bucket;
	for (i = 0; i < f->src.man.n; i++)
		b[n++] = f->src.man.v[i].bucket;
	qsort(b, n, sizeof(*b), cmp_i64);
	for (i = 0; i < n && rc == RTA_OK; i++)
		if (i == 0 || b[i] != b[i - 1])
			rc = check_bucket(f, b[i], err);
	free(b);
	if (rc != RTA_OK || f->ntb == 0)
		return rc;
	qsort(f->tb, f->ntb, sizeof(*f->tb), cmp_i64);
	for (i = k = 0; i < f->ntb; i++)
		if (k == 0 || f->tb[i] != f->tb[k - 1])
			f->tb[k++] = f->tb[i];
	f->ntb = k;
	for (i = k = 0; i < f->ntb; i++)
		if (retired_in(f, f->tb[i]))
			f->r->skipped++;
		else
			f->tb[k++] = f->tb[i];
	f->ntb = k;
	return RTA_OK;
}

/* (rta_rollup_int.h) */
int
rta_rollup_drops(const struct rta_dataset *src, struct rta_sources *pos,
    const struct rta_rollup_def *d, size_t **dropp, size_t *ndrop,
    struct rta_error *err)
{
	const struct rta_manifest *m = &src->man;
	char name[RTA_STORE_NAME_MAX * 2 + 64], stamp[32];
	size_t i, ix, *drop;
	int n;

	*dropp = NULL;
	*ndrop = 0;
	if (m->n == 0)
		return RTA_OK;
	if ((drop = rta_reallocarray(NULL, m->n, sizeof(*drop))) == NULL)
		return nomem(err);
	for (i = 0; i < m->n; i++) {
		if (m->v[i].kind != RTA_MAN_RETIRED)
			continue;
		rta_store_log_name(stamp, sizeof(stamp), m->v[i].bucket, 0);
		stamp[13] = '\0';
		n = snprintf(name, sizeof(name), "rollup:%s:%lld:%s",
		    d->from, (long long)(d->width / SEC_US), stamp);
		ix = rta_sources_get(pos, RTA_SRC_BYTES, 0, name, (size_t)n);
		if (ix != RTA_SOURCE_NONE && pos->v[ix].has_done)
			drop[(*ndrop)++] = ix;
	}
	*dropp = drop;
	return RTA_OK;
}

/* (rta_rollup_int.h) */
int
rta_rollup_prune(struct rta_sources *pos, const size_t *drop, size_t ndrop,
    struct rta_error *err)
{
	struct rta_sources ns;
	const struct rta_source *x;
	unsigned char *gone;
	size_t i, j;

	if ((gone = rta_calloc(pos->n + 1, 1)) == NULL)
		return nomem(err);
	for (i = 0; i < ndrop; i++)
		gone[drop[i]] = 1;
	rta_sources_init(&ns);
	for (i = 0; i < pos->n; i++) {
		x = &pos->v[i];
		if (gone[i] || (!x->has_done && x->kind == RTA_SRC_BYTES &&
		    x->len > 7 && memcmp(x->name, "rollup:", 7) == 0))
			continue;
		j = rta_sources_get(&ns, x->kind, x->partition, x->name,
		    x->len);
		if (j == RTA_SOURCE_NONE) {
			free(gone);
			rta_sources_release(&ns);
			return nomem(err);
		}
		ns.v[j].has_done = x->has_done;
		ns.v[j].done = x->done;
	}
	free(gone);
	rta_sources_release(pos);
	*pos = ns;
	return RTA_OK;
}


/* ---- refresh: merging --------------------------------------------------- */

#define SHAPES_MAX	64

/* The records of one shape (group keys, state names) in a chunk. */
struct shape {
	struct rta_buf		 sig;
	struct rta_field	*by;
	size_t			 nby;
	int			 tenant_added;	/* by ends with tenant_id */
	struct rta_agg_spec	*aggs;
	size_t			 naggs;
	struct rta_query_spec	 spec;
	struct rta_query	*q;
};

static void
shape_free(struct shape *sh)
{
	size_t i;

	rta_query_free(sh->q);
	for (i = 0; i < sh->nby; i++)
		rta_field_release(&sh->by[i]);
	free(sh->by);
	if (sh->aggs != NULL)
		rta_agg_specs_free(sh->aggs, sh->naggs);
	rta_buf_release(&sh->sig);
}

/* A shape's signature into b: the group keys, then the state names,
 * each list its count and then each name's length and bytes. */
static int
signature(struct rta_buf *b, const unsigned char *gobj,
    const unsigned char *states)
{
	const unsigned char *obj[2] = { gobj, states }, *v;
	struct rta_viter it;
	unsigned char b4[4];
	const char *k;
	size_t kl, j;
	int rc = 0;

	rta_buf_reset(b);
	for (j = 0; j < 2 && rc == 0; j++) {
		rta_put_u32(b4, rta_value_count(obj[j]));
		rc = rta_buf_add(b, b4, 4);
		rta_viter_init(&it, obj[j]);
		while (rc == 0 && rta_viter_member(&it, &k, &kl, &v)) {
			rta_put_u32(b4, (uint32_t)kl);
			rc = rta_buf_add(b, b4, 4) || rta_buf_add(b, k, kl);
		}
	}
	return rc;
}

/* Whether the group keys and state names are those of signature sig
 * (compared where they lie: every record of a chunk is looked up); if
 * so, their values into vals (room for both objects' members). */
static int
signature_is(const struct rta_buf *sig, const unsigned char *gobj,
    const unsigned char *states, const unsigned char **vals)
{
	const unsigned char *obj[2] = { gobj, states }, *v;
	const unsigned char *q = sig->data, *end = sig->data + sig->len;
	struct rta_viter it;
	const char *k;
	size_t kl, j, n = 0;

	for (j = 0; j < 2; j++) {
		if (end - q < 4 || rta_get_u32(q) != rta_value_count(obj[j]))
			return 0;
		q += 4;
		rta_viter_init(&it, obj[j]);
		while (rta_viter_member(&it, &k, &kl, &v)) {
			if ((size_t)(end - q) < 4 + kl ||
			    rta_get_u32(q) != kl ||
			    !rta_key_eq(q + 4, k, kl))
				return 0;
			q += 4 + kl;
			vals[n++] = v;
		}
	}
	return q == end;
}

/*
 * A part of a chunk's merge: the records of some of its tenants, merged
 * and written by one thread (the whole chunk when it is not divided).
 * Its rows go to the writer, or (out set) into out as frames, which the
 * refresh writes when every part is done, in the parts' order.
 */
struct part {
	struct refresh		*f;
	struct shape		*sh;
	size_t			 nsh, last;	/* last: the shape found last */
	const unsigned char	**vals;		/* a record's group and states */
	size_t			 nvals;
	char			 tenant[RTA_ID_MAX];
	size_t			 tlen;
	struct rta_buf		 payload, idin, group;
	struct rta_buf		*out;
	uint64_t		 in, written;
	/* a thread's: its records in the scan, and what became of them */
	const struct rta_scan	*sc;
	size_t			 lo, hi;
	const int64_t		*tb;
	size_t			 ntb;
	int64_t			 from, to;
	int			 bytenant;
	int			 rc;
	struct rta_error	 err;
};

static int
part_init(struct part *p, struct refresh *f, struct rta_buf *out,
    struct rta_error *err)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->out = out;
	rta_buf_init(&p->payload);
	rta_buf_init(&p->idin);
	rta_buf_init(&p->group);
	if ((p->sh = rta_calloc(SHAPES_MAX, sizeof(*p->sh))) == NULL)
		return nomem(err);
	return RTA_OK;
}

static void
part_release(struct part *p)
{
	size_t i;

	for (i = 0; i < p->nsh; i++)
		shape_free(&p->sh[i]);
	free(p->sh);
	p->sh = NULL;
	rta_free(p->vals);
	p->vals = NULL;
	p->nsh = 0;
	rta_buf_release(&p->payload);
	rta_buf_release(&p->idin);
	rta_buf_release(&p->group);
}

/* A new shape for a record of group gobj and states, merging over
 * [from, to). */
static int
shape_new(struct part *p, struct shape *sh, const unsigned char *gobj,
    const unsigned char *states, int64_t from, int64_t to,
    struct rta_error *err)
{
	struct refresh *f = p->f;
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t kl;
	struct rta_buf list;
	int rc = RTA_OK;

	memset(sh, 0, sizeof(*sh));
	rta_buf_init(&sh->sig);
	if (signature(&sh->sig, gobj, states) != 0 ||
	    (sh->by = rta_calloc(rta_value_count(gobj) + 1,
	    sizeof(*sh->by))) == NULL)
		return nomem(err);
	rta_viter_init(&it, gobj);
	sh->tenant_added = 1;
	while (rta_viter_member(&it, &k, &kl, &v)) {
		if ((rc = rta_field_parse_n(&sh->by[sh->nby], k, kl, err)) !=
		    RTA_OK)
			return rc == RTA_ENOMEM ? rc : rta_error_set(err,
			    RTA_EDATA, "bad-aggregate", "group key '%.*s' is "
			    "not a field", (int)(kl > 60 ? 60 : kl), k);
		sh->nby++;
		if (kl == 9 && memcmp(k, "tenant_id", 9) == 0)
			sh->tenant_added = 0;
	}
	if (sh->tenant_added) {
		if ((rc = rta_field_parse(&sh->by[sh->nby], "tenant_id",
		    err)) != RTA_OK)
			return rc;
		sh->nby++;
	}
	rta_buf_init(&list);
	rta_viter_init(&it, states);
	while (rc == 0 && rta_viter_member(&it, &k, &kl, &v))
		rc = (list.len > 0 && rta_buf_add(&list, ",", 1)) ||
		    rta_buf_add(&list, k, kl);
	if (rc != 0 || rta_buf_add(&list, "", 1) != 0) {
		rta_buf_release(&list);
		return nomem(err);
	}
	rc = rta_agg_parse((const char *)list.data, &sh->aggs, &sh->naggs,
	    err);
	rta_buf_release(&list);
	if (rc != RTA_OK)
		return rc == RTA_ENOMEM ? rc : rta_error_set(err, RTA_EDATA,
		    "bad-aggregate", "states not named by aggregates");
	sh->spec.from = from;
	sh->spec.to = to;
	sh->spec.bucket = f->d->width;
	sh->spec.by = sh->by;
	sh->spec.nby = sh->nby;
	sh->spec.aggs = sh->aggs;
	sh->spec.naggs = sh->naggs;
	return rta_query_new(&sh->spec, &sh->q, err);
}

static int
in_set(const int64_t *v, size_t n, int64_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] == t)
			return 1;
		if (v[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A record about to be written, checked whole, so that nothing
 * unchecked enters a log. */
static int
check_out(const struct rta_record *rec, struct rta_error *err)
{
	struct rta_error e2;

	if (rta_event_check_values(&rec->ev, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &e2) != RTA_OK)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: %s", (int)rec->ev.id_len,
		    rec->ev.id, e2.text);
	return RTA_OK;
}

int
rta_rollup_put(struct rta_writer *w, const struct rta_record *rec,
    struct rta_error *err)
{
	int rc;

	if ((rc = check_out(rec, err)) != RTA_OK)
		return rc;
	return rta_writer_add(w, rec, err);
}

/* rta_rollup_put's checks, and rec as a frame appended to out. */
static int
put_frame(struct rta_buf *out, const struct rta_record *rec,
    struct rta_error *err)
{
	int rc;

	if ((rc = check_out(rec, err)) != RTA_OK)
		return rc;
	if (rta_frame_put(out, rec) != 0)
		return errno == ENOMEM ? nomem(err) : rta_error_set(err,
		    RTA_EDATA, "too-large", "aggregate record %.*s does not "
		    "fit a frame", (int)rec->ev.id_len, rec->ev.id);
	return RTA_OK;
}

/* Write row i of sh as a target record. */
static int
emit(struct part *p, const struct shape *sh, size_t i,
    struct rta_error *err)
{
	struct refresh *f = p->f;
	struct rta_query_row row;
	struct rta_record rec;
	struct rta_viter it;
	const unsigned char *v, *tv;
	const char *k, *tenant;
	size_t kl, tlen, off;
	uint32_t cnt = 0;
	unsigned char b8[8];
	char t[RTA_TIME_LEN], id[RTA_UUID_LEN];
	int rc = 0;

	rta_query_row(sh->q, i, &row);
	if ((tv = rta_value_member(row.group, "tenant_id", 9)) == NULL ||
	    !rta_value_str(tv, &tenant, &tlen))
		return rta_error_set(err, RTA_EDATA, "bad-aggregate", "a "
		    "group without a tenant_id string");
	/* The group as the source wrote it. */
	rta_buf_reset(&p->group);
	if ((off = rta_venc_begin(&p->group, RTA_V_OBJECT)) == (size_t)-1)
		return nomem(err);
	rta_viter_init(&it, row.group);
	while (rc == 0 && rta_viter_member(&it, &k, &kl, &v)) {
		if (sh->tenant_added && kl == 9 &&
		    memcmp(k, "tenant_id", 9) == 0)
			continue;
		rc = rta_venc_key(&p->group, k, kl) ||
		    rta_buf_add(&p->group, v, rta_value_size(v));
		cnt++;
	}
	if (rc != 0)
		return nomem(err);
	rta_venc_end(&p->group, off, cnt);

	rta_buf_reset(&p->payload);
	off = rta_venc_begin(&p->payload, RTA_V_OBJECT);
	rta_time_format(t, row.end);
	rc = off == (size_t)-1 || rta_venc_key(&p->payload, "end", 3) ||
	    rta_venc_string(&p->payload, t, RTA_TIME_LEN) ||
	    rta_venc_key(&p->payload, "final", 5) ||
	    rta_venc_bool(&p->payload, f->src.c.watermark != INT64_MIN &&
	    row.end <= f->src.c.watermark) ||
	    rta_venc_key(&p->payload, "group", 5) ||
	    rta_buf_add(&p->payload, p->group.data, p->group.len) ||
	    rta_venc_key(&p->payload, "results", 7) ||
	    rta_query_results(sh->q, i, &p->payload) ||
	    rta_venc_key(&p->payload, "states", 6) ||
	    rta_query_states(sh->q, i, &p->payload);
	if (rc)
		return nomem(err);
	rta_venc_end(&p->payload, off, 5);

	/* The id: target, width, tenant, group, bucket start. */
	rta_buf_reset(&p->idin);
	rta_put_u64(b8, (uint64_t)f->d->width);
	rc = rta_buf_add(&p->idin, f->d->to, strlen(f->d->to) + 1) ||
	    rta_buf_add(&p->idin, b8, 8) ||
	    rta_buf_add(&p->idin, tenant, tlen) ||
	    rta_buf_add(&p->idin, "", 1) ||
	    rta_buf_add(&p->idin, p->group.data, p->group.len);
	rta_put_u64(b8, (uint64_t)row.start);
	if (rc || rta_buf_add(&p->idin, b8, 8) != 0)
		return nomem(err);
	rta_uuid_v8_hash(id, p->idin.data, p->idin.len);

	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_AGGREGATE;
	rec.ev.id = id;
	rec.ev.id_len = RTA_UUID_LEN;
	rec.ev.type = "tumbling";
	rec.ev.type_len = 8;
	rec.ev.tenant = tenant;
	rec.ev.tenant_len = (uint8_t)tlen;
	rec.ev.ts = row.start;
	rec.ev.schema_version = f->version;
	rec.ev.payload = p->payload.data;
	rec.ev.payload_len = p->payload.len;
	if (p->out == NULL)
		rc = rta_rollup_put(f->w, &rec, err);
	else
		rc = put_frame(p->out, &rec, err);
	if (rc != RTA_OK)
		return rc;
	p->written++;
	return RTA_OK;
}

/* Write the rows of the part's merges, and empty them. */
static int
flush(struct part *p, struct rta_error *err)
{
	struct shape *sh = p->sh;
	size_t i, j;
	int rc = RTA_OK;

	for (i = 0; i < p->nsh && rc == RTA_OK; i++) {
		if ((rc = rta_query_sort(sh[i].q, NULL, 0, err)) != RTA_OK)
			break;
		for (j = 0; j < rta_query_nrows(sh[i].q) && rc == RTA_OK; j++)
			rc = emit(p, &sh[i], j, err);
	}
	for (i = 0; i < p->nsh; i++)
		shape_free(&sh[i]);
	p->nsh = 0;
	return rc;
}

/*
 * Merge one record of a chunk's target buckets tb[0..n) (sorted) over
 * [from, to).  bytenant: the chunk lies in one source storage bucket,
 * whose records a scan returns tenant by tenant, so each tenant's merges
 * are written and freed when the next tenant's records begin (memory for
 * one tenant's groups, not all of them).
 */
static int
part_add(struct part *p, const struct rta_record *rec, const int64_t *tb,
    size_t n, int64_t from, int64_t to, int bytenant,
    struct rta_error *err)
{
	struct refresh *f = p->f;
	struct shape *sh = p->sh;
	struct rta_agg_parts pp;
	const unsigned char *gobj, *states;
	size_t i, need;
	int rc;

	if (!in_set(tb, n, floor_div(rec->ev.ts, f->d->width) * f->d->width))
		return RTA_OK;
	if (bytenant && (rec->ev.tenant_len != p->tlen ||
	    !rta_key_eq((const unsigned char *)rec->ev.tenant, p->tenant,
	    p->tlen))) {
		if ((rc = flush(p, err)) != RTA_OK)
			return rc;
		p->tlen = rec->ev.tenant_len;
		memcpy(p->tenant, rec->ev.tenant, p->tlen);
	}
	rta_aggregate_parts(rec->ev.payload, &pp);
	gobj = pp.group;
	states = pp.states;
	if (gobj == NULL || states == NULL ||
	    rta_value_tag(gobj) != RTA_V_OBJECT ||
	    rta_value_tag(states) != RTA_V_OBJECT ||
	    rta_value_count(states) == 0)
		return rta_error_set(err, RTA_EDATA, "bad-aggregate",
		    "aggregate record %.*s: no group or states",
		    (int)rec->ev.id_len, rec->ev.id);
	need = (size_t)rta_value_count(gobj) + rta_value_count(states);
	if (need > p->nvals) {
		const unsigned char **nv;

		if ((nv = rta_reallocarray(p->vals, need, sizeof(*nv))) ==
		    NULL)
			return nomem(err);
		p->vals = nv;
		p->nvals = need;
	}
	if (p->last < p->nsh && signature_is(&sh[p->last].sig, gobj, states,
	    p->vals))
		i = p->last;
	else
		for (i = 0; i < p->nsh; i++)
			if (signature_is(&sh[i].sig, gobj, states, p->vals))
				break;
	if (i == p->nsh) {
		if (p->nsh == SHAPES_MAX)
			return rta_error_set(err, RTA_ELIMIT, "too-many-shapes",
			    "more than %d kinds of group or aggregate list in "
			    "one chunk", SHAPES_MAX);
		rc = shape_new(p, &sh[p->nsh], gobj, states, from, to, err);
		p->nsh++;
		if (rc != RTA_OK)
			return rc;
		/* made from this record, it matches: the values */
		(void)signature_is(&sh[i].sig, gobj, states, p->vals);
	}
	p->last = i;
	/* each shape's records have the same keys in the same order */
	pp.gvals = p->vals;
	pp.ngvals = rta_value_count(gobj);
	pp.svals = p->vals + pp.ngvals;
	pp.nsvals = rta_value_count(states);
	if ((rc = rta_query_add_parts(sh[i].q, rec, &pp, err)) != RTA_OK)
		return rc;
	p->in++;
	return RTA_OK;
}

/* A thread's part: records lo to hi of the loaded bucket. */
static void *
part_main(void *arg)
{
	struct part *p = arg;
	struct rta_record rec;
	size_t i;

	p->rc = RTA_OK;
	for (i = p->lo; i < p->hi && p->rc == RTA_OK; i++)
		if ((p->rc = rta_scan_get(p->sc, i, &rec, &p->err)) ==
		    RTA_OK)
			p->rc = part_add(p, &rec, p->tb, p->ntb, p->from,
			    p->to, p->bytenant, &p->err);
	if (p->rc == RTA_OK)
		p->rc = flush(p, &p->err);
	return NULL;
}

/* Write the frames of out[0..len): rows a part made. */
static int
write_frames(struct refresh *f, const struct rta_buf *out,
    struct rta_error *err)
{
	struct rta_record rec;
	struct rta_error e2;
	size_t off = 0, size;
	int is_header;

	while (off < out->len) {
		if (rta_frame_probe(out->data + off, out->len - off,
		    RTA_FRAME_MAX, &is_header, &size, &e2) != RTA_OK ||
		    is_header || size > out->len - off ||
		    rta_frame_decode_padded(out->data + off, size,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS,
		    RTA_DECODE_SUMMED, &rec, &e2) != RTA_OK)
			return rta_error_set(err, RTA_EDATA, "bad-aggregate",
			    "a merged record does not read back: %s",
			    e2.text);
		rec.ev.frame = out->data + off;
		rec.ev.frame_len = size;
		if (rta_writer_add(f->w, &rec, err) != RTA_OK)
			return err->code;
		off += size;
	}
	return RTA_OK;
}

/* Fewer records than this a part: not worth dividing. */
#define PART_MIN	4096
/* Parts a thread: threads that finish early take more, so that one slow
 * part does not leave the others' threads waiting. */
#define PARTS_EACH	32

/* The parts of a divided chunk, each taken by the next thread free. */
struct crew {
	pthread_mutex_t	 mu;
	struct part	*pv;
	size_t		 np, next;
};

static void *
crew_main(void *arg)
{
	struct crew *c = arg;
	size_t i;

	for (;;) {
		(void)pthread_mutex_lock(&c->mu);
		i = c->next < c->np ? c->next++ : c->np;
		(void)pthread_mutex_unlock(&c->mu);
		if (i == c->np)
			return NULL;
		part_main(&c->pv[i]);
	}
}

/*
 * A chunk in one storage bucket, divided by tenant into parts (each a
 * run of whole tenants, in the scan's order) that f->threads threads
 * merge; the parts' rows are written in the parts' order, so that they
 * are the same, in the same order, as one thread's.  *done: 0 when the
 * bucket could not be divided (the caller reads it).
 */
static int
run_divided(struct refresh *f, struct rta_scan *sc, const int64_t *tb,
    size_t n, int64_t from, int64_t to, int *done, struct rta_error *err)
{
	struct crew crew;
	struct part *pv;
	struct rta_buf *outs;
	pthread_t *tid;
	size_t nrec, np, nt, i, lo;
	int rc = RTA_OK, *started;

	*done = 0;
	if ((rc = rta_scan_load(sc, &nrec, err)) != RTA_OK)
		return rc == RTA_EOF ? RTA_OK : rc;
	if (nrec == 0)
		return RTA_OK;	/* a segment: the caller reads it */
	*done = 1;
	np = (size_t)f->threads * PARTS_EACH;
	if (np > nrec / PART_MIN)
		np = nrec / PART_MIN > 0 ? nrec / PART_MIN : 1;
	nt = f->threads < np ? f->threads : np;
	pv = rta_calloc(np, sizeof(*pv));
	outs = rta_calloc(np, sizeof(*outs));
	tid = rta_calloc(nt, sizeof(*tid));
	started = rta_calloc(nt, sizeof(*started));
	if (pv == NULL || outs == NULL || tid == NULL || started == NULL) {
		rc = nomem(err);
		goto out;
	}
	for (i = 0; i < np; i++)
		rta_buf_init(&outs[i]);
	(void)rta_hash_seed();		/* chosen once, before the threads */
	for (i = 0, lo = 0; i < np && rc == RTA_OK; i++) {
		struct part *p = &pv[i];

		if ((rc = part_init(p, f, np > 1 ? &outs[i] : NULL, err)) !=
		    RTA_OK)
			break;
		p->sc = sc;
		p->lo = lo;
		p->hi = i + 1 == np ? nrec : rta_scan_tenant_start(sc,
		    nrec / np * (i + 1));
		if (p->hi < lo)
			p->hi = lo;
		lo = p->hi;
		p->tb = tb;
		p->ntb = n;
		p->from = from;
		p->to = to;
		p->bytenant = 1;
	}
	if (rc != RTA_OK)
		goto out;
	crew.pv = pv;
	crew.np = np;
	crew.next = 0;
	if (pthread_mutex_init(&crew.mu, NULL) != 0) {
		rc = rta_error_set(err, RTA_ENOMEM, "nomem", "no mutex");
		goto out;
	}
	for (i = 1; i < nt; i++)
		started[i] = pthread_create(&tid[i], NULL, crew_main,
		    &crew) == 0;
	crew_main(&crew);
	for (i = 1; i < nt; i++)
		if (started[i])
			(void)pthread_join(tid[i], NULL);
	(void)pthread_mutex_destroy(&crew.mu);
	for (i = 0; i < np && rc == RTA_OK; i++) {
		if (pv[i].rc != RTA_OK) {
			*err = pv[i].err;
			rc = pv[i].rc;
			break;
		}
		f->r->records_in += pv[i].in;
		f->r->records_out += pv[i].written;
		if (np > 1)
			rc = write_frames(f, &outs[i], err);
	}
out:
	for (i = 0; pv != NULL && i < np; i++)
		part_release(&pv[i]);
	for (i = 0; outs != NULL && i < np; i++)
		rta_buf_release(&outs[i]);
	free(pv);
	free(outs);
	free(tid);
	free(started);
	return rc;
}

/*
 * Closing a scan unmaps its bucket's logs and frees its entries, tens of
 * milliseconds for an hour of a large store: with threads to spare it
 * is done on a thread of its own while the refresh goes on (the next
 * chunk, the writing and committing); close_wait waits for it.
 */
static void *
close_main(void *arg)
{
	rta_scan_close(arg);
	return NULL;
}

static void
close_wait(struct refresh *f)
{
	if (f->closing)
		(void)pthread_join(f->closer, NULL);
	f->closing = 0;
}

static void
close_later(struct refresh *f, struct rta_scan *sc)
{
	close_wait(f);
	if (f->threads > 1 && pthread_create(&f->closer, NULL, close_main,
	    sc) == 0)
		f->closing = 1;
	else
		rta_scan_close(sc);
}

/*
 * Recompute target buckets tb[0..n) (sorted), which lie in one chunk.
 * bytenant: the chunk lies in one source storage bucket (see part_add),
 * which threads may divide.
 */
static int
run_chunk(struct refresh *f, const int64_t *tb, size_t n, int bytenant,
    struct rta_error *err)
{
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	struct part p;
	int64_t from = tb[0], to = tb[n - 1] + f->d->width;
	int rc, done = 0;

	if ((rc = rta_scan_open(&f->src, NULL, 0, from, to, &sc, err)) !=
	    RTA_OK)
		return rc;
	rta_scan_threads(sc, f->threads);
	if (bytenant && f->threads > 1 && ((rc = run_divided(f, sc, tb, n,
	    from, to, &done, err)) != RTA_OK || done)) {
		close_later(f, sc);
		return rc;
	}
	if ((rc = part_init(&p, f, NULL, err)) != RTA_OK) {
		rta_scan_close(sc);
		part_release(&p);
		return rc;
	}
	while ((rc = rta_scan_next(sc, &rec, err)) == RTA_OK)
		if ((rc = part_add(&p, &rec, tb, n, from, to, bytenant,
		    err)) != RTA_OK)
			break;
	if (rc == RTA_EOF)
		rc = flush(&p, err);
	f->r->records_in += p.in;
	f->r->records_out += p.written;
	rta_scan_close(sc);
	part_release(&p);
	return rc;
}

/* ---- refresh ------------------------------------------------------------ */

static int
target_version(struct rta_store *s, const char *name, uint32_t *version,
    struct rta_error *err)
{
	struct rta_dataset ds;
	int rc;

	if ((rc = rta_dataset_open(s, name, &ds, err)) != RTA_OK)
		return rc;
	if (ds.c.kind == RTA_DS_EVENTS)
		rc = rta_error_set(err, RTA_EINVAL, "bad-rollup", "dataset "
		    "'%s' holds raw events, not a rollup", name);
	*version = ds.c.seq >= UINT32_MAX - 1 ? UINT32_MAX :
	    (uint32_t)ds.c.seq + 1;
	rta_dataset_close(&ds);
	return rc;
}

int
rta_rollup_refresh(struct rta_store *s, const struct rta_rollup_def *d,
    unsigned threads, struct rta_rollup_result *r, struct rta_error *err)
{
	struct rta_writer_opts o;
	struct rta_recovery recov;
	const struct rta_commit *c;
	struct refresh f;
	int64_t C, T = d->width;
	size_t i, j;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = rta_rollup_check(d, err)) != RTA_OK ||
	    (rc = rta_rollup_not_cohorts(s, d->to, err)) != RTA_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	f.d = d;
	f.r = r;
	f.threads = threads > 0 ? threads : 1;
	if ((rc = rta_dataset_open(s, d->from, &f.src, err)) != RTA_OK) {
		if (rc == RTA_EOF)
			rta_error_set(err, RTA_EOF, "no-dataset", "%s: no "
			    "dataset '%s'", s->path, d->from);
		return rc;
	}
	if (f.src.c.kind == RTA_DS_EVENTS) {
		rc = rta_error_set(err, RTA_EINVAL, "bad-rollup", "dataset "
		    "'%s' holds raw events: a rollup merges aggregate "
		    "records", d->from);
		goto out;
	}
	rta_writer_opts_init(&o);
	o.max_new_buckets = 0;
	/* a bucket the source's watermark has passed is closed at once,
	 * so that compaction can seal it: a dashboard's range then reads
	 * segments, not the open log of every tenant */
	o.close_after = 0;
	if ((rc = rta_writer_open(s, d->to, &o, &f.w, &recov, err)) !=
	    RTA_OK)
		goto out;
	if ((rc = target_version(s, d->to, &f.version, err)) != RTA_OK)
		goto out;
	f.pos = rta_writer_sources(f.w);
	if ((rc = find_changes(&f, err)) != RTA_OK ||
	    (rc = rta_rollup_drops(&f.src, f.pos, d, &f.drop, &f.ndrop,
	    err)) != RTA_OK)
		goto out;
	if (f.nposix == 0 && f.ntb == 0 && f.ndrop == 0)
		goto out;
	C = f.src.c.width > T ? f.src.c.width : T;
	C = (C + T - 1) / T * T;
	for (i = 0; i < f.ntb && rc == RTA_OK; i = j) {
		int64_t cs = floor_div(f.tb[i], C) * C;

		for (j = i; j < f.ntb && f.tb[j] < cs + C; j++)
			;
		r->buckets += j - i;
		rc = run_chunk(&f, f.tb + i, j - i, C == f.src.c.width, err);
	}
	if (rc != RTA_OK)
		goto out;
	for (i = 0; i < f.nposix; i++) {
		f.pos->v[f.posix[i]].has_done = 1;
		f.pos->v[f.posix[i]].done = f.posv[i];
		f.pos->v[f.posix[i]].dirty = 1;
	}
	if ((rc = rta_rollup_prune(f.pos, f.drop, f.ndrop, err)) != RTA_OK)
		goto out;
	if (f.src.c.watermark != INT64_MIN)
		rta_writer_watermark(f.w, f.src.c.watermark);
	rta_writer_ending(f.w);
	if ((rc = rta_writer_commit(f.w, &c, err)) == RTA_OK && c != NULL)
		r->commit = c->seq;
out:
	close_wait(&f);
	if (f.w != NULL)
		rta_writer_close(f.w);
	rta_dataset_close(&f.src);
	free(f.tb);
	free(f.posix);
	free(f.posv);
	free(f.drop);
	return rc;
}
