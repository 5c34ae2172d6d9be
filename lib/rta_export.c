/*
 * rta_export.c: a dataset's days from the hot store to Parquet files in
 * the cold store (see rta_export.h).
 *
 * Each day is read once, tenant by tenant (each in time order): while a
 * tenant's records come, their columns are learned (the payload's
 * members and their types) and the records held; then its file is
 * written from them.  A tenant's day too large to hold is read again.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/base64.h>

#include "rta_buf.h"
#include "rta_deadletter.h"
#include "rta_event.h"
#include "rta_export.h"
#include "rta_hash.h"
#include "rta_io.h"
#include "rta_parquet.h"
#include "rta_time.h"
#include "rta_value.h"
#include "rta_version.h"

#define DAY_US		(86400LL * 1000000LL)
#define PART_FILE	"part-00000.parquet"
#define MAX_COLUMNS	4096
#define INT_EXACT	(1LL << 53)

enum ct {
	CT_NONE, CT_BOOL, CT_INT, CT_DOUBLE, CT_STRING, CT_TIME, CT_SKETCH,
	CT_OBJECT, CT_JSON
};

/* A member path of the payload, as the day's records use it. */
struct node {
	char		*key;
	size_t		 klen;
	int		 parent, child, last, next;
	int		 nchild, depth;
	enum ct		 t;
	int		 sawint, sawdouble, bigint;
	int		 maybe_time, maybe_b64;
	enum ct		 forced;	/* the type a schema gives, or
					 * CT_NONE */
	uint64_t	 present, nulls, empties;
	const char	*reason;	/* why JSON */
	int		 col;		/* its column, or -1 */
	int		 null_is_null;	/* a null means JSON null */
	int		 always;	/* present whenever its parent is,
					 * and so are its ancestors */
	int		 hint;		/* the child matched last */
};

struct tree {
	struct node	*v;
	size_t		 n, cap;
	uint64_t	 records;	/* of the day */
	int		 agg;
	int		 has_extra;
	struct rta_buf	 back;		/* base64 scratch */
};

struct column {
	char		*name;
	enum rta_pq_type type;
	int		 node;		/* -1: an envelope column */
};

struct day {
	struct tree	 t;
	struct column	*cols;
	size_t		 ncols;
	struct rta_pq_column *pc;
	struct rta_buf	 columns_json, objects_json, json_json;
	struct rta_buf	 scratch, b64;
};

/* ---- the state file ----------------------------------------------------- */

struct state_entry {
	int64_t		 day;
	uint64_t	 print;
	uint64_t	 rows;
};

struct rta_export_state {
	struct state_entry	*v;
	size_t			 n, cap;
};

void
rta_export_state_free(struct rta_export_state *st)
{
	if (st == NULL)
		return;
	free(st->v);
	free(st);
}

static int
state_set(struct rta_export_state *st, int64_t day, uint64_t print,
    uint64_t rows)
{
	struct state_entry *nv;
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].day == day) {
			st->v[i].print = print;
			st->v[i].rows = rows;
			return 0;
		}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;

		if ((nv = realloc(st->v, cap * sizeof(*nv))) == NULL)
			return -1;
		st->v = nv;
		st->cap = cap;
	}
	for (i = st->n; i > 0 && st->v[i - 1].day > day; i--)
		st->v[i] = st->v[i - 1];
	st->v[i].day = day;
	st->v[i].print = print;
	st->v[i].rows = rows;
	st->n++;
	return 0;
}

static const struct state_entry *
state_find(const struct rta_export_state *st, int64_t day)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].day == day)
			return &st->v[i];
	return NULL;
}

/*
 * Read DIR/name/.rta-exported: lines "YYYY-MM-DD <16 hex> <rows>".  A
 * missing or damaged file reads as empty (every day is then exported
 * again, which is safe).
 */
