/*
 * rta_cohort_store.c: cohort datasets: definitions, incremental refresh,
 * and the choice of one for a query (rta_cohort_store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_cohort.h"
#include "rta_cohort_store.h"
#include "rta_field.h"
#include "rta_rollup.h"
#include "rta_rollup_int.h"
#include "rta_state.h"
#include "rta_uuid.h"

#define WIDTH_MAX	(366 * 86400 * SEC_US)
#define DEFS_BYTES	(512 * 1024)

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

/* ---- definitions -------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* (rta_cohort_store.h) */
int
rta_cohort_activity_order(char *s)
{
	char *items[RTA_COHORT_ACTIVITY_MAX / 2 + 2], tmp[RTA_COHORT_ACTIVITY_MAX
	    + 1], *p, *q;
	size_t n = 0, i, len = 0;

	if (strcmp(s, "*") == 0)
		*s = '\0';
	if (*s == '\0')
		return 0;
	snprintf(tmp, sizeof(tmp), "%s", s);
	for (p = tmp; p != NULL; p = q) {
		if ((q = strchr(p, ',')) != NULL)
			*q++ = '\0';
		if (*p == '\0')
			return -1;
		for (i = 0; p[i] != '\0'; i++)
			if ((unsigned char)p[i] <= ' ' || p[i] == 0x7f)
				return -1;
		items[n++] = p;
	}
	qsort(items, n, sizeof(*items), cmp_str);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(items[i], items[i - 1]) == 0)
			continue;
		len += (size_t)snprintf(s + len, RTA_COHORT_ACTIVITY_MAX + 1 -
		    len, "%s%s", len > 0 ? "," : "", items[i]);
	}
	return 0;
}

int
rta_cohort_def_check(struct rta_cohort_def *d, struct rta_error *err)
{
	struct rta_field f;
	size_t i;

	if (!rta_store_name_valid(d->from) || !rta_store_name_valid(d->to))
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "bad "
		    "dataset name '%.64s'", rta_store_name_valid(d->from) ?
		    d->to : d->from);
	if (strcmp(d->from, d->to) == 0)
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "dataset "
		    "'%s' cannot hold its own cohorts", d->from);
	if (d->width < SEC_US || d->width > WIDTH_MAX ||
	    d->width % SEC_US != 0)
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "bucket "
		    "width not whole seconds from 1s to 366d");
	for (i = 0; d->user[i] != '\0'; i++)
		if ((unsigned char)d->user[i] <= ' ' || d->user[i] == 0x7f)
			return rta_error_set(err, RTA_EINVAL, "bad-cohort",
			    "a user field with white space cannot be kept "
			    "in a definition");
	if (rta_field_parse(&f, d->user, err) != RTA_OK)
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "bad user "
		    "field '%.64s'", d->user);
	rta_field_release(&f);
	if (rta_cohort_activity_order(d->activity) != 0)
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "bad "
		    "activity list (event types without white space, joined "
		    "by commas)");
	return RTA_OK;
}

static int
parse_line(const char *p, size_t len, struct rta_cohort_def *d)
{
	char line[RTA_COHORT_FIELD_MAX + RTA_COHORT_ACTIVITY_MAX + 256];
	char from[80], to[80], user[RTA_COHORT_FIELD_MAX + 2];
	char act[RTA_COHORT_ACTIVITY_MAX + 2], tail[2];
	long long w;

	if (len >= sizeof(line))
		return -1;
	memcpy(line, p, len);
	line[len] = '\0';
	if (sscanf(line, "%79s %79s %lld %256s %1024s %1s", from, to, &w,
	    user, act, tail) != 5 || strlen(from) > RTA_STORE_NAME_MAX ||
	    strlen(to) > RTA_STORE_NAME_MAX || strlen(user) >
	    RTA_COHORT_FIELD_MAX || strlen(act) > RTA_COHORT_ACTIVITY_MAX ||
	    w <= 0 || w > WIDTH_MAX / SEC_US)
		return -1;
	memset(d, 0, sizeof(*d));
	memcpy(d->from, from, strlen(from) + 1);
	memcpy(d->to, to, strlen(to) + 1);
	memcpy(d->user, user, strlen(user) + 1);
	memcpy(d->activity, act, strlen(act) + 1);
	d->width = (int64_t)w * SEC_US;
	return 0;
}

static int
def_line(const char *p, size_t len, void *elem)
{
	struct rta_error e2;

	return parse_line(p, len, elem) != 0 ||
	    rta_cohort_def_check(elem, &e2) != RTA_OK ? -1 : 0;
}

