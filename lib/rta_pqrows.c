/*
 * rta_pqrows.c: the rows of a Parquet file as NDJSON records (see
 * rta_pqrows.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rta_cold.h"
#include "rta_deadletter.h"
#include "rta_json.h"
#include "rta_parquet.h"
#include "rta_pqrows.h"
#include "rta_time.h"
#include "rta_utf8.h"
#include "rta_value.h"

#define BATCH		1024
#define MAX_PATH_DEPTH	16

enum { ENV_ID, ENV_TS, ENV_TYPE, ENV_TENANT, ENV_VERSION, ENV_N };

struct pcol {
	size_t			 idx;		/* in the file */
	enum rta_pq_type	 type;
	int			 b64;		/* binary as base64 */
	int			 null_is_null;
	const char		*name;
	struct rta_pq_cursor	*cur;
	struct rta_pq_batch	 b;
	size_t			 pos;
};

struct pnode {
	char		*key;
	int		 col;		/* a leaf's pcol, or -1 */
	int		 always;
	int		*kids;
	size_t		 nkids;
	int		*leaves;	/* pcols under it */
	size_t		 nleaves;
};

struct rta_pqrows {
	struct rta_pq_file	*f;
	char			*name;
	int			 agg;
	int			 rta;		/* written by rta-store export */
	char			*tenant;	/* the file's, or NULL */
	struct pcol		*cols;
	size_t			 ncols;
	int			 env[ENV_N];	/* pcol, or -1 */
	int			 extra;		/* pcol of extra, or -1 */
	struct pnode		*nodes;		/* [0]: the payload */
	size_t			 nnodes;
	size_t			 rg;
	uint64_t		 left;		/* rows left in the group */
	uint64_t		 row;
	int			 dead;
	int			 ranged;
	int64_t			 from, to;
	uint64_t		 groups_skipped, rows_skipped;
};

static int	is_null(const struct pcol *c);

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

static int
bad_meta(struct rta_pqrows *pr, const char *what, struct rta_error *err)
{
	return rta_error_set(err, RTA_EDATA, "bad-parquet", "%s: metadata "
	    "rta.columns: %s", pr->name, what);
}

static int
node_add(struct rta_pqrows *pr, const char *key, int col)
{
	struct pnode *nv;

	if ((nv = realloc(pr->nodes, (pr->nnodes + 1) * sizeof(*nv))) == NULL)
		return -1;
	pr->nodes = nv;
	memset(&nv[pr->nnodes], 0, sizeof(*nv));
	if ((nv[pr->nnodes].key = strdup(key)) == NULL)
		return -1;
	nv[pr->nnodes].col = col;
	pr->nnodes++;
	return (int)pr->nnodes - 1;
}

static int
push_int(int **v, size_t *n, int x)
{
	int *nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
		return -1;
	nv[(*n)++] = x;
	*v = nv;
	return 0;
}

/* The child of node ni named key (made if missing). */
static int
child(struct rta_pqrows *pr, int ni, const char *key, int col)
{
	size_t i;
	int c;

	for (i = 0; i < pr->nodes[ni].nkids; i++) {
		c = pr->nodes[ni].kids[i];
		if (strcmp(pr->nodes[c].key, key) == 0)
			return pr->nodes[c].col >= 0 || col >= 0 ? -2 : c;
	}
	if ((c = node_add(pr, key, col)) < 0 ||
	    push_int(&pr->nodes[ni].kids, &pr->nodes[ni].nkids, c) != 0)
		return -1;
	return c;
}

static int
add_pcol(struct rta_pqrows *pr, size_t idx)
{
	const struct rta_pq_column *c = rta_pq_column(pr->f, idx);
	struct pcol *nv;

	if ((nv = realloc(pr->cols, (pr->ncols + 1) * sizeof(*nv))) == NULL)
		return -1;
	pr->cols = nv;
	memset(&nv[pr->ncols], 0, sizeof(*nv));
	nv[pr->ncols].idx = idx;
	nv[pr->ncols].type = c->type;
	nv[pr->ncols].name = c->name;
	nv[pr->ncols].b64 = c->type == RTA_PQ_BINARY;
	pr->ncols++;
	return (int)pr->ncols - 1;
}

/* Place pcol pc at path (n components) under the payload. */
static int
place(struct rta_pqrows *pr, int pc, const char *const *path, size_t n,
    struct rta_error *err)
{
	int ni = 0, anc[MAX_PATH_DEPTH];
	size_t i, na = 0;