static struct rta_export_state *
state_read(int cold_fd, const char *name)
{
	struct rta_export_state *st;
	char path[RTA_STORE_NAME_MAX + 32], line[128];
	unsigned long long print, rows;
	int y, m, d, fd, dfd;
	FILE *fp;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	(void)path;
	if ((dfd = openat(cold_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return st;
	fd = openat(dfd, RTA_EXPORT_STATE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return st;
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return st;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%4d-%2d-%2d %16llx %llu", &y, &m, &d, &print,
		    &rows) != 5 || m < 1 || m > 12 || d < 1 || d > 31 ||
		    state_set(st, rta_days_from_civil(y, (unsigned)m,
		    (unsigned)d), print, rows) != 0) {
			st->n = 0;
			break;
		}
	}
	fclose(fp);
	return st;
}

static int
state_write(struct rta_cold *c, const char *name,
    const struct rta_export_state *st, struct rta_error *err)
{
	char path[RTA_STORE_NAME_MAX + 32], tmp[RTA_STORE_NAME_MAX + 40];
	struct rta_buf b = RTA_BUF_INIT;
	unsigned m, d;
	int64_t y;
	size_t i;
	int fd, dfd, rc = RTA_OK;

	for (i = 0; i < st->n; i++) {
		rta_civil_from_days(st->v[i].day, &y, &m, &d);
		if (rta_buf_printf(&b, "%04lld-%02u-%02u %016llx %llu\n",
		    (long long)y, m, d, (unsigned long long)st->v[i].print,
		    (unsigned long long)st->v[i].rows) != 0) {
			rta_buf_release(&b);
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		}
	}
	snprintf(path, sizeof(path), "%s/%s", name, RTA_EXPORT_STATE);
	snprintf(tmp, sizeof(tmp), "%s.tmp", RTA_EXPORT_STATE);
	dfd = openat(c->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	fd = dfd < 0 ? -1 : openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 || rta_io_write(fd, b.data, b.len) != 0 ||
	    rta_io_fsync(fd) != 0 ||
	    rta_io_rename(dfd, tmp, RTA_EXPORT_STATE) != 0 ||
	    rta_io_fsync(dfd) != 0)
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    c->path, path, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	rta_buf_release(&b);
	return rc;
}

/* The fingerprint of a day: of every bucket of it that holds data. */
static uint64_t
day_print(const struct rta_dataset *ds, int64_t day)
{
	int64_t b, end = (day + 1) * DAY_US;
	uint64_t h = 0x243f6a8885a308d3ULL, p;

	for (b = rta_dataset_next_bucket(ds, day * DAY_US); b < end;
	    b = rta_dataset_next_bucket(ds, b + ds->c.width)) {
		p = rta_bucket_print(ds, b);
		h = rta_hash64(&p, sizeof(p), h);
	}
	return h != 0 ? h : 1;
}

static int64_t
day_of(int64_t t)
{
	return t >= 0 ? t / DAY_US : -((-t + DAY_US - 1) / DAY_US);
}

int
rta_export_covers(int cold_fd, const char *name, const struct rta_dataset *ds,
    int64_t b, struct rta_export_state **state)
{
	const struct state_entry *e;
	int64_t day = day_of(b);

	if (*state == NULL && (*state = state_read(cold_fd, name)) == NULL)
		return 0;
	e = state_find(*state, day);
	return e != NULL && e->print == day_print(ds, day);
}

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

static void
day_release(struct day *d)
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

/* The day's columns from its tree; then the metadata that names them. */
static int
day_columns(struct day *d, struct rta_error *err)
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

/* ---- writing ------------------------------------------------------------ */

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

static int
put_record(struct day *d, struct rta_pq_writer *w, const struct rta_event *ev)
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

/* ---- a day -------------------------------------------------------------- */

struct part {
	struct rta_cold		*c;
	struct rta_pq_writer	*w;
	int			 fd;
	char			 stage[128];
	char			 path[RTA_COLD_PART_MAX];
	char			 tenant[256];
	size_t			 tlen;
	int			 skip;		/* tenant rejected */
};

static int
part_open(struct part *p, struct day *d, const char *name, int64_t day,
    const struct rta_export_opts *o, struct rta_error *err)
{
	struct rta_pq_writer_opts wo;
	struct rta_pq_kv kv[9];
	char fname[sizeof(p->stage) + 32], tenant[257], dstr[32];
	char created[64];
	unsigned m, dd;
	int64_t y;
	int rc;

	if ((rc = rta_cold_stage(p->c, p->stage, sizeof(p->stage), err)) !=
	    RTA_OK)
		return rc;
	snprintf(fname, sizeof(fname), "%s/%s.tmp", p->stage, PART_FILE);
	p->fd = openat(p->c->fd, fname, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0666);
	if (p->fd < 0)
		return rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    p->c->path, fname, strerror(errno));
	memcpy(tenant, p->tenant, p->tlen);
	tenant[p->tlen] = '\0';
	rta_civil_from_days(day, &y, &m, &dd);
	snprintf(dstr, sizeof(dstr), "%04lld-%02u-%02u", (long long)y, m, dd);
	snprintf(created, sizeof(created), "rta-store version %s",
	    RTA_VERSION);
	kv[0].key = "rta.version";
	kv[0].value = RTA_VERSION;
	kv[1].key = "rta.dataset";
	kv[1].value = name;
	kv[2].key = "rta.kind";
	kv[2].value = d->t.agg ? "aggregates" : "events";
	kv[3].key = "rta.tenant_id";
	kv[3].value = tenant;
	kv[4].key = "rta.day";
	kv[4].value = dstr;
	kv[5].key = "rta.columns";
	kv[5].value = (const char *)d->columns_json.data;
	kv[6].key = "rta.objects";
	kv[6].value = (const char *)d->objects_json.data;
	kv[7].key = "rta.json_columns";
	kv[7].value = (const char *)d->json_json.data;
	rta_pq_writer_opts_init(&wo);
	if (o->row_group_rows > 0)
		wo.row_group_rows = o->row_group_rows;
	wo.level = o->level;
	wo.created_by = created;
	wo.kv = kv;
	wo.nkv = 8;
	return rta_pq_writer_open(p->fd, d->pc, d->ncols, &wo, &p->w, err);
}