int
rta_cohort_defs_read(struct rta_store *s, struct rta_cohort_def **vp,
    size_t *np, struct rta_error *err)
{
	void *v;
	int rc;

	rc = rta_state_defs(s->path, RTA_COHORT_FILE, DEFS_BYTES,
	    RTA_COHORT_DEFS_MAX, sizeof(**vp), def_line, &v, np,
	    "bad-cohorts", "not a cohort definition", err);
	*vp = v;
	return rc;
}

static int
put_def(struct rta_buf *b, const struct rta_cohort_def *d)
{
	return rta_buf_printf(b, "%s %s %lld %s %s\n", d->from, d->to,
	    (long long)(d->width / SEC_US), d->user, d->activity[0] != '\0' ?
	    d->activity : "*");
}

/* RTA_EINVAL if name is a rollup's target: one dataset holds one kind of
 * records. */
static int
not_rollup(struct rta_store *s, const char *name, struct rta_error *err)
{
	struct rta_rollup_def *v;
	size_t n, i;
	int rc;

	if ((rc = rta_rollup_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].to, name) == 0)
			break;
	rc = i < n ? rta_error_set(err, RTA_EINVAL, "bad-cohort", "dataset "
	    "'%s' is the rollup of '%s' (rollups.conf), not cohorts", name,
	    v[i].from) : RTA_OK;
	rta_free(v);
	return rc;
}

int
rta_cohort_define(struct rta_store *s, struct rta_cohort_def *d, int *added,
    struct rta_error *err)
{
	struct rta_cohort_def *v;
	struct rta_buf b;
	size_t n, i;
	int rc;

	*added = 0;
	if ((rc = rta_cohort_def_check(d, err)) != RTA_OK ||
	    (rc = not_rollup(s, d->to, err)) != RTA_OK ||
	    (rc = rta_cohort_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].to, d->to) == 0) {
			rc = strcmp(v[i].from, d->from) == 0 &&
			    v[i].width == d->width &&
			    strcmp(v[i].user, d->user) == 0 &&
			    strcmp(v[i].activity, d->activity) == 0 ? RTA_OK :
			    rta_error_set(err, RTA_EINVAL, "bad-cohort",
			    "dataset '%s' already holds other cohorts of "
			    "'%s'", d->to, v[i].from);
			rta_free(v);
			return rc;
		}
	if (n == RTA_COHORT_DEFS_MAX) {
		rta_free(v);
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "more "
		    "than %d cohort datasets", RTA_COHORT_DEFS_MAX);
	}
	rta_buf_init(&b);
	for (i = 0, rc = 0; i < n && rc == 0; i++)
		rc = put_def(&b, &v[i]);
	rc = rc || put_def(&b, d);
	rta_free(v);
	rc = rc != 0 ? nomem(err) : rta_state_replace(s->path,
	    RTA_COHORT_FILE, b.data, b.len, err);
	rta_buf_release(&b);
	if (rc == RTA_OK)
		*added = 1;
	return rc;
}

/* ---- refresh -------------------------------------------------------------- */

struct refresh {
	const struct rta_cohort_def *d;
	struct rta_rollup_def	 rd;		/* for the positions */
	struct rta_dataset	 src;
	struct rta_writer	*w;
	struct rta_sources	*pos;
	uint32_t		 version;
	struct rta_field	 user;
	char			*types[RTA_COHORT_ACTIVITY_MAX / 2 + 1];
	char			 act[RTA_COHORT_ACTIVITY_MAX + 1];
	struct rta_cohort_spec	 spec;
	struct rta_cohort	*c;
	struct rta_cohort_result *r;
	struct rta_buf		 payload, idin;
};

/* The types of the activity list: pointers into f->act. */
static void
split_types(struct refresh *f)
{
	snprintf(f->act, sizeof(f->act), "%s", f->d->activity);
	f->spec.nactivity = rta_cohort_split(f->act, f->types,
	    sizeof(f->types) / sizeof(f->types[0]));
	f->spec.activity = f->types;
}

/* Merge every record of [from, to) of ds into the users. */
static int
read_all(struct refresh *f, struct rta_dataset *ds, int64_t from, int64_t to,
    struct rta_error *err)
{
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	int rc;