	for (i = 0; i < n; i++) {
		anc[na++] = ni;
		ni = child(pr, ni, path[i], i + 1 == n ? pc : -1);
		if (ni == -1)
			return nomem(err);
		if (ni == -2)
			return bad_meta(pr, "a path given twice, or both a "
			    "value and an object", err);
	}
	for (i = 0; i < na; i++)
		if (push_int(&pr->nodes[anc[i]].leaves,
		    &pr->nodes[anc[i]].nleaves, pc) != 0)
			return nomem(err);
	return RTA_OK;
}

static const char *const ev_env[ENV_N] = {
	"event_id", "timestamp", "event_type", "tenant_id", "schema_version"
};
static const char *const agg_env[ENV_N] = {
	"record_id", "start", "window", "tenant_id", "version"
};

/* Member key of object v as a C string in buf, or NULL. */
static const char *
vstr(const unsigned char *v, const char *key, char *buf, size_t size)
{
	const unsigned char *m;
	const char *s;
	size_t n;

	if (v == NULL || rta_value_tag(v) != RTA_V_OBJECT ||
	    (m = rta_value_member(v, key, strlen(key))) == NULL ||
	    !rta_value_str(m, &s, &n) || n >= size || memchr(s, 0, n) != NULL)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* The strings of array a (at most MAX_PATH_DEPTH, each under 256 bytes)
 * into path, backed by store; their count, or -1. */
static int
vpath(const unsigned char *a, char store[][256], const char **path)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *s;
	size_t n;
	int k = 0;

	if (a == NULL || rta_value_tag(a) != RTA_V_ARRAY ||
	    rta_value_count(a) == 0 || rta_value_count(a) > MAX_PATH_DEPTH)
		return -1;
	rta_viter_init(&it, a);
	while (rta_viter_item(&it, &item)) {
		if (!rta_value_str(item, &s, &n) || n >= 256 ||
		    memchr(s, 0, n) != NULL)
			return -1;
		memcpy(store[k], s, n);
		store[k][n] = '\0';
		path[k] = store[k];
		k++;
	}
	return k;
}

/* Parse JSON metadata text into out. */
static int
parse_meta(const char *text, struct rta_buf *out)
{
	struct rta_json j;
	int rc;

	rta_json_init(&j);
	out->len = 0;
	rc = rta_json_document(&j, text, strlen(text), out, NULL);
	rta_json_release(&j);
	return rc;
}

/* The columns of a file rta-store export wrote, from rta.columns. */
static int
map_rta(struct rta_pqrows *pr, const char *cols, const char *objs,
    struct rta_error *err)
{
	char store[MAX_PATH_DEPTH][256], name[256], type[32], nul[16];
	const char *path[MAX_PATH_DEPTH];
	const char *const *env = pr->agg ? agg_env : ev_env;
	struct rta_buf jb = RTA_BUF_INIT;
	struct rta_viter it;
	const unsigned char *e;
	size_t k, idx;
	int n, pc, rc = RTA_OK, e0;

