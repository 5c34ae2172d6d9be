/*
 * rta_export_cols.c: the columns of a tenant's day (see rta_export.h):
 * learnt from its records as they are read, then each record put in
 * its row.
 *
 * The payload's member paths form a tree, one node per path, that
 * records each member's type (bool, int64, double, string, or a
 * timestamp or sketch when every value is a canonical one), presence and
 * nulls.  Once the day has been seen, settle() decides the columns: an
 * object is flattened while it is shallow and small enough, anything of
 * more than one type is a JSON column, with the reason in the metadata.
 * A record put afterwards follows the same tree, so a record the tree
 * has not seen (the dataset changed under the export) is refused, never
 * written wrongly.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>

#include "rta_buf.h"
#include "rta_deadletter.h"
#include "rta_event.h"
#include "rta_export.h"
#include "rta_export_int.h"
#include "rta_parquet.h"
#include "rta_time.h"
#include "rta_value.h"

#define MAX_COLUMNS	4096
#define INT_EXACT	(1LL << 53)

/* ---- the columns of a day ----------------------------------------------- */

static void
tree_release(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	rta_buf_release(&t->back);
	memset(t, 0, sizeof(*t));
}

static int
node_add(struct tree *t, int parent, const char *key, size_t klen)
{
	struct node *nv, *n;
	int i;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;

		if ((nv = realloc(t->v, cap * sizeof(*nv))) == NULL)
			return -1;
		t->v = nv;
		t->cap = cap;
	}
	i = (int)t->n;
	n = &t->v[i];
	memset(n, 0, sizeof(*n));
	if ((n->key = malloc(klen + 1)) == NULL)
		return -1;
	memcpy(n->key, key, klen);
	n->key[klen] = '\0';
	n->klen = klen;
	n->parent = parent;
	n->child = n->last = n->next = n->hint = -1;
	n->col = -1;
	t->n++;
	if (parent >= 0) {
		struct node *p = &t->v[parent];

		n->depth = p->depth + 1;
		if (p->last >= 0)
			t->v[p->last].next = i;
		else
			p->child = i;
		p->last = i;
		p->nchild++;
		/* aggregates: the end of the window, and sketches */
		if (t->agg && n->depth == 1 && klen == 3 &&
		    memcmp(key, "end", 3) == 0)
			n->maybe_time = 1;
		if (t->agg && n->depth == 3 && klen == 6 &&
		    memcmp(key, "sketch", 6) == 0 &&
		    t->v[p->parent].depth == 1 &&
		    strcmp(t->v[p->parent].key, "states") == 0)
			n->maybe_b64 = 1;
	}
	return i;
}

/* The child of parent named key (added if new), or -1 when out of
 * memory. */
static int
child_of(struct tree *t, int parent, const char *key, size_t klen, int add)
{
	struct node *p = &t->v[parent];
	int i;

	i = p->hint >= 0 ? t->v[p->hint].next : p->child;
	if (i >= 0 && t->v[i].klen == klen &&
	    memcmp(t->v[i].key, key, klen) == 0) {
		t->v[parent].hint = i;
		return i;
	}
	for (i = p->child; i >= 0; i = t->v[i].next)
		if (t->v[i].klen == klen && memcmp(t->v[i].key, key, klen) ==
		    0) {
			t->v[parent].hint = i;
			return i;
		}
	if (!add)
		return -2;
	i = node_add(t, parent, key, klen);
	if (i >= 0)
		t->v[parent].hint = i;
	return i;
}

static void
to_json(struct node *n, const char *reason)
{
	if (n->t != CT_JSON) {
		n->t = CT_JSON;
		n->reason = reason;
	}
}

static void
merge(struct node *n, enum ct t)
{
	if (n->t == CT_JSON || n->t == t)
		return;
	if (n->forced != CT_NONE) {
		if (!(n->forced == CT_DOUBLE && t == CT_INT))
			to_json(n, "values outside the schema's type");
		return;
	}
	if (n->t == CT_NONE)
		n->t = t;
	else if ((n->t == CT_INT && t == CT_DOUBLE) ||
	    (n->t == CT_DOUBLE && t == CT_INT))
		n->t = CT_DOUBLE;
	else
		to_json(n, "mixed types");
}