	if ((rc = rta_scan_open(ds, NULL, 0, from, to, &sc, err)) != RTA_OK)
		return rc;
	while ((rc = rta_scan_next(sc, &rec, err)) == RTA_OK)
		if ((rc = rta_cohort_add(f->c, &rec, err)) != RTA_OK)
			break;
	rta_scan_close(sc);
	return rc == RTA_EOF ? RTA_OK : rc;
}

/* The target's states so far. */
static int
load_target(struct refresh *f, struct rta_store *s, struct rta_error *err)
{
	struct rta_dataset t;
	int rc;

	if ((rc = rta_dataset_open(s, f->d->to, &t, err)) != RTA_OK)
		return rc == RTA_EOF ? RTA_OK : rc;
	if (t.c.kind == RTA_DS_EVENTS)
		rc = rta_error_set(err, RTA_EINVAL, "bad-cohort", "dataset "
		    "'%s' holds raw events, not cohorts", f->d->to);
	else
		rc = read_all(f, &t, RTA_TIME_MIN, RTA_TIME_MAX, err);
	f->version = t.c.seq >= UINT32_MAX - 1 ? UINT32_MAX :
	    (uint32_t)t.c.seq + 1;
	rta_dataset_close(&t);
	return rc;
}

static int
write_user(struct refresh *f, const struct rta_cohort_user *u, int moved,
    struct rta_error *err)
{
	struct rta_record rec;
	char id[RTA_UUID_LEN];
	int rc;

	if (rta_cohort_payload(&f->payload, u, f->d->width, moved) != 0)
		return nomem(err);
	rta_buf_reset(&f->idin);
	if (rta_buf_add(&f->idin, f->d->to, strlen(f->d->to) + 1) != 0 ||
	    rta_buf_add(&f->idin, u->tenant, u->tlen) != 0 ||
	    rta_buf_add(&f->idin, "", 1) != 0 ||
	    rta_buf_add(&f->idin, u->user, u->ulen) != 0)
		return nomem(err);
	rta_uuid_v8_hash(id, f->idin.data, f->idin.len);
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_AGGREGATE;
	rec.ev.id = id;
	rec.ev.id_len = RTA_UUID_LEN;
	rec.ev.type = RTA_COHORT_WINDOW;
	rec.ev.type_len = (uint8_t)strlen(RTA_COHORT_WINDOW);
	rec.ev.tenant = u->tenant;
	rec.ev.tenant_len = (uint8_t)u->tlen;
	rec.ev.ts = moved ? u->was : u->start;
	rec.ev.schema_version = f->version;
	rec.ev.payload = f->payload.data;
	rec.ev.payload_len = f->payload.len;
	if ((rc = rta_rollup_put(f->w, &rec, err)) != RTA_OK)
		return rc;
	f->r->records_out++;
	return RTA_OK;
}

/*
 * RTA_EINVAL if d's target is defined otherwise: its records hold the
 * states of the definition's user field and activity, which a refresh
 * of other ones would mix into them unseen.
 */
static int
same_as_defined(struct rta_store *s, const struct rta_cohort_def *d,
    struct rta_error *err)
{
	struct rta_cohort_def *v;
	size_t n, i;
	int rc;

	if ((rc = rta_cohort_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].to, d->to) == 0)
			break;
	rc = i == n || (strcmp(v[i].from, d->from) == 0 &&
	    v[i].width == d->width && strcmp(v[i].user, d->user) == 0 &&
	    strcmp(v[i].activity, d->activity) == 0) ? RTA_OK :
	    rta_error_set(err, RTA_EINVAL, "bad-cohort", "dataset '%s' is "
	    "defined as the cohorts of %s in '%s' by %llds, activity %s "
	    "(cohorts.conf)", d->to, v[i].user, v[i].from,
	    (long long)(v[i].width / SEC_US), v[i].activity[0] ?
	    v[i].activity : "*");
	rta_free(v);
	return rc;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