	if (parse_meta(cols, &jb) != RTA_OK ||
	    rta_value_tag(jb.data) != RTA_V_ARRAY) {
		rc = bad_meta(pr, "not a JSON array", err);
		goto out;
	}
	rta_viter_init(&it, jb.data);
	while (rta_viter_item(&it, &e)) {
		n = vpath(rta_value_tag(e) == RTA_V_OBJECT ?
		    rta_value_member(e, "path", 4) : NULL, store, path);
		if (vstr(e, "name", name, sizeof(name)) == NULL ||
		    vstr(e, "type", type, sizeof(type)) == NULL || n < 1) {
			rc = bad_meta(pr, "a column without name, type or "
			    "path", err);
			goto out;
		}
		if ((idx = rta_pq_column_find(pr->f, name)) == (size_t)-1) {
			rc = bad_meta(pr, "a column the file does not have",
			    err);
			goto out;
		}
		if ((pc = add_pcol(pr, idx)) < 0) {
			rc = nomem(err);
			goto out;
		}
		pr->cols[pc].null_is_null = vstr(e, "null", nul,
		    sizeof(nul)) != NULL && strcmp(nul, "null") == 0;
		pr->cols[pc].b64 = strcmp(type, "sketch") == 0 ||
		    pr->cols[pc].type == RTA_PQ_BINARY;
		if (n == 1 && strcmp(path[0], "extra") == 0 && !pr->agg) {
			pr->extra = pc;
			continue;
		}
		e0 = -1;
		for (k = 0; k < ENV_N && n == 1; k++)
			if (strcmp(path[0], env[k]) == 0)
				e0 = (int)k;
		if (e0 >= 0) {
			pr->env[e0] = pc;
			continue;
		}
		if (!pr->agg) {
			if (n < 2 || strcmp(path[0], "payload") != 0) {
				rc = bad_meta(pr, "a path outside the payload",
				    err);
				goto out;
			}
			rc = place(pr, pc, path + 1, (size_t)n - 1, err);
		} else
			rc = place(pr, pc, path, (size_t)n, err);
		if (rc != RTA_OK)
			goto out;
	}
	/* objects every record has, even empty */
	if (objs == NULL || parse_meta(objs, &jb) != RTA_OK ||
	    rta_value_tag(jb.data) != RTA_V_ARRAY)
		goto out;
	rta_viter_init(&it, jb.data);
	while (rta_viter_item(&it, &e)) {
		const unsigned char *al;
		int ni = 0;

		if (rta_value_tag(e) != RTA_V_OBJECT ||
		    (al = rta_value_member(e, "always", 6)) == NULL ||
		    rta_value_tag(al) != RTA_V_TRUE)
			continue;
		n = vpath(rta_value_member(e, "path", 4), store, path);
		for (k = pr->agg ? 0 : 1; n > 0 && k < (size_t)n && ni >= 0;
		    k++)
			if ((ni = child(pr, ni, path[k], -1)) == -1) {
				rc = nomem(err);
				goto out;
			}
		if (n > 0 && ni > 0)
			pr->nodes[ni].always = 1;
	}
out:
	rta_buf_release(&jb);
	return rc;
}

/* Any other file: envelope by name, every other column a member. */
static int
map_plain(struct rta_pqrows *pr, struct rta_error *err)
{
	const struct rta_pq_column *c;
	const char *key;
	size_t i, k;
	int pc, e0, rc;

	for (i = 0; i < rta_pq_ncolumns(pr->f); i++) {
		c = rta_pq_column(pr->f, i);
		if ((pc = add_pcol(pr, i)) < 0)
			return nomem(err);
		e0 = -1;
		for (k = 0; k < ENV_N; k++)
			if (strcmp(c->name, ev_env[k]) == 0)
				e0 = (int)k;
		if (e0 < 0 && strcmp(c->name, "ts") == 0 &&
		    pr->env[ENV_TS] < 0)
			e0 = ENV_TS;
		if (e0 >= 0 && pr->env[e0] < 0) {
			pr->env[e0] = pc;
			continue;
		}
		key = c->name;
		if ((rc = place(pr, pc, &key, 1, err)) != RTA_OK)
			return rc;
	}
	return RTA_OK;
}

/* The tenant of a Hive path: the last tenant_id=T directory. */
static char *
path_tenant(const char *path)
{
	const char *p, *s = NULL, *end;
	char buf[300];
	int n;

	for (p = path; (p = strstr(p, "tenant_id=")) != NULL; p++)
		if (p == path || p[-1] == '/')
			s = p + 10;
	if (s == NULL)
		return NULL;
	end = strchr(s, '/');
	if (end == NULL)
		return NULL;	/* the file's own name */
	n = rta_cold_pct_decode(buf, sizeof(buf), s, (size_t)(end - s));
	if (n <= 0)
		return NULL;
	return strdup(buf);
}