static void
part_abort(struct part *p)
{
	if (p->w != NULL)
		rta_pq_writer_free(p->w);
	p->w = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static int
part_close(struct part *p, struct rta_export_result *r,
    struct rta_error *err)
{
	char from[sizeof(p->stage) + 32], to[sizeof(p->stage) + 32];
	int rc;

	if ((rc = rta_pq_writer_finish(p->w, err)) != RTA_OK) {
		part_abort(p);
		return rc;
	}
	r->rows += rta_pq_writer_rows(p->w);
	r->bytes += rta_pq_writer_bytes(p->w);
	r->partitions++;
	rta_pq_writer_free(p->w);
	p->w = NULL;
	snprintf(from, sizeof(from), "%s/%s.tmp", p->stage, PART_FILE);
	snprintf(to, sizeof(to), "%s/%s", p->stage, PART_FILE);
	if (rta_io_fsync(p->fd) != 0 || close(p->fd) != 0 ||
	    (p->fd = -1, rta_io_rename(p->c->fd, from, to)) != 0) {
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    p->c->path, from, strerror(errno));
		part_abort(p);
		return rc;
	}
	p->fd = -1;
	return rta_cold_publish(p->c, p->stage, p->path, err);
}

/*
 * Finishing a file (its last row group encoded and compressed, the file
 * synced, renamed and published) runs in a thread while the next
 * tenant's records are read: one file at a time in flight.
 */
struct closer {
	pthread_t		 th;
	int			 running;
	struct part		 p;
	struct rta_export_result r;
	struct rta_error	 err;
	int			 rc;
};

static void *
closer_main(void *arg)
{
	struct closer *k = arg;

	k->rc = part_close(&k->p, &k->r, &k->err);
	return NULL;
}

/* Wait for the file in flight; add what it wrote to r. */
static int
closer_wait(struct closer *k, struct rta_export_result *r,
    struct rta_error *err)
{
	if (!k->running)
		return RTA_OK;
	pthread_join(k->th, NULL);
	k->running = 0;
	r->rows += k->r.rows;
	r->bytes += k->r.bytes;
	r->partitions += k->r.partitions;
	if (k->rc != RTA_OK) {
		*err = k->err;
		part_abort(&k->p);
		return k->rc;
	}
	return RTA_OK;
}

/* Hand p's file to the closer (p keeps no writer or descriptor). */
static int
closer_start(struct closer *k, struct part *p, struct rta_export_result *r,
    struct rta_error *err)
{
	int rc;

	if ((rc = closer_wait(k, r, err)) != RTA_OK)
		return rc;
	k->p = *p;
	p->w = NULL;
	p->fd = -1;
	memset(&k->r, 0, sizeof(k->r));
	if (pthread_create(&k->th, NULL, closer_main, k) != 0) {
		/* no thread: finish it here */
		rc = part_close(&k->p, r, err);
		if (rc != RTA_OK)
			part_abort(&k->p);
		return rc;
	}
	k->running = 1;
	return RTA_OK;
}

/* Encoded tenant directory names written for the day, to find the stale
 * ones. */
