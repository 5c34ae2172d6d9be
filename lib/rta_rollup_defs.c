/*
 * rta_rollup_defs.c: rollup definitions kept in the store, and the
 * choice of a rollup to answer a query (rta_rollup.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_cohort_store.h"
#include "rta_rollup.h"
#include "rta_rollup_int.h"
#include "rta_state.h"

#define WIDTH_MAX	(366 * 86400 * SEC_US)
#define DEFS_BYTES	(64 * 1024)

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

int
rta_rollup_check(const struct rta_rollup_def *d, struct rta_error *err)
{
	if (!rta_store_name_valid(d->from) || !rta_store_name_valid(d->to))
		return rta_error_set(err, RTA_EINVAL, "bad-rollup", "bad "
		    "dataset name '%.64s'", rta_store_name_valid(d->from) ?
		    d->to : d->from);
	if (strcmp(d->from, d->to) == 0)
		return rta_error_set(err, RTA_EINVAL, "bad-rollup", "dataset "
		    "'%s' cannot roll up into itself", d->from);
	if (d->width < SEC_US || d->width > WIDTH_MAX ||
	    d->width % SEC_US != 0)
		return rta_error_set(err, RTA_EINVAL, "bad-rollup", "bucket "
		    "width not whole seconds from 1s to 366d");
	return RTA_OK;
}

/* ---- definitions -------------------------------------------------------- */

static int
parse_line(const char *p, size_t len, struct rta_rollup_def *d)
{
	char line[256], from[80], to[80], tail[2];
	long long w;

	if (len >= sizeof(line))
		return -1;
	memcpy(line, p, len);
	line[len] = '\0';
	if (sscanf(line, "%79s %79s %lld %1s", from, to, &w, tail) != 3 ||
	    strlen(from) > RTA_STORE_NAME_MAX ||
	    strlen(to) > RTA_STORE_NAME_MAX || w <= 0 ||
	    w > WIDTH_MAX / SEC_US)
		return -1;
	memset(d, 0, sizeof(*d));
	memcpy(d->from, from, strlen(from) + 1);
	memcpy(d->to, to, strlen(to) + 1);
	d->width = (int64_t)w * SEC_US;
	return 0;
}

static int
def_line(const char *p, size_t len, void *elem)
{
	struct rta_error e2;

	return parse_line(p, len, elem) != 0 ||
	    rta_rollup_check(elem, &e2) != RTA_OK ? -1 : 0;
}

int
rta_rollup_defs_read(struct rta_store *s, struct rta_rollup_def **vp,
    size_t *np, struct rta_error *err)
{
	void *v;
	int rc;

	rc = rta_state_defs(s->path, RTA_ROLLUP_FILE, DEFS_BYTES,
	    RTA_ROLLUP_DEFS_MAX, sizeof(**vp), def_line, &v, np,
	    "bad-rollups", "not a rollup definition", err);
	*vp = v;
	return rc;
}

/* The definition making dataset name, or NULL. */
static const struct rta_rollup_def *
maker(const struct rta_rollup_def *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].to, name) == 0)
			return &v[i];
	return NULL;
}

/* (rta_rollup_int.h) */
int
rta_rollup_not_cohorts(struct rta_store *s, const char *name,
    struct rta_error *err)
{
	struct rta_cohort_def *v;
	size_t n, i;
	int rc;

	if ((rc = rta_cohort_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].to, name) == 0)
			break;
	rc = i < n ? rta_error_set(err, RTA_EINVAL, "bad-rollup", "dataset "
	    "'%s' holds the cohorts of '%s' (cohorts.conf), not a rollup",
	    name, v[i].from) : RTA_OK;
	rta_free(v);
	return rc;
}