int
rta_pqrows_open(const unsigned char *p, size_t len, const char *name,
    const char *path, struct rta_pqrows **out, struct rta_error *err)
{
	struct rta_pqrows *pr;
	const char *kind, *cols, *t;
	int rc, k;

	if ((pr = calloc(1, sizeof(*pr))) == NULL ||
	    (pr->name = strdup(name)) == NULL) {
		free(pr);
		return nomem(err);
	}
	for (k = 0; k < ENV_N; k++)
		pr->env[k] = -1;
	pr->extra = -1;
	if ((rc = rta_pq_open(p, len, name, &pr->f, err)) != RTA_OK)
		goto fail;
	if (node_add(pr, "payload", -1) != 0) {
		rc = nomem(err);
		goto fail;
	}
	kind = rta_pq_kv_get(pr->f, "rta.kind");
	cols = rta_pq_kv_get(pr->f, "rta.columns");
	if (kind != NULL && cols != NULL && (strcmp(kind, "events") == 0 ||
	    strcmp(kind, "aggregates") == 0)) {
		pr->rta = 1;
		pr->agg = strcmp(kind, "aggregates") == 0;
		rc = map_rta(pr, cols, rta_pq_kv_get(pr->f, "rta.objects"),
		    err);
	} else
		rc = map_plain(pr, err);
	if (rc != RTA_OK)
		goto fail;
	if (pr->env[ENV_TENANT] < 0) {
		t = rta_pq_kv_get(pr->f, "rta.tenant_id");
		if (t != NULL)
			pr->tenant = strdup(t);
		else if (path != NULL)
			pr->tenant = path_tenant(path);
	}
	pr->rg = 0;
	pr->left = 0;
	*out = pr;
	return RTA_OK;
fail:
	rta_pqrows_close(pr);
	return rc;
}

void
rta_pqrows_close(struct rta_pqrows *pr)
{
	size_t i;

	if (pr == NULL)
		return;
	for (i = 0; i < pr->ncols; i++)
		if (pr->cols[i].cur != NULL)
			rta_pq_cursor_close(pr->cols[i].cur);
	for (i = 0; i < pr->nnodes; i++) {
		free(pr->nodes[i].key);
		free(pr->nodes[i].kids);
		free(pr->nodes[i].leaves);
	}
	free(pr->nodes);
	free(pr->cols);
	free(pr->tenant);
	free(pr->name);
	if (pr->f != NULL)
		rta_pq_close(pr->f);
	free(pr);
}

/* 0 if row group pr->rg's statistics rule out the range (counted). */
static int
in_range(struct rta_pqrows *pr)
{
	struct rta_pq_stats st;
	const struct pcol *c;

	if (!pr->ranged || pr->env[ENV_TS] < 0)
		return 1;
	c = &pr->cols[pr->env[ENV_TS]];
	if (c->type != RTA_PQ_TIMESTAMP)
		return 1;
	rta_pq_stats(pr->f, pr->rg, c->idx, &st);
	if (!st.has_minmax || (st.max.i >= pr->from && st.min.i < pr->to))
		return 1;
	pr->groups_skipped++;
	pr->row += rta_pq_rowgroup_rows(pr->f, pr->rg);
	return 0;
}

void
rta_pqrows_range(struct rta_pqrows *pr, int64_t from, int64_t to)
{
	pr->ranged = 1;
	pr->from = from;
	pr->to = to;
}

void
rta_pqrows_skipped(const struct rta_pqrows *pr, uint64_t *groups,
    uint64_t *rows)
{
	*groups = pr->groups_skipped;
	*rows = pr->rows_skipped;
}

/* 1 if the current row is outside the range (the caller skips it). */
static int
row_out(struct rta_pqrows *pr)
{
	const struct pcol *c;
	int64_t t;

	if (!pr->ranged || pr->env[ENV_TS] < 0)
		return 0;
	c = &pr->cols[pr->env[ENV_TS]];
	if (c->type != RTA_PQ_TIMESTAMP || is_null(c))
		return 0;
	t = c->b.i64[c->pos];
	return t < pr->from || t >= pr->to;
}

/* Open the cursors of the next row group with rows. */
static int
next_group(struct rta_pqrows *pr, struct rta_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < pr->ncols; i++)
		if (pr->cols[i].cur != NULL) {
			rta_pq_cursor_close(pr->cols[i].cur);
			pr->cols[i].cur = NULL;
		}
	while (pr->rg < rta_pq_nrowgroups(pr->f) &&
	    (rta_pq_rowgroup_rows(pr->f, pr->rg) == 0 || !in_range(pr)))
		pr->rg++;
	if (pr->rg >= rta_pq_nrowgroups(pr->f))
		return RTA_EOF;
	for (i = 0; i < pr->ncols; i++) {
		if ((rc = rta_pq_cursor_open(pr->f, pr->rg, pr->cols[i].idx,
		    &pr->cols[i].cur, err)) != RTA_OK)
			return rc;
		pr->cols[i].b.n = 0;
		pr->cols[i].pos = 0;
	}
	pr->left = rta_pq_rowgroup_rows(pr->f, pr->rg);
	pr->rg++;
	return RTA_OK;
}