/* The type a JSON Schema gives: CT_NONE when it gives none. */
static enum ct
schema_type(const unsigned char *sch, const char **why)
{
	static const struct { const char *name; enum ct t; } names[] = {
		{ "integer", CT_INT }, { "number", CT_DOUBLE },
		{ "string", CT_STRING }, { "boolean", CT_BOOL },
		{ "object", CT_OBJECT }, { "array", CT_JSON },
	};
	const unsigned char *ty, *item;
	struct rta_viter it;
	const char *s;
	size_t n, i;
	enum ct t = CT_NONE, one;

	*why = "array";
	if (rta_value_tag(sch) != RTA_V_OBJECT ||
	    (ty = rta_value_member(sch, "type", 4)) == NULL)
		return CT_NONE;
	if (rta_value_tag(ty) == RTA_V_STRING) {
		it.p = ty;	/* the one item: ty itself */
		it.left = 1;
	} else if (rta_value_tag(ty) == RTA_V_ARRAY)
		rta_viter_init(&it, ty);
	else
		return CT_NONE;
	while (rta_viter_item(&it, &item)) {
		if (!rta_value_str(item, &s, &n) ||
		    (n == 4 && memcmp(s, "null", 4) == 0))
			continue;
		one = CT_NONE;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n &&
			    memcmp(names[i].name, s, n) == 0)
				one = names[i].t;
		if (one == CT_NONE)
			continue;
		if (t == CT_NONE || t == one)
			t = one;
		else if ((t == CT_INT && one == CT_DOUBLE) ||
		    (t == CT_DOUBLE && one == CT_INT))
			t = CT_DOUBLE;
		else {
			*why = "the schema allows several types";
			return CT_JSON;
		}
	}
	return t;
}

/*
 * Give the members a payload schema names their types, before the data
 * is seen: columns then keep their type (and exist) from day to day.
 */
static int
seed(struct tree *t, int ni, const unsigned char *sch)
{
	const unsigned char *props, *sub;
	struct rta_viter it;
	const char *key, *why;
	size_t klen;
	enum ct st;
	int ci;

	if (rta_value_tag(sch) != RTA_V_OBJECT ||
	    (props = rta_value_member(sch, "properties", 10)) == NULL ||
	    rta_value_tag(props) != RTA_V_OBJECT)
		return 0;
	rta_viter_init(&it, props);
	while (rta_viter_member(&it, &key, &klen, &sub)) {
		if ((ci = child_of(t, ni, key, klen, 1)) < 0)
			return -1;
		if (t->v[ni].nchild > RTA_EXPORT_MEMBERS)
			return 0;
		st = schema_type(sub, &why);
		if (st == CT_NONE)
			continue;
		if (st == CT_OBJECT && t->v[ci].depth >= RTA_EXPORT_DEPTH) {
			st = CT_JSON;
			why = "nested deeper than the limit";
		}
		if (t->v[ci].forced != CT_NONE && t->v[ci].forced != st) {
			if ((st == CT_INT || st == CT_DOUBLE) &&
			    (t->v[ci].forced == CT_INT ||
			    t->v[ci].forced == CT_DOUBLE))
				st = CT_DOUBLE;
			else {
				st = CT_JSON;
				why = "the schemas disagree";
			}
		}
		t->v[ci].forced = st;
		t->v[ci].t = st;
		if (st == CT_JSON)
			t->v[ci].reason = why;
		if (st == CT_OBJECT && seed(t, ci, sub) != 0)
			return -1;
	}
	return 0;
}

/* A canonical RFC 3339 time (as rta writes them): its µs, or -1. */
static int
canon_time(const char *s, size_t len, int64_t *us)
{
	char back[40];

	if (len != 27 || rta_time_parse(s, len, us, NULL) != RTA_OK)
		return -1;
	rta_time_format(back, *us);
	return memcmp(back, s, 27) == 0 ? 0 : -1;
}

/* Decode base64 s into out (replaced): 0, or -1. */
static int
b64_decode(const char *s, size_t len, struct rta_buf *out)
{
	struct base64_decode_ctx ctx;
	size_t n;

	out->len = 0;
	if (rta_buf_reserve(out, BASE64_DECODE_LENGTH(len) + 1) != 0)
		return -1;
	base64_decode_init(&ctx);
	n = BASE64_DECODE_LENGTH(len);
	if (!base64_decode_update(&ctx, &n, (uint8_t *)out->data, len, s) ||
	    !base64_decode_final(&ctx))
		return -1;
	out->len = n;
	return 0;
}

/* The same, -1 unless s is the canonical base64 of what it decodes to
 * (back is scratch), so that a reader's base64 gives s again. */