struct names {
	char	**v;
	size_t	  n, cap;
};

static int
names_add(struct names *ns, const char *s)
{
	char **nv;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;

		if ((nv = realloc(ns->v, cap * sizeof(*nv))) == NULL)
			return -1;
		ns->v = nv;
		ns->cap = cap;
	}
	if ((ns->v[ns->n] = strdup(s)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

static void
names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

static int
names_has(const struct names *ns, const char *s)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return 1;
	return 0;
}

/* Remove the day's partitions of tenants not in written. */
static int
remove_stale(struct rta_cold *c, const char *name, int64_t day,
    const struct names *written, struct rta_export_result *r,
    struct rta_error *err)
{
	char rel[RTA_COLD_PART_MAX + RTA_STORE_NAME_MAX + 2], sub[RTA_COLD_PART_MAX];
	struct dirent *de;
	struct stat st;
	unsigned m, d;
	int64_t y;
	DIR *dir;
	int fd, rc = RTA_OK;

	fd = openat(c->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return RTA_OK;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return RTA_OK;
	}
	rta_civil_from_days(day, &y, &m, &d);
	while ((de = readdir(dir)) != NULL && rc == RTA_OK) {
		if (strncmp(de->d_name, "tenant_id=", 10) != 0 ||
		    names_has(written, de->d_name))
			continue;
		snprintf(sub, sizeof(sub), "%s/year=%lld/month=%u/day=%u",
		    de->d_name, (long long)y, m, d);
		if (fstatat(fd, sub, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", name, sub);
		if ((rc = rta_cold_remove(c, rel, err)) == RTA_OK)
			r->removed++;
	}
	closedir(dir);
	return rc;
}

/*
 * A tenant's records of the day, held while the scan reads them so that
 * the day is read once: the columns are learned as they come, then the
 * file is written from what was held.  Past RTA_EXPORT_HOLD bytes the
 * records are no longer held and the tenant's day is read again.
 */
struct held {
	int64_t		 ts;
	uint32_t	 sv;
	uint8_t		 id_len, type_len;
	size_t		 off;		/* id, type, payload, extra */
	size_t		 payload_len, extra_len;
};

struct hold {
	struct rta_buf	 arena;
	struct held	*v;
	size_t		 n, cap;
	int		 over;		/* too much: read again */
};

static int
hold_add(struct hold *h, const struct rta_event *ev)
{
	struct held *nv, *e;
	size_t need;

	if (h->over)
		return 0;
	need = (size_t)ev->id_len + ev->type_len + ev->payload_len +
	    (ev->extra != NULL ? ev->extra_len : 0);
	if (h->arena.len + need > RTA_EXPORT_HOLD) {
		h->over = 1;
		h->n = 0;
		rta_buf_release(&h->arena);
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;

		if ((nv = realloc(h->v, cap * sizeof(*nv))) == NULL)
			return -1;
		h->v = nv;
		h->cap = cap;
	}
	e = &h->v[h->n];
	e->ts = ev->ts;
	e->sv = ev->schema_version;
	e->id_len = ev->id_len;
	e->type_len = ev->type_len;
	e->off = h->arena.len;
	e->payload_len = ev->payload_len;
	e->extra_len = ev->extra != NULL ? ev->extra_len : 0;
	if (rta_buf_add(&h->arena, ev->id, ev->id_len) != 0 ||
	    rta_buf_add(&h->arena, ev->type, ev->type_len) != 0 ||
	    rta_buf_add(&h->arena, ev->payload, ev->payload_len) != 0 ||
	    (ev->extra != NULL && rta_buf_add(&h->arena, ev->extra,
	    ev->extra_len) != 0))
		return -1;
	h->n++;
	return 0;
}

static void
hold_reset(struct hold *h)
{
	h->n = 0;
	h->over = 0;
	h->arena.len = 0;
}

/* Start a tenant: its columns' tree, seeded by the schemas. */
static int
tenant_start(struct day *d, int agg, const struct rta_export_opts *o)
{
	size_t si;

	day_release(d);
	d->t.agg = agg;
	if (node_add(&d->t, -1, "", 0) != 0)
		return -1;
	d->t.v[0].t = CT_OBJECT;
	for (si = 0; si < o->nschemas; si++)
		if (seed(&d->t, 0, o->schemas[si]) != 0)
			return -1;
	return 0;
}

/* Write the tenant's file: from what was held, or read again. */
static int
tenant_write(struct rta_dataset *ds, const char *name, struct day *d,
    struct hold *h, struct part *p, struct closer *k, int64_t day,
    const struct rta_export_opts *o, struct rta_export_result *r,
    struct rta_error *err)
{
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	struct rta_event ev;
	const struct held *e;
	size_t i;
	int rc, vr;

	d->t.v[0].present = d->t.records;
	if ((rc = day_columns(d, err)) != RTA_OK)
		return rc;
	if ((rc = part_open(p, d, name, day, o, err)) != RTA_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.tenant = p->tenant;
	ev.tenant_len = (uint8_t)p->tlen;
	if (h->over)
		rc = rta_scan_open(ds, p->tenant, p->tlen, day * DAY_US,
		    (day + 1) * DAY_US, &sc, err);
	for (i = 0; rc == RTA_OK; i++) {
		if (h->over) {
			if ((rc = rta_scan_next(sc, &rec, err)) != RTA_OK)
				break;
			vr = put_record(d, p->w, &rec.ev);
		} else {
			if (i == h->n) {
				rc = RTA_EOF;
				break;
			}
			e = &h->v[i];
			ev.ts = e->ts;
			ev.schema_version = e->sv;
			ev.id = (const char *)h->arena.data + e->off;
			ev.id_len = e->id_len;
			ev.type = ev.id + e->id_len;
			ev.type_len = e->type_len;
			ev.payload = (const unsigned char *)ev.type +
			    e->type_len;
			ev.payload_len = e->payload_len;
			ev.extra = e->extra_len > 0 ? ev.payload +
			    e->payload_len : NULL;
			ev.extra_len = e->extra_len;
			vr = put_record(d, p->w, &ev);
		}
		if (vr == -1)
			rc = rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		else if (vr != 0)
			rc = rta_error_set(err, RTA_EIO, "export-changed",
			    "%s: the dataset changed during the export of a "
			    "day; run it again", name);
		else
			rc = rta_pq_row(p->w, err);
	}
	if (sc != NULL)
		rta_scan_close(sc);
	if (rc != RTA_EOF)
		return rc;
	for (i = 0; i < d->t.n; i++)
		if (d->t.v[i].t == CT_JSON && d->t.v[i].col >= 0)
			r->json_columns++;
	return closer_start(k, p, r, err);
}

static int
export_day(struct rta_dataset *ds, const char *name, struct rta_cold *c,
    int64_t day, const struct rta_export_opts *o,
    struct rta_export_result *r, struct rta_error *err)
{
	struct day d;
	struct part p;
	struct hold h;
	struct closer k;
	struct names written = { NULL, 0, 0 };
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	struct rta_error e2;
	char enc[RTA_COLD_PART_MAX], *slash;
	uint64_t rows0 = r->rows, files0 = r->partitions, rejected = 0;
	int rc, agg = ds->c.kind == RTA_DS_AGGREGATES, have = 0;

	memset(&d, 0, sizeof(d));
	memset(&p, 0, sizeof(p));
	memset(&h, 0, sizeof(h));
	memset(&k, 0, sizeof(k));
	p.c = c;
	p.fd = -1;
	rc = rta_scan_open(ds, NULL, 0, day * DAY_US, (day + 1) * DAY_US, &sc,
	    err);
	while (rc == RTA_OK && (rc = rta_scan_next(sc, &rec, err)) == RTA_OK) {
		if (!have || p.tlen != rec.ev.tenant_len ||
		    memcmp(p.tenant, rec.ev.tenant, p.tlen) != 0) {
			if (have && !p.skip && (rc = tenant_write(ds, name, &d,
			    &h, &p, &k, day, o, r, err)) != RTA_OK)
				break;
			have = 1;
			memcpy(p.tenant, rec.ev.tenant, rec.ev.tenant_len);
			p.tlen = rec.ev.tenant_len;
			p.skip = 0;
			hold_reset(&h);
			if (tenant_start(&d, agg, o) != 0)
				goto nomem;
			if (rta_cold_part_path(p.path, sizeof(p.path), name,
			    p.tenant, p.tlen, day, &e2) != RTA_OK) {
				p.skip = 1;
				if (rejected == 0)
					*err = e2;
			} else {
				slash = strchr(p.path, '/');
				snprintf(enc, sizeof(enc), "%.*s",
				    (int)(strchr(slash + 1, '/') - slash - 1),
				    slash + 1);
				if (names_add(&written, enc) != 0)
					goto nomem;
			}
		}
		if (p.skip) {
			rejected++;
			continue;
		}
		d.t.records++;
		if (rec.ev.extra != NULL)
			d.t.has_extra = 1;
		if (observe(&d.t, 0, rec.ev.payload, &d.b64) != 0 ||
		    hold_add(&h, &rec.ev) != 0)
			goto nomem;
	}
	rta_scan_close(sc);
	sc = NULL;
	if (rc == RTA_EOF && have && !p.skip)
		rc = tenant_write(ds, name, &d, &h, &p, &k, day, o, r, err);
	else if (rc == RTA_EOF)
		rc = RTA_OK;
	if (rc == RTA_OK)
		rc = closer_wait(&k, r, err);
	if (rc != RTA_OK)
		goto out;
	if ((rc = remove_stale(c, name, day, &written, r, err)) != RTA_OK)
		goto out;
	r->rejected += rejected;
	r->days++;
	if (o->note != NULL) {
		char line[PATH_MAX + 512];
		unsigned m, dd;
		int64_t y;

		rta_civil_from_days(day, &y, &m, &dd);
		snprintf(line, sizeof(line), "%s/%s: %04lld-%02u-%02u: %llu "
		    "rows, %llu files", c->path, name, (long long)y, m, dd,
		    (unsigned long long)(r->rows - rows0),
		    (unsigned long long)(r->partitions - files0));
		o->note(o->arg, line);
	}
	rc = rejected > 0 ? RTA_EDATA : RTA_OK;
	goto out;
nomem:
	rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
out:
	if (sc != NULL)
		rta_scan_close(sc);
	if (k.running) {
		struct rta_error e3;

		(void)closer_wait(&k, r, &e3);
	}
	part_abort(&p);
	names_free(&written);
	day_release(&d);
	rta_buf_release(&h.arena);
	free(h.v);
	return rc;
}

int
rta_dataset_export(struct rta_store *s, const char *name, struct rta_cold *c,
    const struct rta_export_opts *o, struct rta_export_result *r,
    struct rta_error *err)
{
	struct rta_export_state *st = NULL;
	const struct state_entry *se;
	struct rta_dataset ds;
	struct rta_error e2;
	uint64_t print, rows0;
	int64_t b, day, before, last = INT64_MIN;
	int rc, status = RTA_OK, dfd;

	memset(r, 0, sizeof(*r));
	if ((rc = rta_dataset_open(s, name, &ds, err)) != RTA_OK)
		return rc;
	if (mkdirat(c->fd, name, 0777) != 0 && errno != EEXIST) {
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: mkdir: %s",
		    c->path, name, strerror(errno));
		goto out;
	}
	if ((dfd = openat(c->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		rc = rta_error_set(err, RTA_EINVAL, "unsafe-cold", "%s/%s: "
		    "not a directory (a symbolic link?)", c->path, name);
		goto out;
	}
	close(dfd);
	before = o->before;
	if (before == INT64_MIN)
		before = day_of(ds.c.watermark != INT64_MIN ? ds.c.watermark :
		    rta_now());
	if ((st = state_read(c->fd, name)) == NULL) {
		rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
		goto out;
	}
	for (b = rta_dataset_next_bucket(&ds, INT64_MIN); b != INT64_MAX;
	    b = rta_dataset_next_bucket(&ds, b + ds.c.width)) {
		day = day_of(b);
		if (day == last)
			continue;
		last = day;
		if (day >= before)
			break;
		print = day_print(&ds, day);
		se = state_find(st, day);
		if (!o->force && se != NULL && se->print == print) {
			r->unchanged++;
			continue;
		}
		rows0 = r->rows;
		rc = export_day(&ds, name, c, day, o, r, &e2);
		if (rc == RTA_EDATA) {
			/* exported but for the rejected records: not
			 * recorded, so the next run tries again */
			if (status == RTA_OK)
				*err = e2;
			status = RTA_EDATA;
			continue;
		}
		if (rc != RTA_OK) {
			*err = e2;
			goto out;
		}
		if (state_set(st, day, print, r->rows - rows0) != 0) {
			rc = rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
			goto out;
		}
		if ((rc = state_write(c, name, st, err)) != RTA_OK)
			goto out;
	}
	rc = status;
out:
	rta_export_state_free(st);
	rta_dataset_close(&ds);
	return rc;
}