rta_cohort_refresh(struct rta_store *s, const struct rta_cohort_def *d,
    uint64_t max_users, struct rta_cohort_result *r, struct rta_error *err)
{
	struct rta_cohort_def dc = *d;
	struct rta_writer_opts o;
	struct rta_recovery recov;
	const struct rta_commit *cm;
	const struct rta_cohort_counts *cc;
	struct rta_cohort_user u;
	struct refresh f;
	int64_t *b = NULL;
	size_t *posix = NULL, *drop = NULL, ndrop = 0, nb = 0, np = 0, i, k;
	uint64_t *posv = NULL, fp;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = rta_cohort_def_check(&dc, err)) != RTA_OK ||
	    (rc = not_rollup(s, dc.to, err)) != RTA_OK ||
	    (rc = same_as_defined(s, &dc, err)) != RTA_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	f.d = &dc;
	f.r = r;
	rta_buf_init(&f.payload);
	rta_buf_init(&f.idin);
	snprintf(f.rd.from, sizeof(f.rd.from), "%s", dc.from);
	snprintf(f.rd.to, sizeof(f.rd.to), "%s", dc.to);
	f.rd.width = dc.width;
	if ((rc = rta_field_parse(&f.user, dc.user, err)) != RTA_OK)
		return rc;
	split_types(&f);
	f.spec.user = &f.user;
	f.spec.width = dc.width;
	f.spec.periods = 1;
	f.spec.from = RTA_TIME_MIN;
	f.spec.to = RTA_TIME_MAX;
	f.spec.max_users = max_users;
	if ((rc = rta_dataset_open(s, dc.from, &f.src, err)) != RTA_OK) {
		if (rc == RTA_EOF)
			rta_error_set(err, RTA_EOF, "no-dataset", "%s: no "
			    "dataset '%s'", s->path, dc.from);
		rta_field_release(&f.user);
		return rc;
	}
	if (f.src.c.kind == RTA_DS_AGGREGATES) {
		rc = rta_error_set(err, RTA_EINVAL, "bad-cohort", "dataset "
		    "'%s' holds aggregate records: cohorts are made from raw "
		    "events", dc.from);
		goto out;
	}
	rta_writer_opts_init(&o);
	o.max_new_buckets = 0;
	if ((rc = rta_writer_open(s, dc.to, &o, &f.w, &recov, err)) != RTA_OK)
		goto out;
	f.pos = rta_writer_sources(f.w);

	/* the source buckets that changed */
	k = f.src.c.nlogs + f.src.man.n;
	if (k > 0 && ((b = rta_reallocarray(NULL, k, sizeof(*b))) == NULL ||
	    (posix = rta_reallocarray(NULL, k, sizeof(*posix))) == NULL ||
	    (posv = rta_reallocarray(NULL, k, sizeof(*posv))) == NULL)) {
		rc = nomem(err);
		goto out;
	}
	for (i = 0; i < f.src.c.nlogs; i++)
		b[nb++] = f.src.c.logs[i].bucket;
	for (i = 0; i < f.src.man.n; i++)
		b[nb++] = f.src.man.v[i].bucket;
	if (nb > 0)
		qsort(b, nb, sizeof(*b), cmp_i64);
	for (i = k = 0; i < nb; i++) {
		size_t ix;

		if (i > 0 && b[i] == b[i - 1])
			continue;
		if (rta_rollup_changed(&f.src, f.pos, &f.rd, b[i], &ix, &fp) !=
		    1)
			continue;
		b[k++] = b[i];
		if (ix != RTA_SOURCE_NONE) {
			posix[np] = ix;
			posv[np++] = fp;
		}
	}
	nb = k;
	r->changed = nb;
	if ((rc = rta_rollup_drops(&f.src, f.pos, &f.rd, &drop, &ndrop,
	    err)) != RTA_OK)
		goto out;
	if (np == 0 && nb == 0 && ndrop == 0)
		goto out;

	if ((rc = rta_cohort_new(&f.spec, &f.c, err)) != RTA_OK ||
	    (rc = load_target(&f, s, err)) != RTA_OK)
		goto out;
	if (f.version == 0)
		f.version = 1;
	r->states_in = rta_cohort_counts(f.c)->states;
	rta_cohort_mark(f.c);
	for (i = 0; i < nb && rc == RTA_OK; i++)
		rc = read_all(&f, &f.src, b[i], b[i] + f.src.c.width, err);
	if (rc != RTA_OK)
		goto out;
	cc = rta_cohort_counts(f.c);
	r->events_in = cc->events;
	r->no_user = cc->no_user;
	r->users = cc->users;
	for (i = 0; i < rta_cohort_nusers(f.c) && rc == RTA_OK; i++) {
		rta_cohort_user(f.c, i, &u);
		if (!u.changed)
			continue;
		rc = write_user(&f, &u, 0, err);
		if (rc == RTA_OK && u.was != INT64_MIN && u.was != u.start) {
			r->moved++;
			rc = write_user(&f, &u, 1, err);
		}
	}
	if (rc != RTA_OK)
		goto out;
	for (i = 0; i < np; i++) {
		f.pos->v[posix[i]].has_done = 1;
		f.pos->v[posix[i]].done = posv[i];
		f.pos->v[posix[i]].dirty = 1;
	}
	if ((rc = rta_rollup_prune(f.pos, drop, ndrop, err)) != RTA_OK)
		goto out;
	rta_writer_ending(f.w);
	/* with no user at all yet the target has no kind: nothing is
	 * committed, and the next refresh reads the source again */
	if ((rc = rta_writer_commit(f.w, &cm, err)) == RTA_OK && cm != NULL)
		r->commit = cm->seq;