static int
canon_b64(const char *s, size_t len, struct rta_buf *out,
    struct rta_buf *back)
{
	if (b64_decode(s, len, out) != 0)
		return -1;
	back->len = 0;
	return rta_base64(back, out->data, out->len) == 0 &&
	    back->len == len && memcmp(back->data, s, len) == 0 ? 0 : -1;
}

static int
observe(struct tree *t, int ni, const unsigned char *v, struct rta_buf *tmp)
{
	struct rta_viter it;
	const unsigned char *mv;
	const char *key, *s;
	size_t klen, slen;
	struct node *n = &t->v[ni];
	int64_t i, us;
	int ci;

	n->present++;
	switch (rta_value_tag(v)) {
	case RTA_V_NULL:
		n->nulls++;
		return 0;
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		merge(n, CT_BOOL);
		return 0;
	case RTA_V_INT:
		n->sawint = 1;
		(void)rta_value_i64(v, &i);
		if (i > INT_EXACT || i < -INT_EXACT)
			n->bigint = 1;
		merge(n, CT_INT);
		return 0;
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		n->sawdouble = 1;
		merge(n, CT_DOUBLE);
		return 0;
	case RTA_V_STRING:
		merge(n, CT_STRING);
		if (n->t != CT_STRING || (!n->maybe_time && !n->maybe_b64))
			return 0;
		(void)rta_value_str(v, &s, &slen);
		if (n->maybe_time && canon_time(s, slen, &us) != 0)
			n->maybe_time = 0;
		if (n->maybe_b64 && canon_b64(s, slen, tmp, &t->back) != 0)
			n->maybe_b64 = 0;
		return 0;
	case RTA_V_ARRAY:
		to_json(n, "array");
		return 0;
	case RTA_V_OBJECT:
		break;
	}
	if (n->t == CT_JSON)
		return 0;
	if (n->depth >= RTA_EXPORT_DEPTH) {
		to_json(n, "nested deeper than the limit");
		return 0;
	}
	merge(n, CT_OBJECT);
	if (n->t != CT_OBJECT)
		return 0;
	if (rta_value_count(v) == 0)
		n->empties++;
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &key, &klen, &mv)) {
		if ((ci = child_of(t, ni, key, klen, 1)) < 0)
			return -1;
		n = &t->v[ni];
		if (n->nchild > RTA_EXPORT_MEMBERS) {
			to_json(n, "too many members");
			return 0;
		}
		if (observe(t, ci, mv, tmp) != 0)
			return -1;
		n = &t->v[ni];
		if (n->t == CT_JSON)
			return 0;
	}
	return 0;
}

/*
 * Settle each node's type once the day has been seen.  A null can stand
 * for JSON null only where the member is there whenever its parent is,
 * and so are its ancestors; elsewhere nulls and missing members are told
 * apart by a JSON column.  The same for empty objects.
 */
static void
settle(struct tree *t, int ni, uint64_t parent_present, int anc_always)
{
	struct node *n = &t->v[ni];
	int c;

	n->always = anc_always && n->present == parent_present;
	if (n->t == CT_DOUBLE && n->sawint && n->bigint)
		to_json(n, "integers beyond 2^53 mixed with doubles");
	if (n->nulls > 0 && n->t == CT_OBJECT)
		to_json(n, "null or an object");
	if (n->nulls > 0 && n->t != CT_JSON) {
		if (n->always)
			n->null_is_null = 1;
		else
			to_json(n, "null in some records, missing in others");
	}
	if (n->t == CT_OBJECT && n->empties > 0 && !n->always)
		to_json(n, "empty in some records, missing in others");
	if (n->t == CT_NONE)
		n->t = CT_STRING;	/* only nulls: a column of nulls */
	if (n->t == CT_STRING && n->maybe_time)
		n->t = CT_TIME;
	if (n->t == CT_STRING && n->maybe_b64)
		n->t = CT_SKETCH;
	if (n->t != CT_OBJECT)
		return;
	for (c = n->child; c >= 0; c = t->v[c].next)
		settle(t, c, t->v[ni].present, t->v[ni].always);
}