/* Each column's value of the current row ready at its pos. */
static int
advance_cols(struct rta_pqrows *pr, struct rta_error *err)
{
	struct pcol *c;
	size_t i;
	int rc;

	for (i = 0; i < pr->ncols; i++) {
		c = &pr->cols[i];
		if (c->pos + 1 < c->b.n) {
			c->pos++;
			continue;
		}
		rc = rta_pq_cursor_next(c->cur, BATCH, &c->b, err);
		if (rc == RTA_EOF)
			return rta_error_set(err, RTA_EDATA, "bad-parquet",
			    "%s: column %s, row group %zu: fewer values than "
			    "rows", pr->name, c->name, pr->rg - 1);
		if (rc != RTA_OK)
			return rc;
		c->pos = 0;
	}
	return RTA_OK;
}

static int
is_null(const struct pcol *c)
{
	return c->b.valid != NULL && !c->b.valid[c->pos];
}

static int
put_value(struct rta_pqrows *pr, const struct pcol *c, struct rta_buf *b,
    struct rta_error *err)
{
	char tmp[48];
	const unsigned char *s;
	size_t n, bad;
	double d;

	if (is_null(c))
		return rta_buf_adds(b, "null") != 0 ? nomem(err) : RTA_OK;
	switch (c->type) {
	case RTA_PQ_BOOL:
		return rta_buf_adds(b, c->b.i64[c->pos] ? "true" : "false") !=
		    0 ? nomem(err) : RTA_OK;
	case RTA_PQ_INT64:
		n = rta_fmt_i64(tmp, c->b.i64[c->pos]);
		return rta_buf_add(b, tmp, n) != 0 ? nomem(err) : RTA_OK;
	case RTA_PQ_DOUBLE:
		d = c->b.f64[c->pos];
		if (!isfinite(d))
			return rta_buf_adds(b, "null") != 0 ? nomem(err) :
			    RTA_OK;
		n = rta_fmt_double(tmp, d);
		return rta_buf_add(b, tmp, n) != 0 ? nomem(err) : RTA_OK;
	case RTA_PQ_TIMESTAMP:
		rta_time_format(tmp, c->b.i64[c->pos]);
		if (rta_buf_addc(b, '"') != 0 || rta_buf_add(b, tmp, 27) != 0 ||
		    rta_buf_addc(b, '"') != 0)
			return nomem(err);
		return RTA_OK;
	default:
		break;
	}
	s = c->b.s[c->pos];
	n = c->b.slen[c->pos];
	if (c->b64) {
		if (rta_buf_addc(b, '"') != 0 || rta_base64(b, s, n) != 0 ||
		    rta_buf_addc(b, '"') != 0)
			return nomem(err);
		return RTA_OK;
	}
	if (!rta_utf8_valid(s, n, &bad))
		return rta_error_set(err, RTA_EDATA, "bad-utf8", "%s: row "
		    "%llu: column %s: invalid UTF-8 at byte %zu", pr->name,
		    (unsigned long long)pr->row, c->name, bad);
	if (c->type == RTA_PQ_JSON)
		return rta_buf_add(b, s, n) != 0 ? nomem(err) : RTA_OK;
	return rta_json_put_string(b, (const char *)s, n) != 0 ?
	    nomem(err) : RTA_OK;
}

static int
put_key(struct rta_buf *b, const char *key, int *first)
{
	if (!*first && rta_buf_addc(b, ',') != 0)
		return -1;
	*first = 0;
	if (rta_json_put_string(b, key, strlen(key)) != 0 ||
	    rta_buf_addc(b, ':') != 0)
		return -1;
	return 0;
}

/* 1 if a column under node ni has a value in this row. */
static int
has_value(const struct rta_pqrows *pr, int ni)
{
	size_t i;

	for (i = 0; i < pr->nodes[ni].nleaves; i++)
		if (!is_null(&pr->cols[pr->nodes[ni].leaves[i]]))
			return 1;
	return 0;
}

/* The members of node ni into b (without braces). */
static int
put_members(struct rta_pqrows *pr, int ni, struct rta_buf *b, int *first,
    struct rta_error *err)
{
	const struct pnode *n;
	const struct pcol *c;
	size_t i;
	int k, rc, f2;