int
rta_rollup_define(struct rta_store *s, const struct rta_rollup_def *d,
    int *added, struct rta_error *err)
{
	struct rta_rollup_def *v;
	const struct rta_rollup_def *m;
	struct rta_buf b;
	const char *name;
	size_t n, i, hops;
	int rc;

	*added = 0;
	if ((rc = rta_rollup_check(d, err)) != RTA_OK ||
	    (rc = rta_rollup_not_cohorts(s, d->to, err)) != RTA_OK ||
	    (rc = rta_rollup_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	if ((m = maker(v, n, d->to)) != NULL) {
		rc = strcmp(m->from, d->from) == 0 && m->width == d->width ?
		    RTA_OK : rta_error_set(err, RTA_EINVAL, "bad-rollup",
		    "dataset '%s' is already the rollup of '%s' by %llds",
		    d->to, m->from, (long long)(m->width / SEC_US));
		free(v);
		return rc;
	}
	/* Follow the source's makers back: reaching the target is a loop. */
	for (name = d->from, hops = 0; hops <= n; hops++) {
		if (strcmp(name, d->to) == 0) {
			free(v);
			return rta_error_set(err, RTA_EINVAL, "bad-rollup",
			    "rolling '%s' into '%s' makes a loop", d->from,
			    d->to);
		}
		if ((m = maker(v, n, name)) == NULL)
			break;
		name = m->from;
	}
	if (n == RTA_ROLLUP_DEFS_MAX) {
		free(v);
		return rta_error_set(err, RTA_EINVAL, "bad-rollup", "more "
		    "than %d rollups", RTA_ROLLUP_DEFS_MAX);
	}
	rta_buf_init(&b);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = rta_buf_printf(&b, "%s %s %lld\n", v[i].from, v[i].to,
		    (long long)(v[i].width / SEC_US));
	rc = rc || rta_buf_printf(&b, "%s %s %lld\n", d->from, d->to,
	    (long long)(d->width / SEC_US));
	free(v);
	if (rc != 0)
		rc = nomem(err);
	else
		rc = rta_state_replace(s->path, RTA_ROLLUP_FILE, b.data, b.len,
		    err);
	rta_buf_release(&b);
	if (rc == RTA_OK)
		*added = 1;
	return rc;
}

void
rta_rollup_order(struct rta_rollup_def *v, size_t n)
{
	struct rta_rollup_def t;
	size_t i, j, k, pass;

	/*
	 * Move a rollup after any whose target is its source; there are
	 * no loops, so n passes settle it (n is small).
	 */
	for (pass = 0; pass < n; pass++)
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++) {
				if (strcmp(v[j].to, v[i].from) != 0)
					continue;
				t = v[i];
				for (k = i; k < j; k++)
					v[k] = v[k + 1];
				v[j] = t;
				i--;
				break;
			}
}


/* ---- choosing a rollup for a query -------------------------------------- */

/*
 * Whether d's target is current over [from, to): every source bucket
 * overlapping it rolled up as the source holds it now, and none of its
 * own buckets there retired.
 */
static int
current(struct rta_store *s, const struct rta_rollup_def *d, int64_t from,
    int64_t to, int *cur, struct rta_error *err)
{
	struct rta_dataset src, tds;
	const struct rta_commit *c;
	uint64_t fp;
	size_t i, ix;
	int64_t b;
	int rc;

	*cur = 0;
	if ((rc = rta_dataset_open(s, d->from, &src, err)) != RTA_OK)
		return rc == RTA_EOF ? RTA_OK : rc;
	if ((rc = rta_dataset_open(s, d->to, &tds, err)) != RTA_OK) {
		rta_dataset_close(&src);
		return rc == RTA_EOF ? RTA_OK : rc;
	}
	c = &src.c;
	*cur = tds.c.kind == RTA_DS_AGGREGATES && c->kind != RTA_DS_EVENTS;
	for (i = 0; *cur && i < c->nlogs + src.man.n; i++) {
		b = i < c->nlogs ? c->logs[i].bucket :
		    src.man.v[i - c->nlogs].bucket;
		if (b < to && b + c->width > from &&
		    rta_rollup_changed(&src, &tds.c.src, d, b, &ix, &fp) == 1)
			*cur = 0;
	}
	for (i = 0; *cur && i < tds.man.n; i++)
		if (tds.man.v[i].kind == RTA_MAN_RETIRED &&
		    tds.man.v[i].bucket < to &&
		    tds.man.v[i].bucket + tds.c.width > from)
			*cur = 0;
	rta_dataset_close(&tds);
	rta_dataset_close(&src);
	return RTA_OK;
}

int
rta_rollup_choose(struct rta_store *s, const char *name, int64_t from,
    int64_t to, int64_t bucket, char *best, struct rta_buf *why,
    struct rta_error *err)
{
	struct rta_rollup_def *v;
	const char *stack[RTA_ROLLUP_DEFS_MAX + 1];
	size_t n, i, top = 0;
	int64_t bw = 0, W;
	int rc, cur, fits;

	snprintf(best, RTA_STORE_NAME_MAX + 1, "%s", name);
	if ((rc = rta_rollup_defs_read(s, &v, &n, err)) != RTA_OK)
		return rc;
	/* Down every chain of rollups from name; a stale one ends its
	 * chain, as the ones made from it are stale too. */
	stack[top++] = name;
	while (top > 0 && rc == RTA_OK) {
		const char *from_ds = stack[--top];

		for (i = 0; i < n && rc == RTA_OK; i++) {
			if (strcmp(v[i].from, from_ds) != 0)
				continue;
			W = v[i].width;
			if ((rc = current(s, &v[i], from, to, &cur, err)) !=
			    RTA_OK)
				break;
			fits = (bucket == 0 || bucket % W == 0) &&
			    from % W == 0 && to % W == 0;
			if (why != NULL && rta_buf_printf(why, "rollup %s "
			    "(%llds buckets, of %s): %s\n", v[i].to,
			    (long long)(W / SEC_US), v[i].from, !cur ? "not "
			    "refreshed since its source changed in the range" :
			    !fits ? "its buckets do not divide the query's" :
			    "answers the query") != 0) {
				rc = nomem(err);
				break;
			}
			if (!cur)
				continue;
			if (fits && W > bw) {
				bw = W;
				snprintf(best, RTA_STORE_NAME_MAX + 1, "%s",
				    v[i].to);
			}
			if (top < RTA_ROLLUP_DEFS_MAX)
				stack[top++] = v[i].to;
		}
	}
	free(v);
	return rc;
}