static enum rta_pq_type
pq_type(enum ct t)
{
	switch (t) {
	case CT_BOOL:
		return RTA_PQ_BOOL;
	case CT_INT:
		return RTA_PQ_INT64;
	case CT_DOUBLE:
		return RTA_PQ_DOUBLE;
	case CT_TIME:
		return RTA_PQ_TIMESTAMP;
	case CT_SKETCH:
		return RTA_PQ_BINARY;
	case CT_JSON:
		return RTA_PQ_JSON;
	default:
		return RTA_PQ_STRING;
	}
}

static const char *reserved[] = {
	"tenant_id", "year", "month", "day", NULL
};

static int
name_taken(const struct day *d, const char *name)
{
	size_t i;

	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(reserved[i], name) == 0)
			return 1;
	for (i = 0; i < d->ncols; i++)
		if (strcmp(d->cols[i].name, name) == 0)
			return 1;
	return 0;
}

static int
add_column(struct day *d, const char *name, size_t len, enum rta_pq_type t,
    int node)
{
	struct column *nc;
	char *s;
	size_t k;
	int sfx;

	if (d->ncols >= MAX_COLUMNS)
		return -2;
	if ((nc = realloc(d->cols, (d->ncols + 1) * sizeof(*nc))) == NULL)
		return -1;
	d->cols = nc;
	if ((s = malloc(len + 16)) == NULL)
		return -1;
	memcpy(s, name, len);
	s[len] = '\0';
	for (sfx = 2; name_taken(d, s); sfx++) {
		k = (size_t)snprintf(s + len, 16, "_%d", sfx);
		(void)k;
	}
	d->cols[d->ncols].name = s;
	d->cols[d->ncols].type = t;
	d->cols[d->ncols].node = node;
	d->ncols++;
	return 0;
}

/* The column name of node ni: its path joined with "_". */
static int
node_name(const struct tree *t, int ni, struct rta_buf *b)
{
	if (t->v[ni].parent < 0)
		return t->agg ? 0 : rta_buf_adds(b, "payload");
	if (node_name(t, t->v[ni].parent, b) != 0)
		return -1;
	if (b->len > 0 && rta_buf_adds(b, "_") != 0)
		return -1;
	return rta_buf_add(b, t->v[ni].key, t->v[ni].klen);
}

static int
path_json(const struct tree *t, int ni, struct rta_buf *b)
{
	int path[RTA_EXPORT_DEPTH + 2], n = 0, i;

	for (i = ni; t->v[i].parent >= 0 && n < RTA_EXPORT_DEPTH + 2;
	    i = t->v[i].parent)
		path[n++] = i;
	if (rta_buf_adds(b, "[") != 0)
		return -1;
	if (!t->agg && rta_buf_adds(b, "\"payload\"") != 0)
		return -1;
	for (i = n - 1; i >= 0; i--) {
		if ((i < n - 1 || !t->agg) && rta_buf_adds(b, ",") != 0)
			return -1;
		if (rta_json_put_string(b, t->v[path[i]].key,
		    t->v[path[i]].klen) != 0)
			return -1;
	}
	return rta_buf_adds(b, "]");
}

/* Columns for the leaves under ni, depth first, in first-seen order. */
static int
leaf_columns(struct day *d, int ni, struct rta_buf *name)
{
	struct tree *t = &d->t;
	struct node *n = &t->v[ni];
	int c, rc;

	if (n->t == CT_OBJECT) {
		if (n->parent >= 0) {
			if (d->objects_json.len > 1 &&
			    rta_buf_adds(&d->objects_json, ",") != 0)
				return -1;
			if (rta_buf_adds(&d->objects_json, "{\"path\":") != 0 ||
			    path_json(t, ni, &d->objects_json) != 0 ||
			    rta_buf_printf(&d->objects_json, ",\"always\":%s}",
			    n->always ? "true" : "false") != 0)
				return -1;
		}
		for (c = n->child; c >= 0; c = t->v[c].next)
			if ((rc = leaf_columns(d, c, name)) != 0)
				return rc;
		return 0;
	}
	name->len = 0;
	if (node_name(t, ni, name) != 0)
		return -1;
	if ((rc = add_column(d, (const char *)name->data, name->len, pq_type(n->t), ni)) !=
	    0)
		return rc;
	t->v[ni].col = (int)d->ncols - 1;
	if (n->t == CT_JSON) {
		if (d->json_json.len > 1 &&
		    rta_buf_adds(&d->json_json, ",") != 0)
			return -1;
		if (rta_buf_adds(&d->json_json, "{\"name\":") != 0 ||
		    rta_json_put_string(&d->json_json,
		    d->cols[d->ncols - 1].name,
		    strlen(d->cols[d->ncols - 1].name)) != 0 ||
		    rta_buf_adds(&d->json_json, ",\"reason\":") != 0 ||
		    rta_json_put_string(&d->json_json, n->reason,
		    strlen(n->reason)) != 0 || rta_buf_adds(&d->json_json,
		    "}") != 0)
			return -1;
	}
	return 0;
}