out:
	if (f.w != NULL)
		rta_writer_close(f.w);
	rta_cohort_free(f.c);
	rta_dataset_close(&f.src);
	rta_field_release(&f.user);
	rta_free(b);
	rta_free(posix);
	rta_free(posv);
	rta_free(drop);
	rta_buf_release(&f.payload);
	rta_buf_release(&f.idin);
	return rc;
}

/* ---- choosing a cohort dataset -------------------------------------------- */

/* Whether d's target holds what a refresh now would: every source bucket
 * read as it is, none of its own buckets before to retired. */
static int
current(struct rta_store *s, const struct rta_cohort_def *d, int64_t to,
    int *cur, struct rta_error *err)
{
	struct rta_rollup_def rd;
	struct rta_dataset src, tds;
	const struct rta_commit *c;
	uint64_t fp;
	size_t i, ix;
	int64_t b;
	int rc;

	*cur = 0;
	memset(&rd, 0, sizeof(rd));
	snprintf(rd.from, sizeof(rd.from), "%s", d->from);
	snprintf(rd.to, sizeof(rd.to), "%s", d->to);
	rd.width = d->width;
	if ((rc = rta_dataset_open(s, d->from, &src, err)) != RTA_OK)
		return rc == RTA_EOF ? RTA_OK : rc;
	if ((rc = rta_dataset_open(s, d->to, &tds, err)) != RTA_OK) {
		rta_dataset_close(&src);
		return rc == RTA_EOF ? RTA_OK : rc;
	}
	c = &src.c;
	*cur = tds.c.kind == RTA_DS_AGGREGATES && c->kind == RTA_DS_EVENTS;
	for (i = 0; *cur && i < c->nlogs + src.man.n; i++) {
		b = i < c->nlogs ? c->logs[i].bucket :
		    src.man.v[i - c->nlogs].bucket;
		if (rta_rollup_changed(&src, &tds.c.src, &rd, b, &ix, &fp) ==
		    1)
			*cur = 0;
	}
	/* a retired bucket before the range held users whose cohorts the
	 * dataset no longer knows: later activity would make them new */
	for (i = 0; *cur && i < tds.man.n; i++)
		if (tds.man.v[i].kind == RTA_MAN_RETIRED &&
		    tds.man.v[i].bucket < to)
			*cur = 0;
	rta_dataset_close(&tds);
	rta_dataset_close(&src);
	return RTA_OK;
}

int
rta_cohort_choose(struct rta_store *s, const char *name, const char *user,
    int64_t width, const char *activity, int64_t to,
    char *best, struct rta_buf *why, struct rta_error *err)
{
	struct rta_cohort_def *v;
	size_t n, i;
	int rc, cur, fits, found = 0;

	snprintf(best, RTA_STORE_NAME_MAX + 1, "%s", name);
	if ((rc = rta_cohort_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	for (i = 0; i < n && rc == RTA_OK; i++) {
		if (strcmp(v[i].from, name) != 0)
			continue;
		fits = v[i].width == width && strcmp(v[i].user, user) == 0 &&
		    strcmp(v[i].activity, activity) == 0;
		cur = 0;
		if (fits && (rc = current(s, &v[i], to, &cur, err)) !=
		    RTA_OK)
			break;
		if (why != NULL && rta_buf_printf(why, "cohorts %s (%s by "
		    "%llds, activity %s): %s\n", v[i].to, v[i].user,
		    (long long)(v[i].width / SEC_US), v[i].activity[0] ?
		    v[i].activity : "*", !fits ? "another user field, "
		    "width or activity" : !cur ? "not current: refreshed "
		    "before its source last changed, or some of its "
		    "buckets retired" : found ? "answers the query (another "
		    "was chosen)" : "answers the query") != 0) {
			rc = nomem(err);
			break;
		}
		if (fits && cur && !found) {
			found = 1;
			snprintf(best, RTA_STORE_NAME_MAX + 1, "%s", v[i].to);
		}
	}
	rta_free(v);
	return rc;
}