	for (i = 0; i < pr->nodes[ni].nkids; i++) {
		k = pr->nodes[ni].kids[i];
		n = &pr->nodes[k];
		if (n->col >= 0) {
			c = &pr->cols[n->col];
			if (is_null(c) && !c->null_is_null)
				continue;
			if (put_key(b, n->key, first) != 0)
				return nomem(err);
			if ((rc = put_value(pr, c, b, err)) != RTA_OK)
				return rc;
			continue;
		}
		if (!n->always && !has_value(pr, k))
			continue;
		if (put_key(b, n->key, first) != 0 || rta_buf_addc(b, '{') != 0)
			return nomem(err);
		f2 = 1;
		if ((rc = put_members(pr, k, b, &f2, err)) != RTA_OK)
			return rc;
		if (rta_buf_addc(b, '}') != 0)
			return nomem(err);
	}
	return RTA_OK;
}

static int
put_env(struct rta_pqrows *pr, int e, const char *key, struct rta_buf *b,
    int *first, struct rta_error *err)
{
	if (pr->env[e] < 0) {
		if (e != ENV_TENANT || pr->tenant == NULL)
			return RTA_OK;	/* the decoder says what is missing */
		if (put_key(b, key, first) != 0 ||
		    rta_json_put_string(b, pr->tenant, strlen(pr->tenant)) != 0)
			return nomem(err);
		return RTA_OK;
	}
	if (put_key(b, key, first) != 0)
		return nomem(err);
	return put_value(pr, &pr->cols[pr->env[e]], b, err);
}

int
rta_pqrows_next(struct rta_pqrows *pr, struct rta_buf *b, uint64_t *row,
    struct rta_error *err)
{
	const struct pcol *x;
	size_t mark;
	int first = 1, rc, e;

	*row = pr->row + 1;	/* where a failure is */
	if (pr->dead)
		return RTA_EOF;
	for (;;) {
		while (pr->left == 0) {
			if ((rc = next_group(pr, err)) != RTA_OK) {
				pr->dead = 1;
				return rc == RTA_EOF ? RTA_EOF : RTA_EIO;
			}
		}
		if ((rc = advance_cols(pr, err)) != RTA_OK) {
			pr->dead = 1;
			return rc == RTA_ENOMEM ? rc : RTA_EIO;
		}
		pr->left--;
		++pr->row;
		if (!row_out(pr))
			break;
		pr->rows_skipped++;
	}
	*row = pr->row;
	b->len = 0;
	if (rta_buf_addc(b, '{') != 0)
		return nomem(err);
	if (pr->agg) {
		static const int order[] = { ENV_ID, ENV_TYPE, ENV_TS,
		    ENV_TENANT, ENV_VERSION };

		if (rta_buf_adds(b, "\"$rta\":\"aggregate\"") != 0)
			return nomem(err);
		first = 0;
		for (e = 0; e < ENV_N; e++)
			if ((rc = put_env(pr, order[e], agg_env[order[e]], b,
			    &first, err)) != RTA_OK)
				return rc;
		if ((rc = put_members(pr, 0, b, &first, err)) != RTA_OK)
			return rc;
	} else {
		for (e = 0; e < ENV_N; e++)
			if ((rc = put_env(pr, e, ev_env[e], b, &first, err)) !=
			    RTA_OK)
				return rc;
		if (pr->extra >= 0 && !is_null(x = &pr->cols[pr->extra])) {
			/* extra's members sit beside the envelope */
			mark = b->len;
			if ((rc = put_value(pr, x, b, err)) != RTA_OK)
				return rc;
			if (b->len - mark < 2 || b->data[mark] != '{' ||
			    b->data[b->len - 1] != '}')
				return rta_error_set(err, RTA_EDATA,
				    "bad-parquet", "%s: row %llu: column "
				    "extra: not an object", pr->name,
				    (unsigned long long)pr->row);
			b->len--;
			if (b->len == mark + 1)
				b->len = mark;	/* {} */
			else if (first)
				memmove(b->data + mark, b->data + mark + 1,
				    b->len - mark - 1), b->len--;
			else
				b->data[mark] = ',';
			first = first && b->len == mark;
		}
		if (put_key(b, "payload", &first) != 0 ||
		    rta_buf_addc(b, '{') != 0)
			return nomem(err);
		first = 1;
		if ((rc = put_members(pr, 0, b, &first, err)) != RTA_OK)
			return rc;
		if (rta_buf_addc(b, '}') != 0)
			return nomem(err);
	}
	if (rta_buf_addc(b, '}') != 0)
		return nomem(err);
	return RTA_OK;
}