void
rta_export_day_release(struct day *d)
{
	size_t i;

	tree_release(&d->t);
	for (i = 0; i < d->ncols; i++)
		free(d->cols[i].name);
	free(d->cols);
	free(d->pc);
	rta_buf_release(&d->columns_json);
	rta_buf_release(&d->objects_json);
	rta_buf_release(&d->json_json);
	rta_buf_release(&d->scratch);
	rta_buf_release(&d->b64);
	memset(d, 0, sizeof(*d));
}

static const char *const ev_names[] = {
	"event_id", "timestamp", "event_type", "schema_version"
};
static const char *const agg_names[] = {
	"record_id", "start", "window", "version"
};

int
rta_export_day_columns(struct day *d, struct rta_error *err)
{
	static const enum rta_pq_type env_types[] = {
		RTA_PQ_STRING, RTA_PQ_TIMESTAMP, RTA_PQ_STRING, RTA_PQ_INT64
	};
	const char *const *env = d->t.agg ? agg_names : ev_names;
	struct rta_buf name = RTA_BUF_INIT;
	const struct node *n;
	size_t i;
	int rc = 0;

	for (i = 0; i < 4 && rc == 0; i++)
		rc = add_column(d, env[i], strlen(env[i]), env_types[i], -1);
	if (rc == 0 && d->t.has_extra)
		rc = add_column(d, "extra", 5, RTA_PQ_JSON, -1);
	if (rc == 0)
		rc = rta_buf_adds(&d->objects_json, "[");
	if (rc == 0)
		rc = rta_buf_adds(&d->json_json, "[");
	if (rc == 0 && d->t.n > 0) {
		settle(&d->t, 0, d->t.records, 1);
		rc = leaf_columns(d, 0, &name);
	}
	rta_buf_release(&name);
	if (rc == -2)
		return rta_error_set(err, RTA_ELIMIT, "too-many-columns",
		    "more than %d columns", MAX_COLUMNS);
	if (rc != 0 || rta_buf_adds(&d->objects_json, "]") != 0 ||
	    rta_buf_adds(&d->json_json, "]") != 0 ||
	    (d->pc = calloc(d->ncols, sizeof(*d->pc))) == NULL)
		goto nomem;
	if (rta_buf_adds(&d->columns_json, "[") != 0)
		goto nomem;
	for (i = 0; i < d->ncols; i++) {
		d->pc[i].name = d->cols[i].name;
		d->pc[i].type = d->cols[i].type;
		d->pc[i].optional = d->cols[i].node >= 0 ||
		    strcmp(d->cols[i].name, "extra") == 0;
		if (i > 0 && rta_buf_adds(&d->columns_json, ",") != 0)
			goto nomem;
		if (rta_buf_adds(&d->columns_json, "{\"name\":") != 0 ||
		    rta_json_put_string(&d->columns_json, d->cols[i].name,
		    strlen(d->cols[i].name)) != 0)
			goto nomem;
		if (d->cols[i].node < 0) {
			if (rta_buf_printf(&d->columns_json, ",\"path\":"
			    "[\"%s\"],\"type\":\"%s\"}", d->cols[i].name,
			    rta_pq_type_name(d->cols[i].type)) != 0)
				goto nomem;
			continue;
		}
		n = &d->t.v[d->cols[i].node];
		if (rta_buf_adds(&d->columns_json, ",\"path\":") != 0 ||
		    path_json(&d->t, d->cols[i].node, &d->columns_json) != 0 ||
		    rta_buf_printf(&d->columns_json, ",\"type\":\"%s\","
		    "\"null\":\"%s\"}", n->t == CT_SKETCH ? "sketch" :
		    rta_pq_type_name(d->cols[i].type),
		    n->null_is_null && n->t != CT_JSON ? "null" : "missing") !=
		    0)
			goto nomem;
	}
	/* NUL-terminated: they are metadata values */
	if (rta_buf_adds(&d->columns_json, "]") != 0 ||
	    rta_buf_addc(&d->columns_json, 0) != 0 ||
	    rta_buf_addc(&d->objects_json, 0) != 0 ||
	    rta_buf_addc(&d->json_json, 0) != 0)
		goto nomem;
	return RTA_OK;
nomem:
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

/* ---- a record into its row ------------------------------------------------------------ */

static int
put_value(struct day *d, struct rta_pq_writer *w, int ni,
    const unsigned char *v)
{
	struct node *n = &d->t.v[ni];
	const char *s;
	size_t slen;
	double x;
	int64_t i;

	if (n->t == CT_JSON) {
		d->scratch.len = 0;
		if (rta_value_to_json(&d->scratch, v) != 0)
			return -1;
		return rta_pq_bytes(w, (size_t)n->col, d->scratch.data,
		    d->scratch.len);
	}
	switch (rta_value_tag(v)) {
	case RTA_V_NULL:
		return 0;
	case RTA_V_FALSE:
	case RTA_V_TRUE:
		return rta_pq_bool(w, (size_t)n->col,
		    rta_value_tag(v) == RTA_V_TRUE);
	case RTA_V_INT:
		(void)rta_value_i64(v, &i);
		if (n->t == CT_INT)
			return rta_pq_int64(w, (size_t)n->col, i);
		return rta_pq_double(w, (size_t)n->col, (double)i);
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		(void)rta_value_num(v, &x);
		return rta_pq_double(w, (size_t)n->col, x);
	case RTA_V_STRING:
		(void)rta_value_str(v, &s, &slen);
		if (n->t == CT_TIME) {
			if (rta_time_parse(s, slen, &i, NULL) != RTA_OK)
				return -2;
			return rta_pq_int64(w, (size_t)n->col, i);
		}
		if (n->t == CT_SKETCH) {
			/* observe found it canonical */
			if (b64_decode(s, slen, &d->b64) != 0)
				return -2;
			return rta_pq_bytes(w, (size_t)n->col, d->b64.data,
			    d->b64.len);
		}
		return rta_pq_bytes(w, (size_t)n->col, s, slen);
	default:
		return -2;
	}
}

/* Put the members of object v (node ni) in their columns. */
static int
put_object(struct day *d, struct rta_pq_writer *w, int ni,
    const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *mv;
	const char *key;
	size_t klen;
	int ci, rc;

	if (rta_value_tag(v) != RTA_V_OBJECT)
		return -2;
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &key, &klen, &mv)) {
		if ((ci = child_of(&d->t, ni, key, klen, 0)) < 0)
			return -2;
		if (d->t.v[ci].t == CT_OBJECT) {
			if (rta_value_tag(mv) == RTA_V_NULL)
				continue;
			rc = put_object(d, w, ci, mv);
		} else
			rc = put_value(d, w, ci, mv);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
rta_export_put_record(struct day *d, struct rta_pq_writer *w, const struct rta_event *ev)
{
	int rc;

	if (rta_pq_bytes(w, 0, ev->id, ev->id_len) != 0 ||
	    rta_pq_int64(w, 1, ev->ts) != 0 ||
	    rta_pq_bytes(w, 2, ev->type, ev->type_len) != 0 ||
	    rta_pq_int64(w, 3, (int64_t)ev->schema_version) != 0)
		return -1;
	if (d->t.has_extra && ev->extra != NULL) {
		d->scratch.len = 0;
		if (rta_value_to_json(&d->scratch, ev->extra) != 0 ||
		    rta_pq_bytes(w, 4, d->scratch.data, d->scratch.len) != 0)
			return -1;
	}
	if (d->t.n == 0)
		return 0;
	if ((rc = put_object(d, w, 0, ev->payload)) != 0)
		return rc;
	return 0;
}

/* ---- a tenant's day ----------------------------------------------------- */

int
rta_export_day_start(struct day *d, int agg, const struct rta_export_opts *o)
{
	size_t si;

	rta_export_day_release(d);
	d->t.agg = agg;
	if (node_add(&d->t, -1, "", 0) != 0)
		return -1;
	d->t.v[0].t = CT_OBJECT;
	for (si = 0; si < o->nschemas; si++)
		if (seed(&d->t, 0, o->schemas[si]) != 0)
			return -1;
	return 0;
}

int
rta_export_observe(struct day *d, const struct rta_event *ev)
{
	d->t.records++;
	if (ev->extra != NULL)
		d->t.has_extra = 1;
	return observe(&d->t, 0, ev->payload, &d->b64);
}
